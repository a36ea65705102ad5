// SPDX-License-Identifier: GPL-2.0
/*
 * filetest.c - the container's file side, run inside an instance with a
 * root disk (`molctl up --disk IMG`, `molctl run build/bin/mol-filetest
 * DIR`): plain glibc calls on the MINIX tree under DIR, each result and
 * errno checked against what Linux answers for the same call.  Leaves
 * DIR/keep (contents checked from the host afterwards by
 * tests/files/run-files.sh with molfs-tool).  Prints "filetest: N
 * passed, N failed"; exit status 1 on any failure.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

static int passed, failed;
static char dir[256];

static void check(int ok, const char *what, int line)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	fprintf(stderr, "filetest: FAIL line %d: %s (errno %d %s)\n", line,
		what, errno, strerror(errno));
}

#define CHECK(c)	check(!!(c), #c, __LINE__)
/* The call fails with exactly errno @e. */
#define FAILS(call, e)							\
	do {								\
		errno = 0;						\
		long __r = (long)(call);				\
		check(__r == -1 && errno == (e), #call " fails " #e,	\
		      __LINE__);					\
	} while (0)
#define OK(call)							\
	do {								\
		errno = 0;						\
		long __r = (long)(call);				\
		check(__r >= 0, #call, __LINE__);			\
	} while (0)

static const char *p(const char *name)
{
	static char buf[8][512];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
	return buf[i];
}

static void test_open_rw(void)
{
	char buf[64];
	struct stat st;
	int fd, fd2;

	FAILS(open(p("nope"), O_RDONLY), ENOENT);
	FAILS(open(p("nope/x"), O_RDONLY | O_CREAT, 0644), ENOENT);
	fd = open(p("f1"), O_RDWR | O_CREAT | O_EXCL, 0644);
	CHECK(fd > 2);
	FAILS(open(p("f1"), O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK(write(fd, "hello, world\n", 13) == 13);
	CHECK(lseek(fd, 0, SEEK_CUR) == 13);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	memset(buf, 0, sizeof(buf));
	CHECK(read(fd, buf, sizeof(buf)) == 13 && !strcmp(buf, "hello, world\n"));
	CHECK(read(fd, buf, sizeof(buf)) == 0);
	CHECK(pread(fd, buf, 5, 7) == 5 && !memcmp(buf, "world", 5));
	CHECK(pwrite(fd, "W", 1, 7) == 1);
	CHECK(lseek(fd, 0, SEEK_END) == 13);
	FAILS(lseek(fd, -100, SEEK_SET), EINVAL);
	OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0644 &&
	      st.st_size == 13 && st.st_nlink == 1);
	OK(ftruncate(fd, 5));
	OK(fstat(fd, &st));
	CHECK(st.st_size == 5);
	fd2 = dup(fd);
	CHECK(fd2 > fd);
	CHECK(lseek(fd2, 1, SEEK_SET) == 1);
	CHECK(lseek(fd, 0, SEEK_CUR) == 1);	/* shared offset */
	OK(close(fd2));
	FAILS(close(fd2), EBADF);
	FAILS(read(fd2, buf, 1), EBADF);
	OK(close(fd));
	FAILS(write(fd, "x", 1), EBADF);

	fd = open(p("f1"), O_RDONLY);
	CHECK(fd >= 0);
	FAILS(write(fd, "x", 1), EBADF);
	OK(close(fd));
	fd = open(p("f1"), O_WRONLY | O_APPEND);
	CHECK(write(fd, "++", 2) == 2);
	OK(fstat(fd, &st));
	CHECK(st.st_size == 7);
	FAILS(read(fd, buf, 1), EBADF);
	OK(close(fd));
	FAILS(open(p("f1/x"), O_RDONLY), ENOTDIR);
	FAILS(open(dir, O_WRONLY), EISDIR);
	FAILS(open(p("f1"), O_RDONLY | O_DIRECTORY), ENOTDIR);
	fd = creat(p("f2"), 0600);
	CHECK(fd >= 0);
	OK(fstat(fd, &st));
	CHECK((st.st_mode & 0777) == 0600);
	OK(close(fd));
}

static void test_vec_fcntl(void)
{
	struct iovec iov[2];
	char a[4], b[8];
	int fd, nfd, fl;

	fd = open(p("vec"), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	CHECK(fd >= 0);
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	OK(fcntl(fd, F_SETFD, 0));
	CHECK(fcntl(fd, F_GETFD) == 0);
	iov[0].iov_base = "abc";
	iov[0].iov_len = 3;
	iov[1].iov_base = "defgh";
	iov[1].iov_len = 5;
	CHECK(writev(fd, iov, 2) == 8);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	iov[0].iov_base = a;
	iov[0].iov_len = 4;
	iov[1].iov_base = b;
	iov[1].iov_len = 8;
	CHECK(readv(fd, iov, 2) == 8 && !memcmp(a, "abcd", 4) &&
	      !memcmp(b, "efgh", 4));
	fl = fcntl(fd, F_GETFL);
	CHECK((fl & O_ACCMODE) == O_RDWR && !(fl & O_APPEND));
	OK(fcntl(fd, F_SETFL, fl | O_APPEND));
	CHECK(fcntl(fd, F_GETFL) & O_APPEND);
	nfd = fcntl(fd, F_DUPFD, 40);
	CHECK(nfd >= 40);
	CHECK(fcntl(nfd, F_GETFD) == 0);
	OK(close(nfd));
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	CHECK(nfd > fd && fcntl(nfd, F_GETFD) == FD_CLOEXEC);
	OK(close(nfd));
	CHECK(dup2(fd, 50) == 50);
	CHECK(dup2(50, 50) == 50);
	FAILS(dup3(50, 50, 0), EINVAL);
	CHECK(dup3(fd, 51, O_CLOEXEC) == 51 && fcntl(51, F_GETFD) == FD_CLOEXEC);
	OK(close(50));
	OK(close(51));
	FAILS(fcntl(50, F_GETFD), EBADF);
	OK(fsync(fd));
	OK(fdatasync(fd));
	CHECK(!isatty(fd) && errno == ENOTTY);
	OK(close(fd));
	/* a memory device is no terminal either (molmem: ENOTTY) */
	fd = open("/dev/null", O_RDWR);
	CHECK(fd >= 0);
	errno = 0;
	CHECK(!isatty(fd) && errno == ENOTTY);
	FAILS(ioctl(fd, TIOCGWINSZ, &(struct winsize){ 0 }), ENOTTY);
	OK(close(fd));
}

static void test_paths(void)
{
	char buf[256];
	struct stat st, lst;
	struct statvfs sv;
	struct timespec ts[2];
	struct utimbuf ut;
	int fd;

	OK(stat(p("f1"), &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 7);
	FAILS(stat(p("nope"), &st), ENOENT);
	FAILS(stat(p("f1/x"), &st), ENOTDIR);
	FAILS(stat("", &st), ENOENT);
	OK(access(p("f1"), R_OK | W_OK));
	FAILS(access(p("nope"), F_OK), ENOENT);
	OK(faccessat(AT_FDCWD, p("f1"), F_OK, AT_EACCESS));

	OK(mkdir(p("d"), 0755));
	FAILS(mkdir(p("d"), 0755), EEXIST);
	FAILS(mkdir(p("nope/d"), 0755), ENOENT);
	OK(stat(p("d"), &st));
	CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0755 &&
	      st.st_nlink == 2);
	OK(mkdir(p("d/sub"), 0700));
	FAILS(rmdir(p("d")), ENOTEMPTY);
	FAILS(unlink(p("d")), EISDIR);
	FAILS(rmdir(p("f1")), ENOTDIR);

	OK(link(p("f1"), p("d/f1link")));
	OK(stat(p("f1"), &st));
	CHECK(st.st_nlink == 2);
	FAILS(link(p("f1"), p("d/f1link")), EEXIST);
	OK(symlink("../f1", p("d/sym")));
	CHECK(readlink(p("d/sym"), buf, sizeof(buf)) == 5 &&
	      !memcmp(buf, "../f1", 5));
	FAILS(readlink(p("f1"), buf, sizeof(buf)), EINVAL);
	OK(lstat(p("d/sym"), &lst));
	CHECK(S_ISLNK(lst.st_mode) && lst.st_size == 5);
	OK(stat(p("d/sym"), &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 7);
	OK(fstatat(AT_FDCWD, p("d/sym"), &lst, AT_SYMLINK_NOFOLLOW));
	CHECK(S_ISLNK(lst.st_mode));

	OK(rename(p("f2"), p("d/f2")));
	FAILS(stat(p("f2"), &st), ENOENT);
	OK(stat(p("d/f2"), &st));
	FAILS(rename(p("nope"), p("x")), ENOENT);
	FAILS(rename(p("d"), p("d/sub/x")), EINVAL);
	OK(unlink(p("d/f2")));
	FAILS(unlink(p("d/f2")), ENOENT);

	OK(chmod(p("f1"), 0640));
	OK(stat(p("f1"), &st));
	CHECK((st.st_mode & 07777) == 0640);
	fd = open(p("f1"), O_RDONLY);
	OK(fchmod(fd, 0644));
	OK(fchown(fd, 12, 34));
	OK(fstat(fd, &st));
	CHECK(st.st_uid == 12 && st.st_gid == 34 && (st.st_mode & 0777) == 0644);
	OK(chown(p("f1"), 0, 0));
	OK(lchown(p("d/sym"), 5, 6));
	OK(lstat(p("d/sym"), &lst));
	CHECK(lst.st_uid == 5 && lst.st_gid == 6);
	ts[0].tv_sec = 1000000000;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = 1234567890;
	ts[1].tv_nsec = 0;
	OK(utimensat(AT_FDCWD, p("f1"), ts, 0));
	OK(stat(p("f1"), &st));
	CHECK(st.st_atime == 1000000000 && st.st_mtime == 1234567890);
	ut.actime = 5;
	ut.modtime = 6;
	OK(utime(p("f1"), &ut));
	OK(stat(p("f1"), &st));
	CHECK(st.st_mtime == 6);
	OK(futimens(fd, NULL));
	OK(fstat(fd, &st));
	CHECK(st.st_mtime > 1600000000);
	OK(close(fd));
	OK(truncate(p("f1"), 3));
	OK(stat(p("f1"), &st));
	CHECK(st.st_size == 3);
	FAILS(truncate(p("nope"), 0), ENOENT);

	OK(statvfs(dir, &sv));
	CHECK(sv.f_bsize > 0 && sv.f_blocks > 0 && sv.f_namemax > 0);
	OK(mknod(p("fifo"), S_IFIFO | 0644, 0));
	OK(lstat(p("fifo"), &st));
	CHECK(S_ISFIFO(st.st_mode));
	OK(unlink(p("fifo")));
}

static void test_cwd_umask(void)
{
	char buf[512], *c;
	struct stat st;
	mode_t old;
	int fd;

	OK(chdir(p("d")));
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, p("d")));
	errno = 0;
	CHECK(!getcwd(buf, 2) && errno == ERANGE);
	c = getcwd(NULL, 0);
	CHECK(c && !strcmp(c, p("d")));
	free(c);
	OK(stat("f1link", &st));	/* relative to the new cwd */
	OK(chdir(".."));
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, dir));
	FAILS(chdir(p("f1")), ENOTDIR);
	FAILS(chdir(p("nope")), ENOENT);
	fd = open(p("d"), O_RDONLY | O_DIRECTORY);
	OK(fchdir(fd));
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, p("d")));
	OK(fstatat(fd, "f1link", &st, 0));	/* *at relative to a dirfd */
	fd = openat(fd, "sub", O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	OK(mkdirat(fd, "x", 0755));
	OK(unlinkat(fd, "x", AT_REMOVEDIR));
	OK(close(fd));
	OK(chdir("/"));

	old = umask(077);
	fd = open(p("masked"), O_WRONLY | O_CREAT, 0666);
	OK(fstat(fd, &st));
	CHECK((st.st_mode & 0777) == 0600);
	OK(close(fd));
	CHECK(umask(old) == 077);
	OK(unlink(p("masked")));
}

/* O_PATH: a descriptor naming a file (coreutils' cp/mv/ln FILE DIR) */
static void test_opath(void)
{
	struct flock lk = { .l_type = F_RDLCK };
	struct statvfs sv;
	struct stat st;
	char buf[8];
	int d, f, l, n;
	DIR *dp;

	OK(mkdir(p("op"), 0755));
	f = open(p("op/none"), O_WRONLY | O_CREAT | O_EXCL, 0);
	CHECK(write(f, "abc", 3) == 3);
	OK(close(f));
	OK(symlink("none", p("op/l")));

	d = open(p("op"), O_PATH | O_DIRECTORY);
	CHECK(d > 2);
	CHECK(fcntl(d, F_GETFL) == (O_PATH | O_DIRECTORY));
	/* the *at calls, from an O_PATH directory */
	OK(fstatat(d, "none", &st, 0));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 3);
	f = openat(d, "new", O_WRONLY | O_CREAT | O_EXCL, 0644);
	CHECK(f >= 0 && write(f, "xy", 2) == 2);
	OK(close(f));
	OK(renameat(d, "new", d, "renamed"));
	OK(linkat(AT_FDCWD, p("op/renamed"), d, "hard", 0));
	OK(fstatat(d, "hard", &st, 0));
	CHECK(st.st_nlink == 2 && st.st_size == 2);
	OK(unlinkat(d, "hard", 0));
	OK(unlinkat(d, "renamed", 0));
	OK(fstatat(d, "", &st, AT_EMPTY_PATH));
	CHECK(S_ISDIR(st.st_mode));
	FAILS(getdents64(d, buf, sizeof(buf)), EBADF);
	dp = fdopendir(dup(d));		/* glibc's own checks pass */
	CHECK(dp != NULL);
	FAILS(dp ? readdir(dp) ? 0 : -1 : 0, EBADF);
	if (dp)
		closedir(dp);
	OK(fchdir(d));
	OK(stat("none", &st));
	OK(chdir("/"));
	OK(close(d));

	/* a file without any permission: only the path is searched */
	f = open(p("op/none"), O_PATH | O_RDWR | O_TRUNC);
	CHECK(f > 2);
	CHECK(fcntl(f, F_GETFL) == O_PATH);
	OK(fstat(f, &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 3 &&
	      (st.st_mode & 07777) == 0);
	FAILS(read(f, buf, 1), EBADF);
	FAILS(write(f, "x", 1), EBADF);
	FAILS(pread(f, buf, 1, 0), EBADF);
	FAILS(lseek(f, 0, SEEK_SET), EBADF);
	FAILS(fchmod(f, 0644), EBADF);
	FAILS(fchown(f, 0, 0), EBADF);
	FAILS(ftruncate(f, 0), EBADF);
	FAILS(fsync(f), EBADF);
	FAILS(futimens(f, NULL), EBADF);
	FAILS(fcntl(f, F_SETFL, O_NONBLOCK), EBADF);
	FAILS(fcntl(f, F_GETLK, &lk), EBADF);
	FAILS(fcntl(f, F_SETLK, &lk), EBADF);
	FAILS(ioctl(f, FIONREAD, &n), EBADF);
	FAILS(fgetxattr(f, "user.x", buf, sizeof(buf)), EBADF);
	CHECK(posix_fadvise(f, 0, 0, POSIX_FADV_NORMAL) == EBADF);
	FAILS(fchdir(f), ENOTDIR);
	FAILS(openat(f, "x", O_RDONLY), ENOTDIR);
	OK(fstatvfs(f, &sv));
	CHECK(fcntl(f, F_GETFD) == 0);
	OK(fcntl(f, F_SETFD, FD_CLOEXEC));
	CHECK(fcntl(f, F_GETFD) == FD_CLOEXEC);
	n = dup(f);
	CHECK(n > f && fcntl(n, F_GETFL) == O_PATH);
	OK(close(n));
	n = fcntl(f, F_DUPFD_CLOEXEC, 60);
	CHECK(n >= 60 && fcntl(n, F_GETFD) == FD_CLOEXEC);
	OK(close(n));
	OK(close(f));
	FAILS(close(f), EBADF);
	OK(stat(p("op/none"), &st));
	CHECK(st.st_size == 3);			/* O_TRUNC was ignored */

	/* errors, as Linux's */
	FAILS(open(p("op/nope"), O_PATH), ENOENT);
	FAILS(open(p("op/nope"), O_PATH | O_CREAT, 0644), ENOENT);
	FAILS(open(p("op/none"), O_PATH | O_DIRECTORY), ENOTDIR);
	FAILS(open(p("op/none/"), O_PATH), ENOTDIR);
	FAILS(open(p("op/l"), O_PATH | O_NOFOLLOW | O_DIRECTORY), ENOTDIR);

	/* O_NOFOLLOW: the link itself */
	l = open(p("op/l"), O_PATH | O_NOFOLLOW);
	CHECK(l > 2);
	CHECK(fcntl(l, F_GETFL) == (O_PATH | O_NOFOLLOW));
	OK(fstat(l, &st));
	CHECK(S_ISLNK(st.st_mode) && st.st_size == 4);
	OK(fstatat(l, "", &st, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW));
	CHECK(S_ISLNK(st.st_mode));
	OK(close(l));
	l = open(p("op/l"), O_PATH);
	OK(fstat(l, &st));
	CHECK(S_ISREG(st.st_mode));
	OK(close(l));
}

/* the number of entries in directory @path, -1 if it cannot be read */
static int entries(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* glibc's temporary files (sort, tar): made in the MINIX tree */
static void test_tempfiles(void)
{
	char t[256], line[32], *s;
	struct stat st;
	FILE *f;
	int fd;

	snprintf(t, sizeof(t), "%s", p("tmp.XXXXXX"));
	fd = mkstemp(t);
	CHECK(fd > 2 && strcmp(t, p("tmp.XXXXXX")) &&
	      !strncmp(t, p("tmp."), strlen(p("tmp."))));
	OK(fstat(fd, &st));
	CHECK(S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600 &&
	      st.st_size == 0);
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR);
	CHECK(write(fd, "tmp", 3) == 3);
	OK(close(fd));
	OK(stat(t, &st));			/* through FS */
	CHECK(st.st_size == 3);
	OK(unlink(t));
	snprintf(t, sizeof(t), "%s", p("tmp.XXXXX"));
	FAILS(mkstemp(t), EINVAL);
	CHECK(!strcmp(t, p("tmp.XXXXX")));	/* untouched */
	snprintf(t, sizeof(t), "%s", p("nope/tmp.XXXXXX"));
	FAILS(mkstemp(t), ENOENT);
	snprintf(t, sizeof(t), "%s", p("tmp.XXXXXX"));
	fd = mkostemp(t, O_CLOEXEC | O_APPEND);
	/* Linux reports O_LARGEFILE (0100000; 0 in glibc's headers) */
	CHECK(fd > 2 && fcntl(fd, F_GETFD) == FD_CLOEXEC &&
	      fcntl(fd, F_GETFL) == (O_RDWR | O_APPEND | 0100000));
	OK(close(fd));
	OK(unlink(t));
	snprintf(t, sizeof(t), "%s", p("tmp.XXXXXX.txt"));
	fd = mkstemps(t, 4);
	CHECK(fd > 2 && !strcmp(t + strlen(t) - 4, ".txt") &&
	      !strstr(t, "XXXXXX"));
	OK(fstat(fd, &st));
	CHECK((st.st_mode & 07777) == 0600);
	OK(close(fd));
	OK(unlink(t));
	FAILS(mkstemps(t, -1), EINVAL);
	FAILS(mkstemps(t, 10), EINVAL);
	snprintf(t, sizeof(t), "%s", p("tmp.XXXXXXab"));
	fd = mkostemps(t, 2, O_CLOEXEC);
	CHECK(fd > 2 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	OK(close(fd));
	OK(unlink(t));
	snprintf(t, sizeof(t), "%s", p("dt.XXXXXX"));
	CHECK(mkdtemp(t) == t);
	OK(stat(t, &st));
	CHECK(S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0700);
	OK(rmdir(t));
	snprintf(t, sizeof(t), "%s", p("nope/dt.XXXXXX"));
	errno = 0;
	CHECK(!mkdtemp(t) && errno == ENOENT);
	snprintf(t, sizeof(t), "%s", p("mt.XXXXXX"));
	CHECK(mktemp(t) == t && strcmp(t, p("mt.XXXXXX")));
	FAILS(lstat(t, &st), ENOENT);

	/* tmpfile: P_tmpdir of the MINIX tree only (not $TMPDIR) */
	if (stat("/tmp", &st) == 0)
		return;		/* not the tree this test expects */
	setenv("TMPDIR", dir, 1);
	errno = 0;
	CHECK(!tmpfile() && errno == ENOENT);
	errno = 0;
	CHECK(!tmpfile64() && errno == ENOENT);
	s = tempnam(NULL, "prefix");		/* $TMPDIR */
	CHECK(s && !strncmp(s, p("prefi"), strlen(p("prefi"))) &&
	      strlen(s) == strlen(p("prefi")) + 6);
	free(s);
	unsetenv("TMPDIR");
	s = tempnam(p("nope"), NULL);		/* no directory at all */
	CHECK(!s && errno == ENOENT);
	OK(mkdir("/tmp", 01777));
	s = tempnam(p("nope"), "ab");		/* P_tmpdir */
	CHECK(s && !strncmp(s, "/tmp/ab", 7) && strlen(s) == 13);
	free(s);
	f = tmpfile();
	CHECK(f != NULL);
	CHECK(entries("/tmp") == 2);		/* unlinked once open */
	if (f) {
		OK(fstat(fileno(f), &st));
		CHECK(S_ISREG(st.st_mode) && st.st_nlink == 0 &&
		      (st.st_mode & 07777) == 0600);
		CHECK(fputs("scratch\n", f) >= 0 &&
		      fseek(f, 0, SEEK_SET) == 0 &&
		      fgets(line, sizeof(line), f) &&
		      !strcmp(line, "scratch\n"));
		OK(fclose(f));
	}
	f = tmpfile64();
	CHECK(f != NULL);
	if (f)
		OK(fclose(f));
	OK(rmdir("/tmp"));
}

/*
 * dup2 onto every low descriptor, as posix_spawn's file actions and
 * shells do: libmol's own (it is one of them) moves away, the process
 * keeps its identity and its files.
 */
static void test_dup2_everywhere(void)
{
	struct stat st;
	int f, i, st2;
	pid_t pid;

	f = open(p("f1"), O_RDONLY);
	CHECK(f > 2);
	for (i = 3; i < 16; i++)
		if (i != f)
			CHECK(dup2(f, i) == i);
	for (i = 3; i < 16; i++) {
		OK(fstat(i, &st));
		CHECK(S_ISREG(st.st_mode) && st.st_size == 3);
	}
	pid = fork();		/* PM still knows us */
	if (pid == 0)
		_exit(fstat(9, &st) == 0 ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &st2, 0) == pid && WIFEXITED(st2) &&
	      !WEXITSTATUS(st2));
	for (i = 3; i < 16; i++)
		OK(close(i));
}

/* getpw*, getgr*: the MINIX tree's /etc/passwd and /etc/group */
static void test_nss(void)
{
	struct passwd pw, *pr;
	struct group gr, *gp;
	char buf[1024];
	gid_t gids[4];
	struct stat st;
	bool made_etc;
	int n;
	FILE *f;

	/* /etc may exist (host mounts on /etc/alternatives), not these */
	if (stat("/etc/passwd", &st) == 0 || stat("/etc/group", &st) == 0)
		return;		/* not the tree this test expects */
	/* no files: no entries, no error */
	errno = 0;
	CHECK(!getpwnam("root") && errno == 0);
	CHECK(!getpwuid(0) && errno == 0);
	CHECK(!getgrgid(0) && errno == 0);
	CHECK(getpwnam_r("root", &pw, buf, sizeof(buf), &pr) == 0 && !pr);
	setpwent();
	CHECK(!getpwent());
	endpwent();

	made_etc = mkdir("/etc", 0755) == 0;
	CHECK(made_etc || errno == EEXIST);
	f = fopen("/etc/passwd", "w");
	CHECK(f && fputs("# users of the MINIX tree\n"
			 "root:x:0:0:Super User:/root:/bin/sh\n"
			 "bad line\n"
			 "molonly:x:4242:4243:Mol Only:/home/m:/bin/dash\n",
			 f) >= 0);
	if (f)
		OK(fclose(f));
	f = fopen("/etc/group", "w");
	CHECK(f && fputs("wheel:x:0:root\n"
			 "molgrp:x:4243:molonly,root\n", f) >= 0);
	if (f)
		OK(fclose(f));

	pr = getpwnam("molonly");
	CHECK(pr && pr->pw_uid == 4242 && pr->pw_gid == 4243 &&
	      !strcmp(pr->pw_gecos, "Mol Only") &&
	      !strcmp(pr->pw_dir, "/home/m") &&
	      !strcmp(pr->pw_shell, "/bin/dash"));
	pr = getpwuid(0);
	CHECK(pr && !strcmp(pr->pw_name, "root") &&
	      !strcmp(pr->pw_dir, "/root"));
	errno = 0;
	CHECK(!getpwnam("nobody") && errno == 0);	/* the host has one */
	CHECK(!getpwuid(65534) && errno == 0);
	CHECK(getpwuid_r(4242, &pw, buf, sizeof(buf), &pr) == 0 && pr == &pw &&
	      !strcmp(pw.pw_name, "molonly"));
	CHECK(getpwnam_r("molonly", &pw, buf, 8, &pr) == ERANGE && !pr);
	CHECK(getpwnam_r("nobody", &pw, buf, sizeof(buf), &pr) == 0 && !pr);
	gp = getgrgid(4243);
	CHECK(gp && !strcmp(gp->gr_name, "molgrp") && gp->gr_mem[0] &&
	      !strcmp(gp->gr_mem[0], "molonly") && gp->gr_mem[1] &&
	      !strcmp(gp->gr_mem[1], "root") && !gp->gr_mem[2]);
	gp = getgrnam("wheel");
	CHECK(gp && gp->gr_gid == 0);
	CHECK(getgrnam_r("molgrp", &gr, buf, sizeof(buf), &gp) == 0 &&
	      gp == &gr && gr.gr_gid == 4243);
	CHECK(getgrgid_r(7, &gr, buf, sizeof(buf), &gp) == 0 && !gp);
	n = 4;
	CHECK(getgrouplist("root", 0, gids, &n) == 2 && n == 2 &&
	      gids[0] == 0 && gids[1] == 4243);
	n = 1;
	CHECK(getgrouplist("root", 7, gids, &n) == -1 && n == 3 &&
	      gids[0] == 7);
	n = 4;
	CHECK(getgrouplist("molonly", 4243, gids, &n) == 1 && n == 1);
	setpwent();
	for (n = 0; getpwent(); n++)
		;
	CHECK(n == 2);			/* the comment and "bad line" skipped */
	setpwent();
	pr = getpwent();
	CHECK(pr && !strcmp(pr->pw_name, "root"));
	endpwent();
	setgrent();
	for (n = 0; getgrent(); n++)
		;
	CHECK(n == 2);
	endgrent();
	/* ls -l names owners from the tree's files */
	OK(chown(p("f1"), 4242, 4243));
	snprintf(buf, sizeof(buf), "ls -l %s | cut -d' ' -f3,4", p("f1"));
	f = popen(buf, "r");
	CHECK(f && fgets(buf, sizeof(buf), f) &&
	      !strcmp(buf, "molonly molgrp\n"));
	if (f)
		CHECK(pclose(f) == 0);
	OK(chown(p("f1"), 0, 0));
	OK(unlink("/etc/passwd"));
	OK(unlink("/etc/group"));
	if (made_etc)
		OK(rmdir("/etc"));
	CHECK(!getpwnam("molonly"));
}

/* closefrom/close_range: the program's files, never libmol's own */
static void test_closefrom(void)
{
	int st, fd;
	pid_t pid, pid2;

	pid = fork();
	if (pid == 0) {
		fd = open(p("f1"), O_RDONLY);
		closefrom(3);
		if (fd < 3 || fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			_exit(1);
		pid2 = fork();		/* PM still knows us */
		if (pid2 == 0)
			_exit(7);
		if (pid2 < 0 || waitpid(pid2, &st, 0) != pid2 ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 7)
			_exit(2);
		fd = open(p("f1"), O_RDONLY);
		if (fd < 3 || close_range(3, ~0U, 0) || close(fd) != -1)
			_exit(3);
		_exit(getppid() > 0 ? 0 : 4);
	}
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0);
}

static int nftw_calls, nftw_saw_data;

static int count_cb(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	nftw_calls++;
	nftw_saw_data += !strcmp(path, "/mnt/data");
	return 0;
}

/* nftw's FTW_MOUNT across a real mount (glibctest compares the rest) */
static void test_nftw_mount(void)
{
	struct stat a, b;

	if (stat("/mnt", &a) || stat("/mnt/data", &b) || a.st_dev == b.st_dev)
		return;		/* no second image mounted there */
	nftw_calls = nftw_saw_data = 0;
	OK(nftw("/mnt", count_cb, 4, FTW_PHYS));
	CHECK(nftw_calls >= 2 && nftw_saw_data == 1);
	nftw_calls = nftw_saw_data = 0;
	OK(nftw("/mnt", count_cb, 4, FTW_PHYS | FTW_MOUNT));
	CHECK(nftw_calls == 1 && nftw_saw_data == 0);	/* /mnt only */
	nftw_calls = nftw_saw_data = 0;
	OK(nftw("/mnt/data", count_cb, 4, FTW_MOUNT));
	CHECK(nftw_calls >= 1 && nftw_saw_data == 1);
}

static void test_dir(void)
{
	int seen_dot = 0, seen_dd = 0, seen_f1 = 0, seen_d = 0, n = 0, fd;
	struct dirent *e, **list;
	DIR *d;

	d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return;
	CHECK(dirfd(d) >= 0);
	while ((e = readdir(d))) {
		n++;
		seen_dot += !strcmp(e->d_name, ".");
		seen_dd += !strcmp(e->d_name, "..");
		seen_f1 += !strcmp(e->d_name, "f1") && e->d_type == DT_REG;
		seen_d += !strcmp(e->d_name, "d") && e->d_type == DT_DIR;
	}
	CHECK(seen_dot == 1 && seen_dd == 1 && seen_f1 == 1 && seen_d == 1);
	rewinddir(d);
	CHECK(readdir(d) != NULL);
	OK(closedir(d));
	FAILS(opendir(p("nope")) ? 0 : -1, ENOENT);
	FAILS(opendir(p("f1")) ? 0 : -1, ENOTDIR);
	fd = open(p("d"), O_RDONLY | O_DIRECTORY);
	d = fdopendir(fd);
	CHECK(d != NULL);
	for (n = 0; d && readdir(d); n++)
		;
	CHECK(n == 5);	/* . .. sub f1link sym */
	if (d)
		OK(closedir(d));
	n = scandir(p("d"), &list, NULL, alphasort);
	CHECK(n == 5 && !strcmp(list[0]->d_name, ".") &&
	      !strcmp(list[4]->d_name, "sym"));
	while (n-- > 0)
		free(list[n]);
	free(list);
}

static void test_stdio(void)
{
	char line[128];
	FILE *f;
	int i, fd;

	f = fopen(p("nope/x"), "w");
	CHECK(!f && errno == ENOENT);
	f = fopen(p("text"), "w");
	CHECK(f != NULL);
	if (!f)
		return;
	CHECK(fileno(f) > 2);
	for (i = 0; i < 100; i++)
		fprintf(f, "line %d\n", i);
	OK(fclose(f));
	f = fopen(p("text"), "r");
	CHECK(f != NULL);
	for (i = 0; f && fgets(line, sizeof(line), f); i++)
		;
	CHECK(i == 100);
	CHECK(f && fseek(f, 5, SEEK_SET) == 0 && fgets(line, sizeof(line), f) &&
	      !strcmp(line, "0\n") && ftell(f) == 7);
	if (f)
		OK(fclose(f));
	f = fopen(p("text"), "a+");
	CHECK(f && fputs("end\n", f) >= 0);
	if (f)
		OK(fclose(f));
	fd = open(p("text"), O_RDONLY);
	f = fdopen(fd, "r");
	CHECK(f && fseek(f, -4, SEEK_END) == 0 && fgets(line, 8, f) &&
	      !strcmp(line, "end\n"));
	if (f)
		OK(fclose(f));
	FAILS(fcntl(fd, F_GETFD), EBADF);	/* fclose closed it */
	/* stdout redirected to an FS file inside the program */
	fflush(stdout);
	fd = dup(1);
	CHECK(freopen(p("out"), "w", stdout) != NULL);
	printf("to the image\n");
	fflush(stdout);
	CHECK(dup2(fd, 1) == 1);
	OK(close(fd));
	f = fopen(p("out"), "r");
	CHECK(f && fgets(line, sizeof(line), f) &&
	      !strcmp(line, "to the image\n"));
	if (f)
		fclose(f);
}

/* Named pipes: FS's pipes behind a FIFO inode, opens that wait. */
static void test_fifo(void)
{
	struct stat st, fst;
	int r, w, rw, status;
	char buf[32];
	pid_t pid;

	OK(mkfifo(p("ff"), 0600));
	FAILS(mkfifo(p("ff"), 0600), EEXIST);
	/* a writer without a reader, O_NONBLOCK: ENXIO, nothing kept */
	FAILS(open(p("ff"), O_WRONLY | O_NONBLOCK), ENXIO);
	r = open(p("ff"), O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0);
	OK(fstat(r, &fst));
	OK(lstat(p("ff"), &st));
	CHECK(S_ISFIFO(fst.st_mode) && fst.st_ino == st.st_ino &&
	      fst.st_dev == st.st_dev);
	CHECK(read(r, buf, sizeof(buf)) == 0);		/* no writer: EOF */
	FAILS(lseek(r, 0, SEEK_SET), ESPIPE);
	w = open(p("ff"), O_WRONLY | O_NONBLOCK);	/* there is a reader */
	CHECK(w >= 0);
	CHECK(write(w, "abc", 3) == 3);
	FAILS(read(w, buf, 1), EBADF);
	CHECK(read(r, buf, sizeof(buf)) == 3 && !memcmp(buf, "abc", 3));
	FAILS(read(r, buf, sizeof(buf)), EAGAIN);	/* empty, writer open */
	OK(close(w));
	OK(close(r));

	/* blocking opens meet: the child writes, the parent reads */
	pid = fork();
	if (pid == 0) {
		int fd = open(p("ff"), O_WRONLY);

		if (fd < 0 || write(fd, "hello fifo", 10) != 10)
			_exit(1);
		_exit(0);
	}
	r = open(p("ff"), O_RDONLY);
	CHECK(r >= 0);
	CHECK(read(r, buf, sizeof(buf)) == 10 && !memcmp(buf, "hello fifo", 10));
	CHECK(read(r, buf, sizeof(buf)) == 0);	/* the writer exited */
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      !WEXITSTATUS(status));
	OK(close(r));

	/* the reader waits first: the parent opens for writing later */
	pid = fork();
	if (pid == 0) {
		int fd = open(p("ff"), O_RDONLY);
		ssize_t n;

		if (fd < 0)
			_exit(1);
		n = read(fd, buf, sizeof(buf));
		_exit(n == 4 && !memcmp(buf, "ping", 4) ? 0 : 2);
	}
	usleep(100000);
	w = open(p("ff"), O_WRONLY);
	CHECK(w >= 0);
	CHECK(write(w, "ping", 4) == 4);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      !WEXITSTATUS(status));
	/* the reader is gone: SIGPIPE (ignored here) and EPIPE */
	signal(SIGPIPE, SIG_IGN);
	FAILS(write(w, "x", 1), EPIPE);
	signal(SIGPIPE, SIG_DFL);
	OK(close(w));

	/* O_RDWR never waits; the data of the last close is dropped */
	rw = open(p("ff"), O_RDWR);
	CHECK(rw >= 0);
	CHECK(write(rw, "zz", 2) == 2);
	CHECK(read(rw, buf, 1) == 1 && buf[0] == 'z');
	OK(close(rw));
	r = open(p("ff"), O_RDONLY | O_NONBLOCK);
	CHECK(r >= 0 && read(r, buf, sizeof(buf)) == 0);
	OK(fchmod(r, 0640));
	OK(stat(p("ff"), &st));
	CHECK((st.st_mode & 07777) == 0640);
	OK(close(r));
	OK(unlink(p("ff")));
}

static void test_pipe_fork(void)
{
	char buf[32];
	int fds[2], st, fd;
	pid_t pid;

	OK(pipe(fds));
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (write(fds[1], "through FS", 10) != 10)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	CHECK(read(fds[0], buf, sizeof(buf)) == 10 && !memcmp(buf, "through FS", 10));
	CHECK(read(fds[0], buf, sizeof(buf)) == 0);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st));
	OK(close(fds[0]));
	FAILS(lseek(fds[1], 0, SEEK_SET), EBADF);

	/* a child shares the parent's open file and offset */
	fd = open(p("f1"), O_RDONLY);
	pid = fork();
	if (pid == 0)
		_exit(lseek(fd, 2, SEEK_SET) == 2 ? 0 : 1);
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st));
	CHECK(lseek(fd, 0, SEEK_CUR) == 2);
	OK(close(fd));

	/* exec keeps a descriptor without FD_CLOEXEC (the shell's way) */
	fd = open(p("f1"), O_RDONLY);
	pid = fork();
	if (pid == 0) {
		dup2(fd, 0);
		execl("/bin/sh", "sh", "-c", "read x; test \"$x\" = hel", (char *)0);
		_exit(127);
	}
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st));
	OK(close(fd));
}

static void make_keep(void)
{
	FILE *f = fopen(p("keep"), "w");
	int i;

	CHECK(f != NULL);
	if (!f)
		return;
	for (i = 0; i < 2000; i++)
		fprintf(f, "keep %04d\n", i);
	OK(fclose(f));
}

int main(int argc, char **argv)
{
	snprintf(dir, sizeof(dir), "%s", argc > 1 ? argv[1] : "/filetest");
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "filetest: mkdir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	test_open_rw();
	test_vec_fcntl();
	test_paths();
	test_cwd_umask();
	test_dir();
	test_opath();
	test_tempfiles();
	test_dup2_everywhere();
	test_nss();
	test_closefrom();
	test_nftw_mount();
	test_stdio();
	test_pipe_fork();
	test_fifo();
	make_keep();
	printf("filetest: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

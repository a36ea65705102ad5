// SPDX-License-Identifier: GPL-2.0
/*
 * diff.c - the differential oracle: the same sequence of operations runs
 * on a fresh host directory (Linux's answers, credentials switched with
 * setfsuid/setfsgid) and on a fresh MINIX image through libmolfs; return
 * values, errnos, stat fields, directory listings and file contents must
 * agree.  Paths are relative (the host runs in its directory).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include "fst.h"

enum op_kind {
	OPEN, MKDIR, RMDIR, UNLINK, RENAME, LINK, SYMLINK, READLINK, MKNOD,
	CHMOD, CHOWN, LCHOWN, TRUNC, ACCESS, STAT, LSTAT, WRITE, APPEND,
	READ, LS, UTIMES,
};

struct op {
	enum op_kind kind;
	const char *a, *b;
	int flags;		/* open flags, access mode, offset... */
	unsigned int mode;	/* mode, length, uid */
	unsigned int uid, gid;	/* the caller */
	unsigned int x;		/* gid for chown, rdev */
};

#define U(u) .uid = (u), .gid = (u)
#define NOID ((unsigned int)-1)

static const struct op script[] = {
	/* creating, O_* semantics */
	{ OPEN, "f", .flags = O_CREAT | O_WRONLY, .mode = 0644 },
	{ OPEN, "f", .flags = O_CREAT | O_EXCL | O_WRONLY, .mode = 0644 },
	{ OPEN, "f", .flags = O_RDONLY | O_DIRECTORY },
	{ OPEN, "f/", .flags = O_RDONLY },
	{ OPEN, "f/", .flags = O_CREAT | O_WRONLY, .mode = 0644 },
	{ OPEN, "nope", .flags = O_RDONLY },
	{ OPEN, "nope/x", .flags = O_CREAT | O_WRONLY, .mode = 0644 },
	{ OPEN, "f/x", .flags = O_CREAT | O_WRONLY, .mode = 0644 },
	{ OPEN, "", .flags = O_RDONLY },
	{ WRITE, "f", .flags = 0, .mode = 5000 },
	{ WRITE, "f", .flags = 20000, .mode = 100 },	/* a hole */
	{ READ, "f" }, { STAT, "f" },
	{ APPEND, "f", .mode = 333 }, { READ, "f" },
	{ OPEN, "f", .flags = O_TRUNC | O_WRONLY }, { STAT, "f" },
	{ MKDIR, "d", .mode = 0755 }, { MKDIR, "d", .mode = 0755 },
	{ MKDIR, "d/", .mode = 0755 }, { MKDIR, "f", .mode = 0755 },
	{ MKDIR, "e/", .mode = 0700 }, { STAT, "e" }, { STAT, "." },
	{ OPEN, "d", .flags = O_WRONLY }, { OPEN, "d", .flags = O_RDONLY },
	{ OPEN, "d", .flags = O_CREAT | O_RDONLY, .mode = 0644 },
	{ OPEN, "d", .flags = O_RDONLY | O_TRUNC },
	{ OPEN, "d/.", .flags = O_RDONLY | O_DIRECTORY },
	{ OPEN, ".", .flags = O_CREAT | O_RDWR, .mode = 0644 },
	{ MKDIR, "d/sub", .mode = 0750 }, { STAT, "d" }, { STAT, "d/sub/.." },
	/* symlinks */
	{ SYMLINK, "f", "lf" }, { SYMLINK, "d", "ld" },
	{ SYMLINK, "dangling-target", "ldang" }, { SYMLINK, "loop1", "loop2" },
	{ SYMLINK, "loop2", "loop1" }, { SYMLINK, "", "lempty" },
	{ SYMLINK, "f", "f" }, { SYMLINK, "x", "d/sub/../../d/ls" },
	{ READLINK, "lf" }, { READLINK, "f" }, { READLINK, "ldang" },
	{ STAT, "lf" }, { LSTAT, "lf" }, { STAT, "loop1" }, { STAT, "ldang" },
	{ STAT, "ld/sub" }, { STAT, "ld/" }, { LSTAT, "ld/" }, { STAT, "lf/" },
	{ OPEN, "lf", .flags = O_RDONLY | O_NOFOLLOW },
	{ OPEN, "ld", .flags = O_RDONLY | O_NOFOLLOW | O_DIRECTORY },
	{ OPEN, "ldang", .flags = O_CREAT | O_EXCL | O_WRONLY, .mode = 0600 },
	{ OPEN, "ldang", .flags = O_CREAT | O_WRONLY, .mode = 0600 },
	{ STAT, "dangling-target" }, { OPEN, "loop1/x", .flags = O_RDONLY },
	{ MKDIR, "ld/viasym", .mode = 0755 }, { STAT, "d/viasym" },
	{ UNLINK, "ld/" }, { RMDIR, "ld" }, { RMDIR, "ld/" },
	/* hard links */
	{ LINK, "f", "f2" }, { STAT, "f" }, { LINK, "f", "f2" },
	{ LINK, "d", "d2" }, { LINK, "nope", "n2" }, { LINK, "f", "d/f3" },
	{ LINK, "lf", "lf2" }, { LSTAT, "lf2" }, { LINK, "f", "nope/x" },
	{ LINK, "f", "g/" }, { STAT, "d/f3" },
	/* removing */
	{ UNLINK, "d" }, { UNLINK, "." }, { UNLINK, "nope" },
	{ UNLINK, "f2/" }, { UNLINK, "f2" }, { STAT, "f" },
	{ RMDIR, "f" }, { RMDIR, "d" }, { RMDIR, "." }, { RMDIR, ".." },
	{ RMDIR, "d/sub/." }, { RMDIR, "nope" }, { RMDIR, "d/sub/" },
	{ STAT, "d" }, { LS, "." }, { LS, "d" },
	/* special files */
	{ MKNOD, "null", .mode = S_IFCHR | 0666, .x = 0x103 },
	{ MKNOD, "blk", .mode = S_IFBLK | 0600, .x = 0x801 },
	{ MKNOD, "fifo", .mode = S_IFIFO | 0644 },
	{ MKNOD, "null", .mode = S_IFCHR | 0666, .x = 0x103 },
	{ MKNOD, "dev2", .mode = S_IFCHR | 0666, .x = 0x105, U(1000) },
	{ STAT, "null" }, { STAT, "blk" }, { STAT, "fifo" },
	/* rename matrix */
	{ OPEN, "r1", .flags = O_CREAT | O_WRONLY, .mode = 0644 },
	{ WRITE, "r1", .mode = 10 },
	{ OPEN, "r2", .flags = O_CREAT | O_WRONLY, .mode = 0600 },
	{ MKDIR, "rd1", .mode = 0755 }, { MKDIR, "rd2", .mode = 0755 },
	{ MKDIR, "rd3", .mode = 0755 }, { MKDIR, "rd3/in", .mode = 0755 },
	{ RENAME, "r1", "r2" }, { STAT, "r2" }, { STAT, "r1" },
	{ RENAME, "r2", "r2" }, { LINK, "r2", "r2b" },
	{ RENAME, "r2", "r2b" }, { STAT, "r2" }, { STAT, "r2b" },
	{ RENAME, "rd1", "rd2" }, { STAT, "rd2" }, { STAT, "rd1" },
	{ RENAME, "rd2", "rd3" }, { RENAME, "r2", "rd3" },
	{ RENAME, "rd3", "r2" }, { RENAME, "rd3", "rd3/in/x" },
	{ RENAME, "rd3", "rd3/x" }, { RENAME, "rd3/in", "." },
	{ RENAME, ".", "x" }, { RENAME, "rd3/in/..", "x" },
	{ RENAME, "nope", "x" }, { RENAME, "r2", "nope/x" },
	{ RENAME, "r2/", "x" }, { RENAME, "r2", "x/" },
	{ RENAME, "rd3/in", "d/in" }, { STAT, "rd3" }, { STAT, "d" },
	{ STAT, "d/in/.." }, { RENAME, "d/in", "rd3/in2/" }, { STAT, "rd3" },
	{ RENAME, "rd2", "rd3/in2/rd2" }, { STAT, "rd3/in2" },
	{ RENAME, "rd3/in2/rd2", "rd3" }, { RENAME, "rd3/in2", "rd2x" },
	{ RENAME, "lf", "lf3" }, { READLINK, "lf3" }, { RENAME, "r2", "fifo" },
	{ LS, "." }, { LS, "rd2x" },
	/* attributes, permissions, credentials */
	{ OPEN, "p", .flags = O_CREAT | O_WRONLY, .mode = 0640 },
	{ CHOWN, "p", .mode = 1000, .x = 1000 }, { STAT, "p" },
	{ OPEN, "p", .flags = O_RDONLY, U(1000) },
	{ OPEN, "p", .flags = O_RDONLY, U(1001) },
	{ OPEN, "p", .flags = O_RDONLY, .uid = 1001, .gid = 1000 },
	{ OPEN, "p", .flags = O_WRONLY, .uid = 1001, .gid = 1000 },
	{ CHMOD, "p", .mode = 04755, U(1001) },
	{ CHMOD, "p", .mode = 06755, U(1000) }, { STAT, "p" },
	{ CHMOD, "p", .mode = 06755, .uid = 1000, .gid = 5 }, { STAT, "p" },
	{ CHMOD, "p", .mode = 06755 }, { WRITE, "p", .mode = 1, U(1000) },
	{ STAT, "p" }, { CHMOD, "p", .mode = 06755 },
	{ CHOWN, "p", .mode = NOID, .x = NOID }, { STAT, "p" },
	{ CHOWN, "p", .mode = 1001, .x = NOID, U(1000) },
	{ CHOWN, "p", .mode = 1000, .x = NOID, U(1000) },
	{ CHOWN, "p", .mode = NOID, .x = 7, U(1000) },
	{ CHOWN, "p", .mode = NOID, .x = 1000, U(1000) },
	{ CHOWN, "p", .mode = NOID, .x = 1000, U(1001) },
	{ LCHOWN, "lf3", .mode = 1000, .x = 1000 }, { LSTAT, "lf3" },
	{ ACCESS, "p", .flags = R_OK, U(1000) },
	{ ACCESS, "p", .flags = X_OK, U(1001) },
	{ ACCESS, "p", .flags = W_OK, U(1001) },
	{ ACCESS, "p", .flags = X_OK },
	{ ACCESS, "null", .flags = X_OK }, { ACCESS, "nope", .flags = F_OK },
	{ MKDIR, "priv", .mode = 0700 }, { CHOWN, "priv", .mode = 1000, .x = 1000 },
	{ OPEN, "priv/f", .flags = O_CREAT | O_WRONLY, .mode = 0666, U(1000) },
	{ STAT, "priv/f", U(1001) }, { STAT, "priv/f", U(1000) },
	{ OPEN, "priv/g", .flags = O_CREAT | O_WRONLY, .mode = 0666, U(1001) },
	{ UNLINK, "priv/f", U(1001) }, { MKDIR, "priv/x", .mode = 0777, U(1001) },
	{ MKDIR, "pub", .mode = 01777 },
	{ OPEN, "pub/a", .flags = O_CREAT | O_WRONLY, .mode = 0666, U(1000) },
	{ UNLINK, "pub/a", U(1001) }, { RENAME, "pub/a", "pub/b", U(1001) },
	{ RENAME, "pub/a", "pub/b", U(1000) }, { UNLINK, "pub/b", U(1000) },
	{ MKDIR, "sg", .mode = 02775 }, { CHOWN, "sg", .mode = NOID, .x = 50 },
	{ CHMOD, "sg", .mode = 02775 },
	{ MKDIR, "sg/sub", .mode = 0755 }, { STAT, "sg/sub" },
	{ OPEN, "sg/f", .flags = O_CREAT | O_WRONLY, .mode = 0644 },
	{ STAT, "sg/f" },
	{ UTIMES, "p", .flags = 1, U(1001) }, { UTIMES, "p", U(1001) },
	{ UTIMES, "p", .flags = 1, U(1000) }, { STAT, "p" },
	{ TRUNC, "p", .mode = 70000 }, { STAT, "p" }, { READ, "p" },
	{ TRUNC, "p", .mode = 3 }, { READ, "p" }, { TRUNC, "d", .mode = 0 },
	{ TRUNC, "fifo", .mode = 0 }, { TRUNC, "p", .mode = 0, U(1001) },
	{ LS, "." },
};

/* The deterministic content of a WRITE. */
static void pattern(unsigned char *buf, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

struct result {
	long ret;		/* >= 0 or -errno */
	struct mfs_stat st;	/* STAT, LSTAT */
	char *data;		/* READ, READLINK, LS (malloc'ed) */
	size_t len;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Names sorted, '\n'-joined. */
static char *join_sorted(char **names, int n, size_t *lenp)
{
	size_t len = 0;
	char *s;
	int i;

	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	s = malloc(len + 1);
	s[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(s, names[i]);
		strcat(s, "\n");
		free(names[i]);
	}
	*lenp = len;
	return s;
}

static long host_err(long r)
{
	return r < 0 ? -errno : r;
}

static char *read_host(const char *path, size_t *lenp, long *ret)
{
	char *buf = malloc(1 << 20);
	int fd = open(path, O_RDONLY);
	ssize_t n;

	*ret = 0;
	if (fd < 0) {
		*ret = -errno;
		free(buf);
		return NULL;
	}
	n = read(fd, buf, 1 << 20);
	close(fd);
	*lenp = n > 0 ? n : 0;
	return buf;
}

static void host_op(const struct op *o, struct result *r)
{
	unsigned char buf[100000];
	struct stat st;
	DIR *d;

	setfsgid(o->gid);
	setfsuid(o->uid);
	errno = 0;
	switch (o->kind) {
	case OPEN: {
		int fd = open(o->a, o->flags, o->mode);

		r->ret = host_err(fd);
		if (fd >= 0) {
			close(fd);
			r->ret = 0;
		}
		break;
	}
	case MKDIR: r->ret = host_err(mkdir(o->a, o->mode)); break;
	case RMDIR: r->ret = host_err(rmdir(o->a)); break;
	case UNLINK: r->ret = host_err(unlink(o->a)); break;
	case RENAME: r->ret = host_err(rename(o->a, o->b)); break;
	case LINK: r->ret = host_err(link(o->a, o->b)); break;
	case SYMLINK: r->ret = host_err(symlink(o->a, o->b)); break;
	case READLINK:
		r->data = malloc(4096);
		r->ret = host_err(readlink(o->a, r->data, 4096));
		r->len = r->ret > 0 ? r->ret : 0;
		break;
	case MKNOD:
		r->ret = host_err(mknod(o->a, o->mode,
					makedev(o->x >> 8, o->x & 0xff)));
		break;
	case CHMOD: r->ret = host_err(chmod(o->a, o->mode)); break;
	case CHOWN: r->ret = host_err(chown(o->a, o->mode, o->x)); break;
	case LCHOWN: r->ret = host_err(lchown(o->a, o->mode, o->x)); break;
	case TRUNC: r->ret = host_err(truncate(o->a, o->mode)); break;
	case ACCESS:
		r->ret = host_err(faccessat(AT_FDCWD, o->a, o->flags,
					    AT_EACCESS));
		break;
	case STAT: case LSTAT:
		r->ret = host_err(o->kind == STAT ? stat(o->a, &st) :
				  lstat(o->a, &st));
		if (r->ret == 0) {
			r->st.mode = st.st_mode;
			r->st.nlink = st.st_nlink;
			r->st.uid = st.st_uid;
			r->st.gid = st.st_gid;
			r->st.size = S_ISDIR(st.st_mode) ? 0 : st.st_size;
			r->st.rdev = major(st.st_rdev) << 8 |
				     minor(st.st_rdev);
		}
		break;
	case WRITE: case APPEND: {
		int fd = open(o->a, O_WRONLY | (o->kind == APPEND ?
						 O_APPEND : 0));

		r->ret = host_err(fd);
		if (fd < 0)
			break;
		pattern(buf, o->mode, o->flags + o->mode);
		r->ret = host_err(o->kind == APPEND ? write(fd, buf, o->mode) :
				  pwrite(fd, buf, o->mode, o->flags));
		close(fd);
		break;
	}
	case READ:
		r->data = read_host(o->a, &r->len, &r->ret);
		break;
	case LS: {
		char *names[1000];
		struct dirent *de;
		int n = 0;

		d = opendir(o->a);
		r->ret = d ? 0 : -errno;
		if (!d)
			break;
		while ((de = readdir(d)) && n < 1000)
			names[n++] = strdup(de->d_name);
		closedir(d);
		r->data = join_sorted(names, n, &r->len);
		break;
	}
	case UTIMES: {
		struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };

		r->ret = host_err(utimes(o->a, o->flags ? tv : NULL));
		break;
	}
	}
	setfsuid(0);
	setfsgid(0);
}

static void image_op(struct mfs *fs, const struct op *o, struct result *r)
{
	const struct mfs_cred cr = { o->uid, o->gid };
	unsigned char buf[100000];
	uint32_t ino;
	uint64_t off;

	switch (o->kind) {
	case OPEN:
		r->ret = mfs_open(fs, &cr, MFS_ROOT_INO, o->a, o->flags,
				  o->mode, &ino);
		if (r->ret == 0)
			mfs_put(fs, ino);
		break;
	case MKDIR:
		r->ret = mfs_mkdir(fs, &cr, MFS_ROOT_INO, o->a, o->mode);
		break;
	case RMDIR: r->ret = mfs_rmdir(fs, &cr, MFS_ROOT_INO, o->a); break;
	case UNLINK: r->ret = mfs_unlink(fs, &cr, MFS_ROOT_INO, o->a); break;
	case RENAME:
		r->ret = mfs_rename(fs, &cr, MFS_ROOT_INO, o->a, MFS_ROOT_INO,
				    o->b);
		break;
	case LINK:
		r->ret = mfs_link(fs, &cr, MFS_ROOT_INO, o->a, MFS_ROOT_INO,
				  o->b);
		break;
	case SYMLINK:
		r->ret = mfs_symlink(fs, &cr, o->a, MFS_ROOT_INO, o->b);
		break;
	case READLINK:
		r->data = malloc(4096);
		r->ret = mfs_readlink(fs, &cr, MFS_ROOT_INO, o->a, r->data,
				      4096);
		r->len = r->ret > 0 ? r->ret : 0;
		break;
	case MKNOD:
		r->ret = mfs_mknod(fs, &cr, MFS_ROOT_INO, o->a, o->mode, o->x);
		break;
	case CHMOD:
		r->ret = mfs_chmod(fs, &cr, MFS_ROOT_INO, o->a, o->mode);
		break;
	case CHOWN: case LCHOWN:
		r->ret = mfs_chown(fs, &cr, MFS_ROOT_INO, o->a, o->mode, o->x,
				   o->kind == LCHOWN ? MFS_L_NOFOLLOW : 0);
		break;
	case TRUNC:
		r->ret = mfs_truncate(fs, &cr, MFS_ROOT_INO, o->a, o->mode);
		break;
	case ACCESS:
		r->ret = mfs_access(fs, &cr, MFS_ROOT_INO, o->a, o->flags);
		break;
	case STAT: case LSTAT:
		r->ret = mfs_stat(fs, &cr, MFS_ROOT_INO, o->a,
				  o->kind == LSTAT ? MFS_L_NOFOLLOW : 0,
				  &r->st);
		if (r->ret == 0 && S_ISDIR(r->st.mode))
			r->st.size = 0;
		break;
	case WRITE: case APPEND:
		r->ret = mfs_open(fs, &cr, MFS_ROOT_INO, o->a, O_WRONLY, 0,
				  &ino);
		if (r->ret)
			break;
		pattern(buf, o->mode, o->flags + o->mode);
		off = o->flags;
		r->ret = o->kind == APPEND ?
			mfs_append(fs, &cr, ino, buf, o->mode, &off) :
			mfs_write(fs, &cr, ino, buf, o->mode, off);
		mfs_put(fs, ino);
		break;
	case READ:
		r->ret = mfs_open(fs, &cr, MFS_ROOT_INO, o->a, O_RDONLY, 0,
				  &ino);
		if (r->ret)
			break;
		r->data = malloc(1 << 20);
		r->ret = mfs_read(fs, ino, r->data, 1 << 20, 0);
		r->len = r->ret > 0 ? r->ret : 0;
		r->ret = r->ret < 0 ? r->ret : 0;
		mfs_put(fs, ino);
		break;
	case LS: {
		struct mfs_dirent ents[16];
		char *names[1000];
		int n = 0, i, k;

		r->ret = mfs_lookup(fs, &cr, MFS_ROOT_INO, o->a, 0, &ino);
		if (r->ret)
			break;
		off = 0;
		while ((k = mfs_getdents(fs, ino, &off, ents, 16)) > 0) {
			for (i = 0; i < k && n < 1000; i++)
				names[n++] = strdup(ents[i].name);
		}
		r->ret = k < 0 ? k : 0;
		r->data = join_sorted(names, n, &r->len);
		break;
	}
	case UTIMES: {
		const uint32_t t[2] = { 1000, 2000 };

		r->ret = mfs_utimes(fs, &cr, MFS_ROOT_INO, o->a,
				    o->flags ? t : NULL, 0);
		break;
	}
	}
}

static const char *const kind_names[] = {
	"open", "mkdir", "rmdir", "unlink", "rename", "link", "symlink",
	"readlink", "mknod", "chmod", "chown", "lchown", "truncate", "access",
	"stat", "lstat", "write", "append", "read", "ls", "utimes",
};

static void compare(int i, const struct op *o, struct result *h,
		    struct result *m)
{
	const char *k = kind_names[o->kind];

	if (!CHECK(h->ret == m->ret, "op %d %s(%s%s%s) uid %u: linux %ld, "
		   "molfs %ld", i, k, o->a, o->b ? ", " : "",
		   o->b ? o->b : "", o->uid, h->ret, m->ret))
		return;
	if ((o->kind == STAT || o->kind == LSTAT) && h->ret == 0) {
		CHECK(h->st.mode == m->st.mode && h->st.nlink == m->st.nlink &&
		      h->st.uid == m->st.uid && h->st.gid == m->st.gid &&
		      h->st.size == m->st.size && h->st.rdev == m->st.rdev,
		      "op %d %s(%s): linux mode %o nlink %u uid %u gid %u "
		      "size %llu rdev %x; molfs mode %o nlink %u uid %u "
		      "gid %u size %llu rdev %x", i, k, o->a, h->st.mode,
		      h->st.nlink, h->st.uid, h->st.gid,
		      (unsigned long long)h->st.size, h->st.rdev, m->st.mode,
		      m->st.nlink, m->st.uid, m->st.gid,
		      (unsigned long long)m->st.size, m->st.rdev);
	}
	if (h->data && m->data) {
		CHECK(h->len == m->len && !memcmp(h->data, m->data, h->len),
		      "op %d %s(%s): contents differ (linux %zu bytes, "
		      "molfs %zu)%s%.*s / %.*s", i, k, o->a, h->len, m->len,
		      o->kind == LS ? ":\n" : "",
		      o->kind == LS ? (int)h->len : 0, h->data,
		      o->kind == LS ? (int)m->len : 0, m->data);
	}
	free(h->data);
	free(m->data);
}

void test_diff(void)
{
	char hostdir[600], cwd[4096];
	const char *img;
	struct mfs *fs;
	unsigned int i;

	if (getuid() != 0) {
		printf("fscheck: diff skipped (needs root for setfsuid)\n");
		return;
	}
	img = fst_mkimage("diff", 4096, 1024);
	snprintf(hostdir, sizeof(hostdir), "%s/diff.host", fst_dir);
	fs = fst_mount(img);
	snprintf(cwd, sizeof(cwd), "rm -rf '%s' && mkdir -m 755 '%s'",
		 hostdir, hostdir);
	if (system(cwd) || !getcwd(cwd, sizeof(cwd)) || chdir(hostdir)) {
		CHECK(0, "host directory %s", hostdir);
		mfs_unmount(fs);
		return;
	}
	setgroups(0, NULL);
	umask(0);
	for (i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		struct result h = { 0 }, m = { 0 };

		host_op(&script[i], &h);
		image_op(fs, &script[i], &m);
		compare(i, &script[i], &h, &m);
	}
	if (chdir(cwd))
		CHECK(0, "chdir back");
	fst_umount_fsck(fs, img, "the differential script");
}

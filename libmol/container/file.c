// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * file.c - the container's descriptors: with MOL_FS=1 (set by molsystem
 * when the instance has a root disk) every file the program opens is an
 * FS descriptor, and read, write, lseek, fstat, dup, fcntl, pipe, ...
 * on it are FS_* messages to MOL_FS, with the data through grants.
 *
 * Descriptor numbers: the program sees host numbers.  An FS file holds
 * a placeholder host descriptor (O_PATH of /dev/null: a raw system call
 * on it fails EBADF instead of touching another file), so host files
 * (stdin/stdout/stderr inherited from molctl, libmol's socket, files
 * glibc opens internally) and FS files never collide; ctr_fdmap[] maps a
 * placeholder to its FS descriptor.  Cloexec is kept on both.  fork
 * copies the map (FS copies the descriptors: FS_PM_FORK from PM); exec
 * passes the entries without FD_CLOEXEC in MOL_CONTAINER_FDS (FS closes
 * the others at FS_PM_EXEC, Linux the placeholders).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

#include "file.h"

struct ctr_fd ctr_fdmap[CTR_NFD] CTR_HIDDEN;
bool ctr_fs_on CTR_HIDDEN;
static bool ctr_fs_trace;	/* LIBMOL_FS_TRACE: each call on stderr */

long ctr_fs_call(int nr, struct mol_message *m, bool may_block,
		 const struct ctr_grant *g, unsigned int ng)
{
	struct mol_message req = *m;
	int ret = ctr_call_to(MOL_FS, nr, m, may_block, g, ng);

	/* A stop took back a terminal read (FS_PM_STOP): read again. */
	while (ret == -ERESTART && may_block) {
		*m = req;
		ret = ctr_call_to(MOL_FS, nr, m, may_block, g, ng);
	}

	if (ctr_fs_trace) {
		char buf[96];
		int n = snprintf(buf, sizeof(buf), "[mol fs %d] call 0x%x -> %d\n",
				 (int)syscall(SYS_getpid), nr, ret);

		if (syscall(SYS_write, 2, buf, n) < 0)
			ctr_fs_trace = false;
	}

	/* The file server is gone (or never ran): an I/O error. */
	if (ret == -ENOSYS && (!ctr.active || ctr.exited))
		return -EIO;
	return ret;
}

bool ctr_fs_mapped(int fd)
{
	return ctr_fsfd(fd) >= 0;
}

static long fs_fd_call(int nr, int fsfd, int fd2, int cmd, int arg)
{
	struct mol_message m;
	struct mol_fs_fd *b = MOL_BODY(&m, struct mol_fs_fd);

	memset(&m, 0, sizeof(m));
	b->fd = fsfd;
	b->fd2 = fd2;
	b->cmd = cmd;
	b->arg = arg;
	return ctr_fs_call(nr, &m, false, NULL, 0);
}

/*
 * Is FS descriptor @fsfd an O_PATH one?  For the calls answered here
 * without FS (ioctl, record locks, xattrs, fadvise), which Linux refuses
 * with EBADF on an O_PATH descriptor.
 */
bool ctr_fs_opath(int fsfd)
{
	long fl = fs_fd_call(FS_FCNTL, fsfd, 0, MOL_F_GETFL, 0);

	return fl >= 0 && (fl & MOL_O_PATH);
}

/* Forget host descriptor @fd's FS file (it is being reused). */
static void fd_drop(int fd)
{
	int fsfd = ctr_fdmap[fd].fs - 1;

	ctr_fdmap[fd].fs = 0;
	ctr_fdmap[fd].pipe = false;
	if (fsfd >= 0)
		fs_fd_call(FS_CLOSE, fsfd, 0, 0, 0);
}

static int placeholder(bool cloexec)
{
	return syscall(SYS_openat, AT_FDCWD, "/dev/null",
		       O_PATH | (cloexec ? O_CLOEXEC : 0));
}

/*
 * Give FS descriptor @fsfd a host number (the lowest free one, as open
 * would); on failure the FS descriptor is closed.  Returns the number.
 */
int ctr_fd_install(int fsfd, bool cloexec, bool pipe)
{
	int fd = placeholder(cloexec);

	if (fd < 0 || fd >= CTR_NFD) {
		int err = fd < 0 ? errno : EMFILE;

		if (fd >= 0)
			syscall(SYS_close, fd);
		fs_fd_call(FS_CLOSE, fsfd, 0, 0, 0);
		return -err;
	}
	if (ctr_fdmap[fd].fs)
		fd_drop(fd);	/* stale: closed behind our back */
	ctr_fdmap[fd].fs = fsfd + 1;
	ctr_fdmap[fd].pipe = pipe;
	if (fd <= 2)
		ctr_std_sync(fd);
	return fd;
}

int ctr_fs_close(int fd)
{
	int fsfd = ctr_fsfd(fd);
	long ret;

	ctr_fdmap[fd].fs = 0;
	ctr_fdmap[fd].pipe = false;
	ret = fs_fd_call(FS_CLOSE, fsfd, 0, 0, 0);
	syscall(SYS_close, fd);
	if (fd <= 2)
		ctr_std_sync(fd);
	return FS_RET(ret);
}

/*
 * The FS dirfd for a *at call: 0 and *@fsdir, or 1 when the call is the
 * host's (a relative path from a host directory descriptor).
 */
int ctr_fd_dirfd(int dirfd, const char *path, int *fsdir)
{
	int fsfd;

	if (dirfd == AT_FDCWD || (path && path[0] == '/')) {
		*fsdir = MOL_AT_FDCWD;
		return 0;
	}
	fsfd = ctr_fsfd(dirfd);
	if (fsfd < 0)
		return 1;
	*fsdir = fsfd;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Data                                                              */
/* ---------------------------------------------------------------- */

static ssize_t fs_io(int nr, int fd, void *buf, size_t len, off_t off)
{
	bool write = nr == FS_WRITE || nr == FS_PWRITE;
	struct ctr_grant g;
	struct mol_message m;
	struct mol_fs_io *b = MOL_BODY(&m, struct mol_fs_io);
	long ret;

	if (len > MOL_FS_IO_MAX)
		len = MOL_FS_IO_MAX;
	memset(&m, 0, sizeof(m));
	b->fd = ctr_fsfd(fd);
	b->len = len;
	b->offset = off;
	g.addr = buf;
	g.len = len;
	g.access = write ? MOL_GRANT_READ : MOL_GRANT_WRITE;
	g.id = &b->grant;
	ret = ctr_fs_call(nr, &m, ctr_fdmap[fd].pipe, &g, 1);
	if (ret == -EPIPE && write)
		raise(SIGPIPE);	/* FS sends no signal; Linux would */
	return ret;
}

ssize_t ctr_fs_read(int fd, void *buf, size_t len)
{
	return FS_RET(fs_io(FS_READ, fd, buf, len, 0));
}

ssize_t ctr_fs_write(int fd, const void *buf, size_t len)
{
	return FS_RET(fs_io(FS_WRITE, fd, (void *)buf, len, 0));
}

ssize_t read(int fd, void *buf, size_t len)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(ssize_t (*)(int, void *, size_t), read)(fd, buf,
								   len);
	return ctr_fs_read(fd, buf, len);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(ssize_t (*)(int, const void *, size_t), write)
			(fd, buf, len);
	return ctr_fs_write(fd, buf, len);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(ssize_t (*)(int, void *, size_t, off_t), pread)
			(fd, buf, len, off);
	return FS_RET(fs_io(FS_PREAD, fd, buf, len, off));
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(ssize_t (*)(int, const void *, size_t, off_t),
			    pwrite)(fd, buf, len, off);
	return FS_RET(fs_io(FS_PWRITE, fd, (void *)buf, len, off));
}

ssize_t pread64(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite(fd, buf, len, off);
}

/* readv/writev on an FS file: one request through a bounce buffer. */
static ssize_t fs_iov(int fd, const struct iovec *iov, int cnt, bool write)
{
	size_t total = 0, done, n;
	ssize_t ret;
	char *buf;
	int i;

	if (cnt < 0 || cnt > IOV_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < cnt; i++) {
		if (iov[i].iov_len > SSIZE_MAX - total) {
			errno = EINVAL;
			return -1;
		}
		total += iov[i].iov_len;
	}
	buf = malloc(total ? total : 1);
	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	if (write) {
		for (i = 0, done = 0; i < cnt; i++) {
			memcpy(buf + done, iov[i].iov_base, iov[i].iov_len);
			done += iov[i].iov_len;
		}
		ret = ctr_fs_write(fd, buf, total);
	} else {
		ret = ctr_fs_read(fd, buf, total);
		for (i = 0, done = 0; ret > 0 && i < cnt &&
		     done < (size_t)ret; i++) {
			n = iov[i].iov_len;
			if (n > (size_t)ret - done)
				n = ret - done;
			memcpy(iov[i].iov_base, buf + done, n);
			done += n;
		}
	}
	free(buf);
	return ret;
}

ssize_t readv(int fd, const struct iovec *iov, int cnt)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(ssize_t (*)(int, const struct iovec *, int),
			    readv)(fd, iov, cnt);
	return fs_iov(fd, iov, cnt, false);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(ssize_t (*)(int, const struct iovec *, int),
			    writev)(fd, iov, cnt);
	return fs_iov(fd, iov, cnt, true);
}

off_t ctr_fs_lseek(int fd, off_t off, int whence)
{
	struct mol_message m;
	struct mol_fs_lseek *b = MOL_BODY(&m, struct mol_fs_lseek);
	long ret;

	memset(&m, 0, sizeof(m));
	b->fd = ctr_fsfd(fd);
	b->whence = whence;
	b->offset = off;
	ret = ctr_fs_call(FS_LSEEK, &m, false, NULL, 0);
	if (ret < 0)
		return FS_RET(ret);
	return b->offset;
}

off_t lseek(int fd, off_t off, int whence)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(off_t (*)(int, off_t, int), lseek)(fd, off, whence);
	return ctr_fs_lseek(fd, off, whence);
}

off_t lseek64(int fd, off_t off, int whence)
{
	return lseek(fd, off, whence);
}

/* ---------------------------------------------------------------- */
/* Attributes of an open file                                        */
/* ---------------------------------------------------------------- */

void ctr_stat_from(struct stat *st, const struct mol_stat *ms)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = ms->st_dev;
	st->st_ino = ms->st_ino;
	st->st_mode = ms->st_mode;
	st->st_nlink = ms->st_nlink;
	st->st_uid = ms->st_uid;
	st->st_gid = ms->st_gid;
	st->st_rdev = makedev(ms->st_rdev_major, ms->st_rdev_minor);
	st->st_size = ms->st_size;
	st->st_blksize = ms->st_blksize;
	st->st_blocks = ms->st_blocks;
	st->st_atim.tv_sec = ms->st_atime_sec;
	st->st_atim.tv_nsec = ms->st_atime_nsec;
	st->st_mtim.tv_sec = ms->st_mtime_sec;
	st->st_mtim.tv_nsec = ms->st_mtime_nsec;
	st->st_ctim.tv_sec = ms->st_ctime_sec;
	st->st_ctim.tv_nsec = ms->st_ctime_nsec;
}

/* FS_FSTAT of FS descriptor @fsfd into @st; 0 or -errno. */
int ctr_fs_fstat(int fsfd, struct stat *st)
{
	struct mol_message m;
	struct mol_fs_buf *b = MOL_BODY(&m, struct mol_fs_buf);
	struct mol_stat ms;
	struct ctr_grant g = { &ms, sizeof(ms), MOL_GRANT_WRITE, &b->buf_grant };
	long ret;

	if (ctr_isnull(st))
		return -EFAULT;
	memset(&m, 0, sizeof(m));
	b->fd = fsfd;
	b->buf_len = sizeof(ms);
	ret = ctr_fs_call(FS_FSTAT, &m, false, &g, 1);
	if (ret < 0)
		return ret;
	ctr_stat_from(st, &ms);
	return 0;
}

int fstat(int fd, struct stat *st)
{
	int fsfd = ctr_fsfd(fd);

	if (fsfd < 0)
		return REAL(int (*)(int, struct stat *), fstat)(fd, st);
	return FS_RET(ctr_fs_fstat(fsfd, st));
}

int fstat64(int fd, struct stat64 *st)
{
	return fstat(fd, (struct stat *)st);
}

int __fxstat(int ver, int fd, struct stat *st)
{
	return fstat(fd, st);
}

int __fxstat64(int ver, int fd, struct stat64 *st)
{
	return fstat(fd, (struct stat *)st);
}

int ftruncate(int fd, off_t len)
{
	struct mol_message m;
	struct mol_fs_trunc *b = MOL_BODY(&m, struct mol_fs_trunc);

	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, off_t), ftruncate)(fd, len);
	memset(&m, 0, sizeof(m));
	b->dirfd = ctr_fsfd(fd);
	b->length = len;
	return FS_RET(ctr_fs_call(FS_FTRUNCATE, &m, false, NULL, 0));
}

int ftruncate64(int fd, off_t len)
{
	return ftruncate(fd, len);
}

int fchmod(int fd, mode_t mode)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, mode_t), fchmod)(fd, mode);
	return FS_RET(fs_fd_call(FS_FCHMOD, ctr_fsfd(fd), 0, 0, mode));
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	struct mol_message m;
	struct mol_fs_chown *b = MOL_BODY(&m, struct mol_fs_chown);

	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, uid_t, gid_t), fchown)(fd, uid, gid);
	memset(&m, 0, sizeof(m));
	b->dirfd = ctr_fsfd(fd);
	b->uid = uid;
	b->gid = gid;
	return FS_RET(ctr_fs_call(FS_FCHOWN, &m, false, NULL, 0));
}

int fchdir(int fd)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int), fchdir)(fd);
	return FS_RET(fs_fd_call(FS_FCHDIR, ctr_fsfd(fd), 0, 0, 0));
}

int fsync(int fd)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int), fsync)(fd);
	return FS_RET(fs_fd_call(FS_FSYNC, ctr_fsfd(fd), 0, 0, 0));
}

int fdatasync(int fd)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int), fdatasync)(fd);
	return FS_RET(fs_fd_call(FS_FSYNC, ctr_fsfd(fd), 0, 0, 0));
}

int futimens(int fd, const struct timespec ts[2])
{
	struct mol_message m;
	struct mol_fs_utimens *b = MOL_BODY(&m, struct mol_fs_utimens);

	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, const struct timespec *), futimens)
			(fd, ts);
	memset(&m, 0, sizeof(m));
	b->dirfd = ctr_fsfd(fd);
	b->path_grant = -1;
	if (ts) {
		b->atime_sec = ts[0].tv_sec;
		b->atime_nsec = ts[0].tv_nsec;
		b->mtime_sec = ts[1].tv_sec;
		b->mtime_nsec = ts[1].tv_nsec;
	} else {
		b->atime_nsec = MOL_UTIME_NOW;
		b->mtime_nsec = MOL_UTIME_NOW;
	}
	return FS_RET(ctr_fs_call(FS_UTIMENS, &m, false, NULL, 0));
}

int futimes(int fd, const struct timeval tv[2])
{
	struct timespec ts[2];

	if (!tv)
		return futimens(fd, NULL);
	ts[0].tv_sec = tv[0].tv_sec;
	ts[0].tv_nsec = tv[0].tv_usec * 1000;
	ts[1].tv_sec = tv[1].tv_sec;
	ts[1].tv_nsec = tv[1].tv_usec * 1000;
	return futimens(fd, ts);
}

static void statvfs_from(struct statvfs *sv, const struct mol_statvfs *ms)
{
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = ms->f_bsize;
	sv->f_frsize = ms->f_frsize;
	sv->f_blocks = ms->f_blocks;
	sv->f_bfree = ms->f_bfree;
	sv->f_bavail = ms->f_bavail;
	sv->f_files = ms->f_files;
	sv->f_ffree = ms->f_ffree;
	sv->f_favail = ms->f_favail;
	sv->f_fsid = ms->f_fsid;
	sv->f_flag = ms->f_flag;
	sv->f_namemax = ms->f_namemax;
}

/* FS_STATVFS (@path) or FS_FSTATVFS (@fsfd); 0 or -errno. */
long ctr_fs_statvfs(int fsfd, const char *path, struct statvfs *sv)
{
	struct mol_message m;
	struct mol_statvfs ms;
	struct ctr_grant g[2];
	long ret;

	if (ctr_isnull(sv))
		return -EFAULT;
	memset(&m, 0, sizeof(m));
	g[0].addr = &ms;
	g[0].len = sizeof(ms);
	g[0].access = MOL_GRANT_WRITE;
	if (path) {
		struct mol_fs_path *b = MOL_BODY(&m, struct mol_fs_path);

		b->dirfd = MOL_AT_FDCWD;
		b->path_len = strnlen(path, MOL_FS_PATH_MAX);
		if (b->path_len >= MOL_FS_PATH_MAX)
			return -ENAMETOOLONG;
		b->buf_len = sizeof(ms);
		g[0].id = &b->buf_grant;
		g[1].addr = path;
		g[1].len = b->path_len + 1;
		g[1].access = MOL_GRANT_READ;
		g[1].id = &b->path_grant;
		ret = ctr_fs_call(FS_STATVFS, &m, false, g, 2);
	} else {
		struct mol_fs_buf *b = MOL_BODY(&m, struct mol_fs_buf);

		b->fd = fsfd;
		b->buf_len = sizeof(ms);
		g[0].id = &b->buf_grant;
		ret = ctr_fs_call(FS_FSTATVFS, &m, false, g, 1);
	}
	if (ret < 0)
		return ret;
	statvfs_from(sv, &ms);
	return 0;
}

int fstatvfs(int fd, struct statvfs *sv)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, struct statvfs *), fstatvfs)(fd, sv);
	return FS_RET(ctr_fs_statvfs(ctr_fsfd(fd), NULL, sv));
}

int fstatvfs64(int fd, struct statvfs64 *sv)
{
	return fstatvfs(fd, (struct statvfs *)sv);
}

/* statfs from statvfs: MINIX v3's magic number, as Linux reports it. */
void ctr_statfs_from(struct statfs *sf, const struct statvfs *sv)
{
	memset(sf, 0, sizeof(*sf));
	sf->f_type = 0x4d5a;	/* MINIX3_SUPER_MAGIC */
	sf->f_bsize = sv->f_bsize;
	sf->f_frsize = sv->f_frsize;
	sf->f_blocks = sv->f_blocks;
	sf->f_bfree = sv->f_bfree;
	sf->f_bavail = sv->f_bavail;
	sf->f_files = sv->f_files;
	sf->f_ffree = sv->f_ffree;
	sf->f_namelen = sv->f_namemax;
	sf->f_flags = sv->f_flag;
}

int fstatfs(int fd, struct statfs *sf)
{
	struct statvfs sv;

	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, struct statfs *), fstatfs)(fd, sf);
	if (fstatvfs(fd, &sv) < 0)
		return -1;
	ctr_statfs_from(sf, &sv);
	return 0;
}

int fstatfs64(int fd, struct statfs64 *sf)
{
	return fstatfs(fd, (struct statfs *)sf);
}

ssize_t getdents64(int fd, void *buf, size_t len)
{
	struct mol_message m;
	struct mol_fs_buf *b = MOL_BODY(&m, struct mol_fs_buf);
	struct ctr_grant g = { buf, len, MOL_GRANT_WRITE, &b->buf_grant };

	if (ctr_fsfd(fd) < 0)
		return REAL(ssize_t (*)(int, void *, size_t), getdents64)
			(fd, buf, len);
	if (len > UINT_MAX)
		len = g.len = UINT_MAX & ~7U;
	memset(&m, 0, sizeof(m));
	b->fd = ctr_fsfd(fd);
	b->buf_len = len;
	return FS_RET(ctr_fs_call(FS_GETDENTS, &m, false, &g, 1));
}

/* ---------------------------------------------------------------- */
/* Descriptors                                                       */
/* ---------------------------------------------------------------- */

int dup(int fd)
{
	int fsfd = ctr_fsfd(fd), nfs, nfd;

	if (fsfd < 0)
		return REAL(int (*)(int), dup)(fd);
	nfs = fs_fd_call(FS_DUP, fsfd, 0, 0, 0);
	if (nfs < 0)
		return FS_RET(nfs);
	nfd = ctr_fd_install(nfs, false, ctr_fdmap[fd].pipe);
	return FS_RET(nfd);
}

/* dup3 (@flags >= 0) or dup2 (@flags < 0). */
static int fs_dup3(int fd, int fd2, int flags)
{
	int fsfd = ctr_fsfd(fd), nfs = -1, ret;
	bool pipe = fsfd >= 0 && ctr_fdmap[fd].pipe;

	if (fd == fd2) {
		if (flags >= 0) {
			errno = EINVAL;
			return -1;
		}
		return fcntl(fd, F_GETFD) < 0 ? -1 : fd2;
	}
	if (fd2 < 0 || (fsfd >= 0 && fd2 >= CTR_NFD)) {
		errno = EBADF;
		return -1;
	}
	if (fsfd >= 0) {
		nfs = fs_fd_call(FS_DUP, fsfd, 0, 0, 0);
		if (nfs < 0)
			return FS_RET(nfs);
		if (flags >= 0 && (flags & O_CLOEXEC))
			fs_fd_call(FS_FCNTL, nfs, 0, MOL_F_SETFD,
				   MOL_FD_CLOEXEC);
	}
	ret = syscall(SYS_dup3, fd, fd2, flags < 0 ? 0 : flags);
	if (ret < 0) {
		ret = -errno;
		if (nfs >= 0)
			fs_fd_call(FS_CLOSE, nfs, 0, 0, 0);
		return FS_RET(ret);
	}
	if (fd2 < CTR_NFD) {
		if (ctr_fdmap[fd2].fs)
			fd_drop(fd2);
		ctr_fdmap[fd2].fs = nfs + 1;
		ctr_fdmap[fd2].pipe = pipe;
		if (fd2 <= 2)
			ctr_std_sync(fd2);
	}
	return fd2;
}

int dup2(int fd, int fd2)
{
	if (fd != fd2 && ctr_vacate_fd(fd2) < 0)
		return -1;
	if (!ctr_fs_on || ctr_inlib)
		return REAL(int (*)(int, int), dup2)(fd, fd2);
	return fs_dup3(fd, fd2, -1);
}

int dup3(int fd, int fd2, int flags)
{
	if (fd != fd2 && ctr_vacate_fd(fd2) < 0)
		return -1;
	if (!ctr_fs_on || ctr_inlib)
		return REAL(int (*)(int, int, int), dup3)(fd, fd2, flags);
	if (flags & ~O_CLOEXEC) {
		errno = EINVAL;
		return -1;
	}
	return fs_dup3(fd, fd2, flags);
}

static int fs_fcntl(int fd, int cmd, long arg)
{
	int fsfd = ctr_fsfd(fd), nfd, nfs;
	struct flock *fl;

	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		nfd = syscall(SYS_fcntl, fd, cmd, arg);
		if (nfd < 0)
			return -1;
		if (nfd >= CTR_NFD) {
			syscall(SYS_close, nfd);
			errno = EMFILE;
			return -1;
		}
		nfs = fs_fd_call(FS_DUP, fsfd, 0, 0, 0);
		if (nfs < 0) {
			syscall(SYS_close, nfd);
			return FS_RET(nfs);
		}
		if (cmd == F_DUPFD_CLOEXEC)
			fs_fd_call(FS_FCNTL, nfs, 0, MOL_F_SETFD,
				   MOL_FD_CLOEXEC);
		if (ctr_fdmap[nfd].fs)
			fd_drop(nfd);
		ctr_fdmap[nfd].fs = nfs + 1;
		ctr_fdmap[nfd].pipe = ctr_fdmap[fd].pipe;
		if (nfd <= 2)
			ctr_std_sync(nfd);
		return nfd;
	case F_GETFD:
		return syscall(SYS_fcntl, fd, cmd, 0);
	case F_SETFD:
		if (syscall(SYS_fcntl, fd, cmd, arg) < 0)
			return -1;
		return FS_RET(fs_fd_call(FS_FCNTL, fsfd, 0, MOL_F_SETFD,
					 arg & FD_CLOEXEC ? MOL_FD_CLOEXEC : 0));
	case F_GETFL:
	case F_SETFL:
		return FS_RET(fs_fd_call(FS_FCNTL, fsfd, 0, cmd, arg));
	case F_GETLK:
	case F_OFD_GETLK:
		if (ctr_fs_opath(fsfd))
			break;
		/* No record locks in MoL's FS yet: nobody holds one. */
		fl = (struct flock *)arg;
		if (!fl) {
			errno = EFAULT;
			return -1;
		}
		fl->l_type = F_UNLCK;
		return 0;
	case F_SETLK:
	case F_SETLKW:
	case F_OFD_SETLK:
	case F_OFD_SETLKW:
		if (ctr_fs_opath(fsfd))
			break;
		return 0;
	default:
		errno = EINVAL;
		return -1;
	}
	errno = EBADF;		/* a lock on an O_PATH descriptor */
	return -1;
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, int, ...), fcntl)(fd, cmd, arg);
	return fs_fcntl(fd, cmd, arg);
}

int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, int, ...), fcntl64)(fd, cmd, arg);
	return fs_fcntl(fd, cmd, arg);
}

int pipe2(int fds[2], int flags)
{
	struct mol_message m;
	struct mol_fs_pipe *b = MOL_BODY(&m, struct mol_fs_pipe);
	bool cloexec = flags & O_CLOEXEC;
	long ret;
	int r, w;

	if (!ctr_fs_on || ctr_inlib)
		return REAL(int (*)(int *, int), pipe2)(fds, flags);
	if (ctr_isnull(fds)) {
		errno = EFAULT;
		return -1;
	}
	if (flags & ~(O_CLOEXEC | O_NONBLOCK)) {
		errno = EINVAL;
		return -1;
	}
	memset(&m, 0, sizeof(m));
	b->flags = flags;
	ret = ctr_fs_call(FS_PIPE, &m, false, NULL, 0);
	if (ret < 0)
		return FS_RET(ret);
	w = b->fds[1];
	r = ctr_fd_install(b->fds[0], cloexec, true);
	if (r < 0) {
		fs_fd_call(FS_CLOSE, w, 0, 0, 0);
		return FS_RET(r);
	}
	w = ctr_fd_install(w, cloexec, true);
	if (w < 0) {
		ctr_fs_close(r);
		return FS_RET(w);
	}
	fds[0] = r;
	fds[1] = w;
	return 0;
}

int pipe(int fds[2])
{
	if (!ctr_fs_on || ctr_inlib)
		return REAL(int (*)(int *), pipe)(fds);
	return pipe2(fds, 0);
}

int isatty(int fd)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int), isatty)(fd);
	return ctr_tty_isatty(fd);	/* FS: EBADF on an O_PATH descriptor */
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, unsigned long, ...), ioctl)(fd, req,
								    arg);
	/* The requests answered here: EBADF on O_PATH, as FS does. */
	if ((req == FIONBIO || req == FIOCLEX || req == FIONCLEX) &&
	    ctr_fs_opath(ctr_fsfd(fd))) {
		errno = EBADF;
		return -1;
	}
	return ctr_tty_ioctl(fd, req, arg);
}

int posix_fadvise(int fd, off_t off, off_t len, int advice)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, off_t, off_t, int), posix_fadvise)
			(fd, off, len, advice);
	if (ctr_fs_opath(ctr_fsfd(fd)))
		return EBADF;
	return advice < 0 || advice > POSIX_FADV_NOREUSE ? EINVAL : 0;
}

int posix_fadvise64(int fd, off_t off, off_t len, int advice)
{
	return posix_fadvise(fd, off, len, advice);
}

ssize_t copy_file_range(int in, loff_t *inoff, int out, loff_t *outoff,
			size_t len, unsigned int flags)
{
	if (ctr_fsfd(in) < 0 && ctr_fsfd(out) < 0)
		return REAL(ssize_t (*)(int, loff_t *, int, loff_t *, size_t,
					unsigned int), copy_file_range)
			(in, inoff, out, outoff, len, flags);
	errno = EXDEV;	/* as between two Linux file systems: copy by hand */
	return -1;
}

/* closefrom/close_range: FS files in the range are closed in FS too. */
static void fs_close_range(unsigned int lo, unsigned int hi)
{
	unsigned int fd;

	for (fd = lo; fd < CTR_NFD && fd <= hi; fd++)
		if (ctr_fdmap[fd].fs && fd != (unsigned int)ctr.mol.fd)
			ctr_fs_close(fd);
}

/*
 * The host side of close_range: around the bound descriptor, which is
 * the process's identity (a program closing "everything above 2" must
 * not close it; close() refuses it the same way).
 */
static int host_close_range(unsigned int lo, unsigned int hi, int flags)
{
	int (*real)(unsigned int, unsigned int, int) =
		REAL(int (*)(unsigned int, unsigned int, int), close_range);
	unsigned int mine = (unsigned int)ctr.mol.fd;

	if (!ctr.active || ctr_inlib || ctr.mol.fd < 0 || mine < lo ||
	    mine > hi || (flags & CLOSE_RANGE_CLOEXEC))
		return real(lo, hi, flags);
	if (mine > lo && real(lo, mine - 1, flags) < 0)
		return -1;
	if (mine < hi)
		return real(mine + 1, hi, flags);
	return 0;
}

void closefrom(int lo)
{
	if (ctr_fs_on && !ctr_inlib && lo >= 0)
		fs_close_range(lo, ~0U);
	if (!ctr.active) {
		REAL(void (*)(int), closefrom)(lo);
		return;
	}
	host_close_range(lo < 0 ? 0 : lo, ~0U, 0);
}

int close_range(unsigned int lo, unsigned int hi, int flags)
{
	if (ctr_fs_on && !ctr_inlib && !flags)
		fs_close_range(lo, hi);
	return host_close_range(lo, hi, flags);
}

/* ---------------------------------------------------------------- */
/* Start-up and exec                                                 */
/* ---------------------------------------------------------------- */

/* MOL_CONTAINER_FDS=host:fs[p],... for the descriptors exec keeps. */
char *ctr_fs_exec_env(void)
{
	static char *spec;
	size_t len = sizeof(CTR_ENV_FDS) + 1, n;
	int fd;

	free(spec);
	for (fd = 0; fd < CTR_NFD; fd++)
		if (ctr_fdmap[fd].fs)
			len += 24;
	spec = malloc(len);
	if (!spec)
		return NULL;
	n = snprintf(spec, len, CTR_ENV_FDS "=");
	for (fd = 0; fd < CTR_NFD; fd++) {
		int fl;

		if (!ctr_fdmap[fd].fs)
			continue;
		fl = syscall(SYS_fcntl, fd, F_GETFD, 0);
		if (fl < 0 || (fl & FD_CLOEXEC))
			continue;
		n += snprintf(spec + n, len - n, "%s%d:%d%s",
			      spec[n - 1] == '=' ? "" : ",", fd,
			      ctr_fdmap[fd].fs - 1,
			      ctr_fdmap[fd].pipe ? "p" : "");
	}
	if (ctr_fs_trace)
		fprintf(stderr, "[mol fs %d] exec with %s\n",
			(int)syscall(SYS_getpid), spec);
	return spec;
}

/* After exec: take over the descriptors the old image passed. */
static void fs_adopt(const char *spec)
{
	const char *p = spec;
	int fd, fsfd, n;

	while (*p) {
		if (sscanf(p, "%d:%d%n", &fd, &fsfd, &n) != 2 || fd < 0 ||
		    fd >= CTR_NFD || fsfd < 0 || fsfd >= MOL_FS_OPEN_MAX)
			ctr_die("bad " CTR_ENV_FDS " \"%s\"", spec);
		p += n;
		if (syscall(SYS_fcntl, fd, F_GETFD, 0) >= 0) {
			ctr_fdmap[fd].fs = fsfd + 1;
			ctr_fdmap[fd].pipe = *p == 'p';
		}
		if (*p == 'p')
			p++;
		if (*p == ',')
			p++;
	}
}

/*
 * MOL_FS=1: paths and files are the MINIX tree's.  MOL_FS=init (init
 * only): init's own files (its control socket) are the host's; the
 * children it forks are MINIX programs with MOL_FS=1.
 */
static bool fs_init_mode;

void ctr_fs_after_fork(void)
{
	char **e;

	if (!fs_init_mode)
		return;
	fs_init_mode = false;
	for (e = ctr.saved_env; *e; e++)
		if (!strcmp(*e, "MOL_FS=init"))
			*e = "MOL_FS=1";
	setenv("MOL_FS", "1", 1);
	ctr_fs_on = true;
	ctr_stdio_init();
}

void ctr_fs_init(void)
{
	const char *on = getenv("MOL_FS");
	const char *fds = getenv(CTR_ENV_FDS);

	if (!on)
		return;
	ctr_fs_trace = getenv("LIBMOL_FS_TRACE") != NULL;
	if (!strcmp(on, "init")) {
		fs_init_mode = true;
		return;
	}
	if (strcmp(on, "1"))
		return;
	ctr_fs_on = true;
	if (fds) {
		char *copy = strdup(fds);

		unsetenv(CTR_ENV_FDS);
		if (!copy)
			ctr_die("out of memory");
		fs_adopt(copy);
		free(copy);
	}
	ctr_stdio_init();
}

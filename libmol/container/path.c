// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * path.c - the container's path calls with a file server (MOL_FS=1):
 * open, stat, access, mkdir, unlink, rename, link, symlink, readlink,
 * chdir, getcwd, chmod, chown, utimes, truncate, umask, sync, statvfs,
 * mknod and exec's path resolution.  Paths are the MINIX tree's: each
 * goes to MOL_FS through a grant (the caller's string, read-only), as
 * the file-system protocol (<linux/molfscalls.h>) says.
 *
 * The host's program directories are in the tree as FS mounts them
 * (read-only, served by molhostfs): every lookup goes to FS.  The one
 * exception is /proc: a read-only lookup under /proc that FS answers
 * ENOENT goes to the host's, which describes this Linux process (its
 * maps, its exe, /proc/self/fd that fexecve uses) and the machine.
 *
 * exec asks FS where the program lives (FS_EXEC_LOCATE): a file on a
 * host pass-through mount is executed directly from its host path; one
 * in a MINIX file system is copied into a sealed memfd and executed from
 * it.  Either way with the container preloaded again.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#include "file.h"

/* May a read-only lookup of @path fall back to the host?  /proc only. */
bool ctr_proc_path(const char *path)
{
	return path && !strncmp(path, "/proc", 5) &&
	       (path[5] == '/' || path[5] == '\0');
}

/* Is the path call for the host?  (libmol itself, no FS.) */
#define HOST_CALL()	(!ctr_fs_on || ctr_inlib)

/* Fill a path grant: 0, or -EFAULT / -ENAMETOOLONG. */
static int path_grant(struct ctr_grant *g, const char *path, __s32 *id,
		      __u32 *len)
{
	size_t n;

	if (ctr_isnull(path))
		return -EFAULT;
	n = strnlen(path, MOL_FS_PATH_MAX);
	if (n >= MOL_FS_PATH_MAX)
		return -ENAMETOOLONG;
	g->addr = path;
	g->len = n + 1;
	g->access = MOL_GRANT_READ;
	g->id = id;
	*len = n;
	return 0;
}

/*
 * A call with struct mol_fs_path: @dirfd (an FS descriptor or
 * MOL_AT_FDCWD), @path, and optionally an output/input buffer.
 */
static long fs_path_call(int nr, int dirfd, const char *path,
			 unsigned int flags, unsigned int mode,
			 unsigned int dev, void *buf, size_t buf_len,
			 unsigned int buf_access)
{
	struct mol_message m;
	struct mol_fs_path *b = MOL_BODY(&m, struct mol_fs_path);
	struct ctr_grant g[2];
	int ret;

	memset(&m, 0, sizeof(m));
	ret = path_grant(&g[0], path, &b->path_grant, &b->path_len);
	if (ret)
		return ret;
	b->dirfd = dirfd;
	b->flags = flags;
	b->mode = mode;
	b->dev = dev;
	if (buf) {
		g[1].addr = buf;
		g[1].len = buf_len;
		g[1].access = buf_access;
		g[1].id = &b->buf_grant;
		b->buf_len = buf_len;
	}
	return ctr_fs_call(nr, &m, false, g, buf ? 2 : 1);
}

/* Two paths: FS_RENAME, FS_LINK, FS_SYMLINK. */
static long fs_path2_call(int nr, int olddir, const char *old, int newdir,
			  const char *new, unsigned int flags)
{
	struct mol_message m;
	struct mol_fs_path2 *b = MOL_BODY(&m, struct mol_fs_path2);
	struct ctr_grant g[2];
	int ret;

	memset(&m, 0, sizeof(m));
	ret = path_grant(&g[0], old, &b->old_grant, &b->old_len);
	if (!ret)
		ret = path_grant(&g[1], new, &b->new_grant, &b->new_len);
	if (ret)
		return ret;
	b->olddirfd = olddir;
	b->newdirfd = newdir;
	b->flags = flags;
	return ctr_fs_call(nr, &m, false, g, 2);
}

/* ---------------------------------------------------------------- */
/* open                                                              */
/* ---------------------------------------------------------------- */

/* open through FS; the host's for a /proc path FS lacks. */
int ctr_fs_open(int dirfd, const char *path, int flags, mode_t mode)
{
	struct mol_message m;
	struct mol_fs_open *b = MOL_BODY(&m, struct mol_fs_open);
	struct ctr_grant g;
	int fsdir, ret;

	if (ctr_fd_dirfd(dirfd, path, &fsdir))
		return syscall(SYS_openat, dirfd, path, flags, mode);
	memset(&m, 0, sizeof(m));
	ret = path_grant(&g, path, &b->path_grant, &b->path_len);
	if (ret)
		return FS_RET(ret);
	b->dirfd = fsdir;
	b->flags = flags & ~O_LARGEFILE;
	b->mode = flags & (O_CREAT | __O_TMPFILE) ? mode & 07777 : 0;
	ret = ctr_fs_call(FS_OPEN, &m, false, &g, 1);
	if (ret == -ENOENT && (flags & O_ACCMODE) == O_RDONLY &&
	    !(flags & O_CREAT) && ctr_proc_path(path))
		return syscall(SYS_openat, AT_FDCWD, path, flags, mode);
	if (ret < 0)
		return FS_RET(ret);
	/* calls on a character device (a terminal) or a FIFO may block */
	return FS_RET(ctr_fd_install(ret, flags & O_CLOEXEC,
				     S_ISCHR(b->mode) || S_ISFIFO(b->mode)));
}

static mode_t va_mode(int flags, va_list ap)
{
	return flags & (O_CREAT | __O_TMPFILE) ? va_arg(ap, mode_t) : 0;
}

#define OPEN_BODY(real, dirfd)						\
	do {								\
		va_list ap;						\
		mode_t mode;						\
		va_start(ap, flags);					\
		mode = va_mode(flags, ap);				\
		va_end(ap);						\
		if (HOST_CALL())					\
			return real;					\
		return ctr_fs_open(dirfd, path, flags, mode);		\
	} while (0)

int open(const char *path, int flags, ...)
{
	OPEN_BODY(REAL(int (*)(const char *, int, ...), open)(path, flags,
							      mode),
		  AT_FDCWD);
}

int open64(const char *path, int flags, ...)
{
	OPEN_BODY(REAL(int (*)(const char *, int, ...), open64)(path, flags,
								mode),
		  AT_FDCWD);
}

int __open_2(const char *path, int flags)
{
	if (HOST_CALL())
		return REAL(int (*)(const char *, int), __open_2)(path, flags);
	return ctr_fs_open(AT_FDCWD, path, flags, 0);
}

int __open64_2(const char *path, int flags)
{
	if (HOST_CALL())
		return REAL(int (*)(const char *, int), __open64_2)(path,
								    flags);
	return ctr_fs_open(AT_FDCWD, path, flags, 0);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	OPEN_BODY(REAL(int (*)(int, const char *, int, ...), openat)
		  (dirfd, path, flags, mode), dirfd);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	OPEN_BODY(REAL(int (*)(int, const char *, int, ...), openat64)
		  (dirfd, path, flags, mode), dirfd);
}

int __openat_2(int dirfd, const char *path, int flags)
{
	if (HOST_CALL())
		return REAL(int (*)(int, const char *, int), __openat_2)
			(dirfd, path, flags);
	return ctr_fs_open(dirfd, path, flags, 0);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
	if (HOST_CALL())
		return REAL(int (*)(int, const char *, int), __openat64_2)
			(dirfd, path, flags);
	return ctr_fs_open(dirfd, path, flags, 0);
}

int creat(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int creat64(const char *path, mode_t mode)
{
	return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

/* ---------------------------------------------------------------- */
/* stat and access                                                   */
/* ---------------------------------------------------------------- */

static int fs_fstatat(int dirfd, const char *path, struct stat *st,
		      int flags)
{
	struct mol_stat ms;
	int fsdir, fsfd;
	long ret;

	if (HOST_CALL() || ctr_fd_dirfd(dirfd, path, &fsdir))
		return syscall(SYS_newfstatat, dirfd, path, st, flags);
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT)) {
		errno = EINVAL;
		return -1;
	}
	if (ctr_isnull(st)) {
		errno = EFAULT;
		return -1;
	}
	if ((flags & AT_EMPTY_PATH) && path && !*path) {
		if (dirfd == AT_FDCWD)
			return fs_fstatat(dirfd, ".", st, 0);
		fsfd = ctr_fsfd(dirfd);
		if (fsfd < 0)
			return syscall(SYS_newfstatat, dirfd, path, st, flags);
		return FS_RET(ctr_fs_fstat(fsfd, st));
	}
	ret = fs_path_call(FS_STAT, fsdir, path,
			   flags & AT_SYMLINK_NOFOLLOW ?
			   MOL_AT_SYMLINK_NOFOLLOW : 0, 0, 0, &ms, sizeof(ms),
			   MOL_GRANT_WRITE);
	if (ret == -ENOENT && ctr_proc_path(path))
		return syscall(SYS_newfstatat, AT_FDCWD, path, st,
			       flags & AT_SYMLINK_NOFOLLOW);
	if (ret < 0)
		return FS_RET(ret);
	ctr_stat_from(st, &ms);
	return 0;
}

int stat(const char *path, struct stat *st)
{
	return fs_fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return fs_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return fs_fstatat(dirfd, path, st, flags);
}

int stat64(const char *path, struct stat64 *st)
{
	return fs_fstatat(AT_FDCWD, path, (struct stat *)st, 0);
}

int lstat64(const char *path, struct stat64 *st)
{
	return fs_fstatat(AT_FDCWD, path, (struct stat *)st,
			  AT_SYMLINK_NOFOLLOW);
}

int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	return fs_fstatat(dirfd, path, (struct stat *)st, flags);
}

int __xstat(int ver, const char *path, struct stat *st)
{
	return fs_fstatat(AT_FDCWD, path, st, 0);
}

int __xstat64(int ver, const char *path, struct stat64 *st)
{
	return fs_fstatat(AT_FDCWD, path, (struct stat *)st, 0);
}

int __lxstat(int ver, const char *path, struct stat *st)
{
	return fs_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	return fs_fstatat(AT_FDCWD, path, (struct stat *)st,
			  AT_SYMLINK_NOFOLLOW);
}

int __fxstatat(int ver, int dirfd, const char *path, struct stat *st,
	       int flags)
{
	return fs_fstatat(dirfd, path, st, flags);
}

int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st,
		 int flags)
{
	return fs_fstatat(dirfd, path, (struct stat *)st, flags);
}

int statx(int dirfd, const char *path, int flags, unsigned int mask,
	  struct statx *stx)
{
	struct stat st;
	int ret, fsdir;

	if (HOST_CALL() || ctr_fd_dirfd(dirfd, path, &fsdir))
		return REAL(int (*)(int, const char *, int, unsigned int,
				    struct statx *), statx)
			(dirfd, path, flags, mask, stx);
	if (ctr_isnull(stx)) {
		errno = EFAULT;
		return -1;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_TYPE)) {
		errno = EINVAL;
		return -1;
	}
	ret = fs_fstatat(dirfd, path, &st,
			 flags & (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH));
	if (ret < 0)
		return ret;
	memset(stx, 0, sizeof(*stx));
	stx->stx_mask = STATX_BASIC_STATS;
	stx->stx_blksize = st.st_blksize;
	stx->stx_nlink = st.st_nlink;
	stx->stx_uid = st.st_uid;
	stx->stx_gid = st.st_gid;
	stx->stx_mode = st.st_mode;
	stx->stx_ino = st.st_ino;
	stx->stx_size = st.st_size;
	stx->stx_blocks = st.st_blocks;
	stx->stx_atime.tv_sec = st.st_atim.tv_sec;
	stx->stx_atime.tv_nsec = st.st_atim.tv_nsec;
	stx->stx_mtime.tv_sec = st.st_mtim.tv_sec;
	stx->stx_mtime.tv_nsec = st.st_mtim.tv_nsec;
	stx->stx_ctime.tv_sec = st.st_ctim.tv_sec;
	stx->stx_ctime.tv_nsec = st.st_ctim.tv_nsec;
	stx->stx_rdev_major = major(st.st_rdev);
	stx->stx_rdev_minor = minor(st.st_rdev);
	stx->stx_dev_major = major(st.st_dev);
	stx->stx_dev_minor = minor(st.st_dev);
	return 0;
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	int fsdir;
	long ret;

	if (HOST_CALL() || ctr_fd_dirfd(dirfd, path, &fsdir))
		return REAL(int (*)(int, const char *, int, int), faccessat)
			(dirfd, path, mode, flags);
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW) ||
	    mode & ~(R_OK | W_OK | X_OK)) {
		errno = EINVAL;
		return -1;
	}
	ret = fs_path_call(FS_ACCESS, fsdir, path, flags, mode, 0, NULL, 0,
			   0);
	if (ret == -ENOENT && !(mode & W_OK) && ctr_proc_path(path))
		return REAL(int (*)(int, const char *, int, int), faccessat)
			(AT_FDCWD, path, mode, flags);
	return FS_RET(ret);
}

int access(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, 0);
}

int euidaccess(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

int eaccess(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

/* ---------------------------------------------------------------- */
/* Directories and names                                             */
/* ---------------------------------------------------------------- */

/* The common shape: host if HOST_CALL or a host dirfd, else FS. */
#define AT_CALL(real, dirfd, path, fscall)				\
	do {								\
		int fsdir;						\
		if (HOST_CALL() || ctr_fd_dirfd(dirfd, path, &fsdir))	\
			return real;					\
		return FS_RET(fscall);					\
	} while (0)

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	AT_CALL(REAL(int (*)(int, const char *, mode_t), mkdirat)(dirfd, path,
								  mode),
		dirfd, path,
		fs_path_call(FS_MKDIR, fsdir, path, 0, mode & 07777, 0, NULL,
			     0, 0));
}

int mkdir(const char *path, mode_t mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

int unlinkat(int dirfd, const char *path, int flags)
{
	if (flags & ~AT_REMOVEDIR) {
		errno = EINVAL;
		return -1;
	}
	AT_CALL(REAL(int (*)(int, const char *, int), unlinkat)(dirfd, path,
								flags),
		dirfd, path,
		fs_path_call(FS_UNLINK, fsdir, path,
			     flags ? MOL_AT_REMOVEDIR : 0, 0, 0, NULL, 0, 0));
}

int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

/* remove(3): glibc's calls its internal unlink and rmdir. */
int remove(const char *path)
{
	if (HOST_CALL())
		return REAL(int (*)(const char *), remove)(path);
	if (unlinkat(AT_FDCWD, path, 0) == 0)
		return 0;
	if (errno != EISDIR)
		return -1;
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

static int fs_renameat(int od, const char *old, int nd, const char *new,
		       unsigned int flags)
{
	int ofs, nfs;

	if (HOST_CALL() || ctr_fd_dirfd(od, old, &ofs) ||
	    ctr_fd_dirfd(nd, new, &nfs))
		return REAL(int (*)(int, const char *, int, const char *,
				    unsigned int), renameat2)
			(od, old, nd, new, flags);
	if (flags) {
		errno = EINVAL;	/* RENAME_NOREPLACE etc.: not in MoL's FS */
		return -1;
	}
	return FS_RET(fs_path2_call(FS_RENAME, ofs, old, nfs, new, 0));
}

int renameat2(int od, const char *old, int nd, const char *new,
	      unsigned int flags)
{
	return fs_renameat(od, old, nd, new, flags);
}

int renameat(int od, const char *old, int nd, const char *new)
{
	return fs_renameat(od, old, nd, new, 0);
}

int rename(const char *old, const char *new)
{
	return fs_renameat(AT_FDCWD, old, AT_FDCWD, new, 0);
}

int linkat(int od, const char *old, int nd, const char *new, int flags)
{
	int ofs, nfs;

	if (HOST_CALL() || ctr_fd_dirfd(od, old, &ofs) ||
	    ctr_fd_dirfd(nd, new, &nfs))
		return REAL(int (*)(int, const char *, int, const char *, int),
			    linkat)(od, old, nd, new, flags);
	if (flags & ~AT_SYMLINK_FOLLOW) {
		errno = EINVAL;
		return -1;
	}
	return FS_RET(fs_path2_call(FS_LINK, ofs, old, nfs, new,
				    flags ? MOL_AT_SYMLINK_FOLLOW : 0));
}

int link(const char *old, const char *new)
{
	return linkat(AT_FDCWD, old, AT_FDCWD, new, 0);
}

int symlinkat(const char *target, int nd, const char *new)
{
	int nfs;

	if (HOST_CALL() || ctr_fd_dirfd(nd, new, &nfs))
		return REAL(int (*)(const char *, int, const char *),
			    symlinkat)(target, nd, new);
	return FS_RET(fs_path2_call(FS_SYMLINK, MOL_AT_FDCWD, target, nfs,
				    new, 0));
}

int symlink(const char *target, const char *new)
{
	return symlinkat(target, AT_FDCWD, new);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	int fsdir;
	long ret;

	if (HOST_CALL() || ctr_fd_dirfd(dirfd, path, &fsdir))
		return REAL(ssize_t (*)(int, const char *, char *, size_t),
			    readlinkat)(dirfd, path, buf, len);
	if (!len) {
		errno = EINVAL;
		return -1;
	}
	if (len > MOL_FS_PATH_MAX)
		len = MOL_FS_PATH_MAX;
	ret = fs_path_call(FS_READLINK, fsdir, path, 0, 0, 0, buf, len,
			   MOL_GRANT_WRITE);
	if (ret == -ENOENT && ctr_proc_path(path))
		return REAL(ssize_t (*)(int, const char *, char *, size_t),
			    readlinkat)(AT_FDCWD, path, buf, len);
	return FS_RET(ret);
}

ssize_t readlink(const char *path, char *buf, size_t len)
{
	return readlinkat(AT_FDCWD, path, buf, len);
}

int chdir(const char *path)
{
	if (HOST_CALL())
		return REAL(int (*)(const char *), chdir)(path);
	return FS_RET(fs_path_call(FS_CHDIR, MOL_AT_FDCWD, path, 0, 0, 0,
				   NULL, 0, 0));
}

char *getcwd(char *buf, size_t size)
{
	struct mol_message m;
	struct mol_fs_buf *b = MOL_BODY(&m, struct mol_fs_buf);
	struct ctr_grant g;
	char *mine = NULL;
	long ret;

	if (HOST_CALL())
		return REAL(char *(*)(char *, size_t), getcwd)(buf, size);
	if (buf && !size) {
		errno = EINVAL;
		return NULL;
	}
	if (!buf) {
		if (!size)
			size = MOL_FS_PATH_MAX;
		buf = mine = malloc(size);
		if (!buf) {
			errno = ENOMEM;
			return NULL;
		}
	}
	memset(&m, 0, sizeof(m));
	b->buf_len = size > MOL_FS_PATH_MAX ? MOL_FS_PATH_MAX : size;
	g.addr = buf;
	g.len = b->buf_len;
	g.access = MOL_GRANT_WRITE;
	g.id = &b->buf_grant;
	ret = ctr_fs_call(FS_GETCWD, &m, false, &g, 1);
	if (ret < 0) {
		free(mine);
		errno = -ret;
		return NULL;
	}
	return buf;
}

char *get_current_dir_name(void)
{
	if (HOST_CALL())
		return REAL(char *(*)(void), get_current_dir_name)();
	return getcwd(NULL, 0);
}

/* ---------------------------------------------------------------- */
/* Attributes                                                        */
/* ---------------------------------------------------------------- */

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	if (flags & ~AT_SYMLINK_NOFOLLOW && !HOST_CALL()) {
		errno = EINVAL;
		return -1;
	}
	AT_CALL(REAL(int (*)(int, const char *, mode_t, int), fchmodat)
		(dirfd, path, mode, flags), dirfd, path,
		fs_path_call(FS_CHMOD, fsdir, path,
			     flags ? MOL_AT_SYMLINK_NOFOLLOW : 0, mode & 07777,
			     0, NULL, 0, 0));
}

int chmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, 0);
}

static long fs_chown(int fsdir, const char *path, uid_t uid, gid_t gid,
		     int flags)
{
	struct mol_message m;
	struct mol_fs_chown *b = MOL_BODY(&m, struct mol_fs_chown);
	struct ctr_grant g;
	int ret;

	memset(&m, 0, sizeof(m));
	ret = path_grant(&g, path, &b->path_grant, &b->path_len);
	if (ret)
		return ret;
	b->dirfd = fsdir;
	b->uid = uid;
	b->gid = gid;
	b->flags = (flags & AT_SYMLINK_NOFOLLOW ? MOL_AT_SYMLINK_NOFOLLOW : 0) |
		   (flags & AT_EMPTY_PATH ? MOL_AT_EMPTY_PATH : 0);
	return ctr_fs_call(FS_CHOWN, &m, false, &g, 1);
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) && !HOST_CALL()) {
		errno = EINVAL;
		return -1;
	}
	AT_CALL(REAL(int (*)(int, const char *, uid_t, gid_t, int), fchownat)
		(dirfd, path, uid, gid, flags), dirfd, path,
		fs_chown(fsdir, path, uid, gid, flags));
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, 0);
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

static long fs_utimens(int fsdir, const char *path,
		       const struct timespec ts[2], int flags)
{
	struct mol_message m;
	struct mol_fs_utimens *b = MOL_BODY(&m, struct mol_fs_utimens);
	struct ctr_grant g;
	int ret;

	memset(&m, 0, sizeof(m));
	ret = path_grant(&g, path, &b->path_grant, &b->path_len);
	if (ret)
		return ret;
	b->dirfd = fsdir;
	b->flags = flags & AT_SYMLINK_NOFOLLOW ? MOL_AT_SYMLINK_NOFOLLOW : 0;
	if (ts) {
		b->atime_sec = ts[0].tv_sec;
		b->atime_nsec = ts[0].tv_nsec;
		b->mtime_sec = ts[1].tv_sec;
		b->mtime_nsec = ts[1].tv_nsec;
	} else {
		b->atime_nsec = MOL_UTIME_NOW;
		b->mtime_nsec = MOL_UTIME_NOW;
	}
	return ctr_fs_call(FS_UTIMENS, &m, false, &g, 1);
}

int utimensat(int dirfd, const char *path, const struct timespec ts[2],
	      int flags)
{
	if (!HOST_CALL() && ctr_isnull(path))
		return futimens(dirfd, ts);	/* Linux's NULL path */
	if (flags & ~AT_SYMLINK_NOFOLLOW && !HOST_CALL()) {
		errno = EINVAL;
		return -1;
	}
	AT_CALL(REAL(int (*)(int, const char *, const struct timespec *, int),
		     utimensat)(dirfd, path, ts, flags), dirfd, path,
		fs_utimens(fsdir, path, ts, flags));
}

static int fs_utimes(const char *path, const struct timeval tv[2],
		     int flags)
{
	struct timespec ts[2];

	if (!tv)
		return utimensat(AT_FDCWD, path, NULL, flags);
	ts[0].tv_sec = tv[0].tv_sec;
	ts[0].tv_nsec = tv[0].tv_usec * 1000;
	ts[1].tv_sec = tv[1].tv_sec;
	ts[1].tv_nsec = tv[1].tv_usec * 1000;
	return utimensat(AT_FDCWD, path, ts, flags);
}

int utimes(const char *path, const struct timeval tv[2])
{
	return fs_utimes(path, tv, 0);
}

int lutimes(const char *path, const struct timeval tv[2])
{
	return fs_utimes(path, tv, AT_SYMLINK_NOFOLLOW);
}

int utime(const char *path, const struct utimbuf *ut)
{
	struct timespec ts[2];

	if (!ut)
		return utimensat(AT_FDCWD, path, NULL, 0);
	ts[0].tv_sec = ut->actime;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = ut->modtime;
	ts[1].tv_nsec = 0;
	return utimensat(AT_FDCWD, path, ts, 0);
}

int truncate(const char *path, off_t len)
{
	struct mol_message m;
	struct mol_fs_trunc *b = MOL_BODY(&m, struct mol_fs_trunc);
	struct ctr_grant g;
	int ret;

	if (HOST_CALL())
		return REAL(int (*)(const char *, off_t), truncate)(path, len);
	memset(&m, 0, sizeof(m));
	ret = path_grant(&g, path, &b->path_grant, &b->path_len);
	if (ret)
		return FS_RET(ret);
	b->dirfd = MOL_AT_FDCWD;
	b->length = len;
	return FS_RET(ctr_fs_call(FS_TRUNCATE, &m, false, &g, 1));
}

int truncate64(const char *path, off_t len)
{
	return truncate(path, len);
}

mode_t umask(mode_t mask)
{
	struct mol_message m;
	long ret;

	/* The host's too: glibc's internal creations (mkstemp...) use it. */
	REAL(mode_t (*)(mode_t), umask)(mask);
	if (HOST_CALL())
		return REAL(mode_t (*)(mode_t), umask)(mask);
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_fs_umask)->mask = mask & 0777;
	ret = ctr_fs_call(FS_UMASK, &m, false, NULL, 0);
	return ret < 0 ? 022 : (mode_t)ret;
}

void sync(void)
{
	struct mol_message m;

	if (HOST_CALL()) {
		REAL(void (*)(void), sync)();
		return;
	}
	memset(&m, 0, sizeof(m));
	ctr_fs_call(FS_SYNC, &m, false, NULL, 0);
}

int statvfs(const char *path, struct statvfs *sv)
{
	long ret;

	if (HOST_CALL())
		return REAL(int (*)(const char *, struct statvfs *), statvfs)
			(path, sv);
	ret = ctr_fs_statvfs(-1, path, sv);
	if (ret == -ENOENT && ctr_proc_path(path))
		return REAL(int (*)(const char *, struct statvfs *), statvfs)
			(path, sv);
	return FS_RET(ret);
}

int statvfs64(const char *path, struct statvfs64 *sv)
{
	return statvfs(path, (struct statvfs *)sv);
}

int statfs(const char *path, struct statfs *sf)
{
	struct statvfs sv;
	long ret;

	if (HOST_CALL())
		return REAL(int (*)(const char *, struct statfs *), statfs)
			(path, sf);
	ret = ctr_fs_statvfs(-1, path, &sv);
	if (ret == -ENOENT && ctr_proc_path(path))
		return REAL(int (*)(const char *, struct statfs *), statfs)
			(path, sf);
	if (ret < 0)
		return FS_RET(ret);
	ctr_statfs_from(sf, &sv);
	return 0;
}

int statfs64(const char *path, struct statfs64 *sf)
{
	return statfs(path, (struct statfs *)sf);
}

int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	AT_CALL(REAL(int (*)(int, const char *, mode_t, dev_t), mknodat)
		(dirfd, path, mode, dev), dirfd, path,
		fs_path_call(FS_MKNOD, fsdir, path, 0, mode,
			     (major(dev) << 8) | (minor(dev) & 0xff), NULL, 0,
			     0));
}

int mknod(const char *path, mode_t mode, dev_t dev)
{
	return mknodat(AT_FDCWD, path, mode, dev);
}

int mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return mknodat(dirfd, path, S_IFIFO | (mode & 07777), 0);
}

int mkfifo(const char *path, mode_t mode)
{
	return mknodat(AT_FDCWD, path, S_IFIFO | (mode & 07777), 0);
}

/* ---------------------------------------------------------------- */
/* exec                                                              */
/* ---------------------------------------------------------------- */

/* Copy FS descriptor (host number) @fd into a sealed memfd. */
static int exec_memfd(int fd, const char *name)
{
	char buf[65536];
	ssize_t n, w;
	int mfd;

	mfd = memfd_create(name, MFD_ALLOW_SEALING);
	if (mfd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (w = 0; w < n; ) {
			ssize_t k = syscall(SYS_write, mfd, buf + w, n - w);

			if (k < 0)
				goto fail;
			w += k;
		}
	}
	if (n < 0)
		goto fail;
	fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
	      F_SEAL_SEAL);
	return mfd;
fail:
	n = errno;
	syscall(SYS_close, mfd);
	errno = n;
	return -1;
}

/*
 * execve with a file server: FS says where the program is (and checks
 * it is a regular file the caller may execute): on a host pass-through
 * mount it runs from its host path, in a MINIX file system from a memfd
 * copy.
 */
int ctr_fs_execve(const char *path, char *const argv[], char *const envp[],
		  int (*real)(const char *, char *const [], char *const []))
{
	char self[64], name[64], host[MOL_FS_PATH_MAX];
	const char *base;
	int fd, mfd, err, n;
	long ret;

	if (ctr_isnull(path)) {
		errno = EFAULT;
		return -1;
	}
	/* fexecve of an FS file */
	if (sscanf(path, "/proc/self/fd/%d%n", &fd, &n) == 1 && !path[n] &&
	    ctr_fsfd(fd) >= 0) {
		fd = dup(fd);
		if (fd < 0)
			return -1;
		if (lseek(fd, 0, SEEK_SET) < 0)
			goto fail_fd;
		goto copy;
	}
	ret = fs_path_call(FS_EXEC_LOCATE, MOL_AT_FDCWD, path, 0, 0, 0, host,
			   sizeof(host), MOL_GRANT_WRITE);
	if (ret == -ENOENT && ctr_proc_path(path))
		return real(path, argv, envp);	/* the host's /proc */
	if (ret < 0)
		return FS_RET(ret);
	if (ret > 0) {
		if (ret >= (long)sizeof(host) || host[ret] != '\0') {
			errno = EIO;
			return -1;
		}
		return real(host, argv, envp);	/* a host program */
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
copy:
	base = strrchr(path, '/');
	snprintf(name, sizeof(name), "mol:%s", base ? base + 1 : path);
	mfd = exec_memfd(fd, name);
	if (mfd < 0)
		goto fail_fd;
	close(fd);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", mfd);
	real(self, argv, envp);
	err = errno;
	syscall(SYS_close, mfd);
	errno = err;
	return -1;
fail_fd:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

/* execvp's search, with each candidate through ctr_fs_execve. */
int ctr_fs_execvpe(const char *file, char *const argv[], char *const envp[])
{
	const char *path = getenv("PATH"), *p, *q;
	char buf[MOL_FS_PATH_MAX];
	bool eacces = false;

	if (!file || !*file) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/'))
		return execve(file, argv, envp);
	if (!path)
		path = "/bin:/usr/bin";
	for (p = path; ; p = q + 1) {
		size_t len;

		q = strchrnul(p, ':');
		len = q - p;
		if (len + strlen(file) + 2 <= sizeof(buf)) {
			snprintf(buf, sizeof(buf), "%.*s%s%s", (int)len, p,
				 len ? "/" : "", file);
			execve(buf, argv, envp);
			if (errno == EACCES)
				eacces = true;
			else if (errno != ENOENT && errno != ENOTDIR &&
				 errno != ESTALE && errno != ENODEV &&
				 errno != ETIMEDOUT)
				return -1;
		}
		if (!*q)
			break;
	}
	errno = eacces ? EACCES : ENOENT;
	return -1;
}

/* ---------------------------------------------------------------- */
/* Extended attributes: MINIX v3 has none                            */
/* ---------------------------------------------------------------- */

/*
 * As Linux on a file system without xattr support: EOPNOTSUPP once the
 * path resolves (ls -l, cp -a and libselinux ask for them).
 */
static long fs_noxattr(const char *path, bool follow)
{
	struct stat st;

	if (fs_fstatat(AT_FDCWD, path, &st, follow ? 0 :
		       AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	errno = EOPNOTSUPP;
	return -1;
}

#define XATTR_PATH(ret, name, follow, params, args)			\
ret name params								\
{									\
	if (HOST_CALL())						\
		return REAL(ret (*) params, name) args;			\
	return fs_noxattr(path, follow);				\
}

#define XATTR_FD(ret, name, params, args)				\
ret name params								\
{									\
	if (ctr_fsfd(fd) < 0)						\
		return REAL(ret (*) params, name) args;			\
	errno = ctr_fs_opath(ctr_fsfd(fd)) ? EBADF : EOPNOTSUPP;	\
	return -1;							\
}

XATTR_PATH(ssize_t, getxattr, true, (const char *path, const char *n,
	   void *v, size_t s), (path, n, v, s))
XATTR_PATH(ssize_t, lgetxattr, false, (const char *path, const char *n,
	   void *v, size_t s), (path, n, v, s))
XATTR_PATH(ssize_t, listxattr, true, (const char *path, char *l, size_t s),
	   (path, l, s))
XATTR_PATH(ssize_t, llistxattr, false, (const char *path, char *l,
	   size_t s), (path, l, s))
XATTR_PATH(int, setxattr, true, (const char *path, const char *n,
	   const void *v, size_t s, int f), (path, n, v, s, f))
XATTR_PATH(int, lsetxattr, false, (const char *path, const char *n,
	   const void *v, size_t s, int f), (path, n, v, s, f))
XATTR_PATH(int, removexattr, true, (const char *path, const char *n),
	   (path, n))
XATTR_PATH(int, lremovexattr, false, (const char *path, const char *n),
	   (path, n))
XATTR_FD(ssize_t, fgetxattr, (int fd, const char *n, void *v, size_t s),
	 (fd, n, v, s))
XATTR_FD(ssize_t, flistxattr, (int fd, char *l, size_t s), (fd, l, s))
XATTR_FD(int, fsetxattr, (int fd, const char *n, const void *v, size_t s,
	 int f), (fd, n, v, s, f))
XATTR_FD(int, fremovexattr, (int fd, const char *n), (fd, n))

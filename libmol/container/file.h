/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * file.h - the container's file side (libmol.so only): with MOL_FS=1
 * the file calls of the program become FS_* messages to MOL_FS
 * (<linux/molfscalls.h>).  Internal to libmol/container.
 *
 * Descriptors: the program sees host descriptor numbers.  An FS file
 * holds a placeholder host descriptor (an O_PATH descriptor of
 * /dev/null), so that FS files and host files (stdin/stdout/stderr from
 * molctl, libmol's socket, what glibc opens internally) never share a
 * number and "lowest free descriptor" stays true; ctr_fdmap[] says
 * which host descriptors stand for which FS descriptor.  See
 * Documentation/architecture.md, "Files".
 */
#ifndef MOL_CONTAINER_FILE_H
#define MOL_CONTAINER_FILE_H

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "container.h"
#include <linux/molfscalls.h>

#define CTR_NFD		1024		/* host descriptors that can map */
#define CTR_ENV_FDS	"MOL_CONTAINER_FDS"

/* ctr_fdmap[hostfd]: 0 = a host file, else FS descriptor + 1 ... */
struct ctr_fd {
	int fs;				/* FS descriptor + 1, 0: host */
	bool pipe;			/* an FS pipe: calls may block */
};

extern struct ctr_fd ctr_fdmap[CTR_NFD] CTR_HIDDEN;

/* The FS descriptor behind host descriptor @fd, or -1. */
static inline int ctr_fsfd(int fd)
{
	if (!ctr_fs_on || ctr_inlib || fd < 0 || fd >= CTR_NFD)
		return -1;
	return ctr_fdmap[fd].fs - 1;
}

/*
 * glibc declares most pointer arguments nonnull, so the compiler would
 * drop a plain NULL check; Linux answers EFAULT, and so do we.
 */
static inline bool ctr_isnull(const void *p)
{
	const void *volatile q = p;

	return !q;
}

/* The real C library function @name of type @type (cached). */
#define REAL(type, name) ({						\
	static __typeof__(type) __ctr_fn;						\
	if (!__ctr_fn)							\
		__ctr_fn = (type)ctr_real(#name);				\
	__ctr_fn; })

/* Set errno from a -errno result; return -1 (or the result). */
static inline long FS_RET(long r)
{
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return r;
}

/* file.c */
long ctr_fs_call(int nr, struct mol_message *m, bool may_block,
		 const struct ctr_grant *g, unsigned int ng) CTR_HIDDEN;
bool ctr_fs_opath(int fsfd) CTR_HIDDEN;
int ctr_fd_install(int fsfd, bool cloexec, bool pipe) CTR_HIDDEN;
int ctr_fd_dirfd(int dirfd, const char *path, int *fsdir) CTR_HIDDEN;
ssize_t ctr_fs_read(int fd, void *buf, size_t len) CTR_HIDDEN;
ssize_t ctr_fs_write(int fd, const void *buf, size_t len) CTR_HIDDEN;
off_t ctr_fs_lseek(int fd, off_t off, int whence) CTR_HIDDEN;
int ctr_fs_fstat(int fsfd, struct stat *st) CTR_HIDDEN;
void ctr_stat_from(struct stat *st, const struct mol_stat *ms) CTR_HIDDEN;
struct statvfs;
struct statfs;
long ctr_fs_statvfs(int fsfd, const char *path, struct statvfs *sv)
	CTR_HIDDEN;
void ctr_statfs_from(struct statfs *sf, const struct statvfs *sv)
	CTR_HIDDEN;

/* path.c */
int ctr_fs_open(int dirfd, const char *path, int flags, mode_t mode)
	CTR_HIDDEN;
bool ctr_proc_path(const char *path) CTR_HIDDEN;

/* tty.c */
int ctr_tty_ioctl(int fd, unsigned long req, void *arg) CTR_HIDDEN;
int ctr_tty_isatty(int fd) CTR_HIDDEN;

/* stdio.c */
void ctr_std_sync(int fd) CTR_HIDDEN;
void ctr_stdio_init(void) CTR_HIDDEN;

#endif /* MOL_CONTAINER_FILE_H */

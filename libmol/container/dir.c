// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dir.c - directory streams over FS (MOL_FS=1): opendir, fdopendir,
 * readdir, readdir64, readdir_r, closedir, rewinddir, telldir, seekdir,
 * dirfd and scandir, on FS_GETDENTS.  A DIR of ours is a struct ctr_dir
 * (registered in a list, so glibc's own DIRs of host directories pass
 * through); readdir returns the linux_dirent64 records FS wrote, which
 * have struct dirent's layout on 64-bit Linux.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

#define DIR_BUF		32768

struct ctr_dir {
	struct ctr_dir *next;
	int fd;
	size_t pos, len;
	long off;			/* telldir: d_off of the last entry */
	char buf[DIR_BUF] __attribute__((aligned(8)));
};

_Static_assert(offsetof(struct dirent, d_name) ==
	       offsetof(struct mol_dirent64, d_name), "dirent layout");
_Static_assert(sizeof(struct dirent) == sizeof(struct dirent64),
	       "dirent is dirent64");

static struct ctr_dir *dirs;
static pthread_mutex_t dirs_lock = PTHREAD_MUTEX_INITIALIZER;

static struct ctr_dir *dir_mine(void *d)
{
	struct ctr_dir *p;

	if (!ctr_fs_on || !d)
		return NULL;
	pthread_mutex_lock(&dirs_lock);
	for (p = dirs; p && p != d; p = p->next)
		;
	pthread_mutex_unlock(&dirs_lock);
	return p;
}

/* A stream on FS descriptor (host number) @fd, which it then owns. */
static DIR *dir_new(int fd)
{
	struct ctr_dir *d;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->fd = fd;
	pthread_mutex_lock(&dirs_lock);
	d->next = dirs;
	dirs = d;
	pthread_mutex_unlock(&dirs_lock);
	return (DIR *)d;
}

DIR *opendir(const char *path)
{
	DIR *d;
	int fd, err;

	if (!ctr_fs_on || ctr_inlib)
		return REAL(DIR *(*)(const char *), opendir)(path);
	fd = ctr_fs_open(AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC,
			 0);
	if (fd < 0)
		return NULL;
	if (ctr_fsfd(fd) < 0)	/* a host program directory */
		d = REAL(DIR *(*)(int), fdopendir)(fd);
	else
		d = dir_new(fd);
	if (!d) {
		err = errno;
		close(fd);
		errno = err;
	}
	return d;
}

DIR *fdopendir(int fd)
{
	int fl;

	if (ctr_fsfd(fd) < 0)
		return REAL(DIR *(*)(int), fdopendir)(fd);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return NULL;
	if ((fl & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return NULL;
	}
	return dir_new(fd);
}

static struct dirent *dir_read(struct ctr_dir *d)
{
	struct dirent *e;
	ssize_t n;

	if (d->pos >= d->len) {
		n = getdents64(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;	/* errno set, or the end */
		d->len = n;
		d->pos = 0;
	}
	e = (struct dirent *)(d->buf + d->pos);
	d->pos += e->d_reclen;
	d->off = e->d_off;
	return e;
}

struct dirent *readdir(DIR *dir)
{
	struct ctr_dir *d = dir_mine(dir);

	if (!d)
		return REAL(struct dirent *(*)(DIR *), readdir)(dir);
	return dir_read(d);
}

struct dirent64 *readdir64(DIR *dir)
{
	struct ctr_dir *d = dir_mine(dir);

	if (!d)
		return REAL(struct dirent64 *(*)(DIR *), readdir64)(dir);
	return (struct dirent64 *)dir_read(d);
}

/* readdir_r is deprecated, but programs still call it. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

int readdir_r(DIR *dir, struct dirent *ent, struct dirent **res)
{
	struct ctr_dir *d = dir_mine(dir);
	struct dirent *e;
	int err = errno;

	if (!d)
		return REAL(int (*)(DIR *, struct dirent *, struct dirent **),
			    readdir_r)(dir, ent, res);
	errno = 0;
	e = dir_read(d);
	if (!e) {
		*res = NULL;
		e = (struct dirent *)(long)errno;
		errno = err;
		return (int)(long)e;
	}
	memcpy(ent, e, e->d_reclen < sizeof(*ent) ? e->d_reclen :
	       sizeof(*ent));
	*res = ent;
	errno = err;
	return 0;
}

int readdir64_r(DIR *dir, struct dirent64 *ent, struct dirent64 **res)
{
	return readdir_r(dir, (struct dirent *)ent, (struct dirent **)res);
}

int closedir(DIR *dir)
{
	struct ctr_dir *d = dir_mine(dir), **pp;
	int ret;

	if (!d)
		return REAL(int (*)(DIR *), closedir)(dir);
	pthread_mutex_lock(&dirs_lock);
	for (pp = &dirs; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	pthread_mutex_unlock(&dirs_lock);
	ret = close(d->fd);
	free(d);
	return ret;
}

int dirfd(DIR *dir)
{
	struct ctr_dir *d = dir_mine(dir);

	if (!d)
		return REAL(int (*)(DIR *), dirfd)(dir);
	return d->fd;
}

void seekdir(DIR *dir, long off)
{
	struct ctr_dir *d = dir_mine(dir);

	if (!d) {
		REAL(void (*)(DIR *, long), seekdir)(dir, off);
		return;
	}
	if (lseek(d->fd, off, SEEK_SET) < 0)
		return;
	d->pos = d->len = 0;
	d->off = off;
}

long telldir(DIR *dir)
{
	struct ctr_dir *d = dir_mine(dir);

	if (!d)
		return REAL(long (*)(DIR *), telldir)(dir);
	return d->off;
}

void rewinddir(DIR *dir)
{
	struct ctr_dir *d = dir_mine(dir);

	if (!d) {
		REAL(void (*)(DIR *), rewinddir)(dir);
		return;
	}
	seekdir(dir, 0);
}

/* scandir(3): glibc's opens the directory with its internal calls. */
typedef int (*scan_filter)(const struct dirent *);
typedef int (*scan_cmp)(const struct dirent **, const struct dirent **);

static int fs_scandir(DIR *dir, struct dirent ***list, scan_filter filter,
		      scan_cmp cmp)
{
	struct dirent **v = NULL, **nv, *e, *c;
	size_t n = 0, cap = 0, i;
	int err;

	for (;;) {
		errno = 0;
		e = readdir(dir);
		if (!e)
			break;
		if (filter && !filter(e))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto nomem;
			v = nv;
		}
		c = malloc(e->d_reclen);
		if (!c)
			goto nomem;
		memcpy(c, e, e->d_reclen);
		v[n++] = c;
	}
	if (errno)
		goto fail;
	closedir(dir);
	if (cmp && n)
		qsort(v, n, sizeof(*v),
		      (int (*)(const void *, const void *))cmp);
	*list = v;
	return n;
nomem:
	errno = ENOMEM;
fail:
	err = errno;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
	closedir(dir);
	errno = err;
	return -1;
}

int scandirat(int dirfd, const char *path, struct dirent ***list,
	      scan_filter filter, scan_cmp cmp)
{
	DIR *dir;
	int fd;

	if (!ctr_fs_on || ctr_inlib)
		return REAL(int (*)(int, const char *, struct dirent ***,
				    scan_filter, scan_cmp), scandirat)
			(dirfd, path, list, filter, cmp);
	fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	dir = fdopendir(fd);
	if (!dir) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	return fs_scandir(dir, list, filter, cmp);
}

int scandir(const char *path, struct dirent ***list, scan_filter filter,
	    scan_cmp cmp)
{
	return scandirat(AT_FDCWD, path, list, filter, cmp);
}

int scandir64(const char *path, struct dirent64 ***list,
	      int (*filter)(const struct dirent64 *),
	      int (*cmp)(const struct dirent64 **, const struct dirent64 **))
{
	return scandirat(AT_FDCWD, path, (struct dirent ***)list,
			 (scan_filter)filter, (scan_cmp)cmp);
}

int scandirat64(int dirfd, const char *path, struct dirent64 ***list,
		int (*filter)(const struct dirent64 *),
		int (*cmp)(const struct dirent64 **,
			   const struct dirent64 **))
{
	return scandirat(dirfd, path, (struct dirent ***)list,
			 (scan_filter)filter, (scan_cmp)cmp);
}

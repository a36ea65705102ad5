// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * stdio.c - stdio over FS descriptors (MOL_FS=1).  glibc's fopen,
 * fdopen and freopen open and write through its internal entry points,
 * which no preload can interpose, so an FS file gets a FILE made with
 * fopencookie() whose read/write/seek/close are the container's (and
 * whose _fileno is set to the descriptor, so fileno() works: glibc marks
 * cookie streams with _fileno -2 and uses it for nothing but "is open").
 *
 * stdin, stdout and stderr follow their descriptor: when 0, 1 or 2
 * becomes an FS file (inherited over exec from a shell's redirection,
 * dup2, freopen, close + open) the stream variable points to a cookie
 * FILE on it; when it becomes a host file again, back to glibc's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

struct cookie {
	int fd;
	bool detached;			/* do not close fd */
	bool closing;			/* fclose() in progress */
};

static FILE *orig_std[3];
static FILE *cookie_std[3];
static struct cookie *cookie_of[3];
static bool stdio_ready;

static ssize_t ck_read(void *c, char *buf, size_t len)
{
	return read(((struct cookie *)c)->fd, buf, len);
}

static ssize_t ck_write(void *c, const char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(((struct cookie *)c)->fd, buf + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -1;
		}
		done += n;
	}
	return done;
}

static int ck_seek(void *c, off64_t *pos, int whence)
{
	off_t r = lseek(((struct cookie *)c)->fd, *pos, whence);

	if (r < 0)
		return -1;
	*pos = r;
	return 0;
}

static int ck_close(void *v)
{
	struct cookie *c = v;
	int ret = 0;

	c->closing = true;
	if (!c->detached)
		ret = close(c->fd);
	free(c);
	return ret;
}

static const cookie_io_functions_t ck_funcs = {
	.read = ck_read,
	.write = ck_write,
	.seek = ck_seek,
	.close = ck_close,
};

static FILE *cookie_open(int fd, const char *mode, struct cookie **out)
{
	struct cookie *c = calloc(1, sizeof(*c));
	FILE *fp;

	if (!c) {
		errno = ENOMEM;
		return NULL;
	}
	c->fd = fd;
	fp = fopencookie(c, mode, ck_funcs);
	if (!fp) {
		free(c);
		return NULL;
	}
	fp->_fileno = fd;
	if (out)
		*out = c;
	return fp;
}

/* open(2) flags of an fopen mode, or -1 (EINVAL). */
static int mode_flags(const char *mode)
{
	int flags;

	switch (*mode) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	for (mode++; *mode && *mode != ','; mode++) {
		switch (*mode) {
		case '+':
			flags = (flags & ~O_ACCMODE) | O_RDWR;
			break;
		case 'x':
			flags |= O_EXCL;
			break;
		case 'e':
			flags |= O_CLOEXEC;
			break;
		}
	}
	return flags;
}

/* An fopen mode for an open descriptor's status flags. */
static const char *fd_mode(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return "r";
	switch (fl & O_ACCMODE) {
	case O_WRONLY:
		return fl & O_APPEND ? "a" : "w";
	case O_RDWR:
		return fl & O_APPEND ? "a+" : "r+";
	}
	return "r";
}

static FILE **std_var(int fd)
{
	return fd == 0 ? &stdin : fd == 1 ? &stdout : &stderr;
}

/* Descriptor @fd (0, 1 or 2) changed: make its stream follow. */
void ctr_std_sync(int fd)
{
	FILE **var, *fp;
	struct cookie *c;

	if (!stdio_ready || fd < 0 || fd > 2)
		return;
	var = std_var(fd);
	if (ctr_fsfd(fd) >= 0) {
		if (cookie_std[fd] && *var == cookie_std[fd])
			return;		/* it writes to fd, whatever fd is */
		fp = cookie_open(fd, fd_mode(fd), &c);
		if (!fp)
			return;
		if (fd == 2)
			setvbuf(fp, NULL, _IONBF, 0);
		else if (fd == 1 && ctr_fdmap[fd].pipe && isatty(fd))
			setvbuf(fp, NULL, _IOLBF, BUFSIZ);	/* a terminal */
		fflush(*var);
		cookie_std[fd] = fp;
		cookie_of[fd] = c;
		*var = fp;
		return;
	}
	if (!cookie_std[fd] || *var != cookie_std[fd])
		return;
	fp = cookie_std[fd];
	c = cookie_of[fd];
	cookie_std[fd] = NULL;
	cookie_of[fd] = NULL;
	*var = orig_std[fd];
	if (c->closing)
		return;		/* the program's fclose(stdout) */
	c->detached = true;
	fclose(fp);
}

void ctr_stdio_init(void)
{
	int fd;

	orig_std[0] = stdin;
	orig_std[1] = stdout;
	orig_std[2] = stderr;
	stdio_ready = true;
	for (fd = 0; fd <= 2; fd++)
		ctr_std_sync(fd);
}

static FILE *fs_fopen(const char *path, const char *mode)
{
	FILE *fp;
	int flags, fd, err;

	if (!path || !mode) {
		errno = EFAULT;
		return NULL;
	}
	flags = mode_flags(mode);
	if (flags < 0)
		return NULL;
	fd = ctr_fs_open(AT_FDCWD, path, flags, 0666);
	if (fd < 0)
		return NULL;
	if (ctr_fsfd(fd) < 0)	/* a host program directory's file */
		fp = REAL(FILE *(*)(int, const char *), fdopen)(fd, mode);
	else
		fp = cookie_open(fd, mode, NULL);
	if (!fp) {
		err = errno;
		close(fd);
		errno = err;
	}
	return fp;
}

FILE *fopen(const char *path, const char *mode)
{
	if (!ctr_fs_on || ctr_inlib)
		return REAL(FILE *(*)(const char *, const char *), fopen)
			(path, mode);
	return fs_fopen(path, mode);
}

FILE *fopen64(const char *path, const char *mode)
{
	if (!ctr_fs_on || ctr_inlib)
		return REAL(FILE *(*)(const char *, const char *), fopen64)
			(path, mode);
	return fs_fopen(path, mode);
}

FILE *fdopen(int fd, const char *mode)
{
	int fl, want;

	if (ctr_fsfd(fd) < 0)
		return REAL(FILE *(*)(int, const char *), fdopen)(fd, mode);
	want = mode ? mode_flags(mode) : -1;
	if (want < 0) {
		errno = EINVAL;
		return NULL;
	}
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return NULL;
	if (((fl & O_ACCMODE) == O_RDONLY && (want & O_ACCMODE) != O_RDONLY) ||
	    ((fl & O_ACCMODE) == O_WRONLY && (want & O_ACCMODE) != O_WRONLY)) {
		errno = EINVAL;
		return NULL;
	}
	return cookie_open(fd, mode, NULL);
}

/*
 * freopen: for stdin/stdout/stderr the new file takes descriptor 0, 1
 * or 2 and the stream variable follows it; another stream is closed
 * and a new one returned (the pointer may change: use the result).
 */
static FILE *fs_freopen(const char *path, const char *mode, FILE *stream)
{
	int std = -1, flags, fd, i;

	for (i = 0; i <= 2; i++)
		if (stream == *std_var(i))
			std = i;
	if (!path || std < 0) {
		if (!path) {
			errno = EINVAL;	/* mode change: not for FS streams */
			return NULL;
		}
		fclose(stream);
		return fs_fopen(path, mode);
	}
	flags = mode ? mode_flags(mode) : -1;
	if (flags < 0)
		return NULL;
	fflush(stream);
	fd = ctr_fs_open(AT_FDCWD, path, flags, 0666);
	if (fd < 0)
		return NULL;
	if (fd != std) {
		if (dup2(fd, std) < 0) {
			close(fd);
			return NULL;
		}
		close(fd);
	}
	if (ctr_fsfd(std) < 0)	/* a host file: glibc's stream */
		return REAL(FILE *(*)(const char *, const char *, FILE *),
			    freopen)(path, mode, orig_std[std]);
	return *std_var(std);
}

FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	if (!ctr_fs_on || ctr_inlib)
		return REAL(FILE *(*)(const char *, const char *, FILE *),
			    freopen)(path, mode, stream);
	return fs_freopen(path, mode, stream);
}

FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	if (!ctr_fs_on || ctr_inlib)
		return REAL(FILE *(*)(const char *, const char *, FILE *),
			    freopen64)(path, mode, stream);
	return fs_freopen(path, mode, stream);
}

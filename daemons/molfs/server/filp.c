// SPDX-License-Identifier: GPL-2.0
/*
 * filp.c - open file descriptions and descriptor tables: close, dup,
 * dup2, dup3, fcntl.  A filp is shared by the descriptors dup and fork
 * make (offset and status flags with it), as POSIX says.
 */
#include <errno.h>
#include <stdlib.h>

#include "fs.h"

struct filp *filp_new(enum filp_kind kind, unsigned int flags)
{
	struct filp *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->refs = 1;
	f->kind = kind;
	f->flags = flags;
	return f;
}

void filp_put(struct filp *f)
{
	if (--f->refs > 0)
		return;
	switch (f->kind) {
	case FILP_PIPE:
		pipe_close_end(f->pipe, f->end);
		if (f->vn.m)		/* a FIFO */
			vn_put(f->vn);
		break;
	case FILP_CHR:
		cdev_close(f);
		/* fall through */
	case FILP_INODE:
		vn_put(f->vn);
		break;
	}
	free(f);
}

struct filp *fd_get(struct fproc *fp, int fd)
{
	if (fd < 0 || fd >= MOL_FS_OPEN_MAX)
		return NULL;
	return fp->fd[fd].f;
}

/*
 * The open file behind @fd for a call that uses the file's contents or
 * attributes (read, write, lseek, getdents, ftruncate, fsync, fchmod,
 * fchown, futimens): an O_PATH descriptor is none of those, EBADF as in
 * Linux.  Calls that only name the file (fstat, fchdir, *at dirfd, dup,
 * close, fcntl F_GETFD/F_SETFD/F_GETFL) take fd_get().
 */
struct filp *fd_get_io(struct fproc *fp, int fd)
{
	struct filp *f = fd_get(fp, fd);

	return f && !(f->flags & MOL_O_PATH) ? f : NULL;
}

/* The lowest free descriptor >= @from gets @f; -EMFILE if none. */
int fd_install(struct fproc *fp, int from, struct filp *f, bool cloexec)
{
	int fd;

	for (fd = from < 0 ? 0 : from; fd < MOL_FS_OPEN_MAX; fd++) {
		if (!fp->fd[fd].f) {
			fp->fd[fd].f = f;
			fp->fd[fd].cloexec = cloexec;
			return fd;
		}
	}
	return -EMFILE;
}

int fd_close(struct fproc *fp, int fd)
{
	struct filp *f = fd_get(fp, fd);

	if (!f)
		return -EBADF;
	fp->fd[fd].f = NULL;
	fp->fd[fd].cloexec = false;
	filp_put(f);
	return 0;
}

int do_close(struct fproc *fp, struct mol_message *m)
{
	return fd_close(fp, MOL_BODY(m, struct mol_fs_fd)->fd);
}

static int dup_from(struct fproc *fp, int fd, int from, bool cloexec)
{
	struct filp *f = fd_get(fp, fd);
	int ret;

	if (!f)
		return -EBADF;
	ret = fd_install(fp, from, f, cloexec);
	if (ret >= 0)
		f->refs++;
	return ret;
}

int do_dup(struct fproc *fp, struct mol_message *m)
{
	return dup_from(fp, MOL_BODY(m, struct mol_fs_fd)->fd, 0, false);
}

static int dup_to(struct fproc *fp, int fd, int fd2, bool cloexec)
{
	struct filp *f = fd_get(fp, fd);

	if (!f || fd2 < 0 || fd2 >= MOL_FS_OPEN_MAX)
		return -EBADF;
	f->refs++;
	if (fp->fd[fd2].f)
		fd_close(fp, fd2);
	fp->fd[fd2].f = f;
	fp->fd[fd2].cloexec = cloexec;
	return fd2;
}

int do_dup2(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_fd *b = MOL_BODY(m, struct mol_fs_fd);

	if (b->fd == b->fd2)
		return fd_get(fp, b->fd) ? b->fd : -EBADF;
	return dup_to(fp, b->fd, b->fd2, false);
}

int do_dup3(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_fd *b = MOL_BODY(m, struct mol_fs_fd);

	if (b->arg & ~MOL_O_CLOEXEC)
		return -EINVAL;
	if (b->fd == b->fd2)
		return -EINVAL;
	return dup_to(fp, b->fd, b->fd2, b->arg & MOL_O_CLOEXEC);
}

int do_fcntl(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_fd *b = MOL_BODY(m, struct mol_fs_fd);
	struct filp *f = fd_get(fp, b->fd);
	const unsigned int setfl = MOL_O_APPEND | MOL_O_NONBLOCK;

	if (!f)
		return -EBADF;
	if (f->flags & MOL_O_PATH) {
		switch (b->cmd) {
		case MOL_F_GETFL:
			return (int)f->flags;	/* no O_LARGEFILE: Linux's */
		case MOL_F_DUPFD:
		case MOL_F_DUPFD_CLOEXEC:
		case MOL_F_GETFD:
		case MOL_F_SETFD:
			break;
		default:
			return -EBADF;
		}
	}
	switch (b->cmd) {
	case MOL_F_DUPFD:
	case MOL_F_DUPFD_CLOEXEC:
		if (b->arg < 0 || b->arg >= MOL_FS_OPEN_MAX)
			return -EINVAL;
		return dup_from(fp, b->fd, b->arg,
				b->cmd == MOL_F_DUPFD_CLOEXEC);
	case MOL_F_GETFD:
		return fp->fd[b->fd].cloexec ? MOL_FD_CLOEXEC : 0;
	case MOL_F_SETFD:
		fp->fd[b->fd].cloexec = b->arg & MOL_FD_CLOEXEC;
		return 0;
	case MOL_F_GETFL:
		return (int)(f->flags | MOL_O_LARGEFILE);
	case MOL_F_SETFL:
		f->flags = (f->flags & ~setfl) | ((unsigned int)b->arg & setfl);
		return 0;
	}
	return -EINVAL;
}

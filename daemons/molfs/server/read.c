// SPDX-License-Identifier: GPL-2.0
/*
 * read.c - read, write, pread, pwrite, lseek, getdents, truncate, sync:
 * data moves between the core's buffer cache and the caller's grant in
 * chunks, with one safecopy per chunk.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

#define CHUNK		65536

static unsigned char iobuf[CHUNK];

static ssize_t inode_io(struct fproc *fp, struct filp *f, int grant,
			size_t len, uint64_t *posp, bool write)
{
	struct vmnt *mnt = f->vn.m;
	struct mfs *fs = mnt->fs;
	size_t done = 0, chunk;
	ssize_t n = 0;

	while (done < len) {
		chunk = len - done < CHUNK ? len - done : CHUNK;
		if (write && vmnt_is_server(mnt)) {
			n = -EROFS;	/* not opened for writing: unreachable */
		} else if (write) {
			if (mol_safecopy_from(&fs_mol, fp->endpoint, grant,
					      done, iobuf, chunk) < 0) {
				n = -EFAULT;
				break;
			}
			if (f->flags & MOL_O_APPEND)
				n = mfs_append(fs, &fp->cr, f->vn.ino, iobuf,
					       chunk, posp);
			else
				n = mfs_write(fs, &fp->cr, f->vn.ino, iobuf,
					      chunk, *posp);
			if (n > 0 && !(f->flags & MOL_O_APPEND))
				*posp += n;
		} else {
			n = mnt->ops->read(mnt, f->vn.ino, iobuf, chunk, *posp);
			if (n > 0 && mol_safecopy_to(&fs_mol, fp->endpoint,
						     grant, done, iobuf, n) < 0)
				n = -EFAULT;
			if (n > 0)
				*posp += n;
		}
		if (n <= 0)
			break;
		done += n;
		if ((size_t)n < chunk)
			break;
	}
	if (done)
		return done;
	return n < 0 ? n : 0;
}

/* FS_READ, FS_WRITE, FS_PREAD, FS_PWRITE */
int do_read(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_io *b = MOL_BODY(m, struct mol_fs_io);
	bool write = m->m_type == FS_WRITE || m->m_type == FS_PWRITE;
	bool positional = m->m_type == FS_PREAD || m->m_type == FS_PWRITE;
	struct filp *f = fd_get_io(fp, b->fd);
	unsigned int acc;
	uint64_t pos;
	size_t len;
	ssize_t n;

	if (!f)
		return -EBADF;
	acc = f->flags & MOL_O_ACCMODE;
	if (write ? acc == MOL_O_RDONLY : acc == MOL_O_WRONLY)
		return -EBADF;
	len = b->len < MOL_FS_IO_MAX ? b->len : MOL_FS_IO_MAX;
	if (f->kind == FILP_PIPE)
		return positional ? -ESPIPE : pipe_io(fp, f, m, write);
	if (positional && b->offset < 0)
		return -EINVAL;
	if (f->kind == FILP_CHR)
		return (int)cdev_io(fp, f, m, write, len);
	if (f->isdir)
		return -EISDIR;
	if (len == 0)
		return 0;
	pos = positional ? (uint64_t)b->offset : f->pos;
	n = inode_io(fp, f, b->grant, len, &pos, write);
	if (!positional && n >= 0)
		f->pos = pos;
	return (int)n;
}

int do_lseek(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_lseek *b = MOL_BODY(m, struct mol_fs_lseek);
	struct filp *f = fd_get_io(fp, b->fd);
	struct mfs_stat st;
	int64_t base;
	int err;

	if (!f)
		return -EBADF;
	if (f->kind == FILP_PIPE || (cdev_is_driven(f) && !cdev_is_mem(f)))
		return -ESPIPE;
	switch (b->whence) {
	case MOL_SEEK_SET:
		base = 0;
		break;
	case MOL_SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case MOL_SEEK_END:
		err = vn_stat(f->vn, &st);
		if (err)
			return err;
		base = (int64_t)st.size;
		break;
	default:
		return -EINVAL;
	}
	if (f->kind == FILP_CHR) {	/* as Linux's /dev/null */
		f->pos = 0;
		b->offset = 0;
		return 0;
	}
	if ((b->offset > 0 && base > INT64_MAX - b->offset) ||
	    base + b->offset < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + b->offset);
	b->offset = (int64_t)f->pos;
	return 0;
}

int do_getdents(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_buf *b = MOL_BODY(m, struct mol_fs_buf);
	struct filp *f = fd_get_io(fp, b->fd);
	uint64_t pos;
	ssize_t n;

	if (!f)
		return -EBADF;
	if (f->kind != FILP_INODE || !f->isdir)
		return -ENOTDIR;
	pos = f->pos;
	n = f->vn.m->ops->getdents(f->vn.m, f->vn.ino, &pos, iobuf,
				   b->buf_len < CHUNK ? b->buf_len : CHUNK);
	if (n <= 0)
		return (int)n;
	if (mol_safecopy_to(&fs_mol, fp->endpoint, b->buf_grant, 0, iobuf,
			    n) < 0)
		return -EFAULT;
	f->pos = pos;
	return (int)n;
}

int do_truncate(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_trunc *b = MOL_BODY(m, struct mol_fs_trunc);
	struct vnode vn;
	int err;

	if (b->length < 0)
		return -EINVAL;
	err = resolve(fp, b->dirfd, b->path_grant, b->path_len, 0, true, &vn);
	if (err)
		return err;
	if (vmnt_is_server(vn.m))
		return -EROFS;
	return mfs_truncate_ino(vn.m->fs, &fp->cr, vn.ino, b->length);
}

int do_ftruncate(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_trunc *b = MOL_BODY(m, struct mol_fs_trunc);
	struct filp *f = fd_get_io(fp, b->dirfd);

	if (!f)
		return -EBADF;
	if (b->length < 0 || f->kind != FILP_INODE || f->isdir ||
	    (f->flags & MOL_O_ACCMODE) == MOL_O_RDONLY)
		return -EINVAL;
	if (f->vn.m->rdonly || vmnt_is_server(f->vn.m))
		return -EROFS;
	return mfs_ftruncate(f->vn.m->fs, f->vn.ino, b->length);
}

int do_fsync(struct fproc *fp, struct mol_message *m)
{
	struct filp *f = fd_get_io(fp, MOL_BODY(m, struct mol_fs_fd)->fd);

	if (!f)
		return -EBADF;
	if (f->kind == FILP_PIPE)
		return -EINVAL;
	return f->vn.m->ops->sync(f->vn.m);
}

int do_sync(struct fproc *fp, struct mol_message *m)
{
	sync_all();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * stat.c - stat, access, chmod, chown, utimensat, chdir, getcwd, umask,
 * statvfs: find the file (namei.c), then act on its inode.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"

static int copy_out(struct fproc *fp, int grant, uint32_t len,
		    const void *buf, size_t size)
{
	if (len < size)
		return -EFAULT;
	if (mol_safecopy_to(&fs_mol, fp->endpoint, grant, 0, buf, size) < 0)
		return -EFAULT;
	return 0;
}

static int stat_vnode(struct fproc *fp, struct vnode vn, int grant,
		      uint32_t len)
{
	struct mol_stat st;
	int err;

	err = vn_stat_full(vn, &st);
	if (err)
		return err;
	return copy_out(fp, grant, len, &st, sizeof(st));
}

int do_stat(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	struct vnode vn;
	int err;

	if (b->flags & ~(MOL_AT_SYMLINK_NOFOLLOW | MOL_AT_EMPTY_PATH))
		return -EINVAL;
	err = resolve(fp, b->dirfd, b->path_grant, b->path_len, b->flags,
		      !(b->flags & MOL_AT_SYMLINK_NOFOLLOW), &vn);
	if (err)
		return err;
	return stat_vnode(fp, vn, b->buf_grant, b->buf_len);
}

int do_fstat(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_buf *b = MOL_BODY(m, struct mol_fs_buf);
	struct filp *f = fd_get(fp, b->fd);
	struct mol_stat st;

	if (!f)
		return -EBADF;
	if (f->kind != FILP_PIPE || f->vn.m)	/* a FIFO: its inode */
		return stat_vnode(fp, f->vn, b->buf_grant, b->buf_len);
	memset(&st, 0, sizeof(st));
	st.st_ino = (uint64_t)(uintptr_t)f->pipe & 0xffffffff;
	st.st_mode = S_IFIFO | 0600;
	st.st_nlink = 1;
	st.st_uid = fp->cr.uid;
	st.st_gid = fp->cr.gid;
	st.st_blksize = MOL_FS_PIPE_BUF;
	return copy_out(fp, b->buf_grant, b->buf_len, &st, sizeof(st));
}

int do_access(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	struct vnode vn;
	int err;

	if (b->mode & ~(unsigned int)(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (b->flags & ~(MOL_AT_EACCESS | MOL_AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	err = resolve(fp, b->dirfd, b->path_grant, b->path_len, 0,
		      !(b->flags & MOL_AT_SYMLINK_NOFOLLOW), &vn);
	if (err)
		return err;
	return vn_access(fp, vn, (int)b->mode);
}

int do_chmod(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	struct vnode vn;
	int err;

	if (b->flags & MOL_AT_SYMLINK_NOFOLLOW)
		return -EOPNOTSUPP;
	if (b->flags)
		return -EINVAL;
	err = resolve(fp, b->dirfd, b->path_grant, b->path_len, 0, true, &vn);
	if (err)
		return err;
	if (vmnt_is_server(vn.m))
		return -EROFS;
	return mfs_chmod_ino(vn.m->fs, &fp->cr, vn.ino, b->mode);
}

/* The file behind @fd for fchmod, fchown, futimens: not O_PATH. */
static int fd_vnode(struct fproc *fp, int fd, struct vnode *vn)
{
	struct filp *f = fd_get_io(fp, fd);

	if (!f)
		return -EBADF;
	if (f->kind == FILP_PIPE && !f->vn.m)
		return -EINVAL;
	*vn = f->vn;
	return 0;
}

int do_fchmod(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_fd *b = MOL_BODY(m, struct mol_fs_fd);
	struct vnode vn;
	int err;

	err = fd_vnode(fp, b->fd, &vn);
	if (err)
		return err;
	if (vmnt_is_server(vn.m))
		return -EROFS;
	return mfs_chmod_ino(vn.m->fs, &fp->cr, vn.ino, (mode_t)b->arg);
}

/* FS_CHOWN and FS_FCHOWN */
int do_chown(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_chown *b = MOL_BODY(m, struct mol_fs_chown);
	struct vnode vn;
	int err;

	if (m->m_type == FS_FCHOWN) {
		err = fd_vnode(fp, b->dirfd, &vn);
	} else {
		if (b->flags & ~(MOL_AT_SYMLINK_NOFOLLOW | MOL_AT_EMPTY_PATH))
			return -EINVAL;
		err = resolve(fp, b->dirfd, b->path_grant, b->path_len,
			      b->flags, !(b->flags & MOL_AT_SYMLINK_NOFOLLOW),
			      &vn);
	}
	if (err)
		return err;
	if (vmnt_is_server(vn.m))
		return -EROFS;
	return mfs_chown_ino(vn.m->fs, &fp->cr, vn.ino, b->uid, b->gid);
}

static uint32_t clamp_time(int64_t t)
{
	if (t < 0)
		return 0;
	if (t > UINT32_MAX)
		return UINT32_MAX;
	return (uint32_t)t;
}

static bool nsec_ok(uint32_t ns)
{
	return ns < 1000000000 || ns == MOL_UTIME_NOW || ns == MOL_UTIME_OMIT;
}

int do_utimens(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_utimens *b = MOL_BODY(m, struct mol_fs_utimens);
	bool omit_a = b->atime_nsec == MOL_UTIME_OMIT;
	bool omit_m = b->mtime_nsec == MOL_UTIME_OMIT;
	bool now_a = b->atime_nsec == MOL_UTIME_NOW;
	bool now_m = b->mtime_nsec == MOL_UTIME_NOW;
	uint32_t times[2];
	struct vnode vn;
	int err, omit;

	if (b->flags & ~MOL_AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (!nsec_ok(b->atime_nsec) || !nsec_ok(b->mtime_nsec))
		return -EINVAL;
	if (b->path_grant == -1) {
		if (b->flags)
			return -EINVAL;
		err = fd_vnode(fp, b->dirfd, &vn);
	} else {
		err = resolve(fp, b->dirfd, b->path_grant, b->path_len, 0,
			      !(b->flags & MOL_AT_SYMLINK_NOFOLLOW), &vn);
	}
	if (err)
		return err;
	if (omit_a && omit_m)
		return 0;
	if (vmnt_is_server(vn.m))
		return -EROFS;
	omit = (omit_a ? MFS_UT_OMIT_ATIME : 0) |
	       (omit_m ? MFS_UT_OMIT_MTIME : 0);
	if ((now_a || omit_a) && (now_m || omit_m))
		return mfs_utimes_ino(vn.m->fs, &fp->cr, vn.ino, NULL, omit);
	/* explicit times: the current time for the NOW one */
	times[0] = now_a ? (uint32_t)time(NULL) : clamp_time(b->atime_sec);
	times[1] = now_m ? (uint32_t)time(NULL) : clamp_time(b->mtime_sec);
	return mfs_utimes_ino(vn.m->fs, &fp->cr, vn.ino, times, omit);
}

static int set_cwd(struct fproc *fp, struct vnode vn)
{
	struct mfs_stat st;
	int err;

	err = vn_stat(vn, &st);
	if (err)
		return err;
	if (!S_ISDIR(st.mode))
		return -ENOTDIR;
	err = vn_access(fp, vn, X_OK);
	if (err)
		return err;
	vn_get(vn);
	vn_put(fp->cwd);
	fp->cwd = vn;
	return 0;
}

int do_chdir(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	struct vnode vn;
	int err;

	err = resolve(fp, MOL_AT_FDCWD, b->path_grant, b->path_len, 0, true,
		      &vn);
	if (err)
		return err;
	return set_cwd(fp, vn);
}

int do_fchdir(struct fproc *fp, struct mol_message *m)
{
	struct filp *f = fd_get(fp, MOL_BODY(m, struct mol_fs_fd)->fd);

	if (!f)
		return -EBADF;
	if (f->kind != FILP_INODE || !f->isdir)
		return -ENOTDIR;
	return set_cwd(fp, f->vn);
}

/* The name of @ino in directory @dir (by scanning it). */
static int name_in(struct vnode dir, uint32_t ino, char *name)
{
	static unsigned char buf[8192];
	struct mol_dirent64 *d;
	uint64_t pos = 0;
	ssize_t n, off;

	while ((n = dir.m->ops->getdents(dir.m, dir.ino, &pos, buf,
					 sizeof(buf))) > 0) {
		for (off = 0; off < n; off += d->d_reclen) {
			d = (struct mol_dirent64 *)(buf + off);
			if (d->d_ino == ino && strcmp(d->d_name, ".") &&
			    strcmp(d->d_name, "..")) {
				snprintf(name, FS_NAME_MAX + 1, "%s",
					 d->d_name);
				return 0;
			}
		}
	}
	return n < 0 ? (int)n : -ENOENT;
}

int do_getcwd(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_buf *b = MOL_BODY(m, struct mol_fs_buf);
	static const struct mfs_cred root_cr;
	char path[MOL_FS_PATH_MAX], name[FS_NAME_MAX + 1];
	struct vnode vn = fp->cwd, up;
	size_t pos = sizeof(path) - 1, len;
	struct mfs_stat st;
	uint32_t ino;
	int err;

	err = vn_stat(vn, &st);
	if (err)
		return err;
	if (st.nlink == 0)
		return -ENOENT;		/* the cwd was removed */
	path[pos] = '\0';
	for (;;) {
		if (vn.ino == MFS_ROOT_INO) {
			if (!vn.m->parent)
				break;
			vn.ino = vn.m->covered;
			vn.m = vn.m->parent;
			continue;
		}
		err = vn.m->ops->lookup(vn.m, &root_cr, vn.ino, "..", &ino);
		if (err)
			return err;
		up.m = vn.m;
		up.ino = ino;
		err = name_in(up, vn.ino, name);
		if (err)
			return err;
		len = strlen(name);
		if (len + 1 > pos)
			return -ENAMETOOLONG;
		pos -= len;
		memcpy(path + pos, name, len);
		path[--pos] = '/';
		vn = up;
	}
	if (pos == sizeof(path) - 1)
		path[--pos] = '/';
	len = sizeof(path) - pos;	/* with the NUL */
	if (b->buf_len < len)
		return -ERANGE;
	if (mol_safecopy_to(&fs_mol, fp->endpoint, b->buf_grant, 0,
			    path + pos, len) < 0)
		return -EFAULT;
	return (int)len;
}

int do_umask(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_umask *b = MOL_BODY(m, struct mol_fs_umask);
	uint32_t old = fp->umask;

	fp->umask = b->mask & 0777;
	return (int)old;
}

static int statvfs_vnode(struct fproc *fp, struct vnode vn, int grant,
			 uint32_t len)
{
	struct mol_statvfs st;
	int err;

	err = vn.m->ops->statvfs(vn.m, &st);
	if (err)
		return err;
	return copy_out(fp, grant, len, &st, sizeof(st));
}

int do_statvfs(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	struct vnode vn;
	int err;

	if (b->flags)
		return -EINVAL;
	err = resolve(fp, b->dirfd, b->path_grant, b->path_len, 0, true, &vn);
	if (err)
		return err;
	return statvfs_vnode(fp, vn, b->buf_grant, b->buf_len);
}

int do_fstatvfs(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_buf *b = MOL_BODY(m, struct mol_fs_buf);
	struct filp *f = fd_get(fp, b->fd);	/* O_PATH too, as Linux */

	if (!f)
		return -EBADF;
	if (f->kind == FILP_PIPE)
		return -EINVAL;
	return statvfs_vnode(fp, f->vn, b->buf_grant, b->buf_len);
}

/*
 * FS_EXEC_LOCATE: where the program execve(path) names lives.  0: in a
 * MINIX file system (the container copies it into a memfd); n > 0: on a
 * host pass-through mount, its host path (n bytes and a NUL) in the
 * caller's buffer, to be executed directly.
 */
int do_exec_locate(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	char path[MOL_FS_PATH_MAX];
	struct mfs_stat st;
	struct vnode vn;
	int err, n;

	if (b->flags || b->mode || b->dev)
		return -EINVAL;
	err = resolve(fp, b->dirfd, b->path_grant, b->path_len, 0, true, &vn);
	if (err)
		return err;
	err = vn_stat(vn, &st);
	if (err)
		return err;
	if (!S_ISREG(st.mode))
		return -EACCES;
	err = vn_access(fp, vn, X_OK);
	if (err)
		return err;
	if (!vmnt_is_server(vn.m))
		return 0;
	n = server_hostpath(vn.m, vn.ino, path, sizeof(path));
	if (n < 0)
		return n;
	if ((uint32_t)n >= b->buf_len)
		return -ERANGE;
	return copy_out(fp, b->buf_grant, b->buf_len, path, n + 1) ?: n;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * open.c - open and the calls that change the name space: mkdir, mknod,
 * unlink/rmdir, rename, link, symlink (and readlink).  The path is
 * walked here (namei.c); the last component goes to the core of the file
 * system holding its parent, which applies Linux's rules and errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

#define OPEN_FLAGS	(MOL_O_ACCMODE | MOL_O_CREAT | MOL_O_EXCL |	\
			 MOL_O_NOCTTY | MOL_O_TRUNC | MOL_O_APPEND |	\
			 MOL_O_NONBLOCK | MOL_O_DSYNC | MOL_O_DIRECT |	\
			 MOL_O_LARGEFILE | MOL_O_DIRECTORY |		\
			 MOL_O_NOFOLLOW | MOL_O_NOATIME | MOL_O_CLOEXEC | \
			 MOL_O_SYNC)

/* MOL_O_* -> the host's O_* for the core. */
static int host_flags(unsigned int fl)
{
	int h = (int)(fl & MOL_O_ACCMODE);

	if (fl & MOL_O_CREAT)
		h |= O_CREAT;
	if (fl & MOL_O_EXCL)
		h |= O_EXCL;
	if (fl & MOL_O_TRUNC)
		h |= O_TRUNC;
	if (fl & MOL_O_DIRECTORY)
		h |= O_DIRECTORY;
	if (fl & MOL_O_NOFOLLOW)
		h |= O_NOFOLLOW;
	return h;
}

/* Strip one trailing '/' that walk_parent keeps for the core. */
static void bare_name(const struct nameidata *nd, char *name)
{
	size_t len;

	strcpy(name, nd->last);
	len = strlen(name);
	if (len > 1 && name[len - 1] == '/')
		name[len - 1] = '\0';
}

/*
 * If the last component is a mount point or "."/"..", the file itself
 * (a directory, maybe in another file system) is in *@vn: return 1.
 */
static int crossing(struct fproc *fp, const struct nameidata *nd,
		    struct vnode *vn)
{
	char name[FS_NAME_MAX + 2];
	int err;

	bare_name(nd, name);
	err = vn_lookup(fp, nd->dir, name, vn);
	if (err)
		return nd->dot ? err : 0;
	return nd->dot || vn->m != nd->dir.m;
}

/*
 * O_PATH: a descriptor that names a file without opening it.  Only
 * search permission on the path is needed; the file's own mode and type
 * do not matter (a device is not opened).  O_NOFOLLOW names a final
 * symbolic link itself.  As Linux, every other flag but O_DIRECTORY and
 * O_CLOEXEC is ignored (O_CREAT creates nothing), and F_GETFL reports
 * O_PATH with O_DIRECTORY and O_NOFOLLOW as given.
 */
static int open_path(struct fproc *fp, const struct mol_fs_open *b,
		     unsigned int fl)
{
	struct mfs_stat st;
	struct vnode vn;
	struct filp *f;
	int err, fd;

	err = resolve(fp, b->dirfd, b->path_grant, b->path_len, 0,
		      !(fl & MOL_O_NOFOLLOW), &vn);
	if (err)
		return err;
	err = vn_stat(vn, &st);
	if (err)
		return err;
	if ((fl & MOL_O_DIRECTORY) && !S_ISDIR(st.mode))
		return -ENOTDIR;
	f = filp_new(FILP_INODE, MOL_O_PATH |
		     (fl & (MOL_O_DIRECTORY | MOL_O_NOFOLLOW)));
	if (!f)
		return -ENOMEM;
	vn_get(vn);
	f->vn = vn;
	f->isdir = S_ISDIR(st.mode);
	fd = fd_install(fp, 0, f, fl & MOL_O_CLOEXEC);
	if (fd < 0)
		filp_put(f);
	return fd;
}

int do_open(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_open *b = MOL_BODY(m, struct mol_fs_open);
	unsigned int fl = b->flags;
	struct nameidata nd;
	struct mfs_stat st;
	struct vnode vn;
	struct filp *f;
	bool follow;
	int err, fd;

	if ((fl & MOL_O_TMPFILE) == MOL_O_TMPFILE)
		return -EOPNOTSUPP;
	if (fl & MOL_O_PATH)
		return open_path(fp, b, fl);
	if ((fl & ~OPEN_FLAGS) || (fl & MOL_O_ACCMODE) == MOL_O_ACCMODE)
		return -EINVAL;
	follow = !(fl & MOL_O_NOFOLLOW) &&
		 !((fl & MOL_O_CREAT) && (fl & MOL_O_EXCL));
	err = parent_of(fp, b->dirfd, b->path_grant, b->path_len, follow, &nd);
	if (err)
		return err;
	err = crossing(fp, &nd, &vn);
	if (err < 0)
		return err;
	if (err)
		err = vn.m->ops->open(vn.m, &fp->cr, vn.ino, ".",
				      host_flags(fl), 0, &vn.ino);
	else {
		vn.m = nd.dir.m;
		err = vn.m->ops->open(vn.m, &fp->cr, nd.dir.ino, nd.last,
				      host_flags(fl),
				      b->mode & 07777 & ~fp->umask, &vn.ino);
	}
	if (err)
		return err;
	/* vn now holds the reference mfs_open took */
	err = vn_stat(vn, &st);
	if (err)
		goto out_put;
	f = filp_new(FILP_INODE, fl & (MOL_O_ACCMODE | MOL_O_APPEND |
				       MOL_O_NONBLOCK));
	err = -ENOMEM;
	if (!f)
		goto out_put;
	f->vn = vn;
	f->isdir = S_ISDIR(st.mode);
	err = 0;
	if (S_ISFIFO(st.mode)) {
		b->mode = S_IFIFO;	/* out: the file type */
		return fifo_open(fp, f, fl, m);
	}
	if (S_ISCHR(st.mode)) {
		err = cdev_open(fp, f, st.rdev, fl);
	} else if (S_ISBLK(st.mode) || S_ISSOCK(st.mode)) {
		err = -ENXIO;
	}
	if (err) {
		filp_put(f);
		return err;
	}
	fd = fd_install(fp, 0, f, fl & MOL_O_CLOEXEC);
	if (fd < 0)
		filp_put(f);
	else
		b->mode = st.mode & S_IFMT;	/* out: the file type */
	return fd;

out_put:
	vn_put(vn);
	return err;
}

int do_mkdir(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	struct nameidata nd;
	int err;

	err = parent_of(fp, b->dirfd, b->path_grant, b->path_len, false, &nd);
	if (err)
		return err;
	if (vmnt_is_server(nd.dir.m))
		return server_rofs_create(fp, &nd);
	return mfs_mkdir(nd.dir.m->fs, &fp->cr, nd.dir.ino, nd.last,
			 b->mode & 07777 & ~fp->umask);
}

int do_mknod(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	mode_t type = b->mode & S_IFMT;
	struct nameidata nd;
	int err;

	if (type == 0)
		type = S_IFREG;
	if (type != S_IFREG && type != S_IFCHR && type != S_IFBLK &&
	    type != S_IFIFO && type != S_IFSOCK)
		return -EINVAL;
	if ((type == S_IFCHR || type == S_IFBLK) && fp->cr.uid != 0)
		return -EPERM;
	if (b->dev > 0xffff)
		return -EINVAL;
	err = parent_of(fp, b->dirfd, b->path_grant, b->path_len, false, &nd);
	if (err)
		return err;
	if (vmnt_is_server(nd.dir.m))
		return server_rofs_create(fp, &nd);
	return mfs_mknod(nd.dir.m->fs, &fp->cr, nd.dir.ino, nd.last,
			 type | (b->mode & 07777 & ~fp->umask),
			 (type == S_IFCHR || type == S_IFBLK) ? b->dev : 0);
}

int do_unlink(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	bool rmdir = b->flags & MOL_AT_REMOVEDIR;
	struct nameidata nd;
	struct vnode vn;
	int err;

	if (b->flags & ~MOL_AT_REMOVEDIR)
		return -EINVAL;
	err = parent_of(fp, b->dirfd, b->path_grant, b->path_len, false, &nd);
	if (err)
		return err;
	if (!nd.dot && crossing(fp, &nd, &vn) > 0)
		return rmdir ? -EBUSY : -EISDIR;
	if (vmnt_is_server(nd.dir.m))
		return server_rofs_change(fp, &nd);
	if (rmdir)
		return mfs_rmdir(nd.dir.m->fs, &fp->cr, nd.dir.ino, nd.last);
	return mfs_unlink(nd.dir.m->fs, &fp->cr, nd.dir.ino, nd.last);
}

int do_rename(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path2 *b = MOL_BODY(m, struct mol_fs_path2);
	struct nameidata o, n;
	struct vnode vn;
	int err;

	if (b->flags)
		return -EINVAL;
	err = parent_of(fp, b->olddirfd, b->old_grant, b->old_len, false, &o);
	if (err)
		return err;
	err = parent_of(fp, b->newdirfd, b->new_grant, b->new_len, false, &n);
	if (err)
		return err;
	if ((!o.dot && crossing(fp, &o, &vn) > 0) ||
	    (!n.dot && crossing(fp, &n, &vn) > 0))
		return -EBUSY;
	if (o.dir.m != n.dir.m)
		return -EXDEV;
	if (vmnt_is_server(o.dir.m))
		return server_rofs_change(fp, &o);
	return mfs_rename(o.dir.m->fs, &fp->cr, o.dir.ino, o.last, n.dir.ino,
			  n.last);
}

int do_link(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path2 *b = MOL_BODY(m, struct mol_fs_path2);
	struct nameidata o, n;
	struct vnode vn;
	int err;

	if (b->flags & ~MOL_AT_SYMLINK_FOLLOW)
		return -EINVAL;
	err = parent_of(fp, b->olddirfd, b->old_grant, b->old_len,
			b->flags & MOL_AT_SYMLINK_FOLLOW, &o);
	if (err)
		return err;
	err = parent_of(fp, b->newdirfd, b->new_grant, b->new_len, false, &n);
	if (err)
		return err;
	if (!o.dot && crossing(fp, &o, &vn) > 0)
		return -EPERM;	/* a directory: Linux says EPERM */
	if (o.dir.m != n.dir.m) {
		/* the old name must exist before EXDEV */
		err = crossing(fp, &o, &vn);
		return err < 0 ? err : -EXDEV;
	}
	if (vmnt_is_server(n.dir.m))
		return server_rofs_create(fp, &n);
	return mfs_link(o.dir.m->fs, &fp->cr, o.dir.ino, o.last, n.dir.ino,
			n.last);
}

int do_symlink(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path2 *b = MOL_BODY(m, struct mol_fs_path2);
	char target[MOL_FS_PATH_MAX];
	struct nameidata n;
	int err;

	if (b->flags)
		return -EINVAL;
	err = copy_path(fp->endpoint, b->old_grant, b->old_len, target);
	if (err)
		return err;
	err = parent_of(fp, b->newdirfd, b->new_grant, b->new_len, false, &n);
	if (err)
		return err;
	if (vmnt_is_server(n.dir.m))
		return server_rofs_create(fp, &n);
	return mfs_symlink(n.dir.m->fs, &fp->cr, target, n.dir.ino, n.last);
}

int do_readlink(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	char buf[MOL_FS_PATH_MAX];
	struct nameidata nd;
	size_t size;
	ssize_t n;
	int err;

	if (b->buf_len == 0 || (int)b->buf_len < 0)
		return -EINVAL;
	err = parent_of(fp, b->dirfd, b->path_grant, b->path_len, false, &nd);
	if (err)
		return err;
	size = b->buf_len < sizeof(buf) ? b->buf_len : sizeof(buf);
	n = nd.dir.m->ops->readlink(nd.dir.m, &fp->cr, nd.dir.ino, nd.last,
				    buf, size);
	if (n < 0)
		return (int)n;
	if (mol_safecopy_to(&fs_mol, fp->endpoint, b->buf_grant, 0, buf,
			    n) < 0)
		return -EFAULT;
	return (int)n;
}

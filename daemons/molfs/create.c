// SPDX-License-Identifier: GPL-2.0
/*
 * create.c - making names: open (with O_CREAT and friends), mkdir, mknod,
 * symlink, link.  Errors and their order follow Linux's VFS.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "mfs_int.h"

/*
 * A new inode of the given mode, entered as nd->last in nd->dir.  The
 * caller checked that the name does not exist.  rdev is the device of a
 * special file, target the contents of a symlink.
 */
static int create_node(struct mfs *fs, const struct mfs_cred *cr,
		       struct mfs_nameidata *nd, mode_t mode, uint32_t rdev,
		       const char *target, struct mfs_inode **ipp)
{
	struct mfs_inode *dir = nd->dir, *ip;
	bool isdir = S_ISDIR(mode);
	int err;

	err = mfs_permission(cr, dir, W_OK | X_OK);
	if (err)
		return err;
	if (fs->rdonly)
		return -EROFS;
	if (dir->d.i_nlinks == 0)
		return -ENOENT;		/* the directory was removed */
	if (isdir && dir->d.i_nlinks >= fs->link_max)
		return -EMLINK;
	err = mfs_ialloc(fs, mode, cr, &ip);
	if (err)
		return err;
	if (dir->d.i_mode & S_ISGID) {
		ip->d.i_gid = dir->d.i_gid;
		if (isdir)
			ip->d.i_mode |= S_ISGID;
	}
	if (!isdir && (ip->d.i_mode & S_ISGID) && cr->uid != 0 &&
	    ip->d.i_gid != cr->gid && (ip->d.i_mode & S_IXGRP))
		ip->d.i_mode &= ~S_ISGID;
	if (S_ISCHR(mode) || S_ISBLK(mode))
		ip->d.i_zone[0] = rdev;
	if (isdir) {
		ip->d.i_nlinks = 2;
		err = mfs_dir_add(fs, ip, ".", 1, ip->ino);
		if (!err)
			err = mfs_dir_add(fs, ip, "..", 2, dir->ino);
	} else if (target) {
		ssize_t n = mfs_iwrite(fs, ip, target, strlen(target), 0);

		err = n < 0 ? (int)n : 0;
	}
	if (err)
		goto fail;
	err = mfs_dir_add(fs, dir, nd->last, nd->lastlen, ip->ino);
	if (err)
		goto fail;
	if (isdir) {
		dir->d.i_nlinks++;
		mfs_iupdate(fs, dir);
	}
	err = mfs_iupdate(fs, ip);
	*ipp = ip;
	return err;

fail:
	ip->d.i_nlinks = 0;
	mfs_iput(fs, ip);
	return err;
}

/* nd->last must not exist yet: 0, -EEXIST or a lookup error. */
static int must_not_exist(struct mfs *fs, const struct mfs_cred *cr,
			  struct mfs_nameidata *nd)
{
	struct mfs_inode *ip;
	int err;

	if (nd->dot)
		return -EEXIST;
	err = mfs_lookup_last(fs, cr, nd, &ip);
	if (err == -ENOENT)
		return 0;
	if (err)
		return err;
	mfs_iput(fs, ip);
	return -EEXIST;
}

static int open_existing(struct mfs *fs, const struct mfs_cred *cr,
			 struct mfs_inode *ip, int flags)
{
	int acc = flags & O_ACCMODE, mask = 0, err;

	if ((flags & O_DIRECTORY) && !mfs_isdir(ip))
		return -ENOTDIR;
	if (S_ISLNK(ip->d.i_mode))
		return -ELOOP;		/* O_NOFOLLOW */
	if (mfs_isdir(ip) && ((flags & O_CREAT) || acc != O_RDONLY ||
			      (flags & O_TRUNC)))
		return -EISDIR;
	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= R_OK;
	if (acc == O_WRONLY || acc == O_RDWR || (flags & O_TRUNC))
		mask |= W_OK;
	err = mfs_permission(cr, ip, mask);
	if (err)
		return err;
	if ((mask & W_OK) && fs->rdonly && S_ISREG(ip->d.i_mode))
		return -EROFS;
	if ((flags & O_TRUNC) && S_ISREG(ip->d.i_mode)) {
		err = mfs_itruncate(fs, ip, 0);
		if (err)
			return err;
		ip->d.i_mtime = ip->d.i_ctime = mfs_now(fs);
		return mfs_iupdate(fs, ip);
	}
	return 0;
}

int mfs_open(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	     const char *path, int flags, mode_t mode, uint32_t *inop)
{
	bool follow = !(flags & O_NOFOLLOW);
	struct mfs_nameidata nd;
	struct mfs_inode *ip;
	int err;

	err = mfs_walk_parent(fs, cr, dir, path, &nd);
	if (err)
		return err;
	if (!(flags & O_CREAT)) {
		err = mfs_follow_last(fs, cr, &nd, follow, &ip);
		if (err)
			goto out;
		goto existing;
	}
	if (nd.dot || nd.trailing_slash) {
		err = -EISDIR;
		goto out;
	}
	if (flags & O_EXCL) {
		err = mfs_lookup_last(fs, cr, &nd, &ip);
		if (!err) {
			mfs_iput(fs, ip);
			err = -EEXIST;
			goto out;
		}
	} else {
		err = mfs_follow_last(fs, cr, &nd, follow, &ip);
		if (!err)
			goto existing;
	}
	if (err != -ENOENT)
		goto out;
	err = create_node(fs, cr, &nd, S_IFREG | (mode & 07777), 0, NULL,
			  &ip);
	if (err)
		goto out;
	*inop = ip->ino;	/* the reference goes to the caller */
	goto out;

existing:
	err = open_existing(fs, cr, ip, flags);
	if (err)
		mfs_iput(fs, ip);
	else
		*inop = ip->ino;
out:
	mfs_nd_release(fs, &nd);
	return err;
}

/* Common to mkdir, mknod and symlink: the name is new. */
static int make(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
		const char *path, mode_t mode, uint32_t rdev,
		const char *target)
{
	struct mfs_nameidata nd;
	struct mfs_inode *ip;
	int err;

	err = mfs_walk_parent(fs, cr, dir, path, &nd);
	if (err)
		return err;
	err = must_not_exist(fs, cr, &nd);
	if (err)
		goto out;
	if (nd.trailing_slash && !S_ISDIR(mode)) {
		err = -ENOENT;
		goto out;
	}
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && cr->uid != 0) {
		err = mfs_permission(cr, nd.dir, W_OK | X_OK);
		if (!err)
			err = -EPERM;	/* only root makes devices */
		goto out;
	}
	err = create_node(fs, cr, &nd, mode, rdev, target, &ip);
	if (!err)
		mfs_iput(fs, ip);
out:
	mfs_nd_release(fs, &nd);
	return err;
}

int mfs_mkdir(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path, mode_t mode)
{
	return make(fs, cr, dir, path, S_IFDIR | (mode & 01777), 0, NULL);
}

int mfs_mknod(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path, mode_t mode, uint32_t rdev)
{
	switch (mode & S_IFMT) {
	case 0:
		mode |= S_IFREG;
		break;
	case S_IFREG: case S_IFIFO: case S_IFSOCK:
		break;
	case S_IFCHR: case S_IFBLK:
		break;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
	return make(fs, cr, dir, path, mode & (S_IFMT | 07777), rdev, NULL);
}

int mfs_symlink(struct mfs *fs, const struct mfs_cred *cr,
		const char *target, uint32_t dir, const char *path)
{
	size_t len = strlen(target);

	if (len == 0)
		return -ENOENT;
	if (len + 1 > fs->bsize)
		return -ENAMETOOLONG;
	return make(fs, cr, dir, path, S_IFLNK | 0777, 0, target);
}

int mfs_link(struct mfs *fs, const struct mfs_cred *cr, uint32_t odir,
	     const char *opath, uint32_t ndir, const char *npath)
{
	struct mfs_nameidata nd;
	struct mfs_inode *ip;
	int err;

	err = mfs_walk(fs, cr, odir, opath, MFS_W_NOFOLLOW, &ip);
	if (err)
		return err;
	err = mfs_walk_parent(fs, cr, ndir, npath, &nd);
	if (err)
		goto out_ip;
	err = must_not_exist(fs, cr, &nd);
	if (err)
		goto out;
	err = -ENOENT;
	if (nd.trailing_slash)
		goto out;
	err = mfs_permission(cr, nd.dir, W_OK | X_OK);
	if (err)
		goto out;
	err = -EPERM;
	if (mfs_isdir(ip))
		goto out;
	err = -EROFS;
	if (fs->rdonly)
		goto out;
	err = -EMLINK;
	if (ip->d.i_nlinks >= fs->link_max)
		goto out;
	err = -ENOENT;
	if (nd.dir->d.i_nlinks == 0)
		goto out;
	err = mfs_dir_add(fs, nd.dir, nd.last, nd.lastlen, ip->ino);
	if (err)
		goto out;
	ip->d.i_nlinks++;
	ip->d.i_ctime = mfs_now(fs);
	err = mfs_iupdate(fs, ip);
out:
	mfs_nd_release(fs, &nd);
out_ip:
	mfs_iput(fs, ip);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * iops.c - attribute calls on an inode the server has already found
 * (the core's are path based, and a path walked here may cross mounts):
 * the same rules as the core's attr.c, by inode number.
 */
#include <string.h>
#include <unistd.h>

#include "fs.h"
#include "../mfs_int.h"

int iop_chmod(struct vnode vn, const struct mfs_cred *cr, mode_t mode)
{
	struct mfs *fs = vn.m->fs;
	struct mfs_inode *ip;
	int err;

	err = mfs_iget(fs, vn.ino, &ip);
	if (err)
		return err;
	err = -EPERM;
	if (!mfs_is_owner(cr, ip))
		goto out;
	err = -EROFS;
	if (fs->rdonly)
		goto out;
	mode &= 07777;
	if (cr->uid != 0 && cr->gid != ip->d.i_gid)
		mode &= ~S_ISGID;
	ip->d.i_mode = (ip->d.i_mode & S_IFMT) | mode;
	ip->d.i_ctime = mfs_now(fs);
	err = mfs_iupdate(fs, ip);
out:
	mfs_iput(fs, ip);
	return err;
}

int iop_chown(struct vnode vn, const struct mfs_cred *cr, uint32_t uid,
	      uint32_t gid)
{
	struct mfs *fs = vn.m->fs;
	struct mfs_inode *ip;
	uint16_t mode;
	int err;

	err = mfs_iget(fs, vn.ino, &ip);
	if (err)
		return err;
	err = -EPERM;
	if (cr->uid != 0) {
		if (uid != (uint32_t)-1 &&
		    (cr->uid != ip->d.i_uid || uid != ip->d.i_uid))
			goto out;
		if (gid != (uint32_t)-1 && (cr->uid != ip->d.i_uid ||
		    (gid != cr->gid && gid != ip->d.i_gid)))
			goto out;
	}
	err = -EINVAL;
	if ((uid != (uint32_t)-1 && uid > UINT16_MAX) ||
	    (gid != (uint32_t)-1 && gid > UINT16_MAX))
		goto out;
	err = -EROFS;
	if (fs->rdonly)
		goto out;
	if (uid != (uint32_t)-1)
		ip->d.i_uid = uid;
	if (gid != (uint32_t)-1)
		ip->d.i_gid = gid;
	mode = ip->d.i_mode;
	if (!S_ISDIR(mode)) {
		mode &= ~S_ISUID;
		if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			mode &= ~S_ISGID;
		ip->d.i_mode = mode;
	}
	ip->d.i_ctime = mfs_now(fs);
	err = mfs_iupdate(fs, ip);
out:
	mfs_iput(fs, ip);
	return err;
}

/* times NULL: now (owner or write access); else [0] atime, [1] mtime. */
int iop_utimes(struct vnode vn, const struct mfs_cred *cr,
	       const uint32_t *times, bool omit_a, bool omit_m)
{
	struct mfs *fs = vn.m->fs;
	struct mfs_inode *ip;
	uint32_t t;
	int err;

	err = mfs_iget(fs, vn.ino, &ip);
	if (err)
		return err;
	if (!mfs_is_owner(cr, ip)) {
		err = times ? -EPERM : mfs_permission(cr, ip, W_OK);
		if (err)
			goto out;
	}
	err = -EROFS;
	if (fs->rdonly)
		goto out;
	t = mfs_now(fs);
	if (!omit_a)
		ip->d.i_atime = times ? times[0] : t;
	if (!omit_m)
		ip->d.i_mtime = times ? times[1] : t;
	ip->d.i_ctime = t;
	err = mfs_iupdate(fs, ip);
out:
	mfs_iput(fs, ip);
	return err;
}

int iop_access(struct vnode vn, const struct mfs_cred *cr, int amode)
{
	struct mfs *fs = vn.m->fs;
	struct mfs_inode *ip;
	int err;

	err = mfs_iget(fs, vn.ino, &ip);
	if (err)
		return err;
	err = mfs_permission(cr, ip, amode);
	if (!err && (amode & W_OK) && fs->rdonly &&
	    (S_ISREG(ip->d.i_mode) || S_ISDIR(ip->d.i_mode) ||
	     S_ISLNK(ip->d.i_mode)))
		err = -EROFS;
	mfs_iput(fs, ip);
	return err;
}

int iop_truncate(struct vnode vn, const struct mfs_cred *cr, int64_t len)
{
	struct mfs *fs = vn.m->fs;
	struct mfs_inode *ip;
	int err;

	err = mfs_iget(fs, vn.ino, &ip);
	if (err)
		return err;
	err = -EISDIR;
	if (S_ISDIR(ip->d.i_mode))
		goto out;
	err = -EINVAL;
	if (!S_ISREG(ip->d.i_mode))
		goto out;
	err = mfs_permission(cr, ip, W_OK);
	if (err)
		goto out;
	err = -EROFS;
	if (fs->rdonly)
		goto out;
	err = 0;
out:
	mfs_iput(fs, ip);
	return err ? err : mfs_ftruncate(fs, vn.ino, len);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * remove.c - unlink and rmdir.  The inode itself goes when its link count
 * is 0 and its last reference is dropped (mfs_iput).
 */
#include <string.h>
#include <unistd.h>

#include "mfs_int.h"

static int remove_name(struct mfs *fs, const struct mfs_cred *cr,
		       uint32_t dir, const char *path, bool rmdir)
{
	struct mfs_nameidata nd;
	struct mfs_inode *ip;
	uint64_t pos;
	uint32_t ino;
	int err;

	err = mfs_walk_parent(fs, cr, dir, path, &nd);
	if (err)
		return err;
	if (nd.dot) {
		if (!rmdir)
			err = -EISDIR;
		else if (nd.root)
			err = -EBUSY;
		else
			err = nd.lastlen == 1 ? -EINVAL : -ENOTEMPTY;
		goto out;
	}
	err = mfs_lookup_last(fs, cr, &nd, &ip);
	if (err)
		goto out;
	err = mfs_dir_lookup(fs, nd.dir, nd.last, nd.lastlen, &ino, &pos);
	if (err)
		goto out_ip;
	err = mfs_may_delete(cr, nd.dir, ip);
	if (err)
		goto out_ip;
	if (rmdir) {
		err = -ENOTDIR;
		if (!mfs_isdir(ip))
			goto out_ip;
		err = -EBUSY;
		if (ip->ino == MFS_ROOT_INO)
			goto out_ip;
	} else if (mfs_isdir(ip)) {
		err = -EISDIR;
		goto out_ip;
	} else if (nd.trailing_slash) {
		err = -ENOTDIR;
		goto out_ip;
	}
	err = -EROFS;
	if (fs->rdonly)
		goto out_ip;
	if (rmdir) {
		err = mfs_dir_empty(fs, ip);
		if (err <= 0) {
			err = err ? err : -ENOTEMPTY;
			goto out_ip;
		}
	}
	err = mfs_dir_set(fs, nd.dir, pos, 0);
	if (err)
		goto out_ip;
	nd.dir->d.i_mtime = nd.dir->d.i_ctime = mfs_now(fs);
	if (rmdir) {
		ip->d.i_nlinks = 0;
		if (nd.dir->d.i_nlinks > 0)
			nd.dir->d.i_nlinks--;
	} else {
		ip->d.i_nlinks--;
	}
	ip->d.i_ctime = nd.dir->d.i_mtime;
	mfs_iupdate(fs, nd.dir);
	err = mfs_iupdate(fs, ip);
out_ip:
	mfs_iput(fs, ip);
out:
	mfs_nd_release(fs, &nd);
	return err;
}

int mfs_unlink(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	       const char *path)
{
	return remove_name(fs, cr, dir, path, false);
}

int mfs_rmdir(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path)
{
	return remove_name(fs, cr, dir, path, true);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * rename.c - rename(2) with every POSIX case: replacing a file or an
 * empty directory, refusing a non-empty one (ENOTEMPTY), a directory into
 * its own subtree (EINVAL), mismatched types (EISDIR, ENOTDIR), the same
 * inode under both names (no-op), and moving a directory to a new parent
 * (its ".." and both parents' link counts).
 */
#include <string.h>
#include <unistd.h>

#include "mfs_int.h"

/* -EINVAL if dir is ip or lies below it (walking ".." up to the root). */
static int check_not_below(struct mfs *fs, struct mfs_inode *ip,
			   struct mfs_inode *dir)
{
	uint32_t cur = dir->ino, steps;
	struct mfs_inode *cp;
	int err;

	for (steps = 0; steps <= fs->ninodes; steps++) {
		if (cur == ip->ino)
			return -EINVAL;
		if (cur == MFS_ROOT_INO)
			return 0;
		err = mfs_iget(fs, cur, &cp);
		if (err)
			return err;
		err = mfs_dir_lookup(fs, cp, "..", 2, &cur, NULL);
		mfs_iput(fs, cp);
		if (err)
			return err == -ENOENT ? -EUCLEAN : err;
	}
	return -EUCLEAN;		/* a ".." loop */
}

struct rename_ctx {
	struct mfs_nameidata ond, nnd;
	struct mfs_inode *oip, *nip;
	uint64_t opos, npos;
};

static int rename_checks(struct mfs *fs, const struct mfs_cred *cr,
			 struct rename_ctx *c)
{
	bool isdir = mfs_isdir(c->oip);
	uint32_t ino;
	int err;

	if (!isdir && (c->ond.trailing_slash || c->nnd.trailing_slash))
		return -ENOTDIR;
	if (isdir) {
		err = check_not_below(fs, c->oip, c->nnd.dir);
		if (err)
			return err;
	}
	if (c->nip && c->nip == c->oip)
		return 1;		/* same inode: nothing to do */
	err = mfs_may_delete(cr, c->ond.dir, c->oip);
	if (err)
		return err;
	if (c->nip) {
		err = mfs_may_delete(cr, c->nnd.dir, c->nip);
		if (err)
			return err;
		if (isdir && !mfs_isdir(c->nip))
			return -ENOTDIR;
		if (!isdir && mfs_isdir(c->nip))
			return -EISDIR;
	} else {
		err = mfs_permission(cr, c->nnd.dir, W_OK | X_OK);
		if (err)
			return err;
	}
	if (isdir && c->ond.dir != c->nnd.dir) {
		err = mfs_permission(cr, c->oip, W_OK);
		if (err)
			return err;
	}
	if (fs->rdonly)
		return -EROFS;
	if (c->nip && mfs_isdir(c->nip)) {
		err = mfs_dir_empty(fs, c->nip);
		if (err <= 0)
			return err ? err : -ENOTEMPTY;
	}
	if (isdir && !c->nip && c->ond.dir != c->nnd.dir &&
	    c->nnd.dir->d.i_nlinks >= fs->link_max)
		return -EMLINK;
	if (c->nnd.dir->d.i_nlinks == 0)
		return -ENOENT;
	err = mfs_dir_lookup(fs, c->ond.dir, c->ond.last, c->ond.lastlen,
			     &ino, &c->opos);
	if (err)
		return err;
	if (c->nip) {
		err = mfs_dir_lookup(fs, c->nnd.dir, c->nnd.last,
				     c->nnd.lastlen, &ino, &c->npos);
		if (err)
			return err;
	}
	return 0;
}

static int rename_apply(struct mfs *fs, struct rename_ctx *c)
{
	struct mfs_inode *odir = c->ond.dir, *ndir = c->nnd.dir;
	bool isdir = mfs_isdir(c->oip);
	uint32_t t = mfs_now(fs);
	uint64_t dotdot;
	uint32_t ino;
	int err;

	if (c->nip) {
		err = mfs_dir_set(fs, ndir, c->npos, c->oip->ino);
		if (err)
			return err;
		if (mfs_isdir(c->nip)) {
			c->nip->d.i_nlinks = 0;
			ndir->d.i_nlinks--;
		} else {
			c->nip->d.i_nlinks--;
		}
		c->nip->d.i_ctime = t;
		mfs_iupdate(fs, c->nip);
	} else {
		err = mfs_dir_add(fs, ndir, c->nnd.last, c->nnd.lastlen,
				  c->oip->ino);
		if (err)
			return err;
	}
	err = mfs_dir_set(fs, odir, c->opos, 0);
	if (err)
		return err;
	if (isdir && odir != ndir) {
		err = mfs_dir_lookup(fs, c->oip, "..", 2, &ino, &dotdot);
		if (!err)
			err = mfs_dir_set(fs, c->oip, dotdot, ndir->ino);
		if (odir->d.i_nlinks > 0)
			odir->d.i_nlinks--;
		ndir->d.i_nlinks++;
	}
	odir->d.i_mtime = odir->d.i_ctime = t;
	ndir->d.i_mtime = ndir->d.i_ctime = t;
	c->oip->d.i_ctime = t;
	mfs_iupdate(fs, odir);
	mfs_iupdate(fs, ndir);
	mfs_iupdate(fs, c->oip);
	return err;
}

int mfs_rename(struct mfs *fs, const struct mfs_cred *cr, uint32_t odir,
	       const char *opath, uint32_t ndir, const char *npath)
{
	struct rename_ctx c;
	int err;

	memset(&c, 0, sizeof(c));
	err = mfs_walk_parent(fs, cr, odir, opath, &c.ond);
	if (err)
		return err;
	err = mfs_walk_parent(fs, cr, ndir, npath, &c.nnd);
	if (err)
		goto out_ond;
	err = -EBUSY;
	if (c.ond.dot || c.nnd.dot)
		goto out;
	err = mfs_lookup_last(fs, cr, &c.ond, &c.oip);
	if (err)
		goto out;
	err = mfs_lookup_last(fs, cr, &c.nnd, &c.nip);
	if (err == -ENOENT)
		c.nip = NULL;
	else if (err)
		goto out;
	err = rename_checks(fs, cr, &c);
	if (err == 1)
		err = 0;
	else if (err == 0)
		err = rename_apply(fs, &c);
out:
	mfs_iput(fs, c.nip);
	mfs_iput(fs, c.oip);
	mfs_nd_release(fs, &c.nnd);
out_ond:
	mfs_nd_release(fs, &c.ond);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * attr.c - attributes: stat, chmod, chown, utimes, access, readlink, with
 * Linux's rules for who may change what (no supplementary groups: a
 * caller is in its one gid).
 */
#include <string.h>
#include <unistd.h>

#include "mfs_int.h"

static void fill_stat(struct mfs *fs, struct mfs_inode *ip,
		      struct mfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = ip->ino;
	st->dev = fs->st_dev;
	st->mode = ip->d.i_mode;
	st->nlink = ip->d.i_nlinks;
	st->uid = ip->d.i_uid;
	st->gid = ip->d.i_gid;
	if (S_ISCHR(ip->d.i_mode) || S_ISBLK(ip->d.i_mode))
		st->rdev = ip->d.i_zone[0];
	else
		st->size = ip->d.i_size;
	st->blocks = mfs_count_blocks(fs, ip) * (fs->bsize / 512);
	st->blksize = fs->bsize;
	st->atime = ip->d.i_atime;
	st->mtime = ip->d.i_mtime;
	st->ctime = ip->d.i_ctime;
}

int mfs_fstat(struct mfs *fs, uint32_t ino, struct mfs_stat *st)
{
	struct mfs_inode *ip;
	int err;

	err = mfs_iget(fs, ino, &ip);
	if (err)
		return err;
	fill_stat(fs, ip, st);
	mfs_iput(fs, ip);
	return 0;
}

static int walk_flags(int flags)
{
	return (flags & MFS_L_NOFOLLOW) ? MFS_W_NOFOLLOW : 0;
}

int mfs_stat(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	     const char *path, int flags, struct mfs_stat *st)
{
	struct mfs_inode *ip;
	int err;

	err = mfs_walk(fs, cr, dir, path, walk_flags(flags), &ip);
	if (err)
		return err;
	fill_stat(fs, ip, st);
	mfs_iput(fs, ip);
	return 0;
}

/*
 * The attribute rules, on an inode already found.  The path entry points
 * (mfs_chmod, ...) walk to it first; the _ino ones (used by the FS
 * server, whose lookups cross mount points) take its number.
 */
static int chmod_inode(struct mfs *fs, const struct mfs_cred *cr,
		       struct mfs_inode *ip, mode_t mode)
{
	if (!mfs_is_owner(cr, ip))
		return -EPERM;
	if (fs->rdonly)
		return -EROFS;
	mode &= 07777;
	if (cr->uid != 0 && cr->gid != ip->d.i_gid)
		mode &= ~S_ISGID;
	ip->d.i_mode = (ip->d.i_mode & S_IFMT) | mode;
	ip->d.i_ctime = mfs_now(fs);
	return mfs_iupdate(fs, ip);
}

static int chown_inode(struct mfs *fs, const struct mfs_cred *cr,
		       struct mfs_inode *ip, uint32_t uid, uint32_t gid)
{
	uint16_t mode;

	if (cr->uid != 0) {
		/* only the owner, keeping the uid, giving its own gid */
		if (uid != (uint32_t)-1 &&
		    (cr->uid != ip->d.i_uid || uid != ip->d.i_uid))
			return -EPERM;
		if (gid != (uint32_t)-1 && (cr->uid != ip->d.i_uid ||
		    (gid != cr->gid && gid != ip->d.i_gid)))
			return -EPERM;
	}
	if ((uid != (uint32_t)-1 && uid > UINT16_MAX) ||
	    (gid != (uint32_t)-1 && gid > UINT16_MAX))
		return -EINVAL;
	if (fs->rdonly)
		return -EROFS;
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
	return mfs_iupdate(fs, ip);
}

static int utimes_inode(struct mfs *fs, const struct mfs_cred *cr,
			struct mfs_inode *ip, const uint32_t *times,
			int omit)
{
	uint32_t t;
	int err;

	if (!mfs_is_owner(cr, ip)) {
		err = times ? -EPERM : mfs_permission(cr, ip, W_OK);
		if (err)
			return err;
	}
	if (fs->rdonly)
		return -EROFS;
	t = mfs_now(fs);
	if (!(omit & MFS_UT_OMIT_ATIME))
		ip->d.i_atime = times ? times[0] : t;
	if (!(omit & MFS_UT_OMIT_MTIME))
		ip->d.i_mtime = times ? times[1] : t;
	ip->d.i_ctime = t;
	return mfs_iupdate(fs, ip);
}

static int access_inode(struct mfs *fs, const struct mfs_cred *cr,
			struct mfs_inode *ip, int amode)
{
	int err = mfs_permission(cr, ip, amode);

	if (!err && (amode & W_OK) && fs->rdonly &&
	    (S_ISREG(ip->d.i_mode) || S_ISDIR(ip->d.i_mode) ||
	     S_ISLNK(ip->d.i_mode)))
		err = -EROFS;
	return err;
}

/* Walk to @path (@wflags) or fetch @ino (@path NULL), then apply @op. */
#define MFS_ATTR_ENTRY(fs, cr, dir, path, wflags, ino, call)		\
({									\
	struct mfs_inode *ip;						\
	int __err = (path) ? mfs_walk(fs, cr, dir, path, wflags, &ip) :\
			     mfs_iget(fs, ino, &ip);			\
	if (!__err) {							\
		__err = (call);						\
		mfs_iput(fs, ip);					\
	}								\
	__err;								\
})

int mfs_chmod(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path, mode_t mode)
{
	return MFS_ATTR_ENTRY(fs, cr, dir, path, 0, 0,
			      chmod_inode(fs, cr, ip, mode));
}

int mfs_chmod_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		  mode_t mode)
{
	return MFS_ATTR_ENTRY(fs, cr, 0, NULL, 0, ino,
			      chmod_inode(fs, cr, ip, mode));
}

int mfs_chown(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path, uint32_t uid, uint32_t gid, int flags)
{
	return MFS_ATTR_ENTRY(fs, cr, dir, path, walk_flags(flags), 0,
			      chown_inode(fs, cr, ip, uid, gid));
}

int mfs_chown_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		  uint32_t uid, uint32_t gid)
{
	return MFS_ATTR_ENTRY(fs, cr, 0, NULL, 0, ino,
			      chown_inode(fs, cr, ip, uid, gid));
}

int mfs_utimes(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	       const char *path, const uint32_t *times, int flags)
{
	return MFS_ATTR_ENTRY(fs, cr, dir, path, walk_flags(flags), 0,
			      utimes_inode(fs, cr, ip, times, 0));
}

int mfs_utimes_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		   const uint32_t *times, int omit)
{
	return MFS_ATTR_ENTRY(fs, cr, 0, NULL, 0, ino,
			      utimes_inode(fs, cr, ip, times, omit));
}

int mfs_access(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	       const char *path, int amode)
{
	if (amode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	return MFS_ATTR_ENTRY(fs, cr, dir, path, 0, 0,
			      access_inode(fs, cr, ip, amode));
}

int mfs_access_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		   int amode)
{
	if (amode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	return MFS_ATTR_ENTRY(fs, cr, 0, NULL, 0, ino,
			      access_inode(fs, cr, ip, amode));
}

ssize_t mfs_readlink(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
		     const char *path, char *buf, size_t size)
{
	struct mfs_inode *ip;
	ssize_t n;
	int err;

	if (size == 0)
		return -EINVAL;
	err = mfs_walk(fs, cr, dir, path, MFS_W_NOFOLLOW, &ip);
	if (err)
		return err;
	n = -EINVAL;
	if (!S_ISLNK(ip->d.i_mode))
		goto out;
	n = -EUCLEAN;
	if (ip->d.i_size >= fs->bsize)
		goto out;
	n = mfs_iread(fs, ip, buf, size < ip->d.i_size ? size :
		      ip->d.i_size, 0);
out:
	mfs_iput(fs, ip);
	return n;
}

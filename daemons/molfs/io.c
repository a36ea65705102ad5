// SPDX-License-Identifier: GPL-2.0
/*
 * io.c - the inode-number side of the API: lookup, references, read,
 * write, append, truncate.
 */
#include <unistd.h>

#include "mfs_int.h"

int mfs_lookup(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	       const char *path, int flags, uint32_t *inop)
{
	struct mfs_inode *ip;
	int err;

	err = mfs_walk(fs, cr, dir, path,
		       (flags & MFS_L_NOFOLLOW) ? MFS_W_NOFOLLOW : 0, &ip);
	if (err)
		return err;
	*inop = ip->ino;
	if (!(flags & MFS_L_REF))
		mfs_iput(fs, ip);
	return 0;
}

int mfs_get(struct mfs *fs, uint32_t ino)
{
	struct mfs_inode *ip;

	return mfs_iget(fs, ino, &ip);
}

void mfs_put(struct mfs *fs, uint32_t ino)
{
	struct mfs_inode *ip;

	if (mfs_iget(fs, ino, &ip))
		return;
	if (ip->refs > 1)
		mfs_iput(fs, ip);	/* the caller's reference */
	mfs_iput(fs, ip);
}

/* relatime: touch atime only when older than mtime/ctime or a day. */
static void touch_atime(struct mfs *fs, struct mfs_inode *ip)
{
	uint32_t t = mfs_now(fs), a = ip->d.i_atime;

	if (fs->rdonly)
		return;
	if (a <= ip->d.i_mtime || a <= ip->d.i_ctime || t - a >= 86400) {
		ip->d.i_atime = t;
		mfs_iupdate(fs, ip);
	}
}

ssize_t mfs_read(struct mfs *fs, uint32_t ino, void *buf, size_t len,
		 uint64_t off)
{
	struct mfs_inode *ip;
	ssize_t n;
	int err;

	err = mfs_iget(fs, ino, &ip);
	if (err)
		return err;
	if (mfs_isdir(ip))
		n = -EISDIR;
	else if (!S_ISREG(ip->d.i_mode) && !S_ISLNK(ip->d.i_mode))
		n = -EINVAL;
	else
		n = mfs_iread(fs, ip, buf, len, off);
	if (n > 0)
		touch_atime(fs, ip);
	mfs_iput(fs, ip);
	return n;
}

/*
 * A long write in pieces, with a write-back between them when the cache
 * is over its high-water mark: after each piece the file is a consistent
 * prefix of the write, so a flush there is between operations.
 */
#define MFS_WRITE_PIECE	(256U << 10)

static ssize_t write_pieces(struct mfs *fs, struct mfs_inode *ip,
			    const void *buf, size_t len, uint64_t off)
{
	const uint8_t *p = buf;
	size_t done = 0, n;
	ssize_t r;

	do {
		n = len - done < MFS_WRITE_PIECE ? len - done :
						   MFS_WRITE_PIECE;
		r = mfs_iwrite(fs, ip, p + done, n, off + done);
		if (r < 0)
			return done ? (ssize_t)done : r;
		done += r;
		if ((size_t)r < n)
			break;
		if (done < len && mfs_writeback(fs) < 0)
			break;
	} while (done < len);
	return done;
}

static ssize_t do_write(struct mfs *fs, const struct mfs_cred *cr,
			uint32_t ino, const void *buf, size_t len,
			uint64_t *offp, bool append)
{
	struct mfs_inode *ip;
	ssize_t n;
	int err;

	err = mfs_iget(fs, ino, &ip);
	if (err)
		return err;
	if (mfs_isdir(ip)) {
		n = -EISDIR;
		goto out;
	}
	if (!S_ISREG(ip->d.i_mode)) {
		n = -EINVAL;
		goto out;
	}
	if (fs->rdonly) {
		n = -EROFS;
		goto out;
	}
	if (append)
		*offp = ip->d.i_size;
	if (cr->uid != 0 && len > 0) {	/* a write drops set-id bits */
		ip->d.i_mode &= ~S_ISUID;
		if (ip->d.i_mode & S_IXGRP)
			ip->d.i_mode &= ~S_ISGID;
	}
	n = write_pieces(fs, ip, buf, len, *offp);
	if (n > 0 && append)
		*offp += n;
out:
	mfs_iput(fs, ip);
	return n;
}

ssize_t mfs_write(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		  const void *buf, size_t len, uint64_t off)
{
	return do_write(fs, cr, ino, buf, len, &off, false);
}

ssize_t mfs_append(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		   const void *buf, size_t len, uint64_t *offp)
{
	return do_write(fs, cr, ino, buf, len, offp, true);
}

static int truncate_inode(struct mfs *fs, struct mfs_inode *ip, int64_t len)
{
	int err;

	if (mfs_isdir(ip))
		return -EISDIR;
	if (!S_ISREG(ip->d.i_mode))
		return -EINVAL;
	if (fs->rdonly)
		return -EROFS;
	if ((uint64_t)len > fs->max_size)
		return -EFBIG;
	err = mfs_itruncate(fs, ip, len);
	if (err)
		return err;
	ip->d.i_mtime = ip->d.i_ctime = mfs_now(fs);
	return mfs_iupdate(fs, ip);
}

int mfs_ftruncate(struct mfs *fs, uint32_t ino, int64_t len)
{
	struct mfs_inode *ip;
	int err;

	if (len < 0)
		return -EINVAL;
	err = mfs_iget(fs, ino, &ip);
	if (err)
		return err;
	err = truncate_inode(fs, ip, len);
	mfs_iput(fs, ip);
	return err;
}

/* truncate(2) of an inode found by name: Linux's checks, in its order. */
static int truncate_checked(struct mfs *fs, const struct mfs_cred *cr,
			    struct mfs_inode *ip, int64_t len)
{
	/* EISDIR, EINVAL, EROFS, then EACCES */
	int err = mfs_isdir(ip) ? -EISDIR : !S_ISREG(ip->d.i_mode) ? -EINVAL :
		  fs->rdonly ? -EROFS : mfs_permission(cr, ip, W_OK);

	return err ? err : truncate_inode(fs, ip, len);
}

int mfs_truncate(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
		 const char *path, int64_t len)
{
	struct mfs_inode *ip;
	int err;

	if (len < 0)
		return -EINVAL;
	err = mfs_walk(fs, cr, dir, path, 0, &ip);
	if (err)
		return err;
	err = truncate_checked(fs, cr, ip, len);
	mfs_iput(fs, ip);
	return err;
}

int mfs_truncate_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		     int64_t len)
{
	struct mfs_inode *ip;
	int err;

	if (len < 0)
		return -EINVAL;
	err = mfs_iget(fs, ino, &ip);
	if (err)
		return err;
	err = truncate_checked(fs, cr, ip, len);
	mfs_iput(fs, ip);
	return err;
}

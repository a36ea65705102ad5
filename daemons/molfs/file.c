// SPDX-License-Identifier: GPL-2.0
/*
 * file.c - reading, writing and truncating an inode's data.  Holes (zone
 * 0 anywhere in the tree) read as zeros; writing into a hole allocates.
 */
#include <string.h>

#include "mfs_int.h"

/* Read-ahead past the request for a sequential reader, in bytes. */
#define MFS_READAHEAD	(256U << 10)

/*
 * File block @fb (at zone @zone) is about to be read and is not cached:
 * bring in with one device read the zones that follow it, as far as the
 * request goes (@upto: bytes still wanted from @fb on), plus
 * MFS_READAHEAD when the reader is sequential.  The run may step over
 * up to MFS_RA_GAP blocks between two zones of the file (its own
 * indirect blocks, which the mapping needs anyway); what is read there
 * is the disk's copy of an uncached block, as a plain read would get.
 */
#define MFS_RA_GAP	2

static void readahead(struct mfs *fs, struct mfs_inode *ip, uint64_t fb,
		      uint32_t zone, uint64_t upto, bool sequential)
{
	uint64_t want = upto + (sequential ? MFS_READAHEAD : 0), last, k;
	uint32_t span = 1, z;

	want = (want + fs->bsize - 1) / fs->bsize;
	last = ip->d.i_size ? (ip->d.i_size - 1) / fs->bsize : 0;
	for (k = 1; k < want && fb + k <= last; k++) {
		if (mfs_bmap(fs, ip, fb + k, false, &z) || z < zone + span ||
		    z - (zone + span) > MFS_RA_GAP ||
		    z - zone >= fs->nominal / 4)
			break;
		span = z - zone + 1;
	}
	if (span > 1)
		mfs_bprefetch(fs, zone, span);
}

ssize_t mfs_iread(struct mfs *fs, struct mfs_inode *ip, void *buf,
		  size_t len, uint64_t off)
{
	bool sequential = off == ip->ra_next;
	uint8_t *p = buf;
	size_t done = 0;
	int err = 0;

	if (off >= ip->d.i_size)
		return 0;
	if (len > ip->d.i_size - off)
		len = ip->d.i_size - off;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t boff = pos % fs->bsize, zone;
		size_t n = fs->bsize - boff;
		struct mfs_buf *b;

		if (n > len - done)
			n = len - done;
		err = mfs_bmap(fs, ip, pos / fs->bsize, false, &zone);
		if (err)
			break;
		if (!zone) {
			memset(p + done, 0, n);
		} else {
			if (!mfs_bcached(fs, zone))
				readahead(fs, ip, pos / fs->bsize, zone,
					  len - done + boff, sequential);
			err = mfs_bget(fs, zone, MFS_B_READ, MFS_BUF_DATA, &b);
			if (err)
				break;
			memcpy(p + done, b->data + boff, n);
			mfs_bput(fs, b);
		}
		done += n;
	}
	ip->ra_next = off + done;
	return done ? (ssize_t)done : err;
}

ssize_t mfs_iwrite(struct mfs *fs, struct mfs_inode *ip, const void *buf,
		   size_t len, uint64_t off)
{
	const uint8_t *p = buf;
	size_t done = 0;
	int err = 0, e;

	if (fs->rdonly)
		return -EROFS;
	if (len == 0)
		return 0;
	if (off >= fs->max_size)
		return -EFBIG;
	if (len > fs->max_size - off)
		len = fs->max_size - off;
	while (done < len) {
		uint64_t pos = off + done;
		uint32_t boff = pos % fs->bsize, zone;
		size_t n = fs->bsize - boff;
		struct mfs_buf *b;

		if (n > len - done)
			n = len - done;
		err = mfs_bmap(fs, ip, pos / fs->bsize, true, &zone);
		if (err)
			break;
		err = mfs_bget(fs, zone, n == fs->bsize ? MFS_B_NOREAD :
			       MFS_B_READ, MFS_BUF_DATA, &b);
		if (err)
			break;
		memcpy(b->data + boff, p + done, n);
		mfs_bdirty(b);
		mfs_bput(fs, b);
		done += n;
		if (pos + n > ip->d.i_size)
			ip->d.i_size = pos + n;
	}
	if (done)
		ip->d.i_mtime = ip->d.i_ctime = mfs_now(fs);
	e = mfs_iupdate(fs, ip);
	if (done)
		return done;
	return err ? err : e;
}

/* Zero the bytes of the last block past len (so growing reads zeros). */
static int zero_tail(struct mfs *fs, struct mfs_inode *ip, uint64_t len)
{
	uint32_t boff = len % fs->bsize, zone;
	struct mfs_buf *b;
	int err;

	if (boff == 0)
		return 0;
	err = mfs_bmap(fs, ip, len / fs->bsize, false, &zone);
	if (err || !zone)
		return err;
	err = mfs_bget(fs, zone, MFS_B_READ, MFS_BUF_DATA, &b);
	if (err)
		return err;
	memset(b->data + boff, 0, fs->bsize - boff);
	mfs_bdirty(b);
	mfs_bput(fs, b);
	return 0;
}

int mfs_itruncate(struct mfs *fs, struct mfs_inode *ip, uint64_t len)
{
	int err = 0, e;

	if (fs->rdonly)
		return -EROFS;
	if (S_ISCHR(ip->d.i_mode) || S_ISBLK(ip->d.i_mode))
		return 0;
	if (len > fs->max_size)
		return -EFBIG;
	if (len < ip->d.i_size) {
		err = mfs_free_from(fs, ip, (len + fs->bsize - 1) / fs->bsize);
		e = zero_tail(fs, ip, len);
		if (e && !err)
			err = e;
	}
	ip->d.i_size = len;
	e = mfs_iupdate(fs, ip);
	return err ? err : e;
}

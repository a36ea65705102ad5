// SPDX-License-Identifier: GPL-2.0
/*
 * bmap.c - the zone tree of an inode: 7 direct zones, one indirect, one
 * double-indirect (the triple-indirect slot is only ever freed, never
 * filled: the 32-bit i_size ends well before it).  Mapping a file block
 * to its zone (allocating on the way when writing), freeing the tail of
 * the tree on truncate, counting allocated blocks for st_blocks.
 */
#include <string.h>

#include "mfs_int.h"

/* File blocks covered by one entry at a level (0: a data zone). */
static uint64_t span(struct mfs *fs, int level)
{
	uint64_t s = 1;

	while (level-- > 0)
		s *= fs->zpb;
	return s;
}

/*
 * Find the slot for fblk: its top-level index in i_zone, the depth of
 * indirection below it and the block index relative to that subtree.
 */
static int locate(struct mfs *fs, uint64_t fblk, int *top, int *depth,
		  uint64_t *rel)
{
	uint64_t base = MFS_NR_DZONES;
	int d;

	if (fblk < MFS_NR_DZONES) {
		*top = (int)fblk;
		*depth = 0;
		*rel = 0;
		return 0;
	}
	for (d = 1; d <= 2; d++) {
		if (fblk < base + span(fs, d)) {
			*top = MFS_NR_DZONES + d - 1;
			*depth = d;
			*rel = fblk - base;
			return 0;
		}
		base += span(fs, d);
	}
	return -EFBIG;
}

/*
 * A new zone, zeroed in the cache (a hole or an indirect block must read
 * as zeros even if the writer fills only part of it).
 */
static int new_zone(struct mfs *fs, enum mfs_buf_class cl, uint32_t *zonep)
{
	struct mfs_buf *b;
	uint32_t z;
	int err;

	err = mfs_zone_alloc(fs, &z);
	if (err)
		return err;
	err = mfs_bget(fs, z, MFS_B_NOREAD, cl, &b);
	if (err) {
		mfs_zone_free(fs, z);
		return err;
	}
	mfs_bdirty(b);
	mfs_bput(fs, b);
	*zonep = z;
	return 0;
}

/*
 * *zonep: the data zone of file block fblk, 0 for a hole (create false).
 * With create, missing indirect blocks and the data zone are allocated;
 * the inode is written back by the caller (its zone array may change).
 */
int mfs_bmap(struct mfs *fs, struct mfs_inode *ip, uint64_t fblk,
	     bool create, uint32_t *zonep)
{
	struct mfs_buf *b = NULL;
	uint32_t *slot, z;
	uint64_t rel;
	int top, depth, err;

	err = locate(fs, fblk, &top, &depth, &rel);
	if (err)
		return err;
	slot = &ip->d.i_zone[top];
	for (;;) {
		z = *slot;
		if (z && !mfs_zone_ok(fs, z)) {
			err = -EUCLEAN;
			goto out;
		}
		if (!z) {
			if (!create) {
				*zonep = 0;
				err = 0;
				goto out;
			}
			err = new_zone(fs, depth > 0 ? MFS_BUF_INDIRECT :
				       MFS_BUF_DATA, &z);
			if (err)
				goto out;
			*slot = z;
			if (b)
				mfs_bdirty(b);
		}
		if (depth == 0)
			break;
		mfs_bput(fs, b);
		b = NULL;
		err = mfs_bget(fs, z, MFS_B_READ, MFS_BUF_INDIRECT, &b);
		if (err)
			goto out;
		depth--;
		slot = (uint32_t *)b->data + rel / span(fs, depth);
		rel %= span(fs, depth);
	}
	*zonep = z;
	err = 0;
out:
	mfs_bput(fs, b);
	return err;
}

/*
 * Free the blocks at relative index >= first in the subtree of *slot
 * (depth levels of indirection); the indirect block itself goes when
 * first is 0.  Bad zone numbers are dropped and reported as -EUCLEAN.
 */
static int free_range(struct mfs *fs, uint32_t *slot, int depth,
		      uint64_t first)
{
	struct mfs_buf *b;
	uint64_t s, i;
	uint32_t *ent;
	int err = 0, e;

	if (*slot == 0)
		return 0;
	if (!mfs_zone_ok(fs, *slot)) {
		*slot = 0;
		return -EUCLEAN;
	}
	if (depth > 0) {
		e = mfs_bget(fs, *slot, MFS_B_READ, MFS_BUF_INDIRECT, &b);
		if (e)
			return e;
		ent = (uint32_t *)b->data;
		s = span(fs, depth - 1);
		for (i = first / s; i < fs->zpb; i++) {
			uint32_t old = ent[i];

			e = free_range(fs, &ent[i], depth - 1,
				       i == first / s ? first % s : 0);
			if (e && !err)
				err = e;
			if (ent[i] != old)
				mfs_bdirty(b);
		}
		mfs_bput(fs, b);
	}
	if (first == 0) {
		e = mfs_zone_free(fs, *slot);
		if (e && !err)
			err = e;
		*slot = 0;
	}
	return err;
}

/* Free every zone holding file blocks >= fblk (and emptied indirects). */
int mfs_free_from(struct mfs *fs, struct mfs_inode *ip, uint64_t fblk)
{
	uint64_t base = MFS_NR_DZONES;
	int i, d, err = 0, e;

	for (i = 0; i < MFS_NR_DZONES; i++) {
		if ((uint64_t)i >= fblk) {
			e = free_range(fs, &ip->d.i_zone[i], 0, 0);
			if (e && !err)
				err = e;
		}
	}
	for (d = 1; d <= 3; d++) {
		e = free_range(fs, &ip->d.i_zone[MFS_NR_DZONES + d - 1], d,
			       fblk > base ? fblk - base : 0);
		if (e && !err)
			err = e;
		base += span(fs, d);
		if (base > (uint64_t)1 << 48)
			break;
	}
	return err;
}

static int count_tree(struct mfs *fs, uint32_t zone, int depth,
		      uint64_t *n)
{
	struct mfs_buf *b;
	uint32_t i, *ent;
	int err = 0;

	if (!zone)
		return 0;
	if (!mfs_zone_ok(fs, zone))
		return -EUCLEAN;
	(*n)++;
	if (depth == 0)
		return 0;
	err = mfs_bget(fs, zone, MFS_B_READ, MFS_BUF_INDIRECT, &b);
	if (err)
		return err;
	ent = (uint32_t *)b->data;
	for (i = 0; i < fs->zpb && !err; i++) {
		if (depth == 1) {
			if (ent[i])
				(*n)++;
		} else {
			err = count_tree(fs, ent[i], depth - 1, n);
		}
	}
	mfs_bput(fs, b);
	return err;
}

/* Zones allocated to ip (data and indirect); errors count as nothing. */
uint64_t mfs_count_blocks(struct mfs *fs, struct mfs_inode *ip)
{
	uint64_t n = 0;
	int i;

	if (S_ISCHR(ip->d.i_mode) || S_ISBLK(ip->d.i_mode))
		return 0;
	for (i = 0; i < MFS_NR_DZONES; i++) {
		if (ip->d.i_zone[i])
			n++;
	}
	for (i = 1; i <= 3; i++)
		count_tree(fs, ip->d.i_zone[MFS_NR_DZONES + i - 1], i, &n);
	return n;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * bitmap.c - the inode and zone bitmaps.  Bit 0 of each map is reserved
 * (always set); inode n is bit n, zone z is bit z - s_firstdatazone + 1.
 * Bits past the last inode or zone are never touched.
 */
#include <stddef.h>

#include "mfs_int.h"

static void map_geometry(struct mfs *fs, enum mfs_map map, uint32_t *start,
			 uint32_t *nbits)
{
	if (map == MFS_IMAP) {
		*start = MFS_IMAP_BLOCK;
		*nbits = fs->ninodes + 1;
	} else {
		*start = MFS_IMAP_BLOCK + fs->imap_blocks;
		*nbits = fs->nzones - fs->firstdata + 1;
	}
}

static int map_buf(struct mfs *fs, enum mfs_map map, uint32_t bit,
		   struct mfs_buf **bp)
{
	uint32_t start, nbits, bpb = fs->bsize * 8;

	map_geometry(fs, map, &start, &nbits);
	return mfs_bget(fs, start + bit / bpb, MFS_B_READ, MFS_BUF_BITMAP, bp);
}

int mfs_bit_test(struct mfs *fs, enum mfs_map map, uint32_t bit)
{
	uint32_t start, nbits, off = bit % (fs->bsize * 8);
	struct mfs_buf *b;
	int err, r;

	map_geometry(fs, map, &start, &nbits);
	if (bit == 0 || bit >= nbits)
		return -EUCLEAN;
	err = map_buf(fs, map, bit, &b);
	if (err)
		return err;
	r = (b->data[off / 8] >> (off % 8)) & 1;
	mfs_bput(fs, b);
	return r;
}

int mfs_bit_alloc(struct mfs *fs, enum mfs_map map, uint32_t *bitp)
{
	uint32_t start, nbits, bpb = fs->bsize * 8;
	uint32_t *hint = map == MFS_IMAP ? &fs->isearch : &fs->zsearch;
	uint32_t bit, first, pass;
	struct mfs_buf *b = NULL;
	int err;

	map_geometry(fs, map, &start, &nbits);
	first = (*hint > 0 && *hint < nbits) ? *hint : 1;
	for (pass = 0; pass < 2; pass++) {
		uint32_t end = pass ? first : nbits;

		bit = pass ? 1 : first;
		while (bit < end) {
			uint32_t off = bit % bpb;

			if (!b || b->blk != start + bit / bpb) {
				mfs_bput(fs, b);
				b = NULL;
				err = map_buf(fs, map, bit, &b);
				if (err)
					return err;
			}
			if (off % 8 == 0 && b->data[off / 8] == 0xff &&
			    bit + 8 <= end) {
				bit += 8;
				continue;
			}
			if (!((b->data[off / 8] >> (off % 8)) & 1)) {
				b->data[off / 8] |= 1 << (off % 8);
				mfs_bdirty(b);
				mfs_bput(fs, b);
				*hint = bit + 1;
				*bitp = bit;
				return 0;
			}
			bit++;
		}
	}
	mfs_bput(fs, b);
	return -ENOSPC;
}

int mfs_bit_free(struct mfs *fs, enum mfs_map map, uint32_t bit)
{
	uint32_t start, nbits, off = bit % (fs->bsize * 8);
	uint32_t *hint = map == MFS_IMAP ? &fs->isearch : &fs->zsearch;
	struct mfs_buf *b;
	int err;

	map_geometry(fs, map, &start, &nbits);
	if (bit == 0 || bit >= nbits)
		return -EUCLEAN;
	err = map_buf(fs, map, bit, &b);
	if (err)
		return err;
	if (!((b->data[off / 8] >> (off % 8)) & 1))
		err = -EUCLEAN;		/* freeing a free bit: corruption */
	b->data[off / 8] &= ~(1 << (off % 8));
	mfs_bdirty(b);
	mfs_bput(fs, b);
	if (bit < *hint)
		*hint = bit;
	return err;
}

int mfs_bit_count_free(struct mfs *fs, enum mfs_map map, uint64_t *nfree)
{
	uint32_t start, nbits, bpb = fs->bsize * 8, bit;
	struct mfs_buf *b = NULL;
	uint64_t n = 0;
	int err;

	map_geometry(fs, map, &start, &nbits);
	for (bit = 1; bit < nbits; bit++) {
		uint32_t off = bit % bpb;

		if (!b || b->blk != start + bit / bpb) {
			mfs_bput(fs, b);
			b = NULL;
			err = map_buf(fs, map, bit, &b);
			if (err)
				return err;
		}
		if (!((b->data[off / 8] >> (off % 8)) & 1))
			n++;
	}
	mfs_bput(fs, b);
	*nfree = n;
	return 0;
}

int mfs_zone_alloc(struct mfs *fs, uint32_t *zonep)
{
	uint32_t bit;
	int err;

	if (fs->rdonly)
		return -EROFS;
	err = mfs_bit_alloc(fs, MFS_ZMAP, &bit);
	if (err)
		return err;
	*zonep = fs->firstdata + bit - 1;
	return 0;
}

int mfs_zone_free(struct mfs *fs, uint32_t zone)
{
	if (!mfs_zone_ok(fs, zone))
		return -EUCLEAN;
	mfs_binval(fs, zone);
	return mfs_bit_free(fs, MFS_ZMAP, zone - fs->firstdata + 1);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - molfs's buffer cache: a fixed set of block buffers, hashed by
 * block number, unreferenced ones kept in LRU order.  Writes are
 * write-back: a dirty buffer reaches the device only when the cache needs
 * room or on mfs_sync(), and then always through mfs_cache_flush(), which
 * writes every dirty buffer class by class (data, indirect, inode table,
 * bitmaps, superblock).  See Documentation/filesystem.md.
 */
#include <stdlib.h>
#include <string.h>

#include "mfs_int.h"

#define MFS_DEFAULT_NBUFS	1024

static unsigned int bhash(struct mfs *fs, uint32_t blk)
{
	return (blk * 2654435761u) & (fs->bhash_size - 1);
}

static void lru_del(struct mfs_buf *b)
{
	b->lru_prev->lru_next = b->lru_next;
	b->lru_next->lru_prev = b->lru_prev;
	b->lru_prev = b->lru_next = b;
}

static void lru_add_tail(struct mfs *fs, struct mfs_buf *b)
{
	b->lru_prev = fs->lru.lru_prev;
	b->lru_next = &fs->lru;
	fs->lru.lru_prev->lru_next = b;
	fs->lru.lru_prev = b;
}

static void lru_add_head(struct mfs *fs, struct mfs_buf *b)
{
	b->lru_next = fs->lru.lru_next;
	b->lru_prev = &fs->lru;
	fs->lru.lru_next->lru_prev = b;
	fs->lru.lru_next = b;
}

static void hash_del(struct mfs *fs, struct mfs_buf *b)
{
	struct mfs_buf **pp = &fs->bhash[bhash(fs, b->blk)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == b) {
			*pp = b->hnext;
			break;
		}
	}
	b->hnext = NULL;
	b->valid = false;
}

int mfs_cache_init(struct mfs *fs, unsigned int nbufs)
{
	unsigned int i;

	if (nbufs < 16)
		nbufs = MFS_DEFAULT_NBUFS;
	fs->bhash_size = 1;
	while (fs->bhash_size < nbufs)
		fs->bhash_size <<= 1;
	fs->bhash = calloc(fs->bhash_size, sizeof(*fs->bhash));
	fs->bufs = calloc(nbufs, sizeof(*fs->bufs));
	if (!fs->bhash || !fs->bufs)
		goto fail;
	fs->nbufs = nbufs;
	fs->lru.lru_next = fs->lru.lru_prev = &fs->lru;
	for (i = 0; i < nbufs; i++) {
		struct mfs_buf *b = &fs->bufs[i];

		b->data = malloc(fs->bsize);
		if (!b->data)
			goto fail;
		lru_add_tail(fs, b);
	}
	return 0;

fail:
	mfs_cache_destroy(fs);
	return -ENOMEM;
}

void mfs_cache_destroy(struct mfs *fs)
{
	unsigned int i;

	if (fs->bufs) {
		for (i = 0; i < fs->nbufs; i++)
			free(fs->bufs[i].data);
	}
	free(fs->bufs);
	free(fs->bhash);
	fs->bufs = NULL;
	fs->bhash = NULL;
	fs->nbufs = 0;
}

static int bwrite(struct mfs *fs, struct mfs_buf *b)
{
	int err;

	err = fs->dev->write(fs->dev, (uint64_t)b->blk * fs->bsize, b->data,
			     fs->bsize);
	if (err) {
		fs->error = err;
		return err;
	}
	b->dirty = false;
	return 0;
}

int mfs_cache_flush(struct mfs *fs)
{
	int cl, ret = 0, err;
	unsigned int i;

	for (cl = 0; cl < MFS_BUF_NCLASSES; cl++) {
		for (i = 0; i < fs->nbufs; i++) {
			struct mfs_buf *b = &fs->bufs[i];

			if (!b->valid || !b->dirty || (int)b->class != cl)
				continue;
			err = bwrite(fs, b);
			if (err && !ret)
				ret = err;
		}
	}
	return ret;
}

static struct mfs_buf *lookup(struct mfs *fs, uint32_t blk)
{
	struct mfs_buf *b;

	for (b = fs->bhash[bhash(fs, blk)]; b; b = b->hnext) {
		if (b->blk == blk)
			return b;
	}
	return NULL;
}

/* An unreferenced buffer to reuse; writes back everything if need be. */
static int victim(struct mfs *fs, struct mfs_buf **bp)
{
	struct mfs_buf *b = fs->lru.lru_next;
	int err;

	if (b == &fs->lru)
		return -ENOMEM;		/* every buffer is referenced */
	if (b->valid && b->dirty) {
		err = mfs_cache_flush(fs);
		if (err)
			return err;
	}
	if (b->valid)
		hash_del(fs, b);
	*bp = b;
	return 0;
}

int mfs_bget(struct mfs *fs, uint32_t blk, int mode, enum mfs_buf_class cl,
	     struct mfs_buf **bp)
{
	struct mfs_buf *b;
	int err;

	if (fs->nzones && blk >= fs->nzones)
		return -EUCLEAN;
	b = lookup(fs, blk);
	if (b) {
		if (b->refs++ == 0)
			lru_del(b);
		if (mode == MFS_B_NOREAD)
			memset(b->data, 0, fs->bsize);
		b->class = cl;
		*bp = b;
		return 0;
	}
	err = victim(fs, &b);
	if (err)
		return err;
	lru_del(b);
	if (mode == MFS_B_NOREAD) {
		memset(b->data, 0, fs->bsize);
	} else {
		err = fs->dev->read(fs->dev, (uint64_t)blk * fs->bsize,
				    b->data, fs->bsize);
		if (err) {
			lru_add_head(fs, b);
			return -EIO;
		}
	}
	b->blk = blk;
	b->refs = 1;
	b->valid = true;
	b->dirty = false;
	b->class = cl;
	b->hnext = fs->bhash[bhash(fs, blk)];
	fs->bhash[bhash(fs, blk)] = b;
	*bp = b;
	return 0;
}

void mfs_bdirty(struct mfs_buf *b)
{
	b->dirty = true;
}

void mfs_bput(struct mfs *fs, struct mfs_buf *b)
{
	if (!b)
		return;
	if (--b->refs == 0)
		lru_add_tail(fs, b);
}

/* Forget a freed block: its dirty contents need not reach the disk. */
void mfs_binval(struct mfs *fs, uint32_t blk)
{
	struct mfs_buf *b = lookup(fs, blk);

	if (!b || b->refs)
		return;
	hash_del(fs, b);
	b->dirty = false;
	lru_del(b);
	lru_add_head(fs, b);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * cache.c - molfs's buffer cache: block buffers hashed by block number.
 * A buffer is in one of three states: clean and unreferenced (on the LRU
 * list, reusable), dirty (on the dirty list, referenced or not), or clean
 * and referenced (on no list).
 *
 * Writes are write-back, and nothing is ever written back in the middle
 * of an operation: when a buffer is needed and no clean unreferenced one
 * is left, the cache grows past its nominal size instead.  Dirty buffers
 * reach the device only through mfs_cache_flush(), which the callers run
 * between operations, where the in-memory state is consistent: mfs_sync(),
 * mfs_writeback() (over the high-water mark).  A flush is one batch: every
 * dirty block, sorted and merged into runs of contiguous blocks, handed to
 * the device's commit (all or nothing: a redo log, redolog.c), so the
 * image always holds the state between two operations.  After a flush,
 * the cache shrinks back to its nominal size.  See Documentation/
 * filesystem.md, "Buffer cache and write ordering".
 */
#include <stdlib.h>
#include <string.h>

#include "mfs_int.h"

/* Default size: 4 MiB of blocks (4096 buffers of 1 KiB), at least 256. */
#define MFS_DEFAULT_BYTES	(4U << 20)
#define MFS_MIN_DEFAULT_NBUFS	256
/* Flush above this many dirty bytes, whatever the cache size. */
#define MFS_HIWATER_BYTES	(8U << 20)

static unsigned int bhash(struct mfs *fs, uint32_t blk)
{
	return (blk * 2654435761u) & (fs->bhash_size - 1);
}

static void list_del(struct mfs_buf *b)
{
	b->lru_prev->lru_next = b->lru_next;
	b->lru_next->lru_prev = b->lru_prev;
	b->lru_prev = b->lru_next = b;
}

static void list_add_tail(struct mfs_buf *head, struct mfs_buf *b)
{
	b->lru_prev = head->lru_prev;
	b->lru_next = head;
	head->lru_prev->lru_next = b;
	head->lru_prev = b;
}

static void list_add_head(struct mfs_buf *head, struct mfs_buf *b)
{
	b->lru_next = head->lru_next;
	b->lru_prev = head;
	head->lru_next->lru_prev = b;
	head->lru_next = b;
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

static struct mfs_buf *buf_new(struct mfs *fs)
{
	struct mfs_buf *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	b->data = malloc(fs->bsize);
	if (!b->data) {
		free(b);
		return NULL;
	}
	b->fs = fs;
	b->lru_prev = b->lru_next = b;
	fs->nbufs++;
	return b;
}

static void buf_free(struct mfs *fs, struct mfs_buf *b)
{
	if (b->valid)
		hash_del(fs, b);
	list_del(b);
	free(b->data);
	free(b);
	fs->nbufs--;
}

int mfs_cache_init(struct mfs *fs, unsigned int nbufs)
{
	struct mfs_buf *b;
	unsigned int i;

	if (nbufs < 16) {
		nbufs = MFS_DEFAULT_BYTES / fs->bsize;
		if (nbufs < MFS_MIN_DEFAULT_NBUFS)
			nbufs = MFS_MIN_DEFAULT_NBUFS;
	}
	fs->bhash_size = 1;
	while (fs->bhash_size < nbufs)
		fs->bhash_size <<= 1;
	fs->bhash = calloc(fs->bhash_size, sizeof(*fs->bhash));
	if (!fs->bhash)
		return -ENOMEM;
	fs->lru.lru_next = fs->lru.lru_prev = &fs->lru;
	fs->dirty.lru_next = fs->dirty.lru_prev = &fs->dirty;
	fs->nbufs = fs->ndirty = 0;
	fs->nominal = nbufs;
	fs->hiwater = nbufs / 2;
	if (fs->hiwater > MFS_HIWATER_BYTES / fs->bsize)
		fs->hiwater = MFS_HIWATER_BYTES / fs->bsize;
	for (i = 0; i < nbufs; i++) {
		b = buf_new(fs);
		if (!b) {
			mfs_cache_destroy(fs);
			return -ENOMEM;
		}
		list_add_tail(&fs->lru, b);
	}
	return 0;
}

void mfs_cache_destroy(struct mfs *fs)
{
	if (fs->lru.lru_next) {
		while (fs->lru.lru_next != &fs->lru)
			buf_free(fs, fs->lru.lru_next);
	}
	if (fs->dirty.lru_next) {
		while (fs->dirty.lru_next != &fs->dirty)
			buf_free(fs, fs->dirty.lru_next);
	}
	free(fs->bhash);
	fs->bhash = NULL;
}

/* Back to the nominal size: free the least recent clean buffers. */
static void shrink(struct mfs *fs)
{
	while (fs->nbufs > fs->nominal && fs->lru.lru_next != &fs->lru)
		buf_free(fs, fs->lru.lru_next);
}

static int cmp_blk(const void *a, const void *b)
{
	uint32_t x = (*(struct mfs_buf *const *)a)->blk;
	uint32_t y = (*(struct mfs_buf *const *)b)->blk;

	return x < y ? -1 : x > y;
}

/* Without a commit, the batch goes out extent by extent (not atomic). */
static int write_extents(struct mfs_blockdev *dev, const void *batch,
			 uint32_t n)
{
	const struct mol_bdev_extent *e = batch;
	const uint8_t *data = (const uint8_t *)(e + n);
	uint32_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = dev->write(dev, e[i].pos, data, e[i].len);
		if (err)
			return err;
		data += e[i].len;
	}
	return 0;
}

/*
 * Write @n dirty buffers @v (sorted by block) as one batch: runs of
 * contiguous blocks become one extent each.
 */
static int commit(struct mfs *fs, struct mfs_buf **v, unsigned int n)
{
	struct mol_bdev_extent *e;
	uint32_t next = 0, i;
	uint64_t count;
	uint8_t *batch, *data;
	int err;

	for (i = 0; i < n; i++)
		if (!i || v[i]->blk != v[i - 1]->blk + 1)
			next++;
	count = (uint64_t)next * sizeof(*e) + (uint64_t)n * fs->bsize;
	batch = malloc(count);
	if (!batch)
		return -ENOMEM;
	e = (struct mol_bdev_extent *)batch;
	data = batch + (size_t)next * sizeof(*e);
	next = 0;
	for (i = 0; i < n; i++) {
		if (!i || v[i]->blk != v[i - 1]->blk + 1) {
			e[next].pos = (uint64_t)v[i]->blk * fs->bsize;
			e[next].len = 0;
			e[next].flags = 0;
			next++;
		}
		e[next - 1].len += fs->bsize;
		memcpy(data + (size_t)i * fs->bsize, v[i]->data, fs->bsize);
	}
	if (fs->dev->commit)
		err = fs->dev->commit(fs->dev, batch, next, count);
	else
		err = write_extents(fs->dev, batch, next);
	free(batch);
	return err;
}

int mfs_cache_flush(struct mfs *fs)
{
	struct mfs_buf **v, *b;
	unsigned int n = 0, i, start, per;
	uint64_t bytes;
	int err = 0;

	if (!fs->ndirty)
		return 0;
	v = malloc(fs->ndirty * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (b = fs->dirty.lru_next; b != &fs->dirty; b = b->lru_next)
		v[n++] = b;
	qsort(v, n, sizeof(*v), cmp_blk);
	/*
	 * One batch, unless the device limits its size: then several, and
	 * only each of them is atomic (Documentation/filesystem.md).
	 */
	per = n;
	if (fs->dev->max_batch) {
		bytes = fs->dev->max_batch / (fs->bsize + 16);
		if (bytes < 1)
			bytes = 1;
		if (bytes < per)
			per = bytes;
	}
	for (start = 0; start < n && !err; start += per)
		err = commit(fs, v + start, n - start < per ? n - start : per);
	if (err) {
		fs->error = err;
		free(v);
		return err;
	}
	for (i = 0; i < n; i++) {
		b = v[i];
		b->dirty = false;
		list_del(b);
		if (!b->refs)
			list_add_tail(&fs->lru, b);
	}
	fs->ndirty = 0;
	free(v);
	shrink(fs);
	return 0;
}

int mfs_writeback(struct mfs *fs)
{
	if (fs->rdonly || fs->ndirty <= fs->hiwater)
		return 0;
	return mfs_cache_flush(fs);
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

/* A clean unreferenced buffer to reuse, or a new one: never a write. */
static int victim(struct mfs *fs, struct mfs_buf **bp)
{
	struct mfs_buf *b = fs->lru.lru_next;

	if (b != &fs->lru) {
		list_del(b);
		if (b->valid)
			hash_del(fs, b);
	} else {
		b = buf_new(fs);
		if (!b)
			return -ENOMEM;
	}
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
		if (b->refs++ == 0 && !b->dirty)
			list_del(b);
		if (mode == MFS_B_NOREAD)
			memset(b->data, 0, fs->bsize);
		b->class = cl;
		*bp = b;
		return 0;
	}
	err = victim(fs, &b);
	if (err)
		return err;
	if (mode == MFS_B_NOREAD) {
		memset(b->data, 0, fs->bsize);
	} else {
		err = fs->dev->read(fs->dev, (uint64_t)blk * fs->bsize,
				    b->data, fs->bsize);
		if (err) {
			list_add_head(&fs->lru, b);
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
	struct mfs *fs = b->fs;

	if (b->dirty)
		return;
	b->dirty = true;
	list_del(b);		/* off the LRU if it was there */
	list_add_tail(&fs->dirty, b);
	fs->ndirty++;
}

void mfs_bput(struct mfs *fs, struct mfs_buf *b)
{
	if (!b)
		return;
	if (--b->refs == 0 && !b->dirty)
		list_add_tail(&fs->lru, b);
}

/* Forget a freed block: its dirty contents need not reach the disk. */
void mfs_binval(struct mfs *fs, uint32_t blk)
{
	struct mfs_buf *b = lookup(fs, blk);

	if (!b || b->refs)
		return;
	hash_del(fs, b);
	if (b->dirty) {
		b->dirty = false;
		fs->ndirty--;
	}
	list_del(b);
	list_add_head(&fs->lru, b);
}

bool mfs_bcached(struct mfs *fs, uint32_t blk)
{
	return lookup(fs, blk) != NULL;
}

/*
 * Read-ahead: blocks @blk .. @blk + @n - 1 in one device read.  Those not
 * cached yet become clean unreferenced buffers at the recent end of the
 * LRU; for those already cached (maybe dirty) the cache's copy stays and
 * the disk's is dropped.  Reads at most a quarter of the cache, never
 * grows it and never writes; a failed read just brings nothing.
 */
void mfs_bprefetch(struct mfs *fs, uint32_t blk, unsigned int n)
{
	struct mfs_buf *b;
	unsigned int i;
	uint8_t *data;

	if (n > fs->nominal / 4)
		n = fs->nominal / 4;
	if (fs->nzones && (blk >= fs->nzones || n > fs->nzones - blk))
		n = fs->nzones > blk ? fs->nzones - blk : 0;
	if (n < 2)
		return;
	data = malloc((size_t)n * fs->bsize);
	if (!data)
		return;
	if (fs->dev->read(fs->dev, (uint64_t)blk * fs->bsize, data,
			  (size_t)n * fs->bsize))
		goto out;
	for (i = 0; i < n; i++) {
		if (lookup(fs, blk + i))
			continue;	/* the cache's copy is current */
		b = fs->lru.lru_next;
		if (b == &fs->lru)
			break;		/* everything else is in use */
		list_del(b);
		if (b->valid)
			hash_del(fs, b);
		memcpy(b->data, data + (size_t)i * fs->bsize, fs->bsize);
		b->blk = blk + i;
		b->refs = 0;
		b->valid = true;
		b->dirty = false;
		b->class = MFS_BUF_DATA;
		b->hnext = fs->bhash[bhash(fs, b->blk)];
		fs->bhash[bhash(fs, b->blk)] = b;
		list_add_tail(&fs->lru, b);
	}
out:
	free(data);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * dir.c - MINIX v3 directories: an array of 64-byte entries (4-byte inode
 * number, 60-byte name, NUL-padded unless all 60 bytes are used).  A free
 * slot has inode 0; slots never move, so a byte offset is a stable
 * position.  New entries take the first free slot or grow the directory.
 */
#include <dirent.h>
#include <string.h>

#include "mfs_int.h"

#define DPB(fs)	((fs)->bsize / MFS_DIRENT_SIZE)

/* Buffer of directory block fblk, or *bp = NULL for a hole. */
static int dir_block(struct mfs *fs, struct mfs_inode *dp, uint64_t fblk,
		     struct mfs_buf **bp)
{
	uint32_t zone;
	int err;

	*bp = NULL;
	err = mfs_bmap(fs, dp, fblk, false, &zone);
	if (err || !zone)
		return err;
	return mfs_bget(fs, zone, MFS_B_READ, MFS_BUF_DATA, bp);
}

static bool name_eq(const struct mfs_disk_dirent *de, const char *name,
		    size_t nlen)
{
	if (memcmp(de->d_name, name, nlen))
		return false;
	return nlen == MFS_NAME_MAX || de->d_name[nlen] == '\0';
}

/* Entries in dp (a trailing partial entry is ignored). */
static uint64_t dir_slots(struct mfs_inode *dp)
{
	return dp->d.i_size / MFS_DIRENT_SIZE;
}

/* Calls fn for every used entry until it returns non-zero. */
static int dir_scan(struct mfs *fs, struct mfs_inode *dp, uint64_t first,
		    int (*fn)(struct mfs_disk_dirent *de, uint64_t slot,
			      void *arg), void *arg)
{
	uint64_t slot, nslots = dir_slots(dp);
	struct mfs_buf *b = NULL;
	int err = 0;

	for (slot = first; slot < nslots; slot++) {
		struct mfs_disk_dirent *de;

		if (slot == first || slot % DPB(fs) == 0) {
			mfs_bput(fs, b);
			err = dir_block(fs, dp, slot / DPB(fs), &b);
			if (err)
				return err;
		}
		if (!b)
			continue;
		de = (struct mfs_disk_dirent *)b->data + slot % DPB(fs);
		if (de->d_ino == 0)
			continue;
		err = fn(de, slot, arg);
		if (err)
			break;
	}
	mfs_bput(fs, b);
	return err;
}

/*
 * The lookup scans the blocks itself (it is the hot loop of creates in a
 * big directory); when the name is not there it has seen every slot, so
 * it records the first free one for mfs_dir_add (dp->dir_free).
 */
int mfs_dir_lookup(struct mfs *fs, struct mfs_inode *dp, const char *name,
		   size_t nlen, uint32_t *inop, uint64_t *posp)
{
	uint64_t nslots = dir_slots(dp), first_free = UINT64_MAX, blk, slot;
	uint32_t dpb = DPB(fs), i, n;
	struct mfs_disk_dirent *de;
	struct mfs_buf *b;
	int err;

	if (!mfs_isdir(dp))
		return -ENOTDIR;
	if (nlen > MFS_NAME_MAX)
		return -ENAMETOOLONG;
	/* Block by block, no division per entry. */
	for (blk = 0, slot = 0; slot < nslots; blk++, slot += dpb) {
		n = nslots - slot < dpb ? nslots - slot : dpb;
		err = dir_block(fs, dp, blk, &b);
		if (err)
			return err;
		if (!b) {		/* a hole: free slots */
			if (first_free == UINT64_MAX)
				first_free = slot;
			continue;
		}
		de = (struct mfs_disk_dirent *)b->data;
		for (i = 0; i < n; i++, de++) {
			if (de->d_ino == 0) {
				if (first_free == UINT64_MAX)
					first_free = slot + i;
				continue;
			}
			/* last byte first: numbered names differ there */
			if ((!nlen || de->d_name[nlen - 1] == name[nlen - 1]) &&
			    name_eq(de, name, nlen)) {
				*inop = de->d_ino;
				if (posp)
					*posp = (slot + i) * MFS_DIRENT_SIZE;
				mfs_bput(fs, b);
				return 0;
			}
		}
		mfs_bput(fs, b);
	}
	dp->dir_free = first_free < nslots ? first_free : nslots;
	return -ENOENT;
}

int mfs_dir_set(struct mfs *fs, struct mfs_inode *dp, uint64_t pos,
		uint32_t ino)
{
	struct mfs_disk_dirent *de;
	struct mfs_buf *b;
	int err;

	err = dir_block(fs, dp, pos / fs->bsize, &b);
	if (err)
		return err;
	if (!b)
		return -EUCLEAN;
	de = (struct mfs_disk_dirent *)(b->data + pos % fs->bsize);
	de->d_ino = ino;
	mfs_bdirty(b);
	mfs_bput(fs, b);
	if (!ino && pos / MFS_DIRENT_SIZE < dp->dir_free)
		dp->dir_free = pos / MFS_DIRENT_SIZE;
	return 0;
}

/*
 * The first free slot (possibly in a hole, or past the end), searched
 * from dp->dir_free: every slot below it is known to be in use.
 */
static int free_slot(struct mfs *fs, struct mfs_inode *dp, uint64_t *slotp)
{
	uint64_t slot, nslots = dir_slots(dp);
	uint64_t start = dp->dir_free < nslots ? dp->dir_free : nslots;
	struct mfs_buf *b = NULL;
	int err;

	for (slot = start; slot < nslots; slot++) {
		struct mfs_disk_dirent *de;

		if (slot == start || slot % DPB(fs) == 0) {
			mfs_bput(fs, b);
			err = dir_block(fs, dp, slot / DPB(fs), &b);
			if (err)
				return err;
		}
		if (!b)
			break;
		de = (struct mfs_disk_dirent *)b->data + slot % DPB(fs);
		if (de->d_ino == 0)
			break;
	}
	mfs_bput(fs, b);
	*slotp = slot;
	return 0;
}

int mfs_dir_add(struct mfs *fs, struct mfs_inode *dp, const char *name,
		size_t nlen, uint32_t ino)
{
	struct mfs_disk_dirent *de;
	uint64_t slot, end;
	struct mfs_buf *b;
	uint32_t zone;
	int err;

	if (nlen == 0 || nlen > MFS_NAME_MAX)
		return -ENAMETOOLONG;
	err = free_slot(fs, dp, &slot);
	if (err)
		return err;
	end = (slot + 1) * MFS_DIRENT_SIZE;
	if (end > fs->max_size)
		return -ENOSPC;
	err = mfs_bmap(fs, dp, slot / DPB(fs), true, &zone);
	if (err)
		goto out;
	err = mfs_bget(fs, zone, MFS_B_READ, MFS_BUF_DATA, &b);
	if (err)
		goto out;
	de = (struct mfs_disk_dirent *)b->data + slot % DPB(fs);
	memset(de, 0, sizeof(*de));
	de->d_ino = ino;
	memcpy(de->d_name, name, nlen);
	mfs_bdirty(b);
	mfs_bput(fs, b);
	if (end > dp->d.i_size)
		dp->d.i_size = end;
	dp->dir_free = slot + 1;
	dp->d.i_mtime = dp->d.i_ctime = mfs_now(fs);
out:
	mfs_iupdate(fs, dp);
	return err;
}

static int empty_fn(struct mfs_disk_dirent *de, uint64_t slot, void *arg)
{
	if (name_eq(de, ".", 1) || name_eq(de, "..", 2))
		return 0;
	return 1;
}

/* 1 if dp holds nothing but "." and "..", 0 if it does, or -errno. */
int mfs_dir_empty(struct mfs *fs, struct mfs_inode *dp)
{
	int err = dir_scan(fs, dp, 0, empty_fn, NULL);

	if (err < 0)
		return err;
	return !err;
}

struct getdents_arg {
	struct mfs *fs;
	struct mfs_dirent *ents;
	int max, n;
};

static uint8_t dtype(struct mfs *fs, uint32_t ino)
{
	struct mfs_inode *ip;
	uint8_t t;

	if (mfs_iget(fs, ino, &ip))
		return DT_UNKNOWN;
	t = IFTODT(ip->d.i_mode);
	mfs_iput(fs, ip);
	return t;
}

static int getdents_fn(struct mfs_disk_dirent *de, uint64_t slot, void *arg)
{
	struct getdents_arg *ga = arg;
	struct mfs_dirent *e;

	if (ga->n == ga->max)
		return 1;
	e = &ga->ents[ga->n++];
	e->ino = de->d_ino;
	memcpy(e->name, de->d_name, MFS_NAME_MAX);
	e->name[MFS_NAME_MAX] = '\0';
	e->type = dtype(ga->fs, de->d_ino);
	e->next = (slot + 1) * MFS_DIRENT_SIZE;
	return 0;
}

int mfs_getdents(struct mfs *fs, uint32_t ino, uint64_t *posp,
		 struct mfs_dirent *ents, int max)
{
	struct getdents_arg ga = { .fs = fs, .ents = ents, .max = max };
	struct mfs_inode *dp;
	uint64_t first;
	int err;

	if (max <= 0)
		return -EINVAL;
	err = mfs_iget(fs, ino, &dp);
	if (err)
		return err;
	err = -ENOTDIR;
	if (!mfs_isdir(dp))
		goto out;
	first = (*posp + MFS_DIRENT_SIZE - 1) / MFS_DIRENT_SIZE;
	err = dir_scan(fs, dp, first, getdents_fn, &ga);
	if (err < 0 && ga.n == 0)
		goto out;
	if (ga.n > 0)
		*posp = ga.ents[ga.n - 1].next;
	else
		*posp = dir_slots(dp) * MFS_DIRENT_SIZE;
	err = ga.n;
out:
	mfs_iput(fs, dp);
	return err;
}

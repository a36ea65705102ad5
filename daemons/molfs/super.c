// SPDX-License-Identifier: GPL-2.0
/*
 * super.c - mounting a MINIX v3 image: reading and checking the
 * superblock (every field is untrusted), unmount, sync, statvfs.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mfs_int.h"

static uint32_t default_now(void)
{
	return (uint32_t)time(NULL);
}

static uint64_t div_round_up(uint64_t a, uint64_t b)
{
	return (a + b - 1) / b;
}

/* The largest file the zone tree of this block size can address. */
static uint64_t tree_max_bytes(uint32_t bsize)
{
	uint64_t zpb = bsize / 4;
	uint64_t blocks = MFS_NR_DZONES + zpb + zpb * zpb;

	return blocks * bsize;
}

static int check_super(struct mfs *fs, uint64_t devsize)
{
	const struct mfs_disk_super *sb = &fs->sb;
	uint64_t itable_blocks, min_first, bits;
	uint32_t bs = sb->s_blocksize;

	if (sb->s_magic != MFS_MAGIC_V3)
		return -EINVAL;		/* not a MINIX v3 file system */
	if (bs < 1024 || bs > 32768 || (bs & (bs - 1)))
		return -EUCLEAN;
	if (sb->s_log_zone_size != 0)
		return -EUCLEAN;	/* zones larger than blocks: unsupported */
	if (sb->s_ninodes == 0 || sb->s_imap_blocks == 0 ||
	    sb->s_zmap_blocks == 0)
		return -EUCLEAN;
	fs->bsize = bs;
	fs->ipb = bs / MFS_INODE_SIZE;
	fs->zpb = bs / 4;
	fs->ninodes = sb->s_ninodes;
	fs->nzones = sb->s_zones;
	fs->firstdata = sb->s_firstdatazone;
	fs->imap_blocks = sb->s_imap_blocks;
	fs->zmap_blocks = sb->s_zmap_blocks;
	fs->itable_block = MFS_IMAP_BLOCK + fs->imap_blocks + fs->zmap_blocks;

	bits = (uint64_t)fs->imap_blocks * bs * 8;
	if (bits < (uint64_t)fs->ninodes + 1)
		return -EUCLEAN;
	itable_blocks = div_round_up(fs->ninodes, fs->ipb);
	min_first = fs->itable_block + itable_blocks;
	if (fs->firstdata < min_first || fs->nzones <= fs->firstdata)
		return -EUCLEAN;
	bits = (uint64_t)fs->zmap_blocks * bs * 8;
	if (bits < (uint64_t)fs->nzones - fs->firstdata + 1)
		return -EUCLEAN;
	if (devsize && (uint64_t)fs->nzones * bs > devsize)
		return -EUCLEAN;
	fs->max_size = sb->s_max_size;
	if (fs->max_size > tree_max_bytes(bs))
		fs->max_size = tree_max_bytes(bs);
	if (fs->max_size > UINT32_MAX)
		fs->max_size = UINT32_MAX;	/* i_size is 32 bits */
	return 0;
}

int mfs_mount(struct mfs_blockdev *dev, const struct mfs_mount_opts *opts,
	      struct mfs **fsp)
{
	static const struct mfs_mount_opts no_opts;
	uint8_t raw[1024];
	struct mfs_inode *root;
	struct mfs *fs;
	int err;

	if (!opts)
		opts = &no_opts;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->dev = dev;
	fs->rdonly = opts->flags & MFS_RDONLY;
	fs->now = opts->now ? opts->now : default_now;
	fs->st_dev = opts->dev;
	fs->link_max = MFS_LINK_MAX;
	fs->isearch = fs->zsearch = 1;

	err = dev->read(dev, MFS_SUPER_OFFSET, raw, sizeof(raw));
	if (err)
		goto out_free;
	memcpy(&fs->sb, raw, sizeof(fs->sb));
	err = check_super(fs, dev->size);
	if (err)
		goto out_free;
	fs->ihash_size = 256;
	fs->ihash = calloc(fs->ihash_size, sizeof(*fs->ihash));
	if (!fs->ihash) {
		err = -ENOMEM;
		goto out_free;
	}
	err = mfs_cache_init(fs, opts->cache_blocks);
	if (err)
		goto out_ihash;
	err = mfs_iget(fs, MFS_ROOT_INO, &root);
	if (err)
		goto out_cache;
	if (!mfs_isdir(root))
		err = -EUCLEAN;
	mfs_iput(fs, root);
	if (err)
		goto out_cache;
	*fsp = fs;
	return 0;

out_cache:
	mfs_cache_destroy(fs);
out_ihash:
	free(fs->ihash);
out_free:
	free(fs);
	return err;
}

int mfs_sync(struct mfs *fs)
{
	int err;

	if (fs->rdonly)
		return 0;
	err = mfs_cache_flush(fs);
	if (err)
		return err;
	err = fs->dev->flush ? fs->dev->flush(fs->dev) : 0;
	if (err)
		return err;
	return fs->error;
}

int mfs_unmount(struct mfs *fs)
{
	unsigned int i;
	int err;

	err = mfs_sync(fs);
	for (i = 0; i < fs->ihash_size; i++) {
		while (fs->ihash[i]) {
			struct mfs_inode *ip = fs->ihash[i];

			fs->ihash[i] = ip->next;
			free(ip);
		}
	}
	free(fs->ihash);
	mfs_cache_destroy(fs);
	if (fs->dev->close)
		fs->dev->close(fs->dev);
	free(fs);
	return err;
}

int mfs_statvfs(struct mfs *fs, struct mfs_statvfs *st)
{
	uint64_t n;
	int err;

	memset(st, 0, sizeof(*st));
	st->bsize = fs->bsize;
	st->blocks = fs->nzones - fs->firstdata;
	err = mfs_bit_count_free(fs, MFS_ZMAP, &n);
	if (err)
		return err;
	st->bfree = n;
	st->files = fs->ninodes;
	err = mfs_bit_count_free(fs, MFS_IMAP, &n);
	if (err)
		return err;
	st->ffree = n;
	st->namemax = MFS_NAME_MAX;
	return 0;
}

void mfs_set_link_max(struct mfs *fs, unsigned int max)
{
	fs->link_max = max < MFS_LINK_MAX ? max : MFS_LINK_MAX;
}

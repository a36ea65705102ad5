/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mfs_int.h - molfs internals: the on-disk MINIX v3 layout, the buffer
 * cache, in-core inodes.  Not part of the API (that is mfs.h).
 */
#ifndef MFS_INT_H
#define MFS_INT_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include <linux/molcalls.h>	/* struct mol_bdev_extent: batch layout */

#include "mfs.h"

#ifndef EUCLEAN
#define EUCLEAN		117
#endif

/* ---- On-disk format (little-endian; we run on little-endian hosts) ---- */

#define MFS_MAGIC_V3		0x4d5a
#define MFS_SUPER_OFFSET	1024	/* bytes, whatever the block size */
#define MFS_IMAP_BLOCK		2	/* first inode-bitmap block */
#define MFS_NR_DZONES		7
#define MFS_NR_ZONES		10	/* 7 direct, ind, dbl-ind, tri-ind */
#define MFS_ZONE_IND		7
#define MFS_ZONE_DIND		8
#define MFS_ZONE_TIND		9
#define MFS_INODE_SIZE		64
#define MFS_DIRENT_SIZE		64
#define MFS_LINK_MAX		65530	/* as Linux's MINIX2_LINK_MAX */

struct mfs_disk_super {			/* at byte 1024 */
	uint32_t s_ninodes;
	uint16_t s_pad0;
	uint16_t s_imap_blocks;
	uint16_t s_zmap_blocks;
	uint16_t s_firstdatazone;
	uint16_t s_log_zone_size;
	uint16_t s_pad1;
	uint32_t s_max_size;
	uint32_t s_zones;
	uint16_t s_magic;
	uint16_t s_pad2;
	uint16_t s_blocksize;
	uint8_t s_disk_version;
};

struct mfs_disk_inode {
	uint16_t i_mode;
	uint16_t i_nlinks;
	uint16_t i_uid;
	uint16_t i_gid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_mtime;
	uint32_t i_ctime;
	uint32_t i_zone[MFS_NR_ZONES];
};

struct mfs_disk_dirent {
	uint32_t d_ino;
	char d_name[MFS_NAME_MAX];
};

/* Every field is naturally aligned: no packing needed. */
_Static_assert(sizeof(struct mfs_disk_super) == 32, "superblock layout");
_Static_assert(sizeof(struct mfs_disk_inode) == MFS_INODE_SIZE,
	       "inode layout");
_Static_assert(sizeof(struct mfs_disk_dirent) == MFS_DIRENT_SIZE,
	       "dirent layout");

/* ---- Buffer cache (cache.c) ---- */

/* What a block holds (for debugging; a flush writes all in one batch). */
enum mfs_buf_class {
	MFS_BUF_DATA,		/* file data, directory and symlink blocks */
	MFS_BUF_INDIRECT,	/* indirect zone blocks */
	MFS_BUF_INODE,		/* inode table blocks */
	MFS_BUF_BITMAP,		/* inode and zone bitmaps */
	MFS_BUF_SUPER,		/* block holding the superblock */
	MFS_BUF_NCLASSES,
};

struct mfs_buf {
	struct mfs *fs;
	uint32_t blk;
	uint8_t *data;
	int refs;
	bool valid;
	bool dirty;
	enum mfs_buf_class class;
	struct mfs_buf *hnext;		/* hash chain */
	struct mfs_buf *lru_prev, *lru_next;	/* LRU or dirty list */
};

/* mfs_bget modes */
#define MFS_B_READ	0	/* read the block from the device */
#define MFS_B_NOREAD	1	/* caller overwrites it all: zero-filled */

int mfs_cache_init(struct mfs *fs, unsigned int nbufs);
void mfs_cache_destroy(struct mfs *fs);
int mfs_bget(struct mfs *fs, uint32_t blk, int mode, enum mfs_buf_class cl,
	     struct mfs_buf **bp);
void mfs_bdirty(struct mfs_buf *b);
void mfs_bput(struct mfs *fs, struct mfs_buf *b);
void mfs_binval(struct mfs *fs, uint32_t blk);
bool mfs_bcached(struct mfs *fs, uint32_t blk);
void mfs_bprefetch(struct mfs *fs, uint32_t blk, unsigned int n);
/* All dirty buffers as one batch; only between operations. */
int mfs_cache_flush(struct mfs *fs);

/* ---- In-core inodes (inode.c) ---- */

struct mfs_inode {
	uint32_t ino;
	int refs;
	uint64_t ra_next;		/* where a sequential read goes on */
	uint64_t dir_free;		/* dir: every slot below is used */
	struct mfs_disk_inode d;
	struct mfs_inode *next;		/* hash chain */
};

/* ---- The mounted file system ---- */

struct mfs {
	struct mfs_blockdev *dev;
	struct mfs_disk_super sb;
	uint32_t bsize;
	uint32_t ninodes;
	uint32_t nzones;		/* s_zones: end of the device in zones */
	uint32_t firstdata;
	uint32_t imap_blocks, zmap_blocks;
	uint32_t itable_block;		/* first inode-table block */
	uint32_t ipb;			/* inodes per block */
	uint32_t zpb;			/* zone numbers per indirect block */
	uint64_t max_size;
	uint32_t link_max;
	uint32_t st_dev;
	bool rdonly;
	uint32_t (*now)(void);
	uint32_t isearch, zsearch;	/* allocation hints (bit numbers) */
	int error;			/* sticky device write error */

	/* cache */
	unsigned int nbufs;		/* buffers now */
	unsigned int nominal;		/* the size it shrinks back to */
	unsigned int ndirty;
	unsigned int hiwater;		/* mfs_writeback flushes above */
	struct mfs_buf **bhash;
	unsigned int bhash_size;
	struct mfs_buf lru;		/* clean, unused: least recent first */
	struct mfs_buf dirty;		/* dirty buffers */

	/* inodes */
	struct mfs_inode **ihash;
	unsigned int ihash_size;
};

/* bitmap.c */
enum mfs_map { MFS_IMAP, MFS_ZMAP };
int mfs_bit_alloc(struct mfs *fs, enum mfs_map map, uint32_t *bitp);
int mfs_bit_free(struct mfs *fs, enum mfs_map map, uint32_t bit);
int mfs_bit_test(struct mfs *fs, enum mfs_map map, uint32_t bit);
int mfs_bit_count_free(struct mfs *fs, enum mfs_map map, uint64_t *nfree);
int mfs_zone_alloc(struct mfs *fs, uint32_t *zonep);
int mfs_zone_free(struct mfs *fs, uint32_t zone);

/* inode.c */
int mfs_iget(struct mfs *fs, uint32_t ino, struct mfs_inode **ipp);
void mfs_iput(struct mfs *fs, struct mfs_inode *ip);
void mfs_idup(struct mfs_inode *ip);
int mfs_iupdate(struct mfs *fs, struct mfs_inode *ip);
int mfs_ialloc(struct mfs *fs, mode_t mode, const struct mfs_cred *cr,
	       struct mfs_inode **ipp);
bool mfs_zone_ok(struct mfs *fs, uint32_t zone);

/* bmap.c: file block -> zone, allocating when create */
int mfs_bmap(struct mfs *fs, struct mfs_inode *ip, uint64_t fblk,
	     bool create, uint32_t *zonep);
int mfs_free_from(struct mfs *fs, struct mfs_inode *ip, uint64_t fblk);
uint64_t mfs_count_blocks(struct mfs *fs, struct mfs_inode *ip);

/* file.c */
ssize_t mfs_iread(struct mfs *fs, struct mfs_inode *ip, void *buf,
		  size_t len, uint64_t off);
ssize_t mfs_iwrite(struct mfs *fs, struct mfs_inode *ip, const void *buf,
		   size_t len, uint64_t off);
int mfs_itruncate(struct mfs *fs, struct mfs_inode *ip, uint64_t len);

/* dir.c */
int mfs_dir_lookup(struct mfs *fs, struct mfs_inode *dp, const char *name,
		   size_t nlen, uint32_t *inop, uint64_t *posp);
int mfs_dir_add(struct mfs *fs, struct mfs_inode *dp, const char *name,
		size_t nlen, uint32_t ino);
int mfs_dir_set(struct mfs *fs, struct mfs_inode *dp, uint64_t pos,
		uint32_t ino);
int mfs_dir_empty(struct mfs *fs, struct mfs_inode *dp);

/* perm.c */
int mfs_permission(const struct mfs_cred *cr, const struct mfs_inode *ip,
		   int mask);
bool mfs_is_owner(const struct mfs_cred *cr, const struct mfs_inode *ip);
int mfs_may_delete(const struct mfs_cred *cr, struct mfs_inode *dp,
		   struct mfs_inode *ip);

/* path.c */
#define MFS_W_NOFOLLOW	0x1
#define MFS_W_PARENT	0x2	/* stop at the parent of the last component */

struct mfs_nameidata {
	struct mfs_inode *dir;		/* parent of last (referenced) */
	char last[MFS_NAME_MAX + 1];
	size_t lastlen;
	bool trailing_slash;
	bool dot;			/* last component is "." or ".." */
	bool root;			/* the path was "/" (last is ".") */
	int nlinks;			/* symlinks followed so far */
};

int mfs_walk(struct mfs *fs, const struct mfs_cred *cr, uint32_t start,
	     const char *path, int flags, struct mfs_inode **ipp);
int mfs_walk_parent(struct mfs *fs, const struct mfs_cred *cr,
		    uint32_t start, const char *path,
		    struct mfs_nameidata *nd);
int mfs_follow_last(struct mfs *fs, const struct mfs_cred *cr,
		    struct mfs_nameidata *nd, bool follow,
		    struct mfs_inode **ipp);
int mfs_lookup_last(struct mfs *fs, const struct mfs_cred *cr,
		    struct mfs_nameidata *nd, struct mfs_inode **ipp);
void mfs_nd_release(struct mfs *fs, struct mfs_nameidata *nd);

static inline bool mfs_isdir(const struct mfs_inode *ip)
{
	return S_ISDIR(ip->d.i_mode);
}

static inline uint32_t mfs_now(struct mfs *fs)
{
	return fs->now();
}

#endif /* MFS_INT_H */

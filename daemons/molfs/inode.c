// SPDX-License-Identifier: GPL-2.0
/*
 * inode.c - in-core inodes: a reference-counted table of the inodes in
 * use, read from and written through to the inode table's buffers.  An
 * inode whose link count dropped to 0 is freed (zones, bitmap bit, table
 * slot cleared) when its last reference goes, as in MINIX.
 */
#include <stdlib.h>
#include <string.h>

#include "mfs_int.h"

bool mfs_zone_ok(struct mfs *fs, uint32_t zone)
{
	return zone >= fs->firstdata && zone < fs->nzones;
}

static struct mfs_inode **ihash(struct mfs *fs, uint32_t ino)
{
	return &fs->ihash[ino & (fs->ihash_size - 1)];
}

static void itable_pos(struct mfs *fs, uint32_t ino, uint32_t *blk,
		       uint32_t *off)
{
	*blk = fs->itable_block + (ino - 1) / fs->ipb;
	*off = ((ino - 1) % fs->ipb) * MFS_INODE_SIZE;
}

static int read_dinode(struct mfs *fs, uint32_t ino, struct mfs_disk_inode *d)
{
	struct mfs_buf *b;
	uint32_t blk, off;
	int err;

	itable_pos(fs, ino, &blk, &off);
	err = mfs_bget(fs, blk, MFS_B_READ, MFS_BUF_INODE, &b);
	if (err)
		return err;
	memcpy(d, b->data + off, sizeof(*d));
	mfs_bput(fs, b);
	return 0;
}

static int write_dinode(struct mfs *fs, uint32_t ino,
			const struct mfs_disk_inode *d)
{
	struct mfs_buf *b;
	uint32_t blk, off;
	int err;

	if (fs->rdonly)
		return -EROFS;
	itable_pos(fs, ino, &blk, &off);
	err = mfs_bget(fs, blk, MFS_B_READ, MFS_BUF_INODE, &b);
	if (err)
		return err;
	memcpy(b->data + off, d, sizeof(*d));
	mfs_bdirty(b);
	mfs_bput(fs, b);
	return 0;
}

static bool mode_ok(uint16_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: case S_IFDIR: case S_IFLNK: case S_IFCHR:
	case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		return true;
	}
	return false;
}

int mfs_iget(struct mfs *fs, uint32_t ino, struct mfs_inode **ipp)
{
	struct mfs_inode *ip;
	int err;

	if (ino == 0 || ino > fs->ninodes)
		return -EUCLEAN;
	for (ip = *ihash(fs, ino); ip; ip = ip->next) {
		if (ip->ino == ino) {
			ip->refs++;
			*ipp = ip;
			return 0;
		}
	}
	err = mfs_bit_test(fs, MFS_IMAP, ino);
	if (err <= 0)
		return err ? err : -EUCLEAN;	/* points at a free inode */
	ip = calloc(1, sizeof(*ip));
	if (!ip)
		return -ENOMEM;
	err = read_dinode(fs, ino, &ip->d);
	if (err)
		goto fail;
	err = -EUCLEAN;
	if (!mode_ok(ip->d.i_mode) || ip->d.i_nlinks == 0)
		goto fail;
	if (ip->d.i_size > fs->max_size)
		goto fail;
	ip->ino = ino;
	ip->refs = 1;
	ip->next = *ihash(fs, ino);
	*ihash(fs, ino) = ip;
	*ipp = ip;
	return 0;

fail:
	free(ip);
	return err;
}

void mfs_idup(struct mfs_inode *ip)
{
	ip->refs++;
}

int mfs_iupdate(struct mfs *fs, struct mfs_inode *ip)
{
	return write_dinode(fs, ip->ino, &ip->d);
}

static void ifree(struct mfs *fs, struct mfs_inode *ip)
{
	struct mfs_disk_inode zero;

	if (S_ISCHR(ip->d.i_mode) || S_ISBLK(ip->d.i_mode))
		memset(ip->d.i_zone, 0, sizeof(ip->d.i_zone));	/* rdev */
	mfs_itruncate(fs, ip, 0);
	memset(&zero, 0, sizeof(zero));
	write_dinode(fs, ip->ino, &zero);
	mfs_bit_free(fs, MFS_IMAP, ip->ino);
}

void mfs_iput(struct mfs *fs, struct mfs_inode *ip)
{
	struct mfs_inode **pp;

	if (!ip || --ip->refs > 0)
		return;
	if (ip->d.i_nlinks == 0 && !fs->rdonly)
		ifree(fs, ip);
	for (pp = ihash(fs, ip->ino); *pp; pp = &(*pp)->next) {
		if (*pp == ip) {
			*pp = ip->next;
			break;
		}
	}
	free(ip);
}

int mfs_ialloc(struct mfs *fs, mode_t mode, const struct mfs_cred *cr,
	       struct mfs_inode **ipp)
{
	struct mfs_inode *ip;
	uint32_t ino, t;
	int err;

	if (fs->rdonly)
		return -EROFS;
	err = mfs_bit_alloc(fs, MFS_IMAP, &ino);
	if (err)
		return err;
	ip = calloc(1, sizeof(*ip));
	if (!ip) {
		mfs_bit_free(fs, MFS_IMAP, ino);
		return -ENOMEM;
	}
	t = mfs_now(fs);
	ip->ino = ino;
	ip->refs = 1;
	ip->d.i_mode = mode;
	ip->d.i_nlinks = 1;
	ip->d.i_uid = cr->uid;
	ip->d.i_gid = cr->gid;
	ip->d.i_atime = ip->d.i_mtime = ip->d.i_ctime = t;
	err = mfs_iupdate(fs, ip);
	if (err) {
		mfs_bit_free(fs, MFS_IMAP, ino);
		free(ip);
		return err;
	}
	ip->next = *ihash(fs, ino);
	*ihash(fs, ino) = ip;
	*ipp = ip;
	return 0;
}

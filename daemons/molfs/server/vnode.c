// SPDX-License-Identifier: GPL-2.0
/*
 * vnode.c - local_ops: the vnode operations of a mount served by the
 * MINIX v3 core in this process (mfs.h).  The other kind of mount,
 * another file server's, is remote.c's server_ops.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

static void local_get(struct vmnt *m, uint32_t ino)
{
	mfs_get(m->fs, ino);
}

static void local_put(struct vmnt *m, uint32_t ino)
{
	mfs_put(m->fs, ino);
}

static int local_lookup(struct vmnt *m, const struct mfs_cred *cr,
			uint32_t dir, const char *name, uint32_t *ino)
{
	return mfs_lookup(m->fs, cr, dir, name, MFS_L_NOFOLLOW, ino);
}

static int local_stat(struct vmnt *m, uint32_t ino, struct mol_stat *st)
{
	struct mfs_stat s;
	int err;

	err = mfs_fstat(m->fs, ino, &s);
	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->st_ino = s.ino;
	st->st_mode = s.mode;
	st->st_nlink = s.nlink;
	st->st_uid = s.uid;
	st->st_gid = s.gid;
	st->st_rdev_major = (s.rdev >> 8) & 0xff;
	st->st_rdev_minor = s.rdev & 0xff;
	st->st_size = (int64_t)s.size;
	st->st_blocks = (int64_t)s.blocks;
	st->st_blksize = s.blksize;
	st->st_atime_sec = s.atime;
	st->st_mtime_sec = s.mtime;
	st->st_ctime_sec = s.ctime;
	return 0;
}

static int local_access(struct vmnt *m, const struct mfs_cred *cr,
			uint32_t ino, int amode)
{
	return mfs_access_ino(m->fs, cr, ino, amode);
}

static int local_open(struct vmnt *m, const struct mfs_cred *cr,
		      uint32_t dir, const char *name, int flags, mode_t mode,
		      uint32_t *ino)
{
	return mfs_open(m->fs, cr, dir, name, flags, mode, ino);
}

static ssize_t local_read(struct vmnt *m, uint32_t ino, void *buf,
			  size_t len, uint64_t pos)
{
	return mfs_read(m->fs, ino, buf, len, pos);
}

#define DIRENT_HDR	19	/* d_ino, d_off, d_reclen, d_type */
#define NDENTS		32

static ssize_t local_getdents(struct vmnt *m, uint32_t ino, uint64_t *posp,
			      void *buf, size_t size)
{
	struct mfs_dirent ents[NDENTS];
	size_t used = 0, reclen;
	struct mol_dirent64 *d;
	uint64_t pos;
	int n, i;

	for (;;) {
		pos = *posp;
		n = mfs_getdents(m->fs, ino, &pos, ents, NDENTS);
		if (n < 0 && !used)
			return n;
		if (n <= 0)
			return used;	/* the end */
		for (i = 0; i < n; i++) {
			reclen = (DIRENT_HDR + strlen(ents[i].name) + 1 + 7) &
				 ~(size_t)7;
			if (used + reclen > size)
				return used ? (ssize_t)used : -EINVAL;
			d = (struct mol_dirent64 *)((char *)buf + used);
			memset(d, 0, reclen);
			d->d_ino = ents[i].ino;
			d->d_off = (int64_t)ents[i].next;
			d->d_reclen = (uint16_t)reclen;
			d->d_type = ents[i].type;
			strcpy(d->d_name, ents[i].name);
			used += reclen;
			*posp = ents[i].next;
		}
	}
}

static ssize_t local_readlink(struct vmnt *m, const struct mfs_cred *cr,
			      uint32_t dir, const char *name, char *buf,
			      size_t size)
{
	return mfs_readlink(m->fs, cr, dir, name, buf, size);
}

static int local_statvfs(struct vmnt *m, struct mol_statvfs *st)
{
	struct mfs_statvfs s;
	int err;

	err = mfs_statvfs(m->fs, &s);
	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->f_bsize = s.bsize;
	st->f_frsize = s.bsize;
	st->f_blocks = s.blocks;
	st->f_bfree = s.bfree;
	st->f_bavail = s.bfree;
	st->f_files = s.files;
	st->f_ffree = s.ffree;
	st->f_favail = s.ffree;
	st->f_fsid = m->dev;
	st->f_flag = m->rdonly ? MOL_MS_RDONLY : 0;
	st->f_namemax = s.namemax;
	return 0;
}

static int local_sync(struct vmnt *m)
{
	return m->rdonly ? 0 : mfs_sync(m->fs);
}

static void local_unmount(struct vmnt *m)
{
	int err = mfs_unmount(m->fs);

	if (err)
		fs_log("unmount %s: %s", m->image, strerror(-err));
	m->fs = NULL;
}

const struct vnode_ops local_ops = {
	.get		= local_get,
	.put		= local_put,
	.lookup		= local_lookup,
	.stat		= local_stat,
	.access		= local_access,
	.open		= local_open,
	.read		= local_read,
	.getdents	= local_getdents,
	.readlink	= local_readlink,
	.statvfs	= local_statvfs,
	.sync		= local_sync,
	.unmount	= local_unmount,
};

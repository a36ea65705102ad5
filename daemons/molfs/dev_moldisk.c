// SPDX-License-Identifier: GPL-2.0
/*
 * dev_moldisk.c - a molfs block device over moldisk: the buffer of each
 * transfer is granted to the driver, which copies into it (BDEV_READ)
 * or out of it (BDEV_WRITE) with safecopy.  One sendrec per request, as
 * MINIX's file servers talk to their block drivers.  The cache's flushes
 * go as one BDEV_WRITE_BATCH (all or nothing in the driver).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mol.h"
#include <linux/molcalls.h>

#include "dev_moldisk.h"

struct moldisk_dev {
	struct mfs_blockdev dev;
	struct mol *mol;
	int driver;
	uint32_t minor;
	uint32_t max_count;
};

/* sendrec @m to the driver: its reply's m_type, or -EIO if unreachable. */
static int md_call(struct moldisk_dev *md, struct mol_message *m)
{
	if (mol_sendrec(md->mol, md->driver, m) < 0)
		return -EIO;
	return m->m_type;
}

static int md_simple(struct moldisk_dev *md, int call, uint32_t access)
{
	struct mol_message m;
	struct mol_bdev_req *r = MOL_BODY(&m, struct mol_bdev_req);

	memset(&m, 0, sizeof(m));
	m.m_type = call;
	r->minor = md->minor;
	r->access = access;
	return md_call(md, &m);
}

static int md_xfer(struct mfs_blockdev *dev, uint64_t off, void *buf,
		   size_t len, bool is_write)
{
	struct moldisk_dev *md = dev->priv;
	struct mol_message m;
	struct mol_bdev_req *r = MOL_BODY(&m, struct mol_bdev_req);
	unsigned char *p = buf;
	size_t n;
	int id, ret;

	while (len > 0) {
		n = len < md->max_count ? len : md->max_count;
		id = mol_grant_create(md->mol, md->driver, p, n,
				      is_write ? MOL_GRANT_READ :
						 MOL_GRANT_WRITE);
		if (id < 0)
			return id == MOL_EINVAL ? -EIO : id;
		memset(&m, 0, sizeof(m));
		m.m_type = is_write ? BDEV_WRITE : BDEV_READ;
		r->minor = md->minor;
		r->grant = id;
		r->pos = off;
		r->count = n;
		ret = md_call(md, &m);
		mol_grant_revoke(md->mol, id);
		if (ret < 0)
			return ret;
		if ((size_t)ret != n)
			return -EIO;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int md_read(struct mfs_blockdev *dev, uint64_t off, void *buf,
		   size_t len)
{
	return md_xfer(dev, off, buf, len, false);
}

static int md_write(struct mfs_blockdev *dev, uint64_t off, const void *buf,
		    size_t len)
{
	return md_xfer(dev, off, (void *)buf, len, true);
}

static int md_commit(struct mfs_blockdev *dev, const void *batch,
		     uint32_t nr_extents, uint64_t count)
{
	struct moldisk_dev *md = dev->priv;
	struct mol_message m;
	struct mol_bdev_batch *r = MOL_BODY(&m, struct mol_bdev_batch);
	int id, ret;

	if (count > BDEV_MAX_COUNT)
		return -EFBIG;
	id = mol_grant_create(md->mol, md->driver, (void *)batch, count,
			      MOL_GRANT_READ);
	if (id < 0)
		return id == MOL_EINVAL ? -EIO : id;
	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_WRITE_BATCH;
	r->minor = md->minor;
	r->nr_extents = nr_extents;
	r->grant = id;
	r->count = count;
	ret = md_call(md, &m);
	mol_grant_revoke(md->mol, id);
	if (ret < 0)
		return ret;
	return (uint64_t)ret == count ? 0 : -EIO;
}

static int md_flush(struct mfs_blockdev *dev)
{
	return md_simple(dev->priv, BDEV_FLUSH, 0);
}

static void md_close(struct mfs_blockdev *dev)
{
	struct moldisk_dev *md = dev->priv;

	md_simple(md, BDEV_CLOSE, 0);
	free(md);
}

int mfs_moldisk_open(struct mol *mol, int driver, unsigned int minor,
		     int readonly, struct mfs_blockdev **devp)
{
	struct moldisk_dev *md;
	struct mol_message m;
	struct mol_bdev_info *info = MOL_BODY(&m, struct mol_bdev_info);
	int ret;

	md = calloc(1, sizeof(*md));
	if (!md)
		return -ENOMEM;
	md->mol = mol;
	md->driver = driver;
	md->minor = minor;
	ret = md_simple(md, BDEV_OPEN,
			BDEV_R_BIT | (readonly ? 0 : BDEV_W_BIT));
	if (ret < 0)
		goto out_free;
	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_INFO;
	info->minor = minor;
	ret = md_call(md, &m);
	if (ret < 0)
		goto out_close;
	md->max_count = info->max_count - info->max_count % BDEV_SECTOR;
	if (!md->max_count || md->max_count > BDEV_MAX_COUNT)
		md->max_count = BDEV_MAX_COUNT;
	md->dev.read = md_read;
	md->dev.write = md_write;
	if (!readonly && !(info->flags & BDEV_INFO_RDONLY))
		md->dev.commit = md_commit;
	md->dev.max_batch = BDEV_MAX_COUNT;
	md->dev.flush = md_flush;
	md->dev.close = md_close;
	md->dev.size = info->size;
	md->dev.priv = md;
	*devp = &md->dev;
	return 0;

out_close:
	md_simple(md, BDEV_CLOSE, 0);
out_free:
	free(md);
	return ret;
}

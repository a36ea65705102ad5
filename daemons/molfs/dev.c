// SPDX-License-Identifier: GPL-2.0
/*
 * dev.c - a molfs block device over a regular image file: pread/pwrite at
 * 64-bit byte offsets, fdatasync as flush, and the cache's batches
 * committed all or nothing through the image's redo log (redolog.c, the
 * same code as moldisk's BDEV_WRITE_BATCH).  dev_moldisk.c is the same
 * struct mfs_blockdev over MoL's disk driver.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mfs.h"
#include "redolog.h"

struct filedev {
	struct mfs_blockdev dev;
	int fd;
	struct redo redo;
};

static int filedev_xfer(struct mfs_blockdev *dev, uint64_t off, void *buf,
			size_t len, bool is_write)
{
	struct filedev *fd = dev->priv;
	uint8_t *p = buf;
	ssize_t n;

	if (off > (uint64_t)INT64_MAX - len)
		return -EIO;
	while (len > 0) {
		if (is_write)
			n = pwrite(fd->fd, p, len, (off_t)off);
		else
			n = pread(fd->fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* beyond the end of the image */
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int filedev_read(struct mfs_blockdev *dev, uint64_t off, void *buf,
			size_t len)
{
	return filedev_xfer(dev, off, buf, len, false);
}

static int filedev_write(struct mfs_blockdev *dev, uint64_t off,
			 const void *buf, size_t len)
{
	return filedev_xfer(dev, off, (void *)buf, len, true);
}

static int filedev_commit(struct mfs_blockdev *dev, const void *batch,
			  uint32_t nr_extents, uint64_t count)
{
	struct filedev *fd = dev->priv;

	return redo_commit(&fd->redo, batch, nr_extents, count);
}

static int filedev_flush(struct mfs_blockdev *dev)
{
	struct filedev *fd = dev->priv;

	return fdatasync(fd->fd) < 0 ? -errno : 0;
}

static void filedev_close(struct mfs_blockdev *dev)
{
	struct filedev *fd = dev->priv;

	redo_close(&fd->redo);
	close(fd->fd);
	free(fd);
}

int mfs_filedev_open(const char *path, int readonly,
		     struct mfs_blockdev **devp)
{
	struct filedev *fd;
	struct stat st;
	int err;

	fd = calloc(1, sizeof(*fd));
	if (!fd)
		return -ENOMEM;
	fd->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd->fd < 0) {
		err = -errno;
		goto out_free;
	}
	if (fstat(fd->fd, &st) < 0) {
		err = -errno;
		goto out_close;
	}
	fd->dev.size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	if (S_ISBLK(st.st_mode) &&
	    ioctl(fd->fd, BLKGETSIZE64, &fd->dev.size) < 0)
		fd->dev.size = 0;
	err = redo_open(&fd->redo, path, fd->fd, fd->dev.size, readonly,
			NULL);
	if (err)
		goto out_close;
	fd->dev.read = filedev_read;
	fd->dev.write = filedev_write;
	if (!readonly)
		fd->dev.commit = filedev_commit;
	fd->dev.max_batch = REDO_MAX_BATCH;
	fd->dev.flush = filedev_flush;
	fd->dev.close = filedev_close;
	fd->dev.priv = fd;
	*devp = &fd->dev;
	return 0;

out_close:
	close(fd->fd);
out_free:
	free(fd);
	return err;
}

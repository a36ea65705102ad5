/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dev_moldisk.h - a molfs block device served by moldisk, MoL's disk
 * driver, over IPC (the BDEV_* calls of <linux/molcalls.h>).  See
 * Documentation/devices.md.
 */
#ifndef MFS_DEV_MOLDISK_H
#define MFS_DEV_MOLDISK_H

#include "mfs.h"

struct mol;

/*
 * mfs_moldisk_open - open minor @minor of the disk driver at endpoint
 * @driver (normally MOL_DISK) through @mol, the caller's bound libmol
 * connection, which must stay open until the device is closed.  Sends
 * BDEV_OPEN (read, and write unless @readonly) and BDEV_INFO for the
 * size.  Each read or write then grants its buffer to @driver for one
 * BDEV_READ / BDEV_WRITE (split at the driver's maximum count) and
 * revokes the grant after the reply; a commit (the cache's flush) is one
 * BDEV_WRITE_BATCH; flush is BDEV_FLUSH, close is BDEV_CLOSE.  Returns
 * 0, the driver's -errno, -EIO when the driver cannot be reached, or
 * -ENOMEM.
 */
int mfs_moldisk_open(struct mol *mol, int driver, unsigned int minor,
		     int readonly, struct mfs_blockdev **devp);

#endif /* MFS_DEV_MOLDISK_H */

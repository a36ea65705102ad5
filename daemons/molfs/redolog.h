/* SPDX-License-Identifier: GPL-2.0 */
/*
 * redolog.h - all-or-nothing batch writes to a disk image through a redo
 * log, a file next to the image (IMAGE.mollog).  One source for every
 * writer of MINIX images: moldisk (BDEV_WRITE_BATCH), molfs's direct
 * image device (dev.c, also used by molfs-tool), and molsystem, which
 * replays what a killed driver left.  No IPC here.
 *
 * A batch is the layout of BDEV_WRITE_BATCH's grant (<linux/molcalls.h>):
 * nr_extents struct mol_bdev_extent, then the data of each extent in
 * order.  redo_commit() writes the log (a header with a CRC32C over the
 * header, extents and data, then the batch), fdatasyncs it, writes the
 * extents in place, fdatasyncs the image, and truncates the log to zero.
 * On open, a log whose CRC matches is committed and is replayed (again:
 * the writes are idempotent); a log that is short or whose CRC does not
 * match was cut short before its commit and is discarded; a committed
 * log whose contents are invalid (an unknown version, extents outside
 * the image, unaligned or not adding up) is refused with -EUCLEAN and
 * left alone, and so is the image.  See Documentation/filesystem.md,
 * "Buffer cache and write ordering".
 */
#ifndef MOL_REDOLOG_H
#define MOL_REDOLOG_H

#include <stddef.h>
#include <stdint.h>

#include <linux/molcalls.h>

#define REDO_SUFFIX		".mollog"
#define REDO_ALIGN		BDEV_SECTOR	/* of every pos and len */
#define REDO_MAX_BATCH		(64U << 20)	/* bytes per batch */

/* The result of redo_open's look at the log. */
enum redo_found {
	REDO_EMPTY,		/* no log, or an empty one */
	REDO_REPLAYED,		/* a committed log was applied */
	REDO_DISCARDED,		/* a torn (uncommitted) log was dropped */
};

struct redo {
	int imgfd;		/* the image (not owned) */
	int logfd;		/* the log; -1 when read-only */
	uint64_t size;		/* image bytes: extents must lie inside */
	char path[4096];	/* the log's path */
};

/*
 * redo_check - validate a batch of @count bytes at @batch with
 * @nr_extents extents against a device of @size bytes.  Returns 0 or
 * -EINVAL.  Every field is untrusted.
 */
int redo_check(const void *batch, uint32_t nr_extents, uint64_t count,
	       uint64_t size);

/*
 * redo_open - open (creating it, unless @readonly) the log of @image,
 * whose descriptor is @imgfd and size @size, and deal with what it
 * holds: replay a committed batch, discard a torn one.  Read-only, a
 * committed log cannot be replayed: -EUCLEAN.  *@found says what was
 * done (may be NULL).  Returns 0 or -errno; on -EUCLEAN a message on
 * stderr says why, and neither the image nor the log was changed.
 */
int redo_open(struct redo *r, const char *image, int imgfd, uint64_t size,
	      int readonly, enum redo_found *found);

/*
 * redo_commit - write a batch (already checked, or it is checked here)
 * all or nothing, as described above.  Returns 0 or -errno; after an
 * error the log may hold the committed batch, which the next open
 * replays.
 */
int redo_commit(struct redo *r, const void *batch, uint32_t nr_extents,
		uint64_t count);

/* Close the log; removes it when it is empty. */
void redo_close(struct redo *r);

/*
 * redo_replay_image - open @image read-write and replay its log if it
 * has one (for whoever runs after a killed writer).  0, or -errno.
 */
int redo_replay_image(const char *image, enum redo_found *found);

/* CRC32C (Castagnoli) of @len bytes, continuing from @crc (0 to start). */
uint32_t redo_crc32c(uint32_t crc, const void *buf, size_t len);

#endif /* MOL_REDOLOG_H */

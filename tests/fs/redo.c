// SPDX-License-Identifier: GPL-2.0
/*
 * redo.c - write-back is all or nothing (Documentation/filesystem.md,
 * "Buffer cache and write ordering"):
 *  - the cache writes nothing in the middle of an operation, and every
 *    batch it commits, applied alone, leaves an fsck.minix-clean image
 *    (a capture device applies each batch to a copy and fscks it);
 *  - a committed redo log (a batch logged but not yet written in place)
 *    is replayed by the next open: the files are there, fsck is clean;
 *  - a torn log (short, or a CRC mismatch) is discarded, the image as
 *    before the batch;
 *  - a committed log with bad contents (extents outside the image, an
 *    unknown version) makes the open fail with -EUCLEAN, image and log
 *    untouched; a read-only open refuses to skip a committed log;
 *  - redo_check() refuses malformed batches.
 * The log file is built here by hand from its documented format, as an
 * outside check of the parser.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fst.h"
#include "redolog.h"

/* The log format of redolog.c, spelt out independently. */
struct log_head {
	char magic[8];
	uint32_t version;
	uint32_t nr_extents;
	uint64_t count;
	uint32_t crc;
	uint32_t pad;
};

/* A device over an image file whose commits are kept, not written. */
struct capdev {
	struct mfs_blockdev dev;
	int fd;
	int writes;			/* dev->write calls: must stay 0 */
	int reads;			/* dev->read calls */
	int commits;
	const char *copy;		/* if set: apply each batch here, fsck */
	int dirty_fscks;		/* copies fsck found unclean */
	unsigned char *batch;		/* the last batch */
	uint32_t nr_extents;
	uint64_t count;
};

static int cap_read(struct mfs_blockdev *dev, uint64_t off, void *buf,
		    size_t len)
{
	struct capdev *c = dev->priv;

	c->reads++;
	return pread(c->fd, buf, len, off) == (ssize_t)len ? 0 : -EIO;
}

static int cap_write(struct mfs_blockdev *dev, uint64_t off,
		     const void *buf, size_t len)
{
	struct capdev *c = dev->priv;

	c->writes++;
	return -EIO;
}

static int apply_to(const char *img, const void *batch, uint32_t n)
{
	const struct mol_bdev_extent *e = batch;
	const unsigned char *data = (const unsigned char *)(e + n);
	int fd = open(img, O_WRONLY), err = 0;
	uint32_t i;

	if (fd < 0)
		return -errno;
	for (i = 0; i < n && !err; i++) {
		if (pwrite(fd, data, e[i].len, e[i].pos) != (ssize_t)e[i].len)
			err = -EIO;
		data += e[i].len;
	}
	close(fd);
	return err;
}

static int cap_commit(struct mfs_blockdev *dev, const void *batch,
		      uint32_t nr_extents, uint64_t count)
{
	struct capdev *c = dev->priv;

	if (redo_check(batch, nr_extents, count, dev->size))
		return -EINVAL;
	c->commits++;
	free(c->batch);
	c->batch = malloc(count);
	memcpy(c->batch, batch, count);
	c->nr_extents = nr_extents;
	c->count = count;
	if (c->copy) {
		if (apply_to(c->copy, batch, nr_extents) ||
		    !fst_fsck(c->copy))
			c->dirty_fscks++;
	}
	return 0;
}

static struct mfs *cap_mount(struct capdev *c, const char *img,
			     unsigned int cache_blocks)
{
	struct mfs_mount_opts o = { .cache_blocks = cache_blocks };
	struct stat st;
	struct mfs *fs;

	memset(c, 0, sizeof(*c));
	c->fd = open(img, O_RDONLY);
	if (c->fd < 0 || fstat(c->fd, &st) < 0)
		exit(2);
	c->dev.read = cap_read;
	c->dev.write = cap_write;
	c->dev.commit = cap_commit;
	c->dev.size = st.st_size;
	c->dev.priv = c;
	if (mfs_mount(&c->dev, &o, &fs)) {
		fprintf(stderr, "mount %s failed\n", img);
		exit(2);
	}
	return fs;
}

static void cap_done(struct capdev *c, struct mfs *fs)
{
	mfs_unmount(fs);	/* no close hook: the fd is ours */
	close(c->fd);
}

static void copy_file(const char *from, const char *to)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", from, to);
	if (system(cmd))
		exit(2);
}

static bool same_file(const char *a, const char *b)
{
	char cmd[1200];

	snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", a, b);
	return system(cmd) == 0;
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : st.st_size;
}

/* Write a log for @img holding @batch; @how changes it afterwards. */
enum log_how { LOG_GOOD, LOG_SHORT, LOG_BADCRC, LOG_VERSION };

static void write_log(const char *img, const void *batch, uint32_t n,
		      uint64_t count, enum log_how how)
{
	struct log_head h;
	char path[600];
	unsigned char *copy = malloc(count);
	int fd;

	memcpy(copy, batch, count);
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, "MOLREDO1", 8);
	h.version = how == LOG_VERSION ? 2 : 1;
	h.nr_extents = n;
	h.count = count;
	h.crc = redo_crc32c(redo_crc32c(0, &h, sizeof(h)), copy, count);
	if (how == LOG_BADCRC)
		copy[count - 1] ^= 0x40;	/* the data, after the CRC */
	snprintf(path, sizeof(path), "%s%s", img, REDO_SUFFIX);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, &h, sizeof(h)) != sizeof(h) ||
	    write(fd, copy, count - (how == LOG_SHORT)) !=
	    (ssize_t)(count - (how == LOG_SHORT)))
		exit(2);
	close(fd);
	free(copy);
}

static const char msg[] = "committed, then the writer was killed\n";

/* Capture the batch of a small workload on @img (nothing is written). */
static void capture(struct capdev *c, const char *img)
{
	struct mfs *fs = cap_mount(c, img, 0);
	uint32_t ino;

	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "d", 0755), 0);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "d/f",
			   O_CREAT | O_WRONLY, 0644, &ino), 0);
	CHECK_ERR(mfs_write(fs, &fst_root, ino, msg, sizeof(msg) - 1, 0),
		  sizeof(msg) - 1);
	mfs_put(fs, ino);
	CHECK_ERR(mfs_sync(fs), 0);
	CHECK(c->commits == 1 && c->writes == 0,
	      "one sync is one commit (%d), no plain writes (%d)",
	      c->commits, c->writes);
	cap_done(c, fs);
}

static void test_replay(void)
{
	const char *img = fst_mkimage("redo", 2048, 256);
	char before[600], logp[600];
	struct mol_bdev_extent *e0;
	struct mfs_blockdev *dev;
	uint64_t pos;
	struct capdev c;
	struct mfs *fs;
	char buf[100];
	uint32_t ino;

	snprintf(before, sizeof(before), "%s.before", img);
	snprintf(logp, sizeof(logp), "%s%s", img, REDO_SUFFIX);
	copy_file(img, before);
	capture(&c, img);
	CHECK(same_file(img, before), "a captured batch changed nothing");

	/* Committed, not applied: the next open replays it. */
	write_log(img, c.batch, c.nr_extents, c.count, LOG_GOOD);
	fs = fst_mount(img);
	CHECK_ERR(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "d/f", 0, &ino), 0);
	memset(buf, 0, sizeof(buf));
	CHECK_ERR(mfs_read(fs, ino, buf, sizeof(buf), 0), sizeof(msg) - 1);
	CHECK(!strcmp(buf, msg), "the replayed file holds its data");
	CHECK(file_size(logp) == 0, "the log is empty after the replay");
	fst_umount_fsck(fs, img, "a replayed log");
	CHECK(file_size(logp) < 0, "a clean close removes the empty log");

	/* Torn logs: short, or the CRC does not match: discarded. */
	copy_file(before, img);
	write_log(img, c.batch, c.nr_extents, c.count, LOG_SHORT);
	CHECK_ERR(mfs_filedev_open(img, 0, &dev), 0);
	dev->close(dev);
	CHECK(same_file(img, before), "a short log is not replayed");
	CHECK(file_size(logp) < 0, "a short log is discarded");

	write_log(img, c.batch, c.nr_extents, c.count, LOG_BADCRC);
	/* read-only: ignored, left alone */
	CHECK_ERR(mfs_filedev_open(img, 1, &dev), 0);
	dev->close(dev);
	CHECK(file_size(logp) == (off_t)(sizeof(struct log_head) + c.count),
	      "a read-only open leaves a torn log alone");
	CHECK_ERR(mfs_filedev_open(img, 0, &dev), 0);
	dev->close(dev);
	CHECK(same_file(img, before), "a log with a bad CRC is not replayed");
	CHECK(file_size(logp) < 0, "a log with a bad CRC is discarded");
	fs = fst_mount(img);
	CHECK_ERR(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "d", 0, &ino),
		  -ENOENT);
	fst_umount_fsck(fs, img, "a discarded log");

	/* Committed but invalid: refused, nothing changed. */
	write_log(img, c.batch, c.nr_extents, c.count, LOG_VERSION);
	CHECK_ERR(mfs_filedev_open(img, 0, &dev), -EUCLEAN);
	CHECK(same_file(img, before), "an unknown version is not replayed");
	CHECK(file_size(logp) == (off_t)(sizeof(struct log_head) + c.count),
	      "a refused log is kept");
	e0 = (struct mol_bdev_extent *)c.batch;
	pos = e0->pos;
	e0->pos = 1ULL << 40;
	write_log(img, c.batch, c.nr_extents, c.count, LOG_GOOD);
	CHECK_ERR(mfs_filedev_open(img, 0, &dev), -EUCLEAN);
	CHECK(same_file(img, before), "extents outside the image: refused");
	e0->pos = pos;
	e0->len += 512;
	write_log(img, c.batch, c.nr_extents, c.count, LOG_GOOD);
	CHECK_ERR(mfs_filedev_open(img, 0, &dev), -EUCLEAN);
	CHECK(same_file(img, before), "lengths not matching: refused");
	e0->len -= 512;

	/* Read-only cannot replay a committed log, and says so. */
	write_log(img, c.batch, c.nr_extents, c.count, LOG_GOOD);
	CHECK_ERR(mfs_filedev_open(img, 1, &dev), -EUCLEAN);
	CHECK(same_file(img, before), "read-only: the image is untouched");
	CHECK(fst_fsck(img), "fsck.minix clean after the refused logs");
	unlink(logp);
	unlink(before);
	free(c.batch);
}

static void test_check(void)
{
	struct {
		struct mol_bdev_extent e[2];
		unsigned char data[2048];
	} b;
	uint64_t hdr = 2 * sizeof(struct mol_bdev_extent);

	memset(&b, 0, sizeof(b));
	b.e[0] = (struct mol_bdev_extent){ .pos = 0, .len = 1024 };
	b.e[1] = (struct mol_bdev_extent){ .pos = 4096, .len = 1024 };
	CHECK_ERR(redo_check(&b, 2, hdr + 2048, 8192), 0);
	CHECK_ERR(redo_check(&b, 0, hdr + 2048, 8192), -EINVAL);
	CHECK_ERR(redo_check(&b, 2, hdr + 1024, 8192), -EINVAL);
	CHECK_ERR(redo_check(&b, 2, hdr + 2048, 4608), -EINVAL);
	CHECK_ERR(redo_check(&b, 3, hdr + 2048, 8192), -EINVAL);
	CHECK_ERR(redo_check(&b, UINT32_MAX, hdr + 2048, 8192), -EINVAL);
	CHECK_ERR(redo_check(&b, 2, (uint64_t)REDO_MAX_BATCH + 1, 8192),
		  -EINVAL);
	b.e[1].flags = 1;
	CHECK_ERR(redo_check(&b, 2, hdr + 2048, 8192), -EINVAL);
	b.e[1].flags = 0;
	b.e[1].pos = 4097;
	CHECK_ERR(redo_check(&b, 2, hdr + 2048, 8192), -EINVAL);
	b.e[1].pos = UINT64_MAX - 511;
	CHECK_ERR(redo_check(&b, 2, hdr + 2048, 8192), -EINVAL);
	b.e[1].pos = 4096;
	b.e[1].len = 0;
	CHECK_ERR(redo_check(&b, 2, hdr + 1024, 8192), -EINVAL);
	b.e[1].len = 100;
	CHECK_ERR(redo_check(&b, 2, hdr + 1124, 8192), -EINVAL);
}

/*
 * Every batch a small cache commits, under a mixed workload with a
 * write-back between operations (as the server does), must leave an
 * fsck-clean image on its own; and nothing is written but batches.
 */
static void test_batches(void)
{
	static unsigned char big[300000];
	const char *img = fst_mkimage("redo-batches", 4096, 512);
	char name[64];
	struct capdev c;
	struct mfs *fs;
	uint32_t ino;
	int i;

	fs = cap_mount(&c, img, 16);
	c.copy = img;		/* each batch applied where it reads */
	for (i = 0; i < (int)sizeof(big); i++)
		big[i] = i * 7 + (i >> 9);
	for (i = 0; i < 24; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		if (i % 6 == 0) {
			snprintf(name, sizeof(name), "dir%d", i);
			mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, name, 0755);
			mfs_writeback(fs);
			snprintf(name, sizeof(name), "dir%d/f%d", i, i);
		}
		if (mfs_open(fs, &fst_root, MFS_ROOT_INO, name,
			     O_CREAT | O_WRONLY, 0644, &ino))
			continue;
		mfs_writeback(fs);
		/* one long write: write-backs between its pieces only */
		mfs_write(fs, &fst_root, ino, big, i % 3 ? 3000 : sizeof(big),
			  0);
		mfs_put(fs, ino);
		mfs_writeback(fs);
		if (i % 4 == 3) {
			snprintf(name, sizeof(name), "f%d", i - 2);
			mfs_unlink(fs, &fst_root, MFS_ROOT_INO, name);
			mfs_writeback(fs);
		}
		if (i % 5 == 4) {
			snprintf(name, sizeof(name), "f%d", i);
			mfs_rename(fs, &fst_root, MFS_ROOT_INO, name,
				   MFS_ROOT_INO, "renamed");
			mfs_writeback(fs);
		}
	}
	CHECK_ERR(mfs_sync(fs), 0);
	CHECK(c.commits >= 10, "a 16-block cache committed %d batches",
	      c.commits);
	CHECK(c.writes == 0, "no write outside a batch (%d)", c.writes);
	CHECK(c.dirty_fscks == 0,
	      "%d of %d batches left an image fsck.minix complains about",
	      c.dirty_fscks, c.commits);
	cap_done(&c, fs);
	CHECK(fst_fsck(img), "fsck.minix clean at the end");
	free(c.batch);
}

/*
 * Clustering: a sequential write is flushed as a few extents, and a cold
 * sequential read comes in with a few large device reads (one per block
 * without read-ahead: 1024 here).
 */
static void test_cluster(void)
{
	static unsigned char big[1 << 20], back[1 << 20];
	const char *img = fst_mkimage("cluster", 4096, 64);
	struct mfs_mount_opts o = { 0 };
	struct mfs_blockdev *dev;
	struct capdev c;
	struct mfs *fs;
	uint64_t off;
	uint32_t ino;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = i * 13 + (i >> 10);
	fs = cap_mount(&c, img, 0);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "f",
			   O_CREAT | O_WRONLY, 0644, &ino), 0);
	CHECK_ERR(mfs_write(fs, &fst_root, ino, big, sizeof(big), 0),
		  sizeof(big));
	mfs_put(fs, ino);
	CHECK_ERR(mfs_sync(fs), 0);
	/* data, the indirect block, inode, bitmaps: a handful of runs */
	CHECK(c.commits == 1 && c.nr_extents <= 8,
	      "1 MiB written as %d batch(es), the last of %u extents",
	      c.commits, c.nr_extents);
	cap_done(&c, fs);
	free(c.batch);

	/* Write it for real, then read it back cold, counting reads. */
	CHECK_ERR(mfs_filedev_open(img, 0, &dev), 0);
	CHECK_ERR(mfs_mount(dev, &o, &fs), 0);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "f",
			   O_CREAT | O_WRONLY, 0644, &ino), 0);
	CHECK_ERR(mfs_write(fs, &fst_root, ino, big, sizeof(big), 0),
		  sizeof(big));
	mfs_put(fs, ino);
	CHECK_ERR(mfs_unmount(fs), 0);
	fs = cap_mount(&c, img, 0);
	c.reads = 0;
	/* referenced, as an open file: sequential read-ahead applies */
	CHECK_ERR(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "f", MFS_L_REF,
			     &ino), 0);
	for (off = 0; off < sizeof(back); off += 65536)
		CHECK_ERR(mfs_read(fs, ino, back + off, 65536, off), 65536);
	CHECK(!memcmp(big, back, sizeof(big)), "read back what was written");
	CHECK(c.reads <= 16, "1 MiB (1024 blocks) read cold in %d device reads",
	      c.reads);
	mfs_put(fs, ino);
	cap_done(&c, fs);
	CHECK(fst_fsck(img), "fsck.minix clean after the clustered write");
}

void test_redo(void)
{
	test_cluster();
	test_check();
	test_replay();
	test_batches();
}

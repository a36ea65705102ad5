// SPDX-License-Identifier: GPL-2.0
/*
 * redolog.c - all-or-nothing batch writes to an image through a redo log
 * next to it.  See redolog.h for the protocol; the log file is
 *
 *	struct redo_head (32 bytes), then the batch (head.count bytes):
 *	head.nr_extents struct mol_bdev_extent, then their data.
 *
 * Everything read from a log is untrusted.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "redolog.h"

#define REDO_MAGIC	"MOLREDO1"
#define REDO_VERSION	1

struct redo_head {
	char magic[8];
	uint32_t version;
	uint32_t nr_extents;
	uint64_t count;		/* bytes of the batch that follows */
	uint32_t crc;		/* CRC32C: head (crc 0), batch */
	uint32_t pad;
};
_Static_assert(sizeof(struct redo_head) == 32, "redo log head");
_Static_assert(sizeof(struct mol_bdev_extent) == 16, "extent layout");

/* ---- CRC32C ---- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	uint32_t c;
	int i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ 0x82f63b78 : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc_soft(uint32_t crc, const unsigned char *p, size_t len)
{
	if (!crc_table[1])
		crc_init();
	while (len--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc_hw(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t c = crc, v;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&v, p, 8);
		c = __builtin_ia32_crc32di(c, v);
	}
	crc = (uint32_t)c;
	while (len--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}
#endif

uint32_t redo_crc32c(uint32_t crc, const void *buf, size_t len)
{
	crc = ~crc;
#if defined(__x86_64__)
	if (__builtin_cpu_supports("sse4.2"))
		return ~crc_hw(crc, buf, len);
#endif
	return ~crc_soft(crc, buf, len);
}

/* ---- Plain I/O ---- */

static int pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* Reads exactly @len bytes; -ENODATA at a short file. */
static int pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENODATA;
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* ---- Batches ---- */

int redo_check(const void *batch, uint32_t nr_extents, uint64_t count,
	       uint64_t size)
{
	const struct mol_bdev_extent *e = batch;
	uint64_t head, sum = 0;
	uint32_t i;

	if (!nr_extents || count > REDO_MAX_BATCH)
		return -EINVAL;
	head = (uint64_t)nr_extents * sizeof(*e);
	if (head >= count)
		return -EINVAL;
	for (i = 0; i < nr_extents; i++) {
		if (e[i].flags || !e[i].len || e[i].len % REDO_ALIGN ||
		    e[i].pos % REDO_ALIGN)
			return -EINVAL;
		if (e[i].pos > size || e[i].len > size - e[i].pos)
			return -EINVAL;
		sum += e[i].len;
		if (sum > count - head)
			return -EINVAL;
	}
	return sum == count - head ? 0 : -EINVAL;
}

/* Write a checked batch in place and make it durable. */
static int apply(int imgfd, const void *batch, uint32_t nr_extents)
{
	const struct mol_bdev_extent *e = batch;
	const unsigned char *data = (const unsigned char *)(e + nr_extents);
	uint32_t i;
	int err;

	for (i = 0; i < nr_extents; i++) {
		err = pwrite_all(imgfd, data, e[i].len, e[i].pos);
		if (err)
			return err;
		data += e[i].len;
	}
	return fdatasync(imgfd) < 0 ? -errno : 0;
}

int redo_commit(struct redo *r, const void *batch, uint32_t nr_extents,
		uint64_t count)
{
	struct redo_head h;
	int err;

	if (r->logfd < 0)
		return -EROFS;
	err = redo_check(batch, nr_extents, count, r->size);
	if (err)
		return err;
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, REDO_MAGIC, sizeof(h.magic));
	h.version = REDO_VERSION;
	h.nr_extents = nr_extents;
	h.count = count;
	h.crc = redo_crc32c(redo_crc32c(0, &h, sizeof(h)), batch, count);

	/* 1. the log, durable: from here on the batch is committed */
	err = pwrite_all(r->logfd, &h, sizeof(h), 0);
	if (!err)
		err = pwrite_all(r->logfd, batch, count, sizeof(h));
	if (!err && fdatasync(r->logfd) < 0)
		err = -errno;
	if (err)
		goto uncommitted;
	/* 2. in place, durable; 3. the log emptied */
	err = apply(r->imgfd, batch, nr_extents);
	if (err)
		return err;	/* committed: the next open replays it */
	return ftruncate(r->logfd, 0) < 0 ? -errno : 0;

uncommitted:
	/* Nothing reached the image: drop the partial log. */
	if (ftruncate(r->logfd, 0) < 0)
		return -errno;
	return err;
}

/*
 * Look at the log in @fd: REDO_EMPTY, REDO_DISCARDED (torn: short or a
 * CRC mismatch), or a committed batch in *@batchp (malloc'ed) with
 * *@hp: REDO_REPLAYED (to be applied); -EUCLEAN for a committed but
 * invalid log, -errno for an I/O error.
 */
static int read_log(struct redo *r, const char *image, int fd,
		    struct redo_head *hp, void **batchp)
{
	struct redo_head h;
	uint32_t crc;
	struct stat st;
	void *batch;
	int err;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size == 0)
		return REDO_EMPTY;
	if ((uint64_t)st.st_size < sizeof(h))
		return REDO_DISCARDED;
	err = pread_all(fd, &h, sizeof(h), 0);
	if (err)
		return err == -ENODATA ? REDO_DISCARDED : err;
	if (memcmp(h.magic, REDO_MAGIC, sizeof(h.magic)))
		return REDO_DISCARDED;
	if (h.count > REDO_MAX_BATCH ||
	    h.count > (uint64_t)st.st_size - sizeof(h))
		return REDO_DISCARDED;	/* the batch never got there */
	batch = malloc(h.count ? h.count : 1);
	if (!batch)
		return -ENOMEM;
	err = pread_all(fd, batch, h.count, sizeof(h));
	if (err) {
		free(batch);
		return err == -ENODATA ? REDO_DISCARDED : err;
	}
	crc = h.crc;
	h.crc = 0;
	if (redo_crc32c(redo_crc32c(0, &h, sizeof(h)), batch, h.count) !=
	    crc) {
		free(batch);
		return REDO_DISCARDED;
	}
	h.crc = crc;
	/* Committed.  From here on a bad field is refused, not dropped. */
	if (h.version != REDO_VERSION) {
		fprintf(stderr, "%s%s: committed redo log of unknown version %u: not replayed; the image is left as it is\n",
			image, REDO_SUFFIX, h.version);
		free(batch);
		return -EUCLEAN;
	}
	if (redo_check(batch, h.nr_extents, h.count, r->size)) {
		fprintf(stderr, "%s%s: committed redo log with invalid extents (unaligned, outside the %llu-byte image, or not matching its data): not replayed; the image is left as it is\n",
			image, REDO_SUFFIX, (unsigned long long)r->size);
		free(batch);
		return -EUCLEAN;
	}
	*hp = h;
	*batchp = batch;
	return REDO_REPLAYED;
}

static int log_path(struct redo *r, const char *image)
{
	int n = snprintf(r->path, sizeof(r->path), "%s%s", image, REDO_SUFFIX);

	return n < 0 || (size_t)n >= sizeof(r->path) ? -ENAMETOOLONG : 0;
}

/* Make a new log's directory entry durable. */
static void sync_parent(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int redo_open(struct redo *r, const char *image, int imgfd, uint64_t size,
	      int readonly, enum redo_found *found)
{
	struct redo_head h = { .nr_extents = 0 };
	void *batch = NULL;
	int fd, ret;

	r->imgfd = imgfd;
	r->logfd = -1;
	r->size = size;
	if (found)
		*found = REDO_EMPTY;
	ret = log_path(r, image);
	if (ret)
		return ret;
	if (readonly) {
		fd = open(r->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return errno == ENOENT ? 0 : -errno;
	} else {
		fd = open(r->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
			  O_CLOEXEC, 0600);
		if (fd >= 0)
			sync_parent(r->path);
		else if (errno == EEXIST)
			fd = open(r->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	ret = read_log(r, image, fd, &h, &batch);
	if (ret < 0)
		goto out_close;
	if (found)
		*found = ret;
	if (ret == REDO_EMPTY) {
		ret = 0;
	} else if (readonly) {
		/* A torn log is ignored; a committed one must be applied. */
		if (ret == REDO_REPLAYED) {
			fprintf(stderr, "%s: committed redo log: open the image read-write once to replay it\n",
				r->path);
			ret = -EUCLEAN;
		} else {
			ret = 0;
		}
	} else {
		if (ret == REDO_REPLAYED) {
			ret = apply(imgfd, batch, h.nr_extents);
			if (ret)
				goto out_close;
		}
		ret = ftruncate(fd, 0) < 0 ? -errno : 0;
		if (!ret && fdatasync(fd) < 0)
			ret = -errno;
	}
	if (ret)
		goto out_close;
	free(batch);
	if (readonly)
		close(fd);
	else
		r->logfd = fd;
	return 0;

out_close:
	free(batch);
	close(fd);
	return ret;
}

void redo_close(struct redo *r)
{
	struct stat st;

	if (r->logfd < 0)
		return;
	if (fstat(r->logfd, &st) == 0 && st.st_size == 0)
		unlink(r->path);
	close(r->logfd);
	r->logfd = -1;
}

int redo_replay_image(const char *image, enum redo_found *found)
{
	struct redo r;
	struct stat st;
	char path[4096];
	int fd, ret;

	if (found)
		*found = REDO_EMPTY;
	ret = snprintf(path, sizeof(path), "%s%s", image, REDO_SUFFIX);
	if (ret < 0 || (size_t)ret >= sizeof(path))
		return -ENAMETOOLONG;
	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	fd = open(image, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		goto out;
	}
	ret = redo_open(&r, image, fd, (uint64_t)st.st_size, 0, found);
	if (!ret)
		redo_close(&r);
out:
	close(fd);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * big.c - big and sparse files: data in direct, indirect and
 * double-indirect zones, read back, truncated across the levels (zones
 * and indirect blocks freed: the free count comes back), fsck clean.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "fst.h"

#define BS	1024ULL
#define L1	(7 * BS)			/* end of the direct zones */
#define L2	(L1 + 256 * BS)			/* end of the indirect */

static unsigned char byte_at(uint64_t off)
{
	return (unsigned char)(off * 2654435761ULL >> 13);
}

static bool write_pattern(struct mfs *fs, uint32_t ino, uint64_t off,
			  uint64_t len)
{
	static unsigned char buf[65536];

	while (len > 0) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf), i;

		for (i = 0; i < n; i++)
			buf[i] = byte_at(off + i);
		if (mfs_write(fs, &fst_root, ino, buf, n, off) != (ssize_t)n)
			return false;
		off += n;
		len -= n;
	}
	return true;
}

/* Bytes [off, off+len) read as the pattern (or zeros if hole). */
static bool check_range(struct mfs *fs, uint32_t ino, uint64_t off,
			uint64_t len, bool hole)
{
	static unsigned char buf[65536];

	while (len > 0) {
		size_t n = len < sizeof(buf) ? len : sizeof(buf), i;

		if (mfs_read(fs, ino, buf, n, off) != (ssize_t)n)
			return false;
		for (i = 0; i < n; i++) {
			if (buf[i] != (hole ? 0 : byte_at(off + i)))
				return false;
		}
		off += n;
		len -= n;
	}
	return true;
}

static uint64_t free_blocks(struct mfs *fs)
{
	struct mfs_statvfs sv;

	return mfs_statvfs(fs, &sv) ? 0 : sv.bfree;
}

void test_big(void)
{
	const char *img = fst_mkimage("big", 65536, 1024);
	uint64_t size = L2 + 3000 * BS + 123, free0, sizes[] = {
		L2 + 1000 * BS + 5, L2 + 1, L2, L2 - 1, L1 + 1, L1, 100, 0 };
	struct mfs_stat st;
	struct mfs *fs;
	uint32_t ino;
	unsigned int i;

	fs = fst_mount(img);
	free0 = free_blocks(fs);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "big",
			   O_CREAT | O_RDWR, 0644, &ino), 0);
	CHECK(write_pattern(fs, ino, 0, size), "write %llu bytes",
	      (unsigned long long)size);
	CHECK(check_range(fs, ino, 0, size, false), "read back big file");
	CHECK_ERR(mfs_fstat(fs, ino, &st), 0);
	CHECK(st.size == size, "size %llu", (unsigned long long)st.size);
	/* data + 1 indirect + 1 double + ceil((blocks-263)/256) */
	CHECK(st.blocks == 2 * ((size + BS - 1) / BS + 2 + 12),
	      "st_blocks %llu", (unsigned long long)st.blocks);
	CHECK_ERR(mfs_sync(fs), 0);
	CHECK(fst_fsck(img), "fsck after big write");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		CHECK_ERR(mfs_ftruncate(fs, ino, sizes[i]), 0);
		CHECK(check_range(fs, ino, 0, sizes[i], false),
		      "contents after truncate to %llu",
		      (unsigned long long)sizes[i]);
		CHECK_ERR(mfs_sync(fs), 0);
		CHECK(fst_fsck(img), "fsck after truncate to %llu",
		      (unsigned long long)sizes[i]);
	}
	CHECK_ERR(mfs_fstat(fs, ino, &st), 0);
	CHECK(st.blocks == 0, "no blocks left: %llu",
	      (unsigned long long)st.blocks);
	CHECK(free_blocks(fs) == free0, "all zones freed (%llu vs %llu)",
	      (unsigned long long)free_blocks(fs),
	      (unsigned long long)free0);

	/* sparse: a byte far in the double-indirect range, holes read 0 */
	CHECK(write_pattern(fs, ino, L2 + 5000 * BS + 7, 10), "sparse write");
	CHECK(check_range(fs, ino, 0, L2 + 5000 * BS + 7, true), "holes");
	CHECK(check_range(fs, ino, L2 + 5000 * BS + 7, 10, false), "tail");
	CHECK_ERR(mfs_fstat(fs, ino, &st), 0);
	CHECK(st.blocks == 2 * 3, "sparse st_blocks %llu",
	      (unsigned long long)st.blocks);
	/* growing truncate: zeros, then shrink into a block, grow again */
	CHECK_ERR(mfs_ftruncate(fs, ino, 10), 0);
	CHECK(write_pattern(fs, ino, 0, 3000), "rewrite head");
	CHECK_ERR(mfs_ftruncate(fs, ino, 1500), 0);
	CHECK_ERR(mfs_ftruncate(fs, ino, L1 + 10), 0);
	CHECK(check_range(fs, ino, 0, 1500, false) &&
	      check_range(fs, ino, 1500, L1 + 10 - 1500, true),
	      "shrink then grow reads zeros past the cut");
	CHECK_ERR(mfs_ftruncate(fs, ino, (int64_t)1 << 31), -EFBIG);
	CHECK_ERR(mfs_ftruncate(fs, ino, -1), -EINVAL);
	CHECK_ERR(mfs_write(fs, &fst_root, ino, "x", 1, 0x7fffffff), -EFBIG);
	mfs_put(fs, ino);
	/* fill the disk: ENOSPC, partial count, still clean */
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "fill",
			   O_CREAT | O_RDWR, 0644, &ino), 0);
	{
		static unsigned char buf[1 << 20];
		uint64_t off = 0;
		ssize_t n;

		while ((n = mfs_write(fs, &fst_root, ino, buf, sizeof(buf),
				      off)) == (ssize_t)sizeof(buf))
			off += n;
		CHECK(n >= 0 && n < (ssize_t)sizeof(buf), "short write %zd",
		      n);
		off += n > 0 ? n : 0;
		CHECK_ERR(mfs_write(fs, &fst_root, ino, buf, 1024, off),
			  -ENOSPC);
		CHECK(free_blocks(fs) == 0, "disk full");
		CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "nospace",
				    0755), -ENOSPC);
	}
	mfs_put(fs, ino);
	CHECK_ERR(mfs_sync(fs), 0);
	CHECK(fst_fsck(img), "fsck with a full disk");
	CHECK_ERR(mfs_unlink(fs, &fst_root, MFS_ROOT_INO, "fill"), 0);
	CHECK_ERR(mfs_unlink(fs, &fst_root, MFS_ROOT_INO, "big"), 0);
	CHECK(free_blocks(fs) == free0, "everything freed");
	fst_umount_fsck(fs, img, "big files");
}

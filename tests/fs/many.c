// SPDX-License-Identifier: GPL-2.0
/*
 * many.c - 10^4 files in one directory: create, list (every name once,
 * stable positions while removing), remove half, fsck clean.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "fst.h"

#define NFILES	10000

void test_many(void)
{
	const char *img = fst_mkimage("many", 32768, 12000);
	struct mfs_dirent ents[64];
	unsigned char *seen;
	char name[64];
	uint64_t pos = 0;
	struct mfs *fs;
	uint32_t dir, ino;
	int i, n, k, bad = 0, count = 0;

	fs = fst_mount(img);
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "d", 0755), 0);
	CHECK_ERR(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "d", 0, &dir), 0);
	for (i = 0; i < NFILES && !bad; i++) {
		snprintf(name, sizeof(name), "file-%05d", i);
		bad = mfs_open(fs, &fst_root, dir, name, O_CREAT | O_EXCL |
			       O_WRONLY, 0644, &ino);
		if (!bad)
			mfs_put(fs, ino);
	}
	CHECK(!bad, "created %d files (%d)", i, bad);
	CHECK_ERR(mfs_lookup(fs, &fst_root, dir, "file-09999", 0, &ino), 0);
	CHECK_ERR(mfs_lookup(fs, &fst_root, dir, "file-10000", 0, &ino),
		  -ENOENT);
	seen = calloc(NFILES, 1);
	/* list while removing the odd ones: positions stay valid */
	while ((n = mfs_getdents(fs, dir, &pos, ents, 64)) > 0) {
		for (k = 0; k < n; k++) {
			count++;
			if (strncmp(ents[k].name, "file-", 5))
				continue;
			i = atoi(ents[k].name + 5);
			if (i < 0 || i >= NFILES || seen[i]++)
				bad++;
			if (i % 2 && mfs_unlink(fs, &fst_root, dir,
						ents[k].name))
				bad++;
		}
	}
	CHECK(n == 0 && !bad && count == NFILES + 2,
	      "listed %d entries, %d bad", count, bad);
	free(seen);
	CHECK_ERR(mfs_sync(fs), 0);
	CHECK(fst_fsck(img), "fsck after 10^4 creates and 5000 unlinks");
	count = 0;
	pos = 0;
	while ((n = mfs_getdents(fs, dir, &pos, ents, 64)) > 0)
		count += n;
	CHECK(count == NFILES / 2 + 2, "%d entries left", count);
	CHECK_ERR(mfs_rmdir(fs, &fst_root, MFS_ROOT_INO, "d"), -ENOTEMPTY);
	fst_umount_fsck(fs, img, "many files");
}

// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - molfs-test: the molfs host suite (run by `make fscheck`).
 *   molfs-test [-q] [-v] [-d WORKDIR] [GROUP...]
 * Prints "fscheck: N passed, N failed"; exits 1 on any failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fst.h"

int fst_passed, fst_failed, fst_verbose = 1;
const char *fst_dir = "build/fscheck";
const struct mfs_cred fst_root = { 0, 0 };

bool fst_check(bool ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		fst_passed++;
		return true;
	}
	fst_failed++;
	fprintf(stderr, "FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return false;
}

const char *fst_mkimage(const char *name, unsigned int blocks,
			unsigned int inodes)
{
	static char path[4][512];
	static int slot;
	char cmd[1200];
	char *p = path[slot++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s.img", fst_dir, name);
	snprintf(cmd, sizeof(cmd),
		 "rm -f '%s' && truncate -s %llu '%s' && "
		 "mkfs.minix -3 -i %u '%s' %u >/dev/null", p,
		 (unsigned long long)blocks * 1024, p, inodes, p, blocks);
	if (system(cmd) != 0) {
		fprintf(stderr, "mkfs failed: %s\n", cmd);
		exit(2);
	}
	return p;
}

bool fst_fsck(const char *img)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "fsck.minix -f '%s' >%s/fsck.log 2>&1",
		 img, fst_dir);
	if (system(cmd) == 0)
		return true;
	snprintf(cmd, sizeof(cmd), "cat %s/fsck.log >&2", fst_dir);
	if (system(cmd))
		return false;
	return false;
}

struct mfs *fst_mount(const char *img)
{
	struct mfs_blockdev *dev;
	struct mfs *fs;
	int err;

	err = mfs_filedev_open(img, 0, &dev);
	if (!err)
		err = mfs_mount(dev, NULL, &fs);
	if (err) {
		fprintf(stderr, "mount %s: %s\n", img, strerror(-err));
		exit(2);
	}
	return fs;
}

void fst_umount_fsck(struct mfs *fs, const char *img, const char *what)
{
	CHECK_ERR(mfs_unmount(fs), 0);
	CHECK(fst_fsck(img), "fsck.minix clean after %s", what);
}

static const struct {
	const char *name;
	void (*fn)(void);
} groups[] = {
	{ "basic", test_basic },
	{ "diff", test_diff },
	{ "big", test_big },
	{ "many", test_many },
	{ "corrupt", test_corrupt },
	{ "redo", test_redo },
};

int main(int argc, char **argv)
{
	unsigned int i;
	int opt, j;

	while ((opt = getopt(argc, argv, "qvd:")) != -1) {
		switch (opt) {
		case 'q':
			fst_verbose = 0;
			break;
		case 'v':
			fst_verbose = 2;
			break;
		case 'd':
			fst_dir = optarg;
			break;
		default:
			fprintf(stderr, "usage: molfs-test [-qv] [-d DIR] "
				"[GROUP...]\n");
			return 2;
		}
	}
	mkdir(fst_dir, 0755);
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		bool run = optind == argc;
		int before = fst_failed;

		for (j = optind; j < argc; j++)
			run |= !strcmp(argv[j], groups[i].name);
		if (!run)
			continue;
		groups[i].fn();
		if (fst_verbose)
			printf("fscheck: %-8s %s\n", groups[i].name,
			       fst_failed == before ? "ok" : "FAILED");
	}
	printf("fscheck: %d passed, %d failed\n", fst_passed, fst_failed);
	return fst_failed ? 1 : 0;
}

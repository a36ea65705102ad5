// SPDX-License-Identifier: GPL-2.0
/*
 * basic.c - what the differential script cannot check against Linux:
 * MINIX limits (60-byte names, EMLINK), unlinked-but-referenced inodes,
 * getdents positions, timestamps from the mount's clock, read-only
 * mounts, absolute symlinks and ELOOP, statvfs accounting, rdev.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fst.h"

static uint32_t fake_time = 1000000;

static uint32_t fake_now(void)
{
	return fake_time;
}

static struct mfs *mount_opts(const char *img, unsigned int flags)
{
	struct mfs_mount_opts o = { .dev = 0x301, .flags = flags,
				    .now = fake_now, .cache_blocks = 32 };
	struct mfs_blockdev *dev;
	struct mfs *fs = NULL;

	if (mfs_filedev_open(img, flags & MFS_RDONLY, &dev))
		return NULL;
	if (mfs_mount(dev, &o, &fs))
		dev->close(dev);
	return fs;
}

static void names_and_links(struct mfs *fs)
{
	char name61[62], name60[61], path[64];
	struct mfs_stat st;
	uint32_t ino;
	int i;

	memset(name61, 'n', 61);
	name61[61] = '\0';
	memcpy(name60, name61, 60);
	name60[60] = '\0';
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, name61, 0755),
		  -ENAMETOOLONG);
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, name60, 0755), 0);
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, name60, 0, &st), 0);
	CHECK_ERR(mfs_rmdir(fs, &fst_root, MFS_ROOT_INO, name60), 0);

	/* EMLINK with a lowered limit: links and subdirectories */
	mfs_set_link_max(fs, 4);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "l0",
			   O_CREAT | O_WRONLY, 0644, &ino), 0);
	mfs_put(fs, ino);
	for (i = 1; i < 4; i++) {
		snprintf(path, sizeof(path), "l%d", i);
		CHECK_ERR(mfs_link(fs, &fst_root, MFS_ROOT_INO, "l0",
				   MFS_ROOT_INO, path), 0);
	}
	CHECK_ERR(mfs_link(fs, &fst_root, MFS_ROOT_INO, "l0", MFS_ROOT_INO,
			   "l4"), -EMLINK);
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "m", 0755), 0);
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "m/1", 0755), 0);
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "m/2", 0755), 0);
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "m/3", 0755),
		  -EMLINK);
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "m3", 0755), 0);
	CHECK_ERR(mfs_rename(fs, &fst_root, MFS_ROOT_INO, "m3", MFS_ROOT_INO,
			     "m/3"), -EMLINK);
	mfs_set_link_max(fs, 65530);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "l%d", i);
		CHECK_ERR(mfs_unlink(fs, &fst_root, MFS_ROOT_INO, path), 0);
	}
	/* moving a directory fixes ".." and both parents' nlink */
	CHECK_ERR(mfs_rename(fs, &fst_root, MFS_ROOT_INO, "m/1", MFS_ROOT_INO,
			     "m3/1"), 0);
	CHECK_ERR(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "m3/1/..", 0, &ino),
		  0);
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "m3", 0, &st), 0);
	CHECK(ino == st.ino && st.nlink == 3, "'..' of a moved dir");
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "m", 0, &st), 0);
	CHECK(st.nlink == 3, "old parent nlink %u", st.nlink);
	CHECK_ERR(mfs_rmdir(fs, &fst_root, MFS_ROOT_INO, "/"), -EBUSY);
	CHECK_ERR(mfs_rmdir(fs, &fst_root, MFS_ROOT_INO, "m3/1/../.."),
		  -ENOTEMPTY);
}

static void unlinked_open(struct mfs *fs)
{
	struct mfs_statvfs a, b;
	struct mfs_stat st;
	uint64_t off = 0;
	uint32_t ino;
	char buf[16];

	CHECK_ERR(mfs_statvfs(fs, &a), 0);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "tmp",
			   O_CREAT | O_RDWR, 0600, &ino), 0);
	CHECK_ERR(mfs_write(fs, &fst_root, ino, "hello", 5, 0), 5);
	CHECK_ERR(mfs_append(fs, &fst_root, ino, "!!", 2, &off), 2);
	CHECK(off == 7, "append offset %llu", (unsigned long long)off);
	CHECK_ERR(mfs_unlink(fs, &fst_root, MFS_ROOT_INO, "tmp"), 0);
	CHECK_ERR(mfs_fstat(fs, ino, &st), 0);
	CHECK(st.nlink == 0, "nlink after unlink %u", st.nlink);
	CHECK_ERR(mfs_read(fs, ino, buf, sizeof(buf), 1), 6);
	CHECK(!memcmp(buf, "ello!!", 6), "data of an unlinked open file");
	CHECK_ERR(mfs_statvfs(fs, &b), 0);
	CHECK(b.ffree == a.ffree - 1, "inode still allocated");
	mfs_put(fs, ino);
	CHECK_ERR(mfs_statvfs(fs, &b), 0);
	CHECK(b.ffree == a.ffree && b.bfree == a.bfree,
	      "freed on the last put");
	CHECK_ERR(mfs_fstat(fs, ino, &st), -EUCLEAN);
}

static void dirents_and_times(struct mfs *fs)
{
	struct mfs_dirent ents[8];
	struct mfs_stat st, st2;
	uint64_t pos = 0;
	uint32_t ino, dir;
	int n;

	fake_time = 2000000;
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "t", 0755), 0);
	CHECK_ERR(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "t", 0, &dir), 0);
	n = mfs_getdents(fs, dir, &pos, ents, 8);
	CHECK(n == 2 && !strcmp(ents[0].name, ".") && ents[0].ino == dir &&
	      !strcmp(ents[1].name, "..") && ents[1].ino == MFS_ROOT_INO &&
	      ents[0].type == 4 && pos == 128, "'.' and '..' (%d)", n);
	CHECK_ERR(mfs_getdents(fs, dir, &pos, ents, 8), 0);
	CHECK_ERR(mfs_getdents(fs, MFS_ROOT_INO + 0, &pos, ents, 0), -EINVAL);
	fake_time = 2000100;
	CHECK_ERR(mfs_open(fs, &fst_root, dir, "x", O_CREAT | O_WRONLY, 0644,
			   &ino), 0);
	CHECK_ERR(mfs_getdents(fs, ino, &pos, ents, 8), -ENOTDIR);
	CHECK_ERR(mfs_fstat(fs, ino, &st), 0);
	CHECK(st.atime == 2000100 && st.mtime == 2000100 &&
	      st.ctime == 2000100 && st.dev == 0x301 && st.blksize == 1024,
	      "times of a new file");
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "t", 0, &st2), 0);
	CHECK(st2.mtime == 2000100 && st2.ctime == 2000100,
	      "parent mtime/ctime");
	fake_time = 2000200;
	CHECK_ERR(mfs_write(fs, &fst_root, ino, "a", 1, 3), 1);
	CHECK_ERR(mfs_fstat(fs, ino, &st), 0);
	CHECK(st.mtime == 2000200 && st.atime == 2000100 && st.size == 4,
	      "write updates mtime");
	mfs_put(fs, ino);
	CHECK_ERR(mfs_utimes(fs, &fst_root, dir, "x",
			     (const uint32_t[]){ 5, 6 }, 0), 0);
	CHECK_ERR(mfs_stat(fs, &fst_root, dir, "x", 0, &st), 0);
	CHECK(st.atime == 5 && st.mtime == 6 && st.ctime == 2000200,
	      "utimes");
	CHECK_ERR(mfs_mknod(fs, &fst_root, dir, "hd", S_IFBLK | 0600, 0x0300),
		  0);
	CHECK_ERR(mfs_stat(fs, &fst_root, dir, "hd", 0, &st), 0);
	CHECK(st.rdev == 0x300 && S_ISBLK(st.mode) && st.size == 0,
	      "block device rdev");
}

static void symlinks(struct mfs *fs)
{
	char path[32], target[32];
	struct mfs_stat st;
	uint32_t ino;
	int i;

	CHECK_ERR(mfs_symlink(fs, &fst_root, "/t/x", MFS_ROOT_INO, "m/abs"),
		  0);
	CHECK_ERR(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "m/abs", 0, &ino),
		  0);
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "t/x", 0, &st), 0);
	CHECK(st.ino == ino, "absolute symlink resolves from the root");
	/* a chain of 40 links resolves, 41 is ELOOP */
	for (i = 0; i <= 41; i++) {
		snprintf(path, sizeof(path), "c%d", i);
		snprintf(target, sizeof(target), i ? "c%d" : "t/x", i - 1);
		CHECK_ERR(mfs_symlink(fs, &fst_root, target, MFS_ROOT_INO,
				      path), 0);
	}
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "c39", 0, &st), 0);
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "c40", 0, &st),
		  -ELOOP);
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "c40", MFS_L_NOFOLLOW,
			   &st), 0);
	for (i = 0; i <= 41; i++) {
		snprintf(path, sizeof(path), "c%d", i);
		CHECK_ERR(mfs_unlink(fs, &fst_root, MFS_ROOT_INO, path), 0);
	}
}

static void readonly(const char *img)
{
	struct mfs *fs = mount_opts(img, MFS_RDONLY);
	uint32_t ino;
	char buf[4];

	if (!CHECK(fs, "read-only mount"))
		return;
	CHECK_ERR(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "ro", 0755), -EROFS);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "t/x", O_RDWR, 0,
			   &ino), -EROFS);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "t/x", O_RDONLY, 0,
			   &ino), 0);
	CHECK_ERR(mfs_read(fs, ino, buf, 4, 0), 4);
	CHECK_ERR(mfs_write(fs, &fst_root, ino, buf, 4, 0), -EROFS);
	mfs_put(fs, ino);
	CHECK_ERR(mfs_unlink(fs, &fst_root, MFS_ROOT_INO, "t/x"), -EROFS);
	CHECK_ERR(mfs_access(fs, &fst_root, MFS_ROOT_INO, "t/x", W_OK),
		  -EROFS);
	CHECK_ERR(mfs_unmount(fs), 0);
}

void test_basic(void)
{
	const char *img = fst_mkimage("basic", 4096, 512);
	struct mfs *fs = mount_opts(img, 0);

	if (!CHECK(fs, "mount %s", img))
		return;
	names_and_links(fs);
	unlinked_open(fs);
	dirents_and_times(fs);
	symlinks(fs);
	fst_umount_fsck(fs, img, "basic operations");
	readonly(img);
	CHECK(fst_fsck(img), "fsck after a read-only mount");
}

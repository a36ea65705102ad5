// SPDX-License-Identifier: GPL-2.0
/*
 * corrupt.c - untrusted images: specific corruptions must give the
 * expected clean errors (EINVAL for a foreign magic, EUCLEAN for broken
 * structures), and a few hundred randomly damaged copies of a populated
 * image must survive a full workload without a crash, a hang or an
 * out-of-bounds access (run under ASAN/UBSAN by `make fscheck`).  The
 * copies live in memory, behind a memory block device.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fst.h"

struct memdev {
	struct mfs_blockdev dev;
	unsigned char *data;
	size_t size;
};

static int mem_read(struct mfs_blockdev *dev, uint64_t off, void *buf,
		    size_t len)
{
	struct memdev *m = dev->priv;

	if (off > m->size || len > m->size - off)
		return -EIO;
	memcpy(buf, m->data + off, len);
	return 0;
}

static int mem_write(struct mfs_blockdev *dev, uint64_t off,
		     const void *buf, size_t len)
{
	struct memdev *m = dev->priv;

	if (off > m->size || len > m->size - off)
		return -EIO;
	memcpy(m->data + off, buf, len);
	return 0;
}

static void memdev_init(struct memdev *m, unsigned char *data, size_t size)
{
	memset(m, 0, sizeof(*m));
	m->data = data;
	m->size = size;
	m->dev.read = mem_read;
	m->dev.write = mem_write;
	m->dev.size = size;
	m->dev.priv = m;
}

static unsigned char *load(const char *img, size_t *sizep)
{
	unsigned char *p;
	struct stat st;
	int fd = open(img, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		exit(2);
	p = malloc(st.st_size);
	if (read(fd, p, st.st_size) != st.st_size)
		exit(2);
	close(fd);
	*sizep = st.st_size;
	return p;
}

static void populate(const char *img)
{
	static char buf[300000];
	struct mfs *fs = fst_mount(img);
	uint32_t ino;
	int i;

	mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "a", 0755);
	mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "a/b", 0755);
	mfs_symlink(fs, &fst_root, "../a", MFS_ROOT_INO, "a/b/up");
	mfs_symlink(fs, &fst_root, "/a/b", MFS_ROOT_INO, "abs");
	mfs_mknod(fs, &fst_root, MFS_ROOT_INO, "tty", S_IFCHR | 0620, 0x401);
	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)i;
	if (!mfs_open(fs, &fst_root, MFS_ROOT_INO, "a/b/big",
		      O_CREAT | O_WRONLY, 0644, &ino)) {
		mfs_write(fs, &fst_root, ino, buf, sizeof(buf), 0);
		mfs_put(fs, ino);
	}
	for (i = 0; i < 40; i++) {
		char name[32];

		snprintf(name, sizeof(name), "a/f%d", i);
		if (!mfs_open(fs, &fst_root, MFS_ROOT_INO, name,
			      O_CREAT | O_WRONLY, 0644, &ino)) {
			mfs_write(fs, &fst_root, ino, name, strlen(name), 0);
			mfs_put(fs, ino);
		}
	}
	mfs_link(fs, &fst_root, MFS_ROOT_INO, "a/f1", MFS_ROOT_INO, "hard");
	fst_umount_fsck(fs, img, "populating the corruption seed");
}

static bool sane(long r)
{
	return r >= -133;	/* a count or an errno, nothing wild */
}

static int insane;

#define T(expr) do { long __r = (expr); if (!sane(__r)) insane++; } while (0)

/* Walk everything (bounded), reading and stat'ing; then change things. */
static void walk(struct mfs *fs, uint32_t dir, int depth)
{
	static char buf[70000];
	struct mfs_dirent ents[16];
	struct mfs_stat st;
	uint64_t pos = 0;
	int n, i, rounds = 0;

	if (depth > 8)
		return;
	while ((n = mfs_getdents(fs, dir, &pos, ents, 16)) > 0 &&
	       rounds++ < 64) {
		for (i = 0; i < n; i++) {
			const char *nm = ents[i].name;
			uint32_t ino;

			if (!nm[0])
				continue;
			T(mfs_stat(fs, &fst_root, dir, nm, MFS_L_NOFOLLOW,
				   &st));
			T(mfs_stat(fs, &fst_root, dir, nm, 0, &st));
			T(mfs_readlink(fs, &fst_root, dir, nm, buf, 4096));
			if (!mfs_open(fs, &fst_root, dir, nm, O_RDONLY, 0,
				      &ino)) {
				T(mfs_read(fs, ino, buf, sizeof(buf), 0));
				T(mfs_read(fs, ino, buf, 100, 270000));
				mfs_put(fs, ino);
			}
			if (ents[i].type == 4 && strcmp(nm, ".") &&
			    strcmp(nm, ".."))
				walk(fs, ents[i].ino, depth + 1);
		}
	}
	T(n);
}

static void workload(struct mfs *fs)
{
	static char buf[20000];
	struct mfs_statvfs sv;
	uint32_t ino;

	walk(fs, MFS_ROOT_INO, 0);
	T(mfs_statvfs(fs, &sv));
	if (!mfs_open(fs, &fst_root, MFS_ROOT_INO, "a/new", O_CREAT | O_RDWR,
		      0644, &ino)) {
		T(mfs_write(fs, &fst_root, ino, buf, sizeof(buf), 5000));
		T(mfs_ftruncate(fs, ino, 3));
		mfs_put(fs, ino);
	}
	if (!mfs_open(fs, &fst_root, MFS_ROOT_INO, "a/b/big", O_RDWR, 0,
		      &ino)) {
		T(mfs_write(fs, &fst_root, ino, buf, sizeof(buf), 290000));
		T(mfs_ftruncate(fs, ino, 1000));
		mfs_put(fs, ino);
	}
	T(mfs_mkdir(fs, &fst_root, MFS_ROOT_INO, "a/newdir", 0755));
	T(mfs_rename(fs, &fst_root, MFS_ROOT_INO, "a/newdir", MFS_ROOT_INO,
		     "a/b/moved"));
	T(mfs_rename(fs, &fst_root, MFS_ROOT_INO, "a/f3", MFS_ROOT_INO,
		     "a/f4"));
	T(mfs_rename(fs, &fst_root, MFS_ROOT_INO, "a/b", MFS_ROOT_INO, "b2"));
	T(mfs_unlink(fs, &fst_root, MFS_ROOT_INO, "a/f5"));
	T(mfs_unlink(fs, &fst_root, MFS_ROOT_INO, "hard"));
	T(mfs_rmdir(fs, &fst_root, MFS_ROOT_INO, "b2/moved"));
	T(mfs_link(fs, &fst_root, MFS_ROOT_INO, "a/f6", MFS_ROOT_INO, "h2"));
	T(mfs_symlink(fs, &fst_root, "x", MFS_ROOT_INO, "a/b/s"));
	T(mfs_chmod(fs, &fst_root, MFS_ROOT_INO, "a/f7", 0600));
	T(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "a/b/up/b/up/b/big", 0,
		     &ino));
	T(mfs_sync(fs));
}

/* One specific corruption of a copy; mount must fail with want. */
static void expect_mount(const unsigned char *seed, size_t size,
			 size_t off, const void *bytes, size_t len, int want,
			 const char *what)
{
	unsigned char *copy = malloc(size);
	struct memdev m;
	struct mfs *fs;
	int err;

	memcpy(copy, seed, size);
	memcpy(copy + off, bytes, len);
	memdev_init(&m, copy, size);
	err = mfs_mount(&m.dev, NULL, &fs);
	if (!err)
		mfs_unmount(fs);
	CHECK(err == want, "%s: mount gives %d, want %d", what, err, want);
	free(copy);
}

static void targeted(const unsigned char *seed, size_t size)
{
	const uint32_t big = 0xfffffff0, zero = 0;
	const uint16_t bs3000 = 3000, bad = 0xffff;
	struct mfs_stat st;
	unsigned char *copy;
	struct memdev m;
	struct mfs *fs;
	uint32_t ino, first, itable, *zone;
	char buf[64];

	expect_mount(seed, size, 1024 + 24, "\0\0", 2, -EINVAL, "bad magic");
	expect_mount(seed, size, 1024 + 20, &big, 4, -EUCLEAN, "s_zones");
	expect_mount(seed, size, 1024, &big, 4, -EUCLEAN, "s_ninodes");
	expect_mount(seed, size, 1024 + 28, &bs3000, 2, -EUCLEAN,
		     "s_blocksize");
	expect_mount(seed, size, 1024 + 12, &bad, 2, -EUCLEAN,
		     "s_log_zone_size");
	expect_mount(seed, size, 1024 + 10, &zero, 2, -EUCLEAN,
		     "s_firstdatazone");
	expect_mount(seed, size, 1024 + 6, &bad, 2, -EUCLEAN,
		     "s_imap_blocks");
	/* root inode not a directory */
	itable = 2 + seed[1024 + 6] + seed[1024 + 8];
	expect_mount(seed, size, itable * 1024, "\0\x80", 2, -EUCLEAN,
		     "root inode mode");

	/* an out-of-range zone and a bad directory entry */
	copy = malloc(size);
	memcpy(copy, seed, size);
	memdev_init(&m, copy, size);
	CHECK_ERR(mfs_mount(&m.dev, NULL, &fs), 0);
	CHECK_ERR(mfs_lookup(fs, &fst_root, MFS_ROOT_INO, "a/b/big", 0, &ino),
		  0);
	mfs_unmount(fs);
	first = copy[1024 + 10] | copy[1024 + 11] << 8;
	zone = (uint32_t *)(copy + itable * 1024 + (ino - 1) * 64 + 24);
	zone[7] = 0x7fffffff;		/* indirect zone past the end */
	zone[0] = first - 1;		/* data zone in the metadata */
	/* the root's 4th entry ("abs"): inode 60000 */
	memcpy(copy + first * 1024 + 192, &(uint32_t){ 60000 }, 4);
	memdev_init(&m, copy, size);
	CHECK_ERR(mfs_mount(&m.dev, NULL, &fs), 0);
	CHECK_ERR(mfs_open(fs, &fst_root, MFS_ROOT_INO, "a/b/big", O_RDONLY,
			   0, &ino), 0);
	CHECK_ERR(mfs_read(fs, ino, buf, 10, 0), -EUCLEAN);
	CHECK_ERR(mfs_read(fs, ino, buf, 10, 8 * 1024), -EUCLEAN);
	mfs_put(fs, ino);
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "abs", 0, &st),
		  -EUCLEAN);
	CHECK_ERR(mfs_stat(fs, &fst_root, MFS_ROOT_INO, "a", 0, &st), 0);
	mfs_unmount(fs);
	free(copy);
}

void test_corrupt(void)
{
	const char *img = fst_mkimage("corrupt", 2048, 256);
	unsigned char *seed, *copy;
	unsigned int iter, i, meta_end;
	size_t size;
	int mounted = 0;

	populate(img);
	seed = load(img, &size);
	targeted(seed, size);
	meta_end = (seed[1024 + 10] | seed[1024 + 11] << 8) + 40;
	copy = malloc(size);
	srandom(12345);
	for (iter = 0; iter < 400; iter++) {
		struct memdev m;
		struct mfs *fs;
		int nflips = 1 + random() % 16;

		memcpy(copy, seed, size);
		for (i = 0; i < (unsigned int)nflips; i++) {
			/* mostly metadata and the first data blocks */
			size_t off = (iter % 4 == 0) ?
				random() % size :
				1024 + (size_t)random() % ((meta_end - 1) * 1024);

			copy[off] ^= 1 << (random() % 8);
			if (random() % 4 == 0)
				copy[off] = random();
		}
		memdev_init(&m, copy, size);
		if (mfs_mount(&m.dev, NULL, &fs))
			continue;
		mounted++;
		workload(fs);
		T(mfs_unmount(fs));
	}
	CHECK(mounted > 100, "%d of 400 damaged images mounted", mounted);
	CHECK(insane == 0, "%d results neither a count nor an errno", insane);
	free(copy);
	free(seed);
}

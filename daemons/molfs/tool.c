// SPDX-License-Identifier: GPL-2.0
/*
 * molfs-tool - look into and change a MINIX v3 image with libmolfs:
 *   molfs-tool IMG ls [PATH] | cat PATH... | put HOSTFILE PATH | get PATH FILE
 *              | mkdir PATH | rm PATH | stat PATH | tree [PATH]
 *              | symlink TARGET PATH | df
 * Runs as root (uid 0) inside the image.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mfs.h"

static const struct mfs_cred root_cred = { 0, 0 };

static int fail(const char *what, int err)
{
	fprintf(stderr, "molfs-tool: %s: %s\n", what, strerror(-err));
	return 1;
}

static char type_char(uint16_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return 'd';
	case S_IFLNK: return 'l';
	case S_IFCHR: return 'c';
	case S_IFBLK: return 'b';
	case S_IFIFO: return 'p';
	case S_IFSOCK: return 's';
	}
	return '-';
}

static void print_entry(struct mfs *fs, uint32_t dir, const char *name)
{
	struct mfs_stat st;
	char target[1024];
	ssize_t n;

	if (mfs_stat(fs, &root_cred, dir, name, MFS_L_NOFOLLOW, &st)) {
		printf("?????????? %s\n", name);
		return;
	}
	printf("%c%04o %3u %5u %5u %10llu %s", type_char(st.mode),
	       st.mode & 07777, st.nlink, st.uid, st.gid,
	       (unsigned long long)st.size, name);
	if (S_ISLNK(st.mode)) {
		n = mfs_readlink(fs, &root_cred, dir, name, target,
				 sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			printf(" -> %s", target);
		}
	}
	printf("\n");
}

static int cmd_ls(struct mfs *fs, const char *path)
{
	struct mfs_dirent ents[32];
	uint64_t pos = 0;
	uint32_t dir;
	int n, i, err;

	err = mfs_lookup(fs, &root_cred, MFS_ROOT_INO, path, 0, &dir);
	if (err)
		return fail(path, err);
	while ((n = mfs_getdents(fs, dir, &pos, ents, 32)) > 0) {
		for (i = 0; i < n; i++)
			print_entry(fs, dir, ents[i].name);
	}
	return n < 0 ? fail(path, n) : 0;
}

static int tree(struct mfs *fs, uint32_t dir, int depth)
{
	struct mfs_dirent ents[32];
	uint64_t pos = 0;
	int n, i, ret = 0;

	if (depth > 64)
		return 0;
	while ((n = mfs_getdents(fs, dir, &pos, ents, 32)) > 0) {
		for (i = 0; i < n; i++) {
			if (!strcmp(ents[i].name, ".") ||
			    !strcmp(ents[i].name, ".."))
				continue;
			printf("%*s%s%s\n", depth * 2, "", ents[i].name,
			       ents[i].type == 4 ? "/" : "");
			if (ents[i].type == 4)
				ret |= tree(fs, ents[i].ino, depth + 1);
		}
	}
	return n < 0 ? 1 : ret;
}

static int cmd_cat(struct mfs *fs, const char *path, FILE *out)
{
	char buf[65536];
	uint64_t off = 0;
	uint32_t ino;
	ssize_t n;
	int err;

	err = mfs_open(fs, &root_cred, MFS_ROOT_INO, path, O_RDONLY, 0, &ino);
	if (err)
		return fail(path, err);
	while ((n = mfs_read(fs, ino, buf, sizeof(buf), off)) > 0) {
		fwrite(buf, 1, n, out);
		off += n;
	}
	mfs_put(fs, ino);
	return n < 0 ? fail(path, n) : 0;
}

static int cmd_put(struct mfs *fs, const char *host, const char *path)
{
	char buf[65536];
	uint64_t off = 0;
	uint32_t ino;
	ssize_t n, w;
	FILE *in;
	int err;

	in = fopen(host, "rb");
	if (!in)
		return fail(host, -errno);
	err = mfs_open(fs, &root_cred, MFS_ROOT_INO, path,
		       O_WRONLY | O_CREAT | O_TRUNC, 0644, &ino);
	if (err) {
		fclose(in);
		return fail(path, err);
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
		w = mfs_write(fs, &root_cred, ino, buf, n, off);
		if (w != n) {
			err = w < 0 ? (int)w : -ENOSPC;
			break;
		}
		off += n;
	}
	mfs_put(fs, ino);
	fclose(in);
	return err ? fail(path, err) : 0;
}

static int cmd_stat(struct mfs *fs, const char *path)
{
	struct mfs_stat st;
	int err;

	err = mfs_stat(fs, &root_cred, MFS_ROOT_INO, path, MFS_L_NOFOLLOW,
		       &st);
	if (err)
		return fail(path, err);
	printf("ino %u mode %c%04o nlink %u uid %u gid %u size %llu "
	       "blocks %llu rdev %u:%u atime %u mtime %u ctime %u\n",
	       st.ino, type_char(st.mode), st.mode & 07777, st.nlink, st.uid,
	       st.gid, (unsigned long long)st.size,
	       (unsigned long long)st.blocks, st.rdev >> 8, st.rdev & 0xff,
	       st.atime, st.mtime, st.ctime);
	return 0;
}

static int cmd_rm(struct mfs *fs, const char *path)
{
	int err = mfs_unlink(fs, &root_cred, MFS_ROOT_INO, path);

	if (err == -EISDIR)
		err = mfs_rmdir(fs, &root_cred, MFS_ROOT_INO, path);
	return err ? fail(path, err) : 0;
}

static int cmd_df(struct mfs *fs)
{
	struct mfs_statvfs sv;
	int err = mfs_statvfs(fs, &sv);

	if (err)
		return fail("statvfs", err);
	printf("bsize %u blocks %llu free %llu inodes %llu free %llu\n",
	       sv.bsize, (unsigned long long)sv.blocks,
	       (unsigned long long)sv.bfree, (unsigned long long)sv.files,
	       (unsigned long long)sv.ffree);
	return 0;
}

static int run(struct mfs *fs, int argc, char **argv)
{
	const char *cmd = argv[0], *a1 = argc > 1 ? argv[1] : NULL;
	const char *a2 = argc > 2 ? argv[2] : NULL;
	FILE *out;
	int ret;

	if (!strcmp(cmd, "ls"))
		return cmd_ls(fs, a1 ? a1 : "/");
	if (!strcmp(cmd, "tree")) {
		uint32_t ino;
		int err = mfs_lookup(fs, &root_cred, MFS_ROOT_INO,
				     a1 ? a1 : "/", 0, &ino);

		return err ? fail(a1 ? a1 : "/", err) : tree(fs, ino, 0);
	}
	if (!strcmp(cmd, "df"))
		return cmd_df(fs);
	if (!a1)
		return -1;
	if (!strcmp(cmd, "cat")) {	/* as cat(1): all, 1 if one failed */
		int i;

		for (ret = 0, i = 1; i < argc; i++)
			if (cmd_cat(fs, argv[i], stdout))
				ret = 1;
		return ret;
	}
	if (!strcmp(cmd, "stat"))
		return cmd_stat(fs, a1);
	if (!strcmp(cmd, "rm"))
		return cmd_rm(fs, a1);
	if (!strcmp(cmd, "mkdir")) {
		ret = mfs_mkdir(fs, &root_cred, MFS_ROOT_INO, a1, 0755);
		return ret ? fail(a1, ret) : 0;
	}
	if (!a2)
		return -1;
	if (!strcmp(cmd, "put"))
		return cmd_put(fs, a1, a2);
	if (!strcmp(cmd, "symlink")) {
		ret = mfs_symlink(fs, &root_cred, a1, MFS_ROOT_INO, a2);
		return ret ? fail(a2, ret) : 0;
	}
	if (!strcmp(cmd, "get")) {
		out = fopen(a2, "wb");
		if (!out)
			return fail(a2, -errno);
		ret = cmd_cat(fs, a1, out);
		fclose(out);
		return ret;
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct mfs_blockdev *dev;
	struct mfs *fs;
	int ro, err, ret;

	if (argc < 3) {
		fprintf(stderr, "usage: molfs-tool IMG ls|cat|put|get|mkdir|rm|"
			"stat|tree|symlink|df ARGS\n");
		return 2;
	}
	ro = !strcmp(argv[2], "ls") || !strcmp(argv[2], "cat") ||
	     !strcmp(argv[2], "stat") || !strcmp(argv[2], "tree") ||
	     !strcmp(argv[2], "get") || !strcmp(argv[2], "df");
	err = mfs_filedev_open(argv[1], ro, &dev);
	if (err)
		return fail(argv[1], err);
	err = mfs_mount(dev, &(struct mfs_mount_opts){
				.flags = ro ? MFS_RDONLY : 0 }, &fs);
	if (err) {
		dev->close(dev);
		return fail(argv[1], err);
	}
	ret = run(fs, argc - 2, argv + 2);
	if (ret < 0) {
		fprintf(stderr, "molfs-tool: bad command or arguments\n");
		ret = 2;
	}
	err = mfs_unmount(fs);
	if (err && !ret)
		ret = fail("sync", err);
	return ret;
}

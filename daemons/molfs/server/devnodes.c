// SPDX-License-Identifier: GPL-2.0
/*
 * devnodes.c - the device entries every instance has: at start, a
 * writable root image gets the missing /dev entries (mknod, owned by
 * root) of the memory driver molmem (/dev/null: MEMORY_MAJOR minor 3,
 * /dev/zero: minor 5; /dev/random, /dev/urandom: RANDOM_MAJOR 16) and
 * of the terminal driver moltty (/dev/console: TTY_MAJOR 4, /dev/tty:
 * CTTY_MAJOR 5).  cdev.c forwards their calls to the drivers.  See
 * Documentation/filesystem.md, "The /dev view".
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

#define DEV(maj, min)	(((maj) << 8) | (min))

static const struct {
	const char *name;
	uint32_t dev;
} mem_nodes[] = {
	{ "null", DEV(MOL_MEM_MAJOR, MOL_NULL_MINOR) },
	{ "zero", DEV(MOL_MEM_MAJOR, MOL_ZERO_MINOR) },
	{ "random", DEV(MOL_RANDOM_MAJOR, MOL_RANDOM_MINOR) },
	{ "urandom", DEV(MOL_RANDOM_MAJOR, MOL_RANDOM_MINOR) },
	{ "tty", DEV(MOL_CTTY_MAJOR, 0) },
	{ "console", DEV(MOL_TTY_MAJOR, MOL_CONSOLE_MINOR) },
};

/* Give a writable root image the /dev entries it lacks. */
void mem_make_dev(struct vmnt *m)
{
	static const struct mfs_cred root_cr;
	struct mfs_stat st;
	unsigned int i;
	int err;

	if (m->rdonly) {
		if (mfs_stat(m->fs, &root_cr, MFS_ROOT_INO, "/dev/null", 0,
			     &st))
			fs_log("read-only root without /dev/null: no "
			       "memory devices");
		return;
	}
	err = mfs_mkdir(m->fs, &root_cr, MFS_ROOT_INO, "dev", 0755);
	if (err && err != -EEXIST) {
		fs_log("mkdir /dev: %s", strerror(-err));
		return;
	}
	for (i = 0; i < sizeof(mem_nodes) / sizeof(mem_nodes[0]); i++) {
		char path[16];

		strcpy(path, "/dev/");
		strcat(path, mem_nodes[i].name);
		err = mfs_mknod(m->fs, &root_cr, MFS_ROOT_INO, path,
				S_IFCHR | 0666, mem_nodes[i].dev);
		if (err && err != -EEXIST)
			fs_log("mknod %s: %s", path, strerror(-err));
	}
	mfs_sync(m->fs);
}

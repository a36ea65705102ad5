// SPDX-License-Identifier: GPL-2.0
/*
 * molmem.c - MINIX's memory driver, served by FS itself: the character
 * devices /dev/null (MEM major, minor 3: end of file, writes discarded),
 * /dev/zero (minor 5: zeros), /dev/random and /dev/urandom (RANDOM
 * major 16: getrandom(2)).  /dev/console (TTY major 4) and /dev/tty
 * (CTTY major 5) are the terminal driver's (cdev.c forwards them to
 * moltty); other devices give ENXIO.
 *
 * At start, a writable root image gets the missing /dev entries (mknod,
 * owned by root); see Documentation/filesystem.md, "The /dev view".
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "fs.h"

#define MEM_CHUNK	4096
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

int mem_open(struct filp *f, uint32_t rdev)
{
	f->major = (rdev >> 8) & 0xff;
	f->minor = rdev & 0xff;
	if (f->major == MOL_MEM_MAJOR &&
	    (f->minor == MOL_NULL_MINOR || f->minor == MOL_ZERO_MINOR))
		return 0;
	if (f->major == MOL_RANDOM_MAJOR && f->minor == MOL_RANDOM_MINOR)
		return 0;
	return -ENXIO;
}

ssize_t mem_read(struct filp *f, int who, int grant, size_t len)
{
	unsigned char buf[MEM_CHUNK];
	size_t done = 0, n;
	ssize_t r;

	if (f->major == MOL_MEM_MAJOR && f->minor == MOL_NULL_MINOR)
		return 0;
	if (f->major == MOL_MEM_MAJOR)
		memset(buf, 0, sizeof(buf));
	else if (len > 1 << 25)
		len = 1 << 25;		/* as Linux's urandom per call */
	while (done < len) {
		n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		if (f->major == MOL_RANDOM_MAJOR) {
			r = getrandom(buf, n, 0);
			if (r <= 0)
				break;
			n = r;
		}
		if (mol_safecopy_to(&fs_mol, who, grant, done, buf, n) < 0)
			return done ? (ssize_t)done : -EFAULT;
		done += n;
	}
	return done;
}

ssize_t mem_write(struct filp *f, int who, int grant, size_t len)
{
	/* null and zero discard; random takes nothing from us either */
	return len;
}

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

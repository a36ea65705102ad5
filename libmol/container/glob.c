// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * glob.c - glob(3) over the MINIX tree.
 *
 * glibc's glob reads directories with its internal __opendir and
 * __readdir64 and stats with __lstat64, which no preload reaches.  Its
 * GLOB_ALTDIRFUNC hook takes the directory and stat functions from the
 * glob_t: glob runs glibc's own matching with the container's opendir,
 * readdir, closedir, stat and lstat there.  A caller that set
 * GLOB_ALTDIRFUNC itself keeps its functions.
 */
#include <dirent.h>
#include <glob.h>
#include <sys/stat.h>

#include "file.h"

#define HOST_CALL()	(!ctr_fs_on || ctr_inlib)

static void *glob_opendir(const char *path)
{
	return opendir(path);
}

static void *glob_readdir(void *dir)
{
	return readdir(dir);
}

static void glob_closedir(void *dir)
{
	closedir(dir);
}

static int glob_stat(const char *restrict path, struct stat *restrict st)
{
	return stat(path, st);
}

static int glob_lstat(const char *restrict path, struct stat *restrict st)
{
	return lstat(path, st);
}

typedef int (*glob_errfn)(const char *, int);

int glob(const char *pattern, int flags, glob_errfn errfn, glob_t *g)
{
	int (*real)(const char *, int, glob_errfn, glob_t *) =
		REAL(int (*)(const char *, int, glob_errfn, glob_t *), glob);

	if (HOST_CALL() || (flags & GLOB_ALTDIRFUNC) || ctr_isnull(g))
		return real(pattern, flags, errfn, g);
	g->gl_opendir = glob_opendir;
	g->gl_readdir = (struct dirent *(*)(void *))glob_readdir;
	g->gl_closedir = glob_closedir;
	g->gl_stat = glob_stat;
	g->gl_lstat = glob_lstat;
	return real(pattern, flags | GLOB_ALTDIRFUNC, errfn, g);
}

/* x86-64 and the other 64-bit ABIs: glob64_t is glob_t */
int glob64(const char *pattern, int flags, glob_errfn errfn, glob64_t *g)
{
	_Static_assert(sizeof(glob64_t) == sizeof(glob_t), "glob64_t");
	return glob(pattern, flags, errfn, (glob_t *)g);
}

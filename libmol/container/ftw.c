// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ftw.c - ftw and nftw (+64) over the MINIX tree.
 *
 * glibc's walk opens, reads and stats with internal entry points
 * (__opendir, __readdir64, __lstat64, __chdir) that no preload reaches;
 * this one does what glibc's io/ftw.c does with the interposed calls:
 * pre-order (post-order with FTW_DEPTH, FTW_DP), readdir order, "." and
 * ".." skipped; stat (lstat with FTW_PHYS: FTW_SL), a dangling link
 * FTW_SLN, a failed stat FTW_NS (EACCES/ENOENT; other errors end the
 * walk with -1), an unreadable directory FTW_DNR; without FTW_PHYS a
 * directory already walked is not walked again; FTW_MOUNT stays on the
 * start's file system; FTW_CHDIR runs the callback in the directory
 * holding the object (FTW_DP: in the directory itself, as glibc); ftw
 * reports FTW_SL as FTW_F, FTW_SLN as FTW_NS; FTW_ACTIONRETVAL's
 * FTW_SKIP_SUBTREE, FTW_SKIP_SIBLINGS and FTW_STOP.  A directory is
 * read whole and closed before its entries are walked, so one
 * descriptor is open at a time whatever @nopenfd allows.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

#define HOST_CALL()	(!ctr_fs_on || ctr_inlib)

typedef int (*nftw_fn)(const char *, const struct stat *, int,
		       struct FTW *);
typedef int (*ftw_fn)(const char *, const struct stat *, int);

struct walk {
	nftw_fn nfn;
	ftw_fn fn;			/* ftw: called without struct FTW */
	int flags;
	dev_t dev;			/* FTW_MOUNT: the start's */
	char path[PATH_MAX];		/* what the callback sees */
	char cwd[PATH_MAX];		/* FTW_CHDIR: the caller's cwd */
	struct dev_ino {
		dev_t dev;
		ino_t ino;
	} *seen;			/* directories walked (not FTW_PHYS) */
	size_t nseen, aseen;
};

static int call(struct walk *w, const struct stat *st, int type,
		struct FTW *ftw)
{
	/* ftw has no FTW_SL, FTW_DP, FTW_SLN: glibc's ftw_arr[] */
	if (w->fn)
		return w->fn(w->path, st, type == FTW_SL ? FTW_F :
				 type == FTW_DP ? FTW_D :
				 type == FTW_SLN ? FTW_NS : type);
	return w->nfn(w->path, st, type, ftw);
}

/* Has the walk been in directory @st?  Remember it if not. */
static int seen_before(struct walk *w, const struct stat *st)
{
	struct dev_ino *n;
	size_t i;

	for (i = 0; i < w->nseen; i++)
		if (w->seen[i].dev == st->st_dev &&
		    w->seen[i].ino == st->st_ino)
			return 1;
	if (w->nseen == w->aseen) {
		w->aseen = w->aseen ? 2 * w->aseen : 16;
		n = realloc(w->seen, w->aseen * sizeof(*n));
		if (!n)
			return -1;
		w->seen = n;
	}
	w->seen[w->nseen].dev = st->st_dev;
	w->seen[w->nseen].ino = st->st_ino;
	w->nseen++;
	return 0;
}

/*
 * w->path, whose last component starts at @base, for a call: with
 * FTW_CHDIR the cwd is the directory holding it, so its name.
 */
static const char *here(struct walk *w, size_t base)
{
	if (!(w->flags & FTW_CHDIR))
		return w->path;
	return w->path[base] ? w->path + base : ".";
}

/* The names in directory w->path ("\0"-separated), or NULL. */
static char *read_names(struct walk *w, size_t base, size_t *size)
{
	size_t len = 0, cap = 256, n;
	struct dirent *e;
	char *names, *m;
	DIR *d;

	d = opendir(here(w, base));
	if (!d)
		return NULL;
	names = malloc(cap);
	while (names && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n = strlen(e->d_name) + 1;
		if (len + n > cap) {
			cap = 2 * (len + n);
			m = realloc(names, cap);
			if (!m) {
				free(names);
				names = NULL;
				break;
			}
			names = m;
		}
		memcpy(names + len, e->d_name, n);
		len += n;
	}
	closedir(d);
	if (!names)
		errno = ENOMEM;
	*size = len;
	return names;
}

/* Change to the first @len bytes of w->path (relative: to w->cwd). */
static int chdir_prefix(struct walk *w, size_t len)
{
	char buf[2 * PATH_MAX + 2];

	if (w->path[0] == '/')
		snprintf(buf, sizeof(buf), "%.*s", (int)len, w->path);
	else
		snprintf(buf, sizeof(buf), "%s/%.*s", w->cwd, (int)len,
			 w->path);
	return chdir(buf);
}

/* The length of the directory holding the entry at @base. */
static size_t holder(size_t base)
{
	return base > 1 ? base - 1 : base;
}

/* FTW_ACTIONRETVAL: what a callback result means for the caller. */
static int skipped(struct walk *w, int ret, int skip)
{
	return (w->flags & FTW_ACTIONRETVAL) && ret == skip ? 0 : ret;
}

static int walk_entry(struct walk *w, size_t base, int level);

/* Directory w->path (stat @st): FTW_D, its entries, FTW_DP. */
static int walk_dir(struct walk *w, const struct stat *st, size_t base,
		    int level)
{
	struct FTW ftw = { (int)base, level };
	size_t len = strlen(w->path), size, off, n;
	char *names;
	int ret = 0;

	names = read_names(w, base, &size);
	if (!names)
		return errno == EACCES ? call(w, st, FTW_DNR, &ftw) : -1;
	if (!(w->flags & FTW_DEPTH)) {
		ret = call(w, st, FTW_D, &ftw);
		if (ret) {
			free(names);
			return skipped(w, ret, FTW_SKIP_SUBTREE);
		}
	}
	if ((w->flags & FTW_CHDIR) && chdir_prefix(w, len) < 0) {
		free(names);
		return -1;
	}
	for (off = 0; off < size && !ret; off += n + 1) {
		n = strlen(names + off);
		if (len + 2 + n > sizeof(w->path)) {
			errno = ENAMETOOLONG;
			ret = -1;
			break;
		}
		if (w->path[len - 1] != '/') {
			w->path[len] = '/';
			memcpy(w->path + len + 1, names + off, n + 1);
			ret = walk_entry(w, len + 1, level + 1);
		} else {
			memcpy(w->path + len, names + off, n + 1);
			ret = walk_entry(w, len, level + 1);
		}
		w->path[len] = '\0';
	}
	free(names);
	ret = skipped(w, ret, FTW_SKIP_SIBLINGS);
	/* FTW_DP runs in the directory itself, as glibc's */
	if (!ret && (w->flags & FTW_DEPTH))
		ret = call(w, st, FTW_DP, &ftw);
	if ((w->flags & FTW_CHDIR) && !ret &&
	    chdir_prefix(w, holder(base)) < 0)
		return -1;
	return ret;
}

/* Stat and report w->path, whose last component starts at @base. */
static int walk_entry(struct walk *w, size_t base, int level)
{
	struct FTW ftw = { (int)base, level };
	struct stat st;
	int type, ret;

	if (((w->flags & FTW_PHYS) ? lstat : stat)(here(w, base), &st) < 0) {
		if (errno != EACCES && errno != ENOENT)
			return -1;
		if (!(w->flags & FTW_PHYS) && errno == ENOENT &&
		    lstat(here(w, base), &st) == 0 && S_ISLNK(st.st_mode))
			type = FTW_SLN;
		else
			type = FTW_NS;
	} else if (S_ISDIR(st.st_mode)) {
		type = FTW_D;
	} else if (S_ISLNK(st.st_mode)) {
		type = FTW_SL;
	} else {
		type = FTW_F;
	}
	if (type != FTW_NS && (w->flags & FTW_MOUNT) && st.st_dev != w->dev)
		return 0;
	if (type != FTW_D) {
		ret = call(w, &st, type, &ftw);
	} else if (!(w->flags & FTW_PHYS) && (ret = seen_before(w, &st))) {
		return ret < 0 ? -1 : 0;
	} else {
		ret = walk_dir(w, &st, base, level);
	}
	return skipped(w, ret, FTW_SKIP_SUBTREE);
}

static int walk_start(const char *dir, nftw_fn nfn, ftw_fn fn, int flags)
{
	struct walk *w;
	struct stat st;
	size_t len, base;
	int ret = -1, err;

	if (ctr_isnull(dir) || !*dir) {
		errno = ENOENT;
		return -1;
	}
	len = strlen(dir);
	if (len >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		errno = ENOMEM;
		return -1;
	}
	w->nfn = nfn;
	w->fn = fn;
	w->flags = flags;
	memcpy(w->path, dir, len + 1);
	while (len > 1 && w->path[len - 1] == '/')
		w->path[--len] = '\0';
	for (base = len; base > 0 && w->path[base - 1] != '/'; base--)
		;
	if ((flags & FTW_CHDIR) && !getcwd(w->cwd, sizeof(w->cwd)))
		goto out;
	if (((flags & FTW_PHYS) ? lstat : stat)(w->path, &st) < 0) {
		if (!(flags & FTW_PHYS) && errno == ENOENT &&
		    lstat(w->path, &st) == 0 && S_ISLNK(st.st_mode))
			ret = call(w, &st, FTW_SLN,
				   &(struct FTW){ (int)base, 0 });
		goto out;
	}
	w->dev = st.st_dev;
	if ((flags & FTW_CHDIR) && chdir_prefix(w, holder(base)) < 0)
		goto out;
	ret = skipped(w, walk_entry(w, base, 0), FTW_SKIP_SIBLINGS);
	if (flags & FTW_CHDIR) {
		err = errno;
		if (chdir(w->cwd) < 0 && !ret)
			ret = -1;
		else
			errno = err;
	}
out:
	free(w->seen);
	free(w);
	return ret;
}

int nftw(const char *dir, nftw_fn fn, int nopenfd, int flags)
{
	if (HOST_CALL())
		return REAL(int (*)(const char *, nftw_fn, int, int), nftw)
			(dir, fn, nopenfd, flags);
	if (flags & ~(FTW_PHYS | FTW_MOUNT | FTW_CHDIR | FTW_DEPTH |
		      FTW_ACTIONRETVAL)) {
		errno = EINVAL;
		return -1;
	}
	return walk_start(dir, fn, NULL, flags);
}

int nftw64(const char *dir, int (*fn)(const char *, const struct stat64 *,
				      int, struct FTW *),
	   int nopenfd, int flags)
{
	return nftw(dir, (nftw_fn)fn, nopenfd, flags);
}

int ftw(const char *dir, ftw_fn fn, int nopenfd)
{
	if (HOST_CALL())
		return REAL(int (*)(const char *, ftw_fn, int), ftw)
			(dir, fn, nopenfd);
	return walk_start(dir, NULL, fn, 0);
}

int ftw64(const char *dir, int (*fn)(const char *, const struct stat64 *,
				     int),
	  int nopenfd)
{
	return ftw(dir, (ftw_fn)fn, nopenfd);
}

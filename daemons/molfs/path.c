// SPDX-License-Identifier: GPL-2.0
/*
 * path.c - path walk: components separated by any number of '/', an
 * absolute path (or symlink target) starts at the root, "." and ".." are
 * the directory's own entries (the root's ".." is itself; crossing
 * mountpoints is the caller's business).  Symlinks in the middle of a path
 * are always followed, the last one on request or when a trailing slash
 * follows it; more than MFS_SYMLOOP_MAX of them is ELOOP.  Every
 * directory passed through needs search (x) permission.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mfs_int.h"

void mfs_nd_release(struct mfs *fs, struct mfs_nameidata *nd)
{
	mfs_iput(fs, nd->dir);
	nd->dir = NULL;
}

/* The inode named name in dir, referenced. */
static int lookup_step(struct mfs *fs, const struct mfs_cred *cr,
		       struct mfs_inode *dir, const char *name, size_t len,
		       struct mfs_inode **ipp)
{
	uint32_t ino;
	int err;

	if (!mfs_isdir(dir))
		return -ENOTDIR;
	err = mfs_permission(cr, dir, X_OK);
	if (err)
		return err;
	if (len > MFS_NAME_MAX)
		return -ENAMETOOLONG;
	err = mfs_dir_lookup(fs, dir, name, len, &ino, NULL);
	if (err)
		return err;
	if (ino == dir->ino) {		/* "." (or a corrupt self-link) */
		mfs_idup(dir);
		*ipp = dir;
		return 0;
	}
	return mfs_iget(fs, ino, ipp);
}

/* The target of symlink ip, NUL-terminated, malloc'ed. */
static int read_target(struct mfs *fs, struct mfs_inode *ip, char **tp)
{
	uint32_t len = ip->d.i_size;
	ssize_t n;
	char *t;

	if (len == 0)
		return -ENOENT;
	if (len >= fs->bsize)
		return -EUCLEAN;
	t = malloc(len + 1);
	if (!t)
		return -ENOMEM;
	n = mfs_iread(fs, ip, t, len, 0);
	if (n != (ssize_t)len) {
		free(t);
		return n < 0 ? (int)n : -EIO;
	}
	t[len] = '\0';
	if (strlen(t) != len) {		/* a NUL inside: corrupt */
		free(t);
		return -EUCLEAN;
	}
	*tp = t;
	return 0;
}

static int resolve(struct mfs *fs, const struct mfs_cred *cr,
		   struct mfs_inode *dir, const char *path, bool follow,
		   int *nlinks, struct mfs_inode **ipp);

/* nd's last component itself, never following it. */
int mfs_lookup_last(struct mfs *fs, const struct mfs_cred *cr,
		    struct mfs_nameidata *nd, struct mfs_inode **ipp)
{
	return lookup_step(fs, cr, nd->dir, nd->last, nd->lastlen, ipp);
}

/*
 * Walk path from dir (whose reference is consumed) up to its last
 * component, left in nd (nd->dir referenced on success).
 */
static int walk_parent_from(struct mfs *fs, const struct mfs_cred *cr,
			    struct mfs_inode *dir, const char *path,
			    struct mfs_nameidata *nd)
{
	struct mfs_inode *cur = dir, *child;
	const char *p = path, *end, *next;
	int err;

	if (*p == '\0') {
		err = -ENOENT;
		goto fail;
	}
	if (strlen(path) >= PATH_MAX) {
		err = -ENAMETOOLONG;
		goto fail;
	}
	if (*p == '/') {
		mfs_iput(fs, cur);
		err = mfs_iget(fs, MFS_ROOT_INO, &cur);
		if (err)
			return err;
		while (*p == '/')
			p++;
		if (*p == '\0') {	/* "/" itself */
			strcpy(nd->last, ".");
			nd->lastlen = 1;
			nd->dot = true;
			nd->root = true;
			nd->trailing_slash = false;
			nd->dir = cur;
			return 0;
		}
	}
	for (;;) {
		end = strchrnul(p, '/');
		next = end;
		while (*next == '/')
			next++;
		if (*next == '\0')
			break;
		err = lookup_step(fs, cr, cur, p, end - p, &child);
		if (err)
			goto fail;
		if (S_ISLNK(child->d.i_mode)) {
			char *target;

			err = -ELOOP;
			if (++nd->nlinks > MFS_SYMLOOP_MAX)
				goto fail_child;
			err = read_target(fs, child, &target);
			if (err)
				goto fail_child;
			mfs_iput(fs, child);
			err = resolve(fs, cr, cur, target, true, &nd->nlinks,
				      &child);
			free(target);
			if (err)
				goto fail;
		}
		if (!mfs_isdir(child)) {
			err = -ENOTDIR;
			goto fail_child;
		}
		mfs_iput(fs, cur);
		cur = child;
		p = next;
	}
	if (end - p > MFS_NAME_MAX) {
		err = -ENAMETOOLONG;
		goto fail;
	}
	memcpy(nd->last, p, end - p);
	nd->last[end - p] = '\0';
	nd->lastlen = end - p;
	nd->trailing_slash = *end == '/';
	nd->dot = !strcmp(nd->last, ".") || !strcmp(nd->last, "..");
	nd->dir = cur;
	return 0;

fail_child:
	mfs_iput(fs, child);
fail:
	mfs_iput(fs, cur);
	return err;
}

int mfs_walk_parent(struct mfs *fs, const struct mfs_cred *cr,
		    uint32_t start, const char *path,
		    struct mfs_nameidata *nd)
{
	struct mfs_inode *dir;
	int err;

	memset(nd, 0, sizeof(*nd));
	err = mfs_iget(fs, start, &dir);
	if (err)
		return err;
	if (!mfs_isdir(dir) && path[0] != '/') {
		mfs_iput(fs, dir);
		return -ENOTDIR;
	}
	return walk_parent_from(fs, cr, dir, path, nd);
}

/*
 * Look up nd's last component.  If it is a symlink to follow, continue
 * with its target: nd then describes the target's parent and last
 * component (so O_CREAT through a dangling symlink creates the target).
 */
int mfs_follow_last(struct mfs *fs, const struct mfs_cred *cr,
		    struct mfs_nameidata *nd, bool follow,
		    struct mfs_inode **ipp)
{
	struct mfs_nameidata nd2;
	struct mfs_inode *ip;
	char *target;
	int err;

	for (;;) {
		err = lookup_step(fs, cr, nd->dir, nd->last, nd->lastlen, &ip);
		if (err)
			return err;
		if (!S_ISLNK(ip->d.i_mode) || !(follow || nd->trailing_slash))
			break;
		err = -ELOOP;
		if (++nd->nlinks > MFS_SYMLOOP_MAX)
			goto fail;
		err = read_target(fs, ip, &target);
		if (err)
			goto fail;
		mfs_iput(fs, ip);
		memset(&nd2, 0, sizeof(nd2));
		nd2.nlinks = nd->nlinks;
		mfs_idup(nd->dir);
		err = walk_parent_from(fs, cr, nd->dir, target, &nd2);
		free(target);
		if (err)
			return err;
		nd2.trailing_slash |= nd->trailing_slash;
		mfs_nd_release(fs, nd);
		*nd = nd2;
	}
	if (nd->trailing_slash && !mfs_isdir(ip)) {
		err = -ENOTDIR;
		goto fail;
	}
	*ipp = ip;
	return 0;

fail:
	mfs_iput(fs, ip);
	return err;
}

static int resolve(struct mfs *fs, const struct mfs_cred *cr,
		   struct mfs_inode *dir, const char *path, bool follow,
		   int *nlinks, struct mfs_inode **ipp)
{
	struct mfs_nameidata nd;
	int err;

	memset(&nd, 0, sizeof(nd));
	nd.nlinks = *nlinks;
	mfs_idup(dir);
	err = walk_parent_from(fs, cr, dir, path, &nd);
	if (err)
		return err;
	err = mfs_follow_last(fs, cr, &nd, follow, ipp);
	*nlinks = nd.nlinks;
	mfs_nd_release(fs, &nd);
	return err;
}

int mfs_walk(struct mfs *fs, const struct mfs_cred *cr, uint32_t start,
	     const char *path, int flags, struct mfs_inode **ipp)
{
	struct mfs_nameidata nd;
	int err;

	err = mfs_walk_parent(fs, cr, start, path, &nd);
	if (err)
		return err;
	err = mfs_follow_last(fs, cr, &nd, !(flags & MFS_W_NOFOLLOW), ipp);
	mfs_nd_release(fs, &nd);
	return err;
}

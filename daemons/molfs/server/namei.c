// SPDX-License-Identifier: GPL-2.0
/*
 * namei.c - path lookup across mounted file systems (MINIX's VFS lookup):
 * the path is walked here one component at a time; each component is
 * looked up by the core of the file system it is in (which checks search
 * permission); symbolic links are expanded here, so that a link may lead
 * into another file system; a mounted-on directory is replaced by the
 * root of what is mounted there, and ".." at the root of a mounted file
 * system goes to the mounted-on directory's parent.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

#define WALK_BUF	(2 * MOL_FS_PATH_MAX)

void vn_get(struct vnode vn)
{
	if (vn.m)
		mfs_get(vn.m->fs, vn.ino);
}

void vn_put(struct vnode vn)
{
	if (vn.m)
		mfs_put(vn.m->fs, vn.ino);
}

int vn_stat(struct vnode vn, struct mfs_stat *st)
{
	return mfs_fstat(vn.m->fs, vn.ino, st);
}

bool vn_is_mountpoint(struct vnode vn)
{
	return mount_at(vn) != NULL;
}

/* Fetch a path from the caller's grant: NUL-terminated in @buf. */
int copy_path(int who, int grant, uint32_t len, char *buf)
{
	if (len == 0)
		return -ENOENT;
	if (len >= MOL_FS_PATH_MAX)
		return -ENAMETOOLONG;
	if (mol_safecopy_from(&fs_mol, who, grant, 0, buf, len) < 0)
		return -EFAULT;
	buf[len] = '\0';
	if (buf[0] == '\0')
		return -ENOENT;
	return 0;
}

/* The directory a relative path starts from: the cwd or @dirfd. */
int start_dir(struct fproc *fp, int dirfd, struct vnode *vn)
{
	struct filp *f;

	if (dirfd == MOL_AT_FDCWD) {
		*vn = fp->cwd;
		return 0;
	}
	f = fd_get(fp, dirfd);
	if (!f)
		return -EBADF;
	if (f->kind != FILP_INODE || !f->isdir)
		return -ENOTDIR;
	*vn = f->vn;
	return 0;
}

static bool is_root(struct vnode vn)
{
	return vn.m == root_mnt && vn.ino == MFS_ROOT_INO;
}

/* One component @name (no '/') from directory @dir. */
int vn_lookup(struct fproc *fp, struct vnode dir, const char *name,
	      struct vnode *out)
{
	struct vmnt *sub;
	uint32_t ino;
	int err;

	if (!strcmp(name, "..")) {
		if (is_root(dir))
			name = ".";
		else if (dir.ino == MFS_ROOT_INO && dir.m->parent) {
			err = mfs_lookup(dir.m->fs, &fp->cr, dir.ino, ".",
					 MFS_L_NOFOLLOW, &ino);
			if (err)
				return err;
			dir.ino = dir.m->covered;
			dir.m = dir.m->parent;
		}
	}
	err = mfs_lookup(dir.m->fs, &fp->cr, dir.ino, name, MFS_L_NOFOLLOW,
			 &ino);
	if (err)
		return err;
	out->m = dir.m;
	out->ino = ino;
	sub = mount_at(*out);
	if (sub) {
		out->m = sub;
		out->ino = MFS_ROOT_INO;
	}
	return 0;
}

static int is_symlink(struct vnode vn, bool *link)
{
	struct mfs_stat st;
	int err = vn_stat(vn, &st);

	if (err)
		return err;
	*link = S_ISLNK(st.mode);
	return 0;
}

/*
 * Walk @path from @start to the parent of its last component.  With
 * @follow (or a trailing '/'), a last component that is a symbolic link
 * is expanded too.  nd->last keeps a trailing '/' for the core.
 */
int walk_parent(struct fproc *fp, struct vnode start, const char *path,
		bool follow, struct nameidata *nd)
{
	char buf[WALK_BUF], link[MOL_FS_PATH_MAX], comp[MFS_NAME_MAX + 1];
	struct vnode cur = start, next;
	int links = 0, err;
	size_t len, rlen;
	char *p, *q, *r;
	bool last, trailing, islink;
	ssize_t n;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	strcpy(buf, path);
	p = buf;
	for (;;) {
		if (*p == '/') {
			cur.m = root_mnt;
			cur.ino = MFS_ROOT_INO;
			while (*p == '/')
				p++;
		}
		if (!*p) {
			/* "/" or a link to "/": the directory itself */
			nd->dir = cur;
			strcpy(nd->last, ".");
			nd->trailing = true;
			nd->dot = true;
			return 0;
		}
		q = p;
		while (*q && *q != '/')
			q++;
		len = q - p;
		if (len > MFS_NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(comp, p, len);
		comp[len] = '\0';
		r = q;
		while (*r == '/')
			r++;
		last = *r == '\0';
		trailing = last && *q == '/';
		if (last) {
			nd->dir = cur;
			strcpy(nd->last, comp);
			if (trailing)
				strcat(nd->last, "/");
			nd->trailing = trailing;
			nd->dot = !strcmp(comp, ".") || !strcmp(comp, "..");
			if ((!follow && !trailing) || nd->dot)
				return 0;
			err = mfs_lookup(cur.m->fs, &fp->cr, cur.ino, comp,
					 MFS_L_NOFOLLOW, &next.ino);
			if (err == -ENOENT)
				return 0;
			if (err)
				return err;
			next.m = cur.m;
			err = is_symlink(next, &islink);
			if (err || !islink)
				return err;
		} else {
			err = vn_lookup(fp, cur, comp, &next);
			if (err)
				return err;
			err = is_symlink(next, &islink);
			if (err)
				return err;
			if (!islink) {
				cur = next;
				p = r;
				continue;
			}
		}
		/* expand the link: its text, then what followed it */
		if (++links > MFS_SYMLOOP_MAX)
			return -ELOOP;
		n = mfs_readlink(cur.m->fs, &fp->cr, cur.ino, comp, link,
				 sizeof(link) - 1);
		if (n < 0)
			return (int)n;
		if (n == 0)
			return -ENOENT;
		link[n] = '\0';
		rlen = strlen(r);
		if ((size_t)n + 1 + rlen + 1 > sizeof(buf))
			return -ENAMETOOLONG;
		memmove(buf + n + 1, r, rlen + 1);
		memcpy(buf, link, n);
		buf[n] = '/';
		if (!rlen && !trailing)
			buf[n] = '\0';
		p = buf;
	}
}

/* Walk the whole path to a vnode (a final link followed if @follow). */
int resolve_path(struct fproc *fp, struct vnode start, const char *path,
		 bool follow, struct vnode *out)
{
	char name[MFS_NAME_MAX + 2];
	struct nameidata nd;
	struct mfs_stat st;
	size_t len;
	int err;

	err = walk_parent(fp, start, path, follow, &nd);
	if (err)
		return err;
	strcpy(name, nd.last);
	len = strlen(name);
	if (nd.trailing && len > 1 && name[len - 1] == '/')
		name[len - 1] = '\0';
	err = vn_lookup(fp, nd.dir, name, out);
	if (err)
		return err;
	if (nd.trailing) {
		err = vn_stat(*out, &st);
		if (err)
			return err;
		if (!S_ISDIR(st.mode))
			return -ENOTDIR;
	}
	return 0;
}

/*
 * The file named by (@dirfd, path in @grant).  MOL_AT_EMPTY_PATH with an
 * empty path is @dirfd itself.
 */
int resolve(struct fproc *fp, int dirfd, int grant, uint32_t len,
	    int at_flags, bool follow, struct vnode *out)
{
	char path[MOL_FS_PATH_MAX];
	struct vnode start;
	struct filp *f;
	int err;

	if (len == 0 && (at_flags & MOL_AT_EMPTY_PATH)) {
		if (dirfd == MOL_AT_FDCWD) {
			*out = fp->cwd;
			return 0;
		}
		f = fd_get(fp, dirfd);
		if (!f)
			return -EBADF;
		if (f->kind == FILP_PIPE)
			return -ENOTSUP;
		*out = f->vn;
		return 0;
	}
	err = copy_path(fp->endpoint, grant, len, path);
	if (err)
		return err;
	start = fp->cwd;
	if (path[0] != '/') {
		err = start_dir(fp, dirfd, &start);
		if (err)
			return err;
	}
	return resolve_path(fp, start, path, follow, out);
}

/* The parent directory and last name of a path, for the namespace calls. */
int parent_of(struct fproc *fp, int dirfd, int grant, uint32_t len,
	      bool follow, struct nameidata *nd)
{
	char path[MOL_FS_PATH_MAX];
	struct vnode start;
	int err;

	err = copy_path(fp->endpoint, grant, len, path);
	if (err)
		return err;
	start = fp->cwd;
	if (path[0] != '/') {
		err = start_dir(fp, dirfd, &start);
		if (err)
			return err;
	}
	return walk_parent(fp, start, path, follow, nd);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * namei.c - path lookup across mounted file systems (MINIX's VFS lookup):
 * the path is walked here one component at a time; each component is
 * looked up by the core of the file system it is in (which checks search
 * permission); symbolic links are expanded here, so that a link may lead
 * into another file system; a mounted-on directory is replaced by the
 * root of what is mounted there, and ".." at the root of a mounted file
 * system goes to the mounted-on directory's parent.  The file systems
 * are reached through their mount's vnode_ops: the MINIX core here, or
 * another file server (remote.c).
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

#define WALK_BUF	(2 * MOL_FS_PATH_MAX)

void vn_get(struct vnode vn)
{
	if (vn.m)
		vn.m->ops->get(vn.m, vn.ino);
}

void vn_put(struct vnode vn)
{
	if (vn.m)
		vn.m->ops->put(vn.m, vn.ino);
}

/* The attributes of @vn as the file system has them (st_dev: the mount). */
int vn_stat_full(struct vnode vn, struct mol_stat *st)
{
	int err = vn.m->ops->stat(vn.m, vn.ino, st);

	st->st_dev = vn.m->dev;
	return err;
}

/* The same in the core's form (MINIX rdev; what the callers look at). */
int vn_stat(struct vnode vn, struct mfs_stat *st)
{
	struct mol_stat ms;
	int err;

	err = vn_stat_full(vn, &ms);
	if (err)
		return err;
	memset(st, 0, sizeof(*st));
	st->ino = (uint32_t)ms.st_ino;
	st->dev = vn.m->dev;
	st->mode = (uint16_t)ms.st_mode;
	st->nlink = ms.st_nlink > 0xffff ? 0xffff : (uint16_t)ms.st_nlink;
	st->uid = (uint16_t)ms.st_uid;
	st->gid = (uint16_t)ms.st_gid;
	st->rdev = (ms.st_rdev_major & 0xff) << 8 | (ms.st_rdev_minor & 0xff);
	st->size = (uint64_t)ms.st_size;
	st->blocks = (uint64_t)ms.st_blocks;
	st->blksize = ms.st_blksize;
	st->atime = (uint32_t)ms.st_atime_sec;
	st->mtime = (uint32_t)ms.st_mtime_sec;
	st->ctime = (uint32_t)ms.st_ctime_sec;
	return 0;
}

/* access(2) of @vn for the caller (R_OK | W_OK | X_OK or F_OK). */
int vn_access(struct fproc *fp, struct vnode vn, int amode)
{
	return vn.m->ops->access(vn.m, &fp->cr, vn.ino, amode);
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
			err = dir.m->ops->lookup(dir.m, &fp->cr, dir.ino,
						 ".", &ino);
			if (err)
				return err;
			dir.ino = dir.m->covered;
			dir.m = dir.m->parent;
		}
	}
	err = dir.m->ops->lookup(dir.m, &fp->cr, dir.ino, name, &ino);
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
	char buf[WALK_BUF], link[MOL_FS_PATH_MAX], comp[FS_NAME_MAX + 1];
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
		if (len > FS_NAME_MAX)
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
			err = cur.m->ops->lookup(cur.m, &fp->cr, cur.ino,
						 comp, &next.ino);
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
		n = cur.m->ops->readlink(cur.m, &fp->cr, cur.ino, comp, link,
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
	char name[FS_NAME_MAX + 2];
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

// SPDX-License-Identifier: GPL-2.0
/*
 * remote.c - server_ops: the vnode operations of a mount served by
 * another file server (FS_MOUNT with MOL_MNT_SERVER, e.g. molhostfs),
 * forwarded with the VFS -> FS request protocol of <linux/molfscalls.h>
 * (REQ_LOOKUP, REQ_STAT, REQ_READ, REQ_GETDENTS, REQ_RDLINK, ...), as
 * MINIX's VFS asks its file servers.
 *
 * Such mounts are read-only in MoL: FS answers the calls that would
 * change them itself, with the errno Linux gives on a read-only mount
 * (after the checks Linux makes first: EEXIST, ENOENT, EISDIR).  FS
 * checks permissions itself, with the caller's MoL ids, from the mode,
 * uid and gid the server reports.
 *
 * The server is untrusted as any peer: a reply that does not make sense
 * (a count larger than asked, a malformed directory record, no inode)
 * is -EIO; a server that does not answer within FSREQ_TIMEOUT_MS is
 * -EIO too, so that FS never hangs on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs.h"

#define FSREQ_TIMEOUT_MS	30000	/* generous: a slow host under emulation */

_Static_assert(MFS_ROOT_INO == MOL_FSREQ_ROOT_INO,
	       "a mount's root is inode 1 on both kinds of file system");

/* sendrec @call to the mount's server, with @buf granted for @access. */
static int fsreq(struct vmnt *m, int call, struct mol_fsreq *r, void *buf,
		 size_t len, int access)
{
	struct mol_fsreq *b;
	struct molipc_ipc req;
	int id = 0, ret;

	if (buf) {
		id = mol_grant_create(&fs_mol, m->server, buf, len, access);
		if (id < 0)
			return -ENOMEM;
	}
	memset(&req, 0, sizeof(req));
	req.endpoint = m->server;
	req.flags = MOLIPC_IPC_TIMEOUT;
	req.timeout_ns = FSREQ_TIMEOUT_MS * 1000000ULL;
	req.msg.m_type = call;
	b = MOL_BODY(&req.msg, struct mol_fsreq);
	*b = *r;
	b->export = m->export;
	b->grant = buf ? id : 0;
	b->len = buf ? (uint32_t)len : 0;
	for (;;) {
		ret = mol_ipc(&fs_mol, MOLIPC_OP_SENDREC, &req);
		if (ret != MOL_EREPLYPENDING && ret != MOL_EINTR)
			break;
		if (ret == MOL_EINTR && !(req.flags & MOLIPC_IPC_RESUME))
			continue;
		req.flags |= MOLIPC_IPC_RESUME;
	}
	if (buf)
		mol_grant_revoke(&fs_mol, id);
	if (ret < 0) {
		fs_log("file server %d (%s): %s", m->server, m->image,
		       mol_strerror(ret));
		return -EIO;
	}
	ret = req.msg.m_type;
	if (ret < -4095)
		return -EIO;
	r->out_ino = b->out_ino;
	r->out_mode = b->out_mode;
	r->next_pos = b->next_pos;
	if (ret >= 0 && buf && (size_t)ret > len)
		return -EIO;
	return ret;
}

/* access(2)'s rules on a file's mode, uid and gid. */
int mode_permits(const struct mol_stat *st, const struct mfs_cred *cr,
		 int amode)
{
	unsigned int bits;

	amode &= R_OK | W_OK | X_OK;
	if (cr->uid == 0) {
		if ((amode & X_OK) && !S_ISDIR(st->st_mode) &&
		    !(st->st_mode & 0111))
			return -EACCES;
		return 0;
	}
	if (cr->uid == st->st_uid)
		bits = st->st_mode >> 6;
	else if (cr->gid == st->st_gid)
		bits = st->st_mode >> 3;
	else
		bits = st->st_mode;
	return ((unsigned int)amode & bits & 7) == (unsigned int)amode ?
	       0 : -EACCES;
}

static void server_get(struct vmnt *m, uint32_t ino)
{
}

static void server_put(struct vmnt *m, uint32_t ino)
{
}

static int server_stat(struct vmnt *m, uint32_t ino, struct mol_stat *st)
{
	struct mol_fsreq r = { .ino = ino };
	int ret;

	ret = fsreq(m, REQ_STAT, &r, st, sizeof(*st), MOL_GRANT_WRITE);
	if (ret > 0)
		ret = -EIO;
	if (ret == 0 && st->st_ino != ino)
		ret = -EIO;
	return ret;
}

/* One name in @dir; a trailing '/' (kept by walk_parent) wants a directory. */
static int server_lookup(struct vmnt *m, const struct mfs_cred *cr,
			 uint32_t dir, const char *name, uint32_t *ino)
{
	struct mol_fsreq r = { .ino = dir };
	char buf[MOL_FSREQ_NAME_MAX + 1];
	size_t len = strlen(name);
	struct mol_stat st;
	bool slash = false;
	int ret;

	if (len > 1 && name[len - 1] == '/') {
		len--;
		slash = true;
	}
	if (len > MOL_FSREQ_NAME_MAX)
		return -ENAMETOOLONG;
	if (cr->uid != 0) {		/* search permission in @dir */
		ret = server_stat(m, dir, &st);
		if (ret)
			return ret;
		if (!S_ISDIR(st.st_mode))
			return -ENOTDIR;
		ret = mode_permits(&st, cr, X_OK);
		if (ret)
			return ret;
	}
	memcpy(buf, name, len);
	ret = fsreq(m, REQ_LOOKUP, &r, buf, len, MOL_GRANT_READ);
	if (ret > 0 || (ret == 0 && !r.out_ino))
		return -EIO;
	if (ret)
		return ret;
	if (slash && !S_ISDIR(r.out_mode))
		return -ENOTDIR;
	*ino = r.out_ino;
	return 0;
}

static int server_access(struct vmnt *m, const struct mfs_cred *cr,
			 uint32_t ino, int amode)
{
	struct mol_stat st;
	int ret;

	ret = server_stat(m, ino, &st);
	if (ret)
		return ret;
	if ((amode & W_OK) && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) ||
			       S_ISLNK(st.st_mode)))
		return -EROFS;
	return mode_permits(&st, cr, amode);
}

/* open(2) of an existing file (nothing is created: -EROFS). */
static int server_open(struct vmnt *m, const struct mfs_cred *cr,
		       uint32_t dir, const char *name, int flags, mode_t mode,
		       uint32_t *inop)
{
	int acc = flags & O_ACCMODE, amode;
	struct mol_stat st;
	uint32_t ino;
	int ret;

	ret = server_lookup(m, cr, dir, name, &ino);
	if (ret == -ENOENT && (flags & O_CREAT))
		return -EROFS;
	if (ret)
		return ret;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	ret = server_stat(m, ino, &st);
	if (ret)
		return ret;
	if (S_ISLNK(st.st_mode))
		return -ELOOP;		/* O_NOFOLLOW: FS followed the rest */
	if ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (S_ISDIR(st.st_mode) && (acc != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if (acc != O_RDONLY || (flags & O_TRUNC))
		return -EROFS;
	amode = acc == O_RDONLY ? R_OK : acc == O_WRONLY ? W_OK :
		R_OK | W_OK;
	ret = mode_permits(&st, cr, amode);
	if (ret)
		return ret;
	*inop = ino;
	return 0;
}

static ssize_t server_read(struct vmnt *m, uint32_t ino, void *buf,
			   size_t len, uint64_t pos)
{
	struct mol_fsreq r = { .ino = ino, .pos = pos };

	if (len > MOL_FSREQ_IO_MAX)
		len = MOL_FSREQ_IO_MAX;
	return fsreq(m, REQ_READ, &r, buf, len, MOL_GRANT_WRITE);
}

/* The server's records, checked before they go to a process. */
static int dirents_ok(const unsigned char *buf, size_t len)
{
	const size_t hdr = offsetof(struct mol_dirent64, d_name);
	const struct mol_dirent64 *d;
	size_t off, namelen;

	for (off = 0; off < len; off += d->d_reclen) {
		if (len - off < hdr + 1)
			return 0;
		d = (const struct mol_dirent64 *)(buf + off);
		if (d->d_reclen < hdr + 2 || d->d_reclen % 8 ||
		    d->d_reclen > len - off || !d->d_ino)
			return 0;
		namelen = strnlen(d->d_name, d->d_reclen - hdr);
		if (namelen == 0 || namelen == d->d_reclen - hdr ||
		    namelen > MOL_FSREQ_NAME_MAX ||
		    memchr(d->d_name, '/', namelen))
			return 0;
	}
	return 1;
}

static ssize_t server_getdents(struct vmnt *m, uint32_t ino, uint64_t *pos,
			       void *buf, size_t size)
{
	struct mol_fsreq r = { .ino = ino, .pos = *pos };
	int ret;

	if (size > MOL_FSREQ_IO_MAX)
		size = MOL_FSREQ_IO_MAX;
	ret = fsreq(m, REQ_GETDENTS, &r, buf, size, MOL_GRANT_WRITE);
	if (ret <= 0)
		return ret;
	if (!dirents_ok(buf, ret) || r.next_pos > INT64_MAX)
		return -EIO;
	*pos = r.next_pos;
	return ret;
}

static ssize_t server_readlink(struct vmnt *m, const struct mfs_cred *cr,
			       uint32_t dir, const char *name, char *buf,
			       size_t size)
{
	struct mol_fsreq r = { 0 };
	uint32_t ino;
	int ret;

	ret = server_lookup(m, cr, dir, name, &ino);
	if (ret)
		return ret;
	r.ino = ino;
	if (size > MOL_FS_PATH_MAX)
		size = MOL_FS_PATH_MAX;
	return fsreq(m, REQ_RDLINK, &r, buf, size, MOL_GRANT_WRITE);
}

static int server_statvfs(struct vmnt *m, struct mol_statvfs *st)
{
	struct mol_fsreq r = { .ino = MOL_FSREQ_ROOT_INO };
	int ret;

	ret = fsreq(m, REQ_STATVFS, &r, st, sizeof(*st), MOL_GRANT_WRITE);
	if (ret > 0)
		return -EIO;
	st->f_fsid = m->dev;
	st->f_flag |= MOL_MS_RDONLY;
	return ret;
}

static int server_sync(struct vmnt *m)
{
	return 0;
}

static void server_unmount(struct vmnt *m)
{
}

const struct vnode_ops server_ops = {
	.get		= server_get,
	.put		= server_put,
	.lookup		= server_lookup,
	.stat		= server_stat,
	.access		= server_access,
	.open		= server_open,
	.read		= server_read,
	.getdents	= server_getdents,
	.readlink	= server_readlink,
	.statvfs	= server_statvfs,
	.sync		= server_sync,
	.unmount	= server_unmount,
};

/* The host path of @ino (REQ_HOSTPATH), NUL-terminated: its length. */
int server_hostpath(struct vmnt *m, uint32_t ino, char *buf, size_t size)
{
	struct mol_fsreq r = { .ino = ino };
	int ret;

	ret = fsreq(m, REQ_HOSTPATH, &r, buf, size, MOL_GRANT_WRITE);
	if (ret < 0)
		return ret;
	if ((size_t)ret >= size || buf[ret] != '\0' ||
	    strlen(buf) != (size_t)ret || buf[0] != '/')
		return -EIO;
	return ret;
}

/* Bare last name of @nd (without the '/' walk_parent keeps). */
static void last_name(const struct nameidata *nd, char *name)
{
	size_t len;

	strcpy(name, nd->last);
	len = strlen(name);
	if (len > 1 && name[len - 1] == '/')
		name[len - 1] = '\0';
}

/*
 * A call that would create nd's last name in a server's (read-only)
 * mount: -EEXIST if it exists, else -EROFS (as Linux: mkdir, mknod,
 * symlink, link's new name).
 */
int server_rofs_create(struct fproc *fp, const struct nameidata *nd)
{
	char name[FS_NAME_MAX + 2];
	uint32_t ino;
	int ret;

	if (nd->dot)
		return -EEXIST;
	last_name(nd, name);
	ret = server_lookup(nd->dir.m, &fp->cr, nd->dir.ino, name, &ino);
	if (ret == 0)
		return -EEXIST;
	return ret == -ENOENT ? -EROFS : ret;
}

/* A call that would remove or rename nd's last name: -EROFS if it exists. */
int server_rofs_change(struct fproc *fp, const struct nameidata *nd)
{
	char name[FS_NAME_MAX + 2];
	uint32_t ino;
	int ret;

	if (nd->dot)
		return -EBUSY;
	last_name(nd, name);
	ret = server_lookup(nd->dir.m, &fp->cr, nd->dir.ino, name, &ino);
	return ret ? ret : -EROFS;
}

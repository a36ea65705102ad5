// SPDX-License-Identifier: GPL-2.0
/*
 * molhostfs - the host pass-through file server: host directory trees,
 * read-only, served to FS with the VFS -> FS request protocol (REQ_* in
 * <linux/molfscalls.h>), so that FS can mount them (MOL_MNT_SERVER).
 *
 *	molhostfs DIR...
 *
 * Export N is the N-th DIR (its real path).  Bound to MOL_HOSTFS; only
 * MOL_FS may ask.  Lookup, stat, read, getdents, readlink, statvfs and
 * the host path of a file (for exec); every write-type request is
 * -EROFS.
 *
 * Staying inside an export: a file is known by its path relative to the
 * export root, made of names FS looked up one at a time; such a path has
 * no symbolic link before its last name (FS expands links itself, in the
 * MoL tree), so it is opened with openat2(root, path, RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS) and O_NOFOLLOW: a link or
 * a ".." that would lead out (also one the host swaps in meanwhile)
 * fails instead.  ".." of the root is the root.  The opened file must
 * still be the one first seen (host device and inode), else -ENOENT.
 *
 * Inode numbers: the host's (device, inode) pairs are numbered 1, 2, ...
 * in the order FS meets them (1: the root), per export, stable while the
 * server runs; hard links are one inode; getdents gives the same numbers
 * (from a stat of each entry: d_ino is not st_ino on overlayfs).
 * Nothing is forgotten: the table grows with what FS has looked up or
 * listed (at most NODES_MAX).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/molfscalls.h>

#include "mol.h"

#define NR_EXPORTS	16
#define NODES_MAX	(4U << 20)
#define NR_OPEN_CACHE	8

struct node {
	char *rel;			/* path below the export root, "" */
	dev_t dev;			/* the host's identity */
	ino_t ino;
};

struct export {
	char root[PATH_MAX];		/* host path (real) */
	int rootfd;			/* O_PATH | O_DIRECTORY */
	struct node *nodes;		/* nodes[i]: MoL inode i + 1 */
	uint32_t nr, cap;
	uint32_t *hash;			/* (dev, ino) -> i + 1; 0: free */
	uint32_t hsize;			/* power of two */
};

/* Recently read files: sequential reads reuse the descriptor. */
struct open_file {
	struct export *ex;
	uint32_t ino;
	int fd;
	unsigned long used;
};

static struct export exports[NR_EXPORTS];
static unsigned int nr_exports;
static struct open_file open_cache[NR_OPEN_CACHE];
static unsigned long open_clock;
static struct mol hfs_mol;
static volatile sig_atomic_t hfs_stop;
static unsigned char iobuf[MOL_FSREQ_IO_MAX];
static char pathbuf[2 * PATH_MAX];

static void hfs_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "molhostfs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---------------------------------------------------------------- */
/* The inode table                                                   */
/* ---------------------------------------------------------------- */

static uint32_t key_hash(dev_t dev, ino_t ino)
{
	uint64_t k = (uint64_t)ino * 0x9e3779b97f4a7c15ULL ^ (uint64_t)dev;

	return (uint32_t)(k ^ (k >> 29));
}

static uint32_t node_find(struct export *ex, dev_t dev, ino_t ino)
{
	uint32_t h = key_hash(dev, ino) & (ex->hsize - 1), i;

	while ((i = ex->hash[h])) {
		if (ex->nodes[i - 1].dev == dev && ex->nodes[i - 1].ino == ino)
			return i;
		h = (h + 1) & (ex->hsize - 1);
	}
	return 0;
}

static int hash_grow(struct export *ex)
{
	uint32_t size = ex->hsize ? ex->hsize * 2 : 1024, i, h;
	uint32_t *t = calloc(size, sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (i = 0; i < ex->nr; i++) {
		h = key_hash(ex->nodes[i].dev, ex->nodes[i].ino) & (size - 1);
		while (t[h])
			h = (h + 1) & (size - 1);
		t[h] = i + 1;
	}
	free(ex->hash);
	ex->hash = t;
	ex->hsize = size;
	return 0;
}

/* The MoL inode of host (dev, ino), numbered now if new, at @rel. */
static int node_get(struct export *ex, dev_t dev, ino_t ino,
		    const char *rel, uint32_t *out)
{
	struct node *n;
	uint32_t i, h;

	i = ex->hsize ? node_find(ex, dev, ino) : 0;
	if (i) {
		*out = i;
		return 0;
	}
	if (ex->nr >= NODES_MAX)
		return -ENFILE;
	if (ex->nr == ex->cap) {
		uint32_t cap = ex->cap ? ex->cap * 2 : 256;

		n = realloc(ex->nodes, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		ex->nodes = n;
		ex->cap = cap;
	}
	if ((ex->nr + 1) * 2 > ex->hsize && hash_grow(ex))
		return -ENOMEM;
	n = &ex->nodes[ex->nr];
	n->rel = strdup(rel);
	if (!n->rel)
		return -ENOMEM;
	n->dev = dev;
	n->ino = ino;
	h = key_hash(dev, ino) & (ex->hsize - 1);
	while (ex->hash[h])
		h = (h + 1) & (ex->hsize - 1);
	ex->hash[h] = ++ex->nr;
	*out = ex->nr;
	return 0;
}

static struct node *node_of(struct export *ex, uint32_t ino)
{
	return ino >= 1 && ino <= ex->nr ? &ex->nodes[ino - 1] : NULL;
}

/* Open @rel beneath the export root (see the top of the file). */
static int rel_open(struct export *ex, const char *rel, int flags)
{
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC);
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
		      RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, ex->rootfd, rel[0] ? rel : ".", &how,
			  sizeof(how));
	if (fd < 0)
		return errno == ELOOP || errno == EXDEV || errno == ESTALE ?
		       -ENOENT : -errno;
	return fd;
}

/*
 * Open node @n with @flags (O_PATH, O_RDONLY | O_DIRECTORY ...): the
 * descriptor, its stat in @st, or -errno.
 */
static int node_open(struct export *ex, struct node *n, int flags,
		     struct stat *st)
{
	int fd = rel_open(ex, n->rel, flags);

	if (fd < 0)
		return fd;
	if (fstat(fd, st) < 0 || st->st_dev != n->dev ||
	    st->st_ino != n->ino) {
		close(fd);
		return -ENOENT;		/* replaced on the host */
	}
	return fd;
}

static int export_add(const char *dir)
{
	struct export *ex = &exports[nr_exports];
	struct stat st;
	uint32_t ino;
	int err;

	if (nr_exports == NR_EXPORTS)
		return -E2BIG;
	if (!realpath(dir, ex->root))
		return -errno;
	ex->rootfd = open(ex->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ex->rootfd < 0)
		return -errno;
	if (fstat(ex->rootfd, &st) < 0)
		return -errno;
	err = node_get(ex, st.st_dev, st.st_ino, "", &ino);
	if (err)
		return err;
	nr_exports++;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Requests                                                          */
/* ---------------------------------------------------------------- */

static int copy_to(int who, struct mol_fsreq *r, const void *buf,
		   size_t len)
{
	if (len > r->len)
		return -EFAULT;
	if (len && mol_safecopy_to(&hfs_mol, who, r->grant, 0, buf, len) < 0)
		return -EFAULT;
	return 0;
}

/* A name from the request's grant: one component, NUL-terminated. */
static int get_name(int who, struct mol_fsreq *r, char *name)
{
	if (r->len == 0)
		return -ENOENT;
	if (r->len > MOL_FSREQ_NAME_MAX)
		return -ENAMETOOLONG;
	if (mol_safecopy_from(&hfs_mol, who, r->grant, 0, name, r->len) < 0)
		return -EFAULT;
	name[r->len] = '\0';
	if (strlen(name) != r->len || strchr(name, '/'))
		return -EINVAL;
	return 0;
}

/* @n's parent: its path without the last name. */
static int parent_of(struct export *ex, struct node *n, uint32_t *out)
{
	char rel[PATH_MAX];
	struct stat st;
	char *slash;
	int fd, err;

	if (!n->rel[0]) {
		*out = MOL_FSREQ_ROOT_INO;
		return 0;
	}
	snprintf(rel, sizeof(rel), "%s", n->rel);
	slash = strrchr(rel, '/');
	if (slash)
		*slash = '\0';
	else
		rel[0] = '\0';
	fd = rel_open(ex, rel, O_PATH);
	if (fd < 0)
		return fd;
	err = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (err)
		return err;
	return node_get(ex, st.st_dev, st.st_ino, rel, out);
}

static int req_lookup(int who, struct export *ex, struct node *dir,
		      struct mol_fsreq *r)
{
	char name[MOL_FSREQ_NAME_MAX + 1], rel[PATH_MAX];
	struct stat st;
	uint32_t ino;
	int dfd, fd, err;

	err = get_name(who, r, name);
	if (err)
		return err;
	dfd = node_open(ex, dir, O_PATH, &st);
	if (dfd < 0)
		return dfd;
	err = -ENOTDIR;
	if (!S_ISDIR(st.st_mode))
		goto out;
	if (!strcmp(name, ".")) {
		ino = r->ino;
	} else if (!strcmp(name, "..")) {
		err = parent_of(ex, dir, &ino);
		if (err)
			goto out;
		close(dfd);
		dfd = node_open(ex, node_of(ex, ino), O_PATH, &st);
		if (dfd < 0)
			return dfd;
	} else {
		err = -ENAMETOOLONG;
		if (snprintf(rel, sizeof(rel), "%s%s%s", dir->rel,
			     dir->rel[0] ? "/" : "", name) >= (int)sizeof(rel))
			goto out;
		fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		err = -errno;
		if (fd < 0)
			goto out;
		err = fstat(fd, &st) < 0 ? -errno : 0;
		close(fd);
		if (err)
			goto out;
		err = node_get(ex, st.st_dev, st.st_ino, rel, &ino);
		if (err)
			goto out;
	}
	r->out_ino = ino;
	r->out_mode = st.st_mode;
	err = 0;
out:
	close(dfd);
	return err;
}

static int req_stat(int who, struct export *ex, struct node *n,
		    struct mol_fsreq *r)
{
	struct mol_stat ms;
	struct stat st;
	int fd;

	fd = node_open(ex, n, O_PATH, &st);
	if (fd < 0)
		return fd;
	close(fd);
	memset(&ms, 0, sizeof(ms));
	ms.st_ino = r->ino;
	ms.st_mode = st.st_mode;
	ms.st_nlink = (uint32_t)st.st_nlink;
	ms.st_uid = st.st_uid;
	ms.st_gid = st.st_gid;
	ms.st_rdev_major = major(st.st_rdev);
	ms.st_rdev_minor = minor(st.st_rdev);
	ms.st_size = st.st_size;
	ms.st_blocks = st.st_blocks;
	ms.st_blksize = (uint32_t)st.st_blksize;
	ms.st_atime_sec = st.st_atim.tv_sec;
	ms.st_mtime_sec = st.st_mtim.tv_sec;
	ms.st_ctime_sec = st.st_ctim.tv_sec;
	ms.st_atime_nsec = (uint32_t)st.st_atim.tv_nsec;
	ms.st_mtime_nsec = (uint32_t)st.st_mtim.tv_nsec;
	ms.st_ctime_nsec = (uint32_t)st.st_ctim.tv_nsec;
	return copy_to(who, r, &ms, sizeof(ms));
}

/*
 * Open the file O_PATH descriptor @pfd stands for with @flags (@pfd is
 * closed): the same inode, whatever its name is now.
 */
static int reopen(int pfd, int flags)
{
	char proc[64];
	int fd, err;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, flags | O_CLOEXEC);
	err = errno;
	close(pfd);
	return fd < 0 ? -err : fd;
}

/*
 * A readable descriptor of regular file @ino.  The file is looked for
 * again each time (still inside, still the same); the descriptor of a
 * recent one is reused.
 */
static int read_fd(struct export *ex, uint32_t ino)
{
	struct open_file *o, *victim = &open_cache[0];
	struct stat st;
	int pfd, fd, i;

	/* O_PATH first: opening a device or FIFO could act on it */
	pfd = node_open(ex, node_of(ex, ino), O_PATH, &st);
	if (pfd < 0)
		return pfd;
	if (!S_ISREG(st.st_mode)) {
		close(pfd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	for (i = 0; i < NR_OPEN_CACHE; i++) {
		o = &open_cache[i];
		if (o->ex == ex && o->ino == ino && o->fd >= 0) {
			close(pfd);
			o->used = ++open_clock;
			return o->fd;
		}
		if (o->used < victim->used)
			victim = o;
	}
	fd = reopen(pfd, O_RDONLY);
	if (fd < 0)
		return fd;
	if (victim->ex && victim->fd >= 0)
		close(victim->fd);
	victim->ex = ex;
	victim->ino = ino;
	victim->fd = fd;
	victim->used = ++open_clock;
	return fd;
}

static int req_read(int who, struct export *ex, struct mol_fsreq *r)
{
	ssize_t n;
	int fd;

	if (r->len > MOL_FSREQ_IO_MAX || r->pos > INT64_MAX)
		return -EINVAL;
	fd = read_fd(ex, r->ino);
	if (fd < 0)
		return fd;
	n = pread(fd, iobuf, r->len, (off_t)r->pos);
	if (n < 0)
		return -errno;
	if (copy_to(who, r, iobuf, n))
		return -EFAULT;
	return (int)n;
}

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int req_getdents(int who, struct export *ex, struct node *dir,
			struct mol_fsreq *r)
{
	char rel[PATH_MAX], dirrel[PATH_MAX];
	struct linux_dirent64 *d;
	struct stat st, est;
	uint32_t ino, parent = 0;
	size_t off;
	ssize_t n;
	int fd, err;

	if (r->len > MOL_FSREQ_IO_MAX || r->pos > INT64_MAX)
		return -EINVAL;
	fd = node_open(ex, dir, O_PATH, &st);
	if (fd < 0)
		return fd;
	if (!S_ISDIR(st.st_mode)) {
		close(fd);
		return -ENOTDIR;
	}
	fd = reopen(fd, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	/* node_get() may move the table: @dir is not used after this */
	snprintf(dirrel, sizeof(dirrel), "%s", dir->rel);
	if (lseek(fd, (off_t)r->pos, SEEK_SET) < 0) {
		err = -errno;
		goto out;
	}
	n = syscall(SYS_getdents64, fd, iobuf, r->len);
	if (n < 0) {
		err = -errno;
		goto out;
	}
	r->next_pos = r->pos;
	for (off = 0; off < (size_t)n; off += d->d_reclen) {
		d = (struct linux_dirent64 *)(iobuf + off);
		if (!strcmp(d->d_name, ".")) {
			ino = r->ino;
		} else if (!strcmp(d->d_name, "..")) {
			if (!parent) {
				err = parent_of(ex, node_of(ex, r->ino),
						&parent);
				if (err)
					goto out;
			}
			ino = parent;
		} else {
			err = -ENAMETOOLONG;
			if (snprintf(rel, sizeof(rel), "%s%s%s", dirrel,
				     dirrel[0] ? "/" : "", d->d_name) >=
			    (int)sizeof(rel))
				goto out;
			/*
			 * The entry's own (device, inode), as a lookup sees
			 * it: d_ino is not st_ino everywhere (overlayfs).
			 */
			if (fstatat(fd, d->d_name, &est,
				    AT_SYMLINK_NOFOLLOW) < 0) {
				est.st_dev = st.st_dev;	/* gone meanwhile */
				est.st_ino = d->d_ino;
			}
			err = node_get(ex, est.st_dev, est.st_ino, rel, &ino);
			if (err)
				goto out;
		}
		d->d_ino = ino;
		r->next_pos = (uint64_t)d->d_off;
	}
	err = copy_to(who, r, iobuf, n) ? -EFAULT : (int)n;
out:
	close(fd);
	return err;
}

static int req_rdlink(int who, struct export *ex, struct node *n,
		      struct mol_fsreq *r)
{
	char buf[PATH_MAX];
	struct stat st;
	ssize_t len;
	int fd;

	fd = node_open(ex, n, O_PATH, &st);
	if (fd < 0)
		return fd;
	len = S_ISLNK(st.st_mode) ? readlinkat(fd, "", buf, sizeof(buf)) : -1;
	if (len < 0)
		len = S_ISLNK(st.st_mode) ? -errno : -EINVAL;
	close(fd);
	if (len < 0)
		return (int)len;
	if ((size_t)len > r->len)
		len = r->len;
	return copy_to(who, r, buf, len) ? -EFAULT : (int)len;
}

static int req_statvfs(int who, struct export *ex, struct mol_fsreq *r)
{
	struct mol_statvfs mv;
	struct statvfs sv;

	if (fstatvfs(ex->rootfd, &sv) < 0)
		return -errno;
	memset(&mv, 0, sizeof(mv));
	mv.f_bsize = sv.f_bsize;
	mv.f_frsize = sv.f_frsize;
	mv.f_blocks = sv.f_blocks;
	mv.f_bfree = sv.f_bfree;
	mv.f_bavail = sv.f_bavail;
	mv.f_files = sv.f_files;
	mv.f_ffree = sv.f_ffree;
	mv.f_favail = sv.f_favail;
	mv.f_fsid = sv.f_fsid;
	mv.f_flag = (sv.f_flag & ST_NOSUID ? MOL_ST_NOSUID : 0) |
		    MOL_MS_RDONLY;
	mv.f_namemax = sv.f_namemax;
	return copy_to(who, r, &mv, sizeof(mv));
}

static int req_hostpath(int who, struct export *ex, struct node *n,
			struct mol_fsreq *r)
{
	struct stat st;
	int fd, len;

	fd = node_open(ex, n, O_PATH, &st);	/* still there? */
	if (fd < 0)
		return fd;
	close(fd);
	len = snprintf(pathbuf, sizeof(pathbuf), "%s%s%s", ex->root,
		       n->rel[0] && strcmp(ex->root, "/") ? "/" : "", n->rel);
	if ((size_t)len + 1 > r->len || (size_t)len + 1 > sizeof(pathbuf))
		return -ENAMETOOLONG;
	return copy_to(who, r, pathbuf, len + 1) ? -EFAULT : len;
}

/* Is the rest of the message body (after the struct) zero? */
static bool body_tail_zero(const struct mol_message *m)
{
	const unsigned char *p = (const unsigned char *)m->m_u.m_raw;
	size_t i;

	for (i = sizeof(struct mol_fsreq); i < sizeof(m->m_u.m_raw); i++)
		if (p[i])
			return false;
	return true;
}

static int dispatch(struct mol_message *m)
{
	struct mol_fsreq *r = MOL_BODY(m, struct mol_fsreq);
	unsigned int call = (unsigned int)m->m_type;
	struct export *ex;
	struct node *n;

	if (m->m_source != MOL_FS)
		return -EPERM;
	if (call < FSREQ_BASE || call >= FSREQ_BASE + FSREQ_NR_CALLS)
		return -ENOSYS;
	if (call >= FSREQ_FIRST_WRITE)
		return -EROFS;
	if (r->out_ino || r->out_mode || r->next_pos || !body_tail_zero(m))
		return -EINVAL;
	if (r->pos && call != REQ_READ && call != REQ_GETDENTS)
		return -EINVAL;
	if (r->export >= nr_exports)
		return -ENXIO;
	ex = &exports[r->export];
	n = node_of(ex, r->ino);
	if (!n)
		return -ESTALE;
	switch (call) {
	case REQ_LOOKUP:
		return req_lookup(m->m_source, ex, n, r);
	case REQ_STAT:
		return req_stat(m->m_source, ex, n, r);
	case REQ_READ:
		return req_read(m->m_source, ex, r);
	case REQ_GETDENTS:
		return req_getdents(m->m_source, ex, n, r);
	case REQ_RDLINK:
		return req_rdlink(m->m_source, ex, n, r);
	case REQ_STATVFS:
		return req_statvfs(m->m_source, ex, r);
	case REQ_HOSTPATH:
		return req_hostpath(m->m_source, ex, n, r);
	}
	return -ENOSYS;
}

static void serve(void)
{
	struct molipc_ipc req;
	int reply_to = MOL_NONE;
	int op, ret;

	memset(&req, 0, sizeof(req));
	while (!hfs_stop) {
		if (reply_to != MOL_NONE) {
			op = MOLIPC_OP_REPLY_RECV;
			req.endpoint = reply_to;
			req.src = MOL_ANY;
		} else {
			op = MOLIPC_OP_RECEIVE;
			req.endpoint = MOL_ANY;
			req.src = 0;
		}
		req.flags = 0;
		req.status = 0;
		ret = mol_ipc(&hfs_mol, op, &req);
		reply_to = MOL_NONE;
		if (ret == MOL_EINSTGONE || ret == MOL_ENOTBOUND) {
			hfs_log("the instance is gone");
			break;
		}
		if (ret < 0 || (req.status & MOLIPC_STATUS_NOTIFY))
			continue;
		ret = dispatch(&req.msg);
		if (!(req.status & MOLIPC_STATUS_SENDREC))
			continue;
		/* the reply carries the request's struct, out fields set */
		req.msg.m_type = ret;
		reply_to = req.msg.m_source;
	}
}

static void on_term(int sig)
{
	(void)sig;
	hfs_stop = 1;
}

int main(int argc, char **argv)
{
	const char *inst = getenv("MOL_INSTANCE");
	struct sigaction sa;
	int i, ret, ep;

	if (argc < 2 || argc - 1 > NR_EXPORTS) {
		fprintf(stderr, "usage: molhostfs DIR... (at most %d)\n",
			NR_EXPORTS);
		return 2;
	}
	for (i = 0; i < NR_OPEN_CACHE; i++)
		open_cache[i].fd = -1;
	for (i = 1; i < argc; i++) {
		ret = export_add(argv[i]);
		if (ret < 0) {
			hfs_log("%s: %s", argv[i], strerror(-ret));
			return 1;
		}
	}
	if (!inst) {
		hfs_log("MOL_INSTANCE is not set");
		return 1;
	}
	ret = mol_open(&hfs_mol, NULL);
	if (ret < 0) {
		hfs_log("mol_open: %s", mol_strerror(ret));
		return 1;
	}
	ret = mol_bind(&hfs_mol, (unsigned int)strtoul(inst, NULL, 0),
		       MOL_ANY, &ep);
	if (ret < 0) {
		hfs_log("mol_bind: %s", mol_strerror(ret));
		return 1;
	}
	if (ep != MOL_HOSTFS)
		hfs_log("bound %d, not MOL_HOSTFS", ep);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	serve();
	mol_close(&hfs_mol);
	return 0;
}

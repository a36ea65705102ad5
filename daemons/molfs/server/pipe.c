// SPDX-License-Identifier: GPL-2.0
/*
 * pipe.c - pipes kept by FS, as in MINIX: a ring buffer of
 * MOL_FS_PIPE_SIZE bytes.  FS never blocks: a read of an empty pipe that
 * has writers, or a write to a full pipe that has readers, suspends the
 * caller (no reply; it waits in sendrec) until the other end moves;
 * then fs_revive() answers it with mol_sendnb.
 *
 * Named pipes (FIFOs, mknod S_IFIFO) use the same struct pipe, one per
 * FIFO inode while someone has it open (the list "fifos"); their filps
 * are FILP_PIPE and also hold the inode (f->vn).  An open for reading
 * waits for a writer and one for writing waits for a reader, as in
 * Linux: the open itself is suspended (fp->susp_filp holds the new
 * filp, not yet in the descriptor table).  O_NONBLOCK: a reader opens
 * at once, a writer without a reader gets -ENXIO; O_RDWR never waits.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"

struct pipe {
	unsigned char buf[MOL_FS_PIPE_SIZE];
	size_t head;			/* first byte to read */
	size_t count;			/* bytes in the pipe */
	int readers, writers;
	/* a FIFO: its inode and the next open FIFO */
	bool named;
	struct vnode vn;
	struct pipe *next;
};

static struct pipe *fifos;		/* the open FIFOs */

int do_pipe(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_pipe *b = MOL_BODY(m, struct mol_fs_pipe);
	unsigned int nb = b->flags & MOL_O_NONBLOCK;
	bool cloexec = b->flags & MOL_O_CLOEXEC;
	struct filp *r = NULL, *w = NULL;
	struct pipe *p;
	int fd0, fd1;

	if (b->flags & ~(MOL_O_CLOEXEC | MOL_O_NONBLOCK | MOL_O_DIRECT))
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENFILE;
	r = filp_new(FILP_PIPE, MOL_O_RDONLY | nb);
	w = filp_new(FILP_PIPE, MOL_O_WRONLY | nb);
	if (!r || !w) {
		free(r);
		free(w);
		free(p);
		return -ENFILE;
	}
	r->pipe = w->pipe = p;
	r->end = 0;
	w->end = 1;
	p->readers = p->writers = 1;
	fd0 = fd_install(fp, 0, r, cloexec);
	if (fd0 < 0)
		goto fail;
	fd1 = fd_install(fp, 0, w, cloexec);
	if (fd1 < 0) {
		fp->fd[fd0].f = NULL;
		goto fail;
	}
	b->fds[0] = fd0;
	b->fds[1] = fd1;
	return 0;
fail:
	free(r);
	free(w);
	free(p);
	return -EMFILE;
}

/* Move up to @len bytes from the pipe into grant @grant at @off. */
static ssize_t pipe_out(struct pipe *p, int who, int grant, size_t off,
			size_t len)
{
	size_t n = len < p->count ? len : p->count, done = 0, part;

	while (done < n) {
		part = MOL_FS_PIPE_SIZE - p->head;
		if (part > n - done)
			part = n - done;
		if (mol_safecopy_to(&fs_mol, who, grant, off + done,
				    p->buf + p->head, part) < 0)
			return done ? (ssize_t)done : -EFAULT;
		p->head = (p->head + part) % MOL_FS_PIPE_SIZE;
		p->count -= part;
		done += part;
	}
	return done;
}

/* Move up to @len bytes from grant @grant at @off into the pipe. */
static ssize_t pipe_in(struct pipe *p, int who, int grant, size_t off,
		       size_t len)
{
	size_t space = MOL_FS_PIPE_SIZE - p->count, done = 0, tail, part;
	size_t n = len < space ? len : space;

	while (done < n) {
		tail = (p->head + p->count) % MOL_FS_PIPE_SIZE;
		part = MOL_FS_PIPE_SIZE - tail;
		if (part > n - done)
			part = n - done;
		if (mol_safecopy_from(&fs_mol, who, grant, off + done,
				      p->buf + tail, part) < 0)
			return done ? (ssize_t)done : -EFAULT;
		p->count += part;
		done += part;
	}
	return done;
}

static void suspend(struct fproc *fp, struct pipe *p, struct mol_message *m,
		    uint64_t done)
{
	fp->suspended = true;
	fp->susp = *m;
	fp->susp_done = done;
	fp->susp_pipe = p;
}

static void revive_all(struct pipe *p);

int pipe_io(struct fproc *fp, struct filp *f, struct mol_message *m,
	    bool write)
{
	struct mol_fs_io *b = MOL_BODY(m, struct mol_fs_io);
	size_t len = b->len < MOL_FS_IO_MAX ? b->len : MOL_FS_IO_MAX;
	struct pipe *p = f->pipe;
	ssize_t n;

	if (len == 0)
		return 0;
	if (!write) {
		if (p->count == 0) {
			if (p->writers == 0)
				return 0;
			if (f->flags & MOL_O_NONBLOCK)
				return -EAGAIN;
			suspend(fp, p, m, 0);
			return SUSPEND;
		}
		n = pipe_out(p, fp->endpoint, b->grant, 0, len);
		if (n > 0)
			revive_all(p);
		return (int)n;
	}
	if (p->readers == 0)
		return -EPIPE;
	if (len <= MOL_FS_PIPE_BUF && MOL_FS_PIPE_SIZE - p->count < len)
		n = 0;		/* atomic: all or nothing */
	else
		n = pipe_in(p, fp->endpoint, b->grant, 0, len);
	if (n < 0)
		return (int)n;
	if (n > 0)
		revive_all(p);
	if ((size_t)n == len)
		return (int)n;
	if (f->flags & MOL_O_NONBLOCK)
		return n ? (int)n : -EAGAIN;
	suspend(fp, p, m, n);
	return SUSPEND;
}

/* Install @f as @fp's lowest free descriptor; the open's result. */
static int fifo_install(struct fproc *fp, struct filp *f, unsigned int fl)
{
	int fd = fd_install(fp, 0, f, fl & MOL_O_CLOEXEC);

	if (fd < 0)
		filp_put(f);
	return fd;
}

/* A suspended FIFO open: done once the other end has someone. */
static bool fifo_open_done(struct fproc *fp, struct pipe *p)
{
	struct mol_fs_open *b = MOL_BODY(&fp->susp, struct mol_fs_open);
	struct filp *f = fp->susp_filp;

	if (!f || !(f->end == 0 ? p->writers : p->readers))
		return false;
	fp->susp_filp = NULL;
	fs_revive(fp, fifo_install(fp, f, b->flags));
	return true;
}

/* Try to finish @fp's suspended call; true if something moved. */
static bool try_revive(struct fproc *fp)
{
	struct mol_fs_io *b = MOL_BODY(&fp->susp, struct mol_fs_io);
	size_t len = b->len < MOL_FS_IO_MAX ? b->len : MOL_FS_IO_MAX;
	struct pipe *p = fp->susp_pipe;
	size_t done = fp->susp_done;
	ssize_t n;

	if (fp->susp.m_type == FS_OPEN)
		return fifo_open_done(fp, p);
	if (fp->susp.m_type == FS_READ) {
		if (p->count == 0) {
			if (p->writers > 0)
				return false;
			fs_revive(fp, 0);
			return true;
		}
		n = pipe_out(p, fp->endpoint, b->grant, 0, len);
		fs_revive(fp, (int)n);
		return true;
	}
	if (p->readers == 0) {
		fs_revive(fp, done ? (int)done : -EPIPE);
		return true;
	}
	if (len - done <= MOL_FS_PIPE_BUF &&
	    MOL_FS_PIPE_SIZE - p->count < len - done)
		return false;
	n = pipe_in(p, fp->endpoint, b->grant, done, len - done);
	if (n <= 0) {
		if (n < 0)
			fs_revive(fp, done ? (int)done : (int)n);
		return n < 0;
	}
	fp->susp_done += n;
	if (fp->susp_done == len)
		fs_revive(fp, (int)fp->susp_done);
	return true;
}

struct revive_arg {
	struct pipe *p;
	bool moved;
};

static void revive_one(struct fproc *fp, void *arg)
{
	struct revive_arg *ra = arg;

	if (fp->suspended && fp->susp_pipe == ra->p && try_revive(fp))
		ra->moved = true;
}

/* Let the suspended callers of @p go on as far as they can. */
static void revive_all(struct pipe *p)
{
	struct revive_arg ra = { .p = p };
	int rounds = 0;

	do {
		ra.moved = false;
		fproc_for_each(revive_one, &ra);
	} while (ra.moved && ++rounds < 64);
}

void pipe_close_end(struct pipe *p, int end)
{
	struct pipe **pp;

	if (end != 0)
		p->writers--;
	if (end != 1)
		p->readers--;
	if (p->readers == 0 && p->writers == 0) {
		for (pp = &fifos; p->named && *pp; pp = &(*pp)->next) {
			if (*pp == p) {
				*pp = p->next;
				break;
			}
		}
		free(p);		/* a FIFO's data goes with it */
		return;
	}
	revive_all(p);
}

/*
 * open of FIFO @f->vn (a new FILP_INODE filp holding the inode) by @fp
 * with flags @fl; @m is the request (kept if the open must wait).
 * Consumes @f.  Returns the descriptor, an error or SUSPEND.
 */
int fifo_open(struct fproc *fp, struct filp *f, unsigned int fl,
	      struct mol_message *m)
{
	unsigned int acc = fl & MOL_O_ACCMODE;
	struct pipe *p;

	for (p = fifos; p; p = p->next)
		if (p->vn.m == f->vn.m && p->vn.ino == f->vn.ino)
			break;
	if (!p) {
		if (acc == MOL_O_WRONLY && (fl & MOL_O_NONBLOCK)) {
			filp_put(f);
			return -ENXIO;	/* no reader */
		}
		p = calloc(1, sizeof(*p));
		if (!p) {
			filp_put(f);
			return -ENFILE;
		}
		p->named = true;
		p->vn = f->vn;
		p->next = fifos;
		fifos = p;
	}
	f->kind = FILP_PIPE;
	f->pipe = p;
	f->end = acc == MOL_O_RDONLY ? 0 : acc == MOL_O_WRONLY ? 1 : 2;
	if (f->end != 1)
		p->readers++;
	if (f->end != 0)
		p->writers++;
	revive_all(p);			/* openers waiting for this end */
	if ((f->end == 0 && p->writers == 0 && !(fl & MOL_O_NONBLOCK)) ||
	    (f->end == 1 && p->readers == 0)) {
		if (fl & MOL_O_NONBLOCK) {
			filp_put(f);
			return -ENXIO;
		}
		suspend(fp, p, m, 0);
		fp->susp_filp = f;
		return SUSPEND;
	}
	return fifo_install(fp, f, fl);
}

/* PM_UNPAUSE (@reply) or exit: end @fp's suspended call. */
void pipe_cancel(struct fproc *fp, bool reply)
{
	struct filp *f;

	if (!fp->suspended)
		return;
	f = fp->susp_filp;
	fp->susp_filp = NULL;
	if (reply)
		fs_revive(fp, fp->susp_done ? (int)fp->susp_done : -EINTR);
	fp->suspended = false;
	fp->susp_pipe = NULL;
	if (f)
		filp_put(f);		/* a FIFO open that waited */
}

// SPDX-License-Identifier: GPL-2.0
/*
 * pipe.c - pipes kept by FS, as in MINIX: a ring buffer of
 * MOL_FS_PIPE_SIZE bytes.  FS never blocks: a read of an empty pipe that
 * has writers, or a write to a full pipe that has readers, suspends the
 * caller (no reply; it waits in sendrec) until the other end moves;
 * then fs_revive() answers it with mol_sendnb.
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
};

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

/* Try to finish @fp's suspended call; true if something moved. */
static bool try_revive(struct fproc *fp)
{
	struct mol_fs_io *b = MOL_BODY(&fp->susp, struct mol_fs_io);
	size_t len = b->len < MOL_FS_IO_MAX ? b->len : MOL_FS_IO_MAX;
	struct pipe *p = fp->susp_pipe;
	size_t done = fp->susp_done;
	ssize_t n;

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
	if (end)
		p->writers--;
	else
		p->readers--;
	if (p->readers == 0 && p->writers == 0) {
		free(p);
		return;
	}
	revive_all(p);
}

/* PM_UNPAUSE (@reply) or exit: end @fp's suspended call. */
void pipe_cancel(struct fproc *fp, bool reply)
{
	if (!fp->suspended)
		return;
	if (reply)
		fs_revive(fp, fp->susp_done ? (int)fp->susp_done : -EINTR);
	fp->suspended = false;
	fp->susp_pipe = NULL;
}

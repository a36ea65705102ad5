// SPDX-License-Identifier: GPL-2.0
/*
 * moldisk - MoL's disk driver (slot MOL_DISK).
 *
 * Serves one minor device per image file named on the command line
 * (minor 0 is the first).  A MINIX block driver: message in, reply out,
 * one dispatch table; the BDEV_* requests of <linux/molcalls.h>.  Data
 * never travels in messages: the caller grants its buffer and moldisk
 * copies with safecopy between that grant and its own I/O buffers, which
 * are registered with io_uring and used for read_fixed / write_fixed on
 * the image.  A request of several buffers is pipelined: up to DK_NBUF
 * chunks of DK_BUF_SIZE bytes are in flight at once while the finished
 * ones are copied out (READ) or the next ones copied in (WRITE).
 * Requests are served one at a time, in the order they arrive.
 *
 * BDEV_WRITE_BATCH writes several ranges all or nothing: the whole batch
 * is copied from the caller's grant first (a caller that dies meanwhile
 * leaves the image as it was), checked, then committed through the
 * image's redo log, IMAGE.mollog (daemons/molfs/redolog.c, shared with
 * molfs's own image device): log, fdatasync, in place, fdatasync, log
 * emptied.  A log left by a killed moldisk is replayed when the image is
 * next opened (here at start-up, or by molsystem at shutdown).
 *
 * Every message is untrusted: each field is checked, and a bad request
 * gets -EINVAL (or the errno of Documentation/devices.md), never a crash.
 * Without io_uring (disabled in the host kernel) the same loop runs on
 * pread/pwrite.
 *
 * Usage: moldisk [-v] [-r] [--direct] [--instance ID] IMAGE...
 * Without --instance the instance comes from $MOL_INSTANCE, as molsystem
 * starts its servers; the endpoint is whatever the system task
 * registered for us (normally MOL_DISK).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <liburing.h>
#include <linux/fs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "mol.h"
#include <linux/molcalls.h>

#include "redolog.h"

#define DK_MAX_MINORS	16
#define DK_NBUF		4		/* I/O buffers: chunks in flight */
#define DK_BUF_SIZE	(1U << 20)	/* bytes per chunk */
#define DK_BUF_ALIGN	4096		/* enough for O_DIRECT */
#define DK_RING_DEPTH	8
#define DK_POLL_NS	500000000ULL	/* receive timeout: see dk_ipc */

struct dk_minor {
	const char *path;
	int fd;
	int bfd;			/* buffered fd for batches (O_DIRECT) */
	struct redo redo;
	bool rdonly;
	uint64_t size;			/* bytes, whole sectors */
	uint32_t block_size;
	unsigned int opens;		/* BDEV_OPEN minus BDEV_CLOSE */
};

/* One I/O buffer and the chunk of a request it carries. */
struct dk_buf {
	unsigned char *data;
	bool busy;			/* an I/O is in flight */
	bool ready;			/* sync fallback: res is set */
	int res;			/* last I/O: bytes or -errno */
	uint64_t off;			/* chunk's offset in the request */
	uint32_t len;			/* chunk length */
	uint32_t done;			/* bytes of the chunk done */
};

/* What one READ or WRITE is doing. */
struct dk_xfer {
	struct dk_minor *dm;
	int caller;			/* granter */
	int grant;
	uint64_t pos;
	uint64_t count;
	bool is_write;
};

struct dk_driver {
	struct mol mol;
	struct io_uring ring;
	bool have_ring;			/* else pread/pwrite */
	bool fixed;			/* buffers registered */
	bool direct;
	bool rdonly;
	bool verbose;
	unsigned int nr_minors;
	struct dk_minor minor[DK_MAX_MINORS];
	struct dk_buf buf[DK_NBUF];
	unsigned char *batch;		/* BDEV_WRITE_BATCH's copy */
	size_t batch_size;
};

typedef int (*dk_call_t)(struct dk_driver *d, int src, struct mol_message *m);

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void dk_log(const char *what, int ret)
{
	fprintf(stderr, "moldisk: %s: %s\n", what, mol_strerror(ret));
}

/* ---------------------------------------------------------------- */
/* I/O: io_uring, or pread/pwrite when the ring is not there        */
/* ---------------------------------------------------------------- */

/* Start the I/O of the rest of @b's chunk. */
static void dk_start(struct dk_driver *d, struct dk_xfer *x, int idx)
{
	struct dk_buf *b = &d->buf[idx];
	unsigned char *p = b->data + b->done;
	uint64_t pos = x->pos + b->off + b->done;
	unsigned int len = b->len - b->done;
	struct io_uring_sqe *sqe;
	ssize_t n;

	b->busy = true;
	if (d->have_ring) {
		/* Never NULL: at most DK_NBUF < DK_RING_DEPTH in flight. */
		sqe = io_uring_get_sqe(&d->ring);
		if (x->is_write && d->fixed)
			io_uring_prep_write_fixed(sqe, x->dm->fd, p, len, pos,
						  idx);
		else if (x->is_write)
			io_uring_prep_write(sqe, x->dm->fd, p, len, pos);
		else if (d->fixed)
			io_uring_prep_read_fixed(sqe, x->dm->fd, p, len, pos,
						 idx);
		else
			io_uring_prep_read(sqe, x->dm->fd, p, len, pos);
		io_uring_sqe_set_data64(sqe, idx);
		/* Start now; an error shows again in dk_reap's submit. */
		io_uring_submit(&d->ring);
		return;
	}
	do {
		if (x->is_write)
			n = pwrite(x->dm->fd, p, len, (off_t)pos);
		else
			n = pread(x->dm->fd, p, len, (off_t)pos);
	} while (n < 0 && errno == EINTR);
	b->res = n < 0 ? -errno : (int)n;
	b->ready = true;
}

/* Wait for one I/O to finish; the index of its buffer, or -errno. */
static int dk_reap(struct dk_driver *d)
{
	struct io_uring_cqe *cqe;
	unsigned int i;
	int ret;

	if (!d->have_ring) {
		for (i = 0; i < DK_NBUF; i++) {
			if (d->buf[i].busy && d->buf[i].ready) {
				d->buf[i].ready = false;
				return i;
			}
		}
		return -EIO;
	}
	ret = io_uring_submit(&d->ring);
	if (ret < 0)
		return ret;
	do {
		ret = io_uring_wait_cqe(&d->ring, &cqe);
	} while (ret == -EINTR);
	if (ret < 0)
		return ret;
	i = (unsigned int)io_uring_cqe_get_data64(cqe);
	if (i >= DK_NBUF) {
		io_uring_cqe_seen(&d->ring, cqe);
		return -EIO;
	}
	d->buf[i].res = cqe->res;
	io_uring_cqe_seen(&d->ring, cqe);
	return i;
}

static int dk_fsync(struct dk_driver *d, struct dk_minor *dm)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret;

	if (!d->have_ring)
		return fsync(dm->fd) < 0 ? -errno : 0;
	sqe = io_uring_get_sqe(&d->ring);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_fsync(sqe, dm->fd, 0);
	io_uring_sqe_set_data64(sqe, DK_NBUF);
	ret = io_uring_submit(&d->ring);
	if (ret < 0)
		return ret;
	do {
		ret = io_uring_wait_cqe(&d->ring, &cqe);
	} while (ret == -EINTR);
	if (ret < 0)
		return ret;
	ret = cqe->res;
	io_uring_cqe_seen(&d->ring, cqe);
	return ret < 0 ? ret : 0;
}

/*
 * Move a checked request between the image and the caller's grant,
 * DK_BUF_SIZE bytes per chunk, up to DK_NBUF chunks in flight.  On the
 * first error nothing more is started; what is in flight is waited for.
 */
static int dk_transfer(struct dk_driver *d, struct dk_xfer *x)
{
	uint64_t next = 0;
	unsigned int inflight = 0, i;
	struct dk_buf *b;
	int err = 0, ret, idx;

	while (next < x->count || inflight) {
		for (i = 0; i < DK_NBUF && next < x->count && !err; i++) {
			b = &d->buf[i];
			if (b->busy)
				continue;
			b->off = next;
			b->len = x->count - next < DK_BUF_SIZE ?
				 x->count - next : DK_BUF_SIZE;
			b->done = 0;
			if (x->is_write) {
				ret = mol_safecopy_from(&d->mol, x->caller,
							x->grant, b->off,
							b->data, b->len);
				if (ret < 0) {
					err = ret;
					break;
				}
			}
			dk_start(d, x, i);
			next += b->len;
			inflight++;
		}
		if (!inflight)
			break;
		idx = dk_reap(d);
		if (idx < 0) {
			/* The ring itself failed: nothing more to wait for. */
			for (i = 0; i < DK_NBUF; i++)
				d->buf[i].busy = false;
			return idx;
		}
		b = &d->buf[idx];
		if (b->res <= 0 || (uint32_t)b->res > b->len - b->done) {
			if (!err)
				err = b->res < 0 ? b->res : -EIO;
			b->busy = false;
			inflight--;
			continue;
		}
		b->done += b->res;
		if (b->done < b->len && !err) {
			/* Short transfer: do the rest. */
			dk_start(d, x, idx);
			continue;
		}
		b->busy = false;
		inflight--;
		if (!x->is_write && !err && b->done == b->len) {
			ret = mol_safecopy_to(&d->mol, x->caller, x->grant,
					      b->off, b->data, b->len);
			if (ret < 0)
				err = ret;
		}
	}
	if (!err && next != x->count)
		err = -EIO;
	return err ? err : (int)x->count;
}

/* ---------------------------------------------------------------- */
/* Requests                                                          */
/* ---------------------------------------------------------------- */

static struct dk_minor *dk_minor(struct dk_driver *d, uint32_t minor)
{
	return minor < d->nr_minors ? &d->minor[minor] : NULL;
}

/* Fields common to every mol_bdev_req; the minor, or NULL and *@err. */
static struct dk_minor *dk_req_check(struct dk_driver *d,
				     const struct mol_bdev_req *r, int *err)
{
	struct dk_minor *dm;

	*err = -EINVAL;
	if (r->flags)
		return NULL;
	dm = dk_minor(d, r->minor);
	if (!dm)
		*err = -ENXIO;
	return dm;
}

static int dk_open(struct dk_driver *d, int src, struct mol_message *m)
{
	struct mol_bdev_req *r = MOL_BODY(m, struct mol_bdev_req);
	struct dk_minor *dm;
	int err;

	dm = dk_req_check(d, r, &err);
	if (!dm)
		return err;
	if (!r->access || (r->access & ~(BDEV_R_BIT | BDEV_W_BIT)) ||
	    r->grant || r->pos || r->count)
		return -EINVAL;
	if ((r->access & BDEV_W_BIT) && dm->rdonly)
		return -EROFS;
	dm->opens++;
	return MOL_OK;
}

static int dk_close(struct dk_driver *d, int src, struct mol_message *m)
{
	struct mol_bdev_req *r = MOL_BODY(m, struct mol_bdev_req);
	struct dk_minor *dm;
	int err;

	dm = dk_req_check(d, r, &err);
	if (!dm)
		return err;
	if (r->access || r->grant || r->pos || r->count)
		return -EINVAL;
	if (dm->opens)
		dm->opens--;
	return MOL_OK;
}

static int dk_rw(struct dk_driver *d, int src, struct mol_message *m,
		 bool is_write)
{
	struct mol_bdev_req *r = MOL_BODY(m, struct mol_bdev_req);
	struct dk_xfer x;
	int err;

	x.dm = dk_req_check(d, r, &err);
	if (!x.dm)
		return err;
	if (r->access || r->pos % BDEV_SECTOR || r->count % BDEV_SECTOR ||
	    r->count > BDEV_MAX_COUNT)
		return -EINVAL;
	/* Entirely inside the device, without overflow. */
	if (r->pos > x.dm->size || r->count > x.dm->size - r->pos)
		return -EINVAL;
	if (is_write && x.dm->rdonly)
		return -EROFS;
	if (!r->count)
		return 0;
	/*
	 * The grant must allow the whole request before any I/O: a copy of
	 * zero bytes at offset count checks it (existence, grantee, access,
	 * length), so a bad grant never leaves a WRITE half done.
	 */
	if (is_write)
		err = mol_safecopy_from(&d->mol, src, r->grant, r->count,
					d->buf[0].data, 0);
	else
		err = mol_safecopy_to(&d->mol, src, r->grant, r->count,
				      d->buf[0].data, 0);
	if (err < 0)
		return err;
	x.caller = src;
	x.grant = r->grant;
	x.pos = r->pos;
	x.count = r->count;
	x.is_write = is_write;
	return dk_transfer(d, &x);
}

static int dk_read(struct dk_driver *d, int src, struct mol_message *m)
{
	return dk_rw(d, src, m, false);
}

static int dk_write(struct dk_driver *d, int src, struct mol_message *m)
{
	return dk_rw(d, src, m, true);
}

static int dk_flush(struct dk_driver *d, int src, struct mol_message *m)
{
	struct mol_bdev_req *r = MOL_BODY(m, struct mol_bdev_req);
	struct dk_minor *dm;
	int err;

	dm = dk_req_check(d, r, &err);
	if (!dm)
		return err;
	if (r->access || r->grant || r->pos || r->count)
		return -EINVAL;
	if (dm->rdonly)
		return MOL_OK;
	return dk_fsync(d, dm);
}

static int dk_write_batch(struct dk_driver *d, int src, struct mol_message *m)
{
	struct mol_bdev_batch *r = MOL_BODY(m, struct mol_bdev_batch);
	struct dk_minor *dm;
	unsigned char *p;
	int err;

	if (r->flags || r->reserved)
		return -EINVAL;
	dm = dk_minor(d, r->minor);
	if (!dm)
		return -ENXIO;
	if (!r->nr_extents || r->count > BDEV_MAX_COUNT ||
	    r->count <= (uint64_t)r->nr_extents *
			sizeof(struct mol_bdev_extent))
		return -EINVAL;
	if (dm->rdonly)
		return -EROFS;
	if (r->count > d->batch_size) {
		p = realloc(d->batch, r->count);
		if (!p)
			return -ENOMEM;
		d->batch = p;
		d->batch_size = r->count;
	}
	/* All of it before anything is written: the caller may die. */
	err = mol_safecopy_from(&d->mol, src, r->grant, 0, d->batch,
				r->count);
	if (err < 0)
		return err;
	err = redo_check(d->batch, r->nr_extents, r->count, dm->size);
	if (err)
		return err;
	err = redo_commit(&dm->redo, d->batch, r->nr_extents, r->count);
	return err ? err : (int)r->count;
}

static int dk_info(struct dk_driver *d, int src, struct mol_message *m)
{
	struct mol_bdev_info *r = MOL_BODY(m, struct mol_bdev_info);
	struct dk_minor *dm;

	if (r->flags)
		return -EINVAL;
	dm = dk_minor(d, r->minor);
	if (!dm)
		return -ENXIO;
	r->flags = dm->rdonly ? BDEV_INFO_RDONLY : 0;
	r->size = dm->size;
	r->block_size = dm->block_size;
	r->max_count = BDEV_MAX_COUNT;
	return MOL_OK;
}

static const dk_call_t dk_calls[BDEV_NR_CALLS] = {
	[BDEV_OPEN - BDEV_BASE]		= dk_open,
	[BDEV_CLOSE - BDEV_BASE]	= dk_close,
	[BDEV_READ - BDEV_BASE]		= dk_read,
	[BDEV_WRITE - BDEV_BASE]	= dk_write,
	[BDEV_FLUSH - BDEV_BASE]	= dk_flush,
	[BDEV_INFO - BDEV_BASE]		= dk_info,
	[BDEV_WRITE_BATCH - BDEV_BASE]	= dk_write_batch,
};

/* Serve @m in place: m_type becomes the result. */
static void dk_request(struct dk_driver *d, struct mol_message *m)
{
	struct mol_bdev_req r = *MOL_BODY(m, struct mol_bdev_req);
	int call = m->m_type - BDEV_BASE, src = m->m_source, ret;

	if (call < 0 || call >= BDEV_NR_CALLS || !dk_calls[call])
		ret = -EINVAL;
	else
		ret = dk_calls[call](d, src, m);
	if (d->verbose)
		fprintf(stderr, "moldisk: from %d: call %#x minor %u pos %"
			PRIu64 " count %" PRIu64 " grant %d: %d\n", src,
			m->m_type, r.minor, (uint64_t)r.pos,
			(uint64_t)r.count, r.grant, ret);
	if (ret < 0 || m->m_type != BDEV_INFO)
		memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	m->m_type = ret;
}

/* ---------------------------------------------------------------- */
/* Set-up                                                            */
/* ---------------------------------------------------------------- */

static int dk_add_image(struct dk_driver *d, const char *path)
{
	struct dk_minor *dm = &d->minor[d->nr_minors];
	int flags = O_CLOEXEC | (d->rdonly ? O_RDONLY : O_RDWR);
	enum redo_found found;
	uint64_t size;
	struct stat st;
	int ret;

	if (d->direct)
		flags |= O_DIRECT;
	dm->path = path;
	dm->bfd = -1;
	dm->rdonly = d->rdonly;
	dm->fd = open(path, flags);
	if (dm->fd < 0 || fstat(dm->fd, &st) < 0)
		goto fail;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(dm->fd, BLKGETSIZE64, &size) < 0)
			goto fail;
	} else if (S_ISREG(st.st_mode)) {
		size = st.st_size;
	} else {
		errno = EINVAL;
		goto fail;
	}
	dm->size = size - size % BDEV_SECTOR;
	dm->block_size = st.st_blksize >= BDEV_SECTOR ? st.st_blksize : 4096;
	/* Batches go through the page cache, even with --direct. */
	dm->bfd = d->direct ? open(path, flags & ~O_DIRECT) : dm->fd;
	if (dm->bfd < 0)
		goto fail;
	ret = redo_open(&dm->redo, path, dm->bfd, dm->size, dm->rdonly,
			&found);
	if (ret) {
		fprintf(stderr, "moldisk: %s: redo log: %s\n", path,
			strerror(-ret));
		goto fail_bfd;
	}
	if (found == REDO_REPLAYED || found == REDO_DISCARDED)
		fprintf(stderr, "moldisk: %s: %s the batch left in %s\n", path,
			found == REDO_REPLAYED ? "replayed" : "discarded a torn",
			dm->redo.path);
	d->nr_minors++;
	return 0;
fail:
	fprintf(stderr, "moldisk: %s: %s\n", path, strerror(errno));
fail_bfd:
	if (dm->bfd >= 0 && dm->bfd != dm->fd)
		close(dm->bfd);
	if (dm->fd >= 0)
		close(dm->fd);
	return -1;
}

static int dk_setup_io(struct dk_driver *d)
{
	struct iovec iov[DK_NBUF];
	unsigned int i;
	int ret;

	for (i = 0; i < DK_NBUF; i++) {
		ret = posix_memalign((void **)&d->buf[i].data, DK_BUF_ALIGN,
				     DK_BUF_SIZE);
		if (ret) {
			fprintf(stderr, "moldisk: no memory for buffers\n");
			return -ret;
		}
		iov[i].iov_base = d->buf[i].data;
		iov[i].iov_len = DK_BUF_SIZE;
	}
	ret = io_uring_queue_init(DK_RING_DEPTH, &d->ring, 0);
	if (ret < 0) {
		fprintf(stderr, "moldisk: io_uring: %s; using pread/pwrite\n",
			strerror(-ret));
		return 0;
	}
	d->have_ring = true;
	ret = io_uring_register_buffers(&d->ring, iov, DK_NBUF);
	if (ret < 0 && d->verbose)
		fprintf(stderr, "moldisk: io_uring_register_buffers: %s\n",
			strerror(-ret));
	d->fixed = ret == 0;
	return 0;
}

static void dk_cleanup(struct dk_driver *d)
{
	unsigned int i;

	for (i = 0; i < d->nr_minors; i++) {
		if (!d->minor[i].rdonly && fsync(d->minor[i].fd) < 0)
			fprintf(stderr, "moldisk: %s: fsync: %s\n",
				d->minor[i].path, strerror(errno));
		redo_close(&d->minor[i].redo);
		if (d->minor[i].bfd != d->minor[i].fd)
			close(d->minor[i].bfd);
		close(d->minor[i].fd);
	}
	if (d->have_ring)
		io_uring_queue_exit(&d->ring);
	for (i = 0; i < DK_NBUF; i++)
		free(d->buf[i].data);
	free(d->batch);
}

/*
 * Reply @m to @dst (none if MOL_NONE), then receive from anyone into @m.
 * The receive gives up after DK_POLL_NS so that a SIGTERM that came
 * just before it blocked is seen (MOL_ETIMEDOUT).
 */
static int dk_ipc(struct dk_driver *d, int dst, struct mol_message *m,
		  unsigned int *status)
{
	struct molipc_ipc req;
	int ret;

	memset(&req, 0, sizeof(req));
	req.flags = MOLIPC_IPC_TIMEOUT;
	req.timeout_ns = DK_POLL_NS;
	if (dst == MOL_NONE) {
		req.endpoint = MOL_ANY;
	} else {
		req.endpoint = dst;
		req.src = MOL_ANY;
		req.msg = *m;
	}
	ret = mol_ipc(&d->mol, dst == MOL_NONE ? MOLIPC_OP_RECEIVE :
			      MOLIPC_OP_REPLY_RECV, &req);
	*m = req.msg;
	*status = req.status;
	return ret;
}

/* The driver's loop: receive, serve, reply-and-receive. */
static void dk_serve(struct dk_driver *d)
{
	struct mol_message m;
	unsigned int status;
	int ret, dst = MOL_NONE;

	while (!stop) {
		ret = dk_ipc(d, dst, &m, &status);
		if (ret == MOL_ENOTREADY || ret == MOL_EDEADSRCDST) {
			/* The caller died or gave up: nothing was received. */
			if (d->verbose)
				dk_log("reply", ret);
			ret = dk_ipc(d, MOL_NONE, &m, &status);
		}
		dst = MOL_NONE;
		if (ret == MOL_EINSTGONE || ret == MOL_ENOTBOUND)
			break;
		if (ret < 0) {
			if (ret != MOL_EINTR && ret != MOL_ETIMEDOUT)
				dk_log("receive", ret);
			continue;
		}
		if (status & MOLIPC_STATUS_NOTIFY)
			continue;
		dst = m.m_source;
		dk_request(d, &m);
		/* A plain send: nobody waits for a reply. */
		if (!(status & MOLIPC_STATUS_SENDREC))
			dst = MOL_NONE;
	}
	/* Stopping with an answer owed: it never blocks (REPLYWAIT). */
	if (dst != MOL_NONE)
		mol_sendnb(&d->mol, dst, &m);
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: moldisk [-v] [-r] [--direct] [--instance ID] IMAGE...\n"
		"MoL's disk driver: minor N is the N-th IMAGE (at most %d).\n"
		"  -i, --instance ID  instance (default: $MOL_INSTANCE)\n"
		"  -r, --read-only    serve every image read-only\n"
		"      --direct       open the images with O_DIRECT\n"
		"  -v, --verbose      log every request\n",
		DK_MAX_MINORS);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "instance", required_argument, NULL, 'i' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "direct", no_argument, NULL, 'D' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	static struct dk_driver drv;
	struct dk_driver *d = &drv;
	struct sigaction sa = { .sa_handler = on_signal };
	const char *inst = getenv("MOL_INSTANCE");
	unsigned long id;
	char *end;
	int c, ret, ep, rc = 1;

	while ((c = getopt_long(argc, argv, "i:rvh", lo, NULL)) != -1) {
		switch (c) {
		case 'i':
			inst = optarg;
			break;
		case 'r':
			d->rdonly = true;
			break;
		case 'D':
			d->direct = true;
			break;
		case 'v':
			d->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc || argc - optind > DK_MAX_MINORS) {
		usage(stderr);
		return 2;
	}
	errno = 0;
	id = inst ? strtoul(inst, &end, 10) : 0;
	if (!inst || !*inst || *end || errno || !id || id > UINT32_MAX) {
		fprintf(stderr, "moldisk: need --instance or $MOL_INSTANCE\n");
		return 2;
	}
	for (; optind < argc; optind++)
		if (dk_add_image(d, argv[optind]) < 0)
			goto out;
	if (dk_setup_io(d) < 0)
		goto out;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ret = mol_open(&d->mol, NULL);
	if (ret < 0) {
		dk_log("open", ret);
		goto out;
	}
	ret = mol_bind(&d->mol, id, MOL_ANY, &ep);
	if (ret < 0) {
		dk_log("bind", ret);
		goto out_close;
	}
	if (d->verbose)
		fprintf(stderr, "moldisk: endpoint %d, %u minors, %s\n", ep,
			d->nr_minors, !d->have_ring ? "pread/pwrite" :
			d->fixed ? "io_uring, fixed buffers" : "io_uring");
	dk_serve(d);
	rc = 0;
out_close:
	mol_close(&d->mol);
out:
	dk_cleanup(d);
	return rc;
}

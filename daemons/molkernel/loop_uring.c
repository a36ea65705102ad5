// SPDX-License-Identifier: GPL-2.0
/*
 * loop_uring.c - molkernel's io_uring event loop.
 *
 * Each listening socket has one multishot recvmsg in flight that takes
 * its buffers from a provided-buffer ring (one CQE per datagram, in
 * arrival order); each pidfd has a poll, the connector socket a multishot
 * poll; replies are queued as sendmsg
 * SQEs.  One io_uring_enter per loop iteration submits the replies of the
 * previous batch, re-arms what must be, and waits for the next events.
 */
#include <errno.h>
#include <liburing.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "molkernel.h"
#include "proto.h"

#define UR_ENTRIES	512
#define UR_NBUF		256		/* per listener, power of two */
#define UR_NAMELEN	((unsigned int)sizeof(struct sockaddr_storage))
#define UR_CTLLEN	((unsigned int)CMSG_SPACE(sizeof(struct ucred)))
#define UR_BUFSZ	(sizeof(struct io_uring_recvmsg_out) + UR_NAMELEN + \
			 UR_CTLLEN + MOLK_MAX_SIZE + 64)
#define UR_NSEND	256		/* send slots */

/* user_data: pointer | tag (pointers are 8-aligned). */
#define TAG_RECV	0UL
#define TAG_WATCH	1UL
#define TAG_SEND	2UL
#define TAG_IGNORE	3UL
#define TAG_FD		4UL
#define TAG_MASK	7UL

struct ur_listener {
	struct mkd_listener *ln;
	struct io_uring_buf_ring *br;
	size_t br_size;
	unsigned char *bufs;
	unsigned int bgid;
	struct msghdr mh;		/* namelen/controllen template */
};

struct ur_send {
	struct msghdr mh;
	struct iovec iov;
	struct sockaddr_storage addr;
	unsigned char buf[MOLK_MAX_SIZE];
	struct ur_send *next;
};

static struct io_uring ring;
static bool ring_ok;
static struct ur_send *send_slots, *send_free;
static unsigned int nr_listeners;

static struct io_uring_sqe *ur_sqe(void)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);

	if (!sqe) {
		io_uring_submit(&ring);
		sqe = io_uring_get_sqe(&ring);
	}
	return sqe;
}

static int ur_init(void)
{
	struct io_uring_params p;
	unsigned int i;
	int ret;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN |
		  IORING_SETUP_SINGLE_ISSUER;
	ret = io_uring_queue_init_params(UR_ENTRIES, &ring, &p);
	if (ret < 0) {
		memset(&p, 0, sizeof(p));
		ret = io_uring_queue_init_params(UR_ENTRIES, &ring, &p);
	}
	if (ret < 0)
		return ret;
	ring_ok = true;
	send_slots = calloc(UR_NSEND, sizeof(*send_slots));
	if (!send_slots)
		return -ENOMEM;
	for (i = 0; i < UR_NSEND; i++) {
		send_slots[i].next = send_free;
		send_free = &send_slots[i];
	}
	return 0;
}

static int ur_arm_recv(struct ur_listener *ul)
{
	struct io_uring_sqe *sqe = ur_sqe();

	if (!sqe)
		return -EBUSY;
	io_uring_prep_recvmsg_multishot(sqe, ul->ln->fd, &ul->mh, 0);
	sqe->flags |= IOSQE_BUFFER_SELECT;
	sqe->buf_group = ul->bgid;
	io_uring_sqe_set_data64(sqe, (uintptr_t)ul | TAG_RECV);
	return 0;
}

static void ur_put_buf(struct ur_listener *ul, unsigned int bid)
{
	io_uring_buf_ring_add(ul->br, ul->bufs + (size_t)bid * UR_BUFSZ,
			      UR_BUFSZ, bid, io_uring_buf_ring_mask(UR_NBUF), 0);
	io_uring_buf_ring_advance(ul->br, 1);
}

static int ur_add_listener(struct mkd_listener *ln)
{
	struct io_uring_buf_reg reg;
	struct ur_listener *ul;
	unsigned int i;
	int ret;

	ul = calloc(1, sizeof(*ul));
	if (!ul)
		return -ENOMEM;
	ul->ln = ln;
	ul->bgid = nr_listeners++;
	ul->br_size = UR_NBUF * sizeof(struct io_uring_buf);
	ul->br = mmap(NULL, ul->br_size, PROT_READ | PROT_WRITE,
		      MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	ul->bufs = malloc((size_t)UR_NBUF * UR_BUFSZ);
	if (ul->br == MAP_FAILED || !ul->bufs)
		return -ENOMEM;
	memset(&reg, 0, sizeof(reg));
	reg.ring_addr = (uintptr_t)ul->br;
	reg.ring_entries = UR_NBUF;
	reg.bgid = ul->bgid;
	ret = io_uring_register_buf_ring(&ring, &reg, 0);
	if (ret < 0)
		return ret;
	io_uring_buf_ring_init(ul->br);
	for (i = 0; i < UR_NBUF; i++)
		io_uring_buf_ring_add(ul->br, ul->bufs + (size_t)i * UR_BUFSZ,
				      UR_BUFSZ, i,
				      io_uring_buf_ring_mask(UR_NBUF), i);
	io_uring_buf_ring_advance(ul->br, UR_NBUF);
	ul->mh.msg_namelen = UR_NAMELEN;
	ul->mh.msg_controllen = ln->is_unix ? UR_CTLLEN : 0;
	ln->loop_priv = ul;
	return ur_arm_recv(ul);
}

static int ur_add_watch(struct mkd_watch *w)
{
	struct io_uring_sqe *sqe = ur_sqe();

	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_add(sqe, w->pidfd, POLLIN);
	io_uring_sqe_set_data64(sqe, (uintptr_t)w | TAG_WATCH);
	w->armed = true;
	return 0;
}

static int ur_arm_fd(struct mkd_fd *f)
{
	struct io_uring_sqe *sqe = ur_sqe();

	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_multishot(sqe, f->fd, POLLIN);
	io_uring_sqe_set_data64(sqe, (uintptr_t)f | TAG_FD);
	return 0;
}

static void ur_del_watch(struct mkd_watch *w)
{
	struct io_uring_sqe *sqe;

	w->removed = true;
	if (!w->armed) {
		mkd_watch_defer_free(w);
		return;
	}
	/* Freed when the poll's (cancelled) completion arrives. */
	sqe = ur_sqe();
	if (sqe) {
		io_uring_prep_poll_remove(sqe, (uintptr_t)w | TAG_WATCH);
		io_uring_sqe_set_data64(sqe, TAG_IGNORE);
	}
}

static int ur_send(struct mkd_listener *ln, const struct sockaddr *addr,
		   socklen_t alen, const void *buf, size_t len)
{
	struct ur_send *s = send_free;
	struct io_uring_sqe *sqe;

	if (!s || len > sizeof(s->buf) || alen > sizeof(s->addr)) {
		ssize_t n = sendto(ln->fd, buf, len,
				   MSG_DONTWAIT | MSG_NOSIGNAL, addr, alen);
		return n < 0 ? -errno : 0;
	}
	sqe = ur_sqe();
	if (!sqe)
		return -EBUSY;
	send_free = s->next;
	memcpy(s->buf, buf, len);
	memcpy(&s->addr, addr, alen);
	s->iov.iov_base = s->buf;
	s->iov.iov_len = len;
	memset(&s->mh, 0, sizeof(s->mh));
	s->mh.msg_name = &s->addr;
	s->mh.msg_namelen = alen;
	s->mh.msg_iov = &s->iov;
	s->mh.msg_iovlen = 1;
	io_uring_prep_sendmsg(sqe, ln->fd, &s->mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	io_uring_sqe_set_data64(sqe, (uintptr_t)s | TAG_SEND);
	return 0;
}

static void ur_recv_cqe(struct ur_listener *ul, struct io_uring_cqe *cqe)
{
	struct io_uring_recvmsg_out *o;
	unsigned int bid;
	struct cmsghdr *c;
	unsigned char *buf;
	struct mkd_rx rx;

	if (!(cqe->flags & IORING_CQE_F_MORE))
		ur_arm_recv(ul);		/* multishot ended: re-arm */
	if (!(cqe->flags & IORING_CQE_F_BUFFER))
		return;				/* -ENOBUFS and the like */
	bid = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
	buf = ul->bufs + (size_t)bid * UR_BUFSZ;
	if (cqe->res < 0)
		goto out;
	o = io_uring_recvmsg_validate(buf, cqe->res, &ul->mh);
	if (!o)
		goto out;
	memset(&rx, 0, sizeof(rx));
	rx.ln = ul->ln;
	rx.buf = io_uring_recvmsg_payload(o, &ul->mh);
	rx.len = io_uring_recvmsg_payload_length(o, cqe->res, &ul->mh);
	rx.truncated = o->flags & MSG_TRUNC;
	rx.addr = io_uring_recvmsg_name(o);
	rx.alen = o->namelen > UR_NAMELEN ? UR_NAMELEN : o->namelen;
	for (c = io_uring_recvmsg_cmsg_firsthdr(o, &ul->mh); c;
	     c = io_uring_recvmsg_cmsg_nexthdr(o, &ul->mh, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred uc;

			memcpy(&uc, CMSG_DATA(c), sizeof(uc));
			rx.have_creds = true;
			rx.cred_pid = uc.pid;
			rx.cred_uid = uc.uid;
		}
	}
	mkd_datagram(&rx);
out:
	ur_put_buf(ul, bid);
}

static void ur_cqe(struct io_uring_cqe *cqe)
{
	uintptr_t v = (uintptr_t)io_uring_cqe_get_data64(cqe);
	void *ptr = (void *)(v & ~TAG_MASK);

	switch (v & TAG_MASK) {
	case TAG_RECV:
		ur_recv_cqe(ptr, cqe);
		break;
	case TAG_WATCH: {
		struct mkd_watch *w = ptr;

		w->armed = false;
		if (w->removed)
			mkd_watch_defer_free(w);
		else
			mkd_watch_fired(w);
		break;
	}
	case TAG_FD: {
		struct mkd_fd *f = ptr;

		if (cqe->res < 0) {
			/* Not re-armed: it would fail again at once. */
			if (cqe->res != -ECANCELED)
				mkd_log(0, "poll of fd %d failed: %s", f->fd,
					strerror(-cqe->res));
			break;
		}
		if (!(cqe->flags & IORING_CQE_F_MORE))
			ur_arm_fd(f);		/* multishot ended: re-arm */
		f->ready(f);
		break;
	}
	case TAG_SEND: {
		struct ur_send *s = ptr;

		if (cqe->res < 0)
			mkd_log(2, "reply not sent: %s", strerror(-cqe->res));
		s->next = send_free;
		send_free = s;
		break;
	}
	default:
		break;
	}
}

static int ur_run_once(int64_t timeout_ns)
{
	struct __kernel_timespec ts, *tsp = NULL;
	struct io_uring_cqe *cqe;
	unsigned int head, n = 0;
	int ret;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tsp = &ts;
	}
	ret = io_uring_submit_and_wait_timeout(&ring, &cqe, 1, tsp, NULL);
	if (ret < 0 && ret != -ETIME && ret != -EINTR && ret != -EAGAIN &&
	    ret != -EBUSY)
		return ret;
	io_uring_for_each_cqe(&ring, head, cqe) {
		ur_cqe(cqe);
		n++;
	}
	io_uring_cq_advance(&ring, n);
	mkd_watch_reap();
	return 0;
}

/*
 * Cancel every request before the ring goes: a pending recvmsg holds
 * its socket, and the ring's own teardown is asynchronous, so without
 * this a UDP port would stay bound for a while after we exit.
 */
static void ur_fini(void)
{
	struct __kernel_timespec ts = { .tv_nsec = 200000000 };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	bool done = false;

	if (!ring_ok)
		return;
	sqe = ur_sqe();
	if (sqe) {
		io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY |
					       IORING_ASYNC_CANCEL_ALL);
		io_uring_sqe_set_data64(sqe, TAG_IGNORE | 8);
	}
	while (!done && io_uring_submit_and_wait_timeout(&ring, &cqe, 1, &ts,
							 NULL) >= 0) {
		unsigned int head, n = 0;

		io_uring_for_each_cqe(&ring, head, cqe) {
			uintptr_t v = io_uring_cqe_get_data64(cqe);

			if (v == (TAG_IGNORE | 8))
				done = true;
			else if ((v & TAG_MASK) == TAG_WATCH)
				mkd_watch_defer_free((void *)(v & ~TAG_MASK));
			n++;
		}
		io_uring_cq_advance(&ring, n);
	}
	mkd_watch_reap();
	io_uring_queue_exit(&ring);
	ring_ok = false;
}

const struct mkd_loop_ops mkd_loop_uring = {
	.name		= "uring",
	.init		= ur_init,
	.add_listener	= ur_add_listener,
	.add_watch	= ur_add_watch,
	.del_watch	= ur_del_watch,
	.add_fd		= ur_arm_fd,
	.send		= ur_send,
	.run_once	= ur_run_once,
	.fini		= ur_fini,
};

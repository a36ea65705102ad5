// SPDX-License-Identifier: GPL-2.0
/*
 * loop_epoll.c - molkernel's epoll event loop: epoll_pwait2 on the
 * listening sockets, the pidfds (one-shot: a watch fires once) and the
 * connector socket, recvmmsg to take up to MKD_BATCH datagrams per
 * wakeup, sendto for each reply.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "molkernel.h"
#include "proto.h"

#define MKD_BATCH	16
#define MKD_EVENTS	64
#define MKD_CMSG_SPACE	CMSG_SPACE(sizeof(struct ucred))

static int epfd = -1;

/* Tag listeners, watches and fds apart in epoll_data.ptr (aligned). */
#define TAG_WATCH	1UL
#define TAG_FD		2UL
#define TAG_MASK	3UL

static struct mkd_watch *zombies;

void mkd_watch_defer_free(struct mkd_watch *w)
{
	w->removed = true;
	w->next = zombies;
	zombies = w;
}

void mkd_watch_reap(void)
{
	while (zombies) {
		struct mkd_watch *w = zombies;

		zombies = w->next;
		if (w->pidfd >= 0)
			close(w->pidfd);
		free(w);
	}
}

/* Credentials and their length, from a received message's control. */
void mkd_rx_creds(struct mkd_rx *rx, struct msghdr *mh)
{
	struct cmsghdr *c;

	rx->have_creds = false;
	for (c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred uc;

			memcpy(&uc, CMSG_DATA(c), sizeof(uc));
			rx->have_creds = true;
			rx->cred_pid = uc.pid;
			rx->cred_uid = uc.uid;
		}
	}
}

static int ep_init(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	return epfd < 0 ? -errno : 0;
}

static int ep_add_listener(struct mkd_listener *ln)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = ln };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, ln->fd, &ev) ? -errno : 0;
}

static int ep_add_watch(struct mkd_watch *w)
{
	/*
	 * One-shot: a fired watch whose exit code has not come yet waits
	 * (molkernel.c) and must not be reported again meanwhile.
	 */
	struct epoll_event ev = {
		.events = EPOLLIN | EPOLLONESHOT,
		.data.ptr = (void *)((uintptr_t)w | TAG_WATCH),
	};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, w->pidfd, &ev) ? -errno : 0;
}

static void ep_del_watch(struct mkd_watch *w)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, w->pidfd, NULL);
	mkd_watch_defer_free(w);
}

static int ep_add_fd(struct mkd_fd *f)
{
	struct epoll_event ev = {
		.events = EPOLLIN,
		.data.ptr = (void *)((uintptr_t)f | TAG_FD),
	};

	return epoll_ctl(epfd, EPOLL_CTL_ADD, f->fd, &ev) ? -errno : 0;
}

static int ep_send(struct mkd_listener *ln, const struct sockaddr *addr,
		   socklen_t alen, const void *buf, size_t len)
{
	ssize_t n = sendto(ln->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL,
			   addr, alen);

	return n < 0 ? -errno : 0;
}

static void ep_read(struct mkd_listener *ln)
{
	static unsigned char bufs[MKD_BATCH][MOLK_MAX_SIZE + 1];
	static unsigned char ctl[MKD_BATCH][MKD_CMSG_SPACE];
	static struct sockaddr_storage addrs[MKD_BATCH];
	struct mmsghdr mm[MKD_BATCH];
	struct iovec iov[MKD_BATCH];
	int i, n;

	do {
		for (i = 0; i < MKD_BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = &addrs[i];
			mm[i].msg_hdr.msg_namelen = sizeof(addrs[i]);
			mm[i].msg_hdr.msg_control = ctl[i];
			mm[i].msg_hdr.msg_controllen = sizeof(ctl[i]);
		}
		n = recvmmsg(ln->fd, mm, MKD_BATCH, MSG_DONTWAIT, NULL);
		for (i = 0; i < n; i++) {
			struct mkd_rx rx = {
				.ln = ln,
				.buf = bufs[i],
				.len = mm[i].msg_len,
				.truncated = mm[i].msg_hdr.msg_flags & MSG_TRUNC,
				.addr = (struct sockaddr *)&addrs[i],
				.alen = mm[i].msg_hdr.msg_namelen,
			};

			mkd_rx_creds(&rx, &mm[i].msg_hdr);
			mkd_datagram(&rx);
		}
	} while (n == MKD_BATCH);
}

static int ep_run_once(int64_t timeout_ns)
{
	struct epoll_event evs[MKD_EVENTS];
	struct timespec ts, *tsp = NULL;
	int i, n;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tsp = &ts;
	}
	n = epoll_pwait2(epfd, evs, MKD_EVENTS, tsp, NULL);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++) {
		uintptr_t v = (uintptr_t)evs[i].data.ptr;
		void *ptr = (void *)(v & ~TAG_MASK);

		if ((v & TAG_MASK) == TAG_WATCH) {
			struct mkd_watch *w = ptr;

			if (!w->removed)
				mkd_watch_fired(w);
		} else if ((v & TAG_MASK) == TAG_FD) {
			struct mkd_fd *f = ptr;

			f->ready(f);
		} else {
			ep_read(ptr);
		}
	}
	mkd_watch_reap();
	return 0;
}

static void ep_fini(void)
{
	mkd_watch_reap();
	if (epfd >= 0)
		close(epfd);
	epfd = -1;
}

const struct mkd_loop_ops mkd_loop_epoll = {
	.name		= "epoll",
	.init		= ep_init,
	.add_listener	= ep_add_listener,
	.add_watch	= ep_add_watch,
	.del_watch	= ep_del_watch,
	.add_fd		= ep_add_fd,
	.send		= ep_send,
	.run_once	= ep_run_once,
	.fini		= ep_fini,
};

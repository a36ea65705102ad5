/* SPDX-License-Identifier: GPL-2.0 */
/*
 * molkernel.h - what the daemon's parts share: listeners, pid watches,
 * received datagrams and the two event loops (epoll, io_uring).
 */
#ifndef MOLKERNEL_H
#define MOLKERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

struct mkd_listener {
	int fd;
	int index;
	bool is_unix;
	char name[128];			/* "unix:/path", "udp:host:port" */
	void *loop_priv;		/* the event loop's */
};

enum mkd_watch_kind {
	MKD_WATCH_PROC,			/* a registered or bound slot */
	MKD_WATCH_CLIENT,		/* a bound client */
};

struct mkd_watch {
	int pidfd;
	pid_t pid;
	enum mkd_watch_kind kind;
	void *obj;			/* struct mk_proc or struct client */
	bool removed;			/* deleted; freed after the batch */
	bool armed;			/* io_uring: poll in flight */
	struct mkd_watch *next;		/* deferred-free list */
};

struct mkd_rx {
	struct mkd_listener *ln;
	const void *buf;
	size_t len;
	bool truncated;
	const struct sockaddr *addr;
	socklen_t alen;
	bool have_creds;
	pid_t cred_pid;
	uid_t cred_uid;
};

/* molkernel.c: the loops call these. */
void mkd_datagram(const struct mkd_rx *rx);
void mkd_watch_fired(struct mkd_watch *w);
void mkd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct mkd_loop_ops {
	const char *name;
	int (*init)(void);
	int (*add_listener)(struct mkd_listener *ln);
	int (*add_watch)(struct mkd_watch *w);
	/* Stop watching; w and its pidfd are freed once safe. */
	void (*del_watch)(struct mkd_watch *w);
	int (*send)(struct mkd_listener *ln, const struct sockaddr *addr,
		    socklen_t alen, const void *buf, size_t len);
	/* Wait up to timeout_ns (-1: no limit) and handle what came. */
	int (*run_once)(int64_t timeout_ns);
	void (*fini)(void);
};

extern const struct mkd_loop_ops mkd_loop_epoll;
#ifdef MOLK_HAVE_URING
extern const struct mkd_loop_ops mkd_loop_uring;
#endif

/* loop.c: deferred freeing of deleted watches, shared by the loops. */
void mkd_watch_defer_free(struct mkd_watch *w);
void mkd_watch_reap(void);
/* SCM_CREDENTIALS of a received message into rx. */
void mkd_rx_creds(struct mkd_rx *rx, struct msghdr *mh);

#endif /* MOLKERNEL_H */

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

#include "list.h"

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

	/* The exit code, from the process-events connector (procev.c). */
	struct mkd_watch *pid_next;	/* watches by pid */
	uint64_t since_ns;		/* CLOCK_MONOTONIC before pidfd_open */
	uint64_t exit_ns, exec_ns;	/* timestamps of the events taken */
	int exit_status;		/* wait status, when have_exit */
	bool have_exit;
	bool waiting;			/* pidfd fired, the event not yet */
	uint64_t wait_until;
	struct list_head wait_link;
};

/* Another descriptor the loop polls for input (the connector socket). */
struct mkd_fd {
	int fd;
	void (*ready)(struct mkd_fd *f);	/* drain it (non-blocking) */
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
/* procev.c calls these for the connector's events (pids of init_pid_ns). */
void mkd_proc_exited(pid_t pid, int status, uint64_t ts_ns);
void mkd_proc_execed(pid_t pid, uint64_t ts_ns);
void mkd_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct mkd_loop_ops {
	const char *name;
	int (*init)(void);
	int (*add_listener)(struct mkd_listener *ln);
	int (*add_watch)(struct mkd_watch *w);
	/* Stop watching; w and its pidfd are freed once safe. */
	void (*del_watch)(struct mkd_watch *w);
	/* Poll f->fd for input as long as the loop runs. */
	int (*add_fd)(struct mkd_fd *f);
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

/*
 * procev.c: exit codes from the process-events connector.  open
 * subscribes (false: unavailable, logged once); read drains the socket
 * and reports exits and execs of thread-group leaders; close
 * unsubscribes.
 */
bool mkd_procev_open(const struct mkd_loop_ops *loop);
void mkd_procev_read(void);
bool mkd_procev_active(void);
void mkd_procev_close(void);
void mkd_procev_stats(uint64_t *events, uint64_t *bad, uint64_t *lost);

#endif /* MOLKERNEL_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * procev.c - exit codes from the kernel's process-events connector.
 *
 * molkernel is not the parent of the processes it watches, so it cannot
 * wait for them, and once the parent has reaped a zombie /proc/PID/stat
 * is gone (PIDFD_INFO_EXIT keeps the code only from Linux 6.15).  The
 * connector (NETLINK_CONNECTOR, CN_IDX_PROC) multicasts an event for each
 * task that exits, with task->exit_code: what the module reads from the
 * exiting task, and what waitpid reports for a thread-group leader (the
 * wait status: exit code << 8, or the signal | 0x80 for a core dump).
 *
 * Subscribing needs CAP_NET_ADMIN (before Linux 6.6) and molkernel in
 * the initial user and pid namespaces (the events carry init_pid_ns
 * pids); the kernel answers PROC_CN_MCAST_LISTEN with an acknowledgement
 * (what == PROC_EVENT_NONE, ack = ours + 1), which tells us it worked.
 * Since Linux 6.6 a socket may filter the events (struct proc_input):
 * molkernel asks for exits and execs only, after the plain LISTEN (a
 * filtered socket never sees the acknowledgement; older kernels ignore
 * the longer request and send everything).
 *
 * Everything read is checked: the sender (port 0, the kernel), the
 * netlink header, the connector id and lengths, and the event's.  Only
 * thread-group leaders' exits (process_pid == process_tgid) are passed on,
 * and molkernel.c keeps them only for pids it watches.
 */
#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "molkernel.h"

#define PE_BATCH	16		/* datagrams per recvmmsg */
#define PE_BUFSZ	1024		/* one event is < 100 bytes */
#define PE_RCVBUF	(4 << 20)	/* queued events before ENOBUFS */
#define PE_ACK_WAIT_MS	500		/* for the LISTEN acknowledgement */

/* Linux 6.6+ struct proc_input: LISTEN with an event filter. */
struct pe_proc_input {
	uint32_t mcast_op;
	uint32_t event_type;
};

/* What molkernel reads of an event: up to exit_signal of the exit. */
#define PE_EVENT_MIN	(offsetof(struct proc_event, event_data) + \
			 offsetof(struct exit_proc_event, exit_signal) + \
			 sizeof(uint32_t))

static int nl_fd = -1;
static uint32_t nl_cookie;		/* our LISTEN's cn_msg ack */
static struct mkd_fd nl_mfd;
static uint64_t nr_events, nr_bad, nr_lost;

bool mkd_procev_active(void)
{
	return nl_fd >= 0;
}

void mkd_procev_stats(uint64_t *events, uint64_t *bad, uint64_t *lost)
{
	*events = nr_events;
	*bad = nr_bad;
	*lost = nr_lost;
}

static int pe_send_op(const void *op, uint16_t len, uint32_t ack)
{
	union {
		struct nlmsghdr h;
		unsigned char b[NLMSG_SPACE(sizeof(struct cn_msg) + 8)];
	} req;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct cn_msg cn;

	if (len > 8)
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(sizeof(cn) + len);
	req.h.nlmsg_type = NLMSG_DONE;
	memset(&cn, 0, sizeof(cn));
	cn.id.idx = CN_IDX_PROC;
	cn.id.val = CN_VAL_PROC;
	cn.ack = ack;
	cn.len = len;
	memcpy(NLMSG_DATA(&req.h), &cn, sizeof(cn));
	memcpy((unsigned char *)NLMSG_DATA(&req.h) + sizeof(cn), op, len);
	if (sendto(nl_fd, &req, req.h.nlmsg_len, MSG_NOSIGNAL,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

/*
 * One event of the connector, checked; 0 if it was one, else -1.
 * ack_err: where an acknowledgement of our LISTEN puts its error.
 */
static int pe_event(const unsigned char *p, size_t plen, int *ack_err)
{
	struct proc_event ev;
	struct cn_msg cn;

	if (plen < sizeof(cn))
		return -1;
	memcpy(&cn, p, sizeof(cn));
	if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC ||
	    cn.len > plen - sizeof(cn) || cn.len < PE_EVENT_MIN)
		return -1;
	memset(&ev, 0, sizeof(ev));
	memcpy(&ev, p + sizeof(cn), cn.len < sizeof(ev) ? cn.len : sizeof(ev));

	switch (ev.what) {
	case PROC_EVENT_NONE:
		if (ack_err && cn.ack == nl_cookie + 1)
			*ack_err = (int)ev.event_data.ack.err;
		break;
	case PROC_EVENT_EXIT: {
		pid_t pid = ev.event_data.exit.process_pid;
		uint32_t st = ev.event_data.exit.exit_code;

		/* Threads other than the leader: not a process's end. */
		if (pid <= 0 || pid != ev.event_data.exit.process_tgid)
			break;
		/*
		 * A wait status: the exit code in bits 8-15, or a signal
		 * (not 0x7f, "stopped") and the core-dump bit 0x80.
		 */
		if (st > 0xffff ||
		    ((st & 0x7f) ? (st >> 8) || (st & 0x7f) == 0x7f :
				   (st & 0x80)))
			return -1;
		mkd_proc_exited(pid, (int)st, ev.timestamp_ns);
		break;
	}
	case PROC_EVENT_EXEC: {
		pid_t pid = ev.event_data.exec.process_pid;

		if (pid > 0 && pid == ev.event_data.exec.process_tgid)
			mkd_proc_execed(pid, ev.timestamp_ns);
		break;
	}
	default:			/* fork, uid, comm, ... (before 6.6) */
		break;
	}
	return 0;
}

/* The netlink messages of one datagram from the kernel. */
static void pe_datagram(const unsigned char *buf, size_t len, int *ack_err)
{
	while (len >= NLMSG_HDRLEN) {
		struct nlmsghdr h;
		size_t step;

		memcpy(&h, buf, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len) {
			nr_bad++;
			return;
		}
		/* The connector sends each event as one NLMSG_DONE. */
		if (h.nlmsg_type != NLMSG_DONE || h.nlmsg_pid != 0 ||
		    pe_event(buf + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN,
			     ack_err))
			nr_bad++;
		else
			nr_events++;
		step = NLMSG_ALIGN(h.nlmsg_len);
		if (step >= len)
			return;
		buf += step;
		len -= step;
	}
	if (len)
		nr_bad++;
}

/* Drain the socket; returns -errno of a failure other than EAGAIN. */
static int pe_drain(int *ack_err)
{
	static unsigned char bufs[PE_BATCH][PE_BUFSZ]
		__attribute__((aligned(8)));
	static uint64_t lost_logged;
	struct sockaddr_nl addrs[PE_BATCH];
	struct mmsghdr mm[PE_BATCH];
	struct iovec iov[PE_BATCH];
	int i, n;

	if (nl_fd < 0)
		return 0;
	for (;;) {
		for (i = 0; i < PE_BATCH; i++) {
			iov[i].iov_base = bufs[i];
			iov[i].iov_len = sizeof(bufs[i]);
			memset(&mm[i], 0, sizeof(mm[i]));
			mm[i].msg_hdr.msg_iov = &iov[i];
			mm[i].msg_hdr.msg_iovlen = 1;
			mm[i].msg_hdr.msg_name = &addrs[i];
			mm[i].msg_hdr.msg_namelen = sizeof(addrs[i]);
		}
		n = recvmmsg(nl_fd, mm, PE_BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno != ENOBUFS)
				return -errno;
			/* The queue overflowed: events were lost. */
			nr_lost++;
			if (nr_lost == 1 || nr_lost >= 2 * lost_logged) {
				mkd_log(1, "process events lost (%llu times): "
					"a watch without its event waits and "
					"falls back", (unsigned long long)nr_lost);
				lost_logged = nr_lost;
			}
			continue;
		}
		for (i = 0; i < n; i++) {
			const struct msghdr *mh = &mm[i].msg_hdr;

			if (mh->msg_namelen < sizeof(addrs[i]) ||
			    addrs[i].nl_family != AF_NETLINK ||
			    addrs[i].nl_pid != 0 ||
			    (mh->msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
				nr_bad++;	/* not the kernel's, or cut */
				continue;
			}
			pe_datagram(bufs[i], mm[i].msg_len, ack_err);
		}
		if (n < PE_BATCH)
			return 0;
	}
}

void mkd_procev_read(void)
{
	int ret = pe_drain(NULL);

	if (ret) {
		mkd_log(0, "process events: %s; exit codes from /proc now",
			strerror(-ret));
		close(nl_fd);
		nl_fd = -1;
	}
}

static void pe_ready(struct mkd_fd *f)
{
	mkd_procev_read();
}

static uint64_t pe_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* LISTEN and wait for the kernel's acknowledgement: 0 or an errno. */
static int pe_listen(void)
{
	uint32_t op = PROC_CN_MCAST_LISTEN;
	struct pe_proc_input in = {
		.mcast_op = PROC_CN_MCAST_LISTEN,
		.event_type = PROC_EVENT_EXIT | PROC_EVENT_EXEC,
	};
	uint64_t end = pe_mono_ms() + PE_ACK_WAIT_MS, now;
	int ack_err = -1, ret;

	nl_cookie = (uint32_t)getpid() * 2654435761u ^ (uint32_t)end;
	ret = pe_send_op(&op, sizeof(op), nl_cookie);
	if (ret)
		return -ret;
	/* The kernel answers at once, from our sendto; wait a little. */
	while (ack_err < 0 && (now = pe_mono_ms()) < end) {
		struct pollfd pfd = { .fd = nl_fd, .events = POLLIN };

		if (poll(&pfd, 1, (int)(end - now)) < 0 && errno != EINTR)
			return errno;
		ret = pe_drain(&ack_err);
		if (ret)
			return -ret;
	}
	if (ack_err < 0)
		return ETIMEDOUT;	/* not answered: another namespace */
	if (ack_err)
		return ack_err;
	/* Linux 6.6+: exits and execs only; earlier kernels ignore it. */
	pe_send_op(&in, sizeof(in), nl_cookie + 2);
	return 0;
}

/* The initial namespaces' inode numbers (PROC_*_INIT_INO, fixed). */
#define PE_USER_INIT_INO	0xEFFFFFFDU
#define PE_PID_INIT_INO		0xEFFFFFFCU

static bool pe_ns_is(const char *path, unsigned int ino)
{
	struct stat st;

	return !stat(path, &st) && st.st_ino == ino;
}

bool mkd_procev_open(const struct mkd_loop_ops *loop)
{
	struct sockaddr_nl sa = {
		.nl_family = AF_NETLINK,
		.nl_groups = CN_IDX_PROC,
	};
	int sz = PE_RCVBUF, ret;
	const char *what;

	/* The kernel would not even answer: do not wait for it. */
	if (!pe_ns_is("/proc/self/ns/user", PE_USER_INIT_INO) ||
	    !pe_ns_is("/proc/self/ns/pid", PE_PID_INIT_INO)) {
		mkd_log(1, "process events connector unavailable (not in "
			"the initial user and pid namespaces); exit codes "
			"from /proc and PIDFD_INFO_EXIT only");
		return false;
	}
	nl_fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       NETLINK_CONNECTOR);
	if (nl_fd < 0) {
		what = "socket";
		ret = errno;
		goto fail;
	}
	if (setsockopt(nl_fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(nl_fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(nl_fd, (struct sockaddr *)&sa, sizeof(sa))) {
		what = "bind";
		ret = errno;
		goto fail;
	}
	ret = pe_listen();
	if (ret) {
		what = "PROC_CN_MCAST_LISTEN";
		goto fail;
	}
	nl_mfd.fd = nl_fd;
	nl_mfd.ready = pe_ready;
	ret = -loop->add_fd(&nl_mfd);
	if (ret) {
		what = "event loop";
		mkd_procev_close();
		goto fail;
	}
	mkd_log(2, "process events connector: exit codes from the kernel");
	return true;

fail:
	mkd_log(1, "process events connector unavailable (%s: %s); exit "
		"codes from /proc and PIDFD_INFO_EXIT only", what,
		strerror(ret));
	if (nl_fd >= 0)
		close(nl_fd);
	nl_fd = -1;
	return false;
}

void mkd_procev_close(void)
{
	uint32_t op = PROC_CN_MCAST_IGNORE;

	if (nl_fd < 0)
		return;
	/* The kernel counts listeners; give ours back. */
	pe_send_op(&op, sizeof(op), nl_cookie + 4);
	close(nl_fd);
	nl_fd = -1;
}

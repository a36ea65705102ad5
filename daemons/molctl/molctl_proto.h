/* SPDX-License-Identifier: GPL-2.0 */
/*
 * molctl_proto.h - the control sockets of a MoL instance, spoken by
 * molctl (client), molsystem (system.sock) and molinit (init.sock).
 * Not MINIX messages: these are Linux-side control requests, one
 * request per SOCK_SEQPACKET packet, all under /run/mol/<instance>/
 * (mode 0600, root only).  See Documentation/architecture.md.
 *
 * system.sock: one request per connection, one or more reply packets:
 *   MOLCTL_PS        -> one MOLCTL_PS packet per used slot
 *                       (struct molctl_slot), then an empty one
 *   MOLCTL_ATTACH    -> register the caller's Linux pid (SO_PEERCRED)
 *                       for a free user slot (struct molctl_attach)
 *   MOLCTL_DETACH    -> unregister the caller's slot
 *   MOLCTL_SHUTDOWN  -> the instance shuts down
 * init.sock:
 *   MOLCTL_RUN       struct molctl_run + strings, 3 fds (SCM_RIGHTS);
 *                    then MOLCTL_SIGNAL packets may follow; the reply
 *                    is one MOLCTL_STATUS (arg = wait status, or
 *                    -errno if the program could not be started)
 *   MOLCTL_JOBS      -> struct molctl_job rows, then an empty packet
 */
#ifndef MOLCTL_PROTO_H
#define MOLCTL_PROTO_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <unistd.h>

#define MOLCTL_MAGIC		0x4d6f4c43	/* "MoLC" */
#define MOLCTL_RUN_BASE		"/run/mol"	/* $MOL_RUN_BASE overrides */
#define MOLCTL_MAX_PACKET	(64 * 1024)

enum molctl_type {
	MOLCTL_RUN = 1,
	MOLCTL_SIGNAL,		/* arg: signal to send to the program */
	MOLCTL_STATUS,		/* arg: wait status or -errno */
	MOLCTL_JOBS,
	MOLCTL_PS,
	MOLCTL_ATTACH,		/* arg: MOLCTL_ATTACH_* */
	MOLCTL_DETACH,
	MOLCTL_SHUTDOWN,
	MOLCTL_TTY,		/* to moltty: the terminal (one descriptor) */
};

/* Privileges of an attached (temporary) endpoint. */
#define MOLCTL_ATTACH_USER	0	/* sendrec to PM and FS */
#define MOLCTL_ATTACH_PROBE	1	/* also to SYSTEM (no kernel calls) */

struct molctl_hdr {
	uint32_t magic;
	uint32_t type;
	int32_t arg;		/* request argument or result (-errno) */
	uint32_t len;		/* payload bytes after the header */
};

/* MOLCTL_RUN payload: then cwd, argv[argc], envp[envc], NUL-ended. */
struct molctl_run {
	uint32_t argc;
	uint32_t envc;
	uint32_t tty;		/* MOLCTL_RUN_TTY(fd): fd is the terminal */
	uint32_t pad;
};

/*
 * The program's descriptor fd (0, 1, 2) is the terminal moltty serves
 * (molctl handed it over), not the descriptor passed: the child becomes
 * a session leader with /dev/console as its controlling terminal.
 */
#define MOLCTL_RUN_TTY(fd)	(1U << (fd))

/* MOLCTL_ATTACH reply. */
struct molctl_attach {
	uint32_t instance;
	int32_t endpoint;
	char transport[8];
	char addr[108];
};

/* MOLCTL_PS reply row: the IPC layer's view of one slot. */
struct molctl_slot {
	int32_t slot;
	int32_t endpoint;
	int32_t pid;		/* Linux pid */
	uint32_t state;		/* MOLIPC_PSTATE_* */
	int32_t peer;
	uint32_t pad;
	uint64_t sent, received, notifies, errors;
	char name[16];		/* "system", "clock", "pm", "init", "user" */
};

/* MOLCTL_JOBS reply row: a program molinit runs. */
struct molctl_job {
	int32_t pid;		/* Linux pid */
	uint32_t pad;
	char name[32];
};

/* Send one packet: header + payload, with @nfds descriptors. */
static inline int molctl_send(int sock, uint32_t type, int32_t arg,
			      const void *buf, size_t len,
			      const int *fds, int nfds)
{
	struct molctl_hdr h = {
		.magic = MOLCTL_MAGIC, .type = type, .arg = arg,
		.len = (uint32_t)len,
	};
	union {
		struct cmsghdr c;
		char b[CMSG_SPACE(3 * sizeof(int))];
	} u;
	struct iovec iov[2] = {
		{ .iov_base = &h, .iov_len = sizeof(h) },
		{ .iov_base = (void *)buf, .iov_len = len },
	};
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	ssize_t n;

	if (nfds > 0 && nfds <= 3) {
		struct cmsghdr *c;

		memset(&u, 0, sizeof(u));
		msg.msg_control = u.b;
		msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	do
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return n == (ssize_t)(sizeof(h) + len) ? 0 : -EMSGSIZE;
}

/*
 * Receive one packet into @buf (@size bytes with the header); up to 3
 * descriptors into @fds (unused ones -1), their number in *@nfds.
 * Returns the payload length, 0 for EOF with *@nfds untouched (check
 * h->magic), or -errno.  A packet with a bad header is -EPROTO.
 */
static inline int molctl_recv(int sock, struct molctl_hdr *h, void *buf,
			      size_t size, int *fds, int *nfds)
{
	union {
		struct cmsghdr c;
		char b[CMSG_SPACE(3 * sizeof(int))];
	} u;
	struct iovec iov[2] = {
		{ .iov_base = h, .iov_len = sizeof(*h) },
		{ .iov_base = buf, .iov_len = size },
	};
	struct msghdr msg = {
		.msg_iov = iov, .msg_iovlen = 2,
		.msg_control = u.b, .msg_controllen = sizeof(u.b),
	};
	struct cmsghdr *c;
	ssize_t n;
	int i;

	if (nfds)
		*nfds = 0;
	for (i = 0; fds && i < 3; i++)
		fds[i] = -1;
	memset(h, 0, sizeof(*h));
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		int got, *p = (int *)(void *)CMSG_DATA(c);

		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		got = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < got; i++) {
			if (fds && nfds && *nfds < 3)
				fds[(*nfds)++] = p[i];
			else
				close(p[i]);
		}
	}
	if (n == 0)
		return 0;
	if ((size_t)n < sizeof(*h) || h->magic != MOLCTL_MAGIC ||
	    h->len != (size_t)n - sizeof(*h) || (msg.msg_flags & MSG_TRUNC))
		return -EPROTO;
	return (int)h->len;
}

/* Connect a SOCK_SEQPACKET socket to @path. */
static inline int molctl_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Listen on @path (removed first), mode 0600. */
static inline int molctl_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, err;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0600) < 0 || listen(fd, 16) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

/*
 * A disk argument, IMAGE[:MOUNTPOINT] (molctl up --disk, [disks] disk =,
 * molsystem --disk): split at the last ':' when what follows it is
 * empty or starts with '/' (so "a:b.img" is an image, "a:/b.img:" the
 * image "a:/b.img" without mount point).  Returns the length of IMAGE;
 * *mnt is the mount point inside @arg ("" for none).
 */
static inline size_t molctl_disk_split(const char *arg, const char **mnt)
{
	const char *c = strrchr(arg, ':');

	if (c && (!c[1] || c[1] == '/')) {
		*mnt = c + 1;
		return c - arg;
	}
	*mnt = arg + strlen(arg);
	return strlen(arg);
}

#endif /* MOLCTL_PROTO_H */

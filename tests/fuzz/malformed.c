// SPDX-License-Identifier: GPL-2.0
/*
 * malformed.c - molk-malformed: throw bad datagrams at a live molkernel.
 *
 * MOL_TRANSPORT (unix or udp) and MOL_KERNEL_ADDR say where molkernel
 * is.  The test creates an instance (it is its system task) with an echo
 * server, then sends from a raw socket: short datagrams, a wrong magic,
 * version, length and op, replies, non-zero reserved fields, a forged
 * endpoint, a forged pid (unix), replayed and old sequence numbers, a
 * CANCEL of nothing and random garbage.  It checks that each was dropped
 * under its reason (MOLK_OP_STATS counters), that molkernel is alive,
 * and that nothing changed: the echo server's slot (PROCINFO) is as it
 * was and a sendrec through it still works.
 *
 * Prints "molk-malformed <transport>: N passed, N failed".
 */
#include <endian.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mol.h"
#include <linux/molkernel_proto.h>

#define ECHO_SLOT	40
#define RANDOM_DGRAMS	2000

static int passed, failed;
static const char *transport;
static int raw_fd;
static uint32_t raw_seq = 5000;

#define T(cond, ...) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("FAIL %s:%d: ", __func__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

/* A request in wire format (little-endian host assumed, as MoL). */
struct dgram {
	struct molk_hdr h;
	struct mol_message msg;
	unsigned char arg[MOLK_MAX_SIZE - MOLK_BASE_SIZE];
};

static size_t build(struct dgram *d, uint32_t op, uint32_t seq)
{
	int asz = molk_arg_size(op);

	memset(d, 0, sizeof(*d));
	d->h.magic = htole32(MOLK_MAGIC);
	d->h.version = htole16(MOLK_VERSION);
	d->h.length = htole16(MOLK_BASE_SIZE + (asz > 0 ? asz : 0));
	d->h.op = htole32(op);
	d->h.pid = htole32(getpid());
	d->h.seq = htole32(seq);
	d->h.endpoint = MOL_NONE;
	return MOLK_BASE_SIZE + (asz > 0 ? asz : 0);
}

static int open_raw(void)
{
	const char *a = getenv("MOL_KERNEL_ADDR");
	int fd;

	if (!strcmp(transport, "unix")) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s",
			 a && *a ? a : MOLK_DEFAULT_UNIX_PATH);
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa,
				   sizeof(sa_family_t)) ||
		    connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return -1;
	} else {
		struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res;
		char host[256], *colon;

		snprintf(host, sizeof(host), "%s",
			 a && *a ? a : MOLK_DEFAULT_UDP_ADDR);
		colon = strrchr(host, ':');
		if (!colon)
			return -1;
		*colon = 0;
		if (getaddrinfo(host, colon + 1, &hints, &res))
			return -1;
		fd = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen))
			return -1;
		freeaddrinfo(res);
	}
	return fd;
}

static void raw_send(const void *buf, size_t len)
{
	if (send(raw_fd, buf, len, 0) < 0)
		perror("send");
}

/* Send d and wait for the reply to its seq (or time out). */
static int raw_call(struct dgram *d, size_t len, struct dgram *r, int ms)
{
	uint32_t seq = le32toh(d->h.seq);

	raw_send(d, len);
	for (;;) {
		struct pollfd pfd = { .fd = raw_fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, ms) <= 0)
			return -ETIMEDOUT;
		n = recv(raw_fd, r, sizeof(*r), 0);
		if (n >= MOLK_HDR_SIZE && le32toh(r->h.seq) == seq &&
		    (le32toh(r->h.op) & MOLK_OP_REPLY))
			return (int)n;
	}
}

/* molkernel's counters, asked on the raw socket (after what it sent). */
static int stats(struct molk_stats *st)
{
	struct dgram d, r;
	size_t len = build(&d, MOLK_OP_STATS, ++raw_seq);

	if (raw_call(&d, len, &r, 2000) < 0)
		return -1;
	memcpy(st, r.arg, sizeof(*st));
	return 0;
}

static void echo_server(unsigned int instance)
{
	struct mol mol;
	struct mol_message m;

	if (mol_open(&mol, transport) || mol_bind(&mol, instance, MOL_ANY,
						  NULL))
		_exit(1);
	for (;;) {
		unsigned int st;

		if (mol_receive(&mol, MOL_ANY, &m, &st))
			_exit(2);
		if (st & MOLIPC_STATUS_NOTIFY)
			continue;
		m.m_type += 1;
		mol_send(&mol, m.m_source, &m);
	}
}

static int echo(struct mol *sys, int ep, int v)
{
	struct mol_message m = { .m_type = v };
	int ret = mol_sendrec(sys, ep, &m);

	return ret ? ret : m.m_type;
}

int main(void)
{
	static const struct molipc_priv all = {
		.send_mask = { ~0ULL, ~0ULL },
		.trap_mask = MOLIPC_TRAPS_ALL,
		.flags = MOLIPC_PRIV_SEND_USERS,
	};
	struct molipc_procinfo pi0, pi1;
	struct molk_stats s0, s1;
	struct dgram d, r;
	struct mol sys;
	unsigned int inst, i;
	int echo_ep, go[2];
	size_t len;
	pid_t pid;
	char c;

	transport = getenv("MOL_TRANSPORT");
	if (!transport || (strcmp(transport, "unix") && strcmp(transport, "udp"))) {
		fprintf(stderr, "molk-malformed: MOL_TRANSPORT must be unix or udp\n");
		return 2;
	}
	if (mol_open(&sys, transport)) {
		fprintf(stderr, "molk-malformed: no molkernel at %s\n",
			getenv("MOL_KERNEL_ADDR") ?: "the default address");
		return 1;
	}
	T(!mol_create_instance(&sys, 0, &inst), "create instance");
	if (pipe(go))
		return 1;
	pid = fork();
	if (!pid) {
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		echo_server(inst);
	}
	T(!mol_register(&sys, pid, ECHO_SLOT, &all, &echo_ep), "register");
	if (write(go[1], "x", 1) != 1)
		return 1;
	/* Wait until the server has bound its endpoint. */
	for (i = 0; i < 500; i++) {
		pi0.slot = ECHO_SLOT;
		pi0.flags = 0;
		if (!mol_procinfo(&sys, &pi0) &&
		    pi0.state != MOLIPC_PSTATE_REGISTERED)
			break;
		usleep(10000);
	}
	T(echo(&sys, echo_ep, 100) == 101, "echo before");

	raw_fd = open_raw();
	T(raw_fd >= 0, "raw socket");
	T(!stats(&s0), "stats before");
	pi0.slot = ECHO_SLOT;
	pi0.flags = 0;
	T(!mol_procinfo(&sys, &pi0), "procinfo before");

	/* Framing. */
	len = build(&d, MOLK_OP_VERSION, ++raw_seq);
	raw_send(&d, 10);				/* short */
	raw_send(&d, 0);				/* empty */
	d.h.magic = htole32(0xdeadbeef);
	raw_send(&d, len);				/* magic */
	build(&d, MOLK_OP_VERSION, ++raw_seq);
	d.h.version = htole16(MOLK_VERSION + 1);
	raw_send(&d, len);				/* version */
	build(&d, MOLK_OP_VERSION, ++raw_seq);
	d.h.length = htole16(len + 4);
	raw_send(&d, len);				/* length field */
	build(&d, MOLK_OP_VERSION, ++raw_seq);
	raw_send(&d, len - 1);				/* size for op */
	build(&d, MOLK_OP_SEND, ++raw_seq);
	d.h.length = htole16(MOLK_BASE_SIZE + 8);
	raw_send(&d, MOLK_BASE_SIZE + 8);		/* IPC with an arg */
	build(&d, 0x77, ++raw_seq);
	d.h.length = htole16(MOLK_BASE_SIZE);
	raw_send(&d, MOLK_BASE_SIZE);			/* unknown op */
	len = build(&d, MOLK_OP_VERSION, ++raw_seq);
	d.h.op = htole32(MOLK_OP_VERSION | MOLK_OP_REPLY);
	raw_send(&d, len);				/* a reply */
	build(&d, MOLK_OP_VERSION, ++raw_seq);
	d.h.reserved = htole32(1);
	raw_send(&d, len);				/* reserved */
	build(&d, MOLK_OP_VERSION, ++raw_seq);
	d.h.ret = htole32(-1);
	raw_send(&d, len);				/* ret in a request */
	build(&d, MOLK_OP_VERSION, ++raw_seq);
	d.h.peer = htole32(5);
	raw_send(&d, len);				/* args in control */
	build(&d, MOLK_OP_VERSION, ++raw_seq);
	d.h.slot = htole32(3);
	raw_send(&d, len);				/* slot, no endpoint */
	build(&d, MOLK_OP_VERSION, ++raw_seq);
	d.h.pid = htole32(0);
	raw_send(&d, len);				/* no pid */

	/* Identity. */
	len = build(&d, MOLK_OP_SEND, ++raw_seq);	/* forged endpoint */
	d.h.endpoint = htole32(echo_ep);
	d.h.slot = htole32(MOL_ENDPOINT_SLOT(echo_ep));
	d.h.instance = htole32(inst);
	d.h.peer = htole32(MOL_SYSTEM);
	d.msg.m_type = 666;
	raw_send(&d, len);
	len = build(&d, MOLK_OP_REGISTER, ++raw_seq);	/* forged system */
	d.h.endpoint = htole32(MOL_SYSTEM);
	d.h.slot = htole32(MOL_SYSTEM);
	d.h.instance = htole32(inst);
	raw_send(&d, len);
	if (!strcmp(transport, "unix")) {
		len = build(&d, MOLK_OP_VERSION, ++raw_seq);
		d.h.pid = htole32(getppid());		/* forged pid */
		raw_send(&d, len);
	}

	/* Sequence numbers: a BIND (refused) makes us a known client. */
	len = build(&d, MOLK_OP_BIND, ++raw_seq);
	((struct molipc_bind *)d.arg)->instance = inst + 1000;
	((struct molipc_bind *)d.arg)->endpoint = MOL_ANY;
	T(raw_call(&d, len, &r, 2000) > 0 && (int)le32toh(r.h.ret) == -EPERM,
	  "bind to an unknown instance is refused");
	raw_send(&d, len);			/* same seq: resent, no drop */
	d.h.seq = htole32(raw_seq - 1);
	raw_send(&d, len);			/* old: dropped */
	d.h.seq = htole32(raw_seq - 1000);
	raw_send(&d, len);			/* older: dropped */
	len = build(&d, MOLK_OP_CANCEL, raw_seq - 7);
	raw_send(&d, len);			/* cancel of nothing */

	/* Garbage: random bytes, and valid headers with random rest. */
	srand(42);
	for (i = 0; i < RANDOM_DGRAMS; i++) {
		unsigned char junk[MOLK_MAX_SIZE];
		size_t n = rand() % sizeof(junk), k;

		for (k = 0; k < n; k++)
			junk[k] = rand();
		if (i % 2 && n >= 8) {
			uint32_t m = htole32(MOLK_MAGIC);
			uint16_t v = htole16(MOLK_VERSION);

			memcpy(junk, &m, 4);
			memcpy(junk + 4, &v, 2);
		}
		raw_send(junk, n);
	}

	/* Everything after the BIND went to molkernel before this. */
	T(!stats(&s1), "molkernel is alive and answers");
#define D(x) (s1.drop[x] - s0.drop[x])
	T(D(MOLK_DROP_SHORT) >= 2, "short %llu", (unsigned long long)D(MOLK_DROP_SHORT));
	T(D(MOLK_DROP_MAGIC) >= 1, "magic");
	T(D(MOLK_DROP_VERSION) >= 1, "version");
	T(D(MOLK_DROP_LENGTH) >= 3, "length %llu", (unsigned long long)D(MOLK_DROP_LENGTH));
	T(D(MOLK_DROP_OP) >= 2, "op %llu", (unsigned long long)D(MOLK_DROP_OP));
	T(D(MOLK_DROP_HEADER) >= 5, "header %llu", (unsigned long long)D(MOLK_DROP_HEADER));
	T(D(MOLK_DROP_SPOOF) >= 2, "spoof %llu", (unsigned long long)D(MOLK_DROP_SPOOF));
	if (!strcmp(transport, "unix"))
		T(D(MOLK_DROP_CREDS) >= 1, "creds");
	T(D(MOLK_DROP_SEQ) >= 2, "seq %llu", (unsigned long long)D(MOLK_DROP_SEQ));
	T(D(MOLK_DROP_CANCEL) >= 1, "cancel");
	T(s1.resent - s0.resent >= 1, "retransmit answered from the cache");
	T(s1.dropped - s0.dropped >= RANDOM_DGRAMS,
	  "all %d random datagrams dropped (%llu drops)", RANDOM_DGRAMS,
	  (unsigned long long)(s1.dropped - s0.dropped));
	T(s1.instances == s0.instances, "no instance appeared");

	/* State: the echo server saw nothing and still works. */
	pi1.slot = ECHO_SLOT;
	pi1.flags = 0;
	T(!mol_procinfo(&sys, &pi1), "procinfo after");
	T(pi1.endpoint == pi0.endpoint && pi1.pid == pi0.pid &&
	  pi1.received == pi0.received && pi1.sent == pi0.sent,
	  "echo server untouched (received %llu -> %llu)",
	  (unsigned long long)pi0.received, (unsigned long long)pi1.received);
	T(echo(&sys, echo_ep, 200) == 201, "echo after");

	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	mol_close(&sys);
	close(raw_fd);
	printf("molk-malformed %s: %d passed, %d failed\n", transport, passed,
	       failed);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * transport_sock.c - libmol over molkernel, the userspace pseudo-kernel:
 * the "udp" and "unix" transports.  One request datagram per call, one
 * reply datagram back (uapi/linux/molkernel_proto.h,
 * Documentation/protocol.md).
 *
 * A call that blocks in molkernel blocks here in poll(2) for the reply.
 * poll is never restarted after a signal handler (SA_RESTART or not), so
 * a signal is seen as it is by the module's ioctl: we send a CANCEL for
 * the call and keep waiting for its one reply, which is either the
 * withdrawal (MOL_EINTR, or MOL_EREPLYPENDING for a sendrec whose request
 * was delivered) or the result, if the rendezvous happened first.  No
 * message is lost or received twice.  Requests are retransmitted every
 * second while unanswered (a lost datagram on UDP; molkernel answers a
 * retransmit from its reply cache or ignores it while the call blocks).
 *
 * A struct mol is not inherited across fork: in a child, a bound
 * connection answers as the module does for a descriptor bound by
 * another process (ENOTCONN, EBUSY), without touching the socket the
 * parent still uses; an unbound one gets a socket of its own.
 */
#include <endian.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "mol.h"
#include <linux/molkernel_proto.h>

#define SK_RETRY_MS	1000		/* retransmit an unanswered request */
#define SK_OPEN_TRIES	3		/* VERSION probes at open */
#define SK_CLOSE_TRIES	2		/* CLOSE attempts at close */

struct sk_priv {
	bool udp;
	socklen_t srvlen;
	struct sockaddr_storage srv;
};

/* ---------------------------------------------------------------- */
/* Wire format                                                       */
/* ---------------------------------------------------------------- */

struct sk_dgram {
	struct molk_hdr h;
	struct mol_message msg;
	unsigned char arg[MOLK_MAX_SIZE - MOLK_BASE_SIZE];
	unsigned int arg_len;
};

static size_t sk_encode(unsigned char *b, const struct sk_dgram *d)
{
	struct molk_hdr w;
	struct mol_message m = d->msg;
	size_t len = MOLK_BASE_SIZE + d->arg_len;

	memset(&w, 0, sizeof(w));
	w.magic = htole32(MOLK_MAGIC);
	w.version = htole16(MOLK_VERSION);
	w.length = htole16(len);
	w.op = htole32(d->h.op);
	w.pid = (__s32)htole32((__u32)d->h.pid);
	w.seq = htole32(d->h.seq);
	w.slot = (__s32)htole32((__u32)d->h.slot);
	w.endpoint = (__s32)htole32((__u32)d->h.endpoint);
	w.peer = (__s32)htole32((__u32)d->h.peer);
	w.src = (__s32)htole32((__u32)d->h.src);
	w.flags = htole32(d->h.flags);
	w.instance = htole32(d->h.instance);
	w.timeout_ns = htole64(d->h.timeout_ns);
	memcpy(b, &w, sizeof(w));
	m.m_source = (__s32)htole32((__u32)m.m_source);
	m.m_type = (__s32)htole32((__u32)m.m_type);
	memcpy(b + MOLK_HDR_SIZE, &m, sizeof(m));
	memcpy(b + MOLK_BASE_SIZE, d->arg, d->arg_len);
	return len;
}

/* A reply to (op, seq) of ours?  Fills d. */
static bool sk_decode_reply(const unsigned char *b, size_t len, __u32 op,
			    __u32 seq, struct sk_dgram *d)
{
	struct molk_hdr w;
	int asz = molk_arg_size(op);

	if (len < MOLK_HDR_SIZE || asz < 0)
		return false;
	memcpy(&w, b, sizeof(w));
	if (le32toh(w.magic) != MOLK_MAGIC ||
	    le16toh(w.version) != MOLK_VERSION ||
	    le32toh(w.op) != (op | MOLK_OP_REPLY) || le32toh(w.seq) != seq ||
	    len != (size_t)MOLK_BASE_SIZE + asz || le16toh(w.length) != len)
		return false;
	d->h.op = op;
	d->h.seq = seq;
	d->h.ret = (__s32)le32toh((__u32)w.ret);
	d->h.status = le32toh(w.status);
	memcpy(&d->msg, b + MOLK_HDR_SIZE, sizeof(d->msg));
	d->msg.m_source = (__s32)le32toh((__u32)d->msg.m_source);
	d->msg.m_type = (__s32)le32toh((__u32)d->msg.m_type);
	memcpy(d->arg, b + MOLK_BASE_SIZE, asz);
	d->arg_len = asz;
	return true;
}

/* ---------------------------------------------------------------- */
/* Sockets                                                           */
/* ---------------------------------------------------------------- */

/* $MOL_KERNEL_ADDR, without a "udp:"/"unix:" prefix, or the default. */
static const char *sk_addr(bool udp)
{
	const char *a = getenv("MOL_KERNEL_ADDR");

	if (!a || !*a)
		return udp ? MOLK_DEFAULT_UDP_ADDR : MOLK_DEFAULT_UNIX_PATH;
	if (udp && !strncmp(a, "udp:", 4))
		return a + 4;
	if (!udp && !strncmp(a, "unix:", 5))
		return a + 5;
	return a;
}

static int sk_resolve(struct sk_priv *sp)
{
	const char *a = sk_addr(sp->udp);

	if (sp->udp) {
		struct addrinfo hints = {
			.ai_family = AF_UNSPEC,
			.ai_socktype = SOCK_DGRAM,
			.ai_flags = AI_NUMERICSERV,
		}, *res = NULL;
		char host[256], *colon;

		snprintf(host, sizeof(host), "%s", a);
		colon = strrchr(host, ':');
		if (!colon)
			return -EINVAL;
		*colon = 0;
		if (host[0] == '[' && colon > host + 1 && colon[-1] == ']') {
			colon[-1] = 0;
			memmove(host, host + 1, strlen(host));
		}
		if (getaddrinfo(host, colon + 1, &hints, &res) || !res)
			return -ENODEV;
		memcpy(&sp->srv, res->ai_addr, res->ai_addrlen);
		sp->srvlen = res->ai_addrlen;
		freeaddrinfo(res);
	} else {
		struct sockaddr_un *un = (struct sockaddr_un *)&sp->srv;

		if (strlen(a) >= sizeof(un->sun_path))
			return -ENAMETOOLONG;
		memset(un, 0, sizeof(*un));
		un->sun_family = AF_UNIX;
		strcpy(un->sun_path, a);
		sp->srvlen = sizeof(*un);
	}
	return 0;
}

/*
 * A socket of our own, connected to molkernel (so only its datagrams
 * reach us); a unix one gets a unique abstract address by autobind.
 */
static int sk_socket(const struct sk_priv *sp)
{
	int fd, bufsz = 256 << 10;

	fd = socket(sp->srv.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (!sp->udp) {
		struct sockaddr_un self = { .sun_family = AF_UNIX };

		if (bind(fd, (struct sockaddr *)&self, sizeof(sa_family_t)))
			goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (connect(fd, (const struct sockaddr *)&sp->srv, sp->srvlen))
		goto fail;
	return fd;
fail:
	bufsz = errno;
	close(fd);
	return bufsz == ENOENT || bufsz == ECONNREFUSED ? -ENODEV : -bufsz;
}

static __u32 sk_random_seq(void)
{
	__u32 seq = 0;

	if (getrandom(&seq, sizeof(seq), GRND_NONBLOCK) != sizeof(seq))
		seq = (__u32)time(NULL) ^ ((__u32)getpid() << 16);
	return seq;
}

/* ---------------------------------------------------------------- */
/* One exchange                                                      */
/* ---------------------------------------------------------------- */

static int sk_send(int fd, const unsigned char *buf, size_t len)
{
	for (;;) {
		if (send(fd, buf, len, MSG_NOSIGNAL) >= 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno == ECONNREFUSED || errno == ENOENT ||
		    errno == ENOTCONN)
			return MOL_EINSTGONE;	/* molkernel is gone */
		if (errno == EAGAIN || errno == ENOBUFS)
			return 0;	/* as lost: the retransmit will do */
		return -errno;
	}
}

/*
 * Send rq and wait for its reply into rp.  cancel: a signal withdraws the
 * call (IPC calls that may block); else signals are ignored.  tries: give
 * up after that many unanswered sends (0: never) with -ETIMEDOUT.
 */
static int sk_exchange(struct mol *mol, int fd, struct sk_dgram *rq,
		       struct sk_dgram *rp, bool cancel, int tries)
{
	unsigned char out[MOLK_MAX_SIZE], cbuf[MOLK_BASE_SIZE];
	unsigned char in[MOLK_MAX_SIZE + 1];
	struct sk_dgram cn;
	bool cancelled = false;
	size_t len, clen = 0;
	int ret, sent = 1;

	rq->h.seq = ++mol->seq;
	len = sk_encode(out, rq);
	ret = sk_send(fd, out, len);
	if (ret)
		return ret;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		ret = poll(&pfd, 1, SK_RETRY_MS);
		if (ret < 0 && errno == EINTR) {
			if (!cancel || cancelled)
				continue;
			/* A signal: ask molkernel to withdraw the call. */
			memset(&cn, 0, sizeof(cn));
			cn.h = rq->h;
			cn.h.op = MOLK_OP_CANCEL;
			cn.h.peer = cn.h.src = 0;
			cn.h.flags = 0;
			cn.h.timeout_ns = 0;
			cn.arg_len = 0;
			clen = sk_encode(cbuf, &cn);
			cancelled = true;
			ret = sk_send(fd, cbuf, clen);
			if (ret)
				return ret;
			continue;
		}
		if (ret < 0)
			return -errno;
		if (ret == 0) {
			if (tries && sent >= tries)
				return -ETIMEDOUT;
			sent++;
			ret = cancelled ? sk_send(fd, cbuf, clen) :
					  sk_send(fd, out, len);
			if (ret)
				return ret;
			continue;
		}
		n = recv(fd, in, sizeof(in), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ECONNREFUSED)
				return MOL_EINSTGONE;
			return -errno;
		}
		/* Old replies (answered retransmits) are not ours: skip. */
		if (sk_decode_reply(in, n, rq->h.op, rq->h.seq, rp))
			return 0;
	}
}

/* Fill the identity fields of a request from mol. */
static void sk_identity(struct mol *mol, struct sk_dgram *d, __u32 op)
{
	memset(d, 0, sizeof(*d));
	d->h.op = op;
	d->h.pid = getpid();
	d->h.endpoint = mol->endpoint;
	if (mol->endpoint != MOL_NONE && mol->instance) {
		d->h.slot = MOL_ENDPOINT_SLOT(mol->endpoint);
		d->h.instance = mol->instance;
	} else {
		d->h.endpoint = MOL_NONE;
	}
}

/*
 * In a forked child: adopt an unbound connection with a socket of our
 * own.  Returns true if mol is (now) this process's.
 */
static bool sk_own(struct mol *mol)
{
	struct sk_priv *sp = mol->priv;
	int fd;

	if (mol->pid == getpid())
		return true;
	if (mol->endpoint != MOL_NONE)
		return false;
	fd = sk_socket(sp);
	if (fd < 0)
		return false;
	close(mol->fd);			/* our copy; the parent keeps its */
	mol->fd = fd;
	mol->pid = getpid();
	mol->seq = sk_random_seq();
	return true;
}

/* ---------------------------------------------------------------- */
/* Transport operations                                              */
/* ---------------------------------------------------------------- */

static int sk_open(struct mol *mol, bool udp)
{
	struct molipc_version ver;
	struct sk_dgram rq, rp;
	struct sk_priv *sp;
	int fd, ret;

	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->udp = udp;
	ret = sk_resolve(sp);
	if (ret) {
		free(sp);
		return ret == -EINVAL ? -ENODEV : ret;
	}
	fd = sk_socket(sp);
	if (fd < 0) {
		free(sp);
		return fd;
	}
	mol->fd = fd;
	mol->priv = sp;
	mol->seq = sk_random_seq();

	/* Is molkernel there, speaking our protocol? */
	sk_identity(mol, &rq, MOLK_OP_VERSION);
	rq.arg_len = sizeof(ver);
	ret = sk_exchange(mol, fd, &rq, &rp, false, SK_OPEN_TRIES);
	if (!ret) {
		memcpy(&ver, rp.arg, sizeof(ver));
		if (rp.h.ret || ver.major != MOLIPC_ABI_MAJOR)
			ret = -ENODEV;
	}
	if (ret) {
		close(fd);
		free(sp);
		mol->fd = -1;
		mol->priv = NULL;
		return ret == -ENOMEM ? ret : -ENODEV;
	}
	return 0;
}

static int sk_open_udp(struct mol *mol)
{
	return sk_open(mol, true);
}

static int sk_open_unix(struct mol *mol)
{
	return sk_open(mol, false);
}

static void sk_close(struct mol *mol)
{
	struct sk_dgram rq, rp;

	if (mol->fd < 0)
		return;
	/*
	 * Release the binding, as closing the device does (not a child's):
	 * wait for it, so that partners see the death when we return.  An
	 * unbound connection only tells molkernel to forget it.
	 */
	if (mol->pid == getpid() && mol->endpoint != MOL_NONE) {
		sk_identity(mol, &rq, MOLK_OP_CLOSE);
		sk_exchange(mol, mol->fd, &rq, &rp, false, SK_CLOSE_TRIES);
	} else if (mol->pid == getpid()) {
		unsigned char buf[MOLK_BASE_SIZE];

		sk_identity(mol, &rq, MOLK_OP_CLOSE);
		rq.h.seq = ++mol->seq;
		send(mol->fd, buf, sk_encode(buf, &rq),
		     MSG_NOSIGNAL | MSG_DONTWAIT);
	}
	close(mol->fd);
	mol->fd = -1;
	free(mol->priv);
	mol->priv = NULL;
}

static int sk_ipc(struct mol *mol, int op, struct molipc_ipc *req)
{
	struct sk_dgram rq, rp;
	int ret;

	ret = molk_ipc_check_args(op, req);	/* check 1: EINVAL */
	if (ret)
		return ret;
	if (mol->pid != getpid() || mol->endpoint == MOL_NONE)
		return MOL_ENOTBOUND;		/* check 2, no round trip */
	sk_identity(mol, &rq, op);
	rq.h.peer = req->endpoint;
	rq.h.src = req->src;
	rq.h.flags = req->flags;
	rq.h.timeout_ns = req->timeout_ns;
	rq.msg = req->msg;
	ret = sk_exchange(mol, mol->fd, &rq, &rp, true, 0);
	if (ret)
		return ret;
	if (rp.h.ret == MOL_OK && (op == MOLIPC_OP_RECEIVE ||
				   op == MOLIPC_OP_SENDREC ||
				   op == MOLIPC_OP_REPLY_RECV)) {
		req->msg = rp.msg;
		req->status = rp.h.status;
	}
	return rp.h.ret;
}

static int sk_ctl_op(unsigned long req, __u32 *op, bool *out)
{
	*out = true;
	switch (req) {
	case MOLIPC_IOC_VERSION:	*op = MOLK_OP_VERSION; break;
	case MOLIPC_IOC_CREATE:		*op = MOLK_OP_CREATE; break;
	case MOLIPC_IOC_REGISTER:	*op = MOLK_OP_REGISTER; break;
	case MOLIPC_IOC_BIND:		*op = MOLK_OP_BIND; break;
	case MOLIPC_IOC_DEAD:		*op = MOLK_OP_DEAD; break;
	case MOLIPC_IOC_PROCINFO:	*op = MOLK_OP_PROCINFO; break;
	case MOLIPC_IOC_UNREGISTER:
		*op = MOLK_OP_UNREGISTER;
		*out = false;
		break;
	case MOLIPC_IOC_SETPRIV:
		*op = MOLK_OP_SETPRIV;
		*out = false;
		break;
	case MOLIPC_IOC_SETGRANT:
		*op = MOLK_OP_SETGRANT;
		*out = false;
		break;
	case MOLIPC_IOC_SAFECOPY:
		*op = MOLK_OP_SAFECOPY;
		*out = false;
		break;
	default:
		return -ENOTTY;
	}
	return 0;
}

/*
 * What the module answers a forked child using a descriptor its parent
 * bound: the binding is the parent's.
 */
static int sk_ctl_inherited(unsigned long req, void *arg)
{
	switch (req) {
	case MOLIPC_IOC_CREATE: {
		struct molipc_create *c = arg;

		if ((c->flags & ~MOLIPC_CREATE_FLAGS) || c->instance ||
		    c->reserved[0] || c->reserved[1] || c->reserved[2] ||
		    c->reserved[3])
			return MOL_EINVAL;
		return (c->flags & MOLIPC_CREATE_APPOINT) ? MOL_ENOTBOUND :
							    MOL_EBUSY;
	}
	case MOLIPC_IOC_BIND: {
		struct molipc_bind *b = arg;

		return b->flags || b->reserved ? MOL_EINVAL : MOL_EBUSY;
	}
	case MOLIPC_IOC_DEAD: {
		struct molipc_dead *d = arg;

		if (d->flags || d->count > MOLIPC_DEAD_MAX)
			return MOL_EINVAL;
		return MOL_ENOTBOUND;
	}
	case MOLIPC_IOC_PROCINFO:
		return ((struct molipc_procinfo *)arg)->flags ? MOL_EINVAL :
								MOL_ENOTBOUND;
	case MOLIPC_IOC_SETGRANT: {
		const struct molipc_setgrant *g = arg;

		if (g->flags || g->nr_entries > MOLIPC_GRANT_MAX ||
		    (g->table_addr & 7) || (!g->nr_entries && g->table_addr) ||
		    g->table_addr + (__u64)g->nr_entries *
				    sizeof(struct mol_grant) < g->table_addr)
			return MOL_EINVAL;
		return MOL_ENOTBOUND;
	}
	case MOLIPC_IOC_SAFECOPY: {
		const struct molipc_safecopy *sc = arg;

		if ((sc->flags != MOLIPC_SAFECOPY_FROM &&
		     sc->flags != MOLIPC_SAFECOPY_TO) || sc->reserved)
			return MOL_EINVAL;
		return MOL_ENOTBOUND;
	}
	default:
		return MOL_ENOTBOUND;
	}
}

static int sk_ctl(struct mol *mol, unsigned long req, void *arg)
{
	struct sk_dgram rq, rp;
	int fd = mol->fd, ret;
	bool out, tmp = false;
	__u32 op;

	ret = sk_ctl_op(req, &op, &out);
	if (ret)
		return ret;
	if (!sk_own(mol)) {
		if (op != MOLK_OP_VERSION)
			return sk_ctl_inherited(req, arg);
		/* Anyone may ask the version: on a socket of our own. */
		fd = sk_socket(mol->priv);
		if (fd < 0)
			return fd;
		tmp = true;
	}
	sk_identity(mol, &rq, op);
	if (tmp) {
		rq.h.endpoint = MOL_NONE;
		rq.h.slot = 0;
		rq.h.instance = 0;
	}
	rq.arg_len = molk_arg_size(op);
	memcpy(rq.arg, arg, rq.arg_len);
	ret = sk_exchange(mol, fd, &rq, &rp, false, 0);
	if (tmp)
		close(fd);
	if (ret)
		return ret;
	if (rp.h.ret == MOL_OK && out)
		memcpy(arg, rp.arg, rq.arg_len);
	return rp.h.ret;
}

const struct mol_transport mol_transport_udp = {
	.name	= "udp",
	.open	= sk_open_udp,
	.close	= sk_close,
	.ipc	= sk_ipc,
	.ctl	= sk_ctl,
};

const struct mol_transport mol_transport_unix = {
	.name	= "unix",
	.open	= sk_open_unix,
	.close	= sk_close,
	.ipc	= sk_ipc,
	.ctl	= sk_ctl,
};

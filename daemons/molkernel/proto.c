// SPDX-License-Identifier: GPL-2.0
/*
 * proto.c - decoding, validation and encoding of molkernel datagrams.
 *
 * Every field of the header is little-endian on the wire; the message's
 * m_source and m_type too, its payload and the control arguments travel
 * as they are (MoL runs on little-endian hosts; see protocol.md).
 */
#include <endian.h>
#include <string.h>

#include "proto.h"

static void hdr_from_wire(struct molk_hdr *h, const unsigned char *b)
{
	struct molk_hdr w;

	memcpy(&w, b, sizeof(w));
	h->magic = le32toh(w.magic);
	h->version = le16toh(w.version);
	h->length = le16toh(w.length);
	h->op = le32toh(w.op);
	h->ret = (int32_t)le32toh((uint32_t)w.ret);
	h->pid = (int32_t)le32toh((uint32_t)w.pid);
	h->seq = le32toh(w.seq);
	h->slot = (int32_t)le32toh((uint32_t)w.slot);
	h->endpoint = (int32_t)le32toh((uint32_t)w.endpoint);
	h->peer = (int32_t)le32toh((uint32_t)w.peer);
	h->src = (int32_t)le32toh((uint32_t)w.src);
	h->flags = le32toh(w.flags);
	h->status = le32toh(w.status);
	h->instance = le32toh(w.instance);
	h->reserved = le32toh(w.reserved);
	h->timeout_ns = le64toh(w.timeout_ns);
}

static void hdr_to_wire(unsigned char *b, const struct molk_hdr *h)
{
	struct molk_hdr w;

	w.magic = htole32(h->magic);
	w.version = htole16(h->version);
	w.length = htole16(h->length);
	w.op = htole32(h->op);
	w.ret = (int32_t)htole32((uint32_t)h->ret);
	w.pid = (int32_t)htole32((uint32_t)h->pid);
	w.seq = htole32(h->seq);
	w.slot = (int32_t)htole32((uint32_t)h->slot);
	w.endpoint = (int32_t)htole32((uint32_t)h->endpoint);
	w.peer = (int32_t)htole32((uint32_t)h->peer);
	w.src = (int32_t)htole32((uint32_t)h->src);
	w.flags = htole32(h->flags);
	w.status = htole32(h->status);
	w.instance = htole32(h->instance);
	w.reserved = htole32(h->reserved);
	w.timeout_ns = htole64(h->timeout_ns);
	memcpy(b, &w, sizeof(w));
}

static void msg_from_wire(struct mol_message *m, const unsigned char *b)
{
	memcpy(m, b, sizeof(*m));
	m->m_source = (int32_t)le32toh((uint32_t)m->m_source);
	m->m_type = (int32_t)le32toh((uint32_t)m->m_type);
}

static void msg_to_wire(unsigned char *b, const struct mol_message *m)
{
	struct mol_message w = *m;

	w.m_source = (int32_t)htole32((uint32_t)m->m_source);
	w.m_type = (int32_t)htole32((uint32_t)m->m_type);
	memcpy(b, &w, sizeof(w));
}

static int all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	while (len--)
		if (*b++)
			return 0;
	return 1;
}

/* The identity a requester claims must at least be self-consistent. */
static int identity_ok(const struct molk_hdr *h)
{
	int slot, gen;

	if (h->pid <= 0)
		return 0;
	if (h->endpoint == MOL_NONE)
		return h->slot == 0 && h->instance == 0;
	if (h->instance == 0 || h->endpoint == MOL_ANY ||
	    h->endpoint == MOL_SELF)
		return 0;
	slot = molk_ep_slot(h->endpoint);
	gen = molk_ep_gen(h->endpoint);
	if (gen < 0 || gen > MOL_MAX_GEN || slot < -MOL_NR_TASKS ||
	    slot >= MOL_MAX_PROCS || MOL_ENDPOINT(gen, slot) != h->endpoint)
		return 0;
	return h->slot == slot;
}

/* Common to requests and replies: framing. */
static int decode_frame(const void *buf, size_t len, struct molk_dgram *d,
			uint32_t *op)
{
	const unsigned char *b = buf;
	int asz;

	if (len < MOLK_HDR_SIZE)
		return MOLK_DROP_SHORT;
	hdr_from_wire(&d->h, b);
	if (d->h.magic != MOLK_MAGIC)
		return MOLK_DROP_MAGIC;
	if (d->h.version != MOLK_VERSION)
		return MOLK_DROP_VERSION;
	*op = d->h.op & ~MOLK_OP_REPLY;
	asz = molk_arg_size(*op);
	if (asz < 0)
		return MOLK_DROP_OP;
	if (len > MOLK_MAX_SIZE || d->h.length != len ||
	    len != (size_t)MOLK_BASE_SIZE + (size_t)asz)
		return MOLK_DROP_LENGTH;
	msg_from_wire(&d->msg, b + MOLK_HDR_SIZE);
	memset(&d->arg, 0, sizeof(d->arg));
	memcpy(&d->arg, b + MOLK_BASE_SIZE, asz);
	d->arg_len = asz;
	return -1;
}

int molk_decode_request(const void *buf, size_t len, struct molk_dgram *d)
{
	uint32_t op;
	int ret;

	ret = decode_frame(buf, len, d, &op);
	if (ret >= 0)
		return ret;
	if (d->h.op & MOLK_OP_REPLY)
		return MOLK_DROP_OP;
	if (d->h.ret || d->h.status || d->h.reserved)
		return MOLK_DROP_HEADER;
	if (!identity_ok(&d->h))
		return MOLK_DROP_HEADER;
	if (!molk_is_ipc(op)) {
		/* Control requests: no IPC arguments, an empty message. */
		if (d->h.peer || d->h.src || d->h.flags || d->h.timeout_ns ||
		    !all_zero(&d->msg, sizeof(d->msg)))
			return MOLK_DROP_HEADER;
	}
	return -1;
}

int molk_decode_reply(const void *buf, size_t len, struct molk_dgram *d)
{
	uint32_t op;
	int ret;

	ret = decode_frame(buf, len, d, &op);
	if (ret >= 0)
		return ret;
	if (!(d->h.op & MOLK_OP_REPLY))
		return MOLK_DROP_OP;
	if (d->h.reserved)
		return MOLK_DROP_HEADER;
	return -1;
}

size_t molk_encode(void *buf, size_t cap, const struct molk_dgram *d)
{
	unsigned char *b = buf;
	struct molk_hdr h = d->h;
	int asz = molk_arg_size(d->h.op & ~MOLK_OP_REPLY);
	size_t len;

	if (asz < 0 || (unsigned int)asz != d->arg_len)
		return 0;
	len = MOLK_BASE_SIZE + asz;
	if (len > cap)
		return 0;
	h.magic = MOLK_MAGIC;
	h.version = MOLK_VERSION;
	h.length = len;
	hdr_to_wire(b, &h);
	msg_to_wire(b + MOLK_HDR_SIZE, &d->msg);
	memcpy(b + MOLK_BASE_SIZE, &d->arg, asz);
	return len;
}

const char *molk_op_name(uint32_t op)
{
	switch (op & ~MOLK_OP_REPLY) {
	case MOLK_OP_SEND:	return "send";
	case MOLK_OP_RECEIVE:	return "receive";
	case MOLK_OP_SENDREC:	return "sendrec";
	case MOLK_OP_NOTIFY:	return "notify";
	case MOLK_OP_SENDNB:	return "sendnb";
	case MOLK_OP_REPLY_RECV: return "reply_recv";
	case MOLK_OP_VERSION:	return "version";
	case MOLK_OP_CREATE:	return "create";
	case MOLK_OP_REGISTER:	return "register";
	case MOLK_OP_UNREGISTER: return "unregister";
	case MOLK_OP_SETPRIV:	return "setpriv";
	case MOLK_OP_BIND:	return "bind";
	case MOLK_OP_DEAD:	return "dead";
	case MOLK_OP_PROCINFO:	return "procinfo";
	case MOLK_OP_SETGRANT:	return "setgrant";
	case MOLK_OP_SAFECOPY:	return "safecopy";
	case MOLK_OP_CANCEL:	return "cancel";
	case MOLK_OP_CLOSE:	return "close";
	case MOLK_OP_STATS:	return "stats";
	default:		return "?";
	}
}

const char *molk_drop_name(int reason)
{
	static const char *const names[MOLK_DROP_MAX] = {
		[MOLK_DROP_SHORT]	= "short",
		[MOLK_DROP_MAGIC]	= "magic",
		[MOLK_DROP_VERSION]	= "version",
		[MOLK_DROP_LENGTH]	= "length",
		[MOLK_DROP_OP]		= "op",
		[MOLK_DROP_HEADER]	= "header",
		[MOLK_DROP_CREDS]	= "creds",
		[MOLK_DROP_NONLOCAL]	= "nonlocal",
		[MOLK_DROP_SPOOF]	= "spoof",
		[MOLK_DROP_SEQ]		= "seq",
		[MOLK_DROP_NOMEM]	= "nomem",
		[MOLK_DROP_CANCEL]	= "cancel",
	};

	if (reason < 0 || reason >= MOLK_DROP_MAX || !names[reason])
		return "?";
	return names[reason];
}

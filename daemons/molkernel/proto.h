/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proto.h - decoding, validation and encoding of molkernel datagrams
 * (uapi/linux/molkernel_proto.h, Documentation/protocol.md).  Pure
 * functions: no state, no I/O, safe on any input (the fuzzer's target).
 */
#ifndef MOLK_PROTO_H
#define MOLK_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <linux/molkernel_proto.h>

#define MOLK_ARG_MAX	(MOLK_MAX_SIZE - MOLK_BASE_SIZE)

/* A datagram in host byte order. */
struct molk_dgram {
	struct molk_hdr h;
	struct mol_message msg;
	union {
		struct molipc_version version;
		struct molipc_create create;
		struct molipc_register reg;
		struct molipc_endpoint_req epreq;
		struct molipc_bind bind;
		struct molipc_dead dead;
		struct molipc_procinfo procinfo;
		struct molipc_setgrant setgrant;
		struct molipc_safecopy safecopy;
		struct molk_stats stats;
		unsigned char raw[MOLK_ARG_MAX];
	} arg;
	unsigned int arg_len;
};

/* Is op one of the six IPC calls? */
static inline int molk_is_ipc(uint32_t op)
{
	return op >= MOLK_OP_SEND && op <= MOLK_OP_REPLY_RECV;
}

/*
 * molk_decode_request - check and decode a request datagram of len bytes.
 * Returns -1 (valid, d filled) or the MOLK_DROP_* reason for dropping it.
 * Only the datagram itself is judged here; whether its sender may use the
 * identity it claims is molkernel's business.
 */
int molk_decode_request(const void *buf, size_t len, struct molk_dgram *d);

/* Decode a reply (for clients and tests); same conventions. */
int molk_decode_reply(const void *buf, size_t len, struct molk_dgram *d);

/*
 * molk_encode - write d (magic, version and length are set here) into
 * buf of cap bytes.  Returns the datagram's length, or 0 if it does not
 * fit or d->arg_len is not the size of d->h.op's argument.
 */
size_t molk_encode(void *buf, size_t cap, const struct molk_dgram *d);

const char *molk_op_name(uint32_t op);
const char *molk_drop_name(int reason);

#endif /* MOLK_PROTO_H */

/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * molkernel_proto.h - the datagram protocol between libmol's socket
 * transports (udp, unix) and molkernel, the userspace pseudo-kernel.
 *
 * It is the paper's MoL message format (Figure 7: operation/return code,
 * sender's PID, sequence number, process number, endpoint, destination or
 * source endpoint, then the MINIX message) plus what a secure, lossless
 * implementation needs: a magic, a version, the datagram length, flags
 * and a timeout, the instance, and the status bits of a received message.  Control operations carry the
 * argument structure of the matching MOLIPC_IOC_* ioctl of
 * <linux/molipc.h> after the message.  Documentation/protocol.md
 * describes every byte and the exchange rules.
 *
 * Every field is little-endian.  Everything else (message layout,
 * endpoints, status codes, ioctl structures) is <linux/molipc.h>.
 */
#ifndef _UAPI_LINUX_MOLKERNEL_PROTO_H
#define _UAPI_LINUX_MOLKERNEL_PROTO_H

#include <linux/molipc.h>

#define MOLK_MAGIC		0x4b4c4f4dU	/* "MOLK" in memory */
#define MOLK_VERSION		1

#define MOLK_DEFAULT_UDP_PORT	7070
#define MOLK_DEFAULT_UDP_ADDR	"127.0.0.1:7070"
#define MOLK_DEFAULT_UNIX_PATH	"/run/mol/molkernel.sock"

/*
 * Operations.  1..6 are the IPC calls (MOLIPC_OP_*, the same numbers as
 * the trap mask bits); 0x10.. are the ioctls of <linux/molipc.h>; 0x20..
 * exist only in the protocol.  A reply has MOLK_OP_REPLY set in op and
 * the call's status (MOL_OK or MOL_E*) in ret.
 */
#define MOLK_OP_SEND		MOLIPC_OP_SEND
#define MOLK_OP_RECEIVE		MOLIPC_OP_RECEIVE
#define MOLK_OP_SENDREC		MOLIPC_OP_SENDREC
#define MOLK_OP_NOTIFY		MOLIPC_OP_NOTIFY
#define MOLK_OP_SENDNB		MOLIPC_OP_SENDNB
#define MOLK_OP_REPLY_RECV	MOLIPC_OP_REPLY_RECV
#define MOLK_OP_VERSION		0x10	/* struct molipc_version */
#define MOLK_OP_CREATE		0x11	/* struct molipc_create */
#define MOLK_OP_REGISTER	0x12	/* struct molipc_register */
#define MOLK_OP_UNREGISTER	0x13	/* struct molipc_endpoint_req */
#define MOLK_OP_SETPRIV		0x14	/* struct molipc_endpoint_req */
#define MOLK_OP_BIND		0x15	/* struct molipc_bind */
#define MOLK_OP_DEAD		0x16	/* struct molipc_dead */
#define MOLK_OP_PROCINFO	0x17	/* struct molipc_procinfo */
#define MOLK_OP_SETGRANT	0x18	/* struct molipc_setgrant */
#define MOLK_OP_SAFECOPY	0x19	/* struct molipc_safecopy */
#define MOLK_OP_CANCEL		0x20	/* withdraw call "seq" (a signal) */
#define MOLK_OP_CLOSE		0x21	/* release the binding (close) */
#define MOLK_OP_STATS		0x22	/* struct molk_stats */
#define MOLK_OP_REPLY		0x80000000U

/*
 * The fixed header, 64 bytes.  Requests: ret, status are zero.  Replies:
 * op | MOLK_OP_REPLY, the request's seq, pid is the requester's pid, ret
 * the status, status the MOLIPC_STATUS_* bits of the message received.
 */
struct molk_hdr {
	__u32 magic;		/*  0 MOLK_MAGIC */
	__u16 version;		/*  4 MOLK_VERSION */
	__u16 length;		/*  6 whole datagram, header included */
	__u32 op;		/*  8 MOLK_OP_* (| MOLK_OP_REPLY) */
	__s32 ret;		/* 12 reply: MOL_OK or MOL_E* */
	__s32 pid;		/* 16 requester's Linux tgid */
	__u32 seq;		/* 20 requester's sequence number */
	__s32 slot;		/* 24 requester's process number (0 unbound) */
	__s32 endpoint;		/* 28 requester's endpoint (MOL_NONE unbound) */
	__s32 peer;		/* 32 destination, or source of a receive */
	__s32 src;		/* 36 reply_recv: source of the receive */
	__u32 flags;		/* 40 MOLIPC_IPC_* */
	__u32 status;		/* 44 reply: MOLIPC_STATUS_* */
	__u32 instance;		/* 48 requester's instance (0 unbound) */
	__u32 reserved;		/* 52 zero */
	__u64 timeout_ns;	/* 56 with MOLIPC_IPC_TIMEOUT */
};

MOL_STATIC_ASSERT(sizeof(struct molk_hdr) == 64, "molk_hdr is 64 bytes");
MOL_STATIC_ASSERT(offsetof(struct molk_hdr, timeout_ns) == 56, "timeout_ns");

/* Header, then always the 64-byte message, then the control argument. */
#define MOLK_HDR_SIZE		64
#define MOLK_BASE_SIZE		(MOLK_HDR_SIZE + MOL_MSG_SIZE)	/* 128 */
#define MOLK_MAX_SIZE		(MOLK_BASE_SIZE + 512)

/* MOLK_OP_STATS: molkernel's counters.  Anyone may ask. */
#define MOLK_DROP_SHORT		0	/* shorter than the header */
#define MOLK_DROP_MAGIC		1	/* wrong magic */
#define MOLK_DROP_VERSION	2	/* wrong protocol version */
#define MOLK_DROP_LENGTH	3	/* length field or size wrong for op */
#define MOLK_DROP_OP		4	/* unknown operation, or a reply */
#define MOLK_DROP_HEADER	5	/* reserved header fields not zero */
#define MOLK_DROP_CREDS		6	/* no/forged credentials, or no addr */
#define MOLK_DROP_NONLOCAL	7	/* udp: source not loopback */
#define MOLK_DROP_SPOOF		8	/* endpoint/slot/instance not the
					 * sender's own binding */
#define MOLK_DROP_SEQ		9	/* replayed or old sequence number */
#define MOLK_DROP_NOMEM		10	/* no memory for a new client */
#define MOLK_DROP_CANCEL	11	/* CANCEL of no call of the sender */
#define MOLK_DROP_MAX		16

struct molk_stats {
	__u64 received;			/* datagrams received */
	__u64 replies;			/* datagrams sent */
	__u64 dropped;			/* sum of drop[] */
	__u64 drop[MOLK_DROP_MAX];	/* MOLK_DROP_* */
	__u64 dups;			/* retransmits of a call in progress */
	__u64 resent;			/* replies resent from the cache */
	__u64 send_errors;		/* replies that could not be sent */
	__u64 clients;			/* client records now */
	__u64 instances;		/* live instances now */
	__u64 calls;			/* IPC calls handled */
	__u64 blocked;			/* IPC calls that blocked */
	__u64 cancels;			/* CANCELs received */
	__u64 deaths;			/* bound/registered processes died */
	__u64 reserved[3];
};

MOL_STATIC_ASSERT(sizeof(struct molk_stats) == 8 * (3 + MOLK_DROP_MAX + 12),
		  "molk_stats layout");

/*
 * MOL_ENDPOINT_SLOT/GEN of <linux/molipc.h> without signed overflow for
 * any 32-bit input (an endpoint from a datagram is anything).
 */
static inline int molk_ep_slot(__s32 ep)
{
	return (int)(((__u32)ep + MOL_MAX_NR_TASKS) & (MOL_GEN_SIZE - 1)) -
	       MOL_MAX_NR_TASKS;
}

static inline int molk_ep_gen(__s32 ep)
{
	return (int)(((long long)ep + MOL_MAX_NR_TASKS) >> MOL_GEN_SHIFT);
}

/* Size of the argument after the message for op, or -1 if op is unknown. */
static inline int molk_arg_size(__u32 op)
{
	switch (op) {
	case MOLK_OP_SEND: case MOLK_OP_RECEIVE: case MOLK_OP_SENDREC:
	case MOLK_OP_NOTIFY: case MOLK_OP_SENDNB: case MOLK_OP_REPLY_RECV:
	case MOLK_OP_CANCEL: case MOLK_OP_CLOSE:
		return 0;
	case MOLK_OP_VERSION:	 return sizeof(struct molipc_version);
	case MOLK_OP_CREATE:	 return sizeof(struct molipc_create);
	case MOLK_OP_REGISTER:	 return sizeof(struct molipc_register);
	case MOLK_OP_UNREGISTER:
	case MOLK_OP_SETPRIV:	 return sizeof(struct molipc_endpoint_req);
	case MOLK_OP_BIND:	 return sizeof(struct molipc_bind);
	case MOLK_OP_DEAD:	 return sizeof(struct molipc_dead);
	case MOLK_OP_PROCINFO:	 return sizeof(struct molipc_procinfo);
	case MOLK_OP_SETGRANT:	 return sizeof(struct molipc_setgrant);
	case MOLK_OP_SAFECOPY:	 return sizeof(struct molipc_safecopy);
	case MOLK_OP_STATS:	 return sizeof(struct molk_stats);
	default:		 return -1;
	}
}

/*
 * Check 1 of Documentation/ipc-decisions.txt, shared by molkernel and the
 * client library: MOL_EINVAL if the IPC arguments are malformed, else 0.
 */
static inline int molk_ipc_check_args(int op, const struct molipc_ipc *req)
{
	if (op < MOLIPC_OP_SEND || op > MOLIPC_OP_MAX)
		return MOL_EINVAL;
	if (req->flags & ~MOLIPC_IPC_FLAGS)
		return MOL_EINVAL;
	if ((req->flags & MOLIPC_IPC_RESUME) && op != MOLIPC_OP_SENDREC)
		return MOL_EINVAL;
	if (req->src != 0 && op != MOLIPC_OP_REPLY_RECV)
		return MOL_EINVAL;
	if (req->timeout_ns != 0 && !(req->flags & MOLIPC_IPC_TIMEOUT))
		return MOL_EINVAL;
	return 0;
}

#endif /* _UAPI_LINUX_MOLKERNEL_PROTO_H */

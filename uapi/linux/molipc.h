/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * molipc.h - the MoL ABI: MINIX messages, endpoints, the /dev/molipc
 * ioctls and the status codes shared by molipc.ko, libmol, molkernel and
 * every daemon.  Nothing else in the tree redefines what is here.
 *
 * The semantics are those of ../shared/mol-spec.md and are documented in
 * Documentation/ipc.md.  All structures use fixed-width types only, carry
 * explicit padding, and are the same on 32- and 64-bit user space.
 */
#ifndef _UAPI_LINUX_MOLIPC_H
#define _UAPI_LINUX_MOLIPC_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/errno.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#define MOL_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#include <linux/types.h>
#include <linux/ioctl.h>
#include <errno.h>
#include <stddef.h>
#ifdef __cplusplus
#define MOL_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define MOL_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif
#endif

#define MOLIPC_DEVICE		"/dev/molipc"
#define MOLIPC_ABI_MAJOR	1
#define MOLIPC_ABI_MINOR	1	/* 1: grants and safecopy */

/* ------------------------------------------------------------------ */
/* Endpoints                                                           */
/* ------------------------------------------------------------------ */

/*
 * An endpoint is (generation << MOL_GEN_SHIFT) + slot, as in MINIX 3.
 * Slots -MOL_NR_TASKS..-1 are tasks, 0.. are servers, drivers and user
 * processes.  Every reuse of a slot bumps its generation, so a stale
 * endpoint never reaches the slot's next owner.
 */
#define MOL_GEN_SHIFT		15
#define MOL_GEN_SIZE		(1 << MOL_GEN_SHIFT)
#define MOL_MAX_GEN		(0x7fffffff / MOL_GEN_SIZE - 1)
#define MOL_NR_TASKS		4
#define MOL_MAX_NR_TASKS	1023	/* MINIX's bound, used for decoding */

/* Computed in unsigned arithmetic: any 32-bit value decodes without UB. */
#define MOL_ENDPOINT(gen, slot)	((__s32)(((__u32)(gen) << MOL_GEN_SHIFT) + \
					 (__u32)(slot)))
#define MOL_ENDPOINT_GEN(e)	((__s32)(((__u32)(e) + MOL_MAX_NR_TASKS) >> \
					 MOL_GEN_SHIFT))
#define MOL_ENDPOINT_SLOT(e)	((__s32)(((__u32)(e) + MOL_MAX_NR_TASKS) & \
					 (MOL_GEN_SIZE - 1)) - MOL_MAX_NR_TASKS)

/* Special endpoints (MINIX values). */
#define MOL_ANY			((__s32)0x7ace)	/* receive from anyone */
#define MOL_NONE		((__s32)0x6ace)	/* no process */
#define MOL_SELF		((__s32)0x8ace)	/* the caller itself */

/* Tasks. */
#define MOL_IDLE		((__s32)-4)
#define MOL_CLOCK		((__s32)-3)
#define MOL_SYSTEM		((__s32)-2)
#define MOL_KERNEL		((__s32)-1)	/* source of module notices */

/* Well-known servers and drivers of a MoL instance (generation 0). */
#define MOL_PM			((__s32)0)	/* process manager */
#define MOL_FS			((__s32)1)	/* file system (VFS role) */
#define MOL_RS			((__s32)2)	/* reincarnation server */
#define MOL_MEM			((__s32)3)	/* memory driver */
#define MOL_LOG			((__s32)4)	/* log driver */
#define MOL_TTY			((__s32)5)	/* terminal driver */
#define MOL_DS			((__s32)6)	/* data store */
#define MOL_DISK		((__s32)7)	/* moldisk */
#define MOL_HOSTFS		((__s32)8)	/* host pass-through FS */
#define MOL_INIT		((__s32)15)	/* first user process */
#define MOL_NR_BOOT_SLOTS	16	/* slots below this are reserved */

/*
 * Instance sizes.  nr_procs (per instance) is chosen at creation, bounded
 * by MOL_MAX_PROCS; the module's default comes from its nr_procs
 * parameter.
 */
#define MOL_MIN_PROCS		MOL_NR_BOOT_SLOTS
#define MOL_MAX_PROCS		2048	/* keeps every endpoint clear of MOL_SELF */

/* ------------------------------------------------------------------ */
/* Messages                                                            */
/* ------------------------------------------------------------------ */

#define MOL_MSG_SIZE		64
#define MOL_PAYLOAD_SIZE	56

/* MINIX's classic named layouts, with fixed-width types. */
struct mol_mess_1 {
	__s32 m1i1, m1i2, m1i3;
	__u32 m1pad;
	__u64 m1p1, m1p2, m1p3, m1p4;
};

struct mol_mess_2 {
	__s32 m2i1, m2i2, m2i3;
	__u32 m2u32;
	__s64 m2l1, m2l2;
	__u64 m2p1;
	__u16 m2s1;
	__u16 m2pad[3];
};

struct mol_mess_3 {
	__s32 m3i1, m3i2;
	__u64 m3p1;
	char m3ca1[40];
};

struct mol_mess_4 {
	__s64 m4ll1;
	__s64 m4l1, m4l2, m4l3, m4l4, m4l5;
	__u64 m4pad;
};

struct mol_mess_7 {
	__s32 m7i1, m7i2, m7i3, m7i4, m7i5;
	__u32 m7pad;
	__u64 m7p1, m7p2;
};

/* Payload of a notification (m_type == MOL_NOTIFY_MESSAGE). */
struct mol_mess_notify {
	__u64 timestamp_ns;	/* CLOCK_MONOTONIC ns at delivery */
	__u64 arg;		/* MOL_KERNEL notices: MOL_NOTICE_* bits */
};

struct mol_message {
	__s32 m_source;		/* filled by the IPC layer, never trusted */
	__s32 m_type;
	union {
		struct mol_mess_1 m1;
		struct mol_mess_2 m2;
		struct mol_mess_3 m3;
		struct mol_mess_4 m4;
		struct mol_mess_7 m7;
		struct mol_mess_notify m_notify;
		__u8 m_raw[MOL_PAYLOAD_SIZE];
		__u32 m_u32[MOL_PAYLOAD_SIZE / 4];
		__u64 m_u64[MOL_PAYLOAD_SIZE / 8];
	} m_u;
} __attribute__((aligned(8)));

MOL_STATIC_ASSERT(sizeof(struct mol_message) == MOL_MSG_SIZE,
		  "a MINIX message is 64 bytes");
MOL_STATIC_ASSERT(offsetof(struct mol_message, m_source) == 0, "m_source");
MOL_STATIC_ASSERT(offsetof(struct mol_message, m_type) == 4, "m_type");
MOL_STATIC_ASSERT(offsetof(struct mol_message, m_u) == 8, "payload");
MOL_STATIC_ASSERT(sizeof(struct mol_mess_1) <= MOL_PAYLOAD_SIZE, "mess_1");
MOL_STATIC_ASSERT(sizeof(struct mol_mess_2) <= MOL_PAYLOAD_SIZE, "mess_2");
MOL_STATIC_ASSERT(sizeof(struct mol_mess_3) == MOL_PAYLOAD_SIZE, "mess_3");
MOL_STATIC_ASSERT(sizeof(struct mol_mess_4) == MOL_PAYLOAD_SIZE, "mess_4");
MOL_STATIC_ASSERT(sizeof(struct mol_mess_7) <= MOL_PAYLOAD_SIZE, "mess_7");

/* m_type of a notification, as in MINIX. */
#define MOL_NOTIFY_MESSAGE	0x1000
/* MOL_KERNEL notice bits in m_notify.arg (to the system task). */
#define MOL_NOTICE_DEATH	(1ULL << 0)	/* MOLIPC_IOC_DEAD has entries */

/* ------------------------------------------------------------------ */
/* Status codes                                                        */
/* ------------------------------------------------------------------ */

/*
 * MINIX's IPC error names, each mapped to exactly one errno.  The ioctls
 * fail with -1 and errno set to the value on the right; libmol returns
 * the negative value (MOL_OK or MOL_E*), as liburing does.
 */
#define MOL_OK			0
#define MOL_ELOCKED		(-EDEADLK)	/* send/receive would deadlock */
#define MOL_EDEADSRCDST		(-ESRCH)	/* partner dead or stale gen */
#define MOL_EBADSRCDST		(-ENXIO)	/* malformed/out-of-range ep */
#define MOL_ECALLDENIED		(-EACCES)	/* target not in send mask */
#define MOL_ETRAPDENIED		(-EPERM)	/* operation not in trap mask */
#define MOL_ENOTREADY		(-EAGAIN)	/* sendnb: peer not receiving */
#define MOL_EINTR		(-EINTR)	/* withdrawn: nothing delivered */
#define MOL_ETIMEDOUT		(-ETIMEDOUT)	/* withdrawn after timeout */
#define MOL_EREPLYPENDING	(-ERESTART)	/* sendrec interrupted after
						 * its request was delivered:
						 * resume the wait (library) */
#define MOL_EBUSY		(-EBUSY)	/* endpoint busy or in use */
#define MOL_ENOTBOUND		(-ENOTCONN)	/* caller holds no endpoint */
#define MOL_EINSTGONE		(-EIDRM)	/* instance was destroyed */
#define MOL_EFAULT		(-EFAULT)
#define MOL_EINVAL		(-EINVAL)

/* ------------------------------------------------------------------ */
/* Privileges                                                          */
/* ------------------------------------------------------------------ */

/*
 * IPC operations, numbered as the trap mask bits.
 */
#define MOLIPC_OP_SEND		1
#define MOLIPC_OP_RECEIVE	2
#define MOLIPC_OP_SENDREC	3
#define MOLIPC_OP_NOTIFY	4
#define MOLIPC_OP_SENDNB	5
#define MOLIPC_OP_REPLY_RECV	6
#define MOLIPC_OP_MAX		6
#define MOLIPC_TRAP(op)		(1U << (op))
#define MOLIPC_TRAPS_ALL	(((1U << (MOLIPC_OP_MAX + 1)) - 1) & ~1U)
#define MOLIPC_TRAPS_USER	MOLIPC_TRAP(MOLIPC_OP_SENDREC)

/*
 * Send mask: one bit per "system id" (slot + MOL_NR_TASKS) for the first
 * MOL_NR_SYS_IDS ids, i.e. the tasks and slots 0..MOL_NR_SYS_IDS - 5.
 * Slots above that (user processes) are reachable only with
 * MOLIPC_PRIV_SEND_USERS.  The mask governs send, sendrec, sendnb,
 * notify and the reply of reply-and-receive.
 */
#define MOL_NR_SYS_IDS		128
#define MOL_SYS_ID(slot)	((slot) + MOL_NR_TASKS)

#define MOLIPC_PRIV_SEND_USERS	(1U << 0)	/* may send to any user slot */
#define MOLIPC_PRIV_FLAGS	MOLIPC_PRIV_SEND_USERS

struct molipc_priv {
	__u64 send_mask[MOL_NR_SYS_IDS / 64];
	__u32 trap_mask;		/* MOLIPC_TRAP() bits */
	__u32 flags;			/* MOLIPC_PRIV_* */
};

/* ------------------------------------------------------------------ */
/* ioctls                                                              */
/* ------------------------------------------------------------------ */

#define MOLIPC_IOC_MAGIC	0xb7

/* MOLIPC_IOC_VERSION: what this module speaks.  Anyone may ask. */
struct molipc_version {
	__u32 major;			/* MOLIPC_ABI_MAJOR */
	__u32 minor;
	__u32 msg_size;			/* MOL_MSG_SIZE */
	__u32 nr_tasks;			/* MOL_NR_TASKS */
	__u32 default_procs;		/* module parameter nr_procs */
	__u32 max_instances;		/* module parameter max_instances */
	__u32 reserved[2];		/* zero */
};

/*
 * MOLIPC_IOC_CREATE (CAP_SYS_ADMIN): create an instance.  The calling
 * descriptor becomes bound to the new instance's MOL_SYSTEM endpoint,
 * unless MOLIPC_CREATE_APPOINT is set: then the process system_pid (in
 * the caller's pid namespace) is registered for MOL_SYSTEM and must bind
 * it, and the calling descriptor stays unbound.
 */
#define MOLIPC_CREATE_APPOINT	(1U << 0)
#define MOLIPC_CREATE_FLAGS	MOLIPC_CREATE_APPOINT

struct molipc_create {
	__u32 flags;			/* in: MOLIPC_CREATE_* */
	__u32 nr_procs;			/* in: 0 = module default */
	__s32 system_pid;		/* in: with MOLIPC_CREATE_APPOINT */
	__u32 instance;			/* out: instance id (> 0); ignored in */
	__u32 reserved[4];		/* zero */
};

/*
 * MOLIPC_IOC_REGISTER (system task only): allow the Linux process pid
 * (a tgid, in the caller's pid namespace) to bind slot, with privileges
 * priv.  The slot must be free.  Returns the endpoint it will have.
 * A process may hold at most one slot of an instance.
 */
struct molipc_register {
	__s32 pid;			/* in */
	__s32 slot;			/* in */
	__u32 flags;			/* in: zero */
	__s32 endpoint;			/* out; ignored in */
	struct molipc_priv priv;	/* in */
};

/*
 * MOLIPC_IOC_UNREGISTER (system task only): free the endpoint's slot,
 * bound or only registered, exactly as if its process had died (but no
 * death notice is queued).  MOLIPC_IOC_SETPRIV (system task only):
 * replace an endpoint's privileges.
 */
struct molipc_endpoint_req {
	__s32 endpoint;			/* in */
	__u32 flags;			/* in: zero */
	struct molipc_priv priv;	/* in: SETPRIV only, else zero */
};

/*
 * MOLIPC_IOC_BIND: bind the calling descriptor to the endpoint that the
 * system task registered for the calling process.  endpoint may be
 * MOL_ANY ("whatever is registered for me"); the endpoint bound is
 * returned.  A descriptor binds once; a bound endpoint cannot be bound
 * again while its process lives.
 */
struct molipc_bind {
	__u32 instance;			/* in */
	__s32 endpoint;			/* in/out */
	__u32 flags;			/* in: zero */
	__u32 reserved;			/* zero */
};

/*
 * IPC calls: MOLIPC_IOC_SEND, _RECEIVE, _SENDREC, _NOTIFY, _SENDNB and
 * _REPLY_RECV all take struct molipc_ipc.
 *
 *   endpoint  destination (send, sendrec, notify, sendnb, the reply of
 *             reply_recv) or source (receive: an endpoint or MOL_ANY)
 *   src       reply_recv: whom to receive from after the reply; else 0
 *   flags     MOLIPC_IPC_TIMEOUT: give up after timeout_ns (relative);
 *             MOLIPC_IPC_RESUME (sendrec only): resume the wait for the
 *             reply of an interrupted sendrec (msg is not sent again)
 *   status    out: MOLIPC_STATUS_* about the message received
 *   msg       in: the message to send; out: the message received
 *
 * A signal withdraws a blocked call that delivered nothing.  When no
 * handler runs (a stop signal and SIGCONT), Linux restarts the ioctl
 * and the call goes on; with a handler it fails with EINTR, SA_RESTART
 * or not.  A withdrawn timed call writes the time it had left into
 * timeout_ns.  reply_recv, whose reply already went, fails with EINTR.
 */
#define MOLIPC_IPC_TIMEOUT	(1U << 0)
#define MOLIPC_IPC_RESUME	(1U << 1)
#define MOLIPC_IPC_FLAGS	(MOLIPC_IPC_TIMEOUT | MOLIPC_IPC_RESUME)

#define MOLIPC_STATUS_NOTIFY	(1U << 0)	/* msg is a notification */
#define MOLIPC_STATUS_SENDREC	(1U << 1)	/* sender awaits a reply */

struct molipc_ipc {
	__s32 endpoint;
	__s32 src;
	__u32 flags;
	__u32 status;
	__u64 timeout_ns;
	struct mol_message msg;
};

MOL_STATIC_ASSERT(sizeof(struct molipc_ipc) == 88, "molipc_ipc layout");
MOL_STATIC_ASSERT(offsetof(struct molipc_ipc, msg) == 24, "molipc_ipc msg");

/*
 * MOLIPC_IOC_DEAD (system task only): take up to MOLIPC_DEAD_MAX entries
 * from the instance's queue of dead endpoints.  count is in: capacity,
 * out: number filled.  status is the Linux wait status of the process
 * (as waitpid reports it) or -1 when the slot was only closed.
 */
#define MOLIPC_DEAD_MAX		16

struct molipc_dead_entry {
	__s32 endpoint;
	__s32 status;
	__s32 pid;			/* tgid in the system task's pid ns */
	__u32 reserved;
};

struct molipc_dead {
	__u32 count;
	__u32 flags;			/* zero */
	struct molipc_dead_entry ent[MOLIPC_DEAD_MAX];
};

/*
 * MOLIPC_IOC_PROCINFO (system task only): the state of one slot, for
 * "molctl ps".  slot in; the rest out.
 */
#define MOLIPC_PSTATE_FREE	0
#define MOLIPC_PSTATE_REGISTERED 1	/* registered, not yet bound */
#define MOLIPC_PSTATE_RUNNING	2	/* bound, not in IPC */
#define MOLIPC_PSTATE_SENDING	3	/* blocked sending to peer */
#define MOLIPC_PSTATE_RECEIVING	4	/* blocked receiving from peer */
#define MOLIPC_PSTATE_SENDREC	5	/* sendrec: sending to peer */
#define MOLIPC_PSTATE_REPLYWAIT	6	/* sendrec: awaiting peer's reply */

struct molipc_procinfo {
	__s32 slot;			/* in */
	__u32 flags;			/* in: zero */
	__s32 endpoint;
	__s32 pid;			/* tgid in the caller's pid ns */
	__u32 state;			/* MOLIPC_PSTATE_* */
	__s32 peer;			/* endpoint or MOL_ANY */
	__u64 sent;			/* messages sent */
	__u64 received;			/* messages received */
	__u64 notifies;			/* notifications received */
	__u64 errors;			/* failed calls (timeouts not counted) */
};

/* ------------------------------------------------------------------ */
/* Memory grants (Documentation/ipc.md, "Grants")                      */
/* ------------------------------------------------------------------ */

/*
 * A process keeps its grant table in its OWN memory, an array of struct
 * mol_grant, and tells the IPC layer where it is with MOLIPC_IOC_SETGRANT
 * (MINIX's sys_setgrant).  Entry i, while MOL_GRANT_VALID, lets grantee
 * (an endpoint, or MOL_ANY for everyone) read (MOL_GRANT_READ) and/or
 * write (MOL_GRANT_WRITE) [addr, addr + len) of the granter's memory.
 * The grant id names the entry and its generation, so an id revoked and
 * whose entry was reused for another grant is not honoured:
 *
 *	id = (gen << MOL_GRANT_GEN_SHIFT) | index
 *
 * gen is 15 bits (1..MOL_GRANT_MAX_GEN for ids libmol hands out), so ids
 * are positive as MINIX's cp_grant_id_t; MOL_GRANT_INVALID is never one.
 * The layer reads an entry once per copy; it never writes the table.
 */
#define MOL_GRANT_VALID		(1U << 0)	/* the entry is a grant */
#define MOL_GRANT_READ		(1U << 1)	/* grantee may read (copy FROM) */
#define MOL_GRANT_WRITE		(1U << 2)	/* grantee may write (copy TO) */
#define MOL_GRANT_FLAGS		(MOL_GRANT_VALID | MOL_GRANT_READ | \
				 MOL_GRANT_WRITE)

#define MOL_GRANT_GEN_SHIFT	16
#define MOL_GRANT_MAX_GEN	0x7fff
#define MOL_GRANT_ID(gen, idx)	((__s32)((((__u32)(gen) & MOL_GRANT_MAX_GEN) << \
					  MOL_GRANT_GEN_SHIFT) | \
					 ((__u32)(idx) & 0xffff)))
#define MOL_GRANT_IDX(id)	((__u32)(id) & 0xffff)
#define MOL_GRANT_GEN(id)	(((__u32)(id) >> MOL_GRANT_GEN_SHIFT) & 0xffff)
#define MOL_GRANT_INVALID	((__s32)-1)

/* Most entries a table may have (MOLIPC_IOC_SETGRANT nr_entries). */
#define MOLIPC_GRANT_MAX	4096

struct mol_grant {
	__u32 flags;			/* MOL_GRANT_* */
	__s32 grantee;			/* endpoint or MOL_ANY */
	__u16 gen;			/* must equal MOL_GRANT_GEN(id) */
	__u16 reserved[3];		/* zero (else the entry is invalid) */
	__u64 addr;			/* granter's virtual address */
	__u64 len;			/* bytes */
};

MOL_STATIC_ASSERT(sizeof(struct mol_grant) == 32, "mol_grant layout");
MOL_STATIC_ASSERT(offsetof(struct mol_grant, addr) == 16, "mol_grant addr");

/*
 * MOLIPC_IOC_SETGRANT (any bound endpoint): the caller's grant table is
 * nr_entries entries at table_addr in its own memory; nr_entries 0 (and
 * table_addr 0) removes it.  The table is not read now: a table that is
 * not readable makes the grantees' copies fail with EFAULT.  table_addr
 * must be 8-byte aligned and nr_entries at most MOLIPC_GRANT_MAX, else
 * EINVAL; then ENOTCONN, EIDRM, EBUSY as for SAFECOPY.  A new call
 * replaces the previous table; the slot's death or unregistration
 * forgets it.
 */
struct molipc_setgrant {
	__u64 table_addr;		/* in */
	__u32 nr_entries;		/* in */
	__u32 flags;			/* in: zero */
};

MOL_STATIC_ASSERT(sizeof(struct molipc_setgrant) == 16, "setgrant layout");

/*
 * MOLIPC_IOC_SAFECOPY (any bound endpoint): copy len bytes between
 * [offset, offset + len) of grant grant_id of granter and the caller's
 * [local_addr, local_addr + len):
 *   MOLIPC_SAFECOPY_FROM  granter -> caller (needs MOL_GRANT_READ)
 *   MOLIPC_SAFECOPY_TO    caller -> granter (needs MOL_GRANT_WRITE)
 * Exactly one of the two.  The copy goes directly between the two
 * address spaces.  Errors, in the order checked (the first one wins):
 *   EINVAL   flags not exactly one direction, reserved not zero
 *   ENOTCONN, EIDRM, EBUSY  as for every call (EBUSY: another thread
 *            of the caller is inside a blocking call)
 *   ENXIO    granter malformed, MOL_ANY or MOL_NONE (MOL_SELF: the caller)
 *   ESRCH    granter dead, not bound, or a stale endpoint
 *   EINVAL   no such grant: the granter has no table, the index is
 *            beyond it, the entry is not VALID, its gen is not the id's,
 *            or it has unknown flag bits or non-zero reserved fields
 *   EFAULT   the granter's table entry is not readable
 *   EPERM    the caller is not the grantee (and it is not MOL_ANY); the
 *            access is not granted; offset + len beyond the grant's len
 *            (or overflowing)
 *   EFAULT   the granted range or the caller's buffer is not mapped
 *            with the access needed (no FOLL_FORCE: a read-only mapping
 *            of the granter cannot be written through a grant)
 * A zero-length copy checks everything but the memory and succeeds.  On
 * EFAULT during the copy the destination may be partly written.
 */
#define MOLIPC_SAFECOPY_FROM	(1U << 0)
#define MOLIPC_SAFECOPY_TO	(1U << 1)

struct molipc_safecopy {
	__s32 granter;			/* in: endpoint (or MOL_SELF) */
	__s32 grant_id;			/* in */
	__u64 offset;			/* in: into the grant */
	__u64 local_addr;		/* in: caller's buffer */
	__u64 len;			/* in */
	__u32 flags;			/* in: MOLIPC_SAFECOPY_* */
	__u32 reserved;			/* zero */
};

MOL_STATIC_ASSERT(sizeof(struct molipc_safecopy) == 40, "safecopy layout");

#define MOLIPC_IOC_VERSION	_IOR(MOLIPC_IOC_MAGIC, 0x00, struct molipc_version)
#define MOLIPC_IOC_CREATE	_IOWR(MOLIPC_IOC_MAGIC, 0x01, struct molipc_create)
#define MOLIPC_IOC_REGISTER	_IOWR(MOLIPC_IOC_MAGIC, 0x02, struct molipc_register)
#define MOLIPC_IOC_UNREGISTER	_IOW(MOLIPC_IOC_MAGIC, 0x03, struct molipc_endpoint_req)
#define MOLIPC_IOC_SETPRIV	_IOW(MOLIPC_IOC_MAGIC, 0x04, struct molipc_endpoint_req)
#define MOLIPC_IOC_BIND		_IOWR(MOLIPC_IOC_MAGIC, 0x05, struct molipc_bind)
#define MOLIPC_IOC_DEAD		_IOWR(MOLIPC_IOC_MAGIC, 0x06, struct molipc_dead)
#define MOLIPC_IOC_PROCINFO	_IOWR(MOLIPC_IOC_MAGIC, 0x07, struct molipc_procinfo)
#define MOLIPC_IOC_SETGRANT	_IOW(MOLIPC_IOC_MAGIC, 0x08, struct molipc_setgrant)
#define MOLIPC_IOC_SAFECOPY	_IOW(MOLIPC_IOC_MAGIC, 0x09, struct molipc_safecopy)

#define MOLIPC_IOC_SEND		_IOWR(MOLIPC_IOC_MAGIC, 0x10, struct molipc_ipc)
#define MOLIPC_IOC_RECEIVE	_IOWR(MOLIPC_IOC_MAGIC, 0x11, struct molipc_ipc)
#define MOLIPC_IOC_SENDREC	_IOWR(MOLIPC_IOC_MAGIC, 0x12, struct molipc_ipc)
#define MOLIPC_IOC_NOTIFY	_IOWR(MOLIPC_IOC_MAGIC, 0x13, struct molipc_ipc)
#define MOLIPC_IOC_SENDNB	_IOWR(MOLIPC_IOC_MAGIC, 0x14, struct molipc_ipc)
#define MOLIPC_IOC_REPLY_RECV	_IOWR(MOLIPC_IOC_MAGIC, 0x15, struct molipc_ipc)

#endif /* _UAPI_LINUX_MOLIPC_H */

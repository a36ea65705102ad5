/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mol.h - libmol, the MoL IPC library.
 *
 * One API over two transports with identical semantics:
 *   kmod   ioctls on /dev/molipc (molipc.ko)
 *   udp    datagrams to the molkernel pseudo-kernel over UDP
 *   unix   datagrams to molkernel over a unix datagram socket
 *
 * Every function returns MOL_OK (0) or a negative MOL_E* status code from
 * <linux/molipc.h> (each is minus one errno, e.g. MOL_ELOCKED ==
 * -EDEADLK), never -1 with errno.  Message layout, endpoints and status
 * codes are those of <linux/molipc.h>; see Documentation/ipc.md for the
 * semantics of each call.
 *
 * A struct mol is one process's connection to its transport.  It is not
 * inherited across fork: a child opens its own.  Calls on one struct mol
 * are serialised by the caller (libmol does not lock).
 */
#ifndef MOL_H
#define MOL_H

#include <stdint.h>
#include <sys/types.h>
#include <linux/molipc.h>

#ifdef __cplusplus
extern "C" {
#endif

struct mol_transport;
struct mol_grant_table;

struct mol {
	const struct mol_transport *ops;
	int fd;				/* device or socket */
	int endpoint;			/* bound endpoint, MOL_NONE if none */
	unsigned int instance;		/* bound instance, 0 if none */
	uint32_t seq;			/* pseudo-kernel request sequence */
	pid_t pid;			/* process that opened it */
	void *priv;			/* transport private data */
	struct mol_grant_table *grants;	/* mol_grant_create()'s table */
};

/*
 * mol_open - connect to a transport.
 * @transport: "kmod", "udp", "unix", or NULL for the configured one:
 *	$MOL_TRANSPORT if set, else "kmod" when /dev/molipc exists, else
 *	"unix".  The pseudo-kernel address comes from $MOL_KERNEL_ADDR
 *	(udp: "host:port", default 127.0.0.1:7070; unix: a socket path,
 *	default /run/mol/molkernel.sock).
 * Returns MOL_OK, -ENODEV if the transport is unknown or not reachable,
 * or another negative errno.  Does not block.
 */
int mol_open(struct mol *mol, const char *transport);

/* mol_close - release the connection; a bound endpoint dies with it. */
void mol_close(struct mol *mol);

/* mol_transport_name - "kmod", "udp" or "unix". */
const char *mol_transport_name(const struct mol *mol);

/* mol_version - the ABI version spoken by the other side. */
int mol_version(struct mol *mol, struct molipc_version *ver);

/* ---------------------------------------------------------------- */
/* Instances and binding (system task, launcher)                     */
/* ---------------------------------------------------------------- */

/*
 * mol_create_instance - create an instance (needs CAP_SYS_ADMIN on kmod,
 * root or the molkernel owner on the pseudo-kernel); @mol becomes bound
 * to its MOL_SYSTEM endpoint.  @nr_procs 0 = default.  Returns the
 * instance id in *@instance.
 */
int mol_create_instance(struct mol *mol, unsigned int nr_procs,
			unsigned int *instance);

/*
 * mol_register - (system task only) allow Linux process @pid to bind
 * @slot of the caller's instance with privileges @priv.  The endpoint it
 * will have is stored in *@endpoint.
 */
int mol_register(struct mol *mol, pid_t pid, int slot,
		 const struct molipc_priv *priv, int *endpoint);

/* mol_unregister - (system task only) free @endpoint's slot. */
int mol_unregister(struct mol *mol, int endpoint);

/* mol_setpriv - (system task only) replace @endpoint's privileges. */
int mol_setpriv(struct mol *mol, int endpoint,
		const struct molipc_priv *priv);

/*
 * mol_bind - bind the calling process to the endpoint the system task
 * registered for it in @instance.  @endpoint may be MOL_ANY.  The bound
 * endpoint is returned in *@bound (may be NULL).
 */
int mol_bind(struct mol *mol, unsigned int instance, int endpoint,
	     int *bound);

/*
 * mol_dead - (system task only) take queued death records (see
 * MOLIPC_IOC_DEAD); dead->count is the capacity in, the number out.
 */
int mol_dead(struct mol *mol, struct molipc_dead *dead);

/* mol_procinfo - (system task only) state of slot info->slot. */
int mol_procinfo(struct mol *mol, struct molipc_procinfo *info);

/* ---------------------------------------------------------------- */
/* IPC                                                               */
/* ---------------------------------------------------------------- */

/*
 * mol_send - send @m to @dst; blocks until @dst receives it.
 * m->m_source is ignored and filled in by the IPC layer.
 */
int mol_send(struct mol *mol, int dst, struct mol_message *m);

/*
 * mol_receive - receive from @src (an endpoint or MOL_ANY) into @m;
 * blocks until a notification or a message from @src is there.
 * *@status (may be NULL) gets MOLIPC_STATUS_* bits.
 */
int mol_receive(struct mol *mol, int src, struct mol_message *m,
		unsigned int *status);

/*
 * mol_sendrec - send @m to @dst, then wait for @dst's reply, which
 * overwrites @m.  If a signal arrives after the request was delivered,
 * the wait is resumed transparently and the reply delivered once;
 * before that, the call is withdrawn and returns MOL_EINTR.
 */
int mol_sendrec(struct mol *mol, int dst, struct mol_message *m);

/* mol_notify - notify @dst; never blocks. */
int mol_notify(struct mol *mol, int dst);

/* mol_sendnb - send @m to @dst if it is receiving, else MOL_ENOTREADY. */
int mol_sendnb(struct mol *mol, int dst, struct mol_message *m);

/*
 * mol_reply_receive - deliver @m as the reply to @dst (which must be
 * waiting in sendrec for the caller, else MOL_ENOTREADY and nothing is
 * received), then receive from @src into @m, as mol_receive.
 */
int mol_reply_receive(struct mol *mol, int dst, struct mol_message *m,
		      int src, unsigned int *status);

/*
 * mol_ipc - the general call behind the wrappers above: @op is a
 * MOLIPC_OP_*, @req as for the MOLIPC_IOC_* IPC ioctls (timeouts with
 * MOLIPC_IPC_TIMEOUT).  Returns the raw result: MOL_EREPLYPENDING is
 * not hidden here.
 */
int mol_ipc(struct mol *mol, int op, struct molipc_ipc *req);

/* mol_strerror - a short text for a MOL_* status code. */
const char *mol_strerror(int status);

/* ---------------------------------------------------------------- */
/* Memory grants (Documentation/ipc.md, "Grants")                    */
/* ---------------------------------------------------------------- */

/*
 * mol_grant_create - let @grantee (an endpoint, or MOL_ANY for anyone)
 * read (@access has MOL_GRANT_READ) and/or write (MOL_GRANT_WRITE)
 * [@addr, @addr + @len) of the caller's memory.  libmol keeps the grant
 * table (struct mol_grant entries in this process's memory) and
 * registers it with mol_setgrant() the first time and whenever it grows
 * (up to MOLIPC_GRANT_MAX entries).  Returns the grant id (>= 0) to pass
 * to the grantee, or MOL_EINVAL (@access empty or unknown bits), -ENOMEM
 * (table full or no memory), or the error of mol_setgrant() (e.g.
 * MOL_ENOTBOUND).  The range is not checked now: a copy through a grant
 * of unmapped memory fails with MOL_EFAULT.  Does not block.
 */
int mol_grant_create(struct mol *mol, int grantee, const void *addr,
		     size_t len, unsigned int access);

/*
 * mol_grant_revoke - end grant @id: later copies through it fail with
 * MOL_EINVAL, also once its table entry has been reused (the id carries
 * the entry's generation).  A copy already running may complete, as in
 * MINIX.  Returns MOL_OK, or MOL_EINVAL if @id is not a live grant of
 * this connection.  Does not block.
 */
int mol_grant_revoke(struct mol *mol, int id);

/*
 * mol_safecopy_from - copy @len bytes at @offset of grant @id of
 * @granter (an endpoint, or MOL_SELF) into @buf; mol_safecopy_to -
 * copy @len bytes from @buf into the grant.  The copy goes directly
 * between the two processes (one ioctl on kmod, one datagram exchange
 * on udp/unix).  Returns MOL_OK or, in this order of checks:
 * MOL_ENOTBOUND, MOL_EINSTGONE, MOL_EBADSRCDST (granter malformed or
 * MOL_ANY), MOL_EDEADSRCDST (granter dead or stale), MOL_EINVAL (no
 * such grant: bad or revoked id, no table), MOL_EFAULT (the granter's
 * table unreadable), -EPERM (not the grantee, access not granted,
 * @offset + @len beyond the grant), MOL_EFAULT (the granted range or
 * @buf not mapped with the access needed; the destination may then be
 * partly written).  A zero-length copy only checks.  Never waits for
 * the granter: it may be blocked in IPC or running.
 */
int mol_safecopy_from(struct mol *mol, int granter, int id, size_t offset,
		      void *buf, size_t len);
int mol_safecopy_to(struct mol *mol, int granter, int id, size_t offset,
		    const void *buf, size_t len);

/*
 * mol_setgrant - the raw MOLIPC_IOC_SETGRANT: the caller's grant table
 * is @nr entries at @table (NULL and 0: none).  Replaces the table
 * mol_grant_create() manages, if any (use one or the other).  Returns
 * MOL_OK, MOL_EINVAL (@nr > MOLIPC_GRANT_MAX, @table not 8-byte
 * aligned), MOL_ENOTBOUND or MOL_EINSTGONE.
 */
int mol_setgrant(struct mol *mol, struct mol_grant *table, unsigned int nr);

/* mol_safecopy - the raw MOLIPC_IOC_SAFECOPY with all its fields. */
int mol_safecopy(struct mol *mol, const struct molipc_safecopy *req);

/* ---------------------------------------------------------------- */
/* Transports                                                        */
/* ---------------------------------------------------------------- */

/*
 * struct mol_transport - what a transport implements.  ctl() carries
 * the control requests, named by their MOLIPC_IOC_* number, with the
 * same argument structures as the ioctls.
 */
struct mol_transport {
	const char *name;
	int (*open)(struct mol *mol);
	void (*close)(struct mol *mol);
	int (*ipc)(struct mol *mol, int op, struct molipc_ipc *req);
	int (*ctl)(struct mol *mol, unsigned long req, void *arg);
};

extern const struct mol_transport mol_transport_kmod;
extern const struct mol_transport mol_transport_udp;
extern const struct mol_transport mol_transport_unix;

#ifdef __cplusplus
}
#endif

#endif /* MOL_H */

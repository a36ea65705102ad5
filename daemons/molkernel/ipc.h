/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ipc.h - molkernel's IPC state machine: instances, slots, the MINIX
 * rendezvous, notifications, privileges, deadlock detection, timeouts,
 * withdrawal on signals and death.  No I/O: whatever must leave the state
 * machine (a reply to a blocked caller, watching a pid) goes through
 * struct mk_env, which molkernel.c implements and the tests may fake.
 *
 * The semantics are /work/shared/mol-spec.md and
 * Documentation/ipc-decisions.txt, the same as molipc.ko's.
 */
#ifndef MOLK_IPC_H
#define MOLK_IPC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/molipc.h>

#include "list.h"

#define MK_BLOCKED		1	/* mk_ipc(): the caller waits */
#define MK_PEER_ANY		(-1)	/* peer_id of a receive from ANY */
#define MK_DEADQ_LEN		256	/* death records kept per instance */

enum mk_pstate {
	MK_SLOT_FREE,
	MK_SLOT_REGISTERED,		/* pid may bind it */
	MK_SLOT_BOUND,			/* a client of pid holds it */
};

enum mk_state {
	MK_RUNNING,			/* not in IPC */
	MK_SENDING,			/* queued on peer's senders */
	MK_RECEIVING,			/* waiting for peer or ANY */
	MK_REPLYWAIT,			/* sendrec: awaiting peer's reply */
	MK_REPLYHELD,			/* reply (or error) kept for RESUME */
};

struct mk_inst;

struct mk_notify {
	int id;				/* notifier's id (slot + NR_TASKS) */
	uint64_t ts;			/* CLOCK_MONOTONIC of the last notify
					 * (kept for debugging; delivery time
					 * is what the receiver gets) */
	uint64_t arg;			/* MOL_NOTICE_* bits (from KERNEL) */
};

struct mk_proc {
	struct mk_inst *inst;
	int slot;
	int id;				/* slot + MOL_NR_TASKS */
	int endpoint;			/* current or next owner's endpoint */
	uint32_t gen;
	enum mk_pstate pstate;
	pid_t pid;			/* owner while not FREE */
	void *owner;			/* the client bound (env's) */
	void *watch;			/* the pid watch (env's) */
	struct molipc_priv priv;

	/* IPC state */
	enum mk_state state;
	bool in_call;			/* the owner waits for our answer */
	bool sendrec;			/* SENDING is a sendrec's request */
	int op;				/* op of the call in progress */
	int peer_id;			/* target or source, MK_PEER_ANY */
	int peer_ep;			/* endpoint of that peer */
	struct list_head senders;	/* procs sending to us, FIFO */
	struct list_head send_link;	/* our place in peer's senders */
	struct mol_message out;		/* our message while SENDING */
	struct mol_message in;		/* message delivered to us */
	uint32_t in_status;		/* MOLIPC_STATUS_* of "in" */
	int result;			/* status of a completed call (and of
					 * the reply kept in REPLYHELD) */

	/* timeout of the blocked call */
	bool timed;
	uint64_t deadline;
	struct list_head tmo_link;

	/* notifications pending for us, sorted by id */
	struct mk_notify *pend;
	unsigned int npend, pend_cap;

	/* grant table in the owner's memory (MOLIPC_IOC_SETGRANT) */
	uint64_t grant_table;
	uint32_t grant_nr;

	/* counters */
	uint64_t nr_sent, nr_received, nr_notifies, nr_errors;
};

struct mk_kernel;

struct mk_inst {
	struct mk_kernel *k;
	struct list_head link;
	uint32_t id;
	bool dead;			/* system task gone: EIDRM */
	unsigned int nr_procs;
	unsigned int nr_ids;
	unsigned int refs;		/* slots not FREE */
	struct mk_proc *procs;		/* nr_ids entries */

	struct molipc_dead_entry deadq[MK_DEADQ_LEN];
	unsigned int dead_head, dead_count;
	uint64_t dead_lost;
};

/* What the state machine needs from its environment. */
struct mk_env {
	/*
	 * The blocked call of p ends with status (and, if MOL_OK, msg and
	 * the MOLIPC_STATUS_* bits).  p->in_call is already false.
	 */
	void (*complete)(void *ctx, struct mk_proc *p, int status,
			 uint32_t rstatus, const struct mol_message *msg);
	/* Start watching pid's death; the handle goes to p->watch. */
	int (*watch)(void *ctx, struct mk_proc *p, pid_t pid, void **handle);
	void (*unwatch)(void *ctx, void *handle);
	/* Is pid a live thread-group leader (not exiting)? */
	bool (*alive)(void *ctx, pid_t pid);
	/* CLOCK_MONOTONIC in ns. */
	uint64_t (*now)(void *ctx);
	void *ctx;
};

struct mk_kernel {
	struct mk_env env;
	struct list_head instances;
	unsigned int nr_instances;
	unsigned int max_instances;
	unsigned int default_procs;
	uint32_t next_id;
	struct list_head timeouts;	/* procs with a deadline, sorted */

	/* counters */
	uint64_t nr_calls, nr_blocked, nr_deaths, nr_deadlocks;
};

/* Who is asking, for the control operations. */
struct mk_caller {
	pid_t pid;			/* verified Linux tgid */
	bool privileged;		/* root / CAP_SYS_ADMIN / our owner */
	bool same_pid;			/* pid is the one that bound */
	struct mk_proc *bound;		/* the slot it bound, NULL if none */
	void *owner;			/* the client, for create/bind */
};

void mk_kernel_init(struct mk_kernel *k, const struct mk_env *env,
		    unsigned int default_procs, unsigned int max_instances);
void mk_kernel_fini(struct mk_kernel *k);

/*
 * mk_ipc - an IPC call by the client bound to self (checks 3.. of
 * ipc-decisions.txt; check 1 is molk_ipc_check_args() and check 2 the
 * caller's job).  Returns a status, with req->msg and req->status filled
 * on MOL_OK, or MK_BLOCKED: the answer comes later through env.complete.
 */
int mk_ipc(struct mk_kernel *k, struct mk_proc *self, int op,
	   struct molipc_ipc *req);

/*
 * mk_cancel - withdraw self's blocked call (why: MOL_EINTR for a signal,
 * MOL_ETIMEDOUT).  The answer goes through env.complete.  Returns false
 * if self had no blocked call.
 */
bool mk_cancel(struct mk_kernel *k, struct mk_proc *self, int why);

/* Deadline of the earliest timeout, or UINT64_MAX. */
uint64_t mk_next_deadline(struct mk_kernel *k);
/* Withdraw every call whose deadline is <= now. */
void mk_expire(struct mk_kernel *k, uint64_t now);

/*
 * mk_proc_gone - the owner of p is gone: it died (wstatus as waitpid
 * reports it, -1 if unknown) or closed its binding (-1).  Frees the slot,
 * fails partners, queues a death record and notifies the system task;
 * the death of the system task destroys the instance.  Nothing if the
 * slot is already free or the instance dead.
 */
void mk_proc_gone(struct mk_kernel *k, struct mk_proc *p, int wstatus);

/* Instance references: one while alive, one per client bound to it. */
void mk_inst_get(struct mk_inst *inst);
void mk_inst_put(struct mk_inst *inst);

/* Internal, shared by ipc.c and instance.c. */
void mk_complete(struct mk_proc *p, int result);
void mk_abort(struct mk_proc *p, int err);
void mk_fail_partners(struct mk_proc *p, int err);
void mk_reset_ipc(struct mk_proc *p);
void mk_post_notify(struct mk_proc *dst, int src_id, uint64_t arg);
uint32_t mk_proc_pstate(const struct mk_proc *p);
struct mk_proc *mk_lookup(struct mk_inst *inst, struct mk_proc *caller,
			  int ep, int *err);
/* The caller's live slot, or MOL_ENOTBOUND / MOL_EINSTGONE. */
int mk_caller_proc(const struct mk_caller *c, struct mk_proc **pp);

static inline struct mk_proc *mk_proc_by_slot(struct mk_inst *inst, int slot)
{
	return &inst->procs[slot + MOL_NR_TASKS];
}

/* Control operations, as the ioctls of <linux/molipc.h>. */
int mk_create(struct mk_kernel *k, const struct mk_caller *c,
	      struct molipc_create *req, struct mk_proc **bound);
int mk_register(struct mk_kernel *k, const struct mk_caller *c,
		struct molipc_register *req);
int mk_unregister(struct mk_kernel *k, const struct mk_caller *c,
		  struct molipc_endpoint_req *req);
int mk_setpriv(struct mk_kernel *k, const struct mk_caller *c,
	       struct molipc_endpoint_req *req);
int mk_bind(struct mk_kernel *k, const struct mk_caller *c,
	    struct molipc_bind *req, struct mk_proc **bound);
int mk_take_dead(struct mk_kernel *k, const struct mk_caller *c,
		 struct molipc_dead *req);
int mk_procinfo(struct mk_kernel *k, const struct mk_caller *c,
		struct molipc_procinfo *req);
void mk_version(struct mk_kernel *k, struct molipc_version *ver);

/*
 * Grants (grant.c): MOLIPC_IOC_SETGRANT and MOLIPC_IOC_SAFECOPY.  The
 * copy reads and writes the two processes' memory with process_vm_readv
 * and process_vm_writev (molkernel must be allowed to: root, or
 * CAP_SYS_PTRACE), through a bounded buffer.
 */
int mk_setgrant(struct mk_kernel *k, const struct mk_caller *c,
		struct molipc_setgrant *req);
int mk_safecopy(struct mk_kernel *k, const struct mk_caller *c,
		const struct molipc_safecopy *req);


#endif /* MOLK_IPC_H */

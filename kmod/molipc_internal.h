/* SPDX-License-Identifier: GPL-2.0 */
/*
 * molipc_internal.h - the module's private structures.
 *
 * An instance owns a table of nr_procs + MOL_NR_TASKS process slots
 * ("procs"), indexed by id = slot + MOL_NR_TASKS.  All IPC state of an
 * instance is protected by its spinlock; nothing on the IPC path
 * allocates memory.
 */
#ifndef MOLIPC_INTERNAL_H
#define MOLIPC_INTERNAL_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/molipc.h>

#define MOLIPC_PEER_ANY		(-1)	/* peer_id of a receive from ANY */
#define MOLIPC_DEADQ_LEN	256	/* death records kept per instance */

/* Registration state of a slot. */
enum molipc_pstate {
	MOLIPC_SLOT_FREE,
	MOLIPC_SLOT_REGISTERED,		/* pid may bind it */
	MOLIPC_SLOT_BOUND,		/* a descriptor of pid holds it */
};

/* IPC state of a slot (see Documentation/ipc.md, "Endpoint states"). */
enum molipc_state {
	MOLIPC_RUNNING,			/* not in IPC */
	MOLIPC_SENDING,			/* queued on peer's senders */
	MOLIPC_RECEIVING,		/* waiting for peer or ANY */
	MOLIPC_REPLYWAIT,		/* sendrec: waiting for peer's reply */
	MOLIPC_REPLYHELD,		/* reply (or error) kept for a RESUME */
};

struct molipc_file;
struct molipc_instance;

/*
 * One call in progress, on the calling thread's stack.  Partners deliver
 * into it and complete it; the slot only points to it.  When the slot is
 * freed under a sleeping call, the waiter is completed and detached, so
 * the slot can be registered again at once while the old thread has yet
 * to wake up and read its result.
 */
struct molipc_waiter {
	struct mol_message msg;		/* the message received */
	u32 status;			/* MOLIPC_STATUS_* of msg */
	int result;
	bool done;			/* a partner completed the call */
	u64 timeout_left;		/* withdrawn timed call: ns left */
};

struct molipc_proc {
	struct molipc_instance *inst;
	int slot;
	int id;				/* slot + MOL_NR_TASKS */
	int endpoint;			/* current or next owner's endpoint */
	u32 gen;
	enum molipc_pstate pstate;
	struct pid *pid;		/* owner's tgid, while not FREE */
	pid_t pid_nr;			/* in the system task's pid ns */
	struct molipc_file *file;	/* binding descriptor, while BOUND */
	struct molipc_priv priv;

	/* IPC state */
	enum molipc_state state;
	struct molipc_waiter *waiter;	/* the call in progress, if any */
	bool sendrec;			/* SENDING is a sendrec's request */
	int peer_id;			/* target or source, MOLIPC_PEER_ANY */
	int peer_ep;			/* endpoint of that peer */
	struct list_head senders;	/* procs sending to us, FIFO */
	struct list_head send_link;	/* our place in peer's senders */
	struct mol_message out;		/* our message while SENDING */
	struct mol_message in;		/* REPLYHELD: the reply kept */
	u32 in_status;			/* ... its MOLIPC_STATUS_* */
	int held_result;		/* ... and the call's result */
	unsigned long *notify_pending;	/* bitmap over ids of notifiers */
	wait_queue_head_t wq;

	/* grant table in the owner's memory (MOLIPC_IOC_SETGRANT) */
	u64 grant_table;
	u32 grant_nr;

	/* death of the owner */
	wait_queue_entry_t death_wait;	/* on pid->wait_pidfd */
	bool death_armed;
	bool death_pending;		/* the owner exited, work queued */
	int death_status;
	struct work_struct death_work;

	/* counters (under the instance lock) */
	u64 nr_sent;
	u64 nr_received;
	u64 nr_notifies;
	u64 nr_errors;
};

struct molipc_instance {
	struct kref ref;
	u32 id;
	spinlock_t lock;
	bool dead;			/* system task gone: EIDRM */
	unsigned int nr_procs;
	unsigned int nr_ids;
	struct molipc_proc *procs;	/* nr_ids entries */
	unsigned long *notify_bits;	/* nr_ids bitmaps of nr_ids bits */
	struct pid_namespace *pid_ns;	/* the system task's */

	/* death records for MOLIPC_IOC_DEAD, a ring */
	struct molipc_dead_entry deadq[MOLIPC_DEADQ_LEN];
	unsigned int dead_head;
	unsigned int dead_count;
	u64 dead_lost;

	/* counters (under lock) */
	u64 nr_calls[MOLIPC_OP_MAX + 1];
	u64 nr_blocked;
	u64 nr_deadlocks;
	u64 nr_deaths;

	struct dentry *debugfs;
	struct work_struct free_work;
};

/* Per open descriptor of /dev/molipc. */
struct molipc_file {
	struct mutex bind_lock;		/* serialises create/bind */
	struct molipc_instance *inst;	/* set once bound, holds a ref */
	struct molipc_proc *proc;	/* the slot bound */
	struct pid *pid;		/* binder's tgid */
};

extern unsigned int molipc_nr_procs;
extern unsigned int molipc_max_instances;
extern struct workqueue_struct *molipc_wq;

static inline struct molipc_proc *molipc_proc_by_slot(struct molipc_instance *inst,
						      int slot)
{
	return &inst->procs[slot + MOL_NR_TASKS];
}

static inline bool molipc_in_call(const struct molipc_proc *p)
{
	return p->waiter != NULL;
}

static inline bool molipc_is_system(const struct molipc_proc *p)
{
	return p->slot == MOL_SYSTEM;
}

/* The caller's slot if it is the process that bound @f, else NULL. */
static inline struct molipc_proc *molipc_caller(struct molipc_file *f)
{
	struct molipc_proc *p = smp_load_acquire(&f->proc);

	if (!p || f->pid != task_tgid(current))
		return NULL;
	return p;
}

/*
 * Under the instance lock: is @p still the live slot bound through @f
 * (and the system task's, if @system)?
 */
static inline int molipc_check_caller(struct molipc_file *f,
				      struct molipc_proc *p, bool system)
{
	if (p->inst->dead)
		return -EIDRM;
	if (p->file != f)
		return -ENOTCONN;
	if (system && !molipc_is_system(p))
		return -EPERM;
	return 0;
}

/* molipc_instance.c */
int molipc_create(struct molipc_file *f, struct molipc_create *req);
int molipc_register(struct molipc_file *f, struct molipc_register *req);
int molipc_unregister(struct molipc_file *f, struct molipc_endpoint_req *req);
int molipc_setpriv(struct molipc_file *f, struct molipc_endpoint_req *req);
int molipc_bind(struct molipc_file *f, struct molipc_bind *req);
int molipc_take_dead(struct molipc_file *f, struct molipc_dead *req);
int molipc_procinfo(struct molipc_file *f, struct molipc_procinfo *req);
void molipc_file_release(struct molipc_file *f);
void molipc_instance_put(struct molipc_instance *inst);
int molipc_instances_init(void);
void molipc_instances_exit(void);

/* molipc_ipc.c */
int molipc_ipc(struct molipc_file *f, int op, struct molipc_ipc *req);
void molipc_proc_fail_partners(struct molipc_proc *p, int err);
void molipc_proc_reset_ipc(struct molipc_proc *p);
void molipc_complete(struct molipc_proc *p, int result);
void molipc_abort(struct molipc_proc *p, int err);
void molipc_detach(struct molipc_proc *p, int err);
void molipc_post_notify(struct molipc_proc *dst, struct molipc_proc *src);
u32 molipc_proc_pstate(const struct molipc_proc *p);
struct molipc_proc *molipc_lookup(struct molipc_instance *inst,
				  struct molipc_proc *caller, int ep);

/* molipc_grant.c */
int molipc_setgrant(struct molipc_file *f, struct molipc_setgrant *req);
int molipc_safecopy(struct molipc_file *f, const struct molipc_safecopy *req);

/* molipc_debugfs.c */
void molipc_debugfs_init(void);
void molipc_debugfs_exit(void);
void molipc_debugfs_add(struct molipc_instance *inst);
void molipc_debugfs_remove(struct molipc_instance *inst);

#endif /* MOLIPC_INTERNAL_H */

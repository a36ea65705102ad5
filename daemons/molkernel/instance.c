// SPDX-License-Identifier: GPL-2.0
/*
 * instance.c - molkernel's instances, registration with authority,
 * binding, and what happens when a process dies.  The same rules as
 * molipc.ko's kmod/molipc_instance.c, with the identity of a caller
 * established by molkernel.c (credentials of the datagram) instead of
 * current.
 *
 * Identity: the system task registers a Linux process by pid; the
 * environment opens a pidfd for it at once (so the number cannot be
 * recycled under us) and watches it for the exit of the thread group.
 * A client binds only if its verified pid is the registered one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include <linux/molkernel_proto.h>

static const struct molipc_priv mk_priv_all = {
	.send_mask = { ~0ULL, ~0ULL },
	.trap_mask = MOLIPC_TRAPS_ALL,
	.flags = MOLIPC_PRIV_SEND_USERS,
};

void mk_kernel_init(struct mk_kernel *k, const struct mk_env *env,
		    unsigned int default_procs, unsigned int max_instances)
{
	memset(k, 0, sizeof(*k));
	k->env = *env;
	INIT_LIST_HEAD(&k->instances);
	INIT_LIST_HEAD(&k->timeouts);
	k->default_procs = default_procs;
	k->max_instances = max_instances;
	k->next_id = 1;
}

static void mk_inst_free(struct mk_inst *inst)
{
	struct mk_kernel *k = inst->k;
	unsigned int i;

	list_del_init(&inst->link);
	k->nr_instances--;
	for (i = 0; i < inst->nr_ids; i++)
		free(inst->procs[i].pend);
	free(inst->procs);
	free(inst);
}

void mk_inst_get(struct mk_inst *inst)
{
	inst->refs++;
}

void mk_inst_put(struct mk_inst *inst)
{
	if (--inst->refs == 0)
		mk_inst_free(inst);
}

/* ---------------------------------------------------------------- */
/* Slots                                                             */
/* ---------------------------------------------------------------- */

/* Give the slot up: no owner, next generation, clean IPC state. */
static void mk_proc_clear(struct mk_proc *p)
{
	struct mk_kernel *k = p->inst->k;

	if (p->watch) {
		k->env.unwatch(k->env.ctx, p->watch);
		p->watch = NULL;
	}
	p->pid = 0;
	p->owner = NULL;
	p->pstate = MK_SLOT_FREE;
	memset(&p->priv, 0, sizeof(p->priv));
	p->grant_table = 0;
	p->grant_nr = 0;
	p->npend = 0;
	mk_reset_ipc(p);
	p->gen = p->gen >= MOL_MAX_GEN ? 1 : p->gen + 1;
	p->endpoint = MOL_ENDPOINT(p->gen, p->slot);
}

static void mk_instance_kill(struct mk_inst *inst)
{
	unsigned int i;

	inst->dead = true;
	for (i = 0; i < inst->nr_ids; i++) {
		struct mk_proc *q = &inst->procs[i];

		if (q->state == MK_SENDING)
			list_del_init(&q->send_link);
		if (q->state != MK_RUNNING || q->in_call)
			mk_complete(q, MOL_EINSTGONE);
	}
	for (i = 0; i < inst->nr_ids; i++)
		if (inst->procs[i].pstate != MK_SLOT_FREE)
			mk_proc_clear(&inst->procs[i]);
	mk_inst_put(inst);		/* the "alive" reference */
}

/* Record a death for MOLIPC_IOC_DEAD and tell the system task. */
static void mk_report_death(struct mk_inst *inst, int endpoint, pid_t pid,
			    int status)
{
	struct mk_proc *sys = mk_proc_by_slot(inst, MOL_SYSTEM);
	struct molipc_dead_entry *e;

	if (inst->dead_count == MK_DEADQ_LEN) {
		inst->dead_lost++;
		inst->dead_head = (inst->dead_head + 1) % MK_DEADQ_LEN;
		inst->dead_count--;
	}
	e = &inst->deadq[(inst->dead_head + inst->dead_count) % MK_DEADQ_LEN];
	e->endpoint = endpoint;
	e->status = status;
	e->pid = pid;
	e->reserved = 0;
	inst->dead_count++;
	inst->k->nr_deaths++;
	if (sys->pstate == MK_SLOT_BOUND)
		mk_post_notify(sys, mk_proc_by_slot(inst, MOL_KERNEL)->id,
			       MOL_NOTICE_DEATH);
}

/*
 * The owner of p is gone (status: its wait status, -1 if it only closed)
 * or was unregistered (notify false).  Partners blocked on it fail with
 * EDEADSRCDST; a call of its own still blocked fails with self_err.
 */
static void mk_proc_free(struct mk_proc *p, int status, bool notify,
			 int self_err)
{
	struct mk_inst *inst = p->inst;
	int endpoint = p->endpoint;
	pid_t pid = p->pid;

	mk_fail_partners(p, MOL_EDEADSRCDST);
	if (p->in_call)
		mk_abort(p, self_err);
	mk_proc_clear(p);
	if (p->slot == MOL_SYSTEM)
		mk_instance_kill(inst);
	else if (notify)
		mk_report_death(inst, endpoint, pid, status);
}

void mk_proc_gone(struct mk_kernel *k, struct mk_proc *p, int wstatus)
{
	if (p->pstate != MK_SLOT_FREE && !p->inst->dead)
		mk_proc_free(p, wstatus, true, MOL_ENOTBOUND);
}

/* ---------------------------------------------------------------- */
/* Requests                                                          */
/* ---------------------------------------------------------------- */

/* The caller's slot if it is the process that bound it, alive. */
int mk_caller_proc(const struct mk_caller *c, struct mk_proc **pp)
{
	struct mk_proc *p = c->bound;

	if (!p || !c->same_pid)
		return MOL_ENOTBOUND;
	if (p->inst->dead)
		return MOL_EINSTGONE;
	if (p->owner != c->owner)
		return MOL_ENOTBOUND;
	*pp = p;
	return 0;
}

/* As mk_caller_proc, and the caller must be the system task. */
static int mk_caller_system(const struct mk_caller *c, struct mk_proc **pp)
{
	int ret = mk_caller_proc(c, pp);

	if (!ret && (*pp)->slot != MOL_SYSTEM)
		return -EPERM;
	return ret;
}

static int mk_check_priv(const struct molipc_priv *priv)
{
	if (priv->flags & ~MOLIPC_PRIV_FLAGS)
		return MOL_EINVAL;
	if (priv->trap_mask & ~MOLIPC_TRAPS_ALL)
		return MOL_EINVAL;
	return 0;
}

/* Hand p to process pid with priv, watching it; -ESRCH if it is gone. */
static int mk_proc_register(struct mk_proc *p, pid_t pid,
			    const struct molipc_priv *priv)
{
	struct mk_kernel *k = p->inst->k;
	void *watch = NULL;
	int ret;

	if (pid <= 0)
		return MOL_EDEADSRCDST;		/* ESRCH */
	ret = k->env.watch(k->env.ctx, p, pid, &watch);
	if (ret)
		return ret;
	p->watch = watch;
	p->pid = pid;
	p->priv = *priv;
	p->pstate = MK_SLOT_REGISTERED;
	mk_reset_ipc(p);
	return 0;
}

static struct mk_proc *mk_find_pid(struct mk_inst *inst, pid_t pid)
{
	unsigned int i;

	for (i = 0; i < inst->nr_ids; i++)
		if (inst->procs[i].pstate != MK_SLOT_FREE &&
		    inst->procs[i].pid == pid)
			return &inst->procs[i];
	return NULL;
}

static struct mk_inst *mk_find_inst(struct mk_kernel *k, uint32_t id)
{
	struct list_head *pos;

	for (pos = k->instances.next; pos != &k->instances; pos = pos->next) {
		struct mk_inst *inst = list_entry(pos, struct mk_inst, link);

		if (inst->id == id)
			return inst;
	}
	return NULL;
}

static struct mk_inst *mk_instance_alloc(struct mk_kernel *k,
					 unsigned int nr_procs)
{
	struct mk_inst *inst;
	unsigned int i;

	inst = calloc(1, sizeof(*inst));
	if (!inst)
		return NULL;
	inst->k = k;
	inst->nr_procs = nr_procs;
	inst->nr_ids = nr_procs + MOL_NR_TASKS;
	inst->procs = calloc(inst->nr_ids, sizeof(*inst->procs));
	if (!inst->procs) {
		free(inst);
		return NULL;
	}
	INIT_LIST_HEAD(&inst->link);
	inst->refs = 1;
	for (i = 0; i < inst->nr_ids; i++) {
		struct mk_proc *p = &inst->procs[i];

		p->inst = inst;
		p->id = i;
		p->slot = (int)i - MOL_NR_TASKS;
		p->endpoint = MOL_ENDPOINT(0, p->slot);
		INIT_LIST_HEAD(&p->senders);
		INIT_LIST_HEAD(&p->tmo_link);
		mk_reset_ipc(p);
	}
	return inst;
}

/* The next free instance id, cyclic from 1 as idr_alloc_cyclic. */
static uint32_t mk_alloc_id(struct mk_kernel *k)
{
	for (;;) {
		uint32_t id = k->next_id;

		k->next_id = k->next_id >= 0x7fffffff ? 1 : k->next_id + 1;
		if (!mk_find_inst(k, id))
			return id;
	}
}

static bool mk_zero(const void *buf, size_t len)
{
	const unsigned char *b = buf;

	while (len--)
		if (*b++)
			return false;
	return true;
}

int mk_create(struct mk_kernel *k, const struct mk_caller *c,
	      struct molipc_create *req, struct mk_proc **bound)
{
	bool appoint = req->flags & MOLIPC_CREATE_APPOINT;
	struct mk_inst *inst;
	struct mk_proc *sys;
	unsigned int nr;
	int ret;

	if (!c->privileged)
		return -EPERM;
	if ((req->flags & ~MOLIPC_CREATE_FLAGS) ||
	    !mk_zero(req->reserved, sizeof(req->reserved)) ||
	    (!appoint && req->system_pid) || req->instance)
		return MOL_EINVAL;
	nr = req->nr_procs ? req->nr_procs : k->default_procs;
	if (nr < MOL_MIN_PROCS || nr > MOL_MAX_PROCS)
		return MOL_EINVAL;
	if (appoint && !k->env.alive(k->env.ctx, req->system_pid))
		return MOL_EDEADSRCDST;			/* ESRCH */
	if (!appoint && c->bound)
		return MOL_EBUSY;
	inst = mk_instance_alloc(k, nr);
	if (!inst)
		return -ENOMEM;
	if (k->nr_instances >= k->max_instances) {
		free(inst->procs);
		free(inst);
		return -ENOSPC;
	}
	inst->id = mk_alloc_id(k);
	list_add_tail(&inst->link, &k->instances);
	k->nr_instances++;

	sys = mk_proc_by_slot(inst, MOL_SYSTEM);
	ret = mk_proc_register(sys, appoint ? req->system_pid : c->pid,
			       &mk_priv_all);
	if (ret) {		/* the appointed process is gone */
		mk_inst_put(inst);
		return ret;
	}
	if (!appoint) {
		sys->pstate = MK_SLOT_BOUND;
		sys->owner = c->owner;
		mk_inst_get(inst);		/* the client's */
		*bound = sys;
	}
	req->instance = inst->id;
	return 0;
}

int mk_register(struct mk_kernel *k, const struct mk_caller *c,
		struct molipc_register *req)
{
	struct mk_proc *sys, *p;
	struct mk_inst *inst;
	int ret;

	ret = mk_caller_system(c, &sys);
	if (ret)
		return ret;
	inst = sys->inst;
	if (req->flags || req->endpoint || mk_check_priv(&req->priv) ||
	    req->slot < -MOL_NR_TASKS || req->slot >= (int)inst->nr_procs ||
	    req->slot == MOL_KERNEL || req->slot == MOL_SYSTEM)
		return MOL_EINVAL;
	if (!k->env.alive(k->env.ctx, req->pid))
		return MOL_EDEADSRCDST;			/* ESRCH */
	p = mk_proc_by_slot(inst, req->slot);
	if (p->pstate != MK_SLOT_FREE || p->in_call ||
	    mk_find_pid(inst, req->pid))
		return MOL_EBUSY;
	ret = mk_proc_register(p, req->pid, &req->priv);
	if (!ret)
		req->endpoint = p->endpoint;
	return ret;
}

/* The live (registered or bound) slot of ep, for the system task. */
static int mk_target(struct mk_inst *inst, int ep, struct mk_proc **pp)
{
	struct mk_proc *p;
	int slot = molk_ep_slot(ep);
	int gen = molk_ep_gen(ep);

	if (ep == MOL_ANY || ep == MOL_NONE || ep == MOL_SELF || gen < 0 ||
	    gen > MOL_MAX_GEN ||
	    slot < -MOL_NR_TASKS || slot >= (int)inst->nr_procs ||
	    MOL_ENDPOINT(gen, slot) != ep)
		return MOL_EBADSRCDST;
	p = mk_proc_by_slot(inst, slot);
	if (p->pstate == MK_SLOT_FREE || p->endpoint != ep)
		return MOL_EDEADSRCDST;
	if (p->slot == MOL_SYSTEM)
		return MOL_EINVAL;
	*pp = p;
	return 0;
}

int mk_unregister(struct mk_kernel *k, const struct mk_caller *c,
		  struct molipc_endpoint_req *req)
{
	struct mk_proc *sys, *p;
	int ret;

	ret = mk_caller_system(c, &sys);
	if (ret)
		return ret;
	if (req->flags || !mk_zero(&req->priv, sizeof(req->priv)))
		return MOL_EINVAL;
	ret = mk_target(sys->inst, req->endpoint, &p);
	if (!ret)
		mk_proc_free(p, -1, false, MOL_ENOTBOUND);
	return ret;
}

int mk_setpriv(struct mk_kernel *k, const struct mk_caller *c,
	       struct molipc_endpoint_req *req)
{
	struct mk_proc *sys, *p;
	int ret;

	ret = mk_caller_system(c, &sys);
	if (ret)
		return ret;
	if (req->flags || mk_check_priv(&req->priv))
		return MOL_EINVAL;
	ret = mk_target(sys->inst, req->endpoint, &p);
	if (!ret)
		p->priv = req->priv;
	return ret;
}

int mk_bind(struct mk_kernel *k, const struct mk_caller *c,
	    struct molipc_bind *req, struct mk_proc **bound)
{
	struct mk_inst *inst;
	struct mk_proc *p;

	if (req->flags || req->reserved)
		return MOL_EINVAL;
	if (c->bound)
		return MOL_EBUSY;
	inst = req->instance <= 0x7fffffff ? mk_find_inst(k, req->instance) :
					     NULL;
	p = inst && !inst->dead ? mk_find_pid(inst, c->pid) : NULL;
	if (!p || (req->endpoint != MOL_ANY && req->endpoint != p->endpoint))
		return -EPERM;
	if (p->pstate == MK_SLOT_BOUND)
		return MOL_EBUSY;
	p->pstate = MK_SLOT_BOUND;
	p->owner = c->owner;
	req->endpoint = p->endpoint;
	mk_inst_get(inst);			/* the client's */
	*bound = p;
	return 0;
}

int mk_take_dead(struct mk_kernel *k, const struct mk_caller *c,
		 struct molipc_dead *req)
{
	struct mk_proc *sys;
	struct mk_inst *inst;
	unsigned int n = 0;
	int ret;

	if (req->flags || req->count > MOLIPC_DEAD_MAX)
		return MOL_EINVAL;
	ret = mk_caller_system(c, &sys);
	if (ret)
		return ret;
	inst = sys->inst;
	while (n < req->count && inst->dead_count) {
		req->ent[n++] = inst->deadq[inst->dead_head];
		inst->dead_head = (inst->dead_head + 1) % MK_DEADQ_LEN;
		inst->dead_count--;
	}
	memset(&req->ent[n], 0, (MOLIPC_DEAD_MAX - n) * sizeof(req->ent[0]));
	req->count = n;
	return 0;
}

int mk_procinfo(struct mk_kernel *k, const struct mk_caller *c,
		struct molipc_procinfo *req)
{
	struct mk_proc *sys, *p;
	struct mk_inst *inst;
	int slot = req->slot;
	int ret;

	if (req->flags)
		return MOL_EINVAL;
	ret = mk_caller_system(c, &sys);
	if (ret)
		return ret;
	inst = sys->inst;
	if (slot < -MOL_NR_TASKS || slot >= (int)inst->nr_procs)
		return MOL_EINVAL;
	p = mk_proc_by_slot(inst, slot);
	memset(req, 0, sizeof(*req));
	req->slot = slot;
	req->endpoint = p->endpoint;
	req->pid = p->pid;
	req->state = mk_proc_pstate(p);
	req->peer = p->state == MK_RUNNING ? MOL_NONE : p->peer_ep;
	req->sent = p->nr_sent;
	req->received = p->nr_received;
	req->notifies = p->nr_notifies;
	req->errors = p->nr_errors;
	return 0;
}

void mk_version(struct mk_kernel *k, struct molipc_version *ver)
{
	memset(ver, 0, sizeof(*ver));
	ver->major = MOLIPC_ABI_MAJOR;
	ver->minor = MOLIPC_ABI_MINOR;
	ver->msg_size = MOL_MSG_SIZE;
	ver->nr_tasks = MOL_NR_TASKS;
	ver->default_procs = k->default_procs;
	ver->max_instances = k->max_instances;
}

/*
 * At exit: blocked callers get EIDRM, then everything is freed whatever
 * references are left (the environment drops its clients first).
 */
void mk_kernel_fini(struct mk_kernel *k)
{
	struct list_head *pos, *tmp;

	list_for_each_safe(pos, tmp, &k->instances) {
		struct mk_inst *inst = list_entry(pos, struct mk_inst, link);

		if (!inst->dead) {
			inst->refs++;
			mk_instance_kill(inst);
		}
		mk_inst_free(inst);
	}
}

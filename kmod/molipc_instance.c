// SPDX-License-Identifier: GPL-2.0
/*
 * molipc_instance.c - MoL instances, registration with authority,
 * binding, and what happens when a process dies.
 *
 * Identity: the system task registers a Linux process by pid, which is
 * resolved at once in the system task's pid namespace to a struct pid
 * (kept, with a reference).  A descriptor binds only if the calling
 * process's own tgid is that struct pid; every later call compares the
 * caller's tgid with the binder's.  Numbers reported by user space are
 * never trusted.
 *
 * Death: an out-of-tree module cannot hook do_exit, so each registered
 * slot puts a wait-queue entry on its process's pid->wait_pidfd (the
 * queue pidfd poll uses, woken by do_notify_parent() when the whole
 * thread group has exited).  The callback runs in atomic context and
 * defers the cleanup to a work item.  Closing the binding descriptor is
 * the other path (a process that closes it while alive, or the common
 * exit where the descriptor dies first).
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/idr.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "molipc_internal.h"
#include "molipc_trace.h"

static DEFINE_IDR(molipc_idr);
static DEFINE_MUTEX(molipc_idr_lock);
static unsigned int molipc_nr_instances;

/* ---------------------------------------------------------------- */
/* Instance lifetime                                                 */
/* ---------------------------------------------------------------- */

static void molipc_instance_free_work(struct work_struct *work);

static void molipc_instance_release(struct kref *ref)
{
	struct molipc_instance *inst =
		container_of(ref, struct molipc_instance, ref);

	/* May be called under a spinlock: free from process context. */
	INIT_WORK(&inst->free_work, molipc_instance_free_work);
	queue_work(molipc_wq, &inst->free_work);
}

void molipc_instance_put(struct molipc_instance *inst)
{
	kref_put(&inst->ref, molipc_instance_release);
}

static void molipc_instance_free_work(struct work_struct *work)
{
	struct molipc_instance *inst =
		container_of(work, struct molipc_instance, free_work);
	unsigned int i;

	molipc_debugfs_remove(inst);
	mutex_lock(&molipc_idr_lock);
	idr_remove(&molipc_idr, inst->id);
	molipc_nr_instances--;
	mutex_unlock(&molipc_idr_lock);
	for (i = 0; i < inst->nr_ids; i++)
		cancel_work_sync(&inst->procs[i].death_work);
	put_pid_ns(inst->pid_ns);
	kvfree(inst->notify_bits);
	kvfree(inst->procs);
	kfree(inst);
}

/* ---------------------------------------------------------------- */
/* Slots                                                             */
/* ---------------------------------------------------------------- */

static int molipc_death_wake(wait_queue_entry_t *wait, unsigned int mode,
			     int sync, void *key);
static void molipc_death_work(struct work_struct *work);

static int molipc_exit_status(struct task_struct *task)
{
	if (task->signal->flags & SIGNAL_GROUP_EXIT)
		return task->signal->group_exit_code;
	return task->exit_code;
}

/* Watch @p->pid for the exit of its thread group. */
static void molipc_arm_death(struct molipc_proc *p)
{
	init_waitqueue_func_entry(&p->death_wait, molipc_death_wake);
	add_wait_queue(&p->pid->wait_pidfd, &p->death_wait);
	p->death_armed = true;
	p->death_pending = false;
}

/* Give the slot up: no owner, next generation, clean IPC state. */
static void molipc_proc_clear(struct molipc_proc *p)
{
	if (p->death_armed) {
		remove_wait_queue(&p->pid->wait_pidfd, &p->death_wait);
		p->death_armed = false;
	}
	p->death_pending = false;
	put_pid(p->pid);
	p->pid = NULL;
	p->pid_nr = 0;
	p->file = NULL;
	p->pstate = MOLIPC_SLOT_FREE;
	memset(&p->priv, 0, sizeof(p->priv));
	p->grant_table = 0;
	p->grant_nr = 0;
	bitmap_zero(p->notify_pending, p->inst->nr_ids);
	molipc_proc_reset_ipc(p);
	p->gen = p->gen >= MOL_MAX_GEN ? 1 : p->gen + 1;
	p->endpoint = MOL_ENDPOINT(p->gen, p->slot);
}

static void molipc_instance_kill(struct molipc_instance *inst)
{
	unsigned int i;

	inst->dead = true;
	for (i = 0; i < inst->nr_ids; i++)
		molipc_detach(&inst->procs[i], -EIDRM);
	for (i = 0; i < inst->nr_ids; i++)
		if (inst->procs[i].pstate != MOLIPC_SLOT_FREE)
			molipc_proc_clear(&inst->procs[i]);
	molipc_instance_put(inst);	/* the "alive" reference */
}

/* Record a death for MOLIPC_IOC_DEAD and tell the system task. */
static void molipc_report_death(struct molipc_instance *inst,
				int endpoint, pid_t pid, int status)
{
	struct molipc_proc *sys = molipc_proc_by_slot(inst, MOL_SYSTEM);
	struct molipc_dead_entry *e;

	if (inst->dead_count == MOLIPC_DEADQ_LEN) {
		inst->dead_lost++;
		inst->dead_head = (inst->dead_head + 1) % MOLIPC_DEADQ_LEN;
		inst->dead_count--;
	}
	e = &inst->deadq[(inst->dead_head + inst->dead_count) %
			 MOLIPC_DEADQ_LEN];
	e->endpoint = endpoint;
	e->status = status;
	e->pid = pid;
	e->reserved = 0;
	inst->dead_count++;
	inst->nr_deaths++;
	if (sys->pstate == MOLIPC_SLOT_BOUND)
		molipc_post_notify(sys,
				   molipc_proc_by_slot(inst, MOL_KERNEL));
}

/*
 * molipc_proc_free - the owner of @p is gone (@reason: its wait status,
 * -1 if it only closed the descriptor) or was unregistered (@notify
 * false).  Partners blocked on it fail with EDEADSRCDST (-ESRCH); a call
 * of its own still sleeping fails with @self_err.
 */
static void molipc_proc_free(struct molipc_proc *p, int status, bool notify,
			     int self_err)
{
	struct molipc_instance *inst = p->inst;
	int endpoint = p->endpoint;
	pid_t pid_nr = p->pid_nr;

	trace_molipc_death(inst->id, endpoint, pid_nr, status);
	molipc_proc_fail_partners(p, -ESRCH);
	molipc_detach(p, self_err);
	molipc_proc_clear(p);
	if (p->slot == MOL_SYSTEM)
		molipc_instance_kill(inst);
	else if (notify)
		molipc_report_death(inst, endpoint, pid_nr, status);
}

static int molipc_death_wake(wait_queue_entry_t *wait, unsigned int mode,
			     int sync, void *key)
{
	struct molipc_proc *p = container_of(wait, struct molipc_proc,
					     death_wait);
	struct task_struct *task;
	int status = -1;

	rcu_read_lock();
	task = pid_task(p->pid, PIDTYPE_TGID);
	if (task && !(task->flags & PF_EXITING)) {
		rcu_read_unlock();
		return 0;			/* not an exit */
	}
	if (task)
		status = molipc_exit_status(task);
	rcu_read_unlock();

	if (!p->death_pending) {
		p->death_pending = true;
		p->death_status = status;
		queue_work(molipc_wq, &p->death_work);
	}
	return 0;
}

static void molipc_death_work(struct work_struct *work)
{
	struct molipc_proc *p = container_of(work, struct molipc_proc,
					     death_work);
	struct molipc_instance *inst = p->inst;

	spin_lock(&inst->lock);
	if (p->death_pending && p->pstate != MOLIPC_SLOT_FREE && !inst->dead)
		molipc_proc_free(p, p->death_status, true, -ENOTCONN);
	spin_unlock(&inst->lock);
}

/* ---------------------------------------------------------------- */
/* Requests                                                          */
/* ---------------------------------------------------------------- */

static int molipc_check_priv(const struct molipc_priv *priv)
{
	if (priv->flags & ~MOLIPC_PRIV_FLAGS)
		return -EINVAL;
	if (priv->trap_mask & ~MOLIPC_TRAPS_ALL)
		return -EINVAL;
	return 0;
}

/* The struct pid of live thread-group leader @nr in our pid namespace. */
static struct pid *molipc_get_tgid(pid_t nr)
{
	struct task_struct *task;
	struct pid *pid;

	if (nr <= 0)
		return NULL;
	pid = find_get_pid(nr);
	if (!pid)
		return NULL;
	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	if (!task || (task->flags & PF_EXITING)) {
		rcu_read_unlock();
		put_pid(pid);
		return NULL;
	}
	rcu_read_unlock();
	return pid;
}

/* Hand @p to process @pid (reference taken over) with @priv. */
static int molipc_proc_register(struct molipc_proc *p, struct pid *pid,
				pid_t nr, const struct molipc_priv *priv)
{
	struct task_struct *task;
	bool exiting;

	p->pid = pid;
	p->pid_nr = nr;
	p->priv = *priv;
	p->pstate = MOLIPC_SLOT_REGISTERED;
	molipc_proc_reset_ipc(p);
	molipc_arm_death(p);
	/*
	 * An exit that woke wait_pidfd before our entry was on it set
	 * PF_EXITING first: seeing it clear now means the wake is to come.
	 */
	rcu_read_lock();
	task = pid_task(pid, PIDTYPE_TGID);
	exiting = !task || (task->flags & PF_EXITING);
	rcu_read_unlock();
	if (exiting) {
		molipc_proc_clear(p);
		return -ESRCH;
	}
	return 0;
}

static struct molipc_proc *molipc_find_pid(struct molipc_instance *inst,
					   struct pid *pid)
{
	unsigned int i;

	for (i = 0; i < inst->nr_ids; i++)
		if (inst->procs[i].pstate != MOLIPC_SLOT_FREE &&
		    inst->procs[i].pid == pid)
			return &inst->procs[i];
	return NULL;
}

static struct molipc_instance *molipc_instance_alloc(unsigned int nr_procs)
{
	struct molipc_instance *inst;
	unsigned int i, longs;

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return NULL;
	inst->nr_procs = nr_procs;
	inst->nr_ids = nr_procs + MOL_NR_TASKS;
	longs = BITS_TO_LONGS(inst->nr_ids);
	inst->procs = kvcalloc(inst->nr_ids, sizeof(*inst->procs), GFP_KERNEL);
	inst->notify_bits = kvcalloc((size_t)inst->nr_ids * longs,
				     sizeof(unsigned long), GFP_KERNEL);
	if (!inst->procs || !inst->notify_bits) {
		kvfree(inst->procs);
		kvfree(inst->notify_bits);
		kfree(inst);
		return NULL;
	}
	kref_init(&inst->ref);
	spin_lock_init(&inst->lock);
	for (i = 0; i < inst->nr_ids; i++) {
		struct molipc_proc *p = &inst->procs[i];

		p->inst = inst;
		p->id = i;
		p->slot = (int)i - MOL_NR_TASKS;
		p->endpoint = MOL_ENDPOINT(0, p->slot);
		p->notify_pending = inst->notify_bits + (size_t)i * longs;
		INIT_LIST_HEAD(&p->senders);
		init_waitqueue_head(&p->wq);
		INIT_WORK(&p->death_work, molipc_death_work);
		molipc_proc_reset_ipc(p);
	}
	return inst;
}

static const struct molipc_priv molipc_priv_all = {
	.send_mask = { ~0ULL, ~0ULL },
	.trap_mask = MOLIPC_TRAPS_ALL,
	.flags = MOLIPC_PRIV_SEND_USERS,
};

int molipc_create(struct molipc_file *f, struct molipc_create *req)
{
	bool appoint = req->flags & MOLIPC_CREATE_APPOINT;
	struct molipc_instance *inst;
	struct molipc_proc *sys;
	struct pid *pid;
	unsigned int nr;
	int ret, id;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if ((req->flags & ~MOLIPC_CREATE_FLAGS) ||
	    memchr_inv(req->reserved, 0, sizeof(req->reserved)) ||
	    (!appoint && req->system_pid))
		return -EINVAL;
	nr = req->nr_procs ? req->nr_procs : molipc_nr_procs;
	if (nr < MOL_MIN_PROCS || nr > MOL_MAX_PROCS)
		return -EINVAL;

	pid = appoint ? molipc_get_tgid(req->system_pid) :
			get_pid(task_tgid(current));
	if (!pid)
		return -ESRCH;

	mutex_lock(&f->bind_lock);
	ret = -EBUSY;
	if (!appoint && f->proc)
		goto out_pid;
	ret = -ENOMEM;
	inst = molipc_instance_alloc(nr);
	if (!inst)
		goto out_pid;

	mutex_lock(&molipc_idr_lock);
	if (molipc_nr_instances >= molipc_max_instances) {
		mutex_unlock(&molipc_idr_lock);
		ret = -ENOSPC;
		goto out_free;
	}
	id = idr_alloc_cyclic(&molipc_idr, NULL, 1, 0, GFP_KERNEL);
	if (id < 0) {
		mutex_unlock(&molipc_idr_lock);
		ret = id;
		goto out_free;
	}
	molipc_nr_instances++;
	mutex_unlock(&molipc_idr_lock);

	inst->id = id;
	inst->pid_ns = get_pid_ns(task_active_pid_ns(current));
	molipc_debugfs_add(inst);

	sys = molipc_proc_by_slot(inst, MOL_SYSTEM);
	spin_lock(&inst->lock);
	ret = molipc_proc_register(sys, pid,
				   appoint ? req->system_pid :
					     task_tgid_vnr(current),
				   &molipc_priv_all);
	if (!ret && !appoint) {
		sys->pstate = MOLIPC_SLOT_BOUND;
		sys->file = f;
	}
	spin_unlock(&inst->lock);
	if (ret) {		/* the appointed process is exiting */
		molipc_instance_put(inst);
		goto out_unlock;
	}

	if (!appoint) {
		kref_get(&inst->ref);	/* the descriptor's */
		f->inst = inst;
		f->pid = get_pid(task_tgid(current));
		smp_store_release(&f->proc, sys);
	}
	mutex_lock(&molipc_idr_lock);
	idr_replace(&molipc_idr, inst, id);
	mutex_unlock(&molipc_idr_lock);
	req->instance = id;
	ret = 0;
	goto out_unlock;

out_free:
	kvfree(inst->notify_bits);
	kvfree(inst->procs);
	kfree(inst);
out_pid:
	put_pid(pid);
out_unlock:
	mutex_unlock(&f->bind_lock);
	return ret;
}

int molipc_register(struct molipc_file *f, struct molipc_register *req)
{
	struct molipc_instance *inst;
	struct molipc_proc *sys, *p;
	struct pid *pid;
	int ret;

	sys = molipc_caller(f);
	if (!sys)
		return -ENOTCONN;
	inst = sys->inst;
	spin_lock(&inst->lock);
	ret = molipc_check_caller(f, sys, true);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (req->flags || molipc_check_priv(&req->priv) ||
	    req->slot < -MOL_NR_TASKS || req->slot >= (int)inst->nr_procs ||
	    req->slot == MOL_KERNEL || req->slot == MOL_SYSTEM)
		goto out;

	ret = -ESRCH;
	pid = molipc_get_tgid(req->pid);
	if (!pid)
		goto out;
	ret = -EBUSY;
	p = molipc_proc_by_slot(inst, req->slot);
	if (p->pstate != MOLIPC_SLOT_FREE ||
	    molipc_find_pid(inst, pid)) {
		put_pid(pid);
		goto out;
	}
	ret = molipc_proc_register(p, pid, req->pid, &req->priv);
	if (!ret)
		req->endpoint = p->endpoint;
out:
	spin_unlock(&inst->lock);
	return ret;
}

/* The live (registered or bound) slot of @ep, for the system task. */
static struct molipc_proc *molipc_target(struct molipc_instance *inst,
					 int ep)
{
	struct molipc_proc *p;
	int slot = MOL_ENDPOINT_SLOT(ep);
	int gen = MOL_ENDPOINT_GEN(ep);

	if (ep == MOL_ANY || ep == MOL_NONE || ep == MOL_SELF || gen < 0 ||
	    gen > MOL_MAX_GEN || slot < -MOL_NR_TASKS || slot >= (int)inst->nr_procs ||
	    MOL_ENDPOINT(gen, slot) != ep)
		return ERR_PTR(-ENXIO);
	p = molipc_proc_by_slot(inst, slot);
	if (p->pstate == MOLIPC_SLOT_FREE || p->endpoint != ep)
		return ERR_PTR(-ESRCH);
	if (p->slot == MOL_SYSTEM)
		return ERR_PTR(-EINVAL);
	return p;
}

int molipc_unregister(struct molipc_file *f, struct molipc_endpoint_req *req)
{
	static const struct molipc_priv zero;
	struct molipc_proc *sys, *p;
	int ret;

	sys = molipc_caller(f);
	if (!sys)
		return -ENOTCONN;
	spin_lock(&sys->inst->lock);
	ret = molipc_check_caller(f, sys, true);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (req->flags || memcmp(&req->priv, &zero, sizeof(zero)))
		goto out;
	p = molipc_target(sys->inst, req->endpoint);
	ret = PTR_ERR_OR_ZERO(p);
	if (!ret)
		molipc_proc_free(p, -1, false, -ENOTCONN);
out:
	spin_unlock(&sys->inst->lock);
	return ret;
}

int molipc_setpriv(struct molipc_file *f, struct molipc_endpoint_req *req)
{
	struct molipc_proc *sys, *p;
	int ret;

	sys = molipc_caller(f);
	if (!sys)
		return -ENOTCONN;
	spin_lock(&sys->inst->lock);
	ret = molipc_check_caller(f, sys, true);
	if (ret)
		goto out;
	ret = -EINVAL;
	if (req->flags || molipc_check_priv(&req->priv))
		goto out;
	p = molipc_target(sys->inst, req->endpoint);
	ret = PTR_ERR_OR_ZERO(p);
	if (!ret)
		p->priv = req->priv;
out:
	spin_unlock(&sys->inst->lock);
	return ret;
}

int molipc_bind(struct molipc_file *f, struct molipc_bind *req)
{
	struct pid *me = task_tgid(current);
	struct molipc_instance *inst;
	struct molipc_proc *p;
	int ret;

	if (req->flags || req->reserved)
		return -EINVAL;
	mutex_lock(&f->bind_lock);
	ret = -EBUSY;
	if (f->proc)
		goto out;

	ret = -EPERM;
	mutex_lock(&molipc_idr_lock);
	inst = req->instance <= INT_MAX ?
	       idr_find(&molipc_idr, req->instance) : NULL;
	/* Its last reference may be gone, the idr entry not yet removed. */
	if (inst && !kref_get_unless_zero(&inst->ref))
		inst = NULL;
	mutex_unlock(&molipc_idr_lock);
	if (!inst)
		goto out;

	spin_lock(&inst->lock);
	p = inst->dead ? NULL : molipc_find_pid(inst, me);
	if (!p || (req->endpoint != MOL_ANY && req->endpoint != p->endpoint))
		ret = -EPERM;
	else if (p->pstate == MOLIPC_SLOT_BOUND)
		ret = -EBUSY;
	else
		ret = 0;
	if (!ret) {
		p->pstate = MOLIPC_SLOT_BOUND;
		p->file = f;
		req->endpoint = p->endpoint;
	}
	spin_unlock(&inst->lock);
	if (ret) {
		molipc_instance_put(inst);
		goto out;
	}
	f->inst = inst;
	f->pid = get_pid(me);
	smp_store_release(&f->proc, p);
out:
	mutex_unlock(&f->bind_lock);
	return ret;
}

int molipc_take_dead(struct molipc_file *f, struct molipc_dead *req)
{
	struct molipc_instance *inst;
	struct molipc_proc *sys;
	unsigned int n = 0;
	int ret;

	if (req->flags || req->count > MOLIPC_DEAD_MAX)
		return -EINVAL;
	sys = molipc_caller(f);
	if (!sys)
		return -ENOTCONN;
	inst = sys->inst;
	spin_lock(&inst->lock);
	ret = molipc_check_caller(f, sys, true);
	while (!ret && n < req->count && inst->dead_count) {
		req->ent[n++] = inst->deadq[inst->dead_head];
		inst->dead_head = (inst->dead_head + 1) % MOLIPC_DEADQ_LEN;
		inst->dead_count--;
	}
	spin_unlock(&inst->lock);
	if (ret)
		return ret;
	memset(&req->ent[n], 0, (MOLIPC_DEAD_MAX - n) * sizeof(req->ent[0]));
	req->count = n;
	return 0;
}

int molipc_procinfo(struct molipc_file *f, struct molipc_procinfo *req)
{
	struct molipc_instance *inst;
	struct molipc_proc *sys, *p;
	int slot = req->slot;
	int ret;

	if (req->flags)
		return -EINVAL;
	sys = molipc_caller(f);
	if (!sys)
		return -ENOTCONN;
	inst = sys->inst;
	spin_lock(&inst->lock);
	ret = molipc_check_caller(f, sys, true);
	if (!ret && (slot < -MOL_NR_TASKS || slot >= (int)inst->nr_procs))
		ret = -EINVAL;
	if (ret) {
		spin_unlock(&inst->lock);
		return ret;
	}
	p = molipc_proc_by_slot(inst, slot);
	memset(req, 0, sizeof(*req));
	req->slot = slot;
	req->endpoint = p->endpoint;
	req->pid = p->pid_nr;
	req->state = molipc_proc_pstate(p);
	req->peer = p->state == MOLIPC_RUNNING ? MOL_NONE : p->peer_ep;
	req->sent = p->nr_sent;
	req->received = p->nr_received;
	req->notifies = p->nr_notifies;
	req->errors = p->nr_errors;
	spin_unlock(&inst->lock);
	return 0;
}

void molipc_file_release(struct molipc_file *f)
{
	struct molipc_instance *inst = f->inst;
	struct molipc_proc *p = f->proc;

	if (inst) {
		spin_lock(&inst->lock);
		if (p->file == f && !inst->dead) {
			int status = -1;

			/* The usual exit: files go before exit_notify(). */
			if ((current->flags & PF_EXITING) &&
			    task_tgid(current) == p->pid)
				status = molipc_exit_status(current);
			molipc_proc_free(p, status, true, -ENOTCONN);
		}
		spin_unlock(&inst->lock);
		molipc_instance_put(inst);
	}
	put_pid(f->pid);
}

int molipc_instances_init(void)
{
	return 0;
}

/* Module exit: no descriptor is open; kill what is left (appointed). */
void molipc_instances_exit(void)
{
	struct molipc_instance *inst;
	int id;

	for (;;) {
		id = 0;
		mutex_lock(&molipc_idr_lock);
		idr_for_each_entry(&molipc_idr, inst, id)
			if (inst && !inst->dead &&
			    kref_get_unless_zero(&inst->ref))
				break;
		mutex_unlock(&molipc_idr_lock);
		if (!inst)
			break;
		spin_lock(&inst->lock);
		if (!inst->dead)
			molipc_instance_kill(inst);
		spin_unlock(&inst->lock);
		molipc_instance_put(inst);
		flush_workqueue(molipc_wq);
	}
	flush_workqueue(molipc_wq);
	idr_destroy(&molipc_idr);
}

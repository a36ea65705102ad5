// SPDX-License-Identifier: GPL-2.0
/*
 * molipc_ipc.c - MINIX rendezvous IPC: send, receive, sendrec, notify,
 * sendnb and reply-and-receive, with MINIX's checks and deadlock
 * detection (after minix/kernel/proc.c), for the endpoints of one
 * instance.
 *
 * Everything runs under the instance spinlock.  A caller that must wait
 * sets its state, drops the lock and sleeps on its own wait queue until a
 * partner "completes" it (molipc_complete) or a signal or timeout
 * withdraws the call.  Messages move through the slots' own buffers: the
 * fast path neither allocates nor touches user memory under the lock.
 */
#include <linux/bitmap.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "molipc_internal.h"
#include "molipc_trace.h"

/*
 * Wake p's blocked call with @result, or, for an interrupted sendrec
 * (REPLYWAIT with no call in progress), keep the result for its RESUME.
 */
void molipc_complete(struct molipc_proc *p, int result)
{
	struct molipc_waiter *w = p->waiter;

	if (!w) {
		if (p->state == MOLIPC_REPLYWAIT) {
			p->state = MOLIPC_REPLYHELD;
			p->held_result = result;
		} else {
			p->state = MOLIPC_RUNNING;
		}
		return;
	}
	p->state = MOLIPC_RUNNING;
	w->result = result;
	WRITE_ONCE(w->done, true);
	wake_up_interruptible_sync(&p->wq);
}

/*
 * The slot is being freed: complete a call still sleeping in it with
 * @err and let go of it (the thread finds its result in its waiter).
 */
void molipc_detach(struct molipc_proc *p, int err)
{
	if (!p->waiter)
		return;
	if (!p->waiter->done)
		molipc_abort(p, err);
	p->waiter = NULL;
}

/* Where a message for @p goes: its call's waiter, or the held reply. */
static void molipc_put_msg(struct molipc_proc *p, const struct mol_message *m,
			   int source, u32 status)
{
	struct mol_message *box = p->waiter ? &p->waiter->msg : &p->in;

	*box = *m;
	box->m_source = source;
	if (p->waiter)
		p->waiter->status = status;
	else
		p->in_status = status;
}

/* Withdraw whatever p is blocked in, and complete it with @err. */
void molipc_abort(struct molipc_proc *p, int err)
{
	if (p->state == MOLIPC_SENDING)
		list_del_init(&p->send_link);
	if (p->state != MOLIPC_RUNNING && p->state != MOLIPC_REPLYHELD)
		molipc_complete(p, err);
	else if (p->waiter && !p->waiter->done)
		molipc_complete(p, err);
}

/*
 * molipc_proc_fail_partners - p is going away: everyone blocked on it
 * fails with @err, its own queued message is dropped and its pending
 * notifications are cleared everywhere.
 */
void molipc_proc_fail_partners(struct molipc_proc *p, int err)
{
	struct molipc_instance *inst = p->inst;
	struct molipc_proc *q, *tmp;
	unsigned int i;

	if (p->state == MOLIPC_SENDING)
		list_del_init(&p->send_link);
	list_for_each_entry_safe(q, tmp, &p->senders, send_link) {
		list_del_init(&q->send_link);
		molipc_complete(q, err);
	}
	for (i = 0; i < inst->nr_ids; i++) {
		q = &inst->procs[i];
		if ((q->state == MOLIPC_RECEIVING ||
		     q->state == MOLIPC_REPLYWAIT) && q->peer_id == p->id)
			molipc_complete(q, err);
		clear_bit(p->id, q->notify_pending);
	}
	bitmap_zero(p->notify_pending, inst->nr_ids);
}

/* Back to RUNNING with no IPC state (the slot changes hands). */
void molipc_proc_reset_ipc(struct molipc_proc *p)
{
	p->state = MOLIPC_RUNNING;
	p->sendrec = false;
	p->peer_id = MOLIPC_PEER_ANY;
	p->peer_ep = MOL_NONE;
	INIT_LIST_HEAD(&p->send_link);
}

u32 molipc_proc_pstate(const struct molipc_proc *p)
{
	if (p->pstate == MOLIPC_SLOT_FREE)
		return MOLIPC_PSTATE_FREE;
	if (p->pstate == MOLIPC_SLOT_REGISTERED)
		return MOLIPC_PSTATE_REGISTERED;
	switch (p->state) {
	case MOLIPC_SENDING:
		return p->sendrec ? MOLIPC_PSTATE_SENDREC :
				    MOLIPC_PSTATE_SENDING;
	case MOLIPC_RECEIVING:
		return MOLIPC_PSTATE_RECEIVING;
	case MOLIPC_REPLYWAIT:
		return MOLIPC_PSTATE_REPLYWAIT;
	default:
		return MOLIPC_PSTATE_RUNNING;
	}
}

/*
 * Resolve @ep for @caller.  MOL_SELF is the caller; MOL_ANY and MOL_NONE
 * are not processes.  Returns the slot, or ERR_PTR(-ENXIO) for a
 * malformed endpoint and ERR_PTR(-ESRCH) for one that is not alive.
 */
struct molipc_proc *molipc_lookup(struct molipc_instance *inst,
				  struct molipc_proc *caller, int ep)
{
	struct molipc_proc *p;
	int slot, gen;

	if (ep == MOL_SELF)
		return caller;
	if (ep == MOL_ANY || ep == MOL_NONE)
		return ERR_PTR(-ENXIO);
	slot = MOL_ENDPOINT_SLOT(ep);
	gen = MOL_ENDPOINT_GEN(ep);
	if (gen < 0 || gen > MOL_MAX_GEN || slot < -MOL_NR_TASKS ||
	    slot >= (int)inst->nr_procs || MOL_ENDPOINT(gen, slot) != ep)
		return ERR_PTR(-ENXIO);
	p = molipc_proc_by_slot(inst, slot);
	if (p->pstate != MOLIPC_SLOT_BOUND || p->endpoint != ep)
		return ERR_PTR(-ESRCH);
	return p;
}

static bool molipc_may_send(const struct molipc_proc *p,
			    const struct molipc_proc *dst)
{
	if (dst->id >= MOL_NR_SYS_IDS)
		return p->priv.flags & MOLIPC_PRIV_SEND_USERS;
	return (p->priv.send_mask[dst->id / 64] >> (dst->id % 64)) & 1;
}

/* Is @dst waiting for a message that @src may deliver now? */
static bool molipc_will_receive(const struct molipc_proc *dst,
				const struct molipc_proc *src)
{
	if (dst->state == MOLIPC_RECEIVING)
		return dst->peer_id == MOLIPC_PEER_ANY ||
		       dst->peer_id == src->id;
	return dst->state == MOLIPC_REPLYWAIT && dst->peer_id == src->id;
}

/*
 * Would @caller blocking on @dst close a cycle?  Follows what each
 * process is blocked on, as MINIX's deadlock().  A cycle of two where
 * exactly one side is sending is the normal send/receive rendezvous.
 */
static bool molipc_deadlock(struct molipc_instance *inst,
			    const struct molipc_proc *caller,
			    const struct molipc_proc *dst, bool sending)
{
	const struct molipc_proc *xp = dst;
	unsigned int group = 1;

	while (group <= inst->nr_ids) {
		bool xp_sending;

		switch (xp->state) {
		case MOLIPC_SENDING:
			xp_sending = true;
			break;
		case MOLIPC_RECEIVING:
		case MOLIPC_REPLYWAIT:
			xp_sending = false;
			break;
		default:
			return false;
		}
		if (xp->peer_id == MOLIPC_PEER_ANY)
			return false;
		group++;
		if (xp->peer_id == caller->id)
			return !(group == 2 && xp_sending != sending);
		xp = &inst->procs[xp->peer_id];
	}
	return false;
}

/* Hand @m from @src to @dst, which molipc_will_receive() it. */
static void molipc_deliver(struct molipc_proc *dst, struct molipc_proc *src,
			   const struct mol_message *m, bool sendrec)
{
	u32 status = sendrec ? MOLIPC_STATUS_SENDREC : 0;

	molipc_put_msg(dst, m, src->endpoint, status);
	src->nr_sent++;
	dst->nr_received++;
	trace_molipc_deliver(dst->inst->id, src->endpoint, dst->endpoint,
			     m->m_type, status);
	molipc_complete(dst, 0);
}

/* Put the notification from slot id @src_id into @dst's buffer. */
static void molipc_build_notify(struct molipc_proc *dst, int src_id)
{
	struct molipc_instance *inst = dst->inst;
	const struct molipc_proc *src = &inst->procs[src_id];
	struct mol_message m;

	memset(&m, 0, sizeof(m));
	m.m_type = MOL_NOTIFY_MESSAGE;
	m.m_u.m_notify.timestamp_ns = ktime_get_ns();
	if (src->slot == MOL_KERNEL && inst->dead_count)
		m.m_u.m_notify.arg = MOL_NOTICE_DEATH;
	molipc_put_msg(dst, &m, src->endpoint, MOLIPC_STATUS_NOTIFY);
	dst->nr_notifies++;
	trace_molipc_deliver(inst->id, src->endpoint, dst->endpoint,
			     MOL_NOTIFY_MESSAGE, MOLIPC_STATUS_NOTIFY);
}

/*
 * molipc_post_notify - notify @dst from @src: delivered at once if @dst
 * is receiving from @src or ANY, else recorded in its pending bitmap
 * (coalesced).  Never blocks.
 */
void molipc_post_notify(struct molipc_proc *dst, struct molipc_proc *src)
{
	if (dst->state == MOLIPC_RECEIVING &&
	    (dst->peer_id == MOLIPC_PEER_ANY || dst->peer_id == src->id)) {
		molipc_build_notify(dst, src->id);
		molipc_complete(dst, 0);
		return;
	}
	set_bit(src->id, dst->notify_pending);
}

/*
 * The non-blocking half of receive: a pending notification matching
 * @src_id (lowest id first), else the first queued sender matching it.
 */
static bool molipc_try_receive(struct molipc_proc *p, int src_id)
{
	struct molipc_instance *inst = p->inst;
	struct molipc_proc *q;
	unsigned long id;

	if (src_id == MOLIPC_PEER_ANY)
		id = find_first_bit(p->notify_pending, inst->nr_ids);
	else
		id = test_bit(src_id, p->notify_pending) ? src_id :
							   inst->nr_ids;
	if (id < inst->nr_ids) {
		clear_bit(id, p->notify_pending);
		molipc_build_notify(p, id);
		return true;
	}

	list_for_each_entry(q, &p->senders, send_link) {
		if (src_id != MOLIPC_PEER_ANY && q->id != src_id)
			continue;
		list_del_init(&q->send_link);
		molipc_put_msg(p, &q->out, q->endpoint,
			       q->sendrec ? MOLIPC_STATUS_SENDREC : 0);
		q->nr_sent++;
		p->nr_received++;
		trace_molipc_deliver(inst->id, q->endpoint, p->endpoint,
				     q->out.m_type,
				     q->sendrec ? MOLIPC_STATUS_SENDREC : 0);
		if (q->sendrec)
			q->state = MOLIPC_REPLYWAIT;	/* peer stays p */
		else
			molipc_complete(q, 0);
		return true;
	}
	return false;
}

/*
 * Sleep until a partner completes our call, or withdraw it on a signal
 * or timeout.  Called and returns with the instance lock held.  A call
 * that was not completed is still attached to @p (molipc_detach()
 * completes before it detaches).
 */
static int molipc_block(struct molipc_proc *p, const struct molipc_ipc *req)
	__must_hold(&p->inst->lock)
{
	struct molipc_instance *inst = p->inst;
	struct molipc_waiter *w = p->waiter;
	bool timed = req->flags & MOLIPC_IPC_TIMEOUT;
	ktime_t tmo = 0, end = 0;
	int ret = -ETIME;

	inst->nr_blocked++;
	if (!timed || req->timeout_ns) {
		if (timed) {
			tmo = ns_to_ktime(min_t(u64, req->timeout_ns,
						KTIME_MAX));
			end = ktime_add_safe(ktime_get(), tmo);
		}
		spin_unlock(&inst->lock);
		if (timed)
			ret = wait_event_interruptible_hrtimeout(p->wq,
					READ_ONCE(w->done), tmo);
		else
			ret = wait_event_interruptible(p->wq,
						       READ_ONCE(w->done));
		spin_lock(&inst->lock);
	}
	if (w->done)
		return w->result;
	if (timed && ret != -ETIME) {
		tmo = ktime_sub(end, ktime_get());
		if (ktime_to_ns(tmo) <= 0)
			ret = -ETIME;		/* it expired meanwhile */
		else
			w->timeout_left = ktime_to_ns(tmo);
	}

	switch (p->state) {
	case MOLIPC_SENDING:
		list_del_init(&p->send_link);
		p->state = MOLIPC_RUNNING;
		break;
	case MOLIPC_RECEIVING:
		p->state = MOLIPC_RUNNING;
		break;
	case MOLIPC_REPLYWAIT:
		if (ret != -ETIME)
			return -ERESTART;	/* reply still owed: RESUME */
		p->state = MOLIPC_RUNNING;	/* timeout: abandon it */
		break;
	default:
		WARN_ON_ONCE(1);
		p->state = MOLIPC_RUNNING;
		break;
	}
	/*
	 * Withdrawn, nothing delivered: the call may start again.  A stop
	 * signal (SIGSTOP, then SIGCONT) runs no handler, so Linux restarts
	 * the ioctl and the caller never notices; a handler makes it EINTR
	 * (Documentation/ipc.md, "Signals").
	 */
	return ret == -ETIME ? -ETIMEDOUT : -ERESTARTNOHAND;
}

static void molipc_set_wait(struct molipc_proc *p, enum molipc_state state,
			    struct molipc_proc *peer)
{
	p->state = state;
	p->peer_id = peer ? peer->id : MOLIPC_PEER_ANY;
	p->peer_ep = peer ? peer->endpoint : MOL_ANY;
}

/* receive from @src (NULL: ANY) into the call's waiter. */
static int molipc_do_receive(struct molipc_proc *p, struct molipc_proc *src,
			     const struct molipc_ipc *req)
{
	if (src == p)
		return -EDEADLK;
	if (molipc_try_receive(p, src ? src->id : MOLIPC_PEER_ANY))
		return 0;
	if (src && molipc_deadlock(p->inst, p, src, false)) {
		p->inst->nr_deadlocks++;
		return -EDEADLK;
	}
	molipc_set_wait(p, MOLIPC_RECEIVING, src);
	return molipc_block(p, req);
}

/* send (or sendrec's request) of req->msg to @dst. */
static int molipc_do_send(struct molipc_proc *p, struct molipc_proc *dst,
			  const struct molipc_ipc *req, bool sendrec)
{
	if (dst == p)
		return -EDEADLK;
	if (molipc_will_receive(dst, p)) {
		molipc_deliver(dst, p, &req->msg, sendrec);
		if (!sendrec)
			return 0;
		molipc_set_wait(p, MOLIPC_REPLYWAIT, dst);
		return molipc_block(p, req);
	}
	if (molipc_deadlock(p->inst, p, dst, true)) {
		p->inst->nr_deadlocks++;
		return -EDEADLK;
	}
	p->out = req->msg;
	p->sendrec = sendrec;
	molipc_set_wait(p, MOLIPC_SENDING, dst);
	list_add_tail(&p->send_link, &dst->senders);
	return molipc_block(p, req);
}

/* A sendrec with MOLIPC_IPC_RESUME: pick up (or wait for) the reply. */
static int molipc_do_resume(struct molipc_proc *p,
			    const struct molipc_ipc *req)
{
	if (p->state == MOLIPC_REPLYHELD) {
		p->state = MOLIPC_RUNNING;
		p->waiter->msg = p->in;
		p->waiter->status = p->in_status;
		return p->held_result;
	}
	return molipc_block(p, req);
}

/*
 * Checks of one call, in MINIX's order (Documentation/ipc.md); returns
 * 0 with *peer and *src resolved, or the error.
 */
static int molipc_check(struct molipc_proc *p, int op,
			const struct molipc_ipc *req,
			struct molipc_proc **peer, struct molipc_proc **src)
{
	struct molipc_instance *inst = p->inst;

	if (req->flags & MOLIPC_IPC_RESUME) {
		if ((p->state != MOLIPC_REPLYWAIT &&
		     p->state != MOLIPC_REPLYHELD) ||
		    p->peer_ep != req->endpoint)
			return -EINVAL;
		return 0;
	}
	if (p->state != MOLIPC_RUNNING)
		return -EBUSY;

	*peer = NULL;
	*src = NULL;
	if (op != MOLIPC_OP_RECEIVE || req->endpoint != MOL_ANY) {
		*peer = molipc_lookup(inst, p, req->endpoint);
		if (IS_ERR(*peer))
			return PTR_ERR(*peer);
	}
	if (op == MOLIPC_OP_REPLY_RECV && req->src != MOL_ANY) {
		*src = molipc_lookup(inst, p, req->src);
		if (IS_ERR(*src))
			return PTR_ERR(*src);
	}
	if (op != MOLIPC_OP_RECEIVE && !molipc_may_send(p, *peer))
		return -EACCES;
	if (!(p->priv.trap_mask & MOLIPC_TRAP(op)))
		return -EPERM;
	return 0;
}

static int molipc_dispatch(struct molipc_proc *p, int op,
			   struct molipc_ipc *req)
{
	struct molipc_proc *peer = NULL, *src = NULL;
	int ret;

	ret = molipc_check(p, op, req, &peer, &src);
	if (ret)
		return ret;
	if (req->flags & MOLIPC_IPC_RESUME)
		return molipc_do_resume(p, req);

	switch (op) {
	case MOLIPC_OP_SEND:
		return molipc_do_send(p, peer, req, false);
	case MOLIPC_OP_SENDREC:
		return molipc_do_send(p, peer, req, true);
	case MOLIPC_OP_RECEIVE:
		return molipc_do_receive(p, peer, req);
	case MOLIPC_OP_SENDNB:
		if (peer == p || !molipc_will_receive(peer, p))
			return -EAGAIN;
		molipc_deliver(peer, p, &req->msg, false);
		return 0;
	case MOLIPC_OP_NOTIFY:
		molipc_post_notify(peer, p);
		return 0;
	case MOLIPC_OP_REPLY_RECV:
		if (peer == p || src == p)
			return -EDEADLK;
		if (peer->state != MOLIPC_REPLYWAIT || peer->peer_id != p->id)
			return -EAGAIN;
		molipc_deliver(peer, p, &req->msg, false);
		return molipc_do_receive(p, src, req);
	}
	return -EINVAL;
}

/*
 * molipc_ipc - one IPC call by the process bound through @f.  On success
 * for the receiving operations, req->msg and req->status hold what was
 * received.
 */
int molipc_ipc(struct molipc_file *f, int op, struct molipc_ipc *req)
{
	struct molipc_waiter w = { .done = false };
	struct molipc_instance *inst;
	struct molipc_proc *p;
	int ret;

	if (req->flags & ~MOLIPC_IPC_FLAGS)
		return -EINVAL;
	if ((req->flags & MOLIPC_IPC_RESUME) && op != MOLIPC_OP_SENDREC)
		return -EINVAL;
	if (req->src && op != MOLIPC_OP_REPLY_RECV)
		return -EINVAL;
	if (req->timeout_ns && !(req->flags & MOLIPC_IPC_TIMEOUT))
		return -EINVAL;

	p = molipc_caller(f);
	if (!p)
		return -ENOTCONN;
	inst = p->inst;

	spin_lock(&inst->lock);
	ret = molipc_check_caller(f, p, false);
	if (ret)
		goto out;
	if (molipc_in_call(p)) {
		ret = -EBUSY;
		goto out;
	}
	trace_molipc_call(inst->id, op, p->endpoint, req->endpoint, req->src,
			  req->msg.m_type);
	inst->nr_calls[op]++;
	p->waiter = &w;
	ret = molipc_dispatch(p, op, req);
	if (ret == -ERESTARTNOHAND) {
		/*
		 * reply-and-receive sent its reply before it blocked: doing
		 * it again would send it twice, so it is not restarted.
		 */
		if (op == MOLIPC_OP_REPLY_RECV)
			ret = -EINTR;
		else if (req->flags & MOLIPC_IPC_TIMEOUT)
			req->timeout_ns = w.timeout_left;
	}
	if (ret == 0 && (op == MOLIPC_OP_RECEIVE || op == MOLIPC_OP_SENDREC ||
			 op == MOLIPC_OP_REPLY_RECV)) {
		req->msg = w.msg;
		req->status = w.status;
	}
	/* Unless the slot was freed (and maybe reused) while we slept. */
	if (p->waiter == &w) {
		p->waiter = NULL;
		if (ret && ret != -ETIMEDOUT)	/* a timeout is not a failure */
			p->nr_errors++;
	}
	trace_molipc_return(inst->id, op, p->endpoint, ret,
			    ret ? MOL_NONE : req->msg.m_source);
out:
	spin_unlock(&inst->lock);
	return ret;
}

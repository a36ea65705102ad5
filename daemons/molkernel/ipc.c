// SPDX-License-Identifier: GPL-2.0
/*
 * ipc.c - MINIX rendezvous IPC for molkernel: send, receive, sendrec,
 * notify, sendnb and reply-and-receive with MINIX's checks and deadlock
 * detection, timeouts and withdrawal, for the slots of one instance.
 *
 * This is the same state machine as molipc.ko's kmod/molipc_ipc.c, with
 * one difference imposed by user space: a caller that must wait does not
 * sleep.  mk_ipc() returns MK_BLOCKED, the caller's client keeps waiting
 * for its reply datagram, and whoever completes the call later (a
 * partner, a timeout, a CANCEL, a death) answers it through
 * env.complete.  No I/O happens here.
 */
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include <linux/molkernel_proto.h>

static uint64_t mk_now(struct mk_kernel *k)
{
	return k->env.now(k->env.ctx);
}

/* ---------------------------------------------------------------- */
/* Timeouts                                                          */
/* ---------------------------------------------------------------- */

static void mk_timer_del(struct mk_proc *p)
{
	if (p->timed) {
		list_del_init(&p->tmo_link);
		p->timed = false;
	}
}

static void mk_timer_add(struct mk_proc *p, uint64_t timeout_ns)
{
	struct mk_kernel *k = p->inst->k;
	struct list_head *pos;
	uint64_t now = mk_now(k);

	mk_timer_del(p);
	p->deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX :
						      now + timeout_ns;
	p->timed = true;
	/* Sorted by deadline; equal deadlines keep their order. */
	for (pos = k->timeouts.prev; pos != &k->timeouts; pos = pos->prev) {
		struct mk_proc *q = list_entry(pos, struct mk_proc, tmo_link);

		if (q->deadline <= p->deadline)
			break;
	}
	list_add_tail(&p->tmo_link, pos->next);
}

uint64_t mk_next_deadline(struct mk_kernel *k)
{
	if (list_empty(&k->timeouts))
		return UINT64_MAX;
	return list_first_entry(&k->timeouts, struct mk_proc,
				tmo_link)->deadline;
}

/* ---------------------------------------------------------------- */
/* Completion                                                        */
/* ---------------------------------------------------------------- */

/* The blocked call of p ends with result: answer its client. */
static void mk_finish(struct mk_proc *p, int result)
{
	struct mk_kernel *k = p->inst->k;

	p->in_call = false;
	mk_timer_del(p);
	if (result && result != MOL_ETIMEDOUT)	/* not a failure */
		p->nr_errors++;
	k->env.complete(k->env.ctx, p, result, p->in_status, &p->in);
}

/* A partner completes p's call (or keeps the result for a RESUME). */
void mk_complete(struct mk_proc *p, int result)
{
	p->result = result;
	if (p->state == MK_REPLYWAIT && !p->in_call)
		p->state = MK_REPLYHELD;
	else
		p->state = MK_RUNNING;
	if (p->in_call)
		mk_finish(p, result);
}

/* Withdraw whatever p is blocked in, and complete it with err. */
void mk_abort(struct mk_proc *p, int err)
{
	if (p->state == MK_SENDING)
		list_del_init(&p->send_link);
	if (p->state != MK_RUNNING && p->state != MK_REPLYHELD)
		mk_complete(p, err);
}

/*
 * Withdraw p's blocked call for a signal (MOL_EINTR) or a timeout
 * (MOL_ETIMEDOUT) and return its status; p->in_call is left alone.
 */
static int mk_withdraw(struct mk_proc *p, int why)
{
	switch (p->state) {
	case MK_SENDING:
		list_del_init(&p->send_link);
		p->state = MK_RUNNING;
		break;
	case MK_RECEIVING:
		p->state = MK_RUNNING;
		break;
	case MK_REPLYWAIT:
		if (why != MOL_ETIMEDOUT)
			return MOL_EREPLYPENDING;	/* reply still owed */
		p->state = MK_RUNNING;		/* timeout: abandon it */
		break;
	default:
		p->state = MK_RUNNING;
		break;
	}
	return why;
}

bool mk_cancel(struct mk_kernel *k, struct mk_proc *p, int why)
{
	if (!p->in_call)
		return false;
	mk_finish(p, mk_withdraw(p, why));
	return true;
}

void mk_expire(struct mk_kernel *k, uint64_t now)
{
	while (!list_empty(&k->timeouts)) {
		struct mk_proc *p = list_first_entry(&k->timeouts,
						     struct mk_proc, tmo_link);

		if (p->deadline > now)
			break;
		mk_timer_del(p);
		mk_cancel(k, p, MOL_ETIMEDOUT);
	}
}

/* ---------------------------------------------------------------- */
/* Slots                                                             */
/* ---------------------------------------------------------------- */

static void mk_pend_del(struct mk_proc *p, unsigned int i)
{
	memmove(&p->pend[i], &p->pend[i + 1],
		(p->npend - i - 1) * sizeof(p->pend[0]));
	p->npend--;
}

static int mk_pend_find(const struct mk_proc *p, int id)
{
	unsigned int lo = 0, hi = p->npend;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (p->pend[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * mk_fail_partners - p is going away: everyone blocked on it fails with
 * err, its own queued message is dropped and its pending notifications
 * are cleared everywhere.
 */
void mk_fail_partners(struct mk_proc *p, int err)
{
	struct mk_inst *inst = p->inst;
	struct list_head *pos, *tmp;
	unsigned int i;

	if (p->state == MK_SENDING)
		list_del_init(&p->send_link);
	list_for_each_safe(pos, tmp, &p->senders) {
		struct mk_proc *q = list_entry(pos, struct mk_proc, send_link);

		list_del_init(&q->send_link);
		mk_complete(q, err);
	}
	for (i = 0; i < inst->nr_ids; i++) {
		struct mk_proc *q = &inst->procs[i];
		unsigned int j;

		if ((q->state == MK_RECEIVING || q->state == MK_REPLYWAIT) &&
		    q->peer_id == p->id)
			mk_complete(q, err);
		j = mk_pend_find(q, p->id);
		if (j < q->npend && q->pend[j].id == p->id)
			mk_pend_del(q, j);
	}
	p->npend = 0;
}

/* Back to RUNNING with no IPC state (the slot changes hands). */
void mk_reset_ipc(struct mk_proc *p)
{
	mk_timer_del(p);
	p->state = MK_RUNNING;
	p->in_call = false;
	p->sendrec = false;
	p->peer_id = MK_PEER_ANY;
	p->peer_ep = MOL_NONE;
	INIT_LIST_HEAD(&p->send_link);
}

uint32_t mk_proc_pstate(const struct mk_proc *p)
{
	if (p->pstate == MK_SLOT_FREE)
		return MOLIPC_PSTATE_FREE;
	if (p->pstate == MK_SLOT_REGISTERED)
		return MOLIPC_PSTATE_REGISTERED;
	switch (p->state) {
	case MK_SENDING:
		return p->sendrec ? MOLIPC_PSTATE_SENDREC :
				    MOLIPC_PSTATE_SENDING;
	case MK_RECEIVING:
		return MOLIPC_PSTATE_RECEIVING;
	case MK_REPLYWAIT:
		return MOLIPC_PSTATE_REPLYWAIT;
	default:
		return MOLIPC_PSTATE_RUNNING;
	}
}

/*
 * Resolve ep for caller.  MOL_SELF is the caller; MOL_ANY and MOL_NONE
 * are not processes.  Returns the slot, or NULL with *err = MOL_EBADSRCDST
 * for a malformed endpoint and MOL_EDEADSRCDST for one that is not alive.
 */
struct mk_proc *mk_lookup(struct mk_inst *inst, struct mk_proc *caller,
			  int ep, int *err)
{
	struct mk_proc *p;
	int slot, gen;

	if (ep == MOL_SELF && caller)
		return caller;
	*err = MOL_EBADSRCDST;
	if (ep == MOL_ANY || ep == MOL_NONE || ep == MOL_SELF)
		return NULL;
	slot = molk_ep_slot(ep);
	gen = molk_ep_gen(ep);
	if (gen < 0 || gen > MOL_MAX_GEN || slot < -MOL_NR_TASKS ||
	    slot >= (int)inst->nr_procs || MOL_ENDPOINT(gen, slot) != ep)
		return NULL;
	p = mk_proc_by_slot(inst, slot);
	*err = MOL_EDEADSRCDST;
	if (p->pstate != MK_SLOT_BOUND || p->endpoint != ep)
		return NULL;
	return p;
}

static bool mk_may_send(const struct mk_proc *p, const struct mk_proc *dst)
{
	if (dst->id >= MOL_NR_SYS_IDS)
		return p->priv.flags & MOLIPC_PRIV_SEND_USERS;
	return (p->priv.send_mask[dst->id / 64] >> (dst->id % 64)) & 1;
}

/* Is dst waiting for a message that src may deliver now? */
static bool mk_will_receive(const struct mk_proc *dst,
			    const struct mk_proc *src)
{
	if (dst->state == MK_RECEIVING)
		return dst->peer_id == MK_PEER_ANY || dst->peer_id == src->id;
	return dst->state == MK_REPLYWAIT && dst->peer_id == src->id;
}

/*
 * Would caller blocking on dst close a cycle?  Follows what each process
 * is blocked on, as MINIX's deadlock().  A cycle of two where exactly one
 * side is sending is the normal send/receive rendezvous.
 */
static bool mk_deadlock(struct mk_inst *inst, const struct mk_proc *caller,
			const struct mk_proc *dst, bool sending)
{
	const struct mk_proc *xp = dst;
	unsigned int group = 1;

	while (group <= inst->nr_ids) {
		bool xp_sending;

		switch (xp->state) {
		case MK_SENDING:
			xp_sending = true;
			break;
		case MK_RECEIVING:
		case MK_REPLYWAIT:
			xp_sending = false;
			break;
		default:
			return false;
		}
		if (xp->peer_id == MK_PEER_ANY)
			return false;
		group++;
		if (xp->peer_id == caller->id)
			return !(group == 2 && xp_sending != sending);
		xp = &inst->procs[xp->peer_id];
	}
	return false;
}

/* Hand m from src to dst, which mk_will_receive() it. */
static void mk_deliver(struct mk_proc *dst, struct mk_proc *src,
		       const struct mol_message *m, bool sendrec)
{
	dst->in = *m;
	dst->in.m_source = src->endpoint;
	dst->in_status = sendrec ? MOLIPC_STATUS_SENDREC : 0;
	src->nr_sent++;
	dst->nr_received++;
	mk_complete(dst, MOL_OK);
}

/* Put the pending notification n into dst's buffer. */
static void mk_build_notify(struct mk_proc *dst, const struct mk_notify *n)
{
	struct mk_inst *inst = dst->inst;
	const struct mk_proc *src = &inst->procs[n->id];

	memset(&dst->in, 0, sizeof(dst->in));
	dst->in.m_source = src->slot == MOL_KERNEL ? MOL_KERNEL : src->endpoint;
	dst->in.m_type = MOL_NOTIFY_MESSAGE;
	/* As the module (Documentation/ipc.md): the time of delivery. */
	dst->in.m_u.m_notify.timestamp_ns = mk_now(inst->k);
	/* As the module: the notice says whether death records wait. */
	if (src->slot == MOL_KERNEL)
		dst->in.m_u.m_notify.arg = inst->dead_count ?
					   MOL_NOTICE_DEATH : 0;
	else
		dst->in.m_u.m_notify.arg = n->arg;
	dst->in_status = MOLIPC_STATUS_NOTIFY;
	dst->nr_notifies++;
}

/*
 * mk_post_notify - notify dst from the slot with id src_id (arg: notice
 * bits, from MOL_KERNEL): delivered at once if dst is receiving from it
 * or ANY, else recorded as pending (coalesced, bits or'ed).  Never blocks.
 */
void mk_post_notify(struct mk_proc *dst, int src_id, uint64_t arg)
{
	struct mk_notify n = {
		.id = src_id, .ts = mk_now(dst->inst->k), .arg = arg,
	};
	unsigned int i;

	if (dst->state == MK_RECEIVING &&
	    (dst->peer_id == MK_PEER_ANY || dst->peer_id == src_id)) {
		mk_build_notify(dst, &n);
		mk_complete(dst, MOL_OK);
		return;
	}
	i = mk_pend_find(dst, src_id);
	if (i < dst->npend && dst->pend[i].id == src_id) {
		dst->pend[i].ts = n.ts;
		dst->pend[i].arg |= arg;
		return;
	}
	if (dst->npend == dst->pend_cap) {
		/* At most one entry per id: nr_ids is the ceiling. */
		unsigned int cap = dst->pend_cap ? dst->pend_cap * 2 : 8;
		struct mk_notify *np;

		if (cap > dst->inst->nr_ids)
			cap = dst->inst->nr_ids;
		np = realloc(dst->pend, cap * sizeof(*np));
		if (!np)
			abort();	/* bounded by nr_ids: cannot happen */
		dst->pend = np;
		dst->pend_cap = cap;
	}
	memmove(&dst->pend[i + 1], &dst->pend[i],
		(dst->npend - i) * sizeof(dst->pend[0]));
	dst->pend[i] = n;
	dst->npend++;
}

/*
 * The non-blocking half of receive: a pending notification matching
 * src_id (lowest id first), else the first queued sender matching it.
 */
static bool mk_try_receive(struct mk_proc *p, int src_id)
{
	struct list_head *pos;
	unsigned int i;

	i = src_id == MK_PEER_ANY ? 0 : mk_pend_find(p, src_id);
	if (i < p->npend && (src_id == MK_PEER_ANY || p->pend[i].id == src_id)) {
		struct mk_notify n = p->pend[i];

		mk_pend_del(p, i);
		mk_build_notify(p, &n);
		return true;
	}

	for (pos = p->senders.next; pos != &p->senders; pos = pos->next) {
		struct mk_proc *q = list_entry(pos, struct mk_proc, send_link);

		if (src_id != MK_PEER_ANY && q->id != src_id)
			continue;
		list_del_init(&q->send_link);
		p->in = q->out;
		p->in.m_source = q->endpoint;
		p->in_status = q->sendrec ? MOLIPC_STATUS_SENDREC : 0;
		q->nr_sent++;
		p->nr_received++;
		if (q->sendrec)
			q->state = MK_REPLYWAIT;	/* peer stays p */
		else
			mk_complete(q, MOL_OK);
		return true;
	}
	return false;
}

/*
 * The caller must wait: answer later.  A zero timeout does not wait at
 * all: the call is withdrawn at once.
 */
static int mk_block(struct mk_proc *p, const struct molipc_ipc *req)
{
	struct mk_kernel *k = p->inst->k;
	bool timed = req->flags & MOLIPC_IPC_TIMEOUT;

	k->nr_blocked++;
	if (timed && !req->timeout_ns)
		return mk_withdraw(p, MOL_ETIMEDOUT);
	p->in_call = true;
	if (timed)
		mk_timer_add(p, req->timeout_ns);
	return MK_BLOCKED;
}

static void mk_set_wait(struct mk_proc *p, enum mk_state state,
			struct mk_proc *peer)
{
	p->state = state;
	p->peer_id = peer ? peer->id : MK_PEER_ANY;
	p->peer_ep = peer ? peer->endpoint : MOL_ANY;
}

/* receive from src (NULL: ANY); the message lands in p->in. */
static int mk_do_receive(struct mk_proc *p, struct mk_proc *src,
			 const struct molipc_ipc *req)
{
	if (src == p)
		return MOL_ELOCKED;
	if (mk_try_receive(p, src ? src->id : MK_PEER_ANY))
		return MOL_OK;
	if (src && mk_deadlock(p->inst, p, src, false)) {
		p->inst->k->nr_deadlocks++;
		return MOL_ELOCKED;
	}
	mk_set_wait(p, MK_RECEIVING, src);
	return mk_block(p, req);
}

/* send (or sendrec's request) of req->msg to dst. */
static int mk_do_send(struct mk_proc *p, struct mk_proc *dst,
		      const struct molipc_ipc *req, bool sendrec)
{
	if (dst == p)
		return MOL_ELOCKED;
	if (mk_will_receive(dst, p)) {
		mk_deliver(dst, p, &req->msg, sendrec);
		if (!sendrec)
			return MOL_OK;
		mk_set_wait(p, MK_REPLYWAIT, dst);
		return mk_block(p, req);
	}
	if (mk_deadlock(p->inst, p, dst, true)) {
		p->inst->k->nr_deadlocks++;
		return MOL_ELOCKED;
	}
	p->out = req->msg;
	p->sendrec = sendrec;
	mk_set_wait(p, MK_SENDING, dst);
	list_add_tail(&p->send_link, &dst->senders);
	return mk_block(p, req);
}

/* A sendrec with MOLIPC_IPC_RESUME: pick up (or wait for) the reply. */
static int mk_do_resume(struct mk_proc *p, const struct molipc_ipc *req)
{
	if (p->state == MK_REPLYHELD) {
		p->state = MK_RUNNING;
		return p->result;
	}
	return mk_block(p, req);
}

/*
 * Checks of one call, in MINIX's order (ipc-decisions.txt, from check
 * 4); returns 0 with *peer and *src resolved, or the error.
 */
static int mk_check(struct mk_proc *p, int op, const struct molipc_ipc *req,
		    struct mk_proc **peer, struct mk_proc **src)
{
	struct mk_inst *inst = p->inst;
	int err = 0;

	if (p->in_call)
		return MOL_EBUSY;
	if (req->flags & MOLIPC_IPC_RESUME) {
		if ((p->state != MK_REPLYWAIT && p->state != MK_REPLYHELD) ||
		    p->peer_ep != req->endpoint)
			return MOL_EINVAL;
		return 0;
	}
	if (p->state != MK_RUNNING)
		return MOL_EBUSY;

	*peer = NULL;
	*src = NULL;
	if (op != MOLIPC_OP_RECEIVE || req->endpoint != MOL_ANY) {
		*peer = mk_lookup(inst, p, req->endpoint, &err);
		if (!*peer)
			return err;
	}
	if (op == MOLIPC_OP_REPLY_RECV && req->src != MOL_ANY) {
		*src = mk_lookup(inst, p, req->src, &err);
		if (!*src)
			return err;
	}
	if (op != MOLIPC_OP_RECEIVE && !mk_may_send(p, *peer))
		return MOL_ECALLDENIED;
	if (!(p->priv.trap_mask & MOLIPC_TRAP(op)))
		return MOL_ETRAPDENIED;
	return 0;
}

static int mk_dispatch(struct mk_proc *p, int op, struct molipc_ipc *req)
{
	struct mk_proc *peer = NULL, *src = NULL;
	int ret;

	ret = mk_check(p, op, req, &peer, &src);
	if (ret)
		return ret;
	p->op = op;
	if (req->flags & MOLIPC_IPC_RESUME)
		return mk_do_resume(p, req);

	switch (op) {
	case MOLIPC_OP_SEND:
		return mk_do_send(p, peer, req, false);
	case MOLIPC_OP_SENDREC:
		return mk_do_send(p, peer, req, true);
	case MOLIPC_OP_RECEIVE:
		return mk_do_receive(p, peer, req);
	case MOLIPC_OP_SENDNB:
		if (peer == p || !mk_will_receive(peer, p))
			return MOL_ENOTREADY;
		mk_deliver(peer, p, &req->msg, false);
		return MOL_OK;
	case MOLIPC_OP_NOTIFY:
		mk_post_notify(peer, p->id, 0);
		return MOL_OK;
	case MOLIPC_OP_REPLY_RECV:
		if (peer == p || src == p)
			return MOL_ELOCKED;
		if (peer->state != MK_REPLYWAIT || peer->peer_id != p->id)
			return MOL_ENOTREADY;
		mk_deliver(peer, p, &req->msg, false);
		return mk_do_receive(p, src, req);
	}
	return MOL_EINVAL;
}

int mk_ipc(struct mk_kernel *k, struct mk_proc *p, int op,
	   struct molipc_ipc *req)
{
	int ret;

	if (p->inst->dead)
		return MOL_EINSTGONE;
	k->nr_calls++;
	ret = mk_dispatch(p, op, req);
	if (ret == MK_BLOCKED)
		return ret;
	if (ret == MOL_OK && (op == MOLIPC_OP_RECEIVE ||
			      op == MOLIPC_OP_SENDREC ||
			      op == MOLIPC_OP_REPLY_RECV)) {
		req->msg = p->in;
		req->status = p->in_status;
	}
	if (ret && ret != MOL_ETIMEDOUT)
		p->nr_errors++;
	return ret;
}

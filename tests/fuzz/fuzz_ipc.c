// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ipc.c - libFuzzer target for molkernel's IPC state machine
 * (daemons/molkernel/ipc.c, instance.c).
 *
 * The input is a program: each step creates an instance, registers,
 * binds, makes an IPC call (any op, endpoint, flags, timeout), cancels a
 * blocked call (a signal), advances the clock, kills or closes a process,
 * or uses a control operation, as molkernel.c would on behalf of twelve
 * fake processes.  After every step the state machine's invariants are
 * checked: send queues and states agree, a blocked call belongs to a
 * waiting client and is answered exactly once, free slots are clean,
 * pending notifications are sorted and in range, the timeout list is
 * sorted.  Everything is freed at the end (LeakSanitizer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"
#include <linux/molkernel_proto.h>

#define CHECK(c) do { if (!(c)) abort(); } while (0)
#define NPIDS	12
#define PID0	1000

struct fclient {
	struct mk_proc *proc;
	struct mk_inst *inst;
	bool pending;
	int op;
};

struct fwatch {
	pid_t pid;
	struct mk_proc *p;
	struct fwatch *next;
};

static struct mk_kernel k;
static struct fclient clients[NPIDS];
static bool dead_pid[NPIDS];
static struct fwatch *watches;
static uint64_t now;
static bool tearing_down;
static const uint8_t *in;
static size_t in_left;

static unsigned int next(void)
{
	if (!in_left)
		return 0;
	in_left--;
	return *in++;
}

static unsigned int next32(void)
{
	return next() | next() << 8 | next() << 16 | (unsigned int)next() << 24;
}

static void env_complete(void *ctx, struct mk_proc *p, int status,
			 uint32_t rstatus, const struct mol_message *msg)
{
	struct fclient *c = p->owner;

	if (tearing_down)
		return;
	CHECK(c);
	CHECK(c->pending);		/* exactly one answer per call */
	CHECK(status <= 0);
	c->pending = false;
}

static int env_watch(void *ctx, struct mk_proc *p, pid_t pid, void **h)
{
	struct fwatch *w;

	if (pid < PID0 || pid >= PID0 + NPIDS || dead_pid[pid - PID0])
		return MOL_EDEADSRCDST;
	w = calloc(1, sizeof(*w));
	CHECK(w);
	w->pid = pid;
	w->p = p;
	w->next = watches;
	watches = w;
	*h = w;
	return 0;
}

static void env_unwatch(void *ctx, void *h)
{
	struct fwatch **pp = &watches;

	while (*pp && *pp != h)
		pp = &(*pp)->next;
	CHECK(*pp);
	*pp = ((struct fwatch *)h)->next;
	free(h);
}

static bool watch_exists(const struct fwatch *w)
{
	const struct fwatch *x;

	for (x = watches; x && x != w; x = x->next)
		;
	return x;
}

static bool env_alive(void *ctx, pid_t pid)
{
	return pid >= PID0 && pid < PID0 + NPIDS && !dead_pid[pid - PID0];
}

static uint64_t env_now(void *ctx)
{
	return now;
}

/* An endpoint worth trying, relative to the caller's instance. */
static int pick_ep(struct mk_inst *inst)
{
	unsigned int b = next();
	int slot = (int)(next() % (inst->nr_procs + MOL_NR_TASKS + 2)) -
		   MOL_NR_TASKS - 1;

	switch (b % 8) {
	case 0: return MOL_ANY;
	case 1: return MOL_SELF;
	case 2: return MOL_NONE;
	case 3: return (int)next32();
	case 4:				/* a stale generation */
		return MOL_ENDPOINT(1, slot);
	default:
		if (slot >= -MOL_NR_TASKS && slot < (int)inst->nr_procs)
			return mk_proc_by_slot(inst, slot)->endpoint;
		return MOL_ENDPOINT(0, slot);
	}
}

static void pick_priv(struct molipc_priv *pv)
{
	memset(pv, 0, sizeof(*pv));
	pv->send_mask[0] = next() & 1 ? ~0ULL : ((uint64_t)next32() << 8);
	pv->send_mask[1] = next() & 1 ? ~0ULL : 0;
	pv->trap_mask = next() & 1 ? MOLIPC_TRAPS_ALL : next();
	pv->flags = next() & 3;
}

static struct mk_caller caller(int i)
{
	struct mk_caller c = {
		.pid = PID0 + i,
		.privileged = true,
		.same_pid = true,
		.bound = clients[i].proc,
		.owner = &clients[i],
	};
	return c;
}

static void client_drop(int i)
{
	struct fclient *c = &clients[i];

	if (c->inst)
		mk_inst_put(c->inst);
	memset(c, 0, sizeof(*c));
}

/* Process i exits (or closes: status -1), as molkernel.c handles it. */
static void die(int i, int status, bool closing)
{
	struct fclient *c = &clients[i];
	struct fwatch *w;

	if (!closing) {
		dead_pid[i] = true;
		for (;;) {
			struct mk_proc *p;

			for (w = watches; w && w->pid != PID0 + i; w = w->next)
				;
			if (!w)
				break;
			p = w->p;
			mk_proc_gone(&k, p, status);
			/*
			 * Normally that unwatched it (and p may be freed with
			 * its instance); in any case it never fires again.
			 */
			if (watch_exists(w)) {
				p->watch = NULL;
				env_unwatch(NULL, w);
			}
		}
	}
	if (c->proc && c->proc->owner == c)
		mk_proc_gone(&k, c->proc, status);
	CHECK(!c->pending);
	client_drop(i);
}

static void check_invariants(void)
{
	struct list_head *pos;
	uint64_t last = 0;
	int i;

	for (pos = k.timeouts.next; pos != &k.timeouts; pos = pos->next) {
		struct mk_proc *p = list_entry(pos, struct mk_proc, tmo_link);

		CHECK(p->timed && p->in_call);
		CHECK(p->deadline >= last);
		last = p->deadline;
	}
	for (pos = k.instances.next; pos != &k.instances; pos = pos->next) {
		struct mk_inst *inst = list_entry(pos, struct mk_inst, link);
		unsigned int j, n;

		for (j = 0; j < inst->nr_ids; j++) {
			struct mk_proc *p = &inst->procs[j];
			struct list_head *q;

			CHECK(p->id == (int)j && p->inst == inst);
			if (p->pstate == MK_SLOT_FREE) {
				CHECK(!p->in_call && p->state == MK_RUNNING);
				CHECK(!p->npend && list_empty(&p->senders));
				CHECK(!p->owner && !p->watch);
			}
			if (p->in_call) {
				struct fclient *c = p->owner;

				CHECK(c && c->pending && c->proc == p);
				CHECK(p->state == MK_SENDING ||
				      p->state == MK_RECEIVING ||
				      p->state == MK_REPLYWAIT);
			}
			if (p->state == MK_SENDING) {
				struct mk_proc *d = &inst->procs[p->peer_id];
				bool found = false;

				CHECK(p->peer_id >= 0 &&
				      p->peer_id < (int)inst->nr_ids);
				for (q = d->senders.next; q != &d->senders;
				     q = q->next)
					found |= q == &p->send_link;
				CHECK(found);
			} else {
				CHECK(list_empty(&p->send_link));
			}
			n = 0;
			for (q = p->senders.next; q != &p->senders;
			     q = q->next) {
				struct mk_proc *s = list_entry(q,
					struct mk_proc, send_link);

				CHECK(s->state == MK_SENDING &&
				      s->peer_id == p->id && s->in_call);
				CHECK(++n <= inst->nr_ids);
			}
			for (n = 0; n < p->npend; n++) {
				CHECK(p->pend[n].id >= 0 &&
				      p->pend[n].id < (int)inst->nr_ids);
				CHECK(!n || p->pend[n - 1].id < p->pend[n].id);
			}
		}
	}
	for (i = 0; i < NPIDS; i++)
		if (clients[i].pending)
			CHECK(clients[i].proc && clients[i].proc->in_call);
}

static void step(void)
{
	int i = next() % NPIDS;
	struct fclient *c = &clients[i];
	struct mk_caller cl = caller(i);
	struct mk_proc *bound = NULL;
	unsigned int a = next() % 12;

	if (dead_pid[i] && a != 11)
		return;
	switch (a) {
	case 0: {			/* create */
		struct molipc_create req = { .nr_procs = next() % 3 ?
					     MOL_MIN_PROCS : next() };

		if (next() % 4 == 0) {
			req.flags = MOLIPC_CREATE_APPOINT;
			req.system_pid = PID0 + next() % (NPIDS + 1);
		}
		if (!mk_create(&k, &cl, &req, &bound) && bound) {
			c->proc = bound;
			c->inst = bound->inst;
		}
		break;
	}
	case 1: {			/* register */
		struct molipc_register req = {
			.pid = PID0 + (int)(next() % (NPIDS + 1)) - 1,
			.slot = (int)(next() % 24) - MOL_NR_TASKS,
		};

		pick_priv(&req.priv);
		mk_register(&k, &cl, &req);
		break;
	}
	case 2: {			/* bind */
		struct molipc_bind req = {
			.instance = next() % 4,
			.endpoint = next() % 2 ? MOL_ANY : (int)next() - 4,
		};

		if (!mk_bind(&k, &cl, &req, &bound)) {
			c->proc = bound;
			c->inst = bound->inst;
		}
		break;
	}
	case 3: case 4: case 5: {	/* IPC */
		int op = 1 + next() % MOLIPC_OP_MAX;
		struct molipc_ipc req = { 0 };
		int ret;

		if (!c->proc || c->pending || c->proc->owner != c ||
		    c->proc->inst->dead)
			break;
		req.endpoint = pick_ep(c->proc->inst);
		if (op == MOLIPC_OP_REPLY_RECV)
			req.src = pick_ep(c->proc->inst);
		req.flags = next() % 5 == 0 ? next() & 7 : 0;
		if (req.flags & MOLIPC_IPC_TIMEOUT)
			req.timeout_ns = (next() % 4) * 1000000ULL;
		req.msg.m_type = next();
		if (molk_ipc_check_args(op, &req))
			break;
		ret = mk_ipc(&k, c->proc, op, &req);
		if (ret == MK_BLOCKED) {
			c->pending = true;
			c->op = op;
		} else {
			CHECK(ret <= 0);
		}
		break;
	}
	case 6:				/* a signal */
		if (c->pending) {
			CHECK(mk_cancel(&k, c->proc, MOL_EINTR));
			CHECK(!c->pending);
		}
		break;
	case 7:				/* time passes */
		now += (next() % 4) * 1000000ULL;
		mk_expire(&k, now);
		break;
	case 8: {			/* unregister / setpriv */
		struct molipc_endpoint_req req = { .endpoint = c->proc ?
			pick_ep(c->proc->inst) : (int)next32() };

		if (next() % 2) {
			mk_unregister(&k, &cl, &req);
		} else {
			pick_priv(&req.priv);
			mk_setpriv(&k, &cl, &req);
		}
		break;
	}
	case 9: {			/* dead / procinfo */
		struct molipc_dead dead = { .count = next() % 20 };
		struct molipc_procinfo pi = { .slot = (int)next() % 24 - 5 };

		mk_take_dead(&k, &cl, &dead);
		mk_procinfo(&k, &cl, &pi);
		break;
	}
	case 10:			/* close */
		if (c->pending)
			break;		/* a single-threaded client */
		die(i, -1, true);
		break;
	case 11:			/* exit, or a new process */
		if (dead_pid[i]) {
			dead_pid[i] = false;
			break;
		}
		die(i, next() % 2 ? 9 : 0x100, false);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct mk_env env = {
		.complete = env_complete,
		.watch = env_watch,
		.unwatch = env_unwatch,
		.alive = env_alive,
		.now = env_now,
	};
	int i;

	in = data;
	in_left = size;
	now = 1000000000ULL;
	memset(clients, 0, sizeof(clients));
	memset(dead_pid, 0, sizeof(dead_pid));
	mk_kernel_init(&k, &env, MOL_MIN_PROCS, 3);
	while (in_left) {
		step();
		check_invariants();
	}
	/* Tear down as molkernel does at exit. */
	tearing_down = true;
	mk_kernel_fini(&k);
	tearing_down = false;
	for (i = 0; i < NPIDS; i++)
		memset(&clients[i], 0, sizeof(clients[i]));
	while (watches)
		env_unwatch(NULL, watches);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * conformance.c - the MoL IPC conformance suite.
 *
 * Written only against libmol's API (mol.h), so the same binary checks
 * every transport: MOL_TRANSPORT=kmod|udp|unix selects it (mol_open(NULL)).
 * Every test creates its own instance (the test process is its system
 * task) and forks the participants with moltest; the expected status
 * codes are those of Documentation/ipc-decisions.txt.
 *
 * Participants mostly run a "script": a list of steps (IPC calls, waits
 * for the parent's go, signal handlers).  Each IPC step records its
 * result (status code, message, status bits, elapsed time) in shared
 * memory, where the test body checks it.  Peers are named PEER(i), the
 * endpoint of participant i, resolved when the step runs.
 *
 * After the kselftest output the binary prints one line
 *	conformance <transport>: N passed, N failed
 * and exits non-zero if anything failed.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "moltest.h"

#define NPEERS		10
#define PEER_BASE	0x40000000
#define PEER(i)		(PEER_BASE + (i))
#define GARBAGE_SOURCE	0x5a5a5a5a
#define SLOT(i)		(MT_SLOT_BASE + 4 + (i))	/* 20, 21, ... */
#define MS		1000000ULL

/* Script steps. */
enum {
	A_END = 0,
	A_GO,		/* wait for the parent's go */
	A_SEND,		/* the IPC calls, through the libmol wrappers */
	A_RECV,
	A_SENDREC,
	A_NOTIFY,
	A_SENDNB,
	A_REPLYRECV,
	A_RAW,		/* mol_ipc(op, flags): nothing hidden */
	A_CATCH,	/* install a counting handler for sig, no SA_RESTART */
	A_CLOSE,	/* mol_close() the connection */
};

struct step {
	int act;
	int ep;			/* destination / source, or PEER(i) */
	int src;		/* reply_recv's source (or raw src) */
	int type;		/* m_type and payload seed of what is sent */
	int forge;		/* m_source the sender writes (0: garbage) */
	bool timed;		/* MOLIPC_IPC_TIMEOUT with tmo_ms */
	int tmo_ms;
	int op;			/* A_RAW */
	unsigned int flags;	/* A_RAW */
	uint64_t raw_tmo_ns;	/* A_RAW */
	int sig;		/* A_CATCH */
};

#define TMO(ms)		.timed = true, .tmo_ms = (ms)

static int *peer_dir;		/* shared: endpoint of participant i */

static int resolve(int ep)
{
	if (ep >= PEER_BASE && ep < PEER_BASE + NPEERS)
		return peer_dir[ep - PEER_BASE];
	return ep;
}

static int act_op(int act)
{
	switch (act) {
	case A_SEND:		return MOLIPC_OP_SEND;
	case A_RECV:		return MOLIPC_OP_RECEIVE;
	case A_SENDREC:		return MOLIPC_OP_SENDREC;
	case A_NOTIFY:		return MOLIPC_OP_NOTIFY;
	case A_SENDNB:		return MOLIPC_OP_SENDNB;
	case A_REPLYRECV:	return MOLIPC_OP_REPLY_RECV;
	default:		return 0;
	}
}

static bool op_returns_msg(int op)
{
	return op == MOLIPC_OP_RECEIVE || op == MOLIPC_OP_SENDREC ||
	       op == MOLIPC_OP_REPLY_RECV;
}

static int run_step(struct mt_proc *self, const struct step *s,
		    struct mol_message *m, unsigned int *status)
{
	struct molipc_ipc req;
	int ep = resolve(s->ep), rc;

	mt_msg_fill(m, s->type, (uint32_t)s->type);
	m->m_source = s->forge ? s->forge : GARBAGE_SOURCE;
	*status = 0;

	if (s->act == A_RAW || s->timed) {
		memset(&req, 0, sizeof(req));
		req.endpoint = ep;
		req.src = resolve(s->src);
		req.msg = *m;
		if (s->act == A_RAW) {
			req.flags = s->flags;
			req.timeout_ns = s->raw_tmo_ns;
		}
		if (s->timed) {
			req.flags |= MOLIPC_IPC_TIMEOUT;
			req.timeout_ns = (uint64_t)s->tmo_ms * MS;
		}
		rc = mol_ipc(&self->mol, s->act == A_RAW ? s->op : act_op(s->act),
			     &req);
		if (rc == 0 && op_returns_msg(s->act == A_RAW ? s->op :
					      act_op(s->act))) {
			*m = req.msg;
			*status = req.status;
		}
		return rc;
	}

	switch (s->act) {
	case A_SEND:
		return mol_send(&self->mol, ep, m);
	case A_RECV:
		return mol_receive(&self->mol, ep, m, status);
	case A_SENDREC:
		return mol_sendrec(&self->mol, ep, m);
	case A_NOTIFY:
		return mol_notify(&self->mol, ep);
	case A_SENDNB:
		return mol_sendnb(&self->mol, ep, m);
	case A_REPLYRECV:
		return mol_reply_receive(&self->mol, ep, m, resolve(s->src),
					 status);
	}
	return -EOPNOTSUPP;
}

struct script_run {
	const struct step *steps;
	int idx;		/* participant number */
};

/* The child side of every scripted participant. */
static int run_script(struct mt_proc *self, void *arg)
{
	const struct script_run *sc = arg;
	const struct step *s;

	/* Publish our endpoint before any peer can hear from us. */
	peer_dir[sc->idx] = self->endpoint;
	for (s = sc->steps; s->act != A_END; s++) {
		struct mol_message m;
		unsigned int status;
		uint64_t t0;
		int rc, n;

		switch (s->act) {
		case A_GO:
			if (mt_wait_go(self) < 0)
				return 90;
			continue;
		case A_CATCH:
			mt_catch_signal(self, s->sig);
			continue;
		case A_CLOSE:
			mol_close(&self->mol);
			continue;
		}
		t0 = mt_now_ns();
		rc = run_step(self, s, &m, &status);
		n = self->sh->nrec;
		if (n < 16)
			self->sh->value[n] = (long long)(mt_now_ns() - t0);
		mt_record(self, rc, status, &m);
	}
	mt_idle(self);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Fixture and checks                                                */
/* ---------------------------------------------------------------- */

FIXTURE(ipc) {
	struct mt_inst in;
	struct mt_inst in2;
	struct mt_proc p[NPEERS];
	int *dir;
};

FIXTURE_SETUP(ipc)
{
	int rc;

	self->dir = mt_shared_alloc(4096);
	ASSERT_NE(NULL, self->dir);
	peer_dir = self->dir;
	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("creating an instance over %s: %s",
				mt_transport(), mol_strerror(rc));
}

FIXTURE_TEARDOWN(ipc)
{
	mt_kill_all();
	if (self->in2.created)
		mt_inst_destroy(&self->in2);
	mt_inst_destroy(&self->in);
}

static int spawn_in(FIXTURE_DATA(ipc) *self, struct mt_inst *in, int i,
		    int slot, const struct molipc_priv *priv, unsigned int flags,
		    mt_fn_t fn, const void *arg)
{
	int rc = mt_spawn(&self->p[i], in, slot, priv, flags, fn, (void *)arg);

	if (rc == 0)
		self->dir[i] = self->p[i].endpoint;
	return rc;
}

#define EP(i)		(self->p[i].endpoint)
#define REC(i, n)	(&self->p[i].sh->rec[n])
#define NREC(i)		(__atomic_load_n(&self->p[i].sh->nrec, __ATOMIC_ACQUIRE))

/* Participant i at slot, running script, in instance in. */
#define SPAWN_IN(in, i, slot, priv, script) do { \
	struct script_run __sc = { (script), (i) }; \
	int __rc = spawn_in(self, (in), (i), (slot), (priv), 0, \
			    run_script, &__sc); \
	ASSERT_EQ(0, __rc) TH_LOG("spawn p%d at slot %d: %s", (i), (slot), \
				  mol_strerror(__rc)); \
} while (0)
#define SPAWN(i, script)	SPAWN_IN(&self->in, i, SLOT(i), NULL, script)
#define SPAWN_AT(i, slot, priv, script) \
	SPAWN_IN(&self->in, i, slot, priv, script)
#define SPAWN_FN(i, slot, priv, flags, fn, arg) do { \
	int __rc = spawn_in(self, &self->in, (i), (slot), (priv), (flags), \
			    (fn), (arg)); \
	ASSERT_EQ(0, __rc) TH_LOG("spawn p%d at slot %d: %s", (i), (slot), \
				  mol_strerror(__rc)); \
} while (0)

#define GO(i)		ASSERT_EQ(0, mt_go(&self->p[i]))

#define WAIT_REC(i, n) do { \
	int __rc = mt_wait_records(&self->p[i], (n), MT_WAIT_MS); \
	struct molipc_procinfo __pi = { 0 }; \
	if (__rc) \
		mt_procinfo(self->p[i].inst, self->p[i].slot, &__pi); \
	ASSERT_EQ(0, __rc) TH_LOG("p%d: waited for %d results, got %d (%s); " \
				  "it is %s (peer %d)", (i), (n), NREC(i), \
				  mol_strerror(__rc), \
				  mt_state_name(__pi.state), __pi.peer); \
} while (0)

#define WAIT_STATE_IN(in, i, st, want_peer) do { \
	int __rc = mt_wait_state((in), self->p[i].slot, (st), (want_peer), \
				 MT_WAIT_MS); \
	struct molipc_procinfo __pi; \
	if (__rc) \
		mt_procinfo((in), self->p[i].slot, &__pi); \
	ASSERT_EQ(0, __rc) TH_LOG("p%d never became %s (peer %d): it is %s " \
				  "(peer %d)", (i), mt_state_name(st), (want_peer), \
				  mt_state_name(__pi.state), __pi.peer); \
} while (0)
#define WAIT_STATE(i, st, want_peer)	WAIT_STATE_IN(&self->in, i, st, want_peer)

/* p[i] is in state st (blocked on peer) right now. */
#define IS_STATE(i, st, want_peer) do { \
	struct molipc_procinfo __pi; \
	ASSERT_EQ(0, mt_procinfo(&self->in, self->p[i].slot, &__pi)); \
	ASSERT_EQ((unsigned int)(st), __pi.state) \
		TH_LOG("p%d is %s, expected %s", (i), \
		       mt_state_name(__pi.state), mt_state_name(st)); \
	if ((want_peer) != MT_ANY_PEER) \
		ASSERT_EQ((want_peer), __pi.peer); \
} while (0)

#define CHECK_RC(i, n, want) do { \
	WAIT_REC(i, (n) + 1); \
	ASSERT_EQ((want), REC(i, n)->rc) \
		TH_LOG("p%d call #%d: expected %s, got %s", (i), (n), \
		       mol_strerror(want), mol_strerror(REC(i, n)->rc)); \
} while (0)

/* Record n of p[i] is the message type sent by src (seeded by type). */
#define CHECK_MSG(i, n, src, type) do { \
	CHECK_RC(i, n, 0); \
	ASSERT_EQ((src), REC(i, n)->msg.m_source) \
		TH_LOG("p%d call #%d: m_source", (i), (n)); \
	ASSERT_EQ((type), REC(i, n)->msg.m_type) \
		TH_LOG("p%d call #%d: m_type", (i), (n)); \
	ASSERT_TRUE(mt_msg_check(&REC(i, n)->msg, (type), (type))) \
		TH_LOG("p%d call #%d: payload corrupted", (i), (n)); \
	ASSERT_EQ(0, REC(i, n)->status & MOLIPC_STATUS_NOTIFY); \
} while (0)

static bool notify_payload_ok(const struct mol_message *m, uint64_t arg)
{
	size_t i;

	if (m->m_u.m_notify.arg != arg || !m->m_u.m_notify.timestamp_ns ||
	    m->m_u.m_notify.timestamp_ns > mt_now_ns())
		return false;
	for (i = sizeof(struct mol_mess_notify); i < MOL_PAYLOAD_SIZE; i++)
		if (m->m_u.m_raw[i])
			return false;
	return true;
}

/* Record n of p[i] is a notification from src. */
#define CHECK_NOTIFY(i, n, src) do { \
	CHECK_RC(i, n, 0); \
	ASSERT_EQ((src), REC(i, n)->msg.m_source) \
		TH_LOG("p%d call #%d: notifier", (i), (n)); \
	ASSERT_EQ(MOL_NOTIFY_MESSAGE, REC(i, n)->msg.m_type) \
		TH_LOG("p%d call #%d: not a notification", (i), (n)); \
	ASSERT_EQ(MOLIPC_STATUS_NOTIFY, REC(i, n)->status & \
		  MOLIPC_STATUS_NOTIFY); \
	ASSERT_TRUE(notify_payload_ok(&REC(i, n)->msg, 0)); \
} while (0)

/* Take death records until ep's shows up. */
static int wait_dead(struct mt_inst *in, int ep, struct molipc_dead_entry *out)
{
	uint64_t end = mt_now_ns() + MT_WAIT_MS * MS;

	do {
		struct molipc_dead d;
		unsigned int i;
		int rc;

		memset(&d, 0, sizeof(d));
		d.count = MOLIPC_DEAD_MAX;
		rc = mol_dead(&in->sys, &d);
		if (rc < 0)
			return rc;
		for (i = 0; i < d.count && i < MOLIPC_DEAD_MAX; i++) {
			if (d.ent[i].endpoint == ep) {
				*out = d.ent[i];
				return 0;
			}
		}
		mt_msleep(5);
	} while (mt_now_ns() < end);
	return -ETIMEDOUT;
}

/* The system task's MOL_KERNEL death notice. */
#define CHECK_DEATH_NOTICE(in) do { \
	struct mol_message __m; \
	unsigned int __st = 0; \
	int __rc = mt_ipc_timeout(&(in)->sys, MOLIPC_OP_RECEIVE, MOL_ANY, \
				  &__m, &__st, 10000 * MS); \
	ASSERT_EQ(0, __rc) TH_LOG("system task: no death notice: %s", \
				  mol_strerror(__rc)); \
	ASSERT_EQ(MOL_KERNEL, __m.m_source); \
	ASSERT_EQ(MOL_NOTIFY_MESSAGE, __m.m_type); \
	ASSERT_EQ(MOLIPC_STATUS_NOTIFY, __st & MOLIPC_STATUS_NOTIFY); \
	ASSERT_TRUE(notify_payload_ok(&__m, MOL_NOTICE_DEATH)) \
		TH_LOG("notice arg %llx", \
		       (unsigned long long)__m.m_u.m_notify.arg); \
} while (0)

#define KILL(i)	do { \
	ASSERT_EQ(0, mt_kill(&self->p[i], SIGKILL)); \
	ASSERT_EQ(-SIGKILL, mt_exit_code(&self->p[i], MT_WAIT_MS)); \
} while (0)

/* ---------------------------------------------------------------- */
/* Basics                                                            */
/* ---------------------------------------------------------------- */

TEST_F(ipc, version)
{
	struct molipc_version v;

	ASSERT_EQ(0, mol_version(&self->in.sys, &v));
	ASSERT_EQ(MOLIPC_ABI_MAJOR, v.major);
	ASSERT_EQ(MOL_MSG_SIZE, v.msg_size);
	ASSERT_EQ(MOL_NR_TASKS, v.nr_tasks);
	ASSERT_GE(v.default_procs, MOL_MIN_PROCS);
	ASSERT_LE(v.default_procs, MOL_MAX_PROCS);
	ASSERT_GE(v.max_instances, 1);
	ASSERT_STREQ(mt_transport(), mol_transport_name(&self->in.sys));
	ASSERT_NE(0, self->in.id);
	ASSERT_EQ(MOL_SYSTEM, self->in.sys.endpoint);
}

TEST_F(ipc, send_to_blocked_receiver)
{
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), .type = 11 }, { A_END } };

	SPAWN(0, r);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, s);
	CHECK_RC(1, 0, 0);
	CHECK_MSG(0, 0, EP(1), 11);
	ASSERT_EQ(0, REC(0, 0)->status);
	WAIT_STATE(0, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
}

TEST_F(ipc, send_blocks_until_received)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), .type = 12 }, { A_END } };

	SPAWN(0, r);
	SPAWN(1, s);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	mt_msleep(50);
	ASSERT_EQ(0, NREC(1));	/* still blocked */
	GO(0);
	CHECK_MSG(0, 0, EP(1), 12);
	CHECK_RC(1, 0, 0);
	WAIT_STATE(1, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
}

TEST_F(ipc, m_source_is_set_by_ipc_layer)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY }, { A_END } };
	const struct step s1[] = { { A_SEND, PEER(0), .type = 13,
				     .forge = MOL_SYSTEM }, { A_END } };
	const struct step s2[] = { { A_SEND, PEER(0), .type = 14,
				     .forge = MOL_KERNEL }, { A_END } };

	SPAWN(0, r);
	SPAWN(1, s1);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	SPAWN(2, s2);
	WAIT_STATE(2, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	CHECK_MSG(0, 0, EP(1), 13);
	CHECK_MSG(0, 1, EP(2), 14);
}

TEST_F(ipc, receive_from_specific_source)
{
	const struct step r[] = { { A_RECV, PEER(2) }, { A_RECV, MOL_ANY },
				  { A_END } };
	const struct step s1[] = { { A_SEND, PEER(0), .type = 21 }, { A_END } };
	const struct step s2[] = { { A_GO }, { A_SEND, PEER(0), .type = 22 },
				   { A_END } };

	SPAWN(2, s2);		/* exists, idle */
	SPAWN(0, r);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, EP(2));
	SPAWN(1, s1);
	/* p0 does not take p1's message: p1 queues. */
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	ASSERT_EQ(0, NREC(0));
	IS_STATE(0, MOLIPC_PSTATE_RECEIVING, EP(2));
	GO(2);
	CHECK_MSG(0, 0, EP(2), 22);
	CHECK_MSG(0, 1, EP(1), 21);
	CHECK_RC(1, 0, 0);
	CHECK_RC(2, 0, 0);
}

TEST_F(ipc, receive_specific_takes_queued_out_of_order)
{
	const struct step r[] = { { A_GO }, { A_RECV, PEER(3) },
				  { A_RECV, PEER(1) }, { A_RECV, PEER(2) },
				  { A_END } };
	const struct step s1[] = { { A_SEND, PEER(0), .type = 31 }, { A_END } };
	const struct step s2[] = { { A_SEND, PEER(0), .type = 32 }, { A_END } };
	const struct step s3[] = { { A_SEND, PEER(0), .type = 33 }, { A_END } };

	SPAWN(0, r);
	SPAWN(1, s1);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	SPAWN(2, s2);
	WAIT_STATE(2, MOLIPC_PSTATE_SENDING, EP(0));
	SPAWN(3, s3);
	WAIT_STATE(3, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	CHECK_MSG(0, 0, EP(3), 33);
	CHECK_MSG(0, 1, EP(1), 31);
	CHECK_MSG(0, 2, EP(2), 32);
}

TEST_F(ipc, senders_are_served_fifo)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };
	const struct step s1[] = { { A_SEND, PEER(0), .type = 41 }, { A_END } };
	const struct step s2[] = { { A_SEND, PEER(0), .type = 42 }, { A_END } };
	const struct step s3[] = { { A_SEND, PEER(0), .type = 43 }, { A_END } };

	/* Queue order differs from slot order. */
	SPAWN_AT(0, 20, NULL, r);
	SPAWN_AT(1, 40, NULL, s1);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	SPAWN_AT(2, 30, NULL, s2);
	WAIT_STATE(2, MOLIPC_PSTATE_SENDING, EP(0));
	SPAWN_AT(3, 35, NULL, s3);
	WAIT_STATE(3, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	CHECK_MSG(0, 0, EP(1), 41);
	CHECK_MSG(0, 1, EP(2), 42);
	CHECK_MSG(0, 2, EP(3), 43);
	CHECK_RC(0, 3, MOL_ETIMEDOUT);
	CHECK_RC(1, 0, 0);
	CHECK_RC(2, 0, 0);
	CHECK_RC(3, 0, 0);
}

/* ---------------------------------------------------------------- */
/* Notifications                                                     */
/* ---------------------------------------------------------------- */

TEST_F(ipc, notify_is_pending_until_received)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };
	const struct step n[] = { { A_NOTIFY, PEER(0) }, { A_END } };

	SPAWN(0, r);
	SPAWN(1, n);
	CHECK_RC(1, 0, 0);	/* did not block */
	GO(0);
	CHECK_NOTIFY(0, 0, EP(1));
	CHECK_RC(0, 1, MOL_ETIMEDOUT);
}

TEST_F(ipc, notify_delivered_to_receiver_at_once)
{
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step n[] = { { A_NOTIFY, PEER(0) }, { A_END } };

	SPAWN(0, r);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, n);
	CHECK_RC(1, 0, 0);
	CHECK_NOTIFY(0, 0, EP(1));
}

TEST_F(ipc, notifies_coalesce)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };
	const struct step n[] = { { A_NOTIFY, PEER(0) }, { A_NOTIFY, PEER(0) },
				  { A_NOTIFY, PEER(0) }, { A_END } };
	uint64_t before;

	SPAWN(0, r);
	before = mt_now_ns();
	SPAWN(1, n);
	CHECK_RC(1, 0, 0);
	CHECK_RC(1, 1, 0);
	CHECK_RC(1, 2, 0);
	GO(0);
	CHECK_NOTIFY(0, 0, EP(1));
	ASSERT_GE(REC(0, 0)->msg.m_u.m_notify.timestamp_ns, before);
	CHECK_RC(0, 1, MOL_ETIMEDOUT);
}

TEST_F(ipc, notifies_first_lowest_slot_first)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), .type = 51 }, { A_END } };
	const struct step n[] = { { A_NOTIFY, PEER(0) }, { A_END } };

	SPAWN_AT(0, 20, NULL, r);
	SPAWN_AT(1, 25, NULL, s);		/* queued message first */
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	SPAWN_AT(2, 40, NULL, n);		/* then the higher slot */
	CHECK_RC(2, 0, 0);
	SPAWN_AT(3, 30, NULL, n);		/* then the lower slot */
	CHECK_RC(3, 0, 0);
	GO(0);
	CHECK_NOTIFY(0, 0, EP(3));
	CHECK_NOTIFY(0, 1, EP(2));
	CHECK_MSG(0, 2, EP(1), 51);
	CHECK_RC(0, 3, MOL_ETIMEDOUT);
}

TEST_F(ipc, receive_specific_takes_only_its_notify)
{
	const struct step r[] = { { A_GO }, { A_RECV, PEER(2) },
				  { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };
	const struct step n[] = { { A_NOTIFY, PEER(0) }, { A_END } };

	SPAWN_AT(0, 20, NULL, r);
	SPAWN_AT(1, 30, NULL, n);
	CHECK_RC(1, 0, 0);
	SPAWN_AT(2, 35, NULL, n);
	CHECK_RC(2, 0, 0);
	GO(0);
	CHECK_NOTIFY(0, 0, EP(2));
	CHECK_NOTIFY(0, 1, EP(1));
	CHECK_RC(0, 2, MOL_ETIMEDOUT);
}

/* ---------------------------------------------------------------- */
/* sendrec, reply_recv, sendnb                                       */
/* ---------------------------------------------------------------- */

TEST_F(ipc, sendrec_gets_reply)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_SEND, PEER(1), .type = 62 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 61 },
				    { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	CHECK_RC(0, 0, 0);
	ASSERT_EQ(EP(1), REC(0, 0)->msg.m_source);
	ASSERT_TRUE(mt_msg_check(&REC(0, 0)->msg, 61, 61));
	ASSERT_EQ(MOLIPC_STATUS_SENDREC, REC(0, 0)->status);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	ASSERT_EQ(0, NREC(1));
	GO(0);
	CHECK_RC(0, 1, 0);
	CHECK_MSG(1, 0, EP(0), 62);
}

TEST_F(ipc, sendrec_blocks_sending_until_received)
{
	const struct step srv[] = { { A_GO }, { A_RECV, PEER(1) },
				    { A_SEND, PEER(1), .type = 64 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 63 },
				    { A_END } };

	SPAWN(0, srv);
	SPAWN(1, cli);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDREC, EP(0));
	GO(0);
	CHECK_RC(0, 0, 0);
	ASSERT_EQ(MOLIPC_STATUS_SENDREC, REC(0, 0)->status);
	ASSERT_TRUE(mt_msg_check(&REC(0, 0)->msg, 63, 63));
	CHECK_RC(0, 1, 0);	/* the reply: not a deadlock */
	CHECK_MSG(1, 0, EP(0), 64);
}

TEST_F(ipc, sendrec_accepts_only_the_reply)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_SEND, PEER(1), .type = 72 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 71 },
				    { A_RECV, MOL_ANY }, { A_RECV, MOL_ANY },
				    { A_RECV, MOL_ANY, TMO(0) }, { A_END } };
	const struct step third[] = { { A_SEND, PEER(1), .type = 73 },
				      { A_END } };
	const struct step notifier[] = { { A_NOTIFY, PEER(1) }, { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	CHECK_RC(0, 0, 0);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	SPAWN(2, third);
	WAIT_STATE(2, MOLIPC_PSTATE_SENDING, EP(1));
	SPAWN(3, notifier);
	CHECK_RC(3, 0, 0);
	mt_msleep(50);
	ASSERT_EQ(0, NREC(1));
	IS_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	IS_STATE(2, MOLIPC_PSTATE_SENDING, EP(1));
	GO(0);
	CHECK_MSG(1, 0, EP(0), 72);	/* the reply first */
	CHECK_NOTIFY(1, 1, EP(3));	/* then the pending notify */
	CHECK_MSG(1, 2, EP(2), 73);	/* then the queued sender */
	CHECK_RC(1, 3, MOL_ETIMEDOUT);
	CHECK_RC(2, 0, 0);
}

TEST_F(ipc, reply_recv_replies_and_receives)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_REPLYRECV, PEER(1), .src = MOL_ANY,
				      .type = 82 },
				    { A_REPLYRECV, PEER(2), .src = MOL_ANY,
				      TMO(0), .type = 85 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 81 },
				    { A_END } };
	const struct step snd[] = { { A_SEND, PEER(0), .type = 83 }, { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	CHECK_RC(0, 0, 0);
	ASSERT_EQ(MOLIPC_STATUS_SENDREC, REC(0, 0)->status);
	SPAWN(2, snd);
	WAIT_STATE(2, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	/* Reply to p1, then receive p2's queued message. */
	CHECK_MSG(0, 1, EP(2), 83);
	CHECK_MSG(1, 0, EP(0), 82);
	CHECK_RC(2, 0, 0);
	/* Second reply_recv: p2 sent, it awaits no reply -> EAGAIN. */
	CHECK_RC(0, 2, MOL_ENOTREADY);
}

TEST_F(ipc, reply_recv_blocks_after_reply)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_REPLYRECV, PEER(1), .src = MOL_ANY,
				      .type = 87 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 86 },
				    { A_END } };
	const struct step snd[] = { { A_SEND, PEER(0), .type = 88 }, { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	GO(0);
	CHECK_MSG(1, 0, EP(0), 87);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	ASSERT_EQ(1, NREC(0));
	SPAWN(2, snd);
	CHECK_MSG(0, 1, EP(2), 88);
	CHECK_RC(2, 0, 0);
}

TEST_F(ipc, reply_recv_to_non_waiting_fails_without_receiving)
{
	const struct step srv[] = { { A_GO },
				    { A_REPLYRECV, PEER(1), .src = MOL_ANY,
				      .type = 92 },
				    { A_REPLYRECV, PEER(2), .src = MOL_ANY,
				      .type = 93 },
				    { A_RECV, MOL_ANY }, { A_END } };
	const struct step snd[] = { { A_SEND, PEER(0), .type = 91 }, { A_END } };
	const struct step idle[] = { { A_END } };

	SPAWN(0, srv);
	SPAWN(1, snd);		/* plain send, not sendrec */
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	SPAWN(2, idle);		/* not in IPC at all */
	GO(0);
	CHECK_RC(0, 0, MOL_ENOTREADY);
	CHECK_RC(0, 1, MOL_ENOTREADY);
	/* p1's message was not consumed by the failed calls. */
	CHECK_MSG(0, 2, EP(1), 91);
	CHECK_RC(1, 0, 0);
}

TEST_F(ipc, sendnb)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY }, { A_GO },
				  { A_RECV, PEER(2) }, { A_END } };
	const struct step s[] = { { A_SENDNB, PEER(0), .type = 101 },
				  { A_GO }, { A_SENDNB, PEER(0), .type = 102 },
				  { A_GO }, { A_SENDNB, PEER(0), .type = 103 },
				  { A_END } };
	const struct step idle[] = { { A_END } };

	SPAWN(2, idle);
	SPAWN(0, r);
	SPAWN(1, s);
	CHECK_RC(1, 0, MOL_ENOTREADY);		/* p0 not receiving */
	IS_STATE(1, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	GO(0);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	GO(1);
	CHECK_RC(1, 1, 0);
	CHECK_MSG(0, 0, EP(1), 102);		/* 101 was never delivered */
	GO(0);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, EP(2));
	GO(1);
	CHECK_RC(1, 2, MOL_ENOTREADY);		/* p0 receives from p2 only */
	IS_STATE(0, MOLIPC_PSTATE_RECEIVING, EP(2));
}

TEST_F(ipc, sendnb_delivers_reply_to_replywaiter)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_SENDNB, PEER(1), .type = 106 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 105 },
				    { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	GO(0);
	CHECK_RC(0, 1, 0);
	CHECK_MSG(1, 0, EP(0), 106);
}

/* ---------------------------------------------------------------- */
/* Deadlocks                                                         */
/* ---------------------------------------------------------------- */

TEST_F(ipc, deadlock_two_senders)
{
	const struct step a[] = { { A_GO }, { A_SEND, PEER(1), .type = 111 },
				  { A_GO }, { A_RECV, PEER(1) }, { A_END } };
	const struct step b[] = { { A_SEND, PEER(0), .type = 112 }, { A_END } };

	SPAWN(0, a);
	SPAWN(1, b);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	CHECK_RC(0, 0, MOL_ELOCKED);
	/* Nothing changed. */
	IS_STATE(0, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	IS_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	CHECK_MSG(0, 1, EP(1), 112);
	CHECK_RC(1, 0, 0);
}

TEST_F(ipc, deadlock_two_receivers)
{
	const struct step a[] = { { A_RECV, PEER(1) }, { A_END } };
	const struct step b[] = { { A_GO }, { A_RECV, PEER(0) },
				  { A_SEND, PEER(0), .type = 121 }, { A_END } };

	SPAWN(1, b);
	SPAWN(0, a);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, EP(1));
	GO(1);
	CHECK_RC(1, 0, MOL_ELOCKED);
	CHECK_RC(1, 1, 0);
	CHECK_MSG(0, 0, EP(1), 121);
}

TEST_F(ipc, deadlock_three_cycle)
{
	const struct step a[] = { { A_GO }, { A_SEND, PEER(1), .type = 131 },
				  { A_END } };
	const struct step b[] = { { A_GO }, { A_SEND, PEER(2), .type = 132 },
				  { A_RECV, PEER(0) }, { A_END } };
	const struct step c[] = { { A_GO }, { A_SEND, PEER(0), .type = 133 },
				  { A_GO }, { A_RECV, PEER(1) }, { A_END } };

	SPAWN(0, a);
	SPAWN(1, b);
	SPAWN(2, c);
	GO(0);
	WAIT_STATE(0, MOLIPC_PSTATE_SENDING, EP(1));
	GO(1);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(2));
	GO(2);
	CHECK_RC(2, 0, MOL_ELOCKED);
	IS_STATE(0, MOLIPC_PSTATE_SENDING, EP(1));
	IS_STATE(1, MOLIPC_PSTATE_SENDING, EP(2));
	IS_STATE(2, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	GO(2);
	CHECK_MSG(2, 1, EP(1), 132);
	CHECK_RC(1, 0, 0);
	CHECK_MSG(1, 1, EP(0), 131);
	CHECK_RC(0, 0, 0);
}

TEST_F(ipc, deadlock_receive_from_replywaiter)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_RECV, PEER(1) },
				    { A_SEND, PEER(1), .type = 142 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 141 },
				    { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	GO(0);
	/* p1 waits for p0's reply; p0 waiting for p1 would never end. */
	CHECK_RC(0, 1, MOL_ELOCKED);
	CHECK_RC(0, 2, 0);
	CHECK_MSG(1, 0, EP(0), 142);
}

TEST_F(ipc, deadlock_send_to_blocked_sendrec_sender)
{
	const struct step a[] = { { A_GO }, { A_SEND, PEER(1), .type = 151 },
				  { A_GO }, { A_RECV, PEER(1) },
				  { A_SEND, PEER(1), .type = 153 }, { A_END } };
	const struct step b[] = { { A_SENDREC, PEER(0), .type = 152 },
				  { A_END } };

	SPAWN(0, a);
	SPAWN(1, b);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDREC, EP(0));
	GO(0);
	CHECK_RC(0, 0, MOL_ELOCKED);
	IS_STATE(1, MOLIPC_PSTATE_SENDREC, EP(0));
	GO(0);
	CHECK_RC(0, 1, 0);
	ASSERT_TRUE(mt_msg_check(&REC(0, 1)->msg, 152, 152));
	CHECK_RC(0, 2, 0);
	CHECK_MSG(1, 0, EP(0), 153);
}

TEST_F(ipc, sendrec_receive_rendezvous_is_not_deadlock)
{
	/* Receiver first, then sendrec: the reply must go through. */
	const struct step srv[] = { { A_RECV, PEER(1) }, { A_GO },
				    { A_SEND, PEER(1), .type = 162 },
				    { A_END } };
	const struct step cli[] = { { A_GO },
				    { A_SENDREC, PEER(0), .type = 161 },
				    { A_END } };

	SPAWN(1, cli);
	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, EP(1));
	GO(1);
	CHECK_RC(0, 0, 0);
	ASSERT_EQ(MOLIPC_STATUS_SENDREC, REC(0, 0)->status);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	GO(0);
	CHECK_RC(0, 1, 0);
	CHECK_MSG(1, 0, EP(0), 162);
}

TEST_F(ipc, self_as_partner)
{
	const struct step s[] = { { A_SEND, MOL_SELF, .type = 1 },
				  { A_SENDREC, MOL_SELF, .type = 2 },
				  { A_RECV, MOL_SELF },
				  { A_SENDNB, MOL_SELF, .type = 3 },
				  { A_GO },
				  { A_SEND, PEER(0), .type = 4 },
				  { A_NOTIFY, MOL_SELF },
				  { A_RECV, MOL_ANY, TMO(5000) },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };

	SPAWN(0, s);
	CHECK_RC(0, 0, MOL_ELOCKED);
	CHECK_RC(0, 1, MOL_ELOCKED);
	CHECK_RC(0, 2, MOL_ELOCKED);
	CHECK_RC(0, 3, MOL_ENOTREADY);
	GO(0);
	CHECK_RC(0, 4, MOL_ELOCKED);	/* its own endpoint, spelt out */
	CHECK_RC(0, 5, 0);		/* notify to self is allowed */
	CHECK_NOTIFY(0, 6, EP(0));
	CHECK_RC(0, 7, MOL_ETIMEDOUT);
}

/* ---------------------------------------------------------------- */
/* Privileges                                                        */
/* ---------------------------------------------------------------- */

TEST_F(ipc, user_privileges)
{
	struct molipc_priv user;
	const struct step pm[] = { { A_RECV, MOL_ANY },
				   { A_SEND, PEER(1), .type = 172 },
				   { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				   { A_END } };
	const struct step u[] = { { A_SEND, PEER(0), .type = 1 },
				  { A_NOTIFY, PEER(0) },
				  { A_SENDNB, PEER(0), .type = 2 },
				  { A_RECV, MOL_ANY },
				  { A_REPLYRECV, PEER(0), .src = MOL_ANY },
				  { A_SENDREC, PEER(2), .type = 3 },
				  { A_SEND, PEER(2), .type = 4 },
				  { A_NOTIFY, PEER(2) },
				  { A_SENDREC, PEER(0), .type = 171 },
				  { A_END } };
	const struct step other[] = { { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				      { A_END } };

	mt_priv_user(&user);
	SPAWN_AT(0, MOL_PM, NULL, pm);
	SPAWN_AT(2, 21, NULL, other);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN_AT(1, 20, &user, u);
	CHECK_RC(1, 0, MOL_ETRAPDENIED);	/* PM allowed, send not */
	CHECK_RC(1, 1, MOL_ETRAPDENIED);
	CHECK_RC(1, 2, MOL_ETRAPDENIED);
	CHECK_RC(1, 3, MOL_ETRAPDENIED);
	CHECK_RC(1, 4, MOL_ETRAPDENIED);
	CHECK_RC(1, 5, MOL_ECALLDENIED);	/* p2 not in the mask */
	CHECK_RC(1, 6, MOL_ECALLDENIED);	/* mask checked before traps */
	CHECK_RC(1, 7, MOL_ECALLDENIED);
	CHECK_MSG(1, 8, EP(0), 172);
	/* PM saw only the sendrec, p2 nothing. */
	CHECK_RC(0, 0, 0);
	ASSERT_TRUE(mt_msg_check(&REC(0, 0)->msg, 171, 171));
	GO(0);
	CHECK_RC(0, 2, MOL_ETIMEDOUT);
	GO(2);
	CHECK_RC(2, 0, MOL_ETIMEDOUT);
}

TEST_F(ipc, user_slots_need_send_users)
{
	struct molipc_priv no_users, users;
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), .type = 181 }, { A_END } };
	int user_slot = MOL_NR_SYS_IDS - MOL_NR_TASKS + 10;	/* 134 */

	mt_priv_server(&no_users);
	no_users.flags = 0;
	mt_priv_server(&users);
	SPAWN_AT(0, user_slot, NULL, r);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN_AT(1, 20, &no_users, s);
	CHECK_RC(1, 0, MOL_ECALLDENIED);
	SPAWN_AT(2, 21, &users, s);
	CHECK_RC(2, 0, 0);
	CHECK_MSG(0, 0, EP(2), 181);
}

TEST_F(ipc, setpriv_changes_privileges)
{
	struct molipc_priv p;
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_GO }, { A_SEND, PEER(0), .type = 1 },
				  { A_GO }, { A_SEND, PEER(0), .type = 2 },
				  { A_GO }, { A_SEND, PEER(0), .type = 191 },
				  { A_END } };

	SPAWN(0, r);
	SPAWN(1, s);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	mt_priv_server(&p);
	mt_priv_deny(&p, SLOT(0));
	ASSERT_EQ(0, mol_setpriv(&self->in.sys, EP(1), &p));
	GO(1);
	CHECK_RC(1, 0, MOL_ECALLDENIED);
	mt_priv_server(&p);
	p.trap_mask &= ~MOLIPC_TRAP(MOLIPC_OP_SEND);
	ASSERT_EQ(0, mol_setpriv(&self->in.sys, EP(1), &p));
	GO(1);
	CHECK_RC(1, 1, MOL_ETRAPDENIED);
	mt_priv_server(&p);
	ASSERT_EQ(0, mol_setpriv(&self->in.sys, EP(1), &p));
	GO(1);
	CHECK_RC(1, 2, 0);
	CHECK_MSG(0, 0, EP(1), 191);
}

/* A bound participant tries the system task's calls. */
static int fn_not_system(struct mt_proc *self, void *arg)
{
	struct molipc_priv p;
	struct molipc_dead d;
	struct molipc_procinfo pi;
	unsigned int inst;
	int ep;

	mt_priv_server(&p);
	mt_record(self, mol_register(&self->mol, getpid(), 60, &p, &ep), 0, NULL);
	mt_record(self, mol_setpriv(&self->mol, self->endpoint, &p), 0, NULL);
	memset(&d, 0, sizeof(d));
	d.count = MOLIPC_DEAD_MAX;
	mt_record(self, mol_dead(&self->mol, &d), 0, NULL);
	memset(&pi, 0, sizeof(pi));
	pi.slot = self->slot;
	mt_record(self, mol_procinfo(&self->mol, &pi), 0, NULL);
	mt_record(self, mol_unregister(&self->mol, self->endpoint), 0, NULL);
	/* Creating an instance on a bound connection: not a system task. */
	mt_record(self, mol_create_instance(&self->mol, 0, &inst) == 0, 0, NULL);
	mt_idle(self);
	return 0;
}

TEST_F(ipc, system_calls_need_system_task)
{
	SPAWN_FN(0, 20, NULL, 0, fn_not_system, NULL);
	CHECK_RC(0, 0, -EPERM);
	CHECK_RC(0, 1, -EPERM);
	CHECK_RC(0, 2, -EPERM);
	CHECK_RC(0, 3, -EPERM);
	CHECK_RC(0, 4, -EPERM);
	CHECK_RC(0, 5, 0);		/* create on a bound connection failed */
	IS_STATE(0, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
}

/* ---------------------------------------------------------------- */
/* Registration and binding                                          */
/* ---------------------------------------------------------------- */

static int fn_idle(struct mt_proc *self, void *arg)
{
	mt_idle(self);
	return 0;
}

TEST_F(ipc, register_errors)
{
	struct molipc_priv p;
	struct molipc_procinfo pi;
	pid_t gone;
	int ep, rc;

	mt_priv_server(&p);
	SPAWN_FN(0, 20, NULL, MT_NO_REGISTER, fn_idle, NULL);
	SPAWN_FN(1, 21, NULL, 0, fn_idle, NULL);

	ASSERT_EQ(-EINVAL, mol_register(&self->in.sys, self->p[0].pid,
					MT_NR_PROCS, &p, &ep));
	ASSERT_EQ(-EINVAL, mol_register(&self->in.sys, self->p[0].pid,
					-MOL_NR_TASKS - 1, &p, &ep));
	ASSERT_EQ(-EINVAL, mol_register(&self->in.sys, self->p[0].pid,
					100000, &p, &ep));
	p.flags = 1U << 7;
	ASSERT_EQ(-EINVAL, mol_register(&self->in.sys, self->p[0].pid, 30,
					&p, &ep));
	mt_priv_server(&p);
	p.trap_mask |= 1U << 15;
	ASSERT_EQ(-EINVAL, mol_register(&self->in.sys, self->p[0].pid, 30,
					&p, &ep));
	mt_priv_server(&p);
	/* Slot in use. */
	ASSERT_EQ(-EBUSY, mol_register(&self->in.sys, self->p[0].pid, 21,
					&p, &ep));
	/* pid already holds a slot. */
	ASSERT_EQ(-EBUSY, mol_register(&self->in.sys, self->p[1].pid, 30,
					&p, &ep));
	/* pid that does not exist. */
	gone = fork();
	ASSERT_GE(gone, 0);
	if (!gone)
		_exit(0);
	ASSERT_EQ(gone, waitpid(gone, NULL, 0));
	ASSERT_EQ(-ESRCH, mol_register(&self->in.sys, gone, 30, &p, &ep));
	/* None of that left anything behind. */
	ASSERT_EQ(0, mt_procinfo(&self->in, 30, &pi));
	ASSERT_EQ(MOLIPC_PSTATE_FREE, pi.state);
	/* And a good one. */
	rc = mol_register(&self->in.sys, self->p[0].pid, 30, &p, &ep);
	ASSERT_EQ(0, rc);
	ASSERT_EQ(30, MOL_ENDPOINT_SLOT(ep));
	ASSERT_EQ(0, mt_procinfo(&self->in, 30, &pi));
	ASSERT_EQ(MOLIPC_PSTATE_REGISTERED, pi.state);
	ASSERT_EQ(ep, pi.endpoint);
	ASSERT_EQ(self->p[0].pid, pi.pid);
}

struct bind_args {
	unsigned int inst;
	int wrong_ep;
};

/* Registered, not bound: try the wrong ways, then the right one twice. */
static int fn_bind(struct mt_proc *self, void *arg)
{
	const struct bind_args *a = arg;
	struct mol second;
	int bound = MOL_NONE;

	mt_record(self, mol_bind(&self->mol, a->inst, a->wrong_ep, &bound),
		  0, NULL);
	mt_record(self, mol_bind(&self->mol, a->inst + 1000, MOL_ANY, &bound),
		  0, NULL);
	mt_wait_go(self);
	mt_record(self, mol_bind(&self->mol, a->inst, MOL_ANY, &bound),
		  0, NULL);
	self->sh->value[0] = bound;
	mt_record(self, mol_bind(&self->mol, a->inst, MOL_ANY, &bound),
		  0, NULL);
	if (mol_open(&second, NULL) == 0) {
		mt_record(self, mol_bind(&second, a->inst, MOL_ANY, &bound),
			  0, NULL);
		mt_record(self, mol_bind(&second, a->inst, self->endpoint,
					 &bound), 0, NULL);
		mol_close(&second);
	}
	mt_idle(self);
	return 0;
}

TEST_F(ipc, bind_rules)
{
	struct bind_args a = { .inst = self->in.id };

	SPAWN_FN(1, 21, NULL, 0, fn_idle, NULL);
	a.wrong_ep = EP(1);
	SPAWN_FN(0, 20, NULL, MT_NO_BIND, fn_bind, &a);
	CHECK_RC(0, 0, -EPERM);		/* someone else's endpoint */
	CHECK_RC(0, 1, -EPERM);		/* unknown instance */
	IS_STATE(0, MOLIPC_PSTATE_REGISTERED, MT_ANY_PEER);
	GO(0);
	CHECK_RC(0, 2, 0);
	ASSERT_EQ(EP(0), self->p[0].sh->value[0]);
	IS_STATE(0, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	CHECK_RC(0, 3, -EBUSY);		/* connection already bound */
	CHECK_RC(0, 4, -EBUSY);		/* endpoint already bound */
	CHECK_RC(0, 5, -EBUSY);
}

static int fn_bind_unregistered(struct mt_proc *self, void *arg)
{
	unsigned int inst = *(unsigned int *)arg;
	struct mol_message m;
	int bound;

	mt_record(self, mol_bind(&self->mol, inst, MOL_ANY, &bound), 0, NULL);
	mt_record(self, mol_bind(&self->mol, inst, MOL_ENDPOINT(0, 20),
				 &bound), 0, NULL);
	/* Unbound: IPC is refused. */
	mt_msg_fill(&m, 1, 1);
	mt_record(self, mt_ipc_timeout(&self->mol, MOLIPC_OP_SEND,
				       MOL_ENDPOINT(0, 21), &m, NULL, 0),
		  0, NULL);
	mt_record(self, mt_ipc_timeout(&self->mol, MOLIPC_OP_RECEIVE, MOL_ANY,
				       &m, NULL, 0), 0, NULL);
	mt_idle(self);
	return 0;
}

TEST_F(ipc, bind_without_registration)
{
	SPAWN_FN(1, 21, NULL, 0, fn_idle, NULL);
	SPAWN_FN(0, 20, NULL, MT_NO_REGISTER, fn_bind_unregistered,
		 &self->in.id);
	CHECK_RC(0, 0, -EPERM);
	CHECK_RC(0, 1, -EPERM);
	CHECK_RC(0, 2, MOL_ENOTBOUND);
	CHECK_RC(0, 3, MOL_ENOTBOUND);
	ASSERT_EQ(MOLIPC_PSTATE_FREE, mt_state(&self->in, 20));
}

/* Bound; a forked child tries to use the inherited connection. */
static int fn_fork_inherited(struct mt_proc *self, void *arg)
{
	int dst = resolve(PEER(1));
	struct mol_message m;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		mt_msg_fill(&m, 1, 1);
		mt_record(self, mt_ipc_timeout(&self->mol, MOLIPC_OP_SEND, dst,
					       &m, NULL, 0), 0, NULL);
		mt_record(self, mt_ipc_timeout(&self->mol, MOLIPC_OP_RECEIVE,
					       MOL_ANY, &m, NULL, 0), 0, NULL);
		mt_record(self, mol_notify(&self->mol, dst), 0, NULL);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 80;
	/* The parent's connection still works. */
	mt_record(self, mol_notify(&self->mol, dst), 0, NULL);
	mt_idle(self);
	return 0;
}

TEST_F(ipc, fork_child_cannot_use_inherited_connection)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };

	SPAWN(1, r);
	SPAWN_FN(0, 20, NULL, 0, fn_fork_inherited, NULL);
	CHECK_RC(0, 0, MOL_ENOTBOUND);
	CHECK_RC(0, 1, MOL_ENOTBOUND);
	CHECK_RC(0, 2, MOL_ENOTBOUND);
	CHECK_RC(0, 3, 0);
	GO(1);
	CHECK_NOTIFY(1, 0, EP(0));
	CHECK_RC(1, 1, MOL_ETIMEDOUT);
}

TEST_F(ipc, stale_generation)
{
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };
	struct step s[] = { { A_SEND, 0, .type = 1 },
			    { A_SENDNB, 0, .type = 2 },
			    { A_NOTIFY, 0 },
			    { A_SENDREC, 0, .type = 3 },
			    { A_RECV, 0 },
			    { A_SEND, 0, .type = 4 },	/* registered only */
			    { A_SEND, MOL_ENDPOINT(0, 50), .type = 5 }, /* free */
			    { A_SEND, PEER(1), .type = 201 },
			    { A_END } };
	int old_ep, i;

	SPAWN_FN(0, 30, NULL, 0, fn_idle, NULL);
	old_ep = EP(0);
	KILL(0);
	ASSERT_EQ(0, mt_wait_state(&self->in, 30, MOLIPC_PSTATE_FREE,
				   MT_ANY_PEER, MT_WAIT_MS));
	SPAWN_AT(1, 30, NULL, r);
	ASSERT_NE(old_ep, EP(1));
	ASSERT_EQ(30, MOL_ENDPOINT_SLOT(EP(1)));
	ASSERT_NE(MOL_ENDPOINT_GEN(old_ep), MOL_ENDPOINT_GEN(EP(1)));
	WAIT_STATE(1, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN_FN(3, 31, NULL, MT_NO_BIND, fn_idle, NULL);
	for (i = 0; i < 5; i++)
		s[i].ep = old_ep;
	s[5].ep = EP(3);
	SPAWN(2, s);
	for (i = 0; i < 7; i++)
		CHECK_RC(2, i, MOL_EDEADSRCDST);
	CHECK_RC(2, 7, 0);
	CHECK_MSG(1, 0, EP(2), 201);
}

TEST_F(ipc, instances_are_isolated)
{
	const struct step r1[] = { { A_GO }, { A_RECV, MOL_ANY }, { A_END } };
	const struct step r2[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(1), .type = 211 },
				  { A_END } };
	const struct step s2[] = { { A_SEND, PEER(1), .type = 212 },
				   { A_SEND, MOL_ENDPOINT(0, 22), .type = 1 },
				   { A_END } };
	struct molipc_procinfo pi;

	ASSERT_EQ(0, mt_inst_create(&self->in2, MT_NR_PROCS));
	ASSERT_NE(self->in.id, self->in2.id);
	SPAWN_IN(&self->in, 0, 20, NULL, r1);
	SPAWN_IN(&self->in2, 1, 20, NULL, r2);
	WAIT_STATE_IN(&self->in2, 1, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	/* Each instance's slot 20 is its own process. */
	ASSERT_EQ(0, mt_procinfo(&self->in, 20, &pi));
	ASSERT_EQ(self->p[0].pid, pi.pid);
	ASSERT_EQ(0, mt_procinfo(&self->in2, 20, &pi));
	ASSERT_EQ(self->p[1].pid, pi.pid);
	/*
	 * p2 in instance 1 sends to p1's endpoint value: it reaches p0 or
	 * nobody, never p1.
	 */
	SPAWN_IN(&self->in, 2, 21, NULL, s);
	if (EP(1) == EP(0)) {
		WAIT_STATE(2, MOLIPC_PSTATE_SENDING, EP(0));
		GO(0);
		CHECK_MSG(0, 0, EP(2), 211);
		CHECK_RC(2, 0, 0);
	} else {
		CHECK_RC(2, 0, MOL_EDEADSRCDST);
	}
	IS_STATE(0, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	WAIT_STATE_IN(&self->in2, 1, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	ASSERT_EQ(0, NREC(1));
	/* Within instance 2 it works; instance 1's slot 22 is not there. */
	SPAWN_IN(&self->in, 4, 22, NULL, r1);
	SPAWN_IN(&self->in2, 3, 21, NULL, s2);
	CHECK_RC(3, 0, 0);
	CHECK_MSG(1, 0, EP(3), 212);
	CHECK_RC(3, 1, MOL_EDEADSRCDST);
}

static int fn_bind_other(struct mt_proc *self, void *arg)
{
	unsigned int inst = *(unsigned int *)arg;
	struct mol other;
	int bound;

	if (mol_open(&other, NULL) == 0) {
		mt_record(self, mol_bind(&other, inst, MOL_ANY, &bound), 0,
			  NULL);
		mt_record(self, mol_bind(&other, inst, self->endpoint, &bound),
			  0, NULL);
		mol_close(&other);
	}
	mt_idle(self);
	return 0;
}

TEST_F(ipc, cannot_bind_other_instance)
{
	ASSERT_EQ(0, mt_inst_create(&self->in2, MT_NR_PROCS));
	SPAWN_FN(0, 20, NULL, 0, fn_bind_other, &self->in2.id);
	CHECK_RC(0, 0, -EPERM);
	CHECK_RC(0, 1, -EPERM);
	ASSERT_EQ(MOLIPC_PSTATE_FREE, mt_state(&self->in2, 20));
}

/* ---------------------------------------------------------------- */
/* Death                                                             */
/* ---------------------------------------------------------------- */

#define CHECK_DEAD_KILLED(i) do { \
	struct molipc_dead_entry __e; \
	int __rc = wait_dead(&self->in, EP(i), &__e); \
	ASSERT_EQ(0, __rc) TH_LOG("no death record for p%d: %s", (i), \
				  mol_strerror(__rc)); \
	ASSERT_EQ(self->p[i].pid, __e.pid); \
	ASSERT_TRUE(WIFSIGNALED(__e.status)) TH_LOG("status %#x", __e.status); \
	ASSERT_EQ(SIGKILL, WTERMSIG(__e.status)); \
} while (0)

TEST_F(ipc, death_of_receiver_fails_blocked_sender)
{
	const struct step s[] = { { A_SEND, PEER(0), .type = 1 }, { A_END } };

	SPAWN_FN(0, 20, NULL, 0, fn_idle, NULL);
	SPAWN(1, s);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	KILL(0);
	CHECK_RC(1, 0, MOL_EDEADSRCDST);
	WAIT_STATE(0, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	CHECK_DEATH_NOTICE(&self->in);
	CHECK_DEAD_KILLED(0);
}

TEST_F(ipc, death_of_source_fails_blocked_receiver)
{
	const struct step r[] = { { A_RECV, PEER(0) }, { A_END } };

	SPAWN_FN(0, 20, NULL, 0, fn_idle, NULL);
	SPAWN(1, r);
	WAIT_STATE(1, MOLIPC_PSTATE_RECEIVING, EP(0));
	KILL(0);
	CHECK_RC(1, 0, MOL_EDEADSRCDST);
	CHECK_DEATH_NOTICE(&self->in);
	CHECK_DEAD_KILLED(0);
}

TEST_F(ipc, death_of_server_fails_reply_wait)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 1 },
				    { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	KILL(0);
	CHECK_RC(1, 0, MOL_EDEADSRCDST);
	CHECK_DEATH_NOTICE(&self->in);
	CHECK_DEAD_KILLED(0);
}

TEST_F(ipc, death_of_server_fails_sendrec_sender)
{
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 1 },
				    { A_END } };

	SPAWN_FN(0, 20, NULL, 0, fn_idle, NULL);
	SPAWN(1, cli);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDREC, EP(0));
	KILL(0);
	CHECK_RC(1, 0, MOL_EDEADSRCDST);
	CHECK_DEAD_KILLED(0);
}

TEST_F(ipc, death_does_not_disturb_receive_any)
{
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };

	SPAWN_FN(0, 20, NULL, 0, fn_idle, NULL);
	SPAWN(1, r);
	WAIT_STATE(1, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	KILL(0);
	WAIT_STATE(0, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	CHECK_DEAD_KILLED(0);
	IS_STATE(1, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	ASSERT_EQ(0, NREC(1));
}

TEST_F(ipc, death_drops_queued_message_and_notify)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				  { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), .type = 1 }, { A_END } };
	const struct step n[] = { { A_NOTIFY, PEER(0) }, { A_END } };

	SPAWN(0, r);
	SPAWN(1, s);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	SPAWN(2, n);
	CHECK_RC(2, 0, 0);
	KILL(1);
	KILL(2);
	WAIT_STATE(1, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	WAIT_STATE(2, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	GO(0);
	CHECK_RC(0, 0, MOL_ETIMEDOUT);
}

TEST_F(ipc, several_deaths_one_notice_all_records)
{
	struct molipc_dead d;
	struct mol_message m;
	unsigned int i, j, found = 0;

	for (i = 0; i < 3; i++)
		SPAWN_FN(i, 20 + (int)i, NULL, 0, fn_idle, NULL);
	for (i = 0; i < 3; i++)
		KILL(i);
	for (i = 0; i < 3; i++)
		WAIT_STATE(i, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	CHECK_DEATH_NOTICE(&self->in);
	/* Coalesced: one notice for the three. */
	ASSERT_EQ(MOL_ETIMEDOUT, mt_ipc_timeout(&self->in.sys,
						MOLIPC_OP_RECEIVE, MOL_ANY,
						&m, NULL, 0));
	/* A capacity of 1 takes one record, the next call the rest. */
	memset(&d, 0, sizeof(d));
	d.count = 1;
	ASSERT_EQ(0, mol_dead(&self->in.sys, &d));
	ASSERT_EQ(1, d.count);
	for (i = 0; i < 3; i++)
		found += d.ent[0].endpoint == EP(i) &&
			 d.ent[0].pid == self->p[i].pid;
	memset(&d, 0, sizeof(d));
	d.count = MOLIPC_DEAD_MAX;
	ASSERT_EQ(0, mol_dead(&self->in.sys, &d));
	ASSERT_EQ(2, d.count);
	for (i = 0; i < 3; i++)
		for (j = 0; j < d.count; j++)
			found += d.ent[j].endpoint == EP(i) &&
				 d.ent[j].pid == self->p[i].pid;
	ASSERT_EQ(3, found);
	/* Taken: the queue is empty now. */
	d.count = MOLIPC_DEAD_MAX;
	ASSERT_EQ(0, mol_dead(&self->in.sys, &d));
	ASSERT_EQ(0, d.count);
}

static int fn_exit_3(struct mt_proc *self, void *arg)
{
	mt_wait_go(self);
	return 3;
}

TEST_F(ipc, death_record_has_exit_status)
{
	struct molipc_dead_entry e;

	SPAWN_FN(0, 20, NULL, 0, fn_exit_3, NULL);
	GO(0);
	ASSERT_EQ(3, mt_exit_code(&self->p[0], MT_WAIT_MS));
	ASSERT_EQ(0, wait_dead(&self->in, EP(0), &e));
	ASSERT_EQ(self->p[0].pid, e.pid);
	ASSERT_TRUE(WIFEXITED(e.status)) TH_LOG("status %#x", e.status);
	ASSERT_EQ(3, WEXITSTATUS(e.status));
	WAIT_STATE(0, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
}

TEST_F(ipc, close_frees_endpoint)
{
	const struct step c[] = { { A_CLOSE }, { A_END } };
	const struct step r[] = { { A_RECV, PEER(0) }, { A_END } };
	struct molipc_dead_entry e;

	SPAWN(0, c);
	WAIT_STATE(0, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	ASSERT_EQ(0, wait_dead(&self->in, EP(0), &e));
	ASSERT_EQ(-1, e.status);
	ASSERT_EQ(self->p[0].pid, e.pid);
	ASSERT_EQ(0, kill(self->p[0].pid, 0));	/* still alive */
	SPAWN(1, r);
	CHECK_RC(1, 0, MOL_EDEADSRCDST);
}

/*
 * A slot freed under a sleeping call can be registered again at once,
 * before the old owner's thread has even run again.  The system task and
 * the sleeper share one CPU, so the (synchronous) wake-up of the sleeper
 * cannot run it before the re-registration.
 */
TEST_F(ipc, freed_slot_reusable_before_old_call_returns)
{
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };
	struct molipc_priv priv;
	cpu_set_t cpu0;
	int ep, ret;
	pid_t other;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpu0), &cpu0));
	SPAWN(0, r);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	other = fork();
	ASSERT_LE(0, other);
	if (other == 0) {
		pause();
		_exit(0);
	}
	mt_priv_user(&priv);
	ASSERT_EQ(0, mol_unregister(&self->in.sys, EP(0)));
	ret = mol_register(&self->in.sys, other, self->p[0].slot, &priv, &ep);
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	ASSERT_EQ(MOL_OK, ret) TH_LOG("re-register: %s", mol_strerror(ret));
	ASSERT_NE(EP(0), ep);
	/* The old owner's call still ends, with "no endpoint any more". */
	CHECK_RC(0, 0, MOL_ENOTBOUND);
}

TEST_F(ipc, unregister_frees_endpoint_without_death_record)
{
	const struct step s[] = { { A_SEND, PEER(0), .type = 1 }, { A_END } };
	struct molipc_dead d;
	struct mol_message m;

	SPAWN_FN(0, 20, NULL, 0, fn_idle, NULL);
	SPAWN(1, s);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	ASSERT_EQ(0, mol_unregister(&self->in.sys, EP(0)));
	CHECK_RC(1, 0, MOL_EDEADSRCDST);
	ASSERT_EQ(MOLIPC_PSTATE_FREE, mt_state(&self->in, 20));
	mt_msleep(100);
	memset(&d, 0, sizeof(d));
	d.count = MOLIPC_DEAD_MAX;
	ASSERT_EQ(0, mol_dead(&self->in.sys, &d));
	ASSERT_EQ(0, d.count);
	ASSERT_EQ(MOL_ETIMEDOUT, mt_ipc_timeout(&self->in.sys,
						MOLIPC_OP_RECEIVE, MOL_ANY,
						&m, NULL, 0));
	/* Unregistering a free slot's endpoint fails. */
	ASSERT_GT(0, mol_unregister(&self->in.sys, EP(0)));
	/* A registered, unbound slot can be unregistered too. */
	SPAWN_FN(2, 25, NULL, MT_NO_BIND, fn_idle, NULL);
	ASSERT_EQ(MOLIPC_PSTATE_REGISTERED, mt_state(&self->in, 25));
	ASSERT_EQ(0, mol_unregister(&self->in.sys, EP(2)));
	ASSERT_EQ(MOLIPC_PSTATE_FREE, mt_state(&self->in, 25));
}

TEST_F(ipc, instance_dies_with_system_task)
{
	const struct step r[] = { { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };

	ASSERT_EQ(0, mt_inst_create(&self->in2, MT_NR_PROCS));
	SPAWN_IN(&self->in2, 0, 20, NULL, r);
	WAIT_STATE_IN(&self->in2, 0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	mt_inst_destroy(&self->in2);
	CHECK_RC(0, 0, MOL_EINSTGONE);
	CHECK_RC(0, 1, MOL_EINSTGONE);
}

/* ---------------------------------------------------------------- */
/* Signals                                                           */
/* ---------------------------------------------------------------- */

#define SIGNAL(i, sig)	ASSERT_EQ(0, mt_kill(&self->p[i], (sig)))

static void wait_signals(struct __test_metadata *_metadata,
			 struct mt_proc *p, int n)
{
	uint64_t end = mt_now_ns() + MT_WAIT_MS * MS;

	while (__atomic_load_n(&p->sh->signals, __ATOMIC_RELAXED) < n &&
	       mt_now_ns() < end)
		mt_msleep(1);
	ASSERT_EQ(n, p->sh->signals);
}

/* Wait until p's Linux state is stopped ('T') or not. */
static void wait_stopped(struct __test_metadata *_metadata,
			 struct mt_proc *p, bool stopped)
{
	uint64_t end = mt_now_ns() + MT_WAIT_MS * MS;
	char path[64], buf[256], st = '?';

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
	while (mt_now_ns() < end) {
		FILE *f = fopen(path, "r");
		char *rp = NULL;

		if (f) {
			if (fgets(buf, sizeof(buf), f))
				rp = strrchr(buf, ')');
			fclose(f);
		}
		st = rp && rp[1] == ' ' ? rp[2] : '?';
		if ((st == 'T') == stopped)
			return;
		mt_msleep(1);
	}
	ASSERT_TRUE(false) TH_LOG("pid %d: state %c, wanted %sstopped",
				  (int)p->pid, st, stopped ? "" : "not ");
}

/*
 * SIGSTOP then SIGCONT of a process blocked in receive runs no handler:
 * the call goes on as if nothing happened and gets the message.
 */
TEST_F(ipc, stop_continue_keeps_receive)
{
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_GO }, { A_SEND, PEER(0), .type = 31 },
				  { A_END } };

	SPAWN(0, r);
	SPAWN(1, s);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SIGNAL(0, SIGSTOP);
	wait_stopped(_metadata, &self->p[0], true);
	SIGNAL(0, SIGCONT);
	wait_stopped(_metadata, &self->p[0], false);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	GO(1);
	CHECK_MSG(0, 0, EP(1), 31);
	CHECK_RC(1, 0, 0);
	ASSERT_EQ(1, NREC(0));		/* no EINTR before the message */
}

/* The same for a blocked send: the message is delivered once. */
TEST_F(ipc, stop_continue_keeps_send)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), .type = 32 },
				  { A_END } };

	SPAWN(0, r);
	SPAWN(1, s);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	SIGNAL(1, SIGSTOP);
	wait_stopped(_metadata, &self->p[1], true);
	SIGNAL(1, SIGCONT);
	wait_stopped(_metadata, &self->p[1], false);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	CHECK_MSG(0, 0, EP(1), 32);
	CHECK_RC(0, 1, MOL_ETIMEDOUT);	/* delivered once */
	CHECK_RC(1, 0, 0);
	ASSERT_EQ(1, NREC(1));
}

TEST_F(ipc, signal_interrupts_receive)
{
	const struct step r[] = { { A_CATCH, .sig = SIGUSR1 },
				  { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_GO }, { A_SENDNB, PEER(0), .type = 1 },
				  { A_END } };

	SPAWN(0, r);
	SPAWN(1, s);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SIGNAL(0, SIGUSR1);
	CHECK_RC(0, 0, MOL_EINTR);
	wait_signals(_metadata, &self->p[0], 1);
	WAIT_STATE(0, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	GO(1);
	CHECK_RC(1, 0, MOL_ENOTREADY);	/* no longer receiving */
}

TEST_F(ipc, signal_interrupts_send)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				  { A_END } };
	const struct step s[] = { { A_CATCH, .sig = SIGUSR1 },
				  { A_SEND, PEER(0), .type = 1 }, { A_END } };

	SPAWN(0, r);
	SPAWN(1, s);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	SIGNAL(1, SIGUSR1);
	CHECK_RC(1, 0, MOL_EINTR);
	WAIT_STATE(1, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	GO(0);
	CHECK_RC(0, 0, MOL_ETIMEDOUT);	/* withdrawn: nothing delivered */
}

TEST_F(ipc, signal_interrupts_sendrec_before_delivery)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				  { A_END } };
	const struct step c[] = { { A_CATCH, .sig = SIGUSR1 },
				  { A_SENDREC, PEER(0), .type = 1 },
				  { A_END } };

	SPAWN(0, r);
	SPAWN(1, c);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDREC, EP(0));
	SIGNAL(1, SIGUSR1);
	CHECK_RC(1, 0, MOL_EINTR);
	GO(0);
	CHECK_RC(0, 0, MOL_ETIMEDOUT);
}

TEST_F(ipc, signal_interrupts_reply_recv_after_its_reply)
{
	const struct step srv[] = { { A_CATCH, .sig = SIGUSR1 },
				    { A_RECV, MOL_ANY }, { A_GO },
				    { A_REPLYRECV, PEER(1), .src = MOL_ANY,
				      .type = 272 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), .type = 271 },
				    { A_RECV, MOL_ANY, TMO(0) }, { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	CHECK_RC(0, 0, 0);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	GO(0);
	CHECK_MSG(1, 0, EP(0), 272);		/* the reply went */
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SIGNAL(0, SIGUSR1);
	CHECK_RC(0, 1, MOL_EINTR);		/* only the receive is undone */
	CHECK_RC(1, 1, MOL_ETIMEDOUT);		/* and the reply came once */
}

TEST_F(ipc, signal_after_delivery_reply_arrives_once)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_SEND, PEER(1), .type = 222 },
				    { A_END } };
	const struct step cli[] = { { A_CATCH, .sig = SIGALRM },
				    { A_SENDREC, PEER(0), .type = 221 },
				    { A_RECV, MOL_ANY, TMO(0) }, { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	CHECK_RC(0, 0, 0);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	SIGNAL(1, SIGALRM);
	wait_signals(_metadata, &self->p[1], 1);
	mt_msleep(50);
	/* libmol resumed the wait: still no result, still waiting. */
	ASSERT_EQ(0, NREC(1));
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	GO(0);
	CHECK_RC(0, 1, 0);
	CHECK_MSG(1, 0, EP(0), 222);
	CHECK_RC(1, 1, MOL_ETIMEDOUT);	/* exactly once */
	ASSERT_EQ(1, self->p[1].sh->signals);
}

TEST_F(ipc, raw_sendrec_reports_reply_pending_and_resumes)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_SEND, PEER(1), .type = 232 },
				    { A_END } };
	const struct step cli[] = {
		{ A_CATCH, .sig = SIGALRM },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SENDREC, .type = 231 },
		/* While the reply is owed only RESUME is allowed. */
		{ A_SEND, PEER(2), TMO(0), .type = 2 },
		{ A_RECV, MOL_ANY, TMO(0) },
		{ A_RAW, PEER(2), .op = MOLIPC_OP_SENDREC,
		  .flags = MOLIPC_IPC_RESUME },
		{ A_GO },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SENDREC,
		  .flags = MOLIPC_IPC_RESUME, .type = 9 },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SENDREC,
		  .flags = MOLIPC_IPC_RESUME, .type = 9 },
		{ A_RECV, MOL_ANY, TMO(0) },
		{ A_END } };
	const struct step other[] = { { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				      { A_END } };

	SPAWN(2, other);
	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	CHECK_RC(0, 0, 0);
	ASSERT_TRUE(mt_msg_check(&REC(0, 0)->msg, 231, 231));
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	SIGNAL(1, SIGALRM);
	CHECK_RC(1, 0, MOL_EREPLYPENDING);
	CHECK_RC(1, 1, MOL_EBUSY);
	CHECK_RC(1, 2, MOL_EBUSY);
	CHECK_RC(1, 3, MOL_EINVAL);	/* no reply owed by p2 */
	IS_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	/* The reply comes while p1 is not in the call: it is held. */
	GO(0);
	CHECK_RC(0, 1, 0);
	GO(1);
	CHECK_MSG(1, 4, EP(0), 232);
	CHECK_RC(1, 5, MOL_EINVAL);	/* nothing owed any more */
	CHECK_RC(1, 6, MOL_ETIMEDOUT);
	GO(2);
	CHECK_RC(2, 0, MOL_ETIMEDOUT);
}

TEST_F(ipc, reply_recv_answers_interrupted_sendrec)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_REPLYRECV, PEER(1), .src = MOL_ANY,
				      .type = 252 },
				    { A_END } };
	const struct step cli[] = {
		{ A_CATCH, .sig = SIGALRM },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SENDREC, .type = 251 },
		{ A_GO },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SENDREC,
		  .flags = MOLIPC_IPC_RESUME },
		{ A_END } };
	const struct step snd[] = { { A_SEND, PEER(0), .type = 253 },
				    { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	CHECK_RC(0, 0, 0);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	SIGNAL(1, SIGALRM);
	CHECK_RC(1, 0, MOL_EREPLYPENDING);
	SPAWN(2, snd);
	WAIT_STATE(2, MOLIPC_PSTATE_SENDING, EP(0));
	/* The reply goes to the interrupted sendrec, then p2's is taken. */
	GO(0);
	CHECK_MSG(0, 1, EP(2), 253);
	GO(1);
	CHECK_MSG(1, 1, EP(0), 252);
}

TEST_F(ipc, reply_pending_then_server_dies)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step cli[] = {
		{ A_CATCH, .sig = SIGALRM },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SENDREC, .type = 241 },
		{ A_GO },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SENDREC,
		  .flags = MOLIPC_IPC_RESUME },
		{ A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	WAIT_STATE(1, MOLIPC_PSTATE_REPLYWAIT, EP(0));
	SIGNAL(1, SIGALRM);
	CHECK_RC(1, 0, MOL_EREPLYPENDING);
	KILL(0);
	WAIT_STATE(0, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	GO(1);
	CHECK_RC(1, 1, MOL_EDEADSRCDST);
}

/* ---------------------------------------------------------------- */
/* Timeouts                                                          */
/* ---------------------------------------------------------------- */

TEST_F(ipc, timeout_zero_does_not_block)
{
	const struct step r[] = { { A_RECV, MOL_ANY, TMO(0) }, { A_GO },
				  { A_RECV, MOL_ANY, TMO(0) },
				  { A_RECV, MOL_ANY, TMO(0) }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), TMO(0), .type = 1 },
				  { A_SEND, PEER(0), .type = 252 }, { A_END } };

	SPAWN(0, r);
	CHECK_RC(0, 0, MOL_ETIMEDOUT);
	SPAWN(1, s);
	CHECK_RC(1, 0, MOL_ETIMEDOUT);	/* p0 not receiving */
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	CHECK_MSG(0, 1, EP(1), 252);	/* a queued message: no blocking */
	CHECK_RC(0, 2, MOL_ETIMEDOUT);
}

TEST_F(ipc, timeout_zero_send_to_receiver)
{
	const struct step r[] = { { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), TMO(0), .type = 253 },
				  { A_END } };

	SPAWN(0, r);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, s);
	CHECK_RC(1, 0, 0);
	CHECK_MSG(0, 0, EP(1), 253);
}

TEST_F(ipc, timeout_receive_expires)
{
	const struct step r[] = { { A_RECV, MOL_ANY, TMO(300) }, { A_END } };

	SPAWN(0, r);
	CHECK_RC(0, 0, MOL_ETIMEDOUT);
	ASSERT_GE(self->p[0].sh->value[0], 290 * (long long)MS);
	ASSERT_LT(self->p[0].sh->value[0], 15000 * (long long)MS);
	WAIT_STATE(0, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
}

TEST_F(ipc, timeout_send_withdrawn)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				  { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), TMO(200), .type = 1 },
				  { A_END } };

	SPAWN(0, r);
	SPAWN(1, s);
	CHECK_RC(1, 0, MOL_ETIMEDOUT);
	ASSERT_GE(self->p[1].sh->value[0], 190 * (long long)MS);
	WAIT_STATE(1, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	GO(0);
	CHECK_RC(0, 0, MOL_ETIMEDOUT);
}

TEST_F(ipc, timeout_sendrec_before_delivery_withdrawn)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				  { A_END } };
	const struct step c[] = { { A_SENDREC, PEER(0), TMO(200), .type = 1 },
				  { A_END } };

	SPAWN(0, r);
	SPAWN(1, c);
	CHECK_RC(1, 0, MOL_ETIMEDOUT);
	WAIT_STATE(1, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	GO(0);
	CHECK_RC(0, 0, MOL_ETIMEDOUT);
}

TEST_F(ipc, timeout_sendrec_abandons_reply)
{
	const struct step srv[] = { { A_RECV, MOL_ANY }, { A_GO },
				    { A_REPLYRECV, PEER(1), .src = MOL_ANY,
				      TMO(0), .type = 2 },
				    { A_END } };
	const struct step cli[] = { { A_SENDREC, PEER(0), TMO(300), .type = 1 },
				    { A_RECV, MOL_ANY, TMO(0) }, { A_END } };

	SPAWN(0, srv);
	WAIT_STATE(0, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	SPAWN(1, cli);
	CHECK_RC(0, 0, 0);		/* the request was delivered */
	CHECK_RC(1, 0, MOL_ETIMEDOUT);
	WAIT_STATE(1, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
	GO(0);
	CHECK_RC(0, 1, MOL_ENOTREADY);	/* nobody waits for that reply */
	CHECK_RC(1, 1, MOL_ETIMEDOUT);
}

/* ---------------------------------------------------------------- */
/* Bad arguments and check order                                     */
/* ---------------------------------------------------------------- */

TEST_F(ipc, bad_flags)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY, TMO(0) },
				  { A_END } };
	const struct step s[] = {
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SEND, .flags = 1U << 7 },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SEND, .flags = 1U << 31 },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SEND,
		  .flags = MOLIPC_IPC_RESUME },
		{ A_RAW, MOL_ANY, .op = MOLIPC_OP_RECEIVE,
		  .flags = MOLIPC_IPC_RESUME },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_NOTIFY,
		  .flags = MOLIPC_IPC_RESUME },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SEND, .src = PEER(0) },
		{ A_RAW, MOL_ANY, .op = MOLIPC_OP_RECEIVE, .src = MOL_ANY },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SEND, .raw_tmo_ns = 5 },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_SENDREC,
		  .flags = MOLIPC_IPC_RESUME },	/* nothing owed */
		{ A_RAW, MOL_ANY, .op = MOLIPC_OP_SEND,
		  .flags = 1U << 7 },		/* flags before endpoint */
		{ A_RAW, PEER(0), .op = 0 },
		{ A_RAW, PEER(0), .op = MOLIPC_OP_MAX + 1 },
		{ A_END } };
	int i;

	SPAWN(0, r);
	SPAWN(1, s);
	for (i = 0; i < 12; i++)
		CHECK_RC(1, i, MOL_EINVAL);
	GO(0);
	CHECK_RC(0, 0, MOL_ETIMEDOUT);	/* nothing was delivered */
}

TEST_F(ipc, bad_endpoints)
{
	const struct step s[] = {
		{ A_SEND, MOL_ANY, .type = 1 },
		{ A_SENDREC, MOL_ANY, .type = 1 },
		{ A_NOTIFY, MOL_ANY },
		{ A_SENDNB, MOL_ANY, .type = 1 },
		{ A_REPLYRECV, MOL_ANY, .src = MOL_ANY },
		{ A_SEND, MOL_NONE, .type = 1 },
		{ A_RECV, MOL_NONE },
		{ A_SEND, MOL_ENDPOINT(0, MT_NR_PROCS), .type = 1 },
		{ A_SEND, MOL_ENDPOINT(0, -MOL_NR_TASKS - 1), .type = 1 },
		{ A_RECV, MOL_ENDPOINT(0, MT_NR_PROCS + 7) },
		{ A_NOTIFY, MOL_ENDPOINT(3, MOL_GEN_SIZE - MOL_MAX_NR_TASKS - 1) },
		{ A_SEND, MOL_ENDPOINT(1000, 21), .type = 1 },	/* stale gen */
		{ A_END } };
	int i;

	SPAWN_FN(1, 21, NULL, 0, fn_idle, NULL);
	SPAWN(0, s);
	for (i = 0; i < 11; i++)
		CHECK_RC(0, i, MOL_EBADSRCDST);
	CHECK_RC(0, 11, MOL_EDEADSRCDST);
}

TEST_F(ipc, check_order_endpoint_before_privileges)
{
	struct molipc_priv user;
	const struct step u[] = {
		{ A_SEND, MOL_ANY, .type = 1 },			/* ENXIO */
		{ A_SEND, MOL_ENDPOINT(0, MT_NR_PROCS) },	/* ENXIO */
		{ A_SENDREC, MOL_ENDPOINT(0, 50) },		/* ESRCH */
		{ A_SEND, MOL_ENDPOINT(0, 50) },		/* ESRCH */
		{ A_SEND, PEER(1) },				/* EACCES */
		{ A_RAW, PEER(1), .op = MOLIPC_OP_SEND, .flags = 1U << 9 },
		{ A_END } };

	mt_priv_user(&user);
	SPAWN_FN(1, 21, NULL, 0, fn_idle, NULL);
	SPAWN_AT(0, 20, &user, u);
	CHECK_RC(0, 0, MOL_EBADSRCDST);
	CHECK_RC(0, 1, MOL_EBADSRCDST);
	CHECK_RC(0, 2, MOL_EDEADSRCDST);
	CHECK_RC(0, 3, MOL_EDEADSRCDST);
	CHECK_RC(0, 4, MOL_ECALLDENIED);
	CHECK_RC(0, 5, MOL_EINVAL);
}

/* ---------------------------------------------------------------- */
/* Process information                                               */
/* ---------------------------------------------------------------- */

TEST_F(ipc, procinfo_tracks_states_and_counters)
{
	const struct step r[] = { { A_GO }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY }, { A_RECV, MOL_ANY },
				  { A_RECV, MOL_ANY }, { A_END } };
	const struct step s[] = { { A_SEND, PEER(0), .type = 1 },
				  { A_SEND, PEER(0), .type = 2 },
				  { A_SEND, PEER(0), .type = 3 },
				  { A_SEND, MOL_ANY },	/* an error */
				  { A_NOTIFY, PEER(0) }, { A_END } };
	struct molipc_procinfo pi;
	struct mol_message m;
	__u64 errors;

	ASSERT_EQ(0, mt_procinfo(&self->in, 40, &pi));
	ASSERT_EQ(MOLIPC_PSTATE_FREE, pi.state);
	ASSERT_NE(0, mt_procinfo(&self->in, MT_NR_PROCS, &pi));
	ASSERT_EQ(0, mt_procinfo(&self->in, MOL_SYSTEM, &pi));
	ASSERT_EQ(MOLIPC_PSTATE_RUNNING, pi.state);
	ASSERT_EQ(MOL_SYSTEM, pi.endpoint);
	ASSERT_EQ(getpid(), pi.pid);
	/* A receive that times out is withdrawn, not counted as an error. */
	errors = pi.errors;
	ASSERT_EQ(MOL_ETIMEDOUT, mt_ipc_timeout(&self->in.sys,
						MOLIPC_OP_RECEIVE, MOL_ANY,
						&m, NULL, 0));
	ASSERT_EQ(0, mt_procinfo(&self->in, MOL_SYSTEM, &pi));
	ASSERT_EQ(errors, pi.errors);

	SPAWN(0, r);
	ASSERT_EQ(0, mt_procinfo(&self->in, SLOT(0), &pi));
	ASSERT_EQ(MOLIPC_PSTATE_RUNNING, pi.state);
	ASSERT_EQ(EP(0), pi.endpoint);
	ASSERT_EQ(self->p[0].pid, pi.pid);
	SPAWN(1, s);
	WAIT_STATE(1, MOLIPC_PSTATE_SENDING, EP(0));
	GO(0);
	CHECK_RC(1, 3, MOL_EBADSRCDST);
	CHECK_RC(1, 4, 0);
	CHECK_NOTIFY(0, 3, EP(1));
	ASSERT_EQ(0, mt_procinfo(&self->in, SLOT(1), &pi));
	ASSERT_GE(pi.sent, 3);
	ASSERT_GE(pi.errors, 1);
	ASSERT_EQ(0, mt_procinfo(&self->in, SLOT(0), &pi));
	ASSERT_GE(pi.received, 3);
	ASSERT_GE(pi.notifies, 1);
	WAIT_STATE(0, MOLIPC_PSTATE_RUNNING, MT_ANY_PEER);
}

/* ---------------------------------------------------------------- */


MT_HARNESS_MAIN("conformance", (void)0)

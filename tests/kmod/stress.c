// SPDX-License-Identifier: GPL-2.0
/*
 * stress.c - many senders and receivers, kill -9 of some of them, and
 * every message accounted for.
 *
 * The test process creates an instance and is its system task.  Senders
 * claim message numbers from a shared counter until MOL_STRESS_MSGS
 * (default 100000) are claimed, and send each to a random receiver with
 * send (mostly), sendrec or sendnb.  Receivers receive from ANY straight
 * into shared memory, count each message, and answer sendrecs.  Every
 * so often a random participant is killed with SIGKILL and replaced.
 *
 * At the end every message number is checked:
 *   - delivered at most once (no duplicate), with its own payload and
 *     the sender's endpoint as m_source;
 *   - a send that failed was not delivered;
 *   - a send that succeeded was delivered, except at most one message
 *     per killed receiver (taken by it just before it died);
 *   - delivered + failed + unknown == attempts, where "unknown" are the
 *     sendrecs that failed after delivery (the server died) and the one
 *     call each killed sender had under way.
 * And nobody may hang: all participants must finish before a deadline.
 *
 * Environment: MOL_STRESS_MSGS, MOL_STRESS_SENDERS (6),
 * MOL_STRESS_RECEIVERS (4), MOL_STRESS_KILLS (12), MOL_STRESS_TIMEOUT
 * (seconds, 480).  Works on any transport (MOL_TRANSPORT); meant for
 * kmod.  Output: TAP, then "stress: ..." with the counts.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "moltest.h"

#define MS		1000000ULL
#define STRESS_TYPE	0x5354
#define REPLY_TYPE	0x5355
#define MAX_SENDERS	64
#define MAX_RECEIVERS	64
#define MAX_INCARN	256	/* participants over the whole run */

enum seq_state {
	SEQ_UNCLAIMED = 0,
	SEQ_INFLIGHT,		/* claimed, call under way */
	SEQ_OK,			/* the call succeeded */
	SEQ_FAILED,		/* the call failed: not delivered */
	SEQ_UNKNOWN,		/* sendrec failed: delivered or not */
};

struct receiver {
	struct molipc_ipc req;	/* the kernel writes here directly */
	int endpoint;
	int dead;
	int killed;
	int bad;		/* malformed messages seen */
	uint64_t received;
};

struct sender {
	int endpoint;
	int dead;
	int killed;
	int bad_replies;
	uint64_t sent;
};

struct shared {
	uint64_t total;
	uint64_t next;		/* next message number to claim */
	int done;		/* all claimed: receivers may leave */
	int nr_recv_pos;
	int recv_at[MAX_RECEIVERS];	/* receiver index at each position */
	struct receiver recv[MAX_INCARN];
	struct sender snd[MAX_INCARN];
	/* Per message number: */
	uint8_t *state;
	uint8_t *delivered;
	int16_t *dst;		/* receiver index */
	int16_t *src;		/* sender index */
};

static struct shared *sh;
static struct mt_inst inst;
static struct mt_proc procs[MAX_INCARN];
static int nr_procs_used;
static int next_slot = MT_SLOT_BASE + 4;

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static uint64_t checksum(uint64_t seq, uint64_t snd)
{
	return (seq * 0x9e3779b97f4a7c15ULL) ^ (snd << 32) ^ 0xa5a5a5a5ULL;
}

static uint32_t rnd(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* ---------------------------------------------------------------- */
/* Participants                                                      */
/* ---------------------------------------------------------------- */

static int sender_main(struct mt_proc *self, void *arg)
{
	int me = (int)(long)arg;
	struct sender *s = &sh->snd[me];
	uint32_t x = (uint32_t)getpid() * 2654435761U + 1;

	s->endpoint = self->endpoint;
	for (;;) {
		uint64_t seq = __atomic_fetch_add(&sh->next, 1,
						  __ATOMIC_RELAXED);
		struct molipc_ipc req;
		int pos, r, rc, op, dice;

		if (seq >= sh->total)
			break;
		pos = (int)(rnd(&x) % (uint32_t)sh->nr_recv_pos);
		r = __atomic_load_n(&sh->recv_at[pos], __ATOMIC_ACQUIRE);
		sh->dst[seq] = (int16_t)r;
		sh->src[seq] = (int16_t)me;
		__atomic_store_n(&sh->state[seq], SEQ_INFLIGHT,
				 __ATOMIC_RELEASE);

		memset(&req, 0, sizeof(req));
		req.endpoint = sh->recv[r].endpoint;
		req.msg.m_source = 0x7777;	/* ignored by the IPC layer */
		req.msg.m_type = STRESS_TYPE;
		req.msg.m_u.m_u64[0] = seq;
		req.msg.m_u.m_u64[1] = (uint64_t)me;
		req.msg.m_u.m_u64[2] = checksum(seq, (uint64_t)me);
		dice = (int)(rnd(&x) % 100);
		op = dice < 85 ? MOLIPC_OP_SEND :
		     dice < 95 ? MOLIPC_OP_SENDREC : MOLIPC_OP_SENDNB;
		if (op != MOLIPC_OP_SENDNB) {
			req.flags = MOLIPC_IPC_TIMEOUT;
			req.timeout_ns = 10000 * MS;
		}
		rc = mol_ipc(&self->mol, op, &req);
		if (rc == 0) {
			if (op == MOLIPC_OP_SENDREC &&
			    (req.msg.m_type != REPLY_TYPE ||
			     req.msg.m_u.m_u64[0] != seq ||
			     req.msg.m_source != sh->recv[r].endpoint))
				s->bad_replies++;
			s->sent++;
			__atomic_store_n(&sh->state[seq], SEQ_OK,
					 __ATOMIC_RELEASE);
		} else if (op == MOLIPC_OP_SENDREC && rc != MOL_EINVAL &&
			   rc != MOL_EBADSRCDST) {
			__atomic_store_n(&sh->state[seq], SEQ_UNKNOWN,
					 __ATOMIC_RELEASE);
		} else {
			__atomic_store_n(&sh->state[seq], SEQ_FAILED,
					 __ATOMIC_RELEASE);
		}
	}
	return 0;
}

/* Count the message in r->req (if it is one of ours, not yet counted). */
static void count_message(struct receiver *r, bool recovering)
{
	const struct mol_message *m = &r->req.msg;
	uint64_t seq = m->m_u.m_u64[0], snd = m->m_u.m_u64[1];

	if (m->m_type != STRESS_TYPE)
		return;
	if (seq >= sh->total || snd >= MAX_INCARN ||
	    m->m_u.m_u64[2] != checksum(seq, snd) ||
	    m->m_source != sh->snd[snd].endpoint) {
		r->bad++;
		return;
	}
	if (recovering && __atomic_load_n(&sh->delivered[seq],
					  __ATOMIC_ACQUIRE))
		return;
	__atomic_add_fetch(&sh->delivered[seq], 1, __ATOMIC_ACQ_REL);
	r->received++;
}

static int receiver_main(struct mt_proc *self, void *arg)
{
	int me = (int)(long)arg;
	struct receiver *r = &sh->recv[me];

	r->endpoint = self->endpoint;
	for (;;) {
		int rc;

		memset(&r->req, 0, sizeof(r->req));
		r->req.endpoint = MOL_ANY;
		r->req.flags = MOLIPC_IPC_TIMEOUT;
		r->req.timeout_ns = 500 * MS;
		rc = mol_ipc(&self->mol, MOLIPC_OP_RECEIVE, &r->req);
		if (rc == MOL_ETIMEDOUT) {
			if (__atomic_load_n(&sh->done, __ATOMIC_ACQUIRE))
				break;
			continue;
		}
		if (rc)
			return 10;
		if (r->req.status & MOLIPC_STATUS_NOTIFY)
			continue;
		count_message(r, false);
		if (r->req.status & MOLIPC_STATUS_SENDREC) {
			struct molipc_ipc rep;
			int src = r->req.msg.m_source;

			memset(&rep, 0, sizeof(rep));
			rep.endpoint = src;
			rep.msg.m_type = REPLY_TYPE;
			rep.msg.m_u.m_u64[0] = r->req.msg.m_u.m_u64[0];
			/* The client may have given up: never block. */
			mol_ipc(&self->mol, MOLIPC_OP_SENDNB, &rep);
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* The system task                                                   */
/* ---------------------------------------------------------------- */

enum { ROLE_SENDER, ROLE_RECEIVER };

struct member {
	int role;
	int idx;		/* into sh->snd / sh->recv */
	int proc;		/* into procs[] */
	bool alive;
};

static struct member members[MAX_INCARN];
static int nr_members, nr_senders, nr_receivers;

static int spawn_member(int role, int pos)
{
	struct member *mb = &members[nr_members];
	struct mt_proc *p = &procs[nr_procs_used];
	int idx = role == ROLE_SENDER ? nr_senders : nr_receivers;
	int rc;

	if (nr_members >= MAX_INCARN || idx >= MAX_INCARN)
		return -ENOSPC;
	if (role == ROLE_RECEIVER) {
		/* Endpoint known before anyone picks this receiver. */
		sh->recv[idx].endpoint = MOL_NONE;
	}
	rc = mt_spawn(p, &inst, next_slot++, NULL, 0,
		      role == ROLE_SENDER ? sender_main : receiver_main,
		      (void *)(long)idx);
	if (rc)
		return rc;
	if (role == ROLE_RECEIVER) {
		sh->recv[idx].endpoint = p->endpoint;
		__atomic_store_n(&sh->recv_at[pos], idx, __ATOMIC_RELEASE);
		nr_receivers++;
	} else {
		sh->snd[idx].endpoint = p->endpoint;
		nr_senders++;
	}
	mb->role = role;
	mb->idx = idx;
	mb->proc = nr_procs_used++;
	mb->alive = true;
	nr_members++;
	return 0;
}

static void show_stuck(void)
{
	int i;

	for (i = 0; i < nr_members; i++) {
		struct mt_proc *p = &procs[members[i].proc];
		char path[64], wchan[64] = "?";
		FILE *f;

		if (!members[i].alive)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/wchan", p->pid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(wchan, sizeof(wchan), f))
				strcpy(wchan, "?");
			fclose(f);
		}
		printf("# still running: %s %d pid %d slot %d (%s), wchan %s\n",
		       members[i].role == ROLE_SENDER ? "sender" : "receiver",
		       members[i].idx, p->pid, p->slot,
		       mt_state_name(mt_state(&inst, p->slot)), wchan);
	}
}

/* Kill a random live participant and put a new one in its place. */
static int kill_one(uint32_t *x)
{
	int tries, i;

	for (tries = 0; tries < 100; tries++) {
		struct member *mb = &members[rnd(x) % (uint32_t)nr_members];
		struct mt_proc *p = &procs[mb->proc];
		int pos = -1, rc;

		if (!mb->alive)
			continue;
		if (mb->role == ROLE_SENDER &&
		    (p->reaped || waitpid(p->pid, &p->status, WNOHANG) != 0))
			continue;	/* already done */
		mt_kill(p, SIGKILL);
		if (mt_wait(p, MT_WAIT_MS) < 0) {
			printf("# pid %d does not die after SIGKILL\n", p->pid);
			return -ETIMEDOUT;
		}
		mb->alive = false;
		if (mb->role == ROLE_SENDER) {
			sh->snd[mb->idx].killed = 1;
			return spawn_member(ROLE_SENDER, 0);
		}
		sh->recv[mb->idx].killed = 1;
		/* Whatever it had in hand is counted now. */
		count_message(&sh->recv[mb->idx], true);
		for (i = 0; i < sh->nr_recv_pos; i++)
			if (sh->recv_at[i] == mb->idx)
				pos = i;
		rc = spawn_member(ROLE_RECEIVER, pos < 0 ? 0 : pos);
		return rc;
	}
	return 0;
}

struct tally {
	uint64_t attempts, delivered, failed, unknown, lost, inflight;
	uint64_t dup, failed_but_delivered, ok_not_delivered, bad;
};

static void account(struct tally *t)
{
	uint64_t n = sh->next < sh->total ? sh->next : sh->total, i;
	uint64_t lost_per[MAX_INCARN] = { 0 };
	int r;

	memset(t, 0, sizeof(*t));
	t->attempts = n;
	for (i = 0; i < n; i++) {
		int d = sh->delivered[i], st = sh->state[i];

		if (d > 1)
			t->dup++;
		switch (st) {
		case SEQ_OK:
			if (d)
				t->delivered++;
			else if (sh->recv[sh->dst[i]].killed &&
				 !lost_per[sh->dst[i]]++)
				t->lost++;
			else
				t->ok_not_delivered++;
			break;
		case SEQ_FAILED:
			if (d)
				t->failed_but_delivered++;
			else
				t->failed++;
			break;
		case SEQ_UNKNOWN:
			if (d)
				t->delivered++;
			else
				t->unknown++;
			break;
		case SEQ_INFLIGHT:
			/* Only a killed sender leaves one behind. */
			if (!sh->snd[sh->src[i]].killed)
				t->ok_not_delivered++;
			else if (d)
				t->delivered++;
			else
				t->inflight++;
			break;
		default:
			t->ok_not_delivered++;
		}
	}
	for (r = 0; r < nr_receivers; r++)
		t->bad += (uint64_t)sh->recv[r].bad;
	for (r = 0; r < nr_senders; r++)
		t->bad += (uint64_t)sh->snd[r].bad_replies;
}

int main(void)
{
	unsigned long total = env_ul("MOL_STRESS_MSGS", 100000);
	unsigned long nsend = env_ul("MOL_STRESS_SENDERS", 6);
	unsigned long nrecv = env_ul("MOL_STRESS_RECEIVERS", 4);
	unsigned long kills = env_ul("MOL_STRESS_KILLS", 12);
	unsigned long tmo = env_ul("MOL_STRESS_TIMEOUT", 480);
	uint64_t start = mt_now_ns(), deadline = start + tmo * 1000000000ULL;
	uint64_t last_next = 0, last_move = start;
	uint32_t x = (uint32_t)getpid() | 1;
	unsigned long killed = 0;
	long taint = mt_kernel_taint();
	struct tally t;
	bool hung = false, ok;
	int rc, i;
	double secs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..1\n");
	if (!total || !nsend || !nrecv || nsend > 32 || nrecv > 32) {
		printf("not ok 1 stress # bad parameters\n");
		return 1;
	}
	sh = mt_shared_alloc(sizeof(*sh));
	if (sh) {
		sh->state = mt_shared_alloc(total);
		sh->delivered = mt_shared_alloc(total);
		sh->dst = mt_shared_alloc(total * sizeof(int16_t));
		sh->src = mt_shared_alloc(total * sizeof(int16_t));
	}
	if (!sh || !sh->state || !sh->delivered || !sh->dst || !sh->src) {
		printf("not ok 1 stress # out of memory\n");
		return 1;
	}
	sh->total = total;
	sh->nr_recv_pos = (int)nrecv;
	rc = mt_inst_create(&inst, MT_NR_PROCS);
	if (rc) {
		printf("not ok 1 stress # create instance over %s: %s\n",
		       mt_transport(), mol_strerror(rc));
		return 1;
	}
	printf("# %lu messages, %lu senders, %lu receivers, %lu kills, %s\n",
	       total, nsend, nrecv, kills, mt_transport());
	for (i = 0; i < (int)nrecv; i++)
		if (spawn_member(ROLE_RECEIVER, i))
			goto setup_failed;
	for (i = 0; i < (int)nsend; i++)
		if (spawn_member(ROLE_SENDER, 0))
			goto setup_failed;

	for (;;) {
		uint64_t now = mt_now_ns(), next;
		int alive = 0;

		next = __atomic_load_n(&sh->next, __ATOMIC_RELAXED);
		if (next > total)
			next = total;
		/* Spread the kills over the run. */
		if (killed < kills &&
		    next >= total * (killed + 1) / (kills + 1)) {
			rc = kill_one(&x);
			if (rc) {
				printf("# replacing a killed participant: %s\n",
				       mol_strerror(rc));
				hung = rc == -ETIMEDOUT;
				break;
			}
			killed++;
		}
		for (i = 0; i < nr_members; i++) {
			struct mt_proc *p = &procs[members[i].proc];

			if (members[i].role != ROLE_SENDER || !members[i].alive)
				continue;
			if (mt_wait(p, 0) >= 0 || p->reaped)
				members[i].alive = false;
			else
				alive++;
		}
		if (!alive && next >= total)
			break;
		if (next != last_next) {
			last_next = next;
			last_move = now;
		}
		if (now > deadline || now - last_move > 60000 * MS) {
			printf("# no progress (%llu of %lu claimed)\n",
			       (unsigned long long)next, total);
			hung = true;
			break;
		}
		mt_msleep(5);
	}
	__atomic_store_n(&sh->done, 1, __ATOMIC_RELEASE);
	/* Everybody must finish on their own now. */
	for (i = 0; i < nr_members && !hung; i++) {
		struct mt_proc *p = &procs[members[i].proc];
		int code;

		if (!members[i].alive && members[i].role == ROLE_RECEIVER)
			continue;
		code = mt_exit_code(p, 30000);
		if (code == -ETIMEDOUT) {
			hung = true;
		} else {
			members[i].alive = false;
			if (code != 0 && !(members[i].role == ROLE_SENDER &&
					   sh->snd[members[i].idx].killed)) {
				printf("# %s %d exited with %d\n",
				       members[i].role == ROLE_SENDER ?
				       "sender" : "receiver", members[i].idx,
				       code);
				hung = true;
			}
		}
	}
	if (hung)
		show_stuck();
	secs = (double)(mt_now_ns() - start) / 1e9;
	mt_kill_all();
	account(&t);
	ok = !hung && !t.dup && !t.failed_but_delivered &&
	     !t.ok_not_delivered && !t.bad && t.attempts == total &&
	     t.delivered + t.failed + t.unknown + t.lost + t.inflight ==
	     t.attempts && mt_kernel_taint() == taint;
	printf("# attempts %llu = delivered %llu + failed %llu + unknown %llu"
	       " + lost at kill %llu + in flight at kill %llu\n",
	       (unsigned long long)t.attempts,
	       (unsigned long long)t.delivered, (unsigned long long)t.failed,
	       (unsigned long long)t.unknown, (unsigned long long)t.lost,
	       (unsigned long long)t.inflight);
	printf("# duplicates %llu, failed but delivered %llu, succeeded but "
	       "lost %llu, corrupt %llu, killed %lu, taint %ld -> %ld\n",
	       (unsigned long long)t.dup,
	       (unsigned long long)t.failed_but_delivered,
	       (unsigned long long)t.ok_not_delivered,
	       (unsigned long long)t.bad, killed, taint, mt_kernel_taint());
	printf("%s 1 stress\n", ok ? "ok" : "not ok");
	printf("stress: %llu messages in %.1fs (%.0f/s), %llu delivered, "
	       "%lu killed: %s\n", (unsigned long long)t.attempts, secs,
	       (double)t.attempts / (secs > 0 ? secs : 1),
	       (unsigned long long)t.delivered, killed,
	       ok ? "PASS" : "FAIL");
	mt_inst_destroy(&inst);
	return ok ? 0 : 1;

setup_failed:
	printf("not ok 1 stress # cannot start the participants\n");
	mt_kill_all();
	return 1;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * moltest.h - support for multi-process MoL IPC tests.
 *
 * A test process creates an instance and is its system task (struct
 * mt_inst).  mt_spawn() forks a child, registers it for a slot with the
 * given privileges, lets it open its own libmol connection and bind, and
 * then runs a function in it.  The child reports through a page of
 * shared memory (struct mt_shared) and its exit status; the parent
 * orders the participants with "go" bytes (mt_go / mt_wait_go) and with
 * mt_wait_state(), which polls MOLIPC_IOC_PROCINFO until a slot is in a
 * given IPC state.
 *
 * Everything here uses only libmol's API (mol.h), so it works over every
 * transport.  Child functions must not use the kselftest ASSERT macros
 * (they longjmp into the harness); they return a small exit code or
 * record what they saw with mt_record().
 */
#ifndef MOLTEST_H
#define MOLTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "mol.h"

/* Size of the instances the tests create (slots 0..MT_NR_PROCS-1). */
#define MT_NR_PROCS		256
/* First slot the tests use for ordinary participants. */
#define MT_SLOT_BASE		MOL_NR_BOOT_SLOTS
/* Default bound for every wait, generous for qemu without KVM. */
#define MT_WAIT_MS		20000

#define MT_MAX_RECORDS		16
#define MT_MAX_PROCS		64

/* One call's outcome as seen by a child. */
struct mt_record {
	int rc;
	unsigned int status;
	struct mol_message msg;
};

/* The page a child shares with its parent. */
struct mt_shared {
	int nrec;			/* records written so far */
	int signals;			/* signals caught by mt_catch_signal */
	int endpoint;			/* the endpoint the child bound */
	int pad;
	long long value[16];		/* free use by the test */
	struct mt_record rec[MT_MAX_RECORDS];
};

/* An instance and its system task (the calling process). */
struct mt_inst {
	struct mol sys;
	unsigned int id;
	bool created;
};

struct mt_proc;
typedef int (*mt_fn_t)(struct mt_proc *self, void *arg);

/* A participant process, as seen from both sides of the fork. */
struct mt_proc {
	pid_t pid;
	int slot;
	int endpoint;			/* registered endpoint, MOL_NONE if none */
	struct mt_inst *inst;
	struct mol mol;			/* child side: its own connection */
	struct mt_shared *sh;		/* shared with the child */
	int go_rd, go_wr;		/* parent -> child "go" pipe */
	int status;			/* wait status once reaped */
	bool reaped;
};

/* mt_spawn() flags */
#define MT_NO_REGISTER		(1U << 0)	/* do not register the child */
#define MT_NO_BIND		(1U << 1)	/* open, but let fn bind */
#define MT_NO_OPEN		(1U << 2)	/* fn opens (implies NO_BIND) */

/* Instances. */
int mt_inst_create(struct mt_inst *in, unsigned int nr_procs);
void mt_inst_destroy(struct mt_inst *in);

/* Privilege presets. */
void mt_priv_none(struct molipc_priv *p);
void mt_priv_user(struct molipc_priv *p);	/* sendrec to PM and FS */
void mt_priv_server(struct molipc_priv *p);	/* everything */
void mt_priv_allow(struct molipc_priv *p, int slot);
void mt_priv_deny(struct molipc_priv *p, int slot);

/*
 * mt_spawn - fork a participant: register it in @in for @slot with
 * @priv (server privileges if NULL), let it open and bind, then run
 * @fn(@p, @arg) in it; the child exits with fn's return value.  Returns
 * 0 once the child is bound (or, with MT_NO_BIND / MT_NO_REGISTER, once
 * it runs fn), or the negative status that failed (the child is reaped).
 */
int mt_spawn(struct mt_proc *p, struct mt_inst *in, int slot,
	     const struct molipc_priv *priv, unsigned int flags,
	     mt_fn_t fn, void *arg);

/* Parent side. */
int mt_go(struct mt_proc *p);
int mt_wait(struct mt_proc *p, int timeout_ms);	/* wait status or -ETIMEDOUT */
int mt_exit_code(struct mt_proc *p, int timeout_ms); /* 0..255, -sig, -ETIMEDOUT */
int mt_kill(struct mt_proc *p, int sig);
void mt_kill_all(void);				/* SIGKILL + reap everyone */
int mt_wait_records(struct mt_proc *p, int n, int timeout_ms);

/* Child side. */
int mt_wait_go(struct mt_proc *self);
void mt_record(struct mt_proc *self, int rc, unsigned int status,
	       const struct mol_message *m);
int mt_catch_signal(struct mt_proc *self, int sig);	/* no SA_RESTART */
void mt_idle(struct mt_proc *self);	/* wait for go, forever if none */

/* Process information through the system task. */
int mt_procinfo(struct mt_inst *in, int slot, struct molipc_procinfo *pi);
int mt_state(struct mt_inst *in, int slot);	/* MOLIPC_PSTATE_* or <0 */
/*
 * mt_wait_state - wait until @slot is in @state (and, unless @peer is
 * MT_ANY_PEER, blocked on @peer).  0 or -ETIMEDOUT.
 */
#define MT_ANY_PEER		((int)0x7fffffff)
int mt_wait_state(struct mt_inst *in, int slot, unsigned int state, int peer,
		  int timeout_ms);
const char *mt_state_name(int state);

/* Messages. */
void mt_msg_fill(struct mol_message *m, int type, uint32_t seed);
bool mt_msg_check(const struct mol_message *m, int type, uint32_t seed);

/* Raw IPC with a timeout (ns); MOL_* status. */
int mt_ipc_timeout(struct mol *mol, int op, int ep, struct mol_message *m,
		   unsigned int *status, uint64_t timeout_ns);

/* Misc. */
void *mt_shared_alloc(size_t size);
void mt_shared_free(void *p, size_t size);
void mt_msleep(unsigned int ms);
uint64_t mt_now_ns(void);
/* /proc/sys/kernel/tainted without the module's own O/E bits, or -1. */
long mt_kernel_taint(void);
const char *mt_transport(void);	/* $MOL_TRANSPORT or the default */
/*
 * Where program @name is: $@env if set and not empty, else next to this
 * test binary (./@name if that cannot be read).  @buf, or NULL if the
 * path does not fit in @size bytes.
 */
char *mt_program_path(const char *env, const char *name, char *buf,
		      size_t size);

/*
 * MT_HARNESS_MAIN(suite, setup): main() of a kselftest-harness suite
 * (after kselftest_harness.h): runs @setup (a statement), then the
 * tests; at exit the parent prints "SUITE TRANSPORT: N passed, N
 * failed", the closing line the make targets and vmcheck count.
 */
#define MT_HARNESS_MAIN(suite, setup)					\
static const char *mt_summary_transport;				\
static pid_t mt_summary_pid;						\
static void mt_print_summary(void)					\
{									\
	if (getpid() != mt_summary_pid)					\
		return;							\
	printf(suite " %s: %u passed, %u failed\n",			\
	       mt_summary_transport, ksft_get_pass_cnt(),		\
	       ksft_get_fail_cnt());					\
	fflush(stdout);							\
}									\
int main(int argc, char **argv)						\
{									\
	setup;								\
	mt_summary_transport = mt_transport();				\
	mt_summary_pid = getpid();					\
	atexit(mt_print_summary);					\
	return test_harness_run(argc, argv);				\
}

#endif /* MOLTEST_H */

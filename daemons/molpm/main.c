// SPDX-License-Identifier: GPL-2.0
/*
 * molpm - the MoL process manager (MINIX's pm): bound to MOL_PM, it
 * receives the process calls of the instance's user processes (made by
 * the libmol container), keeps MINIX's process table and answers with
 * POSIX results.  It never blocks on a client: a call that has to wait
 * (waitpid) is answered later with a non-blocking send to the caller,
 * which is waiting in sendrec for PM.
 *
 * Usage: molpm [-v] [-i INSTANCE]   (default: $MOL_INSTANCE)
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pm.h"

struct mol pm_mol;
bool pm_verbose;

typedef int (*pm_handler)(struct mproc *rmp, struct mol_message *m);

/* One dispatch table: call number -> handler. */
static const pm_handler pm_calls[PM_NR_CALLS] = {
	[PM_FORK]		= do_fork,
	[PM_FORK_COMMIT]	= do_fork_commit,
	[PM_FORK_ABORT]		= do_fork_abort,
	[PM_EXEC]		= do_exec,
	[PM_EXIT]		= do_exit,
	[PM_WAITPID]		= do_waitpid,
	[PM_GETPID]		= do_getpid,
	[PM_KILL]		= do_kill,
	[PM_ALARM]		= do_alarm,
	[PM_PAUSE]		= do_pause,
	[PM_SIGACTION]		= do_sigaction,
	[PM_SIGPROCMASK]	= do_sigprocmask,
	[PM_SIGPENDING]		= do_sigpending,
	[PM_SIGSUSPEND]		= do_sigsuspend,
	[PM_SETSID]		= do_setsid,
	[PM_GETPGRP]		= do_getpgrp,
	[PM_SETPGID]		= do_setpgid,
	[PM_GETUID]		= do_getuid,
	[PM_SETUID]		= do_setuid,
	[PM_SETGID]		= do_setgid,
	[PM_TIMES]		= do_times,
	[PM_BRK]		= do_brk,
	[PM_REBOOT]		= do_reboot,
	[PM_PROCTAB]		= do_proctab,
	[PM_GETPGID]		= do_getpgid,
	[PM_SIGNAL_DONE]	= do_signal_done,
};

uint64_t pm_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Reply @result to @rmp, which waits in sendrec for PM.  Non-blocking:
 * a caller that died meanwhile is simply not answered.
 */
void pm_reply(struct mproc *rmp, int result, struct mol_message *m)
{
	int ret;

	m->m_type = result;
	ret = mol_sendnb(&pm_mol, rmp->endpoint, m);
	if (ret < 0 && pm_verbose)
		fprintf(stderr, "molpm: reply to %d: %s\n", rmp->endpoint,
			mol_strerror(ret));
}

/* A kernel call to the system task; returns the reply's result. */
int pm_taskcall(int call, struct mol_message *m)
{
	int ret;

	m->m_type = call;
	ret = mol_sendrec(&pm_mol, MOL_SYSTEM, m);
	if (ret < 0)
		return ret;
	return m->m_type;
}

/*
 * Process bookkeeping for the file server (FS_PM_* of molfscalls.h):
 * sendrec to MOL_FS, which only replies, never calls PM.  Without a
 * file server (an instance without a disk) the slot is free and the
 * call fails at once; that is not an error.
 */
int pm_fs_call(int call, int endpoint, int parent, int uid, int gid)
{
	struct mol_message m;
	struct mol_fs_pm *b;
	int ret;

	memset(&m, 0, sizeof(m));
	m.m_type = call;
	b = MOL_BODY(&m, struct mol_fs_pm);
	b->endpoint = endpoint;
	b->parent = parent;
	b->uid = uid;
	b->gid = gid;
	ret = mol_sendrec(&pm_mol, MOL_FS, &m);
	if (ret == MOL_EDEADSRCDST || ret == MOL_EBADSRCDST)
		return 0;
	if (ret == MOL_OK)
		ret = m.m_type;
	if (ret < 0 && pm_verbose)
		fprintf(stderr, "molpm: FS call 0x%x for %d: %s\n", call,
			endpoint, mol_strerror(ret));
	return ret;
}

/* Callers outside the table may only read the process table; the
 * system task may also shut the instance down. */
static bool pm_call_allowed_anon(int call, int caller)
{
	return call == PM_PROCTAB ||
	       (call == PM_REBOOT && caller == MOL_SYSTEM);
}

static void pm_request(struct mol_message *m)
{
	struct mproc *rmp;
	int call = m->m_type;
	int caller = m->m_source;
	int result;

	rmp = pm_proc_by_ep(caller, true);
	if (call <= 0 || call >= PM_NR_CALLS || !pm_calls[call]) {
		result = -ENOSYS;
		goto reply;
	}
	if (!rmp && !pm_call_allowed_anon(call, caller)) {
		result = -EPERM;
		goto reply;
	}
	if (rmp && call != PM_PAUSE && call != PM_SIGSUSPEND &&
	    call != PM_SIGNAL_DONE && call != PM_PROCTAB)
		rmp->flags &= ~MP_PAUSED;
	result = pm_calls[call](rmp, m);
	if (result == SUSPEND)
		return;
reply:
	m->m_type = result;
	if (mol_sendnb(&pm_mol, caller, m) < 0 && pm_verbose)
		fprintf(stderr, "molpm: reply to %d lost\n", caller);
}

static void pm_loop(void)
{
	struct molipc_ipc req;
	uint64_t next, now;
	int ret;

	for (;;) {
		memset(&req, 0, sizeof(req));
		req.endpoint = MOL_ANY;
		next = pm_next_alarm();
		if (next) {
			now = pm_now_ns();
			req.flags = MOLIPC_IPC_TIMEOUT;
			req.timeout_ns = next > now ? next - now : 1;
		}
		ret = mol_ipc(&pm_mol, MOLIPC_OP_RECEIVE, &req);
		if (ret == MOL_ETIMEDOUT || ret == MOL_EINTR) {
			pm_check_alarms();
			continue;
		}
		if (ret == MOL_EINSTGONE)
			return;
		if (ret < 0) {
			fprintf(stderr, "molpm: receive: %s\n",
				mol_strerror(ret));
			return;
		}
		pm_check_alarms();
		if (req.status & MOLIPC_STATUS_NOTIFY) {
			if (req.msg.m_source == MOL_SYSTEM)
				pm_deaths();
			else if (req.msg.m_source == MOL_TTY)
				pm_tty_signals();
			continue;
		}
		if (!(req.status & MOLIPC_STATUS_SENDREC))
			continue;	/* a plain send: nobody to answer */
		pm_request(&req.msg);
	}
}

int main(int argc, char **argv)
{
	unsigned long instance = 0;
	const char *env = getenv("MOL_INSTANCE");
	char *end;
	int opt, ret;

	if (env)
		instance = strtoul(env, NULL, 0);
	while ((opt = getopt(argc, argv, "vi:")) != -1) {
		switch (opt) {
		case 'v':
			pm_verbose = true;
			break;
		case 'i':
			instance = strtoul(optarg, &end, 0);
			if (*end)
				instance = 0;
			break;
		default:
			fprintf(stderr, "usage: molpm [-v] [-i INSTANCE]\n");
			return 2;
		}
	}
	if (!instance || instance > 0xffffffffUL) {
		fprintf(stderr, "molpm: no instance (-i or MOL_INSTANCE)\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	ret = mol_open(&pm_mol, NULL);
	if (ret < 0) {
		fprintf(stderr, "molpm: open: %s\n", mol_strerror(ret));
		return 1;
	}
	ret = mol_bind(&pm_mol, instance, MOL_PM, NULL);
	if (ret < 0) {
		fprintf(stderr, "molpm: bind: %s\n", mol_strerror(ret));
		mol_close(&pm_mol);
		return 1;
	}
	if (pm_verbose)
		fprintf(stderr, "molpm: instance %lu, transport %s\n",
			instance, mol_transport_name(&pm_mol));
	pm_loop();
	mol_close(&pm_mol);
	return 0;
}

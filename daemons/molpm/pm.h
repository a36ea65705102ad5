/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pm.h - molpm, the MoL process manager: MINIX's view of the processes
 * of one instance (Documentation/architecture.md, "Process manager and
 * container").
 */
#ifndef MOLPM_PM_H
#define MOLPM_PM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "mol.h"
#include <linux/molcalls.h>
#include <linux/molfscalls.h>

#define NR_PROCS	256		/* slots PM manages (table size) */
#define NR_SIGS		64		/* signals 1..64, bit (sig - 1) */
#define INIT_PID	1
#define FIRST_USER_PID	20
#define MAX_PID		30000

#define SUSPEND		1		/* handler result: no reply now */

/* struct mproc.flags */
#define MP_INUSE	(1U << 0)	/* slot taken */
#define MP_RESERVED	(1U << 1)	/* PM_FORK done, not committed */
#define MP_ZOMBIE	(1U << 2)	/* exited, not reaped */
#define MP_WAITING	(1U << 3)	/* in waitpid (deferred reply) */
#define MP_PAUSED	(1U << 4)	/* pause/sigsuspend in the container */
#define MP_EXITING	(1U << 5)	/* said PM_EXIT; slot unregistered */
#define MP_STOPPED	(1U << 6)	/* stopped by a signal PM sent */
#define MP_STOP_NEWS	(1U << 7)	/* stop not yet told to waitpid */
#define MP_CONT_NEWS	(1U << 8)	/* SIGCONT not yet told to waitpid */

struct mproc {
	unsigned int flags;
	int slot;
	int endpoint;
	pid_t pid;			/* MINIX pid */
	int parent;			/* parent's slot, -1: none */
	pid_t pgid, sid;
	pid_t linux_pid;
	int uid, euid, gid, egid;
	int status;			/* wait status once a zombie */
	int stopsig;			/* MP_STOPPED: the signal */
	int reserver;			/* MP_RESERVED: the forking slot */

	/* waitpid in progress */
	pid_t wpid;
	int woptions;

	/* signals */
	uint8_t disp[NR_SIGS + 1];	/* MOL_SIG_* */
	uint32_t sa_flags[NR_SIGS + 1];
	uint64_t sa_mask[NR_SIGS + 1];
	uint64_t handler[NR_SIGS + 1];	/* the container's handler address */
	uint64_t sigmask, sigpending, savedmask;
	uint64_t alarm_ns;		/* CLOCK_MONOTONIC expiry, 0: none */

	/* times, clock ticks */
	uint64_t utime, stime, cutime, cstime;
	uint64_t brk;
	char name[24];
};

extern struct mol pm_mol;
extern struct mproc mproc[NR_PROCS];
extern bool pm_verbose;

/* main.c */
void pm_reply(struct mproc *rmp, int result, struct mol_message *m);
int pm_taskcall(int call, struct mol_message *m);
int pm_fs_call(int call, int endpoint, int parent, int uid, int gid);
uint64_t pm_now_ns(void);

/* proc.c */
struct mproc *pm_proc_by_ep(int endpoint, bool adopt);
struct mproc *pm_proc_by_pid(pid_t pid);
struct mproc *pm_init_proc(void);
void pm_exit_proc(struct mproc *rmp, int status, bool unregister);
void pm_stop_change(struct mproc *rmp, int sig);
void pm_deaths(void);
void pm_tty_signals(void);
void pm_wait_interrupt(struct mproc *rmp);
int do_fork(struct mproc *rmp, struct mol_message *m);
int do_fork_commit(struct mproc *rmp, struct mol_message *m);
int do_fork_abort(struct mproc *rmp, struct mol_message *m);
int do_exec(struct mproc *rmp, struct mol_message *m);
int do_exit(struct mproc *rmp, struct mol_message *m);
int do_waitpid(struct mproc *rmp, struct mol_message *m);
int do_getpid(struct mproc *rmp, struct mol_message *m);
int do_setsid(struct mproc *rmp, struct mol_message *m);
int do_getpgrp(struct mproc *rmp, struct mol_message *m);
int do_setpgid(struct mproc *rmp, struct mol_message *m);
int do_getpgid(struct mproc *rmp, struct mol_message *m);

/* signal.c */
void pm_sig_reset_exec(struct mproc *rmp);
int pm_sig_proc(struct mproc *rmp, int sig);
void pm_check_alarms(void);
uint64_t pm_next_alarm(void);
int do_kill(struct mproc *rmp, struct mol_message *m);
int do_alarm(struct mproc *rmp, struct mol_message *m);
int do_pause(struct mproc *rmp, struct mol_message *m);
int do_sigaction(struct mproc *rmp, struct mol_message *m);
int do_sigprocmask(struct mproc *rmp, struct mol_message *m);
int do_sigpending(struct mproc *rmp, struct mol_message *m);
int do_sigsuspend(struct mproc *rmp, struct mol_message *m);
int do_signal_done(struct mproc *rmp, struct mol_message *m);

/* misc.c */
int do_getuid(struct mproc *rmp, struct mol_message *m);
int do_setuid(struct mproc *rmp, struct mol_message *m);
int do_setgid(struct mproc *rmp, struct mol_message *m);
int do_times(struct mproc *rmp, struct mol_message *m);
int do_brk(struct mproc *rmp, struct mol_message *m);
int do_reboot(struct mproc *rmp, struct mol_message *m);
int do_proctab(struct mproc *rmp, struct mol_message *m);

#endif /* MOLPM_PM_H */

// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * signal.c - the container's signals (the paper's section 3.5) and the
 * small process calls: ids, groups, kill, alarm, times, brk.
 *
 * PM keeps MINIX's signal state; the Linux disposition of every signal
 * is kept in step with it.  A handler the program installs is installed
 * in Linux as is, so Linux runs it; a signal left at its default that
 * would terminate the process gets the container's handler, which tells
 * PM (PM_EXIT with the signal's wait status) and re-raises it with
 * SIG_DFL, so the Linux status matches.  pause and sigsuspend block in a
 * Linux sigsuspend: a signal from anywhere (PM, another program, the
 * kernel) ends them as it would on Linux.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container.h"

typedef int (*ctr_sigaction_fn)(int, const struct sigaction *,
				struct sigaction *);

static ctr_sigaction_fn real_sigaction;

static int ctr_set_real(int sig, const struct sigaction *act,
			struct sigaction *old)
{
	if (!real_sigaction)
		real_sigaction = (ctr_sigaction_fn)ctr_real("sigaction");
	return real_sigaction(sig, act, old);
}

/* Signals whose default action terminates the process. */
static bool ctr_sig_fatal(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGSTOP: case SIGCHLD: case SIGCONT:
	case SIGURG: case SIGWINCH: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return false;
	}
	return sig >= 1 && sig < _NSIG && (sig < 32 || sig >= SIGRTMIN);
}

static uint64_t ctr_set64(const sigset_t *set)
{
	uint64_t v = 0;
	int s;

	for (s = 1; s <= 64 && s < _NSIG; s++)
		if (sigismember(set, s) == 1)
			v |= 1ULL << (s - 1);
	return v;
}

/* The container's handler of a signal left at its default. */
static void ctr_fatal(int sig, siginfo_t *info, void *uc)
{
	struct sigaction dfl;
	sigset_t set;
	int err = errno;

	ctr_report_exit(sig & 0x7f);
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	ctr_set_real(sig, &dfl, NULL);
	sigemptyset(&set);
	sigaddset(&set, sig);
	syscall(SYS_tgkill, syscall(SYS_getpid), syscall(SYS_gettid), sig);
	ctr_real_sigmask(SIG_UNBLOCK, &set, NULL);
	errno = err;	/* a synchronous signal: the fault repeats */
}

static void ctr_trap(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = ctr_fatal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigfillset(&sa.sa_mask);
	ctr_set_real(sig, &sa, NULL);
}

void ctr_sig_init(void)
{
	struct sigaction cur;
	int s;

	for (s = 1; s < _NSIG; s++) {
		if (!ctr_sig_fatal(s) || ctr_set_real(s, NULL, &cur) < 0)
			continue;
		if (cur.sa_handler == SIG_DFL)
			ctr_trap(s);
	}
}

void ctr_sig_after_fork(void)
{
}

static bool ctr_is_trap(const struct sigaction *sa)
{
	return (sa->sa_flags & SA_SIGINFO) && sa->sa_sigaction == ctr_fatal;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct mol_pm_sig *s;
	struct sigaction lact, lold;
	struct mol_message m;
	int ret;

	if (!ctr.active || sig < 1 || sig > 64)
		return ctr_set_real(sig, act, old);
	if (act) {
		lact = *act;
		if (act->sa_handler == SIG_DFL && !(act->sa_flags & SA_SIGINFO) &&
		    ctr_sig_fatal(sig)) {
			memset(&lact, 0, sizeof(lact));
			lact.sa_sigaction = ctr_fatal;
			lact.sa_flags = SA_SIGINFO | SA_RESTART;
			sigfillset(&lact.sa_mask);
		}
	}
	ret = ctr_set_real(sig, act ? &lact : NULL, &lold);
	if (ret < 0)
		return ret;
	if (old) {
		*old = lold;
		if (ctr_is_trap(&lold)) {
			memset(old, 0, sizeof(*old));
			old->sa_handler = SIG_DFL;
		}
	}
	if (!act)
		return 0;
	memset(&m, 0, sizeof(m));
	s = MOL_BODY(&m, struct mol_pm_sig);
	s->sig = sig;
	s->how = 1;
	if (act->sa_flags & SA_SIGINFO) {
		s->disposition = MOL_SIG_CATCH;
		s->set = (uintptr_t)act->sa_sigaction;
	} else if (act->sa_handler == SIG_DFL) {
		s->disposition = MOL_SIG_DFL;
	} else if (act->sa_handler == SIG_IGN) {
		s->disposition = MOL_SIG_IGN;
	} else {
		s->disposition = MOL_SIG_CATCH;
		s->set = (uintptr_t)act->sa_handler;
	}
	s->sa_flags = act->sa_flags;
	s->sa_mask = ctr_set64(&act->sa_mask);
	ctr_call(PM_SIGACTION, &m, false);
	return 0;
}

static sighandler_t ctr_signal(int sig, sighandler_t h, int flags)
{
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

sighandler_t signal(int sig, sighandler_t h)
{
	return ctr_signal(sig, h, SA_RESTART);
}

sighandler_t bsd_signal(int sig, sighandler_t h)
{
	return ctr_signal(sig, h, SA_RESTART);
}

sighandler_t sysv_signal(int sig, sighandler_t h)
{
	return ctr_signal(sig, h, SA_RESETHAND | SA_NODEFER);
}

/* Tell PM the mask (bookkeeping after Linux changed it). */
static void ctr_pm_mask(void)
{
	struct mol_pm_sig *s;
	struct mol_message m;
	sigset_t cur;

	ctr_real_sigmask(SIG_BLOCK, NULL, &cur);
	memset(&m, 0, sizeof(m));
	s = MOL_BODY(&m, struct mol_pm_sig);
	s->how = SIG_SETMASK;
	s->set = ctr_set64(&cur);
	ctr_call(PM_SIGPROCMASK, &m, false);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	int (*real)(int, const sigset_t *, sigset_t *) =
		(int (*)(int, const sigset_t *, sigset_t *))
		ctr_real("sigprocmask");
	int ret = real(how, set, old);

	if (!ret && set && ctr.active)
		ctr_pm_mask();
	return ret;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	int (*real)(int, const sigset_t *, sigset_t *) =
		(int (*)(int, const sigset_t *, sigset_t *))
		ctr_real("pthread_sigmask");
	int ret = real(how, set, old);

	if (!ret && set && ctr.active)
		ctr_pm_mask();
	return ret;
}

/* The BSD mask calls: sigprocmask(@how) on the first 31 signals. */
static int ctr_bsd_mask(int how, int mask)
{
	sigset_t set, old;
	int s, prev = 0;

	sigemptyset(&set);
	for (s = 1; s < 32; s++)
		if (mask & (1 << (s - 1)))
			sigaddset(&set, s);
	if (sigprocmask(how, &set, &old) < 0)
		return -1;
	for (s = 1; s < 32; s++)
		if (sigismember(&old, s) == 1)
			prev |= 1 << (s - 1);
	return prev;
}

int sigsetmask(int mask)
{
	return ctr_bsd_mask(SIG_SETMASK, mask);
}

int sigblock(int mask)
{
	return ctr_bsd_mask(SIG_BLOCK, mask);
}

int sigpending(sigset_t *set)
{
	struct mol_pm_sig *s;
	struct mol_message m;
	int sig;

	if (syscall(SYS_rt_sigpending, set, _NSIG / 8) < 0)
		return -1;
	if (!ctr.active)
		return 0;
	memset(&m, 0, sizeof(m));
	s = MOL_BODY(&m, struct mol_pm_sig);
	if (ctr_call(PM_SIGPENDING, &m, false) < 0)
		return 0;
	/* PM's pending set and Linux's (signals from outside MoL). */
	for (sig = 1; sig <= 64 && sig < _NSIG; sig++)
		if (s->old & (1ULL << (sig - 1)))
			sigaddset(set, sig);
	return 0;
}

/* Block in Linux until a signal, with mask @mask; PM knows meanwhile. */
static int ctr_suspend(int call, const sigset_t *mask)
{
	struct mol_pm_sig *s;
	struct mol_message m;
	sigset_t all, old;

	sigfillset(&all);
	ctr_real_sigmask(SIG_BLOCK, &all, &old);
	if (!mask)
		mask = &old;
	memset(&m, 0, sizeof(m));
	s = MOL_BODY(&m, struct mol_pm_sig);
	s->set = ctr_set64(mask);
	ctr_call(call, &m, false);
	syscall(SYS_rt_sigsuspend, mask, _NSIG / 8);
	ctr_real_sigmask(SIG_SETMASK, &old, NULL);
	memset(&m, 0, sizeof(m));
	s->set = ctr_set64(&old);
	ctr_call(PM_SIGNAL_DONE, &m, false);
	errno = EINTR;
	return -1;
}

int pause(void)
{
	if (!ctr.active)
		return syscall(SYS_pause);
	return ctr_suspend(PM_PAUSE, NULL);
}

int sigsuspend(const sigset_t *mask)
{
	if (!ctr.active)
		return syscall(SYS_rt_sigsuspend, mask, _NSIG / 8);
	return ctr_suspend(PM_SIGSUSPEND, mask);
}

/* ---------------------------------------------------------------- */
/* kill, alarm                                                       */
/* ---------------------------------------------------------------- */

int kill(pid_t pid, int sig)
{
	struct mol_pm_kill *k;
	struct mol_message m;

	if (!ctr.active)
		return syscall(SYS_kill, pid, sig);
	memset(&m, 0, sizeof(m));
	k = MOL_BODY(&m, struct mol_pm_kill);
	k->pid = pid;
	k->sig = sig;
	return ctr_ret(ctr_call(PM_KILL, &m, false));
}

int killpg(pid_t pgrp, int sig)
{
	if (pgrp < 0) {
		errno = EINVAL;
		return -1;
	}
	return kill(-pgrp, sig);
}

int raise(int sig)
{
	if (!ctr.active)
		return syscall(SYS_tgkill, syscall(SYS_getpid),
			       syscall(SYS_gettid), sig) ? -1 : 0;
	return kill(getpid(), sig);
}

unsigned int alarm(unsigned int seconds)
{
	struct mol_pm_alarm *a;
	struct mol_message m;

	if (!ctr.active)
		return ((unsigned int (*)(unsigned int))ctr_real("alarm"))
			(seconds);
	memset(&m, 0, sizeof(m));
	a = MOL_BODY(&m, struct mol_pm_alarm);
	a->seconds = seconds;
	if (ctr_call(PM_ALARM, &m, false) < 0)
		return 0;
	return a->left;
}

/* ---------------------------------------------------------------- */
/* ids, groups, sessions                                             */
/* ---------------------------------------------------------------- */

static int ctr_ids(int call, pid_t pid, pid_t pgid, struct mol_pm_ids *out)
{
	struct mol_pm_ids *ids;
	struct mol_message m;
	int ret;

	memset(&m, 0, sizeof(m));
	ids = MOL_BODY(&m, struct mol_pm_ids);
	ids->pid = pid;
	ids->pgid = pgid;
	ret = ctr_call(call, &m, false);
	if (ret >= 0)
		*out = *ids;
	return ret;
}

pid_t getpid(void)
{
	struct mol_pm_ids ids;

	if (!ctr.active || ctr_inlib)
		return syscall(SYS_getpid);
	if (ctr.pid > 0)
		return ctr.pid;
	if (ctr_ids(PM_GETPID, 0, 0, &ids) < 0)
		return ctr.pid;
	ctr.pid = ids.pid;
	ctr.ppid = ids.ppid;
	return ctr.pid;
}

pid_t getppid(void)
{
	struct mol_pm_ids ids;

	if (!ctr.active)
		return syscall(SYS_getppid);
	if (ctr_ids(PM_GETPID, 0, 0, &ids) < 0)
		return ctr.ppid;	/* in a handler, during a call */
	ctr.pid = ids.pid;
	ctr.ppid = ids.ppid;
	return ctr.ppid;
}

pid_t setsid(void)
{
	struct mol_pm_ids ids;
	int ret;

	if (!ctr.active)
		return syscall(SYS_setsid);
	ret = ctr_ids(PM_SETSID, 0, 0, &ids);
	return ret < 0 ? ctr_ret(ret) : ids.sid;
}

pid_t getpgrp(void)
{
	struct mol_pm_ids ids;

	if (!ctr.active)
		return syscall(SYS_getpgid, 0);
	if (ctr_ids(PM_GETPGRP, 0, 0, &ids) < 0)
		return -1;
	return ids.pgid;
}

int setpgid(pid_t pid, pid_t pgid)
{
	struct mol_pm_ids ids;
	int ret;

	if (!ctr.active)
		return syscall(SYS_setpgid, pid, pgid);
	ret = ctr_ids(PM_SETPGID, pid, pgid, &ids);
	return ret < 0 ? ctr_ret(ret) : 0;
}

int setpgrp(void)
{
	return setpgid(0, 0);
}

pid_t getpgid(pid_t pid)
{
	struct mol_pm_ids ids;
	int ret;

	if (!ctr.active)
		return syscall(SYS_getpgid, pid);
	ret = ctr_ids(PM_GETPGID, pid, 0, &ids);
	return ret < 0 ? ctr_ret(ret) : ids.pgid;
}

pid_t getsid(pid_t pid)
{
	struct mol_pm_ids ids;
	int ret;

	if (!ctr.active)
		return syscall(SYS_getsid, pid);
	ret = ctr_ids(PM_GETPGID, pid, 0, &ids);
	return ret < 0 ? ctr_ret(ret) : ids.sid;
}

/* ---------------------------------------------------------------- */
/* credentials                                                       */
/* ---------------------------------------------------------------- */

static int ctr_cred(int call, int uid, int gid, struct mol_pm_cred *out)
{
	struct mol_pm_cred *c;
	struct mol_message m;
	int ret;

	memset(&m, 0, sizeof(m));
	c = MOL_BODY(&m, struct mol_pm_cred);
	c->uid = uid;
	c->gid = gid;
	ret = ctr_call(call, &m, false);
	if (ret >= 0)
		*out = *c;
	return ret;
}

#define CTR_GETID(name, field, nr)					\
uid_t name(void)							\
{									\
	struct mol_pm_cred c;						\
									\
	if (!ctr.active || ctr_cred(PM_GETUID, 0, 0, &c) < 0)		\
		return syscall(nr);					\
	return c.field;							\
}

CTR_GETID(getuid, uid, SYS_getuid)
CTR_GETID(geteuid, euid, SYS_geteuid)
CTR_GETID(getgid, gid, SYS_getgid)
CTR_GETID(getegid, egid, SYS_getegid)

int setuid(uid_t uid)
{
	struct mol_pm_cred c;

	if (!ctr.active)
		return syscall(SYS_setuid, uid);
	return ctr_ret(ctr_cred(PM_SETUID, (int)uid, 0, &c)) < 0 ? -1 : 0;
}

int setgid(gid_t gid)
{
	struct mol_pm_cred c;

	if (!ctr.active)
		return syscall(SYS_setgid, gid);
	return ctr_ret(ctr_cred(PM_SETGID, 0, (int)gid, &c)) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- */
/* times, brk, reboot                                                */
/* ---------------------------------------------------------------- */

static clock_t ctr_ticks(uint64_t t)
{
	long tck = sysconf(_SC_CLK_TCK);

	return (clock_t)(ctr.hz == tck ? t : t * tck / ctr.hz);
}

clock_t times(struct tms *buf)
{
	struct mol_pm_times *t;
	struct mol_message m;
	int ret;

	if (!ctr.active)
		return syscall(SYS_times, buf);
	memset(&m, 0, sizeof(m));
	t = MOL_BODY(&m, struct mol_pm_times);
	ret = ctr_call(PM_TIMES, &m, false);
	if (ret < 0)
		return (clock_t)ctr_ret(ret);
	if (buf) {
		buf->tms_utime = ctr_ticks(t->utime);
		buf->tms_stime = ctr_ticks(t->stime);
		buf->tms_cutime = ctr_ticks(t->cutime);
		buf->tms_cstime = ctr_ticks(t->cstime);
	}
	return ctr_ticks(t->uptime);
}

void *sbrk(intptr_t inc)
{
	void *(*real)(intptr_t) = (void *(*)(intptr_t))ctr_real("sbrk");
	void *old = real(inc);
	struct mol_message m;

	if (ctr.active && old != (void *)-1 && inc) {
		memset(&m, 0, sizeof(m));
		MOL_BODY(&m, struct mol_pm_brk)->addr =
			(uintptr_t)old + (uintptr_t)inc;
		ctr_call(PM_BRK, &m, false);
	}
	return old;
}

int reboot(int howto)
{
	struct mol_message m;

	if (!ctr.active)
		return syscall(SYS_reboot, 0xfee1dead, 672274793, howto, NULL);
	memset(&m, 0, sizeof(m));
	m.m_u.m_u32[0] = MOL_REBOOT_HALT;
	return ctr_ret(ctr_call(PM_REBOOT, &m, false)) < 0 ? -1 : 0;
}

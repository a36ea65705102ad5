// SPDX-License-Identifier: GPL-2.0
/*
 * signal.c - MINIX's signal state of every process (dispositions, mask,
 * pending set), kill and alarm.  PM delivers a signal by asking the
 * system task (SYS_KILL) to send the Linux signal; the container of the
 * target keeps the Linux disposition in step with PM's, so Linux runs
 * the program's handler, or the container ends the process.
 *
 * alarm: a timer in PM.  PM's receive carries a timeout up to the next
 * alarm (MOLIPC_IPC_TIMEOUT), so no Linux timer or signal is involved
 * and PM knows of every SIGALRM it sends (a waitpid is interrupted).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "pm.h"

#define SIGBIT(s)	(1ULL << ((s) - 1))
#define UNBLOCKABLE	(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

static bool pm_sig_valid(int sig)
{
	return sig >= 1 && sig <= NR_SIGS;
}

/* At exec, caught signals go back to their default; ignored stay. */
void pm_sig_reset_exec(struct mproc *rmp)
{
	int s;

	for (s = 1; s <= NR_SIGS; s++) {
		if (rmp->disp[s] == MOL_SIG_CATCH)
			rmp->disp[s] = MOL_SIG_DFL;
		rmp->handler[s] = 0;
		rmp->sa_flags[s] = 0;
		rmp->sa_mask[s] = 0;
	}
}

/* Send @sig to @rmp through the system task. */
static int pm_sys_kill(struct mproc *rmp, int sig)
{
	struct mol_message m;
	struct mol_sys_proc *p;

	memset(&m, 0, sizeof(m));
	p = MOL_BODY(&m, struct mol_sys_proc);
	p->endpoint = rmp->endpoint;
	p->sig = sig;
	return pm_taskcall(SYS_KILL, &m);
}

/*
 * Is process group @pgid orphaned (POSIX): no member has a parent in
 * another group of the same session?
 */
static bool pm_pgrp_orphaned(pid_t pgid)
{
	int i;

	for (i = 0; i < NR_PROCS; i++) {
		const struct mproc *c = &mproc[i], *par;

		if (!(c->flags & MP_INUSE) ||
		    (c->flags & (MP_ZOMBIE | MP_RESERVED)) ||
		    c->pgid != pgid || c->parent < 0)
			continue;
		par = &mproc[c->parent];
		if ((par->flags & MP_INUSE) && !(par->flags & MP_ZOMBIE) &&
		    par->pgid != pgid && par->sid == c->sid)
			return false;
	}
	return true;
}

/*
 * MINIX's sig_proc: deliver @sig to @rmp.  Blocked: pending in PM (and
 * in Linux, whose mask the container keeps equal).  Caught: the program's
 * handler runs, a waitpid in progress fails EINTR unless SA_RESTART.
 */
int pm_sig_proc(struct mproc *rmp, int sig)
{
	uint64_t bit = SIGBIT(sig);
	int ret;

	if (rmp->flags & (MP_ZOMBIE | MP_RESERVED))
		return MOL_OK;
	/* SIGCONT continues a stopped process even ignored or blocked. */
	if (sig == SIGCONT && (rmp->flags & MP_STOPPED) &&
	    (rmp->disp[sig] == MOL_SIG_IGN || (rmp->sigmask & bit))) {
		if (rmp->disp[sig] != MOL_SIG_IGN)
			rmp->sigpending |= bit;
		ret = pm_sys_kill(rmp, sig);
		if (ret == MOL_OK)
			pm_stop_change(rmp, 0);
		return ret;
	}
	if (!(bit & UNBLOCKABLE) && rmp->disp[sig] == MOL_SIG_IGN)
		return MOL_OK;
	if (!(bit & UNBLOCKABLE) && (rmp->sigmask & bit)) {
		rmp->sigpending |= bit;
		return pm_sys_kill(rmp, sig);
	}
	/*
	 * A terminal stop signal left at its default: PM decides, as
	 * POSIX says (discarded in an orphaned process group), and Linux,
	 * whose process groups are not MoL's, is sent SIGSTOP.
	 */
	if ((sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) &&
	    rmp->disp[sig] == MOL_SIG_DFL) {
		if (pm_pgrp_orphaned(rmp->pgid))
			return MOL_OK;
		ret = pm_sys_kill(rmp, SIGSTOP);
		if (ret == MOL_OK)
			pm_stop_change(rmp, sig);
		return ret;
	}
	ret = pm_sys_kill(rmp, sig);
	if (ret == MOL_OK && (sig == SIGCONT || sig == SIGSTOP))
		pm_stop_change(rmp, sig == SIGSTOP ? sig : 0);
	if (ret == MOL_OK && rmp->disp[sig] == MOL_SIG_CATCH) {
		/* A pipe call suspended in FS ends (EINTR) for the handler. */
		pm_fs_call(FS_PM_UNPAUSE, rmp->endpoint, 0, 0, 0);
		if (!(rmp->sa_flags[sig] & SA_RESTART))
			pm_wait_interrupt(rmp);
	}
	return ret;
}

/* May @rmp signal @t?  MINIX: root, or the real or effective uid of
 * the sender equals the real uid of the target. */
static bool pm_may_signal(const struct mproc *rmp, const struct mproc *t)
{
	return rmp->euid == 0 || rmp->uid == t->uid || rmp->euid == t->uid;
}

int do_kill(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_kill *k = MOL_BODY(m, struct mol_pm_kill);
	int pid = k->pid, sig = k->sig;
	int found = 0, allowed = 0, err = 0, i, ret;

	if (sig < 0 || sig > NR_SIGS || pid == (int)0x80000000)
		return -EINVAL;
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *t = &mproc[i];

		if (!(t->flags & MP_INUSE) || (t->flags & MP_RESERVED))
			continue;
		if (pid > 0 && t->pid != pid)
			continue;
		if (pid == 0 && t->pgid != rmp->pgid)
			continue;
		if (pid < -1 && t->pgid != -pid)
			continue;
		if (pid == -1 && (t->slot < MOL_NR_BOOT_SLOTS || t == rmp))
			continue;
		if (pid <= 0 && t->slot < MOL_NR_BOOT_SLOTS && t->slot != MOL_INIT)
			continue;	/* no group kill of servers */
		found++;
		if (!pm_may_signal(rmp, t))
			continue;
		allowed++;
		if (sig == 0 || t == rmp)
			continue;	/* the caller last, after the others */
		ret = pm_sig_proc(t, sig);
		if (ret < 0 && ret != -ESRCH)
			err = ret;
	}
	if (!found)
		return -ESRCH;
	if (!allowed)
		return -EPERM;
	/* The caller itself: the signal arrives while it waits for us. */
	if (sig && pm_may_signal(rmp, rmp) &&
	    ((pid > 0 && rmp->pid == pid) || (pid == 0) ||
	     (pid < -1 && rmp->pgid == -pid))) {
		ret = pm_sig_proc(rmp, sig);
		if (ret < 0 && ret != -ESRCH)
			err = ret;
	}
	return err;
}

int do_alarm(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_alarm *a = MOL_BODY(m, struct mol_pm_alarm);
	uint64_t now = pm_now_ns(), left = 0;
	uint32_t secs = a->seconds;

	if (secs > 100000000U)
		return -EINVAL;
	if (rmp->alarm_ns > now)
		left = (rmp->alarm_ns - now + 999999999ULL) / 1000000000ULL;
	else if (rmp->alarm_ns)
		left = 1;
	rmp->alarm_ns = secs ? now + (uint64_t)secs * 1000000000ULL : 0;
	memset(a, 0, sizeof(*a));
	a->left = (uint32_t)left;
	return MOL_OK;
}

uint64_t pm_next_alarm(void)
{
	uint64_t next = 0;
	int i;

	for (i = 0; i < NR_PROCS; i++) {
		const struct mproc *p = &mproc[i];

		if ((p->flags & MP_INUSE) && p->alarm_ns &&
		    (!next || p->alarm_ns < next))
			next = p->alarm_ns;
	}
	return next;
}

void pm_check_alarms(void)
{
	uint64_t now = pm_now_ns();
	int i;

	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *p = &mproc[i];

		if (!(p->flags & MP_INUSE) || !p->alarm_ns || p->alarm_ns > now)
			continue;
		p->alarm_ns = 0;
		pm_sig_proc(p, SIGALRM);
	}
}

/*
 * pause and sigsuspend block in the container (a Linux sigsuspend, so a
 * signal from anywhere ends them); PM records the state and the mask,
 * and PM_SIGNAL_DONE ends it.
 */
int do_pause(struct mproc *rmp, struct mol_message *m)
{
	rmp->flags |= MP_PAUSED;
	memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	return MOL_OK;
}

int do_sigsuspend(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_sig *s = MOL_BODY(m, struct mol_pm_sig);
	uint64_t set = s->set & ~UNBLOCKABLE;

	if (!(rmp->flags & MP_PAUSED))
		rmp->savedmask = rmp->sigmask;
	rmp->sigmask = set;
	rmp->sigpending &= set;
	rmp->flags |= MP_PAUSED;
	memset(s, 0, sizeof(*s));
	s->old = rmp->savedmask;
	return MOL_OK;
}

/* The container's pause/sigsuspend returned: mask @set is in force. */
int do_signal_done(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_sig *s = MOL_BODY(m, struct mol_pm_sig);

	rmp->flags &= ~MP_PAUSED;
	rmp->sigmask = s->set & ~UNBLOCKABLE;
	rmp->sigpending &= rmp->sigmask;
	memset(s, 0, sizeof(*s));
	return MOL_OK;
}

/*
 * PM_SIGACTION: @how != 0 sets the action (@disposition, @sa_flags,
 * @sa_mask, handler address in @set), @how == 0 only asks.  The reply
 * has the old action in the same fields, its handler in @old.
 */
int do_sigaction(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_sig *s = MOL_BODY(m, struct mol_pm_sig);
	int sig = s->sig;
	struct mol_pm_sig old;

	if (!pm_sig_valid(sig) || s->disposition > MOL_SIG_CATCH)
		return -EINVAL;
	if (s->how && (SIGBIT(sig) & UNBLOCKABLE) &&
	    s->disposition != MOL_SIG_DFL)
		return -EINVAL;
	memset(&old, 0, sizeof(old));
	old.sig = sig;
	old.disposition = rmp->disp[sig];
	old.sa_flags = rmp->sa_flags[sig];
	old.sa_mask = rmp->sa_mask[sig];
	old.old = rmp->handler[sig];
	if (s->how) {
		rmp->disp[sig] = (uint8_t)s->disposition;
		rmp->sa_flags[sig] = s->sa_flags;
		rmp->sa_mask[sig] = s->sa_mask & ~UNBLOCKABLE;
		rmp->handler[sig] = s->disposition == MOL_SIG_CATCH ? s->set : 0;
		if (s->disposition == MOL_SIG_IGN)
			rmp->sigpending &= ~SIGBIT(sig);
	}
	*s = old;
	return MOL_OK;
}

/* PM_SIGPROCMASK: @how SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK. */
int do_sigprocmask(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_sig *s = MOL_BODY(m, struct mol_pm_sig);
	uint64_t old = rmp->sigmask, set = s->set & ~UNBLOCKABLE;

	switch (s->how) {
	case SIG_BLOCK:
		rmp->sigmask |= set;
		break;
	case SIG_UNBLOCK:
		rmp->sigmask &= ~set;
		break;
	case SIG_SETMASK:
		rmp->sigmask = set;
		break;
	default:
		return -EINVAL;
	}
	/* What is unblocked now, Linux delivers. */
	rmp->sigpending &= rmp->sigmask;
	memset(s, 0, sizeof(*s));
	s->old = old;
	return MOL_OK;
}

int do_sigpending(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_sig *s = MOL_BODY(m, struct mol_pm_sig);

	memset(s, 0, sizeof(*s));
	s->old = rmp->sigpending & rmp->sigmask;
	return MOL_OK;
}

/*
 * The terminal driver notified us: a ^C, ^\ or ^Z was typed.  Ask it
 * (TTY_GETSIG; it never sends us requests, so the sendrec cannot
 * deadlock) and send each signal to the foreground process group it
 * names, only to the members of that group that are in the terminal's
 * session: the driver's record is checked against our table.
 */
void pm_tty_signals(void)
{
	struct mol_message m;
	struct mol_tty_sig *s = MOL_BODY(&m, struct mol_tty_sig);
	int rounds, i, ret;

	for (rounds = 0; rounds < 64; rounds++) {
		memset(&m, 0, sizeof(m));
		m.m_type = TTY_GETSIG;
		ret = mol_sendrec(&pm_mol, MOL_TTY, &m);
		if (ret < 0 || m.m_type < 0)
			return;
		if (!pm_sig_valid(s->sig) || s->pgrp <= 0 || s->sid <= 0) {
			if (pm_verbose)
				fprintf(stderr, "molpm: bad TTY_GETSIG reply "
					"(sig %d, pgrp %d, sid %d)\n", s->sig,
					s->pgrp, s->sid);
		} else {
			for (i = 0; i < NR_PROCS; i++) {
				struct mproc *t = &mproc[i];

				if (!(t->flags & MP_INUSE) ||
				    (t->flags & (MP_RESERVED | MP_ZOMBIE)) ||
				    t->slot < MOL_NR_BOOT_SLOTS ||
				    t->pgid != s->pgrp || t->sid != s->sid)
					continue;
				pm_sig_proc(t, s->sig);
			}
		}
		if (!s->more)
			return;
	}
}

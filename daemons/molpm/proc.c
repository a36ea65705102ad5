// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - the process table: fork, exec, exit, waitpid, death notices,
 * process groups and sessions.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "pm.h"

struct mproc mproc[NR_PROCS];
static pid_t next_pid = FIRST_USER_PID;

#define MAX_RESERVED	4	/* forks in progress per process */

static bool pm_pid_used(pid_t pid)
{
	int i;

	for (i = 0; i < NR_PROCS; i++) {
		const struct mproc *p = &mproc[i];

		if ((p->flags & MP_INUSE) &&
		    (p->pid == pid || p->pgid == pid || p->sid == pid))
			return true;
	}
	return false;
}

static pid_t pm_alloc_pid(void)
{
	int n;

	for (n = 0; n < MAX_PID; n++) {
		pid_t pid = next_pid;

		if (++next_pid >= MAX_PID)
			next_pid = FIRST_USER_PID;
		if (!pm_pid_used(pid))
			return pid;
	}
	return -1;
}

struct mproc *pm_init_proc(void)
{
	struct mproc *p = &mproc[MOL_INIT];

	return (p->flags & MP_INUSE) && !(p->flags & MP_ZOMBIE) ? p : NULL;
}

/*
 * The entry of @endpoint.  With @adopt, an endpoint PM has not seen yet
 * gets one: MOL_INIT is init (pid 1), other boot slots are servers.
 * User slots get an entry only through fork.
 */
struct mproc *pm_proc_by_ep(int endpoint, bool adopt)
{
	int slot = MOL_ENDPOINT_SLOT(endpoint);
	struct mproc *p;

	if (slot < 0 || slot >= NR_PROCS || endpoint == MOL_ANY ||
	    endpoint == MOL_NONE || endpoint == MOL_SELF)
		return NULL;
	p = &mproc[slot];
	if (p->flags & MP_INUSE) {
		if (p->endpoint != endpoint || (p->flags & MP_RESERVED))
			return NULL;
		return p;
	}
	/* Unknown user slots (molctl's, ...) get no entry: anonymous. */
	if (!adopt || slot == MOL_PM || slot >= MOL_NR_BOOT_SLOTS)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->flags = MP_INUSE;
	p->slot = slot;
	p->endpoint = endpoint;
	p->parent = -1;
	if (slot == MOL_INIT) {
		p->pid = INIT_PID;
		snprintf(p->name, sizeof(p->name), "init");
	} else if (slot < MOL_NR_BOOT_SLOTS) {
		p->pid = 2 + slot;
		snprintf(p->name, sizeof(p->name), "server%d", slot);
	}
	p->pgid = p->pid;
	p->sid = p->pid;
	if (pm_verbose)
		fprintf(stderr, "molpm: adopted endpoint %d as pid %d\n",
			endpoint, p->pid);
	return p;
}

struct mproc *pm_proc_by_pid(pid_t pid)
{
	int i;

	if (pid <= 0)
		return NULL;
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *p = &mproc[i];

		if ((p->flags & MP_INUSE) && !(p->flags & MP_RESERVED) &&
		    p->pid == pid)
			return p;
	}
	return NULL;
}

static void pm_release(struct mproc *p)
{
	memset(p, 0, sizeof(*p));
}

/* ---------------------------------------------------------------- */
/* fork                                                              */
/* ---------------------------------------------------------------- */

/* A reservation of @rmp named by @slot, or NULL. */
static struct mproc *pm_reserved(struct mproc *rmp, int slot)
{
	struct mproc *c;

	if (slot < MOL_NR_BOOT_SLOTS || slot >= NR_PROCS)
		return NULL;
	c = &mproc[slot];
	if ((c->flags & (MP_INUSE | MP_RESERVED)) != (MP_INUSE | MP_RESERVED) ||
	    c->reserver != rmp->slot)
		return NULL;
	return c;
}

int do_fork(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_fork *f = MOL_BODY(m, struct mol_pm_fork);
	struct mproc *c = NULL;
	int i, n = 0;
	pid_t pid;

	for (i = MOL_NR_BOOT_SLOTS; i < NR_PROCS; i++) {
		if (!(mproc[i].flags & MP_INUSE)) {
			if (!c)
				c = &mproc[i];
		} else if ((mproc[i].flags & MP_RESERVED) &&
			   mproc[i].reserver == rmp->slot) {
			n++;
		}
	}
	if (!c || n >= MAX_RESERVED)
		return -EAGAIN;
	pid = pm_alloc_pid();
	if (pid < 0)
		return -EAGAIN;
	*c = *rmp;
	c->flags = MP_INUSE | MP_RESERVED;
	c->slot = (int)(c - mproc);
	c->endpoint = MOL_NONE;
	c->pid = pid;
	c->parent = rmp->slot;
	c->linux_pid = 0;
	c->status = 0;
	c->reserver = rmp->slot;
	c->sigpending = 0;
	c->alarm_ns = 0;
	c->utime = c->stime = c->cutime = c->cstime = 0;
	memset(f, 0, sizeof(*f));
	f->child_slot = c->slot;
	f->child_pid = pid;
	return MOL_OK;
}

int do_fork_commit(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_fork *f = MOL_BODY(m, struct mol_pm_fork);
	struct mol_sys_fork *sf;
	struct mol_message sm;
	struct mproc *c;
	int ret;

	c = pm_reserved(rmp, f->child_slot);
	if (!c || f->linux_pid <= 0)
		return -EINVAL;
	memset(&sm, 0, sizeof(sm));
	sf = MOL_BODY(&sm, struct mol_sys_fork);
	sf->slot = c->slot;
	sf->pid = f->linux_pid;
	sf->parent = rmp->endpoint;
	ret = pm_taskcall(SYS_FORK, &sm);
	if (ret >= 0 && MOL_ENDPOINT_SLOT(sf->endpoint) != c->slot)
		ret = -EIO;
	if (ret < 0) {
		/* The child cannot run under MoL: the container kills it. */
		pm_release(c);
		return ret;
	}
	c->flags &= ~MP_RESERVED;
	c->endpoint = sf->endpoint;
	c->linux_pid = f->linux_pid;
	f->child_endpoint = c->endpoint;
	f->child_pid = c->pid;
	/* The child shares the parent's open files, cwd and umask in FS. */
	pm_fs_call(FS_PM_FORK, c->endpoint, rmp->endpoint, 0, 0);
	if (pm_verbose)
		fprintf(stderr, "molpm: fork %d -> %d (ep %d, linux %d)\n",
			rmp->pid, c->pid, c->endpoint, c->linux_pid);
	return MOL_OK;
}

int do_fork_abort(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_fork *f = MOL_BODY(m, struct mol_pm_fork);
	struct mproc *c = pm_reserved(rmp, f->child_slot);

	if (!c)
		return -EINVAL;
	pm_release(c);
	return MOL_OK;
}

/* ---------------------------------------------------------------- */
/* exec                                                              */
/* ---------------------------------------------------------------- */

int do_exec(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_exec *e = MOL_BODY(m, struct mol_pm_exec);

	if (!memchr(e->name, 0, sizeof(e->name)))
		return -EINVAL;
	/* Set-uid/gid claims are honoured only from root (FS will tell). */
	if ((e->setuid || e->setgid) && rmp->euid != 0)
		return -EPERM;
	if (e->setuid > (__u32)INT_MAX || e->setgid > (__u32)INT_MAX)
		return -EINVAL;
	if (e->setuid)
		rmp->euid = (int)e->setuid - 1;
	if (e->setgid)
		rmp->egid = (int)e->setgid - 1;
	memset(rmp->name, 0, sizeof(rmp->name));
	memcpy(rmp->name, e->name,
	       strnlen(e->name, sizeof(rmp->name) - 1));
	pm_sig_reset_exec(rmp);
	pm_fs_call(FS_PM_EXEC, rmp->endpoint, 0, 0, 0);
	if (e->setuid || e->setgid)
		pm_fs_call(FS_PM_SETIDS, rmp->endpoint, 0, rmp->euid,
			   rmp->egid);
	return MOL_OK;
}

/* ---------------------------------------------------------------- */
/* exit and wait                                                     */
/* ---------------------------------------------------------------- */

static bool pm_wait_match(const struct mproc *parent, const struct mproc *c,
			  pid_t wpid)
{
	if (!(c->flags & MP_INUSE) || (c->flags & MP_RESERVED) ||
	    c->parent != parent->slot)
		return false;
	if (wpid > 0)
		return c->pid == wpid;
	if (wpid == -1)
		return true;
	if (wpid == 0)
		return c->pgid == parent->pgid;
	return c->pgid == -wpid;
}

/* @parent reaps zombie @c: fill the wait reply in @m, free @c. */
static void pm_reap(struct mproc *parent, struct mproc *c,
		    struct mol_message *m)
{
	struct mol_pm_wait *w = MOL_BODY(m, struct mol_pm_wait);

	w->ret_pid = c->pid;
	w->status = c->status;
	w->linux_pid = c->linux_pid;
	parent->cutime += c->utime + c->cutime;
	parent->cstime += c->stime + c->cstime;
	pm_release(c);
}

/*
 * What waitpid with @options can tell @parent of child @c, into @m: a
 * zombie is reaped; with WUNTRACED a stop, with WCONTINUED a SIGCONT not
 * told yet (status as Linux's: W_STOPCODE(sig), 0xffff).  False: nothing.
 */
static bool pm_wait_news(struct mproc *parent, struct mproc *c,
			 int options, struct mol_message *m)
{
	struct mol_pm_wait *w = MOL_BODY(m, struct mol_pm_wait);

	memset(w, 0, sizeof(*w));
	if (c->flags & MP_ZOMBIE) {
		pm_reap(parent, c, m);
		return true;
	}
	if ((options & WUNTRACED) && (c->flags & MP_STOP_NEWS)) {
		c->flags &= ~MP_STOP_NEWS;
		w->status = (c->stopsig << 8) | 0x7f;
	} else if ((options & WCONTINUED) && (c->flags & MP_CONT_NEWS)) {
		c->flags &= ~MP_CONT_NEWS;
		w->status = 0xffff;
	} else {
		return false;
	}
	w->ret_pid = c->pid;
	w->linux_pid = c->linux_pid;
	return true;
}

/* @parent waits: is there news of a child for it?  Reply if so. */
static void pm_try_wait(struct mproc *parent)
{
	struct mol_message m;
	int i;

	if (!(parent->flags & MP_WAITING))
		return;
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *c = &mproc[i];

		memset(&m, 0, sizeof(m));
		if (!pm_wait_match(parent, c, parent->wpid) ||
		    !pm_wait_news(parent, c, parent->woptions, &m))
			continue;
		parent->flags &= ~MP_WAITING;
		pm_reply(parent, MOL_OK, &m);
		return;
	}
}

/*
 * @rmp was stopped by signal @sig (PM sent it and its action is to
 * stop), or continued (@sig 0): remember it for the parent's waitpid
 * (WUNTRACED, WCONTINUED).  Linux itself sends the parent its SIGCHLD.
 */
void pm_stop_change(struct mproc *rmp, int sig)
{
	struct mproc *parent;

	if (sig) {
		rmp->flags |= MP_STOPPED | MP_STOP_NEWS;
		rmp->flags &= ~MP_CONT_NEWS;
		rmp->stopsig = sig;
		/* its terminal read waits again once it runs */
		pm_fs_call(FS_PM_STOP, rmp->endpoint, 0, 0, 0);
	} else {
		if (!(rmp->flags & MP_STOPPED))
			return;
		rmp->flags &= ~(MP_STOPPED | MP_STOP_NEWS);
		rmp->flags |= MP_CONT_NEWS;
	}
	parent = rmp->parent >= 0 ? &mproc[rmp->parent] : NULL;
	if (parent && (parent->flags & MP_INUSE) &&
	    !(parent->flags & MP_ZOMBIE))
		pm_try_wait(parent);
}

/* A waiting @parent that can no longer be satisfied gets ECHILD. */
static void pm_wait_check_children(struct mproc *parent)
{
	struct mol_message m;
	int i;

	if (!(parent->flags & MP_WAITING))
		return;
	for (i = 0; i < NR_PROCS; i++)
		if (pm_wait_match(parent, &mproc[i], parent->wpid))
			return;
	parent->flags &= ~MP_WAITING;
	memset(&m, 0, sizeof(m));
	pm_reply(parent, -ECHILD, &m);
}

/*
 * @rmp is gone with wait status @status: MINIX's exit: make it a zombie,
 * give its children to init, tell a waiting parent.  @unregister: the
 * process said PM_EXIT and still runs; free its IPC slot now.
 */
void pm_exit_proc(struct mproc *rmp, int status, bool unregister)
{
	struct mproc *parent, *init;
	struct mol_message sm;
	int i;

	if (rmp->flags & (MP_ZOMBIE | MP_RESERVED))
		return;
	if (unregister) {
		struct mol_sys_times *t;

		memset(&sm, 0, sizeof(sm));
		t = MOL_BODY(&sm, struct mol_sys_times);
		t->endpoint = rmp->endpoint;
		if (pm_taskcall(SYS_TIMES, &sm) == MOL_OK) {
			rmp->utime = t->user;
			rmp->stime = t->system;
		}
		memset(&sm, 0, sizeof(sm));
		MOL_BODY(&sm, struct mol_sys_proc)->endpoint = rmp->endpoint;
		pm_taskcall(SYS_EXIT, &sm);
		rmp->flags |= MP_EXITING;
	}
	/* FS closes its files (a suspended pipe call is dropped). */
	pm_fs_call(FS_PM_EXIT, rmp->endpoint, 0, 0, 0);
	rmp->flags |= MP_ZOMBIE;
	rmp->flags &= ~(MP_WAITING | MP_PAUSED | MP_STOPPED | MP_STOP_NEWS |
			MP_CONT_NEWS);
	rmp->status = status;
	rmp->alarm_ns = 0;
	if (pm_verbose)
		fprintf(stderr, "molpm: pid %d exits, status 0x%x\n",
			rmp->pid, status);

	init = pm_init_proc();
	if (init == rmp)
		init = NULL;
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *c = &mproc[i];

		if (!(c->flags & MP_INUSE) || c == rmp)
			continue;
		if ((c->flags & MP_RESERVED) && c->reserver == rmp->slot) {
			pm_release(c);	/* a fork in progress dies with it */
			continue;
		}
		if (c->parent != rmp->slot)
			continue;
		c->parent = init ? init->slot : -1;
		if (!(c->flags & MP_ZOMBIE))
			continue;
		if (!init)
			pm_release(c);
	}
	if (init)
		pm_try_wait(init);

	parent = rmp->parent >= 0 ? &mproc[rmp->parent] : NULL;
	if (!parent || !(parent->flags & MP_INUSE) ||
	    (parent->flags & MP_ZOMBIE) ||
	    parent->disp[SIGCHLD] == MOL_SIG_IGN) {
		pm_release(rmp);	/* nobody will reap it */
		if (parent)
			pm_wait_check_children(parent);
		return;
	}
	pm_try_wait(parent);
}

int do_exit(struct mproc *rmp, struct mol_message *m)
{
	int status = MOL_BODY(m, struct mol_pm_exit)->status;
	int sig = status & 0x7f;

	/* A wait status: W_EXITCODE(code, 0), or a signal (+ core bit). */
	if (sig == 0 ? (status & ~0xff00) != 0 :
	    (sig > NR_SIGS || sig == 0x7f || (status & ~0xff)))
		return -EINVAL;
	memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	pm_reply(rmp, MOL_OK, m);
	pm_exit_proc(rmp, status, true);
	return SUSPEND;
}

int do_waitpid(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_wait *w = MOL_BODY(m, struct mol_pm_wait);
	pid_t wpid = w->pid;
	int options = w->options;
	bool found = false;
	int i;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED))
		return -EINVAL;
	if (wpid == INT_MIN)
		return -ESRCH;
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *c = &mproc[i];

		if (!pm_wait_match(rmp, c, wpid))
			continue;
		found = true;
		if (pm_wait_news(rmp, c, options, m))
			return MOL_OK;
	}
	if (!found)
		return -ECHILD;
	if (options & WNOHANG) {
		memset(w, 0, sizeof(*w));
		return MOL_OK;
	}
	rmp->flags |= MP_WAITING;
	rmp->wpid = wpid;
	rmp->woptions = options;
	return SUSPEND;
}

/* A waiting process that got a caught signal: waitpid fails EINTR. */
void pm_wait_interrupt(struct mproc *rmp)
{
	struct mol_message m;

	if (!(rmp->flags & MP_WAITING))
		return;
	rmp->flags &= ~MP_WAITING;
	memset(&m, 0, sizeof(m));
	pm_reply(rmp, -EINTR, &m);
}

/* Death notices: the system task has dead endpoints for us. */
void pm_deaths(void)
{
	struct mol_sys_dead *d;
	struct mol_message m;
	unsigned int i;
	int ret, rounds;

	for (rounds = 0; rounds < 64; rounds++) {
		memset(&m, 0, sizeof(m));
		d = MOL_BODY(&m, struct mol_sys_dead);
		d->what = SYS_INFO_DEAD;
		ret = pm_taskcall(SYS_GETINFO, &m);
		if (ret < 0) {
			if (pm_verbose)
				fprintf(stderr, "molpm: SYS_INFO_DEAD: %s\n",
					mol_strerror(ret));
			return;
		}
		for (i = 0; i < d->count && i < SYS_INFO_DEAD_MAX; i++) {
			struct mproc *p = pm_proc_by_ep(d->ent[i].endpoint,
							false);
			int status = d->ent[i].status;

			if (!p || (p->flags & MP_ZOMBIE))
				continue;
			if (status == -1)
				status = W_EXITCODE(255, 0);
			pm_exit_proc(p, status & 0xffff, false);
		}
		if (!d->more)
			return;
	}
}

/* ---------------------------------------------------------------- */
/* Process groups and sessions                                       */
/* ---------------------------------------------------------------- */

static void pm_fill_ids(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_ids *ids = MOL_BODY(m, struct mol_pm_ids);
	struct mproc *parent = rmp->parent >= 0 ? &mproc[rmp->parent] : NULL;

	memset(ids, 0, sizeof(*ids));
	ids->pid = rmp->pid;
	ids->pgid = rmp->pgid;
	ids->ppid = parent && (parent->flags & MP_INUSE) ? parent->pid : 0;
	ids->sid = rmp->sid;
}

int do_getpid(struct mproc *rmp, struct mol_message *m)
{
	pm_fill_ids(rmp, m);
	return MOL_OK;
}

int do_getpgrp(struct mproc *rmp, struct mol_message *m)
{
	pm_fill_ids(rmp, m);
	return MOL_OK;
}

int do_setsid(struct mproc *rmp, struct mol_message *m)
{
	int i;

	for (i = 0; i < NR_PROCS; i++) {
		const struct mproc *p = &mproc[i];

		if ((p->flags & MP_INUSE) && !(p->flags & MP_RESERVED) &&
		    p->pgid == rmp->pid)
			return -EPERM;	/* already a group leader */
	}
	rmp->sid = rmp->pid;
	rmp->pgid = rmp->pid;
	pm_fill_ids(rmp, m);
	return MOL_OK;
}

int do_setpgid(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_ids *ids = MOL_BODY(m, struct mol_pm_ids);
	pid_t pid = ids->pid, pgid = ids->pgid;
	struct mproc *t;
	int i;

	if (pid < 0 || pgid < 0)
		return -EINVAL;
	t = pid == 0 ? rmp : pm_proc_by_pid(pid);
	if (!t || (t != rmp && t->parent != rmp->slot))
		return -ESRCH;
	if (pgid == 0)
		pgid = t->pid;
	if (t->sid == t->pid || t->sid != rmp->sid)
		return -EPERM;
	if (pgid != t->pid) {
		for (i = 0; i < NR_PROCS; i++) {
			const struct mproc *p = &mproc[i];

			if ((p->flags & MP_INUSE) &&
			    !(p->flags & (MP_RESERVED | MP_ZOMBIE)) &&
			    p->pgid == pgid && p->sid == rmp->sid)
				break;
		}
		if (i == NR_PROCS)
			return -EPERM;
	}
	t->pgid = pgid;
	pm_fill_ids(rmp, m);
	return MOL_OK;
}

int do_getpgid(struct mproc *rmp, struct mol_message *m)
{
	pid_t pid = MOL_BODY(m, struct mol_pm_ids)->pid;
	struct mproc *t;

	if (pid < 0)
		return -EINVAL;
	t = pid == 0 ? rmp : pm_proc_by_pid(pid);
	if (!t)
		return -ESRCH;
	pm_fill_ids(t, m);
	return MOL_OK;
}

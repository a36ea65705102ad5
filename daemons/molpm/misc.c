// SPDX-License-Identifier: GPL-2.0
/*
 * misc.c - credentials, times, brk, reboot and the process table rows
 * for `molctl ps`.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pm.h"

int do_getuid(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_cred *c = MOL_BODY(m, struct mol_pm_cred);

	memset(c, 0, sizeof(*c));
	c->uid = rmp->uid;
	c->euid = rmp->euid;
	c->gid = rmp->gid;
	c->egid = rmp->egid;
	return MOL_OK;
}

/* MINIX: root sets both ids; anyone may set the effective to the real. */
int do_setuid(struct mproc *rmp, struct mol_message *m)
{
	int uid = MOL_BODY(m, struct mol_pm_cred)->uid;

	if (uid < 0)
		return -EINVAL;
	if (rmp->euid == 0)
		rmp->uid = uid;
	else if (uid != rmp->uid)
		return -EPERM;
	rmp->euid = uid;
	pm_fs_call(FS_PM_SETIDS, rmp->endpoint, 0, rmp->euid, rmp->egid);
	return do_getuid(rmp, m);
}

int do_setgid(struct mproc *rmp, struct mol_message *m)
{
	int gid = MOL_BODY(m, struct mol_pm_cred)->gid;

	if (gid < 0)
		return -EINVAL;
	if (rmp->euid == 0)
		rmp->gid = gid;
	else if (gid != rmp->gid)
		return -EPERM;
	rmp->egid = gid;
	pm_fs_call(FS_PM_SETIDS, rmp->endpoint, 0, rmp->euid, rmp->egid);
	return do_getuid(rmp, m);
}

int do_times(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_times *t = MOL_BODY(m, struct mol_pm_times);
	struct mol_sys_times *st;
	struct mol_message sm;
	int ret;

	memset(&sm, 0, sizeof(sm));
	st = MOL_BODY(&sm, struct mol_sys_times);
	st->endpoint = rmp->endpoint;
	ret = pm_taskcall(SYS_TIMES, &sm);
	memset(t, 0, sizeof(*t));
	if (ret == MOL_OK) {
		t->utime = st->user;
		t->stime = st->system;
		t->uptime = st->uptime;
	}
	t->cutime = rmp->cutime;
	t->cstime = rmp->cstime;
	return MOL_OK;
}

/* Bookkeeping only: Linux manages the memory; 0 asks. */
int do_brk(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_brk *b = MOL_BODY(m, struct mol_pm_brk);

	if (b->addr)
		rmp->brk = b->addr;
	b->addr = rmp->brk;
	return MOL_OK;
}

/*
 * PM_REBOOT (root or a server): how in m_u32[0].  PM answers, then ends:
 * the system task shuts the instance down when a boot process is gone.
 */
int do_reboot(struct mproc *rmp, struct mol_message *m)
{
	if (rmp && rmp->euid != 0 && rmp->slot >= MOL_NR_BOOT_SLOTS &&
	    rmp->slot != MOL_INIT)
		return -EPERM;
	if (m->m_u.m_u32[0] != MOL_REBOOT_HALT)
		return -EINVAL;
	memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	m->m_type = MOL_OK;
	mol_sendnb(&pm_mol, m->m_source, m);
	mol_close(&pm_mol);
	exit(0);
}

int do_proctab(struct mproc *rmp, struct mol_message *m)
{
	struct mol_pm_proc *r = MOL_BODY(m, struct mol_pm_proc);
	int index = r->index, i, n = 0;

	if (index < 0)
		return -EINVAL;
	for (i = 0; i < NR_PROCS; i++) {
		struct mproc *p = &mproc[i];
		struct mproc *parent;

		if (!(p->flags & MP_INUSE) || (p->flags & MP_RESERVED))
			continue;
		if (n++ != index)
			continue;
		parent = p->parent >= 0 ? &mproc[p->parent] : NULL;
		memset(r, 0, sizeof(*r));
		r->index = index;
		r->endpoint = p->endpoint;
		r->pid = p->pid;
		r->ppid = parent && (parent->flags & MP_INUSE) ? parent->pid : 0;
		r->linux_pid = p->linux_pid;
		r->pgid = p->pgid;
		r->uid = p->uid;
		if (p->flags & MP_ZOMBIE)
			r->state = MOL_PSTATE_ZOMBIE;
		else if (p->flags & MP_WAITING)
			r->state = MOL_PSTATE_WAITING;
		else if (p->flags & MP_PAUSED)
			r->state = MOL_PSTATE_PAUSED;
		else
			r->state = MOL_PSTATE_RUNNING;
		memcpy(r->name, p->name, sizeof(r->name) - 1);
		return MOL_OK;
	}
	return -ESRCH;
}

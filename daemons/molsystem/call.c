// SPDX-License-Identifier: GPL-2.0
/*
 * call.c - the kernel calls of the system task: one dispatch table,
 * call number -> handler.  Every handler gets the request in place and
 * returns the m_type of the reply (MOL_OK or -errno).  A request is
 * untrusted: every field is checked; nothing here may crash molsystem.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "molsystem.h"

typedef int (*sys_handler)(struct sys_proc *caller, struct mol_message *m);

/* A user (or init) endpoint the caller may act on. */
static struct sys_proc *target(int endpoint)
{
	struct sys_proc *p = sys_lookup(endpoint);

	if (!p || p->kind == SK_TASK || p->kind == SK_CTL)
		return NULL;
	return p;
}

static int do_fork(struct sys_proc *caller, struct mol_message *m)
{
	struct mol_sys_fork *f = MOL_BODY(m, struct mol_sys_fork);
	struct molipc_priv priv;
	struct sys_proc *p;
	int slot = f->slot, ep, ret;

	if (f->pid <= 0 || !sys_lookup(f->parent))
		return -EINVAL;
	if (slot == -1) {
		for (slot = MOL_NR_BOOT_SLOTS; slot < (int)sys.nr_procs; slot++)
			if (sys_slot(slot)->kind == SK_FREE)
				break;
		if (slot >= (int)sys.nr_procs)
			return -EAGAIN;
	}
	if (slot < MOL_NR_BOOT_SLOTS || slot >= (int)sys.nr_procs)
		return -EINVAL;
	p = sys_slot(slot);
	if (p->kind != SK_FREE)
		return -EBUSY;
	if (kill(f->pid, 0) < 0 && errno == ESRCH)
		return -ESRCH;
	sys_priv_user(&priv, 0);
	ret = mol_register(&sys.mol, f->pid, slot, &priv, &ep);
	if (ret < 0)
		return ret;
	memset(p, 0, sizeof(*p));
	p->endpoint = ep;
	p->pid = f->pid;
	p->kind = SK_USER;
	snprintf(p->name, sizeof(p->name), "user");
	f->endpoint = ep;
	return MOL_OK;
}

static int do_exec(struct sys_proc *caller, struct mol_message *m)
{
	struct mol_sys_proc *r = MOL_BODY(m, struct mol_sys_proc);
	struct sys_proc *p = target(r->endpoint);

	if (!p)
		return -EINVAL;
	/* Bookkeeping only: the name shown by molctl ps. */
	snprintf(p->name, sizeof(p->name), "user");
	return MOL_OK;
}

static int do_exit(struct sys_proc *caller, struct mol_message *m)
{
	struct mol_sys_proc *r = MOL_BODY(m, struct mol_sys_proc);
	struct sys_proc *p = target(r->endpoint);
	int ret;

	if (!p || p->kind != SK_USER || r->endpoint == MOL_INIT)
		return -EINVAL;
	ret = mol_unregister(&sys.mol, r->endpoint);
	if (ret < 0 && ret != MOL_EDEADSRCDST)
		return ret;
	memset(p, 0, sizeof(*p));
	return MOL_OK;
}

static int do_privctl(struct sys_proc *caller, struct mol_message *m)
{
	struct mol_sys_proc *r = MOL_BODY(m, struct mol_sys_proc);
	struct sys_proc *p = target(r->endpoint);
	struct molipc_priv priv;
	int ret;

	if (!p || r->pad)
		return -EINVAL;
	switch (r->priv_preset) {
	case MOL_PRIV_USER:
		sys_priv_user(&priv, 0);
		break;
	case MOL_PRIV_SERVER:
		memset(&priv, 0, sizeof(priv));
		memset(priv.send_mask, 0xff, sizeof(priv.send_mask));
		priv.trap_mask = MOLIPC_TRAPS_ALL;
		priv.flags = MOLIPC_PRIV_SEND_USERS;
		break;
	default:
		return -EINVAL;
	}
	ret = mol_setpriv(&sys.mol, r->endpoint, &priv);
	if (ret < 0)
		return ret;
	if (r->priv_preset == MOL_PRIV_SERVER) {
		p->kind = SK_SERVER;
		p->calls = SYS_CALLS_ALL & ~SYS_CALL_BIT(SYS_KILL);
	} else {
		p->kind = SK_USER;
		p->calls = 0;
	}
	return MOL_OK;
}

/* Clock ticks now, asked from the clock task; 0 if it does not answer. */
static uint64_t uptime_ticks(void)
{
	struct mol_message c;

	memset(&c, 0, sizeof(c));
	c.m_type = CLK_GETTIME;
	if (sys_clock_call(&c) < 0 || c.m_type != MOL_OK)
		return 0;
	return MOL_BODY(&c, struct mol_sys_clock)->ticks;
}

static int do_times(struct sys_proc *caller, struct mol_message *m)
{
	struct mol_sys_times *t = MOL_BODY(m, struct mol_sys_times);
	unsigned long long ut = 0, st = 0;
	struct sys_proc *p = sys_lookup(t->endpoint);
	char path[64], buf[1024], *s;
	long tck = sysconf(_SC_CLK_TCK);
	FILE *f;

	if (!p || t->pad)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)p->pid);
	f = fopen(path, "r");
	if (!f)
		return -ESRCH;
	s = fgets(buf, sizeof(buf), f);
	fclose(f);
	/* comm may hold blanks and parentheses: parse after the last ')'. */
	s = s ? strrchr(buf, ')') : NULL;
	if (!s || sscanf(s + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &ut, &st) != 2)
		return -ESRCH;
	if (tck <= 0)
		tck = 100;
	t->user = ut * sys.hz / tck;
	t->system = st * sys.hz / tck;
	t->uptime = uptime_ticks();
	t->boottime = sys.boot_realtime;
	return MOL_OK;
}

static int do_getinfo(struct sys_proc *caller, struct mol_message *m)
{
	struct mol_sys_dead *d = MOL_BODY(m, struct mol_sys_dead);
	unsigned int what = d->what, n = 0;

	switch (what) {
	case SYS_INFO_DEAD:
		memset(d, 0, sizeof(*d));
		d->what = what;
		while (n < SYS_INFO_DEAD_MAX && sys.dead_len) {
			struct sys_dead_rec *r = &sys.dead[sys.dead_head];

			d->ent[n].endpoint = r->endpoint;
			d->ent[n].status = r->status;
			sys.dead_head = (sys.dead_head + 1) % sys.dead_cap;
			sys.dead_len--;
			n++;
		}
		d->count = n;
		d->more = sys.dead_len != 0;
		return MOL_OK;
	case SYS_INFO_CLOCK:
		memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
		m->m_type = CLK_GETTIME;
		if (sys_clock_call(m) < 0)
			return -EAGAIN;
		MOL_BODY(m, struct mol_sys_clock)->what = what;
		return m->m_type;
	default:
		return -EINVAL;
	}
}

static int do_kill(struct sys_proc *caller, struct mol_message *m)
{
	struct mol_sys_proc *r = MOL_BODY(m, struct mol_sys_proc);
	struct sys_proc *p = target(r->endpoint);

	if (caller->endpoint != MOL_PM)
		return -EPERM;
	if (!p || r->sig < 0 || r->sig > 64 || p->pid <= 0)
		return -EINVAL;
	if (kill(p->pid, r->sig) < 0)
		return -errno;
	return MOL_OK;
}

static int do_setalarm(struct sys_proc *caller, struct mol_message *m)
{
	struct mol_sys_alarm *a = MOL_BODY(m, struct mol_sys_alarm);
	struct mol_clk_alarm *c = MOL_BODY(m, struct mol_clk_alarm);
	uint64_t ticks = a->ticks;
	int ret;

	memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	m->m_type = CLK_SETALARM;
	c->endpoint = caller->endpoint;
	c->ticks = ticks;
	ret = sys_clock_call(m);
	if (ret < 0)
		return -EAGAIN;
	ret = m->m_type;
	ticks = c->left;
	memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	a->left = ticks;
	return ret;
}

static const sys_handler sys_calls[SYS_NR_CALLS] = {
	[SYS_FORK - SYS_BASE]		= do_fork,
	[SYS_EXEC - SYS_BASE]		= do_exec,
	[SYS_EXIT - SYS_BASE]		= do_exit,
	[SYS_PRIVCTL - SYS_BASE]	= do_privctl,
	[SYS_TIMES - SYS_BASE]		= do_times,
	[SYS_GETINFO - SYS_BASE]	= do_getinfo,
	[SYS_KILL - SYS_BASE]		= do_kill,
	[SYS_SETALARM - SYS_BASE]	= do_setalarm,
};

/*
 * One kernel call: check the caller against its call mask, run the
 * handler; the reply is built in place in @m.  Returns MOL_OK.
 */
int sys_dispatch(struct mol_message *m)
{
	struct sys_proc *caller = sys_lookup(m->m_source);
	int call = m->m_type, ret;

	if (!caller || (caller->kind != SK_SERVER && caller->kind != SK_TASK)) {
		ret = -EPERM;
	} else if (call < SYS_BASE || call >= SYS_BASE + SYS_NR_CALLS ||
		   !sys_calls[call - SYS_BASE]) {
		ret = -EINVAL;
	} else if (!(caller->calls & SYS_CALL_BIT(call))) {
		ret = -EPERM;
	} else {
		ret = sys_calls[call - SYS_BASE](caller, m);
	}
	if (ret < 0)
		memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	m->m_type = ret;
	return MOL_OK;
}

static void dead_push(int endpoint, int status)
{
	struct sys_dead_rec *r;

	if (sys.dead_len == sys.dead_cap) {
		sys_log("death queue full, dropping endpoint %d", endpoint);
		return;
	}
	r = &sys.dead[(sys.dead_head + sys.dead_len) % sys.dead_cap];
	r->endpoint = endpoint;
	r->status = status;
	sys.dead_len++;
}

/*
 * A MOL_KERNEL notice: take the death records, queue those PM must hear
 * about and notify PM (never a send: PM may be in sendrec to us).
 */
void sys_deaths(void)
{
	struct molipc_dead dead;
	unsigned int i, queued = 0;
	int ret;

	do {
		memset(&dead, 0, sizeof(dead));
		dead.count = MOLIPC_DEAD_MAX;
		ret = mol_dead(&sys.mol, &dead);
		if (ret < 0) {
			sys_log("mol_dead: %s", mol_strerror(ret));
			return;
		}
		for (i = 0; i < dead.count; i++) {
			int ep = dead.ent[i].endpoint;
			struct sys_proc *p = sys_lookup(ep);

			if (!p)
				continue;
			if (ep == MOL_PM || ep == MOL_INIT || ep == MOL_CLOCK) {
				sys_log("%s (endpoint %d, pid %d) died, status %d: shutting down",
					p->name, ep, (int)p->pid,
					dead.ent[i].status);
				sys.stop = 1;
				sys.stop_reason = p->name;
			}
			if (p->kind == SK_USER || p->kind == SK_SERVER) {
				dead_push(ep, dead.ent[i].status);
				queued++;
			}
			memset(p, 0, sizeof(*p));
		}
	} while (dead.count == MOLIPC_DEAD_MAX);
	if (queued && sys_slot(MOL_PM)->kind != SK_FREE) {
		ret = mol_notify(&sys.mol, MOL_PM);
		if (ret < 0)
			sys_log("notify PM: %s", mol_strerror(ret));
	}
}

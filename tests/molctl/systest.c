// SPDX-License-Identifier: GPL-2.0
/*
 * systest - checks of the system task's kernel calls, two roles:
 *
 *   molctl-systest [pm]
 *	A stand-in PM (started by molsystem for slot MOL_PM through the
 *	config file: [servers] pm = .../molctl-systest).  It makes good
 *	and malformed kernel calls as a server, writes one "ok/FAIL NAME"
 *	line per check to $SYSTEST_LOG, then serves PM_PROCTAB (itself
 *	only) and takes death notices like PM.
 *   molctl-systest probe RUNDIR
 *	Gets a temporary endpoint from molsystem (system.sock) that may
 *	send to SYSTEM but has no kernel calls, and checks every call
 *	gets -EPERM.  Prints the same lines on stdout.
 * Exit status: 0 when every check passed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mol.h"
#include <linux/molcalls.h>
#include "../../daemons/molctl/molctl_proto.h"

static struct mol mol;
static FILE *out;
static int failed;

static void check(int ok, const char *fmt, ...)
{
	va_list ap;

	fprintf(out, "%s ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
	if (!ok)
		failed++;
}

/* One kernel call; returns the reply's m_type (or the IPC error). */
static int kcall(int type, struct mol_message *m)
{
	int ret;

	m->m_type = type;
	ret = mol_sendrec(&mol, MOL_SYSTEM, m);
	return ret < 0 ? ret : m->m_type;
}

static void pm_checks(void)
{
	struct mol_message m;
	unsigned int status;
	int ret, i;

	memset(&m, 0, sizeof(m));
	check(kcall(SYS_BASE + 99, &m) == -EINVAL, "unknown call -> EINVAL");
	memset(&m, 0, sizeof(m));
	check(kcall(0x1234567, &m) == -EINVAL, "garbage call -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_dead)->what = 77;
	check(kcall(SYS_GETINFO, &m) == -EINVAL, "getinfo bad what -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_proc)->endpoint = 12345;
	MOL_BODY(&m, struct mol_sys_proc)->sig = 9;
	check(kcall(SYS_KILL, &m) == -EINVAL, "kill bad endpoint -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_proc)->endpoint = MOL_INIT;
	MOL_BODY(&m, struct mol_sys_proc)->sig = 1000;
	check(kcall(SYS_KILL, &m) == -EINVAL, "kill bad signal -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_proc)->endpoint = MOL_SYSTEM;
	check(kcall(SYS_KILL, &m) == -EINVAL, "kill the system task -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_fork)->pid = -5;
	MOL_BODY(&m, struct mol_sys_fork)->parent = MOL_INIT;
	check(kcall(SYS_FORK, &m) == -EINVAL, "fork bad pid -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_fork)->pid = getpid();
	MOL_BODY(&m, struct mol_sys_fork)->parent = MOL_INIT;
	MOL_BODY(&m, struct mol_sys_fork)->slot = MOL_PM;
	check(kcall(SYS_FORK, &m) == -EINVAL, "fork into a boot slot -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_proc)->endpoint = MOL_INIT;
	MOL_BODY(&m, struct mol_sys_proc)->priv_preset = 42;
	check(kcall(SYS_PRIVCTL, &m) == -EINVAL, "privctl bad preset -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_proc)->endpoint = MOL_INIT;
	check(kcall(SYS_EXIT, &m) == -EINVAL, "exit of init -> EINVAL");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_times)->endpoint = 0x7777;
	check(kcall(SYS_TIMES, &m) == -EINVAL, "times bad endpoint -> EINVAL");

	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_times)->endpoint = MOL_PM;
	ret = kcall(SYS_TIMES, &m);
	check(ret == 0 && MOL_BODY(&m, struct mol_sys_times)->boottime > 0,
	      "times of PM -> OK (ret %d)", ret);
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_clock)->what = SYS_INFO_CLOCK;
	ret = kcall(SYS_GETINFO, &m);
	check(ret == 0 && MOL_BODY(&m, struct mol_sys_clock)->hz > 0 &&
	      MOL_BODY(&m, struct mol_sys_clock)->realtime_ns > 0,
	      "getinfo clock -> hz %u, ticks %llu (ret %d)",
	      MOL_BODY(&m, struct mol_sys_clock)->hz,
	      (unsigned long long)MOL_BODY(&m, struct mol_sys_clock)->ticks,
	      ret);
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_dead)->what = SYS_INFO_DEAD;
	ret = kcall(SYS_GETINFO, &m);
	check(ret == 0 && MOL_BODY(&m, struct mol_sys_dead)->count == 0,
	      "getinfo dead, none queued -> OK");
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_sys_alarm)->ticks = 3;
	ret = kcall(SYS_SETALARM, &m);
	check(ret == 0, "setalarm 3 ticks -> OK (ret %d)", ret);
	for (i = 0; i < 10; i++) {
		ret = mol_receive(&mol, MOL_ANY, &m, &status);
		if (ret < 0 || m.m_source == MOL_CLOCK)
			break;
	}
	check(ret == 0 && (status & MOLIPC_STATUS_NOTIFY) &&
	      m.m_source == MOL_CLOCK, "alarm notification from CLOCK");
	fprintf(out, "systest: %d failed\n", failed);
	fflush(out);
}

/* Serve like a tiny PM: PM_PROCTAB (row 0: us), death notices. */
static void pm_serve(void)
{
	struct mol_message m;
	unsigned int status;
	int ret;

	for (;;) {
		ret = mol_receive(&mol, MOL_ANY, &m, &status);
		if (ret == MOL_EINSTGONE)
			exit(0);
		if (ret < 0)
			continue;
		if (status & MOLIPC_STATUS_NOTIFY) {
			if (m.m_source == MOL_SYSTEM) {
				memset(&m, 0, sizeof(m));
				MOL_BODY(&m, struct mol_sys_dead)->what =
					SYS_INFO_DEAD;
				kcall(SYS_GETINFO, &m);
			}
			continue;
		}
		if (m.m_type == PM_PROCTAB &&
		    MOL_BODY(&m, struct mol_pm_proc)->index == 0) {
			struct mol_pm_proc *p = MOL_BODY(&m, struct mol_pm_proc);

			memset(p, 0, sizeof(*p));
			p->endpoint = MOL_PM;
			p->pid = 0;
			p->linux_pid = getpid();
			snprintf(p->name, sizeof(p->name), "pmstub");
			m.m_type = 0;
		} else {
			memset(m.m_u.m_raw, 0, sizeof(m.m_u.m_raw));
			m.m_type = -ESRCH;
		}
		mol_send(&mol, m.m_source, &m);
	}
}

static int role_pm(void)
{
	const char *inst = getenv("MOL_INSTANCE");
	const char *log = getenv("SYSTEST_LOG");
	int ret;

	out = log ? fopen(log, "w") : stderr;
	if (!out || !inst)
		return 2;
	ret = mol_open(&mol, NULL);
	if (!ret)
		ret = mol_bind(&mol, strtoul(inst, NULL, 10), MOL_PM, NULL);
	if (ret < 0) {
		fprintf(out, "FAIL bind: %s\n", mol_strerror(ret));
		return 1;
	}
	pm_checks();
	pm_serve();
	return 0;
}

static int attach(const char *rundir, int kind, struct molctl_attach *a)
{
	char path[512];
	struct molctl_hdr h;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/system.sock", rundir);
	fd = molctl_connect(path);
	if (fd < 0)
		return fd;
	ret = molctl_send(fd, MOLCTL_ATTACH, kind, NULL, 0, NULL, 0);
	if (!ret)
		ret = molctl_recv(fd, &h, a, sizeof(*a), NULL, NULL);
	close(fd);
	if (ret < 0)
		return ret;
	return h.arg < 0 ? h.arg : (ret == sizeof(*a) ? 0 : -EPROTO);
}

static int role_probe(const char *rundir)
{
	static const int calls[] = { SYS_FORK, SYS_EXEC, SYS_EXIT, SYS_PRIVCTL,
				     SYS_TIMES, SYS_GETINFO, SYS_KILL,
				     SYS_SETALARM, SYS_BASE + 50, 0 };
	struct molctl_attach a;
	struct mol_message m;
	unsigned int i;
	int ret;

	out = stdout;
	ret = attach(rundir, 7, &a);
	check(ret == -EINVAL, "attach with bad privileges -> EINVAL (%d)", ret);
	ret = attach(rundir, MOLCTL_ATTACH_PROBE, &a);
	check(ret == 0, "attach a probe endpoint (%d)", ret);
	if (ret)
		return 1;
	if (*a.addr)
		setenv("MOL_KERNEL_ADDR", a.addr, 1);
	ret = mol_open(&mol, a.transport);
	if (!ret)
		ret = mol_bind(&mol, a.instance, a.endpoint, NULL);
	check(ret == 0, "bind endpoint %d: %s", a.endpoint, mol_strerror(ret));
	if (ret)
		return 1;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		memset(&m, 0, sizeof(m));
		memset(m.m_u.m_raw, 0xa5, sizeof(m.m_u.m_raw));
		ret = kcall(calls[i], &m);
		check(ret == -EPERM, "user call %#x -> EPERM (%d)", calls[i],
		      ret);
	}
	/* The system task survived it all. */
	memset(&m, 0, sizeof(m));
	ret = kcall(SYS_GETINFO, &m);
	check(ret == -EPERM, "system task still answers (%d)", ret);
	mol_close(&mol);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	/* molsystem starts PM with argv[0] only. */
	if ((argc >= 2 && !strcmp(argv[1], "pm")) ||
	    (argc == 1 && getenv("MOL_INSTANCE")))
		return role_pm();
	if (argc >= 3 && !strcmp(argv[1], "probe"))
		return role_probe(argv[2]);
	fprintf(stderr, "usage: molctl-systest pm | probe RUNDIR\n");
	return 2;
}

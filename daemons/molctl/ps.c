// SPDX-License-Identifier: GPL-2.0
/*
 * ps.c - `molctl ps` and `molctl stat`.
 *
 * ps joins three views:
 *   - the IPC layer's (system.sock MOLCTL_PS: mol_procinfo of each slot
 *     on the system task's handle): endpoint, Linux pid, IPC state;
 *   - PM's process table (PM_PROCTAB rows): MINIX pid, parent, zombies.
 *     molctl is no MoL process, so it asks molsystem for a temporary
 *     user endpoint (MOLCTL_ATTACH), binds it, asks PM, and detaches;
 *   - init's jobs (init.sock MOLCTL_JOBS): programs of `molctl run`
 *     that are no MoL processes (no container).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mol.h"
#include <linux/molcalls.h>
#include "molctl.h"

#define PS_MAX	(MOL_MAX_PROCS + MOL_NR_TASKS)

static struct molctl_slot slots[PS_MAX];
static int nslots;
static struct mol_pm_proc pmrows[PS_MAX];
static int npm;
static struct molctl_job jobs[256];
static int njobs;

/* Read rows of @type from a fresh connection to @sock. */
static int fetch(const char *sock, uint32_t type, void *rows, size_t row,
		 int max, int *count)
{
	char path[300], buf[sizeof(struct molctl_slot) + 64];
	struct molctl_hdr h;
	int fd, len;

	*count = 0;
	snprintf(path, sizeof(path), "%s/%s", ctl_dir, sock);
	fd = molctl_connect(path);
	if (fd < 0)
		return fd;
	len = molctl_send(fd, type, 0, NULL, 0, NULL, 0);
	while (!len && (len = molctl_recv(fd, &h, buf, sizeof(buf), NULL,
					  NULL)) > 0) {
		if ((size_t)len == row && *count < max)
			memcpy((char *)rows + row * (*count)++, buf, row);
		len = 0;
	}
	close(fd);
	return len < 0 ? len : 0;
}

static int ctl_request(uint32_t type, int arg, void *out, size_t size)
{
	char path[300];
	struct molctl_hdr h;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/system.sock", ctl_dir);
	fd = molctl_connect(path);
	if (fd < 0)
		return fd;
	ret = molctl_send(fd, type, arg, NULL, 0, NULL, 0);
	if (!ret)
		ret = molctl_recv(fd, &h, out, size, NULL, NULL);
	close(fd);
	if (ret < 0)
		return ret;
	return h.arg < 0 ? h.arg : ret;
}

/* PM's table, through a temporary endpoint.  Best effort. */
static void fetch_pm(void)
{
	struct molctl_attach a;
	struct molipc_ipc req;
	struct mol mol;
	int ret, i;

	ret = ctl_request(MOLCTL_ATTACH, MOLCTL_ATTACH_USER, &a, sizeof(a));
	if (ret != (int)sizeof(a)) {
		ctl_err("ps: no endpoint for asking PM: %s",
			strerror(ret < 0 ? -ret : EPROTO));
		return;
	}
	if (*a.addr)
		setenv("MOL_KERNEL_ADDR", a.addr, 1);
	ret = mol_open(&mol, a.transport);
	if (ret == 0)
		ret = mol_bind(&mol, a.instance, a.endpoint, NULL);
	for (i = 0; ret == 0 && i < PS_MAX; i++) {
		struct mol_pm_proc *p = MOL_BODY(&req.msg, struct mol_pm_proc);

		memset(&req, 0, sizeof(req));
		req.endpoint = MOL_PM;
		req.flags = MOLIPC_IPC_TIMEOUT;
		req.timeout_ns = 2000 * 1000 * 1000ULL;
		req.msg.m_type = PM_PROCTAB;
		p->index = i;
		ret = mol_ipc(&mol, MOLIPC_OP_SENDREC, &req);
		if (ret < 0) {
			ctl_err("ps: PM does not answer PM_PROCTAB: %s",
				mol_strerror(ret));
			break;
		}
		if (req.msg.m_type < 0)
			break;
		pmrows[npm] = *p;
		pmrows[npm].name[sizeof(p->name) - 1] = '\0';
		npm++;
	}
	ctl_request(MOLCTL_DETACH, 0, NULL, 0);
	if (mol.ops)
		mol_close(&mol);
}

static const char *ep_name(int ep, char *buf, size_t size)
{
	switch (ep) {
	case MOL_ANY: return "ANY";
	case MOL_SYSTEM: return "SYSTEM";
	case MOL_CLOCK: return "CLOCK";
	case MOL_KERNEL: return "KERNEL";
	case MOL_PM: return "PM";
	case MOL_FS: return "FS";
	case MOL_DISK: return "DISK";
	case MOL_TTY: return "TTY";
	case MOL_MEM: return "MEM";
	case MOL_HOSTFS: return "HOSTFS";
	case MOL_INIT: return "INIT";
	}
	snprintf(buf, size, "%d", ep);
	return buf;
}

static const char *ipc_state(const struct molctl_slot *s, char *buf,
			     size_t size)
{
	char pb[16];
	const char *peer = ep_name(s->peer, pb, sizeof(pb));

	switch (s->state) {
	case MOLIPC_PSTATE_REGISTERED:
		return "registered";
	case MOLIPC_PSTATE_RUNNING:
		return "running";
	case MOLIPC_PSTATE_SENDING:
		snprintf(buf, size, "sending to %s", peer);
		return buf;
	case MOLIPC_PSTATE_RECEIVING:
		snprintf(buf, size, "receiving from %s", peer);
		return buf;
	case MOLIPC_PSTATE_SENDREC:
		snprintf(buf, size, "sendrec to %s", peer);
		return buf;
	case MOLIPC_PSTATE_REPLYWAIT:
		snprintf(buf, size, "waiting for reply from %s", peer);
		return buf;
	}
	return "?";
}

static const char *pm_state(unsigned int st)
{
	switch (st) {
	case MOL_PSTATE_ZOMBIE: return "zombie";
	case MOL_PSTATE_WAITING: return "waitpid";
	case MOL_PSTATE_PAUSED: return "paused";
	}
	return NULL;
}

static int check_args(int argc, char **argv, const char *cmd)
{
	if (argc <= 1)
		return 0;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		printf("Usage: molctl [--instance NAME] %s\n", cmd);
		return 1;
	}
	ctl_err("%s: unexpected argument '%s'", cmd, argv[1]);
	return -1;
}

static int fetch_slots(void)
{
	int ret = fetch("system.sock", MOLCTL_PS, slots, sizeof(*slots),
			PS_MAX, &nslots);

	if (ret < 0)
		ctl_err("instance '%s' is not up (%s/system.sock: %s)",
			ctl_name, ctl_dir, strerror(-ret));
	return ret;
}

int cmd_ps(int argc, char **argv)
{
	char b1[48], b2[16];
	int i, j, ret = check_args(argc, argv, "ps");

	if (ret)
		return ret < 0 ? 2 : 0;
	if (fetch_slots() < 0)
		return 1;
	for (i = 0; i < nslots; i++)
		if (slots[i].slot == MOL_PM && slots[i].state !=
		    MOLIPC_PSTATE_REGISTERED)
			fetch_pm();
	fetch("init.sock", MOLCTL_JOBS, jobs, sizeof(*jobs), 256, &njobs);

	printf("%5s %9s %6s %6s %8s  %-16s %s\n", "SLOT", "ENDPOINT", "PID",
	       "PPID", "LINUXPID", "NAME", "STATE");
	for (i = 0; i < nslots; i++) {
		struct molctl_slot *s = &slots[i];
		struct mol_pm_proc *p = NULL;
		const char *name = s->name, *state;
		char pid[16] = "-", ppid[16] = "-";

		if (!strcmp(s->name, "molctl"))
			continue;	/* our own temporary endpoint */
		for (j = 0; j < npm; j++)
			if (pmrows[j].endpoint == s->endpoint)
				p = &pmrows[j];
		/* A job's pid is MINIX's under the container, else Linux's. */
		for (j = 0; j < njobs; j++)
			if (jobs[j].pid && (p ? jobs[j].pid == p->pid :
					    jobs[j].pid == s->pid)) {
				name = jobs[j].name;
				jobs[j].pid = 0;
			}
		state = ipc_state(s, b1, sizeof(b1));
		if (p) {
			snprintf(pid, sizeof(pid), "%d", p->pid);
			snprintf(ppid, sizeof(ppid), "%d", p->ppid);
			if (p->name[0])
				name = p->name;
			if (pm_state(p->state))
				state = pm_state(p->state);
			p->endpoint = MOL_NONE;
		}
		printf("%5d %9s %6s %6s %8d  %-16s %s\n", s->slot,
		       ep_name(s->endpoint, b2, sizeof(b2)), pid, ppid,
		       s->pid, name, state);
	}
	/* Zombies: known to PM, gone from the IPC layer. */
	for (j = 0; j < npm; j++) {
		struct mol_pm_proc *p = &pmrows[j];

		if (p->endpoint == MOL_NONE)
			continue;
		printf("%5d %9d %6d %6d %8d  %-16s %s\n",
		       MOL_ENDPOINT_SLOT(p->endpoint), p->endpoint, p->pid,
		       p->ppid, p->linux_pid, p->name,
		       pm_state(p->state) ?: "running");
	}
	/* Programs init runs that are no MoL processes. */
	for (j = 0; j < njobs; j++) {
		if (!jobs[j].pid)
			continue;
		printf("%5s %9s %6s %6s %8d  %-16s %s\n", "-", "-", "-",
		       "INIT", jobs[j].pid, jobs[j].name,
		       "running (no MoL endpoint)");
	}
	return 0;
}

int cmd_stat(int argc, char **argv)
{
	char b[16];
	int i, ret = check_args(argc, argv, "stat");

	if (ret)
		return ret < 0 ? 2 : 0;
	if (fetch_slots() < 0)
		return 1;
	printf("%5s %9s  %-12s %10s %10s %10s %8s\n", "SLOT", "ENDPOINT",
	       "NAME", "SENT", "RECEIVED", "NOTIFIES", "ERRORS");
	for (i = 0; i < nslots; i++) {
		struct molctl_slot *s = &slots[i];

		printf("%5d %9s  %-12s %10llu %10llu %10llu %8llu\n", s->slot,
		       ep_name(s->endpoint, b, sizeof(b)), s->name,
		       (unsigned long long)s->sent,
		       (unsigned long long)s->received,
		       (unsigned long long)s->notifies,
		       (unsigned long long)s->errors);
	}
	return 0;
}

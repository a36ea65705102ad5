// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - system.sock: molctl's requests to the system task (ps, a
 * temporary endpoint for molctl, shutdown).  One request per
 * connection, handled between two messages of the main loop; a client
 * that does not send its request within a second is dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "molsystem.h"

static char *ctl_path;

int sys_ctl_open(void)
{
	if (asprintf(&ctl_path, "%s/system.sock", sys.run_dir) < 0)
		return -ENOMEM;
	sys.ctl_fd = molctl_listen(ctl_path);
	return sys.ctl_fd < 0 ? sys.ctl_fd : 0;
}

void sys_ctl_close(void)
{
	if (sys.ctl_fd >= 0) {
		close(sys.ctl_fd);
		unlink(ctl_path);
	}
	sys.ctl_fd = -1;
}

static void ctl_ps(int fd)
{
	struct molipc_procinfo info;
	struct molctl_slot row;
	int slot;

	for (slot = -MOL_NR_TASKS; slot < (int)sys.nr_procs; slot++) {
		struct sys_proc *p = sys_slot(slot);

		memset(&info, 0, sizeof(info));
		info.slot = slot;
		if (mol_procinfo(&sys.mol, &info) < 0)
			continue;
		if (info.state == MOLIPC_PSTATE_FREE && slot != MOL_SYSTEM)
			continue;
		memset(&row, 0, sizeof(row));
		row.slot = slot;
		row.endpoint = info.endpoint;
		row.pid = info.pid ? info.pid : p->pid;
		row.state = info.state;
		row.peer = info.peer;
		row.sent = info.sent;
		row.received = info.received;
		row.notifies = info.notifies;
		row.errors = info.errors;
		snprintf(row.name, sizeof(row.name), "%s",
			 p->kind == SK_FREE ? "?" :
			 p->kind == SK_CTL ? "molctl" : p->name);
		if (molctl_send(fd, MOLCTL_PS, 0, &row, sizeof(row), NULL, 0))
			return;
	}
	/* The end: arg is the instance id. */
	molctl_send(fd, MOLCTL_PS, (int32_t)sys.instance, NULL, 0, NULL, 0);
}

/* A temporary user endpoint for the connected process (molctl ps). */
static int ctl_attach(int fd, pid_t pid, int kind)
{
	struct molctl_attach a;
	struct molipc_priv priv;
	struct sys_proc *p;
	int slot, ep, ret;

	if (kind != MOLCTL_ATTACH_USER && kind != MOLCTL_ATTACH_PROBE)
		return -EINVAL;
	/* From the top: PM allocates from the bottom. */
	for (slot = sys.nr_procs - 1; slot >= MOL_NR_BOOT_SLOTS; slot--)
		if (sys_slot(slot)->kind == SK_FREE)
			break;
	if (slot < MOL_NR_BOOT_SLOTS)
		return -EAGAIN;
	sys_priv_user(&priv, kind == MOLCTL_ATTACH_PROBE);
	ret = mol_register(&sys.mol, pid, slot, &priv, &ep);
	if (ret < 0)
		return ret;
	p = sys_slot(slot);
	memset(p, 0, sizeof(*p));
	p->endpoint = ep;
	p->pid = pid;
	p->kind = SK_CTL;
	snprintf(p->name, sizeof(p->name), "molctl");

	memset(&a, 0, sizeof(a));
	a.instance = sys.instance;
	a.endpoint = ep;
	snprintf(a.transport, sizeof(a.transport), "%s", sys.transport);
	snprintf(a.addr, sizeof(a.addr), "%s", sys.kernel_addr ?: "");
	molctl_send(fd, MOLCTL_ATTACH, 0, &a, sizeof(a), NULL, 0);
	return 0;
}

static int ctl_detach(pid_t pid)
{
	int slot;

	for (slot = MOL_NR_BOOT_SLOTS; slot < (int)sys.nr_procs; slot++) {
		struct sys_proc *p = sys_slot(slot);

		if (p->kind != SK_CTL || p->pid != pid)
			continue;
		mol_unregister(&sys.mol, p->endpoint);
		memset(p, 0, sizeof(*p));
		return 0;
	}
	return -ESRCH;
}

static void ctl_handle(int fd)
{
	struct timeval tv = { .tv_sec = 1 };
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct molctl_hdr h;
	char buf[256];
	int ret;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return;
	ret = molctl_recv(fd, &h, buf, sizeof(buf), NULL, NULL);
	if (ret < 0 || h.magic != MOLCTL_MAGIC)
		return;
	switch (h.type) {
	case MOLCTL_PS:
		ctl_ps(fd);
		return;
	case MOLCTL_ATTACH:
		ret = ctl_attach(fd, cred.pid, h.arg);
		if (!ret)
			return;
		break;
	case MOLCTL_DETACH:
		ret = ctl_detach(cred.pid);
		break;
	case MOLCTL_SHUTDOWN:
		sys.stop = 1;
		sys.stop_reason = "molctl down";
		ret = 0;
		break;
	default:
		ret = -EINVAL;
		break;
	}
	molctl_send(fd, h.type, ret, NULL, 0, NULL, 0);
}

void sys_ctl_poll(void)
{
	int fd;

	if (sys.ctl_fd < 0)
		return;
	while ((fd = accept4(sys.ctl_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		ctl_handle(fd);
		close(fd);
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * molipc-demo - two processes exchange MINIX messages through MoL IPC.
 *
 * The demo process creates an instance (it becomes the system task),
 * registers a server (slot MOL_PM) and a client (first user slot), and
 * lets them talk: the client makes sendrec calls, the server answers
 * with reply-and-receive, the client notifies the server, and finally
 * the client exits, so the system task gets the death notice.
 * Runs on any transport (MOL_TRANSPORT); needs root for the instance.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mol.h"

#define DEMO_ROUNDS	5
#define DEMO_ADD	1	/* m_type of the request: add two numbers */
#define DEMO_QUIT	2

static void die(const char *what, int status)
{
	fprintf(stderr, "molipc-demo: %s: %s\n", what, mol_strerror(status));
	exit(1);
}

/* Wait for the go-ahead byte from the system task, then bind. */
static void child_bind(struct mol *mol, int go_fd, unsigned int instance)
{
	char c;
	int ret;

	if (read(go_fd, &c, 1) != 1)
		exit(1);
	ret = mol_open(mol, NULL);
	if (ret < 0)
		die("open", ret);
	ret = mol_bind(mol, instance, MOL_ANY, NULL);
	if (ret < 0)
		die("bind", ret);
}

static void server(struct mol *mol)
{
	struct mol_message m;
	unsigned int status;
	int ret, caller;

	ret = mol_receive(mol, MOL_ANY, &m, &status);
	for (;;) {
		if (ret < 0)
			die("server receive", ret);
		if (status & MOLIPC_STATUS_NOTIFY) {
			printf("server:  notification from endpoint %d\n",
			       m.m_source);
			ret = mol_receive(mol, MOL_ANY, &m, &status);
			continue;
		}
		caller = m.m_source;
		if (m.m_type == DEMO_QUIT) {
			printf("server:  quit request from %d\n", caller);
			m.m_type = 0;
			mol_send(mol, caller, &m);
			exit(0);
		}
		printf("server:  request %d + %d from endpoint %d\n",
		       m.m_u.m1.m1i1, m.m_u.m1.m1i2, caller);
		m.m_u.m1.m1i3 = m.m_u.m1.m1i1 + m.m_u.m1.m1i2;
		m.m_type = 0;
		ret = mol_reply_receive(mol, caller, &m, MOL_ANY, &status);
	}
}

static void client(struct mol *mol, int server_ep)
{
	struct mol_message m;
	int i, ret;

	for (i = 1; i <= DEMO_ROUNDS; i++) {
		memset(&m, 0, sizeof(m));
		m.m_source = 12345;	/* ignored: the IPC layer fills it */
		m.m_type = DEMO_ADD;
		m.m_u.m1.m1i1 = i;
		m.m_u.m1.m1i2 = i * 10;
		ret = mol_sendrec(mol, server_ep, &m);
		if (ret < 0)
			die("client sendrec", ret);
		printf("client:  %d + %d = %d (reply from endpoint %d)\n",
		       i, i * 10, m.m_u.m1.m1i3, m.m_source);
		if (m.m_u.m1.m1i3 != i * 11)
			exit(2);
	}
	ret = mol_notify(mol, server_ep);
	if (ret < 0)
		die("client notify", ret);
	memset(&m, 0, sizeof(m));
	m.m_type = DEMO_QUIT;
	ret = mol_sendrec(mol, server_ep, &m);
	if (ret < 0)
		die("client quit", ret);
	exit(0);
}

/* Wait (bounded) until the process registered for @slot has bound it. */
static void wait_bound(struct mol *sys, int slot)
{
	struct molipc_procinfo info;
	int i, ret;

	for (i = 0; i < 10000; i++) {
		memset(&info, 0, sizeof(info));
		info.slot = slot;
		ret = mol_procinfo(sys, &info);
		if (ret < 0)
			die("procinfo", ret);
		if (info.state != MOLIPC_PSTATE_REGISTERED)
			return;
		usleep(1000);
	}
	fprintf(stderr, "molipc-demo: slot %d never bound\n", slot);
	exit(1);
}

/* The module's counters for the instance, when debugfs shows them. */
static void show_stats(unsigned int instance)
{
	char path[64], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/debug/molipc/%u/stats",
		 instance);
	f = fopen(path, "r");
	if (!f)
		return;
	printf("system:  %s:\n", path);
	while (fgets(line, sizeof(line), f))
		printf("         %s", line);
	fclose(f);
}

static pid_t spawn(int *go_fd)
{
	int fds[2];
	pid_t pid;

	if (pipe(fds) < 0)
		exit(1);
	pid = fork();
	if (pid < 0)
		exit(1);
	if (pid == 0) {
		close(fds[1]);
		*go_fd = fds[0];
		return 0;
	}
	close(fds[0]);
	*go_fd = fds[1];
	return pid;
}

int main(void)
{
	struct molipc_priv server_priv = {
		.send_mask = { ~0ULL, ~0ULL },
		.trap_mask = MOLIPC_TRAPS_ALL,
		.flags = MOLIPC_PRIV_SEND_USERS,
	};
	struct molipc_priv user_priv = {
		.trap_mask = MOLIPC_TRAPS_USER |
			     MOLIPC_TRAP(MOLIPC_OP_NOTIFY),
	};
	int server_ep, client_ep, go_srv, go_cli, ret, st, i;
	struct molipc_dead dead;
	struct mol_message m;
	unsigned int instance, status;
	pid_t srv, cli;
	struct mol sys;

	setvbuf(stdout, NULL, _IOLBF, 0);
	user_priv.send_mask[0] = 1ULL << MOL_SYS_ID(MOL_PM);

	ret = mol_open(&sys, NULL);
	if (ret < 0)
		die("open", ret);
	ret = mol_create_instance(&sys, 0, &instance);
	if (ret < 0)
		die("create instance", ret);
	printf("system:  transport %s, instance %u, I am endpoint %d\n",
	       mol_transport_name(&sys), instance, MOL_SYSTEM);

	srv = spawn(&go_srv);
	if (srv == 0) {
		struct mol mol;

		child_bind(&mol, go_srv, instance);
		server(&mol);
	}
	cli = spawn(&go_cli);
	if (cli == 0) {
		struct mol mol;

		child_bind(&mol, go_cli, instance);
		client(&mol, MOL_PM);
	}

	ret = mol_register(&sys, srv, MOL_PM, &server_priv, &server_ep);
	if (ret < 0)
		die("register server", ret);
	ret = mol_register(&sys, cli, MOL_INIT, &user_priv, &client_ep);
	if (ret < 0)
		die("register client", ret);
	printf("system:  server pid %d is endpoint %d, client pid %d is endpoint %d\n",
	       (int)srv, server_ep, (int)cli, client_ep);
	if (write(go_srv, "g", 1) != 1)
		return 1;
	wait_bound(&sys, MOL_PM);
	if (write(go_cli, "g", 1) != 1)
		return 1;

	/* Two deaths to collect: the client's, then the server's. */
	for (i = 0; i < 2; ) {
		ret = mol_receive(&sys, MOL_ANY, &m, &status);
		if (ret < 0)
			die("system receive", ret);
		if (!(status & MOLIPC_STATUS_NOTIFY) ||
		    m.m_source != MOL_KERNEL)
			continue;
		dead.count = MOLIPC_DEAD_MAX;
		dead.flags = 0;
		ret = mol_dead(&sys, &dead);
		if (ret < 0)
			die("dead", ret);
		for (unsigned int j = 0; j < dead.count; j++, i++)
			printf("system:  endpoint %d (pid %d) died, exit status %d\n",
			       dead.ent[j].endpoint, dead.ent[j].pid,
			       WIFEXITED(dead.ent[j].status) ?
			       WEXITSTATUS(dead.ent[j].status) : -1);
	}
	waitpid(cli, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	waitpid(srv, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	show_stats(instance);
	printf("system:  demo done\n");
	mol_close(&sys);
	return 0;
}

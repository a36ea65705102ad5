// SPDX-License-Identifier: GPL-2.0
/*
 * loopbench.c - molk-loopbench: molkernel's event loops compared.
 *
 * For each event loop (uring, epoll) and each client count, start a
 * molkernel, create an instance, run one server (mol_reply_receive) and
 * N clients (mol_sendrec) for a fixed number of round trips, and report
 * the throughput and what molkernel itself spent per round trip: CPU time
 * (/proc/PID/schedstat, ns on CPU) and context switches.  The CPU cost is
 * the robust number on a noisy machine; throughput is given for context.
 *
 *   molk-loopbench [-k MOLKERNEL] [-t unix|udp] [-n ROUNDTRIPS] [-r RUNS]
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mol.h"

static const char *molkernel = "build/bin/molkernel";
static const char *transport = "unix";
static long total = 100000;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long sched_ns(pid_t pid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &ns) != 1)
			ns = 0;
		fclose(f);
	}
	return ns;
}

static unsigned long long ctxsw(pid_t pid)
{
	unsigned long long v = 0, n;
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %llu", &n) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %llu", &n) == 1)
			v += n;
	fclose(f);
	return v;
}

static pid_t start_molkernel(const char *loop, char *addr, size_t len)
{
	char listen[200];
	pid_t pid;
	int i;

	if (!strcmp(transport, "udp")) {
		snprintf(addr, len, "127.0.0.1:%d", 21000 + getpid() % 20000);
		snprintf(listen, sizeof(listen), "udp:%s", addr);
	} else {
		snprintf(addr, len, "/tmp/molk-loopbench-%d.sock", (int)getpid());
		snprintf(listen, sizeof(listen), "unix:%s", addr);
	}
	pid = fork();
	if (!pid) {
		execl(molkernel, "molkernel", "-q", "--loop", loop, "--listen",
		      listen, (char *)NULL);
		_exit(127);
	}
	setenv("MOL_KERNEL_ADDR", addr, 1);
	for (i = 0; i < 300; i++) {
		struct mol m;

		if (!mol_open(&m, transport)) {
			mol_close(&m);
			return pid;
		}
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

static void server(unsigned int inst, int go, int ready)
{
	struct mol_message m;
	struct mol mol;
	unsigned int st;
	int ret;
	char c;

	if (read(go, &c, 1) != 1 || mol_open(&mol, transport) ||
	    mol_bind(&mol, inst, MOL_ANY, NULL))
		_exit(1);
	if (write(ready, "b", 1) != 1)
		_exit(1);
	ret = mol_receive(&mol, MOL_ANY, &m, &st);
	while (!ret) {
		m.m_type++;
		ret = mol_reply_receive(&mol, m.m_source, &m, MOL_ANY, &st);
	}
	_exit(0);
}

static void client(unsigned int inst, int go, int srv, long n)
{
	struct mol_message m = { .m_type = 1 };
	struct mol mol;
	char c;

	if (read(go, &c, 1) != 1 || mol_open(&mol, transport) ||
	    mol_bind(&mol, inst, MOL_ANY, NULL)) {
		fprintf(stderr, "client: cannot bind\n");
		_exit(1);
	}
	while (n--) {
		int ret = mol_sendrec(&mol, srv, &m);

		if (ret) {
			fprintf(stderr, "client: %s\n", mol_strerror(ret));
			_exit(2);
		}
	}
	_exit(0);
}

static int run(const char *loop, int nclients)
{
	static const struct molipc_priv all = {
		.send_mask = { ~0ULL, ~0ULL },
		.trap_mask = MOLIPC_TRAPS_ALL,
		.flags = MOLIPC_PRIV_SEND_USERS,
	};
	unsigned long long cpu0, cpu1, cs0, cs1;
	pid_t mk, srv, cl[64];
	int go[2], sgo[2], sready[2], srv_ep, i, ok = 1;
	char c;
	unsigned int inst;
	char addr[160];
	struct mol sys;
	double t0, t1;
	long per = total / nclients;

	mk = start_molkernel(loop, addr, sizeof(addr));
	if (mk < 0 || mol_open(&sys, transport) ||
	    mol_create_instance(&sys, 0, &inst) || pipe(go) || pipe(sgo) ||
	    pipe(sready)) {
		fprintf(stderr, "loopbench: cannot set up (%s)\n", loop);
		return -1;
	}
	srv = fork();
	if (!srv)
		server(inst, sgo[0], sready[1]);
	mol_register(&sys, srv, 20, &all, &srv_ep);
	if (write(sgo[1], "g", 1) != 1 || read(sready[0], &c, 1) != 1)
		ok = 0;
	for (i = 0; i < nclients; i++) {
		cl[i] = fork();
		if (!cl[i])
			client(inst, go[0], srv_ep, per);
		mol_register(&sys, cl[i], 21 + i, &all, NULL);
	}
	usleep(100000);
	cpu0 = sched_ns(mk);
	cs0 = ctxsw(mk);
	t0 = now_s();
	for (i = 0; i < nclients; i++)
		if (write(go[1], "g", 1) != 1)
			ok = 0;
	for (i = 0; i < nclients; i++) {
		int st;

		waitpid(cl[i], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "client %d: status %#x\n", i, st);
			ok = 0;
		}
	}
	t1 = now_s();
	cpu1 = sched_ns(mk);
	cs1 = ctxsw(mk);
	kill(srv, SIGKILL);
	waitpid(srv, NULL, 0);
	mol_close(&sys);
	kill(mk, SIGTERM);
	waitpid(mk, NULL, 0);
	for (i = 0; i < 2; i++) {
		close(go[i]);
		close(sgo[i]);
		close(sready[i]);
	}
	printf("| %s | %s | %d | %.0f | %.2f | %.2f |%s\n", transport, loop,
	       nclients, per * nclients / (t1 - t0),
	       (cpu1 - cpu0) / 1e3 / (per * nclients),
	       (double)(cs1 - cs0) / (per * nclients), ok ? "" : " FAILED");
	fflush(stdout);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	static const int counts[] = { 1, 4, 16 };
	int opt, runs = 1, r, i, l, fail = 0;
	const char *loops[] = { "uring", "epoll" };

	while ((opt = getopt(argc, argv, "k:t:n:r:h")) != -1) {
		switch (opt) {
		case 'k': molkernel = optarg; break;
		case 't': transport = optarg; break;
		case 'n': total = atol(optarg); break;
		case 'r': runs = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: molk-loopbench [-k MOLKERNEL] "
				"[-t unix|udp] [-n ROUNDTRIPS] [-r RUNS]\n");
			return 2;
		}
	}
	printf("| transport | loop | clients | round trips/s | molkernel CPU us / round trip | molkernel context switches / round trip |\n");
	printf("|---|---|---:|---:|---:|---:|\n");
	for (r = 0; r < runs; r++)
		for (i = 0; i < 3; i++)
			for (l = 0; l < 2; l++)
				fail |= run(loops[(l + r) % 2], counts[i]);
	return fail ? 1 : 0;
}

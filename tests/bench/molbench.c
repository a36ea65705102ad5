// SPDX-License-Identifier: GPL-2.0
/*
 * molbench - MoL IPC against raw Linux baselines, in one run.
 *
 * For each MoL transport (kmod, udp, unix) and each baseline (futex
 * ping-pong on shared memory, a pipe pair, eventfd, a unix socketpair,
 * UDP loopback) it measures the round trip of one fixed 64-byte message
 * with the client and server on the same CPU, on two CPUs, and unpinned;
 * for MoL also with the server using receive+send instead of
 * reply-and-receive, notify throughput, one server with 1, 4, 16 and
 * 64 clients, and the bulk copy of 1 MiB through a grant (safecopy).  It prints a Markdown table with ratios to the futex
 * baseline of the same CPU placement, writes JSON (--json) and a gnuplot
 * PNG (--plot) when gnuplot is installed.
 *
 * The MoL message is fixed at 64 bytes, so there is no message-size
 * axis: every test moves exactly one message each way.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mol.h"

#define MAX_RESULTS	256
#define MAX_SAMPLES	200000		/* per client */
#define MAX_CLIENTS	64
#define COPY_SIZE	(1 << 20)	/* bytes per safecopy in "safecopy" */

enum cpus { CPUS_SAME, CPUS_SPLIT, CPUS_UNPINNED };
static const char *const cpus_name[] = { "same", "split", "unpinned" };

struct result {
	char transport[16];
	char test[32];
	enum cpus cpus;
	int clients;
	double mean_ns, p50_ns, p99_ns, ops_per_s;
	unsigned long ops;
	unsigned long bytes;		/* per operation, for bulk copies */
};

/* Shared between the measuring processes and the parent. */
struct samples {
	int grant_id;			/* "safecopy": the server's grant */
	unsigned long count[MAX_CLIENTS];
	unsigned long ops[MAX_CLIENTS];
	uint32_t ns[MAX_CLIENTS][MAX_SAMPLES];
};

static struct result results[MAX_RESULTS];
static int nr_results;
static double duration = 1.0;		/* seconds per measurement */
static int ncpus;
static struct samples *shm;
static const char *molkernel_path = "build/bin/molkernel";

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Run on @cpu only, or anywhere when @cpu is -1. */
static void pin(int cpu)
{
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	if (cpu >= 0)
		CPU_SET(cpu, &set);
	else
		for (i = 0; i < ncpus && i < CPU_SETSIZE; i++)
			CPU_SET(i, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		perror("molbench: sched_setaffinity");
		exit(1);
	}
}

/* CPU of the client (0) or the server (1) for a placement. */
static int cpu_of(enum cpus cpus, int side)
{
	switch (cpus) {
	case CPUS_SAME:
		return 0;
	case CPUS_SPLIT:
		return side;
	default:
		return -1;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Fold the samples of @nclients clients into a result. */
static void add_result(const char *transport, const char *test,
		       enum cpus cpus, int nclients, double elapsed_s)
{
	struct result *r;
	unsigned long n = 0, ops = 0, i;
	uint32_t *all;
	double sum = 0;
	int c;

	if (nr_results == MAX_RESULTS)
		return;
	for (c = 0; c < nclients; c++) {
		n += shm->count[c];
		ops += shm->ops[c];
	}
	r = &results[nr_results++];
	memset(r, 0, sizeof(*r));
	snprintf(r->transport, sizeof(r->transport), "%s", transport);
	snprintf(r->test, sizeof(r->test), "%s", test);
	r->cpus = cpus;
	r->clients = nclients;
	r->ops = ops;
	r->ops_per_s = elapsed_s > 0 ? ops / elapsed_s : 0;
	r->bytes = !strcmp(test, "safecopy") ? COPY_SIZE : 0;
	if (!n)
		return;
	all = malloc(n * sizeof(*all));
	if (!all) {
		perror("molbench: malloc");
		exit(1);
	}
	n = 0;
	for (c = 0; c < nclients; c++)
		for (i = 0; i < shm->count[c]; i++) {
			all[n++] = shm->ns[c][i];
			sum += shm->ns[c][i];
		}
	qsort(all, n, sizeof(*all), cmp_u32);
	r->mean_ns = sum / n;
	r->p50_ns = all[n / 2];
	r->p99_ns = all[(n * 99) / 100];
	free(all);
}

static void reset_samples(void)
{
	memset(shm->count, 0, sizeof(shm->count));
	memset(shm->ops, 0, sizeof(shm->ops));
}

static void record(int client, uint64_t ns)
{
	unsigned long i = shm->count[client];

	shm->ops[client]++;
	if (i < MAX_SAMPLES) {
		shm->ns[client][i] = ns > UINT32_MAX ? UINT32_MAX : ns;
		shm->count[client] = i + 1;
	}
}

static void reap(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
}

/* ---------------------------------------------------------------- */
/* Baselines: one 64-byte message each way                           */
/* ---------------------------------------------------------------- */

struct channel {
	const char *name;
	int fd[4];			/* [0],[1]: to server; [2],[3]: back */
	_Atomic uint32_t *futex;	/* shared: [0] to server, [1] back */
	struct mol_message *buf;	/* shared message for futex/eventfd */
};

static long sys_futex(_Atomic uint32_t *uaddr, int op, uint32_t val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

/* futex: flip a word, wake the peer; wait while our word is 0. */
static void futex_post(_Atomic uint32_t *w)
{
	atomic_store(w, 1);
	sys_futex(w, FUTEX_WAKE, 1);
}

static void futex_wait_for(_Atomic uint32_t *w)
{
	while (!atomic_exchange(w, 0))
		sys_futex(w, FUTEX_WAIT, 0);
}

static void xwrite(int fd, const void *p, size_t n)
{
	if (write(fd, p, n) != (ssize_t)n) {
		perror("molbench: write");
		exit(1);
	}
}

static void xread(int fd, void *p, size_t n)
{
	if (read(fd, p, n) != (ssize_t)n) {
		perror("molbench: read");
		exit(1);
	}
}

/* One message from @side (0 client, 1 server) to the other. */
static void chan_send(struct channel *ch, int side, struct mol_message *m)
{
	uint64_t one = 1;

	if (!strcmp(ch->name, "futex")) {
		*ch->buf = *m;
		futex_post(&ch->futex[side]);
	} else if (!strcmp(ch->name, "eventfd")) {
		*ch->buf = *m;
		xwrite(ch->fd[side ? 2 : 0], &one, sizeof(one));
	} else {
		xwrite(ch->fd[side ? 3 : 1], m, sizeof(*m));
	}
}

static void chan_recv(struct channel *ch, int side, struct mol_message *m)
{
	uint64_t v;

	if (!strcmp(ch->name, "futex")) {
		futex_wait_for(&ch->futex[!side]);
		*m = *ch->buf;
	} else if (!strcmp(ch->name, "eventfd")) {
		xread(ch->fd[side ? 0 : 2], &v, sizeof(v));
		*m = *ch->buf;
	} else {
		xread(ch->fd[side ? 0 : 2], m, sizeof(*m));
	}
}

static void udp_pair(int fd[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	struct sockaddr_in b;
	int i;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 2; i++) {
		fd[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd[i] < 0 || bind(fd[i], (void *)&a, sizeof(a)) < 0) {
			perror("molbench: udp");
			exit(1);
		}
	}
	getsockname(fd[0], (void *)&a, &len);
	len = sizeof(b);
	getsockname(fd[1], (void *)&b, &len);
	connect(fd[0], (void *)&b, sizeof(b));
	connect(fd[1], (void *)&a, sizeof(a));
}

static void chan_open(struct channel *ch, const char *name)
{
	int i, p[2];

	memset(ch, 0, sizeof(*ch));
	ch->name = name;
	ch->futex = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ch->futex == MAP_FAILED)
		exit(1);
	ch->buf = (struct mol_message *)(ch->futex + 16);
	if (!strcmp(name, "pipe")) {
		/* fd[0] read / fd[1] write to server; fd[2]/fd[3] back */
		if (pipe(p) < 0)
			exit(1);
		ch->fd[0] = p[0];
		ch->fd[1] = p[1];
		if (pipe(p) < 0)
			exit(1);
		ch->fd[2] = p[0];
		ch->fd[3] = p[1];
	} else if (!strcmp(name, "eventfd")) {
		ch->fd[0] = eventfd(0, 0);	/* to server */
		ch->fd[2] = eventfd(0, 0);	/* back */
	} else if (!strcmp(name, "socketpair") || !strcmp(name, "udp-raw")) {
		if (!strcmp(name, "udp-raw"))
			udp_pair(p);
		else if (socketpair(AF_UNIX, SOCK_DGRAM, 0, p) < 0)
			exit(1);
		/* server reads fd[0], writes fd[3]; client the others */
		ch->fd[0] = p[1];
		ch->fd[3] = p[1];
		ch->fd[1] = p[0];
		ch->fd[2] = p[0];
	}
	for (i = 0; i < 4; i++)
		if (ch->fd[i] < 0)
			exit(1);
}

static void chan_close(struct channel *ch)
{
	int i;

	for (i = 0; i < 4; i++)
		if (ch->fd[i] > 0)
			close(ch->fd[i]);
	munmap((void *)ch->futex, 4096);
}

static void bench_baseline(const char *name, enum cpus cpus)
{
	struct mol_message m = { .m_type = 1 };
	struct channel ch;
	uint64_t start, end, t0;
	pid_t pid;

	chan_open(&ch, name);
	reset_samples();
	pid = fork();
	if (pid == 0) {
		pin(cpu_of(cpus, 1));
		for (;;) {
			chan_recv(&ch, 1, &m);
			chan_send(&ch, 1, &m);
			if (m.m_type == 0)
				_exit(0);
		}
	}
	pin(cpu_of(cpus, 0));
	start = now_ns();
	end = start + duration * 1e9;
	do {
		t0 = now_ns();
		chan_send(&ch, 0, &m);
		chan_recv(&ch, 0, &m);
		record(0, now_ns() - t0);
	} while (now_ns() < end);
	m.m_type = 0;
	chan_send(&ch, 0, &m);
	chan_recv(&ch, 0, &m);
	reap(pid);
	add_result(name, "roundtrip", cpus, 1, (now_ns() - start) / 1e9);
	chan_close(&ch);
	pin(-1);
}

/* ---------------------------------------------------------------- */
/* MoL transports                                                    */
/* ---------------------------------------------------------------- */

static const struct molipc_priv priv_server = {
	.send_mask = { ~0ULL, ~0ULL },
	.trap_mask = MOLIPC_TRAPS_ALL,
	.flags = MOLIPC_PRIV_SEND_USERS,
};

static void check(const char *what, int ret)
{
	if (ret < 0) {
		fprintf(stderr, "molbench: %s: %s\n", what, mol_strerror(ret));
		exit(1);
	}
}

/* A process of the instance: forked, waits to be registered, binds. */
struct member {
	pid_t pid;
	int go;				/* write end: "you are registered" */
	int endpoint;
};

static int member_fork(struct member *mb)
{
	int p[2];
	char c;

	if (pipe(p) < 0)
		exit(1);
	mb->pid = fork();
	if (mb->pid < 0)
		exit(1);
	if (mb->pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(1);
		close(p[0]);
		return 1;
	}
	close(p[0]);
	mb->go = p[1];
	return 0;
}

static void member_start(struct mol *sys, struct member *mb, int slot)
{
	struct molipc_procinfo info;
	int i;

	check("register", mol_register(sys, mb->pid, slot, &priv_server,
				       &mb->endpoint));
	xwrite(mb->go, "g", 1);
	close(mb->go);
	/* Bounded wait until it has bound. */
	for (i = 0; i < 100000; i++) {
		memset(&info, 0, sizeof(info));
		info.slot = slot;
		check("procinfo", mol_procinfo(sys, &info));
		if (info.state != MOLIPC_PSTATE_REGISTERED)
			return;
		usleep(200);
	}
	fprintf(stderr, "molbench: slot %d never bound\n", slot);
	exit(1);
}

static void member_bind(struct mol *mol, const char *transport,
			unsigned int instance)
{
	check("open", mol_open(mol, transport));
	check("bind", mol_bind(mol, instance, MOL_ANY, NULL));
}

enum server_mode {
	SERVE_REPLY_RECV, SERVE_RECV_SEND, SERVE_NOTIFY, SERVE_GRANT,
};

static void __attribute__((noreturn))
server_loop(struct mol *mol, enum server_mode mode)
{
	struct mol_message m;
	unsigned int status;
	char *buf;
	int ret;

	if (mode == SERVE_GRANT) {
		/* Grant a buffer to anyone, then just stay alive. */
		buf = malloc(COPY_SIZE);
		if (!buf)
			_exit(1);
		memset(buf, 0x5a, COPY_SIZE);
		ret = mol_grant_create(mol, MOL_ANY, buf, COPY_SIZE,
				       MOL_GRANT_READ | MOL_GRANT_WRITE);
		__atomic_store_n(&shm->grant_id, ret, __ATOMIC_RELEASE);
		if (ret < 0)
			_exit(1);
		mode = SERVE_NOTIFY;
	}
	ret = mol_receive(mol, MOL_ANY, &m, &status);
	for (;;) {
		if (ret < 0)
			_exit(0);	/* instance gone: done */
		switch (mode) {
		case SERVE_REPLY_RECV:
			ret = mol_reply_receive(mol, m.m_source, &m, MOL_ANY,
						&status);
			break;
		case SERVE_RECV_SEND:
			ret = mol_send(mol, m.m_source, &m);
			if (ret == 0)
				ret = mol_receive(mol, MOL_ANY, &m, &status);
			break;
		case SERVE_NOTIFY:
		case SERVE_GRANT:
			ret = mol_receive(mol, MOL_ANY, &m, &status);
			break;
		}
	}
}

static void __attribute__((noreturn))
client_loop(struct mol *mol, int server, int idx, enum server_mode mode,
	    uint64_t end)
{
	struct mol_message m = { .m_type = 1 };
	char *buf = NULL;
	uint64_t t0;
	int id = 0;

	if (mode == SERVE_GRANT) {
		buf = malloc(COPY_SIZE);
		while ((id = __atomic_load_n(&shm->grant_id,
					     __ATOMIC_ACQUIRE)) == 0)
			usleep(1000);
		if (!buf || id < 0)
			_exit(1);
	}
	do {
		t0 = now_ns();
		if (mode == SERVE_NOTIFY)
			check("notify", mol_notify(mol, server));
		else if (mode == SERVE_GRANT)
			check("safecopy", mol_safecopy_from(mol, server, id, 0,
							    buf, COPY_SIZE));
		else
			check("sendrec", mol_sendrec(mol, server, &m));
		record(idx, now_ns() - t0);
	} while (now_ns() < end);
	_exit(0);
}

static void bench_mol(const char *transport, const char *test,
		      enum server_mode mode, enum cpus cpus, int nclients)
{
	struct member srv, cli[MAX_CLIENTS];
	unsigned int instance;
	struct mol sys, mol;
	uint64_t start, end;
	int i;

	reset_samples();
	shm->grant_id = 0;
	check("open", mol_open(&sys, transport));
	check("create instance", mol_create_instance(&sys, 0, &instance));

	if (member_fork(&srv)) {
		pin(cpu_of(cpus, 1));
		member_bind(&mol, transport, instance);
		server_loop(&mol, mode);
	}
	member_start(&sys, &srv, MOL_PM);

	/* Clients start together, after all are bound. */
	start = now_ns() + 50000000ull * (1 + nclients / 8);
	end = start + duration * 1e9;
	for (i = 0; i < nclients; i++) {
		if (member_fork(&cli[i])) {
			pin(cpu_of(cpus, 0));
			member_bind(&mol, transport, instance);
			while (now_ns() < start)
				;
			client_loop(&mol, srv.endpoint, i, mode, end);
		}
		member_start(&sys, &cli[i], MOL_NR_BOOT_SLOTS + i);
	}
	for (i = 0; i < nclients; i++)
		reap(cli[i].pid);
	mol_close(&sys);		/* destroys the instance */
	kill(srv.pid, SIGKILL);
	reap(srv.pid);
	add_result(transport, test, cpus, nclients, (end - start) / 1e9);
}

/* ---------------------------------------------------------------- */
/* Output                                                            */
/* ---------------------------------------------------------------- */

static const struct result *futex_for(enum cpus cpus)
{
	int i;

	for (i = 0; i < nr_results; i++)
		if (!strcmp(results[i].transport, "futex") &&
		    results[i].cpus == cpus)
			return &results[i];
	return NULL;
}

static void print_table(void)
{
	int i;

	printf("\n| transport | test | cpus | clients | mean ns | p50 ns | p99 ns | ops/s | MB/s | mean / futex |\n");
	printf("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
	for (i = 0; i < nr_results; i++) {
		const struct result *r = &results[i];
		const struct result *f = futex_for(r->cpus);
		char ratio[32] = "-";

		char mbs[32] = "-";

		if (r->bytes)
			snprintf(mbs, sizeof(mbs), "%.0f",
				 r->ops_per_s * r->bytes / 1e6);
		if (f && f->mean_ns > 0 && r->clients == 1 && !r->bytes &&
		    strcmp(r->test, "notify"))
			snprintf(ratio, sizeof(ratio), "%.2f",
				 r->mean_ns / f->mean_ns);
		printf("| %s | %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %s | %s |\n",
		       r->transport, r->test, cpus_name[r->cpus], r->clients,
		       r->mean_ns, r->p50_ns, r->p99_ns, r->ops_per_s, mbs,
		       ratio);
	}
}

static int write_json(const char *path)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f) {
		perror(path);
		return -1;
	}
	fprintf(f, "[\n");
	for (i = 0; i < nr_results; i++) {
		const struct result *r = &results[i];

		fprintf(f, "  {\"transport\": \"%s\", \"test\": \"%s\", \"cpus\": \"%s\", \"clients\": %d, \"mean_ns\": %.1f, \"p50_ns\": %.1f, \"p99_ns\": %.1f, \"ops_per_s\": %.1f, \"ops\": %lu, \"bytes_per_op\": %lu}%s\n",
			r->transport, r->test, cpus_name[r->cpus], r->clients,
			r->mean_ns, r->p50_ns, r->p99_ns, r->ops_per_s, r->ops,
			r->bytes,
			i + 1 < nr_results ? "," : "");
	}
	fprintf(f, "]\n");
	return fclose(f);
}

/* Bar chart of the single-client round trips, by placement. */
static int write_plot(const char *png)
{
	char dat[] = "/tmp/molbench-XXXXXX";
	enum cpus c;
	FILE *f, *gp;
	int fd, i, ret;

	if (system("command -v gnuplot >/dev/null 2>&1") != 0) {
		fprintf(stderr, "molbench: gnuplot not installed, no plot\n");
		return 0;
	}
	fd = mkstemp(dat);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	for (i = 0; i < nr_results; i++) {
		const struct result *r = &results[i];

		if (r->clients != 1 || r->cpus != CPUS_SAME || r->bytes ||
		    !strcmp(r->test, "notify"))
			continue;
		fprintf(f, "\"%s %s\"", r->transport, r->test);
		for (c = CPUS_SAME; c <= CPUS_UNPINNED; c++) {
			int j;
			double v = 0;

			for (j = 0; j < nr_results; j++)
				if (!strcmp(results[j].transport, r->transport) &&
				    !strcmp(results[j].test, r->test) &&
				    results[j].clients == 1 &&
				    results[j].cpus == c)
					v = results[j].mean_ns;
			fprintf(f, " %.0f", v);
		}
		fprintf(f, "\n");
	}
	fclose(f);
	gp = popen("gnuplot", "w");
	if (!gp)
		return -1;
	fprintf(gp,
		"set terminal pngcairo size 1100,600 noenhanced\n"
		"set output '%s'\n"
		"set title 'MoL round trip of one 64-byte message (mean ns, lower is better)'\n"
		"set style data histograms\nset style fill solid 0.8\n"
		"set xtics rotate by -30\nset ylabel 'ns'\nset key top left\n"
		"set grid ytics\n"
		"plot '%s' using 2:xtic(1) title 'same cpu', '' using 3 title 'split', '' using 4 title 'unpinned'\n",
		png, dat);
	ret = pclose(gp);
	unlink(dat);
	if (ret == 0)
		fprintf(stderr, "molbench: plot written to %s\n", png);
	return ret ? -1 : 0;
}

/* ---------------------------------------------------------------- */

static pid_t molkernel_start(const char *transport, char *addr, size_t len)
{
	char listen[160];
	pid_t pid;
	int i;

	if (!strcmp(transport, "udp")) {
		snprintf(addr, len, "127.0.0.1:%d", 17000 + getpid() % 20000);
		snprintf(listen, sizeof(listen), "udp:%s", addr);
	} else {
		snprintf(addr, len, "/tmp/molbench-%d.sock", (int)getpid());
		snprintf(listen, sizeof(listen), "unix:%s", addr);
	}
	pid = fork();
	if (pid == 0) {
		execl(molkernel_path, "molkernel", "--foreground",
		      "--listen", listen, (char *)NULL);
		perror(molkernel_path);
		_exit(127);
	}
	setenv("MOL_KERNEL_ADDR", addr, 1);
	/* Wait until it answers. */
	for (i = 0; i < 500; i++) {
		struct molipc_version v;
		struct mol mol;

		if (mol_open(&mol, transport) == 0) {
			int ret = mol_version(&mol, &v);

			mol_close(&mol);
			if (ret == 0)
				return pid;
		}
		usleep(10000);
	}
	fprintf(stderr, "molbench: molkernel did not come up\n");
	kill(pid, SIGKILL);
	reap(pid);
	return -1;
}

static void usage(int status)
{
	fprintf(status ? stderr : stdout,
		"usage: molbench [options]\n"
		"  -t, --transports LIST  MoL transports, comma-separated (default: kmod if\n"
		"                         /dev/molipc exists, udp, unix)\n"
		"  -d, --duration SEC     seconds per measurement (default 1)\n"
		"  -j, --json FILE        write the results as JSON\n"
		"  -p, --plot FILE.png    draw a gnuplot chart (if gnuplot is installed)\n"
		"  -s, --smoke            a quick run that only checks everything works\n"
		"  -k, --molkernel PATH   molkernel binary for udp/unix (default %s)\n"
		"  -h, --help\n", molkernel_path);
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "transports", required_argument, NULL, 't' },
		{ "duration", required_argument, NULL, 'd' },
		{ "json", required_argument, NULL, 'j' },
		{ "plot", required_argument, NULL, 'p' },
		{ "smoke", no_argument, NULL, 's' },
		{ "molkernel", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const char *const baselines[] = {
		"futex", "pipe", "eventfd", "socketpair", "udp-raw",
	};
	static const int client_counts[] = { 1, 4, 16, 64 };
	const char *json = NULL, *plot = NULL;
	char transports[128], addr[128], *tp, *save;
	bool smoke = false;
	enum cpus c;
	int opt, ret = 0;
	size_t i;

	snprintf(transports, sizeof(transports), "%s",
		 access(MOLIPC_DEVICE, F_OK) == 0 ? "kmod,udp,unix" :
						    "udp,unix");
	while ((opt = getopt_long(argc, argv, "t:d:j:p:sk:h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			snprintf(transports, sizeof(transports), "%s", optarg);
			break;
		case 'd':
			duration = atof(optarg);
			if (duration <= 0 || duration > 600) {
				fprintf(stderr, "molbench: bad duration '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'j':
			json = optarg;
			break;
		case 'p':
			plot = optarg;
			break;
		case 's':
			smoke = true;
			break;
		case 'k':
			molkernel_path = optarg;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	if (optind != argc)
		usage(2);
	if (smoke)
		duration = 0.05;
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED) {
		perror("molbench: mmap");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (c = CPUS_SAME; c <= CPUS_UNPINNED; c++) {
		if (c == CPUS_SPLIT && ncpus < 2)
			continue;
		for (i = 0; i < sizeof(baselines) / sizeof(*baselines); i++)
			bench_baseline(baselines[i], c);
	}

	for (tp = strtok_r(transports, ",", &save); tp;
	     tp = strtok_r(NULL, ",", &save)) {
		pid_t mk = 0;

		if (strcmp(tp, "kmod") && strcmp(tp, "udp") &&
		    strcmp(tp, "unix")) {
			fprintf(stderr, "molbench: unknown transport '%s'\n", tp);
			return 2;
		}
		if (strcmp(tp, "kmod")) {
			mk = molkernel_start(tp, addr, sizeof(addr));
			if (mk < 0)
				return 1;
		}
		fprintf(stderr, "molbench: measuring %s\n", tp);
		for (c = CPUS_SAME; c <= CPUS_UNPINNED; c++) {
			if (c == CPUS_SPLIT && ncpus < 2)
				continue;
			bench_mol(tp, "sendrec", SERVE_REPLY_RECV, c, 1);
			bench_mol(tp, "sendrec-recv+send", SERVE_RECV_SEND, c, 1);
		}
		bench_mol(tp, "notify", SERVE_NOTIFY, CPUS_UNPINNED, 1);
		bench_mol(tp, "safecopy", SERVE_GRANT, CPUS_UNPINNED, 1);
		for (i = 0; i < sizeof(client_counts) / sizeof(*client_counts); i++)
			bench_mol(tp, "sendrec-clients", SERVE_REPLY_RECV,
				  CPUS_UNPINNED, client_counts[i]);
		if (mk > 0) {
			kill(mk, SIGTERM);
			reap(mk);
			if (!strcmp(tp, "unix"))
				unlink(addr);
		}
	}

	print_table();
	if (json && write_json(json) < 0)
		ret = 1;
	if (plot && write_plot(plot) < 0)
		ret = 1;
	return ret;
}

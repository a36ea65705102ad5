// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz.c - random ioctls on /dev/molipc from several processes at once.
 *
 * The test process creates an instance and registers the workers in it
 * (server privileges), so their random IPC reaches real endpoints.  Each
 * worker also keeps a few other descriptors (unbound ones, ones that
 * became system tasks of instances of their own, ones it shares with
 * forked children) and, until MOL_FUZZ_CALLS (default 100000) calls are
 * made in total, issues ioctls with
 *   - request numbers of the MOLIPC set, the same numbers with other
 *     sizes and directions, other numbers of the MOLIPC magic and random
 *     numbers (minus the few generic VFS ones that act on the file
 *     system, such as FIFREEZE);
 *   - arguments that are plausible requests (endpoints of the others,
 *     ANY, SELF, slots out of range, timeouts, RESUME...), random bytes,
 *     NULL, unmapped, read-only, kernel and random pointers, and
 *     structures that run into an unmapped page.
 * An interval timer interrupts blocking calls.  The parent kills random
 * workers with SIGKILL midway and starts new ones.
 *
 * Pass: every worker finishes (nobody hangs), the module still works
 * afterwards (a new instance, a send/receive round trip), and the kernel
 * is not tainted by a warning or oops (vmcheck also scans dmesg).
 *
 * Environment: MOL_FUZZ_CALLS, MOL_FUZZ_PROCS (4), MOL_FUZZ_KILLS (4),
 * MOL_FUZZ_SEED, MOL_FUZZ_TIMEOUT (seconds, 480).  Output: TAP, then
 * "fuzz: ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "moltest.h"

#define MS		1000000ULL
#define MAX_WORKERS	32
#define MAX_INCARN	128
#define NR_FDS		5
#define BUF_PAGES	8

static const unsigned long molipc_cmds[] = {
	MOLIPC_IOC_VERSION, MOLIPC_IOC_CREATE, MOLIPC_IOC_REGISTER,
	MOLIPC_IOC_UNREGISTER, MOLIPC_IOC_SETPRIV, MOLIPC_IOC_BIND,
	MOLIPC_IOC_DEAD, MOLIPC_IOC_PROCINFO, MOLIPC_IOC_SEND,
	MOLIPC_IOC_RECEIVE, MOLIPC_IOC_SENDREC, MOLIPC_IOC_NOTIFY,
	MOLIPC_IOC_SENDNB, MOLIPC_IOC_REPLY_RECV,
#ifdef MOLIPC_IOC_SETGRANT
	MOLIPC_IOC_SETGRANT, MOLIPC_IOC_SAFECOPY,
#endif
};
#define NR_CMDS	(sizeof(molipc_cmds) / sizeof(molipc_cmds[0]))

struct shared {
	uint64_t total;
	uint64_t calls;			/* claimed so far */
	uint64_t ok, failed, interrupted;
	uint64_t by_errno[160];
	int nr;				/* workers spawned so far */
	int endpoints[MAX_INCARN];
	int pids[MAX_INCARN];
	unsigned int insts[MAX_INCARN];	/* instances seen */
	unsigned int main_inst;
};

static struct shared *sh;

struct worker {
	struct mt_proc *self;
	int fds[NR_FDS];		/* fds[0] is the bound one */
	char *buf, *ro, *hole;
	char *gtable, *gtarget;		/* grant table, granted page */
	long ps;
	uint64_t x;
};

static uint64_t rnd64(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static uint32_t rnd(uint64_t *x)
{
	return (uint32_t)(rnd64(x) >> 16);
}

static unsigned long env_ul(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

static void on_alarm(int sig)
{
}

static void start_timer(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 5000 }, { 0, 5000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

/* ---------------------------------------------------------------- */
/* Arguments                                                         */
/* ---------------------------------------------------------------- */

static int pick_endpoint(struct worker *w)
{
	uint32_t d = rnd(&w->x) % 100;
	int n = __atomic_load_n(&sh->nr, __ATOMIC_RELAXED);

	if (d < 45 && n)
		return sh->endpoints[rnd(&w->x) % (uint32_t)n];
	if (d < 55)
		return MOL_ANY;
	if (d < 60)
		return MOL_SELF;
	if (d < 63)
		return MOL_NONE;
	if (d < 68)
		return MOL_SYSTEM;
	if (d < 70)
		return MOL_KERNEL;
	if (d < 85)
		return MOL_ENDPOINT((int)(rnd(&w->x) % 4),
				    (int)(rnd(&w->x) % 300) - 6);
	return (int)rnd(&w->x);
}

static pid_t pick_pid(struct worker *w)
{
	uint32_t d = rnd(&w->x) % 10;
	int n = __atomic_load_n(&sh->nr, __ATOMIC_RELAXED);

	if (d < 6 && n)
		return sh->pids[rnd(&w->x) % (uint32_t)n];
	if (d < 7)
		return getpid();
	if (d < 8)
		return 1;
	return (pid_t)rnd(&w->x);
}

static void pick_priv(struct worker *w, struct molipc_priv *p)
{
	switch (rnd(&w->x) % 4) {
	case 0:
		mt_priv_server(p);
		break;
	case 1:
		mt_priv_user(p);
		break;
	case 2:
		mt_priv_none(p);
		break;
	default:
		p->send_mask[0] = rnd64(&w->x);
		p->send_mask[1] = rnd64(&w->x);
		p->trap_mask = rnd(&w->x) & (rnd(&w->x) % 4 ? MOLIPC_TRAPS_ALL :
					       ~0U);
		p->flags = rnd(&w->x) % 4 ? rnd(&w->x) & 1 : rnd(&w->x);
	}
}

/* Room pick_arg leaves for any argument. */
#define ARG_ROOM	512

/* A plausible request for cmd in p (which has ARG_ROOM bytes). */
static void fill_smart(struct worker *w, unsigned long cmd, void *p)
{
	uint32_t r = rnd(&w->x);
	int n = __atomic_load_n(&sh->nr, __ATOMIC_RELAXED);

	memset(p, 0, ARG_ROOM);
	switch (_IOC_NR(cmd)) {
	case 0x01: {
		struct molipc_create *c = p;
		static const unsigned int sizes[] = { 0, 16, 17, 64, 4096,
						      4097, 15, 0xffffffff };

		c->nr_procs = sizes[r % 8];
		if (!(r & 0x300)) {
			c->flags = MOLIPC_CREATE_APPOINT;
			c->system_pid = pick_pid(w);
		}
		if (!(r & 0x7000))
			c->reserved[r % 4] = r;
		break;
	}
	case 0x02: {
		struct molipc_register *g = p;

		g->pid = pick_pid(w);
		g->slot = (int)(rnd(&w->x) % 300) - 6;
		g->flags = r % 16 ? 0 : r;
		pick_priv(w, &g->priv);
		break;
	}
	case 0x03:
	case 0x04: {
		struct molipc_endpoint_req *e = p;

		e->endpoint = pick_endpoint(w);
		e->flags = r % 16 ? 0 : r;
		if (_IOC_NR(cmd) == 0x04 || !(r % 8))
			pick_priv(w, &e->priv);
		break;
	}
	case 0x05: {
		struct molipc_bind *b = p;

		b->instance = r % 8 == 0 ? r :
			      n ? sh->insts[rnd(&w->x) % (uint32_t)n] :
			      sh->main_inst;
		if (!b->instance)
			b->instance = sh->main_inst;
		b->endpoint = r % 2 ? MOL_ANY : pick_endpoint(w);
		b->flags = r % 32 ? 0 : 1;
		break;
	}
	case 0x06: {
		struct molipc_dead *d = p;

		d->count = r % 20;
		d->flags = r % 32 ? 0 : r;
		break;
	}
	case 0x07: {
		struct molipc_procinfo *i = p;

		i->slot = (int)(rnd(&w->x) % 300) - 10;
		i->flags = r % 32 ? 0 : 1;
		break;
	}
#ifdef MOLIPC_IOC_SETGRANT
	case 0x08: {
		struct molipc_setgrant *g = p;

		/* Our own scratch page as a table of random entries. */
		g->table_addr = r % 4 ? (uintptr_t)w->gtable :
				r % 3 ? (uintptr_t)w->hole : 0;
		g->nr_entries = rnd(&w->x) % 8 ? rnd(&w->x) % 64 :
				rnd(&w->x);
		g->flags = r % 32 ? 0 : r;
		break;
	}
	case 0x09: {
		struct molipc_safecopy *c = p;

		c->granter = pick_endpoint(w);
		c->grant_id = rnd(&w->x) % 4 ? MOL_GRANT_ID(rnd(&w->x) % 3,
							    rnd(&w->x) % 64) :
			      (int)rnd(&w->x);
		c->offset = rnd(&w->x) % 4 ? rnd(&w->x) % 4096 : rnd64(&w->x);
		/* Never a random user address: it could be our own. */
		c->local_addr = rnd(&w->x) % 4 ? (uintptr_t)w->gtarget :
				rnd(&w->x) % 2 ? (uintptr_t)w->ro :
				rnd64(&w->x) | (1ULL << 63);
		c->len = rnd(&w->x) % 4 ? rnd(&w->x) % 8192 : rnd64(&w->x);
		c->flags = rnd(&w->x) % 8 ? 1U << (rnd(&w->x) % 2) : r;
		c->reserved = r % 32 ? 0 : r;
		break;
	}
#endif
	default: {
		struct molipc_ipc *q = p;
		uint32_t f = rnd(&w->x) % 100;

		q->endpoint = pick_endpoint(w);
		if (_IOC_NR(cmd) == 0x15 || !(r % 16))
			q->src = r % 2 ? MOL_ANY : pick_endpoint(w);
		if (f < 60) {
			q->flags = MOLIPC_IPC_TIMEOUT;
			q->timeout_ns = rnd(&w->x) % 4 ? 0 : rnd(&w->x) % (2 * MS);
		} else if (f < 70) {
			q->flags = MOLIPC_IPC_RESUME;
		} else if (f < 75) {
			q->flags = rnd(&w->x);
			q->timeout_ns = rnd64(&w->x);
		}	/* else: no timeout, the interval timer ends it */
		q->msg.m_source = (int)rnd(&w->x);
		q->msg.m_type = (int)rnd(&w->x);
		q->msg.m_u.m_u64[0] = rnd64(&w->x);
		q->msg.m_u.m_u64[6] = rnd64(&w->x);
	}
	}
}

static void *pick_arg(struct worker *w, unsigned long cmd)
{
	size_t size = _IOC_SIZE(cmd) ? _IOC_SIZE(cmd) : 64;
	uint32_t d = rnd(&w->x) % 100;
	char *p;
	size_t i;

	if (size > ARG_ROOM)
		size = ARG_ROOM;
	if (d < 7)
		return NULL;
	if (d < 12)
		return w->hole + (rnd(&w->x) % w->ps);
	if (d < 15)
		return (void *)(0xffff888000000000UL +
				(rnd64(&w->x) & 0xffffff8UL));
	if (d < 18)	/* non-canonical or kernel, never ours */
		return (void *)(uintptr_t)(rnd64(&w->x) | (1ULL << 63));
	if (d < 24) {
		mprotect(w->ro, w->ps, PROT_READ | PROT_WRITE);
		fill_smart(w, cmd, w->ro);
		mprotect(w->ro, w->ps, PROT_READ);
		return w->ro;
	}
	if (d < 30) {
		/* Runs into the hole after the buffer. */
		p = w->hole - (rnd(&w->x) % size) - 1;
		fill_smart(w, cmd, w->buf + w->ps);	/* scratch */
		memcpy(p, w->buf + w->ps, (size_t)(w->hole - p));
		return p;
	}
	p = w->buf + (rnd(&w->x) % (BUF_PAGES - 2)) * w->ps +
	    (rnd(&w->x) % 8 ? 0 : rnd(&w->x) % 64);
	if (d < 45) {
		for (i = 0; i < size; i++)
			p[i] = (char)rnd(&w->x);
		return p;
	}
	fill_smart(w, cmd, p);
	return p;
}

static unsigned long pick_cmd(struct worker *w)
{
	uint32_t d = rnd(&w->x) % 100;
	unsigned long cmd = molipc_cmds[rnd(&w->x) % NR_CMDS];

	if (d < 75)
		return cmd;
	if (d < 87)
		return _IOC(rnd(&w->x) % 4, MOLIPC_IOC_MAGIC, _IOC_NR(cmd),
			    rnd(&w->x) % 4 ? _IOC_SIZE(cmd) + (rnd(&w->x) % 17) - 8
					   : rnd(&w->x) % 0x3fff);
	if (d < 93)
		return _IOC(rnd(&w->x) % 4, MOLIPC_IOC_MAGIC, rnd(&w->x) % 256,
			    rnd(&w->x) % 512);
	for (;;) {
		unsigned int type;

		cmd = rnd(&w->x);
		type = _IOC_TYPE(cmd);
		/* Generic ioctls that would act on devtmpfs or the file. */
		if (type == 'X' || type == 'f' || type == 0x94 || type == 0 ||
		    type == 0x12)
			continue;
		return cmd;
	}
}

/* ---------------------------------------------------------------- */
/* Workers                                                           */
/* ---------------------------------------------------------------- */

static void note(int rc)
{
	if (rc == 0)
		__atomic_add_fetch(&sh->ok, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&sh->failed, 1, __ATOMIC_RELAXED);
	if (rc == EINTR || rc == ERESTART)
		__atomic_add_fetch(&sh->interrupted, 1, __ATOMIC_RELAXED);
	if (rc >= 0 && rc < 160)
		__atomic_add_fetch(&sh->by_errno[rc], 1, __ATOMIC_RELAXED);
}

static int one_call(struct worker *w, int fd)
{
	unsigned long cmd = pick_cmd(w);
	void *arg = pick_arg(w, cmd);
	int rc = ioctl(fd, cmd, arg) < 0 ? errno : 0;

	note(rc);
	/* Owed a reply: resume now and then, else leave it owed. */
	if (rc == ERESTART && rnd(&w->x) % 2 && (char *)arg >= w->buf &&
	    (char *)arg + sizeof(struct molipc_ipc) <= w->hole) {
		struct molipc_ipc *q = arg;

		q->flags = MOLIPC_IPC_RESUME;
		note(ioctl(fd, MOLIPC_IOC_SENDREC, q) < 0 ? errno : 0);
	}
	/* A CREATE or BIND that worked: remember the instance. */
	if (!rc && cmd == MOLIPC_IOC_CREATE && arg != w->ro) {
		int n = __atomic_load_n(&sh->nr, __ATOMIC_RELAXED);

		if (n)
			sh->insts[rnd(&w->x) % (uint32_t)n] =
				((struct molipc_create *)arg)->instance;
	}
	return rc;
}

/* A grant table whose entries only ever point at our granted page. */
static void fill_grants(struct worker *w)
{
#ifdef MOLIPC_IOC_SETGRANT
	struct mol_grant *g = (struct mol_grant *)w->gtable;
	size_t i, n = (size_t)w->ps / sizeof(*g);

	for (i = 0; i < n; i++) {
		uint32_t r = rnd(&w->x);

		memset(&g[i], 0, sizeof(g[i]));
		g[i].flags = r % 8 ? MOL_GRANT_VALID | ((r >> 3) & 6) :
			     (r >> 3) & 0xf;
		g[i].grantee = r % 3 ? MOL_ANY : pick_endpoint(w);
		g[i].gen = (uint16_t)(rnd(&w->x) % 3);
		g[i].addr = (uintptr_t)w->gtarget + rnd(&w->x) % 64;
		g[i].len = rnd(&w->x) % (uint64_t)(w->ps - 64);
		if (!(r % 16))
			g[i].reserved[0] = 1;
	}
#endif
}

static int worker_main(struct mt_proc *self, void *arg)
{
	struct worker w = { .self = self };
	long seed = (long)arg;
	int i;

	w.x = (uint64_t)seed * 0x9e3779b97f4a7c15ULL + (uint64_t)getpid();
	w.ps = sysconf(_SC_PAGESIZE);
	w.buf = mmap(NULL, (BUF_PAGES + 2) * w.ps, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w.buf == MAP_FAILED)
		return 20;
	w.hole = w.buf + BUF_PAGES * w.ps;
	w.ro = w.hole + w.ps;
	munmap(w.hole, w.ps);
	w.gtable = mmap(NULL, 2 * w.ps, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w.gtable == MAP_FAILED)
		return 21;
	w.gtarget = w.gtable + w.ps;
	fill_grants(&w);
	w.fds[0] = self->mol.fd;
	for (i = 1; i < NR_FDS; i++)
		w.fds[i] = open(MOLIPC_DEVICE, O_RDWR | O_CLOEXEC);
	start_timer();

	while (__atomic_fetch_add(&sh->calls, 1, __ATOMIC_RELAXED) <
	       sh->total) {
		uint32_t d = rnd(&w.x) % 1000;
		/* Half the calls on the bound descriptor. */
		int fd = w.fds[rnd(&w.x) % 2 ? 0 : rnd(&w.x) % NR_FDS];

		if (d < 20) {
			/* Drop and reopen a spare descriptor. */
			i = 1 + (int)(rnd(&w.x) % (NR_FDS - 1));
			close(w.fds[i]);
			w.fds[i] = open(MOLIPC_DEVICE, O_RDWR | O_CLOEXEC);
			continue;
		}
		if (d < 23) {
			/* A child tries its luck with what it inherited. */
			pid_t pid = fork();

			if (pid == 0) {
				start_timer();
				for (i = 0; i < 20; i++)
					one_call(&w, w.fds[rnd(&w.x) % NR_FDS]);
				_exit(0);
			}
			while (pid > 0 && waitpid(pid, NULL, 0) < 0 &&
			       errno == EINTR)
				;
			continue;
		}
		one_call(&w, fd);
	}
	return 0;
}

int main(void)
{
	unsigned long total = env_ul("MOL_FUZZ_CALLS", 100000);
	unsigned long nprocs = env_ul("MOL_FUZZ_PROCS", 4);
	unsigned long kills = env_ul("MOL_FUZZ_KILLS", 4);
	unsigned long seed = env_ul("MOL_FUZZ_SEED", (unsigned long)getpid());
	unsigned long tmo = env_ul("MOL_FUZZ_TIMEOUT", 480);
	static struct mt_proc procs[MAX_INCARN];
	static bool alive[MAX_INCARN];
	struct mt_inst inst, check;
	uint64_t start = mt_now_ns(), deadline = start + tmo * 1000000000ULL;
	uint64_t x = seed | 1;
	long taint = mt_kernel_taint();
	unsigned long killed = 0;
	int n = 0, i, rc, running, crashed = 0;
	bool hung = false, ok, works = false;
	double secs;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..1\n");
	printf("# %lu calls from %lu processes, %lu kills, seed %lu\n", total,
	       nprocs, kills, seed);
	if (nprocs < 1 || nprocs > MAX_WORKERS) {
		printf("not ok 1 fuzz # bad MOL_FUZZ_PROCS\n");
		return 1;
	}
	sh = mt_shared_alloc(sizeof(*sh));
	if (!sh) {
		printf("not ok 1 fuzz # out of memory\n");
		return 1;
	}
	sh->total = total;
	rc = mt_inst_create(&inst, MT_NR_PROCS);
	if (rc) {
		printf("not ok 1 fuzz # create: %s\n", mol_strerror(rc));
		return 1;
	}
	sh->main_inst = inst.id;

	for (;;) {
		uint64_t now = mt_now_ns(), calls;

		running = 0;
		for (i = 0; i < n; i++) {
			if (alive[i] && mt_wait(&procs[i], 0) >= 0) {
				alive[i] = false;
				if (procs[i].status) {
					printf("# worker %d (pid %d) died: "
					       "status %#x\n", i, procs[i].pid,
					       procs[i].status);
					crashed++;
				}
			}
			running += alive[i];
		}
		if (crashed > 3) {
			printf("# workers keep dying: giving up\n");
			break;
		}
		calls = __atomic_load_n(&sh->calls, __ATOMIC_RELAXED);
		/* Kill one midway now and then. */
		if (killed < kills && running &&
		    calls >= total * (killed + 1) / (kills + 1)) {
			int v = (int)(rnd(&x) % (uint32_t)n);

			while (!alive[v])
				v = (v + 1) % n;
			mt_kill(&procs[v], SIGKILL);
			if (mt_wait(&procs[v], MT_WAIT_MS) < 0) {
				printf("# worker pid %d survives SIGKILL\n",
				       procs[v].pid);
				hung = true;
				break;
			}
			alive[v] = false;
			running--;
			killed++;
		}
		if (calls >= total && !running)
			break;
		/* Keep nprocs workers running until the calls are made. */
		while (calls < total && running < (int)nprocs && n < MAX_INCARN) {
			sh->nr = n;
			rc = mt_spawn(&procs[n], &inst, MT_SLOT_BASE + 4 + n,
				      NULL, 0, worker_main,
				      (void *)(long)(seed + (unsigned long)n));
			if (rc) {
				printf("# spawn worker %d: %s\n", n,
				       mol_strerror(rc));
				break;
			}
			sh->endpoints[n] = procs[n].endpoint;
			sh->pids[n] = procs[n].pid;
			sh->insts[n] = inst.id;
			alive[n++] = true;
			sh->nr = n;
			running++;
		}
		if (now > deadline) {
			printf("# deadline: %llu of %lu calls made\n",
			       (unsigned long long)calls, total);
			hung = true;
			break;
		}
		mt_msleep(10);
	}
	for (i = 0; i < n; i++) {
		char path[64], wchan[64] = "?";
		FILE *f;

		if (!alive[i])
			continue;
		snprintf(path, sizeof(path), "/proc/%d/wchan", procs[i].pid);
		f = fopen(path, "r");
		if (f) {
			if (!fgets(wchan, sizeof(wchan), f))
				strcpy(wchan, "?");
			fclose(f);
		}
		printf("# worker %d (pid %d) still running, wchan %s\n", i,
		       procs[i].pid, wchan);
	}
	mt_kill_all();
	for (i = 0; i < n; i++) {
		if (procs[i].reaped)
			continue;
		printf("# worker %d (pid %d) could not be reaped\n", i,
		       procs[i].pid);
		hung = true;
	}
	mt_inst_destroy(&inst);
	secs = (double)(mt_now_ns() - start) / 1e9;

	/* The module still works. */
	if (mt_inst_create(&check, MT_NR_PROCS) == 0) {
		struct molipc_ipc req;

		memset(&req, 0, sizeof(req));
		req.endpoint = MOL_SELF;
		/* notify self, then receive it */
		works = mol_ipc(&check.sys, MOLIPC_OP_NOTIFY, &req) == 0;
		memset(&req, 0, sizeof(req));
		req.endpoint = MOL_ANY;
		req.flags = MOLIPC_IPC_TIMEOUT;
		works = works && mol_ipc(&check.sys, MOLIPC_OP_RECEIVE,
					 &req) == 0 &&
			req.msg.m_source == MOL_SYSTEM &&
			req.msg.m_type == MOL_NOTIFY_MESSAGE;
		mt_inst_destroy(&check);
	}
	ok = !hung && !crashed && works && mt_kernel_taint() == taint &&
	     sh->ok + sh->failed >= total * 9 / 10;
	printf("# %llu calls: %llu ok, %llu failed (%llu interrupted); "
	       "EFAULT %llu, ENOTTY %llu, EINVAL %llu, ENXIO %llu, "
	       "ESRCH %llu, EPERM %llu, ENOTCONN %llu, EBUSY %llu\n",
	       (unsigned long long)(sh->ok + sh->failed),
	       (unsigned long long)sh->ok, (unsigned long long)sh->failed,
	       (unsigned long long)sh->interrupted,
	       (unsigned long long)sh->by_errno[EFAULT],
	       (unsigned long long)sh->by_errno[ENOTTY],
	       (unsigned long long)sh->by_errno[EINVAL],
	       (unsigned long long)sh->by_errno[ENXIO],
	       (unsigned long long)sh->by_errno[ESRCH],
	       (unsigned long long)sh->by_errno[EPERM],
	       (unsigned long long)sh->by_errno[ENOTCONN],
	       (unsigned long long)sh->by_errno[EBUSY]);
	printf("# workers %d, killed %lu, module works afterwards: %s, "
	       "taint %ld -> %ld\n", n, killed, works ? "yes" : "NO", taint,
	       mt_kernel_taint());
	printf("%s 1 fuzz\n", ok ? "ok" : "not ok");
	printf("fuzz: %llu ioctls in %.1fs, %lu killed: %s\n",
	       (unsigned long long)(sh->ok + sh->failed), secs, killed,
	       ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * moltest.c - support for multi-process MoL IPC tests (see moltest.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "moltest.h"

#define MT_MAX_INSTS	8

static struct mt_proc *mt_procs[MT_MAX_PROCS];
static struct mt_inst *mt_insts[MT_MAX_INSTS];
static struct mt_shared *mt_sig_shared;

/* ---------------------------------------------------------------- */
/* Misc                                                              */
/* ---------------------------------------------------------------- */

void *mt_shared_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void mt_shared_free(void *p, size_t size)
{
	if (p)
		munmap(p, size);
}

void mt_msleep(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

uint64_t mt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

long mt_kernel_taint(void)
{
	/* TAINT_OOT_MODULE (12) and TAINT_UNSIGNED_MODULE (13) are ours. */
	const long ours = (1L << 12) | (1L << 13);
	FILE *f = fopen("/proc/sys/kernel/tainted", "r");
	long v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v < 0 ? v : (v & ~ours);
}

const char *mt_transport(void)
{
	const char *t = getenv("MOL_TRANSPORT");

	if (t && *t)
		return t;
	return access(MOLIPC_DEVICE, F_OK) == 0 ? "kmod" : "unix";
}

char *mt_program_path(const char *env, const char *name, char *buf,
		      size_t size)
{
	const char *e = getenv(env);
	size_t dir = 0;
	ssize_t n;
	char *s;

	if (e && *e)
		return snprintf(buf, size, "%s", e) < (int)size ? buf : NULL;
	n = readlink("/proc/self/exe", buf, size);
	if (n <= 0 || (size_t)n >= size)
		return snprintf(buf, size, "./%s", name) < (int)size ?
		       buf : NULL;
	buf[n] = '\0';
	s = strrchr(buf, '/');
	if (s)
		dir = (size_t)(s + 1 - buf);
	if (dir + strlen(name) >= size)
		return NULL;
	strcpy(buf + dir, name);
	return buf;
}

/* ---------------------------------------------------------------- */
/* Privileges                                                        */
/* ---------------------------------------------------------------- */

void mt_priv_none(struct molipc_priv *p)
{
	memset(p, 0, sizeof(*p));
}

void mt_priv_allow(struct molipc_priv *p, int slot)
{
	int id = MOL_SYS_ID(slot);

	if (id >= 0 && id < MOL_NR_SYS_IDS)
		p->send_mask[id / 64] |= 1ULL << (id % 64);
}

void mt_priv_deny(struct molipc_priv *p, int slot)
{
	int id = MOL_SYS_ID(slot);

	if (id >= 0 && id < MOL_NR_SYS_IDS)
		p->send_mask[id / 64] &= ~(1ULL << (id % 64));
}

void mt_priv_user(struct molipc_priv *p)
{
	mt_priv_none(p);
	p->trap_mask = MOLIPC_TRAPS_USER;
	mt_priv_allow(p, MOL_PM);
	mt_priv_allow(p, MOL_FS);
}

void mt_priv_server(struct molipc_priv *p)
{
	size_t i;

	mt_priv_none(p);
	p->trap_mask = MOLIPC_TRAPS_ALL;
	for (i = 0; i < MOL_NR_SYS_IDS / 64; i++)
		p->send_mask[i] = ~0ULL;
	p->flags = MOLIPC_PRIV_SEND_USERS;
}

/* ---------------------------------------------------------------- */
/* Instances                                                         */
/* ---------------------------------------------------------------- */

int mt_inst_create(struct mt_inst *in, unsigned int nr_procs)
{
	int ret, i;

	memset(in, 0, sizeof(*in));
	ret = mol_open(&in->sys, NULL);
	if (ret < 0)
		return ret;
	ret = mol_create_instance(&in->sys, nr_procs, &in->id);
	if (ret < 0) {
		mol_close(&in->sys);
		return ret;
	}
	in->created = true;
	for (i = 0; i < MT_MAX_INSTS; i++) {
		if (!mt_insts[i]) {
			mt_insts[i] = in;
			break;
		}
	}
	return 0;
}

void mt_inst_destroy(struct mt_inst *in)
{
	int i;

	for (i = 0; i < MT_MAX_INSTS; i++)
		if (mt_insts[i] == in)
			mt_insts[i] = NULL;
	if (in->created)
		mol_close(&in->sys);
	in->created = false;
}

/* ---------------------------------------------------------------- */
/* Participants                                                      */
/* ---------------------------------------------------------------- */

static int mt_read_full(int fd, void *buf, size_t len, int timeout_ms)
{
	char *p = buf;

	while (len) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int r;

		r = poll(&pfd, 1, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ETIMEDOUT;
		n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int mt_write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void mt_track(struct mt_proc *p)
{
	int i;

	for (i = 0; i < MT_MAX_PROCS; i++) {
		if (!mt_procs[i]) {
			mt_procs[i] = p;
			return;
		}
	}
}

static void mt_untrack(struct mt_proc *p)
{
	int i;

	for (i = 0; i < MT_MAX_PROCS; i++)
		if (mt_procs[i] == p)
			mt_procs[i] = NULL;
}

/* In a fresh child: drop what belongs to the parent and its other kids. */
static void mt_child_cleanup(struct mt_proc *self)
{
	int i;

	for (i = 0; i < MT_MAX_INSTS; i++)
		if (mt_insts[i] && mt_insts[i]->sys.fd >= 0)
			close(mt_insts[i]->sys.fd);
	for (i = 0; i < MT_MAX_PROCS; i++) {
		struct mt_proc *o = mt_procs[i];

		if (o && o != self && o->go_wr >= 0)
			close(o->go_wr);
	}
}

int mt_spawn(struct mt_proc *p, struct mt_inst *in, int slot,
	     const struct molipc_priv *priv, unsigned int flags,
	     mt_fn_t fn, void *arg)
{
	struct molipc_priv server;
	int go[2], ready[2];
	pid_t parent = getpid();
	int ep = MOL_NONE, rc;

	if (flags & MT_NO_OPEN)
		flags |= MT_NO_BIND;
	memset(p, 0, sizeof(*p));
	p->slot = slot;
	p->inst = in;
	p->endpoint = MOL_NONE;
	p->go_rd = p->go_wr = -1;
	p->sh = mt_shared_alloc(sizeof(*p->sh));
	if (!p->sh)
		return -ENOMEM;
	p->sh->endpoint = MOL_NONE;
	if (!priv) {
		mt_priv_server(&server);
		priv = &server;
	}
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(go, O_CLOEXEC) < 0)
		return -errno;
	if (pipe2(ready, O_CLOEXEC) < 0) {
		rc = -errno;
		close(go[0]);
		close(go[1]);
		return rc;
	}
	fflush(stdout);
	fflush(stderr);
	p->pid = fork();
	if (p->pid < 0) {
		rc = -errno;
		close(go[0]);
		close(go[1]);
		close(ready[0]);
		close(ready[1]);
		return rc;
	}
	if (p->pid == 0) {
		int bound = MOL_NONE;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(99);
		close(go[1]);
		close(ready[0]);
		p->go_rd = go[0];
		mt_child_cleanup(p);
		if (mt_read_full(p->go_rd, &ep, sizeof(ep), -1) < 0)
			_exit(98);
		p->endpoint = ep;
		p->pid = getpid();
		rc = 0;
		if (!(flags & MT_NO_OPEN))
			rc = mol_open(&p->mol, NULL);
		if (rc == 0 && !(flags & (MT_NO_BIND | MT_NO_REGISTER))) {
			rc = mol_bind(&p->mol, in->id, MOL_ANY, &bound);
			if (rc == 0)
				p->sh->endpoint = bound;
		}
		mt_write_full(ready[1], &rc, sizeof(rc));
		close(ready[1]);
		if (rc < 0)
			_exit(97);
		_exit(fn(p, arg) & 0xff);
	}
	close(go[0]);
	close(ready[1]);
	p->go_wr = go[1];
	mt_track(p);
	if (!(flags & MT_NO_REGISTER)) {
		rc = mol_register(&in->sys, p->pid, slot, priv, &ep);
		if (rc < 0)
			goto fail;
	}
	p->endpoint = ep;
	rc = mt_write_full(p->go_wr, &ep, sizeof(ep));
	if (rc < 0)
		goto fail;
	if (mt_read_full(ready[0], &rc, sizeof(rc), MT_WAIT_MS) < 0)
		rc = -ETIMEDOUT;
	if (rc < 0)
		goto fail;
	close(ready[0]);
	return 0;
fail:
	close(ready[0]);
	kill(p->pid, SIGKILL);
	mt_wait(p, -1);
	return rc;
}

int mt_go(struct mt_proc *p)
{
	char c = 'g';

	return mt_write_full(p->go_wr, &c, 1);
}

int mt_wait(struct mt_proc *p, int timeout_ms)
{
	uint64_t end = mt_now_ns() + (uint64_t)(timeout_ms < 0 ? 0 : timeout_ms) *
				     1000000ULL;
	unsigned int nap = 1;

	if (p->reaped)
		return p->status;
	for (;;) {
		pid_t r = waitpid(p->pid, &p->status,
				  timeout_ms < 0 ? 0 : WNOHANG);

		if (r == p->pid) {
			p->reaped = true;
			return p->status;
		}
		if (r < 0 && errno != EINTR)
			return -errno;
		if (timeout_ms >= 0 && mt_now_ns() >= end)
			return -ETIMEDOUT;
		if (r == 0) {
			mt_msleep(nap);
			if (nap < 20)
				nap *= 2;
		}
	}
}

int mt_exit_code(struct mt_proc *p, int timeout_ms)
{
	int st = mt_wait(p, timeout_ms);

	if (st < 0 && !p->reaped)
		return st;
	if (WIFEXITED(p->status))
		return WEXITSTATUS(p->status);
	if (WIFSIGNALED(p->status))
		return -WTERMSIG(p->status);
	return -EINVAL;
}

int mt_kill(struct mt_proc *p, int sig)
{
	if (p->reaped || p->pid <= 0)
		return -ESRCH;
	return kill(p->pid, sig) < 0 ? -errno : 0;
}

void mt_kill_all(void)
{
	int i;

	for (i = 0; i < MT_MAX_PROCS; i++) {
		struct mt_proc *p = mt_procs[i];

		if (!p)
			continue;
		if (!p->reaped && p->pid > 0)
			kill(p->pid, SIGKILL);
	}
	for (i = 0; i < MT_MAX_PROCS; i++) {
		struct mt_proc *p = mt_procs[i];

		if (!p)
			continue;
		if (!p->reaped && p->pid > 0)
			mt_wait(p, -1);
		if (p->go_wr >= 0)
			close(p->go_wr);
		p->go_wr = -1;
		mt_untrack(p);
	}
}

int mt_wait_records(struct mt_proc *p, int n, int timeout_ms)
{
	uint64_t end = mt_now_ns() + (uint64_t)timeout_ms * 1000000ULL;

	while (__atomic_load_n(&p->sh->nrec, __ATOMIC_ACQUIRE) < n) {
		if (mt_now_ns() >= end)
			return -ETIMEDOUT;
		if (p->reaped || waitpid(p->pid, &p->status, WNOHANG) == p->pid) {
			p->reaped = true;
			return __atomic_load_n(&p->sh->nrec, __ATOMIC_ACQUIRE) >= n ?
			       0 : -ECHILD;
		}
		mt_msleep(1);
	}
	return 0;
}

int mt_wait_go(struct mt_proc *self)
{
	char c;

	return mt_read_full(self->go_rd, &c, 1, -1);
}

void mt_idle(struct mt_proc *self)
{
	mt_wait_go(self);
}

void mt_record(struct mt_proc *self, int rc, unsigned int status,
	       const struct mol_message *m)
{
	struct mt_shared *sh = self->sh;
	int i = sh->nrec;

	if (i >= MT_MAX_RECORDS)
		return;
	sh->rec[i].rc = rc;
	sh->rec[i].status = status;
	if (m)
		sh->rec[i].msg = *m;
	else
		memset(&sh->rec[i].msg, 0, sizeof(sh->rec[i].msg));
	__atomic_store_n(&sh->nrec, i + 1, __ATOMIC_RELEASE);
}

static void mt_signal_handler(int sig)
{
	if (mt_sig_shared)
		__atomic_add_fetch(&mt_sig_shared->signals, 1, __ATOMIC_RELAXED);
}

int mt_catch_signal(struct mt_proc *self, int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = mt_signal_handler;
	sa.sa_flags = 0;		/* no SA_RESTART: calls see EINTR */
	sigemptyset(&sa.sa_mask);
	mt_sig_shared = self->sh;
	return sigaction(sig, &sa, NULL) < 0 ? -errno : 0;
}

/* ---------------------------------------------------------------- */
/* Process information                                               */
/* ---------------------------------------------------------------- */

int mt_procinfo(struct mt_inst *in, int slot, struct molipc_procinfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	pi->slot = slot;
	return mol_procinfo(&in->sys, pi);
}

int mt_state(struct mt_inst *in, int slot)
{
	struct molipc_procinfo pi;
	int rc = mt_procinfo(in, slot, &pi);

	return rc < 0 ? rc : (int)pi.state;
}

int mt_wait_state(struct mt_inst *in, int slot, unsigned int state, int peer,
		  int timeout_ms)
{
	uint64_t end = mt_now_ns() + (uint64_t)timeout_ms * 1000000ULL;
	unsigned int nap = 1;

	for (;;) {
		struct molipc_procinfo pi;
		int rc = mt_procinfo(in, slot, &pi);

		if (rc == 0 && pi.state == state &&
		    (peer == MT_ANY_PEER || pi.peer == peer))
			return 0;
		if (mt_now_ns() >= end)
			return -ETIMEDOUT;
		mt_msleep(nap);
		if (nap < 16)
			nap *= 2;
	}
}

const char *mt_state_name(int state)
{
	switch (state) {
	case MOLIPC_PSTATE_FREE:	return "FREE";
	case MOLIPC_PSTATE_REGISTERED:	return "REGISTERED";
	case MOLIPC_PSTATE_RUNNING:	return "RUNNING";
	case MOLIPC_PSTATE_SENDING:	return "SENDING";
	case MOLIPC_PSTATE_RECEIVING:	return "RECEIVING";
	case MOLIPC_PSTATE_SENDREC:	return "SENDREC";
	case MOLIPC_PSTATE_REPLYWAIT:	return "REPLYWAIT";
	default:			return "?";
	}
}

/* ---------------------------------------------------------------- */
/* Messages                                                          */
/* ---------------------------------------------------------------- */

void mt_msg_fill(struct mol_message *m, int type, uint32_t seed)
{
	uint32_t x = seed * 2654435761U + 1;
	size_t i;

	memset(m, 0, sizeof(*m));
	m->m_type = type;
	for (i = 0; i < MOL_PAYLOAD_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		m->m_u.m_raw[i] = (uint8_t)x;
	}
}

bool mt_msg_check(const struct mol_message *m, int type, uint32_t seed)
{
	struct mol_message want;

	mt_msg_fill(&want, type, seed);
	return m->m_type == type &&
	       !memcmp(&m->m_u, &want.m_u, sizeof(want.m_u));
}

int mt_ipc_timeout(struct mol *mol, int op, int ep, struct mol_message *m,
		   unsigned int *status, uint64_t timeout_ns)
{
	struct molipc_ipc req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.endpoint = ep;
	req.flags = MOLIPC_IPC_TIMEOUT;
	req.timeout_ns = timeout_ns;
	if (m && op != MOLIPC_OP_RECEIVE)
		req.msg = *m;
	rc = mol_ipc(mol, op, &req);
	if (rc == 0 && m && (op == MOLIPC_OP_RECEIVE ||
			     op == MOLIPC_OP_SENDREC ||
			     op == MOLIPC_OP_REPLY_RECV))
		*m = req.msg;
	if (rc == 0 && status)
		*status = req.status;
	return rc;
}

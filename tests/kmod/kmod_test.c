// SPDX-License-Identifier: GPL-2.0
/*
 * kmod_test.c - molipc.ko's own tests: raw ioctls on /dev/molipc.
 *
 * What the conformance suite cannot see through libmol: bad pointers
 * (EFAULT, and nothing changed), wrong ioctl sizes and directions
 * (ENOTTY), reserved fields (EINVAL), capabilities, descriptors across
 * fork and close, module parameters, the instance limit and debugfs.
 *
 * The test process creates an instance (its descriptor in.sys.fd is the
 * system task's) and drives it with raw ioctls; peers are forked with
 * moltest and use libmol.  Run in the qemu guest by tests/vm/vmcheck.sh.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "moltest.h"

#define MS		1000000ULL
#define DEBUGFS_DIR	"/sys/kernel/debug/molipc"
#define PARAM_DIR	"/sys/module/molipc/parameters"

/* Every ioctl of the ABI, with its argument size. */
static const struct {
	const char *name;
	unsigned long cmd;
	bool out;		/* writes results back */
} ioctls[] = {
	{ "VERSION",	MOLIPC_IOC_VERSION,	true },
	{ "CREATE",	MOLIPC_IOC_CREATE,	true },
	{ "REGISTER",	MOLIPC_IOC_REGISTER,	true },
	{ "UNREGISTER",	MOLIPC_IOC_UNREGISTER,	false },
	{ "SETPRIV",	MOLIPC_IOC_SETPRIV,	false },
	{ "BIND",	MOLIPC_IOC_BIND,	true },
	{ "DEAD",	MOLIPC_IOC_DEAD,	true },
	{ "PROCINFO",	MOLIPC_IOC_PROCINFO,	true },
#ifdef MOLIPC_IOC_SETGRANT
	{ "SETGRANT",	MOLIPC_IOC_SETGRANT,	false },
	{ "SAFECOPY",	MOLIPC_IOC_SAFECOPY,	false },
#endif
	{ "SEND",	MOLIPC_IOC_SEND,	false },
	{ "RECEIVE",	MOLIPC_IOC_RECEIVE,	true },
	{ "SENDREC",	MOLIPC_IOC_SENDREC,	true },
	{ "NOTIFY",	MOLIPC_IOC_NOTIFY,	false },
	{ "SENDNB",	MOLIPC_IOC_SENDNB,	false },
	{ "REPLY_RECV",	MOLIPC_IOC_REPLY_RECV,	true },
};
#define NR_IOCTLS	ARRAY_SIZE(ioctls)

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) < 0 ? -errno : 0;
}

static int open_dev(void)
{
	return open(MOLIPC_DEVICE, O_RDWR | O_CLOEXEC);
}

static int raw_ipc(int fd, unsigned long cmd, int ep, unsigned int flags,
		   uint64_t tmo_ns, struct molipc_ipc *out)
{
	struct molipc_ipc req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.endpoint = ep;
	req.flags = flags;
	req.timeout_ns = tmo_ns;
	mt_msg_fill(&req.msg, 77, 77);
	rc = xioctl(fd, cmd, &req);
	if (out)
		*out = req;
	return rc;
}

/* Pages with special properties, for pointer tests. */
struct pages {
	char *ro;		/* a read-only page (filled before mprotect) */
	char *hole;		/* an unmapped page */
	char *edge;		/* a page followed by the hole */
};

static int pages_setup(struct pages *pg)
{
	long ps = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 3 * ps, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	pg->ro = p;
	pg->edge = p + ps;
	pg->hole = p + 2 * ps;
	munmap(pg->hole, ps);
	return 0;
}

/* Put a copy of arg on the read-only page; returns the pointer. */
static void *ro_copy(struct pages *pg, const void *arg, size_t len)
{
	long ps = sysconf(_SC_PAGESIZE);

	mprotect(pg->ro, ps, PROT_READ | PROT_WRITE);
	memset(pg->ro, 0, ps);
	memcpy(pg->ro, arg, len);
	mprotect(pg->ro, ps, PROT_READ);
	return pg->ro;
}

/* A copy of arg that ends 8 bytes into the hole. */
static void *straddle(struct pages *pg, const void *arg, size_t len)
{
	char *p = pg->hole - len + 8;

	memcpy(p, arg, len - 8);
	return p;
}

/* ---------------------------------------------------------------- */
/* Peers (forked with moltest, libmol inside)                        */
/* ---------------------------------------------------------------- */

struct call {
	int op;			/* MOLIPC_OP_* */
	int ep;
	int type;
};

/* Make one IPC call, record it, then wait to be killed. */
static int fn_call(struct mt_proc *self, void *arg)
{
	const struct call *c = arg;
	struct mol_message m;
	unsigned int status = 0;
	int rc;

	mt_msg_fill(&m, c->type, c->type);
	switch (c->op) {
	case MOLIPC_OP_SEND:
		rc = mol_send(&self->mol, c->ep, &m);
		break;
	case MOLIPC_OP_RECEIVE:
		rc = mol_receive(&self->mol, c->ep, &m, &status);
		break;
	case MOLIPC_OP_SENDREC:
		rc = mol_sendrec(&self->mol, c->ep, &m);
		break;
	case MOLIPC_OP_NOTIFY:
		rc = mol_notify(&self->mol, c->ep);
		break;
	default:
		rc = -EOPNOTSUPP;
	}
	mt_record(self, rc, status, &m);
	/* A second receive, to see whether anything else arrives. */
	if (c->op == MOLIPC_OP_RECEIVE || c->op == MOLIPC_OP_SENDREC) {
		mt_wait_go(self);
		rc = mt_ipc_timeout(&self->mol, MOLIPC_OP_RECEIVE, MOL_ANY, &m,
				    &status, 0);
		mt_record(self, rc, status, &m);
	}
	mt_idle(self);
	return 0;
}

static int fn_idle(struct mt_proc *self, void *arg)
{
	mt_idle(self);
	return 0;
}

FIXTURE(kmod) {
	struct mt_inst in;
	struct mt_proc p[8];
	struct pages pg;
	int fd;			/* in.sys.fd: the system task's descriptor */
};

FIXTURE_SETUP(kmod)
{
	int rc;

	if (access(MOLIPC_DEVICE, F_OK))
		SKIP(return, "%s missing: molipc.ko not loaded", MOLIPC_DEVICE);
	ASSERT_EQ(0, setenv("MOL_TRANSPORT", "kmod", 1));
	ASSERT_EQ(0, pages_setup(&self->pg));
	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("create: %s", mol_strerror(rc));
	self->fd = self->in.sys.fd;
}

FIXTURE_TEARDOWN(kmod)
{
	mt_kill_all();
	mt_inst_destroy(&self->in);
}

#define SPAWN_CALL(i, slot, c) do { \
	int __rc = mt_spawn(&self->p[i], &self->in, (slot), NULL, 0, \
			    fn_call, (void *)(c)); \
	ASSERT_EQ(0, __rc) TH_LOG("spawn: %s", mol_strerror(__rc)); \
} while (0)
#define SPAWN_IDLE(i, slot, flags) do { \
	int __rc = mt_spawn(&self->p[i], &self->in, (slot), NULL, (flags), \
			    fn_idle, NULL); \
	ASSERT_EQ(0, __rc) TH_LOG("spawn: %s", mol_strerror(__rc)); \
} while (0)
#define WAIT_STATE(slot, st, peer) do { \
	int __rc = mt_wait_state(&self->in, (slot), (st), (peer), MT_WAIT_MS); \
	ASSERT_EQ(0, __rc) TH_LOG("slot %d is %s, not %s", (slot), \
				  mt_state_name(mt_state(&self->in, (slot))), \
				  mt_state_name(st)); \
} while (0)
#define STATE_IS(slot, st) \
	ASSERT_EQ((int)(st), mt_state(&self->in, (slot))) \
		TH_LOG("slot %d is %s, not %s", (slot), \
		       mt_state_name(mt_state(&self->in, (slot))), \
		       mt_state_name(st))

/* ---------------------------------------------------------------- */
/* VERSION and parameters                                            */
/* ---------------------------------------------------------------- */

static long read_param(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), PARAM_DIR "/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int write_param(const char *name, const char *val)
{
	char path[128];
	int fd, rc = 0;

	snprintf(path, sizeof(path), PARAM_DIR "/%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

TEST_F(kmod, version)
{
	struct molipc_version v;
	int fd = open_dev();

	ASSERT_GE(fd, 0);
	memset(&v, 0xa5, sizeof(v));
	/* Anyone may ask, bound or not. */
	ASSERT_EQ(0, xioctl(fd, MOLIPC_IOC_VERSION, &v));
	close(fd);
	ASSERT_EQ(MOLIPC_ABI_MAJOR, v.major);
	ASSERT_EQ(MOLIPC_ABI_MINOR, v.minor);
	ASSERT_EQ(MOL_MSG_SIZE, v.msg_size);
	ASSERT_EQ(MOL_NR_TASKS, v.nr_tasks);
	ASSERT_EQ(read_param("nr_procs"), (long)v.default_procs);
	ASSERT_EQ(read_param("max_instances"), (long)v.max_instances);
	ASSERT_EQ(0, v.reserved[0]);
	ASSERT_EQ(0, v.reserved[1]);
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_VERSION, &v));
}

TEST_F(kmod, nr_procs_parameter)
{
	long old = read_param("nr_procs");
	struct molipc_version v;
	struct molipc_create c;
	struct molipc_procinfo pi;
	char buf[32];
	int fd;

	ASSERT_GE(old, MOL_MIN_PROCS);
	ASSERT_NE(0, write_param("nr_procs", "3"));	/* below the minimum */
	ASSERT_NE(0, write_param("nr_procs", "100000"));
	ASSERT_EQ(old, read_param("nr_procs"));
	ASSERT_EQ(0, write_param("nr_procs", "40"));
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_VERSION, &v));
	snprintf(buf, sizeof(buf), "%ld", old);
	/* An instance with the default size now has 40 slots. */
	fd = open_dev();
	ASSERT_GE(fd, 0);
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	write_param("nr_procs", buf);
	ASSERT_EQ(40, v.default_procs);
	memset(&pi, 0, sizeof(pi));
	pi.slot = 39;
	ASSERT_EQ(0, xioctl(fd, MOLIPC_IOC_PROCINFO, &pi));
	ASSERT_EQ(MOLIPC_PSTATE_FREE, pi.state);
	memset(&pi, 0, sizeof(pi));
	pi.slot = 40;
	ASSERT_NE(0, xioctl(fd, MOLIPC_IOC_PROCINFO, &pi));
	close(fd);
	ASSERT_EQ(old, read_param("nr_procs"));
}

/* ---------------------------------------------------------------- */
/* Bad pointers                                                      */
/* ---------------------------------------------------------------- */

TEST_F(kmod, null_unmapped_and_kernel_pointers)
{
	void *kernel = (void *)0xffff888000000000UL;
	struct molipc_create c;
	unsigned int i;
	int unbound = open_dev();

	ASSERT_GE(unbound, 0);
	for (i = 0; i < NR_IOCTLS; i++) {
		unsigned long cmd = ioctls[i].cmd;
		char zero[256] = { 0 };

		EXPECT_EQ(-EFAULT, xioctl(self->fd, cmd, NULL))
			TH_LOG("%s(NULL)", ioctls[i].name);
		EXPECT_EQ(-EFAULT, xioctl(self->fd, cmd, self->pg.hole))
			TH_LOG("%s(unmapped)", ioctls[i].name);
		EXPECT_EQ(-EFAULT, xioctl(self->fd, cmd, kernel))
			TH_LOG("%s(kernel address)", ioctls[i].name);
		EXPECT_EQ(-EFAULT, xioctl(self->fd, cmd,
					  straddle(&self->pg, zero,
						   _IOC_SIZE(cmd))))
			TH_LOG("%s(crossing into a hole)", ioctls[i].name);
		/* On an unbound descriptor too (CREATE would bind it). */
		EXPECT_EQ(-EFAULT, xioctl(unbound, cmd, NULL))
			TH_LOG("%s(NULL), unbound", ioctls[i].name);
	}
	/* Nothing happened to either descriptor. */
	STATE_IS(MOL_SYSTEM, MOLIPC_PSTATE_RUNNING);
	memset(&c, 0, sizeof(c));
	ASSERT_EQ(0, xioctl(unbound, MOLIPC_IOC_CREATE, &c));
	close(unbound);
}

TEST_F(kmod, read_only_argument_version_create)
{
	struct molipc_version v = { 0 };
	struct molipc_create c = { 0 };
	int fd = open_dev();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(-EFAULT, xioctl(fd, MOLIPC_IOC_VERSION,
				  ro_copy(&self->pg, &v, sizeof(v))));
	/* CREATE whose result cannot be written: no instance, not bound. */
	ASSERT_EQ(-EFAULT, xioctl(fd, MOLIPC_IOC_CREATE,
				  ro_copy(&self->pg, &c, sizeof(c))));
	ASSERT_EQ(-ENOTCONN, raw_ipc(fd, MOLIPC_IOC_NOTIFY, MOL_SYSTEM, 0, 0,
				     NULL));
	ASSERT_EQ(0, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	ASSERT_GT(c.instance, 0);
	close(fd);
}

/* Registered, unbound: bind with a read-only argument, then properly. */
static int fn_bind_ro(struct mt_proc *self, void *arg)
{
	struct molipc_bind b = { .instance = self->inst->id,
				 .endpoint = MOL_ANY };
	struct pages pg;

	if (pages_setup(&pg))
		return 50;
	mt_record(self, xioctl(self->mol.fd, MOLIPC_IOC_BIND,
			       ro_copy(&pg, &b, sizeof(b))), 0, NULL);
	mt_wait_go(self);
	mt_record(self, xioctl(self->mol.fd, MOLIPC_IOC_BIND, &b), 0, NULL);
	self->sh->value[0] = b.endpoint;
	mt_idle(self);
	return 0;
}

TEST_F(kmod, read_only_argument_register_bind)
{
	struct molipc_register r;

	SPAWN_IDLE(0, 20, MT_NO_REGISTER);
	memset(&r, 0, sizeof(r));
	r.pid = self->p[0].pid;
	r.slot = 20;
	mt_priv_server(&r.priv);
	ASSERT_EQ(-EFAULT, xioctl(self->fd, MOLIPC_IOC_REGISTER,
				  ro_copy(&self->pg, &r, sizeof(r))));
	STATE_IS(20, MOLIPC_PSTATE_FREE);
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r));
	STATE_IS(20, MOLIPC_PSTATE_REGISTERED);
	ASSERT_EQ(20, MOL_ENDPOINT_SLOT(r.endpoint));

	ASSERT_EQ(0, mt_spawn(&self->p[1], &self->in, 21, NULL, MT_NO_BIND,
			      fn_bind_ro, NULL));
	ASSERT_EQ(0, mt_wait_records(&self->p[1], 1, MT_WAIT_MS));
	ASSERT_EQ(-EFAULT, self->p[1].sh->rec[0].rc);
	STATE_IS(21, MOLIPC_PSTATE_REGISTERED);
	ASSERT_EQ(0, mt_go(&self->p[1]));
	ASSERT_EQ(0, mt_wait_records(&self->p[1], 2, MT_WAIT_MS));
	ASSERT_EQ(0, self->p[1].sh->rec[1].rc);
	ASSERT_EQ(self->p[1].endpoint, self->p[1].sh->value[0]);
	STATE_IS(21, MOLIPC_PSTATE_RUNNING);
}

TEST_F(kmod, read_only_argument_dead_procinfo)
{
	struct molipc_dead d;
	struct molipc_procinfo pi;
	unsigned int i;
	bool found = false;
	int ep;

	SPAWN_IDLE(0, 20, 0);
	ep = self->p[0].endpoint;
	ASSERT_EQ(0, mt_kill(&self->p[0], SIGKILL));
	ASSERT_EQ(-SIGKILL, mt_exit_code(&self->p[0], MT_WAIT_MS));
	WAIT_STATE(20, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	mt_msleep(50);
	memset(&d, 0, sizeof(d));
	d.count = MOLIPC_DEAD_MAX;
	ASSERT_EQ(-EFAULT, xioctl(self->fd, MOLIPC_IOC_DEAD,
				  ro_copy(&self->pg, &d, sizeof(d))));
	/* The record was not consumed. */
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_DEAD, &d));
	for (i = 0; i < d.count; i++)
		found |= d.ent[i].endpoint == ep;
	ASSERT_TRUE(found);
	memset(&pi, 0, sizeof(pi));
	pi.slot = MOL_SYSTEM;
	ASSERT_EQ(-EFAULT, xioctl(self->fd, MOLIPC_IOC_PROCINFO,
				  ro_copy(&self->pg, &pi, sizeof(pi))));
}

/* _IOW requests are only read: a const argument must do. */
TEST_F(kmod, read_only_argument_setpriv_unregister)
{
	struct molipc_endpoint_req e;

	SPAWN_IDLE(0, 20, 0);
	memset(&e, 0, sizeof(e));
	e.endpoint = self->p[0].endpoint;
	mt_priv_server(&e.priv);
	EXPECT_EQ(0, xioctl(self->fd, MOLIPC_IOC_SETPRIV,
			    ro_copy(&self->pg, &e, sizeof(e))));
	memset(&e.priv, 0, sizeof(e.priv));
	EXPECT_EQ(0, xioctl(self->fd, MOLIPC_IOC_UNREGISTER,
			    ro_copy(&self->pg, &e, sizeof(e))));
	EXPECT_EQ(MOLIPC_PSTATE_FREE, mt_state(&self->in, 20));
}

TEST_F(kmod, read_only_argument_receive_keeps_message)
{
	const struct call snd = { MOLIPC_OP_SEND, MOL_SYSTEM, 301 };
	const struct call ntf = { MOLIPC_OP_NOTIFY, MOL_SYSTEM, 0 };
	struct molipc_ipc req;

	SPAWN_CALL(0, 20, &snd);
	WAIT_STATE(20, MOLIPC_PSTATE_SENDING, MOL_SYSTEM);
	memset(&req, 0, sizeof(req));
	req.endpoint = MOL_ANY;
	ASSERT_EQ(-EFAULT, xioctl(self->fd, MOLIPC_IOC_RECEIVE,
				  ro_copy(&self->pg, &req, sizeof(req))));
	STATE_IS(20, MOLIPC_PSTATE_SENDING);
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_RECEIVE, &req));
	ASSERT_EQ(self->p[0].endpoint, req.msg.m_source);
	ASSERT_TRUE(mt_msg_check(&req.msg, 301, 301));
	/* A pending notification is not lost either. */
	SPAWN_CALL(1, 21, &ntf);
	ASSERT_EQ(0, mt_wait_records(&self->p[1], 1, MT_WAIT_MS));
	memset(&req, 0, sizeof(req));
	req.endpoint = MOL_ANY;
	ASSERT_EQ(-EFAULT, xioctl(self->fd, MOLIPC_IOC_RECEIVE,
				  ro_copy(&self->pg, &req, sizeof(req))));
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_RECEIVE, &req));
	ASSERT_EQ(self->p[1].endpoint, req.msg.m_source);
	ASSERT_EQ(MOL_NOTIFY_MESSAGE, req.msg.m_type);
}

TEST_F(kmod, read_only_argument_sendrec_reply_recv)
{
	const struct call rcv = { MOLIPC_OP_RECEIVE, MOL_ANY, 0 };
	const struct call cli = { MOLIPC_OP_SENDREC, MOL_SYSTEM, 311 };
	struct molipc_ipc req;

	/* sendrec whose reply could not be written: not sent. */
	SPAWN_CALL(0, 20, &rcv);
	WAIT_STATE(20, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	memset(&req, 0, sizeof(req));
	req.endpoint = self->p[0].endpoint;
	mt_msg_fill(&req.msg, 310, 310);
	ASSERT_EQ(-EFAULT, xioctl(self->fd, MOLIPC_IOC_SENDREC,
				  ro_copy(&self->pg, &req, sizeof(req))));
	STATE_IS(20, MOLIPC_PSTATE_RECEIVING);
	STATE_IS(MOL_SYSTEM, MOLIPC_PSTATE_RUNNING);
	ASSERT_EQ(0, self->p[0].sh->nrec);

	/* reply_recv whose result could not be written: no reply. */
	SPAWN_CALL(1, 21, &cli);
	memset(&req, 0, sizeof(req));
	req.endpoint = MOL_ANY;
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_RECEIVE, &req));
	ASSERT_EQ(self->p[1].endpoint, req.msg.m_source);
	ASSERT_EQ(MOLIPC_STATUS_SENDREC, req.status);
	WAIT_STATE(21, MOLIPC_PSTATE_REPLYWAIT, MOL_SYSTEM);
	memset(&req, 0, sizeof(req));
	req.endpoint = self->p[1].endpoint;
	req.src = MOL_ANY;
	req.flags = MOLIPC_IPC_TIMEOUT;
	mt_msg_fill(&req.msg, 312, 312);
	ASSERT_EQ(-EFAULT, xioctl(self->fd, MOLIPC_IOC_REPLY_RECV,
				  ro_copy(&self->pg, &req, sizeof(req))));
	STATE_IS(21, MOLIPC_PSTATE_REPLYWAIT);
	ASSERT_EQ(0, self->p[1].sh->nrec);
	ASSERT_EQ(-ETIMEDOUT, xioctl(self->fd, MOLIPC_IOC_REPLY_RECV, &req));
	ASSERT_EQ(0, mt_wait_records(&self->p[1], 1, MT_WAIT_MS));
	ASSERT_EQ(0, self->p[1].sh->rec[0].rc);
	ASSERT_TRUE(mt_msg_check(&self->p[1].sh->rec[0].msg, 312, 312));
}

/*
 * send, notify and sendnb return nothing: with a read-only argument the
 * call either fails with EFAULT and delivers nothing, or succeeds and
 * delivers exactly once.
 */
TEST_F(kmod, read_only_argument_send_is_consistent)
{
	static const unsigned long cmds[] = { MOLIPC_IOC_SEND,
		MOLIPC_IOC_NOTIFY, MOLIPC_IOC_SENDNB };
	const struct call rcv = { MOLIPC_OP_RECEIVE, MOL_ANY, 0 };
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct molipc_ipc req;
		int slot = 20 + (int)i, rc;

		SPAWN_CALL(i, slot, &rcv);
		WAIT_STATE(slot, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
		memset(&req, 0, sizeof(req));
		req.endpoint = self->p[i].endpoint;
		mt_msg_fill(&req.msg, 320, 320);
		rc = xioctl(self->fd, cmds[i],
			    ro_copy(&self->pg, &req, sizeof(req)));
		TH_LOG("%s with a read-only argument: %s",
		       i == 0 ? "SEND" : i == 1 ? "NOTIFY" : "SENDNB",
		       mol_strerror(rc));
		if (rc == -EFAULT) {
			mt_msleep(50);
			STATE_IS(slot, MOLIPC_PSTATE_RECEIVING);
			ASSERT_EQ(0, self->p[i].sh->nrec);
		} else {
			ASSERT_EQ(0, rc);
			ASSERT_EQ(0, mt_wait_records(&self->p[i], 1,
						     MT_WAIT_MS));
			ASSERT_EQ(0, self->p[i].sh->rec[0].rc);
			ASSERT_EQ(MOL_SYSTEM,
				  self->p[i].sh->rec[0].msg.m_source);
			ASSERT_EQ(0, mt_go(&self->p[i]));
			ASSERT_EQ(0, mt_wait_records(&self->p[i], 2,
						     MT_WAIT_MS));
			ASSERT_EQ(-ETIMEDOUT, self->p[i].sh->rec[1].rc);
		}
	}
}

/* ---------------------------------------------------------------- */
/* ioctl numbers                                                     */
/* ---------------------------------------------------------------- */

TEST_F(kmod, wrong_size_or_direction_is_enotty)
{
	static char buf[8192];
	static const int deltas[] = { -8, -4, -1, 1, 4, 8, 64 };
	unsigned int i, j;

	for (i = 0; i < NR_IOCTLS; i++) {
		unsigned long cmd = ioctls[i].cmd;
		unsigned int size = _IOC_SIZE(cmd), dir = _IOC_DIR(cmd);
		unsigned int d;

		for (j = 0; j < ARRAY_SIZE(deltas); j++) {
			unsigned long bad = _IOC(dir, MOLIPC_IOC_MAGIC,
						 _IOC_NR(cmd),
						 size + deltas[j]);

			memset(buf, 0, sizeof(buf));
			EXPECT_EQ(-ENOTTY, xioctl(self->fd, bad, buf))
				TH_LOG("%s with size %u", ioctls[i].name,
				       size + deltas[j]);
		}
		for (d = 0; d < 4; d++) {
			if (d == dir)
				continue;
			memset(buf, 0, sizeof(buf));
			EXPECT_EQ(-ENOTTY,
				  xioctl(self->fd, _IOC(d, MOLIPC_IOC_MAGIC,
							_IOC_NR(cmd), size),
					 buf))
				TH_LOG("%s with direction %u", ioctls[i].name, d);
		}
		/* Another magic with the same layout. */
		memset(buf, 0, sizeof(buf));
		EXPECT_EQ(-ENOTTY, xioctl(self->fd, _IOC(dir, 0xb8, _IOC_NR(cmd),
							  size), buf));
	}
	/* Numbers the ABI does not use. */
	for (i = 0; i < 256; i++) {
		bool used = false;

		for (j = 0; j < NR_IOCTLS; j++)
			used |= _IOC_NR(ioctls[j].cmd) == i;
		if (used)
			continue;
		memset(buf, 0, sizeof(buf));
		EXPECT_EQ(-ENOTTY, xioctl(self->fd, _IOWR(MOLIPC_IOC_MAGIC, i,
							   struct molipc_ipc),
					  buf)) TH_LOG("number %#x", i);
	}
	STATE_IS(MOL_SYSTEM, MOLIPC_PSTATE_RUNNING);
}

/* ---------------------------------------------------------------- */
/* Reserved fields and flags                                         */
/* ---------------------------------------------------------------- */

TEST_F(kmod, create_rejects_reserved_and_bad_sizes)
{
	struct molipc_procinfo pi;
	struct molipc_create c;
	unsigned int i;
	int fd = open_dev();

	ASSERT_GE(fd, 0);
	memset(&c, 0, sizeof(c));
	c.flags = 1U << 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	c.flags = 1U << 31;
	EXPECT_EQ(-EINVAL, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	for (i = 0; i < 4; i++) {
		memset(&c, 0, sizeof(c));
		c.reserved[i] = 1;
		EXPECT_EQ(-EINVAL, xioctl(fd, MOLIPC_IOC_CREATE, &c))
			TH_LOG("reserved[%u]", i);
	}
	memset(&c, 0, sizeof(c));
	c.nr_procs = MOL_MAX_PROCS + 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	c.nr_procs = MOL_MIN_PROCS - 1;
	EXPECT_EQ(-EINVAL, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	/* Still unbound, and a good request works. */
	EXPECT_EQ(-ENOTCONN, raw_ipc(fd, MOLIPC_IOC_NOTIFY, MOL_SYSTEM, 0, 0,
				     NULL));
	memset(&c, 0, sizeof(c));
	c.nr_procs = MOL_MIN_PROCS;
	ASSERT_EQ(0, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	/* The instance has exactly MOL_MIN_PROCS slots. */
	memset(&pi, 0, sizeof(pi));
	pi.slot = MOL_MIN_PROCS - 1;
	EXPECT_EQ(0, xioctl(fd, MOLIPC_IOC_PROCINFO, &pi));
	pi.slot = MOL_MIN_PROCS;
	EXPECT_NE(0, xioctl(fd, MOLIPC_IOC_PROCINFO, &pi));
	EXPECT_EQ(-ENXIO, raw_ipc(fd, MOLIPC_IOC_SEND,
				  MOL_ENDPOINT(0, MOL_MIN_PROCS), 0, 0, NULL));
	/* A bound descriptor cannot create again. */
	memset(&c, 0, sizeof(c));
	EXPECT_NE(0, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	close(fd);
}

static int fn_bind_reserved(struct mt_proc *self, void *arg)
{
	struct molipc_bind b = { .instance = self->inst->id,
				 .endpoint = MOL_ANY, .flags = 1 };

	mt_record(self, xioctl(self->mol.fd, MOLIPC_IOC_BIND, &b), 0, NULL);
	b.flags = 0;
	b.reserved = 1;
	mt_record(self, xioctl(self->mol.fd, MOLIPC_IOC_BIND, &b), 0, NULL);
	b.reserved = 0;
	mt_record(self, xioctl(self->mol.fd, MOLIPC_IOC_BIND, &b), 0, NULL);
	mt_idle(self);
	return 0;
}

TEST_F(kmod, control_requests_reject_reserved_fields)
{
	struct molipc_register r;
	struct molipc_endpoint_req e;
	struct molipc_dead d;
	struct molipc_procinfo pi;
	int ep, fd;

	SPAWN_IDLE(0, 20, MT_NO_REGISTER);
	memset(&r, 0, sizeof(r));
	r.pid = self->p[0].pid;
	r.slot = 20;
	mt_priv_server(&r.priv);
	r.flags = 1;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r));
	r.flags = 0;
	r.priv.flags = 1U << 5;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r));
	r.priv.flags = 0;
	r.priv.trap_mask = MOLIPC_TRAPS_ALL | 1U;	/* bit 0: no op 0 */
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r));
	r.priv.trap_mask = MOLIPC_TRAPS_ALL | (1U << (MOLIPC_OP_MAX + 1));
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r));
	STATE_IS(20, MOLIPC_PSTATE_FREE);
	mt_priv_server(&r.priv);
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r));
	ep = r.endpoint;

	memset(&e, 0, sizeof(e));
	e.endpoint = ep;
	e.flags = 1;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_UNREGISTER, &e));
	e.flags = 0;
	e.priv.trap_mask = MOLIPC_TRAPS_USER;	/* priv must be zero here */
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_UNREGISTER, &e));
	STATE_IS(20, MOLIPC_PSTATE_REGISTERED);
	mt_priv_server(&e.priv);
	e.flags = 1;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_SETPRIV, &e));
	e.flags = 0;
	e.priv.flags = 1U << 9;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_SETPRIV, &e));
	e.priv.flags = 0;
	e.priv.trap_mask = 1U << 20;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_SETPRIV, &e));

	/* BIND with reserved bits, from a registered child. */
	ASSERT_EQ(0, mt_spawn(&self->p[1], &self->in, 21, NULL, MT_NO_BIND,
			      fn_bind_reserved, NULL));
	ASSERT_EQ(0, mt_wait_records(&self->p[1], 3, MT_WAIT_MS));
	EXPECT_EQ(-EINVAL, self->p[1].sh->rec[0].rc);
	EXPECT_EQ(-EINVAL, self->p[1].sh->rec[1].rc);
	EXPECT_EQ(0, self->p[1].sh->rec[2].rc);

	memset(&d, 0, sizeof(d));
	d.count = MOLIPC_DEAD_MAX;
	d.flags = 1;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_DEAD, &d));
	memset(&pi, 0, sizeof(pi));
	pi.slot = 20;
	pi.flags = 1;
	EXPECT_EQ(-EINVAL, xioctl(self->fd, MOLIPC_IOC_PROCINFO, &pi));
	/* IPC: flags are checked before anything else, even unbound. */
	fd = open_dev();
	ASSERT_GE(fd, 0);
	EXPECT_EQ(-EINVAL, raw_ipc(fd, MOLIPC_IOC_SEND, MOL_SYSTEM, 1U << 4, 0,
				   NULL));
	EXPECT_EQ(-EINVAL, raw_ipc(fd, MOLIPC_IOC_RECEIVE, MOL_ANY, 0, 5,
				   NULL));
	EXPECT_EQ(-ENOTCONN, raw_ipc(fd, MOLIPC_IOC_RECEIVE, MOL_ANY,
				     MOLIPC_IPC_TIMEOUT, 0, NULL));
	close(fd);
}

TEST_F(kmod, out_of_range_endpoints)
{
	struct molipc_endpoint_req e;
	struct molipc_procinfo pi;
	static const int bad[] = {
		MOL_ENDPOINT(0, MT_NR_PROCS), MOL_ENDPOINT(0, MT_NR_PROCS + 1),
		MOL_ENDPOINT(0, -MOL_NR_TASKS - 1), MOL_ENDPOINT(0, 4095),
		MOL_NONE, MOL_ANY, (int)0x80000000, -1000, 0x7fffffff,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int rc;

		EXPECT_EQ(-ENXIO, raw_ipc(self->fd, MOLIPC_IOC_SEND, bad[i],
					  MOLIPC_IPC_TIMEOUT, 0, NULL))
			TH_LOG("send to %#x", bad[i]);
		EXPECT_EQ(-ENXIO, raw_ipc(self->fd, MOLIPC_IOC_NOTIFY, bad[i],
					  0, 0, NULL)) TH_LOG("notify %#x", bad[i]);
		if (bad[i] != MOL_ANY)
			EXPECT_EQ(-ENXIO, raw_ipc(self->fd, MOLIPC_IOC_RECEIVE,
						  bad[i], MOLIPC_IPC_TIMEOUT,
						  0, NULL))
				TH_LOG("receive from %#x", bad[i]);
		memset(&e, 0, sizeof(e));
		e.endpoint = bad[i];
		rc = xioctl(self->fd, MOLIPC_IOC_UNREGISTER, &e);
		EXPECT_TRUE(rc == -ENXIO || rc == -EINVAL)
			TH_LOG("unregister %#x: %d", bad[i], rc);
		mt_priv_server(&e.priv);
		rc = xioctl(self->fd, MOLIPC_IOC_SETPRIV, &e);
		EXPECT_TRUE(rc == -ENXIO || rc == -EINVAL)
			TH_LOG("setpriv %#x: %d", bad[i], rc);
	}
	for (i = 0; i < 4; i++) {
		static const int slots[] = { MT_NR_PROCS, -MOL_NR_TASKS - 1,
					     1 << 20, -(1 << 20) };
		int rc;

		memset(&pi, 0, sizeof(pi));
		pi.slot = slots[i];
		rc = xioctl(self->fd, MOLIPC_IOC_PROCINFO, &pi);
		EXPECT_TRUE(rc == -ENXIO || rc == -EINVAL)
			TH_LOG("procinfo slot %d: %d", slots[i], rc);
	}
	/* Well-formed but stale or free: ESRCH. */
	EXPECT_EQ(-ESRCH, raw_ipc(self->fd, MOLIPC_IOC_SEND,
				  MOL_ENDPOINT(7, 20), MOLIPC_IPC_TIMEOUT, 0,
				  NULL));
	EXPECT_EQ(-ESRCH, raw_ipc(self->fd, MOLIPC_IOC_SEND, MOL_CLOCK,
				  MOLIPC_IPC_TIMEOUT, 0, NULL));
}

/* ---------------------------------------------------------------- */
/* Capabilities, fork, close                                         */
/* ---------------------------------------------------------------- */

static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[CAP_SYS_ADMIN / 32].effective &= ~(1U << (CAP_SYS_ADMIN % 32));
	data[CAP_SYS_ADMIN / 32].permitted &= ~(1U << (CAP_SYS_ADMIN % 32));
	data[CAP_SYS_ADMIN / 32].inheritable &= ~(1U << (CAP_SYS_ADMIN % 32));
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

/* In a child: CREATE result (or 100 + step on setup failure). */
static int create_unprivileged(bool as_nobody)
{
	struct molipc_create c = { 0 };
	struct molipc_version v;
	int fd, rc;

	if (as_nobody) {
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			return 101;
	} else if (drop_cap_sys_admin()) {
		return 102;
	}
	fd = open_dev();
	if (fd < 0)
		return errno == EACCES ? 0 : 103;	/* cannot even open */
	if (xioctl(fd, MOLIPC_IOC_VERSION, &v))
		return 104;
	rc = xioctl(fd, MOLIPC_IOC_CREATE, &c);
	if (rc != -EPERM)
		return 105;
	/* And the descriptor stays unbound. */
	if (raw_ipc(fd, MOLIPC_IOC_NOTIFY, MOL_SYSTEM, 0, 0, NULL) != -ENOTCONN)
		return 106;
	return 0;
}

TEST_F(kmod, create_needs_cap_sys_admin)
{
	int i;

	for (i = 0; i < 2; i++) {
		int status;
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (!pid)
			_exit(create_unprivileged(i == 1));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status))
			TH_LOG("%s: step %d", i ? "as nobody" : "without the cap",
			       WEXITSTATUS(status));
	}
}

TEST_F(kmod, appointed_system_task)
{
	struct molipc_create c = { .flags = MOLIPC_CREATE_APPOINT };
	struct molipc_bind b = { 0 };
	int fd = open_dev(), go[2], res[2], status, fd2, rc[2];
	pid_t pid;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(res));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		struct molipc_bind b = { 0 };
		struct molipc_register r = { 0 };
		unsigned int inst;
		int cfd, rc[2];

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fd);
		if (read(go[0], &inst, sizeof(inst)) != sizeof(inst))
			_exit(1);
		cfd = open_dev();
		b.instance = inst;
		b.endpoint = MOL_ANY;
		rc[0] = xioctl(cfd, MOLIPC_IOC_BIND, &b);
		if (!rc[0])
			rc[0] = b.endpoint == MOL_SYSTEM ? 0 : -1000;
		r.pid = getppid();
		r.slot = 20;
		mt_priv_server(&r.priv);
		rc[1] = xioctl(cfd, MOLIPC_IOC_REGISTER, &r);
		if (write(res[1], rc, sizeof(rc)) != sizeof(rc))
			_exit(2);
		pause();
		_exit(0);
	}
	c.system_pid = pid;
	ASSERT_EQ(0, xioctl(fd, MOLIPC_IOC_CREATE, &c));
	ASSERT_GT(c.instance, 0);
	/* The creator stays unbound. */
	EXPECT_EQ(-ENOTCONN, raw_ipc(fd, MOLIPC_IOC_NOTIFY, MOL_SYSTEM, 0, 0,
				     NULL));
	ASSERT_EQ(sizeof(c.instance), write(go[1], &c.instance,
					    sizeof(c.instance)));
	ASSERT_EQ(sizeof(rc), read(res[0], rc, sizeof(rc)));
	EXPECT_EQ(0, rc[0]) TH_LOG("appointee bind");
	EXPECT_EQ(0, rc[1]) TH_LOG("appointee register");
	/* Only the appointee could bind MOL_SYSTEM: we cannot. */
	b.instance = c.instance;
	b.endpoint = MOL_SYSTEM;
	fd2 = open_dev();
	EXPECT_EQ(-EPERM, xioctl(fd2, MOLIPC_IOC_BIND, &b));
	close(fd2);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(fd);
}

/* Child side: try every call on the parent's (system task's) fd. */
static int use_inherited_fd(int fd, unsigned int inst)
{
	struct molipc_register r = { .pid = getpid(), .slot = 30 };
	struct molipc_procinfo pi = { .slot = MOL_SYSTEM };
	struct molipc_dead d = { .count = MOLIPC_DEAD_MAX };
	struct molipc_bind b = { .instance = inst, .endpoint = MOL_ANY };
	struct molipc_create c = { 0 };
	int rc;

	if (raw_ipc(fd, MOLIPC_IOC_SEND, MOL_ENDPOINT(0, 20),
		    MOLIPC_IPC_TIMEOUT, 0, NULL) != -ENOTCONN)
		return 1;
	if (raw_ipc(fd, MOLIPC_IOC_RECEIVE, MOL_ANY, MOLIPC_IPC_TIMEOUT, 0,
		    NULL) != -ENOTCONN)
		return 2;
	if (raw_ipc(fd, MOLIPC_IOC_NOTIFY, MOL_ENDPOINT(0, 20), 0, 0,
		    NULL) != -ENOTCONN)
		return 3;
	if (raw_ipc(fd, MOLIPC_IOC_SENDREC, MOL_ENDPOINT(0, 20),
		    MOLIPC_IPC_TIMEOUT, 0, NULL) != -ENOTCONN)
		return 4;
	mt_priv_server(&r.priv);
	rc = xioctl(fd, MOLIPC_IOC_REGISTER, &r);
	if (rc != -ENOTCONN && rc != -EPERM)
		return 5;
	rc = xioctl(fd, MOLIPC_IOC_PROCINFO, &pi);
	if (rc != -ENOTCONN && rc != -EPERM)
		return 6;
	rc = xioctl(fd, MOLIPC_IOC_DEAD, &d);
	if (rc != -ENOTCONN && rc != -EPERM)
		return 7;
	rc = xioctl(fd, MOLIPC_IOC_BIND, &b);
	if (rc == 0)
		return 8;
	rc = xioctl(fd, MOLIPC_IOC_CREATE, &c);
	if (rc == 0)
		return 9;
	return 0;
}

TEST_F(kmod, fork_child_cannot_use_system_fd)
{
	const struct call rcv = { MOLIPC_OP_RECEIVE, MOL_ANY, 0 };
	struct molipc_procinfo pi = { .slot = MOL_SYSTEM };
	int status;
	pid_t pid;

	SPAWN_CALL(0, 20, &rcv);
	WAIT_STATE(20, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(use_inherited_fd(self->fd, self->in.id));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status)) TH_LOG("failed at check %d",
						 WEXITSTATUS(status));
	/* Nothing reached the peer; the parent still is the system task. */
	STATE_IS(20, MOLIPC_PSTATE_RECEIVING);
	ASSERT_EQ(0, self->p[0].sh->nrec);
	ASSERT_EQ(MOLIPC_PSTATE_FREE, mt_state(&self->in, 30));
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_PROCINFO, &pi));
	ASSERT_EQ(getpid(), pi.pid);
	ASSERT_EQ(0, raw_ipc(self->fd, MOLIPC_IOC_SEND, self->p[0].endpoint,
			     0, 0, NULL));
	ASSERT_EQ(0, mt_wait_records(&self->p[0], 1, MT_WAIT_MS));
	ASSERT_EQ(MOL_SYSTEM, self->p[0].sh->rec[0].msg.m_source);
}

/* 0: close; 1: dup, close, close the dup; 2: fork a holder, exit. */
struct fd_plan {
	int mode;
};

/* Bound participant that gets rid of its endpoint in several ways. */
static int fn_fd_plan(struct mt_proc *self, void *arg)
{
	const struct fd_plan *plan = arg;
	int dup_fd;
	pid_t holder;

	switch (plan->mode) {
	case 0:
		mt_wait_go(self);
		close(self->mol.fd);
		self->mol.fd = open_dev();
		mt_record(self, mol_bind(&self->mol, self->inst->id, MOL_ANY,
					 NULL), 0, NULL);
		break;
	case 1:
		dup_fd = dup(self->mol.fd);
		mt_wait_go(self);
		close(self->mol.fd);
		mt_record(self, 0, 0, NULL);
		mt_wait_go(self);
		close(dup_fd);
		break;
	case 2:
		holder = fork();
		if (holder == 0) {
			/* Keeps the descriptor open, tries to use it. */
			mt_msleep(300);
			self->sh->value[0] = raw_ipc(self->mol.fd,
						     MOLIPC_IOC_RECEIVE,
						     MOL_ANY,
						     MOLIPC_IPC_TIMEOUT, 0,
						     NULL);
			self->sh->value[1] = 1;
			mt_msleep(10000);	/* the test kills it sooner */
			_exit(0);
		}
		self->sh->value[2] = holder;
		mt_wait_go(self);
		return 7;
	}
	mt_record(self, 0, 0, NULL);
	mt_idle(self);
	return 0;
}

static int take_dead(int fd, int ep, struct molipc_dead_entry *out)
{
	uint64_t end = mt_now_ns() + MT_WAIT_MS * MS;

	do {
		struct molipc_dead d = { .count = MOLIPC_DEAD_MAX };
		unsigned int i;

		if (xioctl(fd, MOLIPC_IOC_DEAD, &d))
			return -errno;
		for (i = 0; i < d.count; i++) {
			if (d.ent[i].endpoint == ep) {
				*out = d.ent[i];
				return 0;
			}
		}
		mt_msleep(5);
	} while (mt_now_ns() < end);
	return -ETIMEDOUT;
}

TEST_F(kmod, close_of_bound_fd_frees_endpoint)
{
	static const struct fd_plan plan = { 0 };
	struct molipc_dead_entry e;

	ASSERT_EQ(0, mt_spawn(&self->p[0], &self->in, 20, NULL, 0, fn_fd_plan,
			      (void *)&plan));
	ASSERT_EQ(0, mt_go(&self->p[0]));
	ASSERT_EQ(0, mt_wait_records(&self->p[0], 1, MT_WAIT_MS));
	/* The registration went with it: binding again is refused. */
	ASSERT_EQ(-EPERM, self->p[0].sh->rec[0].rc);
	WAIT_STATE(20, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	ASSERT_EQ(0, take_dead(self->fd, self->p[0].endpoint, &e));
	ASSERT_EQ(-1, e.status);
	ASSERT_EQ(self->p[0].pid, e.pid);
	ASSERT_EQ(0, kill(self->p[0].pid, 0));	/* alive */
}

TEST_F(kmod, endpoint_lives_until_last_close)
{
	static const struct fd_plan plan = { 1 };

	ASSERT_EQ(0, mt_spawn(&self->p[0], &self->in, 20, NULL, 0, fn_fd_plan,
			      (void *)&plan));
	ASSERT_EQ(0, mt_go(&self->p[0]));
	ASSERT_EQ(0, mt_wait_records(&self->p[0], 1, MT_WAIT_MS));
	mt_msleep(100);
	STATE_IS(20, MOLIPC_PSTATE_RUNNING);	/* the dup keeps it */
	ASSERT_EQ(0, mt_go(&self->p[0]));
	WAIT_STATE(20, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
}

TEST_F(kmod, exit_frees_endpoint_while_fd_is_shared)
{
	static const struct fd_plan plan = { 2 };
	struct molipc_dead_entry e;
	uint64_t end;
	pid_t holder;

	ASSERT_EQ(0, mt_spawn(&self->p[0], &self->in, 20, NULL, 0, fn_fd_plan,
			      (void *)&plan));
	ASSERT_EQ(0, mt_go(&self->p[0]));
	ASSERT_EQ(7, mt_exit_code(&self->p[0], MT_WAIT_MS));
	holder = (pid_t)self->p[0].sh->value[2];
	ASSERT_GT(holder, 0);
	/* The holder still has the descriptor open; the slot is free. */
	WAIT_STATE(20, MOLIPC_PSTATE_FREE, MT_ANY_PEER);
	ASSERT_EQ(0, take_dead(self->fd, self->p[0].endpoint, &e));
	ASSERT_TRUE(WIFEXITED(e.status));
	ASSERT_EQ(7, WEXITSTATUS(e.status));
	/* And it cannot act with the dead endpoint. */
	end = mt_now_ns() + MT_WAIT_MS * MS;
	while (!self->p[0].sh->value[1] && mt_now_ns() < end)
		mt_msleep(5);
	ASSERT_EQ(1, self->p[0].sh->value[1]);
	ASSERT_EQ(-ENOTCONN, self->p[0].sh->value[0]);
	kill(holder, SIGKILL);
}

/* ---------------------------------------------------------------- */
/* Threads                                                           */
/* ---------------------------------------------------------------- */

struct thread_call {
	struct mol *mol;
	int rc;
};

static void *thread_receive(void *arg)
{
	struct thread_call *t = arg;
	struct mol_message m;

	t->rc = mt_ipc_timeout(t->mol, MOLIPC_OP_RECEIVE, MOL_ANY, &m, NULL,
			       3000 * MS);
	return NULL;
}

/* One thread receives; the other tries calls on the same endpoint. */
static int fn_two_threads(struct mt_proc *self, void *arg)
{
	struct thread_call t = { .mol = &self->mol, .rc = 1 };
	struct mol_message m;
	pthread_t th;

	if (pthread_create(&th, NULL, thread_receive, &t))
		return 60;
	mt_wait_go(self);
	mt_record(self, mol_notify(&self->mol, MOL_SYSTEM), 0, NULL);
	mt_record(self, mt_ipc_timeout(&self->mol, MOLIPC_OP_RECEIVE, MOL_ANY,
				       &m, NULL, 0), 0, NULL);
	pthread_join(th, NULL);
	mt_record(self, t.rc, 0, NULL);
	mt_idle(self);
	return 0;
}

TEST_F(kmod, second_thread_on_busy_endpoint_gets_ebusy)
{
	struct mol_message m;

	ASSERT_EQ(0, mt_spawn(&self->p[0], &self->in, 20, NULL, 0,
			      fn_two_threads, NULL));
	WAIT_STATE(20, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	ASSERT_EQ(0, mt_go(&self->p[0]));
	ASSERT_EQ(0, mt_wait_records(&self->p[0], 3, MT_WAIT_MS));
	EXPECT_EQ(-EBUSY, self->p[0].sh->rec[0].rc);
	EXPECT_EQ(-EBUSY, self->p[0].sh->rec[1].rc);
	EXPECT_EQ(-ETIMEDOUT, self->p[0].sh->rec[2].rc);
	/* The refused notify left nothing pending for us. */
	EXPECT_EQ(-ETIMEDOUT, mt_ipc_timeout(&self->in.sys, MOLIPC_OP_RECEIVE,
					     MOL_ANY, &m, NULL, 0));
}

/* A timed receive a handled signal interrupts: rc and ms left. */
static int fn_timed_receive(struct mt_proc *self, void *arg)
{
	struct molipc_ipc req;
	int rc;

	if (mt_catch_signal(self, SIGUSR1))
		return 61;
	rc = raw_ipc(self->mol.fd, MOLIPC_IOC_RECEIVE, MOL_ANY,
		     MOLIPC_IPC_TIMEOUT, 20000 * MS, &req);
	mt_record(self, rc, (unsigned int)(req.timeout_ns / MS), NULL);
	mt_idle(self);
	return 0;
}

/*
 * A withdrawn timed call writes back the time it had left, so that a
 * restart (after a stop signal) does not wait the whole timeout again.
 */
TEST_F(kmod, interrupted_timed_call_reports_time_left)
{
	unsigned int left;

	ASSERT_EQ(0, mt_spawn(&self->p[0], &self->in, 20, NULL, 0,
			      fn_timed_receive, NULL));
	WAIT_STATE(20, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
	ASSERT_EQ(0, mt_kill(&self->p[0], SIGUSR1));
	ASSERT_EQ(0, mt_wait_records(&self->p[0], 1, MT_WAIT_MS));
	EXPECT_EQ(-EINTR, self->p[0].sh->rec[0].rc);
	left = self->p[0].sh->rec[0].status;
	EXPECT_GT(left, 0U);
	EXPECT_LT(left, 20000U);
	STATE_IS(20, MOLIPC_PSTATE_RUNNING);
}

/*
 * The last reference to an instance goes (its system task's descriptor
 * is closed) while someone binds to it: the bind must fail cleanly.
 */
TEST_F(kmod, bind_to_dying_instance)
{
	long taint = mt_kernel_taint();
	int i, rc, other = open_dev();

	ASSERT_GE(other, 0);
	for (i = 0; i < 200; i++) {
		struct molipc_create c = { .nr_procs = MOL_MIN_PROCS };
		struct molipc_bind b = { .endpoint = MOL_ANY };
		int fd = open_dev();

		ASSERT_GE(fd, 0);
		ASSERT_EQ(0, xioctl(fd, MOLIPC_IOC_CREATE, &c));
		close(fd);
		b.instance = c.instance;
		rc = xioctl(other, MOLIPC_IOC_BIND, &b);
		ASSERT_EQ(-EPERM, rc) TH_LOG("round %d", i);
	}
	close(other);
	ASSERT_EQ(taint, mt_kernel_taint())
		TH_LOG("the kernel complained (see dmesg)");
}

/* ---------------------------------------------------------------- */
/* Sizes, generations, pid namespaces                                */
/* ---------------------------------------------------------------- */

static int fn_notify_then_receive(struct mt_proc *self, void *arg)
{
	int peer = *(int *)arg;
	struct mol_message m;
	unsigned int st = 0;

	mt_wait_go(self);
	mt_record(self, mol_notify(&self->mol, peer), 0, NULL);
	mt_record(self, mt_ipc_timeout(&self->mol, MOLIPC_OP_RECEIVE, MOL_ANY,
				       &m, &st, 10000 * MS), st, &m);
	mt_idle(self);
	return 0;
}

TEST_F(kmod, largest_instance)
{
	struct mt_inst big;
	struct molipc_procinfo pi;
	int a_ep, b_ep;

	ASSERT_EQ(0, mt_inst_create(&big, MOL_MAX_PROCS));
	memset(&pi, 0, sizeof(pi));
	pi.slot = MOL_MAX_PROCS - 1;
	ASSERT_EQ(0, mol_procinfo(&big.sys, &pi));
	pi.slot = MOL_MAX_PROCS;
	ASSERT_NE(0, mol_procinfo(&big.sys, &pi));
	/* The highest slots notify each other. */
	b_ep = MOL_NONE;
	ASSERT_EQ(0, mt_spawn(&self->p[0], &big, MOL_MAX_PROCS - 1, NULL, 0,
			      fn_notify_then_receive, &b_ep));
	a_ep = self->p[0].endpoint;
	ASSERT_EQ(0, mt_spawn(&self->p[1], &big, MOL_MAX_PROCS - 2, NULL, 0,
			      fn_notify_then_receive, &a_ep));
	b_ep = self->p[1].endpoint;
	(void)b_ep;
	ASSERT_EQ(0, mt_go(&self->p[1]));	/* p1 notifies p0 */
	ASSERT_EQ(0, mt_wait_records(&self->p[1], 1, MT_WAIT_MS));
	ASSERT_EQ(0, self->p[1].sh->rec[0].rc);
	ASSERT_EQ(0, mt_go(&self->p[0]));	/* p0 notifies MOL_NONE... */
	ASSERT_EQ(0, mt_wait_records(&self->p[0], 2, MT_WAIT_MS));
	ASSERT_EQ(-ENXIO, self->p[0].sh->rec[0].rc);
	ASSERT_EQ(0, self->p[0].sh->rec[1].rc);	/* ...and gets p1's */
	ASSERT_EQ(self->p[1].endpoint, self->p[0].sh->rec[1].msg.m_source);
	ASSERT_EQ(MOL_NOTIFY_MESSAGE, self->p[0].sh->rec[1].msg.m_type);
	mt_kill_all();
	mt_inst_destroy(&big);
}

TEST_F_TIMEOUT(kmod, generations_stay_valid, 120)
{
	struct molipc_register r;
	struct molipc_endpoint_req e;
	int i, prev = MOL_NONE, wraps = 0;

	SPAWN_IDLE(0, 20, MT_NO_REGISTER);
	memset(&r, 0, sizeof(r));
	r.pid = self->p[0].pid;
	r.slot = 20;
	mt_priv_server(&r.priv);
	for (i = 0; i < MOL_MAX_GEN + 100; i++) {
		r.endpoint = 0;		/* out only */
		ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r))
			TH_LOG("round %d", i);
		ASSERT_EQ(20, MOL_ENDPOINT_SLOT(r.endpoint))
			TH_LOG("round %d: endpoint %#x", i, r.endpoint);
		ASSERT_GE(MOL_ENDPOINT_GEN(r.endpoint), 0)
			TH_LOG("round %d: endpoint %#x", i, r.endpoint);
		ASSERT_LE(MOL_ENDPOINT_GEN(r.endpoint), MOL_MAX_GEN)
			TH_LOG("round %d: endpoint %#x", i, r.endpoint);
		ASSERT_NE(prev, r.endpoint) TH_LOG("round %d", i);
		if (prev != MOL_NONE && MOL_ENDPOINT_GEN(r.endpoint) <
					MOL_ENDPOINT_GEN(prev))
			wraps++;
		prev = r.endpoint;
		memset(&e, 0, sizeof(e));
		e.endpoint = r.endpoint;
		ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_UNREGISTER, &e))
			TH_LOG("round %d", i);
	}
	ASSERT_GE(wraps, 1);
	/* Still usable after the wrap. */
	r.endpoint = 0;
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r));
	ASSERT_EQ(MOLIPC_PSTATE_REGISTERED, mt_state(&self->in, 20));
}

/* In a new pid namespace: the system task sees pids of its own. */
TEST_F(kmod, pid_namespace_translation)
{
	struct molipc_register r;
	struct molipc_procinfo pi;
	struct molipc_dead_entry e;
	int up[2], down[2], status, rc = -1;
	pid_t mid, inner = 0;

	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	mid = fork();
	ASSERT_GE(mid, 0);
	if (!mid) {
		pid_t g;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (unshare(CLONE_NEWPID))
			_exit(1);
		g = fork();
		if (g < 0)
			_exit(2);
		if (g == 0) {
			struct molipc_bind b = { .instance = self->in.id,
						 .endpoint = MOL_ANY };
			char c;
			int fd, rc;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (read(down[0], &c, 1) != 1)
				_exit(3);
			fd = open_dev();
			rc = xioctl(fd, MOLIPC_IOC_BIND, &b);
			if (rc || getpid() != 1)
				_exit(4);
			if (write(up[1], &rc, sizeof(rc)) != sizeof(rc))
				_exit(6);
			if (read(down[0], &c, 1) != 1)
				_exit(7);
			_exit(5);
		}
		if (write(up[1], &g, sizeof(g)) != sizeof(g))
			_exit(8);
		while (waitpid(g, &status, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	ASSERT_EQ(sizeof(inner), read(up[0], &inner, sizeof(inner)));
	ASSERT_GT(inner, 1);	/* as seen from here */
	memset(&r, 0, sizeof(r));
	r.pid = inner;
	r.slot = 20;
	mt_priv_server(&r.priv);
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_REGISTER, &r));
	ASSERT_EQ(1, write(down[1], "g", 1));
	ASSERT_EQ(sizeof(rc), read(up[0], &rc, sizeof(rc)));
	ASSERT_EQ(0, rc);
	memset(&pi, 0, sizeof(pi));
	pi.slot = 20;
	ASSERT_EQ(0, xioctl(self->fd, MOLIPC_IOC_PROCINFO, &pi));
	ASSERT_EQ(MOLIPC_PSTATE_RUNNING, pi.state);
	ASSERT_EQ(inner, pi.pid);
	ASSERT_EQ(1, write(down[1], "g", 1));	/* it exits with 5 */
	ASSERT_EQ(mid, waitpid(mid, &status, 0));
	ASSERT_EQ(0, take_dead(self->fd, r.endpoint, &e));
	ASSERT_EQ(inner, e.pid);
	ASSERT_TRUE(WIFEXITED(e.status));
	ASSERT_EQ(5, WEXITSTATUS(e.status));
}

/* ---------------------------------------------------------------- */
/* Instance limit                                                    */
/* ---------------------------------------------------------------- */

TEST_F(kmod, instance_limit)
{
	long max = read_param("max_instances");
	int fds[300], n = 0, fd, rc = 0;
	struct molipc_create c;
	uint64_t end;

	ASSERT_GT(max, 0);
	if (max > 256)
		SKIP(return, "max_instances %ld too large to exhaust", max);
	while (n < (int)ARRAY_SIZE(fds)) {
		fd = open_dev();
		ASSERT_GE(fd, 0);
		memset(&c, 0, sizeof(c));
		c.nr_procs = MOL_MIN_PROCS;
		rc = xioctl(fd, MOLIPC_IOC_CREATE, &c);
		if (rc) {
			close(fd);
			break;
		}
		fds[n++] = fd;
	}
	TH_LOG("created %d more instances, then %s", n, mol_strerror(rc));
	ASSERT_NE(0, rc);
	ASSERT_LE(n, max);
	/* Ours (the fixture's) counts too; others may be dying. */
	ASSERT_GE(n, 1);
	/* Freeing one makes room again (destruction may be deferred). */
	close(fds[--n]);
	end = mt_now_ns() + MT_WAIT_MS * MS;
	for (;;) {
		fd = open_dev();
		memset(&c, 0, sizeof(c));
		c.nr_procs = MOL_MIN_PROCS;
		rc = xioctl(fd, MOLIPC_IOC_CREATE, &c);
		if (!rc) {
			fds[n++] = fd;
			break;
		}
		close(fd);
		if (mt_now_ns() >= end)
			break;
		mt_msleep(10);
	}
	ASSERT_EQ(0, rc);
	while (n)
		close(fds[--n]);
}

/* ---------------------------------------------------------------- */
/* debugfs                                                           */
/* ---------------------------------------------------------------- */

struct dbg_file {
	char path[512];
	unsigned long long sum;		/* of every number in the file */
	unsigned int lines;
};

/* Sum every number of every file below dir. */
static int dbg_scan(const char *dir, struct dbg_file *out, int max, int n)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return n;
	while ((de = readdir(d)) && n < max) {
		char path[512], buf[8192];
		struct stat st;
		ssize_t len;
		int fd;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			n = dbg_scan(path, out, max, n);
			continue;
		}
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len < 0)
			continue;
		buf[len] = 0;
		snprintf(out[n].path, sizeof(out[n].path), "%s", path);
		out[n].sum = 0;
		out[n].lines = 0;
		for (p = buf; *p; p++)
			out[n].lines += *p == '\n';
		for (p = buf; *p; ) {
			if (*p >= '0' && *p <= '9')
				out[n].sum += strtoull(p, &p, 10);
			else
				p++;
		}
		n++;
	}
	closedir(d);
	return n;
}

TEST_F(kmod, debugfs_counters_move)
{
	const struct call rcv = { MOLIPC_OP_RECEIVE, MOL_ANY, 0 };
	static struct dbg_file before[256], after[256];
	unsigned long long grew = 0;
	int nb, na, i, j;
	struct stat st;

	if (stat(DEBUGFS_DIR, &st))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	ASSERT_EQ(0, stat(DEBUGFS_DIR, &st)) TH_LOG("no %s", DEBUGFS_DIR);
	nb = dbg_scan(DEBUGFS_DIR, before, 256, 0);
	ASSERT_GT(nb, 0) TH_LOG("%s is empty", DEBUGFS_DIR);
	for (i = 0; i < 5; i++) {
		SPAWN_CALL(i, 20 + i, &rcv);
		WAIT_STATE(20 + i, MOLIPC_PSTATE_RECEIVING, MOL_ANY);
		ASSERT_EQ(0, raw_ipc(self->fd, MOLIPC_IOC_SEND,
				     self->p[i].endpoint, 0, 0, NULL));
	}
	na = dbg_scan(DEBUGFS_DIR, after, 256, 0);
	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			/* A counter, not a list that gained rows. */
			if (!strcmp(after[i].path, before[j].path) &&
			    after[i].lines == before[j].lines &&
			    after[i].sum > before[j].sum) {
				TH_LOG("%s: %llu -> %llu", after[i].path,
				       before[j].sum, after[i].sum);
				grew += after[i].sum - before[j].sum;
			}
	ASSERT_GE(grew, 5);
}

/* Last: nothing above made the kernel warn or oops. */
static long taint_at_start = -2;

static void __attribute__((constructor)) record_taint(void)
{
	taint_at_start = mt_kernel_taint();
}

TEST(kernel_not_tainted_by_these_tests)
{
	ASSERT_EQ(taint_at_start, mt_kernel_taint())
		TH_LOG("tainted: see dmesg");
}

TEST_HARNESS_MAIN

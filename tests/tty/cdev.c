// SPDX-License-Identifier: GPL-2.0
/*
 * cdev.c - moltty's protocol (CDEV_*, TTY_GETSIG) against the driver
 * itself, on any transport (libmol only): the test process creates an
 * instance (it is the system task), starts build/bin/moltty (next to
 * this binary, or $MOLTTY) at MOL_TTY, and plays the file server from a
 * participant bound at MOL_FS.  Checks: only FS may call (-EPERM), and
 * only PM may ask TTY_GETSIG; unknown calls, reserved fields, bad
 * minors, counts and ioctl sizes are refused with their errno; without
 * a terminal opens fail -ENXIO, reads end (0) and writes fail -EIO;
 * random payloads leave the driver serving; with a pty attached through
 * the control socket (as molctl does): output through ONLCR, a queued
 * read completed by notify + CDEV_STATUS, cancel, a bad grant, a second
 * terminal refused (-EBUSY), TIOCSCTTY rules, a terminal nobody reads
 * holds a write for a bounded time only.
 * Prints "ttycdev TRANSPORT: N passed, N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "moltest.h"
#include <linux/molcalls.h>
#include <linux/molfscalls.h>
#include "../../daemons/molctl/molctl_proto.h"

static char moltty_path[PATH_MAX];
static char molmem_path[PATH_MAX];
static char sock_path[PATH_MAX];

/* Child of mt_spawn (MT_NO_OPEN): become moltty. */
static int exec_driver(struct mt_proc *self, void *arg)
{
	struct mt_inst *in = arg;
	char id[16];

	snprintf(id, sizeof(id), "%u", in->id);
	setenv("MOL_INSTANCE", id, 1);
	execl(moltty_path, "moltty", "--socket", sock_path, (char *)NULL);
	return 96;
}

static int start_driver(struct mt_inst *in, struct mt_proc *p)
{
	int rc, ms;

	rc = mt_spawn(p, in, MOL_TTY, NULL, MT_NO_OPEN, exec_driver, in);
	if (rc < 0)
		return rc;
	for (ms = 0; ms < MT_WAIT_MS; ms += 50) {
		rc = mt_wait_state(in, MOL_TTY, MOLIPC_PSTATE_RECEIVING,
				   MT_ANY_PEER, 50);
		if (rc != -ETIMEDOUT)
			return rc;
		if (mt_wait(p, 0) != -ETIMEDOUT)
			return -ECHILD;
	}
	return rc;
}

/* One request to driver @dst: its m_type, or -100000 - IPC error. */
static int call_to(struct mol *mol, int dst, int type,
		   struct mol_cdev_req *r)
{
	struct mol_message m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	if (r)
		memcpy(m.m_u.m_raw, r, sizeof(*r));
	rc = mol_sendrec(mol, dst, &m);
	if (rc < 0)
		return -100000 + rc;
	if (r)
		memcpy(r, m.m_u.m_raw, sizeof(*r));
	return m.m_type;
}

static int call(struct mol *mol, int type, struct mol_cdev_req *r)
{
	return call_to(mol, MOL_TTY, type, r);
}

static struct mol_cdev_req req(unsigned int count, int grant,
			       unsigned int flags)
{
	struct mol_cdev_req r;

	memset(&r, 0, sizeof(r));
	r.minor = MOL_CONSOLE_MINOR;
	r.user = MT_SLOT_BASE + 1;
	r.count = count;
	r.grant = grant;
	r.flags = flags;
	return r;
}

/* The file server's side; value[i] get the results, parent checks. */
enum {
	V_OPEN_NOTTY, V_READ_NOTTY, V_WRITE_NOTTY, V_UNKNOWN, V_OPEN_FLAGS0,
	V_MINOR, V_RESERVED, V_COUNT0, V_COUNT_BIG, V_IOCTL_BAD, V_IOCTL_SIZE,
	V_STATUS, V_CANCEL, V_GETSIG, V_FUZZ_ALIVE, V_NR
};

static int fs_no_terminal(struct mt_proc *self, void *arg)
{
	struct mol *mol = &self->mol;
	long long *v = self->sh->value;
	union mol_tty_arg a;
	struct mol_cdev_req r;
	struct mol_message m;
	char buf[64] = "";
	int g, i, j;

	g = mol_grant_create(mol, MOL_TTY, buf, sizeof(buf),
			     MOL_GRANT_READ | MOL_GRANT_WRITE);
	r = req(0, 0, CDEV_R_BIT | CDEV_W_BIT);
	v[V_OPEN_NOTTY] = call(mol, CDEV_OPEN, &r);
	r = req(sizeof(buf), g, 0);
	v[V_READ_NOTTY] = call(mol, CDEV_READ, &r);
	r = req(5, g, 0);
	v[V_WRITE_NOTTY] = call(mol, CDEV_WRITE, &r);
	r = req(0, 0, 0);
	v[V_UNKNOWN] = call(mol, CDEV_BASE + 40, &r);
	r = req(0, 0, 0);
	v[V_OPEN_FLAGS0] = call(mol, CDEV_OPEN, &r);
	r = req(5, g, 0);
	r.minor = 3;
	v[V_MINOR] = call(mol, CDEV_WRITE, &r);
	r = req(5, g, 0);
	r.pid = 42;
	v[V_RESERVED] = call(mol, CDEV_READ, &r);
	r = req(0, g, 0);
	v[V_COUNT0] = call(mol, CDEV_READ, &r);
	r = req(CDEV_IO_MAX + 1, g, 0);
	v[V_COUNT_BIG] = call(mol, CDEV_WRITE, &r);
	r = req(sizeof(a.tio), g, 0);
	r.request = 99;
	v[V_IOCTL_BAD] = call(mol, CDEV_IOCTL, &r);
	r = req(3, g, 0);
	r.request = MOL_TIOC_GETATTR;
	v[V_IOCTL_SIZE] = call(mol, CDEV_IOCTL, &r);
	v[V_STATUS] = call(mol, CDEV_STATUS, NULL);
	r = req(0, 0, 0);
	v[V_CANCEL] = call(mol, CDEV_CANCEL, &r);
	v[V_GETSIG] = call(mol, TTY_GETSIG, NULL);

	/* random payloads and call numbers: answered, the driver lives */
	srandom(7);
	for (i = 0; i < 2000; i++) {
		memset(&m, 0, sizeof(m));
		m.m_type = CDEV_BASE + (int)(random() % (CDEV_NR_CALLS + 2));
		if (m.m_type == CDEV_READ)
			m.m_type = CDEV_WRITE;	/* may queue: not here */
		for (j = 0; j < MOL_PAYLOAD_SIZE; j++)
			m.m_u.m_raw[j] = random() % 3 ? 0 : random();
		if (mol_sendrec(mol, MOL_TTY, &m) < 0)
			return 90;
	}
	r = req(sizeof(a.tio), g, 0);
	r.request = MOL_TIOC_GETATTR;
	memset(buf, 0, sizeof(buf));
	v[V_FUZZ_ALIVE] = call(mol, CDEV_IOCTL, &r);
	memcpy(&a.tio, buf, sizeof(a.tio));
	if (v[V_FUZZ_ALIVE] == 0 && !(a.tio.c_lflag & ICANON))
		v[V_FUZZ_ALIVE] = -1000;
	return 0;
}

/* Hand pty slave @fd to moltty as molctl does: the driver's answer. */
static int attach(int fd, int *conn)
{
	struct molctl_hdr h = { 0 };
	int rc;

	*conn = molctl_connect(sock_path);
	if (*conn < 0)
		return *conn;
	rc = molctl_send(*conn, MOLCTL_TTY, 0, NULL, 0, &fd, 1);
	if (rc == 0)
		rc = molctl_recv(*conn, &h, NULL, 0, NULL, NULL);
	if (rc < 0)
		return rc;
	return h.type == MOLCTL_STATUS ? h.arg : -EPROTO;
}

/* Read the master for up to @ms until @want shows up. */
static bool master_sees(int master, const char *want, int ms)
{
	static char seen[4096];
	static size_t n;
	struct pollfd p = { .fd = master, .events = POLLIN };
	ssize_t r;

	for (; ms > 0; ms -= 20) {
		seen[n] = '\0';
		if (strstr(seen, want)) {
			n = 0;
			return true;
		}
		if (poll(&p, 1, 20) > 0) {
			r = read(master, seen + n, sizeof(seen) - 1 - n);
			if (r > 0)
				n += r;
		}
	}
	return false;
}

enum {
	W_ATTACH, W_BUSY, W_OPEN, W_WRITE, W_ECHO, W_NB, W_QUEUED, W_NOTIFY,
	W_STATUS, W_STATUS_USER, W_DATA, W_STATUS_END, W_CANCEL_Q, W_CANCEL,
	W_CANCEL_AGAIN, W_BADGRANT, W_CTTY_NOTLEADER, W_CTTY, W_PGRP,
	W_PGRP_OTHER, W_STALL_MS, W_STALL_ALIVE, W_NR
};

static int fs_terminal(struct mt_proc *self, void *arg)
{
	struct mol *mol = &self->mol;
	long long *v = self->sh->value;
	struct molipc_ipc ipc;
	struct mol_cdev_req r;
	union mol_tty_arg a = { .value = 0 };
	int master, slave, conn, conn2, g, ga, rc;
	char buf[64] = "", *name;
	struct termios raw;

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master) ||
	    !(name = ptsname(master)))
		return 80;
	slave = open(name, O_RDWR | O_NOCTTY);
	if (slave < 0)
		return 81;
	tcgetattr(slave, &raw);		/* as molctl run makes it */
	cfmakeraw(&raw);
	tcsetattr(slave, TCSANOW, &raw);
	v[W_ATTACH] = attach(slave, &conn);
	v[W_BUSY] = attach(slave, &conn2);
	close(conn2);

	g = mol_grant_create(mol, MOL_TTY, buf, sizeof(buf),
			     MOL_GRANT_READ | MOL_GRANT_WRITE);
	ga = mol_grant_create(mol, MOL_TTY, &a, sizeof(a),
			      MOL_GRANT_READ | MOL_GRANT_WRITE);
	r = req(0, 0, CDEV_R_BIT | CDEV_W_BIT);
	v[W_OPEN] = call(mol, CDEV_OPEN, &r);
	memcpy(buf, "hi\nyou", 6);
	r = req(6, g, 0);
	v[W_WRITE] = call(mol, CDEV_WRITE, &r);
	v[W_ECHO] = master_sees(master, "hi\r\nyou", 2000);

	r = req(sizeof(buf), g, CDEV_NONBLOCK);
	v[W_NB] = call(mol, CDEV_READ, &r);
	r = req(sizeof(buf), g, 0);
	v[W_QUEUED] = call(mol, CDEV_READ, &r);
	memset(buf, 0, sizeof(buf));
	if (write(master, "abc\r", 4) != 4)
		return 82;
	/* the driver's notification, then the finished read */
	memset(&ipc, 0, sizeof(ipc));
	ipc.endpoint = MOL_TTY;
	ipc.flags = MOLIPC_IPC_TIMEOUT;
	ipc.timeout_ns = 5000000000ULL;
	rc = mol_ipc(mol, MOLIPC_OP_RECEIVE, &ipc);
	v[W_NOTIFY] = rc == 0 && (ipc.status & MOLIPC_STATUS_NOTIFY);
	memset(&r, 0, sizeof(r));
	v[W_STATUS] = call(mol, CDEV_STATUS, &r);
	v[W_STATUS_USER] = r.user;
	v[W_DATA] = !memcmp(buf, "abc\n", 4);
	v[W_STATUS_END] = call(mol, CDEV_STATUS, NULL);

	/* queued, then cancelled: -EINTR; a second cancel: -ENOENT */
	r = req(sizeof(buf), g, 0);
	v[W_CANCEL_Q] = call(mol, CDEV_READ, &r);
	r = req(0, 0, 0);
	v[W_CANCEL] = call(mol, CDEV_CANCEL, &r);
	r = req(0, 0, 0);
	v[W_CANCEL_AGAIN] = call(mol, CDEV_CANCEL, &r);

	r = req(sizeof(buf), g + 1000, 0);
	v[W_BADGRANT] = call(mol, CDEV_READ, &r);

	/* TIOCSCTTY: a session leader only; then the group is its own */
	r = req(0, -1, 0);
	r.request = MOL_TIOC_SETCTTY;
	r.pid = 30;
	r.pgid = 30;
	r.sid = 29;
	v[W_CTTY_NOTLEADER] = call(mol, CDEV_IOCTL, &r);
	r.sid = 30;
	v[W_CTTY] = call(mol, CDEV_IOCTL, &r);
	r = req(sizeof(a.value), ga, 0);
	r.request = MOL_TIOC_GETPGRP;
	r.pid = 31;
	r.pgid = 31;
	r.sid = 30;
	a.value = 0;
	rc = call(mol, CDEV_IOCTL, &r);
	v[W_PGRP] = rc < 0 ? rc : a.value;
	r.sid = 44;	/* not in the terminal's session */
	v[W_PGRP_OTHER] = call(mol, CDEV_IOCTL, &r);

	/*
	 * Nobody reads the master: once the pty is full a write may hold
	 * the driver (and FS) for a bounded time only.
	 */
	{
		static char big[CDEV_IO_MAX];
		uint64_t t0, worst = 0, d;
		int gb, k;

		memset(big, 'z', sizeof(big));
		gb = mol_grant_create(mol, MOL_TTY, big, sizeof(big),
				      MOL_GRANT_READ);
		for (k = 0; k < 256; k++) {	/* 1 MiB */
			t0 = mt_now_ns();
			r = req(sizeof(big), gb, 0);
			call(mol, CDEV_WRITE, &r);
			d = (mt_now_ns() - t0) / 1000000;
			if (d > worst)
				worst = d;
			if (d > 1000)
				break;		/* it held on: seen */
		}
		v[W_STALL_MS] = (long long)worst;
		r = req(sizeof(a.tio), ga, 0);
		r.request = MOL_TIOC_GETATTR;
		v[W_STALL_ALIVE] = call(mol, CDEV_IOCTL, &r);
	}
	close(conn);
	return 0;
}

FIXTURE(cdev) {
	struct mt_inst in;
	struct mt_proc drv;
};

FIXTURE_SETUP(cdev)
{
	const char *tmp = getenv("TMPDIR");
	int rc;

	snprintf(sock_path, sizeof(sock_path), "%s/tty%d.sock",
		 tmp ? tmp : "/tmp", (int)getpid());
	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("creating an instance over %s: %s",
				mt_transport(), mol_strerror(rc));
	rc = start_driver(&self->in, &self->drv);
	ASSERT_EQ(0, rc) TH_LOG("starting %s: %s", moltty_path,
				mol_strerror(rc));
}

FIXTURE_TEARDOWN(cdev)
{
	mt_kill_all();
	mt_inst_destroy(&self->in);
	unlink(sock_path);
}

/* Only the file server may call the driver. */
TEST_F(cdev, only_fs)
{
	struct mol_cdev_req r = req(0, 0, CDEV_R_BIT);

	EXPECT_EQ(-EPERM, call(&self->in.sys, CDEV_OPEN, &r));
	EXPECT_EQ(-EPERM, call(&self->in.sys, TTY_GETSIG, NULL));
}

TEST_F(cdev, malformed_and_no_terminal)
{
	struct mt_proc fs;
	long long *v;

	ASSERT_EQ(0, mt_spawn(&fs, &self->in, MOL_FS, NULL, 0,
			      fs_no_terminal, NULL));
	ASSERT_EQ(0, mt_exit_code(&fs, 30000));
	v = fs.sh->value;
	EXPECT_EQ(-ENXIO, v[V_OPEN_NOTTY]);
	EXPECT_EQ(0, v[V_READ_NOTTY]);
	EXPECT_EQ(-EIO, v[V_WRITE_NOTTY]);
	EXPECT_EQ(-EINVAL, v[V_UNKNOWN]);
	EXPECT_EQ(-EINVAL, v[V_OPEN_FLAGS0]);
	EXPECT_EQ(-ENXIO, v[V_MINOR]);
	EXPECT_EQ(-EINVAL, v[V_RESERVED]);
	EXPECT_EQ(-EINVAL, v[V_COUNT0]);
	EXPECT_EQ(-EINVAL, v[V_COUNT_BIG]);
	EXPECT_EQ(-ENOTTY, v[V_IOCTL_BAD]);
	EXPECT_EQ(-EINVAL, v[V_IOCTL_SIZE]);
	EXPECT_EQ(-EAGAIN, v[V_STATUS]);
	EXPECT_EQ(-ENOENT, v[V_CANCEL]);
	EXPECT_EQ(-EPERM, v[V_GETSIG]);
	EXPECT_EQ(0, v[V_FUZZ_ALIVE]);
}

TEST_F(cdev, terminal)
{
	struct mt_proc fs;
	long long *v;

	ASSERT_EQ(0, mt_spawn(&fs, &self->in, MOL_FS, NULL, 0, fs_terminal,
			      NULL));
	ASSERT_EQ(0, mt_exit_code(&fs, 30000));
	v = fs.sh->value;
	EXPECT_EQ(0, v[W_ATTACH]);
	EXPECT_EQ(-EBUSY, v[W_BUSY]);
	EXPECT_EQ(0, v[W_OPEN]);
	EXPECT_EQ(6, v[W_WRITE]);
	EXPECT_EQ(1, v[W_ECHO]);
	EXPECT_EQ(-EAGAIN, v[W_NB]);
	EXPECT_EQ(CDEV_QUEUED, v[W_QUEUED]);
	EXPECT_EQ(1, v[W_NOTIFY]);
	EXPECT_EQ(4, v[W_STATUS]);
	EXPECT_EQ(MT_SLOT_BASE + 1, v[W_STATUS_USER]);
	EXPECT_EQ(1, v[W_DATA]);
	EXPECT_EQ(-EAGAIN, v[W_STATUS_END]);
	EXPECT_EQ(CDEV_QUEUED, v[W_CANCEL_Q]);
	EXPECT_EQ(-EINTR, v[W_CANCEL]);
	EXPECT_EQ(-ENOENT, v[W_CANCEL_AGAIN]);
	EXPECT_TRUE(v[W_BADGRANT] == -EFAULT || v[W_BADGRANT] == -EPERM)
		TH_LOG("bad grant: %lld", v[W_BADGRANT]);
	EXPECT_EQ(-EPERM, v[W_CTTY_NOTLEADER]);
	EXPECT_EQ(0, v[W_CTTY]);
	EXPECT_EQ(30, v[W_PGRP]);
	EXPECT_EQ(-ENOTTY, v[W_PGRP_OTHER]);
	EXPECT_TRUE(v[W_STALL_MS] < 5000)
		TH_LOG("a write to a full terminal took %lld ms",
		       v[W_STALL_MS]);
	EXPECT_EQ(0, v[W_STALL_ALIVE]);
}

/* ---------------------------------------------------------------- */
/* The memory driver molmem (the same protocol, at MOL_MEM)           */
/* ---------------------------------------------------------------- */

static int exec_molmem(struct mt_proc *self, void *arg)
{
	struct mt_inst *in = arg;
	char id[16];

	snprintf(id, sizeof(id), "%u", in->id);
	setenv("MOL_INSTANCE", id, 1);
	execl(molmem_path, "molmem", (char *)NULL);
	return 96;
}

static struct mol_cdev_req mreq(unsigned int minor, unsigned int count,
				int grant, unsigned int flags)
{
	struct mol_cdev_req r = req(count, grant, flags);

	r.minor = minor;
	return r;
}

enum {
	M_OPENS, M_OPEN_MEM, M_READ_NULL, M_READ_ZERO, M_ZEROS,
	M_READ_RANDOM, M_RANDOM_VARIED, M_WRITE, M_COUNT_BIG, M_RESERVED,
	M_IOCTL, M_CANCEL, M_STATUS, M_UNKNOWN, M_BAD_GRANT, M_FUZZ_ALIVE,
	M_NR
};
_Static_assert(M_NR <= 16, "struct mt_shared has 16 values");

/* Plays FS against molmem; value[M_*] get the results. */
static int fs_mem(struct mt_proc *self, void *arg)
{
	struct mol *mol = &self->mol;
	long long *v = self->sh->value;
	unsigned char buf[CDEV_IO_MAX] = { 0 };
	struct mol_cdev_req r;
	struct mol_message m;
	int g, i, j, n;

	g = mol_grant_create(mol, MOL_MEM, buf, sizeof(buf),
			     MOL_GRANT_READ | MOL_GRANT_WRITE);
	/* null, zero, random open: the three results side by side */
	r = mreq(MOL_NULL_MINOR, 0, 0, CDEV_R_BIT | CDEV_W_BIT);
	v[M_OPENS] = call_to(mol, MOL_MEM, CDEV_OPEN, &r) * 10000;
	r = mreq(MOL_ZERO_MINOR, 0, 0, CDEV_R_BIT);
	v[M_OPENS] += call_to(mol, MOL_MEM, CDEV_OPEN, &r) * 100;
	r = mreq(MOL_MEM_RANDOM_MINOR, 0, 0, CDEV_R_BIT);
	v[M_OPENS] += call_to(mol, MOL_MEM, CDEV_OPEN, &r);
	r = mreq(1, 0, 0, CDEV_R_BIT);		/* MINIX's /dev/mem */
	v[M_OPEN_MEM] = call_to(mol, MOL_MEM, CDEV_OPEN, &r);
	r = mreq(MOL_NULL_MINOR, 100, g, 0);
	v[M_READ_NULL] = call_to(mol, MOL_MEM, CDEV_READ, &r);
	memset(buf, 0xee, sizeof(buf));
	r = mreq(MOL_ZERO_MINOR, sizeof(buf), g, 0);
	v[M_READ_ZERO] = call_to(mol, MOL_MEM, CDEV_READ, &r);
	for (i = 0, n = 0; i < (int)sizeof(buf); i++)
		n += buf[i] == 0;
	v[M_ZEROS] = n;
	memset(buf, 0, sizeof(buf));
	r = mreq(MOL_MEM_RANDOM_MINOR, 256, g, 0);
	v[M_READ_RANDOM] = call_to(mol, MOL_MEM, CDEV_READ, &r);
	for (i = 0, n = 0; i < 256; i++)
		n += buf[i] != 0;
	v[M_RANDOM_VARIED] = n;
	r = mreq(MOL_ZERO_MINOR, 1000, g, 0);
	v[M_WRITE] = call_to(mol, MOL_MEM, CDEV_WRITE, &r);
	r = mreq(MOL_ZERO_MINOR, CDEV_IO_MAX + 1, g, 0);
	v[M_COUNT_BIG] = call_to(mol, MOL_MEM, CDEV_READ, &r);
	r = mreq(MOL_ZERO_MINOR, 10, g, CDEV_NOCTTY);	/* not for READ */
	r.sid = 5;
	v[M_RESERVED] = call_to(mol, MOL_MEM, CDEV_READ, &r);
	r = mreq(MOL_NULL_MINOR, 4, g, 0);
	r.request = MOL_TIOC_GETWINSZ;
	r.pid = 42;			/* the caller's ids, as FS sends them */
	r.pgid = 42;
	r.sid = 40;
	v[M_IOCTL] = call_to(mol, MOL_MEM, CDEV_IOCTL, &r);
	r = mreq(MOL_ZERO_MINOR, 0, 0, 0);
	v[M_CANCEL] = call_to(mol, MOL_MEM, CDEV_CANCEL, &r);
	v[M_STATUS] = call_to(mol, MOL_MEM, CDEV_STATUS, NULL);
	r = mreq(MOL_ZERO_MINOR, 0, 0, 0);
	v[M_UNKNOWN] = call_to(mol, MOL_MEM, CDEV_BASE + 77, &r);
	r = mreq(MOL_ZERO_MINOR, 10, g + 1000, 0);
	v[M_BAD_GRANT] = call_to(mol, MOL_MEM, CDEV_READ, &r);

	/* random payloads: each answered, the driver goes on serving */
	srandom(11);
	for (i = 0; i < 2000; i++) {
		memset(&m, 0, sizeof(m));
		m.m_type = CDEV_BASE + (int)(random() % (CDEV_NR_CALLS + 2));
		for (j = 0; j < MOL_PAYLOAD_SIZE; j++)
			m.m_u.m_raw[j] = random() % 3 ? 0 : random();
		if (mol_sendrec(mol, MOL_MEM, &m) < 0)
			return 90;
	}
	r = mreq(MOL_ZERO_MINOR, 16, g, 0);
	v[M_FUZZ_ALIVE] = call_to(mol, MOL_MEM, CDEV_READ, &r);
	return 0;
}

FIXTURE(mem) {
	struct mt_inst in;
	struct mt_proc drv;
};

FIXTURE_SETUP(mem)
{
	int rc, ms;

	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("creating an instance over %s: %s",
				mt_transport(), mol_strerror(rc));
	rc = mt_spawn(&self->drv, &self->in, MOL_MEM, NULL, MT_NO_OPEN,
		      exec_molmem, &self->in);
	ASSERT_EQ(0, rc);
	for (ms = 0; ms < MT_WAIT_MS; ms += 50) {
		rc = mt_wait_state(&self->in, MOL_MEM,
				   MOLIPC_PSTATE_RECEIVING, MT_ANY_PEER, 50);
		if (rc != -ETIMEDOUT)
			break;
	}
	ASSERT_EQ(0, rc) TH_LOG("starting %s", molmem_path);
}

FIXTURE_TEARDOWN(mem)
{
	mt_kill_all();
	mt_inst_destroy(&self->in);
}

TEST_F(mem, only_fs)
{
	struct mol_cdev_req r = mreq(MOL_ZERO_MINOR, 0, 0, CDEV_R_BIT);

	EXPECT_EQ(-EPERM, call_to(&self->in.sys, MOL_MEM, CDEV_OPEN, &r));
}

TEST_F(mem, devices_and_malformed_requests)
{
	struct mt_proc fs;
	long long *v;

	ASSERT_EQ(0, mt_spawn(&fs, &self->in, MOL_FS, NULL, 0, fs_mem,
			      NULL));
	ASSERT_EQ(0, mt_exit_code(&fs, 30000));
	v = fs.sh->value;
	EXPECT_EQ(0, v[M_OPENS]);
	EXPECT_EQ(-ENXIO, v[M_OPEN_MEM]);
	EXPECT_EQ(0, v[M_READ_NULL]);
	EXPECT_EQ(CDEV_IO_MAX, v[M_READ_ZERO]);
	EXPECT_EQ(CDEV_IO_MAX, v[M_ZEROS]);
	EXPECT_EQ(256, v[M_READ_RANDOM]);
	EXPECT_LT(200, v[M_RANDOM_VARIED]);
	EXPECT_EQ(1000, v[M_WRITE]);
	EXPECT_EQ(-EINVAL, v[M_COUNT_BIG]);
	EXPECT_EQ(-EINVAL, v[M_RESERVED]);
	EXPECT_EQ(-ENOTTY, v[M_IOCTL]);
	EXPECT_EQ(-ENOENT, v[M_CANCEL]);
	EXPECT_EQ(-EAGAIN, v[M_STATUS]);
	EXPECT_EQ(-EINVAL, v[M_UNKNOWN]);
	EXPECT_EQ(-EFAULT, v[M_BAD_GRANT]);
	EXPECT_EQ(16, v[M_FUZZ_ALIVE]);
}

/* The drivers: $MOLTTY and $MOLMEM, else next to this binary. */
static void find_drivers(void)
{
	mt_program_path("MOLTTY", "moltty", moltty_path, sizeof(moltty_path));
	mt_program_path("MOLMEM", "molmem", molmem_path, sizeof(molmem_path));
}

MT_HARNESS_MAIN("ttycdev", find_drivers())

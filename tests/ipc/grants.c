// SPDX-License-Identifier: GPL-2.0
/*
 * grants.c - MINIX memory grants and safecopy, on every transport.
 *
 * Written only against libmol (mol.h), like conformance.c: the binary
 * checks the transport MOL_TRANSPORT selects.  Each test creates an
 * instance; the test process is its system task and, in most tests, the
 * grantee.  Granters are "agents": children that own a private memory
 * area and obey commands (fill, hash, grant, revoke, unmap, ...) given
 * through a shared page, one at a time.  Semantics and status codes are
 * those of <linux/molipc.h> and Documentation/ipc.md, "Grants".
 *
 * After the kselftest output the binary prints one line
 *	grants <transport>: N passed, N failed
 * and exits non-zero if anything failed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "moltest.h"

#define NAGENTS		3
#define SLOT(i)		(MT_SLOT_BASE + 8 + (i))
#define AREA		(16u << 20)	/* each agent's private area */
#define DATA_MAX	16384
#define BIG		(8u << 20)

enum {
	C_NOP,
	C_FILL,		/* area[off, off + len) = pattern(seed) */
	C_HASH,		/* hash of area[off, off + len) */
	C_READ,		/* data = area[off, off + len) (len <= DATA_MAX) */
	C_GRANT,	/* id = grant(grantee, area + off, len, access) */
	C_GRANT_ABS,	/* id = grant(grantee, addr, len, access) */
	C_REVOKE,	/* revoke id */
	C_REUSE,	/* revoke id, grant until its entry is reused */
	C_UNMAP,	/* munmap(area + off, len) */
	C_PROTECT,	/* mprotect(area + off, len, access) */
	C_SETGRANT,	/* raw setgrant(addr, nr) */
	C_COPY_FROM,	/* safecopy_from(granter, id, off2) into data */
	C_COPY_TO,	/* safecopy_to(granter, id, off2) from data */
	C_SENDREC,	/* grant area[off, len) RW to SYSTEM, sendrec(SYSTEM) */
	C_MANY,		/* n grants of area[off, len) to grantee: ids[] */
};

struct agent_cmd {
	int seq, done;
	int op;
	int grantee;
	unsigned int access;
	int id;
	int granter;
	int rc;
	unsigned int n;
	uint32_t seed;
	uint64_t off, len, off2, addr;
	uint64_t base;		/* out: the area's address */
	uint64_t hash;		/* out */
	int ids[256];
	unsigned char data[DATA_MAX];
};

static uint8_t pat(uint32_t seed, uint64_t i)
{
	uint64_t x = (i + 1) * 0x9e3779b97f4a7c15ULL + seed;

	return (uint8_t)(x >> 29);
}

static void fill(unsigned char *b, uint64_t len, uint32_t seed, uint64_t base)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		b[i] = pat(seed, base + i);
}

static uint64_t hash(const unsigned char *b, uint64_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL, i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* The child side: obey commands until killed. */
static int agent(struct mt_proc *self, void *arg)
{
	struct agent_cmd *c = arg;
	unsigned char *area;
	struct mol_message m;
	unsigned int i;
	int id;

	area = mmap(NULL, AREA, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		return 91;
	c->base = (uintptr_t)area;
	for (;;) {
		if (mt_wait_go(self) < 0)
			return 0;
		c->rc = 0;
		switch (c->op) {
		case C_NOP:
			break;
		case C_FILL:
			fill(area + c->off, c->len, c->seed, 0);
			break;
		case C_HASH:
			c->hash = hash(area + c->off, c->len);
			break;
		case C_READ:
			memcpy(c->data, area + c->off, c->len);
			break;
		case C_GRANT:
			c->id = c->rc = mol_grant_create(&self->mol, c->grantee,
							 area + c->off, c->len,
							 c->access);
			break;
		case C_GRANT_ABS:
			c->id = c->rc = mol_grant_create(&self->mol, c->grantee,
							 (void *)(uintptr_t)c->addr,
							 c->len, c->access);
			break;
		case C_REVOKE:
			c->rc = mol_grant_revoke(&self->mol, c->id);
			break;
		case C_REUSE:
			c->rc = mol_grant_revoke(&self->mol, c->id);
			for (i = 0; !c->rc && i < 10000; i++) {
				id = mol_grant_create(&self->mol, c->grantee,
						      area + c->off, c->len,
						      c->access);
				if (id < 0) {
					c->rc = id;
					break;
				}
				if (MOL_GRANT_IDX(id) == MOL_GRANT_IDX(c->id)) {
					c->id = id;
					break;
				}
				c->rc = mol_grant_revoke(&self->mol, id);
			}
			break;
		case C_UNMAP:
			c->rc = munmap(area + c->off, c->len) ? -errno : 0;
			break;
		case C_PROTECT:
			c->rc = mprotect(area + c->off, c->len, (int)c->access) ?
				-errno : 0;
			break;
		case C_SETGRANT:
			c->rc = mol_setgrant(&self->mol,
					     (struct mol_grant *)(uintptr_t)c->addr,
					     c->n);
			break;
		case C_COPY_FROM:
			c->rc = mol_safecopy_from(&self->mol, c->granter, c->id,
						  c->off2, c->data, c->len);
			break;
		case C_COPY_TO:
			c->rc = mol_safecopy_to(&self->mol, c->granter, c->id,
						c->off2, c->data, c->len);
			break;
		case C_SENDREC:
			id = mol_grant_create(&self->mol, MOL_SYSTEM,
					      area + c->off, c->len,
					      MOL_GRANT_READ | MOL_GRANT_WRITE);
			if (id < 0) {
				c->rc = id;
				break;
			}
			memset(&m, 0, sizeof(m));
			m.m_type = 77;
			m.m_u.m7.m7i1 = id;
			m.m_u.m7.m7p1 = c->len;
			c->rc = mol_sendrec(&self->mol, MOL_SYSTEM, &m);
			if (!c->rc)
				c->rc = m.m_type;
			c->hash = hash(area + c->off, c->len);
			mol_grant_revoke(&self->mol, id);
			break;
		case C_MANY:
			for (i = 0; i < c->n && i < 256; i++) {
				c->ids[i] = mol_grant_create(&self->mol,
							     c->grantee,
							     area + c->off,
							     c->len, c->access);
				if (c->ids[i] < 0) {
					c->rc = c->ids[i];
					break;
				}
			}
			break;
		default:
			c->rc = -ENOSYS;
		}
		__atomic_store_n(&c->done, c->seq, __ATOMIC_RELEASE);
	}
}

/* ---------------------------------------------------------------- */
/* Fixture                                                           */
/* ---------------------------------------------------------------- */

FIXTURE(grants) {
	struct mt_inst in;
	struct mt_proc p[NAGENTS];
	struct agent_cmd *c[NAGENTS];
	struct mol *sys;
	unsigned char *buf;	/* BIG bytes, the grantee's */
};

FIXTURE_SETUP(grants)
{
	int rc, i;

	for (i = 0; i < NAGENTS; i++) {
		self->c[i] = mt_shared_alloc(sizeof(struct agent_cmd));
		ASSERT_NE(NULL, self->c[i]);
	}
	self->buf = malloc(BIG);
	ASSERT_NE(NULL, self->buf);
	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("creating an instance over %s: %s",
				mt_transport(), mol_strerror(rc));
	self->sys = &self->in.sys;
}

FIXTURE_TEARDOWN(grants)
{
	int i;

	mt_kill_all();
	mt_inst_destroy(&self->in);
	for (i = 0; i < NAGENTS; i++)
		mt_shared_free(self->c[i], sizeof(struct agent_cmd));
	free(self->buf);
}

#define EP(i)		(self->p[i].endpoint)
#define SYS_EP		(self->sys->endpoint)

/* Start agent i (a server at SLOT(i)). */
#define AGENT(i) do { \
	int __rc = mt_spawn(&self->p[i], &self->in, SLOT(i), NULL, 0, \
			    agent, self->c[i]); \
	ASSERT_EQ(0, __rc) TH_LOG("spawn agent %d: %s", (i), \
				  mol_strerror(__rc)); \
	ASSERT_EQ(0, cmd(self, i, C_NOP)); \
} while (0)

static int cmd_start(FIXTURE_DATA(grants) *self, int i, int op)
{
	struct agent_cmd *c = self->c[i];

	c->op = op;
	c->seq++;
	return mt_go(&self->p[i]);
}

static int cmd_wait(FIXTURE_DATA(grants) *self, int i)
{
	struct agent_cmd *c = self->c[i];
	uint64_t end = mt_now_ns() + (uint64_t)MT_WAIT_MS * 1000000ULL;

	while (__atomic_load_n(&c->done, __ATOMIC_ACQUIRE) != c->seq) {
		if (mt_now_ns() > end)
			return -ETIMEDOUT;
		if (mt_wait(&self->p[i], 0) != -ETIMEDOUT)
			return -ECHILD;
		mt_msleep(1);
	}
	return c->rc;
}

/* Run one command in agent i; its rc (or -ETIMEDOUT / -ECHILD). */
static int cmd(FIXTURE_DATA(grants) *self, int i, int op)
{
	int rc = cmd_start(self, i, op);

	return rc < 0 ? rc : cmd_wait(self, i);
}

/* Agent i grants grantee [off, off + len) of its area; the id or <0. */
static int grant(FIXTURE_DATA(grants) *self, int i, int grantee,
		 uint64_t off, uint64_t len, unsigned int access)
{
	struct agent_cmd *c = self->c[i];

	c->grantee = grantee;
	c->off = off;
	c->len = len;
	c->access = access;
	return cmd(self, i, C_GRANT);
}

static int agent_fill(FIXTURE_DATA(grants) *self, int i, uint64_t off,
		      uint64_t len, uint32_t seed)
{
	self->c[i]->off = off;
	self->c[i]->len = len;
	self->c[i]->seed = seed;
	return cmd(self, i, C_FILL);
}

static uint64_t agent_hash(FIXTURE_DATA(grants) *self, int i, uint64_t off,
			   uint64_t len)
{
	self->c[i]->off = off;
	self->c[i]->len = len;
	if (cmd(self, i, C_HASH))
		return 0;
	return self->c[i]->hash;
}

static int raw_copy(struct mol *mol, int granter, int id, uint64_t off,
		    void *buf, uint64_t len, unsigned int flags)
{
	struct molipc_safecopy req = {
		.granter = granter, .grant_id = id, .offset = off,
		.local_addr = (uintptr_t)buf, .len = len, .flags = flags,
	};

	return mol_safecopy(mol, &req);
}

#define CHECK(want, expr) do { \
	int __rc = (expr); \
	ASSERT_EQ((want), __rc) TH_LOG("%s: expected %s, got %s", #expr, \
				       mol_strerror(want), mol_strerror(__rc)); \
} while (0)

/* ---------------------------------------------------------------- */
/* Tests                                                             */
/* ---------------------------------------------------------------- */

/* Read and write through a grant, exact contents, nothing else touched. */
TEST_F(grants, read_write_exact)
{
	unsigned char *b = self->buf, want[DATA_MAX];
	const uint64_t off = 1000, len = 3 * 4096 + 123;
	int id;

	AGENT(0);
	ASSERT_EQ(0, agent_fill(self, 0, 0, 8 * 4096, 7));
	id = grant(self, 0, SYS_EP, off, len, MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id) TH_LOG("grant: %s", mol_strerror(id));

	/* Read all of it, then a piece crossing pages at an offset. */
	memset(b, 0, len);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 0, b, len));
	fill(want, len, 7, off);
	ASSERT_EQ(0, memcmp(b, want, len));
	memset(b, 0, len);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 4000, b, 300));
	ASSERT_EQ(0, memcmp(b, want + 4000, 300));

	/* Write 5000 bytes at offset 2000 of the grant. */
	fill(b, 5000, 99, 0);
	CHECK(0, mol_safecopy_to(self->sys, EP(0), id, 2000, b, 5000));
	self->c[0]->off = 0;
	self->c[0]->len = 4 * 4096;
	ASSERT_EQ(0, cmd(self, 0, C_READ));
	fill(want, 4 * 4096, 7, 0);
	memcpy(want + off + 2000, b, 5000);
	ASSERT_EQ(0, memcmp(self->c[0]->data, want, 4 * 4096))
		TH_LOG("the granter's memory is not what was written");

	/* What we read back through the grant is what we wrote. */
	memset(b, 0, 5000);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 2000, b, 5000));
	ASSERT_EQ(0, memcmp(b, want + off + 2000, 5000));
}

/* 8 MiB both ways, checked by hash; prints the rate. */
TEST_F(grants, large_copy)
{
	uint64_t t0, t1, h;
	int id;

	AGENT(0);
	ASSERT_EQ(0, agent_fill(self, 0, 4096 + 17, BIG, 3));
	id = grant(self, 0, SYS_EP, 4096 + 17, BIG,
		   MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	memset(self->buf, 0, BIG);
	t0 = mt_now_ns();
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 0, self->buf, BIG));
	t1 = mt_now_ns();
	h = agent_hash(self, 0, 4096 + 17, BIG);
	ASSERT_EQ(h, hash(self->buf, BIG)) TH_LOG("8 MiB read corrupted");
	printf("# %s: safecopy from 8 MiB: %.0f MB/s\n", mt_transport(),
	       BIG / ((t1 - t0) / 1e9) / 1e6);
	fflush(stdout);

	fill(self->buf, BIG, 5, 0);
	t0 = mt_now_ns();
	CHECK(0, mol_safecopy_to(self->sys, EP(0), id, 0, self->buf, BIG));
	t1 = mt_now_ns();
	ASSERT_EQ(hash(self->buf, BIG), agent_hash(self, 0, 4096 + 17, BIG))
		TH_LOG("8 MiB write corrupted");
	printf("# %s: safecopy to 8 MiB: %.0f MB/s\n", mt_transport(),
	       BIG / ((t1 - t0) / 1e9) / 1e6);
	fflush(stdout);
}

/* The realistic use: a client blocked in sendrec, its server copies. */
TEST_F(grants, copy_while_granter_waits)
{
	struct mol_message m;
	unsigned int st;
	int id;
	uint64_t len = 100000;

	AGENT(0);
	self->c[0]->off = 50;
	self->c[0]->len = len;
	ASSERT_EQ(0, cmd_start(self, 0, C_SENDREC));
	CHECK(0, mol_receive(self->sys, EP(0), &m, &st));
	ASSERT_EQ(77, m.m_type);
	ASSERT_TRUE(st & MOLIPC_STATUS_SENDREC);
	id = m.m_u.m7.m7i1;
	ASSERT_EQ(len, m.m_u.m7.m7p1);
	fill(self->buf, len, 11, 0);
	CHECK(0, mol_safecopy_to(self->sys, EP(0), id, 0, self->buf, len));
	memset(&m, 0, sizeof(m));
	m.m_type = 5;
	CHECK(0, mol_send(self->sys, EP(0), &m));
	ASSERT_EQ(5, cmd_wait(self, 0));
	ASSERT_EQ(hash(self->buf, len), self->c[0]->hash);
}

TEST_F(grants, bounds)
{
	unsigned char *b = self->buf;
	int id;

	AGENT(0);
	id = grant(self, 0, SYS_EP, 0, 4096, MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 4095, b, 1));
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 0, b, 4096));
	CHECK(-EPERM, mol_safecopy_from(self->sys, EP(0), id, 4096, b, 1));
	CHECK(-EPERM, mol_safecopy_from(self->sys, EP(0), id, 4000, b, 97));
	CHECK(-EPERM, mol_safecopy_from(self->sys, EP(0), id, 0, b, 4097));
	CHECK(-EPERM, mol_safecopy_to(self->sys, EP(0), id, 1, b, 4096));
	CHECK(-EPERM, raw_copy(self->sys, EP(0), id, UINT64_MAX, b, 2,
			       MOLIPC_SAFECOPY_FROM));
	CHECK(-EPERM, raw_copy(self->sys, EP(0), id, 1, b, UINT64_MAX,
			       MOLIPC_SAFECOPY_FROM));
	CHECK(-EPERM, raw_copy(self->sys, EP(0), id, UINT64_MAX, b,
			       UINT64_MAX, MOLIPC_SAFECOPY_TO));
	CHECK(-EPERM, raw_copy(self->sys, EP(0), id, 4097, b, 0,
			       MOLIPC_SAFECOPY_FROM));
	/* A grant whose range wraps around: bounds pass, memory does not. */
	self->c[0]->grantee = SYS_EP;
	self->c[0]->addr = UINT64_MAX - 100;
	self->c[0]->len = 4096;
	self->c[0]->access = MOL_GRANT_READ;
	id = cmd(self, 0, C_GRANT_ABS);
	ASSERT_LE(0, id);
	CHECK(-EFAULT, mol_safecopy_from(self->sys, EP(0), id, 0, b, 4096));
}

TEST_F(grants, zero_length)
{
	int id;

	AGENT(0);
	id = grant(self, 0, SYS_EP, 0, 4096, MOL_GRANT_READ);
	ASSERT_LE(0, id);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 0, NULL, 0));
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 4096, NULL, 0));
	/* The checks still apply. */
	CHECK(-EPERM, mol_safecopy_to(self->sys, EP(0), id, 0, NULL, 0));
	ASSERT_EQ(0, (self->c[0]->id = id, cmd(self, 0, C_REVOKE)));
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0), id, 0, NULL, 0));
}

TEST_F(grants, access_rights)
{
	unsigned char *b = self->buf;
	int ro, wo;

	AGENT(0);
	ASSERT_EQ(0, agent_fill(self, 0, 0, 8192, 1));
	ro = grant(self, 0, SYS_EP, 0, 4096, MOL_GRANT_READ);
	wo = grant(self, 0, SYS_EP, 4096, 4096, MOL_GRANT_WRITE);
	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	ASSERT_NE(ro, wo);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), ro, 0, b, 4096));
	CHECK(-EPERM, mol_safecopy_to(self->sys, EP(0), ro, 0, b, 4096));
	CHECK(-EPERM, mol_safecopy_from(self->sys, EP(0), wo, 0, b, 4096));
	memset(b, 0xab, 4096);
	CHECK(0, mol_safecopy_to(self->sys, EP(0), wo, 0, b, 4096));
	/* The read-only range is unchanged, the write-only one written. */
	fill(b, 4096, 1, 0);
	ASSERT_EQ(hash(b, 4096), agent_hash(self, 0, 0, 4096));
	memset(b, 0xab, 4096);
	ASSERT_EQ(hash(b, 4096), agent_hash(self, 0, 4096, 4096));
	/* Bad access bits are refused by libmol. */
	ASSERT_EQ(MOL_EINVAL, grant(self, 0, SYS_EP, 0, 1, 0));
	ASSERT_EQ(MOL_EINVAL, grant(self, 0, SYS_EP, 0, 1, 8));
}

TEST_F(grants, grantee)
{
	unsigned char *b = self->buf;
	int id, any;

	AGENT(0);
	AGENT(1);
	ASSERT_EQ(0, agent_fill(self, 0, 0, 4096, 21));
	id = grant(self, 0, EP(1), 0, 4096, MOL_GRANT_READ);
	ASSERT_LE(0, id);
	CHECK(-EPERM, mol_safecopy_from(self->sys, EP(0), id, 0, b, 16));
	self->c[1]->granter = EP(0);
	self->c[1]->id = id;
	self->c[1]->off2 = 0;
	self->c[1]->len = 4096;
	ASSERT_EQ(0, cmd(self, 1, C_COPY_FROM));
	fill(b, 4096, 21, 0);
	ASSERT_EQ(0, memcmp(b, self->c[1]->data, 4096));

	/* MOL_ANY: both may. */
	any = grant(self, 0, MOL_ANY, 0, 4096, MOL_GRANT_READ);
	ASSERT_LE(0, any);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), any, 0, b, 4096));
	self->c[1]->id = any;
	ASSERT_EQ(0, cmd(self, 1, C_COPY_FROM));

	/* A grant to a dead grantee's old endpoint is nobody's. */
	id = grant(self, 0, EP(1) + MOL_GEN_SIZE, 0, 4096, MOL_GRANT_READ);
	ASSERT_LE(0, id);
	self->c[1]->id = id;
	ASSERT_EQ(-EPERM, cmd(self, 1, C_COPY_FROM));
}

TEST_F(grants, revoke_and_stale_id)
{
	unsigned char *b = self->buf;
	int id, id2, other;

	AGENT(0);
	id = grant(self, 0, SYS_EP, 0, 4096, MOL_GRANT_READ);
	other = grant(self, 0, SYS_EP, 4096, 4096, MOL_GRANT_READ);
	ASSERT_LE(0, id);
	ASSERT_LE(0, other);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 0, b, 4096));
	self->c[0]->id = id;
	ASSERT_EQ(0, cmd(self, 0, C_REVOKE));
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0), id, 0, b, 4096));
	ASSERT_EQ(MOL_EINVAL, cmd(self, 0, C_REVOKE));	/* twice */
	CHECK(0, mol_safecopy_from(self->sys, EP(0), other, 0, b, 4096));

	/* The entry reused for a new grant: the old id stays dead. */
	self->c[0]->id = other;
	self->c[0]->grantee = SYS_EP;
	self->c[0]->off = 0;
	self->c[0]->len = 4096;
	self->c[0]->access = MOL_GRANT_READ;
	ASSERT_EQ(0, cmd(self, 0, C_REUSE));
	id2 = self->c[0]->id;
	ASSERT_EQ(MOL_GRANT_IDX(other), MOL_GRANT_IDX(id2));
	ASSERT_NE(other, id2);
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0), other, 0, b, 1));
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id2, 0, b, 1));

	/* Ids that name no entry. */
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0), MOL_GRANT_INVALID,
					 0, b, 1));
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0),
					 MOL_GRANT_ID(1, 4095), 0, b, 1));
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0),
					 MOL_GRANT_ID(0, MOL_GRANT_IDX(id2)),
					 0, b, 1));
}

/* The table grows (re-registered) and old ids keep working. */
TEST_F(grants, many_grants)
{
	struct agent_cmd *c = self->c[0];
	unsigned char *b = self->buf;
	unsigned int i;

	AGENT(0);
	ASSERT_EQ(0, agent_fill(self, 0, 0, 4096, 2));
	c->n = 256;
	c->grantee = SYS_EP;
	c->off = 0;
	c->len = 4096;
	c->access = MOL_GRANT_READ;
	ASSERT_EQ(0, cmd(self, 0, C_MANY));
	fill(b + 4096, 4096, 2, 0);
	for (i = 0; i < 256; i += 51) {
		memset(b, 0, 4096);
		CHECK(0, mol_safecopy_from(self->sys, EP(0), c->ids[i], 0, b,
					   4096));
		ASSERT_EQ(0, memcmp(b, b + 4096, 4096));
	}
	CHECK(0, mol_safecopy_from(self->sys, EP(0), c->ids[255], 0, b, 1));
}

TEST_F(grants, dead_granter)
{
	unsigned char *b = self->buf;
	int id, old;

	AGENT(0);
	id = grant(self, 0, SYS_EP, 0, 4096, MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	old = EP(0);
	ASSERT_EQ(0, mt_kill(&self->p[0], SIGKILL));
	ASSERT_LE(0, mt_wait(&self->p[0], MT_WAIT_MS));
	/* Right after the death, whether or not the slot is freed yet. */
	CHECK(-ESRCH, mol_safecopy_from(self->sys, old, id, 0, b, 16));
	ASSERT_EQ(0, mt_wait_state(&self->in, SLOT(0), MOLIPC_PSTATE_FREE,
				   MT_ANY_PEER, MT_WAIT_MS));
	CHECK(-ESRCH, mol_safecopy_from(self->sys, old, id, 0, b, 16));
	CHECK(-ESRCH, mol_safecopy_to(self->sys, old, id, 0, b, 16));

	/* A new process in the slot: the old endpoint is stale. */
	AGENT(0);
	ASSERT_NE(old, EP(0));
	ASSERT_LE(0, grant(self, 0, SYS_EP, 0, 4096, MOL_GRANT_READ));
	CHECK(-ESRCH, mol_safecopy_from(self->sys, old, id, 0, b, 16));
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 0, b, 16));
}

TEST_F(grants, bad_local_buffer)
{
	unsigned char *ro;
	int id;

	AGENT(0);
	id = grant(self, 0, SYS_EP, 0, 8192, MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	CHECK(-EFAULT, mol_safecopy_from(self->sys, EP(0), id, 0,
					 (void *)16, 100));
	CHECK(-EFAULT, mol_safecopy_to(self->sys, EP(0), id, 0,
				       (void *)16, 100));
	ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	CHECK(-EFAULT, mol_safecopy_from(self->sys, EP(0), id, 0, ro, 8192));
	CHECK(0, mol_safecopy_to(self->sys, EP(0), id, 0, ro, 8192));
	munmap(ro, 8192);
	CHECK(-EFAULT, mol_safecopy_from(self->sys, EP(0), id, 0, ro, 100));
}

TEST_F(grants, granted_range_unmapped)
{
	unsigned char *b = self->buf;
	int id, ro;

	AGENT(0);
	id = grant(self, 0, SYS_EP, 1 << 20, 3 * 4096,
		   MOL_GRANT_READ | MOL_GRANT_WRITE);
	ro = grant(self, 0, SYS_EP, 2 << 20, 4096,
		   MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	ASSERT_LE(0, ro);
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 0, b, 3 * 4096));
	self->c[0]->off = (1 << 20) + 4096;
	self->c[0]->len = 4096;
	ASSERT_EQ(0, cmd(self, 0, C_UNMAP));
	CHECK(0, mol_safecopy_from(self->sys, EP(0), id, 0, b, 4096));
	CHECK(-EFAULT, mol_safecopy_from(self->sys, EP(0), id, 0, b, 8192));
	CHECK(-EFAULT, mol_safecopy_to(self->sys, EP(0), id, 4096, b, 1));
	CHECK(0, mol_safecopy_to(self->sys, EP(0), id, 8192, b, 4096));

	/* Read-only memory cannot be written through a grant. */
	self->c[0]->off = 2 << 20;
	self->c[0]->len = 4096;
	self->c[0]->access = PROT_READ;
	ASSERT_EQ(0, cmd(self, 0, C_PROTECT));
	CHECK(0, mol_safecopy_from(self->sys, EP(0), ro, 0, b, 4096));
	CHECK(-EFAULT, mol_safecopy_to(self->sys, EP(0), ro, 0, b, 4096));
}

TEST_F(grants, bad_table)
{
	struct agent_cmd *c = self->c[0];
	unsigned char *b = self->buf;

	AGENT(0);
	/* No table at all. */
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0), MOL_GRANT_ID(1, 0),
					 0, b, 1));
	/* A table where nothing is mapped. */
	c->off = 4 << 20;
	c->len = 4096;
	ASSERT_EQ(0, cmd(self, 0, C_UNMAP));
	c->addr = c->base + (4 << 20);
	c->n = 16;
	ASSERT_EQ(0, cmd(self, 0, C_SETGRANT));
	CHECK(-EFAULT, mol_safecopy_from(self->sys, EP(0), MOL_GRANT_ID(1, 0),
					 0, b, 1));
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0), MOL_GRANT_ID(1, 16),
					 0, b, 1));
	/* A table of zeros: no valid entry. */
	c->addr = c->base;
	ASSERT_EQ(0, cmd(self, 0, C_SETGRANT));
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0), MOL_GRANT_ID(0, 3),
					 0, b, 1));
	/* Refused tables. */
	c->addr = c->base + 4;
	ASSERT_EQ(MOL_EINVAL, cmd(self, 0, C_SETGRANT));
	c->addr = c->base;
	c->n = MOLIPC_GRANT_MAX + 1;
	ASSERT_EQ(MOL_EINVAL, cmd(self, 0, C_SETGRANT));
	c->n = 0;
	ASSERT_EQ(MOL_EINVAL, cmd(self, 0, C_SETGRANT));
	c->addr = UINT64_MAX - 7;
	c->n = 1;
	ASSERT_EQ(MOL_EINVAL, cmd(self, 0, C_SETGRANT));
	/* Removing the table. */
	c->addr = 0;
	c->n = 0;
	ASSERT_EQ(0, cmd(self, 0, C_SETGRANT));
	CHECK(-EINVAL, mol_safecopy_from(self->sys, EP(0), MOL_GRANT_ID(1, 0),
					 0, b, 1));
}

TEST_F(grants, arguments_and_granter)
{
	unsigned char *b = self->buf;
	struct mol unbound;
	int id;

	AGENT(0);
	id = grant(self, 0, SYS_EP, 0, 4096, MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	CHECK(-EINVAL, raw_copy(self->sys, EP(0), id, 0, b, 1, 0));
	CHECK(-EINVAL, raw_copy(self->sys, EP(0), id, 0, b, 1,
				MOLIPC_SAFECOPY_FROM | MOLIPC_SAFECOPY_TO));
	CHECK(-EINVAL, raw_copy(self->sys, EP(0), id, 0, b, 1, 4));
	{
		struct molipc_safecopy req = {
			.granter = EP(0), .grant_id = id,
			.local_addr = (uintptr_t)b, .len = 1,
			.flags = MOLIPC_SAFECOPY_FROM, .reserved = 1,
		};
		CHECK(-EINVAL, mol_safecopy(self->sys, &req));
	}
	CHECK(MOL_EBADSRCDST, mol_safecopy_from(self->sys, MOL_ANY, id, 0, b, 1));
	CHECK(MOL_EBADSRCDST, mol_safecopy_from(self->sys, MOL_NONE, id, 0, b, 1));
	CHECK(MOL_EBADSRCDST, mol_safecopy_from(self->sys, MT_NR_PROCS + 5, id,
						0, b, 1));
	CHECK(MOL_EDEADSRCDST, mol_safecopy_from(self->sys, SLOT(2), id, 0,
						 b, 1));
	CHECK(MOL_EINVAL, mol_setgrant(self->sys, (struct mol_grant *)(b + 4),
				       1));

	/* An unbound connection may do neither. */
	ASSERT_EQ(0, mol_open(&unbound, NULL));
	CHECK(MOL_ENOTBOUND, mol_setgrant(&unbound, (struct mol_grant *)b, 1));
	CHECK(MOL_ENOTBOUND, mol_safecopy_from(&unbound, EP(0), id, 0, b, 1));
	CHECK(MOL_EINVAL, mol_safecopy(&unbound, &(struct molipc_safecopy){
		.granter = EP(0), .grant_id = id, .flags = 0 }));
	mol_close(&unbound);
}

/* A process may copy through its own grant (MOL_SELF or its endpoint). */
TEST_F(grants, self_grant)
{
	unsigned char *b = self->buf;
	int id;

	fill(b, 4096, 9, 0);
	id = mol_grant_create(self->sys, SYS_EP, b, 4096,
			      MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	CHECK(0, mol_safecopy_from(self->sys, MOL_SELF, id, 0, b + 8192, 4096));
	ASSERT_EQ(0, memcmp(b, b + 8192, 4096));
	memset(b + 8192, 0x5c, 100);
	CHECK(0, mol_safecopy_to(self->sys, SYS_EP, id, 10, b + 8192, 100));
	ASSERT_EQ(0x5c, b[10]);
	ASSERT_EQ(0x5c, b[109]);
	ASSERT_EQ(pat(9, 110), b[110]);
	CHECK(0, mol_grant_revoke(self->sys, id));
	CHECK(-EINVAL, mol_safecopy_from(self->sys, MOL_SELF, id, 0, b, 1));
}

/* ---------------------------------------------------------------- */


MT_HARNESS_MAIN("grants", (void)0)

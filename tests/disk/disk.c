// SPDX-License-Identifier: GPL-2.0
/*
 * disk.c - moldisk, MoL's disk driver, on every transport.
 *
 * Written only against libmol (mol.h), like tests/ipc/grants.c: the
 * binary checks the transport MOL_TRANSPORT selects.  Each test creates
 * an instance; the test process is its system task and the main client.
 * It forks moldisk (the binary next to this one, or $MOLDISK), registers
 * it at MOL_DISK with server privileges and lets it exec, as molsystem
 * starts its servers ($MOL_INSTANCE).  The driver serves three images in
 * a private directory: minor 0 (24 MiB, filled with a known pattern),
 * minor 1 (1 MiB + 100 bytes: the tail is not addressable) and minor 2
 * (a sparse 5 GiB file).  Other clients are forked participants with
 * user privileges (sendrec to MOL_DISK).  The last test mounts a
 * `mkfs.minix -3` image with the molfs core through dev_moldisk.c and
 * checks it with `fsck.minix -f`.  Protocol: <linux/molcalls.h>,
 * "Block devices"; Documentation/devices.md.
 *
 * After the kselftest output the binary prints one line
 *	disk <transport>: N passed, N failed
 * and exits non-zero if anything failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "moltest.h"
#include <linux/molcalls.h>

#include "mfs.h"
#include "dev_moldisk.h"
#include "redolog.h"

#define MIB		(1ULL << 20)
#define GIB		(1ULL << 30)
#define SIZE0		(24 * MIB)
#define SIZE1		(1 * MIB)
#define SIZE1_FILE	(SIZE1 + 100)
#define SIZE2		(5 * GIB)
#define SEED0		1		/* minor 0's initial contents */
#define NR_IMAGES	3
#define BUFSZ		(BDEV_MAX_COUNT + 8192)

#define CLIENT_SLOT(i)	(MT_SLOT_BASE + 4 + (i))
#define DRIVER2_SLOT	(MT_SLOT_BASE + 40)
#define IPC_FAILED	(-100000)	/* the sendrec itself failed */

static char moldisk_path[PATH_MAX];

static uint8_t pat(uint32_t seed, uint64_t pos)
{
	uint64_t x = (pos + 1) * 0x9e3779b97f4a7c15ULL + seed;

	return (uint8_t)(x >> 29);
}

/* b[0..len) = the pattern of @seed as at disk position @pos. */
static void fill(unsigned char *b, uint64_t len, uint32_t seed, uint64_t pos)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		b[i] = pat(seed, pos + i);
}

/* Index of the first byte that differs from the pattern, or -1. */
static long long check(const unsigned char *b, uint64_t len, uint32_t seed,
		       uint64_t pos)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (b[i] != pat(seed, pos + i))
			return (long long)i;
	return -1;
}

/* ---------------------------------------------------------------- */
/* The driver                                                        */
/* ---------------------------------------------------------------- */

struct driver_args {
	unsigned int instance;
	char *argv[8];
};

/* Child of mt_spawn (MT_NO_OPEN): become moldisk. */
static int exec_driver(struct mt_proc *self, void *arg)
{
	struct driver_args *a = arg;
	char id[16];

	snprintf(id, sizeof(id), "%u", a->instance);
	setenv("MOL_INSTANCE", id, 1);
	execv(moldisk_path, a->argv);
	return 96;
}

/*
 * Start moldisk at @slot with @args (options, then images; at most 5,
 * NULL-terminated), with -v first if $MOLDISK_VERBOSE is set; 0 once it
 * waits for requests.
 */
static int start_driver(struct mt_inst *in, struct mt_proc *p, int slot,
			char *const *args)
{
	struct driver_args a;
	int i, n, rc, ms;

	memset(&a, 0, sizeof(a));
	a.instance = in->id;
	a.argv[0] = "moldisk";
	n = 1;
	if (getenv("MOLDISK_VERBOSE"))
		a.argv[n++] = "-v";
	for (i = 0; args[i] && n < 7; i++)
		a.argv[n++] = args[i];
	rc = mt_spawn(p, in, slot, NULL, MT_NO_OPEN, exec_driver, &a);
	if (rc < 0)
		return rc;
	for (ms = 0; ms < MT_WAIT_MS; ms += 50) {
		rc = mt_wait_state(in, slot, MOLIPC_PSTATE_RECEIVING,
				   MT_ANY_PEER, 50);
		if (rc != -ETIMEDOUT)
			return rc;
		if (mt_wait(p, 0) != -ETIMEDOUT)
			return -ECHILD;	/* exec or start-up failed */
	}
	return rc;
}

/* Still running? */
static bool alive(struct mt_proc *p)
{
	return mt_wait(p, 0) == -ETIMEDOUT;
}

/* ---------------------------------------------------------------- */
/* Requests                                                          */
/* ---------------------------------------------------------------- */

/* sendrec @m to @drv: the reply's m_type, or IPC_FAILED. */
static int call(struct mol *mol, int drv, struct mol_message *m)
{
	int rc = mol_sendrec(mol, drv, m);

	if (rc < 0) {
		fprintf(stderr, "# sendrec to %d: %s\n", drv, mol_strerror(rc));
		return IPC_FAILED;
	}
	return m->m_type;
}

static int req(struct mol *mol, int drv, int type, uint32_t minor,
	       uint32_t access, int grant, uint64_t pos, uint64_t count)
{
	struct mol_message m;
	struct mol_bdev_req *r = MOL_BODY(&m, struct mol_bdev_req);

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	r->minor = minor;
	r->access = access;
	r->grant = grant;
	r->pos = pos;
	r->count = count;
	return call(mol, drv, &m);
}

/* Grant @buf for @len, do one READ or WRITE of @count, revoke. */
static int rw_grant(struct mol *mol, int drv, int type, uint32_t minor,
		    uint64_t pos, void *buf, uint64_t len, uint64_t count)
{
	unsigned int access = type == BDEV_READ ? MOL_GRANT_WRITE :
						  MOL_GRANT_READ;
	int id, rc;

	id = mol_grant_create(mol, drv, buf, len, access);
	if (id < 0)
		return id;
	rc = req(mol, drv, type, minor, 0, id, pos, count);
	mol_grant_revoke(mol, id);
	return rc;
}

static int rw(struct mol *mol, int drv, int type, uint32_t minor,
	      uint64_t pos, void *buf, uint64_t count)
{
	return rw_grant(mol, drv, type, minor, pos, buf, count, count);
}

static int info(struct mol *mol, int drv, uint32_t minor,
		struct mol_bdev_info *out)
{
	struct mol_message m;
	struct mol_bdev_info *r = MOL_BODY(&m, struct mol_bdev_info);
	int rc;

	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_INFO;
	r->minor = minor;
	rc = call(mol, drv, &m);
	if (out)
		*out = *r;
	return rc;
}

/*
 * BDEV_WRITE_BATCH of the batch in @buf (@n extents, @count bytes),
 * granted for @glen bytes, with @flags and @reserved as given.
 */
static int batch_req(struct mol *mol, int drv, uint32_t minor, void *buf,
		     uint32_t n, uint64_t count, uint64_t glen,
		     uint32_t flags, uint64_t reserved)
{
	struct mol_message m;
	struct mol_bdev_batch *r = MOL_BODY(&m, struct mol_bdev_batch);
	int id, rc;

	id = mol_grant_create(mol, drv, buf, glen, MOL_GRANT_READ);
	if (id < 0)
		return id;
	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_WRITE_BATCH;
	r->minor = minor;
	r->nr_extents = n;
	r->grant = id;
	r->flags = flags;
	r->count = count;
	r->reserved = reserved;
	rc = call(mol, drv, &m);
	mol_grant_revoke(mol, id);
	return rc;
}

/*
 * Build in @b a batch of the extents @pos/@len (@n of them), each filled
 * with the pattern of @seed at its position; returns its byte count.
 */
static uint64_t make_batch(unsigned char *b, const uint64_t *pos,
			   const uint32_t *len, uint32_t n, uint32_t seed)
{
	struct mol_bdev_extent *e = (struct mol_bdev_extent *)b;
	unsigned char *d = b + n * sizeof(*e);
	uint32_t i;

	for (i = 0; i < n; i++) {
		e[i] = (struct mol_bdev_extent){ .pos = pos[i],
						 .len = len[i] };
		fill(d, len[i], seed, pos[i]);
		d += len[i];
	}
	return d - b;
}

/* ---------------------------------------------------------------- */
/* Clients                                                           */
/* ---------------------------------------------------------------- */

struct client_args {
	int drv;
	uint32_t minor;
	uint64_t pos;
	uint64_t count;
	uint32_t seed;
	int rounds;		/* 0: until killed */
	bool write;		/* write then read back; else read only */
	bool verify;		/* check what was read */
};

/*
 * A participant: @rounds times (write @seed + round, then) read the
 * range back and check it.  value[0] counts finished rounds, value[1]
 * has the result of a failed request.
 */
static int client(struct mt_proc *self, void *arg)
{
	struct client_args *a = arg;
	unsigned char *buf;
	uint32_t seed;
	int i, rc;

	buf = mmap(NULL, a->count, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return 90;
	for (i = 0; !a->rounds || i < a->rounds; i++) {
		seed = a->write ? a->seed + i : a->seed;
		if (a->write) {
			fill(buf, a->count, seed, a->pos);
			rc = rw(&self->mol, a->drv, BDEV_WRITE, a->minor,
				a->pos, buf, a->count);
			if (rc != (int)a->count) {
				self->sh->value[1] = rc;
				return 91;
			}
		}
		memset(buf, 0, a->count);
		rc = rw(&self->mol, a->drv, BDEV_READ, a->minor, a->pos, buf,
			a->count);
		if (rc != (int)a->count) {
			self->sh->value[1] = rc;
			return 92;
		}
		if (a->verify && check(buf, a->count, seed, a->pos) >= 0)
			return 93;
		__atomic_store_n(&self->sh->value[0], i + 1, __ATOMIC_RELEASE);
	}
	return 0;
}

static int spawn_client(struct mt_inst *in, struct mt_proc *p, int slot,
			struct client_args *a)
{
	struct molipc_priv priv;

	mt_priv_user(&priv);
	mt_priv_allow(&priv, MOL_ENDPOINT_SLOT(a->drv));
	return mt_spawn(p, in, slot, &priv, 0, client, a);
}

/* ---------------------------------------------------------------- */
/* Fixture                                                           */
/* ---------------------------------------------------------------- */

FIXTURE(disk) {
	struct mt_inst in;
	struct mt_proc drv;
	struct mol *sys;
	int ep;			/* the driver's endpoint */
	char dir[PATH_MAX];
	char img[NR_IMAGES][PATH_MAX + 16];
	unsigned char *buf, *buf2;
};

static int make_image(const char *path, uint64_t size, bool pattern)
{
	unsigned char *b;
	uint64_t pos;
	int fd, rc = 0;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0)
		rc = -errno;
	b = malloc(MIB);
	if (!b)
		rc = -ENOMEM;
	for (pos = 0; pattern && !rc && pos < size; pos += MIB) {
		fill(b, MIB, SEED0, pos);
		if (pwrite(fd, b, MIB, (off_t)pos) != (ssize_t)MIB)
			rc = -EIO;
	}
	free(b);
	close(fd);
	return rc;
}

/* Read the image file itself: @len bytes at @pos into @b. */
static int host_read(const char *path, uint64_t pos, void *b, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, b, len, (off_t)pos);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

FIXTURE_SETUP(disk)
{
	const char *tmp = getenv("TMPDIR");
	char *args[NR_IMAGES + 1];
	int rc, i;

	snprintf(self->dir, sizeof(self->dir), "%s/moldisk.XXXXXX",
		 tmp ? tmp : "/tmp");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	for (i = 0; i < NR_IMAGES; i++) {
		snprintf(self->img[i], sizeof(self->img[i]), "%s/img%d",
			 self->dir, i);
		args[i] = self->img[i];
	}
	args[NR_IMAGES] = NULL;
	ASSERT_EQ(0, make_image(self->img[0], SIZE0, true));
	ASSERT_EQ(0, make_image(self->img[1], SIZE1_FILE, false));
	ASSERT_EQ(0, make_image(self->img[2], SIZE2, false));
	self->buf = malloc(BUFSZ);
	self->buf2 = malloc(BUFSZ);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->buf2);

	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("creating an instance over %s: %s",
				mt_transport(), mol_strerror(rc));
	self->sys = &self->in.sys;
	rc = start_driver(&self->in, &self->drv, MOL_DISK, args);
	ASSERT_EQ(0, rc) TH_LOG("starting %s: %s", moldisk_path,
				mol_strerror(rc));
	self->ep = self->drv.endpoint;
}

FIXTURE_TEARDOWN(disk)
{
	char path[PATH_MAX + 32];
	int i;

	mt_kill_all();
	mt_inst_destroy(&self->in);
	for (i = 0; i < NR_IMAGES; i++) {
		unlink(self->img[i]);
		snprintf(path, sizeof(path), "%s%s", self->img[i],
			 REDO_SUFFIX);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/fs.img", self->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/fs.img%s", self->dir, REDO_SUFFIX);
	unlink(path);
	snprintf(path, sizeof(path), "%s/fsck.log", self->dir);
	unlink(path);
	rmdir(self->dir);
	free(self->buf);
	free(self->buf2);
}

#define CHECK(want, expr) do { \
	long long __rc = (expr); \
	ASSERT_EQ((long long)(want), __rc) \
		TH_LOG("%s: expected %lld, got %lld", #expr, \
		       (long long)(want), __rc); \
} while (0)

#define SYS		(self->sys)
#define EP		(self->ep)

/* ---------------------------------------------------------------- */
/* Tests                                                             */
/* ---------------------------------------------------------------- */

/* Geometry of each minor; open and close. */
TEST_F(disk, info_open_close)
{
	struct mol_bdev_info in;
	static const uint64_t size[NR_IMAGES] = { SIZE0, SIZE1, SIZE2 };
	int i;

	for (i = 0; i < NR_IMAGES; i++) {
		CHECK(0, info(SYS, EP, i, &in));
		ASSERT_EQ(size[i], in.size);
		ASSERT_EQ(0, in.flags);
		ASSERT_LE(BDEV_SECTOR, in.block_size);
		ASSERT_EQ(BDEV_MAX_COUNT, in.max_count);
		CHECK(0, req(SYS, EP, BDEV_OPEN, i, BDEV_R_BIT | BDEV_W_BIT,
			     0, 0, 0));
		CHECK(0, req(SYS, EP, BDEV_OPEN, i, BDEV_R_BIT, 0, 0, 0));
		CHECK(0, req(SYS, EP, BDEV_CLOSE, i, 0, 0, 0, 0));
		CHECK(0, req(SYS, EP, BDEV_CLOSE, i, 0, 0, 0, 0));
	}
	CHECK(-EINVAL, req(SYS, EP, BDEV_OPEN, 0, 0, 0, 0, 0));
	CHECK(-EINVAL, req(SYS, EP, BDEV_OPEN, 0, 4, 0, 0, 0));
	CHECK(-EINVAL, req(SYS, EP, BDEV_OPEN, 0, BDEV_R_BIT, 0, 512, 0));
	CHECK(-EINVAL, req(SYS, EP, BDEV_CLOSE, 0, BDEV_R_BIT, 0, 0, 0));
	CHECK(-ENXIO, req(SYS, EP, BDEV_OPEN, 3, BDEV_R_BIT, 0, 0, 0));
	CHECK(-ENXIO, info(SYS, EP, 3, NULL));
}

/* Exact contents both ways; nothing outside the request is touched. */
TEST_F(disk, read_write_exact)
{
	unsigned char *b = self->buf, *h = self->buf2;

	/* Read the initial pattern; bytes past count stay as they were. */
	memset(b, 0xa5, 8192);
	CHECK(4096, rw_grant(SYS, EP, BDEV_READ, 0, 8192, b, 8192, 4096));
	CHECK(-1, check(b, 4096, SEED0, 8192));
	ASSERT_EQ(0xa5, b[4096]);
	ASSERT_EQ(0xa5, b[8191]);

	/* Write 1 KiB at sector 7, read a larger range back. */
	fill(b, 1024, 77, 7 * 512);
	CHECK(1024, rw(SYS, EP, BDEV_WRITE, 0, 7 * 512, b, 1024));
	CHECK(8192, rw(SYS, EP, BDEV_READ, 0, 0, b, 8192));
	CHECK(-1, check(b, 7 * 512, SEED0, 0));
	CHECK(-1, check(b + 7 * 512, 1024, 77, 7 * 512));
	CHECK(-1, check(b + 9 * 512, 8192 - 9 * 512, SEED0, 9 * 512));

	/* The image file holds it (after a flush). */
	CHECK(0, req(SYS, EP, BDEV_FLUSH, 0, 0, 0, 0, 0));
	CHECK(0, host_read(self->img[0], 0, h, 8192));
	ASSERT_EQ(0, memcmp(b, h, 8192));

	/* One sector at the very end; zero count is a no-op. */
	fill(b, 512, 78, SIZE0 - 512);
	CHECK(512, rw(SYS, EP, BDEV_WRITE, 0, SIZE0 - 512, b, 512));
	memset(b, 0, 512);
	CHECK(512, rw(SYS, EP, BDEV_READ, 0, SIZE0 - 512, b, 512));
	CHECK(-1, check(b, 512, 78, SIZE0 - 512));
	CHECK(0, rw(SYS, EP, BDEV_READ, 0, SIZE0, b, 0));
	CHECK(0, req(SYS, EP, BDEV_WRITE, 0, 0, -1, 0, 0));
}

/* Each minor is its own image. */
TEST_F(disk, several_minors)
{
	unsigned char *b = self->buf, *h = self->buf2;
	int i;

	for (i = 0; i < NR_IMAGES; i++) {
		fill(b, 65536, 100 + i, 4096);
		CHECK(65536, rw(SYS, EP, BDEV_WRITE, i, 4096, b, 65536));
	}
	for (i = 0; i < NR_IMAGES; i++) {
		memset(b, 0, 65536);
		CHECK(65536, rw(SYS, EP, BDEV_READ, i, 4096, b, 65536));
		CHECK(-1, check(b, 65536, 100 + i, 4096));
		CHECK(0, req(SYS, EP, BDEV_FLUSH, i, 0, 0, 0, 0));
		CHECK(0, host_read(self->img[i], 4096, h, 65536));
		ASSERT_EQ(0, memcmp(b, h, 65536));
	}
	/* Minor 1's size is rounded down to a sector: its tail is out. */
	CHECK(-EINVAL, rw(SYS, EP, BDEV_READ, 1, SIZE1, b, 512));
	CHECK(512, rw(SYS, EP, BDEV_READ, 1, SIZE1 - 512, b, 512));
}

/* Requests of several MiB, up to BDEV_MAX_COUNT, odd chunk counts. */
TEST_F_TIMEOUT(disk, large_requests, 120)
{
	unsigned char *b = self->buf, *h = self->buf2;
	const uint64_t odd = 3 * MIB + 512;

	fill(b, BDEV_MAX_COUNT, 5, 4 * MIB);
	CHECK(BDEV_MAX_COUNT, rw(SYS, EP, BDEV_WRITE, 0, 4 * MIB, b,
				 BDEV_MAX_COUNT));
	memset(b, 0, BDEV_MAX_COUNT);
	CHECK(BDEV_MAX_COUNT, rw(SYS, EP, BDEV_READ, 0, 4 * MIB, b,
				 BDEV_MAX_COUNT));
	CHECK(-1, check(b, BDEV_MAX_COUNT, 5, 4 * MIB));
	CHECK(0, host_read(self->img[0], 4 * MIB, h, BDEV_MAX_COUNT));
	ASSERT_EQ(0, memcmp(b, h, BDEV_MAX_COUNT));

	fill(b, odd, 6, 512);
	CHECK(odd, rw(SYS, EP, BDEV_WRITE, 0, 512, b, odd));
	memset(b, 0, odd);
	CHECK(odd + 512, rw(SYS, EP, BDEV_READ, 0, 0, b, odd + 512));
	CHECK(-1, check(b, 512, SEED0, 0));
	CHECK(-1, check(b + 512, odd, 6, 512));

	CHECK(-EINVAL, rw(SYS, EP, BDEV_READ, 0, 0, b,
			  BDEV_MAX_COUNT + 512));
}

/* 64-bit positions: around and beyond 4 GiB of a sparse image. */
TEST_F_TIMEOUT(disk, beyond_4gib, 60)
{
	unsigned char *b = self->buf, *h = self->buf2;
	static const uint64_t where[] = {
		4 * GIB - 2048, 4 * GIB + 4096, 5 * GIB - 65536,
	};
	struct stat st;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		fill(b, 65536, 200 + i, where[i]);
		CHECK(65536, rw(SYS, EP, BDEV_WRITE, 2, where[i], b, 65536));
	}
	for (i = 0; i < 3; i++) {
		memset(b, 0, 65536);
		CHECK(65536, rw(SYS, EP, BDEV_READ, 2, where[i], b, 65536));
		CHECK(-1, check(b, 65536, 200 + i, where[i]));
		CHECK(0, host_read(self->img[2], where[i], h, 65536));
		ASSERT_EQ(0, memcmp(b, h, 65536));
	}
	/* A hole reads as zeros, the image did not grow. */
	memset(b, 0xff, 4096);
	CHECK(4096, rw(SYS, EP, BDEV_READ, 2, 4 * GIB + 65536 * 4, b, 4096));
	for (i = 0; i < 4096; i++)
		ASSERT_EQ(0, b[i]);
	CHECK(-EINVAL, rw(SYS, EP, BDEV_WRITE, 2, SIZE2, b, 512));
	ASSERT_EQ(0, stat(self->img[2], &st));
	ASSERT_EQ(SIZE2, (uint64_t)st.st_size);
}

/* Alignment, bounds and overflow: -EINVAL, nothing written. */
TEST_F(disk, bounds_and_overflow)
{
	unsigned char *b = self->buf;
	static const struct {
		uint64_t pos, count;
	} bad[] = {
		{ SIZE0, 512 },			/* at the end */
		{ SIZE0 - 512, 1024 },		/* across the end */
		{ SIZE0 + 512, 0 },		/* beyond, even empty */
		{ 1ULL << 63, 512 },
		{ UINT64_MAX - 511, 1024 },	/* pos + count wraps */
		{ 512, UINT64_MAX - 511 },	/* count wraps */
		{ UINT64_MAX & ~511ULL, 512 },
		{ 100, 512 },			/* unaligned pos */
		{ 512, 100 },			/* unaligned count */
		{ 1, 1 },
		{ 0, (uint64_t)BDEV_MAX_COUNT + 512 },	/* too big */
		{ 0, 1ULL << 32 },
	};
	struct stat st;
	unsigned int i;
	int id;

	memset(b, 0x3c, 8192);
	id = mol_grant_create(SYS, EP, b, 8192,
			      MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(-EINVAL, req(SYS, EP, BDEV_READ, 0, 0, id, bad[i].pos,
				   bad[i].count));
		CHECK(-EINVAL, req(SYS, EP, BDEV_WRITE, 0, 0, id, bad[i].pos,
				   bad[i].count));
	}
	mol_grant_revoke(SYS, id);
	for (i = 0; i < 8192; i++)
		ASSERT_EQ(0x3c, b[i]);
	/* The image is unchanged: size and its last sectors. */
	ASSERT_EQ(0, stat(self->img[0], &st));
	ASSERT_EQ(SIZE0, (uint64_t)st.st_size);
	CHECK(4096, rw(SYS, EP, BDEV_READ, 0, SIZE0 - 4096, b, 4096));
	CHECK(-1, check(b, 4096, SEED0, SIZE0 - 4096));
	/* Exactly up to the end is fine. */
	CHECK(4096, rw(SYS, EP, BDEV_WRITE, 0, SIZE0 - 4096, b, 4096));
}

/* Minors that do not exist: -ENXIO for every call. */
TEST_F(disk, bad_minor)
{
	static const uint32_t minors[] = { 3, 16, 255, 0x80000000u,
					   0xffffffffu };
	unsigned int i;

	for (i = 0; i < sizeof(minors) / sizeof(minors[0]); i++) {
		CHECK(-ENXIO, rw(SYS, EP, BDEV_READ, minors[i], 0, self->buf,
				 512));
		CHECK(-ENXIO, rw(SYS, EP, BDEV_WRITE, minors[i], 0, self->buf,
				 512));
		CHECK(-ENXIO, req(SYS, EP, BDEV_FLUSH, minors[i], 0, 0, 0, 0));
		CHECK(-ENXIO, req(SYS, EP, BDEV_OPEN, minors[i], BDEV_R_BIT,
				  0, 0, 0));
		CHECK(-ENXIO, req(SYS, EP, BDEV_CLOSE, minors[i], 0, 0, 0, 0));
		CHECK(-ENXIO, info(SYS, EP, minors[i], NULL));
	}
}

/* Grants the driver may not use: safecopy's errors, image unchanged. */
TEST_F(disk, bad_grant)
{
	unsigned char *b = self->buf, *map;
	int id;

	/* No such grant: never created, revoked. */
	CHECK(-EINVAL, req(SYS, EP, BDEV_READ, 0, 0, 12345, 0, 512));
	CHECK(-EINVAL, req(SYS, EP, BDEV_WRITE, 0, 0, -1, 0, 512));
	id = mol_grant_create(SYS, EP, b, 4096, MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	CHECK(0, mol_grant_revoke(SYS, id));
	CHECK(-EINVAL, req(SYS, EP, BDEV_READ, 0, 0, id, 0, 512));

	/* Granted to someone else. */
	id = mol_grant_create(SYS, SYS->endpoint, b, 4096,
			      MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	CHECK(-EPERM, req(SYS, EP, BDEV_READ, 0, 0, id, 0, 512));
	CHECK(-EPERM, req(SYS, EP, BDEV_WRITE, 0, 0, id, 0, 512));
	mol_grant_revoke(SYS, id);

	/* Wrong access: READ needs write access to the buffer, and back. */
	id = mol_grant_create(SYS, EP, b, 4096, MOL_GRANT_READ);
	ASSERT_LE(0, id);
	CHECK(-EPERM, req(SYS, EP, BDEV_READ, 0, 0, id, 0, 512));
	mol_grant_revoke(SYS, id);
	fill(b, 4096, 9, 0);
	id = mol_grant_create(SYS, EP, b, 4096, MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	CHECK(-EPERM, req(SYS, EP, BDEV_WRITE, 0, 0, id, 0, 512));
	mol_grant_revoke(SYS, id);

	/* Grant smaller than count, also in the second chunk. */
	CHECK(-EPERM, rw_grant(SYS, EP, BDEV_READ, 0, 0, b, 1024, 4096));
	CHECK(-EPERM, rw_grant(SYS, EP, BDEV_WRITE, 0, 0, b, 1024, 4096));
	CHECK(-EPERM, rw_grant(SYS, EP, BDEV_WRITE, 0, 0, b,
			       2 * MIB, 3 * MIB));

	/* Granted memory that is not mapped. */
	map = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	id = mol_grant_create(SYS, EP, map, 8192,
			      MOL_GRANT_READ | MOL_GRANT_WRITE);
	ASSERT_LE(0, id);
	ASSERT_EQ(0, munmap(map, 8192));
	CHECK(-EFAULT, req(SYS, EP, BDEV_READ, 0, 0, id, 0, 4096));
	CHECK(-EFAULT, req(SYS, EP, BDEV_WRITE, 0, 0, id, 0, 4096));
	mol_grant_revoke(SYS, id);

	/* Nothing reached the image; the driver still serves. */
	CHECK(65536, rw(SYS, EP, BDEV_READ, 0, 0, b, 65536));
	CHECK(-1, check(b, 65536, SEED0, 0));
	ASSERT_TRUE(alive(&self->drv));
}

/* FLUSH syncs; a read-only driver refuses writes. */
TEST_F(disk, flush_and_read_only)
{
	unsigned char *b = self->buf, *h = self->buf2;
	struct mol_bdev_info in;
	struct mt_proc ro;
	char *args[] = { "-r", self->img[0], NULL };
	int ep;

	fill(b, 16384, 31, 65536);
	CHECK(16384, rw(SYS, EP, BDEV_WRITE, 0, 65536, b, 16384));
	CHECK(0, req(SYS, EP, BDEV_FLUSH, 0, 0, 0, 0, 0));
	CHECK(0, req(SYS, EP, BDEV_FLUSH, 2, 0, 0, 0, 0));
	CHECK(-EINVAL, req(SYS, EP, BDEV_FLUSH, 0, 0, 0, 512, 0));
	CHECK(0, host_read(self->img[0], 65536, h, 16384));
	ASSERT_EQ(0, memcmp(b, h, 16384));

	ASSERT_EQ(0, start_driver(&self->in, &ro, DRIVER2_SLOT, args));
	ep = ro.endpoint;
	CHECK(0, info(SYS, ep, 0, &in));
	ASSERT_EQ(BDEV_INFO_RDONLY, in.flags);
	ASSERT_EQ(SIZE0, in.size);
	CHECK(-EROFS, req(SYS, ep, BDEV_OPEN, 0, BDEV_R_BIT | BDEV_W_BIT,
			  0, 0, 0));
	CHECK(0, req(SYS, ep, BDEV_OPEN, 0, BDEV_R_BIT, 0, 0, 0));
	CHECK(-EROFS, rw(SYS, ep, BDEV_WRITE, 0, 0, b, 512));
	CHECK(0, req(SYS, ep, BDEV_FLUSH, 0, 0, 0, 0, 0));
	memset(b, 0, 16384);
	CHECK(16384, rw(SYS, ep, BDEV_READ, 0, 65536, b, 16384));
	CHECK(-1, check(b, 16384, 31, 65536));
	CHECK(-ENXIO, info(SYS, ep, 1, NULL));
	/* It stops cleanly on SIGTERM. */
	ASSERT_EQ(0, mt_kill(&ro, SIGTERM));
	ASSERT_EQ(0, mt_exit_code(&ro, MT_WAIT_MS));
}

/* Several clients at once, each on its own range: all exact. */
TEST_F_TIMEOUT(disk, concurrent_clients, 120)
{
	static const uint64_t pos[4] = {
		0, 512 * 1024, 4 * GIB + 2 * MIB, 3 * MIB,
	};
	struct client_args a[4];
	struct mt_proc p[4];
	int i, rc;

	for (i = 0; i < 4; i++) {
		a[i] = (struct client_args){
			.drv = EP, .minor = i % NR_IMAGES,
			.pos = pos[i],
			.count = 256 * 1024, .seed = 1000 * (i + 1),
			.rounds = 20, .write = true, .verify = true,
		};
		ASSERT_EQ(0, spawn_client(&self->in, &p[i], CLIENT_SLOT(i),
					  &a[i]));
	}
	for (i = 0; i < 4; i++) {
		rc = mt_exit_code(&p[i], 100000);
		ASSERT_EQ(0, rc) TH_LOG("client %d: exit %d, request %lld",
					i, rc, p[i].sh->value[1]);
	}
	ASSERT_TRUE(alive(&self->drv));
}

/* Clients killed while their request is being served. */
TEST_F_TIMEOUT(disk, client_dies_mid_request, 120)
{
	unsigned char *b = self->buf;
	struct client_args a;
	struct mt_proc p;
	int i;

	for (i = 0; i < 6; i++) {
		a = (struct client_args){
			.drv = EP, .minor = 0, .pos = 0,
			.count = BDEV_MAX_COUNT, .seed = 500, .write = i & 1,
		};
		ASSERT_EQ(0, spawn_client(&self->in, &p, CLIENT_SLOT(i), &a));
		/* After one round, wait until it waits for the driver. */
		while (__atomic_load_n(&p.sh->value[0], __ATOMIC_ACQUIRE) < 1) {
			ASSERT_TRUE(alive(&p)) TH_LOG("client %d exited", i);
			mt_msleep(1);
		}
		ASSERT_EQ(0, mt_wait_state(&self->in, CLIENT_SLOT(i),
					   MOLIPC_PSTATE_REPLYWAIT, EP,
					   MT_WAIT_MS));
		if (i >= 2)
			mt_msleep(i);
		ASSERT_EQ(0, mt_kill(&p, SIGKILL));
		ASSERT_EQ(-SIGKILL, mt_exit_code(&p, MT_WAIT_MS));
		ASSERT_TRUE(alive(&self->drv));
		/* The next client is served, with exact data. */
		fill(b, 8192, 40 + i, 16 * MIB + 8192);
		CHECK(8192, rw(SYS, EP, BDEV_WRITE, 0, 16 * MIB + 8192, b,
			       8192));
		memset(b, 0, 8192);
		CHECK(8192, rw(SYS, EP, BDEV_READ, 0, 16 * MIB + 8192, b,
			       8192));
		CHECK(-1, check(b, 8192, 40 + i, 16 * MIB + 8192));
	}
}

/* WRITE_BATCH: all extents written; a bad batch changes nothing. */
TEST_F(disk, write_batch)
{
	static const uint64_t pos[] = { 0, 8192, SIZE0 - 512 };
	static const uint32_t len[] = { 1024, 4096, 512 };
	unsigned char *b = self->buf, *h = self->buf2;
	struct mol_bdev_extent *e = (struct mol_bdev_extent *)b;
	char logp[PATH_MAX + 32];
	uint64_t count;
	struct stat st;
	int i;

	count = make_batch(b, pos, len, 3, 90);
	CHECK(count, batch_req(SYS, EP, 0, b, 3, count, count, 0, 0));
	for (i = 0; i < 3; i++) {
		CHECK(0, host_read(self->img[0], pos[i], h, len[i]));
		CHECK(-1, check(h, len[i], 90, pos[i]));
	}
	/* Around the extents, the initial pattern. */
	CHECK(0, host_read(self->img[0], 1024, h, 7168));
	CHECK(-1, check(h, 7168, SEED0, 1024));
	/* The log exists while the driver runs, empty between batches. */
	snprintf(logp, sizeof(logp), "%s%s", self->img[0], REDO_SUFFIX);
	ASSERT_EQ(0, stat(logp, &st));
	ASSERT_EQ(0, st.st_size);

	/* Bad batches: refused, the image as it was (seed 91 never lands). */
	count = make_batch(b, pos, len, 3, 91);
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 0, count, count, 0, 0));
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 3, count - 512, count, 0, 0));
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 2, count, count, 0, 0));
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 3, count, count, 1, 0));
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 3, count, count, 0, 1));
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 0x7fffffff, count, count,
				 0, 0));
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 3, BDEV_MAX_COUNT + 512ULL,
				 count, 0, 0));
	CHECK(-ENXIO, batch_req(SYS, EP, 7, b, 3, count, count, 0, 0));
	/* minor 1 is 1 MiB: the last extent is outside it */
	CHECK(-EINVAL, batch_req(SYS, EP, 1, b, 3, count, count, 0, 0));
	e[1].pos = 8193;
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 3, count, count, 0, 0));
	e[1].pos = 8192;
	e[1].flags = 2;
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 3, count, count, 0, 0));
	e[1].flags = 0;
	e[2].pos = UINT64_MAX - 511;
	CHECK(-EINVAL, batch_req(SYS, EP, 0, b, 3, count, count, 0, 0));
	e[2].pos = SIZE0 - 512;
	/* A grant shorter than the batch: the copy fails, nothing written */
	ASSERT_GT(0, batch_req(SYS, EP, 0, b, 3, count, count - 512, 0, 0));
	for (i = 0; i < 3; i++) {
		CHECK(0, host_read(self->img[0], pos[i], h, len[i]));
		CHECK(-1, check(h, len[i], 90, pos[i]));
	}
	ASSERT_TRUE(alive(&self->drv));
}

/* A log left by a killed driver is replayed by the next one at start. */
TEST_F(disk, write_batch_replay)
{
	static const uint64_t pos[] = { 4096, 512 * 1024 };
	static const uint32_t len[] = { 2048, 8192 };
	unsigned char *b = self->buf, *h = self->buf2;
	struct {
		char magic[8];
		uint32_t version, nr_extents;
		uint64_t count;
		uint32_t crc, pad;
	} head;
	char logp[PATH_MAX + 32];
	char *args[] = { self->img[1], NULL };
	struct mt_proc d2;
	uint64_t count;
	int fd, i;

	count = make_batch(b, pos, len, 2, 123);
	memset(&head, 0, sizeof(head));
	memcpy(head.magic, "MOLREDO1", 8);
	head.version = 1;
	head.nr_extents = 2;
	head.count = count;
	head.crc = redo_crc32c(redo_crc32c(0, &head, sizeof(head)), b, count);
	/* The first driver has minor 1 open: stop it, as if killed. */
	ASSERT_EQ(0, mt_kill(&self->drv, SIGKILL));
	mt_exit_code(&self->drv, MT_WAIT_MS);
	snprintf(logp, sizeof(logp), "%s%s", self->img[1], REDO_SUFFIX);
	fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(head), write(fd, &head, sizeof(head)));
	ASSERT_EQ(count, write(fd, b, count));
	close(fd);

	ASSERT_EQ(0, start_driver(&self->in, &d2, DRIVER2_SLOT, args));
	for (i = 0; i < 2; i++) {
		CHECK(0, host_read(self->img[1], pos[i], h, len[i]));
		CHECK(-1, check(h, len[i], 123, pos[i]));
		memset(h, 0, len[i]);
		CHECK(len[i], rw(SYS, d2.endpoint, BDEV_READ, 0, pos[i], h,
				 len[i]));
		CHECK(-1, check(h, len[i], 123, pos[i]));
	}
	ASSERT_EQ(0, mt_kill(&d2, SIGTERM));
	ASSERT_EQ(0, mt_exit_code(&d2, MT_WAIT_MS));
	/* A clean stop removes the empty log. */
	ASSERT_NE(0, access(logp, F_OK));
}

/* Malformed and unexpected messages: -EINVAL or ignored, never a crash. */
TEST_F_TIMEOUT(disk, malformed_messages, 60)
{
	static const int types[] = {
		0, 1, BDEV_BASE - 1, BDEV_BASE + BDEV_NR_CALLS, 0x7fffffff,
		-1, -EINVAL, (int)0x80000000, MOL_NOTIFY_MESSAGE,
	};
	struct mol_message m;
	struct mol_bdev_req *r = MOL_BODY(&m, struct mol_bdev_req);
	unsigned char raw[MOL_PAYLOAD_SIZE];
	uint32_t x = 12345;
	unsigned int i, j;
	int rc;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memset(&m, 0, sizeof(m));
		m.m_type = types[i];
		CHECK(-EINVAL, call(SYS, EP, &m));
		/* An error reply carries no payload back. */
		memset(raw, 0, sizeof(raw));
		ASSERT_EQ(0, memcmp(m.m_u.m_raw, raw, sizeof(raw)));
	}
	/* Reserved fields. */
	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_READ;
	r->flags = 1;
	r->count = 512;
	CHECK(-EINVAL, call(SYS, EP, &m));
	CHECK(-EINVAL, req(SYS, EP, BDEV_READ, 0, BDEV_R_BIT, 0, 0, 512));
	CHECK(-EINVAL, req(SYS, EP, BDEV_FLUSH, 0, 0, 1, 0, 0));
	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_INFO;
	MOL_BODY(&m, struct mol_bdev_info)->flags = 1;
	CHECK(-EINVAL, call(SYS, EP, &m));

	/* A plain send and a notification get no reply; the next works. */
	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_FLUSH;
	CHECK(0, mol_send(SYS, EP, &m));
	CHECK(0, mol_notify(SYS, EP));
	CHECK(0, info(SYS, EP, 0, NULL));

	/* Random payloads: no live grant, so nothing can be written. */
	for (i = 0; i < 3000; i++) {
		memset(&m, 0, sizeof(m));
		x = x * 1103515245 + 12345;
		m.m_type = BDEV_BASE + (x >> 16) % (BDEV_NR_CALLS + 1);
		for (j = 0; j < MOL_PAYLOAD_SIZE; j++) {
			x = x * 1103515245 + 12345;
			m.m_u.m_raw[j] = (x >> 16) & (i & 1 ? 0xff : 0x03);
		}
		rc = call(SYS, EP, &m);
		ASSERT_NE(IPC_FAILED, rc);
		ASSERT_LE(rc, 0) TH_LOG("message %u: type %#x -> %d", i,
					m.m_type, rc);
	}
	ASSERT_TRUE(alive(&self->drv));
	CHECK(8192, rw(SYS, EP, BDEV_READ, 0, 0, self->buf, 8192));
	CHECK(-1, check(self->buf, 8192, SEED0, 0));
}

/* ---------------------------------------------------------------- */
/* The molfs core over moldisk                                       */
/* ---------------------------------------------------------------- */

static int run(const char *cmd)
{
	int st = system(cmd);

	return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

TEST_F_TIMEOUT(disk, mfs_over_moldisk, 120)
{
	static const size_t sizes[] = { 0, 1, 1000, 4096, 70000, 300000 };
	const struct mfs_cred root = { 0, 0 };
	char img[PATH_MAX + 16], cmd[3 * PATH_MAX];
	char *args[] = { img, NULL };
	unsigned char *b = self->buf, *h = self->buf2;
	struct mfs_blockdev *dev;
	struct mfs_statvfs sv;
	struct mfs_stat st;
	struct mt_proc fsd;
	struct mfs *fs;
	unsigned int i, pass;
	uint32_t ino;
	char name[64];
	int ep;

	if (run("command -v mkfs.minix >/dev/null && "
		"command -v fsck.minix >/dev/null"))
		SKIP(return, "mkfs.minix or fsck.minix not installed");
	snprintf(img, sizeof(img), "%s/fs.img", self->dir);
	snprintf(cmd, sizeof(cmd),
		 "truncate -s 16M '%s' && mkfs.minix -3 '%s' >/dev/null", img,
		 img);
	ASSERT_EQ(0, run(cmd));
	ASSERT_EQ(0, start_driver(&self->in, &fsd, DRIVER2_SLOT, args));
	ep = fsd.endpoint;

	for (pass = 0; pass < 2; pass++) {
		CHECK(0, mfs_moldisk_open(SYS, ep, 0, 0, &dev));
		ASSERT_EQ(16 * MIB, dev->size);
		CHECK(0, mfs_mount(dev, NULL, &fs));
		if (pass == 0) {
			CHECK(0, mfs_mkdir(fs, &root, MFS_ROOT_INO, "/d",
					   0755));
			for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]);
			     i++) {
				snprintf(name, sizeof(name), "/d/f%u", i);
				CHECK(0, mfs_open(fs, &root, MFS_ROOT_INO,
						  name, O_CREAT | O_RDWR,
						  0644, &ino));
				fill(b, sizes[i], 300 + i, 0);
				CHECK(sizes[i], mfs_write(fs, &root, ino, b,
							  sizes[i], 0));
				mfs_put(fs, ino);
			}
			CHECK(0, mfs_symlink(fs, &root, "d/f1", MFS_ROOT_INO,
					     "/link"));
			CHECK(0, mfs_sync(fs));
		}
		/* Both passes: read everything back. */
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			snprintf(name, sizeof(name), "/d/f%u", i);
			CHECK(0, mfs_stat(fs, &root, MFS_ROOT_INO, name, 0,
					  &st));
			ASSERT_EQ(sizes[i], st.size);
			CHECK(0, mfs_open(fs, &root, MFS_ROOT_INO, name,
					  O_RDONLY, 0, &ino));
			memset(b, 0, sizes[i] + 1);
			CHECK(sizes[i], mfs_read(fs, ino, b, sizes[i] + 1, 0));
			mfs_put(fs, ino);
			CHECK(-1, check(b, sizes[i], 300 + i, 0));
		}
		CHECK(0, mfs_statvfs(fs, &sv));
		CHECK(0, mfs_unmount(fs));
	}
	/* Stop the driver (it syncs), then util-linux judges the image. */
	ASSERT_EQ(0, mt_kill(&fsd, SIGTERM));
	ASSERT_EQ(0, mt_exit_code(&fsd, MT_WAIT_MS));
	snprintf(cmd, sizeof(cmd), "fsck.minix -f '%s' >'%s/fsck.log' 2>&1",
		 img, self->dir);
	if (run(cmd)) {
		snprintf(cmd, sizeof(cmd), "cat '%s/fsck.log' >&2", self->dir);
		run(cmd);
		ASSERT_TRUE(false) TH_LOG("fsck.minix -f found errors");
	}
	/* The same files through the plain image-file device. */
	CHECK(0, mfs_filedev_open(img, 1, &dev));
	CHECK(0, mfs_mount(dev, &(struct mfs_mount_opts){
				.flags = MFS_RDONLY }, &fs));
	CHECK(0, mfs_open(fs, &root, MFS_ROOT_INO, "/link", O_RDONLY, 0,
			  &ino));
	CHECK(1, mfs_read(fs, ino, h, 16, 0));
	ASSERT_EQ(pat(301, 0), h[0]);
	mfs_put(fs, ino);
	CHECK(0, mfs_unmount(fs));
}

/* ---------------------------------------------------------------- */

MT_HARNESS_MAIN("disk",
		mt_program_path("MOLDISK", "moldisk", moldisk_path,
				sizeof(moldisk_path)))

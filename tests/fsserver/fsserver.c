// SPDX-License-Identifier: GPL-2.0
/*
 * fsserver.c - the FS server (molfs) and its protocol
 * (<linux/molfscalls.h>), on every transport.
 *
 * Written only against libmol, like tests/ipc/grants.c.  Each test makes
 * a fresh `mkfs.minix -3` image, creates an instance (the test process
 * is its system task, and plays PM for the FS_PM_* calls), spawns
 * $MOLFS (default: molfs next to this binary) at MOL_FS with server
 * privileges, and "agents": user processes that send FS_* requests
 * directly, with grants of their buffers, on command through a shared
 * page.  Agents 0..2 are made known to FS with FS_PM_FORK from the test
 * process (a boot process, uid 0); agent 3 is left unknown.  After each
 * workload FS syncs and `fsck.minix -f` must find the image clean.
 *
 * After the kselftest output the binary prints one line
 *	fsserver <transport>: N passed, N failed
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/molfscalls.h>

#include "kselftest_harness.h"
#include "moltest.h"

#define NAGENTS		4
#define SLOT(i)		(MT_SLOT_BASE + (i))
#define BUFSZ		(256 * 1024)
#define IMG_BLOCKS	16384

struct agent {
	int seq, done;
	int quit;
	int rc;			/* mol_sendrec's status */
	struct mol_message m;
	int g_path, g_path2, g_buf, g_ro;	/* grant ids, for MOL_FS */
	char path[MOL_FS_PATH_MAX];
	char path2[MOL_FS_PATH_MAX];
	unsigned char buf[BUFSZ];
};

static int agent_fn(struct mt_proc *self, void *arg)
{
	struct agent *a = arg;

	a->g_path = mol_grant_create(&self->mol, MOL_FS, a->path,
				     sizeof(a->path), MOL_GRANT_READ);
	a->g_path2 = mol_grant_create(&self->mol, MOL_FS, a->path2,
				      sizeof(a->path2), MOL_GRANT_READ);
	a->g_buf = mol_grant_create(&self->mol, MOL_FS, a->buf, sizeof(a->buf),
				    MOL_GRANT_READ | MOL_GRANT_WRITE);
	a->g_ro = mol_grant_create(&self->mol, MOL_FS, a->buf, sizeof(a->buf),
				   MOL_GRANT_READ);
	for (;;) {
		if (mt_wait_go(self) < 0 || a->quit)
			return 0;
		a->rc = mol_sendrec(&self->mol, MOL_FS, &a->m);
		__atomic_store_n(&a->done, a->seq, __ATOMIC_RELEASE);
	}
}

static int molfs_fn(struct mt_proc *self, void *arg)
{
	char **argv = arg;
	char inst[32];

	snprintf(inst, sizeof(inst), "%u", self->inst->id);
	setenv("MOL_INSTANCE", inst, 1);
	execv(argv[0], argv);
	return 126;
}

FIXTURE(fs) {
	struct mt_inst in;
	struct mt_proc p[NAGENTS];
	struct agent *a[NAGENTS];
	struct mt_proc srv;
	struct mt_proc mem;		/* the memory driver molmem */
	char dir[256];
	char img[PATH_MAX];
	char img2[PATH_MAX];
	char molfs[PATH_MAX];
	char molmem[PATH_MAX];
	bool fs_up;
};

static int mkimage(const char *path, int blocks)
{
	char cmd[PATH_MAX + 64];
	int fd;

	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)blocks * 1024) < 0)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "mkfs.minix -3 -i 2048 '%s' %d >/dev/null",
		 path, blocks);
	return system(cmd);
}

static int fsck(const char *path)
{
	char cmd[PATH_MAX + 64];

	snprintf(cmd, sizeof(cmd), "fsck.minix -f '%s' </dev/null >/dev/null",
		 path);
	return system(cmd);
}

/* The test process as PM: FS_PM_* to FS. */
static int pm(FIXTURE_DATA(fs) *self, int call, int ep, int parent,
	      unsigned int uid, unsigned int gid)
{
	struct mol_message m;
	struct mol_fs_pm *b = MOL_BODY(&m, struct mol_fs_pm);
	int rc;

	memset(&m, 0, sizeof(m));
	m.m_type = call;
	b->endpoint = ep;
	b->parent = parent;
	b->uid = uid;
	b->gid = gid;
	rc = mol_sendrec(&self->in.sys, MOL_FS, &m);
	return rc < 0 ? -10000 + rc : m.m_type;
}

FIXTURE_SETUP(fs)
{
	struct molipc_priv up;
	char *argv[4];
	int rc, i;

	snprintf(self->dir, sizeof(self->dir), "%s/fsserver.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->img, sizeof(self->img), "%s/root.img", self->dir);
	snprintf(self->img2, sizeof(self->img2), "%s/second.img", self->dir);
	ASSERT_EQ(0, mkimage(self->img, IMG_BLOCKS));
	ASSERT_NE(NULL, mt_program_path("MOLFS", "molfs", self->molfs,
					 sizeof(self->molfs)));
	ASSERT_EQ(0, access(self->molfs, X_OK))
		TH_LOG("%s: not found (set MOLFS)", self->molfs);

	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("instance over %s: %s", mt_transport(),
				mol_strerror(rc));
	/* the memory driver first: FS forwards /dev/null and friends */
	ASSERT_NE(NULL, mt_program_path("MOLMEM", "molmem", self->molmem,
					 sizeof(self->molmem)));
	argv[0] = self->molmem;
	argv[1] = NULL;
	rc = mt_spawn(&self->mem, &self->in, MOL_MEM, NULL, MT_NO_OPEN,
		      molfs_fn, argv);
	ASSERT_EQ(0, rc);
	ASSERT_EQ(0, mt_wait_state(&self->in, MOL_MEM, MOLIPC_PSTATE_RECEIVING,
				   MT_ANY_PEER, MT_WAIT_MS))
		TH_LOG("%s did not start", self->molmem);
	argv[0] = self->molfs;
	argv[1] = self->img;
	argv[2] = NULL;
	rc = mt_spawn(&self->srv, &self->in, MOL_FS, NULL, MT_NO_OPEN,
		      molfs_fn, argv);
	ASSERT_EQ(0, rc);
	ASSERT_EQ(0, mt_wait_state(&self->in, MOL_FS, MOLIPC_PSTATE_RECEIVING,
				   MT_ANY_PEER, MT_WAIT_MS))
		TH_LOG("molfs did not start");
	self->fs_up = true;

	mt_priv_user(&up);
	for (i = 0; i < NAGENTS; i++) {
		self->a[i] = mt_shared_alloc(sizeof(struct agent));
		ASSERT_NE(NULL, self->a[i]);
		rc = mt_spawn(&self->p[i], &self->in, SLOT(i), &up, 0,
			      agent_fn, self->a[i]);
		ASSERT_EQ(0, rc) TH_LOG("agent %d: %s", i, mol_strerror(rc));
		if (i < 3)
			ASSERT_EQ(0, pm(self, FS_PM_FORK, self->p[i].endpoint,
					MOL_SYSTEM, 0, 0));
	}
}

FIXTURE_TEARDOWN(fs)
{
	char cmd[PATH_MAX + 16];
	int i;

	mt_kill_all();
	mt_inst_destroy(&self->in);
	for (i = 0; i < NAGENTS; i++)
		if (self->a[i])
			mt_shared_free(self->a[i], sizeof(struct agent));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", self->dir);
}

/* ---------------------------------------------------------------- */
/* Requests through agents                                           */
/* ---------------------------------------------------------------- */

#define A(i)	(self->a[i])
#define EP(i)	(self->p[i].endpoint)

static struct mt_proc *agent_proc;	/* set by the helpers below */

static int start(FIXTURE_DATA(fs) *self, int i, int type, const void *body,
		 size_t len)
{
	struct agent *a = A(i);

	memset(&a->m, 0, sizeof(a->m));
	a->m.m_type = type;
	memcpy(a->m.m_u.m_raw, body, len);
	a->seq++;
	agent_proc = &self->p[i];
	return mt_go(&self->p[i]);
}

static bool finished(FIXTURE_DATA(fs) *self, int i)
{
	return __atomic_load_n(&A(i)->done, __ATOMIC_ACQUIRE) == A(i)->seq;
}

/* The reply's m_type, or -10000 + the IPC status, or -20000 (timeout). */
static int finish(FIXTURE_DATA(fs) *self, int i)
{
	uint64_t end = mt_now_ns() + (uint64_t)MT_WAIT_MS * 1000000ULL;

	while (!finished(self, i)) {
		if (mt_now_ns() > end)
			return -20000;
		if (mt_wait(&self->p[i], 0) != -ETIMEDOUT)
			return -20001;
		mt_msleep(1);
	}
	if (A(i)->rc < 0)
		return -10000 + A(i)->rc;
	return A(i)->m.m_type;
}

static int call(FIXTURE_DATA(fs) *self, int i, int type, const void *body,
		size_t len)
{
	int rc = start(self, i, type, body, len);

	return rc < 0 ? -20002 : finish(self, i);
}

static uint32_t setpath(struct agent *a, const char *p)
{
	strcpy(a->path, p);
	return strlen(p);
}

static uint32_t setpath2(struct agent *a, const char *p)
{
	strcpy(a->path2, p);
	return strlen(p);
}

#define F	FIXTURE_DATA(fs) *self

static int x_open(F, int i, const char *path, unsigned int flags,
		  unsigned int mode)
{
	struct mol_fs_open b = { MOL_AT_FDCWD, A(i)->g_path, 0, flags, mode };

	b.path_len = setpath(A(i), path);
	return call(self, i, FS_OPEN, &b, sizeof(b));
}

static int x_fd(F, int i, int type, int fd, int fd2, int cmd, int arg)
{
	struct mol_fs_fd b = { fd, fd2, cmd, arg };

	return call(self, i, type, &b, sizeof(b));
}

#define x_close(s, i, fd)	x_fd(s, i, FS_CLOSE, fd, 0, 0, 0)

static int x_io(F, int i, int type, int fd, size_t len, int64_t off)
{
	struct mol_fs_io b = { fd, A(i)->g_buf, len, off };

	return call(self, i, type, &b, sizeof(b));
}

static int read_start(F, int i, int fd, size_t len)
{
	struct mol_fs_io b = { fd, A(i)->g_buf, len, 0 };

	return start(self, i, FS_READ, &b, sizeof(b));
}

static int x_write(F, int i, int fd, const void *data, size_t len)
{
	memcpy(A(i)->buf, data, len);
	return x_io(self, i, FS_WRITE, fd, len, 0);
}

#define x_read(s, i, fd, len)	x_io(s, i, FS_READ, fd, len, 0)

static int64_t x_lseek(F, int i, int fd, int64_t off, int whence)
{
	struct mol_fs_lseek b = { fd, whence, off };
	int rc = call(self, i, FS_LSEEK, &b, sizeof(b));

	if (rc < 0)
		return rc;
	return MOL_BODY(&A(i)->m, struct mol_fs_lseek)->offset;
}

static int x_path(F, int i, int type, int dirfd, const char *path,
		  unsigned int flags, unsigned int mode, unsigned int dev)
{
	struct mol_fs_path b = { dirfd, A(i)->g_path, 0, flags, mode, dev,
				 A(i)->g_buf, BUFSZ };

	b.path_len = setpath(A(i), path);
	return call(self, i, type, &b, sizeof(b));
}

#define x_mkdir(s, i, p, mode) \
	x_path(s, i, FS_MKDIR, MOL_AT_FDCWD, p, 0, mode, 0)
#define x_unlink(s, i, p) \
	x_path(s, i, FS_UNLINK, MOL_AT_FDCWD, p, 0, 0, 0)
#define x_rmdir(s, i, p) \
	x_path(s, i, FS_UNLINK, MOL_AT_FDCWD, p, MOL_AT_REMOVEDIR, 0, 0)
#define x_chdir(s, i, p)	x_path(s, i, FS_CHDIR, MOL_AT_FDCWD, p, 0, 0, 0)
#define x_access(s, i, p, m) \
	x_path(s, i, FS_ACCESS, MOL_AT_FDCWD, p, 0, m, 0)
#define x_chmod(s, i, p, m)	x_path(s, i, FS_CHMOD, MOL_AT_FDCWD, p, 0, m, 0)

static int x_stat(F, int i, const char *path, unsigned int flags,
		  struct mol_stat *st)
{
	int rc = x_path(self, i, FS_STAT, MOL_AT_FDCWD, path, flags, 0, 0);

	if (rc == 0)
		memcpy(st, A(i)->buf, sizeof(*st));
	return rc;
}

static int x_buf(F, int i, int type, int fd, uint32_t len)
{
	struct mol_fs_buf b = { fd, A(i)->g_buf, len, 0 };

	return call(self, i, type, &b, sizeof(b));
}

static int x_fstat(F, int i, int fd, struct mol_stat *st)
{
	int rc = x_buf(self, i, FS_FSTAT, fd, sizeof(*st));

	if (rc == 0)
		memcpy(st, A(i)->buf, sizeof(*st));
	return rc;
}

static int x_path2(F, int i, int type, const char *o, const char *n,
		   unsigned int flags)
{
	struct mol_fs_path2 b = { MOL_AT_FDCWD, A(i)->g_path, 0, MOL_AT_FDCWD,
				  A(i)->g_path2, 0, flags };

	b.old_len = setpath(A(i), o);
	b.new_len = setpath2(A(i), n);
	return call(self, i, type, &b, sizeof(b));
}

static int x_getcwd(F, int i, char *out, uint32_t size)
{
	int rc = x_buf(self, i, FS_GETCWD, 0, size);

	if (rc > 0)
		memcpy(out, A(i)->buf, rc);
	return rc;
}

static int x_pipe(F, int i, unsigned int flags, int fds[2])
{
	struct mol_fs_pipe b = { flags, { -1, -1 } };
	int rc = call(self, i, FS_PIPE, &b, sizeof(b));

	if (rc == 0) {
		fds[0] = MOL_BODY(&A(i)->m, struct mol_fs_pipe)->fds[0];
		fds[1] = MOL_BODY(&A(i)->m, struct mol_fs_pipe)->fds[1];
	}
	return rc;
}

static int x_sync(F, int i)
{
	return call(self, i, FS_SYNC, NULL, 0);
}

static int x_mount(F, int i, const char *src, const char *dst,
		   unsigned int flags)
{
	struct mol_fs_mount b = { A(i)->g_path, 0, A(i)->g_path2, 0, flags };

	b.source_len = setpath(A(i), src);
	b.target_len = setpath2(A(i), dst);
	return call(self, i, FS_MOUNT, &b, sizeof(b));
}

/* Sync through FS, then fsck the image: 0 if clean. */
#define FSCK_CLEAN(img) do { \
	ASSERT_EQ(0, x_sync(self, 0)); \
	ASSERT_EQ(0, fsck(img)) TH_LOG("fsck.minix -f %s", img); \
} while (0)

static void fill(unsigned char *b, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (unsigned char)((i * 131 + seed * 7 + (i >> 9)) & 0xff);
}

/* ---------------------------------------------------------------- */
/* Tests                                                             */
/* ---------------------------------------------------------------- */

TEST_F(fs, open_write_read_close)
{
	static unsigned char data[100000], back[100000];
	struct mol_stat st;
	int fd;

	fill(data, sizeof(data), 1);
	fd = x_open(self, 0, "/f", MOL_O_CREAT | MOL_O_RDWR, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(data), x_write(self, 0, fd, data, sizeof(data)));
	ASSERT_EQ(0, x_lseek(self, 0, fd, 0, MOL_SEEK_SET));
	ASSERT_EQ(sizeof(data), x_read(self, 0, fd, sizeof(data)));
	memcpy(back, A(0)->buf, sizeof(back));
	ASSERT_EQ(0, memcmp(data, back, sizeof(data)));
	ASSERT_EQ(0, x_read(self, 0, fd, 100));		/* EOF */
	ASSERT_EQ(0, x_fstat(self, 0, fd, &st));
	ASSERT_EQ(sizeof(data), st.st_size);
	ASSERT_TRUE(S_ISREG(st.st_mode));
	ASSERT_EQ(0644, st.st_mode & 07777);
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(-EBADF, x_close(self, 0, fd));
	ASSERT_EQ(-EBADF, x_read(self, 0, fd, 10));
	/* the lowest free descriptor */
	ASSERT_EQ(fd, x_open(self, 0, "/f", MOL_O_RDONLY, 0));
	ASSERT_EQ(fd + 1, x_open(self, 0, "/f", MOL_O_RDONLY, 0));
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(0, x_close(self, 0, fd + 1));
	FSCK_CLEAN(self->img);
}

TEST_F(fs, unknown_caller_and_pm_calls)
{
	struct mol_message m;
	int fd;

	/* agent 3 was never forked to FS */
	ASSERT_EQ(-EPERM, x_open(self, 3, "/", MOL_O_RDONLY, 0));
	/* PM calls from a user process */
	memset(&m, 0, sizeof(m));
	MOL_BODY(&m, struct mol_fs_pm)->endpoint = EP(3);
	MOL_BODY(&m, struct mol_fs_pm)->parent = EP(0);
	ASSERT_EQ(-EPERM, call(self, 0, FS_PM_FORK, m.m_u.m_raw, 16));
	ASSERT_EQ(-EEXIST, pm(self, FS_PM_FORK, EP(0), EP(1), 0, 0));
	ASSERT_EQ(-ESRCH, pm(self, FS_PM_EXIT, EP(3), 0, 0, 0));
	ASSERT_EQ(-EINVAL, pm(self, FS_PM_FORK, EP(3), EP(3), 0, 0));
	ASSERT_EQ(0, pm(self, FS_PM_FORK, EP(3), EP(0), 0, 0));
	fd = x_open(self, 3, "/", MOL_O_RDONLY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pm(self, FS_PM_EXIT, EP(3), 0, 0, 0));
	ASSERT_EQ(-EPERM, x_close(self, 3, fd));
	ASSERT_EQ(-ENOSYS, call(self, 0, FS_BASE + 99, NULL, 0));
	ASSERT_EQ(-ENOSYS, call(self, 0, 0x7fffffff, NULL, 0));
}

TEST_F(fs, open_flags)
{
	struct mol_stat st;
	int fd, fd2;

	fd = x_open(self, 0, "/f", MOL_O_CREAT | MOL_O_EXCL | MOL_O_WRONLY,
		    0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(5, x_write(self, 0, fd, "hello", 5));
	ASSERT_EQ(-EBADF, x_read(self, 0, fd, 5));
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(-EEXIST, x_open(self, 0, "/f", MOL_O_CREAT | MOL_O_EXCL |
				  MOL_O_RDWR, 0600));
	/* O_APPEND writes at the end whatever the offset */
	fd = x_open(self, 0, "/f", MOL_O_WRONLY | MOL_O_APPEND, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_lseek(self, 0, fd, 0, MOL_SEEK_SET));
	ASSERT_EQ(6, x_write(self, 0, fd, " world", 6));
	ASSERT_EQ(11, x_lseek(self, 0, fd, 0, MOL_SEEK_CUR));
	ASSERT_EQ(0, x_close(self, 0, fd));
	fd = x_open(self, 0, "/f", MOL_O_RDONLY, 0);
	ASSERT_EQ(11, x_read(self, 0, fd, 100));
	ASSERT_EQ(0, memcmp(A(0)->buf, "hello world", 11));
	ASSERT_EQ(-EBADF, x_write(self, 0, fd, "x", 1));
	ASSERT_EQ(0, x_close(self, 0, fd));
	/* O_TRUNC */
	fd = x_open(self, 0, "/f", MOL_O_WRONLY | MOL_O_TRUNC, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_stat(self, 0, "/f", 0, &st));
	ASSERT_EQ(0, st.st_size);
	ASSERT_EQ(0, x_close(self, 0, fd));
	/* O_DIRECTORY, directories */
	ASSERT_EQ(-ENOTDIR, x_open(self, 0, "/f", MOL_O_RDONLY |
				   MOL_O_DIRECTORY, 0));
	ASSERT_EQ(-EISDIR, x_open(self, 0, "/", MOL_O_WRONLY, 0));
	ASSERT_EQ(-EISDIR, x_open(self, 0, "/dev/", MOL_O_CREAT |
				  MOL_O_RDWR, 0600));
	fd = x_open(self, 0, "/", MOL_O_RDONLY | MOL_O_DIRECTORY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-EISDIR, x_read(self, 0, fd, 10));
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(-ENOENT, x_open(self, 0, "/nope", MOL_O_RDONLY, 0));
	ASSERT_EQ(-ENOENT, x_open(self, 0, "/nope/x", MOL_O_CREAT |
				  MOL_O_RDWR, 0600));
	ASSERT_EQ(-ENOTDIR, x_open(self, 0, "/f/x", MOL_O_RDONLY, 0));
	/* O_NOFOLLOW on a link */
	ASSERT_EQ(0, x_path2(self, 0, FS_SYMLINK, "f", "/l", 0));
	ASSERT_EQ(-ELOOP, x_open(self, 0, "/l", MOL_O_RDONLY |
				 MOL_O_NOFOLLOW, 0));
	fd = x_open(self, 0, "/l", MOL_O_RDONLY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_close(self, 0, fd));
	/* O_CREAT through a dangling link creates the target */
	ASSERT_EQ(0, x_path2(self, 0, FS_SYMLINK, "/made", "/dl", 0));
	fd = x_open(self, 0, "/dl", MOL_O_CREAT | MOL_O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(0, x_stat(self, 0, "/made", 0, &st));
	ASSERT_EQ(-EEXIST, x_open(self, 0, "/dl", MOL_O_CREAT | MOL_O_EXCL |
				  MOL_O_WRONLY, 0600));
	/* bad flags */
	ASSERT_EQ(-EINVAL, x_open(self, 0, "/f", 0x80000000, 0));
	ASSERT_EQ(-EINVAL, x_open(self, 0, "/f", MOL_O_ACCMODE, 0));
	/* O_CLOEXEC: closed by FS_PM_EXEC */
	fd = x_open(self, 0, "/f", MOL_O_RDONLY | MOL_O_CLOEXEC, 0);
	fd2 = x_open(self, 0, "/f", MOL_O_RDONLY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(MOL_FD_CLOEXEC, x_fd(self, 0, FS_FCNTL, fd, 0,
				       MOL_F_GETFD, 0));
	ASSERT_EQ(0, pm(self, FS_PM_EXEC, EP(0), 0, 0, 0));
	ASSERT_EQ(-EBADF, x_close(self, 0, fd));
	ASSERT_EQ(0, x_close(self, 0, fd2));
	/* umask applies to creation */
	ASSERT_EQ(022, call(self, 0, FS_UMASK, &(struct mol_fs_umask){ 077 },
			    sizeof(struct mol_fs_umask)));
	fd = x_open(self, 0, "/u", MOL_O_CREAT | MOL_O_WRONLY, 0666);
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(0, x_stat(self, 0, "/u", 0, &st));
	ASSERT_EQ(0600, st.st_mode & 0777);
	FSCK_CLEAN(self->img);
}

/* O_PATH: names a file; only search permission; no I/O (Linux's errnos) */
TEST_F(fs, o_path)
{
	struct mol_stat st;
	int fd, d, l, n;

	ASSERT_EQ(0, x_mkdir(self, 0, "/op", 0755));
	fd = x_open(self, 0, "/op/none", MOL_O_CREAT | MOL_O_WRONLY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, x_write(self, 0, fd, "abc", 3));
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(0, x_path2(self, 0, FS_SYMLINK, "none", "/op/l", 0));
	ASSERT_EQ(0, x_mkdir(self, 0, "/priv", 0700));
	ASSERT_EQ(0, pm(self, FS_PM_SETIDS, EP(1), 0, 1000, 1000));

	/* a mode 000 file: no read permission needed; O_CREAT ignored */
	fd = x_open(self, 1, "/op/none", MOL_O_PATH | MOL_O_RDWR |
		    MOL_O_TRUNC | MOL_O_CREAT, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-EACCES, x_open(self, 1, "/op/none", MOL_O_RDONLY, 0));
	ASSERT_EQ(-ENOENT, x_open(self, 1, "/op/new", MOL_O_PATH |
				  MOL_O_CREAT, 0644));
	ASSERT_EQ(-EACCES, x_open(self, 1, "/priv/x", MOL_O_PATH, 0));
	ASSERT_EQ(-ENOTDIR, x_open(self, 1, "/op/none", MOL_O_PATH |
				   MOL_O_DIRECTORY, 0));
	ASSERT_EQ(-ENOTDIR, x_open(self, 1, "/op/none/", MOL_O_PATH, 0));
	ASSERT_EQ(MOL_O_PATH, x_fd(self, 1, FS_FCNTL, fd, 0, MOL_F_GETFL, 0));
	ASSERT_EQ(0, x_fstat(self, 1, fd, &st));
	ASSERT_EQ(3, st.st_size);
	/* the file is untouched: O_TRUNC was ignored */
	ASSERT_EQ(0, x_stat(self, 0, "/op/none", 0, &st));
	ASSERT_EQ(3, st.st_size);
	/* what an O_PATH descriptor may not do: EBADF */
	ASSERT_EQ(-EBADF, x_read(self, 1, fd, 1));
	ASSERT_EQ(-EBADF, x_write(self, 1, fd, "x", 1));
	ASSERT_EQ(-EBADF, x_io(self, 1, FS_PREAD, fd, 1, 0));
	ASSERT_EQ(-EBADF, x_lseek(self, 1, fd, 0, MOL_SEEK_SET));
	ASSERT_EQ(-EBADF, x_fd(self, 1, FS_FCHMOD, fd, 0, 0, 0644));
	ASSERT_EQ(-EBADF, x_fd(self, 1, FS_FSYNC, fd, 0, 0, 0));
	ASSERT_EQ(-EBADF, x_fd(self, 1, FS_FCNTL, fd, 0, MOL_F_SETFL,
			       MOL_O_NONBLOCK));
	ASSERT_EQ(-EBADF, call(self, 1, FS_FTRUNCATE, &(struct mol_fs_trunc){
		.dirfd = fd, .length = 0 }, sizeof(struct mol_fs_trunc)));
	/* what it may: dup, F_GETFD/F_SETFD, fstatvfs, close */
	ASSERT_EQ(0, x_fd(self, 1, FS_FCNTL, fd, 0, MOL_F_SETFD,
			  MOL_FD_CLOEXEC));
	ASSERT_EQ(MOL_FD_CLOEXEC, x_fd(self, 1, FS_FCNTL, fd, 0, MOL_F_GETFD,
				       0));
	n = x_fd(self, 1, FS_DUP, fd, 0, 0, 0);
	ASSERT_LE(0, n);
	ASSERT_EQ(MOL_O_PATH, x_fd(self, 1, FS_FCNTL, n, 0, MOL_F_GETFL, 0));
	ASSERT_EQ(0, x_buf(self, 1, FS_FSTATVFS, fd,
			   sizeof(struct mol_statvfs)));
	ASSERT_EQ(0, x_close(self, 1, n));
	ASSERT_EQ(0, x_close(self, 1, fd));

	/* a directory: *at dirfd, getdents EBADF, fchdir */
	d = x_open(self, 1, "/op", MOL_O_PATH | MOL_O_DIRECTORY, 0);
	ASSERT_LE(0, d);
	ASSERT_EQ(MOL_O_PATH | MOL_O_DIRECTORY,
		  x_fd(self, 1, FS_FCNTL, d, 0, MOL_F_GETFL, 0));
	ASSERT_EQ(-EBADF, x_buf(self, 1, FS_GETDENTS, d, BUFSZ));
	ASSERT_EQ(0, x_path(self, 1, FS_STAT, d, "none", 0, 0, 0));
	ASSERT_EQ(0, x_path(self, 1, FS_STAT, d, "", MOL_AT_EMPTY_PATH, 0,
			    0));
	memcpy(&st, A(1)->buf, sizeof(st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0, x_fd(self, 1, FS_FCHDIR, d, 0, 0, 0));
	ASSERT_EQ(0, x_stat(self, 1, "none", 0, &st));
	ASSERT_EQ(0, x_close(self, 1, d));

	/* O_NOFOLLOW: the link itself */
	l = x_open(self, 1, "/op/l", MOL_O_PATH | MOL_O_NOFOLLOW, 0);
	ASSERT_LE(0, l);
	ASSERT_EQ(MOL_O_PATH | MOL_O_NOFOLLOW,
		  x_fd(self, 1, FS_FCNTL, l, 0, MOL_F_GETFL, 0));
	ASSERT_EQ(0, x_fstat(self, 1, l, &st));
	ASSERT_TRUE(S_ISLNK(st.st_mode));
	ASSERT_EQ(-ENOTDIR, x_fd(self, 1, FS_FCHDIR, l, 0, 0, 0));
	ASSERT_EQ(0, x_close(self, 1, l));
	ASSERT_EQ(-ENOTDIR, x_open(self, 1, "/op/l", MOL_O_PATH |
				   MOL_O_NOFOLLOW | MOL_O_DIRECTORY, 0));
	l = x_open(self, 1, "/op/l", MOL_O_PATH, 0);
	ASSERT_LE(0, l);
	ASSERT_EQ(0, x_fstat(self, 1, l, &st));
	ASSERT_TRUE(S_ISREG(st.st_mode));
	ASSERT_EQ(0, x_close(self, 1, l));
	/* a device is not opened */
	fd = x_open(self, 1, "/dev/null", MOL_O_PATH, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-EBADF, x_write(self, 1, fd, "x", 1));
	ASSERT_EQ(0, x_close(self, 1, fd));
	FSCK_CLEAN(self->img);
}

TEST_F(fs, lseek_pread_pwrite)
{
	struct mol_stat st;
	int fd;

	fd = x_open(self, 0, "/f", MOL_O_CREAT | MOL_O_RDWR, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, x_write(self, 0, fd, "abcd", 4));
	memcpy(A(0)->buf, "XY", 2);
	ASSERT_EQ(2, x_io(self, 0, FS_PWRITE, fd, 2, 300000));
	ASSERT_EQ(4, x_lseek(self, 0, fd, 0, MOL_SEEK_CUR));
	ASSERT_EQ(300002, x_lseek(self, 0, fd, 0, MOL_SEEK_END));
	ASSERT_EQ(0, x_fstat(self, 0, fd, &st));
	ASSERT_EQ(300002, st.st_size);
	ASSERT_GT(300002 / 512, st.st_blocks);		/* a hole */
	ASSERT_EQ(3, x_io(self, 0, FS_PREAD, fd, 3, 299999));
	ASSERT_EQ(0, memcmp(A(0)->buf, "\0XY", 3));
	ASSERT_EQ(2, x_io(self, 0, FS_PREAD, fd, 2, 1));
	ASSERT_EQ(0, memcmp(A(0)->buf, "bc", 2));
	ASSERT_EQ(-EINVAL, x_io(self, 0, FS_PREAD, fd, 2, -1));
	ASSERT_EQ(-EINVAL, x_lseek(self, 0, fd, -1, MOL_SEEK_SET));
	ASSERT_EQ(-EINVAL, x_lseek(self, 0, fd, 0, 7));
	ASSERT_EQ(10, x_lseek(self, 0, fd, 10, MOL_SEEK_SET));
	ASSERT_EQ(5, x_lseek(self, 0, fd, -5, MOL_SEEK_CUR));
	ASSERT_EQ(-EBADF, x_lseek(self, 0, 200, 0, MOL_SEEK_SET));
	ASSERT_EQ(-EBADF, x_lseek(self, 0, -1, 0, MOL_SEEK_SET));
	ASSERT_EQ(-EBADF, x_lseek(self, 0, 100000, 0, MOL_SEEK_SET));
	/* ftruncate */
	ASSERT_EQ(0, call(self, 0, FS_FTRUNCATE,
			  &(struct mol_fs_trunc){ fd, 0, 0, 0, 2 },
			  sizeof(struct mol_fs_trunc)));
	ASSERT_EQ(2, x_lseek(self, 0, fd, 0, MOL_SEEK_END));
	ASSERT_EQ(0, x_close(self, 0, fd));
	FSCK_CLEAN(self->img);
}

TEST_F(fs, stat_fields)
{
	struct mol_stat st, st2;
	int fd;

	ASSERT_EQ(0, x_mkdir(self, 0, "/d", 0750));
	ASSERT_EQ(0, x_mkdir(self, 0, "/d/e", 0755));
	ASSERT_EQ(0, x_stat(self, 0, "/d", 0, &st));
	ASSERT_TRUE(S_ISDIR(st.st_mode));
	ASSERT_EQ(0750, st.st_mode & 07777);
	ASSERT_EQ(3, st.st_nlink);
	ASSERT_EQ(0, st.st_uid);
	ASSERT_EQ(0, st.st_gid);
	ASSERT_EQ(1024, st.st_blksize);
	ASSERT_LT(time(NULL) - 60, st.st_mtime_sec);
	ASSERT_GE(time(NULL) + 1, st.st_mtime_sec);
	fd = x_open(self, 0, "/d/f", MOL_O_CREAT | MOL_O_WRONLY, 0640);
	ASSERT_EQ(3000, x_write(self, 0, fd, A(0)->path, 3000));
	ASSERT_EQ(0, x_fstat(self, 0, fd, &st));
	ASSERT_EQ(0, x_stat(self, 0, "/d/f", 0, &st2));
	ASSERT_EQ(0, memcmp(&st, &st2, sizeof(st)));
	ASSERT_EQ(3000, st.st_size);
	ASSERT_EQ(6, st.st_blocks);
	ASSERT_EQ(1, st.st_nlink);
	ASSERT_EQ(0, x_close(self, 0, fd));
	/* lstat vs stat */
	ASSERT_EQ(0, x_path2(self, 0, FS_SYMLINK, "/d/f", "/s", 0));
	ASSERT_EQ(0, x_stat(self, 0, "/s", MOL_AT_SYMLINK_NOFOLLOW, &st));
	ASSERT_TRUE(S_ISLNK(st.st_mode));
	ASSERT_EQ(4, st.st_size);
	ASSERT_EQ(0, x_stat(self, 0, "/s", 0, &st));
	ASSERT_EQ(st2.st_ino, st.st_ino);
	ASSERT_EQ(-EINVAL, x_stat(self, 0, "/s", 0x4000000, &st));
	ASSERT_EQ(-ENOENT, x_stat(self, 0, "", 0, &st));
	FSCK_CLEAN(self->img);
}

/* Parse linux_dirent64 records into a list of "name:ino" */
static int parse_dents(const unsigned char *b, int len, char names[][64],
		       int max, uint64_t *inos)
{
	int off = 0, n = 0;

	while (off < len && n < max) {
		const struct mol_dirent64 *d = (const void *)(b + off);

		if (d->d_reclen < 20 || d->d_reclen % 8 ||
		    off + d->d_reclen > len)
			return -1;
		snprintf(names[n], 64, "%.63s", d->d_name);
		if (inos)
			inos[n] = d->d_ino;
		n++;
		off += d->d_reclen;
	}
	return n;
}

TEST_F(fs, getdents_listing)
{
	static char names[400][64];
	static uint64_t inos[400];
	char seen[150] = { 0 };
	char path[128];
	int fd, i, n, total = 0, rc, k, dots = 0;
	struct mol_stat st;

	ASSERT_EQ(0, x_mkdir(self, 0, "/big", 0755));
	for (i = 0; i < 150; i++) {
		snprintf(path, sizeof(path), "/big/file-%03d-%s", i,
			 i % 2 ? "long-name-to-fill-the-entry" : "s");
		fd = x_open(self, 0, path, MOL_O_CREAT | MOL_O_WRONLY, 0644);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, x_close(self, 0, fd));
	}
	fd = x_open(self, 0, "/big", MOL_O_RDONLY | MOL_O_DIRECTORY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(-EINVAL, x_buf(self, 0, FS_GETDENTS, fd, 10));
	for (;;) {
		rc = x_buf(self, 0, FS_GETDENTS, fd, 300);
		ASSERT_LE(0, rc);
		if (rc == 0)
			break;
		n = parse_dents(A(0)->buf, rc, names + total, 400 - total,
				inos + total);
		ASSERT_LT(0, n);
		total += n;
	}
	ASSERT_EQ(152, total);
	for (i = 0; i < total; i++) {
		if (!strcmp(names[i], ".") || !strcmp(names[i], "..")) {
			dots++;
			continue;
		}
		ASSERT_EQ(1, sscanf(names[i], "file-%d-", &k));
		ASSERT_EQ(0, seen[k]);
		seen[k] = 1;
		snprintf(path, sizeof(path), "/big/%.63s", names[i]);
		ASSERT_EQ(0, x_stat(self, 0, path, 0, &st));
		ASSERT_EQ(st.st_ino, inos[i]);
	}
	ASSERT_EQ(2, dots);
	/* rewind */
	ASSERT_EQ(0, x_lseek(self, 0, fd, 0, MOL_SEEK_SET));
	ASSERT_LT(0, x_buf(self, 0, FS_GETDENTS, fd, 65536));
	ASSERT_EQ(0, x_close(self, 0, fd));
	fd = x_open(self, 0, "/big/file-000-s", MOL_O_RDONLY, 0);
	ASSERT_EQ(-ENOTDIR, x_buf(self, 0, FS_GETDENTS, fd, 4096));
	ASSERT_EQ(0, x_close(self, 0, fd));
	FSCK_CLEAN(self->img);
}

/*
 * The same script on a host directory and through molfs: every call's
 * result (0 or -errno) must match.
 */
enum { S_MKDIR, S_RMDIR, S_UNLINK, S_RENAME, S_LINK, S_SYMLINK, S_CREAT,
       S_READLINK, S_CHMOD, S_ACCESS, S_OPENDIR };

struct step {
	int op;
	const char *a, *b;
	int arg;
};

static const struct step script[] = {
	{ S_MKDIR, "d", NULL, 0755 },
	{ S_MKDIR, "d", NULL, 0755 },		/* EEXIST */
	{ S_MKDIR, "d/", NULL, 0755 },
	{ S_MKDIR, "nope/x", NULL, 0755 },	/* ENOENT */
	{ S_CREAT, "d/f", NULL, 0644 },
	{ S_MKDIR, "d/f/x", NULL, 0755 },	/* ENOTDIR */
	{ S_RMDIR, "d", NULL, 0 },		/* ENOTEMPTY */
	{ S_RMDIR, "d/f", NULL, 0 },		/* ENOTDIR */
	{ S_UNLINK, "d", NULL, 0 },		/* EISDIR */
	{ S_RMDIR, "d/.", NULL, 0 },		/* EINVAL */
	{ S_RMDIR, "d/..", NULL, 0 },		/* ENOTEMPTY */
	{ S_UNLINK, "nope", NULL, 0 },
	{ S_UNLINK, "d/f/", NULL, 0 },		/* ENOTDIR */
	{ S_LINK, "d/f", "d/g", 0 },
	{ S_LINK, "d/f", "d/g", 0 },		/* EEXIST */
	{ S_LINK, "d", "d2", 0 },		/* EPERM */
	{ S_LINK, "nope", "x", 0 },
	{ S_RENAME, "d/g", "d/h", 0 },
	{ S_RENAME, "d/h", "d/f", 0 },		/* same inode: nothing */
	{ S_RENAME, "d", "d/sub", 0 },		/* EINVAL */
	{ S_MKDIR, "e", NULL, 0755 },
	{ S_RENAME, "e", "d", 0 },		/* ENOTEMPTY */
	{ S_RENAME, "d/f", "e", 0 },		/* EISDIR */
	{ S_RENAME, "e", "d/f", 0 },		/* ENOTDIR */
	{ S_MKDIR, "e/x", NULL, 0755 },
	{ S_RENAME, "e/x", "d/y", 0 },
	{ S_RENAME, "nope", "z", 0 },
	{ S_SYMLINK, "d/f", "ln", 0 },
	{ S_SYMLINK, "whatever", "ln", 0 },	/* EEXIST */
	{ S_READLINK, "ln", NULL, 0 },
	{ S_READLINK, "d/f", NULL, 0 },		/* EINVAL */
	{ S_READLINK, "nope", NULL, 0 },
	{ S_SYMLINK, "loop2", "loop1", 0 },
	{ S_SYMLINK, "loop1", "loop2", 0 },
	{ S_ACCESS, "loop1", NULL, 0 },		/* ELOOP */
	{ S_ACCESS, "ln", NULL, 4 },
	{ S_ACCESS, "ln/", NULL, 0 },		/* ENOTDIR */
	{ S_CREAT, "ln/x", NULL, 0644 },	/* ENOTDIR */
	{ S_MKDIR, "ln", NULL, 0755 },		/* EEXIST */
	{ S_UNLINK, "ln", NULL, 0 },
	{ S_ACCESS, "ln", NULL, 0 },		/* ENOENT */
	{ S_CHMOD, "d/f", NULL, 0600 },
	{ S_OPENDIR, "d", NULL, 0 },
	{ S_OPENDIR, "d/f", NULL, 0 },		/* ENOTDIR */
	{ S_UNLINK, "d/f", NULL, 0 },
	{ S_RMDIR, "d/y", NULL, 0 },
	{ S_RMDIR, "d", NULL, 0 },
	{ S_RMDIR, "e", NULL, 0 },
	{ S_UNLINK, "loop1", NULL, 0 },
	{ S_UNLINK, "loop2", NULL, 0 },
	{ S_MKDIR, "a/../b", NULL, 0755 },	/* ENOENT */
	{ S_MKDIR, "b", NULL, 0755 },
	{ S_MKDIR, "b/../c", NULL, 0755 },
	{ S_RMDIR, "b/../c", NULL, 0 },
	{ S_RMDIR, "b/", NULL, 0 },
};

static int host_step(int dfd, const struct step *s)
{
	char buf[256];
	int r = 0, fd;

	switch (s->op) {
	case S_MKDIR:
		r = mkdirat(dfd, s->a, s->arg);
		break;
	case S_RMDIR:
		r = unlinkat(dfd, s->a, AT_REMOVEDIR);
		break;
	case S_UNLINK:
		r = unlinkat(dfd, s->a, 0);
		break;
	case S_RENAME:
		r = renameat(dfd, s->a, dfd, s->b);
		break;
	case S_LINK:
		r = linkat(dfd, s->a, dfd, s->b, 0);
		break;
	case S_SYMLINK:
		r = symlinkat(s->a, dfd, s->b);
		break;
	case S_CREAT:
		fd = openat(dfd, s->a, O_CREAT | O_WRONLY, s->arg);
		if (fd >= 0)
			close(fd);
		r = fd < 0 ? -1 : 0;
		break;
	case S_READLINK:
		r = readlinkat(dfd, s->a, buf, sizeof(buf));
		break;
	case S_CHMOD:
		r = fchmodat(dfd, s->a, s->arg, 0);
		break;
	case S_ACCESS:
		r = faccessat(dfd, s->a, s->arg, 0);
		break;
	case S_OPENDIR:
		fd = openat(dfd, s->a, O_RDONLY | O_DIRECTORY);
		if (fd >= 0)
			close(fd);
		r = fd < 0 ? -1 : 0;
		break;
	}
	return r < 0 ? -errno : r;
}

static int mol_step(F, const struct step *s)
{
	int fd;

	switch (s->op) {
	case S_MKDIR:
		return x_mkdir(self, 0, s->a, s->arg);
	case S_RMDIR:
		return x_rmdir(self, 0, s->a);
	case S_UNLINK:
		return x_unlink(self, 0, s->a);
	case S_RENAME:
		return x_path2(self, 0, FS_RENAME, s->a, s->b, 0);
	case S_LINK:
		return x_path2(self, 0, FS_LINK, s->a, s->b, 0);
	case S_SYMLINK:
		return x_path2(self, 0, FS_SYMLINK, s->a, s->b, 0);
	case S_CREAT:
		fd = x_open(self, 0, s->a, MOL_O_CREAT | MOL_O_WRONLY, s->arg);
		return fd < 0 ? fd : x_close(self, 0, fd);
	case S_READLINK:
		return x_path(self, 0, FS_READLINK, MOL_AT_FDCWD, s->a, 0, 0,
			      0);
	case S_CHMOD:
		return x_chmod(self, 0, s->a, s->arg);
	case S_ACCESS:
		return x_access(self, 0, s->a, s->arg);
	case S_OPENDIR:
		fd = x_open(self, 0, s->a, MOL_O_RDONLY | MOL_O_DIRECTORY, 0);
		return fd < 0 ? fd : x_close(self, 0, fd);
	}
	return -ENOSYS;
}

TEST_F(fs, errno_like_linux)
{
	char host[PATH_MAX];
	unsigned int i;
	int dfd, h, m;

	snprintf(host, sizeof(host), "%s/host", self->dir);
	ASSERT_EQ(0, mkdir(host, 0755));
	dfd = open(host, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, x_mkdir(self, 0, "/t", 0755));
	ASSERT_EQ(0, x_chdir(self, 0, "/t"));
	for (i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		h = host_step(dfd, &script[i]);
		m = mol_step(self, &script[i]);
		EXPECT_EQ(h, m) TH_LOG("step %u (op %d %s %s): linux %d (%s), "
				       "molfs %d (%s)", i, script[i].op,
				       script[i].a, script[i].b ? script[i].b :
				       "", h, strerror(h < 0 ? -h : 0), m,
				       strerror(m < 0 ? -m : 0));
	}
	close(dfd);
	FSCK_CLEAN(self->img);
}

TEST_F(fs, cwd_chdir_getcwd)
{
	char cwd[256];
	int fd;

	ASSERT_EQ(2, x_getcwd(self, 0, cwd, sizeof(cwd)));
	ASSERT_STREQ("/", cwd);
	ASSERT_EQ(0, x_mkdir(self, 0, "/a", 0755));
	ASSERT_EQ(0, x_mkdir(self, 0, "/a/b", 0755));
	ASSERT_EQ(0, x_chdir(self, 0, "/a/b"));
	ASSERT_EQ(5, x_getcwd(self, 0, cwd, sizeof(cwd)));
	ASSERT_STREQ("/a/b", cwd);
	ASSERT_EQ(-ERANGE, x_getcwd(self, 0, cwd, 4));
	fd = x_open(self, 0, "rel", MOL_O_CREAT | MOL_O_WRONLY, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(0, x_access(self, 0, "/a/b/rel", 0));
	ASSERT_EQ(0, x_access(self, 0, "../b/./rel", 0));
	ASSERT_EQ(-ENOTDIR, x_chdir(self, 0, "rel"));
	ASSERT_EQ(-ENOENT, x_chdir(self, 0, "nope"));
	ASSERT_EQ(0, x_chdir(self, 0, "../.."));
	ASSERT_EQ(2, x_getcwd(self, 0, cwd, sizeof(cwd)));
	ASSERT_EQ(0, x_chdir(self, 0, "/.."));
	ASSERT_EQ(2, x_getcwd(self, 0, cwd, sizeof(cwd)));
	/* fchdir, and *at calls relative to a directory descriptor */
	fd = x_open(self, 0, "/a", MOL_O_RDONLY | MOL_O_DIRECTORY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_path(self, 0, FS_ACCESS, fd, "b/rel", 0, 0, 0));
	ASSERT_EQ(-EBADF, x_path(self, 0, FS_ACCESS, 77, "b/rel", 0, 0, 0));
	ASSERT_EQ(0, x_path(self, 0, FS_ACCESS, 77, "/a/b/rel", 0, 0, 0));
	ASSERT_EQ(0, x_fd(self, 0, FS_FCHDIR, fd, 0, 0, 0));
	ASSERT_EQ(3, x_getcwd(self, 0, cwd, sizeof(cwd)));
	ASSERT_STREQ("/a", cwd);
	ASSERT_EQ(0, x_close(self, 0, fd));
	/* a removed cwd */
	ASSERT_EQ(0, x_chdir(self, 0, "/a/b"));
	ASSERT_EQ(0, x_unlink(self, 0, "rel"));
	ASSERT_EQ(0, x_rmdir(self, 0, "/a/b"));
	ASSERT_EQ(-ENOENT, x_getcwd(self, 0, cwd, sizeof(cwd)));
	ASSERT_EQ(-ENOENT, x_open(self, 0, "x", MOL_O_CREAT | MOL_O_WRONLY,
				  0644));
	ASSERT_EQ(0, x_chdir(self, 0, "/"));
	FSCK_CLEAN(self->img);
}

TEST_F(fs, dup_fcntl_shared_offset)
{
	int fd, fd2, fd3;

	fd = x_open(self, 0, "/f", MOL_O_CREAT | MOL_O_RDWR, 0644);
	ASSERT_LE(0, fd);
	fd2 = x_fd(self, 0, FS_DUP, fd, 0, 0, 0);
	ASSERT_EQ(fd + 1, fd2);
	ASSERT_EQ(3, x_write(self, 0, fd, "abc", 3));
	ASSERT_EQ(3, x_lseek(self, 0, fd2, 0, MOL_SEEK_CUR));
	ASSERT_EQ(10, x_fd(self, 0, FS_DUP2, fd, 10, 0, 0));
	ASSERT_EQ(10, x_fd(self, 0, FS_DUP2, 10, 10, 0, 0));
	ASSERT_EQ(-EBADF, x_fd(self, 0, FS_DUP2, 11, 11, 0, 0));
	ASSERT_EQ(-EBADF, x_fd(self, 0, FS_DUP2, fd, MOL_FS_OPEN_MAX, 0, 0));
	ASSERT_EQ(-EINVAL, x_fd(self, 0, FS_DUP3, 10, 10, 0, 0));
	ASSERT_EQ(-EINVAL, x_fd(self, 0, FS_DUP3, fd, 12, 0, 1));
	ASSERT_EQ(12, x_fd(self, 0, FS_DUP3, fd, 12, 0, MOL_O_CLOEXEC));
	ASSERT_EQ(MOL_FD_CLOEXEC, x_fd(self, 0, FS_FCNTL, 12, 0,
				       MOL_F_GETFD, 0));
	ASSERT_EQ(0, x_fd(self, 0, FS_FCNTL, 12, 0, MOL_F_SETFD, 0));
	ASSERT_EQ(0, x_fd(self, 0, FS_FCNTL, 12, 0, MOL_F_GETFD, 0));
	ASSERT_EQ(20, x_fd(self, 0, FS_FCNTL, fd, 0, MOL_F_DUPFD, 20));
	fd3 = x_fd(self, 0, FS_FCNTL, fd, 0, MOL_F_DUPFD_CLOEXEC, 20);
	ASSERT_EQ(21, fd3);
	ASSERT_EQ(MOL_FD_CLOEXEC, x_fd(self, 0, FS_FCNTL, fd3, 0,
				       MOL_F_GETFD, 0));
	ASSERT_EQ(MOL_O_RDWR | MOL_O_LARGEFILE,
		  x_fd(self, 0, FS_FCNTL, fd, 0, MOL_F_GETFL, 0));
	ASSERT_EQ(0, x_fd(self, 0, FS_FCNTL, fd, 0, MOL_F_SETFL,
			  MOL_O_APPEND | MOL_O_RDONLY));
	/* status flags are the open file's: shared by dups */
	ASSERT_EQ(MOL_O_RDWR | MOL_O_APPEND | MOL_O_LARGEFILE,
		  x_fd(self, 0, FS_FCNTL, fd2, 0, MOL_F_GETFL, 0));
	ASSERT_EQ(-EINVAL, x_fd(self, 0, FS_FCNTL, fd, 0, 9999, 0));
	ASSERT_EQ(-EINVAL, x_fd(self, 0, FS_FCNTL, fd, 0, MOL_F_DUPFD, -1));
	ASSERT_EQ(-EBADF, x_fd(self, 0, FS_FCNTL, 99, 0, MOL_F_GETFD, 0));
	ASSERT_EQ(-EBADF, x_fd(self, 0, FS_DUP, 99, 0, 0, 0));
	ASSERT_EQ(0, x_lseek(self, 0, 10, 0, MOL_SEEK_SET));
	ASSERT_EQ(2, x_write(self, 0, fd3, "de", 2));	/* appends */
	ASSERT_EQ(5, x_lseek(self, 0, fd, 0, MOL_SEEK_CUR));
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(5, x_lseek(self, 0, fd2, 0, MOL_SEEK_CUR));
	ASSERT_EQ(0, x_close(self, 0, fd2));
	ASSERT_EQ(0, x_close(self, 0, 10));
	ASSERT_EQ(0, x_close(self, 0, 12));
	ASSERT_EQ(0, x_close(self, 0, 20));
	ASSERT_EQ(0, x_close(self, 0, fd3));
	FSCK_CLEAN(self->img);
}

TEST_F(fs, fork_exit_bookkeeping)
{
	struct mol_stat st;
	char cwd[64];
	int fd, fd0;

	ASSERT_EQ(0, x_mkdir(self, 0, "/w", 0755));
	ASSERT_EQ(0, x_chdir(self, 0, "/w"));
	ASSERT_EQ(022, call(self, 0, FS_UMASK, &(struct mol_fs_umask){ 027 },
			    sizeof(struct mol_fs_umask)));
	fd = x_open(self, 0, "f", MOL_O_CREAT | MOL_O_RDWR, 0666);
	fd0 = fd;
	ASSERT_LE(0, fd);
	ASSERT_EQ(6, x_write(self, 0, fd, "abcdef", 6));
	ASSERT_EQ(2, x_lseek(self, 0, fd, 2, MOL_SEEK_SET));
	/* agent 3 becomes agent 0's child */
	ASSERT_EQ(0, pm(self, FS_PM_FORK, EP(3), EP(0), 0, 0));
	ASSERT_EQ(3, x_getcwd(self, 3, cwd, sizeof(cwd)));
	ASSERT_STREQ("/w", cwd);
	ASSERT_EQ(027, call(self, 3, FS_UMASK, &(struct mol_fs_umask){ 0 },
			    sizeof(struct mol_fs_umask)));
	/* the offset is shared */
	ASSERT_EQ(2, x_read(self, 3, fd, 2));
	ASSERT_EQ(0, memcmp(A(3)->buf, "cd", 2));
	ASSERT_EQ(4, x_lseek(self, 0, fd, 0, MOL_SEEK_CUR));
	ASSERT_EQ(2, x_read(self, 0, fd, 10));
	ASSERT_EQ(6, x_lseek(self, 3, fd, 0, MOL_SEEK_CUR));
	/* closing in the child leaves the parent's open */
	ASSERT_EQ(0, x_close(self, 3, fd));
	ASSERT_EQ(0, x_lseek(self, 0, fd, 0, MOL_SEEK_SET));
	/* exit closes everything of the child */
	fd = x_open(self, 3, "g", MOL_O_CREAT | MOL_O_WRONLY, 0666);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pm(self, FS_PM_EXIT, EP(3), 0, 0, 0));
	ASSERT_EQ(-EPERM, x_close(self, 3, fd));
	ASSERT_EQ(0, x_unlink(self, 0, "g"));
	ASSERT_EQ(0, x_close(self, 0, fd0));
	/* setids: the child of a user is that user */
	ASSERT_EQ(0, pm(self, FS_PM_SETIDS, EP(1), 0, 1000, 100));
	ASSERT_EQ(0, pm(self, FS_PM_FORK, EP(3), EP(1), 0, 0));
	fd = x_open(self, 3, "/w/own", MOL_O_CREAT | MOL_O_WRONLY, 0666);
	ASSERT_EQ(-EACCES, fd);
	ASSERT_EQ(0, x_chmod(self, 0, "/w", 0777));
	fd = x_open(self, 3, "/w/own", MOL_O_CREAT | MOL_O_WRONLY, 0666);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pm(self, FS_PM_EXIT, EP(3), 0, 0, 0));
	ASSERT_EQ(0, x_stat(self, 0, "/w/own", 0, &st));
	ASSERT_EQ(1000, st.st_uid);
	ASSERT_EQ(100, st.st_gid);
	ASSERT_EQ(0644, st.st_mode & 0777);	/* agent 1's umask */
	FSCK_CLEAN(self->img);
}

TEST_F(fs, pipes)
{
	int fds[2], rc, i, total;

	ASSERT_EQ(0, x_pipe(self, 0, 0, fds));
	ASSERT_EQ(5, x_write(self, 0, fds[1], "hello", 5));
	ASSERT_EQ(5, x_read(self, 0, fds[0], 100));
	ASSERT_EQ(0, memcmp(A(0)->buf, "hello", 5));
	ASSERT_EQ(-EBADF, x_read(self, 0, fds[1], 1));
	ASSERT_EQ(-EBADF, x_write(self, 0, fds[0], "x", 1));
	ASSERT_EQ(-ESPIPE, x_lseek(self, 0, fds[0], 0, MOL_SEEK_SET));
	ASSERT_EQ(-ESPIPE, x_io(self, 0, FS_PREAD, fds[0], 1, 0));

	/* a reader blocked on the empty pipe gets data later */
	ASSERT_EQ(0, pm(self, FS_PM_FORK, EP(3), EP(0), 0, 0));
	ASSERT_EQ(0, read_start(self, 3, fds[0], 100));
	ASSERT_EQ(0, mt_wait_state(&self->in, SLOT(3), MOLIPC_PSTATE_REPLYWAIT,
				   MOL_FS, MT_WAIT_MS));
	mt_msleep(50);
	ASSERT_FALSE(finished(self, 3));
	ASSERT_EQ(3, x_write(self, 0, fds[1], "abc", 3));	/* FS goes on */
	ASSERT_EQ(3, finish(self, 3));
	ASSERT_EQ(0, memcmp(A(3)->buf, "abc", 3));

	/* a big write waits for the reader, which gets it all */
	fill(A(0)->buf, 200000, 3);
	ASSERT_EQ(0, start(self, 0, FS_WRITE, &(struct mol_fs_io){
			fds[1], A(0)->g_buf, 200000, 0 },
			sizeof(struct mol_fs_io)));
	ASSERT_EQ(0, mt_wait_state(&self->in, SLOT(0), MOLIPC_PSTATE_REPLYWAIT,
				   MOL_FS, MT_WAIT_MS));
	for (total = 0; total < 200000; total += rc) {
		rc = x_read(self, 3, fds[0], 50000);
		ASSERT_LT(0, rc);
		for (i = 0; i < rc; i++)
			if (A(3)->buf[i] != A(0)->buf[total + i])
				break;
		ASSERT_EQ(rc, i);
	}
	ASSERT_EQ(200000, finish(self, 0));

	/* FS_PM_UNPAUSE: a signal ends the wait with EINTR */
	ASSERT_EQ(0, read_start(self, 3, fds[0], 100));
	ASSERT_EQ(0, mt_wait_state(&self->in, SLOT(3), MOLIPC_PSTATE_REPLYWAIT,
				   MOL_FS, MT_WAIT_MS));
	ASSERT_EQ(0, pm(self, FS_PM_UNPAUSE, EP(3), 0, 0, 0));
	ASSERT_EQ(-EINTR, finish(self, 3));

	/* EOF once every writer is gone, also for a blocked reader */
	ASSERT_EQ(0, x_close(self, 3, fds[1]));
	ASSERT_EQ(0, read_start(self, 3, fds[0], 100));
	ASSERT_EQ(0, mt_wait_state(&self->in, SLOT(3), MOLIPC_PSTATE_REPLYWAIT,
				   MOL_FS, MT_WAIT_MS));
	ASSERT_EQ(0, x_close(self, 0, fds[1]));
	ASSERT_EQ(0, finish(self, 3));
	ASSERT_EQ(0, x_read(self, 0, fds[0], 10));
	ASSERT_EQ(0, x_close(self, 0, fds[0]));
	ASSERT_EQ(0, x_close(self, 3, fds[0]));

	/* EPIPE without readers (the caller raises SIGPIPE) */
	ASSERT_EQ(0, x_pipe(self, 0, 0, fds));
	ASSERT_EQ(0, x_close(self, 0, fds[0]));
	ASSERT_EQ(-EPIPE, x_write(self, 0, fds[1], "x", 1));
	ASSERT_EQ(0, x_close(self, 0, fds[1]));

	/* O_NONBLOCK, pipe2 flags */
	ASSERT_EQ(-EINVAL, x_pipe(self, 0, MOL_O_TRUNC, fds));
	ASSERT_EQ(0, x_pipe(self, 0, MOL_O_NONBLOCK | MOL_O_CLOEXEC, fds));
	ASSERT_EQ(-EAGAIN, x_read(self, 0, fds[0], 10));
	ASSERT_EQ(MOL_FD_CLOEXEC, x_fd(self, 0, FS_FCNTL, fds[0], 0,
				       MOL_F_GETFD, 0));
	fill(A(0)->buf, 70000, 4);
	ASSERT_EQ(MOL_FS_PIPE_SIZE, x_io(self, 0, FS_WRITE, fds[1], 70000, 0));
	ASSERT_EQ(-EAGAIN, x_write(self, 0, fds[1], "x", 1));
	ASSERT_EQ(0, pm(self, FS_PM_EXIT, EP(3), 0, 0, 0));
	ASSERT_EQ(0, x_close(self, 0, fds[0]));
	ASSERT_EQ(0, x_close(self, 0, fds[1]));
}

TEST_F(fs, dev_memory_devices)
{
	struct mol_stat st;
	int fd, i, nz = 0;

	ASSERT_EQ(0, x_stat(self, 0, "/dev/null", 0, &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(MOL_MEM_MAJOR, st.st_rdev_major);
	ASSERT_EQ(MOL_NULL_MINOR, st.st_rdev_minor);
	fd = x_open(self, 0, "/dev/null", MOL_O_RDWR, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_read(self, 0, fd, 100));
	ASSERT_EQ(100000, x_io(self, 0, FS_WRITE, fd, 100000, 0));
	ASSERT_EQ(0, x_lseek(self, 0, fd, 0, MOL_SEEK_END));
	ASSERT_EQ(0, x_close(self, 0, fd));
	fd = x_open(self, 0, "/dev/zero", MOL_O_RDONLY, 0);
	ASSERT_LE(0, fd);
	memset(A(0)->buf, 0xff, 10000);
	ASSERT_EQ(10000, x_read(self, 0, fd, 10000));
	for (i = 0; i < 10000; i++) {
		ASSERT_EQ(0, A(0)->buf[i]);
	}
	/* whole reads, many driver chunks; no position, pread too */
	memset(A(0)->buf, 0xff, BUFSZ);
	ASSERT_EQ(BUFSZ, x_read(self, 0, fd, BUFSZ));
	for (i = 0; i < BUFSZ; i++) {
		ASSERT_EQ(0, A(0)->buf[i]);
	}
	ASSERT_EQ(0, x_lseek(self, 0, fd, 0, MOL_SEEK_CUR));
	ASSERT_EQ(5000, x_io(self, 0, FS_PREAD, fd, 5000, 12345));
	ASSERT_EQ(0, x_close(self, 0, fd));
	/* the memory major's other minors (MINIX's /dev/mem): none */
	ASSERT_EQ(0, x_path(self, 0, FS_MKNOD, MOL_AT_FDCWD, "/mem",
			    0, S_IFCHR | 0600, 0x0101));
	ASSERT_EQ(-ENXIO, x_open(self, 0, "/mem", MOL_O_RDWR, 0));
	ASSERT_EQ(0, x_unlink(self, 0, "/mem"));
	fd = x_open(self, 0, "/dev/urandom", MOL_O_RDONLY, 0);
	ASSERT_LE(0, fd);
	memset(A(0)->buf, 0, 64);
	ASSERT_EQ(64, x_read(self, 0, fd, 64));
	for (i = 0; i < 64; i++)
		nz += A(0)->buf[i] != 0;
	ASSERT_LT(32, nz);
	ASSERT_EQ(0, x_close(self, 0, fd));
	fd = x_open(self, 0, "/dev/random", MOL_O_RDONLY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(-ENXIO, x_open(self, 0, "/dev/tty", MOL_O_RDWR, 0));
	/* other devices: ENXIO; making them: root only */
	ASSERT_EQ(0, x_path(self, 0, FS_MKNOD, MOL_AT_FDCWD, "/blk",
			    0, S_IFBLK | 0600, 0x0301));
	ASSERT_EQ(-ENXIO, x_open(self, 0, "/blk", MOL_O_RDWR, 0));
	ASSERT_EQ(0, pm(self, FS_PM_SETIDS, EP(1), 0, 1000, 1000));
	ASSERT_EQ(-EPERM, x_path(self, 1, FS_MKNOD, MOL_AT_FDCWD, "/c2",
				 0, S_IFCHR | 0600, 0x0103));
	ASSERT_EQ(0, x_unlink(self, 0, "/blk"));
	FSCK_CLEAN(self->img);
}

TEST_F(fs, permissions)
{
	struct mol_stat st;
	int fd;

	ASSERT_EQ(0, x_mkdir(self, 0, "/priv", 0700));
	ASSERT_EQ(0, x_mkdir(self, 0, "/pub", 0777));
	ASSERT_EQ(0, x_chmod(self, 0, "/pub", 0777));	/* past the umask */
	fd = x_open(self, 0, "/pub/rootfile", MOL_O_CREAT | MOL_O_WRONLY,
		    0644);
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(0, pm(self, FS_PM_SETIDS, EP(1), 0, 1000, 1000));
	ASSERT_EQ(-EACCES, x_open(self, 1, "/priv/x", MOL_O_CREAT |
				  MOL_O_WRONLY, 0644));
	ASSERT_EQ(-EACCES, x_chdir(self, 1, "/priv"));
	ASSERT_EQ(-EACCES, x_mkdir(self, 1, "/d", 0755));
	ASSERT_EQ(-EACCES, x_open(self, 1, "/pub/rootfile", MOL_O_WRONLY, 0));
	fd = x_open(self, 1, "/pub/rootfile", MOL_O_RDONLY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_close(self, 1, fd));
	ASSERT_EQ(-EACCES, x_access(self, 1, "/pub/rootfile", W_OK));
	ASSERT_EQ(0, x_access(self, 1, "/pub/rootfile", R_OK));
	ASSERT_EQ(-EPERM, x_chmod(self, 1, "/pub/rootfile", 0666));
	ASSERT_EQ(-EPERM, call(self, 1, FS_CHOWN, &(struct mol_fs_chown){
		MOL_AT_FDCWD, A(1)->g_path, setpath(A(1), "/pub/rootfile"), 0,
		1000, (uint32_t)-1 }, sizeof(struct mol_fs_chown)));
	fd = x_open(self, 1, "/pub/mine", MOL_O_CREAT | MOL_O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, x_close(self, 1, fd));
	ASSERT_EQ(0, x_stat(self, 1, "/pub/mine", 0, &st));
	ASSERT_EQ(1000, st.st_uid);
	ASSERT_EQ(0, x_chmod(self, 1, "/pub/mine", 0640));
	ASSERT_EQ(0, x_unlink(self, 1, "/pub/mine"));
	/* root may */
	ASSERT_EQ(0, call(self, 0, FS_CHOWN, &(struct mol_fs_chown){
		MOL_AT_FDCWD, A(0)->g_path, setpath(A(0), "/pub/rootfile"), 0,
		1000, 1000 }, sizeof(struct mol_fs_chown)));
	ASSERT_EQ(0, x_access(self, 1, "/pub/rootfile", W_OK));
	/* mount: root only */
	ASSERT_EQ(-EPERM, x_mount(self, 1, self->img2, "/pub", 0));
	/* utimensat: explicit times need the owner */
	ASSERT_EQ(-EPERM, call(self, 1, FS_UTIMENS, &(struct mol_fs_utimens){
		MOL_AT_FDCWD, A(1)->g_path, setpath(A(1), "/pub"), 0, 5, 5,
		0, 0 }, sizeof(struct mol_fs_utimens)));
	ASSERT_EQ(0, call(self, 0, FS_UTIMENS, &(struct mol_fs_utimens){
		MOL_AT_FDCWD, A(0)->g_path, setpath(A(0), "/pub"), 0, 5, 77,
		0, MOL_UTIME_OMIT }, sizeof(struct mol_fs_utimens)));
	ASSERT_EQ(0, x_stat(self, 0, "/pub", 0, &st));
	ASSERT_EQ(5, st.st_atime_sec);
	ASSERT_NE(77, st.st_mtime_sec);
	ASSERT_EQ(-EINVAL, call(self, 0, FS_UTIMENS, &(struct mol_fs_utimens){
		MOL_AT_FDCWD, A(0)->g_path, setpath(A(0), "/pub"), 0, 5, 77,
		2000000000, 0 }, sizeof(struct mol_fs_utimens)));
	FSCK_CLEAN(self->img);
}

TEST_F(fs, mount_umount)
{
	struct mol_stat st, st2;
	struct mol_statvfs sv;
	struct mol_fs_path up;
	char cwd[64];
	int fd;

	ASSERT_EQ(0, mkimage(self->img2, 4096));
	ASSERT_EQ(0, x_mkdir(self, 0, "/mnt", 0755));
	ASSERT_EQ(-ENOENT, x_mount(self, 0, "/no/such/image", "/mnt", 0));
	ASSERT_EQ(-ENOENT, x_mount(self, 0, self->img2, "/nope", 0));
	ASSERT_EQ(-EINVAL, x_mount(self, 0, self->img2, "/mnt", 0x100));
	ASSERT_EQ(0, x_mount(self, 0, self->img2, "/mnt", 0));
	ASSERT_EQ(-EBUSY, x_mount(self, 0, self->img2, "/mnt", 0));
	ASSERT_EQ(0, x_stat(self, 0, "/mnt", 0, &st));
	ASSERT_EQ(0, x_stat(self, 0, "/", 0, &st2));
	ASSERT_NE(st.st_dev, st2.st_dev);
	ASSERT_EQ(1, st.st_ino);
	ASSERT_EQ(0, x_mkdir(self, 0, "/mnt/sub", 0755));
	fd = x_open(self, 0, "/mnt/sub/f", MOL_O_CREAT | MOL_O_RDWR, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, x_write(self, 0, fd, "data", 4));
	ASSERT_EQ(0, x_close(self, 0, fd));
	/* crossing: .., getcwd, links */
	ASSERT_EQ(0, x_chdir(self, 0, "/mnt/sub"));
	ASSERT_EQ(9, x_getcwd(self, 0, cwd, sizeof(cwd)));
	ASSERT_STREQ("/mnt/sub", cwd);
	ASSERT_EQ(0, x_access(self, 0, "../../mnt/sub/f", 0));
	ASSERT_EQ(0, x_stat(self, 0, "../..", 0, &st));
	ASSERT_EQ(st2.st_ino, st.st_ino);
	ASSERT_EQ(st2.st_dev, st.st_dev);
	ASSERT_EQ(0, x_path2(self, 0, FS_SYMLINK, "/mnt/sub/f", "/lnk", 0));
	ASSERT_EQ(0, x_stat(self, 0, "/lnk", 0, &st));
	ASSERT_EQ(4, st.st_size);
	ASSERT_EQ(-EXDEV, x_path2(self, 0, FS_RENAME, "/mnt/sub/f", "/g", 0));
	ASSERT_EQ(-EXDEV, x_path2(self, 0, FS_LINK, "/mnt/sub/f", "/g", 0));
	ASSERT_EQ(-EBUSY, x_rmdir(self, 0, "/mnt"));
	ASSERT_EQ(-EBUSY, x_path2(self, 0, FS_RENAME, "/mnt", "/mnt2", 0));
	/* statvfs */
	ASSERT_EQ(0, x_path(self, 0, FS_STATVFS, MOL_AT_FDCWD, "/mnt", 0, 0,
			    0));
	memcpy(&sv, A(0)->buf, sizeof(sv));
	ASSERT_EQ(1024, sv.f_bsize);
	ASSERT_EQ(60, sv.f_namemax);
	ASSERT_LT(3000, sv.f_blocks);
	ASSERT_GT(sv.f_blocks, sv.f_bfree);
	/* busy while a process is inside; then unmounted */
	memset(&up, 0, sizeof(up));
	up.dirfd = MOL_AT_FDCWD;
	up.path_grant = A(0)->g_path;
	up.path_len = setpath(A(0), "/mnt");
	ASSERT_EQ(-EBUSY, call(self, 0, FS_UMOUNT, &up, sizeof(up)));
	ASSERT_EQ(0, x_chdir(self, 0, "/"));
	up.path_len = setpath(A(0), "/");
	ASSERT_EQ(-EINVAL, call(self, 0, FS_UMOUNT, &up, sizeof(up)));
	ASSERT_EQ(0, pm(self, FS_PM_SETIDS, EP(1), 0, 1000, 1000));
	up.path_grant = A(1)->g_path;
	up.path_len = setpath(A(1), "/mnt");
	ASSERT_EQ(-EPERM, call(self, 1, FS_UMOUNT, &up, sizeof(up)));
	up.path_grant = A(0)->g_path;
	up.path_len = setpath(A(0), "/mnt");
	ASSERT_EQ(0, call(self, 0, FS_UMOUNT, &up, sizeof(up)));
	ASSERT_EQ(-ENOENT, x_access(self, 0, "/mnt/sub", 0));
	ASSERT_EQ(-ENOENT, x_stat(self, 0, "/lnk", 0, &st));
	ASSERT_EQ(0, x_unlink(self, 0, "/lnk"));
	ASSERT_EQ(0, fsck(self->img2));
	/* mounted again, read-only: the data is there */
	ASSERT_EQ(0, x_mount(self, 0, self->img2, "/mnt", MOL_MS_RDONLY));
	fd = x_open(self, 0, "/mnt/sub/f", MOL_O_RDONLY, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, x_read(self, 0, fd, 10));
	ASSERT_EQ(0, memcmp(A(0)->buf, "data", 4));
	ASSERT_EQ(0, x_close(self, 0, fd));
	ASSERT_EQ(-EROFS, x_open(self, 0, "/mnt/sub/f", MOL_O_RDWR, 0));
	ASSERT_EQ(-EROFS, x_mkdir(self, 0, "/mnt/x", 0755));
	FSCK_CLEAN(self->img);
	ASSERT_EQ(0, fsck(self->img2));
}

TEST_F(fs, bad_requests)
{
	struct mol_fs_open o;
	struct mol_message m;
	unsigned int seed = 12345;
	int fd, i, j;

	/* bad grants */
	o = (struct mol_fs_open){ MOL_AT_FDCWD, 9999, 4, MOL_O_RDONLY, 0 };
	ASSERT_EQ(-EFAULT, call(self, 0, FS_OPEN, &o, sizeof(o)));
	o = (struct mol_fs_open){ MOL_AT_FDCWD, A(0)->g_path, 5000,
				  MOL_O_RDONLY, 0 };
	ASSERT_EQ(-ENAMETOOLONG, call(self, 0, FS_OPEN, &o, sizeof(o)));
	o = (struct mol_fs_open){ MOL_AT_FDCWD, A(0)->g_path, 0,
				  MOL_O_RDONLY, 0 };
	ASSERT_EQ(-ENOENT, call(self, 0, FS_OPEN, &o, sizeof(o)));
	fd = x_open(self, 0, "/f", MOL_O_CREAT | MOL_O_RDWR, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, x_write(self, 0, fd, "abcd", 4));
	ASSERT_EQ(0, x_lseek(self, 0, fd, 0, MOL_SEEK_SET));
	/* read into a read-only grant; beyond a grant */
	ASSERT_EQ(-EFAULT, call(self, 0, FS_READ, &(struct mol_fs_io){
		fd, A(0)->g_ro, 4, 0 }, sizeof(struct mol_fs_io)));
	ASSERT_EQ(-EFAULT, call(self, 0, FS_WRITE, &(struct mol_fs_io){
		fd, A(0)->g_path, 5000, 0 }, sizeof(struct mol_fs_io)));
	ASSERT_EQ(-EFAULT, call(self, 0, FS_READ, &(struct mol_fs_io){
		fd, 424242, 4, 0 }, sizeof(struct mol_fs_io)));
	ASSERT_EQ(-EFAULT, call(self, 0, FS_STAT, &(struct mol_fs_path){
		MOL_AT_FDCWD, A(0)->g_path, setpath(A(0), "/f"), 0, 0, 0,
		A(0)->g_ro, BUFSZ }, sizeof(struct mol_fs_path)));
	ASSERT_EQ(-EFAULT, x_buf(self, 0, FS_FSTAT, fd, 8));
	/* bad descriptors */
	for (i = -2; i < MOL_FS_OPEN_MAX + 2; i += 37) {
		if (i != fd && i != -1)
			ASSERT_EQ(-EBADF, x_read(self, 0, i, 1));
	}
	ASSERT_EQ(-EBADF, x_read(self, 0, INT32_MIN, 1));
	ASSERT_EQ(0, x_close(self, 0, fd));
	/* garbage: FS answers and lives */
	for (i = 0; i < 300; i++) {
		memset(&m, 0, sizeof(m));
		for (j = 0; j < MOL_PAYLOAD_SIZE; j++) {
			seed = seed * 1103515245 + 12345;
			m.m_u.m_raw[j] = (seed >> 16) & 0xff;
			if (j % 4 == 3 && (seed & 0x300))
				m.m_u.m_raw[j] = 0;
		}
		seed = seed * 1103515245 + 12345;
		m.m_type = FS_BASE + (int)((seed >> 16) % (FS_NR_CALLS + 2));
		if (m.m_type == FS_SYNC || m.m_type == FS_READ ||
		    m.m_type == FS_WRITE || m.m_type == FS_PIPE)
			continue;	/* may block or leak, legitimately */
		ASSERT_LT(-10000, call(self, 1, m.m_type, m.m_u.m_raw,
				       MOL_PAYLOAD_SIZE))
			TH_LOG("type %#x", m.m_type);
	}
	ASSERT_EQ(0, x_access(self, 0, "/f", 0));
	ASSERT_EQ(0, pm(self, FS_PM_EXIT, EP(1), 0, 0, 0));
	FSCK_CLEAN(self->img);
}

/* ---------------------------------------------------------------- */


MT_HARNESS_MAIN("fsserver", (void)0)

// SPDX-License-Identifier: GPL-2.0
/*
 * hostfs.c - molhostfs, the host pass-through file server, and the
 * VFS -> FS request protocol (REQ_* in <linux/molfscalls.h>), on every
 * transport.
 *
 * Written only against libmol.  Each test builds a host tree in
 * $TMPDIR: root/ (exported) with files, a hard link, a directory, a
 * FIFO, relative and absolute symbolic links and one leading out, and
 * outside/ next to it with a secret.  The test process creates an
 * instance (it is the system task), spawns $MOLHOSTFS (default:
 * molhostfs next to this binary) at MOL_HOSTFS exporting root/, and an
 * agent at MOL_FS that sends the requests molfs would, with grants of
 * its buffers; a second agent at an ordinary slot may not ask.  What
 * the server answers is compared with what the host says of the same
 * files (lstat, read, readdir, readlink, statvfs).
 *
 * After the kselftest output the binary prints one line
 *	hostfs <transport>: N passed, N failed
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <linux/molfscalls.h>

#include "kselftest_harness.h"
#include "moltest.h"

#define BUFSZ		(128 * 1024)
#define DATA_SIZE	(200 * 1024 + 123)
#define LONGNAME	"a-name-longer-than-minix-allows-which-is-sixty-bytes-so-this-one-has-ninety-nine-bytes-in-all-ok"

struct agent {
	int seq, done;
	int quit;
	int ready;		/* the grants exist */
	int grantee;		/* whom the grants are for */
	int rc;			/* mol_sendrec's status */
	struct mol_message m;
	int g_name, g_buf;	/* grant ids, for MOL_HOSTFS */
	char name[512];
	unsigned char buf[BUFSZ];
};

static int agent_fn(struct mt_proc *self, void *arg)
{
	struct agent *a = arg;

	a->g_name = mol_grant_create(&self->mol, a->grantee, a->name,
				     sizeof(a->name), MOL_GRANT_READ);
	a->g_buf = mol_grant_create(&self->mol, a->grantee, a->buf,
				    sizeof(a->buf),
				    MOL_GRANT_READ | MOL_GRANT_WRITE);
	__atomic_store_n(&a->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		if (mt_wait_go(self) < 0 || a->quit)
			return 0;
		a->rc = mol_sendrec(&self->mol, a->grantee, &a->m);
		__atomic_store_n(&a->done, a->seq, __ATOMIC_RELEASE);
	}
}

static int server_fn(struct mt_proc *self, void *arg)
{
	char **argv = arg;
	char inst[32];

	snprintf(inst, sizeof(inst), "%u", self->inst->id);
	setenv("MOL_INSTANCE", inst, 1);
	execv(argv[0], argv);
	return 126;
}

FIXTURE(hfs) {
	struct mt_inst in;
	struct mt_proc fs, user, srv;
	struct agent *a, *u;
	char dir[256];
	char root[1024];
	char bin[PATH_MAX];
};

static int put(const char *dir, const char *name, const void *data,
	       size_t len)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0)
		return -1;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* root/ and outside/ (see the top of the file). */
static int make_tree(const char *dir, char *root, size_t size)
{
	char path[PATH_MAX], out[PATH_MAX];
	unsigned char *data;
	size_t i;
	int ret = -1;

	snprintf(root, size, "%s/root", dir);
	snprintf(out, sizeof(out), "%s/outside", dir);
	if (mkdir(root, 0755) || mkdir(out, 0700))
		return -1;
	data = malloc(DATA_SIZE);
	if (!data)
		return -1;
	for (i = 0; i < DATA_SIZE; i++)
		data[i] = (unsigned char)(i * 7 + i / 251);
	if (put(root, "data", data, DATA_SIZE) ||
	    put(root, "small", "hello\n", 6) ||
	    put(root, "prog", "#!/bin/sh\n", 10) ||
	    put(root, LONGNAME, "x", 1) ||
	    put(out, "secret", "secret\n", 7))
		goto out;
	snprintf(path, sizeof(path), "%s/prog", root);
	if (chmod(path, 0755))
		goto out;
	snprintf(path, sizeof(path), "%s/sub", root);
	if (mkdir(path, 0750) || put(path, "inner", "inner\n", 6))
		goto out;
	snprintf(path, sizeof(path), "%s/data", root);
	snprintf(out, sizeof(out), "%s/data2", root);
	if (link(path, out))
		goto out;
	snprintf(path, sizeof(path), "%s/fifo", root);
	if (mkfifo(path, 0600))
		goto out;
#define LN(target, name) do {						\
		snprintf(path, sizeof(path), "%s/%s", root, name);	\
		if (symlink(target, path))				\
			goto out;					\
	} while (0)
	LN("/etc/passwd", "abs");
	LN("sub/inner", "rel");
	LN("../outside/secret", "up");
	snprintf(out, sizeof(out), "%s/outside", dir);
	LN(out, "outlink");
#undef LN
	ret = 0;
out:
	free(data);
	return ret;
}

FIXTURE_SETUP(hfs)
{
	struct molipc_priv up;
	char *argv[3];
	int rc;

	snprintf(self->dir, sizeof(self->dir), "%s/hostfs.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, make_tree(self->dir, self->root, sizeof(self->root)));
	ASSERT_NE(NULL, mt_program_path("MOLHOSTFS", "molhostfs", self->bin,
					sizeof(self->bin)));
	ASSERT_EQ(0, access(self->bin, X_OK))
		TH_LOG("%s: not found (set MOLHOSTFS)", self->bin);

	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("instance over %s: %s", mt_transport(),
				mol_strerror(rc));
	argv[0] = self->bin;
	argv[1] = self->root;
	argv[2] = NULL;
	rc = mt_spawn(&self->srv, &self->in, MOL_HOSTFS, NULL, MT_NO_OPEN,
		      server_fn, argv);
	ASSERT_EQ(0, rc);
	ASSERT_EQ(0, mt_wait_state(&self->in, MOL_HOSTFS,
				   MOLIPC_PSTATE_RECEIVING, MT_ANY_PEER,
				   MT_WAIT_MS))
		TH_LOG("molhostfs did not start");
	self->a = mt_shared_alloc(sizeof(struct agent));
	self->u = mt_shared_alloc(sizeof(struct agent));
	ASSERT_NE(NULL, self->a);
	ASSERT_NE(NULL, self->u);
	self->a->grantee = MOL_HOSTFS;
	self->u->grantee = MOL_HOSTFS;
	ASSERT_EQ(0, mt_spawn(&self->fs, &self->in, MOL_FS, NULL, 0,
			      agent_fn, self->a));
	mt_priv_user(&up);
	mt_priv_allow(&up, MOL_HOSTFS);
	ASSERT_EQ(0, mt_spawn(&self->user, &self->in, MT_SLOT_BASE, &up, 0,
			      agent_fn, self->u));
	for (rc = 0; rc < MT_WAIT_MS; rc++) {
		if (__atomic_load_n(&self->a->ready, __ATOMIC_ACQUIRE) &&
		    __atomic_load_n(&self->u->ready, __ATOMIC_ACQUIRE))
			break;
		mt_msleep(1);
	}
	ASSERT_LT(rc, MT_WAIT_MS) TH_LOG("the agents made no grants");
	ASSERT_GE(self->a->g_name, 0);
	ASSERT_GE(self->a->g_buf, 0);
	ASSERT_GE(self->u->g_buf, 0);
}

FIXTURE_TEARDOWN(hfs)
{
	char cmd[PATH_MAX + 16];

	mt_kill_all();
	mt_inst_destroy(&self->in);
	if (self->a)
		mt_shared_free(self->a, sizeof(struct agent));
	if (self->u)
		mt_shared_free(self->u, sizeof(struct agent));
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'",
		 self->dir, self->dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", self->dir);
}

/* ---------------------------------------------------------------- */
/* Requests                                                          */
/* ---------------------------------------------------------------- */

#define F	FIXTURE_DATA(hfs) *self

/* Send @m from agent @a (in @p); the reply's m_type or -10000 + IPC. */
static int raw(struct agent *a, struct mt_proc *p, const struct mol_message *m)
{
	uint64_t end = mt_now_ns() + (uint64_t)MT_WAIT_MS * 1000000ULL;

	a->m = *m;
	a->seq++;
	if (mt_go(p) < 0)
		return -20002;
	while (__atomic_load_n(&a->done, __ATOMIC_ACQUIRE) != a->seq) {
		if (mt_now_ns() > end)
			return -20000;
		if (mt_wait(p, 0) != -ETIMEDOUT)
			return -20001;
		mt_msleep(1);
	}
	return a->rc < 0 ? -10000 + a->rc : a->m.m_type;
}

/* REQ @type on @ino; @grant/@len as given (use the agent's grants). */
static int req(F, int type, uint32_t ino, int grant, uint32_t len,
	       uint64_t pos, struct mol_fsreq *out)
{
	struct mol_message m;
	struct mol_fsreq *b = MOL_BODY(&m, struct mol_fsreq);
	int rc;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	b->ino = ino;
	b->grant = grant;
	b->len = len;
	b->pos = pos;
	rc = raw(self->a, &self->fs, &m);
	if (out)
		*out = *MOL_BODY(&self->a->m, struct mol_fsreq);
	return rc;
}

/* REQ_LOOKUP of @name in @dir: the inode (> 0) or -errno. */
static int lookup(F, uint32_t dir, const char *name, uint32_t *mode)
{
	struct mol_fsreq r;
	int rc;

	strcpy(self->a->name, name);
	rc = req(self, REQ_LOOKUP, dir, self->a->g_name, strlen(name), 0, &r);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return -30000;
	if (mode)
		*mode = r.out_mode;
	return (int)r.out_ino;
}

static int rstat(F, uint32_t ino, struct mol_stat *st)
{
	int rc = req(self, REQ_STAT, ino, self->a->g_buf, sizeof(*st), 0,
		     NULL);

	if (rc == 0)
		memcpy(st, self->a->buf, sizeof(*st));
	return rc;
}

static void host_path(F, const char *name, char *path)
{
	snprintf(path, PATH_MAX, "%s/%s", self->root, name);
}

/* The server's stat of @ino equals the host's lstat of @name. */
static int same_stat(F, uint32_t ino, const char *name)
{
	char path[PATH_MAX];
	struct mol_stat ms;
	struct stat st;

	host_path(self, name, path);
	if (lstat(path, &st) || rstat(self, ino, &ms))
		return 0;
	return ms.st_ino == ino && ms.st_mode == st.st_mode &&
	       ms.st_nlink == st.st_nlink && ms.st_uid == st.st_uid &&
	       ms.st_gid == st.st_gid && ms.st_size == st.st_size &&
	       ms.st_blocks == st.st_blocks &&
	       ms.st_blksize == (uint32_t)st.st_blksize &&
	       ms.st_rdev_major == major(st.st_rdev) &&
	       ms.st_rdev_minor == minor(st.st_rdev) &&
	       ms.st_mtime_sec == st.st_mtim.tv_sec &&
	       ms.st_mtime_nsec == (uint32_t)st.st_mtim.tv_nsec &&
	       ms.st_ctime_sec == st.st_ctim.tv_sec &&
	       ms.st_ctime_nsec == (uint32_t)st.st_ctim.tv_nsec &&
	       ms.st_atime_sec == st.st_atim.tv_sec;
}

/* ---------------------------------------------------------------- */
/* Tests                                                             */
/* ---------------------------------------------------------------- */

TEST_F(hfs, lookup_and_stat_match_the_host)
{
	static const char *const names[] = {
		"data", "small", LONGNAME, "sub", "fifo", "abs", "rel", "up",
		"outlink", "prog",
	};
	uint32_t mode, inos[10];
	char path[PATH_MAX];
	struct stat st;
	unsigned int i, j;
	int ino;

	ASSERT_TRUE(same_stat(self, MOL_FSREQ_ROOT_INO, "."));
	for (i = 0; i < 10; i++) {
		ino = lookup(self, MOL_FSREQ_ROOT_INO, names[i], &mode);
		ASSERT_GT(ino, 1) TH_LOG("%s: %d", names[i], ino);
		inos[i] = ino;
		host_path(self, names[i], path);
		ASSERT_EQ(0, lstat(path, &st));
		EXPECT_EQ(st.st_mode, mode) TH_LOG("%s", names[i]);
		EXPECT_TRUE(same_stat(self, ino, names[i]))
			TH_LOG("stat of %s", names[i]);
		/* stable: the same inode again */
		EXPECT_EQ(ino, lookup(self, MOL_FSREQ_ROOT_INO, names[i],
				      NULL));
		for (j = 0; j < i; j++)
			EXPECT_NE(inos[j], inos[i]);
	}
	/* a hard link is the same inode */
	EXPECT_EQ((int)inos[0], lookup(self, MOL_FSREQ_ROOT_INO, "data2",
				       NULL));
	/* one level down, and back */
	ino = lookup(self, inos[3], "inner", NULL);
	ASSERT_GT(ino, 1);
	EXPECT_TRUE(same_stat(self, ino, "sub/inner"));
	EXPECT_EQ((int)inos[3], lookup(self, inos[3], ".", NULL));
	EXPECT_EQ(MOL_FSREQ_ROOT_INO, lookup(self, inos[3], "..", NULL));
	EXPECT_EQ(-ENOENT, lookup(self, MOL_FSREQ_ROOT_INO, "nonesuch",
				  NULL));
	EXPECT_EQ(-ENOTDIR, lookup(self, inos[1], "x", NULL));
}

TEST_F(hfs, read_matches_the_host)
{
	unsigned char *want = malloc(DATA_SIZE + 1);
	char path[PATH_MAX];
	size_t off, chunk;
	int ino, fd, rc;
	ssize_t n;

	ASSERT_NE(NULL, want);
	host_path(self, "data", path);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, want, DATA_SIZE + 1);
	close(fd);
	ASSERT_EQ(DATA_SIZE, n);
	ino = lookup(self, MOL_FSREQ_ROOT_INO, "data", NULL);
	ASSERT_GT(ino, 1);
	for (off = 0; off < DATA_SIZE; off += chunk) {
		chunk = 65536;
		rc = req(self, REQ_READ, ino, self->a->g_buf, chunk, off,
			 NULL);
		ASSERT_EQ(DATA_SIZE - off < chunk ? DATA_SIZE - off : chunk,
			  (size_t)rc);
		ASSERT_EQ(0, memcmp(self->a->buf, want + off, rc));
	}
	/* odd offsets and lengths, the end */
	rc = req(self, REQ_READ, ino, self->a->g_buf, 1000, 77777, NULL);
	ASSERT_EQ(1000, rc);
	EXPECT_EQ(0, memcmp(self->a->buf, want + 77777, 1000));
	EXPECT_EQ(123, req(self, REQ_READ, ino, self->a->g_buf, 4096,
			   DATA_SIZE - 123, NULL));
	EXPECT_EQ(0, req(self, REQ_READ, ino, self->a->g_buf, 4096,
			 DATA_SIZE, NULL));
	free(want);
	/* not regular files: no read, and a FIFO does not block */
	EXPECT_EQ(-EISDIR, req(self, REQ_READ, MOL_FSREQ_ROOT_INO,
			       self->a->g_buf, 10, 0, NULL));
	ino = lookup(self, MOL_FSREQ_ROOT_INO, "fifo", NULL);
	EXPECT_EQ(-EINVAL, req(self, REQ_READ, ino, self->a->g_buf, 10, 0,
			       NULL));
	ino = lookup(self, MOL_FSREQ_ROOT_INO, "abs", NULL);
	EXPECT_EQ(-EINVAL, req(self, REQ_READ, ino, self->a->g_buf, 10, 0,
			       NULL));
}

/* All records of directory @ino with a @size buffer: "name ino type\n". */
static int list(F, uint32_t ino, size_t size, char *out, size_t outsize)
{
	struct mol_dirent64 *d;
	struct mol_fsreq r;
	uint64_t pos = 0;
	size_t used = 0, off;
	int rc;

	out[0] = '\0';
	for (;;) {
		rc = req(self, REQ_GETDENTS, ino, self->a->g_buf, size, pos,
			 &r);
		if (rc <= 0)
			return rc;
		for (off = 0; off < (size_t)rc; off += d->d_reclen) {
			d = (struct mol_dirent64 *)(self->a->buf + off);
			used += snprintf(out + used, outsize - used,
					 "%s %llu %u\n", d->d_name,
					 (unsigned long long)d->d_ino,
					 d->d_type);
			if (used >= outsize)
				return -E2BIG;
		}
		pos = r.next_pos;
	}
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the lines of @s in place (for comparing listings). */
static void sort_lines(char *s)
{
	char *lines[64], *copy = strdup(s), *p, *save = NULL;
	size_t n = 0, i, len = 0;

	for (p = strtok_r(copy, "\n", &save); p && n < 64;
	     p = strtok_r(NULL, "\n", &save))
		lines[n++] = p;
	qsort(lines, n, sizeof(*lines), cmp_lines);
	for (i = 0; i < n; i++)
		len += sprintf(s + len, "%s\n", lines[i]);
	free(copy);
}

TEST_F(hfs, getdents_matches_the_host)
{
	char want[4096], got[4096], small[4096];
	struct dirent *e;
	size_t used = 0;
	int ino, sub;
	DIR *d;

	/* the host's names and types, with the server's inode numbers */
	d = opendir(self->root);
	ASSERT_NE(NULL, d);
	sub = lookup(self, MOL_FSREQ_ROOT_INO, "sub", NULL);
	while ((e = readdir(d))) {
		ino = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ?
		      MOL_FSREQ_ROOT_INO :
		      lookup(self, MOL_FSREQ_ROOT_INO, e->d_name, NULL);
		ASSERT_GT(ino, 0) TH_LOG("%s", e->d_name);
		used += snprintf(want + used, sizeof(want) - used,
				 "%s %d %u\n", e->d_name, ino, e->d_type);
	}
	closedir(d);
	sort_lines(want);
	ASSERT_EQ(0, list(self, MOL_FSREQ_ROOT_INO, 65536, got,
			  sizeof(got)));
	sort_lines(got);
	EXPECT_STREQ(want, got);
	/* the same in small pieces (the longest record is 120 bytes) */
	ASSERT_EQ(0, list(self, MOL_FSREQ_ROOT_INO, 128, small,
			  sizeof(small)));
	sort_lines(small);
	EXPECT_STREQ(want, small);
	/* too small for one record */
	EXPECT_EQ(-EINVAL, req(self, REQ_GETDENTS, MOL_FSREQ_ROOT_INO,
			       self->a->g_buf, 8, 0, NULL));
	EXPECT_EQ(-EINVAL, list(self, MOL_FSREQ_ROOT_INO, 64, small,
				sizeof(small)));
	EXPECT_EQ(-ENOTDIR, req(self, REQ_GETDENTS,
				lookup(self, MOL_FSREQ_ROOT_INO, "small",
				       NULL),
				self->a->g_buf, 4096, 0, NULL));
	/* sub: "." is sub, ".." the root */
	ASSERT_EQ(0, list(self, sub, 4096, got, sizeof(got)));
	sort_lines(got);
	snprintf(want, sizeof(want), ". %d 4\n.. 1 4\ninner %d 8\n", sub,
		 lookup(self, sub, "inner", NULL));
	EXPECT_STREQ(want, got);
}

TEST_F(hfs, readlink_returns_the_text)
{
	static const char *const links[] = { "abs", "rel", "up", "outlink" };
	char path[PATH_MAX], want[PATH_MAX];
	unsigned int i;
	ssize_t n;
	int ino, rc;

	for (i = 0; i < 4; i++) {
		host_path(self, links[i], path);
		n = readlink(path, want, sizeof(want));
		ASSERT_GT(n, 0);
		ino = lookup(self, MOL_FSREQ_ROOT_INO, links[i], NULL);
		rc = req(self, REQ_RDLINK, ino, self->a->g_buf, 4096, 0,
			 NULL);
		ASSERT_EQ(n, rc) TH_LOG("%s", links[i]);
		EXPECT_EQ(0, memcmp(want, self->a->buf, n));
	}
	/* truncated to the buffer, as readlink(2) */
	ino = lookup(self, MOL_FSREQ_ROOT_INO, "abs", NULL);
	EXPECT_EQ(4, req(self, REQ_RDLINK, ino, self->a->g_buf, 4, 0, NULL));
	EXPECT_EQ(-EINVAL, req(self, REQ_RDLINK, lookup(self,
			       MOL_FSREQ_ROOT_INO, "small", NULL),
			       self->a->g_buf, 4096, 0, NULL));
}

TEST_F(hfs, statvfs_and_hostpath)
{
	char real[PATH_MAX], want[PATH_MAX + 16];
	struct mol_statvfs mv;
	struct statvfs sv;
	int ino, rc;

	ASSERT_EQ(0, req(self, REQ_STATVFS, MOL_FSREQ_ROOT_INO,
			 self->a->g_buf, sizeof(mv), 0, NULL));
	memcpy(&mv, self->a->buf, sizeof(mv));
	ASSERT_EQ(0, statvfs(self->root, &sv));
	EXPECT_EQ(sv.f_bsize, mv.f_bsize);
	EXPECT_EQ(sv.f_blocks, mv.f_blocks);
	EXPECT_EQ(sv.f_files, mv.f_files);
	EXPECT_EQ(sv.f_namemax, mv.f_namemax);
	EXPECT_TRUE(mv.f_flag & MOL_MS_RDONLY);

	ASSERT_NE(NULL, realpath(self->root, real));
	ino = lookup(self, MOL_FSREQ_ROOT_INO, "sub", NULL);
	ino = lookup(self, ino, "inner", NULL);
	rc = req(self, REQ_HOSTPATH, ino, self->a->g_buf, 4096, 0, NULL);
	snprintf(want, sizeof(want), "%s/sub/inner", real);
	ASSERT_EQ((int)strlen(want), rc);
	EXPECT_STREQ(want, (char *)self->a->buf);
	EXPECT_EQ(-ENAMETOOLONG, req(self, REQ_HOSTPATH, ino, self->a->g_buf,
				     5, 0, NULL));
	rc = req(self, REQ_HOSTPATH, MOL_FSREQ_ROOT_INO, self->a->g_buf,
		 4096, 0, NULL);
	EXPECT_EQ((int)strlen(real), rc);
	EXPECT_STREQ(real, (char *)self->a->buf);
}

TEST_F(hfs, every_write_is_erofs)
{
	int type, ino = lookup(self, MOL_FSREQ_ROOT_INO, "small", NULL);
	char path[PATH_MAX], buf[16];
	int fd;

	for (type = FSREQ_FIRST_WRITE; type < FSREQ_BASE + FSREQ_NR_CALLS;
	     type++) {
		strcpy(self->a->name, "new");
		EXPECT_EQ(-EROFS, req(self, type, ino, self->a->g_name, 3, 0,
				      NULL)) TH_LOG("request %#x", type);
		EXPECT_EQ(-EROFS, req(self, type, MOL_FSREQ_ROOT_INO, 0, 0,
				      0, NULL)) TH_LOG("request %#x", type);
	}
	/* and nothing changed on the host */
	host_path(self, "small", path);
	fd = open(path, O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(6, read(fd, buf, sizeof(buf)));
	close(fd);
	host_path(self, "new", path);
	EXPECT_NE(0, access(path, F_OK));
}

TEST_F(hfs, escapes_stay_inside)
{
	char path[PATH_MAX], moved[PATH_MAX], out[PATH_MAX];
	struct mol_stat ms;
	uint32_t mode;
	int ino, sub, inner;

	/* ".." of the root is the root, again and again */
	EXPECT_EQ(MOL_FSREQ_ROOT_INO, lookup(self, MOL_FSREQ_ROOT_INO, "..",
					     NULL));
	/* a path is not a name */
	EXPECT_EQ(-EINVAL, lookup(self, MOL_FSREQ_ROOT_INO,
				  "../outside/secret", NULL));
	EXPECT_EQ(-EINVAL, lookup(self, MOL_FSREQ_ROOT_INO, "sub/inner",
				  NULL));
	EXPECT_EQ(-EINVAL, lookup(self, MOL_FSREQ_ROOT_INO, "/etc", NULL));
	/* links are never followed by the server: they stay links */
	ino = lookup(self, MOL_FSREQ_ROOT_INO, "up", &mode);
	ASSERT_GT(ino, 1);
	EXPECT_TRUE(S_ISLNK(mode));
	ASSERT_EQ(0, rstat(self, ino, &ms));
	EXPECT_TRUE(S_ISLNK(ms.st_mode));
	EXPECT_EQ(-EINVAL, req(self, REQ_READ, ino, self->a->g_buf, 10, 0,
			       NULL));
	ino = lookup(self, MOL_FSREQ_ROOT_INO, "outlink", &mode);
	EXPECT_TRUE(S_ISLNK(mode));
	EXPECT_EQ(-ENOTDIR, lookup(self, ino, "secret", NULL));
	EXPECT_EQ(-ENOTDIR, req(self, REQ_GETDENTS, ino, self->a->g_buf,
				4096, 0, NULL));

	/*
	 * The host swaps a directory the server knows for a link leading
	 * out: the known inodes below it are gone, not the outside's.
	 */
	sub = lookup(self, MOL_FSREQ_ROOT_INO, "sub", NULL);
	inner = lookup(self, sub, "inner", NULL);
	ASSERT_GT(inner, 1);
	/* read once: a descriptor the server may keep must not matter */
	ASSERT_EQ(6, req(self, REQ_READ, inner, self->a->g_buf, 100, 0,
			 NULL));
	host_path(self, "sub", path);
	snprintf(moved, sizeof(moved), "%s/../sub-moved", self->root);
	ASSERT_EQ(0, rename(path, moved));
	snprintf(out, sizeof(out), "%s/outside", self->dir);
	ASSERT_EQ(0, symlink(out, path));
	ASSERT_EQ(0, put(out, "inner", "outside!\n", 9));
	EXPECT_EQ(-ENOENT, rstat(self, inner, &ms));
	EXPECT_EQ(-ENOENT, req(self, REQ_READ, inner, self->a->g_buf, 100, 0,
			       NULL));
	EXPECT_EQ(-ENOENT, lookup(self, sub, "inner", NULL));
	EXPECT_EQ(-ENOENT, req(self, REQ_GETDENTS, sub, self->a->g_buf,
			       4096, 0, NULL));
	/* the name "sub" is now a link, looked up as one */
	ino = lookup(self, MOL_FSREQ_ROOT_INO, "sub", &mode);
	EXPECT_TRUE(S_ISLNK(mode));
	EXPECT_NE(sub, ino);
}

TEST_F(hfs, malformed_requests_are_refused)
{
	struct mol_message m;
	struct mol_fsreq *b = MOL_BODY(&m, struct mol_fsreq);
	char longname[300];
	int ino = lookup(self, MOL_FSREQ_ROOT_INO, "small", NULL);

	ASSERT_GT(ino, 1);
	EXPECT_EQ(-ENOSYS, req(self, FSREQ_BASE - 1, 1, 0, 0, 0, NULL));
	EXPECT_EQ(-ENOSYS, req(self, FSREQ_BASE + FSREQ_NR_CALLS, 1, 0, 0, 0,
			       NULL));
	EXPECT_EQ(-ENOSYS, req(self, FS_STAT, 1, 0, 0, 0, NULL));
	/* unknown inodes */
	EXPECT_EQ(-ESTALE, req(self, REQ_STAT, 0, self->a->g_buf, 104, 0,
			       NULL));
	EXPECT_EQ(-ESTALE, req(self, REQ_STAT, 0x7fffffff, self->a->g_buf,
			       104, 0, NULL));
	/* an export that does not exist */
	memset(&m, 0, sizeof(m));
	m.m_type = REQ_STAT;
	b->export = 1;
	b->ino = 1;
	b->grant = self->a->g_buf;
	b->len = sizeof(struct mol_stat);
	EXPECT_EQ(-ENXIO, raw(self->a, &self->fs, &m));
	/* out fields and the rest of the body must be zero */
	b->export = 0;
	b->out_ino = 5;
	EXPECT_EQ(-EINVAL, raw(self->a, &self->fs, &m));
	b->out_ino = 0;
	b->next_pos = 1;
	EXPECT_EQ(-EINVAL, raw(self->a, &self->fs, &m));
	b->next_pos = 0;
	m.m_u.m_raw[sizeof(*b)] = 1;
	EXPECT_EQ(-EINVAL, raw(self->a, &self->fs, &m));
	m.m_u.m_raw[sizeof(*b)] = 0;
	EXPECT_EQ(0, raw(self->a, &self->fs, &m));
	/* a position where none is taken */
	EXPECT_EQ(-EINVAL, req(self, REQ_STAT, 1, self->a->g_buf, 104, 8,
			       NULL));
	/* sizes */
	EXPECT_EQ(-EINVAL, req(self, REQ_READ, ino, self->a->g_buf,
			       MOL_FSREQ_IO_MAX + 1, 0, NULL));
	EXPECT_EQ(-EINVAL, req(self, REQ_READ, ino, self->a->g_buf, 10,
			       1ULL << 63, NULL));
	EXPECT_EQ(-EFAULT, req(self, REQ_STAT, 1, self->a->g_buf, 50, 0,
			       NULL));
	/* bad grants: unknown, or too short for what is asked */
	EXPECT_EQ(-EFAULT, req(self, REQ_STAT, 1, 12345, 104, 0, NULL));
	EXPECT_EQ(-EFAULT, req(self, REQ_READ, ino, 12345, 6, 0, NULL));
	EXPECT_EQ(-EFAULT, req(self, REQ_READ, ino, self->a->g_name, 6, 0,
			       NULL));	/* read-only grant */
	/* names */
	EXPECT_EQ(-ENOENT, req(self, REQ_LOOKUP, 1, self->a->g_name, 0, 0,
			       NULL));
	memset(longname, 'x', sizeof(longname));
	longname[256] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, lookup(self, 1, longname, NULL));
	memcpy(self->a->name, "sm\0ll", 5);
	EXPECT_EQ(-EINVAL, req(self, REQ_LOOKUP, 1, self->a->g_name, 5, 0,
			       NULL));
	/* only FS may ask */
	memset(&m, 0, sizeof(m));
	m.m_type = REQ_STAT;
	b->ino = 1;
	b->grant = self->u->g_buf;
	b->len = sizeof(struct mol_stat);
	EXPECT_EQ(-EPERM, raw(self->u, &self->user, &m));
	/* and the server still serves */
	EXPECT_EQ(ino, lookup(self, MOL_FSREQ_ROOT_INO, "small", NULL));
}

/* ---------------------------------------------------------------- */
/* Through molfs: mounts by disk minor and of the server              */
/* ---------------------------------------------------------------- */

#define IMG_BLOCKS	4096
#define AGENT_SLOT	10	/* a boot slot: FS knows it, uid 0 */

/*
 * moldisk (minor 0 the root image, 1 the data image), molhostfs
 * exporting root/, molfs --disk 0 (as the launcher starts them), and an
 * agent that makes FS calls.
 */
FIXTURE(vfs) {
	struct mt_inst in;
	struct mt_proc disk, hfs, fs, agent;
	struct agent *a;
	char dir[256];
	char root[1024];
	char img[2][1100];
	char bin[3][PATH_MAX];
};

static int mkimage(const char *path)
{
	char cmd[PATH_MAX + 64];
	int fd;

	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)IMG_BLOCKS * 1024) < 0)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "mkfs.minix -3 '%s' %d >/dev/null", path,
		 IMG_BLOCKS);
	return system(cmd);
}

FIXTURE_SETUP(vfs)
{
	char *disk_argv[4], *hfs_argv[3], *fs_argv[4];
	struct molipc_priv up;
	int rc, i;

	snprintf(self->dir, sizeof(self->dir), "%s/hostvfs.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, make_tree(self->dir, self->root, sizeof(self->root)));
	for (i = 0; i < 2; i++) {
		snprintf(self->img[i], sizeof(self->img[i]), "%s/%d.img",
			 self->dir, i);
		ASSERT_EQ(0, mkimage(self->img[i]));
	}
	ASSERT_NE(NULL, mt_program_path("MOLDISK", "moldisk", self->bin[0],
					PATH_MAX));
	ASSERT_NE(NULL, mt_program_path("MOLHOSTFS", "molhostfs",
					self->bin[1], PATH_MAX));
	ASSERT_NE(NULL, mt_program_path("MOLFS", "molfs", self->bin[2],
					PATH_MAX));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, access(self->bin[i], X_OK))
			TH_LOG("%s: not found", self->bin[i]);

	rc = mt_inst_create(&self->in, MT_NR_PROCS);
	ASSERT_EQ(0, rc) TH_LOG("instance over %s: %s", mt_transport(),
				mol_strerror(rc));
	disk_argv[0] = self->bin[0];
	disk_argv[1] = self->img[0];
	disk_argv[2] = self->img[1];
	disk_argv[3] = NULL;
	hfs_argv[0] = self->bin[1];
	hfs_argv[1] = self->root;
	hfs_argv[2] = NULL;
	fs_argv[0] = self->bin[2];
	fs_argv[1] = "--disk";
	fs_argv[2] = "0";
	fs_argv[3] = NULL;
	ASSERT_EQ(0, mt_spawn(&self->disk, &self->in, MOL_DISK, NULL,
			      MT_NO_OPEN, server_fn, disk_argv));
	ASSERT_EQ(0, mt_wait_state(&self->in, MOL_DISK,
				   MOLIPC_PSTATE_RECEIVING, MT_ANY_PEER,
				   MT_WAIT_MS)) TH_LOG("moldisk did not start");
	ASSERT_EQ(0, mt_spawn(&self->hfs, &self->in, MOL_HOSTFS, NULL,
			      MT_NO_OPEN, server_fn, hfs_argv));
	ASSERT_EQ(0, mt_wait_state(&self->in, MOL_HOSTFS,
				   MOLIPC_PSTATE_RECEIVING, MT_ANY_PEER,
				   MT_WAIT_MS)) TH_LOG("molhostfs did not start");
	ASSERT_EQ(0, mt_spawn(&self->fs, &self->in, MOL_FS, NULL,
			      MT_NO_OPEN, server_fn, fs_argv));
	ASSERT_EQ(0, mt_wait_state(&self->in, MOL_FS,
				   MOLIPC_PSTATE_RECEIVING, MT_ANY_PEER,
				   MT_WAIT_MS)) TH_LOG("molfs did not start");
	self->a = mt_shared_alloc(sizeof(struct agent));
	ASSERT_NE(NULL, self->a);
	self->a->grantee = MOL_FS;
	mt_priv_user(&up);
	ASSERT_EQ(0, mt_spawn(&self->agent, &self->in, AGENT_SLOT, &up, 0,
			      agent_fn, self->a));
	for (rc = 0; rc < MT_WAIT_MS; rc++) {
		if (__atomic_load_n(&self->a->ready, __ATOMIC_ACQUIRE))
			break;
		mt_msleep(1);
	}
	ASSERT_LT(rc, MT_WAIT_MS) TH_LOG("the agent made no grants");
}

FIXTURE_TEARDOWN(vfs)
{
	char cmd[PATH_MAX + 16];

	mt_kill_all();
	mt_inst_destroy(&self->in);
	if (self->a)
		mt_shared_free(self->a, sizeof(struct agent));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", self->dir);
}

#define V	FIXTURE_DATA(vfs) *self

static int fs_call(V, int type, const void *body, size_t len)
{
	struct mol_message m;

	memset(&m, 0, sizeof(m));
	m.m_type = type;
	memcpy(m.m_u.m_raw, body, len);
	return raw(self->a, &self->agent, &m);
}

/* A path call; the path is in the agent's name buffer. */
static int fs_path(V, int type, const char *path, unsigned int flags,
		   unsigned int mode)
{
	struct mol_fs_path b = {
		.dirfd = MOL_AT_FDCWD, .path_grant = self->a->g_name,
		.path_len = strlen(path), .flags = flags, .mode = mode,
		.buf_grant = self->a->g_buf, .buf_len = BUFSZ,
	};

	strcpy(self->a->name, path);
	return fs_call(self, type, &b, sizeof(b));
}

static int fs_stat(V, const char *path, struct mol_stat *st)
{
	int rc = fs_path(self, FS_STAT, path, 0, 0);

	if (rc == 0)
		memcpy(st, self->a->buf, sizeof(*st));
	return rc;
}

static int fs_open(V, const char *path, unsigned int flags,
		   unsigned int mode)
{
	struct mol_fs_open b = {
		.dirfd = MOL_AT_FDCWD, .path_grant = self->a->g_name,
		.path_len = strlen(path), .flags = flags, .mode = mode,
	};

	strcpy(self->a->name, path);
	return fs_call(self, FS_OPEN, &b, sizeof(b));
}

static int fs_io(V, int type, int fd, size_t len)
{
	struct mol_fs_io b = { .fd = fd, .grant = self->a->g_buf,
			       .len = len };

	return fs_call(self, type, &b, sizeof(b));
}

static int fs_close(V, int fd)
{
	struct mol_fs_fd b = { .fd = fd };

	return fs_call(self, FS_CLOSE, &b, sizeof(b));
}

/* FS_MOUNT of @b on @target. */
static int fs_mount(V, struct mol_fs_mount *b, const char *target)
{
	strcpy(self->a->name, target);
	b->target_grant = self->a->g_name;
	b->target_len = strlen(target);
	return fs_call(self, FS_MOUNT, b, sizeof(*b));
}

TEST_F(vfs, mounts_by_minor_and_of_the_server)
{
	struct mol_fs_mount disk1 = { .source_type = MOL_MNT_DISK,
				      .index = 1 };
	struct mol_fs_mount hostfs = { .source_type = MOL_MNT_SERVER,
				       .server = MOL_HOSTFS };
	struct mol_fs_mount b;
	struct mol_stat st_root, st_d, st_h;
	char real[PATH_MAX], want[PATH_MAX + 16], cmd[PATH_MAX + 64];
	int fd, rc;

	ASSERT_EQ(0, fs_path(self, FS_MKDIR, "/d", 0, 0755));
	ASSERT_EQ(0, fs_path(self, FS_MKDIR, "/d2", 0, 0755));
	ASSERT_EQ(0, fs_path(self, FS_MKDIR, "/h", 0, 0755));
	ASSERT_LE(0, fs_open(self, "/h/hidden", MOL_O_CREAT | MOL_O_WRONLY,
			     0644));

	/* bad requests change nothing */
	b = disk1;
	b.source_type = 7;
	EXPECT_EQ(-EINVAL, fs_mount(self, &b, "/d"));
	b = disk1;
	b.source_len = 3;
	EXPECT_EQ(-EINVAL, fs_mount(self, &b, "/d"));
	b = disk1;
	b.server = MOL_HOSTFS;
	EXPECT_EQ(-EINVAL, fs_mount(self, &b, "/d"));
	/* an image file: only for a standalone molfs */
	b = (struct mol_fs_mount){ .source_type = MOL_MNT_IMAGE,
				   .source_grant = self->a->g_buf,
				   .source_len = strlen(self->img[1]) };
	strcpy((char *)self->a->buf, self->img[1]);
	EXPECT_EQ(-EPERM, fs_mount(self, &b, "/d"));
	/* the root's minor, and one the driver does not have */
	b = disk1;
	b.index = 0;
	EXPECT_EQ(-EBUSY, fs_mount(self, &b, "/d"));
	b.index = 9;
	EXPECT_GT(0, fs_mount(self, &b, "/d"));
	/* a server that does not have the export */
	b = hostfs;
	b.index = 3;
	EXPECT_EQ(-EINVAL, fs_mount(self, &b, "/h"));

	/* minor 1 on /d, once */
	b = disk1;
	ASSERT_EQ(0, fs_mount(self, &b, "/d"));
	b = disk1;
	EXPECT_EQ(-EBUSY, fs_mount(self, &b, "/d2"));
	b = disk1;
	EXPECT_EQ(-EBUSY, fs_mount(self, &b, "/d"));
	/* the host tree on /h: it hides what /h had */
	b = hostfs;
	ASSERT_EQ(0, fs_mount(self, &b, "/h"));
	EXPECT_EQ(-ENOENT, fs_stat(self, "/h/hidden", &st_h));

	ASSERT_EQ(0, fs_stat(self, "/", &st_root));
	ASSERT_EQ(0, fs_stat(self, "/d", &st_d));
	ASSERT_EQ(0, fs_stat(self, "/h", &st_h));
	EXPECT_NE(st_root.st_dev, st_d.st_dev);
	EXPECT_NE(st_root.st_dev, st_h.st_dev);
	EXPECT_NE(st_d.st_dev, st_h.st_dev);
	EXPECT_EQ(MOL_FSREQ_ROOT_INO, st_h.st_ino);

	/* host files through FS, read-only */
	ASSERT_EQ(0, fs_stat(self, "/h/small", &st_h));
	EXPECT_EQ(6, st_h.st_size);
	EXPECT_EQ(S_IFREG | 0640, st_h.st_mode);
	fd = fs_open(self, "/h/small", MOL_O_RDONLY, 0);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(6, fs_io(self, FS_READ, fd, 100));
	EXPECT_EQ(0, memcmp(self->a->buf, "hello\n", 6));
	EXPECT_EQ(0, fs_close(self, fd));
	EXPECT_EQ(-EROFS, fs_open(self, "/h/small", MOL_O_WRONLY, 0));
	EXPECT_EQ(-EROFS, fs_open(self, "/h/new", MOL_O_CREAT | MOL_O_RDWR,
				  0644));
	EXPECT_EQ(-EEXIST, fs_open(self, "/h/small", MOL_O_CREAT |
				   MOL_O_EXCL | MOL_O_RDWR, 0644));
	EXPECT_EQ(-EISDIR, fs_open(self, "/h/sub", MOL_O_WRONLY, 0));
	EXPECT_EQ(-EROFS, fs_path(self, FS_MKDIR, "/h/x", 0, 0755));
	EXPECT_EQ(-EEXIST, fs_path(self, FS_MKDIR, "/h/sub", 0, 0755));
	EXPECT_EQ(-ENOENT, fs_path(self, FS_UNLINK, "/h/nonesuch", 0, 0));
	EXPECT_EQ(-EROFS, fs_path(self, FS_UNLINK, "/h/small", 0, 0));
	EXPECT_EQ(-EROFS, fs_path(self, FS_CHMOD, "/h/small", 0, 0600));
	EXPECT_EQ(-EROFS, fs_path(self, FS_ACCESS, "/h/small", 0, W_OK));
	EXPECT_EQ(0, fs_path(self, FS_ACCESS, "/h/small", 0, R_OK));
	/* links are followed in the MoL tree, .. crosses back */
	EXPECT_EQ(0, fs_stat(self, "/h/rel", &st_h));
	EXPECT_EQ(6, st_h.st_size);
	EXPECT_EQ(-ENOENT, fs_stat(self, "/h/up", &st_h));
	EXPECT_EQ(-ENOENT, fs_stat(self, "/h/outlink", &st_h));
	ASSERT_EQ(0, fs_stat(self, "/h/sub/../../d/..", &st_h));
	EXPECT_EQ(st_root.st_dev, st_h.st_dev);
	EXPECT_EQ(st_root.st_ino, st_h.st_ino);

	/* where exec finds a program */
	ASSERT_NE(NULL, realpath(self->root, real));
	snprintf(want, sizeof(want), "%s/prog", real);
	rc = fs_path(self, FS_EXEC_LOCATE, "/h/prog", 0, 0);
	ASSERT_EQ((int)strlen(want), rc);
	EXPECT_STREQ(want, (char *)self->a->buf);
	EXPECT_EQ(-EACCES, fs_path(self, FS_EXEC_LOCATE, "/h/small", 0, 0));
	EXPECT_EQ(-EACCES, fs_path(self, FS_EXEC_LOCATE, "/h/sub", 0, 0));
	EXPECT_EQ(-ENOENT, fs_path(self, FS_EXEC_LOCATE, "/h/none", 0, 0));
	EXPECT_EQ(-EINVAL, fs_path(self, FS_EXEC_LOCATE, "/h/prog", 1, 0));
	fd = fs_open(self, "/d/prog", MOL_O_CREAT | MOL_O_WRONLY, 0755);
	ASSERT_GE(fd, 0);
	memcpy(self->a->buf, "#!/bin/sh\n", 10);
	EXPECT_EQ(10, fs_io(self, FS_WRITE, fd, 10));
	EXPECT_EQ(0, fs_close(self, fd));
	EXPECT_EQ(0, fs_path(self, FS_EXEC_LOCATE, "/d/prog", 0, 0));

	/* the minor's image is written through the driver: clean, ours */
	EXPECT_EQ(0, fs_call(self, FS_SYNC, "", 0));
	snprintf(cmd, sizeof(cmd), "fsck.minix -f '%s' >/dev/null 2>&1",
		 self->img[1]);
	EXPECT_EQ(0, system(cmd));

	/* unmount: what was covered is back */
	EXPECT_EQ(0, fs_path(self, FS_UMOUNT, "/h", 0, 0));
	EXPECT_EQ(0, fs_stat(self, "/h/hidden", &st_h));
	EXPECT_EQ(0, fs_path(self, FS_UMOUNT, "/d", 0, 0));
	EXPECT_EQ(-ENOENT, fs_stat(self, "/d/prog", &st_d));
	/* and the minor can be mounted again */
	b = disk1;
	EXPECT_EQ(0, fs_mount(self, &b, "/d2"));
	EXPECT_EQ(0, fs_stat(self, "/d2/prog", &st_d));
}


MT_HARNESS_MAIN("hostfs", (void)0)

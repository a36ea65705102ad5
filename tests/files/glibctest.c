// SPDX-License-Identifier: GPL-2.0
/*
 * glibctest.c - glibc functions that open files or start programs by
 * themselves (realpath, canonicalize_file_name, nftw, ftw, glob, popen,
 * pclose, posix_spawn, posix_spawnp), as a transcript to compare: run
 * once on the host in a host directory and once under MoL in the MINIX
 * tree (tests/files/run-files.sh), the two outputs must be the same.
 * `mol-glibctest DIR` builds a small tree in DIR (which must not exist)
 * and prints one line per result with paths relative to DIR.  Entry
 * order of a directory differs between file systems: each walk's lines
 * are sorted, and the walk order itself (pre-order, post-order, the cwd
 * of FTW_CHDIR) is checked here and printed as "ok"/"BAD".
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char root[PATH_MAX];	/* DIR, as getcwd says */

/* @path with the root replaced by "DIR" */
static const char *rel(const char *path)
{
	static char buf[4][PATH_MAX + 8];
	static int i;
	size_t n = strlen(root);

	i = (i + 1) % 4;
	if (!strncmp(path, root, n) && (path[n] == '/' || !path[n]))
		snprintf(buf[i], sizeof(buf[i]), "DIR%s", path + n);
	else
		snprintf(buf[i], sizeof(buf[i]), "%s", path);
	return buf[i];
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		fprintf(stderr, "glibctest: %s: %s\n", name, strerror(errno));
		exit(2);
	}
}

static void show_file(const char *name)
{
	char line[256];
	FILE *f = fopen(name, "r");

	if (!f) {
		printf("  %s: %s\n", name, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		printf("  %s: %s", name, line);
	fclose(f);
}

/* ---- realpath ---------------------------------------------------------- */

static void rp(const char *path)
{
	char buf[PATH_MAX], *r;

	errno = 0;
	r = realpath(path, buf);
	if (r)
		printf("realpath(%s) = %s\n", path, rel(r));
	else
		printf("realpath(%s) = NULL %s\n", path, strerror(errno));
}

static void test_realpath(void)
{
	char *r;

	rp("d/f");
	rp("d/l");
	rp("d/up/sub/../f");
	rp("d/abs/h");
	rp("d//sub/./g");
	rp("d/sub/");
	rp("d/rel2");
	rp(".");
	rp("/");
	rp("d/dl");
	rp("loops/loop1");
	rp("d/f/");
	rp("d/f/x");
	rp("d/nope");
	rp("d/nope/..");
	rp("");
	errno = 0;
	r = realpath(NULL, NULL);
	printf("realpath(NULL) = %s %s\n", r ? "?" : "NULL", strerror(errno));
	r = canonicalize_file_name("d/l");
	printf("canonicalize_file_name(d/l) = %s\n", r ? rel(r) : "NULL");
	free(r);
	errno = 0;
	r = canonicalize_file_name("d/dl");
	printf("canonicalize_file_name(d/dl) = %s %s\n", r ? rel(r) : "NULL",
	       strerror(errno));
}

/* ---- nftw ---------------------------------------------------------------- */

#define MAXLINES	64

static char *lines[MAXLINES];
static int nlines, calls, order_bad, cwd_bad, walk_flags, stop_at;
static char seen[MAXLINES][PATH_MAX];
static const char *skip_name;
static int skip_ret, skip_first_file, quiet;

static const char *type_name(int t)
{
	switch (t) {
	case FTW_F: return "F";
	case FTW_D: return "D";
	case FTW_DNR: return "DNR";
	case FTW_DP: return "DP";
	case FTW_NS: return "NS";
	case FTW_SL: return "SL";
	case FTW_SLN: return "SLN";
	}
	return "?";
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is @a an ancestor of (a prefix directory of) @b? */
static int ancestor(const char *a, const char *b)
{
	size_t n = strlen(a);

	return !strncmp(a, b, n) && b[n] == '/';
}

static int cb(const char *path, const struct stat *st, int type,
	      struct FTW *ftw)
{
	char line[PATH_MAX + 64], dir[2 * PATH_MAX];
	struct stat a, b;
	int i, n;

	calls++;
	n = snprintf(line, sizeof(line), "  %s %s base %d level %d", path,
		     type_name(type), ftw->base, ftw->level);
	/* (d/abs's size is the length of an absolute path: not shown) */
	if ((type == FTW_F || type == FTW_SL || type == FTW_SLN) &&
	    strcmp(path + ftw->base, "abs"))
		snprintf(line + n, sizeof(line) - n, " size %lld mode %o",
			 (long long)st->st_size, st->st_mode & 07777);
	if (nlines < MAXLINES)
		lines[nlines] = strdup(line);
	/* pre-order: no descendant seen before; post-order: no ancestor */
	for (i = 0; i < nlines && i < MAXLINES; i++) {
		if (!(walk_flags & FTW_DEPTH) && ancestor(path, seen[i]))
			order_bad++;
		if ((walk_flags & FTW_DEPTH) && ancestor(seen[i], path))
			order_bad++;
	}
	if (nlines < MAXLINES)
		snprintf(seen[nlines], PATH_MAX, "%s", path);
	nlines++;
	if (walk_flags & FTW_CHDIR) {
		/* the cwd: the directory holding @path (FTW_DP: @path) */
		snprintf(dir, sizeof(dir), "%s/%.*s", root,
			 type == FTW_DP ? (int)strlen(path) :
			 ftw->base > 0 ? ftw->base - 1 : 0, path);
		if (stat(dir, &a) || stat(".", &b) || a.st_ino != b.st_ino ||
		    a.st_dev != b.st_dev)
			cwd_bad++;
	}
	if (stop_at && calls == stop_at)
		return stop_at == 3 ? FTW_STOP : 42;
	if (skip_name && !strcmp(path + ftw->base, skip_name))
		return skip_ret;
	if (skip_first_file && type == FTW_F) {
		skip_first_file = 0;
		return FTW_SKIP_SIBLINGS;
	}
	return 0;
}

static int ftw_cb(const char *path, const struct stat *st, int type)
{
	struct FTW ftw = { (int)(strrchr(path, '/') ?
				 strrchr(path, '/') - path + 1 : 0), -1 };

	return cb(path, st, type, &ftw);
}

static void walk(const char *what, const char *dir, int flags, bool old)
{
	int ret, i;

	nlines = calls = order_bad = cwd_bad = 0;
	walk_flags = flags;
	errno = 0;
	if (old)
		ret = ftw(dir, ftw_cb, 4);
	else
		ret = nftw(dir, cb, 4, flags);
	printf("%s(%s) = %d%s%s, %d calls, order %s%s\n", what, dir, ret,
	       ret < 0 ? " " : "", ret < 0 ? strerror(errno) : "", calls,
	       order_bad ? "BAD" : "ok",
	       flags & FTW_CHDIR ? (cwd_bad ? ", cwd BAD" : ", cwd ok") : "");
	if (nlines > MAXLINES)
		nlines = MAXLINES;
	qsort(lines, nlines, sizeof(lines[0]), cmp);
	for (i = 0; i < nlines; i++) {
		if (!quiet)
			printf("%s\n", lines[i]);
		free(lines[i]);
	}
}

static void test_nftw(void)
{
	char cwd[PATH_MAX];

	walk("nftw", "d", 0, false);
	walk("nftw PHYS", "d", FTW_PHYS, false);
	walk("nftw DEPTH|PHYS", "d/", FTW_DEPTH | FTW_PHYS, false);
	walk("nftw CHDIR", "d", FTW_CHDIR | FTW_PHYS, false);
	walk("nftw CHDIR|DEPTH", "./d/sub", FTW_CHDIR | FTW_DEPTH, false);
	walk("nftw CHDIR|DEPTH|PHYS", "d", FTW_CHDIR | FTW_DEPTH | FTW_PHYS,
	     false);
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, root))
		printf("cwd after FTW_CHDIR: %s\n", rel(cwd));
	/*
	 * FTW_MOUNT is not compared: on an overlayfs host (the qemu guest's
	 * root) files and directories have different st_dev.  filetest
	 * checks it under MoL across a real mount.
	 */
	walk("ftw", "d", 0, true);
	skip_name = "sub";
	skip_ret = FTW_SKIP_SUBTREE;
	walk("nftw ACTIONRETVAL skip sub", "d", FTW_ACTIONRETVAL | FTW_PHYS,
	     false);
	skip_name = NULL;
	/* which entries: the directory's order; how many: not */
	quiet = 1;
	skip_first_file = 1;
	walk("nftw ACTIONRETVAL skip siblings", "e/pair", FTW_ACTIONRETVAL,
	     false);
	stop_at = 3;
	walk("nftw ACTIONRETVAL stop", "d", FTW_ACTIONRETVAL, false);
	stop_at = 2;
	walk("nftw stop (non-zero)", "d", 0, false);
	stop_at = 0;
	quiet = 0;
	walk("nftw", "d/f", 0, false);
	walk("nftw", "d/dl", 0, false);
	walk("nftw PHYS", "d/dl", FTW_PHYS, false);
	walk("nftw", "d/nope", 0, false);
	walk("nftw", "", 0, false);
	walk("nftw bad flags", "d", 0x100, false);
}

/* ---- glob ---------------------------------------------------------------- */

static void gl(const char *pattern, int flags)
{
	glob_t g = { 0 };
	size_t i;
	int ret;

	ret = glob(pattern, flags, NULL, &g);
	printf("glob(%s, %#x) = %d:", pattern, flags, ret);
	for (i = 0; !ret && i < g.gl_pathc; i++)
		printf(" %s", g.gl_pathv[i]);
	printf("\n");
	globfree(&g);
}

static void test_glob(void)
{
	gl("d/*", 0);
	gl("d/*", GLOB_MARK);
	gl("d/s*/?", 0);
	gl("*/*/t*", 0);
	gl("d/*", GLOB_ONLYDIR | GLOB_MARK);
	gl("d/nomatch*", 0);
	gl("d/nomatch*", GLOB_NOCHECK);
	gl("d/f", 0);
	gl("d/{f,l}", GLOB_BRACE);
	gl("nope/*", GLOB_ERR);
}

/* ---- popen, posix_spawn -------------------------------------------------- */

static void test_popen(void)
{
	char line[128];
	FILE *f;
	int st;

	f = popen("cat d/f; echo second", "r");
	while (f && fgets(line, sizeof(line), f))
		printf("popen r: %s", line);
	st = f ? pclose(f) : -1;
	printf("pclose = %d exit %d\n", st, WIFEXITED(st) ? WEXITSTATUS(st) :
	       -1);
	f = popen("exit 3", "re");
	st = f ? pclose(f) : -1;
	printf("popen exit 3: exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	f = popen("cat > popen.out; echo done >> popen.out", "w");
	if (f) {
		fputs("written through popen\n", f);
		st = pclose(f);
		printf("popen w: status %d\n", st);
	}
	show_file("popen.out");
	errno = 0;
	f = popen("true", "rw");
	printf("popen mode rw: %s %s\n", f ? "FILE" : "NULL", strerror(errno));
	errno = 0;
	f = popen("true", "");
	printf("popen mode \"\": %s %s\n", f ? "FILE" : "NULL",
	       strerror(errno));
}

static void spawned(const char *what, int ret, pid_t pid)
{
	int st = 0;
	pid_t w = -1;

	if (!ret)
		w = waitpid(pid, &st, 0);
	printf("%s = %s, %s, exit %d\n", what, ret ? strerror(ret) : "0",
	       ret ? "-" : (w == pid ? "waited" : "NOT WAITED"),
	       ret ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

static void test_spawn(void)
{
	char *sh1[] = { "sh", "-c", "echo spawned $0 > sp1.out; exit 7",
			"arg0", NULL };
	char *cat[] = { "cat", NULL };
	char *sh3[] = { "sh", "-c",
			"cat f > ../sp3.out; pwd | sed 's|.*/||' >> ../sp3.out",
			NULL };
	char *sh4[] = { "sh", "-c",
			"kill -USR1 $$; echo survived > sp4.out", NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t set;
	pid_t pid = 0;
	int ret;

	ret = posix_spawn(&pid, "/bin/sh", NULL, NULL, sh1, environ);
	spawned("posix_spawn sh", ret, pid);
	show_file("sp1.out");

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "d/f", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 5, "sp2.out",
					 O_WRONLY | O_CREAT | O_TRUNC, 0640);
	posix_spawn_file_actions_adddup2(&fa, 5, 1);
	posix_spawn_file_actions_addclose(&fa, 5);
	ret = posix_spawnp(&pid, "cat", &fa, NULL, cat, environ);
	posix_spawn_file_actions_destroy(&fa);
	spawned("posix_spawnp cat with open/dup2/close", ret, pid);
	show_file("sp2.out");

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addchdir_np(&fa, "d");
	ret = posix_spawn(&pid, "/bin/sh", &fa, NULL, sh3, environ);
	posix_spawn_file_actions_destroy(&fa);
	spawned("posix_spawn with chdir", ret, pid);
	show_file("sp3.out");

	/* the child's mask from the attributes: USR1 blocked, survives */
	posix_spawnattr_init(&at);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	posix_spawnattr_setsigmask(&at, &set);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	ret = posix_spawn(&pid, "/bin/sh", NULL, &at, sh4, environ);
	posix_spawnattr_destroy(&at);
	spawned("posix_spawn SETSIGMASK", ret, pid);
	show_file("sp4.out");

	pid = 12345;
	ret = posix_spawn(&pid, "d/nope", NULL, NULL, cat, environ);
	spawned("posix_spawn of a missing file", ret, pid);
	printf("  pid untouched: %s\n", pid == 12345 ? "yes" : "no");
	ret = posix_spawn(&pid, "d/f", NULL, NULL, cat, environ);
	spawned("posix_spawn of a non-executable", ret, pid);
	ret = posix_spawnp(&pid, "mol-no-such-program", NULL, NULL, cat,
			   environ);
	spawned("posix_spawnp of a missing program", ret, pid);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "d/nope", O_RDONLY, 0);
	ret = posix_spawnp(&pid, "cat", &fa, NULL, cat, environ);
	posix_spawn_file_actions_destroy(&fa);
	spawned("posix_spawnp, open action fails", ret, pid);
}

int main(int argc, char **argv)
{
	char buf[PATH_MAX + 16];

	if (argc != 2 || mkdir(argv[1], 0755) < 0 || chdir(argv[1]) < 0 ||
	    !getcwd(root, sizeof(root))) {
		fprintf(stderr, "usage: mol-glibctest NEW-DIR (%s)\n",
			strerror(errno));
		return 2;
	}
	umask(022);
	if (mkdir("d", 0755) || mkdir("d/sub", 0755) || mkdir("e", 0755) ||
	    mkdir("e/pair", 0755))
		return 2;
	put("d/f", "data\n");
	put("d/sub/g", "gee\n");
	put("e/h", "aitch\n");
	put("e/pair/one", "1\n");
	put("e/pair/two", "2\n");
	snprintf(buf, sizeof(buf), "%s/e", root);
	if (symlink("f", "d/l") || symlink("nowhere", "d/dl") ||
	    symlink("../d", "d/up") || symlink(buf, "d/abs") ||
	    mkdir("loops", 0755) || symlink("loop2", "loops/loop1") ||
	    symlink("loop1", "loops/loop2") ||
	    symlink("sub/../l", "d/rel2"))
		return 2;
	fflush(stdout);
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_realpath();
	test_nftw();
	test_glob();
	test_popen();
	test_spawn();
	return 0;
}

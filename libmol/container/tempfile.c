// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tempfile.c - the C library's temporary files in the MINIX tree.
 *
 * glibc's mkstemp family, mkdtemp, mktemp, tmpfile, tempnam and tmpnam
 * make their names in __gen_tempname and __path_search, which create
 * and test files through glibc's internal __open/__mkdir/__lstat64: no
 * preload reaches those, so the files would be made on the host.  Here
 * the same algorithms run on the interposed calls, so the files are
 * FS's: a random 6-character suffix from [A-Za-z0-9], retried on EEXIST
 * up to TMP_MAX times; files O_RDWR|O_CREAT|O_EXCL mode 0600 (plus the
 * caller's flags for mkostemp), directories 0700; tmpfile's directory
 * is P_tmpdir (TMPDIR is not looked at, as glibc's), its file unlinked
 * once open; tempnam tries $TMPDIR, then its argument, then P_tmpdir.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "file.h"

#define HOST_CALL()	(!ctr_fs_on || ctr_inlib)

enum temp_kind {
	TEMP_FILE,			/* mkstemp: create and open */
	TEMP_DIR,			/* mkdtemp: mkdir */
	TEMP_NAME,			/* mktemp: a name nothing has */
};

static const char letters[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

static uint64_t random_bits(void)
{
	struct timespec ts;
	uint64_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == sizeof(v))
		return v;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((uint64_t)ts.tv_sec << 32) ^ ts.tv_nsec ^
	       ((uint64_t)getpid() << 16);
}

/*
 * glibc's __gen_tempname: replace the six X before the last @suffixlen
 * characters of @tmpl until @kind succeeds.  Returns the descriptor
 * (TEMP_FILE) or 0, else -1 with errno.
 */
static int gen_tempname(char *tmpl, int suffixlen, int flags,
			enum temp_kind kind)
{
	int saved = errno, fd, i, attempt;
	struct stat st;
	size_t len;
	uint64_t v;
	char *x;

	if (ctr_isnull(tmpl)) {
		errno = EFAULT;
		return -1;
	}
	len = strlen(tmpl);
	if (suffixlen < 0 || len < 6 + (size_t)suffixlen ||
	    strspn(&tmpl[len - suffixlen - 6], "X") < 6) {
		errno = EINVAL;
		return -1;
	}
	x = &tmpl[len - suffixlen - 6];
	for (attempt = 0; attempt < TMP_MAX; attempt++) {
		v = random_bits();
		for (i = 0; i < 6; i++, v /= 62)
			x[i] = letters[v % 62];
		switch (kind) {
		case TEMP_FILE:
			fd = open(tmpl, (flags & ~O_ACCMODE) | O_RDWR |
				  O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
			break;
		case TEMP_DIR:
			fd = mkdir(tmpl, S_IRUSR | S_IWUSR | S_IXUSR);
			break;
		default:
			if (lstat(tmpl, &st) == 0) {
				errno = EEXIST;
				fd = -1;
			} else {
				fd = errno == ENOENT ? 0 : -1;
			}
			break;
		}
		if (fd >= 0) {
			errno = saved;
			return fd;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

#define GEN(tmpl, suffixlen, flags, kind, real, ...)			\
	do {								\
		if (HOST_CALL())					\
			return real(__VA_ARGS__);			\
		return gen_tempname(tmpl, suffixlen, flags, kind);	\
	} while (0)

int mkstemp(char *tmpl)
{
	GEN(tmpl, 0, 0, TEMP_FILE, REAL(int (*)(char *), mkstemp), tmpl);
}

int mkstemp64(char *tmpl)
{
	GEN(tmpl, 0, 0, TEMP_FILE, REAL(int (*)(char *), mkstemp64), tmpl);
}

int mkostemp(char *tmpl, int flags)
{
	GEN(tmpl, 0, flags, TEMP_FILE, REAL(int (*)(char *, int), mkostemp),
	    tmpl, flags);
}

int mkostemp64(char *tmpl, int flags)
{
	GEN(tmpl, 0, flags, TEMP_FILE,
	    REAL(int (*)(char *, int), mkostemp64), tmpl, flags);
}

int mkstemps(char *tmpl, int suffixlen)
{
	GEN(tmpl, suffixlen, 0, TEMP_FILE,
	    REAL(int (*)(char *, int), mkstemps), tmpl, suffixlen);
}

int mkstemps64(char *tmpl, int suffixlen)
{
	GEN(tmpl, suffixlen, 0, TEMP_FILE,
	    REAL(int (*)(char *, int), mkstemps64), tmpl, suffixlen);
}

int mkostemps(char *tmpl, int suffixlen, int flags)
{
	GEN(tmpl, suffixlen, flags, TEMP_FILE,
	    REAL(int (*)(char *, int, int), mkostemps), tmpl, suffixlen,
	    flags);
}

int mkostemps64(char *tmpl, int suffixlen, int flags)
{
	GEN(tmpl, suffixlen, flags, TEMP_FILE,
	    REAL(int (*)(char *, int, int), mkostemps64), tmpl, suffixlen,
	    flags);
}

char *mkdtemp(char *tmpl)
{
	if (HOST_CALL())
		return REAL(char *(*)(char *), mkdtemp)(tmpl);
	return gen_tempname(tmpl, 0, 0, TEMP_DIR) < 0 ? NULL : tmpl;
}

char *mktemp(char *tmpl)
{
	if (HOST_CALL())
		return REAL(char *(*)(char *), mktemp)(tmpl);
	if (gen_tempname(tmpl, 0, 0, TEMP_NAME) < 0 && !ctr_isnull(tmpl))
		tmpl[0] = '\0';
	return tmpl;
}

static bool dir_exists(const char *dir)
{
	struct stat st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * glibc's __path_search: "DIR/PFXXXXXXX" in @tmpl (@len bytes).  DIR is
 * $TMPDIR or @dir if @try_tmpdir and they are directories, else
 * P_tmpdir, else /tmp; PFX at most 5 characters of @pfx ("file").
 */
static int path_search(char *tmpl, size_t len, const char *dir,
		       const char *pfx, bool try_tmpdir)
{
	size_t dlen, plen;
	const char *d;

	if (!pfx || !pfx[0])
		pfx = "file";
	plen = strlen(pfx);
	if (plen > 5)
		plen = 5;
	if (try_tmpdir) {
		d = secure_getenv("TMPDIR");
		if (d && dir_exists(d))
			dir = d;
		else if (!dir || !dir_exists(dir))
			dir = NULL;
	}
	if (!dir) {
		if (dir_exists(P_tmpdir)) {
			dir = P_tmpdir;
		} else if (strcmp(P_tmpdir, "/tmp") && dir_exists("/tmp")) {
			dir = "/tmp";
		} else {
			errno = ENOENT;
			return -1;
		}
	}
	dlen = strlen(dir);
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	if (len < dlen + 1 + plen + 6 + 1) {
		errno = EINVAL;
		return -1;
	}
	snprintf(tmpl, len, "%.*s/%.*sXXXXXX", (int)dlen, dir, (int)plen, pfx);
	return 0;
}

FILE *tmpfile(void)
{
	char name[FILENAME_MAX];
	FILE *f;
	int fd;

	if (HOST_CALL())
		return REAL(FILE *(*)(void), tmpfile)();
	/* glibc tries O_TMPFILE first; MoL's FS has none (EOPNOTSUPP) */
	if (path_search(name, sizeof(name), NULL, "tmpf", false))
		return NULL;
	fd = gen_tempname(name, 0, 0, TEMP_FILE);
	if (fd < 0)
		return NULL;
	unlink(name);
	f = fdopen(fd, "w+b");
	if (!f)
		close(fd);
	return f;
}

FILE *tmpfile64(void)
{
	if (HOST_CALL())
		return REAL(FILE *(*)(void), tmpfile64)();
	return tmpfile();
}

char *tempnam(const char *dir, const char *pfx)
{
	char buf[FILENAME_MAX];

	if (HOST_CALL())
		return REAL(char *(*)(const char *, const char *), tempnam)
			(dir, pfx);
	if (path_search(buf, sizeof(buf), dir, pfx, true) ||
	    gen_tempname(buf, 0, 0, TEMP_NAME))
		return NULL;
	return strdup(buf);
}

char *tmpnam_r(char s[L_tmpnam])
{
	if (HOST_CALL())
		return REAL(char *(*)(char *), tmpnam_r)(s);
	if (!s || path_search(s, L_tmpnam, NULL, NULL, false) ||
	    gen_tempname(s, 0, 0, TEMP_NAME))
		return NULL;
	return s;
}

char *tmpnam(char s[L_tmpnam])
{
	static char buf[L_tmpnam];
	char tmp[L_tmpnam];

	if (HOST_CALL())
		return REAL(char *(*)(char *), tmpnam)(s);
	if (path_search(tmp, sizeof(tmp), NULL, NULL, false) ||
	    gen_tempname(tmp, 0, 0, TEMP_NAME))
		return NULL;
	return strcpy(s ? s : buf, tmp);
}

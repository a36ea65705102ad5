// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * realpath.c - realpath and canonicalize_file_name in the MINIX tree.
 *
 * glibc's realpath resolves with its internal __readlink, __getcwd and
 * __faccessat, which no preload reaches: the answer would be the host's.
 * Here the same walk runs on the interposed getcwd and readlink: each
 * component appended to the resolved prefix, "." dropped, ".." removing
 * the last component, a symbolic link's target spliced in before the
 * rest (an absolute one restarting at "/"), at most MAXSYMLINKS links
 * (ELOOP).  Every component must exist (readlink's ENOENT, ENOTDIR,
 * EACCES); a trailing '/' needs a directory.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/param.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"

#define HOST_CALL()	(!ctr_fs_on || ctr_inlib)

/* Resolve @path into @out (PATH_MAX bytes); 0 or -1 with errno. */
static int resolve(const char *path, char *out)
{
	char rest[PATH_MAX], link[PATH_MAX], *p, *end;
	size_t len, prev, clen, rlen;
	int links = 0;
	struct stat st;
	ssize_t n;

	if (ctr_isnull(path)) {
		errno = EINVAL;
		return -1;
	}
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	if (strlen(path) >= sizeof(rest)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(rest, path);
	if (rest[0] == '/') {
		strcpy(out, "/");
	} else if (!getcwd(out, PATH_MAX)) {
		return -1;
	}
	len = strlen(out);
	p = rest;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = p;
		while (*end && *end != '/')
			end++;
		clen = end - p;
		if (clen == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		if (clen == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 1 && out[len - 1] != '/')
				len--;
			if (len > 1)
				len--;
			out[len] = '\0';
			p = end;
			continue;
		}
		if (len + 1 + clen >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		prev = len;
		if (len > 1)
			out[len++] = '/';
		memcpy(out + len, p, clen);
		out[len + clen] = '\0';
		n = readlink(out, link, sizeof(link) - 1);
		if (n < 0) {
			if (errno != EINVAL)
				return -1;
			/* not a link; "name/" must be a directory */
			if (*end == '/') {
				if (stat(out, &st) < 0)
					return -1;
				if (!S_ISDIR(st.st_mode)) {
					errno = ENOTDIR;
					return -1;
				}
			}
			len += clen;
			p = end;
			continue;
		}
		if (++links > MAXSYMLINKS) {
			errno = ELOOP;
			return -1;
		}
		link[n] = '\0';
		rlen = strlen(end);
		if ((size_t)n + rlen + 1 > sizeof(rest)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memmove(rest + n, end, rlen + 1);
		memcpy(rest, link, n);
		p = rest;
		len = prev;		/* drop the link's name */
		out[len] = '\0';
		if (link[0] == '/') {
			strcpy(out, "/");
			len = 1;
		}
	}
	return 0;
}

char *realpath(const char *path, char *resolved)
{
	char buf[PATH_MAX];

	if (HOST_CALL())
		return REAL(char *(*)(const char *, char *), realpath)
			(path, resolved);
	if (resolve(path, buf) < 0)
		return NULL;
	if (!resolved)
		return strdup(buf);
	return strcpy(resolved, buf);
}

char *__realpath_chk(const char *path, char *resolved, size_t len)
{
	if (HOST_CALL())
		return REAL(char *(*)(const char *, char *, size_t),
			    __realpath_chk)(path, resolved, len);
	if (resolved && len < PATH_MAX)
		abort();	/* glibc's __chk_fail: a buffer overflow */
	return realpath(path, resolved);
}

char *canonicalize_file_name(const char *path)
{
	if (HOST_CALL())
		return REAL(char *(*)(const char *), canonicalize_file_name)
			(path);
	return realpath(path, NULL);
}

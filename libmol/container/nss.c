// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * nss.c - the user and group databases of the MINIX tree.
 *
 * glibc's getpwnam & co. go through NSS, whose "files" module reads the
 * host's /etc/passwd and /etc/group with internal calls.  In MoL they
 * are the MINIX tree's: each lookup reads /etc/passwd or /etc/group
 * through FS (the interposed fopen) and parses it with glibc's own
 * fgetpwent_r/fgetgrent_r (the "files" format; comments and bad lines
 * skipped).  An absent or unreadable file is an empty database: no
 * entry, no error, as glibc's lookup in an empty file.  Not found:
 * NULL (result NULL, return 0 for the _r calls) with errno untouched; a
 * buffer too small for an _r call: ERANGE.  getgrouplist reads
 * /etc/group the same way; initgroups (setgroups) and the shadow files
 * are not interposed.
 */
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

#define HOST_CALL()	(!ctr_fs_on || ctr_inlib)

#define PASSWD_FILE	"/etc/passwd"
#define GROUP_FILE	"/etc/group"

enum key_kind { BY_NAME, BY_ID };

struct key {
	enum key_kind kind;
	const char *name;
	unsigned int id;
};

static bool pw_match(const struct passwd *pw, const struct key *k)
{
	return k->kind == BY_NAME ? !strcmp(pw->pw_name, k->name) :
				    pw->pw_uid == k->id;
}

static bool gr_match(const struct group *gr, const struct key *k)
{
	return k->kind == BY_NAME ? !strcmp(gr->gr_name, k->name) :
				    gr->gr_gid == k->id;
}

/* The first entry of /etc/passwd matching @k: 0 (*res NULL if none). */
static int pw_find(const struct key *k, struct passwd *pw, char *buf,
		   size_t len, struct passwd **res)
{
	int saved = errno, ret;
	FILE *f;

	*res = NULL;
	f = fopen(PASSWD_FILE, "re");
	if (!f) {
		errno = saved;
		return 0;
	}
	while (!(ret = fgetpwent_r(f, pw, buf, len, res))) {
		if (pw_match(pw, k))
			break;
		*res = NULL;
	}
	fclose(f);
	if (ret == ERANGE) {
		*res = NULL;
		errno = ERANGE;
		return ERANGE;
	}
	errno = saved;
	return 0;
}

static int gr_find(const struct key *k, struct group *gr, char *buf,
		   size_t len, struct group **res)
{
	int saved = errno, ret;
	FILE *f;

	*res = NULL;
	f = fopen(GROUP_FILE, "re");
	if (!f) {
		errno = saved;
		return 0;
	}
	while (!(ret = fgetgrent_r(f, gr, buf, len, res))) {
		if (gr_match(gr, k))
			break;
		*res = NULL;
	}
	fclose(f);
	if (ret == ERANGE) {
		*res = NULL;
		errno = ERANGE;
		return ERANGE;
	}
	errno = saved;
	return 0;
}

/* The static result of the non-reentrant calls, its buffer grown. */
static struct passwd pw_static;
static struct group gr_static;
static char *pw_buf, *gr_buf;
static size_t pw_len, gr_len;
static pthread_mutex_t nss_lock = PTHREAD_MUTEX_INITIALIZER;

static bool grow(char **buf, size_t *len)
{
	size_t n = *len ? 2 * *len : 1024;
	char *b = realloc(*buf, n);

	if (!b)
		return false;
	*buf = b;
	*len = n;
	return true;
}

static struct passwd *pw_static_find(const struct key *k)
{
	struct passwd *res = NULL;
	int saved = errno;

	pthread_mutex_lock(&nss_lock);
	while ((pw_buf || grow(&pw_buf, &pw_len)) &&
	       pw_find(k, &pw_static, pw_buf, pw_len, &res) == ERANGE &&
	       grow(&pw_buf, &pw_len))
		;
	pthread_mutex_unlock(&nss_lock);
	if (res)
		errno = saved;
	return res;
}

static struct group *gr_static_find(const struct key *k)
{
	struct group *res = NULL;
	int saved = errno;

	pthread_mutex_lock(&nss_lock);
	while ((gr_buf || grow(&gr_buf, &gr_len)) &&
	       gr_find(k, &gr_static, gr_buf, gr_len, &res) == ERANGE &&
	       grow(&gr_buf, &gr_len))
		;
	pthread_mutex_unlock(&nss_lock);
	if (res)
		errno = saved;
	return res;
}

struct passwd *getpwnam(const char *name)
{
	if (HOST_CALL())
		return REAL(struct passwd *(*)(const char *), getpwnam)(name);
	if (ctr_isnull(name))
		return NULL;
	return pw_static_find(&(struct key){ BY_NAME, name, 0 });
}

struct passwd *getpwuid(uid_t uid)
{
	if (HOST_CALL())
		return REAL(struct passwd *(*)(uid_t), getpwuid)(uid);
	return pw_static_find(&(struct key){ BY_ID, NULL, uid });
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t len,
	       struct passwd **res)
{
	if (HOST_CALL())
		return REAL(int (*)(const char *, struct passwd *, char *,
				    size_t, struct passwd **), getpwnam_r)
			(name, pw, buf, len, res);
	if (ctr_isnull(name)) {
		*res = NULL;
		return 0;
	}
	return pw_find(&(struct key){ BY_NAME, name, 0 }, pw, buf, len, res);
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t len,
	       struct passwd **res)
{
	if (HOST_CALL())
		return REAL(int (*)(uid_t, struct passwd *, char *, size_t,
				    struct passwd **), getpwuid_r)
			(uid, pw, buf, len, res);
	return pw_find(&(struct key){ BY_ID, NULL, uid }, pw, buf, len, res);
}

struct group *getgrnam(const char *name)
{
	if (HOST_CALL())
		return REAL(struct group *(*)(const char *), getgrnam)(name);
	if (ctr_isnull(name))
		return NULL;
	return gr_static_find(&(struct key){ BY_NAME, name, 0 });
}

struct group *getgrgid(gid_t gid)
{
	if (HOST_CALL())
		return REAL(struct group *(*)(gid_t), getgrgid)(gid);
	return gr_static_find(&(struct key){ BY_ID, NULL, gid });
}

int getgrnam_r(const char *name, struct group *gr, char *buf, size_t len,
	       struct group **res)
{
	if (HOST_CALL())
		return REAL(int (*)(const char *, struct group *, char *,
				    size_t, struct group **), getgrnam_r)
			(name, gr, buf, len, res);
	if (ctr_isnull(name)) {
		*res = NULL;
		return 0;
	}
	return gr_find(&(struct key){ BY_NAME, name, 0 }, gr, buf, len, res);
}

int getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t len,
	       struct group **res)
{
	if (HOST_CALL())
		return REAL(int (*)(gid_t, struct group *, char *, size_t,
				    struct group **), getgrgid_r)
			(gid, gr, buf, len, res);
	return gr_find(&(struct key){ BY_ID, NULL, gid }, gr, buf, len, res);
}

/*
 * getgrouplist: @group first, then every group of /etc/group naming
 * @user as a member but @group (nss_files' initgroups); -1 with
 * *@ngroups the number needed when they do not fit.
 */
int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups)
{
	struct group gr, *res;
	int saved = errno, n = 1, i, ret;
	size_t len = 1024;
	char *buf, *b;
	FILE *f;

	if (HOST_CALL())
		return REAL(int (*)(const char *, gid_t, gid_t *, int *),
			    getgrouplist)(user, group, groups, ngroups);
	if (*ngroups > 0)
		groups[0] = group;
	buf = malloc(len);
	f = buf ? fopen(GROUP_FILE, "re") : NULL;
	while (f) {
		ret = fgetgrent_r(f, &gr, buf, len, &res);
		if (ret == ERANGE) {
			b = realloc(buf, 2 * len);
			if (!b)
				break;
			buf = b;
			len *= 2;
			continue;
		}
		if (ret)
			break;
		if (gr.gr_gid == group)
			continue;
		for (i = 0; gr.gr_mem[i]; i++) {
			if (strcmp(gr.gr_mem[i], user))
				continue;
			if (n < *ngroups)
				groups[n] = gr.gr_gid;
			n++;
			break;
		}
	}
	if (f)
		fclose(f);
	free(buf);
	errno = saved;
	ret = n > *ngroups ? -1 : n;
	*ngroups = n;
	return ret;
}

/* ---------------------------------------------------------------- */
/* Enumeration: getpwent, getgrent                                   */
/* ---------------------------------------------------------------- */

static FILE *pw_ent, *gr_ent;

void setpwent(void)
{
	if (HOST_CALL()) {
		REAL(void (*)(void), setpwent)();
		return;
	}
	pthread_mutex_lock(&nss_lock);
	if (pw_ent)
		rewind(pw_ent);
	pthread_mutex_unlock(&nss_lock);
}

void endpwent(void)
{
	if (HOST_CALL()) {
		REAL(void (*)(void), endpwent)();
		return;
	}
	pthread_mutex_lock(&nss_lock);
	if (pw_ent)
		fclose(pw_ent);
	pw_ent = NULL;
	pthread_mutex_unlock(&nss_lock);
}

int getpwent_r(struct passwd *pw, char *buf, size_t len,
	       struct passwd **res)
{
	int saved = errno, ret = 0;

	if (HOST_CALL())
		return REAL(int (*)(struct passwd *, char *, size_t,
				    struct passwd **), getpwent_r)
			(pw, buf, len, res);
	*res = NULL;
	pthread_mutex_lock(&nss_lock);
	if (!pw_ent)
		pw_ent = fopen(PASSWD_FILE, "re");
	if (pw_ent)
		ret = fgetpwent_r(pw_ent, pw, buf, len, res);
	pthread_mutex_unlock(&nss_lock);
	if (ret == ERANGE) {
		errno = ERANGE;
		return ERANGE;
	}
	if (!*res) {
		errno = ENOENT;		/* the end, as glibc's */
		return ENOENT;
	}
	errno = saved;
	return 0;
}

struct passwd *getpwent(void)
{
	static struct passwd pw;
	static char *buf;
	static size_t len;
	struct passwd *res = NULL;
	int saved = errno;

	if (HOST_CALL())
		return REAL(struct passwd *(*)(void), getpwent)();
	if (!buf && !grow(&buf, &len))
		return NULL;
	while (getpwent_r(&pw, buf, len, &res) == ERANGE && grow(&buf, &len))
		;
	if (!res && errno == ENOENT)
		errno = saved;		/* the end is no error */
	return res;
}

void setgrent(void)
{
	if (HOST_CALL()) {
		REAL(void (*)(void), setgrent)();
		return;
	}
	pthread_mutex_lock(&nss_lock);
	if (gr_ent)
		rewind(gr_ent);
	pthread_mutex_unlock(&nss_lock);
}

void endgrent(void)
{
	if (HOST_CALL()) {
		REAL(void (*)(void), endgrent)();
		return;
	}
	pthread_mutex_lock(&nss_lock);
	if (gr_ent)
		fclose(gr_ent);
	gr_ent = NULL;
	pthread_mutex_unlock(&nss_lock);
}

int getgrent_r(struct group *gr, char *buf, size_t len, struct group **res)
{
	int saved = errno, ret = 0;

	if (HOST_CALL())
		return REAL(int (*)(struct group *, char *, size_t,
				    struct group **), getgrent_r)
			(gr, buf, len, res);
	*res = NULL;
	pthread_mutex_lock(&nss_lock);
	if (!gr_ent)
		gr_ent = fopen(GROUP_FILE, "re");
	if (gr_ent)
		ret = fgetgrent_r(gr_ent, gr, buf, len, res);
	pthread_mutex_unlock(&nss_lock);
	if (ret == ERANGE) {
		errno = ERANGE;
		return ERANGE;
	}
	if (!*res) {
		errno = ENOENT;
		return ENOENT;
	}
	errno = saved;
	return 0;
}

struct group *getgrent(void)
{
	static struct group gr;
	static char *buf;
	static size_t len;
	struct group *res = NULL;
	int saved = errno;

	if (HOST_CALL())
		return REAL(struct group *(*)(void), getgrent)();
	if (!buf && !grow(&buf, &len))
		return NULL;
	while (getgrent_r(&gr, buf, len, &res) == ERANGE && grow(&buf, &len))
		;
	if (!res && errno == ENOENT)
		errno = saved;		/* the end is no error */
	return res;
}

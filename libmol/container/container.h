/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * container.h - the libmol container (libmol.so only): a program
 * preloaded with libmol.so and MOL_CONTAINER=1 is a MoL process whose
 * process calls are MINIX messages to PM.  Internal to libmol/container.
 */
#ifndef MOL_CONTAINER_H
#define MOL_CONTAINER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "mol.h"
#include <linux/molcalls.h>

#define CTR_HIDDEN	__attribute__((visibility("hidden")))

struct ctr_state {
	struct mol mol;
	bool active;			/* a bound MoL process */
	bool exited;			/* PM_EXIT said */
	unsigned int instance;
	pid_t pid, ppid;		/* MINIX pids, last known */
	char **saved_env;		/* LD_PRELOAD and MOL_* of the start */
	long hz;			/* MoL ticks per second */
};

extern struct ctr_state ctr CTR_HIDDEN;
extern __thread int ctr_inlib CTR_HIDDEN;

/*
 * A grant made for one call: @len bytes at @addr for the callee, with
 * MOL_GRANT_READ and/or MOL_GRANT_WRITE; its id is stored in *@id (a
 * field of the request) before the sendrec and revoked after the reply.
 */
struct ctr_grant {
	const void *addr;
	size_t len;
	unsigned int access;
	__s32 *id;
};

/* Calls to PM.  @may_block: leave signals deliverable while waiting. */
int ctr_call(int nr, struct mol_message *m, bool may_block) CTR_HIDDEN;
/* The same to server @dst, with @ng grants for it. */
int ctr_call_to(int dst, int nr, struct mol_message *m, bool may_block,
		const struct ctr_grant *g, unsigned int ng) CTR_HIDDEN;
/* A result for the program: >= 0 as is, else errno and -1. */
long ctr_ret(int ret) CTR_HIDDEN;
void *ctr_real(const char *name) CTR_HIDDEN;
/* Move the bound descriptor away from @fd if it is there. */
#define CTR_BOUND_FD_MIN	900
int ctr_vacate_fd(int fd) CTR_HIDDEN;
void ctr_die(const char *fmt, ...) CTR_HIDDEN
	__attribute__((noreturn, format(printf, 1, 2)));
void ctr_report_exit(int status) CTR_HIDDEN;

/* Signals (signal.c). */
void ctr_sig_init(void) CTR_HIDDEN;
void ctr_sig_after_fork(void) CTR_HIDDEN;
int ctr_real_sigmask(int how, const sigset_t *set, sigset_t *old) CTR_HIDDEN;

#define CTR_REAL(type, name) \
	((type)ctr_real(#name))

/* The file side (file.c, path.c, dir.c, stdio.c; see file.h). */
void ctr_fs_init(void) CTR_HIDDEN;
void ctr_fs_after_fork(void) CTR_HIDDEN;
bool ctr_fs_mapped(int fd) CTR_HIDDEN;
int ctr_fs_close(int fd) CTR_HIDDEN;
char *ctr_fs_exec_env(void) CTR_HIDDEN;
int ctr_fs_execve(const char *path, char *const argv[], char *const envp[],
		  int (*real)(const char *, char *const [], char *const []))
	CTR_HIDDEN;
int ctr_fs_execvpe(const char *file, char *const argv[], char *const envp[])
	CTR_HIDDEN;
extern bool ctr_fs_on CTR_HIDDEN;

#endif /* MOL_CONTAINER_H */

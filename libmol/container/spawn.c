// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * spawn.c - posix_spawn, posix_spawnp, popen and pclose as MoL process
 * calls.
 *
 * glibc makes the child with clone(CLONE_VM | CLONE_VFORK) and runs its
 * internal execve: PM would never hear of the child, and the program it
 * runs would not get the container.  Here, as system() does
 * (container.c), the child is the container's fork (PM_FORK), the
 * program the container's execve/execvpe (PM_EXEC, files in the MINIX
 * tree), the parent waits with waitpid (PM_WAITPID).
 *
 * posix_spawn: the child applies the attributes and file actions in
 * glibc's order (default signals, scheduler, setsid, process group,
 * reset ids, file actions, signal mask) with the interposed calls, then
 * execs; a failure there or of the exec is sent to the parent through a
 * close-on-exec host pipe, and posix_spawn returns it (the child is
 * reaped, *pid untouched), as glibc's does.  The file actions are read
 * from glibc's posix_spawn_file_actions_t (its struct __spawn_action,
 * private to glibc but unchanged since 2.35).
 *
 * popen: an (FS) pipe, the child's end on its descriptor 0 or 1, "sh
 * -c"; streams of earlier popen calls still open are closed in the
 * child, as POSIX asks.  pclose closes the stream and waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "container.h"

/* glibc's struct __spawn_action (posix/spawn_int.h, 2.35 and later) */
struct glibc_spawn_action {
	enum {
		SPAWN_DO_CLOSE,
		SPAWN_DO_DUP2,
		SPAWN_DO_OPEN,
		SPAWN_DO_CHDIR,
		SPAWN_DO_FCHDIR,
		SPAWN_DO_CLOSEFROM,
		SPAWN_DO_TCSETPGRP,
	} tag;
	union {
		struct {
			int fd;
		} close_action;
		struct {
			int fd;
			int newfd;
		} dup2_action;
		struct {
			int fd;
			char *path;
			int oflag;
			mode_t mode;
		} open_action;
		struct {
			char *path;
		} chdir_action;
		struct {
			int fd;
		} fchdir_action;
		struct {
			int from;
		} closefrom_action;
		struct {
			int fd;
		} setpgrp_action;
	} action;
};

#define ERRFD_MIN	512	/* the child's error pipe, out of the way */

static int file_action(const struct glibc_spawn_action *a)
{
	int fd;

	switch (a->tag) {
	case SPAWN_DO_CLOSE:
		close(a->action.close_action.fd);	/* errors ignored */
		return 0;
	case SPAWN_DO_DUP2:
		if (a->action.dup2_action.fd == a->action.dup2_action.newfd) {
			/* POSIX: the descriptor survives the exec */
			fd = fcntl(a->action.dup2_action.fd, F_GETFD);
			if (fd < 0 || fcntl(a->action.dup2_action.fd, F_SETFD,
					    fd & ~FD_CLOEXEC) < 0)
				return errno;
			return 0;
		}
		if (dup2(a->action.dup2_action.fd,
			 a->action.dup2_action.newfd) < 0)
			return errno;
		return 0;
	case SPAWN_DO_OPEN:
		fd = open(a->action.open_action.path,
			  a->action.open_action.oflag,
			  a->action.open_action.mode);
		if (fd < 0)
			return errno;
		if (fd != a->action.open_action.fd) {
			if (dup2(fd, a->action.open_action.fd) < 0)
				return errno;
			close(fd);
		}
		return 0;
	case SPAWN_DO_CHDIR:
		return chdir(a->action.chdir_action.path) < 0 ? errno : 0;
	case SPAWN_DO_FCHDIR:
		return fchdir(a->action.fchdir_action.fd) < 0 ? errno : 0;
	case SPAWN_DO_CLOSEFROM:
		closefrom(a->action.closefrom_action.from);
		return 0;
	case SPAWN_DO_TCSETPGRP:
		return tcsetpgrp(a->action.setpgrp_action.fd, getpgrp()) < 0 ?
		       errno : 0;
	}
	return EINVAL;
}

/* In the child: attributes and file actions; 0 or an errno. */
static int child_setup(const posix_spawn_file_actions_t *fa,
		       const posix_spawnattr_t *at)
{
	const struct glibc_spawn_action *acts;
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	short fl = at ? at->__flags : 0;
	int sig, err, i;

	if (fl & POSIX_SPAWN_SETSIGDEF)
		for (sig = 1; sig < NSIG; sig++)
			if (sig != SIGKILL && sig != SIGSTOP &&
			    sigismember(&at->__sd, sig) == 1 &&
			    sigaction(sig, &dfl, NULL) < 0)
				return errno;
	if ((fl & POSIX_SPAWN_SETSCHEDULER) &&
	    sched_setscheduler(0, at->__policy, &at->__sp) < 0)
		return errno;
	else if ((fl & POSIX_SPAWN_SETSCHEDPARAM) &&
		 !(fl & POSIX_SPAWN_SETSCHEDULER) &&
		 sched_setparam(0, &at->__sp) < 0)
		return errno;
	if ((fl & POSIX_SPAWN_SETSID) && setsid() < 0)
		return errno;
	if ((fl & POSIX_SPAWN_SETPGROUP) && setpgid(0, at->__pgrp) < 0)
		return errno;
	if ((fl & POSIX_SPAWN_RESETIDS) &&
	    (seteuid(getuid()) < 0 || setegid(getgid()) < 0))
		return errno;
	if (fa) {
		acts = (const struct glibc_spawn_action *)fa->__actions;
		for (i = 0; i < fa->__used; i++) {
			err = file_action(&acts[i]);
			if (err)
				return err;
		}
	}
	if ((fl & POSIX_SPAWN_SETSIGMASK) &&
	    sigprocmask(SIG_SETMASK, &at->__ss, NULL) < 0)
		return errno;
	return 0;
}

static int spawn(pid_t *pidp, const char *file,
		 const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *at, char *const argv[],
		 char *const envp[], bool search)
{
	int pfd[2], errfd, err = 0;
	ssize_t n;
	pid_t pid;

	if (syscall(SYS_pipe2, pfd, O_CLOEXEC) < 0)
		return errno;
	pid = fork();
	if (pid < 0) {
		err = errno;
		syscall(SYS_close, pfd[0]);
		syscall(SYS_close, pfd[1]);
		return err;
	}
	if (pid == 0) {
		syscall(SYS_close, pfd[0]);
		errfd = syscall(SYS_fcntl, pfd[1], F_DUPFD_CLOEXEC, ERRFD_MIN);
		if (errfd >= 0) {
			syscall(SYS_close, pfd[1]);
			pfd[1] = errfd;
		}
		err = child_setup(fa, at);
		if (!err) {
			if (search)
				execvpe(file, argv, envp);
			else
				execve(file, argv, envp);
			err = errno;
		}
		if (syscall(SYS_write, pfd[1], &err, sizeof(err)) < 0)
			err = 0;
		_exit(127);
	}
	syscall(SYS_close, pfd[1]);
	while ((n = syscall(SYS_read, pfd[0], &err, sizeof(err))) < 0 &&
	       errno == EINTR)
		;
	syscall(SYS_close, pfd[0]);
	if (n == sizeof(err) && err) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return err;
	}
	if (pidp)
		*pidp = pid;
	return 0;
}

int posix_spawn(pid_t *pid, const char *path,
		const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *at, char *const argv[],
		char *const envp[])
{
	if (!ctr.active)
		return CTR_REAL(int (*)(pid_t *, const char *,
				const posix_spawn_file_actions_t *,
				const posix_spawnattr_t *, char *const [],
				char *const []), posix_spawn)
			(pid, path, fa, at, argv, envp);
	return spawn(pid, path, fa, at, argv, envp, false);
}

int posix_spawnp(pid_t *pid, const char *file,
		 const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *at, char *const argv[],
		 char *const envp[])
{
	if (!ctr.active)
		return CTR_REAL(int (*)(pid_t *, const char *,
				const posix_spawn_file_actions_t *,
				const posix_spawnattr_t *, char *const [],
				char *const []), posix_spawnp)
			(pid, file, fa, at, argv, envp);
	return spawn(pid, file, fa, at, argv, envp, true);
}

/* ---------------------------------------------------------------- */
/* popen                                                             */
/* ---------------------------------------------------------------- */

struct popen_proc {
	FILE *fp;
	pid_t pid;
	struct popen_proc *next;
};

static struct popen_proc *procs;
static pthread_mutex_t procs_lock = PTHREAD_MUTEX_INITIALIZER;

FILE *popen(const char *cmd, const char *mode)
{
	struct popen_proc *p, *q;
	bool rd, cloexec = false;
	const char *m = mode;
	int fds[2], mine, theirs;
	pid_t pid;

	if (!ctr.active)
		return CTR_REAL(FILE *(*)(const char *, const char *), popen)
			(cmd, mode);
	if (!m || (*m != 'r' && *m != 'w')) {
		errno = EINVAL;
		return NULL;
	}
	rd = *m++ == 'r';
	for (; *m; m++) {
		if (*m != 'e') {
			errno = EINVAL;
			return NULL;
		}
		cloexec = true;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		goto fail_free;
	mine = rd ? fds[0] : fds[1];
	theirs = rd ? fds[1] : fds[0];
	pthread_mutex_lock(&procs_lock);
	pid = fork();
	if (pid == 0) {
		/* POSIX: no stream of an earlier popen in the child */
		for (q = procs; q; q = q->next)
			close(fileno(q->fp));
		if (theirs != (rd ? 1 : 0)) {
			if (dup2(theirs, rd ? 1 : 0) < 0)
				_exit(127);
		} else {
			fcntl(theirs, F_SETFD, 0);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	pthread_mutex_unlock(&procs_lock);
	if (pid < 0)
		goto fail_pipe;
	close(theirs);
	if (!cloexec)
		fcntl(mine, F_SETFD, 0);
	p->fp = fdopen(mine, rd ? "r" : "w");
	if (!p->fp) {
		close(mine);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		free(p);
		return NULL;
	}
	p->pid = pid;
	pthread_mutex_lock(&procs_lock);
	p->next = procs;
	procs = p;
	pthread_mutex_unlock(&procs_lock);
	return p->fp;

fail_pipe:
	mine = errno;
	close(fds[0]);
	close(fds[1]);
	errno = mine;
fail_free:
	free(p);
	return NULL;
}

int pclose(FILE *fp)
{
	struct popen_proc **pp, *p = NULL;
	int status;
	pid_t r;

	if (!ctr.active)
		return CTR_REAL(int (*)(FILE *), pclose)(fp);
	pthread_mutex_lock(&procs_lock);
	for (pp = &procs; *pp; pp = &(*pp)->next) {
		if ((*pp)->fp == fp) {
			p = *pp;
			*pp = p->next;
			break;
		}
	}
	pthread_mutex_unlock(&procs_lock);
	if (!p) {
		errno = ECHILD;
		return -1;
	}
	fclose(fp);
	while ((r = waitpid(p->pid, &status, 0)) < 0 && errno == EINTR)
		;
	free(p);
	return r < 0 ? -1 : status;
}

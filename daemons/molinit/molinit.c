// SPDX-License-Identifier: GPL-2.0
/*
 * molinit - MINIX's init for a MoL instance (slot MOL_INIT).
 *
 * The parent of every program started with `molctl run`: it takes run
 * requests on init.sock (argv, cwd, environment and the caller's
 * stdin/stdout/stderr as descriptors), forks, and the child execs the
 * program with the instance's MOL_* and LD_PRELOAD variables, so it is
 * a MoL process; the wait status goes back to molctl.  It also reaps
 * orphans (it is the child subreaper of everything it starts).
 *
 * Only plain fork/execve/waitpid are used: under the container
 * (MOL_CONTAINER=1, libmol.so preloaded) they are PM calls, without it
 * Linux calls; molinit works either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mol.h"
#include "../molctl/molctl_proto.h"

#define INIT_MAX_JOBS	256

struct init_job {
	pid_t pid;		/* 0: free */
	int conn;		/* molctl's connection */
	int hup;		/* molctl hung up */
	char name[32];
};

extern char **environ;

static struct init_job jobs[INIT_MAX_JOBS];
static int sigpipe_fd[2] = { -1, -1 };
static volatile sig_atomic_t stop;
static struct mol mol;

static void init_log(const char *fmt, const char *arg, int err)
{
	fprintf(stderr, "molinit: ");
	fprintf(stderr, fmt, arg);
	if (err)
		fprintf(stderr, ": %s", strerror(err));
	fputc('\n', stderr);
}

static void on_signal(int sig)
{
	int saved = errno;

	if (sig != SIGCHLD)
		stop = 1;
	if (write(sigpipe_fd[1], "s", 1) < 0) {
		/* full: a wake-up is pending anyway */
	}
	errno = saved;
}

/* Is @var (NAME=...) one of those the instance sets for its programs? */
static int instance_var(const char *var)
{
	return !strncmp(var, "MOL_", 4) || !strncmp(var, "LD_PRELOAD=", 11);
}

/* The program's environment: the caller's, with our MOL_* and preload. */
static char **build_env(char **cenv, unsigned int envc)
{
	unsigned int i, j = 0, n = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(envc + n + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (i = 0; i < envc; i++)
		if (!instance_var(cenv[i]))
			env[j++] = cenv[i];
	for (i = 0; i < n; i++)
		if (instance_var(environ[i]))
			env[j++] = environ[i];
	return env;
}

/* $PATH search by hand: execvp's own execve cannot be interposed. */
static void exec_program(char **argv, char **env)
{
	const char *path = NULL, *p, *q;
	char buf[4096];
	int err = ENOENT, i;

	if (strchr(argv[0], '/')) {
		execve(argv[0], argv, env);
		err = errno;
		goto fail;
	}
	for (i = 0; env[i]; i++)
		if (!strncmp(env[i], "PATH=", 5))
			path = env[i] + 5;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = q + 1) {
		size_t len;

		q = strchrnul(p, ':');
		len = q - p;
		if (len + strlen(argv[0]) + 2 <= sizeof(buf)) {
			snprintf(buf, sizeof(buf), "%.*s%s%s", (int)len, p,
				 len ? "/" : "", argv[0]);
			execve(buf, argv, env);
			if (errno == EACCES)
				err = EACCES;
			else if (errno != ENOENT && errno != ENOTDIR)
				err = errno;
		}
		if (!*q)
			break;
	}
fail:
	fprintf(stderr, "molctl run: %s: %s\n", argv[0],
		err == ENOENT ? "command not found" : strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

/*
 * In the child of a run request whose terminal molctl handed to the
 * terminal driver: a new session, /dev/console (through FS: the
 * container's open) its controlling terminal, on the descriptors
 * @which says.
 */
static void attach_terminal(unsigned int which)
{
	int fd, k;

	if (setsid() < 0) {
		fprintf(stderr, "molctl run: setsid: %s\n", strerror(errno));
		_exit(126);
	}
	fd = open("/dev/console", O_RDWR);
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0) {
		fprintf(stderr, "molctl run: /dev/console: %s\n",
			strerror(errno));
		_exit(126);
	}
	for (k = 0; k < 3; k++)
		if ((which & MOLCTL_RUN_TTY(k)) && fd != k &&
		    dup2(fd, k) < 0)
			_exit(126);
	if (fd > 2)
		close(fd);
}

static struct init_job *job_free(void)
{
	int i;

	for (i = 0; i < INIT_MAX_JOBS; i++)
		if (!jobs[i].pid)
			return &jobs[i];
	return NULL;
}

/* A run request: fork and exec; the reply comes when it exits. */
static int do_run(int conn, const char *buf, int len, int *fds, int nfds)
{
	const struct molctl_run *r = (const void *)buf;
	unsigned int nstr, n = 0;
	char **strs, **env, *s, *copy;
	struct init_job *job;
	pid_t pid;
	int k;

	if (len < (int)sizeof(*r) || nfds != 3 || buf[len - 1] != '\0' ||
	    r->argc < 1 || r->argc > 4096 || r->envc > 4096 ||
	    (r->tty & ~7U) || r->pad)
		return -EINVAL;
	/* the terminal is FS's /dev/console: only with a file server */
	if (r->tty && !getenv("MOL_FS"))
		return -EINVAL;
	nstr = 1 + r->argc + r->envc;
	copy = malloc(len - sizeof(*r));
	strs = calloc(nstr + 1, sizeof(*strs));
	if (!copy || !strs) {
		free(copy);
		free(strs);
		return -ENOMEM;
	}
	memcpy(copy, buf + sizeof(*r), len - sizeof(*r));
	for (s = copy; s < copy + len - sizeof(*r) && n < nstr;
	     s += strlen(s) + 1)
		strs[n++] = s;
	job = job_free();
	env = n == nstr ? build_env(strs + 1 + r->argc, r->envc) : NULL;
	if (!env || !job) {
		free(env);
		free(copy);
		free(strs);
		return !job ? -EAGAIN : -EINVAL;
	}
	/* argv must end with NULL where the environment starts. */
	memmove(strs, strs + 1, r->argc * sizeof(*strs));
	strs[r->argc] = NULL;

	pid = fork();
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		for (k = 0; k < 3; k++)
			if (dup2(fds[k], k) < 0)
				_exit(126);
		if (r->tty)
			attach_terminal(r->tty);
		if (chdir(copy) < 0) {
			fprintf(stderr, "molctl run: %s: %s\n", copy,
				strerror(errno));
			_exit(126);
		}
		exec_program(strs, env);
	}
	free(env);
	if (pid < 0) {
		k = -errno;
		free(copy);
		free(strs);
		return k;
	}
	job->pid = pid;
	job->conn = conn;
	job->hup = 0;
	snprintf(job->name, sizeof(job->name), "%s", strs[0]);
	free(copy);
	free(strs);
	return 0;
}

static void do_jobs(int conn)
{
	struct molctl_job row;
	int i;

	for (i = 0; i < INIT_MAX_JOBS; i++) {
		if (!jobs[i].pid)
			continue;
		memset(&row, 0, sizeof(row));
		row.pid = jobs[i].pid;
		snprintf(row.name, sizeof(row.name), "%s", jobs[i].name);
		molctl_send(conn, MOLCTL_JOBS, 0, &row, sizeof(row), NULL, 0);
	}
	molctl_send(conn, MOLCTL_JOBS, 0, NULL, 0, NULL, 0);
}

/* A new connection: its first packet says what it wants. */
static void accept_one(int lfd)
{
	struct timeval tv = { .tv_sec = 2 };
	static char buf[MOLCTL_MAX_PACKET];
	struct molctl_hdr h;
	int conn, fds[3], nfds, len, ret, k;

	conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return;
	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	len = molctl_recv(conn, &h, buf, sizeof(buf), fds, &nfds);
	if (len < 0 || h.magic != MOLCTL_MAGIC) {
		ret = len < 0 ? len : -EPROTO;
		goto out;
	}
	switch (h.type) {
	case MOLCTL_RUN:
		ret = do_run(conn, buf, len, fds, nfds);
		break;
	case MOLCTL_JOBS:
		do_jobs(conn);
		ret = 1;
		break;
	default:
		ret = -EINVAL;
		break;
	}
out:
	for (k = 0; k < nfds; k++)
		close(fds[k]);
	if (ret == 0)
		return;		/* the job keeps the connection */
	if (ret < 0)
		molctl_send(conn, MOLCTL_STATUS, ret, NULL, 0, NULL, 0);
	close(conn);
}

static void job_done(struct init_job *job, int status)
{
	molctl_send(job->conn, MOLCTL_STATUS, status, NULL, 0, NULL, 0);
	close(job->conn);
	job->pid = 0;
	job->conn = -1;
}

/* Reap every child that exited: jobs get their status, orphans none. */
static void reap(void)
{
	int status, i;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < INIT_MAX_JOBS; i++)
			if (jobs[i].pid == pid)
				job_done(&jobs[i], status);
	}
}

/* A packet (or hang-up) on a running job's connection. */
static void job_input(struct init_job *job)
{
	struct molctl_hdr h;
	char buf[64];
	int ret;

	ret = molctl_recv(job->conn, &h, buf, sizeof(buf), NULL, NULL);
	if (ret == 0 && h.magic != MOLCTL_MAGIC) {
		/* molctl went away: the program gets a hang-up. */
		kill(job->pid, SIGHUP);
		job->hup = 1;
		return;
	}
	if (ret >= 0 && h.type == MOLCTL_SIGNAL && h.arg > 0 && h.arg < 65)
		kill(job->pid, h.arg);
}

static void stop_jobs(void)
{
	int i, n, tries;

	for (i = 0; i < INIT_MAX_JOBS; i++)
		if (jobs[i].pid)
			kill(jobs[i].pid, SIGTERM);
	for (tries = 0; tries < 100; tries++) {
		reap();
		for (i = n = 0; i < INIT_MAX_JOBS; i++)
			n += jobs[i].pid != 0;
		if (!n)
			return;
		usleep(10000);
	}
	for (i = 0; i < INIT_MAX_JOBS; i++)
		if (jobs[i].pid)
			kill(jobs[i].pid, SIGKILL);
	usleep(10000);
	reap();
}

/*
 * Hold our endpoint: the container binds it before main() when it is
 * active; without it, we bind it ourselves.
 */
static int bind_self(void)
{
	const char *inst = getenv("MOL_INSTANCE");
	const char *cont = getenv("MOL_CONTAINER");
	int ret;

	if (!inst)
		return 0;	/* not started by molsystem: a plain daemon */
	ret = mol_open(&mol, NULL);
	if (ret == 0)
		ret = mol_bind(&mol, strtoul(inst, NULL, 10), MOL_INIT, NULL);
	if (ret == 0)
		return 0;
	if (mol.ops)
		mol_close(&mol);
	if (cont && !strcmp(cont, "1"))
		return 0;	/* the container holds our endpoint */
	fprintf(stderr, "molinit: bind: %s\n", mol_strerror(ret));
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd[2 + INIT_MAX_JOBS];
	struct init_job *pj[2 + INIT_MAX_JOBS];
	const char *sock = NULL;
	int c, lfd, i, n;

	while ((c = getopt_long(argc, argv, "s:h", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'h':
			printf("Usage: molinit --socket PATH\n"
			       "MoL's init: runs programs for `molctl run`; started by molsystem.\n");
			return 0;
		default:
			return 2;
		}
	}
	if (!sock) {
		fprintf(stderr, "molinit: --socket PATH is required\n");
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	if (bind_self() < 0)
		return 1;
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (pipe2(sigpipe_fd, O_CLOEXEC | O_NONBLOCK) < 0)
		return 1;
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	lfd = molctl_listen(sock);
	if (lfd < 0) {
		init_log("%s", sock, -lfd);
		return 1;
	}

	while (!stop) {
		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		pfd[1].fd = sigpipe_fd[0];
		pfd[1].events = POLLIN;
		n = 2;
		for (i = 0; i < INIT_MAX_JOBS; i++) {
			if (!jobs[i].pid || jobs[i].hup)
				continue;
			pfd[n].fd = jobs[i].conn;
			pfd[n].events = POLLIN;
			pj[n++] = &jobs[i];
		}
		/* Bounded: a SIGCHLD the container handles is not lost. */
		if (poll(pfd, n, 200) < 0 && errno != EINTR)
			break;
		if (pfd[1].revents & POLLIN) {
			char b[64];

			while (read(sigpipe_fd[0], b, sizeof(b)) > 0)
				;
		}
		reap();
		for (i = 2; i < n; i++)
			if (pj[i]->pid && (pfd[i].revents & (POLLIN | POLLHUP)))
				job_input(pj[i]);
		if (pfd[0].revents & POLLIN)
			accept_one(lfd);
	}
	stop_jobs();
	close(lfd);
	unlink(sock);
	if (mol.ops)
		mol_close(&mol);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - `molctl run PROGRAM [ARG]...`: init runs the program with our
 * stdin/stdout/stderr (passed as descriptors), cwd and environment; we
 * forward SIGINT, SIGTERM, SIGHUP and SIGQUIT to it and exit with its
 * status as a shell does (128+N for signal N).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "molctl.h"

extern char **environ;

static int run_conn = -1;

static void forward(int sig)
{
	int saved = errno;

	molctl_send(run_conn, MOLCTL_SIGNAL, sig, NULL, 0, NULL, 0);
	errno = saved;
}

/* Request payload: struct molctl_run, cwd, argv, env; NUL-separated. */
static char *build_request(char **argv, int argc, const char *dir,
			   size_t *len)
{
	struct molctl_run r = { .argc = argc };
	char cwd[4096], *buf, *p;
	size_t n = sizeof(r);
	int i;

	if (dir)
		snprintf(cwd, sizeof(cwd), "%s", dir);
	else if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	n += strlen(cwd) + 1;
	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	for (i = 0; environ[i]; i++, r.envc++)
		n += strlen(environ[i]) + 1;
	if (n > MOLCTL_MAX_PACKET - sizeof(struct molctl_hdr)) {
		ctl_err("run: arguments and environment too large (%zu bytes, at most %zu)",
			n, MOLCTL_MAX_PACKET - sizeof(struct molctl_hdr));
		return NULL;
	}
	buf = malloc(n);
	if (!buf)
		return NULL;
	memcpy(buf, &r, sizeof(r));
	p = buf + sizeof(r);
	p = stpcpy(p, cwd) + 1;
	for (i = 0; i < argc; i++)
		p = stpcpy(p, argv[i]) + 1;
	for (i = 0; environ[i]; i++)
		p = stpcpy(p, environ[i]) + 1;
	*len = n;
	return buf;
}

int cmd_run(int argc, char **argv)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = forward };
	int fds[3] = { 0, 1, 2 }, ret, status;
	char path[300], *req;
	const char *dir = NULL;
	struct molctl_hdr h;
	struct ctl_state st;
	size_t len, i;

	argc--;
	argv++;
	/*
	 * With a file server the working directory is a MINIX path: "/"
	 * unless -C/--cwd says otherwise (the host's means nothing there).
	 */
	if (ctl_state_read(&st) == 0 && st.disks)
		dir = "/";
	while (argc > 1 && (!strcmp(argv[0], "-C") ||
			    !strcmp(argv[0], "--cwd"))) {
		dir = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc > 0 && !strcmp(argv[0], "--")) {
		argc--;
		argv++;
	}
	if (argc < 1) {
		ctl_err("run: missing PROGRAM (usage: molctl run PROGRAM [ARG]...)");
		return 2;
	}
	if (argv[0][0] == '-' && argv[0][1]) {
		if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
			printf("Usage: molctl [--instance NAME] run [-C DIR] PROGRAM [ARG]...\n"
			       "-C, --cwd DIR: the program's working directory (default: ours;\n"
			       "with a disk: / of the MINIX tree)\n");
			return 0;
		}
		ctl_err("run: unknown option '%s'", argv[0]);
		return 2;
	}
	for (i = 0; i < 3; i++) {
		if (fcntl(fds[i], F_GETFD) < 0) {
			ctl_err("run: descriptor %zu is not open", i);
			return 1;
		}
	}
	snprintf(path, sizeof(path), "%s/init.sock", ctl_dir);
	run_conn = molctl_connect(path);
	if (run_conn < 0) {
		ctl_err("instance '%s' is not up (%s: %s)", ctl_name, path,
			strerror(-run_conn));
		return 1;
	}
	req = build_request(argv, argc, dir, &len);
	if (!req)
		return 1;
	ret = molctl_send(run_conn, MOLCTL_RUN, 0, req, len, fds, 3);
	free(req);
	if (ret < 0) {
		ctl_err("run: cannot send the request to init: %s",
			strerror(-ret));
		return 1;
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	ret = molctl_recv(run_conn, &h, NULL, 0, NULL, NULL);
	if (ret < 0 || h.magic != MOLCTL_MAGIC || h.type != MOLCTL_STATUS) {
		ctl_err("run: init hung up (instance going down?)");
		return 1;
	}
	status = h.arg;
	if (status < 0 && status > -4096) {
		ctl_err("run: init could not start %s: %s", argv[0],
			strerror(-status));
		return 1;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

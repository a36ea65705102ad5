// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - `molctl run PROGRAM [ARG]...`: init runs the program with our
 * stdin/stdout/stderr (passed as descriptors), cwd and environment; we
 * forward SIGINT, SIGTERM, SIGHUP and SIGQUIT to it and exit with its
 * status as a shell does (128+N for signal N).
 *
 * When our stdin and stdout are a terminal and the instance has the
 * terminal driver (RUNDIR/tty.sock), the terminal goes to moltty (or
 * always with --tty, never with --no-tty): we hand it the descriptor,
 * put the terminal in raw mode (moltty does the line discipline) and
 * restore it when the program is done; the program's descriptors that
 * were the terminal become /dev/console of MoL.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "molctl.h"

extern char **environ;

static int run_conn = -1;
static int tty_conn = -1;
static struct termios tty_saved;

static void forward(int sig)
{
	int saved = errno;

	molctl_send(run_conn, MOLCTL_SIGNAL, sig, NULL, 0, NULL, 0);
	errno = saved;
}

/* Our terminal changed size: moltty tells the foreground group. */
static void winch(int sig)
{
	int saved = errno;

	if (tty_conn >= 0)
		molctl_send(tty_conn, MOLCTL_SIGNAL, sig, NULL, 0, NULL, 0);
	errno = saved;
}

/* Request payload: struct molctl_run, cwd, argv, env; NUL-separated. */
static char *build_request(char **argv, int argc, const char *dir,
			   unsigned int tty, size_t *len)
{
	struct molctl_run r = { .argc = argc, .tty = tty };
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

/* Which of our descriptors 0-2 are the terminal that descriptor 0 is. */
static unsigned int tty_fds(void)
{
	struct stat st0, st;
	unsigned int bits = 0;
	int fd;

	if (!isatty(0) || fstat(0, &st0) < 0)
		return 0;
	for (fd = 0; fd < 3; fd++)
		if (isatty(fd) && fstat(fd, &st) == 0 &&
		    st.st_rdev == st0.st_rdev)
			bits |= MOLCTL_RUN_TTY(fd);
	return bits;
}

/*
 * Hand our terminal to moltty and make it raw: 0, or -errno (no driver:
 * -ENOENT; another program has it: -EBUSY).
 */
static int tty_attach(void)
{
	struct molctl_hdr h = { 0 };
	struct termios raw;
	char path[300];
	int fd0 = 0, ret;

	snprintf(path, sizeof(path), "%s/tty.sock", ctl_dir);
	tty_conn = molctl_connect(path);
	if (tty_conn < 0)
		return tty_conn == -ECONNREFUSED ? -ENOENT : tty_conn;
	if (tcgetattr(0, &tty_saved) < 0) {
		ret = -errno;
		close(tty_conn);
		tty_conn = -1;
		return ret;
	}
	/* raw first: what is typed from now on reaches moltty as typed */
	raw = tty_saved;
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	tcsetattr(0, TCSADRAIN, &raw);
	ret = molctl_send(tty_conn, MOLCTL_TTY, 0, NULL, 0, &fd0, 1);
	if (ret == 0)
		ret = molctl_recv(tty_conn, &h, NULL, 0, NULL, NULL);
	if (ret < 0 || h.magic != MOLCTL_MAGIC || h.type != MOLCTL_STATUS) {
		ret = ret < 0 ? ret : -EPROTO;
		goto fail;
	}
	if (h.arg < 0) {
		ret = h.arg;
		goto fail;
	}
	return 0;
fail:
	tcsetattr(0, TCSADRAIN, &tty_saved);
	close(tty_conn);
	tty_conn = -1;
	return ret;
}

/* The program is done: the terminal as it was, and moltty lets it go. */
static void tty_detach(void)
{
	if (tty_conn < 0)
		return;
	tcsetattr(0, TCSADRAIN, &tty_saved);
	close(tty_conn);
	tty_conn = -1;
}

int cmd_run(int argc, char **argv)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa = { .sa_handler = forward };
	int fds[3] = { 0, 1, 2 }, ret, status;
	char path[300], *req;
	const char *dir = NULL;
	int want_tty = -1;	/* -1: if stdin and stdout are a terminal */
	unsigned int tty = 0;
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
	for (;;) {
		if (argc > 1 && (!strcmp(argv[0], "-C") ||
				 !strcmp(argv[0], "--cwd"))) {
			dir = argv[1];
			argc -= 2;
			argv += 2;
		} else if (argc > 0 && (!strcmp(argv[0], "--tty") ||
					!strcmp(argv[0], "--no-tty"))) {
			want_tty = argv[0][2] == 't';
			argc--;
			argv++;
		} else {
			break;
		}
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
			printf("Usage: molctl [--instance NAME] run [-C DIR] [--tty|--no-tty] PROGRAM [ARG]...\n"
			       "-C, --cwd DIR: the program's working directory (default: ours;\n"
			       "with a disk: / of the MINIX tree)\n"
			       "--tty: the terminal on stdin goes through MoL's terminal driver\n"
			       "(the default when stdin and stdout are a terminal and the\n"
			       "instance has one); --no-tty: the program uses our descriptors\n");
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
	if (want_tty) {
		tty = tty_fds();
		if (want_tty < 0 && !(tty & MOLCTL_RUN_TTY(1)))
			tty = 0;
		if (want_tty > 0 && !tty) {
			ctl_err("run: --tty: standard input is not a terminal");
			return 1;
		}
		ret = tty ? tty_attach() : 0;
		if (ret < 0 && want_tty > 0) {
			ctl_err("run: --tty: %s", ret == -ENOENT ?
				"the instance has no terminal driver" :
				ret == -EBUSY ? "the terminal driver is in use" :
				strerror(-ret));
			return 1;
		}
		if (ret < 0)
			tty = 0;	/* our descriptors, as without one */
	}
	req = build_request(argv, argc, dir, tty, &len);
	if (!req) {
		tty_detach();
		return 1;
	}
	ret = molctl_send(run_conn, MOLCTL_RUN, 0, req, len, fds, 3);
	free(req);
	if (ret < 0) {
		tty_detach();
		ctl_err("run: cannot send the request to init: %s",
			strerror(-ret));
		return 1;
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	if (tty_conn >= 0) {
		sa.sa_handler = winch;
		sigaction(SIGWINCH, &sa, NULL);
	}
	signal(SIGPIPE, SIG_IGN);

	do
		ret = molctl_recv(run_conn, &h, NULL, 0, NULL, NULL);
	while (ret == -EINTR);
	tty_detach();
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

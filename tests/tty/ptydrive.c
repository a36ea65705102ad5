// SPDX-License-Identifier: GPL-2.0
/*
 * ptydrive - run a command on a fresh pseudo-terminal and talk to it, as
 * a user at a terminal would (a tiny expect).
 *
 *	mol-ptydrive [-t SECONDS] STEP... -- COMMAND [ARG]...
 *
 * The command runs in a new session with the pty's slave as its
 * controlling terminal and stdin/stdout/stderr.  The steps run in order
 * on the master side:
 *	send:TEXT	write TEXT; \n \r \t \\ and ^X (control X) are escapes
 *	expect:TEXT	wait until the output so far (since the last expect)
 *			contains TEXT (escapes as send), else fail
 *	never:TEXT	the output so far must not contain TEXT
 *	sleep:MS	wait MS milliseconds (output keeps being read)
 *	winsize:RxC	resize the terminal to R rows, C columns (SIGWINCH)
 *	status:N	wait for the command's exit; its status as a shell
 *			reports it (128+N for signal N) must be N
 * The whole transcript is printed on stderr when a step fails (exit 1);
 * exit 0 when all steps passed.  -t: timeout of each expect and status
 * (default 10).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static char out[1 << 20];
static size_t out_len, out_mark;
static int master = -1;
static pid_t child;
static int timeout_s = 10;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Read what the master has, waiting up to @ms. */
static void pump(int ms)
{
	struct pollfd p = { .fd = master, .events = POLLIN };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return;
	n = read(master, out + out_len, sizeof(out) - 1 - out_len);
	if (n > 0) {
		out_len += n;
		out[out_len] = '\0';
	}
}

static size_t unescape(const char *s, char *buf)
{
	size_t n = 0;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			buf[n++] = *s == 'n' ? '\n' : *s == 'r' ? '\r' :
				   *s == 't' ? '\t' : *s;
		} else if (*s == '^' && s[1]) {
			s++;
			buf[n++] = *s == '?' ? 0177 : (*s & 037);
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	return n;
}

static void show(const char *why, const char *step)
{
	size_t i;

	fprintf(stderr, "ptydrive: %s: %s\nptydrive: transcript:\n", why,
		step);
	for (i = 0; i < out_len; i++) {
		unsigned char c = out[i];

		if (c == '\n' || (c >= 040 && c < 0177))
			fputc(c, stderr);
		else
			fprintf(stderr, "<%02x>", c);
	}
	fputc('\n', stderr);
}

/* memmem over the output after the last expect. */
static const char *find(const char *want)
{
	return memmem(out + out_mark, out_len - out_mark, want, strlen(want));
}

static int wait_status(void)
{
	long end = now_ms() + timeout_s * 1000L;
	int st;

	while (now_ms() < end) {
		pid_t r = waitpid(child, &st, WNOHANG);

		if (r == child) {
			pump(50);
			if (WIFEXITED(st))
				return WEXITSTATUS(st);
			if (WIFSIGNALED(st))
				return 128 + WTERMSIG(st);
			return -2;
		}
		pump(20);
	}
	return -1;
}

static int step(const char *s)
{
	char buf[4096];
	const char *hit;
	long end;
	size_t n;

	if (strlen(s) >= sizeof(buf))
		return -1;
	if (!strncmp(s, "send:", 5)) {
		n = unescape(s + 5, buf);
		if (write(master, buf, n) != (ssize_t)n)
			return -1;
		return 0;
	}
	if (!strncmp(s, "expect:", 7)) {
		unescape(s + 7, buf);
		end = now_ms() + timeout_s * 1000L;
		while (!(hit = find(buf)) && now_ms() < end)
			pump(50);
		if (!hit)
			return -1;
		out_mark = hit - out + strlen(buf);
		return 0;
	}
	if (!strncmp(s, "never:", 6)) {
		unescape(s + 6, buf);
		pump(0);
		return find(buf) ? -1 : 0;
	}
	if (!strncmp(s, "sleep:", 6)) {
		end = now_ms() + atoi(s + 6);
		while (now_ms() < end)
			pump(end - now_ms());
		return 0;
	}
	if (!strncmp(s, "winsize:", 8)) {
		struct winsize ws = { 0 };
		int r, c;

		if (sscanf(s + 8, "%dx%d", &r, &c) != 2)
			return -1;
		ws.ws_row = r;
		ws.ws_col = c;
		return ioctl(master, TIOCSWINSZ, &ws);
	}
	if (!strncmp(s, "status:", 7)) {
		int st = wait_status();

		if (st != atoi(s + 7)) {
			fprintf(stderr, "ptydrive: exit status %d\n", st);
			return -1;
		}
		child = 0;
		return 0;
	}
	fprintf(stderr, "ptydrive: unknown step\n");
	return -1;
}

int main(int argc, char **argv)
{
	int i, first, slave;
	char *name;

	i = 1;
	if (argc > 2 && !strcmp(argv[1], "-t")) {
		timeout_s = atoi(argv[2]);
		i = 3;
	}
	for (first = i; i < argc && strcmp(argv[i], "--"); i++)
		;
	if (i + 1 >= argc) {
		fprintf(stderr, "usage: mol-ptydrive [-t S] STEP... -- COMMAND [ARG]...\n");
		return 2;
	}
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master) ||
	    !(name = ptsname(master))) {
		perror("ptydrive: posix_openpt");
		return 2;
	}
	child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		setsid();
		slave = open(name, O_RDWR);
		if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
			perror("ptydrive: slave");
			_exit(127);
		}
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		close(master);
		execvp(argv[i + 1], argv + i + 1);
		perror("ptydrive: exec");
		_exit(127);
	}
	for (; first < i; first++) {
		if (step(argv[first]) < 0) {
			show("step failed", argv[first]);
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
			return 1;
		}
	}
	if (child) {
		int st = wait_status();

		if (st < 0) {
			show("command did not exit", "(end)");
			kill(child, SIGKILL);
			waitpid(child, NULL, 0);
			return 1;
		}
	}
	if (getenv("PTYDRIVE_SHOW"))
		show("passed", "(end)");
	return 0;
}

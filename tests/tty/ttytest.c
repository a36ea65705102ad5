// SPDX-License-Identifier: GPL-2.0
/*
 * mol-ttytest - checks a MoL process makes on its terminal (moltty,
 * through FS and the container), run by tests/tty/run-tty.sh on a pty
 * (mol-ptydrive) with `molctl run`.  Plain POSIX calls: the container
 * turns them into FS_IOCTL / FS_READ / PM calls.
 *
 *	mol-ttytest attr	termios, window size, process group, session,
 *				/dev/tty, ttyname, ioctl on a non-terminal
 *	mol-ttytest notty	stdin is not a terminal (isatty 0, ENOTTY)
 *	mol-ttytest raw		non-canonical, no echo, no ISIG: reads 3
 *				bytes and prints them
 *	mol-ttytest eintr	a caught SIGALRM ends a blocked read (EINTR)
 *	mol-ttytest tstp	a caught SIGTSTP (^Z) ends a blocked read
 *	mol-ttytest winch	SIGWINCH arrives when the launcher's
 *				terminal is resized; the new size is seen
 *	mol-ttytest pgrp	a new process group made foreground gets ^C;
 *				the old one does not
 * Each prints "NAME ok" on success, "FAIL: ..." lines otherwise (exit 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int fails;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL: %s: ", #cond);			\
			printf(__VA_ARGS__);				\
			printf(" (errno %s)\n", strerror(errno));	\
			fails++;					\
		}							\
	} while (0)

static int done(const char *name)
{
	if (!fails)
		printf("%s ok\n", name);
	fflush(stdout);
	return fails ? 1 : 0;
}

static int t_attr(void)
{
	struct termios t, t2, orig;
	struct winsize ws = { 0 };
	char *name;
	int fd, pfd[2];

	CHECK(isatty(0) == 1, "stdin");
	CHECK(isatty(1) == 1, "stdout");
	name = ttyname(0);
	CHECK(name && !strcmp(name, "/dev/console"), "ttyname %s",
	      name ?: "NULL");
	CHECK(tcgetattr(0, &orig) == 0, "tcgetattr");
	CHECK((orig.c_lflag & (ICANON | ECHO | ISIG)) ==
	      (ICANON | ECHO | ISIG), "lflag %#x", orig.c_lflag);
	CHECK(orig.c_cc[VINTR] == 3 && orig.c_cc[VEOF] == 4 &&
	      orig.c_cc[VERASE] == 0177, "c_cc");
	CHECK((orig.c_iflag & ICRNL) && (orig.c_oflag & ONLCR), "crnl");

	/* round trips: tcsetattr then tcgetattr, and the ioctl forms */
	t = orig;
	t.c_lflag &= ~(ECHO | ICANON);
	t.c_cc[VMIN] = 2;
	t.c_cc[VERASE] = 010;
	CHECK(tcsetattr(0, TCSAFLUSH, &t) == 0, "tcsetattr");
	CHECK(tcgetattr(0, &t2) == 0, "tcgetattr 2");
	CHECK(!(t2.c_lflag & (ECHO | ICANON)) && t2.c_cc[VMIN] == 2 &&
	      t2.c_cc[VERASE] == 010, "round trip lflag %#x", t2.c_lflag);
	CHECK(tcsetattr(0, 99, &orig) == -1 && errno == EINVAL, "bad act");
	CHECK(ioctl(0, TCSETS, &orig) == 0, "TCSETS");
	CHECK(tcgetattr(0, &t2) == 0 && t2.c_lflag == orig.c_lflag &&
	      t2.c_cc[VERASE] == 0177, "restored");

	CHECK(ioctl(1, TIOCGWINSZ, &ws) == 0, "TIOCGWINSZ");
	ws.ws_row = 33;
	ws.ws_col = 101;
	CHECK(ioctl(1, TIOCSWINSZ, &ws) == 0, "TIOCSWINSZ");
	memset(&ws, 0, sizeof(ws));
	CHECK(ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 33 &&
	      ws.ws_col == 101, "winsize %dx%d", ws.ws_row, ws.ws_col);

	/* molctl run made us a session leader with the terminal */
	CHECK(getsid(0) == getpid(), "session leader");
	CHECK(tcgetpgrp(0) == getpgrp(), "tcgetpgrp %d, pgrp %d",
	      (int)tcgetpgrp(0), (int)getpgrp());
	CHECK(tcgetsid(0) == getsid(0), "tcgetsid");
	CHECK(tcsetpgrp(0, getpgrp()) == 0, "tcsetpgrp");
	CHECK(tcflush(0, TCIFLUSH) == 0, "tcflush");
	CHECK(tcflush(0, 7) == -1 && errno == EINVAL, "tcflush 7");
	CHECK(tcdrain(1) == 0, "tcdrain");

	fd = open("/dev/tty", O_RDWR);
	CHECK(fd >= 0, "open /dev/tty");
	if (fd >= 0) {
		CHECK(isatty(fd) == 1, "/dev/tty isatty");
		CHECK(ttyname(fd) && !strcmp(ttyname(fd), "/dev/tty"),
		      "ttyname /dev/tty");
		CHECK(write(fd, "via-dev-tty\n", 12) == 12, "write");
		CHECK(lseek(fd, 0, SEEK_SET) == -1 && errno == ESPIPE,
		      "lseek");
		close(fd);
	}

	/* not terminals: a file, an FS pipe */
	fd = open("/ttytest.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "open a file");
	if (fd >= 0) {
		CHECK(isatty(fd) == 0 && errno == ENOTTY, "file isatty");
		CHECK(tcgetattr(fd, &t) == -1 && errno == ENOTTY,
		      "file tcgetattr");
		CHECK(ioctl(fd, TIOCGWINSZ, &ws) == -1 && errno == ENOTTY,
		      "file ioctl");
		CHECK(ttyname(fd) == NULL && errno == ENOTTY, "file ttyname");
		close(fd);
		unlink("/ttytest.tmp");
	}
	CHECK(pipe(pfd) == 0, "pipe");
	CHECK(isatty(pfd[0]) == 0, "pipe isatty");
	close(pfd[0]);
	close(pfd[1]);
	CHECK(ioctl(0, 0x54ff, &t) == -1 && errno == EINVAL,
	      "unknown request");
	return done("attr");
}

static int t_notty(void)
{
	struct termios t;

	CHECK(isatty(0) == 0, "isatty(0)");
	CHECK(tcgetattr(0, &t) == -1 && errno == ENOTTY, "tcgetattr");
	return done("notty");
}

static int t_raw(void)
{
	struct termios orig, t;
	unsigned char buf[8];
	int n = 0, r;

	tcgetattr(0, &orig);
	t = orig;
	t.c_lflag &= ~(ICANON | ECHO | ISIG);
	t.c_cc[VMIN] = 1;
	CHECK(tcsetattr(0, TCSANOW, &t) == 0, "tcsetattr");
	printf("raw ready\n");
	fflush(stdout);
	while (n < 3 && (r = read(0, buf + n, 3 - n)) > 0)
		n += r;
	tcsetattr(0, TCSANOW, &orig);
	CHECK(n == 3, "read %d", n);
	printf("raw got %02x %02x %02x\n", buf[0], buf[1], buf[2]);
	return done("raw");
}

static volatile sig_atomic_t got;

static void on_sig(int sig)
{
	got = sig;
}

/* A blocked read ends EINTR when caught signal @sig arrives. */
static int t_blocked(const char *name, int sig)
{
	struct sigaction sa = { .sa_handler = on_sig };
	char buf[16];
	ssize_t r;

	sigaction(sig, &sa, NULL);	/* no SA_RESTART */
	printf("%s ready\n", name);
	fflush(stdout);
	if (sig == SIGALRM)
		alarm(1);
	r = read(0, buf, sizeof(buf));
	CHECK(r == -1 && errno == EINTR, "read %zd", r);
	CHECK(got == sig, "handler got %d", (int)got);
	return done(name);
}

/*
 * A child in a new process group made the foreground: ^C goes to it
 * (it dies of SIGINT), not to us (our handler must not run).
 */
static int t_pgrp(void)
{
	struct sigaction sa = { .sa_handler = on_sig };
	int st;
	pid_t c;

	sigaction(SIGINT, &sa, NULL);
	c = fork();
	if (c == 0) {
		signal(SIGINT, SIG_DFL);
		setpgid(0, 0);
		signal(SIGTTOU, SIG_IGN);	/* as POSIX wants from a
						 * background group */
		if (tcsetpgrp(0, getpid()) < 0) {
			printf("FAIL: tcsetpgrp: %s\n", strerror(errno));
			_exit(3);
		}
		printf("pgrp ready\n");
		fflush(stdout);
		sleep(20);
		_exit(0);
	}
	CHECK(waitpid(c, &st, 0) == c, "waitpid");
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "status %#x", st);
	CHECK(got == 0, "the parent got signal %d", (int)got);
	/* take the terminal back (we are the session leader) */
	CHECK(tcsetpgrp(0, getpgrp()) == 0, "tcsetpgrp back");
	CHECK(tcgetpgrp(0) == getpgrp(), "foreground again");
	return done("pgrp");
}

static int t_winch(void)
{
	struct sigaction sa = { .sa_handler = on_sig };
	struct winsize ws = { 0 };
	int i;

	sigaction(SIGWINCH, &sa, NULL);
	printf("winch ready\n");
	fflush(stdout);
	for (i = 0; i < 100 && got != SIGWINCH; i++)
		usleep(50000);
	CHECK(got == SIGWINCH, "no SIGWINCH");
	CHECK(ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 27 &&
	      ws.ws_col == 91, "winsize %dx%d", ws.ws_row, ws.ws_col);
	return done("winch");
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "attr"))
		return t_attr();
	if (!strcmp(argv[1], "notty"))
		return t_notty();
	if (!strcmp(argv[1], "raw"))
		return t_raw();
	if (!strcmp(argv[1], "eintr"))
		return t_blocked("eintr", SIGALRM);
	if (!strcmp(argv[1], "tstp"))
		return t_blocked("tstp", SIGTSTP);
	if (!strcmp(argv[1], "pgrp"))
		return t_pgrp();
	if (!strcmp(argv[1], "winch"))
		return t_winch();
	return 2;
}

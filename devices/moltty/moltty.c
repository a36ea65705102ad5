// SPDX-License-Identifier: GPL-2.0
/*
 * moltty - MoL's terminal driver (MINIX's TTY), bound to MOL_TTY.
 *
 *	moltty [-v] --socket RUNDIR/tty.sock
 *
 * One terminal, minor 0 (/dev/console; /dev/tty is the same terminal):
 * `molctl run` hands it the launcher's terminal (a descriptor, through
 * the control socket) and puts that terminal in raw mode; moltty does
 * the line discipline (canonical editing, echo, ICRNL/ONLCR, ISIG) and
 * serves the CDEV_* calls FS forwards (<linux/molcalls.h>).  When the
 * connection closes the terminal is gone: reads end (0), writes fail
 * (-EIO), opens fail (-ENXIO) until the next one.
 *
 * Two threads: the main thread is the MINIX server (receive, one
 * dispatch table, reply; it only ever replies and notifies, never sends
 * a request, so FS and PM can call it without risk of deadlock); the
 * host thread polls the control socket and the terminal, runs the line
 * discipline and echoes.  One mutex covers the terminal's state.  The
 * host thread wakes the main thread (SIGUSR1 ends its receive, EINTR)
 * when a queued read can complete or a signal is to be sent; the main
 * thread then copies the data into FS's grant and notifies FS, or
 * notifies PM, which asks TTY_GETSIG.  See Documentation/devices.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "mol.h"
#include "../cdev_check.h"
#include <linux/molcalls.h>
#include <linux/molfscalls.h>
#include "../../daemons/molctl/molctl_proto.h"

#define TTY_QSIZE	8192		/* input queue entries */
#define TTY_MAX_CANON	4095		/* bytes of a line being edited */
#define TTY_MAX_READS	64		/* queued reads */
#define TTY_MAX_SIGS	16
#define IN_EOL		0x100		/* entry ends a line */
#define IN_EOF		0x200		/* an EOF marker (^D) */
#define IN_CHAR(e)	((unsigned char)((e) & 0xff))

struct tty_read {
	bool used, done;
	int user;			/* the reader's endpoint */
	int grant;			/* FS's grant */
	size_t count;
	int result;			/* when done */
};

static struct {
	pthread_mutex_t lock;
	int fd;				/* the host terminal, -1: none */
	int conn;			/* molctl's connection, -1: none */
	struct mol_termios tio;
	struct mol_winsize ws;
	uint16_t q[TTY_QSIZE];
	size_t q_len;			/* entries queued */
	size_t q_avail;			/* of which readers may take */
	int session, pgrp;		/* 0: none */
	struct tty_read rd[TTY_MAX_READS];
	struct mol_tty_sig sigq[TTY_MAX_SIGS];
	unsigned int nsig;
	bool work;			/* for the main thread */
	bool fs_notify;			/* reads FS has not collected */
} tty = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1, .conn = -1 };

static struct mol mol;
static pthread_t main_thread;
static volatile sig_atomic_t stop;
static bool verbose;
static int listen_fd = -1;

static void tty_log(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void tty_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "moltty: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Linux's defaults for a new terminal (as `stty sane`). */
static void tio_defaults(struct mol_termios *t)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON | IMAXBEL | IUTF8;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		     IEXTEN;
	t->c_cc[VINTR] = 003;
	t->c_cc[VQUIT] = 034;
	t->c_cc[VERASE] = 0177;
	t->c_cc[VKILL] = 025;
	t->c_cc[VEOF] = 004;
	t->c_cc[VTIME] = 0;
	t->c_cc[VMIN] = 1;
	t->c_cc[VSTART] = 021;
	t->c_cc[VSTOP] = 023;
	t->c_cc[VSUSP] = 032;
	t->c_cc[VREPRINT] = 022;
	t->c_cc[VDISCARD] = 017;
	t->c_cc[VWERASE] = 027;
	t->c_cc[VLNEXT] = 026;
	t->c_ispeed = t->c_ospeed = 38400;
}

/* Wake the main thread: its receive ends with EINTR. */
static void kick_locked(void)
{
	tty.work = true;
	pthread_kill(main_thread, SIGUSR1);
}

/* ---------------------------------------------------------------- */
/* Output                                                            */
/* ---------------------------------------------------------------- */

/*
 * Write to the terminal.  Our descriptor is nonblocking (attach()), so a
 * terminal nobody drains holds us (and FS, which waits for our reply)
 * for at most TTY_WRITE_WAIT_MS; then the output is dropped, and so is
 * further output as long as the terminal stays full.
 */
#define TTY_WRITE_WAIT_MS	2000

static bool out_stalled;

static void put_raw(const void *buf, size_t len)
{
	struct pollfd p = { .fd = tty.fd, .events = POLLOUT };
	const char *s = buf;
	int waited = out_stalled ? TTY_WRITE_WAIT_MS : 0;
	ssize_t n;

	while (len && tty.fd >= 0) {
		n = write(tty.fd, s, len);
		if (n > 0) {
			out_stalled = false;
			s += n;
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN && waited < TTY_WRITE_WAIT_MS) {
			poll(&p, 1, 100);
			waited += 100;
			continue;
		}
		if (verbose && !out_stalled)
			tty_log("output dropped: %s", n < 0 ? strerror(errno) :
				"no progress");
		out_stalled = true;
		return;
	}
}

/* Output processing (OPOST: ONLCR, OCRNL) of @len bytes. */
static void put_out(const unsigned char *buf, size_t len)
{
	unsigned char out[512];
	size_t i, n = 0;
	bool post = tty.tio.c_oflag & OPOST;

	for (i = 0; i < len; i++) {
		unsigned char c = buf[i];

		if (n > sizeof(out) - 2) {
			put_raw(out, n);
			n = 0;
		}
		if (post && c == '\n' && (tty.tio.c_oflag & ONLCR))
			out[n++] = '\r';
		else if (post && c == '\r' && (tty.tio.c_oflag & OCRNL))
			c = '\n';
		out[n++] = c;
	}
	put_raw(out, n);
}

static bool is_ctl(unsigned char c)
{
	return (c < 040 || c == 0177) && c != '\t' && c != '\n';
}

/* Echo one input byte (ECHO; ECHOCTL shows control bytes as ^X). */
static void echo_char(unsigned char c)
{
	unsigned char buf[2];

	if (!(tty.tio.c_lflag & ECHO)) {
		if (c == '\n' && (tty.tio.c_lflag & ECHONL))
			put_out(&c, 1);
		return;
	}
	if (is_ctl(c) && (tty.tio.c_lflag & ECHOCTL)) {
		buf[0] = '^';
		buf[1] = c ^ 0100;
		put_raw(buf, 2);
		return;
	}
	put_out(&c, 1);
}

/* Take back the echo of @c: ECHOE erases it on the screen. */
static void echo_erase(unsigned char c)
{
	int w = is_ctl(c) && (tty.tio.c_lflag & ECHOCTL) ? 2 : 1;

	if (!(tty.tio.c_lflag & ECHO))
		return;
	if (!(tty.tio.c_lflag & ECHOE)) {
		echo_char(tty.tio.c_cc[VERASE]);
		return;
	}
	while (w--)
		put_raw("\b \b", 3);
}

/* ---------------------------------------------------------------- */
/* Input: the line discipline (host thread, lock held)               */
/* ---------------------------------------------------------------- */

static void flush_input(void)
{
	tty.q_len = tty.q_avail = 0;
}

static void queue_signal(int sig)
{
	struct mol_tty_sig *s;

	if (!tty.pgrp || tty.nsig >= TTY_MAX_SIGS)
		return;
	s = &tty.sigq[tty.nsig++];
	memset(s, 0, sizeof(*s));
	s->sig = sig;
	s->pgrp = tty.pgrp;
	s->sid = tty.session;
	kick_locked();
}

static void push(uint16_t e)
{
	if (tty.q_len >= TTY_QSIZE ||
	    ((tty.tio.c_lflag & ICANON) && !(e & (IN_EOL | IN_EOF)) &&
	     tty.q_len - tty.q_avail >= TTY_MAX_CANON)) {
		if (tty.tio.c_iflag & IMAXBEL)
			put_raw("\a", 1);
		return;
	}
	tty.q[tty.q_len++] = e;
}

/* The line in edit is done: readers may take it. */
static void line_done(void)
{
	tty.q_avail = tty.q_len;
	kick_locked();
}

static bool erase_one(void)
{
	if (tty.q_len == tty.q_avail)
		return false;
	echo_erase(IN_CHAR(tty.q[--tty.q_len]));
	return true;
}

static void ldisc_input(unsigned char c)
{
	const struct mol_termios *t = &tty.tio;
	const unsigned char *cc = t->c_cc;

	if (t->c_iflag & ISTRIP)
		c &= 0x7f;
	if (c == '\r') {
		if (t->c_iflag & IGNCR)
			return;
		if (t->c_iflag & ICRNL)
			c = '\n';
	} else if (c == '\n' && (t->c_iflag & INLCR)) {
		c = '\r';
	}
	if (t->c_lflag & ISIG) {
		int sig = c == cc[VINTR] ? SIGINT : c == cc[VQUIT] ? SIGQUIT :
			  c == cc[VSUSP] ? SIGTSTP : 0;

		if (sig && c != _POSIX_VDISABLE) {
			if (!(t->c_lflag & NOFLSH))
				flush_input();
			echo_char(c);
			queue_signal(sig);
			return;
		}
	}
	if (!(t->c_lflag & ICANON)) {
		push(c);
		echo_char(c);
		line_done();
		return;
	}
	if (c == _POSIX_VDISABLE)
		goto plain;
	if (c == cc[VERASE]) {
		erase_one();
		return;
	}
	if (c == cc[VWERASE] && (t->c_lflag & IEXTEN)) {
		while (tty.q_len > tty.q_avail &&
		       IN_CHAR(tty.q[tty.q_len - 1]) == ' ')
			erase_one();
		while (tty.q_len > tty.q_avail &&
		       IN_CHAR(tty.q[tty.q_len - 1]) != ' ')
			erase_one();
		return;
	}
	if (c == cc[VKILL]) {
		if ((t->c_lflag & ECHOKE) || (t->c_lflag & ECHOE)) {
			while (erase_one())
				;
			return;
		}
		tty.q_len = tty.q_avail;
		echo_char(c);
		if ((t->c_lflag & ECHOK) && (t->c_lflag & ECHO))
			put_out((const unsigned char *)"\n", 1);
		return;
	}
	if (c == cc[VEOF]) {
		push(IN_EOF);
		line_done();
		return;
	}
	if (c == '\n' || c == cc[VEOL] || c == cc[VEOL2]) {
		push(c | IN_EOL);
		echo_char(c);
		line_done();
		return;
	}
plain:
	push(c);
	echo_char(c);
}

/*
 * Take up to @count bytes a reader may have into @buf: canonical mode
 * stops at the end of a line (an EOF marker ends a read and is not
 * data).  Returns the bytes, 0 at an EOF marker, -EAGAIN if nothing.
 */
static int take_input(unsigned char *buf, size_t count)
{
	bool canon = tty.tio.c_lflag & ICANON;
	size_t i = 0, n = 0;

	if (!canon)
		tty.q_avail = tty.q_len;
	if (tty.q_avail == 0)
		return tty.fd < 0 || (!canon && tty.tio.c_cc[VMIN] == 0) ?
		       0 : -EAGAIN;
	while (i < tty.q_avail && n < count) {
		uint16_t e = tty.q[i++];

		if (e & IN_EOF) {
			if (canon)
				break;
			continue;
		}
		buf[n++] = IN_CHAR(e);
		if (canon && (e & IN_EOL))
			break;
	}
	memmove(tty.q, tty.q + i, (tty.q_len - i) * sizeof(tty.q[0]));
	tty.q_len -= i;
	tty.q_avail -= i;
	return (int)n;
}

static bool input_ready(void)
{
	if (tty.fd < 0)
		return true;	/* hung up: end of file */
	if (!(tty.tio.c_lflag & ICANON))
		return tty.q_len > 0 || tty.tio.c_cc[VMIN] == 0;
	return tty.q_avail > 0;
}

/* ---------------------------------------------------------------- */
/* The host side: control socket and terminal (host thread)          */
/* ---------------------------------------------------------------- */

static void detach_locked(void)
{
	if (tty.fd < 0)
		return;
	if (verbose)
		tty_log("terminal detached");
	if (tty.pgrp)
		queue_signal(SIGHUP);
	close(tty.fd);
	close(tty.conn);
	tty.fd = tty.conn = -1;
	tty.session = tty.pgrp = 0;
	flush_input();
	kick_locked();		/* queued reads end: 0 */
}

/*
 * A packet from molctl: MOLCTL_SIGNAL SIGWINCH (its terminal changed
 * size) goes to the foreground group; end of file means molctl is done.
 */
static void conn_input(void)
{
	struct molctl_hdr h = { 0 };
	char buf[16];
	int ret;

	ret = molctl_recv(tty.conn, &h, buf, sizeof(buf), NULL, NULL);
	if (ret > 0 || (ret == 0 && h.magic == MOLCTL_MAGIC)) {
		if (h.magic == MOLCTL_MAGIC && h.type == MOLCTL_SIGNAL &&
		    h.arg == SIGWINCH)
			queue_signal(SIGWINCH);
		return;
	}
	if (ret == -EAGAIN || ret == -EINTR)
		return;
	detach_locked();	/* molctl is done */
}

static void attach(int conn)
{
	struct timeval tv = { .tv_sec = 2 };
	struct molctl_hdr h;
	int fds[3], nfds = 0, ret, i;
	char buf[32];

	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	ret = molctl_recv(conn, &h, buf, sizeof(buf), fds, &nfds);
	if (ret < 0 || h.magic != MOLCTL_MAGIC || h.type != MOLCTL_TTY ||
	    nfds != 1 || !isatty(fds[0])) {
		for (i = 0; i < nfds; i++)
			close(fds[i]);
		molctl_send(conn, MOLCTL_STATUS, -EINVAL, NULL, 0, NULL, 0);
		close(conn);
		return;
	}
	pthread_mutex_lock(&tty.lock);
	if (tty.fd >= 0) {
		pthread_mutex_unlock(&tty.lock);
		close(fds[0]);
		molctl_send(conn, MOLCTL_STATUS, -EBUSY, NULL, 0, NULL, 0);
		close(conn);
		return;
	}
	/*
	 * Our own open file description of the terminal, nonblocking:
	 * O_NONBLOCK on the one molctl passed would be molctl's (and its
	 * shell's) too.  Keep the passed one if reopening fails.
	 */
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", fds[0]);
	i = open(buf, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (i >= 0 && isatty(i)) {
		close(fds[0]);
		fds[0] = i;
	} else if (i >= 0) {
		close(i);
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	tty.fd = fds[0];
	tty.conn = conn;
	tio_defaults(&tty.tio);
	memset(&tty.ws, 0, sizeof(tty.ws));
	tty.session = tty.pgrp = 0;
	out_stalled = false;
	flush_input();
	pthread_mutex_unlock(&tty.lock);
	if (verbose)
		tty_log("terminal attached");
	molctl_send(conn, MOLCTL_STATUS, 0, NULL, 0, NULL, 0);
}

static void *host_thread(void *arg)
{
	struct pollfd pfd[3];
	unsigned char buf[256];
	sigset_t set;
	ssize_t n, i;
	int conn, timeout;

	sigfillset(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	while (!stop) {
		pthread_mutex_lock(&tty.lock);
		pfd[0].fd = listen_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = tty.conn;
		pfd[1].events = POLLIN;
		pfd[2].fd = tty.fd;
		pfd[2].events = POLLIN;
		/* Kick again until the main thread took the work. */
		timeout = tty.work ? 20 : 500;
		if (tty.work)
			pthread_kill(main_thread, SIGUSR1);
		pthread_mutex_unlock(&tty.lock);
		if (poll(pfd, 3, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
			if (conn >= 0)
				attach(conn);
		}
		pthread_mutex_lock(&tty.lock);
		if (pfd[2].fd >= 0 && pfd[2].fd == tty.fd &&
		    (pfd[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			/*
			 * A hang-up reads 0 with POLLHUP (or fails EIO);
			 * 0 alone is an EOF character typed before the
			 * terminal was made raw.
			 */
			n = read(tty.fd, buf, sizeof(buf));
			if ((n < 0 && errno != EINTR && errno != EAGAIN) ||
			    (n == 0 && (pfd[2].revents & POLLHUP)))
				detach_locked();
			for (i = 0; i < n; i++)
				ldisc_input(buf[i]);
		}
		if (pfd[1].fd >= 0 && pfd[1].fd == tty.conn &&
		    (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
			conn_input();
		pthread_mutex_unlock(&tty.lock);
	}
	return NULL;
}

/* ---------------------------------------------------------------- */
/* The server (main thread, lock held)                               */
/* ---------------------------------------------------------------- */

static struct tty_read *read_of(int user)
{
	int i;

	for (i = 0; i < TTY_MAX_READS; i++)
		if (tty.rd[i].used && tty.rd[i].user == user)
			return &tty.rd[i];
	return NULL;
}

/* Satisfy @r from the queue if possible: true if it is done. */
static bool try_read(struct tty_read *r)
{
	unsigned char buf[CDEV_IO_MAX];
	int n;

	if (!input_ready())
		return false;
	n = take_input(buf, r->count);
	if (n == -EAGAIN)
		return false;
	if (n > 0 && mol_safecopy_to(&mol, MOL_FS, r->grant, 0, buf, n) < 0)
		n = -EFAULT;
	r->done = true;
	r->result = n;
	return true;
}

/* Finish what the host thread made possible; notify FS and PM. */
static void do_work(void)
{
	int i;

	tty.work = false;
	for (i = 0; i < TTY_MAX_READS; i++)
		if (tty.rd[i].used && !tty.rd[i].done && try_read(&tty.rd[i]))
			tty.fs_notify = true;
	if (tty.fs_notify) {
		tty.fs_notify = false;
		mol_notify(&mol, MOL_FS);
	}
	if (tty.nsig)
		mol_notify(&mol, MOL_PM);
}

static int check_grant(int grant, size_t count)
{
	int ret = mol_safecopy_to(&mol, MOL_FS, grant, count, "", 0);

	return ret < 0 ? (ret == -EPERM ? -EPERM : -EFAULT) : 0;
}

static int cdev_read(struct mol_cdev_req *r)
{
	unsigned char buf[CDEV_IO_MAX];
	struct tty_read *rd;
	int n, i;

	if (r->count == 0 || r->count > CDEV_IO_MAX)
		return -EINVAL;
	if (read_of(r->user))
		return -EBUSY;
	n = check_grant(r->grant, r->count);
	if (n < 0)
		return n;
	if (input_ready()) {
		n = take_input(buf, r->count);
		if (n != -EAGAIN) {
			if (n > 0 && mol_safecopy_to(&mol, MOL_FS, r->grant, 0,
						     buf, n) < 0)
				return -EFAULT;
			return n;
		}
	}
	if (r->flags & CDEV_NONBLOCK)
		return -EAGAIN;
	for (i = 0; i < TTY_MAX_READS; i++) {
		rd = &tty.rd[i];
		if (rd->used)
			continue;
		memset(rd, 0, sizeof(*rd));
		rd->used = true;
		rd->user = r->user;
		rd->grant = r->grant;
		rd->count = r->count;
		return CDEV_QUEUED;
	}
	return -EAGAIN;
}

static int cdev_write(struct mol_cdev_req *r)
{
	unsigned char buf[CDEV_IO_MAX];

	if (r->count == 0 || r->count > CDEV_IO_MAX)
		return -EINVAL;
	if (tty.fd < 0)
		return -EIO;
	if (mol_safecopy_from(&mol, MOL_FS, r->grant, 0, buf, r->count) < 0)
		return -EFAULT;
	put_out(buf, r->count);
	return (int)r->count;
}

/* The size of the argument of terminal request @req. */
static size_t ioctl_size(unsigned int req)
{
	switch (req) {
	case MOL_TIOC_GETATTR:
	case MOL_TIOC_SETATTR:
	case MOL_TIOC_SETATTRW:
	case MOL_TIOC_SETATTRF:
		return sizeof(struct mol_termios);
	case MOL_TIOC_GETWINSZ:
	case MOL_TIOC_SETWINSZ:
		return sizeof(struct mol_winsize);
	case MOL_TIOC_GETPGRP:
	case MOL_TIOC_SETPGRP:
	case MOL_TIOC_GETSID:
	case MOL_TIOC_FLUSH:
	case MOL_TIOC_INQ:
		return sizeof(__s32);
	}
	return 0;
}

static int cdev_ioctl(struct mol_cdev_req *r)
{
	union mol_tty_arg a;
	bool in_session = tty.session && r->sid == tty.session;
	size_t size = ioctl_size(r->request), i;
	bool was_canon = tty.tio.c_lflag & ICANON;
	int ret = 0;

	if (r->request == 0 || r->request > MOL_TIOC_MAX || r->count != size)
		return r->request > MOL_TIOC_MAX ? -ENOTTY : -EINVAL;
	memset(&a, 0, sizeof(a));
	if (size && mol_safecopy_from(&mol, MOL_FS, r->grant, 0, &a, size) < 0)
		return -EFAULT;
	switch (r->request) {
	case MOL_TIOC_GETATTR:
		a.tio = tty.tio;
		break;
	case MOL_TIOC_SETATTRF:
		flush_input();
		/* fall through */
	case MOL_TIOC_SETATTR:
	case MOL_TIOC_SETATTRW:
		tty.tio = a.tio;
		if (was_canon && !(tty.tio.c_lflag & ICANON))
			tty.q_avail = tty.q_len;
		tty.work = true;	/* queued reads may complete now */
		break;
	case MOL_TIOC_GETWINSZ:
		if (tty.fd >= 0) {
			struct winsize w;

			if (ioctl(tty.fd, TIOCGWINSZ, &w) == 0) {
				tty.ws.ws_row = w.ws_row;
				tty.ws.ws_col = w.ws_col;
				tty.ws.ws_xpixel = w.ws_xpixel;
				tty.ws.ws_ypixel = w.ws_ypixel;
			}
		}
		a.ws = tty.ws;
		break;
	case MOL_TIOC_SETWINSZ:
		tty.ws = a.ws;
		if (tty.fd >= 0) {
			struct winsize w = {
				a.ws.ws_row, a.ws.ws_col, a.ws.ws_xpixel,
				a.ws.ws_ypixel
			};

			ioctl(tty.fd, TIOCSWINSZ, &w);
		}
		break;
	case MOL_TIOC_GETPGRP:
		if (!in_session)
			return -ENOTTY;
		a.value = tty.pgrp;
		break;
	case MOL_TIOC_SETPGRP:
		if (!in_session)
			return -ENOTTY;
		if (a.value <= 0)
			return -EINVAL;
		tty.pgrp = a.value;
		break;
	case MOL_TIOC_GETSID:
		if (!in_session)
			return -ENOTTY;
		a.value = tty.session;
		break;
	case MOL_TIOC_SETCTTY:
		/* a session leader without another terminal */
		if (r->pid <= 0 || r->sid != r->pid || r->pgid != r->pid)
			return -EPERM;
		if (tty.session && tty.session != r->sid)
			return -EPERM;
		if (tty.fd < 0)
			return -EIO;
		tty.session = r->sid;
		tty.pgrp = r->pgid;
		break;
	case MOL_TIOC_FLUSH:
		if (a.value < TCIFLUSH || a.value > TCIOFLUSH)
			return -EINVAL;
		if (a.value != TCOFLUSH)
			flush_input();
		break;
	case MOL_TIOC_INQ:
		for (i = 0, a.value = 0; i < tty.q_avail; i++)
			a.value += !(tty.q[i] & IN_EOF);
		break;
	case MOL_TIOC_DRAIN:
		if (tty.fd >= 0)
			tcdrain(tty.fd);
		break;
	}
	if (size && mol_safecopy_to(&mol, MOL_FS, r->grant, 0, &a, size) < 0)
		return -EFAULT;
	return ret;
}

static int cdev_cancel(struct mol_cdev_req *r)
{
	struct tty_read *rd = read_of(r->user);
	int ret;

	if (!rd)
		return -ENOENT;
	ret = rd->done ? rd->result : -EINTR;
	rd->used = false;
	r->count = ret;
	return ret;
}

static int cdev_status(struct mol_cdev_req *r)
{
	struct tty_read *rd = NULL;
	int i, ret;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < TTY_MAX_READS; i++) {
		if (!tty.rd[i].used || !tty.rd[i].done)
			continue;
		if (rd) {
			r->more = 1;
			break;
		}
		rd = &tty.rd[i];
	}
	if (!rd)
		return -EAGAIN;
	ret = rd->result;
	r->minor = MOL_CONSOLE_MINOR;
	r->user = rd->user;
	r->count = ret;
	rd->used = false;
	return ret;
}

/* A CDEV_* request's fields (cdev_check_fields), then its minor. */
static int cdev_check(int call, const struct mol_cdev_req *r)
{
	int ret = cdev_check_fields(call, r);

	if (ret || call == CDEV_STATUS)
		return ret;
	if (r->minor != MOL_CONSOLE_MINOR)
		return -ENXIO;
	return 0;
}

static int cdev_request(struct mol_message *m)
{
	struct mol_cdev_req *r = MOL_BODY(m, struct mol_cdev_req);
	int call = m->m_type, ret;

	if (m->m_source != MOL_FS)
		return -EPERM;
	ret = cdev_check(call, r);
	if (ret < 0)
		return ret;
	switch (call) {
	case CDEV_OPEN:
		return tty.fd < 0 ? -ENXIO : 0;
	case CDEV_CLOSE:
		return 0;
	case CDEV_READ:
		return cdev_read(r);
	case CDEV_WRITE:
		return cdev_write(r);
	case CDEV_IOCTL:
		return cdev_ioctl(r);
	case CDEV_CANCEL:
		return cdev_cancel(r);
	case CDEV_STATUS:
		return cdev_status(r);
	}
	return -EINVAL;
}

/* TTY_GETSIG from PM: the oldest signal typed. */
static int tty_getsig(struct mol_message *m)
{
	struct mol_tty_sig *s = MOL_BODY(m, struct mol_tty_sig);

	if (m->m_source != MOL_PM)
		return -EPERM;
	memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	if (!tty.nsig)
		return -EAGAIN;
	*s = tty.sigq[0];
	memmove(tty.sigq, tty.sigq + 1, --tty.nsig * sizeof(tty.sigq[0]));
	s->more = tty.nsig > 0;
	return 0;
}

static int dispatch(struct mol_message *m)
{
	if (m->m_type == TTY_GETSIG)
		return tty_getsig(m);
	return cdev_request(m);
}

static void on_wake(int sig)
{
	(void)sig;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void serve(void)
{
	struct molipc_ipc req;
	sigset_t wake;
	int ret;

	sigemptyset(&wake);
	sigaddset(&wake, SIGUSR1);
	while (!stop) {
		pthread_mutex_lock(&tty.lock);
		if (tty.work || tty.nsig)
			do_work();
		pthread_mutex_unlock(&tty.lock);

		memset(&req, 0, sizeof(req));
		req.endpoint = MOL_ANY;
		req.flags = MOLIPC_IPC_TIMEOUT;
		req.timeout_ns = 500 * 1000 * 1000ULL;
		ret = mol_ipc(&mol, MOLIPC_OP_RECEIVE, &req);
		if (ret == MOL_EINSTGONE || ret == MOL_ENOTBOUND) {
			tty_log("the instance is gone");
			return;
		}
		if (ret < 0 || (req.status & MOLIPC_STATUS_NOTIFY))
			continue;
		pthread_mutex_lock(&tty.lock);
		ret = dispatch(&req.msg);
		pthread_mutex_unlock(&tty.lock);
		if (verbose)
			tty_log("call 0x%x from %d: %d", req.msg.m_type,
				req.msg.m_source, ret);
		if (!(req.status & MOLIPC_STATUS_SENDREC))
			continue;
		req.msg.m_type = ret;
		/* no wake-up may interrupt the reply */
		pthread_sigmask(SIG_BLOCK, &wake, NULL);
		mol_sendnb(&mol, req.msg.m_source, &req.msg);
		pthread_sigmask(SIG_UNBLOCK, &wake, NULL);
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "instance", required_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ }
	};
	const char *inst = getenv("MOL_INSTANCE"), *sock = NULL;
	struct sigaction sa = { .sa_handler = on_wake };
	pthread_t host;
	int c, ret, ep;

	while ((c = getopt_long(argc, argv, "s:i:v", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'i':
			inst = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: moltty [-v] [-i INSTANCE] --socket PATH\n");
			return 2;
		}
	}
	if (!sock || !inst) {
		tty_log("--socket PATH and an instance (-i or MOL_INSTANCE) are needed");
		return 2;
	}
	sigaction(SIGUSR1, &sa, NULL);		/* no SA_RESTART */
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGHUP, SIG_IGN);

	listen_fd = molctl_listen(sock);
	if (listen_fd < 0) {
		tty_log("%s: %s", sock, strerror(-listen_fd));
		return 1;
	}
	ret = mol_open(&mol, NULL);
	if (ret < 0) {
		tty_log("open: %s", mol_strerror(ret));
		return 1;
	}
	ret = mol_bind(&mol, (unsigned int)strtoul(inst, NULL, 0), MOL_ANY,
		       &ep);
	if (ret < 0) {
		tty_log("bind: %s", mol_strerror(ret));
		return 1;
	}
	if (ep != MOL_TTY)
		tty_log("bound %d, not MOL_TTY", ep);
	tio_defaults(&tty.tio);
	main_thread = pthread_self();
	if (pthread_create(&host, NULL, host_thread, NULL)) {
		tty_log("cannot start the host thread");
		return 1;
	}
	serve();
	stop = 1;
	pthread_join(host, NULL);
	close(listen_fd);
	unlink(sock);
	mol_close(&mol);
	return 0;
}

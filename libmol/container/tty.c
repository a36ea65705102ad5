// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tty.c - the container's terminal calls on FS descriptors: a terminal
 * MoL serves (/dev/console, /dev/tty: the terminal driver moltty, behind
 * FS) is an FS character device, and its ioctls are FS_IOCTL messages
 * (MOL_TIOC_* of <linux/molcalls.h>).  glibc's tcgetattr, tcsetattr,
 * tcgetpgrp, ... call the ioctl system call internally, where no preload
 * reaches, so they are interposed too.  Host descriptors go to the C
 * library as before.  See Documentation/devices.md, "moltty".
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include "file.h"

/* The kernel's struct termios (asm-generic/termbits.h), TCGETS's. */
struct ktermios {
	tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
	cc_t c_line;
	cc_t c_cc[MOL_NCCS];
};

/* FS_IOCTL @req on FS descriptor @fsfd with argument @arg. */
static long tty_call(int fsfd, unsigned int req, union mol_tty_arg *arg,
		     size_t len)
{
	struct mol_message m;
	struct mol_fs_ioctl *b = MOL_BODY(&m, struct mol_fs_ioctl);
	struct ctr_grant g = {
		.addr = arg, .len = sizeof(*arg),
		.access = MOL_GRANT_READ | MOL_GRANT_WRITE, .id = &b->grant,
	};

	memset(&m, 0, sizeof(m));
	b->fd = fsfd;
	b->request = req;
	b->len = len;
	b->grant = -1;
	if (req == MOL_TIOC_SETCTTY || req == MOL_TIOC_SETPGRP ||
	    req == MOL_TIOC_GETPGRP || req == MOL_TIOC_GETSID) {
		b->pid = getpid();
		b->pgid = getpgrp();
		b->sid = getsid(0);
	}
	return ctr_fs_call(FS_IOCTL, &m, false, &g, arg ? 1 : 0);
}

static int tty_value(int fd, unsigned int req, int in, int *out)
{
	union mol_tty_arg a;
	long ret;

	memset(&a, 0, sizeof(a));
	a.value = in;
	ret = tty_call(ctr_fsfd(fd), req, &a, sizeof(a.value));
	if (ret < 0)
		return FS_RET(ret);
	if (out)
		*out = a.value;
	return 0;
}

static int tty_getattr(int fd, struct mol_termios *t)
{
	union mol_tty_arg a;
	long ret;

	memset(&a, 0, sizeof(a));
	ret = tty_call(ctr_fsfd(fd), MOL_TIOC_GETATTR, &a, sizeof(a.tio));
	if (ret < 0)
		return FS_RET(ret);
	*t = a.tio;
	return 0;
}

static int tty_setattr(int fd, unsigned int req, const struct mol_termios *t)
{
	union mol_tty_arg a;

	memset(&a, 0, sizeof(a));
	a.tio = *t;
	return FS_RET(tty_call(ctr_fsfd(fd), req, &a, sizeof(a.tio)));
}

static int tty_winsize(int fd, unsigned int req, struct winsize *w)
{
	union mol_tty_arg a;
	long ret;

	memset(&a, 0, sizeof(a));
	a.ws.ws_row = w->ws_row;
	a.ws.ws_col = w->ws_col;
	a.ws.ws_xpixel = w->ws_xpixel;
	a.ws.ws_ypixel = w->ws_ypixel;
	ret = tty_call(ctr_fsfd(fd), req, &a, sizeof(a.ws));
	if (ret < 0)
		return FS_RET(ret);
	w->ws_row = a.ws.ws_row;
	w->ws_col = a.ws.ws_col;
	w->ws_xpixel = a.ws.ws_xpixel;
	w->ws_ypixel = a.ws.ws_ypixel;
	return 0;
}

static void k_from_mol(struct ktermios *k, const struct mol_termios *t)
{
	k->c_iflag = t->c_iflag;
	k->c_oflag = t->c_oflag;
	k->c_cflag = t->c_cflag;
	k->c_lflag = t->c_lflag;
	k->c_line = t->c_line;
	memcpy(k->c_cc, t->c_cc, MOL_NCCS);
}

static void mol_from_k(struct mol_termios *t, const struct ktermios *k)
{
	memset(t, 0, sizeof(*t));
	t->c_iflag = k->c_iflag;
	t->c_oflag = k->c_oflag;
	t->c_cflag = k->c_cflag;
	t->c_lflag = k->c_lflag;
	t->c_line = k->c_line;
	memcpy(t->c_cc, k->c_cc, MOL_NCCS);
	t->c_ispeed = t->c_ospeed = 38400;
}

/* ioctl(2) on an FS descriptor (file.c sends these here). */
int ctr_tty_ioctl(int fd, unsigned long req, void *arg)
{
	struct mol_termios t;
	int fl, ret;

	switch (req) {
	case FIONBIO:
		fl = fcntl(fd, F_GETFL);
		if (fl < 0)
			return -1;
		return fcntl(fd, F_SETFL, *(int *)arg ? fl | O_NONBLOCK :
			     fl & ~O_NONBLOCK) < 0 ? -1 : 0;
	case FIOCLEX:
	case FIONCLEX:
		return fcntl(fd, F_SETFD, req == FIOCLEX ? FD_CLOEXEC : 0) < 0 ?
		       -1 : 0;
	case TCGETS:
		ret = tty_getattr(fd, &t);
		if (!ret)
			k_from_mol(arg, &t);
		return ret;
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		mol_from_k(&t, arg);
		return tty_setattr(fd, req == TCSETS ? MOL_TIOC_SETATTR :
				   req == TCSETSW ? MOL_TIOC_SETATTRW :
				   MOL_TIOC_SETATTRF, &t);
	case TIOCGWINSZ:
		return tty_winsize(fd, MOL_TIOC_GETWINSZ, arg);
	case TIOCSWINSZ:
		return tty_winsize(fd, MOL_TIOC_SETWINSZ, arg);
	case TIOCGPGRP:
		return tty_value(fd, MOL_TIOC_GETPGRP, 0, arg);
	case TIOCSPGRP:
		return tty_value(fd, MOL_TIOC_SETPGRP, *(pid_t *)arg, NULL);
	case TIOCGSID:
		return tty_value(fd, MOL_TIOC_GETSID, 0, arg);
	case TIOCSCTTY:
		return FS_RET(tty_call(ctr_fsfd(fd), MOL_TIOC_SETCTTY, NULL,
				       0));
	case TCFLSH:
		return tty_value(fd, MOL_TIOC_FLUSH, (int)(long)arg, NULL);
	case FIONREAD:
		return tty_value(fd, MOL_TIOC_INQ, 0, arg);
	case TCSBRK:
		return FS_RET(tty_call(ctr_fsfd(fd), MOL_TIOC_DRAIN, NULL, 0));
	}
	/* Not a terminal request: a terminal says EINVAL, a file ENOTTY. */
	ret = tty_getattr(fd, &t);
	errno = ret ? ENOTTY : EINVAL;
	return -1;
}

int ctr_tty_isatty(int fd)
{
	struct mol_termios t;

	return tty_getattr(fd, &t) == 0;
}

/* ---------------------------------------------------------------- */
/* glibc's terminal functions                                        */
/* ---------------------------------------------------------------- */

int tcgetattr(int fd, struct termios *t)
{
	struct mol_termios mt;

	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, struct termios *), tcgetattr)(fd, t);
	if (tty_getattr(fd, &mt) < 0)
		return -1;
	memset(t, 0, sizeof(*t));
	t->c_iflag = mt.c_iflag;
	t->c_oflag = mt.c_oflag;
	t->c_cflag = mt.c_cflag;
	t->c_lflag = mt.c_lflag;
	t->c_line = mt.c_line;
	memcpy(t->c_cc, mt.c_cc, MOL_NCCS);
	t->c_ispeed = t->c_ospeed = mt.c_cflag & (CBAUD | CBAUDEX);
	return 0;
}

int tcsetattr(int fd, int act, const struct termios *t)
{
	struct mol_termios mt;

	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, int, const struct termios *),
			    tcsetattr)(fd, act, t);
	if (act != TCSANOW && act != TCSADRAIN && act != TCSAFLUSH) {
		errno = EINVAL;
		return -1;
	}
	memset(&mt, 0, sizeof(mt));
	mt.c_iflag = t->c_iflag;
	mt.c_oflag = t->c_oflag;
	mt.c_cflag = t->c_cflag;
	mt.c_lflag = t->c_lflag;
	mt.c_line = t->c_line;
	memcpy(mt.c_cc, t->c_cc, MOL_NCCS);
	mt.c_ispeed = mt.c_ospeed = 38400;
	return tty_setattr(fd, act == TCSANOW ? MOL_TIOC_SETATTR :
			   act == TCSADRAIN ? MOL_TIOC_SETATTRW :
			   MOL_TIOC_SETATTRF, &mt);
}

pid_t tcgetpgrp(int fd)
{
	int v;

	if (ctr_fsfd(fd) < 0)
		return REAL(pid_t (*)(int), tcgetpgrp)(fd);
	return tty_value(fd, MOL_TIOC_GETPGRP, 0, &v) < 0 ? -1 : v;
}

int tcsetpgrp(int fd, pid_t pgrp)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, pid_t), tcsetpgrp)(fd, pgrp);
	return tty_value(fd, MOL_TIOC_SETPGRP, pgrp, NULL);
}

pid_t tcgetsid(int fd)
{
	int v;

	if (ctr_fsfd(fd) < 0)
		return REAL(pid_t (*)(int), tcgetsid)(fd);
	return tty_value(fd, MOL_TIOC_GETSID, 0, &v) < 0 ? -1 : v;
}

int tcflush(int fd, int queue)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, int), tcflush)(fd, queue);
	return tty_value(fd, MOL_TIOC_FLUSH, queue, NULL);
}

int tcdrain(int fd)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int), tcdrain)(fd);
	return FS_RET(tty_call(ctr_fsfd(fd), MOL_TIOC_DRAIN, NULL, 0));
}

int tcflow(int fd, int action)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, int), tcflow)(fd, action);
	if (action < TCOOFF || action > TCION) {
		errno = EINVAL;
		return -1;
	}
	return ctr_tty_isatty(fd) ? 0 : -1;	/* no flow control */
}

int tcsendbreak(int fd, int duration)
{
	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, int), tcsendbreak)(fd, duration);
	return ctr_tty_isatty(fd) ? 0 : -1;	/* no line to break */
}

/* The MINIX name of a terminal MoL serves, from its device number. */
int ttyname_r(int fd, char *buf, size_t len)
{
	const char *name;
	struct stat st;
	int err;

	if (ctr_fsfd(fd) < 0)
		return REAL(int (*)(int, char *, size_t), ttyname_r)(fd, buf,
								     len);
	if (!ctr_tty_isatty(fd))
		return errno;
	err = ctr_fs_fstat(ctr_fsfd(fd), &st);
	if (err < 0)
		return -err;
	name = major(st.st_rdev) == MOL_CTTY_MAJOR ? "/dev/tty" :
	       "/dev/console";
	if (strlen(name) >= len)
		return ERANGE;
	strcpy(buf, name);
	return 0;
}

char *ttyname(int fd)
{
	static char buf[32];
	int err;

	if (ctr_fsfd(fd) < 0)
		return REAL(char *(*)(int), ttyname)(fd);
	err = ttyname_r(fd, buf, sizeof(buf));
	if (err) {
		errno = err;
		return NULL;
	}
	return buf;
}

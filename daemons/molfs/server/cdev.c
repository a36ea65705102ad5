// SPDX-License-Identifier: GPL-2.0
/*
 * cdev.c - character devices, forwarded to their driver with the CDEV_*
 * calls of <linux/molcalls.h>: MINIX's TTY_MAJOR (/dev/console) and
 * CTTY_MAJOR (/dev/tty) to the terminal driver at MOL_TTY, MEMORY_MAJOR
 * and RANDOM_MAJOR to the memory driver at MOL_MEM (devices/molmem).
 *
 * Data goes through FS's own buffers, granted to the driver (FS copies
 * between them and the program's grant).  A read the driver queues
 * (CDEV_QUEUED) keeps its buffer and grant; its caller stays suspended
 * (like a pipe call) until the driver's notification, after which FS
 * collects the finished reads with CDEV_STATUS.  A signal (FS_PM_UNPAUSE)
 * or the caller's exit takes a queued read back with CDEV_CANCEL.  The
 * driver never sends FS a request, so the sendrecs here cannot deadlock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

#define DEV_MAJOR(rdev)	(((rdev) >> 8) & 0xff)
#define DEV_MINOR(rdev)	((rdev) & 0xff)

/* A read queued by the driver: its buffer stays granted until the end. */
struct cdev_wait {
	int driver;
	unsigned int minor;
	int grant;			/* FS's grant of buf to the driver */
	size_t len;
	unsigned char buf[];
};

/* The driver of character major @major, or MOL_NONE: no such device. */
static int cdev_driver(unsigned int major)
{
	switch (major) {
	case MOL_TTY_MAJOR:
	case MOL_CTTY_MAJOR:
		return MOL_TTY;
	case MOL_MEM_MAJOR:
	case MOL_RANDOM_MAJOR:
		return MOL_MEM;
	}
	return MOL_NONE;
}

bool cdev_is_mem(const struct filp *f)
{
	return f->kind == FILP_CHR && f->driver == MOL_MEM;
}

/* sendrec @m to @driver; its result, -EIO if it cannot be reached. */
static int cdev_call(int driver, struct mol_message *m)
{
	int ret = mol_sendrec(&fs_mol, driver, m);

	if (ret < 0) {
		if (ret != MOL_EDEADSRCDST && ret != MOL_EBADSRCDST)
			fs_log("character driver %d: %s", driver,
			       mol_strerror(ret));
		return -EIO;
	}
	return m->m_type;
}

static void cdev_req(struct mol_message *m, int call, const struct filp *f,
		     int user)
{
	struct mol_cdev_req *r = MOL_BODY(m, struct mol_cdev_req);

	memset(m, 0, sizeof(*m));
	m->m_type = call;
	r->minor = f->minor;
	r->user = user;
}

/* Open character device @rdev on @f (FILP_CHR) for @fp. */
int cdev_open(struct fproc *fp, struct filp *f, uint32_t rdev,
	      unsigned int flags)
{
	struct mol_message m;
	struct mol_cdev_req *r = MOL_BODY(&m, struct mol_cdev_req);
	unsigned int acc = flags & MOL_O_ACCMODE;
	int ret;

	f->kind = FILP_CHR;
	f->driver = cdev_driver(DEV_MAJOR(rdev));
	if (f->driver == MOL_NONE)
		return -ENXIO;
	f->major = DEV_MAJOR(rdev);
	f->minor = DEV_MINOR(rdev);
	if (f->major == MOL_CTTY_MAJOR)		/* the one terminal */
		f->minor = MOL_CONSOLE_MINOR;
	if (f->major == MOL_RANDOM_MAJOR)	/* molmem's minor for it */
		f->minor = MOL_MEM_RANDOM_MINOR + f->minor;
	cdev_req(&m, CDEV_OPEN, f, fp->endpoint);
	r->flags = (acc != MOL_O_WRONLY ? CDEV_R_BIT : 0) |
		   (acc != MOL_O_RDONLY ? CDEV_W_BIT : 0) |
		   (flags & MOL_O_NOCTTY ? CDEV_NOCTTY : 0);
	ret = cdev_call(f->driver, &m);
	if (ret == -EIO)
		ret = -ENXIO;		/* no driver running */
	if (ret < 0)
		f->driver = MOL_NONE;	/* nothing to close there */
	return ret < 0 ? ret : 0;
}

/* The last reference to @f is gone. */
void cdev_close(struct filp *f)
{
	struct mol_message m;

	if (f->driver == MOL_NONE)
		return;
	cdev_req(&m, CDEV_CLOSE, f, MOL_NONE);
	cdev_call(f->driver, &m);
}

bool cdev_is_driven(const struct filp *f)
{
	return f->kind == FILP_CHR && f->driver != MOL_NONE;
}

static void wait_free(struct cdev_wait *w)
{
	if (w->grant >= 0)
		mol_grant_revoke(&fs_mol, w->grant);
	free(w);
}

static ssize_t cdev_write(struct fproc *fp, struct filp *f, int grant,
			  size_t len)
{
	static unsigned char buf[CDEV_IO_MAX];	/* FS is one thread */
	struct mol_message m;
	struct mol_cdev_req *r = MOL_BODY(&m, struct mol_cdev_req);
	size_t done = 0, n;
	int id, ret = 0;

	id = mol_grant_create(&fs_mol, f->driver, buf, sizeof(buf),
			      MOL_GRANT_READ);
	if (id < 0)
		return -ENOMEM;
	while (done < len) {
		n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		if (mol_safecopy_from(&fs_mol, fp->endpoint, grant, done, buf,
				      n) < 0) {
			ret = -EFAULT;
			break;
		}
		cdev_req(&m, CDEV_WRITE, f, fp->endpoint);
		r->grant = id;
		r->count = n;
		r->flags = f->flags & MOL_O_NONBLOCK ? CDEV_NONBLOCK : 0;
		ret = cdev_call(f->driver, &m);
		if (ret <= 0)
			break;
		done += ret;
		if ((size_t)ret < n)
			break;
	}
	mol_grant_revoke(&fs_mol, id);
	return done ? (ssize_t)done : ret;
}

/*
 * A read of a memory device: molmem answers at once, at most
 * CDEV_IO_MAX a time; FS asks until @len is there, as Linux's /dev/zero
 * gives a whole read (urandom: at most 32 MiB a call, as Linux).
 */
static ssize_t cdev_read_mem(struct fproc *fp, struct filp *f, int grant,
			     size_t len)
{
	static unsigned char buf[CDEV_IO_MAX];	/* FS is one thread */
	struct mol_message m;
	struct mol_cdev_req *r = MOL_BODY(&m, struct mol_cdev_req);
	size_t done = 0, n;
	int id, ret = 0;

	if (f->minor >= MOL_MEM_RANDOM_MINOR && len > 1U << 25)
		len = 1U << 25;
	id = mol_grant_create(&fs_mol, f->driver, buf, sizeof(buf),
			      MOL_GRANT_WRITE);
	if (id < 0)
		return -ENOMEM;
	while (done < len) {
		n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		cdev_req(&m, CDEV_READ, f, fp->endpoint);
		r->grant = id;
		r->count = n;
		ret = cdev_call(f->driver, &m);
		if (ret <= 0)
			break;
		if ((size_t)ret > n) {
			ret = -EIO;	/* more than it may */
			break;
		}
		if (mol_safecopy_to(&fs_mol, fp->endpoint, grant, done, buf,
				    ret) < 0) {
			ret = -EFAULT;
			break;
		}
		done += ret;
		if ((size_t)ret < n)
			break;
	}
	mol_grant_revoke(&fs_mol, id);
	return done ? (ssize_t)done : ret;
}

static ssize_t cdev_read(struct fproc *fp, struct filp *f,
			 struct mol_message *req, size_t len)
{
	struct mol_fs_io *b = MOL_BODY(req, struct mol_fs_io);
	struct mol_message m;
	struct mol_cdev_req *r = MOL_BODY(&m, struct mol_cdev_req);
	struct cdev_wait *w;
	int ret;

	if (len > CDEV_IO_MAX)
		len = CDEV_IO_MAX;
	w = calloc(1, sizeof(*w) + len);
	if (!w)
		return -ENOMEM;
	w->driver = f->driver;
	w->minor = f->minor;
	w->len = len;
	w->grant = mol_grant_create(&fs_mol, f->driver, w->buf, len,
				    MOL_GRANT_WRITE);
	if (w->grant < 0) {
		free(w);
		return -ENOMEM;
	}
	cdev_req(&m, CDEV_READ, f, fp->endpoint);
	r->grant = w->grant;
	r->count = len;
	r->flags = f->flags & MOL_O_NONBLOCK ? CDEV_NONBLOCK : 0;
	ret = cdev_call(f->driver, &m);
	if (ret == CDEV_QUEUED) {
		fp->suspended = true;
		fp->susp = *req;
		fp->susp_done = 0;
		fp->susp_pipe = NULL;
		fp->susp_cdev = w;
		return SUSPEND;
	}
	if (ret > (int)len)
		ret = -EIO;	/* a driver that says more than it may */
	if (ret > 0 && mol_safecopy_to(&fs_mol, fp->endpoint, b->grant, 0,
				       w->buf, ret) < 0)
		ret = -EFAULT;
	wait_free(w);
	return ret;
}

/* FS_READ, FS_WRITE (and the positional ones) on a character device. */
ssize_t cdev_io(struct fproc *fp, struct filp *f, struct mol_message *m,
		bool write, size_t len)
{
	struct mol_fs_io *b = MOL_BODY(m, struct mol_fs_io);

	if (f->driver == MOL_NONE)
		return -ENXIO;
	/* memory devices have no position: pread/pwrite as read/write */
	if ((m->m_type == FS_PREAD || m->m_type == FS_PWRITE) &&
	    f->driver != MOL_MEM)
		return -ESPIPE;
	if (len == 0)
		return 0;
	if (f->driver == MOL_MEM && !write)
		return cdev_read_mem(fp, f, b->grant, len);
	return write ? cdev_write(fp, f, b->grant, len) :
		       cdev_read(fp, f, m, len);
}

/* Deliver the finished read of @fp: @result bytes are in its buffer. */
static void cdev_finish(struct fproc *fp, int result)
{
	struct mol_fs_io *b = MOL_BODY(&fp->susp, struct mol_fs_io);
	struct cdev_wait *w = fp->susp_cdev;

	if (result > (int)w->len)
		result = -EIO;
	if (result > 0 && mol_safecopy_to(&fs_mol, fp->endpoint, b->grant,
					  0, w->buf, result) < 0)
		result = -EFAULT;
	fp->susp_cdev = NULL;
	wait_free(w);
	fs_revive(fp, result);
}

/* A notification from a character driver: collect its finished reads. */
void cdev_notified(int driver)
{
	struct mol_message m;
	struct mol_cdev_req *r = MOL_BODY(&m, struct mol_cdev_req);
	struct fproc *fp;
	int ret, rounds;

	for (rounds = 0; rounds < 1024; rounds++) {
		memset(&m, 0, sizeof(m));
		m.m_type = CDEV_STATUS;
		ret = cdev_call(driver, &m);
		if (ret == -EAGAIN || ret == -EIO)
			return;
		fp = fproc_get(r->user, false);
		if (!fp || !fp->suspended || !fp->susp_cdev ||
		    fp->susp_cdev->driver != driver ||
		    fp->susp_cdev->minor != r->minor) {
			fs_log("driver %d: finished read of %d unknown",
			       driver, r->user);
		} else {
			cdev_finish(fp, ret);
		}
		if (!r->more)
			return;
	}
}

/*
 * A signal for @fp (@reply) or its exit: take its queued read back from
 * the driver; with @reply answer it (-EINTR, or what had arrived).
 * @restart (@fp was stopped): -ERESTART instead of -EINTR, the caller's
 * library reads again when it runs (FS_PM_STOP).
 */
void cdev_cancel(struct fproc *fp, bool reply, bool restart)
{
	struct cdev_wait *w = fp->susp_cdev;
	struct mol_message m;
	struct mol_cdev_req *r = MOL_BODY(&m, struct mol_cdev_req);
	int ret;

	if (!fp->suspended || !w)
		return;
	memset(&m, 0, sizeof(m));
	m.m_type = CDEV_CANCEL;
	r->minor = w->minor;
	r->user = fp->endpoint;
	ret = cdev_call(w->driver, &m);
	if (ret == -ENOENT || ret == -EIO)
		ret = -EINTR;
	if (restart && ret < 0)
		ret = -ERESTART;
	if (reply) {
		cdev_finish(fp, ret);
		return;
	}
	fp->susp_cdev = NULL;
	fp->suspended = false;
	wait_free(w);
}

/* FS_IOCTL: a terminal request, forwarded with its argument. */
int do_ioctl(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_ioctl *b = MOL_BODY(m, struct mol_fs_ioctl);
	struct filp *f = fd_get_io(fp, b->fd);	/* EBADF on O_PATH */
	union mol_tty_arg arg;
	struct mol_message dm;
	struct mol_cdev_req *r = MOL_BODY(&dm, struct mol_cdev_req);
	int id = -1, ret;

	if (!f)
		return -EBADF;
	if (!cdev_is_driven(f))
		return -ENOTTY;
	if (b->len > sizeof(arg) || b->request == 0 ||
	    b->request > MOL_TIOC_MAX)
		return -EINVAL;
	memset(&arg, 0, sizeof(arg));
	if (b->len) {
		if (mol_safecopy_from(&fs_mol, fp->endpoint, b->grant, 0, &arg,
				      b->len) < 0)
			return -EFAULT;
		id = mol_grant_create(&fs_mol, f->driver, &arg, b->len,
				      MOL_GRANT_READ | MOL_GRANT_WRITE);
		if (id < 0)
			return -ENOMEM;
	}
	cdev_req(&dm, CDEV_IOCTL, f, fp->endpoint);
	r->grant = b->len ? id : -1;
	r->count = b->len;
	r->request = b->request;
	r->pid = b->pid;
	r->pgid = b->pgid;
	r->sid = b->sid;
	ret = cdev_call(f->driver, &dm);
	if (id >= 0)
		mol_grant_revoke(&fs_mol, id);
	if (ret >= 0 && b->len &&
	    mol_safecopy_to(&fs_mol, fp->endpoint, b->grant, 0, &arg,
			    b->len) < 0)
		return -EFAULT;
	return ret;
}

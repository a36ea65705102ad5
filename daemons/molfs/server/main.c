// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - molfs: bind MOL_FS, mount the images, serve.
 *
 *	molfs [--rdonly] IMAGE [MOUNTPOINT=IMAGE2 ...]
 *	molfs [--rdonly] --disk MINOR [MOUNTPOINT=IMAGE2 ...]
 *
 * The root is an image file, or with --disk minor MINOR of the disk
 * driver (MOL_DISK) over IPC (dev_moldisk.c).
 *
 * The main loop is MINIX's: receive, one dispatch table (call number ->
 * handler), reply with reply-and-receive.  A handler returning SUSPEND
 * leaves its caller waiting in sendrec (a pipe); it is answered later
 * with mol_sendnb (fs_revive).
 *
 * Write-back policy: the cache never writes in the middle of a request
 * (it grows instead); dirty blocks reach the disk, as one all-or-nothing
 * batch per file system, only between requests: after a request that
 * left more than the high-water mark dirty (mfs_writeback), after two
 * seconds without a request, every 30 seconds when busy, and on
 * sync/fsync.  See Documentation/filesystem.md.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"

#define IDLE_SYNC_NS	(2ULL * 1000 * 1000 * 1000)
#define BUSY_SYNC_S	30

struct mol fs_mol;
bool fs_dirty;
static volatile sig_atomic_t fs_stop;

void fs_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "molfs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

typedef int (*fs_handler_t)(struct fproc *fp, struct mol_message *m);

/* The dispatch table: call number - FS_BASE -> handler; mutating? */
static const struct {
	fs_handler_t fn;
	bool mutates;
} fs_calls[FS_NR_CALLS] = {
	[FS_OPEN - FS_BASE]	 = { do_open, true },
	[FS_CLOSE - FS_BASE]	 = { do_close, true },
	[FS_READ - FS_BASE]	 = { do_read, true },
	[FS_WRITE - FS_BASE]	 = { do_read, true },
	[FS_PREAD - FS_BASE]	 = { do_read, false },
	[FS_PWRITE - FS_BASE]	 = { do_read, true },
	[FS_LSEEK - FS_BASE]	 = { do_lseek, false },
	[FS_STAT - FS_BASE]	 = { do_stat, false },
	[FS_FSTAT - FS_BASE]	 = { do_fstat, false },
	[FS_ACCESS - FS_BASE]	 = { do_access, false },
	[FS_GETDENTS - FS_BASE]	 = { do_getdents, false },
	[FS_MKDIR - FS_BASE]	 = { do_mkdir, true },
	[FS_UNLINK - FS_BASE]	 = { do_unlink, true },
	[FS_RENAME - FS_BASE]	 = { do_rename, true },
	[FS_LINK - FS_BASE]	 = { do_link, true },
	[FS_SYMLINK - FS_BASE]	 = { do_symlink, true },
	[FS_READLINK - FS_BASE]	 = { do_readlink, false },
	[FS_CHDIR - FS_BASE]	 = { do_chdir, false },
	[FS_FCHDIR - FS_BASE]	 = { do_fchdir, false },
	[FS_GETCWD - FS_BASE]	 = { do_getcwd, false },
	[FS_CHMOD - FS_BASE]	 = { do_chmod, true },
	[FS_FCHMOD - FS_BASE]	 = { do_fchmod, true },
	[FS_CHOWN - FS_BASE]	 = { do_chown, true },
	[FS_FCHOWN - FS_BASE]	 = { do_chown, true },
	[FS_UTIMENS - FS_BASE]	 = { do_utimens, true },
	[FS_TRUNCATE - FS_BASE]	 = { do_truncate, true },
	[FS_FTRUNCATE - FS_BASE] = { do_ftruncate, true },
	[FS_DUP - FS_BASE]	 = { do_dup, false },
	[FS_DUP2 - FS_BASE]	 = { do_dup2, true },
	[FS_DUP3 - FS_BASE]	 = { do_dup3, true },
	[FS_FCNTL - FS_BASE]	 = { do_fcntl, false },
	[FS_PIPE - FS_BASE]	 = { do_pipe, false },
	[FS_UMASK - FS_BASE]	 = { do_umask, false },
	[FS_SYNC - FS_BASE]	 = { do_sync, false },
	[FS_FSYNC - FS_BASE]	 = { do_fsync, false },
	[FS_MOUNT - FS_BASE]	 = { do_mount, true },
	[FS_UMOUNT - FS_BASE]	 = { do_umount, true },
	[FS_STATVFS - FS_BASE]	 = { do_statvfs, false },
	[FS_FSTATVFS - FS_BASE]	 = { do_fstatvfs, false },
	[FS_MKNOD - FS_BASE]	 = { do_mknod, true },
	[FS_IOCTL - FS_BASE]	 = { do_ioctl, false },
	[FS_EXEC_LOCATE - FS_BASE] = { do_exec_locate, false },
};

static int dispatch(struct mol_message *m)
{
	unsigned int call = (unsigned int)m->m_type;
	struct fproc *fp;

	if (call >= FS_PM_BASE && call < FS_PM_BASE + FS_PM_NR_CALLS)
		return do_pm_call(m);
	if (call < FS_BASE || call >= FS_BASE + FS_NR_CALLS ||
	    !fs_calls[call - FS_BASE].fn)
		return -ENOSYS;
	fp = fproc_get(m->m_source, true);
	if (!fp)
		return -EPERM;
	if (fp->suspended)	/* cannot happen: it waits in sendrec */
		return -EBUSY;
	if (fs_calls[call - FS_BASE].mutates)
		fs_dirty = true;
	return fs_calls[call - FS_BASE].fn(fp, m);
}

/* Answer a suspended call: the caller still waits in sendrec for us. */
void fs_revive(struct fproc *fp, int result)
{
	struct mol_message m = fp->susp;
	int ret;

	fp->suspended = false;
	fp->susp_pipe = NULL;
	m.m_type = result;
	ret = mol_sendnb(&fs_mol, fp->endpoint, &m);
	if (ret < 0 && ret != MOL_EDEADSRCDST)
		fs_log("revive %d: %s", fp->endpoint, mol_strerror(ret));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Between requests: write back what is over the high-water mark. */
static void writeback_all(void)
{
	int i, err;

	if (!fs_dirty)
		return;
	for (i = 0; i < NR_MNTS; i++) {
		if (!vmnts[i].used || vmnts[i].rdonly)
			continue;
		err = mfs_writeback(vmnts[i].fs);
		if (err)
			fs_log("write-back %s: %s", vmnts[i].image,
			       strerror(-err));
	}
}

static void serve(void)
{
	uint64_t last_sync = now_ns();
	struct molipc_ipc req;
	int reply_to = MOL_NONE;
	int op, ret;

	memset(&req, 0, sizeof(req));
	while (!fs_stop) {
		if (reply_to != MOL_NONE) {
			op = MOLIPC_OP_REPLY_RECV;
			req.endpoint = reply_to;
			req.src = MOL_ANY;
		} else {
			op = MOLIPC_OP_RECEIVE;
			req.endpoint = MOL_ANY;
			req.src = 0;
		}
		req.flags = MOLIPC_IPC_TIMEOUT;
		req.timeout_ns = IDLE_SYNC_NS;
		req.status = 0;
		ret = mol_ipc(&fs_mol, op, &req);
		reply_to = MOL_NONE;
		if (ret == MOL_EINSTGONE || ret == MOL_ENOTBOUND) {
			fs_log("the instance is gone");
			break;
		}
		if (ret == MOL_ETIMEDOUT ||
		    now_ns() - last_sync > BUSY_SYNC_S * 1000000000ULL) {
			if (fs_dirty)
				sync_all();
			fs_dirty = false;
			last_sync = now_ns();
		}
		if (ret < 0)
			continue;
		if (req.status & MOLIPC_STATUS_NOTIFY) {
			if (req.msg.m_source == MOL_TTY)
				cdev_notified(MOL_TTY);
			continue;
		}
		ret = dispatch(&req.msg);
		writeback_all();
		if (ret == SUSPEND)
			continue;
		if (!(req.status & MOLIPC_STATUS_SENDREC))
			continue;	/* a plain send: nobody to answer */
		req.msg.m_type = ret;
		reply_to = req.msg.m_source;
	}
}

static void on_term(int sig)
{
	(void)sig;
	fs_stop = 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: molfs [--rdonly] IMAGE|--disk MINOR "
		"[MOUNTPOINT=IMAGE2 ...]\n");
	exit(2);
}

static int mount_extra(const char *arg)
{
	char path[MOL_FS_PATH_MAX];
	const char *eq = strchr(arg, '=');
	struct fproc *fp;
	struct vnode vn;
	struct vmnt *m;
	int err;

	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(path))
		return -EINVAL;
	memcpy(path, arg, eq - arg);
	path[eq - arg] = '\0';
	fp = fproc_get(MOL_SYSTEM, true);
	if (!fp)
		return -ENOMEM;
	err = resolve_path(fp, fp->cwd, path, true, &vn);
	if (err)
		return err;
	err = vn_is_mountpoint(vn) || vn.ino == MFS_ROOT_INO ? -EBUSY : 0;
	if (!err)
		err = mount_image(eq + 1, false, vn.m, vn.ino, &m);
	return err;
}

static int mount_root(const char *image, long disk, bool rdonly)
{
	struct vmnt *m;
	char name[32];
	int ret;

	if (disk < 0) {
		fs_standalone = true;
		ret = mount_image(image, rdonly, NULL, 0, &m);
	} else {
		snprintf(name, sizeof(name), "moldisk:%ld", disk);
		ret = mount_disk((unsigned int)disk, rdonly, NULL, 0, &m);
		image = name;
	}
	if (ret < 0) {
		fs_log("%s: %s", image, strerror(-ret));
		return ret;
	}
	mem_make_dev(m);
	return 0;
}

int main(int argc, char **argv)
{
	const char *inst = getenv("MOL_INSTANCE");
	const char *image = NULL;
	struct sigaction sa;
	bool rdonly = false;
	long disk = -1;
	char *end;
	int i, ret, ep;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--rdonly")) {
			rdonly = true;
		} else if (!strcmp(argv[i], "--disk") && i + 1 < argc) {
			disk = strtol(argv[++i], &end, 0);
			if (*end || disk < 0 || disk > 255)
				usage();
		} else {
			usage();
		}
	}
	if (disk < 0) {
		if (i >= argc)
			usage();
		image = argv[i++];
	}
	if (!inst) {
		fs_log("MOL_INSTANCE is not set");
		return 1;
	}

	ret = mol_open(&fs_mol, NULL);
	if (ret < 0) {
		fs_log("mol_open: %s", mol_strerror(ret));
		return 1;
	}
	ret = mol_bind(&fs_mol, (unsigned int)strtoul(inst, NULL, 0),
		       MOL_ANY, &ep);
	if (ret < 0) {
		fs_log("mol_bind: %s", mol_strerror(ret));
		return 1;
	}
	if (ep != MOL_FS)
		fs_log("bound %d, not MOL_FS", ep);
	if (mount_root(image, disk, rdonly) < 0)
		return 1;

	for (; i < argc; i++) {
		ret = mount_extra(argv[i]);
		if (ret < 0) {
			fs_log("mount %s: %s", argv[i], strerror(-ret));
			return 1;
		}
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	serve();
	unmount_all();
	mol_close(&fs_mol);
	return 0;
}

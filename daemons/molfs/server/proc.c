// SPDX-License-Identifier: GPL-2.0
/*
 * proc.c - per-process state (MINIX's fproc), keyed by endpoint, and the
 * bookkeeping calls from PM: FS_PM_FORK, _EXEC, _EXIT, _SETIDS, _UNPAUSE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs.h"

#define NR_FPROCS	(MOL_NR_TASKS + MOL_MAX_PROCS)

static struct fproc *fprocs[NR_FPROCS];

static int fproc_index(int endpoint)
{
	int slot = MOL_ENDPOINT_SLOT(endpoint);

	if (slot < -MOL_NR_TASKS || slot >= MOL_MAX_PROCS)
		return -1;
	return slot + MOL_NR_TASKS;
}

static struct fproc *fproc_new(int endpoint)
{
	int i = fproc_index(endpoint);
	struct fproc *fp;

	if (i < 0 || fprocs[i])
		return NULL;
	fp = calloc(1, sizeof(*fp));
	if (!fp)
		return NULL;
	fp->endpoint = endpoint;
	fp->umask = 022;
	fp->cwd.m = root_mnt;
	fp->cwd.ino = MFS_ROOT_INO;
	vn_get(fp->cwd);
	fprocs[i] = fp;
	return fp;
}

/*
 * The state of @endpoint; boot processes (slot < MOL_NR_BOOT_SLOTS,
 * tasks included) are created on first use as root when @create_boot.
 */
struct fproc *fproc_get(int endpoint, bool create_boot)
{
	int i = fproc_index(endpoint);

	if (i < 0)
		return NULL;
	if (fprocs[i] && fprocs[i]->endpoint == endpoint)
		return fprocs[i];
	if (fprocs[i] || !create_boot ||
	    MOL_ENDPOINT_SLOT(endpoint) >= MOL_NR_BOOT_SLOTS)
		return NULL;
	return fproc_new(endpoint);
}

void fproc_close_all(struct fproc *fp)
{
	int fd;

	for (fd = 0; fd < MOL_FS_OPEN_MAX; fd++)
		if (fp->fd[fd].f)
			fd_close(fp, fd);
}

static void fproc_free(struct fproc *fp)
{
	cdev_cancel(fp, false, false);
	pipe_cancel(fp, false);
	fproc_close_all(fp);
	vn_put(fp->cwd);
	fprocs[fproc_index(fp->endpoint)] = NULL;
	free(fp);
}

void fproc_for_each(void (*fn)(struct fproc *fp, void *arg), void *arg)
{
	int i;

	for (i = 0; i < NR_FPROCS; i++)
		if (fprocs[i])
			fn(fprocs[i], arg);
}

static int pm_fork(struct mol_fs_pm *b)
{
	struct fproc *parent, *child;
	int i, old;

	parent = fproc_get(b->parent, true);
	if (!parent)
		return -EINVAL;
	i = fproc_index(b->endpoint);
	if (i < 0 || b->endpoint == b->parent)
		return -EINVAL;
	if (fprocs[i]) {
		if (fprocs[i]->endpoint == b->endpoint)
			return -EEXIST;
		/* a stale process of the slot: PM missed its exit */
		old = fprocs[i]->endpoint;
		fproc_free(fprocs[i]);
		fs_log("fork: dropped stale endpoint %d", old);
	}
	child = fproc_new(b->endpoint);
	if (!child)
		return -ENOMEM;
	child->cr = parent->cr;
	child->umask = parent->umask;
	vn_put(child->cwd);
	child->cwd = parent->cwd;
	vn_get(child->cwd);
	for (i = 0; i < MOL_FS_OPEN_MAX; i++) {
		child->fd[i] = parent->fd[i];
		if (child->fd[i].f)
			child->fd[i].f->refs++;
	}
	return 0;
}

int do_pm_call(struct mol_message *m)
{
	struct mol_fs_pm *b = MOL_BODY(m, struct mol_fs_pm);
	struct fproc *fp;
	int fd;

	if (m->m_source != MOL_PM && m->m_source != MOL_SYSTEM)
		return -EPERM;
	if (m->m_type == FS_PM_FORK)
		return pm_fork(b);
	fp = fproc_get(b->endpoint, false);
	if (!fp)
		return -ESRCH;
	switch (m->m_type) {
	case FS_PM_EXEC:
		for (fd = 0; fd < MOL_FS_OPEN_MAX; fd++)
			if (fp->fd[fd].f && fp->fd[fd].cloexec)
				fd_close(fp, fd);
		return 0;
	case FS_PM_EXIT:
		fproc_free(fp);
		return 0;
	case FS_PM_SETIDS:
		if (b->uid > 0xffff || b->gid > 0xffff)
			return -EINVAL;
		fp->cr.uid = b->uid;
		fp->cr.gid = b->gid;
		return 0;
	case FS_PM_UNPAUSE:
		cdev_cancel(fp, true, false);
		pipe_cancel(fp, true);
		return 0;
	case FS_PM_STOP:
		cdev_cancel(fp, true, true);
		return 0;
	}
	return -ENOSYS;
}

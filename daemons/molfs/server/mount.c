// SPDX-License-Identifier: GPL-2.0
/*
 * mount.c - the mount table: the root image and images mounted on
 * directories of others (FS_MOUNT, FS_UMOUNT, the command line), sync.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"

struct vmnt vmnts[NR_MNTS];
struct vmnt *root_mnt;

/* Mount block device @dev (consumed, also on failure) as @name. */
int mount_dev(struct mfs_blockdev *dev, const char *name, bool rdonly,
	      struct vmnt *parent, uint32_t covered, struct vmnt **mp)
{
	struct mfs_mount_opts opts;
	struct vmnt *m = NULL;
	int i, err;

	for (i = 0; i < NR_MNTS; i++) {
		if (!vmnts[i].used) {
			m = &vmnts[i];
			break;
		}
	}
	if (!m) {
		dev->close(dev);
		return -EMFILE;
	}
	memset(&opts, 0, sizeof(opts));
	opts.dev = 0x300 + i;		/* as MINIX's first disk minors */
	opts.flags = rdonly ? MFS_RDONLY : 0;
	err = mfs_mount(dev, &opts, &m->fs);
	if (err) {
		dev->close(dev);
		return err;
	}
	m->used = true;
	m->dev = opts.dev;
	m->rdonly = rdonly;
	m->parent = parent;
	m->covered = covered;
	snprintf(m->image, sizeof(m->image), "%s", name);
	if (parent)
		mfs_get(parent->fs, covered);
	else
		root_mnt = m;
	*mp = m;
	return 0;
}

int mount_image(const char *image, bool rdonly, struct vmnt *parent,
		uint32_t covered, struct vmnt **mp)
{
	struct mfs_blockdev *dev;
	int err;

	err = mfs_filedev_open(image, rdonly, &dev);
	if (err)
		return err;
	return mount_dev(dev, image, rdonly, parent, covered, mp);
}

/* What is mounted on directory @vn, if anything. */
struct vmnt *mount_at(struct vnode vn)
{
	int i;

	for (i = 0; i < NR_MNTS; i++)
		if (vmnts[i].used && vmnts[i].parent == vn.m &&
		    vmnts[i].covered == vn.ino)
			return &vmnts[i];
	return NULL;
}

int do_mount(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_mount *b = MOL_BODY(m, struct mol_fs_mount);
	char source[MOL_FS_PATH_MAX];
	struct mfs_stat st;
	struct vmnt *mnt;
	struct vnode vn;
	int err;

	if (b->flags & ~MOL_MS_RDONLY)
		return -EINVAL;
	if (fp->cr.uid != 0)
		return -EPERM;
	err = copy_path(fp->endpoint, b->source_grant, b->source_len, source);
	if (err)
		return err;
	err = resolve(fp, MOL_AT_FDCWD, b->target_grant, b->target_len, 0,
		      true, &vn);
	if (err)
		return err;
	err = vn_stat(vn, &st);
	if (err)
		return err;
	if (!S_ISDIR(st.mode))
		return -ENOTDIR;
	if (vn.ino == MFS_ROOT_INO)
		return -EBUSY;		/* a root: mounted already */
	err = mount_image(source, b->flags & MOL_MS_RDONLY, vn.m, vn.ino,
			  &mnt);
	if (err == -EISDIR || err == -ENOTDIR)
		err = -ENOTBLK;
	return err;
}

struct busy_arg {
	struct vmnt *m;
	bool busy;
};

static void check_busy(struct fproc *fp, void *arg)
{
	struct busy_arg *ba = arg;
	struct filp *f;
	int fd;

	if (fp->cwd.m == ba->m)
		ba->busy = true;
	for (fd = 0; fd < MOL_FS_OPEN_MAX; fd++) {
		f = fp->fd[fd].f;
		if (f && f->kind != FILP_PIPE && f->vn.m == ba->m)
			ba->busy = true;
	}
}

static void unmount(struct vmnt *m)
{
	int err = mfs_unmount(m->fs);

	if (err)
		fs_log("unmount %s: %s", m->image, strerror(-err));
	if (m->parent)
		mfs_put(m->parent->fs, m->covered);
	m->used = false;
	m->fs = NULL;
}

int do_umount(struct fproc *fp, struct mol_message *m)
{
	struct mol_fs_path *b = MOL_BODY(m, struct mol_fs_path);
	struct busy_arg ba;
	struct vnode vn;
	int err, i;

	if (b->flags)
		return -EINVAL;
	if (fp->cr.uid != 0)
		return -EPERM;
	err = resolve(fp, b->dirfd, b->path_grant, b->path_len, 0, true, &vn);
	if (err)
		return err;
	if (vn.ino != MFS_ROOT_INO || !vn.m->parent)
		return -EINVAL;
	for (i = 0; i < NR_MNTS; i++)
		if (vmnts[i].used && vmnts[i].parent == vn.m)
			return -EBUSY;
	ba.m = vn.m;
	ba.busy = false;
	fproc_for_each(check_busy, &ba);
	if (ba.busy)
		return -EBUSY;
	unmount(vn.m);
	return 0;
}

void sync_all(void)
{
	int i, err;

	for (i = 0; i < NR_MNTS; i++) {
		if (!vmnts[i].used || vmnts[i].rdonly)
			continue;
		err = mfs_sync(vmnts[i].fs);
		if (err)
			fs_log("sync %s: %s", vmnts[i].image, strerror(-err));
	}
}

/* At exit: the deepest mounts first, the root last. */
void unmount_all(void)
{
	bool again = true;
	int i, j;

	while (again) {
		again = false;
		for (i = 0; i < NR_MNTS; i++) {
			if (!vmnts[i].used || &vmnts[i] == root_mnt)
				continue;
			for (j = 0; j < NR_MNTS; j++)
				if (vmnts[j].used &&
				    vmnts[j].parent == &vmnts[i])
					break;
			if (j < NR_MNTS) {
				again = true;
				continue;
			}
			unmount(&vmnts[i]);
		}
	}
	if (root_mnt && root_mnt->used)
		unmount(root_mnt);
}

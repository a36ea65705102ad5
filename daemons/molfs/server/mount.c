// SPDX-License-Identifier: GPL-2.0
/*
 * mount.c - the mount table: the root file system and those mounted on
 * directories of others (FS_MOUNT, FS_UMOUNT, the command line), sync.
 * A mount is a MINIX v3 image served here by the core (a disk-driver
 * minor, or an image file when molfs runs standalone) or a tree another
 * file server serves (molhostfs), reached through its vnode_ops.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fs.h"
#include "dev_moldisk.h"

struct vmnt vmnts[NR_MNTS];
struct vmnt *root_mnt;
/* The root is an image file molfs opened itself (no disk driver). */
bool fs_standalone;

static struct vmnt *vmnt_free(void)
{
	int i;

	for (i = 0; i < NR_MNTS; i++)
		if (!vmnts[i].used)
			return &vmnts[i];
	return NULL;
}

/* @m is filled in: enter it in the table, on @covered of @parent. */
static void vmnt_enter(struct vmnt *m, const char *name, bool rdonly,
		       struct vmnt *parent, uint32_t covered)
{
	m->used = true;
	m->dev = 0x300 + (uint32_t)(m - vmnts);	/* as MINIX's disk minors */
	m->rdonly = rdonly;
	m->parent = parent;
	m->covered = covered;
	snprintf(m->image, sizeof(m->image), "%s", name);
	if (parent)
		parent->ops->get(parent, covered);
	else
		root_mnt = m;
}

/* Mount block device @dev (consumed, also on failure) as @name. */
int mount_dev(struct mfs_blockdev *dev, const char *name, bool rdonly,
	      struct vmnt *parent, uint32_t covered, struct vmnt **mp)
{
	struct mfs_mount_opts opts;
	struct vmnt *m = vmnt_free();
	int err;

	if (!m) {
		dev->close(dev);
		return -EMFILE;
	}
	memset(&opts, 0, sizeof(opts));
	opts.dev = 0x300 + (uint32_t)(m - vmnts);
	opts.flags = rdonly ? MFS_RDONLY : 0;
	err = mfs_mount(dev, &opts, &m->fs);
	if (err) {
		dev->close(dev);
		return err;
	}
	m->ops = &local_ops;
	m->server = MOL_NONE;
	m->minor = -1;
	vmnt_enter(m, name, rdonly, parent, covered);
	*mp = m;
	return 0;
}

/*
 * Mount export @export of file server @server (read-only): it must
 * answer REQ_STAT of its root with a directory.
 */
int mount_server(int server, uint32_t export, struct vmnt *parent,
		 uint32_t covered, struct vmnt **mp)
{
	struct vmnt *m = vmnt_free();
	struct mol_stat st;
	char name[64];
	int err;

	if (!m)
		return -EMFILE;
	if (server == MOL_FS || server == MOL_ANY || server == MOL_NONE ||
	    server == MOL_SELF)
		return -EINVAL;
	memset(m, 0, sizeof(*m));
	m->ops = &server_ops;
	m->minor = -1;
	m->server = server;
	m->export = export;
	snprintf(m->image, sizeof(m->image), "server %d:%u", server, export);
	err = m->ops->stat(m, MFS_ROOT_INO, &st);
	if (!err && !S_ISDIR(st.st_mode))
		err = -ENOTDIR;
	if (err) {
		memset(m, 0, sizeof(*m));
		return err == -ENOTDIR || err == -ENXIO || err == -EIO ||
		       err == -ESTALE || err == -ENOSYS ? -EINVAL : err;
	}
	snprintf(name, sizeof(name), "%s", m->image);
	vmnt_enter(m, name, true, parent, covered);
	*mp = m;
	return 0;
}

/* Minor @minor of the disk driver; a minor is mounted once (-EBUSY). */
int mount_disk(unsigned int minor, bool rdonly, struct vmnt *parent,
	       uint32_t covered, struct vmnt **mp)
{
	struct mfs_blockdev *dev;
	char name[32];
	int err, i;

	if (minor > 255)
		return -ENXIO;
	for (i = 0; i < NR_MNTS; i++)
		if (vmnts[i].used && vmnts[i].minor == (int)minor)
			return -EBUSY;
	snprintf(name, sizeof(name), "moldisk:%u", minor);
	err = mfs_moldisk_open(&fs_mol, MOL_DISK, minor, rdonly, &dev);
	if (err)
		return err;
	err = mount_dev(dev, name, rdonly, parent, covered, mp);
	if (!err)
		(*mp)->minor = (int)minor;
	return err;
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
	if (b->source_type != MOL_MNT_IMAGE &&
	    (b->source_grant || b->source_len))
		return -EINVAL;
	if ((b->source_type == MOL_MNT_IMAGE && (b->server || b->index)) ||
	    (b->source_type == MOL_MNT_DISK && b->server))
		return -EINVAL;
	if (b->source_type > MOL_MNT_SERVER)
		return -EINVAL;
	if (fp->cr.uid != 0)
		return -EPERM;
	if (b->source_type == MOL_MNT_IMAGE) {
		if (!fs_standalone)
			return -EPERM;	/* images are the disk driver's */
		err = copy_path(fp->endpoint, b->source_grant, b->source_len,
				source);
		if (err)
			return err;
	}
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
	switch (b->source_type) {
	case MOL_MNT_IMAGE:
		err = mount_image(source, b->flags & MOL_MS_RDONLY, vn.m,
				  vn.ino, &mnt);
		break;
	case MOL_MNT_DISK:
		err = mount_disk(b->index, b->flags & MOL_MS_RDONLY, vn.m,
				 vn.ino, &mnt);
		break;
	default:
		err = mount_server(b->server, b->index, vn.m, vn.ino, &mnt);
		break;
	}
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
		if (f && f->vn.m == ba->m)	/* NULL for pipes */
			ba->busy = true;
	}
}

static void unmount(struct vmnt *m)
{
	m->ops->unmount(m);
	if (m->parent)
		m->parent->ops->put(m->parent, m->covered);
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
		err = vmnts[i].ops->sync(&vmnts[i]);
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

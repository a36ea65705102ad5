/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs.h - molfs, the file server (MINIX's VFS role) over the MINIX v3
 * core library (mfs.h): per-process state, open files, mounts, pipes.
 * One thread; every request is a message in, a reply out (or a deferred
 * reply for a suspended pipe call).  See Documentation/filesystem.md,
 * "Server and protocol".
 */
#ifndef MOLFS_SERVER_FS_H
#define MOLFS_SERVER_FS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/molfscalls.h>

#include "mol.h"
#include "mfs.h"

#define NR_MNTS		16
/* A name in a path: the longest any file system may hold (each checks) */
#define FS_NAME_MAX	MOL_FSREQ_NAME_MAX
#define SUSPEND		(-0x40000000)	/* handler result: no reply now */

struct vmnt;
struct mol_stat;
struct mol_statvfs;

/*
 * What a mount's files are served by: the MINIX core in this process
 * (local_ops, vnode.c) or another file server over the VFS -> FS request
 * protocol (server_ops, remote.c).  Inode numbers are the file system's;
 * its root is MFS_ROOT_INO (= MOL_FSREQ_ROOT_INO).  @lookup is one name
 * in a directory (search permission checked, no mount crossing, a final
 * symbolic link not followed); @readlink and @open take the directory
 * and the name as the core does.
 */
struct vnode_ops {
	void (*get)(struct vmnt *m, uint32_t ino);
	void (*put)(struct vmnt *m, uint32_t ino);
	int (*lookup)(struct vmnt *m, const struct mfs_cred *cr, uint32_t dir,
		      const char *name, uint32_t *ino);
	int (*stat)(struct vmnt *m, uint32_t ino, struct mol_stat *st);
	int (*access)(struct vmnt *m, const struct mfs_cred *cr, uint32_t ino,
		      int amode);
	int (*open)(struct vmnt *m, const struct mfs_cred *cr, uint32_t dir,
		    const char *name, int flags, mode_t mode, uint32_t *ino);
	ssize_t (*read)(struct vmnt *m, uint32_t ino, void *buf, size_t len,
			uint64_t pos);
	/* struct mol_dirent64 records into @buf; *pos advances */
	ssize_t (*getdents)(struct vmnt *m, uint32_t ino, uint64_t *pos,
			    void *buf, size_t size);
	ssize_t (*readlink)(struct vmnt *m, const struct mfs_cred *cr,
			    uint32_t dir, const char *name, char *buf,
			    size_t size);
	int (*statvfs)(struct vmnt *m, struct mol_statvfs *st);
	int (*sync)(struct vmnt *m);
	void (*unmount)(struct vmnt *m);
};

extern const struct vnode_ops local_ops, server_ops;

struct vmnt {
	bool used;
	const struct vnode_ops *ops;
	struct mfs *fs;			/* local_ops: the MINIX core */
	int server;			/* server_ops: its endpoint ... */
	uint32_t export;		/* ... and the tree it serves */
	int minor;			/* a disk-driver minor, or -1 */
	uint32_t dev;			/* st_dev */
	bool rdonly;
	struct vmnt *parent;		/* NULL: the root file system */
	uint32_t covered;		/* mounted-on directory in parent */
	char image[256];		/* what is mounted, for messages */
};

/* Served by another file server (read-only in MoL)? */
static inline bool vmnt_is_server(const struct vmnt *m)
{
	return m->ops == &server_ops;
}

/* A file in the tree: a mount and an inode number in it. */
struct vnode {
	struct vmnt *m;
	uint32_t ino;
};

enum filp_kind {
	FILP_INODE,			/* regular file, directory, symlink */
	FILP_PIPE,
	FILP_CHR,			/* a character device (cdev.c) */
};

struct pipe;
struct cdev_wait;

/* An open file description (shared after dup and fork). */
struct filp {
	int refs;
	enum filp_kind kind;
	unsigned int flags;		/* MOL_O_ACCMODE | APPEND | NONBLOCK,
					 * or MOL_O_PATH (| DIRECTORY |
					 * NOFOLLOW): names a file only */
	uint64_t pos;
	struct vnode vn;		/* holds a reference (FIFOs too, not
					 * pipes: vn.m NULL) */
	bool isdir;
	struct pipe *pipe;
	int end;			/* pipe: 0 read, 1 write, 2 both (FIFO) */
	unsigned int minor, major;	/* FILP_CHR */
	int driver;			/* FILP_CHR: endpoint, MOL_NONE: FS */
};

struct fd_slot {
	struct filp *f;
	bool cloexec;
};

/* A process as FS sees it. */
struct fproc {
	int endpoint;
	struct mfs_cred cr;
	uint32_t umask;
	struct vnode cwd;		/* referenced */
	struct fd_slot fd[MOL_FS_OPEN_MAX];
	/* a suspended pipe call (the caller waits in sendrec) */
	bool suspended;
	struct mol_message susp;	/* the request */
	uint64_t susp_done;		/* bytes moved so far */
	struct pipe *susp_pipe;
	struct filp *susp_filp;		/* a FIFO open waiting for its peer */
	struct cdev_wait *susp_cdev;	/* a read queued by a driver */
};

/* main.c */
extern struct mol fs_mol;
extern struct vmnt *root_mnt;
extern bool fs_dirty;
void fs_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void fs_revive(struct fproc *fp, int result);

/* proc.c */
struct fproc *fproc_get(int endpoint, bool create_boot);
int do_pm_call(struct mol_message *m);
void fproc_close_all(struct fproc *fp);
void fproc_for_each(void (*fn)(struct fproc *fp, void *arg), void *arg);

/* filp.c */
struct filp *filp_new(enum filp_kind kind, unsigned int flags);
void filp_put(struct filp *f);
struct filp *fd_get(struct fproc *fp, int fd);
struct filp *fd_get_io(struct fproc *fp, int fd);
int fd_install(struct fproc *fp, int from, struct filp *f, bool cloexec);
int fd_close(struct fproc *fp, int fd);
int do_close(struct fproc *fp, struct mol_message *m);
int do_dup(struct fproc *fp, struct mol_message *m);
int do_dup2(struct fproc *fp, struct mol_message *m);
int do_dup3(struct fproc *fp, struct mol_message *m);
int do_fcntl(struct fproc *fp, struct mol_message *m);

/* namei.c */
struct nameidata {
	struct vnode dir;		/* parent of last */
	char last[FS_NAME_MAX + 2];	/* last component (+ '/' if one) */
	bool trailing;			/* the path ended with '/' */
	bool dot;			/* last is "." or ".." or none */
};

int copy_path(int who, int grant, uint32_t len, char *buf);
int start_dir(struct fproc *fp, int dirfd, struct vnode *vn);
int vn_lookup(struct fproc *fp, struct vnode dir, const char *name,
	      struct vnode *out);
int walk_parent(struct fproc *fp, struct vnode start, const char *path,
		bool follow, struct nameidata *nd);
int resolve(struct fproc *fp, int dirfd, int grant, uint32_t len,
	    int at_flags, bool follow, struct vnode *out);
int resolve_path(struct fproc *fp, struct vnode start, const char *path,
		 bool follow, struct vnode *out);
int parent_of(struct fproc *fp, int dirfd, int grant, uint32_t len,
	      bool follow, struct nameidata *nd);
bool vn_is_mountpoint(struct vnode vn);
void vn_get(struct vnode vn);
void vn_put(struct vnode vn);
int vn_stat(struct vnode vn, struct mfs_stat *st);
int vn_stat_full(struct vnode vn, struct mol_stat *st);
int vn_access(struct fproc *fp, struct vnode vn, int amode);

/* open.c */
int do_open(struct fproc *fp, struct mol_message *m);
int do_mkdir(struct fproc *fp, struct mol_message *m);
int do_mknod(struct fproc *fp, struct mol_message *m);
int do_unlink(struct fproc *fp, struct mol_message *m);
int do_rename(struct fproc *fp, struct mol_message *m);
int do_link(struct fproc *fp, struct mol_message *m);
int do_symlink(struct fproc *fp, struct mol_message *m);
int do_readlink(struct fproc *fp, struct mol_message *m);

/* read.c */
int do_read(struct fproc *fp, struct mol_message *m);
int do_lseek(struct fproc *fp, struct mol_message *m);
int do_getdents(struct fproc *fp, struct mol_message *m);
int do_truncate(struct fproc *fp, struct mol_message *m);
int do_ftruncate(struct fproc *fp, struct mol_message *m);
int do_fsync(struct fproc *fp, struct mol_message *m);
int do_sync(struct fproc *fp, struct mol_message *m);

/* stat.c */
int do_stat(struct fproc *fp, struct mol_message *m);
int do_fstat(struct fproc *fp, struct mol_message *m);
int do_access(struct fproc *fp, struct mol_message *m);
int do_chmod(struct fproc *fp, struct mol_message *m);
int do_fchmod(struct fproc *fp, struct mol_message *m);
int do_chown(struct fproc *fp, struct mol_message *m);
int do_utimens(struct fproc *fp, struct mol_message *m);
int do_chdir(struct fproc *fp, struct mol_message *m);
int do_fchdir(struct fproc *fp, struct mol_message *m);
int do_getcwd(struct fproc *fp, struct mol_message *m);
int do_umask(struct fproc *fp, struct mol_message *m);
int do_statvfs(struct fproc *fp, struct mol_message *m);
int do_fstatvfs(struct fproc *fp, struct mol_message *m);
int do_exec_locate(struct fproc *fp, struct mol_message *m);

/* remote.c: the mounts of other file servers (read-only) */
int server_hostpath(struct vmnt *m, uint32_t ino, char *buf, size_t size);
int server_rofs_create(struct fproc *fp, const struct nameidata *nd);
int server_rofs_change(struct fproc *fp, const struct nameidata *nd);
int mode_permits(const struct mol_stat *st, const struct mfs_cred *cr,
		 int amode);

/* iops.c: attribute changes on an inode (the core's are path based) */
int iop_may_open(struct vnode vn, const struct mfs_cred *cr,
		 unsigned int flags);
int iop_lookup_name(struct vnode dir, uint32_t ino, char *name,
		    size_t size);

/* pipe.c */
int do_pipe(struct fproc *fp, struct mol_message *m);
int pipe_io(struct fproc *fp, struct filp *f, struct mol_message *m,
	    bool write);
void pipe_close_end(struct pipe *p, int end);
void pipe_cancel(struct fproc *fp, bool reply);
int fifo_open(struct fproc *fp, struct filp *f, unsigned int fl,
	      struct mol_message *m);

/* mount.c */
int mount_dev(struct mfs_blockdev *dev, const char *name, bool rdonly,
	      struct vmnt *parent, uint32_t covered, struct vmnt **mp);
int mount_image(const char *image, bool rdonly, struct vmnt *parent,
		uint32_t covered, struct vmnt **mp);
int mount_server(int server, uint32_t export, struct vmnt *parent,
		 uint32_t covered, struct vmnt **mp);
int mount_disk(unsigned int minor, bool rdonly, struct vmnt *parent,
	       uint32_t covered, struct vmnt **mp);
extern bool fs_standalone;
struct vmnt *mount_at(struct vnode vn);
int do_mount(struct fproc *fp, struct mol_message *m);
int do_umount(struct fproc *fp, struct mol_message *m);
void sync_all(void);
void unmount_all(void);
extern struct vmnt vmnts[NR_MNTS];

/* cdev.c */
int cdev_open(struct fproc *fp, struct filp *f, uint32_t rdev,
	      unsigned int flags);
void cdev_close(struct filp *f);
bool cdev_is_driven(const struct filp *f);
bool cdev_is_mem(const struct filp *f);
ssize_t cdev_io(struct fproc *fp, struct filp *f, struct mol_message *m,
		bool write, size_t len);
void cdev_notified(int driver);
void cdev_cancel(struct fproc *fp, bool reply, bool restart);
int do_ioctl(struct fproc *fp, struct mol_message *m);

/* devnodes.c */
void mem_make_dev(struct vmnt *m);

#endif /* MOLFS_SERVER_FS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mfs.h - the core of molfs, MoL's MINIX v3 file system server, as a
 * library.  No IPC here: every operation takes plain arguments plus the
 * caller's credentials and returns 0 (or a count) or a negative errno, the
 * errno Linux returns for the same call on the same tree.
 *
 * Inodes are named by number.  Paths are resolved relative to a directory
 * inode (MFS_ROOT_INO for the root; an absolute path always starts at the
 * root).  Functions returning an inode number with a reference (mfs_open,
 * mfs_lookup with MFS_L_REF) must be balanced by mfs_put(): an unlinked
 * inode lives until its last reference goes, as in MINIX.
 *
 * See Documentation/filesystem.md.
 */
#ifndef MFS_H
#define MFS_H

#include <stdint.h>
#include <sys/types.h>

#define MFS_ROOT_INO		1
#define MFS_NAME_MAX		60
#define MFS_SYMLOOP_MAX		40	/* as Linux's MAXSYMLINKS */

struct mfs;

/* Who asks.  uid 0 is root (bypasses permission checks as Linux does). */
struct mfs_cred {
	uint32_t uid;
	uint32_t gid;
};

/*
 * The block device: byte offsets are 64-bit, lengths are whole blocks.
 * read/write return 0 or a negative errno; a short transfer is -EIO.
 * commit (optional) writes a batch all or nothing: @nr_extents struct
 * mol_bdev_extent (<linux/molcalls.h>) then their data, @count bytes in
 * all, at most max_batch bytes (0: no limit); without it the cache
 * writes the extents one by one.  size is the device size in bytes (0
 * if unknown).
 */
struct mfs_blockdev {
	int (*read)(struct mfs_blockdev *dev, uint64_t off, void *buf,
		    size_t len);
	int (*write)(struct mfs_blockdev *dev, uint64_t off, const void *buf,
		     size_t len);
	int (*commit)(struct mfs_blockdev *dev, const void *batch,
		      uint32_t nr_extents, uint64_t count);
	uint64_t max_batch;
	int (*flush)(struct mfs_blockdev *dev);
	void (*close)(struct mfs_blockdev *dev);
	uint64_t size;
	void *priv;
};

/*
 * dev.c: a block device over a regular image file (pread/pwrite), with
 * its commit through the image's redo log (redolog.h, IMAGE.mollog):
 * opening replays a committed log, or fails with -EUCLEAN if the log is
 * invalid or (read-only) cannot be replayed.
 */
int mfs_filedev_open(const char *path, int readonly,
		     struct mfs_blockdev **devp);

struct mfs_stat {
	uint32_t ino;
	uint32_t dev;		/* given at mount */
	uint16_t mode;
	uint16_t nlink;
	uint16_t uid;
	uint16_t gid;
	uint32_t rdev;		/* MINIX dev_t: major << 8 | minor */
	uint64_t size;
	uint64_t blocks;	/* 512-byte units allocated, incl. indirect */
	uint32_t blksize;
	uint32_t atime;
	uint32_t mtime;
	uint32_t ctime;
};

struct mfs_statvfs {
	uint32_t bsize;
	uint64_t blocks;	/* data zones */
	uint64_t bfree;
	uint64_t files;
	uint64_t ffree;
	uint32_t namemax;
};

struct mfs_dirent {
	uint32_t ino;
	uint8_t type;		/* DT_* from the inode, DT_UNKNOWN if bad */
	uint64_t next;		/* position of the following entry */
	char name[MFS_NAME_MAX + 1];
};

/* mfs_mount flags */
#define MFS_RDONLY		0x1

struct mfs_mount_opts {
	uint32_t dev;		/* st_dev reported by stat */
	unsigned int cache_blocks;	/* 0: default */
	unsigned int flags;
	uint32_t (*now)(void);	/* clock; NULL: time(NULL) */
};

int mfs_mount(struct mfs_blockdev *dev, const struct mfs_mount_opts *opts,
	      struct mfs **fsp);
/* Syncs, releases everything, closes the device. */
int mfs_unmount(struct mfs *fs);
int mfs_sync(struct mfs *fs);
/*
 * Write back when the dirty blocks pass the cache's high-water mark (half
 * the cache, at most 8 MiB).  Call between operations only: the server
 * after each request.
 */
int mfs_writeback(struct mfs *fs);
int mfs_statvfs(struct mfs *fs, struct mfs_statvfs *st);
/* For tests: lower the hard link limit (EMLINK) from MINIX's 65530. */
void mfs_set_link_max(struct mfs *fs, unsigned int max);

/* Lookup flags */
#define MFS_L_NOFOLLOW		0x1	/* do not follow a final symlink */
#define MFS_L_REF		0x2	/* keep a reference: mfs_put() it */

int mfs_lookup(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	       const char *path, int flags, uint32_t *inop);
int mfs_get(struct mfs *fs, uint32_t ino);
void mfs_put(struct mfs *fs, uint32_t ino);

/*
 * Open semantics: flags are Linux O_* (O_ACCMODE, O_CREAT, O_EXCL, O_TRUNC,
 * O_DIRECTORY, O_NOFOLLOW; O_APPEND is the caller's: see mfs_append).
 * mode is the creation mode with the umask already applied.  Returns a
 * referenced inode number in *inop.
 */
int mfs_open(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	     const char *path, int flags, mode_t mode, uint32_t *inop);

/* I/O on an inode (the caller checked access when opening). */
ssize_t mfs_read(struct mfs *fs, uint32_t ino, void *buf, size_t len,
		 uint64_t off);
ssize_t mfs_write(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		  const void *buf, size_t len, uint64_t off);
/* O_APPEND: writes at the end; *offp receives the new end. */
ssize_t mfs_append(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		   const void *buf, size_t len, uint64_t *offp);
int mfs_ftruncate(struct mfs *fs, uint32_t ino, int64_t len);
int mfs_truncate(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
		 const char *path, int64_t len);
int mfs_truncate_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		     int64_t len);

int mfs_fstat(struct mfs *fs, uint32_t ino, struct mfs_stat *st);
int mfs_stat(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	     const char *path, int flags, struct mfs_stat *st);

/*
 * Directory listing: fills up to max entries from *posp (a byte offset,
 * 0 to start), advances *posp.  Returns the number of entries, 0 at the
 * end.  Positions stay valid while entries are added and removed.
 */
int mfs_getdents(struct mfs *fs, uint32_t ino, uint64_t *posp,
		 struct mfs_dirent *ents, int max);

int mfs_mkdir(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path, mode_t mode);
int mfs_rmdir(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path);
int mfs_unlink(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	       const char *path);
int mfs_rename(struct mfs *fs, const struct mfs_cred *cr, uint32_t odir,
	       const char *opath, uint32_t ndir, const char *npath);
int mfs_link(struct mfs *fs, const struct mfs_cred *cr, uint32_t odir,
	     const char *opath, uint32_t ndir, const char *npath);
int mfs_symlink(struct mfs *fs, const struct mfs_cred *cr,
		const char *target, uint32_t dir, const char *path);
/* Returns the length copied (not NUL-terminated, truncated to size). */
ssize_t mfs_readlink(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
		     const char *path, char *buf, size_t size);
/* mode: S_IFREG, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK | perms; rdev MINIX. */
int mfs_mknod(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path, mode_t mode, uint32_t rdev);

int mfs_chmod(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path, mode_t mode);
/* (uint32_t)-1 leaves uid or gid unchanged, as chown(2). */
int mfs_chown(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	      const char *path, uint32_t uid, uint32_t gid, int flags);
/* times NULL: now (owner or write access); else [0]=atime, [1]=mtime. */
int mfs_utimes(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	       const char *path, const uint32_t *times, int flags);
/* amode: R_OK | W_OK | X_OK or F_OK, checked with cr as access(2). */
int mfs_access(struct mfs *fs, const struct mfs_cred *cr, uint32_t dir,
	       const char *path, int amode);

/*
 * The same by inode number, for a caller that found the inode itself
 * (the FS server: its lookups cross mount points).  mfs_utimes_ino's
 * @omit (MFS_UT_OMIT_*) leaves a time as it is (UTIME_OMIT).
 */
#define MFS_UT_OMIT_ATIME	1
#define MFS_UT_OMIT_MTIME	2
int mfs_chmod_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		  mode_t mode);
int mfs_chown_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		  uint32_t uid, uint32_t gid);
int mfs_utimes_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		   const uint32_t *times, int omit);
int mfs_access_ino(struct mfs *fs, const struct mfs_cred *cr, uint32_t ino,
		   int amode);

#endif /* MFS_H */

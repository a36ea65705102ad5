/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * molfscalls.h - the file-system protocol of MoL: the calls a process
 * makes to MOL_FS (FS_*), and the process bookkeeping PM sends to FS
 * (FS_PM_*), with one payload layout per call.  Shared by molfs, the
 * libmol container (glibc open/read/... -> FS_* messages), molpm and the
 * tests.  Documented in Documentation/filesystem.md, "Server and
 * protocol".
 *
 * Conventions (as <linux/molcalls.h>):
 *  - a request's m_type is the call number; the payload is the call's
 *    struct at the start of the message body (MOL_BODY); unused bytes and
 *    fields marked "zero" must be zero (else -EINVAL);
 *  - the reply (always to a sendrec) has m_type = the result: >= 0 on
 *    success (a descriptor, a byte count or 0, as the Linux system call
 *    returns it) or a negative Linux errno, exactly the errno Linux gives
 *    for the same call on the same tree; its payload is the request's
 *    struct with the "out" fields filled (the "in" fields are echoed);
 *  - every field is checked: a bad descriptor gives -EBADF, a bad grant
 *    (unknown id, wrong grantee, too short, wrong access) -EFAULT, bad
 *    flags -EINVAL.  FS never trusts the caller.
 *
 * Paths and data never travel inline: the caller creates a grant for FS
 * (mol_grant_create(mol, MOL_FS, buf, len, access)) and passes the grant
 * id; FS copies with mol_safecopy_from/to while the caller waits in
 * sendrec; the caller revokes the grant after the reply.  A path is
 * (path_grant, path_len): path_len bytes, no NUL needed (a NUL inside
 * ends the path); path_len 0 is an empty path (-ENOENT, or the dirfd
 * itself with MOL_AT_EMPTY_PATH where allowed); path_len >=
 * MOL_FS_PATH_MAX gives -ENAMETOOLONG.  Grants need MOL_GRANT_READ for
 * data FS reads (paths, write buffers) and MOL_GRANT_WRITE for data FS
 * fills (read buffers, struct mol_stat, ...).
 *
 * Flag values (O_*, AT_*, F_*, SEEK_*) are those of Linux's
 * asm-generic headers (x86, arm64, riscv, ...), repeated here as MOL_*
 * so that both sides agree on every architecture.  Mode bits (S_IF*,
 * permissions) and errno values are Linux's.
 *
 * Credentials: FS keeps per-process state keyed by endpoint (descriptor
 * table, cwd, umask, uid/gid), created by FS_PM_FORK.  A caller FS does
 * not know gets -EPERM, except boot processes (slot < MOL_NR_BOOT_SLOTS,
 * e.g. MOL_INIT), which are created on first use with uid 0, gid 0,
 * cwd /, umask 022.
 */
#ifndef _UAPI_LINUX_MOLFSCALLS_H
#define _UAPI_LINUX_MOLFSCALLS_H

#include <linux/molipc.h>
#include <linux/molcalls.h>

/* ------------------------------------------------------------------ */
/* Limits and flag values                                              */
/* ------------------------------------------------------------------ */

#define MOL_FS_PATH_MAX		4096	/* incl. the NUL, as PATH_MAX */
#define MOL_FS_OPEN_MAX		256	/* descriptors per process */
#define MOL_FS_IO_MAX		0x7ffff000U	/* bytes per read/write */
#define MOL_FS_PIPE_BUF		4096	/* atomic pipe write */
#define MOL_FS_PIPE_SIZE	65536	/* pipe capacity */

#define MOL_AT_FDCWD		(-100)

/* open flags (asm-generic/fcntl.h) */
#define MOL_O_ACCMODE		00000003
#define MOL_O_RDONLY		00000000
#define MOL_O_WRONLY		00000001
#define MOL_O_RDWR		00000002
#define MOL_O_CREAT		00000100
#define MOL_O_EXCL		00000200
#define MOL_O_NOCTTY		00000400	/* accepted, ignored */
#define MOL_O_TRUNC		00001000
#define MOL_O_APPEND		00002000
#define MOL_O_NONBLOCK		00004000
#define MOL_O_DSYNC		00010000	/* accepted, no effect */
#define MOL_O_DIRECT		00040000	/* accepted, ignored */
#define MOL_O_LARGEFILE		00100000	/* accepted, always on */
#define MOL_O_DIRECTORY		00200000
#define MOL_O_NOFOLLOW		00400000
#define MOL_O_NOATIME		01000000	/* accepted, ignored */
#define MOL_O_CLOEXEC		02000000
#define MOL_O_SYNC		04010000	/* accepted, as O_DSYNC */
#define MOL_O_PATH		010000000	/* names a file, no I/O */
#define MOL_O_TMPFILE		020200000	/* not supported: -EOPNOTSUPP */

/* *at flags (linux/fcntl.h) */
#define MOL_AT_SYMLINK_NOFOLLOW	0x100
#define MOL_AT_REMOVEDIR	0x200
#define MOL_AT_EACCESS		0x200	/* FS_ACCESS: same as 0 in MoL */
#define MOL_AT_SYMLINK_FOLLOW	0x400
#define MOL_AT_EMPTY_PATH	0x1000

/* fcntl */
#define MOL_F_DUPFD		0
#define MOL_F_GETFD		1
#define MOL_F_SETFD		2
#define MOL_F_GETFL		3
#define MOL_F_SETFL		4	/* O_APPEND and O_NONBLOCK change */
#define MOL_F_DUPFD_CLOEXEC	1030
#define MOL_FD_CLOEXEC		1

/* lseek whence */
#define MOL_SEEK_SET		0
#define MOL_SEEK_CUR		1
#define MOL_SEEK_END		2

/* utimensat: special values of the *_nsec fields */
#define MOL_UTIME_NOW		((1L << 30) - 1)
#define MOL_UTIME_OMIT		((1L << 30) - 2)

/* FS_MOUNT flags / mol_statvfs.f_flag */
#define MOL_MS_RDONLY		1	/* = ST_RDONLY */
#define MOL_ST_NOSUID		2

/*
 * Character devices FS serves itself (the memory driver's files; see
 * "The /dev view" in Documentation/filesystem.md).  A device number is
 * MINIX's: (major << 8) | minor in the inode, major/minor in mol_stat.
 */
#define MOL_MEM_MAJOR		1	/* MINIX MEMORY_MAJOR */
#define MOL_NULL_MINOR		3	/* /dev/null */
#define MOL_ZERO_MINOR		5	/* /dev/zero */
#define MOL_RANDOM_MAJOR	16	/* MINIX RANDOM_MAJOR */
#define MOL_RANDOM_MINOR	0	/* /dev/random, /dev/urandom */
#define MOL_CTTY_MAJOR		5	/* MINIX CTTY_MAJOR: /dev/tty */
#define MOL_TTY_MAJOR		4	/* MINIX TTY_MAJOR: /dev/console */
#define MOL_CONSOLE_MINOR	0	/* /dev/console: moltty's terminal */

/* ------------------------------------------------------------------ */
/* Fixed-layout structures copied through grants                       */
/* ------------------------------------------------------------------ */

/* FS_STAT, FS_FSTAT: the caller's buffer (grant, MOL_GRANT_WRITE). */
struct mol_stat {
	__u64 st_dev;		/* the mounted file system */
	__u64 st_ino;
	__u32 st_mode;		/* S_IF* | permission bits */
	__u32 st_nlink;
	__u32 st_uid;
	__u32 st_gid;
	__u32 st_rdev_major;	/* device files: MINIX major */
	__u32 st_rdev_minor;	/* device files: MINIX minor */
	__s64 st_size;
	__s64 st_blocks;	/* 512-byte units */
	__u32 st_blksize;
	__u32 st_pad0;
	__s64 st_atime_sec;
	__s64 st_mtime_sec;
	__s64 st_ctime_sec;
	__u32 st_atime_nsec;	/* MINIX v3 keeps seconds: 0 */
	__u32 st_mtime_nsec;
	__u32 st_ctime_nsec;
	__u32 st_pad1;
};
MOL_STATIC_ASSERT(sizeof(struct mol_stat) == 104, "mol_stat layout");

/* FS_STATVFS, FS_FSTATVFS: as struct statvfs, fixed widths. */
struct mol_statvfs {
	__u64 f_bsize;
	__u64 f_frsize;
	__u64 f_blocks;		/* in f_frsize units */
	__u64 f_bfree;
	__u64 f_bavail;
	__u64 f_files;
	__u64 f_ffree;
	__u64 f_favail;
	__u64 f_fsid;
	__u64 f_flag;		/* MOL_MS_RDONLY (ST_RDONLY), MOL_ST_NOSUID */
	__u64 f_namemax;
};
MOL_STATIC_ASSERT(sizeof(struct mol_statvfs) == 88, "mol_statvfs layout");

/*
 * FS_GETDENTS fills the granted buffer with Linux's struct
 * linux_dirent64 records, each 8-byte aligned:
 *	__u64 d_ino; __s64 d_off; __u16 d_reclen; __u8 d_type;
 *	char d_name[];  (NUL-terminated, padded to d_reclen)
 */
struct mol_dirent64 {
	__u64 d_ino;
	__s64 d_off;		/* position of the next record */
	__u16 d_reclen;
	__u8 d_type;		/* DT_* */
	char d_name[];
};

/* ------------------------------------------------------------------ */
/* File-system calls: to MOL_FS (from every process)                   */
/* ------------------------------------------------------------------ */

#define FS_BASE			0x100
#define FS_OPEN			(FS_BASE + 0)	/* open, openat, creat */
#define FS_CLOSE		(FS_BASE + 1)
#define FS_READ			(FS_BASE + 2)
#define FS_WRITE		(FS_BASE + 3)
#define FS_PREAD		(FS_BASE + 4)
#define FS_PWRITE		(FS_BASE + 5)
#define FS_LSEEK		(FS_BASE + 6)
#define FS_STAT			(FS_BASE + 7)	/* stat, lstat, fstatat */
#define FS_FSTAT		(FS_BASE + 8)
#define FS_ACCESS		(FS_BASE + 9)	/* access, faccessat */
#define FS_GETDENTS		(FS_BASE + 10)	/* getdents64 */
#define FS_MKDIR		(FS_BASE + 11)	/* mkdir, mkdirat */
#define FS_UNLINK		(FS_BASE + 12)	/* unlink, unlinkat, rmdir */
#define FS_RENAME		(FS_BASE + 13)	/* rename, renameat */
#define FS_LINK			(FS_BASE + 14)	/* link, linkat */
#define FS_SYMLINK		(FS_BASE + 15)	/* symlink, symlinkat */
#define FS_READLINK		(FS_BASE + 16)	/* readlink, readlinkat */
#define FS_CHDIR		(FS_BASE + 17)
#define FS_FCHDIR		(FS_BASE + 18)
#define FS_GETCWD		(FS_BASE + 19)
#define FS_CHMOD		(FS_BASE + 20)	/* chmod, fchmodat */
#define FS_FCHMOD		(FS_BASE + 21)
#define FS_CHOWN		(FS_BASE + 22)	/* chown, lchown, fchownat */
#define FS_FCHOWN		(FS_BASE + 23)
#define FS_UTIMENS		(FS_BASE + 24)	/* utimensat, futimens */
#define FS_TRUNCATE		(FS_BASE + 25)
#define FS_FTRUNCATE		(FS_BASE + 26)
#define FS_DUP			(FS_BASE + 27)
#define FS_DUP2			(FS_BASE + 28)
#define FS_DUP3			(FS_BASE + 29)
#define FS_FCNTL		(FS_BASE + 30)
#define FS_PIPE			(FS_BASE + 31)	/* pipe, pipe2 */
#define FS_UMASK		(FS_BASE + 32)
#define FS_SYNC			(FS_BASE + 33)
#define FS_FSYNC		(FS_BASE + 34)	/* fsync, fdatasync */
#define FS_MOUNT		(FS_BASE + 35)
#define FS_UMOUNT		(FS_BASE + 36)
#define FS_STATVFS		(FS_BASE + 37)
#define FS_FSTATVFS		(FS_BASE + 38)
#define FS_MKNOD		(FS_BASE + 39)	/* mknod, mknodat, mkfifo */
#define FS_IOCTL		(FS_BASE + 40)	/* terminal ioctls */
#define FS_EXEC_LOCATE		(FS_BASE + 41)	/* execve: where the file is */
#define FS_NR_CALLS		42

/*
 * FS_OPEN: openat(dirfd, path, flags, mode).  Reply: the new descriptor
 * (the lowest free one).  mode is used with O_CREAT (the umask applied
 * by FS).  Flags outside the MOL_O_* above -> -EINVAL (unknown bits are
 * rejected, unlike Linux, which ignores them).  Opening a FIFO is
 * -ENXIO (named pipes are not served yet).  On success @mode is set to
 * the file type (S_IFMT bits) of what was opened, so that the caller
 * knows a character device (calls on a terminal may block).
 */
struct mol_fs_open {
	__s32 dirfd;		/* in: descriptor or MOL_AT_FDCWD */
	__s32 path_grant;	/* in */
	__u32 path_len;		/* in */
	__u32 flags;		/* in: MOL_O_* */
	__u32 mode;		/* in: permission bits for O_CREAT; out: S_IFMT */
};
MOL_BODY_CHECK(struct mol_fs_open);

/*
 * One descriptor and small arguments:
 *  FS_CLOSE	fd.					Reply 0.
 *  FS_FCHDIR	fd.					Reply 0.
 *  FS_FSYNC	fd.					Reply 0.
 *  FS_DUP	fd.				Reply the new fd.
 *  FS_DUP2	fd -> fd2 (dup2: fd == fd2 valid returns fd2).	Reply fd2.
 *  FS_DUP3	fd -> fd2, arg = 0 or MOL_O_CLOEXEC (fd == fd2: -EINVAL).
 *  FS_FCNTL	fd, cmd = MOL_F_*, arg.		Reply as fcntl(2).
 *  FS_FCHMOD	fd, arg = mode.				Reply 0.
 *  FS_FTRUNCATE use struct mol_fs_trunc.
 */
struct mol_fs_fd {
	__s32 fd;		/* in */
	__s32 fd2;		/* in: FS_DUP2, FS_DUP3 */
	__s32 cmd;		/* in: FS_FCNTL */
	__s32 arg;		/* in: FS_FCNTL, FS_DUP3, FS_FCHMOD */
};
MOL_BODY_CHECK(struct mol_fs_fd);

/*
 * FS_READ, FS_WRITE, FS_PREAD, FS_PWRITE: @len bytes between the
 * descriptor and grant @grant (read: MOL_GRANT_WRITE, write:
 * MOL_GRANT_READ).  Reply: the byte count (0: end of file), at most
 * MOL_FS_IO_MAX.  FS_READ/FS_WRITE use and advance the file offset,
 * FS_PREAD/FS_PWRITE use @offset (-ESPIPE on pipes, -EINVAL if < 0).
 *
 * Pipes: a read of an empty pipe that has writers, or a write to a full
 * pipe that has readers, is suspended (the reply comes later; FS never
 * blocks) unless the descriptor has O_NONBLOCK (-EAGAIN).  A write to a
 * pipe without readers is -EPIPE: FS sends no signal; the caller (the
 * container) raises SIGPIPE itself, as Linux would.
 */
struct mol_fs_io {
	__s32 fd;		/* in */
	__s32 grant;		/* in */
	__u64 len;		/* in */
	__s64 offset;		/* in: FS_PREAD, FS_PWRITE */
};
MOL_BODY_CHECK(struct mol_fs_io);

/* FS_LSEEK: reply 0 with the new offset in @offset, or -errno. */
struct mol_fs_lseek {
	__s32 fd;		/* in */
	__s32 whence;		/* in: MOL_SEEK_* */
	__s64 offset;		/* in: as lseek; out: the resulting offset */
};
MOL_BODY_CHECK(struct mol_fs_lseek);

/*
 * Path calls with one path, relative to @dirfd (MOL_AT_FDCWD: the cwd;
 * ignored for an absolute path):
 *  FS_STAT	flags MOL_AT_SYMLINK_NOFOLLOW (lstat) | MOL_AT_EMPTY_PATH;
 *		buf_grant/buf_len: struct mol_stat.		Reply 0.
 *  FS_ACCESS	mode = R_OK|W_OK|X_OK or F_OK; flags MOL_AT_EACCESS |
 *		MOL_AT_SYMLINK_NOFOLLOW.			Reply 0.
 *  FS_MKDIR	mode (umask applied).				Reply 0.
 *  FS_UNLINK	flags 0 (unlink) or MOL_AT_REMOVEDIR (rmdir).	Reply 0.
 *  FS_READLINK buf_grant/buf_len: the buffer.	Reply the length (no NUL).
 *  FS_CHDIR	(path only).					Reply 0.
 *  FS_CHMOD	mode; flags 0 (MOL_AT_SYMLINK_NOFOLLOW: -EOPNOTSUPP).
 *  FS_STATVFS	buf_grant/buf_len: struct mol_statvfs.		Reply 0.
 *  FS_MKNOD	mode = S_IF{REG,CHR,BLK,FIFO,SOCK} | perms (umask applied),
 *		dev = (major << 8) | minor (MINIX).		Reply 0.
 *  FS_UMOUNT	the mount point; flags 0.  Root only.		Reply 0.
 *  FS_EXEC_LOCATE where the program execve(path) names lives (the
 *		final symbolic link followed); flags, mode, dev zero;
 *		buf_grant/buf_len (MOL_GRANT_WRITE): the host path.
 *		Errors as execve:
 *		-ENOENT, -ENOTDIR, -ELOOP, -EACCES (not a regular file, or
 *		no execute permission for the caller).  Reply 0: the file
 *		is in a MINIX file system (open it through FS); n > 0: it
 *		is on a host pass-through mount, and buf holds its host
 *		path, n bytes and a NUL (-ERANGE if buf_len <= n).
 */
struct mol_fs_path {
	__s32 dirfd;		/* in */
	__s32 path_grant;	/* in */
	__u32 path_len;		/* in */
	__u32 flags;		/* in: MOL_AT_* as listed */
	__u32 mode;		/* in */
	__u32 dev;		/* in: FS_MKNOD */
	__s32 buf_grant;	/* in: FS_STAT, FS_READLINK, FS_STATVFS */
	__u32 buf_len;		/* in: size of that buffer */
};
MOL_BODY_CHECK(struct mol_fs_path);

/*
 * Calls with a descriptor and an output buffer:
 *  FS_FSTAT	buf: struct mol_stat.				Reply 0.
 *  FS_FSTATVFS	buf: struct mol_statvfs.			Reply 0.
 *  FS_GETDENTS	buf: linux_dirent64 records; reply the bytes filled, 0
 *		at the end, -EINVAL if one record does not fit,
 *		-ENOTDIR if fd is not a directory.
 *  FS_GETCWD	(fd unused, zero) buf: the path with its NUL; reply its
 *		length incl. the NUL (as the getcwd system call),
 *		-ERANGE if buf_len is too small.
 */
struct mol_fs_buf {
	__s32 fd;		/* in */
	__s32 buf_grant;	/* in */
	__u32 buf_len;		/* in */
	__u32 pad;		/* zero */
};
MOL_BODY_CHECK(struct mol_fs_buf);

/*
 * Calls with two paths:
 *  FS_RENAME	renameat(olddirfd, old, newdirfd, new); flags zero.
 *  FS_LINK	linkat(olddirfd, old, newdirfd, new, flags), flags 0 or
 *		MOL_AT_SYMLINK_FOLLOW.
 *  FS_SYMLINK	symlinkat(old = the target text, newdirfd, new); olddirfd
 *		ignored; flags zero.
 * Reply 0.
 */
struct mol_fs_path2 {
	__s32 olddirfd;		/* in */
	__s32 old_grant;	/* in */
	__u32 old_len;		/* in */
	__s32 newdirfd;		/* in */
	__s32 new_grant;	/* in */
	__u32 new_len;		/* in */
	__u32 flags;		/* in */
};
MOL_BODY_CHECK(struct mol_fs_path2);

/*
 * FS_CHOWN: fchownat(dirfd, path, uid, gid, flags), flags 0 or
 * MOL_AT_SYMLINK_NOFOLLOW (lchown) | MOL_AT_EMPTY_PATH.
 * FS_FCHOWN: fchown(dirfd, uid, gid) (path fields zero).
 * uid/gid (__u32)-1 leaves that id unchanged.  Reply 0.
 */
struct mol_fs_chown {
	__s32 dirfd;		/* in (FS_FCHOWN: the descriptor) */
	__s32 path_grant;	/* in */
	__u32 path_len;		/* in */
	__u32 flags;		/* in */
	__u32 uid;		/* in */
	__u32 gid;		/* in */
};
MOL_BODY_CHECK(struct mol_fs_chown);

/*
 * FS_UTIMENS: utimensat(dirfd, path, times, flags); path_grant -1
 * (futimens) operates on descriptor dirfd.  The times are inline: *_nsec
 * MOL_UTIME_NOW / MOL_UTIME_OMIT as utimensat(2); both NOW is
 * times == NULL.  MINIX v3 stores seconds (nsec are dropped).  Reply 0.
 */
struct mol_fs_utimens {
	__s32 dirfd;		/* in */
	__s32 path_grant;	/* in, -1: the descriptor dirfd */
	__u32 path_len;		/* in */
	__u32 flags;		/* in: 0 or MOL_AT_SYMLINK_NOFOLLOW */
	__s64 atime_sec;	/* in */
	__s64 mtime_sec;	/* in */
	__u32 atime_nsec;	/* in */
	__u32 mtime_nsec;	/* in */
};
MOL_BODY_CHECK(struct mol_fs_utimens);

/*
 * FS_TRUNCATE: truncate(path, length) relative to dirfd (MOL_AT_FDCWD
 * for truncate(2)); FS_FTRUNCATE: ftruncate(fd = dirfd, length), path
 * fields zero.  Reply 0.
 */
struct mol_fs_trunc {
	__s32 dirfd;		/* in */
	__s32 path_grant;	/* in */
	__u32 path_len;		/* in */
	__u32 pad;		/* zero */
	__s64 length;		/* in */
};
MOL_BODY_CHECK(struct mol_fs_trunc);

/* FS_PIPE: pipe2(fds, flags), flags 0 | MOL_O_CLOEXEC | MOL_O_NONBLOCK. */
struct mol_fs_pipe {
	__u32 flags;		/* in */
	__s32 fds[2];		/* out: read end, write end */
};
MOL_BODY_CHECK(struct mol_fs_pipe);

/* FS_UMASK: reply the previous mask; FS_SYNC: no payload, reply 0. */
struct mol_fs_umask {
	__u32 mask;		/* in: & 0777 */
};
MOL_BODY_CHECK(struct mol_fs_umask);

/*
 * FS_MOUNT: mount a file system on directory @target (a MoL path,
 * relative to the caller's cwd).  Root (uid 0) only.  @source_type says
 * what is mounted:
 *  MOL_MNT_DISK	minor @index of the disk driver (MOL_DISK), a MINIX
 *			v3 image: how the launcher mounts its extra images;
 *  MOL_MNT_SERVER	export @index of the file server @server, which
 *			speaks the VFS -> FS request protocol below (REQ_*;
 *			molhostfs, the host pass-through);
 *  MOL_MNT_IMAGE	the MINIX v3 image at host path @source (grant):
 *			only when molfs itself was started on an image file
 *			(standalone, for tests); -EPERM when its root is a
 *			disk-driver minor.
 * Errors as mount(2): -EPERM, -ENOENT, -ENOTDIR, -EBUSY (already a mount
 * point or root), -EINVAL (bad type, not a MINIX v3 image, the server
 * does not answer REQ_STAT of its root as a directory), -ENXIO (no such
 * minor).  FS_UMOUNT takes struct mol_fs_path (-EBUSY while files are
 * open on it or something is mounted below, -EINVAL if not a mount
 * point).  Reply 0.
 */
#define MOL_MNT_IMAGE		0
#define MOL_MNT_DISK		1
#define MOL_MNT_SERVER		2

struct mol_fs_mount {
	__s32 source_grant;	/* in: MOL_MNT_IMAGE, else zero */
	__u32 source_len;	/* in: MOL_MNT_IMAGE, else zero */
	__s32 target_grant;	/* in */
	__u32 target_len;	/* in */
	__u32 flags;		/* in: 0 or MOL_MS_RDONLY */
	__u32 source_type;	/* in: MOL_MNT_* */
	__s32 server;		/* in: MOL_MNT_SERVER: its endpoint */
	__u32 index;		/* in: the minor, or the server's export */
};
MOL_BODY_CHECK(struct mol_fs_mount);

/*
 * FS_IOCTL: a terminal request MOL_TIOC_* (<linux/molcalls.h>) on
 * descriptor @fd, with its argument (union mol_tty_arg) in grant @grant
 * of @len bytes (MOL_GRANT_READ | MOL_GRANT_WRITE; FS copies it in
 * before and out after the call), and the caller's MINIX pid, process
 * group and session (for MOL_TIOC_SETCTTY and MOL_TIOC_SETPGRP).
 * -ENOTTY for a descriptor that is not a terminal.  Reply 0.
 */
struct mol_fs_ioctl {
	__s32 fd;		/* in */
	__u32 request;		/* in: MOL_TIOC_* */
	__s32 grant;		/* in */
	__u32 len;		/* in: <= sizeof(union mol_tty_arg) */
	__s32 pid;		/* in */
	__s32 pgid;		/* in */
	__s32 sid;		/* in */
};
MOL_BODY_CHECK(struct mol_fs_ioctl);

/* ------------------------------------------------------------------ */
/* The VFS -> FS request protocol: from MOL_FS to a mounted file server */
/* ------------------------------------------------------------------ */

/*
 * As MINIX's VFS asks its file servers (REQ_LOOKUP, REQ_STAT, ...),
 * molfs asks a file server mounted with MOL_MNT_SERVER, for a vnode of
 * that mount: (export, ino).  One component per REQ_LOOKUP: FS walks
 * paths, expands symbolic links (in the MoL tree) and crosses mount
 * points itself; the server never follows a link.  Inode numbers are the
 * server's, stable while it runs; the root of every export is inode 1
 * (MOL_FSREQ_ROOT_INO).  Names and data move by grants that FS makes for
 * the server.  FS checks permissions itself, with the caller's MoL ids,
 * from what REQ_STAT answers.  The reply's m_type is >= 0 or -errno; the
 * payload is the request's struct with the out fields filled.
 *
 *  REQ_LOOKUP	 @ino a directory, grant/len: one name (no '/', at most
 *		 255 bytes, no NUL; "." and ".." allowed, ".." of the root
 *		 is the root).  Out: out_ino, out_mode (S_IF* | perms).
 *  REQ_STAT	 grant/len: struct mol_stat (st_dev is set by FS).
 *  REQ_READ	 @pos, grant/len (len <= MOL_FSREQ_IO_MAX): regular files.
 *		 Reply the bytes read (0 at the end).
 *  REQ_GETDENTS @ino a directory, @pos a cookie (0: the start), grant/len
 *		 (<= MOL_FSREQ_IO_MAX): struct mol_dirent64 records, d_ino
 *		 the server's inode numbers, d_off the cookie after each.
 *		 Reply the bytes filled (0 at the end; -EINVAL if one
 *		 record does not fit); next_pos: the cookie to go on from.
 *  REQ_RDLINK	 grant/len: the link text (not NUL-terminated).  Reply
 *		 its length (truncated to len).
 *  REQ_STATVFS	 grant/len: struct mol_statvfs of the export.
 *  REQ_HOSTPATH grant/len: the file's path on the host, for exec (a
 *		 pass-through server).  Reply its length; the NUL follows
 *		 (-ENAMETOOLONG if len is too small).
 * The write-type requests: a read-only server answers -EROFS.  Their
 * fields are those of the calls they stand for (grant: a name); molfs
 * does not send them to a mount it knows is read-only.
 */
#define FSREQ_BASE		0x200
#define REQ_LOOKUP		(FSREQ_BASE + 0)
#define REQ_STAT		(FSREQ_BASE + 1)
#define REQ_READ		(FSREQ_BASE + 2)
#define REQ_GETDENTS		(FSREQ_BASE + 3)
#define REQ_RDLINK		(FSREQ_BASE + 4)
#define REQ_STATVFS		(FSREQ_BASE + 5)
#define REQ_HOSTPATH		(FSREQ_BASE + 6)
#define REQ_CREATE		(FSREQ_BASE + 7)	/* write-type from here */
#define REQ_MKDIR		(FSREQ_BASE + 8)
#define REQ_MKNOD		(FSREQ_BASE + 9)
#define REQ_UNLINK		(FSREQ_BASE + 10)
#define REQ_RMDIR		(FSREQ_BASE + 11)
#define REQ_RENAME		(FSREQ_BASE + 12)
#define REQ_LINK		(FSREQ_BASE + 13)
#define REQ_SLINK		(FSREQ_BASE + 14)
#define REQ_WRITE		(FSREQ_BASE + 15)
#define REQ_FTRUNC		(FSREQ_BASE + 16)
#define REQ_CHMOD		(FSREQ_BASE + 17)
#define REQ_CHOWN		(FSREQ_BASE + 18)
#define REQ_UTIME		(FSREQ_BASE + 19)
#define FSREQ_NR_CALLS		20
#define FSREQ_FIRST_WRITE	REQ_CREATE

#define MOL_FSREQ_ROOT_INO	1
#define MOL_FSREQ_IO_MAX	65536
#define MOL_FSREQ_NAME_MAX	255

struct mol_fsreq {
	__u32 export;		/* in: which tree of the server */
	__u32 ino;		/* in: the inode (LOOKUP: the directory) */
	__s32 grant;		/* in: the name or buffer */
	__u32 len;		/* in: its length */
	__u64 pos;		/* in: READ offset, GETDENTS cookie */
	__u32 out_ino;		/* out: LOOKUP */
	__u32 out_mode;		/* out: LOOKUP */
	__u64 next_pos;		/* out: GETDENTS */
};
MOL_BODY_CHECK(struct mol_fsreq);

/* ------------------------------------------------------------------ */
/* Process bookkeeping: from MOL_PM to MOL_FS                          */
/* ------------------------------------------------------------------ */

/*
 * PM sends these with sendrec; FS only replies (FS never sends a request
 * to PM, so there is no cycle).  From anyone else (other than MOL_PM and
 * MOL_SYSTEM) they are -EPERM.
 *  FS_PM_FORK	  the child (endpoint) gets a copy of the parent's
 *		  descriptor table (the open files are shared, offsets
 *		  too), cwd, umask and ids.  -EEXIST if the child is
 *		  known, -EINVAL if the parent is unknown.
 *  FS_PM_EXEC	  close the FD_CLOEXEC descriptors of endpoint.
 *  FS_PM_EXIT	  close everything of endpoint, forget it (a suspended
 *		  pipe call of it is dropped without a reply).
 *  FS_PM_SETIDS  set the uid and gid FS checks permissions with (the
 *		  effective ids).
 *  FS_PM_UNPAUSE a signal for endpoint: its suspended pipe call, if any,
 *		  is answered -EINTR (or with the bytes already moved).
 *  FS_PM_STOP	  endpoint was stopped (SIGSTOP, SIGTSTP, ...): a read it
 *		  has queued at a terminal driver is taken back and
 *		  answered -ERESTART (or with what had arrived), so that
 *		  the input goes to the foreground job; the caller's
 *		  library issues the read again once it runs.
 * Reply 0 or -errno (-ESRCH: endpoint unknown).
 */
#define FS_PM_BASE		0x180
#define FS_PM_FORK		(FS_PM_BASE + 0)
#define FS_PM_EXEC		(FS_PM_BASE + 1)
#define FS_PM_EXIT		(FS_PM_BASE + 2)
#define FS_PM_SETIDS		(FS_PM_BASE + 3)
#define FS_PM_UNPAUSE		(FS_PM_BASE + 4)
#define FS_PM_STOP		(FS_PM_BASE + 5)
#define FS_PM_NR_CALLS		6

struct mol_fs_pm {
	__s32 endpoint;		/* in: the process (FORK: the child) */
	__s32 parent;		/* in: FS_PM_FORK */
	__u32 uid;		/* in: FS_PM_SETIDS */
	__u32 gid;		/* in: FS_PM_SETIDS */
};
MOL_BODY_CHECK(struct mol_fs_pm);

#endif /* _UAPI_LINUX_MOLFSCALLS_H */

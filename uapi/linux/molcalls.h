/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * molcalls.h - the messages of the MoL system: kernel calls to the
 * system task (SYS_*) and process-manager calls (PM_*), with one payload
 * layout per call.  Shared by molsystem, molpm, molinit, molctl and the
 * libmol container.  Transport-level things (message, endpoints, status
 * codes) are in <linux/molipc.h>.
 *
 * Conventions, as in MINIX: a request's m_type is the call number; the
 * reply's m_type is the result, MOL_OK (0) or a negative errno (POSIX
 * results: -ECHILD, -ESRCH, -EINVAL, ...), with the payload layout of the
 * call.  Every field a server reads is checked: a request is untrusted.
 */
#ifndef _UAPI_LINUX_MOLCALLS_H
#define _UAPI_LINUX_MOLCALLS_H

#include <linux/molipc.h>

/* A call's payload, in place in the message. */
#define MOL_BODY(m, type)	((type *)(void *)(m)->m_u.m_raw)
#define MOL_BODY_CHECK(type)						\
	MOL_STATIC_ASSERT(sizeof(type) <= MOL_PAYLOAD_SIZE, #type " fits")

/* ------------------------------------------------------------------ */
/* Kernel calls: to MOL_SYSTEM (from servers only)                     */
/* ------------------------------------------------------------------ */

#define SYS_BASE		0x600
#define SYS_FORK		(SYS_BASE + 0)	/* register a forked child */
#define SYS_EXEC		(SYS_BASE + 1)	/* bookkeeping of an exec */
#define SYS_EXIT		(SYS_BASE + 2)	/* free a slot (unregister) */
#define SYS_PRIVCTL		(SYS_BASE + 3)	/* set an endpoint's privileges */
#define SYS_TIMES		(SYS_BASE + 4)	/* process and system times */
#define SYS_GETINFO		(SYS_BASE + 5)	/* see SYS_INFO_* */
#define SYS_KILL		(SYS_BASE + 6)	/* deliver a Linux signal */
#define SYS_SETALARM		(SYS_BASE + 7)	/* clock: alarm as a notify */
#define SYS_NR_CALLS		8

/* SYS_FORK: let Linux process @pid bind @slot as a user process. */
struct mol_sys_fork {
	__s32 slot;		/* in */
	__s32 pid;		/* in: Linux pid of the child */
	__s32 parent;		/* in: parent's endpoint */
	__s32 endpoint;		/* out: the child's endpoint */
};
MOL_BODY_CHECK(struct mol_sys_fork);

/* SYS_EXEC / SYS_EXIT / SYS_KILL / SYS_PRIVCTL: one endpoint. */
struct mol_sys_proc {
	__s32 endpoint;		/* in */
	__s32 sig;		/* SYS_KILL: Linux signal number */
	__u32 priv_preset;	/* SYS_PRIVCTL: MOL_PRIV_* below */
	__u32 pad;
};
MOL_BODY_CHECK(struct mol_sys_proc);

#define MOL_PRIV_USER		0	/* sendrec to PM and FS */
#define MOL_PRIV_SERVER		1	/* everything */

/* SYS_TIMES: times of the endpoint's Linux process, in clock ticks. */
struct mol_sys_times {
	__s32 endpoint;		/* in */
	__u32 pad;
	__u64 user;		/* out */
	__u64 system;		/* out */
	__u64 uptime;		/* out: ticks since the instance started */
	__u64 boottime;		/* out: realtime seconds at start */
};
MOL_BODY_CHECK(struct mol_sys_times);

/* SYS_GETINFO: what. */
#define SYS_INFO_DEAD		1	/* dead endpoints (for PM) */
#define SYS_INFO_CLOCK		2	/* ticks and realtime */
#define SYS_INFO_DEAD_MAX	4

struct mol_sys_dead {
	__u32 what;		/* in: SYS_INFO_DEAD */
	__u32 count;		/* out: entries filled */
	__u32 more;		/* out: nonzero if more are queued */
	__u32 pad;
	struct {
		__s32 endpoint;
		__s32 status;	/* Linux wait status, -1 unknown */
	} ent[SYS_INFO_DEAD_MAX];
};
MOL_BODY_CHECK(struct mol_sys_dead);

struct mol_sys_clock {
	__u32 what;		/* in: SYS_INFO_CLOCK */
	__u32 hz;		/* out: ticks per second */
	__u64 ticks;		/* out: since the instance started */
	__u64 realtime_ns;	/* out: CLOCK_REALTIME, in step with Linux */
};
MOL_BODY_CHECK(struct mol_sys_clock);

/* SYS_SETALARM: notify the caller from MOL_CLOCK after @ticks (0 cancels). */
struct mol_sys_alarm {
	__u64 ticks;		/* in */
	__u64 left;		/* out: ticks that were left of the old one */
};
MOL_BODY_CHECK(struct mol_sys_alarm);

/* ------------------------------------------------------------------ */
/* Clock task: from MOL_SYSTEM only (internal to the system task)      */
/* ------------------------------------------------------------------ */

/*
 * The system task forwards SYS_SETALARM and asks the time with sendrec
 * to MOL_CLOCK; the clock never sends to SYSTEM, so this cannot
 * deadlock.  Alarms reach @endpoint as a notification from MOL_CLOCK.
 */
#define CLK_BASE		0x680
#define CLK_SETALARM		(CLK_BASE + 0)	/* struct mol_clk_alarm */
#define CLK_GETTIME		(CLK_BASE + 1)	/* struct mol_sys_clock */

struct mol_clk_alarm {
	__s32 endpoint;		/* in: who gets the notification */
	__u32 pad;
	__u64 ticks;		/* in: from now; 0 cancels */
	__u64 left;		/* out: ticks that were left of the old one */
};
MOL_BODY_CHECK(struct mol_clk_alarm);

/* ------------------------------------------------------------------ */
/* Process-manager calls: to MOL_PM                                    */
/* ------------------------------------------------------------------ */

#define PM_BASE			0x000
#define PM_FORK			(PM_BASE + 1)	/* reserve child slot + pid */
#define PM_FORK_COMMIT		(PM_BASE + 2)	/* child's Linux pid known */
#define PM_FORK_ABORT		(PM_BASE + 3)	/* Linux fork failed */
#define PM_EXEC			(PM_BASE + 4)
#define PM_EXIT			(PM_BASE + 5)
#define PM_WAITPID		(PM_BASE + 6)
#define PM_GETPID		(PM_BASE + 7)	/* pid and ppid */
#define PM_KILL			(PM_BASE + 8)
#define PM_ALARM		(PM_BASE + 9)
#define PM_PAUSE		(PM_BASE + 10)
#define PM_SIGACTION		(PM_BASE + 11)
#define PM_SIGPROCMASK		(PM_BASE + 12)
#define PM_SIGPENDING		(PM_BASE + 13)
#define PM_SIGSUSPEND		(PM_BASE + 14)
#define PM_SETSID		(PM_BASE + 15)
#define PM_GETPGRP		(PM_BASE + 16)
#define PM_SETPGID		(PM_BASE + 17)
#define PM_GETUID		(PM_BASE + 18)	/* uid, euid, gid, egid */
#define PM_SETUID		(PM_BASE + 19)
#define PM_SETGID		(PM_BASE + 20)
#define PM_TIMES		(PM_BASE + 21)
#define PM_BRK			(PM_BASE + 22)
#define PM_REBOOT		(PM_BASE + 23)
#define PM_PROCTAB		(PM_BASE + 24)	/* one row for molctl ps */
#define PM_GETPGID		(PM_BASE + 25)
#define PM_SIGNAL_DONE		(PM_BASE + 26)	/* container handled a sig */
#define PM_NR_CALLS		27

/* PM_FORK / PM_FORK_COMMIT / PM_FORK_ABORT */
struct mol_pm_fork {
	__s32 child_slot;	/* out of FORK; in to COMMIT/ABORT */
	__s32 child_pid;	/* out of FORK: the child's MINIX pid */
	__s32 linux_pid;	/* in to COMMIT: the child's Linux pid */
	__s32 child_endpoint;	/* out of COMMIT */
};
MOL_BODY_CHECK(struct mol_pm_fork);

/* PM_EXEC: the caller is about to execve @path (bookkeeping only). */
struct mol_pm_exec {
	char name[48];		/* in: program name, NUL-terminated */
	__u32 setuid;		/* in: MoL set-uid owner + 1, or 0 */
	__u32 setgid;		/* in: MoL set-gid group + 1, or 0 */
};
MOL_BODY_CHECK(struct mol_pm_exec);

/* PM_EXIT: @status is a wait status: W_EXITCODE(code, 0) or a signal. */
struct mol_pm_exit {
	__s32 status;		/* in */
};
MOL_BODY_CHECK(struct mol_pm_exit);

/* PM_WAITPID */
struct mol_pm_wait {
	__s32 pid;		/* in: as waitpid(2) */
	__s32 options;		/* in: WNOHANG, WUNTRACED */
	__s32 status;		/* out */
	__s32 ret_pid;		/* out: reaped child, 0 with WNOHANG */
	__s32 linux_pid;	/* out: its Linux pid (the container reaps it) */
};
MOL_BODY_CHECK(struct mol_pm_wait);

/* PM_GETPID, PM_GETPGRP, PM_GETPGID, PM_SETSID, PM_SETPGID */
struct mol_pm_ids {
	__s32 pid;		/* in (SETPGID, GETPGID) / out: pid */
	__s32 pgid;		/* in (SETPGID) / out: pgid */
	__s32 ppid;		/* out */
	__s32 sid;		/* out */
};
MOL_BODY_CHECK(struct mol_pm_ids);

/* PM_KILL */
struct mol_pm_kill {
	__s32 pid;		/* in: as kill(2): > 0, 0, -1, < -1 */
	__s32 sig;		/* in: 0 checks only */
};
MOL_BODY_CHECK(struct mol_pm_kill);

/* PM_ALARM */
struct mol_pm_alarm {
	__u32 seconds;		/* in */
	__u32 left;		/* out */
};
MOL_BODY_CHECK(struct mol_pm_alarm);

/*
 * PM_SIGACTION, PM_SIGPROCMASK, PM_SIGPENDING, PM_SIGSUSPEND: MINIX's
 * signal state lives in PM; the container mirrors handlers into Linux.
 * Signal sets are 64-bit, bit (sig - 1).
 */
#define MOL_SIG_DFL		0
#define MOL_SIG_IGN		1
#define MOL_SIG_CATCH		2

struct mol_pm_sig {
	__s32 sig;		/* in: SIGACTION */
	__s32 how;		/* in: SIGPROCMASK: SIG_BLOCK, ... */
	__u32 disposition;	/* in/out: MOL_SIG_* (SIGACTION) */
	__u32 sa_flags;		/* in/out: SA_* (SIGACTION) */
	__u64 set;		/* in: mask / new mask / suspend mask */
	__u64 old;		/* out: old mask, pending set, old action */
	__u64 sa_mask;		/* in/out (SIGACTION) */
};
MOL_BODY_CHECK(struct mol_pm_sig);

/* PM_GETUID, PM_SETUID, PM_SETGID */
struct mol_pm_cred {
	__s32 uid, euid;	/* out (GETUID); uid in (SETUID) */
	__s32 gid, egid;	/* out (GETUID); gid in (SETGID) */
};
MOL_BODY_CHECK(struct mol_pm_cred);

/* PM_TIMES: clock ticks; children's times are those PM reaped. */
struct mol_pm_times {
	__u64 utime, stime, cutime, cstime;
	__u64 uptime;
};
MOL_BODY_CHECK(struct mol_pm_times);

/* PM_BRK: bookkeeping of the program break. */
struct mol_pm_brk {
	__u64 addr;		/* in: new break; out: the break */
};
MOL_BODY_CHECK(struct mol_pm_brk);

/* PM_REBOOT: how. */
#define MOL_REBOOT_HALT		0	/* shut the instance down */

/* PM_PROCTAB: the row of the @index-th used process slot. */
#define MOL_PSTATE_RUNNING	0
#define MOL_PSTATE_ZOMBIE	1
#define MOL_PSTATE_WAITING	2	/* in waitpid */
#define MOL_PSTATE_PAUSED	3	/* pause / sigsuspend */

struct mol_pm_proc {
	__s32 index;		/* in: 0, 1, ...; -ESRCH reply at the end */
	__s32 endpoint;		/* out */
	__s32 pid;		/* out: MINIX pid */
	__s32 ppid;		/* out */
	__s32 linux_pid;	/* out */
	__s32 pgid;		/* out */
	__u32 state;		/* out: MOL_PSTATE_* */
	__s32 uid;		/* out */
	char name[24];		/* out */
};
MOL_BODY_CHECK(struct mol_pm_proc);

/* ------------------------------------------------------------------ */
/* Block devices: to MOL_DISK                                          */
/* ------------------------------------------------------------------ */

/*
 * moldisk serves one minor device per image file.  Data never travels in
 * a message: READ and WRITE name a grant of the caller's buffer (the
 * driver writes into it for READ: MOL_GRANT_WRITE; reads it for WRITE:
 * MOL_GRANT_READ) and moldisk moves the bytes with safecopy.  Positions
 * and counts are bytes, multiples of BDEV_SECTOR; a request must lie
 * entirely inside the device (checked without overflow) and move at most
 * BDEV_MAX_COUNT bytes.  The reply's m_type is the number of bytes
 * transferred (READ, WRITE: always the whole count), MOL_OK, or -errno:
 * -EINVAL (unknown call, reserved field not zero, unaligned, out of
 * bounds, too big), -ENXIO (no such minor), -EROFS (write access to a
 * read-only device), the safecopy's error for a bad grant (-EPERM,
 * -EINVAL, -EFAULT, -ESRCH), -EIO or the host's errno for a failed I/O
 * (a failed WRITE may have written part of the range).
 *
 * WRITE_BATCH writes several ranges all or nothing: its grant (read
 * access, count bytes) holds nr_extents struct mol_bdev_extent, then the
 * data of every extent in that order.  moldisk copies the whole batch
 * before touching the image, writes it to the image's redo log (a file
 * next to the image, IMAGE.mollog), then in place, then empties the log;
 * a batch cut short by a dead caller changes nothing, one cut short by a
 * dead driver is replayed when the image is next opened.  The reply is
 * count, or -errno as above (-EINVAL also for extents that are
 * unaligned, empty, outside the device, or whose lengths do not add up
 * to the data that follows them).
 * See Documentation/devices.md.
 */
#define BDEV_BASE		0x400
#define BDEV_OPEN		(BDEV_BASE + 0)	/* minor, access */
#define BDEV_CLOSE		(BDEV_BASE + 1)	/* minor */
#define BDEV_READ		(BDEV_BASE + 2)	/* minor, pos, count, grant */
#define BDEV_WRITE		(BDEV_BASE + 3)	/* minor, pos, count, grant */
#define BDEV_FLUSH		(BDEV_BASE + 4)	/* minor: fsync the image */
#define BDEV_INFO		(BDEV_BASE + 5)	/* minor: struct mol_bdev_info */
#define BDEV_WRITE_BATCH	(BDEV_BASE + 6)	/* struct mol_bdev_batch */
#define BDEV_NR_CALLS		7

#define BDEV_SECTOR		512		/* alignment of pos and count */
#define BDEV_MAX_COUNT		(16U << 20)	/* bytes per READ or WRITE */

/* BDEV_OPEN access bits */
#define BDEV_R_BIT		0x1
#define BDEV_W_BIT		0x2

/* BDEV_OPEN, BDEV_CLOSE, BDEV_READ, BDEV_WRITE, BDEV_FLUSH */
struct mol_bdev_req {
	__u32 minor;		/* in */
	__u32 access;		/* in: OPEN: BDEV_R_BIT | BDEV_W_BIT, else 0 */
	__s32 grant;		/* in: READ, WRITE: the caller's grant id */
	__u32 flags;		/* in: reserved, 0 */
	__u64 pos;		/* in: READ, WRITE: byte position */
	__u64 count;		/* in: READ, WRITE: bytes */
};
MOL_BODY_CHECK(struct mol_bdev_req);

/* BDEV_WRITE_BATCH: the request. */
struct mol_bdev_batch {
	__u32 minor;		/* in */
	__u32 nr_extents;	/* in: >= 1 */
	__s32 grant;		/* in: extents, then data (MOL_GRANT_READ) */
	__u32 flags;		/* in: reserved, 0 */
	__u64 count;		/* in: bytes of the grant, <= BDEV_MAX_COUNT */
	__u64 reserved;		/* in: 0 */
};
MOL_BODY_CHECK(struct mol_bdev_batch);

/*
 * One range of a batch (in the grant, and in the redo log's file format):
 * pos and len are multiples of BDEV_SECTOR, len > 0.
 */
struct mol_bdev_extent {
	__u64 pos;		/* byte position on the device */
	__u32 len;		/* bytes */
	__u32 flags;		/* reserved, 0 */
};

/* BDEV_INFO: the reply carries the device's geometry in the message. */
#define BDEV_INFO_RDONLY	0x1	/* out: served read-only */

struct mol_bdev_info {
	__u32 minor;		/* in */
	__u32 flags;		/* in: reserved, 0; out: BDEV_INFO_* */
	__u64 size;		/* out: bytes, a multiple of BDEV_SECTOR */
	__u32 block_size;	/* out: preferred I/O size in bytes */
	__u32 max_count;	/* out: BDEV_MAX_COUNT */
};
MOL_BODY_CHECK(struct mol_bdev_info);

/* ------------------------------------------------------------------ */
/* Character devices: FS to a character driver (MOL_TTY)               */
/* ------------------------------------------------------------------ */

/*
 * FS forwards the calls on a character device to the driver of its
 * major: MINIX's TTY_MAJOR 4 (/dev/console) and CTTY_MAJOR 5 (/dev/tty)
 * go to moltty at MOL_TTY; MEMORY_MAJOR 1 (/dev/null, /dev/zero) and
 * RANDOM_MAJOR 16 (/dev/random, /dev/urandom) to the memory driver
 * molmem at MOL_MEM, whose minors are MINIX's memory minors and, for
 * RANDOM_MAJOR's minor 0, MOL_MEM_RANDOM_MINOR.  molmem never queues a
 * read; FS repeats READ (at most CDEV_IO_MAX each) until a read of a
 * memory device is whole.  Only MOL_FS may call a character driver (others get
 * -EPERM); the driver never sends a request to anyone (it replies and
 * notifies), so FS, PM and the driver cannot deadlock.
 *
 * Data moves through grants FS makes of its own buffers (FS copies
 * between them and the program's grant): READ fills grant @grant
 * (MOL_GRANT_WRITE) with at most @count <= CDEV_IO_MAX bytes, WRITE
 * reads it (MOL_GRANT_READ), IOCTL reads and writes it (the argument,
 * union mol_tty_arg, @count = its size).
 *
 * A READ that cannot be satisfied now and has no CDEV_NONBLOCK is
 * queued by the driver: the reply is CDEV_QUEUED and FS keeps its
 * caller suspended.  When the read completes (data, end of file, or the
 * terminal went away) the driver copies the data into the grant, which
 * FS keeps alive, and notifies FS; FS then asks CDEV_STATUS until it
 * answers -EAGAIN, each reply naming one finished read (@minor, @user)
 * and its result in @count/m_type.  CDEV_CANCEL (@minor, @user) takes a
 * queued read back: its reply is -EINTR if nothing was read, or the
 * bytes already in the grant if it had completed meanwhile (FS then
 * delivers them); -ENOENT if there is no such read.  A driver answers
 * one queued READ per (@minor, @user): a second is -EBUSY.
 *
 * Results: >= 0 (bytes, or 0), CDEV_QUEUED, or -errno: -EINVAL (unknown
 * call, reserved field not zero, @count too big), -ENXIO (no such minor,
 * or no terminal attached), -EAGAIN (CDEV_NONBLOCK and nothing to
 * read), -ENOTTY (unknown ioctl, or a session ioctl from a process not
 * in the terminal's session), -EPERM (a process group not in it), -EIO
 * (write after the terminal went away), the safecopy's error.
 */
#define CDEV_BASE		0x500
#define CDEV_OPEN		(CDEV_BASE + 0)	/* minor, user, flags */
#define CDEV_CLOSE		(CDEV_BASE + 1)	/* minor, user */
#define CDEV_READ		(CDEV_BASE + 2)	/* minor, user, grant, count */
#define CDEV_WRITE		(CDEV_BASE + 3)	/* minor, user, grant, count */
#define CDEV_IOCTL		(CDEV_BASE + 4)	/* + request, ids */
#define CDEV_CANCEL		(CDEV_BASE + 5)	/* minor, user */
#define CDEV_STATUS		(CDEV_BASE + 6)	/* one finished read */
#define CDEV_NR_CALLS		7

#define CDEV_IO_MAX		4096		/* bytes per READ or WRITE */
#define MOL_MEM_RANDOM_MINOR	0x100		/* molmem: RANDOM_MAJOR 0 */
#define CDEV_QUEUED		(-0x4000)	/* READ reply: queued */

/* flags: OPEN */
#define CDEV_R_BIT		0x1
#define CDEV_W_BIT		0x2
#define CDEV_NOCTTY		0x4
/* flags: READ, WRITE */
#define CDEV_NONBLOCK		0x8

struct mol_cdev_req {
	__u32 minor;		/* in (STATUS: out) */
	__s32 user;		/* in: the process's endpoint (STATUS: out) */
	__s32 grant;		/* in: FS's grant, READ, WRITE, IOCTL */
	__u32 flags;		/* in: CDEV_* above, else 0 */
	__u32 count;		/* in: bytes (STATUS, CANCEL: out: result) */
	__u32 request;		/* in: IOCTL: MOL_TIOC_*, else 0 */
	__s32 pid;		/* in: IOCTL: the caller's MINIX ids as */
	__s32 pgid;		/*     its container reported them */
	__s32 sid;
	__u32 more;		/* out: STATUS: more finished reads */
};
MOL_BODY_CHECK(struct mol_cdev_req);

/*
 * Terminal ioctls (FS_IOCTL / CDEV_IOCTL), and what the container maps
 * to them (Linux's request, glibc's function):
 */
#define MOL_TIOC_GETATTR	1	/* TCGETS, tcgetattr: out termios */
#define MOL_TIOC_SETATTR	2	/* TCSETS, tcsetattr TCSANOW */
#define MOL_TIOC_SETATTRW	3	/* TCSETSW, TCSADRAIN */
#define MOL_TIOC_SETATTRF	4	/* TCSETSF, TCSAFLUSH: input flushed */
#define MOL_TIOC_GETWINSZ	5	/* TIOCGWINSZ: out winsize */
#define MOL_TIOC_SETWINSZ	6	/* TIOCSWINSZ: in winsize */
#define MOL_TIOC_GETPGRP	7	/* TIOCGPGRP, tcgetpgrp: out value */
#define MOL_TIOC_SETPGRP	8	/* TIOCSPGRP, tcsetpgrp: in value */
#define MOL_TIOC_SETCTTY	9	/* TIOCSCTTY: the caller's session */
#define MOL_TIOC_GETSID		10	/* TIOCGSID, tcgetsid: out value */
#define MOL_TIOC_FLUSH		11	/* TCFLSH, tcflush: in value */
#define MOL_TIOC_INQ		12	/* FIONREAD: out value */
#define MOL_TIOC_DRAIN		13	/* TCSBRK 1, tcdrain */
#define MOL_TIOC_MAX		13

/*
 * struct mol_termios: Linux's flag values (c_iflag ICRNL, c_lflag
 * ICANON, ...) and c_cc indexes (VINTR 0 ... VEOL2 16), as the kernel's
 * struct termios2; speeds in baud.
 */
#define MOL_NCCS		19
struct mol_termios {
	__u32 c_iflag;
	__u32 c_oflag;
	__u32 c_cflag;
	__u32 c_lflag;
	__u8 c_line;
	__u8 c_cc[MOL_NCCS];
	__u32 c_ispeed;
	__u32 c_ospeed;
};

struct mol_winsize {
	__u16 ws_row, ws_col, ws_xpixel, ws_ypixel;
};

union mol_tty_arg {
	struct mol_termios tio;
	struct mol_winsize ws;
	__s32 value;
};

/*
 * TTY_GETSIG: from MOL_PM to the terminal driver, after the driver
 * notified PM (a ^C, ^\ or ^Z typed: ISIG).  The reply names one signal
 * for the foreground process group @pgrp of session @sid, or -EAGAIN
 * when there is none left; @more says whether to ask again.  PM sends
 * @sig to the processes of group @pgrp whose session is @sid (and no
 * others): the driver's record is checked against PM's table.
 */
#define TTY_BASE		0x580
#define TTY_GETSIG		(TTY_BASE + 0)

struct mol_tty_sig {
	__s32 sig;		/* out: Linux signal number */
	__s32 pgrp;		/* out */
	__s32 sid;		/* out */
	__u32 more;		/* out */
};
MOL_BODY_CHECK(struct mol_tty_sig);

#endif /* _UAPI_LINUX_MOLCALLS_H */

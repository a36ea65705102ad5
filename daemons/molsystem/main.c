// SPDX-License-Identifier: GPL-2.0
/*
 * molsystem - the MoL system task.
 *
 * Creates an instance (and so becomes its MOL_SYSTEM), starts the boot
 * processes in dependency order (clock task, PM, with disks the disk
 * driver moldisk and the file server molfs over it, init), each
 * registered for its slot before it may run, then serves kernel calls
 * from the servers: message in, reply out (call.c).  Death notices from
 * MOL_KERNEL are queued for PM, which is only ever notified.  molctl
 * talks to it over system.sock (ctl.c).  See
 * Documentation/architecture.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/molfscalls.h>

#include "molsystem.h"
#include "redolog.h"

#define SYS_TICK_NS		(50 * 1000 * 1000ULL)	/* control poll */
#define SYS_BIND_WAIT_MS	10000
#define SYS_GRACE_MS		2000
#define SYS_DEAD_CAP		1024
#define SYS_FS_GRACE_MS		5000	/* molfs syncs before it exits */
#define SYS_MAX_DISKS		16
#define SYS_MAX_HOST_MOUNTS	16
#define SYS_MOUNT_MODE		0755	/* mount points molsystem creates */

extern char **environ;

struct sys_state sys = { .ctl_fd = -1, .hz = 60 };

static struct {
	const char *name;
	const char *pidfile;
	const char *log;
	const char *clock, *pm, *init, *libmol, *fs, *disk_driver, *tty;
	const char *hostfs, *mem;
	const char *disks[SYS_MAX_DISKS];	/* [0]: the root image */
	const char *mnts[SYS_MAX_DISKS];	/* mount points, or NULL */
	unsigned int nr_disks;
	int no_disk_driver;
	int no_tty;
	const char *host_mounts[SYS_MAX_HOST_MOUNTS];	/* host = MoL path */
	unsigned int nr_host_mounts;
	unsigned int nr_procs;
	int daemon;
	int no_pm;
	int no_container;
} opt = { .name = "default" };

/* Boot processes molsystem started, in start order. */
enum {
	BOOT_CLOCK, BOOT_PM, BOOT_MEM, BOOT_DISK, BOOT_HOSTFS, BOOT_FS,
	BOOT_TTY,
	BOOT_INIT, BOOT_NR
};
static pid_t boot_pid[BOOT_NR];

void sys_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "molsystem[%s]: ", opt.name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct sys_proc *sys_slot(int slot)
{
	return &sys.procs[slot + MOL_NR_TASKS];
}

/* The record of a live endpoint (exact generation), or NULL. */
struct sys_proc *sys_lookup(int endpoint)
{
	int slot = MOL_ENDPOINT_SLOT(endpoint);
	struct sys_proc *p;

	if (slot < -MOL_NR_TASKS || slot >= (int)sys.nr_procs)
		return NULL;
	p = sys_slot(slot);
	if (p->kind == SK_FREE || p->endpoint != endpoint)
		return NULL;
	return p;
}

/* User privileges: sendrec to PM and FS (and SYSTEM for a probe). */
void sys_priv_user(struct molipc_priv *priv, int may_system)
{
	memset(priv, 0, sizeof(*priv));
	priv->trap_mask = MOLIPC_TRAPS_USER;
	priv->send_mask[0] = 1ULL << MOL_SYS_ID(MOL_PM) |
			     1ULL << MOL_SYS_ID(MOL_FS);
	if (may_system)
		priv->send_mask[0] |= 1ULL << MOL_SYS_ID(MOL_SYSTEM);
}

static void sys_priv_server(struct molipc_priv *priv)
{
	memset(priv, 0, sizeof(*priv));
	memset(priv->send_mask, 0xff, sizeof(priv->send_mask));
	priv->trap_mask = MOLIPC_TRAPS_ALL;
	priv->flags = MOLIPC_PRIV_SEND_USERS;
}

/*
 * sendrec @m to @ep, bounded by @ms.  Only for the clock task, the disk
 * driver and the file server, which never send to SYSTEM (no cycle):
 * they answer unless dead or not serving yet.  MOL_OK and the reply in
 * @m, or the IPC error.
 */
static int call_bounded(int ep, struct mol_message *m, unsigned int ms)
{
	struct molipc_ipc req;
	int ret;

	memset(&req, 0, sizeof(req));
	req.endpoint = ep;
	req.flags = MOLIPC_IPC_TIMEOUT;
	req.timeout_ns = ms * 1000000ULL;
	req.msg = *m;
	for (;;) {
		ret = mol_ipc(&sys.mol, MOLIPC_OP_SENDREC, &req);
		if (ret != MOL_EREPLYPENDING && ret != MOL_EINTR)
			break;
		if (ret == MOL_EINTR && !(req.flags & MOLIPC_IPC_RESUME))
			continue;
		req.flags |= MOLIPC_IPC_RESUME;
	}
	if (ret < 0)
		return ret;
	*m = req.msg;
	return MOL_OK;
}

/* sendrec to the clock task, bounded (the clock never sends to SYSTEM). */
int sys_clock_call(struct mol_message *m)
{
	int ret = call_bounded(MOL_CLOCK, m, 1000);

	if (ret < 0)
		sys_log("clock call %d: %s", m->m_type, mol_strerror(ret));
	return ret;
}

static void on_signal(int sig)
{
	sys.stop = 1;
	sys.stop_reason = sig == SIGINT ? "SIGINT" : "SIGTERM";
}

/* Absolute path of @name next to this binary, or @given. */
static char *sibling(const char *given, const char *name)
{
	char self[PATH_MAX], *p;
	ssize_t n;

	if (given)
		return realpath(given, NULL) ?: strdup(given);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return strdup(name);
	self[n] = '\0';
	if (asprintf(&p, "%s/%s", dirname(self), name) < 0)
		return NULL;
	return p;
}

static char *envstr(const char *k, const char *v)
{
	char *s;

	if (asprintf(&s, "%s=%s", k, v) < 0)
		exit(1);
	return s;
}

/* The images after the root one, ':'-separated (for a mount tool). */
static const char *disk_list(void)
{
	static char buf[4096];
	size_t n = 0;
	unsigned int d;

	buf[0] = '\0';
	for (d = 1; d < opt.nr_disks; d++)
		n += snprintf(buf + n, n < sizeof(buf) ? sizeof(buf) - n : 0,
			      "%s%s", d > 1 ? ":" : "", opt.disks[d]);
	return buf;
}

/* The environment of a boot process: ours without MOL_*, plus @extra. */
static char **child_env(int container)
{
	size_t n = 0, i, j = 0;
	char **env, buf[32];

	while (environ[n])
		n++;
	env = calloc(n + 16, sizeof(*env));
	if (!env)
		exit(1);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], "MOL_", 4) &&
		    strncmp(environ[i], "LD_PRELOAD=", 11))
			env[j++] = environ[i];
	snprintf(buf, sizeof(buf), "%u", sys.instance);
	env[j++] = envstr("MOL_INSTANCE", buf);
	env[j++] = envstr("MOL_INSTANCE_NAME", opt.name);
	env[j++] = envstr("MOL_TRANSPORT", sys.transport);
	if (sys.kernel_addr)
		env[j++] = envstr("MOL_KERNEL_ADDR", sys.kernel_addr);
	env[j++] = envstr("MOL_RUN_DIR", sys.run_dir);
	snprintf(buf, sizeof(buf), "%u", sys.hz);
	env[j++] = envstr("MOL_HZ", buf);
	if (container) {
		env[j++] = envstr("LD_PRELOAD", opt.libmol);
		env[j++] = envstr("MOL_CONTAINER", "1");
	}
	if (container && opt.nr_disks) {
		/*
		 * Paths are the MINIX tree's: the container asks FS; init's
		 * own files (its control socket) stay the host's, its
		 * children are MINIX programs (MOL_FS=1).
		 */
		env[j++] = envstr("MOL_FS", "init");
		if (opt.nr_disks > 1)
			env[j++] = envstr("MOL_DISKS", disk_list());
	}
	return env;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Start a boot process: fork, register the child's pid for @slot, then
 * release it through a pipe (it execs @path), and wait until it has
 * bound its endpoint.
 */
static pid_t spawn(const char *name, const char *path, char *const argv[],
		   int slot, const struct molipc_priv *priv,
		   enum sys_kind kind, uint32_t calls, int container)
{
	char **env = child_env(container);
	struct molipc_procinfo info;
	struct sys_proc *p;
	int go[2], ep, ret, i, st;
	pid_t pid;
	char c;

	if (access(path, X_OK) < 0) {
		sys_log("%s: %s: %s", name, path, strerror(errno));
		return -1;
	}
	if (pipe2(go, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0) {
		sys_log("fork: %s", strerror(errno));
		close(go[0]);
		close(go[1]);
		return -1;
	}
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execve(path, argv, env);
		fprintf(stderr, "molsystem: exec %s: %s\n", path,
			strerror(errno));
		_exit(127);
	}
	close(go[0]);
	ret = mol_register(&sys.mol, pid, slot, priv, &ep);
	if (ret < 0) {
		sys_log("register %s (pid %d) for slot %d: %s", name,
			(int)pid, slot, mol_strerror(ret));
		close(go[1]);
		waitpid(pid, NULL, 0);
		return -1;
	}
	p = sys_slot(slot);
	p->endpoint = ep;
	p->pid = pid;
	p->kind = kind;
	p->calls = calls;
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (write(go[1], "g", 1) != 1) {
		close(go[1]);
		return -1;
	}
	close(go[1]);

	for (i = 0; i < SYS_BIND_WAIT_MS; i += 5) {
		memset(&info, 0, sizeof(info));
		info.slot = slot;
		ret = mol_procinfo(&sys.mol, &info);
		if (ret < 0) {
			sys_log("procinfo %d: %s", slot, mol_strerror(ret));
			break;
		}
		if (info.state != MOLIPC_PSTATE_REGISTERED &&
		    info.state != MOLIPC_PSTATE_FREE) {
			sys_log("%s: pid %d bound endpoint %d", name,
				(int)pid, ep);
			return pid;
		}
		if (waitpid(pid, &st, WNOHANG) == pid) {
			sys_log("%s (%s) exited before binding, status %d",
				name, path, st);
			memset(p, 0, sizeof(*p));
			return -1;
		}
		sleep_ms(5);
	}
	sys_log("%s (pid %d) did not bind slot %d", name, (int)pid, slot);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	memset(p, 0, sizeof(*p));
	return -1;
}

/*
 * The disk driver: moldisk IMAGE..., a server on MOL_DISK (no kernel
 * calls), minor N the N-th image.  Booted when it answers BDEV_INFO of
 * minor 0, the root disk.
 */
static int boot_disk(const struct molipc_priv *srv)
{
	struct mol_bdev_info *info;
	char *argv[SYS_MAX_DISKS + 2];
	struct mol_message m;
	unsigned int d;
	int ret;

	argv[0] = "moldisk";
	for (d = 0; d < opt.nr_disks; d++)
		argv[d + 1] = (char *)opt.disks[d];
	argv[d + 1] = NULL;
	boot_pid[BOOT_DISK] = spawn("moldisk", opt.disk_driver, argv,
				    MOL_DISK, srv, SK_SERVER, 0, 0);
	if (boot_pid[BOOT_DISK] < 0)
		return -1;

	memset(&m, 0, sizeof(m));
	m.m_type = BDEV_INFO;
	info = MOL_BODY(&m, struct mol_bdev_info);
	info->minor = 0;
	ret = call_bounded(MOL_DISK, &m, SYS_BIND_WAIT_MS);
	if (ret < 0) {
		sys_log("moldisk does not answer: %s", mol_strerror(ret));
		return -1;
	}
	if (m.m_type < 0) {
		sys_log("moldisk: BDEV_INFO of minor 0: %s",
			strerror(-m.m_type));
		return -1;
	}
	for (d = 0; d < opt.nr_disks; d++)
		sys_log("moldisk: minor %u is %s%s%s", d, opt.disks[d],
			!d ? " (root)" : opt.mnts[d] ? ", mounted on " : "",
			opt.mnts[d] ?: "");
	sys_log("moldisk: minor 0: %llu bytes",
		(unsigned long long)info->size);
	return 0;
}

/*
 * A path call to FS from MOL_SYSTEM (a boot process: uid 0, cwd /):
 * @call with struct mol_fs_path, the path granted to FS.  FS's result
 * (-errno on failure), -EIO if FS cannot be reached.
 */
static int fs_path_call(int call, const char *path, unsigned int mode)
{
	struct mol_fs_path *b;
	struct mol_message m;
	int id, ret;

	id = mol_grant_create(&sys.mol, MOL_FS, path, strlen(path),
			      MOL_GRANT_READ);
	if (id < 0)
		return -ENOMEM;
	memset(&m, 0, sizeof(m));
	m.m_type = call;
	b = MOL_BODY(&m, struct mol_fs_path);
	b->dirfd = MOL_AT_FDCWD;
	b->path_grant = id;
	b->path_len = strlen(path);
	b->mode = mode;
	ret = call_bounded(MOL_FS, &m, SYS_BIND_WAIT_MS);
	mol_grant_revoke(&sys.mol, id);
	return ret < 0 ? -EIO : m.m_type;
}

/* mkdir -p @target in the MoL tree (mode SYS_MOUNT_MODE). */
static int fs_mkdirs(const char *target)
{
	char dir[MOL_FS_PATH_MAX];
	const char *p;
	int ret;

	if (strlen(target) >= sizeof(dir))
		return -ENAMETOOLONG;
	for (p = target + 1; ; p++) {
		p = strchrnul(p, '/');
		if (p - target > 1 && p[-1] != '/') {
			memcpy(dir, target, p - target);
			dir[p - target] = '\0';
			ret = fs_path_call(FS_MKDIR, dir, SYS_MOUNT_MODE);
			if (ret < 0 && ret != -EEXIST)
				return ret;
		}
		if (!*p)
			break;
	}
	return 0;
}

/*
 * FS_MOUNT on @target, creating the directories of @target that are
 * missing (as mkdir -p): @b is the source half of the request
 * (source_type, index, server or the image's path grant).  0 or -errno.
 */
static int fs_mount(struct mol_fs_mount *src, const char *target)
{
	struct mol_fs_mount *b;
	struct mol_message m;
	int dst, ret;

	ret = fs_mkdirs(target);
	if (ret < 0)
		return ret;
	dst = mol_grant_create(&sys.mol, MOL_FS, target, strlen(target),
			       MOL_GRANT_READ);
	if (dst < 0)
		return -ENOMEM;
	memset(&m, 0, sizeof(m));
	m.m_type = FS_MOUNT;
	b = MOL_BODY(&m, struct mol_fs_mount);
	*b = *src;
	b->target_grant = dst;
	b->target_len = strlen(target);
	ret = call_bounded(MOL_FS, &m, SYS_BIND_WAIT_MS);
	ret = ret < 0 ? -EIO : m.m_type;
	mol_grant_revoke(&sys.mol, dst);
	return ret;
}

/*
 * Extra image @d: minor d of the disk driver, or without the driver the
 * image file itself (molfs opened the root itself: standalone).
 */
static int fs_mount_disk(unsigned int d)
{
	struct mol_fs_mount b;
	int src = -1, ret;

	memset(&b, 0, sizeof(b));
	if (opt.no_disk_driver) {
		src = mol_grant_create(&sys.mol, MOL_FS, opt.disks[d],
				       strlen(opt.disks[d]), MOL_GRANT_READ);
		if (src < 0)
			return -ENOMEM;
		b.source_type = MOL_MNT_IMAGE;
		b.source_grant = src;
		b.source_len = strlen(opt.disks[d]);
	} else {
		b.source_type = MOL_MNT_DISK;
		b.index = d;
	}
	ret = fs_mount(&b, opt.mnts[d]);
	if (src >= 0)
		mol_grant_revoke(&sys.mol, src);
	return ret;
}

/*
 * The host pass-through file server on MOL_HOSTFS: molhostfs DIR...,
 * export i the i-th host mount.
 */
static int boot_hostfs(const struct molipc_priv *srv)
{
	char *argv[SYS_MAX_HOST_MOUNTS + 2];
	unsigned int i;

	argv[0] = "molhostfs";
	for (i = 0; i < opt.nr_host_mounts; i++)
		argv[i + 1] = (char *)opt.host_mounts[i];
	argv[i + 1] = NULL;
	boot_pid[BOOT_HOSTFS] = spawn("hostfs", opt.hostfs, argv, MOL_HOSTFS,
				      srv, SK_SERVER, 0, 0);
	return boot_pid[BOOT_HOSTFS] < 0 ? -1 : 0;
}

/*
 * The file server on MOL_FS: molfs --disk 0 (the root is minor 0 of the
 * disk driver), or molfs ROOT-IMAGE without the driver.  Booted when it
 * answers FS_SYNC (it has mounted the root and entered its loop); then
 * the images with a mount point are mounted.
 */
static int boot_fs(const struct molipc_priv *srv)
{
	char *fs_argv[] = { "molfs", (char *)opt.disks[0], NULL, NULL };
	struct mol_message m;
	unsigned int d;
	int ret;

	if (!opt.no_disk_driver) {
		fs_argv[1] = "--disk";
		fs_argv[2] = "0";
	}
	boot_pid[BOOT_FS] = spawn("fs", opt.fs, fs_argv, MOL_FS, srv,
				  SK_SERVER, SYS_CALL_BIT(SYS_GETINFO) |
				  SYS_CALL_BIT(SYS_SETALARM), 0);
	if (boot_pid[BOOT_FS] < 0)
		return -1;

	memset(&m, 0, sizeof(m));
	m.m_type = FS_SYNC;
	ret = call_bounded(MOL_FS, &m, SYS_BIND_WAIT_MS);
	if (ret < 0 || m.m_type < 0) {
		sys_log("fs does not answer: %s", ret < 0 ?
			mol_strerror(ret) : strerror(-m.m_type));
		return -1;
	}
	/* the host's program directories first: images may go below */
	for (d = 0; d < opt.nr_host_mounts; d++) {
		struct mol_fs_mount b = {
			.source_type = MOL_MNT_SERVER,
			.server = MOL_HOSTFS,
			.index = d,
		};

		ret = fs_mount(&b, opt.host_mounts[d]);
		if (ret < 0) {
			sys_log("fs: mount host %s: %s", opt.host_mounts[d],
				strerror(-ret));
			return -1;
		}
		sys_log("fs: host %s mounted read-only", opt.host_mounts[d]);
	}
	for (d = 1; d < opt.nr_disks; d++) {
		if (!opt.mnts[d])
			continue;
		ret = fs_mount_disk(d);
		if (ret < 0) {
			sys_log("fs: mount %s on %s: %s", opt.disks[d],
				opt.mnts[d], strerror(-ret));
			return -1;
		}
		sys_log("fs: %s mounted on %s", opt.disks[d], opt.mnts[d]);
	}
	return 0;
}

static int boot(void)
{
	struct molipc_priv srv, usr;
	char hz[16], *sock = NULL;
	char *clock_argv[] = { "molclock", "--hz", hz, NULL };
	char *pm_argv[] = { "molpm", NULL };
	char *init_argv[] = { "molinit", "--socket", NULL, NULL };

	snprintf(hz, sizeof(hz), "%u", sys.hz);
	if (asprintf(&sock, "%s/init.sock", sys.run_dir) < 0)
		return -1;
	init_argv[2] = sock;
	sys_priv_server(&srv);
	boot_pid[BOOT_CLOCK] = spawn("clock", opt.clock, clock_argv,
				     MOL_CLOCK, &srv, SK_TASK, 0, 0);
	if (boot_pid[BOOT_CLOCK] < 0)
		return -1;
	if (!opt.no_pm) {
		boot_pid[BOOT_PM] = spawn("pm", opt.pm, pm_argv, MOL_PM, &srv,
					  SK_SERVER, SYS_CALLS_ALL, 0);
		if (boot_pid[BOOT_PM] < 0)
			return -1;
	}
	/* The memory driver (/dev/null, /dev/zero, ...), for FS to reach. */
	if (opt.nr_disks) {
		char *mem_argv[] = { "molmem", NULL };

		boot_pid[BOOT_MEM] = spawn("molmem", opt.mem, mem_argv,
					   MOL_MEM, &srv, SK_SERVER, 0, 0);
		if (boot_pid[BOOT_MEM] < 0)
			return -1;
	}
	if (opt.nr_disks && !opt.no_disk_driver && boot_disk(&srv) < 0)
		return -1;
	if (opt.nr_disks && opt.nr_host_mounts && boot_hostfs(&srv) < 0)
		return -1;
	if (opt.nr_disks && boot_fs(&srv) < 0)
		return -1;
	/*
	 * The terminal driver, with a file server to reach it through:
	 * `molctl run` hands it the launcher's terminal over tty.sock.
	 */
	if (opt.nr_disks && !opt.no_pm && !opt.no_tty) {
		char *tty_argv[] = { "moltty", "--socket", NULL, NULL };

		if (asprintf(&tty_argv[2], "%s/tty.sock", sys.run_dir) < 0)
			return -1;
		boot_pid[BOOT_TTY] = spawn("moltty", opt.tty, tty_argv, MOL_TTY,
					   &srv, SK_SERVER, 0, 0);
		free(tty_argv[2]);
		if (boot_pid[BOOT_TTY] < 0)
			return -1;
	}
	/*
	 * init: a user process (sendrec to PM and FS), no kernel calls;
	 * under the container (its fork, exec, wait are PM calls) unless
	 * there is no PM to serve them.
	 */
	sys_priv_user(&usr, 0);
	boot_pid[BOOT_INIT] = spawn("init", opt.init, init_argv, MOL_INIT,
				    &usr, SK_USER, 0,
				    !opt.no_pm && !opt.no_container);
	if (boot_pid[BOOT_INIT] < 0)
		return -1;
	return 0;
}

/* Reap our own children; a boot process gone means shutdown. */
static void reap(void)
{
	int st, i;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < BOOT_NR; i++) {
			if (boot_pid[i] != pid)
				continue;
			boot_pid[i] = 0;
			if (!sys.stop) {
				sys_log("boot process %d (pid %d) exited, status %d: shutting down",
					i, (int)pid, st);
				sys.stop = 1;
				sys.stop_reason = "a boot process exited";
			}
		}
	}
}

static int wait_gone(pid_t pid, unsigned int ms)
{
	unsigned int i;

	for (i = 0; i < ms; i += 10) {
		if (waitpid(pid, NULL, WNOHANG) == pid ||
		    (kill(pid, 0) < 0 && errno == ESRCH))
			return 0;
		sleep_ms(10);
	}
	return -1;
}

/*
 * The disk driver and the file server are gone: a batch write that one
 * of them was killed in the middle of is replayed from the image's redo
 * log now (redolog.h), so the images are whole when we are down.
 */
static void replay_disks(void)
{
	enum redo_found found;
	unsigned int d;
	int ret;

	for (d = 0; d < opt.nr_disks; d++) {
		ret = redo_replay_image(opt.disks[d], &found);
		if (ret < 0)
			sys_log("%s: redo log: %s", opt.disks[d],
				strerror(-ret));
		else if (found == REDO_REPLAYED)
			sys_log("%s: replayed the batch left in its redo log",
				opt.disks[d]);
	}
}

/*
 * Shut down in reverse order: user processes and init, FS (it syncs
 * through the driver), the terminal and memory drivers, molhostfs, the
 * disk driver, PM, the clock; SIGTERM, then
 * SIGKILL after a grace period; then the instance goes with our
 * descriptor.
 */
static void shutdown_instance(void)
{
	static const int order[] = {
		BOOT_INIT, BOOT_FS, BOOT_TTY, BOOT_MEM, BOOT_HOSTFS, BOOT_DISK,
		BOOT_PM,
		BOOT_CLOCK
	};
	unsigned int s, i;

	sys_log("shutting down (%s)", sys.stop_reason ?: "requested");
	for (s = MOL_NR_BOOT_SLOTS; s < sys.nr_procs; s++) {
		struct sys_proc *p = sys_slot(s);

		if (p->kind != SK_FREE && p->pid > 0)
			kill(p->pid, SIGTERM);
	}
	for (i = 0; i < BOOT_NR; i++) {
		pid_t pid = boot_pid[order[i]];

		if (pid <= 0)
			continue;
		kill(pid, SIGTERM);
		if (wait_gone(pid, order[i] == BOOT_FS ? SYS_FS_GRACE_MS :
			      SYS_GRACE_MS) < 0) {
			sys_log("pid %d ignores SIGTERM: SIGKILL", (int)pid);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		boot_pid[order[i]] = 0;
	}
	for (s = MOL_NR_BOOT_SLOTS; s < sys.nr_procs; s++) {
		struct sys_proc *p = sys_slot(s);

		if (p->kind != SK_FREE && p->pid > 0 &&
		    kill(p->pid, 0) == 0) {
			sys_log("straggler pid %d: SIGKILL", (int)p->pid);
			kill(p->pid, SIGKILL);
		}
	}
	replay_disks();
	mol_close(&sys.mol);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

/* Look at system.sock and our children (between messages). */
static void housekeeping(void)
{
	sys_ctl_poll();
	reap();
}

/*
 * The main loop: reply to the last caller and receive the next message
 * in one call, with a short timeout so that system.sock and our
 * children are looked at even when nothing comes.
 */
static void serve(void)
{
	uint64_t last = now_ms();
	struct molipc_ipc req;
	int reply_to = MOL_NONE, op, ret, src;

	memset(&req, 0, sizeof(req));
	while (!sys.stop) {
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
		req.timeout_ns = SYS_TICK_NS;
		req.status = 0;
		ret = mol_ipc(&sys.mol, op, &req);
		if (ret < 0 && reply_to != MOL_NONE && ret != MOL_ETIMEDOUT &&
		    ret != MOL_EINTR && ret != MOL_EINSTGONE)
			sys_log("reply to %d: %s", reply_to, mol_strerror(ret));
		reply_to = MOL_NONE;
		if (ret == MOL_EINSTGONE) {
			sys_log("the instance is gone");
			sys.stop = 1;
			sys.stop_reason = "instance gone";
			break;
		}
		if (ret == MOL_ETIMEDOUT || ret == MOL_EINTR ||
		    now_ms() - last >= 100) {
			housekeeping();
			last = now_ms();
		}
		if (ret < 0)
			continue;
		if (req.status & MOLIPC_STATUS_NOTIFY) {
			if (req.msg.m_source == MOL_KERNEL)
				sys_deaths();
			continue;
		}
		src = req.msg.m_source;
		sys_dispatch(&req.msg);
		if (req.status & MOLIPC_STATUS_SENDREC)
			reply_to = src;
	}
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: molsystem [OPTION]...\n"
"The MoL system task: creates an instance, starts its clock task, PM,\n"
"with disks the disk driver and the file server, and init, and serves\n"
"their kernel calls.  Normally started by `molctl up`.\n"
"\n"
"  -i, --instance=NAME   instance name (default \"default\"); run directory\n"
"                        $MOL_RUN_BASE/NAME (default /run/mol/NAME)\n"
"  -n, --nr-procs=N      slots of the instance (0: transport default)\n"
"  -z, --hz=N            clock ticks per second (default 60)\n"
"      --clock=PATH      clock task binary (default: molclock next to us)\n"
"      --pm=PATH         process manager (default: molpm next to us)\n"
"      --no-pm           start no PM (IPC tests only)\n"
"      --init=PATH       init (default: molinit next to us)\n"
"      --no-container    init and its programs run without the container\n"
"                        (plain Linux processes; implied by --no-pm)\n"
"      --disk=IMAGE[:/MOUNTPOINT]  a MINIX v3 image (repeatable, max 16);\n"
"                        all are minors of the disk driver (0, 1, ...);\n"
"                        the first is the root file system served by\n"
"                        molfs (started after PM), the others are mounted\n"
"                        on MOUNTPOINT (created if missing) by minor, or\n"
"                        left unmounted without one\n"
"      --fs=PATH         file server (default: molfs next to us)\n"
"      --disk-driver=PATH  disk driver (default: moldisk next to us)\n"
"      --no-disk-driver  no disk driver: molfs opens the root image itself\n"
"      --tty-driver=PATH terminal driver, started with disks (default:\n"
"                        moltty next to us)\n"
"      --no-tty          no terminal driver (programs keep molctl's\n"
"                        stdin/stdout/stderr)\n"
"      --host-mount=DIR  mount the host directory DIR read-only at the\n"
"                        same path of the MoL tree (repeatable, max 16;\n"
"                        served by molhostfs; the mount point is created\n"
"                        in the image if missing); none: a pure image\n"
"      --hostfs=PATH     host pass-through server (default: molhostfs)\n"
"      --libmol=PATH     libmol.so preloaded into init (default\n"
"                        ../lib/libmol.so from our directory)\n"
"  -d, --daemon          detach once init runs; exit 0 then, 1 on failure\n"
"  -p, --pidfile=FILE    write our pid to FILE\n"
"  -l, --log=FILE        append messages to FILE (default stderr)\n"
"  -h, --help            this text\n"
"Transport and pseudo-kernel address: $MOL_TRANSPORT, $MOL_KERNEL_ADDR.\n");
}

static int parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * --disk IMAGE[:/MOUNTPOINT] (molctl_disk_split()): the image as an
 * absolute path, the mount point apart.  The root has none.
 */
static int split_disks(void)
{
	const char *mnt;
	unsigned int d;
	char *image;
	size_t len;

	for (d = 0; d < opt.nr_disks; d++) {
		len = molctl_disk_split(opt.disks[d], &mnt);
		if (!len || (*mnt && (!d || !strcmp(mnt, "/")))) {
			fprintf(stderr, "molsystem: --disk %s: %s\n",
				opt.disks[d], !len ? "no image" : !d ?
				"the root disk has no mount point" :
				"cannot mount on /");
			return -1;
		}
		image = strndup(opt.disks[d], len);
		if (!image)
			return -1;
		opt.disks[d] = realpath(image, NULL) ?: image;
		opt.mnts[d] = *mnt ? mnt : NULL;
	}
	return 0;
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "instance", required_argument, NULL, 'i' },
		{ "nr-procs", required_argument, NULL, 'n' },
		{ "hz", required_argument, NULL, 'z' },
		{ "clock", required_argument, NULL, 'C' },
		{ "pm", required_argument, NULL, 'P' },
		{ "no-pm", no_argument, NULL, 'N' },
		{ "init", required_argument, NULL, 'I' },
		{ "no-container", no_argument, NULL, 'K' },
		{ "libmol", required_argument, NULL, 'L' },
		{ "disk", required_argument, NULL, 'D' },
		{ "fs", required_argument, NULL, 'F' },
		{ "disk-driver", required_argument, NULL, 'R' },
		{ "no-disk-driver", no_argument, NULL, 'W' },
		{ "tty-driver", required_argument, NULL, 'T' },
		{ "no-tty", no_argument, NULL, 'Y' },
		{ "host-mount", required_argument, NULL, 'H' },
		{ "hostfs", required_argument, NULL, 'S' },
		{ "daemon", no_argument, NULL, 'd' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	while ((c = getopt_long(argc, argv, "i:n:z:dp:l:h", lo, NULL)) != -1) {
		switch (c) {
		case 'i': opt.name = optarg; break;
		case 'n':
			if (parse_uint(optarg, MOL_MAX_PROCS, &opt.nr_procs) ||
			    (opt.nr_procs && opt.nr_procs < MOL_MIN_PROCS)) {
				fprintf(stderr, "molsystem: --nr-procs: %d..%d or 0\n",
					MOL_MIN_PROCS, MOL_MAX_PROCS);
				return -1;
			}
			break;
		case 'z':
			if (parse_uint(optarg, 1000, &sys.hz) || !sys.hz) {
				fprintf(stderr, "molsystem: --hz: 1..1000\n");
				return -1;
			}
			break;
		case 'C': opt.clock = optarg; break;
		case 'P': opt.pm = optarg; break;
		case 'N': opt.no_pm = 1; break;
		case 'I': opt.init = optarg; break;
		case 'K': opt.no_container = 1; break;
		case 'L': opt.libmol = optarg; break;
		case 'D':
			if (opt.nr_disks == SYS_MAX_DISKS) {
				fprintf(stderr, "molsystem: at most %d disks\n",
					SYS_MAX_DISKS);
				return -1;
			}
			opt.disks[opt.nr_disks++] = optarg;
			break;
		case 'F': opt.fs = optarg; break;
		case 'R': opt.disk_driver = optarg; break;
		case 'W': opt.no_disk_driver = 1; break;
		case 'T': opt.tty = optarg; break;
		case 'Y': opt.no_tty = 1; break;
		case 'H':
			if (opt.nr_host_mounts == SYS_MAX_HOST_MOUNTS ||
			    optarg[0] != '/' || !strcmp(optarg, "/")) {
				fprintf(stderr, "molsystem: --host-mount %s: an absolute directory other than /, at most %d\n",
					optarg, SYS_MAX_HOST_MOUNTS);
				return -1;
			}
			opt.host_mounts[opt.nr_host_mounts++] = optarg;
			break;
		case 'S': opt.hostfs = optarg; break;
		case 'd': opt.daemon = 1; break;
		case 'p': opt.pidfile = optarg; break;
		case 'l': opt.log = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "molsystem: unexpected argument '%s'\n",
			argv[optind]);
		return -1;
	}
	return split_disks();
}

/* Fork; the parent waits for the child's verdict on @rfd and exits. */
static int daemonize(void)
{
	int p[2], null;
	pid_t pid;
	char c = 0;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1 || c != 'y')
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	setsid();
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0)
		dup2(null, 0);
	if (!opt.log && null >= 0) {
		dup2(null, 1);
		dup2(null, 2);
	}
	if (null > 2)
		close(null);
	return p[1];
}

static void write_pidfile(void)
{
	FILE *f;

	if (!opt.pidfile)
		return;
	f = fopen(opt.pidfile, "w");
	if (!f) {
		sys_log("%s: %s", opt.pidfile, strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	const char *base = getenv("MOL_RUN_BASE") ?: MOLCTL_RUN_BASE;
	struct molipc_version ver;
	char *run_dir;
	int ready = -1, ret, log_fd;

	if (parse_args(argc, argv) < 0)
		return 2;
	if (opt.log) {
		log_fd = open(opt.log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			      0600);
		if (log_fd < 0) {
			fprintf(stderr, "molsystem: %s: %s\n", opt.log,
				strerror(errno));
			return 1;
		}
		dup2(log_fd, 1);
		dup2(log_fd, 2);
		close(log_fd);
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (asprintf(&run_dir, "%s/%s", base, opt.name) < 0)
		return 1;
	sys.run_dir = run_dir;
	opt.clock = sibling(opt.clock, "molclock");
	opt.pm = sibling(opt.pm, "molpm");
	opt.init = sibling(opt.init, "molinit");
	opt.fs = sibling(opt.fs, "molfs");
	opt.disk_driver = sibling(opt.disk_driver, "moldisk");
	opt.tty = sibling(opt.tty, "moltty");
	opt.mem = sibling(opt.mem, "molmem");
	opt.hostfs = sibling(opt.hostfs, "molhostfs");
	opt.libmol = sibling(opt.libmol, "../lib/libmol.so");
	if (!opt.clock || !opt.pm || !opt.init || !opt.libmol || !opt.fs ||
	    !opt.disk_driver || !opt.tty || !opt.hostfs || !opt.mem)
		return 1;
	if (realpath(opt.libmol, NULL))
		opt.libmol = realpath(opt.libmol, NULL);

	if (mkdir(run_dir, 0700) < 0 && errno != EEXIST) {
		fprintf(stderr, "molsystem: %s: %s\n", run_dir, strerror(errno));
		return 1;
	}
	if (opt.daemon) {
		ready = daemonize();
		if (ready < 0)
			return 1;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	write_pidfile();

	ret = mol_open(&sys.mol, NULL);
	if (ret < 0) {
		sys_log("cannot open the IPC transport: %s", mol_strerror(ret));
		goto fail;
	}
	sys.transport = mol_transport_name(&sys.mol);
	sys.kernel_addr = getenv("MOL_KERNEL_ADDR");
	ret = mol_create_instance(&sys.mol, opt.nr_procs, &sys.instance);
	if (ret < 0) {
		sys_log("cannot create an instance: %s", mol_strerror(ret));
		goto fail_close;
	}
	sys.nr_procs = opt.nr_procs;
	if (!sys.nr_procs) {
		ret = mol_version(&sys.mol, &ver);
		sys.nr_procs = ret < 0 ? 256 : ver.default_procs;
	}
	sys.procs = calloc(sys.nr_procs + MOL_NR_TASKS, sizeof(*sys.procs));
	sys.dead_cap = SYS_DEAD_CAP;
	sys.dead = calloc(sys.dead_cap, sizeof(*sys.dead));
	if (!sys.procs || !sys.dead)
		goto fail_close;
	sys_slot(MOL_SYSTEM)->endpoint = MOL_SYSTEM;
	sys_slot(MOL_SYSTEM)->pid = getpid();
	sys_slot(MOL_SYSTEM)->kind = SK_TASK;
	snprintf(sys_slot(MOL_SYSTEM)->name, 16, "system");
	sys.boot_realtime = time(NULL);
	sys_log("instance %u on %s (%u slots, HZ %u)", sys.instance,
		sys.transport, sys.nr_procs, sys.hz);

	ret = sys_ctl_open();
	if (ret < 0) {
		sys_log("system.sock: %s", strerror(-ret));
		goto fail_close;
	}
	if (boot() < 0) {
		sys.stop_reason = "boot failed";
		shutdown_instance();
		goto fail_sock;
	}
	if (ready >= 0) {
		if (write(ready, "y", 1) != 1)
			sys_log("lost molctl");
		close(ready);
		ready = -1;
	}
	serve();
	shutdown_instance();
	sys_ctl_close();
	if (opt.pidfile)
		unlink(opt.pidfile);
	sys_log("down");
	return 0;

fail_sock:
	sys_ctl_close();
	goto fail;
fail_close:
	mol_close(&sys.mol);
fail:
	if (opt.pidfile)
		unlink(opt.pidfile);
	if (ready >= 0)
		close(ready);
	return 1;
}

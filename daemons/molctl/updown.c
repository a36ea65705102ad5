// SPDX-License-Identifier: GPL-2.0
/*
 * updown.c - `molctl up` and `molctl down`.
 *
 * up:   IPC transport (module or a molkernel of our own), then molsystem
 *       (which starts clock, PM, with disks moldisk and molfs, and init),
 *       then wait for init.sock, then the state file.
 * down: the same in reverse: molsystem shuts the instance down, then
 *       molkernel or the module, then the run directory goes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/molipc.h>
#include "molctl.h"

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Is @pid running?  A zombie (not reaped by its new parent) is not. */
static int alive(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	if (pid <= 0 || (kill(pid, 0) < 0 && errno != EPERM))
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return !p || (p[1] == ' ' && p[2] != 'Z' && p[2] != 'X');
}

/* Run argv with stdout/stderr to @log (NULL: ours); its exit status. */
static int run_wait(char *const argv[], const char *log)
{
	int st, fd;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (log) {
			fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void show_log(const char *name)
{
	char path[300], line[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", ctl_dir, name);
	f = fopen(path, "r");
	if (!f)
		return;
	fprintf(stderr, "molctl: --- %s ---\n", path);
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "  %s", line);
	fclose(f);
}

static pid_t read_pidfile(const char *name)
{
	char path[300];
	FILE *f;
	int pid = 0;

	snprintf(path, sizeof(path), "%s/%s", ctl_dir, name);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	return pid;
}

/* Load molipc.ko if /dev/molipc is missing; 1 if we loaded it. */
static int load_module(void)
{
	char ko[300];
	char *insmod[] = { "insmod", ko, NULL };
	char *modprobe[] = { "modprobe", "molipc", NULL };
	int i;

	if (access(MOLIPC_DEVICE, F_OK) == 0)
		return 0;
	snprintf(ko, sizeof(ko), "%s/../molipc.ko", ctl_bindir);
	if (access(ko, R_OK) != 0 || run_wait(insmod, "/dev/null") != 0) {
		if (run_wait(modprobe, "/dev/null") != 0) {
			ctl_err("cannot load the molipc module (%s or `modprobe molipc`): this host may not allow loading modules; use --transport unix (or udp), or run in the qemu guest: tests/vm/molvm",
				ko);
			return -1;
		}
	}
	for (i = 0; i < 200 && access(MOLIPC_DEVICE, F_OK); i++)
		sleep_ms(10);
	if (access(MOLIPC_DEVICE, F_OK)) {
		ctl_err("module loaded but %s did not appear", MOLIPC_DEVICE);
		return -1;
	}
	return 1;
}

static int udp_busy(unsigned int port)
{
	char line[256], pat[16];
	FILE *f = fopen("/proc/net/udp", "r");
	int busy = 0;

	if (!f)
		return 0;
	snprintf(pat, sizeof(pat), ":%04X ", port);
	while (!busy && fgets(line, sizeof(line), f))
		busy = strstr(line, pat) != NULL;
	fclose(f);
	return busy;
}

/* Start a molkernel of our own for unix/udp; fills addr and pid. */
static int start_molkernel(const char *transport, char *addr, size_t size,
			   pid_t *pid)
{
	char bin[300], listen[160], pidf[300], log[300];
	char *argv[] = { bin, "-d", "-q", "-p", pidf, "-l", listen, NULL };
	unsigned int port;
	const char *colon;

	snprintf(bin, sizeof(bin), "%s/molkernel", ctl_bindir);
	snprintf(pidf, sizeof(pidf), "%s/molkernel.pid", ctl_dir);
	snprintf(log, sizeof(log), "%s/molkernel.log", ctl_dir);
	if (access(bin, X_OK)) {
		ctl_err("%s: %s (not built?)", bin, strerror(errno));
		return -1;
	}
	if (!strcmp(transport, "unix")) {
		if (!*addr && strlen(ctl_dir) + 16 > size) {
			ctl_err("run directory %s too long for a socket path",
				ctl_dir);
			return -1;
		}
		if (!*addr)
			snprintf(addr, size, "%.*s/molkernel.sock",
				 (int)(size - 16), ctl_dir);
		if (addr[0] != '/') {
			ctl_err("unix kernel address must be an absolute path: %s",
				addr);
			return -1;
		}
	} else if (!*addr) {
		for (port = 7070 + getpid() % 20000; udp_busy(port); port++)
			;
		snprintf(addr, size, "127.0.0.1:%u", port);
	} else {
		colon = strrchr(addr, ':');
		if (!colon || atoi(colon + 1) <= 0 || atoi(colon + 1) > 65535) {
			ctl_err("udp kernel address must be HOST:PORT: %s", addr);
			return -1;
		}
	}
	snprintf(listen, sizeof(listen), "%s:%s", transport, addr);
	if (run_wait(argv, log) != 0) {
		ctl_err("molkernel did not start (listen %s)", listen);
		show_log("molkernel.log");
		return -1;
	}
	*pid = read_pidfile("molkernel.pid");
	return 0;
}

/* Ask system.sock for the instance id (the end of a PS answer). */
static int query_instance(unsigned int *id)
{
	char path[300], buf[sizeof(struct molctl_slot)];
	struct molctl_hdr h;
	int fd, len;

	snprintf(path, sizeof(path), "%s/system.sock", ctl_dir);
	fd = molctl_connect(path);
	if (fd < 0)
		return fd;
	if (molctl_send(fd, MOLCTL_PS, 0, NULL, 0, NULL, 0) < 0)
		goto fail;
	while ((len = molctl_recv(fd, &h, buf, sizeof(buf), NULL, NULL)) > 0)
		;
	if (len < 0 || h.magic != MOLCTL_MAGIC)
		goto fail;
	*id = h.arg;
	close(fd);
	return 0;
fail:
	close(fd);
	return -EPROTO;
}

/* init.sock answers a JOBS request. */
static int init_answers(void)
{
	char path[300], buf[sizeof(struct molctl_job)];
	struct molctl_hdr h;
	int fd, len;

	snprintf(path, sizeof(path), "%s/init.sock", ctl_dir);
	fd = molctl_connect(path);
	if (fd < 0)
		return 0;
	if (molctl_send(fd, MOLCTL_JOBS, 0, NULL, 0, NULL, 0) < 0) {
		close(fd);
		return 0;
	}
	while ((len = molctl_recv(fd, &h, buf, sizeof(buf), NULL, NULL)) > 0)
		;
	close(fd);
	return len == 0 && h.magic == MOLCTL_MAGIC;
}

static void rm_rundir(void)
{
	char path[600];
	struct dirent *e;
	DIR *d = opendir(ctl_dir);

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", ctl_dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(ctl_dir);
}

/* Another instance (not ours) still runs on kmod? */
static int kmod_in_use(void)
{
	char base[256], path[600], line[256];
	struct dirent *e;
	int used = 0;
	char *slash;
	DIR *d;

	snprintf(base, sizeof(base), "%s", ctl_dir);
	slash = strrchr(base, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	d = opendir(base);
	if (!d)
		return 0;
	while (!used && (e = readdir(d))) {
		FILE *f;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, ctl_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s/state", base, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "transport = kmod", 16))
				used = 1;
		fclose(f);
	}
	closedir(d);
	return used;
}

static void stop_pid(pid_t pid, const char *what, unsigned int grace_ms)
{
	unsigned int i;

	if (!alive(pid))
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < grace_ms && alive(pid); i += 10)
		sleep_ms(10);
	if (alive(pid)) {
		ctl_err("%s (pid %d) did not stop: SIGKILL", what, (int)pid);
		kill(pid, SIGKILL);
	}
}

static void up_usage(FILE *f)
{
	fprintf(f,
"Usage: molctl [--instance NAME] up [--transport kmod|udp|unix]\n"
"       [--config FILE] [--kernel-addr ADDR] [--nr-procs N] [--hz N]\n"
"       [--disk IMAGE[:/MOUNTPOINT]]... [--no-disk-driver]\n"
"       [--no-host-mounts] [--no-tty]\n"
"Default transport: kmod if /dev/molipc exists, else unix.\n"
"--disk: a MINIX v3 image (molctl mkimage); repeatable.  The images are\n"
"the minors 0, 1, ... of the disk driver moldisk; the first is the root\n"
"file system, served by molfs over the driver; programs then see the\n"
"MINIX tree.  IMAGE:/MOUNTPOINT mounts a further image there (created\n"
"if missing); without a mount point it stays an unmounted minor.\n"
"--no-disk-driver: no moldisk; molfs opens the root image itself.\n"
"--no-tty: no terminal driver moltty (started with a disk otherwise):\n"
"programs always use molctl's own stdin/stdout/stderr.\n"
"With a disk, the host's " MOLCTL_HOST_MOUNTS " (those that exist)\n"
"are mounted read-only at the same paths through molhostfs (config\n"
"key host_mounts); --no-host-mounts: none, a pure image.\n"
"Options override the config file (see Documentation/admin-guide.md).\n");
}

/*
 * Disk @d of the configuration, IMAGE[:/MOUNTPOINT]: the root (d = 0)
 * has no mount point, the others any but "/".  Without @out only that
 * is checked; with it, the image must exist and be readable and
 * writable, and @out (PATH_MAX bytes) gets the argument for molsystem,
 * with the image's absolute path.  0, or molctl's exit status.
 */
static int disk_arg(const char *arg, unsigned int d, char *out)
{
	char image[256], abs[PATH_MAX];
	const char *mnt;
	size_t len;

	len = molctl_disk_split(arg, &mnt);
	if (!len || (*mnt && (!d || !strcmp(mnt, "/")))) {
		ctl_err("up: bad disk '%s': %s", arg, !len ? "no image" :
			!d ? "the root disk has no mount point" :
			"cannot mount on /");
		return 2;
	}
	if (!out)
		return 0;
	snprintf(image, sizeof(image), "%.*s", (int)len, arg);
	if (!realpath(image, abs)) {
		ctl_err("up: disk image %s: %s", image, strerror(errno));
		return 1;
	}
	if (access(abs, R_OK | W_OK)) {
		ctl_err("up: disk image %s: %s", abs, strerror(errno));
		return 1;
	}
	/* ":" also when the path itself has one, so that it splits back */
	if (snprintf(out, PATH_MAX, "%s%s%s", abs,
		     *mnt || strchr(abs, ':') ? ":" : "", mnt) >= PATH_MAX) {
		ctl_err("up: disk '%s': path too long", arg);
		return 2;
	}
	return 0;
}

/*
 * Is image @d (of the absolute disk arguments) one of the earlier ones?
 * Two minors of one image would be two file systems on the same blocks.
 */
static int disk_twice(char abs[][4096], unsigned int d)
{
	const char *m1, *m2;
	size_t l1, l2;
	unsigned int i;

	l1 = molctl_disk_split(abs[d], &m1);
	for (i = 0; i < d; i++) {
		l2 = molctl_disk_split(abs[i], &m2);
		if (l1 == l2 && !memcmp(abs[d], abs[i], l1)) {
			ctl_err("up: disk image %.*s given twice", (int)l1,
				abs[d]);
			return 2;
		}
	}
	return 0;
}

/*
 * The host mounts of @list ("no": none): the directories that exist on
 * this host (a missing one is skipped, e.g. /lib64 on arm64).
 */
static unsigned int host_mount_list(const char *list,
				    char dirs[][256])
{
	unsigned int n = 0;
	const char *p = list, *q;
	struct stat st;

	if (!strcmp(list, "no"))
		return 0;
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p || n == MOLCTL_MAX_HOST_MOUNTS)
			break;
		q = strchrnul(p, ' ');
		snprintf(dirs[n], 256, "%.*s", (int)(q - p), p);
		if (stat(dirs[n], &st) == 0 && S_ISDIR(st.st_mode))
			n++;
		p = q;
	}
	return n;
}

int cmd_up(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "transport", required_argument, NULL, 't' },
		{ "config", required_argument, NULL, 'c' },
		{ "kernel-addr", required_argument, NULL, 'k' },
		{ "nr-procs", required_argument, NULL, 'n' },
		{ "hz", required_argument, NULL, 'z' },
		{ "disk", required_argument, NULL, 'D' },
		{ "no-host-mounts", no_argument, NULL, 'H' },
		{ "no-disk-driver", no_argument, NULL, 'R' },
		{ "no-tty", no_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	char *disk_opt[MOLCTL_MAX_DISKS], disk_abs[MOLCTL_MAX_DISKS][4096];
	unsigned int nr_disk_opt = 0, d;
	int no_host = 0, no_driver = 0, no_tty = 0;
	char *t_opt = NULL, *k_opt = NULL, *n_opt = NULL, *z_opt = NULL;
	char *sys_argv[24 + 2 * MOLCTL_MAX_DISKS + 2 * MOLCTL_MAX_HOST_MOUNTS];
	char host_dirs[MOLCTL_MAX_HOST_MOUNTS][256];
	unsigned int nr_host = 0;
	char sysbin[300], pidf[300], log[300], nbuf[16],
	     hzbuf[16], base[256], *slash;
	struct ctl_config cfg;
	struct ctl_state st;
	int c, i, n = 0, ret;
	pid_t pid;

	memset(&cfg, 0, sizeof(cfg));
	optind = 1;
	while ((c = getopt_long(argc, argv, "t:c:k:n:z:h", lo, NULL)) != -1) {
		switch (c) {
		case 't': t_opt = optarg; break;
		case 'c':
			if (ctl_config_read(optarg, &cfg) < 0)
				return 2;
			break;
		case 'k': k_opt = optarg; break;
		case 'n': n_opt = optarg; break;
		case 'z': z_opt = optarg; break;
		case 'D':
			if (nr_disk_opt == MOLCTL_MAX_DISKS) {
				ctl_err("up: at most %d disks",
					MOLCTL_MAX_DISKS);
				return 2;
			}
			disk_opt[nr_disk_opt++] = optarg;
			break;
		case 'H': no_host = 1; break;
		case 'R': no_driver = 1; break;
		case 'Y': no_tty = 1; break;
		case 'h': up_usage(stdout); return 0;
		default: up_usage(stderr); return 2;
		}
	}
	if (optind < argc) {
		ctl_err("up: unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if (t_opt) {
		if (strcmp(t_opt, "kmod") && strcmp(t_opt, "udp") &&
		    strcmp(t_opt, "unix")) {
			ctl_err("up: bad transport '%s' (kmod, udp or unix)",
				t_opt);
			return 2;
		}
		snprintf(cfg.transport, sizeof(cfg.transport), "%s", t_opt);
	}
	if (k_opt) {
		if (!*k_opt || strlen(k_opt) >= sizeof(cfg.kernel_addr)) {
			ctl_err("up: bad kernel address '%s'", k_opt);
			return 2;
		}
		strcpy(cfg.kernel_addr, k_opt);
	}
	if (n_opt) {
		char *end;
		long v = strtol(n_opt, &end, 10);

		if (*end || end == n_opt || v < MOL_MIN_PROCS ||
		    v > MOL_MAX_PROCS) {
			ctl_err("up: bad --nr-procs '%s' (%d..%d)", n_opt,
				MOL_MIN_PROCS, MOL_MAX_PROCS);
			return 2;
		}
		cfg.nr_procs = v;
	}
	if (z_opt) {
		char *end;
		long v = strtol(z_opt, &end, 10);

		if (*end || end == z_opt || v < 1 || v > 1000) {
			ctl_err("up: bad --hz '%s' (1..1000)", z_opt);
			return 2;
		}
		cfg.hz = v;
	}
	if (nr_disk_opt) {
		/* --disk replaces the config file's disks */
		cfg.nr_disks = 0;
		for (d = 0; d < nr_disk_opt; d++) {
			if (!*disk_opt[d] ||
			    strlen(disk_opt[d]) >= sizeof(cfg.disk[0])) {
				ctl_err("up: bad --disk '%s'", disk_opt[d]);
				return 2;
			}
			strcpy(cfg.disk[cfg.nr_disks++], disk_opt[d]);
		}
	}
	if (no_host)
		strcpy(cfg.host_mounts, "no");
	else if (!cfg.host_mounts_set)
		strcpy(cfg.host_mounts, MOLCTL_HOST_MOUNTS);
	nr_host = host_mount_list(cfg.host_mounts, host_dirs);
	if (no_driver)
		cfg.no_disk_driver = 1;
	for (d = 0; d < cfg.nr_disks; d++) {
		ret = disk_arg(cfg.disk[d], d, NULL);
		if (ret)
			return ret;
	}
	for (d = 0; d < cfg.nr_disks; d++) {
		ret = disk_arg(cfg.disk[d], d, disk_abs[d]);
		if (ret)
			return ret;
		ret = disk_twice(disk_abs, d);
		if (ret)
			return ret;
	}
	if (!*cfg.transport)
		strcpy(cfg.transport, access(MOLIPC_DEVICE, F_OK) == 0 ?
		       "kmod" : "unix");
	if (!strcmp(cfg.transport, "kmod") && *cfg.kernel_addr) {
		ctl_err("up: the kmod transport has no kernel address");
		return 2;
	}
	if (geteuid() != 0) {
		ctl_err("up: must be run as root (creating an instance needs it)");
		return 1;
	}

	if (ctl_state_read(&st) == 0) {
		if (alive(st.molsystem_pid)) {
			ctl_err("instance '%s' is already up (molsystem pid %d)",
				ctl_name, (int)st.molsystem_pid);
			return 1;
		}
		ctl_err("instance '%s': removing stale state", ctl_name);
		stop_pid(st.molkernel_pid, "molkernel", 1000);
		rm_rundir();
	}
	snprintf(base, sizeof(base), "%s", ctl_dir);
	slash = strrchr(base, '/');
	if (slash) {
		*slash = '\0';
		mkdir(base, 0755);
	}
	if (mkdir(ctl_dir, 0700) < 0 && errno != EEXIST) {
		ctl_err("%s: %s", ctl_dir, strerror(errno));
		return 1;
	}

	memset(&st, 0, sizeof(st));
	st.disks = cfg.nr_disks;
	strcpy(st.transport, cfg.transport);
	strcpy(st.kernel_addr, cfg.kernel_addr);
	if (!strcmp(cfg.transport, "kmod")) {
		ret = load_module();
		if (ret < 0)
			goto fail;
		st.module_loaded = ret;
		unsetenv("MOL_KERNEL_ADDR");
	} else {
		if (start_molkernel(cfg.transport, st.kernel_addr,
				    sizeof(st.kernel_addr), &st.molkernel_pid))
			goto fail;
		setenv("MOL_KERNEL_ADDR", st.kernel_addr, 1);
	}
	setenv("MOL_TRANSPORT", cfg.transport, 1);

	snprintf(sysbin, sizeof(sysbin), "%s/molsystem", ctl_bindir);
	snprintf(pidf, sizeof(pidf), "%s/molsystem.pid", ctl_dir);
	snprintf(log, sizeof(log), "%s/molsystem.log", ctl_dir);
	sys_argv[n++] = sysbin;
	sys_argv[n++] = "--daemon";
	sys_argv[n++] = "--instance";
	sys_argv[n++] = (char *)ctl_name;
	sys_argv[n++] = "--pidfile";
	sys_argv[n++] = pidf;
	sys_argv[n++] = "--log";
	sys_argv[n++] = log;
	if (cfg.nr_procs) {
		snprintf(nbuf, sizeof(nbuf), "%u", cfg.nr_procs);
		sys_argv[n++] = "--nr-procs";
		sys_argv[n++] = nbuf;
	}
	if (cfg.hz) {
		snprintf(hzbuf, sizeof(hzbuf), "%u", cfg.hz);
		sys_argv[n++] = "--hz";
		sys_argv[n++] = hzbuf;
	}
	if (*cfg.clock) {
		sys_argv[n++] = "--clock";
		sys_argv[n++] = cfg.clock;
	}
	if (cfg.no_pm) {
		sys_argv[n++] = "--no-pm";
	} else if (*cfg.pm) {
		sys_argv[n++] = "--pm";
		sys_argv[n++] = cfg.pm;
	}
	if (cfg.no_container)
		sys_argv[n++] = "--no-container";
	if (*cfg.init) {
		sys_argv[n++] = "--init";
		sys_argv[n++] = cfg.init;
	}
	for (d = 0; d < cfg.nr_disks; d++) {
		sys_argv[n++] = "--disk";
		sys_argv[n++] = disk_abs[d];
	}
	for (d = 0; cfg.nr_disks && d < nr_host; d++) {
		sys_argv[n++] = "--host-mount";
		sys_argv[n++] = host_dirs[d];
	}
	if (cfg.nr_disks && cfg.no_disk_driver)
		sys_argv[n++] = "--no-disk-driver";
	if (no_tty)
		sys_argv[n++] = "--no-tty";
	sys_argv[n] = NULL;
	if (access(sysbin, X_OK)) {
		ctl_err("%s: %s (not built?)", sysbin, strerror(errno));
		goto fail_kernel;
	}
	if (run_wait(sys_argv, log) != 0) {
		ctl_err("the system task did not start; its log:");
		show_log("molsystem.log");
		goto fail_kernel;
	}
	st.molsystem_pid = read_pidfile("molsystem.pid");
	for (i = 0; i < 1000 && !init_answers(); i++)
		sleep_ms(10);
	if (i == 1000) {
		ctl_err("init does not answer on %s/init.sock", ctl_dir);
		show_log("molsystem.log");
		goto fail_system;
	}
	if (query_instance(&st.instance) < 0) {
		ctl_err("the system task does not answer on %s/system.sock",
			ctl_dir);
		goto fail_system;
	}
	ret = ctl_state_write(&st);
	if (ret < 0) {
		ctl_err("cannot write the state file: %s", strerror(-ret));
		goto fail_system;
	}
	printf("molctl: instance '%s' up: transport %s%s%s, instance id %u, molsystem pid %d\n",
	       ctl_name, st.transport, *st.kernel_addr ? " at " : "",
	       st.kernel_addr, st.instance, (int)st.molsystem_pid);
	return 0;

fail_system:
	pid = st.molsystem_pid;
	stop_pid(pid, "molsystem", 5000);
fail_kernel:
	stop_pid(st.molkernel_pid, "molkernel", 2000);
	if (st.module_loaded) {
		char *rmmod[] = { "rmmod", "molipc", NULL };

		run_wait(rmmod, "/dev/null");
	}
fail:
	rm_rundir();
	return 1;
}

/* Ask molsystem to shut down; -1 if it cannot be reached. */
static int request_shutdown(void)
{
	char path[300];
	struct molctl_hdr h;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/system.sock", ctl_dir);
	fd = molctl_connect(path);
	if (fd < 0)
		return -1;
	ret = molctl_send(fd, MOLCTL_SHUTDOWN, 0, NULL, 0, NULL, 0);
	if (!ret)
		ret = molctl_recv(fd, &h, NULL, 0, NULL, NULL);
	close(fd);
	return ret < 0 ? -1 : 0;
}

int cmd_down(int argc, char **argv)
{
	struct ctl_state st;
	unsigned int i;
	int ret = 0;

	if (argc > 1) {
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
			printf("Usage: molctl [--instance NAME] down\n");
			return 0;
		}
		ctl_err("down: unexpected argument '%s'", argv[1]);
		return 2;
	}
	if (ctl_state_read(&st) < 0) {
		ctl_err("instance '%s' is not up (no %s/state)", ctl_name,
			ctl_dir);
		return 1;
	}
	if (alive(st.molsystem_pid)) {
		if (request_shutdown() < 0) {
			ctl_err("system task does not answer: SIGTERM");
			kill(st.molsystem_pid, SIGTERM);
		}
		for (i = 0; i < 10000 && alive(st.molsystem_pid); i += 10)
			sleep_ms(10);
		if (alive(st.molsystem_pid)) {
			ctl_err("molsystem (pid %d) did not stop: SIGKILL",
				(int)st.molsystem_pid);
			kill(st.molsystem_pid, SIGKILL);
			ret = 1;
		}
	}
	stop_pid(st.molkernel_pid, "molkernel", 3000);
	if (st.module_loaded && !kmod_in_use()) {
		char *rmmod[] = { "rmmod", "molipc", NULL };

		if (run_wait(rmmod, NULL) != 0) {
			ctl_err("rmmod molipc failed");
			ret = 1;
		}
	}
	rm_rundir();
	printf("molctl: instance '%s' down\n", ctl_name);
	return ret;
}

/* Bytes from "123", "64K", "16M", "1G"; 0 if bad. */
static unsigned long long parse_size(const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return 0;
	switch (*end) {
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	}
	return *end ? 0 : v;
}

/*
 * molctl mkimage IMAGE SIZE: a fresh MINIX v3 file system (truncate,
 * then util-linux's mkfs.minix -3).  An existing IMAGE is overwritten.
 */
int cmd_mkimage(int argc, char **argv)
{
	char *mkfs[] = { "mkfs.minix", "-3", NULL, NULL };
	unsigned long long size;
	int fd, ret;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("Usage: molctl mkimage IMAGE SIZE\n"
		       "Make IMAGE a fresh MINIX v3 file system of SIZE bytes (suffix K, M, G;\n"
		       "at least 64K) with mkfs.minix -3.\n");
		return 0;
	}
	if (argc != 3) {
		ctl_err("mkimage: usage: molctl mkimage IMAGE SIZE");
		return 2;
	}
	size = parse_size(argv[2]);
	if (size < 65536 || size > (1ULL << 40)) {
		ctl_err("mkimage: bad size '%s' (64K..1T; suffix K, M, G)",
			argv[2]);
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		ctl_err("mkimage: %s: %s", argv[1], strerror(errno));
		return 1;
	}
	ret = ftruncate(fd, 0) || ftruncate(fd, size);
	if (ret)
		ctl_err("mkimage: %s: %s", argv[1], strerror(errno));
	close(fd);
	if (ret)
		return 1;
	mkfs[2] = argv[1];
	ret = run_wait(mkfs, "/dev/null");
	if (ret != 0) {
		ctl_err("mkimage: mkfs.minix -3 %s failed (status %d; is util-linux installed?)",
			argv[1], ret);
		return 1;
	}
	printf("molctl: %s: MINIX v3 file system, %llu bytes\n", argv[1],
	       size);
	return 0;
}

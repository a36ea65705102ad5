/* SPDX-License-Identifier: GPL-2.0 */
/*
 * molctl.h - the MoL launcher: shared state of its files.
 */
#ifndef MOLCTL_H
#define MOLCTL_H

#include <sys/types.h>

#include <linux/molipc.h>
#include "molctl_proto.h"

#define MOLCTL_NAME_MAX	32
#define MOLCTL_MAX_DISKS	16
#define MOLCTL_MAX_HOST_MOUNTS	16
/*
 * The host directories mounted read-only at the same paths by default:
 * the program directories, and the alternatives Debian's programs link
 * to (/usr/bin/awk -> /etc/alternatives/awk -> /usr/bin/mawk).
 */
#define MOLCTL_HOST_MOUNTS	"/bin /sbin /usr /lib /lib64 /etc/alternatives"

/* What `molctl up` reads from the command line and the config file. */
struct ctl_config {
	char transport[8];	/* "" = default */
	char kernel_addr[108];
	unsigned int nr_procs;
	unsigned int hz;
	char clock[256], pm[256], init[256];
	int no_pm;
	int no_container;
	/*
	 * [disks]: IMAGE[:/MOUNTPOINT] each; disk[0] is the root file
	 * system (molfs), all are minors of the disk driver unless
	 * no_disk_driver
	 */
	char disk[MOLCTL_MAX_DISKS][256];
	unsigned int nr_disks;
	int no_disk_driver;
	/* host_mounts: a space-separated list of host directories, "no" */
	char host_mounts[1024];
	int host_mounts_set;	/* the config file gave host_mounts */
};

/* The state file, /run/mol/<name>/state. */
struct ctl_state {
	char transport[8];
	char kernel_addr[108];
	unsigned int instance;
	pid_t molsystem_pid;
	pid_t molkernel_pid;
	int module_loaded;
	unsigned int disks;	/* images given to molsystem (0: no FS) */
};

extern const char *ctl_name;	/* --instance */
extern char ctl_dir[256];	/* run directory of the instance */
extern char ctl_bindir[256];	/* where molctl lives (build/bin) */

void ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* config.c */
int ctl_config_read(const char *path, struct ctl_config *cfg);
int ctl_state_read(struct ctl_state *st);
int ctl_state_write(const struct ctl_state *st);

/* updown.c */
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_mkimage(int argc, char **argv);

/* run.c */
int cmd_run(int argc, char **argv);

/* ps.c */
int cmd_ps(int argc, char **argv);
int cmd_stat(int argc, char **argv);

#endif /* MOLCTL_H */

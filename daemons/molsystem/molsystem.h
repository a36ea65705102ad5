/* SPDX-License-Identifier: GPL-2.0 */
/*
 * molsystem.h - the MoL system task: shared state of its files.
 */
#ifndef MOLSYSTEM_H
#define MOLSYSTEM_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "mol.h"
#include <linux/molcalls.h>
#include "../molctl/molctl_proto.h"

/* What occupies a slot, from the system task's point of view. */
enum sys_kind {
	SK_FREE = 0,
	SK_TASK,		/* system, clock */
	SK_SERVER,		/* PM, FS, ... */
	SK_USER,		/* init and every user process */
	SK_CTL,			/* molctl's temporary endpoint */
};

struct sys_proc {
	int endpoint;
	pid_t pid;		/* Linux pid */
	enum sys_kind kind;
	uint32_t calls;		/* kernel call mask: SYS_CALL_BIT() */
	char name[16];
};

#define SYS_CALL_BIT(c)		(1U << ((c) - SYS_BASE))
#define SYS_CALLS_ALL		((1U << SYS_NR_CALLS) - 1)

struct sys_dead_rec {
	int endpoint;
	int status;
};

struct sys_state {
	struct mol mol;
	unsigned int instance;
	unsigned int nr_procs;
	struct sys_proc *procs;		/* nr_procs + MOL_NR_TASKS */
	struct sys_dead_rec *dead;	/* ring of deaths for PM */
	unsigned int dead_head, dead_len, dead_cap;
	uint64_t boot_realtime;		/* seconds */
	unsigned int hz;
	int ctl_fd;			/* system.sock */
	const char *run_dir;
	const char *transport;
	const char *kernel_addr;
	volatile sig_atomic_t stop;
	const char *stop_reason;
};

extern struct sys_state sys;

/* main.c */
void sys_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
struct sys_proc *sys_slot(int slot);
struct sys_proc *sys_lookup(int endpoint);
void sys_priv_user(struct molipc_priv *priv, int may_system);
int sys_clock_call(struct mol_message *m);

/* call.c */
int sys_dispatch(struct mol_message *m);
void sys_deaths(void);

/* ctl.c */
int sys_ctl_open(void);
void sys_ctl_close(void);
void sys_ctl_poll(void);

#endif /* MOLSYSTEM_H */

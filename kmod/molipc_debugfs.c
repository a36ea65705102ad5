// SPDX-License-Identifier: GPL-2.0
/*
 * molipc_debugfs.c - counters: /sys/kernel/debug/molipc/<instance>/stats
 * (per instance) and .../endpoints (per endpoint), and
 * /sys/kernel/debug/molipc/instances.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "molipc_internal.h"

static struct dentry *molipc_debugfs_root;

static const char *const molipc_op_name[MOLIPC_OP_MAX + 1] = {
	[MOLIPC_OP_SEND]	= "send",
	[MOLIPC_OP_RECEIVE]	= "receive",
	[MOLIPC_OP_SENDREC]	= "sendrec",
	[MOLIPC_OP_NOTIFY]	= "notify",
	[MOLIPC_OP_SENDNB]	= "sendnb",
	[MOLIPC_OP_REPLY_RECV]	= "reply_recv",
};

static const char *const molipc_pstate_name[] = {
	[MOLIPC_PSTATE_FREE]		= "free",
	[MOLIPC_PSTATE_REGISTERED]	= "registered",
	[MOLIPC_PSTATE_RUNNING]		= "running",
	[MOLIPC_PSTATE_SENDING]		= "sending",
	[MOLIPC_PSTATE_RECEIVING]	= "receiving",
	[MOLIPC_PSTATE_SENDREC]		= "sendrec",
	[MOLIPC_PSTATE_REPLYWAIT]	= "replywait",
};

static int molipc_stats_show(struct seq_file *m, void *unused)
{
	struct molipc_instance *inst = m->private;
	u64 sent = 0, received = 0, notifies = 0, errors = 0;
	unsigned int i, bound = 0;

	spin_lock(&inst->lock);
	for (i = 0; i < inst->nr_ids; i++) {
		struct molipc_proc *p = &inst->procs[i];

		sent += p->nr_sent;
		received += p->nr_received;
		notifies += p->nr_notifies;
		errors += p->nr_errors;
		bound += p->pstate == MOLIPC_SLOT_BOUND;
	}
	seq_printf(m, "instance %u%s\n", inst->id, inst->dead ? " (dead)" : "");
	seq_printf(m, "nr_procs %u\nbound %u\n", inst->nr_procs, bound);
	for (i = 1; i <= MOLIPC_OP_MAX; i++)
		seq_printf(m, "calls_%s %llu\n", molipc_op_name[i],
			   inst->nr_calls[i]);
	seq_printf(m, "messages %llu\nreceived %llu\nnotifications %llu\n",
		   sent, received, notifies);
	seq_printf(m, "errors %llu\nblocked %llu\ndeadlocks %llu\n",
		   errors, inst->nr_blocked, inst->nr_deadlocks);
	seq_printf(m, "deaths %llu\ndeath_queue %u\ndeath_lost %llu\n",
		   inst->nr_deaths, inst->dead_count, inst->dead_lost);
	spin_unlock(&inst->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(molipc_stats);

static int molipc_endpoints_show(struct seq_file *m, void *unused)
{
	struct molipc_instance *inst = m->private;
	unsigned int i;

	seq_puts(m, "slot endpoint pid state peer sent received notifies errors\n");
	spin_lock(&inst->lock);
	for (i = 0; i < inst->nr_ids; i++) {
		struct molipc_proc *p = &inst->procs[i];

		if (p->pstate == MOLIPC_SLOT_FREE)
			continue;
		seq_printf(m, "%d %d %d %s %d %llu %llu %llu %llu\n",
			   p->slot, p->endpoint, p->pid_nr,
			   molipc_pstate_name[molipc_proc_pstate(p)],
			   p->state == MOLIPC_RUNNING ? MOL_NONE : p->peer_ep,
			   p->nr_sent, p->nr_received, p->nr_notifies,
			   p->nr_errors);
	}
	spin_unlock(&inst->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(molipc_endpoints);

void molipc_debugfs_add(struct molipc_instance *inst)
{
	char name[16];

	if (IS_ERR_OR_NULL(molipc_debugfs_root))
		return;
	snprintf(name, sizeof(name), "%u", inst->id);
	inst->debugfs = debugfs_create_dir(name, molipc_debugfs_root);
	debugfs_create_file("stats", 0400, inst->debugfs, inst,
			    &molipc_stats_fops);
	debugfs_create_file("endpoints", 0400, inst->debugfs, inst,
			    &molipc_endpoints_fops);
}

void molipc_debugfs_remove(struct molipc_instance *inst)
{
	debugfs_remove_recursive(inst->debugfs);
	inst->debugfs = NULL;
}

void molipc_debugfs_init(void)
{
	molipc_debugfs_root = debugfs_create_dir("molipc", NULL);
}

void molipc_debugfs_exit(void)
{
	debugfs_remove_recursive(molipc_debugfs_root);
}

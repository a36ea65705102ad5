// SPDX-License-Identifier: GPL-2.0
/*
 * molclock - the MoL clock task (slot MOL_CLOCK).
 *
 * Ticks come from a Linux timerfd at HZ ticks per second (default 60,
 * --hz or $MOL_HZ); the timerfd counts expirations, so ticks lost while
 * we were not scheduled are caught up, and the time of day is read from
 * CLOCK_REALTIME itself, so it is always in step with Linux.  Alarms are
 * set by the system task only (CLK_SETALARM, forwarded from
 * SYS_SETALARM) and delivered as notifications from MOL_CLOCK.  One
 * alarm per endpoint, as MINIX's per-process alarm timer.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "mol.h"
#include <linux/molcalls.h>

#define NR_SLOTS	(MOL_MAX_PROCS + MOL_NR_TASKS)

struct clk_alarm {
	int endpoint;		/* MOL_NONE: no alarm */
	uint64_t deadline;	/* tick */
};

static struct mol mol;
static struct clk_alarm alarms[NR_SLOTS];
static unsigned int hz = 60;
static uint64_t ticks;
static int tfd = -1;
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static void clk_log(const char *what, int ret)
{
	fprintf(stderr, "molclock: %s: %s\n", what, mol_strerror(ret));
}

/* Catch up with the timerfd and ring the alarms that are due. */
static void clk_tick(void)
{
	uint64_t n;
	int i, ret;

	if (read(tfd, &n, sizeof(n)) == sizeof(n))
		ticks += n;
	for (i = 0; i < NR_SLOTS; i++) {
		struct clk_alarm *a = &alarms[i];

		if (a->endpoint == MOL_NONE || a->deadline > ticks)
			continue;
		ret = mol_notify(&mol, a->endpoint);
		if (ret < 0 && ret != MOL_EDEADSRCDST)
			clk_log("notify", ret);
		a->endpoint = MOL_NONE;
	}
}

static int clk_setalarm(struct mol_message *m)
{
	struct mol_clk_alarm *r = MOL_BODY(m, struct mol_clk_alarm);
	int slot = MOL_ENDPOINT_SLOT(r->endpoint);
	struct clk_alarm *a;

	if (slot < -MOL_NR_TASKS || slot >= MOL_MAX_PROCS || r->pad ||
	    r->ticks > UINT32_MAX)
		return -EINVAL;
	a = &alarms[slot + MOL_NR_TASKS];
	r->left = 0;
	if (a->endpoint == r->endpoint && a->deadline > ticks)
		r->left = a->deadline - ticks;
	a->endpoint = r->ticks ? r->endpoint : MOL_NONE;
	a->deadline = ticks + r->ticks;
	return MOL_OK;
}

static int clk_gettime(struct mol_message *m)
{
	struct mol_sys_clock *c = MOL_BODY(m, struct mol_sys_clock);
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	memset(c, 0, sizeof(*c));
	c->hz = hz;
	c->ticks = ticks;
	c->realtime_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	return MOL_OK;
}

static void clk_request(struct mol_message *m, unsigned int status)
{
	int src = m->m_source, ret;

	if (src != MOL_SYSTEM)
		ret = -EPERM;
	else if (m->m_type == CLK_SETALARM)
		ret = clk_setalarm(m);
	else if (m->m_type == CLK_GETTIME)
		ret = clk_gettime(m);
	else
		ret = -EINVAL;
	if (ret < 0)
		memset(m->m_u.m_raw, 0, sizeof(m->m_u.m_raw));
	m->m_type = ret;
	if (!(status & MOLIPC_STATUS_SENDREC))
		return;
	/* The caller waits in sendrec for us: this never blocks. */
	ret = mol_sendnb(&mol, src, m);
	if (ret < 0)
		clk_log("reply", ret);
}

/* Receive until the next tick is due. */
static int clk_receive(struct mol_message *m, unsigned int *status)
{
	struct itimerspec its;
	struct molipc_ipc req;
	int ret;

	memset(&req, 0, sizeof(req));
	timerfd_gettime(tfd, &its);
	req.endpoint = MOL_ANY;
	req.flags = MOLIPC_IPC_TIMEOUT;
	req.timeout_ns = its.it_value.tv_sec * 1000000000ULL +
			 its.it_value.tv_nsec;
	if (!req.timeout_ns)
		req.timeout_ns = 1;
	ret = mol_ipc(&mol, MOLIPC_OP_RECEIVE, &req);
	*m = req.msg;
	*status = req.status;
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "hz", required_argument, NULL, 'z' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct sigaction sa = { .sa_handler = on_signal };
	const char *inst = getenv("MOL_INSTANCE"), *e = getenv("MOL_HZ");
	struct itimerspec its;
	struct mol_message m;
	unsigned int status;
	int c, ret, i;

	if (e)
		hz = atoi(e);
	while ((c = getopt_long(argc, argv, "z:h", lo, NULL)) != -1) {
		switch (c) {
		case 'z':
			hz = atoi(optarg);
			break;
		case 'h':
			printf("Usage: molclock [--hz N]\n"
			       "The MoL clock task; started by molsystem, which sets $MOL_INSTANCE.\n");
			return 0;
		default:
			return 2;
		}
	}
	if (hz < 1 || hz > 1000 || !inst) {
		fprintf(stderr, "molclock: need $MOL_INSTANCE and HZ 1..1000\n");
		return 2;
	}
	for (i = 0; i < NR_SLOTS; i++)
		alarms[i].endpoint = MOL_NONE;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	ret = mol_open(&mol, NULL);
	if (ret < 0) {
		clk_log("open", ret);
		return 1;
	}
	ret = mol_bind(&mol, strtoul(inst, NULL, 10), MOL_CLOCK, NULL);
	if (ret < 0) {
		clk_log("bind", ret);
		return 1;
	}
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (tfd < 0) {
		perror("molclock: timerfd");
		return 1;
	}
	its.it_interval.tv_sec = 0;
	its.it_interval.tv_nsec = 1000000000L / hz;
	if (hz == 1) {
		its.it_interval.tv_sec = 1;
		its.it_interval.tv_nsec = 0;
	}
	its.it_value = its.it_interval;
	timerfd_settime(tfd, 0, &its, NULL);

	while (!stop) {
		ret = clk_receive(&m, &status);
		clk_tick();
		if (ret == MOL_ETIMEDOUT || ret == MOL_EINTR)
			continue;
		if (ret == MOL_EINSTGONE)
			break;
		if (ret < 0) {
			clk_log("receive", ret);
			continue;
		}
		if (status & MOLIPC_STATUS_NOTIFY)
			continue;
		clk_request(&m, status);
	}
	mol_close(&mol);
	return 0;
}

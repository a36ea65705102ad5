// SPDX-License-Identifier: GPL-2.0
/*
 * molmem - MINIX's memory driver, bound to MOL_MEM: /dev/null (minor
 * MOL_NULL_MINOR: end of file, writes taken whole), /dev/zero
 * (MOL_ZERO_MINOR: zeros, writes taken whole) and, as molmem minor
 * MOL_MEM_RANDOM_MINOR, RANDOM_MAJOR's /dev/random and /dev/urandom
 * (getrandom(2); writes taken and ignored).
 *
 *	molmem [-v] [-i INSTANCE]
 *
 * It serves the CDEV_* calls FS forwards (<linux/molcalls.h>), from
 * MOL_FS only; data moves through the grant FS gives for each call.  No
 * read ever waits, so nothing is queued: CDEV_CANCEL finds nothing
 * (-ENOENT) and CDEV_STATUS has nothing to tell (-EAGAIN).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <linux/molcalls.h>
#include <linux/molfscalls.h>

#include "mol.h"
#include "../cdev_check.h"

static struct mol mol;
static volatile sig_atomic_t stop;
static bool verbose;

static void mem_log(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void mem_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "molmem: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool mem_minor_ok(unsigned int minor)
{
	return minor == MOL_NULL_MINOR || minor == MOL_ZERO_MINOR ||
	       minor == MOL_MEM_RANDOM_MINOR;
}

/* A request's fields (cdev_check_fields), its count, then its minor. */
static int mem_check(int call, const struct mol_cdev_req *r)
{
	int ret = cdev_check_fields(call, r);

	if (ret || call == CDEV_STATUS)
		return ret;
	if ((call == CDEV_READ || call == CDEV_WRITE) &&
	    r->count > CDEV_IO_MAX)
		return -EINVAL;
	if (!mem_minor_ok(r->minor))
		return -ENXIO;
	return 0;
}

static int mem_read(const struct mol_cdev_req *r)
{
	unsigned char buf[CDEV_IO_MAX];
	size_t n = r->count;

	if (r->minor == MOL_NULL_MINOR || n == 0)
		return 0;
	if (r->minor == MOL_ZERO_MINOR) {
		memset(buf, 0, n);
	} else {
		ssize_t got = getrandom(buf, n, 0);

		if (got < 0)
			return -errno;
		n = (size_t)got;
	}
	if (mol_safecopy_to(&mol, MOL_FS, r->grant, 0, buf, n) < 0)
		return -EFAULT;
	return (int)n;
}

/* A write is taken whole; the grant must still cover it. */
static int mem_write(const struct mol_cdev_req *r)
{
	unsigned char last;

	if (r->count &&
	    mol_safecopy_from(&mol, MOL_FS, r->grant, r->count - 1, &last,
			      1) < 0)
		return -EFAULT;
	return (int)r->count;
}

static int mem_request(struct mol_message *m)
{
	struct mol_cdev_req *r = MOL_BODY(m, struct mol_cdev_req);
	int call = m->m_type, ret;

	if (m->m_source != MOL_FS)
		return -EPERM;
	ret = mem_check(call, r);
	if (ret < 0)
		return ret;
	switch (call) {
	case CDEV_OPEN:
	case CDEV_CLOSE:
		return 0;
	case CDEV_READ:
		return mem_read(r);
	case CDEV_WRITE:
		return mem_write(r);
	case CDEV_IOCTL:
		return -ENOTTY;
	case CDEV_CANCEL:
		return -ENOENT;		/* no read is ever queued */
	case CDEV_STATUS:
		return -EAGAIN;
	}
	return -EINVAL;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void serve(void)
{
	struct molipc_ipc req;
	int ret;

	while (!stop) {
		memset(&req, 0, sizeof(req));
		req.endpoint = MOL_ANY;
		ret = mol_ipc(&mol, MOLIPC_OP_RECEIVE, &req);
		if (ret == MOL_EINSTGONE || ret == MOL_ENOTBOUND) {
			mem_log("the instance is gone");
			return;
		}
		if (ret < 0 || (req.status & MOLIPC_STATUS_NOTIFY))
			continue;
		ret = mem_request(&req.msg);
		if (verbose)
			mem_log("call 0x%x from %d: %d", req.msg.m_type,
				req.msg.m_source, ret);
		if (!(req.status & MOLIPC_STATUS_SENDREC))
			continue;
		req.msg.m_type = ret;
		mol_sendnb(&mol, req.msg.m_source, &req.msg);
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "instance", required_argument, NULL, 'i' },
		{ "verbose", no_argument, NULL, 'v' },
		{ }
	};
	const char *inst = getenv("MOL_INSTANCE");
	struct sigaction sa = { .sa_handler = on_term };
	int c, ret, ep;

	while ((c = getopt_long(argc, argv, "i:v", lo, NULL)) != -1) {
		switch (c) {
		case 'i':
			inst = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: molmem [-v] [-i INSTANCE]\n");
			return 2;
		}
	}
	if (!inst) {
		mem_log("an instance (-i or MOL_INSTANCE) is needed");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: receive ends */
	sigaction(SIGINT, &sa, NULL);
	ret = mol_open(&mol, NULL);
	if (ret < 0) {
		mem_log("open: %s", mol_strerror(ret));
		return 1;
	}
	ret = mol_bind(&mol, (unsigned int)strtoul(inst, NULL, 0), MOL_ANY,
		       &ep);
	if (ret < 0) {
		mem_log("bind: %s", mol_strerror(ret));
		return 1;
	}
	if (ep != MOL_MEM)
		mem_log("bound %d, not MOL_MEM", ep);
	serve();
	mol_close(&mol);
	return 0;
}

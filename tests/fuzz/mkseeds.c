// SPDX-License-Identifier: GPL-2.0
/*
 * mkseeds.c - write the seed corpus of fuzz_proto: one valid request
 * and one valid reply per operation, plus a few near misses, into DIR.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

static const unsigned int ops[] = {
	MOLK_OP_SEND, MOLK_OP_RECEIVE, MOLK_OP_SENDREC, MOLK_OP_NOTIFY,
	MOLK_OP_SENDNB, MOLK_OP_REPLY_RECV, MOLK_OP_VERSION, MOLK_OP_CREATE,
	MOLK_OP_REGISTER, MOLK_OP_UNREGISTER, MOLK_OP_SETPRIV, MOLK_OP_BIND,
	MOLK_OP_DEAD, MOLK_OP_PROCINFO, MOLK_OP_CANCEL, MOLK_OP_CLOSE,
	MOLK_OP_STATS,
};

static int write_seed(const char *dir, const char *name, unsigned int i,
		      const void *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%02u", dir, name, i);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char buf[MOLK_MAX_SIZE];
	struct molk_dgram d;
	unsigned int i;
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		memset(&d, 0, sizeof(d));
		d.h.op = ops[i];
		d.h.pid = 1234;
		d.h.seq = 1000 + i;
		if (i % 2) {
			d.h.endpoint = MOL_ENDPOINT(1, 20);
			d.h.slot = 20;
			d.h.instance = 1;
		} else {
			d.h.endpoint = MOL_NONE;
		}
		if (molk_is_ipc(ops[i])) {
			d.h.peer = i == 1 ? MOL_ANY : MOL_PM;
			d.h.src = ops[i] == MOLK_OP_REPLY_RECV ? MOL_ANY : 0;
			d.h.flags = i == 2 ? MOLIPC_IPC_TIMEOUT : 0;
			d.h.timeout_ns = i == 2 ? 1000000 : 0;
			d.msg.m_type = 42;
			d.msg.m_u.m1.m1i1 = 7;
		}
		d.arg_len = molk_arg_size(ops[i]);
		len = molk_encode(buf, sizeof(buf), &d);
		if (!len || write_seed(argv[1], "req", i, buf, len))
			return 1;
		/* A near miss: the same with one byte too many. */
		buf[len] = 0;
		if (write_seed(argv[1], "long", i, buf, len + 1))
			return 1;
		d.h.op |= MOLK_OP_REPLY;
		d.h.ret = i % 3 ? 0 : MOL_EDEADSRCDST;
		d.h.status = MOLIPC_STATUS_SENDREC;
		len = molk_encode(buf, sizeof(buf), &d);
		if (!len || write_seed(argv[1], "rep", i, buf, len))
			return 1;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_proto.c - libFuzzer target for molkernel's datagram parser and
 * validator (daemons/molkernel/proto.c).
 *
 * Every input is a datagram as it would arrive on molkernel's socket.
 * Properties checked besides "no crash, no sanitizer report":
 *  - a datagram accepted as a request has exactly the size its op needs,
 *    a known op without the reply bit, a self-consistent identity, and
 *    control requests carry no IPC arguments;
 *  - encoding what was decoded gives back the same bytes (nothing of the
 *    input is lost or invented), and decoding that again gives the same;
 *  - the shared argument check (molk_ipc_check_args) never accepts
 *    unknown flags or a RESUME outside sendrec.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char out[MOLK_MAX_SIZE];
	struct molk_dgram d, d2;
	int why;

	why = molk_decode_request(data, size, &d);
	if (why < 0) {
		uint32_t op = d.h.op;
		size_t len;

		CHECK(size >= MOLK_BASE_SIZE && size <= MOLK_MAX_SIZE);
		CHECK(!(op & MOLK_OP_REPLY));
		CHECK(molk_arg_size(op) >= 0);
		CHECK(size == MOLK_BASE_SIZE + (size_t)molk_arg_size(op));
		CHECK(d.h.pid > 0);
		CHECK(d.h.endpoint != MOL_NONE || (!d.h.slot && !d.h.instance));
		if (!molk_is_ipc(op))
			CHECK(!d.h.peer && !d.h.src && !d.h.flags &&
			      !d.h.timeout_ns);
		if (molk_is_ipc(op)) {
			struct molipc_ipc req = {
				.endpoint = d.h.peer, .src = d.h.src,
				.flags = d.h.flags,
				.timeout_ns = d.h.timeout_ns,
			};

			if (!molk_ipc_check_args(op, &req)) {
				CHECK(!(req.flags & ~MOLIPC_IPC_FLAGS));
				CHECK(!(req.flags & MOLIPC_IPC_RESUME) ||
				      op == MOLK_OP_SENDREC);
			}
		}
		len = molk_encode(out, sizeof(out), &d);
		CHECK(len == size);
		CHECK(!memcmp(out, data, size));
		CHECK(molk_decode_request(out, len, &d2) < 0);
		CHECK(!memcmp(&d.h, &d2.h, sizeof(d.h)));
	} else {
		CHECK(why < MOLK_DROP_MAX);
		CHECK(molk_drop_name(why)[0] != '?');
	}

	why = molk_decode_reply(data, size, &d);
	if (why < 0) {
		CHECK(d.h.op & MOLK_OP_REPLY);
		CHECK(molk_encode(out, sizeof(out), &d) == size);
		CHECK(!memcmp(out, data, size));
	}
	(void)molk_op_name(d.h.op);
	return 0;
}

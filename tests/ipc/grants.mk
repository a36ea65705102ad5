# SPDX-License-Identifier: GPL-2.0
#
# Memory grants and safecopy (Documentation/ipc.md, "Grants"):
#   $(BIN)/mol-grants   the grant suite, any transport (libmol only)
#   grants-host         mol-grants over unix and udp against molkernel
# Needs the variables of tests/build.mk (include it after that file).

ALL_TARGETS	+= $(BIN)/mol-grants
CHECK_TARGETS	+= grants-host

.PHONY: grants-host

$(BIN)/mol-grants: tests/ipc/grants.c $(TESTS_LIBS) $(TESTS_HDRS) \
		   $(TESTS_KSFT)
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -o $@ $< $(TESTS_LIBS) $(LDFLAGS)

grants-host: $(BIN)/mol-grants $(BIN)/molkernel
	BUILD=$(BUILD) sh tests/ipc/run-grants.sh unix
	BUILD=$(BUILD) sh tests/ipc/run-grants.sh udp

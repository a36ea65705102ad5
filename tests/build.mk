# SPDX-License-Identifier: GPL-2.0
#
# IPC test suites (see Documentation/testing.md, "IPC test suites"):
#   $(BIN)/mol-conformance  the conformance suite, any transport (libmol only)
#   $(BIN)/mol-kmod-test    molipc.ko's own tests (raw ioctls on /dev/molipc)
#   $(BIN)/mol-stress       many senders/receivers, kill -9, full accounting
#   $(BIN)/mol-fuzz         random ioctls from several processes
# and the targets that run them:
#   vmcheck           everything above in the qemu guest (tests/vm/vmcheck.sh)
#   conformance-host  mol-conformance over unix and udp against molkernel

TESTS_OBJ	:= $(BUILD)/obj/tests
# The harness's macros compare signed with unsigned; scripts of steps
# initialise structures partly.
TESTS_CFLAGS	 = $(CFLAGS) -pthread -Itests/lib -Wno-sign-compare \
		   -Wno-missing-field-initializers
TESTS_LIBS	:= $(TESTS_OBJ)/moltest.o $(LIB)/libmol.a
TESTS_HDRS	:= tests/lib/moltest.h libmol/include/mol.h uapi/linux/molipc.h
# kselftest_harness.h and kselftest.h in $(BUILD)/include (tests/vm/build.mk).
TESTS_KSFT	:= $(KSELFTEST_HDRS)

TESTS_BINS	:= $(BIN)/mol-conformance $(BIN)/mol-kmod-test \
		   $(BIN)/mol-stress $(BIN)/mol-fuzz

ALL_TARGETS	+= $(TESTS_BINS)
CHECK_TARGETS	+= conformance-host vmcheck

.PHONY: tests vmcheck conformance-host

tests: $(TESTS_BINS)

$(TESTS_OBJ)/moltest.o: tests/lib/moltest.c $(TESTS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -c -o $@ $<

$(BIN)/mol-conformance: tests/ipc/conformance.c $(TESTS_LIBS) $(TESTS_HDRS) \
			$(TESTS_KSFT)
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -o $@ $< $(TESTS_LIBS) $(LDFLAGS)

$(BIN)/mol-kmod-test: tests/kmod/kmod_test.c $(TESTS_LIBS) $(TESTS_HDRS) \
		      $(TESTS_KSFT)
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -o $@ $< $(TESTS_LIBS) $(LDFLAGS)

$(BIN)/mol-stress: tests/kmod/stress.c $(TESTS_LIBS) $(TESTS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -o $@ $< $(TESTS_LIBS) $(LDFLAGS)

$(BIN)/mol-fuzz: tests/kmod/fuzz.c $(TESTS_LIBS) $(TESTS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -o $@ $< $(TESTS_LIBS) $(LDFLAGS)

# The module's suites run only in the guest; molvm fails on timeout (124).
VMCHECK_TIMEOUT	?= 900

VMCHECK_ENV	:= BUILD MOL_STRESS_MSGS MOL_STRESS_SENDERS MOL_STRESS_RECEIVERS \
		   MOL_STRESS_KILLS MOL_FUZZ_CALLS MOL_FUZZ_PROCS MOL_FUZZ_KILLS \
		   MOL_FUZZ_SEED

vmcheck: all
	MOLVM_TIMEOUT=$(VMCHECK_TIMEOUT) \
	MOLVM_DMESG=$(BUILD)/vmcheck-dmesg.txt \
	MOLVM_ENV="$(VMCHECK_ENV)" \
	BUILD=$(BUILD) $(MOLVM) tests/vm/vmcheck.sh

# Over the pseudo-kernel: one molkernel per transport, started for the run.
conformance-host: $(BIN)/mol-conformance $(BIN)/molkernel
	BUILD=$(BUILD) sh tests/vm/vmrun-conformance.sh unix
	BUILD=$(BUILD) sh tests/vm/vmrun-conformance.sh udp

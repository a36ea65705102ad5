# SPDX-License-Identifier: GPL-2.0
# molkernel's robustness tests (included from daemons/build.mk):
#   make fuzz            libFuzzer targets in $(BUILD)/fuzz (clang)
#   make fuzz-smoke      fuzz_proto for 30 s (FUZZ_TIME), fails on a crash
#   make molkernel-check molk-malformed against a live molkernel, unix+udp

FUZZ_CC		?= clang
FUZZ_DIR	:= $(BUILD)/fuzz
FUZZ_TIME	?= 30
FUZZ_CFLAGS	:= -g -O1 -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined -D_GNU_SOURCE \
		   -Iuapi -Ilibmol/include -Idaemons/molkernel
FUZZ_DEPS	:= daemons/molkernel/proto.c daemons/molkernel/proto.h \
		   uapi/linux/molkernel_proto.h uapi/linux/molipc.h
MOLK_IPC_SRCS	:= daemons/molkernel/ipc.c daemons/molkernel/instance.c

ALL_TARGETS	+= $(BIN)/molk-malformed
CHECK_TARGETS	+= fuzz-smoke molkernel-check

.PHONY: fuzz fuzz-smoke molkernel-check

fuzz: $(FUZZ_DIR)/fuzz_proto $(FUZZ_DIR)/fuzz_ipc $(FUZZ_DIR)/seeds/.stamp

$(FUZZ_DIR)/fuzz_proto: tests/fuzz/fuzz_proto.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_proto.c \
		daemons/molkernel/proto.c

$(FUZZ_DIR)/fuzz_ipc: tests/fuzz/fuzz_ipc.c $(MOLK_IPC_SRCS) \
		      daemons/molkernel/ipc.h uapi/linux/molipc.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_ipc.c $(MOLK_IPC_SRCS)

$(FUZZ_DIR)/mkseeds: tests/fuzz/mkseeds.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Idaemons/molkernel -o $@ tests/fuzz/mkseeds.c \
		daemons/molkernel/proto.c

$(FUZZ_DIR)/seeds/.stamp: $(FUZZ_DIR)/mkseeds
	@mkdir -p $(dir $@)
	$(FUZZ_DIR)/mkseeds $(dir $@)
	@touch $@

# libFuzzer exits non-zero (and leaves crash-* in $(FUZZ_DIR)) on a crash.
fuzz-smoke:
	@if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
		echo "fuzz-smoke: SKIPPED: no $(FUZZ_CC)"; exit 0; fi; \
	$(MAKE) --no-print-directory fuzz && \
	mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/corpus-ipc && \
	$(FUZZ_DIR)/fuzz_proto -max_total_time=$(FUZZ_TIME) -max_len=1024 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ \
		$(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds 2>$(FUZZ_DIR)/proto.log && \
	$(FUZZ_DIR)/fuzz_ipc -max_total_time=$(FUZZ_TIME) -max_len=4096 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ \
		$(FUZZ_DIR)/corpus-ipc 2>$(FUZZ_DIR)/ipc.log && \
	echo "fuzz-smoke: 2 passed, 0 failed" || \
	{ tail -n 40 $(FUZZ_DIR)/proto.log $(FUZZ_DIR)/ipc.log 2>/dev/null; \
	  echo "fuzz-smoke: 0 passed, 1 failed"; exit 1; }

$(BIN)/molk-malformed: tests/fuzz/malformed.c $(LIB)/libmol.a \
		       libmol/include/mol.h uapi/linux/molkernel_proto.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ tests/fuzz/malformed.c $(LIB)/libmol.a $(LDFLAGS)

molkernel-check: $(BIN)/molkernel $(BIN)/molk-malformed
	BUILD=$(BUILD) sh tests/fuzz/molkernel-check.sh

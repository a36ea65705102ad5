# SPDX-License-Identifier: GPL-2.0
# molbench: `make bench` on the host (udp, unix and the baselines),
# `make vmbench` in the qemu guest (adds kmod).  `make check` runs a
# short smoke only: benchmarks are not tests.
# `make vmfsbench`: molfs vs. Linux's minix.ko in the guest
# (tests/bench/fsbench.sh, build/bin/mol-fsbench).

ALL_TARGETS	+= $(BIN)/molbench $(BIN)/mol-fsbench
INSTALL_BINS	+= molbench
CHECK_TARGETS	+= bench-smoke
BENCH_OUT	?= $(BUILD)/bench

$(BIN)/molbench: tests/bench/molbench.c $(LIB)/libmol.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB)/libmol.a $(LDFLAGS)

$(BIN)/mol-fsbench: tests/bench/fsbench.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

.PHONY: bench vmbench vmfsbench bench-smoke
bench: all
	@mkdir -p $(BENCH_OUT)
	$(BIN)/molbench --transports udp,unix --json $(BENCH_OUT)/host.json \
		--plot $(BENCH_OUT)/host.png

vmbench: all vm-initramfs
	@mkdir -p $(BUILD)/vmshare
	MOLVM_TIMEOUT=1500 tests/vm/molvm tests/bench/vmbench.sh $(CURDIR)/$(BUILD)/vmshare

vmfsbench: all vm-initramfs
	@mkdir -p $(BUILD)/vmshare
	MOLVM_TIMEOUT=1500 tests/vm/molvm tests/bench/fsbench.sh $(CURDIR)/$(BUILD)/vmshare

bench-smoke: all
	$(BIN)/molbench --smoke --transports udp,unix --json $(BUILD)/bench-smoke.json >/dev/null
	@python3 -c 'import json,sys; r=json.load(open("$(BUILD)/bench-smoke.json")); \
		t={x["transport"] for x in r}; need={"futex","pipe","eventfd","socketpair","udp-raw","udp","unix"}; \
		assert need <= t, need - t; assert all(x["ops"] > 0 for x in r), "a measurement made no progress"; \
		print("bench-smoke: 1 passed, 0 failed")'

# SPDX-License-Identifier: GPL-2.0
#
# Process manager and container suite (Documentation/architecture.md,
# "Process manager and container"):
#   $(BIN)/mol-systest    the test program, run inside an instance
#   system-host           the suite over the unix transport (molkernel)
# tests/system/vm-system.sh runs it in the qemu guest over kmod.

ALL_TARGETS	+= $(BIN)/mol-systest
CHECK_TARGETS	+= system-host

$(BIN)/mol-systest: tests/system/systest.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

.PHONY: system-host
system-host: $(BIN)/mol-systest $(BIN)/molpm $(BIN)/molctl $(BIN)/molsystem \
	     $(BIN)/molclock $(BIN)/molinit $(BIN)/molkernel $(LIB)/libmol.so
	MOL_TRANSPORT=unix sh tests/system/run-system.sh
	MOL_TRANSPORT=udp sh tests/system/run-system.sh

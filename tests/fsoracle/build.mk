# SPDX-License-Identifier: GPL-2.0
#
# Outside oracles of MoL's file system (Documentation/testing.md,
# "File-system oracles"):
#   fsoracle-host  tests/fsoracle/programs.sh unix (Debian's programs,
#                  under MoL and on the host, outputs and trees compared)
#   fsoracle-crash tests/fsoracle/crash.sh unix (kill -9 of molfs and
#                  moldisk under a write-heavy workload, fsck and the
#                  synced files checked; every round must be clean)
#   fsoracle-vm    tests/fsoracle/vm-minix.sh in its own qemu guest (Linux's
#                  minix.ko reads what MoL wrote and the reverse); make
#                  check runs the same script inside vmcheck's guest
# Include it from the top-level Makefile (-include tests/fsoracle/build.mk).

CHECK_TARGETS	+= fsoracle-host fsoracle-crash

FSORACLE_DEPS	:= $(BIN)/molctl $(BIN)/molsystem $(BIN)/molclock \
		   $(BIN)/molpm $(BIN)/molinit $(BIN)/molkernel $(BIN)/molfs \
		   $(BIN)/molhostfs \
		   $(BIN)/moldisk $(BIN)/molmem $(BIN)/molfs-tool $(LIB)/libmol.so

.PHONY: fsoracle-host fsoracle-vm
fsoracle-host: $(FSORACLE_DEPS)
	BUILD=$(BUILD) sh tests/fsoracle/programs.sh unix

.PHONY: fsoracle-crash
fsoracle-crash: $(FSORACLE_DEPS)
	BUILD=$(BUILD) sh tests/fsoracle/crash.sh unix

fsoracle-vm: $(FSORACLE_DEPS) module
	BUILD=$(BUILD) MOLVM_TIMEOUT=900 sh tests/fsoracle/vm-minix.sh

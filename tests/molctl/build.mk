# SPDX-License-Identifier: GPL-2.0
#
# molctl, molsystem, molclock and molinit tests (tests/molctl/):
#   $(BIN)/molctl-systest   stand-in PM and probe for the system task
#   molctl-check            tests/molctl/molctl-test.sh over unix and udp
#                           on the host (make check)
# In the qemu guest, tests/molctl/vm-molctl.sh runs the same over kmod.

ALL_TARGETS	+= $(BIN)/molctl-systest
CHECK_TARGETS	+= molctl-check

$(BIN)/molctl-systest: tests/molctl/systest.c $(LIB)/libmol.a \
		       libmol/include/mol.h uapi/linux/molcalls.h \
		       daemons/molctl/molctl_proto.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB)/libmol.a $(LDFLAGS)

.PHONY: molctl-check
molctl-check: $(BIN)/molctl $(BIN)/molsystem $(BIN)/molclock \
	      $(BIN)/molinit $(BIN)/molkernel $(BIN)/molctl-systest \
	      $(LIB)/libmol.so
	sh tests/molctl/molctl-test.sh unix
	sh tests/molctl/molctl-test.sh udp

# SPDX-License-Identifier: GPL-2.0
#
# The FS server (daemons/molfs/server) and its protocol
# (uapi/linux/molfscalls.h, Documentation/filesystem.md):
#   $(BIN)/mol-fsserver  the suite, any transport (libmol only)
#   fsserver-host        mol-fsserver over unix and udp against molkernel
# The kmod run is tests/fsserver/vm-fsserver.sh, in the qemu guest.
# Needs the variables of tests/build.mk (include it after that file).

ALL_TARGETS	+= $(BIN)/mol-fsserver
CHECK_TARGETS	+= fsserver-host

.PHONY: fsserver-host

$(BIN)/mol-fsserver: tests/fsserver/fsserver.c $(TESTS_LIBS) $(TESTS_HDRS) \
		     $(TESTS_KSFT) uapi/linux/molfscalls.h
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -o $@ $< $(TESTS_LIBS) $(LDFLAGS)

fsserver-host: $(BIN)/mol-fsserver $(BIN)/molfs $(BIN)/molmem $(BIN)/molkernel
	BUILD=$(BUILD) sh tests/fsserver/run-fsserver.sh unix
	BUILD=$(BUILD) sh tests/fsserver/run-fsserver.sh udp

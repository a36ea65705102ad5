# SPDX-License-Identifier: GPL-2.0
#
# The host pass-through mounts (daemons/molhostfs, FS's forwarding in
# daemons/molfs/server/remote.c, Documentation/filesystem.md):
#   $(BIN)/mol-hostfs  molhostfs and the REQ_* protocol, any transport
#   hostfs-host        mol-hostfs over unix and udp against molkernel,
#                      then tests/hostfs/run-hostfs.sh (programs under
#                      molctl with host mounts on and off, a second
#                      image through moldisk) over unix and udp
# Over kmod both run in the qemu guest: vmcheck, or tests/hostfs/vm-hostfs.sh.
# Needs the variables of tests/build.mk (include it after that file).

ALL_TARGETS	+= $(BIN)/mol-hostfs
CHECK_TARGETS	+= hostfs-host

.PHONY: hostfs-host

$(BIN)/mol-hostfs: tests/hostfs/hostfs.c $(TESTS_LIBS) $(TESTS_HDRS) \
		   $(TESTS_KSFT) uapi/linux/molfscalls.h
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -o $@ $< $(TESTS_LIBS) $(LDFLAGS)

hostfs-host: $(BIN)/mol-hostfs $(BIN)/molhostfs $(BIN)/molkernel \
	     $(BIN)/molctl $(BIN)/molsystem $(BIN)/molclock $(BIN)/molpm \
	     $(BIN)/molinit $(BIN)/molfs $(BIN)/moldisk $(BIN)/molmem $(BIN)/molfs-tool \
	     $(LIB)/libmol.so
	BUILD=$(BUILD) sh tests/hostfs/run-hostfs-proto.sh unix
	BUILD=$(BUILD) sh tests/hostfs/run-hostfs-proto.sh udp
	BUILD=$(BUILD) sh tests/hostfs/run-hostfs.sh unix
	BUILD=$(BUILD) sh tests/hostfs/run-hostfs.sh udp

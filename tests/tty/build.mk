# SPDX-License-Identifier: GPL-2.0
#
# The terminal driver suite (Documentation/devices.md, "moltty"):
#   $(BIN)/mol-ptydrive   runs a command on a fresh pty and talks to it
#   $(BIN)/mol-ttytest    termios, job-control and signal checks, run as
#                         a MoL process on the pty
#   $(BIN)/mol-ttycdev    the driver's protocol (CDEV_*, TTY_GETSIG),
#                         malformed requests; any transport
#   tty-host              both over unix and udp
# tests/tty/vm-tty.sh runs it in the qemu guest over kmod.

ALL_TARGETS	+= $(BIN)/mol-ptydrive $(BIN)/mol-ttytest $(BIN)/mol-ttycdev
CHECK_TARGETS	+= tty-host

$(BIN)/mol-ptydrive: tests/tty/ptydrive.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

$(BIN)/mol-ttytest: tests/tty/ttytest.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

$(BIN)/mol-ttycdev: tests/tty/cdev.c $(BUILD)/obj/tests/moltest.o \
		    $(LIB)/libmol.a tests/lib/moltest.h uapi/linux/molcalls.h \
		    daemons/molctl/molctl_proto.h $(KSELFTEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -o $@ $< $(BUILD)/obj/tests/moltest.o \
		$(LIB)/libmol.a $(LDFLAGS)

.PHONY: tty-host
tty-host: $(BIN)/mol-ptydrive $(BIN)/mol-ttytest $(BIN)/mol-ttycdev \
	  $(BIN)/moltty $(BIN)/molfs-tool $(BIN)/molhostfs \
	  $(BIN)/molfs $(BIN)/moldisk $(BIN)/molmem $(BIN)/molpm $(BIN)/molctl \
	  $(BIN)/molsystem $(BIN)/molclock $(BIN)/molinit $(BIN)/molkernel \
	  $(LIB)/libmol.so
	BUILD=$(BUILD) sh tests/lib/with-transport.sh unix $(BIN)/mol-ttycdev
	BUILD=$(BUILD) sh tests/lib/with-transport.sh udp $(BIN)/mol-ttycdev
	BUILD=$(BUILD) sh tests/tty/run-tty.sh unix
	BUILD=$(BUILD) sh tests/tty/run-tty.sh udp

# SPDX-License-Identifier: GPL-2.0
# Device drivers: one directory per program under devices/, listed in
# DEVICES.  For each NAME, devices/NAME/*.c link into $(BIN)/NAME with
# libmol; NAME_LIBS / NAME_CFLAGS add what that driver needs.
#   $(BIN)/moldisk   the disk driver (MOL_DISK), on liburing
#   $(BIN)/moltty    the terminal driver (MOL_TTY)
#   $(BIN)/molmem    the memory driver (MOL_MEM): null, zero, random
#   $(BIN)/mol-disk  its test suite, any transport (libmol only)
#   disk-host        mol-disk over unix and udp against molkernel
# tests/disk/vm-disk.sh runs mol-disk over kmod in the qemu guest.
# See Documentation/devices.md.

DEVICES		+= moldisk moltty molmem
INSTALL_BINS	+= moldisk moltty molmem
moldisk_LIBS	:= $(BUILD)/obj/daemons/molfs/redolog.o -luring
moldisk_CFLAGS	:= -Idaemons/molfs
moltty_CFLAGS	:= -pthread
moltty_LIBS	:= -pthread

define device_rules
$(1)_SRCS	:= $$(wildcard devices/$(1)/*.c)
$(1)_OBJS	:= $$(patsubst devices/%.c,$(BUILD)/obj/devices/%.o,$$($(1)_SRCS))
ALL_TARGETS	+= $(BIN)/$(1)

$(BUILD)/obj/devices/$(1)/%.o: devices/$(1)/%.c \
		$$(wildcard devices/$(1)/*.h devices/*.h) libmol/include/mol.h \
		$$(wildcard uapi/linux/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$($(1)_CFLAGS) -c -o $$@ $$<

$(BIN)/$(1): $$($(1)_OBJS) $(LIB)/libmol.a
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$($(1)_OBJS) $(LIB)/libmol.a $$($(1)_LIBS)
endef

$(foreach d,$(DEVICES),$(eval $(call device_rules,$(d))))

# moldisk commits batches with molfs's redo log code (one source).
$(BIN)/moldisk: $(BUILD)/obj/daemons/molfs/redolog.o
$(BUILD)/obj/devices/moldisk/moldisk.o: daemons/molfs/redolog.h

# The test suite: moltest and libmol as the IPC suites (tests/build.mk,
# included after this file, hence the names spelt out here), plus the
# molfs core and its moldisk block device (dev_moldisk.o, built by
# daemons/molfs/build.mk for the molfs server) for the file system test.
DISK_TEST_LIBS	:= $(BUILD)/obj/tests/moltest.o \
		   $(BUILD)/obj/daemons/molfs/dev_moldisk.o $(LIB)/libmolfs.a \
		   $(LIB)/libmol.a
DISK_TEST_HDRS	:= tests/lib/moltest.h libmol/include/mol.h \
		   uapi/linux/molipc.h uapi/linux/molcalls.h \
		   daemons/molfs/mfs.h daemons/molfs/dev_moldisk.h

ALL_TARGETS	+= $(BIN)/mol-disk
CHECK_TARGETS	+= disk-host

$(BIN)/mol-disk: tests/disk/disk.c $(DISK_TEST_LIBS) $(DISK_TEST_HDRS) \
		 $(KSELFTEST_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(TESTS_CFLAGS) -Idaemons/molfs -o $@ $< $(DISK_TEST_LIBS) \
		$(LDFLAGS)

.PHONY: disk-host
disk-host: $(BIN)/mol-disk $(BIN)/moldisk $(BIN)/molkernel
	BUILD=$(BUILD) sh tests/disk/run-disk.sh unix
	BUILD=$(BUILD) sh tests/disk/run-disk.sh udp

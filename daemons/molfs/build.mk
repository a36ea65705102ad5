# SPDX-License-Identifier: GPL-2.0
# molfs: the MINIX v3 file system core as $(LIB)/libmolfs.a (no IPC),
# the debugging tool $(BIN)/molfs-tool and the host test suite
# $(BIN)/molfs-test, run by `make fscheck` (part of `make check`), once
# as built and once under ASAN/UBSAN when clang is there; and the file
# server $(BIN)/molfs (daemons/molfs/server/*.c + libmolfs.a + libmol).
# See Documentation/filesystem.md.

# Files of the core that use IPC belong to the server, not to the library.
MOLFS_IPC_SRCS	:= $(wildcard daemons/molfs/dev_moldisk.c)
MOLFS_SRCS	:= $(filter-out daemons/molfs/tool.c $(MOLFS_IPC_SRCS),\
		   $(wildcard daemons/molfs/*.c))
MOLFS_OBJS	:= $(patsubst daemons/%.c,$(BUILD)/obj/daemons/%.o,$(MOLFS_SRCS))
MOLFS_HDRS	:= $(wildcard daemons/molfs/*.h)
MOLFS_TESTS	:= $(wildcard tests/fs/*.c)
MOLFS_TEST_HDRS	:= $(wildcard tests/fs/*.h)
MOLFS_TEST_CFLAGS := -Idaemons/molfs -Wno-missing-field-initializers

ALL_TARGETS	+= $(LIB)/libmolfs.a $(BIN)/molfs-tool $(BIN)/molfs-test
CHECK_TARGETS	+= fscheck

$(BUILD)/obj/daemons/molfs/%.o: daemons/molfs/%.c $(MOLFS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIB)/libmolfs.a: $(MOLFS_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/molfs-tool: daemons/molfs/tool.c $(LIB)/libmolfs.a $(MOLFS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB)/libmolfs.a $(LDFLAGS)

$(BIN)/molfs-test: $(MOLFS_TESTS) $(MOLFS_TEST_HDRS) $(LIB)/libmolfs.a \
		   $(MOLFS_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(MOLFS_TEST_CFLAGS) -o $@ $(MOLFS_TESTS) \
		$(LIB)/libmolfs.a $(LDFLAGS)

# The same suite with the library compiled in, under the sanitizers.
MOLFS_SAN	:= $(shell command -v clang >/dev/null 2>&1 && echo clang)
MOLFS_SAN_FLAGS	:= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=undefined

# (Without dev_moldisk.c, the IPC adapter: the suite does not use libmol.)
MOLFS_SAN_SRCS	:= $(filter-out daemons/molfs/dev_moldisk.c,$(MOLFS_SRCS))

$(BIN)/molfs-test-asan: $(MOLFS_TESTS) $(MOLFS_TEST_HDRS) $(MOLFS_SAN_SRCS) \
			$(MOLFS_HDRS)
	@mkdir -p $(dir $@)
	$(MOLFS_SAN) $(filter-out -O2,$(CFLAGS)) $(MOLFS_SAN_FLAGS) \
		$(MOLFS_TEST_CFLAGS) -o $@ $(MOLFS_TESTS) $(MOLFS_SAN_SRCS) \
		$(LDFLAGS)

.PHONY: fscheck
fscheck: $(BIN)/molfs-test $(BIN)/molfs-tool $(if $(MOLFS_SAN),$(BIN)/molfs-test-asan)
	$(BIN)/molfs-test -d $(BUILD)/fscheck
	$(if $(MOLFS_SAN),ASAN_OPTIONS=detect_leaks=1 $(BIN)/molfs-test-asan -q -d $(BUILD)/fscheck-asan)

# The server: MOL_FS.
MOLFS_SRV_SRCS	:= $(wildcard daemons/molfs/server/*.c) $(MOLFS_IPC_SRCS)
MOLFS_SRV_OBJS	:= $(patsubst daemons/%.c,$(BUILD)/obj/daemons/%.o,\
		   $(MOLFS_SRV_SRCS))
MOLFS_SRV_HDRS	:= $(wildcard daemons/molfs/server/*.h) $(MOLFS_HDRS) \
		   libmol/include/mol.h uapi/linux/molfscalls.h \
		   uapi/linux/molcalls.h uapi/linux/molipc.h

ALL_TARGETS	+= $(BIN)/molfs
INSTALL_BINS	+= molfs

$(BUILD)/obj/daemons/molfs/server/%.o: daemons/molfs/server/%.c \
				       $(MOLFS_SRV_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Idaemons/molfs -c -o $@ $<

$(BIN)/molfs: $(MOLFS_SRV_OBJS) $(LIB)/libmolfs.a $(LIB)/libmol.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(MOLFS_SRV_OBJS) $(LIB)/libmolfs.a \
		$(LIB)/libmol.a

# SPDX-License-Identifier: GPL-2.0
# Daemons: one directory per program under daemons/, listed in DAEMONS.
# For each NAME in DAEMONS, daemons/NAME/*.c link into $(BIN)/NAME with
# libmol; NAME_LIBS / NAME_CFLAGS add what that daemon needs.
# Test targets go to CHECK_TARGETS.

DAEMONS		+= molkernel
INSTALL_BINS	+= molkernel
DAEMONS		+= molsystem molclock molinit molctl
INSTALL_BINS	+= molsystem molclock molinit molctl
DAEMONS		+= molpm
INSTALL_BINS	+= molpm
DAEMONS		+= molhostfs
INSTALL_BINS	+= molhostfs

# molkernel: its own IPC state machine, no libmol; io_uring if available.
molkernel_NOLIBMOL := 1
ifneq ($(wildcard /usr/include/liburing.h),)
molkernel_CFLAGS := -DMOLK_HAVE_URING
molkernel_LIBS	:= -luring
else
molkernel_SRCS_EXCLUDE := daemons/molkernel/loop_uring.c
endif

define daemon_rules
$(1)_SRCS	:= $$(filter-out $$($(1)_SRCS_EXCLUDE),$$(wildcard daemons/$(1)/*.c))
$(1)_OBJS	:= $$(patsubst daemons/%.c,$(BUILD)/obj/daemons/%.o,$$($(1)_SRCS))
ALL_TARGETS	+= $(BIN)/$(1)

$(BUILD)/obj/daemons/$(1)/%.o: daemons/$(1)/%.c $$(wildcard daemons/$(1)/*.h) \
		libmol/include/mol.h $$(wildcard uapi/linux/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$($(1)_CFLAGS) -c -o $$@ $$<

$(BIN)/$(1): $$($(1)_OBJS) $$(if $$($(1)_NOLIBMOL),,$(LIB)/libmol.a)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$($(1)_OBJS) \
		$$(if $$($(1)_NOLIBMOL),,$(LIB)/libmol.a) $$($(1)_LIBS)
endef

# molsystem replays the disks' redo logs at shutdown (molfs's code).
molsystem_CFLAGS := -Idaemons/molfs
molsystem_LIBS	:= $(BUILD)/obj/daemons/molfs/redolog.o

$(foreach d,$(DAEMONS),$(eval $(call daemon_rules,$(d))))

$(BIN)/molsystem: $(BUILD)/obj/daemons/molfs/redolog.o
$(BUILD)/obj/daemons/molsystem/main.o: daemons/molfs/redolog.h


# molk-loopbench: molkernel's epoll and io_uring loops compared
# (Documentation/protocol.md); `make molk-loopbench-run` prints the table.
ALL_TARGETS	+= $(BIN)/molk-loopbench

$(BIN)/molk-loopbench: daemons/molkernel/bench/loopbench.c $(LIB)/libmol.a \
		       libmol/include/mol.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LIB)/libmol.a $(LDFLAGS)

.PHONY: molk-loopbench-run
molk-loopbench-run: $(BIN)/molkernel $(BIN)/molk-loopbench
	$(BIN)/molk-loopbench -k $(BIN)/molkernel -t unix -r 3
	$(BIN)/molk-loopbench -k $(BIN)/molkernel -t udp -r 3

-include tests/fuzz/build.mk

# SPDX-License-Identifier: GPL-2.0
#
# MoL - Minix over Linux.  `make` builds everything, `make check` runs every
# test (host and qemu guest), `make run` runs the demo.  See README.md.

BUILD		?= build
KVER_HOST	:= $(shell uname -r)
# Build against the running kernel when it has headers, else against
# Debian's linux-headers-amd64 (the kernel the qemu guest boots).
ifeq ($(origin KDIR),undefined)
  ifneq ($(wildcard /lib/modules/$(KVER_HOST)/build/Makefile),)
    KDIR := /lib/modules/$(KVER_HOST)/build
  else
    KDIR := $(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64)))
  endif
endif
KVER		?= $(patsubst linux-headers-%,%,$(notdir $(realpath $(KDIR))))
ifeq ($(KVER),build)
  KVER := $(KVER_HOST)
endif
export BUILD KDIR KVER

CC		?= gcc
CFLAGS		?= -O2 -g
CFLAGS		+= -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
		   -D_GNU_SOURCE -Iuapi -Ilibmol/include -I$(BUILD)/include
LDFLAGS		?=

BIN		:= $(BUILD)/bin
LIB		:= $(BUILD)/lib

# Where every fragment adds its outputs.
ALL_TARGETS	:=
CHECK_TARGETS	:=
# Programs `make install` copies (test tools are not installed).
INSTALL_BINS	:=

.PHONY: all deps check run clean module sparse install
all: deps module

deps:
	@sh scripts/deps.sh

include tests/vm/build.mk
include kmod/build.mk
-include libmol/build.mk
-include daemons/build.mk
-include devices/build.mk
-include tests/build.mk
-include tests/ipc/grants.mk
-include tests/fsserver/build.mk
-include tests/hostfs/build.mk
-include tests/files/build.mk
-include tests/fsoracle/build.mk
include tests/demo/build.mk
include tests/bench/build.mk
-include daemons/molfs/build.mk
-include tests/system/build.mk
-include tests/molctl/build.mk
-include tests/tty/build.mk

all: $(ALL_TARGETS)

check: all $(CHECK_TARGETS)
	@echo "make check: all suites passed"

run: all
	@sh scripts/run.sh

# Headers, libraries, pkg-config file and programs under $(DESTDIR)$(PREFIX);
# the module under /lib/modules/$(KVER)/extra when MODULES=1.
install: all install-libmol
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(addprefix $(BIN)/,$(INSTALL_BINS)) $(DESTDIR)$(PREFIX)/bin/
	if [ "$(MODULES)" = 1 ]; then \
		install -D -m 644 $(BUILD)/molipc.ko $(DESTDIR)/lib/modules/$(KVER)/extra/molipc.ko; fi

clean:
	rm -rf $(BUILD)
	$(MAKE) -C kmod -f Kbuild.mk clean 2>/dev/null || true

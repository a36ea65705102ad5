# SPDX-License-Identifier: GPL-2.0
#
# The guest runner's build products (see Documentation/testing.md,
# "The guest runner").  Included by the top-level Makefile, which runs
# from the repository root and normally sets BUILD and KVER.
#
# Targets:
#   vm-initramfs                 $(BUILD)/vm/initramfs-$(KVER).cpio.gz
#                                (and the PVH-bootable vmlinux-$(KVER))
#   $(BUILD)/include/kselftest_harness.h, $(BUILD)/include/kselftest.h
#                                from the Debian linux-source tarball
# Variables for other rules:
#   MOLVM                        the runner: $(MOLVM) SCRIPT [ARGS...]
#   VM_INITRAMFS, KSELFTEST_HDRS the files above

BUILD ?= build
# Same detection as mkinitramfs and molvm: the newest /lib/modules/*-amd64
# that has a /boot/vmlinuz-*.  Evaluated once.
ifeq ($(origin KVER),undefined)
KVER := $(shell for d in $$(printf '%s\n' /lib/modules/*-amd64 | sort -rV); do \
		k=$$(basename "$$d"); \
		if [ -e "/boot/vmlinuz-$$k" ]; then echo "$$k"; break; fi; \
	done)
endif

VM_SRC := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
MOLVM := $(VM_SRC)/molvm
VM_INITRAMFS := $(BUILD)/vm/initramfs-$(KVER).cpio.gz
KSELFTEST_HDRS := $(BUILD)/include/kselftest_harness.h \
	$(BUILD)/include/kselftest.h

.PHONY: vm-initramfs
vm-initramfs: $(VM_INITRAMFS)

# mkinitramfs also checks busybox and the modules itself, and molvm runs
# it before every boot, so this is only the make-visible part.
$(VM_INITRAMFS): $(VM_SRC)/mkinitramfs $(VM_SRC)/init \
		$(wildcard /lib/modules/$(KVER)/modules.dep)
	$(VM_SRC)/mkinitramfs -k '$(KVER)' -o '$@'
	@touch '$@'

# The script extracts both headers when either is missing.
$(BUILD)/include/kselftest_harness.h: scripts/kselftest-headers.sh
	scripts/kselftest-headers.sh '$(BUILD)/include'
	@touch '$@'

$(BUILD)/include/kselftest.h: $(BUILD)/include/kselftest_harness.h
	@test -f '$@' || scripts/kselftest-headers.sh '$(BUILD)/include'

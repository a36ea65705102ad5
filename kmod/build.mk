# SPDX-License-Identifier: GPL-2.0
# molipc.ko, built with Kbuild against $(KDIR); lands in $(BUILD)/molipc.ko.

KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h) uapi/linux/molipc.h kmod/Kbuild

module: $(BUILD)/molipc.ko

# With C=1 (make C=1), sparse checks every module source, built or not.
$(BUILD)/molipc.ko: $(KMOD_SRCS) $(if $(C),FORCE) | deps
	@test -f "$(KDIR)/Makefile" || { echo "no kernel build tree at KDIR=$(KDIR); run scripts/deps.sh or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod $(if $(C),C=2) modules
	@mkdir -p $(BUILD)
	cp kmod/molipc.ko $@

# `make sparse`: the same as `make C=1 module`.
sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod C=2 modules

.PHONY: FORCE
FORCE:

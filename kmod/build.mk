# SPDX-License-Identifier: GPL-2.0
# molipc.ko, built with Kbuild against $(KDIR); lands in $(BUILD)/molipc.ko.

KMOD_SRCS := $(wildcard kmod/*.c kmod/*.h) uapi/linux/molipc.h kmod/Kbuild

module: $(BUILD)/molipc.ko

$(BUILD)/molipc.ko: $(KMOD_SRCS) | deps
	@test -f "$(KDIR)/Makefile" || { echo "no kernel build tree at KDIR=$(KDIR); run scripts/deps.sh or pass KDIR=" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod MOL_UAPI=$(CURDIR)/uapi modules
	@mkdir -p $(BUILD)
	cp kmod/molipc.ko $@

# `make C=1` runs sparse on the module as Kbuild does.
sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod MOL_UAPI=$(CURDIR)/uapi C=2 modules

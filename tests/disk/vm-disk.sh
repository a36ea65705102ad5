#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The disk driver suite over kmod, run INSIDE the qemu guest:
#
#	tests/vm/molvm tests/disk/vm-disk.sh
#
# Loads $BUILD/molipc.ko (unless molipc is already loaded), runs mol-disk
# over kmod (it starts $BUILD/bin/moldisk itself), unloads the module if
# it loaded it, and fails on a kernel complaint in dmesg.  Ends with the
# suite's "disk kmod: N passed, N failed" line and exits non-zero on any
# failure.

set -u

here=$(cd "$(dirname "$0")" && pwd -P)
cd "$here/../.." || exit 2
BUILD=${BUILD:-build}
rc=0
loaded=

dmesg_base=$(dmesg | wc -l)
if [ ! -e /sys/module/molipc ]; then
	insmod "$BUILD/molipc.ko" || { echo "vm-disk: insmod failed"; exit 1; }
	loaded=1
fi
BUILD=$BUILD sh tests/disk/run-disk.sh kmod || rc=1
if [ -n "$loaded" ] && ! rmmod molipc; then
	echo "vm-disk: rmmod molipc failed"
	rc=1
fi
pattern='Oops|WARNING:|BUG:|hung task|lockdep|general protection|KASAN|UBSAN'
pattern="$pattern|refcount_t|Bad page"
if dmesg | tail -n "+$((dmesg_base + 1))" | grep -E -A 30 "$pattern"; then
	echo "vm-disk: the kernel complained"
	rc=1
fi
exit "$rc"

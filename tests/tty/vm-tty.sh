#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The terminal driver suites over the kmod transport: in the qemu guest
# (tests/vm/molvm; run directly when already in one), load molipc.ko,
# run mol-ttycdev and tests/tty/run-tty.sh with MOL_TRANSPORT=kmod,
# unload.  vmcheck runs the same two itself.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}

if [ -z "${MOLVM:-}" ]; then
	exec env MOLVM_ENV="BUILD KDIR KVER" tests/vm/molvm \
		"$top/tests/tty/vm-tty.sh" "$@"
fi
loaded=
if [ ! -e /dev/molipc ]; then
	insmod "$BUILD/molipc.ko" || exit 1
	loaded=1
fi
status=0
MOL_TRANSPORT=kmod "$BUILD/bin/mol-ttycdev" || status=$?
BUILD=$BUILD sh tests/tty/run-tty.sh kmod || status=$?
[ -n "$loaded" ] && rmmod molipc
exit $status

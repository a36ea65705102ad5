#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The hostfs suites over the kmod transport: in the qemu guest
# (tests/vm/molvm; run directly when already in one), load molipc.ko,
# run tests/hostfs/run-hostfs-proto.sh kmod and
# tests/hostfs/run-hostfs.sh kmod, unload.  vmcheck runs the same two.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
export BUILD

if [ -z "${MOLVM:-}" ]; then
	exec env MOLVM_ENV="BUILD KDIR KVER" tests/vm/molvm \
		"$top/tests/hostfs/vm-hostfs.sh" "$@"
fi
loaded=
if [ ! -e /dev/molipc ]; then
	insmod "$BUILD/molipc.ko" || exit 1
	loaded=1
fi
status=0
sh tests/hostfs/run-hostfs-proto.sh kmod || status=$?
sh tests/hostfs/run-hostfs.sh kmod || status=$?
[ -n "$loaded" ] && rmmod molipc
exit $status

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The file-side suite over the kmod transport: in the qemu guest
# (tests/vm/molvm; run directly when already in one), load molipc.ko,
# run tests/files/run-files.sh kmod, unload.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}

if [ -z "${MOLVM:-}" ]; then
	exec env MOLVM_ENV="BUILD KDIR KVER" tests/vm/molvm \
		"$top/tests/files/vm-files.sh" "$@"
fi
loaded=
if [ ! -e /dev/molipc ]; then
	insmod "$BUILD/molipc.ko" || exit 1
	loaded=1
fi
status=0
sh tests/files/run-files.sh kmod || status=$?
[ -n "$loaded" ] && rmmod molipc
exit $status

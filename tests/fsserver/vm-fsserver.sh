#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The FS server suite over the kmod transport: in the qemu guest
# (tests/vm/molvm; run directly when already in one), load molipc.ko,
# run tests/fsserver/run-fsserver.sh kmod, unload.  The suite needs
# mkfs.minix and fsck.minix (util-linux, from the host's root) and a
# writable $TMPDIR (default /tmp) for its images.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
export BUILD

if [ -z "${MOLVM:-}" ]; then
	exec env MOLVM_ENV="BUILD KDIR KVER" tests/vm/molvm \
		"$top/tests/fsserver/vm-fsserver.sh" "$@"
fi
loaded=
if [ ! -e /dev/molipc ]; then
	insmod "$BUILD/molipc.ko" || exit 1
	loaded=1
fi
status=0
sh tests/fsserver/run-fsserver.sh kmod "$@" || status=$?
[ -n "$loaded" ] && rmmod molipc
exit $status

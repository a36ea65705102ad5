#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make run: load molipc.ko and run the MoL demo.  On a host whose running
# kernel is the one the module was built for, this happens right here
# (as root); anywhere else (such as a host that cannot load modules) it
# happens in the qemu guest through tests/vm/molvm.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

if [ -z "${MOLVM:-}" ] && [ "$(uname -r)" != "${KVER:-}" ]; then
	echo "run: host kernel $(uname -r) is not the module's (${KVER:-?}): running in the qemu guest"
	exec tests/vm/molvm scripts/run.sh
fi

loaded=
if [ ! -e /dev/molipc ]; then
	insmod build/molipc.ko
	loaded=1
fi
echo "run: molipc.ko loaded: $(modinfo -F description build/molipc.ko)"
status=0
build/bin/molipc-demo || status=$?
if [ -n "$loaded" ]; then
	rmmod molipc
	echo "run: molipc.ko unloaded"
fi
exit $status

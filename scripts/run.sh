#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make run: MoL's demo.  Loads molipc.ko and shows
#   1. raw IPC through /dev/molipc (molipc-demo: a system task, a server
#      and a client; the module's counters for the instance);
#   2. a MoL instance started with molctl, running an ordinary Linux
#      program as a MoL process whose fork, exec, signals and waits go
#      through the process manager; molctl ps and stat; molctl down.
# On a host whose running kernel is the module's, this happens right here
# (as root); anywhere else (such as a host that cannot load modules) it
# happens in the qemu guest through tests/vm/molvm.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
bin=$BUILD/bin

if [ -z "${MOLVM:-}" ] && [ "$(uname -r)" != "${KVER:-}" ]; then
	echo "run: host kernel $(uname -r) is not the module's (${KVER:-?}): running in the qemu guest"
	exec tests/vm/molvm scripts/run.sh
fi

loaded=
if [ ! -e /dev/molipc ]; then
	insmod "$BUILD/molipc.ko"
	loaded=1
fi
unload() {
	if [ -n "$loaded" ]; then
		rmmod molipc
		echo "run: molipc.ko unloaded"
	fi
}
trap unload EXIT
echo "run: molipc.ko loaded: $(modinfo -F description "$BUILD/molipc.ko")"

echo
echo "=== 1. MINIX IPC through /dev/molipc"
"$bin/molipc-demo"

echo
echo "=== 2. A MoL instance: molctl up, run, ps, stat, down"
"$bin/molctl" --instance demo up --transport kmod
status=0
"$bin/molctl" --instance demo run "$bin/mol-procdemo" || status=$?
echo "run: molctl run exited with $status"
"$bin/molctl" --instance demo ps
"$bin/molctl" --instance demo stat
"$bin/molctl" --instance demo down
exit $status

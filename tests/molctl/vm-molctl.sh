#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The molctl tests in the qemu guest over the kmod transport (called by
# vmcheck; or by hand: tests/vm/molvm tests/molctl/vm-molctl.sh).  Uses
# the build/ binaries and build/molipc.ko (molctl up loads it when
# /dev/molipc is missing); unloads the module again if it was not
# loaded before.
# Env: BUILD (default build).  Exit: the suite's status.

set -u
BUILD=${BUILD:-build}
export BUILD

loaded=0
[ -e /dev/molipc ] && loaded=1
sh "$(dirname "$0")/molctl-test.sh" kmod
rc=$?
if [ $loaded = 0 ] && grep -q '^molipc ' /proc/modules; then
	rmmod molipc || rc=1
fi
exit $rc

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest (tests/vm/molvm): molbench over kmod, udp and unix.
# $1: a directory shared with the host for the results.
set -eu
out=${1:?usage: vmbench.sh OUTDIR}
insmod build/molipc.ko
build/bin/molbench --transports kmod,udp,unix --duration "${MOLBENCH_DURATION:-1}" \
	--json "$out/molbench-guest.json" --plot "$out/molbench-guest.png"
rmmod molipc

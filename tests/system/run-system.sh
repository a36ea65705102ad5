#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The process-manager suite through the launcher: molctl up, molctl run
# build/bin/mol-systest, molctl down, on $MOL_TRANSPORT (default unix).
# Prints the suite's "system: N passed, N failed"; exits non-zero on any
# failure.  Used by `make system-host` and tests/system/vm-system.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
transport=${MOL_TRANSPORT:-unix}
molctl=$BUILD/bin/molctl
name=systest$$

if [ ! -x "$molctl" ]; then
	echo "system: $molctl missing (make)" >&2
	exit 1
fi
base=$(mktemp -d /tmp/mol-system.XXXXXX)
export MOL_RUN_BASE="$base"
unset MOL_TRANSPORT MOL_KERNEL_ADDR MOL_INSTANCE MOL_CONTAINER LD_PRELOAD

cleanup() {
	timeout 30 "$molctl" -i "$name" down >/dev/null 2>&1
	rm -rf "$base"
}
trap cleanup EXIT INT TERM

if ! timeout 30 "$molctl" -i "$name" up --transport "$transport"; then
	echo "system: molctl up ($transport) failed"
	echo "system: 0 passed, 1 failed"
	exit 1
fi
status=0
timeout 300 "$molctl" -i "$name" run "$top/$BUILD/bin/mol-systest" "$@" ||
	status=$?
if [ $status -ne 0 ]; then
	echo "system ($transport): FAILED (status $status)"
	timeout 10 "$molctl" -i "$name" ps || true
	exit 1
fi
echo "system ($transport): all passed"

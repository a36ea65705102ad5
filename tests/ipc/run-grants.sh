#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the grant suite (mol-grants) over one transport: see tests/lib/with-transport.sh.
# Usage: tests/ipc/run-grants.sh kmod|unix|udp
# Env:   BUILD (default build)
set -u
BUILD=${BUILD:-build}
export BUILD
exec sh "$(dirname "$0")/../lib/with-transport.sh" "${1:-}" \
	"$BUILD/bin/mol-grants"

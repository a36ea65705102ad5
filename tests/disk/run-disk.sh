#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the disk driver suite (mol-disk, which starts build/bin/moldisk) over one transport: see tests/lib/with-transport.sh.
# Usage: tests/disk/run-disk.sh kmod|unix|udp
# Env:   BUILD (default build)
set -u
BUILD=${BUILD:-build}
export BUILD
exec sh "$(dirname "$0")/../lib/with-transport.sh" "${1:-}" \
	"$BUILD/bin/mol-disk"

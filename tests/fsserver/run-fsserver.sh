#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the file-server suite (mol-fsserver, which starts $MOLFS, default build/bin/molfs) over one transport: see tests/lib/with-transport.sh.
# Usage: tests/fsserver/run-fsserver.sh kmod|unix|udp
# Env:   BUILD (default build)
set -u
BUILD=${BUILD:-build}
export BUILD
export MOLFS="${MOLFS:-$(cd "$BUILD/bin" && pwd)/molfs}"
exec sh "$(dirname "$0")/../lib/with-transport.sh" "${1:-}" \
	"$BUILD/bin/mol-fsserver"

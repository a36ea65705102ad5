#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the host pass-through server's protocol suite (mol-hostfs, which
# starts $MOLHOSTFS, default build/bin/molhostfs) over one transport: see
# tests/lib/with-transport.sh.
# Usage: tests/hostfs/run-hostfs-proto.sh kmod|unix|udp
# Env:   BUILD (default build)
set -u
BUILD=${BUILD:-build}
export BUILD
export MOLHOSTFS="${MOLHOSTFS:-$(cd "$BUILD/bin" && pwd)/molhostfs}"
exec sh "$(dirname "$0")/../lib/with-transport.sh" "${1:-}" \
	"$BUILD/bin/mol-hostfs"

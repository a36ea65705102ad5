#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages MoL needs to build and test, if missing.
# Idempotent: when everything is installed it only runs one dpkg-query.
#
# Usage: scripts/deps.sh [-n]
#   -n  only list the missing packages (exit 1 if any), install nothing

set -eu

PKGS="linux-headers-amd64 linux-image-amd64 qemu-system-x86 busybox-static
cpio liburing-dev sparse linux-source-6.1 kmod pkg-config gnuplot-nox clang
util-linux trace-cmd xz-utils python3"

dry_run=0
if [ "${1:-}" = "-n" ]; then
	dry_run=1
elif [ $# -gt 0 ]; then
	echo "usage: $0 [-n]" >&2
	exit 2
fi

# One dpkg-query for all packages; unknown packages go to stderr and
# count as missing.
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' $PKGS \
	2>/dev/null || true)

missing=
for p in $PKGS; do
	case "
$installed
" in
	*"
$p installed
"*) ;;
	*) missing="$missing $p" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$dry_run" = 1 ]; then
	echo "missing:$missing"
	exit 1
fi

echo "deps.sh: installing:$missing"

SUDO=
if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null 2>&1 || {
		echo "deps.sh: not root and no sudo; install:$missing" >&2
		exit 1
	}
	SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y \
	--no-install-recommends $missing

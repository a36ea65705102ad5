#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Extract the kselftest harness headers from the Debian linux-source
# tarball into OUTDIR.  They are build inputs only and are never copied
# into the repository.  Does nothing when both headers are present.
#
# Usage: scripts/kselftest-headers.sh OUTDIR
# Env:   LINUX_SOURCE_TARBALL (default /usr/src/linux-source-6.1.tar.xz)

set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi

out=$1
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
hdrs="kselftest_harness.h kselftest.h"

need=0
for h in $hdrs; do
	[ -s "$out/$h" ] || need=1
done
[ "$need" = 0 ] && exit 0

if [ ! -r "$tarball" ]; then
	echo "$0: $tarball not found; run scripts/deps.sh" >&2
	exit 1
fi

# The tarball has a single top directory, e.g. linux-source-6.1/;
# --occurrence=1 lets tar stop once both members are out.
top=$(basename "$tarball" .tar.xz)
members=
for h in $hdrs; do
	members="$members $top/tools/testing/selftests/$h"
done

mkdir -p "$out"
tmp=$(mktemp -d "$out/.kselftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2086
tar -xJf "$tarball" -C "$tmp" -m --strip-components=4 --occurrence=1 \
	$members
for h in $hdrs; do
	mv -f "$tmp/$h" "$out/$h"
done

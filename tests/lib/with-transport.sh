#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run a command (a test suite written against libmol) over one transport.
# For unix and udp a molkernel is started for the run on a private
# address, MOL_TRANSPORT and MOL_KERNEL_ADDR point the command at it, and
# molkernel must still be alive afterwards and stop cleanly on SIGTERM;
# for kmod the module must be loaded (in the qemu guest).  The command
# gets a private TMPDIR, removed afterwards.  Works on the host and in
# the guest.
#
# Usage: tests/lib/with-transport.sh kmod|unix|udp COMMAND [ARGS...]
# Env:   BUILD (default build)
# Exit:  the command's status; 2 on bad usage or when molkernel won't
#        start; 1 when molkernel died or did not stop cleanly.

set -u

BUILD=${BUILD:-build}
bin=$BUILD/bin
transport=${1:-}

case $transport in
kmod|unix|udp) ;;
*)
	echo "usage: $0 kmod|unix|udp COMMAND [ARGS...]" >&2
	exit 2
	;;
esac
shift
if [ $# -eq 0 ]; then
	echo "usage: $0 kmod|unix|udp COMMAND [ARGS...]" >&2
	exit 2
fi
if ! command -v "$1" >/dev/null 2>&1; then
	echo "$0: $1 not found (not built?)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moltransport.XXXXXX") || exit 2
kpid=
cleanup() {
	if [ -n "$kpid" ]; then
		kill "$kpid" 2>/dev/null
		wait "$kpid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The command's temporary files (images, sockets) go away with the run.
mkdir "$tmp/cmd" || exit 2
export TMPDIR="$tmp/cmd"

if [ "$transport" = kmod ]; then
	MOL_TRANSPORT=kmod "$@"
	exit $?
fi

if [ ! -x "$bin/molkernel" ]; then
	echo "$0: $bin/molkernel not built" >&2
	exit 2
fi

# Is a UDP port in use on 127.0.0.1 (or any address)?
udp_busy() {
	hex=$(printf '%04X' "$1")
	grep -q ":$hex " /proc/net/udp 2>/dev/null
}

if [ "$transport" = unix ]; then
	addr=$tmp/molkernel.sock
	listen=unix:$addr
else
	port=$((20000 + $$ % 20000))
	while udp_busy "$port"; do
		port=$((port + 1))
	done
	addr=127.0.0.1:$port
	listen=udp:$addr
fi

"$bin/molkernel" -q -l "$listen" 2>"$tmp/molkernel.log" &
kpid=$!

# Wait until it listens (bounded: qemu without KVM is slow).
i=0
while :; do
	if [ "$transport" = unix ]; then
		[ -S "$addr" ] && break
	else
		udp_busy "$port" && break
	fi
	if ! kill -0 "$kpid" 2>/dev/null; then
		echo "$0: molkernel exited at start:" >&2
		cat "$tmp/molkernel.log" >&2
		kpid=
		exit 2
	fi
	i=$((i + 1))
	if [ $i -gt 200 ]; then
		echo "$0: molkernel does not listen on $listen" >&2
		exit 2
	fi
	sleep 0.1
done

MOL_TRANSPORT=$transport MOL_KERNEL_ADDR=$addr "$@"
rc=$?

# molkernel must still be alive and stop cleanly on SIGTERM.
if ! kill -0 "$kpid" 2>/dev/null; then
	echo "$0: molkernel died during the run:" >&2
	cat "$tmp/molkernel.log" >&2
	kpid=
	exit 1
fi
kill "$kpid"
wait "$kpid"
kst=$?
kpid=
if [ "$kst" -ne 0 ] && [ "$kst" -ne 143 ]; then
	echo "$0: molkernel exited with $kst after SIGTERM:" >&2
	cat "$tmp/molkernel.log" >&2
	[ "$rc" -eq 0 ] && rc=1
fi
exit "$rc"

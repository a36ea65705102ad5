#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Start a molkernel listening on a unix socket and on UDP loopback (each
# event loop in turn), run molk-malformed over both transports, stop it.
# Prints "molkernel-check: N passed, N failed".
set -u

BUILD=${BUILD:-build}
BIN=$BUILD/bin
dir=$(mktemp -d /tmp/molkernel-check.XXXXXX)
port=$((20000 + $$ % 20000))
passed=0
failed=0

for loop in uring epoll; do
	pidfile=$dir/molkernel-$loop.pid
	sock=$dir/molkernel-$loop.sock
	log=$dir/molkernel-$loop.log
	if ! "$BIN/molkernel" --daemon --pidfile "$pidfile" --loop "$loop" \
	    --listen "unix:$sock" --listen "udp:127.0.0.1:$port" \
	    2>"$log"; then
		if grep -q "without liburing" "$log"; then
			echo "molkernel-check: $loop: SKIPPED (no liburing)"
			continue
		fi
		echo "molkernel-check: molkernel ($loop) did not start:"
		cat "$log"
		failed=$((failed + 1))
		continue
	fi
	for t in unix udp; do
		if [ $t = unix ]; then addr=$sock; else addr=127.0.0.1:$port; fi
		if MOL_TRANSPORT=$t MOL_KERNEL_ADDR=$addr \
		    timeout 120 "$BIN/molk-malformed"; then
			passed=$((passed + 1))
		else
			echo "molkernel-check: molk-malformed $t ($loop) failed"
			failed=$((failed + 1))
		fi
	done
	pid=$(cat "$pidfile" 2>/dev/null)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -USR1 "$pid"
		sleep 0.2
		kill "$pid"
	else
		echo "molkernel-check: molkernel ($loop) died:"
		cat "$log"
		failed=$((failed + 1))
	fi
	port=$((port + 1))
done
rm -rf "$dir"
echo "molkernel-check: $passed passed, $failed failed"
[ "$failed" = 0 ]

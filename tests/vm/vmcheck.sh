#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vmcheck.sh - molipc.ko's whole check, run INSIDE the qemu guest:
#
#	tests/vm/molvm tests/vm/vmcheck.sh	(or: make vmcheck)
#
# Loads $BUILD/molipc.ko, runs the module's tests (mol-kmod-test), the
# conformance suite over kmod, the stress test and the fuzzer, then the
# conformance suite over udp against a molkernel started in the guest
# (when molkernel is built), unloads the module (must succeed) and scans
# the kernel log for complaints.  Prints every suite's TAP output and
# ends with one line
#
#	vmcheck: N passed, N failed
#
# where N counts the individual tests of each suite plus the rmmod and
# dmesg checks.  Exits non-zero on any "not ok", a suite that crashed or
# timed out, a failed rmmod or a kernel complaint.
#
# Env: BUILD (default build); MOL_STRESS_MSGS (default 100000),
# MOL_FUZZ_CALLS (default 100000) to shorten the run.

set -u

here=$(cd "$(dirname "$0")" && pwd -P)
cd "$here/../.." || exit 2
BUILD=${BUILD:-build}
bin=$BUILD/bin
ko=$BUILD/molipc.ko

passed=0
failed=0
tmp=$(mktemp -d /tmp/vmcheck.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT

pass() {
	passed=$((passed + 1))
	echo "ok - vmcheck: $*"
}

fail() {
	failed=$((failed + 1))
	echo "not ok - vmcheck: $*"
}

# run NAME TIMEOUT COMMAND...: run a TAP-speaking suite, count its tests.
# A suite that exits non-zero without a "not ok", crashes, times out or
# reports fewer tests than it planned counts as failures too.
run() {
	name=$1
	tmo=$2
	shift 2
	out=$tmp/$name.out
	echo "=== $name: $*"
	{
		timeout -k 10 "$tmo" "$@" 2>&1
		echo $? >"$tmp/$name.rc"
	} | tee "$out"
	rc=$(cat "$tmp/$name.rc")
	ok=$(grep -c '^ok ' "$out")
	nok=$(grep -c '^not ok ' "$out")
	if [ "$ok" = 0 ] && [ "$nok" = 0 ]; then
		# No TAP lines: take the suite's closing "N passed, N failed".
		counts=$(sed -n 's/^.*: \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' "$out" | tail -n 1)
		if [ -n "$counts" ]; then
			ok=${counts% *}
			nok=${counts#* }
		fi
	fi
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$out" | head -n 1)
	passed=$((passed + ok))
	failed=$((failed + nok))
	if [ -n "$plan" ] && [ $((ok + nok)) -lt "$plan" ]; then
		fail "$name: only $((ok + nok)) of $plan tests reported"
	fi
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		fail "$name: timed out after ${tmo}s"
	elif [ "$rc" != 0 ] && [ "$nok" = 0 ]; then
		fail "$name: exited with status $rc"
	fi
	echo "=== $name: $ok passed, $nok failed (exit $rc)"
}

for f in "$ko" "$bin/mol-kmod-test" "$bin/mol-conformance" \
	 "$bin/mol-stress" "$bin/mol-fuzz" "$bin/mol-grants" \
	 "$bin/molkernel" "$bin/molctl" "$bin/mol-systest" \
	 "$bin/molipc-demo" "$bin/mol-disk" "$bin/mol-fsserver" \
	 "$bin/mol-filetest" "$bin/molfs" "$bin/molhostfs" \
	 "$bin/mol-hostfs"; do
	if [ ! -e "$f" ]; then
		echo "vmcheck: $f missing: build first (make all)" >&2
		echo "vmcheck: 0 passed, 1 failed"
		exit 1
	fi
done

if ! mountpoint -q /sys/kernel/debug 2>/dev/null; then
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
fi

# Only what the kernel says from now on counts.
dmesg_base=$(dmesg | wc -l)

echo "=== insmod $ko"
if ! insmod "$ko"; then
	fail "insmod $ko"
	echo "vmcheck: $passed passed, $failed failed"
	exit 1
fi
echo "=== module parameters"
modinfo -p "$ko" 2>/dev/null
for p in /sys/module/molipc/parameters/*; do
	[ -r "$p" ] && echo "$(basename "$p") = $(cat "$p")"
done

export MOL_TRANSPORT=kmod
run kmod-test 600 "$bin/mol-kmod-test"
run conformance-kmod 600 "$bin/mol-conformance"
run grants-kmod 600 "$bin/mol-grants"
export MOL_STRESS_TIMEOUT=${MOL_STRESS_TIMEOUT:-400}
run stress 480 "$bin/mol-stress"
export MOL_FUZZ_TIMEOUT=${MOL_FUZZ_TIMEOUT:-400}
run fuzz 480 "$bin/mol-fuzz"

export BUILD
run conformance-udp 600 sh tests/vm/vmrun-conformance.sh udp
run grants-udp 600 sh tests/ipc/run-grants.sh udp
run molctl-kmod 600 sh tests/molctl/vm-molctl.sh
run system-kmod 600 sh tests/system/vm-system.sh
run disk-kmod 600 sh tests/disk/run-disk.sh kmod
run fsserver-kmod 600 sh tests/fsserver/run-fsserver.sh kmod
run files-kmod 900 sh tests/files/run-files.sh kmod
# Linux's minix.ko reads what molfs wrote, molfs reads what minix.ko wrote.
run fsoracle-minix 600 sh tests/fsoracle/vm-minix.sh
run ttycdev-kmod 300 "$bin/mol-ttycdev"
run tty-kmod 300 sh tests/tty/run-tty.sh kmod
run hostfs-kmod 300 sh tests/hostfs/run-hostfs-proto.sh kmod
run hostfs-run-kmod 300 sh tests/hostfs/run-hostfs.sh kmod

# Tracepoints: every IPC operation shows up in tracefs (what trace-cmd
# and perf read).
echo "=== tracepoints"
tr=/sys/kernel/tracing
[ -d "$tr/events" ] || tr=/sys/kernel/debug/tracing
if [ -d "$tr/events/molipc" ]; then
	echo > "$tr/trace"
	echo 1 > "$tr/events/molipc/enable"
	"$bin/molipc-demo" > "$tmp/demo.out" 2>&1
	demo_rc=$?
	echo 0 > "$tr/events/molipc/enable"
	missing=
	for ev in molipc_call molipc_return molipc_deliver molipc_death; do
		grep -q " $ev:" "$tr/trace" || missing="$missing $ev"
	done
	grep -m 3 " molipc_deliver:" "$tr/trace"
	if [ "$demo_rc" = 0 ] && [ -z "$missing" ]; then
		pass "tracepoints: every molipc event recorded"
	else
		fail "tracepoints: demo exit $demo_rc, missing:$missing"
	fi
	echo > "$tr/trace"
else
	fail "tracepoints: $tr/events/molipc does not exist"
fi

echo "=== rmmod molipc"
if rmmod molipc && [ ! -e /sys/module/molipc ]; then
	pass "rmmod molipc"
else
	fail "rmmod molipc"
fi

echo "=== kernel log"
dmesg | tail -n "+$((dmesg_base + 1))" >"$tmp/dmesg"
pattern='Oops|WARNING:|BUG:|hung task|lockdep|general protection|KASAN|UBSAN|refcount_t'
if grep -Eq "$pattern" "$tmp/dmesg"; then
	grep -E -A 30 "$pattern" "$tmp/dmesg" | head -n 200
	fail "kernel complained: $(grep -Ec "$pattern" "$tmp/dmesg") lines match"
else
	pass "no kernel complaint"
fi

echo "vmcheck: $passed passed, $failed failed"
[ "$failed" = 0 ]

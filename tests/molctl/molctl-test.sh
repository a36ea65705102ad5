#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# molctl end-to-end tests over one transport: up/down, two instances
# side by side, run (exit status, signals, stdin/stdout, cwd, env), ps,
# stat, bad options, and the system task's checks (molctl-systest as a
# stand-in PM and as an unprivileged probe).  Needs root.
#
# Usage: tests/molctl/molctl-test.sh kmod|unix|udp
# Env:   BUILD (default build)
# Prints "molctl: N passed, N failed"; exits 1 if any failed.

set -u

BUILD=${BUILD:-build}
bin=$(cd "$BUILD/bin" && pwd) || exit 2
transport=${1:-unix}
M=$bin/molctl

case $transport in
kmod|unix|udp) ;;
*) echo "usage: $0 kmod|unix|udp" >&2; exit 2 ;;
esac
if [ "$(id -u)" != 0 ]; then
	echo "molctl: skipped (needs root to create instances)"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/molctl.XXXXXX") || exit 2
export MOL_RUN_BASE=$tmp/run
A=ta$$
B=tb$$
pass=0
fail=0

cleanup() {
	for i in $A $B; do
		[ -f "$MOL_RUN_BASE/$i/state" ] && "$M" -i $i down >/dev/null 2>&1
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "not ok $*"; }

# expect STATUS PATTERN DESC -- CMD...: exit status and output (grep -E).
expect() {
	want=$1 pat=$2 desc=$3
	shift 4
	"$@" >"$tmp/out" 2>&1 </dev/null
	got=$?
	if [ "$got" != "$want" ]; then
		bad "$desc: exit $got, wanted $want"; sed 's/^/     | /' "$tmp/out"
	elif [ -n "$pat" ] && ! grep -Eq -- "$pat" "$tmp/out"; then
		bad "$desc: output does not match /$pat/"
		sed 's/^/     | /' "$tmp/out"
	else
		ok "$desc"
	fi
}

echo "# molctl tests over $transport"

# --- the container outside MoL: a clear error, never a hang ------------
so=$(cd "$(dirname "$0")/../.." && pwd)/$BUILD/lib/libmol.so
expect 127 "not started by MoL.*molctl run" "preloaded without MoL -> 127" -- \
	env -u MOL_CONTAINER LD_PRELOAD="$so" timeout 20 /bin/true
expect 127 "without MOL_INSTANCE" "MOL_CONTAINER=1 without instance -> 127" \
	-- env MOL_CONTAINER=1 LD_PRELOAD="$so" timeout 20 /bin/true
expect 127 "cannot reach the MoL IPC" "no IPC transport there -> 127" -- \
	env MOL_CONTAINER=1 MOL_INSTANCE=99 MOL_TRANSPORT=unix \
	MOL_KERNEL_ADDR="$tmp/none.sock" LD_PRELOAD="$so" timeout 20 /bin/true

# --- bad usage -------------------------------------------------------
expect 2 "Usage" "no command" -- "$M"
expect 0 "Commands" "--help" -- "$M" --help
expect 2 "unknown command 'frob'" "unknown command" -- "$M" frob
expect 2 "unknown option" "unknown option" -- "$M" --frob
expect 2 "bad instance name" "bad instance name" -- "$M" -i 'a/b' ps
expect 2 "needs a NAME" "--instance without NAME" -- "$M" ps --instance
expect 2 "bad transport 'carrier-pigeon'" "bad transport" -- \
	"$M" -i $A up --transport carrier-pigeon
expect 2 "bad --nr-procs" "bad --nr-procs" -- "$M" -i $A up --nr-procs 3
expect 2 "bad --hz" "bad --hz" -- "$M" -i $A up --hz 0
expect 2 "No such file" "missing config file" -- \
	"$M" -i $A up --config "$tmp/none.ini"
printf '[instance]\nnr_procs = lots\n' >"$tmp/bad1.ini"
expect 2 "bad1.ini:2: bad value 'lots' for nr_procs" "bad config value" -- \
	"$M" -i $A up --config "$tmp/bad1.ini"
printf '[instance]\ncolour = blue\n' >"$tmp/bad2.ini"
expect 2 "bad2.ini:2: unknown key 'colour'" "unknown config key" -- \
	"$M" -i $A up --config "$tmp/bad2.ini"
printf '[floppies]\n' >"$tmp/bad3.ini"
expect 2 "unknown section \\[floppies\\]" "unknown config section" -- \
	"$M" -i $A up --config "$tmp/bad3.ini"
expect 2 "unexpected argument" "up: extra argument" -- "$M" -i $A up extra
expect 2 "root disk has no mount point" "up: root disk with a mount point" \
	-- "$M" -i $A up --disk "$tmp/root.img:/mnt"
expect 2 "cannot mount on /" "up: second disk mounted on /" -- \
	"$M" -i $A up --disk "$tmp/root.img" --disk "$tmp/data.img:/"
expect 2 "bad disk ':/mnt': no image" "up: disk without image" -- \
	"$M" -i $A up --disk "$tmp/root.img" --disk ":/mnt"
expect 1 "disk image $tmp/none.img: No such file" "up: missing second disk" \
	-- "$M" -i $A up --disk "$tmp/bad1.ini" --disk "$tmp/none.img:/mnt"
printf '[disks]\ndriver = maybe\n' >"$tmp/bad4.ini"
expect 2 "bad4.ini:2: bad value 'maybe' for driver \\(yes or no\\)" \
	"bad [disks] driver" -- "$M" -i $A up --config "$tmp/bad4.ini"
printf '[disks]\nroot = %s:/x\n' "$tmp/bad1.ini" >"$tmp/bad5.ini"
expect 2 "root disk has no mount point" "config: root with a mount point" \
	-- "$M" -i $A up --config "$tmp/bad5.ini"
expect 0 "no-disk-driver" "up --help: --no-disk-driver" -- "$M" up --help
expect 1 "is not up" "ps of an instance that is not up" -- "$M" -i $A ps
expect 1 "is not up" "down of an instance that is not up" -- "$M" -i $A down
expect 1 "is not up" "run on an instance that is not up" -- \
	"$M" -i $A run /bin/true
expect 2 "missing PROGRAM" "run without PROGRAM" -- "$M" -i $A run

# --- instance A: the real PM (if built), B: the stand-in PM -------------
if [ -x "$bin/molpm" ]; then
	printf '[instance]\ntransport = %s\nhz = 100\n' "$transport" \
		>"$tmp/a.ini"
else
	printf '[instance]\ntransport = %s\n[servers]\npm = %s\ncontainer = no\n' \
		"$transport" "$bin/molctl-systest" >"$tmp/a.ini"
fi
printf '[instance]\ntransport = %s\nnr_procs = 64\n[servers]\npm = %s\ncontainer = no\n' \
	"$transport" "$bin/molctl-systest" >"$tmp/b.ini"

expect 0 "instance '$A' up: transport $transport" "up A" -- \
	"$M" -i $A up --config "$tmp/a.ini"
expect 0 "" "state file of A" -- grep -q "^transport = $transport" \
	"$MOL_RUN_BASE/$A/state"
expect 1 "already up" "up A twice" -- "$M" -i $A up --transport $transport
export SYSTEST_LOG=$tmp/systest.log
expect 0 "instance '$B' up" "up B beside A" -- \
	"$M" -i $B up --config "$tmp/b.ini"
unset SYSTEST_LOG

# --- run ---------------------------------------------------------------
expect 0 "" "run /bin/true -> 0" -- "$M" -i $A run /bin/true
expect 1 "" "run /bin/false -> 1" -- "$M" -i $A run false
expect 3 "" "run sh -c 'exit 3' -> 3" -- "$M" -i $A run sh -c 'exit 3'
expect 143 "" "killed by SIGTERM -> 143" -- \
	"$M" -i $A run sh -c 'kill -TERM $$'
expect 137 "" "killed by SIGKILL -> 137" -- \
	"$M" -i $A run sh -c 'kill -KILL $$'
expect 127 "command not found" "run a missing program -> 127" -- \
	"$M" -i $A run no-such-program-here
out=$(echo hi | "$M" -i $A run cat 2>&1)
[ "$out" = hi ] && ok "stdin/stdout: echo hi | molctl run cat" ||
	bad "stdin/stdout: got '$out'"
out=$("$M" -i $A run sh -c 'echo err >&2' 2>&1 >/dev/null)
[ "$out" = err ] && ok "stderr passed" || bad "stderr: got '$out'"
out=$(cd "$tmp" && "$M" -i $A run pwd 2>&1)
[ "$out" = "$tmp" ] && ok "cwd passed" || bad "cwd: got '$out'"
out=$(MOLTEST_VAR=xyz "$M" -i $A run sh -c 'echo $MOLTEST_VAR' 2>&1)
[ "$out" = xyz ] && ok "environment passed" || bad "environment: got '$out'"
out=$("$M" -i $A run sh -c 'echo $MOL_INSTANCE_NAME' 2>&1)
[ "$out" = "$A" ] && ok "program gets the instance's MOL_* variables" ||
	bad "MOL_INSTANCE_NAME: got '$out'"
out=$("$M" -i $B run sh -c 'echo $MOL_INSTANCE_NAME' 2>&1)
[ "$out" = "$B" ] && ok "run on B runs in B" || bad "run on B: got '$out'"

# --- ps and stat ----------------------------------------------------------
"$M" -i $A run sleep 30 >/dev/null 2>&1 &
runpid=$!
i=0
while [ $i -lt 50 ]; do
	"$M" -i $A ps >"$tmp/ps" 2>&1
	# IPC states are transient: wait for the steady ones.
	grep -q sleep "$tmp/ps" &&
		grep -Eq " PM .*receiving from ANY" "$tmp/ps" && break
	i=$((i + 1)); sleep 0.1
done
sed 's/^/     | /' "$tmp/ps"
expect 0 " PM .*receiving from ANY" "ps: PM receiving" -- cat "$tmp/ps"
expect 0 " INIT .* init " "ps: init" -- cat "$tmp/ps"
expect 0 " CLOCK .*clock" "ps: clock task" -- cat "$tmp/ps"
expect 0 " SYSTEM .*system" "ps: system task" -- cat "$tmp/ps"
expect 0 " sleep +(running|receiving|waiting)" "ps: the running program" -- \
	cat "$tmp/ps"
expect 1 "" "ps of B does not show A's program" -- \
	sh -c "'$M' -i $B ps | grep -q sleep"
expect 0 "SENT +RECEIVED +NOTIFIES +ERRORS" "stat header" -- "$M" -i $A stat
expect 0 "SYSTEM +system +[0-9]+ +[0-9]+" "stat: system row" -- "$M" -i $A stat
# SIGTERM to molctl run is forwarded to the program.
kill -TERM $runpid
wait $runpid
st=$?
[ $st = 143 ] && ok "signal forwarded by molctl run (143)" ||
	bad "signal forwarding: exit $st"

# --- the system task ------------------------------------------------------
i=0
while [ $i -lt 50 ] && ! grep -q "^systest:" "$tmp/systest.log" 2>/dev/null
do
	i=$((i + 1)); sleep 0.1
done
sed 's/^/     | /' "$tmp/systest.log" 2>/dev/null
expect 0 "^systest: 0 failed" "kernel calls from a server (stand-in PM)" -- \
	cat "$tmp/systest.log"
expect 0 "" "user endpoint: every kernel call -> EPERM" -- \
	"$bin/molctl-systest" probe "$MOL_RUN_BASE/$B"
expect 0 " PM .*pmstub" "ps of B: PM_PROCTAB rows" -- "$M" -i $B ps

# --- down; death of PM shuts the instance down ------------------------------
expect 0 "instance '$A' down" "down A" -- "$M" -i $A down
[ ! -e "$MOL_RUN_BASE/$A" ] && ok "run directory of A removed" ||
	bad "run directory of A left"
expect 0 "" "B still up after A went down" -- "$M" -i $B run /bin/true
pmpid=$("$M" -i $B ps | awk '$2 == "PM" { print $5 }')
syspid=$(sed -n 's/^molsystem_pid = //p' "$MOL_RUN_BASE/$B/state")
kill -KILL "$pmpid" 2>/dev/null
i=0
while [ $i -lt 100 ] && kill -0 "$syspid" 2>/dev/null &&
      ! grep -q "^[^ ]* *[0-9]* Z" "/proc/$syspid/stat" 2>/dev/null; do
	i=$((i + 1)); sleep 0.1
done
expect 0 "pm .* died.*shutting down" "death of PM shuts B down" -- \
	cat "$MOL_RUN_BASE/$B/molsystem.log"
expect 0 "instance '$B' down" "down B after its PM died" -- "$M" -i $B down
expect 0 "" "no processes left" -- sh -c \
	"! ps -eo args | grep -E '$tmp/run/(ta|tb)' | grep -v grep | grep -q ."

echo "molctl: $pass passed, $fail failed"
[ $fail = 0 ]

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Crash consistency of MoL's file system: a write-heavy workload under
# `molctl run` on a fresh image, `kill -9` of molfs (or of moldisk) in
# the middle, then `molctl down`, and the image checked from outside:
#
#  - `fsck.minix -f` must exit 0, every round, no exception.
#    Documentation/filesystem.md ("Buffer cache and write ordering"):
#    molfs never writes back in the middle of a request, and each
#    write-back is one all-or-nothing batch through the image's redo log
#    (IMAGE.mollog; in moldisk with the disk driver, in molfs's own image
#    device without), so the image always holds the tree as it was
#    between two requests.  A batch cut short by the kill is replayed by
#    `molctl down` (molsystem, once the servers are gone): after it, the
#    log must be empty or gone.
#  - Every file the workload wrote before a `sync` (or a file written
#    with `dd conv=fsync`) that returned before the kill must be intact
#    (molfs-tool cat, sha256 against the same data made on the host).
#    The workload says on stdout (a host file) what it has synced, so
#    the manifest is what the program saw acknowledged.
#  - The workload must end by itself once its server is gone (no hang),
#    and `molctl down` must succeed.
#
# Several rounds kill at different moments: quiet ones while the
# workload sleeps right after a sync, busy ones while it writes more
# than the cache holds; molfs over moldisk (kill FS, kill DISK) and
# molfs on the image itself (--no-disk-driver, kill FS).
#
#   tests/fsoracle/crash.sh [unix|udp|kmod]   (default unix)
#
# Prints ok/not ok lines and "fsoracle-crash: N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
transport=${1:-unix}
suite=fsoracle-crash
. "$top/tests/fsoracle/lib.sh"
need molctl molsystem molfs molfs-tool molkernel
if ! command -v fsck.minix >/dev/null; then
	echo "$suite: fsck.minix (util-linux) missing"
	echo "$suite: 0 passed, 1 failed"
	exit 1
fi

work=$(mktemp -d /tmp/fsoracle-crash.XXXXXX)
export MOL_RUN_BASE="$work/run"
inst=fsocrash$$
wpid=
loaded=
cleanup() {
	[ -n "$wpid" ] && kill "$wpid" 2>/dev/null
	moldown
	[ -n "$loaded" ] && rmmod molipc 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
	echo "$suite: $pass passed, $fail failed"
	[ $fail = 0 ]
	exit
}

if [ "$transport" = kmod ] && [ ! -e /dev/molipc ]; then
	if insmod "$BUILD/molipc.ko"; then loaded=1; else
		bad "insmod $BUILD/molipc.ko"; finish; fi
fi

# The workload, under MoL, in /c: phase K writes 12 files pK/fI (seq
# output, 20 bytes to 150 KiB), runs `sync` and prints "synced K"; then
# writes pK/fsynced with dd conv=fsync and prints "fsynced K"; then
# churns files nobody checks (a 2.7 MB file rewritten, so that the
# server writes back between requests, over its high-water mark; files
# created and removed, a directory renamed) and goes on.  Synced files
# are never touched again.
WORKLOAD='cd / && mkdir c && cd c || exit 1
k=1
while [ $k -le 200 ]; do
	mkdir p$k
	i=0
	while [ $i -lt 12 ]; do
		seq $((k * 1000 + i)) $((k * 1000 + i * i * i * 12)) > p$k/f$i || exit 1
		i=$((i + 1))
	done
	sync || exit 1
	echo "synced $k"
	[ $k = "${QUIET:-0}" ] && sleep 3
	seq $k $((k + 3000)) | dd of=p$k/fsynced bs=4096 conv=fsync status=none || exit 1
	echo "fsynced $k"
	mkdir -p u/tmp
	seq $k 400000 > u/big || exit 1
	i=0
	while [ $i -lt 8 ]; do echo "$k $i" > u/tmp/n$i; i=$((i + 1)); done
	rm -f u/tmp/n1 u/tmp/n5
	mv u/tmp u/tmp.$k && mv u/tmp.$k u/old.$k
	k=$((k + 1))
done'

# expect_sum K I: sha256 of what pK/fI must hold (computed once).
mkdir -p "$work/sums"
expect_sum() {
	[ -s "$work/sums/$1.$2" ] ||
		seq $(($1 * 1000 + $2)) $(($1 * 1000 + $2 * $2 * $2 * 12)) |
		sha256sum | cut -c1-64 >"$work/sums/$1.$2"
	cat "$work/sums/$1.$2"
}
expect_fsynced() {
	[ -s "$work/sums/$1.s" ] ||
		seq $1 $(($1 + 3000)) | sha256sum | cut -c1-64 >"$work/sums/$1.s"
	cat "$work/sums/$1.s"
}

# server_pid NAME: the Linux pid of endpoint NAME (FS, DISK) in molctl ps.
server_pid() {
	timeout 10 "$molctl" -i "$inst" ps 2>/dev/null |
	awk -v n="$1" '$2 == n { print $5; exit }'
}

# round NAME VICTIM AFTER DELAY [quiet|direct]: bring up an instance,
# start the workload, wait until it printed "synced AFTER", sleep DELAY
# seconds, kill -9 VICTIM (FS or DISK), then check everything.  quiet:
# the workload sleeps 3 s after sync AFTER, so the kill comes when
# nothing was written since.  direct: no disk driver (molfs writes the
# image and its redo log itself).
round() {
	rname=$1; victim=$2; after=$3; delay=$4; quiet=; nodrv=
	case ${5:-} in
	quiet) quiet=1 ;;
	direct) nodrv=--no-disk-driver ;;
	esac
	img=$work/$rname.img
	"$molctl" mkimage "$img" 64M >/dev/null ||
		{ bad "$rname: mkimage"; return; }
	if ! timeout 60 "$molctl" -i "$inst" up --transport "$transport" \
		--disk "$img" $nodrv >"$work/up.log" 2>&1; then
		bad "$rname: molctl up --disk $nodrv"
		sed 's/^/#   /' "$work/up.log"
		return
	fi
	vpid=$(server_pid "$victim")
	if [ -z "$vpid" ]; then
		moldown
		if [ "$victim" = DISK ]; then
			echo "# $suite: $rname: SKIPPED: no DISK endpoint in molctl ps (molctl does not start moldisk)"
		else
			bad "$rname: no $victim endpoint in molctl ps"
		fi
		return 1
	fi
	out=$work/$rname.out
	: >"$out"
	q=0
	[ -n "$quiet" ] && q=$after
	timeout -k 5 120 "$molctl" -i "$inst" run env QUIET=$q sh -c "$WORKLOAD" \
		>"$out" 2>"$work/$rname.err" </dev/null &
	wpid=$!
	n=0
	while ! grep -qx "synced $after" "$out" && [ $n -lt 600 ]; do
		kill -0 $wpid 2>/dev/null || break
		sleep 0.05
		n=$((n + 1))
	done
	if ! grep -qx "synced $after" "$out"; then
		bad "$rname: the workload did not reach sync $after: $(head -c 300 "$work/$rname.err")"
		kill $wpid 2>/dev/null; wait $wpid; wpid=
		moldown
		return
	fi
	sleep "$delay"
	# What was acknowledged before the kill (the workload may print
	# more while we kill; only what is in the file now counts).
	cp "$out" "$work/$rname.acked"
	if kill -9 "$vpid"; then ok "$rname: kill -9 $victim (pid $vpid) after sync $after + ${delay}s"
	else bad "$rname: kill -9 $victim (pid $vpid)"; fi
	# The workload must end by itself (its calls fail once FS is gone).
	n=0
	while kill -0 $wpid 2>/dev/null && [ $n -lt 200 ]; do
		sleep 0.1; n=$((n + 1))
	done
	if kill -0 $wpid 2>/dev/null; then
		bad "$rname: the workload still runs 20 s after the kill"
		kill $wpid 2>/dev/null
	else
		ok "$rname: the workload ended after the kill"
	fi
	wait $wpid 2>/dev/null
	wpid=
	timeout 60 "$molctl" -i "$inst" down >"$work/down.log" 2>&1
	check "$rname: molctl down" $? "$(cat "$work/down.log")"
	if [ -s "$img.mollog" ]; then
		bad "$rname: molctl down left a non-empty redo log ($(wc -c <"$img.mollog") bytes)"
	else
		ok "$rname: no redo log left to replay after molctl down"
	fi
	fsck.minix -f "$img" >"$work/fsck.log" 2>&1
	st=$?
	if [ $st = 0 ]; then ok "$rname: fsck.minix -f clean after the kill"
	else
		bad "$rname: fsck.minix -f exit $st after the kill:"
		sed -n '1,25s/^/#   /p' "$work/fsck.log"
	fi
	# Every synced file intact: all of them in one molfs-tool cat
	# against the same data made here; file by file only on a mismatch.
	last=$(sed -n 's/^synced //p' "$work/$rname.acked" | tail -n 1)
	lastf=$(sed -n 's/^fsynced //p' "$work/$rname.acked" | tail -n 1)
	: >"$work/bad"
	: >"$work/paths"
	k=1
	while [ $k -le "$last" ]; do
		i=0
		while [ $i -lt 12 ]; do
			echo "$k $i /c/p$k/f$i" >>"$work/paths"
			i=$((i + 1))
		done
		[ $k -le "${lastf:-0}" ] && echo "$k s /c/p$k/fsynced" >>"$work/paths"
		k=$((k + 1))
	done
	nfiles=$(wc -l <"$work/paths")
	want=$(while read -r k i p; do
		if [ "$i" = s ]; then seq $k $((k + 3000))
		else seq $((k * 1000 + i)) $((k * 1000 + i * i * i * 12)); fi
	done <"$work/paths" | sha256sum | cut -c1-64)
	got=$("$tool" "$img" cat $(cut -d' ' -f3 "$work/paths") 2>/dev/null |
		sha256sum | cut -c1-64)
	if [ "$got" != "$want" ]; then
		while read -r k i p; do
			got=$("$tool" "$img" cat "$p" 2>/dev/null | sha256sum | cut -c1-64)
			if [ "$i" = s ]; then w=$(expect_fsynced $k)
			else w=$(expect_sum $k $i); fi
			[ "$got" = "$w" ] || echo "$p" >>"$work/bad"
		done <"$work/paths"
		[ -s "$work/bad" ] || echo "(the files together)" >"$work/bad"
	fi
	if [ -s "$work/bad" ]; then
		bad "$rname: $(wc -l <"$work/bad") of $nfiles synced files damaged or missing: $(head -n 5 "$work/bad" | tr '\n' ' ')"
	else
		ok "$rname: all $nfiles files synced before the kill are intact (synced $last, fsynced ${lastf:-0})"
	fi
	return 0
}

round fs-early FS 1 0
round fs-quiet FS 2 0.5 quiet
round fs-busy FS 3 0.9
round direct-busy FS 2 0.7 direct
if round disk-quiet DISK 2 0.5 quiet; then
	round disk-busy DISK 2 0.6
	round disk-busy2 DISK 3 1.2
fi
finish

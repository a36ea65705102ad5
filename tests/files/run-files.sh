#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The container's file side through the launcher, on transport $1
# (default $MOL_TRANSPORT, else unix).  The workload runs twice:
#   driver    molctl up --disk ROOT --disk DATA:/mnt/data --disk SPARE:
#             the default data path, program -> molfs -> moldisk ->
#             image (molfs --disk 0), DATA mounted on /mnt/data, SPARE
#             an unmounted minor;
#   nodriver  the same from a config file with [disks] driver = no:
#             molfs opens the root image itself, no moldisk.
# Each time: fresh images (molctl mkimage), build/bin/mol-filetest
# (copied into the image) on the root and on the mounted image,
# build/bin/mol-glibctest (copied too) compared with its run on the
# host, real programs (cat, wc, ls,
# mkdir -p, sh with redirections and a pipe, rm -r, cp, mv across the
# mount) as MoL processes, molctl down, then fsck.minix -f of both
# images and their contents checked with molfs-tool.  Prints "files
# TRANSPORT: N passed, N failed"; exits non-zero on any failure.  Used
# by `make files-check` and tests/files/vm-files.sh.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
transport=${1:-${MOL_TRANSPORT:-unix}}
bin=$top/$BUILD/bin
molctl=$bin/molctl
tool=$bin/molfs-tool
name=files$$
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "files $transport: FAIL: $*"; }
# expect WHAT EXPECTED ACTUAL
expect() {
	if [ "$2" = "$3" ]; then ok; else
		bad "$1: expected '$2', got '$3'"; fi
}

for b in molctl molsystem molfs moldisk molfs-tool mol-filetest mol-glibctest
do
	if [ ! -x "$bin/$b" ]; then
		echo "files $transport: $bin/$b missing (make)"
		echo "files $transport: 0 passed, 1 failed"
		exit 1
	fi
done
if ! command -v mkfs.minix >/dev/null || ! command -v fsck.minix >/dev/null
then
	echo "files $transport: SKIPPED: mkfs.minix/fsck.minix (util-linux) missing"
	exit 0
fi
base=$(mktemp -d /tmp/mol-files.XXXXXX)
export MOL_RUN_BASE="$base/run"
unset MOL_TRANSPORT MOL_KERNEL_ADDR MOL_INSTANCE MOL_CONTAINER MOL_FS \
	LD_PRELOAD
img=$base/root.img
data=$base/data.img
spare=$base/spare.img

cleanup() {
	timeout 30 "$molctl" -i "$name" down >/dev/null 2>&1
	rm -rf "$base"
}
trap cleanup EXIT INT TERM

run() { timeout 60 "$molctl" -i "$name" run "$@"; }

# images: fresh root (with /data.txt put from the host), data and spare.
images() {
	if "$molctl" mkimage "$img" 32M >/dev/null &&
	   "$molctl" mkimage "$data" 8M >/dev/null &&
	   "$molctl" mkimage "$spare" 1M >/dev/null; then ok; else
		bad "mkimage"; fi
	"$tool" "$img" put "$base/data.txt" /data.txt >/dev/null ||
		bad "molfs-tool put"
	# the C suite is a program of the image (no host fallback)
	"$tool" "$img" put "$bin/mol-filetest" /mol-filetest >/dev/null ||
		bad "molfs-tool put mol-filetest"
	"$tool" "$img" put "$bin/mol-glibctest" /mol-glibctest >/dev/null ||
		bad "molfs-tool put mol-glibctest"
}

# The root's names: ours and the mount points of the host's program
# directories (molhostfs), those that exist on this host.
hostdirs=$(for d in bin sbin usr lib lib64; do
	[ -d "/$d" ] && echo "$d"; done
	[ -d /etc/alternatives ] && echo etc)
rootnames=$(printf '%s\n' data.txt dev ft mnt mol-filetest mol-glibctest $hostdirs | sort)

# filetest DIR: the C suite in DIR; its own counts join ours.
filetest() {
	out=$(run /mol-filetest "$1" 2>&1)
	st=$?
	echo "$out" | grep -v '^filetest: [0-9]* passed' | sed 's/^/  /'
	n=$(echo "$out" |
	    sed -n 's/^filetest: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
	if [ -n "$n" ]; then
		pass=$((pass + ${n% *}))
		fail=$((fail + ${n#* }))
	fi
	[ $st -eq 0 ] && [ -n "$n" ] || bad "mol-filetest $1: exit status $st"
}

# The Linux pid of the process in slot ENDPOINT (FS, DISK) per molctl ps.
slot_pid() {
	"$molctl" -i "$name" ps | awk -v ep="$1" '$2 == ep { print $5 }'
}

# workload driver|nodriver
workload() {
	mode=$1
	images
	if [ "$mode" = driver ]; then
		set -- --disk "$img" --disk "$data:/mnt/data" --disk "$spare"
	else
		printf '[disks]\nroot = %s\ndisk = %s:/mnt/data\ndriver = no\n' \
			"$img" "$data" >"$base/nodriver.ini"
		set -- --config "$base/nodriver.ini"
	fi
	if ! timeout 60 "$molctl" -i "$name" up --transport "$transport" \
		"$@" >/dev/null; then
		bad "$mode: molctl up $*"
		cat "$MOL_RUN_BASE/$name/molsystem.log" 2>/dev/null
		return
	fi
	ok

	# The servers: moldisk at DISK and molfs over it, or molfs alone.
	fs=$(slot_pid FS)
	disk=$(slot_pid DISK)
	fsargs=$(tr '\0' ' ' </proc/"$fs"/cmdline 2>/dev/null)
	if [ "$mode" = driver ]; then
		expect "$mode: molfs over the driver" \
			"molfs --disk 0 " "$fsargs"
		if [ -n "$disk" ] && "$molctl" -i "$name" ps |
			grep -Eq '^ +7 +DISK .* moldisk '; then ok; else
			bad "$mode: molctl ps shows no moldisk"; fi
		expect "$mode: moldisk's minors" \
			"moldisk $img $data $spare " \
			"$(tr '\0' ' ' </proc/"$disk"/cmdline 2>/dev/null)"
		expect "$mode: MOL_DISKS" "$data:$spare" \
			"$(run /bin/sh -c 'echo $MOL_DISKS')"
	else
		expect "$mode: molfs opens the image" "molfs $img " \
			"$fsargs"
		expect "$mode: no moldisk" "" "$disk"
	fi

	run /bin/chmod 755 /mol-filetest /mol-glibctest
	expect "$mode: chmod of the image's programs" 0 $?
	filetest /ft
	filetest /mnt/data/ft

	# glibc's realpath, nftw, popen, posix_spawn: the same transcript as
	# on the host (made once, below, in a host directory)
	run /mol-glibctest /ft/gt >"$base/gt.mol" 2>&1
	if cmp -s "$base/gt.host" "$base/gt.mol"; then ok; else
		bad "$mode: mol-glibctest, - host + MoL:
$(diff -u "$base/gt.host" "$base/gt.mol" | sed 1,2d | head -n 30)"
	fi

	# Real programs: only their binaries come from the host.
	expect "$mode: cat" "one
two
three" "$(run /bin/cat /data.txt)"
	expect "$mode: wc -l" "3 /data.txt" "$(run /usr/bin/wc -l /data.txt)"
	# The memory driver molmem (MEM) behind /dev/zero, /dev/urandom,
	# /dev/null: whole reads of 1 MiB, as Linux gives them.
	if "$molctl" -i "$name" ps | grep -Eq '^ +3 +MEM .* molmem'; then
		ok; else bad "$mode: molctl ps shows no molmem at MEM"; fi
	expect "$mode: dd from /dev/zero, whole reads" "3+0 records in" \
		"$(run /bin/sh -c 'dd if=/dev/zero of=/dev/null bs=1M count=3 2>&1 | head -n 1')"
	expect "$mode: /dev/zero gives zeros" "3145728 0" \
		"$(run /bin/sh -c 'a=$(head -c 3145728 /dev/zero | wc -c); b=$(head -c 3145728 /dev/zero | tr -d "\\000" | wc -c); echo $a $b')"
	expect "$mode: head -c of /dev/urandom" "100" \
		"$(run /bin/sh -c 'head -c 100 /dev/urandom | wc -c')"
	expect "$mode: ls /" "$rootnames" "$(run /bin/ls /)"
	out=$(run /bin/ls -l /data.txt)
	case $out in
	-rw-r--r--\ 1\ *\ 14\ *\ /data.txt) ok ;;
	*) bad "$mode: ls -l: '$out'" ;;
	esac
	run /bin/mkdir -p /a/b/c
	expect "$mode: mkdir -p" 0 $?
	expect "$mode: ls -d" "/a/b/c" "$(run /bin/ls -d /a/b/c)"
	run /bin/cat /nonexistent >/dev/null 2>&1
	expect "$mode: cat of a missing file" 1 $?
	expect "$mode: sh redirections" "hi
there" "$(run /bin/sh -c 'echo hi > /sh.txt; echo there >> /sh.txt; cat < /sh.txt')"
	# (the root's names, /a and /sh.txt)
	expect "$mode: sh pipe" "$(($(echo "$rootnames" | wc -l) + 2))" \
		"$(run /bin/sh -c 'ls / | wc -l')"
	expect "$mode: cwd is /" "/" "$(run /bin/sh -c pwd)"
	expect "$mode: run -C" "/a/b" \
		"$(timeout 30 "$molctl" -i "$name" run -C /a/b /bin/sh -c pwd)"
	expect "$mode: rm -r" "" "$(run /bin/sh -c 'rm -r /a/b && ls /a')"
	expect "$mode: cp" "one" \
		"$(run /bin/sh -c 'cp /data.txt /copy.txt && head -1 /copy.txt')"

	# The mounted image: its own st_dev, files, mv across the mount.
	out=$(run /bin/sh -c 'echo hello > /mnt/data/hello &&
		cat /mnt/data/hello && stat -c %d / /mnt/data | uniq | wc -l')
	expect "$mode: write on the mount, two devices" "hello
2" "$out"
	expect "$mode: mv across the mount" "one" \
		"$(run /bin/sh -c 'mv /copy.txt /mnt/data/moved.txt &&
			head -1 /mnt/data/moved.txt')"
	run /bin/sh -c 'ln /data.txt /mnt/data/link' >/dev/null 2>&1
	expect "$mode: link across the mount fails" 1 $?

	if timeout 60 "$molctl" -i "$name" down >/dev/null; then ok; else
		bad "$mode: molctl down"; fi

	# The images after FS synced and exited: clean, with our files.
	for i in "$img" "$data" "$spare"; do
		if fsck.minix -f "$i" >"$base/fsck.log" 2>&1; then ok; else
			bad "$mode: fsck.minix -f $i: $(cat "$base/fsck.log")"
		fi
	done
	expect "$mode: keep (2000 lines)" 2000 \
		"$("$tool" "$img" cat /ft/keep | wc -l)"
	expect "$mode: keep line" "keep 1999" \
		"$("$tool" "$img" cat /ft/keep | tail -1)"
	expect "$mode: text" "end" "$("$tool" "$img" cat /ft/text | tail -1)"
	expect "$mode: sh.txt" "hi
there" "$("$tool" "$img" cat /sh.txt)"
	"$tool" "$img" ls /a/b >/dev/null 2>&1
	expect "$mode: rm -r done" 1 $(( $? != 0 ))
	"$tool" "$img" ls /copy.txt >/dev/null 2>&1
	expect "$mode: moved away" 1 $(( $? != 0 ))
	expect "$mode: second image: hello" "hello" \
		"$("$tool" "$data" cat /hello)"
	expect "$mode: second image: moved" "$(cat "$base/data.txt")" \
		"$("$tool" "$data" cat /moved.txt)"
	expect "$mode: second image: keep" 2000 \
		"$("$tool" "$data" cat /ft/keep | wc -l)"
}

printf 'one\ntwo\nthree\n' > "$base/data.txt"
"$bin/mol-glibctest" "$base/gt" >"$base/gt.host" 2>&1 ||
	bad "mol-glibctest on the host: $(cat "$base/gt.host")"
"$molctl" mkimage "$base/bad" 1 >/dev/null 2>&1
expect "mkimage bad size" 2 $?

# Bad disks are refused before anything starts.
"$molctl" -i "$name" up --transport "$transport" --disk "$base/none.img" \
	>/dev/null 2>&1
expect "up with a missing image" 1 $?
images
"$molctl" -i "$name" up --transport "$transport" --disk "$img" \
	--disk "$data:/data.txt/x" >"$base/up.log" 2>&1
expect "up with a file as mount point" 1 $?
grep -q "mount $data on /data.txt/x: Not a directory" "$base/up.log"
expect "its log says why" 0 $?

workload driver
workload nodriver

echo "files $transport: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The container's file side through the launcher, on transport $1
# (default $MOL_TRANSPORT, else unix): a fresh image (molctl mkimage),
# molctl up --disk, build/bin/mol-filetest and real programs (cat, wc,
# ls, mkdir -p, sh with redirections and a pipe) as MoL processes,
# molctl down, then fsck.minix -f and the contents checked with
# molfs-tool.  Prints "files TRANSPORT: N passed, N failed"; exits
# non-zero on any failure.  Used by `make files-check` and
# tests/files/vm-files.sh.
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

for b in molctl molsystem molfs molfs-tool mol-filetest; do
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

cleanup() {
	timeout 30 "$molctl" -i "$name" down >/dev/null 2>&1
	rm -rf "$base"
}
trap cleanup EXIT INT TERM

run() { timeout 60 "$molctl" -i "$name" run "$@"; }

# The image: mkimage, then a file put from the host.
if "$molctl" mkimage "$img" 32M >/dev/null; then ok; else bad "mkimage"; fi
printf 'one\ntwo\nthree\n' > "$base/data.txt"
"$tool" "$img" put "$base/data.txt" /data.txt >/dev/null || bad "molfs-tool put"
"$molctl" mkimage "$base/bad" 1 >/dev/null 2>&1
expect "mkimage bad size" 2 $?

# Bad disks are refused before anything starts.
"$molctl" -i "$name" up --transport "$transport" --disk "$base/none.img" \
	>/dev/null 2>&1
expect "up with a missing image" 1 $?

if ! timeout 60 "$molctl" -i "$name" up --transport "$transport" \
	--disk "$img" >/dev/null; then
	bad "molctl up --disk"
	cat "$MOL_RUN_BASE/$name/molsystem.log" 2>/dev/null
	echo "files $transport: $pass passed, $fail failed"
	exit 1
fi
ok

# The C suite: its own counts join ours.
out=$(run "$bin/mol-filetest" /ft 2>&1)
st=$?
echo "$out" | grep -v '^filetest: [0-9]* passed' | sed 's/^/  /'
n=$(echo "$out" | sed -n 's/^filetest: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p')
if [ -n "$n" ]; then
	pass=$((pass + ${n% *}))
	fail=$((fail + ${n#* }))
fi
[ $st -eq 0 ] && [ -n "$n" ] || bad "mol-filetest exit status $st"

# Real programs: only their binaries come from the host.
expect "cat" "one
two
three" "$(run /bin/cat /data.txt)"
expect "wc -l" "3 /data.txt" "$(run /usr/bin/wc -l /data.txt)"
expect "ls /" "data.txt
dev
ft" "$(run /bin/ls /)"
out=$(run /bin/ls -l /data.txt)
case $out in
-rw-r--r--\ 1\ *\ 14\ *\ /data.txt) ok ;;
*) bad "ls -l: '$out'" ;;
esac
run /bin/mkdir -p /a/b/c
expect "mkdir -p" 0 $?
expect "ls -d" "/a/b/c" "$(run /bin/ls -d /a/b/c)"
run /bin/cat /nonexistent >/dev/null 2>&1
expect "cat of a missing file" 1 $?
expect "sh redirections" "hi
there" "$(run /bin/sh -c 'echo hi > /sh.txt; echo there >> /sh.txt; cat < /sh.txt')"
expect "sh pipe" "5" "$(run /bin/sh -c 'ls / | wc -l')"
expect "cwd is /" "/" "$(run /bin/sh -c pwd)"
expect "run -C" "/a/b" "$(timeout 30 "$molctl" -i "$name" run -C /a/b /bin/sh -c pwd)"
expect "rm -r" "" "$(run /bin/sh -c 'rm -r /a/b && ls /a')"
expect "cp" "one" "$(run /bin/sh -c 'cp /data.txt /copy.txt && head -1 /copy.txt')"

if timeout 60 "$molctl" -i "$name" down >/dev/null; then ok; else
	bad "molctl down"; fi

# The image after FS synced and exited: clean, with our files.
if fsck.minix -f "$img" >"$base/fsck.log" 2>&1; then ok; else
	bad "fsck.minix -f: $(cat "$base/fsck.log")"; fi
expect "keep (2000 lines)" 2000 "$("$tool" "$img" cat /ft/keep | wc -l)"
expect "keep line" "keep 1999" "$("$tool" "$img" cat /ft/keep | tail -1)"
expect "text" "end" "$("$tool" "$img" cat /ft/text | tail -1)"
expect "sh.txt" "hi
there" "$("$tool" "$img" cat /sh.txt)"
"$tool" "$img" ls /a/b >/dev/null 2>&1
expect "rm -r done" 1 $(( $? != 0 ))
expect "copy" "$(cat "$base/data.txt")" "$("$tool" "$img" cat /copy.txt)"

echo "files $transport: $pass passed, $fail failed"
[ $fail -eq 0 ]

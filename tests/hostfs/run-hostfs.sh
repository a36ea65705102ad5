#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The host pass-through mounts through the launcher, on transport $1
# (default $MOL_TRANSPORT, else unix):
#   on    molctl up --disk ROOT --disk DATA:/mnt/data with a config file
#         listing the default host mounts plus a test tree T (with links
#         leading out of it): ls /usr/bin, stat and reads equal the
#         host's; a shell's PATH search; exec of a host program and of a
#         program copied into the image; writes refused with EROFS;
#         links and ".." stay in the MoL tree; the second image is
#         minor 1 of moldisk (molfs does not open it), written, and
#         fsck.minix-clean afterwards;
#   off   --no-host-mounts: the pure image has no /usr/bin; its own
#         program runs, a host one does not.
# Prints "hostfs-run TRANSPORT: N passed, N failed"; exits non-zero on
# any failure.  Used by `make hostfs-host`.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
transport=${1:-${MOL_TRANSPORT:-unix}}
bin=$top/$BUILD/bin
molctl=$bin/molctl
tool=$bin/molfs-tool
name=hostfs$$
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "hostfs-run $transport: FAIL: $*"; }
# expect WHAT EXPECTED ACTUAL
expect() {
	if [ "$2" = "$3" ]; then ok; else
		bad "$1: expected '$2', got '$3'"; fi
}

for b in molctl molsystem molfs molhostfs moldisk molfs-tool; do
	if [ ! -x "$bin/$b" ]; then
		echo "hostfs-run $transport: $bin/$b missing (make)"
		echo "hostfs-run $transport: 0 passed, 1 failed"
		exit 1
	fi
done
if ! command -v mkfs.minix >/dev/null || ! command -v fsck.minix >/dev/null
then
	echo "hostfs-run $transport: SKIPPED: mkfs.minix/fsck.minix missing"
	exit 0
fi
base=$(mktemp -d /tmp/mol-hostfs.XXXXXX)
base=$(cd "$base" && pwd -P)
export MOL_RUN_BASE="$base/run"
unset MOL_TRANSPORT MOL_KERNEL_ADDR MOL_INSTANCE MOL_CONTAINER MOL_FS \
	LD_PRELOAD
img=$base/root.img
data=$base/data.img

cleanup() {
	timeout 30 "$molctl" -i "$name" down >/dev/null 2>&1
	rm -rf "$base"
}
trap cleanup EXIT INT TERM

run() { timeout 60 "$molctl" -i "$name" run "$@"; }
up() {
	if timeout 60 "$molctl" -i "$name" up --transport "$transport" \
		"$@" >/dev/null; then ok; else
		bad "molctl up $*"
		cat "$MOL_RUN_BASE/$name/molsystem.log" 2>/dev/null
		return 1
	fi
}
down() {
	if timeout 60 "$molctl" -i "$name" down >/dev/null; then ok; else
		bad "molctl down"; fi
}
slot_pid() {
	"$molctl" -i "$name" ps | awk -v ep="$1" '$2 == ep { print $5 }'
}

# A host tree T, mounted at the same path: a file, links out of it.
T=$base/tree
mkdir -p "$T/sub" "$base/outside"
echo inside >"$T/sub/file"
echo secret >"$base/outside/secret"
ln -s ../outside/secret "$T/up"
ln -s "$base/outside/secret" "$T/abs"
ln -s sub/file "$T/rel"

# A program of the image: a copy of the host's echo (coreutils).
prog=$(command -v env)
"$molctl" mkimage "$img" 32M >/dev/null && "$molctl" mkimage "$data" 8M \
	>/dev/null || bad "mkimage"
"$tool" "$img" mkdir /prog >/dev/null && \
	"$tool" "$img" put "$prog" /prog/myenv >/dev/null || bad "put myenv"
# The image's own /bin, hidden by the host mount there.
"$tool" "$img" mkdir /bin >/dev/null && \
	"$tool" "$img" put "$prog" /bin/mol-hidden >/dev/null || bad "put hidden"

# A bad host_mounts is refused before anything starts.
for v in "usr" "/" "/usr relative"; do
	printf '[disks]\nroot = %s\nhost_mounts = %s\n' "$img" "$v" \
		>"$base/bad.ini"
	"$molctl" -i "$name" up --transport "$transport" \
		--config "$base/bad.ini" >"$base/bad.out" 2>&1
	expect "host_mounts = $v refused" 2 $?
done
grep -q "host_mounts" "$base/bad.out"
expect "the error names the key" 0 $?

# One image twice would be two file systems on the same blocks.
"$molctl" -i "$name" up --transport "$transport" --disk "$img" \
	--disk "$base/../$(basename "$base")/root.img:/mnt/again" \
	>"$base/bad.out" 2>&1
expect "the same image twice refused" 2 $?
grep -q "given twice" "$base/bad.out"
expect "the error says why" 0 $?

# ---------------------------------------------------------------- on
printf '[disks]\nroot = %s\ndisk = %s:/mnt/data\nhost_mounts = /bin /sbin /usr /lib /lib64 /etc/alternatives /nonexistent-dir %s\n' \
	"$img" "$data" "$T" >"$base/on.ini"
up --config "$base/on.ini" || exit 1

run /bin/ls /usr/bin >"$base/ls.out" 2>"$base/ls.err"
st=$?
if [ "$(ls /usr/bin | md5sum)" = "$(md5sum <"$base/ls.out")" ]; then ok; else
	bad "ls /usr/bin: status $st, $(wc -l <"$base/ls.out") lines, stderr: $(head -c 300 "$base/ls.err")"
	tail -5 "$MOL_RUN_BASE/$name/molsystem.log"
fi
expect "ls -l /usr/bin/env" "$(ls -ln /usr/bin/env)" \
	"$(run /bin/ls -ln /usr/bin/env)"
expect "stat of a host file" "$(stat -c '%s %a %h %u %g %Y %F' /usr/bin/env)" \
	"$(run /usr/bin/stat -c '%s %a %h %u %g %Y %F' /usr/bin/env)"
expect "stat of a host link" "$(stat -c '%s %a %F %N' /bin/sh)" \
	"$(run /usr/bin/stat -c '%s %a %F %N' /bin/sh)"
expect "read a host file" "$(sha256sum </usr/bin/env)" \
	"$(run /bin/sh -c 'sha256sum </usr/bin/env')"
run /bin/mol-hidden >/dev/null 2>&1
expect "the mount hides the image's /bin" 127 $?
expect "a missing host directory is skipped" "" \
	"$(run /bin/sh -c 'ls -d /nonexistent-dir 2>/dev/null')"
expect "sh's PATH search" "$(command -v sha256sum)" \
	"$(run /bin/sh -c 'command -v sha256sum')"
if [ -x /usr/bin/awk ]; then
	expect "a program through /etc/alternatives" "4" \
		"$(run /bin/sh -c 'echo 3 | awk "{ print \$1 + 1 }"')"
fi
expect "exec of a host program by PATH" "x y" \
	"$(run /bin/sh -c 'PATH=/usr/bin:/bin; echo x y | cat')"
hostdirs=$(for d in /bin /sbin /usr /lib /lib64 /etc/alternatives; do
	[ -d "$d" ] && printf '%s ' "$d"; done)
expect "molhostfs serves the host mounts" "molhostfs $hostdirs$T " \
	"$(tr '\0' ' ' </proc/"$(slot_pid HOSTFS)"/cmdline 2>/dev/null)"

# The program of the image: chmod, then run from the image, by PATH too.
run /bin/chmod 755 /prog/myenv
expect "chmod in the image" 0 $?
expect "exec of the image's program" "HOSTFS_T=1" \
	"$(run /prog/myenv -i HOSTFS_T=1)"
expect "the image's program by PATH" "HOSTFS_T=2" \
	"$(run /bin/sh -c 'PATH=/prog; myenv -i HOSTFS_T=2')"

# Read-only: writes fail with EROFS; the host is untouched.
out=$(run /bin/sh -c 'echo x > /usr/bin/mol-new' 2>&1)
case $out in *"Read-only file system"*) ok ;; *) bad "create: '$out'" ;; esac
[ ! -e /usr/bin/mol-new ] && ok || bad "a file appeared on the host"
out=$(run /bin/mkdir /usr/mol-dir 2>&1)
case $out in *"Read-only file system"*) ok ;; *) bad "mkdir: '$out'" ;; esac
out=$(run /bin/mkdir /usr/bin 2>&1)
case $out in *"File exists"*) ok ;; *) bad "mkdir existing: '$out'" ;; esac
out=$(run /bin/rm -f /usr/bin/env 2>&1)
case $out in *"Read-only file system"*) ok ;; *) bad "rm: '$out'" ;; esac
out=$(run /bin/chmod 700 "$T/sub/file" 2>&1)
case $out in *"Read-only file system"*) ok ;; *) bad "chmod: '$out'" ;; esac
expect "the host file is unchanged" "644" "$(stat -c %a "$T/sub/file")"

# Links and ".." are resolved in the MoL tree: nothing leads out.
expect "a relative link inside" "inside" "$(run /bin/cat "$T/rel")"
run /bin/cat "$T/up" >/dev/null 2>&1
expect "a link up out of the tree" 1 $?
run /bin/cat "$T/abs" >/dev/null 2>&1
expect "an absolute link out of the tree" 1 $?
expect "readlink gives the text" "$base/outside/secret" \
	"$(run /usr/bin/readlink "$T/abs")"
expect ".. of the mount is the image's" "tree" "$(run /bin/ls "$T/..")"
expect "cd across the mount and back" "$base" \
	"$(run /bin/sh -c "cd $T/sub && cd ../.. && pwd")"
expect "getcwd inside the mount" "$T/sub" \
	"$(run -C "$T/sub" /bin/sh -c pwd)"

# The second image is moldisk's minor 1: written here, checked below.
fs=$(slot_pid FS)
disk=$(slot_pid DISK)
expect "molfs does not open the second image" "" \
	"$(ls -l /proc/"$fs"/fd 2>/dev/null | grep -F "$data")"
# (the image itself; its redo log IMAGE.mollog is open too)
expect "moldisk has it open" 1 \
	"$(ls -l /proc/"$disk"/fd 2>/dev/null | grep -c -- "-> $data\$")"
expect "write on the second image" "hello" \
	"$(run /bin/sh -c 'echo hello > /mnt/data/hello && cat /mnt/data/hello')"
run /bin/sh -c 'mkdir /mnt/data/d && cp /usr/bin/env /mnt/data/d/env' \
	>/dev/null 2>&1
expect "copy a host file to the second image" 0 $?
down
if fsck.minix -f "$data" >"$base/fsck.log" 2>&1; then ok; else
	bad "fsck.minix -f $data: $(cat "$base/fsck.log")"; fi
if fsck.minix -f "$img" >"$base/fsck.log" 2>&1; then ok; else
	bad "fsck.minix -f $img: $(cat "$base/fsck.log")"; fi
expect "the second image holds the file" "hello" \
	"$("$tool" "$data" cat /hello)"
"$tool" "$data" get /d/env "$base/env.copy" >/dev/null 2>&1
expect "and the copy" "$(sha256sum </usr/bin/env)" \
	"$(sha256sum <"$base/env.copy" 2>/dev/null)"
expect "mount points were made in the image" "ok" \
	"$("$tool" "$img" ls /usr >/dev/null 2>&1 && echo ok)"

# ---------------------------------------------------------------- off
up --disk "$img" --no-host-mounts || exit 1
out=$(run /prog/myenv -i HOSTFS_T=3)
expect "pure image: its own program runs" "HOSTFS_T=3" "$out"
out=$(run /prog/myenv /usr/bin/env 2>&1)
st=$?
expect "pure image: no /usr/bin/env" 127 $st
run /bin/sh -c true >/dev/null 2>&1
expect "pure image: no host sh" 127 $?
run /bin/mol-hidden >/dev/null 2>&1
expect "pure image: its /bin is back (the file is not executable)" 126 $?
down

echo "hostfs-run $transport: $pass passed, $fail failed"
[ $fail -eq 0 ]

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Linux's own minix driver (minix.ko) as the oracle of MoL's file system,
# run in the qemu guest (tests/vm/molvm; started through it when not
# already in a guest) over the kmod transport:
#
#  (a) MoL writes, Linux reads: `molctl mkimage`, `molctl up --disk`,
#      tests/fsoracle/workload.sh under `molctl run`, `molctl down`;
#      `fsck.minix -f` must be clean; then the image is mounted
#      read-only with minix.ko and its tree (names, types, modes, link
#      counts, owners, sizes, symlink targets, sha256 of every file)
#      must be the one the same workload leaves in a tmpfs directory,
#      and `ls -lR` must be what MoL itself listed.
#  (b) Linux writes, MoL reads: `mkfs.minix -3`, mounted read-write with
#      minix.ko, the workload run by Linux, umount, fsck clean; then
#      `molctl up --disk` on it and the tree read back under `molctl
#      run` (find -printf, sha256sum, ls -lR, readlink) must be what
#      Linux saw; fsck clean again after `molctl down`.
#
# Prints ok/not ok lines and "fsoracle-minix: N passed, N failed";
# exits non-zero on any failure.  Env: BUILD (default build).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}

if [ -z "${MOLVM:-}" ]; then
	exec env MOLVM_ENV="BUILD KDIR KVER" tests/vm/molvm \
		"$top/tests/fsoracle/vm-minix.sh" "$@"
fi

suite=fsoracle-minix
. "$top/tests/fsoracle/lib.sh"
need molctl molsystem molfs molfs-tool
for p in mkfs.minix fsck.minix; do
	if ! command -v $p >/dev/null; then
		echo "$suite: $p (util-linux) missing"
		echo "$suite: 0 passed, 1 failed"
		exit 1
	fi
done

work=$(mktemp -d /tmp/fsoracle-minix.XXXXXX)
export MOL_RUN_BASE="$work/run"
inst=fsoracle$$
mnt=$work/mnt
mkdir -p "$mnt" "$work/ref"
loaded=
cleanup() {
	moldown
	mountpoint -q "$mnt" && umount "$mnt"
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

if [ ! -e /dev/molipc ]; then
	if insmod "$BUILD/molipc.ko"; then loaded=1; else
		bad "insmod $BUILD/molipc.ko"; finish; fi
fi
modprobe loop 2>/dev/null
if modprobe minix && grep -qw minix /proc/filesystems; then
	ok "modprobe minix"
else
	bad "modprobe minix: Linux's minix driver is not available"
	finish
fi

W=$(cat "$here/workload.sh")

# The reference: Linux on tmpfs.
if sh -c "$W" workload "$work/ref" 2>"$work/err"; then ok "workload on tmpfs"
else bad "workload on tmpfs: $(cat "$work/err")"; finish; fi
manifest "$work/ref" >"$work/ref.m"

# ---- (a) MoL writes, Linux reads ------------------------------------------
img=$work/a.img
"$molctl" mkimage "$img" 32M >/dev/null
check "a: molctl mkimage" $?
if molup kmod "$img"; then ok "a: molctl up --disk (kmod)"; else
	bad "a: molctl up --disk (kmod)"; finish; fi
molrun sh -c "mkdir /w && $W" workload /w >"$work/err" 2>&1
check "a: workload under molctl run" $? "$(cat "$work/err")"
molmanifest /w >"$work/a-mol.m"
same "a: MoL's own view of its tree = Linux on tmpfs" "$work/ref.m" "$work/a-mol.m"
molrun sh -c "$LSR_SH" lsr /w >"$work/a-mol.ls" 2>&1
molblocks /w >"$work/a-mol.b"
moldown
check "a: molctl down" $?
fsck_clean "a" "$img"
if mount -t minix -o ro,loop "$img" "$mnt" 2>"$work/err"; then
	ok "a: mount -t minix -o ro,loop"
	manifest "$mnt/w" >"$work/a-linux.m"
	same "a: Linux's minix.ko reads the tree MoL wrote" "$work/ref.m" "$work/a-linux.m"
	sh -c "$LSR_SH" lsr "$mnt/w" >"$work/a-linux.ls" 2>&1
	same "a: ls -lR by Linux = ls -lR under MoL" "$work/a-mol.ls" "$work/a-linux.ls"
	blocks "$mnt/w" >"$work/a-linux.b"
	same "a: st_blocks by Linux = under MoL (files without holes)" \
		"$work/a-linux.b" "$work/a-mol.b"
	ls -a "$mnt/dev" >"$work/a-dev" 2>&1
	if grep -qx null "$work/a-dev" && grep -qx zero "$work/a-dev"; then
		ok "a: /dev nodes MoL created are there"
	else bad "a: /dev: $(tr '\n' ' ' <"$work/a-dev")"; fi
	umount "$mnt"
else
	bad "a: mount -t minix -o ro,loop: $(cat "$work/err")"
fi

# ---- (b) Linux writes, MoL reads ------------------------------------------
img=$work/b.img
truncate -s 32M "$img"
mkfs.minix -3 "$img" >/dev/null 2>&1
check "b: mkfs.minix -3" $?
if mount -t minix -o loop "$img" "$mnt" 2>"$work/err"; then
	ok "b: mount -t minix -o loop (read-write)"
	mkdir "$mnt/w"
	sh -c "$W" workload "$mnt/w" >"$work/err" 2>&1
	check "b: workload by Linux on minix.ko" $? "$(cat "$work/err")"
	manifest "$mnt/w" >"$work/b-linux.m"
	same "b: Linux on minix.ko = Linux on tmpfs" "$work/ref.m" "$work/b-linux.m"
	sh -c "$LSR_SH" lsr "$mnt/w" >"$work/b-linux.ls" 2>&1
	blocks "$mnt/w" >"$work/b-linux.b"
	find "$mnt/w" -type l | sort | while read -r l; do
		printf '%s %s\n' "${l#"$mnt"}" "$(readlink "$l")"
	done >"$work/b-linux.rl"
	umount "$mnt"
	check "b: umount" $?
	fsck_clean "b (after Linux)" "$img"
	if molup kmod "$img"; then ok "b: molctl up --disk (kmod)"; else
		bad "b: molctl up --disk (kmod)"; finish; fi
	molmanifest /w >"$work/b-mol.m"
	same "b: MoL reads the tree Linux wrote (find -printf, sha256sum)" \
		"$work/b-linux.m" "$work/b-mol.m"
	molrun sh -c "$LSR_SH" lsr /w >"$work/b-mol.ls" 2>&1
	same "b: ls -lR under MoL = ls -lR by Linux" "$work/b-linux.ls" "$work/b-mol.ls"
	molblocks /w >"$work/b-mol.b"
	same "b: st_blocks under MoL = by Linux (files without holes)" \
		"$work/b-linux.b" "$work/b-mol.b"
	molrun sh -c 'for l in $(find /w -type l | sort); do
		printf "%s %s\n" "$l" "$(readlink "$l")"; done' >"$work/b-mol.rl" 2>&1
	same "b: readlink under MoL" "$work/b-linux.rl" "$work/b-mol.rl"
	# Large files read whole through cat, in pieces through dd.
	for f in f1100000 f300000 sparse; do
		a=$(molrun cat /w/$f | sha256sum)
		b=$(grep " \./$f\$" "$work/b-linux.m" | cut -c1-64)
		[ "${a%% *}" = "$b" ]
		check "b: cat /w/$f under MoL" $? "sha256 $a, Linux $b"
	done
	a=$(molrun dd if=/w/f1100000 bs=777 skip=1000 count=20 2>/dev/null | sha256sum)
	b=$(dd if="$work/ref/f1100000" bs=777 skip=1000 count=20 2>/dev/null | sha256sum)
	[ "$a" = "$b" ]
	check "b: dd with skip (lseek into double-indirect zones) under MoL" $?
	moldown
	check "b: molctl down" $?
	fsck_clean "b (after MoL)" "$img"
	if mount -t minix -o ro,loop "$img" "$mnt" 2>"$work/err"; then
		manifest "$mnt/w" >"$work/b-after.m"
		same "b: the tree unchanged after MoL read it" "$work/b-linux.m" "$work/b-after.m"
		umount "$mnt"
	else
		bad "b: remount: $(cat "$work/err")"
	fi
else
	bad "b: mount -t minix -o loop: $(cat "$work/err")"
fi

finish

# SPDX-License-Identifier: GPL-2.0
#
# Shared by the file-system oracle scripts (sourced, not run): counters,
# TAP-style result lines, molctl helpers.  The caller sets $suite (the
# name on every line) and $top (the repository) before sourcing.

BUILD=${BUILD:-build}
bin=$top/$BUILD/bin
molctl=$bin/molctl
tool=$bin/molfs-tool
here=$top/tests/fsoracle
pass=0
fail=0
known=0
known_list=

ok() { pass=$((pass + 1)); echo "ok - $suite: $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $suite: $*"; }
# known NAME REASON: a failure the lead accepted as known; not counted
# in the exit status but listed in the closing line.
known_bad() {
	known=$((known + 1))
	known_list="$known_list${known_list:+, }$1"
	echo "not ok - $suite: $1 (known: $2)"
}
# check NAME CONDITION-STATUS [DETAIL]
check() {
	if [ "$2" = 0 ]; then ok "$1"; else bad "$1${3:+: $3}"; fi
}
# same NAME EXPECTED-FILE ACTUAL-FILE: the files are equal, else a diff.
same() {
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		bad "$1: differs (- expected, + actual):"
		diff -u "$2" "$3" | sed -n '3,40s/^/#   /p'
	fi
}

need() {
	for b in "$@"; do
		if [ ! -x "$bin/$b" ]; then
			echo "$suite: $bin/$b missing (make)"
			echo "$suite: 0 passed, 1 failed"
			exit 1
		fi
	done
}

# The MoL environment must not leak in from the caller.
unset MOL_TRANSPORT MOL_KERNEL_ADDR MOL_INSTANCE MOL_CONTAINER MOL_FS \
	LD_PRELOAD

# molrun [molctl run ARGS]: a program in instance $inst, bounded.
molrun() { timeout -k 5 "${RUN_TIMEOUT:-120}" "$molctl" -i "$inst" run "$@"; }

# molup TRANSPORT IMAGE: bring instance $inst up on IMAGE.
molup() {
	if timeout 60 "$molctl" -i "$inst" up --transport "$1" --disk "$2" \
		>"$work/up.log" 2>&1; then
		return 0
	fi
	sed 's/^/#   /' "$work/up.log"
	sed 's/^/#   /' "$MOL_RUN_BASE/$inst/molsystem.log" 2>/dev/null
	return 1
}
moldown() { timeout 60 "$molctl" -i "$inst" down >/dev/null 2>&1; }

# fsck_clean NAME IMAGE: fsck.minix -f must exit 0 (nothing to fix).
fsck_clean() {
	fsck.minix -f "$2" >"$work/fsck.log" 2>&1
	st=$?
	if [ $st = 0 ]; then ok "$1: fsck.minix -f clean"; else
		bad "$1: fsck.minix -f exit $st:"
		sed -n '1,30s/^/#   /p' "$work/fsck.log"
	fi
}

# The manifest of the tree in $1, as text: one line per entry (path,
# type, mode, links, uid, gid; size and link target for everything but
# directories, whose sizes differ between file systems), then the
# sha256 of every regular file.  Run by Linux or, as `sh -c`, under MoL
# (then sorted by the caller on the host).
MANIFEST_SH='cd "$1" || exit 1
find . ! -type d -printf "%p %y %m %n %U %G %s %l\n"
find . -type d -printf "%p %y %m %n %U %G\n"
find . -type f -exec sha256sum {} +'

# st_blocks of files and directories, but for the sparse file: Linux's
# minix driver derives st_blocks from the size (holes counted as
# blocks), MoL counts what is allocated; they agree on files without
# holes (data plus indirect zones).
BLOCKS_SH='cd "$1" && find . \( -type f -o -type d \) ! -name sparse -printf "%p %b\n"'
blocks() { sh -c "$BLOCKS_SH" blocks "$1" | LC_ALL=C sort; }
molblocks() { molrun sh -c "$BLOCKS_SH" blocks "$1" | LC_ALL=C sort; }
# lsr DIR: ls -lnR without the "total" lines (the sparse file again);
# numeric owners: names come from each side's /etc/passwd, and a fresh
# image has none.
LSR_SH='cd "$1" && ls -lnR --time-style=+%s . | grep -v "^total "'

# manifest DIR: the same, run by Linux, sorted.
manifest() { sh -c "$MANIFEST_SH" manifest "$1" | LC_ALL=C sort; }
# molmanifest DIR: run under MoL, sorted on the host.
molmanifest() { molrun sh -c "$MANIFEST_SH" manifest "$1" | LC_ALL=C sort; }

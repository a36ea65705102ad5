#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Debian's own programs as the oracle of MoL's file system: each command
# runs twice, under `molctl run` in a tree on a MINIX image (molfs) and
# directly on the host in the same tree in a host directory; stdout,
# stderr and exit status must be the same, and after commands that
# change the tree both trees must be the same (names, types, modes,
# link counts, owners, sizes, symlink targets, sha256 of every file;
# directory sizes and times are left out, they differ between file
# systems).  Covers cat, cp, mv, rm, ls -l, mkdir -p, find, sort, wc,
# head, tail, tar (create, list, extract, and archives crossing between
# MoL and the host), sha256sum, dd, ln, stat, touch, chmod, truncate,
# grep -r, xargs, tee, split, cmp, diff, od, mktemp, getent, owner names
# from the image's /etc/passwd and /etc/group, and dash scripts (pipes,
# redirections, subshells, here-documents, descriptors, background
# jobs).
#
#   tests/fsoracle/programs.sh [unix|udp|kmod]   (default unix)
#
# kmod: load $BUILD/molipc.ko when /dev/molipc is missing (in the qemu
# guest; unloaded again at the end).  Prints "ok"/"not ok" per check,
# known failures as "not ok - ... (known: REASON)", and ends with
# "fsoracle-programs: N passed, N failed, K known (NAMES)"; the exit
# status counts only unknown failures.  A known failure that passes is
# reported as a failure too, so that the list stays true.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
transport=${1:-unix}
suite=fsoracle-programs
. "$top/tests/fsoracle/lib.sh"
need molctl molsystem molfs molkernel
export LC_ALL=C.UTF-8 TZ=UTC
RUN_TIMEOUT=60

# Known failures: "NAME|REASON" lines, for what Documentation/
# architecture.md ("Files", "Not done yet") and filesystem.md ("Not done
# yet") list as missing.  Provisional: the lead decides which stay.
KNOWN=''

work=$(mktemp -d /tmp/fsoracle-programs.XXXXXX)
export MOL_RUN_BASE="$work/run"
inst=fsoprog$$
H=$work/host/t		# the host's tree; the MINIX tree is /t
mkdir -p "$H"
loaded=
cleanup() {
	moldown
	[ -n "$loaded" ] && rmmod molipc 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

finish() {
	echo "$suite: $pass passed, $fail failed, $known known${known_list:+ ($known_list)}"
	[ $fail = 0 ]
	exit
}

if [ "$transport" = kmod ] && [ ! -e /dev/molipc ]; then
	if insmod "$BUILD/molipc.ko"; then loaded=1; else
		bad "insmod $BUILD/molipc.ko"; finish; fi
fi
"$molctl" mkimage "$work/root.img" 64M >/dev/null || { bad "mkimage"; finish; }
if molup "$transport" "$work/root.img"; then ok "molctl up --disk ($transport)"
else bad "molctl up --disk ($transport)"; finish; fi

# known_reason NAME: the reason NAME is a known failure, or nothing.
known_reason() {
	printf '%s\n' "$KNOWN" | awk -v n="$1" \
		'substr($0, 1, length(n) + 1) == n "|" { print substr($0, length(n) + 2) }'
}
# result NAME STATUS DETAIL-FILE: one result line, known failures apart.
result() {
	r=$(known_reason "$1")
	if [ "$2" = 0 ] && [ -z "$r" ]; then
		ok "$1"
	elif [ "$2" = 0 ]; then
		bad "$1: passes now, remove it from KNOWN ($r)"
	elif [ -n "$r" ]; then
		known_bad "$1" "$r"
		sed -n '1,12s/^/#   /p' "$3"
	else
		bad "$1"
		sed -n '1,40s/^/#   /p' "$3"
	fi
}

# filters applied to both outputs before comparing
f_none() { cat; }
f_sort() { LC_ALL=C sort; }
# ls -l: directory sizes and "total" lines differ between file systems
# and so do column widths.
f_ls() {
	grep -v '^total ' |
	awk '$1 ~ /^d[-rwxsStT]+$/ { $5 = "DIR" } { $1 = $1; print }'
}

# t NAME [-f FILTER] [-i INPUT] [-m] -- COMMAND...: COMMAND in both
# trees (cwd at the top of the tree), outputs and status compared; -m:
# the trees are compared afterwards too.
t() {
	name=$1; shift
	filter=f_none; input=/dev/null; mut=
	while [ $# -gt 0 ]; do
		case $1 in
		-f) filter=$2; shift 2 ;;
		-i) input=$2; shift 2 ;;
		-m) mut=1; shift ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	t0=$(date +%s%N)
	(cd "$H" && "$@") <"$input" >"$work/h.out" 2>"$work/h.err"
	hs=$?
	molrun -C /t "$@" <"$input" >"$work/m.out" 2>"$work/m.err"
	ms=$?
	: >"$work/detail"
	st=0
	if [ $hs != $ms ]; then
		echo "exit status: host $hs, MoL $ms" >>"$work/detail"; st=1
	fi
	for s in out err; do
		# the host's tree is $H, MoL's /t
		sed "s|$H|/t|g" "$work/h.$s" | $filter >"$work/h.$s.f"
		$filter <"$work/m.$s" >"$work/m.$s.f"
		if ! cmp -s "$work/h.$s.f" "$work/m.$s.f"; then
			echo "std$s differs (- host, + MoL):" >>"$work/detail"
			diff -u "$work/h.$s.f" "$work/m.$s.f" | sed 1,2d | head -n 30 >>"$work/detail"
			st=1
		fi
	done
	if [ -n "$mut" ] && ! trees_same; then st=1; fi
	result "$name" $st "$work/detail"
	[ -z "${FSORACLE_TIME:-}" ] ||
		echo "#   $(( ($(date +%s%N) - t0) / 1000000 )) ms"
}
# sh_t NAME [options] SCRIPT: t with `sh -c SCRIPT` (dash).
sh_t() {
	name=$1; shift
	opts=
	while [ $# -gt 1 ]; do opts="$opts $1"; shift; done
	# shellcheck disable=SC2086
	t "$name" $opts -- sh -c "$1"
}
# trees_same: the host's and MoL's trees are the same, or differ only as
# they did before (a difference is blamed on the command that made it,
# once); the new differences go to the detail file.
: >"$work/base.d"
trees_same() {
	manifest "$H" >"$work/h.m"
	molmanifest /t >"$work/m.m"
	{
		LC_ALL=C comm -23 "$work/h.m" "$work/m.m" | sed 's/^/- /'
		LC_ALL=C comm -13 "$work/h.m" "$work/m.m" | sed 's/^/+ /'
	} | LC_ALL=C sort >"$work/cur.d"
	LC_ALL=C comm -23 "$work/cur.d" "$work/base.d" >"$work/new.d"
	mv "$work/cur.d" "$work/base.d"
	[ -s "$work/new.d" ] || return 0
	echo "trees differ (- only on the host, + only under MoL):" >>"$work/detail"
	head -n 30 "$work/new.d" >>"$work/detail"
	return 1
}

# ---- the tree ----------------------------------------------------------
# Only shell builtins and a few programs: the same script seeds both.
SEED='set -e
cd "$1"
i=0
while [ $i -lt 400 ]; do
	echo "line $i word$(( (i * 7919) % 997 )) $(( (i * 31) % 17 ))"
	i=$((i + 1))
done > text
i=0
while [ $i -lt 300 ]; do echo $(( (i * 7919) % 1009 )); i=$((i + 1)); done > nums
seq 1 30000 > big
printf "\001\002\003\377\000abc\n" > bin
mkdir -p dir/sub/deeper dir/other tmpd
echo alpha > dir/a.txt
echo beta > dir/sub/b.txt
echo gamma > dir/sub/deeper/c.txt
echo tmp > dir/other/x.tmp
echo tmp > dir/y.tmp
ln -s a.txt dir/link-a
ln dir/a.txt dir/hard-a
chmod 640 dir/sub/b.txt
chmod 750 dir/other'
sh -c "$SEED" seed "$H" >"$work/detail" 2>&1
molrun sh -c "mkdir /t && $SEED" seed /t >>"$work/detail" 2>&1
st=$?
[ $st = 0 ] && { trees_same || st=1; }
result "seed tree (sh, seq, mkdir -p, ln, ln -s, chmod)" $st "$work/detail"

# ---- users and groups ------------------------------------------------------
# getpwuid & co. read the MINIX tree's /etc/passwd and /etc/group.  A
# fresh image has none: owners are numbers.  Then the tree gets the
# host's two files (so that ls -l, stat %U, find -user and tar name the
# same owners on both sides) plus a user and a group only it knows.
expect_mol() {	# NAME EXPECTED COMMAND...: a MoL-only check
	name=$1 want=$2; shift 2
	got=$(molrun "$@" 2>&1)
	[ "$got" = "$want" ] || echo "expected '$want', got '$got'" >"$work/detail"
	result "$name" $? "$work/detail"
}
expect_mol "stat %U %G without /etc/passwd, /etc/group" "UNKNOWN UNKNOWN" \
	stat -c '%U %G' /t
molrun sh -c 'mkdir -p /etc && cat > /etc/passwd' </etc/passwd
molrun sh -c 'cat > /etc/group' </etc/group
printf 'molonly:x:4242:4243:Mol Only:/:/bin/sh\n' |
	molrun sh -c 'cat >> /etc/passwd'
printf 'molgrp:x:4243:molonly\n' | molrun sh -c 'cat >> /etc/group'
expect_mol "stat %U %G: the tree's users" "molonly molgrp" sh -c \
	'touch /owned && chown 4242:4243 /owned && stat -c "%U %G" /owned && rm /owned'
expect_mol "getent passwd, group (getpwnam, getgrnam)" \
	"molonly:x:4242:4243:Mol Only:/:/bin/sh
molgrp:x:4243:molonly" sh -c 'getent passwd molonly && getent group molgrp'
expect_mol "getent passwd (getpwent)" "$(($(grep -c '^[^#]' /etc/passwd) + 1))" \
	sh -c 'getent passwd | wc -l'

# ---- reading -------------------------------------------------------------
t "cat" -- cat text dir/a.txt dir/link-a
t "cat of a missing file" -- cat nonexistent
t "cat from stdin" -i "$H/text" -- cat
t "wc" -- wc text big dir/a.txt
t "wc -l -w -c" -- wc -l -w -c text
t "head -n" -- head -n 7 text
t "head -c" -- head -c 1000 big
t "head -n -N" -- head -n -395 text
t "tail -n (seek from the end)" -- tail -n 5 big
t "tail -c" -- tail -c 333 big
t "tail -n +N" -- tail -n +398 text
t "sha256sum" -- sha256sum text big bin dir/a.txt dir/sub/b.txt
t "od -c" -- od -c bin
t "cmp" -- cmp text big
t "diff" -- diff text dir/a.txt
t "grep -r" -f f_sort -- grep -r a dir
t "ls" -- ls
t "ls -a" -- ls -a dir
t "ls -l" -f f_ls -- ls -l --time-style=+- dir
t "ls -la" -f f_ls -- ls -la --time-style=+- dir/sub
t "ls -lR" -f f_ls -- ls -lR --time-style=+- dir
t "ls -ld" -f f_ls -- ls -ld --time-style=+- dir dir/link-a nonexistent
t "find" -f f_sort -- find .
t "find -type f -printf" -f f_sort -- find dir -type f -printf '%p %s %m %n\n'
t "find -name -o -type l" -f f_sort -- find . -name '*.tmp' -o -type l
t "find -exec {} +" -f f_sort -- find dir -type f -exec sha256sum {} +
t "find -exec {} ;" -f f_sort -- find dir -name '*.txt' -exec wc -c {} ';'
t "find -user -group (names)" -f f_sort -- find dir -user root -group root -name '*.txt'
t "stat -c" -- stat -c '%n %s %a %h %F %u %g' text dir/link-a dir/hard-a
t "readlink" -- readlink dir/link-a
t "sort" -- sort text
t "sort -n" -- sort -n nums
t "sort -rn -u" -- sort -rn -u nums
t "sort -k" -- sort -k 3n -k 2 text
t "sort (C locale)" -- env LC_ALL=C sort text
t "sort -o" -m -- sort -o sorted text
t "sort with temporary files (-S 64K -T tmpd)" -m -- sort -S 64K -T tmpd -r big
t "sort with temporary files (TMPDIR, -S 1K)" -m -- env TMPDIR=tmpd sort -S 1K -n nums
t "dd (skip, bs)" -- dd if=big bs=1000 skip=3 count=5 status=none

# ---- writing -------------------------------------------------------------
t "cp" -m -- cp text text.copy
t "cp -r" -m -- cp -r dir dir.copy
t "cp -p" -m -- cp -p dir/sub/b.txt b.keep
t "cp -a" -m -- cp -a dir dir.a
t "mv (file)" -m -- mv text.copy text.moved
t "mv (dir)" -m -- mv dir.copy dir.moved
t "cp FILE DIR" -m -- cp text dir.moved
t "mv FILE DIR" -m -- mv text.moved dir.moved/sub
t "ln FILE DIR" -m -- ln text dir.moved/other
t "rm" -m -- rm b.keep
t "rm of a missing file" -- rm nonexistent
t "rm -r" -m -- rm -r dir.moved
t "rm -rf" -m -- rm -rf dir.a
t "mkdir -p" -m -- mkdir -p m/n/o/p
t "mkdir -p (exists)" -m -- mkdir -p m/n
t "mkdir (exists)" -- mkdir m
t "rmdir (not empty)" -- rmdir m
t "ln, ln -s" -m -- sh -c 'ln text text.hard && ln -s ../text m/text.sym'
t "touch -d, stat %Y" -m -- sh -c 'touch -d @1000000000 m/stamp && stat -c %Y m/stamp'
t "chmod" -m -- chmod 604 m/stamp
t "truncate" -m -- sh -c 'cp big big2 && truncate -s 12345 big2'
t "dd (conv=notrunc, seek)" -m -- dd if=text of=big2 bs=100 seek=7 count=3 conv=notrunc status=none
t "dd of /dev/zero" -m -- dd if=/dev/zero of=zeros bs=4096 count=5 status=none
t "tee" -m -i "$H/text" -- tee tee.out
t "split" -m -- split -l 150 text part.
t "xargs" -m -- sh -c 'ls part.* | xargs cat | wc -l'
t "find -delete" -m -- find . -name '*.tmp' -delete
t "sha256sum -c (check)" -- sh -c 'sha256sum text big > sums && sha256sum -c sums'

# ---- tar -----------------------------------------------------------------
# An archive's bytes differ (times, directory order): what is in it and
# what comes out of it are compared, the archives removed.
t "tar cf, tf" -f f_sort -- sh -c 'tar cf dir.tar dir && tar tf dir.tar'
t "tar xf" -m -- sh -c 'mkdir x && tar xf dir.tar -C x && rm dir.tar'
t "tar czf, xzf (through gzip)" -m -- sh -c 'tar czf dir.tgz dir && mkdir z && tar xzf dir.tgz -C z && rm dir.tgz'
t "tar pipe (cf - | xf -)" -m -- sh -c 'mkdir y && tar cf - dir | (cd y && tar xf -)'
# Archives crossing: one the host made, extracted under MoL; one MoL
# made, extracted on the host.  Both trees must end the same.
(cd "$H" && tar cf "$work/host.tar" dir)
t "tar xf - of the host's archive" -m -i "$work/host.tar" -- sh -c 'mkdir hx && tar xf - -C hx'
molrun -C /t tar cf - dir >"$work/mol.tar" 2>"$work/detail"
mkdir "$work/mx" && (cd "$work/mx" && tar xf "$work/mol.tar") 2>>"$work/detail"
manifest "$H/dir" >"$work/h.m"
manifest "$work/mx/dir" >"$work/m.m"
cmp -s "$work/h.m" "$work/m.m" || diff -u "$work/h.m" "$work/m.m" >>"$work/detail"
result "tar cf - under MoL, extracted by the host" $? "$work/detail"

# ---- dash ------------------------------------------------------------------
sh_t "sh: pipes" 'cat text | grep word1 | sort | uniq -c | sort -rn | head -3'
sh_t "sh: redirections" -m 'echo one > r; echo two >> r; cat < r > r2; ls nonexistent 2> r3; cat r r2; wc -l < r3'
sh_t "sh: 2>&1 and descriptors" -m 'exec 3> fd3; echo to3 >&3; echo err >&2 2>&1; exec 3>&-; exec 4< fd3; read l <&4; echo "read: $l"'
sh_t "sh: subshells and cd" -m '(cd m/n && echo in > here && pwd); cat m/n/here; pwd'
sh_t "sh: command substitution" 'n=$(wc -l < text); echo "lines $n"; echo "$(head -1 text | cut -d" " -f2)"'
sh_t "sh: here-document" -m 'cat > hd <<END
first $((1 + 2))
second
END
cat hd'
sh_t "sh: while read" 'while read a b c; do [ "$c" = 3 ] && echo "$b"; done < text | wc -l'
sh_t "sh: background and wait" -m '(sleep 0.1; echo bg > bg.out) & wait; cat bg.out'
sh_t "sh: for over a glob" 'for f in dir/*.txt part.*; do printf "%s " "$f"; done; echo'
sh_t "sh: set -e stops" 'set -e; cat nonexistent; echo not reached'
sh_t "sh: noclobber" -m 'set -C; echo x > clob; echo y > clob; cat clob'
sh_t "sh: test operators" 'for f in text dir dir/link-a nonexistent; do [ -f $f ] && echo "f $f"; [ -d $f ] && echo "d $f"; [ -L $f ] && echo "l $f"; [ -s $f ] && echo "s $f"; [ -x $f ] && echo "x $f"; done; [ text -nt nums ] && echo newer; true'

# ---- glibc functions that open files themselves -----------------------------
t "mktemp, mktemp -d" -m -- sh -c 'f=$(mktemp tmpd/mt.XXXXXX) && d=$(mktemp -d -p tmpd) && stat -c %A "$f" "$d" && stat -c %s "$f" && rm "$f" && rmdir "$d"'
t "realpath" -- realpath dir/link-a
t "readlink -f (canonicalize)" -- readlink -f dir/link-a

finish

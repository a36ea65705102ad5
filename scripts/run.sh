#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make run: MoL's demo.  Loads molipc.ko and shows
#   1. raw IPC through /dev/molipc (molipc-demo: a system task, a server
#      and a client; the module's counters for the instance);
#   2. a MoL instance started with molctl, running an ordinary Linux
#      program as a MoL process whose fork, exec, signals and waits go
#      through the process manager; molctl ps and stat; molctl down;
#   3. a MINIX file system: molctl mkimage, molctl up --disk (the disk
#      driver moldisk and the file server molfs over it), a dash script
#      using Debian's tools on the image, molctl down, fsck.minix -f.
# On a host whose running kernel is the module's, this happens right here
# (as root); anywhere else (such as a host that cannot load modules) it
# happens in the qemu guest through tests/vm/molvm.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
bin=$BUILD/bin

if [ -z "${MOLVM:-}" ] && [ "$(uname -r)" != "${KVER:-}" ]; then
	echo "run: host kernel $(uname -r) is not the module's (${KVER:-?}): running in the qemu guest"
	exec tests/vm/molvm scripts/run.sh
fi

loaded=
if [ ! -e /dev/molipc ]; then
	insmod "$BUILD/molipc.ko"
	loaded=1
fi
img=
unload() {
	[ -z "$img" ] || rm -f "$img"
	if [ -n "$loaded" ]; then
		rmmod molipc
		echo "run: molipc.ko unloaded"
	fi
}
trap unload EXIT
echo "run: molipc.ko loaded: $(modinfo -F description "$BUILD/molipc.ko")"

echo
echo "=== 1. MINIX IPC through /dev/molipc"
"$bin/molipc-demo"

echo
echo "=== 2. A MoL instance: molctl up, run, ps, stat, down"
"$bin/molctl" --instance demo up --transport kmod
status=0
"$bin/molctl" --instance demo run "$bin/mol-procdemo" || status=$?
echo "run: molctl run exited with $status"
"$bin/molctl" --instance demo ps
"$bin/molctl" --instance demo stat
"$bin/molctl" --instance demo down
[ $status -eq 0 ] || exit $status

# Part 3's program: a dash script run as a MoL process; every file it
# touches is in the MINIX image (program -> molfs -> moldisk -> image).
demo_script=$(cat <<'EOF'
set -e
x() { printf '$ %s\n' "$*"; eval "$*"; }
x 'mkdir -p /home/demo/notes'
x 'echo "MINIX over Linux" > /home/demo/notes/hello.txt'
x 'cat /home/demo/notes/hello.txt'
x 'printf "%s\n" pear apple fig banana cherry > /home/demo/fruit.txt'
x 'sort /home/demo/fruit.txt | head -3'
x 'tail -2 /home/demo/fruit.txt'
x 'wc -l /home/demo/fruit.txt'
x 'cp /home/demo/fruit.txt /home/demo/notes/fruit.bak'
x 'mv /home/demo/notes/fruit.bak /home/demo/notes/fruit.old'
x '(cd /home/demo/notes && sort -r fruit.old | tr a-z A-Z > sorted.txt; pwd)'
x 'head -2 /home/demo/notes/sorted.txt'
x 'ls -ln /home/demo/notes | tail -1'
x 'echo "root:x:0:0:root:/root:/bin/sh" > /etc/passwd; echo "root:x:0:" > /etc/group'
x 'ls -l /home/demo/notes'
x 'sha256sum /home/demo/notes/hello.txt'
x 'rm /home/demo/notes/fruit.old'
x 'ls /home/demo/notes | wc -l'
EOF
)

echo
echo "=== 3. A MINIX file system: molctl mkimage, up --disk, run, down, fsck"
img=$(mktemp /tmp/mol-demo-XXXXXX)
"$bin/molctl" mkimage "$img" 16M
"$bin/molctl" --instance demo up --transport kmod --disk "$img"
"$bin/molctl" --instance demo ps
status=0
"$bin/molctl" --instance demo run sh -c "$demo_script" || status=$?
echo "run: molctl run exited with $status"
"$bin/molctl" --instance demo down
echo "run: the image from outside MoL (molfs-tool):"
"$bin/molfs-tool" "$img" ls /home/demo/notes
sum=$("$bin/molfs-tool" "$img" cat /home/demo/notes/hello.txt | sha256sum)
want=$(echo "MINIX over Linux" | sha256sum)
if [ "$sum" = "$want" ]; then
	echo "run: hello.txt read back from the image: same sha256"
else
	echo "run: hello.txt read back from the image: sha256 differs"
	status=1
fi
if fsck.minix -f "$img"; then
	echo "run: fsck.minix -f: clean"
else
	echo "run: fsck.minix -f: NOT clean (status $?)"
	status=1
fi
exit $status

# SPDX-License-Identifier: GPL-2.0
#
# The file-system workload of the oracle tests, for `sh -c "$(cat
# workload.sh)" workload DIR`: run by Linux (in a host directory or on
# Linux's own minix mount) and by MoL (under `molctl run`), it must
# leave the same tree in DIR.  Sizes: MINIX v3 with 1 KiB blocks has 7
# direct zones (7168 bytes) and 256 more through the single-indirect
# zone (269312 bytes in all); beyond is double-indirect.  Contents are
# `seq` output, so every block differs from every other.
set -e
cd "$1"
mk() { seq 1 300000 | head -c "$2" > "$1"; }
mkdir -p d1/d2/d3 empty tree/sub many
for n in 0 1 1023 1024 1025 7168 7169 8192 65536 269312 269313 300000 \
	1100000; do
	mk "f$n" "$n"
done
printf 'deep\n' > d1/d2/d3/deep
ln -s f1 sym-rel
ln -s d1/d2 sym-dir
ln -s /does/not/exist dangling
ln -s "$(printf '%0200d' 0)" long-target
ln f1025 hard1
ln f1025 d1/hard2
printf 'a\n' > tree/sub/a
printf 'b\n' > tree/b
mv tree renamed
mv renamed/b renamed/sub/b2
printf 'x\n' > gone
rm gone
printf 'y\n' > gone2
ln gone2 kept
rm gone2
i=0
while [ $i -lt 60 ]; do
	printf '%s\n' $i > many/entry-with-a-long-name-$i
	i=$((i + 1))
done
rm many/entry-with-a-long-name-3 many/entry-with-a-long-name-17 \
	many/entry-with-a-long-name-42
printf 'reused\n' > many/entry-with-a-long-name-3x
rmdir empty
mkdir empty
chmod 600 f1
chmod 700 d1/d2/d3
chmod 1777 empty
chmod 4755 f0
printf 'appended\n' >> f1023
printf 'XYZ' | dd of=f65536 bs=1 seek=30000 conv=notrunc 2>/dev/null
dd if=/dev/zero of=sparse bs=1 count=1 seek=3000000 2>/dev/null
truncate -s 5000 f8192
truncate -s 300 f269313

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# molfs vs. Linux's minix.ko, in one boot of the qemu guest (run by
# `make vmfsbench` through tests/vm/molvm; run directly when already in
# a guest or on a host that can mount loop devices).  Each workload runs
# on a freshly made MINIX v3 image (molctl mkimage = mkfs.minix -3):
#
#   seqwrite  64 MiB in 64 KiB writes, then fsync          (MB/s)
#   seqread   the same file read back, cold                 (MB/s)
#   create    10^4 open(O_CREAT|O_EXCL) + close in one directory, sync
#                                                           (creates/s)
#   tar       tar -xf of /usr/include/linux (~5 MB, ~760 files), sync
#                                                           (MB/s of archive)
#
# minix.ko: mount -t minix -o loop, build/bin/mol-fsbench on the mount;
# drop_caches between write and read.  molfs: molctl up --transport kmod
# --disk IMAGE, mol-fsbench under `molctl run` (one MoL process per
# workload); the instance is restarted between write and read, so molfs's
# cache is empty.  The images live in one tmpfs for both (in the guest).
#
# $1: output directory (the share); writes fsbench-guest.json and
# fsbench-guest.md there and prints the Markdown table.
# Environment: FSBENCH_MIB (64), FSBENCH_FILES (10000), FSBENCH_IMG (200M),
# FSBENCH_RUNS (1: repetitions, the best of each is reported),
# FSBENCH_TRANSPORT (kmod), FSBENCH_ONLY ("molfs" or "minix": one side).
set -u
out=${1:?usage: fsbench.sh OUTDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
bin=$top/$BUILD/bin
molctl=$bin/molctl
fsb=$bin/mol-fsbench
mib=${FSBENCH_MIB:-64}
nfiles=${FSBENCH_FILES:-10000}
imgsize=${FSBENCH_IMG:-200M}
runs=${FSBENCH_RUNS:-1}
transport=${FSBENCH_TRANSPORT:-kmod}
only=${FSBENCH_ONLY:-}
name=fsbench$$

mkdir -p "$out"
for b in molctl molsystem molfs mol-fsbench; do
	[ -x "$bin/$b" ] || { echo "fsbench: $bin/$b missing (make)"; exit 1; }
done
command -v mkfs.minix >/dev/null || { echo "fsbench: mkfs.minix missing"; exit 1; }

loaded=
if [ "$transport" = kmod ] && [ ! -e /dev/molipc ] && [ "$only" != minix ]; then
	insmod "$BUILD/molipc.ko" || exit 1
	loaded=1
fi
if [ "$only" != molfs ]; then
	modprobe loop 2>/dev/null
	modprobe minix 2>/dev/null
fi

base=$(mktemp -d /tmp/fsbench.XXXXXX)
# In the guest /tmp is an overlay (tmpfs over 9p): the images go to a
# plain tmpfs instead, the same for both file systems.
tmpfs=
if [ -n "${MOLVM:-}" ] && mount -t tmpfs -o size=1g fsbench "$base"; then
	tmpfs=1
fi
export MOL_RUN_BASE="$base/run"
unset MOL_TRANSPORT MOL_KERNEL_ADDR MOL_INSTANCE MOL_CONTAINER MOL_FS \
	LD_PRELOAD
img=$base/img
mnt=$base/mnt
res=$base/results
log=$out/fsbench-guest.log
: > "$res"
: > "$log"
mkdir -p "$mnt"

cleanup() {
	timeout 30 "$molctl" -i "$name" down >/dev/null 2>&1
	mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
	[ -n "$tmpfs" ] && umount "$base"
	rm -rf "$base"
	[ -n "$loaded" ] && rmmod molipc 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tar cf "$base/src.tar" -C /usr/include linux || exit 1

# record FS WORKLOAD RUN LINE: keep mol-fsbench's line (or the failure).
record() {
	echo "$1 $2 $3 $4" >> "$res"
	echo "$1 $2 run $3: $4" >> "$log"
	echo "fsbench: $1 $2 run $3: $4"
}

fresh() {
	"$molctl" mkimage "$img" "$imgsize" >/dev/null || exit 1
}

fsck_img() {
	if ! fsck.minix -f "$img" >"$base/fsck" 2>&1; then
		echo "fsbench: $1: fsck.minix -f failed:" | tee -a "$log"
		tee -a "$log" < "$base/fsck"
	fi
}

# --- Linux's minix.ko -------------------------------------------------
k_mount() { mount -t minix -o loop "$img" "$mnt"; }
k_umount() { umount "$mnt"; }

# Each workload on minix.ko then on molfs, back to back, so that a
# change in the host's load hits both sides alike.
k_seq() {
	fresh; k_mount || { record minix.ko seqwrite "$r" "failed: mount"; return; }
	record minix.ko seqwrite "$r" "$("$fsb" write "$mnt/f" "$mib" 2>&1)"
	sync; echo 3 > /proc/sys/vm/drop_caches
	record minix.ko seqread "$r" "$("$fsb" read "$mnt/f" 2>&1)"
	k_umount; fsck_img "minix.ko seq"
}
k_create() {
	fresh; k_mount || { record minix.ko create "$r" "failed: mount"; return; }
	record minix.ko create "$r" "$("$fsb" create "$mnt/d" "$nfiles" 2>&1)"
	k_umount; fsck_img "minix.ko create"
}
k_tar() {
	fresh; k_mount || { record minix.ko tar "$r" "failed: mount"; return; }
	record minix.ko tar "$r" "$("$fsb" tar "$mnt/src" < "$base/src.tar" 2>&1)"
	n=$(find "$mnt/src" | wc -l)
	[ "$n" = "$ntar" ] || echo "fsbench: minix.ko tar: $n entries, expected $ntar" | tee -a "$log"
	k_umount; fsck_img "minix.ko tar"
}

# --- molfs, through molctl ------------------------------------------
# mol-fsbench is seen in the MoL tree through a host mount of its
# directory, next to the default ones.
printf '[disks]\nhost_mounts = /bin /sbin /usr /lib /lib64 /etc/alternatives %s\n' \
	"$(dirname "$fsb")" >"$base/fsbench.ini"
m_up() {
	timeout 120 "$molctl" -i "$name" up --transport "$transport" \
		--config "$base/fsbench.ini" --disk "$img" >/dev/null \
		2>"$base/up.err" && return 0
	cat "$base/up.err" "$MOL_RUN_BASE/$name/molsystem.log" 2>/dev/null | tee -a "$log"
	return 1
}
m_down() { timeout 60 "$molctl" -i "$name" down >/dev/null; }
m_stat() {	# the IPC counters, for "where the time goes"
	echo "--- molctl stat after molfs $1 run $r" >> "$log"
	"$molctl" -i "$name" stat >> "$log" 2>&1
}
m_bench() { timeout 600 "$molctl" -i "$name" run "$fsb" "$@" 2>&1; }

m_seq() {
	fresh; m_up || { record molfs seqwrite "$r" "failed: molctl up"; return; }
	record molfs seqwrite "$r" "$(m_bench write /f "$mib")"
	m_stat seqwrite
	m_down; m_up || { record molfs seqread "$r" "failed: molctl up"; return; }
	record molfs seqread "$r" "$(m_bench read /f)"
	m_stat seqread
	m_down; fsck_img "molfs seq"
}
m_create() {
	fresh; m_up || { record molfs create "$r" "failed: molctl up"; return; }
	record molfs create "$r" "$(m_bench create /d "$nfiles")"
	m_stat create
	m_down; fsck_img "molfs create"
}
m_tar() {
	fresh; m_up || { record molfs tar "$r" "failed: molctl up"; return; }
	record molfs tar "$r" "$(m_bench tar /src < "$base/src.tar")"
	m_stat tar
	n=$(timeout 120 "$molctl" -i "$name" run find /src | wc -l)
	[ "$n" = "$ntar" ] || echo "fsbench: molfs tar: $n entries, expected $ntar" | tee -a "$log"
	m_down; fsck_img "molfs tar"
}

ntar=$(( $(tar tf "$base/src.tar" | wc -l) + 1 ))	# + /src itself
t0=$(date +%s)
i=1
while [ $i -le "$runs" ]; do
	r=$i
	for w in seq create tar; do
		[ "$only" = molfs ] || k_$w
		[ "$only" = minix ] || m_$w
	done
	i=$((i + 1))
done
echo "fsbench: $(( $(date +%s) - t0 )) s" | tee -a "$log"

python3 - "$res" "$out" "$mib" "$nfiles" "$transport" "$(uname -r)" \
	"$(stat -c %s "$base/src.tar")" "$ntar" <<'EOF'
import json, re, sys
res, out, mib, nfiles, transport, kver, tarbytes, ntar = sys.argv[1:]
units = {"seqwrite": "MB/s", "seqread": "MB/s", "create": "creates/s",
         "tar": "MB/s"}
what = {"seqwrite": f"sequential write, {mib} MiB, 64 KiB writes + fsync",
        "seqread": f"sequential read, {mib} MiB, 64 KiB reads, cold",
        "create": f"{nfiles} creates in one directory + sync",
        "tar": f"tar x, /usr/include/linux ({int(tarbytes) / 1e6:.1f} MB, {int(ntar) - 1} entries) + sync"}
targets = {"seqread": 0.50, "create": 0.30}
best = {}
rows = []
for line in open(res):
    fs, wl, run, text = line.rstrip("\n").split(" ", 3)
    m = re.search(r"ok ns=(\d+) sync_ns=(\d+) bytes=(\d+) ops=(\d+)", text)
    r = {"fs": fs, "workload": wl, "run": int(run), "ok": bool(m)}
    if m:
        ns, sync_ns, nbytes, ops = map(int, m.groups())
        r.update(ns=ns, sync_ns=sync_ns, bytes=nbytes, ops=ops)
        if wl == "create":
            r["rate"] = ops * 1e9 / ns
            r["rate_nosync"] = ops * 1e9 / (ns - sync_ns)
        else:
            r["rate"] = nbytes * 1e3 / ns
            r["rate_nosync"] = nbytes * 1e3 / (ns - sync_ns)
        r["unit"] = units[wl]
        k = (fs, wl)
        if k not in best or r["rate"] > best[k]["rate"]:
            best[k] = r
    else:
        r["error"] = text
        for w in (units if wl == "all" else (wl,)):
            best.setdefault((fs, w), r)
    rows.append(r)

summary = []
md = ["| workload | minix.ko | molfs | molfs / minix.ko | target | met? |",
      "|---|---:|---:|---:|---:|---|"]
def fmt(r):
    if not r:
        return "not run"
    if not r["ok"]:
        return "FAILED"
    return f"{r['rate']:.1f} {r['unit']}" if r["unit"] == "MB/s" else f"{r['rate']:.0f} {r['unit']}"
for wl in ("seqwrite", "seqread", "create", "tar"):
    k, m = best.get(("minix.ko", wl)), best.get(("molfs", wl))
    ratio = m["rate"] / k["rate"] if k and m and k["ok"] and m["ok"] else None
    ratio_ns = (m["rate_nosync"] / k["rate_nosync"]
                if ratio is not None else None)
    t = targets.get(wl)
    met = "-" if t is None or ratio is None else ("yes" if ratio >= t else "no")
    md.append(f"| {what[wl]} | {fmt(k)} | {fmt(m)} | "
              f"{'-' if ratio is None else f'{ratio * 100:.0f} %'} | "
              f"{'-' if t is None else f'>= {t * 100:.0f} %'} | {met} |")
    summary.append({"workload": wl, "what": what[wl],
                    "minix.ko": k, "molfs": m, "ratio": ratio,
                    "ratio_without_final_sync": ratio_ns, "target": t})
nosync = [f"{s['workload']} {s['ratio_without_final_sync'] * 100:.0f} %"
          for s in summary if s["ratio_without_final_sync"] is not None]
if nosync:
    md += ["", "molfs / minix.ko without the final fsync/sync: "
           + ", ".join(nosync) + "."]
text = "\n".join(md) + "\n"
print(text, end="")
open(f"{out}/fsbench-guest.md", "w").write(text)
json.dump({"kernel": kver, "transport": transport, "mib": int(mib),
           "files": int(nfiles), "tar_bytes": int(tarbytes),
           "summary": summary, "runs": rows},
          open(f"{out}/fsbench-guest.json", "w"), indent=1)
EOF
st=$?
grep -q ' failed' "$res" && st=1
exit $st

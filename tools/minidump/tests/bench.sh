#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Benchmark: extraction reads only SMEM's table and the registered regions,
# so a 16 GiB sparse RAM image costs about what a 256 MiB one holding the
# same regions costs. Both images get the same 32 MiB of content (gen.py:
# SMEM, the table, the regions) at the same addresses; the 256 MiB one is
# written out in full, the 16 GiB one is sparse. Times are the best of N
# runs of "minidump assemble", with SMEM searched for and with --smem given.
#
# usage: tests/bench.sh [RUNS]   (make bench)

set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out=$top/test-out/bench
runs=${1:-5}
base=0x80000000

mkdir -p "$out"
"$top/qcom-smem-image" -o "$out/smem.bin" --base $((base + (30 << 20)))
python3 "$here/gen.py" "$out/s" "$out/smem.bin"

rm -f "$out/ram-256M.bin" "$out/ram-16G.bin"
cp "$out/s/ram.bin" "$out/ram-256M.bin"
truncate -s 256M "$out/ram-256M.bin"
# Written out, not sparse: what a 256 MiB dump from a device is.
dd if=/dev/zero of="$out/ram-256M.bin" bs=1M seek=32 count=224 conv=notrunc status=none
cp --sparse=always "$out/s/ram.bin" "$out/ram-16G.bin"
truncate -s 16G "$out/ram-16G.bin"
echo "images: $(du -h --apparent-size "$out/ram-256M.bin" | cut -f1) ($(du -h "$out/ram-256M.bin" | cut -f1) on disk)," \
     "$(du -h --apparent-size "$out/ram-16G.bin" | cut -f1) ($(du -h "$out/ram-16G.bin" | cut -f1) on disk)"

# best IMAGE ARGS...: the best wall time of $runs runs, in milliseconds.
best() {
	local img=$1 b= t0 t1 ms i
	shift
	for i in $(seq "$runs"); do
		t0=$(date +%s%N)
		"$top/minidump" assemble "$img" --base $base "$@" -o "$out/out.elf" > /dev/null
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
		python3 "$here/elfcheck.py" same "$out/s/expected.elf" "$out/out.elf" ||
			{ echo "wrong output" >&2; exit 1; }
	done
	echo "$b"
}

for mode in search given; do
	args=()
	[ $mode = given ] && args=(--smem $((base + (30 << 20))) --smem-size 0x200000)
	small=$(best "$out/ram-256M.bin" "${args[@]}")
	large=$(best "$out/ram-16G.bin" "${args[@]}")
	ratio=$(echo "scale=2; $large / ($small + 0.001)" | bc)
	echo "SMEM $mode: 256 MiB image ${small} ms, 16 GiB sparse image ${large} ms, ratio ${ratio}"
done
rm -f "$out/ram-256M.bin" "$out/ram-16G.bin"

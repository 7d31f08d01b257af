#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: an emulated Snapdragon crash and its minidump collection.
#
#  1. build an arm64 6.12 kernel with the real qcom_smem driver, the
#     minidump core, the SMEM backend, the kernel-log client and the sample;
#  2. play boot firmware's part: an SMEM image with the minidump table of
#     contents (item 602), and a device tree with SMEM in it;
#  3. boot it under qemu -machine virt; init checks the drivers are bound,
#     loads the sample client and crashes the kernel with sysrq c;
#  4. play firmware's dump: save RAM over QMP, walk the table as firmware
#     does and write md_<name>.BIN, dump_info.txt and load.cmm;
#  5. assemble minidump.elf from those files and report;
#  6. check it all, and boot twice more without a usable SMEM image;
#  7. the same crash, collection and checks on the mmio board, where the
#     table sits behind the hypervisor's registers (scripts/demo/mmio.sh).
#
# Every artefact goes to $MINIDUMP_OUT (default build/demo), the mmio
# board's to $MINIDUMP_MMIO_OUT (default build/demo/mmio). Prints one PASS
# or FAIL line per check; exits 1 if any check failed.

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/demo/mmio.sh"

out=${MINIDUMP_OUT:-$build/demo}
mmio_out=${MINIDUMP_MMIO_OUT:-$build/demo/mmio}
ram_base=0x40000000
ram_mb=512
smem_addr=5fe00000	# the top 2 MiB of RAM, below 4 GiB, clear of kernel and initrd
mutex_addr=5fdc0000
boot_timeout=180

check() {
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$what"; else fail "$what"; fi
}

phase_start=$(date +%s.%N)
phase() {
	local now
	now=$(date +%s.%N)
	printf '== %-34s %6.1f s\n' "$1" "$(echo "$now - $phase_start" | bc)"
	phase_start=$now
}

die() {
	echo "demo: $*" >&2
	fail "$*"
	echo "$passed passed, $failed failed"
	exit 1
}

mkdir -p "$out" "$logs"
out=$(cd "$out" && pwd)
echo "demo: output in $out"

# ---- 1. build -------------------------------------------------------------

prepare_tree || die "kernel tree preparation failed"
missing=$(configure_arm64) || die "arm64 configuration failed: see $logs/arm64-config.log"
[ -z "$missing" ] || die "arm64 config: not set as asked: $(echo $missing)"
if ! build_arm64; then
	grep -E '(error|warning):' "$logs/arm64-build.log" | head -20 >&2
	die "arm64 kernel build failed: see $logs/arm64-build.log"
fi
phase "kernel build"

make -s -C "$repo/tools/minidump" > "$logs/tools-build.log" 2>&1 ||
	die "host tools build failed: see $logs/tools-build.log"
minidump=$repo/tools/minidump/minidump
${cross}gcc -static -Os -Wall -o "$out/init" "$repo/scripts/demo/init.c" ||
	die "static init build failed"
phase "host tools and init"

# ---- 2. firmware's part: SMEM image, device tree, initramfs ---------------

"$repo/tools/minidump/qcom-smem-image" -o "$out/smem.bin" --base 0x$smem_addr ||
	die "SMEM image failed"
"$repo/tools/minidump/qcom-smem-image" -o "$out/smem-no-toc.bin" --base 0x$smem_addr \
	--no-minidump || die "SMEM image without item 602 failed"

qemu_machine=(qemu-system-aarch64 -machine virt -cpu cortex-a57 -smp 2 -m ${ram_mb}M -nic none)
"${qemu_machine[@]}" -machine dumpdtb="$out/virt.dtb" -display none >/dev/null 2>&1 ||
	die "qemu could not dump its device tree"
dtc -q -I dtb -O dts -o "$out/virt.dts" "$out/virt.dtb" || die "dtc could not read virt.dtb"
{ cat "$out/virt.dts"
  sed -e "s/@SMEM@/$smem_addr/g" -e "s/@MUTEX@/$mutex_addr/g" "$repo/scripts/demo/board.dtsi"
} > "$out/board.dts"
dtc -q -I dts -O dtb -o "$out/board.dtb" "$out/board.dts" || die "dtc could not build board.dtb"

cat > "$out/initramfs.list" <<EOF
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
dir /proc 0755 0 0
dir /sys 0755 0 0
file /init $out/init 0755 0 0
file /qcom_minidump_sample.ko $arm64/samples/qcom_minidump/qcom_minidump_sample.ko 0644 0 0
EOF
"$arm64/usr/gen_init_cpio" "$out/initramfs.list" > "$out/initramfs.cpio" ||
	die "initramfs failed"
phase "SMEM image, device tree, initramfs"

# ---- 3. boot and crash ----------------------------------------------------

# boot NAME SMEM_IMAGE APPEND: boot in the background; console in NAME.log.
boot() {
	local name=$1 image=$2 append=$3
	local loader=()

	[ -n "$image" ] && loader=(-device "loader,file=$image,addr=0x$smem_addr,force-raw=on")
	rm -f "$out/$name.log" "$out/$name.qmp"
	"${qemu_machine[@]}" -display none -no-reboot -monitor none \
		-kernel "$arm64/arch/arm64/boot/Image" -initrd "$out/initramfs.cpio" \
		-dtb "$out/board.dtb" "${loader[@]}" \
		-append "console=ttyAMA0 nokaslr $append" \
		-serial "file:$out/$name.log" \
		-qmp "unix:$out/$name.qmp,server=on,wait=off" &
	qemu_pid=$!
}

# Wait up to 10 s for qemu to exit, then make it.
stop_qemu() {
	local t

	for t in $(seq 100); do
		kill -0 "$qemu_pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$qemu_pid" 2>/dev/null
	wait "$qemu_pid" 2>/dev/null
}

# wait_for NAME PATTERN: until the console shows PATTERN or qemu exits.
wait_for() {
	local name=$1 pattern=$2 t=0

	while [ $t -lt $((boot_timeout * 10)) ]; do
		grep -qE "$pattern" "$out/$name.log" 2>/dev/null && return 0
		kill -0 "$qemu_pid" 2>/dev/null || { grep -qE "$pattern" "$out/$name.log"; return; }
		sleep 0.1
		t=$((t + 1))
	done
	return 1
}

boot crash "$out/smem.bin" "mddemo=crash"
if ! wait_for crash 'Kernel panic - not syncing|mddemo: FAIL'; then
	kill "$qemu_pid" 2>/dev/null
	tail -30 "$out/crash.log" >&2
	die "the kernel did not reach the panic: see $out/crash.log"
fi
phase "boot to panic"

# ---- 4. firmware's dump ---------------------------------------------------

rm -f "$out/ram.bin"
python3 "$repo/scripts/demo/qmp.py" "$out/crash.qmp" \
	'{"execute": "stop"}' \
	"{\"execute\": \"pmemsave\", \"arguments\": {\"val\": $((ram_base)), \"size\": $((ram_mb << 20)), \"filename\": \"$out/ram.bin\"}}" \
	'{"execute": "quit"}' || die "QMP: could not save guest RAM"
stop_qemu
rm -rf "$out/md"
"$minidump" split "$out/ram.bin" --base $ram_base -o "$out/md" > "$out/split.log" 2>&1
split_rc=$?
phase "RAM saved, regions split out"

# ---- 5. assemble and report ----------------------------------------------

"$minidump" assemble "$out/md" -o "$out/minidump.elf" > "$out/assemble.log" 2>&1
assemble_rc=$?
phase "minidump.elf assembled"

echo
echo "Regions firmware dumped (dump_info.txt):"
awk -F'\t' '{ gsub(/ +$/, "", $3); printf "  %-12s %s %10d bytes\n", $3, substr($1, 3), $2 }' \
	"$out/md/dump_info.txt" 2>/dev/null
echo
echo "linux_banner in the dump:"
tr -d '\0' < "$out/md/md_KBANNER.BIN" 2>/dev/null | head -1 | sed 's/^/  /'
echo
echo "Kernel log at the panic (minidump dmesg), last lines:"
"$minidump" dmesg "$out/md" 2>/dev/null | tail -8 | sed 's/^/  /'
echo
"$minidump" summary "$out/minidump.elf" 2>&1 | sed 's/^/  /'
echo

# ---- 6. checks ------------------------------------------------------------

con=$out/crash.log
check "boot: init started" grep -q 'mddemo: init started' "$con"
check "boot: qcom_smem bound" grep -q 'mddemo: qcom-smem bound: yes' "$con"
check "boot: minidump SMEM backend bound" grep -q 'mddemo: qcom-minidump-smem bound: yes' "$con"
check "boot: sample unloaded and loaded again" grep -q 'mddemo: sample loaded, unloaded' "$con"
check "boot: backend unbound and bound again" grep -q 'mddemo: backend unbound and bound again' "$con"
check "panic: sysrq c" grep -q 'Kernel panic - not syncing: sysrq triggered crash' "$con"
check "split: every region complete (exit $split_rc)" test "$split_rc" -eq 0
for f in KELF_HEADER KVMCOREINFO KBANNER KLOGBUF KSAMPLE; do
	check "dump: md_$f.BIN" test -s "$out/md/md_$f.BIN"
done

# What the kernel said it registered, against what firmware dumped; both
# as "0xADDR SIZE" with no leading zeroes.
registered() {
	local addr size

	read -r addr size < <(sed -nE "s/.*$1: ([0-9]+) bytes at (0x[0-9a-f]+).*/\2 \1/p" \
		"$con" | tail -1)
	[ -n "$addr" ] && printf '%#x %d\n' "$addr" "$size"
}
dumped() {
	local addr size

	read -r addr size < <(tr -d '\r' < "$out/md/dump_info.txt" |
		awk -F'\t' -v f="md_$1.BIN" '$4 == f { split($1, a, " "); print a[2], $2 }')
	[ -n "$addr" ] && printf '%#x %d\n' "$addr" "$((10#$size))"
}
for r in "SAMPLE:region SAMPLE registered" "LOGBUF:minidump region LOGBUF"; do
	name=${r%%:*}
	want=$(registered "${r#*:}")
	got=$(dumped "K$name")
	check "dump: K$name at the address and size the kernel registered ($want)" \
		test -n "$want" -a "$want" = "$got"
done
check "dump: the sample's pattern, byte for byte" python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
sys.exit(0 if data == bytes((i * 7 + 0x5a) & 0xff for i in range(4096)) else 1)' \
	"$out/md/md_KSAMPLE.BIN"
check "dump: kernel log holds the panic" \
	sh -c "'$minidump' dmesg '$out/md' | grep -q 'sysrq triggered crash'"

check "assemble: complete (exit $assemble_rc)" test "$assemble_rc" -eq 0
check "verify: minidump.elf matches the md files" "$minidump" verify "$out/md" "$out/minidump.elf"
readelf -a "$out/minidump.elf" > "$out/readelf.txt" 2>&1
check "readelf -a: no warning" sh -c "! grep -qiE 'warning|error' '$out/readelf.txt'"
gdb-multiarch -batch -nx -ex 'x/s (char *)&linux_banner' "$arm64/vmlinux" \
	"$out/minidump.elf" > "$out/gdb.txt" 2>&1
check "gdb: linux_banner read from minidump.elf" grep -q 'linux_banner>:.*"Linux version' "$out/gdb.txt"
sed -n 's/.*linux_banner>: *//p' "$out/gdb.txt" | head -1 | cut -c1-100 | sed 's/^/  gdb: /'

# ---- negative runs --------------------------------------------------------

boot no-smem "" "mddemo=negative"
wait_for no-smem 'mddemo: negative run done|mddemo: FAIL'
stop_qemu
check "no SMEM image: qcom_smem says why" grep -q 'SMEM is not initialized by SBL' "$out/no-smem.log"
check "no SMEM image: backend not bound, init reached" \
	grep -q 'mddemo: qcom-minidump-smem bound: no' "$out/no-smem.log"

boot no-toc "$out/smem-no-toc.bin" "mddemo=negative"
wait_for no-toc 'mddemo: negative run done|mddemo: FAIL'
stop_qemu
check "no item 602: the backend says why" grep -q 'no minidump table in SMEM item 602' \
	"$out/no-toc.log"
check "no item 602: backend not bound, init reached" \
	grep -q 'mddemo: qcom-minidump-smem bound: no' "$out/no-toc.log"
phase "checks and negative runs"

# ---- 7. the mmio board ----------------------------------------------------

mmio_demo "$mmio_out" "$out/virt.dts" "$out/initramfs.cpio" "$out/smem.bin"

echo "demo: artefacts in $out (minidump.elf, md/, ram.bin, *.log)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

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
"$repo/scripts/install-debuggers.sh" >&2 || die "debugger installation failed"
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

# boot PREFIX SMEM_IMAGE APPEND [DTB [QEMU_ARG...]]: boot in the background;
# console in PREFIX.log, QMP socket PREFIX.qmp. The board is $out/board.dtb
# unless DTB is given; QEMU_ARGs are added (more loaders, say).
boot() {
	local prefix=$1 image=$2 append=$3 dtb=${4:-$out/board.dtb}
	local loader=()

	shift $(($# < 4 ? $# : 4))
	[ -n "$image" ] && loader=(-device "loader,file=$image,addr=0x$smem_addr,force-raw=on")
	rm -f "$prefix.log" "$prefix.qmp"
	"${qemu_machine[@]}" -display none -no-reboot -monitor none \
		-kernel "$arm64/arch/arm64/boot/Image" -initrd "$out/initramfs.cpio" \
		-dtb "$dtb" "${loader[@]}" "$@" \
		-append "console=ttyAMA0 $append" \
		-serial "file:$prefix.log" \
		-qmp "unix:$prefix.qmp,server=on,wait=off" &
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

# wait_for PREFIX PATTERN: until the console PREFIX.log shows PATTERN or qemu exits.
wait_for() {
	local log=$1.log pattern=$2 t=0

	while [ $t -lt $((boot_timeout * 10)) ]; do
		grep -qE "$pattern" "$log" 2>/dev/null && return 0
		kill -0 "$qemu_pid" 2>/dev/null || { grep -qE "$pattern" "$log"; return; }
		sleep 0.1
		t=$((t + 1))
	done
	return 1
}

# save_ram PREFIX RAM: firmware's dump: stop the guest and save its RAM over
# the QMP socket PREFIX.qmp into RAM, then end qemu.
save_ram() {
	python3 "$repo/scripts/demo/qmp.py" "$1.qmp" \
		'{"execute": "stop"}' \
		"{\"execute\": \"pmemsave\", \"arguments\": {\"val\": $((ram_base)), \"size\": $((ram_mb << 20)), \"filename\": \"$2\"}}" \
		'{"execute": "quit"}' > "$1.qmp.log" 2>&1
	local rc=$?

	stop_qemu
	return $rc
}

# The checks of every crash's dump, labelled LABEL, for console CON and DIR
# (md/, minidump.elf): the clients' regions where the kernel put them and
# the sample's bytes; gdb reading linux_banner from minidump.elf.
check_regions() {
	local label=$1 con=$2 dir=$3 r name want got

	for r in "SAMPLE:region SAMPLE registered" "LOGBUF:minidump region LOGBUF"; do
		name=${r%%:*}
		want=$(registered "$con" "${r#*:}")
		got=$(dumped "$dir" "K$name")
		check "$label: dump: K$name at the address and size the kernel registered ($want)" \
			test -n "$want" -a "$want" = "$got"
	done
	check "$label: dump: the sample's pattern, byte for byte" python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
sys.exit(0 if data == bytes((i * 7 + 0x5a) & 0xff for i in range(4096)) else 1)' \
		"$dir/md/md_KSAMPLE.BIN"
}
# gdb as the tool's command line runs it (symbol-file with the KASLR offset,
# then core-file: no memory from vmlinux's file image), batch, with CMDS.
run_gdb() {
	local dir=$1 line
	shift

	line=$(sed -n 's/^gdb: //p' "$dir/assemble.log")
	line=${line% -ex bt}
	eval "timeout 300 $line -batch -nx $(printf " -ex '%s'" "$@")"
}
check_gdb_banner() {
	run_gdb "$2" 'x/s (char *)&linux_banner' > "$2/gdb.txt" 2>&1
	check "$1: gdb: linux_banner read from minidump.elf" \
		grep -q 'linux_banner>:.*"Linux version' "$2/gdb.txt"
}

# in_order FILE NAME...: each NAME names a frame of FILE's backtrace, in
# this order (callee first), each on a later line than the one before.
in_order() {
	python3 - "$@" <<'PY'
import re, sys
lines = open(sys.argv[1], errors="replace").read().splitlines()
at = -1
for name in sys.argv[2:]:
    hits = [i for i, l in enumerate(lines) if i > at and re.search(r"\b%s\b" % re.escape(name), l)]
    if not hits:
        sys.exit(1)
    at = hits[0]
PY
}

# debugger_bt KIND FRAME...: the crashed CPU's backtrace in gdb (the tool's
# command line), drgn 0.3.0 and Debian's drgn 0.0.22, which must show the
# FRAMEs in order; and how far crash 8.0.2 gets without --minimal. gdb 13
# does not apply an arm64 module's debug-info relocations, so when the
# first FRAME is in a module gdb must only name it, by its symbol table.
debugger_bt() {
	local kind=$1 dir=$out/$1 drgn_py=$build/venv-drgn/bin/python
	shift

	run_gdb "$dir" bt 'info symbol $pc' > "$dir/gdb-bt.txt" 2>&1
	if grep -q '^module: ' "$dir/summary.txt"; then
		check "$kind: gdb: the pc is in $1, in the module" \
			grep -qE "^$1(\.[a-z]+(\.[0-9]+)?)? \+ [0-9]+ in section \.text of .*\.ko" \
			"$dir/gdb-bt.txt"
	else
		check "$kind: gdb bt: $*" in_order "$dir/gdb-bt.txt" "$@"
	fi
	timeout 300 "$drgn_py" "$repo/scripts/demo/drgn-bt.py" "$dir/minidump.elf" \
		"$arm64/vmlinux" "$arm64" > "$dir/drgn-bt.txt" 2>&1
	check "$kind: drgn 0.3.0 crashed_thread().stack_trace(): $*" \
		in_order "$dir/drgn-bt.txt" "$@"
	if timeout 300 /usr/bin/python3 "$repo/scripts/demo/drgn-bt.py" "$dir/minidump.elf" \
		"$arm64/vmlinux" "$arm64" > "$dir/drgn-debian-bt.txt" 2>&1; then
		check "$kind: Debian's drgn 0.0.22 stack trace: $*" \
			in_order "$dir/drgn-debian-bt.txt" "$@"
	else
		echo "  [$kind] Debian's drgn 0.0.22: $(tail -1 "$dir/drgn-debian-bt.txt")"
	fi
	printf 'bt\nquit\n' | timeout 300 qemu-aarch64-static "$build/crash-arm64/usr/bin/crash" \
		"$arm64/vmlinux" "$dir/minidump.elf" > "$dir/crash-bt.txt" 2>&1
	echo "  [$kind] crash 8.0.2 without --minimal stops at: $(grep -m1 -E '^crash: ' \
		"$dir/crash-bt.txt" || tail -1 "$dir/crash-bt.txt")"
	echo "  [$kind] gdb bt:"
	grep -E '^#[0-9]+ ' "$dir/gdb-bt.txt" | head -8 | sed 's/^/    /'
	echo "  [$kind] drgn 0.3.0 stack_trace():"
	grep -E '^#[0-9]+ ' "$dir/drgn-bt.txt" | head -8 | sed 's/^/    /'
}

# ---- 3.-6. each crash kind: boot, crash, firmware's dump, assemble, check --

# debugger_logs KIND LAST: drgn's get_dmesg() (PyPI's drgn, and Debian's
# 0.0.22 for information) and crash's "log" (--minimal) from minidump.elf;
# each log must end with a line holding LAST.
debugger_logs() {
	local kind=$1 last=$2 dir=$out/$1 drgn_py=$build/venv-drgn/bin/python crash_out

	ends_with() {
		grep -v '^[[:space:]]*$' "$1" | tail -1 | grep -qF -- "$2"
	}
	timeout 300 "$drgn_py" "$repo/scripts/demo/drgn-dmesg.py" "$dir/minidump.elf" \
		"$arm64/vmlinux" > "$dir/drgn-dmesg.txt" 2> "$dir/drgn-dmesg.err"
	check "$kind: drgn $("$drgn_py" -c 'import drgn; print(drgn.__version__)' 2>/dev/null) get_dmesg() ends with: $last" \
		ends_with "$dir/drgn-dmesg.txt" "$last"
	if timeout 300 /usr/bin/python3 "$repo/scripts/demo/drgn-dmesg.py" "$dir/minidump.elf" \
		"$arm64/vmlinux" > "$dir/drgn-debian-dmesg.txt" 2> "$dir/drgn-debian-dmesg.err"; then
		check "$kind: Debian's drgn 0.0.22 get_dmesg() ends with: $last" \
			ends_with "$dir/drgn-debian-dmesg.txt" "$last"
	else
		echo "  [$kind] Debian's drgn 0.0.22 cannot read this kernel: $(tail -1 "$dir/drgn-debian-dmesg.err")"
	fi
	printf 'log\nquit\n' | timeout 300 qemu-aarch64-static "$build/crash-arm64/usr/bin/crash" \
		--minimal "$arm64/vmlinux" "$dir/minidump.elf" > "$dir/crash-log.txt" 2>&1
	crash_out=$dir/crash-log-only.txt
	# What "log" printed: after crash's banner, which ends with the note on minimal mode.
	sed -n '/^NOTE: minimal mode commands/,$p' "$dir/crash-log.txt" | sed '1d' > "$crash_out"
	check "$kind: crash 8.0.2 --minimal log ends with: $last" ends_with "$crash_out" "$last"
	echo "  [$kind] last line, drgn:  $(grep -v '^[[:space:]]*$' "$dir/drgn-dmesg.txt" | tail -1)"
	echo "  [$kind] last line, crash: $(grep -v '^[[:space:]]*$' "$crash_out" | tail -1)"
}

# crash_run KIND APPEND PATTERN LAST: boot with APPEND, wait for PATTERN on
# the console (the kernel has crashed), then play firmware's dump; the
# debuggers' logs must end with a line holding LAST. Everything
# of the kind goes to $out/KIND: console.log, ram.bin, md/, minidump.elf.
crash_run() {
	local kind=$1 append=$2 pattern=$3 dir=$out/$1
	local con=$out/$1/console.log

	mkdir -p "$dir"
	boot "$dir/console" "$out/smem.bin" "$append"
	if ! wait_for "$dir/console" "$pattern|mddemo: FAIL"; then
		kill "$qemu_pid" 2>/dev/null
		tail -30 "$con" >&2
		fail "$kind: the kernel did not crash: see $con"
		return 1
	fi
	# A wedged kernel prints nothing more: give every CPU time to stop.
	[ "$kind" = bite ] && sleep 2
	phase "$kind: boot to crash"

	rm -f "$dir/ram.bin"
	save_ram "$dir/console" "$dir/ram.bin" || { fail "$kind: QMP could not save RAM"; return 1; }
	rm -rf "$dir/md"
	"$minidump" split "$dir/ram.bin" --base $ram_base -o "$dir/md" > "$dir/split.log" 2>&1
	split_rc=$?
	"$minidump" assemble "$dir/md" -o "$dir/minidump.elf" --vmlinux "$arm64/vmlinux" \
		--module-dir "$arm64" > "$dir/assemble.log" 2> "$dir/assemble.err"
	assemble_rc=$?
	phase "$kind: RAM saved, split, assembled"

	echo
	echo "[$kind] regions firmware dumped (dump_info.txt):"
	awk -F'\t' '{ gsub(/ +$/, "", $3); printf "  %-12s %s %10d bytes\n", $3, substr($1, 3), $2 }' \
		"$dir/md/dump_info.txt" 2>/dev/null
	awk -F'\t' '{ n += $2; if ($3 ~ /^K(PRB|LOGBUF)/) logb += $2
		if ($3 ~ /^K(RQ|TASK|STK|IRQ|OVF|PC|PANIC_CPU|PCPU_OFFS)/) cpub += $2 }
		END { printf "  firmware dumps %d bytes in all, %d of them for the log, " \
			"%d for the registers'"'"' debuggers (tasks, stacks, code, runqueues)\n",
			n, logb, cpub }' "$dir/md/dump_info.txt"
	echo "[$kind] linux_banner in the dump:"
	tr -d '\0' < "$dir/md/md_KBANNER.BIN" 2>/dev/null | head -1 | sed 's/^/  /'
	echo "[$kind] the debuggers' command lines (minidump assemble):"
	sed 's/^/  /' "$dir/assemble.log"
	echo "[$kind] kernel log (minidump dmesg, from the live ring), last lines:"
	"$minidump" dmesg "$dir/minidump.elf" > "$dir/minidump-dmesg.txt" 2> "$dir/minidump-dmesg.err"
	dmesg_rc=$?
	tail -4 "$dir/minidump-dmesg.txt" | sed 's/^/  /'
	"$minidump" summary "$dir/minidump.elf" > "$dir/summary.txt" 2>&1
	sed 's/^/  /' "$dir/summary.txt"
	echo

	check "$kind: boot: init started" grep -q 'mddemo: init started' "$con"
	check "$kind: boot: qcom_smem bound" grep -q 'mddemo: qcom-smem bound: yes' "$con"
	check "$kind: boot: minidump SMEM backend bound" \
		grep -q 'mddemo: qcom-minidump-smem bound: yes' "$con"
	check "$kind: boot: sample unloaded and loaded again" \
		grep -q 'mddemo: sample loaded, unloaded' "$con"
	check "$kind: boot: backend unbound and bound again" \
		grep -q 'mddemo: backend unbound and bound again' "$con"
	check "$kind: split: every region complete (exit $split_rc)" test "$split_rc" -eq 0
	for f in KELF_HEADER KVMCOREINFO KBANNER KLOGBUF KSAMPLE KPRB KPRB_RING KPRB_DESCS \
		 KPRB_INFOS KPRB_TEXT; do
		check "$kind: dump: md_$f.BIN" test -s "$dir/md/md_$f.BIN"
	done
	check_regions "$kind" "$con" "$dir"
	check "$kind: assemble: complete (exit $assemble_rc)" test "$assemble_rc" -eq 0
	check "$kind: verify: minidump.elf matches the md files" \
		"$minidump" verify "$dir/md" "$dir/minidump.elf"
	readelf -a "$dir/minidump.elf" > "$dir/readelf.txt" 2>&1
	check "$kind: readelf -a: no warning" sh -c "! grep -qiE 'warning|error' '$dir/readelf.txt'"
	check_gdb_banner "$kind" "$dir"
	# The kernel log as the tool (no vmlinux) and each debugger print it.
	check "$kind: minidump dmesg decodes the ring (exit $dmesg_rc), ends with: $4" \
		sh -c "test $dmesg_rc -eq 0 && grep -v '^[[:space:]]*$' '$dir/minidump-dmesg.txt' |
			tail -1 | grep -qF -- '$4'"
	debugger_logs "$kind" "$4"
	check "$kind: minidump dmesg prints what drgn's get_dmesg() prints" \
		cmp -s "$dir/minidump-dmesg.txt" "$dir/drgn-dmesg.txt"
	return 0
}

# What the kernel said it registered (console CON, line matching WHAT), and
# what firmware dumped (in DIR/md); both as "0xADDR SIZE", no leading zeroes.
registered() {
	local addr size

	read -r addr size < <(sed -nE "s/.*$2: ([0-9]+) bytes at (0x[0-9a-f]+).*/\2 \1/p" \
		"$1" | tail -1)
	[ -n "$addr" ] && printf '%#x %d\n' "$addr" "$size"
}
dumped() {
	local addr size

	read -r addr size < <(tr -d '\r' < "$1/md/dump_info.txt" |
		awk -F'\t' -v f="md_$2.BIN" '$4 == f { split($1, a, " "); print a[2], $2 }')
	[ -n "$addr" ] && printf '%#x %d\n' "$addr" "$((10#$size))"
}

# panic: sysrq c, the panic path runs (kmsg dumpers, the LOGBUF snapshot).
# crash_kexec_post_notifiers: the other CPU's registers are saved as it stops.
if crash_run panic "mddemo=crash crash_kexec_post_notifiers" 'Kernel panic - not syncing' \
	'Kernel panic - not syncing: sysrq triggered crash'; then
	con=$out/panic/console.log
	check "panic: sysrq c" grep -q 'Kernel panic - not syncing: sysrq triggered crash' "$con"
	check "panic: the LOGBUF snapshot holds the panic" \
		sh -c "'$minidump' dmesg --source snapshot '$out/panic/md' | grep -q 'sysrq triggered crash'"
	check "panic: the crash client added the registers and stacks" \
		grep -qE 'qcom_minidump_crash: CPU[0-9]+: registers, [0-9]+ regions' "$con"
	panic_cpu=$(sed -nE 's/.*qcom_minidump_crash: CPU([0-9]+):.*/\1/p' "$con")
	check "panic: registers of both CPUs, the panicking one (CPU$panic_cpu) first" \
		sh -c "grep -q '^registers: 2 CPUs' '$out/panic/summary.txt' &&
		       grep -A1 '^registers:' '$out/panic/summary.txt' | grep -q 'cpu $panic_cpu:'"
	debugger_bt panic panic sysrq_handle_crash __handle_sysrq
fi

# oops: a NULL dereference in the sample module, panic_on_oops: the
# registers are those of the fault, in the module.
if crash_run oops "mddemo=oops oops=panic" 'Kernel panic - not syncing' \
	'Kernel panic - not syncing: Oops: Fatal exception'; then
	con=$out/oops/console.log
	check "oops: the sample's NULL dereference oopsed" \
		grep -q 'Unable to handle kernel NULL pointer dereference' "$con"
	check "oops: the dump says where the module's code is" \
		grep -q 'module: qcom_minidump_sample .text at 0x' "$out/oops/summary.txt"
	debugger_bt oops sample_oops_deref sample_crash_write
fi

# bite: no panic code runs; the log is in the dump only as the live ring.
# log_buf_len= makes printk move the log (setup_log_buf()): the live ring
# registered is then the one it moved to.
bite_line='watchdog bite test: every CPU stops with interrupts off, no panic'
if crash_run bite "mddemo=bite log_buf_len=256K" "$bite_line" "$bite_line"; then
	con=$out/bite/console.log
	check "bite: the known line on the console, no panic" \
		sh -c "grep -q '$bite_line' '$con' && ! grep -q 'Kernel panic' '$con'"
	check "bite: no registers, and the tool says so in one line" \
		sh -c "grep -c '^registers: none' '$out/bite/summary.txt' | grep -qx 1 &&
		       grep -q '^registers: none' '$out/bite/assemble.log'"
	check "bite: log_buf_len= moved the log, the moved ring registered" \
		sh -c "grep -q 'log_buf_len: 262144 bytes' '$con' &&
		       test \$(stat -c %s '$out/bite/md/md_KPRB_TEXT.BIN') -eq 262144"
fi

# ---- negative runs --------------------------------------------------------

boot "$out/no-smem" "" "mddemo=negative"
wait_for "$out/no-smem" 'mddemo: negative run done|mddemo: FAIL'
stop_qemu
check "no SMEM image: qcom_smem says why" grep -q 'SMEM is not initialized by SBL' "$out/no-smem.log"
check "no SMEM image: backend not bound, init reached" \
	grep -q 'mddemo: qcom-minidump-smem bound: no' "$out/no-smem.log"

boot "$out/no-toc" "$out/smem-no-toc.bin" "mddemo=negative"
wait_for "$out/no-toc" 'mddemo: negative run done|mddemo: FAIL'
stop_qemu
# Most boards have no item 602: the backend stays quiet (-ENODEV, dev_dbg),
# and clients register all the same; the core keeps their regions.
check "no item 602: the backend stays quiet" \
	sh -c "! grep -E 'qcom-minidump-smem|qcom_minidump_smem' '$out/no-toc.log' | grep -v mddemo"
check "no item 602: the log client registered without a backend" \
	grep -q 'kernel log goes to minidump region LOGBUF' "$out/no-toc.log"
check "no item 602: backend not bound, init reached" \
	grep -q 'mddemo: qcom-minidump-smem bound: no' "$out/no-toc.log"
phase "checks and negative runs"

# ---- 7. the mmio board ----------------------------------------------------

mmio_demo "$mmio_out" "$out/virt.dts" "$out/smem.bin"

echo "demo: artefacts in $out (minidump.elf, md/, ram.bin, *.log)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

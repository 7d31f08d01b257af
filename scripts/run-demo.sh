#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The main job: an emulated Snapdragon crash and its minidump collection.
#
#  1. build an arm64 6.12 kernel with the real qcom_smem driver, the
#     minidump core, the SMEM backend, the kernel-log client and the sample,
#     twice: with GCC (build/arm64) and with clang (build/arm64-clang);
#  2. play boot firmware's part: an SMEM image with the minidump table of
#     contents (item 602), and a device tree with SMEM in it;
#  3. boot it under qemu -machine virt; init checks the drivers are bound,
#     loads the sample client and crashes the kernel, once per crash kind:
#     panic (sysrq c), oops, bite, hardlockup, overflow, irq;
#  4. play firmware's dump: save RAM over QMP, walk the table as firmware
#     does and write md_<name>.BIN, dump_info.txt and load.cmm;
#  5. assemble minidump.elf from those files and report;
#  6. check it all, the crashed CPU's backtrace in gdb and drgn too, on
#     each kernel; boot twice more without a usable SMEM image;
#  7. the same crash, collection and checks on the mmio board, where the
#     table sits behind the hypervisor's registers (scripts/demo/mmio.sh).
#
# Every artefact goes to $MINIDUMP_OUT (default build/demo), the clang
# kernel's crashes to $MINIDUMP_CLANG_OUT (default build/demo-clang), the
# mmio board's to $MINIDUMP_MMIO_OUT (default build/demo/mmio). Prints one
# PASS or FAIL line per check, the clang kernel's named "clang/KIND: ...";
# exits 1 if any check failed.
#
# For a quick iteration on some crash kinds: MINIDUMP_KINDS="bite oops"
# runs only those (of panic oops bite hardlockup overflow irq), and then no
# negative runs and no mmio board; MINIDUMP_COMPILERS="gcc" (default "gcc
# clang") builds and crashes only GCC's kernel. The default runs everything.

set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/demo/mmio.sh"
. "$(dirname "$0")/demo/crash-full.sh"

out=${MINIDUMP_OUT:-$build/demo}
clang_out=${MINIDUMP_CLANG_OUT:-$build/demo-clang}
mmio_out=${MINIDUMP_MMIO_OUT:-$build/demo/mmio}
ram_base=0x40000000
ram_mb=512
smem_addr=5fe00000	# the top 2 MiB of RAM, below 4 GiB, clear of kernel and initrd
mutex_addr=5fdc0000
boot_timeout=180
kinds=${MINIDUMP_KINDS:-panic oops bite hardlockup overflow irq}
compilers=${MINIDUMP_COMPILERS:-gcc clang}

# wants KIND: whether this run crashes KIND (MINIDUMP_KINDS).
wants() {
	case " $kinds " in *" $1 "*) return 0 ;; esac
	return 1
}
# with_clang: whether this run builds and crashes clang's kernel.
with_clang() {
	case " $compilers " in *" clang "*) return 0 ;; esac
	return 1
}

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

mkdir -p "$out" "$clang_out" "$logs"
out=$(cd "$out" && pwd)
clang_out=$(cd "$clang_out" && pwd)
echo "demo: output in $out and $clang_out"
# What firmware leaves (SMEM images, device trees) and the init binary
# are the same for both kernels: made once, here.
fw=$out
# The kernel the crash kinds run on, and the prefix of their checks' names:
# GCC's first, then clang's (whose $out is then $clang_out).
kernel=$arm64
tag=

# ---- 1. build -------------------------------------------------------------

prepare_tree || die "kernel tree preparation failed"
"$repo/scripts/install-debuggers.sh" >&2 || die "debugger installation failed"
# The same configuration, with GCC and with clang (LLVM=1).
for cc in gcc clang; do
	dir=$arm64
	[ $cc = clang ] && dir=$arm64_clang
	missing=$(configure_arm64 "$dir" $cc) ||
		die "arm64 configuration ($cc) failed: see $logs/$(basename "$dir")-config.log"
	[ -z "$missing" ] || die "arm64 config ($cc): not set as asked: $(echo $missing)"
done
if ! build_arm64 "$arm64" gcc; then
	grep -E '(error|warning):' "$logs/arm64-build.log" | head -20 >&2
	die "arm64 kernel build (gcc) failed: see $logs/arm64-build.log"
fi
phase "kernel build (gcc)"
# clang's kernel builds beside GCC's crashes, which leave part of the two
# cores idle (cold, about a quarter of the build gets done there), niced
# so that they keep their pace; waited for before its own crashes (step 8).
# In a process group of its own (set -m), so that an early exit ends it.
clang_build=
if with_clang; then
	set -m
	( renice -n 10 -p $BASHPID >/dev/null; build_arm64 "$arm64_clang" clang ) &
	clang_build=$!
	set +m
fi
trap '[ -z "$clang_build" ] || kill -- -"$clang_build" 2>/dev/null' EXIT

make -s -C "$repo/tools/minidump" > "$logs/tools-build.log" 2>&1 ||
	die "host tools build failed: see $logs/tools-build.log"
minidump=$repo/tools/minidump/minidump
${cross}gcc -static -Os -Wall -o "$fw/init" "$repo/scripts/demo/init.c" ||
	die "static init build failed"
phase "host tools and init"

# ---- 2. firmware's part: SMEM image, device tree, initramfs ---------------

"$repo/tools/minidump/qcom-smem-image" -o "$fw/smem.bin" --base 0x$smem_addr ||
	die "SMEM image failed"
"$repo/tools/minidump/qcom-smem-image" -o "$fw/smem-no-toc.bin" --base 0x$smem_addr \
	--no-minidump || die "SMEM image without item 602 failed"

# Two boards: qemu's default, with a GICv2, and one with a GICv3
# (gic-version=3) for the hard lockup: pseudo-NMI is GICv3 priority masking.
qemu_machine=(qemu-system-aarch64 -machine virt -cpu cortex-a57 -smp 2 -m ${ram_mb}M -nic none)
gic3=(-machine gic-version=3)
for board in board board-gic3; do
	virt=virt
	args=()
	[ $board = board-gic3 ] && virt=virt-gic3 && args=("${gic3[@]}")
	"${qemu_machine[@]}" "${args[@]}" -machine dumpdtb="$fw/$virt.dtb" -display none \
		>/dev/null 2>&1 || die "qemu could not dump its device tree ($virt)"
	dtc -q -I dtb -O dts -o "$fw/$virt.dts" "$fw/$virt.dtb" || die "dtc could not read $virt.dtb"
	{ cat "$fw/$virt.dts"
	  sed -e "s/@SMEM@/$smem_addr/g" -e "s/@MUTEX@/$mutex_addr/g" \
		"$repo/scripts/demo/board.dtsi"
	} > "$fw/$board.dts"
	dtc -q -I dts -O dtb -o "$fw/$board.dtb" "$fw/$board.dts" ||
		die "dtc could not build $board.dtb"
done

# initramfs KERNEL DIR: DIR/initramfs.cpio, with init and KERNEL's modules:
# the sample, and LKDTM.
initramfs() {
	cat > "$2/initramfs.list" <<-LIST
	dir /dev 0755 0 0
	nod /dev/console 0600 0 0 c 5 1
	dir /proc 0755 0 0
	dir /sys 0755 0 0
	file /init $fw/init 0755 0 0
	file /qcom_minidump_sample.ko $1/samples/qcom_minidump/qcom_minidump_sample.ko 0644 0 0
	file /lkdtm.ko $1/drivers/misc/lkdtm/lkdtm.ko 0644 0 0
	LIST
	"$1/usr/gen_init_cpio" "$2/initramfs.list" > "$2/initramfs.cpio" ||
		die "initramfs failed ($2)"
}
initramfs "$arm64" "$out"
phase "SMEM image, device trees, initramfs"

# ---- 3. boot and crash ----------------------------------------------------

# boot PREFIX SMEM_IMAGE APPEND [DTB [QEMU_ARG...]]: boot $kernel with
# $out/initramfs.cpio in the background; console in PREFIX.log, QMP socket
# PREFIX.qmp. The board is $fw/board.dtb unless DTB is given; QEMU_ARGs are
# added (more loaders, say).
boot() {
	local prefix=$1 image=$2 append=$3 dtb=${4:-$fw/board.dtb}
	local loader=()

	shift $(($# < 4 ? $# : 4))
	[ -n "$image" ] && loader=(-device "loader,file=$image,addr=0x$smem_addr,force-raw=on")
	rm -f "$prefix.log" "$prefix.qmp"
	"${qemu_machine[@]}" -display none -no-reboot -monitor none \
		-kernel "$kernel/arch/arm64/boot/Image" -initrd "$out/initramfs.cpio" \
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

# save_ram PREFIX RAM [VCPUS]: firmware's dump: stop the guest and save its
# RAM over the QMP socket PREFIX.qmp into RAM, then end qemu. With VCPUS
# (a watchdog bite), first every vCPU's registers as one NT_PRSTATUS each,
# in the ELF core VCPUS (dump-guest-memory of RAM's first page), for the
# emulated secure firmware (scripts/demo/tz_save_ctx.py).
save_ram() {
	local vcpus=()

	[ -n "${3:-}" ] && vcpus=("{\"execute\": \"dump-guest-memory\", \"arguments\": {\"paging\": false, \"protocol\": \"file:$3\", \"begin\": $((ram_base)), \"length\": 4096}}")
	python3 "$repo/scripts/demo/qmp.py" "$1.qmp" \
		'{"execute": "stop"}' "${vcpus[@]}" \
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
# does not apply an arm64 module's debug-info relocations, so when the pc
# is in a module (the dump names one, and gdb places the pc in its .text)
# gdb must only name the first FRAME there, by the module's symbol table;
# and otherwise only the FRAMEs in vmlinux (all, if none is).
# frame0_line FILE: the FILE:LINE of a backtrace's frame #0 (gdb's "at
# path/file.c:123", drgn's "(path/file.c:123:4)").
frame0_line() {
	grep -m1 -E '^#0 ' "$1" | grep -oE '[^/ (]+\.[cSh]:[0-9]+' | tail -1
}

debugger_bt() {
	local kind=$1 label=$tag$1 dir=$out/$1 drgn_py=$build/venv-drgn/bin/python
	local f gdb_frames=()
	shift

	run_gdb "$dir" bt 'info symbol $pc' > "$dir/gdb-bt.txt" 2>&1
	timeout 300 "$drgn_py" "$repo/scripts/demo/drgn-bt.py" "$dir/minidump.elf" \
		"$kernel/vmlinux" "$kernel" > "$dir/drgn-bt.txt" 2>&1
	if grep -q '^module: ' "$dir/summary.txt" &&
	   grep -qE ' in section \.text of .*\.ko$' "$dir/gdb-bt.txt"; then
		check "$label: gdb: the pc is in $1, in the module" \
			grep -qE "^$1(\.[a-z]+(\.[0-9]+)?)? \+ [0-9]+ in section \.text of .*\.ko" \
			"$dir/gdb-bt.txt"
	else
		for f; do
			grep -qE " $f(\.[a-z]+(\.[0-9]+)?)?\$" "$kernel/System.map" && gdb_frames+=("$f")
		done
		if [ ${#gdb_frames[@]} -gt 0 ]; then
			check "$label: gdb bt: ${gdb_frames[*]}" in_order "$dir/gdb-bt.txt" \
				"${gdb_frames[@]}"
		else
			# Every frame asked for is a module's, below a pc in vmlinux
			# (clang's EXHAUST_STACK overflows in memset(), an assembly
			# function gdb 13 cannot unwind without its prologue): gdb
			# must stop where drgn's trace starts, at the same line.
			check "$label: gdb's frame #0 is drgn's, at the same source line" \
				test -n "$(frame0_line "$dir/gdb-bt.txt")" -a \
				"$(frame0_line "$dir/gdb-bt.txt")" = "$(frame0_line "$dir/drgn-bt.txt")"
		fi
	fi
	check "$label: drgn 0.3.0 crashed_thread().stack_trace(): $*" \
		in_order "$dir/drgn-bt.txt" "$@"
	if timeout 300 /usr/bin/python3 "$repo/scripts/demo/drgn-bt.py" "$dir/minidump.elf" \
		"$kernel/vmlinux" "$kernel" > "$dir/drgn-debian-bt.txt" 2>&1; then
		check "$label: Debian's drgn 0.0.22 stack trace: $*" \
			in_order "$dir/drgn-debian-bt.txt" "$@"
	else
		echo "  [$label] Debian's drgn 0.0.22: $(tail -1 "$dir/drgn-debian-bt.txt")"
	fi
	echo "  [$label] gdb bt:"
	grep -E '^#[0-9]+ ' "$dir/gdb-bt.txt" | head -8 | sed 's/^/    /'
	grep -E ' in section ' "$dir/gdb-bt.txt" | sed 's/^/    info symbol $pc: /'
	echo "  [$label] drgn 0.3.0 stack_trace():"
	grep -E '^#[0-9]+ ' "$dir/drgn-bt.txt" | head -8 | sed 's/^/    /'
}

# kernel_trace KIND FRAME...: the kernel's own backtrace on the console
# (the panic's, or the registers' the lockup detector showed) names the
# FRAMEs in order: what the debuggers should find in the dump.
kernel_trace() {
	local kind=$1 con=$out/$1/console.log
	shift

	sed -n '/^\[ *[0-9.]*\] Call trace:/,$p' "$con" > "$out/$kind/console-trace.txt"
	check "$tag$kind: the kernel's own backtrace: $*" \
		in_order "$out/$kind/console-trace.txt" "$@"
}

# ---- 3.-6. each crash kind: boot, crash, firmware's dump, assemble, check --

# debugger_logs KIND LAST: drgn's get_dmesg() (PyPI's drgn, and Debian's
# 0.0.22 for information) and crash's "log" (--minimal) from minidump.elf;
# each log must end with a line holding LAST.
debugger_logs() {
	local kind=$tag$1 last=$2 dir=$out/$1 drgn_py=$build/venv-drgn/bin/python crash_out

	ends_with() {
		grep -v '^[[:space:]]*$' "$1" | tail -1 | grep -qF -- "$2"
	}
	timeout 300 "$drgn_py" "$repo/scripts/demo/drgn-dmesg.py" "$dir/minidump.elf" \
		"$kernel/vmlinux" > "$dir/drgn-dmesg.txt" 2> "$dir/drgn-dmesg.err"
	check "$kind: drgn $("$drgn_py" -c 'import drgn; print(drgn.__version__)' 2>/dev/null) get_dmesg() ends with: $last" \
		ends_with "$dir/drgn-dmesg.txt" "$last"
	if timeout 300 /usr/bin/python3 "$repo/scripts/demo/drgn-dmesg.py" "$dir/minidump.elf" \
		"$kernel/vmlinux" > "$dir/drgn-debian-dmesg.txt" 2> "$dir/drgn-debian-dmesg.err"; then
		check "$kind: Debian's drgn 0.0.22 get_dmesg() ends with: $last" \
			ends_with "$dir/drgn-debian-dmesg.txt" "$last"
	else
		echo "  [$kind] Debian's drgn 0.0.22 cannot read this kernel: $(tail -1 "$dir/drgn-debian-dmesg.err")"
	fi
	printf 'log\nquit\n' | timeout 300 qemu-aarch64-static "$build/crash-arm64/usr/bin/crash" \
		--minimal "$kernel/vmlinux" "$dir/minidump.elf" > "$dir/crash-log.txt" 2>&1
	crash_out=$dir/crash-log-only.txt
	# What "log" printed: after crash's banner, which ends with the note on minimal mode.
	sed -n '/^NOTE: minimal mode commands/,$p' "$dir/crash-log.txt" | sed '1d' > "$crash_out"
	check "$kind: crash 8.0.2 --minimal log ends with: $last" ends_with "$crash_out" "$last"
	echo "  [$kind] last line, drgn:  $(grep -v '^[[:space:]]*$' "$dir/drgn-dmesg.txt" | tail -1)"
	echo "  [$kind] last line, crash: $(grep -v '^[[:space:]]*$' "$crash_out" | tail -1)"
}

# crash_run KIND APPEND PATTERN LAST [DTB [QEMU_ARG...]]: boot $kernel with
# APPEND (on board DTB with QEMU_ARGs, if given), wait for PATTERN on the
# console (the kernel has crashed), then play firmware's dump; the
# debuggers' logs must end with a line holding LAST. Everything of the
# kind goes to $out/KIND: console.log, ram.bin, md/, minidump.elf. Checks
# are named "$tag$KIND: ...".
crash_run() {
	local kind=$tag$1 append=$2 pattern=$3 last=$4 dir=$out/$1
	local con=$out/$1/console.log

	shift $(($# < 4 ? $# : 4))
	mkdir -p "$dir"
	boot "$dir/console" "$fw/smem.bin" "$append" "$@"
	if ! wait_for "$dir/console" "$pattern|mddemo: FAIL" || grep -q 'mddemo: FAIL' "$con"; then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
		tail -30 "$con" >&2
		fail "$kind: the kernel did not crash: see $con"
		return 1
	fi
	# A wedged kernel prints nothing more: give every CPU time to stop.
	[ "${kind#"$tag"}" = bite ] && sleep 2
	phase "$kind: boot to crash"

	rm -f "$dir/ram.bin" "$dir/vcpus.elf"
	if [ "${kind#"$tag"}" = bite ]; then
		# The bite: secure firmware saves every CPU's registers into the
		# kernel's CPU context buffers before the dump (tz_save_ctx.py).
		save_ram "$dir/console" "$dir/ram.bin" "$dir/vcpus.elf" ||
			{ fail "$kind: QMP could not save the vCPUs and RAM"; return 1; }
		python3 "$repo/scripts/demo/tz_save_ctx.py" "$dir/ram.bin" $ram_base \
			"$dir/vcpus.elf" "$minidump" > "$dir/tz.log" 2>&1
		tz_rc=$?
	else
		save_ram "$dir/console" "$dir/ram.bin" ||
			{ fail "$kind: QMP could not save RAM"; return 1; }
	fi
	rm -rf "$dir/md"
	"$minidump" split "$dir/ram.bin" --base $ram_base -o "$dir/md" > "$dir/split.log" 2>&1
	split_rc=$?
	"$minidump" assemble "$dir/md" -o "$dir/minidump.elf" --vmlinux "$kernel/vmlinux" \
		--module-dir "$kernel" > "$dir/assemble.log" 2> "$dir/assemble.err"
	assemble_rc=$?
	phase "$kind: RAM saved, split, assembled"

	echo
	echo "[$kind] regions firmware dumped (dump_info.txt):"
	awk -F'\t' '{ gsub(/ +$/, "", $3); printf "  %-12s %s %10d bytes\n", $3, substr($1, 3), $2 }' \
		"$dir/md/dump_info.txt" 2>/dev/null
	awk -F'\t' -v crash_full="$crash_full_names" '{ n += $2; if ($3 ~ /^K(PRB|LOGBUF)/) logb += $2
		if ($3 ~ /^K(TASK|STK|IRQ[0-9]|OVF|PC|PANIC_CPU)/) cpub += $2
		if ($3 ~ crash_full) crashb += $2 }
		END { printf "  firmware dumps %d bytes in all, %d of them for the log, " \
			"%d for the registers'"'"' debuggers (tasks, stacks, code), " \
			"%d for crash'"'"'s full mode (kernel objects, runqueues, page tables)\n",
			n, logb, cpub, crashb }' "$dir/md/dump_info.txt"
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
	check "$kind: minidump dmesg decodes the ring (exit $dmesg_rc), ends with: $last" \
		sh -c "test $dmesg_rc -eq 0 && grep -v '^[[:space:]]*$' '$dir/minidump-dmesg.txt' |
			tail -1 | grep -qF -- '$last'"
	debugger_logs "${kind#"$tag"}" "$last"
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

# crash_kinds: every crash kind on $kernel, into $out/KIND, each check's
# name prefixed with $tag.
crash_kinds() {
	local con panic_cpu line

	# panic: sysrq c, the panic path runs (kmsg dumpers, the LOGBUF snapshot).
	# crash_kexec_post_notifiers: the other CPU's registers are saved as it stops.
	if wants panic && crash_run panic "mddemo=crash crash_kexec_post_notifiers" 'Kernel panic - not syncing' \
		'Kernel panic - not syncing: sysrq triggered crash'; then
		con=$out/panic/console.log
		check "${tag}panic: sysrq c" \
			grep -q 'Kernel panic - not syncing: sysrq triggered crash' "$con"
		check "${tag}panic: the LOGBUF snapshot holds the panic" \
			sh -c "'$minidump' dmesg --source snapshot '$out/panic/md' |
			       grep -q 'sysrq triggered crash'"
		check "${tag}panic: the crash client added the registers and stacks" \
			grep -qE 'qcom_minidump_crash: CPU[0-9]+: registers, [0-9]+ regions' "$con"
		panic_cpu=$(sed -nE 's/.*qcom_minidump_crash: CPU([0-9]+):.*/\1/p' "$con")
		check "${tag}panic: registers of both CPUs, the panicking one (CPU$panic_cpu) first" \
			sh -c "grep -q '^registers: 2 CPUs' '$out/panic/summary.txt' &&
			       grep -A1 '^registers:' '$out/panic/summary.txt' | grep -q 'cpu $panic_cpu:'"
		debugger_bt panic panic sysrq_handle_crash __handle_sysrq
		crash_full panic 'Kernel panic - not syncing: sysrq triggered crash' \
			$(vmlinux_frames panic sysrq_handle_crash __handle_sysrq)
	fi

	# oops: a NULL dereference in the sample module, panic_on_oops: the
	# registers are those of the fault, in the module.
	if wants oops && crash_run oops "mddemo=oops oops=panic" 'Kernel panic - not syncing' \
		'Kernel panic - not syncing: Oops: Fatal exception'; then
		con=$out/oops/console.log
		check "${tag}oops: the sample's NULL dereference oopsed" \
			grep -q 'Unable to handle kernel NULL pointer dereference' "$con"
		check "${tag}oops: the dump says where the module's code is" \
			grep -q 'module: qcom_minidump_sample .text at 0x' "$out/oops/summary.txt"
		debugger_bt oops sample_oops_deref sample_crash_write
		crash_full oops 'Kernel panic - not syncing: Oops: Fatal exception' \
			$(vmlinux_frames sample_oops_deref sample_crash_write)
	fi

	# bite: no panic code runs; the log is in the dump only as the live ring.
	# log_buf_len= makes printk move the log (setup_log_buf()): the live ring
	# registered is then the one it moved to. The registers are those the
	# emulated secure firmware saved (tz_save_ctx.py), the stacks and tasks
	# the live ones the kernel keeps in the table: see bite_checks.
	line='watchdog bite test: every CPU stops with interrupts off, no panic'
	if wants bite && crash_run bite "mddemo=bite log_buf_len=256K" "$line" "$line"; then
		con=$out/bite/console.log
		check "${tag}bite: the known line on the console, no panic" \
			sh -c "grep -q '$line' '$con' && ! grep -q 'Kernel panic' '$con'"
		check "${tag}bite: log_buf_len= moved the log, the moved ring registered" \
			sh -c "grep -q 'log_buf_len: 262144 bytes' '$con' &&
			       test \$(stat -c %s '$out/bite/md/md_KPRB_TEXT.BIN') -eq 262144"
		# Every CPU spins in the sample's stop_machine() callback.
		bite_checks sample_wedge multi_cpu_stop cpu_stopper_thread smpboot_thread_fn kthread
		crash_full bite "$line" cpu_stopper_thread smpboot_thread_fn kthread
	fi

	# hardlockup: LKDTM spins with interrupts off, and the perf hard-lockup
	# detector's NMI (the PMU overflow as a pseudo-NMI, on the GICv3 board)
	# panics, in NMI context. With no cpufreq its period is 5 GHz worth of
	# cycles per watchdog_thresh second, 5 s under TCG: it takes two or
	# three periods, 10 to 15 s after the lockup.
	line='Kernel panic - not syncing: Hard LOCKUP'
	if wants hardlockup && boot_timeout=60 crash_run hardlockup \
		"mddemo=hardlockup irqchip.gicv3_pseudo_nmi=1 nmi_watchdog=panic watchdog_thresh=1" \
		'Kernel panic - not syncing' "$line" "$fw/board-gic3.dtb" "${gic3[@]}"; then
		con=$out/hardlockup/console.log
		check "${tag}hardlockup: pseudo-NMI on, the perf NMI watchdog enabled" \
			sh -c "grep -q 'GICv3: Pseudo-NMIs enabled' '$con' &&
			       grep -q 'NMI watchdog: Enabled' '$con'"
		check "${tag}hardlockup: the NMI caught the lockup: $line" \
			sh -c "grep -q 'Watchdog detected hard LOCKUP on cpu' '$con' &&
			       grep -q '$line' '$con'"
		crash_client_check hardlockup
		kernel_trace hardlockup lkdtm_HARDLOCKUP direct_entry vfs_write
		debugger_bt hardlockup lkdtm_HARDLOCKUP direct_entry
		crash_full hardlockup "$line" $(vmlinux_frames lkdtm_HARDLOCKUP direct_entry)
	fi

	# overflow: LKDTM's EXHAUST_STACK recurses past the end of the task's
	# stack (vmalloc'ed, VMAP_STACK); the fault on the guard page is taken
	# on the overflow stack, which panics (handle_bad_stack()).
	line='Kernel panic - not syncing: kernel stack overflow'
	if wants overflow && boot_timeout=60 crash_run overflow "mddemo=overflow" 'Kernel panic - not syncing' \
		"$line"; then
		con=$out/overflow/console.log
		check "${tag}overflow: on the overflow stack: $line" \
			sh -c "grep -q 'Insufficient stack space to handle exception' '$con' &&
			       grep -q '$line' '$con'"
		crash_client_check overflow
		# The kernel's own trace names a caller by its return address, past
		# the end of a function that ends in a call to a noreturn one (clang's
		# handle_bad_stack()). The debuggers start where the crash client
		# took the registers: in the recursion, or at the panic above it.
		kernel_trace overflow panic_bad_stack __bad_stack recursive_loop recursive_loop \
			lkdtm_EXHAUST_STACK
		debugger_bt overflow recursive_loop recursive_loop lkdtm_EXHAUST_STACK
		# crash 8.0.2 without the module's symbols does not unwind out of
		# LKDTM's recursion: its first frame only.
		crash_full overflow "$line"
	fi

	# irq: the sample's hrtimer callback panics, in hard interrupt context,
	# on the IRQ stack above the timer interrupt. With no high-resolution
	# timers, hrtimers run from the periodic tick: hrtimer_run_queues(), not
	# hrtimer_interrupt(). The kernel's own trace misnames the callback (it
	# ends in the call to panic()), and __hrtimer_run_queues() is inlined in
	# clang's.
	line='Kernel panic - not syncing: irq test: sample_irq_panic() in hard interrupt context'
	if wants irq && boot_timeout=60 crash_run irq "mddemo=irq" 'Kernel panic - not syncing' "$line"; then
		con=$out/irq/console.log
		check "${tag}irq: $line" grep -qF "$line" "$con"
		crash_client_check irq
		kernel_trace irq hrtimer_run_queues update_process_times gic_handle_irq
		debugger_bt irq sample_irq_panic __run_hrtimer hrtimer_run_queues gic_handle_irq
		crash_full irq "$line" \
			$(vmlinux_frames sample_irq_panic __run_hrtimer hrtimer_run_queues gic_handle_irq)
	fi
}

# lines_match FILE RE N: N lines of FILE match the extended RE.
lines_match() {
	test "$(grep -cE -- "$2" "$1")" -eq "$3"
}

# per_thread FILE HEADER_RE PREFIX: split a backtrace listing into one file
# per thread, PREFIX.N, N the number the line matching HEADER_RE (a gdb
# "Thread N (" or drgn-bite.py's "cpu N:") gives; prints the Ns.
per_thread() {
	rm -f "$3".*
	awk -v re="$2" -v prefix="$3" '
		$0 ~ re { match($0, /[0-9]+/); n = substr($0, RSTART, RLENGTH); print n }
		n != "" { print > (prefix "." n) }' "$1"
}

# bite_checks FRAME...: the watchdog bite's dump. The emulated secure
# firmware saved both CPUs' registers through the MEMDUMP table; summary
# lists them, from firmware, the watchdog's CPU (0) first; gdb (its threads,
# "thread apply all bt", through the tool's command line) shows every CPU
# in the first FRAME, called from the second; drgn (each CPU's task's
# stack_trace(), drgn-bite.py) unwinds every CPU through all the FRAMEs,
# callee first, from those registers and the live stacks.
bite_checks() {
	local dir=$out/bite label=${tag}bite drgn_py=$build/venv-drgn/bin/python
	local cpus n f

	echo "  [$label] the emulated secure firmware (tz_save_ctx.py):"
	sed 's/^/    /' "$dir/tz.log"
	echo "  [$label] the dump: $(stat -c %s "$dir/minidump.elf") bytes of minidump.elf," \
		"$(awk -F'\t' '{ n += $2 } END { print n }' "$dir/md/dump_info.txt") bytes in the md files"
	check "$label: firmware saved both CPUs' registers through the MEMDUMP table (exit $tz_rc)" \
		test "$tz_rc" -eq 0 -a "$(grep -cE '^tz: CPU [0-9]+: ' "$dir/tz.log")" -eq 2
	check "$label: summary: registers of both CPUs, from firmware at bite" \
		grep -qx 'registers: 2 CPUs, from firmware at bite, the one that took the watchdog first' \
		"$dir/summary.txt"
	check "$label: summary: CPU 0, which took the watchdog, first" \
		sh -c "grep -A1 '^registers:' '$dir/summary.txt' | grep -q '^  cpu 0: .*took the watchdog'"
	"$minidump" summary --vmlinux "$kernel/vmlinux" "$dir/minidump.elf" > "$dir/summary-syms.txt" 2>&1
	echo "  [$label] each CPU's pc and lr (minidump summary --vmlinux):"
	grep -E '^  cpu [0-9]+: ' "$dir/summary-syms.txt" | sed 's/^/  /'
	check "$label: summary --vmlinux: each CPU's pc in the sample, lr named" \
		lines_match "$dir/summary-syms.txt" \
		'^  cpu [0-9]+: pc 0x[0-9a-f]+ \(\[qcom_minidump_sample\] \.text\+0x[0-9a-f]+\), lr 0x[0-9a-f]+ \(' 2

	# gdb 13 names a module's functions by its symbol table only (it does
	# not apply an arm64 .ko's debug-info relocations: see debugger_bt),
	# and takes any frame whose code is not in the dump for a stub (its
	# aarch64 stub unwinder claims it before the DWARF one), so it unwinds
	# a bite's CPUs from the saved pc and lr only: the spinning function
	# and its caller. drgn, which needs no code, unwinds them whole.
	run_gdb "$dir" 'info threads' 'thread apply all bt' 'thread apply all info symbol $pc' \
		> "$dir/gdb-bite.txt" 2>&1
	check "$label: gdb info threads: one thread per CPU" \
		lines_match "$dir/gdb-bite.txt" '^\*? +[0-9]+ +(LWP|process|Thread) ' 2
	cpus=$(per_thread "$dir/gdb-bite.txt" '^Thread [0-9]+ \(' "$dir/gdb-bt" | sort -u)
	check "$label: gdb thread apply all bt: two threads" test "$(echo $cpus | wc -w)" -eq 2
	for n in $cpus; do
		check "$label: gdb thread $n: the pc is in $1, in the module" \
			grep -qE "^$1(\.[a-z]+(\.[0-9]+)?)? in section \.text of .*\.ko$" "$dir/gdb-bt.$n"
		# #1, or #2 below an inlined cpu_relax() frame (clang's, with the
		# module's .text placed right).
		check "$label: gdb thread $n bt: its caller $2" grep -qE "^#[12] .* in $2 " "$dir/gdb-bt.$n"
		echo "  [$label] gdb thread $n bt:"
		grep -E '^#[0-9]+ |^Backtrace|in section' "$dir/gdb-bt.$n" | head -8 | sed 's/^/    /'
	done

	timeout 300 "$drgn_py" "$repo/scripts/demo/drgn-bite.py" "$dir/minidump.elf" \
		"$kernel/vmlinux" "$kernel" > "$dir/drgn-bite.txt" 2>&1
	cpus=$(per_thread "$dir/drgn-bite.txt" '^cpu [0-9]+:' "$dir/drgn-bt")
	check "$label: drgn: a task and a stack trace for both CPUs" \
		lines_match "$dir/drgn-bite.txt" '^cpu [0-9]+: pid [0-9]+ ' 2
	for n in $cpus; do
		check "$label: drgn cpu $n stack_trace(): $*" in_order "$dir/drgn-bt.$n" "$@"
		echo "  [$label] drgn $(head -1 "$dir/drgn-bt.$n")"
		grep -E '^#[0-9]+ ' "$dir/drgn-bt.$n" | head -8 | sed 's/^/    /'
	done
}

# crash_client_check KIND: the crash client ran, and the dump has registers.
crash_client_check() {
	check "$tag$1: the crash client added the registers and stacks" \
		sh -c "grep -qE 'qcom_minidump_crash: CPU[0-9]+: registers, [0-9]+ regions' \
			'$out/$1/console.log' && grep -qE '^registers: [0-9]+ CPU' '$out/$1/summary.txt'"
}

crash_kinds

# ---- negative runs --------------------------------------------------------

# With MINIDUMP_KINDS, only those kinds: no negative runs, no mmio board.
[ -n "${MINIDUMP_KINDS:-}" ] || {
boot "$out/no-smem" "" "mddemo=negative"
wait_for "$out/no-smem" 'mddemo: negative run done|mddemo: FAIL'
stop_qemu
check "no SMEM image: qcom_smem says why" grep -q 'SMEM is not initialized by SBL' "$out/no-smem.log"
check "no SMEM image: backend not bound, init reached" \
	grep -q 'mddemo: qcom-minidump-smem bound: no' "$out/no-smem.log"

boot "$out/no-toc" "$fw/smem-no-toc.bin" "mddemo=negative"
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

mmio_demo "$mmio_out" "$fw/virt.dts" "$fw/smem.bin"
}

# ---- 8. the clang kernel --------------------------------------------------

if ! with_clang; then
	echo "demo: artefacts in $fw (MINIDUMP_COMPILERS=$compilers: no clang kernel)"
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
fi
wait "$clang_build"
clang_rc=$?
clang_build=
if [ $clang_rc -ne 0 ]; then
	grep -E '(error|warning):' "$logs/arm64-clang-build.log" | head -20 >&2
	die "arm64 kernel build (clang) failed: see $logs/arm64-clang-build.log"
fi
initramfs "$arm64_clang" "$clang_out"
phase "kernel build (clang), the rest"

# Every crash kind again, on the kernel clang built, whose arm64 frame
# layout differs from GCC's: artefacts in $clang_out, checks "clang/KIND: ...".
kernel=$arm64_clang
out=$clang_out
tag=clang/
crash_kinds
phase "clang: checks"

echo "demo: artefacts in $fw and $clang_out (minidump.elf, md/, ram.bin, *.log)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Firmware's CPU context at a watchdog bite (fwctx.c) and the KMODULES
# lines, on the fw-*/ sets tests/gen_fwctx.py writes: sourced by
# tests/run.sh after crash-notes.sh (t, says, line_is, lacks, json_ok, $MD,
# $out, $label, $s). The registers are checked where a debugger reads them:
# in "summary" and in gdb's threads.

# Each CPU's registers as gen_fwctx.py writes them.
fw_cpu1_line="  cpu 1: pc 0xffff80007a3f0024, lr 0x111e, sp 0xffffffc0820a7f00, took the watchdog"
fw_cpu0_line="  cpu 0: pc 0xffffffc080123450, lr 0x11e, sp 0xffffffc082003e00, signalled"
fw_two="registers: 2 CPUs, from firmware at bite, the one that took the watchdog first"
fw_one="registers: 1 CPU, from firmware at bite, the one that took the watchdog first"

# fw_set NAME EXIT [SUMMARY_EXIT]: assemble fw-NAME into $w/NAME.elf (exit
# EXIT), keep its stderr in $w/NAME.err, then summary (stdout in
# $out/stdout; exit SUMMARY_EXIT, default 0).
fw_set() {
	t "fw $1: assemble" "$2" "$MD" assemble "$fw/fw-$1" -o "$w/$1.elf"
	cp "$out/err" "$w/$1.err"
	cp "$out/stdout" "$w/$1.assemble"
	t "fw $1: verify agrees" "$2" "$MD" verify "$fw/fw-$1" "$w/$1.elf"
	t "fw $1: summary" "${3:-0}" "$MD" summary "$w/$1.elf"
}

fwctx_suite() {
	local w=$out/work/fw fw=$out/fw

	rm -rf "$w"
	mkdir -p "$w"

	# ---- the MEMDUMP table walked, both CPUs, the watchdog's first ----
	fw_set memdump 0
	line_is "fw memdump: from firmware" "$fw_two"
	line_is "fw memdump: CPU 1, EL1t: sp_el0" "$fw_cpu1_line"
	line_is "fw memdump: CPU 0, EL1h: sp_el1" "$fw_cpu0_line"
	if grep -A1 '^registers:' "$out/stdout" | grep -q '^  cpu 1:'; then
		pass
	else
		fail "$label: fw memdump: the CPU that took the watchdog is not first"
	fi
	line_is "fw memdump: KMODULES placed the module" \
		"module: qcom_minidump_sample .text at 0xffff80007a3f0000"
	line_is "fw memdump: KMODULES second line" "module: other_mod .text at 0xffff80007a500000"
	lacks "fw memdump: no registers: none line from assemble" "^registers: none" \
		"$w/memdump.assemble"
	says "fw memdump: gdb gets the module from KMODULES" \
		"add-symbol-file qcom_minidump_sample.ko 0xffff80007a3f0000" "$w/memdump.assemble"
	t "fw memdump: summary --json" 0 "$MD" summary --json "$w/memdump.elf"
	json_ok "fw memdump: summary --json" 'o["registers_from"] == "firmware at bite" and [(r["cpu"], r["pc"], r["lr"], r["sp"]) for r in o["registers"]] == [(1, "0xffff80007a3f0024", "0x111e", "0xffffffc0820a7f00"), (0, "0xffffffc080123450", "0x11e", "0xffffffc082003e00")]'
	t "fw memdump: summary --vmlinux" 0 "$MD" summary --vmlinux "$s/dbg/vmlinux" "$w/memdump.elf"
	line_is "fw memdump: pc named in the module by KMODULES" \
		"  cpu 1: pc 0xffff80007a3f0024 ([qcom_minidump_sample] .text+0x24), lr 0x111e, sp 0xffffffc0820a7f00, took the watchdog"
	# gdb: one thread per CPU, the watchdog's first, with its pc and sp.
	gdb-multiarch -batch -nx -ex 'set architecture aarch64' -ex "core-file $w/memdump.elf" \
		-ex 'info threads' -ex 'thread 1' -ex 'p/x $pc' -ex 'p/x $sp' \
		-ex 'thread 2' -ex 'p/x $pc' -ex 'p/x $sp' > "$w/gdb.txt" 2>&1
	if [ "$(grep -cE '^\*? +[0-9]+ +(LWP|process|Thread)' "$w/gdb.txt")" -eq 2 ] &&
	   [ "$(grep -E '^\$[0-9]+ = ' "$w/gdb.txt" | sed 's/^\$[0-9]* = //' | tr '\n' ' ')" = \
	     "0xffff80007a3f0024 0xffffffc0820a7f00 0xffffffc080123450 0xffffffc082003e00 " ]; then
		pass
	else
		fail "$label: fw memdump: gdb's threads are not the two CPUs' registers"
		sed -n '1,12p' "$w/gdb.txt" | sed 's/^/    /'
	fi

	# ---- only KCPU_CTX regions (kernels before MEMDUMP): read as 1.4, said ----
	fw_set cpuctx 0
	line_is "fw cpuctx: from firmware" "$fw_two"
	line_is "fw cpuctx: CPU 1" "$fw_cpu1_line"
	line_is "fw cpuctx: CPU 0" "$fw_cpu0_line"
	says "fw cpuctx: 1.4 assumed, said" "KCPU_CTX0: no MEMDUMP table to give its format: read as 1.4" \
		"$w/cpuctx.err"

	# ---- a buffer of zeroes, or no magic: no registers for that CPU ----
	fw_set zero 0
	line_is "fw zero: one CPU" "$fw_one"
	line_is "fw zero: CPU 0 kept" "$fw_cpu0_line"
	says "fw zero: said" "CPU 1: the context buffer is all zeroes: firmware saved no registers" \
		"$w/zero.err"
	fw_set nomagic 0
	line_is "fw nomagic: one CPU" "$fw_one"
	says "fw nomagic: said" "CPU 1: no magic: firmware saved no registers" "$w/nomagic.err"

	# ---- wrong magic, unknown version: refused in one line, not guessed ----
	fw_set badmagic 4
	line_is "fw badmagic: one CPU" "$fw_one"
	says "fw badmagic: said" "CPU 1: magic 0x42444832 is not firmware's 0x42445953 \(a hypervisor vCPU's\); not read" \
		"$w/badmagic.err"
	fw_set badversion 4
	line_is "fw badversion: one CPU" "$fw_one"
	lacks "fw badversion: CPU 1 not guessed" "^  cpu 1:"
	if [ "$(grep -c 'unknown' "$w/badversion.err")" -eq 1 ] &&
	   grep -q 'CPU 1: context format 2.0 (version 0x20) unknown: only 1.4 is read; not read' \
		"$w/badversion.err"; then
		pass
	else
		fail "$label: fw badversion: not one line naming the version"
		sed 's/^/    /' "$w/badversion.err"
	fi
	fw_set badtable 4
	line_is "fw badtable: no registers" \
		'registers: none in this dump (no Linux code ran at the crash, e.g. a watchdog bite): debuggers can read memory but cannot unwind a stack'
	says "fw badtable: said" "the root table: version 0x100000 is not v2" "$w/badtable.err"

	# ---- addresses the table holds that the dump does not ----
	fw_set outside 4
	line_is "fw outside: one CPU" "$fw_one"
	says "fw outside: said" "CPU 1's context buffer at 0x80900000 points outside any region of the dump" \
		"$w/outside.err"
	fw_set pastend 4
	says "fw pastend: said" "CPU 1's context buffer at 0x80811700, 0x178 bytes: runs past the end of region KCPU_CTX1" \
		"$w/pastend.err"
	cp -r "$fw/fw-trunc" "$w/trunc-md"
	truncate -s 256 "$w/trunc-md/md_KCPU_CTX1.BIN"
	t "fw trunc: assemble" 4 "$MD" assemble "$w/trunc-md" -o "$w/trunc.elf"
	says "fw trunc: said" "CPU 1's context buffer at 0x80811000: region KCPU_CTX1 is truncated \(256 of 2048 bytes\)"
	t "fw trunc: summary" 0 "$MD" summary "$w/trunc.elf"
	line_is "fw trunc: CPU 0 kept" "$fw_cpu0_line"

	# ---- pc marked invalid: where the bite interrupted it, elr_el3 ----
	fw_set pcinvalid 0
	line_is "fw pcinvalid: CPU 0's pc from elr_el3" "$fw_cpu0_line"

	# ---- the kernel's registers win over firmware's ----
	fw_set panic 0
	line_is "fw panic: the kernel's registers" \
		"registers: 1 CPU, from the kernel at panic, the panicking one first"
	lacks "fw panic: no firmware note" "QCOM_CPU_CTX"

	# ---- the demo's emulated firmware (scripts/demo/tz_save_ctx.py) ----
	# RAM as the kernel leaves it at a bite, the vCPUs' registers as qemu
	# gives them: no registers before, both CPUs' after, CPU 0 (the one the
	# emulation says took the watchdog) first, each sp where PSTATE.M says.
	cp "$fw/ram/ram.bin" "$w/tz-ram.bin"
	t "tz: before firmware: assemble" 0 "$MD" assemble "$w/tz-ram.bin" --base $base -o "$w/tz0.elf"
	says "tz: before firmware: no magic" "CPU 1: no magic: firmware saved no registers"
	says "tz: before firmware: no registers" "^registers: none" "$out/stdout"
	t "tz: saves the registers" 0 python3 "$top/../../scripts/demo/tz_save_ctx.py" \
		"$w/tz-ram.bin" $base "$fw/ram/vcpus.elf" "$MD"
	says "tz: found the table through KMEMDUMP" \
		"^tz: memory dump table at 0x80800000 \(1024 bytes" "$out/stdout"
	t "tz: after firmware: assemble" 0 "$MD" assemble "$w/tz-ram.bin" --base $base -o "$w/tz.elf"
	t "tz: after firmware: summary" 0 "$MD" summary "$w/tz.elf"
	line_is "tz: both CPUs from firmware" "$fw_two"
	line_is "tz: CPU 0 took the watchdog, EL1h: sp_el1" \
		"  cpu 0: pc 0xffffffc080123450, lr 0x11e, sp 0xffffffc082003e00, took the watchdog"
	line_is "tz: CPU 1 signalled, EL1t: sp_el0" \
		"  cpu 1: pc 0xffff80007a3f0024, lr 0x111e, sp 0xffffffc0820a7f00, signalled"
	t "tz: no KMEMDUMP in the table" 1 python3 "$top/../../scripts/demo/tz_save_ctx.py" \
		"$w/tz0.elf" $base "$fw/ram/vcpus.elf" "$MD"
	says "tz: no KMEMDUMP said" "minidump list: "
	cp "$s/ram.bin" "$w/tz-nomemdump.bin"
	t "tz: a dump without KMEMDUMP" 1 python3 "$top/../../scripts/demo/tz_save_ctx.py" \
		"$w/tz-nomemdump.bin" $base "$fw/ram/vcpus.elf" "$MD"
	says "tz: a dump without KMEMDUMP: said" "no valid KMEMDUMP region in the minidump table"

	# ---- a name twice in the table: the file has the seq_num after it ----
	cp -r "$fw/fw-memdump" "$w/seq-md"
	mv "$w/seq-md/md_KCPU_CTX1.BIN" "$w/seq-md/md_KCPU_CTX1_1.BIN"
	sed -i 's/\tmd_KCPU_CTX1.BIN/\tmd_KCPU_CTX1_1.BIN/' "$w/seq-md/dump_info.txt"
	t "seq: list" 0 "$MD" list "$w/seq-md"
	says "seq: the name column's name, the seq_num from the file" \
		"^- +KCPU_CTX1 +1 +0x80811000 +2048 yes +md_KCPU_CTX1_1.BIN" "$out/stdout"
	t "seq: assemble" 0 "$MD" assemble "$w/seq-md" -o "$w/seq.elf"
	t "seq: summary" 0 "$MD" summary "$w/seq.elf"
	line_is "seq: CPU 1's registers read" "$fw_cpu1_line"

	# ---- KMODULES lines that are not ----
	fw_set badmods 4 4
	says "fw badmods: a bad line said" "KMODULES.BIN: line 1: a bad module name or address; ignored" \
		"$w/badmods.err"
	says "fw badmods: not the format, said" "line 3: not \"name: X, base: ADDR\"; ignored" \
		"$w/badmods.err"
	line_is "fw badmods: the good line kept" "module: good_mod .text at 0xffff800000001000"
	lacks "fw badmods: no hostile name" "evil"
}

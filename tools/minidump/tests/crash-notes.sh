#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The notes after a crash (registers, task, KASLR offset, modules) in
# "summary", and the debuggers' command lines "assemble" prints, on the
# nt-*/ sets tests/gen.py writes: sourced by tests/run.sh, which provides
# t, says, pass, fail, $MD, $out and $label. gdb runs the printed command
# on a fake vmlinux and module, so a wrong offset or address shows.

# line_is NAME LINE [FILE]: FILE (default: the last stdout) has exactly LINE.
line_is() {
	if grep -qxF -- "$2" "${3:-$out/stdout}"; then
		pass
	else
		fail "$label: $1: no line '$2'"
		sed -n '1,6p' "${3:-$out/stdout}" | sed 's/^/    got: /'
	fi
}

# lacks NAME PATTERN [FILE]: FILE (default: the last stdout) does not match.
lacks() {
	if grep -qE -- "$2" "${3:-$out/stdout}"; then fail "$label: $1: '$2' is there"; else pass; fi
}

# lines NAME N [FILE]: FILE (default: the last stdout) has N lines.
lines() {
	local n

	n=$(wc -l < "${3:-$out/stdout}")
	if [ "$n" -eq "$2" ]; then pass; else fail "$label: $1: $n lines, expected $2"; fi
}

# json_ok NAME EXPR: the last stdout is one JSON object o for which EXPR holds.
json_ok() {
	if python3 -c 'import json, sys
o = json.loads(sys.stdin.read())
assert eval(sys.argv[1]), o' "$2" < "$out/stdout" 2> "$out/json-err"; then
		pass
	else
		fail "$label: $1: $(tail -1 "$out/json-err")"
	fi
}

# run_gdb NAME PATTERN EX...: run the printed gdb line in batch mode, with
# more -ex commands; its output matches PATTERN.
run_gdb() {
	local name=$1 want=$2 cmd
	shift 2

	cmd=$(sed -n 's/^gdb: gdb-multiarch -q /gdb-multiarch -q -batch -nx /p' "$out/stdout")
	for ex in "$@"; do
		cmd+=" -ex '$ex'"
	done
	eval "$cmd" > "$out/gdb.txt" 2>&1
	if grep -qE -- "$want" "$out/gdb.txt"; then
		pass
	else
		fail "$label: $name: gdb printed no '$want'"
		sed -n '1,8p' "$out/gdb.txt" | sed 's/^/    /'
	fi
}

crash_notes_suite() {
	local w=$out/work/nt dbg=$s/dbg none offset elf hdr

	none='registers: none in this dump (no Linux code ran at the crash, e.g. a watchdog bite): debuggers can read memory but cannot unwind a stack'
	rm -rf "$w"
	mkdir -p "$w"

	# ---- a panic in a module: two CPUs, the task, two modules ----
	t "crash: assemble" 0 "$MD" assemble "$s/nt-crash" -o "$w/crash.elf" \
		--vmlinux "$dbg/vmlinux" --module-dir "$dbg/mods"
	line_is "crash: gdb line" "gdb: gdb-multiarch -q -ex 'set pagination off' -ex 'set confirm off' -ex 'symbol-file -o 0x1f2e0000 $dbg/vmlinux' -ex 'add-symbol-file $dbg/mods/kernel/drivers/qcom-minidump-sample.ko 0xffff80007a3f0000' -ex 'add-symbol-file other_mod.ko 0xffff80007a500000' -ex 'core-file $w/crash.elf' -ex bt"
	line_is "crash: drgn line" "drgn: drgn -c $w/crash.elf -s $dbg/vmlinux -e 'import drgn.cli; m = prog.relocatable_module(\"qcom_minidump_sample\", 0xffff80007a3f0000, create=True); m.address_range = (0xffff80007a3f0000, 0xffff80007a3f0100); m.section_addresses[\".text\"] = 0xffff80007a3f0000; m.try_file(\"$dbg/mods/kernel/drivers/qcom-minidump-sample.ko\", force=True); m = prog.relocatable_module(\"other_mod\", 0xffff80007a500000, create=True); m.section_addresses[\".text\"] = 0xffff80007a500000; m.try_file(\"other_mod.ko\", force=True); drgn.cli.run_interactive(prog)'"
	line_is "crash: crash line" "crash: crash --minimal $dbg/vmlinux $w/crash.elf"
	# ramparse: beside the core, the header region at its address (dump_info.txt).
	hdr=$(awk '$4 == "KELF_HEADER" { printf "0x%x 0x%x", $2, $2 + $3 - 1 }' \
		"$s/nt-crash/dump_info.txt")
	line_is "crash: ramparse line" "ramparse: python3 ramparse.py --minidump --ram-elf $w/crash.elf -e $w/crash.elf $hdr -v $dbg/vmlinux --kaslr-offset 0x1f2e0000 --force-hardware BOARD --dmesg"
	lines "crash: four lines, no registers: none" 4
	says "crash: a module not found is named" \
		"other_mod.ko: not under .*/dbg/mods; the commands name it without a directory"
	# gdb unwinds from the panicking CPU's pc, a vmlinux symbol only with the
	# offset; the other CPU's pc is in the module, placed at its .text.
	run_gdb "crash: gdb bt, KASLR offset applied" \
		'^#0  0xffffffc09f2f0040 in panic_here \(\)'
	run_gdb "crash: gdb, the module placed" \
		'^#0  0xffff80007a3f0044 in sample_crash \(\)' 'thread 2' 'bt'
	t "crash: summary" 0 "$MD" summary "$w/crash.elf"
	line_is "crash: summary offset" "kerneloffset: 0x1f2e0000"
	line_is "crash: summary registers" "registers: 2 CPUs, from the kernel at panic, the panicking one first"
	line_is "crash: summary cpu 2" "  cpu 2: pc 0xffffffc09f2f0040, lr 0x101e, sp 0xffffffc082003e40"
	line_is "crash: summary cpu 0" "  cpu 0: pc 0xffff80007a3f0044, lr 0x101e, sp 0xffffffc082013d90"
	if grep -A1 '^registers:' "$out/stdout" | grep -q 'cpu 2:'; then
		pass
	else
		fail "$label: crash: summary: the panicking CPU is not first"
	fi
	line_is "crash: summary task" "task: sh (pid 123)"
	line_is "crash: summary task_struct (NT_TASKSTRUCT)" "task_struct: 0xffffff8000c80000"
	line_is "crash: summary module" "module: qcom_minidump_sample .text at 0xffff80007a3f0000"
	line_is "crash: summary second module" "module: other_mod .text at 0xffff80007a500000"
	# With vmlinux, pc and lr by symbol: vmlinux's moved by the KASLR
	# offset, else the module's .text they are in; lr in neither.
	t "crash: summary --vmlinux" 0 "$MD" summary --vmlinux "$dbg/vmlinux" "$w/crash.elf"
	line_is "crash: summary names the pc in vmlinux" "  cpu 2: pc 0xffffffc09f2f0040 (panic_here+0x0), lr 0x101e, sp 0xffffffc082003e40"
	line_is "crash: summary names the pc in a module" "  cpu 0: pc 0xffff80007a3f0044 ([qcom_minidump_sample] .text+0x44), lr 0x101e, sp 0xffffffc082013d90"
	t "crash: summary --json" 0 "$MD" summary --json "$w/crash.elf"
	json_ok "crash: summary --json" 'o["exit"] == 0 and o["kerneloffset"] == "0x1f2e0000" and [(r["cpu"], r["pc"], r["sp"]) for r in o["registers"]] == [(2, "0xffffffc09f2f0040", "0xffffffc082003e40"), (0, "0xffff80007a3f0044", "0xffffffc082013d90")] and o["registers_from"] == "kernel at panic" and o["task"] == {"name": "sh", "pid": 123} and o["task_struct"] == "0xffffff8000c80000" and o["modules"] == [{"name": "qcom_minidump_sample", "text": "0xffff80007a3f0000"}, {"name": "other_mod", "text": "0xffff80007a500000"}] and [n["type"] for n in o["notes"]] == [0, 1, 1, 3, 4, 0] and o["messages"] == []'

	# ---- the defaults: vmlinux, no --module-dir ----
	t "crash: assemble, defaults" 0 "$MD" assemble "$s/nt-crash" -o "$w/c2.elf"
	says "crash: without --module-dir, said" \
		"qcom_minidump_sample.ko: the crash was in it; --module-dir DIR finds its file"
	line_is "crash: default vmlinux, module without a directory" "gdb: gdb-multiarch -q -ex 'set pagination off' -ex 'set confirm off' -ex 'symbol-file -o 0x1f2e0000 vmlinux' -ex 'add-symbol-file qcom_minidump_sample.ko 0xffff80007a3f0000' -ex 'add-symbol-file other_mod.ko 0xffff80007a500000' -ex 'core-file $w/c2.elf' -ex bt"
	t "crash: --module-dir that does not exist" 0 "$MD" assemble "$s/nt-crash" \
		-o "$w/c3.elf" --module-dir "$w/nothing"
	says "crash: missing --module-dir said" "nothing: No such file or directory"

	# ---- paths that need quoting: the printed lines still run ----
	mkdir -p "$w/a dir"
	cp "$dbg/vmlinux" "$w/a dir/vm'linux"
	t "quoting: assemble" 0 "$MD" assemble "$s/nt-nomod" -o "$w/a dir/c.elf" \
		--vmlinux "$w/a dir/vm'linux"
	run_gdb "quoting: gdb finds vmlinux and the core" '^#0  0xffffffc080010040 in panic_here \(\)'
	if (drgn() { printf '%s\n' "$@"; }
	    eval "$(sed -n 's/^drgn: //p' "$out/stdout")") > "$w/args" &&
	   [ "$(sed -n 2p "$w/args")" = "$w/a dir/c.elf" ] &&
	   [ "$(sed -n 4p "$w/args")" = "$w/a dir/vm'linux" ]; then
		pass
	else
		fail "$label: quoting: the drgn line's words are not the paths"
	fi

	# ---- a bite: VMCOREINFO alone ----
	t "bite: assemble" 0 "$MD" assemble "$s/nt-bite" -o "$w/bite.elf" --vmlinux "$dbg/vmlinux"
	line_is "bite: registers: none" "$none"
	if [ "$(head -1 "$out/stdout")" = "$none" ]; then pass; else fail "$label: bite: not first"; fi
	lines "bite: the line and four commands" 5
	line_is "bite: offset 0" "gdb: gdb-multiarch -q -ex 'set pagination off' -ex 'symbol-file -o 0x0 $dbg/vmlinux' -ex 'core-file $w/bite.elf' -ex bt"
	line_is "bite: drgn without modules" "drgn: drgn -c $w/bite.elf -s $dbg/vmlinux"
	says "bite: ramparse with offset 0" "^ramparse: .* -v $dbg/vmlinux --kaslr-offset 0x0 --force-hardware BOARD --dmesg\$" "$out/stdout"
	t "bite: summary" 0 "$MD" summary "$w/bite.elf"
	line_is "bite: summary registers: none" "$none"
	lacks "bite: summary, no task" "^task:"
	t "bite: summary --json" 0 "$MD" summary --json "$w/bite.elf"
	json_ok "bite: summary --json" 'o["registers"] == [] and o["task"] is None and o["modules"] == [] and o["kerneloffset"] == "0x0"'

	# ---- notes left zero, and no KERNELOFFSET: not damage ----
	t "zero: assemble" 0 "$MD" assemble "$s/nt-zero" -o "$w/zero.elf"
	line_is "zero: registers: none" "$none"
	t "zero: summary" 0 "$MD" summary "$w/zero.elf"
	line_is "zero: summary says why" "  NT_PRSTATUS 0: every register zero (not filled in)"
	t "no offset: assemble" 0 "$MD" assemble "$s/nt-nooffset" -o "$w/nooff.elf"
	says "no offset: said" "no KERNELOFFSET in VMCOREINFO"
	line_is "no offset: symbol-file without -o" "gdb: gdb-multiarch -q -ex 'set pagination off' -ex 'symbol-file vmlinux' -ex 'core-file $w/nooff.elf' -ex bt"
	says "no offset: ramparse without --kaslr-offset" "^ramparse: .* -v vmlinux --force-hardware BOARD --dmesg\$" "$out/stdout"
	t "no offset: summary" 0 "$MD" summary "$w/nooff.elf"
	line_is "no offset: summary" "kerneloffset: unknown (no KERNELOFFSET in VMCOREINFO)"

	# ---- no note region: the KASLR offset from vmlinux's linux_banner ----
	cp -r "$s/nt-crash" "$w/nonote"
	rm "$w/nonote/md_KVMCOREINFO.BIN"
	t "no note: assemble" 4 "$MD" assemble "$w/nonote" -o "$w/nonote.elf" \
		--vmlinux "$dbg/vmlinux"
	says "no note: said" "no note region in the dump; the core's PT_NOTE is empty"
	says "no note: offset from linux_banner" \
		"no VMCOREINFO: KASLR offset 0x1f2e0000 from .*/vmlinux's linux_banner, at 0xffff800080204000 in the dump"
	line_is "no note: registers lost" "registers: none in this dump (the note region is missing or cut): debuggers can read memory but cannot unwind a stack"
	line_is "no note: gdb line" "gdb: gdb-multiarch -q -ex 'set pagination off' -ex 'symbol-file -o 0x1f2e0000 $dbg/vmlinux' -ex 'core-file $w/nonote.elf' -ex bt"
	line_is "no note: drgn line" "drgn: drgn -c $w/nonote.elf --no-default-symbols"
	line_is "no note: crash line" "crash: crash --minimal --kaslr=0x1f2e0000 -m kimage_voffset=0xffff800000000000 $dbg/vmlinux $w/nonote.elf"
	run_gdb "no note: gdb reads linux_banner" \
		'<linux_banner>:.*"Linux version 6.12.117 \(test@gen\)' 'x/s &linux_banner'
	t "no note: another build's vmlinux" 4 "$MD" assemble "$w/nonote" -o "$w/nonote.elf" \
		--vmlinux "$dbg/vmlinux-other"
	says "no note: another build's vmlinux said" \
		"gdb's symbol-file gets no offset \(.*vmlinux-other: the dump's linux_banner is not vmlinux's"
	line_is "no note: no offset for another build" "gdb: gdb-multiarch -q -ex 'set pagination off' -ex 'symbol-file $dbg/vmlinux-other' -ex 'core-file $w/nonote.elf' -ex bt"

	# ---- malformed notes: reported, exit 4, the rest still read ----
	for c in "prsize:NT_PRSTATUS at offset 0x50: 200 bytes, not 392; ignored" \
		 "psize:NT_PRPSINFO at offset 0x1ec: 100 bytes, not 136; ignored" \
		 "dupcpu:NT_PRSTATUS at offset 0x1ec: CPU 2 again; the first kept" \
		 "badpid:NT_PRSTATUS at offset 0x50: pr_pid 0 is no CPU's; ignored" \
		 "badoff:VMCOREINFO line 3: KERNELOFFSET is not a hex number" \
		 "badmod:QCOM_MINIDUMP line 2: ok_mod: address is not a hex number; ignored" \
		 "tsname:NT_TASKSTRUCT at offset 0x50: a 5-byte name: crash misreads it" \
		 "tssize:NT_TASKSTRUCT at offset 0x50: 4 bytes, not 8; ignored"; do
		elf=$w/${c%%:*}.elf
		t "${c%%:*}: assemble" 4 "$MD" assemble "$s/nt-${c%%:*}" -o "$elf"
		says "${c%%:*}: assemble said" "md_KVMCOREINFO.BIN: ${c#*:}"
		says "${c%%:*}: damage counted" "written, but the dump is damaged"
		if grep -q '^crash: ' "$out/stdout"; then
			pass
		else
			fail "$label: ${c%%:*}: no command lines for a damaged dump"
		fi
		t "${c%%:*}: summary" 4 "$MD" summary "$elf"
		says "${c%%:*}: summary said" "${c#*:}"
		t "${c%%:*}: summary --json" 4 "$MD" summary --json "$elf"
		json_ok "${c%%:*}: summary --json" 'o["exit"] == 4 and len(o["messages"]) >= 1'
	done
	t "badmod: summary" 4 "$MD" summary "$w/badmod.elf"
	says "badmod: a name that is no module's" "QCOM_MINIDUMP line 1: not MODULE_TEXT\(NAME\)=ADDR; ignored"
	line_is "badmod: the good line kept" "module: good .text at 0xffff800000001000"
	lacks "badmod: no hostile name printed" "evil"
	t "dupcpu: summary" 4 "$MD" summary "$w/dupcpu.elf"
	line_is "dupcpu: one CPU" "registers: 1 CPU, from the kernel at panic, the panicking one first"
	# The last note runs past the segment: the notes before it still count.
	t "trunc: assemble" 4 "$MD" assemble "$s/nt-trunc" -o "$w/trunc.elf"
	says "trunc: assemble said" "note region does not parse as ELF notes \(offset 0x50 of 0xc8\)"
	offset="symbol-file -o 0x1f2e0000 vmlinux"
	says "trunc: VMCOREINFO before it read" "$offset" "$out/stdout"
	# The core keeps the whole notes: it is no longer damaged.
	t "trunc: summary" 0 "$MD" summary "$w/trunc.elf"
	line_is "trunc: summary, offset read" "kerneloffset: 0x1f2e0000"
	line_is "trunc: summary, the cut note left out" "  note  VMCOREINFO   type 0, 55 bytes"
}

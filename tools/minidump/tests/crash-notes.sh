#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The notes after a crash (registers, task, KASLR offset, modules) in
# "summary", on the nt-*/ sets tests/gen.py writes: sourced by
# tests/run.sh, which provides t, says, pass, fail, $MD, $out and $label.

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

crash_notes_suite() {
	local w=$out/work/nt none elf

	none='registers: none in this dump (no Linux code ran at the crash, e.g. a watchdog bite): debuggers can read memory but cannot unwind a stack'
	rm -rf "$w"
	mkdir -p "$w"

	# ---- a panic in a module: two CPUs, the task, two modules ----
	t "crash: assemble" 0 "$MD" assemble "$s/nt-crash" -o "$w/crash.elf"
	t "crash: summary" 0 "$MD" summary "$w/crash.elf"
	line_is "crash: summary offset" "kerneloffset: 0x1f2e0000"
	line_is "crash: summary registers" "registers: 2 CPUs, the panicking one first"
	line_is "crash: summary cpu 2" "  cpu 2: pc 0xffffffc09f2f0040, sp 0xffffffc082003e40"
	line_is "crash: summary cpu 0" "  cpu 0: pc 0xffff80007a3f0044, sp 0xffffffc082013d90"
	if grep -A1 '^registers:' "$out/stdout" | grep -q 'cpu 2:'; then
		pass
	else
		fail "$label: crash: summary: the panicking CPU is not first"
	fi
	line_is "crash: summary task" "task: sh (pid 123)"
	line_is "crash: summary module" "module: qcom_minidump_sample .text at 0xffff80007a3f0000"
	line_is "crash: summary second module" "module: other_mod .text at 0xffff80007a500000"
	t "crash: summary --json" 0 "$MD" summary --json "$w/crash.elf"
	json_ok "crash: summary --json" 'o["exit"] == 0 and o["kerneloffset"] == "0x1f2e0000" and [(r["cpu"], r["pc"], r["sp"]) for r in o["registers"]] == [(2, "0xffffffc09f2f0040", "0xffffffc082003e40"), (0, "0xffff80007a3f0044", "0xffffffc082013d90")] and o["task"] == {"name": "sh", "pid": 123} and o["modules"] == [{"name": "qcom_minidump_sample", "text": "0xffff80007a3f0000"}, {"name": "other_mod", "text": "0xffff80007a500000"}] and [n["type"] for n in o["notes"]] == [0, 1, 1, 3, 0] and o["messages"] == []'

	# ---- a bite: VMCOREINFO alone ----
	t "bite: assemble" 0 "$MD" assemble "$s/nt-bite" -o "$w/bite.elf"
	t "bite: summary" 0 "$MD" summary "$w/bite.elf"
	line_is "bite: summary registers: none" "$none"
	lacks "bite: summary, no task" "^task:"
	t "bite: summary --json" 0 "$MD" summary --json "$w/bite.elf"
	json_ok "bite: summary --json" 'o["registers"] == [] and o["task"] is None and o["modules"] == [] and o["kerneloffset"] == "0x0"'

	# ---- notes left zero, and no KERNELOFFSET: not damage ----
	t "zero: assemble" 0 "$MD" assemble "$s/nt-zero" -o "$w/zero.elf"
	t "zero: summary" 0 "$MD" summary "$w/zero.elf"
	line_is "zero: summary says why" "  NT_PRSTATUS 0: every register zero (not filled in)"
	t "no offset: assemble" 0 "$MD" assemble "$s/nt-nooffset" -o "$w/nooff.elf"
	t "no offset: summary" 0 "$MD" summary "$w/nooff.elf"
	line_is "no offset: summary" "kerneloffset: unknown (no KERNELOFFSET in VMCOREINFO)"

	# ---- malformed notes: reported, exit 4, the rest still read ----
	for c in "prsize:NT_PRSTATUS at offset 0x50: 200 bytes, not 392; ignored" \
		 "psize:NT_PRPSINFO at offset 0x1ec: 100 bytes, not 136; ignored" \
		 "dupcpu:NT_PRSTATUS at offset 0x1ec: CPU 2 again; the first kept" \
		 "badpid:NT_PRSTATUS at offset 0x50: pr_pid 0 is no CPU's; ignored" \
		 "badoff:VMCOREINFO line 3: KERNELOFFSET is not a hex number" \
		 "badmod:QCOM_MINIDUMP line 2: ok_mod: address is not a hex number; ignored"; do
		elf=$w/${c%%:*}.elf
		t "${c%%:*}: assemble" 0 "$MD" assemble "$s/nt-${c%%:*}" -o "$elf"
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
	line_is "dupcpu: one CPU" "registers: 1 CPU, the panicking one first"
	# The last note runs past the segment: the notes before it still count.
	t "trunc: assemble" 4 "$MD" assemble "$s/nt-trunc" -o "$w/trunc.elf"
	says "trunc: assemble said" "note region does not parse as ELF notes \(offset 0x50 of 0xc8\)"
	t "trunc: summary" 4 "$MD" summary "$w/trunc.elf"
	says "trunc: summary said" \
		"trunc.elf: note at offset 0x50 runs past the segment \(200 bytes\)"
	line_is "trunc: summary, offset read" "kerneloffset: 0x1f2e0000"
}

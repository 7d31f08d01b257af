#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# "minidump dmesg" on the rings tests/gen_printk.py writes into $out/p:
# sourced by tests/run.sh, which provides t, same, says, pass, fail, $MD,
# $out and $label. Each case: the exact output, the exit status, and the
# messages on stderr.

dmesg_suite() {
	local p=$out/p c re args

	for c in "$p"/*.elf; do
		c=$(basename "$c" .elf)
		args=()
		case $c in
		simple-dict) args=(--dict) ;;
		no-descs-ring) args=(--source ring) ;;
		esac
		t "dmesg $c" "$(cat "$p/$c.rc")" "$MD" dmesg "${args[@]}" "$p/$c.elf"
		same "dmesg $c output" "$p/$c.out" "$out/stdout"
		while IFS= read -r re; do
			says "dmesg $c: $re" "$re"
		done < "$p/$c.err"
	done

	# An md directory is assembled in memory and read the same way.
	t "dmesg ring from md files" 0 "$MD" dmesg "$p/simple-md"
	same "dmesg ring from md files output" "$p/simple.out" "$out/stdout"
	t "dmesg --source snapshot, ELF" 0 "$MD" dmesg --source snapshot "$p/simple.elf"
	says "dmesg --source snapshot, ELF" "snapshot end" "$out/stdout"
	t "dmesg --source snapshot, md" 0 "$MD" dmesg --source snapshot "$p/simple-md"
	says "dmesg --source snapshot, md" "snapshot end" "$out/stdout"
	t "dmesg -r, ELF" 3 "$MD" dmesg --source snapshot -r KNOPE "$p/simple.elf"
	says "dmesg -r, ELF" "no section named KNOPE"

	# A dump without the ring: the snapshot, and one line saying so.
	t "dmesg without a ring" 0 "$MD" dmesg "$s/md"
	says "dmesg without a ring: snapshot" "Kernel panic - not syncing" "$out/stdout"
	says "dmesg without a ring: said" "no printk ring buffer \(VMCOREINFO has no SYMBOL\(prb\)\); printing the KLOGBUF snapshot instead"
	if [ "$(wc -l < "$out/err")" -eq 1 ]; then pass; else fail "$label: dmesg without a ring: more than one line on stderr"; fi
	t "dmesg --source ring without a ring" 3 "$MD" dmesg --source ring "$s/md"
	t "dmesg of an assembled core without a ring" 0 "$MD" dmesg "$w/md.elf"
	says "dmesg of an assembled core: snapshot" "Kernel panic - not syncing" "$out/stdout"
	t "dmesg bad --source" 2 "$MD" dmesg --source nope "$p/simple.elf"
	cp "$p/simple.elf" "$w/cut.elf"
	truncate -s 100 "$w/cut.elf"
	t "dmesg of a cut ELF header" 3 "$MD" dmesg "$w/cut.elf"
	says "dmesg of a cut ELF header said" "program headers not in the file"
}

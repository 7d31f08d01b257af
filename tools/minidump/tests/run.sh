#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Tests for the minidump host tools, on samples tests/gen.py generates:
# every input kind against what qdl's algorithm makes of the same files,
# then every error path on spoiled copies. The whole suite runs twice: with
# the normal build and with an ASan+UBSan build. Ends with "N passed, N failed".

set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
# A directory of this run's own: two runs at once (the test command and a
# developer's) must not spoil each other's files. Kept when a test failed.
out=$top/test-out/run.$$
passed=0
failed=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; [ -s "$out/err" ] && sed -n '1,5p' "$out/err" | sed 's/^/    /'; }

# t NAME EXIT CMD...: run CMD, expect exit status EXIT and no sanitizer report.
t() {
	local name=$1 want=$2 rc
	shift 2
	"$@" > "$out/stdout" 2> "$out/err"
	rc=$?
	if grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$out/err"; then
		fail "$label: $name: sanitizer report"
	elif [ "$rc" -ne "$want" ]; then
		fail "$label: $name: exit $rc, expected $want"
	else
		pass
	fi
}

# same NAME A B: the two files are byte-identical.
same() {
	if cmp -s "$2" "$3"; then pass; else fail "$label: $1: $2 and $3 differ"; fi
}

# like NAME EXPECTED ACTUAL [--zero PADDR]...: ACTUAL holds what EXPECTED (qdl's
# concatenation) holds, segment by segment, and a guard after each PT_LOAD.
like() {
	local name=$1

	shift
	if python3 "$here/elfcheck.py" same "$@" 2> "$out/check" &&
	   python3 "$here/elfcheck.py" guards "$2" 2>> "$out/check"; then
		pass
	else
		fail "$label: $name: $(head -3 "$out/check")"
	fi
}

# says NAME PATTERN FILE: FILE (default: the last stderr) matches PATTERN.
says() {
	if grep -qE -- "$2" "${3:-$out/err}"; then pass; else fail "$label: $1: no '$2'"; fi
}

# poke FILE OFFSET FORMAT VALUE...: overwrite bytes with struct.pack(FORMAT, VALUE...).
poke() {
	python3 -c 'import struct, sys
f, off, fmt = sys.argv[1], int(sys.argv[2], 0), sys.argv[3]
vals = [v.encode() if fmt.endswith("s") else int(v, 0) for v in sys.argv[4:]]
with open(f, "r+b") as fh:
    fh.seek(off)
    fh.write(struct.pack(fmt, *vals))' "$@"
}

# Where gen.py put things in ram.bin.
base=0x80000000
smem=0x1e00000				# offset of SMEM in ram.bin
ptable=$((smem + 0x200000 - 4096))
item=$((smem + 0x10000 + 32))		# item 602's header
toc=$((item + 16))
apss=$((toc + 16))
table=0x100000

suite() {
	local s=$out/s w=$out/work

	rm -rf "$w"
	mkdir -p "$w"

	# ---- every input kind, against qdl's algorithm ----
	t "help" 0 "$MD" --help
	says "help names exit codes" "Exit status" "$out/stdout"
	t "list md" 0 "$MD" list "$s/md"
	says "list md names KDATA" "KDATA" "$out/stdout"
	t "assemble md" 0 "$MD" assemble "$s/md" -o "$w/md.elf"
	like "md like qdl" "$s/expected.elf" "$w/md.elf"
	t "assemble RAM" 0 "$MD" assemble "$s/ram.bin" --base $base -o "$w/ram.elf"
	like "RAM like qdl" "$s/expected.elf" "$w/ram.elf"
	t "assemble RAM, SMEM given" 0 "$MD" assemble "$s/ram.bin" --base $base \
		--smem $((base + smem)) --smem-size 0x200000 -o "$w/ram2.elf"
	like "RAM, SMEM given, like qdl" "$s/expected.elf" "$w/ram2.elf"
	t "assemble load.cmm" 0 "$MD" assemble "$s/cmm/load.cmm" -o "$w/cmm.elf"
	like "load.cmm like qdl" "$s/expected.elf" "$w/cmm.elf"
	t "assemble rawdump" 0 "$MD" extract "$s/rawdump.bin" -o "$w/raw.elf"
	like "rawdump like qdl" "$s/expected.elf" "$w/raw.elf"
	t "split RAM" 0 "$MD" split "$s/ram.bin" --base $base -o "$w/split"
	for f in "$s"/md/*; do
		same "split $(basename "$f")" "$f" "$w/split/$(basename "$f")"
	done
	says "split load.cmm" "d.load.binary md_KDATA.BIN 0x80410000 /noclear" \
		"$w/split/load.cmm"
	t "split rawdump" 0 "$MD" split "$s/rawdump.bin" -o "$w/split-raw"
	same "split rawdump KDATA" "$s/md/md_KDATA.BIN" "$w/split-raw/md_KDATA.BIN"
	t "list RAM" 0 "$MD" list "$s/ram.bin" --base $base
	says "list RAM shows the table address" "KELF_HEADER +0 +0x80600000 +4096 yes" \
		"$out/stdout"
	t "dmesg" 0 "$MD" dmesg "$s/md"
	says "dmesg text" "Kernel panic - not syncing" "$out/stdout"
	t "assemble the older KELF layout" 0 "$MD" assemble "$s/old" -o "$w/old.elf"
	like "older layout like qdl" "$s/expected-old.elf" "$w/old.elf"
	# The kernel's layout for ramparse: read like the others, and ramparse's
	# own rule (files in string-table order) builds what qdl builds.
	t "assemble the STR_TBL layout" 0 "$MD" assemble "$s/mdstrtbl" -o "$w/strtbl.elf"
	like "STR_TBL layout like qdl" "$s/expected-strtbl.elf" "$w/strtbl.elf"
	t "verify the STR_TBL layout" 0 "$MD" verify "$s/mdstrtbl" "$w/strtbl.elf"
	t "STR_TBL layout: ramparse's rule" 0 python3 "$here/elfcheck.py" ramparse "$s/mdstrtbl" \
		"$w/rp-strtbl.elf"
	same "STR_TBL layout: ramparse's core is qdl's" "$s/expected-strtbl.elf" "$w/rp-strtbl.elf"
	# Zero tails the kernel declared (p_memsz > p_filesz): kept, written as
	# zeroes in the region's last page before the guard, read as zeroes.
	t "assemble zero tails" 0 "$MD" assemble "$s/mdtail" -o "$w/tail.elf"
	like "zero tails like qdl, zeroes before the guard" "$s/expected-tail.elf" "$w/tail.elf"
	t "verify zero tails" 0 "$MD" verify "$s/mdtail" "$w/tail.elf"
	gdb-multiarch -batch -nx -ex 'set architecture aarch64' -ex 'core-file '"$w/tail.elf" \
		-ex 'x/2xg 0xffff800080413ff0' > "$w/gdb.txt" 2>&1
	if grep -qE '^0xffff800080413ff0:\s+0x0+\s+0x0+$' "$w/gdb.txt"; then
		pass
	else
		fail "$label: gdb read no zeroes in KDATA's zero tail: $(tail -1 "$w/gdb.txt")"
	fi
	t "2026 layout: ramparse's rule fails" 1 python3 "$here/elfcheck.py" ramparse "$s/md" \
		"$w/rp-2026.elf"
	says "2026 layout: no STR_TBL" "no STR_TBL in the header"
	t "verify" 0 "$MD" verify "$s/md" "$w/md.elf"
	# gdb reads KDATA at its registered virtual address.
	gdb-multiarch -batch -nx -ex 'set architecture aarch64' -ex 'core-file '"$w/md.elf" \
		-ex 'x/8xb 0xffff800080410000' > "$w/gdb.txt" 2>&1
	want=$(od -An -tx1 -N8 "$s/md/md_KDATA.BIN" | sed 's/ \([0-9a-f][0-9a-f]\)/ 0x\1/g; s/^ //')
	got=$(sed -nE 's/^0xffff800080410000:\s+//p' "$w/gdb.txt" | tr -s ' \t' ' ')
	if [ -n "$got" ] && [ "$got" = "$want" ]; then
		pass
	else
		fail "$label: gdb read '$got' at KDATA, expected '$want'"
	fi
	t "summary" 0 "$MD" summary "$w/md.elf"
	says "summary names regions" "LOAD +KDATA" "$out/stdout"
	readelf -a "$w/md.elf" > "$w/readelf.txt" 2>&1
	if grep -qiE 'warning|error' "$w/readelf.txt"; then
		fail "$label: readelf -a warns"
	else
		pass
	fi

	# ---- the command line ----
	t "no arguments" 2 "$MD"
	t "unknown command" 2 "$MD" frobnicate "$s/md"
	t "assemble without -o" 2 "$MD" assemble "$s/md"
	t "RAM without --base" 2 "$MD" list "$s/ram.bin"
	says "RAM without --base says so" "needs --base"
	t "bad --base" 2 "$MD" list "$s/ram.bin" --base 12zz
	t "no such input" 1 "$MD" list "$w/nothing"

	# ---- md directories ----
	cp -r "$s/md" "$w/missing"
	rm "$w/missing/md_KDATA.BIN"
	sed -i '/md_KDATA/d' "$w/missing/dump_info.txt"
	t "missing region" 4 "$MD" assemble "$w/missing" -o "$w/missing.elf"
	says "missing region reported" "no region in the dump, 12288 bytes zero-filled"
	like "missing region: zero-filled, the rest like qdl" "$s/expected.elf" "$w/missing.elf" \
		--zero 0x80410000
	cp -r "$s/md" "$w/short"
	truncate -s 1000 "$w/short/md_KDATA.BIN"
	t "short region" 4 "$MD" assemble "$w/short" -o "$w/short.elf"
	says "short region reported" "11288 of 12288 bytes missing"
	cp -r "$s/md" "$w/nokelf"
	rm "$w/nokelf/md_KELF_HEADER.BIN"
	t "no KELF" 3 "$MD" assemble "$w/nokelf" -o "$w/x.elf"
	says "no KELF said" "no KELF region"
	says "file named in dump_info missing" "md_KELF_HEADER.BIN is not in the directory"
	cp -r "$s/md" "$w/stale"
	poke "$w/stale/md_KELF_HEADER.BIN" 0 "<B" 0
	t "header being rewritten" 3 "$MD" assemble "$w/stale" -o "$w/x.elf"
	says "stale header said" "rewriting the header"
	mkdir -p "$w/empty"
	t "empty directory" 3 "$MD" list "$w/empty"
	cp -r "$s/md" "$w/badinfo"
	printf 'garbage line\n' >> "$w/badinfo/dump_info.txt"
	t "bad dump_info line" 3 "$MD" list "$w/badinfo"
	says "bad dump_info line number" "dump_info.txt:6:"
	cp "$w/md.elf" "$w/flipped.elf"
	poke "$w/flipped.elf" $(( $(stat -c %s "$w/md.elf") - 100 )) "<B" 0x55
	t "verify finds a changed byte" 4 "$MD" verify "$s/md" "$w/flipped.elf"
	says "verify names the region" "KDATA.*bytes differ"

	# ---- md files without addresses: matched by the header's names ----
	cp -r "$s/md" "$w/noinfo"
	rm "$w/noinfo/dump_info.txt"
	t "assemble md without dump_info.txt" 0 "$MD" assemble "$w/noinfo" -o "$w/noinfo.elf"
	like "md without dump_info.txt like qdl" "$s/expected.elf" "$w/noinfo.elf"
	t "verify md without dump_info.txt" 0 "$MD" verify "$w/noinfo" "$w/noinfo.elf"
	says "verify without dump_info.txt matches" "matches the dump" "$out/stdout"
	t "list without addresses" 0 "$MD" list "$w/noinfo"
	says "list shows unknown addresses as -" "KDATA +0 +- +12288" "$out/stdout"
	cp -r "$s/old" "$w/oldnoinfo"
	rm "$w/oldnoinfo/dump_info.txt"
	t "older layout without dump_info.txt" 0 "$MD" assemble "$w/oldnoinfo" -o "$w/oldni.elf"
	says "no header address: ramparse without -e" "^ramparse: .* --ram-elf $w/oldni.elf -v vmlinux " \
		"$out/stdout"
	like "older layout without dump_info.txt like qdl" "$s/expected-old.elf" "$w/oldni.elf"
	cp -r "$s/md" "$w/renamed"
	sed -i 's/0x0000000080410000/0x0000000080410004/' "$w/renamed/dump_info.txt"
	t "name at another address" 4 "$MD" assemble "$w/renamed" -o "$w/x.elf"
	says "name at another address: hint" \
		"PT_LOAD 3 \(KDATA\) at 0x80410000: no region in the dump \(md_KDATA.BIN has its name, at 0x80410004\)"
	# The same, with the segment read-only: the kernel's mark of a copy made
	# at the crash (the table has the copy, the header the memory's own
	# address), matched by its name.
	cp -r "$w/renamed" "$w/copy"
	python3 - "$w/copy/md_KELF_HEADER.BIN" <<-'PY'
	import struct, sys
	b = bytearray(open(sys.argv[1], "rb").read())
	phoff, = struct.unpack_from("<Q", b, 32)
	struct.pack_into("<I", b, phoff + 3 * 56 + 4, 4)  # PT_LOAD 3: p_flags PF_R
	open(sys.argv[1], "wb").write(b)
	PY
	t "read-only segment: a copy, matched by its name" 0 "$MD" assemble "$w/copy" -o "$w/copy.elf"
	t "verify: a copy matched by its name" 0 "$MD" verify "$w/copy" "$w/copy.elf"
	cp -r "$s/md" "$w/swapped"
	sed -i 's/md_KDATA.BIN/md_KTMP.BIN/; s/md_KLOGBUF.BIN/md_KDATA.BIN/; s/md_KTMP.BIN/md_KLOGBUF.BIN/' \
		"$w/swapped/dump_info.txt"
	t "names disagree with addresses" 4 "$MD" assemble "$w/swapped" -o "$w/x.elf"
	says "names disagree: reported" \
		"PT_LOAD 3 \(KDATA\) at 0x80410000: the header says KDATA, the region there is KLOGBUF"

	# ---- the note: only the region the PT_NOTE gives ----
	cp -r "$s/md" "$w/nonote"
	rm "$w/nonote/md_KVMCOREINFO.BIN"
	t "note missing" 4 "$MD" assemble "$w/nonote" -o "$w/nonote.elf"
	says "note missing said" \
		"PT_NOTE 0 \(KVMCOREINFO\) at 0x80500000: no note region in the dump; the core's PT_NOTE is empty: no VMCOREINFO, no registers"
	t "verify: note missing" 4 "$MD" verify "$w/nonote" "$w/md.elf"
	says "verify: note missing said" "no note region in the dump"
	cp "$s/md/md_KBANNER.BIN" "$w/nonote/md_KSTRAY.BIN"
	t "note missing, a stray md_K file" 4 "$MD" assemble "$w/nonote" -o "$w/stray.elf"
	says "stray not taken for the note" "md_KSTRAY.BIN: kernel region KSTRAY is in no segment"
	if python3 "$here/elfcheck.py" note "$w/stray.elf" | grep -qx 'PT_NOTE 0 bytes: no notes'; then
		pass
	else
		fail "$label: stray region: the PT_NOTE is not empty"
	fi
	rm "$w/nonote/dump_info.txt"
	t "note missing, stray, no dump_info.txt" 4 "$MD" assemble "$w/nonote" -o "$w/x.elf"
	says "note missing without dump_info.txt said" "no note region in the dump"
	cp -r "$s/md" "$w/strayat"
	mv "$w/strayat/md_KVMCOREINFO.BIN" "$w/strayat/md_KSTRAY.BIN"
	sed -i 's/md_KVMCOREINFO.BIN/md_KSTRAY.BIN/' "$w/strayat/dump_info.txt"
	t "other region at the note's address" 4 "$MD" assemble "$w/strayat" -o "$w/x.elf"
	says "other region at the note's address said" \
		"the header says KVMCOREINFO, the region there is KSTRAY"
	cp -r "$s/md" "$w/badnote"
	poke "$w/badnote/md_KVMCOREINFO.BIN" 0 "<I" 0x7fffffff
	t "note that does not parse" 4 "$MD" assemble "$w/badnote" -o "$w/x.elf"
	says "note that does not parse said" \
		"md_KVMCOREINFO.BIN: note region does not parse as ELF notes \(offset 0 of 0x3c\)"
	if [ "$(grep -c 'note region' "$out/err")" = 1 ]; then
		pass
	else
		fail "$label: bad note: not one message"
	fi
	t "verify: note that does not parse" 4 "$MD" verify "$w/badnote" "$w/md.elf"
	says "verify: note that does not parse said" "does not parse as ELF notes"
	cp -r "$s/md" "$w/shortnote"
	truncate -s 40 "$w/shortnote/md_KVMCOREINFO.BIN"
	t "short note" 4 "$MD" assemble "$w/shortnote" -o "$w/x.elf"
	says "short note said" "note region holds 40 of the 60 bytes the PT_NOTE describes"

	# ---- ties: dump_info.txt order, then file name; never readdir order ----
	for d in tieA tieB; do
		mkdir -p "$w/$d"
		cp "$s/md/dump_info.txt" "$w/$d/"
	done
	for f in "$s"/md/md_*; do cp "$f" "$w/tieA/"; done
	head -c 12288 /dev/zero > "$w/tieA/md_KDATA_OLD.BIN"
	for f in $(ls -r "$s"/md/md_*) "$w/tieA/md_KDATA_OLD.BIN"; do cp "$f" "$w/tieB/"; done
	printf '1 0x%016x\t%016d\t%-20s\t%s\r\n' 0x80410000 12288 KDATA_OLD md_KDATA_OLD.BIN \
		>> "$w/tieA/dump_info.txt"
	cp "$w/tieA/dump_info.txt" "$w/tieB/dump_info.txt"
	t "two regions at one address" 4 "$MD" assemble "$w/tieA" -o "$w/tieA.elf"
	says "two regions at one address: reported" \
		"PT_LOAD 3 \(KDATA\): md_KDATA.BIN and md_KDATA_OLD.BIN match and differ; md_KDATA.BIN taken"
	t "two regions at one address, other directory" 4 "$MD" assemble "$w/tieB" -o "$w/tieB.elf"
	same "ties: the same output from either directory" "$w/tieA.elf" "$w/tieB.elf"
	like "ties: dump_info.txt order wins" "$s/expected.elf" "$w/tieA.elf"
	{ grep KDATA_OLD "$w/tieA/dump_info.txt"; grep -v KDATA_OLD "$w/tieA/dump_info.txt"; } \
		> "$w/tieB/dump_info.txt"
	t "ties follow dump_info.txt order" 4 "$MD" assemble "$w/tieB" -o "$w/x.elf"
	says "ties follow dump_info.txt order said" "md_KDATA_OLD.BIN and md_KDATA.BIN match"
	cp -r "$s/md" "$w/twin"
	cp "$s/md/md_KDATA.BIN" "$w/twin/md_KDATA_COPY.BIN"
	printf '1 0x%016x\t%016d\t%-20s\t%s\r\n' 0x80410000 12288 KDATA_COPY md_KDATA_COPY.BIN \
		>> "$w/twin/dump_info.txt"
	t "identical duplicate" 0 "$MD" assemble "$w/twin" -o "$w/twin.elf"
	like "identical duplicate like qdl" "$s/expected.elf" "$w/twin.elf"
	cp -r "$s/md" "$w/twohdr"
	cp "$s/md/md_KELF_HEADER.BIN" "$w/twohdr/md_KELF_OTHER.BIN"
	poke "$w/twohdr/md_KELF_OTHER.BIN" 200 "<I" 0x12345678
	t "two differing headers" 4 "$MD" assemble "$w/twohdr" -o "$w/twohdr.elf"
	says "two differing headers said" \
		"ELF headers md_KELF_HEADER.BIN and md_KELF_OTHER.BIN differ; md_KELF_HEADER.BIN taken"
	cp -r "$s/md" "$w/repeat"
	line=$(grep KDATA "$w/repeat/dump_info.txt")
	printf '%s\n' "$line" >> "$w/repeat/dump_info.txt"
	t "repeated dump_info.txt line" 0 "$MD" list "$w/repeat"
	says "repeated line noted" "dump_info.txt:6: md_KDATA.BIN again, the same; line 1 kept"
	printf '%s\n' "${line/0x0000000080410000/0x0000000080420000}" >> "$w/repeat/dump_info.txt"
	t "conflicting dump_info.txt line" 4 "$MD" assemble "$w/repeat" -o "$w/repeat.elf"
	says "conflicting line reported" \
		"dump_info.txt:7: md_KDATA.BIN again, with another address or size; line 1 kept"
	like "conflicting line: the first kept" "$s/expected.elf" "$w/repeat.elf"

	# ---- the 2026 layout ----
	t "2026: assemble md" 0 "$MD" assemble "$s/md2026" -o "$w/26.elf"
	like "2026: md like qdl" "$s/expected-2026.elf" "$w/26.elf"
	t "2026: verify" 0 "$MD" verify "$s/md2026" "$w/26.elf"
	t "2026: split RAM" 0 "$MD" split "$s/ram2026.bin" --base $base -o "$w/split26"
	says "2026: split names the note region" "md_Kvmcorein2.BIN" "$w/split26/dump_info.txt"
	t "2026: assemble RAM" 0 "$MD" assemble "$s/ram2026.bin" --base $base -o "$w/26ram.elf"
	like "2026: RAM like qdl" "$s/expected-2026.elf" "$w/26ram.elf"
	rm "$w/split26/dump_info.txt" "$w/split26/load.cmm"
	t "2026: md without dump_info.txt" 0 "$MD" assemble "$w/split26" -o "$w/26ni.elf"
	like "2026: without dump_info.txt like qdl" "$s/expected-2026.elf" "$w/26ni.elf"
	t "2026: summary" 0 "$MD" summary "$w/26.elf"
	says "2026: summary lists the notes" "note +CORE +type 1, 392 bytes" "$out/stdout"
	says "2026: summary names the kernel" "kernel 6.18.0-meminspect" "$out/stdout"
	truncate -s 1000 "$w/split26/md_Kdata5.BIN"
	t "2026: region short beyond the padding" 4 "$MD" assemble "$w/split26" -o "$w/x.elf"
	says "2026: short region said" "PT_LOAD 3 \(Kdata5\) \(md_Kdata5.BIN\): 4 of 1004 bytes missing"

	# ---- --json ----
	json() { python3 -c 'import json, sys
o = json.loads(sys.stdin.read())
assert eval(sys.argv[1]), o' "$1" < "$out/stdout" 2> "$out/json-err"; }
	t "list --json" 0 "$MD" list --json "$s/md"
	if json 'o["exit"] == 0 and [r["name"] for r in o["regions"]][0] == "KDATA" and o["regions"][0]["address"] == "0x80410000" and o["regions"][0]["size"] == 12288 and o["messages"] == []'; then
		pass
	else
		fail "$label: list --json: $(tail -1 "$out/json-err")"
	fi
	t "list --json, no addresses" 0 "$MD" list --json "$w/noinfo"
	if json 'all(r["address"] is None and r["ss"] is None for r in o["regions"])'; then
		pass
	else
		fail "$label: list --json without addresses: $(tail -1 "$out/json-err")"
	fi
	t "summary --json" 0 "$MD" summary --json "$w/26.elf"
	if json 'o["exit"] == 0 and o["osrelease"] == "6.18.0-meminspect" and [s["name"] for s in o["segments"]] == ["Kvmcorein2", "Kbanner3", "Kprb4", "Kdata5"] and o["segments"][3]["size"] == 1004 and [n["type"] for n in o["notes"]] == [1, 3, 0]'; then
		pass
	else
		fail "$label: summary --json: $(tail -1 "$out/json-err")"
	fi
	t "verify --json" 0 "$MD" verify --json "$s/md" "$w/md.elf"
	if json 'o["match"] is True and o["exit"] == 0 and o["program_headers"] == 4'; then
		pass
	else
		fail "$label: verify --json: $(tail -1 "$out/json-err")"
	fi
	t "verify --json, mismatch" 4 "$MD" verify --json "$w/badnote" "$w/md.elf"
	if json 'o["match"] is False and o["exit"] == 4 and any("does not parse" in m for m in o["messages"])'; then
		pass
	else
		fail "$label: verify --json mismatch: $(tail -1 "$out/json-err")"
	fi
	t "list --json, unreadable dump" 3 "$MD" list --json "$w/empty"
	if json 'o["error"] is True and o["exit"] == 3 and "no md_*.BIN" in o["messages"][0]'; then
		pass
	else
		fail "$label: list --json error: $(tail -1 "$out/json-err")"
	fi
	t "assemble --json refused" 2 "$MD" assemble --json "$s/md" -o "$w/x.elf"
	says "assemble --json said" "--json is for list, summary and verify"

	# ---- RAM images: SMEM and the table, spoiled ----
	truncate -s 4M "$w/zeros.bin"
	t "no SMEM" 3 "$MD" list "$w/zeros.bin" --base $base
	says "no SMEM said" "no SMEM found"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $((ptable + 8)) "<I" 0xffffffff
	t "partition table entries" 3 "$MD" list "$w/r.bin" --base $base \
		--smem $((base + smem)) --smem-size 0x200000
	says "partition table said" "claims 4294967295 entries"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $item "<H" 0x1234
	t "bad canary" 3 "$MD" list "$w/r.bin" --base $base
	says "bad canary said" "bad canary"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $((item + 2)) "<H" 137
	t "no item 602" 3 "$MD" list "$w/r.bin" --base $base
	says "no item 602 said" "no item 602"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $((item + 4)) "<I" 0x7ffffff0
	t "item size past partition" 3 "$MD" list "$w/r.bin" --base $base
	says "item size said" "runs out of its partition"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $toc "<I" 0
	t "table status 0" 3 "$MD" list "$w/r.bin" --base $base
	says "table status said" "status 0"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $((apss + 16)) "<I" 0xffffffff
	t "huge region_count" 0 "$MD" list "$w/r.bin" --base $base
	says "huge region_count said" "implausible"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $((table + 40 * 0 + 24)) "<Q" 0x7fff00000000
	t "region outside RAM" 4 "$MD" split "$w/r.bin" --base $base -o "$w/outside"
	says "region outside RAM said" "not in the dump, zero-filled"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $((table + 40 * 0 + 32)) "<Q" 0x1000000000
	t "64 GiB region claimed" 4 timeout 60 "$MD" split "$w/r.bin" --base $base -o "$w/huge"
	says "64 GiB region: only the dump's bytes" "68690182144 of 68719476736 bytes not in the dump"
	rm -rf "$w/huge"
	cp "$s/ram.bin" "$w/r.bin"
	poke "$w/r.bin" $((table + 40 * 0)) "16s" "../../evil"
	poke "$w/r.bin" $((table + 40 * 3)) "16s" 'a/b\x01'
	t "hostile names" 0 "$MD" split "$w/r.bin" --base $base -o "$w/hostile"
	if [ -e "$w/evil.BIN" ] || [ -e "$out/evil.BIN" ] || [ -e "$w/hostile/a" ] ||
	   ! ls "$w/hostile" | grep -q '^md_%2E.%2F..%2Fevil.BIN$'; then
		fail "$label: hostile names: a name became a path ($(ls "$w/hostile" | tr '\n' ' '))"
	else
		pass
	fi

	# ---- load.cmm ----
	mkdir -p "$w/cmm"
	printf 'd.load.binary ../ram.bin 0x80000000\n' > "$w/cmm/load.cmm"
	t "load.cmm path" 3 "$MD" list "$w/cmm/load.cmm"
	says "load.cmm path said" "not a plain name"
	printf 'print "nothing"\n' > "$w/cmm/load.cmm"
	t "load.cmm empty" 3 "$MD" list "$w/cmm/load.cmm"

	# ---- the table behind the hypervisor's registers ----
	mmio_suite "$w" "$s"

	# ---- rawdump ----
	printf 'Raw_Dmp!' > "$w/raw-short.bin"
	t "rawdump header cut" 3 "$MD" list "$w/raw-short.bin"
	cp "$s/rawdump.bin" "$w/raw.bin"
	poke "$w/raw.bin" 52 "<I" 100000
	t "rawdump section count" 3 "$MD" list "$w/raw.bin"
	says "rawdump section count said" "sections do not fit"
	cp "$s/rawdump.bin" "$w/raw.bin"
	poke "$w/raw.bin" 12 "<I" 2
	truncate -s -1000 "$w/raw.bin"
	t "rawdump cut short" 4 "$MD" assemble "$w/raw.bin" -o "$w/raw-short.elf"
	says "rawdump incomplete said" "incomplete \\(partition full\\)"
	says "rawdump section past end said" "runs past the end of the file"

	dmesg_suite
	crash_notes_suite
	fwctx_suite
	damage_suite
}

. "$here/crash-notes.sh"
. "$here/fwctx.sh"
. "$here/damage.sh"
. "$here/dmesg.sh"
. "$here/mmio.sh"

# Earlier runs' directories, once their run is over; test-out/fuzz* may
# belong to a fuzzer still running.
for d in "$top"/test-out/run.*; do
	[ -d "$d" ] && ! kill -0 "${d##*.}" 2> /dev/null && rm -rf "$d"
done
rm -rf "$out"
mkdir -p "$out"
"$top/qcom-smem-image" -o "$out/smem.bin" --base $((base + smem)) || exit 1
python3 "$here/gen.py" "$out/s" "$out/smem.bin" || exit 1
python3 "$here/gen_printk.py" "$out/p" || exit 1
python3 "$here/gen_fwctx.py" "$out/fw" || exit 1
python3 "$here/gen_fwctx.py" --ram "$out/fw/ram" "$out/smem.bin" || exit 1
python3 "$here/damage.py" "$out/s" "$out/d" > "$out/d.sh" || exit 1

label=gcc MD=$top/minidump suite

# The same again under AddressSanitizer and UndefinedBehaviorSanitizer.
if make -s -C "$top" test-out/asan/minidump; then
	export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
	label=asan MD=$top/test-out/asan/minidump suite
else
	fail "ASan+UBSan build"
fi

if [ "$failed" -eq 0 ]; then
	rm -rf "$out"
else
	echo "the failed tests' files: $out"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

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
out=$top/test-out
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
	same "md like qdl" "$s/expected.elf" "$w/md.elf"
	t "assemble RAM" 0 "$MD" assemble "$s/ram.bin" --base $base -o "$w/ram.elf"
	same "RAM like qdl" "$s/expected.elf" "$w/ram.elf"
	t "assemble RAM, SMEM given" 0 "$MD" assemble "$s/ram.bin" --base $base \
		--smem $((base + smem)) --smem-size 0x200000 -o "$w/ram2.elf"
	same "RAM, SMEM given, like qdl" "$s/expected.elf" "$w/ram2.elf"
	t "assemble load.cmm" 0 "$MD" assemble "$s/cmm/load.cmm" -o "$w/cmm.elf"
	same "load.cmm like qdl" "$s/expected.elf" "$w/cmm.elf"
	t "assemble rawdump" 0 "$MD" extract "$s/rawdump.bin" -o "$w/raw.elf"
	same "rawdump like qdl" "$s/expected.elf" "$w/raw.elf"
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
	same "older layout like qdl" "$s/expected-old.elf" "$w/old.elf"
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
	if [ "$(stat -c %s "$w/missing.elf")" = "$(stat -c %s "$s/expected.elf")" ]; then
		pass
	else
		fail "$label: missing region: output not zero-filled to full size"
	fi
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
}

. "$here/mmio.sh"

rm -rf "$out"
mkdir -p "$out"
"$top/qcom-smem-image" -o "$out/smem.bin" --base $((base + smem)) || exit 1
python3 "$here/gen.py" "$out/s" "$out/smem.bin" || exit 1

label=gcc MD=$top/minidump suite

# The same again under AddressSanitizer and UndefinedBehaviorSanitizer.
if make -s -C "$top" test-out/asan/minidump; then
	export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
	label=asan MD=$out/asan/minidump suite
else
	fail "ASan+UBSan build"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

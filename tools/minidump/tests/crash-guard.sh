#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# crash reads past the end of a region: on a real dump (the demo's), with
# crash itself. Not part of "make test": it needs a vmlinux with DWARF and
# crash for arm64 (scripts/install-debuggers.sh), and takes a minute under
# qemu-user.
#
#   tests/crash-guard.sh DEMO_DIR VMLINUX [CRASH...]
#   e.g. tests/crash-guard.sh build/demo/panic build/arm64/vmlinux \
#            qemu-aarch64-static build/crash-arm64/usr/bin/crash
#
# Assembles DEMO_DIR/md, takes its shortest PT_LOAD in the kernel image
# whose end is not at a page's end, and has crash --minimal copy 64 bytes
# from its start ("rd -r"): the region's bytes, then guard bytes (0xa5),
# never another region's; and read 8 bytes just past its end ("rd"): an
# error. Ends with "N passed, N failed".

set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
demo=$1
vmlinux=$2
shift 2
crash=("$@")
[ ${#crash[@]} -gt 0 ] || crash=(crash)
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
passed=0
failed=0
check() {
	if eval "$2"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: $1"
	fi
}

"$top/minidump" assemble "$demo/md" -o "$w/core.elf" --vmlinux "$vmlinux" > "$w/lines" ||
	{ echo "FAIL: assemble $demo/md"; echo "0 passed, 1 failed"; exit 1; }
# The segment: vaddr, paddr, file offset, size.
read -r vaddr paddr off size < <(python3 - "$w/core.elf" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
phoff, = struct.unpack_from("<Q", d, 32)
phnum, = struct.unpack_from("<H", d, 56)
phs = [struct.unpack_from("<IIQQQQ", d, phoff + 56 * i) for i in range(phnum)]
# The kernel image's segments: vaddr - paddr is VMCOREINFO's kimage_voffset.
voff = None
for t, _, off, va, pa, fsz in phs:
    if t == 4:
        for line in d[off:off + fsz].split(b"\n"):
            if line.startswith(b"NUMBER(kimage_voffset)="):
                voff = int(line.split(b"=")[1], 16)
best = None
for t, _, off, va, pa, fsz in phs:
    # Ending 64 bytes or more before its page does.
    if (t == 1 and fsz and (voff is None or va - pa == voff) and
            4096 - (pa + fsz) % 4096 >= 64):
        if best is None or fsz < best[3]:
            best = (va, pa, off, fsz)
print("%#x %#x %d %d" % best)
PY
)
echo "segment: vaddr $vaddr, paddr $paddr, $size bytes (file offset $off)"
printf 'rd -r %s %s 64\nrd -64 %s 1\nquit\n' "$w/rd.bin" "$vaddr" \
	"$(printf '%#x' $((vaddr + size)))" > "$w/cmds"
timeout 600 "${crash[@]}" --minimal "$vmlinux" "$w/core.elf" < "$w/cmds" > "$w/crash.txt" 2>&1
sed -n '/^NOTE: minimal mode/,$p' "$w/crash.txt" | sed 's/^/    /'
check "crash copied 64 bytes" '[ "$(stat -c %s "$w/rd.bin" 2>/dev/null)" = 64 ]'
check "the region's bytes first" \
	'cmp -s -n "$size" "$w/rd.bin" <(tail -c +$((off + 1)) "$w/core.elf")'
check "then guard bytes, not another region's" \
	'[ -z "$(tail -c +$((size + 1)) "$w/rd.bin" | tr -d "\245")" ]'
check "a read past the end fails" \
	'grep -q "read error: kernel virtual address: $(printf "%x" $((vaddr + size)))" "$w/crash.txt"'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by run.sh: the APSS table found through the hypervisor's register
# block (--mmio-regs) instead of SMEM. The registers go into a copy of
# ram.bin, whose SMEM is then spoiled, so only the registers can lead to
# the table. Uses run.sh's helpers and layout.

mmio_regs=0x700000			# offset of the register block in ram.bin
ENBL=0x454e424c
DONE=0x444f4e45
NR=0x00004e52

# mmio_block FILE INIT ENABLED: the block, pointing at gen.py's table of 5.
mmio_block() {
	poke "$1" $mmio_regs "<15I" "$2" 1 $ENBL 0 0 0 0 0 \
		1 "$3" $DONE $NR 5 $(((base + table) & 0xffffffff)) $(((base + table) >> 32))
}

mmio_suite() {
	local w=$1 s=$2 regs=$((base + mmio_regs))

	cp "$s/ram.bin" "$w/mmio.bin"
	mmio_block "$w/mmio.bin" 1 $ENBL
	poke "$w/mmio.bin" $ptable "4s" "none"
	t "mmio: no SMEM without --mmio-regs" 3 "$MD" list "$w/mmio.bin" --base $base
	says "mmio: no SMEM said" "no SMEM found"
	t "mmio: assemble through the registers" 0 "$MD" assemble "$w/mmio.bin" --base $base \
		--mmio-regs $regs -o "$w/mmio.elf"
	like "mmio: like qdl" "$s/expected.elf" "$w/mmio.elf"
	t "mmio: split through the registers" 0 "$MD" split "$w/mmio.bin" --base $base \
		--mmio-regs $regs -o "$w/mmio-split"
	for f in "$s"/md/*; do
		same "mmio: split $(basename "$f")" "$f" "$w/mmio-split/$(basename "$f")"
	done
	t "mmio: bad --mmio-regs" 2 "$MD" list "$w/mmio.bin" --base $base --mmio-regs 0x12zz
	t "mmio: registers outside the dump" 3 "$MD" list "$w/mmio.bin" --base $base \
		--mmio-regs 0x10
	says "mmio: outside said" "minidump registers at 0x10: not in the RAM dump"

	cp "$w/mmio.bin" "$w/mmio-bad.bin"
	mmio_block "$w/mmio-bad.bin" 0 $ENBL
	t "mmio: not initialised" 3 "$MD" list "$w/mmio-bad.bin" --base $base --mmio-regs $regs
	says "mmio: not initialised said" "hypervisor has not set them up"
	mmio_block "$w/mmio-bad.bin" 1 0x4453424c
	t "mmio: slot disabled" 3 "$MD" split "$w/mmio-bad.bin" --base $base --mmio-regs $regs \
		-o "$w/mmio-off"
	says "mmio: slot disabled said" "no valid region in subsystem 0"
}

# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by run-demo.sh: the emulated crash and its collection on the mmio
# board, where the APSS minidump table sits behind the hypervisor's
# register block ("qcom,virt-minidump") instead of SMEM.
#
# The board has SMEM too, so both backends probe: the first registers with
# the core and the second is refused with -EBUSY. init hands the core over
# to the MMIO backend (unbind one, bind the other), with every client
# region, then crashes the kernel. The register block is a no-map page of
# RAM: after the crash the RAM dump holds it as the hypervisor would read
# it, and the tool finds the table through it (--mmio-regs ADDR). The
# checks are those of the SMEM demo.
#
# Uses from run-demo.sh: pass/fail/check/phase, boot/wait_for/save_ram,
# check_regions/check_gdb_banner, arm64, minidump, ram_base, smem_addr,
# mutex_addr, repo.

mmio_regs_addr=5fdb0000	# one page below the TCSR mutex

# mmio_demo OUT VIRT_DTS SMEM_IMAGE: everything goes to OUT.
mmio_demo() {
	local dir=$1 virt_dts=$2 smem_image=$3
	local con=$1/crash.log regs=0x$mmio_regs_addr
	local split_rc assemble_rc r

	mkdir -p "$dir"
	# What the hypervisor sets up: initialised, revision 1, enabled.
	python3 -c 'import struct, sys
open(sys.argv[1], "wb").write(struct.pack("<III", 1, 1, 0x454e424c).ljust(4096, b"\0"))' \
		"$dir/regs.bin" || { fail "mmio: register block image"; return; }
	{ cat "$virt_dts"
	  sed -e "s/@SMEM@/$smem_addr/g" -e "s/@MUTEX@/$mutex_addr/g" "$repo/scripts/demo/board.dtsi"
	  sed -e "s/@REGS@/$mmio_regs_addr/g" "$repo/scripts/demo/board-mmio.dtsi"
	} > "$dir/board.dts"
	if ! dtc -q -I dts -O dtb -o "$dir/board.dtb" "$dir/board.dts"; then
		fail "mmio: dtc could not build board.dtb"
		return
	fi

	rm -f "$dir/ram.bin"
	boot "$dir/crash" "$smem_image" "mddemo=mmio" "$dir/board.dtb" \
		-device "loader,file=$dir/regs.bin,addr=$regs,force-raw=on"
	if ! wait_for "$dir/crash" 'Kernel panic - not syncing|mddemo: FAIL' ||
	   ! grep -q 'Kernel panic - not syncing' "$con"; then
		kill "$qemu_pid" 2>/dev/null
		wait "$qemu_pid" 2>/dev/null
		tail -20 "$con" >&2
		fail "mmio: the kernel did not reach the panic: see $con"
		return
	fi
	phase "mmio: boot to panic"

	save_ram "$dir/crash" "$dir/ram.bin" || fail "mmio: QMP could not save guest RAM"

	rm -rf "$dir/md"
	"$minidump" split "$dir/ram.bin" --base $ram_base --mmio-regs $regs -o "$dir/md" \
		> "$dir/split.log" 2>&1
	split_rc=$?
	"$minidump" assemble "$dir/md" -o "$dir/minidump.elf" --vmlinux "$arm64/vmlinux" \
		--module-dir "$arm64" > "$dir/assemble.log" 2> "$dir/assemble.err"
	assemble_rc=$?
	phase "mmio: RAM saved, split, assembled"

	echo
	echo "mmio: regions the hypervisor dumped (found through the registers at $regs):"
	awk -F'\t' '{ gsub(/ +$/, "", $3); printf "  %-12s %s %10d bytes\n", $3, substr($1, 3), $2 }' \
		"$dir/md/dump_info.txt" 2>/dev/null
	echo

	check "mmio: boot: qcom_smem bound" grep -q 'mddemo: qcom-smem bound: yes' "$con"
	check "mmio: boot: MMIO backend probed" \
		grep -qE 'qcom-minidump-mmio .*APSS minidump table at' "$con"
	check "mmio: boot: the backend that probed second waits, one line" \
		grep -qE 'qcom_minidump: backend (smem|mmio) waits: (smem|mmio) is registered' "$con"
	check "mmio: boot: unbinding the one in use hands the table to the one that waits" \
		sh -c "grep -q 'qcom_minidump: backend smem took over' '$con' &&
		       grep -q 'qcom_minidump: backend mmio took over' '$con'"
	check "mmio: boot: sample unloaded and loaded again" \
		grep -q 'mddemo: sample loaded, unloaded' "$con"
	check "mmio: boot: the core handed over from smem to mmio" \
		grep -q 'mddemo: backend handed over from smem to mmio' "$con"
	check "mmio: panic: sysrq c" grep -q 'Kernel panic - not syncing: sysrq triggered crash' "$con"
	check "mmio: split through the registers: every region complete (exit $split_rc)" \
		test "$split_rc" -eq 0
	check "mmio: the SMEM slot is off (the SMEM backend let go)" \
		sh -c "! '$minidump' split '$dir/ram.bin' --base $ram_base -o '$dir/md-smem'"
	for r in KELF_HEADER KVMCOREINFO KBANNER KLOGBUF KSAMPLE; do
		check "mmio: dump: md_$r.BIN" test -s "$dir/md/md_$r.BIN"
	done
	check_regions mmio "$con" "$dir"
	check "mmio: dump: kernel log holds the panic" \
		sh -c "'$minidump' dmesg '$dir/md' | grep -q 'sysrq triggered crash'"
	check "mmio: assemble: complete (exit $assemble_rc)" test "$assemble_rc" -eq 0
	check "mmio: verify: minidump.elf matches the md files" \
		"$minidump" verify "$dir/md" "$dir/minidump.elf"
	check_gdb_banner mmio "$dir"
	"$minidump" summary "$dir/minidump.elf" > "$dir/summary.txt" 2>&1
	out=$(dirname "$dir") tag= crash_full "$(basename "$dir")" \
		'Kernel panic - not syncing: sysrq triggered crash' \
		$(vmlinux_frames panic sysrq_handle_crash __handle_sysrq)
	sed -n 's/.*linux_banner>: *//p' "$dir/gdb.txt" | head -1 | cut -c1-100 |
		sed 's/^/  mmio: gdb: /'
	phase "mmio: checks"
	echo "demo: mmio artefacts in $dir (minidump.elf, md/, ram.bin, crash.log)"
}

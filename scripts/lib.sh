# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by run-tests.sh and run-demo.sh: where things are, and the one way
# to configure and build the arm64 kernel they both use. Source it.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MINIDUMP_BUILD_DIR:-$repo/build}
logs=$build/logs
arm64=$build/arm64
cross=aarch64-linux-gnu-
jobs=$(nproc)
config_fragment=$repo/scripts/config/qemu-qcom.config

# Every check counts once, as one PASS or FAIL line; the caller prints
# "$passed passed, $failed failed" last.
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

kmake() {
	make -C "$tree" O="$arm64" ARCH=arm64 CROSS_COMPILE=$cross -j"$jobs" "$@"
}

# Prepare the kernel tree (installs what is missing); sets $tree.
prepare_tree() {
	tree=$("$repo/scripts/prepare-tree.sh")
}

# allnoconfig plus the fragment, redone only when the fragment changes.
# Prints the fragment's lines that did not make it into .config.
configure_arm64() {
	mkdir -p "$arm64" "$logs"
	if ! cmp -s "$config_fragment" "$arm64/.minidump-config" || [ ! -f "$arm64/.config" ]; then
		echo "arm64 tree: configuring $arm64" >&2
		{ kmake allnoconfig &&
		  (cd "$tree" && ARCH=arm64 scripts/kconfig/merge_config.sh -m -O "$arm64" \
			"$arm64/.config" "$config_fragment") &&
		  kmake olddefconfig; } > "$logs/arm64-config.log" 2>&1 || return 1
		cp "$config_fragment" "$arm64/.minidump-config"
	fi
	grep -E '^CONFIG_' "$config_fragment" | while read -r line; do
		grep -qx "$line" "$arm64/.config" || echo "$line"
	done
}

# Image and modules, incrementally. The Image build makes usr/gen_init_cpio
# too (BLK_DEV_INITRD), which the demo uses for its initramfs.
build_arm64() {
	kmake Image modules > "$logs/arm64-build.log" 2>&1
}

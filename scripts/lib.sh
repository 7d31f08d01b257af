# SPDX-License-Identifier: GPL-2.0-only
#
# Shared by run-tests.sh and run-demo.sh: where things are, and the one way
# to configure and build the arm64 kernels they use, with GCC ($arm64) or
# clang ($arm64_clang). Source it.

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MINIDUMP_BUILD_DIR:-$repo/build}
logs=$build/logs
arm64=$build/arm64
arm64_clang=$build/arm64-clang
cross=aarch64-linux-gnu-
jobs=$(nproc)
config_fragment=$repo/scripts/config/qemu-qcom.config

# Every check counts once, as one PASS or FAIL line; the caller prints
# "$passed passed, $failed failed" last.
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS: $*"; }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# kmake_for DIR CC ARG...: make in the tree for output directory DIR, with
# CC gcc (the cross GCC) or clang (Debian's clang, lld and LLVM's binutils,
# as Android and most Snapdragon kernels are built).
kmake_for() {
	local dir=$1 cc=$2
	shift 2

	case $cc in
	gcc) make -C "$tree" O="$dir" ARCH=arm64 CROSS_COMPILE=$cross -j"$jobs" "$@" ;;
	clang) make -C "$tree" O="$dir" ARCH=arm64 LLVM=1 -j"$jobs" "$@" ;;
	*) echo "lib.sh: no compiler $cc (gcc, clang)" >&2; return 1 ;;
	esac
}
kmake() {
	kmake_for "$arm64" gcc "$@"
}

# Prepare the kernel tree (installs what is missing); sets $tree.
prepare_tree() {
	tree=$("$repo/scripts/prepare-tree.sh")
}

# configure_arm64 [DIR [CC]]: allnoconfig plus the fragment in DIR (default
# $arm64) for compiler CC (default gcc), redone only when the fragment
# changes. Prints the fragment's lines that did not make it into .config.
# Log: $logs/<DIR's name>-config.log.
configure_arm64() {
	local dir=${1:-$arm64} cc=${2:-gcc}
	local log=$logs/$(basename "$dir")-config.log

	mkdir -p "$dir" "$logs"
	if ! cmp -s "$config_fragment" "$dir/.minidump-config" || [ ! -f "$dir/.config" ]; then
		echo "arm64 tree: configuring $dir ($cc)" >&2
		{ kmake_for "$dir" "$cc" allnoconfig &&
		  (cd "$tree" && ARCH=arm64 scripts/kconfig/merge_config.sh -m -O "$dir" \
			"$dir/.config" "$config_fragment") &&
		  kmake_for "$dir" "$cc" olddefconfig; } > "$log" 2>&1 || return 1
		cp "$config_fragment" "$dir/.minidump-config"
	fi
	grep -E '^CONFIG_' "$config_fragment" | while read -r line; do
		grep -qx "$line" "$dir/.config" || echo "$line"
	done
}

# build_arm64 [DIR [CC]]: Image and modules, incrementally. The Image build
# makes usr/gen_init_cpio too (BLK_DEV_INITRD), which the demo uses for its
# initramfs. Log: $logs/<DIR's name>-build.log.
build_arm64() {
	local dir=${1:-$arm64} cc=${2:-gcc}

	kmake_for "$dir" "$cc" Image modules > "$logs/$(basename "$dir")-build.log" 2>&1
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages this project needs, only those missing, and
# the device tree schema checker from PyPI in a virtualenv under the build
# directory ($MINIDUMP_BUILD_DIR/venv): Linux 6.12's dt_binding_check wants
# dtschema 2023.9 or later, and Debian 12's dt-schema is 2022.08.
# Safe to run again: it does nothing when everything is there.

set -euo pipefail

pkgs=(
	linux-source-6.12 xz-utils
	make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross bc bison flex libssl-dev
	libelf-dev linux-libc-dev
	python3 python3-venv perl rsync patch cpio
	python3-sphinx python3-ply python3-git
	sparse
	qemu-system-arm device-tree-compiler gdb-multiarch binutils-multiarch
	# clang: the fuzzers (libFuzzer), and the demo's second kernel (LLVM=1)
	clang libclang-rt-14-dev lld llvm
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -gt 0 ]; then
	echo "install-deps: installing ${missing[*]}"
	sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -qq
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
venv=${MINIDUMP_BUILD_DIR:-$repo/build}/venv
if [ ! -x "$venv/bin/dt-validate" ] || [ ! -x "$venv/bin/yamllint" ]; then
	echo "install-deps: installing dtschema and yamllint from PyPI into $venv"
	python3 -m venv "$venv"
	"$venv/bin/pip" install -q 'dtschema>=2023.9' yamllint
fi

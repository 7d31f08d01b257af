#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages this project needs, only those missing.
# Safe to run again: it does nothing when everything is there.

set -euo pipefail

pkgs=(
	linux-source-6.12 xz-utils
	make gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross bc bison flex libssl-dev
	libelf-dev linux-libc-dev
	python3 perl rsync patch cpio
	sparse
	qemu-system-arm device-tree-compiler gdb-multiarch binutils-multiarch
	clang libclang-rt-14-dev
)

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the debuggers the demo opens its dumps with, only what is missing:
#   - drgn, current, from PyPI, in a virtualenv: $MINIDUMP_BUILD_DIR/venv-drgn
#     (Debian 12's python3-drgn is 0.0.22, older than Linux 6.12);
#   - Debian's python3-drgn 0.0.22 too, for /usr/bin/python3;
#   - crash 8.0.2, Debian's arm64 build, run under qemu-aarch64-static:
#     unpacked into $MINIDUMP_BUILD_DIR/crash-arm64, never installed
#     (crash:arm64 depends on binutils:arm64, which replaces the host's
#     binutils and takes gcc and the cross compiler with it), with the
#     arm64 libraries it links, which are safe to install.
# gdb-multiarch comes from install-deps.sh.

set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${MINIDUMP_BUILD_DIR:-$repo/build}
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive

updated=
apt_update() {
	[ -n "$updated" ] || $sudo apt-get update -qq
	updated=1
}

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "install-debuggers: adding the arm64 architecture to dpkg"
	$sudo dpkg --add-architecture arm64
	apt_update
fi

pkgs=(
	python3-venv python3-drgn qemu-user-static
	libc6:arm64 libgcc-s1:arm64 liblzo2-2:arm64 libncursesw6:arm64 libsnappy1v5:arm64
	libstdc++6:arm64 libtinfo6:arm64 libzstd1:arm64 zlib1g:arm64
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "install-debuggers: installing ${missing[*]}"
	apt_update
	$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

crash=$build/crash-arm64
if [ ! -x "$crash/usr/bin/crash" ]; then
	echo "install-debuggers: unpacking crash:arm64 into $crash"
	apt_update
	mkdir -p "$build/debs"
	(cd "$build/debs" && rm -f crash_*_arm64.deb && apt-get download -qq crash:arm64)
	rm -rf "$crash"
	dpkg-deb -x "$build"/debs/crash_*_arm64.deb "$crash"
fi

venv=$build/venv-drgn
if ! "$venv/bin/python" -c 'import drgn' 2>/dev/null; then
	echo "install-debuggers: installing drgn from PyPI into $venv"
	rm -rf "$venv"
	/usr/bin/python3 -m venv "$venv"
	"$venv/bin/pip" install -q drgn
fi

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare a Linux 6.12 source tree with this project in it:
#   1. unpack Debian's linux-source-6.12 once into $MINIDUMP_BUILD_DIR/linux;
#   2. link every project kernel file (drivers/, include/, samples/, the
#      device tree bindings) into it, and the top-level Kconfig as
#      drivers/soc/qcom/Kconfig.minidump;
#   3. apply patches/*.patch, the changes to existing kernel files.
#
# Idempotent and cheap when nothing changed: files are symlinks (bindings
# are copies, refreshed on every run), so an edit in the repository is seen
# by make at once, and patches are only re-applied when their text changed. Prints the tree's path on stdout.

set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=${MINIDUMP_BUILD_DIR:-$repo/build}
tree=$build/linux
tarball=/usr/src/linux-source-6.12.tar.xz
applied=$tree/.minidump-patches

"$repo/scripts/install-deps.sh" >&2

stamp="$(stat -c '%s %Y' "$tarball")"
if [ ! -f "$tree/.minidump-source" ] || [ "$(cat "$tree/.minidump-source")" != "$stamp" ]; then
	echo "prepare-tree: unpacking $tarball" >&2
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	tar -xf "$tarball" -C "$tree.tmp" --strip-components=1
	echo "$stamp" > "$tree.tmp/.minidump-source"
	mv "$tree.tmp" "$tree"
fi

# Overlay: a project file may add a kernel file, never replace one.
link() {
	local src=$1 dst=$2

	[ "$(readlink "$dst" 2>/dev/null)" = "$src" ] && return 0
	if [ -e "$dst" ] && [ ! -L "$dst" ]; then
		echo "prepare-tree: $dst exists in the kernel; change it with a patch" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$dst")"
	ln -sfn "$src" "$dst"
}

kernel_dirs="drivers include samples Documentation/devicetree/bindings"

# The project's kernel files: what git tracks or would track, so that build
# output of an external module build (make M=) never reaches the tree.
project_files() {
	if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$repo" ls-files --cached --others --exclude-standard -- $kernel_dirs
	else
		(cd "$repo" && find $kernel_dirs -type f \( -name '*.[ch]' -o -name '*.yaml' -o \
			-name Makefile -o -name 'Kconfig*' -o -name .kunitconfig \) 2>/dev/null)
	fi
}
files=$(project_files)

# Links into the project that are not project files (any more) go.
(cd "$tree" && find $kernel_dirs -type l -lname "$repo/*") |
while read -r l; do
	[ "$(readlink "$tree/$l")" = "$repo/Kconfig" ] && continue
	grep -qxF "$l" <<< "$files" || rm -f "$tree/$l"
done

# Bindings are copied, not linked: checkpatch looks for a compatible in
# them with grep -r, which does not follow links. The copies are listed in
# $copies, so that they can be told from the kernel's own files.
copies=$tree/.minidump-copies
touch "$copies"
copy() {
	local src=$1 dst=$2 rel=${2#"$tree"/}

	[ -L "$dst" ] && [ "$(readlink "$dst")" = "$src" ] && rm -f "$dst"
	if [ -e "$dst" ] && ! grep -qxF "$rel" "$copies"; then
		echo "prepare-tree: $dst exists in the kernel; change it with a patch" >&2
		exit 1
	fi
	mkdir -p "$(dirname "$dst")"
	cmp -s "$src" "$dst" || cp "$src" "$dst"
	grep -qxF "$rel" "$copies" || echo "$rel" >> "$copies"
}
while read -r c; do
	[ -n "$c" ] && ! grep -qxF "$c" <<< "$files" && rm -f "$tree/$c"
done < "$copies"
grep -xF "$files" "$copies" > "$copies.new" || true
mv "$copies.new" "$copies"

for f in $files; do
	[ -f "$repo/$f" ] || continue
	case "$f" in
	Documentation/devicetree/bindings/*) copy "$repo/$f" "$tree/$f" ;;
	*) link "$repo/$f" "$tree/$f" ;;
	esac
done
link "$repo/Kconfig" "$tree/drivers/soc/qcom/Kconfig.minidump"

# Patches: when the set changed, take the old one back out, then apply anew.
if ! diff -rq "$repo/patches" "$applied" >/dev/null 2>&1; then
	if [ -d "$applied" ]; then
		for p in $(ls -r "$applied"/*.patch 2>/dev/null); do
			echo "prepare-tree: reverting $(basename "$p")" >&2
			patch -s -R -p1 -d "$tree" < "$p"
		done
	fi
	rm -rf "$applied"
	mkdir -p "$applied"
	for p in "$repo"/patches/*.patch; do
		echo "prepare-tree: applying $(basename "$p")" >&2
		patch -s -p1 --no-backup-if-mismatch -d "$tree" < "$p"
		cp "$p" "$applied/"
	done
fi

echo "$tree"

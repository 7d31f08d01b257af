#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Make the pristine tree the series applies to, once: a git repository of
# Debian's linux-source-6.12 with one commit, "Linux 6.12", tagged v6.12.
# The author, committer and dates are fixed, so that the commit (and so
# the series' base-commit) is the same on every machine with the same
# Debian package. The README gives the same steps by hand.
#
# Usage: make-pristine.sh [DIR]   (default $MINIDUMP_BUILD_DIR/v6.12)
# Prints the repository's path. Does nothing when it is there already.

set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${MINIDUMP_BUILD_DIR:-$repo/build}
dir=${1:-$build/v6.12}
tarball=/usr/src/linux-source-6.12.tar.xz

if git -C "$dir" rev-parse -q --verify 'v6.12^{commit}' >/dev/null 2>&1; then
	echo "$dir"
	exit 0
fi

[ -f "$tarball" ] || "$repo/scripts/install-deps.sh" >&2
echo "make-pristine: unpacking $tarball into $dir" >&2
rm -rf "$dir" "$dir.tmp"
mkdir -p "$dir.tmp"
tar -xf "$tarball" -C "$dir.tmp" --strip-components=1
(
	cd "$dir.tmp"
	git init -q -b master .
	# -f: the tarball's files as they are, also those a .gitignore names.
	git add -f -A .
	export GIT_AUTHOR_NAME="Linux 6.12" GIT_AUTHOR_EMAIL="linux-source-6.12@debian.invalid"
	export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
	export GIT_AUTHOR_DATE="2024-11-17T14:15:08-0800" GIT_COMMITTER_DATE="2024-11-17T14:15:08-0800"
	git -c commit.gpgsign=false commit -q -m "Linux 6.12" \
		-m "Debian's linux-source-6.12 ($(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)), as unpacked."
	git tag v6.12
)
mv "$dir.tmp" "$dir"
echo "$dir"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The project's test command (make check): sets everything up, then runs
#  - every KUnit suite (each .kunitconfig) under qemu-arm64 with kunit.py;
#  - checkpatch --strict, sparse (C=2 W=1), gcc W=1 and kernel-doc -Wall
#    on every project source file, and the external module build (M=);
#  - dt_binding_check on the device tree bindings;
#  - the host tools' tests and the emulated crash (when they exist).
# Any finding fails. The last line is "N passed, N failed", counting KUnit
# cases and checks. Logs go to $MINIDUMP_BUILD_DIR/logs.

set -uo pipefail

. "$(dirname "$0")/lib.sh"

# silent NAME CMD...: a checker that prints nothing when all is well.
silent() {
	local name=$1 log=$logs/silent.log
	shift

	"$@" > "$log" 2>&1
	if [ -s "$log" ]; then
		fail "$name"
		sed -n '1,40p' "$log" | sed 's/^/    /'
	else
		pass "$name"
	fi
}

# verdict NAME RC LOG FINDINGS [PASS_NOTE]: a build-like check fails when it
# exited non-zero (the log's end says why) or found something (listed).
verdict() {
	local name=$1 rc=$2 log=$3 findings=$4 note=${5:-}

	if [ "$rc" -ne 0 ] || [ -n "$findings" ]; then
		fail "$name"
		echo "$findings" | sed -n '1,40p' | sed 's/^/    /'
		[ "$rc" -eq 0 ] || tail -n 10 "$log" | sed 's/^/    /'
	else
		pass "$name$note"
	fi
}

prepare_tree || {
	echo "FAIL: kernel tree preparation"
	echo "0 passed, 1 failed"
	exit 1
}
mkdir -p "$logs"

# clang's kernel, which the demo at the end crashes, builds from here on at
# the lowest priority: much of what comes first (checkpatch, sparse one
# object at a time, the fuzzers, the series' git am and checkpatch) keeps
# one core, and the builds lose little to it. The demo's own, incremental
# build then has little left to do; it waits for this one first. Not when
# MINIDUMP_COMPILERS leaves clang out. A process group of its own (set -m),
# so that an early exit ends it.
early_clang=
case " ${MINIDUMP_COMPILERS:-gcc clang} " in
*" clang "*)
	if configure_arm64 "$arm64_clang" clang > /dev/null; then
		set -m
		( renice -n 19 -p $BASHPID > /dev/null; build_arm64 "$arm64_clang" clang ) &
		early_clang=$!
		set +m
		trap '[ -z "$early_clang" ] || kill -- -"$early_clang" 2>/dev/null' EXIT
	fi ;;
esac

# Project files: what git tracks, and new files it does not ignore.
project_files() {
	git -C "$repo" ls-files --cached --others --exclude-standard -- "$@"
}

kernel_c=$(project_files 'drivers/*.c' 'samples/*.c')
kernel_h=$(project_files 'drivers/*.h' 'include/*.h')

# ---- KUnit ----------------------------------------------------------------

for kc in $(project_files '*.kunitconfig' '.kunitconfig'); do
	dir=$(dirname "$kc")
	log=$logs/kunit-$(echo "$dir" | tr / -).log
	echo "kunit: $kc (log: $log)"
	# kunit.py gives the whole run 300 s by default; with debugobjects on
	# (the lifetime cases), the stress and bench cases take longer than
	# that under qemu's TCG on a busy machine. A hang still ends.
	(cd "$tree" && ./tools/testing/kunit/kunit.py run --arch=arm64 \
		--cross_compile=$cross --build_dir="$build/kunit" --jobs="$jobs" \
		--timeout=1500 --kunitconfig="$kc") > "$log" 2>&1
	rc=$?
	sed -n '/=====/,$p' "$log" | grep -E '^\[.*\] (=|\[|Testing|    #)' || true
	# What the tests measured (seeds, counts): kunit.py keeps the raw log.
	grep -E '^ +# [a-z_]+: ' "$build/kunit/test.log" 2>/dev/null | grep -vE ': (pass|ok|fail|skip)' |
		sed 's/^ */    /' || true
	# "Testing complete. Ran 36 tests: passed: 35, failed: 1, crashed: 0"
	summary=$(grep -E 'Testing complete\. Ran [0-9]+ tests' "$log" | tail -n 1)
	if [ -z "$summary" ]; then
		fail "kunit $kc: no results (exit $rc)"
		tail -n 30 "$log" | sed 's/^/    /'
		continue
	fi
	count() {
		echo "$summary" | grep -oE "$1: [0-9]+" | grep -oE '[0-9]+' || echo 0
	}
	passed=$((passed + $(count passed)))
	failed=$((failed + $(count failed) + $(count crashed) + $(count errors)))
	[ "$rc" -eq 0 ] || fail "kunit $kc: kunit.py exited $rc"
done

# What the live stacks cost a context switch (qcom_minidump_bite's benchmark).
bench=$(grep -ohE 'bench: context switch without: [0-9]+ ns, with live stacks: [0-9]+ ns, ratio [0-9]+\.[0-9]{2}' \
	"$logs"/kunit-*.log "$build/kunit/test.log" 2>/dev/null | tail -n 1)
echo "${bench:-bench: context switch: no result, the qcom_minidump_bite benchmark did not run}"

# ---- checkpatch --strict --------------------------------------------------

# User-space files (tools/, the demo's init) cannot use kernel-only helpers:
# for them CAMELCASE (C99's PRIx64, libelf's GElf_* types), BIT_MACRO (no
# BIT()) and PREFER_DEFINED_ATTRIBUTE_MACRO (no __packed, __printf) are off.
userspace_ignore=CAMELCASE,BIT_MACRO,PREFER_DEFINED_ATTRIBUTE_MACRO
checkpatch() {
	(cd "$tree" && perl scripts/checkpatch.pl --strict --no-summary --quiet --terse \
		--show-types "$@")
}
for f in $(project_files '*.c' '*.h' 'Kconfig'); do
	ignore=
	case "$f" in tools/*|scripts/*) ignore="--ignore $userspace_ignore" ;; esac
	silent "checkpatch $f" checkpatch $ignore -f "$repo/$f"
done
# EMBEDDED_FILENAME is ignored for patches: the one to drivers/soc/qcom/Kconfig
# must name drivers/soc/qcom/Kconfig.minidump to source it. UNKNOWN_COMMIT_ID
# too: the kernel tree is Debian's source package, with no git history to
# look a Fixes: tag's commit up in (series.py ignores it for the same reason).
for p in $(project_files 'patches/*.patch'); do
	silent "checkpatch $p" checkpatch --ignore EMBEDDED_FILENAME,UNKNOWN_COMMIT_ID "$repo/$p"
done

# ---- kernel-doc -Wall -----------------------------------------------------

for f in $(project_files '*.c' '*.h'); do
	silent "kernel-doc $f" perl "$tree/scripts/kernel-doc" -none -Wall "$repo/$f"
done

# ---- device tree bindings -------------------------------------------------

# dt_binding_check with dtschema from PyPI (install-deps.sh puts it in
# $build/venv). The example is built anew each run, so findings show every
# time, not only the first.
for b in $(project_files 'Documentation/devicetree/bindings/*.yaml'); do
	rel=${b#Documentation/devicetree/bindings/}
	log=$logs/dt-binding-$(basename "$b" .yaml).log
	rm -f "$build/dtcheck/${b%.yaml}".example.*
	PATH=$build/venv/bin:$PATH make -C "$tree" O="$build/dtcheck" dt_binding_check \
		DT_SCHEMA_FILES="$rel" > "$log" 2>&1
	rc=$?
	# dtschema exits 0 on findings: any line naming the binding, other than
	# make's own, is one. (Other bindings' findings are not ours to fix.)
	findings=$(grep -vE '^make|^  [A-Z]+ ' "$log" | grep -F -A1 "$(basename "$b" .yaml)")
	grep -q 'DTC.*example.dtb' "$log" || findings="${findings:-the example was not built}"
	verdict "dt_binding_check $rel" $rc "$log" "$findings"
done

# ---- gcc W=1 and sparse C=2 on the arm64 tree -----------------------------

missing=$(configure_arm64)
if [ $? -ne 0 ]; then
	fail "arm64 config: see $logs/arm64-config.log"
elif [ -n "$missing" ]; then
	fail "arm64 config: not set as asked: $(echo $missing)"
else
	pass "arm64 config"
fi

# The whole kernel: the demo boots it, and external modules need its symbols.
echo "arm64 tree: building Image and modules (log: $logs/arm64-build.log)"
if build_arm64; then
	pass "arm64 kernel build"
else
	fail "arm64 kernel build"
	grep -E '(warning|error):' "$logs/arm64-build.log" | sed -n '1,20p' | sed 's/^/    /'
fi

# Findings in project files only: C=2 also checks what the kernel builds on
# the way (the vdso), which is not ours to fix.
ours=$(printf '%s\n' $kernel_c $kernel_h | sed 's/[.]/[.]/g' | paste -sd'|')
patch_lines=$logs/patch-added-lines.txt
cat "$repo"/patches/*.patch | sed -n 's/^+\([^+]\)/\1/p' | sed 's/[[:space:]]*$//' |
	grep -v '^[[:space:]]*$' | sort -u > "$patch_lines"

# ours_or_patched FILE:LINE: is the line ours?
ours_or_patched() {
	local file=${1%%:*} rest=${1#*:} line text

	line=${rest%%:*}
	echo "$file" | grep -qE "($ours)$" && return 0
	text=$(sed -n "${line}p" "$tree/$file" 2>/dev/null | sed 's/[[:space:]]*$//')
	[ -n "$text" ] && grep -qxF -- "$text" "$patch_lines"
}

# own_findings LOG: the warnings and errors in LOG that are ours: in a file of
# ours, raised while compiling one (gcc names the unit in its "FILE: In
# function" line, also for a warning inside a kernel header's macro), or on a
# line one of our patches adds.
own_findings() {
	awk '/: In function |: At top level:/ { unit = $0; sub(/:.*/, "", unit); next }
	     /^[^ ]+:[0-9]+:[0-9]+: (warning|error):/ { print unit "\t" $0 }' "$1" |
	sed "s|$tree/||g; s|^\.\./||" |
	while IFS=$'\t' read -r unit w; do
		if echo "$unit" | grep -qE "($ours)$" || ours_or_patched "$w"; then
			echo "$w"
		fi
	done
}

# Build each object anew, so that warnings show every run, not only the first.
for f in $kernel_c; do
	obj=${f%.c}.o
	log=$logs/build-$(basename "$obj").log
	rm -f "$arm64/$obj"
	kmake W=1 C=2 "$obj" > "$log" 2>&1
	rc=$?
	verdict "W=1 C=2 $obj" $rc "$log" "$(own_findings "$log")"
done

# The kernel's own files that patches/ changes: their objects with W=1 C=2
# too. They have upstream warnings of their own, which are not ours: a
# finding is ours when it is on a line our patches add, by line number (the
# lines that differ from pristine v6.12 in the patched tree), in the .c file
# or in a header the patches change.
patched_files=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$repo"/patches/*.patch | sort -u)
pristine=$("$repo/scripts/series/make-pristine.sh" 2>> "$logs/patched-added-lines.log")
added=$logs/patched-added-lines.txt
: > "$added"
for f in $patched_files; do
	git -C "$pristine" show "v6.12:$f" 2>/dev/null |
		diff --unchanged-line-format= --old-line-format= --new-line-format="$f:%dn
" - "$tree/$f" >> "$added"
done

# patched_findings LOG: the warnings and errors in LOG on a line our patches add.
patched_findings() {
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): ' "$1" |
	sed "s|^$tree/||; s|^\(\.\./\)*||" |
	while read -r w; do
		grep -qxF "$(echo "$w" | cut -d: -f1,2)" "$added" && echo "$w"
	done
}

for f in $(echo "$patched_files" | grep '[.]c$'); do
	obj=${f%.c}.o
	log=$logs/build-patched-$(basename "$obj").log
	rm -f "$arm64/$obj"
	kmake W=1 C=2 "$obj" > "$log" 2>&1
	rc=$?
	verdict "W=1 C=2 $obj, on the lines our patches add" $rc "$log" "$(patched_findings "$log")" \
		" ($(grep -cE "$f:[0-9]+:[0-9]+: (warning|error):" "$log") upstream findings elsewhere in it)"
done

# ---- arm64 defconfig with the driver set, built in and as modules ----------

# What boards boot: defconfig plus the driver set, once =y and once =m, with
# W=1, for the directories the set touches. A warning fails the check when it
# is in a file of ours, or on a line one of our patches adds.
defconfig_check() {
	local kind=$1 dir=$build/defconfig-$1 frag log f findings=
	frag=$dir.config
	log=$logs/defconfig-$kind.log
	mkdir -p "$dir"
	# =y: everything built in, the KUnit suites too; =m: the backend as a
	# module and no KUnit, as production kernels are (the core's test-only
	# helpers are then compiled out).
	if [ "$kind" = y ]; then
		cat > "$frag.new" <<-EOF
		CONFIG_QCOM_MINIDUMP=y
		CONFIG_QCOM_MINIDUMP_LOG=y
		CONFIG_QCOM_MINIDUMP_SMEM=y
		CONFIG_KUNIT=y
		CONFIG_QCOM_MINIDUMP_KUNIT_TEST=y
		CONFIG_QCOM_MINIDUMP_LOG_KUNIT_TEST=y
		CONFIG_QCOM_MINIDUMP_SMEM_KUNIT_TEST=y
		CONFIG_QCOM_MINIDUMP_CRASH=y
		CONFIG_QCOM_MINIDUMP_CRASH_KUNIT_TEST=y
		EOF
	else
		cat > "$frag.new" <<-EOF
		CONFIG_QCOM_MINIDUMP=y
		CONFIG_QCOM_MINIDUMP_LOG=y
		CONFIG_QCOM_MINIDUMP_SMEM=m
		CONFIG_QCOM_MINIDUMP_CRASH=y
		# CONFIG_KUNIT is not set
		EOF
	fi
	dmake() {
		make -C "$tree" O="$dir" ARCH=arm64 CROSS_COMPILE=$cross -j"$jobs" "$@"
	}
	if ! cmp -s "$frag.new" "$frag" || [ ! -f "$dir/.config" ]; then
		{ dmake defconfig &&
		  (cd "$tree" && ARCH=arm64 scripts/kconfig/merge_config.sh -m -O "$dir" \
			"$dir/.config" "$frag.new") &&
		  dmake olddefconfig; } > "$log" 2>&1 || { fail "defconfig=$kind: configure (see $log)"; return; }
		mv "$frag.new" "$frag"
	fi
	rm -f "$frag.new"
	for line in $(grep '^CONFIG_' "$frag"); do
		grep -qx "$line" "$dir/.config" || findings="$findings $line"
	done
	for opt in $(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$frag"); do
		grep -q "^$opt=" "$dir/.config" && findings="$findings $opt=n"
	done
	if [ -n "$findings" ]; then
		fail "defconfig=$kind: not set as asked:$findings"
		return
	fi
	# Our objects and the patched ones anew, so that their warnings show every run.
	for f in $kernel_c $(sed -n 's|^+++ b/\(drivers/[^ ]*\.c\).*|\1|p' "$repo"/patches/*.patch); do
		rm -f "$dir/${f%.c}.o"
	done
	dmake W=1 drivers/soc/qcom/ drivers/remoteproc/ > "$log" 2>&1
	local rc=$?
	verdict "defconfig=$kind W=1: drivers/soc/qcom drivers/remoteproc" $rc "$log" \
		"$(own_findings "$log")" " ($(grep -cE ': warning:' "$log") warnings elsewhere)"
}
echo "arm64 defconfig trees: building drivers/soc/qcom and drivers/remoteproc, =y and =m"
defconfig_check y
defconfig_check m

# ---- external module build ------------------------------------------------

log=$logs/external-modules.log
kmake M="$repo" W=1 modules > "$log" 2>&1
rc=$?
if [ $rc -ne 0 ] || grep -qE '(warning|error):' "$log"; then
	fail "external module build (make M=)"
	grep -E '(warning|error):' "$log" | sed -n '1,20p' | sed 's/^/    /'
else
	pass "external module build (make M=): $(cd "$repo" && find . -path ./build -prune -o -name '*.ko' -print | wc -l) modules"
fi

# ---- the patch series ------------------------------------------------------

# The driver set as kernel engineers take it (make series): a patch series on
# pristine v6.12 ($build/v6.12), generated from the repository, applied with
# git am, checkpatch'd and get_maintainer'd patch by patch, its last tree
# against the overlay, its documentation rendered, and the demo's arm64
# config built after every patch ($build/series-out). Each of its checks is
# one PASS or FAIL here; see scripts/series/series.py.
log=$logs/series.log
echo "series: generating and checking build/series (log: $log)"
"$repo/scripts/series/series.py" check > "$log" 2>&1
rc=$?
while IFS= read -r line; do
	case $line in
	PASS:*) pass "${line#PASS: }" ;;
	FAIL:*) fail "${line#FAIL: }" ;;
	*) echo "$line" ;;
	esac
done < <(grep -E '^(PASS|FAIL):|^    ' "$log")
summary=$(grep -E '^series: [0-9]+ patches, ' "$log" | tail -n 1)
echo "${summary:-series: no summary line}"
if [ -z "$summary" ] || { [ $rc -ne 0 ] && ! grep -q '^FAIL:' "$log"; }; then
	fail "series: the check exited $rc without a verdict"
	tail -n 20 "$log" | sed 's/^/    /'
fi

# ---- host tools -----------------------------------------------------------

# add_counts NAME LOG: add a sub-suite's "N passed, N failed" to ours.
add_counts() {
	local line

	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$2" | tail -n 1)
	if [ -z "$line" ]; then
		fail "$1: no result line (see $2)"
		tail -n 20 "$2" | sed 's/^/    /'
		return
	fi
	grep -E '^FAIL' "$2" | sed 's/^/    /'
	passed=$((passed + ${line%% passed*}))
	failed=$((failed + $(echo "$line" | sed -E 's/.* ([0-9]+) failed/\1/')))
	echo "$1: $line"
}

log=$logs/tools-test.log
make -C "$repo/tools/minidump" test > "$log" 2>&1
add_counts "tools/minidump tests (gcc, then ASan+UBSan)" "$log"

# Each parser's libFuzzer harness for a short while, from the generated seeds.
log=$logs/tools-fuzz.log
make -C "$repo/tools/minidump" fuzz FUZZ_SECONDS=10 > "$log" 2>&1
grep -E '^fuzz ' "$log" | sed 's/^/    /'
add_counts "tools/minidump fuzzers, 10 s each" "$log"

# ---- the emulated crash -----------------------------------------------------

log=$logs/demo.log
# Its outcome is the demo's to report: it builds clang's kernel again.
[ -z "$early_clang" ] || wait "$early_clang"
"$repo/scripts/run-demo.sh" > "$log" 2>&1
grep -E '^(== |PASS|FAIL)' "$log" | sed 's/^/    /'
add_counts "emulated crash and collection" "$log"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

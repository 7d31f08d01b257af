# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by run.sh: the cases tests/damage.py derives from the good sets
# (regions removed, cut and grown; the note spoiled; files renamed in
# several cases; every input form). For each, "assemble" exits as the
# documented rules say and names the damage, and "verify" agrees on the
# file it wrote; the core's notes parse as gdb parses them, a guard follows
# each PT_LOAD, and what CHECKS name holds (see damage.py). The checks of
# the files and gdb run in the gcc pass, batched (one python, one gdb);
# both passes run the tool.

# dcase NAME EXIT PATTERN CHECKS -- INPUT [OPTIONS...]
dcase() {
	local name=$1 want=$2 pattern=$3 checks=$4 key elf ref c args=() ex=() line

	shift 5
	key=$(printf '%s' "$name" | tr -c 'A-Za-z0-9_.-' '_')
	elf=$dw/$key.elf
	t "$name: assemble" "$want" "$MD" assemble "$@" -o "$elf" --vmlinux "$s/dbg/vmlinux"
	[ -n "$pattern" ] && says "$name: assemble said" "$pattern"
	cp "$out/stdout" "$dw/$key.lines"
	ref=$elf
	[ "$want" -ge 2 ] && [ "$want" -le 3 ] && ref=$s/expected.elf
	t "$name: verify agrees" "$want" "$MD" verify "$@" "$ref"
	[ -n "$pattern" ] && says "$name: verify said" "$pattern"
	[ "$label" = gcc ] && [ "$want" -ne 2 ] && [ "$want" -ne 3 ] || return 0

	for c in $checks; do
		case $c in
		same:*) args+=(--same "$dw/${c#same:}.elf") ;;
		like:*) args+=(--like "${c#like:}") ;;
		zero:*) args+=(--zero "${c#zero:}") ;;
		gdb:*) ex+=(-ex "x/4xb ${c#gdb:}") ;;
		banner) ex+=(-ex 'x/s &linux_banner') ;;
		offset:*)
			if grep -q "symbol-file -o ${c#offset:} " "$dw/$key.lines"; then
				pass
			else
				fail "$label: $name: the gdb line has no offset ${c#offset:}"
			fi ;;
		esac
	done
	printf '%s\t%s\t%s\n' "$key" "$name" "$(printf '%s\t' "$elf" "${args[@]}")" |
		sed 's/\t$//' >> "$dw/checks"
	[ ${#ex[@]} -gt 0 ] || return 0
	# The printed line (symbols from vmlinux, the core; not bt), then the reads.
	line=$(sed -n 's/^gdb: gdb-multiarch -q \(.*\) -ex bt$/\1/p' "$dw/$key.lines")
	eval "gdbargs+=(-ex 'echo @@@ $key\\n' $line)"
	gdbargs+=("${ex[@]}")
	printf '%s\t%s\t%s\n' "$key" "$name" "$checks" >> "$dw/gdb-want"
}

# The batched checks of the gcc pass.
damage_checks() {
	local key name result c

	python3 "$here/elfcheck.py" batch <(cut -f1,3- "$dw/checks") > "$dw/checks.out" 2>&1
	while IFS=$'\t' read -r key name _; do
		result=$(grep -m1 "^$key	" "$dw/checks.out" | cut -f2)
		if [ "$result" = ok ]; then
			pass
		else
			fail "$label: $name: ${result:-no result from elfcheck.py}"
		fi
	done < "$dw/checks"
	gdb-multiarch -q -batch -nx "${gdbargs[@]}" > "$dw/gdb.txt" 2>&1
	awk '/^@@@ / { f = d "/" $2 ".gdb"; next } f { print > f }' d="$dw" "$dw/gdb.txt"
	while IFS=$'\t' read -r key name checks; do
		for c in $checks; do
			case $c in
			gdb:*) grep -qE "^${c#gdb:}.*:(\s+0x[0-9a-f]{2}){4}" "$dw/$key.gdb" ;;
			banner) grep -qE '<linux_banner>:\s+"Linux version' "$dw/$key.gdb" ;;
			*) continue ;;
			esac
			if [ $? -eq 0 ]; then
				pass
			else
				fail "$label: $name: gdb read no ${c%%:*}"
				sed -n '1,4p' "$dw/$key.gdb" | sed 's/^/    /'
			fi
		done
	done < "$dw/gdb-want"
}

damage_suite() {
	dw=$out/work/damage
	gdbargs=()
	rm -rf "$dw"
	mkdir -p "$dw"
	: > "$dw/checks"
	: > "$dw/gdb-want"
	. "$out/d.sh"
	[ "$label" = gcc ] && damage_checks
	return 0
}

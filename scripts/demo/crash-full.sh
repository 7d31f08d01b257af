# SPDX-License-Identifier: GPL-2.0-only
#
# crash in full mode on the demo's dumps, sourced by run-demo.sh: Debian's
# crash 8.0.2 (arm64, under qemu-aarch64-static) opens minidump.elf with
# the options the tool printed (its "crash:" line), without --minimal, and
# runs sys, bt, ps, log and dis; each command's key line is checked.
#
# What crash 8.0.2 cannot show on 6.12 even with all of RAM is not checked:
# module symbols (it does not know 6.4's module layout: --no_modules), the
# tasks that do not run (--active), a user task's memory use (ps and bt
# stop at a user task's RSS: "invalid structure member offset:
# mm_rss_stat_count"), and the date.

# crash_full KIND LAST [FRAME...]: crash's full mode on $out/KIND's dump.
# LAST is the log's last line; the FRAMEs, in vmlinux, must be in the
# crashing task's bt in this order (none for a bite, which crash opens with
# --no_panic, as the tool says, and none where crash cannot unwind out of a
# module whose symbols it lacks).
crash_full() {
	local kind=$1 last=$2 label=$tag$1 dir=$out/$1 line opts pc panic bytes con ts
	shift 2

	con=$dir/console.log
	[ -f "$con" ] || con=$dir/crash.log	# the mmio board's

	line=$(sed -n 's/^crash: //p' "$dir/assemble.log")
	check "$label: crash: the tool's command line opens it in full mode (--no_modules --active)" \
		grep -q '^crash: crash --no_modules --active ' "$dir/assemble.log"
	opts=$(echo "$line" | grep -oE -- '--[a-z_]+( [^-/ ][^ ]*)?' | grep -v '^--minimal' | tr '\n' ' ')
	# The crash site: the pc of the panic's registers (none at a bite,
	# where every CPU's bt is what tells: bt -a).
	pc= bt=bt
	case " $opts " in
	*" --no_panic "*) bt='bt -a' ;;
	*) pc=$(sed -nE '/^registers:/{n; s/^ *cpu [0-9]+: pc (0x[0-9a-f]+).*/\1/p}' \
		"$dir/summary.txt") ;;
	esac
	{ printf 'echo ==sys==\nsys\necho ==bt==\n%s\necho ==ps==\nps\n' "$bt"
	  [ -n "$pc" ] && printf 'echo ==dis==\ndis %s 1\n' "$pc"
	  printf 'echo ==log==\nlog\nquit\n'
	} | timeout 600 qemu-aarch64-static "$build/crash-arm64/usr/bin/crash" $opts \
		"$kernel/vmlinux" "$dir/minidump.elf" > "$dir/crash-full.txt" 2>&1
	# section NAME: what crash printed for command NAME.
	section() {
		sed -n "/^==$1==\$/,/^==[a-z]*==\$/p" "$dir/crash-full.txt" | sed '1d;/^==[a-z]*==$/d'
	}
	for c in sys bt ps dis log; do
		section $c > "$dir/crash-full-$c.txt"
	done

	# Three objects are left out; crash goes on without them: two static
	# ones (they would take two more patches to the kernel),
	# shadow_timekeeper (crash 8.0.2's DATE is wrong anyway) and
	# task_state_array (the state's name), and pageflag_names, which only
	# kmem -p reads (clang's vmlinux lets crash find it at start-up).
	check "$label: crash: start-up read every kernel object it needs (no other read error)" \
		sh -c "! sed -n '1,/^==sys==\$/p' '$dir/crash-full.txt' | grep -E '^crash: |read error' |
		       grep -vE '\"(shadow_timekeeper xtime_sec|task_state_array|pageflag_names array)\"\$'"
	check "$label: crash sys: RELEASE $(sed -nE 's/^Linux version ([^ ]+).*/\1/p' \
		"$dir/md/md_KBANNER.BIN" | tr -d '\0' | head -1), 2 CPUs" sh -c "
		grep -qE '^ +RELEASE: [0-9]' '$dir/crash-full-sys.txt' &&
		grep -qE '^ +CPUS: 2( |\$)' '$dir/crash-full-sys.txt'"
	# The panic string crash finds in the log (after an oops, the oops's
	# first line), as the console showed it.
	panic=$(sed -nE 's/^ +PANIC: "(.*)"$/\1/p' "$dir/crash-full-sys.txt")
	if grep -q 'Kernel panic - not syncing' "$con"; then
		check "$label: crash sys: PANIC: \"$panic\", as on the console" \
			sh -c "test -n \"\$1\" && grep -qF -- \"\$1\" '$con'" sh "$panic"
	else
		check "$label: crash sys: no panic string (there was no panic)" test -z "$panic"
	fi
	if [ -n "$pc" ]; then
		check "$label: crash bt: the crashing task, from its first frame" \
			grep -qE '^ *#0 \[[0-9a-f]+\] ' "$dir/crash-full-bt.txt"
		# crash takes the panic task from the kernel's NT_TASKSTRUCT.
		ts=$(sed -n 's/^task_struct: 0x//p' "$dir/summary.txt")
		check "$label: crash bt: the task NT_TASKSTRUCT names (${ts:-none})" \
			grep -qE "^PID: .* TASK: 0*${ts:-none} " "$dir/crash-full-bt.txt"
		if [ $# -gt 0 ]; then
			check "$label: crash bt: $*" in_order "$dir/crash-full-bt.txt" "$@"
		fi
	else
		# A bite: each CPU's task, unwound from the registers firmware
		# saved through the live stack and the page tables that map it.
		check "$label: crash bt -a: both CPUs' tasks, each from its first frame${*:+, then $*}" \
			bt_every_cpu "$dir/crash-full-bt.txt" 2 "$@"
	fi
	# ps lists the running tasks (">", by pid) up to the first user task,
	# where crash 8.0.2 stops on 6.12: it reads the task's mm, then fails
	# on mm_rss_stat_count. Nothing else may go wrong.
	check "$label: crash ps: the running tasks, up to 8.0.2's stop at a user task" sh -c "
		grep -qE '^ +PID +PPID +CPU +TASK +ST ' '$dir/crash-full-ps.txt' &&
		{ grep -qE '^> +[0-9]+ +-?[0-9]+ +[0-9]+ +[0-9a-f]+ +RU ' '$dir/crash-full-ps.txt' ||
		  grep -q 'invalid structure member offset: mm_rss_stat_count' '$dir/crash-full-ps.txt'; } &&
		! grep 'read error' '$dir/crash-full-ps.txt' | grep -qv '\"fill_mm_struct\"'"
	if [ -n "$pc" ]; then
		check "$label: crash dis: the instruction at the crash ($pc)" \
			grep -qE "^ *$pc( <[A-Za-z_][A-Za-z0-9_.]*\+[0-9]+>)?:[[:space:]]+[a-z]" \
			"$dir/crash-full-dis.txt"
	fi
	check "$label: crash log ends with: $last" sh -c \
		"grep -v '^[[:space:]]*\$' '$dir/crash-full-log.txt' | tail -1 | grep -qF -- '$last'"
	bytes=$(crash_full_bytes "$dir")
	check "$label: crash: what full mode needs adds ${bytes:-?} bytes, at most 256 KiB" \
		test -n "$bytes" -a "${bytes:-0}" -le 262144
	echo "  [$label] crash $opts: bt"
	grep -E '^(PID| ?#[0-9]+) ' "$dir/crash-full-bt.txt" | head -12 | sed 's/^/    /'
}

# bt_every_cpu FILE N FRAME...: crash's bt -a in FILE has a task for each
# of CPUs 0 to N - 1, each from its frame #0 and with the FRAMEs in order
# (in_order, on that CPU's part, FILE.cpu<N>).
bt_every_cpu() {
	local file=$1 n=$2 cpu
	shift 2

	for cpu in $(seq 0 $((n - 1))); do
		awk -v cpu="$cpu" '/^PID: / { on = ($0 ~ " CPU: " cpu " ") } on' "$file" \
			> "$file.cpu$cpu"
		grep -qE '^ *#0 \[' "$file.cpu$cpu" || return 1
		[ $# -eq 0 ] || in_order "$file.cpu$cpu" "$@" || return 1
	done
}

# vmlinux_frames FRAME...: the FRAMEs that are functions of $kernel's
# vmlinux, in order; when none is (the crash was in a module, whose symbols
# crash 8.0.2 cannot load), vfs_write, through which every such demo crash
# came: the write to the trigger file.
vmlinux_frames() {
	local f found=

	for f; do
		if grep -qE " $f(\.[a-z]+(\.[0-9]+)?)?\$" "$kernel/System.map"; then
			echo "$f"
			found=1
		fi
	done
	[ -n "$found" ] || echo vfs_write
}

# What crash's full mode needs, by region name: the crash client's objects
# at boot, runqueues, page-table pages at the crash, and the page-table
# pages of the bite client's live stacks and IRQ stacks (not its CPU
# context buffers, KCPU_CTX, which are the registers').
crash_full_names='^K(RQ|PCPU_OFFS|CPU_(POSS|PRES|ONLINE|ACTIVE)|UTS_NS|TAINT|AVENRUN|NR_|JIFFIES|HIGH_MEM|TOTALRAM|NODE|MAX_MAPNR|PGD|INIT_MM|CRASHNOTES|CNOTE|IRQSP|MEMSEC|PGT|PT[0-9]|IPT)'

# crash_full_bytes DIR: the bytes of those regions in DIR/md.
crash_full_bytes() {
	awk -F'\t' -v re="$crash_full_names" '$3 ~ re { n += $2 } END { print n + 0 }' \
		"$1/md/dump_info.txt"
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm APSS minidump: the registers and stacks at a crash.
 *
 * For a debugger to say where the kernel died and how it got there, the
 * dump needs:
 *  - the registers of each CPU where it stopped: one NT_PRSTATUS note per
 *    CPU in the PT_NOTE, the crashing CPU's first, with pr_pid = CPU + 1 as
 *    drgn looks them up; an NT_PRPSINFO for the crashing task, and an
 *    NT_TASKSTRUCT with its address, where crash looks for the panic task;
 *  - the stacks those registers point into, at their virtual addresses,
 *    since stacks are vmalloc'ed;
 *  - what a debugger walks to find the crashing task and its CPU:
 *    panic_cpu and __per_cpu_offset, which do not move and are registered
 *    at boot; at the crash, the CPU's runqueue, for rq->curr, and the
 *    task_struct.
 *
 * At a panic, a notifier that runs before every other one, after the other
 * CPUs have stopped, writes all that through the core's crash path: table
 * entries and note room kept from boot, no lock, no allocation.
 *
 * Whose registers: after an oops (panic_on_oops, or an oops in interrupt
 * context), the faulting ones, kept by a die notifier; in NMI context (the
 * hard-lockup detector), the interrupted ones, from get_irq_regs(), since
 * the NMI handler is not what the lockup is about. Otherwise the
 * notifier's own, taken where it runs: they do not depend on who called
 * the notifiers (panic(), vpanic(), nmi_panic(), ...), on the compiler's
 * frame layout or on the stack in use. Those frames do not outlive the
 * notifier, since what panic runs next reuses their stack; so the stack
 * the registers point into is copied, at the crash, into a buffer
 * allocated at boot, and that copy is what the dump holds for it, at the
 * stack's own virtual address.
 *
 * A watchdog bite runs none of this: such a dump has the log but no
 * registers.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/crash_core.h>
#include <linux/elf.h>
#include <linux/elfcore.h>
#include <linux/init.h>
#include <linux/irqnr.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/kdebug.h>
#include <linux/limits.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/nodemask.h>
#include <linux/notifier.h>
#include <linux/panic.h>
#include <linux/panic_notifier.h>
#include <linux/percpu.h>
#include <linux/pgtable.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/loadavg.h>
#include <linux/sched/stat.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/vmcore_info.h>
#include <asm/irq_regs.h>
#include <asm/sections.h>
#include <asm/stacktrace.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>

#include "qcom_minidump_crash.h"
#include "qcom_minidump_internal.h"

/* The name of the note that says where modules' code is, for debuggers. */
#define MD_CRASH_NOTE_NAME	"QCOM_MINIDUMP"

static size_t md_note_size(size_t name_size, size_t desc_size)
{
	return sizeof(struct elf_note) + ALIGN(name_size, 4) + ALIGN(desc_size, 4);
}

/*
 * NT_TASKSTRUCT's name: "CORE", NUL-padded to 8 bytes. crash reads the
 * task's address right after n_namesz bytes of name, without the ELF
 * rounding to 4; with a multiple of 4 both readings find it.
 */
static const char md_taskstruct_name[8] = CRASH_CORE_NOTE_NAME;

/**
 * md_crash_note_room() - every note the crash path may write
 * @cpus: CPUs the kernel may have: one NT_PRSTATUS each
 *
 * Return: the bytes, a multiple of 4.
 */
VISIBLE_IF_KUNIT size_t md_crash_note_room(unsigned int cpus)
{
	size_t prstatus = md_note_size(sizeof(CRASH_CORE_NOTE_NAME), sizeof(struct elf_prstatus));

	return cpus * prstatus +
	       md_note_size(sizeof(CRASH_CORE_NOTE_NAME), sizeof(struct elf_prpsinfo)) +
	       md_note_size(sizeof(md_taskstruct_name), sizeof(u64)) +
	       md_note_size(sizeof(MD_CRASH_NOTE_NAME), MD_CRASH_MODTEXT_MAX);
}
EXPORT_SYMBOL_IF_KUNIT(md_crash_note_room);

/*
 * The registers an oops saw, for the panic that follows on this CPU: kept
 * with the task they belong to, by address and start time, since a task
 * that oopsed without a panic dies and its task_struct may be reused.
 */
static DEFINE_PER_CPU(struct md_crash_oops, md_oops);

/*
 * The crashing CPU's registers, and the copy of the stack they point into:
 * one CPU handles a panic, and a small stack (the overflow stack's 4 KiB)
 * has no room for pt_regs. The copy buffer is allocated at boot.
 */
static struct pt_regs md_crash_regs;
static void *md_crash_stack_copy;

/* The largest stack a CPU runs on: a task's or an IRQ stack. */
#define MD_CRASH_COPY_SIZE	max(THREAD_SIZE, IRQ_STACK_SIZE)

/* What the crash path added, for the one line it prints. */
struct md_crash_tally {
	unsigned int regions;
	size_t bytes;
};

/*
 * Physical address of @addr: in the linear map, the kernel image (the idle
 * task of CPU 0 and its stack live there) or vmalloc space (stacks). 0
 * when it is none of those.
 */
static phys_addr_t md_crash_phys(unsigned long addr)
{
	struct page *page;

	/* On arm64 the kernel image lies in the vmalloc area: test it first. */
	if (is_kernel(addr))
		return __pa_symbol(addr);
	if (is_vmalloc_or_module_addr((void *)addr)) {
		page = vmalloc_to_page((void *)addr);
		return page ? page_to_phys(page) + offset_in_page(addr) : 0;
	}
	if (virt_addr_valid((void *)addr))
		return virt_to_phys((void *)addr);
	return 0;
}

/*
 * The page-table pages crash walks to read a vmalloc'ed address: it reads
 * memory only by physical address, through swapper_pg_dir (registered at
 * boot) for what is not in the linear map or the kernel image. Each page
 * once per crash.
 */
#define MD_CRASH_TABLES_MAX	32
static phys_addr_t md_crash_tables[MD_CRASH_TABLES_MAX];
static unsigned int md_crash_nr_tables;

static void md_crash_add_table(struct md_crash_tally *tally, phys_addr_t phys)
{
	char name[QCOM_MINIDUMP_NAME_MAX + 1];
	unsigned int i;

	for (i = 0; i < md_crash_nr_tables; i++)
		if (md_crash_tables[i] == phys)
			return;
	if (md_crash_nr_tables == MD_CRASH_TABLES_MAX)
		return;
	md_crash_tables[md_crash_nr_tables++] = phys;
	snprintf(name, sizeof(name), "PGT%u", md_crash_nr_tables - 1);
	/* At its linear alias: crash reads a table by its physical address. */
	if (!qcom_minidump_crash_region_add(name, phys_to_virt(phys), phys, PAGE_SIZE)) {
		tally->regions++;
		tally->bytes += PAGE_SIZE;
	}
}

static void md_crash_add_tables(struct md_crash_tally *tally, unsigned long addr)
{
	phys_addr_t phys[QCOM_MINIDUMP_TABLE_LEVELS];
	unsigned int i, n = qcom_minidump_table_pages(addr, phys);

	for (i = 0; i < n; i++)
		md_crash_add_table(tally, phys[i]);
}

/*
 * Add [@start, @start + @size) as regions named PREFIX<cpu>_<n>: one per
 * run of physically contiguous pages, each with its own virtual address,
 * as debuggers read it. With @copy, firmware dumps the copy of the range
 * made there, and the ELF header says where its bytes belong. For a
 * vmalloc'ed range, the page-table pages that map it too.
 */
static int md_crash_add_range(struct md_crash_tally *tally, const char *prefix,
			      unsigned int cpu, unsigned long start, size_t size,
			      const void *copy)
{
	char name[QCOM_MINIDUMP_NAME_MAX + 1];
	unsigned long low = start, end = start + size;
	unsigned int n = 0;
	int ret;

	while (start < end) {
		unsigned long next = min(PAGE_ALIGN(start + 1), end);
		phys_addr_t phys = md_crash_phys(start);

		if (!phys)
			return -EFAULT;
		/* Grow the run while the next page follows in physical memory. */
		while (next < end && md_crash_phys(next) == phys + (next - start))
			next = min(next + PAGE_SIZE, end);

		snprintf(name, sizeof(name), "%s%u_%u", prefix, cpu, n++);
		if (copy)
			ret = qcom_minidump_crash_copy_add(name, (void *)start,
							   virt_to_phys(copy + (start - low)),
							   phys, next - start);
		else
			ret = qcom_minidump_crash_region_add(name, (void *)start, phys,
							     next - start);
		if (ret)
			return ret;
		tally->regions++;
		tally->bytes += next - start;
		if (is_vmalloc_or_module_addr((void *)start))
			md_crash_add_tables(tally, start);
		start = next;
	}
	return 0;
}

/* The stack of @cpu and @task that @sp is on, and the name of its regions. */
static bool md_crash_stack_of(unsigned int cpu, struct task_struct *task, unsigned long sp,
			      unsigned long *low, size_t *size, const char **prefix)
{
	unsigned long irq = (unsigned long)per_cpu(irq_stack_ptr, cpu);
	unsigned long task_stack = (unsigned long)task_stack_page(task);

	if (irq && sp >= irq && sp < irq + IRQ_STACK_SIZE) {
		*low = irq;
		*size = IRQ_STACK_SIZE;
		*prefix = "IRQ";
		return true;
	}
#ifdef CONFIG_VMAP_STACK
	if (sp >= (unsigned long)per_cpu_ptr(overflow_stack, cpu) &&
	    sp < (unsigned long)per_cpu_ptr(overflow_stack, cpu) + OVERFLOW_STACK_SIZE) {
		*low = (unsigned long)per_cpu_ptr(overflow_stack, cpu);
		*size = OVERFLOW_STACK_SIZE;
		*prefix = "OVF";
		return true;
	}
#endif
	if (task_stack && sp >= task_stack && sp < task_stack + THREAD_SIZE) {
		*low = task_stack;
		*size = THREAD_SIZE;
		*prefix = "STK";
		return true;
	}
	return false;
}

/*
 * A whole stack, below the stack pointer too: word by word, unchecked,
 * since KASAN poisons the parts of a stack that no frame owns.
 */
static void md_crash_copy_stack(unsigned long *copy, const unsigned long *stack, size_t size)
{
	size_t i;

	for (i = 0; i < size / sizeof(*stack); i++)
		copy[i] = READ_ONCE_NOCHECK(stack[i]);
}

/*
 * The stacks a CPU's registers point into, the one in use first. When the
 * crash path itself runs on that stack, what comes after it overwrites the
 * frames below the caller's: the dump gets a copy, made now, at the
 * stack's virtual address. Otherwise the stack stays as it is, and firmware
 * dumps it in place.
 */
static void md_crash_add_stacks(struct md_crash_tally *tally, unsigned int cpu,
				struct task_struct *task, unsigned long sp)
{
	unsigned long low, here = current_stack_pointer;
	const char *prefix;
	size_t size;
	bool on_task = false;

	if (md_crash_stack_of(cpu, task, sp, &low, &size, &prefix)) {
		on_task = low == (unsigned long)task_stack_page(task);
		if (md_crash_stack_copy && size <= MD_CRASH_COPY_SIZE && here >= low &&
		    here < low + size) {
			md_crash_copy_stack(md_crash_stack_copy, (const unsigned long *)low, size);
			md_crash_add_range(tally, prefix, cpu, low, size, md_crash_stack_copy);
		} else {
			md_crash_add_range(tally, prefix, cpu, low, size, NULL);
		}
	}
	/* Below an IRQ or overflow stack, the task's: its frames come next. */
	if (!on_task && task_stack_page(task))
		md_crash_add_range(tally, "STK", cpu, (unsigned long)task_stack_page(task),
				   THREAD_SIZE, NULL);
}

/*
 * What crash --active reads of every CPU: the task it runs (the runqueue,
 * for rq->curr, is registered at boot), and the page tables that map the
 * CPU's IRQ stack, which crash's bt reads.
 */
static struct task_struct *md_crash_add_task(struct md_crash_tally *tally, unsigned int cpu)
{
	unsigned long irq = (unsigned long)per_cpu(irq_stack_ptr, cpu), addr;
	struct task_struct *task;
	size_t rq_size;

	for (addr = irq; irq && addr < irq + IRQ_STACK_SIZE; addr += PAGE_SIZE)
		if (is_vmalloc_or_module_addr((void *)addr))
			md_crash_add_tables(tally, addr);
	sched_cpu_rq_for_dump(cpu, &rq_size, &task);
	if (task)
		md_crash_add_range(tally, "TASK", cpu, (unsigned long)task,
				   ALIGN(sizeof(*task), 4), NULL);
	return task;
}

/* What drgn and crash read to find @cpu's task, the task, and its stacks. */
static void md_crash_add_cpu(struct md_crash_tally *tally, unsigned int cpu, unsigned long sp)
{
	struct task_struct *task = md_crash_add_task(tally, cpu);

	if (task)
		md_crash_add_stacks(tally, cpu, task, sp);
}

static u32 *md_crash_prstatus(u32 *buf, unsigned int cpu, struct pt_regs *regs)
{
	struct elf_prstatus prstatus = { };

	/* drgn finds a CPU's registers by pr_pid = CPU + 1; crash and gdb by order. */
	prstatus.common.pr_pid = cpu + 1;
	elf_core_copy_regs(&prstatus.pr_reg, regs);
	return append_elf_note(buf, CRASH_CORE_NOTE_NAME, NT_PRSTATUS, &prstatus,
			       sizeof(prstatus));
}

static u32 *md_crash_prpsinfo(u32 *buf, struct task_struct *task)
{
	struct elf_prpsinfo prpsinfo = { };

	prpsinfo.pr_state = task_state_index(task);
	prpsinfo.pr_sname = task_state_to_char(task);
	prpsinfo.pr_pid = task->pid;
	prpsinfo.pr_flag = task->flags;
	/* No task_lock(): the crashing CPU cannot wait for it; comm is NUL-ended. */
	strscpy(prpsinfo.pr_fname, task->comm, sizeof(prpsinfo.pr_fname));
	return append_elf_note(buf, CRASH_CORE_NOTE_NAME, NT_PRPSINFO, &prpsinfo,
			       sizeof(prpsinfo));
}

/* NT_TASKSTRUCT: where crash looks first for the panic task's address. */
static u32 *md_crash_taskstruct(u32 *buf, struct task_struct *task)
{
	struct elf_note *note = (struct elf_note *)buf;
	u64 addr = (unsigned long)task;

	note->n_namesz = sizeof(md_taskstruct_name);
	note->n_descsz = sizeof(addr);
	note->n_type = NT_TASKSTRUCT;
	buf += sizeof(*note) / sizeof(*buf);
	memcpy(buf, md_taskstruct_name, sizeof(md_taskstruct_name));
	buf += sizeof(md_taskstruct_name) / sizeof(*buf);
	memcpy(buf, &addr, sizeof(addr));
	return buf + sizeof(addr) / sizeof(*buf);
}

#ifdef CONFIG_MODULES
static bool md_crash_module_lookup(unsigned long addr, const char **name, unsigned long *text)
{
	struct module *mod = __module_text_address(addr);

	if (!mod)
		return false;
	*name = mod->name;
	*text = qcom_minidump_module_text(mod);
	return true;
}
#else
static bool md_crash_module_lookup(unsigned long addr, const char **name, unsigned long *text)
{
	return false;
}
#endif

/**
 * md_crash_module_of() - the module whose code holds an address
 * @addr: a code address, its pointer-authentication code stripped
 * @name: set to the module's name
 * @text: set to where the module's code starts
 *
 * Context: Preemption disabled, as __module_text_address() wants.
 * Return: true if @addr is in a module's code.
 */
VISIBLE_IF_KUNIT bool md_crash_module_of(unsigned long addr, const char **name,
					 unsigned long *text)
{
	KUNIT_STATIC_STUB_REDIRECT(md_crash_module_of, addr, name, text);
	return md_crash_module_lookup(addr, name, text);
}
EXPORT_SYMBOL_IF_KUNIT(md_crash_module_of);

/**
 * md_crash_modtext() - where the modules that some code addresses are in have their code
 * @text: buffer for "MODULE_TEXT(name)=address" lines
 * @size: its size
 * @addrs: the addresses: pc, lr and the frames' return addresses, perhaps
 *	signed with a pointer-authentication code
 * @nr: how many
 *
 * So that a debugger can place the modules' symbols: the dump holds no
 * module list to find them. One line a module, in the order the addresses
 * first name them.
 *
 * Context: Preemption disabled.
 * Return: the length of the text, 0 when none is in a module.
 */
VISIBLE_IF_KUNIT size_t md_crash_modtext(char *text, size_t size, const unsigned long *addrs,
					 unsigned int nr)
{
	unsigned long base, seen[MD_CRASH_MODULES_MAX];
	unsigned int i, j, nr_seen = 0;
	const char *name;
	size_t len = 0;

	for (i = 0; i < nr && nr_seen < ARRAY_SIZE(seen); i++) {
		unsigned long addr = ptrauth_strip_kernel_insn_pac(addrs[i]);

		if (!md_crash_module_of(addr, &name, &base))
			continue;
		for (j = 0; j < nr_seen && seen[j] != base; j++)
			;
		if (j < nr_seen)
			continue;
		seen[nr_seen++] = base;
		len += scnprintf(text + len, size - len, "MODULE_TEXT(%s)=%lx\n", name, base);
	}
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(md_crash_modtext);

#ifdef CONFIG_CRASH_DUMP
/*
 * Another CPU's registers, when the kernel saved them as it stopped the
 * CPU (crash_kexec_post_notifiers): in crash_notes, as one NT_PRSTATUS.
 */
static bool md_crash_saved_regs(unsigned int cpu, struct elf_prstatus *prstatus)
{
	const struct elf_note *n;

	if (!crash_notes)
		return false;
	n = (const struct elf_note *)per_cpu_ptr(crash_notes, cpu);
	if (n->n_type != NT_PRSTATUS || n->n_descsz != sizeof(*prstatus))
		return false;
	memcpy(prstatus, (const void *)(n + 1) + ALIGN(n->n_namesz, 4), sizeof(*prstatus));
	return true;
}
#else
static bool md_crash_saved_regs(unsigned int cpu, struct elf_prstatus *prstatus)
{
	return false;
}
#endif

/*
 * The other CPUs, where the kernel saved their registers: their notes
 * (the room holds one per CPU), or, when @tally is given, their memory.
 */
static u32 *md_crash_other_cpus(u32 *buf, unsigned int this_cpu, struct md_crash_tally *tally)
{
	static struct elf_prstatus prstatus;	/* one crashing CPU at a time */
	struct task_struct *task;
	unsigned int cpu;

	for_each_present_cpu(cpu) {
		if (cpu == this_cpu)
			continue;
		if (!md_crash_saved_regs(cpu, &prstatus)) {
			/*
			 * No registers: crash --active still reads the task,
			 * and its stack, where it looks for the panic.
			 */
			task = tally ? md_crash_add_task(tally, cpu) : NULL;
			if (task && task_stack_page(task))
				md_crash_add_range(tally, "STK", cpu,
						   (unsigned long)task_stack_page(task),
						   THREAD_SIZE, NULL);
			continue;
		}
		if (tally) {
			md_crash_add_cpu(tally, cpu, ((struct pt_regs *)&prstatus.pr_reg)->sp);
			continue;
		}
		prstatus.common.pr_pid = cpu + 1;
		buf = append_elf_note(buf, CRASH_CORE_NOTE_NAME, NT_PRSTATUS, &prstatus,
				      sizeof(prstatus));
	}
	return buf;
}

/* Code around each return address of the crashing CPU's stack. */
#define MD_CRASH_CODE_BYTES	32

struct md_crash_code {
	unsigned long pc[MD_CRASH_CODE_FRAMES];
	unsigned int nr;
};

static bool md_crash_code_pc(void *cookie, unsigned long pc)
{
	struct md_crash_code *code = cookie;

	code->pc[code->nr++] = pc;
	return code->nr < MD_CRASH_CODE_FRAMES;
}

/**
 * md_crash_add_code_at() - a few instructions around each of some code addresses
 * @cpu: the CPU, for the regions' names
 * @pc: the addresses, innermost frame first
 * @nr: how many, at most %MD_CRASH_CODE_FRAMES
 * @bytes: the bytes added are added to it
 *
 * gdb needs to read the code at a frame's pc before it unwinds it with the
 * vmlinux's CFI (it takes a frame whose code it cannot read for a stub,
 * and stops), and an engineer wants to disassemble the crash site; the
 * dump holds no other code. No byte goes in twice, whatever the order of
 * the frames (recursion repeats them): each window is cut against every
 * window before it, so no two regions start at the same address.
 *
 * Return: the regions added.
 */
VISIBLE_IF_KUNIT unsigned int md_crash_add_code_at(unsigned int cpu, const unsigned long *pc,
						   unsigned int nr, size_t *bytes)
{
	unsigned long start[MD_CRASH_CODE_FRAMES], end[MD_CRASH_CODE_FRAMES];
	char name[QCOM_MINIDUMP_NAME_MAX + 1];
	unsigned int i, j, added = 0;
	bool cut;

	for (i = 0; i < min(nr, MD_CRASH_CODE_FRAMES); i++) {
		unsigned long addr = ptrauth_strip_kernel_insn_pac(pc[i]);
		unsigned long s = max(addr - MD_CRASH_CODE_BYTES / 2, PAGE_ALIGN_DOWN(addr));
		unsigned long e = min(addr + MD_CRASH_CODE_BYTES / 2, PAGE_ALIGN(addr + 1));
		phys_addr_t phys;

		s = ALIGN_DOWN(s, 4);
		e = ALIGN(e, 4);
		/* Cut against every window taken until none overlaps: each cut shrinks it. */
		do {
			cut = false;
			for (j = 0; j < added && s < e; j++) {
				if (s >= end[j] || e <= start[j])
					continue;
				if (s >= start[j])
					s = end[j];
				else
					e = start[j];
				cut = true;
			}
		} while (cut && s < e);
		if (s >= e)
			continue;
		phys = md_crash_phys(s);
		if (!phys)
			continue;
		snprintf(name, sizeof(name), "PC%u_%u", cpu, added);
		if (qcom_minidump_crash_region_add(name, (void *)s, phys, e - s))
			break;
		start[added] = s;
		end[added] = e;
		*bytes += e - s;
		added++;
	}
	return added;
}
EXPORT_SYMBOL_IF_KUNIT(md_crash_add_code_at);

/*
 * The note that places modules: for pc, lr and every frame the unwinder
 * found, so that a crash in a module's timer callback or a recursion in a
 * module is placed too, not only one whose pc is in it.
 */
static u32 *md_crash_modtext_note(u32 *buf, struct pt_regs *regs, struct md_crash_code *code)
{
	static unsigned long addrs[2 + MD_CRASH_CODE_FRAMES];	/* one crashing CPU */
	static char text[MD_CRASH_MODTEXT_MAX];
	size_t len;

	addrs[0] = instruction_pointer(regs);
	addrs[1] = regs->regs[30];
	memcpy(&addrs[2], code->pc, code->nr * sizeof(code->pc[0]));
	len = md_crash_modtext(text, sizeof(text), addrs, 2 + code->nr);
	return len ? append_elf_note(buf, MD_CRASH_NOTE_NAME, 0, text, len) : buf;
}

/* Everything the debuggers need from the crashing CPU, and from the others. */
static void md_crash_save(struct pt_regs *regs)
{
	static struct md_crash_code code;	/* one crashing CPU at a time */
	unsigned int cpu = smp_processor_id();
	struct md_crash_tally tally = { };
	u32 *start, *buf;
	unsigned int i;
	size_t room;

	start = qcom_minidump_crash_note_room(&room);
	if (!start || room < md_crash_note_room(nr_cpu_ids)) {
		pr_emerg("no room for the registers' notes: the dump has none\n");
		return;
	}
	md_crash_nr_tables = 0;
	/* The frames, while they are all still there. */
	code.nr = 0;
	arch_stack_walk(md_crash_code_pc, &code, current, regs);

	/*
	 * crash takes a CPU's registers from its crash_notes buffer when the
	 * kernel has CRASH_DUMP; the panic fills the other CPUs' (with
	 * crash_kexec_post_notifiers), only kexec fills this one's.
	 */
	crash_save_cpu(regs, cpu);
	/* The crashing CPU's note first: gdb takes the first for the current thread. */
	buf = md_crash_prstatus(start, cpu, regs);
	buf = md_crash_other_cpus(buf, cpu, NULL);
	buf = md_crash_prpsinfo(buf, current);
	buf = md_crash_taskstruct(buf, current);
	buf = md_crash_modtext_note(buf, regs, &code);
	if (qcom_minidump_crash_note_add((void *)buf - (void *)start))
		return;

	/* Its task and stacks come first too: the kept entries may run out. */
	md_crash_add_cpu(&tally, cpu, regs->sp);
	tally.regions += md_crash_add_code_at(cpu, code.pc, code.nr, &tally.bytes);
	/* A module's code is read through the page tables. */
	for (i = 0; i < min(code.nr, MD_CRASH_CODE_FRAMES); i++) {
		unsigned long pc = ptrauth_strip_kernel_insn_pac(code.pc[i]);

		if (is_vmalloc_or_module_addr((void *)pc))
			md_crash_add_tables(&tally, pc);
	}
	md_crash_other_cpus(NULL, cpu, &tally);
	pr_emerg("CPU%u: registers, %u regions of %zu bytes added to the dump\n", cpu,
		 tally.regions, tally.bytes);
}

/*
 * The registers where this is inlined, in one go, so that pc, sp and the
 * frame record agree for any unwinder, whatever the compiler's frame
 * layout: the callee-saved x19-x30 that unwinding needs; x0-x18 hold
 * nothing a caller left and stay 0. EL1 with every exception masked, as
 * at a panic.
 */
static __always_inline void md_crash_regs_here(struct pt_regs *regs)
{
	unsigned long pc, sp;

	memset(regs, 0, sizeof(*regs));
	asm volatile("stp	x19, x20, [%2, #16 * 0]\n"
		     "stp	x21, x22, [%2, #16 * 1]\n"
		     "stp	x23, x24, [%2, #16 * 2]\n"
		     "stp	x25, x26, [%2, #16 * 3]\n"
		     "stp	x27, x28, [%2, #16 * 4]\n"
		     "stp	x29, x30, [%2, #16 * 5]\n"
		     "mov	%1, sp\n"
		     "adr	%0, 1f\n"
		     "1:\n"
		     : "=&r" (pc), "=&r" (sp)
		     : "r" (&regs->regs[19])
		     : "memory");
	regs->pc = pc;
	regs->sp = sp;
	regs->pstate = PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT;
}

/**
 * md_crash_oops_matches() - whether an oops's registers belong to a task
 * @oops: what the die notifier kept
 * @task: the task that panics
 *
 * The same task_struct and the same start time: a task that oopsed without
 * a panic died, and a new task may have its task_struct now.
 *
 * Return: true if @oops was @task's.
 */
VISIBLE_IF_KUNIT bool md_crash_oops_matches(const struct md_crash_oops *oops,
					    const struct task_struct *task)
{
	return oops->task == task && oops->start_time == task->start_time;
}
EXPORT_SYMBOL_IF_KUNIT(md_crash_oops_matches);

/**
 * md_crash_oops_take() - the registers of the oops this CPU's panic follows
 * @regs: set to them
 *
 * Once only: they are cleared as they are taken.
 *
 * Context: Preemption disabled.
 * Return: true if the current task oopsed on this CPU.
 */
VISIBLE_IF_KUNIT bool md_crash_oops_take(struct pt_regs *regs)
{
	struct md_crash_oops *oops = this_cpu_ptr(&md_oops);
	bool mine = md_crash_oops_matches(oops, current);

	if (mine)
		*regs = oops->regs;
	oops->task = NULL;
	return mine;
}
EXPORT_SYMBOL_IF_KUNIT(md_crash_oops_take);

/*
 * A panic on this CPU's overflow stack is about the code that overflowed
 * its stack: the entry code saved its registers at the top of the
 * overflow stack before it called handle_bad_stack(), as it saves a
 * task's at the top of the task stack (task_pt_regs()).
 */
static struct pt_regs *md_crash_overflow_regs(void)
{
#ifdef CONFIG_VMAP_STACK
	unsigned long low = (unsigned long)this_cpu_ptr(overflow_stack);
	unsigned long sp = current_stack_pointer;

	if (sp >= low && sp < low + OVERFLOW_STACK_SIZE)
		return (struct pt_regs *)(low + OVERFLOW_STACK_SIZE) - 1;
#endif
	return NULL;
}

/**
 * md_crash_panic() - the panic notifier
 * @nb: its notifier block
 * @event: unused
 * @msg: the panic message
 *
 * Return: %NOTIFY_DONE.
 */
VISIBLE_IF_KUNIT int md_crash_panic(struct notifier_block *nb, unsigned long event, void *msg)
{
	struct pt_regs *regs = &md_crash_regs;
	struct pt_regs *irq_regs = get_irq_regs();
	struct pt_regs *ovf_regs = md_crash_overflow_regs();

	/* Before any write: no backend (most boards), or a change cut short. */
	if (qcom_minidump_crash_begin())
		return NOTIFY_DONE;

	if (!md_crash_oops_take(regs)) {
		if (ovf_regs && !user_mode(ovf_regs))
			*regs = *ovf_regs;
		else if (in_nmi() && irq_regs && !user_mode(irq_regs))
			*regs = *irq_regs;
		else
			md_crash_regs_here(regs);
	}
	md_crash_save(regs);
	return NOTIFY_DONE;
}
EXPORT_SYMBOL_IF_KUNIT(md_crash_panic);

/* First of all: after the other CPUs stopped, before the log is dumped. */
static struct notifier_block md_crash_panic_nb = {
	.notifier_call = md_crash_panic,
	.priority = INT_MAX,
};

/**
 * md_crash_die() - the die notifier: keeps an oops's registers
 * @nb: its notifier block
 * @val: the die event
 * @data: its &struct die_args
 *
 * Return: %NOTIFY_DONE.
 */
VISIBLE_IF_KUNIT int md_crash_die(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;
	struct md_crash_oops *oops = this_cpu_ptr(&md_oops);

	if (val == DIE_OOPS && args->regs && !user_mode(args->regs)) {
		oops->regs = *args->regs;
		oops->start_time = current->start_time;
		oops->task = current;
	}
	return NOTIFY_DONE;
}
EXPORT_SYMBOL_IF_KUNIT(md_crash_die);

static struct notifier_block md_crash_die_nb = {
	.notifier_call = md_crash_die,
};

/*
 * Registered at boot: what never moves. Besides panic_cpu, for drgn, what
 * crash reads when it opens a dump and cannot do without (it stops at the
 * first of them it cannot read), and what "sys", "bt" and "ps" read:
 *  - the CPU masks, __per_cpu_offset (all NR_CPUS entries: crash reads the
 *    whole array), each CPU's runqueue, IRQ stack pointer and crash note;
 *  - the memory model: high_memory, the RAM and page counts, the node
 *    states and data, mem_section with its root table and the section
 *    arrays in use; swapper_pg_dir and init_mm, to walk the page tables;
 *  - what "sys" prints: the release (init_uts_ns), the taint, the load,
 *    the task count, jiffies.
 * What grows with the machine: the per-CPU objects and the NR_CPUS arrays
 * with the CPUs, the section arrays with the span of physical memory.
 * Nothing grows with the number of tasks: at a crash, only the tasks that
 * run are added, with the page-table pages that map their stacks.
 */
static struct qcom_minidump_region *md_crash_objects;
/* Room for a name and any number: the core refuses names that are too long. */
#define MD_CRASH_NAME_ROOM	20
static unsigned int md_crash_nr_objects;

/* An object whose last @zero_tail bytes are zero and stay so: not dumped. */
static int __init md_crash_object_tail(const char *name, const void *addr, size_t size,
				       size_t zero_tail)
{
	struct qcom_minidump_region *r = &md_crash_objects[md_crash_nr_objects];
	phys_addr_t phys = md_crash_phys((unsigned long)addr);
	int ret;

	size = ALIGN(size, 4);
	if (!phys || md_crash_phys((unsigned long)addr + size - 1) != phys + size - 1) {
		pr_err("%s at %p: not physically contiguous\n", name, addr);
		return -EFAULT;
	}
	strscpy(r->name, name, sizeof(r->name));
	r->virt_addr = (void *)addr;
	r->phys_addr = phys;
	r->size = size;
	r->zero_tail = zero_tail;
	ret = qcom_minidump_region_register(r);
	if (ret)
		return ret;
	md_crash_nr_objects++;
	return 0;
}

static int __init md_crash_object(const char *name, const void *addr, size_t size)
{
	return md_crash_object_tail(name, addr, size, 0);
}

/*
 * With SPARSEMEM_EXTREME: mem_section's root table among those objects, and
 * the roots whose section arrays are registered (a bitmap of
 * NR_SECTION_ROOTS bits, which is not constant), for memory added later.
 */
static struct qcom_minidump_region *md_crash_root_table;
static unsigned long *md_crash_roots;

static void md_crash_unregister_objects(void)
{
	while (md_crash_nr_objects)
		qcom_minidump_region_unregister(&md_crash_objects[--md_crash_nr_objects]);
	kfree(md_crash_objects);
	md_crash_objects = NULL;
	md_crash_root_table = NULL;
	bitmap_free(md_crash_roots);
	md_crash_roots = NULL;
}

/* Per CPU: its runqueue, IRQ stack pointer and crash note. */
#define MD_CRASH_PER_CPU	3

static int __init md_crash_per_cpu_objects(void)
{
	char name[MD_CRASH_NAME_ROOM];
	struct task_struct *curr;
	unsigned int cpu;
	const void *rq;
	size_t size;
	int ret;

	for_each_possible_cpu(cpu) {
		rq = sched_cpu_rq_for_dump(cpu, &size, &curr);
		snprintf(name, sizeof(name), "RQ%u", cpu);
		ret = md_crash_object(name, rq, ALIGN_DOWN(size, 4));
		if (ret)
			return ret;
		snprintf(name, sizeof(name), "IRQSP%u", cpu);
		ret = md_crash_object(name, per_cpu_ptr(&irq_stack_ptr, cpu),
				      sizeof(irq_stack_ptr));
		if (ret)
			return ret;
#ifdef CONFIG_CRASH_DUMP
		if (crash_notes) {
			snprintf(name, sizeof(name), "CNOTE%u", cpu);
			ret = md_crash_object(name, per_cpu_ptr(crash_notes, cpu),
					      sizeof(note_buf_t));
			if (ret)
				return ret;
		}
#endif
	}
	return 0;
}

/* mem_section, its root table and the section arrays in use. */
#ifdef CONFIG_SPARSEMEM_EXTREME
static unsigned int __init md_crash_nr_sections(void)
{
	unsigned int nr = 2, root;

	for (root = 0; mem_section && root < NR_SECTION_ROOTS; root++)
		nr += !!mem_section[root];
	return nr;
}

static int __init md_crash_sections(void)
{
	char name[MD_CRASH_NAME_ROOM];
	unsigned int root;
	int ret;

	unsigned int used = 1;

	ret = md_crash_object("MEMSEC", &mem_section, sizeof(mem_section));
	if (ret || !mem_section)
		return ret;
	md_crash_roots = bitmap_zalloc(NR_SECTION_ROOTS, GFP_KERNEL);
	if (!md_crash_roots)
		return -ENOMEM;
	/*
	 * crash reads the whole root table, which MAX_PHYSMEM_BITS sizes (64
	 * KiB for 48 bits); the roots past the last one in use are NULL, and
	 * only memory hot-added later would set one.
	 */
	for (root = 0; root < NR_SECTION_ROOTS; root++)
		if (mem_section[root])
			used = root + 1;
	ret = md_crash_object_tail("MEMSEC_RT", mem_section, used * sizeof(mem_section[0]),
				   (NR_SECTION_ROOTS - used) * sizeof(mem_section[0]));
	if (!ret)
		md_crash_root_table = &md_crash_objects[md_crash_nr_objects - 1];
	for (root = 0; !ret && root < NR_SECTION_ROOTS; root++) {
		if (!mem_section[root])
			continue;
		snprintf(name, sizeof(name), "MEMSEC%u", root);
		ret = md_crash_object(name, mem_section[root],
				      SECTIONS_PER_ROOT * sizeof(struct mem_section));
		if (!ret)
			set_bit(root, md_crash_roots);
	}
	return ret;
}

#ifdef CONFIG_MEMORY_HOTPLUG
/* A root's section array, hot-added: registered for good, as roots are never freed. */
static void md_crash_add_root(unsigned int root)
{
	char name[MD_CRASH_NAME_ROOM];
	struct qcom_minidump_region *r;

	if (snprintf(name, sizeof(name), "MEMSEC%u", root) > QCOM_MINIDUMP_NAME_MAX) {
		pr_err("mem_section root %u: no region name for it: crash cannot read its memory\n",
		       root);
		return;
	}
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return;
	strscpy(r->name, name, sizeof(r->name));
	r->virt_addr = mem_section[root];
	r->phys_addr = md_crash_phys((unsigned long)r->virt_addr);
	r->size = SECTIONS_PER_ROOT * sizeof(struct mem_section);
	if (qcom_minidump_region_register(r)) {
		kfree(r);	/* the core said why */
		return;
	}
	set_bit(root, md_crash_roots);
}

/*
 * Memory hot-added after boot may take a root of mem_section past the
 * registered part of the root table, whose zero tail would then be wrong,
 * and it brings section arrays of its own. When it goes online, each new
 * array is registered, and the table again with its new length: a crash
 * in between finds no root table, while the new memory is not in use yet.
 */
static int md_crash_memory_notify(struct notifier_block *nb, unsigned long action, void *arg)
{
	struct qcom_minidump_region *rt = md_crash_root_table, old;
	unsigned int root, used;

	if (action != MEM_ONLINE || !rt || !md_crash_roots)
		return NOTIFY_OK;
	used = rt->size / sizeof(mem_section[0]);
	for (root = 0; root < NR_SECTION_ROOTS; root++) {
		if (!mem_section[root] || test_bit(root, md_crash_roots))
			continue;
		used = max(used, root + 1);
		md_crash_add_root(root);
	}
	if (used == rt->size / sizeof(mem_section[0]))
		return NOTIFY_OK;
	old = *rt;
	qcom_minidump_region_unregister(rt);
	rt->size = used * sizeof(mem_section[0]);
	rt->zero_tail = (NR_SECTION_ROOTS - used) * sizeof(mem_section[0]);
	if (qcom_minidump_region_register(rt)) {
		pr_err("mem_section's root table: not registered with %u roots; %zu bytes again\n",
		       used, old.size);
		*rt = old;
		if (qcom_minidump_region_register(rt))
			pr_err("mem_section's root table: not registered again: crash cannot read memory\n");
	}
	return NOTIFY_OK;
}

static struct notifier_block md_crash_memory_nb = {
	.notifier_call = md_crash_memory_notify,
};

static void __init md_crash_follow_hotplug(void)
{
	int ret = register_memory_notifier(&md_crash_memory_nb);

	if (ret)
		pr_warn("no memory notifier: memory added later is not in crash's view: %pe\n",
			ERR_PTR(ret));
}
#else
static void __init md_crash_follow_hotplug(void)
{
}
#endif
#else
static unsigned int __init md_crash_nr_sections(void)
{
	return 1;
}

static void __init md_crash_follow_hotplug(void)
{
}

static int __init md_crash_sections(void)
{
	return md_crash_object("MEMSEC", mem_section, sizeof(mem_section));
}
#endif

/* The nodes' data, for the memory model. */
#ifdef CONFIG_NUMA
static int __init md_crash_nodes(void)
{
	char name[MD_CRASH_NAME_ROOM];
	int nid, ret;

	ret = md_crash_object("NODE_DATA", node_data, MAX_NUMNODES * sizeof(node_data[0]));
	for_each_online_node(nid) {
		if (ret)
			break;
		snprintf(name, sizeof(name), "PGDAT%d", nid);
		ret = md_crash_object(name, NODE_DATA(nid), sizeof(*NODE_DATA(nid)));
	}
	return ret;
}

#define MD_CRASH_NR_NODES	(1 + num_online_nodes())
#else
static int __init md_crash_nodes(void)
{
	int ret = md_crash_object("MAX_MAPNR", &max_mapnr, sizeof(max_mapnr));

	return ret ?: md_crash_object("PGDAT", &contig_page_data, sizeof(contig_page_data));
}

#define MD_CRASH_NR_NODES	2
#endif

static int __init md_crash_register_objects(void)
{
	const struct {
		const char *name;
		const void *addr;
		size_t size;
	} objects[] = {
		{ "PANIC_CPU", &panic_cpu, sizeof(panic_cpu) },
		{ "PCPU_OFFS", __per_cpu_offset, sizeof(__per_cpu_offset) },
		{ "CPU_POSS", cpu_possible_mask, sizeof(struct cpumask) },
		{ "CPU_PRES", cpu_present_mask, sizeof(struct cpumask) },
		{ "CPU_ONLINE", cpu_online_mask, sizeof(struct cpumask) },
		{ "CPU_ACTIVE", cpu_active_mask, sizeof(struct cpumask) },
		{ "UTS_NS", &init_uts_ns, sizeof(init_uts_ns) },
		{ "TAINTED", taint_mask_for_dump(), sizeof(unsigned long) },
		{ "TAINTFLAGS", taint_flags, sizeof(taint_flags) },
		{ "AVENRUN", avenrun, 3 * sizeof(avenrun[0]) },
		{ "NR_THREADS", &nr_threads, sizeof(nr_threads) },
		{ "JIFFIES", &jiffies_64, sizeof(jiffies_64) },
		{ "NR_IRQS", &nr_irqs, sizeof(nr_irqs) },
		{ "HIGH_MEM", &high_memory, sizeof(high_memory) },
		{ "TOTALRAM", &_totalram_pages, sizeof(_totalram_pages) },
		{ "NODESTATES", node_states, sizeof(node_states) },
		{ "PGD", swapper_pg_dir, PTRS_PER_PGD * sizeof(pgd_t) },
		{ "INIT_MM", &init_mm, sizeof(init_mm) },
#ifdef CONFIG_CRASH_DUMP
		{ "CRASHNOTES", &crash_notes, sizeof(crash_notes) },
#endif
	};
	unsigned int i, nr = ARRAY_SIZE(objects) + MD_CRASH_PER_CPU * num_possible_cpus() +
			     md_crash_nr_sections() + MD_CRASH_NR_NODES;
	size_t bytes = 0;
	int ret;

	md_crash_objects = kcalloc(nr, sizeof(*md_crash_objects), GFP_KERNEL);
	if (!md_crash_objects)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		ret = md_crash_object(objects[i].name, objects[i].addr, objects[i].size);
		if (ret)
			goto fail;
	}
	ret = md_crash_nodes();
	if (ret)
		goto fail;
	ret = md_crash_per_cpu_objects();
	if (!ret)
		ret = md_crash_sections();
	if (ret)
		goto fail;
	for (i = 0; i < md_crash_nr_objects; i++)
		bytes += md_crash_objects[i].size;
	pr_info("%u regions of %zu bytes registered at boot; at a crash, up to %u entries and %zu bytes of notes\n",
		md_crash_nr_objects, bytes, QCOM_MINIDUMP_CRASH_ENTRIES,
		md_crash_note_room(nr_cpu_ids));
	md_crash_follow_hotplug();
	return 0;

fail:
	md_crash_unregister_objects();
	return ret;
}

static int __init qcom_minidump_crash_init(void)
{
	int ret;

	md_crash_stack_copy = kmalloc(MD_CRASH_COPY_SIZE, GFP_KERNEL);
	if (!md_crash_stack_copy)
		return -ENOMEM;
	ret = qcom_minidump_crash_reserve(QCOM_MINIDUMP_CRASH_ENTRIES,
					  md_crash_note_room(nr_cpu_ids));
	if (ret)
		goto free_copy;
	ret = md_crash_register_objects();
	if (ret)
		goto unreserve;
	ret = register_die_notifier(&md_crash_die_nb);
	if (ret)
		goto unregister_static;
	atomic_notifier_chain_register(&panic_notifier_list, &md_crash_panic_nb);
	return 0;

unregister_static:
	md_crash_unregister_objects();
unreserve:
	qcom_minidump_crash_reserve(0, 0);
free_copy:
	kfree(md_crash_stack_copy);
	md_crash_stack_copy = NULL;
	pr_err("not set up: the dump will have no registers: %pe\n", ERR_PTR(ret));
	return ret;
}

/* After crash_notes are allocated (subsys_initcall), before any backend. */
subsys_initcall_sync(qcom_minidump_crash_init);

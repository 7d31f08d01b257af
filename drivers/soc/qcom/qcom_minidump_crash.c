// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm APSS minidump: the registers and stacks at a crash.
 *
 * For a debugger to say where the kernel died and how it got there, the
 * dump needs:
 *  - the registers of each CPU where it stopped: one NT_PRSTATUS note per
 *    CPU in the PT_NOTE, the crashing CPU's first, with pr_pid = CPU + 1 as
 *    drgn looks them up; an NT_PRPSINFO for the crashing task;
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

#include <linux/elf.h>
#include <linux/elfcore.h>
#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/kdebug.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/panic.h>
#include <linux/panic_notifier.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
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
 * Add [@start, @start + @size) as regions named PREFIX<cpu>.<n>: one per
 * run of physically contiguous pages, each with its own virtual address,
 * as debuggers read it.
 */
static int md_crash_add_range(struct md_crash_tally *tally, const char *prefix,
			      unsigned int cpu, unsigned long start, size_t size)
{
	char name[QCOM_MINIDUMP_NAME_MAX + 1];
	unsigned long end = start + size;
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

		snprintf(name, sizeof(name), "%s%u.%u", prefix, cpu, n++);
		ret = qcom_minidump_crash_region_add(name, (void *)start, phys, next - start);
		if (ret)
			return ret;
		tally->regions++;
		tally->bytes += next - start;
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
	char name[QCOM_MINIDUMP_NAME_MAX + 1];
	size_t size;
	bool on_task = false;

	if (md_crash_stack_of(cpu, task, sp, &low, &size, &prefix)) {
		on_task = low == (unsigned long)task_stack_page(task);
		if (md_crash_stack_copy && size <= MD_CRASH_COPY_SIZE && here >= low &&
		    here < low + size) {
			md_crash_copy_stack(md_crash_stack_copy, (const unsigned long *)low, size);
			snprintf(name, sizeof(name), "%s%u.0", prefix, cpu);
			if (!qcom_minidump_crash_region_add(name, (void *)low,
							    virt_to_phys(md_crash_stack_copy),
							    size)) {
				tally->regions++;
				tally->bytes += size;
			}
		} else {
			md_crash_add_range(tally, prefix, cpu, low, size);
		}
	}
	/* Below an IRQ or overflow stack, the task's: its frames come next. */
	if (!on_task && task_stack_page(task))
		md_crash_add_range(tally, "STK", cpu, (unsigned long)task_stack_page(task),
				   THREAD_SIZE);
}

/*
 * What drgn and crash read to find @cpu's task (its runqueue, for
 * rq->curr), the task itself, and its stacks.
 */
static void md_crash_add_cpu(struct md_crash_tally *tally, unsigned int cpu, unsigned long sp)
{
	struct task_struct *task;
	size_t rq_size;
	const void *rq = sched_cpu_rq_for_dump(cpu, &rq_size, &task);

	md_crash_add_range(tally, "RQ", cpu, (unsigned long)rq, ALIGN_DOWN(rq_size, 4));
	if (!task)
		return;
	md_crash_add_range(tally, "TASK", cpu, (unsigned long)task,
			   ALIGN(sizeof(*task), 4));
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

#ifdef CONFIG_MODULES
/*
 * Where the module's .text section starts, which debuggers place its
 * symbols by. Its code memory starts with .text when GNU ld linked it; lld
 * puts .plt first, whose size is only known once loaded. A function starts
 * at offset 0 of .text: with no function at the start of the code memory,
 * the lowest one is where .text starts.
 */
static unsigned long md_crash_module_text(struct module *mod)
{
	unsigned long base = (unsigned long)mod->mem[MOD_TEXT].base;
#ifdef CONFIG_KALLSYMS
	struct mod_kallsyms *ks = rcu_dereference_sched(mod->kallsyms);
	unsigned long lowest = ULONG_MAX;
	unsigned int i;

	for (i = 0; i < ks->num_symtab; i++) {
		unsigned long value = ks->symtab[i].st_value;

		if (ELF_ST_TYPE(ks->symtab[i].st_info) != STT_FUNC ||
		    !within_module_mem_type(value, mod, MOD_TEXT))
			continue;
		if (value == base)
			return base;
		lowest = min(lowest, value);
	}
	if (lowest != ULONG_MAX)
		return lowest;
#endif
	return base;
}

static bool md_crash_module_lookup(unsigned long addr, const char **name, unsigned long *text)
{
	struct module *mod = __module_text_address(addr);

	if (!mod)
		return false;
	*name = mod->name;
	*text = md_crash_module_text(mod);
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
	unsigned int cpu;

	for_each_present_cpu(cpu) {
		if (cpu == this_cpu || !md_crash_saved_regs(cpu, &prstatus))
			continue;
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
		snprintf(name, sizeof(name), "PC%u.%u", cpu, added);
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
	size_t room;

	start = qcom_minidump_crash_note_room(&room);
	if (!start || room < md_crash_note_room(nr_cpu_ids)) {
		pr_emerg("no room for the registers' notes: the dump has none\n");
		return;
	}
	/* The frames, while they are all still there. */
	code.nr = 0;
	arch_stack_walk(md_crash_code_pc, &code, current, regs);

	/* The crashing CPU's note first: gdb takes the first for the current thread. */
	buf = md_crash_prstatus(start, cpu, regs);
	buf = md_crash_other_cpus(buf, cpu, NULL);
	buf = md_crash_prpsinfo(buf, current);
	buf = md_crash_modtext_note(buf, regs, &code);
	if (qcom_minidump_crash_note_add((void *)buf - (void *)start))
		return;

	/* Its task and stacks come first too: the kept entries may run out. */
	md_crash_add_cpu(&tally, cpu, regs->sp);
	tally.regions += md_crash_add_code_at(cpu, code.pc, code.nr, &tally.bytes);
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

/* Registered at boot: what never moves. */
static struct qcom_minidump_region md_crash_static[] = {
	{ .name = "PANIC_CPU", .virt_addr = &panic_cpu, .size = sizeof(panic_cpu) },
	{ .name = "PCPU_OFFS", .virt_addr = __per_cpu_offset },
};

static void md_crash_unregister_static(unsigned int nr)
{
	while (nr--)
		qcom_minidump_region_unregister(&md_crash_static[nr]);
}

static int __init md_crash_register_static(void)
{
	size_t bytes = 0;
	unsigned int i;
	int ret;

	md_crash_static[1].size = nr_cpu_ids * sizeof(__per_cpu_offset[0]);
	for (i = 0; i < ARRAY_SIZE(md_crash_static); i++) {
		md_crash_static[i].phys_addr = __pa_symbol(md_crash_static[i].virt_addr);
		ret = qcom_minidump_region_register(&md_crash_static[i]);
		if (ret) {
			md_crash_unregister_static(i);
			return ret;
		}
		bytes += md_crash_static[i].size;
	}
	pr_info("%zu bytes registered at boot; at a crash, up to %u entries and %zu bytes of notes\n",
		bytes, QCOM_MINIDUMP_CRASH_ENTRIES, md_crash_note_room(nr_cpu_ids));
	return 0;
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
	ret = md_crash_register_static();
	if (ret)
		goto unreserve;
	ret = register_die_notifier(&md_crash_die_nb);
	if (ret)
		goto unregister_static;
	atomic_notifier_chain_register(&panic_notifier_list, &md_crash_panic_nb);
	return 0;

unregister_static:
	md_crash_unregister_static(ARRAY_SIZE(md_crash_static));
unreserve:
	qcom_minidump_crash_reserve(0, 0);
free_copy:
	kfree(md_crash_stack_copy);
	md_crash_stack_copy = NULL;
	pr_err("not set up: the dump will have no registers: %pe\n", ERR_PTR(ret));
	return ret;
}
core_initcall(qcom_minidump_crash_init);

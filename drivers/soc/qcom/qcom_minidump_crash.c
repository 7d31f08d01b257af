// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm APSS minidump: the registers and stacks at a crash.
 *
 * For a debugger to say where the kernel died and how it got there, the
 * dump needs:
 *  - the registers of each CPU where it stopped: one NT_PRSTATUS note per
 *    CPU in the PT_NOTE, the crashing CPU's first, with pr_pid = CPU + 1 as
 *    drgn looks them up; an NT_PRPSINFO for the crashing task;
 *  - the stacks those registers point into, page by page at their virtual
 *    addresses, since stacks are vmalloc'ed;
 *  - what a debugger walks to find the crashing task and its CPU:
 *    panic_cpu and __per_cpu_offset, which do not move and are registered
 *    at boot; at the crash, the CPU's runqueue, for rq->curr, and the
 *    task_struct.
 *
 * At a panic, a notifier that runs before every other one, after the other
 * CPUs have stopped, writes all that through the core's crash path: table
 * entries and note room kept from boot, no lock, no allocation. An oops
 * keeps its faulting registers for the panic that follows with
 * panic_on_oops. A watchdog bite runs none of this: such a dump has the
 * log but no registers.
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
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/vmcore_info.h>
#include <asm/insn.h>
#include <asm/sections.h>
#include <asm/stacktrace.h>

#include "qcom_minidump_internal.h"

/* The name of the note that says where modules' code is, for debuggers. */
#define MD_CRASH_NOTE_NAME	"QCOM_MINIDUMP"
/* Room for its text: a few "MODULE_TEXT(name)=address" lines. */
#define MD_CRASH_MODTEXT_MAX	256

static size_t md_note_size(size_t name_size, size_t desc_size)
{
	return sizeof(struct elf_note) + ALIGN(name_size, 4) + ALIGN(desc_size, 4);
}

/* Every note the crash path may write: one NT_PRSTATUS per CPU, and more. */
static size_t md_crash_note_room(void)
{
	size_t prstatus = md_note_size(sizeof(CRASH_CORE_NOTE_NAME), sizeof(struct elf_prstatus));

	return nr_cpu_ids * prstatus +
	       md_note_size(sizeof(CRASH_CORE_NOTE_NAME), sizeof(struct elf_prpsinfo)) +
	       md_note_size(sizeof(MD_CRASH_NOTE_NAME), MD_CRASH_MODTEXT_MAX);
}

/* The registers an oops saw, for the panic that follows on this CPU. */
struct md_oops {
	struct task_struct *task;
	struct pt_regs regs;
};

static DEFINE_PER_CPU(struct md_oops, md_oops);

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

	if (is_vmalloc_or_module_addr((void *)addr)) {
		page = vmalloc_to_page((void *)addr);
		return page ? page_to_phys(page) + offset_in_page(addr) : 0;
	}
	if (is_kernel(addr))
		return __pa_symbol(addr);
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

/* The stacks a CPU's registers point into, the one in use first. */
static void md_crash_add_stacks(struct md_crash_tally *tally, unsigned int cpu,
				struct task_struct *task, unsigned long sp)
{
	unsigned long irq = (unsigned long)per_cpu(irq_stack_ptr, cpu);
	unsigned long task_stack = (unsigned long)task_stack_page(task);

	if (irq && sp >= irq && sp < irq + IRQ_STACK_SIZE)
		md_crash_add_range(tally, "IRQ", cpu, irq, IRQ_STACK_SIZE);
#ifdef CONFIG_VMAP_STACK
	if (sp >= (unsigned long)per_cpu_ptr(overflow_stack, cpu) &&
	    sp < (unsigned long)per_cpu_ptr(overflow_stack, cpu) + OVERFLOW_STACK_SIZE)
		md_crash_add_range(tally, "OVF", cpu,
				   (unsigned long)per_cpu_ptr(overflow_stack, cpu),
				   OVERFLOW_STACK_SIZE);
#endif
	if (task_stack)
		md_crash_add_range(tally, "STK", cpu, task_stack, THREAD_SIZE);
}

/*
 * What drgn and crash read to find @cpu's task (its runqueue, for
 * rq->curr), the task itself, and its stacks.
 */
static void md_crash_add_cpu(struct md_crash_tally *tally, unsigned int cpu, unsigned long sp)
{
	struct task_struct *task;
	size_t rq_size;
	void *rq = sched_cpu_rq_for_dump(cpu, &rq_size, &task);

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

/*
 * Where the module that @pc is in has its code, so that a debugger can
 * place the module's symbols: the dump holds no module list to find it.
 */
static u32 *md_crash_modtext(u32 *buf, unsigned long pc, unsigned long lr)
{
#ifdef CONFIG_MODULES
	char text[MD_CRASH_MODTEXT_MAX];
	unsigned long addrs[] = { pc, lr };
	struct module *seen = NULL;
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		struct module *mod = __module_text_address(addrs[i]);

		if (!mod || mod == seen)
			continue;
		seen = mod;
		len += scnprintf(text + len, sizeof(text) - len, "MODULE_TEXT(%s)=%lx\n",
				 mod->name, (unsigned long)mod->mem[MOD_TEXT].base);
	}
	if (len)
		buf = append_elf_note(buf, MD_CRASH_NOTE_NAME, 0, text, len);
#endif
	return buf;
}

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
	struct elf_prstatus prstatus;
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
#define MD_CRASH_CODE_FRAMES	16
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

/*
 * A few instructions around the pc of each frame, as the CPU had them. gdb
 * needs to read the code at a frame's pc before it unwinds it with the
 * vmlinux's CFI (it takes a frame whose code it cannot read for a stub, and
 * stops), and an engineer wants to disassemble the crash site; the dump
 * holds no other code.
 */
static void md_crash_add_code(struct md_crash_tally *tally, unsigned int cpu,
			      struct pt_regs *regs)
{
	static struct md_crash_code code;	/* one crashing CPU at a time */
	char name[QCOM_MINIDUMP_NAME_MAX + 1];
	unsigned long prev_start = 0, prev_end = 0;
	unsigned int i;

	code.nr = 0;
	arch_stack_walk(md_crash_code_pc, &code, current, regs);
	for (i = 0; i < code.nr; i++) {
		unsigned long pc = ptrauth_strip_kernel_insn_pac(code.pc[i]);
		unsigned long start = max(pc - MD_CRASH_CODE_BYTES / 2, PAGE_ALIGN_DOWN(pc));
		unsigned long end = min(pc + MD_CRASH_CODE_BYTES / 2, PAGE_ALIGN(pc + 1));
		phys_addr_t phys;

		/* Frames of one function are close: no byte twice. */
		if (start < prev_end && end > prev_start)
			start = prev_end;
		start = ALIGN_DOWN(start, 4);
		if (start >= end)
			continue;
		phys = md_crash_phys(start);
		if (!phys)
			continue;
		snprintf(name, sizeof(name), "PC%u.%u", cpu, i);
		if (qcom_minidump_crash_region_add(name, (void *)start, phys, end - start))
			return;
		tally->regions++;
		tally->bytes += end - start;
		prev_start = start;
		prev_end = end;
	}
}

/* Everything the debuggers need from the crashing CPU, and from the others. */
static void md_crash_save(struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();
	struct md_crash_tally tally = { };
	u32 *start, *buf;
	size_t room;

	start = qcom_minidump_crash_note_room(&room);
	if (!start || room < md_crash_note_room()) {
		pr_emerg("no room for the registers' notes: the dump has none\n");
		return;
	}

	/* The crashing CPU's note first: gdb takes the first for the current thread. */
	buf = md_crash_prstatus(start, cpu, regs);
	buf = md_crash_other_cpus(buf, cpu, NULL);
	buf = md_crash_prpsinfo(buf, current);
	buf = md_crash_modtext(buf, instruction_pointer(regs), regs->regs[30]);
	if (qcom_minidump_crash_note_add((void *)buf - (void *)start))
		return;

	/* Its task and stacks come first too: the kept entries may run out. */
	md_crash_add_cpu(&tally, cpu, regs->sp);
	md_crash_add_code(&tally, cpu, regs);
	md_crash_other_cpus(NULL, cpu, &tally);
	pr_emerg("CPU%u: registers, %u regions of %zu bytes added to the dump\n", cpu,
		 tally.regions, tally.bytes);
}

/*
 * Where the caller is: its pc, stack and frame record, in EL1 with every
 * exception masked, as in panic(). The other registers are not kept.
 */
static __always_inline void md_crash_regs_here(struct pt_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	regs->pc = _THIS_IP_;
	regs->sp = current_stack_pointer;
	regs->regs[29] = (unsigned long)__builtin_frame_address(0);
	regs->regs[30] = _RET_IP_;
	regs->pstate = PSR_MODE_EL1h | PSR_D_BIT | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT;
}

/*
 * The registers of panic() where it called the notifiers. The frames of
 * this notifier do not outlive it: what panic() calls next (the kmsg
 * dumpers, the consoles) reuses their stack before firmware saves it. But
 * panic() never returns, so its frame and its callers' stay as they are.
 * They are found through the frame records (x29, x30) from here; in
 * panic(), as in every arm64 function GCC gives a frame record, the record
 * is at the bottom of the frame, so sp is where x29 points. x0-x28 are not
 * known there: they are left 0 rather than guessed.
 */
static bool md_crash_panic_regs(struct pt_regs *regs)
{
	unsigned long fp = (unsigned long)__builtin_frame_address(0);
	unsigned long size, offset, lr;
	unsigned int depth;

	/* Up from here to panic(): the notifier chain is a few calls deep. */
	for (depth = 0; depth < 8; depth++) {
		if (!IS_ALIGNED(fp, 16) ||
		    !(on_task_stack(current, fp, 16) || on_irq_stack(fp, 16)))
			return false;
		lr = ptrauth_strip_kernel_insn_pac(READ_ONCE_NOCHECK(((unsigned long *)fp)[1]));
		fp = READ_ONCE_NOCHECK(((unsigned long *)fp)[0]);
		if (kallsyms_lookup_size_offset(lr, &size, &offset) &&
		    lr - offset == (unsigned long)panic)
			break;
	}
	if (depth == 8 || !(on_task_stack(current, fp, 16) || on_irq_stack(fp, 16)))
		return false;

	md_crash_regs_here(regs);	/* x0-x28 0, pstate */
	/* The call itself, not the line after it. */
	regs->pc = lr - AARCH64_INSN_SIZE;
	regs->sp = fp;
	regs->regs[29] = fp;
	regs->regs[30] = ptrauth_strip_kernel_insn_pac(READ_ONCE_NOCHECK(((unsigned long *)fp)[1]));
	return true;
}

static int md_crash_panic(struct notifier_block *nb, unsigned long event, void *msg)
{
	struct md_oops *oops = this_cpu_ptr(&md_oops);
	struct pt_regs regs;

	/*
	 * After an oops on this CPU, the faulting registers: that frame and
	 * those above it stay, as die() and panic() run below them.
	 * Otherwise panic()'s. Without kallsyms, this notifier's, which
	 * shows the CPU in panic() but whose stack does not last.
	 */
	if (oops->task == current)
		regs = oops->regs;
	else if (!md_crash_panic_regs(&regs))
		md_crash_regs_here(&regs);
	md_crash_save(&regs);
	return NOTIFY_DONE;
}

/* First of all: after the other CPUs stopped, before the log is dumped. */
static struct notifier_block md_crash_panic_nb = {
	.notifier_call = md_crash_panic,
	.priority = INT_MAX,
};

static int md_crash_die(struct notifier_block *nb, unsigned long val, void *data)
{
	struct die_args *args = data;
	struct md_oops *oops = this_cpu_ptr(&md_oops);

	if (val == DIE_OOPS && args->regs) {
		oops->regs = *args->regs;
		oops->task = current;
	}
	return NOTIFY_DONE;
}

static struct notifier_block md_crash_die_nb = {
	.notifier_call = md_crash_die,
};

/* Registered at boot: what never moves. */
static int __init md_crash_register_static(void)
{
	static struct qcom_minidump_region regions[] = {
		{ .name = "PANIC_CPU", .virt_addr = &panic_cpu, .size = sizeof(panic_cpu) },
		{ .name = "PCPU_OFFS", .virt_addr = __per_cpu_offset },
	};
	size_t bytes = 0;
	unsigned int i;
	int ret;

	regions[1].size = nr_cpu_ids * sizeof(__per_cpu_offset[0]);
	for (i = 0; i < ARRAY_SIZE(regions); i++) {
		regions[i].phys_addr = __pa_symbol(regions[i].virt_addr);
		ret = qcom_minidump_region_register(&regions[i]);
		if (ret)
			return ret;
		bytes += regions[i].size;
	}
	pr_info("%zu bytes registered at boot; at a crash, up to %u entries and %zu bytes of notes\n",
		bytes, QCOM_MINIDUMP_CRASH_ENTRIES, md_crash_note_room());
	return 0;
}

static int __init qcom_minidump_crash_init(void)
{
	int ret;

	ret = qcom_minidump_crash_reserve(QCOM_MINIDUMP_CRASH_ENTRIES, md_crash_note_room());
	if (ret)
		return ret;
	ret = md_crash_register_static();
	if (ret)
		return ret;
	ret = register_die_notifier(&md_crash_die_nb);
	if (ret)
		return ret;
	atomic_notifier_chain_register(&panic_notifier_list, &md_crash_panic_nb);
	return 0;
}
core_initcall(qcom_minidump_crash_init);

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm APSS minidump: what a watchdog bite leaves for a debugger.
 *
 * At a bite no Linux code runs: what the dump holds must be in the table
 * beforehand. This client keeps there, from boot:
 *
 *  - one CPU context buffer per possible CPU (KCPU_CTX<cpu>), where the
 *    secure firmware saves the CPU's registers at a bite, in its format
 *    1.4 (0x800 bytes), and the memory dump table v2 that tells firmware
 *    where they are, as one region (MEMDUMP): root table, "apps" table,
 *    one data entry per CPU;
 *  - each CPU's IRQ stack (KISTACK<cpu>_<page>);
 *  - with CONFIG_QCOM_MINIDUMP_LIVE_STACKS, each CPU's current task
 *    (KTASK<cpu>) and its stack pages (KSTACK<cpu>_<page>), kept current
 *    from the sched_switch tracepoint ("live stacks" below);
 *  - with CONFIG_VMAP_STACK, the page-table pages that map those stacks
 *    (KIPT<cpu>_<n>, KPT<cpu>_<n>): crash reads a vmalloc'ed stack only
 *    through the kernel's page tables;
 *  - KMODULES, a line "name: X, base: ADDR" per loaded module.
 *
 * The buffers are zeroed: firmware that saved nothing leaves zeroes,
 * which tools read as "no registers for that CPU".
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/sections.h>
#include <asm/stacktrace.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <trace/events/sched.h>

#include "qcom_minidump_bite.h"
#include "qcom_minidump_internal.h"

static_assert(sizeof(struct qcom_minidump_dump_entry) == 48);
static_assert(sizeof(struct qcom_minidump_dump_table) == 8);
static_assert(sizeof(struct qcom_minidump_dump_data) == 64);
static_assert(QCOM_MINIDUMP_CPU_CTX_SIZE <= PAGE_SIZE);
static_assert(QCOM_MINIDUMP_MODULE_LINE * QCOM_MINIDUMP_MODULE_LINES % 4 == 0);

/* Where the parts of the MEMDUMP block are, for @n CPUs. */
static size_t md_apps_off(void)
{
	return ALIGN(struct_size_t(struct qcom_minidump_dump_table, entries, 1), 64);
}

static size_t md_data_off(unsigned int n)
{
	return ALIGN(md_apps_off() + struct_size_t(struct qcom_minidump_dump_table, entries, n),
		     64);
}

/* A physical address for firmware: linear map, kernel image or vmalloc. */
static phys_addr_t md_phys(const void *p)
{
	if (is_vmalloc_or_module_addr(p) && !is_kernel((unsigned long)p))
		return page_to_phys(vmalloc_to_page(p)) + offset_in_page(p);
	if (is_kernel((unsigned long)p))
		return __pa_symbol(p);
	return virt_to_phys(p);
}

/**
 * qcom_minidump_bite_alloc_pages() - zeroed, physically contiguous, page-aligned memory
 * @size: bytes
 *
 * Every buffer of the client comes from here, so that KUnit can fail any
 * of them. Freed with free_pages_exact().
 *
 * Context: Process context; may sleep.
 * Return: the memory, or NULL.
 */
VISIBLE_IF_KUNIT void *qcom_minidump_bite_alloc_pages(size_t size)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_bite_alloc_pages, size);
	return alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_alloc_pages);

/* ---- the CPU context buffers and the memory dump table ---- */

static void md_dump_name(char name[QCOM_MINIDUMP_DUMP_NAME_SIZE], const char *fmt, unsigned int n)
{
	memset(name, 0, QCOM_MINIDUMP_DUMP_NAME_SIZE);
	snprintf(name, QCOM_MINIDUMP_DUMP_NAME_SIZE, fmt, n);
}

/*
 * The root table with its one "apps" table entry, the apps table with one
 * CPU context entry per CPU, and the data entries they point at. Written
 * once, before the region is registered: firmware only reads it after
 * that, and writes into the data entries only at a bite.
 */
static void md_memdump_fill(struct qcom_minidump_bite *b)
{
	struct qcom_minidump_dump_table *root = b->memdump;
	struct qcom_minidump_dump_table *apps = b->memdump + md_apps_off();
	struct qcom_minidump_dump_data *data = b->memdump + md_data_off(b->nr_cpus);
	unsigned int cpu;

	root->version = cpu_to_le32(QCOM_MINIDUMP_DUMP_TABLE_VERSION);
	root->num_entries = cpu_to_le32(1);
	root->entries[0].id = cpu_to_le32(QCOM_MINIDUMP_DUMP_ID_APPS);
	md_dump_name(root->entries[0].name, "apps", 0);
	root->entries[0].type = cpu_to_le32(QCOM_MINIDUMP_DUMP_TYPE_TABLE);
	root->entries[0].addr = cpu_to_le64(md_phys(apps));

	apps->version = cpu_to_le32(QCOM_MINIDUMP_DUMP_TABLE_VERSION);
	apps->num_entries = cpu_to_le32(b->nr_cpus);
	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		struct qcom_minidump_dump_entry *e = &apps->entries[cpu];

		e->id = cpu_to_le32(QCOM_MINIDUMP_DUMP_ID_CPU_CTX + cpu);
		md_dump_name(e->name, "CPU%u_CTX", cpu);
		e->type = cpu_to_le32(QCOM_MINIDUMP_DUMP_TYPE_DATA);
		e->addr = cpu_to_le64(md_phys(&data[cpu]));

		md_dump_name(data[cpu].name, "KCPU_CTX%u", cpu);
		data[cpu].addr = cpu_to_le64(md_phys(b->cpus[cpu].ctx));
		data[cpu].len = cpu_to_le64(QCOM_MINIDUMP_CPU_CTX_SIZE);
	}
}

static int md_fixed_register(struct qcom_minidump_bite *b, struct qcom_minidump_region *r,
			     void *virt, size_t size, const char *name)
{
	int ret;

	strscpy(r->name, name);
	r->virt_addr = virt;
	r->phys_addr = md_phys(virt);
	r->size = size;
	ret = qcom_minidump_core_fixed_register(b->md, r);
	if (ret)
		r->size = 0;	/* nothing to unregister */
	return ret;
}

/* ---- KMODULES ---- */

/*
 * Each module has a line of its own, QCOM_MINIDUMP_MODULE_LINE bytes
 * ending in '\n' and padded with spaces; a free line is all spaces. A
 * reader must never see a line half written, so a line's first byte is
 * its valid flag: the rest is written while it is a space (" ame: ..."
 * is no line a reader takes), then, after a barrier, the 'n' of "name:".
 * A removal takes the 'n' first. Lines never move.
 */
static void md_module_line_clear(char *line)
{
	WRITE_ONCE(line[0], ' ');
	wmb();	/* no line for a reader before the rest goes */
	memset(line + 1, ' ', QCOM_MINIDUMP_MODULE_LINE - 2);
	line[QCOM_MINIDUMP_MODULE_LINE - 1] = '\n';
}

static void md_module_line_write(char *line, const char *name, const void *base)
{
	char buf[QCOM_MINIDUMP_MODULE_LINE];
	int len;

	memset(buf, ' ', sizeof(buf));
	len = scnprintf(buf, sizeof(buf) - 1, "name: %.*s, base: 0x%lx", (int)MODULE_NAME_LEN - 1,
			name, (unsigned long)base);
	buf[len] = ' ';
	buf[sizeof(buf) - 1] = '\n';
	memcpy(line + 1, buf + 1, sizeof(buf) - 1);
	wmb();	/* the line is whole before it starts with "name:" */
	WRITE_ONCE(line[0], buf[0]);
}

/**
 * qcom_minidump_bite_module_event() - keep KMODULES current
 * @b: the client
 * @add: true to give @mod a line (once), false to take its line away
 * @name: the module's name
 * @base: where its .text (MOD_TEXT) starts
 * @mod: the module, which identifies its line
 *
 * The module notifier adds a module's line when it comes, before its init
 * runs, so that a bite in its init is placed too, and takes it away when
 * the module goes.
 *
 * Context: Process context; takes a mutex.
 * Return: 0; %-ENOSPC, with one line in the log, when every line is taken.
 */
VISIBLE_IF_KUNIT int qcom_minidump_bite_module_event(struct qcom_minidump_bite *b, bool add,
						     const char *name, const void *base,
						     const struct module *mod)
{
	unsigned int i, free = QCOM_MINIDUMP_MODULE_LINES;

	guard(mutex)(&b->modules_lock);
	for (i = 0; i < QCOM_MINIDUMP_MODULE_LINES; i++) {
		if (b->module_of[i] == mod)
			break;
		if (!b->module_of[i] && free == QCOM_MINIDUMP_MODULE_LINES)
			free = i;
	}
	if (!add) {
		if (i < QCOM_MINIDUMP_MODULE_LINES) {
			md_module_line_clear(b->modules + i * QCOM_MINIDUMP_MODULE_LINE);
			b->module_of[i] = NULL;
		}
		return 0;
	}
	if (i < QCOM_MINIDUMP_MODULE_LINES)
		return 0;	/* listed already */
	if (free == QCOM_MINIDUMP_MODULE_LINES) {
		pr_warn("module %s not in KMODULES: its %u lines are taken\n", name,
			QCOM_MINIDUMP_MODULE_LINES);
		return -ENOSPC;
	}
	md_module_line_write(b->modules + free * QCOM_MINIDUMP_MODULE_LINE, name, base);
	b->module_of[free] = mod;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_module_event);

#if IS_ENABLED(CONFIG_MODULES)
static int md_module_notify(struct notifier_block *nb, unsigned long state, void *data)
{
	struct qcom_minidump_bite *b = container_of(nb, struct qcom_minidump_bite, module_nb);
	struct module *mod = data;
	unsigned long text;

	if (state != MODULE_STATE_COMING && state != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	/* Where .text is, as debuggers place it: past lld's .plt. */
	preempt_disable();
	text = qcom_minidump_module_text(mod);
	preempt_enable();
	qcom_minidump_bite_module_event(b, state == MODULE_STATE_COMING, mod->name,
					(const void *)text, mod);
	return NOTIFY_DONE;
}
#endif

/* ---- live stacks ---- */

/*
 * Each CPU has two sets ("banks") of regions for its current task: the
 * stack's pages and the task_struct, as moving regions of the core. At a
 * switch from prev to next, the bank that does not hold prev is pointed
 * at next, region by region, with the core's retarget, whose store order
 * keeps each region either the old memory at the old address, the new
 * memory at the new address, or out of the dump, at every store (see
 * "moving regions" in qcom_minidump.c). prev's bank is not touched: the
 * CPU runs on prev's stack until the switch completes, after the probe,
 * so a bite at any point of the switch finds the stack the CPU is on,
 * whole, in the dump, and a debugger never reads one task's memory at
 * another's address. The other bank holds the task before, or next
 * whole once the probe is done.
 *
 * With each bank go the page-table pages that map its stack (a vmapped
 * stack is THREAD_ALIGN aligned, so one page per level maps all of it).
 * Such a region is always at the linear alias of the page, whose bytes it
 * is: a bite between its stores can only find it at the old page or the
 * new one, each a true page at its own address.
 *
 * A bank that holds next already (two tasks taking turns) is left as it
 * is: no store at all. A task that dies gives its bank to next, so that
 * no bank keeps a freed stack past the dead task's last switch.
 *
 * The probe runs in __schedule(), with interrupts off, on the CPU whose
 * banks it changes: nothing else writes them, and it takes no lock.
 */

/*
 * What a bank's table slots show for a stack at @addr: the page-table
 * pages that map it, one a slot; slots past the levels the walk reaches
 * show its last page again. False when no table maps @addr.
 */
static bool md_table_targets(const void *addr, phys_addr_t phys[QCOM_MINIDUMP_TABLE_LEVELS])
{
	unsigned int i, n = qcom_minidump_table_pages((unsigned long)addr, phys);

	for (i = n; n && i < QCOM_MINIDUMP_TABLE_LEVELS; i++)
		phys[i] = phys[n - 1];
	return n;
}

/* Point @slots at the page-table pages that map @addr, each at its linear alias. */
static int md_tables_retarget(struct qcom_minidump_moving **slots, const void *addr)
{
	phys_addr_t phys[QCOM_MINIDUMP_TABLE_LEVELS];
	unsigned int i;
	int ret = 0;

	if (!md_table_targets(addr, phys))
		return 0;
	for (i = 0; i < QCOM_MINIDUMP_TABLE_LEVELS; i++)
		ret |= qcom_minidump_core_moving_retarget(slots[i], phys_to_virt(phys[i]),
							  phys[i]);
	return ret;
}

/**
 * qcom_minidump_bite_switch() - point a CPU's live regions at the task it switches to
 * @b: the client
 * @cpu: the CPU, whose banks only this CPU changes
 * @prev: the task it switches from (only compared)
 * @prev_dead: @prev has exited: its bank may go
 * @next: the task it switches to, a task_struct's size of memory
 * @stack: @next's stack, THREAD_SIZE bytes
 * @vm: the vmalloc area of @stack, or NULL (found page by page)
 *
 * Context: Preemption off; the scheduler's sched_switch tracepoint. No
 * lock, no allocation, no sleep.
 */
VISIBLE_IF_KUNIT void qcom_minidump_bite_switch(struct qcom_minidump_bite *b, unsigned int cpu,
						const void *prev, bool prev_dead, void *next,
						void *stack, struct vm_struct *vm)
{
	struct qcom_minidump_bite_cpu *c = &b->cpus[cpu];
	unsigned int i, k;
	int ret = 0;

	for (k = 0; k < 2; k++)
		if (c->bank_task[k] == next && c->bank_stack[k] == stack)
			return;
	k = c->bank_task[0] == prev;
	if (prev_dead && c->bank_task[!k] == prev)
		k = !k;

	c->bank_task[k] = NULL;
	for (i = 0; i < QCOM_MINIDUMP_STACK_PAGES; i++) {
		void *page = stack + i * PAGE_SIZE;
		phys_addr_t phys = vm ? page_to_phys(vm->pages[i]) : md_phys(page);

		ret |= qcom_minidump_core_moving_retarget(c->bank[k][i], page, phys);
	}
	ret |= qcom_minidump_core_moving_retarget(c->bank[k][QCOM_MINIDUMP_STACK_PAGES], next,
						  md_phys(next));
	if (c->table[k][0] && is_vmalloc_addr(stack))
		ret |= md_tables_retarget(c->table[k], stack);
	if (!ret) {
		c->bank_task[k] = next;
		c->bank_stack[k] = stack;
	}
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_switch);

static void md_sched_switch(void *data, bool preempt, struct task_struct *prev,
			    struct task_struct *next, unsigned int prev_state)
{
	struct qcom_minidump_bite *b = data;
	unsigned int cpu = smp_processor_id();

	if (cpu < b->nr_cpus)
		qcom_minidump_bite_switch(b, cpu, prev, prev_state == TASK_DEAD, next,
					  task_stack_page(next), task_stack_vm_area(next));
}

/**
 * qcom_minidump_bite_live_start() - keep the live stacks current from now on
 * @b: the client, set up
 *
 * Context: Process context; may sleep.
 * Return: 0, %-EBUSY if started already, or the tracepoint's error.
 */
VISIBLE_IF_KUNIT int qcom_minidump_bite_live_start(struct qcom_minidump_bite *b)
{
	int ret;

	if (b->live) {
		pr_err("live stacks are kept current already\n");
		return -EBUSY;
	}
	ret = register_trace_sched_switch(md_sched_switch, b);
	if (ret) {
		pr_err("sched_switch probe not registered: %pe\n", ERR_PTR(ret));
		return ret;
	}
	b->live = true;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_live_start);

#if IS_ENABLED(CONFIG_KUNIT)	/* only its KUnit suite calls it */
/**
 * qcom_minidump_bite_live_stop() - stop keeping the live stacks current
 * @b: the client
 *
 * When it returns the probe runs nowhere any more.
 *
 * Context: Process context; may sleep.
 */
VISIBLE_IF_KUNIT void qcom_minidump_bite_live_stop(struct qcom_minidump_bite *b)
{
	if (!b->live)
		return;
	unregister_trace_sched_switch(md_sched_switch, b);
	tracepoint_synchronize_unregister();
	b->live = false;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_live_stop);
#endif

/* ---- setting up ---- */

static struct qcom_minidump_moving *md_moving(struct qcom_minidump_bite *b, void *virt,
					      size_t size, const char *fmt, unsigned int cpu,
					      unsigned int page)
{
	char name[24];	/* the core refuses what is too long */

	snprintf(name, sizeof(name), fmt, cpu, page);
	return qcom_minidump_core_moving_register(b->md, name, virt, md_phys(virt), size);
}

/*
 * Regions for the page-table pages that map a bank's @stack, KPT<cpu>_<level>:
 * with CONFIG_VMAP_STACK only, where a stack may
 * be vmalloc'ed. Levels the walk does not reach (the boot CPU's idle task
 * has its stack in the kernel image) show the PGD's page, swapper_pg_dir,
 * at its linear alias, until a switch points them at a stack's tables.
 */
static int md_tables_register(struct qcom_minidump_bite *b, struct qcom_minidump_moving **slots,
			      const void *stack, unsigned int cpu)
{
	phys_addr_t phys[QCOM_MINIDUMP_TABLE_LEVELS];
	bool mapped;
	unsigned int i;

	if (!IS_ENABLED(CONFIG_VMAP_STACK))
		return 0;
	mapped = is_vmalloc_addr(stack) && md_table_targets(stack, phys);
	for (i = 0; i < QCOM_MINIDUMP_TABLE_LEVELS; i++) {
		phys_addr_t p = mapped ? phys[i] : __pa_symbol(swapper_pg_dir);

		slots[i] = md_moving(b, phys_to_virt(p), PAGE_SIZE, "PT%u_%u", cpu, i);
		if (IS_ERR(slots[i]))
			return PTR_ERR(slots[i]);
	}
	return 0;
}

/*
 * The page-table pages that map @cpu's IRQ stack, KIPT<cpu>_<level>. IRQ
 * stacks never move and are vmalloc'ed side by side at boot, so most
 * CPUs' are mapped by the same pages: a page that maps an earlier CPU's
 * IRQ stack is in the dump already, and is not registered again.
 */
static int md_irq_tables_register(struct qcom_minidump_bite *b, unsigned int cpu,
				  const void *istack)
{
	phys_addr_t phys[QCOM_MINIDUMP_TABLE_LEVELS], seen[QCOM_MINIDUMP_TABLE_LEVELS];
	struct qcom_minidump_bite_cpu *c = &b->cpus[cpu];
	unsigned int i, j, m, n, k;

	if (!IS_ENABLED(CONFIG_VMAP_STACK) || !is_vmalloc_addr(istack))
		return 0;
	n = qcom_minidump_table_pages((unsigned long)istack, phys);
	for (i = 0; i < n; i++) {
		bool dup = false;

		for (m = 0; m < cpu && !dup; m++) {
			const void *other = per_cpu(irq_stack_ptr, m);

			k = is_vmalloc_addr(other) ?
			    qcom_minidump_table_pages((unsigned long)other, seen) : 0;
			for (j = 0; j < k; j++)
				dup |= seen[j] == phys[i];
		}
		if (dup)
			continue;
		c->itable[i] = md_moving(b, phys_to_virt(phys[i]), PAGE_SIZE, "IPT%u_%u", cpu, i);
		if (IS_ERR(c->itable[i]))
			return PTR_ERR(c->itable[i]);
	}
	return 0;
}

/* The IRQ stack and both banks of @cpu, at its idle task to begin with. */
static int md_cpu_moving_register(struct qcom_minidump_bite *b, unsigned int cpu)
{
	struct qcom_minidump_bite_cpu *c = &b->cpus[cpu];
	struct task_struct *idle = idle_task(cpu);
	void *istack = per_cpu(irq_stack_ptr, cpu);
	void *stack = task_stack_page(idle);
	unsigned int i, k;
	int ret;

	for (i = 0; istack && i < QCOM_MINIDUMP_STACK_PAGES; i++) {
		c->istack[i] = md_moving(b, istack + i * PAGE_SIZE, PAGE_SIZE, "ISTACK%u_%u",
					 cpu, i);
		if (IS_ERR(c->istack[i]))
			return PTR_ERR(c->istack[i]);
	}
	if (istack) {
		ret = md_irq_tables_register(b, cpu, istack);
		if (ret)
			return ret;
	}
	if (!IS_ENABLED(CONFIG_QCOM_MINIDUMP_LIVE_STACKS))
		return 0;
	for (k = 0; k < 2; k++) {
		for (i = 0; i < QCOM_MINIDUMP_STACK_PAGES; i++) {
			c->bank[k][i] = md_moving(b, stack + i * PAGE_SIZE, PAGE_SIZE,
						  "STACK%u_%u", cpu, i);
			if (IS_ERR(c->bank[k][i]))
				return PTR_ERR(c->bank[k][i]);
		}
		c->bank[k][i] = md_moving(b, idle, ALIGN(sizeof(*idle), 4), "TASK%u%.0u", cpu, 0);
		if (IS_ERR(c->bank[k][i]))
			return PTR_ERR(c->bank[k][i]);
		c->bank_task[k] = idle;
		c->bank_stack[k] = stack;
		ret = md_tables_register(b, c->table[k], stack, cpu);
		if (ret)
			return ret;
	}
	return 0;
}

static void md_unregister_all(struct qcom_minidump_bite *b)
{
	unsigned int cpu, i, k;

	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		struct qcom_minidump_bite_cpu *c = &b->cpus[cpu];

		for (k = 0; k < 2; k++) {
			for (i = 0; i <= QCOM_MINIDUMP_STACK_PAGES; i++) {
				qcom_minidump_core_moving_unregister(c->bank[k][i]);
				c->bank[k][i] = NULL;
			}
			for (i = 0; i < QCOM_MINIDUMP_TABLE_LEVELS; i++) {
				qcom_minidump_core_moving_unregister(c->table[k][i]);
				c->table[k][i] = NULL;
			}
		}
		for (i = 0; i < QCOM_MINIDUMP_STACK_PAGES; i++) {
			qcom_minidump_core_moving_unregister(c->istack[i]);
			c->istack[i] = NULL;
		}
		for (i = 0; i < QCOM_MINIDUMP_TABLE_LEVELS; i++) {
			qcom_minidump_core_moving_unregister(c->itable[i]);
			c->itable[i] = NULL;
		}
		if (c->ctx_region.size)
			qcom_minidump_core_fixed_unregister(b->md, &c->ctx_region);
		c->ctx_region.size = 0;
	}
	if (b->memdump_region.size)
		qcom_minidump_core_fixed_unregister(b->md, &b->memdump_region);
	b->memdump_region.size = 0;
	if (b->modules_region.size)
		qcom_minidump_core_fixed_unregister(b->md, &b->modules_region);
	b->modules_region.size = 0;
}

static void md_free_all(struct qcom_minidump_bite *b)
{
	unsigned int cpu;

	for (cpu = 0; b->cpus && cpu < b->nr_cpus; cpu++)
		if (b->cpus[cpu].ctx)
			free_pages_exact(b->cpus[cpu].ctx, QCOM_MINIDUMP_CPU_CTX_SIZE);
	if (b->memdump)
		free_pages_exact(b->memdump, b->memdump_size);
	if (b->modules)
		free_pages_exact(b->modules,
				 QCOM_MINIDUMP_MODULE_LINE * QCOM_MINIDUMP_MODULE_LINES);
	kfree(b->cpus);
	b->cpus = NULL;
	b->memdump = NULL;
	b->modules = NULL;
	b->md = NULL;
}

static int md_alloc_all(struct qcom_minidump_bite *b)
{
	size_t modules_size = QCOM_MINIDUMP_MODULE_LINE * QCOM_MINIDUMP_MODULE_LINES;
	unsigned int cpu, i;

	b->cpus = kcalloc(b->nr_cpus, sizeof(*b->cpus), GFP_KERNEL);
	if (!b->cpus)
		return -ENOMEM;
	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		b->cpus[cpu].ctx = qcom_minidump_bite_alloc_pages(QCOM_MINIDUMP_CPU_CTX_SIZE);
		if (!b->cpus[cpu].ctx)
			return -ENOMEM;
	}
	b->memdump_size = md_data_off(b->nr_cpus) +
			  b->nr_cpus * sizeof(struct qcom_minidump_dump_data);
	b->memdump = qcom_minidump_bite_alloc_pages(b->memdump_size);
	if (!b->memdump)
		return -ENOMEM;
	b->modules = qcom_minidump_bite_alloc_pages(modules_size);
	if (!b->modules)
		return -ENOMEM;
	for (i = 0; i < QCOM_MINIDUMP_MODULE_LINES; i++)
		md_module_line_clear(b->modules + i * QCOM_MINIDUMP_MODULE_LINE);
	return 0;
}

static int md_register_all(struct qcom_minidump_bite *b)
{
	unsigned int cpu;
	int ret;

	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		char name[24];	/* the core refuses what is too long */

		snprintf(name, sizeof(name), "CPU_CTX%u", cpu);
		ret = md_fixed_register(b, &b->cpus[cpu].ctx_region, b->cpus[cpu].ctx,
					QCOM_MINIDUMP_CPU_CTX_SIZE, name);
		if (ret)
			return ret;
	}
	ret = md_fixed_register(b, &b->memdump_region, b->memdump, b->memdump_size, "MEMDUMP");
	if (ret)
		return ret;
	ret = md_fixed_register(b, &b->modules_region, b->modules,
				QCOM_MINIDUMP_MODULE_LINE * QCOM_MINIDUMP_MODULE_LINES, "MODULES");
	if (ret)
		return ret;
	for (cpu = 0; cpu < b->nr_cpus; cpu++) {
		ret = md_cpu_moving_register(b, cpu);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * qcom_minidump_bite_setup() - allocate and register what a bite needs
 * @b: the client's state, zeroed or torn down
 * @md: the core to register with
 * @nr_cpus: serve CPUs 0 to @nr_cpus - 1, at most nr_cpu_ids
 *
 * Allocates the CPU context buffers, the memory dump table and the
 * KMODULES text, and registers them with the IRQ stacks and, with
 * CONFIG_QCOM_MINIDUMP_LIVE_STACKS, both banks of live stack regions of
 * every CPU, at its idle task. The live stacks are kept current only once
 * qcom_minidump_bite_live_start() is called. On error nothing stays
 * registered or allocated.
 *
 * Context: Process context; may sleep.
 * Return: 0; %-EBUSY if @b is set up already; %-EINVAL for a bad @nr_cpus;
 * %-ENOMEM; or the core's error for a region (with its own log line).
 */
VISIBLE_IF_KUNIT int qcom_minidump_bite_setup(struct qcom_minidump_bite *b,
					      struct qcom_minidump *md, unsigned int nr_cpus)
{
	int ret;

	if (b->md) {
		pr_err("set up already\n");
		return -EBUSY;
	}
	if (!nr_cpus || nr_cpus > nr_cpu_ids) {
		pr_err("%u CPUs: not 1 to %u\n", nr_cpus, nr_cpu_ids);
		return -EINVAL;
	}
	memset(b, 0, sizeof(*b));
	mutex_init(&b->modules_lock);
	b->md = md;
	b->nr_cpus = nr_cpus;

	ret = md_alloc_all(b);
	if (ret) {
		pr_err("out of memory for %u CPUs' buffers\n", nr_cpus);
		goto free;
	}
	md_memdump_fill(b);
	ret = md_register_all(b);
	if (ret) {
		pr_err("regions not registered: %pe\n", ERR_PTR(ret));
		goto unregister;
	}
	return 0;

unregister:
	md_unregister_all(b);
free:
	md_free_all(b);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_setup);

#if IS_ENABLED(CONFIG_KUNIT)	/* only its KUnit suite calls it */
/**
 * qcom_minidump_bite_teardown() - undo qcom_minidump_bite_setup()
 * @b: the client, set up or not
 *
 * Stops the live stacks, unregisters every region and frees the buffers.
 *
 * Context: Process context; may sleep.
 */
VISIBLE_IF_KUNIT void qcom_minidump_bite_teardown(struct qcom_minidump_bite *b)
{
	if (!b->md)
		return;
	qcom_minidump_bite_live_stop(b);
	md_unregister_all(b);
	md_free_all(b);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_teardown);
#endif

/* ---- the kernel's client ---- */

static struct qcom_minidump_bite md_bite;

#if IS_ENABLED(CONFIG_KUNIT)	/* only its KUnit suite calls it */
/**
 * qcom_minidump_bite_kernel() - the kernel's bite client
 *
 * For KUnit: its benchmark stops the kernel's own probe while it measures.
 *
 * Context: Any context.
 * Return: the client.
 */
VISIBLE_IF_KUNIT struct qcom_minidump_bite *qcom_minidump_bite_kernel(void)
{
	return &md_bite;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_kernel);

/**
 * qcom_minidump_bite_pgd_entry() - the kernel's PGD entry for an address
 * @addr: a kernel virtual address
 *
 * For KUnit: its suite, which may be a module, walks the kernel's page
 * tables as crash does, from init_mm, which is not exported.
 *
 * Context: Any context.
 * Return: pgd_offset_k(@addr).
 */
VISIBLE_IF_KUNIT pgd_t *qcom_minidump_bite_pgd_entry(unsigned long addr)
{
	return pgd_offset_k(addr);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_bite_pgd_entry);
#endif

/**
 * qcom_minidump_memdump_table() - where the memory dump table is, for a board
 * @phys: set to the physical address of its root table
 *
 * Firmware finds the table through a board-specific pointer: on most
 * SoCs an 8-byte physical address at offset 0x10 of shared IMEM, on newer
 * ones an SCM call. The driver that owns that (none in mainline 6.12)
 * calls this and publishes @phys; see
 * Documentation/driver-api/qcom-minidump.rst.
 *
 * Context: Any context.
 * Return: 0, or %-ENODEV when the table was not set up.
 */
int qcom_minidump_memdump_table(phys_addr_t *phys)
{
	if (!md_bite.md)
		return -ENODEV;
	*phys = md_bite.memdump_region.phys_addr;
	return 0;
}
EXPORT_SYMBOL_GPL(qcom_minidump_memdump_table);

static int __init qcom_minidump_bite_init(void)
{
	struct qcom_minidump_bite *b = &md_bite;
	unsigned int cpu;
	int ret;

	ret = qcom_minidump_bite_setup(b, qcom_minidump_kernel_core(), nr_cpu_ids);
	if (ret)
		return ret;
	if (IS_ENABLED(CONFIG_QCOM_MINIDUMP_LIVE_STACKS)) {
		ret = qcom_minidump_bite_live_start(b);
		if (ret)
			pr_warn("live stacks stay at the idle tasks: %pe\n", ERR_PTR(ret));
	}
#if IS_ENABLED(CONFIG_MODULES)
	b->module_nb.notifier_call = md_module_notify;
	ret = register_module_notifier(&b->module_nb);
	if (ret)
		pr_warn("KMODULES stays empty: %pe\n", ERR_PTR(ret));
#endif
	for (cpu = 0; cpu < b->nr_cpus; cpu++)
		pr_info("cpu%u: context buffer KCPU_CTX%u at %pa\n", cpu, cpu,
			&b->cpus[cpu].ctx_region.phys_addr);
	pr_info("%u CPU context buffers, MEMDUMP table at %pa, live stacks %s\n", b->nr_cpus,
		&b->memdump_region.phys_addr, b->live ? "on" : "off");
	return 0;
}
subsys_initcall(qcom_minidump_bite_init);

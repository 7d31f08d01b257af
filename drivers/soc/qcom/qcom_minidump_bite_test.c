// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite qcom_minidump_bite: the watchdog-bite client against a core
 * and a table backend of the test's own, read as firmware and a
 * collector read them.
 *
 * The live stacks are checked after every single store of every switch:
 * the table as the firmware reader model reads it, the ELF header found
 * through the table as a collector finds it, every program header matched
 * to a dumped entry by physical address as collectors match them; each
 * match must pair a virtual address with the memory that backs it, and
 * the stack and task of the task on the CPU must be whole in the dump.
 */

#include <kunit/device.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/elf.h>
#include <linux/kallsyms.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_bite.h"
#include "qcom_minidump_internal.h"
#include "qcom_minidump_table.h"
#include "qcom_minidump_toc_kunit.h"

#define BT_MAX_REGIONS	200
#define BT_TASKS	4

/*
 * A task as the client sees it: a task_struct's worth of memory and a
 * stack, vmalloc'ed and THREAD_SIZE aligned as a vmapped stack is (so one
 * table page per level maps it), in @stack_mem.
 */
struct bt_task {
	void *task;
	void *stack;
	void *stack_mem;
};

struct bite_test {
	struct kunit *test;
	struct device *dev;
	struct qcom_minidump *md;
	struct qcom_minidump_table table;
	struct qcom_minidump_toc_subsystem ss;
	struct qcom_minidump_backend backend;
	struct qcom_minidump_toc_model model;
	struct qcom_minidump_bite bite;
	struct bt_task tasks[BT_TASKS];
	/* What must be whole in the dump after every store: CPU 0's task. */
	const struct bt_task *running;
	bool checking;
	unsigned long stores;
	unsigned long bad;
	unsigned long first_bad;
	const char *why;
	/* For the allocation failures. */
	int alloc_fail_at;
	int allocs;
};

static void bt_write_ss(struct qcom_minidump_table *table, enum qcom_minidump_ss_field field,
			u64 val)
{
	struct bite_test *t = container_of(table, struct bite_test, table);
	struct qcom_minidump_toc_subsystem *ss = &t->ss;

	switch (field) {
	case QCOM_MINIDUMP_SS_FIELD_STATUS:
		WRITE_ONCE(ss->status, cpu_to_le32(val));
		break;
	case QCOM_MINIDUMP_SS_FIELD_ENABLED:
		WRITE_ONCE(ss->enabled, cpu_to_le32(val));
		break;
	case QCOM_MINIDUMP_SS_FIELD_ENCR_STATUS:
		WRITE_ONCE(ss->encryption_status, cpu_to_le32(val));
		break;
	case QCOM_MINIDUMP_SS_FIELD_ENCR_REQUIRED:
		WRITE_ONCE(ss->encryption_required, cpu_to_le32(val));
		break;
	case QCOM_MINIDUMP_SS_FIELD_REGION_COUNT:
		WRITE_ONCE(ss->region_count, cpu_to_le32(val));
		break;
	case QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE:
		WRITE_ONCE(ss->regions_baseptr, cpu_to_le64(val));
		break;
	}
}

static void bt_read_ss(struct qcom_minidump_toc_model *model, struct qcom_minidump_toc_view *v)
{
	struct bite_test *t = container_of(model, struct bite_test, model);

	v->toc_status = 1;
	v->status = le32_to_cpu(READ_ONCE(t->ss.status));
	v->enabled = le32_to_cpu(READ_ONCE(t->ss.enabled));
	v->encryption_status = le32_to_cpu(READ_ONCE(t->ss.encryption_status));
	v->region_count = le32_to_cpu(READ_ONCE(t->ss.region_count));
	v->regions_base = le64_to_cpu(READ_ONCE(t->ss.regions_baseptr));
}

static bool bt_within(unsigned long virt, const void *start, size_t size)
{
	return virt - (unsigned long)start < size;
}

/*
 * The physical address that really backs @virt. Of the kernel image, only
 * the idle task of CPU 0 and its stack come here; the image's bounds are
 * not exported to modules, and this suite may be one.
 */
static phys_addr_t bt_truth(unsigned long virt)
{
	struct page *page;

	if (virt_addr_valid((void *)virt))
		return virt_to_phys((void *)virt);
	if (bt_within(virt, &init_task, sizeof(init_task)) ||
	    bt_within(virt, task_stack_page(&init_task), THREAD_SIZE))
		return __pa_symbol(virt);
	page = is_vmalloc_or_module_addr((void *)virt) ? vmalloc_to_page((void *)virt) : NULL;
	return page ? page_to_phys(page) + offset_in_page(virt) : 0;
}

/* The dumped entry a collector matches to a program header, or -1. */
static int bt_match(struct bite_test *t, int n, const struct elf64_phdr *p)
{
	int i;

	if (!p->p_paddr)
		return -1;
	for (i = 0; i < n; i++)
		if (t->model.seen[i].address == p->p_paddr && t->model.seen[i].size == p->p_filesz)
			return i;
	return -1;
}

/* Is @virt, @size bytes, in the dump, described and dumped? */
static bool bt_described(struct bite_test *t, const struct elf64_hdr *ehdr, int n,
			 unsigned long virt, size_t size)
{
	const struct elf64_phdr *ph = (const void *)ehdr + ehdr->e_phoff;
	unsigned int i;

	for (i = 1; i < ehdr->e_phnum; i++)
		if (ph[i].p_vaddr == virt && ph[i].p_filesz == size && bt_match(t, n, &ph[i]) >= 0)
			return true;
	return false;
}

/* Is @virt, @size bytes, described and dumped now? */
static bool bt_in_dump(struct bite_test *t, const void *virt, size_t size)
{
	int n = qcom_minidump_toc_kunit_read(&t->model);
	int j;

	for (j = 0; j < n; j++)
		if (!strcmp(t->model.seen[j].name, "KELF_HEADER"))
			return bt_described(t, phys_to_virt(t->model.seen[j].address), n,
					    (unsigned long)virt, size);
	return false;
}

/* Is the page at @phys an entry of the dump, whole? */
static bool bt_page_dumped(struct bite_test *t, int n, phys_addr_t phys)
{
	int i;

	for (i = 0; i < n; i++)
		if (t->model.seen[i].address == phys && t->model.seen[i].size == PAGE_SIZE)
			return true;
	return false;
}

/* The table page of @entry: in the linear map, or in the kernel image. */
static phys_addr_t bt_table_phys(const void *entry)
{
	const void *page = PTR_ALIGN_DOWN(entry, PAGE_SIZE);

	return virt_addr_valid(page) ? virt_to_phys(page) : __pa_symbol(page);
}

/*
 * Can a reader of the dump translate @virt as crash does: from the PGD
 * (dumped by the crash client, not this one) through table pages that are
 * all entries of the dump, down to the page that backs @virt? NULL if so.
 */
static const char *bt_translate_fault(struct bite_test *t, unsigned long virt)
{
	int n = qcom_minidump_toc_kunit_read(&t->model);
	pgd_t *pgdp = qcom_minidump_bite_pgd_entry(virt);
	unsigned long pgd_page = (unsigned long)pgdp & PAGE_MASK;
	p4d_t *p4dp;
	pud_t *pudp;
	pmd_t *pmdp;
	pte_t *ptep;

	if (pgd_none(READ_ONCE(*pgdp)))
		return "no PGD entry";
	/* A level is folded where its entry is in the page above. */
	p4dp = p4d_offset(pgdp, virt);
	if (((unsigned long)p4dp & PAGE_MASK) != pgd_page &&
	    !bt_page_dumped(t, n, bt_table_phys(p4dp)))
		return "the P4D page is not in the dump";
	pudp = pud_offset(p4dp, virt);
	if (((unsigned long)pudp & PAGE_MASK) != ((unsigned long)p4dp & PAGE_MASK) &&
	    !bt_page_dumped(t, n, bt_table_phys(pudp)))
		return "the PUD page is not in the dump";
	if (pud_leaf(READ_ONCE(*pudp)))
		return NULL;
	pmdp = pmd_offset(pudp, virt);
	if (((unsigned long)pmdp & PAGE_MASK) != ((unsigned long)pudp & PAGE_MASK) &&
	    !bt_page_dumped(t, n, bt_table_phys(pmdp)))
		return "the PMD page is not in the dump";
	if (pmd_leaf(READ_ONCE(*pmdp)))
		return NULL;
	ptep = pte_offset_kernel(pmdp, virt);
	if (!bt_page_dumped(t, n, bt_table_phys(ptep)))
		return "the PTE page is not in the dump";
	if (pte_pfn(READ_ONCE(*ptep)) != PHYS_PFN(bt_truth(virt)))
		return "the PTE does not map the page";
	return NULL;
}

/* The dump as firmware and a collector would take it now: sound? */
static const char *bt_dump_fault(struct bite_test *t)
{
	const struct elf64_hdr *ehdr = NULL;
	const struct elf64_phdr *ph;
	int n = qcom_minidump_toc_kunit_read(&t->model);
	unsigned int i;
	int j;

	if (n < 0)
		return "region_count beyond the table";
	for (j = 0; j < n; j++)
		if (!strcmp(t->model.seen[j].name, "KELF_HEADER"))
			ehdr = phys_to_virt(t->model.seen[j].address);
	if (!ehdr)
		return "no ELF header dumped";
	if (ehdr->e_ident[EI_MAG0] != ELFMAG0)
		return "the ELF header lost its magic";
	ph = (const void *)ehdr + ehdr->e_phoff;
	for (i = 1; i < ehdr->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD)
			return "a program header is no PT_LOAD";
		if (bt_match(t, n, &ph[i]) >= 0 && bt_truth(ph[i].p_vaddr) != ph[i].p_paddr)
			return "a dumped file is matched to another address's memory";
	}
	/* Every dumped stack or task page is described, at its own address. */
	for (j = 0; j < n; j++) {
		const struct qcom_minidump_toc_seen *s = &t->model.seen[j];
		bool found = false;

		if (!strstarts(s->name, "KSTACK") && !strstarts(s->name, "KTASK"))
			continue;
		for (i = 1; i < ehdr->e_phnum; i++)
			if (ph[i].p_paddr == s->address && ph[i].p_filesz == s->size)
				found = true;
		if (!found)
			return "a dumped stack or task entry is in no program header";
	}
	if (t->running) {
		unsigned long stack = (unsigned long)t->running->stack;

		for (i = 0; i < QCOM_MINIDUMP_STACK_PAGES; i++)
			if (!bt_described(t, ehdr, n, stack + i * PAGE_SIZE, PAGE_SIZE))
				return "a page of the running task's stack is not in the dump";
		if (!bt_described(t, ehdr, n, (unsigned long)t->running->task,
				  ALIGN(sizeof(struct task_struct), 4)))
			return "the running task is not in the dump";
		/* And crash can read the stack through the dumped page tables. */
		for (i = 0; IS_ENABLED(CONFIG_VMAP_STACK) && i < QCOM_MINIDUMP_STACK_PAGES; i++) {
			const char *why = bt_translate_fault(t, stack + i * PAGE_SIZE);

			if (why)
				return why;
		}
	}
	return NULL;
}

static void bt_check(struct bite_test *t)
{
	const char *why;

	if (!t->checking)
		return;
	t->stores++;
	why = bt_dump_fault(t);
	if (why) {
		if (!t->bad) {
			t->why = why;
			t->first_bad = t->stores;
		}
		t->bad++;
	}
}

static void bt_table_store(void *dst, u64 val, unsigned int size)
{
	struct bite_test *t = kunit_get_current_test()->priv;

	if (size == sizeof(u64))
		WRITE_ONCE(*(u64 *)dst, val);
	else
		WRITE_ONCE(*(u32 *)dst, (u32)val);
	bt_check(t);
}

static void bt_moving_store(void *dst, u64 val)
{
	struct bite_test *t = kunit_get_current_test()->priv;

	WRITE_ONCE(*(u64 *)dst, val);
	bt_check(t);
}

static void *bt_alloc_pages(size_t size)
{
	struct bite_test *t = kunit_get_current_test()->priv;

	if (t->allocs++ == t->alloc_fail_at)
		return NULL;
	return alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
}

static void bt_free_task(void *data)
{
	struct bt_task *task = data;

	vfree(task->stack_mem);
	kfree(task->task);
}

static void bt_teardown_action(void *data)
{
	qcom_minidump_bite_teardown(data);
}

static unsigned int bt_cpus(void)
{
	return min(2U, nr_cpu_ids);
}

static int bite_test_init(struct kunit *test)
{
	struct bite_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	t->test = test;
	t->alloc_fail_at = -1;
	t->dev = kunit_device_register(test, "qcom_minidump_bite_test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->dev);
	t->md = qcom_minidump_toc_kunit_core(test);
	KUNIT_ASSERT_EQ(test, qcom_minidump_table_alloc(t->dev, &t->table, BT_MAX_REGIONS,
							bt_write_ss), 0);
	t->backend.name = "bite-test";
	t->backend.dev = t->dev;
	t->backend.ops = &qcom_minidump_table_ops;
	t->backend.max_regions = BT_MAX_REGIONS;
	t->backend.priv = &t->table;
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_init(test, &t->model, &t->backend,
							   bt_read_ss), 0);
	qcom_minidump_toc_kunit_release_backend(test, &t->backend);

	for (i = 0; i < BT_TASKS; i++) {
		struct bt_task *task = &t->tasks[i];

		task->task = kzalloc(ALIGN(sizeof(struct task_struct), 4), GFP_KERNEL);
		task->stack_mem = vzalloc(2 * THREAD_SIZE);
		task->stack = PTR_ALIGN(task->stack_mem, THREAD_SIZE);
		KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, bt_free_task, task));
		KUNIT_ASSERT_NOT_NULL(test, task->task);
		KUNIT_ASSERT_NOT_NULL(test, task->stack_mem);
	}
	kunit_activate_static_stub(test, qcom_minidump_bite_alloc_pages, bt_alloc_pages);
	return 0;
}

/* The client set up on the test's core, its backend registered. */
static void bt_setup(struct bite_test *t)
{
	struct kunit *test = t->test;

	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(t->md, &t->backend), 0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_bite_setup(&t->bite, t->md, bt_cpus()), 0);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, bt_teardown_action, &t->bite));
}

static const struct qcom_minidump_toc_seen *bt_find(struct bite_test *t, const char *name)
{
	int n = qcom_minidump_toc_kunit_read(&t->model);
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(t->model.seen[i].name, name))
			return &t->model.seen[i];
	return NULL;
}

/* The CPU context buffers and the memory dump table, as firmware walks them. */
static void cpu_ctx_and_memdump_table(struct kunit *test)
{
	struct bite_test *t = test->priv;
	const struct qcom_minidump_dump_table *root, *apps;
	const struct qcom_minidump_toc_seen *found;
	struct qcom_minidump_toc_seen memdump, *s = &memdump;
	unsigned int cpu, n = bt_cpus();
	char name[16];

	bt_setup(t);
	/* A copy: each bt_find() reads the table again. */
	found = bt_find(t, "KMEMDUMP");
	KUNIT_ASSERT_NOT_NULL(test, found);
	memdump = *found;
	root = phys_to_virt(s->address);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(root->version), 0x00200000);
	KUNIT_ASSERT_EQ(test, le32_to_cpu(root->num_entries), 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(root->entries[0].id), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(root->entries[0].type), 1);
	KUNIT_EXPECT_STREQ(test, root->entries[0].name, "apps");
	/* Everything the table points at lies inside the dumped block. */
	KUNIT_ASSERT_GT(test, le64_to_cpu(root->entries[0].addr), s->address);
	KUNIT_ASSERT_LT(test, le64_to_cpu(root->entries[0].addr), s->address + s->size);
	apps = phys_to_virt(le64_to_cpu(root->entries[0].addr));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apps->version), 0x00200000);
	KUNIT_ASSERT_EQ(test, le32_to_cpu(apps->num_entries), n);

	for (cpu = 0; cpu < n; cpu++) {
		const struct qcom_minidump_dump_entry *e = &apps->entries[cpu];
		const struct qcom_minidump_dump_data *d;
		const struct qcom_minidump_toc_seen *ctx;
		const u8 *buf;
		unsigned int i;

		KUNIT_EXPECT_EQ(test, le32_to_cpu(e->id), 0x00 + cpu);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(e->type), 0);
		KUNIT_ASSERT_GE(test, le64_to_cpu(e->addr), s->address);
		KUNIT_ASSERT_LE(test, le64_to_cpu(e->addr) + sizeof(*d), s->address + s->size);
		d = phys_to_virt(le64_to_cpu(e->addr));
		snprintf(name, sizeof(name), "KCPU_CTX%u", cpu);
		ctx = bt_find(t, name);
		KUNIT_ASSERT_NOT_NULL_MSG(test, ctx, "%s", name);
		KUNIT_EXPECT_EQ(test, ctx->size, 0x800);
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(ctx->address));
		KUNIT_EXPECT_EQ(test, le64_to_cpu(d->addr), ctx->address);
		KUNIT_EXPECT_EQ(test, le64_to_cpu(d->len), 0x800);
		/* Firmware writes these at a bite; Linux leaves them 0. */
		KUNIT_EXPECT_EQ(test, le32_to_cpu(d->magic), 0);
		KUNIT_EXPECT_EQ(test, le32_to_cpu(d->version), 0);
		buf = phys_to_virt(ctx->address);
		for (i = 0; i < 0x800; i++)
			if (buf[i])
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, 0x800, "CPU %u's buffer is not zeroed", cpu);
		/* The IRQ stack, once, at its own memory. */
		snprintf(name, sizeof(name), "KISTACK%u_0", cpu);
		KUNIT_EXPECT_NOT_NULL_MSG(test, bt_find(t, name), "%s", name);
	}
	KUNIT_EXPECT_NOT_NULL(test, bt_find(t, "KMODULES"));
}

/* CPU @cpu switches from @prev to @next, with the reader after every store. */
static void bt_switch(struct bite_test *t, unsigned int cpu, struct bt_task *prev,
		      struct bt_task *next, bool prev_dead)
{
	if (!cpu)
		t->running = prev;
	/* As in the scheduler; the reader records, it reports afterwards. */
	preempt_disable();
	qcom_minidump_bite_switch(&t->bite, cpu, prev ? prev->task : NULL, prev_dead,
				  next->task, next->stack, NULL);
	preempt_enable();
	if (!cpu)
		t->running = next;
	bt_check(t);
}

/*
 * A ring of tasks on CPU 0, one of them also on CPU 1 (the same memory in
 * two CPUs' banks, so that a program header half moved would match the
 * other CPU's dumped file), and a task that dies: after every single
 * store the dump is sound, and the task on CPU 0 whole in it.
 */
static void live_stacks_every_store(struct kunit *test)
{
	struct bite_test *t = test->priv;
	struct bt_task *a = &t->tasks[0], *b = &t->tasks[1], *c = &t->tasks[2];
	struct bt_task *d = &t->tasks[3];
	unsigned int round;

	if (!IS_ENABLED(CONFIG_QCOM_MINIDUMP_LIVE_STACKS))
		kunit_skip(test, "CONFIG_QCOM_MINIDUMP_LIVE_STACKS is off");
	bt_setup(t);
	kunit_activate_static_stub(test, qcom_minidump_table_store, bt_table_store);
	kunit_activate_static_stub(test, qcom_minidump_moving_store, bt_moving_store);
	t->checking = true;

	bt_switch(t, 0, NULL, a, false);
	for (round = 0; round < 3; round++) {
		bt_switch(t, 0, a, b, false);
		if (bt_cpus() > 1)
			bt_switch(t, 1, NULL, round & 1 ? c : a, false);
		bt_switch(t, 0, b, c, false);
		bt_switch(t, 0, c, a, false);
	}
	/*
	 * d dies on CPU 0: its bank goes to the next task, so that it keeps
	 * no freed stack. The one switch where the stack the CPU is on is not
	 * kept whole: the last of a task that exits.
	 */
	bt_switch(t, 0, a, d, false);
	t->running = NULL;
	preempt_disable();
	qcom_minidump_bite_switch(&t->bite, 0, d->task, true, b->task, b->stack, NULL);
	preempt_enable();
	t->running = b;
	bt_check(t);
	KUNIT_EXPECT_FALSE(test, bt_in_dump(t, d->task, ALIGN(sizeof(struct task_struct), 4)));
	KUNIT_EXPECT_TRUE(test, bt_in_dump(t, a->task, ALIGN(sizeof(struct task_struct), 4)));
	bt_switch(t, 0, b, c, false);
	t->checking = false;

	KUNIT_EXPECT_GT(test, t->stores, 100);
	KUNIT_EXPECT_EQ_MSG(test, t->bad, 0, "first after store %lu: %s", t->first_bad, t->why);
	kunit_info(test, "%lu stores, each followed by a read of the dump\n", t->stores);
}

/* Two tasks taking turns cost no store once both banks hold them. */
static void live_stacks_two_tasks_no_store(struct kunit *test)
{
	struct bite_test *t = test->priv;
	struct bt_task *a = &t->tasks[0], *b = &t->tasks[1];
	unsigned int i;

	if (!IS_ENABLED(CONFIG_QCOM_MINIDUMP_LIVE_STACKS))
		kunit_skip(test, "CONFIG_QCOM_MINIDUMP_LIVE_STACKS is off");
	bt_setup(t);
	bt_switch(t, 0, NULL, a, false);
	bt_switch(t, 0, a, b, false);
	kunit_activate_static_stub(test, qcom_minidump_table_store, bt_table_store);
	kunit_activate_static_stub(test, qcom_minidump_moving_store, bt_moving_store);
	t->checking = true;
	for (i = 0; i < 10; i++) {
		bt_switch(t, 0, b, a, false);
		bt_switch(t, 0, a, b, false);
	}
	t->checking = false;
	/* bt_switch() reads the dump once a switch: 20 reads, no store. */
	KUNIT_EXPECT_EQ(test, t->stores, 20);
	KUNIT_EXPECT_EQ_MSG(test, t->bad, 0, "first after store %lu: %s", t->first_bad, t->why);
}

/*
 * With no backend the regions wait, and a switch only changes where they
 * will be published: the backend that comes gets the task's regions.
 */
static void live_stacks_without_backend(struct kunit *test)
{
	struct bite_test *t = test->priv;
	struct bt_task *a = &t->tasks[0];
	const struct qcom_minidump_toc_seen *s;
	char name[16];

	if (!IS_ENABLED(CONFIG_QCOM_MINIDUMP_LIVE_STACKS))
		kunit_skip(test, "CONFIG_QCOM_MINIDUMP_LIVE_STACKS is off");
	KUNIT_ASSERT_EQ(test, qcom_minidump_bite_setup(&t->bite, t->md, bt_cpus()), 0);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, bt_teardown_action, &t->bite));
	preempt_disable();
	qcom_minidump_bite_switch(&t->bite, 0, NULL, false, a->task, a->stack, NULL);
	preempt_enable();
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(t->md, &t->backend), 0);
	t->running = a;
	KUNIT_EXPECT_NULL(test, bt_dump_fault(t));
	snprintf(name, sizeof(name), "KSTACK0_%u", (unsigned int)QCOM_MINIDUMP_STACK_PAGES - 1);
	s = bt_find(t, name);
	KUNIT_ASSERT_NOT_NULL(test, s);
}

/*
 * At a panic the crash path copies the stack it runs on and registers the
 * copy at the stack's virtual address: the live regions of that stack
 * then leave the dump, so that no two program headers give the stack's
 * addresses different bytes, and no two table entries share a start.
 */
static void live_stacks_follow_crash_copy(struct kunit *test)
{
	struct bite_test *t = test->priv;
	struct bt_task *a = &t->tasks[0];
	const struct elf64_hdr *ehdr = NULL;
	const struct elf64_phdr *ph;
	unsigned long stack = (unsigned long)a->stack;
	phys_addr_t copy_phys;
	unsigned int i, covered = 0;
	void *copy;
	int n, j;

	if (!IS_ENABLED(CONFIG_QCOM_MINIDUMP_LIVE_STACKS))
		kunit_skip(test, "CONFIG_QCOM_MINIDUMP_LIVE_STACKS is off");
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_crash_reserve(t->md, 4, 0), 0);
	bt_setup(t);
	bt_switch(t, 0, NULL, a, false);
	copy = alloc_pages_exact(THREAD_SIZE, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	copy_phys = virt_to_phys(copy);
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_crash_region_add(t->md, "STKCOPY", a->stack,
								  copy_phys, THREAD_SIZE), 0);

	n = qcom_minidump_toc_kunit_read(&t->model);
	for (j = 0; j < n; j++)
		if (!strcmp(t->model.seen[j].name, "KELF_HEADER"))
			ehdr = phys_to_virt(t->model.seen[j].address);
	KUNIT_ASSERT_NOT_NULL(test, ehdr);
	ph = (const void *)ehdr + ehdr->e_phoff;
	for (i = 1; i < ehdr->e_phnum; i++) {
		if (ph[i].p_vaddr < stack || ph[i].p_vaddr >= stack + THREAD_SIZE ||
		    bt_match(t, n, &ph[i]) < 0)
			continue;
		KUNIT_EXPECT_EQ(test, ph[i].p_paddr, copy_phys + (ph[i].p_vaddr - stack));
		covered++;
	}
	/* The copy only: the live set's pages left the dump. */
	KUNIT_EXPECT_EQ(test, covered, 1);
	qcom_minidump_core_crash_undo(t->md);
	free_pages_exact(copy, THREAD_SIZE);
}

/* The virtual address the ELF header gives the dumped entry @s, or 0. */
static unsigned long bt_vaddr(struct bite_test *t, const struct qcom_minidump_toc_seen *found)
{
	const struct qcom_minidump_toc_seen *elf, s = found ? *found : (typeof(s)){ };
	const struct elf64_hdr *ehdr;
	const struct elf64_phdr *ph;
	unsigned int i;

	/* A copy of @found first: bt_find() reads the table again. */
	elf = bt_find(t, "KELF_HEADER");
	if (!found || !elf)
		return 0;
	ehdr = phys_to_virt(elf->address);
	ph = (const void *)ehdr + ehdr->e_phoff;
	for (i = 1; i < ehdr->e_phnum; i++)
		if (ph[i].p_paddr == s.address && ph[i].p_filesz == s.size)
			return ph[i].p_vaddr;
	return 0;
}

/*
 * crash reads a vmalloc'ed stack only through the kernel's page tables:
 * the pages that map the stack of the task on the CPU, and of the task
 * before it, are in the dump with it after every switch.
 */
static void live_stacks_page_tables(struct kunit *test)
{
	struct bite_test *t = test->priv;
	struct bt_task *a = &t->tasks[0], *b = &t->tasks[1], *c = &t->tasks[2];
	struct bt_task *order[] = { a, b, c, a, c };
	struct bt_task *prev = NULL;
	unsigned int i, page;
	const char *why;
	char name[16];

	if (!IS_ENABLED(CONFIG_QCOM_MINIDUMP_LIVE_STACKS) || !IS_ENABLED(CONFIG_VMAP_STACK))
		kunit_skip(test, "CONFIG_QCOM_MINIDUMP_LIVE_STACKS or CONFIG_VMAP_STACK is off");
	bt_setup(t);
	/* Each CPU's IRQ stack, where the dump says it is, reads from the start. */
	for (i = 0; i < bt_cpus(); i++) {
		unsigned long virt;

		snprintf(name, sizeof(name), "KISTACK%u_0", i);
		virt = bt_vaddr(t, bt_find(t, name));
		KUNIT_ASSERT_NE_MSG(test, virt, 0, "%s", name);
		why = is_vmalloc_addr((void *)virt) ? bt_translate_fault(t, virt) : NULL;
		KUNIT_EXPECT_NULL_MSG(test, why, "CPU %u's IRQ stack: %s", i, why);
	}
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		bt_switch(t, 0, prev, order[i], false);
		for (page = 0; page < QCOM_MINIDUMP_STACK_PAGES; page++) {
			unsigned long virt = (unsigned long)order[i]->stack + page * PAGE_SIZE;

			why = bt_translate_fault(t, virt);
			KUNIT_EXPECT_NULL_MSG(test, why, "switch %u, next's stack page %u: %s",
					      i, page, why);
			if (!prev)
				continue;
			virt = (unsigned long)prev->stack + page * PAGE_SIZE;
			why = bt_translate_fault(t, virt);
			KUNIT_EXPECT_NULL_MSG(test, why, "switch %u, prev's stack page %u: %s",
					      i, page, why);
		}
		prev = order[i];
	}
}

/* Parse KMODULES as a reader would: complete "name: X, base: ADDR" lines. */
static int bt_modules(struct bite_test *t, char names[][16], unsigned long *bases, int max)
{
	const char *text = t->bite.modules;
	size_t size = t->bite.modules_region.size;
	size_t off = 0;
	int n = 0;

	while (off < size) {
		const char *line = text + off;
		const char *end = memchr(line, '\n', size - off);
		char name[64];
		unsigned long base;

		if (!end)
			return -1;	/* a line with no end */
		if (sscanf(line, "name: %63[^,], base: %lx", name, &base) == 2 && n < max) {
			strscpy(names[n], name, 16);
			bases[n++] = base;
		}
		off = end + 1 - text;
	}
	return n;
}

static void kmodules_lines(struct kunit *test)
{
	struct bite_test *t = test->priv;
	static const struct module *mods[3] = {
		(void *)0x1000, (void *)0x2000, (void *)0x3000 };
	struct qcom_minidump_bite *b = &t->bite;
	unsigned long *bases;
	char (*names)[16];
	unsigned int i;

	bases = kunit_kcalloc(test, QCOM_MINIDUMP_MODULE_LINES + 1, sizeof(*bases), GFP_KERNEL);
	names = kunit_kcalloc(test, QCOM_MINIDUMP_MODULE_LINES + 1, sizeof(*names), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bases);
	KUNIT_ASSERT_NOT_NULL(test, names);
	bt_setup(t);
	KUNIT_EXPECT_EQ(test, bt_modules(t, names, bases, 4), 0);
	KUNIT_EXPECT_EQ(test, b->modules_region.size % QCOM_MINIDUMP_MODULE_LINE, 0);

	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_module_event(b, true, "alpha",
							      (void *)0xffff800080001000UL,
							      mods[0]), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_module_event(b, true, "beta",
							      (void *)0xffff800080202000UL,
							      mods[1]), 0);
	/* Added again: the line is there already, not twice. */
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_module_event(b, true, "beta",
							      (void *)0xffff800080202000UL,
							      mods[1]), 0);
	KUNIT_ASSERT_EQ(test, bt_modules(t, names, bases, 4), 2);
	KUNIT_EXPECT_STREQ(test, names[0], "alpha");
	KUNIT_EXPECT_EQ(test, bases[0], 0xffff800080001000UL);
	KUNIT_EXPECT_STREQ(test, names[1], "beta");
	KUNIT_EXPECT_EQ(test, bases[1], 0xffff800080202000UL);

	/* alpha goes; gamma takes its line; beta never moves. */
	qcom_minidump_bite_module_event(b, false, "alpha", NULL, mods[0]);
	KUNIT_ASSERT_EQ(test, bt_modules(t, names, bases, 4), 1);
	KUNIT_EXPECT_STREQ(test, names[0], "beta");
	qcom_minidump_bite_module_event(b, true, "gamma",
					(void *)0xffff800080303000UL, mods[2]);
	KUNIT_ASSERT_EQ(test, bt_modules(t, names, bases, 4), 2);
	KUNIT_EXPECT_STREQ(test, names[0], "gamma");
	KUNIT_EXPECT_STREQ(test, names[1], "beta");
	/* A module that goes without a line changes nothing. */
	qcom_minidump_bite_module_event(b, false, "alpha", NULL, mods[0]);
	KUNIT_EXPECT_EQ(test, bt_modules(t, names, bases, 4), 2);

	/* Full: one line each, then -ENOSPC and the others kept. */
	for (i = 2; i < QCOM_MINIDUMP_MODULE_LINES; i++)
		KUNIT_ASSERT_EQ(test, qcom_minidump_bite_module_event(b, true, "m",
								      (void *)(0x10000UL * i),
								      (void *)(0x10000UL * i)),
				0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_module_event(b, true, "late",
							      (void *)0x1, (void *)0x1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, bt_modules(t, names, bases, QCOM_MINIDUMP_MODULE_LINES + 1),
			QCOM_MINIDUMP_MODULE_LINES);
}

/* Setting up twice, or for no CPU, is refused and changes nothing. */
static void setup_refusals(struct kunit *test)
{
	struct bite_test *t = test->priv;
	struct qcom_minidump_bite other = { };
	int n;

	bt_setup(t);
	n = qcom_minidump_toc_kunit_read(&t->model);
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_setup(&t->bite, t->md, bt_cpus()), -EBUSY);
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_setup(&other, t->md, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_setup(&other, t->md, nr_cpu_ids + 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), n);
	KUNIT_EXPECT_PTR_EQ(test, other.md, NULL);
	/* Torn down, it sets up again. */
	qcom_minidump_bite_teardown(&t->bite);
	KUNIT_EXPECT_LT(test, qcom_minidump_toc_kunit_read(&t->model), n);
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_setup(&t->bite, t->md, bt_cpus()), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), n);
}

/* Every allocation failing in turn: -ENOMEM and nothing left registered. */
static void setup_alloc_failures(struct kunit *test)
{
	struct bite_test *t = test->priv;
	int base, fail, total;

	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(t->md, &t->backend), 0);
	base = qcom_minidump_toc_kunit_read(&t->model);
	/* How many there are: a setup that succeeds. */
	t->allocs = 0;
	KUNIT_ASSERT_EQ(test, qcom_minidump_bite_setup(&t->bite, t->md, bt_cpus()), 0);
	total = t->allocs;
	KUNIT_EXPECT_GT(test, qcom_minidump_toc_kunit_read(&t->model), base);
	qcom_minidump_bite_teardown(&t->bite);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), base);
	KUNIT_ASSERT_EQ(test, total, bt_cpus() + 2);

	for (fail = 0; fail < total; fail++) {
		t->allocs = 0;
		t->alloc_fail_at = fail;
		KUNIT_EXPECT_EQ_MSG(test, qcom_minidump_bite_setup(&t->bite, t->md, bt_cpus()),
				    -ENOMEM, "allocation %d failing", fail);
		KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), base);
		KUNIT_EXPECT_PTR_EQ(test, t->bite.md, NULL);
	}
	/* And it still works afterwards. */
	t->alloc_fail_at = -1;
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_setup(&t->bite, t->md, bt_cpus()), 0);
	qcom_minidump_bite_teardown(&t->bite);
}

/* A full table: setup fails with the core's error and leaves nothing. */
static void setup_table_full(struct kunit *test)
{
	struct bite_test *t = test->priv;
	int base;

	t->backend.max_regions = 12;
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(t->md, &t->backend), 0);
	base = qcom_minidump_toc_kunit_read(&t->model);
	KUNIT_EXPECT_EQ(test, qcom_minidump_bite_setup(&t->bite, t->md, bt_cpus()), -ENOSPC);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), base);
	KUNIT_EXPECT_PTR_EQ(test, t->bite.md, NULL);
}

/* ---- the benchmark ---- */

#define BENCH_THREADS	3
#define BENCH_ROUNDS	2000
#define BENCH_RUNS	5

struct bench_ring {
	struct completion go[BENCH_THREADS];
	struct completion done[BENCH_THREADS];
};

struct bench_thread {
	struct bench_ring *ring;
	unsigned int i;
};

/* Each thread waits for its turn and passes it on: one switch a turn. */
static int bench_fn(void *data)
{
	struct bench_thread *bt = data;
	struct bench_ring *ring = bt->ring;
	unsigned int r;

	for (r = 0; r < BENCH_ROUNDS; r++) {
		wait_for_completion(&ring->go[bt->i]);
		complete(&ring->go[(bt->i + 1) % BENCH_THREADS]);
	}
	complete(&ring->done[bt->i]);
	return 0;
}

/* ns a turn, for BENCH_THREADS threads on @cpu passing turns in a ring. */
static u64 bench_run(struct kunit *test, unsigned int cpu)
{
	struct bench_thread bt[BENCH_THREADS];
	struct bench_ring ring;
	struct task_struct *task;
	unsigned int i;
	u64 start;

	for (i = 0; i < BENCH_THREADS; i++) {
		init_completion(&ring.go[i]);
		init_completion(&ring.done[i]);
	}
	for (i = 0; i < BENCH_THREADS; i++) {
		bt[i].ring = &ring;
		bt[i].i = i;
		task = kthread_create(bench_fn, &bt[i], "md_bench/%u", i);
		if (IS_ERR(task))
			return 0;
		kthread_bind(task, cpu);
		wake_up_process(task);
	}
	start = ktime_get_ns();
	complete(&ring.go[0]);
	for (i = 0; i < BENCH_THREADS; i++)
		wait_for_completion(&ring.done[i]);
	return div_u64(ktime_get_ns() - start, BENCH_THREADS * BENCH_ROUNDS);
}

/*
 * The cost the live stacks add to a context switch: three kthreads pinned
 * on one CPU pass a turn around (each turn a switch to a task that no bank
 * of the CPU holds: the probe's most expensive path), without any probe
 * and with the client's probe on a published table; best of several runs
 * each. A benchmark: it reports, it does not fail for being slow.
 */
static void live_stacks_bench(struct kunit *test)
{
	struct bite_test *t = test->priv;
	struct qcom_minidump_bite *kernel = qcom_minidump_bite_kernel();
	bool kernel_live = kernel->live;
	u64 without = U64_MAX, with = U64_MAX, ns, ratio;
	unsigned int run, cpu = raw_smp_processor_id();

	if (!IS_ENABLED(CONFIG_QCOM_MINIDUMP_LIVE_STACKS))
		kunit_skip(test, "CONFIG_QCOM_MINIDUMP_LIVE_STACKS is off");
	bt_setup(t);
	/* "Without" is without any probe: the kernel's own stops meanwhile. */
	qcom_minidump_bite_live_stop(kernel);
	for (run = 0; run < BENCH_RUNS; run++) {
		ns = bench_run(test, cpu);
		KUNIT_ASSERT_NE(test, ns, 0);
		without = min(without, ns);
		KUNIT_ASSERT_EQ(test, qcom_minidump_bite_live_start(&t->bite), 0);
		ns = bench_run(test, cpu);
		qcom_minidump_bite_live_stop(&t->bite);
		KUNIT_ASSERT_NE(test, ns, 0);
		with = min(with, ns);
	}
	if (kernel_live)
		KUNIT_EXPECT_EQ(test, qcom_minidump_bite_live_start(kernel), 0);
	ratio = div64_u64(with * 100 + without / 2, without);
	kunit_info(test, "bench: context switch without: %llu ns, with live stacks: %llu ns, ratio %llu.%02llu\n",
		   without, with, ratio / 100, ratio % 100);
}

static struct kunit_case qcom_minidump_bite_cases[] = {
	KUNIT_CASE(cpu_ctx_and_memdump_table),
	KUNIT_CASE(live_stacks_every_store),
	KUNIT_CASE(live_stacks_two_tasks_no_store),
	KUNIT_CASE(live_stacks_without_backend),
	KUNIT_CASE(live_stacks_follow_crash_copy),
	KUNIT_CASE(live_stacks_page_tables),
	KUNIT_CASE(kmodules_lines),
	KUNIT_CASE(setup_refusals),
	KUNIT_CASE(setup_alloc_failures),
	KUNIT_CASE(setup_table_full),
	KUNIT_CASE_SLOW(live_stacks_bench),
	{}
};

static struct kunit_suite qcom_minidump_bite_suite = {
	.name = "qcom_minidump_bite",
	.init = bite_test_init,
	.test_cases = qcom_minidump_bite_cases,
};

kunit_test_suite(qcom_minidump_bite_suite);

MODULE_DESCRIPTION("KUnit tests for the Qualcomm minidump bite client");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_IMPORT_NS(QCOM_MINIDUMP);

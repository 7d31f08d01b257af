// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite qcom_minidump_crash: the crash client.
 *
 * The core's crash calls are replaced by static stubs that record what the
 * client adds, so that the client runs its real panic notifier here
 * without taking the kernel's core for the crash path.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/elf.h>
#include <linux/elfcore.h>
#include <linux/kallsyms.h>
#include <linux/kdebug.h>
#include <linux/kmsg_dump.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include <asm/stacktrace.h>

#include "qcom_minidump_crash.h"
#include "qcom_minidump_internal.h"

#define ADDS_MAX	64

struct crash_add {
	char name[QCOM_MINIDUMP_NAME_MAX + 1];
	unsigned long virt;
	phys_addr_t phys;	/* where firmware reads it */
	phys_addr_t at;		/* where the ELF header puts it */
	size_t size;
};

/* What the stubs saw, for the running test. */
struct crash_rec {
	int begin_ret;
	unsigned int nr;
	struct crash_add adds[ADDS_MAX];
	void *notes;
	size_t note_room;
	size_t note_len;
	unsigned long module_addr;
};

static struct crash_rec *rec(void)
{
	return kunit_get_current_test()->priv;
}

static int stub_begin(void)
{
	return rec()->begin_ret;
}

static int stub_region_add(const char *name, void *virt_addr, phys_addr_t phys_addr,
			   size_t size)
{
	struct crash_rec *r = rec();
	struct crash_add *a;

	if (r->nr == ADDS_MAX)
		return -ENOSPC;
	a = &r->adds[r->nr++];
	strscpy(a->name, name, sizeof(a->name));
	a->virt = (unsigned long)virt_addr;
	a->phys = phys_addr;
	a->at = phys_addr;
	a->size = size;
	return 0;
}

static int stub_copy_add(const char *name, void *virt_addr, phys_addr_t phys_addr,
			 phys_addr_t at, size_t size)
{
	int ret = stub_region_add(name, virt_addr, phys_addr, size);

	if (!ret)
		rec()->adds[rec()->nr - 1].at = at;
	return ret;
}

static void *stub_note_room(size_t *room)
{
	*room = rec()->note_room;
	return rec()->notes;
}

static int stub_note_add(size_t len)
{
	rec()->note_len = len;
	return 0;
}

static int crash_test_init(struct kunit *test)
{
	struct crash_rec *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->note_room = md_crash_note_room(nr_cpu_ids);
	r->notes = kunit_kzalloc(test, r->note_room, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->notes);
	test->priv = r;
	kunit_activate_static_stub(test, qcom_minidump_crash_begin, stub_begin);
	kunit_activate_static_stub(test, qcom_minidump_crash_region_add, stub_region_add);
	kunit_activate_static_stub(test, qcom_minidump_crash_copy_add, stub_copy_add);
	kunit_activate_static_stub(test, qcom_minidump_crash_note_room, stub_note_room);
	kunit_activate_static_stub(test, qcom_minidump_crash_note_add, stub_note_add);
	return 0;
}

static const struct crash_add *find_add(struct crash_rec *r, const char *prefix)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++)
		if (strstarts(r->adds[i].name, prefix))
			return &r->adds[i];
	return NULL;
}

/* Is @addr in function @fn, by kallsyms? (What a module may call.) */
static bool in_function(unsigned long addr, void *fn)
{
	static char at[KSYM_SYMBOL_LEN], want[KSYM_SYMBOL_LEN];	/* one test at a time */

	sprint_symbol_no_offset(at, addr);
	sprint_symbol_no_offset(want, (unsigned long)fn);
	return !strcmp(at, want);
}

/*
 * How many bytes from @low on went in as copies, one run after the other,
 * each put back at the physical address of the memory it copies.
 */
static size_t stack_copied(struct kunit *test, struct crash_rec *r, unsigned long low)
{
	size_t bytes = 0;
	unsigned int i;

	for (i = 0; i < r->nr; i++) {
		const struct crash_add *a = &r->adds[i];
		unsigned long va = low + bytes;
		phys_addr_t own;

		if (a->virt != va || !strstarts(a->name, "STK"))
			continue;
		own = is_vmalloc_addr((void *)va) ?
		      page_to_phys(vmalloc_to_page((void *)va)) + offset_in_page(va) :
		      virt_to_phys((void *)va);
		KUNIT_EXPECT_EQ_MSG(test, a->at, own, "%s", a->name);
		KUNIT_EXPECT_NE_MSG(test, a->phys, a->at, "%s: not a copy", a->name);
		bytes += a->size;
		i = -1;	/* the next run may come before this one */
	}
	return bytes;
}

/*
 * Read a word of the stack as the dump holds it: from the region that
 * covers @va. A region is read at its physical address, as firmware does.
 */
static bool dump_read(struct crash_rec *r, unsigned long va, unsigned long *val)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++) {
		const struct crash_add *a = &r->adds[i];

		if (va >= a->virt && va + sizeof(*val) <= a->virt + a->size) {
			*val = *(unsigned long *)(phys_to_virt(a->phys) + (va - a->virt));
			return true;
		}
	}
	return false;
}

static int sink;

/* Reuse the stack below the caller, as what panic runs next does. */
static noinline void clobber_stack(unsigned int depth)
{
	u8 junk[SZ_1K];

	memset(junk, 0xa5, sizeof(junk));
	OPTIMIZER_HIDE_VAR(junk[0]);
	if (depth)
		clobber_stack(depth - 1);
	WRITE_ONCE(sink, junk[0]);	/* no tail call, and the array is used */
}

static noinline int panic_inner(void)
{
	int ret = md_crash_panic(NULL, 0, "test");

	WRITE_ONCE(sink, ret);	/* no tail call: this frame must be there */
	return ret + 1;
}

static noinline int panic_outer(void)
{
	int ret = panic_inner();

	WRITE_ONCE(sink, ret);
	return ret + 1;
}

/* The first note of @type the crash path wrote, or NULL. */
static const struct elf_note *find_note(struct crash_rec *r, u32 type)
{
	const void *p = r->notes, *end = r->notes + r->note_len;

	while (p + sizeof(struct elf_note) <= end) {
		const struct elf_note *n = p;

		if (n->n_type == type)
			return n;
		p += sizeof(*n) + ALIGN(n->n_namesz, 4) + ALIGN(n->n_descsz, 4);
	}
	return NULL;
}

/*
 * The registers are the notifier's own, and the frames above them survive
 * what the panic runs next: after the notifier returned and its stack was
 * reused, the frame records in the dump still lead from the notifier to
 * its callers. Nothing here depends on who called it or on the compiler.
 */
static void panic_frames_outlive_the_notifier(struct kunit *test)
{
	struct crash_rec *r = rec();
	const struct elf_note *n = r->notes, *taskstruct;
	const struct elf_prstatus *prstatus;
	const struct pt_regs *regs;
	const struct crash_add *stk;
	unsigned long fp, lr, next;
	bool inner = false, outer = false;
	unsigned int depth;

	panic_outer();
	clobber_stack(3);

	KUNIT_ASSERT_GT(test, r->note_len, 0);
	KUNIT_ASSERT_EQ(test, n->n_type, NT_PRSTATUS);
	prstatus = (const void *)(n + 1) + ALIGN(n->n_namesz, 4);
	regs = (const struct pt_regs *)&prstatus->pr_reg;
	KUNIT_EXPECT_EQ(test, prstatus->common.pr_pid, raw_smp_processor_id() + 1);
	KUNIT_EXPECT_TRUE(test, in_function(regs->pc, md_crash_panic));
	/* The crashing task's address, as ELF readers and as crash read it. */
	taskstruct = find_note(r, NT_TASKSTRUCT);
	KUNIT_ASSERT_NOT_NULL(test, taskstruct);
	KUNIT_EXPECT_EQ(test, taskstruct->n_descsz, 8);
	KUNIT_EXPECT_STREQ(test, (const char *)(taskstruct + 1), "CORE");
	KUNIT_EXPECT_EQ(test, get_unaligned((const u64 *)((const void *)(taskstruct + 1) +
							ALIGN(taskstruct->n_namesz, 4))),
			(u64)(unsigned long)current);
	KUNIT_EXPECT_EQ(test, get_unaligned((const u64 *)((const void *)(taskstruct + 1) +
							taskstruct->n_namesz)),
			(u64)(unsigned long)current);

	/*
	 * The stack in use went in as a copy, at its own virtual address, in
	 * runs of physically contiguous pages: firmware reads the copy, the
	 * ELF header puts each run at the stack pages' own physical address.
	 */
	stk = find_add(r, "STK");
	KUNIT_ASSERT_NOT_NULL(test, stk);
	KUNIT_EXPECT_EQ(test, stk->virt, (unsigned long)task_stack_page(current));
	KUNIT_EXPECT_EQ(test, stack_copied(test, r, stk->virt), THREAD_SIZE);
	KUNIT_EXPECT_TRUE(test, find_add(r, "TASK") && find_add(r, "PC"));
	/* crash reads a vmalloc'ed stack through the page tables. */
	if (is_vmalloc_addr((void *)stk->virt))
		KUNIT_EXPECT_NOT_NULL(test, find_add(r, "PGT"));

	/* Unwind by the frame records, from the dump alone. */
	fp = regs->regs[29];
	for (depth = 0; depth < 16 && !outer; depth++) {
		if (!dump_read(r, fp, &next) || !dump_read(r, fp + 8, &lr))
			break;
		lr = ptrauth_strip_kernel_insn_pac(lr);
		inner |= in_function(lr, panic_inner);
		outer |= in_function(lr, panic_outer);
		if (next <= fp)
			break;
		fp = next;
	}
	KUNIT_EXPECT_TRUE_MSG(test, inner, "panic_inner() not reached from the notifier's frame");
	KUNIT_EXPECT_TRUE_MSG(test, outer, "panic_outer() not reached from the notifier's frame");
}

/* The registers of an oops on this CPU, for the panic that follows. */
static void oops_regs_taken_once(struct kunit *test)
{
	struct pt_regs fault = { .pc = 0xffff800080001234, .sp = 0xffff800080004000,
				 .pstate = PSR_MODE_EL1h };
	struct die_args args = { .regs = &fault, .str = "test" };
	struct pt_regs got;

	migrate_disable();
	md_crash_die(NULL, DIE_OOPS, &args);
	KUNIT_EXPECT_TRUE(test, md_crash_oops_take(&got));
	KUNIT_EXPECT_EQ(test, got.pc, fault.pc);
	KUNIT_EXPECT_EQ(test, got.sp, fault.sp);
	/* Taken: a later panic on this CPU gets its own registers. */
	KUNIT_EXPECT_FALSE(test, md_crash_oops_take(&got));

	/* Only an oops counts, and only one in the kernel. */
	md_crash_die(NULL, DIE_UNUSED, &args);
	KUNIT_EXPECT_FALSE(test, md_crash_oops_take(&got));
	fault.pstate = PSR_MODE_EL0t;
	md_crash_die(NULL, DIE_OOPS, &args);
	KUNIT_EXPECT_FALSE(test, md_crash_oops_take(&got));
	migrate_enable();
}

/*
 * A task that oopsed without a panic died; a new task may get its
 * task_struct. Its panic must not show the old oops's registers.
 */
static void oops_regs_not_for_a_reused_task(struct kunit *test)
{
	struct task_struct *task = kunit_kzalloc(test, sizeof(*task), GFP_KERNEL);
	struct md_crash_oops oops = { };

	KUNIT_ASSERT_NOT_NULL(test, task);
	task->start_time = 1000;
	oops.task = task;
	oops.start_time = task->start_time;
	KUNIT_EXPECT_TRUE(test, md_crash_oops_matches(&oops, task));
	task->start_time = 2000;	/* freed, and forked again at the same address */
	KUNIT_EXPECT_FALSE(test, md_crash_oops_matches(&oops, task));
	KUNIT_EXPECT_FALSE(test, md_crash_oops_matches(&oops, current));
}

/* With the panic that follows an oops, the registers are the fault's. */
static void panic_after_oops_shows_the_fault(struct kunit *test)
{
	struct crash_rec *r = rec();
	struct pt_regs fault = { .sp = current_stack_pointer, .pstate = PSR_MODE_EL1h };
	struct die_args args = { .regs = &fault, .str = "test" };
	const struct elf_note *n = r->notes;
	const struct elf_prstatus *prstatus;

	fault.pc = (unsigned long)panic_inner + 8;
	migrate_disable();
	md_crash_die(NULL, DIE_OOPS, &args);
	md_crash_panic(NULL, 0, "test");
	migrate_enable();
	KUNIT_ASSERT_GT(test, r->note_len, 0);
	prstatus = (const void *)(n + 1) + ALIGN(n->n_namesz, 4);
	KUNIT_EXPECT_EQ(test, ((const struct pt_regs *)&prstatus->pr_reg)->pc, fault.pc);
}

static const unsigned long code_a = 0x100, code_b = 0x800;

/*
 * Mutual recursion repeats return addresses (A, B, A, B): the code around
 * each goes in once, and no two regions start at one address, the core's
 * own rule for collectors.
 */
static void code_windows_once_each(struct kunit *test)
{
	struct crash_rec *r = rec();
	unsigned long base = (unsigned long)panic_outer & PAGE_MASK;
	unsigned long pc[] = { base + code_a, base + code_b, base + code_a, base + code_b,
			       base + code_a + 8, base + code_b - 12 };
	size_t bytes = 0, sum = 0;
	unsigned int i, j, added;

	added = md_crash_add_code_at(0, pc, ARRAY_SIZE(pc), &bytes);
	KUNIT_EXPECT_EQ(test, added, r->nr);
	for (i = 0; i < r->nr; i++) {
		sum += r->adds[i].size;
		for (j = 0; j < i; j++) {
			const struct crash_add *a = &r->adds[i], *b = &r->adds[j];

			KUNIT_EXPECT_TRUE_MSG(test, a->virt >= b->virt + b->size ||
					      a->virt + a->size <= b->virt,
					      "%s overlaps %s", a->name, b->name);
		}
	}
	KUNIT_EXPECT_EQ(test, bytes, sum);
	/* A and B whole, then what A + 8 and B - 12 add beside them: 8 and 12 bytes. */
	KUNIT_EXPECT_EQ(test, sum, 32 + 32 + 8 + 12);
	KUNIT_EXPECT_EQ(test, r->adds[0].virt, base + code_a - 16);
	KUNIT_EXPECT_EQ(test, r->adds[1].virt, base + code_b - 16);
}

static bool stub_module_of(unsigned long addr, const char **name, unsigned long *text)
{
	if (addr != rec()->module_addr)
		return false;
	*name = "fake_mod";
	*text = addr & PAGE_MASK;
	return true;
}

/* The link register may carry a pointer-authentication code: stripped first. */
static void modtext_strips_pac_from_lr(struct kunit *test)
{
	struct crash_rec *r = rec();
	unsigned long lr = (unsigned long)panic_inner + 8;
	unsigned long addrs[] = { 0, lr & ~BIT_ULL(vabits_actual + 1) };
	char text[MD_CRASH_MODTEXT_MAX], want[64];

	if (ptrauth_strip_kernel_insn_pac(addrs[1]) != lr)
		kunit_skip(test, "no pointer authentication on this CPU");
	r->module_addr = lr;
	kunit_activate_static_stub(test, md_crash_module_of, stub_module_of);
	snprintf(want, sizeof(want), "MODULE_TEXT(fake_mod)=%lx\n", lr & PAGE_MASK);
	KUNIT_EXPECT_EQ(test, md_crash_modtext(text, sizeof(text), addrs, 2), strlen(want));
	KUNIT_EXPECT_STREQ(test, text, want);
}

/*
 * A module named by any frame is placed, not only by the pc (a module's
 * timer callback that panics is a frame below the notifier); one line a
 * module, however many frames name it.
 */
static void modtext_one_line_per_module(struct kunit *test)
{
	struct crash_rec *r = rec();
	char text[MD_CRASH_MODTEXT_MAX];
	unsigned long addrs[] = { 4, 8, 12, 0, 0, 16 };

	r->module_addr = (unsigned long)panic_inner;
	addrs[3] = r->module_addr;
	addrs[4] = r->module_addr;
	kunit_activate_static_stub(test, md_crash_module_of, stub_module_of);
	KUNIT_EXPECT_GT(test, md_crash_modtext(text, sizeof(text), addrs, ARRAY_SIZE(addrs)), 0);
	KUNIT_EXPECT_EQ(test, strchr(text, '\n') - text + 1, (long)strlen(text));
	KUNIT_EXPECT_EQ(test, md_crash_modtext(text, sizeof(text), addrs, 3), 0);
}

/* The newest whole lines of the log, after @marker. */
static bool logged_after(struct kunit *test, const char *marker, const char *what)
{
	struct kmsg_dump_iter iter;
	size_t len = 0;
	char *buf = kunit_kzalloc(test, SZ_4K, GFP_KERNEL);
	char *at;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	kmsg_dump_rewind(&iter);
	kmsg_dump_get_buffer(&iter, false, buf, SZ_4K - 1, &len);
	buf[len] = '\0';
	at = strstr(buf, marker);
	KUNIT_ASSERT_NOT_NULL(test, at);
	return strstr(at, what);
}

/*
 * Most boards have no backend: their panics go by without a word from
 * the client and without a write; so does a panic that stopped a CPU in
 * the middle of a change (the core says so, once).
 */
static void panic_without_backend_is_quiet(struct kunit *test)
{
	struct crash_rec *r = rec();
	static const int refusals[] = { -ENODEV, -EBUSY };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(refusals); i++) {
		r->begin_ret = refusals[i];
		pr_info("crash test: marker %d\n", refusals[i]);
		KUNIT_EXPECT_EQ(test, md_crash_panic(NULL, 0, "test"), NOTIFY_DONE);
		KUNIT_EXPECT_EQ(test, r->nr, 0);
		KUNIT_EXPECT_EQ(test, r->note_len, 0);
		KUNIT_EXPECT_FALSE(test, logged_after(test, "crash test: marker", "qcom_minidump"));
		KUNIT_EXPECT_EQ(test, ((struct elf_note *)r->notes)->n_type, 0);
	}
}

/* Room for the notes of every CPU arm64 may have: a cap of 64 KiB held ~158. */
static void note_room_for_every_cpu(struct kunit *test)
{
	struct qcom_minidump *md = qcom_minidump_core_alloc(false);

	KUNIT_ASSERT_NOT_NULL(test, md);
	/* 512: arm64's default for the most CPUs a kernel boots with. */
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_reserve(md, QCOM_MINIDUMP_CRASH_ENTRIES,
							       md_crash_note_room(512)), 0);
	qcom_minidump_core_free(md);
	KUNIT_EXPECT_GT(test, md_crash_note_room(2), md_crash_note_room(1));
}

static struct kunit_case qcom_minidump_crash_cases[] = {
	KUNIT_CASE(panic_frames_outlive_the_notifier),
	KUNIT_CASE(panic_after_oops_shows_the_fault),
	KUNIT_CASE(oops_regs_taken_once),
	KUNIT_CASE(oops_regs_not_for_a_reused_task),
	KUNIT_CASE(code_windows_once_each),
	KUNIT_CASE(modtext_strips_pac_from_lr),
	KUNIT_CASE(modtext_one_line_per_module),
	KUNIT_CASE(panic_without_backend_is_quiet),
	KUNIT_CASE(note_room_for_every_cpu),
	{}
};

static struct kunit_suite qcom_minidump_crash_suite = {
	.name = "qcom_minidump_crash",
	.init = crash_test_init,
	.test_cases = qcom_minidump_crash_cases,
};

kunit_test_suite(qcom_minidump_crash_suite);

MODULE_DESCRIPTION("KUnit tests for the Qualcomm minidump crash client");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

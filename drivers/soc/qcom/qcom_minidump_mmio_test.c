// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the Qualcomm minidump MMIO backend.
 *
 * The hypervisor's register block is a fake one in kernel memory. The
 * model of the firmware reader that every backend's suite shares
 * (qcom_minidump_toc_kunit.c) reads the registers and the region array
 * without the backend's helpers; static stubs on the table's two store
 * helpers (entries, registers) run that reader after every single store.
 * The last cases go through the core with both real backends.
 */

#include <kunit/device.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <soc/qcom/qcom_minidump.h>
#include <soc/qcom/qcom_minidump_mmio.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"
#include "qcom_minidump_mmio_internal.h"
#include "qcom_minidump_smem_internal.h"
#include "qcom_minidump_table.h"
#include "qcom_minidump_toc_kunit.h"

struct ss_record;

struct mmio_test {
	struct kunit *test;
	struct device *dev;
	struct qcom_minidump_mmio *mdm;
	struct qcom_minidump_backend *backend;
	struct qcom_minidump_toc_model model;
	/* Exactly the block's size, so that KASAN sees a store past it. */
	u8 *regs;
	struct ss_record *rec;
};

static u32 reg_get(const u8 *regs, unsigned int off)
{
	return le32_to_cpu(READ_ONCE(*(const __le32 *)(regs + off)));
}

static void reg_set(u8 *regs, unsigned int off, u32 val)
{
	WRITE_ONCE(*(__le32 *)(regs + off), cpu_to_le32(val));
}

/* Where the reader finds the APSS slot: in the fake registers. */
static void mmio_read_ss(struct qcom_minidump_toc_model *model, struct qcom_minidump_toc_view *v)
{
	struct mmio_test *t = container_of(model, struct mmio_test, model);

	v->toc_status = reg_get(t->regs, QCOM_MINIDUMP_MMIO_TOC_INIT);
	v->status = reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_STATUS);
	v->enabled = reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED);
	v->encryption_status = reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENCR_STATUS);
	v->region_count = reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT);
	v->regions_base = (u64)reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_HI) << 32 |
			  reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_LO);
}

/* The store hooks: do the store, then look at the table as firmware would. */
static void entry_store_and_check(void *dst, u64 val, unsigned int size)
{
	struct mmio_test *t = kunit_get_current_test()->priv;

	if (size == sizeof(u64))
		WRITE_ONCE(*(u64 *)dst, val);
	else
		WRITE_ONCE(*(u32 *)dst, (u32)val);
	qcom_minidump_toc_kunit_check(&t->model);
}

/* The 64-bit base takes two register stores: check after each. */
static void reg_store_and_check(struct qcom_minidump_table *table,
				enum qcom_minidump_ss_field field, u64 val)
{
	struct mmio_test *t = kunit_get_current_test()->priv;

	if (field == QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE) {
		reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_LO, lower_32_bits(val));
		qcom_minidump_toc_kunit_check(&t->model);
		reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_HI, upper_32_bits(val));
	} else {
		table->write_ss(table, field, val);
	}
	qcom_minidump_toc_kunit_check(&t->model);
}

static u8 *fake_regs_alloc(struct kunit *test)
{
	u8 *regs = kunit_kzalloc(test, QCOM_MINIDUMP_MMIO_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, regs);
	reg_set(regs, QCOM_MINIDUMP_MMIO_TOC_INIT, 1);
	reg_set(regs, QCOM_MINIDUMP_MMIO_TOC_REVISION, 2);
	reg_set(regs, QCOM_MINIDUMP_MMIO_TOC_ENABLED, QCOM_MINIDUMP_SS_ENABLED);
	return regs;
}

static int setup_with(struct kunit *test, u8 *regs, struct qcom_minidump_mmio **out)
{
	struct mmio_test *t = test->priv;
	struct qcom_minidump_mmio *mdm;

	mdm = kunit_kzalloc(test, sizeof(*mdm), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mdm);
	*out = mdm;
	return qcom_minidump_mmio_setup(t->dev, mdm, (void __iomem __force *)regs);
}

static int mmio_test_init(struct kunit *test)
{
	struct mmio_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	t->test = test;
	t->dev = kunit_device_register(test, "qcom_minidump_mmio_test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->dev);
	t->regs = fake_regs_alloc(test);
	KUNIT_ASSERT_EQ(test, setup_with(test, t->regs, &t->mdm), 0);
	t->backend = &t->mdm->backend;
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_init(test, &t->model, t->backend,
							   mmio_read_ss), 0);
	return 0;
}

/* ---- probe-time checks ---- */

static void setup_not_initialised(struct kunit *test)
{
	u8 *regs = fake_regs_alloc(test);
	struct qcom_minidump_mmio *mdm;

	reg_set(regs, QCOM_MINIDUMP_MMIO_TOC_INIT, 0);
	KUNIT_EXPECT_EQ(test, setup_with(test, regs, &mdm), -ENODEV);
}

static void setup_revision_zero(struct kunit *test)
{
	u8 *regs = fake_regs_alloc(test);
	struct qcom_minidump_mmio *mdm;

	reg_set(regs, QCOM_MINIDUMP_MMIO_TOC_REVISION, 0);
	KUNIT_EXPECT_EQ(test, setup_with(test, regs, &mdm), -EINVAL);
}

static void setup_disabled(struct kunit *test)
{
	u8 *regs = fake_regs_alloc(test);
	struct qcom_minidump_mmio *mdm;

	reg_set(regs, QCOM_MINIDUMP_MMIO_TOC_ENABLED, QCOM_MINIDUMP_SS_DISABLED);
	KUNIT_EXPECT_EQ(test, setup_with(test, regs, &mdm), -EPERM);
}

static void setup_limits(struct kunit *test)
{
	struct mmio_test *t = test->priv;

	KUNIT_EXPECT_STREQ(test, t->backend->name, "mmio");
	KUNIT_EXPECT_EQ(test, t->backend->max_regions, QCOM_MINIDUMP_MMIO_MAX_REGIONS);
	KUNIT_EXPECT_EQ(test, t->mdm->revision, 2);
	/* Setup only reads: nothing is published before table_init. */
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);
}

/* ---- the registers and the array ---- */

static void table_init_writes_registers(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	u64 base = virt_to_phys(t->mdm->table.regions);

	/* Left over from a previous kernel: the slot must be rewritten whole. */
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT, 77);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_HI, 0xdead);

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_LO), lower_32_bits(base));
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_HI), upper_32_bits(base));
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_STATUS), 1);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED),
			QCOM_MINIDUMP_SS_ENABLED);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENCR_STATUS),
			QCOM_MINIDUMP_SS_ENCR_DONE);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENCR_REQUIRED),
			QCOM_MINIDUMP_SS_ENCR_NONE);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT), 0);
	/* The global registers are the hypervisor's: untouched. */
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_TOC_INIT), 1);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_TOC_REVISION), 2);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_TOC_ENABLED),
			QCOM_MINIDUMP_SS_ENABLED);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);
}

static void table_exit_clears_registers(struct kunit *test)
{
	struct mmio_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_reg(&t->model, 0), 0);
	qcom_minidump_toc_kunit_unreg(&t->model, 0);
	t->backend->ops->table_exit(t->backend);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_STATUS), 0);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED),
			QCOM_MINIDUMP_SS_DISABLED);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_LO), 0);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_HI), 0);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);
}

/* What shutdown does: the slot goes off and stays off through later ops. */
static void disable_holds_through_ops(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	struct qcom_minidump_toc_model *m = &t->model;

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_reg(m, 0), 0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_reg(m, 1), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(m), 2);

	qcom_minidump_table_disable(&t->mdm->table);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED),
			QCOM_MINIDUMP_SS_DISABLED);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(m), 0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_reg(m, 2), 0);
	qcom_minidump_toc_kunit_unreg(m, 0);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED),
			QCOM_MINIDUMP_SS_DISABLED);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(m), 0);
}

static void entries_and_count(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	struct qcom_minidump_toc_model *m = &t->model;
	const struct qcom_minidump_toc_region *r = t->mdm->table.regions;
	char name[QCOM_MINIDUMP_TOC_NAME_SIZE] = "Klog";

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	/* Pool entries 0, 4 and 8 are all "Klog"; 1 is "Ktasks". */
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_reg(m, 0), 0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_reg(m, 1), 0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_reg(m, 4), 0);
	KUNIT_EXPECT_MEMEQ(test, r[0].name, name, sizeof(name));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[0].valid), QCOM_MINIDUMP_REGION_VALID);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r[0].address), m->pool[0].phys_addr);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r[0].size), m->pool[0].size);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[0].seq_num), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[2].seq_num), 1);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT), 3);

	/* A hole: nothing moves, the count stays; the hole is reused. */
	qcom_minidump_toc_kunit_unreg(m, 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[1].valid), QCOM_MINIDUMP_REGION_INVALID);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r[2].address), m->pool[4].phys_addr);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT), 3);
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_reg(m, 8), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r[1].address), m->pool[8].phys_addr);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[1].seq_num), 2);
	/* The last one goes: the count drops past it. */
	qcom_minidump_toc_kunit_unreg(m, 4);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT), 2);
	qcom_minidump_toc_kunit_expect_live(m);
}

static void table_full_and_long_names(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	struct qcom_minidump_entry long_name = {
		.name = "Kabcdefghijk", .phys_addr = SZ_1G, .size = 4,
	};
	unsigned int i;

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_EXPECT_EQ(test, t->backend->ops->region_register(t->backend, &long_name),
			-ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);
	for (i = 0; i < QCOM_MINIDUMP_MMIO_MAX_REGIONS; i++) {
		struct qcom_minidump_entry *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, e);
		snprintf(e->name, sizeof(e->name), "Kr%u", i);
		e->phys_addr = SZ_1G + i * SZ_4K;
		e->size = SZ_4K;
		KUNIT_ASSERT_EQ(test, t->backend->ops->region_register(t->backend, e), 0);
	}
	KUNIT_EXPECT_EQ(test, t->backend->ops->region_register(t->backend, &t->model.pool[0]),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT),
			QCOM_MINIDUMP_MMIO_MAX_REGIONS);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model),
			QCOM_MINIDUMP_MMIO_MAX_REGIONS);
}

static void random_sequences_match_reader(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	const u64 seed = 0x6d6d696fULL;

	kunit_info(test, "seed %#llx\n", seed);
	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	qcom_minidump_toc_kunit_random(&t->model, 1000, seed);
	qcom_minidump_toc_kunit_expect_live(&t->model);
}

static void crash_at_every_store(struct kunit *test)
{
	struct mmio_test *t = test->priv;

	kunit_activate_static_stub(test, qcom_minidump_table_store, entry_store_and_check);
	kunit_activate_static_stub(test, qcom_minidump_table_write_ss, reg_store_and_check);
	qcom_minidump_toc_kunit_store_sequence(&t->model);
	kunit_deactivate_static_stub(test, qcom_minidump_table_write_ss);
	kunit_deactivate_static_stub(test, qcom_minidump_table_store);

	kunit_info(test, "%lu stores intercepted, %lu inconsistent states\n", t->model.stores,
		   t->model.bad_states);
	KUNIT_EXPECT_GE(test, t->model.stores, 1000);
	KUNIT_EXPECT_EQ(test, t->model.bad_states, 0);
}

/*
 * A previous kernel (kexec) left its table in the slot, pointing at memory
 * this one reuses: from the first store of table_init on, firmware must
 * dump none of it. Only disabling the slot first gets this right.
 */
static void table_init_over_stale_slot(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	struct qcom_minidump_toc_region *old = kunit_kzalloc(test, sizeof(*old), GFP_KERNEL);
	u64 phys;

	KUNIT_ASSERT_NOT_NULL(test, old);
	strscpy(old->name, "Kold");
	old->valid = cpu_to_le32(QCOM_MINIDUMP_REGION_VALID);
	old->address = cpu_to_le64(SZ_1G);
	old->size = cpu_to_le64(SZ_4K);
	phys = virt_to_phys(old);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_STATUS, QCOM_MINIDUMP_SS_STATUS_READY);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED, QCOM_MINIDUMP_SS_ENABLED);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_ENCR_STATUS, QCOM_MINIDUMP_SS_ENCR_DONE);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT, 1);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_LO, lower_32_bits(phys));
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_HI, upper_32_bits(phys));
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 1);

	kunit_activate_static_stub(test, qcom_minidump_table_store, entry_store_and_check);
	kunit_activate_static_stub(test, qcom_minidump_table_write_ss, reg_store_and_check);
	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	kunit_deactivate_static_stub(test, qcom_minidump_table_write_ss);
	kunit_deactivate_static_stub(test, qcom_minidump_table_store);

	KUNIT_EXPECT_GE(test, t->model.stores, 7);
	KUNIT_EXPECT_EQ(test, t->model.bad_states, 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);
}

/*
 * The check must be able to fail: the same model, fed a writer that gets
 * the order wrong, says so at the first store that breaks the table.
 */
static void reader_catches_wrong_order(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	struct qcom_minidump_toc_region *r = &t->mdm->table.regions[0];
	struct qcom_minidump_toc_model *m = &t->model;
	const char *why = NULL;

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);

	/* Count first and valid next: firmware would dump an empty entry. */
	m->changing = 0;
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT, 1);
	KUNIT_EXPECT_TRUE(test, qcom_minidump_toc_kunit_whole(m, &why));
	WRITE_ONCE(r->valid, cpu_to_le32(QCOM_MINIDUMP_REGION_VALID));
	KUNIT_EXPECT_FALSE(test, qcom_minidump_toc_kunit_whole(m, &why));
	KUNIT_EXPECT_STREQ(test, why, "an entry that is no registered region (half written?)");

	/* The fields, then: whole again. */
	memcpy(r->name, m->pool[0].name, sizeof(m->pool[0].name));
	r->address = cpu_to_le64(m->pool[0].phys_addr);
	r->size = cpu_to_le64(m->pool[0].size);
	m->changing = -1;
	m->live[0] = true;
	m->nr_live = 1;
	qcom_minidump_toc_kunit_expect_live(m);

	/* A live entry that changes under firmware: caught too. */
	r->size = cpu_to_le64(m->pool[0].size + 4);
	KUNIT_EXPECT_FALSE(test, qcom_minidump_toc_kunit_whole(m, &why));
	KUNIT_EXPECT_STREQ(test, why, "an entry that is no registered region (half written?)");

	/* And a region_count beyond the array. */
	r->size = cpu_to_le64(m->pool[0].size);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT, QCOM_MINIDUMP_MMIO_MAX_REGIONS + 1);
	KUNIT_EXPECT_FALSE(test, qcom_minidump_toc_kunit_whole(m, &why));
	KUNIT_EXPECT_STREQ(test, why, "region_count beyond the table");
}

/* ---- through the core, with both real backends ---- */

/* Does the reader see a region of this name, and address and size if not 0? */
static bool reader_has(struct qcom_minidump_toc_model *m, int n, const char *name, u64 address,
		       u64 size)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(m->seen[i].name, name) && (!address || m->seen[i].address == address) &&
		    (!size || m->seen[i].size == size))
			return true;
	return false;
}

static void second_backend_waits_then_takes_over(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	struct qcom_minidump *md;
	struct qcom_minidump_toc *toc;
	struct qcom_minidump_smem *mds;
	struct qcom_minidump_region client = { .name = "client", .size = 64 };
	const size_t toc_size = sizeof(*toc) + 10 * sizeof(struct qcom_minidump_toc_subsystem);
	u32 *buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	int n;

	if (!IS_REACHABLE(CONFIG_QCOM_MINIDUMP_SMEM))
		kunit_skip(test, "the SMEM backend is not built in");

	md = qcom_minidump_toc_kunit_core(test);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	client.virt_addr = buf;
	client.phys_addr = virt_to_phys(buf);

	toc = kunit_kzalloc(test, toc_size, GFP_KERNEL);
	mds = kunit_kzalloc(test, sizeof(*mds), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, toc);
	KUNIT_ASSERT_NOT_NULL(test, mds);
	toc->status = cpu_to_le32(1);
	toc->md_revision = cpu_to_le32(1);
	toc->enabled = cpu_to_le32(QCOM_MINIDUMP_SS_ENABLED);
	KUNIT_ASSERT_EQ(test, qcom_minidump_smem_setup(t->dev, mds, toc, toc_size), 0);
	qcom_minidump_toc_kunit_release_backend(test, &mds->backend);
	qcom_minidump_toc_kunit_release_backend(test, t->backend);

	/* SMEM first, with a client; MMIO waits and writes nothing. */
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(md, &mds->backend), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_region_register(md, &client), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_backend_register(md, t->backend), 0);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);

	/* SMEM goes: MMIO takes over by itself, with the client and the core's own. */
	qcom_minidump_backend_unregister(&mds->backend);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(toc->subsystems[QCOM_MINIDUMP_SS_APSS].enabled),
			QCOM_MINIDUMP_SS_DISABLED);
	n = qcom_minidump_toc_kunit_read(&t->model);
	KUNIT_EXPECT_EQ(test, n, 4);
	KUNIT_EXPECT_TRUE(test, reader_has(&t->model, n, "Kclient", client.phys_addr, 64));
	KUNIT_EXPECT_TRUE(test, reader_has(&t->model, n, "KELF_HEADER", 0, 0));
	KUNIT_EXPECT_TRUE(test, reader_has(&t->model, n, "KVMCOREINFO", 0, 0));
	KUNIT_EXPECT_TRUE(test, reader_has(&t->model, n, "KBANNER", 0, 0));

	/* The other way round: SMEM waits while MMIO is there, then takes over. */
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_backend_register(md, &mds->backend), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(toc->subsystems[QCOM_MINIDUMP_SS_APSS].enabled),
			QCOM_MINIDUMP_SS_DISABLED);
	qcom_minidump_backend_unregister(t->backend);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(toc->subsystems[QCOM_MINIDUMP_SS_APSS].enabled),
			QCOM_MINIDUMP_SS_ENABLED);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(toc->subsystems[QCOM_MINIDUMP_SS_APSS].region_count),
			4);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_region_unregister(md, &client), 0);
	qcom_minidump_backend_unregister(&mds->backend);
}

/* ---- hibernation ---- */

/* Which fields of the slot a call stored, in order, and the enable words. */
struct ss_record {
	unsigned int n;
	enum qcom_minidump_ss_field field[16];
	u64 val[16];
};

static void ss_record_store(struct qcom_minidump_table *table,
			    enum qcom_minidump_ss_field field, u64 val)
{
	struct mmio_test *t = kunit_get_current_test()->priv;
	struct ss_record *rec = t->rec;

	if (rec->n < ARRAY_SIZE(rec->field)) {
		rec->field[rec->n] = field;
		rec->val[rec->n] = val;
	}
	rec->n++;
	table->write_ss(table, field, val);
}

/* The reader sees the same @n regions as in @before. */
static void expect_reader_sees(struct kunit *test, struct qcom_minidump_toc_model *m,
			       const struct qcom_minidump_toc_seen *before, int n)
{
	int i;

	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_read(m), n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_STREQ(test, m->seen[i].name, before[i].name);
		KUNIT_EXPECT_EQ(test, m->seen[i].address, before[i].address);
		KUNIT_EXPECT_EQ(test, m->seen[i].size, before[i].size);
	}
}

/*
 * Hibernation, as the hypervisor reads the registers at each step:
 * disabled from freeze on; after thaw, and after restore over what the
 * boot kernel left, this kernel's array with every region, enabled last.
 */
static void hibernation_registers_follow_the_image(struct kunit *test)
{
	struct mmio_test *t = test->priv;
	const struct dev_pm_ops *pm = &qcom_minidump_mmio_pm_ops;
	struct qcom_minidump_region client = { .name = "client", .size = 64 };
	struct qcom_minidump_toc_seen *before;
	struct qcom_minidump *md;
	u32 *buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	int n;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	t->rec = kunit_kzalloc(test, sizeof(*t->rec), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->rec);
	md = qcom_minidump_toc_kunit_core(test);
	qcom_minidump_toc_kunit_release_backend(test, t->backend);
	dev_set_drvdata(t->dev, t->mdm);

	/* Not registered: nothing to write, and nothing is. */
	KUNIT_EXPECT_EQ(test, pm->freeze(t->dev), 0);
	KUNIT_EXPECT_EQ(test, pm->restore(t->dev), 0);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED), 0);

	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(md, t->backend), 0);
	client.virt_addr = buf;
	client.phys_addr = virt_to_phys(buf);
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_region_register(md, &client), 0);
	n = qcom_minidump_toc_kunit_read(&t->model);
	KUNIT_ASSERT_EQ(test, n, 4);
	before = kunit_kmalloc_array(test, n, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, t->model.seen, n * sizeof(*before));

	/* The kernel that hibernates: disabled for the snapshot, back after it. */
	KUNIT_EXPECT_EQ(test, pm->freeze(t->dev), 0);
	KUNIT_EXPECT_EQ(test, reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_ENABLED),
			QCOM_MINIDUMP_SS_DISABLED);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);
	KUNIT_EXPECT_EQ(test, pm->thaw(t->dev), 0);
	expect_reader_sees(test, &t->model, before, n);
	KUNIT_EXPECT_EQ(test, pm->poweroff(t->dev), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);

	/* The boot kernel's array was in the registers; it disabled them at its freeze. */
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_LO, 0x1000);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_HI, 0);
	reg_set(t->regs, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT, 1);
	KUNIT_EXPECT_EQ(test, qcom_minidump_toc_kunit_read(&t->model), 0);

	/* The restored kernel: its own array, every field, enabled last. */
	kunit_activate_static_stub(test, qcom_minidump_table_write_ss, ss_record_store);
	KUNIT_EXPECT_EQ(test, pm->restore(t->dev), 0);
	kunit_deactivate_static_stub(test, qcom_minidump_table_write_ss);
	KUNIT_ASSERT_EQ(test, t->rec->n, 7);
	KUNIT_EXPECT_EQ(test, t->rec->field[0], QCOM_MINIDUMP_SS_FIELD_ENABLED);
	KUNIT_EXPECT_EQ(test, t->rec->val[0], QCOM_MINIDUMP_SS_DISABLED);
	KUNIT_EXPECT_EQ(test, t->rec->field[6], QCOM_MINIDUMP_SS_FIELD_ENABLED);
	KUNIT_EXPECT_EQ(test, t->rec->val[6], QCOM_MINIDUMP_SS_ENABLED);
	KUNIT_EXPECT_EQ(test, (u64)reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_HI) << 32 |
			reg_get(t->regs, QCOM_MINIDUMP_MMIO_SS_BASE_LO),
			t->mdm->table.regions_phys);
	expect_reader_sees(test, &t->model, before, n);

	KUNIT_EXPECT_EQ(test, qcom_minidump_core_region_unregister(md, &client), 0);
	qcom_minidump_backend_unregister(t->backend);
}

static struct kunit_case qcom_minidump_mmio_test_cases[] = {
	KUNIT_CASE(setup_not_initialised),
	KUNIT_CASE(setup_revision_zero),
	KUNIT_CASE(setup_disabled),
	KUNIT_CASE(setup_limits),
	KUNIT_CASE(table_init_writes_registers),
	KUNIT_CASE(table_exit_clears_registers),
	KUNIT_CASE(disable_holds_through_ops),
	KUNIT_CASE(entries_and_count),
	KUNIT_CASE(table_full_and_long_names),
	KUNIT_CASE(random_sequences_match_reader),
	KUNIT_CASE(crash_at_every_store),
	KUNIT_CASE(table_init_over_stale_slot),
	KUNIT_CASE(reader_catches_wrong_order),
	KUNIT_CASE(second_backend_waits_then_takes_over),
	KUNIT_CASE(hibernation_registers_follow_the_image),
	{}
};

static struct kunit_suite qcom_minidump_mmio_test_suite = {
	.name = "qcom_minidump_mmio",
	.init = mmio_test_init,
	.test_cases = qcom_minidump_mmio_test_cases,
};

kunit_test_suite(qcom_minidump_mmio_test_suite);

MODULE_DESCRIPTION("KUnit tests for the Qualcomm minidump MMIO backend");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QCOM_MINIDUMP);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

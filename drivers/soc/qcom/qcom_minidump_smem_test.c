// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the Qualcomm minidump SMEM backend.
 *
 * The table of contents is a fake one in kernel memory. The model of the
 * firmware reader that every backend's suite shares
 * (qcom_minidump_toc_kunit.c) reads it without the backend's helpers; a
 * static stub on the backend's one store helper runs that reader after
 * every single store, as if the CPU had stopped there.
 */

#include <kunit/device.h>
#include <kunit/platform_device.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"
#include "qcom_minidump_smem_internal.h"
#include "qcom_minidump_toc_kunit.h"

#define NR_SS		10
#define TOC_SIZE	(sizeof(struct qcom_minidump_toc) + \
			 NR_SS * sizeof(struct qcom_minidump_toc_subsystem))

struct smem_test {
	struct kunit *test;
	struct device *dev;
	struct qcom_minidump_toc *toc;
	struct qcom_minidump_smem *mds;
	struct qcom_minidump_backend *backend;

	/* The reader and what it should see; its regions and what it saw. */
	struct qcom_minidump_toc_model model;
	struct qcom_minidump_entry *pool;
	struct qcom_minidump_toc_seen *seen;

	/* For store_record(): the first and the last store a call made. */
	unsigned int nr_recorded;
	void *first_store_dst;
	u64 first_store_val;
	void *last_store_dst;
	u64 last_store_val;
};

/* Where the reader finds the APSS slot: in the fake SMEM item. */
static void smem_read_ss(struct qcom_minidump_toc_model *model, struct qcom_minidump_toc_view *v)
{
	struct smem_test *t = container_of(model, struct smem_test, model);
	const struct qcom_minidump_toc_subsystem *ss = &t->toc->subsystems[QCOM_MINIDUMP_SS_APSS];

	v->toc_status = le32_to_cpu(READ_ONCE(t->toc->status));
	v->status = le32_to_cpu(READ_ONCE(ss->status));
	v->enabled = le32_to_cpu(READ_ONCE(ss->enabled));
	v->encryption_status = le32_to_cpu(READ_ONCE(ss->encryption_status));
	v->region_count = le32_to_cpu(READ_ONCE(ss->region_count));
	v->regions_base = le64_to_cpu(READ_ONCE(ss->regions_baseptr));
}

/* What firmware would dump, into t->seen; -1 for a table no reader trusts. */
static int read_as_firmware(struct smem_test *t)
{
	return qcom_minidump_toc_kunit_read(&t->model);
}

/* The store hook: do the store, then look at the table as firmware would. */
static void store_and_check(void *dst, u64 val, unsigned int size)
{
	struct smem_test *t = kunit_get_current_test()->priv;

	if (size == sizeof(u64))
		WRITE_ONCE(*(u64 *)dst, val);
	else
		WRITE_ONCE(*(u32 *)dst, (u32)val);
	qcom_minidump_toc_kunit_check(&t->model);
}

static struct qcom_minidump_toc *fake_toc_alloc(struct kunit *test, size_t size)
{
	struct qcom_minidump_toc *toc = kunit_kzalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, toc);
	if (size >= sizeof(*toc)) {
		toc->status = cpu_to_le32(1);
		toc->md_revision = cpu_to_le32(1);
		toc->enabled = cpu_to_le32(QCOM_MINIDUMP_SS_ENABLED);
	}
	return toc;
}

/* qcom_minidump_smem_setup() on a new backend, for the test's device. */
static int setup_with(struct kunit *test, struct qcom_minidump_toc *toc, size_t size,
		      struct qcom_minidump_smem **out)
{
	struct smem_test *t = test->priv;
	struct qcom_minidump_smem *mds;

	mds = kunit_kzalloc(test, sizeof(*mds), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mds);
	*out = mds;
	return qcom_minidump_smem_setup(t->dev, mds, toc, size);
}

static int smem_test_init(struct kunit *test)
{
	struct smem_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	test->priv = t;
	t->test = test;
	t->dev = kunit_device_register(test, "qcom_minidump_smem_test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t->dev);
	t->toc = fake_toc_alloc(test, TOC_SIZE);
	KUNIT_ASSERT_EQ(test, setup_with(test, t->toc, TOC_SIZE, &t->mds), 0);
	t->backend = &t->mds->backend;
	KUNIT_ASSERT_EQ(test, qcom_minidump_toc_kunit_init(test, &t->model, t->backend,
							   smem_read_ss), 0);
	t->pool = t->model.pool;
	t->seen = t->model.seen;
	return 0;
}

static int reg(struct smem_test *t, unsigned int p)
{
	return qcom_minidump_toc_kunit_reg(&t->model, p);
}

static void unreg(struct smem_test *t, unsigned int p)
{
	qcom_minidump_toc_kunit_unreg(&t->model, p);
}

static const struct qcom_minidump_toc_subsystem *apss(struct smem_test *t)
{
	return &t->toc->subsystems[QCOM_MINIDUMP_SS_APSS];
}

/* The reader sees exactly the live regions. */
static void expect_reader_sees_live(struct kunit *test, struct smem_test *t)
{
	qcom_minidump_toc_kunit_expect_live(&t->model);
}

/* ---- probe-time checks ---- */

static void setup_item_too_small(struct kunit *test)
{
	struct qcom_minidump_toc *toc = fake_toc_alloc(test, 8);
	struct qcom_minidump_smem *mds;

	KUNIT_EXPECT_EQ(test, setup_with(test, toc, 8, &mds), -EINVAL);
}

static void setup_status_zero(struct kunit *test)
{
	struct qcom_minidump_toc *toc = fake_toc_alloc(test, TOC_SIZE);
	struct qcom_minidump_smem *mds;

	toc->status = 0;
	KUNIT_EXPECT_EQ(test, setup_with(test, toc, TOC_SIZE, &mds), -ENODEV);
}

static void setup_revision_zero(struct kunit *test)
{
	struct qcom_minidump_toc *toc = fake_toc_alloc(test, TOC_SIZE);
	struct qcom_minidump_smem *mds;

	toc->md_revision = 0;
	KUNIT_EXPECT_EQ(test, setup_with(test, toc, TOC_SIZE, &mds), -EINVAL);
}

static void setup_subsystems_from_size(struct kunit *test)
{
	const size_t ss = sizeof(struct qcom_minidump_toc_subsystem);
	const size_t head = sizeof(struct qcom_minidump_toc);
	struct qcom_minidump_toc *toc;
	struct qcom_minidump_smem *mds;

	KUNIT_EXPECT_EQ(test, head, 16);
	KUNIT_EXPECT_EQ(test, ss, 32);
	KUNIT_EXPECT_EQ(test, sizeof(struct qcom_minidump_toc_region), 40);

	toc = fake_toc_alloc(test, head + 20 * ss);
	KUNIT_ASSERT_EQ(test, setup_with(test, toc, head + 20 * ss, &mds), 0);
	KUNIT_EXPECT_EQ(test, mds->nr_subsystems, 20);

	/* A part of a slot is no slot. */
	toc = fake_toc_alloc(test, head + 10 * ss + ss - 1);
	KUNIT_ASSERT_EQ(test, setup_with(test, toc, head + 10 * ss + ss - 1, &mds), 0);
	KUNIT_EXPECT_EQ(test, mds->nr_subsystems, 10);
}

static void setup_no_apss_slot(struct kunit *test)
{
	const size_t size = sizeof(struct qcom_minidump_toc) +
			    sizeof(struct qcom_minidump_toc_subsystem) - 1;
	struct qcom_minidump_toc *toc = fake_toc_alloc(test, size);
	struct qcom_minidump_smem *mds;

	KUNIT_EXPECT_EQ(test, setup_with(test, toc, size, &mds), -ERANGE);
}

/* ---- the table ---- */

static void table_init_fills_apss_slot(struct kunit *test)
{
	struct smem_test *t = test->priv;
	struct qcom_minidump_toc_subsystem before;

	/* Another subsystem's slot, which must stay as it is. */
	t->toc->subsystems[QCOM_MINIDUMP_SS_ADSP].status = cpu_to_le32(0xa5a5);
	before = t->toc->subsystems[QCOM_MINIDUMP_SS_ADSP];

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(apss(t)->regions_baseptr),
			virt_to_phys(t->mds->table.regions));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->status), 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->enabled), QCOM_MINIDUMP_SS_ENABLED);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->encryption_status),
			QCOM_MINIDUMP_SS_ENCR_DONE);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->encryption_required),
			QCOM_MINIDUMP_SS_ENCR_NONE);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), 0);
	KUNIT_EXPECT_MEMEQ(test, &before, &t->toc->subsystems[QCOM_MINIDUMP_SS_ADSP],
			   sizeof(before));
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);
}

static void table_exit_clears_apss_slot(struct kunit *test)
{
	struct smem_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 0), 0);
	unreg(t, 0);
	t->backend->ops->table_exit(t->backend);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->status), 0);
	KUNIT_EXPECT_NE(test, le32_to_cpu(apss(t)->enabled), QCOM_MINIDUMP_SS_ENABLED);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(apss(t)->regions_baseptr), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), 0);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);
}

static void entry_written_as_firmware_expects(struct kunit *test)
{
	struct smem_test *t = test->priv;
	const struct qcom_minidump_toc_region *r = &t->mds->table.regions[0];
	char name[QCOM_MINIDUMP_TOC_NAME_SIZE] = "Klog";

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 0), 0);
	KUNIT_EXPECT_MEMEQ(test, r->name, name, sizeof(name));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->seq_num), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->valid), QCOM_MINIDUMP_REGION_VALID);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->address), t->pool[0].phys_addr);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->size), t->pool[0].size);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), 1);
	unreg(t, 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->valid), QCOM_MINIDUMP_REGION_INVALID);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), 0);
}

/*
 * The crash path's entries are the last of the array, written as any
 * other, and region_count reaches them; a kept entry is used once.
 */
static void crash_entry_in_kept_slot(struct kunit *test)
{
	struct smem_test *t = test->priv;
	unsigned int max = t->backend->max_regions;
	const struct qcom_minidump_toc_region *r = &t->mds->table.regions[max - 1];

	t->backend->crash_entries = 2;
	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 0), 0);
	KUNIT_ASSERT_EQ(test, t->backend->ops->crash_region_register(t->backend, &t->pool[1], 1),
			0);
	KUNIT_EXPECT_EQ(test, t->pool[1].slot, max - 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->valid), QCOM_MINIDUMP_REGION_VALID);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->address), t->pool[1].phys_addr);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r->size), t->pool[1].size);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), max);
	KUNIT_EXPECT_EQ(test, t->backend->ops->crash_region_register(t->backend, &t->pool[2], 1),
			-ENOSPC);
	t->backend->ops->region_unregister(t->backend, &t->pool[1]);
	unreg(t, 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), 0);
	t->backend->crash_entries = 0;
}

static void equal_names_distinct_seq_num(struct kunit *test)
{
	struct smem_test *t = test->priv;
	const struct qcom_minidump_toc_region *r = t->mds->table.regions;

	/* Pool entries 0, 4, 8 and 12 are all "Klog". */
	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 0), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 4), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 8), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[0].seq_num), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[1].seq_num), 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[2].seq_num), 2);
	/* A freed seq_num is the next one handed out. */
	unreg(t, 4);
	KUNIT_ASSERT_EQ(test, reg(t, 12), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r[1].seq_num), 1);
	expect_reader_sees_live(test, t);
}

static void freed_entry_reused_nothing_moves(struct kunit *test)
{
	struct smem_test *t = test->priv;
	const struct qcom_minidump_toc_region *r = t->mds->table.regions;

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 1), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 2), 0);
	KUNIT_ASSERT_EQ(test, reg(t, 3), 0);
	unreg(t, 2);
	/* The entries around the hole stay where they were. */
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r[0].address), t->pool[1].phys_addr);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r[2].address), t->pool[3].phys_addr);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), 3);
	KUNIT_ASSERT_EQ(test, reg(t, 5), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(r[1].address), t->pool[5].phys_addr);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), 3);
	unreg(t, 3);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count), 2);
	expect_reader_sees_live(test, t);
}

static void table_full_changes_nothing(struct kunit *test)
{
	struct smem_test *t = test->priv;
	struct qcom_minidump_entry *extra;
	size_t bytes = QCOM_MINIDUMP_SMEM_MAX_REGIONS * sizeof(*t->mds->table.regions);
	void *before;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	for (i = 0; i < QCOM_MINIDUMP_SMEM_MAX_REGIONS; i++) {
		struct qcom_minidump_entry *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, e);
		snprintf(e->name, sizeof(e->name), "Kr%u", i);
		e->phys_addr = SZ_1G + i * SZ_4K;
		e->size = SZ_4K;
		KUNIT_ASSERT_EQ(test, t->backend->ops->region_register(t->backend, e), 0);
	}
	before = kunit_kmalloc(test, bytes, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, t->mds->table.regions, bytes);

	extra = &t->pool[0];
	KUNIT_EXPECT_EQ(test, t->backend->ops->region_register(t->backend, extra), -ENOSPC);
	KUNIT_EXPECT_MEMEQ(test, before, t->mds->table.regions, bytes);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->region_count),
			QCOM_MINIDUMP_SMEM_MAX_REGIONS);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), QCOM_MINIDUMP_SMEM_MAX_REGIONS);
}

static void name_too_long_refused(struct kunit *test)
{
	struct smem_test *t = test->priv;
	struct qcom_minidump_entry e = { .name = "Kabcdefghijk", .phys_addr = SZ_1G, .size = 4 };

	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	KUNIT_EXPECT_EQ(test, t->backend->ops->region_register(t->backend, &e), -ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);
}

static void random_sequences_match_reader(struct kunit *test)
{
	struct smem_test *t = test->priv;
	const u64 seed = 0x736d656dULL;

	kunit_info(test, "seed %#llx\n", seed);
	KUNIT_ASSERT_EQ(test, t->backend->ops->table_init(t->backend), 0);
	qcom_minidump_toc_kunit_random(&t->model, 1000, seed);
	expect_reader_sees_live(test, t);
}

static void crash_at_every_store(struct kunit *test)
{
	struct smem_test *t = test->priv;

	kunit_activate_static_stub(test, qcom_minidump_table_store, store_and_check);
	qcom_minidump_toc_kunit_store_sequence(&t->model);
	kunit_deactivate_static_stub(test, qcom_minidump_table_store);

	kunit_info(test, "%lu stores intercepted, %lu inconsistent states\n", t->model.stores,
		   t->model.bad_states);
	KUNIT_EXPECT_GE(test, t->model.stores, 1000);
	KUNIT_EXPECT_EQ(test, t->model.bad_states, 0);
}

/* Through a core of the test's own: its regions land in the table, and clients' too. */
static void core_regions_reach_the_table(struct kunit *test)
{
	struct smem_test *t = test->priv;
	struct qcom_minidump *md = qcom_minidump_toc_kunit_core(test);
	u32 *buf = kunit_kzalloc(test, 64, GFP_KERNEL);
	struct qcom_minidump_region client = { .name = "client", .size = 64 };
	bool elf = false, note = false, banner = false, found = false;
	int n, i;

	qcom_minidump_toc_kunit_release_backend(test, t->backend);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	client.virt_addr = buf;
	client.phys_addr = virt_to_phys(buf);
	/* Room for the core's three and one client. */
	t->backend->max_regions = 4;

	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(md, t->backend), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_region_register(md, &client), 0);
	client.size = 32;
	client.name[0] = 'd';
	client.virt_addr = buf + 8;
	client.phys_addr = virt_to_phys(client.virt_addr);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_region_register(md, &client), -ENOSPC);

	n = read_as_firmware(t);
	KUNIT_EXPECT_EQ(test, n, 4);
	for (i = 0; i < n; i++) {
		elf |= !strcmp(t->seen[i].name, "KELF_HEADER");
		note |= !strcmp(t->seen[i].name, "KVMCOREINFO");
		banner |= !strcmp(t->seen[i].name, "KBANNER");
		found |= !strcmp(t->seen[i].name, "Kclient") &&
			 t->seen[i].address == virt_to_phys(buf) && t->seen[i].size == 64;
	}
	KUNIT_EXPECT_TRUE(test, elf && note && banner && found);

	/* Unbind: the slot is cleared. Bind again: the client is back. */
	qcom_minidump_backend_unregister(t->backend);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(apss(t)->regions_baseptr), 0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(md, t->backend), 0);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 4);

	client.size = 64;
	client.name[0] = 'c';
	client.virt_addr = buf;
	client.phys_addr = virt_to_phys(buf);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_region_unregister(md, &client), 0);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 3);
	qcom_minidump_backend_unregister(t->backend);
}

/* ---- the driver: probe, remove and shutdown on a KUnit platform device ---- */

static void *stub_get_toc(size_t *size)
{
	struct smem_test *t = kunit_get_current_test()->priv;

	*size = TOC_SIZE;
	return t->toc;
}

static void *stub_get_no_item(size_t *size)
{
	return ERR_PTR(-ENOENT);
}

/* The real driver binds to a device of this name; skip if a backend is bound. */
static struct platform_device *smem_pdev_add(struct kunit *test)
{
	struct platform_device *pdev;

	if (qcom_minidump_core_has_backend(qcom_minidump_global_core()))
		kunit_skip(test, "a minidump backend is bound in this kernel");
	pdev = kunit_platform_device_alloc(test, "qcom-minidump-smem", PLATFORM_DEVID_AUTO);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	KUNIT_ASSERT_EQ(test, kunit_platform_device_add(test, pdev), 0);
	return pdev;
}

static void probe_and_remove(struct kunit *test)
{
	struct smem_test *t = test->priv;
	struct platform_device *pdev;
	const char *why = NULL;

	kunit_activate_static_stub(test, qcom_minidump_smem_get_toc, stub_get_toc);
	pdev = smem_pdev_add(test);
	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev->dev.driver, "the driver did not bind");

	/* Bound: the global core's regions are in the APSS slot, header first. */
	KUNIT_EXPECT_TRUE(test, qcom_minidump_core_has_backend(qcom_minidump_global_core()));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->enabled), QCOM_MINIDUMP_SS_ENABLED);
	KUNIT_ASSERT_GE(test, read_as_firmware(t), 3);
	KUNIT_EXPECT_STREQ(test, t->seen[0].name, "KELF_HEADER");

	device_release_driver(&pdev->dev);
	KUNIT_EXPECT_NULL(test, pdev->dev.driver);
	KUNIT_EXPECT_FALSE(test, qcom_minidump_core_has_backend(qcom_minidump_global_core()));
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(apss(t)->regions_baseptr), 0);
	KUNIT_EXPECT_TRUE_MSG(test, qcom_minidump_toc_kunit_whole(&t->model, &why), "%s", why);
}

/* A board whose firmware keeps no table: the driver stays unbound, quietly. */
static void probe_without_item(struct kunit *test)
{
	struct platform_device *pdev;

	kunit_activate_static_stub(test, qcom_minidump_smem_get_toc, stub_get_no_item);
	pdev = smem_pdev_add(test);
	KUNIT_EXPECT_NULL(test, pdev->dev.driver);
	KUNIT_EXPECT_FALSE(test, qcom_minidump_core_has_backend(qcom_minidump_global_core()));
}

static void store_record(void *dst, u64 val, unsigned int size)
{
	struct smem_test *t = kunit_get_current_test()->priv;

	if (!t->nr_recorded++) {
		t->first_store_dst = dst;
		t->first_store_val = val;
	}
	t->last_store_dst = dst;
	t->last_store_val = val;
	if (size == sizeof(u64))
		WRITE_ONCE(*(u64 *)dst, val);
	else
		WRITE_ONCE(*(u32 *)dst, (u32)val);
}

/* Before a kexec firmware must stop following the slot: disabling it comes first. */
static void shutdown_disables_slot_first(struct kunit *test)
{
	struct smem_test *t = test->priv;
	struct platform_device *pdev;
	struct platform_driver *drv;

	kunit_activate_static_stub(test, qcom_minidump_smem_get_toc, stub_get_toc);
	pdev = smem_pdev_add(test);
	KUNIT_ASSERT_NOT_NULL(test, pdev->dev.driver);
	drv = to_platform_driver(pdev->dev.driver);
	KUNIT_ASSERT_NOT_NULL(test, drv->shutdown);

	kunit_activate_static_stub(test, qcom_minidump_table_store, store_record);
	drv->shutdown(pdev);
	kunit_deactivate_static_stub(test, qcom_minidump_table_store);

	KUNIT_ASSERT_GE(test, t->nr_recorded, 1);
	KUNIT_EXPECT_PTR_EQ(test, t->first_store_dst, (void *)&apss(t)->enabled);
	KUNIT_EXPECT_EQ(test, t->first_store_val,
			(__force u32)cpu_to_le32(QCOM_MINIDUMP_SS_DISABLED));
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);
}

/* The reader sees the same @n regions as in @before. */
static void expect_reader_sees(struct kunit *test, struct smem_test *t,
			       const struct qcom_minidump_toc_seen *before, int n)
{
	int i;

	KUNIT_ASSERT_EQ(test, read_as_firmware(t), n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_STREQ(test, t->seen[i].name, before[i].name);
		KUNIT_EXPECT_EQ(test, t->seen[i].address, before[i].address);
		KUNIT_EXPECT_EQ(test, t->seen[i].size, before[i].size);
	}
}

/*
 * Hibernation, as firmware sees the APSS slot at each step: disabled from
 * freeze on; after thaw, and after restore over what the boot kernel left
 * there, this kernel's table with every region, enabled by the last store.
 */
static void hibernation_slot_follows_the_image(struct kunit *test)
{
	struct smem_test *t = test->priv;
	struct qcom_minidump_toc_region *boot;
	struct qcom_minidump_toc_seen *before;
	struct qcom_minidump_smem *mds;
	const struct dev_pm_ops *pm;
	struct platform_device *pdev;
	int n;

	kunit_activate_static_stub(test, qcom_minidump_smem_get_toc, stub_get_toc);
	pdev = smem_pdev_add(test);
	KUNIT_ASSERT_NOT_NULL(test, pdev->dev.driver);
	pm = pdev->dev.driver->pm;
	KUNIT_ASSERT_NOT_NULL(test, pm);
	KUNIT_ASSERT_TRUE(test, pm->freeze && pm->thaw && pm->poweroff && pm->restore);
	mds = platform_get_drvdata(pdev);
	KUNIT_ASSERT_NOT_NULL(test, mds);

	n = read_as_firmware(t);
	KUNIT_ASSERT_GE(test, n, 3);
	before = kunit_kmalloc_array(test, n, sizeof(*before), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, before);
	memcpy(before, t->seen, n * sizeof(*before));

	/* The kernel that hibernates: disabled for the snapshot, back after it. */
	KUNIT_EXPECT_EQ(test, pm->freeze(&pdev->dev), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(apss(t)->enabled), QCOM_MINIDUMP_SS_DISABLED);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);
	KUNIT_EXPECT_EQ(test, pm->thaw(&pdev->dev), 0);
	expect_reader_sees(test, t, before, n);
	KUNIT_EXPECT_EQ(test, pm->poweroff(&pdev->dev), 0);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);

	/*
	 * The boot kernel that loads the image had its own array in the
	 * slot, and disabled it at its freeze, before the hand-over.
	 */
	boot = kunit_kzalloc(test, 2 * sizeof(*boot), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, boot);
	strscpy(boot[0].name, "KBOOTONLY");
	boot[0].address = cpu_to_le64(virt_to_phys(boot));
	boot[0].size = cpu_to_le64(sizeof(*boot));
	boot[0].valid = cpu_to_le32(QCOM_MINIDUMP_REGION_VALID);
	t->toc->subsystems[QCOM_MINIDUMP_SS_APSS].regions_baseptr =
		cpu_to_le64(virt_to_phys(boot));
	t->toc->subsystems[QCOM_MINIDUMP_SS_APSS].region_count = cpu_to_le32(1);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);

	/* The restored kernel: its own array, whole, enabled last. */
	kunit_activate_static_stub(test, qcom_minidump_table_store, store_record);
	KUNIT_EXPECT_EQ(test, pm->restore(&pdev->dev), 0);
	kunit_deactivate_static_stub(test, qcom_minidump_table_store);
	KUNIT_ASSERT_GE(test, t->nr_recorded, 2);
	KUNIT_EXPECT_PTR_EQ(test, t->first_store_dst, (void *)&apss(t)->enabled);
	KUNIT_EXPECT_EQ(test, t->first_store_val,
			(__force u32)cpu_to_le32(QCOM_MINIDUMP_SS_DISABLED));
	KUNIT_EXPECT_PTR_EQ(test, t->last_store_dst, (void *)&apss(t)->enabled);
	KUNIT_EXPECT_EQ(test, t->last_store_val,
			(__force u32)cpu_to_le32(QCOM_MINIDUMP_SS_ENABLED));
	KUNIT_EXPECT_EQ(test, le64_to_cpu(apss(t)->regions_baseptr), mds->table.regions_phys);
	expect_reader_sees(test, t, before, n);

	device_release_driver(&pdev->dev);
	KUNIT_EXPECT_EQ(test, read_as_firmware(t), 0);
}

static struct kunit_case qcom_minidump_smem_test_cases[] = {
	KUNIT_CASE(setup_item_too_small),
	KUNIT_CASE(setup_status_zero),
	KUNIT_CASE(setup_revision_zero),
	KUNIT_CASE(setup_subsystems_from_size),
	KUNIT_CASE(setup_no_apss_slot),
	KUNIT_CASE(table_init_fills_apss_slot),
	KUNIT_CASE(table_exit_clears_apss_slot),
	KUNIT_CASE(entry_written_as_firmware_expects),
	KUNIT_CASE(crash_entry_in_kept_slot),
	KUNIT_CASE(equal_names_distinct_seq_num),
	KUNIT_CASE(freed_entry_reused_nothing_moves),
	KUNIT_CASE(table_full_changes_nothing),
	KUNIT_CASE(name_too_long_refused),
	KUNIT_CASE(random_sequences_match_reader),
	KUNIT_CASE(crash_at_every_store),
	KUNIT_CASE(core_regions_reach_the_table),
	KUNIT_CASE(probe_and_remove),
	KUNIT_CASE(probe_without_item),
	KUNIT_CASE(shutdown_disables_slot_first),
	KUNIT_CASE(hibernation_slot_follows_the_image),
	{}
};

static struct kunit_suite qcom_minidump_smem_test_suite = {
	.name = "qcom_minidump_smem",
	.init = smem_test_init,
	.test_cases = qcom_minidump_smem_test_cases,
};

kunit_test_suite(qcom_minidump_smem_test_suite);

MODULE_DESCRIPTION("KUnit tests for the Qualcomm minidump SMEM backend");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QCOM_MINIDUMP);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm minidump backend for the table of contents in SMEM.
 *
 * Boot firmware keeps a global table of contents in SMEM item 602, with a
 * slot per subsystem. This backend fills in the APSS slot: it points it at
 * an array of region entries in kernel memory and writes one entry per
 * region the core registers.
 *
 * Firmware reads the table after a crash, which can stop the CPU between
 * any two stores. So every store to the table goes through one helper, in
 * an order that keeps the table whole for a reader at every point:
 *
 *  - an entry's name, seq_num, address and size are written while its
 *    valid word does not say VALI, and valid is written last;
 *  - valid is retracted first, before anything else of the entry changes;
 *  - a live entry never moves: freed entries are reused, never compacted;
 *  - region_count only grows past an entry once the entry is whole, and
 *    only shrinks past entries that are no longer valid;
 *  - the APSS slot is enabled last when set up, and disabled first when
 *    cleared.
 *
 * wmb() separates each step from the next: it orders the stores for any
 * observer other than this CPU, and cleans no cache. Firmware (SDI/TZ) is
 * assumed to flush the CPU caches before it reads the table.
 */

#include <linux/bitmap.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/soc/qcom/smem.h>
#include <linux/string.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"
#include "qcom_minidump_smem_internal.h"

/* The core's entry names fit firmware's field, as the core relies on. */
static_assert(QCOM_MINIDUMP_ENTRY_NAME_MAX <= QCOM_MINIDUMP_TOC_NAME_MAX);

static struct qcom_minidump_smem *to_md_smem(struct qcom_minidump_backend *backend)
{
	return container_of(backend, struct qcom_minidump_smem, backend);
}

/**
 * qcom_minidump_smem_store() - the one store to the table firmware reads
 * @dst: a 4- or 8-byte field of the table
 * @val: the value, in the table's byte order
 * @size: 4 or 8
 *
 * One single-copy atomic store. KUnit intercepts it to read the table
 * after every store.
 */
VISIBLE_IF_KUNIT void qcom_minidump_smem_store(void *dst, u64 val, unsigned int size)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_smem_store, dst, val, size);

	if (size == sizeof(u64))
		WRITE_ONCE(*(u64 *)dst, val);
	else
		WRITE_ONCE(*(u32 *)dst, (u32)val);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_smem_store);

static void md_store_le32(__le32 *dst, u32 val)
{
	qcom_minidump_smem_store(dst, (__force u32)cpu_to_le32(val), sizeof(*dst));
}

static void md_store_le64(__le64 *dst, u64 val)
{
	qcom_minidump_smem_store(dst, (__force u64)cpu_to_le64(val), sizeof(*dst));
}

/* The name field, NUL-padded, in 8-byte stores. */
static void md_store_name(char *dst, const char *name)
{
	char buf[QCOM_MINIDUMP_TOC_NAME_SIZE] = { };
	unsigned int i;
	u64 word;

	strscpy(buf, name, QCOM_MINIDUMP_TOC_NAME_MAX + 1);
	for (i = 0; i < sizeof(buf); i += sizeof(word)) {
		memcpy(&word, buf + i, sizeof(word));
		qcom_minidump_smem_store(dst + i, word, sizeof(word));
	}
}

/* Entries firmware reads: up to the last one in use. */
static unsigned int qcom_minidump_smem_count(struct qcom_minidump_smem *mds)
{
	unsigned int max = mds->backend.max_regions;
	unsigned int last = find_last_bit(mds->used, max);

	return last < max ? last + 1 : 0;
}

/* Lowest seq_num that no live entry named @name uses. */
static u32 qcom_minidump_smem_seq_num(struct qcom_minidump_smem *mds, const char *name)
{
	unsigned int i;
	u32 seq = 0;
	bool taken;

	do {
		taken = false;
		for_each_set_bit(i, mds->used, mds->backend.max_regions) {
			if (le32_to_cpu(mds->regions[i].seq_num) == seq &&
			    !strncmp(mds->regions[i].name, name, QCOM_MINIDUMP_TOC_NAME_SIZE)) {
				taken = true;
				seq++;
				break;
			}
		}
	} while (taken);
	return seq;
}

static int qcom_minidump_smem_table_init(struct qcom_minidump_backend *backend)
{
	struct qcom_minidump_smem *mds = to_md_smem(backend);
	struct qcom_minidump_toc_subsystem *ss = mds->ss;

	bitmap_zero(mds->used, backend->max_regions);

	/* Disabled while the slot is rewritten: it may hold anything. */
	md_store_le32(&ss->enabled, QCOM_MINIDUMP_SS_DISABLED);
	wmb();	/* disabled before the rest changes */
	md_store_le32(&ss->region_count, 0);
	md_store_le64(&ss->regions_baseptr, mds->regions_phys);
	md_store_le32(&ss->encryption_required, QCOM_MINIDUMP_SS_ENCR_NONE);
	md_store_le32(&ss->encryption_status, QCOM_MINIDUMP_SS_ENCR_DONE);
	md_store_le32(&ss->status, QCOM_MINIDUMP_SS_STATUS_READY);
	wmb();	/* the slot is whole before it is enabled */
	md_store_le32(&ss->enabled, QCOM_MINIDUMP_SS_ENABLED);
	return 0;
}

static void qcom_minidump_smem_table_exit(struct qcom_minidump_backend *backend)
{
	struct qcom_minidump_smem *mds = to_md_smem(backend);
	struct qcom_minidump_toc_subsystem *ss = mds->ss;

	md_store_le32(&ss->enabled, QCOM_MINIDUMP_SS_DISABLED);
	wmb();	/* firmware skips the slot before it is taken apart */
	md_store_le32(&ss->status, 0);
	md_store_le32(&ss->region_count, 0);
	md_store_le64(&ss->regions_baseptr, 0);
	md_store_le32(&ss->encryption_status, 0);
	md_store_le32(&ss->encryption_required, 0);
}

static int qcom_minidump_smem_region_register(struct qcom_minidump_backend *backend,
					      struct qcom_minidump_entry *entry)
{
	struct qcom_minidump_smem *mds = to_md_smem(backend);
	struct qcom_minidump_toc_region *r;
	unsigned int slot, count;
	u32 seq;

	slot = find_first_zero_bit(mds->used, backend->max_regions);
	if (slot >= backend->max_regions)
		return -ENOSPC;
	if (strlen(entry->name) > QCOM_MINIDUMP_TOC_NAME_MAX)
		return -ENAMETOOLONG;

	seq = qcom_minidump_smem_seq_num(mds, entry->name);
	count = qcom_minidump_smem_count(mds);
	r = &mds->regions[slot];

	/* A free entry is not VALI: fill it in, then make it valid. */
	md_store_name(r->name, entry->name);
	md_store_le32(&r->seq_num, seq);
	md_store_le64(&r->address, entry->phys_addr);
	md_store_le64(&r->size, entry->size);
	wmb();	/* the entry is whole before it is valid */
	md_store_le32(&r->valid, QCOM_MINIDUMP_REGION_VALID);

	if (slot >= count) {
		wmb();	/* valid before firmware is told to look that far */
		md_store_le32(&mds->ss->region_count, slot + 1);
	}

	__set_bit(slot, mds->used);
	entry->slot = slot;
	return 0;
}

static void qcom_minidump_smem_region_unregister(struct qcom_minidump_backend *backend,
						 struct qcom_minidump_entry *entry)
{
	struct qcom_minidump_smem *mds = to_md_smem(backend);
	unsigned int slot = entry->slot;
	unsigned int count;

	if (WARN_ON_ONCE(slot >= backend->max_regions || !test_bit(slot, mds->used)))
		return;

	md_store_le32(&mds->regions[slot].valid, QCOM_MINIDUMP_REGION_INVALID);
	__clear_bit(slot, mds->used);

	/* Firmware need not read past the last entry in use. */
	count = qcom_minidump_smem_count(mds);
	if (count <= slot) {
		wmb();	/* invalid before region_count drops below it */
		md_store_le32(&mds->ss->region_count, count);
	}
}

static const struct qcom_minidump_ops qcom_minidump_smem_ops = {
	.table_init = qcom_minidump_smem_table_init,
	.table_exit = qcom_minidump_smem_table_exit,
	.region_register = qcom_minidump_smem_region_register,
	.region_unregister = qcom_minidump_smem_region_unregister,
};

/**
 * qcom_minidump_smem_setup() - check the table of contents and prepare a backend
 * @dev: device to allocate for and report on
 * @mds: the backend to fill in
 * @toc: SMEM item %QCOM_MINIDUMP_SMEM_ITEM
 * @size: its size in bytes
 *
 * Context: Process context; allocates with GFP_KERNEL.
 * Return: 0, or a negative errno with one line in the log saying why:
 * %-EINVAL if the item is too small for the table's header or the table's
 * revision is 0, %-ENODEV if firmware has not set the table up (status 0),
 * %-ERANGE if the item has no room for the APSS slot, %-ENOMEM.
 */
VISIBLE_IF_KUNIT int qcom_minidump_smem_setup(struct device *dev, struct qcom_minidump_smem *mds,
					      struct qcom_minidump_toc *toc, size_t size)
{
	unsigned int max = QCOM_MINIDUMP_SMEM_MAX_REGIONS;

	if (size < sizeof(*toc)) {
		dev_err(dev, "SMEM item %u has %zu bytes, too few for a table of contents\n",
			QCOM_MINIDUMP_SMEM_ITEM, size);
		return -EINVAL;
	}
	if (!le32_to_cpu(toc->status)) {
		dev_err(dev, "firmware has not set the minidump table up (status 0)\n");
		return -ENODEV;
	}
	if (!le32_to_cpu(toc->md_revision)) {
		dev_err(dev, "minidump table revision 0 is unknown\n");
		return -EINVAL;
	}
	mds->nr_subsystems = qcom_minidump_toc_nr_subsystems(size);
	if (mds->nr_subsystems <= QCOM_MINIDUMP_SS_APSS) {
		dev_err(dev, "minidump table has %u subsystem slots, none for APSS (slot %u)\n",
			mds->nr_subsystems, QCOM_MINIDUMP_SS_APSS);
		return -ERANGE;
	}

	/* Firmware reads the entries by physical address: kmalloc memory is contiguous. */
	mds->regions = devm_kcalloc(dev, max, sizeof(*mds->regions), GFP_KERNEL);
	mds->used = devm_bitmap_zalloc(dev, max, GFP_KERNEL);
	if (!mds->regions || !mds->used)
		return -ENOMEM;

	mds->toc = toc;
	mds->ss = &toc->subsystems[QCOM_MINIDUMP_SS_APSS];
	mds->regions_phys = virt_to_phys(mds->regions);
	mds->backend.name = "smem";
	mds->backend.dev = dev;
	mds->backend.ops = &qcom_minidump_smem_ops;
	mds->backend.max_regions = max;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_smem_setup);

/**
 * qcom_minidump_smem_get_toc() - SMEM item %QCOM_MINIDUMP_SMEM_ITEM
 * @size: set to the item's size
 *
 * KUnit replaces it to probe the backend on a table of its own.
 *
 * Return: the item, or an ERR_PTR() from qcom_smem_get().
 */
VISIBLE_IF_KUNIT void *qcom_minidump_smem_get_toc(size_t *size)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_smem_get_toc, size);

	return qcom_smem_get(QCOM_SMEM_HOST_ANY, QCOM_MINIDUMP_SMEM_ITEM, size);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_smem_get_toc);

static int qcom_minidump_smem_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct qcom_minidump_smem *mds;
	struct qcom_minidump_toc *toc;
	size_t size;
	int ret;

	toc = qcom_minidump_smem_get_toc(&size);
	if (PTR_ERR_OR_ZERO(toc) == -ENOENT) {
		/* Most boards' firmware keeps no table: nothing to report. */
		dev_dbg(dev, "no minidump table in SMEM item %u\n", QCOM_MINIDUMP_SMEM_ITEM);
		return -ENODEV;
	}
	if (IS_ERR(toc))
		return dev_err_probe(dev, PTR_ERR(toc), "cannot read SMEM item %u\n",
				     QCOM_MINIDUMP_SMEM_ITEM);

	mds = devm_kzalloc(dev, sizeof(*mds), GFP_KERNEL);
	if (!mds)
		return -ENOMEM;
	ret = qcom_minidump_smem_setup(dev, mds, toc, size);
	if (ret)
		return ret;

	/* The core logs why it refuses a backend: one line is enough. */
	ret = qcom_minidump_backend_register(&mds->backend);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, mds);
	dev_info(dev, "APSS minidump table at %pa, %u entries, %u subsystem slots\n",
		 &mds->regions_phys, mds->backend.max_regions, mds->nr_subsystems);
	return 0;
}

static void qcom_minidump_smem_remove(struct platform_device *pdev)
{
	struct qcom_minidump_smem *mds = platform_get_drvdata(pdev);

	qcom_minidump_backend_unregister(&mds->backend);
}

/*
 * Before a reboot or a kexec: the next kernel reuses this one's memory,
 * and firmware must not follow the APSS slot into it. Disabling the slot
 * is table_exit's first store, and all it takes; the core goes on calling
 * the ops, on a table firmware no longer reads. It stores without the
 * core's mutex: only table_init and table_exit write "enabled" besides,
 * and the device lock keeps them from running with shutdown.
 */
static void qcom_minidump_smem_shutdown(struct platform_device *pdev)
{
	struct qcom_minidump_smem *mds = platform_get_drvdata(pdev);

	md_store_le32(&mds->ss->enabled, QCOM_MINIDUMP_SS_DISABLED);
	wmb();	/* disabled before anything that follows the shutdown */
}

/* smem.c creates this device next to qcom-socinfo; there is no DT node. */
static const struct platform_device_id qcom_minidump_smem_ids[] = {
	{ .name = "qcom-minidump-smem" },
	{ }
};
MODULE_DEVICE_TABLE(platform, qcom_minidump_smem_ids);

static struct platform_driver qcom_minidump_smem_driver = {
	.probe = qcom_minidump_smem_probe,
	.remove = qcom_minidump_smem_remove,
	.shutdown = qcom_minidump_smem_shutdown,
	.id_table = qcom_minidump_smem_ids,
	.driver = {
		.name = "qcom-minidump-smem",
	},
};
module_platform_driver(qcom_minidump_smem_driver);

MODULE_DESCRIPTION("Qualcomm minidump table of contents in SMEM");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QCOM_MINIDUMP);

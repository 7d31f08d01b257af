// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm minidump backend for the table of contents in SMEM.
 *
 * Boot firmware keeps a global table of contents in SMEM item 602, with a
 * slot per subsystem. This backend fills in the APSS slot: it points it at
 * an array of region entries in kernel memory and writes one entry per
 * region the core registers.
 *
 * The array and the order of every store to it and to the slot are
 * qcom_minidump_table.c's, shared with the MMIO backend; here is only how
 * a field of the slot is stored: in SMEM, through the same one store.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <linux/slab.h>
#include <linux/soc/qcom/smem.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"
#include "qcom_minidump_smem_internal.h"
#include "qcom_minidump_table.h"

/* A field of the APSS slot in SMEM, little-endian, in one store. */
static void qcom_minidump_smem_write_ss(struct qcom_minidump_table *table,
					enum qcom_minidump_ss_field field, u64 val)
{
	struct qcom_minidump_smem *mds = container_of(table, struct qcom_minidump_smem, table);
	struct qcom_minidump_toc_subsystem *ss = mds->ss;
	__le32 *f32;

	switch (field) {
	case QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE:
		qcom_minidump_table_store(&ss->regions_baseptr,
					  (__force u64)cpu_to_le64(val), sizeof(u64));
		return;
	case QCOM_MINIDUMP_SS_FIELD_STATUS:
		f32 = &ss->status;
		break;
	case QCOM_MINIDUMP_SS_FIELD_ENABLED:
		f32 = &ss->enabled;
		break;
	case QCOM_MINIDUMP_SS_FIELD_ENCR_STATUS:
		f32 = &ss->encryption_status;
		break;
	case QCOM_MINIDUMP_SS_FIELD_ENCR_REQUIRED:
		f32 = &ss->encryption_required;
		break;
	case QCOM_MINIDUMP_SS_FIELD_REGION_COUNT:
		f32 = &ss->region_count;
		break;
	default:
		WARN_ON_ONCE(1);
		return;
	}
	qcom_minidump_table_store(f32, (__force u32)cpu_to_le32(val), sizeof(u32));
}

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
	int ret;

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

	ret = qcom_minidump_table_alloc(dev, &mds->table, max, qcom_minidump_smem_write_ss);
	if (ret)
		return ret;

	mds->toc = toc;
	mds->ss = &toc->subsystems[QCOM_MINIDUMP_SS_APSS];
	mds->backend.name = "smem";
	mds->backend.dev = dev;
	mds->backend.ops = &qcom_minidump_table_ops;
	mds->backend.priv = &mds->table;
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
		 &mds->table.regions_phys, mds->backend.max_regions, mds->nr_subsystems);
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

	qcom_minidump_table_disable(&mds->table);
}

/*
 * Hibernation. The image holds this kernel's region array, but not
 * the APSS slot in SMEM: the kernel that boots to restore the image sets up its own
 * table there first. So:
 *
 *  - freeze, in the kernel that hibernates and in the boot kernel before
 *    it hands over to the image: the slot is disabled, since the boot
 *    kernel's array is overwritten by the image next;
 *  - restore, in the restored kernel, and thaw, after the snapshot or a
 *    failed restore: the slot is rewritten whole from this kernel's
 *    array, with every region, and enabled last;
 *  - poweroff, once the image is written: disabled, as at shutdown.
 *
 * The core's lock keeps the core's ops off the table meanwhile; a backend
 * that waits to take over has no slot to write and does nothing.
 */
static int qcom_minidump_smem_freeze(struct device *dev)
{
	struct qcom_minidump_smem *mds = dev_get_drvdata(dev);

	if (qcom_minidump_backend_lock(&mds->backend))
		return 0;
	qcom_minidump_table_disable(&mds->table);
	qcom_minidump_backend_unlock(&mds->backend);
	return 0;
}

static int qcom_minidump_smem_restore(struct device *dev)
{
	struct qcom_minidump_smem *mds = dev_get_drvdata(dev);

	if (qcom_minidump_backend_lock(&mds->backend))
		return 0;
	qcom_minidump_table_republish(&mds->table);
	qcom_minidump_backend_unlock(&mds->backend);
	return 0;
}

static const struct dev_pm_ops qcom_minidump_smem_pm_ops = {
	.freeze = qcom_minidump_smem_freeze,
	.thaw = qcom_minidump_smem_restore,
	.poweroff = qcom_minidump_smem_freeze,
	.restore = qcom_minidump_smem_restore,
};

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
		.pm = pm_sleep_ptr(&qcom_minidump_smem_pm_ops),
	},
};
module_platform_driver(qcom_minidump_smem_driver);

MODULE_DESCRIPTION("Qualcomm minidump table of contents in SMEM");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QCOM_MINIDUMP);

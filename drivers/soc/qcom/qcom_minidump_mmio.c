// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm minidump backend for a table of contents behind registers.
 *
 * Where Linux runs as a guest VM on a Snapdragon SoC, the hypervisor keeps
 * the minidump table of contents and exposes the APSS slot of it as a
 * register block. The guest keeps its region array in its own RAM and
 * writes the array's physical address, the entry count and the slot's
 * status words into the registers; after a crash the hypervisor reads them
 * and dumps the valid entries.
 *
 * The array is written by qcom_minidump_table.c, which holds the store
 * order that keeps the table whole for a reader at any point; this file
 * only checks the global registers and stores the slot's fields. Each
 * register write is a writel(), which is ordered after the guest's earlier
 * stores to its RAM.
 *
 * Region names are not prefixed with the VM's id: the names are the ones
 * the core gives (a leading 'K', 11 characters at most), which qdl and
 * tools/minidump take as the kernel's, and which Qualcomm's ramdump parser
 * reads with or without such a prefix.
 */

#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/pm.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump_mmio.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"
#include "qcom_minidump_mmio_internal.h"
#include "qcom_minidump_table.h"

/* Register of each 32-bit field of the APSS slot. */
static const u16 qcom_minidump_mmio_ss_reg[] = {
	[QCOM_MINIDUMP_SS_FIELD_STATUS] = QCOM_MINIDUMP_MMIO_SS_STATUS,
	[QCOM_MINIDUMP_SS_FIELD_ENABLED] = QCOM_MINIDUMP_MMIO_SS_ENABLED,
	[QCOM_MINIDUMP_SS_FIELD_ENCR_STATUS] = QCOM_MINIDUMP_MMIO_SS_ENCR_STATUS,
	[QCOM_MINIDUMP_SS_FIELD_ENCR_REQUIRED] = QCOM_MINIDUMP_MMIO_SS_ENCR_REQUIRED,
	[QCOM_MINIDUMP_SS_FIELD_REGION_COUNT] = QCOM_MINIDUMP_MMIO_SS_REGION_COUNT,
};

static void qcom_minidump_mmio_write_ss(struct qcom_minidump_table *table,
					enum qcom_minidump_ss_field field, u64 val)
{
	struct qcom_minidump_mmio *mdm = container_of(table, struct qcom_minidump_mmio, table);

	/* The table only writes the base while the slot is disabled. */
	if (field == QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE) {
		writel(lower_32_bits(val), mdm->regs + QCOM_MINIDUMP_MMIO_SS_BASE_LO);
		writel(upper_32_bits(val), mdm->regs + QCOM_MINIDUMP_MMIO_SS_BASE_HI);
		return;
	}
	if (WARN_ON_ONCE(field >= ARRAY_SIZE(qcom_minidump_mmio_ss_reg)))
		return;
	writel((u32)val, mdm->regs + qcom_minidump_mmio_ss_reg[field]);
}

/**
 * qcom_minidump_mmio_setup() - check the global registers and prepare a backend
 * @dev: device to allocate for and report on
 * @mdm: the backend to fill in
 * @regs: the register block, %QCOM_MINIDUMP_MMIO_SIZE bytes at least
 *
 * Context: Process context; allocates with GFP_KERNEL.
 * Return: 0, or a negative errno with one line in the log saying why:
 * %-ENODEV if the hypervisor has not set the table up (initialised register
 * 0), %-EINVAL if the table's revision is 0, %-EPERM if the hypervisor has
 * minidump disabled, %-ENOMEM.
 */
VISIBLE_IF_KUNIT int qcom_minidump_mmio_setup(struct device *dev, struct qcom_minidump_mmio *mdm,
					      void __iomem *regs)
{
	u32 val;
	int ret;

	if (!readl(regs + QCOM_MINIDUMP_MMIO_TOC_INIT)) {
		dev_err(dev, "the hypervisor has not set the minidump table up (initialised 0)\n");
		return -ENODEV;
	}
	mdm->revision = readl(regs + QCOM_MINIDUMP_MMIO_TOC_REVISION);
	if (!mdm->revision) {
		dev_err(dev, "minidump table revision 0 is unknown\n");
		return -EINVAL;
	}
	val = readl(regs + QCOM_MINIDUMP_MMIO_TOC_ENABLED);
	if (val != QCOM_MINIDUMP_SS_ENABLED) {
		dev_err(dev, "minidump is disabled by the hypervisor (enable status %#x)\n", val);
		return -EPERM;
	}

	ret = qcom_minidump_table_alloc(dev, &mdm->table, QCOM_MINIDUMP_MMIO_MAX_REGIONS,
					qcom_minidump_mmio_write_ss);
	if (ret)
		return ret;

	mdm->regs = regs;
	mdm->backend.name = "mmio";
	mdm->backend.dev = dev;
	mdm->backend.ops = &qcom_minidump_table_ops;
	mdm->backend.priv = &mdm->table;
	mdm->backend.max_regions = QCOM_MINIDUMP_MMIO_MAX_REGIONS;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_mmio_setup);

static int qcom_minidump_mmio_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct qcom_minidump_mmio *mdm;
	struct resource *res;
	void __iomem *regs;
	int ret;

	regs = devm_platform_get_and_ioremap_resource(pdev, 0, &res);
	if (IS_ERR(regs))
		return dev_err_probe(dev, PTR_ERR(regs), "cannot map the minidump registers\n");
	if (resource_size(res) < QCOM_MINIDUMP_MMIO_SIZE) {
		dev_err(dev, "register block %pR is smaller than the %#x bytes of the table\n",
			res, QCOM_MINIDUMP_MMIO_SIZE);
		return -EINVAL;
	}

	mdm = devm_kzalloc(dev, sizeof(*mdm), GFP_KERNEL);
	if (!mdm)
		return -ENOMEM;
	ret = qcom_minidump_mmio_setup(dev, mdm, regs);
	if (ret)
		return ret;

	/* The core logs why it refuses a backend, and that one waits for another. */
	ret = qcom_minidump_backend_register(&mdm->backend);
	if (ret)
		return ret;

	platform_set_drvdata(pdev, mdm);
	dev_info(dev, "APSS minidump table at %pa, %u entries, registers at %pR, revision %u\n",
		 &mdm->table.regions_phys, mdm->backend.max_regions, res, mdm->revision);
	return 0;
}

static void qcom_minidump_mmio_remove(struct platform_device *pdev)
{
	struct qcom_minidump_mmio *mdm = platform_get_drvdata(pdev);

	qcom_minidump_backend_unregister(&mdm->backend);
}

/*
 * Before a reboot or a kexec: the next kernel reuses this one's memory,
 * and the hypervisor must not follow the registers into it. Disabling the
 * slot is all it takes; the core may go on calling the ops, on a table
 * the hypervisor no longer reads.
 */
static void qcom_minidump_mmio_shutdown(struct platform_device *pdev)
{
	struct qcom_minidump_mmio *mdm = platform_get_drvdata(pdev);

	qcom_minidump_table_disable(&mdm->table);
}

/*
 * Hibernation. The image holds this kernel's region array, but not
 * the registers: the kernel that boots to restore the image sets up its own
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
static int qcom_minidump_mmio_freeze(struct device *dev)
{
	struct qcom_minidump_mmio *mdm = dev_get_drvdata(dev);

	if (qcom_minidump_backend_lock(&mdm->backend))
		return 0;
	qcom_minidump_table_disable(&mdm->table);
	qcom_minidump_backend_unlock(&mdm->backend);
	return 0;
}

static int qcom_minidump_mmio_restore(struct device *dev)
{
	struct qcom_minidump_mmio *mdm = dev_get_drvdata(dev);

	if (qcom_minidump_backend_lock(&mdm->backend))
		return 0;
	qcom_minidump_table_republish(&mdm->table);
	qcom_minidump_backend_unlock(&mdm->backend);
	return 0;
}

VISIBLE_IF_KUNIT const struct dev_pm_ops qcom_minidump_mmio_pm_ops = {
	.freeze = qcom_minidump_mmio_freeze,
	.thaw = qcom_minidump_mmio_restore,
	.poweroff = qcom_minidump_mmio_freeze,
	.restore = qcom_minidump_mmio_restore,
};
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_mmio_pm_ops);

static const struct of_device_id qcom_minidump_mmio_of_match[] = {
	{ .compatible = "qcom,virt-minidump" },
	{ }
};
MODULE_DEVICE_TABLE(of, qcom_minidump_mmio_of_match);

static struct platform_driver qcom_minidump_mmio_driver = {
	.probe = qcom_minidump_mmio_probe,
	.remove = qcom_minidump_mmio_remove,
	.shutdown = qcom_minidump_mmio_shutdown,
	.driver = {
		.name = "qcom-minidump-mmio",
		.of_match_table = qcom_minidump_mmio_of_match,
		.pm = pm_sleep_ptr(&qcom_minidump_mmio_pm_ops),
	},
};
module_platform_driver(qcom_minidump_mmio_driver);

MODULE_DESCRIPTION("Qualcomm minidump table of contents behind hypervisor registers");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QCOM_MINIDUMP);

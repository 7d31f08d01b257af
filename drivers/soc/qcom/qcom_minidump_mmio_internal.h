/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm minidump MMIO backend: its state, for the backend and its KUnit
 * suite.
 */

#ifndef __QCOM_MINIDUMP_MMIO_INTERNAL_H__
#define __QCOM_MINIDUMP_MMIO_INTERNAL_H__

#include <linux/compiler_types.h>
#include <linux/pm.h>
#include <linux/types.h>
#include <kunit/visibility.h>

#include "qcom_minidump_internal.h"
#include "qcom_minidump_table.h"

struct device;

/* Entries in the APSS table: the core's three and the clients'. */
#define QCOM_MINIDUMP_MMIO_MAX_REGIONS	200

/**
 * struct qcom_minidump_mmio - the MMIO backend
 * @backend:	what the core sees
 * @table:	the region array in guest RAM and what is in use
 * @regs:	the hypervisor's register block
 * @revision:	the table's revision, as the hypervisor gives it
 */
struct qcom_minidump_mmio {
	struct qcom_minidump_backend backend;
	struct qcom_minidump_table table;
	void __iomem *regs;
	u32 revision;
};

#if IS_ENABLED(CONFIG_KUNIT)
int qcom_minidump_mmio_setup(struct device *dev, struct qcom_minidump_mmio *mdm,
			     void __iomem *regs);
extern const struct dev_pm_ops qcom_minidump_mmio_pm_ops;
#endif

#endif /* __QCOM_MINIDUMP_MMIO_INTERNAL_H__ */

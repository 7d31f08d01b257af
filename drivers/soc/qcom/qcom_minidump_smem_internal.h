/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm minidump SMEM backend: its state, for the backend and its KUnit
 * suite.
 */

#ifndef __QCOM_MINIDUMP_SMEM_INTERNAL_H__
#define __QCOM_MINIDUMP_SMEM_INTERNAL_H__

#include <linux/types.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"

struct device;

/* Entries in the APSS table: the core's three and the clients'. */
#define QCOM_MINIDUMP_SMEM_MAX_REGIONS	200

/**
 * struct qcom_minidump_smem - the SMEM backend
 * @backend:		what the core sees
 * @toc:		the global table of contents, in SMEM
 * @ss:			the APSS slot of @toc
 * @nr_subsystems:	slots in @toc, from the SMEM item's size
 * @regions:		the entry array firmware reads, in kernel memory
 * @regions_phys:	physical address of @regions
 * @used:		entries in use, one bit each; firmware reads up to the
 *			last one
 */
struct qcom_minidump_smem {
	struct qcom_minidump_backend backend;
	struct qcom_minidump_toc *toc;
	struct qcom_minidump_toc_subsystem *ss;
	unsigned int nr_subsystems;
	struct qcom_minidump_toc_region *regions;
	phys_addr_t regions_phys;
	unsigned long *used;
};

#if IS_ENABLED(CONFIG_KUNIT)
void qcom_minidump_smem_store(void *dst, u64 val, unsigned int size);
int qcom_minidump_smem_setup(struct device *dev, struct qcom_minidump_smem *mds,
			     struct qcom_minidump_toc *toc, size_t size);
void *qcom_minidump_smem_get_toc(size_t *size);
#endif

#endif /* __QCOM_MINIDUMP_SMEM_INTERNAL_H__ */

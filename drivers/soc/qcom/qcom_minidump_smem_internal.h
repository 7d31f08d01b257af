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
#include "qcom_minidump_table.h"

struct device;

/* Entries in the APSS table: the core's three and the clients'. */
#define QCOM_MINIDUMP_SMEM_MAX_REGIONS	200

/**
 * struct qcom_minidump_smem - the SMEM backend
 * @backend:		what the core sees
 * @toc:		the global table of contents, in SMEM
 * @ss:			the APSS slot of @toc
 * @nr_subsystems:	slots in @toc, from the SMEM item's size
 * @table:		the entry array firmware reads, in kernel memory, and
 *			the stores to it and to @ss
 */
struct qcom_minidump_smem {
	struct qcom_minidump_backend backend;
	struct qcom_minidump_toc *toc;
	struct qcom_minidump_toc_subsystem *ss;
	unsigned int nr_subsystems;
	struct qcom_minidump_table table;
};

#if IS_ENABLED(CONFIG_KUNIT)
int qcom_minidump_smem_setup(struct device *dev, struct qcom_minidump_smem *mds,
			     struct qcom_minidump_toc *toc, size_t size);
void *qcom_minidump_smem_get_toc(size_t *size);
#endif

#endif /* __QCOM_MINIDUMP_SMEM_INTERNAL_H__ */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm minidump: the APSS region table, for the backends that publish
 * it. See qcom_minidump_table.c for the rules every store follows.
 */

#ifndef __QCOM_MINIDUMP_TABLE_H__
#define __QCOM_MINIDUMP_TABLE_H__

#include <linux/types.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump_smem.h>

struct device;
struct qcom_minidump_entry;
struct qcom_minidump_ops;
struct qcom_minidump_table;

/**
 * enum qcom_minidump_ss_field - a field of the APSS slot firmware reads
 * @QCOM_MINIDUMP_SS_FIELD_STATUS:	&qcom_minidump_toc_subsystem.status
 * @QCOM_MINIDUMP_SS_FIELD_ENABLED:	&qcom_minidump_toc_subsystem.enabled
 * @QCOM_MINIDUMP_SS_FIELD_ENCR_STATUS:	&qcom_minidump_toc_subsystem.encryption_status
 * @QCOM_MINIDUMP_SS_FIELD_ENCR_REQUIRED: &qcom_minidump_toc_subsystem.encryption_required
 * @QCOM_MINIDUMP_SS_FIELD_REGION_COUNT: &qcom_minidump_toc_subsystem.region_count
 * @QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE: &qcom_minidump_toc_subsystem.regions_baseptr
 */
enum qcom_minidump_ss_field {
	QCOM_MINIDUMP_SS_FIELD_STATUS,
	QCOM_MINIDUMP_SS_FIELD_ENABLED,
	QCOM_MINIDUMP_SS_FIELD_ENCR_STATUS,
	QCOM_MINIDUMP_SS_FIELD_ENCR_REQUIRED,
	QCOM_MINIDUMP_SS_FIELD_REGION_COUNT,
	QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE,
};

/**
 * typedef qcom_minidump_ss_write_t - store one field of the APSS slot
 * @table: the table whose slot it is
 * @field: which field
 * @val: the value, in CPU byte order
 *
 * Where the slot lives is the backend's business (SMEM, registers); the
 * store must be single-copy atomic for 32-bit fields and must not be
 * reordered with the stores before it. The 64-bit base is only written
 * while the slot is disabled, so it may take two stores.
 */
typedef void (*qcom_minidump_ss_write_t)(struct qcom_minidump_table *table,
					 enum qcom_minidump_ss_field field, u64 val);

/**
 * struct qcom_minidump_table - the APSS region array and what is in use
 * @write_ss:		the backend's store to its APSS slot
 * @regions:		the entry array firmware reads, in kernel memory
 * @regions_phys:	physical address of @regions, published in the slot
 * @used:		entries in use, one bit each; firmware reads up to the
 *			last one
 * @max_regions:	entries in @regions
 */
struct qcom_minidump_table {
	qcom_minidump_ss_write_t write_ss;
	struct qcom_minidump_toc_region *regions;
	phys_addr_t regions_phys;
	unsigned long *used;
	unsigned int max_regions;
};

/*
 * The ops for a backend whose &qcom_minidump_backend.priv is its
 * &struct qcom_minidump_table.
 */
extern const struct qcom_minidump_ops qcom_minidump_table_ops;

int qcom_minidump_table_alloc(struct device *dev, struct qcom_minidump_table *table,
			      unsigned int max_regions, qcom_minidump_ss_write_t write_ss);
void qcom_minidump_table_publish(struct qcom_minidump_table *table);
void qcom_minidump_table_republish(struct qcom_minidump_table *table);
void qcom_minidump_table_disable(struct qcom_minidump_table *table);
void qcom_minidump_table_retract(struct qcom_minidump_table *table);
int qcom_minidump_table_add(struct qcom_minidump_table *table,
			    struct qcom_minidump_entry *entry);
int qcom_minidump_table_add_at(struct qcom_minidump_table *table,
			       struct qcom_minidump_entry *entry, unsigned int slot);
void qcom_minidump_table_remove(struct qcom_minidump_table *table,
				struct qcom_minidump_entry *entry);
void qcom_minidump_table_drop(struct qcom_minidump_table *table,
			      struct qcom_minidump_entry *entry);

void qcom_minidump_table_store(void *dst, u64 val, unsigned int size);
void qcom_minidump_table_hide(struct qcom_minidump_table *table,
			      struct qcom_minidump_entry *entry);
void qcom_minidump_table_show(struct qcom_minidump_table *table,
			      struct qcom_minidump_entry *entry);

#if IS_ENABLED(CONFIG_KUNIT)
void qcom_minidump_table_write_ss(struct qcom_minidump_table *table,
				  enum qcom_minidump_ss_field field, u64 val);
#endif

#endif /* __QCOM_MINIDUMP_TABLE_H__ */

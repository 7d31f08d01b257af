/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm minidump: a model of the firmware reader, for the backends'
 * KUnit suites. See qcom_minidump_toc_kunit.c.
 */

#ifndef __QCOM_MINIDUMP_TOC_KUNIT_H__
#define __QCOM_MINIDUMP_TOC_KUNIT_H__

#include <linux/types.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"

struct kunit;

/* Regions a test registers and unregisters, picked at random. */
#define QCOM_MINIDUMP_TOC_KUNIT_POOL	64

/**
 * struct qcom_minidump_toc_view - the APSS slot as firmware reads it
 * @toc_status:		the global table's status (initialised) word
 * @status:		the slot's status
 * @enabled:		the slot's enable word
 * @encryption_status:	the slot's encryption status
 * @region_count:	entries firmware reads
 * @regions_base:	physical address of the entry array
 *
 * Every value in CPU byte order.
 */
struct qcom_minidump_toc_view {
	u32 toc_status;
	u32 status;
	u32 enabled;
	u32 encryption_status;
	u32 region_count;
	u64 regions_base;
};

/**
 * struct qcom_minidump_toc_seen - a region the reader would dump
 * @name:	its name, NUL-terminated even if the table's is not
 * @seq_num:	its seq_num
 * @address:	its physical address
 * @size:	its size
 */
struct qcom_minidump_toc_seen {
	char name[QCOM_MINIDUMP_TOC_NAME_SIZE + 1];
	u32 seq_num;
	u64 address;
	u64 size;
};

struct qcom_minidump_toc_model;

/**
 * typedef qcom_minidump_toc_read_ss_t - read the APSS slot where it lives
 * @model: the model
 * @view: filled in from the backend's storage (SMEM, registers)
 */
typedef void (*qcom_minidump_toc_read_ss_t)(struct qcom_minidump_toc_model *model,
					    struct qcom_minidump_toc_view *view);

/**
 * struct qcom_minidump_toc_model - a backend under test and what it should hold
 * @test:		the test
 * @backend:		the backend whose ops the model calls
 * @read_ss:		the suite's reader of the APSS slot
 * @max_regions:	the most entries a sane region_count allows
 * @pool:		regions to register, distinct names and addresses
 * @live:		which of @pool are registered
 * @nr_live:		how many
 * @changing:		the @pool entry an op is changing, or -1
 * @stores:		stores seen by qcom_minidump_toc_kunit_check()
 * @bad_states:		of those, after how many the table was not whole
 * @seen:		what the reader found, @max_regions entries
 */
struct qcom_minidump_toc_model {
	struct kunit *test;
	struct qcom_minidump_backend *backend;
	qcom_minidump_toc_read_ss_t read_ss;
	unsigned int max_regions;
	struct qcom_minidump_entry pool[QCOM_MINIDUMP_TOC_KUNIT_POOL];
	bool live[QCOM_MINIDUMP_TOC_KUNIT_POOL];
	unsigned int nr_live;
	int changing;
	unsigned long stores;
	unsigned long bad_states;
	struct qcom_minidump_toc_seen *seen;
};

int qcom_minidump_toc_kunit_init(struct kunit *test, struct qcom_minidump_toc_model *model,
				 struct qcom_minidump_backend *backend,
				 qcom_minidump_toc_read_ss_t read_ss);
int qcom_minidump_toc_kunit_read(struct qcom_minidump_toc_model *model);
bool qcom_minidump_toc_kunit_whole(struct qcom_minidump_toc_model *model, const char **why);
void qcom_minidump_toc_kunit_check(struct qcom_minidump_toc_model *model);
void qcom_minidump_toc_kunit_expect_live(struct qcom_minidump_toc_model *model);
int qcom_minidump_toc_kunit_reg(struct qcom_minidump_toc_model *model, unsigned int p);
void qcom_minidump_toc_kunit_unreg(struct qcom_minidump_toc_model *model, unsigned int p);
void qcom_minidump_toc_kunit_random(struct qcom_minidump_toc_model *model, unsigned int steps,
				    u64 seed);
void qcom_minidump_toc_kunit_store_sequence(struct qcom_minidump_toc_model *model);
struct qcom_minidump *qcom_minidump_toc_kunit_core(struct kunit *test);
void qcom_minidump_toc_kunit_release_backend(struct kunit *test,
					     struct qcom_minidump_backend *backend);

#endif /* __QCOM_MINIDUMP_TOC_KUNIT_H__ */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm minidump: one model of the firmware reader for every backend's
 * KUnit suite.
 *
 * Firmware (or the hypervisor) decides what to dump the same way whatever
 * holds the APSS slot: the global table set up, the slot with a base
 * pointer, status 1, enabled and encryption done; then among the first
 * region_count entries of the array those whose valid word is VALI. The
 * reader here follows that rule without the backends' helpers; a suite
 * only says how to read the slot's words where its backend keeps them.
 *
 * The consistency rule it checks, after any single store: every
 * registered region is dumped exactly once (the one an op is changing at
 * most once), nothing else is, and no two dumped regions share a name and
 * seq_num. A slot that is off dumps nothing, which is whole only while no
 * region is registered.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"
#include "qcom_minidump_toc_kunit.h"

#define POOL	QCOM_MINIDUMP_TOC_KUNIT_POOL

/**
 * qcom_minidump_toc_kunit_init() - set a model up for a backend
 * @test: the test; allocations are freed with it
 * @model: the model to fill in
 * @backend: the backend, set up but not yet initialised
 * @read_ss: reads the backend's APSS slot
 *
 * The pool holds %QCOM_MINIDUMP_TOC_KUNIT_POOL regions whose names repeat
 * every four (so that seq_num matters), at distinct addresses and sizes.
 *
 * Context: Process context.
 * Return: 0, or %-ENOMEM.
 */
int qcom_minidump_toc_kunit_init(struct kunit *test, struct qcom_minidump_toc_model *model,
				 struct qcom_minidump_backend *backend,
				 qcom_minidump_toc_read_ss_t read_ss)
{
	static const char * const names[] = { "Klog", "Ktasks", "Kirq", "Kabcdefghij" };
	unsigned int i;

	memset(model, 0, sizeof(*model));
	model->test = test;
	model->backend = backend;
	model->read_ss = read_ss;
	model->max_regions = backend->max_regions;
	model->changing = -1;
	model->seen = kunit_kcalloc(test, model->max_regions, sizeof(*model->seen), GFP_KERNEL);
	if (!model->seen)
		return -ENOMEM;

	for (i = 0; i < POOL; i++) {
		struct qcom_minidump_entry *e = &model->pool[i];

		strscpy(e->name, names[i % ARRAY_SIZE(names)]);
		e->phys_addr = 0x80000000ULL + i * SZ_64K;
		e->size = 4 * (i + 1);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_init);

/**
 * qcom_minidump_toc_kunit_read() - what firmware would dump now
 * @model: the model; &qcom_minidump_toc_model.seen gets the regions
 *
 * Context: Any context.
 * Return: the number of regions firmware would dump, or -1 for a
 * region_count beyond the table, which no reader can trust.
 */
int qcom_minidump_toc_kunit_read(struct qcom_minidump_toc_model *model)
{
	const struct qcom_minidump_toc_region *regions;
	struct qcom_minidump_toc_view v;
	u32 i;
	int n = 0;

	model->read_ss(model, &v);
	if (!v.toc_status)
		return 0;
	if (!v.regions_base || v.status != QCOM_MINIDUMP_SS_STATUS_READY ||
	    v.enabled != QCOM_MINIDUMP_SS_ENABLED ||
	    v.encryption_status != QCOM_MINIDUMP_SS_ENCR_DONE)
		return 0;
	if (v.region_count > model->max_regions)
		return -1;

	regions = phys_to_virt(v.regions_base);
	for (i = 0; i < v.region_count; i++) {
		const struct qcom_minidump_toc_region *r = &regions[i];
		struct qcom_minidump_toc_seen *s = &model->seen[n];

		if (le32_to_cpu(READ_ONCE(r->valid)) != QCOM_MINIDUMP_REGION_VALID)
			continue;
		memcpy(s->name, r->name, QCOM_MINIDUMP_TOC_NAME_SIZE);
		s->name[QCOM_MINIDUMP_TOC_NAME_SIZE] = '\0';
		s->seq_num = le32_to_cpu(r->seq_num);
		s->address = le64_to_cpu(r->address);
		s->size = le64_to_cpu(r->size);
		n++;
	}
	return n;
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_read);

static bool seen_is(const struct qcom_minidump_toc_seen *s, const struct qcom_minidump_entry *e)
{
	return !strcmp(s->name, e->name) && s->address == e->phys_addr && s->size == e->size;
}

/**
 * qcom_minidump_toc_kunit_whole() - is what firmware would dump whole?
 * @model: the model
 * @why: set to the reason when it is not
 *
 * Context: Any context.
 * Return: true if the reader sees every live region once and nothing else.
 */
bool qcom_minidump_toc_kunit_whole(struct qcom_minidump_toc_model *model, const char **why)
{
	int n = qcom_minidump_toc_kunit_read(model);
	unsigned int hits[POOL] = { };
	int i, j, p;

	if (n < 0) {
		*why = "region_count beyond the table";
		return false;
	}
	for (i = 0; i < n; i++) {
		bool known = false;

		for (p = 0; p < POOL; p++) {
			if ((model->live[p] || p == model->changing) &&
			    seen_is(&model->seen[i], &model->pool[p])) {
				hits[p]++;
				known = true;
				break;
			}
		}
		if (!known) {
			*why = "an entry that is no registered region (half written?)";
			return false;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(model->seen[i].name, model->seen[j].name) &&
			    model->seen[i].seq_num == model->seen[j].seq_num) {
				*why = "two entries share a name and seq_num";
				return false;
			}
		}
	}
	for (p = 0; p < POOL; p++) {
		if (hits[p] > 1) {
			*why = "a region dumped twice";
			return false;
		}
		if (p != model->changing && model->live[p] && !hits[p]) {
			*why = "a registered region is missing";
			return false;
		}
	}
	return true;
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_whole);

/**
 * qcom_minidump_toc_kunit_check() - count a store and look at the table
 * @model: the model
 *
 * For a suite's store hook, after it did the store: as if the CPU had
 * stopped there. The first table that is not whole fails the test, with
 * the store's number and the reason; later ones are counted.
 *
 * Context: Any context.
 */
void qcom_minidump_toc_kunit_check(struct qcom_minidump_toc_model *model)
{
	const char *why;

	model->stores++;
	if (!qcom_minidump_toc_kunit_whole(model, &why)) {
		if (!model->bad_states)
			KUNIT_FAIL(model->test, "after store %lu: %s", model->stores, why);
		model->bad_states++;
	}
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_check);

/**
 * qcom_minidump_toc_kunit_expect_live() - the reader sees exactly the live regions
 * @model: the model
 *
 * Context: Process context.
 */
void qcom_minidump_toc_kunit_expect_live(struct qcom_minidump_toc_model *model)
{
	const char *why = NULL;

	KUNIT_EXPECT_EQ(model->test, qcom_minidump_toc_kunit_read(model), model->nr_live);
	KUNIT_EXPECT_TRUE_MSG(model->test, qcom_minidump_toc_kunit_whole(model, &why), "%s", why);
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_expect_live);

/**
 * qcom_minidump_toc_kunit_reg() - register a pool region with the backend
 * @model: the model
 * @p: index in the pool
 *
 * Context: Process context.
 * Return: what &qcom_minidump_ops.region_register returned.
 */
int qcom_minidump_toc_kunit_reg(struct qcom_minidump_toc_model *model, unsigned int p)
{
	struct qcom_minidump_backend *backend = model->backend;
	int ret;

	model->changing = p;
	ret = backend->ops->region_register(backend, &model->pool[p]);
	model->changing = -1;
	if (!ret) {
		model->live[p] = true;
		model->nr_live++;
	}
	return ret;
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_reg);

/**
 * qcom_minidump_toc_kunit_unreg() - unregister a live pool region
 * @model: the model
 * @p: index in the pool
 *
 * Context: Process context.
 */
void qcom_minidump_toc_kunit_unreg(struct qcom_minidump_toc_model *model, unsigned int p)
{
	struct qcom_minidump_backend *backend = model->backend;

	model->changing = p;
	backend->ops->region_unregister(backend, &model->pool[p]);
	model->changing = -1;
	model->live[p] = false;
	model->nr_live--;
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_unreg);

/**
 * qcom_minidump_toc_kunit_random() - random register, unregister and reuse
 * @model: the model, its backend's table initialised
 * @steps: how many ops
 * @seed: for the pseudo-random sequence
 *
 * The reader agrees with the model after each op.
 *
 * Context: Process context.
 */
void qcom_minidump_toc_kunit_random(struct qcom_minidump_toc_model *model, unsigned int steps,
				    u64 seed)
{
	struct rnd_state rnd;
	unsigned int i;

	prandom_seed_state(&rnd, seed);
	for (i = 0; i < steps; i++) {
		unsigned int p = prandom_u32_state(&rnd) % POOL;

		if (model->live[p])
			qcom_minidump_toc_kunit_unreg(model, p);
		else
			KUNIT_ASSERT_EQ(model->test, qcom_minidump_toc_kunit_reg(model, p), 0);
		KUNIT_ASSERT_EQ(model->test, qcom_minidump_toc_kunit_read(model), model->nr_live);
	}
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_random);

/**
 * qcom_minidump_toc_kunit_store_sequence() - the ops every suite's store check runs
 * @model: the model, its backend set up but its table not yet initialised
 *
 * table_init, 400 random ops, every region unregistered, table_exit,
 * table_init again and 200 random ops with another seed: every path that
 * stores to the table. The suite intercepts its backend's stores and calls
 * qcom_minidump_toc_kunit_check() after each.
 *
 * Context: Process context.
 */
void qcom_minidump_toc_kunit_store_sequence(struct qcom_minidump_toc_model *model)
{
	struct qcom_minidump_backend *backend = model->backend;
	const u64 seed = 0x6372617368ULL;
	unsigned int p;

	kunit_info(model->test, "seed %#llx\n", seed);
	KUNIT_ASSERT_EQ(model->test, backend->ops->table_init(backend), 0);
	qcom_minidump_toc_kunit_random(model, 400, seed);
	/* Take everything down and bring it back: exit, init, reuse. */
	for (p = 0; p < POOL; p++)
		if (model->live[p])
			qcom_minidump_toc_kunit_unreg(model, p);
	backend->ops->table_exit(backend);
	KUNIT_ASSERT_EQ(model->test, backend->ops->table_init(backend), 0);
	qcom_minidump_toc_kunit_random(model, 200, seed + 1);
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_store_sequence);

static void core_free_action(void *md)
{
	qcom_minidump_core_free(md);
}

/**
 * qcom_minidump_toc_kunit_core() - a core of the test's own
 * @test: the test; the core is freed when the test ends
 *
 * Context: Process context; may sleep. Asserts on failure.
 * Return: the core.
 */
struct qcom_minidump *qcom_minidump_toc_kunit_core(struct kunit *test)
{
	struct qcom_minidump *md = qcom_minidump_core_alloc(true);

	KUNIT_ASSERT_NOT_NULL(test, md);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, core_free_action, md));
	return md;
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_core);

static void backend_release_action(void *data)
{
	struct qcom_minidump_backend *backend = data;

	if (backend->core)
		qcom_minidump_backend_unregister(backend);
}

/**
 * qcom_minidump_toc_kunit_release_backend() - unregister a backend when the test ends
 * @test: the test
 * @backend: the backend, unregistered then if it is registered
 *
 * Call it after qcom_minidump_toc_kunit_core(): actions run in reverse, so
 * the backend leaves the core before the core is freed, even after a
 * failed assertion.
 *
 * Context: Process context. Asserts on failure.
 */
void qcom_minidump_toc_kunit_release_backend(struct kunit *test,
					     struct qcom_minidump_backend *backend)
{
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, backend_release_action, backend));
}
EXPORT_SYMBOL_GPL(qcom_minidump_toc_kunit_release_backend);

MODULE_DESCRIPTION("KUnit model of the Qualcomm minidump firmware reader");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QCOM_MINIDUMP);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

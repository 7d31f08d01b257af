// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm minidump: the APSS region table, written the same way by every
 * backend that publishes it.
 *
 * A backend keeps the APSS entries in an array of &struct
 * qcom_minidump_toc_region in kernel memory and tells firmware (or the
 * hypervisor) where it is through the APSS slot of the table of contents:
 * in SMEM, or behind registers. Only the store to the slot differs; this
 * file does the rest, with the one store order the consistency rules allow.
 *
 * Firmware reads the table after a crash, which can stop the CPU between
 * any two stores. At every point a reader must find only whole entries:
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
 * observer other than this CPU, and cleans no cache. Firmware (SDI/TZ), or
 * the hypervisor, is assumed to flush the CPU caches before it reads the
 * table.
 */

#include <linux/bitmap.h>
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump_smem.h>

#include "qcom_minidump_internal.h"
#include "qcom_minidump_table.h"

/* The core's entry names fit firmware's field, as every backend promises. */
static_assert(QCOM_MINIDUMP_ENTRY_NAME_MAX <= QCOM_MINIDUMP_TOC_NAME_MAX);

/**
 * qcom_minidump_table_store() - the one store to the region array
 * @dst: a 4- or 8-byte field of an entry
 * @val: the value, in the table's byte order
 * @size: 4 or 8
 *
 * One single-copy atomic store. KUnit intercepts it to read the table
 * after every store. A backend whose APSS slot is in memory (SMEM) stores
 * the slot's fields through it too.
 *
 * Context: Any context.
 */
void qcom_minidump_table_store(void *dst, u64 val, unsigned int size)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_table_store, dst, val, size);

	if (size == sizeof(u64))
		WRITE_ONCE(*(u64 *)dst, val);
	else
		WRITE_ONCE(*(u32 *)dst, (u32)val);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_store, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_write_ss() - the one store to the APSS slot
 * @table: the table
 * @field: the field of the slot
 * @val: the value, in CPU byte order
 *
 * Calls the backend's &qcom_minidump_table.write_ss. KUnit intercepts it
 * too.
 */
VISIBLE_IF_KUNIT void qcom_minidump_table_write_ss(struct qcom_minidump_table *table,
						   enum qcom_minidump_ss_field field, u64 val)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_table_write_ss, table, field, val);

	table->write_ss(table, field, val);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_table_write_ss);

static void md_store_le32(__le32 *dst, u32 val)
{
	qcom_minidump_table_store(dst, (__force u32)cpu_to_le32(val), sizeof(*dst));
}

static void md_store_le64(__le64 *dst, u64 val)
{
	qcom_minidump_table_store(dst, (__force u64)cpu_to_le64(val), sizeof(*dst));
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
		qcom_minidump_table_store(dst + i, word, sizeof(word));
	}
}

/* Entries firmware reads: up to the last one in use. */
static unsigned int md_table_count(struct qcom_minidump_table *table)
{
	unsigned int last = find_last_bit(table->used, table->max_regions);

	return last < table->max_regions ? last + 1 : 0;
}

/* Lowest seq_num that no live entry named @name uses. */
static u32 md_table_seq_num(struct qcom_minidump_table *table, const char *name)
{
	unsigned int i;
	u32 seq = 0;
	bool taken;

	do {
		taken = false;
		for_each_set_bit(i, table->used, table->max_regions) {
			if (le32_to_cpu(table->regions[i].seq_num) == seq &&
			    !strncmp(table->regions[i].name, name, QCOM_MINIDUMP_TOC_NAME_SIZE)) {
				taken = true;
				seq++;
				break;
			}
		}
	} while (taken);
	return seq;
}

/**
 * qcom_minidump_table_alloc() - allocate an empty region array
 * @dev: device that owns the memory (device-managed)
 * @table: the table to fill in
 * @max_regions: entries of the array
 * @write_ss: the backend's store to its APSS slot
 *
 * The array comes from kmalloc, which is physically contiguous, because
 * firmware reads it by physical address.
 *
 * Context: Process context; allocates with GFP_KERNEL.
 * Return: 0, or %-ENOMEM.
 */
int qcom_minidump_table_alloc(struct device *dev, struct qcom_minidump_table *table,
			      unsigned int max_regions, qcom_minidump_ss_write_t write_ss)
{
	table->regions = devm_kcalloc(dev, max_regions, sizeof(*table->regions), GFP_KERNEL);
	table->used = devm_bitmap_zalloc(dev, max_regions, GFP_KERNEL);
	if (!table->regions || !table->used)
		return -ENOMEM;
	table->regions_phys = virt_to_phys(table->regions);
	table->max_regions = max_regions;
	table->write_ss = write_ss;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_alloc, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_publish() - point the APSS slot at an empty array
 * @table: the table
 *
 * The slot may hold anything (a previous kernel's table): it is disabled
 * first, rewritten, and enabled last. For &qcom_minidump_ops.table_init.
 *
 * Context: Any context; the caller serializes all calls on @table.
 */
void qcom_minidump_table_publish(struct qcom_minidump_table *table)
{
	bitmap_zero(table->used, table->max_regions);

	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENABLED,
				     QCOM_MINIDUMP_SS_DISABLED);
	wmb();	/* disabled before the rest changes */
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_REGION_COUNT, 0);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE,
				     table->regions_phys);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENCR_REQUIRED,
				     QCOM_MINIDUMP_SS_ENCR_NONE);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENCR_STATUS,
				     QCOM_MINIDUMP_SS_ENCR_DONE);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_STATUS,
				     QCOM_MINIDUMP_SS_STATUS_READY);
	wmb();	/* the slot is whole before it is enabled */
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENABLED,
				     QCOM_MINIDUMP_SS_ENABLED);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_publish, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_republish() - point the APSS slot at the table as it is
 * @table: the table, with its entries
 *
 * As qcom_minidump_table_publish(), but keeps the entries: the slot is
 * disabled, rewritten with this table's address and count, and enabled
 * last. For a backend's resume from hibernation, where the slot holds
 * what the kernel that booted and restored this one wrote.
 *
 * Context: Any context; the caller serializes all calls on @table.
 */
void qcom_minidump_table_republish(struct qcom_minidump_table *table)
{
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENABLED,
				     QCOM_MINIDUMP_SS_DISABLED);
	wmb();	/* disabled before the rest changes */
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_REGION_COUNT,
				     md_table_count(table));
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE,
				     table->regions_phys);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENCR_REQUIRED,
				     QCOM_MINIDUMP_SS_ENCR_NONE);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENCR_STATUS,
				     QCOM_MINIDUMP_SS_ENCR_DONE);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_STATUS,
				     QCOM_MINIDUMP_SS_STATUS_READY);
	wmb();	/* the slot is whole before it is enabled */
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENABLED,
				     QCOM_MINIDUMP_SS_ENABLED);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_republish, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_disable() - make firmware skip the APSS slot
 * @table: the table
 *
 * One store: the slot's enable word. Nothing else changes, and adding or
 * removing entries never enables the slot again; only
 * qcom_minidump_table_publish() does. For a backend's shutdown, before a
 * reboot or kexec hands this kernel's memory to the next one, and the
 * first step of qcom_minidump_table_retract().
 *
 * Context: Any context; it may race with the other calls on @table, which
 * never store the enable word while the backend is registered.
 */
void qcom_minidump_table_disable(struct qcom_minidump_table *table)
{
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENABLED,
				     QCOM_MINIDUMP_SS_DISABLED);
	wmb();	/* firmware skips the slot before anything that follows */
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_disable, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_retract() - clear the APSS slot
 * @table: the table
 *
 * Disables the slot first, then clears it, so that firmware dumps nothing
 * stale. For &qcom_minidump_ops.table_exit.
 *
 * Context: Any context; the caller serializes all calls on @table.
 */
void qcom_minidump_table_retract(struct qcom_minidump_table *table)
{
	qcom_minidump_table_disable(table);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_STATUS, 0);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_REGION_COUNT, 0);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_REGIONS_BASE, 0);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENCR_STATUS, 0);
	qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_ENCR_REQUIRED, 0);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_retract, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_add() - publish an entry
 * @table: the table
 * @entry: the region; its &qcom_minidump_entry.slot is set
 *
 * Takes the lowest free entry, fills it in, makes it valid, and then, if
 * it lies past region_count, raises the count. For
 * &qcom_minidump_ops.region_register.
 *
 * Context: Any context; the caller serializes all calls on @table.
 * Return: 0; %-ENOSPC if every entry is in use; %-ENAMETOOLONG if the name
 * is longer than %QCOM_MINIDUMP_TOC_NAME_MAX. On error nothing is stored.
 */
int qcom_minidump_table_add(struct qcom_minidump_table *table,
			    struct qcom_minidump_entry *entry)
{
	unsigned int slot = find_first_zero_bit(table->used, table->max_regions);

	return qcom_minidump_table_add_at(table, entry, slot);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_add, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_add_at() - publish an entry in a given slot
 * @table: the table
 * @entry: the region; its &qcom_minidump_entry.slot is set
 * @slot: a free entry of the array
 *
 * As qcom_minidump_table_add(), in @slot. Takes no lock, allocates nothing
 * and does not sleep, so that the crash path can use it for the entries
 * kept for it: qcom_minidump_table_add() takes the lowest free entry, so
 * it never reaches the last ones while the core keeps them free.
 *
 * Context: Any context; the caller serializes all calls on @table.
 * Return: 0; %-ENOSPC if @slot is out of the array or in use;
 * %-ENAMETOOLONG if the name is longer than %QCOM_MINIDUMP_TOC_NAME_MAX.
 * On error nothing is stored.
 */
int qcom_minidump_table_add_at(struct qcom_minidump_table *table,
			       struct qcom_minidump_entry *entry, unsigned int slot)
{
	struct qcom_minidump_toc_region *r;
	unsigned int count;
	u32 seq;

	if (slot >= table->max_regions || test_bit(slot, table->used))
		return -ENOSPC;
	if (strlen(entry->name) > QCOM_MINIDUMP_TOC_NAME_MAX)
		return -ENAMETOOLONG;

	seq = md_table_seq_num(table, entry->name);
	count = md_table_count(table);
	r = &table->regions[slot];

	/* A free entry is not VALI: fill it in, then make it valid. */
	md_store_name(r->name, entry->name);
	md_store_le32(&r->seq_num, seq);
	md_store_le64(&r->address, entry->phys_addr);
	md_store_le64(&r->size, entry->size);
	wmb();	/* the entry is whole before it is valid */
	md_store_le32(&r->valid, QCOM_MINIDUMP_REGION_VALID);

	if (slot >= count) {
		wmb();	/* valid before firmware is told to look that far */
		qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_REGION_COUNT,
					     slot + 1);
	}

	__set_bit(slot, table->used);
	entry->slot = slot;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_add_at, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_remove() - retract an entry
 * @table: the table
 * @entry: an entry qcom_minidump_table_add() accepted
 *
 * Marks the entry invalid first; lowers region_count only past entries no
 * longer in use. No other entry moves. For
 * &qcom_minidump_ops.region_unregister.
 *
 * Context: Any context; the caller serializes all calls on @table.
 */
void qcom_minidump_table_remove(struct qcom_minidump_table *table,
				struct qcom_minidump_entry *entry)
{
	unsigned int slot = entry->slot;
	unsigned int count;

	if (WARN_ON_ONCE(slot >= table->max_regions || !test_bit(slot, table->used)))
		return;

	md_store_le32(&table->regions[slot].valid, QCOM_MINIDUMP_REGION_INVALID);
	__clear_bit(slot, table->used);

	/* Firmware need not read past the last entry in use. */
	count = md_table_count(table);
	if (count <= slot) {
		wmb();	/* invalid before region_count drops below it */
		qcom_minidump_table_write_ss(table, QCOM_MINIDUMP_SS_FIELD_REGION_COUNT, count);
	}
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_remove, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_drop() - make firmware skip an entry, in one store
 * @table: the table
 * @entry: an entry qcom_minidump_table_add() accepted
 *
 * Marks the entry invalid and nothing else: the entry stays in use, with
 * its slot and region_count, until qcom_minidump_table_remove() retracts
 * it. For &qcom_minidump_ops.region_drop, when the region's memory is
 * freed.
 *
 * Context: Any context, and concurrently with the other calls on @table:
 * they never store to an entry that is in use, and this stores to nothing
 * else.
 */
void qcom_minidump_table_drop(struct qcom_minidump_table *table,
			      struct qcom_minidump_entry *entry)
{
	if (WARN_ON_ONCE(entry->slot >= table->max_regions))
		return;
	md_store_le32(&table->regions[entry->slot].valid, QCOM_MINIDUMP_REGION_INVALID);
	wmb();	/* firmware skips it before the memory is reused */
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_drop, QCOM_MINIDUMP);

/* ---- moving regions: the core's qcom_minidump_core_moving_retarget() ---- */

/**
 * qcom_minidump_table_hide() - make firmware skip an entry that will move
 * @table: the table
 * @entry: an entry qcom_minidump_table_add() accepted
 *
 * One store, the valid word: the entry keeps its place, its name and its
 * seq_num, and region_count does not change. For
 * &qcom_minidump_ops.moving_hide.
 *
 * Context: Any context; different entries may be hidden and shown at
 * once, but the caller keeps calls on one entry, and every other call on
 * @table, apart.
 */
void qcom_minidump_table_hide(struct qcom_minidump_table *table,
			      struct qcom_minidump_entry *entry)
{
	md_store_le32(&table->regions[entry->slot].valid, QCOM_MINIDUMP_REGION_INVALID);
	wmb();	/* invalid before the address changes */
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_hide, QCOM_MINIDUMP);

/**
 * qcom_minidump_table_show() - publish a hidden entry at its new address
 * @table: the table
 * @entry: the entry qcom_minidump_table_hide() hid, at its new
 *	&qcom_minidump_entry.phys_addr
 *
 * The address first, valid last. For &qcom_minidump_ops.moving_show.
 *
 * Context: As qcom_minidump_table_hide().
 */
void qcom_minidump_table_show(struct qcom_minidump_table *table,
			      struct qcom_minidump_entry *entry)
{
	struct qcom_minidump_toc_region *r = &table->regions[entry->slot];

	md_store_le64(&r->address, entry->phys_addr);
	wmb();	/* the entry is whole before it is valid */
	md_store_le32(&r->valid, QCOM_MINIDUMP_REGION_VALID);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_show, QCOM_MINIDUMP);

static struct qcom_minidump_table *to_table(struct qcom_minidump_backend *backend)
{
	return backend->priv;
}

static int qcom_minidump_table_op_init(struct qcom_minidump_backend *backend)
{
	qcom_minidump_table_publish(to_table(backend));
	return 0;
}

static void qcom_minidump_table_op_exit(struct qcom_minidump_backend *backend)
{
	qcom_minidump_table_retract(to_table(backend));
}

static int qcom_minidump_table_op_register(struct qcom_minidump_backend *backend,
					   struct qcom_minidump_entry *entry)
{
	return qcom_minidump_table_add(to_table(backend), entry);
}

static void qcom_minidump_table_op_unregister(struct qcom_minidump_backend *backend,
					      struct qcom_minidump_entry *entry)
{
	qcom_minidump_table_remove(to_table(backend), entry);
}

static void qcom_minidump_table_op_drop(struct qcom_minidump_backend *backend,
					struct qcom_minidump_entry *entry)
{
	qcom_minidump_table_drop(to_table(backend), entry);
}

/* The entries kept for the crash path are the last ones of the array. */
static void qcom_minidump_table_op_moving_hide(struct qcom_minidump_backend *backend,
					       struct qcom_minidump_entry *entry)
{
	qcom_minidump_table_hide(to_table(backend), entry);
}

static void qcom_minidump_table_op_moving_show(struct qcom_minidump_backend *backend,
					       struct qcom_minidump_entry *entry)
{
	qcom_minidump_table_show(to_table(backend), entry);
}

static int qcom_minidump_table_op_crash_register(struct qcom_minidump_backend *backend,
						 struct qcom_minidump_entry *entry,
						 unsigned int index)
{
	struct qcom_minidump_table *table = to_table(backend);

	return qcom_minidump_table_add_at(table, entry,
					  table->max_regions - backend->crash_entries + index);
}

/*
 * The ops of a backend that publishes a table: the same for SMEM and MMIO,
 * which differ only in their write_ss. &qcom_minidump_backend.priv is the
 * &struct qcom_minidump_table.
 */
const struct qcom_minidump_ops qcom_minidump_table_ops = {
	.table_init = qcom_minidump_table_op_init,
	.table_exit = qcom_minidump_table_op_exit,
	.region_register = qcom_minidump_table_op_register,
	.region_unregister = qcom_minidump_table_op_unregister,
	.region_drop = qcom_minidump_table_op_drop,
	.crash_region_register = qcom_minidump_table_op_crash_register,
	.moving_hide = qcom_minidump_table_op_moving_hide,
	.moving_show = qcom_minidump_table_op_moving_show,
};
EXPORT_SYMBOL_NS_GPL(qcom_minidump_table_ops, QCOM_MINIDUMP);

MODULE_DESCRIPTION("Qualcomm minidump APSS region table");
MODULE_LICENSE("GPL");

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm APSS minidump: the interface between the core and a backend.
 *
 * A backend is what makes regions known to firmware, for example by
 * writing them into the table of contents in SMEM. Exactly one backend is
 * registered at a time; the core calls its ops with the core's registry
 * mutex held, so ops are never called concurrently and may sleep; they must
 * not call back into the core. A backend module is safe to unload because
 * its remove unregisters it: after qcom_minidump_backend_unregister() the
 * core never calls its ops again.
 *
 * Every backend stores entry names of %QCOM_MINIDUMP_ENTRY_NAME_MAX
 * characters and keeps the crash-consistency rules of
 * Documentation/driver-api/qcom-minidump.rst: a crash may stop the CPU
 * between any two of its stores, and firmware must then find only whole
 * entries.
 *
 * The crash path is the exception to the mutex: at a panic, with the
 * other CPUs stopped (one of them perhaps holding the mutex), the core
 * adds the registers' notes and the crashing tasks' stacks. It calls only
 * &qcom_minidump_ops.crash_region_register then, for entries the backend
 * kept free from the start, and that op may take no lock, allocate
 * nothing and not sleep.
 */

#ifndef __QCOM_MINIDUMP_INTERNAL_H__
#define __QCOM_MINIDUMP_INTERNAL_H__

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rbtree_types.h>
#include <linux/sizes.h>
#include <linux/threads.h>
#include <linux/types.h>
#include <soc/qcom/qcom_minidump.h>

struct device;
struct module;
struct qcom_minidump;
struct qcom_minidump_backend;

/* Longest name in a backend's table: the core's 'K' and the client's name. */
#define QCOM_MINIDUMP_ENTRY_NAME_MAX	(QCOM_MINIDUMP_NAME_MAX + 1)
#define QCOM_MINIDUMP_ENTRY_NAME_SIZE	(QCOM_MINIDUMP_ENTRY_NAME_MAX + 1)

/*
 * Most entries a backend may declare, the core's own included. It bounds
 * the ELF header (about 34 KiB at this size) and its layout arithmetic.
 */
#define QCOM_MINIDUMP_MAX_ENTRIES	256

/*
 * Most entries, and bytes of notes, the crash path may keep: the stacks
 * and tasks of the CPUs that crashed, and their registers.
 */
#define QCOM_MINIDUMP_CRASH_ENTRIES	48
/* An NT_PRSTATUS is 412 bytes on arm64: 512 a CPU, and room for the rest. */
#define QCOM_MINIDUMP_CRASH_NOTE_MAX	(SZ_4K + NR_CPUS * SZ_512)

/**
 * struct qcom_minidump_entry - a region as the core hands it to a backend
 * @node:	the core's: its list of regions, in program-header order
 * @by_phys:	the core's: its index of regions by physical address
 * @index:	the core's: the region's place among the program headers
 * @published:	the core's: the backend has the entry
 * @moves:	the core's: a moving region, whose address changes without the
 *		mutex (see qcom_minidump_core_moving_retarget()); not in @by_phys
 * @name:	name for firmware's table: 'K' and the client's name, NUL-terminated
 * @virt_addr:	kernel virtual address of the region
 * @phys_addr:	physical address of the region
 * @size:	size in bytes, a non-zero multiple of 4
 * @zero_tail:	bytes after @size that are zero: in the ELF header only
 * @slot:	the backend's own: set by &qcom_minidump_ops.region_register to
 *		find the entry again in &qcom_minidump_ops.region_unregister
 * @owner:	the core's: module that registered a client's region, NULL for
 *		built-in code
 * @md:		the core's: the core a client's region is registered with
 * @live:	the core's: its place in the table the free check looks in
 * @drop:	the core's: how far the free check is with the entry, lock-free
 * @fw:		the core's: the backend that has the entry, read by the free
 *		check without the mutex; NULL when none has it
 * @stale:	the core's: the free check took the header's magic for it
 * @rcu:	the core's: a client's entry is freed after a grace period,
 *		since the free check looks entries up without a lock
 */
struct qcom_minidump_entry {
	struct list_head node;
	struct rb_node by_phys;
	unsigned int index;
	bool published;
	bool moves;
	char name[QCOM_MINIDUMP_ENTRY_NAME_SIZE];
	void *virt_addr;
	phys_addr_t phys_addr;
	size_t size;
	size_t zero_tail;
	unsigned int slot;
	struct module *owner;
	struct qcom_minidump *md;
	struct hlist_node live;
	atomic_t drop;
	struct qcom_minidump_backend *fw;
	bool stale;
	struct rcu_head rcu;
};

/**
 * struct qcom_minidump_ops - what a backend does for the core
 * @table_init:		Prepare an empty table that firmware will read. Called
 *			once, when the backend is registered and before any
 *			other op. Registry mutex held; may sleep. Return: 0 or
 *			a negative errno, which fails the registration.
 * @table_exit:		Empty the table so that firmware dumps nothing stale.
 *			Called once, when the backend is unregistered, after
 *			every region has been unregistered, or when its
 *			registration fails after @table_init. Registry mutex
 *			held; may sleep.
 * @region_register:	Publish @entry to firmware. The core has checked the
 *			entry and made sure the table has room. When it returns
 *			0 the entry is complete for firmware. Registry mutex
 *			held; may sleep. Return: 0 or a negative errno; on
 *			error the table is unchanged.
 * @region_unregister:	Retract an entry that @region_register accepted.
 *			Cannot fail: from its first store on, firmware must no
 *			longer dump the entry. Registry mutex held; may sleep.
 * @region_drop:	Optional. Make firmware skip an entry that
 *			@region_register accepted, in one store, because the
 *			memory under it is being freed. Called from the
 *			allocator's free path, in any context, without the
 *			registry mutex and perhaps while its holder changes
 *			other entries: it may take no lock, allocate nothing
 *			and not sleep, and must leave the entry for
 *			@region_unregister, which the core calls later with
 *			the mutex held.
 * @crash_region_register: Optional. Publish @entry at a crash, in the
 *			@index-th of the &qcom_minidump_backend.crash_entries
 *			entries kept free, with the same store order as
 *			@region_register. Called on the crashing CPU with the
 *			others stopped and the registry mutex perhaps held by
 *			one of them: it must take no lock, allocate nothing
 *			and not sleep. Each index comes once, in order.
 *			Return: 0 or a negative errno; on error the table is
 *			unchanged.
 * @moving_hide:	Optional, with @moving_show; without them moving regions
 *			keep the address they were published with. Make
 *			firmware skip the published moving @entry, in one store,
 *			keeping its place: the first step of moving it. Called
 *			without the registry mutex, from any context (the
 *			scheduler), for different entries at once; never for
 *			one entry twice at once, nor while the mutex holder
 *			changes the table. Takes no lock, does not sleep.
 * @moving_show:	Point the entry @moving_hide hid at its
 *			&qcom_minidump_entry.phys_addr, then make firmware dump
 *			it again: address first, valid last. As @moving_hide.
 */
struct qcom_minidump_ops {
	int (*table_init)(struct qcom_minidump_backend *backend);
	void (*table_exit)(struct qcom_minidump_backend *backend);
	int (*region_register)(struct qcom_minidump_backend *backend,
			       struct qcom_minidump_entry *entry);
	void (*region_unregister)(struct qcom_minidump_backend *backend,
				  struct qcom_minidump_entry *entry);
	void (*region_drop)(struct qcom_minidump_backend *backend,
			    struct qcom_minidump_entry *entry);
	int (*crash_region_register)(struct qcom_minidump_backend *backend,
				     struct qcom_minidump_entry *entry, unsigned int index);
	void (*moving_hide)(struct qcom_minidump_backend *backend,
			    struct qcom_minidump_entry *entry);
	void (*moving_show)(struct qcom_minidump_backend *backend,
			    struct qcom_minidump_entry *entry);
};

/**
 * struct qcom_minidump_backend - a registered backend
 * @name:		short name for log messages
 * @dev:		device the backend belongs to, for log messages
 * @ops:		what the backend does
 * @max_regions:	entries its table holds, the core's own regions
 *			included: 4 to %QCOM_MINIDUMP_MAX_ENTRIES
 * @priv:		the backend's own data
 * @core:		the core's: the core it is registered with, or NULL
 * @crash_entries:	the core's: entries of the table kept for the crash
 *			path, set before &qcom_minidump_ops.table_init. The
 *			core hands @region_register at most @max_regions -
 *			@crash_entries entries at a time.
 * @standby:		the core's: its place among the backends that wait
 *			to take over when the registered one goes
 */
struct qcom_minidump_backend {
	const char *name;
	struct device *dev;
	const struct qcom_minidump_ops *ops;
	unsigned int max_regions;
	void *priv;
	struct qcom_minidump *core;
	unsigned int crash_entries;
	struct list_head standby;
};

int qcom_minidump_backend_register(struct qcom_minidump_backend *backend);
void qcom_minidump_backend_unregister(struct qcom_minidump_backend *backend);
int qcom_minidump_backend_lock(struct qcom_minidump_backend *backend);
void qcom_minidump_backend_unlock(struct qcom_minidump_backend *backend);

/* The crash path: see qcom_minidump.c. */
int qcom_minidump_crash_reserve(unsigned int entries, size_t note_room);
int qcom_minidump_crash_begin(void);
int qcom_minidump_crash_region_add(const char *name, void *virt_addr, phys_addr_t phys_addr,
				   size_t size);
int qcom_minidump_crash_copy_add(const char *name, void *virt_addr, phys_addr_t phys_addr,
				 phys_addr_t at, size_t size);
struct module;
unsigned long qcom_minidump_module_text(struct module *mod);
/* The page-table pages below the PGD that map one address, at most. */
#define QCOM_MINIDUMP_TABLE_LEVELS	(CONFIG_PGTABLE_LEVELS - 1)
unsigned int qcom_minidump_table_pages(unsigned long addr,
				       phys_addr_t phys[QCOM_MINIDUMP_TABLE_LEVELS]);
void *qcom_minidump_crash_note_room(size_t *room);
int qcom_minidump_crash_note_add(size_t len);

/* Moving regions, for built-in clients: see "moving regions" in qcom_minidump.c. */
struct qcom_minidump_moving;
struct qcom_minidump *qcom_minidump_kernel_core(void);
struct qcom_minidump_moving *qcom_minidump_core_moving_register(struct qcom_minidump *md,
								const char *name, void *virt_addr,
								phys_addr_t phys_addr, size_t size);
void qcom_minidump_core_moving_unregister(struct qcom_minidump_moving *mv);
int qcom_minidump_core_moving_retarget(struct qcom_minidump_moving *mv, void *virt_addr,
				       phys_addr_t phys_addr);
int qcom_minidump_core_fixed_register(struct qcom_minidump *md,
				      const struct qcom_minidump_region *region);
int qcom_minidump_core_fixed_unregister(struct qcom_minidump *md,
					const struct qcom_minidump_region *region);
void qcom_minidump_moving_store(void *dst, u64 val);

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * For KUnit only: cores of a test's own, so that tests share no state with
 * the kernel's clients and backends.
 */
struct qcom_minidump *qcom_minidump_core_alloc(bool with_note);
void qcom_minidump_core_free(struct qcom_minidump *md);
int qcom_minidump_core_region_register(struct qcom_minidump *md,
				       const struct qcom_minidump_region *region);
int qcom_minidump_core_region_register_owned(struct qcom_minidump *md,
					     const struct qcom_minidump_region *region,
					     struct module *owner);
void qcom_minidump_core_module_going(struct qcom_minidump *md, struct module *mod);
void qcom_minidump_core_memory_offline(struct qcom_minidump *md, phys_addr_t start,
				       phys_addr_t size);
void qcom_minidump_core_flush_drops(struct qcom_minidump *md);
int qcom_minidump_core_region_unregister(struct qcom_minidump *md,
					 const struct qcom_minidump_region *region);
int qcom_minidump_core_backend_register(struct qcom_minidump *md,
					struct qcom_minidump_backend *backend);
int qcom_minidump_core_devm_region_register(struct qcom_minidump *md, struct device *dev,
					    const struct qcom_minidump_region *region);
bool qcom_minidump_core_has_backend(struct qcom_minidump *md);
int qcom_minidump_core_crash_reserve(struct qcom_minidump *md, unsigned int entries,
				     size_t note_room);
int qcom_minidump_core_crash_begin(struct qcom_minidump *md);
int qcom_minidump_core_crash_region_add(struct qcom_minidump *md, const char *name,
					void *virt_addr, phys_addr_t phys_addr, size_t size);
int qcom_minidump_core_crash_copy_add(struct qcom_minidump *md, const char *name,
				      void *virt_addr, phys_addr_t phys_addr, phys_addr_t at,
				      size_t size);
void *qcom_minidump_core_crash_note_room(struct qcom_minidump *md, size_t *room);
int qcom_minidump_core_crash_note_add(struct qcom_minidump *md, size_t len);
void qcom_minidump_core_crash_undo(struct qcom_minidump *md);
struct qcom_minidump *qcom_minidump_global_core(void);
#endif

#endif /* __QCOM_MINIDUMP_INTERNAL_H__ */

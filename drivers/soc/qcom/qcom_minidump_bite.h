/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm minidump: the watchdog-bite client, for its KUnit suite.
 * See qcom_minidump_bite.c.
 */

#ifndef __QCOM_MINIDUMP_BITE_H__
#define __QCOM_MINIDUMP_BITE_H__

#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/pgtable.h>
#include <linux/sizes.h>
#include <linux/thread_info.h>
#include <linux/types.h>
#include <soc/qcom/qcom_minidump.h>

#include "qcom_minidump_internal.h"

struct module;
struct qcom_minidump;
struct qcom_minidump_moving;
struct vm_struct;

/* A CPU context buffer: firmware's format 1.4 takes 0x800 bytes. */
#define QCOM_MINIDUMP_CPU_CTX_SIZE	0x800

/* The memory dump table v2, as firmware reads it (little-endian). */
#define QCOM_MINIDUMP_DUMP_TABLE_VERSION	0x00200000
#define QCOM_MINIDUMP_DUMP_TYPE_DATA		0
#define QCOM_MINIDUMP_DUMP_TYPE_TABLE		1
#define QCOM_MINIDUMP_DUMP_ID_APPS		0
#define QCOM_MINIDUMP_DUMP_ID_CPU_CTX		0x00
#define QCOM_MINIDUMP_DUMP_NAME_SIZE		32

/**
 * struct qcom_minidump_dump_entry - an entry of a memory dump table
 * @id:		what it is: %QCOM_MINIDUMP_DUMP_ID_APPS in the root table,
 *		%QCOM_MINIDUMP_DUMP_ID_CPU_CTX + cpu in the apps table
 * @name:	NUL-padded name, for people
 * @type:	%QCOM_MINIDUMP_DUMP_TYPE_TABLE or %QCOM_MINIDUMP_DUMP_TYPE_DATA
 * @addr:	physical address of the table or of the &struct qcom_minidump_dump_data
 */
struct qcom_minidump_dump_entry {
	__le32 id;
	char name[QCOM_MINIDUMP_DUMP_NAME_SIZE];
	__le32 type;
	__le64 addr;
};

/**
 * struct qcom_minidump_dump_table - a memory dump table, v2
 * @version:	%QCOM_MINIDUMP_DUMP_TABLE_VERSION
 * @num_entries: entries that follow
 * @entries:	the entries
 */
struct qcom_minidump_dump_table {
	__le32 version;
	__le32 num_entries;
	struct qcom_minidump_dump_entry entries[];
};

/**
 * struct qcom_minidump_dump_data - what firmware fills, and where
 * @version:	the buffer's format, written by firmware with @magic
 * @magic:	0x42445953 ("SYDB") once firmware has written the buffer
 * @name:	NUL-padded name, for people
 * @addr:	physical address of the buffer
 * @len:	its size
 * @reserved:	0
 */
struct qcom_minidump_dump_data {
	__le32 version;
	__le32 magic;
	char name[QCOM_MINIDUMP_DUMP_NAME_SIZE];
	__le64 addr;
	__le64 len;
	__le32 reserved;
};

/* Pages of a task's stack and of an IRQ stack, each a region of its own. */
#define QCOM_MINIDUMP_STACK_PAGES	(THREAD_SIZE / PAGE_SIZE)

/* KMODULES: fixed lines, each ending in '\n', blank (spaces) when free. */
#define QCOM_MINIDUMP_MODULE_LINE	96
#define QCOM_MINIDUMP_MODULE_LINES	128

/**
 * struct qcom_minidump_bite_cpu - what the client keeps for one CPU
 * @ctx:	the CPU context buffer firmware fills, a page of its own
 * @ctx_region:	its region, KCPU_CTX<cpu>
 * @istack:	the IRQ stack's pages, KISTACK<cpu>_<page>
 * @itable:	the page-table pages that map the IRQ stack and no earlier
 *		CPU's, KIPT<cpu>_<level>
 * @bank:	two sets of the current task's regions, KSTACK<cpu>_<page>
 *		and KTASK<cpu> (last); see "live stacks" in qcom_minidump_bite.c
 * @table:	for each set, the page-table pages that map its stack,
 *		KPT<cpu>_<level>
 * @bank_task:	the task each set holds, NULL while it holds none whole
 * @bank_stack:	that task's stack
 */
struct qcom_minidump_bite_cpu {
	void *ctx;
	struct qcom_minidump_region ctx_region;
	struct qcom_minidump_moving *istack[QCOM_MINIDUMP_STACK_PAGES];
	struct qcom_minidump_moving *itable[QCOM_MINIDUMP_TABLE_LEVELS];
	struct qcom_minidump_moving *bank[2][QCOM_MINIDUMP_STACK_PAGES + 1];
	struct qcom_minidump_moving *table[2][QCOM_MINIDUMP_TABLE_LEVELS];
	const void *bank_task[2];
	const void *bank_stack[2];
};

/**
 * struct qcom_minidump_bite - the client's state
 * @md:			the core it registers with
 * @nr_cpus:		CPUs 0 to @nr_cpus - 1 are served
 * @cpus:		per CPU, @nr_cpus of them
 * @memdump:		the memory dump tables and their data entries
 * @memdump_size:	bytes of @memdump
 * @memdump_region:	its region, MEMDUMP
 * @modules:		the KMODULES text
 * @modules_region:	its region
 * @modules_lock:	serializes changes to @modules and @module_of
 * @module_of:		the module each line names, or NULL
 * @module_nb:		the module notifier
 * @live:		the sched_switch probe is registered
 */
struct qcom_minidump_bite {
	struct qcom_minidump *md;
	unsigned int nr_cpus;
	struct qcom_minidump_bite_cpu *cpus;
	void *memdump;
	size_t memdump_size;
	struct qcom_minidump_region memdump_region;
	char *modules;
	struct qcom_minidump_region modules_region;
	struct mutex modules_lock;	/* guards @modules and @module_of */
	const struct module *module_of[QCOM_MINIDUMP_MODULE_LINES];
	struct notifier_block module_nb;
	bool live;
};

/* The client's own functions, static but for its KUnit suite. */
#if IS_ENABLED(CONFIG_KUNIT)
int qcom_minidump_bite_setup(struct qcom_minidump_bite *b, struct qcom_minidump *md,
			     unsigned int nr_cpus);
void qcom_minidump_bite_teardown(struct qcom_minidump_bite *b);
void qcom_minidump_bite_switch(struct qcom_minidump_bite *b, unsigned int cpu,
			       const void *prev, bool prev_dead, void *next, void *stack,
			       struct vm_struct *vm);
int qcom_minidump_bite_live_start(struct qcom_minidump_bite *b);
void qcom_minidump_bite_live_stop(struct qcom_minidump_bite *b);
int qcom_minidump_bite_module_event(struct qcom_minidump_bite *b, bool add, const char *name,
				    const void *base, const struct module *mod);
struct qcom_minidump_bite *qcom_minidump_bite_kernel(void);
pgd_t *qcom_minidump_bite_pgd_entry(unsigned long addr);
void *qcom_minidump_bite_alloc_pages(size_t size);
#endif

#endif /* __QCOM_MINIDUMP_BITE_H__ */

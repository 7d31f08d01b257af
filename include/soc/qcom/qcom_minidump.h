/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm APSS minidump: the interface for client drivers.
 *
 * A client names a region of kernel memory that boot firmware should save
 * after a crash. See Documentation/driver-api/qcom-minidump.rst.
 */

#ifndef __QCOM_MINIDUMP_H__
#define __QCOM_MINIDUMP_H__

#include <linux/errno.h>
#include <linux/init.h>
#include <linux/types.h>

struct device;
struct module;

/*
 * Longest client region name, without the NUL. Firmware's name field keeps
 * 11 characters; the core puts a 'K' in front of every name, which leaves
 * clients 10. Every backend stores names of this length.
 */
#define QCOM_MINIDUMP_NAME_MAX	10

/**
 * struct qcom_minidump_region - a memory region for firmware to dump
 * @name:	NUL-terminated name of 1 to %QCOM_MINIDUMP_NAME_MAX characters
 *		from ``[A-Za-z0-9_.-]``; it names the dumped file. The core
 *		stores it with a leading 'K', which collection tools use to
 *		tell kernel regions apart. The core's own names (ELF_HEADER,
 *		VMCOREINFO, BANNER, and any name starting with "ELF") are
 *		reserved.
 * @virt_addr:	kernel virtual address: in the linear map or the kernel
 *		image, not vmalloc, module, stack or __init memory
 * @phys_addr:	physical address of @virt_addr, where firmware reads; no
 *		other region may start there
 * @size:	size in bytes, a multiple of 4
 * @zero_tail:	bytes after @size that the kernel keeps zero for as long as
 *		the region is registered, a multiple of 4, or 0: debuggers
 *		read them as zeroes (the program header's p_memsz covers
 *		them), firmware does not dump them. For a table whose unused
 *		end is zero; never for memory that merely is not dumped.
 *
 * The same description, passed back to qcom_minidump_region_unregister(),
 * identifies the region: clients need no handle.
 */
struct qcom_minidump_region {
	char name[QCOM_MINIDUMP_NAME_MAX + 1];
	void *virt_addr;
	phys_addr_t phys_addr;
	size_t size;
	size_t zero_tail;
};

#if IS_ENABLED(CONFIG_QCOM_MINIDUMP)

int __qcom_minidump_region_register(const struct qcom_minidump_region *region,
				    struct module *owner);
int qcom_minidump_region_unregister(const struct qcom_minidump_region *region);
int __devm_qcom_minidump_region_register(struct device *dev,
					 const struct qcom_minidump_region *region,
					 struct module *owner);

/*
 * The core notes the calling module, to drop the regions it leaves behind
 * when it unloads.
 */
#define qcom_minidump_region_register(region) \
	__qcom_minidump_region_register(region, THIS_MODULE)
#define devm_qcom_minidump_region_register(dev, region) \
	__devm_qcom_minidump_region_register(dev, region, THIS_MODULE)

#else

/*
 * A minidump only helps debugging; a driver must work the same without it.
 * So when the core is not built, registering quietly succeeds and does
 * nothing, and the caller needs no #ifdef of its own.
 */
static inline int qcom_minidump_region_register(const struct qcom_minidump_region *region)
{
	return 0;
}

static inline int qcom_minidump_region_unregister(const struct qcom_minidump_region *region)
{
	return 0;
}

static inline int devm_qcom_minidump_region_register(struct device *dev,
						     const struct qcom_minidump_region *region)
{
	return 0;
}

#endif /* CONFIG_QCOM_MINIDUMP */

/*
 * The memory dump table of the bite client, for the board code that
 * tells firmware where it is (shared IMEM or SCM): see
 * qcom_minidump_memdump_table() and the "watchdog bite" section of
 * Documentation/driver-api/qcom-minidump.rst.
 */
#if IS_ENABLED(CONFIG_QCOM_MINIDUMP_BITE)
int qcom_minidump_memdump_table(phys_addr_t *phys);
#else
/* No table: there is nothing to publish, and the board says nothing. */
static inline int qcom_minidump_memdump_table(phys_addr_t *phys)
{
	return -ENODEV;
}
#endif

#endif /* __QCOM_MINIDUMP_H__ */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm minidump client: the kernel log, in every dump.
 *
 * The live printk ring buffer is registered from boot: the "prb" pointer,
 * the ring it points to, and the ring's descriptor, info and text arrays
 * (regions PRB, PRB_RING, PRB_DESCS, PRB_INFOS, PRB_TEXT). A dump taken
 * with no panic code run at all (a watchdog bite, a bus error, a
 * hypervisor kill) still has the whole log, which drgn, crash and
 * "minidump dmesg" decode through the VMCOREINFO note.
 *
 * A kmsg dumper also copies the newest part of the log, as text ending in
 * a NUL, into a buffer registered as region "LOGBUF", on a panic or oops:
 * plain text that needs no decoder, and that survives a ring buffer the
 * crash itself corrupted. It is registered after the ring, so that a
 * table too small for both keeps the live log.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/kmsg_dump.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump.h>

#include "qcom_minidump_log.h"

#define MD_LOG_SIZE		SZ_64K

static struct qcom_minidump_region md_ring_regions[] = {
	{ .name = "PRB" },
	{ .name = "PRB_RING" },
	{ .name = "PRB_DESCS" },
	{ .name = "PRB_INFOS" },
	{ .name = "PRB_TEXT" },
};

/* In the kernel image, so it is there from boot and never moves. */
static char md_log_buf[MD_LOG_SIZE] __aligned(8);

static struct qcom_minidump_region md_log_region = {
	.name = "LOGBUF",
	.size = MD_LOG_SIZE,
};

/**
 * qcom_minidump_log_fill() - the newest messages of the log, as text
 * @buf: where to write
 * @size: bytes at @buf, at least 1
 *
 * Writes the newest whole messages that fit and a NUL after them.
 *
 * Context: any context kmsg_dump_get_buffer() allows, a panic included.
 * Return: the length of the text, without the NUL.
 */
VISIBLE_IF_KUNIT size_t qcom_minidump_log_fill(char *buf, size_t size)
{
	struct kmsg_dump_iter iter;
	size_t len = 0;

	kmsg_dump_rewind(&iter);
	kmsg_dump_get_buffer(&iter, false, buf, size - 1, &len);
	buf[len] = '\0';
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_log_fill);

static void md_log_dump(struct kmsg_dumper *dumper, struct kmsg_dump_detail *detail)
{
	qcom_minidump_log_fill(md_log_buf, sizeof(md_log_buf));
}

static struct kmsg_dumper md_log_dumper = {
	.dump = md_log_dump,
	.max_reason = KMSG_DUMP_OOPS,
};

static void md_ring_region_set(struct qcom_minidump_region *r, void *addr, size_t size)
{
	r->virt_addr = addr;
	/* Memblock memory when log_buf_len= moved the log, else the kernel image. */
	r->phys_addr = virt_addr_valid(addr) ? virt_to_phys(addr) : __pa_symbol(addr);
	r->size = size;
}

/*
 * The live ring, as printk has it once start_kernel() ran setup_log_buf():
 * it does not move after that, so it is registered once.
 */
static int md_ring_register(void)
{
	struct printk_ringbuffer_mem mem;
	size_t total = 0;
	unsigned int i;
	int ret;

	printk_get_ringbuffer_mem(&mem);
	md_ring_region_set(&md_ring_regions[0], mem.prb, mem.prb_size);
	md_ring_region_set(&md_ring_regions[1], mem.ring, mem.ring_size);
	md_ring_region_set(&md_ring_regions[2], mem.descs, mem.descs_size);
	md_ring_region_set(&md_ring_regions[3], mem.infos, mem.infos_size);
	md_ring_region_set(&md_ring_regions[4], mem.text, mem.text_size);

	for (i = 0; i < ARRAY_SIZE(md_ring_regions); i++) {
		ret = qcom_minidump_region_register(&md_ring_regions[i]);
		if (ret) {
			pr_err("printk ring buffer not registered for minidump: %s: %pe\n",
			       md_ring_regions[i].name, ERR_PTR(ret));
			while (i--)
				qcom_minidump_region_unregister(&md_ring_regions[i]);
			return ret;
		}
		total += md_ring_regions[i].size;
	}
	pr_info("printk ring buffer goes to minidump: %zu bytes in %zu regions\n", total,
		ARRAY_SIZE(md_ring_regions));
	return 0;
}

/*
 * The core keeps the regions until a backend comes, so this needs no
 * backend and never waits for one; early, so that the log is in the dump
 * of a crash from the moment a backend binds.
 */
static int __init md_log_init(void)
{
	int ret;

	/* The live log first: it must not lose its place to the snapshot. */
	md_ring_register();

	md_log_region.virt_addr = md_log_buf;
	md_log_region.phys_addr = __pa_symbol(md_log_buf);
	ret = qcom_minidump_region_register(&md_log_region);
	if (ret) {
		pr_err("kernel log not registered for minidump: %pe\n", ERR_PTR(ret));
		return ret;
	}

	ret = kmsg_dump_register(&md_log_dumper);
	if (ret) {
		pr_err("kernel log dumper not registered: %pe\n", ERR_PTR(ret));
		qcom_minidump_region_unregister(&md_log_region);
		return ret;
	}
	pr_info("kernel log goes to minidump region %s: %zu bytes at %pa\n",
		md_log_region.name, md_log_region.size, &md_log_region.phys_addr);
	return 0;
}
core_initcall(md_log_init);

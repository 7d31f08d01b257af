// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm minidump client: the kernel log at the time of a panic or oops.
 *
 * A kmsg dumper copies the newest part of the log, as text ending in a
 * NUL, into a buffer that is registered as region "LOGBUF" (KLOGBUF for
 * firmware). "minidump dmesg" prints it from the dump, with no vmlinux.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/kmsg_dump.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump.h>

#include "qcom_minidump_log.h"

#define MD_LOG_SIZE		SZ_64K

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

/*
 * The core keeps the region until a backend comes, so this needs no
 * backend and never waits for one; early, so that the log is in the dump
 * of a crash from the moment a backend binds.
 */
static int __init md_log_init(void)
{
	int ret;

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

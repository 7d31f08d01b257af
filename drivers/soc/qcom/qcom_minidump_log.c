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
#include <linux/jiffies.h>
#include <linux/kmsg_dump.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>
#include <soc/qcom/qcom_minidump.h>

#define MD_LOG_SIZE		SZ_64K
/* How long to wait for a backend, which probes after SMEM: 60 times a second. */
#define MD_LOG_TRIES		60
#define MD_LOG_RETRY		HZ

/* In the kernel image, so it is there from boot and never moves. */
static char md_log_buf[MD_LOG_SIZE] __aligned(8);

static struct qcom_minidump_region md_log_region = {
	.name = "LOGBUF",
	.size = MD_LOG_SIZE,
};

static void md_log_dump(struct kmsg_dumper *dumper, struct kmsg_dump_detail *detail)
{
	struct kmsg_dump_iter iter;
	size_t len = 0;

	kmsg_dump_rewind(&iter);
	/* The newest messages that fit, and a NUL after them. */
	kmsg_dump_get_buffer(&iter, false, md_log_buf, sizeof(md_log_buf) - 1, &len);
	md_log_buf[len] = '\0';
}

static struct kmsg_dumper md_log_dumper = {
	.dump = md_log_dump,
	.max_reason = KMSG_DUMP_OOPS,
};

static unsigned int md_log_tries;

static void md_log_register(struct work_struct *work);
static DECLARE_DELAYED_WORK(md_log_work, md_log_register);

/*
 * A built-in client has no probe to defer: until the backend is there,
 * try again a second later, for a minute at most.
 */
static void md_log_register(struct work_struct *work)
{
	int ret;

	ret = qcom_minidump_region_register(&md_log_region);
	if (ret == -EPROBE_DEFER && ++md_log_tries < MD_LOG_TRIES) {
		schedule_delayed_work(&md_log_work, MD_LOG_RETRY);
		return;
	}
	if (ret) {
		pr_err("kernel log not registered for minidump: %pe\n", ERR_PTR(ret));
		return;
	}

	ret = kmsg_dump_register(&md_log_dumper);
	if (ret) {
		pr_err("kernel log dumper not registered: %pe\n", ERR_PTR(ret));
		qcom_minidump_region_unregister(&md_log_region);
		return;
	}
	pr_info("kernel log goes to minidump region %s: %zu bytes at %pa\n",
		md_log_region.name, md_log_region.size, &md_log_region.phys_addr);
}

/*
 * After deferred probes have run, so that a built-in backend is there: a
 * crash right after boot must find the log registered already.
 */
static int __init md_log_init(void)
{
	md_log_region.virt_addr = md_log_buf;
	md_log_region.phys_addr = __pa_symbol(md_log_buf);
	md_log_register(&md_log_work.work);
	return 0;
}
late_initcall_sync(md_log_init);

// SPDX-License-Identifier: GPL-2.0-only
/*
 * A driver that asks Qualcomm boot firmware to save a buffer of its own
 * after a crash. It fills the buffer with a known pattern, so that a test
 * can find it byte for byte in the dump: byte i is (i * 7 + 0x5a) & 0xff.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <soc/qcom/qcom_minidump.h>

#define SAMPLE_SIZE	SZ_4K

static struct qcom_minidump_region sample_region = {
	.name = "SAMPLE",
	.size = SAMPLE_SIZE,
};

static int __init qcom_minidump_sample_init(void)
{
	u8 *buf;
	int ret;
	int i;

	/* kmalloc memory is physically contiguous, so firmware can read it. */
	buf = kmalloc(SAMPLE_SIZE, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < SAMPLE_SIZE; i++)
		buf[i] = (i * 7 + 0x5a) & 0xff;

	sample_region.virt_addr = buf;
	sample_region.phys_addr = virt_to_phys(buf);
	ret = qcom_minidump_region_register(&sample_region);
	if (ret) {
		kfree(buf);
		return ret;
	}
	pr_info("region %s registered: %zu bytes at %pa\n", sample_region.name,
		sample_region.size, &sample_region.phys_addr);
	return 0;
}
module_init(qcom_minidump_sample_init);

static void __exit qcom_minidump_sample_exit(void)
{
	/* The same description that was registered identifies the region. */
	qcom_minidump_region_unregister(&sample_region);
	kfree(sample_region.virt_addr);
	pr_info("region %s unregistered\n", sample_region.name);
}
module_exit(qcom_minidump_sample_exit);

MODULE_DESCRIPTION("Qualcomm minidump sample client");
MODULE_LICENSE("GPL");

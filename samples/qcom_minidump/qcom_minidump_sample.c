// SPDX-License-Identifier: GPL-2.0-only
/*
 * A driver that asks Qualcomm boot firmware to save a buffer of its own
 * after a crash. It fills the buffer with a known pattern, so that a test
 * can find it byte for byte in the dump: byte i is (i * 7 + 0x5a) & 0xff.
 *
 * For tests of the whole chain it can also bring about a crash, by a
 * word written to <debugfs>/qcom_minidump_sample/crash:
 *  - "bite": a crash that no panic code sees; it prints one line and then
 *    wedges every CPU with interrupts off, as a hung system does before
 *    the watchdog bites and firmware takes the dump;
 *  - "oops": a NULL pointer dereference in this module, in
 *    sample_oops_deref(), which panics with panic_on_oops;
 *  - "irq": a panic in hard interrupt context, from the callback of an
 *    hrtimer armed to fire at once, sample_irq_panic(). (LKDTM has no such
 *    crash: its interrupt crash points, INT_HW_IRQ_EN on handle_irq_event
 *    and the like, go through kprobes and crash in a kprobe's handler, and
 *    TIMERADD crashes in the caller of hrtimer_start().)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/hrtimer.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/stop_machine.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <soc/qcom/qcom_minidump.h>

#define SAMPLE_SIZE	SZ_4K

static struct qcom_minidump_region sample_region = {
	.name = "SAMPLE",
	.size = SAMPLE_SIZE,
};

static struct dentry *sample_debugfs;
static struct hrtimer sample_irq_timer;

/* Every CPU runs this with interrupts off (stop_machine()), and none returns. */
static int sample_wedge(void *unused)
{
	for (;;)
		cpu_relax();
	return 0;
}

/*
 * Not inlined, so that a debugger's backtrace names it, in the module,
 * above the debugfs write that called it.
 */
static noinline int sample_oops_deref(int *p)
{
	pr_emerg("oops test: a NULL pointer dereference in %s()\n", __func__);
	return READ_ONCE(*p);
}

/*
 * The timer's callback, in hard interrupt context (HRTIMER_MODE_REL_HARD,
 * so not moved to a softirq): not inlined, so that a backtrace names it
 * between panic() and the hrtimer interrupt that ran it.
 */
static noinline enum hrtimer_restart sample_irq_panic(struct hrtimer *timer)
{
	panic("irq test: %s() in hard interrupt context", __func__);
	return HRTIMER_NORESTART;
}

static ssize_t sample_crash_write(struct file *file, const char __user *ubuf, size_t len,
				  loff_t *ppos)
{
	char cmd[16];

	if (len >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, len))
		return -EFAULT;
	cmd[len] = '\0';
	strim(cmd);

	if (!strcmp(cmd, "bite")) {
		pr_emerg("watchdog bite test: every CPU stops with interrupts off, no panic\n");
		stop_machine(sample_wedge, NULL, cpu_online_mask);
	}
	if (!strcmp(cmd, "oops"))
		return sample_oops_deref(NULL);
	if (!strcmp(cmd, "irq")) {
		pr_emerg("irq test: a timer callback panics\n");
		hrtimer_start(&sample_irq_timer, ms_to_ktime(1), HRTIMER_MODE_REL_HARD);
		return len;
	}
	pr_err("crash: unknown command %s (bite, oops, irq)\n", cmd);
	return -EINVAL;
}

static const struct file_operations sample_crash_fops = {
	.owner = THIS_MODULE,
	.write = sample_crash_write,
	.llseek = noop_llseek,
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
	/* Whether or not a backend is bound yet: the core keeps the region. */
	ret = qcom_minidump_region_register(&sample_region);
	if (ret) {
		kfree(buf);
		return ret;
	}
	pr_info("region %s registered: %zu bytes at %pa\n", sample_region.name,
		sample_region.size, &sample_region.phys_addr);

	hrtimer_init(&sample_irq_timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL_HARD);
	sample_irq_timer.function = sample_irq_panic;
	sample_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("crash", 0200, sample_debugfs, NULL, &sample_crash_fops);
	return 0;
}
module_init(qcom_minidump_sample_init);

static void __exit qcom_minidump_sample_exit(void)
{
	debugfs_remove(sample_debugfs);
	hrtimer_cancel(&sample_irq_timer);
	/* The same description that was registered identifies the region. */
	qcom_minidump_region_unregister(&sample_region);
	kfree(sample_region.virt_addr);
	pr_info("region %s unregistered\n", sample_region.name);
}
module_exit(qcom_minidump_sample_exit);

MODULE_DESCRIPTION("Qualcomm minidump sample client");
MODULE_LICENSE("GPL");

// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the Qualcomm minidump kernel-log client: the live ring it
 * registers, and what its kmsg dumper writes into the dumped buffer.
 */

#include <kunit/test.h>
#include <linux/io.h>
#include <linux/kmsg_dump.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <soc/qcom/qcom_minidump.h>

#include "qcom_minidump_log.h"

#define LOG_TEST_SIZE	256

/* Lines of the log with a tag of this run's own, so no other line matches. */
static void log_marker(char *buf, size_t size, u32 tag, const char *what)
{
	snprintf(buf, size, "qcom_minidump_log_test %08x %s", tag, what);
	pr_info("%s\n", buf);
}

static char *log_buf_alloc(struct kunit *test, size_t size)
{
	char *buf = kunit_kmalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* No NUL anywhere: the fill must put its own. */
	memset(buf, 0xa5, size);
	return buf;
}

static void log_fill_is_text_with_nul(struct kunit *test)
{
	char *buf = log_buf_alloc(test, LOG_TEST_SIZE);
	char marker[80];
	size_t len;

	log_marker(marker, sizeof(marker), get_random_u32(), "last");
	len = qcom_minidump_log_fill(buf, LOG_TEST_SIZE);
	KUNIT_ASSERT_LT(test, len, LOG_TEST_SIZE);
	KUNIT_EXPECT_EQ(test, buf[len], '\0');
	KUNIT_EXPECT_EQ(test, strlen(buf), len);
	/* Whole lines: the text ends with the newest one's newline. */
	KUNIT_ASSERT_GT(test, len, 0);
	KUNIT_EXPECT_EQ(test, buf[len - 1], '\n');
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, marker));
}

static void log_fill_keeps_newest(struct kunit *test)
{
	char *buf = log_buf_alloc(test, LOG_TEST_SIZE);
	char oldest[80], newest[80], filler[80];
	u32 tag = get_random_u32();
	unsigned int i;
	size_t len;

	log_marker(oldest, sizeof(oldest), tag, "oldest");
	/* More than the buffer holds comes after the oldest line. */
	for (i = 0; i < 8; i++)
		log_marker(filler, sizeof(filler), tag, "filler to push the oldest out");
	log_marker(newest, sizeof(newest), tag, "newest");

	len = qcom_minidump_log_fill(buf, LOG_TEST_SIZE);
	KUNIT_ASSERT_LT(test, len, LOG_TEST_SIZE);
	KUNIT_EXPECT_EQ(test, buf[len], '\0');
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, newest));
	KUNIT_EXPECT_NULL(test, strstr(buf, oldest));
}

/* A buffer too small for any line holds an empty text, still terminated. */
static void log_fill_tiny_buffer(struct kunit *test)
{
	char *buf = log_buf_alloc(test, 8);
	char marker[80];

	log_marker(marker, sizeof(marker), get_random_u32(), "too long for 8 bytes");
	KUNIT_EXPECT_EQ(test, qcom_minidump_log_fill(buf, 8), 0);
	KUNIT_EXPECT_EQ(test, buf[0], '\0');
}

/* The live ring is registered from boot: each of its parts is taken. */
static void log_live_ring_registered(struct kunit *test)
{
	struct printk_ringbuffer_mem mem;
	struct {
		const char *name;
		void *addr;
		size_t size;
	} parts[5];
	unsigned int i;
	int ret;

	printk_get_ringbuffer_mem(&mem);
	parts[0] = (typeof(parts[0])){ "prb", mem.prb, mem.prb_size };
	parts[1] = (typeof(parts[0])){ "ring", mem.ring, mem.ring_size };
	parts[2] = (typeof(parts[0])){ "descs", mem.descs, mem.descs_size };
	parts[3] = (typeof(parts[0])){ "infos", mem.infos, mem.infos_size };
	parts[4] = (typeof(parts[0])){ "text", mem.text, mem.text_size };
	KUNIT_EXPECT_PTR_EQ(test, *(void **)mem.prb, mem.ring);
	KUNIT_EXPECT_TRUE(test, is_power_of_2(mem.text_size));

	for (i = 0; i < ARRAY_SIZE(parts); i++) {
		struct qcom_minidump_region r = { .name = "probe" };
		void *addr = parts[i].addr;

		r.virt_addr = addr;
		/* Memblock memory when log_buf_len= moved the log, else the image. */
		r.phys_addr = virt_addr_valid(addr) ? virt_to_phys(addr) : __pa_symbol(addr);
		r.size = parts[i].size;
		/* Registered already, by the client: the same start is refused. */
		ret = qcom_minidump_region_register(&r);
		KUNIT_EXPECT_EQ_MSG(test, ret, -EEXIST, "%s", parts[i].name);
		if (!ret)
			qcom_minidump_region_unregister(&r);
	}
}

static struct kunit_case qcom_minidump_log_test_cases[] = {
	KUNIT_CASE(log_live_ring_registered),
	KUNIT_CASE(log_fill_is_text_with_nul),
	KUNIT_CASE(log_fill_keeps_newest),
	KUNIT_CASE(log_fill_tiny_buffer),
	{}
};

static struct kunit_suite qcom_minidump_log_test_suite = {
	.name = "qcom_minidump_log",
	.test_cases = qcom_minidump_log_test_cases,
};

kunit_test_suite(qcom_minidump_log_test_suite);

MODULE_DESCRIPTION("KUnit tests for the Qualcomm minidump kernel-log client");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

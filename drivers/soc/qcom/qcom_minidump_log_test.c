// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the Qualcomm minidump kernel-log client: what its kmsg
 * dumper writes into the dumped buffer.
 */

#include <kunit/test.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

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

static struct kunit_case qcom_minidump_log_test_cases[] = {
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

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm minidump kernel-log client: what its KUnit suite reaches.
 */

#ifndef __QCOM_MINIDUMP_LOG_H__
#define __QCOM_MINIDUMP_LOG_H__

#include <linux/types.h>

#if IS_ENABLED(CONFIG_KUNIT)
size_t qcom_minidump_log_fill(char *buf, size_t size);
#endif

#endif /* __QCOM_MINIDUMP_LOG_H__ */

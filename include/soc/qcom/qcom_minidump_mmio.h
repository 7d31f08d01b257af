/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm minidump: the APSS table of contents behind registers.
 *
 * Where Linux runs as a guest VM, the hypervisor keeps the global table of
 * contents and exposes the APSS slot of it as a block of 32-bit registers
 * (device tree compatible "qcom,virt-minidump"). The region array itself
 * stays in guest RAM, in the layout of &struct qcom_minidump_toc_region;
 * the registers carry its physical address and its count, and the magic
 * words are those of <soc/qcom/qcom_minidump_smem.h>.
 *
 * The one definition of the block for the MMIO backend, its KUnit suite
 * and the host tools that find the table in a RAM dump. Registers are
 * little-endian.
 */

#ifndef __QCOM_MINIDUMP_MMIO_H__
#define __QCOM_MINIDUMP_MMIO_H__

/* Global table of contents, read-only for the guest. */
#define QCOM_MINIDUMP_MMIO_TOC_INIT		0x00	/* non-zero once set up */
#define QCOM_MINIDUMP_MMIO_TOC_REVISION		0x04
#define QCOM_MINIDUMP_MMIO_TOC_ENABLED		0x08	/* QCOM_MINIDUMP_SS_ENABLED */

/* The APSS slot, read/write; 0x0c-0x1c are reserved. */
#define QCOM_MINIDUMP_MMIO_SS_STATUS		0x20
#define QCOM_MINIDUMP_MMIO_SS_ENABLED		0x24
#define QCOM_MINIDUMP_MMIO_SS_ENCR_STATUS	0x28
#define QCOM_MINIDUMP_MMIO_SS_ENCR_REQUIRED	0x2c
#define QCOM_MINIDUMP_MMIO_SS_REGION_COUNT	0x30
#define QCOM_MINIDUMP_MMIO_SS_BASE_LO		0x34	/* region array, bits 31:0 */
#define QCOM_MINIDUMP_MMIO_SS_BASE_HI		0x38	/* region array, bits 63:32 */

/* Bytes of the block the registers above take. */
#define QCOM_MINIDUMP_MMIO_SIZE			0x3c

#endif /* __QCOM_MINIDUMP_MMIO_H__ */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: read the APSS table of contents through the hypervisor's
 * register block ("qcom,virt-minidump") in a RAM dump.
 *
 * Where Linux runs as a guest VM, the APSS slot of the table is not in
 * SMEM but in a block of registers that the hypervisor reads after a
 * crash. Given the block's physical address (--mmio-regs), the registers
 * are read from the dump and turned into a subsystem slot, which is then
 * read like one in SMEM.
 */

#include <endian.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <soc/qcom/qcom_minidump_mmio.h>

#include "minidump.h"

/* One 32-bit register of the block, from its little-endian bytes. */
static uint32_t mmio_reg(const unsigned char *block, unsigned int off)
{
	uint32_t v;

	memcpy(&v, block + off, sizeof(v));
	return le32toh(v);
}

/**
 * mmio_read() - read the APSS table through the register block
 * @d: the dump, its RAM loaded; the APSS regions are added to it
 * @regs: physical address of the register block
 *
 * Return: 0, or -EXIT_INPUT when the block is not in the dump or the
 * hypervisor had not set it up.
 */
int mmio_read(struct dump *d, uint64_t regs)
{
	unsigned char block[QCOM_MINIDUMP_MMIO_SIZE];
	struct qcom_minidump_toc_subsystem ss = { 0 };
	uint64_t base;

	if (ram_read(&d->ram, regs, block, sizeof(block)) != sizeof(block)) {
		warnx("minidump registers at %#" PRIx64 ": not in the RAM dump", regs);
		return -EXIT_INPUT;
	}
	if (!mmio_reg(block, QCOM_MINIDUMP_MMIO_TOC_INIT)) {
		warnx("minidump registers at %#" PRIx64 ": hypervisor has not set them up",
		      regs);
		return -EXIT_INPUT;
	}
	base = (uint64_t)mmio_reg(block, QCOM_MINIDUMP_MMIO_SS_BASE_HI) << 32 |
	       mmio_reg(block, QCOM_MINIDUMP_MMIO_SS_BASE_LO);
	ss.status = htole32(mmio_reg(block, QCOM_MINIDUMP_MMIO_SS_STATUS));
	ss.enabled = htole32(mmio_reg(block, QCOM_MINIDUMP_MMIO_SS_ENABLED));
	ss.encryption_status = htole32(mmio_reg(block, QCOM_MINIDUMP_MMIO_SS_ENCR_STATUS));
	ss.encryption_required = htole32(mmio_reg(block, QCOM_MINIDUMP_MMIO_SS_ENCR_REQUIRED));
	ss.region_count = htole32(mmio_reg(block, QCOM_MINIDUMP_MMIO_SS_REGION_COUNT));
	ss.regions_baseptr = htole64(base);

	d->nr_subsystems = QCOM_MINIDUMP_SS_APSS + 1;
	add_subsystem_regions(d, QCOM_MINIDUMP_SS_APSS, &ss);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target "printk": the input is an ELF core file; its
 * VMCOREINFO note and PT_LOADs go to the ring buffer decoder, whose output
 * goes nowhere. Seeded by the cores tests/gen_printk.py writes.
 */

#include <stdio.h>
#include <stdlib.h>

#include "minidump.h"
#include "printk.h"

/**
 * fuzz_printk() - decode the ring of one ELF core held in memory
 * @data: the core
 * @size: its size
 */
void fuzz_printk(const uint8_t *data, size_t size)
{
	static FILE *null;
	const unsigned char *text;
	struct prb_result res;
	struct prb_source src;
	struct core c;
	size_t len;

	if (!null)
		null = fopen("/dev/null", "w");
	if (!null)
		abort();
	if (!core_open_mem(&c, data, size, "fuzz")) {
		src.read = core_read;
		src.ctx = &c;
		src.vmcoreinfo = c.vmcoreinfo;
		src.vmcoreinfo_len = c.vmcoreinfo_len;
		prb_decode(&src, null, PRB_DICT, &res);
		if (core_section(&c, "KLOGBUF", &text, &len))
			dmesg_text(text, len, null);
	}
	core_close(&c);
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harnesses for the minidump parsers, one per FUZZ_TARGET:
 *
 *   ram        a RAM dump: SMEM search, partition table, item list, the
 *              table of contents, its regions, then assembly. The input
 *              is a sparse image (see ram_input()), so that a few KiB
 *              stand for megabytes of RAM and an execution stays cheap
 *   rawdump    a rawdump partition, then assembly
 *   dumpinfo   dump_info.txt
 *   loadcmm    load.cmm
 *   kelf       the KELF header region, with assembly and verification,
 *              regions matched by address
 *   kelfnames  the same, regions matched by the header's names (md files
 *              without dump_info.txt)
 *   printk     an ELF core with a printk ring buffer (fuzz_printk.c)
 *   notes      a PT_NOTE's bytes: registers, task, VMCOREINFO, modules,
 *              then the debuggers' command lines from them
 *   fwctx      firmware's CPU context (fwctx.c): the input is RAM at
 *              FWCTX_BASE holding a memory dump table (MEMDUMP) and CPU
 *              context buffers (CPU_CTX0, CPU_CTX1, the second cut short);
 *              the table walked, then the buffers alone, the notes made
 *              read back; and the input as KMODULES lines
 *
 * Build and run with "make fuzz" (clang, -fsanitize=fuzzer,address,undefined).
 */

#include <endian.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "minidump.h"
#include "printk.h"

#define RAM_BASE	0x80000000ULL

#if defined(FUZZ_KELF)
#define defined_kelf_by_addr	true
#else
#define defined_kelf_by_addr	false
#endif

#if !defined(FUZZ_RAM)
/* The input as a file the parsers can open by name. */
static int input_file(const uint8_t *data, size_t size, char *path, size_t path_size)
{
	int fd = memfd_create("fuzz-input", 0);

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}
#endif

#if defined(FUZZ_RAM)
#define RAM_SPAN	(4u << 20)	/* where chunks may go: the compact layout's 3 MiB */
#define CHUNK_HDR	6

/*
 * The RAM image an input describes: records of a 4-byte offset (little
 * endian, taken modulo RAM_SPAN, so that a region read whole costs at most
 * a few MiB) and a 2-byte length, each followed by
 * that many bytes, written at that offset. The rest of the image is holes:
 * they read as zeroes, and the SMEM search skips them as it skips those of
 * a sparse dump. tests/gen.py --compact writes the seed (ram.chunks).
 */
static int ram_input(const uint8_t *data, size_t size, char *path, size_t path_size)
{
	int fd = memfd_create("fuzz-ram", 0);
	size_t pos = 0;

	if (fd < 0)
		abort();
	while (size - pos >= CHUNK_HDR) {
		uint32_t off;
		uint16_t len;

		memcpy(&off, data + pos, sizeof(off));
		memcpy(&len, data + pos + 4, sizeof(len));
		off = le32toh(off) % RAM_SPAN;
		len = le16toh(len);
		pos += CHUNK_HDR;
		if (len > size - pos)
			len = size - pos;
		if (len && pwrite(fd, data + pos, len, off) != len)
			abort();
		pos += len;
	}
	snprintf(path, path_size, "/proc/self/fd/%d", fd);
	return fd;
}
#endif

static void add_fake_region(struct dump *d, const char *name, uint64_t addr, const char *path,
			    bool have_addr)
{
	struct region *r = dump_add_region(d);

	if (!r)
		abort();
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->valid = true;
	r->addr = addr;
	r->have_addr = have_addr;
	r->size = 64;
	r->present = 64;
	r->src = SRC_FILE;
	r->path = strdup(path);
	snprintf(r->where, sizeof(r->where), "%s", name);
}

#if defined(FUZZ_FWCTX)
#define FWCTX_BASE	0x80000000ULL

static void fwctx_once(const struct fw_mem *mem, size_t nr, FILE *null)
{
	struct crash_notes notes = { };
	struct fw_ctx c = { };
	unsigned char *buf;
	size_t len;

	fwctx_read(mem, nr, &c);
	buf = fwctx_notes(&c, &len);
	notes_read(buf, len, "fuzz", &notes);
	notes_print(null, &notes, NULL);
	notes_json(null, &notes);
	free(buf);
	notes_free(&notes);
	fwctx_free(&c);
}

static void fuzz_fwctx(const uint8_t *data, size_t size)
{
	struct crash_notes notes = { };
	struct fw_mem mem[3] = {
		{ .name = "KMEMDUMP", .paddr = FWCTX_BASE, .size = size, .held = size,
		  .data = data },
	};
	FILE *null = fopen("/dev/null", "w");
	size_t nr = 1;

	if (!null)
		abort();
	if (size > 0x400) {
		mem[nr++] = (struct fw_mem){ .name = "KCPU_CTX0", .paddr = FWCTX_BASE + 0x400,
					     .size = size - 0x400, .held = size - 0x400,
					     .data = data + 0x400 };
	}
	if (size > 0xc00) {
		mem[nr++] = (struct fw_mem){ .name = "KCPU_CTX1", .paddr = FWCTX_BASE + 0xc00,
					     .size = size - 0xc00, .held = (size - 0xc00) / 2,
					     .data = data + 0xc00 };
	}
	fwctx_once(mem, nr, null);
	fwctx_once(mem + 1, nr - 1, null);
	kmodules_read((const char *)data, size, "fuzz", &notes);
	notes_print(null, &notes, NULL);
	notes_free(&notes);
	fclose(null);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dump d = { };
	char path[64];
	int fd;

	md_quiet = true;
#if defined(FUZZ_RAM)
	fd = ram_input(data, size, path, sizeof(path));
#else
	fd = input_file(data, size, path, sizeof(path));
#endif

#if defined(FUZZ_RAM)
	uint64_t base, smem_size;

	struct crash_notes notes = { };

	if (!ram_add_file(&d.ram, path, RAM_BASE) &&
	    !toc_find_smem(&d.ram, &base, &smem_size) && !toc_read(&d, base, smem_size))
		kelf_assemble(&d, "/dev/null", false, &notes);
	notes_free(&notes);
#elif defined(FUZZ_RAWDUMP)
	struct crash_notes notes = { };

	if (!rawdump_read(&d, path))
		kelf_assemble(&d, "/dev/null", false, &notes);
	notes_free(&notes);
#elif defined(FUZZ_DUMPINFO)
	add_fake_region(&d, "KELF_HEADER", 0, "/tmp/md_KELF_HEADER.BIN", false);
	add_fake_region(&d, "KDATA", 0, "/tmp/md_KDATA.BIN", false);
	dump_info_parse(&d, "/tmp", (const char *)data, size);
#elif defined(FUZZ_LOADCMM)
	/* Only plain names are followed: none can leave the memfd's directory. */
	ram_load_cmm(&d.ram, path);
#elif defined(FUZZ_PRINTK)
	fuzz_printk(data, size);
#elif defined(FUZZ_NOTES)
	struct crash_notes notes = { };
	struct debugger_opts dbg = { .vmlinux = "vmlinux" };
	FILE *null = fopen("/dev/null", "w");

	if (!null)
		abort();
	notes_read(data, size, "fuzz", &notes);
	notes_print(null, &notes, NULL);
	notes_json(null, &notes);
	debugger_commands(null, "minidump.elf", &notes, &dbg);
	notes_free(&notes);
	fclose(null);
#elif defined(FUZZ_FWCTX)
	fuzz_fwctx(data, size);
#elif defined(FUZZ_KELF) || defined(FUZZ_KELFNAMES)
	bool by_addr = defined_kelf_by_addr;
	struct region *r = dump_add_region(&d);

	if (!r)
		abort();
	snprintf(r->name, sizeof(r->name), "KELF_HEADER");
	r->valid = true;
	r->size = size;
	r->present = size;
	r->src = SRC_FILE;
	r->path = strdup(path);
	r->have_addr = by_addr;
	add_fake_region(&d, "KDATA", 0x80410000, path, by_addr);
	add_fake_region(&d, "KVMCOREINFO", 0x80500000, path, by_addr);
	add_fake_region(&d, "KBANNER", 0x80204000, path, by_addr);
	struct crash_notes notes = { };

	if (!kelf_assemble(&d, "/dev/null", false, &notes))
		kelf_verify(&d, path, NULL);
	notes_free(&notes);
#else
#error "define one FUZZ_* target"
#endif
	dump_free(&d);
	close(fd);
	return 0;
}

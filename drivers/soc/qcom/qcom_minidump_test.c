// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the Qualcomm minidump core.
 *
 * Every test has a core of its own, so that it shares no state with the
 * kernel's clients and backends. A fake backend records every op and
 * keeps a table like firmware's; after every op it checks that an ELF
 * header with its magic describes nothing missing from that table. The
 * header is read back by a reader written here, which knows the ELF
 * format but not how the core lays the header out.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/elf.h>
#include <linux/kmsg_dump.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include <linux/vmcore_info.h>
#include <soc/qcom/qcom_minidump.h>

#include "qcom_minidump_internal.h"

#define FAKE_MAX_CALLS	32
#define FAKE_DEFAULT_MAX	16
#define CORE_ENTRIES	3	/* header, vmcoreinfo note, linux_banner */

enum fake_op { FAKE_INIT, FAKE_EXIT, FAKE_REG, FAKE_UNREG, FAKE_CRASH };

struct fake_call {
	enum fake_op op;
	char name[QCOM_MINIDUMP_ENTRY_NAME_SIZE];
};

struct fake_slot {
	bool used;
	/* Marked invalid by region_drop: firmware skips it. */
	bool dropped;
	char name[QCOM_MINIDUMP_ENTRY_NAME_SIZE];
	void *virt_addr;
	phys_addr_t phys_addr;
	size_t size;
};

struct fake_backend {
	struct qcom_minidump_backend backend;
	struct kunit *test;
	struct qcom_minidump *core;
	bool registered;
	int init_ret;
	int register_ret;
	/* Run the crash path from inside region_register, and what it returned. */
	bool crash_inside;
	int crash_inside_ret;
	int crash_inside_begin;
	void *crash_inside_notes;
	/* Headers with their magic that described a region missing from the table. */
	atomic_t stale_headers;
	/* region_drop calls, from the allocator's free path. */
	atomic_t drops;
	unsigned int nr_calls;
	struct fake_call calls[FAKE_MAX_CALLS];
	/* Last, so that KASAN catches a write past the table. */
	struct fake_slot slots[];
};

/* The test's own core, made by the suite's init. */
static struct qcom_minidump *test_core(struct kunit *test)
{
	return test->priv;
}

static void core_free_action(void *md)
{
	qcom_minidump_core_free(md);
}

static struct qcom_minidump *test_core_alloc(struct kunit *test, bool with_note)
{
	struct qcom_minidump *md = qcom_minidump_core_alloc(with_note);

	KUNIT_ASSERT_NOT_NULL(test, md);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, core_free_action, md));
	return md;
}

static int qcom_minidump_test_init(struct kunit *test)
{
	test->priv = test_core_alloc(test, true);
	return 0;
}

static struct fake_backend *to_fake(struct qcom_minidump_backend *backend)
{
	return container_of(backend, struct fake_backend, backend);
}

static void fake_record(struct fake_backend *fb, enum fake_op op, const char *name)
{
	if (fb->nr_calls < FAKE_MAX_CALLS) {
		fb->calls[fb->nr_calls].op = op;
		strscpy(fb->calls[fb->nr_calls].name, name ?: "");
	}
	fb->nr_calls++;
}

static struct fake_slot *fake_find(struct fake_backend *fb, const char *name)
{
	unsigned int i;

	for (i = 0; i < fb->backend.max_regions; i++)
		if (fb->slots[i].used && !strcmp(fb->slots[i].name, name))
			return &fb->slots[i];
	return NULL;
}

static bool fake_has(struct fake_backend *fb, u64 paddr, u64 size)
{
	unsigned int i;

	for (i = 0; i < fb->backend.max_regions; i++)
		if (fb->slots[i].used && !READ_ONCE(fb->slots[i].dropped) &&
		    fb->slots[i].phys_addr == paddr && fb->slots[i].size == size)
			return true;
	return false;
}

/*
 * What firmware would dump if the CPU stopped now: the header as it is in
 * the table. With its magic, every PT_LOAD must be an entry of the table.
 */
static void fake_check_header(struct fake_backend *fb, const char *when)
{
	struct fake_slot *hdr = fake_find(fb, "KELF_HEADER");
	const struct elf64_phdr *phdr;
	const struct elf64_hdr *ehdr;
	unsigned int i;

	if (!hdr)
		return;
	ehdr = hdr->virt_addr;
	if (memcmp(ehdr->e_ident, ELFMAG, SELFMAG))
		return;	/* no magic: a collector knows not to trust it */
	if (ehdr->e_phoff + (u64)ehdr->e_phnum * sizeof(*phdr) > hdr->size) {
		atomic_inc(&fb->stale_headers);
		KUNIT_FAIL(fb->test, "%s: %u program headers do not fit", when, ehdr->e_phnum);
		return;
	}
	phdr = hdr->virt_addr + ehdr->e_phoff;
	for (i = 1; i < ehdr->e_phnum; i++) {
		if (!fake_has(fb, phdr[i].p_paddr, phdr[i].p_filesz)) {
			atomic_inc(&fb->stale_headers);
			KUNIT_FAIL(fb->test, "%s: header describes %llx (%llu bytes), not in table",
				   when, phdr[i].p_paddr, phdr[i].p_filesz);
		}
	}
}

static int fake_table_init(struct qcom_minidump_backend *backend)
{
	struct fake_backend *fb = to_fake(backend);

	fake_record(fb, FAKE_INIT, NULL);
	return fb->init_ret;
}

static void fake_table_exit(struct qcom_minidump_backend *backend)
{
	struct fake_backend *fb = to_fake(backend);
	unsigned int i;

	fake_record(fb, FAKE_EXIT, NULL);
	for (i = 0; i < backend->max_regions; i++)
		KUNIT_EXPECT_FALSE_MSG(fb->test, fb->slots[i].used,
				       "slot %u (%s) still in use at table_exit", i,
				       fb->slots[i].name);
}

static void fake_slot_fill(struct fake_backend *fb, unsigned int i,
			   struct qcom_minidump_entry *entry)
{
	struct fake_slot *s = &fb->slots[i];

	s->used = true;
	s->dropped = false;
	strscpy(s->name, entry->name);
	s->virt_addr = entry->virt_addr;
	s->phys_addr = entry->phys_addr;
	s->size = entry->size;
	entry->slot = i;
}

static int fake_region_register(struct qcom_minidump_backend *backend,
				struct qcom_minidump_entry *entry)
{
	struct fake_backend *fb = to_fake(backend);
	unsigned int i;

	fake_record(fb, FAKE_REG, entry->name);
	fake_check_header(fb, "before region_register");
	if (fb->register_ret)
		return fb->register_ret;
	if (fb->crash_inside) {
		static u32 word;
		phys_addr_t phys = __pa_symbol(&word);

		size_t room;

		fb->crash_inside = false;
		fb->crash_inside_ret =
			qcom_minidump_core_crash_region_add(fb->core, "inside", &word, phys, 4);
		/* Nothing may be written, notes included, and the client is told. */
		fb->crash_inside_begin = qcom_minidump_core_crash_begin(fb->core);
		fb->crash_inside_notes = qcom_minidump_core_crash_note_room(fb->core, &room);
	}
	KUNIT_EXPECT_LE(fb->test, strlen(entry->name), QCOM_MINIDUMP_ENTRY_NAME_MAX);
	for (i = 0; i < backend->max_regions; i++) {
		if (!fb->slots[i].used) {
			fake_slot_fill(fb, i, entry);
			return 0;
		}
	}
	KUNIT_FAIL(fb->test, "core called region_register on a full table");
	return -ENOSPC;
}

static void fake_region_unregister(struct qcom_minidump_backend *backend,
				   struct qcom_minidump_entry *entry)
{
	struct fake_backend *fb = to_fake(backend);
	struct fake_slot *s;

	fake_record(fb, FAKE_UNREG, entry->name);
	if (entry->slot >= backend->max_regions) {
		KUNIT_FAIL(fb->test, "unregister of %s: bad slot %u", entry->name, entry->slot);
		return;
	}
	s = &fb->slots[entry->slot];
	KUNIT_EXPECT_TRUE(fb->test, s->used);
	KUNIT_EXPECT_STREQ(fb->test, s->name, entry->name);
	KUNIT_EXPECT_EQ(fb->test, s->phys_addr, entry->phys_addr);
	s->used = false;
	s->dropped = false;
	/* The entry is gone for firmware: no header with its magic may name it. */
	fake_check_header(fb, "after region_unregister");
}

/* From the allocator's free path: one store, no record (any context). */
static void fake_region_drop(struct qcom_minidump_backend *backend,
			     struct qcom_minidump_entry *entry)
{
	struct fake_backend *fb = to_fake(backend);

	if (entry->slot < backend->max_regions && fb->slots[entry->slot].used)
		WRITE_ONCE(fb->slots[entry->slot].dropped, true);
	atomic_inc(&fb->drops);
}

/* The crash path's entries are the last ones, kept free by the core. */
static int fake_crash_region_register(struct qcom_minidump_backend *backend,
				      struct qcom_minidump_entry *entry, unsigned int index)
{
	struct fake_backend *fb = to_fake(backend);
	unsigned int slot = backend->max_regions - backend->crash_entries + index;

	fake_record(fb, FAKE_CRASH, entry->name);
	fake_check_header(fb, "before crash_region_register");
	if (index >= backend->crash_entries || fb->slots[slot].used) {
		KUNIT_FAIL(fb->test, "crash entry %u (%s): not kept free", index, entry->name);
		return -ENOSPC;
	}
	fake_slot_fill(fb, slot, entry);
	return 0;
}

static const struct qcom_minidump_ops fake_ops = {
	.table_init = fake_table_init,
	.table_exit = fake_table_exit,
	.region_register = fake_region_register,
	.region_unregister = fake_region_unregister,
	.region_drop = fake_region_drop,
	.crash_region_register = fake_crash_region_register,
};

static void fake_backend_release(void *data)
{
	struct fake_backend *fb = data;

	if (fb->registered)
		qcom_minidump_backend_unregister(&fb->backend);
	fb->registered = false;
}

static struct fake_backend *fake_backend_alloc(struct kunit *test, unsigned int max_regions)
{
	struct fake_backend *fb;

	fb = kunit_kzalloc(test, struct_size(fb, slots, max_regions), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fb);
	fb->test = test;
	fb->core = test_core(test);
	fb->backend.name = "fake";
	fb->backend.ops = &fake_ops;
	fb->backend.max_regions = max_regions;
	return fb;
}

static int fake_backend_register(struct kunit *test, struct fake_backend *fb)
{
	int ret = qcom_minidump_core_backend_register(fb->core, &fb->backend);

	if (!ret) {
		fb->registered = true;
		KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, fake_backend_release, fb));
	}
	return ret;
}

/* A registered fake backend with room for @max_regions entries. */
static struct fake_backend *fake_backend_setup(struct kunit *test, unsigned int max_regions)
{
	struct fake_backend *fb = fake_backend_alloc(test, max_regions);

	KUNIT_ASSERT_EQ(test, 0, fake_backend_register(test, fb));
	return fb;
}

static void fake_backend_unregister(struct fake_backend *fb)
{
	fake_backend_release(fb);
}

static unsigned int fake_count_used(struct fake_backend *fb)
{
	unsigned int i, n = 0;

	for (i = 0; i < fb->backend.max_regions; i++)
		n += fb->slots[i].used;
	return n;
}

/* Client regions, unregistered at the end of the test if still registered. */
struct test_region {
	struct qcom_minidump *core;
	struct qcom_minidump_region region;
	bool registered;
};

static void test_region_release(void *data)
{
	struct test_region *tr = data;

	/*
	 * Before its memory is freed, or the core's free check drops it. A
	 * crash test's core refuses changes until the crash path is undone.
	 */
	if (tr->registered &&
	    qcom_minidump_core_region_unregister(tr->core, &tr->region) == -EBUSY) {
		qcom_minidump_core_crash_undo(tr->core);
		qcom_minidump_core_region_unregister(tr->core, &tr->region);
	}
	tr->registered = false;
}

static struct test_region *test_region_alloc(struct kunit *test, const char *name, size_t size)
{
	struct test_region *tr = kunit_kzalloc(test, sizeof(*tr), GFP_KERNEL);
	void *buf = kunit_kzalloc(test, size ?: 4, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tr);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	tr->core = test_core(test);
	strscpy(tr->region.name, name);
	tr->region.virt_addr = buf;
	tr->region.phys_addr = virt_to_phys(buf);
	tr->region.size = size;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, test_region_release, tr));
	return tr;
}

static int test_region_register(struct test_region *tr)
{
	int ret = qcom_minidump_core_region_register(tr->core, &tr->region);

	if (!ret)
		tr->registered = true;
	return ret;
}

static int test_region_unregister(struct test_region *tr)
{
	int ret = qcom_minidump_core_region_unregister(tr->core, &tr->region);

	if (!ret)
		tr->registered = false;
	return ret;
}

static int core_register(struct kunit *test, struct qcom_minidump_region *r)
{
	return qcom_minidump_core_region_register(test_core(test), r);
}

static int core_unregister(struct kunit *test, struct qcom_minidump_region *r)
{
	return qcom_minidump_core_region_unregister(test_core(test), r);
}

/*
 * Did the core log @what lately? Each refusal has its own line; the newest
 * whole lines of the log that fit 2 KiB are searched, so that a line
 * another CPU printed meanwhile does not hide it.
 */
static bool logged_lately(struct kunit *test, const char *what)
{
	struct kmsg_dump_iter iter;
	size_t len = 0;
	char *buf = kunit_kzalloc(test, SZ_2K, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	kmsg_dump_rewind(&iter);
	kmsg_dump_get_buffer(&iter, false, buf, SZ_2K - 1, &len);
	buf[len] = '\0';
	return strstr(buf, what);
}

/* Do [a, a + alen) and [b, b + blen) overlap? */
static bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * The rule by which Qualcomm's ramparse rebuilds a core from the files (the
 * downstream layout): the names after the first "STR_TBL" in the header's
 * bytes, each a run of 3 or more bytes from '0' to 0x7f other than
 * "linux_banner", up to a NUL whose second and third next bytes are NULs;
 * a file md_<name>.BIN is appended for each, in that order. @want lists
 * the names that must come out, the note's then the PT_LOADs'.
 */
/* A name ramparse takes whole: 3 characters or more, none below '0'. */
static bool ramparse_name_ok(const char *name)
{
	size_t i, len = strlen(name);

	for (i = 0; i < len; i++)
		if (name[i] < '0')
			return false;
	return len >= 3;
}

static void elf_check_ramparse(struct kunit *test, const struct fake_slot *hdr,
			       const char * const *want, unsigned int nr_want)
{
	static const char mark[] = "STR_TBL";
	const char *buf = hdr->virt_addr;
	unsigned int got = 0;
	size_t p, run = 0;

	for (p = 0; p + sizeof(mark) - 1 <= hdr->size; p++)
		if (!memcmp(buf + p, mark, sizeof(mark) - 1))
			break;
	KUNIT_ASSERT_LE_MSG(test, p + sizeof(mark) - 1, hdr->size, "no STR_TBL in the header");
	for (p += sizeof(mark) - 1; ; p++) {
		unsigned char c;

		KUNIT_ASSERT_LT_MSG(test, p, hdr->size, "string table runs off the header");
		c = buf[p];
		if (c >= '0' && c < 0x80) {
			run++;
			continue;
		}
		if (run >= 3 && (run != strlen("linux_banner") ||
				 memcmp(buf + p - run, "linux_banner", run))) {
			KUNIT_ASSERT_LT_MSG(test, got, nr_want, "name %.*s is extra",
					    (int)run, buf + p - run);
			KUNIT_EXPECT_EQ_MSG(test, run, strlen(want[got]), "name %u", got);
			KUNIT_EXPECT_EQ_MSG(test, 0, memcmp(buf + p - run, want[got], run),
					    "name %u: %.*s, not %s", got, (int)run, buf + p - run,
					    want[got]);
			got++;
		}
		run = 0;
		if (!c) {
			/* ramparse reads two bytes further before it stops. */
			KUNIT_ASSERT_LT_MSG(test, p + 3, hdr->size, "no end to the string table");
			if (!buf[p + 2] && !buf[p + 3])
				break;
		}
	}
	KUNIT_EXPECT_EQ(test, got, nr_want);
}

/*
 * The independent reader: checks the ELF header found in the fake table
 * and that its PT_LOADs are exactly the live client regions of the table
 * (the header and the note excluded). Returns the number of PT_LOADs.
 */
static unsigned int elf_check(struct kunit *test, struct fake_backend *fb)
{
	struct fake_slot *hdr = fake_find(fb, "KELF_HEADER");
	struct fake_slot *note = fake_find(fb, "KVMCOREINFO");
	struct fake_slot *kbanner = fake_find(fb, "KBANNER");
	unsigned int max = fb->backend.max_regions;
	bool *matched;
	const struct elf64_shdr *shdr, *strsec, *banner;
	const struct elf64_phdr *phdr;
	const struct elf64_hdr *ehdr;
	const char **names;
	const char *strtab, *bytes;
	unsigned int i, j, nr_names = 0, live = 0;
	bool ramparse_ok = true;
	u64 offset, phsize, shsize;

	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_ASSERT_GE(test, hdr->size, sizeof(*ehdr));
	ehdr = hdr->virt_addr;

	KUNIT_ASSERT_EQ(test, 0, memcmp(ehdr->e_ident, ELFMAG, SELFMAG));
	KUNIT_EXPECT_EQ(test, ehdr->e_ident[EI_CLASS], ELFCLASS64);
	KUNIT_EXPECT_EQ(test, ehdr->e_ident[EI_DATA], ELF_DATA);
	KUNIT_EXPECT_EQ(test, ehdr->e_ident[EI_VERSION], EV_CURRENT);
	KUNIT_EXPECT_EQ(test, ehdr->e_type, ET_CORE);
	KUNIT_EXPECT_EQ(test, ehdr->e_machine, ELF_ARCH);
	KUNIT_ASSERT_EQ(test, ehdr->e_phentsize, sizeof(*phdr));
	KUNIT_ASSERT_EQ(test, ehdr->e_shentsize, sizeof(*shdr));
	phsize = (u64)ehdr->e_phnum * sizeof(*phdr);
	shsize = (u64)ehdr->e_shnum * sizeof(*shdr);
	KUNIT_ASSERT_LE(test, ehdr->e_phoff + phsize, hdr->size);
	KUNIT_ASSERT_LE(test, ehdr->e_shoff + shsize, hdr->size);
	KUNIT_ASSERT_GE(test, ehdr->e_phnum, 1);
	KUNIT_ASSERT_LT(test, ehdr->e_shstrndx, ehdr->e_shnum);

	phdr = hdr->virt_addr + ehdr->e_phoff;
	shdr = hdr->virt_addr + ehdr->e_shoff;
	strsec = &shdr[ehdr->e_shstrndx];
	KUNIT_ASSERT_EQ(test, strsec->sh_type, SHT_STRTAB);
	KUNIT_ASSERT_LE(test, strsec->sh_offset + strsec->sh_size, hdr->size);
	strtab = hdr->virt_addr + strsec->sh_offset;
	KUNIT_ASSERT_EQ(test, strtab[strsec->sh_size - 1], '\0');

	/* The downstream layout: STR_TBL, then linux_banner, in the header. */
	KUNIT_ASSERT_GE(test, ehdr->e_shnum, 4);
	KUNIT_EXPECT_EQ(test, ehdr->e_shstrndx, 1);
	KUNIT_EXPECT_STREQ(test, strtab + strsec->sh_name, "STR_TBL");
	banner = &shdr[2];
	KUNIT_ASSERT_LT(test, banner->sh_name, strsec->sh_size);
	KUNIT_EXPECT_STREQ(test, strtab + banner->sh_name, "linux_banner");
	KUNIT_EXPECT_EQ(test, banner->sh_type, SHT_PROGBITS);
	KUNIT_ASSERT_LE(test, banner->sh_offset + banner->sh_size, hdr->size);
	KUNIT_ASSERT_GT(test, banner->sh_size, 0);
	bytes = hdr->virt_addr;
	KUNIT_EXPECT_EQ(test, bytes[banner->sh_offset + banner->sh_size - 1], '\0');
	/* A copy of the banner the region KBANNER dumps in place. */
	if (kbanner) {
		KUNIT_EXPECT_EQ(test, banner->sh_addr, (unsigned long)kbanner->virt_addr);
		KUNIT_EXPECT_EQ(test, banner->sh_size, strlen(kbanner->virt_addr) + 1);
		KUNIT_EXPECT_STREQ(test, bytes + banner->sh_offset,
				   (const char *)kbanner->virt_addr);
	}
	KUNIT_EXPECT_FALSE(test, ranges_overlap(banner->sh_offset, banner->sh_size,
						strsec->sh_offset, strsec->sh_size));
	KUNIT_EXPECT_EQ(test, shdr[3].sh_type, SHT_NOTE);
	KUNIT_EXPECT_STREQ(test, strtab + shdr[3].sh_name, note ? "KVMCOREINFO" : "");

	/* What ramparse appends to the header: the note's file, then the PT_LOADs'. */
	names = kunit_kcalloc(test, ehdr->e_phnum, sizeof(*names), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, names);
	if (note)
		names[nr_names++] = "KVMCOREINFO";

	/* The header's own parts do not run into one another. */
	KUNIT_EXPECT_FALSE(test, ranges_overlap(ehdr->e_phoff, phsize, ehdr->e_shoff, shsize));
	KUNIT_EXPECT_FALSE(test, ranges_overlap(ehdr->e_phoff, phsize, strsec->sh_offset,
						strsec->sh_size));
	KUNIT_EXPECT_FALSE(test, ranges_overlap(ehdr->e_shoff, shsize, strsec->sh_offset,
						strsec->sh_size));
	KUNIT_EXPECT_FALSE(test, ranges_overlap(0, sizeof(*ehdr), ehdr->e_phoff, phsize));

	/* The note comes first, right after the header. */
	KUNIT_EXPECT_EQ(test, phdr[0].p_type, PT_NOTE);
	KUNIT_EXPECT_EQ(test, phdr[0].p_offset, hdr->size);
	offset = hdr->size;
	if (note) {
		const struct elf_note *n = note->virt_addr;

		/* The vmcoreinfo note, and the crash path's notes after it. */
		KUNIT_EXPECT_EQ(test, phdr[0].p_paddr, note->phys_addr);
		KUNIT_EXPECT_GE(test, phdr[0].p_filesz, sizeof(*n) + ALIGN(n->n_namesz, 4) +
				ALIGN(n->n_descsz, 4));
		KUNIT_EXPECT_LE(test, phdr[0].p_filesz, note->size);
		offset += note->size;
	} else {
		KUNIT_EXPECT_EQ(test, phdr[0].p_filesz, 0);
	}

	matched = kunit_kcalloc(test, max, sizeof(*matched), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, matched);

	for (i = 1; i < ehdr->e_phnum; i++) {
		const struct elf64_phdr *p = &phdr[i];
		const char *name = NULL;
		bool found = false;

		KUNIT_EXPECT_EQ_MSG(test, p->p_type, PT_LOAD, "phdr %u", i);
		KUNIT_EXPECT_EQ_MSG(test, p->p_offset, offset, "phdr %u not contiguous", i);
		/* More only for a zero tail (elf_zero_tail checks its size). */
		KUNIT_EXPECT_GE(test, p->p_memsz, p->p_filesz);
		/* What ELF asks of an alignment: offset and address agree modulo it. */
		if (p->p_align > 1)
			KUNIT_EXPECT_EQ_MSG(test, p->p_offset % p->p_align, p->p_vaddr % p->p_align,
					    "phdr %u: p_align %llu", i, p->p_align);
		offset = p->p_offset + p->p_filesz;

		for (j = 0; j < ehdr->e_shnum; j++) {
			if (shdr[j].sh_type == SHT_PROGBITS && shdr[j].sh_offset == p->p_offset &&
			    shdr[j].sh_size == p->p_filesz) {
				KUNIT_ASSERT_LT(test, shdr[j].sh_name, strsec->sh_size);
				name = strtab + shdr[j].sh_name;
				KUNIT_EXPECT_EQ(test, shdr[j].sh_addr, p->p_vaddr);
			}
		}
		KUNIT_ASSERT_NOT_NULL_MSG(test, name, "no section for phdr %u", i);
		names[nr_names++] = name;
		ramparse_ok &= ramparse_name_ok(name);

		for (j = 0; j < max; j++) {
			struct fake_slot *s = &fb->slots[j];

			if (!s->used || matched[j] || s == hdr || s == note)
				continue;
			if (s->phys_addr == p->p_paddr && !strcmp(s->name, name) &&
			    (unsigned long)s->virt_addr == p->p_vaddr && s->size == p->p_filesz) {
				matched[j] = true;
				found = true;
				break;
			}
		}
		KUNIT_EXPECT_TRUE_MSG(test, found, "phdr %u (%s at %llx) is not in the table",
				      i, name, p->p_paddr);
	}

	for (j = 0; j < max; j++) {
		struct fake_slot *s = &fb->slots[j];

		if (!s->used || s == hdr || s == note)
			continue;
		live++;
		KUNIT_EXPECT_TRUE_MSG(test, matched[j], "table entry %s has no PT_LOAD", s->name);
	}
	KUNIT_EXPECT_EQ(test, live, ehdr->e_phnum - 1);
	/* Clients may choose names ramparse splits or drops ("a", "x.1"). */
	if (ramparse_ok)
		elf_check_ramparse(test, hdr, names, nr_names);
	return ehdr->e_phnum - 1;
}

/* What a failed call must leave alone: the fake table and the ELF header. */
struct snapshot {
	struct fake_slot *slots;
	void *elf;
	size_t elf_size;
	unsigned int nr_calls;
};

static void snapshot_take(struct kunit *test, struct fake_backend *fb, struct snapshot *snap)
{
	struct fake_slot *hdr = fake_find(fb, "KELF_HEADER");
	size_t slots_size = fb->backend.max_regions * sizeof(*fb->slots);

	KUNIT_ASSERT_NOT_NULL(test, hdr);
	snap->slots = kunit_kmalloc(test, slots_size, GFP_KERNEL);
	snap->elf = kunit_kmalloc(test, hdr->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap->slots);
	KUNIT_ASSERT_NOT_NULL(test, snap->elf);
	memcpy(snap->slots, fb->slots, slots_size);
	memcpy(snap->elf, hdr->virt_addr, hdr->size);
	snap->elf_size = hdr->size;
	snap->nr_calls = fb->nr_calls;
}

static void snapshot_expect_same(struct kunit *test, struct fake_backend *fb,
				 struct snapshot *snap)
{
	struct fake_slot *hdr = fake_find(fb, "KELF_HEADER");

	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_EXPECT_MEMEQ(test, snap->slots, fb->slots,
			   fb->backend.max_regions * sizeof(*fb->slots));
	KUNIT_EXPECT_MEMEQ(test, snap->elf, hdr->virt_addr, snap->elf_size);
}

/* ---- the backend registry ---- */

static void backend_register_publishes_core_regions(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_slot *banner;

	KUNIT_ASSERT_GE(test, fb->nr_calls, 4);
	KUNIT_EXPECT_EQ(test, fb->calls[0].op, FAKE_INIT);
	KUNIT_EXPECT_EQ(test, fb->calls[1].op, FAKE_REG);
	KUNIT_EXPECT_STREQ(test, fb->calls[1].name, "KELF_HEADER");
	KUNIT_EXPECT_STREQ(test, fb->calls[2].name, "KVMCOREINFO");
	KUNIT_EXPECT_STREQ(test, fb->calls[3].name, "KBANNER");
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), CORE_ENTRIES);

	/* linux_banner: "Linux version <release> ...", read where firmware will. */
	banner = fake_find(fb, "KBANNER");
	KUNIT_ASSERT_NOT_NULL(test, banner);
	KUNIT_EXPECT_EQ(test, 0, strncmp(banner->virt_addr, "Linux version ", 14));
	KUNIT_EXPECT_NOT_NULL(test, strnstr(banner->virt_addr, init_utsname()->release,
					    banner->size));
	KUNIT_EXPECT_EQ(test, banner->size % 4, 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 1);
}

/* A second backend waits, untouched, and takes over with every region. */
static void backend_second_waits_then_takes_over(struct kunit *test)
{
	struct fake_backend *first = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_backend *second = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct fake_backend *third = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct test_region *a = test_region_alloc(test, "before", 64);
	struct test_region *b = test_region_alloc(test, "while", 32);
	unsigned int calls;

	KUNIT_ASSERT_EQ(test, test_region_register(a), 0);
	calls = first->nr_calls;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, second), 0);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "backend fake waits: fake is registered"));
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, third), 0);
	/* Twice is refused: it waits already. */
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_backend_register(test_core(test),
								  &second->backend), -EBUSY);
	KUNIT_EXPECT_EQ(test, second->nr_calls, 0);
	KUNIT_EXPECT_EQ(test, third->nr_calls, 0);
	KUNIT_EXPECT_EQ(test, first->nr_calls, calls);
	KUNIT_EXPECT_EQ(test, fake_count_used(first), CORE_ENTRIES + 1);

	/* A region that comes meanwhile goes to the registered backend only. */
	KUNIT_ASSERT_EQ(test, test_region_register(b), 0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(first, "Kwhile"));
	KUNIT_EXPECT_EQ(test, second->nr_calls, 0);

	/* The third stops waiting: none of its ops ran, nor ever runs. */
	fake_backend_unregister(third);

	/* The first goes: the second holds the table, every region in it. */
	fake_backend_unregister(first);
	KUNIT_EXPECT_EQ(test, fake_count_used(first), 0);
	KUNIT_EXPECT_TRUE(test, qcom_minidump_core_has_backend(test_core(test)));
	KUNIT_ASSERT_GE(test, second->nr_calls, 1);
	KUNIT_EXPECT_EQ(test, second->calls[0].op, FAKE_INIT);
	KUNIT_EXPECT_EQ(test, fake_count_used(second), CORE_ENTRIES + 2);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(second, "Kbefore"));
	KUNIT_EXPECT_NOT_NULL(test, fake_find(second, "Kwhile"));
	KUNIT_EXPECT_NOT_NULL(test, fake_find(second, "KELF_HEADER"));
	KUNIT_EXPECT_EQ(test, elf_check(test, second), 3);
	KUNIT_EXPECT_EQ(test, third->nr_calls, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&second->stale_headers), 0);
}

/* One that fails its table_init stops waiting; the next one takes over. */
static void backend_takeover_skips_failing(struct kunit *test)
{
	struct fake_backend *first = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_backend *bad = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct fake_backend *good = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "kept", 16);

	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	bad->init_ret = -EIO;
	KUNIT_ASSERT_EQ(test, fake_backend_register(test, bad), 0);
	KUNIT_ASSERT_EQ(test, fake_backend_register(test, good), 0);
	fake_backend_unregister(first);

	KUNIT_EXPECT_EQ(test, bad->nr_calls, 1);
	KUNIT_EXPECT_EQ(test, fake_count_used(bad), 0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(good, "Kkept"));
	KUNIT_EXPECT_EQ(test, fake_count_used(good), CORE_ENTRIES + 1);
}

static void backend_missing_op_is_invalid(struct kunit *test)
{
	static const size_t op_offsets[] = {
		offsetof(struct qcom_minidump_ops, table_init),
		offsetof(struct qcom_minidump_ops, table_exit),
		offsetof(struct qcom_minidump_ops, region_register),
		offsetof(struct qcom_minidump_ops, region_unregister),
	};
	struct fake_backend *fb = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct qcom_minidump_ops *ops;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(op_offsets); i++) {
		ops = kunit_kmalloc(test, sizeof(*ops), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, ops);
		*ops = fake_ops;
		*(void **)((void *)ops + op_offsets[i]) = NULL;
		fb->backend.ops = ops;
		KUNIT_EXPECT_EQ_MSG(test, fake_backend_register(test, fb), -EINVAL, "op %u", i);
	}
	fb->backend.ops = NULL;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, fb), -EINVAL);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, 0);
}

static void backend_bad_fields_are_invalid(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_alloc(test, FAKE_DEFAULT_MAX);

	KUNIT_EXPECT_EQ(test, qcom_minidump_core_backend_register(test_core(test), NULL),
			-EINVAL);
	fb->backend.name = NULL;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, fb), -EINVAL);
	fb->backend.name = "fake";
	fb->backend.max_regions = CORE_ENTRIES;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, fb), -EINVAL);
	/* A bound keeps the header's layout arithmetic from overflowing. */
	fb->backend.max_regions = QCOM_MINIDUMP_MAX_ENTRIES + 1;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, fb), -EINVAL);
	fb->backend.max_regions = UINT_MAX;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, fb), -EINVAL);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, 0);
}

static void backend_wrong_unregister_changes_nothing(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_backend *other = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "after", 64);
	unsigned int calls = fb->nr_calls;

	qcom_minidump_backend_unregister(&other->backend);
	qcom_minidump_backend_unregister(NULL);
	KUNIT_EXPECT_EQ(test, other->nr_calls, 0);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, calls);
	/* Still the registered backend: a region reaches it. */
	KUNIT_EXPECT_EQ(test, test_region_register(tr), 0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(fb, "Kafter"));
}

static void backend_unregister_retracts_everything(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "client", 32);
	unsigned int start;

	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	start = fb->nr_calls;
	fake_backend_unregister(fb);

	KUNIT_ASSERT_EQ(test, fb->nr_calls, start + 5);
	KUNIT_EXPECT_EQ(test, fb->calls[start].op, FAKE_UNREG);
	KUNIT_EXPECT_STREQ(test, fb->calls[start].name, "Kclient");
	KUNIT_EXPECT_STREQ(test, fb->calls[start + 1].name, "KBANNER");
	KUNIT_EXPECT_STREQ(test, fb->calls[start + 2].name, "KVMCOREINFO");
	KUNIT_EXPECT_STREQ(test, fb->calls[start + 3].name, "KELF_HEADER");
	KUNIT_EXPECT_EQ(test, fb->calls[start + 4].op, FAKE_EXIT);
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fb->stale_headers), 0);
}

/* A client never waits for a backend: its region is handed over later. */
static void region_before_backend_handed_over(struct kunit *test)
{
	struct test_region *a = test_region_alloc(test, "early", 16);
	struct test_region *b = test_region_alloc(test, "early2", 32);
	struct fake_backend *fb;
	struct fake_slot *s;

	KUNIT_EXPECT_EQ(test, test_region_register(a), 0);
	KUNIT_EXPECT_EQ(test, test_region_register(b), 0);
	/* Kept by the core: the same region again is a duplicate. */
	KUNIT_EXPECT_EQ(test, core_register(test, &a->region), -EEXIST);

	fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	s = fake_find(fb, "Kearly");
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->phys_addr, a->region.phys_addr);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(fb, "Kearly2"));
	/* In the order they came, after linux_banner. */
	KUNIT_ASSERT_GE(test, fb->nr_calls, 6);
	KUNIT_EXPECT_STREQ(test, fb->calls[3].name, "KBANNER");
	KUNIT_EXPECT_STREQ(test, fb->calls[4].name, "Kearly");
	KUNIT_EXPECT_STREQ(test, fb->calls[5].name, "Kearly2");
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
}

static void region_unregister_without_backend(struct kunit *test)
{
	struct fake_backend *first = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_backend *second = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct test_region *kept = test_region_alloc(test, "kept", 16);
	struct test_region *gone = test_region_alloc(test, "gone", 16);
	unsigned int calls;

	KUNIT_ASSERT_EQ(test, test_region_register(kept), 0);
	KUNIT_ASSERT_EQ(test, test_region_register(gone), 0);
	fake_backend_unregister(first);
	calls = first->nr_calls;

	KUNIT_EXPECT_EQ(test, test_region_unregister(gone), 0);
	KUNIT_EXPECT_EQ(test, first->nr_calls, calls);
	KUNIT_EXPECT_EQ(test, test_region_unregister(gone), -ENOENT);

	KUNIT_ASSERT_EQ(test, fake_backend_register(test, second), 0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(second, "Kkept"));
	KUNIT_EXPECT_NULL(test, fake_find(second, "Kgone"));
	KUNIT_EXPECT_EQ(test, elf_check(test, second), 2);
}

static void backend_change_keeps_regions(struct kunit *test)
{
	struct fake_backend *first = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_backend *second = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "kept", 128);
	struct fake_slot *s;

	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	fake_backend_unregister(first);
	KUNIT_ASSERT_EQ(test, fake_backend_register(test, second), 0);

	s = fake_find(second, "Kkept");
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_PTR_EQ(test, s->virt_addr, tr->region.virt_addr);
	KUNIT_EXPECT_EQ(test, s->size, 128);
	KUNIT_EXPECT_EQ(test, elf_check(test, second), 2);
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr), 0);
	KUNIT_EXPECT_NULL(test, fake_find(second, "Kkept"));
}

/* What a smaller table cannot take stays with the core for the next backend. */
static void backend_smaller_table_keeps_the_rest(struct kunit *test)
{
	struct fake_backend *big = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_backend *small = fake_backend_alloc(test, CORE_ENTRIES + 2);
	struct fake_backend *again = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	static const char * const names[] = { "r0", "r1", "r2", "r3" };
	struct test_region *first = NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		struct test_region *tr = test_region_alloc(test, names[i], 8);

		KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
		first = first ?: tr;
	}
	fake_backend_unregister(big);

	/* Room for two of the four: the first two, in the order they came. */
	KUNIT_ASSERT_EQ(test, fake_backend_register(test, small), 0);
	KUNIT_EXPECT_EQ(test, fake_count_used(small), CORE_ENTRIES + 2);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(small, "Kr0"));
	KUNIT_EXPECT_NULL(test, fake_find(small, "Kr2"));
	KUNIT_EXPECT_EQ(test, elf_check(test, small), 3);

	/* A region leaves: the first that waits takes its entry, before any new one. */
	KUNIT_ASSERT_EQ(test, test_region_unregister(first), 0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(small, "Kr2"));
	KUNIT_EXPECT_NULL(test, fake_find(small, "Kr3"));
	KUNIT_EXPECT_EQ(test, elf_check(test, small), 3);
	/* Full again: a new registration is refused, r3 keeps waiting. */
	KUNIT_EXPECT_EQ(test, test_region_register(first), -ENOSPC);

	/* Not lost: a backend with room gets all four. */
	fake_backend_unregister(small);
	KUNIT_ASSERT_EQ(test, test_region_register(first), 0);
	KUNIT_ASSERT_EQ(test, fake_backend_register(test, again), 0);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char fw[QCOM_MINIDUMP_ENTRY_NAME_SIZE];

		snprintf(fw, sizeof(fw), "K%s", names[i]);
		KUNIT_EXPECT_NOT_NULL_MSG(test, fake_find(again, fw), "%s", fw);
	}
	KUNIT_EXPECT_EQ(test, elf_check(test, again), 5);
}

static void backend_table_init_failure(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct fake_backend *next = fake_backend_alloc(test, FAKE_DEFAULT_MAX);

	fb->init_ret = -EIO;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, fb), -EIO);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, 1);
	/* Nothing is left registered: another backend can come. */
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, next), 0);
}

static void backend_register_error_changes_nothing(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "refused", 64);
	struct snapshot snap;

	snapshot_take(test, fb, &snap);
	fb->register_ret = -EIO;
	KUNIT_EXPECT_EQ(test, test_region_register(tr), -EIO);
	fb->register_ret = 0;
	snapshot_expect_same(test, fb, &snap);
	/* The core did not keep it either: registering it again works. */
	KUNIT_EXPECT_EQ(test, test_region_register(tr), 0);
}

/* A device-managed region goes when its device does, and a failure leaves nothing. */
static void devm_region_released_with_device(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct device *dev = kunit_device_register(test, "qcom-minidump-test");
	struct test_region *tr = test_region_alloc(test, "devm", 64);
	struct qcom_minidump_region r = tr->region;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_devm_region_register(test_core(test), dev, &r),
			0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(fb, "Kdevm"));
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);
	kunit_device_unregister(test, dev);
	KUNIT_EXPECT_NULL(test, fake_find(fb, "Kdevm"));
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 1);
	KUNIT_EXPECT_EQ(test, core_unregister(test, &r), -ENOENT);

	/* A bad region leaves no devres behind to unregister at unbind. */
	dev = kunit_device_register(test, "qcom-minidump-test2");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	r.size = 6;
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_devm_region_register(test_core(test), dev, &r),
			-EINVAL);
	kunit_device_unregister(test, dev);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 1);
}

/* ---- what a client may pass ---- */

struct bad_input {
	const char *desc;
	void (*spoil)(struct kunit *test, struct qcom_minidump_region *r);
	int err;
	const char *logged;	/* the refusal's own log line, in part */
};

static void spoil_unterminated(struct kunit *test, struct qcom_minidump_region *r)
{
	memset(r->name, 'a', sizeof(r->name));
}

static void spoil_empty(struct kunit *test, struct qcom_minidump_region *r)
{
	r->name[0] = '\0';
}

static void spoil_slash(struct kunit *test, struct qcom_minidump_region *r)
{
	strscpy(r->name, "a/b");
}

static void spoil_control(struct kunit *test, struct qcom_minidump_region *r)
{
	strscpy(r->name, "ab\x01");
}

static void spoil_space(struct kunit *test, struct qcom_minidump_region *r)
{
	strscpy(r->name, "a b");
}

static void spoil_reserved_prefix(struct kunit *test, struct qcom_minidump_region *r)
{
	strscpy(r->name, "ELF_EXTRA");
}

static void spoil_reserved_banner(struct kunit *test, struct qcom_minidump_region *r)
{
	strscpy(r->name, "BANNER");
}

static void spoil_reserved_note(struct kunit *test, struct qcom_minidump_region *r)
{
	strscpy(r->name, "VMCOREINFO");
}

static void spoil_size_zero(struct kunit *test, struct qcom_minidump_region *r)
{
	r->size = 0;
}

static void spoil_size_odd(struct kunit *test, struct qcom_minidump_region *r)
{
	r->size = 6;
}

static void spoil_wraps(struct kunit *test, struct qcom_minidump_region *r)
{
	r->size = ULONG_MAX - 3;
}

static void spoil_null_virt(struct kunit *test, struct qcom_minidump_region *r)
{
	r->virt_addr = NULL;
}

static void spoil_phys(struct kunit *test, struct qcom_minidump_region *r)
{
	r->phys_addr += PAGE_SIZE;
}

static void spoil_zero_tail_odd(struct kunit *test, struct qcom_minidump_region *r)
{
	r->zero_tail = 6;
}

static void spoil_zero_tail_wraps(struct kunit *test, struct qcom_minidump_region *r)
{
	r->zero_tail = ULONG_MAX - 3;
}

static void vfree_action(void *p)
{
	vfree(p);
}

static void spoil_vmalloc(struct kunit *test, struct qcom_minidump_region *r)
{
	void *p = vmalloc(PAGE_SIZE);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vfree_action, p));
	r->virt_addr = p;
}

static const struct bad_input bad_inputs[] = {
	{ "name longer than the limit", spoil_unterminated, -ENAMETOOLONG,
	  "is longer than 10 characters" },
	{ "empty name", spoil_empty, -EINVAL, "region name is empty" },
	{ "slash in name", spoil_slash, -EINVAL, "has a character outside" },
	{ "control character in name", spoil_control, -EINVAL, "has a character outside" },
	{ "space in name", spoil_space, -EINVAL, "has a character outside" },
	{ "name prefix kept for the header", spoil_reserved_prefix, -EINVAL,
	  "are kept for the ELF header" },
	{ "the core's BANNER", spoil_reserved_banner, -EINVAL, "the name is the core's own" },
	{ "the core's VMCOREINFO", spoil_reserved_note, -EINVAL, "the name is the core's own" },
	{ "size 0", spoil_size_zero, -EINVAL, "size is 0" },
	{ "size not a multiple of 4", spoil_size_odd, -EINVAL, "is not a multiple of 4" },
	{ "region wraps around", spoil_wraps, -EINVAL, "run past the end of memory" },
	{ "zero tail not a multiple of 4", spoil_zero_tail_odd, -EINVAL,
	  "zero tail 6 is not a multiple of 4" },
	{ "zero tail wraps around", spoil_zero_tail_wraps, -EINVAL,
	  "runs past the end of memory" },
	{ "NULL virtual address", spoil_null_virt, -EINVAL, "virtual address is NULL" },
	{ "wrong physical address", spoil_phys, -EINVAL, "is not that of" },
	{ "vmalloc memory", spoil_vmalloc, -EINVAL, "vmalloc and module memory" },
};

static void bad_input_desc(const struct bad_input *b, char *desc)
{
	strscpy(desc, b->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_input, bad_inputs, bad_input_desc);

/* Each bad input fails with its errno and leaves everything as it was. */
static void region_bad_input_rejected(struct kunit *test)
{
	const struct bad_input *b = test->param_value;
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *good = test_region_alloc(test, "good", 64);
	struct test_region *bad = test_region_alloc(test, "bad", 64);
	struct snapshot snap;

	KUNIT_ASSERT_EQ(test, test_region_register(good), 0);
	snapshot_take(test, fb, &snap);
	b->spoil(test, &bad->region);
	KUNIT_EXPECT_EQ(test, test_region_register(bad), b->err);
	/* Refused for the reason the test gave, which the log line says. */
	KUNIT_EXPECT_TRUE_MSG(test, logged_lately(test, b->logged), "no \"%s\" in the log",
			      b->logged);
	snapshot_expect_same(test, fb, &snap);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, snap.nr_calls);
}

static void region_null_rejected(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	unsigned int calls = fb->nr_calls;

	KUNIT_EXPECT_EQ(test, core_register(test, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, core_unregister(test, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, calls);
}

static void region_stack_rejected(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	u32 on_stack[4] = { };
	struct qcom_minidump_region r = {
		.name = "stack",
		.virt_addr = on_stack,
		.size = sizeof(on_stack),
	};

	KUNIT_EXPECT_EQ(test, core_register(test, &r), -EINVAL);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "stack memory does not outlive"));
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), CORE_ENTRIES);
}

static u32 init_only[4] __initdata;

/*
 * __init memory is in the kernel image until it is freed after boot. The
 * test only passes its address, never reads it: hence __ref.
 */
static void __ref region_init_memory_rejected(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct qcom_minidump_region r = {
		.name = "initdata",
		.virt_addr = init_only,
		.size = sizeof(init_only),
	};

	if (IS_MODULE(CONFIG_QCOM_MINIDUMP_KUNIT_TEST))
		kunit_skip(test, "a module's __init memory is module memory");
	r.phys_addr = __pa_symbol(init_only);
	KUNIT_EXPECT_EQ(test, core_register(test, &r), -EINVAL);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "__init memory is freed after boot"));
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), CORE_ENTRIES);
}

static u32 image_data[8];

static void region_kernel_image_accepted(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct qcom_minidump_region r = {
		.name = "image",
		.virt_addr = image_data,
		.size = sizeof(image_data),
	};

	if (IS_MODULE(CONFIG_QCOM_MINIDUMP_KUNIT_TEST))
		kunit_skip(test, "image_data is module memory when the test is a module");
	r.phys_addr = __pa_symbol(image_data);
	KUNIT_ASSERT_EQ(test, core_register(test, &r), 0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(fb, "Kimage"));
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);
	KUNIT_EXPECT_EQ(test, core_unregister(test, &r), 0);
}

/* The documented limit fits every backend's table: with the 'K', 11 characters. */
static void region_name_of_the_limit_fits(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "abcdefghij", 16);
	struct fake_slot *s;

	KUNIT_ASSERT_EQ(test, strlen(tr->region.name), QCOM_MINIDUMP_NAME_MAX);
	KUNIT_EXPECT_EQ(test, test_region_register(tr), 0);
	s = fake_find(fb, "Kabcdefghij");
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, strlen(s->name), QCOM_MINIDUMP_ENTRY_NAME_MAX);
}

static void region_same_start_rejected(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "twice", 64);
	struct fake_slot *banner = fake_find(fb, "KBANNER");
	struct qcom_minidump_region again;
	struct snapshot snap;

	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	snapshot_take(test, fb, &snap);
	again = tr->region;
	KUNIT_EXPECT_EQ(test, core_register(test, &again), -EEXIST);
	/* Another size or another name at the same start: collectors could not tell. */
	again.size = 32;
	KUNIT_EXPECT_EQ(test, core_register(test, &again), -EEXIST);
	strscpy(again.name, "other");
	KUNIT_EXPECT_EQ(test, core_register(test, &again), -EEXIST);
	snapshot_expect_same(test, fb, &snap);

	/* Where linux_banner starts, too. */
	KUNIT_ASSERT_NOT_NULL(test, banner);
	again.virt_addr = banner->virt_addr;
	again.phys_addr = banner->phys_addr;
	again.size = 4;
	if (!IS_MODULE(CONFIG_QCOM_MINIDUMP_KUNIT_TEST))
		KUNIT_EXPECT_EQ(test, core_register(test, &again), -EEXIST);

	/* A region inside another, starting elsewhere, is its own region. */
	again = tr->region;
	strscpy(again.name, "inside");
	again.virt_addr += 16;
	again.phys_addr += 16;
	again.size = 16;
	KUNIT_EXPECT_EQ(test, core_register(test, &again), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
	KUNIT_EXPECT_EQ(test, core_unregister(test, &again), 0);
}

static void region_same_name_allowed(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *a = test_region_alloc(test, "shared", 64);
	struct test_region *b = test_region_alloc(test, "shared", 64);

	KUNIT_EXPECT_EQ(test, test_region_register(a), 0);
	KUNIT_EXPECT_EQ(test, test_region_register(b), 0);
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), CORE_ENTRIES + 2);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
}

static void region_unregister_unknown(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "known", 64);
	struct qcom_minidump_region other;
	struct snapshot snap;

	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	snapshot_take(test, fb, &snap);
	other = tr->region;
	other.size = 32;
	KUNIT_EXPECT_EQ(test, core_unregister(test, &other), -ENOENT);
	other = tr->region;
	strscpy(other.name, "unknown");
	KUNIT_EXPECT_EQ(test, core_unregister(test, &other), -ENOENT);
	other = tr->region;
	other.phys_addr += 4;
	KUNIT_EXPECT_EQ(test, core_unregister(test, &other), -ENOENT);
	snapshot_expect_same(test, fb, &snap);
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr), 0);
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr), -ENOENT);
}

static void region_core_own_not_unregistrable(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	static const char * const own[] = { "KBANNER", "KVMCOREINFO", "KELF_HEADER" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(own); i++) {
		struct fake_slot *s = fake_find(fb, own[i]);
		struct qcom_minidump_region r = { };

		KUNIT_ASSERT_NOT_NULL(test, s);
		strscpy(r.name, own[i] + 1);
		r.virt_addr = s->virt_addr;
		r.phys_addr = s->phys_addr;
		r.size = s->size;
		KUNIT_EXPECT_EQ_MSG(test, core_unregister(test, &r), -ENOENT, "%s", own[i]);
		KUNIT_EXPECT_NOT_NULL(test, fake_find(fb, own[i]));
	}
}

static void region_table_full(struct kunit *test)
{
	const unsigned int max = CORE_ENTRIES + 2;
	struct fake_backend *fb = fake_backend_setup(test, max);
	struct test_region *a = test_region_alloc(test, "a", 16);
	struct test_region *b = test_region_alloc(test, "b", 16);
	struct test_region *c = test_region_alloc(test, "c", 16);
	struct snapshot snap;

	KUNIT_ASSERT_EQ(test, test_region_register(a), 0);
	KUNIT_ASSERT_EQ(test, test_region_register(b), 0);
	snapshot_take(test, fb, &snap);
	KUNIT_EXPECT_EQ(test, test_region_register(c), -ENOSPC);
	snapshot_expect_same(test, fb, &snap);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, snap.nr_calls);
	/* A freed entry can be used again. */
	KUNIT_EXPECT_EQ(test, test_region_unregister(a), 0);
	KUNIT_EXPECT_EQ(test, test_region_register(c), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
}

static void region_register_order(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "order", 64);
	unsigned int start = fb->nr_calls;

	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	KUNIT_ASSERT_EQ(test, fb->nr_calls, start + 1);
	KUNIT_EXPECT_EQ(test, fb->calls[start].op, FAKE_REG);
	KUNIT_EXPECT_STREQ(test, fb->calls[start].name, "Korder");
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr), 0);
	KUNIT_EXPECT_EQ(test, fb->calls[start + 1].op, FAKE_UNREG);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&fb->stale_headers), 0);
}

/* ---- the ELF header ---- */

static void elf_describes_regions(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *a = test_region_alloc(test, "first", 256);
	struct test_region *b = test_region_alloc(test, "second", 4);
	struct test_region *c = test_region_alloc(test, "third", 8);
	struct fake_slot *hdr, *banner;
	const struct elf64_hdr *ehdr;
	const struct elf64_phdr *phdr;

	KUNIT_ASSERT_EQ(test, test_region_register(a), 0);
	KUNIT_ASSERT_EQ(test, test_region_register(b), 0);
	KUNIT_ASSERT_EQ(test, test_region_register(c), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 4);

	/* Program header order is registration order, banner first. */
	hdr = fake_find(fb, "KELF_HEADER");
	ehdr = hdr->virt_addr;
	phdr = hdr->virt_addr + ehdr->e_phoff;
	banner = fake_find(fb, "KBANNER");
	KUNIT_ASSERT_NOT_NULL(test, banner);
	KUNIT_EXPECT_EQ(test, phdr[1].p_paddr, banner->phys_addr);
	KUNIT_EXPECT_EQ(test, phdr[2].p_paddr, a->region.phys_addr);
	KUNIT_EXPECT_EQ(test, phdr[3].p_paddr, b->region.phys_addr);
	KUNIT_EXPECT_EQ(test, phdr[3].p_offset, phdr[2].p_offset + 256);

	/* Removing one from the middle keeps the offsets contiguous. */
	KUNIT_EXPECT_EQ(test, test_region_unregister(a), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
	KUNIT_EXPECT_EQ(test, phdr[2].p_paddr, b->region.phys_addr);
	KUNIT_EXPECT_EQ(test, phdr[3].p_paddr, c->region.phys_addr);
	KUNIT_EXPECT_EQ(test, ehdr->e_phnum, 4);
	/* And the first and the last. */
	KUNIT_EXPECT_EQ(test, test_region_unregister(c), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);
	KUNIT_EXPECT_EQ(test, test_region_register(a), 0);
	KUNIT_EXPECT_EQ(test, test_region_unregister(b), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);
	KUNIT_EXPECT_EQ(test, phdr[2].p_paddr, a->region.phys_addr);
}

static void elf_note_is_vmcoreinfo(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_slot *hdr = fake_find(fb, "KELF_HEADER");
	struct fake_slot *note = fake_find(fb, "KVMCOREINFO");
	const struct elf64_hdr *ehdr;
	const struct elf64_phdr *phdr;
	const struct elf_note *n;
	const char *desc;

	KUNIT_ASSERT_NOT_NULL(test, hdr);
	KUNIT_ASSERT_NOT_NULL(test, note);

	/* A copy of the kernel's note, whole, and nothing else without a crash. */
	ehdr = hdr->virt_addr;
	phdr = hdr->virt_addr + ehdr->e_phoff;
	KUNIT_EXPECT_EQ(test, phdr[0].p_type, PT_NOTE);
	KUNIT_EXPECT_GT(test, phdr[0].p_filesz, sizeof(*n));
	KUNIT_EXPECT_EQ(test, phdr[0].p_filesz, note->size);
	KUNIT_EXPECT_EQ(test, phdr[0].p_paddr, note->phys_addr);
	/* vmcoreinfo_note is not exported; its physical address is. */
	KUNIT_EXPECT_EQ(test, 0, memcmp(note->virt_addr, phys_to_virt(paddr_vmcoreinfo_note()),
					phdr[0].p_filesz));

	n = note->virt_addr;
	KUNIT_EXPECT_EQ(test, n->n_namesz, sizeof(VMCOREINFO_NOTE_NAME));
	KUNIT_EXPECT_STREQ(test, (const char *)(n + 1), VMCOREINFO_NOTE_NAME);
	desc = (const char *)(n + 1) + ALIGN(n->n_namesz, 4);
	KUNIT_EXPECT_NOT_NULL(test, strnstr(desc, "OSRELEASE=", n->n_descsz));
	KUNIT_EXPECT_NOT_NULL(test, strnstr(desc, "PAGESIZE=", n->n_descsz));
}

/* Longest names everywhere, every entry used: the header must still hold. */
static void elf_fill_table(struct kunit *test, struct fake_backend *fb, unsigned int clients)
{
	unsigned int i;

	for (i = 0; i < clients; i++) {
		char name[QCOM_MINIDUMP_NAME_MAX + 1];

		snprintf(name, sizeof(name), "full%06u", i);
		KUNIT_ASSERT_EQ(test, test_region_register(test_region_alloc(test, name, 8)), 0);
	}
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), fb->backend.max_regions);
	KUNIT_EXPECT_EQ(test, test_region_register(test_region_alloc(test, "onemore", 8)),
			-ENOSPC);
}

static void elf_fits_largest_table(struct kunit *test)
{
	const unsigned int max = 40;
	struct fake_backend *fb = fake_backend_setup(test, max);

	elf_fill_table(test, fb, max - CORE_ENTRIES);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), max - 2);
	KUNIT_EXPECT_EQ(test, fake_find(fb, "KELF_HEADER")->size % 4, 0);
}

/* Without a vmcoreinfo note one more region fits, and the header holds it. */
static void elf_fits_largest_table_without_note(struct kunit *test)
{
	const unsigned int max = 40;
	struct fake_backend *fb;

	test->priv = test_core_alloc(test, false);
	fb = fake_backend_setup(test, max);
	KUNIT_EXPECT_NULL(test, fake_find(fb, "KVMCOREINFO"));
	elf_fill_table(test, fb, max - CORE_ENTRIES + 1);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), max - 1);
}

/* A region may start at any address: p_align must not promise otherwise. */
static void elf_unaligned_region(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "odd", 64);

	tr->region.virt_addr += 2;
	tr->region.phys_addr += 2;
	tr->region.size = 32;
	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);
}

/*
 * A zero tail is in the region's p_memsz only: debuggers read it as zeroes,
 * firmware dumps the region's own bytes. Every other region's p_memsz is
 * its size.
 */
static void elf_zero_tail(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tail = test_region_alloc(test, "tail", 64);
	struct test_region *plain = test_region_alloc(test, "plain", 32);
	const struct fake_slot *hdr;
	const struct elf64_hdr *ehdr;
	const struct elf64_phdr *phdr;
	unsigned int i, seen = 0;

	tail->region.size = 16;
	tail->region.zero_tail = 48;
	KUNIT_ASSERT_EQ(test, test_region_register(tail), 0);
	KUNIT_ASSERT_EQ(test, test_region_register(plain), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
	KUNIT_EXPECT_TRUE(test, fake_has(fb, tail->region.phys_addr, 16));

	hdr = fake_find(fb, "KELF_HEADER");
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	ehdr = hdr->virt_addr;
	phdr = hdr->virt_addr + ehdr->e_phoff;
	for (i = 1; i < ehdr->e_phnum; i++) {
		if (phdr[i].p_paddr == tail->region.phys_addr) {
			KUNIT_EXPECT_EQ(test, phdr[i].p_filesz, 16);
			KUNIT_EXPECT_EQ(test, phdr[i].p_memsz, 64);
			seen++;
		} else {
			KUNIT_EXPECT_EQ(test, phdr[i].p_memsz, phdr[i].p_filesz);
		}
	}
	KUNIT_EXPECT_EQ(test, seen, 1);
}

/*
 * Names of every length, removed from the front and the middle: the string
 * table stays packed in program-header order, as ramparse reads it.
 */
static void elf_names_packed_across_removals(struct kunit *test)
{
	static const char * const names[] = { "ab", "abcdefghij", "xyz", "mid45", "b2" };
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr[ARRAY_SIZE(names)];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		tr[i] = test_region_alloc(test, names[i], 16);
		KUNIT_ASSERT_EQ(test, test_region_register(tr[i]), 0);
		KUNIT_EXPECT_EQ(test, elf_check(test, fb), i + 2);
	}
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr[1]), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 5);
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr[0]), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 4);
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr[4]), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
	KUNIT_EXPECT_EQ(test, test_region_register(test_region_alloc(test, "again", 16)), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 4);
}

/* ---- the crash path ---- */

static void crash_undo_action(void *md)
{
	qcom_minidump_core_crash_undo(md);
}

/*
 * A backend of @max entries on a core that keeps @entries of them and
 * @note_room bytes for the crash path. The crash path's additions are
 * taken back before the backend goes.
 */
static struct fake_backend *crash_setup(struct kunit *test, unsigned int entries,
					size_t note_room, unsigned int max)
{
	struct qcom_minidump *md = test_core(test);
	struct fake_backend *fb;

	KUNIT_ASSERT_EQ(test, 0, qcom_minidump_core_crash_reserve(md, entries, note_room));
	fb = fake_backend_setup(test, max);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, crash_undo_action, md));
	return fb;
}

static int crash_add(struct kunit *test, const char *name, size_t size)
{
	void *buf = kunit_kzalloc(test, size ?: 4, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return qcom_minidump_core_crash_region_add(test_core(test), name, buf,
						   virt_to_phys(buf), size);
}

/* The kept entries are beyond the clients' reach, and the crash path gets them. */
static void crash_entries_kept_from_clients(struct kunit *test)
{
	const unsigned int max = 10, kept = 3;
	struct fake_backend *fb = crash_setup(test, kept, 0, max);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, fb->backend.crash_entries, kept);
	for (i = 0; i < max - CORE_ENTRIES - kept; i++) {
		struct test_region *tr = test_region_alloc(test, "client", 8);

		KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	}
	KUNIT_EXPECT_EQ(test, test_region_register(test_region_alloc(test, "onemore", 8)),
			-ENOSPC);

	KUNIT_EXPECT_EQ(test, crash_add(test, "STK0_0", 64), 0);
	KUNIT_EXPECT_EQ(test, crash_add(test, "TASK0", 32), 0);
	KUNIT_EXPECT_EQ(test, crash_add(test, "RQ0", 16), 0);
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), max);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), max - 2);
	KUNIT_EXPECT_EQ(test, fb->calls[fb->nr_calls - 1].op, FAKE_CRASH);

	KUNIT_EXPECT_EQ(test, crash_add(test, "PC0_0", 16), -ENOSPC);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "region PC0_0 not added: the 3 entries kept"));

	/* The table and the header are the crash path's now. */
	KUNIT_EXPECT_EQ(test, test_region_register(test_region_alloc(test, "late", 8)), -EBUSY);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "the kernel is crashing: no change"));
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), max - 2);
}

/* The notes the crash path writes join the PT_NOTE, after vmcoreinfo. */
static void crash_notes_join_pt_note(struct kunit *test)
{
	const size_t room = 64;
	struct fake_backend *fb = crash_setup(test, 0, room, FAKE_DEFAULT_MAX);
	struct fake_slot *note = fake_find(fb, "KVMCOREINFO");
	const struct elf64_hdr *ehdr = fake_find(fb, "KELF_HEADER")->virt_addr;
	const struct elf64_phdr *phdr = (const void *)ehdr + ehdr->e_phoff;
	struct elf_note *n;
	size_t free, before = phdr[0].p_filesz;

	KUNIT_ASSERT_NOT_NULL(test, note);
	KUNIT_EXPECT_EQ(test, note->size, before + room);
	n = qcom_minidump_core_crash_note_room(test_core(test), &free);
	KUNIT_ASSERT_NOT_NULL(test, n);
	KUNIT_EXPECT_EQ(test, free, room);
	KUNIT_EXPECT_PTR_EQ(test, (void *)n, note->virt_addr + before);

	/* A "CORE" note with an 8-byte description: 28 bytes. */
	n->n_namesz = 5;
	n->n_descsz = 8;
	n->n_type = NT_PRSTATUS;
	memcpy(n + 1, "CORE", 5);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_note_add(test_core(test), 28), 0);
	KUNIT_EXPECT_EQ(test, phdr[0].p_filesz, before + 28);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 1);

	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_note_add(test_core(test), 40), -EINVAL);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "crash: 40 bytes of notes refused, 36 free"));
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_note_add(test_core(test), 6), -EINVAL);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_note_add(test_core(test), 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, phdr[0].p_filesz, before + 28);
}

static void crash_reserve_checked(struct kunit *test)
{
	struct qcom_minidump *md = test_core(test);

	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_reserve(md, QCOM_MINIDUMP_CRASH_ENTRIES + 1,
							       0), -EINVAL);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "crash reservation of 49 entries"));
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_reserve(md, 1, 6), -EINVAL);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_reserve(md, 1,
							       QCOM_MINIDUMP_CRASH_NOTE_MAX + 4),
			-EINVAL);
	fake_backend_setup(test, FAKE_DEFAULT_MAX);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_reserve(md, 1, 0), -EBUSY);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "crash reservation refused: a backend has"));
}

/* A bad call leaves the state alone: clients may still register. */
static void crash_region_bad_input(struct kunit *test)
{
	static u32 word;
	struct qcom_minidump *md = test_core(test);

	crash_setup(test, 2, 0, FAKE_DEFAULT_MAX);
	KUNIT_EXPECT_EQ(test, crash_add(test, "", 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, crash_add(test, "ELF_X", 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, crash_add(test, "elevenchars", 8), -ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, crash_add(test, "odd", 6), -EINVAL);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "crash: region odd at "));
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_region_add(md, "null", NULL, 0, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_region_add(md, "zero", &word,
								  __pa_symbol(&word), 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, test_region_register(test_region_alloc(test, "after", 8)), 0);
}

static void crash_without_backend(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, 0, qcom_minidump_core_crash_reserve(test_core(test), 2, 0));
	KUNIT_EXPECT_EQ(test, crash_add(test, "STK0_0", 8), -ENODEV);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "crash: STK0_0 not added: no backend"));
}

/*
 * A crash while a change is under way (a CPU stopped in the middle of
 * one): the crash path must leave the table and the header alone.
 */
static void crash_during_change_touches_nothing(struct kunit *test)
{
	struct fake_backend *fb = crash_setup(test, 2, 0, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "changing", 8);

	fb->crash_inside = true;
	KUNIT_EXPECT_EQ(test, test_region_register(tr), 0);
	KUNIT_EXPECT_EQ(test, fb->crash_inside_ret, -EBUSY);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "inside not added: the table was being"));
	KUNIT_EXPECT_NULL(test, fake_find(fb, "Kinside"));
	KUNIT_EXPECT_EQ(test, fb->crash_inside_begin, -EBUSY);
	KUNIT_EXPECT_NULL(test, fb->crash_inside_notes);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);

	/* Once the change is done, the crash path may go. */
	KUNIT_EXPECT_EQ(test, crash_add(test, "STK0_0", 8), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
}

/*
 * The crash path keeps the core's rule: no two regions start at one
 * address (collectors match by it), and no range wraps around.
 */
static void crash_region_same_start_refused(struct kunit *test)
{
	struct qcom_minidump *md = test_core(test);
	struct fake_backend *fb = crash_setup(test, 4, 0, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "client", 8);
	u32 *buf = kunit_kzalloc(test, 16, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_region_add(md, "PC0_0", tr->region.virt_addr,
								  tr->region.phys_addr, 8),
			-EEXIST);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "crash: region PC0_0: "));
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_region_add(md, "PC0_1", buf,
								  virt_to_phys(buf), 16), 0);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_region_add(md, "PC0_2", buf,
								  virt_to_phys(buf), 8), -EEXIST);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_region_add(md, "wraps", (void *)-8UL,
								  virt_to_phys(buf + 2), 16),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
}

/*
 * A copy made at the crash of memory the crash path goes on changing:
 * firmware dumps the copy, and the header puts its bytes where the memory
 * copied lives, for crash, which reads by physical address only.
 */
static void crash_copy_put_where_it_belongs(struct kunit *test)
{
	struct qcom_minidump *md = test_core(test);
	struct fake_backend *fb = crash_setup(test, 4, 0, FAKE_DEFAULT_MAX);
	u32 *mem = kunit_kzalloc(test, 16, GFP_KERNEL);
	u32 *copy = kunit_kzalloc(test, 16, GFP_KERNEL);
	const struct elf64_phdr *p;
	const struct elf64_hdr *ehdr;
	struct fake_slot *slot, *hdr;

	KUNIT_ASSERT_NOT_NULL(test, mem);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_copy_add(md, "STK0_0", mem,
								virt_to_phys(copy), 0, 16),
			-EINVAL);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "crash: copy STK0_0 of "));
	KUNIT_EXPECT_EQ(test, qcom_minidump_core_crash_copy_add(md, "STK0_0", mem,
								virt_to_phys(copy), -8, 16),
			-EINVAL);
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_crash_copy_add(md, "STK0_0", mem,
								virt_to_phys(copy),
								virt_to_phys(mem), 16), 0);

	slot = fake_find(fb, "KSTK0_0");
	KUNIT_ASSERT_NOT_NULL(test, slot);
	KUNIT_EXPECT_EQ(test, slot->phys_addr, virt_to_phys(copy));
	hdr = fake_find(fb, "KELF_HEADER");
	KUNIT_ASSERT_NOT_NULL(test, hdr);
	ehdr = hdr->virt_addr;
	p = hdr->virt_addr + ehdr->e_phoff + (ehdr->e_phnum - 1) * sizeof(*p);
	KUNIT_EXPECT_EQ(test, p->p_type, PT_LOAD);
	KUNIT_EXPECT_EQ(test, p->p_paddr, virt_to_phys(mem));
	KUNIT_EXPECT_EQ(test, p->p_vaddr, (unsigned long)mem);
	KUNIT_EXPECT_EQ(test, p->p_filesz, 16);
	/* Read-only: the mark of a copy, matched by its name. */
	KUNIT_EXPECT_EQ(test, p->p_flags, PF_R);
}

/*
 * A backend that goes after the crash path ran: its table stays as the
 * crash path left it, for firmware, and the core lets go of the backend,
 * which its caller frees next.
 */
static void crash_then_backend_unregister(struct kunit *test)
{
	struct qcom_minidump *md = test_core(test);
	struct fake_backend *fb = crash_setup(test, 2, 0, FAKE_DEFAULT_MAX);
	unsigned int used, calls;

	KUNIT_ASSERT_EQ(test, crash_add(test, "STK0_0", 16), 0);
	used = fake_count_used(fb);
	calls = fb->nr_calls;
	qcom_minidump_backend_unregister(&fb->backend);
	fb->registered = false;
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "backend fake unregistered after a crash"));
	KUNIT_EXPECT_FALSE(test, qcom_minidump_core_has_backend(md));
	KUNIT_EXPECT_NULL(test, fb->backend.core);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, calls);
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), used);
	KUNIT_EXPECT_EQ(test, crash_add(test, "STK0_1", 16), -ENODEV);
}

/* A small table keeps 4 entries for the rest, and says how many it kept. */
static void crash_small_table_keeps_four(struct kunit *test)
{
	struct fake_backend *fb = crash_setup(test, QCOM_MINIDUMP_CRASH_ENTRIES, 0, 6);

	KUNIT_EXPECT_EQ(test, fb->backend.crash_entries, 2);
	KUNIT_EXPECT_TRUE(test, logged_lately(test, "backend fake: 2 of 48 entries kept"));
	KUNIT_EXPECT_EQ(test, test_region_register(test_region_alloc(test, "one", 8)), 0);
	KUNIT_EXPECT_EQ(test, test_region_register(test_region_alloc(test, "two", 8)), -ENOSPC);
	KUNIT_EXPECT_EQ(test, crash_add(test, "STK0_0", 8), 0);
	KUNIT_EXPECT_EQ(test, crash_add(test, "TASK0", 8), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 4);
}

/* A backend without the crash op keeps nothing, and takes nothing at a crash. */
static void crash_backend_without_op(struct kunit *test)
{
	struct qcom_minidump_ops *ops = kunit_kzalloc(test, sizeof(*ops), GFP_KERNEL);
	struct fake_backend *fb;

	KUNIT_ASSERT_NOT_NULL(test, ops);
	*ops = fake_ops;
	ops->crash_region_register = NULL;
	KUNIT_ASSERT_EQ(test, 0, qcom_minidump_core_crash_reserve(test_core(test), 2, 0));
	fb = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	fb->backend.ops = ops;
	KUNIT_ASSERT_EQ(test, 0, fake_backend_register(test, fb));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, crash_undo_action, fb->core));
	KUNIT_EXPECT_EQ(test, fb->backend.crash_entries, 0);
	KUNIT_EXPECT_EQ(test, crash_add(test, "STK0_0", 8), -ENOSPC);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 1);
}

/* Randomized register/unregister, checked by the reader along the way. */
#define RANDOM_POOL	48
#define RANDOM_STEPS	600
#define RANDOM_SEED	0x6d696e69ULL

static void elf_random_sequences(struct kunit *test)
{
	static const char * const names[] = { "log", "tasks", "irq", "sched", "mydrv.0" };
	const unsigned int max = 32;
	struct fake_backend *fb = fake_backend_setup(test, max);
	struct test_region *pool[RANDOM_POOL];
	unsigned int live = 0, step, checks = 0, full = 0, dups = 0;
	struct rnd_state rnd;

	kunit_info(test, "seed %#llx, %u steps\n", RANDOM_SEED, RANDOM_STEPS);
	prandom_seed_state(&rnd, RANDOM_SEED);

	for (step = 0; step < RANDOM_POOL; step++) {
		size_t size = 4 * (1 + prandom_u32_state(&rnd) % 256);

		pool[step] = test_region_alloc(test, names[step % ARRAY_SIZE(names)], size);
	}

	for (step = 0; step < RANDOM_STEPS; step++) {
		struct test_region *tr = pool[prandom_u32_state(&rnd) % RANDOM_POOL];

		if (tr->registered) {
			if (prandom_u32_state(&rnd) % 4 == 0) {
				KUNIT_ASSERT_EQ(test, core_register(test, &tr->region), -EEXIST);
				dups++;
			} else {
				KUNIT_ASSERT_EQ(test, test_region_unregister(tr), 0);
				live--;
			}
		} else if (live + CORE_ENTRIES >= max) {
			KUNIT_ASSERT_EQ(test, test_region_register(tr), -ENOSPC);
			full++;
		} else {
			KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
			live++;
		}
		KUNIT_ASSERT_EQ(test, fake_count_used(fb), live + CORE_ENTRIES);
		if (step % 20 == 0 || step == RANDOM_STEPS - 1) {
			KUNIT_ASSERT_EQ(test, elf_check(test, fb), live + 1);
			checks++;
		}
	}
	kunit_info(test, "%u live at the end, %u header checks, %u full, %u duplicates\n",
		   live, checks, full, dups);
	/* The sequence must have reached the interesting states. */
	KUNIT_EXPECT_GT(test, full, 0);
	KUNIT_EXPECT_GT(test, dups, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&fb->stale_headers), 0);
}

/* ---- concurrency ---- */

#define STRESS_THREADS	4
#define STRESS_REGIONS	8	/* per thread */
#define STRESS_OPS	2560	/* per thread: 10,240 in all */
#define STRESS_MAX	64

struct stress_worker {
	struct test_region *regions[STRESS_REGIONS];
	struct rnd_state rnd;
	unsigned int ops;
	atomic_t *mismatches;
	struct completion done;
};

struct stress_changer {
	struct fake_backend *fb[2];
	struct fake_backend *last;
	atomic_t *workers_left;
	atomic_t *mismatches;
	unsigned int changes;
	struct completion done;
};

static int stress_worker_fn(void *data)
{
	struct stress_worker *w = data;
	unsigned int i;

	for (i = 0; i < STRESS_OPS; i++) {
		struct test_region *tr = w->regions[prandom_u32_state(&w->rnd) % STRESS_REGIONS];
		int ret = tr->registered ? test_region_unregister(tr) : test_region_register(tr);

		/* Distinct regions, a table with room for all: every call succeeds. */
		if (ret)
			atomic_inc(w->mismatches);
		w->ops++;
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

/* Registers and unregisters two fake backends in turn until the workers end. */
static int stress_changer_fn(void *data)
{
	struct stress_changer *c = data;
	struct fake_backend *fb;
	unsigned int turn = 0;

	for (;;) {
		fb = c->fb[turn++ % 2];
		if (qcom_minidump_core_backend_register(fb->core, &fb->backend))
			atomic_inc(c->mismatches);
		c->changes++;
		c->last = fb;
		usleep_range(50, 150);
		if (!atomic_read(c->workers_left))
			break;
		qcom_minidump_backend_unregister(&fb->backend);
		c->changes++;
	}
	complete(&c->done);
	return 0;
}

static void stress_concurrent(struct kunit *test)
{
	struct stress_worker *w = kunit_kcalloc(test, STRESS_THREADS, sizeof(*w), GFP_KERNEL);
	struct task_struct *tasks[STRESS_THREADS + 1];
	atomic_t mismatches = ATOMIC_INIT(0);
	atomic_t workers_left = ATOMIC_INIT(STRESS_THREADS);
	struct stress_changer c = {
		.workers_left = &workers_left,
		.mismatches = &mismatches,
	};
	unsigned int i, j, ops = 0, live = 0;
	struct fake_backend *fb;

	KUNIT_ASSERT_NOT_NULL(test, w);
	c.fb[0] = fake_backend_alloc(test, STRESS_MAX);
	c.fb[1] = fake_backend_alloc(test, STRESS_MAX);
	init_completion(&c.done);
	for (i = 0; i < STRESS_THREADS; i++) {
		for (j = 0; j < STRESS_REGIONS; j++) {
			char name[QCOM_MINIDUMP_NAME_MAX + 1];

			snprintf(name, sizeof(name), "t%u.r%u", i, j);
			w[i].regions[j] = test_region_alloc(test, name, 4 * (1 + i + j));
		}
		prandom_seed_state(&w[i].rnd, RANDOM_SEED + i);
		w[i].mismatches = &mismatches;
		init_completion(&w[i].done);
	}

	for (i = 0; i <= STRESS_THREADS; i++) {
		if (i < STRESS_THREADS)
			tasks[i] = kthread_create(stress_worker_fn, &w[i], "md-stress/%u", i);
		else
			tasks[i] = kthread_create(stress_changer_fn, &c, "md-stress/backend");
		if (IS_ERR(tasks[i])) {
			while (i--)
				kthread_stop(tasks[i]);
			KUNIT_FAIL(test, "cannot start the stress threads");
			return;
		}
	}
	for (i = 0; i <= STRESS_THREADS; i++)
		wake_up_process(tasks[i]);

	for (i = 0; i < STRESS_THREADS; i++) {
		wait_for_completion(&w[i].done);
		ops += w[i].ops;
		atomic_dec(&workers_left);
	}
	wait_for_completion(&c.done);

	/* The changer left its last backend registered: check what it holds. */
	fb = c.last;
	fb->registered = true;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, fake_backend_release, fb));
	for (i = 0; i < STRESS_THREADS; i++) {
		for (j = 0; j < STRESS_REGIONS; j++) {
			struct test_region *tr = w[i].regions[j];
			bool in_table = fake_has(fb, tr->region.phys_addr, tr->region.size);

			live += tr->registered;
			if (in_table != tr->registered)
				atomic_inc(&mismatches);
		}
	}
	if (fake_count_used(fb) != live + CORE_ENTRIES || elf_check(test, fb) != live + 1)
		atomic_inc(&mismatches);
	atomic_add(atomic_read(&c.fb[0]->stale_headers) + atomic_read(&c.fb[1]->stale_headers),
		   &mismatches);

	kunit_info(test, "stress: %u operations, %u backend changes, %d mismatches\n",
		   ops, c.changes, atomic_read(&mismatches));
	KUNIT_EXPECT_EQ(test, ops, STRESS_THREADS * STRESS_OPS);
	KUNIT_EXPECT_GT(test, c.changes, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&mismatches), 0);
}

/* ---- cost of a registration: a benchmark, not a timed test ---- */

#define BENCH_CLIENTS	200
#define BENCH_PAIRS	1000
#define BENCH_RUNS	7

/* A backend that costs nothing per entry, so that the core is what is timed. */
struct bench_backend {
	struct qcom_minidump_backend backend;
	DECLARE_BITMAP(used, CORE_ENTRIES + BENCH_CLIENTS);
};

static int bench_table_init(struct qcom_minidump_backend *backend)
{
	return 0;
}

static void bench_table_exit(struct qcom_minidump_backend *backend)
{
}

static int bench_region_register(struct qcom_minidump_backend *backend,
				 struct qcom_minidump_entry *entry)
{
	struct bench_backend *bb = container_of(backend, struct bench_backend, backend);

	entry->slot = find_first_zero_bit(bb->used, backend->max_regions);
	__set_bit(entry->slot, bb->used);
	return 0;
}

static void bench_region_unregister(struct qcom_minidump_backend *backend,
				    struct qcom_minidump_entry *entry)
{
	struct bench_backend *bb = container_of(backend, struct bench_backend, backend);

	__clear_bit(entry->slot, bb->used);
}

static const struct qcom_minidump_ops bench_ops = {
	.table_init = bench_table_init,
	.table_exit = bench_table_exit,
	.region_register = bench_region_register,
	.region_unregister = bench_region_unregister,
};

static void bench_backend_release(void *backend)
{
	qcom_minidump_backend_unregister(backend);
}

/* Best time of one register+unregister pair, in ns, with @live regions registered. */
static u64 bench_pair_ns(struct kunit *test, struct test_region **pool, unsigned int live)
{
	struct test_region *timed = pool[live];
	u64 best = U64_MAX;
	unsigned int i, run;
	int ret = 0;

	for (i = 0; i < live; i++)
		KUNIT_ASSERT_EQ(test, test_region_register(pool[i]), 0);
	for (run = 0; run < BENCH_RUNS; run++) {
		u64 start = ktime_get_ns();

		for (i = 0; i < BENCH_PAIRS; i++) {
			ret |= qcom_minidump_core_region_register(timed->core, &timed->region);
			ret |= qcom_minidump_core_region_unregister(timed->core, &timed->region);
		}
		best = min(best, ktime_get_ns() - start);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	for (i = 0; i < live; i++)
		KUNIT_ASSERT_EQ(test, test_region_unregister(pool[i]), 0);
	return div_u64(best, BENCH_PAIRS);
}

static void bench_register_unregister(struct kunit *test)
{
	struct bench_backend *bb = kunit_kzalloc(test, sizeof(*bb), GFP_KERNEL);
	struct test_region **pool;
	u64 one, full;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, bb);
	pool = kunit_kcalloc(test, BENCH_CLIENTS, sizeof(*pool), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	for (i = 0; i < BENCH_CLIENTS; i++) {
		char name[QCOM_MINIDUMP_NAME_MAX + 1];

		snprintf(name, sizeof(name), "bench%u", i);
		pool[i] = test_region_alloc(test, name, 64);
	}
	bb->backend.name = "bench";
	bb->backend.ops = &bench_ops;
	bb->backend.max_regions = CORE_ENTRIES + BENCH_CLIENTS;
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_backend_register(test_core(test), &bb->backend),
			0);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, bench_backend_release,
							   &bb->backend));

	one = bench_pair_ns(test, pool, 1);
	full = bench_pair_ns(test, pool, BENCH_CLIENTS - 1);
	kunit_info(test, "bench: register+unregister 1 live: %llu ns, %u live: %llu ns, ratio %llu.%02llu\n",
		   one, BENCH_CLIENTS - 1, full, div64_u64(full, one),
		   div64_u64(full * 100, one) % 100);
	KUNIT_EXPECT_GT(test, one, 0);
}

/* ---- memory lifetime ---- */

/* A module for the owner checks: its address counts, and its name in the log. */
static struct module *fake_module(struct kunit *test)
{
#if IS_ENABLED(CONFIG_MODULES)
	struct module *mod = kunit_kzalloc(test, sizeof(*mod), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, mod);
	strscpy(mod->name, "fakemod");
	return mod;
#else
	void *mod = kunit_kzalloc(test, sizeof(long), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, mod);
	return mod;
#endif
}

static const char *fake_module_name(void)
{
	return IS_ENABLED(CONFIG_MODULES) ? "fakemod" : "kernel";
}

/* Is a region of this firmware name in the table, and not marked invalid? */
static bool fake_dumps(struct fake_backend *fb, const char *name)
{
	struct fake_slot *s = fake_find(fb, name);

	return s && !READ_ONCE(s->dropped);
}

static void expect_magic(struct kunit *test, struct fake_backend *fb, bool magic)
{
	struct fake_slot *hdr = fake_find(fb, "KELF_HEADER");
	const struct elf64_hdr *ehdr;

	KUNIT_ASSERT_NOT_NULL(test, hdr);
	ehdr = hdr->virt_addr;
	KUNIT_EXPECT_EQ(test, !memcmp(ehdr->e_ident, ELFMAG, SELFMAG), magic);
}

/*
 * Memory freed with its region registered: debugobjects' free check calls
 * the core inside kfree(), and the entry is invalid for firmware before
 * kfree() returns; the work item then takes the region out of the core.
 */
static void lifetime_kfree_drops_region(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct qcom_minidump *md = test_core(test);
	struct module *owner = fake_module(test);
	struct qcom_minidump_region r = { .name = "freed", .size = 64 };
	struct qcom_minidump_region other = { .name = "kept", .size = 32 };
	void *kept = kunit_kzalloc(test, 32, GFP_KERNEL);
	char line[96];
	void *buf;

	if (!IS_ENABLED(CONFIG_DEBUG_OBJECTS_FREE))
		kunit_skip(test, "CONFIG_DEBUG_OBJECTS_FREE is off: no free check to catch it");

	buf = kzalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, kept);
	r.virt_addr = buf;
	r.phys_addr = virt_to_phys(buf);
	other.virt_addr = kept;
	other.phys_addr = virt_to_phys(kept);
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_region_register_owned(md, &r, owner), 0);
	KUNIT_ASSERT_EQ(test, core_register(test, &other), 0);
	KUNIT_ASSERT_TRUE(test, fake_dumps(fb, "Kfreed"));

	kfree(buf);

	/* Before kfree() returned: invalid for firmware, the header not trusted. */
	KUNIT_EXPECT_EQ(test, atomic_read(&fb->drops), 1);
	KUNIT_EXPECT_FALSE(test, fake_dumps(fb, "Kfreed"));
	fake_check_header(fb, "after kfree");
	snprintf(line, sizeof(line), "region freed of %s: memory freed while registered",
		 fake_module_name());
	KUNIT_EXPECT_TRUE(test, logged_lately(test, line));

	/* The work item: out of the table and the header, which is whole again. */
	qcom_minidump_core_flush_drops(md);
	KUNIT_EXPECT_NULL(test, fake_find(fb, "Kfreed"));
	expect_magic(test, fb, true);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);
	KUNIT_EXPECT_TRUE(test, fake_dumps(fb, "Kkept"));
	KUNIT_EXPECT_EQ(test, core_unregister(test, &r), -ENOENT);
	KUNIT_EXPECT_EQ(test, atomic_read(&fb->stale_headers), 0);

	/* The address is free for a region again; its free is caught again. */
	buf = kzalloc(64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	r.virt_addr = buf;
	r.phys_addr = virt_to_phys(buf);
	KUNIT_ASSERT_EQ(test, core_register(test, &r), 0);
	KUNIT_EXPECT_EQ(test, core_unregister(test, &r), 0);
	kfree(buf);	/* unregistered first: no drop */
	KUNIT_EXPECT_EQ(test, atomic_read(&fb->drops), 1);
	KUNIT_EXPECT_EQ(test, core_unregister(test, &other), 0);
}

/* Pages freed to the page allocator, and a region no backend had yet. */
static void lifetime_free_pages_drops_waiting_region(struct kunit *test)
{
	struct qcom_minidump *md = test_core(test);
	struct qcom_minidump_region r = { .name = "page", .size = PAGE_SIZE };
	struct fake_backend *fb;
	unsigned long page;

	if (!IS_ENABLED(CONFIG_DEBUG_OBJECTS_FREE))
		kunit_skip(test, "CONFIG_DEBUG_OBJECTS_FREE is off: no free check to catch it");

	page = __get_free_page(GFP_KERNEL);
	KUNIT_ASSERT_NE(test, page, 0);
	r.virt_addr = (void *)page;
	r.phys_addr = virt_to_phys(r.virt_addr);
	KUNIT_ASSERT_EQ(test, core_register(test, &r), 0);

	free_page(page);
	qcom_minidump_core_flush_drops(md);

	/* Gone from the core: a backend that comes does not get it. */
	fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	KUNIT_EXPECT_NULL(test, fake_find(fb, "Kpage"));
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), CORE_ENTRIES);
	KUNIT_EXPECT_EQ(test, atomic_read(&fb->drops), 0);
	KUNIT_EXPECT_EQ(test, core_unregister(test, &r), -ENOENT);
}

/* A module unloads with a region registered: the region goes, with a warning. */
static void lifetime_module_going_drops_its_regions(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct qcom_minidump *md = test_core(test);
	struct module *owner = fake_module(test);
	struct module *bystander = fake_module(test);
	struct test_region *mine = test_region_alloc(test, "owned", 64);
	struct test_region *theirs = test_region_alloc(test, "other", 64);
	struct test_region *builtin = test_region_alloc(test, "builtin", 64);
	char line[96];

	KUNIT_ASSERT_EQ(test, qcom_minidump_core_region_register_owned(md, &mine->region, owner),
			0);
	KUNIT_ASSERT_EQ(test, qcom_minidump_core_region_register_owned(md, &theirs->region,
								       bystander), 0);
	theirs->registered = true;
	KUNIT_ASSERT_EQ(test, test_region_register(builtin), 0);

	qcom_minidump_core_module_going(md, owner);

	KUNIT_EXPECT_NULL(test, fake_find(fb, "Kowned"));
	KUNIT_EXPECT_TRUE(test, fake_dumps(fb, "Kother"));
	KUNIT_EXPECT_TRUE(test, fake_dumps(fb, "Kbuiltin"));
	snprintf(line, sizeof(line),
		 "region owned of %s: module unloaded without unregistering it",
		 fake_module_name());
	KUNIT_EXPECT_TRUE(test, logged_lately(test, line));
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);
	KUNIT_EXPECT_EQ(test, core_unregister(test, &mine->region), -ENOENT);

	/* A module with nothing registered changes nothing; nor does NULL. */
	qcom_minidump_core_module_going(md, owner);
	qcom_minidump_core_module_going(md, NULL);
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), CORE_ENTRIES + 2);
}

/* Memory goes offline: the regions with a byte in it go, the others stay. */
static void lifetime_memory_offline_drops_regions_in_range(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct qcom_minidump *md = test_core(test);
	struct test_region *a = test_region_alloc(test, "lastword", 64);
	struct test_region *b = test_region_alloc(test, "inpage", 64);
	const char *offline_line = "region lastword of the kernel: its memory goes offline";
	phys_addr_t pa, pb;

	KUNIT_ASSERT_EQ(test, test_region_register(a), 0);
	KUNIT_ASSERT_EQ(test, test_region_register(b), 0);
	pa = a->region.phys_addr;
	pb = b->region.phys_addr;

	/* Just before and just after a: nothing goes. */
	qcom_minidump_core_memory_offline(md, pa - 16, 16);
	qcom_minidump_core_memory_offline(md, pa + 64, 16);
	qcom_minidump_core_memory_offline(md, pa, 0);
	KUNIT_EXPECT_TRUE(test, fake_dumps(fb, "Klastword"));

	/* Its last word is in the range: it goes. */
	qcom_minidump_core_memory_offline(md, pa + 60, 4);
	KUNIT_EXPECT_NULL(test, fake_find(fb, "Klastword"));
	KUNIT_EXPECT_TRUE(test, logged_lately(test, offline_line));
	KUNIT_EXPECT_EQ(test, core_unregister(test, &a->region), -ENOENT);
	a->registered = false;

	/* As the notifier sees it: the whole page of b, by pfn. */
	KUNIT_EXPECT_TRUE(test, fake_dumps(fb, "Kinpage"));
	qcom_minidump_core_memory_offline(md, PFN_PHYS(PHYS_PFN(pb)), PFN_PHYS(1));
	KUNIT_EXPECT_NULL(test, fake_find(fb, "Kinpage"));
	b->registered = false;
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), CORE_ENTRIES);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 1);
}

static struct kunit_case qcom_minidump_test_cases[] = {
	KUNIT_CASE(backend_register_publishes_core_regions),
	KUNIT_CASE(backend_second_waits_then_takes_over),
	KUNIT_CASE(backend_takeover_skips_failing),
	KUNIT_CASE(backend_missing_op_is_invalid),
	KUNIT_CASE(backend_bad_fields_are_invalid),
	KUNIT_CASE(backend_wrong_unregister_changes_nothing),
	KUNIT_CASE(backend_unregister_retracts_everything),
	KUNIT_CASE(region_before_backend_handed_over),
	KUNIT_CASE(region_unregister_without_backend),
	KUNIT_CASE(backend_change_keeps_regions),
	KUNIT_CASE(backend_smaller_table_keeps_the_rest),
	KUNIT_CASE(backend_table_init_failure),
	KUNIT_CASE(backend_register_error_changes_nothing),
	KUNIT_CASE(devm_region_released_with_device),
	KUNIT_CASE_PARAM(region_bad_input_rejected, bad_input_gen_params),
	KUNIT_CASE(region_null_rejected),
	KUNIT_CASE(region_stack_rejected),
	KUNIT_CASE(region_init_memory_rejected),
	KUNIT_CASE(region_kernel_image_accepted),
	KUNIT_CASE(region_name_of_the_limit_fits),
	KUNIT_CASE(region_same_start_rejected),
	KUNIT_CASE(region_same_name_allowed),
	KUNIT_CASE(region_unregister_unknown),
	KUNIT_CASE(region_core_own_not_unregistrable),
	KUNIT_CASE(region_table_full),
	KUNIT_CASE(region_register_order),
	KUNIT_CASE(elf_describes_regions),
	KUNIT_CASE(elf_note_is_vmcoreinfo),
	KUNIT_CASE(elf_fits_largest_table),
	KUNIT_CASE(elf_fits_largest_table_without_note),
	KUNIT_CASE(elf_unaligned_region),
	KUNIT_CASE(elf_zero_tail),
	KUNIT_CASE(elf_names_packed_across_removals),
	KUNIT_CASE(elf_random_sequences),
	KUNIT_CASE(crash_entries_kept_from_clients),
	KUNIT_CASE(crash_notes_join_pt_note),
	KUNIT_CASE(crash_reserve_checked),
	KUNIT_CASE(crash_region_bad_input),
	KUNIT_CASE(crash_without_backend),
	KUNIT_CASE(crash_during_change_touches_nothing),
	KUNIT_CASE(crash_region_same_start_refused),
	KUNIT_CASE(crash_then_backend_unregister),
	KUNIT_CASE(crash_copy_put_where_it_belongs),
	KUNIT_CASE(crash_small_table_keeps_four),
	KUNIT_CASE(crash_backend_without_op),
	KUNIT_CASE(lifetime_kfree_drops_region),
	KUNIT_CASE(lifetime_free_pages_drops_waiting_region),
	KUNIT_CASE(lifetime_module_going_drops_its_regions),
	KUNIT_CASE(lifetime_memory_offline_drops_regions_in_range),
	KUNIT_CASE_SLOW(stress_concurrent),
	KUNIT_CASE_SLOW(bench_register_unregister),
	{}
};

static struct kunit_suite qcom_minidump_test_suite = {
	.name = "qcom_minidump",
	.init = qcom_minidump_test_init,
	.test_cases = qcom_minidump_test_cases,
};

kunit_test_suite(qcom_minidump_test_suite);

MODULE_DESCRIPTION("KUnit tests for the Qualcomm minidump core");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QCOM_MINIDUMP);
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

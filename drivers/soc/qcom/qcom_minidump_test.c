// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the Qualcomm minidump core.
 *
 * A fake backend records every op and keeps a table like firmware's. The
 * ELF header is read back from that table by a reader written here, which
 * knows the ELF format but not how the core lays the header out.
 */

#include <kunit/test.h>
#include <linux/elf.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
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

enum fake_op { FAKE_INIT, FAKE_EXIT, FAKE_REG, FAKE_UNREG };

struct fake_call {
	enum fake_op op;
	char name[QCOM_MINIDUMP_ENTRY_NAME_SIZE];
};

struct fake_slot {
	bool used;
	char name[QCOM_MINIDUMP_ENTRY_NAME_SIZE];
	void *virt_addr;
	phys_addr_t phys_addr;
	size_t size;
};

struct fake_backend {
	struct qcom_minidump_backend backend;
	struct kunit *test;
	bool registered;
	int init_ret;
	int register_ret;
	unsigned int nr_calls;
	struct fake_call calls[FAKE_MAX_CALLS];
	/* Last, so that KASAN catches a write past the table. */
	struct fake_slot slots[];
};

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

static int fake_region_register(struct qcom_minidump_backend *backend,
				struct qcom_minidump_entry *entry)
{
	struct fake_backend *fb = to_fake(backend);
	unsigned int i;

	fake_record(fb, FAKE_REG, entry->name);
	if (fb->register_ret)
		return fb->register_ret;
	KUNIT_EXPECT_LE(fb->test, strlen(entry->name), backend->max_name_len);
	for (i = 0; i < backend->max_regions; i++) {
		struct fake_slot *s = &fb->slots[i];

		if (s->used)
			continue;
		s->used = true;
		strscpy(s->name, entry->name);
		s->virt_addr = entry->virt_addr;
		s->phys_addr = entry->phys_addr;
		s->size = entry->size;
		entry->slot = i;
		return 0;
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
}

static const struct qcom_minidump_ops fake_ops = {
	.table_init = fake_table_init,
	.table_exit = fake_table_exit,
	.region_register = fake_region_register,
	.region_unregister = fake_region_unregister,
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
	fb->backend.name = "fake";
	fb->backend.ops = &fake_ops;
	fb->backend.max_regions = max_regions;
	fb->backend.max_name_len = QCOM_MINIDUMP_ENTRY_NAME_SIZE - 1;
	return fb;
}

static int fake_backend_register(struct kunit *test, struct fake_backend *fb)
{
	int ret = qcom_minidump_backend_register(&fb->backend);

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

static struct fake_slot *fake_find(struct fake_backend *fb, const char *name)
{
	unsigned int i;

	for (i = 0; i < fb->backend.max_regions; i++)
		if (fb->slots[i].used && !strcmp(fb->slots[i].name, name))
			return &fb->slots[i];
	return NULL;
}

/* Client regions, unregistered at the end of the test if still registered. */
struct test_region {
	struct qcom_minidump_region region;
	bool registered;
};

static void test_region_release(void *data)
{
	struct test_region *tr = data;

	if (tr->registered)
		qcom_minidump_region_unregister(&tr->region);
	tr->registered = false;
}

static struct test_region *test_region_alloc(struct kunit *test, const char *name, size_t size)
{
	struct test_region *tr = kunit_kzalloc(test, sizeof(*tr), GFP_KERNEL);
	void *buf = kunit_kzalloc(test, size ?: 4, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tr);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	strscpy(tr->region.name, name);
	tr->region.virt_addr = buf;
	tr->region.phys_addr = virt_to_phys(buf);
	tr->region.size = size;
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, test_region_release, tr));
	return tr;
}

static int test_region_register(struct test_region *tr)
{
	int ret = qcom_minidump_region_register(&tr->region);

	if (!ret)
		tr->registered = true;
	return ret;
}

static int test_region_unregister(struct test_region *tr)
{
	int ret = qcom_minidump_region_unregister(&tr->region);

	if (!ret)
		tr->registered = false;
	return ret;
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
	unsigned int max = fb->backend.max_regions;
	bool *matched;
	const struct elf64_shdr *shdr, *strsec;
	const struct elf64_phdr *phdr;
	const struct elf64_hdr *ehdr;
	const char *strtab;
	unsigned int i, j, live = 0;
	u64 offset;

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
	KUNIT_ASSERT_LE(test, ehdr->e_phoff + (u64)ehdr->e_phnum * sizeof(*phdr), hdr->size);
	KUNIT_ASSERT_LE(test, ehdr->e_shoff + (u64)ehdr->e_shnum * sizeof(*shdr), hdr->size);
	KUNIT_ASSERT_GE(test, ehdr->e_phnum, 1);
	KUNIT_ASSERT_LT(test, ehdr->e_shstrndx, ehdr->e_shnum);

	phdr = hdr->virt_addr + ehdr->e_phoff;
	shdr = hdr->virt_addr + ehdr->e_shoff;
	strsec = &shdr[ehdr->e_shstrndx];
	KUNIT_ASSERT_EQ(test, strsec->sh_type, SHT_STRTAB);
	KUNIT_ASSERT_LE(test, strsec->sh_offset + strsec->sh_size, hdr->size);
	strtab = hdr->virt_addr + strsec->sh_offset;
	KUNIT_ASSERT_EQ(test, strtab[strsec->sh_size - 1], '\0');

	/* The note comes first, right after the header. */
	KUNIT_EXPECT_EQ(test, phdr[0].p_type, PT_NOTE);
	KUNIT_EXPECT_EQ(test, phdr[0].p_offset, hdr->size);
	offset = hdr->size;
	if (note) {
		const struct elf_note *n = note->virt_addr;

		KUNIT_EXPECT_EQ(test, phdr[0].p_paddr, paddr_vmcoreinfo_note());
		KUNIT_EXPECT_EQ(test, phdr[0].p_filesz, sizeof(*n) + ALIGN(n->n_namesz, 4) +
				ALIGN(n->n_descsz, 4));
		KUNIT_EXPECT_LE(test, phdr[0].p_filesz, note->size);
		offset += note->size;
	}

	matched = kunit_kcalloc(test, max, sizeof(*matched), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, matched);

	for (i = 1; i < ehdr->e_phnum; i++) {
		const struct elf64_phdr *p = &phdr[i];
		const char *name = NULL;
		bool found = false;

		KUNIT_EXPECT_EQ_MSG(test, p->p_type, PT_LOAD, "phdr %u", i);
		KUNIT_EXPECT_EQ_MSG(test, p->p_offset, offset, "phdr %u not contiguous", i);
		KUNIT_EXPECT_EQ(test, p->p_filesz, p->p_memsz);
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

static void backend_second_is_busy(struct kunit *test)
{
	struct fake_backend *first = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_backend *second = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	unsigned int calls = first->nr_calls;

	KUNIT_EXPECT_EQ(test, fake_backend_register(test, second), -EBUSY);
	KUNIT_EXPECT_EQ(test, second->nr_calls, 0);
	KUNIT_EXPECT_EQ(test, first->nr_calls, calls);
	KUNIT_EXPECT_EQ(test, fake_count_used(first), CORE_ENTRIES);
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

	KUNIT_EXPECT_EQ(test, qcom_minidump_backend_register(NULL), -EINVAL);
	fb->backend.name = NULL;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, fb), -EINVAL);
	fb->backend.name = "fake";
	fb->backend.max_regions = CORE_ENTRIES;
	KUNIT_EXPECT_EQ(test, fake_backend_register(test, fb), -EINVAL);
	fb->backend.max_regions = FAKE_DEFAULT_MAX;
	fb->backend.max_name_len = strlen("KELF_HEADER") - 1;
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
}

static void backend_none_defers(struct kunit *test)
{
	struct test_region *tr = test_region_alloc(test, "early", 16);

	KUNIT_EXPECT_EQ(test, test_region_register(tr), -EPROBE_DEFER);
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

/* ---- what a client may pass ---- */

struct bad_input {
	const char *desc;
	void (*spoil)(struct kunit *test, struct qcom_minidump_region *r);
	int err;
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

static void spoil_reserved(struct kunit *test, struct qcom_minidump_region *r)
{
	strscpy(r->name, "ELF_EXTRA");
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
	{ "unterminated name", spoil_unterminated, -EOVERFLOW },
	{ "empty name", spoil_empty, -ENODATA },
	{ "slash in name", spoil_slash, -EILSEQ },
	{ "control character in name", spoil_control, -EILSEQ },
	{ "space in name", spoil_space, -EILSEQ },
	{ "name reserved for the header", spoil_reserved, -EPERM },
	{ "size 0", spoil_size_zero, -ERANGE },
	{ "size not a multiple of 4", spoil_size_odd, -EDOM },
	{ "region wraps around", spoil_wraps, -ERANGE },
	{ "NULL virtual address", spoil_null_virt, -EFAULT },
	{ "wrong physical address", spoil_phys, -EADDRNOTAVAIL },
	{ "vmalloc memory", spoil_vmalloc, -EOPNOTSUPP },
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
	snapshot_expect_same(test, fb, &snap);
	KUNIT_EXPECT_EQ(test, fb->nr_calls, snap.nr_calls);
}

static void region_null_rejected(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	unsigned int calls = fb->nr_calls;

	KUNIT_EXPECT_EQ(test, qcom_minidump_region_register(NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, qcom_minidump_region_unregister(NULL), -EINVAL);
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

	KUNIT_EXPECT_EQ(test, qcom_minidump_region_register(&r), -EOPNOTSUPP);
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
	KUNIT_ASSERT_EQ(test, qcom_minidump_region_register(&r), 0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(fb, "Kimage"));
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);
	KUNIT_EXPECT_EQ(test, qcom_minidump_region_unregister(&r), 0);
}

static void region_name_too_long_for_backend(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_alloc(test, FAKE_DEFAULT_MAX);
	struct test_region *fits = test_region_alloc(test, "abcdefghij", 16);
	struct test_region *longer = test_region_alloc(test, "abcdefghijk", 16);

	/* Like SMEM: 11 characters, the 'K' included. */
	fb->backend.max_name_len = QCOM_MINIDUMP_NAME_MAX;
	KUNIT_ASSERT_EQ(test, fake_backend_register(test, fb), 0);
	KUNIT_EXPECT_EQ(test, test_region_register(longer), -ENAMETOOLONG);
	KUNIT_EXPECT_EQ(test, test_region_register(fits), 0);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(fb, "Kabcdefghij"));
}

static void region_duplicate_rejected(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *tr = test_region_alloc(test, "twice", 64);
	struct qcom_minidump_region again;
	struct snapshot snap;

	KUNIT_ASSERT_EQ(test, test_region_register(tr), 0);
	snapshot_take(test, fb, &snap);
	again = tr->region;
	KUNIT_EXPECT_EQ(test, qcom_minidump_region_register(&again), -EEXIST);
	/* Same name and address with another size is the same region too. */
	again.size = 32;
	KUNIT_EXPECT_EQ(test, qcom_minidump_region_register(&again), -EEXIST);
	snapshot_expect_same(test, fb, &snap);
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
	KUNIT_EXPECT_EQ(test, qcom_minidump_region_unregister(&other), -ENOENT);
	other = tr->region;
	strscpy(other.name, "unknown");
	KUNIT_EXPECT_EQ(test, qcom_minidump_region_unregister(&other), -ENOENT);
	other = tr->region;
	other.phys_addr += 4;
	KUNIT_EXPECT_EQ(test, qcom_minidump_region_unregister(&other), -ENOENT);
	snapshot_expect_same(test, fb, &snap);
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr), 0);
	KUNIT_EXPECT_EQ(test, test_region_unregister(tr), -ENOENT);
}

static void region_banner_not_unregistrable(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct fake_slot *banner = fake_find(fb, "KBANNER");
	struct qcom_minidump_region r = { .name = "BANNER" };

	KUNIT_ASSERT_NOT_NULL(test, banner);
	r.virt_addr = banner->virt_addr;
	r.phys_addr = banner->phys_addr;
	r.size = banner->size;
	KUNIT_EXPECT_EQ(test, qcom_minidump_region_unregister(&r), -ENOENT);
	KUNIT_EXPECT_NOT_NULL(test, fake_find(fb, "KBANNER"));
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
}

/* ---- the ELF header ---- */

static void elf_describes_regions(struct kunit *test)
{
	struct fake_backend *fb = fake_backend_setup(test, FAKE_DEFAULT_MAX);
	struct test_region *a = test_region_alloc(test, "first", 256);
	struct test_region *b = test_region_alloc(test, "second", 4);
	struct fake_slot *hdr, *banner;
	const struct elf64_hdr *ehdr;
	const struct elf64_phdr *phdr;

	KUNIT_ASSERT_EQ(test, test_region_register(a), 0);
	KUNIT_ASSERT_EQ(test, test_region_register(b), 0);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 3);

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
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), 2);
	KUNIT_EXPECT_EQ(test, phdr[2].p_paddr, b->region.phys_addr);
	KUNIT_EXPECT_EQ(test, ehdr->e_phnum, 3);
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
	KUNIT_EXPECT_EQ(test, note->phys_addr, paddr_vmcoreinfo_note());
	KUNIT_EXPECT_EQ(test, note->size, VMCOREINFO_NOTE_SIZE);

	ehdr = hdr->virt_addr;
	phdr = hdr->virt_addr + ehdr->e_phoff;
	KUNIT_EXPECT_EQ(test, phdr[0].p_type, PT_NOTE);
	KUNIT_EXPECT_GT(test, phdr[0].p_filesz, sizeof(*n));

	n = note->virt_addr;
	KUNIT_EXPECT_EQ(test, n->n_namesz, sizeof(VMCOREINFO_NOTE_NAME));
	KUNIT_EXPECT_STREQ(test, (const char *)(n + 1), VMCOREINFO_NOTE_NAME);
	desc = (const char *)(n + 1) + ALIGN(n->n_namesz, 4);
	KUNIT_EXPECT_NOT_NULL(test, strnstr(desc, "OSRELEASE=", n->n_descsz));
	KUNIT_EXPECT_NOT_NULL(test, strnstr(desc, "PAGESIZE=", n->n_descsz));
}

static void elf_fits_largest_table(struct kunit *test)
{
	const unsigned int max = 40;
	struct fake_backend *fb = fake_backend_setup(test, max);
	struct fake_slot *hdr;
	unsigned int i;

	/* Longest names everywhere: the string table must still fit. */
	for (i = 0; i < max - CORE_ENTRIES; i++) {
		char name[QCOM_MINIDUMP_NAME_MAX + 1];

		snprintf(name, sizeof(name), "full%07u", i);
		KUNIT_ASSERT_EQ(test, test_region_register(test_region_alloc(test, name, 8)), 0);
	}
	KUNIT_EXPECT_EQ(test, fake_count_used(fb), max);
	KUNIT_EXPECT_EQ(test, elf_check(test, fb), max - 2);
	hdr = fake_find(fb, "KELF_HEADER");
	KUNIT_EXPECT_EQ(test, hdr->size % 4, 0);
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
				KUNIT_ASSERT_EQ(test, qcom_minidump_region_register(&tr->region),
						-EEXIST);
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
}

static struct kunit_case qcom_minidump_test_cases[] = {
	KUNIT_CASE(backend_register_publishes_core_regions),
	KUNIT_CASE(backend_second_is_busy),
	KUNIT_CASE(backend_missing_op_is_invalid),
	KUNIT_CASE(backend_bad_fields_are_invalid),
	KUNIT_CASE(backend_wrong_unregister_changes_nothing),
	KUNIT_CASE(backend_unregister_retracts_everything),
	KUNIT_CASE(backend_none_defers),
	KUNIT_CASE(backend_change_keeps_regions),
	KUNIT_CASE(backend_table_init_failure),
	KUNIT_CASE(backend_register_error_changes_nothing),
	KUNIT_CASE_PARAM(region_bad_input_rejected, bad_input_gen_params),
	KUNIT_CASE(region_null_rejected),
	KUNIT_CASE(region_stack_rejected),
	KUNIT_CASE(region_kernel_image_accepted),
	KUNIT_CASE(region_name_too_long_for_backend),
	KUNIT_CASE(region_duplicate_rejected),
	KUNIT_CASE(region_same_name_allowed),
	KUNIT_CASE(region_unregister_unknown),
	KUNIT_CASE(region_banner_not_unregistrable),
	KUNIT_CASE(region_table_full),
	KUNIT_CASE(region_register_order),
	KUNIT_CASE(elf_describes_regions),
	KUNIT_CASE(elf_note_is_vmcoreinfo),
	KUNIT_CASE(elf_fits_largest_table),
	KUNIT_CASE(elf_random_sequences),
	{}
};

static struct kunit_suite qcom_minidump_test_suite = {
	.name = "qcom_minidump",
	.test_cases = qcom_minidump_test_cases,
};

kunit_test_suite(qcom_minidump_test_suite);

MODULE_DESCRIPTION("KUnit tests for the Qualcomm minidump core");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(QCOM_MINIDUMP);

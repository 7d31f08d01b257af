// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm APSS minidump core.
 *
 * Client drivers register regions of kernel memory; the one registered
 * backend makes them known to boot firmware, which saves them after a
 * crash. The core keeps an ELF header that describes every region and
 * registers it as the first region, so that the saved regions, put one
 * after the other, form an ELF core file.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cleanup.h>
#include <linux/ctype.h>
#include <linux/elf.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmcore_info.h>
#include <soc/qcom/qcom_minidump.h>

#include "qcom_minidump_internal.h"

/*
 * Names of the core's own regions, as firmware sees them. Collectors find
 * the header by the "KELF" at the start of its name, so no client name may
 * start with "ELF".
 */
#define MD_ELF_NAME		"KELF_HEADER"
#define MD_NOTE_NAME		"KVMCOREINFO"
#define MD_BANNER_NAME		"KBANNER"
#define MD_RESERVED_PREFIX	"ELF"
#define MD_SHSTRTAB_NAME	".shstrtab"

/* Section headers that come before those of the regions. */
enum {
	MD_SHDR_NULL,
	MD_SHDR_SHSTRTAB,
	MD_SHDR_NOTE,
	MD_SHDR_FIRST_LOAD,
};

/**
 * struct qcom_minidump - state of the core
 * @lock:	protects every other field, and the ELF header's contents;
 *		the backend's ops are called with it held
 * @backend:	the registered backend, or NULL
 * @regions:	regions to dump, in the order of their program headers:
 *		linux_banner, then the clients' in the order they came;
 *		kept while no backend is registered
 * @elf:	the ELF header region, while a backend is registered
 * @note:	the vmcoreinfo note region, when the kernel has one
 * @banner:	the linux_banner region, the first of @regions
 */
struct qcom_minidump {
	struct mutex lock;	/* guards all of this struct */
	struct qcom_minidump_backend *backend;
	struct list_head regions;
	struct qcom_minidump_entry elf;
	struct qcom_minidump_entry note;
	struct qcom_minidump_entry banner;
};

static struct qcom_minidump md = {
	.lock = __MUTEX_INITIALIZER(md.lock),
	.regions = LIST_HEAD_INIT(md.regions),
};

/* Entries the backend's table holds: the header, the note, the regions. */
static unsigned int qcom_minidump_nr_entries(void)
{
	return 1 + !!md.note.size + list_count_nodes(&md.regions);
}

/*
 * Where the parts of the ELF header are, for a table of @max entries:
 * program headers for the note and for at most @max - 2 regions, section
 * headers for the same plus the null and string table sections, then the
 * string table.
 */
struct qcom_minidump_elf_layout {
	size_t phoff, shoff, stroff, size;
	unsigned int max_phdrs, max_shdrs;
};

static void qcom_minidump_elf_layout(unsigned int max, struct qcom_minidump_elf_layout *l)
{
	l->max_phdrs = max - 1;
	l->max_shdrs = max + 1;
	l->phoff = sizeof(struct elf64_hdr);
	l->shoff = l->phoff + l->max_phdrs * sizeof(struct elf64_phdr);
	l->stroff = l->shoff + l->max_shdrs * sizeof(struct elf64_shdr);
	l->size = l->stroff + 1 + sizeof(MD_SHSTRTAB_NAME) +
		  (max - 1) * QCOM_MINIDUMP_ENTRY_NAME_SIZE;
	/* Firmware dumps whole 32-bit words; keep the next file offset aligned. */
	l->size = ALIGN(l->size, 8);
}

/* Length of the notes in the vmcoreinfo buffer, as they stand now. */
static size_t qcom_minidump_note_len(void)
{
	const struct elf_note *n = md.note.virt_addr;
	size_t len;

	if (!n || !n->n_namesz)
		return 0;
	len = sizeof(*n) + ALIGN(n->n_namesz, 4) + ALIGN(n->n_descsz, 4);
	return min(len, md.note.size);
}

static u32 qcom_minidump_add_name(char *strtab, u32 *used, const char *name)
{
	u32 off = *used;

	strscpy(strtab + off, name, QCOM_MINIDUMP_ENTRY_NAME_SIZE);
	*used += strlen(name) + 1;
	return off;
}

/*
 * Rewrite the ELF header from md.regions. Firmware may dump it at any
 * moment, and a crash can stop us between any two stores, so the first
 * byte of the ELF magic is cleared while the header is rewritten and put
 * back last: a collector that finds no magic knows the header is stale and
 * can rebuild one from the firmware table. Callers publish a region to
 * firmware before the header describes it, and retract it only after, so
 * a header with its magic describes nothing that is not dumped.
 */
static void qcom_minidump_elf_update(void)
{
	struct qcom_minidump_elf_layout l;
	struct qcom_minidump_entry *entry;
	struct elf64_phdr *phdr;
	struct elf64_shdr *shdr;
	struct elf64_hdr *ehdr;
	unsigned int nph = 0;
	u32 str_used = 1;
	size_t note_len;
	char *strtab;
	u64 offset;

	lockdep_assert_held(&md.lock);

	ehdr = md.elf.virt_addr;
	qcom_minidump_elf_layout(md.backend->max_regions, &l);
	phdr = md.elf.virt_addr + l.phoff;
	shdr = md.elf.virt_addr + l.shoff;
	strtab = md.elf.virt_addr + l.stroff;

	WRITE_ONCE(ehdr->e_ident[EI_MAG0], 0);
	wmb();	/* the magic is gone before anything else changes */

	memset(md.elf.virt_addr + EI_MAG1, 0, md.elf.size - EI_MAG1);
	memcpy(ehdr->e_ident + EI_MAG1, ELFMAG + 1, SELFMAG - 1);
	ehdr->e_ident[EI_CLASS] = ELFCLASS64;
	ehdr->e_ident[EI_DATA] = ELF_DATA;
	ehdr->e_ident[EI_VERSION] = EV_CURRENT;
	ehdr->e_ident[EI_OSABI] = ELF_OSABI;
	ehdr->e_type = ET_CORE;
	ehdr->e_machine = ELF_ARCH;
	ehdr->e_version = EV_CURRENT;
	ehdr->e_phoff = l.phoff;
	ehdr->e_shoff = l.shoff;
	ehdr->e_ehsize = sizeof(*ehdr);
	ehdr->e_phentsize = sizeof(*phdr);
	ehdr->e_shentsize = sizeof(*shdr);
	ehdr->e_shstrndx = MD_SHDR_SHSTRTAB;

	/* The dump goes on after the header with the note, then each region. */
	offset = md.elf.size;
	note_len = qcom_minidump_note_len();

	phdr[nph].p_type = PT_NOTE;
	phdr[nph].p_offset = offset;
	phdr[nph].p_paddr = md.note.phys_addr;
	phdr[nph].p_filesz = note_len;
	phdr[nph].p_align = 4;
	nph++;

	shdr[MD_SHDR_SHSTRTAB].sh_type = SHT_STRTAB;
	shdr[MD_SHDR_SHSTRTAB].sh_name = qcom_minidump_add_name(strtab, &str_used,
								MD_SHSTRTAB_NAME);
	shdr[MD_SHDR_SHSTRTAB].sh_offset = l.stroff;
	shdr[MD_SHDR_SHSTRTAB].sh_addralign = 1;

	shdr[MD_SHDR_NOTE].sh_type = SHT_NOTE;
	shdr[MD_SHDR_NOTE].sh_name = qcom_minidump_add_name(strtab, &str_used, MD_NOTE_NAME);
	shdr[MD_SHDR_NOTE].sh_offset = offset;
	shdr[MD_SHDR_NOTE].sh_size = note_len;
	shdr[MD_SHDR_NOTE].sh_addralign = 4;
	offset += md.note.size;

	list_for_each_entry(entry, &md.regions, node) {
		struct elf64_shdr *s = &shdr[MD_SHDR_FIRST_LOAD + nph - 1];

		phdr[nph].p_type = PT_LOAD;
		phdr[nph].p_flags = PF_R | PF_W;
		phdr[nph].p_offset = offset;
		phdr[nph].p_vaddr = (unsigned long)entry->virt_addr;
		phdr[nph].p_paddr = entry->phys_addr;
		phdr[nph].p_filesz = entry->size;
		phdr[nph].p_memsz = entry->size;
		phdr[nph].p_align = 4;
		nph++;

		s->sh_type = SHT_PROGBITS;
		s->sh_flags = SHF_ALLOC | SHF_WRITE;
		s->sh_name = qcom_minidump_add_name(strtab, &str_used, entry->name);
		s->sh_addr = (unsigned long)entry->virt_addr;
		s->sh_offset = offset;
		s->sh_size = entry->size;
		s->sh_addralign = 4;

		offset += entry->size;
	}

	shdr[MD_SHDR_SHSTRTAB].sh_size = str_used;
	ehdr->e_phnum = nph;
	ehdr->e_shnum = MD_SHDR_FIRST_LOAD + nph - 1;

	wmb();	/* everything above is in memory before the magic says so */
	WRITE_ONCE(ehdr->e_ident[EI_MAG0], ELFMAG0);
}

/* The name firmware sees: 'K' and the client's name. */
static void qcom_minidump_fw_name(char fw_name[QCOM_MINIDUMP_ENTRY_NAME_SIZE], const char *name)
{
	fw_name[0] = 'K';
	strscpy(fw_name + 1, name, QCOM_MINIDUMP_ENTRY_NAME_SIZE - 1);
}

static void qcom_minidump_entry_init(struct qcom_minidump_entry *entry, const char *name,
				     void *virt_addr, phys_addr_t phys_addr, size_t size)
{
	INIT_LIST_HEAD(&entry->node);
	qcom_minidump_fw_name(entry->name, name);
	entry->virt_addr = virt_addr;
	entry->phys_addr = phys_addr;
	entry->size = size;
}

static bool qcom_minidump_name_char_ok(char c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.';
}

static int qcom_minidump_check_name(const char *name)
{
	size_t len = strnlen(name, QCOM_MINIDUMP_NAME_MAX + 1);
	size_t i;

	if (len > QCOM_MINIDUMP_NAME_MAX) {
		pr_err("region name %*pE is not NUL-terminated within %d bytes\n",
		       QCOM_MINIDUMP_NAME_MAX + 1, name, QCOM_MINIDUMP_NAME_MAX + 1);
		return -EOVERFLOW;
	}
	if (!len) {
		pr_err("region name is empty\n");
		return -ENODATA;
	}
	for (i = 0; i < len; i++) {
		if (!qcom_minidump_name_char_ok(name[i])) {
			pr_err("region name %*pE has a character outside [A-Za-z0-9_.-]\n",
			       (int)len, name);
			return -EILSEQ;
		}
	}
	if (strstarts(name, MD_RESERVED_PREFIX)) {
		pr_err("region %s: names starting with %s are kept for the ELF header\n",
		       name, MD_RESERVED_PREFIX);
		return -EPERM;
	}
	return 0;
}

/*
 * Firmware reads a region by physical address, after Linux has stopped: the
 * region must be physically contiguous and still hold its data then. The
 * linear map and the kernel image are; vmalloc and module memory are not
 * contiguous, and a stack is reused as soon as its function returns.
 */
static int qcom_minidump_check_memory(const struct qcom_minidump_region *region)
{
	unsigned long start = (unsigned long)region->virt_addr;
	unsigned long last;
	phys_addr_t phys;

	if (!region->virt_addr) {
		pr_err("region %s: virtual address is NULL\n", region->name);
		return -EFAULT;
	}
	if (check_add_overflow(start, region->size - 1, &last)) {
		pr_err("region %s: %zu bytes at %p run past the end of memory\n",
		       region->name, region->size, region->virt_addr);
		return -ERANGE;
	}
	if (object_is_on_stack(region->virt_addr)) {
		pr_err("region %s: stack memory does not outlive its function\n",
		       region->name);
		return -EOPNOTSUPP;
	}

	/* On arm64 the kernel image lies in the vmalloc area: test it first. */
	if (is_kernel(start) && is_kernel(last)) {
		phys = __pa_symbol(start);
	} else if (is_vmalloc_or_module_addr(region->virt_addr)) {
		pr_err("region %s: vmalloc and module memory is not physically contiguous\n",
		       region->name);
		return -EOPNOTSUPP;
	} else if (virt_addr_valid(region->virt_addr) && virt_addr_valid((void *)last)) {
		phys = virt_to_phys(region->virt_addr);
	} else {
		pr_err("region %s: %p is neither in the linear map nor in the kernel image\n",
		       region->name, region->virt_addr);
		return -EOPNOTSUPP;
	}

	if (phys != region->phys_addr) {
		pr_err("region %s: physical address %pa is not that of %p (%pa)\n",
		       region->name, &region->phys_addr, region->virt_addr, &phys);
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/* The checks that need no backend and no lock. */
static int qcom_minidump_check_region(const struct qcom_minidump_region *region)
{
	int ret;

	if (!region) {
		pr_err("region is NULL\n");
		return -EINVAL;
	}
	ret = qcom_minidump_check_name(region->name);
	if (ret)
		return ret;
	if (!region->size) {
		pr_err("region %s: size is 0\n", region->name);
		return -ERANGE;
	}
	if (!IS_ALIGNED(region->size, 4)) {
		pr_err("region %s: size %zu is not a multiple of 4\n",
		       region->name, region->size);
		return -EDOM;
	}
	return qcom_minidump_check_memory(region);
}

static struct qcom_minidump_entry *qcom_minidump_find(const char *name, phys_addr_t phys_addr)
{
	struct qcom_minidump_entry *entry;

	list_for_each_entry(entry, &md.regions, node)
		if (entry->phys_addr == phys_addr && !strcmp(entry->name, name))
			return entry;
	return NULL;
}

/* Hand @entry to the backend, after the checks that depend on it. */
static int qcom_minidump_publish(struct qcom_minidump_entry *entry)
{
	struct qcom_minidump_backend *backend = md.backend;
	int ret;

	lockdep_assert_held(&md.lock);

	if (strlen(entry->name) > backend->max_name_len) {
		pr_err("region %s: name longer than the %u characters %s stores (with the leading K)\n",
		       entry->name + 1, backend->max_name_len, backend->name);
		return -ENAMETOOLONG;
	}
	if (qcom_minidump_nr_entries() >= backend->max_regions) {
		pr_err("region %s: the %s table is full (%u entries)\n",
		       entry->name + 1, backend->name, backend->max_regions);
		return -ENOSPC;
	}
	ret = backend->ops->region_register(backend, entry);
	if (ret)
		pr_err("region %s: %s refused it: %pe\n", entry->name + 1, backend->name,
		       ERR_PTR(ret));
	return ret;
}

/* Publish @entry and describe it in the ELF header, in that order. */
static int qcom_minidump_add(struct qcom_minidump_entry *entry)
{
	int ret;

	lockdep_assert_held(&md.lock);

	ret = qcom_minidump_publish(entry);
	if (ret)
		return ret;
	list_add_tail(&entry->node, &md.regions);
	qcom_minidump_elf_update();
	return 0;
}

/**
 * qcom_minidump_region_register() - ask firmware to dump a region after a crash
 * @region: the region; the core keeps a copy, so it need not stay around
 *
 * The region is checked, given to the backend, and added to the ELF header.
 * Regions may share a name; the same name at the same physical address is
 * one region and is registered once. On error nothing changes and one line
 * in the kernel log says why.
 *
 * Context: Process context; takes a mutex and may sleep.
 * Return: 0 on success, or
 * * %-EINVAL: @region is NULL;
 * * %-EOVERFLOW: the name is not NUL-terminated within its field;
 * * %-ENODATA: the name is empty;
 * * %-EILSEQ: the name has a character outside [A-Za-z0-9_.-];
 * * %-EPERM: the name starts with "ELF", which the ELF header uses;
 * * %-ENAMETOOLONG: the name, with the core's leading 'K', is longer than
 *   the backend stores;
 * * %-ERANGE: the size is 0, or the region wraps around the address space;
 * * %-EDOM: the size is not a multiple of 4;
 * * %-EFAULT: the virtual address is NULL;
 * * %-EOPNOTSUPP: the memory cannot be dumped by physical address (stack,
 *   vmalloc or module memory, or outside the linear map and kernel image);
 * * %-EADDRNOTAVAIL: the physical address is not that of the virtual one;
 * * %-EEXIST: the region is registered already;
 * * %-ENOSPC: the backend's table is full;
 * * %-EPROBE_DEFER: no backend is registered yet;
 * * %-ENOMEM: out of memory;
 * * another negative errno from the backend.
 */
int qcom_minidump_region_register(const struct qcom_minidump_region *region)
{
	struct qcom_minidump_entry *entry;
	int ret;

	ret = qcom_minidump_check_region(region);
	if (ret)
		return ret;

	entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return -ENOMEM;
	qcom_minidump_entry_init(entry, region->name, region->virt_addr, region->phys_addr,
				 region->size);

	mutex_lock(&md.lock);
	if (!md.backend) {
		/*
		 * Normal while booting: the backend probes after SMEM. The
		 * driver core reports a probe that never stops deferring.
		 */
		pr_debug("region %s: no backend yet\n", region->name);
		ret = -EPROBE_DEFER;
	} else if (qcom_minidump_find(entry->name, entry->phys_addr)) {
		pr_err("region %s at %pa is registered already\n", region->name,
		       &region->phys_addr);
		ret = -EEXIST;
	} else {
		ret = qcom_minidump_add(entry);
	}
	mutex_unlock(&md.lock);

	if (ret)
		kfree(entry);
	return ret;
}
EXPORT_SYMBOL_GPL(qcom_minidump_region_register);

/**
 * qcom_minidump_region_unregister() - stop dumping a region
 * @region: the same description that was registered
 *
 * The region leaves the ELF header first and is then retracted from the
 * backend, so the header never describes a region firmware does not dump.
 * With no backend registered, the region is only forgotten.
 *
 * Context: Process context; takes a mutex and may sleep.
 * Return: 0 on success, %-EINVAL if @region is NULL, or %-ENOENT if no
 * region with this name, physical address and size is registered.
 */
int qcom_minidump_region_unregister(const struct qcom_minidump_region *region)
{
	struct qcom_minidump_entry *entry;
	char name[QCOM_MINIDUMP_ENTRY_NAME_SIZE];

	if (!region) {
		pr_err("region is NULL\n");
		return -EINVAL;
	}
	qcom_minidump_fw_name(name, region->name);

	guard(mutex)(&md.lock);

	entry = qcom_minidump_find(name, region->phys_addr);
	if (!entry || entry->size != region->size || entry == &md.banner) {
		pr_err("region %.*s at %pa (%zu bytes) is not registered\n",
		       QCOM_MINIDUMP_NAME_MAX, region->name, &region->phys_addr, region->size);
		return -ENOENT;
	}

	list_del(&entry->node);
	if (md.backend) {
		qcom_minidump_elf_update();
		md.backend->ops->region_unregister(md.backend, entry);
	}
	kfree(entry);
	return 0;
}
EXPORT_SYMBOL_GPL(qcom_minidump_region_unregister);

static int qcom_minidump_check_backend(const struct qcom_minidump_backend *backend)
{
	const struct qcom_minidump_ops *ops;

	if (!backend || !backend->name) {
		pr_err("backend without a name refused\n");
		return -EINVAL;
	}
	ops = backend->ops;
	if (!ops || !ops->table_init || !ops->table_exit || !ops->region_register ||
	    !ops->region_unregister) {
		pr_err("backend %s refused: it lacks an op\n", backend->name);
		return -EINVAL;
	}
	/* The header, the note, linux_banner and one client at least. */
	if (backend->max_regions < 4) {
		pr_err("backend %s refused: %u entries are too few\n", backend->name,
		       backend->max_regions);
		return -EINVAL;
	}
	if (backend->max_name_len < strlen(MD_ELF_NAME)) {
		pr_err("backend %s refused: names of %u characters cannot hold %s\n",
		       backend->name, backend->max_name_len, MD_ELF_NAME);
		return -EINVAL;
	}
	return 0;
}

/* Undo the header and note registration of __qcom_minidump_backend_register(). */
static void qcom_minidump_core_regions_remove(struct qcom_minidump_backend *backend)
{
	if (md.note.size)
		backend->ops->region_unregister(backend, &md.note);
	backend->ops->region_unregister(backend, &md.elf);
	kfree(md.elf.virt_addr);
	md.elf.virt_addr = NULL;
}

static int qcom_minidump_core_regions_add(struct qcom_minidump_backend *backend)
{
	struct qcom_minidump_elf_layout l;
	void *elf;
	int ret;

	qcom_minidump_elf_layout(backend->max_regions, &l);
	elf = kzalloc(l.size, GFP_KERNEL);
	if (!elf)
		return -ENOMEM;
	qcom_minidump_entry_init(&md.elf, MD_ELF_NAME + 1, elf, virt_to_phys(elf), l.size);
	ret = backend->ops->region_register(backend, &md.elf);
	if (ret) {
		kfree(elf);
		md.elf.virt_addr = NULL;
		return ret;
	}

	/* vmcoreinfo_note is NULL when its allocation failed at boot. */
	qcom_minidump_entry_init(&md.note, MD_NOTE_NAME + 1, vmcoreinfo_note,
				 vmcoreinfo_note ? paddr_vmcoreinfo_note() : 0,
				 vmcoreinfo_note ? VMCOREINFO_NOTE_SIZE : 0);
	if (md.note.size) {
		ret = backend->ops->region_register(backend, &md.note);
		if (ret) {
			backend->ops->region_unregister(backend, &md.elf);
			kfree(elf);
			md.elf.virt_addr = NULL;
			return ret;
		}
	}
	return 0;
}

static int __qcom_minidump_backend_register(struct qcom_minidump_backend *backend)
{
	struct qcom_minidump_entry *entry, *tmp;
	LIST_HEAD(kept);
	int ret;

	lockdep_assert_held(&md.lock);

	ret = backend->ops->table_init(backend);
	if (ret) {
		pr_err("backend %s: table init failed: %pe\n", backend->name, ERR_PTR(ret));
		return ret;
	}
	ret = qcom_minidump_core_regions_add(backend);
	if (ret) {
		pr_err("backend %s: header and note not registered: %pe\n", backend->name,
		       ERR_PTR(ret));
		backend->ops->table_exit(backend);
		return ret;
	}
	md.backend = backend;

	/* linux_banner, and the regions kept from an earlier backend, go to this one. */
	list_splice_init(&md.regions, &kept);
	list_for_each_entry_safe(entry, tmp, &kept, node) {
		list_del_init(&entry->node);
		if (qcom_minidump_add(entry)) {
			pr_err("region %s dropped: %s cannot take it\n", entry->name + 1,
			       backend->name);
			if (entry != &md.banner)
				kfree(entry);
		}
	}
	qcom_minidump_elf_update();
	return 0;
}

/**
 * qcom_minidump_backend_register() - make a backend the one that reaches firmware
 * @backend: the backend, with its ops and limits filled in
 *
 * Calls &qcom_minidump_ops.table_init, registers the ELF header and the
 * vmcoreinfo note, and then every region registered so far.
 *
 * Context: Process context; takes the registry mutex and may sleep.
 * Return: 0 on success, %-EINVAL if @backend lacks a name or an op or its
 * limits are too small, %-EBUSY if a backend is registered already, or the
 * error of the backend's table_init or region_register for the core's own
 * regions.
 */
int qcom_minidump_backend_register(struct qcom_minidump_backend *backend)
{
	int ret;

	ret = qcom_minidump_check_backend(backend);
	if (ret)
		return ret;

	guard(mutex)(&md.lock);

	if (md.backend) {
		pr_err("backend %s refused: %s is registered\n", backend->name,
		       md.backend->name);
		return -EBUSY;
	}
	ret = __qcom_minidump_backend_register(backend);
	if (!ret)
		pr_info("backend %s registered, %u entries\n", backend->name,
			backend->max_regions);
	return ret;
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_backend_register, QCOM_MINIDUMP);

/**
 * qcom_minidump_backend_unregister() - take a backend away
 * @backend: the registered backend
 *
 * Retracts every region from the backend, the ELF header last, and calls
 * &qcom_minidump_ops.table_exit. The core keeps the clients' regions and
 * gives them to the next backend registered. When it returns the core no
 * longer calls @backend. A backend that is not the registered one draws a
 * warning and changes nothing.
 *
 * Context: Process context; takes the registry mutex and may sleep.
 */
void qcom_minidump_backend_unregister(struct qcom_minidump_backend *backend)
{
	struct qcom_minidump_entry *entry;

	guard(mutex)(&md.lock);

	if (!backend || md.backend != backend) {
		pr_warn("backend %s is not the registered one; not unregistered\n",
			backend && backend->name ? backend->name : "(null)");
		return;
	}

	/* Old header: the magic goes first, so nothing stale is trusted. */
	WRITE_ONCE(((u8 *)md.elf.virt_addr)[EI_MAG0], 0);
	wmb();	/* cleared before any region is retracted */
	list_for_each_entry_reverse(entry, &md.regions, node)
		backend->ops->region_unregister(backend, entry);
	qcom_minidump_core_regions_remove(backend);
	backend->ops->table_exit(backend);
	md.backend = NULL;
	pr_info("backend %s unregistered\n", backend->name);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_backend_unregister, QCOM_MINIDUMP);

static int __init qcom_minidump_init(void)
{
	size_t len = ALIGN(strlen(linux_banner) + 1, 4);

	/* linux_banner is in the kernel image and leads the regions. */
	qcom_minidump_entry_init(&md.banner, MD_BANNER_NAME + 1, (void *)linux_banner,
				 __pa_symbol(linux_banner), len);
	mutex_lock(&md.lock);
	list_add(&md.banner.node, &md.regions);
	mutex_unlock(&md.lock);
	return 0;
}
early_initcall(qcom_minidump_init);

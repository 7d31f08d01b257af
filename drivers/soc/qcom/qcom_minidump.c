// SPDX-License-Identifier: GPL-2.0-only
/*
 * Qualcomm APSS minidump core.
 *
 * Client drivers register regions of kernel memory; the one registered
 * backend makes them known to boot firmware, which saves them after a
 * crash. The core keeps an ELF header that describes every region and
 * registers it as the first region, so that the saved regions, put one
 * after the other, form an ELF core file.
 *
 * Regions may come before any backend: the core keeps them and hands
 * them over when a backend registers, so no client ever waits for one.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/ctype.h>
#include <linux/debugobjects.h>
#include <linux/device.h>
#include <linux/elf.h>
#include <linux/export.h>
#include <linux/hashtable.h>
#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/list.h>
#include <linux/memory.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/pfn.h>
#include <linux/pgtable.h>
#include <linux/printk.h>
#include <linux/rbtree.h>
#include <linux/rcupdate.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmcore_info.h>
#include <linux/workqueue.h>
#include <asm/sections.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <soc/qcom/qcom_minidump.h>

#include "qcom_minidump_internal.h"

/*
 * Names of the core's own regions, as firmware sees them. Collectors find
 * the header by the "KELF" at the start of its name, so no client name may
 * start with "ELF"; the others are reserved whole.
 */
#define MD_ELF_NAME		"KELF_HEADER"
#define MD_NOTE_NAME		"KVMCOREINFO"
#define MD_BANNER_NAME		"KBANNER"
#define MD_RESERVED_PREFIX	"ELF"

/*
 * Section names of the downstream layout, which Qualcomm's ramparse reads:
 * it finds the string table by this name, skips "linux_banner", and takes
 * every other name in the table, in table order, for a file md_<name>.BIN
 * to append to the header.
 */
#define MD_SHSTRTAB_NAME	"STR_TBL"
#define MD_BANNER_SECTION	"linux_banner"

static const char * const md_reserved_names[] = {
	MD_ELF_NAME + 1, MD_NOTE_NAME + 1, MD_BANNER_NAME + 1,
};

/* Section headers that come before those of the regions. */
enum {
	MD_SHDR_NULL,
	MD_SHDR_SHSTRTAB,
	MD_SHDR_BANNER,
	MD_SHDR_NOTE,
	MD_SHDR_FIRST_LOAD,
};

/*
 * Where the parts of the ELF header are, for a table of @max entries. The
 * table holds the header itself, so at most @max - 1 regions, the note
 * among them when there is one: program headers for the PT_NOTE and @max
 * - 1 PT_LOADs; section headers for those plus the null, string table and
 * banner sections.
 *
 * The string table holds "STR_TBL", "linux_banner", the note's name when
 * there is a note, then the PT_LOADs' names packed one after the other in
 * program-header order: the order in which the files follow the header in
 * the dump. Room for the longest names is kept, and at least
 * %MD_STRTAB_SLACK zero bytes after the last one, where ramparse looks for
 * the end of the table. A copy of linux_banner follows the table: the
 * banner section's bytes.
 */
struct qcom_minidump_elf_layout {
	size_t phoff, shoff, stroff, banner, size;
	unsigned int max_loads;
};

#define MD_STRTAB_FIXED		(1 + sizeof(MD_SHSTRTAB_NAME) + sizeof(MD_BANNER_SECTION))
#define MD_STRTAB_SLACK		4

/**
 * struct qcom_minidump - state of a core
 * @lock:	protects every other field, and the ELF header's contents;
 *		the backend's ops are called with it held
 * @backend:	the registered backend, or NULL
 * @loads:	regions the backend has, in the order of their program
 *		headers: linux_banner first, then the clients' in the order
 *		they came
 * @pending:	regions no backend has: all of them while none is
 *		registered, and those the backend's table had no room for
 * @by_phys:	every region of @loads and @pending, and the note, by
 *		physical address: no two start at the same address
 * @nr_loads:	entries in @loads
 * @nr_regions:	entries in @loads and @pending
 * @with_note:	register the vmcoreinfo note when a backend comes
 * @layout:	where the parts of the ELF header are, for the backend's table
 * @elf:	the ELF header region, while a backend is registered
 * @note:	the note region, when the kernel has a vmcoreinfo note: a copy
 *		of that note, then room for the notes written at a crash
 * @note_len:	bytes of @note the PT_NOTE describes: the vmcoreinfo copy,
 *		and the crash's notes once they are written
 * @note_room:	bytes of @note kept for the crash's notes
 * @banner:	the linux_banner region
 * @state:	%MD_IDLE, %MD_BUSY while a holder of @lock changes the
 *		header or the backend's table, %MD_CRASHED once the crash
 *		path has taken them; it is what the crash path checks
 *		instead of @lock, which a stopped CPU may hold
 * @crash_wanted: entries to keep for the crash path in every backend's table
 * @crash_used:	of those the current backend keeps, how many the crash path used
 * @crash:	the entries the crash path fills in, allocated in advance
 * @nr_moving:	moving regions registered (see "moving regions")
 * @moving_frozen: the moving regions' retargets are stopped while the mutex
 *		holder changes the table
 * @standby:	backends that wait to take over, in the order they came
 * @stale:	regions the free check retracted that are still in the ELF
 *		header: while there are any, the header keeps no magic
 * @drop_work:	removes the regions the free check retracted, with @lock
 */
struct qcom_minidump {
	struct mutex lock;	/* guards all of this struct but @state */
	struct qcom_minidump_backend *backend;
	struct list_head loads;
	struct list_head pending;
	struct rb_root by_phys;
	unsigned int nr_loads;
	unsigned int nr_regions;
	bool with_note;
	struct qcom_minidump_elf_layout layout;
	struct qcom_minidump_entry elf;
	struct qcom_minidump_entry note;
	size_t note_len;
	size_t note_room;
	struct qcom_minidump_entry banner;
	atomic_t state;
	unsigned int crash_wanted;
	unsigned int crash_used;
	struct qcom_minidump_entry crash[QCOM_MINIDUMP_CRASH_ENTRIES];
	unsigned int nr_moving;
	bool moving_frozen;
	struct list_head standby;
	atomic_t stale;
	struct work_struct drop_work;
};

/* &qcom_minidump.state */
enum {
	MD_IDLE,
	MD_BUSY,
	MD_CRASHED,
};

static void qcom_minidump_drop_work(struct work_struct *work);

static struct qcom_minidump md_global = {
	.lock = __MUTEX_INITIALIZER(md_global.lock),
	.loads = LIST_HEAD_INIT(md_global.loads),
	.pending = LIST_HEAD_INIT(md_global.pending),
	.by_phys = RB_ROOT,
	.state = ATOMIC_INIT(MD_IDLE),
	.standby = LIST_HEAD_INIT(md_global.standby),
	.stale = ATOMIC_INIT(0),
	.drop_work = __WORK_INITIALIZER(md_global.drop_work, qcom_minidump_drop_work),
};

/*
 * Take @md for a change. The mutex orders the changes among themselves;
 * the state word tells the crash path, which cannot take the mutex, that
 * a change is under way, and tells a change that comes after the crash
 * path took over that it must not start.
 */
static bool qcom_minidump_moving_freeze(struct qcom_minidump *md);
static void qcom_minidump_moving_follow(struct qcom_minidump *md, unsigned long start,
					size_t size);
static void qcom_minidump_moving_thaw(struct qcom_minidump *md);

static int qcom_minidump_lock(struct qcom_minidump *md)
{
	mutex_lock(&md->lock);
	if (atomic_cmpxchg_acquire(&md->state, MD_IDLE, MD_BUSY) != MD_IDLE) {
		mutex_unlock(&md->lock);
		pr_err("the kernel is crashing: no change\n");
		return -EBUSY;
	}
	qcom_minidump_moving_freeze(md);
	return 0;
}

static void qcom_minidump_unlock(struct qcom_minidump *md)
{
	qcom_minidump_moving_thaw(md);
	atomic_set_release(&md->state, MD_IDLE);
	mutex_unlock(&md->lock);
}

/* Entries the backend's table holds: the header, the note, the regions. */
static unsigned int qcom_minidump_nr_entries(struct qcom_minidump *md)
{
	return 1 + !!md->note.size + md->nr_loads;
}

static void qcom_minidump_elf_layout(unsigned int max, struct qcom_minidump_elf_layout *l)
{
	l->max_loads = max - 1;
	l->phoff = sizeof(struct elf64_hdr);
	l->shoff = l->phoff + (1 + l->max_loads) * sizeof(struct elf64_phdr);
	l->stroff = l->shoff + (MD_SHDR_FIRST_LOAD + l->max_loads) * sizeof(struct elf64_shdr);
	l->banner = l->stroff + MD_STRTAB_FIXED + sizeof(MD_NOTE_NAME) +
		    l->max_loads * QCOM_MINIDUMP_ENTRY_NAME_SIZE + MD_STRTAB_SLACK;
	/* Firmware dumps whole 32-bit words; keep the next file offset aligned. */
	l->size = ALIGN(l->banner + strlen(linux_banner) + 1, 8);
}

/* ---- the ELF header ---- */

static struct elf64_hdr *md_ehdr(struct qcom_minidump *md)
{
	return md->elf.virt_addr;
}

static struct elf64_phdr *md_phdr(struct qcom_minidump *md, unsigned int i)
{
	return (struct elf64_phdr *)(md->elf.virt_addr + md->layout.phoff) + i;
}

static struct elf64_shdr *md_shdr(struct qcom_minidump *md, unsigned int i)
{
	return (struct elf64_shdr *)(md->elf.virt_addr + md->layout.shoff) + i;
}

static char *md_strtab(struct qcom_minidump *md)
{
	return md->elf.virt_addr + md->layout.stroff;
}

/*
 * Offset in the string table of PT_LOAD @i's name: right after the name
 * of PT_LOAD @i - 1, or after the fixed names for the first.
 */
static u32 md_load_name_off(struct qcom_minidump *md, unsigned int i)
{
	u32 prev;

	if (!i)
		return MD_STRTAB_FIXED + (md->note.size ? sizeof(MD_NOTE_NAME) : 0);
	prev = md_shdr(md, MD_SHDR_FIRST_LOAD + i - 1)->sh_name;
	return prev + strlen(md_strtab(md) + prev) + 1;
}

/*
 * Firmware may dump the header at any moment, and a crash can stop us
 * between any two stores. So the first byte of the ELF magic is cleared
 * while the header changes and put back last: a collector that finds no
 * magic knows the header is stale and can rebuild one from the firmware
 * table. Callers publish a region to firmware before the header describes
 * it, and retract it only after, so a header with its magic describes
 * nothing that is not dumped.
 *
 * wmb() orders the stores for any other observer; it cleans no cache.
 * Firmware (SDI/TZ) is assumed to flush the CPU caches before it reads
 * the table and the header, as it must for every other region too.
 */
static void qcom_minidump_elf_begin(struct qcom_minidump *md)
{
	WRITE_ONCE(md_ehdr(md)->e_ident[EI_MAG0], 0);
	wmb();	/* the magic is gone before anything else changes */
}

static void qcom_minidump_elf_end(struct qcom_minidump *md)
{
	/* The notes as they stand now: they only grow, at a crash. */
	md_phdr(md, 0)->p_filesz = md->note_len;
	md_shdr(md, MD_SHDR_NOTE)->sh_size = md->note_len;
	wmb();	/* everything is in memory before the magic says so */
	/*
	 * Not while the free check has retracted a region the header still
	 * describes. It may do so at any moment, without the mutex: it counts
	 * in md->stale first, then takes the magic; the barrier orders our
	 * magic before our second look at the count, so one of us sees the
	 * other and the magic ends up cleared (qcom_minidump_drop()).
	 */
	if (atomic_read(&md->stale))
		return;
	WRITE_ONCE(md_ehdr(md)->e_ident[EI_MAG0], ELFMAG0);
	smp_mb();	/* pairs with smp_mb__after_atomic() in qcom_minidump_drop() */
	if (atomic_read(&md->stale))
		WRITE_ONCE(md_ehdr(md)->e_ident[EI_MAG0], 0);
}

/* File offset of PT_LOAD @i: after the header, the note and PT_LOAD @i - 1. */
static u64 qcom_minidump_load_offset(struct qcom_minidump *md, unsigned int i)
{
	const struct elf64_phdr *prev;

	if (!i)
		return md->elf.size + md->note.size;
	prev = md_phdr(md, i);	/* program header i holds PT_LOAD i - 1 */
	return prev->p_offset + prev->p_filesz;
}

static void qcom_minidump_elf_write_load(struct qcom_minidump *md, unsigned int i,
					 const struct qcom_minidump_entry *entry)
{
	struct elf64_phdr *p = md_phdr(md, 1 + i);
	struct elf64_shdr *s = md_shdr(md, MD_SHDR_FIRST_LOAD + i);
	u64 offset = qcom_minidump_load_offset(md, i);

	p->p_type = PT_LOAD;
	p->p_flags = PF_R | PF_W;
	p->p_offset = offset;
	p->p_vaddr = (unsigned long)entry->virt_addr;
	p->p_paddr = entry->phys_addr;
	p->p_filesz = entry->size;
	p->p_memsz = entry->size + entry->zero_tail;
	/*
	 * Regions start at any address: no alignment is promised. 0, not 1:
	 * crash takes a non-zero p_align for the page size of a core whose
	 * first PT_LOAD is page-aligned in the file.
	 */
	p->p_align = 0;

	s->sh_name = md_load_name_off(md, i);
	strscpy(md_strtab(md) + s->sh_name, entry->name, QCOM_MINIDUMP_ENTRY_NAME_SIZE);
	s->sh_type = SHT_PROGBITS;
	s->sh_flags = SHF_ALLOC | SHF_WRITE;
	s->sh_addr = (unsigned long)entry->virt_addr;
	s->sh_offset = offset;
	s->sh_size = entry->size;
	s->sh_addralign = 0;
}

/*
 * The header with no PT_LOAD yet: ELF header, PT_NOTE, fixed sections. The
 * sections follow the downstream layout, so that ramparse can rebuild the
 * core from the files (see struct qcom_minidump_elf_layout); debuggers
 * read only the program headers.
 */
static void qcom_minidump_elf_reset(struct qcom_minidump *md)
{
	const struct qcom_minidump_elf_layout *l = &md->layout;
	struct elf64_hdr *ehdr = md_ehdr(md);
	struct elf64_phdr *note = md_phdr(md, 0);
	struct elf64_shdr *shdr = md_shdr(md, 0);
	char *strtab = md_strtab(md);

	memset(md->elf.virt_addr + EI_MAG1, 0, md->elf.size - EI_MAG1);
	memcpy(ehdr->e_ident + EI_MAG1, ELFMAG + 1, SELFMAG - 1);
	ehdr->e_ident[EI_CLASS] = ELFCLASS64;
	ehdr->e_ident[EI_DATA] = ELF_DATA;
	ehdr->e_ident[EI_VERSION] = EV_CURRENT;
	ehdr->e_ident[EI_OSABI] = ELF_OSABI;
	ehdr->e_type = ET_CORE;
	ehdr->e_machine = ELF_ARCH;
	ehdr->e_version = EV_CURRENT;
	ehdr->e_phoff = l->phoff;
	ehdr->e_shoff = l->shoff;
	ehdr->e_ehsize = sizeof(*ehdr);
	ehdr->e_phentsize = sizeof(struct elf64_phdr);
	ehdr->e_shentsize = sizeof(struct elf64_shdr);
	ehdr->e_shstrndx = MD_SHDR_SHSTRTAB;
	ehdr->e_phnum = 1;
	ehdr->e_shnum = MD_SHDR_FIRST_LOAD;

	/* The dump goes on after the header with the note, then each region. */
	note->p_type = PT_NOTE;
	note->p_offset = md->elf.size;
	note->p_paddr = md->note.size ? md->note.phys_addr : 0;
	note->p_align = 4;

	memcpy(strtab + 1, MD_SHSTRTAB_NAME, sizeof(MD_SHSTRTAB_NAME));
	memcpy(strtab + 1 + sizeof(MD_SHSTRTAB_NAME), MD_BANNER_SECTION,
	       sizeof(MD_BANNER_SECTION));
	/* No name for a note that is not dumped: ramparse would want its file. */
	if (md->note.size)
		memcpy(strtab + MD_STRTAB_FIXED, MD_NOTE_NAME, sizeof(MD_NOTE_NAME));
	strscpy(md->elf.virt_addr + l->banner, linux_banner, l->size - l->banner);

	shdr[MD_SHDR_SHSTRTAB].sh_type = SHT_STRTAB;
	shdr[MD_SHDR_SHSTRTAB].sh_name = 1;
	shdr[MD_SHDR_SHSTRTAB].sh_offset = l->stroff;
	shdr[MD_SHDR_SHSTRTAB].sh_size = l->banner - l->stroff;
	shdr[MD_SHDR_SHSTRTAB].sh_addralign = 1;

	/* A copy, in the header: the region KBANNER has the bytes in memory. */
	shdr[MD_SHDR_BANNER].sh_type = SHT_PROGBITS;
	shdr[MD_SHDR_BANNER].sh_name = 1 + sizeof(MD_SHSTRTAB_NAME);
	shdr[MD_SHDR_BANNER].sh_addr = (unsigned long)linux_banner;
	shdr[MD_SHDR_BANNER].sh_offset = l->banner;
	shdr[MD_SHDR_BANNER].sh_size = strlen(linux_banner) + 1;
	shdr[MD_SHDR_BANNER].sh_addralign = 1;

	shdr[MD_SHDR_NOTE].sh_type = SHT_NOTE;
	shdr[MD_SHDR_NOTE].sh_name = md->note.size ? MD_STRTAB_FIXED : 0;
	shdr[MD_SHDR_NOTE].sh_offset = md->elf.size;
	shdr[MD_SHDR_NOTE].sh_addralign = 4;
}

/* A header that describes no region yet: when a backend comes. */
static void qcom_minidump_elf_init(struct qcom_minidump *md)
{
	lockdep_assert_held(&md->lock);

	qcom_minidump_elf_begin(md);
	qcom_minidump_elf_reset(md);
	qcom_minidump_elf_end(md);
}

/*
 * Describe @entry, the last PT_LOAD: a few stores, whatever the count.
 * With md->lock held, or on the crash path, which owns the header then.
 */
static void qcom_minidump_elf_append(struct qcom_minidump *md, struct qcom_minidump_entry *entry)
{
	qcom_minidump_elf_begin(md);
	qcom_minidump_elf_write_load(md, entry->index, entry);
	md_ehdr(md)->e_phnum = 1 + md->nr_loads;
	md_ehdr(md)->e_shnum = MD_SHDR_FIRST_LOAD + md->nr_loads;
	qcom_minidump_elf_end(md);
}

/*
 * Stop describing @entry, already off md->loads: the PT_LOADs after it move
 * down one place and their offsets by its size, so that the offsets stay
 * contiguous as collectors need; the names after its own move down in the
 * string table, which keeps no gap ramparse would take for its end. Only
 * those after it are touched.
 */
static void qcom_minidump_elf_remove(struct qcom_minidump *md, struct qcom_minidump_entry *entry,
				     struct qcom_minidump_entry *next)
{
	unsigned int i, last = md->nr_loads;	/* PT_LOADs left: 0 .. last - 1 */
	char *strtab = md_strtab(md);
	u32 name = md_shdr(md, MD_SHDR_FIRST_LOAD + entry->index)->sh_name;
	u32 gone = strlen(strtab + name) + 1;
	u32 end = md_load_name_off(md, last + 1);	/* past the last name */

	lockdep_assert_held(&md->lock);

	qcom_minidump_elf_begin(md);
	for (i = entry->index; i < last; i++) {
		struct elf64_phdr *p = md_phdr(md, 1 + i);
		struct elf64_shdr *s = md_shdr(md, MD_SHDR_FIRST_LOAD + i);

		*p = *md_phdr(md, 2 + i);
		p->p_offset -= entry->size;
		*s = *md_shdr(md, MD_SHDR_FIRST_LOAD + 1 + i);
		s->sh_offset -= entry->size;
		s->sh_name -= gone;
	}
	memmove(strtab + name, strtab + name + gone, end - name - gone);
	memset(strtab + end - gone, 0, gone);
	memset(md_phdr(md, 1 + last), 0, sizeof(struct elf64_phdr));
	memset(md_shdr(md, MD_SHDR_FIRST_LOAD + last), 0, sizeof(struct elf64_shdr));
	md_ehdr(md)->e_phnum = 1 + last;
	md_ehdr(md)->e_shnum = MD_SHDR_FIRST_LOAD + last;
	qcom_minidump_elf_end(md);

	/* The entries after it are one place further forward now. */
	if (next)
		list_for_each_entry_from(next, &md->loads, node)
			next->index--;
}

/* ---- memory lifetime: the lock-free half ---- */

/*
 * A client that frees a region's memory without unregistering it would
 * leave firmware an entry that dumps whatever the memory holds next. With
 * CONFIG_DEBUG_OBJECTS_FREE, each client region is a debug object, and the
 * allocator's free check (debug_check_no_obj_freed(), from kfree() and
 * the page allocator) calls qcom_minidump_fixup_free() before the memory
 * can be reused. That runs in whatever context freed the memory, perhaps
 * with interrupts off, perhaps while another CPU holds the mutex: it only
 * takes the header's magic and has the backend mark the entry invalid,
 * each a store, and leaves the rest to a work item that takes the mutex.
 *
 * The debug object is keyed one byte into the region: inside it, so the
 * free check finds it when the region's first byte is freed, and at an
 * odd address, where no aligned object of another debugobjects user
 * (timers, work, rcu_head) can be tracked already.
 */

/* &qcom_minidump_entry.drop */
enum {
	MD_UNTRACKED,	/* the core's own, the crash path's, or not registered yet */
	MD_LIVE,	/* a client's, watched by the free check */
	MD_DROPPING,	/* the free check is retracting it, preemption off */
	MD_DROPPED,	/* retracted for firmware; the work item forgets it */
	MD_GONE,	/* being unregistered: the free check leaves it alone */
};

/* Client regions that the free check can find, by key, under RCU. */
static DEFINE_HASHTABLE(md_live, 6);
static DEFINE_SPINLOCK(md_live_lock);	/* serializes changes to md_live */

static void *md_key(const struct qcom_minidump_entry *entry)
{
	return entry->virt_addr + 1;
}

static bool qcom_minidump_dropped(struct qcom_minidump_entry *entry)
{
	int drop = atomic_read_acquire(&entry->drop);

	return drop == MD_DROPPING || drop == MD_DROPPED;
}

/*
 * @backend has @entry now: tell the free check, then look whether it came
 * first. Its cmpxchg and our barrier order the two sides: either it sees
 * the backend and retracts the entry, or we see that it dropped it.
 */
static bool qcom_minidump_attach(struct qcom_minidump_entry *entry,
				 struct qcom_minidump_backend *backend)
{
	WRITE_ONCE(entry->fw, backend);
	smp_mb();	/* pairs with the cmpxchg in qcom_minidump_drop() */
	return !qcom_minidump_dropped(entry);
}

/*
 * Before the backend's entry is retracted or reused: the free check must
 * no longer find the backend, and must be done with a store it began. It
 * runs with preemption off between the two states, so the wait is short.
 */
static void qcom_minidump_detach(struct qcom_minidump_entry *entry)
{
	WRITE_ONCE(entry->fw, NULL);
	smp_mb();	/* pairs with the cmpxchg in qcom_minidump_drop() */
	while (atomic_read_acquire(&entry->drop) == MD_DROPPING)
		cpu_relax();
}

/*
 * The free check found @entry live: out of the header and out of the
 * table for firmware, now, in any context. Returns false if it was not
 * live (unregistered or dropped already).
 */
static bool qcom_minidump_drop(struct qcom_minidump_entry *entry)
{
	struct qcom_minidump *md = entry->md;
	struct qcom_minidump_backend *backend;

	preempt_disable();
	if (atomic_cmpxchg(&entry->drop, MD_LIVE, MD_DROPPING) != MD_LIVE) {
		preempt_enable();
		return false;
	}
	/*
	 * A backend seen here keeps its header and table until
	 * qcom_minidump_detach() has seen MD_DROPPED: the stores are safe.
	 */
	backend = READ_ONCE(entry->fw);
	if (backend) {
		entry->stale = true;
		atomic_inc(&md->stale);
		smp_mb__after_atomic();	/* counted before the magic goes */
		WRITE_ONCE(md_ehdr(md)->e_ident[EI_MAG0], 0);
		if (backend->ops->region_drop) {
			wmb();	/* the header is stale before the entry goes */
			backend->ops->region_drop(backend, entry);
		}
	}
	atomic_set_release(&entry->drop, MD_DROPPED);
	preempt_enable();
	queue_work(system_wq, &md->drop_work);
	return true;
}

static bool qcom_minidump_fixup_free(void *addr, enum debug_obj_state state);

static const struct debug_obj_descr qcom_minidump_region_descr = {
	.name = "qcom_minidump_region",
	.fixup_free = qcom_minidump_fixup_free,
};

/* The allocator frees memory that holds the first byte of a live region. */
static bool qcom_minidump_fixup_free(void *addr, enum debug_obj_state state)
{
	struct qcom_minidump_entry *entry;

	/* Off debugobjects' books first: its free check looks again until it is. */
	debug_object_deactivate(addr, &qcom_minidump_region_descr);
	debug_object_free(addr, &qcom_minidump_region_descr);

	rcu_read_lock();
	hash_for_each_possible_rcu(md_live, entry, live, (unsigned long)addr) {
		if (md_key(entry) != addr)
			continue;
		if (qcom_minidump_drop(entry))
			pr_warn("region %s of %s: memory freed while registered: dropped from the dump\n",
				entry->name + 1,
				entry->owner ? module_name(entry->owner) : "the kernel");
		break;
	}
	rcu_read_unlock();
	return true;
}

/* A client's region, registered: from now on the free check watches it. */
static void qcom_minidump_track(struct qcom_minidump *md, struct qcom_minidump_entry *entry)
{
	entry->md = md;
	spin_lock(&md_live_lock);
	hash_add_rcu(md_live, &entry->live, (unsigned long)md_key(entry));
	spin_unlock(&md_live_lock);
	debug_object_init(md_key(entry), &qcom_minidump_region_descr);
	debug_object_activate(md_key(entry), &qcom_minidump_region_descr);
	atomic_set_release(&entry->drop, MD_LIVE);
}

/*
 * The free check no longer watches @entry; it is freed with
 * qcom_minidump_entry_free(). Returns false if the free check had dropped
 * it (its memory was freed while registered).
 */
static bool qcom_minidump_untrack(struct qcom_minidump_entry *entry)
{
	int old = atomic_cmpxchg(&entry->drop, MD_LIVE, MD_GONE);

	if (old == MD_UNTRACKED)
		return true;
	if (old == MD_LIVE) {
		debug_object_deactivate(md_key(entry), &qcom_minidump_region_descr);
		debug_object_free(md_key(entry), &qcom_minidump_region_descr);
	}
	spin_lock(&md_live_lock);
	hash_del_rcu(&entry->live);
	spin_unlock(&md_live_lock);
	return old == MD_LIVE || old == MD_GONE;
}

/* The free check may be looking at a client's entry: free it after a grace period. */
static void qcom_minidump_entry_free(struct qcom_minidump_entry *entry)
{
	kfree_rcu(entry, rcu);
}

/* ---- regions ---- */

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
	RB_CLEAR_NODE(&entry->by_phys);
	qcom_minidump_fw_name(entry->name, name);
	entry->virt_addr = virt_addr;
	entry->phys_addr = phys_addr;
	entry->size = size;
}

static int qcom_minidump_phys_cmp(const void *key, const struct rb_node *node)
{
	phys_addr_t phys = *(const phys_addr_t *)key;
	phys_addr_t other = rb_entry(node, struct qcom_minidump_entry, by_phys)->phys_addr;

	if (phys < other)
		return -1;
	return phys > other;
}

static bool qcom_minidump_phys_less(struct rb_node *a, const struct rb_node *b)
{
	return qcom_minidump_phys_cmp(&rb_entry(a, struct qcom_minidump_entry, by_phys)->phys_addr,
				      b) < 0;
}

/* The region (client's, linux_banner or the note) that starts at @phys. */
static struct qcom_minidump_entry *qcom_minidump_find(struct qcom_minidump *md, phys_addr_t phys)
{
	struct rb_node *node = rb_find(&phys, &md->by_phys, qcom_minidump_phys_cmp);

	return node ? rb_entry(node, struct qcom_minidump_entry, by_phys) : NULL;
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
		pr_err("region name %*pE is longer than %d characters\n",
		       QCOM_MINIDUMP_NAME_MAX + 1, name, QCOM_MINIDUMP_NAME_MAX);
		return -ENAMETOOLONG;
	}
	if (!len) {
		pr_err("region name is empty\n");
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!qcom_minidump_name_char_ok(name[i])) {
			pr_err("region name %*pE has a character outside [A-Za-z0-9_.-]\n",
			       (int)len, name);
			return -EINVAL;
		}
	}
	if (strstarts(name, MD_RESERVED_PREFIX)) {
		pr_err("region %s: names starting with %s are kept for the ELF header\n",
		       name, MD_RESERVED_PREFIX);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(md_reserved_names); i++) {
		if (!strcmp(name, md_reserved_names[i])) {
			pr_err("region %s: the name is the core's own\n", name);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Firmware reads a region by physical address, after Linux has stopped: the
 * region must be physically contiguous and still hold its data then. The
 * linear map and the kernel image are; vmalloc and module memory are not
 * contiguous, a stack is reused as soon as its function returns, and
 * __init memory is freed after boot.
 */
static int qcom_minidump_check_memory(const struct qcom_minidump_region *region)
{
	unsigned long start = (unsigned long)region->virt_addr;
	unsigned long last;
	phys_addr_t phys;

	if (!region->virt_addr) {
		pr_err("region %s: virtual address is NULL\n", region->name);
		return -EINVAL;
	}
	if (check_add_overflow(start, region->size - 1, &last)) {
		pr_err("region %s: %zu bytes at %p run past the end of memory\n",
		       region->name, region->size, region->virt_addr);
		return -EINVAL;
	}
	if (object_is_on_stack(region->virt_addr)) {
		pr_err("region %s: stack memory does not outlive its function\n",
		       region->name);
		return -EINVAL;
	}
	if (init_section_intersects(region->virt_addr, region->size)) {
		pr_err("region %s: __init memory is freed after boot\n", region->name);
		return -EINVAL;
	}

	/* On arm64 the kernel image lies in the vmalloc area: test it first. */
	if (is_kernel(start) && is_kernel(last)) {
		phys = __pa_symbol(start);
	} else if (is_vmalloc_or_module_addr(region->virt_addr)) {
		pr_err("region %s: vmalloc and module memory is not physically contiguous\n",
		       region->name);
		return -EINVAL;
	} else if (virt_addr_valid(region->virt_addr) && virt_addr_valid((void *)last)) {
		phys = virt_to_phys(region->virt_addr);
	} else {
		pr_err("region %s: %p is neither in the linear map nor in the kernel image\n",
		       region->name, region->virt_addr);
		return -EINVAL;
	}

	if (phys != region->phys_addr) {
		pr_err("region %s: physical address %pa is not that of %p (%pa)\n",
		       region->name, &region->phys_addr, region->virt_addr, &phys);
		return -EINVAL;
	}
	return 0;
}

/* The checks that need no backend and no lock. */
static int qcom_minidump_check_region(const struct qcom_minidump_region *region)
{
	unsigned long end;
	size_t total;
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
		return -EINVAL;
	}
	if (!IS_ALIGNED(region->size, 4)) {
		pr_err("region %s: size %zu is not a multiple of 4\n",
		       region->name, region->size);
		return -EINVAL;
	}
	if (!IS_ALIGNED(region->zero_tail, 4)) {
		pr_err("region %s: zero tail %zu is not a multiple of 4\n",
		       region->name, region->zero_tail);
		return -EINVAL;
	}
	if (region->zero_tail &&
	    (check_add_overflow(region->size, region->zero_tail, &total) ||
	     check_add_overflow((unsigned long)region->virt_addr, total - 1, &end))) {
		pr_err("region %s: zero tail of %zu bytes runs past the end of memory\n",
		       region->name, region->zero_tail);
		return -EINVAL;
	}
	return qcom_minidump_check_memory(region);
}

/*
 * Hand @entry to the backend and describe it in the ELF header, in that
 * order. Logs nothing: the caller says what a failure means.
 */
static int qcom_minidump_publish(struct qcom_minidump *md, struct qcom_minidump_entry *entry)
{
	struct qcom_minidump_backend *backend = md->backend;
	int ret;

	lockdep_assert_held(&md->lock);

	/* The entries kept for the crash path are not for clients. */
	if (qcom_minidump_nr_entries(md) >= backend->max_regions - backend->crash_entries)
		return -ENOSPC;
	if (qcom_minidump_dropped(entry))
		return -ENOENT;
	ret = backend->ops->region_register(backend, entry);
	if (ret)
		return ret;
	if (!qcom_minidump_attach(entry, backend)) {
		/* Freed while it was handed over: the free check did not see it. */
		qcom_minidump_detach(entry);
		backend->ops->region_unregister(backend, entry);
		return -ENOENT;
	}
	entry->published = true;
	entry->index = md->nr_loads++;
	list_add_tail(&entry->node, &md->loads);
	qcom_minidump_elf_append(md, entry);
	return 0;
}

/* Why @backend did not take a region, for the one log line about it. */
static const char *qcom_minidump_refusal(int err)
{
	return err == -ENOSPC ? "the table is full" : "the backend refused it";
}

/*
 * A region retracted left room: the first region that waits for some (a
 * smaller table took over) gets it, before any new registration can.
 */
static void qcom_minidump_publish_waiting(struct qcom_minidump *md)
{
	struct qcom_minidump_entry *entry;

	lockdep_assert_held(&md->lock);

	if (!md->backend || list_empty(&md->pending))
		return;
	list_for_each_entry(entry, &md->pending, node)
		if (!qcom_minidump_dropped(entry))
			break;
	if (list_entry_is_head(entry, &md->pending, node))
		return;
	list_del_init(&entry->node);
	if (qcom_minidump_publish(md, entry))
		list_add(&entry->node, &md->pending);
	else
		pr_info("region %s: in the %s table now\n", entry->name + 1, md->backend->name);
}

/* Add @entry, checked, to @md: to the backend if there is one, else kept. */
static int qcom_minidump_add(struct qcom_minidump *md, struct qcom_minidump_entry *entry)
{
	struct qcom_minidump_entry *other;
	int ret;

	lockdep_assert_held(&md->lock);

	other = qcom_minidump_find(md, entry->phys_addr);
	if (other) {
		pr_err("region %s: %pa is where region %s starts already\n", entry->name + 1,
		       &entry->phys_addr, other->name + 1);
		return -EEXIST;
	}
	if (md->backend) {
		ret = qcom_minidump_publish(md, entry);
		if (ret) {
			pr_err("region %s: not registered: %s (%u entries): %pe\n", entry->name + 1,
			       qcom_minidump_refusal(ret), md->backend->max_regions, ERR_PTR(ret));
			return ret;
		}
	} else {
		/*
		 * Room for what the largest table holds: with the header and
		 * the note, QCOM_MINIDUMP_MAX_ENTRIES (linux_banner is one of
		 * the nr_regions).
		 */
		if (md->nr_regions + 2 >= QCOM_MINIDUMP_MAX_ENTRIES) {
			pr_err("region %s: %u regions are waiting for a backend already\n",
			       entry->name + 1, md->nr_regions);
			return -ENOSPC;
		}
		list_add_tail(&entry->node, &md->pending);
	}
	rb_add(&entry->by_phys, &md->by_phys, qcom_minidump_phys_less);
	md->nr_regions++;
	return 0;
}

/* Forget @entry: out of the ELF header first, then out of the backend. */
static void qcom_minidump_del(struct qcom_minidump *md, struct qcom_minidump_entry *entry)
{
	struct qcom_minidump_entry *next = NULL;

	lockdep_assert_held(&md->lock);
	/* Not through qcom_minidump_lock() in every path: the program headers move. */
	qcom_minidump_moving_freeze(md);

	if (entry->published) {
		if (!list_is_last(&entry->node, &md->loads))
			next = list_next_entry(entry, node);
		list_del_init(&entry->node);
		md->nr_loads--;
		qcom_minidump_elf_remove(md, entry, next);
		qcom_minidump_detach(entry);
		md->backend->ops->region_unregister(md->backend, entry);
		entry->published = false;
		qcom_minidump_publish_waiting(md);
	} else {
		list_del_init(&entry->node);
	}
	if (!entry->moves) {
		rb_erase(&entry->by_phys, &md->by_phys);
		RB_CLEAR_NODE(&entry->by_phys);
	}
	md->nr_regions--;
}

/*
 * Unregister @entry, a client's region, with md->lock held. Returns false
 * if the free check had dropped it already.
 */
static bool qcom_minidump_forget(struct qcom_minidump *md, struct qcom_minidump_entry *entry)
{
	bool live = qcom_minidump_untrack(entry);

	qcom_minidump_detach(entry);
	qcom_minidump_del(md, entry);
	if (entry->stale) {
		/* The header describes only what is dumped again: the magic comes back. */
		atomic_dec(&md->stale);
		if (md->backend) {
			qcom_minidump_elf_begin(md);
			qcom_minidump_elf_end(md);
		}
	}
	qcom_minidump_entry_free(entry);
	return live;
}

/**
 * qcom_minidump_core_region_register_owned() - register a region with a given core
 * @md: the core
 * @region: the region
 * @owner: the module that registers it, or NULL for built-in code
 *
 * __qcom_minidump_region_register() on @md; KUnit tests use cores of
 * their own.
 *
 * Context: Process context; takes @md's mutex and may sleep.
 * Return: as __qcom_minidump_region_register().
 */
VISIBLE_IF_KUNIT int
qcom_minidump_core_region_register_owned(struct qcom_minidump *md,
					 const struct qcom_minidump_region *region,
					 struct module *owner)
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
	entry->zero_tail = region->zero_tail;
	entry->owner = owner;

	ret = qcom_minidump_lock(md);
	if (!ret) {
		ret = qcom_minidump_add(md, entry);
		if (!ret)
			qcom_minidump_track(md, entry);
		qcom_minidump_unlock(md);
	}
	if (ret)
		kfree(entry);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_region_register_owned);

/**
 * qcom_minidump_core_region_register() - register a built-in region with a given core
 * @md: the core
 * @region: the region
 *
 * Context: Process context; takes @md's mutex and may sleep.
 * Return: as __qcom_minidump_region_register().
 */
VISIBLE_IF_KUNIT int qcom_minidump_core_region_register(struct qcom_minidump *md,
							const struct qcom_minidump_region *region)
{
	return qcom_minidump_core_region_register_owned(md, region, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_region_register);

/**
 * __qcom_minidump_region_register() - ask firmware to dump a region after a crash
 * @region: the region; the core keeps a copy, so it need not stay around
 * @owner: the calling module, THIS_MODULE: qcom_minidump_region_register()
 *	passes it
 *
 * The region is checked, given to the backend, and added to the ELF header.
 * While no backend is registered the core keeps the region and hands it to
 * the backend that comes; a client never waits for one, and a kernel with
 * no backend for its board loses nothing but the dump. On error nothing
 * changes and one line in the kernel log says why.
 *
 * Regions may share a name, and may overlap, but no two may start at the
 * same physical address: collectors match a dumped file to its program
 * header by that address. Overlapping regions are dumped once each.
 *
 * A region must be unregistered before its memory is freed, and before
 * its module unloads. The core drops, with a warning, a region whose
 * module unloads, a region in memory that goes offline, and, with
 * CONFIG_DEBUG_OBJECTS_FREE, a region whose first byte is freed.
 *
 * Context: Process context; takes a mutex and may sleep.
 * Return: 0 on success, or a negative errno:
 *
 * * %-EINVAL: @region is NULL, or malformed: its name is empty, has a
 *   character outside ``[A-Za-z0-9_.-]`` or is reserved for the core; its
 *   size is 0, not a multiple of 4, or runs past the end of memory; its memory
 *   cannot be dumped by physical address (NULL, stack, __init, vmalloc or
 *   module memory, or outside the linear map and the kernel image); or its
 *   physical address is not that of its virtual one;
 * * %-ENAMETOOLONG: the name is longer than %QCOM_MINIDUMP_NAME_MAX;
 * * %-EEXIST: a region starting at the same physical address is registered;
 * * %-ENOSPC: the backend's table is full, or, with no backend yet, the
 *   core holds as many regions as the largest table
 *   (%QCOM_MINIDUMP_MAX_ENTRIES entries with the header and the note);
 * * %-ENOMEM: out of memory;
 * * %-EBUSY: the kernel is crashing, and the crash path owns the table;
 * * another negative errno from the backend.
 */
int __qcom_minidump_region_register(const struct qcom_minidump_region *region,
				    struct module *owner)
{
	return qcom_minidump_core_region_register_owned(&md_global, region, owner);
}
EXPORT_SYMBOL_GPL(__qcom_minidump_region_register);

/**
 * qcom_minidump_core_region_unregister() - unregister a region from a given core
 * @md: the core
 * @region: the region
 *
 * qcom_minidump_region_unregister() on @md; KUnit tests use cores of their own.
 *
 * Context: Process context; takes @md's mutex and may sleep.
 * Return: as qcom_minidump_region_unregister().
 */
VISIBLE_IF_KUNIT int qcom_minidump_core_region_unregister(struct qcom_minidump *md,
							  const struct qcom_minidump_region *region)
{
	char name[QCOM_MINIDUMP_ENTRY_NAME_SIZE];
	struct qcom_minidump_entry *entry;
	int ret;

	if (!region) {
		pr_err("region is NULL\n");
		return -EINVAL;
	}
	qcom_minidump_fw_name(name, region->name);

	ret = qcom_minidump_lock(md);
	if (ret)
		return ret;
	entry = qcom_minidump_find(md, region->phys_addr);
	if (!entry || entry == &md->banner || entry == &md->note ||
	    strcmp(entry->name, name) || entry->size != region->size) {
		pr_err("region %.*s at %pa (%zu bytes) is not registered\n",
		       QCOM_MINIDUMP_NAME_MAX, region->name, &region->phys_addr, region->size);
		ret = -ENOENT;
	} else {
		qcom_minidump_forget(md, entry);
	}
	qcom_minidump_unlock(md);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_region_unregister);

/**
 * qcom_minidump_region_unregister() - stop dumping a region
 * @region: the same description that was registered
 *
 * The region leaves the ELF header first and is then retracted from the
 * backend, so the header never describes a region firmware does not dump.
 * With no backend registered, the region is only forgotten.
 *
 * Context: Process context; takes a mutex and may sleep.
 * Return: 0 on success, %-EINVAL if @region is NULL, %-ENOENT if no
 * region with this name, physical address and size is registered, or
 * %-EBUSY once the kernel is crashing.
 */
int qcom_minidump_region_unregister(const struct qcom_minidump_region *region)
{
	return qcom_minidump_core_region_unregister(&md_global, region);
}
EXPORT_SYMBOL_GPL(qcom_minidump_region_unregister);

/* What a device-managed region needs at release: its core and its description. */
struct qcom_minidump_devres {
	struct qcom_minidump *md;
	struct qcom_minidump_region region;
};

static void devm_qcom_minidump_region_release(struct device *dev, void *res)
{
	struct qcom_minidump_devres *dr = res;

	qcom_minidump_core_region_unregister(dr->md, &dr->region);
}

static int qcom_minidump_core_devm_register(struct qcom_minidump *md, struct device *dev,
					    const struct qcom_minidump_region *region,
					    struct module *owner)
{
	struct qcom_minidump_devres *dr;
	int ret;

	dr = devres_alloc(devm_qcom_minidump_region_release, sizeof(*dr), GFP_KERNEL);
	if (!dr)
		return -ENOMEM;
	ret = qcom_minidump_core_region_register_owned(md, region, owner);
	if (ret) {
		devres_free(dr);
		return ret;
	}
	dr->md = md;
	dr->region = *region;
	devres_add(dev, dr);
	return 0;
}

/* Only KUnit calls it: a production kernel has one core. */
#if IS_ENABLED(CONFIG_KUNIT)
/**
 * qcom_minidump_core_devm_region_register() - devm registration with a given core
 * @md: the core
 * @dev: the device
 * @region: the region
 *
 * devm_qcom_minidump_region_register() on @md; KUnit tests use cores of their own.
 *
 * Context: Process context; may sleep.
 * Return: as devm_qcom_minidump_region_register().
 */
VISIBLE_IF_KUNIT int
qcom_minidump_core_devm_region_register(struct qcom_minidump *md, struct device *dev,
					const struct qcom_minidump_region *region)
{
	return qcom_minidump_core_devm_register(md, dev, region, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_devm_region_register);
#endif

/**
 * __devm_qcom_minidump_region_register() - register a region for a device's lifetime
 * @dev: the device; the region is unregistered when it unbinds
 * @region: the region, as for qcom_minidump_region_register()
 * @owner: the calling module, THIS_MODULE:
 *	devm_qcom_minidump_region_register() passes it
 *
 * Context: Process context; may sleep.
 * Return: as qcom_minidump_region_register(), or %-ENOMEM if the device
 * resource cannot be allocated.
 */
int __devm_qcom_minidump_region_register(struct device *dev,
					 const struct qcom_minidump_region *region,
					 struct module *owner)
{
	return qcom_minidump_core_devm_register(&md_global, dev, region, owner);
}
EXPORT_SYMBOL_GPL(__devm_qcom_minidump_region_register);

/* ---- memory lifetime: the regions the core drops ---- */

/* The first client region of @md that @match picks, registered or waiting. */
static struct qcom_minidump_entry *
qcom_minidump_find_if(struct qcom_minidump *md,
		      bool (*match)(struct qcom_minidump_entry *entry, const void *arg),
		      const void *arg)
{
	struct qcom_minidump_entry *entry;

	list_for_each_entry(entry, &md->loads, node)
		if (entry->md == md && match(entry, arg))
			return entry;
	list_for_each_entry(entry, &md->pending, node)
		if (entry->md == md && match(entry, arg))
			return entry;
	return NULL;
}

/*
 * Unregister every client region @match picks, with md->lock held, and
 * say @why for those the free check had not dropped already (it said why).
 */
static void qcom_minidump_forget_if(struct qcom_minidump *md,
				    bool (*match)(struct qcom_minidump_entry *entry,
						  const void *arg),
				    const void *arg, const char *why)
{
	struct qcom_minidump_entry *entry;

	lockdep_assert_held(&md->lock);

	while ((entry = qcom_minidump_find_if(md, match, arg))) {
		if (why && !qcom_minidump_dropped(entry))
			pr_warn("region %s of %s: %s: dropped from the dump\n", entry->name + 1,
				entry->owner ? module_name(entry->owner) : "the kernel", why);
		qcom_minidump_forget(md, entry);
	}
}

static bool qcom_minidump_match_dropped(struct qcom_minidump_entry *entry, const void *arg)
{
	return qcom_minidump_dropped(entry);
}

/* The free check's second half: what it retracted leaves the core. */
static void qcom_minidump_drop_work(struct work_struct *work)
{
	struct qcom_minidump *md = container_of(work, struct qcom_minidump, drop_work);

	if (qcom_minidump_lock(md))
		return;
	qcom_minidump_forget_if(md, qcom_minidump_match_dropped, NULL, NULL);
	qcom_minidump_unlock(md);
}

static bool qcom_minidump_match_owner(struct qcom_minidump_entry *entry, const void *mod)
{
	return entry->owner == mod;
}

/**
 * qcom_minidump_core_module_going() - drop the regions a module left behind
 * @md: the core
 * @mod: the module, unloading (or failing its init): its exit has run
 *
 * Each region @mod registered and did not unregister is dropped, with a
 * warning naming it: its memory is the module's to free.
 *
 * Context: Process context; takes @md's mutex and may sleep.
 */
VISIBLE_IF_KUNIT void qcom_minidump_core_module_going(struct qcom_minidump *md,
						      struct module *mod)
{
	if (!mod || qcom_minidump_lock(md))
		return;
	qcom_minidump_forget_if(md, qcom_minidump_match_owner, mod,
				"module unloaded without unregistering it");
	qcom_minidump_unlock(md);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_module_going);

struct qcom_minidump_range {
	phys_addr_t start, size;
};

static bool qcom_minidump_match_range(struct qcom_minidump_entry *entry, const void *arg)
{
	const struct qcom_minidump_range *r = arg;

	return entry->phys_addr < r->start + r->size &&
	       r->start < entry->phys_addr + entry->size;
}

/**
 * qcom_minidump_core_memory_offline() - drop the regions in memory that goes offline
 * @md: the core
 * @start: physical address of the memory
 * @size: its size in bytes
 *
 * Each region with a byte in [@start, @start + @size) is dropped, with a
 * warning naming it: its pages are migrated or taken away next.
 *
 * Context: Process context; takes @md's mutex and may sleep.
 */
VISIBLE_IF_KUNIT void qcom_minidump_core_memory_offline(struct qcom_minidump *md,
							phys_addr_t start, phys_addr_t size)
{
	struct qcom_minidump_range range = { .start = start, .size = size };

	if (!size || qcom_minidump_lock(md))
		return;
	qcom_minidump_forget_if(md, qcom_minidump_match_range, &range,
				"its memory goes offline");
	qcom_minidump_unlock(md);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_memory_offline);

#ifdef CONFIG_MODULES
static int qcom_minidump_module_notify(struct notifier_block *nb, unsigned long action,
				       void *data)
{
	if (action == MODULE_STATE_GOING)
		qcom_minidump_core_module_going(&md_global, data);
	return NOTIFY_DONE;
}

static struct notifier_block qcom_minidump_module_nb = {
	.notifier_call = qcom_minidump_module_notify,
};
#endif

/*
 * MEM_GOING_OFFLINE comes before the pages are migrated or isolated: the
 * regions leave the table while the memory still holds them.
 */
static int qcom_minidump_memory_notify(struct notifier_block *nb, unsigned long action,
				       void *data)
{
	const struct memory_notify *mn = data;

	if (action == MEM_GOING_OFFLINE)
		qcom_minidump_core_memory_offline(&md_global, PFN_PHYS(mn->start_pfn),
						  PFN_PHYS(mn->nr_pages));
	return NOTIFY_OK;
}

static struct notifier_block qcom_minidump_memory_nb = {
	.notifier_call = qcom_minidump_memory_notify,
};

/* ---- backends ---- */

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
	if (backend->max_regions < 4 || backend->max_regions > QCOM_MINIDUMP_MAX_ENTRIES) {
		pr_err("backend %s refused: %u entries, not 4 to %u\n", backend->name,
		       backend->max_regions, QCOM_MINIDUMP_MAX_ENTRIES);
		return -EINVAL;
	}
	return 0;
}

/* Undo qcom_minidump_core_regions_add(). */
static void qcom_minidump_core_regions_remove(struct qcom_minidump *md)
{
	struct qcom_minidump_backend *backend = md->backend;

	if (md->note.size)
		backend->ops->region_unregister(backend, &md->note);
	backend->ops->region_unregister(backend, &md->elf);
	kfree(md->elf.virt_addr);
	md->elf.virt_addr = NULL;
}

/* The header (no magic yet: all zeroes) and the note, to md->backend. */
static int qcom_minidump_core_regions_add(struct qcom_minidump *md)
{
	struct qcom_minidump_backend *backend = md->backend;
	void *elf;
	int ret;

	qcom_minidump_elf_layout(backend->max_regions, &md->layout);
	elf = kzalloc(md->layout.size, GFP_KERNEL);
	if (!elf)
		return -ENOMEM;
	qcom_minidump_entry_init(&md->elf, MD_ELF_NAME + 1, elf, virt_to_phys(elf),
				 md->layout.size);
	ret = backend->ops->region_register(backend, &md->elf);
	if (ret)
		goto free_elf;
	if (md->note.size) {
		ret = backend->ops->region_register(backend, &md->note);
		if (ret)
			goto unregister_elf;
	}
	return 0;

unregister_elf:
	backend->ops->region_unregister(backend, &md->elf);
free_elf:
	kfree(elf);
	md->elf.virt_addr = NULL;
	return ret;
}

/* Bytes of the ELF note @n, header, name and description. */
static size_t qcom_minidump_elf_note_size(const struct elf_note *n)
{
	return sizeof(*n) + ALIGN(n->n_namesz, 4) + ALIGN(n->n_descsz, 4);
}

/*
 * The note region: a copy of the vmcoreinfo note, once the kernel has made
 * it (subsys_initcall, before any backend registers), and room after it
 * for the notes the crash path writes, so that the PT_NOTE stays one run
 * of notes. vmcoreinfo_note stays NULL if its allocation failed at boot;
 * then the PT_NOTE is empty, and the crash path writes no notes.
 */
static void qcom_minidump_note_init(struct qcom_minidump *md)
{
	const struct elf_note *n = (const struct elf_note *)vmcoreinfo_note;
	size_t len;
	void *buf;

	lockdep_assert_held(&md->lock);

	if (!md->with_note || md->note.size || !n || !n->n_namesz)
		return;
	len = qcom_minidump_elf_note_size(n);
	if (len > VMCOREINFO_NOTE_SIZE) {
		pr_err("vmcoreinfo note of %zu bytes is malformed: not registered\n", len);
		return;
	}
	buf = kzalloc(len + md->note_room, GFP_KERNEL);
	if (!buf)
		return;	/* the allocator said so; the dump has no notes */
	memcpy(buf, n, len);
	qcom_minidump_entry_init(&md->note, MD_NOTE_NAME + 1, buf, virt_to_phys(buf),
				 len + md->note_room);
	md->note_len = len;
	rb_add(&md->note.by_phys, &md->by_phys, qcom_minidump_phys_less);
}

static int __qcom_minidump_backend_register(struct qcom_minidump *md,
					    struct qcom_minidump_backend *backend)
{
	struct qcom_minidump_entry *entry, *tmp;
	LIST_HEAD(waiting);
	int ret;

	lockdep_assert_held(&md->lock);

	qcom_minidump_note_init(md);
	/* The crash path's entries, when it can have them: 4 stay for the rest. */
	backend->crash_entries = 0;
	if (backend->ops->crash_region_register)
		backend->crash_entries = min(md->crash_wanted, backend->max_regions - 4);
	if (backend->crash_entries < md->crash_wanted)
		pr_warn("backend %s: %u of %u entries kept for the crash\n", backend->name,
			backend->crash_entries, md->crash_wanted);
	md->crash_used = 0;
	ret = backend->ops->table_init(backend);
	if (ret) {
		pr_err("backend %s: table init failed: %pe\n", backend->name, ERR_PTR(ret));
		return ret;
	}
	md->backend = backend;
	ret = qcom_minidump_core_regions_add(md);
	if (ret) {
		pr_err("backend %s: header and note not registered: %pe\n", backend->name,
		       ERR_PTR(ret));
		backend->ops->table_exit(backend);
		md->backend = NULL;
		return ret;
	}
	backend->core = md;

	/* An empty header first, so that each region can be appended to it. */
	qcom_minidump_elf_init(md);

	/* The regions that waited, in the order they came. */
	list_splice_init(&md->pending, &waiting);
	list_for_each_entry_safe(entry, tmp, &waiting, node) {
		list_del_init(&entry->node);
		ret = qcom_minidump_publish(md, entry);
		if (ret) {
			/* -ENOENT: freed while registered; the work item forgets it. */
			if (ret != -ENOENT)
				pr_warn("region %s waits for room: %s (%u entries): %pe\n",
					entry->name + 1, qcom_minidump_refusal(ret),
					backend->max_regions, ERR_PTR(ret));
			list_add_tail(&entry->node, &md->pending);
		}
	}
	return 0;
}

/**
 * qcom_minidump_core_backend_register() - register a backend with a given core
 * @md: the core
 * @backend: the backend
 *
 * qcom_minidump_backend_register() on @md; KUnit tests use cores of their own.
 *
 * Context: Process context; takes @md's mutex and may sleep.
 * Return: as qcom_minidump_backend_register().
 */
VISIBLE_IF_KUNIT int qcom_minidump_core_backend_register(struct qcom_minidump *md,
							 struct qcom_minidump_backend *backend)
{
	int ret;

	ret = qcom_minidump_check_backend(backend);
	if (ret)
		return ret;

	ret = qcom_minidump_lock(md);
	if (ret)
		return ret;
	if (backend->core) {
		pr_err("backend %s refused: it is registered already\n", backend->name);
		ret = -EBUSY;
	} else if (md->backend) {
		/* It takes over, with every region, when the registered one goes. */
		backend->core = md;
		list_add_tail(&backend->standby, &md->standby);
		pr_info("backend %s waits: %s is registered\n", backend->name,
			md->backend->name);
	} else {
		ret = __qcom_minidump_backend_register(md, backend);
		if (!ret)
			pr_info("backend %s registered, %u entries, %u kept for the crash\n",
				backend->name, backend->max_regions, backend->crash_entries);
	}
	qcom_minidump_unlock(md);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_backend_register);

/**
 * qcom_minidump_backend_register() - make a backend the one that reaches firmware
 * @backend: the backend, with its ops and limits filled in
 *
 * Calls &qcom_minidump_ops.table_init, registers the ELF header and the
 * vmcoreinfo note, and then every region registered so far, in the order
 * they came. A region the table has no room for stays with the core, with
 * one line in the log: it takes the first entry a region leaves, or goes
 * to the next backend.
 *
 * While another backend is registered, @backend waits, with one line in
 * the log, and none of its ops is called: when the registered backend is
 * unregistered, the first backend that waits takes over, with every
 * region. Unregistering a backend that waits only ends its wait.
 *
 * Of the table's entries, up to %QCOM_MINIDUMP_CRASH_ENTRIES are kept for
 * the crash path when a crash client asked for them
 * (qcom_minidump_crash_reserve()) and the backend has
 * &qcom_minidump_ops.crash_region_register; the table keeps 4 for the rest.
 *
 * Context: Process context; takes the registry mutex and may sleep.
 * Return: 0 on success, and when @backend waits; %-EINVAL if @backend
 * lacks a name or an op or its table holds fewer than 4 or more than
 * %QCOM_MINIDUMP_MAX_ENTRIES entries; %-EBUSY if @backend is registered
 * or waits already, or the kernel is crashing; %-ENOMEM; or the error of
 * the backend's table_init or region_register for the core's own regions.
 */
int qcom_minidump_backend_register(struct qcom_minidump_backend *backend)
{
	return qcom_minidump_core_backend_register(&md_global, backend);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_backend_register, QCOM_MINIDUMP);

/*
 * The registered backend is gone: the first that waits takes over, with
 * every region. One that fails its table_init stops waiting, and the next
 * one tries.
 */
static void qcom_minidump_takeover(struct qcom_minidump *md)
{
	struct qcom_minidump_backend *next;
	int ret;

	lockdep_assert_held(&md->lock);

	while (!md->backend && !list_empty(&md->standby)) {
		next = list_first_entry(&md->standby, struct qcom_minidump_backend, standby);
		list_del_init(&next->standby);
		next->core = NULL;
		ret = __qcom_minidump_backend_register(md, next);
		if (ret)
			pr_err("backend %s did not take over: %pe\n", next->name, ERR_PTR(ret));
		else
			pr_info("backend %s took over, %u entries, %u kept for the crash\n",
				next->name, next->max_regions, next->crash_entries);
	}
}

/**
 * qcom_minidump_backend_unregister() - take a backend away
 * @backend: the registered backend
 *
 * Retracts every region from the backend, the ELF header last, and calls
 * &qcom_minidump_ops.table_exit. The core keeps the clients' regions and
 * gives them to the first backend that waits, if one does, or else to the
 * next backend registered. When it returns the core no longer calls
 * @backend. A backend that waits stops waiting. A backend that is not registered draws a warning
 * and changes nothing. After the crash path has run, the table is left as
 * it is for firmware, with a warning, and the core lets go of @backend.
 *
 * Context: Process context; takes the registry mutex and may sleep.
 */
void qcom_minidump_backend_unregister(struct qcom_minidump_backend *backend)
{
	struct qcom_minidump *md = backend ? backend->core : NULL;
	struct qcom_minidump_entry *entry;

	if (!md) {
		pr_warn("backend %s is not registered; not unregistered\n",
			backend && backend->name ? backend->name : "(null)");
		return;
	}

	/*
	 * After the crash path the table is what firmware must dump: it stays
	 * as it is. The core lets go of the backend all the same, without the
	 * mutex (a stopped CPU may hold it), since its caller frees it next;
	 * the crash path ran on this CPU and is over, and the others stopped.
	 */
	if (atomic_read(&md->state) == MD_CRASHED) {
		if (md->backend == backend) {
			pr_warn("backend %s unregistered after a crash: its table is left for firmware\n",
				backend->name);
			/* No free check stores into it; stopped CPUs are not waited for. */
			list_for_each_entry(entry, &md->loads, node)
				WRITE_ONCE(entry->fw, NULL);
			md->backend = NULL;
		} else {
			list_del_init(&backend->standby);
		}
		backend->core = NULL;
		return;
	}

	if (qcom_minidump_lock(md))
		return;
	if (md->backend != backend) {
		/* It waits: it stops waiting. */
		list_del_init(&backend->standby);
		backend->core = NULL;
		qcom_minidump_unlock(md);
		pr_info("backend %s no longer waits\n", backend->name);
		return;
	}

	/* Old header: the magic goes first, so nothing stale is trusted. */
	qcom_minidump_elf_begin(md);
	list_for_each_entry_reverse(entry, &md->loads, node) {
		qcom_minidump_detach(entry);
		backend->ops->region_unregister(backend, entry);
		entry->published = false;
	}
	/* Kept for the next backend: those it had first, then those that waited. */
	list_splice_init(&md->loads, &md->pending);
	md->nr_loads = 0;
	qcom_minidump_core_regions_remove(md);
	backend->ops->table_exit(backend);
	md->backend = NULL;
	backend->core = NULL;
	backend->crash_entries = 0;
	pr_info("backend %s unregistered\n", backend->name);
	qcom_minidump_takeover(md);
	qcom_minidump_unlock(md);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_backend_unregister, QCOM_MINIDUMP);

/**
 * qcom_minidump_backend_lock() - keep the table as it is, for a backend's own store
 * @backend: the backend
 *
 * For a backend's power management: while it holds the lock, the core
 * calls none of its ops, so that it may rewrite its slot from its table.
 * The crash path does not wait for it: it finds the core busy and adds
 * nothing.
 *
 * Context: Process context; takes the registry mutex and may sleep.
 * Return: 0 with the lock held; %-ENODEV, without it, if @backend is not
 * the registered backend (it waits, or was never registered); %-EBUSY if
 * the kernel is crashing.
 */
int qcom_minidump_backend_lock(struct qcom_minidump_backend *backend)
{
	struct qcom_minidump *md = backend->core;
	int ret;

	if (!md)
		return -ENODEV;
	ret = qcom_minidump_lock(md);
	if (ret)
		return ret;
	if (md->backend != backend) {
		qcom_minidump_unlock(md);
		return -ENODEV;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_backend_lock, QCOM_MINIDUMP);

/**
 * qcom_minidump_backend_unlock() - let the core change the table again
 * @backend: the backend, locked by qcom_minidump_backend_lock()
 *
 * Context: Process context.
 */
void qcom_minidump_backend_unlock(struct qcom_minidump_backend *backend)
{
	qcom_minidump_unlock(backend->core);
}
EXPORT_SYMBOL_NS_GPL(qcom_minidump_backend_unlock, QCOM_MINIDUMP);

/* ---- the crash path ---- */

/**
 * qcom_minidump_core_crash_reserve() - keep room in a core for the crash path
 * @md: the core
 * @entries: table entries to keep, at most %QCOM_MINIDUMP_CRASH_ENTRIES
 * @note_room: bytes to keep after the vmcoreinfo note, a multiple of 4
 *
 * For the one crash client, before the first backend registers: the note
 * region is sized then, and every backend keeps the entries from then on.
 *
 * Context: Process context; takes @md's mutex and may sleep.
 * Return: 0, %-EINVAL if @entries or @note_room is out of bounds, or
 * %-EBUSY if a backend has registered already or the kernel is crashing.
 */
VISIBLE_IF_KUNIT int qcom_minidump_core_crash_reserve(struct qcom_minidump *md,
						      unsigned int entries, size_t note_room)
{
	int ret;

	if (entries > QCOM_MINIDUMP_CRASH_ENTRIES || !IS_ALIGNED(note_room, 4) ||
	    note_room > QCOM_MINIDUMP_CRASH_NOTE_MAX) {
		pr_err("crash reservation of %u entries and %zu bytes of notes refused\n",
		       entries, note_room);
		return -EINVAL;
	}
	ret = qcom_minidump_lock(md);
	if (ret)
		return ret;
	if (md->backend || md->note.size) {
		pr_err("crash reservation refused: a backend has registered already\n");
		ret = -EBUSY;
	} else {
		md->crash_wanted = entries;
		md->note_room = note_room;
	}
	qcom_minidump_unlock(md);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_crash_reserve);

/*
 * Take the header and the table for the crash path, once and for good,
 * unless a stopped CPU was changing them (-EBUSY); -ENODEV with no backend.
 */
static int qcom_minidump_crash_state(struct qcom_minidump *md)
{
	if (atomic_cmpxchg(&md->state, MD_IDLE, MD_CRASHED) == MD_BUSY)
		return -EBUSY;
	return md->backend ? 0 : -ENODEV;
}

/**
 * qcom_minidump_core_crash_begin() - take a core's header and table for the crash path
 * @md: the core
 *
 * For good: from here on every change through the mutex fails with
 * %-EBUSY. The crash path runs on one CPU, the others stopped; one of them
 * may have been stopped in the middle of a change, with the header half
 * written, and then the crash path must leave everything as it is. A crash
 * client calls this before it writes anything, notes included; the other
 * crash calls check it again.
 *
 * Context: Any context, on the one CPU that handles the crash. Takes no lock.
 * Return: 0; %-EBUSY, with one line in the log, when a stopped CPU was
 * changing the table; %-ENODEV, silently, when no backend is registered:
 * most boards have none, and their panics need no word about it.
 */
VISIBLE_IF_KUNIT int qcom_minidump_core_crash_begin(struct qcom_minidump *md)
{
	int ret = qcom_minidump_crash_state(md);

	if (ret == -EBUSY)
		pr_err("crash: nothing added: the table was being changed when the CPUs stopped\n");
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_crash_begin);

/* What each crash call does first; it names what it could not add. */
static int qcom_minidump_crash_take(struct qcom_minidump *md, const char *what)
{
	int ret = qcom_minidump_crash_state(md);

	if (ret)
		pr_err("crash: %s not added: %s\n", what, ret == -EBUSY ?
		       "the table was being changed when the CPUs stopped" : "no backend");
	return ret;
}

/* Both crash adds: the table gets @phys_addr, the ELF header @at. */
static int qcom_minidump_crash_add(struct qcom_minidump *md, const char *name, void *virt_addr,
				   phys_addr_t phys_addr, phys_addr_t at, size_t size)
{
	struct qcom_minidump_backend *backend;
	struct qcom_minidump_entry *entry, *other;
	unsigned long last_virt;
	phys_addr_t last_phys;
	int ret;

	ret = qcom_minidump_check_name(name);
	if (ret)
		return ret;
	if (!virt_addr || !size || !IS_ALIGNED(size, 4) ||
	    check_add_overflow((unsigned long)virt_addr, size - 1, &last_virt) ||
	    check_add_overflow(phys_addr, size - 1, &last_phys)) {
		pr_err("crash: region %s at %p of %zu bytes refused\n", name, virt_addr, size);
		return -EINVAL;
	}
	ret = qcom_minidump_crash_take(md, name);
	if (ret)
		return ret;
	/* The same rule as for clients: collectors match by the start. */
	other = qcom_minidump_find(md, phys_addr);
	if (other) {
		pr_err("crash: region %s: %pa is where region %s starts already\n", name,
		       &phys_addr, other->name + 1);
		return -EEXIST;
	}
	backend = md->backend;
	if (md->crash_used >= backend->crash_entries) {
		pr_err("crash: region %s not added: the %u entries kept are used\n", name,
		       backend->crash_entries);
		return -ENOSPC;
	}
	entry = &md->crash[md->crash_used];
	qcom_minidump_entry_init(entry, name, virt_addr, phys_addr, size);
	ret = backend->ops->crash_region_register(backend, entry, md->crash_used);
	if (ret) {
		pr_err("crash: region %s not added: %pe\n", name, ERR_PTR(ret));
		return ret;
	}
	md->crash_used++;
	entry->published = true;
	entry->index = md->nr_loads++;
	/* No allocation: the crash path owns the tree now, as the header. */
	rb_add(&entry->by_phys, &md->by_phys, qcom_minidump_phys_less);
	/* A moving region over the same memory shows the same bytes. */
	qcom_minidump_moving_follow(md, (unsigned long)virt_addr, size);
	qcom_minidump_elf_append(md, entry);
	/*
	 * Where the bytes belong, for debuggers that read by physical address;
	 * read-only, the mark of a copy, so that collectors match the segment
	 * by its name.
	 */
	if (at != phys_addr) {
		md_phdr(md, 1 + entry->index)->p_paddr = at;
		md_phdr(md, 1 + entry->index)->p_flags = PF_R;
	}
	return 0;
}

/**
 * qcom_minidump_core_crash_region_add() - add a region to a core at a crash
 * @md: the core
 * @name: region name, as for &qcom_minidump_region.name
 * @virt_addr: its virtual address, as debuggers read it: vmalloc too
 * @phys_addr: where firmware reads it: the region must be physically
 *	contiguous
 * @size: size in bytes, a non-zero multiple of 4
 *
 * Publishes the region in one of the entries the backend keeps for the
 * crash path, with the backend's usual store order, then appends it to the
 * ELF header. From the first call on, the table and the header belong to
 * the crash path: later registrations fail with %-EBUSY.
 *
 * Context: Any context, on the one CPU that handles the crash, with the
 * other CPUs stopped. Takes no lock, allocates nothing, does not sleep.
 * Return: 0; %-EINVAL for a bad name or size; %-ENODEV with no backend;
 * %-ENOSPC when the kept entries are used up; %-EBUSY when a stopped CPU
 * was changing the table; or the backend's error.
 */
VISIBLE_IF_KUNIT int qcom_minidump_core_crash_region_add(struct qcom_minidump *md,
							 const char *name, void *virt_addr,
							 phys_addr_t phys_addr, size_t size)
{
	return qcom_minidump_crash_add(md, name, virt_addr, phys_addr, phys_addr, size);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_crash_region_add);

/**
 * qcom_minidump_core_crash_copy_add() - add a copy of memory at a crash
 * @md: the core
 * @name: region name
 * @virt_addr: virtual address of the memory copied
 * @phys_addr: physical address of the copy, which firmware dumps
 * @at: physical address of the memory copied, physically contiguous
 * @size: size in bytes, a non-zero multiple of 4
 *
 * For memory that the crash path itself goes on changing (the stack it
 * runs on): firmware dumps the copy made at the crash, and the ELF header
 * puts the bytes back where they belong, at @virt_addr and @at, since
 * crash reads memory only by physical address, through the page tables
 * for a vmalloc'ed stack. The segment is read-only (%PF_R), which tells
 * collectors to match it by its name.
 *
 * Context: As qcom_minidump_core_crash_region_add().
 * Return: As qcom_minidump_core_crash_region_add(); -EINVAL too when @at
 * wraps.
 */
VISIBLE_IF_KUNIT int qcom_minidump_core_crash_copy_add(struct qcom_minidump *md,
						       const char *name, void *virt_addr,
						       phys_addr_t phys_addr, phys_addr_t at,
						       size_t size)
{
	phys_addr_t last;

	if (!at || !size || check_add_overflow(at, size - 1, &last)) {
		pr_err("crash: copy %s of %pa, %zu bytes, refused\n", name, &at, size);
		return -EINVAL;
	}
	return qcom_minidump_crash_add(md, name, virt_addr, phys_addr, at, size);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_crash_copy_add);

/**
 * qcom_minidump_core_crash_note_room() - where the crash path writes its notes
 * @md: the core
 * @room: set to the bytes free there
 *
 * Takes the header for the crash path first, as
 * qcom_minidump_core_crash_begin() does, so that nothing is written into
 * the note region while a stopped CPU was changing the header.
 *
 * Context: Any context, on the one CPU that handles the crash. Takes no lock.
 * Return: the free part of the note region, after the notes it holds, or
 * NULL (and @room 0) when the core has no note region or the crash path
 * cannot take the header.
 */
VISIBLE_IF_KUNIT void *qcom_minidump_core_crash_note_room(struct qcom_minidump *md, size_t *room)
{
	if (!md->note.size || qcom_minidump_crash_take(md, "notes")) {
		*room = 0;
		return NULL;
	}
	*room = md->note.size - md->note_len;
	return md->note.virt_addr + md->note_len;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_crash_note_room);

/**
 * qcom_minidump_core_crash_note_add() - make the PT_NOTE cover new notes
 * @md: the core
 * @len: bytes of whole ELF notes written at qcom_minidump_core_crash_note_room()
 *
 * The notes are in the dump already (the note region is dumped whole);
 * this makes the ELF header's PT_NOTE describe them, with the header's
 * usual protocol. Takes the header for the crash path, as
 * qcom_minidump_core_crash_region_add() does.
 *
 * Context: Any context, on the one CPU that handles the crash. Takes no
 * lock, allocates nothing, does not sleep.
 * Return: 0; %-EINVAL if @len is 0, not a multiple of 4 or more than the
 * room; %-ENODEV with no backend; %-EBUSY when a stopped CPU was changing
 * the table.
 */
VISIBLE_IF_KUNIT int qcom_minidump_core_crash_note_add(struct qcom_minidump *md, size_t len)
{
	int ret;

	if (!len || !IS_ALIGNED(len, 4) || len > md->note.size - md->note_len) {
		pr_err("crash: %zu bytes of notes refused, %zu free\n", len,
		       md->note.size - md->note_len);
		return -EINVAL;
	}
	ret = qcom_minidump_crash_take(md, "notes");
	if (ret)
		return ret;
	qcom_minidump_elf_begin(md);
	md->note_len += len;
	qcom_minidump_elf_end(md);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_crash_note_add);

/**
 * qcom_minidump_crash_reserve() - keep room for the crash path
 * @entries: table entries to keep, at most %QCOM_MINIDUMP_CRASH_ENTRIES
 * @note_room: bytes for notes, a multiple of 4
 *
 * qcom_minidump_core_crash_reserve() on the kernel's core.
 *
 * Context: Process context, before the first backend; may sleep.
 * Return: as qcom_minidump_core_crash_reserve().
 */
int qcom_minidump_crash_reserve(unsigned int entries, size_t note_room)
{
	return qcom_minidump_core_crash_reserve(&md_global, entries, note_room);
}

/**
 * qcom_minidump_crash_begin() - take the header and table for the crash path
 *
 * qcom_minidump_core_crash_begin() on the kernel's core.
 *
 * Context: Any context, on the CPU that handles the crash; no lock.
 * Return: as qcom_minidump_core_crash_begin().
 */
int qcom_minidump_crash_begin(void)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_crash_begin);
	return qcom_minidump_core_crash_begin(&md_global);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_crash_begin);

/**
 * qcom_minidump_crash_region_add() - add a region at a crash
 * @name: region name
 * @virt_addr: virtual address, vmalloc too
 * @phys_addr: physical address; the region is physically contiguous
 * @size: size in bytes, a non-zero multiple of 4
 *
 * qcom_minidump_core_crash_region_add() on the kernel's core.
 *
 * Context: Any context, on the CPU that handles the crash; no lock.
 * Return: as qcom_minidump_core_crash_region_add().
 */
int qcom_minidump_crash_region_add(const char *name, void *virt_addr, phys_addr_t phys_addr,
				   size_t size)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_crash_region_add, name, virt_addr, phys_addr,
				   size);
	return qcom_minidump_core_crash_region_add(&md_global, name, virt_addr, phys_addr, size);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_crash_region_add);

/**
 * qcom_minidump_crash_copy_add() - add a copy of memory at a crash
 * @name: region name
 * @virt_addr: virtual address of the memory copied
 * @phys_addr: physical address of the copy
 * @at: physical address of the memory copied
 * @size: size in bytes, a non-zero multiple of 4
 *
 * qcom_minidump_core_crash_copy_add() on the kernel's core.
 *
 * Context: Any context, on the CPU that handles the crash; no lock.
 * Return: as qcom_minidump_core_crash_copy_add().
 */
int qcom_minidump_crash_copy_add(const char *name, void *virt_addr, phys_addr_t phys_addr,
				 phys_addr_t at, size_t size)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_crash_copy_add, name, virt_addr, phys_addr, at,
				   size);
	return qcom_minidump_core_crash_copy_add(&md_global, name, virt_addr, phys_addr, at, size);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_crash_copy_add);

/**
 * qcom_minidump_crash_note_room() - where the crash path writes its notes
 * @room: set to the bytes free there
 *
 * Context: Any context.
 * Return: as qcom_minidump_core_crash_note_room().
 */
void *qcom_minidump_crash_note_room(size_t *room)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_crash_note_room, room);
	return qcom_minidump_core_crash_note_room(&md_global, room);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_crash_note_room);

/**
 * qcom_minidump_crash_note_add() - make the PT_NOTE cover new notes
 * @len: bytes of notes written at qcom_minidump_crash_note_room()
 *
 * Context: Any context, on the CPU that handles the crash; no lock.
 * Return: as qcom_minidump_core_crash_note_add().
 */
int qcom_minidump_crash_note_add(size_t len)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_crash_note_add, len);
	return qcom_minidump_core_crash_note_add(&md_global, len);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_crash_note_add);

/* ---- cores ---- */

/* linux_banner leads the regions; the note comes with the first backend. */
static void qcom_minidump_core_init(struct qcom_minidump *md, bool with_note)
{
	size_t len = ALIGN(strlen(linux_banner) + 1, 4);

	qcom_minidump_entry_init(&md->banner, MD_BANNER_NAME + 1, (void *)linux_banner,
				 __pa_symbol(linux_banner), len);
	guard(mutex)(&md->lock);
	md->with_note = with_note;
	list_add(&md->banner.node, &md->pending);
	rb_add(&md->banner.by_phys, &md->by_phys, qcom_minidump_phys_less);
	md->nr_regions++;
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * qcom_minidump_core_alloc() - a core of a KUnit test's own
 * @with_note: register the vmcoreinfo note as the real core does
 *
 * Context: Process context; may sleep.
 * Return: the core, with linux_banner registered and no backend, or NULL.
 */
VISIBLE_IF_KUNIT struct qcom_minidump *qcom_minidump_core_alloc(bool with_note)
{
	struct qcom_minidump *md = kzalloc(sizeof(*md), GFP_KERNEL);

	if (!md)
		return NULL;
	mutex_init(&md->lock);
	atomic_set(&md->state, MD_IDLE);
	INIT_LIST_HEAD(&md->loads);
	INIT_LIST_HEAD(&md->pending);
	INIT_LIST_HEAD(&md->standby);
	atomic_set(&md->stale, 0);
	INIT_WORK(&md->drop_work, qcom_minidump_drop_work);
	md->by_phys = RB_ROOT;
	qcom_minidump_core_init(md, with_note);
	return md;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_alloc);

/**
 * qcom_minidump_core_free() - free a core from qcom_minidump_core_alloc()
 * @md: the core, with no backend; regions still registered are forgotten
 *
 * Context: Process context.
 */
VISIBLE_IF_KUNIT void qcom_minidump_core_free(struct qcom_minidump *md)
{
	struct qcom_minidump_entry *entry, *tmp;

	if (!md)
		return;
	WARN_ON(md->backend);
	cancel_work_sync(&md->drop_work);
	/* Left for firmware by a backend unregistered after the crash path, or waiting. */
	list_splice_init(&md->loads, &md->pending);
	list_for_each_entry_safe(entry, tmp, &md->pending, node) {
		if (entry == &md->banner)
			continue;
		if (entry->md == md) {
			qcom_minidump_untrack(entry);
			qcom_minidump_entry_free(entry);
		} else {
			kfree(entry);
		}
	}
	kfree(md->elf.virt_addr);
	kfree(md->note.virt_addr);
	mutex_destroy(&md->lock);
	kfree(md);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_free);

/**
 * qcom_minidump_core_flush_drops() - wait for a core's free check to finish its work
 * @md: the core
 *
 * Context: Process context; may sleep.
 */
VISIBLE_IF_KUNIT void qcom_minidump_core_flush_drops(struct qcom_minidump *md)
{
	flush_work(&md->drop_work);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_flush_drops);

/**
 * qcom_minidump_core_has_backend() - whether a backend is registered with a core
 * @md: the core
 *
 * Context: Process context; takes @md's mutex.
 * Return: true if a backend is registered.
 */
VISIBLE_IF_KUNIT bool qcom_minidump_core_has_backend(struct qcom_minidump *md)
{
	guard(mutex)(&md->lock);
	return !!md->backend;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_has_backend);

/**
 * qcom_minidump_core_crash_undo() - take back what a core's crash path added
 * @md: a KUnit test's core, after its crash path ran
 *
 * Retracts the crash path's regions and notes, and lets changes in again,
 * so that the test's cleanup can unregister its backend.
 *
 * Context: Process context; takes @md's mutex.
 */
VISIBLE_IF_KUNIT void qcom_minidump_core_crash_undo(struct qcom_minidump *md)
{
	struct qcom_minidump_backend *backend;
	const struct elf_note *n;

	guard(mutex)(&md->lock);

	backend = md->backend;
	while (backend && md->crash_used) {
		struct qcom_minidump_entry *entry = &md->crash[--md->crash_used];

		md->nr_loads--;
		qcom_minidump_elf_remove(md, entry, NULL);
		backend->ops->region_unregister(backend, entry);
		rb_erase(&entry->by_phys, &md->by_phys);
		RB_CLEAR_NODE(&entry->by_phys);
	}
	n = md->note.virt_addr;
	if (backend && n) {
		qcom_minidump_elf_begin(md);
		md->note_len = qcom_minidump_elf_note_size(n);
		qcom_minidump_elf_end(md);
	}
	atomic_set(&md->state, MD_IDLE);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_crash_undo);

/**
 * qcom_minidump_global_core() - the kernel's core, that backends register with
 *
 * Context: any.
 * Return: the core.
 */
VISIBLE_IF_KUNIT struct qcom_minidump *qcom_minidump_global_core(void)
{
	return &md_global;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_global_core);

#endif /* CONFIG_KUNIT */

/* ---- moving regions ---- */

/*
 * A moving region is dumped where its client points it at the moment,
 * which changes without the mutex: each CPU's current stack and task,
 * retargeted at every context switch (qcom_minidump_bite.c). Its name and
 * size never change; its address does, in the backend's table and in the
 * ELF header, at once for firmware's purposes:
 *
 *  1. the backend hides the table entry (valid first, as for a removal);
 *  2. the program header's p_paddr becomes 0, which no collector matches
 *     to a dumped file; then p_vaddr (and the section's sh_addr) take the
 *     new virtual address, and p_paddr the new physical one last;
 *  3. the backend stores the new address in the entry, then valid.
 *
 * So after any store a program header pairs a virtual address with the
 * physical address that backs it, or with none: a collector matches a
 * dumped file to it by p_paddr, and every file it can match holds the
 * memory at p_vaddr (a file at the old address is the old memory, at
 * the new address the new). The header's magic is not touched: each step
 * leaves it true. Offsets and sizes never change, so no other program
 * header moves.
 *
 * Every change under the mutex (a removal moves the program headers
 * after it; a backend comes or goes) first stops the retargets: it sets
 * &qcom_minidump.moving_frozen, then waits for every CPU that is in a
 * retarget to leave it. A retarget says it is in one (a per-CPU word; it
 * runs with preemption off) before it looks at the flag, with a full
 * barrier on both sides, so either the mutex holder waits for it or it
 * sees the flag and changes nothing. The region then keeps its last
 * address until the client's next retarget.
 */

/**
 * struct qcom_minidump_moving - a client's moving region
 * @entry:	the core's entry; first, so that the core frees it as any other
 * @md:		the core it is registered with
 */
struct qcom_minidump_moving {
	struct qcom_minidump_entry entry;
	struct qcom_minidump *md;
};

/* The CPUs in a retarget: the mutex holder waits for them to leave. */
static DEFINE_PER_CPU(int, md_moving_busy);

/* Stop the retargets before the mutex holder moves entries. */
static bool qcom_minidump_moving_freeze(struct qcom_minidump *md)
{
	unsigned int cpu;

	lockdep_assert_held(&md->lock);

	if (!md->nr_moving || md->moving_frozen)
		return false;
	WRITE_ONCE(md->moving_frozen, true);
	smp_mb();	/* frozen before the look at the CPUs; pairs with the retarget's */
	for_each_possible_cpu(cpu) {
		/* Acquire: what a retarget stored before it left is seen. */
		while (smp_load_acquire(per_cpu_ptr(&md_moving_busy, cpu)))
			cpu_relax();
	}
	return true;
}

static void qcom_minidump_moving_thaw(struct qcom_minidump *md)
{
	lockdep_assert_held(&md->lock);

	if (!md->moving_frozen)
		return;
	/* Release: the changes are in memory before a retarget sees the flag clear. */
	smp_store_release(&md->moving_frozen, false);
}

/**
 * qcom_minidump_moving_store() - the one store to the ELF header of a retarget
 * @dst: an 8-byte field of a program or section header
 * @val: the value
 *
 * One single-copy atomic store. KUnit intercepts it to read the dump
 * after every store of a retarget.
 *
 * Context: Any context.
 */
void qcom_minidump_moving_store(void *dst, u64 val)
{
	KUNIT_STATIC_STUB_REDIRECT(qcom_minidump_moving_store, dst, val);

	WRITE_ONCE(*(u64 *)dst, val);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_moving_store);

/**
 * qcom_minidump_core_moving_register() - register a region whose address will change
 * @md: the core, from qcom_minidump_kernel_core() (or a KUnit test's own)
 * @name: region name, as for &qcom_minidump_region.name
 * @virt_addr: where it starts now: any kernel address, vmalloc and stacks too
 * @phys_addr: physical address of @virt_addr
 * @size: size in bytes, a non-zero multiple of 4; it never changes
 *
 * As qcom_minidump_region_register(), for a region the client points
 * elsewhere with qcom_minidump_core_moving_retarget(), without the mutex.
 * Its memory is not checked: the client says what it is and keeps it
 * physically contiguous. Several moving regions may start at the same
 * address (the same task's stack, seen from two CPUs' slots).
 *
 * Context: Process context; takes @md's mutex and may sleep.
 * Return: the region, or an ERR_PTR(): %-EINVAL for a bad name, size or
 * address, %-ENAMETOOLONG, %-ENOMEM, %-ENOSPC, %-EBUSY as for
 * qcom_minidump_region_register().
 */
struct qcom_minidump_moving *qcom_minidump_core_moving_register(struct qcom_minidump *md,
								const char *name, void *virt_addr,
								phys_addr_t phys_addr, size_t size)
{
	struct qcom_minidump_moving *mv;
	int ret;

	if (!name) {
		pr_err("moving region without a name refused\n");
		return ERR_PTR(-EINVAL);
	}
	ret = qcom_minidump_check_name(name);
	if (ret)
		return ERR_PTR(ret);
	if (!virt_addr || !size || !IS_ALIGNED(size, 4)) {
		pr_err("moving region %s at %p of %zu bytes refused\n", name, virt_addr, size);
		return ERR_PTR(-EINVAL);
	}

	mv = kzalloc(sizeof(*mv), GFP_KERNEL);
	if (!mv)
		return ERR_PTR(-ENOMEM);
	qcom_minidump_entry_init(&mv->entry, name, virt_addr, phys_addr, size);
	mv->entry.moves = true;
	mv->md = md;

	ret = qcom_minidump_lock(md);
	if (ret)
		goto free;
	if (md->backend) {
		ret = qcom_minidump_publish(md, &mv->entry);
		if (ret) {
			pr_err("moving region %s: not registered: %s (%u entries): %pe\n", name,
			       qcom_minidump_refusal(ret), md->backend->max_regions, ERR_PTR(ret));
			qcom_minidump_unlock(md);
			goto free;
		}
	} else if (md->nr_regions + 2 >= QCOM_MINIDUMP_MAX_ENTRIES) {
		pr_err("moving region %s: %u regions are waiting for a backend already\n", name,
		       md->nr_regions);
		ret = -ENOSPC;
		qcom_minidump_unlock(md);
		goto free;
	} else {
		list_add_tail(&mv->entry.node, &md->pending);
	}
	md->nr_regions++;
	md->nr_moving++;
	qcom_minidump_unlock(md);
	return mv;

free:
	kfree(mv);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_moving_register);

/**
 * qcom_minidump_core_moving_unregister() - unregister a moving region
 * @mv: the region, or NULL or an ERR_PTR() (nothing happens)
 *
 * The region leaves the ELF header and the backend as any other, and is
 * freed. The client stops retargeting it first.
 *
 * Context: Process context; takes the core's mutex and may sleep.
 */
void qcom_minidump_core_moving_unregister(struct qcom_minidump_moving *mv)
{
	struct qcom_minidump *md;

	if (IS_ERR_OR_NULL(mv))
		return;
	md = mv->md;
	/* After a crash the table stays as it is, for firmware. */
	if (qcom_minidump_lock(md))
		return;
	qcom_minidump_del(md, &mv->entry);
	md->nr_moving--;
	qcom_minidump_unlock(md);
	kfree(mv);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_moving_unregister);

/* The stores of a move, in the order of "moving regions" above. */
static void qcom_minidump_moving_move(struct qcom_minidump *md, struct qcom_minidump_entry *entry,
				      void *virt_addr, phys_addr_t phys_addr)
{
	struct qcom_minidump_backend *backend = md->backend;
	struct elf64_phdr *p = md_phdr(md, 1 + entry->index);
	struct elf64_shdr *s = md_shdr(md, MD_SHDR_FIRST_LOAD + entry->index);

	backend->ops->moving_hide(backend, entry);
	qcom_minidump_moving_store(&p->p_paddr, 0);
	wmb();	/* no file matches the program header before it moves */
	qcom_minidump_moving_store(&p->p_vaddr, (unsigned long)virt_addr);
	qcom_minidump_moving_store(&s->sh_addr, (unsigned long)virt_addr);
	wmb();	/* the new virtual address before the physical one */
	qcom_minidump_moving_store(&p->p_paddr, phys_addr);
	entry->virt_addr = virt_addr;
	entry->phys_addr = phys_addr;
	wmb();	/* the header is whole before firmware dumps the entry again */
	backend->ops->moving_show(backend, entry);
}

/*
 * The crash path adds a region at @start, @size bytes: a copy of a stack,
 * the memory in place, a task. A moving region over any of it (a CPU's
 * current stack or task) leaves the dump (hidden, its program header at
 * address 0, which nothing reads), so that no two program headers give
 * one address, virtual or physical, and no two table entries one start:
 * the crash path's region has the bytes. The crash path owns the table;
 * the other CPUs are stopped.
 */
static void qcom_minidump_moving_follow(struct qcom_minidump *md, unsigned long start,
					size_t size)
{
	struct qcom_minidump_entry *entry;

	if (!md->nr_moving || !md->backend->ops->moving_hide)
		return;
	list_for_each_entry(entry, &md->loads, node) {
		struct elf64_shdr *sh = md_shdr(md, MD_SHDR_FIRST_LOAD + entry->index);
		struct elf64_phdr *p = md_phdr(md, 1 + entry->index);
		unsigned long virt = (unsigned long)entry->virt_addr;

		if (!entry->moves || virt >= start + size || start >= virt + entry->size)
			continue;
		md->backend->ops->moving_hide(md->backend, entry);
		qcom_minidump_moving_store(&p->p_paddr, 0);
		wmb();	/* no file matches it before it leaves */
		qcom_minidump_moving_store(&p->p_vaddr, 0);
		qcom_minidump_moving_store(&sh->sh_addr, 0);
	}
}

/**
 * qcom_minidump_core_moving_retarget() - point a moving region at other memory
 * @mv: the region
 * @virt_addr: where it starts now
 * @phys_addr: physical address of @virt_addr; the region's size from there
 *	must be physically contiguous
 *
 * Moves the region in the backend's table and in the ELF header in the
 * order of "moving regions" above, so that a crash after any store leaves
 * a dump in which the region is the old memory, the new memory, or not
 * there; never one address paired with the other's memory. While the
 * mutex holder changes the table (rarely: registrations, backends) the
 * region keeps its address and -EBUSY says so. Without a backend only
 * the address to publish later changes.
 *
 * Context: Any context with preemption off (the scheduler's included),
 * which it must not leave. The caller keeps two retargets of the same region apart (one CPU's
 * regions from that CPU only). Takes no lock, allocates nothing, does
 * not sleep.
 * Return: 0, or %-EBUSY when the region did not move.
 */
int qcom_minidump_core_moving_retarget(struct qcom_minidump_moving *mv, void *virt_addr,
				       phys_addr_t phys_addr)
{
	struct qcom_minidump_entry *entry = &mv->entry;
	struct qcom_minidump *md = mv->md;
	int *busy = this_cpu_ptr(&md_moving_busy);
	int ret = 0;

	WRITE_ONCE(*busy, 1);
	smp_mb();	/* busy before the look at the flag; pairs with the freeze */
	if (READ_ONCE(md->moving_frozen) || atomic_read(&md->state) == MD_CRASHED) {
		ret = -EBUSY;
		goto out;
	}
	if (entry->virt_addr == virt_addr && entry->phys_addr == phys_addr)
		goto out;
	if (!entry->published) {
		/* The backend that comes publishes it there. */
		entry->virt_addr = virt_addr;
		entry->phys_addr = phys_addr;
		goto out;
	}
	if (!md->backend->ops->moving_hide) {
		ret = -EBUSY;
		goto out;
	}

	qcom_minidump_moving_move(md, entry, virt_addr, phys_addr);
out:
	/* Release: our stores are in memory before the mutex holder goes on. */
	smp_store_release(busy, 0);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_moving_retarget);

/**
 * qcom_minidump_core_fixed_register() - register a region with a given core
 * @md: the core, from qcom_minidump_kernel_core() (or a KUnit test's own)
 * @region: the region
 *
 * qcom_minidump_region_register() on @md, for a built-in client that
 * keeps its core, as the moving regions' client does, so that its KUnit
 * suite can run it against a core of its own.
 *
 * Context: Process context; takes @md's mutex and may sleep.
 * Return: as qcom_minidump_region_register().
 */
int qcom_minidump_core_fixed_register(struct qcom_minidump *md,
				      const struct qcom_minidump_region *region)
{
	return qcom_minidump_core_region_register(md, region);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_fixed_register);

/**
 * qcom_minidump_core_fixed_unregister() - unregister a region from a given core
 * @md: the core
 * @region: the region
 *
 * Context: Process context; takes @md's mutex and may sleep.
 * Return: as qcom_minidump_region_unregister().
 */
int qcom_minidump_core_fixed_unregister(struct qcom_minidump *md,
					const struct qcom_minidump_region *region)
{
	return qcom_minidump_core_region_unregister(md, region);
}
EXPORT_SYMBOL_IF_KUNIT(qcom_minidump_core_fixed_unregister);

/**
 * qcom_minidump_kernel_core() - the kernel's core, for built-in clients
 *
 * Context: Any context.
 * Return: the core that qcom_minidump_region_register() uses.
 */
struct qcom_minidump *qcom_minidump_kernel_core(void)
{
	return &md_global;
}

static int __init qcom_minidump_init(void)
{
	int ret;

	qcom_minidump_core_init(&md_global, true);
#ifdef CONFIG_MODULES
	ret = register_module_notifier(&qcom_minidump_module_nb);
	if (ret)
		pr_warn("no module notifier: regions of modules that unload stay: %pe\n",
			ERR_PTR(ret));
#endif
	ret = register_memory_notifier(&qcom_minidump_memory_nb);
	if (ret)
		pr_warn("no memory notifier: regions in memory that goes offline stay: %pe\n",
			ERR_PTR(ret));
	return 0;
}
early_initcall(qcom_minidump_init);

#ifdef CONFIG_MODULES
/**
 * qcom_minidump_module_text() - where a module's .text section starts
 * @mod: the module
 *
 * Debuggers place a module's symbols by its .text. Its code memory starts
 * with .text when GNU ld linked it; lld puts .plt first, so then .text is
 * where the lowest function is, when none starts the code memory. For the
 * clients that tell debuggers where modules are.
 *
 * Context: Preemption disabled: the module's symbols are read under
 * RCU-sched.
 * Return: the address of the module's .text.
 */
unsigned long qcom_minidump_module_text(struct module *mod)
{
	unsigned long base = (unsigned long)mod->mem[MOD_TEXT].base;
#ifdef CONFIG_KALLSYMS
	struct mod_kallsyms *ks = rcu_dereference_sched(mod->kallsyms);
	unsigned long lowest = ULONG_MAX;
	unsigned int i;

	for (i = 0; i < ks->num_symtab; i++) {
		unsigned long value = ks->symtab[i].st_value;

		if (ELF_ST_TYPE(ks->symtab[i].st_info) != STT_FUNC ||
		    !within_module_mem_type(value, mod, MOD_TEXT))
			continue;
		if (value == base)
			return base;
		lowest = min(lowest, value);
	}
	if (lowest != ULONG_MAX)
		return lowest;
#endif
	return base;
}
#endif

#if IS_ENABLED(CONFIG_QCOM_MINIDUMP_CRASH) || IS_ENABLED(CONFIG_QCOM_MINIDUMP_BITE)
/* Record the table page that holds @entry, unless it is the one above (folded). */
static void md_table_page(const void *entry, unsigned long *above, phys_addr_t *phys,
			  unsigned int *n)
{
	unsigned long page = (unsigned long)entry & PAGE_MASK;

	if (page == *above)
		return;
	*above = page;
	/* The tables of the kernel image's own mappings may lie in the image. */
	phys[(*n)++] = is_kernel(page) ? __pa_symbol(page) : __pa(page);
}

/**
 * qcom_minidump_table_pages() - the kernel page-table pages that map an address
 * @addr: a kernel virtual address
 * @phys: filled with the physical addresses of the table pages below the
 *	PGD that map @addr, from the top down, each once
 *
 * crash reads an address outside the linear map and the kernel image (a
 * vmalloc'ed stack) only by walking the kernel's page tables from
 * swapper_pg_dir: these pages must be in the dump with the memory. A
 * folded level adds no page; a block mapping or an empty entry ends the
 * walk. For the clients that dump such memory.
 *
 * Context: Any; takes no lock. The kernel never frees the tables that map
 * memory in use, such as a live task's stack.
 * Return: the number of pages, 0 to %QCOM_MINIDUMP_TABLE_LEVELS.
 */
unsigned int qcom_minidump_table_pages(unsigned long addr,
				       phys_addr_t phys[QCOM_MINIDUMP_TABLE_LEVELS])
{
	pgd_t *pgdp = pgd_offset_k(addr);
	unsigned long above = (unsigned long)pgdp & PAGE_MASK;
	unsigned int n = 0;
	p4d_t *p4dp;
	pud_t *pudp;
	pmd_t *pmdp;

	if (pgd_none(READ_ONCE(*pgdp)))
		return 0;
	p4dp = p4d_offset(pgdp, addr);
	md_table_page(p4dp, &above, phys, &n);
	if (p4d_none(READ_ONCE(*p4dp)) || p4d_leaf(READ_ONCE(*p4dp)))
		return n;
	pudp = pud_offset(p4dp, addr);
	md_table_page(pudp, &above, phys, &n);
	if (pud_none(READ_ONCE(*pudp)) || pud_leaf(READ_ONCE(*pudp)))
		return n;
	pmdp = pmd_offset(pudp, addr);
	md_table_page(pmdp, &above, phys, &n);
	if (pmd_none(READ_ONCE(*pmdp)) || pmd_leaf(READ_ONCE(*pmdp)))
		return n;
	md_table_page(pte_offset_kernel(pmdp, addr), &above, phys, &n);
	return n;
}
#endif

// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: put the kernel's regions together into one ELF core file, as
 * the ELF header region ("KELF") describes it, and check such a file.
 *
 * The header comes first, then the PT_NOTE's region (the note body), cut
 * to the notes in it that are whole, then for each PT_LOAD its region, cut
 * or zero-padded to p_filesz, each followed by a guard (see "The plan"
 * below); the header's offsets are rewritten to match. Kernel regions are
 * the valid ones whose name starts with 'K'. A segment's region is:
 *
 *  - the kernel region at the segment's p_paddr, when the dump gives
 *    addresses (a table in RAM, a rawdump, dump_info.txt); the name the
 *    header gives the segment (its section's) is a cross-check, and a
 *    region of another name there is reported;
 *  - for a read-only segment, a copy (the kernel's, at the crash, of a
 *    stack it went on using): the region with the name the header gives
 *    the segment;
 *  - otherwise, the kernel region with the name the header gives the
 *    segment (with or without the leading 'K'), among regions whose
 *    address is not known (md files dump_info.txt does not list).
 *
 * Nothing else is taken for a segment, so a stray region is never taken for
 * the note. When several regions qualify, the first in the dump's order
 * wins (table order; rawdump section order; dump_info.txt line order, then
 * file name): never the order a directory is read in. Candidates that
 * differ are reported. Every report of damage makes the exit status 4, in
 * "assemble" and "verify" alike: both follow one plan.
 */

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minidump.h"

#define MAX_HEADER	(16u << 20)
#define MAX_NOTE	(16u << 20)
#define MAX_FILESZ	(1ULL << 40)
#define MAX_COMPARE	(64u << 20)
#define HEADER_PREFIX	"KELF"
#define NOTE_HDR	12

/* A name's leading 'K', or 'k' when a collection may have changed its case. */
static bool kernel_name(const struct region *r, const char *name)
{
	return name[0] == 'K' || (r->nocase && name[0] == 'k');
}

static bool kernel_region(const struct region *r)
{
	return r->valid && kernel_name(r, r->name) &&
	       (r->ss < 0 || r->ss == QCOM_MINIDUMP_SS_APSS);
}

static bool starts_elf(const struct dump *d, const struct region *r)
{
	unsigned char magic[SELFMAG];

	return r->size >= SELFMAG && region_read(d, r, 0, magic, SELFMAG) == SELFMAG &&
	       !memcmp(magic, ELFMAG, SELFMAG);
}

/* Whether two regions hold the same bytes, as far as can be told cheaply. */
static bool same_region(const struct dump *d, const struct region *a, const struct region *b)
{
	unsigned char *x, *y;
	uint64_t off;
	bool same = true;

	if (a->size != b->size || a->present != b->present || a->size > MAX_COMPARE)
		return false;
	if (a->src == SRC_RAM && b->src == SRC_RAM && a->addr == b->addr)
		return true;
	x = malloc(a->size && a->size < IO_CHUNK ? a->size : IO_CHUNK);
	y = malloc(a->size && a->size < IO_CHUNK ? a->size : IO_CHUNK);
	for (off = 0; x && y && same && off < a->size; off += IO_CHUNK) {
		size_t n = a->size - off < IO_CHUNK ? a->size - off : IO_CHUNK;

		region_read(d, a, off, x, n);
		region_read(d, b, off, y, n);
		same = !memcmp(x, y, n);
	}
	if (!x || !y)
		same = false;
	free(x);
	free(y);
	return same;
}

/* A name KELF..., the header region's. */
static bool header_name(const struct region *r)
{
	size_t n = strlen(HEADER_PREFIX);

	return r->nocase ? !strncasecmp(r->name, HEADER_PREFIX, n) :
			   !strncmp(r->name, HEADER_PREFIX, n);
}

/*
 * A region's name and the name the header gives a segment, with or
 * without the region's leading 'K'; with @nocase, in any case (a name from
 * a file name that a collection may have changed).
 */
static bool names_match(const struct region *r, const char *header, bool nocase)
{
	int (*cmp)(const char *, const char *) = nocase ? strcasecmp : strcmp;

	return !cmp(r->name, header) || (kernel_name(r, r->name) && !cmp(r->name + 1, header));
}

/* A section of the header: the segment at the same offset gets its name. */
struct kelf_name {
	uint64_t off;
	uint64_t size;
	const char *name;
};

/* The header region's bytes, parsed, and what was found wrong so far. */
struct kelf {
	const struct region *hdr;
	unsigned char *buf;
	Elf *elf;
	GElf_Ehdr ehdr;
	size_t phnum;
	struct kelf_name *names;
	size_t nr_names;
	unsigned int problems;
};

/* One message about damage in the dump; it makes the exit status 4. */
static void __attribute__((format(printf, 2, 3))) problem(struct kelf *k, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s", msg);
	k->problems++;
}

/*
 * The header region: a kernel region named KELF... that starts with the
 * ELF magic (one without the magic only if there is no other, so that a
 * header caught being rewritten is reported as such); without any KELF
 * name, the first kernel region that starts with the magic.
 */
static const struct region *find_header(const struct dump *d, struct kelf *k)
{
	const struct region *named = NULL, *found = NULL;
	size_t i;

	for (i = 0; i < d->nr_regions; i++) {
		const struct region *r = &d->regions[i];

		if (!kernel_region(r) || !header_name(r))
			continue;
		if (!named)
			named = r;
		if (!starts_elf(d, r))
			continue;
		if (!found)
			found = r;
		else if (!same_region(d, found, r))
			problem(k, "ELF headers %s and %s differ; %s taken (dump order)",
				found->where, r->where, found->where);
	}
	if (found || named)
		return found ? found : named;
	for (i = 0; i < d->nr_regions; i++)
		if (kernel_region(&d->regions[i]) && starts_elf(d, &d->regions[i]))
			return &d->regions[i];
	return NULL;
}

static int cmp_names(const void *a, const void *b)
{
	const struct kelf_name *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return 0;
}

/* Collect the sections' names, sorted by offset and size for lookups. */
static int read_names(struct kelf *k)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(k->elf, &shstrndx))
		return 0;	/* no names: matching by address only */
	while ((scn = elf_nextscn(k->elf, scn))) {
		struct kelf_name *more;
		const char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NULL || sh.sh_type == SHT_STRTAB ||
		    sh.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(k->elf, shstrndx, sh.sh_name);
		if (!name || !*name)
			continue;
		if (k->nr_names % 64 == 0) {
			more = realloc(k->names, (k->nr_names + 64) * sizeof(*more));
			if (!more)
				return -EXIT_SYSTEM;
			k->names = more;
		}
		k->names[k->nr_names].off = sh.sh_offset;
		k->names[k->nr_names].size = sh.sh_size;
		k->names[k->nr_names].name = name;
		k->nr_names++;
	}
	if (k->nr_names)
		qsort(k->names, k->nr_names, sizeof(*k->names), cmp_names);
	return 0;
}

/* The name the header gives a segment: its section's, or NULL. */
static const char *segment_name(const struct kelf *k, const GElf_Phdr *ph)
{
	struct kelf_name key = { .off = ph->p_offset, .size = ph->p_filesz };
	const struct kelf_name *n;

	if (!k->nr_names)
		return NULL;
	n = bsearch(&key, k->names, k->nr_names, sizeof(*n), cmp_names);
	if (!n)
		return NULL;
	while (n > k->names && !cmp_names(n - 1, &key))
		n--;
	return n->name;
}

static void kelf_close(struct kelf *k)
{
	if (k->elf)
		elf_end(k->elf);
	free(k->names);
	free(k->buf);
}

static int kelf_open(const struct dump *d, struct kelf *k)
{
	GElf_Ehdr *ehdr = &k->ehdr;

	memset(k, 0, sizeof(*k));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EXIT_SYSTEM;
	k->hdr = find_header(d, k);
	if (!k->hdr) {
		warnx("no KELF region: the dump has no ELF header from the kernel");
		return -EXIT_INPUT;
	}
	if (k->hdr->size < sizeof(Elf64_Ehdr) || k->hdr->size > MAX_HEADER) {
		warnx("%s: KELF region of %" PRIu64 " bytes is not an ELF header", k->hdr->where,
		      k->hdr->size);
		return -EXIT_INPUT;
	}
	k->buf = malloc(k->hdr->size);
	if (!k->buf)
		return -EXIT_SYSTEM;
	if (region_read(d, k->hdr, 0, k->buf, k->hdr->size) != k->hdr->size) {
		warnx("%s: KELF region is short", k->hdr->where);
		return -EXIT_INPUT;
	}
	if (memcmp(k->buf, ELFMAG, SELFMAG)) {
		/* The kernel clears the magic while it rewrites the header. */
		warnx("%s: no ELF magic: the kernel was rewriting the header when it stopped",
		      k->hdr->where);
		return -EXIT_INPUT;
	}
	k->elf = elf_memory((char *)k->buf, k->hdr->size);
	if (!k->elf || !gelf_getehdr(k->elf, ehdr) || gelf_getclass(k->elf) != ELFCLASS64 ||
	    ehdr->e_type != ET_CORE || elf_getphdrnum(k->elf, &k->phnum)) {
		warnx("%s: not a 64-bit ELF core header: %s", k->hdr->where, elf_errmsg(-1));
		return -EXIT_INPUT;
	}
	return read_names(k);
}

/* A segment of the header, as the messages name it. */
struct segment {
	GElf_Phdr ph;
	const char *name;	/* from the header's sections, or NULL */
	char what[64];		/* "PT_LOAD 3 (KDATA)" */
};

static bool get_segment(const struct kelf *k, size_t p, struct segment *s)
{
	if (!gelf_getphdr(k->elf, p, &s->ph))
		return false;
	s->name = segment_name(k, &s->ph);
	snprintf(s->what, sizeof(s->what), "%s %zu%s%.32s%s",
		 s->ph.p_type == PT_NOTE ? "PT_NOTE" : "PT_LOAD", p, s->name ? " (" : "",
		 s->name ? s->name : "", s->name ? ")" : "");
	return true;
}

/* The first PT_NOTE: the note body's segment; -1 if none (older layout). */
static long note_index(const struct kelf *k)
{
	size_t p;

	for (p = 0; p < k->phnum; p++) {
		GElf_Phdr ph;

		if (gelf_getphdr(k->elf, p, &ph) && ph.p_type == PT_NOTE)
			return p;
	}
	return -1;
}

/*
 * How a segment is matched: by address; else as a copy (below); else by
 * name, in its case first.
 */
enum match_by { BY_ADDR, BY_COPY, BY_NAME, BY_NAME_NOCASE, NR_MATCH_BY };

/* The regions a segment may take, in dump order; see the top of the file. */
static bool candidate(const struct kelf *k, const struct region *r, const struct segment *s,
		      enum match_by by)
{
	if (!kernel_region(r) || r == k->hdr)
		return false;
	if (by == BY_ADDR)
		return r->have_addr && r->addr == s->ph.p_paddr;
	/*
	 * A copy the kernel made at the crash of memory it went on changing
	 * (the stack the crash path runs on), marked by a read-only segment:
	 * firmware dumped the copy, the header gives the memory's own
	 * address. Its region is the one with the segment's name.
	 */
	if (by == BY_COPY)
		return !(s->ph.p_flags & PF_W) && r->have_addr && s->name &&
		       names_match(r, s->name, false);
	if (by == BY_NAME_NOCASE && !r->nocase)
		return false;
	return !r->have_addr && s->name && names_match(r, s->name, by == BY_NAME_NOCASE);
}

static const struct region *match_segment(const struct dump *d, struct kelf *k,
					  const struct segment *s)
{
	/* A read-only segment, a copy, by its name first: its address is not the table's. */
	static const enum match_by order[2][NR_MATCH_BY] = {
		{ BY_ADDR, BY_COPY, BY_NAME, BY_NAME_NOCASE },
		{ BY_COPY, BY_ADDR, BY_NAME, BY_NAME_NOCASE },
	};
	const enum match_by *by_order = order[!(s->ph.p_flags & PF_W)];
	const struct region *found = NULL;
	enum match_by by;
	size_t i, o;

	for (o = 0; o < NR_MATCH_BY && !found; o++) {
		by = by_order[o];
		for (i = 0; i < d->nr_regions; i++) {
			const struct region *r = &d->regions[i];

			if (!candidate(k, r, s, by))
				continue;
			if (!found)
				found = r;
			else if (!same_region(d, found, r))
				problem(k, "%s: %s and %s match and differ; %s taken (dump order)",
					s->what, found->where, r->where, found->where);
			/* The same bytes in two entries (a task in two CPUs' sets): its name's. */
			else if (s->name && !names_match(found, s->name, found->nocase) &&
				 names_match(r, s->name, r->nocase))
				found = r;
		}
	}
	if (found && found->have_addr && s->name && !names_match(found, s->name, found->nocase))
		problem(k, "%s at %#" PRIx64 ": the header says %s, the region there is %s (%s)",
			s->what, (uint64_t)s->ph.p_paddr, s->name, found->name, found->where);
	return found;
}

/* For a segment no region matched: a region with its name elsewhere. */
static const struct region *named_elsewhere(const struct dump *d, const struct kelf *k,
					    const struct segment *s)
{
	size_t i;

	for (i = 0; s->name && i < d->nr_regions; i++) {
		const struct region *r = &d->regions[i];

		if (kernel_region(r) && r != k->hdr && r->have_addr &&
		    names_match(r, s->name, r->nocase))
			return r;
	}
	return NULL;
}

static void report_missing(const struct dump *d, struct kelf *k, const struct segment *s)
{
	const struct region *other = named_elsewhere(d, k, s);
	char hint[192] = "";

	if (other)
		snprintf(hint, sizeof(hint), " (%.100s has its name, at %#" PRIx64 ")",
			 other->where, other->addr);
	if (s->ph.p_type == PT_NOTE)
		problem(k, "%s at %#" PRIx64 ": no note region in the dump%s; %s", s->what,
			(uint64_t)s->ph.p_paddr, hint,
			"the core's PT_NOTE is empty: no VMCOREINFO, no registers");
	else
		problem(k, "%s at %#" PRIx64 ": no region in the dump%s, %" PRIu64
			" bytes zero-filled", s->what, (uint64_t)s->ph.p_paddr, hint,
			(uint64_t)s->ph.p_filesz);
}

/*
 * How far @buf holds whole ELF notes: each a 12-byte header, a
 * NUL-terminated name and a descriptor, padded to 4 bytes. Returns the end
 * of the last whole note; zero padding after it is not counted. *bad is
 * @len when the rest is zero padding and there was a note, else the offset
 * of what does not parse.
 */
static size_t notes_whole(const unsigned char *buf, size_t len, size_t *bad)
{
	size_t off = 0, good = 0;

	while (off < len) {
		uint32_t namesz = 0, descsz = 0, type = 0;
		uint64_t end;

		if (len - off >= NOTE_HDR) {
			namesz = get_le32(buf + off);
			descsz = get_le32(buf + off + 4);
			type = get_le32(buf + off + 8);
		}
		if (!namesz && !descsz && !type) {
			while (off < len && !buf[off])
				off++;
			break;
		}
		end = off + NOTE_HDR + (((uint64_t)namesz + 3) & ~3ULL) +
		      (((uint64_t)descsz + 3) & ~3ULL);
		if (!namesz || end > len || buf[off + NOTE_HDR + namesz - 1])
			break;
		off = end;
		good = end;
	}
	*bad = off < len ? off : good ? len : 0;
	return good;
}

/*
 * The padding the 2026 layout adds: p_filesz is the region's size rounded
 * up to 4. Those bytes are zeroes by design, not missing.
 */
static uint64_t layout_padding(const struct region *r, const GElf_Phdr *ph)
{
	if (r->size < ph->p_filesz && ((r->size + 3) & ~3ULL) == ph->p_filesz)
		return ph->p_filesz - r->size;
	return 0;
}

static bool plausible(struct kelf *k, const struct segment *s, uint64_t max)
{
	if (s->ph.p_filesz <= max)
		return true;
	problem(k, "%s: p_filesz %#" PRIx64 " is implausible; skipped", s->what,
		(uint64_t)s->ph.p_filesz);
	return false;
}

/*
 * ---- The plan: what the output holds, and where from ----
 *
 * Everything "assemble" writes and "verify" checks is decided here, once,
 * with every report of damage: assemble writes the plan, verify compares
 * a file with it, so the two agree on every input.
 *
 * The output is the header region, its program and section headers'
 * offsets rewritten; then the note; then the PT_LOADs, in physical address
 * order. crash reads a dump by physical address, a page at a time, and
 * checks only that a read starts inside a PT_LOAD: the rest of the page
 * comes from the file, whatever follows the segment there. So after each
 * PT_LOAD, up to the end of its last page, comes a guard of GUARD_BYTE
 * instead of the next region, unless the next PT_LOAD is the memory that
 * follows (physically adjacent regions stay together). p_filesz stays the
 * region's size; gdb and drgn never read past it.
 *
 * A PT_LOAD whose p_memsz is larger is the kernel's word that the memory
 * after the region is zero (the unused end of mem_section's root table):
 * gdb, drgn and crash read zeroes there without any bytes in the file, but
 * crash's read of the region's last page runs on in the file. So the zero
 * tail's part in that page is written as zeroes, before the guard. The
 * tool makes no tail of its own: a region cut short stays damage.
 */
#define GUARD_BYTE		0xa5	/* as a pointer, not canonical: fails at once */
#define GUARD_PAGE_MAX		(1u << 20)
#define GUARD_PAGE_DEFAULT	(1u << 16)	/* arm64's largest page, without PAGESIZE */

enum piece_kind {
	PIECE_BYTES,		/* @bytes: the header, the notes */
	PIECE_REGION,		/* the first @len bytes of @r; zeroes where the dump has none */
	PIECE_GUARD,		/* GUARD_BYTE */
	PIECE_ZERO,		/* zeroes: a zero tail's first page */
};

struct piece {
	enum piece_kind kind;
	uint64_t off;
	uint64_t len;
	const unsigned char *bytes;
	const struct region *r;
	char what[96];
};

/* A PT_LOAD of the header, its region and its place in the output. */
struct load {
	struct segment s;
	size_t p;
	const struct region *r;
	uint64_t off;
};

struct plan {
	struct kelf k;
	unsigned char *hdr;		/* the output's header */
	unsigned char *note;		/* its notes: the whole ones of the note region */
	size_t note_len;
	size_t fw_note_len;		/* of it, the notes from firmware's CPU context */
	uint64_t note_off;
	long note_p;			/* the PT_NOTE's index, -1 if none */
	struct load *loads;		/* the plausible PT_LOADs, in header order */
	size_t nr_loads;
	struct piece *pieces;
	size_t nr_pieces;
	uint64_t size;			/* of the output */
	struct crash_notes notes;	/* what the kept notes say */
};

static struct piece *add_piece(struct plan *pl, enum piece_kind kind, uint64_t off,
			       uint64_t len, const char *what)
{
	struct piece *pc;

	if (pl->nr_pieces % 64 == 0) {
		pc = realloc(pl->pieces, (pl->nr_pieces + 64) * sizeof(*pc));
		if (!pc)
			return NULL;
		pl->pieces = pc;
	}
	pc = &pl->pieces[pl->nr_pieces++];
	memset(pc, 0, sizeof(*pc));
	pc->kind = kind;
	pc->off = off;
	pc->len = len;
	snprintf(pc->what, sizeof(pc->what), "%s", what);
	return pc;
}

/*
 * The note: the region the PT_NOTE gives, cut to the notes in it that are
 * whole, so that every debugger opens the core (gdb refuses a core whose
 * notes do not parse); with no region, no notes. One message says what is
 * missing.
 */
static int plan_note(const struct dump *d, struct plan *pl, const struct segment *s, bool *used)
{
	struct kelf *k = &pl->k;
	uint64_t len = s->ph.p_filesz, prefix;
	const struct region *r;
	unsigned int before;
	size_t bad;
	char kept[128];

	r = match_segment(d, k, s);
	if (!r) {
		report_missing(d, k, s);
		pl->notes.lost = true;
		return 0;
	}
	used[r - d->regions] = true;
	/* Only what the dump holds from the start: notes past a gap are not whole. */
	region_held(d, r, len, &prefix);
	pl->note = malloc(prefix ? prefix : 1);
	if (!pl->note)
		return -EXIT_SYSTEM;
	region_read(d, r, 0, pl->note, prefix);
	pl->note_len = notes_whole(pl->note, prefix, &bad);
	before = pl->notes.problems;
	notes_read(pl->note, pl->note_len, r->where, &pl->notes);
	k->problems += pl->notes.problems - before;
	snprintf(kept, sizeof(kept), "; %s: %zu bytes%s",
		 "the core's PT_NOTE keeps the whole notes before that", pl->note_len,
		 pl->notes.have_vmcoreinfo ? "" : ", no VMCOREINFO");
	pl->notes.lost = prefix < len || bad != len;
	if (prefix < len)
		problem(k, "%s: note region holds %" PRIu64 " of the %" PRIu64
			" bytes the PT_NOTE describes%s", r->where, prefix, len, kept);
	else if (bad != len)
		problem(k, "%s: note region does not parse as ELF notes (offset %#zx of %#"
			PRIx64 ")%s", r->where, bad, len, kept);
	return 0;
}

/* A PT_LOAD's region, and what is wrong with it. */
static void plan_load(const struct dump *d, struct plan *pl, struct load *l, bool *used)
{
	struct kelf *k = &pl->k;
	const GElf_Phdr *ph = &l->s.ph;
	uint64_t held, pad;

	/*
	 * Physical address 0: a region the kernel took out of the dump, or
	 * one it was moving when the CPUs stopped (its table entry is
	 * invalid then): nothing to match, nothing missing. Zero-filled.
	 */
	if (!ph->p_paddr)
		return;
	l->r = match_segment(d, k, &l->s);
	if (!l->r) {
		report_missing(d, k, &l->s);
		return;
	}
	used[l->r - d->regions] = true;
	pad = layout_padding(l->r, ph);
	held = region_held(d, l->r, ph->p_filesz, NULL);
	if (l->r->size > ph->p_filesz)
		problem(k, "%s (%s): the region has %" PRIu64 " bytes, the header %" PRIu64
			"; the first %" PRIu64 " taken", l->s.what, l->r->where, l->r->size,
			(uint64_t)ph->p_filesz, (uint64_t)ph->p_filesz);
	if (ph->p_filesz - held > pad)
		problem(k, "%s (%s): %" PRIu64 " of %" PRIu64 " bytes missing, zero-filled",
			l->s.what, l->r->where, ph->p_filesz - held - pad, (uint64_t)ph->p_filesz);
}

static int cmp_paddr(const void *a, const void *b)
{
	const struct load *x = *(const struct load *const *)a, *y = *(const struct load *const *)b;

	if (x->s.ph.p_paddr != y->s.ph.p_paddr)
		return x->s.ph.p_paddr < y->s.ph.p_paddr ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p;
}

static int cmp_offset(const void *a, const void *b)
{
	const struct load *x = *(const struct load *const *)a, *y = *(const struct load *const *)b;

	if (x->s.ph.p_offset != y->s.ph.p_offset)
		return x->s.ph.p_offset < y->s.ph.p_offset ? -1 : 1;
	return x->p < y->p ? -1 : x->p > y->p;
}

/* The guard after a segment that ends at physical address @end. */
static uint64_t guard_len(const struct plan *pl, uint64_t end)
{
	uint64_t page = pl->notes.page_size;

	if (page < 4096 || page > GUARD_PAGE_MAX)
		page = GUARD_PAGE_DEFAULT;
	return (page - (end & (page - 1))) & (page - 1);
}

/* Place the note and the PT_LOADs after the header, with guards. */
static int plan_place(struct plan *pl)
{
	struct load **order;
	struct piece *pc;
	uint64_t pos = pl->k.hdr->size;
	size_t i, j;

	pc = add_piece(pl, PIECE_BYTES, 0, pos, "the ELF header");
	if (!pc)
		return -EXIT_SYSTEM;
	pc->bytes = pl->hdr;
	pl->note_off = pos;
	if (pl->note_len) {
		pc = add_piece(pl, PIECE_BYTES, pos, pl->note_len, "the notes");
		if (!pc)
			return -EXIT_SYSTEM;
		pc->bytes = pl->note;
		pos += pl->note_len;
	}
	order = malloc((pl->nr_loads ? pl->nr_loads : 1) * sizeof(*order));
	if (!order)
		return -EXIT_SYSTEM;
	for (i = 0; i < pl->nr_loads; i++)
		order[i] = &pl->loads[i];
	qsort(order, pl->nr_loads, sizeof(*order), cmp_paddr);
	for (i = 0; i < pl->nr_loads; i++) {
		struct load *l = order[i];
		uint64_t filesz = l->s.ph.p_filesz, end;
		char what[96];

		l->off = pos;
		if (!filesz)
			continue;
		pc = add_piece(pl, PIECE_REGION, pos, filesz, l->s.what);
		if (!pc)
			goto nomem;
		pc->r = l->r;
		pos += filesz;
		if (add_overflows(l->s.ph.p_paddr, filesz, &end))
			end = 0;
		/* The next segment with bytes: the memory that follows, or a guard. */
		for (j = i + 1; j < pl->nr_loads && !order[j]->s.ph.p_filesz; j++)
			;
		if (end && j < pl->nr_loads && order[j]->s.ph.p_paddr == end)
			continue;
		if (end && l->s.ph.p_memsz > filesz) {
			uint64_t zero = guard_len(pl, end);

			if (zero > l->s.ph.p_memsz - filesz)
				zero = l->s.ph.p_memsz - filesz;
			snprintf(what, sizeof(what), "the zero tail of %s", l->s.what);
			pc = add_piece(pl, PIECE_ZERO, pos, zero, what);
			if (!pc)
				goto nomem;
			pos += zero;
			end += zero;
		}
		if (j == pl->nr_loads)
			break;	/* end of file: a read past it fails */
		snprintf(what, sizeof(what), "the guard after %s", l->s.what);
		pc = add_piece(pl, PIECE_GUARD, pos, guard_len(pl, end), what);
		if (!pc)
			goto nomem;
		pos += pc->len;
	}
	free(order);
	pl->size = pos;
	return 0;
nomem:
	free(order);
	return -EXIT_SYSTEM;
}

static void put64(unsigned char *p, uint64_t v, bool msb)
{
	v = msb ? htobe64(v) : htole64(v);
	memcpy(p, &v, sizeof(v));
}

/* Entry @i of a table at @table in the header, if it is all there. */
static unsigned char *header_entry(const struct plan *pl, uint64_t table, uint64_t entsize,
				   size_t i, size_t need)
{
	uint64_t at;

	if (entsize < need || __builtin_mul_overflow((uint64_t)i, entsize, &at) ||
	    add_overflows(table, at, &at) || at > pl->k.hdr->size ||
	    need > pl->k.hdr->size - at)
		return NULL;
	return pl->hdr + at;
}

/* The load whose bytes in the kernel's layout hold [off, off + size), or NULL. */
static const struct load *load_at(struct load **by_off, size_t n, uint64_t off, uint64_t size)
{
	size_t lo = 0, hi = n;
	const struct load *l;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (by_off[mid]->s.ph.p_offset <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	l = by_off[lo - 1];
	return off - l->s.ph.p_offset <= l->s.ph.p_filesz &&
	       size <= l->s.ph.p_filesz - (off - l->s.ph.p_offset) ? l : NULL;
}

/*
 * The output's header: the kernel's, with each segment's p_offset where
 * plan_place() put it and p_filesz of the note what it kept; segments that
 * are not written (a second PT_NOTE, an implausible PT_LOAD, other types)
 * describe no bytes. Sections in a segment move with it, so that readelf
 * and "summary" still name the segments.
 */
static int plan_header(struct plan *pl)
{
	const GElf_Ehdr *eh = &pl->k.ehdr;
	bool msb = eh->e_ident[EI_DATA] == ELFDATA2MSB;
	uint64_t hdr_size = pl->k.hdr->size;
	GElf_Phdr note_ph = { };
	struct load **by_off;
	size_t i, shnum;

	if (pl->note_p >= 0)
		gelf_getphdr(pl->k.elf, pl->note_p, &note_ph);
	for (i = 0; i < pl->k.phnum; i++) {
		unsigned char *e = header_entry(pl, eh->e_phoff, eh->e_phentsize, i,
						sizeof(Elf64_Phdr));
		GElf_Phdr ph;

		if (!e || !gelf_getphdr(pl->k.elf, i, &ph))
			continue;
		if ((long)i == pl->note_p) {
			put64(e + offsetof(Elf64_Phdr, p_offset), pl->note_off, msb);
			put64(e + offsetof(Elf64_Phdr, p_filesz), pl->note_len, msb);
			continue;
		}
		put64(e + offsetof(Elf64_Phdr, p_offset), 0, msb);
		put64(e + offsetof(Elf64_Phdr, p_filesz), 0, msb);
		if (ph.p_type == PT_LOAD)
			put64(e + offsetof(Elf64_Phdr, p_memsz), 0, msb);
	}
	for (i = 0; i < pl->nr_loads; i++) {
		unsigned char *e = header_entry(pl, eh->e_phoff, eh->e_phentsize, pl->loads[i].p,
						sizeof(Elf64_Phdr));

		if (!e)
			continue;
		put64(e + offsetof(Elf64_Phdr, p_offset), pl->loads[i].off, msb);
		put64(e + offsetof(Elf64_Phdr, p_filesz), pl->loads[i].s.ph.p_filesz, msb);
		put64(e + offsetof(Elf64_Phdr, p_memsz), pl->loads[i].s.ph.p_memsz, msb);
	}

	if (elf_getshdrnum(pl->k.elf, &shnum))
		return 0;
	by_off = malloc((pl->nr_loads ? pl->nr_loads : 1) * sizeof(*by_off));
	if (!by_off)
		return -EXIT_SYSTEM;
	for (i = 0; i < pl->nr_loads; i++)
		by_off[i] = &pl->loads[i];
	qsort(by_off, pl->nr_loads, sizeof(*by_off), cmp_offset);
	for (i = 1; i < shnum; i++) {
		unsigned char *e = header_entry(pl, eh->e_shoff, eh->e_shentsize, i,
						sizeof(Elf64_Shdr));
		Elf_Scn *scn = elf_getscn(pl->k.elf, i);
		uint64_t off = 0, size = 0, rel;
		const struct load *l;
		GElf_Shdr sh;

		if (!e || !scn || !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS ||
		    (sh.sh_offset <= hdr_size && sh.sh_size <= hdr_size - sh.sh_offset))
			continue;	/* in the header region, which stays where it is */
		rel = sh.sh_offset - note_ph.p_offset;
		l = load_at(by_off, pl->nr_loads, sh.sh_offset, sh.sh_size);
		if (pl->note_p >= 0 && sh.sh_offset >= note_ph.p_offset && rel < note_ph.p_filesz) {
			off = pl->note_off + rel;
			size = rel < pl->note_len ? pl->note_len - rel : 0;
			if (sh.sh_size < size && !(rel == 0 && pl->fw_note_len))
				size = sh.sh_size;
		} else if (l) {
			off = l->off + (sh.sh_offset - l->s.ph.p_offset);
			size = sh.sh_size;
		}
		put64(e + offsetof(Elf64_Shdr, sh_offset), off, msb);
		put64(e + offsetof(Elf64_Shdr, sh_size), size, msb);
	}
	free(by_off);
	return 0;
}

static void plan_free(struct plan *pl)
{
	kelf_close(&pl->k);
	free(pl->hdr);
	free(pl->note);
	free(pl->loads);
	free(pl->pieces);
	notes_free(&pl->notes);
}

/*
 * ---- Firmware's CPU context and the module list (fwctx.c) ----
 *
 * A watchdog bite leaves no registers in the kernel's note; firmware's
 * saved context does. When the note has none, the CPU context regions
 * (MEMDUMP, CPU_CTX<N>) become NT_PRSTATUS notes after the kernel's notes,
 * and the output's PT_NOTE grows by them. The KMODULES region's lines place
 * modules, as the crash note's MODULE_TEXT lines do. Regions are taken by
 * their name, else the header's name for the segment, and addressed by the
 * segment's p_paddr: this works for md files without addresses too.
 */
#define FW_REGION_MAX		(1u << 20)
#define KMODULES_MAX		(1u << 20)

static const char *load_name(const struct load *l)
{
	return l->r->name[0] ? l->r->name : l->s.name ? l->s.name : "";
}

static bool kmodules_name(const char *name)
{
	if (name[0] == 'K' || name[0] == 'k')
		name++;
	return !strcasecmp(name, "MODULES");
}

static int plan_firmware(const struct dump *d, struct plan *pl)
{
	struct fw_mem *mem;
	struct fw_ctx c = { };
	unsigned char *notes, *more;
	size_t i, nr = 0, len;
	int ret = 0;

	mem = calloc(pl->nr_loads ? pl->nr_loads : 1, sizeof(*mem));
	if (!mem)
		return -EXIT_SYSTEM;
	for (i = 0; i < pl->nr_loads; i++) {
		const struct load *l = &pl->loads[i];
		const char *name;
		unsigned char *buf;
		uint64_t size, prefix = 0;

		if (!l->r)
			continue;
		name = load_name(l);
		if (!fwctx_wanted(name) && !kmodules_name(name))
			continue;
		size = l->s.ph.p_filesz;
		if (size > (kmodules_name(name) ? KMODULES_MAX : FW_REGION_MAX))
			size = kmodules_name(name) ? KMODULES_MAX : FW_REGION_MAX;
		buf = malloc(size ? size : 1);
		if (!buf) {
			ret = -EXIT_SYSTEM;
			goto out;
		}
		region_held(d, l->r, size, &prefix);
		region_read(d, l->r, 0, buf, prefix);
		if (kmodules_name(name)) {
			unsigned int before = pl->notes.problems;

			kmodules_read((const char *)buf, prefix, l->r->where, &pl->notes);
			pl->k.problems += pl->notes.problems - before;
			free(buf);
			continue;
		}
		mem[nr].name = name;
		mem[nr].paddr = l->s.ph.p_paddr;
		mem[nr].size = size;
		mem[nr].held = prefix;
		mem[nr].data = buf;
		nr++;
	}
	if (!nr || notes_have_registers(&pl->notes) || pl->note_p < 0)
		goto out;
	fwctx_read(mem, nr, &c);
	pl->k.problems += c.problems;
	notes = fwctx_notes(&c, &len);
	if (!notes)
		goto out;
	more = realloc(pl->note, pl->note_len + len);
	if (!more) {
		free(notes);
		ret = -EXIT_SYSTEM;
		goto out;
	}
	pl->note = more;
	memcpy(pl->note + pl->note_len, notes, len);
	notes_read(pl->note + pl->note_len, len, "firmware's CPU context", &pl->notes);
	pl->note_len += len;
	pl->fw_note_len = len;
	free(notes);
out:
	for (i = 0; i < nr; i++)
		free((void *)mem[i].data);
	free(mem);
	fwctx_free(&c);
	return ret;
}

/*
 * Match every segment with its region, report what is damaged, and place
 * it all. Returns 0 (pl->k.problems says how much damage was reported) or
 * a negative exit code when there is nothing to assemble.
 */
static int plan_make(const struct dump *d, struct plan *pl)
{
	struct segment s;
	bool *used;
	size_t p, i;
	int ret;

	memset(pl, 0, sizeof(*pl));
	ret = kelf_open(d, &pl->k);
	if (ret)
		return ret;
	pl->hdr = malloc(pl->k.hdr->size);
	used = calloc(d->nr_regions, sizeof(*used));
	pl->loads = calloc(pl->k.phnum ? pl->k.phnum : 1, sizeof(*pl->loads));
	if (!pl->hdr || !used || !pl->loads) {
		ret = -EXIT_SYSTEM;
		goto out;
	}
	memcpy(pl->hdr, pl->k.buf, pl->k.hdr->size);
	used[pl->k.hdr - d->regions] = true;

	pl->note_p = note_index(&pl->k);
	if (pl->note_p >= 0 && get_segment(&pl->k, pl->note_p, &s) &&
	    plausible(&pl->k, &s, MAX_NOTE)) {
		ret = plan_note(d, pl, &s, used);
		if (ret)
			goto out;
	}
	for (p = 0; p < pl->k.phnum; p++) {
		struct load *l = &pl->loads[pl->nr_loads];

		if (!get_segment(&pl->k, p, &l->s) || l->s.ph.p_type != PT_LOAD ||
		    !plausible(&pl->k, &l->s, MAX_FILESZ))
			continue;
		l->p = p;
		plan_load(d, pl, l, used);
		pl->nr_loads++;
	}
	for (i = 0; i < d->nr_regions; i++)
		if (!used[i] && kernel_region(&d->regions[i]))
			warnx("%s: kernel region %s is in no segment of the ELF header; left out",
			      d->regions[i].where, d->regions[i].name);
	ret = plan_firmware(d, pl);
	if (!ret)
		ret = plan_place(pl);
	if (!ret)
		ret = plan_header(pl);
out:
	free(used);
	return ret;
}

/* The exit status for a plan that was made: 4 when damage was reported. */
static int plan_status(const struct dump *d, const struct plan *pl)
{
	return pl->k.problems || d->problems ? -EXIT_INCOMPLETE : 0;
}

/* Write a piece of the plan; @guard holds GUARD_BYTE, as many as any guard needs. */
static int write_piece(const struct dump *d, int fd, const struct piece *pc,
		       const unsigned char *guard)
{
	uint64_t missing;

	switch (pc->kind) {
	case PIECE_BYTES:
		return write_full(fd, pc->bytes, pc->len, pc->off);
	case PIECE_REGION:
		return region_copy(d, pc->r, fd, pc->off, pc->len, &missing);
	case PIECE_GUARD:
		return write_full(fd, guard, pc->len, pc->off);
	case PIECE_ZERO: {
		static const unsigned char zeroes[4096];
		uint64_t done;
		int ret = 0;

		for (done = 0; !ret && done < pc->len; done += sizeof(zeroes))
			ret = write_full(fd, zeroes, pc->len - done < sizeof(zeroes) ?
					 pc->len - done : sizeof(zeroes), pc->off + done);
		return ret;
	}
	}
	return 0;
}

/*
 * Write the ELF core file. When @notes is not NULL, what the notes say goes
 * into it (zeroed by the caller), for the debuggers' command lines.
 */
/*
 * Whether crash can open the core in full mode: the kernel registered
 * what crash reads at start-up (the crash client's objects: swapper_pg_dir,
 * the taint, __per_cpu_offset), and each is in the core.
 */
static bool crash_full(const struct plan *pl)
{
	static const char *const need[] = { "KPGD", "KTAINTED", "KPCPU_OFFS", "KMEMSEC", NULL };
	size_t i, j;

	for (i = 0; need[i]; i++) {
		for (j = 0; j < pl->nr_loads; j++) {
			const struct load *l = &pl->loads[j];

			if (l->r && l->s.name && !strcmp(l->s.name, need[i]))
				break;
		}
		if (j == pl->nr_loads)
			return false;
	}
	return true;
}

int kelf_assemble(const struct dump *d, const char *out, bool verbose, struct crash_notes *notes)
{
	unsigned char *guard = NULL;
	uint64_t guard_max = 1;
	struct plan pl;
	size_t i;
	int fd, ret;

	ret = plan_make(d, &pl);
	if (ret)
		goto out;
	for (i = 0; i < pl.nr_pieces; i++)
		if (pl.pieces[i].kind == PIECE_GUARD && pl.pieces[i].len > guard_max)
			guard_max = pl.pieces[i].len;
	guard = malloc(guard_max);
	fd = guard ? open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
	if (fd < 0) {
		warnx("%s: %s", out, strerror(errno));
		ret = -EXIT_SYSTEM;
		goto out;
	}
	memset(guard, GUARD_BYTE, guard_max);
	for (i = 0; i < pl.nr_pieces && !ret; i++)
		ret = write_piece(d, fd, &pl.pieces[i], guard);
	if (!ret)
		ret = output_size(fd, pl.size);
	if (close(fd) && !ret)
		ret = -EXIT_SYSTEM;
	if (ret) {
		warnx("%s: %s", out, strerror(errno));
		goto out;
	}
	for (i = 0; verbose && i < pl.nr_loads; i++) {
		const struct load *l = &pl.loads[i];

		printf("  %-12s %#14" PRIx64 " %10" PRIu64 " bytes\n", l->r ? l->r->name : "-",
		       (uint64_t)l->s.ph.p_paddr, (uint64_t)l->s.ph.p_filesz);
	}
	ret = plan_status(d, &pl);
	if (ret)
		warnx("%s written, but the dump is damaged: %u problem%s reported", out,
		      pl.k.problems + d->problems, pl.k.problems + d->problems == 1 ? "" : "s");
	if (notes) {
		*notes = pl.notes;
		memset(&pl.notes, 0, sizeof(pl.notes));
		notes->crash_full = crash_full(&pl);
		notes->have_header = pl.k.hdr->have_addr;
		notes->header_addr = pl.k.hdr->addr;
		notes->header_size = pl.k.hdr->size;
	}
out:
	free(guard);
	plan_free(&pl);
	return ret;
}

struct compare_ctx {
	const struct dump *d;
	const struct region *r;
	int elf_fd;
	uint64_t elf_off;
	unsigned char *a, *b;
	bool differs;
	uint64_t where;
};

/* Compare a piece of the region the dump holds with the ELF file. */
static int compare_region(void *p, uint64_t off, uint64_t len)
{
	struct compare_ctx *c = p;
	uint64_t done;

	for (done = 0; done < len && !c->differs; done += IO_CHUNK) {
		size_t n = len - done < IO_CHUNK ? len - done : IO_CHUNK;
		size_t got = 0;

		region_read(c->d, c->r, off + done, c->a, n);
		if (read_full(c->elf_fd, c->elf_off + off + done, c->b, n, &got) || got != n ||
		    memcmp(c->a, c->b, n)) {
			c->differs = true;
			c->where = off + done;
		}
	}
	return 0;
}

/* Whether the file holds a piece of the plan; the region's bytes only where the dump has them. */
static void compare_piece(struct compare_ctx *c, const struct piece *pc)
{
	uint64_t done;

	c->elf_off = pc->off;
	c->differs = false;
	c->where = 0;
	if (pc->kind == PIECE_REGION) {
		c->r = pc->r;
		if (pc->r)
			region_pieces(c->d, pc->r, pc->len, compare_region, c);
		return;
	}
	memset(c->a, pc->kind == PIECE_ZERO ? 0 : GUARD_BYTE,
	       pc->len < IO_CHUNK ? pc->len : IO_CHUNK);
	for (done = 0; done < pc->len && !c->differs; done += IO_CHUNK) {
		size_t n = pc->len - done < IO_CHUNK ? pc->len - done : IO_CHUNK;
		const unsigned char *want = pc->kind == PIECE_BYTES ? pc->bytes + done : c->a;
		size_t got = 0;

		if (read_full(c->elf_fd, pc->off + done, c->b, n, &got) || got != n ||
		    memcmp(want, c->b, n)) {
			c->differs = true;
			c->where = done;
		}
	}
}

static void print_verify_json(const char *input, const char *elf_path, size_t phnum, int ret)
{
	const char *const *msgs;
	size_t i, n;

	msgs = kept_messages(&n);
	printf("{\"input\": ");
	json_string(stdout, input);
	printf(", \"elf\": ");
	json_string(stdout, elf_path);
	printf(", \"exit\": %d, \"match\": %s, \"program_headers\": %zu, \"messages\": [", -ret,
	       ret ? "false" : "true", phnum);
	for (i = 0; i < n; i++) {
		if (i)
			printf(", ");
		json_string(stdout, msgs[i]);
	}
	printf("]}\n");
}

/*
 * Check a file against what "assemble" writes from the dump (the same
 * plan, the same reports of damage), byte for byte where the dump has the
 * bytes. With @json_input, one JSON object on stdout.
 */
int kelf_verify(const struct dump *d, const char *elf_path, const char *json_input)
{
	struct compare_ctx cmp = { .d = d, .elf_fd = -1 };
	size_t i, chunk = 1;
	struct plan pl;
	struct stat st;
	int ret;

	ret = plan_make(d, &pl);
	if (ret)
		goto out;
	for (i = 0; i < pl.nr_pieces; i++)
		if (pl.pieces[i].len > chunk)
			chunk = pl.pieces[i].len < IO_CHUNK ? pl.pieces[i].len : IO_CHUNK;
	cmp.elf_fd = open(elf_path, O_RDONLY);
	cmp.a = malloc(chunk);
	cmp.b = malloc(chunk);
	if (cmp.elf_fd < 0 || !cmp.a || !cmp.b || fstat(cmp.elf_fd, &st)) {
		warnx("%s: %s", elf_path, strerror(errno));
		ret = -EXIT_SYSTEM;
		goto out;
	}
	for (i = 0; i < pl.nr_pieces; i++) {
		const struct piece *pc = &pl.pieces[i];

		compare_piece(&cmp, pc);
		if (cmp.differs)
			problem(&pl.k, "%s: %s: bytes differ from %s near offset %#" PRIx64,
				elf_path, pc->what, pc->kind == PIECE_REGION && pc->r ?
				pc->r->where : "what assemble writes", cmp.where);
	}
	if ((uint64_t)st.st_size != pl.size)
		problem(&pl.k, "%s: %" PRIu64 " bytes, assemble writes %" PRIu64, elf_path,
			(uint64_t)st.st_size, pl.size);
	ret = plan_status(d, &pl);
	if (!ret && !json_input && !md_quiet)
		printf("%s matches the dump: header and %zu program headers\n", elf_path,
		       pl.k.phnum);
out:
	if (cmp.elf_fd >= 0)
		close(cmp.elf_fd);
	free(cmp.a);
	free(cmp.b);
	if (json_input && (!ret || ret == -EXIT_INCOMPLETE))
		print_verify_json(json_input, elf_path, pl.k.phnum, ret);
	plan_free(&pl);
	return ret;
}

/* The notes of a PT_NOTE segment, for summary. */
static int read_notes(int fd, const GElf_Phdr *ph, const char *elf_path, struct crash_notes *n)
{
	unsigned char *buf;
	size_t got = 0;

	if (!ph->p_filesz)
		return 0;
	if (ph->p_filesz > MAX_NOTE) {
		warnx("%s: PT_NOTE of %#" PRIx64 " bytes is implausible; not read", elf_path,
		      (uint64_t)ph->p_filesz);
		n->problems++;
		return 0;
	}
	buf = malloc(ph->p_filesz);
	if (!buf)
		return -EXIT_SYSTEM;
	if (read_full(fd, ph->p_offset, buf, ph->p_filesz, &got)) {
		warnx("%s: %s", elf_path, strerror(errno));
		free(buf);
		return -EXIT_SYSTEM;
	}
	if (got != ph->p_filesz) {
		warnx("%s: PT_NOTE at %#" PRIx64 ": %zu of %" PRIu64 " bytes in the file",
		      elf_path, (uint64_t)ph->p_offset, got, (uint64_t)ph->p_filesz);
		n->problems++;
	}
	notes_read(buf, got, elf_path, n);
	free(buf);
	return 0;
}

/* A segment's name: that of the section at the same offset and size. */
static const char *summary_name(Elf *elf, size_t shstrndx, const GElf_Phdr *ph)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		if (gelf_getshdr(scn, &sh) && sh.sh_offset == ph->p_offset &&
		    sh.sh_size == ph->p_filesz && sh.sh_type != SHT_STRTAB)
			return elf_strptr(elf, shstrndx, sh.sh_name) ?: "";
	}
	return "";
}

static const char *type_name(const GElf_Phdr *ph)
{
	return ph->p_type == PT_NOTE ? "NOTE" : ph->p_type == PT_LOAD ? "LOAD" : "other";
}

static void summary_json(const char *elf_path, Elf *elf, const GElf_Ehdr *ehdr, size_t phnum,
			 size_t shstrndx, const struct crash_notes *nl, int ret)
{
	const char *const *msgs;
	size_t p, n;

	printf("{\"elf\": ");
	json_string(stdout, elf_path);
	printf(", \"exit\": %d, \"machine\": %u, \"segments\": [", -ret, ehdr->e_machine);
	for (p = 0; p < phnum; p++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, p, &ph))
			continue;
		printf("%s{\"type\": \"%s\", \"name\": ", p ? ", " : "", type_name(&ph));
		json_string(stdout, summary_name(elf, shstrndx, &ph));
		printf(", \"vaddr\": \"0x%" PRIx64 "\", \"paddr\": \"0x%" PRIx64
		       "\", \"offset\": %" PRIu64 ", \"size\": %" PRIu64 "}", (uint64_t)ph.p_vaddr,
		       (uint64_t)ph.p_paddr, (uint64_t)ph.p_offset, (uint64_t)ph.p_filesz);
	}
	printf("], \"notes\": [");
	for (p = 0; p < nl->nr_notes; p++) {
		printf("%s{\"name\": ", p ? ", " : "");
		json_string(stdout, nl->notes[p].name);
		printf(", \"type\": %u, \"size\": %u}", nl->notes[p].type, nl->notes[p].size);
	}
	printf("], \"osrelease\": ");
	if (nl->osrelease[0])
		json_string(stdout, nl->osrelease);
	else
		printf("null");
	printf(", ");
	notes_json(stdout, nl);
	printf("\"messages\": [");
	msgs = kept_messages(&n);
	for (p = 0; p < n; p++) {
		if (p)
			printf(", ");
		json_string(stdout, msgs[p]);
	}
	printf("]}\n");
}

/* The modules a KMODULES section of the core lists (fwctx.c). */
static int summary_kmodules(int fd, Elf *elf, size_t shstrndx, const char *elf_path,
			    struct crash_notes *n)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		char *buf;
		size_t got = 0, len;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || !kmodules_name(name))
			continue;
		len = sh.sh_size < KMODULES_MAX ? sh.sh_size : KMODULES_MAX;
		buf = malloc(len ? len : 1);
		if (!buf)
			return -EXIT_SYSTEM;
		if (read_full(fd, sh.sh_offset, buf, len, &got)) {
			warnx("%s: %s", elf_path, strerror(errno));
			free(buf);
			return -EXIT_SYSTEM;
		}
		kmodules_read(buf, got, name, n);
		free(buf);
		break;
	}
	return 0;
}

/*
 * A short description of an ELF core file: its segments and notes, and
 * what the notes say about the crash. Exit status 4 when notes are
 * malformed.
 */
int kelf_summary(const char *elf_path, bool json, const char *vmlinux)
{
	struct crash_notes nl = { };
	struct syms syms = { };
	size_t phnum, p, shstrndx;
	GElf_Ehdr ehdr;
	int fd, ret = 0;
	Elf *elf;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EXIT_SYSTEM;
	fd = open(elf_path, O_RDONLY);
	if (fd < 0) {
		warnx("%s: %s", elf_path, strerror(errno));
		return -EXIT_SYSTEM;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || !gelf_getehdr(elf, &ehdr) || ehdr.e_type != ET_CORE ||
	    elf_getphdrnum(elf, &phnum) || elf_getshdrstrndx(elf, &shstrndx)) {
		warnx("%s: not an ELF core file: %s", elf_path, elf_errmsg(-1));
		if (elf)
			elf_end(elf);
		close(fd);
		return -EXIT_INPUT;
	}
	for (p = 0; p < phnum; p++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, p, &ph) && ph.p_type == PT_NOTE)
			ret = read_notes(fd, &ph, elf_path, &nl);
		if (ret)
			goto out;
	}
	ret = summary_kmodules(fd, elf, shstrndx, elf_path, &nl);
	if (ret)
		goto out;
	if (nl.problems)
		ret = -EXIT_INCOMPLETE;
	if (vmlinux && syms_load(&syms, vmlinux, nl.kerneloffset) == -EXIT_SYSTEM) {
		ret = -EXIT_SYSTEM;
		goto out;
	}
	syms.modules = &nl;
	if (json) {
		summary_json(elf_path, elf, &ehdr, phnum, shstrndx, &nl, ret);
		goto out;
	}
	printf("%s: ELF core, machine %u, %zu program headers\n", elf_path, ehdr.e_machine, phnum);
	printf("  %-5s %-12s %18s %14s %10s\n", "type", "name", "vaddr", "paddr", "size");
	for (p = 0; p < phnum; p++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, p, &ph))
			continue;
		printf("  %-5s %-12s %#18" PRIx64 " %#14" PRIx64 " %10" PRIu64 "\n", type_name(&ph),
		       summary_name(elf, shstrndx, &ph), (uint64_t)ph.p_vaddr,
		       (uint64_t)ph.p_paddr, (uint64_t)ph.p_filesz);
	}
	for (p = 0; p < nl.nr_notes; p++) {
		char name[3 * sizeof(nl.notes[p].name) + 4];

		safe_name(nl.notes[p].name, name, sizeof(name));
		printf("  note  %-12s type %u, %u bytes\n", name, nl.notes[p].type,
		       nl.notes[p].size);
	}
	if (nl.osrelease[0]) {
		char rel[3 * sizeof(nl.osrelease) + 4];

		safe_name(nl.osrelease, rel, sizeof(rel));
		printf("  kernel %s\n", rel);
	}
	notes_print(stdout, &nl, vmlinux ? &syms : NULL);
out:
	syms_free(&syms);
	notes_free(&nl);
	elf_end(elf);
	close(fd);
	return ret;
}

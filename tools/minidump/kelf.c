// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: put the kernel's regions together into one ELF core file, as
 * the ELF header region ("KELF") describes it, and check such a file.
 *
 * The header comes first, then each segment at its p_offset: the PT_NOTE's
 * region (the note body) and, for each PT_LOAD, its region, cut or
 * zero-padded to p_filesz. Kernel regions are the valid ones whose name
 * starts with 'K'. A segment's region is:
 *
 *  - the kernel region at the segment's p_paddr, when the dump gives
 *    addresses (a table in RAM, a rawdump, dump_info.txt); the name the
 *    header gives the segment (its section's) is a cross-check, and a
 *    region of another name there is reported;
 *  - otherwise, the kernel region with the name the header gives the
 *    segment (with or without the leading 'K'), among regions whose
 *    address is not known (md files dump_info.txt does not list).
 *
 * Nothing else is taken for a segment, so a stray region is never taken for
 * the note. When several regions qualify, the first in the dump's order
 * wins (table order; rawdump section order; dump_info.txt line order, then
 * file name): never the order a directory is read in. Candidates that
 * differ are reported. Every report of damage makes the exit status 4.
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
#include <unistd.h>

#include "minidump.h"

#define MAX_HEADER	(16u << 20)
#define MAX_NOTE	(16u << 20)
#define MAX_FILESZ	(1ULL << 40)
#define MAX_COMPARE	(64u << 20)
#define HEADER_PREFIX	"KELF"

static bool kernel_region(const struct region *r)
{
	return r->valid && r->name[0] == 'K' && (r->ss < 0 || r->ss == QCOM_MINIDUMP_SS_APSS);
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
	x = malloc(IO_CHUNK);
	y = malloc(IO_CHUNK);
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

/* A region name and the name the header gives a segment. */
static bool names_match(const char *region, const char *header)
{
	return !strcmp(region, header) || (region[0] == 'K' && !strcmp(region + 1, header));
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

		if (!kernel_region(r) || strncmp(r->name, HEADER_PREFIX, strlen(HEADER_PREFIX)))
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
	GElf_Ehdr ehdr;

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
	if (!k->elf || !gelf_getehdr(k->elf, &ehdr) || gelf_getclass(k->elf) != ELFCLASS64 ||
	    ehdr.e_type != ET_CORE || elf_getphdrnum(k->elf, &k->phnum)) {
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

/* The regions a segment may take, in dump order; see the top of the file. */
static bool candidate(const struct kelf *k, const struct region *r, const struct segment *s,
		      bool by_addr)
{
	if (!kernel_region(r) || r == k->hdr)
		return false;
	if (by_addr)
		return r->have_addr && r->addr == s->ph.p_paddr;
	return !r->have_addr && s->name && names_match(r->name, s->name);
}

static const struct region *match_segment(const struct dump *d, struct kelf *k,
					  const struct segment *s)
{
	const struct region *found = NULL;
	bool by_addr;
	size_t i;

	for (by_addr = true; ; by_addr = false) {
		for (i = 0; i < d->nr_regions; i++) {
			const struct region *r = &d->regions[i];

			if (!candidate(k, r, s, by_addr))
				continue;
			if (!found)
				found = r;
			else if (!same_region(d, found, r))
				problem(k, "%s: %s and %s match and differ; %s taken (dump order)",
					s->what, found->where, r->where, found->where);
		}
		if (found || !by_addr)
			break;
	}
	if (found && by_addr && s->name && !names_match(found->name, s->name))
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
		    names_match(r->name, s->name))
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
	problem(k, "%s at %#" PRIx64 ": no %sregion in the dump%s, %" PRIu64 " bytes zero-filled",
		s->what, (uint64_t)s->ph.p_paddr, s->ph.p_type == PT_NOTE ? "note " : "", hint,
		(uint64_t)s->ph.p_filesz);
}

/*
 * Whether @buf holds ELF notes: each a 12-byte header, a NUL-terminated
 * name and a descriptor, padded to 4 bytes, until the end or zero padding.
 * On failure *bad is the offset of the note that does not parse.
 */
static bool notes_parse(const unsigned char *buf, size_t len, size_t *bad)
{
	size_t off = 0, count = 0;

	while (off < len) {
		uint32_t namesz, descsz, type;
		uint64_t end;

		if (len - off < 12) {
			while (off < len && !buf[off])
				off++;
			break;
		}
		memcpy(&namesz, buf + off, 4);
		memcpy(&descsz, buf + off + 4, 4);
		memcpy(&type, buf + off + 8, 4);
		namesz = le32toh(namesz);
		descsz = le32toh(descsz);
		type = le32toh(type);
		if (!namesz && !descsz && !type) {
			while (off < len && !buf[off])
				off++;
			break;
		}
		end = off + 12 + (((uint64_t)namesz + 3) & ~3ULL) +
		      (((uint64_t)descsz + 3) & ~3ULL);
		if (!namesz || end > len || buf[off + 12 + namesz - 1])
			break;
		off = end;
		count++;
	}
	*bad = off;
	return off >= len && count;
}

/*
 * Whether the note region holds what the PT_NOTE describes, as ELF notes;
 * if not, one message about it. With @notes, what they say is read into
 * it, and each message about their contents is a problem too.
 */
static bool check_note(const struct dump *d, struct kelf *k, const struct region *r,
		       const struct segment *s, struct crash_notes *notes)
{
	unsigned char *buf;
	size_t bad;
	bool ok;

	if (r->present < s->ph.p_filesz) {
		problem(k, "%s: note region holds %" PRIu64 " of the %" PRIu64
			" bytes the PT_NOTE describes, zero-filled", r->where, r->present,
			(uint64_t)s->ph.p_filesz);
		return false;
	}
	buf = malloc(s->ph.p_filesz ? s->ph.p_filesz : 1);
	if (!buf)
		return false;
	region_read(d, r, 0, buf, s->ph.p_filesz);
	ok = notes_parse(buf, s->ph.p_filesz, &bad);
	if (notes) {
		unsigned int before = notes->problems;

		/* The notes before one that does not parse, which is reported below. */
		notes_read(buf, ok ? s->ph.p_filesz : bad, r->where, notes);
		k->problems += notes->problems - before;
	}
	free(buf);
	if (!ok)
		problem(k, "%s: note region does not parse as ELF notes (offset %#zx of %#" PRIx64
			")", r->where, bad, (uint64_t)s->ph.p_filesz);
	else if (r->present < r->size)
		problem(k, "%s: note region short by %" PRIu64 " bytes, zero-filled", r->where,
			r->size - r->present);
	return ok && r->present == r->size;
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
 * Write the note region at the PT_NOTE's p_offset. *end grows past what was
 * written; *known says whether the note region's size, which the header
 * does not give, is known, so that the first PT_LOAD's offset can be
 * checked against it.
 */
static int put_note(const struct dump *d, struct kelf *k, int fd, bool *used, uint64_t *end,
		    bool *known, struct crash_notes *notes)
{
	const struct region *r;
	struct segment s;
	long p = note_index(k);
	uint64_t missing;
	int ret;

	*known = p < 0;
	if (p < 0 || !get_segment(k, p, &s) || !plausible(k, &s, MAX_NOTE))
		return 0;
	if (s.ph.p_offset != k->hdr->size)
		warnx("%s: p_offset %#" PRIx64 " where %#" PRIx64
		      " was expected; placed at p_offset", s.what, (uint64_t)s.ph.p_offset,
		      k->hdr->size);
	r = match_segment(d, k, &s);
	if (!r) {
		report_missing(d, k, &s);
		if (s.ph.p_offset + s.ph.p_filesz > *end)
			*end = s.ph.p_offset + s.ph.p_filesz;
		return 0;
	}
	used[r - d->regions] = true;
	*known = true;
	if (r->size > MAX_FILESZ) {
		problem(k, "%s: note region of %#" PRIx64 " bytes is implausible; skipped",
			r->where, r->size);
		return 0;
	}
	/* The whole region, as qdl writes it: the PT_NOTE may use less of it. */
	ret = region_copy(d, r, fd, s.ph.p_offset, r->size, &missing);
	if (ret)
		return ret;
	check_note(d, k, r, &s, notes);
	if (s.ph.p_offset + r->size > *end)
		*end = s.ph.p_offset + r->size;
	if (s.ph.p_offset + s.ph.p_filesz > *end)
		*end = s.ph.p_offset + s.ph.p_filesz;
	return 0;
}

static int put_load(const struct dump *d, struct kelf *k, int fd, const struct segment *s,
		    bool *used, bool verbose)
{
	const struct region *r;
	uint64_t missing, pad = 0;
	int ret;

	r = match_segment(d, k, s);
	ret = region_copy(d, r, fd, s->ph.p_offset, s->ph.p_filesz, &missing);
	if (ret)
		return ret;
	if (!r) {
		report_missing(d, k, s);
		return 0;
	}
	used[r - d->regions] = true;
	pad = layout_padding(r, &s->ph);
	if (r->size > s->ph.p_filesz)
		problem(k, "%s (%s): the region has %" PRIu64 " bytes, the header %" PRIu64
			"; the first %" PRIu64 " taken", s->what, r->where, r->size,
			(uint64_t)s->ph.p_filesz, (uint64_t)s->ph.p_filesz);
	if (missing > pad)
		problem(k, "%s (%s): %" PRIu64 " of %" PRIu64 " bytes missing, zero-filled",
			s->what, r->where, missing - pad, (uint64_t)s->ph.p_filesz);
	else if (verbose)
		printf("  %-12s %#14" PRIx64 " %10" PRIu64 " bytes\n", r->name,
		       (uint64_t)s->ph.p_paddr, (uint64_t)s->ph.p_filesz);
	return 0;
}

/*
 * Write the ELF core file. When @notes is not NULL, what the notes say goes
 * into it (zeroed by the caller), for the debuggers' command lines.
 */
int kelf_assemble(const struct dump *d, const char *out, bool verbose, struct crash_notes *notes)
{
	uint64_t pos, end;
	bool *used = NULL, known;
	struct kelf k;
	size_t p, i;
	int fd, ret;

	ret = kelf_open(d, &k);
	if (ret)
		goto out;
	used = calloc(d->nr_regions, sizeof(*used));
	if (!used) {
		ret = -EXIT_SYSTEM;
		goto out;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		warnx("%s: %s", out, strerror(errno));
		ret = -EXIT_SYSTEM;
		goto out;
	}
	used[k.hdr - d->regions] = true;
	if (pwrite(fd, k.buf, k.hdr->size, 0) != (ssize_t)k.hdr->size) {
		ret = -EXIT_SYSTEM;
		goto close;
	}
	end = k.hdr->size;
	ret = put_note(d, &k, fd, used, &end, &known, notes);
	if (ret)
		goto close;
	/* PT_LOAD offsets are contiguous and increasing in header order. */
	pos = known ? end : 0;
	for (p = 0; p < k.phnum; p++) {
		struct segment s;

		if (!get_segment(&k, p, &s) || s.ph.p_type != PT_LOAD)
			continue;
		if (pos && s.ph.p_offset != pos)
			warnx("%s: p_offset %#" PRIx64 " where %#" PRIx64
			      " was expected; placed at p_offset", s.what,
			      (uint64_t)s.ph.p_offset, pos);
		if (!plausible(&k, &s, MAX_FILESZ))
			continue;
		ret = put_load(d, &k, fd, &s, used, verbose);
		if (ret)
			goto close;
		pos = s.ph.p_offset + s.ph.p_filesz;
		if (pos > end)
			end = pos;
	}
	ret = output_size(fd, end);
	for (i = 0; i < d->nr_regions; i++)
		if (!used[i] && kernel_region(&d->regions[i]))
			warnx("%s: kernel region %s is in no segment of the ELF header; left out",
			      d->regions[i].where, d->regions[i].name);
close:
	if (close(fd) && !ret)
		ret = -EXIT_SYSTEM;
	if (ret == -EXIT_SYSTEM)
		warnx("%s: %s", out, strerror(errno));
out:
	free(used);
	kelf_close(&k);
	if (!ret && (k.problems || d->problems)) {
		warnx("%s written, but the dump is damaged: %u problem%s reported", out,
		      k.problems + d->problems, k.problems + d->problems == 1 ? "" : "s");
		return -EXIT_INCOMPLETE;
	}
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
static int compare_piece(void *p, uint64_t off, uint64_t len)
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

/* Compare what the dump holds of a segment's region with the ELF file. */
static void compare_segment(const struct dump *d, struct kelf *k, struct compare_ctx *cmp,
			    const char *elf_path, const struct region *r, const struct segment *s)
{
	cmp->r = r;
	cmp->elf_off = s->ph.p_offset;
	cmp->differs = false;
	if (region_pieces(d, r, s->ph.p_filesz, compare_piece, cmp) || cmp->differs)
		problem(k, "%s: %s: bytes differ from %s near offset %#" PRIx64, elf_path, s->what,
			r->where, cmp->where);
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
 * Check an assembled file against the regions it came from: the header,
 * the note (present, parsing as notes, the same bytes) and each PT_LOAD,
 * matched as for assembly. With @json_input, one JSON object on stdout.
 */
int kelf_verify(const struct dump *d, const char *elf_path, const char *json_input)
{
	struct compare_ctx cmp = { .d = d, .elf_fd = -1 };
	struct kelf k;
	long note;
	size_t p;
	int ret;

	ret = kelf_open(d, &k);
	if (ret)
		goto out;
	cmp.elf_fd = open(elf_path, O_RDONLY);
	cmp.a = malloc(IO_CHUNK);
	cmp.b = malloc(IO_CHUNK);
	if (cmp.elf_fd < 0 || !cmp.a || !cmp.b) {
		warnx("%s: %s", elf_path, strerror(errno));
		ret = -EXIT_SYSTEM;
		goto out;
	}
	{
		unsigned char *h = malloc(k.hdr->size);
		size_t got = 0;

		if (!h || read_full(cmp.elf_fd, 0, h, k.hdr->size, &got) || got != k.hdr->size ||
		    memcmp(h, k.buf, k.hdr->size))
			problem(&k, "%s: the ELF header is not the dump's KELF region", elf_path);
		free(h);
	}
	note = note_index(&k);
	for (p = 0; p < k.phnum; p++) {
		const struct region *r;
		struct segment s;

		if (!get_segment(&k, p, &s) || (s.ph.p_type != PT_LOAD && (long)p != note))
			continue;
		r = match_segment(d, &k, &s);
		if (!r) {
			report_missing(d, &k, &s);
			continue;
		}
		if (s.ph.p_type == PT_NOTE) {
			if (s.ph.p_filesz <= MAX_NOTE && check_note(d, &k, r, &s, NULL))
				compare_segment(d, &k, &cmp, elf_path, r, &s);
			continue;
		}
		if (r->size != s.ph.p_filesz && !layout_padding(r, &s.ph))
			problem(&k, "%s: %s: %" PRIu64 " bytes, the region has %" PRIu64, elf_path,
				s.what, (uint64_t)s.ph.p_filesz, r->size);
		compare_segment(d, &k, &cmp, elf_path, r, &s);
	}
	if (!k.problems && !d->problems && !json_input && !md_quiet)
		printf("%s matches the dump: header and %zu program headers\n", elf_path, k.phnum);
out:
	if (cmp.elf_fd >= 0)
		close(cmp.elf_fd);
	free(cmp.a);
	free(cmp.b);
	kelf_close(&k);
	if (!ret && (k.problems || d->problems))
		ret = -EXIT_INCOMPLETE;
	if (json_input && (!ret || ret == -EXIT_INCOMPLETE))
		print_verify_json(json_input, elf_path, k.phnum, ret);
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

/*
 * A short description of an ELF core file: its segments and notes, and
 * what the notes say about the crash. Exit status 4 when notes are
 * malformed.
 */
int kelf_summary(const char *elf_path, bool json)
{
	struct crash_notes nl = { };
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
	if (nl.problems)
		ret = -EXIT_INCOMPLETE;
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
	notes_print(stdout, &nl);
out:
	notes_free(&nl);
	elf_end(elf);
	close(fd);
	return ret;
}

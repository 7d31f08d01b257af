// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: put the kernel's regions together into one ELF core file, as
 * the KELF header region describes it, and check such a file.
 *
 * The order is the one collectors (qdl) use: the region whose name starts
 * with "KELF" first; then the one kernel region whose address matches no
 * PT_LOAD (the body of the PT_NOTE, the vmcoreinfo note); then, for each
 * PT_LOAD in program-header order, the kernel region whose address equals
 * its p_paddr, zero-padded to p_filesz. Kernel regions are those whose
 * name starts with 'K'. Regions are matched by address, never by order.
 */

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minidump.h"

#define MAX_HEADER	(16u << 20)

static bool kernel_region(const struct region *r)
{
	return r->valid && r->name[0] == 'K' && (r->ss < 0 || r->ss == QCOM_MINIDUMP_SS_APSS);
}

static bool is_header(const struct region *r)
{
	return kernel_region(r) && !strncmp(r->name, "KELF", 4);
}

static const struct region *find_header(const struct dump *d)
{
	const struct region *found = NULL;
	size_t i;

	for (i = 0; i < d->nr_regions; i++) {
		if (!is_header(&d->regions[i]))
			continue;
		if (found)
			warnx("two KELF regions (%s, %s); using the first", found->where,
			      d->regions[i].where);
		else
			found = &d->regions[i];
	}
	return found;
}

static const struct region *find_by_paddr(const struct dump *d, uint64_t paddr)
{
	size_t i;

	for (i = 0; i < d->nr_regions; i++) {
		const struct region *r = &d->regions[i];

		if (kernel_region(r) && !is_header(r) && r->addr == paddr)
			return r;
	}
	return NULL;
}

/* The header region's bytes, parsed. */
struct kelf {
	const struct region *hdr;
	unsigned char *buf;
	Elf *elf;
	size_t phnum;
};

static void kelf_close(struct kelf *k)
{
	if (k->elf)
		elf_end(k->elf);
	free(k->buf);
}

static int kelf_open(const struct dump *d, struct kelf *k)
{
	GElf_Ehdr ehdr;

	memset(k, 0, sizeof(*k));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EXIT_SYSTEM;
	k->hdr = find_header(d);
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
	return 0;
}

/* The note body: the kernel region whose address no PT_LOAD has. */
static const struct region *find_note(const struct dump *d, struct kelf *k)
{
	const struct region *note = NULL;
	size_t i, p;

	for (i = 0; i < d->nr_regions; i++) {
		const struct region *r = &d->regions[i];
		bool loaded = false;

		if (!kernel_region(r) || is_header(r))
			continue;
		for (p = 0; p < k->phnum; p++) {
			GElf_Phdr ph;

			if (gelf_getphdr(k->elf, p, &ph) && ph.p_type == PT_LOAD &&
			    ph.p_paddr == r->addr)
				loaded = true;
		}
		if (loaded)
			continue;
		if (note)
			warnx("%s and %s both match no PT_LOAD; %s taken as the note", note->where,
			      r->where, note->where);
		else
			note = r;
	}
	return note;
}

int kelf_assemble(const struct dump *d, const char *out, bool verbose)
{
	const struct region *note;
	uint64_t pos, end, missing;
	unsigned int problems = 0;
	struct kelf k;
	size_t p;
	int fd, ret;

	ret = kelf_open(d, &k);
	if (ret)
		goto out;
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		warnx("%s: %s", out, strerror(errno));
		ret = -EXIT_SYSTEM;
		goto out;
	}
	if (pwrite(fd, k.buf, k.hdr->size, 0) != (ssize_t)k.hdr->size) {
		ret = -EXIT_SYSTEM;
		goto close;
	}
	pos = k.hdr->size;
	end = pos;

	note = find_note(d, &k);
	if (note) {
		ret = region_copy(d, note, fd, pos, note->size, &missing);
		if (ret)
			goto close;
		if (missing) {
			warnx("%s: note region short by %" PRIu64 " bytes, zero-filled",
			      note->where, missing);
			problems++;
		}
		pos += note->size;
		end = pos;
	}

	for (p = 0; p < k.phnum; p++) {
		const struct region *r;
		GElf_Phdr ph;

		if (!gelf_getphdr(k.elf, p, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset != pos)
			warnx("PT_LOAD %zu: p_offset %#" PRIx64 " where %#" PRIx64
			      " was expected; placed at p_offset", p, (uint64_t)ph.p_offset, pos);
		if (ph.p_filesz > (1ULL << 40)) {
			warnx("PT_LOAD %zu: p_filesz %#" PRIx64 " is implausible; skipped", p,
			      (uint64_t)ph.p_filesz);
			problems++;
			continue;
		}
		r = find_by_paddr(d, ph.p_paddr);
		ret = region_copy(d, r, fd, ph.p_offset, ph.p_filesz, &missing);
		if (ret)
			goto close;
		if (!r) {
			warnx("PT_LOAD %zu at %#" PRIx64 ": no region in the dump, %" PRIu64
			      " bytes zero-filled", p, (uint64_t)ph.p_paddr, (uint64_t)ph.p_filesz);
			problems++;
		} else if (missing) {
			warnx("PT_LOAD %zu (%s): %" PRIu64 " of %" PRIu64
			      " bytes missing, zero-filled", p, r->where, missing,
			      (uint64_t)ph.p_filesz);
			problems++;
		} else if (verbose) {
			printf("  %-12s %#14" PRIx64 " %10" PRIu64 " bytes\n", r->name,
			       (uint64_t)ph.p_paddr, (uint64_t)ph.p_filesz);
		}
		pos = ph.p_offset + ph.p_filesz;
		if (pos > end)
			end = pos;
	}
	ret = output_size(fd, end);
close:
	if (close(fd) && !ret)
		ret = -EXIT_SYSTEM;
	if (ret == -EXIT_SYSTEM)
		warnx("%s: %s", out, strerror(errno));
out:
	kelf_close(&k);
	if (!ret && problems) {
		warnx("%s written, but %u region%s missing or short", out, problems,
		      problems == 1 ? " is" : "s are");
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

/* Check an assembled file against the regions it came from. */
int kelf_verify(const struct dump *d, const char *elf_path)
{
	struct compare_ctx cmp = { .d = d };
	unsigned char *a = NULL, *b = NULL;
	unsigned int mismatches = 0;
	struct kelf k;
	size_t p;
	int fd = -1, ret;

	ret = kelf_open(d, &k);
	if (ret)
		goto out;
	fd = open(elf_path, O_RDONLY);
	a = malloc(IO_CHUNK);
	b = malloc(IO_CHUNK);
	if (fd < 0 || !a || !b) {
		warnx("%s: %s", elf_path, strerror(errno));
		ret = -EXIT_SYSTEM;
		goto out;
	}
	{
		unsigned char *h = malloc(k.hdr->size);
		size_t got = 0;

		if (!h || read_full(fd, 0, h, k.hdr->size, &got) || got != k.hdr->size ||
		    memcmp(h, k.buf, k.hdr->size)) {
			warnx("%s: the ELF header is not the dump's KELF region", elf_path);
			mismatches++;
		}
		free(h);
	}
	for (p = 0; p < k.phnum; p++) {
		const struct region *r;
		GElf_Phdr ph;

		if (!gelf_getphdr(k.elf, p, &ph) || ph.p_type != PT_LOAD)
			continue;
		r = find_by_paddr(d, ph.p_paddr);
		if (!r) {
			warnx("%s: PT_LOAD %zu at %#" PRIx64 ": no such region in the dump",
			      elf_path, p, (uint64_t)ph.p_paddr);
			mismatches++;
			continue;
		}
		cmp.r = r;
		cmp.a = a;
		cmp.b = b;
		if (r->size != ph.p_filesz) {
			warnx("%s: PT_LOAD %zu (%s): %" PRIu64 " bytes, the region has %" PRIu64,
			      elf_path, p, r->name, (uint64_t)ph.p_filesz, r->size);
			mismatches++;
		}
		cmp.elf_fd = fd;
		cmp.elf_off = ph.p_offset;
		cmp.differs = false;
		if (region_pieces(d, r, ph.p_filesz, compare_piece, &cmp) || cmp.differs) {
			warnx("%s: PT_LOAD %zu (%s): bytes differ from %s near offset %#"
			      PRIx64, elf_path, p, r->name, r->where, cmp.where);
			mismatches++;
		}
	}
	if (!mismatches)
		printf("%s matches the dump: header and %zu program headers\n", elf_path, k.phnum);
out:
	if (fd >= 0)
		close(fd);
	free(a);
	free(b);
	kelf_close(&k);
	if (!ret && mismatches)
		return -EXIT_INCOMPLETE;
	return ret;
}

/* A short description of an ELF core file: its notes and segments. */
int kelf_summary(const char *elf_path)
{
	size_t phnum, p, shstrndx;
	GElf_Ehdr ehdr;
	Elf *elf;
	int fd;

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
	printf("%s: ELF core, machine %u, %zu program headers\n", elf_path, ehdr.e_machine, phnum);
	printf("  %-5s %-12s %18s %14s %10s\n", "type", "name", "vaddr", "paddr", "size");
	for (p = 0; p < phnum; p++) {
		const char *name = "";
		Elf_Scn *scn = NULL;
		GElf_Phdr ph;
		GElf_Shdr sh;

		if (!gelf_getphdr(elf, p, &ph))
			continue;
		while ((scn = elf_nextscn(elf, scn))) {
			if (gelf_getshdr(scn, &sh) && sh.sh_offset == ph.p_offset &&
			    sh.sh_size == ph.p_filesz && sh.sh_type != SHT_STRTAB) {
				name = elf_strptr(elf, shstrndx, sh.sh_name) ?: "";
				break;
			}
		}
		printf("  %-5s %-12s %#18" PRIx64 " %#14" PRIx64 " %10" PRIu64 "\n",
		       ph.p_type == PT_NOTE ? "NOTE" : ph.p_type == PT_LOAD ? "LOAD" : "other",
		       name, (uint64_t)ph.p_vaddr, (uint64_t)ph.p_paddr, (uint64_t)ph.p_filesz);
	}
	elf_end(elf);
	close(fd);
	return 0;
}

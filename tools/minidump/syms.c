// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: a code address as "symbol+0xoff", for "summary": from
 * vmlinux's symbol table moved by the KASLR offset, else as an offset in
 * the .text of the module the dump says was loaded below it.
 */

#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minidump.h"

#define MAX_SYM_OFFSET		(1u << 20)	/* past a sized symbol's end: unknown */
#define MAX_MODULE_TEXT		(16u << 20)

static int cmp_sym(const void *a, const void *b)
{
	const struct sym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* A symbol worth naming an address by: code or data, not a mapping symbol ($x, $d). */
static bool useful(const GElf_Sym *sym, const char *name)
{
	int type = GELF_ST_TYPE(sym->st_info);

	return name && *name && name[0] != '$' && sym->st_value && sym->st_shndx != SHN_UNDEF &&
	       sym->st_shndx != SHN_ABS &&
	       (type == STT_FUNC || type == STT_NOTYPE || type == STT_OBJECT);
}

/**
 * syms_load() - read vmlinux's symbol table
 * @s: the table, zeroed by the caller
 * @vmlinux: the file
 * @offset: the KASLR offset, added to every symbol
 *
 * Return: 0, or -EXIT_INPUT with a message when it has no symbol table.
 */
int syms_load(struct syms *s, const char *vmlinux, uint64_t offset)
{
	Elf_Scn *scn = NULL;
	Elf *elf = NULL;
	int fd, ret = -EXIT_INPUT;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EXIT_SYSTEM;
	fd = open(vmlinux, O_RDONLY);
	if (fd >= 0)
		elf = elf_begin(fd, ELF_C_READ, NULL);
	while (elf && (scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;
		GElf_Shdr sh;
		size_t i, nr, strings = 0;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		nr = sh.sh_size / sh.sh_entsize;
		if (!data || !nr)
			break;
		s->syms = calloc(nr, sizeof(*s->syms));
		for (i = 0; s->syms && i < nr; i++) {
			const char *name;
			GElf_Sym sym;

			if (!gelf_getsym(data, i, &sym))
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (useful(&sym, name))
				strings += strlen(name) + 1;
		}
		s->strings = malloc(strings ? strings : 1);
		if (!s->syms || !s->strings) {
			ret = -EXIT_SYSTEM;
			break;
		}
		strings = 0;
		for (i = 0; i < nr; i++) {
			struct sym *out = &s->syms[s->nr];
			const char *name;
			GElf_Sym sym;

			if (!gelf_getsym(data, i, &sym))
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!useful(&sym, name))
				continue;
			out->addr = sym.st_value + offset;
			out->size = sym.st_size;
			out->name = s->strings + strings;
			memcpy(s->strings + strings, name, strlen(name) + 1);
			strings += strlen(name) + 1;
			s->nr++;
		}
		qsort(s->syms, s->nr, sizeof(*s->syms), cmp_sym);
		ret = 0;
		break;
	}
	if (ret == -EXIT_INPUT)
		warnx("%s: no symbol table: addresses are not named", vmlinux);
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* The module whose .text starts highest at or below @addr, if close enough. */
static bool module_name(const struct syms *s, uint64_t addr, char *buf, size_t size)
{
	const struct module_text *best = NULL;
	size_t i;

	for (i = 0; s->modules && i < s->modules->nr_modules; i++) {
		const struct module_text *m = &s->modules->modules[i];

		if (m->addr <= addr && addr - m->addr < MAX_MODULE_TEXT &&
		    (!best || m->addr > best->addr))
			best = m;
	}
	if (!best)
		return false;
	snprintf(buf, size, "[%s] .text+0x%" PRIx64, best->name, addr - best->addr);
	return true;
}

/**
 * syms_name() - an address as symbol+offset
 * @s: the symbols
 * @addr: the address
 * @buf: where the name goes
 * @size: its size
 *
 * Return: true if @addr was named.
 */
bool syms_name(const struct syms *s, uint64_t addr, char *buf, size_t size)
{
	size_t lo = 0, hi = s->nr;
	const struct sym *best;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo) {
		best = &s->syms[lo - 1];
		/* Of symbols at one address, a sized one says most. */
		while (lo > 1 && s->syms[lo - 2].addr == best->addr && !best->size) {
			lo--;
			best = &s->syms[lo - 1];
		}
		if (best->size && addr - best->addr < best->size) {
			snprintf(buf, size, "%s+0x%" PRIx64, best->name, addr - best->addr);
			return true;
		}
		if (module_name(s, addr, buf, size))
			return true;
		if (!best->size && addr - best->addr < MAX_SYM_OFFSET) {
			snprintf(buf, size, "%s+0x%" PRIx64, best->name, addr - best->addr);
			return true;
		}
		return false;
	}
	return module_name(s, addr, buf, size);
}

/**
 * syms_free() - free what syms_load() allocated
 * @s: the symbols
 */
void syms_free(struct syms *s)
{
	free(s->syms);
	free(s->strings);
	memset(s, 0, sizeof(*s));
}

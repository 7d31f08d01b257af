// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: read kernel memory out of an ELF core file, by the PT_LOADs'
 * virtual addresses, as gdb and drgn do; and its VMCOREINFO note. Only
 * 64-bit little-endian cores, the kind the kernel's header describes.
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minidump.h"
#include "printk.h"

#define MAX_PHNUM	65536u

/* [off, off + len) inside the file. */
static bool in_file(const struct core *c, uint64_t off, uint64_t len)
{
	return off <= c->size && len <= c->size - off;
}

static void find_vmcoreinfo(struct core *c, uint64_t off, uint64_t len)
{
	uint64_t pos = 0;

	while (len - pos >= sizeof(Elf64_Nhdr)) {
		Elf64_Nhdr nh;
		uint64_t name_len, desc_len;

		memcpy(&nh, c->buf + off + pos, sizeof(nh));
		pos += sizeof(nh);
		name_len = ((uint64_t)nh.n_namesz + 3) & ~3ULL;
		desc_len = ((uint64_t)nh.n_descsz + 3) & ~3ULL;
		if (name_len > len - pos || nh.n_descsz > len - pos - name_len)
			return;
		if (nh.n_namesz == sizeof("VMCOREINFO") &&
		    !memcmp(c->buf + off + pos, "VMCOREINFO", sizeof("VMCOREINFO"))) {
			c->vmcoreinfo = (const char *)c->buf + off + pos + name_len;
			c->vmcoreinfo_len = nh.n_descsz;
			return;
		}
		pos += name_len;
		if (desc_len > len - pos)
			return;
		pos += desc_len;
	}
}

/**
 * core_open_mem() - take an ELF core file held in memory
 * @c: the core, filled in
 * @buf: the file's bytes; they must outlive @c
 * @size: how many
 * @name: for messages
 *
 * Return: 0, or -EXIT_INPUT (with a message) when it is not a 64-bit
 * little-endian ELF core, or -EXIT_SYSTEM.
 */
int core_open_mem(struct core *c, const void *buf, size_t size, const char *name)
{
	Elf64_Ehdr eh;
	uint64_t phnum, i;

	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->size = size;
	if (size < sizeof(eh) || memcmp(buf, ELFMAG, SELFMAG)) {
		warnx("%s: not an ELF file", name);
		return -EXIT_INPUT;
	}
	memcpy(&eh, buf, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_type != ET_CORE || eh.e_phentsize != sizeof(Elf64_Phdr)) {
		warnx("%s: not a 64-bit little-endian ELF core", name);
		return -EXIT_INPUT;
	}
	phnum = eh.e_phnum;
	if (phnum == PN_XNUM) {
		Elf64_Shdr sh0;

		if (!in_file(c, eh.e_shoff, sizeof(sh0))) {
			warnx("%s: program header count not in the file", name);
			return -EXIT_INPUT;
		}
		memcpy(&sh0, c->buf + eh.e_shoff, sizeof(sh0));
		phnum = sh0.sh_info;
	}
	if (phnum > MAX_PHNUM || !in_file(c, eh.e_phoff, phnum * sizeof(Elf64_Phdr))) {
		warnx("%s: program headers not in the file", name);
		return -EXIT_INPUT;
	}
	c->segs = calloc(phnum ? phnum : 1, sizeof(*c->segs));
	if (!c->segs)
		return -EXIT_SYSTEM;
	for (i = 0; i < phnum; i++) {
		struct core_seg *s = &c->segs[c->nr_segs];
		Elf64_Phdr ph;

		memcpy(&ph, c->buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_NOTE && !c->vmcoreinfo && in_file(c, ph.p_offset, 0)) {
			uint64_t len = ph.p_filesz;

			if (len > c->size - ph.p_offset)
				len = c->size - ph.p_offset;
			find_vmcoreinfo(c, ph.p_offset, len);
		}
		if (ph.p_type != PT_LOAD || !in_file(c, ph.p_offset, 0))
			continue;
		/* What the file holds of it; the rest reads as missing. */
		s->vaddr = ph.p_vaddr;
		s->off = ph.p_offset;
		s->len = ph.p_filesz;
		if (s->len > c->size - s->off)
			s->len = c->size - s->off;
		if (s->len > UINT64_MAX - s->vaddr)
			s->len = UINT64_MAX - s->vaddr;
		c->nr_segs++;
	}
	return 0;
}

/**
 * core_open_fd() - map an ELF core file and take it
 * @c: the core, filled in
 * @fd: the file, open for reading; it may be closed afterwards
 * @name: for messages
 *
 * Return: as core_open_mem().
 */
int core_open_fd(struct core *c, int fd, const char *name)
{
	struct stat st;
	void *map;
	int ret;

	if (fstat(fd, &st)) {
		warnx("%s: %s", name, strerror(errno));
		return -EXIT_SYSTEM;
	}
	if (!st.st_size || (uint64_t)st.st_size > SIZE_MAX)
		return core_open_mem(c, "", 0, name);
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		warnx("%s: %s", name, strerror(errno));
		return -EXIT_SYSTEM;
	}
	ret = core_open_mem(c, map, st.st_size, name);
	c->map = map;
	return ret;
}

/**
 * core_open() - map an ELF core file by name and take it
 * @c: the core, filled in
 * @path: the file
 *
 * Return: as core_open_mem(), or -EXIT_SYSTEM when it cannot be opened.
 */
int core_open(struct core *c, const char *path)
{
	struct stat st;
	int fd, ret;

	memset(c, 0, sizeof(*c));
	fd = open_input(path, &st);
	if (fd < 0)
		return fd;
	ret = core_open_fd(c, fd, path);
	close(fd);
	return ret;
}

/**
 * core_is_elf() - whether a path is a file that starts with the ELF magic
 * @path: the file
 *
 * Return: true if it is.
 */
bool core_is_elf(const char *path)
{
	char magic[SELFMAG];
	struct stat st;
	size_t got = 0;
	int fd;

	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return false;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return false;
	if (read_full(fd, 0, magic, sizeof(magic), &got))
		got = 0;
	close(fd);
	return got == sizeof(magic) && !memcmp(magic, ELFMAG, SELFMAG);
}

/**
 * core_read() - read kernel memory from a core, as prb_read_fn
 * @ctx: the struct core
 * @addr: virtual address
 * @buf: where the bytes go, or NULL to only check
 * @len: how many
 *
 * A range may cross from one PT_LOAD to the next.
 *
 * Return: true if every byte is in the file.
 */
bool core_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const struct core *c = ctx;

	while (len) {
		const struct core_seg *s = NULL;
		uint64_t n;
		size_t i;

		for (i = 0; i < c->nr_segs; i++)
			if (addr >= c->segs[i].vaddr && addr - c->segs[i].vaddr < c->segs[i].len) {
				s = &c->segs[i];
				break;
			}
		if (!s)
			return false;
		n = s->len - (addr - s->vaddr);
		if (n > len)
			n = len;
		if (buf) {
			memcpy(buf, c->buf + s->off + (addr - s->vaddr), n);
			buf = (char *)buf + n;
		}
		addr += n;
		len -= n;
		if (len && !addr)
			return false;
	}
	return true;
}

/**
 * core_section() - the bytes of the section named @name, as far as the file holds them
 * @c: the core
 * @name: section name, as the kernel's header names regions (KLOGBUF)
 * @data: set to the bytes
 * @len: set to their number
 *
 * Return: true if there is such a section.
 */
bool core_section(const struct core *c, const char *name, const unsigned char **data,
		  size_t *len)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh, str;
	uint64_t i, shnum;

	memcpy(&eh, c->buf, sizeof(eh));
	shnum = eh.e_shnum;
	if (!shnum || shnum > MAX_PHNUM || eh.e_shentsize != sizeof(sh) ||
	    !in_file(c, eh.e_shoff, shnum * sizeof(sh)) || eh.e_shstrndx >= shnum)
		return false;
	memcpy(&str, c->buf + eh.e_shoff + eh.e_shstrndx * sizeof(sh), sizeof(sh));
	if (!in_file(c, str.sh_offset, str.sh_size))
		return false;
	for (i = 1; i < shnum; i++) {
		const char *n;

		memcpy(&sh, c->buf + eh.e_shoff + i * sizeof(sh), sizeof(sh));
		if (sh.sh_type == SHT_NOBITS || sh.sh_name >= str.sh_size)
			continue;
		n = (const char *)c->buf + str.sh_offset + sh.sh_name;
		if (strnlen(n, str.sh_size - sh.sh_name) != strlen(name) ||
		    memcmp(n, name, strlen(name)))
			continue;
		if (!in_file(c, sh.sh_offset, 0))
			return false;
		*data = c->buf + sh.sh_offset;
		*len = sh.sh_size < c->size - sh.sh_offset ? sh.sh_size : c->size - sh.sh_offset;
		return true;
	}
	return false;
}

/**
 * core_close() - let go of a core
 * @c: the core
 */
void core_close(struct core *c)
{
	if (c->map)
		munmap(c->map, c->size);
	free(c->segs);
	memset(c, 0, sizeof(*c));
}

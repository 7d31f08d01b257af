// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: after "assemble", one ready command line each for gdb-multiarch,
 * drgn, crash and ramparse, from what the core's notes say (notes.c).
 *
 * gdb gets vmlinux only as a symbol file, never as the program: "gdb
 * vmlinux core" serves memory the core lacks out of vmlinux's file image,
 * so it shows values from build time as if they were the crash's. So:
 * "symbol-file -o KERNELOFFSET vmlinux", then "core-file", and for each
 * module the crash was in "add-symbol-file NAME.ko TEXT".
 *
 * drgn reads KERNELOFFSET from VMCOREINFO itself. It finds modules through
 * the kernel's module list, which a minidump rarely holds, so each is
 * placed by hand (a relocatable module at its .text address) before its
 * interactive prompt. crash 8.0.2 derives the offset from VMCOREINFO too;
 * its full mode needs kernel objects that only the crash client registers:
 * with them, --no_modules --active, else --minimal.
 *
 * Qualcomm's ramparse (linux-ramdump-parser-v2, run from its directory)
 * reads the core with --minidump --ram-elf, but opens it only beside a RAM
 * file (-e FILE START END): the header region at its address is a true
 * one, as the core starts with it. It never reads KERNELOFFSET: the offset
 * goes on the line. It knows a board only by name (--force-hardware), from
 * the user's own board definitions: BOARD is left for the user to fill.
 *
 * Everything from the dump that reaches a command line is checked first:
 * module names are [A-Za-z0-9_-] (notes.c), addresses are printed by us.
 * Paths are quoted for the shell, and for gdb or Python inside it.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minidump.h"

#define MAX_DEPTH	16

/* A module the crash was in, and what was found for it. */
struct found_module {
	const struct module_text *mt;
	char *path;		/* NULL: not found */
	uint64_t text_size;	/* of its .text, 0 if not known */
};

/* A growing string; on allocation failure it stays NULL and is not printed. */
struct str {
	char *s;
	size_t len;
	size_t size;
};

static void str_add(struct str *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->size) {
		size_t size = (b->len + n + 1) * 2;
		char *more = realloc(b->s, size);

		if (!more) {
			free(b->s);
			b->s = NULL;
			b->size = SIZE_MAX;	/* no further growth */
			return;
		}
		b->s = more;
		b->size = size;
	}
	if (!b->s)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void __attribute__((format(printf, 2, 3))) str_printf(struct str *b, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		str_add(b, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void str_puts(struct str *b, const char *s)
{
	str_add(b, s, strlen(s));
}

static void str_reset(struct str *b)
{
	free(b->s);
	*b = (struct str){ };
}

static bool shell_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("_-./:=+,@%", *s)))
			return false;
	return true;
}

/* @s as one shell word: as it is when that is safe, else in single quotes. */
static void shell_word(struct str *b, const char *s)
{
	if (shell_plain(s)) {
		str_puts(b, s);
		return;
	}
	str_puts(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			str_puts(b, "'\\''");
		else
			str_add(b, s, 1);
	}
	str_puts(b, "'");
}

/*
 * A file name as gdb's symbol-file and add-symbol-file split their
 * arguments: in double quotes, with '"' and '\' escaped, when it holds
 * white space or quotes.
 */
static void gdb_file(struct str *b, const char *s)
{
	if (!strpbrk(s, " \t\n\"'\\")) {
		str_puts(b, s);
		return;
	}
	str_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			str_puts(b, "\\");
		str_add(b, s, 1);
	}
	str_puts(b, "\"");
}

/* A Python string literal, every byte outside printable ASCII escaped. */
static void python_string(struct str *b, const char *s)
{
	str_puts(b, "\"");
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			str_printf(b, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			str_printf(b, "\\x%02x", c);
		else
			str_add(b, s, 1);
	}
	str_puts(b, "\"");
}

/* Whether a file name is NAME.ko, with '-' and '_' the same. */
static bool is_module_file(const char *file, const char *name)
{
	size_t n = strlen(name);
	size_t i;

	if (strlen(file) != n + 3 || strcmp(file + n, ".ko"))
		return false;
	for (i = 0; i < n; i++) {
		char a = file[i] == '-' ? '_' : file[i];
		char c = name[i] == '-' ? '_' : name[i];

		if (a != c)
			return false;
	}
	return true;
}

/*
 * Search @dir for each module's NAME.ko, depth first in name order, not
 * through symbolic links to directories; the first found is taken.
 */
static void search_dir(const char *dir, int depth, struct found_module *m, size_t nr)
{
	struct dirent **names;
	int count, i;
	size_t j;

	if (depth > MAX_DEPTH)
		return;
	count = scandir(dir, &names, NULL, alphasort);
	if (count < 0) {
		if (!depth)
			warnx("%s: %s", dir, strerror(errno));
		return;
	}
	for (i = 0; i < count; i++) {
		const char *e = names[i]->d_name;
		struct stat st;
		char *path;

		if (!strcmp(e, ".") || !strcmp(e, "..") ||
		    asprintf(&path, "%s/%s", dir, e) < 0)
			continue;
		if (!lstat(path, &st) && S_ISDIR(st.st_mode)) {
			search_dir(path, depth + 1, m, nr);
		} else if (!stat(path, &st) && S_ISREG(st.st_mode)) {
			for (j = 0; j < nr; j++)
				if (!m[j].path && is_module_file(e, m[j].mt->name)) {
					m[j].path = path;
					path = NULL;
					break;
				}
		}
		free(path);
	}
	for (i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* The size of a module file's .text, for drgn's address range; 0 if not known. */
static uint64_t text_size(const char *path)
{
	uint64_t size = 0;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && elf_kind(elf) == ELF_K_ELF && !elf_getshdrstrndx(elf, &shstrndx)) {
		while ((scn = elf_nextscn(elf, scn))) {
			const char *name;
			GElf_Shdr sh;

			if (!gelf_getshdr(scn, &sh))
				continue;
			name = elf_strptr(elf, shstrndx, sh.sh_name);
			if (name && !strcmp(name, ".text")) {
				size = sh.sh_size;
				break;
			}
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	return size;
}

static void find_modules(const struct crash_notes *n, const struct debugger_opts *o,
			 struct found_module *m)
{
	size_t i;

	for (i = 0; i < n->nr_modules; i++)
		m[i].mt = &n->modules[i];
	if (o->module_dir)
		search_dir(o->module_dir, 0, m, n->nr_modules);
	for (i = 0; i < n->nr_modules; i++) {
		if (m[i].path) {
			m[i].text_size = text_size(m[i].path);
		} else if (o->module_dir) {
			warnx("%s.ko: not under %s; the commands name it without a directory",
			      m[i].mt->name, o->module_dir);
		} else {
			warnx("%s.ko: the crash was in it; --module-dir DIR finds its file",
			      m[i].mt->name);
		}
	}
}

static const char *module_path(const struct found_module *m, char *buf, size_t size)
{
	if (m->path)
		return m->path;
	snprintf(buf, size, "%s.ko", m->mt->name);
	return buf;
}

/*
 * ---- The KASLR offset without VMCOREINFO ----
 *
 * The offset is where the kernel's linux_banner ran, less where vmlinux
 * links it: the PT_LOAD whose bytes are vmlinux's banner gives the first
 * (and, being in the kernel image, kimage_voffset = p_vaddr - p_paddr for
 * crash). A banner that matches also shows vmlinux is the kernel that ran.
 */
#define BANNER_MAX	512

struct measured {
	bool have;
	uint64_t offset;		/* KASLR offset */
	uint64_t kimage_voffset;
	uint64_t vaddr;			/* where the dump has the banner */
};

/* vmlinux's linux_banner: its link address, and its text up to its newline. */
static bool vmlinux_banner(Elf *elf, int fd, uint64_t *addr, char *text, size_t *len,
			   const char **why)
{
	Elf_Scn *scn = NULL;
	GElf_Sym sym = { };
	bool found = false;
	size_t i, got;

	while (!found && (scn = elf_nextscn(elf, scn))) {
		Elf_Data *data;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		for (i = 0; data && i < sh.sh_size / sh.sh_entsize; i++) {
			const char *name;

			if (!gelf_getsym(data, i, &sym) || !sym.st_size)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (name && !strcmp(name, "linux_banner")) {
				found = true;
				break;
			}
		}
	}
	if (!found) {
		*why = "it has no linux_banner symbol";
		return false;
	}
	*addr = sym.st_value;
	for (scn = NULL; (scn = elf_nextscn(elf, scn)); ) {
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS ||
		    sym.st_value < sh.sh_addr || sym.st_value - sh.sh_addr >= sh.sh_size)
			continue;
		*len = sym.st_size < BANNER_MAX ? sym.st_size : BANNER_MAX;
		if (*len > sh.sh_size - (sym.st_value - sh.sh_addr))
			*len = sh.sh_size - (sym.st_value - sh.sh_addr);
		if (read_full(fd, sh.sh_offset + (sym.st_value - sh.sh_addr), text, *len, &got) ||
		    got != *len)
			break;
		/* The text: the banner ends with a newline, then NUL. */
		for (i = 0; i < *len && text[i] && text[i] != '\n'; i++)
			;
		*len = i < *len && text[i] == '\n' ? i + 1 : i;
		if (*len >= sizeof("Linux version ") - 1 && !memcmp(text, "Linux version ", 14))
			return true;
		break;
	}
	*why = "its linux_banner is not in its file";
	return false;
}

/* The PT_LOAD of the core that starts with @text: the banner at run time. */
static bool core_banner(const char *elf_path, const char *text, size_t len, GElf_Phdr *found,
			const char **why)
{
	bool other = false, ok = false;
	char buf[BANNER_MAX];
	size_t p, phnum, got;
	Elf *elf;
	int fd;

	fd = open(elf_path, O_RDONLY);
	if (fd < 0) {
		*why = "the core cannot be read";
		return false;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getphdrnum(elf, &phnum))
		phnum = 0;
	for (p = 0; p < phnum && !ok; p++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, p, &ph) || ph.p_type != PT_LOAD || ph.p_filesz < 14 ||
		    read_full(fd, ph.p_offset, buf, len < ph.p_filesz ? len : ph.p_filesz, &got) ||
		    got < 14 || memcmp(buf, "Linux version ", 14))
			continue;
		if (got == len && !memcmp(buf, text, len)) {
			*found = ph;
			ok = true;
		} else {
			other = true;
		}
	}
	if (elf)
		elf_end(elf);
	close(fd);
	if (!ok && other)
		*why = "the dump's linux_banner is not vmlinux's: is it the kernel that ran?";
	else if (!ok)
		*why = "no region of the dump holds linux_banner";
	return ok;
}

/* The KASLR offset from vmlinux's linux_banner; on failure, *why says why. */
static bool measure_offset(const char *elf_path, const char *vmlinux, struct measured *m,
			   const char **why)
{
	char text[BANNER_MAX];
	uint64_t addr = 0;
	size_t len = 0;
	GElf_Phdr ph;
	bool ok;
	Elf *elf;
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return false;
	fd = open(vmlinux, O_RDONLY);
	if (fd < 0) {
		*why = strerror(errno);
		return false;
	}
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		*why = "not an ELF file";
		ok = false;
	} else {
		ok = vmlinux_banner(elf, fd, &addr, text, &len, why);
	}
	if (elf)
		elf_end(elf);
	close(fd);
	if (!ok || !core_banner(elf_path, text, len, &ph, why))
		return false;
	m->have = true;
	m->offset = ph.p_vaddr - addr;
	m->kimage_voffset = ph.p_vaddr - ph.p_paddr;
	m->vaddr = ph.p_vaddr;
	return true;
}

/* One -ex for gdb, quoted for the shell. */
static void gdb_ex(struct str *b, const struct str *cmd)
{
	str_puts(b, " -ex ");
	shell_word(b, cmd->s ? cmd->s : "");
}

static void gdb_line(struct str *b, const char *elf_path, const struct crash_notes *n,
		     const struct debugger_opts *o, const struct found_module *m,
		     const struct measured *ms)
{
	char ko[NOTE_MODULE_NAME_LEN + 4];
	struct str cmd = { };
	size_t i;

	str_puts(b, "gdb: gdb-multiarch -q -ex 'set pagination off'");
	if (n->nr_modules)
		str_puts(b, " -ex 'set confirm off'");
	str_puts(&cmd, "symbol-file ");
	if (n->have_kerneloffset)
		str_printf(&cmd, "-o 0x%" PRIx64 " ", n->kerneloffset);
	else if (ms->have)
		str_printf(&cmd, "-o 0x%" PRIx64 " ", ms->offset);
	gdb_file(&cmd, o->vmlinux);
	gdb_ex(b, &cmd);
	for (i = 0; i < n->nr_modules; i++) {
		str_reset(&cmd);
		str_puts(&cmd, "add-symbol-file ");
		gdb_file(&cmd, module_path(&m[i], ko, sizeof(ko)));
		str_printf(&cmd, " 0x%" PRIx64, m[i].mt->addr);
		gdb_ex(b, &cmd);
	}
	/* core-file takes the rest of its line as the name, unquoted. */
	str_reset(&cmd);
	str_puts(&cmd, "core-file ");
	str_puts(&cmd, elf_path);
	gdb_ex(b, &cmd);
	str_puts(b, " -ex bt");
	str_reset(&cmd);
}

static void drgn_line(struct str *b, const char *elf_path, const struct crash_notes *n,
		      const struct debugger_opts *o, const struct found_module *m)
{
	struct str code = { };
	char ko[NOTE_MODULE_NAME_LEN + 4];
	size_t i;

	str_puts(b, "drgn: drgn -c ");
	shell_word(b, elf_path);
	if (!n->have_vmcoreinfo) {
		/* Not a kernel core to drgn: memory by address, no symbols. */
		str_puts(b, " --no-default-symbols");
		return;
	}
	str_puts(b, " -s ");
	shell_word(b, o->vmlinux);
	if (!n->nr_modules)
		return;
	str_puts(&code, "import drgn.cli; ");
	for (i = 0; i < n->nr_modules; i++) {
		uint64_t text = m[i].mt->addr;

		str_puts(&code, "m = prog.relocatable_module(");
		python_string(&code, m[i].mt->name);
		str_printf(&code, ", 0x%" PRIx64 ", create=True); ", text);
		if (m[i].text_size && text + m[i].text_size > text)
			str_printf(&code, "m.address_range = (0x%" PRIx64 ", 0x%" PRIx64 "); ",
				   text, text + m[i].text_size);
		str_printf(&code, "m.section_addresses[\".text\"] = 0x%" PRIx64 "; ", text);
		str_puts(&code, "m.try_file(");
		python_string(&code, module_path(&m[i], ko, sizeof(ko)));
		str_puts(&code, ", force=True); ");
	}
	str_puts(&code, "drgn.cli.run_interactive(prog)");
	str_puts(b, " -e ");
	shell_word(b, code.s ? code.s : "");
	str_reset(&code);
}

static void crash_line(struct str *b, const char *elf_path, const struct crash_notes *n,
		       const struct debugger_opts *o, const struct measured *ms)
{
	/*
	 * crash 8.0.2 knows neither 6.4's module layout nor how to read the
	 * pid table from a dump that holds only the running tasks.
	 */
	str_puts(b, n->crash_full ? "crash: crash --no_modules --active " :
				    "crash: crash --minimal ");
	/*
	 * No panic (a bite): no kernel registers, and no panic task for crash
	 * to look for on every CPU's stack, which it reads through the page
	 * tables of the live stacks, not in the dump.
	 */
	if (n->crash_full && (n->fw_regs || !notes_have_registers(n)))
		str_puts(b, "--no_panic ");
	/* What crash takes from VMCOREINFO otherwise, for the kernel image. */
	if (!n->have_vmcoreinfo && ms->have)
		str_printf(b, "--kaslr=0x%" PRIx64 " -m kimage_voffset=0x%" PRIx64 " ", ms->offset,
			   ms->kimage_voffset);
	shell_word(b, o->vmlinux);
	str_puts(b, " ");
	shell_word(b, elf_path);
}

static void ramparse_line(struct str *b, const char *elf_path, const struct crash_notes *n,
			  const struct debugger_opts *o, const struct measured *ms)
{
	str_puts(b, "ramparse: python3 ramparse.py --minidump --ram-elf ");
	shell_word(b, elf_path);
	if (n->have_header && n->header_size) {
		str_puts(b, " -e ");
		shell_word(b, elf_path);
		str_printf(b, " 0x%" PRIx64 " 0x%" PRIx64, n->header_addr,
			   n->header_addr + n->header_size - 1);
	}
	str_puts(b, " -v ");
	shell_word(b, o->vmlinux);
	if (n->have_kerneloffset)
		str_printf(b, " --kaslr-offset 0x%" PRIx64, n->kerneloffset);
	else if (ms->have)
		str_printf(b, " --kaslr-offset 0x%" PRIx64, ms->offset);
	str_puts(b, " --force-hardware BOARD --dmesg");
}

static void put_line(FILE *f, struct str *b)
{
	if (b->s)
		fprintf(f, "%s\n", b->s);
	str_reset(b);
}

/**
 * debugger_commands() - print how to open a core in gdb, drgn, crash and ramparse
 * @f: where to
 * @elf_path: the core, as the user named it
 * @n: what its notes say
 * @o: vmlinux and where to look for modules
 *
 * One line each, "gdb: ...", "drgn: ...", "crash: ...", "ramparse: ...";
 * before them the registers: none line when a debugger will find no
 * registers to unwind.
 * Without KERNELOFFSET the offset is measured from vmlinux's linux_banner;
 * that, modules not found and a missing offset get a message on stderr.
 */
void debugger_commands(FILE *f, const char *elf_path, const struct crash_notes *n,
		       const struct debugger_opts *o)
{
	struct found_module *m = NULL;
	struct measured ms = { };
	struct str b = { };
	size_t i;

	if (n->nr_modules) {
		m = calloc(n->nr_modules, sizeof(*m));
		if (!m) {
			warnx("out of memory");
			return;
		}
		find_modules(n, o, m);
	}
	if (!n->have_kerneloffset) {
		const char *lack = n->have_vmcoreinfo ? "no KERNELOFFSET in VMCOREINFO" :
				   "no VMCOREINFO";
		const char *why = "";

		if (measure_offset(elf_path, o->vmlinux, &ms, &why))
			warnx("%s: %s: KASLR offset 0x%" PRIx64 " from %s's linux_banner, at 0x%"
			      PRIx64 " in the dump%s", elf_path, lack, ms.offset, o->vmlinux,
			      ms.vaddr, n->have_vmcoreinfo ? "" :
			      "; drgn reads it only as memory (prog.read())");
		else
			warnx("%s: %s: gdb's symbol-file gets no offset (%s: %s)%s", elf_path, lack,
			      o->vmlinux, why, n->have_vmcoreinfo ? "" :
			      "; drgn reads it only as memory (prog.read())");
	}
	if (!notes_have_registers(n))
		fprintf(f, "%s\n", n->lost ? notes_lost_registers : notes_no_registers);
	gdb_line(&b, elf_path, n, o, m, &ms);
	put_line(f, &b);
	drgn_line(&b, elf_path, n, o, m);
	put_line(f, &b);
	crash_line(&b, elf_path, n, o, &ms);
	put_line(f, &b);
	ramparse_line(&b, elf_path, n, o, &ms);
	put_line(f, &b);
	for (i = 0; i < n->nr_modules; i++)
		free(m[i].path);
	free(m);
}

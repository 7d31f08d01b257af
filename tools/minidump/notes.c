// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: what the kernel's PT_NOTE says about a crash. After a panic or
 * an oops it holds, in this order:
 *
 *  - VMCOREINFO (type 0): "KEY=VALUE" lines; here OSRELEASE, PAGESIZE and
 *    KERNELOFFSET (the KASLR offset, hex without 0x);
 *  - one NT_PRSTATUS ("CORE", type 1) per CPU whose registers the kernel
 *    saved, the panicking CPU first, pr_pid = CPU + 1;
 *  - one NT_PRPSINFO ("CORE", type 3): the crashing task;
 *  - one NT_TASKSTRUCT ("CORE", type 4): its task_struct's address, where
 *    crash looks first for the panic task. crash reads the address right
 *    after n_namesz bytes of name, without rounding to 4: the kernel pads
 *    the name to 8 bytes, and a name of another size is a problem;
 *  - after a crash in module code, "QCOM_MINIDUMP" (type 0): lines
 *    "MODULE_TEXT(NAME)=ADDR", where that module's .text was loaded.
 *
 * A watchdog bite leaves only VMCOREINFO. The layouts are arm64's; any
 * order is accepted. Every size and offset is checked before use: a note
 * that does not fit ends the walk, a note of the wrong size is ignored,
 * each with one message, and both count as problems.
 */

#include <endian.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "minidump.h"

#define NOTE_HDR		12
#define NT_PRSTATUS		1
#define NT_PRPSINFO		3
#define NT_TASKSTRUCT		4

/* arm64's struct elf_prstatus and struct elf_prpsinfo (64-bit). */
#define PRSTATUS_SIZE		392
#define PRSTATUS_PID		0x20
#define PRSTATUS_REGS		0x70
#define PRSTATUS_NR_REGS	34	/* x0-x30, sp, pc, pstate */
#define PRPSINFO_SIZE		136
#define PRPSINFO_PID		24
#define PRPSINFO_FNAME		40
#define PRPSINFO_FNAME_LEN	16

#define MAX_CPUS		65536
#define MAX_NR_NOTES		100000

/* One line, stable for scripts: it starts with "registers: none". */
#define NO_REGS		"registers: none in this dump"
#define NO_REGS_WHY	"no Linux code ran at the crash, e.g. a watchdog bite"
#define NO_REGS_SO	"debuggers can read memory but cannot unwind a stack"
const char notes_no_registers[] = NO_REGS " (" NO_REGS_WHY "): " NO_REGS_SO;
const char notes_lost_registers[] = NO_REGS " (the note region is missing or cut): " NO_REGS_SO;

static void __attribute__((format(printf, 2, 3)))
problem(struct crash_notes *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s", msg);
	n->problems++;
}

/* Grow an array of @size-byte items to hold one more; false when out of memory. */
static bool grow(void **array, size_t nr, size_t size)
{
	void *more;

	if (nr % 16)
		return true;
	more = realloc(*array, (nr + 16) * size);
	if (!more)
		return false;
	*array = more;
	return true;
}

/* [s, s + len) as a number in hex, "0x" allowed; at most 16 digits. */
bool parse_hex(const char *s, size_t len, uint64_t *val)
{
	size_t i;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	}
	if (!len || len > 16)
		return false;
	*val = 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		*val = *val << 4 | d;
	}
	return true;
}

/* A module name as the kernel gives it: [A-Za-z0-9_-], 1 to 55 characters. */
bool module_name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= NOTE_MODULE_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/*
 * Call @fn for each line of a text descriptor, up to its first NUL; a
 * last line without '\n' counts.
 */
static void each_line(struct crash_notes *n, const char *text, size_t len, const char *what,
		      void (*fn)(struct crash_notes *n, const char *line, size_t len,
				 unsigned int nr, const char *what))
{
	unsigned int nr = 1;
	const char *end;

	end = memchr(text, '\0', len);
	if (end)
		len = end - text;
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t l = nl ? (size_t)(nl - text) : len;

		fn(n, text, l, nr++, what);
		if (!nl)
			break;
		len -= l + 1;
		text = nl + 1;
	}
}

/* Whether a line is KEY=...; *value and *vlen are then what follows. */
static bool key_is(const char *line, size_t len, const char *key, const char **value,
		   size_t *vlen)
{
	size_t k = strlen(key);

	if (len < k || memcmp(line, key, k))
		return false;
	*value = line + k;
	*vlen = len - k;
	return true;
}

static void vmcoreinfo_line(struct crash_notes *n, const char *line, size_t len,
			    unsigned int nr, const char *what)
{
	const char *v;
	size_t vlen;

	if (key_is(line, len, "OSRELEASE=", &v, &vlen) && !n->osrelease[0]) {
		snprintf(n->osrelease, sizeof(n->osrelease), "%.*s", (int)vlen, v);
	} else if (key_is(line, len, "PAGESIZE=", &v, &vlen) && !n->page_size) {
		/* Decimal; only a power of two counts (it sizes assemble's guards). */
		char num[24];
		uint64_t size;
		char *end;

		snprintf(num, sizeof(num), "%.*s", (int)(vlen < 20 ? vlen : 20), v);
		size = strtoull(num, &end, 10);
		if (end != num && !*end && size && !(size & (size - 1)))
			n->page_size = size;
	} else if (key_is(line, len, "KERNELOFFSET=", &v, &vlen) && !n->have_kerneloffset) {
		if (parse_hex(v, vlen, &n->kerneloffset))
			n->have_kerneloffset = true;
		else
			problem(n, "%s: VMCOREINFO line %u: KERNELOFFSET is not a hex number",
				what, nr);
	}
}

static void qcom_line(struct crash_notes *n, const char *line, size_t len, unsigned int nr,
		      const char *what)
{
	struct module_text *m;
	const char *v, *close;
	size_t vlen;

	if (!key_is(line, len, "MODULE_TEXT(", &v, &vlen))
		return;		/* a key of a later kernel: not ours to judge */
	close = memchr(v, ')', vlen);
	if (!close || close + 1 >= v + vlen || close[1] != '=' ||
	    !module_name_ok(v, close - v)) {
		problem(n, "%s: QCOM_MINIDUMP line %u: not MODULE_TEXT(NAME)=ADDR; ignored",
			what, nr);
		return;
	}
	if (!grow((void **)&n->modules, n->nr_modules, sizeof(*n->modules)))
		return;
	m = &n->modules[n->nr_modules];
	snprintf(m->name, sizeof(m->name), "%.*s", (int)(close - v), v);
	if (!parse_hex(close + 2, v + vlen - close - 2, &m->addr)) {
		problem(n, "%s: QCOM_MINIDUMP line %u: %s: address is not a hex number; ignored",
			what, nr, m->name);
		return;
	}
	n->nr_modules++;
}

/* A line of the tool's own QCOM_CPU_CTX note (fwctx.c): CPU(N)=STATUS. */
static void cpu_ctx_line(struct crash_notes *n, const char *line, size_t len,
			 unsigned int nr, const char *what)
{
	uint64_t cpu = 0, status;
	const char *close, *p;

	close = memchr(line, ')', len);
	for (p = line + 4; close && p < close && cpu < MAX_CPUS; p++)
		cpu = *p >= '0' && *p <= '9' ? cpu * 10 + (*p - '0') : MAX_CPUS;
	if (len < 7 || memcmp(line, "CPU(", 4) || !close || close == line + 4 ||
	    close + 1 >= line + len || close[1] != '=' ||
	    !parse_hex(close + 2, line + len - close - 2, &status) || cpu >= MAX_CPUS ||
	    status > UINT32_MAX) {
		problem(n, "%s: QCOM_CPU_CTX line %u: not CPU(N)=STATUS; ignored", what, nr);
		return;
	}
	if (!grow((void **)&n->fw_status, n->nr_fw_status, sizeof(*n->fw_status)))
		return;
	n->fw_status[n->nr_fw_status].cpu = cpu;
	n->fw_status[n->nr_fw_status++].status = status;
}

static void read_prstatus(struct crash_notes *n, const unsigned char *desc, size_t off,
			  const char *what)
{
	struct crash_regs *r;
	int32_t pid = (int32_t)get_le32(desc + PRSTATUS_PID);
	unsigned int i;
	size_t j;

	if (!grow((void **)&n->regs, n->nr_regs, sizeof(*n->regs)))
		return;
	r = &n->regs[n->nr_regs];
	r->sp = get_le64(desc + PRSTATUS_REGS + 31 * 8);
	r->pc = get_le64(desc + PRSTATUS_REGS + 32 * 8);
	r->lr = get_le64(desc + PRSTATUS_REGS + 30 * 8);
	r->pstate = get_le64(desc + PRSTATUS_REGS + 33 * 8);
	r->empty = true;
	for (i = 0; i < PRSTATUS_NR_REGS; i++)
		if (get_le64(desc + PRSTATUS_REGS + i * 8))
			r->empty = false;
	r->cpu = pid >= 1 && pid <= MAX_CPUS ? pid - 1 : -1;
	if (!r->empty && r->cpu < 0) {
		problem(n, "%s: NT_PRSTATUS at offset %#zx: pr_pid %d is no CPU's; ignored",
			what, off, pid);
		return;
	}
	for (j = 0; r->cpu >= 0 && j < n->nr_regs; j++)
		if (n->regs[j].cpu == r->cpu) {
			problem(n, "%s: NT_PRSTATUS at offset %#zx: CPU %d again; the first kept",
				what, off, r->cpu);
			return;
		}
	n->nr_regs++;
}

static void read_prpsinfo(struct crash_notes *n, const unsigned char *desc, size_t off,
			  const char *what)
{
	const char *fname = (const char *)desc + PRPSINFO_FNAME;
	int32_t pid = (int32_t)get_le32(desc + PRPSINFO_PID);

	if (!pid && !fname[0])
		return;		/* left zero, to be filled in later */
	if (n->have_task) {
		problem(n, "%s: NT_PRPSINFO at offset %#zx: a second one; the first kept", what,
			off);
		return;
	}
	n->have_task = true;
	n->task_pid = pid;
	memcpy(n->task, fname, PRPSINFO_FNAME_LEN);
	n->task[PRPSINFO_FNAME_LEN] = '\0';
}

static void list_note(struct crash_notes *n, const char *name, uint32_t type, uint32_t size)
{
	struct note_info *ni;

	if (n->nr_notes >= MAX_NR_NOTES ||
	    !grow((void **)&n->notes, n->nr_notes, sizeof(*n->notes)))
		return;
	ni = &n->notes[n->nr_notes++];
	snprintf(ni->name, sizeof(ni->name), "%s", name);
	ni->type = type;
	ni->size = size;
}

static void read_taskstruct(struct crash_notes *n, uint32_t namesz, const unsigned char *desc,
			    uint32_t descsz, size_t off, const char *what)
{
	if (descsz != 8) {
		problem(n, "%s: NT_TASKSTRUCT at offset %#zx: %u bytes, not 8; ignored", what, off,
			descsz);
		return;
	}
	if (namesz % 4)
		problem(n, "%s: NT_TASKSTRUCT at offset %#zx: a %u-byte name: crash misreads it",
			what, off, namesz);
	if (n->have_task_struct) {
		problem(n, "%s: NT_TASKSTRUCT at offset %#zx: a second one; the first kept", what,
			off);
		return;
	}
	n->have_task_struct = true;
	n->task_struct = get_le64(desc);
}

static void read_note(struct crash_notes *n, const char *name, uint32_t namesz, uint32_t type,
		      const unsigned char *desc, uint32_t descsz, size_t off, const char *what)
{
	list_note(n, name, type, descsz);
	if (!strcmp(name, "CORE") && type == NT_PRSTATUS) {
		if (descsz != PRSTATUS_SIZE)
			problem(n, "%s: NT_PRSTATUS at offset %#zx: %u bytes, not %u; ignored",
				what, off, descsz, PRSTATUS_SIZE);
		else
			read_prstatus(n, desc, off, what);
	} else if (!strcmp(name, "CORE") && type == NT_PRPSINFO) {
		if (descsz != PRPSINFO_SIZE)
			problem(n, "%s: NT_PRPSINFO at offset %#zx: %u bytes, not %u; ignored",
				what, off, descsz, PRPSINFO_SIZE);
		else
			read_prpsinfo(n, desc, off, what);
	} else if (!strcmp(name, "CORE") && type == NT_TASKSTRUCT) {
		read_taskstruct(n, namesz, desc, descsz, off, what);
	} else if (!strcmp(name, "VMCOREINFO") && !type) {
		if (!n->have_vmcoreinfo)
			each_line(n, (const char *)desc, descsz, what, vmcoreinfo_line);
		n->have_vmcoreinfo = true;
	} else if (!strcmp(name, "QCOM_MINIDUMP") && !type) {
		each_line(n, (const char *)desc, descsz, what, qcom_line);
	} else if (!strcmp(name, "QCOM_CPU_CTX") && !type) {
		n->fw_regs = true;
		each_line(n, (const char *)desc, descsz, what, cpu_ctx_line);
	}
}

/**
 * notes_read() - read the notes of a PT_NOTE segment
 * @buf: the segment's bytes
 * @len: how many
 * @what: the file, for messages
 * @n: where the findings go; zeroed by the caller, added to by each call
 *
 * The walk stops at zero padding, at the end, or at a note that does not
 * fit (one message). Each message counts in @n->problems.
 */
void notes_read(const unsigned char *buf, size_t len, const char *what, struct crash_notes *n)
{
	size_t off = 0;

	while (len - off >= NOTE_HDR) {
		uint32_t namesz = get_le32(buf + off), descsz = get_le32(buf + off + 4);
		uint32_t type = get_le32(buf + off + 8);
		size_t room = len - off - NOTE_HDR;
		uint64_t name_len = ((uint64_t)namesz + 3) & ~3ULL;
		uint64_t desc_len = ((uint64_t)descsz + 3) & ~3ULL;
		const char *name = (const char *)buf + off + NOTE_HDR;

		if (!namesz && !descsz && !type)
			break;
		if (!namesz || name_len > room || descsz > room - name_len) {
			problem(n, "%s: note at offset %#zx runs past the segment (%zu bytes)",
				what, off, len);
			return;
		}
		if (name[namesz - 1])
			problem(n, "%s: note at offset %#zx: name not NUL-terminated; skipped",
				what, off);
		else
			read_note(n, name, namesz, type, (const unsigned char *)name + name_len,
				  descsz, off, what);
		off += NOTE_HDR + name_len + (desc_len < room - name_len ? desc_len :
					      room - name_len);
	}
}

/**
 * notes_free() - free what notes_read() allocated
 * @n: the findings
 */
void notes_free(struct crash_notes *n)
{
	free(n->notes);
	free(n->regs);
	free(n->modules);
	free(n->fw_status);
	memset(n, 0, sizeof(*n));
}

/* CPUs whose registers a debugger can unwind from. */
static size_t nr_filled(const struct crash_notes *n)
{
	size_t i, nr = 0;

	for (i = 0; i < n->nr_regs; i++)
		nr += !n->regs[i].empty;
	return nr;
}

/**
 * notes_have_registers() - whether a debugger finds registers to unwind from
 * @n: the findings
 *
 * Return: true if some NT_PRSTATUS holds registers that are not all zero.
 */
bool notes_have_registers(const struct crash_notes *n)
{
	return nr_filled(n);
}

/* A task name for a terminal: bytes outside printable ASCII as \xNN. */
static void print_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (c < 0x20 || c >= 0x7f || c == '\\')
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

/* What firmware said of a CPU, from the QCOM_CPU_CTX note. */
static const char *fw_role(const struct crash_notes *n, int cpu)
{
	size_t i;

	for (i = 0; i < n->nr_fw_status; i++) {
		if (n->fw_status[i].cpu != cpu)
			continue;
		if (n->fw_status[i].status & FWCTX_STATUS_WATCHDOG)
			return ", took the watchdog";
		if (n->fw_status[i].status & FWCTX_STATUS_SIGNALLED)
			return ", signalled";
		return "";
	}
	return "";
}

/* " (symbol+0xoff)" when @syms names @addr, else "". */
static const char *sym_text(const struct syms *syms, uint64_t addr, char *buf, size_t size)
{
	char name[200];

	if (!syms || !syms_name(syms, addr, name, sizeof(name)))
		return "";
	snprintf(buf, size, " (%s)", name);
	return buf;
}

/**
 * notes_print() - the crash, as "minidump summary" prints it
 * @f: where to
 * @n: the findings
 * @syms: to name pc and lr by, or NULL
 */
void notes_print(FILE *f, const struct crash_notes *n, const struct syms *syms)
{
	size_t i, nr = nr_filled(n);
	char pcs[256], lrs[256];

	if (n->have_kerneloffset)
		fprintf(f, "kerneloffset: 0x%" PRIx64 "\n", n->kerneloffset);
	else
		fprintf(f, "kerneloffset: unknown (no KERNELOFFSET in VMCOREINFO)\n");
	if (nr && n->fw_regs)
		fprintf(f, "registers: %zu CPU%s, from firmware at bite, %s\n", nr,
			nr == 1 ? "" : "s", "the one that took the watchdog first");
	else if (nr)
		fprintf(f, "registers: %zu CPU%s, from the kernel at panic, %s\n", nr,
			nr == 1 ? "" : "s", "the panicking one first");
	else
		fprintf(f, "%s\n", notes_no_registers);
	for (i = 0; i < n->nr_regs; i++) {
		const struct crash_regs *r = &n->regs[i];

		if (r->empty)
			fprintf(f, "  NT_PRSTATUS %zu: every register zero (not filled in)\n", i);
		else
			fprintf(f, "  cpu %d: pc 0x%" PRIx64 "%s, lr 0x%" PRIx64 "%s, sp 0x%" PRIx64
				"%s\n", r->cpu, r->pc, sym_text(syms, r->pc, pcs, sizeof(pcs)),
				r->lr, sym_text(syms, r->lr, lrs, sizeof(lrs)), r->sp,
				n->fw_regs ? fw_role(n, r->cpu) : "");
	}
	if (n->have_task) {
		fprintf(f, "task: ");
		print_text(f, n->task);
		fprintf(f, " (pid %d)\n", n->task_pid);
	}
	if (n->have_task_struct)
		fprintf(f, "task_struct: 0x%" PRIx64 "\n", n->task_struct);
	for (i = 0; i < n->nr_modules; i++)
		fprintf(f, "module: %s .text at 0x%" PRIx64 "\n", n->modules[i].name,
			n->modules[i].addr);
}

/**
 * notes_json() - the crash's JSON members, each followed by ", "
 * @f: where to
 * @n: the findings
 */
void notes_json(FILE *f, const struct crash_notes *n)
{
	size_t i, nr = 0;

	fprintf(f, "\"kerneloffset\": ");
	if (n->have_kerneloffset)
		fprintf(f, "\"0x%" PRIx64 "\", ", n->kerneloffset);
	else
		fprintf(f, "null, ");
	fprintf(f, "\"registers\": [");
	for (i = 0; i < n->nr_regs; i++) {
		const struct crash_regs *r = &n->regs[i];

		if (r->empty)
			continue;
		fprintf(f, "%s{\"cpu\": %d, \"pc\": \"0x%" PRIx64 "\", \"lr\": \"0x%" PRIx64
			"\", \"sp\": \"0x%" PRIx64 "\"}", nr++ ? ", " : "", r->cpu, r->pc, r->lr,
			r->sp);
	}
	fprintf(f, "], \"registers_from\": %s", !nr ? "null" :
		n->fw_regs ? "\"firmware at bite\"" : "\"kernel at panic\"");
	fprintf(f, ", \"task\": ");
	if (n->have_task) {
		fprintf(f, "{\"name\": ");
		json_string(f, n->task);
		fprintf(f, ", \"pid\": %d}", n->task_pid);
	} else {
		fprintf(f, "null");
	}
	if (n->have_task_struct)
		fprintf(f, ", \"task_struct\": \"0x%" PRIx64 "\"", n->task_struct);
	else
		fprintf(f, ", \"task_struct\": null");
	fprintf(f, ", \"modules\": [");
	for (i = 0; i < n->nr_modules; i++) {
		fprintf(f, "%s{\"name\": ", i ? ", " : "");
		json_string(f, n->modules[i].name);
		fprintf(f, ", \"text\": \"0x%" PRIx64 "\"}", n->modules[i].addr);
	}
	fprintf(f, "], ");
}

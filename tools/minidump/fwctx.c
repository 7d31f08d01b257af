// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: the CPU context secure firmware saves at a watchdog bite, as
 * NT_PRSTATUS notes; and the kernel's KMODULES lines.
 *
 * At a bite no Linux code runs. Firmware (TZ, or SDI) saves each CPU's
 * registers into a buffer the kernel published, 0x800 bytes in format 1.4,
 * and marks the buffer's msm_dump_data with a magic and the format
 * version. It finds the buffers through the memory dump table (v2): a root
 * table whose "apps" entry points at a table with one data entry per CPU
 * (id 0x00 + cpu). A kernel registers the table block as MEMDUMP, and each
 * buffer as KCPU_CTX<cpu> (older kernels only the buffers).
 *
 * With MEMDUMP the table is walked from its bytes, every address it holds
 * translated through the physical addresses of the dump's regions, magic
 * and version checked; without it, each KCPU_CTX<cpu> region is read as
 * format 1.4 (nothing says otherwise, and the reader says so). A buffer
 * that is all zeroes holds no registers. Everything is untrusted: every
 * count, address and length is checked, and each thing wrong is one
 * message; those that show a damaged dump count as problems.
 *
 * The result is one NT_PRSTATUS per CPU (pr_pid = CPU + 1), the CPU that
 * took the watchdog first, then the others by number, and a note of ours,
 * "QCOM_CPU_CTX", lines "CPU(N)=STATUS" with status[1] of each: so that
 * "summary" can say the registers came from firmware.
 */

#include <endian.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "minidump.h"

#define DUMP_TABLE_V2		0x00200000u	/* msm_dump_table.version, v2.0 */
#define DUMP_TABLE_MAX_ENTRIES	256
#define DUMP_TABLE_HDR		8
#define DUMP_ENTRY_SIZE		48
#define DUMP_ENTRY_NAME		4
#define DUMP_ENTRY_TYPE		36
#define DUMP_ENTRY_ADDR		40
#define DUMP_TYPE_DATA		0
#define DUMP_TYPE_TABLE		1
#define DUMP_TABLE_APPS		0		/* the root's entry id of the apps table */
#define DUMP_DATA_SIZE		64
#define DUMP_DATA_MAGIC_OFF	4
#define DUMP_DATA_ADDR		40
#define DUMP_DATA_LEN		48
#define DUMP_MAGIC		0x42445953u	/* "SYDB": firmware wrote the buffer */
#define DUMP_MAGIC_HYP		0x42444832u	/* "2HDB": a hypervisor's vCPU */
#define CPU_CTX_ID_MAX		0x20		/* ids 0x00 + cpu */

/* The CPU context buffer, format 1.4. */
#define CTX_V14			0x14
#define CTX_STATUS1		0x004
#define CTX_X0			0x010
#define CTX_PC			0x108
#define CTX_SP_EL3		0x118
#define CTX_ELR_EL3		0x120
#define CTX_SPSR_EL3		0x128
#define CTX_SP_EL2		0x130
#define CTX_SP_EL1		0x148
#define CTX_SP_EL0		0x160
#define CTX_STATE0		0x168
#define CTX_STATE1		0x170
#define CTX_MIN			0x178		/* what is read of it */
#define CTX_STATE0_PC_INVALID	0x1

#define PRSTATUS_SIZE		392
#define PRSTATUS_PID		0x20
#define PRSTATUS_REGS		0x70

static void __attribute__((format(printf, 2, 3)))
damaged(struct fw_ctx *c, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s", msg);
	c->problems++;
}

/* A region's name without the core's leading 'K', in any case. */
static bool fw_name_is(const char *name, const char *want)
{
	if (name[0] == 'K' || name[0] == 'k')
		name++;
	return !strcasecmp(name, want);
}

/* CPU_CTX<N>: N, or -1. */
static int cpu_ctx_number(const char *name)
{
	const char *p;
	long cpu = 0;

	if (name[0] == 'K' || name[0] == 'k')
		name++;
	if (strncasecmp(name, "CPU_CTX", 7) || !name[7])
		return -1;
	for (p = name + 7; *p; p++) {
		if (*p < '0' || *p > '9' || cpu > 65535)
			return -1;
		cpu = cpu * 10 + (*p - '0');
	}
	return cpu < 65536 ? (int)cpu : -1;
}

/**
 * fwctx_wanted() - whether assemble should hand a region to fwctx_read()
 * @name: the region's name
 *
 * Return: true for MEMDUMP and CPU_CTX<N>, with or without the leading 'K'.
 */
bool fwctx_wanted(const char *name)
{
	return fw_name_is(name, "MEMDUMP") || cpu_ctx_number(name) >= 0;
}

/*
 * The bytes at physical [addr, addr + len) in one region: NULL, with a
 * message naming @what, when no region holds them or it holds only part.
 */
static const unsigned char *translate(struct fw_ctx *c, const struct fw_mem *mem, size_t nr,
				      uint64_t addr, uint64_t len, const char *what)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		const struct fw_mem *m = &mem[i];
		uint64_t off = addr - m->paddr;

		if (addr < m->paddr || off >= m->size)
			continue;
		if (len > m->size - off) {
			damaged(c, "%s: %s at %#" PRIx64 ", %#" PRIx64
				" bytes: runs past the end of region %s", c->what, what, addr, len,
				m->name);
			return NULL;
		}
		if (off + len > m->held) {
			damaged(c, "%s: %s at %#" PRIx64 ": region %s is truncated (%" PRIu64
				" of %" PRIu64 " bytes)", c->what, what, addr, m->name, m->held,
				m->size);
			return NULL;
		}
		return m->data + off;
	}
	damaged(c, "%s: %s at %#" PRIx64 " points outside any region of the dump", c->what, what,
		addr);
	return NULL;
}

static bool all_zero(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/* The stack pointer PSTATE.M says the CPU was using. */
static uint64_t pick_sp(const unsigned char *b, uint64_t pstate)
{
	switch (pstate & 0xf) {
	case 0x5:			/* EL1h */
		return get_le64(b + CTX_SP_EL1);
	case 0x9:			/* EL2h */
		return get_le64(b + CTX_SP_EL2);
	case 0xd:			/* EL3h */
		return get_le64(b + CTX_SP_EL3);
	default:			/* EL0t, EL1t, EL2t, EL3t */
		return get_le64(b + CTX_SP_EL0);
	}
}

/* A CPU's registers from a format 1.4 buffer of at least CTX_MIN bytes. */
static void add_cpu(struct fw_ctx *c, unsigned int cpu, const unsigned char *b)
{
	struct fw_cpu *fc;
	uint64_t pstate;
	size_t i;

	for (i = 0; i < c->nr_cpus; i++)
		if (c->cpus[i].cpu == cpu) {
			damaged(c, "%s: CPU %u again; the first kept", c->what, cpu);
			return;
		}
	if (c->nr_cpus % 8 == 0) {
		fc = realloc(c->cpus, (c->nr_cpus + 8) * sizeof(*fc));
		if (!fc)
			return;
		c->cpus = fc;
	}
	fc = &c->cpus[c->nr_cpus++];
	memset(fc, 0, sizeof(*fc));
	fc->cpu = cpu;
	fc->status = get_le32(b + CTX_STATUS1);
	for (i = 0; i < 31; i++)
		fc->regs[i] = get_le64(b + CTX_X0 + 8 * i);
	/* PSTATE as saved; without it, what the exception into EL3 saved. */
	pstate = get_le64(b + CTX_STATE1);
	if (!pstate)
		pstate = get_le64(b + CTX_SPSR_EL3);
	fc->regs[31] = pick_sp(b, pstate);
	fc->regs[32] = get_le64(b + CTX_PC);
	if (get_le64(b + CTX_STATE0) & CTX_STATE0_PC_INVALID) {
		/* Where the bite interrupted the CPU, else its link register. */
		fc->regs[32] = get_le64(b + CTX_ELR_EL3) ? get_le64(b + CTX_ELR_EL3) : fc->regs[30];
		fc->pc_from = get_le64(b + CTX_ELR_EL3) ? "elr_el3" : "x30";
	}
	fc->regs[33] = pstate;
}

/* One CPU's buffer, the format known: all zeroes is no registers. */
static void read_buffer(struct fw_ctx *c, unsigned int cpu, const unsigned char *b, uint64_t len)
{
	if (all_zero(b, len)) {
		warnx("%s: CPU %u: the context buffer is all zeroes: firmware saved no registers",
		      c->what, cpu);
		return;
	}
	add_cpu(c, cpu, b);
}

/* An apps table entry for a CPU: its msm_dump_data, then its buffer. */
static void read_cpu_entry(struct fw_ctx *c, const struct fw_mem *mem, size_t nr,
			   unsigned int cpu, uint64_t data_addr)
{
	const unsigned char *dd, *b;
	uint32_t version, magic;
	uint64_t addr, len;
	char what[48];

	snprintf(what, sizeof(what), "CPU %u's msm_dump_data", cpu);
	dd = translate(c, mem, nr, data_addr, DUMP_DATA_SIZE, what);
	if (!dd)
		return;
	version = get_le32(dd);
	magic = get_le32(dd + DUMP_DATA_MAGIC_OFF);
	addr = get_le64(dd + DUMP_DATA_ADDR);
	len = get_le64(dd + DUMP_DATA_LEN);
	if (!magic) {
		warnx("%s: CPU %u: no magic: firmware saved no registers", c->what, cpu);
		return;
	}
	if (magic != DUMP_MAGIC) {
		damaged(c, "%s: CPU %u: magic %#x is not firmware's %#x (%s); not read", c->what,
			cpu, magic, DUMP_MAGIC,
			magic == DUMP_MAGIC_HYP ? "a hypervisor vCPU's" : "unknown");
		return;
	}
	if (version != CTX_V14) {
		damaged(c, "%s: CPU %u: context format %u.%u (version %#x) %s", c->what, cpu,
			version >> 4 & 0xf, version & 0xf, version,
			"unknown: only 1.4 is read; not read");
		return;
	}
	if (len < CTX_MIN) {
		damaged(c, "%s: CPU %u: context buffer of %" PRIu64 " bytes, format 1.4 needs %u",
			c->what, cpu, len, CTX_MIN);
		return;
	}
	snprintf(what, sizeof(what), "CPU %u's context buffer", cpu);
	b = translate(c, mem, nr, addr, CTX_MIN, what);
	if (b)
		read_buffer(c, cpu, b, CTX_MIN);
}

/* The table at @addr: its entries, if they are all in one region. */
static const unsigned char *read_table(struct fw_ctx *c, const struct fw_mem *mem, size_t nr,
				       uint64_t addr, const char *what, uint32_t *nr_entries)
{
	const unsigned char *t;
	uint32_t version;

	t = translate(c, mem, nr, addr, DUMP_TABLE_HDR, what);
	if (!t)
		return NULL;
	version = get_le32(t);
	*nr_entries = get_le32(t + 4);
	if (version >> 20 != DUMP_TABLE_V2 >> 20) {
		damaged(c, "%s: %s: version %#x is not v2 (%#x); not read", c->what, what,
			version, DUMP_TABLE_V2);
		return NULL;
	}
	if (*nr_entries > DUMP_TABLE_MAX_ENTRIES) {
		damaged(c, "%s: %s: %u entries is implausible (at most %u); not read", c->what,
			what, *nr_entries, DUMP_TABLE_MAX_ENTRIES);
		return NULL;
	}
	return translate(c, mem, nr, addr,
			 DUMP_TABLE_HDR + (uint64_t)*nr_entries * DUMP_ENTRY_SIZE, what);
}

static void walk_memdump(struct fw_ctx *c, const struct fw_mem *mem, size_t nr,
			 const struct fw_mem *md)
{
	const unsigned char *root, *apps;
	uint32_t n_root, n_apps, i;
	bool found = false;

	root = read_table(c, mem, nr, md->paddr, "the root table", &n_root);
	for (i = 0; root && i < n_root; i++) {
		const unsigned char *e = root + DUMP_TABLE_HDR + i * DUMP_ENTRY_SIZE;
		uint32_t j;

		if (get_le32(e) != DUMP_TABLE_APPS ||
		    get_le32(e + DUMP_ENTRY_TYPE) != DUMP_TYPE_TABLE)
			continue;
		if (found) {
			damaged(c, "%s: a second apps table; the first kept", c->what);
			continue;
		}
		found = true;
		apps = read_table(c, mem, nr, get_le64(e + DUMP_ENTRY_ADDR), "the apps table",
				  &n_apps);
		for (j = 0; apps && j < n_apps; j++) {
			const unsigned char *a = apps + DUMP_TABLE_HDR + j * DUMP_ENTRY_SIZE;
			uint32_t id = get_le32(a);

			if (id < CPU_CTX_ID_MAX && get_le32(a + DUMP_ENTRY_TYPE) == DUMP_TYPE_DATA)
				read_cpu_entry(c, mem, nr, id, get_le64(a + DUMP_ENTRY_ADDR));
		}
	}
	if (root && !found)
		warnx("%s: the root table has no apps table: no CPU context", c->what);
}

static int cmp_cpus(const void *a, const void *b)
{
	const struct fw_cpu *x = a, *y = b;
	bool wx = x->status & FWCTX_STATUS_WATCHDOG, wy = y->status & FWCTX_STATUS_WATCHDOG;

	if (wx != wy)
		return wx ? -1 : 1;
	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

/**
 * fwctx_read() - the CPU context firmware saved, from the dump's regions
 * @mem: the regions firmware's context may be in (fwctx_wanted()), with
 *       their physical addresses and bytes
 * @nr: how many
 * @c: the result, zeroed by the caller; c->problems counts the damage
 *
 * With a MEMDUMP region, its table is walked; otherwise each CPU_CTX<N>
 * region is read as format 1.4.
 */
void fwctx_read(const struct fw_mem *mem, size_t nr, struct fw_ctx *c)
{
	const struct fw_mem *md = NULL;
	size_t i;

	for (i = 0; i < nr; i++)
		if (fw_name_is(mem[i].name, "MEMDUMP") && !md)
			md = &mem[i];
	if (md) {
		snprintf(c->what, sizeof(c->what), "%s", md->name);
		c->source = "MEMDUMP";
		walk_memdump(c, mem, nr, md);
	} else {
		c->source = "CPU_CTX";
		for (i = 0; i < nr; i++) {
			int cpu = cpu_ctx_number(mem[i].name);

			if (cpu < 0)
				continue;
			snprintf(c->what, sizeof(c->what), "%s", mem[i].name);
			if (mem[i].held < CTX_MIN) {
				damaged(c, "%s: %" PRIu64 " bytes held, a CPU context needs %u",
					mem[i].name, mem[i].held, CTX_MIN);
				continue;
			}
			if (!all_zero(mem[i].data, CTX_MIN))
				warnx("%s: no MEMDUMP table to give its format: read as 1.4",
				      mem[i].name);
			read_buffer(c, cpu, mem[i].data, CTX_MIN);
		}
	}
	if (c->nr_cpus)
		qsort(c->cpus, c->nr_cpus, sizeof(*c->cpus), cmp_cpus);
}

static size_t put_note(unsigned char *p, const char *name, uint32_t type, const void *desc,
		       uint32_t descsz)
{
	uint32_t namesz = strlen(name) + 1;
	size_t off = 12;

	put_le32(p, namesz);
	put_le32(p + 4, descsz);
	put_le32(p + 8, type);
	memcpy(p + off, name, namesz);
	off += (namesz + 3) & ~3u;
	memcpy(p + off, desc, descsz);
	return off + ((descsz + 3) & ~3u);
}

/**
 * fwctx_notes() - the notes for fwctx_read()'s result
 * @c: the result
 * @len: set to the notes' length
 *
 * Return: the notes (malloc'ed): an NT_PRSTATUS per CPU, in @c's order,
 * then "QCOM_CPU_CTX"; NULL when there are no CPUs or no memory.
 */
unsigned char *fwctx_notes(const struct fw_ctx *c, size_t *len)
{
	unsigned char *buf, desc[PRSTATUS_SIZE];
	char text[64];
	size_t i, off = 0, text_len = 0, size;
	char *lines;

	*len = 0;
	if (!c->nr_cpus)
		return NULL;
	lines = malloc(c->nr_cpus * sizeof(text) + 1);
	if (!lines)
		return NULL;
	for (i = 0; i < c->nr_cpus; i++)
		text_len += snprintf(lines + text_len, sizeof(text), "CPU(%u)=%#x\n",
				     c->cpus[i].cpu, c->cpus[i].status);
	lines[text_len++] = '\0';
	size = c->nr_cpus * (12 + 8 + PRSTATUS_SIZE) + 12 + 16 + text_len + 4;
	buf = calloc(1, size);
	if (!buf) {
		free(lines);
		return NULL;
	}
	for (i = 0; i < c->nr_cpus; i++) {
		size_t r;

		memset(desc, 0, sizeof(desc));
		put_le32(desc + PRSTATUS_PID, c->cpus[i].cpu + 1);
		for (r = 0; r < 34; r++)
			put_le64(desc + PRSTATUS_REGS + 8 * r, c->cpus[i].regs[r]);
		off += put_note(buf + off, "CORE", 1, desc, PRSTATUS_SIZE);
	}
	off += put_note(buf + off, "QCOM_CPU_CTX", 0, lines, text_len);
	free(lines);
	*len = off;
	return buf;
}

/**
 * fwctx_free() - free what fwctx_read() allocated
 * @c: the result
 */
void fwctx_free(struct fw_ctx *c)
{
	free(c->cpus);
	memset(c, 0, sizeof(*c));
}

/* ---- KMODULES: "name: X, base: ADDR" lines ---- */

static void kmod_line(struct crash_notes *n, const char *line, size_t len, unsigned int nr,
		      const char *what)
{
	const char *name, *comma, *base;
	struct module_text *m;
	uint64_t addr;
	size_t i, nlen;

	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (!len)
		return;
	if (len < 6 || memcmp(line, "name: ", 6)) {
		warnx("%s: line %u: not \"name: X, base: ADDR\"; ignored", what, nr);
		n->problems++;
		return;
	}
	name = line + 6;
	comma = memchr(name, ',', line + len - name);
	if (!comma || (size_t)(line + len - comma) < 8 || memcmp(comma, ", base: ", 8)) {
		warnx("%s: line %u: not \"name: X, base: ADDR\"; ignored", what, nr);
		n->problems++;
		return;
	}
	nlen = comma - name;
	base = comma + 8;
	if (!module_name_ok(name, nlen) || !parse_hex(base, line + len - base, &addr)) {
		warnx("%s: line %u: a bad module name or address; ignored", what, nr);
		n->problems++;
		return;
	}
	for (i = 0; i < n->nr_modules; i++)
		if (strlen(n->modules[i].name) == nlen && !memcmp(n->modules[i].name, name, nlen))
			return;		/* the crash note named it already */
	if (n->nr_modules % 16 == 0) {
		m = realloc(n->modules, (n->nr_modules + 16) * sizeof(*m));
		if (!m)
			return;
		n->modules = m;
	}
	m = &n->modules[n->nr_modules++];
	snprintf(m->name, sizeof(m->name), "%.*s", (int)nlen, name);
	m->addr = addr;
}

/**
 * kmodules_read() - the modules a KMODULES region lists
 * @text: its bytes, up to the first NUL
 * @len: how many
 * @what: the region, for messages
 * @n: the modules are added here, after those a crash note named (a
 *     module both name: the note's address is kept)
 */
void kmodules_read(const char *text, size_t len, const char *what, struct crash_notes *n)
{
	const char *end = memchr(text, '\0', len);
	unsigned int nr = 1;

	if (end)
		len = end - text;
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t l = nl ? (size_t)(nl - text) : len;

		kmod_line(n, text, l, nr++, what);
		if (!nl)
			break;
		len -= l + 1;
		text = nl + 1;
	}
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * minidump: turn a Qualcomm minidump into one ELF core file.
 *
 * Everything read from a dump is untrusted: every offset, count, size and
 * name is checked before use.
 */

#ifndef MINIDUMP_H
#define MINIDUMP_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <soc/qcom/qcom_minidump_smem.h>

/* Exit codes, as documented in minidump --help. */
enum {
	EXIT_OK		= 0,
	EXIT_SYSTEM	= 1,	/* I/O error or out of memory */
	EXIT_USAGE	= 2,	/* bad command line */
	EXIT_INPUT	= 3,	/* the input is not a minidump we can read */
	EXIT_INCOMPLETE	= 4,	/* output written, but regions missing or short */
};

/* Reads and writes of region data go in pieces of this size. */
#define IO_CHUNK	(1u << 20)

/* One file of a RAM dump, loaded at a physical address. */
struct ram_file {
	char *path;
	int fd;
	uint64_t base;
	uint64_t size;
};

struct ram {
	struct ram_file *files;
	size_t nr_files;
};

enum region_source { SRC_RAM, SRC_FILE };

/* A region as a subsystem's table lists it, and where its bytes are. */
struct region {
	int ss;				/* subsystem slot, or -1 if not known */
	char name[QCOM_MINIDUMP_TOC_NAME_SIZE + 1];
	bool nocase;			/* name from a file name, whose case may have changed */
	uint32_t seq;
	uint64_t addr;			/* physical address, if have_addr */
	bool have_addr;			/* false: md file that dump_info.txt does not list */
	unsigned int info_line;		/* its dump_info.txt line, 0 if none */
	uint64_t size;
	bool valid;
	enum region_source src;
	char *path;			/* SRC_FILE: the file */
	uint64_t file_off;		/* SRC_FILE: where the bytes start in it */
	uint64_t present;		/* bytes the source holds, at most size */
	char where[128];		/* for messages: file and offset, or address */
};

struct dump {
	struct region *regions;
	size_t nr_regions;
	struct ram ram;
	unsigned int nr_subsystems;	/* slots in the table, 0 if no table was read */
	unsigned int problems;		/* contradictions the readers reported */
};

/*
 * The layers, each calling only those below it:
 *   main.c, fuzz.c        commands
 *   debuggers.c           the gdb, drgn and crash command lines for a core
 *   kelf.c                the ELF header region: assemble, verify, summary
 *   notes.c               the notes' contents: registers, task, KASLR, modules
 *   toc.c, mddir.c        the readers: RAM tables, md directories, rawdump
 *   region.c              regions and their bytes
 *   ram.c                 RAM dump files
 *   util.c                messages, arithmetic, names, file reads
 */

/* util.c */
extern const char *prog;
extern bool md_quiet;		/* no messages: for the fuzzers */
extern bool md_keep_messages;	/* keep them too, for --json */
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *const *kept_messages(size_t *nr);
void kept_messages_free(void);
void json_string(FILE *f, const char *s);
bool add_overflows(uint64_t a, uint64_t b, uint64_t *sum);
void safe_name(const char *name, char *out, size_t out_size);
int read_full(int fd, uint64_t off, void *buf, size_t len, size_t *got);
int write_full(int fd, const void *buf, size_t len, uint64_t off);
struct stat;
int open_input(const char *path, struct stat *st);
int dir_lookup(const char *dir, const char *name, char *path, size_t size);

/* ram.c */
int ram_add_file(struct ram *ram, const char *path, uint64_t base);
/* One "d.load.binary FILE ADDR" line of a load.cmm. */
struct cmm_line {
	const char *cmm;	/* the load.cmm, for messages */
	unsigned int line;
	const char *file;	/* FILE as written */
	const char *path;	/* the file found in load.cmm's directory */
	uint64_t addr;
};

typedef int (*cmm_fn)(void *ctx, const struct cmm_line *l);
int cmm_parse(const char *path, cmm_fn fn, void *ctx);
int ram_load_cmm(struct ram *ram, const char *path);
size_t ram_read(const struct ram *ram, uint64_t addr, void *buf, size_t len);
uint64_t ram_coverage(const struct ram *ram, uint64_t addr, uint64_t len);
bool ram_file_overlap(const struct ram_file *f, uint64_t addr, uint64_t len,
		      uint64_t *start, uint64_t *stop);
void ram_free(struct ram *ram);

/* region.c */
struct region *dump_add_region(struct dump *d);
void dump_free(struct dump *d);
size_t region_read(const struct dump *d, const struct region *r, uint64_t off, void *buf,
		   size_t len);
typedef int (*piece_fn)(void *ctx, uint64_t off, uint64_t len);
int region_pieces(const struct dump *d, const struct region *r, uint64_t limit, piece_fn fn,
		  void *ctx);
uint64_t region_held(const struct dump *d, const struct region *r, uint64_t limit,
		     uint64_t *prefix);
int region_copy(const struct dump *d, const struct region *r, int fd, uint64_t at,
		uint64_t len, uint64_t *missing);
int output_size(int fd, uint64_t size);

/* toc.c */
int toc_find_smem(const struct ram *ram, uint64_t *smem_base, uint64_t *smem_size);
int toc_read(struct dump *d, uint64_t smem_base, uint64_t smem_size);
void add_subsystem_regions(struct dump *d, int ss, const struct qcom_minidump_toc_subsystem *s);

/* mmio.c */
int mmio_read(struct dump *d, uint64_t regs);

/* mddir.c */
bool md_file_name(const char *file, char *name, size_t name_size);
int mddir_probe(const char *dir, char *cmm, size_t cmm_size);
int mddir_read(struct dump *d, const char *dir, const char *cmm);
int cmm_kind(const char *path);
int dump_info_parse(struct dump *d, const char *dir, const char *text, size_t len);

/* mddir.c: rawdump partitions */
bool rawdump_detect(const char *path);
int rawdump_read(struct dump *d, const char *path);

/* notes.c: what the PT_NOTE says about the crash */
#define NOTE_MODULE_NAME_LEN	56	/* the kernel's MODULE_NAME_LEN */

/* One NT_PRSTATUS. */
struct crash_regs {
	int cpu;		/* pr_pid - 1; -1 when @empty and pr_pid is no CPU's */
	uint64_t sp;
	uint64_t pc;
	uint64_t lr;		/* x30 */
	uint64_t pstate;
	bool empty;		/* every register zero: a note not filled in */
};

/* One MODULE_TEXT line of the QCOM_MINIDUMP note. */
struct module_text {
	char name[NOTE_MODULE_NAME_LEN];
	uint64_t addr;		/* where the module's .text is loaded */
};

struct note_info {
	char name[32];
	uint32_t type;
	uint32_t size;
};

struct crash_notes {
	struct note_info *notes;	/* every note, in file order */
	size_t nr_notes;
	bool have_vmcoreinfo;
	char osrelease[65];
	bool have_kerneloffset;
	uint64_t kerneloffset;		/* VMCOREINFO KERNELOFFSET: the KASLR offset */
	uint64_t page_size;		/* VMCOREINFO PAGESIZE, 0 if none */
	struct crash_regs *regs;	/* in note order: the panicking CPU first */
	size_t nr_regs;
	bool have_task;
	char task[17];			/* NT_PRPSINFO pr_fname */
	int task_pid;
	bool have_task_struct;
	uint64_t task_struct;		/* NT_TASKSTRUCT: the crashing task's address */
	struct module_text *modules;
	size_t nr_modules;
	unsigned int problems;		/* messages about malformed notes */
	bool lost;			/* assemble: the note region was missing or cut */
	bool fw_regs;			/* a QCOM_CPU_CTX note: registers from firmware */
	bool crash_full;		/* assemble: what crash opens a dump with is there */
	bool have_header;		/* assemble: the header region's address is known */
	uint64_t header_addr;		/* its physical address: the output starts with it */
	uint64_t header_size;
	struct fw_status *fw_status;	/* its lines */
	size_t nr_fw_status;
};

/* One line of the QCOM_CPU_CTX note: a CPU's status[1] flags. */
struct fw_status {
	int cpu;
	uint32_t status;
};

extern const char notes_no_registers[];
extern const char notes_lost_registers[];
void notes_read(const unsigned char *buf, size_t len, const char *what, struct crash_notes *n);
bool parse_hex(const char *s, size_t len, uint64_t *val);

/* Little-endian fields of firmware's and the kernel's structures, at any alignment. */
static inline uint32_t get_le32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le32toh(v);
}

static inline uint64_t get_le64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

static inline void put_le32(unsigned char *p, uint32_t v)
{
	v = htole32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void put_le64(unsigned char *p, uint64_t v)
{
	v = htole64(v);
	memcpy(p, &v, sizeof(v));
}

bool module_name_ok(const char *s, size_t len);
void notes_free(struct crash_notes *n);
bool notes_have_registers(const struct crash_notes *n);
struct syms;
void notes_print(FILE *f, const struct crash_notes *n, const struct syms *syms);
void notes_json(FILE *f, const struct crash_notes *n);

/* fwctx.c: firmware's CPU context at a bite, KMODULES */
#define FWCTX_STATUS_NONSECURE	0x01
#define FWCTX_STATUS_WATCHDOG	0x02	/* this CPU took the watchdog */
#define FWCTX_STATUS_SIGNALLED	0x04	/* stopped by another CPU */

/* A region that may hold firmware's context, and what the dump holds of it. */
struct fw_mem {
	const char *name;
	uint64_t paddr;
	uint64_t size;			/* as the header or table describes it */
	uint64_t held;			/* bytes in @data, at most @size */
	const unsigned char *data;
};

struct fw_cpu {
	unsigned int cpu;
	uint32_t status;		/* status[1] */
	uint64_t regs[34];		/* x0-x30, sp, pc, pstate */
	const char *pc_from;		/* NULL: pc; else where pc was taken from */
};

struct fw_ctx {
	char what[40];			/* the region read, for messages */
	const char *source;		/* "MEMDUMP" or "CPU_CTX" */
	struct fw_cpu *cpus;		/* the watchdog's CPU first, then by number */
	size_t nr_cpus;
	unsigned int problems;
};

bool fwctx_wanted(const char *name);
void fwctx_read(const struct fw_mem *mem, size_t nr, struct fw_ctx *c);
unsigned char *fwctx_notes(const struct fw_ctx *c, size_t *len);
void fwctx_free(struct fw_ctx *c);
void kmodules_read(const char *text, size_t len, const char *what, struct crash_notes *n);

/* syms.c: addresses as symbol+offset, from vmlinux and the dump's modules */
struct sym {
	uint64_t addr;
	uint64_t size;
	const char *name;
};

struct syms {
	struct sym *syms;
	size_t nr;
	char *strings;
	const struct crash_notes *modules;	/* for addresses in no vmlinux symbol */
};

int syms_load(struct syms *s, const char *vmlinux, uint64_t offset);
bool syms_name(const struct syms *s, uint64_t addr, char *buf, size_t size);
void syms_free(struct syms *s);

/* debuggers.c */
struct debugger_opts {
	const char *vmlinux;	/* default "vmlinux" */
	const char *module_dir;	/* searched for NAME.ko, or NULL */
};

void debugger_commands(FILE *f, const char *elf_path, const struct crash_notes *n,
		       const struct debugger_opts *o);

/* kelf.c */
int kelf_assemble(const struct dump *d, const char *out, bool verbose, struct crash_notes *notes);
int kelf_verify(const struct dump *d, const char *elf_path, const char *json_input);
int kelf_summary(const char *elf_path, bool json, const char *vmlinux);

#endif /* MINIDUMP_H */

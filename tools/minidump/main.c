// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: turn a Qualcomm minidump into one ELF core file that gdb and
 * crash open, from whatever form the dump came in.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minidump.h"
#include "printk.h"

#define MAX_LOG		(64u << 20)
#define LOG_REGION	"KLOGBUF"

struct options {
	const char *output;
	uint64_t base;
	bool have_base;
	uint64_t smem;
	bool have_smem;
	uint64_t smem_size;
	uint64_t mmio_regs;
	bool have_mmio_regs;
	int subsystem;
	const char *region;
	bool verbose;
	bool json;
	int source;
	bool dict;
	bool have_vmlinux;
	struct debugger_opts dbg;
};

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: minidump COMMAND [options] INPUT [ELF]\n"
		"\n"
		"Commands:\n"
		"  list                 every region of every subsystem's table\n"
		"  split -o DIR         md_<name>.BIN, dump_info.txt and load.cmm, as a USB\n"
		"                       collection leaves them, for one subsystem's valid regions\n"
		"  assemble -o FILE     one ELF core file from the kernel's regions\n"
		"                       (also: extract); then a command line each for\n"
		"                       gdb, drgn and crash (\"gdb: ...\" on stdout)\n"
		"  dmesg                the kernel log: from the printk ring buffer when the\n"
		"                       dump has it, else the text snapshot (" LOG_REGION ")\n"
		"  verify INPUT ELF     check an assembled ELF against the dump, byte for byte\n"
		"  summary ELF          the notes and segments of an assembled ELF, and\n"
		"                       the crash: registers (from the kernel at a panic, or\n"
		"                       firmware's CPU context at a watchdog bite), task,\n"
		"                       KASLR offset, modules\n"
		"\n"
		"INPUT, detected from what it is:\n"
		"  ELF                  an assembled ELF core (dmesg and summary only)\n"
		"  DIR                  md_*.BIN files (md_ and .BIN in any case), their\n"
		"                       addresses from dump_info.txt or load.cmm if there;\n"
		"                       without md files, the RAM dumps its load.cmm loads\n"
		"  DIR/dump_info.txt    the same as DIR\n"
		"  FILE                 a rawdump partition image (starts with Raw_Dmp!)\n"
		"  load.cmm             the files it loads (d.load.binary FILE ADDR): md\n"
		"                       files, as their DIR; or RAM dump files\n"
		"  FILE --base ADDR     one RAM dump file, loaded at physical address ADDR\n"
		"From RAM dumps the table of contents is read from SMEM item %d, as boot\n"
		"firmware reads it, or with --mmio-regs through the hypervisor's registers.\n"
		"\n"
		"Options:\n"
		"  -o, --output PATH    output file or directory\n"
		"  -b, --base ADDR      physical address of a RAM dump file\n"
		"  -s, --smem ADDR      physical address of SMEM (default: search the dump)\n"
		"      --smem-size N    size of SMEM (default: from its partition table)\n"
		"      --mmio-regs ADDR the APSS table is behind the hypervisor's register\n"
		"                       block (qcom,virt-minidump) at ADDR, not in SMEM\n"
		"  -S, --subsystem N    subsystem slot for split (default %d, APSS)\n"
		"  -r, --region NAME    snapshot region for dmesg (default " LOG_REGION ")\n"
		"      --source SRC     dmesg from: ring, snapshot, or auto (default: the ring,\n"
		"                       else the snapshot, with a message)\n"
		"      --dict           dmesg: each record's SUBSYSTEM= and DEVICE= lines\n"
		"      --json           list, summary, verify: one JSON object on stdout\n"
		"      --vmlinux PATH   assemble: vmlinux for the command lines (default vmlinux);\n"
		"                       summary: name each CPU's pc and lr by its symbols\n"
		"      --module-dir DIR assemble: where to look for the crashed modules' NAME.ko\n"
		"  -v, --verbose        say more\n"
		"  -h, --help           this text\n"
		"\n"
		"Exit status: 0 done; 1 I/O error or out of memory; 2 bad command line,\n"
		"or an INPUT of a form it refuses (one md file, an assembled ELF); 3 the\n"
		"input is not a minidump it can read; 4 output written, but the dump is\n"
		"damaged: regions missing, short (zero-filled) or in conflict, a note that\n"
		"does not parse, or verify found a mismatch (assemble and verify agree).\n",
		QCOM_MINIDUMP_SMEM_ITEM, QCOM_MINIDUMP_SS_APSS);
}

static int parse_u64(const char *s, uint64_t *val)
{
	char *end;

	errno = 0;
	*val = strtoull(s, &end, 0);
	return errno || end == s || *end ? -1 : 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcasecmp(s + a - b, suffix);
}

/* What each input form is read as; every other file is refused, saying what to pass. */
static int load_files(struct dump *d, const char *input, const struct options *o)
{
	char dir[4096], cmm[4096], name[QCOM_MINIDUMP_TOC_NAME_SIZE + 1];
	const char *base = strrchr(input, '/');
	struct stat st;
	int ret;

	if (stat(input, &st)) {
		warnx("%s: %s", input, strerror(errno));
		return -EXIT_SYSTEM;
	}
	snprintf(dir, sizeof(dir), "%.*s", base ? (int)(base - input) : 1, base ? input : ".");
	base = base ? base + 1 : input;
	if (S_ISDIR(st.st_mode)) {
		/* md files; else the RAM dumps its load.cmm loads. */
		ret = mddir_probe(input, cmm, sizeof(cmm));
		if (ret)
			return ret < 0 ? ret : mddir_read(d, input, NULL);
		if (!cmm[0]) {
			warnx("%s: no md_*.BIN files and no load.cmm: %s", input,
			      "pass a collection's directory or its load.cmm, a rawdump image, or a RAM dump with --base");
			return -EXIT_INPUT;
		}
		input = cmm;
		snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(cmm, '/') - cmm), cmm);
	} else if (!strcasecmp(base, "dump_info.txt")) {
		return mddir_read(d, dir, NULL);
	} else if (md_file_name(base, name, sizeof(name))) {
		warnx("%s: one region of a collection: pass its directory, %s", input, dir);
		return -EXIT_USAGE;
	} else if (rawdump_detect(input)) {
		return rawdump_read(d, input);
	}

	if (ends_with(input, ".cmm")) {
		ret = cmm_kind(input);
		if (ret > 0)
			return mddir_read(d, dir, input);
		if (!ret)
			ret = ram_load_cmm(&d->ram, input);
		return ret ? ret : 1;
	}
	if (o->have_base) {
		ret = ram_add_file(&d->ram, input, o->base);
		return ret ? ret : 1;
	}
	if (core_is_elf(input))
		warnx("%s: an ELF file, not a dump: %s", input,
		      "summary and dmesg read an assembled core; pass the collection it came from");
	else
		warnx("%s: a RAM dump needs --base ADDR, or load.cmm as INPUT", input);
	return -EXIT_USAGE;
}

static int load_input(struct dump *d, const char *input, const struct options *o)
{
	uint64_t base, size;
	int ret;

	ret = load_files(d, input, o);
	if (ret <= 0)
		return ret;	/* read, or refused */

	if (o->have_mmio_regs)
		return mmio_read(d, o->mmio_regs);
	if (o->have_smem) {
		base = o->smem;
		size = o->smem_size;
		if (!size) {
			uint64_t found_base;

			/* Size from the partition table, found by search. */
			ret = toc_find_smem(&d->ram, &found_base, &size);
			if (ret)
				return ret;
			if (found_base != base) {
				warnx("SMEM found at %#" PRIx64 ", not at %#" PRIx64
				      "; give --smem-size", found_base, base);
				return -EXIT_INPUT;
			}
		}
	} else {
		ret = toc_find_smem(&d->ram, &base, &size);
		if (ret)
			return ret;
	}
	if (o->verbose)
		fprintf(stderr, "%s: SMEM at %#" PRIx64 ", %" PRIu64 " bytes\n", prog, base, size);
	return toc_read(d, base, size);
}

static void print_messages_json(void)
{
	const char *const *msgs;
	size_t i, n;

	msgs = kept_messages(&n);
	printf("\"messages\": [");
	for (i = 0; i < n; i++) {
		if (i)
			printf(", ");
		json_string(stdout, msgs[i]);
	}
	printf("]");
}

static void list_json(const struct dump *d, const char *input, int ret)
{
	size_t i;

	printf("{\"input\": ");
	json_string(stdout, input);
	printf(", \"exit\": %d, \"regions\": [", -ret);
	for (i = 0; i < d->nr_regions; i++) {
		const struct region *r = &d->regions[i];

		printf("%s{\"ss\": ", i ? ", " : "");
		if (r->ss >= 0)
			printf("%d", r->ss);
		else
			printf("null");
		printf(", \"name\": ");
		json_string(stdout, r->name);
		printf(", \"seq\": %u, \"address\": ", r->seq);
		if (r->have_addr)
			printf("\"0x%" PRIx64 "\"", r->addr);
		else
			printf("null");
		printf(", \"size\": %" PRIu64 ", \"present\": %" PRIu64
		       ", \"valid\": %s, \"where\": ",
		       r->size, r->present, r->valid ? "true" : "false");
		json_string(stdout, r->where);
		printf("}");
	}
	printf("], ");
	print_messages_json();
	printf("}\n");
}

static int cmd_list(const struct dump *d, const char *input, bool json)
{
	int ret = d->problems ? -EXIT_INCOMPLETE : 0;
	size_t i;

	if (json) {
		list_json(d, input, ret);
		return ret;
	}
	printf("%-3s %-16s %4s %18s %12s %-5s %s\n", "ss", "name", "seq", "address", "size",
	       "valid", "where");
	for (i = 0; i < d->nr_regions; i++) {
		const struct region *r = &d->regions[i];
		char name[3 * sizeof(r->name) + 4];
		char ss[12] = "-", addr[24] = "-";

		safe_name(r->name, name, sizeof(name));
		if (r->ss >= 0)
			snprintf(ss, sizeof(ss), "%d", r->ss);
		if (r->have_addr)
			snprintf(addr, sizeof(addr), "%#" PRIx64, r->addr);
		printf("%-3s %-16s %4u %18s %12" PRIu64 " %-5s %s%s\n", ss, name, r->seq, addr,
		       r->size, r->valid ? "yes" : "no", r->where,
		       r->present < r->size ? " (short)" : "");
	}
	return ret;
}

/* For --json: the one object for a dump no command could read. */
static void error_json(const char *cmd, const char *input, const char *elf, int ret)
{
	printf("{\"%s\": ", strcmp(cmd, "summary") ? "input" : "elf");
	json_string(stdout, input);
	if (elf) {
		printf(", \"elf\": ");
		json_string(stdout, elf);
	}
	printf(", \"exit\": %d, \"error\": true, ", -ret);
	print_messages_json();
	printf("}\n");
}

static bool split_wanted(const struct region *r, const struct options *o)
{
	return r->valid && (r->ss < 0 || r->ss == o->subsystem);
}

static int cmd_split(const struct dump *d, const struct options *o)
{
	FILE *info = NULL, *cmm = NULL;
	unsigned int problems = 0, written = 0;
	char path[4096];
	size_t i;
	int ret = 0;

	if (mkdir(o->output, 0755) && errno != EEXIST) {
		warnx("%s: %s", o->output, strerror(errno));
		return -EXIT_SYSTEM;
	}
	snprintf(path, sizeof(path), "%s/dump_info.txt", o->output);
	info = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/load.cmm", o->output);
	cmm = fopen(path, "w");
	if (!info || !cmm) {
		warnx("%s: %s", path, strerror(errno));
		ret = -EXIT_SYSTEM;
		goto out;
	}

	for (i = 0; i < d->nr_regions; i++) {
		const struct region *r = &d->regions[i];
		char name[3 * sizeof(r->name) + 4], file[3 * sizeof(r->name) + 24];
		uint64_t missing = 0;
		int fd;

		if (!split_wanted(r, o))
			continue;
		safe_name(r->name, name, sizeof(name));
		if (r->seq)
			snprintf(file, sizeof(file), "md_%s_%u.BIN", name, r->seq);
		else
			snprintf(file, sizeof(file), "md_%s.BIN", name);
		snprintf(path, sizeof(path), "%s/%s", o->output, file);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || region_copy(d, r, fd, 0, r->size, &missing) ||
		    output_size(fd, r->size) || close(fd)) {
			warnx("%s: %s", path, strerror(errno));
			ret = -EXIT_SYSTEM;
			goto out;
		}
		if (missing) {
			warnx("%s: %" PRIu64 " of %" PRIu64 " bytes not in the dump, zero-filled",
			      file, missing, r->size);
			problems++;
		}
		fprintf(info, "1 0x%016" PRIx64 "\t%016" PRIu64 "\t%-20s\t%s\r\n", r->addr,
			r->size, name, file);
		fprintf(cmm, "d.load.binary %s 0x%" PRIx64 " /noclear\n", file, r->addr);
		written++;
	}
	if (o->verbose)
		fprintf(stderr, "%s: %u regions written to %s\n", prog, written, o->output);
	if (!written) {
		warnx("no valid region in subsystem %d", o->subsystem);
		ret = -EXIT_INPUT;
	}
out:
	if (info && fclose(info) && !ret)
		ret = -EXIT_SYSTEM;
	if (cmm && fclose(cmm) && !ret)
		ret = -EXIT_SYSTEM;
	if (!ret && problems)
		return -EXIT_INCOMPLETE;
	return ret;
}

static void dmesg_options(const struct options *o, struct dmesg_opts *dm)
{
	dm->source = o->source;
	dm->dict = o->dict;
	dm->region = o->region;
	dm->verbose = o->verbose;
}

/*
 * The log from the ring buffer (dmesg.c); else the log region as text: up
 * to its first NUL, other bytes escaped.
 */
static int cmd_dmesg(const struct dump *d, const struct options *o)
{
	const char *want = o->region ? o->region : LOG_REGION;
	const struct region *r = NULL;
	struct dmesg_opts dm;
	unsigned char *buf;
	size_t i, len;
	int ret;

	dmesg_options(o, &dm);
	ret = dmesg_dump(d, &dm);
	if (ret != DMESG_USE_SNAPSHOT)
		return ret;
	for (i = 0; i < d->nr_regions; i++)
		if (d->regions[i].valid && !strcmp(d->regions[i].name, want))
			r = &d->regions[i];
	if (!r) {
		warnx("no region named %s in the dump", want);
		return -EXIT_INPUT;
	}
	len = r->size < MAX_LOG ? r->size : MAX_LOG;
	buf = malloc(len);
	if (!buf)
		return -EXIT_SYSTEM;
	region_read(d, r, 0, buf, len);
	dmesg_text(buf, len, stdout);
	free(buf);
	return r->present < r->size ? -EXIT_INCOMPLETE : 0;
}

/* The ELF core file, then how to open it in each debugger. */
static int cmd_assemble(const struct dump *d, const struct options *o)
{
	struct crash_notes notes = { };
	int ret;

	ret = kelf_assemble(d, o->output, o->verbose, &notes);
	if (!ret || ret == -EXIT_INCOMPLETE) {
		fflush(stdout);
		debugger_commands(stdout, o->output, &notes, &o->dbg);
	}
	notes_free(&notes);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "base", required_argument, NULL, 'b' },
		{ "smem", required_argument, NULL, 's' },
		{ "smem-size", required_argument, NULL, 'Z' },
		{ "mmio-regs", required_argument, NULL, 'M' },
		{ "subsystem", required_argument, NULL, 'S' },
		{ "region", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'J' },
		{ "source", required_argument, NULL, 'Y' },
		{ "dict", no_argument, NULL, 'D' },
		{ "vmlinux", required_argument, NULL, 'L' },
		{ "module-dir", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct options o = { .subsystem = QCOM_MINIDUMP_SS_APSS, .dbg.vmlinux = "vmlinux" };
	struct dump d = { };
	const char *cmd;
	uint64_t v;
	int c, ret;

	/* GNU getopt moves the options ahead of the command and its inputs. */
	while ((c = getopt_long(argc, argv, "o:b:s:S:r:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.output = optarg;
			break;
		case 'b':
			if (parse_u64(optarg, &o.base)) {
				warnx("bad address '%s'", optarg);
				return EXIT_USAGE;
			}
			o.have_base = true;
			break;
		case 's':
			if (parse_u64(optarg, &o.smem)) {
				warnx("bad address '%s'", optarg);
				return EXIT_USAGE;
			}
			o.have_smem = true;
			break;
		case 'Z':
			if (parse_u64(optarg, &o.smem_size) || o.smem_size < 8192) {
				warnx("bad SMEM size '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'M':
			if (parse_u64(optarg, &o.mmio_regs)) {
				warnx("bad address '%s'", optarg);
				return EXIT_USAGE;
			}
			o.have_mmio_regs = true;
			break;
		case 'S':
			if (parse_u64(optarg, &v) || v > 255) {
				warnx("bad subsystem '%s'", optarg);
				return EXIT_USAGE;
			}
			o.subsystem = v;
			break;
		case 'r':
			o.region = optarg;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'J':
			o.json = true;
			md_keep_messages = true;
			break;
		case 'Y':
			o.source = dmesg_parse_source(optarg);
			if (o.source < 0) {
				warnx("bad --source '%s': ring, snapshot or auto", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'D':
			o.dict = true;
			break;
		case 'L':
			o.dbg.vmlinux = optarg;
			o.have_vmlinux = true;
			break;
		case 'K':
			o.dbg.module_dir = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return EXIT_OK;
		default:
			print_usage(stderr);
			return EXIT_USAGE;
		}
	}

	if (optind >= argc) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[optind++];
	if (!strcmp(cmd, "summary")) {
		if (argc - optind != 1) {
			print_usage(stderr);
			return EXIT_USAGE;
		}
		ret = kelf_summary(argv[optind], o.json, o.have_vmlinux ? o.dbg.vmlinux : NULL);
		if (o.json && ret && ret != -EXIT_INCOMPLETE)
			error_json(cmd, argv[optind], NULL, ret);
		kept_messages_free();
		return -ret;
	}
	if (!strcmp(cmd, "verify") ? argc - optind != 2 : argc - optind != 1) {
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if ((!strcmp(cmd, "split") || !strcmp(cmd, "assemble") || !strcmp(cmd, "extract")) &&
	    !o.output) {
		warnx("%s needs -o", cmd);
		return EXIT_USAGE;
	}
	if (strcmp(cmd, "list") && strcmp(cmd, "split") && strcmp(cmd, "assemble") &&
	    strcmp(cmd, "extract") && strcmp(cmd, "dmesg") && strcmp(cmd, "verify")) {
		warnx("unknown command '%s'", cmd);
		print_usage(stderr);
		return EXIT_USAGE;
	}
	if (o.json && strcmp(cmd, "list") && strcmp(cmd, "verify")) {
		warnx("--json is for list, summary and verify");
		return EXIT_USAGE;
	}

	if (!strcmp(cmd, "dmesg") && core_is_elf(argv[optind])) {
		struct dmesg_opts dm;

		dmesg_options(&o, &dm);
		return -dmesg_elf(argv[optind], &dm);
	}
	ret = load_input(&d, argv[optind], &o);
	if (!ret) {
		if (!strcmp(cmd, "list"))
			ret = cmd_list(&d, argv[optind], o.json);
		else if (!strcmp(cmd, "split"))
			ret = cmd_split(&d, &o);
		else if (!strcmp(cmd, "dmesg"))
			ret = cmd_dmesg(&d, &o);
		else if (!strcmp(cmd, "verify"))
			ret = kelf_verify(&d, argv[optind + 1], o.json ? argv[optind] : NULL);
		else
			ret = cmd_assemble(&d, &o);
	}
	/* Contradictions in the dump (see dump_info_parse()) make any output suspect. */
	if (!ret && d.problems)
		ret = -EXIT_INCOMPLETE;
	else if (o.json && ret && ret != -EXIT_INCOMPLETE)
		error_json(cmd, argv[optind], strcmp(cmd, "verify") ? NULL : argv[optind + 1], ret);
	dump_free(&d);
	kept_messages_free();
	return -ret;
}

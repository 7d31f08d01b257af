// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: what a USB (Sahara) collection leaves, one md_<name>.BIN file
 * per region, and dump_info.txt with their addresses when the tool wrote
 * one; and rawdump partitions, the same files one after the other.
 */

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minidump.h"

#define MAX_DUMP_INFO	(1 << 20)

/*
 * md_<name>.BIN -> <name>; false for other file names. "md_" and ".BIN"
 * in any case, as collections name them (MD_SMEMINFO.BIN, md_KELF1.bin).
 */
bool md_file_name(const char *file, char *name, size_t name_size)
{
	size_t len = strlen(file);

	if (len <= 7 || strncasecmp(file, "md_", 3) || strcasecmp(file + len - 4, ".BIN"))
		return false;
	if (len - 7 >= name_size)
		return false;
	memcpy(name, file + 3, len - 7);
	name[len - 7] = '\0';
	return true;
}

/* The region of an md file that a list names: that name, else in another case. */
static struct region *find_by_file(struct dump *d, const char *file)
{
	struct region *nocase = NULL;
	const char *base;
	size_t i;

	for (i = 0; i < d->nr_regions; i++) {
		if (!d->regions[i].path)
			continue;
		base = strrchr(d->regions[i].path, '/');
		base = base ? base + 1 : d->regions[i].path;
		if (!strcmp(base, file))
			return &d->regions[i];
		if (!nocase && !strcasecmp(base, file))
			nocase = &d->regions[i];
	}
	return nocase;
}

/*
 * A region whose name is not unique in its table is saved with its seq_num
 * after the name: md_<name>_<seq>.BIN. When the file's name is the line's
 * name column, '_' and digits, the region takes the column's name and the
 * number as its seq_num, so that it matches the header's name for it.
 */
static void seq_name(struct region *r, const char *line)
{
	const char *col = strchr(line, '\t');
	size_t n, i;

	col = col ? strchr(col + 1, '\t') : NULL;
	if (!col)
		return;
	col++;
	for (n = 0; col[n] && col[n] != '\t' && col[n] != ' '; n++)
		;
	if (!n || n >= sizeof(r->name) || strncmp(r->name, col, n) || r->name[n] != '_' ||
	    !r->name[n + 1])
		return;
	for (i = n + 1; r->name[i]; i++)
		if (r->name[i] < '0' || r->name[i] > '9' || i - n > 9)
			return;
	r->seq = strtoul(r->name + n + 1, NULL, 10);
	r->name[n] = '\0';
}

/*
 * dump_info.txt: "1 0x<address>\t<size>\t<name>\t<file>\r\n" per file.
 * A line for a file that is not there is reported and skipped; a line that
 * cannot be read makes the whole file untrusted. A file listed twice keeps
 * its first line; a later line that says something else is a contradiction
 * (d->problems), one that says the same is only noted. A file longer than
 * its line says is a contradiction too; one shorter, a region cut short.
 */
int dump_info_parse(struct dump *d, const char *dir, const char *text, size_t len)
{
	unsigned int lineno = 0;
	size_t pos = 0;
	int bad = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char line[256], file[64];
		unsigned long long addr, size;
		unsigned int type;
		struct region *r;

		lineno++;
		if (llen >= sizeof(line) - 1) {
			warnx("%s/dump_info.txt:%u: line too long", dir, lineno);
			bad = 1;
			pos += llen + 1;
			continue;
		}
		memcpy(line, text + pos, llen);
		line[llen] = '\0';
		pos += llen + 1;
		if (strspn(line, " \t\r") == llen)
			continue;
		/* The name column is padded: the file is the last field. */
		if (sscanf(line, "%u 0x%llx %llu", &type, &addr, &size) != 3 ||
		    sscanf(strrchr(line, '\t') ? strrchr(line, '\t') + 1 : "", "%63s", file) != 1) {
			warnx("%s/dump_info.txt:%u: cannot read address, size and file", dir,
			      lineno);
			bad = 1;
			continue;
		}
		r = find_by_file(d, file);
		if (!r) {
			/* Collection is best effort: a region may be missing. */
			warnx("%s/dump_info.txt:%u: %s is not in the directory", dir, lineno, file);
			continue;
		}
		if (r->info_line) {
			bool same = r->addr == addr && r->size == size;

			warnx("%s/dump_info.txt:%u: %s again%s; line %u kept", dir, lineno, file,
			      same ? ", the same" : ", with another address or size",
			      r->info_line);
			if (!same)
				d->problems++;
			continue;
		}
		r->info_line = lineno;
		r->addr = addr;
		r->have_addr = true;
		seq_name(r, line);
		if (size < r->present) {
			/* Shorter is a region missing bytes; longer, a contradiction. */
			warnx("%s/dump_info.txt:%u: %s has %" PRIu64 " bytes, the line %llu; %s",
			      dir, lineno, file, r->present, size, "the first ones taken");
			d->problems++;
			r->present = size;
		}
		r->size = size;
	}
	return bad ? -EXIT_INPUT : 0;
}

static int read_dump_info(struct dump *d, const char *dir)
{
	char path[4096];
	char *text;
	size_t got;
	struct stat st;
	int fd, ret;

	if (dir_lookup(dir, "dump_info.txt", path, sizeof(path)))
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		warnx("%s: %s", path, strerror(errno));
		return -EXIT_SYSTEM;
	}
	if (fstat(fd, &st) || st.st_size > MAX_DUMP_INFO) {
		warnx("%s: larger than %d bytes", path, MAX_DUMP_INFO);
		close(fd);
		return -EXIT_INPUT;
	}
	text = malloc(st.st_size + 1);
	if (!text || read_full(fd, 0, text, st.st_size, &got)) {
		free(text);
		close(fd);
		return -EXIT_SYSTEM;
	}
	close(fd);
	ret = dump_info_parse(d, dir, text, got);
	free(text);
	return ret;
}

/*
 * The order every later choice between regions follows, so that it never
 * depends on the order readdir() returns files in: the files dump_info.txt
 * lists, in its line order, then the others by file name.
 */
static int listed_order(const void *a, const void *b)
{
	const struct region *x = a, *y = b;

	if (x->info_line != y->info_line) {
		if (!x->info_line || !y->info_line)
			return x->info_line ? -1 : 1;
		return x->info_line < y->info_line ? -1 : 1;
	}
	return strcmp(x->path, y->path);
}

/*
 * load.cmm beside md files: the address of each md file it loads, for the
 * files dump_info.txt does not list (qdl and some tools leave no
 * dump_info.txt). An address that disagrees with dump_info.txt's is a
 * contradiction; lines for other files (RAM dumps) are not ours.
 */
static int cmm_md_line(void *ctx, const struct cmm_line *l)
{
	char name[QCOM_MINIDUMP_TOC_NAME_SIZE + 1];
	struct dump *d = ctx;
	struct region *r;

	if (!md_file_name(l->file, name, sizeof(name)))
		return 0;
	r = find_by_file(d, l->file);
	if (!r) {
		warnx("%s:%u: %s is not in the directory", l->cmm, l->line, l->file);
	} else if (r->have_addr && r->addr != l->addr) {
		warnx("%s:%u: %s at %#" PRIx64 ", dump_info.txt line %u says %#" PRIx64 "; %s",
		      l->cmm, l->line, l->file, l->addr, r->info_line, r->addr,
		      "dump_info.txt kept");
		d->problems++;
	} else {
		r->addr = l->addr;
		r->have_addr = true;
	}
	return 0;
}

/*
 * What a directory holds: 1 if md files, else 0; *cmm is its load.cmm
 * (any case), or "" if it has none.
 */
int mddir_probe(const char *dir, char *cmm, size_t cmm_size)
{
	char name[QCOM_MINIDUMP_TOC_NAME_SIZE + 1];
	struct dirent *de;
	int found = 0;
	DIR *dh;

	if (dir_lookup(dir, "load.cmm", cmm, cmm_size))
		cmm[0] = '\0';
	dh = opendir(dir);
	if (!dh) {
		warnx("%s: %s", dir, strerror(errno));
		return -EXIT_SYSTEM;
	}
	while (!found && (de = readdir(dh)))
		found = md_file_name(de->d_name, name, sizeof(name));
	closedir(dh);
	return found;
}

static int cmm_count_line(void *ctx, const struct cmm_line *l)
{
	char name[QCOM_MINIDUMP_TOC_NAME_SIZE + 1];

	if (md_file_name(l->file, name, sizeof(name)))
		++*(int *)ctx;
	return 0;
}

/*
 * What a load.cmm loads: 1 for md files (a minidump collection), 0 for
 * RAM dumps; a negative exit code for a mix, or a file that cannot be read.
 */
int cmm_kind(const char *path)
{
	int md = 0, lines = cmm_parse(path, cmm_count_line, &md);

	if (lines < 0)
		return lines;
	if (md && md != lines) {
		warnx("%s: loads md files and RAM dumps both: %s", path,
		      "pass the md files' directory, or a RAM dump with --base");
		return -EXIT_INPUT;
	}
	return md > 0;
}

/*
 * A collection's directory: its md files, their addresses from
 * dump_info.txt, then from @cmm (NULL: the directory's load.cmm, if any).
 */
int mddir_read(struct dump *d, const char *dir, const char *cmm)
{
	char cmm_path[4096];
	struct dirent *de;
	DIR *dh;
	int ret;

	dh = opendir(dir);
	if (!dh) {
		warnx("%s: %s", dir, strerror(errno));
		return -EXIT_SYSTEM;
	}
	while ((de = readdir(dh))) {
		char name[QCOM_MINIDUMP_TOC_NAME_SIZE + 1];
		char path[4096];
		struct region *r;
		struct stat st;

		if (!md_file_name(de->d_name, name, sizeof(name)))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		r = dump_add_region(d);
		if (r)
			r->path = strdup(path);
		if (!r || !r->path) {
			closedir(dh);
			return -EXIT_SYSTEM;
		}
		memcpy(r->name, name, sizeof(r->name));
		r->nocase = true;
		r->valid = true;
		r->src = SRC_FILE;
		r->size = st.st_size;
		r->present = st.st_size;
		snprintf(r->where, sizeof(r->where), "%.100s", de->d_name);
	}
	closedir(dh);
	if (!d->nr_regions) {
		warnx("%s: no md_*.BIN files", dir);
		return -EXIT_INPUT;
	}
	ret = read_dump_info(d, dir);
	if (!ret && !cmm && !dir_lookup(dir, "load.cmm", cmm_path, sizeof(cmm_path)))
		cmm = cmm_path;
	if (!ret && cmm) {
		ret = cmm_parse(cmm, cmm_md_line, d);
		ret = ret < 0 ? ret : 0;
	}
	if (!ret)
		qsort(d->regions, d->nr_regions, sizeof(*d->regions), listed_order);
	return ret;
}

/* ---- rawdump partitions ---- */

#define RAWDUMP_SIG		"Raw_Dmp!"
#define RAWDUMP_HDR_SIZE	56
#define RAWDUMP_SEC_SIZE	64
#define RAWDUMP_MAX_SECTIONS	4096
#define RAWDUMP_VALID		1
#define RAWDUMP_NO_SPACE	2

struct rawdump_header {
	char sig[8];
	uint32_t version;
	uint32_t valid;
	uint64_t data;
	char context[8];
	uint32_t reset_trigger;
	uint64_t dump_size;
	uint64_t total_size;
	uint32_t sections_count;
} __attribute__((packed));

struct rawdump_section {
	uint32_t valid;
	uint32_t version;
	uint32_t type;
	uint64_t offset;
	uint64_t size;
	uint64_t address;
	uint64_t info;
	char name[20];
} __attribute__((packed));

_Static_assert(sizeof(struct rawdump_header) == RAWDUMP_HDR_SIZE, "rawdump header layout");
_Static_assert(sizeof(struct rawdump_section) == RAWDUMP_SEC_SIZE, "rawdump section layout");

bool rawdump_detect(const char *path)
{
	char sig[8];
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return false;
	read_full(fd, 0, sig, sizeof(sig), &got);
	close(fd);
	return got == sizeof(sig) && !memcmp(sig, RAWDUMP_SIG, sizeof(sig));
}

int rawdump_read(struct dump *d, const char *path)
{
	struct rawdump_header h;
	struct stat st;
	uint32_t i, count;
	size_t got;
	int fd, ret = 0;

	fd = open_input(path, &st);
	if (fd < 0)
		return fd;
	if (read_full(fd, 0, &h, sizeof(h), &got) || got != sizeof(h) ||
	    memcmp(h.sig, RAWDUMP_SIG, sizeof(h.sig))) {
		warnx("%s: no rawdump header (Raw_Dmp!)", path);
		close(fd);
		return -EXIT_INPUT;
	}
	if (le32toh(h.valid) != RAWDUMP_VALID)
		warnx("%s: header says the dump is %s; reading what is there", path,
		      le32toh(h.valid) == RAWDUMP_NO_SPACE ? "incomplete (partition full)" :
		      "not valid");
	count = le32toh(h.sections_count);
	if (count > RAWDUMP_MAX_SECTIONS ||
	    RAWDUMP_HDR_SIZE + (uint64_t)count * RAWDUMP_SEC_SIZE > (uint64_t)st.st_size) {
		warnx("%s: %u sections do not fit in %lld bytes", path, count,
		      (long long)st.st_size);
		close(fd);
		return -EXIT_INPUT;
	}

	for (i = 0; i < count; i++) {
		uint64_t at = RAWDUMP_HDR_SIZE + (uint64_t)i * RAWDUMP_SEC_SIZE;
		char file[sizeof(((struct rawdump_section *)0)->name) + 1];
		char name[QCOM_MINIDUMP_TOC_NAME_SIZE + 1];
		struct rawdump_section s;
		uint64_t off, size, end;
		struct region *r;

		if (read_full(fd, at, &s, sizeof(s), &got) || got != sizeof(s))
			break;
		memcpy(file, s.name, sizeof(s.name));
		file[sizeof(s.name)] = '\0';
		if (!md_file_name(file, name, sizeof(name)))
			continue;	/* not a minidump region: CPU context and the like */
		off = le64toh(s.offset);
		size = le64toh(s.size);
		r = dump_add_region(d);
		if (!r) {
			ret = -EXIT_SYSTEM;
			break;
		}
		memcpy(r->name, name, sizeof(r->name));
		r->valid = true;
		r->addr = le64toh(s.address);
		r->have_addr = true;
		r->size = size;
		r->src = SRC_FILE;
		r->path = strdup(path);
		r->file_off = off;
		if (add_overflows(off, size, &end) || end > (uint64_t)st.st_size) {
			r->present = off < (uint64_t)st.st_size ? st.st_size - off : 0;
			warnx("%s: section %u (%s) at offset %#" PRIx64
			      " runs past the end of the file", path, i, file, at);
		} else {
			r->present = size;
		}
		snprintf(r->where, sizeof(r->where), "%.60s+%#" PRIx64, path, off);
	}
	close(fd);
	if (!ret && !d->nr_regions) {
		warnx("%s: no md_*.BIN sections", path);
		ret = -EXIT_INPUT;
	}
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: RAM dumps, one or more files each loaded at a physical address.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minidump.h"

int ram_add_file(struct ram *ram, const char *path, uint64_t base)
{
	struct ram_file *files, *f;
	struct stat st;
	uint64_t end;
	int fd;

	fd = open_input(path, &st);
	if (fd < 0)
		return fd;
	if (add_overflows(base, st.st_size, &end)) {
		warnx("%s: %" PRIu64 " bytes at %#" PRIx64 " run past the address space",
		      path, (uint64_t)st.st_size, base);
		close(fd);
		return -EXIT_INPUT;
	}
	files = realloc(ram->files, (ram->nr_files + 1) * sizeof(*files));
	if (!files) {
		close(fd);
		return -EXIT_SYSTEM;
	}
	ram->files = files;
	f = &files[ram->nr_files++];
	f->path = strdup(path);
	f->fd = fd;
	f->base = base;
	f->size = st.st_size;
	return f->path ? 0 : -EXIT_SYSTEM;
}

/*
 * load.cmm, as collection tools write it: one "d.load.binary FILE ADDR
 * [/noclear]" line per file, for RAM dumps (DDRCS0_0.BIN) or for the md
 * files of a minidump. FILE must be a plain name in the same directory: a
 * path from a dump is never followed. Calls @fn for each line, with the
 * file's path; returns how many lines there were, or a negative exit code.
 */
int cmm_parse(const char *path, cmm_fn fn, void *ctx)
{
	char line[512], dir[4096], file[256], full[4096 + 256 + 2];
	unsigned int lineno = 0;
	int ret = 0, count = 0;
	struct cmm_line l;
	const char *slash;
	unsigned long long addr;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		warnx("%s: %s", path, strerror(errno));
		return -EXIT_SYSTEM;
	}
	slash = strrchr(path, '/');
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");

	while (fgets(line, sizeof(line), f)) {
		char *p = line;

		lineno++;
		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, "d.load.binary", 13))
			continue;
		if (sscanf(p + 13, " %255s %llx", file, &addr) != 2) {
			warnx("%s:%u: cannot read file and address", path, lineno);
			ret = -EXIT_INPUT;
			break;
		}
		if (strchr(file, '/') || strchr(file, '\\') || !strcmp(file, "..") ||
		    !strcmp(file, ".")) {
			warnx("%s:%u: file '%s' is not a plain name in the same directory",
			      path, lineno, file);
			ret = -EXIT_INPUT;
			break;
		}
		if (dir_lookup(dir, file, full, sizeof(full)))
			snprintf(full, sizeof(full), "%s/%s", dir, file);
		count++;
		l = (struct cmm_line){ .cmm = path, .line = lineno, .file = file, .path = full,
				       .addr = addr };
		ret = fn(ctx, &l);
		if (ret)
			break;
	}
	fclose(f);
	return ret ? ret : count;
}

static int cmm_ram_line(void *ctx, const struct cmm_line *l)
{
	return ram_add_file(ctx, l->path, l->addr);
}

/* The RAM dump files a load.cmm loads. */
int ram_load_cmm(struct ram *ram, const char *path)
{
	int ret = cmm_parse(path, cmm_ram_line, ram);

	if (!ret) {
		warnx("%s: no d.load.binary line", path);
		ret = -EXIT_INPUT;
	}
	return ret < 0 ? ret : 0;
}

/* The part of [addr, addr + len) that @f holds, as [*start, *stop); false if none. */
bool ram_file_overlap(const struct ram_file *f, uint64_t addr, uint64_t len,
		      uint64_t *start, uint64_t *stop)
{
	uint64_t end;

	if (add_overflows(addr, len, &end))
		end = UINT64_MAX;
	*start = addr > f->base ? addr : f->base;
	*stop = end < f->base + f->size ? end : f->base + f->size;
	return *start < *stop;
}

/* Copies what the files hold of [addr, addr + len); returns the bytes found. */
size_t ram_read(const struct ram *ram, uint64_t addr, void *buf, size_t len)
{
	size_t found = 0;
	size_t i;

	memset(buf, 0, len);
	for (i = 0; i < ram->nr_files; i++) {
		const struct ram_file *f = &ram->files[i];
		uint64_t start, stop;
		size_t got;

		if (!ram_file_overlap(f, addr, len, &start, &stop))
			continue;
		if (!read_full(f->fd, start - f->base, (char *)buf + (start - addr),
			       stop - start, &got))
			found += got;
	}
	return found;
}

/* How many bytes of [addr, addr + len) the files hold. */
uint64_t ram_coverage(const struct ram *ram, uint64_t addr, uint64_t len)
{
	uint64_t start, stop, covered = 0;
	size_t i;

	for (i = 0; i < ram->nr_files; i++)
		if (ram_file_overlap(&ram->files[i], addr, len, &start, &stop))
			covered += stop - start;
	return covered < len ? covered : len;
}

void ram_free(struct ram *ram)
{
	size_t i;

	for (i = 0; i < ram->nr_files; i++) {
		close(ram->files[i].fd);
		free(ram->files[i].path);
	}
	free(ram->files);
	ram->files = NULL;
	ram->nr_files = 0;
}

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
 * [/noclear]" line per file. FILE must be a plain name in the same
 * directory: a path from a dump is never followed.
 */
int ram_load_cmm(struct ram *ram, const char *path)
{
	char line[512], dir[4096], file[256], full[4096 + 256 + 2];
	unsigned int lineno = 0, loaded = 0;
	const char *slash;
	unsigned long long addr;
	FILE *f;
	int ret = 0;

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
		snprintf(full, sizeof(full), "%s/%s", dir, file);
		ret = ram_add_file(ram, full, addr);
		if (ret)
			break;
		loaded++;
	}
	fclose(f);
	if (!ret && !loaded) {
		warnx("%s: no d.load.binary line", path);
		ret = -EXIT_INPUT;
	}
	return ret;
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

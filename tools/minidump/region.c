// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: a dump's regions and their bytes, wherever the bytes are (a RAM
 * dump or a file). Above ram.c and util.c; the readers (toc.c, mddir.c) and
 * kelf.c call down into it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minidump.h"

struct region *dump_add_region(struct dump *d)
{
	size_t n = d->nr_regions;
	struct region *r;

	/* Room for 64, then doubled when full: a table of thousands costs no copies. */
	if (!n || (n >= 64 && !(n & (n - 1)))) {
		r = realloc(d->regions, (n ? 2 * n : 64) * sizeof(*r));
		if (!r)
			return NULL;
		d->regions = r;
	}
	r = &d->regions[d->nr_regions++];
	memset(r, 0, sizeof(*r));
	r->ss = -1;
	return r;
}

void dump_free(struct dump *d)
{
	size_t i;

	for (i = 0; i < d->nr_regions; i++)
		free(d->regions[i].path);
	free(d->regions);
	ram_free(&d->ram);
	memset(d, 0, sizeof(*d));
}

/*
 * Bytes [off, off + len) of a region, from RAM or from its file. What the
 * source does not hold reads as zeroes; returns the bytes it did hold.
 */
size_t region_read(const struct dump *d, const struct region *r, uint64_t off, void *buf,
		   size_t len)
{
	size_t got = 0;
	uint64_t pos;
	FILE *f;

	memset(buf, 0, len);
	if (off >= r->size)
		return 0;
	if (len > r->size - off)
		len = r->size - off;

	if (r->src == SRC_RAM)
		return ram_read(&d->ram, r->addr + off, buf, len);

	if (off >= r->present || add_overflows(r->file_off, off, &pos))
		return 0;
	if (len > r->present - off)
		len = r->present - off;
	f = fopen(r->path, "rb");
	if (!f)
		return 0;
	if (read_full(fileno(f), pos, buf, len, &got))
		got = 0;
	fclose(f);
	return got;
}

/*
 * Calls @fn for each piece [off, off + len) of @r, below @limit, that its
 * source holds: the present part of its file, or its overlap with each RAM
 * file. So the work is bounded by the data in the dump, whatever sizes a
 * hostile table claims.
 */
int region_pieces(const struct dump *d, const struct region *r, uint64_t limit, piece_fn fn,
		  void *ctx)
{
	uint64_t len = r->size < limit ? r->size : limit;
	uint64_t start, stop;
	size_t i;
	int ret;

	if (r->src == SRC_FILE)
		return len && r->present ? fn(ctx, 0, r->present < len ? r->present : len) : 0;

	for (i = 0; i < d->ram.nr_files; i++) {
		if (!ram_file_overlap(&d->ram.files[i], r->addr, len, &start, &stop))
			continue;
		ret = fn(ctx, start - r->addr, stop - start);
		if (ret)
			return ret;
	}
	return 0;
}

struct held_ctx {
	uint64_t total;
	uint64_t prefix;
	bool grown;
};

static int held_piece(void *p, uint64_t off, uint64_t len)
{
	struct held_ctx *c = p;

	c->total += len;
	if (off <= c->prefix && off + len > c->prefix) {
		c->prefix = off + len;
		c->grown = true;
	}
	return 0;
}

/*
 * How many of the first @limit bytes of @r the dump holds: in all, and
 * (with @prefix) from its start on without a gap, as RAM files that follow
 * each other give them.
 */
uint64_t region_held(const struct dump *d, const struct region *r, uint64_t limit,
		     uint64_t *prefix)
{
	struct held_ctx c = { };
	uint64_t total = 0;

	if (!r)
		goto out;
	do {
		c.total = 0;
		c.grown = false;
		region_pieces(d, r, limit, held_piece, &c);
		total = c.total;
	} while (prefix && c.grown);
out:
	if (prefix)
		*prefix = c.prefix;
	return total;
}

struct copy_ctx {
	const struct dump *d;
	const struct region *r;
	int fd;
	uint64_t at;
	uint64_t held;
	unsigned char *buf;
};

static int copy_piece(void *p, uint64_t off, uint64_t len)
{
	struct copy_ctx *c = p;
	uint64_t done;

	for (done = 0; done < len; done += IO_CHUNK) {
		size_t n = len - done < IO_CHUNK ? len - done : IO_CHUNK;

		c->held += region_read(c->d, c->r, off + done, c->buf, n);
		if (pwrite(c->fd, c->buf, n, c->at + off + done) != (ssize_t)n)
			return -EXIT_SYSTEM;
	}
	return 0;
}

/*
 * Copy the first @len bytes of @r (NULL: a region that is not there) to
 * @fd at @at. Only what the dump holds is written; the rest is left as a
 * hole, which reads as zeroes once output_size() set the file's size.
 * *missing says how many bytes were not in the dump.
 */
int region_copy(const struct dump *d, const struct region *r, int fd, uint64_t at,
		uint64_t len, uint64_t *missing)
{
	struct copy_ctx c = { .d = d, .r = r, .fd = fd, .at = at };
	int ret = 0;

	if (r) {
		c.buf = malloc(len && len < IO_CHUNK ? len : IO_CHUNK);
		if (!c.buf)
			return -EXIT_SYSTEM;
		ret = region_pieces(d, r, len, copy_piece, &c);
		free(c.buf);
	}
	*missing = len - c.held;
	return ret;
}

/* Give a regular output file its full size; its holes read as zeroes. */
int output_size(int fd, uint64_t size)
{
	struct stat st;

	if (fstat(fd, &st))
		return -EXIT_SYSTEM;
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size >= size)
		return 0;
	return ftruncate(fd, size) ? -EXIT_SYSTEM : 0;
}

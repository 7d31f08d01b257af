// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: helpers shared by the readers.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minidump.h"

const char *prog = "minidump";
bool md_quiet;

void warnx(const char *fmt, ...)
{
	va_list ap;

	if (md_quiet)
		return;
	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

bool add_overflows(uint64_t a, uint64_t b, uint64_t *sum)
{
	return __builtin_add_overflow(a, b, sum);
}

static bool name_char_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/*
 * A region name made safe for a file name and a terminal: characters
 * outside [A-Za-z0-9_.-], and a leading '.', become %XX. So "/", "\",
 * ".." and control characters never reach a path unescaped.
 */
void safe_name(const char *name, char *out, size_t out_size)
{
	size_t o = 0;
	size_t i;

	for (i = 0; name[i] && o + 4 < out_size; i++) {
		unsigned char c = name[i];

		if (name_char_ok(c) && !(i == 0 && c == '.'))
			out[o++] = c;
		else
			o += snprintf(out + o, out_size - o, "%%%02X", c);
	}
	if (!o && o + 4 < out_size)
		o += snprintf(out + o, out_size - o, "%%00");
	out[o] = '\0';
}

struct region *dump_add_region(struct dump *d)
{
	struct region *r;

	if (d->nr_regions % 64 == 0) {
		r = realloc(d->regions, (d->nr_regions + 64) * sizeof(*r));
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

/* pread() until @len bytes or end of file; *got says how many. */
int read_full(int fd, uint64_t off, void *buf, size_t len, size_t *got)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			break;
		done += n;
	}
	*got = done;
	return 0;
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

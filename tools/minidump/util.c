// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: the lowest layer: messages, checked arithmetic, names made safe,
 * file reads. It calls nothing else in the tool.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
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

/* Open an input file read-only; on error, one message and -EXIT_SYSTEM. */
int open_input(const char *path, struct stat *st)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, st)) {
		warnx("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -EXIT_SYSTEM;
	}
	return fd;
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

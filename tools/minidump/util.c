// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: the lowest layer: messages, checked arithmetic, names made safe,
 * file reads. It calls nothing else in the tool.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "minidump.h"

const char *prog = "minidump";
bool md_quiet;
bool md_keep_messages;

#define MAX_KEPT_MESSAGES	1000

static char **kept;
static size_t nr_kept;

void warnx(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!md_quiet)
		fprintf(stderr, "%s: %s\n", prog, msg);
	if (md_keep_messages && nr_kept < MAX_KEPT_MESSAGES) {
		char **more = realloc(kept, (nr_kept + 1) * sizeof(*kept));

		if (more) {
			kept = more;
			kept[nr_kept] = strdup(msg);
			if (kept[nr_kept])
				nr_kept++;
		}
	}
}

/* The messages warnx() printed since md_keep_messages was set. */
const char *const *kept_messages(size_t *nr)
{
	*nr = nr_kept;
	return (const char *const *)kept;
}

void kept_messages_free(void)
{
	while (nr_kept)
		free(kept[--nr_kept]);
	free(kept);
	kept = NULL;
}

/* @s as a JSON string; bytes outside printable ASCII become \u00XX. */
void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
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

/* pwrite() all of @len bytes at @off; -EXIT_SYSTEM (errno set) on failure. */
int write_full(int fd, const void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EXIT_SYSTEM;
		done += n;
	}
	return 0;
}

/*
 * The path of @name in @dir: the entry of that name, else the first (in
 * byte order) that differs from it only in case, as collections made on
 * case-insensitive file systems name them. -1 when there is none.
 */
int dir_lookup(const char *dir, const char *name, char *path, size_t size)
{
	char best[256] = "";
	struct dirent *de;
	struct stat st;
	DIR *dh;

	snprintf(path, size, "%s/%s", dir, name);
	if (!lstat(path, &st))
		return 0;
	dh = opendir(dir);
	if (!dh)
		return -1;
	while ((de = readdir(dh)))
		if (!strcasecmp(de->d_name, name) && strlen(de->d_name) < sizeof(best) &&
		    (!best[0] || strcmp(de->d_name, best) < 0))
			snprintf(best, sizeof(best), "%s", de->d_name);
	closedir(dh);
	if (!best[0])
		return -1;
	snprintf(path, size, "%s/%s", dir, best);
	return 0;
}

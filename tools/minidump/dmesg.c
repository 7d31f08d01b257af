// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump dmesg: the kernel log of a dump. From the printk ring buffer
 * when the dump has it (printk.c), else from the text snapshot a kmsg
 * dumper left in the KLOGBUF region.
 *
 * An assembled ELF core is read directly. Any other input is first put
 * together as "minidump assemble" does, into memory, and read the same way,
 * so the ring is found where gdb and drgn find it.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "minidump.h"
#include "printk.h"

#define SNAPSHOT_REGION	"KLOGBUF"

/**
 * dmesg_parse_source() - the value of --source
 * @s: "ring", "snapshot" or "auto"
 *
 * Return: DMESG_RING, DMESG_SNAPSHOT or DMESG_AUTO; -1 for anything else.
 */
int dmesg_parse_source(const char *s)
{
	if (!strcmp(s, "ring"))
		return DMESG_RING;
	if (!strcmp(s, "snapshot"))
		return DMESG_SNAPSHOT;
	if (!strcmp(s, "auto"))
		return DMESG_AUTO;
	return -1;
}

/**
 * dmesg_text() - print a text snapshot of the log
 * @buf: the text, up to its first NUL
 * @len: its size
 * @out: where it goes
 *
 * Bytes other than printable ones, tab and newline are printed as \xNN;
 * a last line without a newline gets one.
 */
void dmesg_text(const unsigned char *buf, size_t len, FILE *out)
{
	size_t i;

	for (i = 0; i < len && buf[i]; i++) {
		if ((buf[i] >= 0x20 && buf[i] < 0x7f) || buf[i] == '\n' || buf[i] == '\t')
			putc(buf[i], out);
		else
			fprintf(out, "\\x%02x", buf[i]);
	}
	if (i && buf[i - 1] != '\n')
		putc('\n', out);
}

/* Decode the ring of @c; -EXIT_INPUT with @why set when there is none. */
static int decode_ring(const struct core *c, const struct dmesg_opts *o, char *why,
		       size_t why_size)
{
	struct prb_source src = {
		.read = core_read,
		.ctx = (void *)c,
		.vmcoreinfo = c->vmcoreinfo,
		.vmcoreinfo_len = c->vmcoreinfo_len,
	};
	struct prb_result res;
	int ret;

	ret = prb_decode(&src, stdout, o->dict ? PRB_DICT : 0, &res);
	if (ret == -EXIT_INPUT) {
		snprintf(why, why_size, "%s", res.why);
		return ret;
	}
	if (fflush(stdout))
		return -EXIT_SYSTEM;
	if (res.broken)
		warnx("%lu record%s printed, %lu skipped", res.printed,
		      res.printed == 1 ? "" : "s", res.broken);
	else if (o->verbose)
		warnx("%lu record%s printed from the printk ring buffer", res.printed,
		      res.printed == 1 ? "" : "s");
	return ret;
}

/**
 * dmesg_elf() - "minidump dmesg" of an assembled ELF core file
 * @path: the file
 * @o: the options
 *
 * Return: 0, or a negative exit code.
 */
int dmesg_elf(const char *path, const struct dmesg_opts *o)
{
	const char *name = o->region ? o->region : SNAPSHOT_REGION;
	const unsigned char *text;
	char why[256];
	struct core c;
	size_t len;
	int ret;

	ret = core_open(&c, path);
	if (ret)
		goto out;
	if (o->source != DMESG_SNAPSHOT) {
		ret = decode_ring(&c, o, why, sizeof(why));
		if (ret != -EXIT_INPUT)
			goto out;
		if (o->source == DMESG_RING) {
			warnx("%s: no printk ring buffer to read: %s", path, why);
			goto out;
		}
		warnx("%s: no printk ring buffer (%s); printing the %s snapshot instead", path,
		      why, name);
	}
	if (!core_section(&c, name, &text, &len)) {
		warnx("%s: no section named %s", path, name);
		ret = -EXIT_INPUT;
		goto out;
	}
	dmesg_text(text, len, stdout);
	ret = 0;
out:
	core_close(&c);
	return ret;
}

/**
 * dmesg_dump() - "minidump dmesg" of the ring in a dump that is not yet assembled
 * @d: the dump
 * @o: the options
 *
 * Return: 0 or a negative exit code when the ring was read (or asked for
 * and not there); DMESG_USE_SNAPSHOT when the caller should print the
 * snapshot region instead.
 */
int dmesg_dump(const struct dump *d, const struct dmesg_opts *o)
{
	bool quiet = md_quiet;
	char path[64], why[256];
	struct core c = { };
	int fd, ret, built;

	if (o->source == DMESG_SNAPSHOT)
		return DMESG_USE_SNAPSHOT;
	fd = memfd_create("minidump-core", 0);
	if (fd < 0) {
		warnx("memfd_create: %s", strerror(errno));
		return -EXIT_SYSTEM;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	/* "minidump assemble" says what is missing; here only the log counts. */
	md_quiet = true;
	built = kelf_assemble(d, path, false, NULL);
	md_quiet = quiet;
	if (built && built != -EXIT_INCOMPLETE) {
		snprintf(why, sizeof(why), "the dump has no kernel ELF header to assemble");
		ret = -EXIT_INPUT;
	} else {
		ret = core_open_fd(&c, fd, "the assembled dump");
		if (ret == -EXIT_INPUT)
			snprintf(why, sizeof(why), "the assembled dump is not an ELF core");
		else if (!ret)
			ret = decode_ring(&c, o, why, sizeof(why));
		if (ret == -EXIT_INCOMPLETE && built)
			warnx("some regions are missing or short (%s); their bytes read as zeroes",
			      "\"minidump assemble\" names them");
	}
	core_close(&c);
	close(fd);
	if (ret != -EXIT_INPUT)
		return ret;
	if (o->source == DMESG_RING) {
		warnx("no printk ring buffer to read: %s", why);
		return ret;
	}
	warnx("no printk ring buffer (%s); printing the %s snapshot instead", why,
	      o->region ? o->region : SNAPSHOT_REGION);
	return DMESG_USE_SNAPSHOT;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * minidump: the kernel log, decoded from the printk ring buffer in a dump,
 * and the ELF core reader that feeds it.
 */

#ifndef PRINTK_H
#define PRINTK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * typedef prb_read_fn - read kernel memory from a dump
 * @ctx: the reader's context
 * @addr: kernel virtual address, as VMCOREINFO and the ring's pointers give it
 * @buf: where the bytes go; NULL to only ask whether they are there
 * @len: how many bytes
 *
 * Return: true if every byte of [@addr, @addr + @len) is in the dump.
 */
typedef bool (*prb_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/**
 * struct prb_source - where the decoder finds the ring
 * @read: reads kernel memory
 * @ctx: passed to @read
 * @vmcoreinfo: the VMCOREINFO note's text, "KEY=VALUE" lines; need not end in NUL
 * @vmcoreinfo_len: its length
 */
struct prb_source {
	prb_read_fn read;
	void *ctx;
	const char *vmcoreinfo;
	size_t vmcoreinfo_len;
};

/**
 * struct prb_result - what the decoder did
 * @printed: records printed
 * @broken: records skipped with a message: overwritten, inconsistent, being written
 * @reusable: descriptors skipped silently: freed by the ring, as the kernel skips them
 * @why: when the ring could not be read at all, the reason
 */
struct prb_result {
	unsigned long printed;
	unsigned long broken;
	unsigned long reusable;
	char why[192];
};

/* Flags for prb_decode(). */
#define PRB_DICT	0x1	/* " SUBSYSTEM=..." and " DEVICE=..." lines after a record */

int prb_decode(const struct prb_source *src, FILE *out, unsigned int flags,
	       struct prb_result *res);

/**
 * struct core - an ELF core file, held in memory
 * @buf: the whole file
 * @size: its size
 * @segs: its PT_LOADs: virtual address, file offset and bytes the file holds
 * @nr_segs: how many
 * @vmcoreinfo: the VMCOREINFO note's text in @buf, or NULL
 * @vmcoreinfo_len: its length
 * @map: what to unmap, or NULL
 */
struct core {
	const unsigned char *buf;
	size_t size;
	struct core_seg {
		uint64_t vaddr;
		uint64_t off;
		uint64_t len;
	} *segs;
	size_t nr_segs;
	const char *vmcoreinfo;
	size_t vmcoreinfo_len;
	void *map;
};

bool core_is_elf(const char *path);
int core_open(struct core *c, const char *path);
int core_open_fd(struct core *c, int fd, const char *name);
int core_open_mem(struct core *c, const void *buf, size_t size, const char *name);
bool core_read(void *ctx, uint64_t addr, void *buf, size_t len);
bool core_section(const struct core *c, const char *name, const unsigned char **data,
		  size_t *len);
void core_close(struct core *c);

/**
 * struct dmesg_opts - what "minidump dmesg" was asked for
 * @source: DMESG_AUTO, DMESG_RING or DMESG_SNAPSHOT
 * @dict: print each record's dictionary
 * @region: the snapshot's region name (default KLOGBUF)
 * @verbose: say more
 */
struct dmesg_opts {
	int source;
	bool dict;
	const char *region;
	bool verbose;
};

enum { DMESG_AUTO, DMESG_RING, DMESG_SNAPSHOT };

/* Returned by dmesg_dump() when the caller should print the snapshot. */
#define DMESG_USE_SNAPSHOT	1

struct dump;
int dmesg_parse_source(const char *s);
int dmesg_elf(const char *path, const struct dmesg_opts *o);
int dmesg_dump(const struct dump *d, const struct dmesg_opts *o);
void dmesg_text(const unsigned char *buf, size_t len, FILE *out);

/* fuzz_printk.c */
void fuzz_printk(const uint8_t *data, size_t size);

#endif /* PRINTK_H */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: find SMEM in a RAM dump and read the minidump table of contents
 * (item 602) the way boot firmware does.
 */

#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "minidump.h"
#include "smem_layout.h"

#define PAGE		4096
#define MAX_ITEMS_WALKED	100000
#define MAX_TOC_BYTES	(1 << 16)
#define MAX_REGIONS_PER_SS	4096
#define SCAN_MIN	(64u << 10)	/* the SMEM search's first buffer */

/* An SMEM header that boot firmware initialized, with a global partition. */
static bool smem_header_ok(const struct ram *ram, uint64_t base)
{
	struct smem_header h;

	if (ram_read(ram, base, &h, offsetof(struct smem_header, toc)) !=
	    offsetof(struct smem_header, toc))
		return false;
	return le32toh(h.initialized) == 1 && !le32toh(h.reserved) &&
	       le32toh(h.version[SMEM_SBL_VERSION_INDEX]) >> 16 == SMEM_GLOBAL_PART_VERSION;
}

/*
 * A partition table page whose info block gives SMEM's size, so that the
 * base is where the header must be: base = table + 4 KiB - size.
 */
static bool ptable_page(const struct ram *ram, uint64_t addr, uint64_t *base, uint64_t *size)
{
	unsigned char page[PAGE];
	const struct smem_ptable *pt = (const void *)page;
	const struct smem_info *info;
	uint32_t n;

	if (ram_read(ram, addr, page, sizeof(page)) != sizeof(page) ||
	    memcmp(pt->magic, SMEM_PTABLE_MAGIC, 4) || le32toh(pt->version) != 1)
		return false;
	n = le32toh(pt->num_entries);
	if (n > (PAGE - sizeof(*pt) - sizeof(*info)) / sizeof(struct smem_ptable_entry))
		return false;
	info = (const void *)(page + sizeof(*pt) + n * sizeof(struct smem_ptable_entry));
	if (memcmp(info->magic, SMEM_INFO_MAGIC, 4))
		return false;
	*size = le32toh(info->size);
	if (*size < 2 * PAGE || *size > addr + PAGE)
		return false;
	*base = addr + PAGE - *size;
	return smem_header_ok(ram, *base);
}

/*
 * Look for SMEM at every page of the dump that holds data. Holes of sparse
 * files are skipped (SEEK_DATA), so a large sparse dump costs what its data
 * costs. The buffer grows with the data runs, up to IO_CHUNK: small runs
 * need no large buffer (which the fuzzer would pay for at every input).
 */
int toc_find_smem(const struct ram *ram, uint64_t *smem_base, uint64_t *smem_size)
{
	unsigned char *buf = NULL;
	size_t i, cap = 0;

	for (i = 0; i < ram->nr_files; i++) {
		const struct ram_file *f = &ram->files[i];
		off_t data = 0, hole;

		while ((data = lseek(f->fd, data, SEEK_DATA)) >= 0) {
			size_t len, got, off;

			hole = lseek(f->fd, data, SEEK_HOLE);
			if (hole < 0)
				hole = f->size;
			data &= ~(off_t)(PAGE - 1);
			for (; data < hole; data += len) {
				len = hole - data < IO_CHUNK ? hole - data : IO_CHUNK;
				if (len > cap) {
					free(buf);
					cap = len < SCAN_MIN ? SCAN_MIN : len;
					buf = malloc(cap);
					if (!buf)
						return -EXIT_SYSTEM;
				}
				/* Only the data: the hole after it would read as zeroes. */
				if (read_full(f->fd, data, buf, len, &got))
					break;
				for (off = 0; off + 4 <= got; off += PAGE) {
					if (memcmp(buf + off, SMEM_PTABLE_MAGIC, 4))
						continue;
					if (ptable_page(ram, f->base + data + off, smem_base,
							smem_size)) {
						free(buf);
						return 0;
					}
				}
			}
			data = hole;
		}
	}
	free(buf);
	warnx("no SMEM found in the RAM dump (give its address with --smem)");
	return -EXIT_INPUT;
}

/* The global partition: its base and size, checked against SMEM's bounds. */
static int global_partition(const struct ram *ram, uint64_t base, uint64_t size,
			    uint64_t *part, uint32_t *part_size)
{
	unsigned char page[PAGE];
	const struct smem_ptable *pt = (const void *)page;
	const struct smem_ptable_entry *e;
	struct smem_partition_header ph;
	uint32_t n, i;

	if (ram_read(ram, base + size - PAGE, page, PAGE) != PAGE ||
	    memcmp(pt->magic, SMEM_PTABLE_MAGIC, 4) || le32toh(pt->version) != 1) {
		warnx("SMEM at %#" PRIx64 ": no partition table at %#" PRIx64, base,
		      base + size - PAGE);
		return -EXIT_INPUT;
	}
	n = le32toh(pt->num_entries);
	if (n > (PAGE - sizeof(*pt)) / sizeof(*e)) {
		warnx("SMEM at %#" PRIx64 ": partition table claims %u entries", base, n);
		return -EXIT_INPUT;
	}
	e = (const void *)(pt + 1);
	for (i = 0; i < n; i++, e++) {
		uint64_t off = le32toh(e->offset), len = le32toh(e->size);

		if (!off || !len || le16toh(e->host0) != SMEM_GLOBAL_HOST ||
		    le16toh(e->host1) != SMEM_GLOBAL_HOST)
			continue;
		if (off + len > size || len < sizeof(ph)) {
			warnx("SMEM at %#" PRIx64 ": global partition %#" PRIx64 "+%#" PRIx64
			      " outside SMEM", base, off, len);
			return -EXIT_INPUT;
		}
		if (ram_read(ram, base + off, &ph, sizeof(ph)) != sizeof(ph) ||
		    memcmp(ph.magic, SMEM_PART_MAGIC, 4) || le32toh(ph.size) != len ||
		    le32toh(ph.offset_free_uncached) > len) {
			warnx("SMEM at %#" PRIx64 ": bad global partition header at %#" PRIx64,
			      base, base + off);
			return -EXIT_INPUT;
		}
		*part = base + off;
		*part_size = len;
		return 0;
	}
	warnx("SMEM at %#" PRIx64 ": no global partition", base);
	return -EXIT_INPUT;
}

/* Find an uncached item in the global partition. */
static int find_item(const struct ram *ram, uint64_t part, uint32_t part_size, uint16_t item,
		     uint64_t *addr, uint32_t *len)
{
	struct smem_partition_header ph;
	uint64_t off, end;
	unsigned int walked;

	ram_read(ram, part, &ph, sizeof(ph));
	end = le32toh(ph.offset_free_uncached);
	for (off = sizeof(ph), walked = 0; off + sizeof(struct smem_private_entry) <= end;
	     walked++) {
		struct smem_private_entry e;
		uint64_t data, next;

		if (walked > MAX_ITEMS_WALKED)
			break;
		ram_read(ram, part + off, &e, sizeof(e));
		if (le16toh(e.canary) != SMEM_PRIVATE_CANARY) {
			warnx("SMEM item list: bad canary at %#" PRIx64, part + off);
			return -EXIT_INPUT;
		}
		data = off + sizeof(e) + le16toh(e.padding_hdr);
		next = data + le32toh(e.size);
		if (next > part_size || le16toh(e.padding_data) > le32toh(e.size)) {
			warnx("SMEM item %u at %#" PRIx64 " runs out of its partition",
			      le16toh(e.item), part + off);
			return -EXIT_INPUT;
		}
		if (le16toh(e.item) == item) {
			*addr = part + data;
			*len = le32toh(e.size) - le16toh(e.padding_data);
			return 0;
		}
		off = next;
	}
	warnx("SMEM has no item %u (no minidump table of contents)", item);
	return -EXIT_INPUT;
}

void add_subsystem_regions(struct dump *d, int ss, const struct qcom_minidump_toc_subsystem *s)
{
	uint64_t base = le64toh(s->regions_baseptr);
	uint32_t count = le32toh(s->region_count);
	struct qcom_minidump_toc_region *table;
	uint32_t i;

	if (!base || le32toh(s->status) != QCOM_MINIDUMP_SS_STATUS_READY ||
	    le32toh(s->enabled) != QCOM_MINIDUMP_SS_ENABLED ||
	    le32toh(s->encryption_status) != QCOM_MINIDUMP_SS_ENCR_DONE)
		return;
	if (count > MAX_REGIONS_PER_SS) {
		warnx("subsystem %d: region_count %u is implausible; reading %u", ss, count,
		      MAX_REGIONS_PER_SS);
		count = MAX_REGIONS_PER_SS;
	}
	/* The whole table in one read; each entry must be in the dump. */
	table = malloc(count ? count * sizeof(*table) : 1);
	if (!table)
		return;
	ram_read(&d->ram, base, table, count * sizeof(*table));
	for (i = 0; i < count; i++) {
		const struct qcom_minidump_toc_region e = table[i];
		struct region *r;
		uint64_t at = base + (uint64_t)i * sizeof(e);

		if (ram_coverage(&d->ram, at, sizeof(e)) != sizeof(e)) {
			warnx("subsystem %d: entry %u at %#" PRIx64 " is not in the dump", ss, i,
			      at);
			continue;
		}
		r = dump_add_region(d);
		if (!r)
			break;
		r->ss = ss;
		memcpy(r->name, e.name, sizeof(e.name));
		r->name[sizeof(e.name)] = '\0';
		r->seq = le32toh(e.seq_num);
		r->valid = le32toh(e.valid) == QCOM_MINIDUMP_REGION_VALID;
		r->addr = le64toh(e.address);
		r->have_addr = true;
		r->size = le64toh(e.size);
		r->src = SRC_RAM;
		r->present = ram_coverage(&d->ram, r->addr, r->size);
		snprintf(r->where, sizeof(r->where), "RAM %#" PRIx64, r->addr);
	}
	free(table);
}

int toc_read(struct dump *d, uint64_t smem_base, uint64_t smem_size)
{
	unsigned char *buf;
	const struct qcom_minidump_toc *toc;
	uint64_t part, item;
	uint32_t part_size, len;
	unsigned int ss;
	int ret;

	if (!smem_header_ok(&d->ram, smem_base)) {
		warnx("no initialized SMEM header at %#" PRIx64, smem_base);
		return -EXIT_INPUT;
	}
	ret = global_partition(&d->ram, smem_base, smem_size, &part, &part_size);
	if (!ret)
		ret = find_item(&d->ram, part, part_size, QCOM_MINIDUMP_SMEM_ITEM, &item, &len);
	if (ret)
		return ret;
	if (len > MAX_TOC_BYTES)
		len = MAX_TOC_BYTES;

	buf = calloc(1, len + sizeof(*toc));
	if (!buf)
		return -EXIT_SYSTEM;
	ram_read(&d->ram, item, buf, len);
	toc = (const void *)buf;
	d->nr_subsystems = qcom_minidump_toc_nr_subsystems(len);
	if (!d->nr_subsystems || !le32toh(toc->status)) {
		warnx("minidump table at %#" PRIx64 ": %s", item,
		      d->nr_subsystems ? "not set up by firmware (status 0)" : "too small");
		free(buf);
		return -EXIT_INPUT;
	}
	for (ss = 0; ss < d->nr_subsystems; ss++)
		add_subsystem_regions(d, ss, &toc->subsystems[ss]);
	free(buf);
	return 0;
}

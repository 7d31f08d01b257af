// SPDX-License-Identifier: GPL-2.0-only
/*
 * qcom-smem-image: write the SMEM that Qualcomm boot firmware would leave
 * in memory, with the minidump table of contents in item 602, so that the
 * real qcom_smem driver probes under an emulator.
 *
 * The image holds a header marked initialized with SBL version 12 (the
 * global partition scheme), one global partition with the items, and the
 * partition table with its info block in the last 4 KiB.
 */

#include <endian.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <soc/qcom/qcom_minidump_smem.h>

#include "smem_layout.h"

#define DEFAULT_SIZE		0x200000
#define PART_OFFSET		0x10000
#define DEFAULT_SUBSYSTEMS	10
#define ITEM_COUNT		1024	/* above 602, so the item is accepted */
#define MD_REVISION		1

struct options {
	const char *out;
	unsigned long size;
	unsigned long base;
	unsigned int subsystems;
	int minidump;
};

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: qcom-smem-image [options] -o FILE\n"
		"Write an SMEM image as boot firmware leaves it, with the minidump\n"
		"table of contents (item %d).\n\n"
		"  -o, --output FILE      where to write it\n"
		"  -s, --size BYTES       size of SMEM (default %#x)\n"
		"  -b, --base ADDR        physical address SMEM will be at (recorded)\n"
		"  -n, --subsystems N     subsystem slots in the table (default %d)\n"
		"      --no-minidump      leave item %d out\n"
		"  -h, --help             this text\n",
		QCOM_MINIDUMP_SMEM_ITEM, DEFAULT_SIZE, DEFAULT_SUBSYSTEMS,
		QCOM_MINIDUMP_SMEM_ITEM);
}

static int parse_ulong(const char *s, unsigned long *val)
{
	char *end;

	errno = 0;
	*val = strtoul(s, &end, 0);
	return errno || end == s || *end ? -EINVAL : 0;
}

/* Append an uncached item to the partition; returns a pointer to its data. */
static void *add_item(unsigned char *part, uint32_t part_size, uint16_t item, uint32_t len)
{
	struct smem_partition_header *ph = (void *)part;
	uint32_t free = le32toh(ph->offset_free_uncached);
	uint32_t padded = (len + 7) & ~7u;
	struct smem_private_entry *e = (void *)(part + free);

	if (free + sizeof(*e) + padded > part_size)
		return NULL;
	e->canary = htole16(SMEM_PRIVATE_CANARY);
	e->item = htole16(item);
	e->size = htole32(padded);
	e->padding_data = htole16(padded - len);
	e->padding_hdr = 0;
	ph->offset_free_uncached = htole32(free + sizeof(*e) + padded);
	return e + 1;
}

static int build(const struct options *o, unsigned char *img)
{
	struct smem_header *hdr = (void *)img;
	unsigned char *part = img + PART_OFFSET;
	uint32_t part_size = o->size - PART_OFFSET - SMEM_PTABLE_SIZE;
	struct smem_partition_header *ph = (void *)part;
	struct smem_ptable *pt = (void *)(img + o->size - SMEM_PTABLE_SIZE);
	struct smem_ptable_entry *pe = (void *)(pt + 1);
	struct smem_info *info = (void *)(pe + 1);

	hdr->version[SMEM_SBL_VERSION_INDEX] = htole32(SMEM_GLOBAL_PART_VERSION << 16);
	hdr->initialized = htole32(1);
	hdr->reserved = 0;

	memcpy(pt->magic, SMEM_PTABLE_MAGIC, 4);
	pt->version = htole32(1);
	pt->num_entries = htole32(1);
	pe->offset = htole32(PART_OFFSET);
	pe->size = htole32(part_size);
	pe->host0 = htole16(SMEM_GLOBAL_HOST);
	pe->host1 = htole16(SMEM_GLOBAL_HOST);
	pe->cacheline = htole32(64);
	memcpy(info->magic, SMEM_INFO_MAGIC, 4);
	info->size = htole32(o->size);
	info->base_addr = htole32(o->base);
	info->num_items = htole16(ITEM_COUNT);

	memcpy(ph->magic, SMEM_PART_MAGIC, 4);
	ph->host0 = htole16(SMEM_GLOBAL_HOST);
	ph->host1 = htole16(SMEM_GLOBAL_HOST);
	ph->size = htole32(part_size);
	ph->offset_free_uncached = htole32(sizeof(*ph));
	ph->offset_free_cached = htole32(part_size);	/* no cached items */

	if (o->minidump) {
		size_t len = sizeof(struct qcom_minidump_toc) +
			     o->subsystems * sizeof(struct qcom_minidump_toc_subsystem);
		struct qcom_minidump_toc *toc = add_item(part, part_size,
							 QCOM_MINIDUMP_SMEM_ITEM, len);

		if (!toc)
			return -ENOSPC;
		toc->status = htole32(1);
		toc->md_revision = htole32(MD_REVISION);
		toc->enabled = htole32(QCOM_MINIDUMP_SS_ENABLED);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "size", required_argument, NULL, 's' },
		{ "base", required_argument, NULL, 'b' },
		{ "subsystems", required_argument, NULL, 'n' },
		{ "no-minidump", no_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct options o = {
		.size = DEFAULT_SIZE,
		.subsystems = DEFAULT_SUBSYSTEMS,
		.minidump = 1,
	};
	unsigned long n;
	unsigned char *img;
	FILE *f;
	int c, ret;

	while ((c = getopt_long(argc, argv, "o:s:b:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out = optarg;
			break;
		case 's':
			if (parse_ulong(optarg, &o.size) || o.size < 0x20000 ||
			    o.size > 0x10000000) {
				fprintf(stderr,
					"qcom-smem-image: bad size '%s' (128 KiB to 256 MiB)\n",
					optarg);
				return 2;
			}
			break;
		case 'b':
			if (parse_ulong(optarg, &o.base) || o.base > 0xffffffffUL) {
				fprintf(stderr, "qcom-smem-image: bad base '%s' (below 4 GiB)\n",
					optarg);
				return 2;
			}
			break;
		case 'n':
			if (parse_ulong(optarg, &n) || n < 1 || n > 64) {
				fprintf(stderr,
					"qcom-smem-image: bad subsystem count '%s' (1 to 64)\n",
					optarg);
				return 2;
			}
			o.subsystems = n;
			break;
		case 'M':
			o.minidump = 0;
			break;
		case 'h':
			print_usage(stdout);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (!o.out || optind != argc) {
		print_usage(stderr);
		return 2;
	}

	img = calloc(1, o.size);
	if (!img) {
		fprintf(stderr, "qcom-smem-image: out of memory\n");
		return 1;
	}
	ret = build(&o, img);
	if (ret) {
		fprintf(stderr, "qcom-smem-image: %s\n", strerror(-ret));
		free(img);
		return 1;
	}

	f = fopen(o.out, "wb");
	if (!f || fwrite(img, 1, o.size, f) != o.size || fclose(f)) {
		fprintf(stderr, "qcom-smem-image: %s: %s\n", o.out, strerror(errno));
		free(img);
		return 1;
	}
	free(img);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The layout of Qualcomm SMEM with a global partition (SBL version 12), as
 * drivers/soc/qcom/smem.c reads it: what boot firmware leaves in memory.
 * The tools write it (qcom-smem-image) and look for it in RAM dumps
 * (minidump). The minidump table of contents inside it is defined in
 * include/soc/qcom/qcom_minidump_smem.h.
 */

#ifndef SMEM_LAYOUT_H
#define SMEM_LAYOUT_H

#include <stdint.h>

#define SMEM_SBL_VERSION_INDEX	7
#define SMEM_GLOBAL_PART_VERSION	12
#define SMEM_ITEM_COUNT		512
#define SMEM_GLOBAL_HOST	0xfffe
#define SMEM_PRIVATE_CANARY	0xa5a5
#define SMEM_PTABLE_MAGIC	"$TOC"
#define SMEM_PART_MAGIC		"$PRT"
#define SMEM_INFO_MAGIC		"SIII"
#define SMEM_PTABLE_SIZE	4096	/* the partition table is in the last 4 KiB */

/* All fields little-endian. */
struct smem_header {
	uint32_t proc_comm[4][4];
	uint32_t version[32];
	uint32_t initialized;
	uint32_t free_offset;
	uint32_t available;
	uint32_t reserved;
	uint32_t toc[SMEM_ITEM_COUNT][4];
};

struct smem_ptable_entry {
	uint32_t offset;
	uint32_t size;
	uint32_t flags;
	uint16_t host0;
	uint16_t host1;
	uint32_t cacheline;
	uint32_t reserved[7];
};

struct smem_ptable {
	char magic[4];
	uint32_t version;
	uint32_t num_entries;
	uint32_t reserved[5];
	/* struct smem_ptable_entry entry[num_entries], then struct smem_info */
};

struct smem_info {
	char magic[4];
	uint32_t size;
	uint32_t base_addr;
	uint32_t reserved;
	uint16_t num_items;
};

struct smem_partition_header {
	char magic[4];
	uint16_t host0;
	uint16_t host1;
	uint32_t size;
	uint32_t offset_free_uncached;
	uint32_t offset_free_cached;
	uint32_t reserved[3];
};

/* Uncached items follow the partition header, each behind this header. */
struct smem_private_entry {
	uint16_t canary;
	uint16_t item;
	uint32_t size;		/* of the data, padding included */
	uint16_t padding_data;
	uint16_t padding_hdr;
	uint32_t reserved;
};

_Static_assert(sizeof(struct smem_header) == 8400, "smem_header layout");
_Static_assert(sizeof(struct smem_ptable_entry) == 48, "smem_ptable_entry layout");
_Static_assert(sizeof(struct smem_ptable) == 32, "smem_ptable layout");
_Static_assert(sizeof(struct smem_partition_header) == 32, "smem_partition_header layout");
_Static_assert(sizeof(struct smem_private_entry) == 16, "smem_private_entry layout");

#endif /* SMEM_LAYOUT_H */

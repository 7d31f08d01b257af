/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Qualcomm minidump: the table of contents that boot firmware keeps in SMEM.
 *
 * The one definition for every reader and writer of the table: the APSS
 * backend that writes Linux's entries, the remoteproc driver that reads a
 * remote subsystem's, and the host tools that read it from a RAM dump. It
 * needs nothing but <linux/types.h>, so that it builds in user space too.
 *
 * All fields are little-endian. The structs are naturally aligned, not
 * packed; their holes are spelt out so that the layout does not depend on
 * the compiler's alignment of 64-bit fields.
 */

#ifndef __QCOM_MINIDUMP_SMEM_H__
#define __QCOM_MINIDUMP_SMEM_H__

#include <linux/types.h>

/* SMEM item that holds the global table of contents (SBL_MINIDUMP_SMEM_ID). */
#define QCOM_MINIDUMP_SMEM_ITEM		602

/* Subsystem slots in the global table of contents. */
#define QCOM_MINIDUMP_SS_APSS		0
#define QCOM_MINIDUMP_SS_ADSP		5
#define QCOM_MINIDUMP_SS_CDSP		7

/* Size of a region's name field; firmware keeps the last 4 bytes for itself. */
#define QCOM_MINIDUMP_TOC_NAME_SIZE	16
#define QCOM_MINIDUMP_TOC_NAME_MAX	(QCOM_MINIDUMP_TOC_NAME_SIZE - 4 - 1)

/*
 * Magic words. Each reads as four ASCII letters in a hex dump of the
 * le32_to_cpu() value; compare them after that conversion.
 */
#define QCOM_MINIDUMP_REGION_VALID	0x56414c49	/* "VALI": dump it */
#define QCOM_MINIDUMP_REGION_INVALID	0x494e5641	/* "INVA": skip it */
#define QCOM_MINIDUMP_REGION_INIT	0x494e4954	/* "INIT" */
#define QCOM_MINIDUMP_SS_ENABLED	0x454e424c	/* "ENBL" */
#define QCOM_MINIDUMP_SS_DISABLED	0x4453424c	/* "DSBL" */
#define QCOM_MINIDUMP_SS_ENCR_DONE	0x444f4e45	/* "DONE" */
#define QCOM_MINIDUMP_SS_ENCR_START	0x53545254	/* "STRT" */
#define QCOM_MINIDUMP_SS_ENCR_REQUIRED	0x00594553	/* "\0YES" */
#define QCOM_MINIDUMP_SS_ENCR_NONE	0x00004e52	/* "\0\0NR" */

/* &qcom_minidump_toc_subsystem.status of a table firmware may dump. */
#define QCOM_MINIDUMP_SS_STATUS_READY	1

/**
 * struct qcom_minidump_toc_region - one region in a subsystem's table
 * @name:	NUL-terminated name; the dumped file is md_<name>.BIN
 * @seq_num:	tells apart regions of the same name
 * @valid:	%QCOM_MINIDUMP_REGION_VALID if firmware is to dump it
 * @address:	physical address
 * @size:	size in bytes
 */
struct qcom_minidump_toc_region {
	char	name[QCOM_MINIDUMP_TOC_NAME_SIZE];
	__le32	seq_num;
	__le32	valid;
	__le64	address;
	__le64	size;
};

/**
 * struct qcom_minidump_toc_subsystem - a subsystem's slot in the global table
 * @status:		%QCOM_MINIDUMP_SS_STATUS_READY once the slot is filled in
 * @enabled:		%QCOM_MINIDUMP_SS_ENABLED if firmware is to dump it
 * @encryption_status:	%QCOM_MINIDUMP_SS_ENCR_DONE when the regions may be read
 * @encryption_required: %QCOM_MINIDUMP_SS_ENCR_REQUIRED or %QCOM_MINIDUMP_SS_ENCR_NONE
 * @region_count:	entries of @regions_baseptr that firmware reads
 * @reserved:		the hole before @regions_baseptr
 * @regions_baseptr:	physical address of the array of
 *			&struct qcom_minidump_toc_region
 */
struct qcom_minidump_toc_subsystem {
	__le32	status;
	__le32	enabled;
	__le32	encryption_status;
	__le32	encryption_required;
	__le32	region_count;
	__le32	reserved;
	__le64	regions_baseptr;
};

/**
 * struct qcom_minidump_toc - the global table of contents, SMEM item 602
 * @status:	non-zero once firmware has set the table up
 * @md_revision: revision of the table's layout
 * @enabled:	%QCOM_MINIDUMP_SS_ENABLED if minidump is on
 * @reserved:	the hole before @subsystems
 * @subsystems:	one slot per subsystem. Firmware used to allocate 10; take
 *		the number from the SMEM item's size, with
 *		qcom_minidump_toc_nr_subsystems().
 */
struct qcom_minidump_toc {
	__le32	status;
	__le32	md_revision;
	__le32	enabled;
	__le32	reserved;
	struct qcom_minidump_toc_subsystem subsystems[];
};

/**
 * qcom_minidump_toc_nr_subsystems() - subsystem slots in an item of this size
 * @item_size: size of SMEM item %QCOM_MINIDUMP_SMEM_ITEM in bytes
 *
 * Return: the number of whole slots; 0 if the item is too small even for
 * the table's header.
 */
static inline unsigned int qcom_minidump_toc_nr_subsystems(size_t item_size)
{
	if (item_size < sizeof(struct qcom_minidump_toc))
		return 0;
	return (item_size - sizeof(struct qcom_minidump_toc)) /
	       sizeof(struct qcom_minidump_toc_subsystem);
}

#endif /* __QCOM_MINIDUMP_SMEM_H__ */

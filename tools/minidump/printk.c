// SPDX-License-Identifier: GPL-2.0-only
/*
 * minidump: the kernel log from the printk ring buffer in a dump, with no
 * vmlinux. Every structure offset comes from the dump's VMCOREINFO note
 * (kernel/printk/printk.c, log_buf_vmcoreinfo_setup()); every value read
 * from the dump is checked before it is used.
 *
 * The ring (kernel/printk/printk_ringbuffer.h): a descriptor ring of
 * 2^count_bits descriptors and as many printk_info, and a text data ring of
 * 2^size_bits bytes. A descriptor's state_var holds its ID in the low bits
 * and its state in the top two. Records are the IDs from tail_id to head_id.
 * A descriptor's text block [begin, next) is in logical positions (lpos):
 * the index is lpos modulo the ring size, the wrap count lpos >> size_bits.
 * A block starts with the descriptor's ID (an unsigned long), then the
 * text. A block that would cross the end of the ring is stored whole at
 * index 0 instead (begin one wrap behind next). An odd lpos means no data
 * block: EMPTY_LINE_LPOS for an empty line, FAILED_LPOS for lost text.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "minidump.h"
#include "printk.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_STRUCT	4096u	/* no ring structure is near this size */
#define MAX_COUNT_BITS	30u
#define MAX_SIZE_BITS	31u	/* LOG_BUF_LEN_MAX is 2 GiB */
#define FAILED_LPOS	0x1
#define EMPTY_LINE_LPOS	0x3

enum { DESC_RESERVED, DESC_COMMITTED, DESC_FINALIZED, DESC_REUSABLE };

/* The layout, as VMCOREINFO gives it. */
struct prb_layout {
	uint64_t prb;			/* SYMBOL(prb): the pointer variable */
	uint64_t rb_size, rb_desc_ring, rb_text_ring;
	uint64_t dr_size, dr_count_bits, dr_descs, dr_infos, dr_head_id, dr_tail_id;
	uint64_t desc_size, desc_sv, desc_lpos;
	uint64_t lpos_size, lpos_begin, lpos_next;
	uint64_t info_size, info_seq, info_ts, info_len, info_dev;
	uint64_t dev_size, dev_subsys, dev_device, subsys_len, device_len;
	uint64_t data_size, data_size_bits, data_data, data_head, data_tail;
	uint64_t along_size, along_counter;
};

static const struct {
	const char *key;
	size_t field;
} layout_keys[] = {
#define K(key, field) { key, offsetof(struct prb_layout, field) }
	K("SYMBOL(prb)", prb),
	K("SIZE(printk_ringbuffer)", rb_size),
	K("OFFSET(printk_ringbuffer.desc_ring)", rb_desc_ring),
	K("OFFSET(printk_ringbuffer.text_data_ring)", rb_text_ring),
	K("SIZE(prb_desc_ring)", dr_size),
	K("OFFSET(prb_desc_ring.count_bits)", dr_count_bits),
	K("OFFSET(prb_desc_ring.descs)", dr_descs),
	K("OFFSET(prb_desc_ring.infos)", dr_infos),
	K("OFFSET(prb_desc_ring.head_id)", dr_head_id),
	K("OFFSET(prb_desc_ring.tail_id)", dr_tail_id),
	K("SIZE(prb_desc)", desc_size),
	K("OFFSET(prb_desc.state_var)", desc_sv),
	K("OFFSET(prb_desc.text_blk_lpos)", desc_lpos),
	K("SIZE(prb_data_blk_lpos)", lpos_size),
	K("OFFSET(prb_data_blk_lpos.begin)", lpos_begin),
	K("OFFSET(prb_data_blk_lpos.next)", lpos_next),
	K("SIZE(printk_info)", info_size),
	K("OFFSET(printk_info.seq)", info_seq),
	K("OFFSET(printk_info.ts_nsec)", info_ts),
	K("OFFSET(printk_info.text_len)", info_len),
	K("OFFSET(printk_info.dev_info)", info_dev),
	K("SIZE(dev_printk_info)", dev_size),
	K("OFFSET(dev_printk_info.subsystem)", dev_subsys),
	K("OFFSET(dev_printk_info.device)", dev_device),
	K("LENGTH(printk_info_subsystem)", subsys_len),
	K("LENGTH(printk_info_device)", device_len),
	K("SIZE(prb_data_ring)", data_size),
	K("OFFSET(prb_data_ring.size_bits)", data_size_bits),
	K("OFFSET(prb_data_ring.data)", data_data),
	K("OFFSET(prb_data_ring.head_lpos)", data_head),
	K("OFFSET(prb_data_ring.tail_lpos)", data_tail),
	K("SIZE(atomic_long_t)", along_size),
	K("OFFSET(atomic_long_t.counter)", along_counter),
#undef K
};

/* The ring, read and checked. */
struct prb {
	const struct prb_source *src;
	struct prb_layout l;
	unsigned int word;		/* sizeof(long) in the dump: 4 or 8 */
	uint64_t word_mask, id_mask;
	unsigned int state_shift;
	uint64_t descs, infos, count;
	uint64_t head_id, tail_id;
	uint64_t data, data_bits, head_lpos, tail_lpos;
	bool window;			/* head_lpos and tail_lpos are consistent */
	unsigned char *desc, *info;	/* one descriptor, one printk_info */
	char *text;			/* one record's text, up to 64 KiB */
};

/* The value of KEY in VMCOREINFO: hex for SYMBOL(), decimal otherwise. */
static bool vmcoreinfo_get(const struct prb_source *src, const char *key, uint64_t *val)
{
	const char *p = src->vmcoreinfo, *end = p + src->vmcoreinfo_len;
	size_t klen = strlen(key);
	int base = strncmp(key, "SYMBOL(", 7) ? 10 : 16;

	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *v = p + klen + 1;
		uint64_t n = 0;

		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > klen + 1 && !memcmp(p, key, klen) && p[klen] == '=') {
			for (; v < eol; v++) {
				unsigned int d;

				if (*v >= '0' && *v <= '9')
					d = *v - '0';
				else if (base == 16 && *v >= 'a' && *v <= 'f')
					d = *v - 'a' + 10;
				else if (base == 16 && *v >= 'A' && *v <= 'F')
					d = *v - 'A' + 10;
				else
					return false;
				if (__builtin_mul_overflow(n, (uint64_t)base, &n) ||
				    __builtin_add_overflow(n, d, &n))
					return false;
			}
			*val = n;
			return true;
		}
		p = eol + 1;
	}
	return false;
}

static uint64_t get_le(const unsigned char *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

/* @off + @len within @size, without overflow. */
static bool fits(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static int unusable(struct prb_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int unusable(struct prb_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->why, sizeof(res->why), fmt, ap);
	va_end(ap);
	return -EXIT_INPUT;
}

/* Every offset VMCOREINFO gave, inside the structure it belongs to. */
static const char *layout_check(const struct prb_layout *l)
{
	uint64_t w = l->along_size;

	if (w != 4 && w != 8)
		return "SIZE(atomic_long_t) is neither 4 nor 8";
	if (!fits(l->along_counter, w, w))
		return "OFFSET(atomic_long_t.counter) is outside atomic_long_t";
	if (l->rb_size > MAX_STRUCT || l->desc_size > MAX_STRUCT || l->info_size > MAX_STRUCT ||
	    !l->desc_size || !l->info_size)
		return "a structure size is implausible";
	if (!fits(l->rb_desc_ring, l->dr_size, l->rb_size) ||
	    !fits(l->rb_text_ring, l->data_size, l->rb_size))
		return "printk_ringbuffer's members are outside it";
	if (!fits(l->dr_count_bits, 4, l->dr_size) || !fits(l->dr_descs, w, l->dr_size) ||
	    !fits(l->dr_infos, w, l->dr_size) || !fits(l->dr_head_id, w, l->dr_size) ||
	    !fits(l->dr_tail_id, w, l->dr_size))
		return "prb_desc_ring's members are outside it";
	if (!fits(l->desc_sv, w, l->desc_size) || !fits(l->desc_lpos, l->lpos_size, l->desc_size) ||
	    !fits(l->lpos_begin, w, l->lpos_size) || !fits(l->lpos_next, w, l->lpos_size))
		return "prb_desc's members are outside it";
	if (!fits(l->info_seq, 8, l->info_size) || !fits(l->info_ts, 8, l->info_size) ||
	    !fits(l->info_len, 2, l->info_size) || !fits(l->info_dev, l->dev_size, l->info_size) ||
	    !fits(l->dev_subsys, l->subsys_len, l->dev_size) ||
	    !fits(l->dev_device, l->device_len, l->dev_size))
		return "printk_info's members are outside it";
	if (!fits(l->data_size_bits, 4, l->data_size) || !fits(l->data_data, w, l->data_size) ||
	    !fits(l->data_head, w, l->data_size) || !fits(l->data_tail, w, l->data_size))
		return "prb_data_ring's members are outside it";
	return NULL;
}

static bool mem(const struct prb *p, uint64_t addr, void *buf, uint64_t len)
{
	uint64_t end;

	if (add_overflows(addr, len, &end) || len > SIZE_MAX)
		return false;
	return p->src->read(p->src->ctx, addr, buf, len);
}

/* An atomic_long_t in @base at @off. */
static uint64_t atomic_at(const struct prb *p, const unsigned char *base, uint64_t off)
{
	return get_le(base + off + p->l.along_counter, p->word);
}

static int prb_setup(struct prb *p, struct prb_result *res)
{
	struct prb_layout *l = &p->l;
	unsigned char *rb, ptr[8];
	const unsigned char *dr, *tr;
	const char *bad;
	uint64_t rb_addr, bytes;
	size_t i;

	if (!p->src->vmcoreinfo)
		return unusable(res, "the dump has no VMCOREINFO note");
	for (i = 0; i < ARRAY_SIZE(layout_keys); i++)
		if (!vmcoreinfo_get(p->src, layout_keys[i].key,
				    (uint64_t *)((char *)l + layout_keys[i].field)))
			return unusable(res, "VMCOREINFO has no %s", layout_keys[i].key);
	bad = layout_check(l);
	if (bad)
		return unusable(res, "VMCOREINFO: %s", bad);

	p->word = l->along_size;
	p->word_mask = p->word == 8 ? UINT64_MAX : UINT32_MAX;
	p->state_shift = p->word * 8 - 2;
	p->id_mask = (1ULL << p->state_shift) - 1;

	if (!mem(p, l->prb, ptr, p->word))
		return unusable(res, "prb (at %#" PRIx64 ") is not in the dump", l->prb);
	rb_addr = get_le(ptr, p->word);
	rb = malloc(l->rb_size + 1);
	if (!rb)
		return -EXIT_SYSTEM;
	if (!mem(p, rb_addr, rb, l->rb_size)) {
		free(rb);
		return unusable(res, "the printk_ringbuffer prb points to (%#" PRIx64
				") is not in the dump", rb_addr);
	}
	dr = rb + l->rb_desc_ring;
	tr = rb + l->rb_text_ring;
	p->count = get_le(dr + l->dr_count_bits, 4);
	p->descs = get_le(dr + l->dr_descs, p->word);
	p->infos = get_le(dr + l->dr_infos, p->word);
	p->data_bits = get_le(tr + l->data_size_bits, 4);
	p->data = get_le(tr + l->data_data, p->word);
	p->head_lpos = atomic_at(p, tr, l->data_head);
	p->tail_lpos = atomic_at(p, tr, l->data_tail);
	p->head_id = atomic_at(p, dr, l->dr_head_id) & p->id_mask;
	p->tail_id = atomic_at(p, dr, l->dr_tail_id) & p->id_mask;
	free(rb);

	if (p->count > MAX_COUNT_BITS)
		return unusable(res, "descriptor ring of 2^%" PRIu64 " descriptors", p->count);
	if (p->data_bits < 3 || p->data_bits > MAX_SIZE_BITS || p->data_bits >= p->word * 8)
		return unusable(res, "text data ring of 2^%" PRIu64 " bytes", p->data_bits);
	p->count = 1ULL << p->count;
	bytes = p->count * l->desc_size;
	if (!mem(p, p->descs, NULL, bytes))
		return unusable(res, "the descriptor array (%#" PRIx64 ", %" PRIu64
				" bytes) is not all in the dump", p->descs, bytes);
	bytes = p->count * l->info_size;
	if (!mem(p, p->infos, NULL, bytes))
		return unusable(res, "the printk_info array (%#" PRIx64 ", %" PRIu64
				" bytes) is not all in the dump", p->infos, bytes);
	p->window = ((p->head_lpos - p->tail_lpos) & p->word_mask) <= (1ULL << p->data_bits);
	return 0;
}

/* Logical positions are unsigned longs in the dump: wrap at its width. */
static uint64_t lpos_sub(const struct prb *p, uint64_t a, uint64_t b)
{
	return (a - b) & p->word_mask;
}

/* [begin, next) inside the data ring's [tail_lpos, head_lpos]. */
static bool in_window(const struct prb *p, uint64_t begin, uint64_t next)
{
	uint64_t span = lpos_sub(p, p->head_lpos, p->tail_lpos);

	return lpos_sub(p, begin, p->tail_lpos) <= span && lpos_sub(p, next, p->tail_lpos) <= span;
}

/*
 * Where a committed record's text is, or why it cannot be read. As the
 * kernel's get_data(): a regular block, or a wrapping one at index 0.
 */
static const char *locate_text(const struct prb *p, uint64_t id, uint64_t begin, uint64_t next,
			       unsigned int text_len, uint64_t *addr)
{
	uint64_t size = 1ULL << p->data_bits, mask = size - 1;
	uint64_t blk, avail;
	unsigned char idw[8];

	if ((begin & 1) || (next & 1)) {
		if (begin == EMPTY_LINE_LPOS && next == EMPTY_LINE_LPOS)
			return text_len ? "empty-line record with a text length" : NULL;
		if (begin == FAILED_LPOS && next == FAILED_LPOS)
			return "text lost: the kernel had no room for it";
		return "inconsistent lpos (data-less and not)";
	}
	if ((begin | next) & (p->word - 1))
		return "inconsistent lpos (not aligned)";
	if (begin >> p->data_bits == next >> p->data_bits && begin < next) {
		blk = begin & mask;
		avail = next - begin;
	} else if (((begin + size) & p->word_mask) >> p->data_bits == next >> p->data_bits) {
		blk = 0;
		avail = next & mask;
	} else {
		return "inconsistent lpos (begin and next not in one block)";
	}
	if (avail < p->word || avail > size - p->word)
		return "inconsistent lpos (block size)";
	if (p->window && !in_window(p, begin, next))
		return "data block overwritten (outside the data ring's tail and head)";
	if (!mem(p, p->data + blk, idw, p->word))
		return "data block not in the dump";
	if ((get_le(idw, p->word) & p->id_mask) != id)
		return "data block overwritten (it holds another record's ID)";
	if (text_len > avail - p->word)
		return "text length larger than its data block";
	*addr = p->data + blk + p->word;
	return NULL;
}

/* Bytes of the log as text: control characters but tab and newline escaped. */
static void put_text(const char *s, size_t len, FILE *out)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			putc(c, out);
	}
}

static void put_dict(const char *key, const unsigned char *s, uint64_t max, FILE *out)
{
	size_t len = strnlen((const char *)s, max);

	if (!len)
		return;
	fprintf(out, " %s=", key);
	put_text((const char *)s, len, out);
	putc('\n', out);
}

static const char * const state_name[] = { "reserved", "committed", "finalized", "reusable" };

/**
 * prb_decode() - print the kernel log from the printk ring buffer in a dump
 * @src: the dump's memory and its VMCOREINFO
 * @out: where the records go, one "[seconds.micros] text" line each
 * @flags: PRB_DICT to follow each record with its dictionary
 * @res: counts, and why the ring could not be read
 *
 * Records are printed in sequence order, from the tail descriptor to the
 * head. Committed and finalized records are printed; reusable descriptors
 * are skipped as the kernel skips them; every other record gets one
 * "record N: ..." message and is skipped. The walk visits each descriptor
 * at most once.
 *
 * Return: 0 when every record was printed; -EXIT_INCOMPLETE when some were
 * skipped; -EXIT_INPUT, with nothing printed, when there is no ring to read
 * (@res->why says why); -EXIT_SYSTEM when out of memory.
 */
int prb_decode(const struct prb_source *src, FILE *out, unsigned int flags,
	       struct prb_result *res)
{
	struct prb p = { .src = src };
	uint64_t id, head, tail, n, i, next_seq = 0, last_seq = 0;
	bool have_next = false, have_last = false;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = prb_setup(&p, res);
	if (ret)
		return ret;
	head = p.head_id;
	tail = p.tail_id;
	p.desc = malloc(p.l.desc_size);
	p.info = malloc(p.l.info_size);
	p.text = malloc(UINT16_MAX + 1);
	if (!p.desc || !p.info || !p.text) {
		ret = -EXIT_SYSTEM;
		goto out;
	}

	n = ((head - tail) & p.id_mask) + 1;
	if (n > p.count) {
		warnx("ring: tail ID %#" PRIx64 " and head ID %#" PRIx64 " span more than its %"
		      PRIu64 " descriptors; reading the newest %" PRIu64, tail, head, p.count,
		      p.count);
		res->broken++;
		n = p.count;
		tail = (head - n + 1) & p.id_mask;
	}
	if (!p.window) {
		warnx("ring: data head %#" PRIx64 " and tail %#" PRIx64
		      " are inconsistent; records not checked against them", p.head_lpos,
		      p.tail_lpos);
		res->broken++;
	}

	for (i = 0, id = tail; i < n; i++, id = (id + 1) & p.id_mask) {
		uint64_t idx = id & (p.count - 1), sv, seq, ts, msg_seq, addr = 0;
		unsigned int state, len;
		const char *why = NULL;

		if (!mem(&p, p.descs + idx * p.l.desc_size, p.desc, p.l.desc_size) ||
		    !mem(&p, p.infos + idx * p.l.info_size, p.info, p.l.info_size)) {
			ret = -EXIT_INPUT;	/* checked in prb_setup(): cannot happen */
			goto out;
		}
		sv = atomic_at(&p, p.desc, p.l.desc_sv);
		state = (sv >> p.state_shift) & 3;
		seq = get_le(p.info + p.l.info_seq, 8);
		ts = get_le(p.info + p.l.info_ts, 8);
		len = get_le(p.info + p.l.info_len, 2);
		msg_seq = have_next ? next_seq : seq;

		if ((sv & p.id_mask) != id) {
			why = "descriptor not yet taken by its writer";
		} else if (state == DESC_REUSABLE) {
			res->reusable++;
		} else if ((seq & (p.count - 1)) != idx) {
			why = "sequence number does not belong to its descriptor";
		} else if (state == DESC_RESERVED) {
			msg_seq = seq;
			why = "being written when the dump was taken (reserved)";
		} else {
			const unsigned char *lp = p.desc + p.l.desc_lpos;

			msg_seq = seq;
			if (have_last && seq <= last_seq)
				why = "sequence number out of order";
			else
				why = locate_text(&p, id, get_le(lp + p.l.lpos_begin, p.word),
						  get_le(lp + p.l.lpos_next, p.word), len, &addr);
			if (!why && len && !mem(&p, addr, p.text, len))
				why = "text not in the dump";
		}

		if (why) {
			const char *st = (sv & p.id_mask) != id ? "miss" : state_name[state];

			warnx("record %" PRIu64 ": %s (descriptor %#" PRIx64 ", %s); skipped",
			      msg_seq, why, id, st);
			res->broken++;
		} else if (state == DESC_COMMITTED || state == DESC_FINALIZED) {
			const unsigned char *dev = p.info + p.l.info_dev;

			fprintf(out, "[%5" PRIu64 ".%06" PRIu64 "] ", ts / 1000000000,
				ts % 1000000000 / 1000);
			put_text(p.text, len, out);
			putc('\n', out);
			if (flags & PRB_DICT) {
				put_dict("SUBSYSTEM", dev + p.l.dev_subsys, p.l.subsys_len, out);
				put_dict("DEVICE", dev + p.l.dev_device, p.l.device_len, out);
			}
			res->printed++;
			last_seq = seq;
			have_last = true;
		}
		if (state != DESC_REUSABLE && (sv & p.id_mask) == id &&
		    (seq & (p.count - 1)) == idx) {
			next_seq = seq + 1;
			have_next = true;
		} else if (have_next) {
			next_seq++;
		}
	}
	ret = res->broken ? -EXIT_INCOMPLETE : 0;
out:
	free(p.desc);
	free(p.info);
	free(p.text);
	return ret;
}

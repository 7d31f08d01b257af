#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Generate dumps with a printk ring buffer, for "minidump dmesg".

Each case is an ELF core laid out as the kernel's header describes one
(tests/gen.py writes the header): a VMCOREINFO note with the keys 6.12's
log_buf_vmcoreinfo_setup() writes, for arm64 (64-bit little-endian), and
PT_LOADs at KASLR-shifted virtual addresses for the prb pointer, the ring
structure, its descriptors, its infos, its text, and a KLOGBUF snapshot.

The ring is filled by a model of kernel/printk/printk_ringbuffer.c's writer
(descriptor and data tails pushed, wrapping data blocks stored at index 0),
then some cases spoil it as a crash mid-write would. For each case NAME:

  NAME.elf       the core
  NAME.out       what dmesg must print
  NAME.err       extended regular expressions, one a line, stderr must match
  NAME.rc        the exit status

usage: gen_printk.py OUTDIR
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402  (the kernel's ELF header layout and qdl's assembly)

U64 = (1 << 64) - 1
SHIFT = 62
ID_MASK = (1 << SHIFT) - 1
RESERVED, COMMITTED, FINALIZED, REUSABLE = 0, 1, 2, 3
FAILED_LPOS, EMPTY_LINE_LPOS = 1, 3

PHYS = 0x80000000
VIRT = 0xffffa1b2c3000000		# a KASLR-shifted kernel address
OFF = {"KPRB": 0x10000, "KPRB_RB": 0x20000, "KPRB_DESCS": 0x30000, "KPRB_INFOS": 0x100000,
       "KPRB_TEXT": 0x200000, "KLOGBUF": 0x400000, "KVMCOREINFO": 0x500000,
       "KELF_HEADER": 0x600000}

# struct sizes and offsets of arm64 6.12, in log_buf_vmcoreinfo_setup() order
LAYOUT = [
    ("SIZE(printk_ringbuffer)", 88),
    ("OFFSET(printk_ringbuffer.desc_ring)", 0),
    ("OFFSET(printk_ringbuffer.text_data_ring)", 48),
    ("OFFSET(printk_ringbuffer.fail)", 80),
    ("SIZE(prb_desc_ring)", 48),
    ("OFFSET(prb_desc_ring.count_bits)", 0),
    ("OFFSET(prb_desc_ring.descs)", 8),
    ("OFFSET(prb_desc_ring.infos)", 16),
    ("OFFSET(prb_desc_ring.head_id)", 24),
    ("OFFSET(prb_desc_ring.tail_id)", 32),
    ("SIZE(prb_desc)", 24),
    ("OFFSET(prb_desc.state_var)", 0),
    ("OFFSET(prb_desc.text_blk_lpos)", 8),
    ("SIZE(prb_data_blk_lpos)", 16),
    ("OFFSET(prb_data_blk_lpos.begin)", 0),
    ("OFFSET(prb_data_blk_lpos.next)", 8),
    ("SIZE(printk_info)", 88),
    ("OFFSET(printk_info.seq)", 0),
    ("OFFSET(printk_info.ts_nsec)", 8),
    ("OFFSET(printk_info.text_len)", 16),
    ("OFFSET(printk_info.caller_id)", 20),
    ("OFFSET(printk_info.dev_info)", 24),
    ("SIZE(dev_printk_info)", 64),
    ("OFFSET(dev_printk_info.subsystem)", 0),
    ("LENGTH(printk_info_subsystem)", 16),
    ("OFFSET(dev_printk_info.device)", 16),
    ("LENGTH(printk_info_device)", 48),
    ("SIZE(prb_data_ring)", 32),
    ("OFFSET(prb_data_ring.size_bits)", 0),
    ("OFFSET(prb_data_ring.data)", 8),
    ("OFFSET(prb_data_ring.head_lpos)", 16),
    ("OFFSET(prb_data_ring.tail_lpos)", 24),
    ("SIZE(atomic_long_t)", 8),
    ("OFFSET(atomic_long_t.counter)", 0),
    ("SIZE(latched_seq)", 24),
    ("OFFSET(latched_seq.val)", 8),
]


def addr(name, virt=True):
    return (VIRT if virt else PHYS) + OFF[name]


class Ring:
    """A model of the kernel's writer; lpos values are unbounded ints."""

    def __init__(self, count_bits, size_bits):
        self.count_bits, self.size_bits = count_bits, size_bits
        self.count, self.size = 1 << count_bits, 1 << size_bits
        self.data = bytearray(self.size)
        desc0 = (-(self.count + 1)) & ID_MASK
        self.descs = [[0, 0, 0] for _ in range(self.count)]   # state_var, begin, next
        self.infos = [{"seq": 0, "ts": 0, "len": 0, "subsys": b"", "device": b""}
                      for _ in range(self.count)]
        self.descs[-1] = [REUSABLE << SHIFT | desc0, FAILED_LPOS, FAILED_LPOS]
        self.infos[0]["seq"] = (-self.count) & U64
        self.head_id = self.tail_id = desc0
        self.head_lpos = self.tail_lpos = -self.size
        self.blocks = []		# (id, begin, next) in the data ring, oldest first
        self.texts = {}			# id -> (text, ts, subsys, device) as written

    def idx(self, n):
        return n & (self.count - 1)

    def state(self, i):
        return self.descs[self.idx(i)][0] >> SHIFT

    def set_state(self, i, st):
        self.descs[self.idx(i)][0] = st << SHIFT | i

    def push_data_tail(self, lpos):
        while self.tail_lpos < lpos:
            bid, begin, nxt = self.blocks.pop(0)
            assert begin == self.tail_lpos
            d = self.descs[self.idx(bid)]
            if d[0] & ID_MASK == bid:
                d[0] = REUSABLE << SHIFT | bid
            self.tail_lpos = nxt

    def reserve(self, text, ts, subsys=b"", device=b""):
        nid = (self.head_id + 1) & ID_MASK
        if ((nid - self.count) & ID_MASK) == self.tail_id:
            # desc_push_tail(): the oldest descriptor goes, with its data.
            if self.state(self.tail_id) != REUSABLE:
                d = self.descs[self.idx(self.tail_id)]
                if not d[1] & 1:
                    self.push_data_tail(d[2])
                self.set_state(self.tail_id, REUSABLE)
            self.tail_id = (self.tail_id + 1) & ID_MASK
        if self.state(self.head_id) == COMMITTED and self.descs[self.idx(self.head_id)][0] & \
                ID_MASK == self.head_id:
            self.set_state(self.head_id, FINALIZED)
        self.head_id = nid
        i = self.idx(nid)
        seq = self.infos[i]["seq"]
        seq = i if seq == 0 and i != 0 else (seq + self.count) & U64
        self.infos[i] = {"seq": seq, "ts": ts, "len": len(text), "subsys": subsys,
                         "device": device}
        self.descs[i] = [RESERVED << SHIFT | nid, EMPTY_LINE_LPOS, EMPTY_LINE_LPOS]
        self.texts[nid] = (text, ts, subsys, device)
        if text:
            blk = (len(text) + 8 + 7) & ~7
            begin = self.head_lpos
            if (begin >> self.size_bits) == ((begin + blk) >> self.size_bits):
                nxt = begin + blk
            else:
                nxt = ((begin + blk) & ~(self.size - 1)) + blk
            self.push_data_tail(nxt - self.size)
            self.head_lpos = nxt
            self.blocks.append((nid, begin, nxt))
            bidx = begin & (self.size - 1)
            struct.pack_into("<Q", self.data, bidx, nid)
            at = bidx + 8
            if (begin >> self.size_bits) != (nxt >> self.size_bits):
                struct.pack_into("<Q", self.data, 0, nid)
                at = 8
            self.data[at:at + len(text)] = text
            self.descs[i][1:] = [begin, nxt]
        return nid

    def add(self, text, ts, subsys=b"", device=b"", state=FINALIZED):
        nid = self.reserve(text, ts, subsys, device)
        if state != RESERVED:
            self.set_state(nid, COMMITTED)
        if state == FINALIZED:
            self.set_state(nid, FINALIZED)
        return nid

    def seq(self, i):
        return self.infos[self.idx(i)]["seq"]

    def live(self):
        """IDs tail to head, as a reader walks them."""
        out, i = [], self.tail_id
        while True:
            out.append(i)
            if i == self.head_id:
                return out
            i = (i + 1) & ID_MASK

    def printable(self):
        return [i for i in self.live() if self.descs[self.idx(i)][0] & ID_MASK == i and
                self.state(i) in (COMMITTED, FINALIZED)]

    # -- memory images --
    def rb_bytes(self):
        return struct.pack("<IIQQQQQ", self.count_bits, 0, addr("KPRB_DESCS"),
                           addr("KPRB_INFOS"), self.head_id, self.tail_id, 0) + \
            struct.pack("<IIQQQ", self.size_bits, 0, addr("KPRB_TEXT"), self.head_lpos & U64,
                        self.tail_lpos & U64) + struct.pack("<Q", 0)

    def desc_bytes(self):
        return b"".join(struct.pack("<QQQ", sv, b & U64, n & U64) for sv, b, n in self.descs)

    def info_bytes(self):
        return b"".join(struct.pack("<QQHBBI16s48s", f["seq"], f["ts"], f["len"], 0, 6 << 5,
                                    0x1234, f["subsys"], f["device"]) for f in self.infos)


def fmt(ts, text):
    return b"[%5d.%06d] %s\n" % (ts // 1000000000, ts % 1000000000 // 1000, text)


def expected(ring, dict_lines=False, skip=()):
    out = b""
    for i in ring.printable():
        if i in skip:
            continue
        text, ts, subsys, device = ring.texts[i]
        out += fmt(ts, text)
        if dict_lines:
            if subsys:
                out += b" SUBSYSTEM=" + subsys + b"\n"
            if device:
                out += b" DEVICE=" + device + b"\n"
    return out


def vmcoreinfo(layout=None, drop=()):
    text = "OSRELEASE=6.12.117\nPAGESIZE=4096\n"
    text += "SYMBOL(prb)=%x\n" % addr("KPRB")
    text += "SYMBOL(printk_rb_static)=%x\n" % addr("KPRB_RB")
    text += "SYMBOL(clear_seq)=%x\n" % (addr("KPRB") + 0x100)
    for key, val in (layout or LAYOUT):
        if key not in drop:
            text += "%s=%d\n" % (key, val)
    desc = text.encode()
    desc += b"\0" * (-len(desc) % 4)
    note = struct.pack("<III", 11, len(desc), 0) + b"VMCOREINFO\0\0" + desc
    return note + bytes(-len(note) % 4096)


SNAPSHOT = b"[    0.000000] Booting Linux (snapshot)\n[    9.000000] snapshot end\n\0"


def regions_of(ring, note, without=(), snapshot=True):
    datas = {"KPRB": struct.pack("<Q", addr("KPRB_RB")), "KPRB_RB": ring.rb_bytes(),
             "KPRB_DESCS": ring.desc_bytes(), "KPRB_INFOS": ring.info_bytes(),
             "KPRB_TEXT": bytes(ring.data)}
    if snapshot:
        datas["KLOGBUF"] = SNAPSHOT + bytes(-len(SNAPSHOT) % 4)
    regions = []
    for name, data in datas.items():
        if name in without:
            continue
        data = data + bytes(-len(data) % 4)
        regions.append({"name": name, "data": data, "addr": addr(name, False),
                        "vaddr": addr(name)})
    note_r = {"name": "KVMCOREINFO", "data": note, "addr": addr("KVMCOREINFO", False)}
    hdr = {"name": "KELF_HEADER", "data": gen.elf_header(regions, note_r, 4096),
           "addr": addr("KELF_HEADER", False)}
    return [hdr, note_r] + regions


def write_case(outdir, name, ring, out, rc, err=(), note=None, without=(), cut=0,
               snapshot=True, md=False):
    regions = regions_of(ring, note or vmcoreinfo(), without, snapshot)
    elf = gen.qdl_assemble(regions)
    if cut:
        elf = elf[:len(elf) - cut]
    with open(os.path.join(outdir, name + ".elf"), "wb") as f:
        f.write(elf)
    with open(os.path.join(outdir, name + ".out"), "wb") as f:
        f.write(out)
    with open(os.path.join(outdir, name + ".err"), "w") as f:
        f.write("".join(e + "\n" for e in err))
    with open(os.path.join(outdir, name + ".rc"), "w") as f:
        f.write("%d\n" % rc)
    if md:
        gen.write_md(outdir, regions, sub=name + "-md")


def boot_messages(ring, n, start=0, ts0=0):
    ids = []
    for k in range(start, start + n):
        text = b"message %d: %s" % (k, b"x" * (k * 7 % 23))
        ids.append(ring.add(text, ts0 + k * 1234567891))
    return ids


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    snap = SNAPSHOT.rstrip(b"\0")[:-1]

    # simple: a fresh ring; an empty line, a multi-line record, a dictionary,
    # control characters, the newest record only committed.
    r = Ring(5, 12)
    r.add(b"Booting Linux on physical CPU 0x0000000000 [0x410fd083]", 0)
    r.add(b"Linux version 6.12.117 (test@gen) #1 SMP PREEMPT", 1000)
    r.add(b"", 2500000)
    r.add(b"first line\nsecond line of the same record", 1500000000)
    r.add(b"virtio_blk virtio1: [vda] 131072 512-byte logical blocks", 3000001000,
          b"virtio", b"+virtio:virtio1")
    r.add(b"tab\there, bell\x07 and utf-8 \xc3\xa9", 4000000000)
    r.add(b"Kernel panic - not syncing: sysrq triggered crash", 123456789012, state=COMMITTED)
    simple = expected(r).replace(b"bell\x07", b"bell\\x07")
    write_case(outdir, "simple", r, simple, 0, md=True)
    write_case(outdir, "simple-dict", r, expected(r, dict_lines=True).replace(
        b"bell\x07", b"bell\\x07"), 0)

    # wrapped: the data ring wraps many times, the descriptor ring too;
    # wrapping blocks (stored at index 0) among the records that remain.
    r = Ring(4, 9)
    boot_messages(r, 150)
    live = r.printable()
    assert r.tail_id != (-(r.count + 1)) & ID_MASK and len(live) > 3
    wrapping = [b for b in r.blocks if b[1] >> 9 != b[2] >> 9]
    assert wrapping, "no wrapping data block in the wrapped case"
    assert any(r.state(i) == REUSABLE for i in r.live()), "no reusable descriptor"
    write_case(outdir, "wrapped", r, expected(r), 0)

    # descriptor ring full before the data ring: tail pushed by descriptors
    r = Ring(3, 12)
    boot_messages(r, 21)
    write_case(outdir, "descwrap", r, expected(r), 0)

    # states: a reserved record at the head (mid-write), and a head ID the
    # writer took before it set the descriptor (miss)
    r = Ring(5, 12)
    boot_messages(r, 6)
    rid = r.reserve(b"being writ", 9000000000)
    write_case(outdir, "reserved", r, expected(r), 4,
               ["record %d: being written when the dump was taken \\(reserved\\)" % r.seq(rid),
                "6 records printed, 1 skipped"])
    r.head_id = (r.head_id + 1) & ID_MASK	# desc_reserve:C done, desc_reserve:D not
    write_case(outdir, "miss", r, expected(r), 4,
               ["record %d: being written" % r.seq(rid),
                "record %d: descriptor not yet taken by its writer" % (r.seq(rid) + 1)])

    # midwrite: among intact records, one whose data block was overwritten
    # and one whose lpos is inconsistent
    r = Ring(5, 12)
    ids = boot_messages(r, 10)
    over, bad = ids[3], ids[6]
    b = r.descs[r.idx(over)][1] & (r.size - 1)
    struct.pack_into("<Q", r.data, b, 0xdeadbeef)
    r.descs[r.idx(bad)][1], r.descs[r.idx(bad)][2] = r.descs[r.idx(bad)][2], \
        r.descs[r.idx(bad)][1]
    write_case(outdir, "midwrite", r, expected(r, skip=(over, bad)), 4,
               ["record %d: data block overwritten \\(it holds another record's ID\\)" %
                r.seq(over),
                "record %d: inconsistent lpos" % r.seq(bad), "8 records printed, 2 skipped"])

    # lost text (FAILED_LPOS), and a text length past its block
    r = Ring(5, 12)
    ids = boot_messages(r, 5)
    r.descs[r.idx(ids[1])][1:] = [FAILED_LPOS, FAILED_LPOS]
    r.infos[r.idx(ids[2])]["len"] = 4000
    write_case(outdir, "lost", r, expected(r, skip=(ids[1], ids[2])), 4,
               ["record 1: text lost", "record 2: text length larger than its data block"])

    # an empty ring, as at boot
    r = Ring(5, 12)
    write_case(outdir, "empty", r, b"", 0)

    # the text segment cut short: the records past the cut are not in the dump
    r = Ring(5, 12)
    ids = boot_messages(r, 40)
    avail = (r.descs[r.idx(ids[30])][1] & 4095) + 8
    cut = 4096 - avail
    lost = []
    for i in r.printable():
        b = r.descs[r.idx(i)][1] & 4095
        if b + 8 + r.infos[r.idx(i)]["len"] > avail:
            lost.append(i)
    assert lost[0] == ids[30] and len(lost) == 10
    write_case(outdir, "cut-text", r, expected(r, skip=lost), 4,
               ["record %d: text not in the dump" % r.seq(lost[0]),
                "record %d: data block not in the dump" % r.seq(lost[1]),
                "%d records printed, 10 skipped" % (len(r.printable()) - 10)], cut=cut,
               snapshot=False)

    # no descriptor array in the dump: the snapshot instead, or exit 3
    r = Ring(5, 12)
    boot_messages(r, 3)
    write_case(outdir, "no-descs", r, snap + b"\n", 0,
               ["no printk ring buffer \\(the descriptor array .* is not all in the dump\\); "
                "printing the KLOGBUF snapshot instead"], without=("KPRB_DESCS",))
    write_case(outdir, "no-descs-ring", r, b"", 3,
               ["no printk ring buffer to read: the descriptor array"], without=("KPRB_DESCS",))
    # a VMCOREINFO without the ring's keys (an older kernel)
    write_case(outdir, "no-keys", r, snap + b"\n", 0,
               ["VMCOREINFO has no OFFSET\\(printk_info.dev_info\\)"],
               note=vmcoreinfo(drop=("OFFSET(printk_info.dev_info)",)))
    # neither ring nor snapshot
    write_case(outdir, "nothing", r, b"", 3, ["no section named KLOGBUF"],
               without=("KPRB_RB",), snapshot=False)

    # hostile: offsets outside their structures, a huge ring, IDs that span
    # more than the ring
    hostile = [(k, 4000 if k == "OFFSET(printk_info.dev_info)" else v) for k, v in LAYOUT]
    write_case(outdir, "hostile-offset", r, b"", 3,
               ["printk_info's members are outside it"], note=vmcoreinfo(hostile),
               snapshot=False)
    hostile = [(k, 1 << 40 if k == "SIZE(prb_desc)" else v) for k, v in LAYOUT]
    write_case(outdir, "hostile-size", r, b"", 3, ["structure size is implausible"],
               note=vmcoreinfo(hostile), snapshot=False)
    r = Ring(5, 12)
    boot_messages(r, 3)
    r.count_bits = 30
    write_case(outdir, "hostile-count", r, b"", 3,
               ["descriptor array .* is not all in the dump"], snapshot=False)
    r = Ring(5, 12)
    boot_messages(r, 3)
    r.tail_id = (r.head_id - 1000) & ID_MASK
    write_case(outdir, "hostile-ids", r, expected(r), 4,
               ["span more than its 32 descriptors"])


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Generate minidump samples for the tests, from a fixed seed.

One set of kernel regions (an ELF header in the kernel's layout, a
vmcoreinfo note, linux_banner, a kernel log and some data) written in every
form a dump reaches a person:

  md/            md_<name>.BIN and dump_info.txt, as a USB collection
  ram.bin        one RAM image at BASE, with SMEM and the table of contents
  cmm/           the same RAM split in two files, with load.cmm
  rawdump.bin    a rawdump partition
  expected.elf   what qdl's assembly algorithm makes of md/ (written here,
                 independently of the tool)
  old/           the older KELF layout as md files; expected-old.elf
  nt-NAME/       md files whose note region holds crash notes: registers,
                 the task, modules (nt-crash), a bite's VMCOREINFO alone
                 (nt-bite), spoiled ones; dbg/ a vmlinux and a module file
                 for the debuggers' command lines
  md2026/        the 2026 (meminspect) layout as md files: md_KELF1.BIN,
                 md_Kvmcorein2.BIN (NT_PRSTATUS, NT_PRPSINFO, VMCOREINFO),
                 p_filesz rounded up to 4; ram2026.bin the same in RAM;
                 expected-2026.elf

usage: gen.py [--compact] OUTDIR SMEM_IMAGE
SMEM_IMAGE is an image from qcom-smem-image (size 2 MiB, item 602 with
room for 10 subsystems); the regions go into its APSS slot. --compact packs
everything into 3 MiB of RAM with small regions, for the fuzzers' seed
corpus, and writes ram.chunks, that RAM as the ram fuzzer reads it.
"""

import os
import random
import struct
import sys

BASE = 0x80000000
# Where things are in RAM, as offsets from BASE; the tests rely on these.
LAYOUT = {"ram": 32 << 20, "smem": (32 - 2) << 20, "table": 0x100000,
          "KBANNER": 0x204000, "KLOGBUF": 0x300000, "KDATA": 0x410000,
          "KVMCOREINFO": 0x500000, "KELF_HEADER": 0x600000}
COMPACT = {"ram": 3 << 20, "smem": 1 << 20, "table": 0x1000,
           "KBANNER": 0x4000, "KLOGBUF": 0x8000, "KDATA": 0x10000,
           "KVMCOREINFO": 0x20000, "KELF_HEADER": 0x30000}
EM_AARCH64 = 183
SMALL = False   # --compact: small regions too, for the fuzzers' seeds
BANNER = b"Linux version 6.12.117 (test@gen) #1 SMP\n\0"  # linux_banner

VALI, ENBL, DONE, NR = 0x56414C49, 0x454E424C, 0x444F4E45, 0x00004E52


def load_headers(regions, off, name_offs, round4=False):
    """A PT_LOAD and a PROGBITS section per region, from file offset off;
    round4: sizes rounded up to 4, as the 2026 layout has them."""
    ph, sh = [], []
    for r in regions:
        size = len(r["data"])
        if round4:
            size = (size + 3) & ~3
        memsz = size + r.get("zero_tail", 0)
        ph.append(struct.pack("<IIQQQQQQ", 1, 6, off, r["vaddr"], r["addr"], size, memsz, 4))
        sh.append(struct.pack("<IIQQQQIIQQ", name_offs[r["name"]], 1, 3, r["vaddr"], off, size,
                              0, 0, 4, 0))
        off += size
    return ph, sh


def elf_header(regions, note, hdr_size, round4=False, strtbl=False):
    """An ELF core header like the kernel's: PT_NOTE, then a PT_LOAD each.
    Sections: null, ".shstrtab", the note's, one per PT_LOAD (the 2026
    layout); with strtbl, as the kernel lays them out for ramparse: null,
    "STR_TBL", "linux_banner" (a copy in the header, after the table), the
    note's, one per PT_LOAD, the names packed in that order."""
    names = b"\0STR_TBL\0linux_banner\0" if strtbl else b"\0.shstrtab\0"
    offs = {}
    for r in [note] + regions:
        offs[r["name"]] = len(names)
        names += r["name"].encode() + b"\0"
    fixed = 4 if strtbl else 3
    phnum = 1 + len(regions)
    shnum = fixed + len(regions)
    phoff = 64
    shoff = phoff + 56 * phnum
    stroff = shoff + 64 * shnum
    banoff = stroff + len(names) + 4    # ramparse stops at zeroes after a NUL
    assert banoff + len(BANNER) <= hdr_size

    out = bytearray(hdr_size)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    out[0:64] = ident + struct.pack("<HHIQQQIHHHHHH", 4, EM_AARCH64, 1, 0, phoff, shoff,
                                    0, 64, 56, phnum, 64, shnum, 1)
    off = hdr_size
    note_len = len(note["data"].rstrip(b"\0"))
    note_len = (note_len + 3) & ~3
    if round4 or "filesz" in note:
        note_len = note.get("filesz", len(note["data"]))
    ph = [struct.pack("<IIQQQQQQ", 4, 0, off, 0, note["addr"], note_len, 0, 4)]
    sh = [bytes(64),
          struct.pack("<IIQQQQIIQQ", 1, 3, 0, 0, stroff, banoff - stroff if strtbl else len(names),
                      0, 0, 1, 0)]
    if strtbl:
        sh.append(struct.pack("<IIQQQQIIQQ", 9, 1, 0, 0xffff800080000000 + LAYOUT["KBANNER"],
                              banoff, len(BANNER), 0, 0, 1, 0))
        out[banoff:banoff + len(BANNER)] = BANNER
    sh.append(struct.pack("<IIQQQQIIQQ", offs[note["name"]], 7, 0, 0, off, note_len, 0, 0, 4, 0))
    off += len(note["data"])
    loads, sections = load_headers(regions, off, offs, round4)
    ph += loads
    sh += sections
    blob = b"".join(ph)
    out[phoff:phoff + len(blob)] = blob
    blob = b"".join(sh)
    out[shoff:shoff + len(blob)] = blob
    out[stroff:stroff + len(names)] = names
    return bytes(out)


def old_elf_header(regions, hdr_size):
    """The older layout: sections null, STR_TBL, linux_banner (in the
    header), one PROGBITS per region; one PT_LOAD per region; no PT_NOTE."""
    banner = b"Linux version 6.1.0 (old@layout) #1 SMP\n\0"
    names = b"\0STR_TBL\0linux_banner\0"
    offs = {}
    for r in regions:
        offs[r["name"]] = len(names)
        names += r["name"].encode() + b"\0"
    phnum, shnum = len(regions), 3 + len(regions)
    phoff = 64
    shoff = phoff + 56 * phnum
    stroff = shoff + 64 * shnum
    banoff = stroff + len(names)
    assert banoff + len(banner) <= hdr_size
    out = bytearray(hdr_size)
    out[0:64] = (b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) +
                 struct.pack("<HHIQQQIHHHHHH", 4, EM_AARCH64, 1, 0, phoff, shoff, 0, 64, 56,
                             phnum, 64, shnum, 1))
    ph, sections = load_headers(regions, hdr_size, offs)
    sh = [bytes(64),
          struct.pack("<IIQQQQIIQQ", 1, 3, 0, 0, stroff, len(names), 0, 0, 1, 0),
          struct.pack("<IIQQQQIIQQ", 9, 1, 0, 0, banoff, len(banner), 0, 0, 1, 0)] + sections
    for start, blob in ((phoff, b"".join(ph)), (shoff, b"".join(sh)), (stroff, names),
                        (banoff, banner)):
        out[start:start + len(blob)] = blob
    return bytes(out)


def make_regions(rnd, notes=None):
    """The regions; notes: the note region's body, exactly (the PT_NOTE's
    p_filesz is its length), instead of VMCOREINFO alone in 4132 bytes."""
    desc = b"OSRELEASE=6.12.117\nPAGESIZE=4096\n"
    desc += b"\0" * (-len(desc) % 4)
    note = struct.pack("<III", 11, len(desc), 0) + b"VMCOREINFO\0\0" + desc
    note = note + bytes(4132 - len(note))
    if notes is not None:
        note = notes
    banner = BANNER + bytes(-len(BANNER) % 4)
    lines, log_size, data_size = (200, 8192, 12288) if not SMALL else (8, 512, 256)
    log = b"".join(b"[%5d.000000] test message %d\n" % (i, i) for i in range(lines))
    log = log + b"[  201.000000] Kernel panic - not syncing: sysrq triggered crash\n"
    log = log + bytes(log_size - len(log))
    data = bytes(rnd.getrandbits(8) for _ in range(data_size))

    regions = [
        {"name": "KBANNER", "data": banner, "addr": BASE + LAYOUT["KBANNER"]},
        {"name": "KLOGBUF", "data": log, "addr": BASE + LAYOUT["KLOGBUF"]},
        {"name": "KDATA", "data": data, "addr": BASE + LAYOUT["KDATA"]},
    ]
    for r in regions:
        r["vaddr"] = 0xffff800080000000 + (r["addr"] - BASE)
    note_r = {"name": "KVMCOREINFO", "data": note, "addr": BASE + LAYOUT["KVMCOREINFO"]}
    if notes is not None:
        note_r["filesz"] = len(notes)
    hdr_size = 4096
    hdr = {"name": "KELF_HEADER", "data": elf_header(regions, note_r, hdr_size),
           "addr": BASE + LAYOUT["KELF_HEADER"]}
    # Table order differs from program-header order on purpose.
    return [regions[2], note_r, hdr, regions[0], regions[1]]


def note(name, ntype, desc):
    """One ELF note, padded to 4."""
    name = name.encode() + b"\0"
    return (struct.pack("<III", len(name), len(desc), ntype) + name + bytes(-len(name) % 4) +
            desc + bytes(-len(desc) % 4))


B26 = 0x700000


# ---- the notes after a crash (notes.c), and what a debugger needs --------

KOFF = 0x1f2e0000			# KERNELOFFSET of the crash sets
VMLINUX_TEXT = 0xffffffc080010000	# where the fake vmlinux links .text
PANIC_HERE = VMLINUX_TEXT + 0x40	# a function in it, 0x20 bytes
MODULE_TEXT = 0xffff80007a3f0000	# where the module's .text is loaded
SAMPLE_CRASH = 0x40			# a function in the module's .text


def prstatus(cpu, pc, sp, size=392, pid=None):
    """arm64 struct elf_prstatus: pr_pid at 0x20, x0-x30, sp, pc, pstate at 0x70."""
    d = bytearray(size)
    if size >= 0x70 + 34 * 8:
        struct.pack_into("<i", d, 0x20, cpu + 1 if pid is None else pid)
        regs = [0x1000 + i for i in range(31)] + [sp, pc, 0x600003c5]
        struct.pack_into("<34Q", d, 0x70, *regs)
    return bytes(d)


def prpsinfo(fname, pid, size=136):
    """arm64 struct elf_prpsinfo: pr_pid at 24, pr_fname[16] at 40."""
    d = bytearray(size)
    if size >= 136:
        d[0] = 0
        d[1] = ord("R")
        struct.pack_into("<i", d, 24, pid)
        d[40:40 + len(fname)] = fname
        d[56:56 + 5] = b"sh -c"
    return bytes(d)


TASK_STRUCT = 0xffffff8000c80000	# the crashing task's address


def taskstruct(addr=TASK_STRUCT):
    """NT_TASKSTRUCT as the kernel writes it: "CORE" NUL-padded to 8 bytes,
    so that crash, which reads the address n_namesz bytes after the name's
    start, finds it where ELF readers do."""
    return struct.pack("<III", 8, 8, 4) + b"CORE\0\0\0\0" + struct.pack("<Q", addr)


def vmcoreinfo(koff="%x" % KOFF):
    text = b"OSRELEASE=6.12.117\nPAGESIZE=4096\n"
    if koff is not None:
        text += b"KERNELOFFSET=" + koff.encode() + b"\n"
    return note("VMCOREINFO", 0, text)


def crash_notes_sets():
    """Note region bodies, by name: what the kernel leaves after a panic in a
    module, after a bite, and spoiled ones."""
    panic = prstatus(2, PANIC_HERE + KOFF, 0xffffffc082003e40)
    other = prstatus(0, MODULE_TEXT + SAMPLE_CRASH + 4, 0xffffffc082013d90)
    task = note("CORE", 3, prpsinfo(b"sh", 123))
    mods = note("QCOM_MINIDUMP", 0, b"MODULE_TEXT(qcom_minidump_sample)=%x\n"
                b"MODULE_TEXT(other_mod)=ffff80007a500000\n" % MODULE_TEXT)
    crash = (vmcoreinfo() + note("CORE", 1, panic) + note("CORE", 1, other) + task +
             taskstruct() + mods)
    sets = {
        "crash": crash,
        "nomod": vmcoreinfo("0") + note("CORE", 1, prstatus(0, PANIC_HERE, 0xffffffc082003e40)) +
        task,
        "bite": vmcoreinfo("0"),
        "nooffset": vmcoreinfo(None),
        "zero": vmcoreinfo() + note("CORE", 1, bytes(392)) + note("CORE", 3, bytes(136)),
        "prsize": vmcoreinfo() + note("CORE", 1, panic[:200]) + task,
        "psize": vmcoreinfo() + note("CORE", 1, panic) + note("CORE", 3, bytes(100)),
        "dupcpu": vmcoreinfo() + note("CORE", 1, panic) + note("CORE", 1, panic),
        "badpid": vmcoreinfo() + note("CORE", 1, prstatus(0, 4, 8, pid=0)),
        "badoff": vmcoreinfo("zz") + note("CORE", 1, panic),
        "badmod": vmcoreinfo() + note("CORE", 1, panic) +
        note("QCOM_MINIDUMP", 0, b"MODULE_TEXT(../evil)=1000\nMODULE_TEXT(ok_mod)=xyz\n"
             b"MODULE_TEXT(good)=ffff800000001000\nLATER_KEY=1\n"),
        # "CORE" with its NUL: crash would read the address 3 bytes off.
        "tsname": vmcoreinfo() + note("CORE", 4, struct.pack("<Q", TASK_STRUCT)),
        "tssize": vmcoreinfo() + note("CORE", 4, bytes(4)),
        # The last note claims 392 bytes, 100 are there.
        "trunc": vmcoreinfo() + note("CORE", 1, panic)[:12 + 8 + 100],
    }
    return sets


def tiny_elf(etype, text_addr, text_size, syms, rodata=None):
    """An aarch64 ELF with .text and a symbol table, no program headers:
    enough for gdb's symbol-file (ET_EXEC) and add-symbol-file (ET_REL).
    rodata: (address, bytes, syms) for a .rodata section, e.g. linux_banner."""
    shstr = b"\0.text\0.symtab\0.strtab\0.shstrtab\0.rodata\0"
    strtab = b"\0"
    symtab = bytes(24)
    ro_addr, ro_data, ro_syms = rodata or (0, b"", [])
    for name, value, size, shndx in ([(n, v, z, 1) for n, v, z in syms] +
                                     [(n, v, z, 5) for n, v, z in ro_syms]):
        symtab += struct.pack("<IBBHQQ", len(strtab), 0x12 if shndx == 1 else 0x11, 0,
                              shndx, value, size)
        strtab += name.encode() + b"\0"
    text = bytes(text_size)
    off = 64
    parts = []
    for blob in (text, symtab, strtab, shstr, ro_data):
        parts.append(off)
        off += len(blob)
    shoff = (off + 7) & ~7
    sh = [bytes(64),
          struct.pack("<IIQQQQIIQQ", 1, 1, 6, text_addr, parts[0], len(text), 0, 0, 4, 0),
          struct.pack("<IIQQQQIIQQ", 7, 2, 0, 0, parts[1], len(symtab), 3, 1, 8, 24),
          struct.pack("<IIQQQQIIQQ", 15, 3, 0, 0, parts[2], len(strtab), 0, 0, 1, 0),
          struct.pack("<IIQQQQIIQQ", 23, 3, 0, 0, parts[3], len(shstr), 0, 0, 1, 0),
          struct.pack("<IIQQQQIIQQ", 33, 1, 2, ro_addr, parts[4], len(ro_data), 0, 0, 8, 0)]
    hdr = (b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) +
           struct.pack("<HHIQQQIHHHHHH", etype, EM_AARCH64, 1, text_addr if etype == 2 else 0,
                       0, shoff, 0, 64, 0, 0, 64, len(sh), 4))
    body = hdr + text + symtab + strtab + shstr + ro_data
    return body + bytes(shoff - len(body)) + b"".join(sh)


def vmlinux(banner=BANNER):
    """The fake vmlinux: panic_here in .text; linux_banner in .rodata, linked
    KOFF below where the crash sets have it (KBANNER's virtual address)."""
    addr = 0xffff800080000000 + LAYOUT["KBANNER"] - KOFF
    return tiny_elf(2, VMLINUX_TEXT, 0x1000, [("panic_here", PANIC_HERE, 0x20)],
                    (addr, banner, [("linux_banner", addr, len(banner))]))


def write_crash_sets(outdir):
    """nt-NAME/: md files whose note region is the set NAME's notes; dbg/:
    a vmlinux and module files for the debuggers' command lines."""
    for name, notes in crash_notes_sets().items():
        rnd = random.Random(0x6e74)
        regions = make_regions(rnd, notes)
        write_md(outdir, regions, sub="nt-" + name)
    dbg = os.path.join(outdir, "dbg")
    os.makedirs(os.path.join(dbg, "mods", "kernel", "drivers"), exist_ok=True)
    with open(os.path.join(dbg, "vmlinux"), "wb") as f:
        f.write(vmlinux())
    # Another build's: its banner is not the dump's.
    with open(os.path.join(dbg, "vmlinux-other"), "wb") as f:
        f.write(vmlinux(BANNER.replace(b"#1", b"#2")))
    ko = tiny_elf(1, 0, 0x100, [("sample_crash", SAMPLE_CRASH, 0x20)])
    with open(os.path.join(dbg, "mods", "kernel", "drivers", "qcom-minidump-sample.ko"),
              "wb") as f:
        f.write(ko)
    # Not a module file: a name that only starts like one.
    with open(os.path.join(dbg, "mods", "qcom_minidump_sample.ko.xz"), "wb") as f:
        f.write(b"not this")



def make_regions_2026(rnd):
    """The 2026 layout: its own region names, notes with registers (zero, as
    meminspect leaves them) and vmcoreinfo, region sizes not multiples of 4."""
    vmcoreinfo = b"OSRELEASE=6.18.0-meminspect\nPAGESIZE=4096\nKERNELOFFSET=0\n"
    notes = (note("CORE", 1, bytes(392)) + note("CORE", 3, bytes(136)) +
             note("VMCOREINFO", 0, vmcoreinfo))
    banner = b"Linux version 6.18.0-meminspect (test@gen) #1 SMP\n\0"
    if len(banner) % 4 == 0:
        banner += b"\0"
    regions = [
        {"name": "Kbanner3", "data": banner, "addr": BASE + B26 + 0x20000},
        {"name": "Kprb4", "data": bytes(rnd.getrandbits(8) for _ in range(2048)),
         "addr": BASE + B26 + 0x30000},
        {"name": "Kdata5", "data": bytes(rnd.getrandbits(8) for _ in range(1001)),
         "addr": BASE + B26 + 0x40000},
    ]
    for r in regions:
        r["vaddr"] = 0xffff800080000000 + (r["addr"] - BASE)
    note_r = {"name": "Kvmcorein2", "data": notes, "addr": BASE + B26 + 0x10000}
    hdr = {"name": "KELF1", "data": elf_header(regions, note_r, 4096, round4=True),
           "addr": BASE + B26}
    return [hdr, note_r] + regions


def write_md(outdir, regions, sub="md"):
    md = os.path.join(outdir, sub) if sub else outdir
    os.makedirs(md, exist_ok=True)
    with open(os.path.join(md, "dump_info.txt"), "w", newline="") as info:
        for r in regions:
            fname = "md_%s.BIN" % r["name"]
            with open(os.path.join(md, fname), "wb") as f:
                f.write(r["data"])
            info.write("1 0x%016x\t%016d\t%-20s\t%s\r\n" % (r["addr"], len(r["data"]),
                                                             r["name"], fname))


def qdl_assemble(regions):
    """qdl's algorithm: KELF; the K* region no PT_LOAD has; each PT_LOAD's."""
    hdr = next(r for r in regions if r["name"].startswith("KELF"))
    h = hdr["data"]
    phoff, = struct.unpack_from("<Q", h, 32)
    phnum, = struct.unpack_from("<H", h, 56)
    loads = []
    for i in range(phnum):
        p_type, _, _, _, paddr, filesz = struct.unpack_from("<IIQQQQ", h, phoff + 56 * i)
        if p_type == 1:
            loads.append((paddr, filesz))
    kern = [r for r in regions if r["name"].startswith("K") and r is not hdr]
    out = bytearray(h)
    note = [r for r in kern if r["addr"] not in [a for a, _ in loads]]
    assert len(note) <= 1
    if note:
        out += note[0]["data"]
    for paddr, filesz in loads:
        r = next(r for r in kern if r["addr"] == paddr)
        out += r["data"][:filesz] + bytes(max(0, filesz - len(r["data"])))
    return bytes(out)


def write_ram(outdir, regions, smem, fname="ram.bin", cmm=True):
    ram = bytearray(LAYOUT["ram"])
    smem_off = LAYOUT["smem"]
    ram[smem_off:smem_off + len(smem)] = smem
    # Item 602 is the first item of the global partition (qcom-smem-image).
    toc = smem_off + 0x10000 + 32 + 16
    status, revision, enabled = struct.unpack_from("<III", ram, toc)
    assert status == 1 and enabled == ENBL
    table = BASE + LAYOUT["table"]
    struct.pack_into("<IIIIIIQ", ram, toc + 16, 1, ENBL, DONE, NR, len(regions), 0, table)
    for i, r in enumerate(regions):
        name = r["name"].encode().ljust(16, b"\0")
        struct.pack_into("<16sIIQQ", ram, LAYOUT["table"] + 40 * i, name, 0, VALI, r["addr"],
                         len(r["data"]))
        off = r["addr"] - BASE
        ram[off:off + len(r["data"])] = r["data"]
    with open(os.path.join(outdir, fname), "wb") as f:
        f.write(ram)
    if not cmm:
        return
    cmm = os.path.join(outdir, "cmm")
    os.makedirs(cmm, exist_ok=True)
    half = LAYOUT["ram"] // 2
    with open(os.path.join(cmm, "DDRCS0_0.BIN"), "wb") as f:
        f.write(ram[:half])
    with open(os.path.join(cmm, "DDRCS1_0.BIN"), "wb") as f:
        f.write(ram[half:])
    with open(os.path.join(cmm, "load.cmm"), "w") as f:
        f.write("d.load.binary DDRCS0_0.BIN 0x%x /noclear\n" % BASE)
        f.write("d.load.binary DDRCS1_0.BIN 0x%x /noclear\n" % (BASE + half))


def write_chunks(outdir, fname="ram.bin"):
    """The RAM image as the ram fuzzer reads it (fuzz.c, ram_input()): a
    4-byte offset, a 2-byte length and the bytes, for each run of bytes
    that is not zeroes; runs of 64 zeroes or more are left out as holes."""
    ram = open(os.path.join(outdir, fname), "rb").read()
    out = bytearray()
    pos = 0
    while pos < len(ram):
        start = pos
        while start < len(ram) and not ram[start]:
            start += 1
        if start >= len(ram):
            break
        end = start
        while end < len(ram) and end - start < 0xffff:
            zeros = ram[end:end + 64]
            if len(zeros) == 64 and not any(zeros):
                break
            end += 1
        chunk = ram[start:end].rstrip(b"\0")
        out += struct.pack("<IH", start, len(chunk)) + chunk
        pos = end
    with open(os.path.join(outdir, "ram.chunks"), "wb") as f:
        f.write(out)


def write_rawdump(outdir, regions):
    sections = []
    data = b""
    off = 56 + 64 * (len(regions) + 1)
    # A section that is not a minidump region comes first, as on devices.
    ctx = bytes(256)
    sections.append(struct.pack("<IIIQQQQ20s", 1, 0x1000, 2, off, len(ctx), 0, 0,
                                b"cpu_context.bin"))
    data += ctx
    off += len(ctx)
    for r in regions:
        sections.append(struct.pack("<IIIQQQQ20s", 1, 0x1000, 1, off, len(r["data"]),
                                    r["addr"], 0, ("md_%s.BIN" % r["name"]).encode()))
        data += r["data"]
        off += len(r["data"])
    hdr = struct.pack("<8sIIQ8sIQQI", b"Raw_Dmp!", 0x1000, 1, 0, bytes(8), 0, off, off,
                      len(sections))
    with open(os.path.join(outdir, "rawdump.bin"), "wb") as f:
        f.write(hdr + b"".join(sections) + data)


def main():
    args = sys.argv[1:]
    global SMALL
    if args[0] == "--compact":
        LAYOUT.update(COMPACT)
        SMALL = True
        args = args[1:]
    outdir, smem_path = args
    rnd = random.Random(0x6d64)
    os.makedirs(outdir, exist_ok=True)
    regions = make_regions(rnd)
    with open(smem_path, "rb") as f:
        smem = f.read()
    write_md(outdir, regions)
    write_ram(outdir, regions, smem)
    if SMALL:
        write_chunks(outdir)
    write_rawdump(outdir, regions)
    with open(os.path.join(outdir, "expected.elf"), "wb") as f:
        f.write(qdl_assemble(regions))
    # The older KELF layout, as md files, and what qdl makes of it.
    old = [r for r in regions if r["name"] in ("KBANNER", "KLOGBUF", "KDATA")]
    old_hdr = {"name": "KELF_HEADER", "data": old_elf_header(old, 4096),
               "addr": BASE + LAYOUT["KELF_HEADER"]}
    old_dir = os.path.join(outdir, "old")
    os.makedirs(old_dir, exist_ok=True)
    write_md(old_dir, [old_hdr] + old, sub=None)
    with open(os.path.join(outdir, "expected-old.elf"), "wb") as f:
        f.write(qdl_assemble([old_hdr] + old))
    # The kernel's layout for ramparse (STR_TBL), as md files, and qdl's core.
    strtbl = [dict(r) for r in regions]
    hdr = next(r for r in strtbl if r["name"] == "KELF_HEADER")
    hdr["data"] = elf_header([next(r for r in strtbl if r["name"] == n)
                              for n in ("KBANNER", "KLOGBUF", "KDATA")],
                             next(r for r in strtbl if r["name"] == "KVMCOREINFO"), 4096,
                             strtbl=True)
    write_md(outdir, strtbl, sub="mdstrtbl")
    with open(os.path.join(outdir, "expected-strtbl.elf"), "wb") as f:
        f.write(qdl_assemble(strtbl))
    # Zero tails: the kernel says memory after a region is zero (p_memsz >
    # p_filesz). KBANNER's tail ends inside its page, KDATA's runs past it
    # (and KDATA is the last region in physical order: the end of the file).
    tail = [dict(r) for r in regions]
    by_name = {r["name"]: r for r in tail}
    by_name["KBANNER"]["zero_tail"] = 8
    by_name["KDATA"]["zero_tail"] = 0x5000
    by_name["KELF_HEADER"]["data"] = elf_header(
        [by_name[n] for n in ("KBANNER", "KLOGBUF", "KDATA")], by_name["KVMCOREINFO"], 4096)
    write_md(outdir, tail, sub="mdtail")
    with open(os.path.join(outdir, "expected-tail.elf"), "wb") as f:
        f.write(qdl_assemble(tail))
    # The 2026 layout, as md files, in RAM, and what qdl makes of it.
    new = make_regions_2026(rnd)
    write_md(outdir, new, sub="md2026")
    if LAYOUT["ram"] > B26 + 0x50000:
        write_ram(outdir, new, smem, fname="ram2026.bin", cmm=False)
    with open(os.path.join(outdir, "expected-2026.elf"), "wb") as f:
        f.write(qdl_assemble(new))
    write_crash_sets(outdir)
    # The md names and addresses, for the test to compare with list/split.
    with open(os.path.join(outdir, "regions.txt"), "w") as f:
        for r in regions:
            f.write("%s 0x%x %d\n" % (r["name"], r["addr"], len(r["data"])))


if __name__ == "__main__":
    main()

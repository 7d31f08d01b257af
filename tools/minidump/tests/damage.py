#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Derive damaged dumps, renamed collections and every input form from the
good sets tests/gen.py writes, and the test calls for them.

usage: damage.py SAMPLES OUTDIR > cases.sh

SAMPLES is gen.py's output directory. Each variant goes into OUTDIR/NAME;
stdout gets one shell line per case, for tests/damage.sh:

    dcase NAME EXIT PATTERN CHECKS -- INPUT [OPTIONS...]

EXIT is what "assemble" must exit with ("verify" must agree); PATTERN an
extended regular expression its stderr must match ('' for none); CHECKS
what else holds of the core, space-separated:

    ref             this core is the set's reference, for "same"
    same:NAME       byte for byte the core of case NAME (a set's good one)
    like:SET        segment by segment what qdl's algorithm makes of SET
    zero:PADDR      (with like) that PADDR's segment is all zeroes
    gdb:VADDR       gdb opens the core and reads memory at VADDR
    banner          the printed gdb line reads linux_banner through vmlinux
    offset:HEX      the printed gdb line has symbol-file -o HEX

The expected results follow the documented rules (Documentation/driver-
api/qcom-minidump.rst, "The minidump tool"): a region missing or short is
damage (4), except bytes that the 2026 layout's rounding to 4 can explain
when there is no dump_info.txt to give the size; a note region is only read
as far as the PT_NOTE describes it; no KELF region is no dump (3); an input
of the wrong form is refused with what to pass instead (2).
"""

import os
import re
import shlex
import shutil
import struct
import sys

PT_LOAD, PT_NOTE = 1, 4
KOFF = 0x1f2e0000       # gen.py's KASLR offset of its fake vmlinux

out_lines = []


def case(name, code, pattern, checks, *args):
    out_lines.append("dcase %s %d %s %s -- %s" % (
        shlex.quote(name), code, shlex.quote(pattern), shlex.quote(" ".join(checks)),
        " ".join(shlex.quote(a) for a in args)))


def read_info(d):
    """dump_info.txt: [(name, addr, size, file)] in line order."""
    rows = []
    with open(os.path.join(d, "dump_info.txt"), newline="") as f:
        for line in f:
            cols = line.rstrip("\r\n").split("\t")
            addr = int(cols[0].split()[1], 16)
            rows.append((cols[2].strip(), addr, int(cols[1]), cols[3]))
    return rows


def segments(hdr):
    """The KELF header's PT_NOTE and PT_LOADs: [(type, paddr, filesz, vaddr)]."""
    phoff, = struct.unpack_from("<Q", hdr, 32)
    phnum, = struct.unpack_from("<H", hdr, 56)
    segs = []
    for i in range(phnum):
        t, _, _, vaddr, paddr, filesz = struct.unpack_from("<IIQQQQ", hdr, phoff + 56 * i)
        if t in (PT_LOAD, PT_NOTE):
            segs.append((t, paddr, filesz, vaddr))
    return segs


def copy_set(src, dst, info=True, rename=None, info_names=True):
    """A copy of SRC's md files in DST; rename(file) gives each md file's new
    name; info: keep dump_info.txt (naming the new files if info_names)."""
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    names = {}
    for f in sorted(os.listdir(src)):
        if not f.startswith("md_"):
            continue
        new = rename(f) if rename else f
        names[f] = new
        shutil.copyfile(os.path.join(src, f), os.path.join(dst, new))
    if info:
        with open(os.path.join(src, "dump_info.txt"), newline="") as f:
            text = f.read()
        if info_names:
            for old, new in names.items():
                text = text.replace("\t" + old + "\r", "\t" + new + "\r")
        with open(os.path.join(dst, "dump_info.txt"), "w", newline="") as f:
            f.write(text)
    return names


def padding(size, filesz):
    """Bytes the 2026 layout's rounding to 4 explains (the tool's rule)."""
    return filesz - size if size < filesz and (size + 3) & ~3 == filesz else 0


def load_result(size, filesz, cut, info):
    """Exit status and message for a PT_LOAD's file cut to CUT bytes (or
    grown, CUT > size); SIZE the region's real size, FILESZ the header's."""
    declared = size if info else cut
    present = min(cut, declared)
    if cut > declared:
        return 4, "has %d bytes, the line %d; the first ones taken" % (cut, size)
    if declared > filesz:
        return 4, "the region has %d bytes, the header %d" % (declared, filesz)
    missing = filesz - min(present, filesz) - padding(declared, filesz)
    if missing > 0:
        return 4, "%d of %d bytes missing, zero-filled" % (missing, filesz)
    return 0, ""


def note_ends(body, filesz):
    """Offsets where the note region's whole notes end."""
    ends, off = [], 0
    while off + 12 <= filesz:
        namesz, descsz, _ = struct.unpack_from("<III", body, off)
        if not namesz:
            break
        off += 12 + ((namesz + 3) & ~3) + ((descsz + 3) & ~3)
        ends.append(off)
    return ends


def damage(samples, outdir, set_name, src, expected, has_banner):
    """Each region of SRC removed, cut and grown; the note spoiled; the
    header removed and cut: with and without dump_info.txt."""
    rows = read_info(src)
    hdr_row = next(r for r in rows if r[0].startswith("KELF"))
    hdr = open(os.path.join(src, hdr_row[3]), "rb").read()
    segs = segments(hdr)
    by_addr = {paddr: (t, filesz, vaddr) for t, paddr, filesz, vaddr in segs}
    load_vaddr = next(v for t, _, _, v in segs if t == PT_LOAD)
    good = "%s: good" % set_name
    key = re.sub(r"[^A-Za-z0-9_.-]", "_", good)
    case(good, 0, "", ["ref"] + (["like:" + expected] if expected else []) +
         (["banner", "offset:%#x" % KOFF] if has_banner else []), src)
    for info in (True, False):
        tag = "%s%s" % (set_name, "" if info else ", no dump_info.txt")
        for name, addr, size, fname in rows:
            if name == hdr_row[0]:
                continue
            kind, filesz, _ = by_addr[addr]
            body = open(os.path.join(src, fname), "rb").read()
            variants = [("without %s" % fname, None)]
            if kind == PT_LOAD:
                variants += [("%s cut to %d" % (fname, size // 2), size // 2),
                             ("%s cut by 1" % fname, size - 1),
                             ("%s 8 bytes longer" % fname, size + 8)]
            else:
                cuts = sorted({5, filesz // 2, filesz - 1} |
                              {e for e in note_ends(body, filesz) if e < filesz})
                variants += [("%s cut to %d" % (fname, c), c) for c in cuts]
            for what, cut in variants:
                d = os.path.join(outdir, "%s-%s-%s" % (set_name, "i" if info else "n",
                                                        what.replace(" ", "_")))
                copy_set(src, d, info)
                path = os.path.join(d, fname)
                # gdb opens the core: whenever the note is spoiled, and once per set else.
                checks = ["gdb:%#x" % load_vaddr] if kind == PT_NOTE or cut is None else []
                if cut is None:
                    os.remove(path)
                    if kind == PT_NOTE:
                        code, pattern = 4, "no note region in the dump; the core's PT_NOTE is empty"
                        if has_banner:
                            checks += ["banner", "offset:%#x" % KOFF]
                    else:
                        code, pattern = 4, "no region in the dump, %d bytes zero-filled" % filesz
                        if expected:
                            checks += ["like:" + expected, "zero:%#x" % addr]
                else:
                    with open(path, "wb") as f:
                        f.write(body[:cut] + bytes(max(0, cut - size)))
                    if kind == PT_NOTE:
                        code, pattern = 4, "note region holds %d of the %d bytes" % (cut, filesz)
                        if has_banner:
                            checks += ["banner", "offset:%#x" % KOFF]
                    else:
                        code, pattern = load_result(size, filesz, cut, info)
                case("%s: %s" % (tag, what), code, pattern, checks, d)
            if kind == PT_NOTE:
                for what, spoil in (("garbage at its start", b"\xff\xff\xff\x7f"),
                                    ("zeroes", bytes(size))):
                    d = os.path.join(outdir, "%s-%s-note-%s" % (
                        set_name, "i" if info else "n", what.replace(" ", "_")))
                    copy_set(src, d, info)
                    with open(os.path.join(d, fname), "wb") as f:
                        f.write(spoil + body[len(spoil):])
                    case("%s: note region, %s" % (tag, what), 4,
                         "note region does not parse as ELF notes \\(offset 0 of",
                         ["gdb:%#x" % load_vaddr], d)
                ends = note_ends(body, filesz)
                if len(ends) > 1:
                    # The second note spoiled: the first (VMCOREINFO) kept.
                    d = os.path.join(outdir, "%s-%s-note-second" % (set_name,
                                                                   "i" if info else "n"))
                    copy_set(src, d, info)
                    with open(os.path.join(d, fname), "wb") as f:
                        f.write(body[:ends[0]] + b"\xff\xff\xff\x7f" + body[ends[0] + 4:])
                    case("%s: note region, its second note spoiled" % tag, 4,
                         "does not parse as ELF notes \\(offset %#x of .*: %d bytes"
                         % (ends[0], ends[0]), ["gdb:%#x" % load_vaddr] +
                         (["offset:%#x" % KOFF] if has_banner else []), d)
        # The header: gone, or too short to be one.
        d = os.path.join(outdir, "%s-%s-nohdr" % (set_name, "i" if info else "n"))
        copy_set(src, d, info)
        os.remove(os.path.join(d, hdr_row[3]))
        case("%s: without %s" % (tag, hdr_row[3]), 3, "no KELF region", [], d)
        d = os.path.join(outdir, "%s-%s-cuthdr" % (set_name, "i" if info else "n"))
        copy_set(src, d, info)
        with open(os.path.join(d, hdr_row[3]), "wb") as f:
            f.write(hdr[:32])
        case("%s: %s cut to 32" % (tag, hdr_row[3]), 3,
             "KELF region (of 32 bytes is not an ELF header|is short)", [], d)
    return key


def casings(outdir, set_name, src, good):
    """The set's md files renamed as collections name them, in several
    cases; dump_info.txt naming the old names, the new ones, or none."""
    forms = {
        "MD_NAME.BIN": lambda f: "MD_" + f[3:],
        "md_NAME.bin": lambda f: f[:-4] + ".bin",
        "Md_NAME.Bin": lambda f: "Md_" + f[3:-4] + ".Bin",
        "lower case": lambda f: f.lower(),
        "upper case": lambda f: f.upper(),
    }
    for form, rename in forms.items():
        for info, info_names, tag in ((True, True, "dump_info.txt renamed too"),
                                      (True, False, "dump_info.txt with the old names"),
                                      (False, False, "no dump_info.txt")):
            d = os.path.join(outdir, "%s-case-%s-%s" % (set_name, form.replace(" ", "_"),
                                                        "-".join(tag.split()[:3])))
            copy_set(src, d, info, rename, info_names)
            case("%s: files named %s, %s" % (set_name, form, tag), 0, "",
                 ["same:" + good], d)


def write_cmm(path, rows, addr_of=None):
    with open(path, "w") as f:
        for name, addr, _, fname in rows:
            f.write("d.load.binary %s 0x%x /noclear\n" % (fname, (addr_of or {}).get(fname, addr)))


def forms(samples, outdir, good):
    """Every input form of the md set, and the forms that are refused."""
    md = os.path.join(samples, "md")
    rows = read_info(md)
    case("input: dump_info.txt", 0, "", ["same:" + good], os.path.join(md, "dump_info.txt"))
    d = os.path.join(outdir, "form-cmm")
    copy_set(md, d, info=False)
    write_cmm(os.path.join(d, "load.cmm"), rows)
    case("input: load.cmm of md files", 0, "", ["same:" + good], os.path.join(d, "load.cmm"))
    case("input: md files, load.cmm beside them", 0, "", ["same:" + good], d)
    d = os.path.join(outdir, "form-CMM")
    copy_set(md, d, info=False, rename=lambda f: f.lower())
    write_cmm(os.path.join(d, "LOAD.CMM"), rows)
    case("input: lower-case md files, LOAD.CMM naming them in upper case", 0, "",
         ["same:" + good], d)
    d = os.path.join(outdir, "form-cmm-both")
    copy_set(md, d, info=True)
    write_cmm(os.path.join(d, "load.cmm"), rows)
    case("input: load.cmm and dump_info.txt", 0, "", ["same:" + good],
         os.path.join(d, "load.cmm"))
    d = os.path.join(outdir, "form-cmm-disagree")
    copy_set(md, d, info=True)
    write_cmm(os.path.join(d, "load.cmm"), rows, {"md_KDATA.BIN": 0x80410004})
    case("input: load.cmm disagreeing with dump_info.txt", 4,
         "md_KDATA.BIN at 0x80410004, dump_info.txt line 1 says 0x80410000; dump_info.txt kept",
         ["same:" + good], d)
    d = os.path.join(outdir, "form-cmm-mixed")
    copy_set(md, d, info=False)
    write_cmm(os.path.join(d, "load.cmm"), rows + [("DDR", 0x80000000, 0, "DDRCS0_0.BIN")])
    case("input: load.cmm of md files and RAM dumps", 3, "loads md files and RAM dumps both",
         [], os.path.join(d, "load.cmm"))
    cmm = os.path.join(samples, "cmm")
    case("input: load.cmm of RAM dumps", 0, "", ["same:" + good], os.path.join(cmm, "load.cmm"))
    case("input: a directory of RAM dumps and load.cmm", 0, "", ["same:" + good], cmm)
    case("input: RAM dump with --base", 0, "", ["same:" + good],
         os.path.join(samples, "ram.bin"), "--base", "0x80000000")
    case("input: rawdump", 0, "", ["same:" + good], os.path.join(samples, "rawdump.bin"))
    case("input: one md file", 2, "md_KDATA.BIN: one region of a collection: pass its directory",
         [], os.path.join(md, "md_KDATA.BIN"))
    case("input: RAM dump without --base", 2, "needs --base ADDR, or load.cmm",
         [], os.path.join(samples, "ram.bin"))
    case("input: an assembled ELF", 2, "an ELF file, not a dump: summary and dmesg read",
         [], os.path.join(samples, "expected.elf"))
    d = os.path.join(outdir, "form-empty")
    os.makedirs(d, exist_ok=True)
    case("input: a directory of neither", 3, "no md_\\*.BIN files and no load.cmm: pass", [], d)


def main():
    samples, outdir = sys.argv[1:]
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    sets = [("md", "md", "expected.elf", True), ("2026", "md2026", "expected-2026.elf", False),
            ("old", "old", "expected-old.elf", True), ("crash", "nt-crash", None, True)]
    goods = {}
    for name, sub, expected, banner in sets:
        goods[name] = damage(samples, outdir, name, os.path.join(samples, sub),
                             expected and os.path.join(samples, expected), banner)
    for name, sub, _, _ in sets[:3]:
        casings(outdir, name, os.path.join(samples, sub), goods[name])
    forms(samples, outdir, goods["md"])
    print("\n".join(out_lines))


if __name__ == "__main__":
    main()

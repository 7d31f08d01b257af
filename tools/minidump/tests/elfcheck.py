#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Checks of an assembled ELF core, independent of the tool.

  elfcheck.py same EXPECTED ACTUAL [--zero PADDR]...
      ACTUAL holds what EXPECTED (qdl's concatenation) holds: the same ELF
      header fields, the same program headers but for p_offset (and, with
      --zero, PADDR's segment all zeroes), each segment's bytes, and the
      same sections (name, type, address, size, bytes) but for sh_offset.

  elfcheck.py guards ELF
      No read that starts inside a PT_LOAD and stays in its physical page
      (VMCOREINFO's PAGESIZE, else 64 KiB) reaches another segment's bytes:
      after each PT_LOAD, up to the end of its last page, comes the memory
      that physically follows (the next PT_LOAD) or bytes 0xa5 or the end
      of the file. Also: no two segments share file bytes.

  elfcheck.py note ELF
      The PT_NOTE parses as a list of notes as BFD (gdb) parses one; prints
      the notes' names and the PT_NOTE's p_filesz.

  elfcheck.py check ELF [--same REF] [--like EXPECTED [--zero PADDR]...]
      note and guards; with --same, byte for byte REF; with --like, same.

  elfcheck.py batch FILE
      check, for each line of FILE: KEY and check's arguments, tab-separated;
      prints a line per KEY: "KEY<tab>ok", or KEY and the findings.

  elfcheck.py ramparse MDDIR OUT
      What Qualcomm ramparse's own builder makes of md files: the header
      file md_KELF_HEADER.BIN, then, for each name in its string table, in
      table order, md_NAME.BIN. Its rule for the names: from the first
      "STR_TBL" in the header's bytes on, each run of 3 or more bytes from
      '0' to 0x7f but "linux_banner", up to a NUL whose second and third
      next bytes are NULs (a read past the end of the header is an error).

Exit status 0 when the check holds; the reason on stderr otherwise.
"""

import os
import struct
import sys

PT_LOAD, PT_NOTE = 1, 4
GUARD = 0xa5


def parse(path):
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        sys.exit("%s: not a 64-bit little-endian ELF file" % path)
    (e_type, e_machine, _, _, phoff, shoff, _, _, phentsize, phnum, shentsize, shnum,
     shstrndx) = struct.unpack_from("<HHIQQQIHHHHHH", data, 16)
    phs = []
    for i in range(phnum):
        t, fl, off, va, pa, fsz, msz, al = struct.unpack_from("<IIQQQQQQ", data,
                                                              phoff + i * phentsize)
        phs.append({"type": t, "flags": fl, "offset": off, "vaddr": va, "paddr": pa,
                    "filesz": fsz, "memsz": msz, "align": al})
    shs = []
    for i in range(shnum):
        (name, t, fl, addr, off, size, link, info, al,
         es) = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
        shs.append({"name": name, "type": t, "flags": fl, "addr": addr, "offset": off,
                    "size": size, "link": link, "info": info, "align": al, "entsize": es})
    return {"data": data, "type": e_type, "machine": e_machine, "phs": phs, "shs": shs,
            "shstrndx": shstrndx}


def seg_bytes(elf, ph):
    return elf["data"][ph["offset"]:ph["offset"] + ph["filesz"]]


def sec_bytes(elf, sh):
    if sh["type"] == 8:     # SHT_NOBITS
        return b""
    return elf["data"][sh["offset"]:sh["offset"] + sh["size"]]


def sec_name(elf, sh):
    strtab = elf["shs"][elf["shstrndx"]]
    raw = elf["data"][strtab["offset"] + sh["name"]:strtab["offset"] + strtab["size"]]
    return raw.split(b"\0", 1)[0].decode(errors="replace")


def same(args):
    exp, act = parse(args[0]), parse(args[1])
    zero = set()
    rest = args[2:]
    while rest:
        if rest[0] != "--zero" or len(rest) < 2:
            sys.exit("usage: elfcheck.py same EXPECTED ACTUAL [--zero PADDR]...")
        zero.add(int(rest[1], 0))
        rest = rest[2:]
    bad = []
    for key in ("type", "machine", "shstrndx"):
        if exp[key] != act[key]:
            bad.append("ELF header %s: %r, expected %r" % (key, act[key], exp[key]))
    if len(exp["phs"]) != len(act["phs"]):
        bad.append("%d program headers, expected %d" % (len(act["phs"]), len(exp["phs"])))
    for i, (e, a) in enumerate(zip(exp["phs"], act["phs"])):
        for key in ("type", "flags", "vaddr", "paddr", "filesz", "memsz", "align"):
            if e[key] != a[key]:
                bad.append("program header %d: %s %#x, expected %#x" % (i, key, a[key], e[key]))
        want = seg_bytes(exp, e)
        if e["type"] == PT_LOAD and e["paddr"] in zero:
            want = bytes(len(want))
        if seg_bytes(act, a) != want:
            bad.append("program header %d: its bytes differ" % i)
    if len(exp["shs"]) != len(act["shs"]):
        bad.append("%d sections, expected %d" % (len(act["shs"]), len(exp["shs"])))
    for i, (e, a) in enumerate(zip(exp["shs"], act["shs"])):
        for key in ("name", "type", "flags", "addr", "size", "link", "info", "align",
                    "entsize"):
            if e[key] != a[key]:
                bad.append("section %d: %s %#x, expected %#x" % (i, key, a[key], e[key]))
        if i and sec_bytes(act, a) != sec_bytes(exp, e) and not (
                e["type"] == 1 and any(p["paddr"] in zero and p["offset"] == e["offset"]
                                       for p in exp["phs"])):
            bad.append("section %d (%s): its bytes differ" % (i, sec_name(exp, e)))
    return bad


def guards(args):
    elf = parse(args[0])
    page = 65536
    for ph in elf["phs"]:
        if ph["type"] == PT_NOTE:
            for line in seg_bytes(elf, ph).split(b"\n"):
                if line.startswith(b"PAGESIZE="):
                    page = int(line[9:])
                    break
            break
    data = elf["data"]
    bad = []
    spans = sorted((p["offset"], p["offset"] + p["filesz"], i)
                   for i, p in enumerate(elf["phs"]) if p["filesz"])
    for (s1, e1, i), (s2, e2, j) in zip(spans, spans[1:]):
        if s2 < e1:
            bad.append("program headers %d and %d share file bytes" % (i, j))
    loads = [p for p in elf["phs"] if p["type"] == PT_LOAD and p["filesz"]]
    for p in loads:
        end = p["paddr"] + p["filesz"]
        after = p["offset"] + p["filesz"]
        # The memory that follows, next in the file: its own guard covers the rest.
        if any(q["offset"] == after and q["paddr"] == end for q in loads):
            continue
        tail = data[after:after + (-end % page)]
        # A zero tail the kernel declared (p_memsz): zeroes in that page first.
        zero = min(p["memsz"] - p["filesz"], len(tail))
        if tail[:zero].strip(b"\0"):
            bad.append("PT_LOAD at %#x: its zero tail is not zero in the file" % p["paddr"])
        after += zero
        tail = tail[zero:]
        if tail.strip(bytes([GUARD])):
            at = after + len(tail) - len(tail.lstrip(bytes([GUARD])))
            bad.append("PT_LOAD at %#x: file byte %#x, %d past its end, is %#x: not a guard, "
                       "not the memory that follows" % (p["paddr"], at, at - after, data[at]))
    return bad


def note(args):
    elf = parse(args[0])
    notes = [p for p in elf["phs"] if p["type"] == PT_NOTE]
    if not notes:
        print("no PT_NOTE")
        return []
    ph = notes[0]
    buf = seg_bytes(elf, ph)
    if len(buf) != ph["filesz"]:
        return ["PT_NOTE runs past the end of the file"]
    names = []
    p = 0
    # BFD's elf_parse_notes(): every note's header, name and descriptor must fit.
    while p < len(buf):
        if p + 12 > len(buf):
            return ["PT_NOTE: %d bytes at %#x are no note header" % (len(buf) - p, p)]
        namesz, descsz, _ = struct.unpack_from("<III", buf, p)
        name_end = p + 12 + ((namesz + 3) & ~3)
        if p + 12 + namesz > len(buf) or name_end + descsz > len(buf):
            return ["PT_NOTE: note at %#x runs past the segment" % p]
        names.append(buf[p + 12:p + 12 + namesz].rstrip(b"\0").decode(errors="replace"))
        p = name_end + ((descsz + 3) & ~3)
    print("PT_NOTE %d bytes: %s" % (ph["filesz"], " ".join(names) or "no notes"))
    return []


def check(args):
    elf, rest = args[0], args[1:]
    ref = like = None
    zero = []
    while len(rest) >= 2:
        opt, val, rest = rest[0], rest[1], rest[2:]
        if opt == "--same":
            ref = val
        elif opt == "--like":
            like = val
        elif opt == "--zero":
            zero += ["--zero", val]
        else:
            sys.exit(__doc__)
    with open(os.devnull, "w") as null:
        saved, sys.stdout = sys.stdout, null
        try:
            bad = note([elf]) + guards([elf])
        finally:
            sys.stdout = saved
    if ref and open(ref, "rb").read() != open(elf, "rb").read():
        bad.append("not byte for byte %s" % ref)
    if like:
        bad += same([like, elf] + zero)
    return bad


def ramparse(args):
    mddir, out = args
    with open(os.path.join(mddir, "md_KELF_HEADER.BIN"), "rb") as f:
        hdr = f.read()
    at = hdr.find(b"STR_TBL")
    if at < 0:
        return ["no STR_TBL in the header"]
    names, run, p = [], b"", at + len("STR_TBL")
    while True:
        if p >= len(hdr):
            return ["the string table runs off the header"]
        c = hdr[p]
        if 0x30 <= c < 0x80:
            run += bytes([c])
        else:
            if len(run) >= 3 and run != b"linux_banner":
                names.append(run.decode())
            run = b""
            if c == 0:
                if p + 3 >= len(hdr):
                    return ["no end to the string table in the header"]
                if hdr[p + 2] == 0 and hdr[p + 3] == 0:
                    break
        p += 1
    data = hdr
    for n in names:
        path = os.path.join(mddir, "md_%s.BIN" % n)
        if not os.path.exists(path):
            return ["md_%s.BIN: no such file (names: %s)" % (n, " ".join(names))]
        with open(path, "rb") as f:
            data += f.read()
    with open(out, "wb") as f:
        f.write(data)
    return []


def batch(args):
    """Each line of args[0]: KEY, then check's arguments, tab-separated;
    prints KEY and "ok" or the first finding, tab-separated."""
    for line in open(args[0]):
        key, *rest = line.rstrip("\n").split("\t")
        try:
            bad = check(rest)
        except Exception as e:      # a file not written, not an ELF file
            bad = ["%s: %s" % (rest[0], e)]
        print("%s\t%s" % (key, "; ".join(bad[:3]) if bad else "ok"))
    return []


def main():
    checks = {"same": same, "guards": guards, "note": note, "check": check, "batch": batch,
              "ramparse": ramparse}
    if len(sys.argv) < 3 or sys.argv[1] not in checks:
        sys.exit(__doc__)
    bad = checks[sys.argv[1]](sys.argv[2:])
    for b in bad[:10]:
        print("%s: %s" % (sys.argv[3] if sys.argv[1] == "same" else sys.argv[2], b),
              file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

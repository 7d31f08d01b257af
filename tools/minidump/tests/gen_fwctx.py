#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Generate watchdog-bite dumps with firmware-saved CPU context, for the tests.

Each set is a directory of md files and dump_info.txt, like gen.py's, whose
kernel note holds VMCOREINFO alone (no Linux code ran), plus:

  KMEMDUMP     the memory dump table v2 block: root table, apps table, one
               msm_dump_data per CPU (magic and version as firmware sets them)
  KCPU_CTX<n>  each CPU's context buffer, format 1.4, 0x800 bytes
  KMODULES     "name: X, base: ADDR" lines

The sets (fw-NAME) each change one thing; tests/fwctx.sh says what each
must give. CPU 1 took the watchdog (status 0x03), CPU 0 was signalled
(0x05): the tool must put CPU 1 first. CPU 0 is at EL1h, CPU 1 at EL1t, so
the stack pointer must come from sp_el1 and sp_el0 respectively.

usage: gen_fwctx.py OUTDIR          the sets
       gen_fwctx.py --seed FILE     one blob for the fwctx fuzzer: the
                                    table, the data entries and the buffers,
                                    addressed as if loaded at 0x80000000
       gen_fwctx.py --ram OUTDIR SMEM_IMAGE
                                    for the demo's emulated firmware
                                    (scripts/demo/tz_save_ctx.py): ram.bin,
                                    the memdump set in RAM at BASE as the
                                    kernel leaves it at a bite (buffers
                                    zero, no magic), and vcpus.elf, the
                                    vCPUs' registers as qemu's
                                    dump-guest-memory writes them
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen  # noqa: E402

BASE = gen.BASE
VBASE = 0xffff800080000000
MEMDUMP = BASE + 0x800000
CTX = BASE + 0x810000           # + cpu * 0x1000
MODULES = BASE + 0x820000
MODULE_TEXT = 0xffff80007a3f0000
MAGIC, VERSION = 0x42445953, 0x14
EL1H, EL1T = 0x3c5, 0x3c4       # PSTATE: DAIF masked, M = EL1h / EL1t

# What each CPU's registers are: x_i = BASE_X + i, pc, sp_el1, sp_el0.
CPUS = {
    0: {"status": 0x05, "pc": 0xffffffc080123450, "sp_el1": 0xffffffc082003e00,
        "sp_el0": 0xffff0000c0de0000, "pstate": EL1H},
    1: {"status": 0x03, "pc": MODULE_TEXT + 0x24, "sp_el1": 0xffffffc082013e00,
        "sp_el0": 0xffffffc0820a7f00, "pstate": EL1T},
}


def ctx_buffer(cpu, c, zero=False, pc_invalid=False):
    """A format 1.4 buffer, 0x800 bytes."""
    b = bytearray(0x800)
    if zero:
        return bytes(b)
    struct.pack_into("<4I", b, 0, 0, c["status"], 0, 0)
    regs = [(cpu << 12) + 0x100 + i for i in range(31)]
    struct.pack_into("<31Q", b, 0x10, *regs)
    struct.pack_into("<Q", b, 0x108, 0 if pc_invalid else c["pc"])
    struct.pack_into("<Q", b, 0x110, 1 << 2)                        # currentEL
    struct.pack_into("<3Q", b, 0x118, 0x1000, c["pc"] if pc_invalid else 0, 0x3cd)
    struct.pack_into("<3Q", b, 0x148, c["sp_el1"], 0, 0)
    struct.pack_into("<Q", b, 0x160, c["sp_el0"])
    struct.pack_into("<Q", b, 0x168, 1 if pc_invalid else 0)
    struct.pack_into("<Q", b, 0x170, c["pstate"])
    return bytes(b)


def entry(eid, name, etype, addr):
    return struct.pack("<I32sIQ", eid, name, etype, addr)


def memdump(base, ctx_addr, data_fix=None, root_version=0x00200000):
    """The table block at physical base: root at +0, apps at +0x100, data at +0x200."""
    b = bytearray(0x400)
    struct.pack_into("<II", b, 0, root_version, 1)
    b[8:8 + 48] = entry(0, b"apps", 1, base + 0x100)
    struct.pack_into("<II", b, 0x100, 0x00200000, len(CPUS))
    for i, cpu in enumerate(sorted(CPUS)):
        b[0x108 + 48 * i:0x108 + 48 * (i + 1)] = entry(cpu, b"CPU%d_REG" % cpu, 0,
                                                       base + 0x200 + 64 * cpu)
        d = {"version": VERSION, "magic": MAGIC, "addr": ctx_addr(cpu), "len": 0x800}
        if data_fix:
            data_fix(cpu, d)
        struct.pack_into("<II32sQQI", b, 0x200 + 64 * cpu, d["version"], d["magic"],
                         b"CPU%d_REG" % cpu, d["addr"], d["len"], 0)
    return bytes(b)


def region(name, addr, data):
    return {"name": name, "data": data, "addr": addr, "vaddr": VBASE + (addr - BASE)}


def dump(notes, memdump_block=True, data_fix=None, zero=(), pc_invalid=(), root_version=0x00200000,
         modules=b"name: qcom_minidump_sample, base: 0x%x\nname: other_mod, base: 0xffff80007a500000\n"
         % MODULE_TEXT):
    """The regions of one set, in table order: the header first."""
    regions = [region("KBANNER", BASE + gen.LAYOUT["KBANNER"],
                      gen.BANNER + bytes(-len(gen.BANNER) % 4))]
    if memdump_block:
        regions.append(region("KMEMDUMP", MEMDUMP,
                              memdump(MEMDUMP, lambda cpu: CTX + cpu * 0x1000, data_fix,
                                      root_version)))
    for cpu in sorted(CPUS):
        regions.append(region("KCPU_CTX%d" % cpu, CTX + cpu * 0x1000,
                              ctx_buffer(cpu, CPUS[cpu], cpu in zero, cpu in pc_invalid)))
    if modules is not None:
        regions.append(region("KMODULES", MODULES, modules + bytes(256 - len(modules))))
    note_r = {"name": "KVMCOREINFO", "data": notes, "addr": BASE + gen.LAYOUT["KVMCOREINFO"],
              "filesz": len(notes)}
    hdr = {"name": "KELF_HEADER", "data": gen.elf_header(regions, note_r, 4096),
           "addr": BASE + gen.LAYOUT["KELF_HEADER"]}
    return [hdr, note_r] + regions


def bite_notes():
    return gen.vmcoreinfo("0")


def sets():
    def fix(field, value, cpu_only=1):
        def f(cpu, d):
            if cpu == cpu_only:
                d[field] = value
        return f

    panic = gen.note("CORE", 1, gen.prstatus(0, gen.PANIC_HERE, 0xffffffc082003e40))
    return {
        "memdump": dump(bite_notes()),
        "cpuctx": dump(bite_notes(), memdump_block=False),
        "zero": dump(bite_notes(), zero=(1,)),
        "nomagic": dump(bite_notes(), data_fix=fix("magic", 0)),
        "badmagic": dump(bite_notes(), data_fix=fix("magic", 0x42444832)),
        "badversion": dump(bite_notes(), data_fix=fix("version", 0x20)),
        "badtable": dump(bite_notes(), root_version=0x00100000),
        "outside": dump(bite_notes(), data_fix=fix("addr", BASE + 0x900000)),
        "pastend": dump(bite_notes(), data_fix=fix("addr", CTX + 0x1000 + 0x700)),
        "pcinvalid": dump(bite_notes(), pc_invalid=(0,)),
        "panic": dump(bite_notes() + panic),
        "badmods": dump(bite_notes(), modules=b"name: ../evil, base: 0x1000\nname: ok, base: zz\n"
                        b"garbage\nname: good_mod, base: 0xffff800000001000\n"),
        "trunc": dump(bite_notes()),    # fwctx.sh cuts md_KCPU_CTX1.BIN
    }


def seed():
    """Everything in one blob at 0x80000000: table at 0, buffers at 0x400 + cpu * 0x800."""
    blob = memdump(0x80000000, lambda cpu: 0x80000400 + cpu * 0x800)
    for cpu in sorted(CPUS):
        blob += ctx_buffer(cpu, CPUS[cpu])
    return blob


def vcpus_elf():
    """An ELF core with one NT_PRSTATUS per vCPU (pr_pid = vCPU + 1), as qemu
    writes: x0-x30, the SP in use (sp_el1 at EL1h, sp_el0 at EL1t), pc, pstate."""
    notes = b""
    for cpu in sorted(CPUS):
        c = CPUS[cpu]
        d = bytearray(392)
        struct.pack_into("<i", d, 0x20, cpu + 1)
        sp = c["sp_el1"] if c["pstate"] & 0xf == 5 else c["sp_el0"]
        regs = [(cpu << 12) + 0x100 + i for i in range(31)] + [sp, c["pc"], c["pstate"]]
        struct.pack_into("<34Q", d, 0x70, *regs)
        notes += gen.note("CORE", 1, bytes(d))
    ehdr = (b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8) +
            struct.pack("<HHIQQQIHHHHHH", 4, gen.EM_AARCH64, 1, 0, 64, 0, 0, 64, 56, 1, 64, 0, 0))
    phdr = struct.pack("<IIQQQQQQ", 4, 0, 64 + 56, 0, 0, len(notes), 0, 4)
    return ehdr + phdr + notes


def write_ram(outdir, smem_path):
    """The memdump set in RAM before firmware saved anything, and the vCPUs."""
    os.makedirs(outdir, exist_ok=True)
    regions = dump(bite_notes(), data_fix=lambda cpu, d: d.update(magic=0, version=0),
                   zero=tuple(CPUS))
    with open(smem_path, "rb") as f:
        gen.write_ram(outdir, regions, f.read(), cmm=False)
    with open(os.path.join(outdir, "vcpus.elf"), "wb") as f:
        f.write(vcpus_elf())


def main():
    if sys.argv[1] == "--ram":
        write_ram(sys.argv[2], sys.argv[3])
        return
    if sys.argv[1] == "--seed":
        with open(sys.argv[2], "wb") as f:
            f.write(seed())
        return
    for name, regions in sets().items():
        gen.write_md(sys.argv[1], regions, sub="fw-" + name)


if __name__ == "__main__":
    main()

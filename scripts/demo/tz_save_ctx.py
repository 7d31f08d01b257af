#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The demo's secure firmware at a watchdog bite: save each CPU's registers.

usage: tz_save_ctx.py RAM BASE VCPUS MINIDUMP [--watchdog-cpu N]

On a Snapdragon device, a watchdog bite traps every CPU into the secure
firmware (TZ), which saves each CPU's registers into the CPU context buffer
the kernel published for it, and only then does the dump. This script plays
that part, after qemu has stopped the guest and saved its RAM:

  RAM       the saved RAM image (pmemsave), loaded at physical BASE; written
            in place, at physical offsets (RAM offset = address - BASE)
  VCPUS     an ELF core of qemu's QMP dump-guest-memory (paging false, a
            small begin/length): one NT_PRSTATUS per vCPU, pr_pid = vCPU + 1,
            x0-x30, sp (the SP in use), pc, pstate
  MINIDUMP  tools/minidump/minidump, to read the minidump table of contents

How the buffers are found: real TZ reads the memory dump table's address
from shared IMEM (+0x10) or is given it by an SCM call; qemu's virt board
has neither, so here the address comes from the APSS minidump table's
region named KMEMDUMP (the kernel registers the table block under that
name), read with "minidump list". From there the walk is TZ's: root table
(v2), its "apps" table entry, the apps table's CPU context data entries
(id 0x00 + cpu), each msm_dump_data's addr/len: the CPU's buffer.

What is written, for each vCPU the table has an entry for, format 1.4:
status[1] 0x01 (non-secure) | 0x02 for the CPU that took the watchdog
(--watchdog-cpu, default 0: the demo's bite wedges every CPU alike, so the
choice is arbitrary, and CPU 0 is where a bite's FIQ is routed on most
boards) or 0x04 (signalled) for the others; x0-x30; pc; currentEL; the
stack pointer qemu reports, in the slot PSTATE.M says is in use (sp_el1 at
EL1h, as TZ saves the banked SP_EL1; sp_el0 at EL1t/EL0t): qemu's gdbstub
reads SP_EL1 as 0 at EL1h, so the core SP is the one to save; elr_el3 = pc
and spsr_el3 = pstate, as the bite's exception into EL3 would leave them;
cpu_state_0 = 0 (pc valid), cpu_state_1 = PSTATE. Not emulated (left
zero): SP_EL0 at EL1h, ELR_EL1, SPSR_EL1, the EL2 registers, the FP/SIMD
block. Then the data entry's magic (0x42445953) and version (0x14), last,
as TZ marks a buffer written.

Prints one line per CPU; exits 1 if the table cannot be found or walked.
"""

import json
import struct
import subprocess
import sys

TABLE_V2 = 0x00200000
TYPE_DATA, TYPE_TABLE = 0, 1
ID_APPS = 0
MAGIC, VERSION_14 = 0x42445953, 0x14
CTX_SIZE = 0x800
NONSECURE, WATCHDOG, SIGNALLED = 0x01, 0x02, 0x04


def die(msg):
    print("tz: " + msg, file=sys.stderr)
    sys.exit(1)


def vcpu_registers(path):
    """{cpu: [x0..x30, sp, pc, pstate]} from dump-guest-memory's NT_PRSTATUS notes."""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        die("%s: not a 64-bit little-endian ELF" % path)
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    regs = {}
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", data,
                                                                 phoff + i * phentsize)
        if p_type != 4:
            continue
        off, end = p_offset, p_offset + p_filesz
        while off + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, off)
            name = data[off + 12:off + 12 + namesz].rstrip(b"\0")
            desc = off + 12 + ((namesz + 3) & ~3)
            if name == b"CORE" and ntype == 1 and descsz == 392:
                pid, = struct.unpack_from("<i", data, desc + 0x20)
                regs[pid - 1] = list(struct.unpack_from("<34Q", data, desc + 0x70))
            off = desc + ((descsz + 3) & ~3)
    if not regs:
        die("%s: no NT_PRSTATUS" % path)
    return regs


def memdump_address(minidump, ram, base):
    """The KMEMDUMP region's physical address, from the APSS table of contents."""
    out = subprocess.run([minidump, "list", "--json", ram, "--base", base],
                         capture_output=True, text=True)
    try:
        regions = json.loads(out.stdout)["regions"]
    except (ValueError, KeyError):
        die("minidump list: %s" % out.stderr.strip())
    for r in regions:
        if r["name"] == "KMEMDUMP" and r["valid"] and r["address"]:
            return int(r["address"], 16), r["size"]
    die("no valid KMEMDUMP region in the minidump table: nothing tells firmware where "
        "the CPU context buffers are")


class Ram:
    def __init__(self, path, base):
        self.f = open(path, "r+b")
        self.base = base
        self.f.seek(0, 2)
        self.size = self.f.tell()

    def _at(self, addr, n):
        if addr < self.base or addr + n > self.base + self.size:
            die("%#x (+%#x) is not in RAM" % (addr, n))
        self.f.seek(addr - self.base)

    def read(self, addr, n):
        self._at(addr, n)
        return self.f.read(n)

    def write(self, addr, blob):
        self._at(addr, len(blob))
        self.f.write(blob)


def table(ram, addr, what):
    version, n = struct.unpack("<II", ram.read(addr, 8))
    if version != TABLE_V2 or n > 256:
        die("%s at %#x: version %#x, %d entries: not a v2 table" % (what, addr, version, n))
    return [struct.unpack("<I32sIQ", ram.read(addr + 8 + 48 * i, 48)) for i in range(n)]


def context_buffer(status, r):
    """Format 1.4, from [x0..x30, sp, pc, pstate]."""
    b = bytearray(CTX_SIZE)
    x, sp, pc, pstate = r[:31], r[31], r[32], r[33]
    mode = pstate & 0xf
    struct.pack_into("<4I", b, 0, 0, status, 0, 0)
    struct.pack_into("<31Q", b, 0x10, *x)
    struct.pack_into("<Q", b, 0x108, pc)
    struct.pack_into("<Q", b, 0x110, pstate & 0xc)                  # CurrentEL
    struct.pack_into("<3Q", b, 0x118, 0, pc, pstate)                # sp/elr/spsr_el3
    if mode == 0x5:
        struct.pack_into("<Q", b, 0x148, sp)                        # sp_el1
    elif mode in (0x0, 0x4):
        struct.pack_into("<Q", b, 0x160, sp)                        # sp_el0
    else:
        die("a vCPU at PSTATE.M %#x: not a state this emulation saves" % mode)
    struct.pack_into("<QQ", b, 0x168, 0, pstate)                    # cpu_state_0, _1
    return bytes(b)


def main():
    args = sys.argv[1:]
    watchdog = 0
    if "--watchdog-cpu" in args:
        i = args.index("--watchdog-cpu")
        watchdog = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 4:
        die(__doc__.splitlines()[2])
    ram_path, base, vcpus, minidump = args
    regs = vcpu_registers(vcpus)
    ram = Ram(ram_path, int(base, 0))
    root_addr, size = memdump_address(minidump, ram_path, base)
    print("tz: memory dump table at %#x (%d bytes, the minidump table's KMEMDUMP)"
          % (root_addr, size))
    apps = [e for e in table(ram, root_addr, "root table")
            if e[0] == ID_APPS and e[2] == TYPE_TABLE]
    if len(apps) != 1:
        die("the root table has %d apps tables" % len(apps))
    saved = 0
    for eid, _, etype, data_addr in table(ram, apps[0][3], "apps table"):
        if etype != TYPE_DATA or eid >= 0x20:
            continue
        cpu = eid
        _, _, name, buf, length, _ = struct.unpack("<II32sQQI4x", ram.read(data_addr, 64))
        if cpu not in regs:
            print("tz: CPU %d: no such vCPU, buffer left zero" % cpu)
            continue
        if length < CTX_SIZE:
            die("CPU %d: buffer of %d bytes, format 1.4 needs %d" % (cpu, length, CTX_SIZE))
        status = NONSECURE | (WATCHDOG if cpu == watchdog else SIGNALLED)
        ram.write(buf, context_buffer(status, regs[cpu]))
        ram.write(data_addr, struct.pack("<II", VERSION_14, MAGIC))
        saved += 1
        print("tz: CPU %d: %s status %#x, pc %#x, sp %#x, pstate %#x -> %s at %#x"
              % (cpu, "took the watchdog," if cpu == watchdog else "signalled,", status,
                 regs[cpu][32], regs[cpu][31], regs[cpu][33],
                 name.rstrip(b"\0").decode(errors="replace"), buf))
    if not saved:
        die("no CPU context entry in the apps table")
    ram.f.close()


if __name__ == "__main__":
    main()

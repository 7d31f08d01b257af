# SPDX-License-Identifier: GPL-2.0-only
#
# What drgn-bt.py and drgn-bite.py share: a drgn Program on a minidump's
# ELF core, vmlinux's debug info, and the modules the dump names placed
# where they ran (their .text from "minidump summary": the QCOM_MINIDUMP
# note after a panic, the KMODULES lines after a bite). Any drgn version;
# modules only where drgn has relocatable_module() (0.1 and later).
import os
import re
import subprocess
import sys

import drgn

MINIDUMP = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "../../tools/minidump/minidump")


def open_dump(core, vmlinux, module_dir):
    """The Program, and what "minidump summary" says of the core."""
    prog = drgn.Program()
    prog.set_core_dump(core)
    try:
        prog.load_debug_info([vmlinux])
    except drgn.MissingDebugInfoError as e:
        print("drgn:", str(e).splitlines()[0], file=sys.stderr)

    summary = subprocess.run([MINIDUMP, "summary", core], capture_output=True,
                             text=True).stdout
    placed = sorted({(int(text, 16), name) for name, text in
                     re.findall(r"^module: (\S+) \.text at (0x[0-9a-f]+)", summary, re.M)})
    for i, (start, name) in enumerate(placed):
        if not hasattr(prog, "relocatable_module"):
            break
        # Up to 64 KiB of code, and not into the next module's.
        end = start + 0x10000
        if i + 1 < len(placed):
            end = min(end, placed[i + 1][0])
        for root, _, files in os.walk(module_dir):
            if name + ".ko" in files:
                mod = prog.relocatable_module(name, start, create=True)
                if isinstance(mod, tuple):
                    mod = mod[0]
                mod.section_addresses[".text"] = start
                mod.address_range = (start, end)
                mod.try_file(os.path.join(root, name + ".ko"), force=True)
                break
    return prog, summary

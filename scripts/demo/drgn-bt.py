# SPDX-License-Identifier: GPL-2.0-only
#
# drgn-bt.py CORE VMLINUX MODULE_DIR: the crashed thread's stack trace, as
# drgn prints it, with the modules the dump names (the "QCOM_MINIDUMP" note,
# through "minidump summary") placed where they ran. Any drgn version;
# modules only where drgn has relocatable_module() (0.1 and later).
import os
import re
import subprocess
import sys

import drgn

core, vmlinux, module_dir = sys.argv[1:4]
minidump = os.path.join(os.path.dirname(__file__), "../../tools/minidump/minidump")

prog = drgn.Program()
prog.set_core_dump(core)
try:
    prog.load_debug_info([vmlinux])
except drgn.MissingDebugInfoError as e:
    print("drgn:", str(e).splitlines()[0], file=sys.stderr)

summary = subprocess.run([minidump, "summary", core], capture_output=True, text=True).stdout
placed = sorted({(int(text, 16), name) for name, text in
                 re.findall(r"^module: (\S+) \.text at (0x[0-9a-f]+)", summary, re.M)})
for i, (start, name) in enumerate(placed):
    if not hasattr(prog, "relocatable_module"):
        break
    # Up to 64 KiB of code, and not into the next module's.
    end = start + 0x10000
    if i + 1 < len(placed):
        end = min(end, placed[i + 1][0])
    text = hex(start)
    for root, _, files in os.walk(module_dir):
        if name + ".ko" in files:
            mod = prog.relocatable_module(name, int(text, 16), create=True)
            if isinstance(mod, tuple):
                mod = mod[0]
            mod.section_addresses[".text"] = int(text, 16)
            mod.address_range = (start, end)
            mod.try_file(os.path.join(root, name + ".ko"), force=True)
            break

thread = prog.crashed_thread()
print("crashed thread: pid", thread.tid)
print(thread.stack_trace())

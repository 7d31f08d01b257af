# SPDX-License-Identifier: GPL-2.0-only
#
# drgn-bt.py CORE VMLINUX MODULE_DIR: the crashed thread's stack trace, as
# drgn prints it, with the modules the dump names (the "QCOM_MINIDUMP" note,
# through "minidump summary") placed where they ran. Any drgn version;
# modules only where drgn has relocatable_module() (0.1 and later).
import sys

from drgn_dump import open_dump

core, vmlinux, module_dir = sys.argv[1:4]
prog, _ = open_dump(core, vmlinux, module_dir)

thread = prog.crashed_thread()
print("crashed thread: pid", thread.tid)
print(thread.stack_trace())

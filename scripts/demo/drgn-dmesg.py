#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Print the kernel log of a core dump with drgn's get_dmesg().

Usage: drgn-dmesg.py CORE VMLINUX. Works with the drgn of whichever Python
runs it: the demo runs it with the current drgn from PyPI and with Debian's.
"""

import sys

import drgn
from drgn.helpers.linux.printk import get_dmesg


def main():
    prog = drgn.Program()
    prog.set_core_dump(sys.argv[1])
    prog.load_debug_info([sys.argv[2]])
    sys.stdout.write(get_dmesg(prog).decode(errors="replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

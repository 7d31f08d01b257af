# SPDX-License-Identifier: GPL-2.0-only
#
# drgn-bite.py CORE VMLINUX MODULE_DIR: after a watchdog bite, every CPU's
# stack trace as drgn prints it, from the registers firmware saved (the
# NT_PRSTATUS notes "minidump assemble" made of the CPU context buffers)
# and the live stacks and tasks the kernel keeps in the dump (KTASK<cpu>,
# KSTACK<cpu>_<page>). Each CPU's task is the one a KTASK region
# holds whose stack has the CPU's saved stack pointer: at a bite nothing
# else says which task a CPU ran (the runqueues are not in the dump).
# Modules are placed where the dump's KMODULES lines say (drgn_dump.py).
# drgn 0.1 or later.
#
# Prints, per CPU: "cpu N: pid P (COMM)", then the trace; exits 1 if a CPU
# has no task or no trace.
import re
import sys

import drgn

from drgn_dump import open_dump

core, vmlinux, module_dir = sys.argv[1:4]
prog, summary = open_dump(core, vmlinux, module_dir)

# The CPUs firmware saved, in the notes' order (the watchdog's first), and
# their stack pointers.
cpus = [(int(c), int(sp, 16)) for c, sp in
        re.findall(r"^  cpu (\d+): pc 0x[0-9a-f]+, lr 0x[0-9a-f]+, sp (0x[0-9a-f]+)", summary, re.M)]
# Every task the dump holds a KTASK region of: a CPU's current one, and
# the other bank's, which the kernel may have just switched away from.
tasks = [int(v, 16) for v in re.findall(r"^\s+LOAD\s+KTASK\S*\s+(0x[0-9a-f]+)", summary, re.M)]
try:
    thread_size = drgn.sizeof(prog.type("union thread_union"))
except (LookupError, ValueError):
    thread_size = 16 << 10


def task_of(cpu, sp):
    """The KTASK task whose stack holds the CPU's saved stack pointer."""
    for addr in tasks:
        task = drgn.Object(prog, "struct task_struct *", addr)
        try:
            stack = task.stack.value_()
            if stack <= sp < stack + thread_size:
                return task
        except drgn.FaultError:
            continue
    return None


status = 0
for cpu, sp in cpus:
    task = task_of(cpu, sp)
    if task is None:
        print("cpu %d: no KTASK region holds a task whose stack has sp %#x" % (cpu, sp))
        status = 1
        continue
    try:
        print("cpu %d: pid %d (%s)" % (cpu, task.pid.value_(), task.comm.string_().decode()))
        print(prog.stack_trace(task))
    except drgn.FaultError as e:
        print("cpu %d: %s" % (cpu, e))
        status = 1
sys.exit(status)

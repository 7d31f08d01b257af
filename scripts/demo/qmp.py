#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Send QMP commands to a qemu monitor socket, one JSON object per argument.

Prints each reply; exits 1 if any command returns an error.
"""

import json
import socket
import sys


def main():
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(120)
    sock.connect(sys.argv[1])
    stream = sock.makefile("rw")

    def reply():
        while True:
            msg = json.loads(stream.readline())
            if "event" not in msg:
                return msg

    reply()  # greeting
    status = 0
    for cmd in ["{\"execute\": \"qmp_capabilities\"}"] + sys.argv[2:]:
        stream.write(cmd + "\n")
        stream.flush()
        if json.loads(cmd).get("execute") == "quit":
            # qemu answers, then hangs up; wait for that, so it sees the command.
            try:
                while stream.readline():
                    pass
            except OSError:
                pass
            break
        msg = reply()
        if "error" in msg:
            print("qmp: %s: %s" % (cmd, msg["error"].get("desc")), file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())

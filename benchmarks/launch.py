"""Run one command; write its wall time and peak RSS to a file (the runner's measuring wrapper).

Why a wrapper: on Linux a process's peak RSS (``ru_maxrss``) starts from the
resident size of the process it was started from, because exec carries the
old high-water mark over. Started from the runner, every measured command
would weigh at least as much as the runner. Started from this small process,
which imports nothing beyond the interpreter's start-up, the figure is the
command's own (no Python command is smaller than a bare interpreter).

The child inherits standard input, output and error. The report is one line
of JSON: ``{"seconds": ..., "peak_rss_bytes": ..., "status": ...}``; status
is the exit status, or minus the signal that ended the child.

Usage: ``python benchmarks/launch.py REPORT.json PROGRAM [ARG...]`` (PROGRAM an absolute path).
"""

import os
import sys
import time


def main() -> int:
    report, argv = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    # ru_maxrss is in kilobytes on Linux and in bytes on macOS.
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    code = os.waitstatus_to_exitcode(status)
    with open(report, "w", encoding="ascii") as out:
        out.write('{"seconds": %r, "peak_rss_bytes": %d, "status": %d}\n' % (seconds, peak, code))
    return 0


if __name__ == "__main__":
    sys.exit(main())

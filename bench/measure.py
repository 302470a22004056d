"""``python -m bench.measure RESULT_FILE CMD...``: run CMD (its stdout and stderr passed through)
and write ``{"code", "wall_s", "cpu_s", "peak_rss_mib"}`` to RESULT_FILE.

Why a middleman: a process forked from a large one starts with the parent's peak RSS on its
books, and exec keeps it, so the bench (gigabytes after its OCR runs) cannot read a child's own
peak from ``wait4``; a child of this small process starts clean."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    result, cmd = argv[0], argv[1:]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    with open(result, "w", encoding="utf-8") as fh:
        json.dump({"code": code, "wall_s": time.perf_counter() - started, "cpu_s": usage.ru_utime + usage.ru_stime,
                   "peak_rss_mib": usage.ru_maxrss / 1024}, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

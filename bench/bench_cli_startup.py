"""How long ``dealbrief deal junshi`` takes as a whole process, against Python itself.

The baseline is ``python -c "import sqlite3, click"``: the least any command of this program
can cost. The two are run alternately (so a busy moment of the machine hits both alike) on a
database with the curated facts, and the medians compared.

    .venv/bin/python bench/bench_cli_startup.py --runs 15
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = [sys.executable, "-c", "import sqlite3, click"]
LOOKUP = "dealbrief deal junshi"
# An installed program runs from byte code written at install time; let the first, unmeasured
# run write it here too, even where the environment asks Python not to.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str]) -> tuple[float, float, float]:
    """Wall-clock seconds, CPU seconds (user and system: steadier on a busy machine) and peak
    memory (MB) of one run; a failing command stops the benchmark."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=ENVIRONMENT)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} failed with status {process.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024  # Linux reports kilobytes


def dealbrief(*args: str) -> list[str]:
    return [sys.executable, "-m", "dealbrief", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "curated.db")
        subprocess.run(dealbrief("--db", db, "init"), check=True, capture_output=True)
        lookup = dealbrief("--db", db, "deal", "junshi")
        measure(lookup)  # once unmeasured: byte code and template caches as after a first run
        runs: dict[str, list[tuple[float, float, float]]] = {"baseline": [], "deal": []}
        for _ in range(args.runs):
            runs["baseline"].append(measure(BASELINE))
            runs["deal"].append(measure(lookup))
    medians = {
        name: [statistics.median(run[i] for run in got) for i in range(3)]
        for name, got in runs.items()
    }
    for name, label in (("baseline", "python -c 'import sqlite3, click'"), ("deal", LOOKUP)):
        seconds, cpu, megabytes = medians[name]
        print(
            f"{label:34} median {seconds * 1000:5.0f} ms (CPU {cpu * 1000:4.0f} ms), "
            f"peak memory {megabytes:3.0f} MB"
        )
    wall, cpu = (medians["deal"][i] / medians["baseline"][i] for i in (0, 1))
    print(f"ratio {wall:.2f} wall-clock, {cpu:.2f} CPU (over {args.runs} alternated runs each)")


if __name__ == "__main__":
    main()

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


def measure(command: list[str]) -> tuple[float, float]:
    """Wall-clock seconds and peak memory (MB) of one run; a failing command stops the run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=ENVIRONMENT)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command} failed with status {process.returncode}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


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
        runs: dict[str, list[tuple[float, float]]] = {"baseline": [], "deal": []}
        for _ in range(args.runs):
            runs["baseline"].append(measure(BASELINE))
            runs["deal"].append(measure(lookup))
    medians = {
        name: (statistics.median(r[0] for r in got), statistics.median(r[1] for r in got))
        for name, got in runs.items()
    }
    for name, label in (("baseline", "python -c 'import sqlite3, click'"), ("deal", LOOKUP)):
        seconds, megabytes = medians[name]
        print(f"{label:34} median {seconds * 1000:5.0f} ms, peak memory {megabytes:4.0f} MB")
    ratio = medians["deal"][0] / medians["baseline"][0]
    print(f"ratio {ratio:.2f} (over {args.runs} alternated runs each)")


if __name__ == "__main__":
    main()

"""How long ``dealbrief deal junshi`` takes as a whole process, against Python itself.

The baseline is ``python -c "import sqlite3, click"``: the least any command of this program
can cost. The two are run alternately (so a busy moment of the machine hits both alike) on a
database with the curated facts, and the medians compared.

    .venv/bin/python bench/bench_cli_startup.py --runs 15
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINE = [sys.executable, "-c", "import sqlite3, click"]


def elapsed(command: list[str]) -> float:
    """Wall-clock seconds of one run; a failing command stops the benchmark."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


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
        elapsed(lookup)  # once unmeasured: byte code and template caches as after a first run
        times: dict[str, list[float]] = {"baseline": [], "deal": []}
        for _ in range(args.runs):
            times["baseline"].append(elapsed(BASELINE))
            times["deal"].append(elapsed(lookup))
    base, deal = (statistics.median(times[k]) for k in ("baseline", "deal"))
    print(f"python -c 'import sqlite3, click'  median {base * 1000:6.0f} ms")
    print(f"dealbrief deal junshi             median {deal * 1000:6.0f} ms")
    print(f"ratio {deal / base:.2f} (over {args.runs} alternated runs each)")


if __name__ == "__main__":
    main()

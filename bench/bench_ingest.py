"""Extraction throughput on ~5 KB documents, one core: documents per second and p50/p99 latency.

Run: .venv/bin/python bench/bench_ingest.py [--docs 400] [--baseline REV]
Documents are built from the labelled evaluation articles plus neutral filler paragraphs, and
extraction runs with 300 known company names, as a stocked knowledge base would give it.
Extraction is also stated as a ratio to a floor measured in the same run: bare Python reading
the same documents once (every word found by one regular expression and case-folded).
With --baseline REV the extractor of that git revision (exported with ``git archive`` into a
temporary folder and run there in a subprocess) reads the same documents in the same run, and
both figures are printed with their ratio.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGET_BYTES = 5 * 1024
FILLER = (
    "Analysts said the wider market for specialty materials remained volatile during the quarter, "
    "with buyers delaying orders while prices settled. Several executives told an industry forum "
    "in Singapore that demand from electric-vehicle makers would recover later in the year, and "
    "that new capacity planned in Europe and North America would take time to reach full output."
)


def documents(count: int) -> list[str]:
    articles = sorted((ROOT / "tests" / "ingest_eval" / "articles").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in articles]
    docs = []
    for i in range(count):
        parts = [texts[i % len(texts)]]
        j = i
        while sum(len(p) for p in parts) < TARGET_BYTES:
            j += 7
            parts.append(FILLER if j % 3 else texts[j % len(texts)].split("\n", 1)[-1])
        docs.append("\n\n".join(parts))
    return docs


def floor_ms(docs: list[str]) -> float:
    """Median milliseconds of one bare pass over a document's words: the least any reader does."""
    timings = []
    for text in docs:
        t0 = time.perf_counter()
        [word.casefold() for word in re.findall(r"\w+", text)]
        timings.append((time.perf_counter() - t0) * 1000)
    return statistics.median(timings)


def known_pairs() -> dict[str, int]:
    words = ("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Gum", "Hazel", "Ivy", "Juniper")
    kinds = ("Biotech", "Pharmaceutical", "Semiconductor", "Battery", "Technologies", "Materials")
    return {f"{words[i % 10]}{i} {kinds[i % 6]}": i + 1 for i in range(300)}


def measure(code_root: Path, docs: list[str]) -> dict[str, float]:
    """Time the extractor found under ``code_root`` over ``docs``: throughput and p50/p99."""
    sys.path.insert(0, str(code_root))
    extract = importlib.import_module("briefs.ingest.extract").extract
    known = importlib.import_module("briefs.ingest.orgs").KnownNames.from_pairs(known_pairs())
    extract(docs[0], known=known)  # warm caches and compiled patterns
    timings = []
    proposals = 0
    start = time.perf_counter()
    for text in docs:
        t0 = time.perf_counter()
        proposals += len(extract(text, known=known))
        timings.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    timings.sort()
    return {
        "docs_per_s": len(docs) / elapsed,
        "p50_ms": timings[len(timings) // 2] * 1000,
        "p99_ms": timings[int(len(timings) * 0.99) - 1] * 1000,
        "proposals": proposals,
    }


def export(rev: str, folder: Path) -> Path:
    """The tree of git revision ``rev``, written under ``folder`` (``git archive``)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev], check=True, capture_output=True
    ).stdout
    tar_path = folder / "code.tar"
    tar_path.write_bytes(archive)
    with tarfile.open(tar_path) as tar:
        tar.extractall(folder / "code", filter="data")
    return folder / "code"


def measure_in_subprocess(code_root: Path, count: int) -> dict[str, float]:
    """:func:`measure` for the code under ``code_root``, in a fresh interpreter of its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--docs", str(count), "--code-root", str(code_root)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def compare(rev: str, count: int, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """The best of ``rounds`` alternating runs of this tree and of ``rev``: on a shared machine
    the load changes from second to second, and alternating lets both meet the same load."""
    with tempfile.TemporaryDirectory() as folder:
        baseline_root = export(rev, Path(folder))
        ours, theirs = [], []
        for _ in range(rounds):
            theirs.append(measure_in_subprocess(baseline_root, count))
            ours.append(measure_in_subprocess(ROOT, count))
    best = lambda runs: max(runs, key=lambda r: r["docs_per_s"])  # noqa: E731
    return best(ours), best(theirs)


def show(label: str, result: dict[str, float]) -> None:
    print(
        f"{label}: {result['docs_per_s']:.0f} docs/s, p50 {result['p50_ms']:.2f} ms, "
        f"p99 {result['p99_ms']:.2f} ms, proposals {result['proposals']:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=400)
    parser.add_argument("--baseline", metavar="REV", help="also time the code of this revision")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs with --baseline")
    parser.add_argument("--code-root", help=argparse.SUPPRESS)  # a subprocess's code to time
    args = parser.parse_args()
    docs = documents(args.docs)
    if args.code_root:
        print(json.dumps(measure(Path(args.code_root), docs)))
        return
    size = statistics.mean(len(d.encode()) for d in docs)
    print(f"documents: {len(docs)}, mean size {size / 1024:.1f} KB")
    if args.baseline:
        result, baseline = compare(args.baseline, args.docs, args.rounds)
        print(f"best of {args.rounds} alternating runs each")
    else:
        result, baseline = measure(ROOT, docs), None
    show("this tree", result)
    floor = floor_ms(docs)
    print(f"floor (bare Python: words found and case-folded): p50 {floor:.3f} ms")
    print(f"extraction p50 is {result['p50_ms'] / floor:.0f} x floor")
    if baseline is not None:
        show(f"baseline {args.baseline}", baseline)
        print(f"ratio this tree / baseline: {result['docs_per_s'] / baseline['docs_per_s']:.2f}")


if __name__ == "__main__":
    main()

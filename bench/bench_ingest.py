"""Extraction throughput on ~5 KB documents, one core: documents per second and p50/p99 latency.

Run: .venv/bin/python bench/bench_ingest.py [--docs 400]
Documents are built from the labelled evaluation articles plus neutral filler paragraphs, and
extraction runs with 300 known company names, as a stocked knowledge base would give it.
Extraction is also stated as a ratio to a floor measured in the same run: bare Python reading
the same documents once (every word found by one regular expression and case-folded).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefs.ingest.extract import extract  # noqa: E402
from briefs.ingest.orgs import KnownNames  # noqa: E402
from briefs.ingest.read import read_document  # noqa: E402

TARGET_BYTES = 5 * 1024
FILLER = (
    "Analysts said the wider market for specialty materials remained volatile during the quarter, "
    "with buyers delaying orders while prices settled. Several executives told an industry forum "
    "in Singapore that demand from electric-vehicle makers would recover later in the year, and "
    "that new capacity planned in Europe and North America would take time to reach full output."
)


def documents(count: int) -> list[str]:
    articles = sorted((ROOT / "tests" / "ingest_eval" / "articles").glob("*.txt"))
    texts = [read_document(path).text for path in articles]
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


def known_names() -> KnownNames:
    words = ("Alder", "Birch", "Cedar", "Dogwood", "Elm", "Fir", "Gum", "Hazel", "Ivy", "Juniper")
    kinds = ("Biotech", "Pharmaceutical", "Semiconductor", "Battery", "Technologies", "Materials")
    pairs = {}
    for i in range(300):
        name = f"{words[i % 10]}{i} {kinds[i % 6]}"
        pairs[name] = i + 1
    return KnownNames.from_pairs(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=400)
    args = parser.parse_args()
    docs = documents(args.docs)
    known = known_names()
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
    size = statistics.mean(len(d.encode()) for d in docs)
    print(f"documents: {len(docs)}, mean size {size / 1024:.1f} KB, proposals {proposals}")
    print(f"throughput: {len(docs) / elapsed:.0f} docs/s")
    p50 = timings[len(timings) // 2] * 1000
    print(f"p50: {p50:.2f} ms   p99: {timings[int(len(timings) * 0.99) - 1] * 1000:.2f} ms")
    floor = floor_ms(docs)
    print(f"floor (bare Python: words found and case-folded): p50 {floor:.3f} ms")
    print(f"extraction p50 is {p50 / floor:.0f} x floor")


if __name__ == "__main__":
    main()

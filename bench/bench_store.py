"""Benchmark the store's read side at scale: load, resolve + brief, autocomplete, search, memory.

    python bench/bench_store.py                 # 100,000 companies, 1,000,000 facts, 2,000 queries
    python bench/bench_store.py --small         # a quick run
    python bench/bench_store.py --db /tmp/kb.db # reuse a database built by bench/synth.py

The load runs in a child process so that its memory is reported apart from serving queries. The
workload is what people type: names, short names, tickers and Chinese names, in other case, cut
short, and one in five with a typo; autocomplete prefixes of one to eight characters; searches of
one or two words drawn from the same Zipf-like vocabulary as the facts, so common words are
searched as often as people would search them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth

from briefs import names, queries
from briefs.errors import NotFound
from briefs.store import open_db

TARGETS_MS = {"resolve+brief": 5.0, "autocomplete": 5.0, "search": 20.0}
TARGET_RSS_MB = 300
TARGET_LOAD_S = 60


def typed_name(aliases: list[tuple[str, str]], rng: np.random.Generator) -> str:
    """How a person might type a company: an alias as is, in other case, cut short or misspelt."""
    alias, kind = aliases[int(rng.integers(len(aliases)))]
    roll = rng.random()
    if roll < 0.45 or kind in ("chinese", "ticker"):
        return alias
    if roll < 0.6:
        return alias.lower() if rng.random() < 0.7 else alias.upper()
    if roll < 0.8:
        words = alias.split()
        return " ".join(words[:2]) if len(words) > 2 else alias[: max(4, len(alias) - 2)]
    return misspell(alias, rng)


def misspell(word: str, rng: np.random.Generator) -> str:
    """One typo: a swapped, dropped, doubled or replaced letter (away from the first letter)."""
    if len(word) < 4:
        return word
    i = int(rng.integers(1, len(word) - 1))
    edit = int(rng.integers(4))
    if edit == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if edit == 1:
        return word[:i] + word[i + 1 :]
    if edit == 2:
        return word[:i] + word[i] + word[i:]
    return word[:i] + "aeiouy"[int(rng.integers(6))] + word[i + 1 :]


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[98], max(samples)


def _load(path: Path, companies: int, facts: int, out: multiprocessing.Queue) -> None:
    out.put(synth.build(path, companies, facts))


def load_in_child(path: Path, companies: int, facts: int) -> tuple[dict[str, float], float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_load, args=(path, companies, facts, queue))
    child.start()
    timings = queue.get()
    child.join()
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return timings, rss_mb


def run_queries(db_path: Path, count: int, companies: int, seed: int = 3) -> dict[str, object]:
    db = open_db(db_path)
    rng = np.random.default_rng(seed)
    vocab = synth.Vocabulary.make()
    picks = rng.choice(companies, count, p=synth.company_weights(companies)) + 1
    typed = [
        typed_name(
            db.execute("SELECT alias, kind FROM aliases WHERE company_id = ?", [int(c)]).fetchall(),
            rng,
        )
        for c in picks
    ]
    resolve_ms, brief_ms, outcome = [], [], {"right": 0, "wrong": 0, "asked": 0}
    brief_sizes = []
    for company_id, text in zip(picks, typed, strict=True):
        started = time.perf_counter()
        try:
            found = names.resolve_company(db, text)
        except NotFound:
            resolve_ms.append((time.perf_counter() - started) * 1000)
            outcome["asked"] += 1
            continue
        brief = queries.company_brief(db, found.company.id)
        total = (time.perf_counter() - started) * 1000
        brief_ms.append(total)
        brief_sizes.append(len(brief.deals) + len(brief.others))
        outcome["right" if found.company.id == company_id else "wrong"] += 1
    prefixes = [t[: int(rng.integers(1, 9))] for t in typed]
    complete_ms = [timed(lambda p=p: names.complete_companies(db, p)) for p in prefixes]
    empty_ms = [timed(lambda: names.complete_companies(db, "")) for _ in range(5)]
    searches = [" ".join(vocab.sample(rng, int(rng.integers(1, 3)))) for _ in range(count)]
    search_ms = [timed(lambda q=q: queries.search(db, q)) for q in searches]
    return {
        "resolve+brief": brief_ms,
        "resolve (not sure: suggestions)": resolve_ms,
        "autocomplete": complete_ms,
        "autocomplete, empty": empty_ms,
        "search": search_ms,
        "outcome": outcome,
        "brief_facts": brief_sizes,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def report(companies: int, facts: int, load: dict[str, float] | None, load_rss: float | None,
           results: dict[str, object]) -> None:  # fmt: skip
    print(f"\nscale: {companies:,} companies, {facts:,} facts")
    if load:
        verdict = "ok" if load["total"] <= TARGET_LOAD_S else "OVER"
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in load.items() if k != "total")
        print(f"load: {load['total']:.1f} s (target {TARGET_LOAD_S} s) {verdict}  [{phases}]")
        print(f"peak RSS while loading: {load_rss:.0f} MB")
    print(f"\n{'operation':<42}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  target p99")
    for name, samples in results.items():
        if not isinstance(samples, list) or name == "brief_facts" or len(samples) < 2:
            continue
        p50, p99, worst = percentiles(samples)
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else f"{target:.0f} ms {'ok' if p99 <= target else 'OVER'}"
        print(f"{name:<42}{len(samples):>6}{p50:>9.2f}{p99:>9.2f}{worst:>9.2f}  {verdict}")
    outcome = results["outcome"]
    sizes = results["brief_facts"]
    print(
        f"\nresolution: {outcome['right']} right, {outcome['wrong']} other company, "
        f"{outcome['asked']} answered with suggestions"
    )
    if sizes:
        print(f"facts per brief: median {statistics.median(sizes):.0f}, max {max(sizes)}")
    rss = results["rss_mb"]
    print(
        f"peak RSS serving queries: {rss:.0f} MB "
        f"(target {TARGET_RSS_MB} MB) {'ok' if rss <= TARGET_RSS_MB else 'OVER'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--companies", type=int, default=synth.COMPANIES)
    parser.add_argument("--facts", type=int, default=synth.FACTS)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--small", action="store_true", help="5,000 companies, 50,000 facts")
    parser.add_argument("--db", type=Path, help="reuse this database (built by bench/synth.py)")
    parser.add_argument("--out", type=Path, help="build the database here and keep it")
    args = parser.parse_args()
    if args.small:
        args.companies, args.facts, args.queries = synth.SMALL_COMPANIES, synth.SMALL_FACTS, 500
    load = load_rss = None
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or args.out or Path(tmp) / "bench.db"
        if args.db is None:
            load, load_rss = load_in_child(path, args.companies, args.facts)
        else:
            db = open_db(path)
            args.companies = db["companies"].count
            args.facts = db["facts"].count
            db.close()
        results = run_queries(path, args.queries, args.companies)
        report(args.companies, args.facts, load, load_rss, results)


if __name__ == "__main__":
    main()

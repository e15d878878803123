"""Benchmark the store's read side at scale: load, resolve + brief, autocomplete, search, memory.

    python bench/bench_store.py                 # 100,000 companies, 1,000,000 facts, 2,000 queries
    python bench/bench_store.py --small         # a quick run
    python bench/bench_store.py --db /tmp/kb.db # reuse a database built by bench/synth.py

The load runs in a child process so that its memory is reported apart from serving queries. The
workload is what people type: names, short names, tickers and Chinese names, in other case, cut
short, and one in five with a typo; autocomplete prefixes of one to eight characters; searches of
one or two words drawn from the same Zipf-like vocabulary as the facts, so common words are
searched as often as people would search them; the same searches narrowed to a company, a deal
kind and a span of years; and deal statistics by flow ("China → US").

Each operation is also stated as a ratio to a floor measured in the same run on the same
database: the bare SQLite statement at its core (the company's fact rows, an alias prefix, an
FTS5 match of the same words ranked by bm25, the filtered facts of the company), so a busier or
slower machine moves both and the ratio says what the application adds.
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
from briefs.search_filters import parse_filters
from briefs.store import open_db
from briefs.vocab import flow_choices

TARGETS_MS = {"resolve+brief": 5.0, "autocomplete": 5.0, "search": 20.0}
# The bare SQLite statement each operation is compared with (its floor).
FLOORS = {
    "resolve+brief": "facts of the company",
    "autocomplete": "alias prefix",
    "search": "FTS5 match",
    "search, company + kind + years": "facts of the company, filtered",
    "stats by flow": "deals counted by flow",
}
BARE_FACTS = (
    "SELECT * FROM facts WHERE (subject_id = :c OR counterparty_id = :c OR licensor_id = :c "
    "OR licensee_id = :c) AND deleted_at IS NULL ORDER BY period_end DESC"
)
BARE_FILTERED = (
    "SELECT id FROM facts WHERE (subject_id = :c OR counterparty_id = :c OR licensor_id = :c "
    "OR licensee_id = :c) AND kind = :kind AND period_end >= :since AND period_start <= :until "
    "AND deleted_at IS NULL"
)
BARE_PREFIX = "SELECT company_id FROM aliases WHERE norm >= :p AND norm < :p || '\uffff' LIMIT 10"
BARE_MATCH = (
    "SELECT rowid FROM facts_fts WHERE facts_fts MATCH :q ORDER BY bm25(facts_fts) LIMIT 10"
)
BARE_FLOW = (
    "SELECT lc.country, le.country, count(*) FROM facts f JOIN companies lc ON lc.id = "
    "f.licensor_id JOIN companies le ON le.id = f.licensee_id WHERE f.deleted_at IS NULL "
    "GROUP BY 1, 2"
)
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
    filtered = [_filtered_search(db, int(c), q, rng) for c, q in zip(picks, searches, strict=True)]
    flows = flow_choices()
    flow_ms = [timed(lambda f=f: queries.stats(db, flow=f)) for f in flows]
    sql = db.conn.execute
    floors = {
        "resolve+brief": [
            timed(lambda c=c: sql(BARE_FACTS, {"c": int(c)}).fetchall()) for c in picks
        ],
        "autocomplete": [
            timed(lambda p=p: sql(BARE_PREFIX, {"p": p.casefold()}).fetchall()) for p in prefixes
        ],
        "search": [timed(lambda q=q: sql(BARE_MATCH, {"q": q}).fetchall()) for q in searches],
        "search, company + kind + years": [
            timed(lambda f=f: sql(BARE_FILTERED, f[2]).fetchall()) for f in filtered
        ],
        "stats by flow": [timed(lambda: sql(BARE_FLOW).fetchall()) for _ in flows],
    }
    return {
        "resolve+brief": brief_ms,
        "resolve (not sure: suggestions)": resolve_ms,
        "autocomplete": complete_ms,
        "autocomplete, empty": empty_ms,
        "search": search_ms,
        "search, company + kind + years": [f[1] for f in filtered],
        "stats by flow": flow_ms,
        "floors": floors,
        "outcome": outcome,
        "brief_facts": brief_sizes,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _filtered_search(
    db, company_id: int, query: str, rng: np.random.Generator
) -> tuple[str, float, dict[str, object]]:
    """A search narrowed to one company, one deal kind and a span of years, as ``/search``
    takes them; returns the query, its milliseconds and the bare statement's parameters."""
    kind = str(rng.choice(sorted(synth.DEALS)))
    first = int(rng.integers(2016, 2025))
    last = first + int(rng.integers(0, 3))
    filters = parse_filters(
        db, company=str(company_id), kind=kind, since=str(first), until=str(last)
    )
    ms = timed(lambda: queries.search(db, query, filters=filters))
    bare = {"c": company_id, "kind": kind, "since": f"{first}-01-01", "until": f"{last}-12-31"}
    return query, ms, bare


def report(companies: int, facts: int, load: dict[str, float] | None, load_rss: float | None,
           results: dict[str, object]) -> None:  # fmt: skip
    print(f"\nscale: {companies:,} companies, {facts:,} facts")
    if load:
        verdict = "ok" if load["total"] <= TARGET_LOAD_S else "OVER"
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in load.items() if k != "total")
        print(f"load: {load['total']:.1f} s (target {TARGET_LOAD_S} s) {verdict}  [{phases}]")
        print(f"peak RSS while loading: {load_rss:.0f} MB")
    floors = results["floors"]
    print(
        f"\n{'operation':<36}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'floor p50':>10}{'x floor':>8}  target p99"
    )
    for name, samples in results.items():
        if not isinstance(samples, list) or name == "brief_facts" or len(samples) < 2:
            continue
        p50, p99, worst = percentiles(samples)
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else f"{target:.0f} ms {'ok' if p99 <= target else 'OVER'}"
        floor = statistics.median(floors[name]) if name in floors else None
        ratio = f"{floor:>10.3f}{p50 / floor:>8.1f}" if floor else f"{'':>10}{'':>8}"
        print(f"{name:<36}{len(samples):>6}{p50:>9.2f}{p99:>9.2f}{worst:>9.2f}{ratio}  {verdict}")
    print("floors (bare SQLite, same database, same inputs):")
    for name, what in FLOORS.items():
        print(f"  {name}: {what}")
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

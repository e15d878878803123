"""Benchmark league tables, term benchmarks and comparables at scale, each against its floor.

    python bench/bench_analytics.py --out /tmp/kb.db   # build 1,000,000 facts (bench/synth.py), keep it
    python bench/bench_analytics.py --db /tmp/kb.db    # reuse a database built by bench/synth.py
    python bench/bench_analytics.py --small            # 50,000 facts, a quick run

Each operation runs through ``briefs.analytics`` with its pages rendered, as the CLI and the bot
answer it, over inputs drawn at random: a year or all years, a sector, a deal. Its floor is
measured in the same run on the same database and inputs: the bare SQLite GROUP BY over an
index at the core of the same aggregate (deals counted per party; deals counted and upfronts
summed per flow or per figure role; the deals of the same sector counted by stage and kind,
which comparables score first), so a busier machine moves both and the ratio says what the
application adds. The target is a p99
within ``TARGET_RATIO`` times the floor's p99.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth

from briefs.analytics.benchmark import benchmark
from briefs.analytics.league import league
from briefs.analytics.render import render_benchmark, render_similar, render_top
from briefs.analytics.scope import EVERY_DEAL, parse_scope
from briefs.analytics.similar import similar
from briefs.model import DEAL_KINDS
from briefs.store import open_db
from briefs.vocab import VOCAB, region_sql

TARGET_RATIO = 10.0
YEARS = range(2016, 2026)
_DEALS = "f.kind IN ({}) AND f.deleted_at IS NULL".format(", ".join(f"'{k}'" for k in DEAL_KINDS))
_YEAR = " AND f.period_start >= :first AND f.period_start <= :last"
_UPFRONT = "LEFT JOIN figures g ON g.fact_id = f.id AND g.role = 'upfront'"
FLOOR_PARTIES = (
    f"SELECT f.licensor_id, count(*) FROM facts f WHERE {_DEALS}{{year}} GROUP BY +f.licensor_id"
)
FLOOR_FLOWS = (
    f"SELECT {region_sql('lc.country')}, {region_sql('le.country')}, count(*), total(g.value_usd) "
    "FROM facts f JOIN companies lc ON lc.id = f.licensor_id "
    f"JOIN companies le ON le.id = f.licensee_id {_UPFRONT} WHERE {_DEALS}{_YEAR} GROUP BY 1, 2"
)
FLOOR_TERMS = (
    "SELECT g.role, count(*), total(g.value_usd) FROM facts f JOIN figures g ON g.fact_id = f.id "
    f"WHERE {_DEALS}{{sector}} GROUP BY g.role"
)
FLOOR_CANDIDATES = (
    f"SELECT f.stage, f.kind, count(*) FROM facts f WHERE {_DEALS} AND f.sector = :sector "
    "GROUP BY 1, 2"
)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def _year(rng: np.random.Generator) -> dict[str, str]:
    year = int(rng.choice(YEARS))
    return {"first": f"{year}-01-01", "last": f"{year}-12-31", "text": str(year)}


def _sector_sql(key: str) -> tuple[str, dict[str, str]]:
    within = VOCAB.sectors.within(key)
    names = {f"s{i}": k for i, k in enumerate(within)}
    return f" AND f.sector IN ({', '.join(':' + n for n in names)})", names


def operations(
    db, rng: np.random.Generator, runs: int
) -> dict[str, list[tuple[Callable, Callable]]]:
    """Each operation's (answer, floor) pairs over inputs drawn at random."""
    sql = db.conn.execute
    deals = [row[0] for row in sql(f"SELECT f.id FROM facts f WHERE {_DEALS}").fetchall()]
    sectors = list(VOCAB.sectors.keys)
    pairs: dict[str, list[tuple[Callable, Callable]]] = {}
    for _ in range(runs):
        year = _year(rng)
        scope = parse_scope(period=year["text"])
        bounds = {"first": year["first"], "last": year["last"]}
        pairs.setdefault("top licensors, a year", []).append((
            lambda s=scope: render_top(league(db, "licensors", s), flavour="text"),
            lambda b=bounds: sql(FLOOR_PARTIES.format(year=_YEAR), b).fetchall(),
        ))  # fmt: skip
        pairs.setdefault("top flows, a year", []).append((
            lambda s=scope: render_top(league(db, "flows", s), flavour="text"),
            lambda b=bounds: sql(FLOOR_FLOWS, b).fetchall(),
        ))  # fmt: skip
        sector = str(rng.choice(sectors))
        where, names = _sector_sql(sector)
        in_sector = parse_scope(sector=VOCAB.sectors.label(sector))
        pairs.setdefault("benchmark, a sector", []).append((
            lambda s=in_sector: render_benchmark(
                benchmark(db, s), flavour="text"
            ),
            lambda w=where, n=names: sql(FLOOR_TERMS.format(sector=w), n).fetchall(),
        ))  # fmt: skip
        deal = int(rng.choice(deals))
        own = {"sector": sql("SELECT sector FROM facts WHERE id = ?", [deal]).fetchone()[0]}
        pairs.setdefault("similar, a deal", []).append((
            lambda d=deal: render_similar(similar(db, d), flavour="text"),
            lambda o=own: sql(FLOOR_CANDIDATES, o).fetchall(),
        ))  # fmt: skip
    everything = [(
        lambda: render_top(league(db, "licensors", EVERY_DEAL), flavour="text"),
        lambda: sql(FLOOR_PARTIES.format(year=""), {}).fetchall(),
    )] * max(3, runs // 4)  # fmt: skip
    pairs["top licensors, all years"] = everything
    pairs["benchmark, all deals"] = [(
        lambda: render_benchmark(benchmark(db, EVERY_DEAL), flavour="text"),
        lambda: sql(FLOOR_TERMS.format(sector=""), {}).fetchall(),
    )] * max(3, runs // 4)  # fmt: skip
    return pairs


def run(
    db_path: Path, runs: int, only: str = "", seed: int = 5
) -> dict[str, tuple[list[float], list[float]]]:
    """Milliseconds of each answer and of its floor, interleaved so both see the same machine."""
    db = open_db(db_path)
    rng = np.random.default_rng(seed)
    results: dict[str, tuple[list[float], list[float]]] = {}
    for name, pairs in operations(db, rng, runs).items():
        if only not in name:
            continue
        answers, floors = [], []
        for answer, floor in pairs:
            floors.append(timed(floor))
            answers.append(timed(answer))
        results[name] = (answers, floors)
    db.close()
    return results


def report(facts: int, build_s: float | None, results: dict) -> None:
    print(f"\nscale: {facts:,} facts" + (f", built in {build_s:.0f} s" if build_s else ""))
    print(
        f"{'operation':<28}{'n':>4}{'p50 ms':>9}{'p99 ms':>9}{'floor p50':>10}{'floor p99':>10}"
        f"{'x floor p99':>12}  target"
    )
    for name, (answers, floors) in results.items():
        ratio = p99(answers) / p99(floors)
        verdict = "ok" if ratio <= TARGET_RATIO else "OVER"
        print(
            f"{name:<28}{len(answers):>4}{statistics.median(answers):>9.1f}{p99(answers):>9.1f}"
            f"{statistics.median(floors):>10.1f}{p99(floors):>10.1f}{ratio:>12.1f}  "
            f"{TARGET_RATIO:.0f}x {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="reuse this database (built by bench/synth.py)")
    parser.add_argument("--out", type=Path, help="build the database here and keep it")
    parser.add_argument("--small", action="store_true", help="5,000 companies, 50,000 facts")
    parser.add_argument("--runs", type=int, default=40, help="inputs drawn per operation")
    parser.add_argument("--only", default="", help="only the operations whose name holds this")
    args = parser.parse_args()
    build_s = None
    if args.db is None:
        companies, facts = (
            (synth.SMALL_COMPANIES, synth.SMALL_FACTS)
            if args.small
            else (synth.COMPANIES, synth.FACTS)
        )
        path = args.out or Path(tempfile.mkdtemp()) / "kb.db"
        build_s = synth.build(path, companies, facts)["total"]
    else:
        path = args.db
    db = open_db(path)
    facts = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    db.close()
    report(facts, build_s, run(path, args.runs, args.only))


if __name__ == "__main__":
    main()

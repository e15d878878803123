"""Watch matching: one new fact against 10,000 watches, beside a bare SQLite floor.

    .venv/bin/python bench/bench_watch.py             # 10,000 watches, 1,000 facts
    .venv/bin/python bench/bench_watch.py --small     # 1,000 watches, 300 facts (quick)

Prints figures for docs/performance.md ("Watches"). The watches are a mix of what people
follow (a company, a sector, a keyword, a least upfront, and some of each together), stored in
the real table and indexed by the real ``MatcherCache``. Three figures per fact:

- match: the fact's audit snapshot read as a ``FactView`` and matched (``WatchIndex.match``);
- advance: the whole step the bot runs, a fact added through ``briefs.changes`` then
  ``trail.advance`` (read the audit row, match, store the deliveries, move the cursor: a write);
- floor: one bare SQLite statement, the watches on the fact's parties by the company index.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from briefs import vocab
from briefs.changes import Actor, FactIn, FigureIn, add_company, add_fact, add_source
from briefs.store import isotime, open_db, writing
from briefs.watch import trail
from briefs.watch.matcher import FactView
from briefs.watch.watches import bump_version

WORDS = (
    "antibody", "licence", "oncology", "PD-1", "ADC", "bispecific", "vaccine", "battery",
    "memory", "chip", "lithium", "royalty", "milestone", "approval", "China", "Europe", "Japan",
    "phase", "trial", "platform", "gene", "cell", "therapy", "semiconductor", "wafer", "kinase",
    "inhibitor", "GLP-1", "obesity", "diabetes", "device", "diagnostic",
)  # fmt: skip
BARE = "SELECT id FROM watches WHERE company_id IN (?, ?) AND removed_at IS NULL"
ACTOR = Actor("bench")
FILLER_WORDS = 5_000
THRESHOLDS = (50e6, 100e6, 250e6, 500e6, 1e9)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(samples: list[float]) -> str:
    ms = [s * 1000 for s in samples]
    return f"p50 {statistics.median(ms):.3f} ms, p99 {percentile(ms, 0.99):.3f} ms, max {max(ms):.2f} ms"


def seed(db, rng: random.Random, companies: int, watches: int) -> tuple[list[int], int]:
    source = add_source(db, key="bench", title="Bench wire", actor=ACTOR, outlet="Bench")
    ids = [add_company(db, f"Company {n} Bio", ACTOR) for n in range(companies)]
    sectors = vocab.VOCAB.sectors.keys
    rows = []
    for n in range(watches):
        kind = rng.random()
        company = rng.choice(ids) if kind < 0.5 else None
        sector = rng.choice(sectors) if 0.45 < kind < 0.65 else None
        keyword = " ".join(rng.sample(WORDS, rng.choice((1, 1, 2)))) if 0.65 < kind < 0.95 else None
        upfront = rng.choice(THRESHOLDS) if kind > 0.95 or kind < 0.05 else None
        if not any((company, sector, keyword, upfront)):
            keyword = rng.choice(WORDS)
        rows.append((n % 5000 + 1, "bench", 1, "dm", n % 5000 + 1, company, sector, keyword,
                     upfront, None, 0, isotime()))  # fmt: skip
    with writing(db):
        db.conn.executemany(
            "INSERT INTO watches (owner_id, owner, guild_id, target_kind, target_id, company_id, "
            "sector, keyword, min_upfront_usd, min_upfront, after_audit_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        bump_version(db)
    return ids, source


def fact_in(rng: random.Random, ids: list[int], source: int, n: int) -> FactIn:
    licensor, licensee = rng.sample(ids, 2)
    # Mostly words no watch asks for, a couple that some do.
    filler = [f"term{rng.randrange(FILLER_WORDS)}" for _ in range(12)]
    summary = f"Deal {n}: " + " ".join(filler + rng.sample(WORDS, 2))
    upfront = [FigureIn(role="upfront", value=rng.choice((5e6, 30e6, 80e6, 200e6, 900e6)))]
    return FactIn(
        kind="licence", summary=summary, source_id=source, subject_id=licensor,
        counterparty_id=licensee, licensor_id=licensor, licensee_id=licensee,
        sector=rng.choice(vocab.VOCAB.sectors.keys), asset=f"RB-{n}", period="2025",
        figures=upfront,
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    watches, facts = (1_000, 300) if args.small else (10_000, 1_000)
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        ids, source = seed(db, rng, companies=2_000, watches=watches)
        cache = trail.MatcherCache()
        started = time.perf_counter()
        index = cache.current(db)
        built = time.perf_counter() - started
        trail.advance(db, cache, datetime.now(UTC))  # the seeding's own changes
        match, advance, floor, matched = [], [], [], 0
        for n in range(facts):
            fact_id = add_fact(db, fact_in(rng, ids, source, n), ACTOR)
            audit_id, after = db.execute(
                "SELECT id, after FROM audit WHERE entity = 'fact' AND entity_id = ? "
                "ORDER BY id DESC LIMIT 1",
                [fact_id],
            ).fetchone()
            snapshot = json.loads(after)
            started = time.perf_counter()
            found = index.match(FactView.of(audit_id, snapshot))
            match.append(time.perf_counter() - started)
            matched += len(found)
            started = time.perf_counter()
            db.execute(BARE, [snapshot["licensor_id"], snapshot["licensee_id"]]).fetchall()
            floor.append(time.perf_counter() - started)
            started = time.perf_counter()
            trail.advance(db, cache, datetime.now(UTC))
            advance.append(time.perf_counter() - started)
        db.close()
    print(f"{watches:,} watches, {facts:,} facts; index built in {built * 1000:.1f} ms")
    print(f"watches met per fact: {matched / facts:.1f} on average")
    print(f"match   {figures(match)}   (target p99 <= 20 ms)")
    print(f"advance {figures(advance)}")
    print(f"floor   {figures(floor)}   (bare SQLite: the watches on the fact's two parties)")
    print(f"match p50 / floor p50: {statistics.median(match) / statistics.median(floor):.1f} x")


if __name__ == "__main__":
    main()

"""Digest figures: build and render one busy week, and schedule 1,000 servers in one process.

    .venv/bin/python bench/bench_digest.py            # 10,000 new facts, 1,000 servers
    .venv/bin/python bench/bench_digest.py --small    # 1,000 facts, 100 servers (quick)

Prints figures for docs/performance.md ("Digest"). Every change goes through ``briefs.changes``
(add, edit, remove, undo) so the audit trail is what the bot writes. The digest is also stated as
a ratio to a floor measured in the same run: one bare SQLite statement that counts the week's
added facts by kind and sums their stated totals, the least any digest must read.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import bot.format  # noqa: F401  (the digest posts in the "discord" flavour it registers)
from briefs.changes import (
    Actor,
    FactIn,
    FigureIn,
    add_company,
    add_fact,
    add_source,
    edit_fact,
    remove_fact,
    undo,
)
from briefs.digest import content as dg
from briefs.digest import ledger
from briefs.digest import query as dq
from briefs.digest import schedule as timing
from briefs.digest import settings as ds
from briefs.queries import fetch_facts, latest_audit_id
from briefs.render import Page
from briefs.store import isotime, open_db, utcnow

if TYPE_CHECKING:
    from bot.schedule import Progress

# The floor: the week's added facts counted by kind, their stated totals summed, in one statement.
BARE_WEEK = """
    SELECT f.kind, count(*), sum(g.value_usd) FROM audit a JOIN facts f ON f.id = a.entity_id
    LEFT JOIN figures g ON g.fact_id = f.id AND g.role = 'total'
    WHERE a.id > ? AND a.entity = 'fact' AND a.action = 'add' AND f.deleted_at IS NULL
    GROUP BY f.kind
"""
SECTORS = ("Oncology", "Gene therapy", "Vaccines", "Medical devices", "Diagnostics", "Batteries")
KINDS = ("licence", "out_licence", "patent_licence", "approval", "sales", "market_stat")


def build_week(db, facts: int, rng: random.Random) -> int:
    """A knowledge base whose last week holds ``facts`` new facts; returns the audit id before.

    The week before holds a fifth as many facts, so the comparison line has something to
    count and there are older facts to correct. The week itself mixes in what a real week
    writes besides additions: new facts edited again (still new), new facts added then
    removed (no news), corrections and removals of older facts, and undone removals.
    """
    actor = Actor("bench")
    companies = [add_company(db, f"Company {n}", actor) for n in range(200)]
    sources = [add_source(db, key=f"src-{n}", title=f"Report {n}", actor=actor) for n in range(50)]
    older = [add_random_fact(db, n, companies, sources, rng, actor) for n in range(facts // 5)]
    mark = latest_audit_id(db)
    new = [
        add_random_fact(db, n, companies, sources, rng, actor)
        for n in range(facts // 5, facts // 5 + facts)
    ]
    for fact_id in new[::50]:
        edit_fact(db, fact_id, actor, territory="Worldwide")
    for fact_id in new[7::100]:
        remove_fact(db, fact_id, actor, reason="duplicate")
    corrected = rng.sample(older, len(older) // 10)
    for fact_id in corrected[: len(corrected) * 3 // 4]:
        edit_fact(db, fact_id, actor, territory="Greater China", reason="corrected territory")
    for fact_id in corrected[len(corrected) * 3 // 4 :]:
        removal = remove_fact(db, fact_id, actor, reason="wrong source")
        if fact_id % 5 == 0:
            undo(db, actor, removal)
    return mark


def add_random_fact(db, n: int, companies, sources, rng: random.Random, actor: Actor) -> int:
    """Half of the facts are deals, two thirds of those with a stated value."""
    kind = rng.choice(KINDS)
    a, b = rng.sample(companies, 2)
    deal = kind in ("licence", "out_licence", "patent_licence")
    figures = [FigureIn(role="total", value=rng.uniform(1e6, 2e9))] if deal and n % 3 else []
    return add_fact(
        db,
        FactIn(
            kind=kind,
            summary=f"Fact {n}: {kind} between company {a} and company {b}",
            source_id=rng.choice(sources),
            subject_id=a,
            counterparty_id=b if deal else None,
            licensor_id=a if deal else None,
            licensee_id=b if deal else None,
            asset=f"Asset-{n}" if deal else None,
            sector=rng.choice(SECTORS),
            figures=figures,
        ),
        actor,
    )


def time_digest(db, mark: int, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each build + render + chart.

    CPU time is printed beside the wall clock because the machine is shared: when others are
    busy the wall clock also counts waiting for a core.
    """
    end = utcnow()
    timings, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        digest = dg.load_digest(
            db, mark, latest_audit_id(db), start=end - timedelta(days=7), end=end
        )
        pages = dg.render_digest(digest)
        png = dg.chart_png(digest)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    print(
        f"  digest: {digest.totals.deals} deals, {digest.totals.others} other facts, "
        f"{digest.totals.corrections} corrections; previous period {digest.previous.deals} "
        f"deals; {len(pages)} pages, chart {len(png) // 1024} KB"
    )
    return timings, cpu


def time_floor(db, mark: int, runs: int) -> float:
    """Median milliseconds of the bare statement ``BARE_WEEK`` over the same window."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        db.conn.execute(BARE_WEEK, [mark]).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def time_parts(db, mark: int) -> None:
    """One build taken apart: the window's SQL, hydrating what is shown, the rest of the reads."""
    end = utcnow()
    until = latest_audit_id(db)
    started = time.perf_counter()
    picks = dq.window_picks(db, mark, until, dg.CAPS)
    picked = time.perf_counter()
    fetch_facts(db, picks.fact_ids, include_deleted=True)
    hydrated = time.perf_counter()
    dq.window_totals(db, dq.audit_id_before(db, end - timedelta(days=14)), mark)
    compared = time.perf_counter()
    dq.chart_points(db, end=end, length=timedelta(days=7))
    charted = time.perf_counter()
    digest = dg.load_digest(db, mark, until, start=end - timedelta(days=7), end=end)
    loaded = time.perf_counter()
    dg.render_digest(digest)
    rendered = time.perf_counter()
    dg.chart_png(digest)
    drawn = time.perf_counter()
    print(
        f"  parts: window counted and ranked {1000 * (picked - started):.0f} ms, "
        f"{len(picks.fact_ids)} facts hydrated {1000 * (hydrated - picked):.0f} ms, "
        f"previous totals {1000 * (compared - hydrated):.0f} ms, "
        f"chart data {1000 * (charted - compared):.0f} ms; whole load "
        f"{1000 * (loaded - charted):.0f} ms, render {1000 * (rendered - loaded):.0f} ms, "
        f"chart {1000 * (drawn - rendered):.0f} ms"
    )


def add_history(db, rows: int) -> None:
    """``rows`` older audit rows, spread evenly over the two years before the benchmark's weeks.

    A real trail is years of changes before the week a digest reads; the date-bounded reads
    (where a window starts, the chart's twelve periods) are what its length costs. The rows
    name no existing fact, so they change no count, only how much there is to walk.
    """
    now = utcnow()
    first = now - timedelta(days=730)
    step = (timedelta(days=730) - timedelta(days=15)) / max(rows, 1)
    snapshot = json.dumps({"summary": "x" * 200, "deleted_at": None})
    db["audit"].insert_all(
        (
            {
                "at": isotime(first + step * n),
                "actor": "bench",
                "action": "add",
                "entity": "fact",
                "entity_id": -n - 1,
                "after": snapshot,
            }
            for n in range(rows)
        ),
        batch_size=10_000,
    )


def time_dated_reads(db, repeat: int = 20) -> None:
    """Where a window starts and the chart data, with the ``audit_at`` index and without it.

    Without it (as before migration m005) the start was ``max(id) WHERE at < ?``, which walks
    back from the newest row, and the chart read every fact change through the entity index.
    """
    end = utcnow()

    def best_ms(run) -> float:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append((time.perf_counter() - started) * 1000)
        return min(times)

    def measure() -> tuple[float, float]:
        return (
            best_ms(lambda: dq.audit_id_before(db, end - timedelta(days=14))),
            best_ms(lambda: dq.chart_points(db, end=end, length=timedelta(days=7))),
        )

    rows = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    start_ms, chart_ms = measure()
    db.execute("DROP INDEX audit_at")
    old_start = "SELECT coalesce(max(id), 0) FROM audit WHERE at < ?"
    moment = isotime(end - timedelta(days=14))
    old_start_ms = best_ms(lambda: db.execute(old_start, [moment]).fetchone())
    chart = dq.CHART_POINTS.replace("+a.entity", "a.entity")
    params = {"first": 0, "length": 1, "last": 11, "since": moment, "until": isotime(end)}
    old_chart_ms = best_ms(lambda: db.execute(chart, params).fetchall())
    db.execute("CREATE INDEX audit_at ON audit(at)")
    print(
        f"  {rows:,} audit rows: window start {start_ms:.2f} ms (without audit_at, max(id): "
        f"{old_start_ms:.1f} ms), chart data {chart_ms:.1f} ms (without: {old_chart_ms:.1f} ms)"
    )


class NoSender:
    """A ``bot.schedule.Sender`` for a sweep in which nothing is due: sending would be a bug."""

    async def send(
        self,
        settings: ds.DigestSettings,
        pages: list[Page],
        chart: bytes | None,
        nonce: str,
        *,
        sent: Sequence[int] = (),
        on_sent: Progress | None = None,
    ) -> list[int]:  # pragma: no cover - never due here
        raise AssertionError("nothing is due in this benchmark")


async def schedule_many(db, servers: int, rng: random.Random) -> None:
    from bot.schedule import DigestScheduler

    now = utcnow()
    month_ago = now - timedelta(days=30)
    zones = ds.COMMON_TIMEZONES
    for guild in range(1, servers + 1):
        gid = guild << 22
        ds.set_channel(db, gid, gid + 1, actor="bench", now=month_ago)
        settings = ds.set_schedule(
            db,
            gid,
            weekday=rng.randrange(7),
            time_of_day=f"{rng.randrange(24):02d}:{rng.choice((0, 30)):02d}",
            timezone=rng.choice(zones),
            actor="bench",
            now=month_ago,
        )
        # This week's digest is already in the ledger, so the sweep checks every server fully.
        key = timing.period_key(settings, timing.last_fire(settings, now))
        ledger.mark_skipped(db, gid, key, "bench", nonce=key, now=now)

    async def db_call(func, *args):
        return func(db, *args)

    gc.collect()
    tracemalloc.start()
    started = time.perf_counter()
    scheduler = DigestScheduler(db_call, NoSender(), clock=utcnow)
    await scheduler.start(run_now=False)
    start_ms = (time.perf_counter() - started) * 1000
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    jobs = len(scheduler.scheduler.get_jobs())
    started = time.perf_counter()
    outcomes = await scheduler.run_due(now)
    sweep_ms = (time.perf_counter() - started) * 1000
    scheduler.shutdown()
    print(
        f"  {servers} servers: {jobs} jobs (incl. sweep) started in {start_ms:.0f} ms; "
        f"Python memory held {current / 1e6:.1f} MB (peak {peak / 1e6:.1f} MB); "
        f"a sweep over all with nothing due {sweep_ms:.0f} ms ({len(outcomes)} posted)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--history", type=int, default=0, help="older audit rows before the weeks (e.g. 500000)"
    )
    args = parser.parse_args()
    facts, servers = (1_000, 100) if args.small else (10_000, 1_000)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "bench.db")
        started = time.perf_counter()
        add_history(db, args.history)
        mark = build_week(db, facts, rng)
        print(f"built a week of {facts:,} new facts in {time.perf_counter() - started:.1f} s")
        timings, cpu = time_digest(db, mark, args.runs)
        floor = time_floor(db, mark, args.runs)
        print(
            f"  build + render + chart: median {statistics.median(timings):.0f} ms, "
            f"max {max(timings):.0f} ms over {args.runs} runs (target <= 300 ms); "
            f"CPU median {statistics.median(cpu):.0f} ms, max {max(cpu):.0f} ms"
        )
        print(
            f"  floor (bare SQLite: the week's added facts by kind, totals summed): median "
            f"{floor:.1f} ms; the digest is {statistics.median(timings) / floor:.0f} x floor"
        )
        time_parts(db, mark)
        time_dated_reads(db)
        asyncio.run(schedule_many(db, servers, rng))
        print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

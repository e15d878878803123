"""Benchmark the real bot through the loopback Discord: /deal and company autocomplete latency,
and the bot's peak memory.

    python bench/bench_bot.py --db /tmp/kb1m.db   # 1,000 /deal + 1,000 autocomplete calls
    python bench/bench_bot.py --small             # builds a small database, 200 calls
    python bench/bench_bot.py                     # builds 100,000 companies / 1,000,000 facts

The bot runs as it runs in production, in its own process: ``dealbrief bot --db PATH`` with
``DISCORD_TOKEN``, ``DISCORD_API_BASE`` and ``DISCORD_GATEWAY_URL`` pointing it at the stand-in
(tests/discord_standin), which runs here. Every cog loads, commands sync, the gateway speaks
zlib-stream, answers go through discord.py's HTTP client. So its peak RSS (``VmHWM`` from
/proc, read just before it is stopped) is the bot's own.

A latency is the time from the stand-in sending INTERACTION_CREATE on the gateway to the bot's
interaction callback reaching the stand-in's REST handler. Calls go one after another, as one
person would make them: type a prefix (autocomplete), then send /deal. Values are what people
send: half pick a choice from autocomplete (Discord then sends the company id as the value),
half type a name and press enter (bench_store's typed names: aliases as stored, other case, cut
short, one in five with a typo). A miss answers with "did you mean" buttons, a valid answer
that is measured like a brief. The first calls warm the caches and are not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests")]

import bench_store  # noqa: E402
import synth  # noqa: E402
from aiohttp import web  # noqa: E402
from discord_standin import Reply, StandIn  # noqa: E402

from bot.words import word  # noqa: E402

TARGETS_MS = {"/deal": 30.0, "autocomplete": 15.0}
TARGET_RSS_MB = 250
CALLS = 1000
SMALL_CALLS = 200
WARMUP = 30
PICKED = 0.5  # share of /deal values chosen from autocomplete (sent as the company id)
START_TIMEOUT = 60.0
CALL_TIMEOUT = 30.0
EMPTY_CALLS = 8  # more than the database threads, so each answers at least once


class TimedStandIn(StandIn):
    """The stand-in, noting when each interaction leaves and when its callback arrives."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent_at: dict[str, float] = {}
        self.answered_at: dict[str, float] = {}
        self.last_token = ""

    async def dispatch(self, event: str, data: Any, guild_id: int | None = None) -> None:
        if event == "INTERACTION_CREATE":
            self.last_token = data["token"]
            self.sent_at[self.last_token] = time.perf_counter()
        await super().dispatch(event, data, guild_id)

    async def _callback(self, request: web.Request) -> web.Response:
        self.answered_at.setdefault(request.match_info["token"], time.perf_counter())
        return await super()._callback(request)

    def latency_ms(self, token: str) -> float:
        return (self.answered_at[token] - self.sent_at[token]) * 1000


@dataclass(frozen=True)
class Call:
    """One person's turn: what they type into the company option, and what /deal gets."""

    prefix: str
    value: str
    picked: bool


@dataclass
class Results:
    deal_ms: list[float] = field(default_factory=list)
    complete_ms: list[float] = field(default_factory=list)
    answers: Counter[str] = field(default_factory=Counter)
    choices: list[int] = field(default_factory=list)


def workload(db_path: Path, count: int, seed: int = 5) -> list[Call]:
    """Companies drawn with the facts' prominence weights, typed the way bench_store types."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    companies = conn.execute("SELECT max(id) FROM companies").fetchone()[0]
    rng = np.random.default_rng(seed)
    picks = rng.choice(companies, count, p=synth.company_weights(companies)) + 1
    calls = []
    for company_id in picks:
        aliases = conn.execute(
            "SELECT alias, kind FROM aliases WHERE company_id = ?", [int(company_id)]
        ).fetchall()
        typed = bench_store.typed_name(aliases, rng)
        picked = bool(rng.random() < PICKED)
        prefix = typed[: int(rng.integers(1, 9))]
        calls.append(Call(prefix, str(company_id) if picked else typed, picked))
    conn.close()
    return calls


def answer_kind(reply: Reply) -> str:
    """What the person saw: a brief (paged or not), "did you mean" buttons, or a refusal."""
    if reply.ephemeral:
        return "refusal"
    labels = {c.get("label") for row in reply.components for c in row.get("components", [])}
    if not labels:
        return "brief"
    return "brief with pager" if word("next") in labels else "did you mean"


def status_kb(pid: int, key: str) -> int:
    """A ``VmHWM``/``VmRSS`` line of /proc/<pid>/status, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise LookupError(key)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_bot(standin: StandIn, db_path: Path, workdir: Path) -> subprocess.Popen:
    """``dealbrief bot`` in a child process, configured through the environment."""
    env = os.environ | {
        "DISCORD_TOKEN": standin.token,
        "DISCORD_API_BASE": standin.api_base,
        "DISCORD_GATEWAY_URL": standin.gateway_url,
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-c", "from bot.entry import cli; cli()", "bot", "--db", db_path]
    log = (workdir / "bot.log").open("wb")
    return subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)


async def wait_started(standin: StandIn, bot: subprocess.Popen, log: Path) -> None:
    """Until the bot has synced its commands and identified, or fail with its log."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if bot.poll() is not None:
            raise SystemExit(f"the bot stopped:\n{log.read_text()}")
        if None in standin.commands and standin.gateway.ready_connections():
            return
        await asyncio.sleep(0.05)
    raise SystemExit(f"the bot did not connect in {START_TIMEOUT:.0f} s:\n{log.read_text()}")


async def one_turn(standin: TimedStandIn, call: Call, results: Results | None) -> None:
    """Autocomplete the prefix, then send /deal; note both latencies unless warming up."""
    choices = await standin.autocomplete("deal", "company", call.prefix, timeout=CALL_TIMEOUT)
    complete_token = standin.last_token
    handle = await standin.slash("deal", {"company": call.value})
    reply = await handle.response(timeout=CALL_TIMEOUT)
    if results is None:
        return
    results.complete_ms.append(standin.latency_ms(complete_token))
    results.choices.append(len(choices))
    results.deal_ms.append(standin.latency_ms(handle.token))
    results.answers[answer_kind(reply)] += 1


async def empty_prefix(standin: TimedStandIn) -> float:
    """Discord asks with an empty value as soon as the option is opened."""
    await standin.autocomplete("deal", "company", "", timeout=CALL_TIMEOUT)
    return standin.latency_ms(standin.last_token)


async def run(db_path: Path, calls: list[Call], warmup: list[Call]) -> tuple[Results, dict]:
    results = Results()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        async with TimedStandIn() as standin:
            started = time.perf_counter()
            bot = start_bot(standin, db_path, workdir)
            try:
                await wait_started(standin, bot, workdir / "bot.log")
                memory = {"start_s": time.perf_counter() - started}
                memory["rss_ready_mb"] = status_kb(bot.pid, "VmRSS") / 1024
                for call in warmup:
                    await one_turn(standin, call, None)
                cpu_before, load_before = cpu_seconds(bot.pid), os.getloadavg()[0]
                for call in calls:
                    await one_turn(standin, call, results)
                memory["cpu_ms_per_turn"] = (cpu_seconds(bot.pid) - cpu_before) * 1000 / len(calls)
                memory["load"] = (load_before, os.getloadavg()[0])
                memory["empty_ms"] = [await empty_prefix(standin) for _ in range(EMPTY_CALLS)]
                memory["rss_end_mb"] = status_kb(bot.pid, "VmRSS") / 1024
                memory["peak_rss_mb"] = status_kb(bot.pid, "VmHWM") / 1024
                memory["unknown_requests"] = len(standin.unknown_requests)
            finally:
                bot.send_signal(signal.SIGINT)
                try:
                    bot.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    bot.kill()
                    bot.wait()
            memory["log"] = (workdir / "bot.log").read_text().splitlines()
    return results, memory


def report(db_path: Path, results: Results, memory: dict, picked: int) -> None:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    companies = conn.execute("SELECT count(*) FROM companies").fetchone()[0]
    facts = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    conn.close()
    calls = len(results.deal_ms)
    print(f"\ndatabase: {db_path} ({companies:,} companies, {facts:,} facts)")
    print(f"bot connected and synced in {memory['start_s']:.1f} s")
    print(
        f"\n{'interaction -> callback':<28}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}  target p99"
    )
    for name, samples in (("/deal", results.deal_ms), ("autocomplete", results.complete_ms)):
        p50, p99, worst = bench_store.percentiles(samples)
        target = TARGETS_MS[name]
        verdict = f"{target:.0f} ms {'ok' if p99 <= target else 'OVER'}"
        print(f"{name:<28}{len(samples):>6}{p50:>9.2f}{p99:>9.2f}{worst:>9.2f}  {verdict}")
    nothing_typed = memory["empty_ms"]
    print(
        f"autocomplete with nothing typed yet, {len(nothing_typed)} one after another: "
        f"{', '.join(f'{ms:.1f}' for ms in nothing_typed)} ms "
        f"(median {np.median(nothing_typed):.1f}, max {max(nothing_typed):.1f})"
    )
    answers = ", ".join(f"{n} {kind}" for kind, n in results.answers.most_common())
    print(f"\n/deal answers: {answers} ({picked} of {calls} values picked from autocomplete)")
    empty = sum(1 for n in results.choices if n == 0)
    print(f"autocomplete: median {np.median(results.choices):.0f} choices, {empty} empty")
    print(
        f"bot CPU: {memory['cpu_ms_per_turn']:.2f} ms per turn (autocomplete + /deal); "
        f"load average {memory['load'][0]:.2f} before, {memory['load'][1]:.2f} after"
    )
    peak = memory["peak_rss_mb"]
    print(
        f"bot RSS: {memory['rss_ready_mb']:.0f} MB when ready, {memory['rss_end_mb']:.0f} MB at "
        f"the end, peak {peak:.0f} MB (target {TARGET_RSS_MB} MB) "
        f"{'ok' if peak <= TARGET_RSS_MB else 'OVER'}"
    )
    errors = [i for i, line in enumerate(memory["log"]) if "ERROR" in line]
    if memory["unknown_requests"] or errors:
        print(f"\nunknown REST routes: {memory['unknown_requests']}; errors logged: {len(errors)}")
        print("the first, as the bot logged it:")
        print("\n".join(memory["log"][errors[0] : errors[0] + 40] if errors else []))


def database(args: argparse.Namespace, tmp: Path) -> Path:
    """The database to serve: ``--db`` if it exists, else one built there (or in ``tmp``)."""
    path = args.db or tmp / "bench.db"
    if not path.exists():
        print(f"building {args.companies:,} companies / {args.facts:,} facts in {path} ...")
        timings = synth.build(path, args.companies, args.facts)
        print(f"built in {timings['total']:.0f} s")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="serve this database (built here if missing)")
    parser.add_argument("--companies", type=int, default=synth.COMPANIES)
    parser.add_argument("--facts", type=int, default=synth.FACTS)
    parser.add_argument("--calls", type=int, default=None, help=f"default {CALLS}")
    parser.add_argument("--small", action="store_true", help="5,000 companies, 50,000 facts")
    args = parser.parse_args()
    if args.small:
        args.companies, args.facts = synth.SMALL_COMPANIES, synth.SMALL_FACTS
    count = args.calls or (SMALL_CALLS if args.small else CALLS)
    with tempfile.TemporaryDirectory() as tmp:
        path = database(args, Path(tmp))
        turns = workload(path, WARMUP + count)
        results, memory = asyncio.run(run(path, turns[WARMUP:], turns[:WARMUP]))
        report(path, results, memory, sum(c.picked for c in turns[WARMUP:]))


if __name__ == "__main__":
    main()

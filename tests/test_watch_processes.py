"""Watches across processes: a fact added by the CLI while the bot runs, two bots on one
database, and a bot killed in the middle of a delivery: each watcher is told exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from cog_world import SEEDER, seed_deal

from bot.cogs.watch import WatchCog
from briefs.changes import FactIn, add_fact
from briefs.watch.watches import Requester, WatchForm, add_watch

FAST_POLL = 0.2
CLI = [sys.executable, "-c", "from bot.entry import cli; cli()"]


def fast_watch_cog(bot) -> WatchCog:
    """The real cog on the real clock, polling often and sending without waiting for a batch."""
    return WatchCog(bot, poll_seconds=FAST_POLL, batch_window=timedelta(0))


def mentions(messages: list[dict], fact_id: int) -> int:
    """How many of these messages tell of fact ``fact_id``."""
    return sum(f"**#{fact_id}**" in told(m) for m in messages)


def told(message: dict) -> str:
    """A message's text without Markdown's escapes (a line may not start with a bare #)."""
    return message["embeds"][0]["description"].replace("\\", "")


def open_batches(db) -> int:
    return db.execute(
        "SELECT (SELECT count(*) FROM watch_batches WHERE status = 'claimed') "
        "+ (SELECT count(*) FROM watch_deliveries WHERE batch_id IS NULL)"
    ).fetchone()[0]


async def settled(standin, db, probe, timeout: float) -> None:
    """Wait until ``probe()`` holds and no batch is left to send or being sent."""
    await standin.wait_until(probe, timeout, "the watchers to be told")
    for _ in range(int(timeout / 0.1)):
        if open_batches(db) == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("batches are still being sent")


async def test_a_fact_added_by_the_cli_while_the_bot_runs_is_delivered_once(
    start_bot, standin, db, db_path
):
    seed_deal(db)
    member = Requester("discord:bob", standin.member.id, standin.guild.id)
    add_watch(db, member, WatchForm(company="Northgate"))
    await start_bot(cogs=[fast_watch_cog])
    added = await asyncio.to_thread(
        subprocess.run,
        [*CLI, "--db", str(db_path), "fact", "add", "--kind", "approval", "--subject", "Northgate",
         "--summary", "Northgate won approval for zorbamab.", "--source", "1"],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    fact_id = db.execute("SELECT max(id) FROM facts").fetchone()[0]
    await settled(standin, db, lambda: standin.dm_messages(standin.member), timeout=15)
    await asyncio.sleep(FAST_POLL * 5)  # more polls find nothing more to send
    [message] = standin.dm_messages(standin.member)
    assert mentions([message], fact_id) == 1, str(message["embeds"][0])


async def test_two_bots_on_one_database_deliver_once(start_bot, standin, db):
    world = seed_deal(db)
    member = Requester("discord:bob", standin.member.id, standin.guild.id)
    admin = Requester("discord:alice", standin.admin.id, standin.guild.id, is_admin=True)
    add_watch(db, member, WatchForm(company="Northgate"))
    deals = standin.guild.channel("deals")
    add_watch(db, admin, WatchForm(keyword="zorbamab"), channel_id=deals.id)
    await start_bot(cogs=[fast_watch_cog])
    await start_bot(cogs=[fast_watch_cog])
    facts = []
    for number in range(6):
        summary = f"Northgate won approval number {number} for zorbamab."
        fact = FactIn(
            kind="approval", summary=summary, source_id=world["source"],
            subject_id=world["northgate"],
        )  # fmt: skip
        facts.append(add_fact(db, fact, SEEDER))
        await asyncio.sleep(FAST_POLL / 2)

    def everyone_told() -> bool:
        inbox, channel = standin.dm_messages(standin.member), standin.channel_messages(deals)
        return all(mentions(inbox, f) and mentions(channel, f) for f in facts)

    await settled(standin, db, everyone_told, timeout=20)
    await asyncio.sleep(FAST_POLL * 5)
    for fact_id in facts:
        assert mentions(standin.dm_messages(standin.member), fact_id) == 1
        assert mentions(standin.channel_messages(deals), fact_id) == 1


def start_bot_process(standin, db_path: Path, log: Path) -> subprocess.Popen:
    """The real ``dealbrief bot`` in its own process, with only the watch cog."""
    environ = {
        **os.environ,
        "DISCORD_TOKEN": standin.token,
        "DISCORD_API_BASE": standin.api_base,
        "DEALBRIEF_COGS": "bot.cogs.watch",
        "DEALBRIEF_WATCH_BATCH_SECONDS": "1",
    }
    return subprocess.Popen(
        [*CLI, "--db", str(db_path), "bot"],
        env=environ,
        stdin=subprocess.DEVNULL,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


async def test_a_bot_killed_in_the_middle_of_a_delivery_tells_each_watcher_once_after_restart(
    standin, db, db_path, tmp_path
):
    world = seed_deal(db)
    member = Requester("discord:bob", standin.member.id, standin.guild.id)
    admin = Requester("discord:alice", standin.admin.id, standin.guild.id, is_admin=True)
    deals = standin.guild.channel("deals")
    add_watch(db, member, WatchForm(company="Northgate"))
    add_watch(db, admin, WatchForm(keyword="zorbamab"))
    add_watch(db, admin, WatchForm(keyword="zorbamab"), channel_id=deals.id)
    hold = standin.hold("POST /channels/{id}/messages")
    log = tmp_path / "bot.log"
    first = start_bot_process(standin, db_path, log)
    try:
        await standin.wait_for_ready(timeout=60)
        fact = FactIn(
            kind="approval", summary="Northgate won approval for zorbamab.",
            source_id=world["source"], subject_id=world["northgate"],
        )  # fmt: skip
        fact_id = add_fact(db, fact, SEEDER)
        await standin.wait_held(hold, timeout=90)
        first.send_signal(signal.SIGKILL)
        await asyncio.to_thread(first.wait, 30)
    finally:
        if first.poll() is None:
            first.kill()
    hold.release()
    second = start_bot_process(standin, db_path, log)
    try:

        def everyone_told() -> bool:
            inboxes = [standin.dm_messages(standin.member), standin.dm_messages(standin.admin)]
            return all(mentions(m, fact_id) for m in [*inboxes, standin.channel_messages(deals)])

        await settled(standin, db, everyone_told, timeout=120)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(second.wait, 30)
        except subprocess.TimeoutExpired:
            second.kill()
    assert mentions(standin.dm_messages(standin.member), fact_id) == 1, log.read_text()
    assert mentions(standin.dm_messages(standin.admin), fact_id) == 1
    assert mentions(standin.channel_messages(deals), fact_id) == 1
    # The held message was sent again after the restart, with the same nonce.
    posts = [r for r in standin.find_requests("POST /channels/{id}/messages") if r.json]
    nonces = [r.json.get("nonce") for r in posts]
    assert len(nonces) == 4 and len(set(nonces)) == 3

"""Writers in several processes and the bot at once: every write waits its turn, none is refused
or lost. Four OS processes run the real command line (``fact add`` and ``ingest``) in a loop on
one database file while the real bot removes and restores facts for an admin on Discord."""

from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from click.testing import CliRunner
from cog_world import seed

from bot.entry import cli
from briefs.store import open_db

WRITERS = 4
ROUNDS = 6  # each round: one fact add and one ingest
BOT_ROUNDS = 6  # each round: /fact remove then /fact undo
ADMIN_COGS = ["bot.cogs.facts"]
BRIEFS = Path(__file__).resolve().parent.parent / "briefs"


def cli_writer(db_path: str, folder: str, writer: int) -> dict[str, list]:
    """One process: the real CLI, run in a loop; which writes it reports done and which failed."""
    runner = CliRunner()
    done: list[str] = []
    failed: list[str] = []
    for number in range(ROUNDS):
        summary = f"Writer {writer} round {number}: Northgate filed again."
        options = ["--kind", "approval", "--summary", summary, "--subject", "Northgate Pharma"]
        added = runner.invoke(cli, ["--db", db_path, "fact", "add", *options, "--source", "t-1"])
        (done if added.exit_code == 0 else failed).append(("fact", summary, added.output))
        document = Path(folder) / f"w{writer}-{number}.txt"
        document.write_text(
            f"Wire {writer}-{number}\n\nRiverbend Therapeutics licensed compound "
            f"RB-{writer}{number} to Northgate Pharma for $1{number} million upfront.\n"
        )
        ingested = runner.invoke(cli, ["--db", db_path, "ingest", str(document)])
        (done if ingested.exit_code == 0 else failed).append(
            ("ingest", document.name, ingested.output)
        )
    return {"done": done, "failed": failed}


async def test_cli_writers_and_the_bot_write_at_once_without_refusals(
    db, db_path, tmp_path, standin, start_bot
):
    world = seed(db)
    approvals = [
        row[0] for row in db.execute("SELECT id FROM facts WHERE kind = 'approval' ORDER BY id")
    ]
    await start_bot(extensions=ADMIN_COGS)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(WRITERS, mp_context=spawn) as pool:
        writers = [
            pool.submit(cli_writer, str(db_path), str(tmp_path), writer)
            for writer in range(WRITERS)
        ]
        answers = []
        for number in range(BOT_ROUNDS):
            fact = approvals[number]
            for name, options in (("fact remove", {"id": fact}), ("fact undo", {})):
                handle = await standin.slash(name, options, user=standin.admin)
                answers.append((name, fact, (await handle.answer(timeout=30)).text))
        results = [future.result(timeout=120) for future in writers]

    failed = [failure for result in results for failure in result["failed"]]
    assert failed == []
    for name, fact, text in answers:
        assert f"#{fact}" in text and not re.search(r"error id", text, re.I), (name, text)

    added = [summary for result in results for kind, summary, _ in result["done"] if kind == "fact"]
    stored = {
        row[0] for row in db.execute("SELECT summary FROM facts WHERE summary LIKE 'Writer %'")
    }
    assert len(added) == WRITERS * ROUNDS and stored == set(added)
    documents = db.execute("SELECT count(*) FROM sources WHERE kind = 'document'").fetchone()[0]
    assert documents == WRITERS * ROUNDS
    by_admin = db.execute(
        "SELECT action, count(*) FROM audit WHERE actor_id = ? GROUP BY action",
        [standin.admin.id],
    ).fetchall()
    assert dict(by_admin) == {"remove": BOT_ROUNDS, "undo": BOT_ROUNDS}
    live = db.execute(
        "SELECT count(*) FROM facts WHERE kind = 'approval' AND deleted_at IS NULL "
        "AND summary NOT LIKE 'Writer %'"
    ).fetchone()[0]
    assert live == len(approvals) and world["deal"] not in approvals
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened = open_db(db_path)
    assert reopened.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    reopened.close()


def test_every_write_goes_through_store_writing():
    """Transactions are begun in one place only (``briefs.store``): a ``with db.conn:``, a
    sqlite-utils ``atomic()`` or a hand-written BEGIN elsewhere would be deferred again."""
    banned = re.compile(
        r"with \w+\.conn\b|\.atomic\(|[\"']BEGIN\b|\.commit\(\)"
        r"|\bdb\[[^\]]+\]\.(insert|upsert|update|delete)"
    )
    offenders = [
        f"{path.relative_to(BRIEFS.parent)}:{number}: {line.strip()}"
        for folder in (BRIEFS, BRIEFS.parent / "bot")
        for path in sorted(folder.rglob("*.py"))
        if path.name != "store.py" or path.parent != BRIEFS
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if banned.search(line)
    ]
    assert offenders == []

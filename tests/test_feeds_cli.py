"""``dealbrief feed`` on a fresh database, against the loopback feed server."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from feed_server import rss, rss_item, serve_articles, serving
from sqlite_utils import Database

from briefs.cli import cli
from briefs.store import isotime, utcnow

ENV = {"DEALBRIEF_ALLOW_PRIVATE_URLS": "1", "DEALBRIEF_FEED_HOST_SPACING": "0"}


@pytest.fixture
def feed_server():
    yield from serving()


def run(db_path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db_path), "feed", *args], env=ENV)


def make_due(db_path) -> None:
    """As if the feed's interval had passed."""
    db = Database(db_path)
    db.execute("UPDATE feeds SET next_poll_at = ?", [isotime(utcnow())])
    db.conn.commit()
    db.close()


def test_add_poll_poll_again_and_take_one_new_item(tmp_path, feed_server):
    db_path = tmp_path / "fresh.db"
    serve_articles(feed_server, range(9))
    items = [rss_item(n, feed_server) for n in range(8)]
    feed_server.serve("/feed", rss(items), etag='"one"')

    added = run(db_path, "add", feed_server.url("/feed"), "--backfill", "5")
    assert added.exit_code == 0, added.output
    assert "Feed #1 added" in added.output

    first = run(db_path, "poll")
    assert first.exit_code == 0, first.output
    assert "#1 " in first.output and "5 new items" in first.output
    db = Database(db_path)
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 5
    proposed = db.execute("SELECT count(*) FROM proposals WHERE status = 'proposed'").fetchone()[0]
    assert proposed == 5

    make_due(db_path)
    second = run(db_path, "poll")
    assert "nothing new" in second.output
    assert feed_server.hits("/feed")[-1].get("If-None-Match") == '"one"'
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == 5

    feed_server.serve("/feed", rss([*items, rss_item(8, feed_server)]), etag='"two"')
    make_due(db_path)
    third = run(db_path, "poll")
    assert "1 new item" in third.output
    rows = db.execute("SELECT title FROM sources ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ["Item 3", "Item 4", "Item 5", "Item 6", "Item 7", "Item 8"]

    listed = run(db_path, "list")
    assert "Deal Wire" in listed.output and "every 60 min" in listed.output
    status = run(db_path, "status", "1")
    assert "Last success" in status.output and "Items taken: 6" in status.output


def test_pause_resume_remove(tmp_path, feed_server):
    db_path = tmp_path / "fresh.db"
    feed_server.serve("/feed", rss([]))
    run(db_path, "add", feed_server.url("/feed"))
    assert "paused" in run(db_path, "pause", "1").output
    assert "No feed is due" in run(db_path, "poll").output
    assert "resumed" in run(db_path, "resume", "1").output
    assert "#1" in run(db_path, "poll").output
    assert "removed" in run(db_path, "remove", "1").output
    assert "No feeds yet" in run(db_path, "list").output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("add", "ftp://example.org/feed"), "not a web address"),
        (("add", "https://example.org/feed", "--interval", "1"), "5 to 1440 minutes"),
        (("add", "https://example.org/feed", "--backfill", "500"), "0 to 50"),
        (("pause", "7"), "no feed #7"),
        (("remove", "seven"), "seven"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(tmp_path, args, words):
    db_path = tmp_path / "fresh.db"
    result = run(db_path, *args)
    assert result.exit_code == 1
    assert words in result.output and len(result.output.strip().splitlines()) == 1
    db = Database(db_path)
    assert db.execute("SELECT count(*) FROM feeds").fetchone()[0] == 0


def test_a_feed_is_added_once(tmp_path):
    db_path = tmp_path / "fresh.db"
    assert run(db_path, "add", "https://example.org/feed").exit_code == 0
    again = run(db_path, "add", "https://example.org/feed")
    assert again.exit_code == 1 and "already" in again.output


def test_the_console_manages_the_shells_feeds(db):
    from bot.console import answer

    added = answer(db, "/feed add url:https://example.org/rss backfill:2 interval:15")
    assert "Feed #1 added" in added and "2 newest items" in added
    assert "every 15 min" in answer(db, "/feed list")
    assert "paused" in answer(db, "/feed pause feed:1")
    assert "Paused" in answer(db, "/feed status feed:1")
    assert "0 to 50" in answer(db, "/feed add url:https://example.org/other backfill:many")
    assert "no feed #4" in answer(db, "/feed remove feed:4")
    assert "removed" in answer(db, "/feed remove feed:1")
    assert db.execute("SELECT count(*) FROM feeds").fetchone()[0] == 0

"""``dealbrief watch`` and the console's /watch: the same rules, one line for bad input."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from cog_world import SEEDER, seed_deal

from bot import console
from bot.config import load_config
from bot.entry import cli
from briefs.changes import add_company
from briefs.errors import BadInput
from briefs.store import writing
from briefs.watch.watches import FAILURES_TO_PAUSE, Target, get_watch, record_failure


def run(db_path, *args):
    return CliRunner().invoke(cli, ["--db", str(db_path), "watch", *args])


def test_add_list_and_remove_from_a_shell(db, db_path):
    seed_deal(db)
    added = run(db_path, "add", "--company", "Northgate", "--user", "123456789012345678")
    assert added.exit_code == 0, added.output
    assert "Watch #1 added" in added.output and "by direct message" in added.output
    posted = run(
        db_path, "add", "--keyword", "PD-1", "--min-upfront", "$50m", "--channel", "42",
        "--guild", "7",
    )  # fmt: skip
    assert posted.exit_code == 0, posted.output
    listed = run(db_path, "list").output
    assert "Northgate Pharma" in listed and "channel 42" in listed and "$50m" in listed
    assert run(db_path, "remove", "1").exit_code == 0
    assert "Northgate" not in run(db_path, "list").output


def test_bad_input_is_one_line_and_changes_nothing(db, db_path):
    seed_deal(db)
    for args in (
        ["--user", "5"],
        ["--keyword", "x"],
        ["--keyword", "x", "--user", "abc"],
        ["--keyword", "x", "--channel", "42"],
        ["--min-upfront", "50", "--user", "5"],
    ):
        result = run(db_path, "add", *args)
        assert result.exit_code == 1, args
        assert len(result.output.strip().splitlines()) == 1, result.output
    assert run(db_path, "remove", "9").exit_code == 1
    assert db.execute("SELECT count(*) FROM watches").fetchone()[0] == 0


def test_an_unknown_company_gets_did_you_mean(db, db_path):
    seed_deal(db)
    add_company(db, "Riverbank Biotech", SEEDER, country="China")
    result = run(db_path, "add", "--company", "Riverb", "--user", "5")
    assert result.exit_code == 1 and "Did you mean" in result.output
    result = run(db_path, "add", "--company", "Zzyzx Holdings", "--user", "5")
    assert result.exit_code == 1 and "No company is called" in result.output


def test_the_console_mirrors_watch(db):
    seed_deal(db)
    assert "or a channel id" in console.answer(db, "/watch add company:Northgate")
    added = console.answer(db, "/watch add company:Northgate channel:42")
    assert "Watch #1 added" in added and "channel 42" in added
    assert "Northgate Pharma" in console.answer(db, "/watch list")
    assert "removed" in console.answer(db, "/watch remove 1")


def test_a_paused_watch_is_resumed_from_a_shell_and_the_console(db, db_path):
    seed_deal(db)
    run(db_path, "add", "--company", "Northgate", "--user", "123456789012345678")
    console.answer(db, "/watch add company:Northgate channel:42")
    refused = run(db_path, "resume", "1")
    assert refused.exit_code == 1 and "is not paused" in refused.output
    with writing(db):
        for _ in range(FAILURES_TO_PAUSE):
            record_failure(db, Target("dm", 123456789012345678), "dm_closed")
            record_failure(db, Target("channel", 42), "target_missing")
    assert "dealbrief watch resume 2" in run(db_path, "list").output
    resumed = run(db_path, "resume", "2")
    assert resumed.exit_code == 0 and "Watch #2 resumed" in resumed.output
    assert "Watch #1 resumed" in console.answer(db, "/watch resume 1")
    assert [get_watch(db, n).paused for n in (1, 2)] == [False, False]


def test_the_batching_window_is_a_setting(tmp_path):
    environ = {"DEALBRIEF_WATCH_BATCH_SECONDS": "5"}
    assert load_config(config_file=None, environ=environ).watch_batch_seconds == 5
    assert load_config(config_file=None, environ={}).watch_batch_seconds == 40
    with pytest.raises(BadInput) as refused:
        load_config(config_file=None, environ={"DEALBRIEF_WATCH_BATCH_SECONDS": "soon"})
    assert refused.value.code == "bad_setting"

"""``dealbrief digest``: the same digest as text, chosen by time or by change id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from briefs.changes import Actor, FactIn, add_company, add_fact, add_source
from briefs.cli import EXIT_USER_ERROR, cli
from briefs.digest.cli import parse_since
from briefs.errors import BadInput
from briefs.queries import latest_audit_id

ADMIN = Actor("tester")


def add_approval(db, summary: str) -> int:
    source = add_source(db, key="wire", title="Roundup", outlet="Wire", actor=ADMIN)
    company = db.execute("SELECT id FROM companies LIMIT 1").fetchone()
    subject = company[0] if company else add_company(db, "Alpha Bio", ADMIN)
    return add_fact(
        db, FactIn(kind="approval", summary=summary, source_id=source, subject_id=subject), ADMIN
    )


def run(db_path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db_path), "digest", *args])


def test_since_a_span_prints_recent_facts(db, db_path):
    add_approval(db, "Approval in Korea")
    result = run(db_path, "--since", "7d")
    assert result.exit_code == 0, result.output
    assert "Approval: Approval in Korea" in result.output
    assert "Source: Wire, “Roundup”" in result.output


def test_since_a_date_leaves_out_older_changes(db, db_path):
    fact = add_approval(db, "Old approval")
    db.execute("UPDATE audit SET at = '2020-01-01T00:00:00+00:00' WHERE entity_id = ?", [fact])
    db.conn.commit()
    add_approval(db, "New approval")
    output = run(db_path, "--since", "2021-01-01").output
    assert "New approval" in output and "Old approval" not in output


def test_since_audit_counts_by_change_id(db, db_path, tmp_path):
    add_approval(db, "Before the mark")
    mark = latest_audit_id(db)
    add_approval(db, "After the mark")
    chart = tmp_path / "chart.png"
    result = run(db_path, "--since-audit", str(mark), "--chart", str(chart))
    assert "After the mark" in result.output and "Before the mark" not in result.output
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_quiet_window_says_so(db, db_path):
    add_approval(db, "Something")
    latest = latest_audit_id(db)
    output = run(db_path, "--since-audit", str(latest)).output
    assert "A quiet week" in output
    assert f"No changes since #{latest}." in output
    assert f"#{latest + 1} to #{latest}" not in output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--since", "2030-01-01"), "2030-01-01 is in the future"),
        (("--since", ""), "--since is empty"),
        (("--since-audit", "99999"), "There is no change #99999"),
        (("--since-audit", "-1"), "There is no change #-1"),
    ],
)
def test_a_window_that_cannot_hold_changes_is_refused_in_one_line(db, db_path, args, words):
    add_approval(db, "Something")
    result = run(db_path, *args)
    assert result.exit_code == EXIT_USER_ERROR, result.output
    assert result.stdout == ""
    assert words in result.stderr and result.stderr.strip().count("\n") == 0


def test_a_chart_in_a_missing_folder_is_refused_before_the_digest(db, db_path, tmp_path):
    add_approval(db, "Something")
    result = run(db_path, "--chart", str(tmp_path / "no" / "such" / "x.png"))
    assert result.exit_code == EXIT_USER_ERROR
    assert result.stdout == "" and "Traceback" not in result.output
    assert result.stderr.strip().count("\n") == 0 and "x.png cannot be written" in result.stderr


def test_bad_since_is_refused_politely(db_path):
    result = run(db_path, "--since", "last tuesday")
    assert result.exit_code == EXIT_USER_ERROR
    assert "last tuesday" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "back"),
    [("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("2w", timedelta(weeks=2))],
)
def test_parse_since_spans(text, back):
    now = datetime(2025, 3, 24, tzinfo=UTC)
    assert parse_since(text, now) == now - back


def test_parse_since_refuses_nonsense():
    with pytest.raises(BadInput):
        parse_since("7 parsecs", datetime(2025, 3, 24, tzinfo=UTC))

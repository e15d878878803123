"""Junk typed into every admin command: a polite line and exit 1, and then nothing changed.

Each example runs one command against a fresh copy of a seeded database (curated data plus one
proposal waiting for review) and compares a dump of every table before and after.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.changes import Actor
from briefs.cli import cli
from briefs.curated import load_curated
from briefs.ingest.read import read_bytes
from briefs.ingest.review import ingest_document
from briefs.store import open_db

PROPOSAL = (
    "Novexa licenses HX-2\nPublished: 2024-05-06\n\n"
    "Novexa Therapeutics licensed the antibody HX-2 from Helio Biotech.\n"
    "Novexa will pay $40 million upfront.\n"
)
NASTY = [
    "",
    " ",
    "\t",
    "x" * 10_000,
    "'; DROP TABLE facts; --",
    "1 OR 1=1",
    "Robert'); DELETE FROM audit;--",
    "@everyone",
    "<@123>",
    "\x00",
    "\x1b[31mred",
    "jun\x07shi",
    "\u202eevil",
    "¥5m",
    "nan",
    "inf",
    "-5m",
    "1,2",
    "$1.2.3",
    "1e400",
    "99999999999999999999999",
    "0",
    "-1",
    "#0",
    "2025-00",
    "0000",
    "2023-02-29",
    "2024-02-29",
    "9999-99-99",
    "undisclosed",
    "CSPC",
    "Junshi",
    "1",
    "#1",
    "2025",
    "licence",
    "approval",
    "$50m",
    "3.5bn yuan",
    "name",
]
JUNK = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x20), max_size=5),
)
IDS = st.one_of(
    st.sampled_from(["0", "1", "#1", "2", "-1", "#", "1.5", "١", "999999999999", "9" * 20]),
    JUNK,
)
FACT_OPTIONS = (
    "kind", "summary", "subject", "counterparty", "licensor", "licensee", "asset", "sector",
    "territory", "stage", "royalty", "period", "status", "source", "evidence", "note",
    "upfront", "milestones", "total", "equity",
)  # fmt: skip
SOURCE_OPTIONS = ("source-title", "source-outlet", "source-date", "source-url")
REVIEW_EDITS = (
    "kind", "licensor", "licensee", "subject", "asset", "territory", "period", "summary",
    "upfront", "milestones", "total", "equity",
)  # fmt: skip
SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", "", ".TXT")


def options(names: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """Some of ``names`` as ``--name value`` pairs, each value junk."""
    if not names:
        return st.just([])
    pairs = st.lists(st.tuples(st.sampled_from(names), JUNK), max_size=5)
    return pairs.map(lambda chosen: [part for name, v in chosen for part in (f"--{name}", v)])


def command(*head: st.SearchStrategy, opts: tuple[str, ...] = ()) -> st.SearchStrategy:
    return st.tuples(*head, options(opts)).map(lambda t: [*t[0], *t[1:-1], *t[-1]])


COMMANDS = st.one_of(
    command(st.just(["fact", "add"]), opts=FACT_OPTIONS + SOURCE_OPTIONS),
    command(st.just(["fact", "edit"]), IDS, opts=(*FACT_OPTIONS, "reason")),
    command(st.just(["fact", "remove"]), IDS, opts=("reason",)),
    command(st.just(["fact", "undo"]), IDS),
    st.just(["fact", "undo"]),
    command(st.just(["company", "add"]), JUNK, opts=("country", "sector", "description", "alias")),
    command(st.just(["company", "alias"]), JUNK, JUNK, opts=("kind", "source")),
    command(st.just(["review", "approve"]), IDS, opts=REVIEW_EDITS),
    command(st.just(["review", "reject"]), IDS, opts=("reason",)),
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Curated data and one proposal waiting, built once; each example gets its own copy."""
    path = tmp_path_factory.mktemp("junk") / "seed.db"
    db = open_db(path)
    load_curated(db, actor=Actor.curated())
    ingest_document(db, read_bytes(PROPOSAL.encode(), "novexa.txt"), Actor.shell())
    db.close()
    return path


def dump(path: Path) -> list[str]:
    """Every table's rows and the schema, as SQL text (read without migrating or writing)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def run_on_copy(seeded: Path, args: list[str], files: dict[str, bytes] | None = None):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "dealbrief.db"
        shutil.copy(seeded, path)
        paths = []
        for name, data in (files or {}).items():
            (Path(folder) / name).write_bytes(data)
            paths.append(str(Path(folder) / name))
        before = dump(path)
        result = CliRunner().invoke(cli, ["--db", str(path), *args, *paths])
        return result, before, dump(path)


def assert_polite(result: Result, before: list[str], after: list[str]) -> None:
    """Exit 0, or a refusal (1; 2 is click's own usage line) that wrote nothing."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        return
    message = result.stderr.strip()
    assert message, "a refusal must say why"
    if result.exit_code == 1:
        assert "\n" not in message, message
        assert not message.startswith("Sorry, that did not work"), message
        assert not re.search(r"#[.:]", message), message  # a number left out of the sentence
    else:
        assert message.splitlines()[-1].startswith("Error:"), message
    assert after == before


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(args=COMMANDS)
def test_admin_commands_refuse_junk_politely_and_change_nothing(seeded, args):
    assert_polite(*run_on_copy(seeded, args))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.dictionaries(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(SUFFIXES)).map("".join),
        st.one_of(
            st.binary(max_size=300),
            st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
            st.sampled_from([b"", b"\x00" * 10, b"%PDF-1.4\n\x00\xff", b"\xff\xfe\x00", b"<html>"]),
        ),
        min_size=1,
        max_size=3,
    ),
    flags=st.lists(st.sampled_from(["--json", "--dry-run"]), unique=True),
)
def test_ingest_of_any_bytes_is_polite(seeded, files, flags):
    result, before, after = run_on_copy(seeded, ["ingest", *flags], files)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 1 or "--dry-run" in flags:
        assert after == before

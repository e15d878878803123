"""The command line over a real database file: set-up, answers, refusals and audited changes."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefs.changes import Actor, FactIn, add_fact, edit_fact
from briefs.cli import cli
from briefs.curated import DATA_DIR, load_curated
from briefs.store import open_db

TABLES = ("companies", "aliases", "sources", "facts", "figures", "audit")


def seed_names() -> list[tuple[str, str]]:
    """(company, name) for every name of every curated company, its own name included."""
    with open(Path(DATA_DIR) / "companies.toml", "rb") as fh:
        companies = tomllib.load(fh)["company"]
    return [
        (c["name"], name)
        for c in companies
        for name in [c["name"], *(a["alias"] for a in c.get("aliases", []))]
    ]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised database, built once; each test works on its own copy."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    db = open_db(path)
    load_curated(db, actor=Actor.curated())
    db.close()
    return path


@pytest.fixture
def ready(seeded: Path, db_path: Path) -> Path:
    shutil.copy(seeded, db_path)
    return db_path


def run(path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(path), *args])


def counts(path: Path) -> dict[str, int]:
    db = open_db(path)
    try:
        return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        db.close()


def undo_id(output: str) -> int:
    return int(re.findall(r"fact undo (\d+)", output)[-1])


def added_fact_id(output: str) -> int:
    return int(re.search(r"Added fact #(\d+)", output).group(1))


# --- Set-up ---------------------------------------------------------------------------------


def test_init_loads_the_curated_data_and_is_idempotent(db_path):
    first = run(db_path, "init")
    assert first.exit_code == 0, first.output
    assert "Curated data loaded" in first.stdout
    assert re.search(r"[1-9]\d* added", first.stdout)
    before = counts(db_path)
    again = run(db_path, "init")
    assert again.exit_code == 0, again.output
    assert "0 added · 0 updated" in again.stdout
    assert counts(db_path) == before


def test_commands_refuse_an_empty_database_in_one_line(tmp_path):
    path = tmp_path / "none.db"
    result = run(path, "deal", "junshi")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "dealbrief init" in result.stderr
    assert not path.exists()  # asking never creates a database


def test_db_path_comes_from_the_environment(ready, monkeypatch):
    monkeypatch.setenv("DEALBRIEF_DB", str(ready))
    result = CliRunner().invoke(cli, ["sources"])
    assert result.exit_code == 0, result.output
    assert "CGTN" in result.stdout


# --- Reading ----------------------------------------------------------------------------------


def test_deal_junshi_prints_its_brief_with_sources(ready):
    result = run(ready, "deal", "junshi")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Junshi Biosciences")
    assert "Source: " in result.stdout and "[source " in result.stdout
    assert re.search(r"#\d+ ", result.stdout)


@pytest.mark.parametrize(("company", "name"), seed_names())
def test_each_seed_company_by_each_of_its_names(ready, company, name):
    result = run(ready, "deal", name)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == company


def test_a_typo_prints_did_you_mean_or_the_company(ready):
    result = run(ready, "deal", "Junshee Bio")
    if result.exit_code == 0:
        assert result.stdout.startswith("Junshi Biosciences")
    else:
        assert result.exit_code == 1
        assert "No company is called “Junshee Bio”" in result.stderr


def test_search_stats_sources_and_source(ready):
    found = run(ready, "search", "stroke")
    assert found.exit_code == 0, found.output
    assert "Search: stroke" in found.stdout and "[source " in found.stdout

    table = run(ready, "stats", "--by", "half", "--period", "2025")
    assert table.exit_code == 0, table.output
    assert "Period" in table.stdout and "2025-H1" in table.stdout
    assert "Reported figures" in table.stdout

    listed = run(ready, "sources")
    assert listed.exit_code == 0 and "facts" in listed.stdout
    one = run(ready, "source", "1")
    assert one.exit_code == 0, one.output
    assert "Facts from this source" in one.stdout


# --- Refusals -----------------------------------------------------------------------------------

NEW_FACT = ("fact", "add", "--kind", "licence", "--summary", "A test deal", "--source", "1")
BAD_INPUT = [
    (("deal", ""), "is empty"),
    (("deal", "x" * 10_000), "too long"),
    (("deal", "jun\x07shi"), "control characters"),
    (("deal", "'; DROP TABLE facts; --"), "No company is called"),
    (("search", ""), "empty"),
    (("search", "y" * 10_000), "too long"),
    (("search", "\x1b[31m"), "control characters"),
    (("stats", "--period", "2025-13"), "“2025-13” is not a date or period"),
    (("source", "9999"), "no source"),
    (("source", "1 OR 1=1"), "no source"),
    ((*NEW_FACT, "--upfront", "lots"), "“lots” is not an amount"),
    ((*NEW_FACT, "--period", "2025-13"), "“2025-13” is not a date"),
    ((*NEW_FACT, "--upfront", "5 doubloons"), "is not an amount"),
    ((*NEW_FACT, "--licensor", "Nobody Widgets Incorporated"), "No company is called"),
    ((*NEW_FACT[:3], "gossip", *NEW_FACT[4:]), "is not a kind of fact"),
    ((*NEW_FACT[:5], "z" * 10_000, *NEW_FACT[6:]), "too long"),
    ((*NEW_FACT[:5], "", *NEW_FACT[6:]), "empty"),
    (
        ("fact", "add", "--kind", "licence", "--summary", "x" * 5000, "--source-title", "New"),
        "too long",
    ),
    (
        (
            "fact",
            "add",
            "--kind",
            "licence",
            "--summary",
            "ok",
            "--source-title",
            "New",
            "--source-date",
            "2025-13",
        ),
        "is not a date",
    ),
    (("fact", "edit", "9999", "--asset", "x"), "no fact #9999"),
    (("fact", "edit", "abc", "--asset", "x"), "is not a number"),
    (("fact", "edit", "1"), "Nothing changed"),
    (("fact", "remove", "9999"), "no fact #9999"),
    (("fact", "undo", "9999"), "no change #9999"),
    (("fact", "undo"), "no change left to undo"),
    (("fact", "remove", str(2**63)), "is not a fact number"),
    (("fact", "history", "--fact", str(2**63)), "is not a fact number"),
    (("fact", "history", "--company", "Nobody Widgets Incorporated"), "No company"),
    (("company", "add", "Junshi Biosciences"), "already known"),
    (("company", "add", ""), "empty"),
    (("company", "alias", "CSPC", "Junshi"), "already belongs to"),
]


@pytest.mark.parametrize(
    ("args", "expected"), BAD_INPUT, ids=[" ".join(a)[:40] for a, _ in BAD_INPUT]
)
def test_bad_input_gives_one_line_and_changes_nothing(ready, args, expected):
    before = counts(ready)
    result = run(ready, *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    message = result.stderr.strip()
    assert message.count("\n") == 0, message
    assert expected.casefold() in message.casefold()
    assert result.stdout == ""
    assert counts(ready) == before


# --- Changes ----------------------------------------------------------------------------------


def test_fact_add_edit_remove_undo_with_the_audit_trail(ready):
    added = run(
        ready,
        *NEW_FACT[:5],
        "CSPC licensed a stroke drug to Junshi",
        "--licensor",
        "CSPC",
        "--licensee",
        "junshi",
        "--asset",
        "NBP",
        "--period",
        "2025-03",
        "--upfront",
        "$50m",
        "--milestones",
        "3.5bn yuan",
        "--royalty",
        "tiered",
        "--total",
        "undisclosed",
        "--source",
        "1",
    )
    assert added.exit_code == 0, added.output
    fact_id = added_fact_id(added.stdout)
    assert "CSPC Pharmaceutical Group licenses NBP to Junshi Biosciences" in added.stdout
    assert "upfront $50M" in added.stdout and "milestones 3.5B yuan (≈ $" in added.stdout
    assert "total (stated) undisclosed" in added.stdout
    add_change = undo_id(added.stdout)

    brief = run(ready, "deal", "Junshi")
    assert f"#{fact_id} Licence" in brief.stdout.split("Other facts")[0]  # listed as a deal

    edited = run(ready, "fact", "edit", str(fact_id), "--upfront", "$60m", "--reason", "typo")
    assert edited.exit_code == 0, edited.output
    assert "upfront $60M" in edited.stdout and "Reason: typo" in edited.stdout
    edit_change = undo_id(edited.stdout)
    assert edit_change > add_change

    removed = run(ready, "fact", "remove", str(fact_id), "--reason", "duplicate")
    assert removed.exit_code == 0, removed.output
    assert f"#{fact_id} " not in run(ready, "deal", "Junshi").stdout

    undone = run(ready, "fact", "undo")
    assert undone.exit_code == 0, undone.output
    assert f"Undid change #{undo_id(removed.stdout)}" in undone.stdout
    assert f"#{fact_id} Licence" in run(ready, "deal", "Junshi").stdout

    history = run(ready, "fact", "history", "--fact", str(fact_id))
    assert history.exit_code == 0, history.output
    undo_change = int(re.search(r"Change #(\d+) by", undone.stdout).group(1))
    listed = [int(line.split()[0][1:]) for line in history.stdout.splitlines() if line[:1] == "#"]
    assert listed == [undo_change, undo_id(removed.stdout), edit_change, add_change]
    assert "“duplicate”" in history.stdout and "“typo”" in history.stdout
    by_company = run(ready, "fact", "history", "--company", "CSPC")
    assert f"fact #{fact_id}" in by_company.stdout


def test_fact_add_creates_its_source_once(ready):
    args = (
        "fact", "add", "--kind", "approval", "--summary", "An approval", "--subject", "Junshi",
        "--source-title", "A new article", "--source-outlet", "Example News",
        "--source-date", "2025-07-14", "--source-url", "https://example.org/n",
    )  # fmt: skip
    first = run(ready, *args)
    assert first.exit_code == 0, first.output
    assert "Example News, “A new article”, 2025-07-14" in first.stdout
    sources = counts(ready)["sources"]
    second = run(ready, *args[:5], "Another approval", *args[6:])
    assert second.exit_code == 0, second.output
    assert counts(ready)["sources"] == sources


def test_company_add_with_aliases_then_alias_then_deal(ready):
    added = run(ready, "company", "add", "Acme Widgets", "--country", "Japan", "--alias", "Acme")
    assert added.exit_code == 0, added.output
    assert "Added company" in added.stdout and "Added alias" in added.stdout
    alias = run(ready, "company", "alias", "Acme Widgets", "AW", "--kind", "abbreviation")
    assert alias.exit_code == 0, alias.output
    brief = run(ready, "deal", "AW")
    assert brief.exit_code == 0, brief.output
    assert brief.stdout.startswith("Acme Widgets")
    assert "Nothing is recorded about Acme Widgets yet." in brief.stdout
    undone = run(ready, "fact", "undo", str(undo_id(alias.stdout)))
    assert undone.exit_code == 0, undone.output
    assert run(ready, "deal", "AW").exit_code == 1


# --- Export -----------------------------------------------------------------------------------


def live_fact_ids(path: Path) -> list[int]:
    db = open_db(path)
    try:
        return [
            r[0] for r in db.execute("SELECT id FROM facts WHERE deleted_at IS NULL ORDER BY id")
        ]
    finally:
        db.close()


def test_export_json_and_csv_parse_back(ready, tmp_path):
    run(ready, "fact", "remove", "1")
    ids = live_fact_ids(ready)
    assert 1 not in ids

    as_json = run(ready, "export", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    facts = json.loads(as_json.stdout)
    assert [f["id"] for f in facts] == ids
    assert all(f["source"]["title"] for f in facts)

    out = tmp_path / "facts.csv"
    as_csv = run(ready, "export", "--format", "csv", "--output", str(out))
    assert as_csv.exit_code == 0, as_csv.output
    assert f"Exported {len(ids)} facts" in as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [int(r["id"]) for r in rows] == ids
    by_id = {int(r["id"]): r for r in rows}
    for fact in facts:
        row = by_id[fact["id"]]
        assert row["summary"].lstrip("'") == fact["summary"]
        assert row["source_key"] == fact["source"]["key"]
        for figure in fact["figures"]:
            if figure["value"] is not None:
                assert str(figure["value"]) in row[f"{figure['role']}_value"]


def test_history_names_the_discord_member_and_server(ready):
    db = open_db(ready)
    member = Actor(name="discord:alice", id="101", guild_id="9")
    edit_fact(db, 1, member, stage="Phase 2", reason="read again")
    db.close()
    result = run(ready, "fact", "history", "--fact", "1")
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stdout.splitlines() if "discord:alice" in line]
    assert "user 101" in line and "server 9" in line


RISKY_TEXT = [
    '=HYPERLINK("http://x")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "'=already quoted",
    "''two apostrophes",
    "君实生物 licenses 石药 🧪 עברית",
    'plain, with "quotes" and commas',
]


def test_export_csv_defuses_formulas_and_round_trips_text(ready, tmp_path):
    db = open_db(ready)
    admin = Actor(name="discord:admin", id="7", guild_id="1")
    ids = []
    for n, text in enumerate(RISKY_TEXT):
        ids.append(
            add_fact(
                db,
                FactIn(
                    kind="approval",
                    summary=text,
                    source_id=1,
                    subject_id=1,
                    asset=text,
                    evidence=f"{text}\nsecond line {n}",
                    note=text,
                ),
                admin,
            )
        )
    db.close()
    out = tmp_path / "facts.csv"
    result = run(ready, "export", "--output", str(out))
    assert result.exit_code == 0, result.output
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(out.read_text("utf-8")))}
    for fact_id, text in zip(ids, RISKY_TEXT, strict=True):
        row = rows[fact_id]
        for column in ("summary", "asset", "note"):
            assert row[column][:1] not in ("=", "+", "-", "@")
            assert undefuse(row[column]) == text
        assert undefuse(row["evidence"]).startswith(text + "\n")


def undefuse(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def test_export_to_a_folder_that_does_not_exist_is_one_line(ready, tmp_path):
    result = run(ready, "export", "--output", str(tmp_path / "missing" / "facts.csv"))
    assert result.exit_code == 1
    assert "cannot be written" in result.stderr and "\n" not in result.stderr.strip()


def test_a_damaged_database_file_is_named_in_one_line_with_status_3(tmp_path):
    path = tmp_path / "damaged.db"
    path.write_bytes(b"this is not a SQLite database" * 200)
    result = run(path, "deal", "junshi")
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert result.stderr.strip() == (
        f"The database {path} is damaged and cannot be read as a SQLite database: "
        "restore it from a backup."
    )


def test_amounts_show_as_stated_in_the_fact_the_brief_and_the_digest(ready):
    added = run(
        ready, "fact", "add", "--kind", "licence", "--licensor", "junshi", "--licensee",
        "simcere", "--upfront", "$1.75bn", "--total", "$2.45bn", "--summary",
        "Junshi licensed an antibody to Simcere.", "--source", "1",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    fact_id = added_fact_id(added.stdout)
    shown = run(ready, "fact", "show", str(fact_id)).stdout
    brief = run(ready, "deal", "junshi").stdout
    digest = run(ready, "digest", "--since", "7d").stdout  # a deal's line gives its size
    for output in (shown, brief, digest):
        assert "$2.45B" in output
        assert "$1.8B" not in output and "$2.5B" not in output
    assert all("upfront $1.75B" in output for output in (shown, brief, digest))


def test_an_edit_and_the_digest_show_old_to_new_with_the_reason(ready):
    added = run(
        ready, "fact", "add", "--kind", "licence", "--licensor", "junshi", "--licensee",
        "undisclosed", "--upfront", "undisclosed", "--summary", "Junshi licensed out a drug.",
        "--source", "1",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "an undisclosed licensee" in added.stdout
    fact_id = added_fact_id(added.stdout)
    since = undo_id(added.stdout)
    edited = run(
        ready, "fact", "edit", str(fact_id), "--upfront", "$100m", "--reason", "fee published"
    )
    assert edited.exit_code == 0, edited.output
    assert "upfront: undisclosed → $100M" in edited.stdout
    digest = run(ready, "digest", "--since-audit", str(since)).stdout
    assert "upfront: undisclosed → $100M" in digest and "fee published" in digest
    history = run(ready, "fact", "history", "--fact", str(fact_id)).stdout
    assert "upfront: undisclosed → $100M" in history


@pytest.mark.parametrize(
    ("parties", "expected"),
    [
        (("--licensee", "simcere", "--upfront", "50"), "needs a currency and a scale"),
        (("--licensee", "junshi"), "licensor and the licensee are the same company"),
        ((), "give the licensee, or “undisclosed”"),
    ],
)
def test_licence_and_amount_rules_are_refused_in_one_line(ready, parties, expected):
    before = counts(ready)
    result = run(
        ready, "fact", "add", "--kind", "licence", "--licensor", "junshi", *parties,
        "--summary", "x", "--source", "1",
    )  # fmt: skip
    assert result.exit_code == 1
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert counts(ready) == before


def test_a_removed_fact_says_how_to_bring_it_back(ready):
    removed = run(ready, "fact", "remove", "1")
    change = undo_id(removed.stdout)
    shown = run(ready, "fact", "show", "1")
    assert shown.exit_code == 1
    assert f"dealbrief fact undo {change}" in shown.stderr


# --- Vocabularies on the command line. ----------------------------------------------------------


def test_stats_for_a_parent_sector_counts_the_memory_deal(ready: Path):
    result = run(ready, "stats", "--sector", "Semiconductors")
    assert result.exit_code == 0, result.output
    assert "Patent licence" in result.output and "Memory" in result.output
    assert "No deals" not in result.output


def test_stats_by_flow_accepts_arrows_and_slugs(ready: Path):
    for flow in ("China → West", "china-west", "China -> Europe"):
        result = run(ready, "stats", "--flow", flow)
        assert result.exit_code == 0, result.output
        assert "Licence" in result.output  # Far East Battery (China) to Volklec (UK)
    assert "No deals" in run(ready, "stats", "--flow", "china-us").output


def test_stats_help_lists_the_sectors_and_regions(ready: Path):
    text = run(ready, "stats", "--help").output
    assert "Semiconductors" in text and "Memory" in text and "West" in text


def test_an_unknown_sector_is_refused_with_the_closest(ready: Path):
    before = counts(ready)
    result = run(
        ready,
        "fact",
        "add",
        "--kind",
        "licence",
        "--summary",
        "x",
        "--source",
        "1",
        "--sector",
        "Quantum widgets",
    )
    assert result.exit_code == 1
    assert "the closest are" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert counts(ready) == before


def test_fact_add_takes_milestones_by_kind(ready: Path):
    result = run(
        ready,
        "fact",
        "add",
        "--kind",
        "option",
        "--summary",
        "An option deal",
        "--licensor",
        "ymtc",
        "--licensee",
        "volklec",
        "--source",
        "1",
        "--milestones-development",
        "$20m",
        "--milestones-commercial",
        "$100m",
    )
    assert result.exit_code == 0, result.output
    assert "development milestones $20M" in result.output
    assert "milestones $120M in all" in result.output

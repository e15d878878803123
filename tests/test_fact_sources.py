"""One deal, many reports: a second report of a stored deal becomes another source of it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from briefs import changes, queries
from briefs.changes import Actor
from briefs.cli import cli
from briefs.curated import load_curated
from briefs.errors import Conflict
from briefs.migrations import migrations
from briefs.store import open_db

YMTC_KEY = "samsung-ymtc-hybrid-bonding-licence"
NEWS = (
    "Samsung takes a licence to YMTC bonding patents\n\n"
    "Samsung Electronics has signed a patent licence with Yangtze Memory Technologies (YMTC) "
    "covering its hybrid bonding technology, which Samsung plans to use in its next "
    "generation of 3D NAND flash memory.\n"
)
ADMIN = Actor(name="discord:admin", id="7", guild_id="1")


def run(path: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(path), *args])


@pytest.fixture
def ready(db_path: Path) -> Path:
    assert run(db_path, "init").exit_code == 0
    return db_path


def ymtc_fact(path: Path) -> int:
    db = open_db(path)
    fact_id = db.execute("SELECT id FROM facts WHERE key = ?", [YMTC_KEY]).fetchone()[0]
    db.close()
    return fact_id


def ingest_news(path: Path, tmp_path: Path) -> dict:
    news = tmp_path / "samsung-ymtc.txt"
    news.write_text(NEWS, encoding="utf-8")
    result = run(path, "ingest", "--json", str(news))
    assert result.exit_code == 0, result.output
    [line] = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    return line


def ymtc_deals(path: Path) -> list[dict]:
    exported = json.loads(run(path, "export", "--format", "json").stdout)
    return [
        f
        for f in exported
        if f["licensor"]
        and f["licensee"]
        and (f["licensor"]["name"], f["licensee"]["name"])
        == ("Yangtze Memory Technologies", "Samsung Electronics")
    ]


def deal_count(path: Path) -> int:
    db = open_db(path)
    rows = queries.stats(db, period="2025").rows
    db.close()
    return sum(row.deals for row in rows if row.kind == "patent_licence")


def test_a_news_item_restating_the_ymtc_licence_becomes_its_second_source(ready, tmp_path):
    fact_id = ymtc_fact(ready)
    deals_before = deal_count(ready)
    line = ingest_news(ready, tmp_path)
    assert line["kind"] == "patent_licence" and line["duplicate_of"] == fact_id
    approved = run(ready, "review", "approve", str(line["id"]))
    assert approved.exit_code == 0, approved.output
    assert f"added as another source of fact #{fact_id}" in approved.stdout

    [deal] = ymtc_deals(ready)
    assert deal["id"] == fact_id
    assert len(deal["sources"]) == 2
    assert deal["sources"][0]["key"] == "globaltimes-2025-tech-going-global"
    assert deal["sources"][1]["title"] == "Samsung takes a licence to YMTC bonding patents"
    assert deal_count(ready) == deals_before
    brief = run(ready, "deal", "samsung").stdout
    assert "Reported by 2 sources" in brief and brief.count(f"#{fact_id} ") == 1

    undone = run(ready, "fact", "undo")
    assert undone.exit_code == 0, undone.output
    [deal] = ymtc_deals(ready)
    assert [s["key"] for s in deal["sources"]] == ["globaltimes-2025-tech-going-global"]
    assert "Reported by" not in run(ready, "deal", "samsung").stdout
    assert deal_count(ready) == deals_before


def test_separate_makes_a_second_deal_only_when_asked(ready, tmp_path):
    line = ingest_news(ready, tmp_path)
    approved = run(ready, "review", "approve", str(line["id"]), "--separate")
    assert approved.exit_code == 0, approved.output
    assert "approved as fact #" in approved.stdout
    assert len(ymtc_deals(ready)) == 2


def test_corrections_are_refused_for_a_proposal_added_as_a_source(ready, tmp_path):
    line = ingest_news(ready, tmp_path)
    refused = run(ready, "review", "approve", str(line["id"]), "--upfront", "$5m")
    assert refused.exit_code == 1
    assert "--separate" in refused.stderr and refused.stderr.count("\n") == 1
    assert len(ymtc_deals(ready)) == 1
    assert len(ymtc_deals(ready)[0]["sources"]) == 1


def test_fact_add_refuses_a_repeated_deal_and_fact_source_cites_it(ready):
    fact_id = ymtc_fact(ready)
    repeat = (
        "fact", "add", "--kind", "patent_licence", "--summary", "Samsung licenses YMTC patents",
        "--licensor", "YMTC", "--licensee", "Samsung", "--asset", "hybrid bonding patents",
        "--source-title", "Samsung and YMTC", "--source-date", "2025-03-01",
    )  # fmt: skip
    refused = run(ready, *repeat)
    assert refused.exit_code == 1
    assert f"looks like fact #{fact_id}" in refused.stderr
    assert f"dealbrief fact source {fact_id} --source" in refused.stderr
    assert len(ymtc_deals(ready)) == 1

    cited = run(
        ready, "fact", "source", str(fact_id), "--source-title", "Samsung and YMTC",
        "--source-date", "2025-03-01", "--evidence", "Both firms confirmed the licence.",
    )  # fmt: skip
    assert cited.exit_code == 0, cited.output
    assert "Added a source to fact" in cited.stdout and "Reported by 2 sources" in cited.stdout
    again = run(
        ready, "fact", "source", str(fact_id), "--source", "globaltimes-2025-tech-going-global"
    )
    assert again.exit_code == 1 and "already cites" in again.stderr

    separate = run(ready, *repeat, "--separate")
    assert separate.exit_code == 0, separate.output
    assert len(ymtc_deals(ready)) == 2


def test_the_csv_export_joins_every_source(ready, tmp_path):
    fact_id = ymtc_fact(ready)
    line = ingest_news(ready, tmp_path)
    assert run(ready, "review", "approve", str(line["id"])).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(run(ready, "export").stdout)))
    [row] = [r for r in rows if r["id"] == str(fact_id)]
    assert row["source_count"] == "2"
    assert row["sources"].startswith("globaltimes-2025-tech-going-global; doc-")
    assert sum(r["licensor"] == "Yangtze Memory Technologies" for r in rows) == 1


def test_a_source_page_lists_facts_it_reports_second_and_removal_hides_them(ready, tmp_path):
    fact_id = ymtc_fact(ready)
    line = ingest_news(ready, tmp_path)
    assert run(ready, "review", "approve", str(line["id"])).exit_code == 0
    db = open_db(ready)
    source_id = db.execute("SELECT source_id FROM proposals WHERE id = ?", [line["id"]]).fetchone()[
        0
    ]
    assert [f.id for f in queries.get_source(db, source_id).facts] == [fact_id]
    listed = {s.source.id: s.facts for s in queries.list_sources(db)}
    assert listed[source_id] == 1
    page = run(ready, "source", str(source_id)).stdout
    assert f"#{fact_id} Patent licence" in page and "a further source" in page

    changes.remove_fact(db, fact_id, ADMIN, reason="checking")
    assert queries.get_source(db, source_id).facts == []
    assert {s.source.id: s.facts for s in queries.list_sources(db)}[source_id] == 0
    changes.undo(db, ADMIN)
    assert len(queries.get_fact(db, fact_id).sources) == 2
    db.close()


def test_adding_a_source_is_audited_and_refused_cleanly(db):
    load_curated(db)
    fact_id = db.execute("SELECT id FROM facts WHERE key = ?", [YMTC_KEY]).fetchone()[0]
    other = db.execute(
        "SELECT id FROM sources WHERE key != ? ORDER BY id", ["globaltimes-2025-tech-going-global"]
    ).fetchone()[0]
    audit_id = changes.add_fact_source(db, fact_id, other, ADMIN, evidence="Also says so.")
    entry = changes.history(db, fact_id=fact_id, limit=1)[0]
    assert (entry.id, entry.action, entry.actor_id) == (audit_id, "cite", "7")
    assert entry.after["sources"] == [{"source_id": other, "evidence": "Also says so."}]
    fact = queries.get_fact(db, fact_id)
    assert [c.evidence for c in fact.more_sources] == ["Also says so."]
    with pytest.raises(Conflict) as caught:
        changes.add_fact_source(db, fact_id, other, ADMIN)
    assert caught.value.code == "already_cited"
    added = changes.history(db, fact_id=fact_id)[-1]
    with pytest.raises(Conflict) as caught:
        changes.undo(db, ADMIN, added.id)
    assert caught.value.code == "changed_since"
    changes.undo(db, ADMIN, audit_id)
    assert queries.get_fact(db, fact_id).more_sources == ()
    assert db.execute("SELECT count(*) FROM audit WHERE undoes = ?", [audit_id]).fetchone() == (1,)


def test_m012_upgrades_a_database_with_facts_keeping_them(db_path):
    db = open_db(db_path, migrate=False)
    migrations.apply(db, stop_before="m012_fact_sources")
    load_curated(db)
    facts = db.execute("SELECT * FROM facts ORDER BY id").fetchall()
    audit = db.execute("SELECT * FROM audit ORDER BY id").fetchall()
    db.close()
    db = open_db(db_path)
    assert not migrations.pending(db)
    assert db.execute("SELECT * FROM facts ORDER BY id").fetchall() == facts
    assert db.execute("SELECT * FROM audit ORDER BY id").fetchall() == audit
    assert db.execute("SELECT count(*) FROM fact_sources").fetchone() == (0,)
    fact = queries.get_fact(db, 1)
    assert fact.sources == (fact.source,)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()


def test_two_proposals_of_one_document_repeating_a_fact_add_its_source_once(ready, tmp_path):
    """A headline and a sentence of one article both restate the deal: the second approval
    finds the document already cited, adds nothing and still settles the proposal."""
    fact_id = ymtc_fact(ready)
    news = tmp_path / "ymtc-headline.txt"
    news.write_text(
        "YMTC licenses hybrid bonding patents to Samsung\n\n"
        "Yangtze Memory Technologies (YMTC) has licensed its 3D NAND hybrid bonding patents to "
        "Samsung Electronics, the companies said.\n",
        encoding="utf-8",
    )
    result = run(ready, "ingest", "--json", str(news))
    lines = [json.loads(x) for x in result.stdout.splitlines() if x.startswith("{")]
    assert len(lines) == 2 and {line["duplicate_of"] for line in lines} == {fact_id}
    first, second = (run(ready, "review", "approve", str(line["id"])) for line in lines)
    assert first.exit_code == 0 and "added as another source" in first.stdout
    assert second.exit_code == 0, second.output
    assert "already cites this document" in second.stdout
    [deal] = ymtc_deals(ready)
    assert len(deal["sources"]) == 2
    assert "Proposals waiting for review: 0" in run(ready, "review", "--no-input").stdout

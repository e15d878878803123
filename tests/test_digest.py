"""Digest content: what a window of changes says, rendered for Discord and as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefs import digest as dg
from briefs.changes import (
    Actor,
    FactIn,
    FigureIn,
    add_company,
    add_fact,
    add_source,
    edit_fact,
    remove_fact,
)
from briefs.charts import PNG_SIGNATURE
from briefs.queries import latest_audit_id
from briefs.render import (
    DESCRIPTION_LIMIT,
    FIELD_VALUE_LIMIT,
    PAGE_TOTAL_LIMIT,
    group_messages,
    to_text,
)

ADMIN = Actor("tester")
END = datetime(2025, 3, 24, 9, tzinfo=UTC)
START = END - timedelta(days=7)


@pytest.fixture
def world(db):
    """Two companies and a source to hang facts on."""
    source = add_source(db, key="wire-1", title="Licensing roundup", outlet="Wire", actor=ADMIN)
    alpha = add_company(db, "Alpha Bio", ADMIN)
    beta = add_company(db, "Beta Pharma", ADMIN)
    return {"source": source, "alpha": alpha, "beta": beta}


def deal(db, world, summary: str, usd: float | None, *, sector: str = "Oncology") -> int:
    figures = [FigureIn(role="total", value=usd)] if usd else []
    return add_fact(
        db,
        FactIn(
            kind="licence",
            summary=summary,
            source_id=world["source"],
            subject_id=world["alpha"],
            counterparty_id=world["beta"],
            licensor_id=world["alpha"],
            licensee_id=world["beta"],
            asset=f"{summary} asset",
            sector=sector,
            figures=figures,
        ),
        ADMIN,
    )


def other(db, world, summary: str, kind: str = "approval") -> int:
    fact = FactIn(kind=kind, summary=summary, source_id=world["source"], subject_id=world["alpha"])
    return add_fact(db, fact, ADMIN)


def digest_between(db, after: int, until: int | None = None) -> dg.Digest:
    return dg.load_digest(
        db, after, latest_audit_id(db) if until is None else until, start=START, end=END
    )


def test_quiet_week_says_so_in_one_line(db, world):
    digest = digest_between(db, latest_audit_id(db))
    assert digest.quiet
    pages = dg.render_digest(digest)
    assert pages[0].description == "A quiet week: nothing new or corrected since the last digest."
    assert [f.name for f in pages[0].fields] == []
    assert "quiet week" in to_text(dg.render_digest(digest, flavour="text"))


def test_deals_grouped_by_sector_with_parties_value_and_source(db, world):
    mark = latest_audit_id(db)
    deal(db, world, "Gene therapy deal", 300e6, sector="Gene therapy")
    deal(db, world, "Antibody deal", 1.2e9, sector="Oncology")
    deal(db, world, "Small deal", None, sector="Oncology")
    other(db, world, "Approval in Japan")
    digest = digest_between(db, mark)
    assert [s.sector for s in digest.sectors] == ["Oncology", "Gene therapy"]
    assert digest.totals == dg.Totals(deals=3, valued=2, value_usd=1.5e9, others=1, corrections=0)
    assert [f.summary for f in digest.biggest] == ["Antibody deal", "Gene therapy deal"]
    text = to_text(dg.render_digest(digest, flavour="text"))
    assert "New deals · Oncology" in text
    assert "Alpha Bio licenses Antibody deal asset to Beta Pharma" in text
    assert "$1.2B" in text and "undisclosed" in text
    assert "Approval: Approval in Japan" in text
    assert text.count("Source: Wire, “Licensing roundup”") == 4


def test_only_changes_after_the_audit_id_count(db, world):
    deal(db, world, "Old deal", 5e6)
    mark = latest_audit_id(db)
    deal(db, world, "New deal", 7e6)
    digest = digest_between(db, mark)
    assert [f.summary for s in digest.sectors for f in s.deals] == ["New deal"]
    assert digest.first_audit_id == mark + 1
    assert digest.previous.deals == 1


def test_corrections_list_edits_and_removals(db, world):
    edited = deal(db, world, "Edited deal", 5e6)
    removed = deal(db, world, "Removed deal", 6e6)
    mark = latest_audit_id(db)
    edit_fact(db, edited, ADMIN, summary="Edited deal, corrected")
    remove_fact(db, removed, ADMIN, reason="duplicate")
    digest = digest_between(db, mark)
    assert [f.id for f in digest.edited] == [edited]
    assert [f.id for f in digest.removed] == [removed]
    text = to_text(dg.render_digest(digest, flavour="text"))
    assert f"#{edited} corrected (revision 2): Edited deal, corrected" in text
    assert f"#{removed} removed: Removed deal" in text


def test_stored_text_cannot_ping_or_format_on_discord(db, world):
    mark = latest_audit_id(db)
    other(db, world, "@everyone look <@&123> **now**")
    pages = dg.render_digest(digest_between(db, mark))
    body = "\n".join(f.value for p in pages for f in p.fields)
    assert "@everyone" not in body and "<@&123>" not in body and "**now**" not in body


def test_a_busy_week_is_capped_paged_and_within_discord_limits(db, world):
    mark = latest_audit_id(db)
    for n in range(60):
        deal(db, world, f"Deal number {n} " + "with a long description " * 6, (n + 1) * 1e6)
    for n in range(20):
        other(db, world, f"Statistic {n}", kind="market_stat")
    digest = digest_between(db, mark)
    assert digest.totals.deals == 60
    assert digest.hidden_deals == 60 - dg.MAX_DEALS
    assert digest.hidden_others == 20 - dg.MAX_OTHERS
    pages = dg.render_digest(digest)
    assert len(pages) > 1
    for page in pages:
        assert page.total_chars() <= PAGE_TOTAL_LIMIT
        assert len(page.description) <= DESCRIPTION_LIMIT
        assert all(len(f.value) <= FIELD_VALUE_LIMIT for f in page.fields)
    messages = group_messages(pages)
    assert sum(len(m) for m in messages) == len(pages)
    assert pages[0].image == f"attachment://{dg.CHART_FILENAME}"
    shown = "\n".join(f.value for p in pages for f in p.fields)
    assert "Deal number 59" in shown and "Deal number 0 " not in shown


def test_chart_counts_deals_per_period_by_audit_time(db, world):
    first = deal(db, world, "Earlier deal", 10e6)
    deal(db, world, "Recent deal", 20e6)
    three_weeks_ago = (END - timedelta(days=20)).isoformat(timespec="seconds")
    db.execute(
        "UPDATE audit SET at = ? WHERE entity = 'fact' AND entity_id = ?", [three_weeks_ago, first]
    )
    db.execute(
        "UPDATE audit SET at = ? WHERE entity = 'fact' AND entity_id != ?",
        [(END - timedelta(days=1)).isoformat(timespec="seconds"), first],
    )
    db.conn.commit()
    points = dg.chart_points(db, end=END, length=timedelta(days=7))
    assert len(points) == dg.CHART_PERIODS
    assert [p.deals for p in points][-3:] == [1, 0, 1]
    assert points[-3].value_usd == 10e6
    png = dg.chart_png(digest_between(db, 0))
    assert png.startswith(PNG_SIGNATURE)


def test_previous_period_by_audit_range(db, world):
    deal(db, world, "Week one deal", 4e6)
    other(db, world, "Week one approval")
    week_one = latest_audit_id(db)
    deal(db, world, "Week two deal", 9e6)
    digest = dg.load_digest(
        db, week_one, latest_audit_id(db), start=START, end=END, previous_range=(0, week_one)
    )
    assert digest.previous == dg.Totals(deals=1, valued=1, value_usd=4e6, others=1, corrections=0)
    text = to_text(dg.render_digest(digest, flavour="text"))
    assert "Previous period: 1 new deal (1 with a disclosed value, $4M), 1 other new fact" in text

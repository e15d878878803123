"""Digest content: what a window of changes says, rendered for Discord and as text."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.format import DESCRIPTION_LIMIT, FIELD_VALUE_LIMIT, PAGE_TOTAL_LIMIT, group_messages
from briefs.changes import (
    Actor,
    FactIn,
    FigureIn,
    add_company,
    add_fact,
    add_source,
    edit_fact,
    remove_fact,
    undo,
)
from briefs.charts import PNG_SIGNATURE
from briefs.digest import content as dg
from briefs.digest import query as dq
from briefs.errors import DealbriefError
from briefs.queries import changes_since, fetch_facts, latest_audit_id
from briefs.render import to_text
from briefs.store import open_db

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
    assert [s.sector for s in digest.sectors] == [
        "Oncology",
        "Cell and gene therapy",
    ]  # vocabulary labels
    assert digest.totals == dq.Totals(deals=3, valued=2, value_usd=1.5e9, others=1, corrections=0)
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
    points = dq.chart_points(db, end=END, length=timedelta(days=7))
    assert len(points) == dq.CHART_PERIODS
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
    assert digest.previous == dq.Totals(deals=1, valued=1, value_usd=4e6, others=1, corrections=0)
    text = to_text(dg.render_digest(digest, flavour="text"))
    assert "Previous period: 1 new deal (1 with a disclosed value, $4M), 1 other new fact" in text


def test_new_then_removed_is_no_news_and_restored_is_no_removal(db, world):
    older = deal(db, world, "Older deal", 3e6)
    mark = latest_audit_id(db)
    gone = deal(db, world, "Gone again", 8e6)
    remove_fact(db, gone, ADMIN)
    undo(db, ADMIN, remove_fact(db, older, ADMIN))
    renewed = deal(db, world, "Renewed deal", 2e6)
    edit_fact(db, renewed, ADMIN, territory="Japan")
    digest = digest_between(db, mark)
    assert [f.id for s in digest.sectors for f in s.deals] == [renewed]
    assert digest.edited == [] and digest.removed == []
    assert digest.totals == dq.Totals(deals=1, valued=1, value_usd=2e6, others=0, corrections=0)


def test_previous_period_counts_net_changes_like_the_current_one(db, world):
    kept = deal(db, world, "Kept deal", 4e6)
    dropped = deal(db, world, "Dropped deal", 5e6)
    remove_fact(db, dropped, ADMIN)
    week_one = latest_audit_id(db)
    edit_fact(db, kept, ADMIN, territory="Europe")
    assert dq.window_totals(db, 0, week_one) == dq.Totals(1, 1, 4e6, 0, 0)
    assert dq.window_totals(db, week_one, latest_audit_id(db)) == dq.Totals(0, 0, 0.0, 0, 1)


def random_history(db, world, rng: random.Random, steps: int, live: list[int]) -> None:
    """Adds, edits, removals and undos in random order, values with ties and without.

    ``live`` holds the ids of facts not removed, carried from one stretch of history to the next.
    """
    for n in range(steps):
        roll = rng.random()
        if roll < 0.5 or not live:
            if rng.random() < 0.6:
                usd = rng.choice([None, 1e6, 2e6, 2e6, 5e6, rng.uniform(1e6, 9e8)])
                live.append(
                    deal(db, world, f"Deal {n}", usd, sector=rng.choice(["Memory", "Vaccines"]))
                )
            else:
                live.append(other(db, world, f"Other {n}"))
        elif roll < 0.7:
            edit_fact(db, rng.choice(live), ADMIN, note=f"Checked at change {latest_audit_id(db)}")
        elif roll < 0.85:
            fact_id = rng.choice(live)
            remove_fact(db, fact_id, ADMIN)
            live.remove(fact_id)
        else:
            try:
                entry = undo(db, ADMIN)
            except DealbriefError:
                continue
            fact = fetch_facts(db, [entry.entity_id], include_deleted=True)[0]
            if fact.deleted_at is None and fact.id not in live:
                live.append(fact.id)
            elif fact.deleted_at is not None and fact.id in live:
                live.remove(fact.id)


def picks_by_hydrating_everything(db, after: int, until: int, caps: dq.Caps) -> dq.WindowPicks:
    """The same picks the slow way: every change of the window hydrated and sorted in Python."""
    changes = changes_since(db, after, until_audit_id=until)
    removed = fetch_facts(db, [e.entity_id for e in changes.removed], include_deleted=True)
    deals = [f for f in changes.added if f.is_deal]
    others = [f for f in changes.added if not f.is_deal]
    valued = [f for f in deals if f.value_usd]
    largest = sorted(deals, key=lambda f: (-(f.value_usd or 0.0), f.id))
    corrections = [*changes.edited, *removed][: caps.corrections]
    return dq.WindowPicks(
        totals=dq.Totals(
            deals=len(deals),
            valued=len(valued),
            value_usd=pytest.approx(sum(f.value_usd for f in valued)),
            others=len(others),
            corrections=len(changes.edited) + len(removed),
        ),
        deals=[f.id for f in largest[: caps.deals]],
        biggest=[f.id for f in largest if f.value_usd][: caps.biggest],
        others=[f.id for f in others[: caps.others]],
        edited=[f.id for f in corrections if f in changes.edited],
        removed=[f.id for f in corrections if f in removed],
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_window_picks_match_hydrating_every_change(db, world, seed):
    rng, live = random.Random(seed), []
    random_history(db, world, rng, 40, live)
    after = latest_audit_id(db)
    random_history(db, world, rng, 80, live)
    until = latest_audit_id(db)
    random_history(db, world, rng, 20, live)
    for caps in (dg.CAPS, dq.Caps(deals=4, others=3, corrections=2, biggest=2)):
        expected = picks_by_hydrating_everything(db, after, until, caps)
        assert dq.window_picks(db, after, until, caps) == expected
        assert dq.window_picks(db, 0, after, caps) == picks_by_hydrating_everything(
            db, 0, after, caps
        )


def test_digest_shows_the_picked_facts_and_counts_the_rest(db, world):
    rng, live = random.Random(9), []
    random_history(db, world, rng, 30, live)
    mark = latest_audit_id(db)
    random_history(db, world, rng, 120, live)
    digest = digest_between(db, mark)
    picks = dq.window_picks(db, mark, latest_audit_id(db), dg.CAPS)
    shown = [f.id for s in digest.sectors for f in s.deals]
    assert sorted(shown) == sorted(picks.deals)
    assert [f.id for f in digest.biggest] == picks.biggest
    assert digest.totals == picks.totals
    assert digest.hidden_deals == picks.totals.deals - len(shown)
    cited = {f.source.id for f in [*digest.others, *digest.edited, *digest.removed]}
    assert cited <= {s.id for s in digest.sources}


def test_chart_puts_a_deal_made_at_a_period_start_in_that_period(db, world):
    length = timedelta(days=7)
    on_start = deal(db, world, "On the boundary", 10e6)
    at_end = deal(db, world, "At the end", 20e6)
    for fact_id, moment in ((on_start, END - 3 * length), (at_end, END)):
        db.execute(
            "UPDATE audit SET at = ? WHERE entity = 'fact' AND entity_id = ?",
            [moment.isoformat(timespec="seconds"), fact_id],
        )
    db.conn.commit()
    points = dq.chart_points(db, end=END, length=length)
    assert points[-3].start == END - 3 * length
    assert [(p.deals, p.value_usd) for p in points[-3:]] == [(1, 10e6), (0, 0.0), (1, 20e6)]


def test_audit_id_before_is_the_last_change_written_before_the_moment(db, world):
    ids = [deal(db, world, f"Deal {n}", 1e6) for n in range(3)]
    for days, fact_id in zip((9, 5, 1), ids, strict=True):
        db.execute(
            "UPDATE audit SET at = ? WHERE entity = 'fact' AND entity_id = ?",
            [(END - timedelta(days=days)).isoformat(timespec="seconds"), fact_id],
        )
    db.conn.commit()
    audit_of = {
        fid: aid for aid, fid in db.execute("SELECT id, entity_id FROM audit WHERE entity = 'fact'")
    }
    assert dq.audit_id_before(db, END - timedelta(days=3)) == audit_of[ids[1]]
    assert dq.audit_id_before(db, END - timedelta(days=5)) == audit_of[ids[0]]
    assert dq.audit_id_before(db, datetime(2000, 1, 1, tzinfo=UTC)) == 0


def test_date_bounded_reads_seek_the_audit_at_index(db):
    """Migration m005: where a window starts and the chart's periods are not full-trail scans."""
    plan = [
        " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", params))
        for sql, params in (
            (dq.AUDIT_ID_BEFORE, ["2025-01-01"]),
            (dq.CHART_POINTS, {"first": 0, "length": 1, "last": 11, "since": "a", "until": "b"}),
        )
    ]
    assert "USING COVERING INDEX audit_at (at<?)" in plan[0]
    assert "USE TEMP B-TREE" not in plan[0]
    assert "USING INDEX audit_at (at>? AND at<?)" in plan[1]
    assert "audit_entity" not in plan[1]


def test_facts_shown_are_in_the_state_the_picks_judged(db, db_path, world, monkeypatch):
    """Another connection removes and edits picked facts between the picks and their hydration."""
    after = latest_audit_id(db)
    removed = deal(db, world, "Signed deal", 5e6)
    reworded = deal(db, world, "First wording", 7e6)
    until = latest_audit_id(db)
    other = open_db(db_path)
    hydrate = dg.fetch_facts

    def others_write_first(conn, ids, **options):
        remove_fact(other, removed, ADMIN, reason="duplicate")
        edit_fact(other, reworded, ADMIN, summary="Second wording")
        return hydrate(conn, ids, **options)

    monkeypatch.setattr(dg, "fetch_facts", others_write_first)
    digest = dg.load_digest(db, after, until, start=START, end=END)
    shown = {f.id: (f.summary, f.deleted_at) for s in digest.sectors for f in s.deals}
    assert shown == {removed: ("Signed deal", None), reworded: ("First wording", None)}
    assert not db.conn.in_transaction
    assert latest_audit_id(db) == until + 2  # the transaction ended: the writes are seen now
    other.close()


def test_digest_reads_inside_a_callers_transaction_leave_it_open(db, world):
    deal(db, world, "Committed deal", 5e6)
    db.begin()
    db.execute("UPDATE facts SET summary = 'Not yet committed'")
    digest = digest_between(db, 0)
    assert [f.summary for s in digest.sectors for f in s.deals] == ["Not yet committed"]
    assert db.conn.in_transaction  # the caller's to commit or roll back
    db.conn.rollback()

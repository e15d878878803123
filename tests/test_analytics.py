"""League tables, benchmarks and comparables on seven hand-checked deals (tests/analytics_world.py)."""

from __future__ import annotations

import pytest
from analytics_world import SEEDER, M, seed_analytics

from briefs.analytics.benchmark import benchmark
from briefs.analytics.league import league
from briefs.analytics.scope import EVERY_DEAL, parse_scope
from briefs.analytics.similar import similar
from briefs.changes import remove_fact
from briefs.errors import BadInput, NotFound


@pytest.fixture
def world(db):
    return seed_analytics(db)


def _rows(db, by, **scope):
    return [
        (
            r.rank,
            r.name,
            r.deals,
            r.upfront_deals,
            r.upfront_usd / M,
            r.value_usd / M,
            r.undisclosed,
        )
        for r in league(db, by, parse_scope(**scope)).rows
    ]


def test_licensors_rank_by_deals_then_disclosed_value(db, world):
    assert _rows(db, "licensors") == [
        (1, "Jiangsu Hengrui", 3, 3, 280, 2700, 0),
        (2, "Junshi Biosciences", 3, 2, 175, 1500, 1),
        (3, "Coherus BioSciences", 1, 1, 10, 10, 0),
    ]


def test_licensees_and_flows(db, world):
    assert [r[:3] for r in _rows(db, "licensees")] == [
        (1, "Merck", 2), (2, "Coherus BioSciences", 2), (3, "Novartis", 2),
        (4, "Junshi Biosciences", 1),
    ]  # fmt: skip
    assert _rows(db, "flows") == [
        (1, "Greater China → US", 4, 4, 395, 3900, 0),
        (2, "Greater China → Europe", 2, 1, 60, 300, 1),
        (3, "US → Greater China", 1, 1, 10, 10, 0),
    ]


def test_league_follows_period_sector_and_kind(db, world):
    assert _rows(db, "licensors", period="2025-H1") == [
        (1, "Junshi Biosciences", 3, 2, 175, 1500, 1)
    ]
    assert [r[1:3] for r in _rows(db, "licensors", sector="Oncology")] == [
        ("Junshi Biosciences", 3), ("Jiangsu Hengrui", 2),
    ]  # fmt: skip
    assert _rows(db, "licensors", kind="option") == [(1, "Coherus BioSciences", 1, 1, 10, 10, 0)]


def test_a_removed_deal_leaves_the_table(db, world):
    remove_fact(db, world["d4"], SEEDER)
    assert _rows(db, "licensors")[0][1:3] == ("Junshi Biosciences", 3)


def test_benchmark_quartiles_over_the_deals_that_disclose_each_term(db, world):
    result = benchmark(db, EVERY_DEAL)
    assert result.deals == 7
    upfront, total, share = result.terms
    assert upfront.n == 6 and (upfront.q1, upfront.median, upfront.q3) == (
        30 * M,
        67.5 * M,
        93.75 * M,
    )
    assert (upfront.low, upfront.high) == (10 * M, 200 * M)
    # d6's upfront alone is not a total; d3 discloses nothing.
    assert total.n == 5 and (total.q1, total.median, total.q3) == (400 * M, 500 * M, 1000 * M)
    assert share.n == 5
    assert share.median == pytest.approx(0.10) and share.q3 == pytest.approx(0.15)


def test_benchmark_with_fewer_than_five_deals_gives_no_median(db, world):
    result = benchmark(db, parse_scope(sector="oncology", period="2025-H1"))
    assert [(t.n, t.median) for t in result.terms] == [(2, None), (2, None), (2, None)]
    staged = benchmark(db, parse_scope(stage="Phase 2"))
    assert staged.deals == 3 and staged.term("upfront").values == (20 * M, 60 * M, 75 * M)


def test_similar_ranks_by_sector_stage_kind_flow_territory_and_time(db, world):
    result = similar(db, world["d1"])
    ranked = [(m.fact.id, m.score) for m in result.matches]
    assert ranked == [
        (world["d2"], 7.98), (world["d4"], 7.9), (world["d5"], 6.45), (world["d7"], 5.87),
        (world["d3"], 4.95),
    ]  # fmt: skip
    why = {m.fact.id: {r.what: r.detail for r in m.reasons} for m in result.matches}
    assert why[world["d2"]] == {
        "sector": "Oncology", "near_stage": "Phase 2", "kind": "Licence",
        "flow": "Greater China → US", "recency": "1",
    }  # fmt: skip
    assert why[world["d4"]]["territory"] == "United States"
    assert why[world["d5"]]["parent_sector"] == "Pharmaceuticals"


def test_similar_reads_on_until_no_unread_deal_could_make_the_list(db, world, monkeypatch):
    from briefs.analytics import similar as module

    monkeypatch.setattr(module, "BATCH", 2)
    assert [m.fact.id for m in similar(db, world["d1"], limit=3).matches] == [
        world["d2"], world["d4"], world["d5"],
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda db, w: league(db, "sellers", EVERY_DEAL), "bad_ranking"),
        (lambda db, w: parse_scope(kind="approval"), "bad_deal_kind"),
        (lambda db, w: parse_scope(stage="phase nine"), "not_in_vocab"),
        (lambda db, w: parse_scope(period="2025-H3"), "bad_period"),
        (lambda db, w: similar(db, w["d1"], limit=0), "bad_page"),
    ],
)
def test_bad_input_is_refused(db, world, call, code):
    with pytest.raises(BadInput) as caught:
        call(db, world)
    assert caught.value.code == code


def test_similar_of_a_missing_fact_is_not_found(db, world):
    with pytest.raises(NotFound):
        similar(db, 999)


def test_similar_reads_on_into_related_sectors_when_its_own_has_too_few(db, world):
    result = similar(db, world["d6"], limit=6)
    assert len(result.matches) == 6
    assert all(m.reasons[0].what == "parent_sector" for m in result.matches)


def test_the_sector_index_serves_the_comparables_of_a_sector(db, world):
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM facts f WHERE f.sector = 'oncology' AND f.kind = 'licence'"
    ).fetchall()
    assert any("facts_sector_kind" in row[-1] for row in plan)


def test_parties_tied_at_the_last_place_are_all_weighed(db, world):
    top = league(db, "licensors", EVERY_DEAL, limit=1).rows
    assert [(r.name, r.deals) for r in top] == [("Jiangsu Hengrui", 3)]  # by value over Junshi
    two = league(db, "licensees", EVERY_DEAL, limit=2).rows
    assert [(r.name, r.value_usd / M) for r in two] == [
        ("Merck", 2500),
        ("Coherus BioSciences", 1400),
    ]


def test_a_league_counts_deals_from_the_party_index_alone(db, world):
    from briefs.analytics.scope import deal_conditions

    where, params = deal_conditions(EVERY_DEAL)
    plan = db.execute(
        f"EXPLAIN QUERY PLAN SELECT count(*) FROM facts f WHERE {where} GROUP BY f.licensor_id",
        params,
    ).fetchall()
    assert any("COVERING INDEX facts_licensor_deals" in row[-1] for row in plan)


def test_stopping_early_finds_what_reading_every_deal_finds(db, world, monkeypatch):
    from briefs.analytics import similar as module

    monkeypatch.setattr(module, "BATCH", 1)
    for deal in ("d1", "d2", "d3", "d4", "d5", "d6", "d7"):
        everything = similar(db, world[deal], limit=module.MAX_LIMIT).matches  # never full
        assert similar(db, world[deal], limit=2).matches == everything[:2], deal

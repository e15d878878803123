"""The read side: facts, briefs, search, stats, sources and changes, over rows inserted directly."""

from __future__ import annotations

import dataclasses
import json

import pytest

from briefs import queries
from briefs.errors import BadInput, Conflict, NotFound
from briefs.model import Fact, Figure, PartyRef, Source
from briefs.queries import MARK_END, MARK_START
from briefs.text import normalize_name, slugify


class Kb:
    """Insert rows the way the schema in docs/architecture.md lays them out."""

    def __init__(self, db):
        self.db = db

    def company(self, name: str, *aliases: tuple[str, str, int | None]) -> int:
        cid = (
            self.db["companies"]
            .insert({"slug": slugify(name), "name": name, "created_at": "t", "updated_at": "t"})
            .last_pk
        )
        for alias, kind, source_id in ((name, "name", None), *aliases):
            self.db["aliases"].insert(
                {
                    "company_id": cid,
                    "alias": alias,
                    "norm": normalize_name(alias),
                    "kind": kind,
                    "source_id": source_id,
                }
            )
        return cid

    def source(self, title: str, outlet: str = "Outlet", text: str | None = None, **extra) -> int:
        row = {"key": slugify(title), "title": title, "outlet": outlet, "text": text}
        return self.db["sources"].insert({**row, "created_at": "t", **extra}).last_pk

    def fact(self, source_id: int, summary: str, *, figures=(), **values) -> int:
        row = {
            "kind": "licence",
            "summary": summary,
            "source_id": source_id,
            "created_at": "t",
            "updated_at": "t",
            **values,
        }
        fid = self.db["facts"].insert(row).last_pk
        for role, value_usd in figures:
            self.db["figures"].insert(
                {
                    "fact_id": fid,
                    "role": role,
                    "disclosed": value_usd is not None,
                    "value": value_usd,
                    "unit": "USD",
                    "value_usd": value_usd,
                }
            )
        return fid

    def audit(self, action: str, fact_id: int, before=None, after=None, undoes=None) -> int:
        return (
            self.db["audit"]
            .insert(
                {
                    "at": "t",
                    "actor": "tester",
                    "action": action,
                    "entity": "fact",
                    "entity_id": fact_id,
                    "before": json.dumps(before) if before is not None else None,
                    "after": json.dumps(after) if after is not None else None,
                    "undoes": undoes,
                }
            )
            .last_pk
        )


def dated(period: str, start: str, end: str) -> dict:
    return {"period": period, "period_start": start, "period_end": end}


@pytest.fixture
def kb(db):
    return Kb(db)


# --- facts and briefs --------------------------------------------------------------------------


def test_fetch_facts_hydrates_and_keeps_order(kb):
    src = kb.source("Deal news", outlet="Caixin", published="2025-03-01")
    a, b = kb.company("Alpha Bio"), kb.company("Beta Pharma")
    first = kb.fact(
        src,
        "Alpha licenses X to Beta",
        licensor_id=a,
        licensee_id=b,
        figures=[("upfront", 50e6), ("milestones", 200e6)],
    )
    second = kb.fact(src, "Beta approval", kind="approval", subject_id=b)
    facts = queries.fetch_facts(kb.db, [second, first, 999])
    assert [f.id for f in facts] == [second, first]
    deal = facts[1]
    assert deal.licensor.name == "Alpha Bio" and deal.licensee.id == b
    assert deal.source.outlet == "Caixin"
    assert [f.role for f in deal.figures] == ["upfront", "milestones"]
    assert deal.parts_usd == 250e6


def test_hydrated_facts_equal_what_the_constructors_build(kb):
    src = kb.source("Deal news", outlet="Caixin", published="2025-03-01", note="paywalled")
    a, b = kb.company("Alpha Bio"), kb.company("Beta Pharma")
    fid = kb.fact(
        src,
        "Alpha licenses X to Beta",
        key="alpha-x",
        licensor_id=a,
        licensee_id=b,
        subject_id=a,
        asset="X-1",
        territory="Greater China",
        status="signed",
        revision=3,
        figures=[("upfront", 50e6), ("royalty", None)],
        **dated("2025-H1", "2025-01-01", "2025-06-30"),
    )
    fact = queries.get_fact(kb.db, fid)
    source = Source(src, "deal-news", "article", "Deal news", "Caixin", None, "2025-03-01", None,
                    "paywalled")  # fmt: skip
    expected = Fact(
        fid, "licence", "Alpha licenses X to Beta", source, key="alpha-x",
        subject=PartyRef(a, "Alpha Bio"), licensor=PartyRef(a, "Alpha Bio"),
        licensee=PartyRef(b, "Beta Pharma"), asset="X-1", territory="Greater China",
        stage=None, period="2025-H1", period_start="2025-01-01", period_end="2025-06-30",
        status="signed", origin="admin", revision=3, created_at="t", updated_at="t",
        figures=(Figure("upfront", True, 50e6, "USD", 50e6), Figure("royalty", False, None, "USD")),
    )  # fmt: skip
    assert fact == expected
    assert fact.figures[1].disclosed is False
    assert fact.subject is fact.licensor  # one object per party within a hydration
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.summary = "changed"
    with pytest.raises((AttributeError, TypeError)):
        fact.extra = 1  # slotted: no attribute can be added
    assert not hasattr(fact, "__dict__") and not hasattr(fact.source, "__dict__")
    assert not hasattr(fact.figures[0], "__dict__")


def test_removed_facts_are_hidden_unless_asked(kb):
    src = kb.source("S")
    fid = kb.fact(src, "gone", deleted_at="2025-01-01T00:00:00+00:00")
    assert queries.fetch_facts(kb.db, [fid]) == []
    assert queries.get_fact(kb.db, fid, include_deleted=True).deleted_at is not None
    with pytest.raises(Conflict) as err:
        queries.get_fact(kb.db, fid)
    assert err.value.code == "fact_removed"
    with pytest.raises(NotFound) as err:
        queries.get_fact(kb.db, fid + 1000)
    assert err.value.code == "unknown_fact"


def test_brief_puts_deals_first_each_newest_first(kb):
    src = kb.source("S")
    gt = kb.source("Editorial", outlet="Global Times")
    me = kb.company("Volklec", ("Walkreck", "reported", gt))
    other = kb.company("Other Co")
    old_deal = kb.fact(src, "old deal", subject_id=me, **dated("2023", "2023-01-01", "2023-12-31"))
    new_deal = kb.fact(
        src,
        "new deal",
        kind="out_licence",
        counterparty_id=me,
        **dated("2025-H1", "2025-01-01", "2025-06-30"),
    )
    as_licensee = kb.fact(
        src,
        "licensee",
        kind="patent_licence",
        licensor_id=other,
        licensee_id=me,
        **dated("2024", "2024-01-01", "2024-12-31"),
    )
    sales = kb.fact(
        src, "sales", kind="sales", subject_id=me, **dated("2024", "2024-01-01", "2024-12-31")
    )
    approval = kb.fact(
        src, "approval", kind="approval", subject_id=me, **dated("2025", "2025-01-01", "2025-12-31")
    )
    kb.fact(src, "removed", subject_id=me, deleted_at="x")
    kb.fact(src, "not mine", subject_id=other)
    brief = queries.company_brief(kb.db, me)
    assert [f.id for f in brief.deals] == [new_deal, as_licensee, old_deal]
    assert [f.id for f in brief.others] == [approval, sales]
    assert brief.aliases[0].kind == "name"
    walkreck = next(a for a in brief.aliases if a.alias == "Walkreck")
    assert walkreck.source_label == "Global Times"


def test_brief_same_period_breaks_ties_by_newest_id(kb):
    src = kb.source("S")
    me = kb.company("Solo")
    ids = [
        kb.fact(src, f"deal {n}", subject_id=me, **dated("2025", "2025-01-01", "2025-12-31"))
        for n in range(3)
    ]
    assert [f.id for f in queries.company_brief(kb.db, me).deals] == ids[::-1]


def test_brief_of_unknown_company(kb):
    with pytest.raises(NotFound) as err:
        queries.company_brief(kb.db, 42)
    assert err.value.code == "unknown_company"


# --- search ------------------------------------------------------------------------------------


@pytest.fixture
def searchable(kb):
    src = kb.source("Licensing wave", text="A long report on antibody licensing across Asia.")
    kb.source("Unrelated memo", text="Nothing about deals here.")
    ids = {
        "one": kb.fact(src, "Antibody licence for lung cancer", asset="toripalimab"),
        "many": kb.fact(src, "Antibody antibody antibody platform deal"),
        "other": kb.fact(src, "Vaccine patent licence"),
        "gone": kb.fact(src, "Antibody removed", deleted_at="x"),
    }
    return kb, ids


def test_search_finds_facts_and_documents_with_marked_snippets(searchable):
    kb, ids = searchable
    page = queries.search(kb.db, "antibody")
    fact_ids = [h.fact.id for h in page.hits if h.fact]
    assert set(fact_ids) == {ids["one"], ids["many"]}
    assert fact_ids[0] == ids["many"]  # more occurrences rank higher
    sources = [h.source for h in page.hits if h.source]
    assert [s.title for s in sources] == ["Licensing wave"]
    assert all(f"{MARK_START}" in h.snippet and MARK_END in h.snippet for h in page.hits)
    scores = [h.score for h in page.hits]
    assert scores == sorted(scores, reverse=True)


def test_search_requires_every_word_and_stems(searchable):
    kb, ids = searchable
    assert [h.fact.id for h in queries.search(kb.db, "licences lung").hits] == [ids["one"]]
    assert queries.search(kb.db, "toripalimab").hits[0].fact.id == ids["one"]


def test_search_pages(kb):
    src = kb.source("S")
    for n in range(7):
        kb.fact(src, f"kinase deal number {n}")
    first = queries.search(kb.db, "kinase", limit=5)
    second = queries.search(kb.db, "kinase", limit=5, offset=5)
    assert len(first.hits) == 5 and first.has_more
    assert len(second.hits) == 2 and not second.has_more
    seen = [h.fact.id for h in first.hits + second.hits]
    assert len(set(seen)) == 7


def test_search_weighs_columns_and_rarer_words(kb):
    src = kb.source("S")
    common = [kb.fact(src, f"kinase deal {n}", evidence="filler text") for n in range(5)]
    in_evidence = kb.fact(src, "kinase deal", evidence="mentions zanubrutinib once")
    in_summary = kb.fact(src, "zanubrutinib kinase deal", evidence="filler text")
    newest = kb.fact(src, "kinase deal", evidence="kinase again and zanubrutinib")
    ranked = [h.fact.id for h in queries.search(kb.db, "kinase zanubrutinib").hits]
    assert set(ranked) == {in_evidence, in_summary, newest}
    # The rare word in the summary outweighs a second mention of the common one.
    assert ranked[0] == in_summary
    assert ranked.index(newest) < ranked.index(in_evidence)
    assert not set(common) & set(ranked)


def test_search_ranks_every_match_of_a_rare_word_not_just_the_newest(kb):
    src = kb.source("S")
    best = kb.fact(src, "Tislelizumab tislelizumab tislelizumab deal")
    for n in range(12):
        kb.fact(src, f"tislelizumab note {n}")
    assert queries.search(kb.db, "tislelizumab", limit=1).hits[0].fact.id == best


@pytest.mark.parametrize(
    "hostile",
    [
        "'; DROP TABLE facts; --",
        '"antibody',
        'antibody"',
        "antibody NEAR vaccine",
        "NEAR(antibody vaccine, 2)",
        "anti*",
        "^antibody",
        "(antibody",
        "antibody)) OR ((",
        "antibody AND NOT",
        "summary:antibody",
        "{summary}: x",
        "- antibody +",
    ],
)
def test_hostile_queries_are_plain_words(searchable, hostile):
    kb, _ = searchable
    page = queries.search(kb.db, hostile)
    assert isinstance(page.hits, list)
    assert kb.db["facts"].count == 4


@pytest.mark.parametrize("quoted", ['"antibody', "(antibody", "^antibody", "antibody*"])
def test_operators_around_a_word_still_find_it(searchable, quoted):
    kb, ids = searchable
    found = {h.fact.id for h in queries.search(kb.db, quoted).hits if h.fact}
    assert found == {ids["one"], ids["many"]}


@pytest.mark.parametrize("junk", ["", "   ", "***", "()", "x" * 10_000, "anti\x00body"])
def test_search_refuses_junk(searchable, junk):
    kb, _ = searchable
    with pytest.raises(BadInput):
        queries.search(kb.db, junk)


def test_search_refuses_bad_paging(searchable):
    kb, _ = searchable
    with pytest.raises(BadInput):
        queries.search(kb.db, "antibody", limit=0)
    with pytest.raises(BadInput):
        queries.search(kb.db, "antibody", offset=-1)


# --- stats -------------------------------------------------------------------------------------


@pytest.fixture
def deals(kb):
    src = kb.source("S")
    kb.fact(
        src,
        "total stated",
        sector="pharmaceuticals",
        figures=[("total", 100.0), ("upfront", 10.0)],
        **dated("2025-02", "2025-02-01", "2025-02-28"),
    )
    kb.fact(
        src,
        "parts only",
        sector="pharmaceuticals",
        figures=[("upfront", 5.0), ("milestones", 20.0)],
        **dated("2025-08", "2025-08-01", "2025-08-31"),
    )
    kb.fact(
        src,
        "undisclosed",
        sector="pharmaceuticals",
        figures=[("upfront", None)],
        **dated("2025-09", "2025-09-01", "2025-09-30"),
    )
    kb.fact(
        src,
        "device",
        kind="patent_licence",
        sector="medtech",
        figures=[("total", 7.0)],
        **dated("2024", "2024-01-01", "2024-12-31"),
    )
    kb.fact(
        src,
        "removed",
        sector="pharmaceuticals",
        figures=[("total", 1e9)],
        deleted_at="x",
        **dated("2025", "2025-01-01", "2025-12-31"),
    )
    kb.fact(src, "undated deal", sector="pharmaceuticals")
    kb.fact(
        src,
        "an approval",
        kind="approval",
        sector="pharmaceuticals",
        **dated("2025", "2025-01-01", "2025-12-31"),
    )
    market = kb.fact(
        src,
        "Market deal value in 2025",
        kind="market_stat",
        sector="pharmaceuticals",
        figures=[("value", 5e10)],
        **dated("2025", "2025-01-01", "2025-12-31"),
    )
    kb.fact(
        src,
        "Market in 2024",
        kind="market_stat",
        sector="medtech",
        **dated("2024", "2024-01-01", "2024-12-31"),
    )
    return kb, market


def test_stats_by_year(deals):
    kb, _ = deals
    result = queries.stats(kb.db)
    rows = {(r.bucket, r.kind, r.sector): r for r in result.rows}
    biotech = rows[("2025", "licence", "pharmaceuticals")]
    assert (biotech.deals, biotech.disclosed, biotech.usd_total) == (3, 2, 125.0)
    devices = rows[("2024", "patent_licence", "medtech")]
    assert (devices.deals, devices.disclosed, devices.usd_total) == (1, 1, 7.0)
    assert result.rows[-1].bucket == queries.UNDATED
    assert [r.bucket for r in result.rows[:-1]] == ["2024", "2025"]
    assert {f.kind for f in result.reported} == {"market_stat"}
    assert all(r.kind != "market_stat" for r in result.rows)


def test_stats_half_buckets_period_and_sector(deals):
    kb, market = deals
    result = queries.stats(kb.db, granularity="half", period="2025", sector="Biotech")
    buckets = {r.bucket: r for r in result.rows}
    assert set(buckets) == {"2025-H1", "2025-H2"}
    assert (buckets["2025-H1"].deals, buckets["2025-H2"].deals) == (1, 2)
    assert [f.id for f in result.reported] == [market]
    assert (
        result.period == "2025" and result.sector == "Pharmaceuticals"
    )  # shown as the vocabulary names it


def test_stats_quarter_and_month(deals):
    kb, _ = deals
    quarters = {r.bucket for r in queries.stats(kb.db, granularity="quarter", period="2025").rows}
    assert quarters == {"2025-Q1", "2025-Q3"}
    months = {r.bucket for r in queries.stats(kb.db, granularity="month", period="2025-H2").rows}
    assert months == {"2025-08", "2025-09"}
    assert queries.stats(kb.db, period="2025-H1").reported == []


@pytest.mark.parametrize(
    "kwargs",
    [{"granularity": "week"}, {"period": "last year"}, {"period": "2025-13"}, {"sector": "a\x00"}],
)
def test_stats_refuses_bad_values(deals, kwargs):
    kb, _ = deals
    with pytest.raises(BadInput):
        queries.stats(kb.db, **kwargs)


# --- sources -----------------------------------------------------------------------------------


def test_sources_with_counts_and_detail(kb):
    old = kb.source("Old", published="2024-01-01", text="word " * 400)
    new = kb.source("New", published="2025-01-01")
    kb.fact(old, "a")
    kb.fact(old, "b", deleted_at="x")
    listed = queries.list_sources(kb.db)
    assert [(s.source.id, s.facts) for s in listed] == [(new, 0), (old, 1)]
    detail = queries.get_source(kb.db, old)
    assert [f.summary for f in detail.facts] == ["a"]
    assert detail.text_excerpt.endswith("…") and len(detail.text_excerpt) <= 601
    assert queries.get_source(kb.db, new).text_excerpt is None
    with pytest.raises(NotFound) as err:
        queries.get_source(kb.db, 999)
    assert err.value.code == "unknown_source"


# --- changes since an audit id -------------------------------------------------------------------


LIVE = {"deleted_at": None}
GONE = {"deleted_at": "2025-01-01T00:00:00+00:00"}


def test_changes_since_windows(kb):
    src = kb.source("S")
    kept, edited, removed, flash = (kb.fact(src, n) for n in ("kept", "edited", "removed", "flash"))
    kb.db["facts"].update(flash, {"deleted_at": "x"})
    start = queries.latest_audit_id(kb.db)
    assert start == 0
    a1 = kb.audit("add", kept, after=LIVE)
    kb.audit("edit", edited, before=LIVE, after=LIVE)
    kb.audit("add", flash, after=LIVE)
    kb.audit("remove", flash, before=LIVE, after=GONE)
    last = kb.audit("remove", removed, before=LIVE, after=GONE)
    changes = queries.changes_since(kb.db, start)
    assert [f.id for f in changes.added] == [kept]
    assert [f.id for f in changes.edited] == [edited]
    assert [e.entity_id for e in changes.removed] == [removed]
    assert changes.removed[0].before == LIVE
    assert (changes.first_audit_id, changes.last_audit_id) == (a1, last)
    later = queries.changes_since(kb.db, a1, until_audit_id=a1 + 1)
    assert later.added == [] and [f.id for f in later.edited] == [edited]
    assert queries.changes_since(kb.db, last).last_audit_id is None


def test_undo_of_remove_and_of_add(kb):
    src = kb.source("S")
    restored, undone = kb.fact(src, "restored"), kb.fact(src, "undone", deleted_at="x")
    removal = kb.audit("remove", restored, before=LIVE, after=GONE)
    kb.audit("undo", restored, before=GONE, after=LIVE, undoes=removal)
    adding = kb.audit("add", undone, after=LIVE)
    kb.audit("undo", undone, before=LIVE, after=GONE, undoes=adding)
    changes = queries.changes_since(kb.db, 0)
    assert changes.added == [] and changes.edited == [] and changes.removed == []
    after_add = queries.changes_since(kb.db, adding)
    assert [e.entity_id for e in after_add.removed] == [undone]


def test_changes_ignore_other_entities_but_span_them(kb):
    kb.db["audit"].insert(
        {"at": "t", "actor": "x", "action": "add", "entity": "company", "entity_id": 1}
    )
    changes = queries.changes_since(kb.db, 0)
    assert (changes.added, changes.edited, changes.removed) == ([], [], [])
    assert changes.last_audit_id == queries.latest_audit_id(kb.db) == 1


def test_changes_read_the_window_by_audit_id(kb):
    plan = " ".join(
        row[3] for row in kb.db.execute(f"EXPLAIN QUERY PLAN {queries.FACT_CHANGES}", [0, 1])
    )
    assert "INTEGER PRIMARY KEY (rowid>? AND rowid<?)" in plan
    assert "audit_entity" not in plan and "TEMP B-TREE" not in plan

"""The vocabularies: loading, mapping free text, refusing with the closest entries, flows."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs import model, vocab
from briefs.changes import Actor, FactIn, FigureIn, add_company, add_fact, add_source, edit_fact
from briefs.errors import BadInput
from briefs.queries import get_fact, stats
from briefs.render import render_error, to_text

ADMIN = Actor(name="shell:test")
V = vocab.VOCAB


def test_every_list_of_kinds_comes_from_the_registry():
    assert tuple(model.FACT_KINDS) == V.kinds.keys
    assert set(model.DEAL_KINDS) == {
        "licence",
        "out_licence",
        "patent_licence",
        "option",
        "co_development",
        "newco",
        "asset_purchase",
    }
    assert "approval" not in model.DEAL_KINDS
    assert set(model.MILESTONE_ROLES) <= set(model.FIGURE_ROLES)


def test_a_second_load_reads_the_same_files(tmp_path: Path):
    assert vocab.load().sectors.keys == V.sectors.keys


@pytest.mark.parametrize(
    ("vocabulary", "typed", "key"),
    [
        ("sectors", "Memory chips", "memory"),
        ("sectors", "BIOPHARMACEUTICALS", "pharmaceuticals"),
        ("sectors", "Innovative drugs", "pharmaceuticals"),
        ("sectors", "chips", "semiconductors"),
        ("sectors", "EV batteries", "energy_storage"),
        ("sectors", "Semicondutors", "semiconductors"),  # a close spelling
        ("stages", "Phase II", "phase_2"),
        ("stages", "P2", "phase_2"),
        ("stages", "pre-clinical", "preclinical"),
        ("countries", "U.S.", "us"),
        ("countries", "UK", "gb"),
        ("kinds", "co-commercialisation", "co_development"),
    ],
)
def test_free_text_maps_onto_an_entry(vocabulary, typed, key):
    assert getattr(V, vocabulary).find(typed).key == key


def test_short_words_must_match_exactly():
    assert V.sectors.find("foo") is None


def test_an_acquisition_is_not_a_licence():
    assert V.kinds.find("acquisition") is None


def test_a_parent_sector_includes_its_children():
    assert set(V.sectors.within("semiconductors")) >= {"semiconductors", "memory"}
    assert "memory" not in V.sectors.within("pharmaceuticals")


@pytest.mark.parametrize(
    ("typed", "included", "excluded"),
    [
        ("worldwide excluding Greater China", ("worldwide",), ("greater_china",)),
        ("ex-China", ("worldwide",), ("cn",)),
        ("US", ("us",), ()),
        ("Europe", ("europe",), ()),
        ("Greater China", ("greater_china",), ()),
        ("U.S. and EU", ("us", "europe"), ()),
        ("40 countries and regions", ("several",), ()),
    ],
)
def test_territories_are_stored_as_places_in_and_out(typed, included, excluded):
    assert vocab.parse_territory(typed) == vocab.Territory(included, excluded)


def test_unknown_text_is_refused_with_the_closest_entries():
    with pytest.raises(BadInput) as caught:
        V.sectors.resolve("Memroy", "sector")
    assert caught.value.code == "not_in_vocab"
    assert caught.value.params["closest"][0] == "Memory"
    line = to_text(render_error(caught.value, flavour="text")).strip()
    assert line.startswith("“Memroy” is not a sector") and "Memory" in line
    assert "\n" not in line


@pytest.mark.parametrize("typed", ["China → US", "china-us", "China -> US", "china to us"])
def test_a_flow_is_written_many_ways(typed):
    flow = vocab.parse_flow(typed)
    assert (flow.source, flow.target) == (("greater_china",), ("united_states",))


def test_the_west_is_the_us_and_europe():
    assert vocab.parse_flow("China → West").target == ("united_states", "europe")


def test_flow_of_companies_countries():
    assert vocab.flow_of("China", "United Kingdom") == "Greater China → Europe"
    assert vocab.flow_of("China", None) is None


def test_flow_choices_fit_discord_only_through_autocomplete():
    assert len(vocab.flow_choices()) > 25  # so /stats offers them by autocomplete
    assert vocab.complete(vocab.flow_choices(), "west", 25) == [
        label for label in vocab.flow_choices() if "West" in label
    ]


# --- Through the one write path. ---------------------------------------------------------------


@pytest.fixture
def parties(db):
    source = add_source(db, key="s", title="A source", actor=ADMIN)
    china = add_company(db, "Lotus Bio", ADMIN, country="PRC", sector="biotech")
    uk = add_company(db, "Thames Cells", ADMIN, country="UK")
    us = add_company(db, "Hudson Chips", ADMIN, country="USA")
    return {"source": source, "china": china, "uk": uk, "us": us}


def deal(parties, licensee="uk", **fields) -> FactIn:
    return FactIn(
        kind=fields.pop("kind", "licence"),
        summary="A deal",
        source_id=parties["source"],
        subject_id=parties["china"],
        counterparty_id=parties[licensee],
        licensor_id=parties["china"],
        licensee_id=parties[licensee],
        **fields,
    )


def test_a_fact_is_stored_with_vocabulary_keys_and_its_territory_as_given(db, parties):
    fact_id = add_fact(
        db,
        deal(parties, kind="license", sector="Memory chips", stage="P2", territory="ex-China"),
        ADMIN,
    )
    row = next(db.query("SELECT * FROM facts WHERE id = ?", [fact_id]))
    assert (row["kind"], row["sector"], row["stage"]) == ("licence", "memory", "phase_2")
    assert (row["territory"], row["territory_in"], row["territory_out"]) == (
        "ex-China",
        "worldwide",
        "cn",
    )
    company = next(
        db.query("SELECT country, sector FROM companies WHERE id = ?", [parties["china"]])
    )
    assert company == {"country": "China", "sector": "pharmaceuticals"}


def test_a_refused_word_changes_nothing(db, parties):
    before = db.execute("SELECT count(*) FROM audit").fetchone()
    with pytest.raises(BadInput) as caught:
        add_fact(db, deal(parties, sector="Quantum widgets"), ADMIN)
    assert caught.value.params["field"] == "sector"
    with pytest.raises(BadInput):
        add_fact(db, deal(parties, territory="Atlantis"), ADMIN)
    with pytest.raises(BadInput):
        add_company(db, "Nowhere Ltd", ADMIN, country="Atlantis")
    assert db.execute("SELECT count(*) FROM audit").fetchone() == before
    assert db["facts"].count == 0


def test_milestones_add_up_from_their_kinds_unless_stated(db, parties):
    parts = [
        FigureIn(role="milestones_development", value=20e6),
        FigureIn(role="milestones_commercial", value=100e6),
    ]
    split = add_fact(
        db, deal(parties, figures=[FigureIn(role="upfront", value=5e6), *parts]), ADMIN
    )
    assert get_fact(db, split).milestones_usd == 120e6
    assert get_fact(db, split).parts_usd == 125e6
    stated = add_fact(
        db, deal(parties, figures=[FigureIn(role="milestones", value=150e6), *parts]), ADMIN
    )
    assert get_fact(db, stated).milestones_usd == 150e6
    by_sql = stats(db).rows
    assert sum(r.usd_total for r in by_sql) == 125e6 + 150e6


def test_stats_filter_by_flow_and_parent_sector(db, parties):
    add_fact(db, deal(parties, sector="Memory"), ADMIN)
    add_fact(db, deal(parties, licensee="us", sector="Oncology"), ADMIN)
    assert sum(r.deals for r in stats(db, sector="Semiconductors").rows) == 1
    assert sum(r.deals for r in stats(db, flow="china-us").rows) == 1
    assert sum(r.deals for r in stats(db, flow="China → Europe").rows) == 1
    assert sum(r.deals for r in stats(db, flow="China → West").rows) == 2
    assert stats(db, flow="us-china").rows == []


def test_an_edit_rechecks_the_words(db, parties):
    fact_id = add_fact(db, deal(parties, stage="Phase 1"), ADMIN)
    edit_fact(db, fact_id, ADMIN, stage="Phase III")
    assert get_fact(db, fact_id).stage == "phase_3"
    with pytest.raises(BadInput):
        edit_fact(db, fact_id, ADMIN, stage="nearly there")

"""Name resolution and autocomplete against a real database filled row by row."""

from __future__ import annotations

import contextlib

import pytest

from briefs.errors import BadInput, DealbriefError, NotFound
from briefs.names import Candidate, complete_companies, resolve_company
from briefs.store import open_db
from briefs.text import normalize_name, slugify


def add_company(db, name: str, *aliases: tuple[str, str]) -> int:
    """A company with its own name as a 'name' alias plus (alias, kind) pairs."""
    cid = (
        db["companies"]
        .insert({"slug": slugify(name), "name": name, "created_at": "t", "updated_at": "t"})
        .last_pk
    )
    for alias, kind in ((name, "name"), *aliases):
        db["aliases"].insert(
            {"company_id": cid, "alias": alias, "norm": normalize_name(alias), "kind": kind}
        )
    return cid


def add_fact(db, subject_id: int, summary: str = "a licence") -> int:
    if not db["sources"].exists() or not db["sources"].count:
        db["sources"].insert({"id": 1, "key": "s1", "title": "Source", "created_at": "t"})
    return (
        db["facts"]
        .insert(
            {
                "kind": "licence",
                "summary": summary,
                "subject_id": subject_id,
                "source_id": 1,
                "created_at": "t",
                "updated_at": "t",
            }
        )
        .last_pk
    )


@pytest.fixture
def kb(db):
    ids = {
        "junshi": add_company(
            db,
            "Shanghai Junshi Biosciences",
            ("Junshi", "short"),
            ("1877.HK", "ticker"),
            ("君实生物", "chinese"),
        ),
        "samsung": add_company(db, "Samsung Biologics", ("Samsung", "short"), ("207940", "ticker")),
        "volklec": add_company(db, "Volklec", ("Walkreck", "reported")),
        "hengrui": add_company(db, "Jiangsu Hengrui Pharmaceuticals", ("恒瑞医药", "chinese")),
        "henlius": add_company(db, "Shanghai Henlius Biotech", ("Henlius", "short")),
    }
    return db, ids


@pytest.mark.parametrize(
    ("typed", "key", "how"),
    [
        ("Shanghai Junshi Biosciences", "junshi", "exact"),
        ("shanghai JUNSHI biosciences", "junshi", "exact"),
        ("Junshi", "junshi", "exact"),
        ("1877.hk", "junshi", "exact"),
        ("君实生物", "junshi", "exact"),
        ("Walkreck", "volklec", "exact"),
        ("恒瑞医药", "hengrui", "exact"),
        ("207940", "samsung", "exact"),
        ("samsung bio", "samsung", "prefix"),
        ("Jiangsu Heng", "hengrui", "prefix"),
        ("hengrui", "hengrui", "prefix"),
        ("君实", "junshi", "prefix"),
        ("junshy", "junshi", "fuzzy"),
        ("samsnug", "samsung", "fuzzy"),
        ("Shanghai Junshy Biosciences", "junshi", "fuzzy"),
        ("volkelc", "volklec", "fuzzy"),
    ],
)
def test_resolves_every_alias_kind_case_partial_and_typo(kb, typed, key, how):
    db, ids = kb
    found = resolve_company(db, typed)
    assert found.company.id == ids[key]
    assert found.how == how


def test_resolution_reports_the_alias_that_matched(kb):
    db, _ = kb
    assert resolve_company(db, "walkreck").alias == "Walkreck"
    assert resolve_company(db, "君实生物").company.name == "Shanghai Junshi Biosciences"


def test_company_id_as_autocomplete_sends_it(kb):
    db, ids = kb
    assert resolve_company(db, str(ids["volklec"])).company.id == ids["volklec"]
    assert resolve_company(db, f"#{ids['henlius']}").company.id == ids["henlius"]


def test_unknown_name_suggests_close_companies(kb):
    db, ids = kb
    with pytest.raises(NotFound) as err:
        resolve_company(db, "Shanghai")
    assert err.value.code == "unknown_company"
    assert err.value.params["query"] == "Shanghai"
    suggested = [c.company.id for c in err.value.suggestions]
    assert set(suggested[:2]) == {ids["junshi"], ids["henlius"]}
    assert all(isinstance(c, Candidate) and 0 <= c.score <= 100 for c in err.value.suggestions)


@pytest.mark.parametrize("typed", ["Quuxbarq Zyzzyva", "everyone", "<@123> @everyone"])
def test_nothing_alike_is_not_offered_as_did_you_mean(kb, typed):
    """A name that shares only a few letters by chance is no suggestion at all."""
    db, _ = kb
    add_company(db, "Far East Battery")  # "everyone" shares "eve", "ery" and "ry" with it
    with pytest.raises(NotFound) as err:
        resolve_company(db, typed)
    assert err.value.suggestions == []


def test_suggestions_are_best_first(kb):
    db, ids = kb
    add_company(db, "Henlix Therapeutics")
    with pytest.raises(NotFound) as err:
        resolve_company(db, "henli")
    scores = [c.score for c in err.value.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert ids["henlius"] in [c.company.id for c in err.value.suggestions]


def test_two_close_typo_candidates_are_not_guessed(db):
    first = add_company(db, "Arcton Bio")
    second = add_company(db, "Arctan Bio")
    with pytest.raises(NotFound) as err:
        resolve_company(db, "Arcten Bio")
    assert {c.company.id for c in err.value.suggestions} >= {first, second}


def test_shared_alias_is_ambiguous(db):
    add_company(db, "Alpha Pharma One", ("APX", "ticker"))
    add_company(db, "Alpha Pharma Two", ("APX", "abbreviation"))
    with pytest.raises(NotFound) as err:
        resolve_company(db, "apx")
    assert len(err.value.suggestions) == 2


@pytest.mark.parametrize(
    "junk",
    ["", "   ", "x" * 10_000, "junshi\x00", "jun\x1bshi", "line\nbreak"],
)
def test_junk_raises_bad_input(kb, junk):
    db, _ = kb
    with pytest.raises(BadInput):
        resolve_company(db, junk)


@pytest.mark.parametrize(
    "hostile",
    [
        "'; DROP TABLE companies; --",
        '"junshi',
        "junshi OR 1=1",
        "NEAR(a b)",
        "*",
        "^junshi",
        "((",
        "%_%",
        "#",
        "#99999999",
        "...",
    ],
)
def test_hostile_input_never_reaches_sqlite_as_syntax(kb, hostile):
    db, _ = kb
    with contextlib.suppress(DealbriefError):
        resolve_company(db, hostile)
    assert db["companies"].count == 5
    assert isinstance(complete_companies(db, hostile), list)


def test_autocomplete_prefix_from_first_letter(kb):
    db, ids = kb
    names = [c.company.id for c in complete_companies(db, "s")]
    assert set(names) >= {ids["junshi"], ids["samsung"], ids["henlius"]}
    assert complete_companies(db, "sams")[0].company.id == ids["samsung"]


def test_autocomplete_finds_words_chinese_and_typos(kb):
    db, ids = kb
    assert complete_companies(db, "junshi")[0].company.id == ids["junshi"]
    assert complete_companies(db, "恒瑞")[0].company.id == ids["hengrui"]
    assert ids["samsung"] in [c.company.id for c in complete_companies(db, "samsnug")]


def test_autocomplete_lists_each_company_once_and_respects_limit(db):
    for n in range(40):
        add_company(db, f"Acme Biotech {n:02d}", (f"Acme {n:02d}", "short"))
    found = complete_companies(db, "acme")
    assert len(found) == 25
    assert len({c.company.id for c in found}) == 25
    assert len(complete_companies(db, "acme", limit=5)) == 5


def test_empty_prefix_lists_companies_with_most_facts(kb):
    db, ids = kb
    for _ in range(3):
        add_fact(db, ids["volklec"])
    add_fact(db, ids["henlius"])
    top = complete_companies(db, "")
    assert [c.company.id for c in top[:2]] == [ids["volklec"], ids["henlius"]]
    assert len(top) == 5
    add_fact(db, ids["henlius"])
    add_fact(db, ids["henlius"])
    add_fact(db, ids["henlius"])
    assert complete_companies(db, "")[0].company.id == ids["henlius"]


@pytest.mark.parametrize("junk", ["x" * 10_000, "a\x00b", "\u202e", "line\nbreak"])
def test_autocomplete_returns_nothing_for_junk(kb, junk):
    db, _ = kb
    assert complete_companies(db, junk) == []


def test_lookups_see_names_another_connection_adds(kb, db_path):
    """Trigram counts are remembered but never past a change; the empty-prefix list is counted
    by the database, so it follows another connection's facts too."""
    db, ids = kb
    with pytest.raises(NotFound):
        resolve_company(db, "Zorvexa Thrapeutics")  # remembers that no alias has "zor"
    assert complete_companies(db, "")[0].company.id != ids["samsung"]
    writer = open_db(db_path)
    try:
        new = add_company(writer, "Zorvexa Therapeutics")
        for _ in range(2):
            add_fact(writer, new)
    finally:
        writer.close()
    assert resolve_company(db, "Zorvexa Thrapeutics").company.id == new
    assert complete_companies(db, "")[0].company.id == new
    assert complete_companies(db, "therap")[0].company.id == new


def test_each_connection_keeps_its_own_answers(kb, db_path):
    """Two readers taking turns both stay correct after one of them writes."""
    db, ids = kb
    other = open_db(db_path)
    try:
        add_fact(db, ids["junshi"])
        for reader in (db, other, db, other):
            assert complete_companies(reader, "")[0].company.id == ids["junshi"]
            assert resolve_company(reader, "junshy").company.id == ids["junshi"]
        for _ in range(2):
            add_fact(other, ids["henlius"])
        for reader in (db, other):
            assert complete_companies(reader, "")[0].company.id == ids["henlius"]
    finally:
        other.close()


def test_word_inside_a_long_name_among_many_sharing_its_letters(db):
    """A word start is found even when its trigrams are common in other names."""
    for n in range(60):
        add_company(db, f"Hanover Biolab {n}")
    target = add_company(db, "Suzhou Hanbio Pharma")
    found = complete_companies(db, "hanbio")
    assert found[0].company.id == target
    assert found[0].score > max(c.score for c in found[1:])
    assert resolve_company(db, "Hanbio").company.id == target

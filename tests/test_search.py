"""Search as people use it: either spelling, notes and assets, Chinese text, filters, and the
index kept right through edits, removals and undo."""

from __future__ import annotations

import re

import pytest
import test_cli
from click.testing import Result

from briefs import queries, vocab
from briefs.changes import (
    Actor,
    FactIn,
    add_company,
    add_fact,
    add_source,
    edit_fact,
    remove_fact,
    undo,
)
from briefs.errors import BadInput, NotFound
from briefs.search_filters import parse_filters
from briefs.store import open_db

ADMIN = Actor("test:admin")
FACT_LINE = re.compile(r"^#(\d+) ", re.MULTILINE)
SOURCE_LINE = re.compile(r"^Source (\d+) ", re.MULTILINE)


# The curated database (a copy per test) and the command line, as the CLI tests use them.
seeded, ready, run = test_cli.seeded, test_cli.ready, test_cli.run


def fact_ids(result: Result) -> set[int]:
    assert result.exit_code == 0, result.output
    return {int(n) for n in FACT_LINE.findall(result.stdout)}


def found(db, query: str, **filters: str) -> set[int]:
    page = queries.search(db, query, limit=100, filters=parse_filters(db, **filters))
    return {h.fact.id for h in page.hits if h.fact}


# --- spellings -------------------------------------------------------------------------------


def test_licence_and_license_find_the_same_facts(ready):
    british = fact_ids(run(ready, "search", "licence", "--limit", "100"))
    american = fact_ids(run(ready, "search", "license", "--limit", "100"))
    assert british == american
    db = open_db(ready)
    texts = {
        fid: " ".join(filter(None, row))
        for fid, *row in db.execute("SELECT id, summary, asset, evidence, note FROM facts")
    }
    assert any("licence" in texts[f].lower() for f in british)
    assert any(re.search(r"licens", texts[f], re.IGNORECASE) for f in british)


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("commercialisation", "commercialization"),
        ("authorised", "authorized"),
        ("organisation", "organization"),
        ("programme", "program"),
        ("centre", "center"),
        ("licensor", "licensor"),
        ("sublicence", "sublicense"),
    ],
)
def test_british_and_american_spellings_find_each_other(db, written, searched):
    source = add_source(db, key="s", title="Memo", actor=ADMIN)
    fact = add_fact(db, FactIn("policy", f"The {written} was agreed.", source), ADMIN)
    add_fact(db, FactIn("policy", "Nothing of the kind.", source), ADMIN)
    assert found(db, searched) == {fact}
    assert found(db, written) == {fact}


# --- notes and assets ------------------------------------------------------------------------


@pytest.fixture
def kb(db):
    source = add_source(db, key="s", title="Memo", actor=ADMIN)
    alpha = add_company(db, "Alpha Bio", ADMIN)
    beta = add_company(db, "Beta Pharma", ADMIN)
    facts = {
        "note": add_fact(
            db,
            FactIn(
                "licence",
                "Alpha licensed a drug.",
                source,
                subject_id=alpha,
                counterparty_id=beta,
                licensor_id=alpha,
                licensee_id=beta,
                note="Terms confirmed by quillwort filing",
                period="2023-05",
                sector="oncology",
            ),
            ADMIN,
        ),
        "asset": add_fact(
            db,
            FactIn(
                "approval",
                "Beta won an approval.",
                source,
                subject_id=beta,
                asset="zentrivumab",
                period="2025-02",
                sector="Vaccines",
            ),
            ADMIN,
        ),
        "cjk": add_fact(
            db,
            FactIn(
                "licence",
                "上海君实生物与合作伙伴签署许可协议。",
                source,
                subject_id=beta,
                counterparty_id=alpha,
                licensor_id=beta,
                licensee_id=alpha,
                period="2024",
            ),
            ADMIN,
        ),
    }
    return db, facts


def test_notes_and_asset_names_are_found(kb):
    db, facts = kb
    assert found(db, "quillwort") == {facts["note"]}
    assert found(db, "zentrivumab") == {facts["asset"]}
    hit = queries.search(db, "quillwort").hits[0]
    assert "quillwort" in hit.snippet


def test_the_index_follows_edits_removals_and_undo(kb):
    db, facts = kb
    edit_fact(db, facts["note"], ADMIN, note="Terms now from a bellwort filing")
    assert found(db, "quillwort") == set()
    assert found(db, "bellwort") == {facts["note"]}
    remove_fact(db, facts["note"], ADMIN)
    remove_fact(db, facts["cjk"], ADMIN)
    assert found(db, "bellwort") == set() and found(db, "君实") == set()
    assert found(db, "", company="Alpha Bio") == set()
    undo(db, ADMIN)
    undo(db, ADMIN)
    assert found(db, "bellwort") == {facts["note"]}
    assert found(db, "君实") == {facts["cjk"]}
    edit_fact(db, facts["cjk"], ADMIN, summary="A zymurgy licence, in English only.")
    assert found(db, "君实") == set() and found(db, "zymurgy license") == {facts["cjk"]}
    db.execute("INSERT INTO facts_fts(facts_fts, rank) VALUES ('integrity-check', 1)")


# --- Chinese and Japanese --------------------------------------------------------------------

CHINESE = (
    "君实生物宣布授权协议\n\n"
    "上海君实生物医药科技股份有限公司今日宣布，已与海外合作伙伴签署特瑞普利单抗的独家许可协议。\n"
)


def test_a_word_inside_an_ingested_chinese_document_finds_it(ready, tmp_path):
    article = tmp_path / "junshi.txt"
    article.write_text(CHINESE, encoding="utf-8")
    stored = run(ready, "ingest", str(article))
    assert stored.exit_code == 0, stored.output
    source = int(re.search(r"source (\d+)", stored.stdout).group(1))
    for word in ("单抗", "合作伙伴", "医药科技股份"):  # two, four and six characters, mid-sentence
        result = run(ready, "search", word)
        assert result.exit_code == 0, result.output
        assert SOURCE_LINE.findall(result.stdout) == [str(source)], (word, result.stdout)
        assert word in result.stdout
    missing = run(ready, "search", "单克隆")
    assert missing.exit_code == 0 and "Nothing matches" in missing.stdout


def test_cjk_words_in_facts_are_found_short_or_long_and_marked(kb):
    db, facts = kb
    for word in ("君实", "许可协议", "君实生物", "协"):
        assert found(db, word) == {facts["cjk"]}, word
    hit = queries.search(db, "君实").hits[0]
    assert f"{queries.MARK_START}君实{queries.MARK_END}" in hit.snippet
    assert found(db, "君实 许可") == {facts["cjk"]}
    assert found(db, "君实 quillwort") == set()
    assert found(db, "君实", kind="approval") == set()


def test_japanese_text_is_found(db):
    source = add_source(db, key="s", title="Memo", actor=ADMIN)
    fact = add_fact(
        db,
        FactIn(
            "licence",
            "第一三共はライセンス契約を締結した。",
            source,
            licensor_undisclosed=True,
            licensee_undisclosed=True,
        ),
        ADMIN,
    )
    assert found(db, "ライセンス") == {fact}
    assert found(db, "契約") == {fact}


# --- filters ---------------------------------------------------------------------------------


def test_each_filter_narrows_the_facts(kb):
    db, facts = kb
    assert found(db, "", company="Alpha Bio") == {facts["note"], facts["cjk"]}
    assert found(db, "", company="Beta") == {facts["note"], facts["asset"], facts["cjk"]}
    assert found(db, "", kind="licence") == {facts["note"], facts["cjk"]}
    assert found(db, "", sector="vaccines") == {facts["asset"]}
    assert found(db, "", since="2024") == {facts["asset"], facts["cjk"]}
    assert found(db, "", until="2024-06") == {facts["note"], facts["cjk"]}
    assert found(db, "", since="2024-03", until="2024-06") == {facts["cjk"]}
    assert found(db, "licence", company="Alpha Bio", kind="licence") == {facts["note"]}
    assert found(db, "approval", kind="licence") == set()


def test_a_parent_sector_includes_its_children_and_aliases_are_understood(kb):
    db, facts = kb
    assert found(db, "", sector="Pharmaceuticals") == {facts["note"], facts["asset"]}
    assert found(db, "", sector="biopharma") == {facts["note"], facts["asset"]}
    assert found(db, "", sector="cancer drugs") == {facts["note"]}
    assert found(db, "drug", sector="Oncology") == {facts["note"]}
    assert found(db, "", sector="Semiconductors") == set()


def test_an_unknown_sector_is_refused_with_the_closest(kb):
    db, _ = kb
    with pytest.raises(BadInput) as err:
        parse_filters(db, sector="Vacines and more")
    assert err.value.code == "not_in_vocab"
    assert "Vaccines" in err.value.params["closest"]


@pytest.fixture
def flows(db):
    """Licences each way between China and the US, one to Germany, and one unnamed licensee."""
    source = add_source(db, key="s", title="Memo", actor=ADMIN)
    china = add_company(db, "Jade River Bio", ADMIN, country="China")
    us = add_company(db, "Hudson Pharma", ADMIN, country="USA")
    germany = add_company(db, "Rhein Biologics", ADMIN, country="Germany")

    def licence(licensor, licensee, summary):
        fact = FactIn(
            "licence",
            summary,
            source,
            subject_id=licensor,
            counterparty_id=licensee,
            licensor_id=licensor,
            licensee_id=licensee,
            licensee_undisclosed=licensee is None,
        )
        return add_fact(db, fact, ADMIN)

    return db, {
        "china_us": licence(china, us, "Jade River licensed an antibody to Hudson."),
        "us_china": licence(us, china, "Hudson licensed a vaccine to Jade River."),
        "china_germany": licence(china, germany, "Jade River licensed an antibody to Rhein."),
        "china_unnamed": licence(china, None, "Jade River licensed an antibody to a partner."),
    }


def test_a_flow_keeps_deals_from_the_licensors_region_to_the_licensees(flows):
    db, facts = flows
    assert found(db, "", flow="China → US") == {facts["china_us"]}
    assert found(db, "", flow="china-us") == {facts["china_us"]}
    assert found(db, "", flow="US -> China") == {facts["us_china"]}
    assert found(db, "", flow="China → West") == {facts["china_us"], facts["china_germany"]}
    assert found(db, "antibody", flow="China → West") == {
        facts["china_us"],
        facts["china_germany"],
    }
    page = queries.search(db, "", filters=parse_filters(db, flow="china-us"))
    assert page.filters.flow.label == "Greater China → US"
    assert page.filters.facts_only


@pytest.mark.parametrize("typed", ["China", "China → Atlantis", "north-south"])
def test_a_flow_that_names_no_regions_is_refused(flows, typed):
    db, _ = flows
    with pytest.raises(BadInput) as err:
        parse_filters(db, flow=typed)
    assert err.value.code in ("bad_flow", "not_in_vocab")


def test_a_filter_alone_lists_facts_newest_first_without_documents(kb):
    db, facts = kb
    page = queries.search(db, "", filters=parse_filters(db, kind="licence"))
    assert [h.fact.id for h in page.hits] == [facts["cjk"], facts["note"]]
    assert all(h.source is None for h in page.hits)


def test_documents_are_kept_by_date_but_not_by_company(db):
    add_source(db, key="a", title="Quillwort report", actor=ADMIN, published="2025-03-01")
    add_source(db, key="b", title="Old quillwort report", actor=ADMIN, published="2019-03-01")
    add_company(db, "Alpha Bio", ADMIN)

    def titles(**filters):
        page = queries.search(db, "quillwort", filters=parse_filters(db, **filters))
        return {h.source.title for h in page.hits if h.source}

    assert titles() == {"Quillwort report", "Old quillwort report"}
    assert titles(since="2024") == {"Quillwort report"}
    assert titles(company="Alpha Bio") == set()


@pytest.mark.parametrize(
    ("filters", "code"),
    [
        ({"kind": "rumour"}, "bad_kind"),
        ({"since": "2025-13"}, "bad_period"),
        ({"since": "2026", "until": "2025"}, "bad_range"),
        ({"sector": "x\x1b"}, "control_chars"),
    ],
)
def test_bad_filters_are_refused(kb, filters, code):
    db, _ = kb
    with pytest.raises(BadInput) as err:
        parse_filters(db, **filters)
    assert err.value.code == code


def test_an_unknown_company_gets_suggestions(kb):
    db, _ = kb
    with pytest.raises(NotFound) as err:
        parse_filters(db, company="Gamma Zeta")
    assert err.value.code == "unknown_company"


def test_cli_filters(ready):
    everything = fact_ids(run(ready, "search", "--since", "2000", "--limit", "100"))
    licences = fact_ids(run(ready, "search", "licence", "--kind", "licence", "--limit", "100"))
    assert licences and licences <= everything
    junshi = run(ready, "search", "--company", "junshi", "--since", "2024", "--until", "2025-06")
    assert fact_ids(junshi) and "naming Junshi Biosciences" in junshi.stdout
    for args in (["--kind", "nonsense"], ["--since", "2026", "--until", "2024"], []):
        refused = run(ready, "search", *args)
        assert refused.exit_code == 1 and refused.stdout == ""
        assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr


def test_cli_filters_by_flow_and_parent_sector(ready):
    flow = "China → Asia ex-China"
    result = run(ready, "search", "--flow", flow, "--sector", "chips", "--limit", "100")
    shown = fact_ids(result)
    assert shown and "going Greater China → Asia ex-China" in result.stdout
    assert "in the sector Semiconductors" in result.stdout
    db = open_db(ready)
    chips = vocab.VOCAB.sectors.within("semiconductors")
    for fact_id in shown:
        sector, *countries = db.execute(
            "SELECT f.sector, lc.country, le.country FROM facts f "
            "JOIN companies lc ON lc.id = f.licensor_id "
            "JOIN companies le ON le.id = f.licensee_id WHERE f.id = ?",
            [fact_id],
        ).fetchone()
        assert sector in chips and sector != "semiconductors"
        assert vocab.flow_of(*countries) == "Greater China → Asia ex-China"
    assert fact_ids(run(ready, "search", "--flow", "china-west", "--sector", "chips")) == set()
    refused = run(ready, "search", "--flow", "Atlantis-US")
    assert refused.exit_code == 1 and refused.stdout == ""


@pytest.mark.parametrize(
    "hostile",
    [
        '君"实',
        '"君实" OR',
        "NEAR(君实 协议, 2)",
        "君实*",
        "^君",
        "licence NEAR/2",
        "x" * 199 + "君",
        "(((",
        "summary:君实",
        "''",
    ],
)
def test_hostile_queries_with_cjk_and_filters_get_an_answer(kb, hostile):
    db, _ = kb
    try:
        page = queries.search(db, hostile, filters=parse_filters(db, kind="licence"))
    except BadInput as err:
        assert err.code in ("empty_query", "too_long")
    else:
        assert isinstance(page.hits, list)
    assert db["facts"].count == 3

"""`dealbrief web` over HTTP: a real server on a real port, over a real SQLite file."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from web_world import (
    SECRET_TEXT,
    add_deal,
    build_world,
    get,
    running_web,
)

from briefs import queries
from briefs.cli import cli
from briefs.store import open_db, writing
from briefs.vocab import VOCAB, flow_of

PASSWORD = "correct horse"
PAGES = "/dealbrief/web_deals.json?_shape=objects&_size=max"


def run(path: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(path), *args])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("web") / "deals.db"
    return path, build_world(path)


@pytest.fixture(scope="module")
def web(world) -> str:
    with running_web(world[0]) as base:
        yield base


def rows(base: str, path: str) -> list[dict]:
    response = get(base + path)
    assert response.status_code == 200, response.text
    return response.json()["rows"]


def test_deals_are_the_live_deals_with_labels_flows_and_amounts(web, world):
    ids = world[1]
    deals = {row["id"]: row for row in rows(web, PAGES)}
    assert set(deals) == {ids[name] for name in ("d1", "d2", "d3", "d4", "d5")}
    first = deals[ids["d1"]]
    assert (first["licensor"], first["licensee"]) == ("Alpha Bio", "Beta Pharma")
    assert (first["kind"], first["sector"], first["stage"]) == ("Licence", "Oncology", "Phase 2")
    assert (first["flow"], first["year"], first["date"]) == (
        "Greater China → US",
        "2024",
        "2024-03",
    )
    assert (first["upfront_usd"], first["value_usd"]) == (100e6, 1e9)
    assert (first["upfront_stated"], first["total_stated"]) == ("USD 100M", "USD 1B")
    assert first["source"] == "Deal wire"
    assert deals[ids["d4"]]["flow"] == "Europe → US"


def test_facets_count_by_sector_kind_year_and_flow(web):
    response = get(web + "/dealbrief/web_deals.json")
    facets = {
        name: {r["value"]: r["count"] for r in facet["results"]}
        for name, facet in response.json()["facet_results"].items()
    }
    assert facets["sector"] == {"Oncology": 3, "Memory": 2}
    assert facets["kind"] == {"Licence": 2, "Out-licence": 1, "Patent licence": 2}
    assert facets["year"] == {"2025": 4, "2024": 1}
    assert facets["flow"] == {
        "Greater China → US": 2,
        "Greater China → Europe": 1,
        "Europe → US": 2,
    }


def test_a_facet_filters_the_deals(web, world):
    found = rows(web, "/dealbrief/web_deals.json?flow=Europe+→+US&_shape=objects")
    assert {row["id"] for row in found} == {world[1]["d4"], world[1]["d5"]}


def test_search_finds_deals_by_their_words_with_stemming(web, world):
    found = rows(web, "/dealbrief/web_deals.json?_search=antibodies&_shape=objects")
    assert [row["id"] for row in found] == [world[1]["d3"]]
    kinase = rows(web, "/dealbrief/web_deals.json?_search=kinase+inhibitor&_shape=objects")
    assert {row["id"] for row in kinase} == {world[1]["d1"], world[1]["d2"]}


def test_search_takes_fts_syntax_as_plain_words(web):
    response = get(web + '/dealbrief/web_deals.json?_search="unbalanced')
    assert response.status_code == 200
    assert response.json()["rows"] == []


def test_most_active_licensors_and_licensees(web):
    licensors = rows(web, "/dealbrief/most_active_licensors.json?_shape=objects")
    assert [(r["licensor"], r["deals"], r["value_usd"]) for r in licensors] == [
        ("Alpha Bio", 3, 1e9 + 50e6 + 30e6),
        ("Gamma Chips", 2, 60e6),
    ]
    licensees = rows(web, "/dealbrief/most_active_licensees.json?_shape=objects")
    assert [(r["licensee"], r["deals"], r["value_usd"]) for r in licensees] == [
        ("Beta Pharma", 2, 1e9 + 20e6),
        ("Delta Therapeutics", 2, 90e6),
        ("Gamma Chips", 1, 30e6),
    ]


def test_deals_by_flow_and_year(web):
    found = rows(web, "/dealbrief/deals_by_flow_and_year.json?_shape=objects")
    assert [(r["flow"], r["year"], r["deals"], r["value_usd"]) for r in found] == [
        ("Europe → US", "2025", 2, 60e6),
        ("Greater China → Europe", "2025", 1, 30e6),
        ("Greater China → US", "2025", 1, 50e6),
        ("Greater China → US", "2024", 1, 1e9),
    ]


def test_median_upfront_by_stage_and_sector(web):
    found = rows(web, "/dealbrief/median_upfront_by_stage_and_sector.json?_shape=objects")
    # Oncology at Phase 2: 30, 50, 100 -> the middle one; Memory without a stage: 20 and 40.
    assert [(r["stage"], r["sector"], r["deals"], r["median_upfront_usd"]) for r in found] == [
        ("Phase 2", "Oncology", 3, 50e6),
        (None, "Memory", 2, 30e6),
    ]


def test_pages_link_a_deal_to_its_fact_parties_and_source(web, world):
    page = get(web + "/dealbrief/web_deals").text
    d1 = world[1]["d1"]
    assert f'<a href="/dealbrief/facts/{d1}">{d1}</a>' in page
    assert re.search(r'<a href="/dealbrief/companies/\d+">Alpha Bio</a>', page)
    assert re.search(r'<a href="/dealbrief/web_sources\?id=\d+">Deal wire</a>', page)
    assert "$1B" in page  # a dollar value as the briefs show it
    fact = get(web + f"/dealbrief/facts/{d1}")
    assert fact.status_code == 200
    assert re.search(r'<a href="/dealbrief/web_sources\?id=\d+">', fact.text)


@pytest.mark.parametrize("page", ["facts/{d1}", "companies/1", "web_deals", "web_sources"])
def test_every_link_on_a_page_opens(web, world, page):
    """No page offers a link to a table the view refuses (the audit trail, the source links)."""
    html = get(web + "/dealbrief/" + page.format(**world[1])).text
    links = set(re.findall(r'href="(/dealbrief/[^"#]*)"', html))
    assert links
    refused = {link for link in links if get(web + link.replace("&amp;", "&")).status_code != 200}
    assert refused == set()


def test_the_database_page_lists_only_what_is_shown(web):
    page = get(web + "/dealbrief").text
    listed = set(re.findall(r'href="/dealbrief/([a-z_]+)"', page))
    assert {"web_deals", "web_sources", "facts", "companies", "most_active_licensors"} <= listed
    assert not listed & {"audit", "sources", "digest_settings", "proposals", "fact_sources"}


@pytest.mark.parametrize(
    "path",
    [
        "/dealbrief/audit",
        "/dealbrief/audit.json",
        "/dealbrief/audit/1",
        "/dealbrief/digest_settings.json",
        "/dealbrief/digest_posts.json",
        "/dealbrief/guild_admin_roles.json",
        "/dealbrief/proposals.json",
        "/dealbrief/sources.json",
        "/dealbrief/sources/1.json",
        "/dealbrief/sources_fts.json",
        "/dealbrief/sources_cjk_content.json",
        "/dealbrief.db",
        "/dealbrief.json?sql=select+*+from+audit",
        "/dealbrief/-/query.json?sql=select+1",
        "/dealbrief/facts.json?_where=1=1",
    ],
)
def test_hidden_tables_the_file_and_arbitrary_sql_are_refused(web, path):
    assert get(web + path).status_code == 403


def test_stored_article_text_is_not_served(web, world):
    db = open_db(world[0])
    [stored] = db.execute("SELECT text FROM sources").fetchone()
    db.close()
    assert SECRET_TEXT in stored
    for path in ("/dealbrief/web_sources.json", "/dealbrief/web_sources", "/dealbrief/facts"):
        response = get(web + path)
        assert response.status_code == 200
        assert SECRET_TEXT not in response.text
    sources = rows(web, "/dealbrief/web_sources.json?_shape=objects")
    assert [s["title"] for s in sources] == ["Deal wire"]
    assert "text" not in sources[0]


def test_a_write_by_another_connection_shows_on_the_next_request(tmp_path):
    path = tmp_path / "live.db"
    build_world(path)
    with running_web(path) as base:
        before = {row["id"] for row in rows(base, PAGES)}
        db = open_db(path)
        try:
            source = db.execute("SELECT id FROM sources").fetchone()[0]
            new = add_deal(
                db,
                source,
                kind="licence",
                licensor="Beta Pharma",
                licensee="Gamma Chips",
                period="2025-08",
                summary="Beta Pharma licensed a diagnostic panel to Gamma Chips.",
            )
        finally:
            db.close()
        after = {row["id"] for row in rows(base, PAGES)}
        assert after == before | {new}


def test_a_password_guards_every_page(tmp_path):
    from datasette_auth_passwords.utils import hash_password

    path = tmp_path / "guarded.db"
    build_world(path)
    hashed = hash_password(PASSWORD, iterations=1000)
    with running_web(path, "--password-hash", hashed) as base:
        anonymous = get(base + "/dealbrief/web_deals")
        assert anonymous.status_code == 302
        assert anonymous.headers["location"] == "/-/login"
        assert get(base + "/dealbrief/most_active_licensors.json").status_code in (302, 403)
        assert get(base + PAGES, headers=basic("team", "wrong")).status_code in (302, 403)
        assert len(get(base + PAGES, headers=basic("team", PASSWORD)).json()["rows"]) == 5
        with httpx.Client(base_url=base, timeout=30) as browser:
            form = browser.get("/-/login").text
            token = re.search(r'name="csrftoken" value="([^"]+)"', form)[1]
            login = {"username": "team", "password": PASSWORD, "csrftoken": token}
            assert browser.post("/-/login", data=login).status_code == 302
            assert browser.get("/dealbrief/web_deals").status_code == 200
            # Logged in, the hidden tables stay hidden.
            assert browser.get("/dealbrief/audit.json").status_code == 403


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_a_password_in_place_of_its_hash_is_refused_in_one_line(world):
    result = run(world[0], "web", "--password-hash", "hunter2")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "That is not a password hash: make one with datasette hash-password and give what it prints."
    ]


def test_a_port_in_use_is_refused_in_one_line(world, web):
    port = web.rsplit(":", 1)[1]
    result = run(world[0], "web", "--port", port)
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith(f"Cannot listen on 127.0.0.1:{port}")


def test_an_empty_database_is_refused(tmp_path):
    result = run(tmp_path / "none.db", "web")
    assert result.exit_code == 1
    assert "dealbrief init" in result.output
    assert not (tmp_path / "none.db").exists()


def test_other_commands_do_not_import_datasette():
    check = "import sys, bot.entry; print('datasette' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_init_refreshes_the_labels_of_the_web_view(tmp_path):
    path = tmp_path / "labels.db"
    build_world(path)
    db = open_db(path)
    with writing(db):
        db.execute("UPDATE web_labels SET label = 'Old name' WHERE vocabulary = 'sector'")
    assert {r[0] for r in db.execute("SELECT DISTINCT sector FROM web_deals")} == {"Old name"}
    db.close()
    assert run(path, "init").exit_code == 0
    db = open_db(path)
    sectors = {r[0] for r in db.execute("SELECT DISTINCT sector FROM web_deals")}
    db.close()
    assert "Old name" not in sectors
    assert {"Oncology", "Memory"} <= sectors


def test_the_deals_view_follows_the_read_models_rules(tmp_path):
    """Each deal's value, flow, labels and parties in the view are those of its ``Fact``."""
    path = tmp_path / "rules.db"
    build_world(path)
    assert run(path, "init").exit_code == 0  # the curated deals too
    db = open_db(path)
    try:
        viewed = {row["id"]: row for row in db.query("SELECT * FROM web_deals")}
        deals = [f for f in queries.fetch_facts(db, list(viewed)) if f.is_deal]
        countries = dict(db.execute("SELECT id, country FROM companies").fetchall())
    finally:
        db.close()
    assert {f.id for f in deals} == set(viewed)
    for fact in deals:
        row = viewed[fact.id]
        assert row["value_usd"] == fact.value_usd
        assert row["kind"] == fact.kind_label
        assert row["sector"] == VOCAB.sectors.label(fact.sector)
        assert row["licensor"] == (fact.licensor and fact.licensor.name)
        licensor, licensee = (p and countries[p.id] for p in (fact.licensor, fact.licensee))
        assert row["flow"] == flow_of(licensor, licensee)

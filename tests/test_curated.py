import shutil
import tomllib

import pytest

from briefs.changes import Actor, edit_fact, remove_fact, undo
from briefs.curated import DATA_DIR, load_curated
from briefs.errors import BadInput
from briefs.text import normalize_name

ADMIN = Actor(name="discord:admin", id="7", guild_id="1")


def data_files():
    return {path: tomllib.loads(path.read_text("utf-8")) for path in DATA_DIR.glob("*.toml")}


def curated_companies():
    return [c for doc in data_files().values() for c in doc.get("company", [])]


def curated_facts():
    return [f for doc in data_files().values() for f in doc.get("fact", [])]


def owner_of(db, name):
    rows = db.execute(
        "SELECT DISTINCT company_id FROM aliases WHERE norm = ?", [normalize_name(name)]
    ).fetchall()
    return [r[0] for r in rows]


@pytest.fixture
def copy_dir(tmp_path):
    target = tmp_path / "curated"
    shutil.copytree(DATA_DIR, target)
    return target


def test_load_counts_match_the_data_files(db):
    report = load_curated(db)
    facts = curated_facts()
    assert report.added == len(facts) == db["facts"].count
    assert 25 <= len(facts) <= 35
    assert db["companies"].count == len(curated_companies())
    assert db.execute("SELECT count(*) FROM facts WHERE origin != 'curated'").fetchone() == (0,)


def test_every_company_is_findable_by_each_of_its_names(db):
    load_curated(db)
    for company in curated_companies():
        [company_id] = db.execute(
            "SELECT id FROM companies WHERE slug = ?", [company["key"]]
        ).fetchone()
        for name in [company["name"], *(a["alias"] for a in company.get("aliases", []))]:
            assert owner_of(db, name) == [company_id], name
            assert owner_of(db, name.upper()) == [company_id], name


@pytest.mark.parametrize(
    "name",
    [
        "CSPC",
        "石药集团",
        "君实生物",
        "Shanghai Junshi Biosciences Co., Ltd.",
        "688180.SH",
        "2096.HK",
    ],
)
def test_seed_names_resolve(db, name):
    load_curated(db)
    assert len(owner_of(db, name)) == 1


def test_walkreck_and_volklec_are_one_company(db):
    load_curated(db)
    assert owner_of(db, "Walkreck") == owner_of(db, "Volklec")
    kind, outlet, note = db.execute(
        "SELECT a.kind, s.outlet, a.note FROM aliases a JOIN sources s ON s.id = a.source_id "
        "WHERE a.norm = 'walkreck'"
    ).fetchone()
    assert (kind, outlet) == ("reported", "Global Times")
    assert "Volklec" in note
    licensee = db.execute(
        "SELECT c.name FROM facts f JOIN companies c ON c.id = f.licensee_id "
        "WHERE f.licensor_id = (SELECT company_id FROM aliases WHERE norm = 'feb')"
    ).fetchall()
    assert licensee == [("Volklec",)]


def test_undisclosed_terms_are_stored_without_values(db):
    load_curated(db)
    rows = db.execute(
        "SELECT g.role, g.disclosed, g.value, g.value_usd FROM figures g JOIN facts f "
        "ON f.id = g.fact_id WHERE f.kind IN ('licence', 'patent_licence')"
    ).fetchall()
    assert rows and all(r[1:] == (0, None, None) for r in rows)
    assert {r[0] for r in rows} == {"upfront", "royalty"}


def test_stated_conversion_and_both_half_year_aggregates_are_kept(db):
    load_curated(db)
    sales = db.execute(
        "SELECT value, unit, value_usd, usd_basis FROM figures WHERE role = 'sales'"
    ).fetchone()
    assert sales == (3.5e9, "CNY", 5.4e8, "as stated by source")
    half = db.execute(
        "SELECT g.value_usd, g.approx FROM figures g JOIN facts f ON f.id = g.fact_id "
        "WHERE f.kind = 'market_stat' AND f.period = '2025-H1' AND g.role = 'total' "
        "ORDER BY g.value_usd"
    ).fetchall()
    assert half == [(6.0e10, None), (6.6e10, "nearly")]


def test_second_load_changes_nothing(db):
    load_curated(db)
    audit = db["audit"].count
    report = load_curated(db)
    assert (report.added, report.updated, report.unchanged) == (0, 0, len(curated_facts()))
    assert report.kept_admin_edits == []
    assert (report.sources_added, report.companies_added, report.aliases_added) == (0, 0, 0)
    assert db["audit"].count == audit


def _rewrite(copy_dir, old, new):
    for path in copy_dir.glob("*.toml"):
        text = path.read_text("utf-8")
        if old in text:
            path.write_text(text.replace(old, new), "utf-8")
            return
    raise AssertionError(f"{old!r} not found in the data files")


def fact_id(db, key):
    return db.execute("SELECT id FROM facts WHERE key = ?", [key]).fetchone()[0]


def test_changed_file_updates_curated_fact_but_keeps_admin_edits(db, copy_dir):
    load_curated(db, copy_dir)
    edited = fact_id(db, "junshi-listing-hkex-2018")
    edit_fact(db, edited, ADMIN, summary="Junshi floated in Hong Kong (2018).")
    removed = fact_id(db, "junshi-listing-star-2021")
    remove_fact(db, removed, ADMIN, reason="checking")
    _rewrite(copy_dir, 'note = "Listed on HKEX as 1877.HK."', 'note = "Listed in Hong Kong."')
    _rewrite(copy_dir, 'note = "Listed on the STAR Market as 688180.SH."', 'note = "In Shanghai."')
    _rewrite(copy_dir, 'stage = "Filed"', 'stage = "Phase 3"')

    report = load_curated(db, copy_dir)
    assert report.updated == 1
    assert sorted(report.kept_admin_edits) == [
        "junshi-listing-hkex-2018",
        "junshi-listing-star-2021",
    ]
    summary, note = db.execute("SELECT summary, note FROM facts WHERE id = ?", [edited]).fetchone()
    assert (summary, note) == ("Junshi floated in Hong Kong (2018).", "Listed on HKEX as 1877.HK.")
    assert db.execute("SELECT deleted_at FROM facts WHERE id = ?", [removed]).fetchone()[0]
    stage, edited_flag, revision = db.execute(
        "SELECT stage, admin_edited, revision FROM facts WHERE key = 'cspc-nbp-fda-review'"
    ).fetchone()
    assert (stage, edited_flag, revision) == ("phase_3", 0, 2)
    [update] = db.execute(
        "SELECT actor FROM audit WHERE action = 'edit' AND actor = 'curated data'"
    ).fetchall()
    assert update == ("curated data",)
    assert load_curated(db, copy_dir).updated == 0


def test_admin_undo_of_curated_change_is_kept_on_reload(db, copy_dir):
    load_curated(db, copy_dir)
    _rewrite(copy_dir, 'stage = "Filed"', 'stage = "Phase 3"')
    load_curated(db, copy_dir)
    curated_edit = db.execute(
        "SELECT id FROM audit WHERE action = 'edit' AND actor = 'curated data'"
    ).fetchone()[0]
    undo(db, ADMIN, curated_edit)
    report = load_curated(db, copy_dir)
    assert report.kept_admin_edits == ["cspc-nbp-fda-review"]
    stage = db.execute("SELECT stage FROM facts WHERE key = 'cspc-nbp-fda-review'").fetchone()
    assert stage == ("filed",)


@pytest.mark.parametrize(
    ("old", "new", "detail"),
    [
        ('kind = "sales"', 'kind = "rumour"', "bad_kind"),
        ('subject = "cspc"', 'subject = "nobody"', "is not defined"),
        ('period = "2017"', 'period = "the year of the rooster"', "bad_period"),
        (
            'key = "cspc-nbp-sales-2017"',
            'key = "cspc-nbp-sales-2017"\ncolour = "red"',
            "unknown field",
        ),
        ('[[fact]]\nkey = "cspc-nbp-sales-2017"', '[[fact]\nkey = "x"', "not valid TOML"),
    ],
)
def test_bad_data_file_is_refused_naming_file_and_key_and_changes_nothing(
    db, copy_dir, old, new, detail
):
    _rewrite(copy_dir, old, new)
    with pytest.raises(BadInput) as err:
        load_curated(db, copy_dir)
    assert err.value.code == "bad_curated"
    assert err.value.params["file"].endswith(".toml")
    assert detail in str(err.value)
    assert db["facts"].count == db["audit"].count == db["companies"].count == 0


def test_a_data_error_midway_rolls_back_the_whole_load(db, copy_dir):
    _rewrite(copy_dir, "value = 2.8e10", "value = -2.8e10")
    with pytest.raises(BadInput) as err:
        load_curated(db, copy_dir)
    assert err.value.params["key"] == "china-licensed-patent-spend-2017"
    assert err.value.params["reason"] == "bad_amount"
    assert db["facts"].count == db["audit"].count == db["sources"].count == 0


def test_undoing_an_admin_edit_hands_the_fact_back_to_the_data_files(db, copy_dir):
    load_curated(db, copy_dir)
    fact = fact_id(db, "cspc-nbp-fda-review")
    change = edit_fact(db, fact, ADMIN, stage="Approved")
    _rewrite(copy_dir, 'stage = "Filed"', 'stage = "Phase 3"')
    assert load_curated(db, copy_dir).kept_admin_edits == ["cspc-nbp-fda-review"]
    undo(db, ADMIN, change)
    row = db.execute("SELECT stage, admin_edited FROM facts WHERE id = ?", [fact]).fetchone()
    assert row == ("filed", 0)
    report = load_curated(db, copy_dir)
    assert (report.updated, report.kept_admin_edits) == (1, [])
    stage = db.execute("SELECT stage FROM facts WHERE id = ?", [fact]).fetchone()
    assert stage == ("phase_3",)

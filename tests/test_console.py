"""The text console: parsing lines, and answering them on a real database."""

import io
import re

import pytest
from cog_world import seed_deal

from bot import console
from bot.console import Line, answer, parse_line, run_console
from bot.help import COMMANDS
from briefs.changes import Actor, add_company, add_source
from briefs.errors import BadInput
from briefs.store import open_db

ADMIN = Actor("test:admin")


@pytest.fixture
def seeded(db):
    """Two companies and one licence deal, written through the real change functions."""
    return seed_deal(db, ADMIN)


# --- Parsing ----------------------------------------------------------------------------------


def test_positional_words_fill_the_first_option():
    assert parse_line("/deal shanghai junshi") == Line("deal", {"company": "shanghai junshi"})


def test_key_value_options_run_until_the_next_key():
    line = parse_line("/stats period:2025 sector:gene therapy by:quarter")
    assert line == Line("stats", {"period": "2025", "sector": "gene therapy", "by": "quarter"})


def test_quoted_values_keep_colons_and_spaces():
    line = parse_line('/fact add summary:"Ratio 3:1 agreed" kind:licence source:4')
    assert line.command == "fact add"
    assert line.options == {"summary": "Ratio 3:1 agreed", "kind": "licence", "source": 4}


def test_an_apostrophe_is_part_of_a_name():
    assert parse_line("/deal Dr. Reddy's") == Line("deal", {"company": "Dr. Reddy's"})
    line = parse_line("/company alias company:Reddy's alias:\"Dr. Reddy's Labs\"")
    assert line.options == {"company": "Reddy's", "alias": "Dr. Reddy's Labs"}


def test_group_subcommands_and_numbers():
    assert parse_line("fact history fact:#12") == Line("fact history", {"fact": 12})
    assert parse_line("/source 3") == Line("source", {"id": 3})


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("/nope", "unknown_command"),
        ("/fact", "unknown_command"),
        ('/deal "unbalanced', "unbalanced_quotes"),
        ("/source three", "bad_id"),
        (f"/fact history fact:{2**63}", "id_out_of_range"),
        (f"/fact undo {2**63}", "id_out_of_range"),
        ("/source #0", "id_out_of_range"),
        ("/sources extra", "unexpected_words"),
        ("   ", "empty"),
        ("/deal " + "x" * 10_000, "too_long"),
        ("/fact add Deal kind:licence separate:maybe", "bad_flag"),
    ],
)
def test_bad_lines_are_refused_with_a_code(line, code):
    with pytest.raises(BadInput) as caught:
        parse_line(line)
    assert caught.value.code == code


# --- Answering --------------------------------------------------------------------------------


def test_deal_answers_the_brief_as_text(db, seeded):
    text = answer(db, "/deal riverbend")
    assert "Riverbend Therapeutics" in text
    assert "Northgate" in text
    assert "**" not in text  # plain text, no Markdown


def test_an_unclear_name_gets_did_you_mean_as_a_list(db, seeded):
    add_company(db, "Riverbank Biotech", ADMIN)
    text = answer(db, "/deal river")
    assert "Riverbend Therapeutics" in text
    assert "Riverbank Biotech" in text
    assert "PD-1" not in text  # suggestions, not a brief


def test_search_source_sources_and_help(db, seeded):
    assert "PD-1" in answer(db, "/search antibody")
    assert "Riverbend licenses its antibody" in answer(db, f"/source {seeded['source']}")
    assert "Test Wire" in answer(db, "/sources")
    assert "/deal" in answer(db, "/help")


def test_unknown_command_and_bad_input_are_polite(db, seeded):
    assert "Traceback" not in answer(db, "/frobnicate now")
    unknown = answer(db, "/frobnicate now")
    bad = answer(db, "/stats period:20x5")
    assert unknown.strip() and bad.strip()
    assert "20x5" in bad


def test_admin_commands_run_as_the_shell_user(db, seeded):
    added = answer(
        db,
        '/fact add summary:"Northgate filed the antibody in Canada." kind:approval '
        f"subject:Northgate source:{seeded['source']} period:2025-06",
    )
    assert "Northgate filed the antibody in Canada." in added
    history = answer(db, "/fact history company:Northgate")
    assert "shell:" in history
    undone = answer(db, "/fact undo")
    assert "Undid" in undone
    assert "Northgate filed the antibody in Canada." not in answer(db, "/search Canada")


def test_flags_read_as_on_discord():
    for typed, flag in (("true", True), ("Yes", True), ("false", False), ("no", False)):
        assert parse_line(f"/fact add Deal separate:{typed}").options["separate"] is flag


REPEAT = "kind:licence licensor:Riverbend licensee:Northgate period:2025-06"


def test_a_repeated_deal_is_refused_unless_separate(db, seeded):
    line = f"/fact add Riverbend licensed it again {REPEAT} source:{seeded['source']}"
    refused = answer(db, line)
    assert f"/fact source fact:{seeded['deal']} source:..." in refused
    assert db["facts"].count == 1
    assert "Added fact" in answer(db, line + " separate:true") and db["facts"].count == 2


def test_fact_source_adds_a_source_and_undo_takes_it_back(db, seeded):
    second = add_source(db, key="t-2", title="Northgate gains rights", actor=ADMIN)
    added = answer(db, f"/fact source fact:{seeded['deal']} source:{second} reason:second report")
    assert f"Added a source to fact #{seeded['deal']}" in added
    assert "Reported by 2 sources" in answer(db, "/deal Riverbend")
    assert "Undid" in answer(db, "/fact undo")
    assert "Reported by 2 sources" not in answer(db, "/deal Riverbend")


def test_edit_changes_the_amount_and_keeps_the_rest(db, seeded):
    answer(db, f"/fact edit {seeded['deal']} upfront:$75m reason:corrected")
    text = answer(db, "/deal Riverbend")
    assert "$75M" in text
    assert "$50M" not in text


@pytest.mark.parametrize("typed", [typed for typed, _ in COMMANDS])
def test_every_command_in_help_is_answered_or_sent_elsewhere(db, seeded, typed):
    text = answer(db, typed.split(" [")[0].split("|")[0].replace(" ID", " 1"))
    assert "There is no command" not in text


def test_discord_only_commands_name_the_command_line_that_does_their_work(db, seeded):
    assert "dealbrief ingest FILE" in answer(db, "/ingest")
    assert "dealbrief review" in answer(db, "/review")
    assert "Discord only" in answer(db, "/admin role")


def test_a_bug_is_reported_with_an_error_id_and_the_console_goes_on(
    db_path, seeded, monkeypatch, caplog
):
    def broken(db, options):
        raise RuntimeError("the handler broke")

    monkeypatch.setitem(console._HANDLERS, "sources", broken)
    out = io.StringIO()
    assert run_console(db_path, io.StringIO("/sources\n/deal riverbend\n"), out) == 0
    error_id = re.search(r"error id ([0-9a-f]{8})", out.getvalue())[1]
    assert error_id in caplog.text and "the handler broke" in caplog.text
    assert "Riverbend Therapeutics" in out.getvalue()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_prompt_shows_when_a_person_types(db_path, seeded, capsys):
    to_terminal = Terminal()
    run_console(db_path, Terminal("/sources\n"), to_terminal)
    assert to_terminal.getvalue().startswith("> ")
    to_file = io.StringIO()
    run_console(db_path, Terminal("/sources\n"), to_file)
    assert "> " not in to_file.getvalue() and "> " in capsys.readouterr().err
    piped = io.StringIO()
    run_console(db_path, io.StringIO("/sources\n"), piped)
    assert not piped.getvalue().startswith(">")


def test_run_console_reads_until_quit(db_path, seeded):
    out = io.StringIO()
    status = run_console(db_path, io.StringIO("/deal riverbend\n\n/nope\nquit\n/help\n"), out)
    assert status == 0
    text = out.getvalue()
    assert "Riverbend Therapeutics" in text
    assert "/deal COMPANY" not in text  # nothing after quit is answered


def test_run_console_ends_at_end_of_input(db_path, seeded):
    assert run_console(db_path, io.StringIO("/sources"), io.StringIO()) == 0


def test_fresh_database_loads_curated_facts_first(tmp_path):
    path = tmp_path / "fresh.db"
    out = io.StringIO()
    run_console(path, io.StringIO("/deal junshi\n"), out)
    assert "Junshi" in out.getvalue()
    db = open_db(path)
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] > 0


def test_an_unknown_option_is_refused_by_name_and_nothing_is_stored(db, seeded):
    facts_before = db.execute("SELECT count(*) FROM facts").fetchone()[0]
    refused = answer(
        db,
        f"/fact add summary:Console test deal kind:licence source:{seeded['source']} "
        "licencor:Riverbend",
    )
    assert "no option “licencor”" in refused
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == facts_before
    search = answer(db, "/search antibody limit:1")
    assert "no option “limit”" in search


def test_a_quoted_word_that_looks_like_an_option_stays_in_the_value():
    line = parse_line('/fact add summary:Filed "note: the FDA" kind:approval')
    assert line.options == {"summary": "Filed note: the FDA", "kind": "approval"}


def test_fact_add_takes_the_parties_the_discord_command_takes(db, seeded):
    added = answer(
        db,
        "/fact add Console test deal kind:licence licensor:Northgate licensee:Riverbend "
        f'royalty:"tiered, up to 9%" source:{seeded["source"]} equity:undisclosed',
    )
    assert "Console test deal" in added and "licensor" not in added.split("\n")[0]
    row = db.execute(
        "SELECT summary, licensor_id, licensee_id, royalty FROM facts ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert row == (
        "Console test deal",
        seeded["northgate"],
        seeded["riverbend"],
        "tiered, up to 9%",
    )


def test_search_takes_filters_as_options(db, seeded):
    narrowed = answer(db, "/search antibody kind:licence")
    assert "Riverbend licensed its PD-1 antibody" in narrowed and "zorbamab" not in narrowed
    assert "Riverbend licensed" in answer(db, "/search company:Northgate since:2025-03")
    assert "No fact passes" in answer(db, "/search company:Northgate until:2025-02")
    assert "wrong way round" in answer(db, "/search antibody since:2026 until:2025")


def test_search_takes_a_flow(db, seeded):
    assert "Riverbend licensed" in answer(db, "/search flow:China → US")
    assert "Nothing matches" in answer(db, "/search antibody flow:us-china")


def test_amounts_as_stated_and_an_edit_as_old_to_new(db, seeded):
    edited = answer(db, f"/fact edit {seeded['deal']} upfront:$1.75bn total:$2.45bn reason:release")
    assert "upfront: $50M → $1.75B" in edited and "total (stated): none → $2.45B" in edited
    brief = answer(db, "/deal Riverbend")
    assert "upfront $1.75B" in brief and "total (stated) $2.45B" in brief
    assert "upfront + milestones $2.75B" in brief  # differs from the total, so both appear
    refused = answer(db, f"/fact edit {seeded['deal']} upfront:50")
    assert "needs a currency and a scale" in refused

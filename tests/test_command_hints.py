"""Hints name the command as it is typed where they are read: the CLI spells ``dealbrief source
3``, Discord and the console ``/source id:3``; search says how to reach the next results."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from cog_world import SEARCH_FACTS, seed

from bot.console import COMMANDS, answer
from bot.words import word
from briefs import render
from briefs.cli import cli
from briefs.errors import BadInput, Conflict, NotFound
from briefs.model import AuditEntry
from briefs.queries import SearchPage, list_sources, search

# (flavour, commands style) of each interface: Discord, the console, the command line.
INTERFACES = {"discord": ("discord", None), "console": ("text", "slash"), "cli": ("text", None)}
SOURCE_HINT = {
    "discord": "`/source id:ID`",
    "console": "/source id:ID",
    "cli": "dealbrief source ID",
}


def _text(pages: list[render.Page]) -> str:
    return "\n".join(
        "\n".join([p.title, p.description, *(f"{f.name}\n{f.value}" for f in p.fields), p.footer])
        for p in pages
    )


def _render(interface: str, fn, *args, **kwargs) -> str:
    flavour, commands = INTERFACES[interface]
    return _text(fn(*args, flavour=flavour, commands=commands, **kwargs))


@pytest.mark.parametrize("interface", INTERFACES)
def test_undo_and_history_hints_follow_the_interface(interface):
    entry = AuditEntry(41, "2025-01-02T03:04:05+00:00", "shell:ann", "add", "fact", 12)
    change = _render(interface, render.render_change, entry)
    history = _render(interface, render.render_history, [entry])
    if interface == "cli":
        assert "dealbrief fact undo 41" in change and "dealbrief fact undo CHANGE" in history
    else:
        assert "/fact undo change:41" in change and "/fact undo change:CHANGE" in history
        assert "dealbrief" not in change + history


@pytest.mark.parametrize("interface", INTERFACES)
def test_unknown_company_hint_follows_the_interface(interface):
    err = NotFound("no company 'zz'", code="unknown_company", query="zz")
    wanted = "dealbrief company add NAME" if interface == "cli" else "/company add name:NAME"
    assert wanted in _render(interface, render.render_error, err)
    assert wanted in _render(interface, render.render_did_you_mean, "zz", [])


@pytest.mark.parametrize("interface", INTERFACES)
def test_sources_hint_follows_the_interface(interface, db):
    seed(db)
    assert SOURCE_HINT[interface] in _render(interface, render.render_sources, list_sources(db))


@pytest.mark.parametrize(
    ("interface", "continues", "wanted"),
    [
        ("cli", False, "More results: add --offset 10 to the same command."),
        ("discord", True, "More results with the buttons below."),
        ("console", True, "More results below."),
        ("discord", False, "More matches than shown here: add words to narrow the search."),
        ("console", False, "More matches than shown here: add words to narrow the search."),
    ],
)
def test_search_footer_says_how_to_reach_more_results(interface, continues, wanted, db):
    seed(db)
    result = search(db, "zorbamab", limit=5, offset=5)
    assert result.has_more
    text = _render(
        interface, render.render_search, result, next_offset=10, continues=continues
    ).replace("`", "")
    assert wanted in text
    assert "offset" not in text or interface == "cli"


def test_search_footer_without_more_results_only_names_details():
    page = SearchPage("zz", [], has_more=False)
    assert "More" not in _render("discord", render.render_search, page)


@pytest.mark.parametrize(
    "err",
    [
        Conflict("repeat", code="looks_like_fact", id=7),
        BadInput("corrections", code="edits_for_source", id=3, fact_id=7),
    ],
)
def test_slash_hints_in_errors_name_options_the_command_has(err):
    """The console takes exactly the Discord options (tests/test_help.py), so its table says
    which option names a hint may use."""
    text = _render("console", render.render_error, err)
    hints = re.findall(r"/([a-z]+(?: [a-z]+)?) ([a-z_]+):", text)
    assert hints, text
    for command, option in hints:
        assert option in COMMANDS[command].options, (command, option)


def test_an_unknown_style_is_refused():
    with pytest.raises(ValueError):
        render.render_template("sources.j2", "text", commands="shell", sources=[])


# --- Through each interface ----------------------------------------------------------------


def test_console_hints_are_commands_the_console_runs(db):
    seed(db)
    brief = answer(db, "/deal Riverbend")
    assert "A source and the facts it backs: /source id:ID" in brief
    assert "dealbrief" not in brief
    added = answer(db, "/company add name:Eastlake Labs")
    undo = re.search(r"/fact undo change:\d+", added)
    assert undo, added
    assert "Undid change" in answer(db, undo.group(0))


def test_cli_hints_are_commands_the_cli_runs(db, db_path):
    seed(db)
    runner = CliRunner()
    brief = runner.invoke(cli, ["--db", str(db_path), "deal", "Riverbend"])
    assert "Details: dealbrief fact show ID · source: dealbrief source ID" in brief.output
    first = runner.invoke(cli, ["--db", str(db_path), "search", "zorbamab", "--limit", "5"])
    offset = re.search(r"add --offset (\d+) to the same command", first.output)
    assert offset and offset.group(1) == "5", first.output
    more = ["--db", str(db_path), "search", "zorbamab", "--limit", "5", "--offset", "5"]
    second = runner.invoke(cli, more)
    assert second.exit_code == 0 and "--offset 10" in second.output
    assert set(re.findall(r"#\d+", first.output)).isdisjoint(re.findall(r"#\d+", second.output))


async def test_discord_hints_name_slash_commands_and_the_pager(db, standin, start_bot):
    seed(db)
    await start_bot(extensions=["bot.cogs.lookup"])
    brief = await (await standin.slash("deal", {"company": "Riverbend"})).response()
    assert brief.embeds[-1]["footer"]["text"].endswith("`/source id:ID`")
    found = await (await standin.slash("search", {"query": "zorbamab"})).response()
    assert SEARCH_FACTS > 8 and found.components  # a pager: more than one screen
    footer = found.embeds[-1]["footer"]["text"]
    assert "More results with the buttons below." in footer and "offset" not in footer


# Discord's limits outside embeds: modal titles and text-input labels 45 characters, button
# labels 80, command and option descriptions, choice names and placeholders 100.
BUTTONS = {"previous", "next", "review.approve", "review.edit", "review.reject", "review.skip"}
PLACEHOLDERS = {"review.amounts_hint"}


def _word_keys() -> list[str]:
    source = (render.TEMPLATES_DIR / "bot" / "words.j2").read_text(encoding="utf-8")
    return re.findall(r'^\s*"([\w.]+)": "', source, re.MULTILINE)


@pytest.mark.parametrize("key", _word_keys())
def test_each_word_fits_where_discord_shows_it(key):
    shown = word(key)
    if key in BUTTONS:
        limit = 80
    elif key in PLACEHOLDERS or key.startswith(("cmd.", "opt.", "grp.", "by.")):
        limit = 100
    else:  # modal titles and the labels of its fields
        limit = 45
    assert 0 < len(shown) <= limit, shown


def test_the_page_position_fits_on_its_button():
    assert len(word("page_position", page=9999, pages=9999)) <= 80

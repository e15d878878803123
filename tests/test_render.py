"""Rendering: Discord's limits, escaping of stored text, the plain-text flavour, error messages."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace

import pytest

from bot import format as fmt
from briefs import render
from briefs.errors import BadInput, Conflict, DealbriefError, NotFound
from briefs.model import Alias, AuditEntry, Company, Fact, Figure, PartyRef, Source
from briefs.names import Candidate
from briefs.queries import (
    MARK_END,
    MARK_START,
    Brief,
    SearchHit,
    SearchPage,
    SourceDetail,
    SourceSummary,
    StatRow,
    Stats,
)
from briefs.render import Field, Page

SOURCE = Source(
    3,
    "cgtn-2018",
    "article",
    "Technology transfer both ways",
    outlet="CGTN",
    published="2018-10-09",
    url="https://example.org/a",
)
ACME = PartyRef(1, "Acme Bio")
BETA = PartyRef(2, "Beta Pharma")
COMPANY = Company(1, "acme-bio", "Acme Bio", "China", "biotech")
HOSTILE = (
    "**bold** @everyone @here <@123> <@&45> <#67> [x](http://evil.example) `code`\n# head\n> quote"
)


def deal(fact_id: int, summary: str = "Acme licensed a drug to Beta.", **extra) -> Fact:
    figures = (
        Figure("upfront", True, 50e6, "USD", 50e6, "original"),
        Figure("milestones", True, 1e9, "CNY", 139e6, "rate table CNY 2024"),
        Figure("total", True, 200e6, "USD", 200e6, "original"),
        Figure("royalty", False, None, "USD"),
    )
    values = dict(
        subject=ACME,
        counterparty=BETA,
        licensor=ACME,
        licensee=BETA,
        asset="AB-101",
        territory="Greater China",
        period="2024-03",
        figures=figures,
    )
    values.update(extra)
    return Fact(fact_id, "licence", summary, SOURCE, **values)


def other(fact_id: int, summary: str = "Acme's drug sold well.") -> Fact:
    sales = Figure("sales", True, 3.5e9, "CNY", 540e6, "source", approx="nearly")
    return Fact(fact_id, "sales", summary, SOURCE, subject=ACME, period="2017", figures=(sales,))


def brief(deals: list[Fact], others: list[Fact], aliases: list[Alias] | None = None) -> Brief:
    names = aliases or [Alias("Acme Bio", "name"), Alias("Akme", "reported", 3, "CGTN")]
    return Brief(COMPANY, names, deals, others)


def assert_within_limits(pages: list[Page]) -> None:
    for page in pages:
        assert len(page.title) <= fmt.TITLE_LIMIT
        assert len(page.description) <= fmt.DESCRIPTION_LIMIT
        assert len(page.footer) <= fmt.FOOTER_LIMIT
        assert len(page.fields) <= fmt.FIELDS_PER_PAGE
        assert page.total_chars() <= fmt.PAGE_TOTAL_LIMIT
        for item in page.fields:
            assert 0 < len(item.name) <= fmt.FIELD_NAME_LIMIT
            assert 0 < len(item.value) <= fmt.FIELD_VALUE_LIMIT


def page_text(pages: list[Page]) -> str:
    return "\n".join(
        "\n".join([p.title, p.description, p.footer, *(f"{f.name}\n{f.value}" for f in p.fields)])
        for p in pages
    )


# --- A brief ---------------------------------------------------------------------------------


def test_brief_shows_names_deal_terms_and_sources():
    pages = render.render_brief(brief([deal(12)], [other(13)]), flavour="text")
    text = render.to_text(pages)
    assert text.startswith("Acme Bio")
    assert "Akme (CGTN)" in text  # which source uses which spelling
    assert "Acme Bio licenses AB-101 to Beta Pharma" in text
    assert "upfront $50M" in text
    assert "milestones 1B yuan (≈ $139M)" in text  # original currency and dollars
    assert "total (stated) $200M" in text
    assert "upfront + milestones ≈ $189M" in text  # the sum of parts, apart from the stated total
    assert "royalty undisclosed" in text
    assert "reported" in text
    assert "CGTN, “Technology transfer both ways”, 2018-10-09" in text
    assert "#12" in text and "#13" in text
    assert text.index("#12") < text.index("Other facts") < text.index("#13")


def test_brief_of_a_company_without_facts_says_so():
    text = render.to_text(render.render_brief(brief([], []), flavour="text"))
    assert "Nothing is recorded about Acme Bio yet." in text


def test_a_brief_with_200_facts_splits_within_limits_and_loses_nothing():
    long = "A deal described at length, with many words in it. " * 12
    facts = [deal(i, f"Deal {i}. {long}") for i in range(1, 101)]
    others = [other(i, f"Fact {i}. {long}") for i in range(101, 201)]
    pages = render.render_brief(brief(facts, others))
    assert len(pages) > 1
    assert_within_limits(pages)
    text = page_text(pages)
    for fact_id in range(1, 201):
        assert f"\\#{fact_id}**" in text
    assert pages[0].title == f"Acme Bio (1/{len(pages)})"
    assert pages[-1].title == f"Acme Bio ({len(pages)}/{len(pages)})"
    for message in fmt.group_messages(pages):
        assert len(message) <= fmt.PAGES_PER_MESSAGE
        assert sum(p.total_chars() for p in message) <= fmt.PAGE_TOTAL_LIMIT
    assert [p for m in fmt.group_messages(pages) for p in m] == pages


def test_one_item_too_large_for_a_field_is_split_at_words_without_loss():
    words = [f"word{i}" for i in range(2000)]
    page = Page(title="Long", fields=[Field("Evidence", " ".join(words))])
    pages = fmt.split_pages(page)
    assert_within_limits(pages)
    values = [f.value for p in pages for f in p.fields]
    assert len(values) > 1
    assert " ".join(values).split() == words  # every word, in order, none cut
    assert [f.name for p in pages for f in p.fields][1] == "Evidence (cont.)"


def test_long_description_and_long_title_are_kept_whole():
    title = "T" * 300
    description = "\n".join(f"line {i} " + "x" * 90 for i in range(200))
    pages = fmt.split_pages(Page(title=title, description=description))
    assert_within_limits(pages)
    joined = "\n".join(p.description for p in pages)
    assert title in joined
    for i in range(200):
        assert f"line {i} " in joined


def test_a_word_longer_than_a_field_is_cut_but_kept_entire():
    blob = "y" * 3000
    pages = fmt.split_pages(Page(title="Blob", fields=[Field("Data", blob)]))
    assert_within_limits(pages)
    assert "".join(f.value for p in pages for f in p.fields) == blob


def test_group_messages_respects_ten_embeds_and_6000_characters():
    small = [Page(title=f"p{i}", description="d") for i in range(23)]
    assert [len(m) for m in fmt.group_messages(small)] == [10, 10, 3]
    big = [Page(title="b", description="z" * 4000) for _ in range(3)]
    assert [len(m) for m in fmt.group_messages(big)] == [1, 1, 1]


# --- Escaping --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<!\\)\*\*bold",  # bold markers not escaped
        r"@everyone",
        r"@here",
        r"<@\d",
        r"<@&\d",
        r"<#\d",
        r"(?<!\\)\[x(?<!\\)\]\(",  # a masked link
        r"http://evil",  # an auto-link
        r"(?<!\\)`code",
        r"^# head",
        r"^> quote",
    ],
)
def test_stored_text_is_inert_on_discord(pattern):
    fact = other(7, HOSTILE)
    hostile_brief = Brief(
        Company(1, "x", HOSTILE[:40], HOSTILE), [Alias(HOSTILE, "reported")], [], [fact]
    )
    for pages in (
        render.render_brief(hostile_brief),
        render.render_fact(fact),
        render.render_did_you_mean(HOSTILE, []),
        render.render_error(NotFound("x", code="unknown_company", query=HOSTILE)),
    ):
        text = page_text(pages)
        assert not re.search(pattern, text, re.MULTILINE), text


def test_escaped_text_still_reads_the_same():
    escaped = fmt.escape_discord("Co-op_name *x* #1")
    assert escaped.replace("\\", "") == "Co-op_name *x* #1"


def test_plain_text_flavour_keeps_markdown_and_strips_control_characters():
    fact = other(7, "**bold** @everyone \x07bell\u202egone")
    text = render.to_text(render.render_fact(fact, flavour="text"))
    assert "**bold** @everyone bellgone" in text
    assert "\x07" not in text and "\u202e" not in text
    assert "`" not in text  # commands are not shown as Discord code in a terminal


def test_trusted_markup_passes_and_stored_markup_does_not():
    pages = render.render_fact(deal(12))
    assert pages[0].title == "#12 Licence"
    source = next(f for f in pages[0].fields if f.name == "Source")
    assert source.value.startswith("[CGTN")  # the link the code built stays a link
    assert "(<https://example.org/a>)" in source.value


def test_links_only_for_web_addresses():
    bad = Source(4, "k", "article", "T", url="javascript:alert(1)")
    pages = render.render_source(SourceDetail(bad, [], None))
    assert "javascript:alert(1)" in pages[0].description
    assert "](" not in page_text(pages)
    assert pages[0].url is None


def test_timestamps_render_for_each_reader_on_discord_and_as_dates_in_text():
    entry = AuditEntry(5, "2025-01-02T03:04:05+00:00", "shell:ann", "edit", "fact", 12)
    discord = page_text(render.render_history([entry]))
    assert "<t:1735787045:f>" in discord
    text = render.to_text(render.render_history([entry], flavour="text"))
    assert "2025-01-02 03:04 UTC" in text and "shell:ann" in text and "#12" in text


# --- Other answers ---------------------------------------------------------------------------


def test_search_page_bolds_matches_and_cites():
    hit = SearchHit(deal(12), None, f"Acme {MARK_START}licensed{MARK_END} a drug", 1.0)
    source_hit = SearchHit(None, SOURCE, f"{MARK_START}both{MARK_END} ways", 0.5)
    pages = render.render_search(SearchPage("licensed", [hit, source_hit], has_more=True))
    text = page_text(pages)
    assert "**licensed**" in text and "**both**" in text
    assert "\\#12" in text and "Source 3" in text
    assert "narrow the search" in pages[0].footer  # no further page follows in this answer
    empty = render.to_text(render.render_search(SearchPage("zzz", [], False), flavour="text"))
    assert "Nothing matches “zzz”" in empty


def test_stats_groups_by_bucket_and_lists_reported_figures():
    stats = Stats(
        "year",
        None,
        None,
        [
            StatRow("2023", "licence", "biotech", 2, 1, 5e8),
            StatRow("2024", "licence", None, 1, 0, 0),
        ],
        [Fact(30, "market_stat", "Licensing deals totalled $40B.", SOURCE)],
    )
    pages = render.render_stats(stats, flavour="text")
    names = [f.name for f in pages[0].fields]
    assert names == ["2023", "2024", "Reported figures"]
    assert "Licence (biotech): 2 deals, 1 with disclosed terms, $500M" in pages[0].fields[0].value
    assert "#30" in pages[0].fields[2].value


def test_sources_list_and_one_source():
    text = render.to_text(render.render_sources([SourceSummary(SOURCE, 2)], flavour="text"))
    assert "3 CGTN, “Technology transfer both ways”" in text and "2 facts" in text
    detail = SourceDetail(SOURCE, [deal(12)], "The opening words…")
    pages = render.render_source(detail)
    assert pages[0].url == "https://example.org/a"
    text = page_text(pages)
    assert "The opening words…" in text and "\\#12" in text


def test_change_confirmation_names_the_audit_id_for_undo():
    entry = AuditEntry(41, "2025-01-02T03:04:05+00:00", "shell:ann", "add", "fact", 12)
    text = render.to_text(render.render_change(entry, deal(12), flavour="text"))
    assert "Added fact #12" in text
    assert "dealbrief fact undo 41" in text
    undo = AuditEntry(42, "2025-01-02T03:05:00+00:00", "shell:ann", "undo", "fact", 12, undoes=41)
    assert "Undid change #41" in render.to_text(render.render_change(undo, flavour="text"))


def test_did_you_mean_lists_candidates():
    candidates = [
        Candidate(COMPANY, "Akme", 88.0),
        Candidate(Company(2, "b", "Beta Pharma"), "Beta Pharma", 70.0),
    ]
    text = render.to_text(render.render_did_you_mean("akmee", candidates, flavour="text"))
    assert (
        text.strip()
        == "No company is called “akmee”. Did you mean Acme Bio (“Akme”) or Beta Pharma?"
    )


def test_help_and_load_report():
    text = render.to_text(
        render.render_help([("deal COMPANY", "a company's brief")], flavour="text")
    )
    assert "deal COMPANY a company's brief" in text

    class Report:
        added, updated, unchanged, kept_admin_edits = 3, 0, [1, 2], 1

    text = render.to_text(render.render_load_report(Report(), flavour="text"))
    assert "3 added · 0 updated · 2 unchanged" in text and "1 kept" in text


# --- Errors ----------------------------------------------------------------------------------

ERRORS = [
    (BadInput("x", code="empty", field="summary"), "Summary is empty"),
    (BadInput("x", code="too_long", field="query", length=10000, limit=200), "10000 characters"),
    (BadInput("x", code="control_chars", field="name"), "control characters"),
    (BadInput("x", code="bad_period", value="2025-13"), "“2025-13” is not a date or period"),
    (BadInput("x", code="bad_amount", value="lots"), "“lots” is not an amount"),
    (BadInput("x", code="unknown_currency", value="XYZ"), "no exchange rate for XYZ"),
    (BadInput("x", code="bad_granularity", value="week"), "“week” is not a way to group"),
    (BadInput("x", code="bad_kind", value="gossip"), "“gossip” is not a kind of fact"),
    (BadInput("x", code="bad_status", value="maybe"), "“maybe” is not a status"),
    (BadInput("x", code="unknown_field", field="colour"), "no field called “colour”"),
    (BadInput("x", code="party_not_in_deal", field="licensor"), "The licensor must also"),
    (BadInput("x", code="no_change", id=3), "Nothing changed"),
    (BadInput("x", code="empty_query"), "is empty"),
    (BadInput("x", code="bad_url"), "http:// or https://"),
    (NotFound("x", code="unknown_company", query="Junshy"), "No company is called “Junshy”"),
    (NotFound("x", code="unknown_fact", fact_id=99), "There is no fact #99"),
    (NotFound("x", code="fact_not_found", id=98), "There is no fact #98"),
    (NotFound("x", code="unknown_source", source_id=7), "There is no source “7”"),
    (NotFound("x", code="change_not_found", id=5), "There is no change #5"),
    (Conflict("x", code="company_exists", name="Acme", existing="Acme Bio"), "already known"),
    (Conflict("x", code="alias_taken", alias="AB", company="Beta"), "already belongs to Beta"),
    (Conflict("x", code="nothing_to_undo"), "no change left to undo"),
    (Conflict("x", code="already_undone", id=4), "Change #4 was already undone"),
    (Conflict("x", code="changed_since", id=4, later=6), "undo that one first"),
    (Conflict("x", code="already_removed", id=4), "already removed"),
    (Conflict("x", code="fact_removed", id=4), "was removed"),
    (DealbriefError("the disk is full", code="something_new"), "Sorry, that did not work"),
]


@pytest.mark.parametrize(("error", "expected"), ERRORS, ids=[e.code for e, _ in ERRORS])
def test_each_error_code_has_one_clear_line(error, expected):
    text = render.to_text(render.render_error(error, flavour="text")).strip()
    assert expected in text
    assert "\n" not in text
    assert "{" not in text and "None" not in text
    assert render.render_error(error)[0].description  # the Discord flavour renders too


def test_unknown_company_error_offers_suggestions():
    error = NotFound(
        "x", code="unknown_company", query="acm", suggestions=[Candidate(COMPANY, "Acme Bio", 80)]
    )
    assert "Did you mean Acme Bio?" in render.to_text(render.render_error(error, flavour="text"))


# --- Stored links, names on one line, cuts inside a line --------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_%28bar%29"),
        ("HTTPS://Example.org:8080/a?b=c#d", "https://example.org:8080/a?b=c#d"),
        ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
        ("https://e.org/<@123>", "https://e.org/%3C@123%3E"),
        ("https://e.org/100%", "https://e.org/100%25"),
        ("javascript:alert(1)", None),
        ("https://x.example/\x1b[2J", None),
        ("https://x.example/a b", None),
        ("http://user:pw@evil.example/", None),
        ("http://[::1]/x", None),
        ("https://e.org:99999/", None),
        ("https:/x", None),
        ("https://" + "a" * 3000 + ".example", None),
    ],
)
def test_safe_url_keeps_web_addresses_discord_accepts(url, expected):
    assert render.safe_url(url) == expected


def test_a_stored_link_never_breaks_markdown_the_embed_or_the_terminal():
    odd = Source(4, "k", "article", "T", url="https://e.org/wiki/A_(b)")
    pages = render.render_source(SourceDetail(odd, [], None))
    assert pages[0].url == "https://e.org/wiki/A_%28b%29"
    assert "(<https://e.org/wiki/A_%28b%29>)" in pages[0].description
    ansi = Source(5, "k", "article", "T", url="https://x.example/\x1b[2J")
    assert render.render_source(SourceDetail(ansi, [], None))[0].url is None
    shown = render.to_text(render.render_fact(replace(other(7), source=ansi), flavour="text"))
    assert "\x1b" not in shown


def test_a_section_name_with_a_line_break_stays_one_field_name():
    stats = Stats("year", None, None, [StatRow("2023\n# x", "licence", "bio\ntech", 2, 1, 0)], [])
    pages = render.render_stats(stats)
    assert pages[0].fields[0].name == "2023 \\# x"


def test_commands_shown_as_code_never_mention():
    error = BadInput("x", code="bad_setting", field="<@&45> @everyone", value="1")
    text = page_text(render.render_error(error))
    assert "@everyone" not in text and "<@&" not in text


def test_a_line_cut_between_words_never_starts_a_heading_quote_or_list():
    line = " ".join(["word"] * 200 + ["#", "head", ">", "quote", "1.", "item", "-#", "sub"] * 40)
    for limit in (50, 101, 1024):
        for chunk in fmt.split_text(line, limit):
            assert len(chunk) <= limit
            assert not re.match(r"\s*(#|>|-#|\d+\.)", chunk), chunk


def test_a_stored_angle_bracket_cannot_join_the_text_after_it_into_a_mention():
    assert fmt.escape_discord("a <") == "a <\u200b"


def test_over_a_hundred_pages_keep_titles_and_pages_within_limits():
    title = "T" * 300
    description = "\n".join("x" * 4000 for _ in range(150))
    pages = fmt.split_pages(Page(title=title, description=description, footer="f" * 2000))
    assert len(pages) > 100
    assert_within_limits(pages)


def test_an_error_repeats_user_input_on_one_short_line():
    from briefs.errors import BadInput
    from briefs.render import ECHO_LIMIT, render_error, to_text

    err = BadInput("bad kind", code="bad_kind", value="first\nsecond\t" + "x" * 10_000)
    for flavour in ("text", "discord"):
        shown = to_text(render_error(err, flavour=flavour)).strip()
        assert "\n" not in shown
        assert "first second" in shown
        assert len(shown) < ECHO_LIMIT + 200


def test_each_flavour_is_registered_once_by_name():
    assert render.get_flavour("text") is render.TEXT
    assert render.get_flavour("discord") is fmt.DISCORD
    with pytest.raises(ValueError, match="already registered"):
        render.register_flavour(render.Flavour("discord", escape=str))
    with pytest.raises(ValueError, match="unknown flavour"):
        render.render_template("help.j2", "html", entries=[])


def test_briefs_imports_neither_the_bot_nor_discord():
    """Every module of briefs/ imported in a fresh interpreter: Discord stays in bot/."""
    code = (
        "import importlib, pkgutil, sys, briefs\n"
        "for m in pkgutil.walk_packages(briefs.__path__, 'briefs.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'bot', 'discord'}))\n"
        "from briefs import render\n"
        "try:\n"
        "    render.render_template('help.j2', 'discord', entries=[])\n"
        "except ValueError as err:\n"
        "    print(err)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["[]", "unknown flavour 'discord'"]

"""Properties of every answer the project renders, over arbitrary stored text.

Whatever a person or an article stored (names, summaries, evidence, titles, links, search
snippets, words echoed in errors), the Discord flavour never pings, never links or formats
from stored text, and every page fits Discord's limits; the text flavour never lets a control
character (an ANSI escape) reach the terminal.
"""

from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import format as fmt
from briefs import render
from briefs.digest.content import Digest, SectorDeals, render_digest
from briefs.digest.ledger import PostRecord
from briefs.digest.query import ChartPoint, Totals
from briefs.digest.settings import DigestSettings
from briefs.errors import BadInput, NotFound
from briefs.ingest.commands import FileLine
from briefs.ingest.grounding import DroppedDeal
from briefs.ingest.proposal import Note, Party, Proposal, ProposedFigure
from briefs.ingest.review import QueuedProposal
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
from briefs.render import Page

FRAGMENTS = [
    "@everyone",
    "@here",
    "<@123>",
    "<@!123>",
    "<@&45>",
    "<#67>",
    "</deal:89>",
    "<t:1700000000:R>",
    "<",
    "@",
    "#",
    "&",
    "[x](http://evil.example)",
    "[",
    "](",
    ")",
    "http://evil.example",
    "javascript:alert(1)",
    "\n",
    "\n# ",
    "## ",
    "-# ",
    "> ",
    ">>> ",
    "- ",
    "* ",
    "1. ",
    "```",
    "`",
    "||",
    "__",
    "~~",
    "**",
    "\\",
    "\x1b[2J",
    "\x9b31m",
    "\x07",
    "\x1e",
    "\x1f",
    "\u200b",
    "\u202e",
    MARK_START,
    MARK_END,
    " ",
    "word ",
    "数据",
]
stored = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), min_size=1, max_size=12
).map("".join)
long_stored = st.one_of(stored, stored.map(lambda s: (s + " ") * 60))
urls = st.one_of(
    st.none(),
    stored,
    st.sampled_from(["https://example.org/a(b)", "https://x.example/\x1b[2J", "javascript:x"]),
    stored.map(lambda s: "https://example.org/" + s),
)


@st.composite
def worlds(draw) -> SimpleNamespace:
    """Every kind of stored text the answers show, each drawn separately."""
    return make_world(lambda strategy=stored: draw(strategy))


def make_world(draw) -> SimpleNamespace:
    """A world from ``draw(strategy)``: stored text by default, else the strategy's value."""
    text = draw
    source = Source(
        3, text(), "article", text(), text(), text(), text(), draw(urls), draw(long_stored)
    )
    parties = [PartyRef(i, text()) for i in range(1, 5)]
    figures = (
        Figure("upfront", True, 5e7, "USD", 5e7, "original", approx=text()),
        Figure("milestones", True, 1e9, "CNY", 1.4e8, "rate table"),
        Figure(text(), False, None, "USD"),
    )

    def fact(fact_id: int) -> Fact:
        return Fact(
            fact_id,
            draw(st.sampled_from(["licence", "sales", text()])),
            draw(long_stored),
            source,
            key=text(),
            subject=parties[0],
            counterparty=parties[1],
            licensor=draw(st.sampled_from([None, parties[0]])),
            licensee=draw(st.sampled_from([None, parties[1]])),
            asset=text(),
            sector=text(),
            territory=text(),
            stage=text(),
            royalty=text(),
            period=text(),
            status=text(),
            evidence=draw(long_stored),
            note=text(),
            origin=text(),
            updated_at=text(),
            figures=figures,
        )

    facts = [fact(i) for i in range(1, 4)]
    company = Company(1, text(), text(), text(), text(), draw(long_stored))
    proposal = Proposal(
        kind=draw(st.sampled_from(["licence", "approval", "sales", text()])),
        evidence=draw(long_stored),
        confidence=0.5,
        why=text(),
        licensor=Party(text()),
        licensee=draw(st.sampled_from([None, Party(text())])),
        subject=Party(text()),
        parties=(Party(text()), Party(text())),
        asset=text(),
        territory=text(),
        period=text(),
        figures=(ProposedFigure(text(), 5e6, "USD", 5e6, approx=text()),),
        stage=text(),
        royalty=text(),
        origin="rules+model",
        notes=(
            Note("disagree", "asset", text(), text()),
            Note("amount_mismatch", "total", text(), text()),
        ),
    )
    dropped = DroppedDeal(text(), text(), "licence", [Note("party_not_found", "licensor", text())])
    return SimpleNamespace(
        text=text,
        source=source,
        facts=facts,
        company=company,
        aliases=[Alias(text(), text(), 3, text()), Alias(company.name, "name")],
        queued=QueuedProposal(7, 3, text(), "proposed", proposal, "2025-01-01", 4),
        dropped=dropped,
    )


def answers(w: SimpleNamespace, flavour: str) -> list[list[Page]]:
    """Every render_* answer and template, over the world's stored text."""
    text = w.text
    fact = w.facts[0]
    entry = AuditEntry(5, "2025-01-02T03:04:05", text(), text(), text(), 12, reason=text())
    snippet = f"{text()}{MARK_START}{text()}{MARK_END}{text()}"
    stats = Stats(text(), text(), text(), [StatRow(text(), "licence", text(), 2, 1, 5e8)], [fact])
    digest = Digest(
        start=datetime(2025, 1, 1),
        end=datetime(2025, 1, 8),
        first_audit_id=1,
        last_audit_id=9,
        sectors=[SectorDeals(text(), w.facts, 1e8)],
        others=w.facts,
        edited=w.facts,
        removed=w.facts,
        biggest=w.facts,
        totals=Totals(3, 1, 1e8, 2, 1),
        previous=Totals(),
        chart=[ChartPoint(datetime(2025, 1, 1), 2, 5e7)],
        sources=[w.source],
        hidden_deals=2,
    )
    settings_ = DigestSettings(1, None, mention_role_id=5, last_error=text(), last_error_at=text())
    record = PostRecord(1, 1, text(), "failed", "n", (), 1, 2, None, None, text(), text(), text())
    hostile = {
        k: text() for k in ("value", "query", "name", "field", "alias", "company", "existing")
    }
    hostile |= {k: text() for k in ("file", "key", "detail", "status", "suggestions")}
    hostile["suggestions"] = [text()]
    # One drawn message for every code: a draw per code would outgrow what Hypothesis may draw
    # for one example, and it would discard most examples instead of testing them.
    message = text()
    errors = [
        BadInput(message, code=code, limit=10, length=20, offset=5, later=6, **hostile)
        for code in ERROR_CODES
    ]
    errors.append(
        NotFound(
            text(),
            code="unknown_company",
            query=text(),
            suggestions=[Candidate(w.company, text(), 80)],
        )
    )
    report = SimpleNamespace(
        lines=[
            FileLine(text(), 1, 3, error=text()),
            FileLine(text(), 0, 3, duplicate=True),
            FileLine(text(), 2, 3, dropped=[w.dropped], fallback="timeout"),
        ],
        read=3,
        duplicates=1,
        failed=1,
        proposals=2,
        stored=1,
    )
    kw = {"flavour": flavour}
    tpl = lambda name, **ctx: render.render_template(name, flavour, **ctx)  # noqa: E731
    return [
        render.render_brief(Brief(w.company, w.aliases, w.facts[:2], w.facts[2:]), **kw),
        render.render_search(
            SearchPage(
                text(),
                [SearchHit(fact, None, snippet, 1), SearchHit(None, w.source, snippet, 1)],
                True,
            ),
            **kw,
        ),
        render.render_stats(stats, **kw),
        render.render_sources([SourceSummary(w.source, 2)], **kw),
        render.render_source(SourceDetail(w.source, w.facts, text()), **kw),
        render.render_fact(fact, **kw),
        render.render_history([entry], **kw),
        render.render_change(entry, fact, **kw),
        render.render_did_you_mean(text(), [Candidate(w.company, text(), 80)], **kw),
        *(render.render_error(err, **kw) for err in errors),
        render_digest(digest, flavour=flavour, last_error=text()),
        tpl("proposal.j2", queued=w.queued),
        tpl("review_list.j2", items=[w.queued], total=1),
        tpl("ingest_report.j2", report=report, fallback_lines=True),
        tpl("bot/admin_role.j2", role=text()),
        tpl("bot/permission_refused.j2", missing=[text()]),
        tpl("digest_admin.j2", what="mention", settings=settings_, role=text(), record=None),
        tpl("digest_admin.j2", what="failed", settings=settings_, record=record, error=text()),
        tpl("digest_admin.j2", what="history", settings=settings_, records=[record], record=None),
    ]


ERROR_CODES = sorted(
    set(
        re.findall(
            r'"(\w+)"',
            " ".join(
                re.findall(
                    r"error_code (?:==|in) ([^%]+)",
                    (render.TEMPLATES_DIR / "errors.j2").read_text(encoding="utf-8"),
                )
            ),
        )
    )
)

# Outside Markdown escapes (``\x``), what must never appear on Discord from stored text.
PINGS = re.compile(r"@everyone|@here|<@!?&?\d|<#\d|</\w|<t:|<a?:\w+:\d")
MARKUP = re.compile(r"```|\|\||__|~~|^\s*(#{1,3}\s|-#\s|>|[-*+]\s|\d+\.\s)", re.MULTILINE)
LINK = re.compile(r"\]\(<?([^)>]*)>?\)")


def unescaped(text: str) -> str:
    """``text`` with each backslash-escaped character blanked, as Discord's parser sees it."""
    return re.sub(r"\\(.)", "\x00", text, flags=re.DOTALL)


def parts(page: Page) -> list[str]:
    return [
        page.title,
        page.description,
        page.footer,
        *(x for f in page.fields for x in (f.name, f.value)),
    ]


def assert_within_limits(page: Page) -> None:
    assert len(page.title) <= fmt.TITLE_LIMIT
    assert len(page.description) <= fmt.DESCRIPTION_LIMIT
    assert len(page.footer) <= fmt.FOOTER_LIMIT
    assert len(page.fields) <= fmt.FIELDS_PER_PAGE
    assert page.total_chars() <= fmt.PAGE_TOTAL_LIMIT
    for item in page.fields:
        assert 0 < len(item.name) <= fmt.FIELD_NAME_LIMIT
        assert 0 < len(item.value) <= fmt.FIELD_VALUE_LIMIT


def assert_inert(page: Page, url: str | None) -> None:
    """No ping, no Markdown from stored text, and links only to the source's checked address."""
    for part in parts(page):
        view = unescaped(part)
        assert not PINGS.search(LINK.sub("](\x00)", view)), part
        # Read left to right as Discord does: an escaped character, or code shown as typed.
        view = re.sub(r"\\(.)|`[^`\n]*`", "\x00", part, flags=re.DOTALL)
        for target in LINK.findall(view):
            assert target == render.safe_url(url), part
        view = LINK.sub("](\x00)", view)
        # The digest numbers its biggest deals: "1. $200M · **#4** ..." (or "1. ≈ $190M",
        # "1. 3.5B yuan") is the template's own list.
        view = re.sub(r"^[1-5]\. (?=[^\n]* · \*\*\x00\d+\*\*)", "", view, flags=re.MULTILINE)
        assert not MARKUP.search(view), (MARKUP.search(view), part)


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


@SETTINGS
@given(worlds())
def test_discord_answers_never_ping_link_or_format_and_fit(world):
    for pages in answers(world, "discord"):
        for page in pages:
            assert_within_limits(page)
            assert_inert(page, world.source.url)
            if page.url is not None:
                assert render.safe_url(page.url) == page.url


@SETTINGS
@given(worlds())
def test_text_answers_carry_no_control_characters(world):
    for pages in answers(world, "text"):
        shown = render.to_text(pages)
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", shown), repr(shown)


@settings(SETTINGS, max_examples=10)
@given(stored)
def test_a_huge_hostile_brief_keeps_every_fact(summary):
    source = Source(3, "k", "article", summary, url="https://example.org/a")
    facts = [
        Fact(i, "sales", f"{summary} {i} " + (summary + " ") * 30, source, evidence=summary)
        for i in range(1, 151)
    ]
    pages = render.render_brief(Brief(Company(1, "c", summary), [], facts, []))
    for page in pages:
        assert_within_limits(page)
        assert_inert(page, source.url)
    shown = "\n".join(x for page in pages for x in parts(page))
    for i in range(1, 151):
        assert f"**\\#{i}**" in shown

"""Turn read models into pages people read, in one of the registered flavours.

Every word comes from a template in ``templates/``. A template writes its text in sections
(``{{ section("field", "Deals") }}``) that become the parts of a :class:`Page`.

Each flavour is registered once (:func:`register_flavour`) with how it makes stored text inert,
how it writes the markup the code adds (bold, links, timestamps) and whether pages are cut to a
size. Every ``{{ }}`` output passes the flavour's escape; helpers such as ``bold`` return
:class:`Trusted` markup. ``text`` is defined here: no markup, control characters stripped, pages
not split. ``bot.format`` registers ``discord`` (Markdown and mentions escaped, pages split to
Discord's limits) when the bot imports it.

Hints that name a command (``Details: /source id:3``) follow the ``commands`` style: Discord
pages default to slash commands, text to the command line; the console renders text with
slash commands, since those are what it takes.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup

from .errors import DealbriefError
from .model import (
    DEAL_KINDS,
    FACT_KINDS,
    FIGURE_ROLES,
    MILESTONE_ROLES,
    STATUSES,
    Fact,
    Figure,
    is_money,
)
from .money import AGGREGATE_DIGITS, exact, format_amount, format_converted, format_usd
from .queries import MARK_END, MARK_START
from .vocab import VOCAB

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

BRAND_COLOUR = 0x2E7D6B

# How a hint spells a command: "cli" as typed in a shell (``dealbrief source 3``), "slash" as
# typed on Discord or in the console that mirrors it (``/source id:3``).
COMMAND_STYLES = ("cli", "slash")
EMPTY = "\u200b"  # a blank field name or value: a zero-width space, never empty


@dataclass
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass
class Page:
    """One screen of an answer: an embed on Discord, a block of text in a terminal."""

    title: str
    description: str = ""
    fields: list[Field] = field(default_factory=list)
    footer: str = ""
    colour: int = BRAND_COLOUR
    image: str | None = None
    url: str | None = None

    def total_chars(self) -> int:
        """Every character the page shows: what a size limit per page or message counts."""
        return (
            len(self.title)
            + len(self.description)
            + len(self.footer)
            + sum(len(f.name) + len(f.value) for f in self.fields)
        )


class Trusted(Markup):
    """Markup the code built itself (bold, a timestamp, a link): printed without escaping.

    It is Jinja's ``Markup`` so that macro output, already escaped piece by piece, also passes
    through unescaped; Jinja's own HTML escaping never applies because ``finalize`` always
    returns Trusted text.
    """


# --- Escaping ---------------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def strip_controls(text: str) -> str:
    """Drop control, zero-width and direction characters; keep newlines and tabs."""
    return CONTROL.sub("", text)


URL_LIMIT = 2048
# What a link may keep as it is; anything else (parentheses, brackets, spaces, quotes, non-ASCII)
# is percent-encoded so that it can neither end a Markdown link early nor be refused by Discord.
_URL_SAFE = ":/?#@!$&*+,;=%~-._"


def safe_url(url: str | None) -> str | None:
    """``url`` as a link Discord accepts and Markdown cannot break, or None for anything else.

    Only http(s) addresses with a host qualify; a control character or space means the stored
    address is not one, and an embed given an invalid ``url`` makes Discord refuse the whole
    message.
    """
    if not url or CONTROL.search(url) or re.search(r"\s", url):
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").encode("idna").decode("ascii")
        port = f":{parts.port}" if parts.port is not None else ""
    except (ValueError, UnicodeError):
        return None
    scheme = parts.scheme.lower()
    start = len(scheme) + len("://")
    if scheme not in ("http", "https") or url[len(scheme) : start] != "://":
        return None
    if not re.fullmatch(r"[a-z0-9.-]+", host) or "@" in parts.netloc:  # no user:password@
        return None
    rest = quote(url[start + len(parts.netloc) :], safe=_URL_SAFE)
    rest = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", rest)
    shown = f"{scheme}://{host}{port}{rest}"
    return shown if len(shown) <= URL_LIMIT else None


# --- Flavours ---------------------------------------------------------------------------------


def _as_is(text: str) -> str:
    return text


def _text_link(label: str, url: str) -> str:
    return f"{label} <{url}>"


@dataclass(frozen=True)
class Flavour:
    """One way of showing pages, registered once by name.

    ``escape`` makes stored text inert; ``bold``, ``italic`` and ``code`` wrap one line the
    code already escaped (``code`` gets it with backticks replaced); ``link`` gets an escaped
    label and a :func:`safe_url`; ``timestamp`` writes an aware moment in a style ("d", "f")
    or, when None, the moment is written as a UTC date; ``split`` cuts a page to the
    flavour's limits (None: pages stay whole); ``commands`` is how hints spell commands.
    """

    name: str
    escape: Callable[[str], str]
    bold: Callable[[str], str] = _as_is
    italic: Callable[[str], str] = _as_is
    code: Callable[[str], str] = _as_is
    link: Callable[[str, str], str] = _text_link
    timestamp: Callable[[datetime, str], str] | None = None
    split: Callable[[Page], list[Page]] | None = None
    commands: str = "cli"


_FLAVOURS: dict[str, Flavour] = {}


def register_flavour(flavour: Flavour) -> Flavour:
    """Make a flavour available to every renderer; each name is registered once."""
    if flavour.name in _FLAVOURS:
        raise ValueError(f"flavour {flavour.name!r} is already registered")
    if flavour.commands not in COMMAND_STYLES:
        raise ValueError(f"unknown command style {flavour.commands!r}")
    _FLAVOURS[flavour.name] = flavour
    return flavour


def get_flavour(name: str) -> Flavour:
    """A registered flavour; "discord" exists once ``bot.format`` is imported."""
    try:
        return _FLAVOURS[name]
    except KeyError:
        raise ValueError(f"unknown flavour {name!r}") from None


TEXT = register_flavour(Flavour("text", escape=strip_controls))


def _finalize(flavour: Flavour) -> Callable[[Any], Trusted]:
    escape = flavour.escape

    def finalize(value: Any) -> Trusted:
        if value is None:
            return Trusted("")
        if hasattr(value, "__html__"):
            return Trusted(value)
        return Trusted(escape(str(value)))

    return finalize


# --- Template helpers -------------------------------------------------------------------------

_SECTION = "\x1e"  # record separator: stripped from any stored text, so only templates emit it
_PART = "\x1f"
SECTION_KINDS = ("title", "description", "field", "footer")


def _helpers(flavour: Flavour) -> dict[str, Callable[..., Any]]:
    """Functions templates call; each returns Trusted output already escaped for the flavour."""
    escape = flavour.escape

    def section(kind: str, name: Any = "", inline: bool = False) -> Trusted:
        if kind not in SECTION_KINDS:
            raise ValueError(f"unknown section kind {kind!r}")
        # A name is one line (a field name cannot hold more), and the header ends at a newline.
        shown = " ".join(escape(str(name)).split())
        return Trusted(f"{_SECTION}{kind}{_PART}{shown}{_PART}{int(inline)}\n")

    def inline(value: Any) -> str:
        """One line of escaped text: emphasis around a line break would not close."""
        return " ".join(escape(str(value)).split())

    def bold(value: Any) -> Trusted:
        text = inline(value)
        return Trusted(flavour.bold(text))

    def italic(value: Any) -> Trusted:
        text = inline(value)
        return Trusted(flavour.italic(text))

    def code(value: Any) -> Trusted:
        """Something to type, such as a command: on one line, as code where the flavour has it."""
        text = " ".join(strip_controls(str(value)).replace("`", "'").split())
        return Trusted(flavour.code(text))

    def link(label: Any, url: str | None) -> Trusted:
        """A link only for http(s) addresses; anything else is shown as plain text."""
        text = escape(str(label))
        safe = safe_url(url)
        if not safe:
            return Trusted(text)
        return Trusted(flavour.link(text, safe))

    def when(value: str | None, style: str = "d") -> Trusted:
        """A stored ISO timestamp, as the flavour writes moments (else a UTC date)."""
        if not value:
            return Trusted("")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return Trusted(escape(value))
        if flavour.timestamp is not None and moment.tzinfo is not None:
            return Trusted(flavour.timestamp(moment, style))
        shown = moment.strftime("%Y-%m-%d %H:%M UTC" if style != "d" else "%Y-%m-%d")
        return Trusted(shown)

    def highlight(snippet: str | None) -> Trusted:
        """A search snippet with the matched words (between FTS marks) in bold."""
        pieces = re.split(f"{MARK_START}(.*?){MARK_END}", snippet or "")
        return Trusted(
            "".join(str(bold(p)) if i % 2 else escape(p) for i, p in enumerate(pieces) if p)
        )

    return {
        "section": section,
        "highlight": highlight,
        "bold": bold,
        "italic": italic,
        "code": code,
        "link": link,
        "when": when,
    }


def _count(value: Any) -> int:
    """A number, or how many items a collection holds (reports give either)."""
    return value if isinstance(value, int) else len(value)


def format_money(value: float | None, unit: str, digits: int | None = None) -> str:
    """An amount in its own unit, as stated: $1.75B, €45M, 3.5B yuan, 35%, 1,200, 2.5x."""
    if value is None:
        return ""
    if unit == "percent":
        return f"{value:g}%"
    if unit == "multiple":
        return f"{value:g}x"
    if unit == "count":
        return f"{value:,.0f}"
    return format_amount(value, unit, digits)


def format_figure(figure: Figure) -> str:
    """A figure as a reader wants it: the amount as stated, then US dollars when it is in
    another currency (marked ≈ and rounded to the stated digits when computed at a rate).

    Proposals awaiting review show their figures too; theirs carry no stated precision.
    """
    if not figure.disclosed or figure.value is None:
        return "undisclosed"
    precision = getattr(figure, "precision", None)
    text = format_money(figure.value, figure.unit, precision)
    if is_money(figure.unit) and figure.unit != "USD" and figure.value_usd:
        if (figure.usd_basis or "").startswith("rate table"):
            text += f" (≈ {format_converted(figure.value_usd, precision)})"
        else:
            text += f" ({format_amount(figure.value_usd, 'USD')})"
    if figure.approx:
        text = f"{figure.approx} {text}"
    return text


def parts_figure(fact: Fact) -> Figure | None:
    """Upfront plus milestones as one figure, or None when there is nothing to add up.

    Parts in one currency are added exactly as stated and shown to the finest part's last
    digit (``$1.75B + $0.7B`` is ``$2.45B``); parts in different currencies are added in
    dollars and shown as an approximation.
    """
    parts = _part_figures(fact)
    if len(parts) < 2:
        return None
    usd = [f.value_usd for f in parts if f.value_usd]
    value_usd = sum(usd) if len(usd) == len(parts) else None
    basis = "rate table" if any(f.converted for f in parts) else "sum of stated values"
    if len({f.unit for f in parts}) > 1:
        if value_usd is None:
            return None
        return Figure("parts", True, value_usd, "USD", precision=AGGREGATE_DIGITS, approx="≈")
    total = sum(exact(f.value) for f in parts)
    finest = min(_last_digit_place(f) for f in parts)
    return Figure(
        "parts",
        True,
        float(total),
        parts[0].unit,
        value_usd=value_usd,
        usd_basis=basis,
        precision=max(1, total.adjusted() - finest + 1),
    )


def _part_figures(fact: Fact) -> list[Figure]:
    """The disclosed upfront and milestones as stated; milestones given by kind stand in for a
    milestones total the source did not state (``vocab.milestones_usd`` reads them alike)."""
    given = [f for f in fact.figures if f.disclosed and f.value]
    milestones = [f for f in given if f.role == "milestones"] or [
        f for f in given if f.role in MILESTONE_ROLES
    ]
    return [f for f in given if f.role == "upfront"] + milestones


def _last_digit_place(figure: Figure) -> int:
    """The power of ten of a stated amount's last significant digit (``1.75B``: 7)."""
    value = exact(figure.value or 0)
    stated = value.adjusted() - (figure.precision or 1) + 1
    return min(stated, value.normalize().as_tuple().exponent)


def shown_parts(fact: Fact) -> Figure | None:
    """The sum of upfront and milestones when it tells the reader something: always without a
    stated total, and beside one only when they differ (equal, it would repeat the total)."""
    parts = parts_figure(fact)
    total = fact.figure("total")
    if parts is None or total is None or not total.disclosed or total.value is None:
        return parts
    if total.unit == parts.unit and exact(total.value) == exact(parts.value or 0):
        return None
    return parts


def headline(fact: Fact) -> tuple[Figure, str] | None:
    """A deal's size as stated, with what it is when not the stated total: the same choice as
    ``Fact.value_usd`` (the total, else upfront plus milestones, else the one disclosed)."""
    total = fact.figure("total")
    if total is not None and total.value_usd:
        return total, ""
    parts = parts_figure(fact)
    if parts is not None:
        return parts, "upfront + milestones"
    one = next((f for f in _part_figures(fact) if f.value_usd), None)
    return (one, one.role) if one else None


_FILTERS: dict[str, Callable[..., Any]] = {
    "usd": format_usd,
    "money": format_money,
    "figure": format_figure,
    "parts": shown_parts,
    "headline": headline,
    "count": _count,
    "kind_label": lambda kind: FACT_KINDS.get(kind, kind),
    "or_list": lambda items: " or ".join(filter(None, [", ".join(items[:-1]), items[-1]])),
    "sector_label": VOCAB.sectors.label,
    "stage_label": VOCAB.stages.label,
    "unmark": lambda snippet: (snippet or "").replace(MARK_START, "").replace(MARK_END, ""),
}


class TemplateCache(FileSystemBytecodeCache):
    """Compiled templates kept between runs: each command is a new process, and compiling
    its templates again would cost more than the rest of a lookup. Keyed by each template's
    source, so an edited template is compiled afresh; one that cannot be saved is only slower.
    """

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache() -> TemplateCache | None:
    """In Jinja's private per-user folder under the temporary directory, if there is one."""
    try:
        return TemplateCache(pattern="dealbrief-%s.cache")
    except (OSError, RuntimeError):
        return None


@cache
def environment(name: str) -> Environment:
    """The Jinja2 environment for one registered flavour; shared and built once."""
    flavour = get_flavour(name)
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        bytecode_cache=template_cache(),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=True,  # with ``finalize`` below: Markdown escaping, never HTML escaping
        finalize=_finalize(flavour),
    )
    env.globals.update(_helpers(flavour))
    env.globals["flavour"] = name
    env.globals.update(
        fact_kinds=tuple(FACT_KINDS),
        deal_kinds=DEAL_KINDS,
        statuses=STATUSES,
        figure_roles=FIGURE_ROLES,
        milestone_roles=VOCAB.milestone_roles,
    )
    env.globals["commands"] = flavour.commands
    env.filters.update(_FILTERS)
    return env


# --- From template text to pages --------------------------------------------------------------


def _tidy(text: str) -> str:
    """Trim each line's trailing spaces and collapse runs of blank lines left by template logic."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def parse_sections(text: str) -> Page:
    """Build a Page from template output written in sections."""
    page = Page(title="")
    for chunk in text.split(_SECTION)[1:]:
        header, _, body = chunk.partition("\n")
        kind, name, inline = header.split(_PART)
        body = _tidy(body)
        if kind == "title":
            page.title = body
        elif kind == "description":
            page.description = body
        elif kind == "footer":
            page.footer = body
        elif body or name:
            page.fields.append(Field(name or EMPTY, body or EMPTY, inline == "1"))
    return page


def render_template(
    name: str, flavour: str = "discord", *, commands: str | None = None, **context: Any
) -> list[Page]:
    """Render one template into pages, split to the flavour's limits if it has any.

    ``commands`` ("cli" or "slash") overrides how command hints are spelled for this flavour.
    """
    if commands is not None:
        if commands not in COMMAND_STYLES:
            raise ValueError(f"unknown command style {commands!r}")
        context["commands"] = commands
    text = environment(flavour).get_template(name).render(**context)
    page = parse_sections(text)
    split = get_flavour(flavour).split
    return split(page) if split is not None else [page]


# --- Plain text -------------------------------------------------------------------------------


def to_text(pages: Iterable[Page]) -> str:
    """Pages as plain text for a terminal: title, description, then each field under its name."""
    blocks = []
    for page in pages:
        lines = [page.title] if page.title and page.title != EMPTY else []
        if page.description:
            lines += ["", page.description]
        for item in page.fields:
            lines.append("")
            if item.name != EMPTY:
                lines.append(item.name)
            if item.value != EMPTY:
                lines.append(item.value)
        if page.footer:
            lines += ["", page.footer]
        blocks.append("\n".join(lines).strip())
    return "\n\n".join(b for b in blocks if b) + "\n"


# --- What each answer looks like --------------------------------------------------------------


def render_brief(
    brief: Any, *, flavour: str = "discord", commands: str | None = None
) -> list[Page]:
    """A company's brief: names, deals, other facts, each cited and numbered."""
    return render_template("brief.j2", flavour, commands=commands, brief=brief)


def render_search(
    page: Any,
    *,
    flavour: str = "discord",
    commands: str | None = None,
    next_offset: int | None = None,
    continues: bool = False,
) -> list[Page]:
    """One page of search results; the footer says how to reach the next one.

    ``next_offset`` is the command line's ``--offset`` for the next page; ``continues`` says
    the next page follows in the same answer (the pager's next screen, or further down).
    """
    return render_template(
        "search.j2",
        flavour,
        commands=commands,
        result=page,
        next_offset=next_offset,
        continues=continues,
    )


def render_stats(stats: Any, *, flavour: str = "discord", with_rows: bool = True) -> list[Page]:
    """Deals per period and the figures articles report; ``with_rows=False`` when a table
    shows the rows instead (the CLI)."""
    return render_template("stats.j2", flavour, stats=stats, with_rows=with_rows)


def stats_table(stats: Any) -> tuple[list[str], list[list[str]]]:
    """Deal statistics as a header and rows of plain-text cells, for a terminal table."""
    return tab_rows("stats_table.j2", stats=stats)


def tab_rows(name: str, **context: Any) -> tuple[list[str], list[list[str]]]:
    """A template of tab-separated lines, the header first, as cells for a terminal table."""
    text = environment("text").get_template(name).render(**context)
    lines = [line.split("\t") for line in text.splitlines() if line.strip()]
    return lines[0], lines[1:]


def render_sources(
    sources: Sequence[Any], *, flavour: str = "discord", commands: str | None = None
) -> list[Page]:
    return render_template("sources.j2", flavour, commands=commands, sources=sources)


def render_source(
    detail: Any, *, flavour: str = "discord", commands: str | None = None
) -> list[Page]:
    pages = render_template("source.j2", flavour, commands=commands, detail=detail)
    return _with_url(pages, detail.source.url)


def render_fact(fact: Any, *, flavour: str = "discord") -> list[Page]:
    return render_template("fact.j2", flavour, fact=fact)


def render_history(
    entries: Sequence[Any], *, flavour: str = "discord", commands: str | None = None
) -> list[Page]:
    return render_template("history.j2", flavour, commands=commands, entries=entries)


def render_change(
    entry: Any, fact: Any = None, *, flavour: str = "discord", commands: str | None = None
) -> list[Page]:
    """Confirmation of an admin's change, with the audit id that undoes it."""
    return render_template("change.j2", flavour, commands=commands, entry=entry, fact=fact)


def render_did_you_mean(
    query: str,
    candidates: Sequence[Any],
    *,
    flavour: str = "discord",
    commands: str | None = None,
) -> list[Page]:
    return render_template(
        "did_you_mean.j2", flavour, commands=commands, query=query, candidates=candidates
    )


ECHO_LIMIT = 200


def render_error(
    err: DealbriefError, *, flavour: str = "discord", commands: str | None = None
) -> list[Page]:
    """One polite message for the error's code; unknown codes get a generic one."""
    return render_template(
        "errors.j2",
        flavour,
        commands=commands,
        error_code=err.code,
        params={name: _echo(value) for name, value in err.params.items()},
        message=_echo(str(err)),
        suggestions=getattr(err, "suggestions", []),
    )


def _echo(value: Any) -> Any:
    """What an error repeats of the user's input, on one short line.

    An error is one line wherever it is shown, and it only needs enough of a bad value for the
    person to recognise it: a pasted 10,000-character value or one with line breaks is folded.
    """
    if not isinstance(value, str):
        return value
    folded = " ".join(value.split())
    return folded if len(folded) <= ECHO_LIMIT else folded[: ECHO_LIMIT - 1] + "…"


def render_help(commands: Sequence[tuple[str, str]], *, flavour: str = "discord") -> list[Page]:
    return render_template("help.j2", flavour, entries=commands)


def render_load_report(report: Any, *, flavour: str = "discord") -> list[Page]:
    return render_template("load_report.j2", flavour, report=report)


def notice(what: str, *, template: str = "notice.j2", **params: Any) -> str:
    """A one-line message of the command line ("loading", "exported"), as plain text; a
    command with lines of its own keeps them in its own ``template``."""
    text = environment("text").get_template(template).render(what=what, **params).strip()
    if not text:
        raise ValueError(f"no notice called {what!r}")
    return text


def _with_url(pages: list[Page], url: str | None) -> list[Page]:
    pages[0].url = safe_url(url)
    return pages

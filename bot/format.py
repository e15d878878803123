"""The Discord flavour of rendering: Markdown and mentions escaped, embed limits, timestamps.

``briefs.render`` knows pages and plain text; everything that only matters on Discord lives
here and is registered as the "discord" flavour once, when this module is imported (the bot
imports it before rendering anything, and so do tests that render for Discord). Templates and
``briefs`` code then ask for ``flavour="discord"`` by name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from briefs.render import (
    CONTROL,
    EMPTY,
    Field,
    Flavour,
    Page,
    register_flavour,
    strip_controls,
)

# Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELDS_PER_PAGE = 25
PAGE_TOTAL_LIMIT = 6000
PAGES_PER_MESSAGE = 10
FOOTER_LIMIT = 2048

ZWSP = "\u200b"

# --- Escaping ---------------------------------------------------------------------------------

_MD_ANYWHERE = re.compile(r"([\\*_~`|\[\]])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-])", re.MULTILINE)
_MD_NUMBERED = re.compile(r"^(\s*\d+)(\.)", re.MULTILINE)
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(//)")
# Anything one of the substitutions below would change. Most stored text has none of it, and a
# single search is far cheaper than six substitutions on every value a brief prints.
_NEEDS_ESCAPE = re.compile(
    CONTROL.pattern[:-1] + r"\\*_~`|\[\]@<]|^\s*([#>+-]|\d+\.)|://", re.MULTILINE
)


def escape_discord(text: str) -> str:
    """Make stored text inert on Discord: no Markdown, no links, no mentions, no pings.

    Backslash escapes stop formatting; a zero-width space after ``@`` and ``<`` stops
    ``@everyone``, ``<@id>``, ``<@&id>``, ``<#id>``, and one inside ``://`` stops auto-links.
    """
    if _NEEDS_ESCAPE.search(text) is None:
        return text
    text = strip_controls(text)
    text = _MD_ANYWHERE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    text = _MD_NUMBERED.sub(r"\1\\\2", text)
    text = text.replace("@", "@" + ZWSP)
    text = text.replace("<", "<" + ZWSP)  # even last: the next text may start "@123>"
    return _SCHEME.sub(r"\1:" + ZWSP + r"\2", text)


# --- Markup the code writes -------------------------------------------------------------------


def _bold(text: str) -> str:
    return f"**{text}**"


def _italic(text: str) -> str:
    return f"*{text}*"


def _code(text: str) -> str:
    """Backslashes show as typed inside code, so only zero-width spaces can break a mention."""
    return "`" + text.replace("@", "@" + ZWSP).replace("<", "<" + ZWSP) + "`"


def _link(label: str, url: str) -> str:
    return f"[{label}](<{url}>)"


def _timestamp(moment: datetime, style: str) -> str:
    """Discord shows ``<t:…>`` in each reader's own time zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


# --- Splitting to Discord's limits ------------------------------------------------------------


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into chunks of at most ``limit`` characters, losing nothing.

    Cuts fall between paragraphs when possible, else between lines, else between words; only a
    single word longer than the limit is cut inside (never just after an escaping backslash).
    """
    if len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n"):
        pieces = text.split(separator)
        if len(pieces) > 1:
            return _pack(pieces, separator, limit)
    # Cuts inside a line: each later chunk starts a line of its own, so it keeps a character
    # free for the escape that stops "# ", "> " or "1. " from becoming a heading, quote or list.
    pieces = text.split(" ")
    chunks = _pack(pieces, " ", limit - 1) if len(pieces) > 1 else _cut_word(text, limit - 1)
    return [chunks[0], *(_escape_line_start(chunk) for chunk in chunks[1:])]


def _escape_line_start(chunk: str) -> str:
    """Escape a Markdown block marker that only became a line start by being cut there."""
    chunk = re.sub(r"^(\s*)([#>+-])", r"\1\\\2", chunk, count=1)
    return re.sub(r"^(\s*\d+)(\.)", r"\1\\\2", chunk, count=1)


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        for part in split_text(piece, limit):
            joined = f"{current}{separator}{part}" if current else part
            if len(joined) <= limit:
                current = joined
            else:
                if current:
                    chunks.append(current)
                current = part
    if current:
        chunks.append(current)
    return [c.strip() or EMPTY for c in chunks]


def _cut_word(text: str, limit: int) -> list[str]:
    chunks = []
    while len(text) > limit:
        cut = limit
        while cut > 1 and text[cut - 1] == "\\":
            cut -= 1
        chunks.append(text[:cut])
        text = text[cut:]
    return [*chunks, text] if text else chunks


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip("\\") + "…"


# The widest "(n/N)" a continued title gets: room for it is kept on every page.
PAGE_NUMBERS = " (9999/9999)"


def split_pages(page: Page) -> list[Page]:
    """Split one page into as many as needed so that none exceeds a Discord limit.

    Long descriptions and field values continue on further fields and pages; a title too long
    for the limit is shortened and given whole at the top of the description; an overlong footer
    moves into fields. Continuation pages are titled "Title (2/3)".
    """
    title, description = page.title, page.description
    if len(title) > TITLE_LIMIT - len(PAGE_NUMBERS):
        description = f"{title}\n\n{description}".strip()
        title = _shorten(title, TITLE_LIMIT - len(PAGE_NUMBERS))
    footer, fields = page.footer, list(page.fields)
    if len(footer) > FOOTER_LIMIT:
        fields.append(Field(EMPTY, footer))
        footer = ""
    budget = PAGE_TOTAL_LIMIT - len(title) - len(PAGE_NUMBERS) - len(footer)
    blocks = split_text(description, min(DESCRIPTION_LIMIT, budget)) if description else []
    pieces = [piece for f in fields for piece in _split_field(f)]
    pages: list[Page] = []
    current = replace(page, title=title, description="", fields=[], footer=footer)
    for block in blocks:
        if current.description or current.fields:
            pages.append(current)
            current = replace(current, description="", fields=[])
        current.description = block
    for piece in pieces:
        used = len(current.description) + sum(len(f.name) + len(f.value) for f in current.fields)
        size = len(piece.name) + len(piece.value)
        if len(current.fields) >= FIELDS_PER_PAGE or used + size > budget:
            pages.append(current)
            current = replace(current, description="", fields=[])
        current.fields.append(piece)
    pages.append(current)
    if len(pages) > 1 and title:
        for number, each in enumerate(pages, start=1):
            each.title = f"{title} ({number}/{len(pages)})"
    return pages


def _split_field(item: Field) -> list[Field]:
    """One field, or several when its value exceeds the limit ("Deals", "Deals (cont.)")."""
    name = _shorten(item.name or EMPTY, FIELD_NAME_LIMIT - len(" (cont.)"))
    value = f"{item.name}\n{item.value}" if len(item.name) > len(name) else item.value
    chunks = split_text(value or EMPTY, FIELD_VALUE_LIMIT)
    return [
        Field(name if i == 0 else f"{name} (cont.)", chunk, item.inline)
        for i, chunk in enumerate(chunks)
    ]


def group_messages(pages: Sequence[Page]) -> list[list[Page]]:
    """Group pages into messages of at most 10 embeds and 6000 characters in all."""
    messages: list[list[Page]] = []
    current: list[Page] = []
    size = 0
    for page in pages:
        chars = page.total_chars()
        if current and (len(current) >= PAGES_PER_MESSAGE or size + chars > PAGE_TOTAL_LIMIT):
            messages.append(current)
            current, size = [], 0
        current.append(page)
        size += chars
    if current:
        messages.append(current)
    return messages


DISCORD = register_flavour(
    Flavour(
        "discord",
        escape=escape_discord,
        bold=_bold,
        italic=_italic,
        code=_code,
        link=_link,
        timestamp=_timestamp,
        split=split_pages,
        commands="slash",
    )
)

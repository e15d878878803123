"""Checks and normal forms for text people type.

Every entry point (CLI, Discord, console) passes user text through :func:`clean` so that empty,
huge and control-character input is refused the same way everywhere, before anything is stored.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import BadInput

# Kana, CJK ideographs and Hangul: words in these scripts are searched by trigrams and watched
# as substrings, since they are written without spaces between words. The same ranges as the
# search index's (``migrations.CJK_GLOB``), so a word read as CJK is one that index holds.
# Compared by code point: as a regex class, ranges this wide make re build a large table.
CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF))

MAX_QUERY = 200
MAX_NAME = 200
MAX_FIELD = 1000
MAX_LONG_FIELD = 4000

# Search snippets mark matched words with these (STX and ETX): :func:`clean` refuses control
# characters, so stored text never contains them.
MARK_START = "\x02"
MARK_END = "\x03"

_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)
_SPACE = re.compile(r"\s+")
# Letters that draw nothing: the Hangul fillers and the blank braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_TAGS = range(0xE0000, 0xE0080)
_NAME_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_ID = re.compile(r"^#?(\d+)$")
# Every record number anyone types (CLI, console, Discord option) is checked against this:
# far past any row, well inside SQLite's 64-bit integers and Discord's integer options.
MAX_ID = 2**31 - 1


def clean(
    value: str | None, *, field: str, max_len: int, required: bool = True, multiline: bool = False
) -> str:
    """Return ``value`` trimmed, or raise BadInput naming ``field``.

    Control characters are refused rather than silently dropped: they are a sign of pasted
    garbage, and the person should know their text was not taken as typed.
    """
    text = unicodedata.normalize("NFC", value or "")
    text = text.replace("\r\n", "\n") if multiline else text
    allowed = "\n\t" if multiline else ""
    if any(_CONTROL.match(ch) or (ch in "\n\t" and ch not in allowed) for ch in text):
        raise BadInput(f"{field} contains control characters", code="control_chars", field=field)
    text = text.strip() if multiline else _SPACE.sub(" ", text).strip()
    if not text:
        if required:
            raise BadInput(f"{field} is empty", code="empty", field=field)
        return ""
    if len(text) > max_len:
        raise BadInput(
            f"{field} is {len(text)} characters; the limit is {max_len}",
            code="too_long",
            field=field,
            length=len(text),
            limit=max_len,
        )
    return text


def clean_name(value: str | None, *, field: str) -> str:
    """:func:`clean` for a company name or alias.

    Format characters (zero-width joiners, byte-order marks, soft hyphens, bidi marks, tags)
    are dropped rather than refused: they draw nothing and only make two names that look the
    same differ. A name left with nothing to see is refused, so no company is listed blank.
    """
    text = "".join(ch for ch in unicodedata.normalize("NFC", value or "") if not _is_format(ch))
    name = clean(text, field=field, max_len=MAX_NAME)
    if not any(_is_visible(ch) for ch in name):
        raise BadInput(f"{field} has no visible character", code="invisible_name", field=field)
    return name


def _is_format(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" or ord(ch) in _TAGS


def _is_visible(ch: str) -> bool:
    """A character that draws something by itself: not a space, mark, filler or format."""
    return ch not in _BLANK_LETTERS and unicodedata.category(ch)[0] not in "CZM"


def normalize_name(name: str) -> str:
    """Fold a company name for matching: NFKC, case-folded, punctuation to spaces, single-spaced.

    "Shanghai Junshi Biosciences Co., Ltd." and "shanghai junshi biosciences co ltd" fold alike;
    CJK names keep their characters.
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _NAME_PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def slugify(name: str) -> str:
    """A stable ASCII-ish key for a company: its folded name with hyphens."""
    return normalize_name(name).replace(" ", "-")


def parse_id(value: str, field: str) -> int:
    """A record number typed as ``12`` or ``#12``; anything else is refused naming ``field``."""
    match = _ID.match(clean(value, field=field, max_len=20))
    if not match:
        raise BadInput(f"{value[:20]!r} is not a number", code="bad_id", value=value[:20])
    return check_id(int(match.group(1)), field)


def check_id(number: int, field: str) -> int:
    """A record number already read as an integer (a Discord option), within 1..MAX_ID.

    Discord clients honour an option's declared range, but nothing stops another client from
    sending a number SQLite cannot even hold; it is refused here rather than overflow there.
    """
    if not 1 <= number <= MAX_ID:
        raise BadInput(
            f"{field} {number} is out of range",
            code="id_out_of_range",
            field=field,
            value=str(number)[:20],
            limit=MAX_ID,
        )
    return number


def has_cjk(word: str) -> bool:
    """True when ``word`` holds a Chinese, Japanese or Korean character."""
    return any(low <= ord(char) <= high for char in word for low, high in CJK_RANGES)

"""Checks and normal forms for text people type.

Every entry point (CLI, Discord, console) passes user text through :func:`clean` so that empty,
huge and control-character input is refused the same way everywhere, before anything is stored.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import BadInput

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
_NAME_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_ID = re.compile(r"^#?(\d{1,12})$")  # twelve digits: far past any row, well inside SQLite's range


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
    return int(match.group(1))

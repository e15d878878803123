"""British and American spellings: every spelling a searched word may take (``data/spelling.toml``).

Search looks for each spelling rather than indexing a normalised copy, so the index keeps the
words as written: snippets quote the source, and the stemmer sees real words.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

SPELLING_FILE = Path(__file__).resolve().parent.parent / "data" / "spelling.toml"
MAX_SPELLINGS = 4  # a word with several pieces (rare) is searched in a few spellings, not all


@cache
def _pairs() -> tuple[tuple[str, str], ...]:
    """Each pair as (longer piece, shorter piece), so a piece inside its partner is not replaced."""
    table = tomllib.loads(SPELLING_FILE.read_text(encoding="utf-8"))
    return tuple(
        (a, b) if len(a) >= len(b) else (b, a)
        for a, b in (map(str.casefold, p) for p in table["pairs"])
    )


def spellings(word: str) -> tuple[str, ...]:
    """``word`` (case-folded) first, then its other spellings: ``licence`` -> licence, license."""
    found = [word.casefold()]
    for longer, shorter in _pairs():
        for known in list(found):
            if longer in known:
                other = known.replace(longer, shorter)
            elif shorter in known:
                other = known.replace(shorter, longer)
            else:
                continue
            if other not in found and len(found) < MAX_SPELLINGS:
                found.append(other)
    return tuple(found)

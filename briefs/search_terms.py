"""How search reads a query's words and weighs what they match.

Shared by the word indexes (``briefs.queries``) and the CJK trigram indexes
(``briefs.search_cjk``), so both take a query alike and a fact ranks alike whichever index found
it. A searched word arrives as a group of its spellings (``briefs.spelling``): any of them will do.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import BadInput

# Columns of the fact indexes and their weights; then the source indexes'.
FACT_COLUMNS = ("summary", "asset", "sector", "evidence", "note")
FACT_WEIGHTS = (3.0, 2.0, 1.0, 1.0, 1.0)
SOURCE_COLUMNS = ("title", "outlet", "text")
SOURCE_WEIGHTS = (3.0, 1.0, 1.0)
SATURATION = 1.2

Spellings = tuple[str, ...]


def fts_expression(groups: Sequence[Spellings]) -> str:
    """A safe FTS5 expression: every group required, any spelling of a group will do; each
    spelling quoted, so AND, NEAR, *, ^ are plain words."""
    if not groups:
        raise BadInput("the search has no words in it", code="empty_query")
    return " AND ".join(any_of(group) for group in groups)


def any_of(spelt: Spellings) -> str:
    quoted = [quoted_word(word) for word in spelt]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def quoted_word(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def saturated(mentions: float) -> float:
    """A word's weighted mentions, counting less for each repeat (bm25's term-frequency curve)."""
    return mentions * (SATURATION + 1) / (mentions + SATURATION)

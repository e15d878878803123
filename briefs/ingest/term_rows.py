"""A row of a table of terms naming a party by its role ("- Licensor: A.", "- Buyer: B."), as
read.py gives a page's table or definition list: the row says which side of the deal it is."""

from __future__ import annotations

import re

from .orgs import Mention
from .proposal import Party

# The label of a row and the side it names; a buyer or purchaser takes what is sold.
_ROLE_ROW = re.compile(
    r"-\s+(?P<label>Licensor|Licensee|Buyer|Purchaser|Acquirer|Seller|Vendor|Grantor)"
    r"(?:\s+\w+)?\s*:\s+",
    re.I,
)
_TAKES = frozenset({"licensee", "buyer", "purchaser", "acquirer"})


def row_direction(
    sentence: str, mentions: list[Mention], first: Party, second: Party
) -> tuple[Party, Party] | None:
    """(licensor, licensee) of the deal between ``first`` and ``second`` when the sentence is a
    row naming one of them by its role; each party is matched by its name or a longer spelling
    of it ("Arden Instruments Ltd" for "Arden Instruments")."""
    row = _ROLE_ROW.match(sentence) if sentence.startswith("- ") else None
    if row is None or not mentions or mentions[0].start < row.end() - 1:
        return None
    named = mentions[0].org.name
    for party, other in ((first, second), (second, first)):
        if _same_company(named, party.name) and not _same_company(named, other.name):
            taker = row["label"].lower() in _TAKES
            return (other, party) if taker else (party, other)
    return None


def _same_company(name: str, party: str) -> bool:
    """One name is the other, or the other with more words after it."""
    return name == party or name.startswith(party + " ") or party.startswith(name + " ")

"""Several takers of one licence told together: "licensed its X to ⟨1⟩, ⟨2⟩ and ⟨3⟩".

The rules of deal_rules read one licensee per sentence; a coordinated list around that licensee
names more companies that take the same rights from the same licensor, each a deal of its own.
"""

from __future__ import annotations

import re

# A company named in a list may carry its place: "⟨2⟩ of Argentina", "⟨3⟩ in Seoul".
_PLACE = r"(?:\s+(?:of|in|from)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})?"
_LIST = re.compile(
    r"⟨\d+⟩" + _PLACE + r"(?:,\s+⟨\d+⟩" + _PLACE + r")*,?\s+(?:and|as well as)\s+⟨\d+⟩" + _PLACE
)
_MARK = re.compile(r"⟨(\d+)⟩")
# What makes a list the takers: "to" or "with" before it ("licences to A and B", "deals with A
# and B"), or "each"/"all"/"both" after it ("A, B and C have each signed").
_TAKERS_BEFORE = re.compile(r"\b(?:to|with)\s+$")
_TAKERS_AFTER = re.compile(r"\s*(?:(?:had|have|has|will|would)\s+)?(?:each|all|both)\b")


def co_takers(marked: str, licensee: int, licensor: int | None) -> list[int]:
    """The indexes of the other companies listed with ``licensee`` as takers, in order; none when
    the licensor is in the list ("between A and B") or nothing marks the list as the takers."""
    if " and " not in marked and "as well as" not in marked:
        return []
    for listed in _LIST.finditer(marked):
        indexes = [int(i) for i in _MARK.findall(listed[0])]
        if licensee not in indexes:
            continue
        if licensor in indexes or len(set(indexes)) < 2:
            return []
        before, after = marked[: listed.start()], marked[listed.end() :]
        if not (_TAKERS_BEFORE.search(before[-8:]) or _TAKERS_AFTER.match(after)):
            return []
        return [i for i in dict.fromkeys(indexes) if i != licensee]
    return []

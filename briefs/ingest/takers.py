"""Several takers of one licence told together: "licensed its X to ⟨1⟩, ⟨2⟩ and ⟨3⟩".

The rules of deal_rules read one licensee per sentence; a coordinated list around that licensee
names more companies that take the same rights from the same licensor, each a deal of its own.
"""

from __future__ import annotations

import re

# A company named in a list may carry its place: "⟨2⟩ of Argentina", "⟨3⟩ in Seoul"; a
# possessive ("⟨2⟩'s unit") names an owner, not a taker.
_PLACE = r"(?!['’])(?:\s+(?:of|in|from)\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2})?"
_LIST = re.compile(
    r"⟨\d+⟩" + _PLACE + r"(?:,\s+⟨\d+⟩" + _PLACE + r")*,?\s+(?:and|as well as)\s+⟨\d+⟩" + _PLACE
)
_MARK = re.compile(r"⟨(\d+)⟩")
# What makes a list the takers: "to" or "with" before it ("licences to A and B", "deals with A
# and B"), or "each"/"all"/"both" after it ("A, B and C have each signed").
_TAKERS_BEFORE = re.compile(r"\b(?:to|with)\s+$")
_TAKERS_AFTER = re.compile(r"\s*(?:(?:had|have|has|will|would)\s+)?(?:each|all|both)\b")


# A list of takers told with their places, introduced by a count and a colon, its items split by
# semicolons: "with three makers: ⟨1⟩ of Osaka, Japan; ⟨2⟩ (Korea); and ⟨3⟩".
_CAPS = r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}"
_PLACED = (
    r"⟨\d+⟩(?:\s+(?:of|in|from|based in)\s+" + _CAPS + r"(?:,\s+" + _CAPS + r")?"
    r"|\s+\([^()⟨⟩]{1,40}\))?"
)
# An item between semicolons may be described: "⟨1⟩, a British resin maker;".
_DESCRIBED = r"⟨\d+⟩(?:,\s+(?:(?:a|an|the)\s+|based\s+in\s+)[^⟨;,.]{1,60})?"
_TOLD_LIST = re.compile(
    r"(?P<intro>\b(?:to|with)\s+(?:[\w-]+\s+){0,3}?[\w-]+:\s+)?"
    + _PLACED
    + r"(?:[,;]\s+"
    + _PLACED
    + r")*[,;]?\s+(?:and\s+)"
    + _PLACED
)
# A list whose items are told between semicolons, each with its description.
_DESCRIBED_LIST = re.compile(
    r"(?P<intro>\b(?:to|with)\s+(?:[\w-]+\s+){0,3}?[\w-]+:\s+)?"
    + _DESCRIBED
    + r"(?:;\s+"
    + _DESCRIBED
    + r")*;\s+(?:and\s+)"
    + _DESCRIBED
)


def plain_lists(marked: str) -> str:
    """``marked`` with each list of companies introduced by a count and a colon, split by
    semicolons or giving places, told as a plain list ("with three makers: ⟨1⟩ of Osaka, Japan;
    ⟨2⟩; and ⟨3⟩" -> "with ⟨1⟩, ⟨2⟩ and ⟨3⟩"), the form the rules and the lists of takers read."""
    if ";" not in marked and ": ⟨" not in marked and "⟩ (" not in marked:
        return marked
    if ";" in marked and ", " in marked:
        marked = _plain(marked, _DESCRIBED_LIST)
    return _plain(marked, _TOLD_LIST)


def _plain(marked: str, lists: re.Pattern[str]) -> str:
    """``marked`` with each of ``lists`` that is not already plain told as "⟨1⟩, ⟨2⟩ and ⟨3⟩"."""
    for listed in reversed(list(lists.finditer(marked))):
        intro = listed["intro"]
        if not intro and ";" not in listed[0] and "(" not in listed[0]:
            continue  # a plain list, or one with places the lists of takers read as they are
        *rest, last = _MARK.findall(listed[0])
        plain = ", ".join(f"⟨{i}⟩" for i in rest) + f" and ⟨{last}⟩"
        lead = intro.split()[0] + " " if intro else ""
        marked = marked[: listed.start()] + lead + plain + marked[listed.end() :]
    return marked


def _taker_lists(marked: str) -> list[re.Match[str]]:
    """The coordinated lists of ``marked`` that something marks as the takers."""
    if " and " not in marked and "as well as" not in marked:
        return []
    return [
        listed
        for listed in _LIST.finditer(marked)
        if _TAKERS_BEFORE.search(marked[max(0, listed.start() - 8) : listed.start()])
        or _TAKERS_AFTER.match(marked, listed.end())
    ]


def as_one_taker(marked: str) -> tuple[str, dict[int, int]]:
    """``marked`` with each list of takers read as its first company ("⟨1⟩, ⟨2⟩ and ⟨3⟩ have
    each taken" -> "⟨1⟩ have each taken"), and which marks now stand for which, so that cues
    reading two companies can read a deal with several takers."""
    same: dict[int, int] = {}
    for listed in reversed(_taker_lists(marked)):
        first, *rest = (int(i) for i in _MARK.findall(listed[0]))
        same.update({index: first for index in rest})
        marked = marked[: listed.start()] + f"⟨{first}⟩" + marked[listed.end() :]
    return marked, same


def co_takers(marked: str, licensee: int, licensor: int | None) -> list[int]:
    """The indexes of the other companies listed with ``licensee`` as takers, in order; none when
    the licensor is in the list ("between A and B")."""
    for listed in _taker_lists(marked):
        indexes = [int(i) for i in _MARK.findall(listed[0])]
        if licensee not in indexes:
            continue
        if licensor in indexes:
            return []
        return [i for i in dict.fromkeys(indexes) if i != licensee]
    return []


# "⟨0⟩ has entered into licence agreements with ⟨1⟩, ⟨2⟩ and ⟨3⟩": one company licensing to
# several at once is the side that grants; the list is its licensees.
_LICENCES_WITH = re.compile(r"\blicen[cs](?:e|ing)\s+(?:agreements|deals|contracts)\s+with\s+$")
_GIVER = re.compile(r"⟨(\d+)⟩[^⟨;]{0,250}$")  # the last company before, with no other between
# Who grants to many is a company, not a university or a hospital: "research licences with
# ⟨1⟩ University and ⟨2⟩" take from them.
_ACADEMIC = re.compile(
    r"\b(?:universit|institut|college|hospital|school|academ|foundation|council)", re.I
)


def giver_to_many(marked: str, names: list[str]) -> tuple[int, int] | None:
    """(the licensor, the first licensee) of a sentence telling one company's licence agreements
    with a list of several companies, or None."""
    if " agreements with " not in marked and " deals with " not in marked:
        return None
    for listed in _taker_lists(marked):
        before = marked[max(0, listed.start() - 300) : listed.start()]
        opening = _LICENCES_WITH.search(before)
        giver = _GIVER.search(before, 0, opening.start()) if opening else None
        takers = [int(i) for i in _MARK.findall(listed[0])]
        if giver is None or any(_ACADEMIC.search(names[i]) for i in takers if i < len(names)):
            continue
        if int(giver[1]) not in takers:
            return int(giver[1]), takers[0]
    return None


# "The licensees are ⟨1⟩, ⟨2⟩ and ⟨3⟩", "Its new licensees include ⟨1⟩ and ⟨2⟩": the takers of
# the licence the sentence before told, each however it is described.
_LICENSEES_ARE = re.compile(
    r"(?:The|Its|Their)\s+(?:\w+\s+){0,2}?licensees\s+(?:are|were|include|included)\s+"
    r"(?P<list>[^.;:]*)"
)


def named_takers(marked: str) -> list[int]:
    """The indexes of the companies a sentence opening "The licensees are" names, in order."""
    if "licensees" not in marked:
        return []
    listed = _LICENSEES_ARE.match(marked)
    if listed is None:
        return []
    return list(dict.fromkeys(int(i) for i in _MARK.findall(listed["list"])))

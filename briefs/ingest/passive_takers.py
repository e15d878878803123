"""A licence told from the taker's side in the passive, its licensor named after it.

"The Q9 core has been licensed by Corrigan" makes Corrigan the taker (a licensor's "licensed
... to" is not this form); whose core it is, a following sentence says: "The core comes from
Vesterholm", "... developed by Vesterholm". Both read the marked sentence
(see :func:`.sentences.mark`).
"""

from __future__ import annotations

import re

_GLUED_PLACE = r"(?:(?:[A-Z][\w.]*\s+){0,2}?[\w-]+-(?:based|listed|headquartered)\s+)?"
# "has been licensed by Pune-based ⟨1⟩", with no "to ⟨2⟩" after (that would make ⟨1⟩ the giver)
_LICENSED_BY_TAKER = re.compile(
    r"\b(?:has|have)\s+(?:now\s+|also\s+)?been\s+(?:in-?)?licen[cs]ed\s+by\s+"
    + _GLUED_PLACE
    + r"⟨(?P<a>\d+)⟩(?![^.;]{0,120}?\bto\s+(?:the\s+)?⟨)"
)
_HAS_BEEN = r"(?:has|have)\s+(?:now\s+|also\s+)?been\s+"
# "The core comes from ⟨2⟩", "It was developed by ⟨2⟩": the owner of what was licensed; or the
# company the licensed thing's own description names ("⟨2⟩'s engine has been licensed by",
# "The engine that ⟨2⟩ trained has been licensed by"), not the thing itself ("⟨2⟩ has been").
_OWNER = re.compile(
    r"⟨(?P<d>\d+)⟩(?!,?\s+"
    + _HAS_BEEN
    + r")[^⟨.;]{0,160}?\b"
    + _HAS_BEEN
    + r"(?:in-?)?licen[cs]ed\s+by\s"
    r"|\b(?:comes?|came)\s+from\s+" + _GLUED_PLACE + r"⟨(?P<b>\d+)⟩"
    r"|\b(?:developed|designed|created|invented|discovered|is\s+owned)\s+by\s+"
    + _GLUED_PLACE
    + r"⟨(?P<c>\d+)⟩"
)


def licensed_by_taker(marked: str) -> int | None:
    """The mark of the company the sentence says has licensed something, as its taker."""
    match = _LICENSED_BY_TAKER.search(marked) if "licen" in marked else None
    return int(match["a"]) if match else None


def owner_named(marked: str) -> int | None:
    """The mark of the company the sentence names as the owner of what was licensed."""
    match = _OWNER.search(marked) if "⟩" in marked else None
    return int(match["b"] or match["c"] or match["d"]) if match else None

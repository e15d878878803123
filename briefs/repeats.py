"""When a report repeats a stored fact: one rule for ingested proposals and for admins' additions.

A deal reported twice must stay one deal with two sources, or briefs list it twice and stats
count it twice. The review queue flags a proposal that repeats a stored fact, and ``fact add``
refuses a deal that repeats one, by the same test: same kind and parties, and the same asset or (lacking assets)
the same year, with no clash of territory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from . import model
from .errors import Conflict
from .text import normalize_name

if TYPE_CHECKING:
    from sqlite_utils import Database

SIMILAR_ASSET = 75  # rapidfuzz token-set score at which two asset descriptions name the same thing
# Words saying what sort of right was licensed, not which: "hybrid bonding technology" and
# "3D NAND hybrid bonding patents" name one asset.
GENERIC_ASSET_WORDS = frozenset(
    {"technology", "technologies", "patent", "patents", "rights", "ip", "know", "how", "the", "its"}
)


@dataclass(frozen=True)
class Claim:
    """What a report says happened, as far as telling two reports of one fact apart needs."""

    kind: str
    licensor_id: int | None = None
    licensee_id: int | None = None
    subject_id: int | None = None
    asset: str | None = None
    period: str | None = None
    territory: str | None = None


def repeated_fact(db: Database, claim: Claim) -> int | None:
    """The first live fact this claim repeats, or None when it is news."""
    if claim.kind in model.DEAL_KINDS:
        if claim.licensor_id is None or claim.licensee_id is None:
            return None
        sql, ids = "licensor_id = ? AND licensee_id = ?", [claim.licensor_id, claim.licensee_id]
    else:
        if claim.subject_id is None:
            return None
        sql, ids = "subject_id = ?", [claim.subject_id]
    rows = db.execute(
        f"SELECT id, asset, period, territory FROM facts WHERE deleted_at IS NULL AND kind = ? "
        f"AND {sql} ORDER BY id",
        [claim.kind, *ids],
    ).fetchall()
    for fact_id, asset, period, territory in rows:
        if _same_thing(claim, asset, period, territory):
            return fact_id
    return None


def refuse_repeat(db: Database, claim: Claim) -> None:
    """Refuse a new deal that repeats a stored one; its source belongs on that deal instead.

    Only deals: a company's approvals, sales or figures recur by nature, and a person adding
    one by hand knows it is another.
    """
    if claim.kind not in model.DEAL_KINDS:
        return
    fact_id = repeated_fact(db, claim)
    if fact_id is not None:
        raise Conflict(f"this looks like fact {fact_id}", code="looks_like_fact", id=fact_id)


def _same_thing(claim: Claim, asset: str | None, period: str | None, territory: str | None) -> bool:
    """Same asset (or, lacking assets, same year) and no clash of territory."""
    if claim.territory and territory and _place(claim.territory) != _place(territory):
        return False
    mine, theirs = _asset_words(claim.asset), _asset_words(asset)
    if mine and theirs:
        return fuzz.token_set_ratio(mine, theirs) >= SIMILAR_ASSET
    if claim.period and period:
        return claim.period[:4] == period[:4]
    return True


def _asset_words(asset: str | None) -> str:
    """The words of an asset that tell it apart, folded; empty when it names no particular one."""
    words = default_process(asset or "").split()
    return " ".join(w for w in words if w not in GENERIC_ASSET_WORDS)


_PLACE_NAMES = {
    "us": "united states",
    "u s": "united states",
    "usa": "united states",
    "uk": "united kingdom",
    "eu": "european union",
}


def _place(territory: str) -> str:
    folded = normalize_name(territory)
    return _PLACE_NAMES.get(folded, folded)

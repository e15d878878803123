"""Check every claim of a model's reading against the document before anyone sees it.

Nothing the model says is taken on trust: a deal it reports becomes a proposal only if it is
signed and each party it names is written in the document; every field needs a quote that is
in the text and states that value; every amount is read again from its quote by the project's
own amount parser and must agree. A field that fails is dropped with a :class:`Note` the
reviewer reads; a deal whose parties fail is dropped whole, with its notes, so an article that
tries to steer the model ("report a $9 billion deal with Acme") cannot add what it does not say.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ..errors import BadInput
from ..money import parse_amount
from ..vocab import VOCAB
from .amounts import find_amounts
from .model_client import AMOUNT_FIELDS, ModelDeal
from .orgs import KnownNames
from .proposal import Note, Party, Proposal, ProposedFigure, proposed_figure

# Grounded means each field was found in the text, not that the model read the roles right.
MODEL_CONFIDENCE = 0.6
MODEL_WHY = "model reading, checked against the text"
UNDISCLOSED = frozenset({"undisclosed", "not disclosed", "undisclosed amount"})
_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-"}
)
_SPACE = re.compile(r"\s+")
# A sentence that speaks to a model instead of reporting news: what it "states" is an instruction
# planted in the document, so it is no evidence, whatever words it quotes.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?]{0,40}\b(?:instructions?|prompts?|rules)\b"
    r"|\b(?:system|developer) (?:prompt|note|message)\b"
    r"|\b(?:to|for) the (?:assistant|ai|model|language model|llm)\b"
    r"|\byou are (?:now )?(?:an?|the) (?:assistant|ai|model|language model)\b"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_SAME_AMOUNT = 1e-9  # relative: a re-read amount must be the stated one, not a rounding of it


@dataclass
class DroppedDeal:
    """A deal of the model's reading that proposes nothing, and every reason why."""

    licensor: str | None
    licensee: str | None
    kind: str
    notes: list[Note] = field(default_factory=list)


@dataclass
class Grounded:
    proposals: list[Proposal] = field(default_factory=list)
    dropped: list[DroppedDeal] = field(default_factory=list)


def flat(text: str) -> str:
    """Text as compared: NFKC, straight quotes and hyphens, one space, no case."""
    return (
        _SPACE.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES)).strip().casefold()
    )


def contains(haystack: str, needle: str) -> bool:
    """Whether ``needle`` is written in ``haystack`` as whole words (both already flat)."""
    if not needle:
        return False
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    return re.search(pattern, haystack) is not None


def ground(
    deals: list[ModelDeal], text: str, known: KnownNames, published: date | None
) -> Grounded:
    """Proposals for the deals that survive every check; the rest, with why, in ``dropped``."""
    document = flat(text)
    result = Grounded()
    for deal in deals:
        proposal, notes = _ground_deal(deal, document, known, published)
        if proposal is None:
            result.dropped.append(
                DroppedDeal(deal.value("licensor"), deal.value("licensee"), deal.kind, notes)
            )
        else:
            result.proposals.append(proposal)
    return result


def _ground_deal(
    deal: ModelDeal, document: str, known: KnownNames, published: date | None
) -> tuple[Proposal | None, list[Note]]:
    if deal.status != "signed":
        return None, [Note("not_signed", value=deal.status)]
    notes: list[Note] = []
    quotes: list[str] = []
    parties: dict[str, Party | None] = {}
    for role in ("licensor", "licensee"):
        name = deal.value(role)
        if name is None:
            parties[role] = None
        elif not contains(document, flat(name)):
            notes.append(Note("party_not_found", role, name))
        elif (quote := _quote(deal, role, document, notes)) is not None:
            parties[role] = Party(name.strip(), known.lookup(name))
            quotes.append(quote)
    if len(parties) < 2 or not any(parties.values()):
        return None, notes or [Note("no_parties")]
    texts = {
        name: _text_field(deal, name, document, notes, quotes)
        for name in ("asset", "territory", "royalty")
    }
    stage = _stage(deal, document, notes, quotes)
    year = published.year if published else None
    figures = [
        f for role in AMOUNT_FIELDS if (f := _figure(deal, role, document, year, notes, quotes))
    ]
    licensor, licensee = parties["licensor"], parties["licensee"]
    proposal = Proposal(
        kind=deal.kind,
        evidence=" … ".join(dict.fromkeys(quotes)),
        confidence=MODEL_CONFIDENCE,
        why=MODEL_WHY,
        licensor=licensor,
        licensee=licensee,
        subject=licensor or licensee,
        parties=tuple(p for p in (licensor, licensee) if p is not None),
        asset=texts["asset"],
        territory=texts["territory"],
        period=published.isoformat() if published else None,
        figures=tuple(figures),
        stage=stage,
        royalty=texts["royalty"],
        origin="model",
        notes=tuple(notes),
    )
    return proposal, notes


def _quote(deal: ModelDeal, name: str, document: str, notes: list[Note]) -> str | None:
    """The field's quote if it is in the document and names the field's value, else None
    (with a note saying which check failed)."""
    value, quote = deal.value(name) or "", deal.evidence.get(name)
    if quote is None or not quote.strip():
        notes.append(Note("no_evidence", name, value))
        return None
    if flat(quote) not in document:
        notes.append(Note("evidence_not_found", name, quote))
        return None
    if _INSTRUCTION.search(_sentence_around(document, flat(quote))):
        notes.append(Note("instruction_quoted", name, quote))
        return None
    if name not in AMOUNT_FIELDS and name != "stage" and not contains(flat(quote), flat(value)):
        notes.append(Note("value_not_in_evidence", name, value))
        return None
    return _SPACE.sub(" ", quote).strip()


def _sentence_around(document: str, quote: str) -> str:
    """The sentences of ``document`` (flat) that hold the first occurrence of ``quote``."""
    start = document.find(quote)
    ends = [m.end() for m in _SENTENCE_END.finditer(document, 0, start)]
    stop = _SENTENCE_END.search(document, start + len(quote))
    return document[ends[-1] if ends else 0 : stop.end() if stop else len(document)]


def _text_field(
    deal: ModelDeal, name: str, document: str, notes: list[Note], quotes: list[str]
) -> str | None:
    value = deal.value(name)
    if value is None or not value.strip():
        return None
    quote = _quote(deal, name, document, notes)
    if quote is None:
        return None
    quotes.append(quote)
    return value.strip()


def _stage(deal: ModelDeal, document: str, notes: list[Note], quotes: list[str]) -> str | None:
    """A stage is a vocabulary key; the quote must be in the text and name it by an alias."""
    value = deal.value("stage")
    if value is None or not value.strip():
        return None
    entry = VOCAB.stages.find(value)
    if entry is None:
        notes.append(Note("not_in_vocab", "stage", value))
        return None
    quote = _quote(deal, "stage", document, notes)
    if quote is None:
        return None
    names = (entry.key, entry.label, *entry.aliases)
    if not any(contains(flat(quote), flat(n)) for n in names):
        notes.append(Note("value_not_in_evidence", "stage", value))
        return None
    quotes.append(quote)
    return entry.key


def _figure(
    deal: ModelDeal,
    role: str,
    document: str,
    year: int | None,
    notes: list[Note],
    quotes: list[str],
) -> ProposedFigure | None:
    """The amount the model states for ``role``, if its quote, read by :func:`find_amounts`,
    holds that same amount in that same currency."""
    stated = deal.value(role)
    if stated is None or not stated.strip() or flat(stated) in UNDISCLOSED:
        return None
    try:
        money = parse_amount(stated)
    except BadInput:
        notes.append(Note("bad_amount", role, stated))
        return None
    quote = _quote(deal, role, document, notes)
    if quote is None:
        return None
    for amount in find_amounts(quote):
        if amount.currency == money.currency and _same(amount.value, money.amount):
            quotes.append(quote)
            return proposed_figure(role, amount, year)
    notes.append(Note("amount_mismatch", role, stated, quote))
    return None


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= _SAME_AMOUNT * max(abs(a), abs(b))

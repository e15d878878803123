"""What extraction proposes: a fact with its parties and figures, waiting for review.

The review queue stores a proposal as JSON (:meth:`Proposal.to_payload`) and reads it back with
:func:`proposal_from_payload`, so the shape here is also the shape of the stored queue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import BadInput
from ..money import Money, to_usd
from .amounts import Amount


@dataclass(frozen=True)
class Party:
    """A company as the article names it, with its id when the knowledge base knows it."""

    name: str
    company_id: int | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "company_id": self.company_id}


@dataclass(frozen=True)
class ProposedFigure:
    role: str
    value: float | None
    unit: str
    value_usd: float | None = None
    usd_basis: str | None = None
    approx: str | None = None
    disclosed: bool = True

    def to_dict(self) -> dict:
        return {
            "role": self.role,
            "value": self.value,
            "unit": self.unit,
            "value_usd": self.value_usd,
            "usd_basis": self.usd_basis,
            "approx": self.approx,
            "disclosed": self.disclosed,
        }


ORIGINS = ("rules", "model", "rules+model")  # which extractors proposed it


@dataclass(frozen=True)
class Note:
    """What a reviewer should know about a proposal beyond its fields: a part of the model's
    reading that was dropped and why (``code``), or a field on which the extractors disagree
    (``code`` "disagree": ``value`` from the model, ``other`` from the rules).
    ``templates/extraction_notes.j2`` says it in words."""

    code: str
    field: str | None = None
    value: str | None = None
    other: str | None = None

    def to_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "value": self.value, "other": self.other}


@dataclass(frozen=True)
class Proposal:
    """A fact the text seems to state, waiting for a person to approve it."""

    kind: str
    evidence: str
    confidence: float
    why: str
    licensor: Party | None = None
    licensee: Party | None = None
    subject: Party | None = None
    parties: tuple[Party, ...] = ()
    asset: str | None = None
    territory: str | None = None
    period: str | None = None
    figures: tuple[ProposedFigure, ...] = ()
    royalty: str | None = None  # as the article words it ("tiered royalties up to the mid-teens")
    stage: str | None = None  # a stage vocabulary key
    # The sentence each field was read from (parties, asset, territory, royalty, stage, date and
    # each figure role), for the reviewer to check it against.
    evidence_of: dict[str, str] = field(default_factory=dict)
    origin: str = "rules"
    notes: tuple[Note, ...] = ()

    def figure(self, role: str) -> ProposedFigure | None:
        return next((f for f in self.figures if f.role == role), None)

    def to_payload(self) -> dict:
        """The JSON the review queue stores; :func:`proposal_from_payload` reads it back."""
        return {
            "kind": self.kind,
            "licensor": self.licensor.to_dict() if self.licensor else None,
            "licensee": self.licensee.to_dict() if self.licensee else None,
            "subject": self.subject.to_dict() if self.subject else None,
            "parties": [p.to_dict() for p in self.parties],
            "asset": self.asset,
            "territory": self.territory,
            "period": self.period,
            "figures": [f.to_dict() for f in self.figures],
            "evidence": self.evidence,
            "confidence": self.confidence,
            "why": self.why,
            "royalty": self.royalty,
            "stage": self.stage,
            "evidence_of": dict(self.evidence_of),
            "origin": self.origin,
            "notes": [n.to_dict() for n in self.notes],
        }


def proposal_from_payload(payload: dict) -> Proposal:
    def party(value: dict | None) -> Party | None:
        return Party(value["name"], value.get("company_id")) if value else None

    return Proposal(
        kind=payload["kind"],
        evidence=payload["evidence"],
        confidence=float(payload["confidence"]),
        why=payload.get("why") or "",
        licensor=party(payload.get("licensor")),
        licensee=party(payload.get("licensee")),
        subject=party(payload.get("subject")),
        parties=tuple(Party(p["name"], p.get("company_id")) for p in payload.get("parties", [])),
        asset=payload.get("asset"),
        territory=payload.get("territory"),
        period=payload.get("period"),
        figures=tuple(ProposedFigure(**f) for f in payload.get("figures", [])),
        royalty=payload.get("royalty"),
        stage=payload.get("stage"),
        evidence_of=dict(payload.get("evidence_of") or {}),
        origin=payload.get("origin") or "rules",
        notes=tuple(Note(**n) for n in payload.get("notes", [])),
    )


def proposed_figure(role: str, amount: Amount, year: int | None) -> ProposedFigure:
    """A figure in its own currency, with USD from the text if stated, else from the rate table."""
    if amount.stated_usd is not None:
        usd, basis = amount.stated_usd, "stated"
    else:
        try:
            usd, basis = to_usd(Money(amount.value, amount.currency), year)
        except BadInput:
            usd, basis = None, None
    return ProposedFigure(role, amount.value, amount.currency, usd, basis, amount.approx)

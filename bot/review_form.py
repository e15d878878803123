"""The correction form of ``/review``: what it shows prefilled, and which edits a submit makes.

A Discord form holds at most five text inputs, so a deal shows licensor, licensee, asset, date
and one amounts line ("upfront=$50m; total=undisclosed"); other kinds show the company instead
of the two parties. Only what the reviewer changed is sent as an edit: an untouched party keeps
the company it was matched to, and an untouched amount keeps its exact value and hedge.
"""

from __future__ import annotations

import re

from briefs.errors import BadInput
from briefs.ingest.extract import Proposal, ProposedFigure
from briefs.ingest.review import TERM_EDITS
from briefs.model import DEAL_KINDS

TERM_SEPARATORS = re.compile(r"[;\n]")
TERM_PAIR = re.compile(r"^\s*(?P<role>[A-Za-z]+)\s*[=:]\s*(?P<amount>.+?)\s*$")
SCALES = ((1e9, "bn"), (1e6, "m"), (1e3, "k"))
UNDISCLOSED = "undisclosed"


def form_fields(proposal: Proposal) -> dict[str, str]:
    """The form's inputs, by edit name, prefilled with what was proposed ("" when unknown)."""

    def name(party) -> str:
        return party.name if party is not None else ""

    if proposal.kind in DEAL_KINDS:
        fields = {"licensor": name(proposal.licensor), "licensee": name(proposal.licensee)}
    else:
        fields = {"subject": name(proposal.subject)}
    fields["asset"] = proposal.asset or ""
    fields["period"] = proposal.period or ""
    fields["amounts"] = terms_text(proposal)
    return fields


def terms_text(proposal: Proposal) -> str:
    """The deal terms as one editable line, exact enough to read back unchanged."""
    return "; ".join(f"{f.role}={amount_text(f)}" for f in proposal.figures if f.role in TERM_EDITS)


def amount_text(figure: ProposedFigure) -> str:
    """An amount the amount parser reads back to the same value: $40m, CNY 3.5bn, undisclosed."""
    if not figure.disclosed or figure.value is None:
        return UNDISCLOSED
    prefix = "$" if figure.unit == "USD" else f"{figure.unit} "
    for scale, suffix in SCALES:
        if abs(figure.value) >= scale:
            return f"{prefix}{figure.value / scale:.12g}{suffix}"
    return f"{prefix}{figure.value / 1e3:.12g}k"  # an amount always states its scale


def parse_terms(text: str) -> dict[str, str]:
    """ "upfront=$50m; total=undisclosed" -> {"upfront": "$50m", "total": "undisclosed"}.

    Amounts themselves are checked when the proposal is approved (one parser for every
    interface); here only the shape and the roles are.
    """
    terms: dict[str, str] = {}
    for piece in TERM_SEPARATORS.split(text):
        if not piece.strip():
            continue
        pair = TERM_PAIR.match(piece)
        if pair is None:
            raise BadInput(
                f"{piece.strip()!r} is not role=amount", code="bad_terms", value=piece.strip()
            )
        role = pair["role"].lower()
        if role not in TERM_EDITS:
            raise BadInput(f"{role} cannot be edited here", code="bad_edit", value=role)
        terms[role] = pair["amount"]
    return terms


def edits_from(prefilled: dict[str, str], typed: dict[str, str]) -> dict[str, str]:
    """The approve edits a submitted form asks for: fields and amounts that differ from what
    was prefilled. An emptied field is not an edit: a proposal's field cannot be unset here."""
    edits: dict[str, str] = {}
    for name, value in typed.items():
        if name == "amounts":
            before = parse_terms(prefilled.get("amounts", ""))
            for role, amount in parse_terms(value).items():
                if before.get(role) != amount:
                    edits[role] = amount
        elif value.strip() and value.strip() != prefilled.get(name, ""):
            edits[name] = value.strip()
    return edits

"""The correction form of ``/review``: what it shows prefilled, and which edits a submit makes.

A Discord form holds at most five text inputs, so a deal shows licensor, licensee, asset, date
and one box of ``name=value`` corrections, prefilled with the amounts ("upfront=$50m;
total=undisclosed"), where any other field of ``fact add`` (royalty, sector, status, stage,
counterparty...) and "new company=Acme (China)" may be added; other kinds show the company
instead of the two parties. Only what the reviewer changed is sent as a correction: an untouched
party keeps the company it was matched to, and an untouched amount keeps its exact value and
hedge. The box is read by ``briefs.actions.review.parse_corrections``, as the shell prompt is.
"""

from __future__ import annotations

from briefs.actions.facts import TERM_ROLES, UNDISCLOSED, FactForm
from briefs.actions.review import NewCompany, parse_corrections
from briefs.ingest.proposal import Proposal, ProposedFigure
from briefs.model import DEAL_KINDS

SCALES = ((1e9, "bn"), (1e6, "m"), (1e3, "k"))


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
    return "; ".join(f"{f.role}={amount_text(f)}" for f in proposal.figures if f.role in TERM_ROLES)


def amount_text(figure: ProposedFigure) -> str:
    """An amount the amount parser reads back to the same value: $40m, CNY 3.5bn, undisclosed."""
    if not figure.disclosed or figure.value is None:
        return UNDISCLOSED
    prefix = "$" if figure.unit == "USD" else f"{figure.unit} "
    for scale, suffix in SCALES:
        if abs(figure.value) >= scale:
            return f"{prefix}{figure.value / scale:.12g}{suffix}"
    return f"{prefix}{figure.value / 1e3:.12g}k"  # an amount always states its scale


def edits_from(
    prefilled: dict[str, str], typed: dict[str, str]
) -> tuple[FactForm, list[NewCompany]]:
    """The corrections a submitted form asks for: fields and amounts that differ from what was
    prefilled, and the companies to create. An emptied field is not a correction: a proposal's
    field cannot be unset here."""
    before, _ = parse_corrections(prefilled.get("amounts", ""))
    more, created = parse_corrections(typed.get("amounts", ""))
    changed = {
        name: value for name, value in more.given().items() if before.given().get(name) != value
    }
    for name, value in typed.items():
        if name != "amounts" and value.strip() and value.strip() != prefilled.get(name, ""):
            changed[name] = value.strip()
    return FactForm.of(changed), created

"""One proposal per deal when both extractors read a document.

The rules and the model may both find a deal: the same kind between the same parties is one
proposal, marked as proposed by both. Where they disagree on a field, the rules' value stands
and a note carries the model's, so the reviewer sees both and which extractor said which.
"""

from __future__ import annotations

from dataclasses import replace

from ..money import format_amount
from ..text import normalize_name
from .proposal import Note, Party, Proposal, ProposedFigure

COMPARED = ("licensor", "licensee", "asset", "territory", "stage", "royalty")


def deal_key(proposal: Proposal) -> tuple[str, frozenset[str]]:
    """What makes two proposals one deal: the kind and the parties' folded names."""
    names = (p.name for p in (proposal.licensor, proposal.licensee, *proposal.parties) if p)
    return proposal.kind, frozenset(normalize_name(n) for n in names)


def merge(rules: list[Proposal], model: list[Proposal]) -> list[Proposal]:
    """The rules' proposals, each joined by the model's reading of the same deal, then the
    deals only the model found."""
    merged = list(rules)
    where = {deal_key(p): i for i, p in enumerate(merged)}
    for proposal in model:
        index = where.get(deal_key(proposal))
        if index is None:
            where[deal_key(proposal)] = len(merged)
            merged.append(proposal)
        else:
            merged[index] = combine(merged[index], proposal)
    return merged


def combine(rules: Proposal, model: Proposal) -> Proposal:
    """The rules' proposal with what only the model found filled in, and a note per field on
    which the two disagree."""
    notes = list(rules.notes) + list(model.notes)
    fields: dict[str, object] = {}
    for name in COMPARED:
        ours, theirs = getattr(rules, name), getattr(model, name)
        if ours is None:
            fields[name] = theirs
        elif theirs is not None and _shown(ours) != _shown(theirs):
            notes.append(Note("disagree", name, _shown(theirs), _shown(ours)))
    figures = list(rules.figures)
    for figure in model.figures:
        own = rules.figure(figure.role)
        if own is None:
            figures.append(figure)
        elif (own.value, own.unit) != (figure.value, figure.unit):
            notes.append(Note("disagree", figure.role, _amount(figure), _amount(own)))
    return replace(
        rules,
        **fields,
        figures=tuple(figures),
        origin="rules+model",
        notes=tuple(notes),
        confidence=max(rules.confidence, model.confidence),
    )


def _shown(value: object) -> str:
    """A field as compared and shown: a party by its folded name, so spelling is no dispute."""
    return normalize_name(value.name) if isinstance(value, Party) else str(value)


def _amount(figure: ProposedFigure) -> str:
    """An amount as a note shows it, in its own currency."""
    if figure.value is None:
        return "undisclosed"
    return format_amount(figure.value, figure.unit)

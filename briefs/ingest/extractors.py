"""Extraction as configured: the rules alone, or the rules and a model, merged.

The rules always run; the model is asked only when the settings name one, and whatever goes
wrong with it leaves the rules' proposals standing, with the reason in ``fallback``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .dates import dateline_date
from .extract import extract
from .grounding import DroppedDeal, ground
from .merge import merge
from .model_client import ModelUnavailable, ask_model
from .orgs import KnownNames
from .proposal import Proposal
from .settings import ExtractorSettings

RULES = ExtractorSettings()


@dataclass(frozen=True)
class Extraction:
    """What a document proposes, the model's deals that did not survive grounding, and why
    the model was not used (a ``ModelUnavailable`` reason) if it was asked and failed."""

    proposals: list[Proposal]
    dropped: list[DroppedDeal] = field(default_factory=list)
    fallback: str | None = None


def extract_document(
    text: str,
    *,
    known: KnownNames | None = None,
    published: date | None = None,
    settings: ExtractorSettings = RULES,
) -> Extraction:
    published = published or dateline_date(text)
    rules = extract(text, known=known, published=published)
    if not settings.uses_model:
        return Extraction(rules)
    try:
        deals = ask_model(text, settings)
    except ModelUnavailable as err:
        return Extraction(rules, fallback=err.reason)
    grounded = ground(deals, text, known or KnownNames(), published)
    return Extraction(merge(rules, grounded.proposals), grounded.dropped)

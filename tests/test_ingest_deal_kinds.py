"""The kind an article's headline or opening lines name is its one deal's kind, when the deal's
own sentence says no more than "licensed". Every example is written here."""

from __future__ import annotations

from datetime import date

from briefs.ingest.deal_kinds import kinds_named
from briefs.ingest.extract import extract

PUBLISHED = date(2025, 6, 2)


def kinds(text: str) -> list[str]:
    return [p.kind for p in extract(text, published=PUBLISHED) if p.licensor or p.parties]


def test_a_headline_naming_a_co_development_gives_the_deal_its_kind():
    text = (
        "Ostrava Biologics and Penhallow Labs to Co-Develop Inhaled Antiviral\n\n"
        "Ostrava Biologics has licensed its inhaled antiviral to Penhallow Labs for Europe."
    )
    assert kinds(text) == ["co_development"]


def test_an_out_licensing_named_in_capitals_is_an_out_licence():
    text = (
        "OUT-LICENSING OF A KIDNEY DRUG\n\n"
        "Ostrava Biologics has licensed its kidney drug to Penhallow Labs for Europe."
    )
    assert kinds(text) == ["out_licence"]


def test_a_kind_named_far_below_the_opening_is_not_taken():
    text = (
        "Ostrava Biologics has licensed its kidney drug to Penhallow Labs for Europe.\n\n"
        + "The drug lowers protein in the urine of patients with kidney disease. " * 12
        + "\n\nAnalysts said a co-development deal with a larger partner could follow."
    )
    assert kinds(text) == ["licence"]


def test_two_deals_keep_their_own_kinds():
    text = (
        "Ostrava Biologics co-development news\n\n"
        "Ostrava Biologics has licensed its kidney drug to Penhallow Labs for Europe. "
        "Separately, Quarrington Pharma has licensed its eye drop to Velsen Labs for Japan."
    )
    assert kinds(text) == ["licence", "licence"]


def test_the_kinds_a_text_names():
    assert kinds_named("An ASSET PURCHASE and two patent licence agreements") == {
        "asset_purchase",
        "patent_licence",
    }
    assert kinds_named("They set up a new company to make it.") == {"newco"}
    assert kinds_named("Ostrava licensed its drug.") == set()

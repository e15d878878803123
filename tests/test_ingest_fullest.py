"""The fullest name the article gives a company is the one proposed: a name cut at a Malaysian
"Sdn. Bhd.", a terminal ticker standing for the company, a name used without its company word
that the text spells out elsewhere, and a place of several words glued before a name. Every
example is written here."""

from __future__ import annotations

from datetime import date

from briefs.ingest.extract import extract

PUBLISHED = date(2025, 6, 2)


def roles(text: str) -> list[tuple[str | None, str | None]]:
    return [
        (p.licensor.name if p.licensor else None, p.licensee.name if p.licensee else None)
        for p in extract(text, published=PUBLISHED)
        if p.licensor or p.parties
    ]


def test_a_malaysian_legal_form_with_dots_stays_whole():
    text = (
        "Torvane Therapeutics has granted Kenanga Ubat Sdn. Bhd. an exclusive licence to "
        "sell its eye drop in Malaysia."
    )
    assert roles(text) == [("Torvane Therapeutics", "Kenanga Ubat Sdn. Bhd")]  # no final dot


def test_a_terminal_ticker_stands_for_the_company_it_follows():
    text = (
        "Pellham Orris Bio (PLOB US) - BUY\n\n"
        "PLOB has licensed its kinase inhibitor to Merrowind Pharma for Japan."
    )
    assert roles(text) == [("Pellham Orris Bio", "Merrowind Pharma")]


def test_a_name_without_its_company_word_is_spelled_out_from_elsewhere_in_the_text():
    text = (
        "Brisco has licensed its antifungal cream to Tallow Labs for Europe.\n\n"
        "Forward-looking statements\n\n"
        "Brisco Therapeutics cautions that its plans may change."
    )
    assert roles(text) == [("Brisco Therapeutics", "Tallow Labs")]


def test_a_place_of_several_words_glued_before_a_name_is_left_out():
    text = (
        "Wendmoor Biotech has granted Buenos Aires-based Quilmes Farma the rights to sell its "
        "vaccine in Argentina."
    )
    assert roles(text) == [("Wendmoor Biotech", "Quilmes Farma")]


def test_a_place_of_several_words_before_a_licensee_after_to():
    text = "Wendmoor Biotech licensed its vaccine to New York-listed Hollis Labs."
    assert roles(text) == [("Wendmoor Biotech", "Hollis Labs")]


def test_rights_to_a_product_named_bare_come_from_the_company_after_from():
    found = extract(
        "Tavel Pharma has acquired the global rights to Fenix, a cream, from Brule Pharma.",
        published=PUBLISHED,
    )
    assert [(p.licensor.name, p.licensee.name) for p in found if p.licensor and p.licensee] == [
        ("Brule Pharma", "Tavel Pharma")
    ]
    assert found[0].asset is not None and found[0].asset.startswith("Fenix")


def test_a_deal_reported_with_its_day_before_it_would_is_read():
    text = "Tavel Pharma said on Tuesday it would acquire the rights to its gel from Brule Pharma."
    assert roles(text) == [("Brule Pharma", "Tavel Pharma")]


def test_a_company_that_only_might_acquire_rights_proposes_nothing():
    text = "Tavel Pharma said on Tuesday it might acquire the rights to its gel from Brule Pharma."
    assert roles(text) == []

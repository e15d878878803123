"""A company is found, and the deal read, whatever describes it: a nationality or place, lowercase
trades joined by "and", "/" or commas, and a kind noun before the name, an apposition after the
other party, a reporting clause at the end. Every example is written here."""

from __future__ import annotations

from datetime import date

import pytest

from briefs.ingest.extract import extract

PUBLISHED = date(2025, 6, 2)


def roles(text: str) -> list[tuple[str | None, str | None]]:
    return [
        (p.licensor.name if p.licensor else None, p.licensee.name if p.licensee else None)
        for p in extract(text, published=PUBLISHED)
        if p.licensor
    ]


@pytest.mark.parametrize(
    ("text", "licensor", "licensee"),
    [
        (
            "Orvalis Biotech, the Belgian developer of antibody assays, has granted Japanese "
            "diagnostics and imaging company Kitamura Shoji an exclusive licence to the assay, the "
            "companies said on Monday.",
            "Orvalis Biotech",
            "Kitamura Shoji",
        ),
        (
            "Tessin Agro has licensed the fungicide to Argentine seed, grain and fertiliser group "
            "Pampa Norte S.A.",
            "Tessin Agro",
            "Pampa Norte S.A",
        ),
        (
            "Tessin Agro has licensed the fungicide to Spanish crop-protection/seed company "
            "Agrovera S.L.",
            "Tessin Agro",
            "Agrovera S.L",
        ),
        (
            "Lindqvist Enzymes granted the Norwegian aquaculture and pet feed producer Havbruk AS "
            "a licence to the enzyme.",
            "Lindqvist Enzymes",
            "Havbruk AS",
        ),
        (
            "Halden Therapeutics has licensed the antibody to the Swiss contract development and "
            "manufacturing organisation Brunnwald AG.",
            "Halden Therapeutics",
            "Brunnwald AG",
        ),
    ],
)
def test_a_long_description_before_the_other_party(text: str, licensor: str, licensee: str) -> None:
    assert roles(text) == [(licensor, licensee)]


def test_a_description_never_reaches_back_past_a_preposition() -> None:
    """ "from a deal with Indian drugmaker B": B is the partner named after "with", and the words
    before the describing noun are no description of it."""
    text = (
        "Quillon Labs gained the compound from a deal with Indian drugmaker Sarvam Pharma, "
        "which licensed it to Quillon Labs."
    )
    assert ("Quillon Labs", "Sarvam Pharma") not in roles(text)


@pytest.mark.parametrize(
    ("text", "licensor", "licensee"),
    [
        (
            "Chilean fruit and seed producer Valdivia Semillas said it would plant the trait next "
            "year. Lorentz Crop Science has licensed the trait to the Chilean producer.",
            "Lorentz Crop Science",
            "Valdivia Semillas",
        ),
        (
            "Taiwanese memory and packaging group Hsinlan said it would adopt the process. "
            "Ostergaard Bonding has licensed its patents to the Taiwanese group.",
            "Ostergaard Bonding",
            "Hsinlan",
        ),
        (
            "Hsinlan said it would adopt the process. Ostergaard Bonding, a Danish bonding, "
            "debonding and metrology specialist, opened talks in May. Hsinlan has licensed the "
            "patents from the Danish specialist.",
            "Ostergaard Bonding",
            "Hsinlan",
        ),
    ],
)
def test_a_long_description_is_remembered_for_a_later_mention(
    text: str, licensor: str, licensee: str
) -> None:
    assert roles(text) == [(licensor, licensee)]


@pytest.mark.parametrize(
    "text",
    [
        "Tamsin Pharma plc said that it has taken exclusive worldwide rights, excluding the U.S., "
        "to QX-44, Brackley Bio's oral peptide, for lupus.",
        "Tamsin Pharma plc announced today that it has taken exclusive rights, outside the U.K., "
        "to QX-44, Brackley Bio, Inc.'s oral peptide.",
    ],
)
def test_a_territory_left_out_between_commas_is_set_aside(text: str) -> None:
    assert len(roles(text)) == 1
    licensor, licensee = roles(text)[0]
    assert licensor is not None and licensor.startswith("Brackley Bio")
    assert licensee == "Tamsin Pharma plc"


def test_a_city_description_stands_for_a_company_introduced_by_its_country() -> None:
    text = (
        "Germany's Lindenhof Pharma AG has agreed to co-develop the drug with Vance Bio. The "
        "Munich-based drugmaker said it had licensed the rights to Korean drugmaker Hanul Pharma."
    )
    assert ("Lindenhof Pharma AG", "Hanul Pharma") in roles(text)


def test_a_city_description_fitting_two_companies_of_its_country_stands_for_neither() -> None:
    text = (
        "Germany's Lindenhof Pharma AG and Berlin-based Spree Bio have agreed to co-develop the "
        "drug. The Munich-based drugmaker said it had licensed the rights to Korean drugmaker "
        "Hanul Pharma."
    )
    assert roles(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Under the second agreement, Harrowgate Bio Ltd. of Leeds, England, receives a licence "
        "from Zeeland Vaccines to manufacture the vaccine.",
        "Harrowgate Bio Ltd. of Leeds, England, has licensed the vaccine from Zeeland Vaccines.",
    ],
)
def test_a_city_and_country_after_the_subject_are_read_past(text: str) -> None:
    assert roles(text) == [("Zeeland Vaccines", "Harrowgate Bio Ltd")]


@pytest.mark.parametrize(
    "noun", ["conglomerate", "pharma giant", "foundry", "systems integrator", "seed house"]
)
def test_kind_nouns_of_trades_and_size_describe_the_name_after_them(noun: str) -> None:
    text = f"Pellworth Labs has licensed the compound to Austrian {noun} Grauwald AG."
    assert roles(text) == [("Pellworth Labs", "Grauwald AG")]


def test_a_possessive_place_of_two_words_and_a_description_before_the_licensee() -> None:
    text = (
        "Quarrington Bio has licensed the antibody to South Africa's cell and gene therapy "
        "developer Umhlanga Biologics."
    )
    assert roles(text) == [("Quarrington Bio", "Umhlanga Biologics")]


def test_a_place_after_a_company_and_of_is_no_company() -> None:
    text = (
        "Austria's Lindberg Chemical and Vosskamp Werkstoffe of Mannheim will jointly develop "
        "sodium cathodes under an agreement announced Monday."
    )
    assert [sorted(x.name for x in p.parties) for p in extract(text, published=PUBLISHED)] == [
        ["Lindberg Chemical", "Vosskamp Werkstoffe"]
    ]

"""References a story makes to a company named earlier: the sayer's "its", a description ("the
Swiss drugmaker", "the institute"), an investor beside the contributor of a NewCo, a subsidiary
signing for its parent. Every example is written here, with invented companies."""

from __future__ import annotations

import pytest
from test_ingest_cued_roles import roles

from briefs.ingest.extract import _companies
from briefs.ingest.orgs import DocumentNames


@pytest.mark.parametrize(
    "sentence",
    [
        "Ostrava-based Kelvar Pharma said on Tuesday that Brindle Therapeutics would take global "
        "rights to its experimental antibody KP-12.",
        "Kelvar Pharma said on Friday that Brindle Therapeutics is taking exclusive rights to its "
        "antibody KP-12.",
        "Kelvar Pharma said Brindle Therapeutics, a Denver drug developer that until recently "
        "worked mostly on kidney disease, would take rights outside Japan to its antibody KP-12.",
        "Kelvar Pharma said on Monday that Brindle Therapeutics would in-license its antibody "
        "KP-12 for Europe.",
        "Kelvar Pharma said in a statement that Brindle Therapeutics had taken rights to its "
        "antibody KP-12.",
        "According to Kelvar Pharma, Brindle Therapeutics will take global rights to its "
        "antibody KP-12.",
        "Kelvar Pharma, which is listed in Prague, said Brindle Therapeutics would take global "
        "rights to its antibody KP-12.",
        "Kelvar Pharma told investors that Brindle Therapeutics would take global rights to its "
        "antibody KP-12.",
        "Kelvar Pharma said in a filing on Monday that Brindle Therapeutics would take global "
        "rights to its antibody KP-12.",
        "Kelvar Pharma said Brindle Therapeutics would become the exclusive licensee of its "
        "antibody KP-12.",
        "Kelvar Pharma said on Monday that Brindle Therapeutics had become a licensee of its "
        "antibody KP-12.",
        "Kelvar Pharma, a Czech biotech, has spent a decade on KP-12. The biotech said on "
        "Tuesday that it had found a partner: Brindle Therapeutics is taking worldwide rights "
        "to KP-12.",
    ],
)
def test_its_after_a_sayer_is_the_sayers(sentence: str) -> None:
    assert roles(sentence) == [("Kelvar Pharma", "Brindle Therapeutics")]


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "Tallgren Batteri AB, the Swedish cell maker, said it would co-develop cells with "
            "South Korea's Hwado Energy Co. Tallgren will license its electrolyte know-how to "
            "the Korean group for production in Asia.",
            ("Tallgren Batteri AB", "Hwado Energy Co"),
        ),
        (
            "Tallgren Batteri AB said it would co-develop cells with South Korea's Hwado Energy "
            "Co. Tallgren will license its electrolyte know-how to the South Korean firm.",
            ("Tallgren Batteri AB", "Hwado Energy Co"),
        ),
        (
            "Lausanne-based Corvenne Pharma AG posted results on Monday. Separately, Ostrick "
            "Labs Inc said it had agreed to license its imaging software to the Swiss drugmaker.",
            ("Ostrick Labs Inc", "Corvenne Pharma AG"),
        ),
        (
            "Verano Chem SpA of Turin, Italy, and Halvik Bio said they would work together. "
            "Halvik will license its enzyme patents to the Italian company.",
            ("Halvik Bio", "Verano Chem SpA"),
        ),
        (
            "Pardo Devices said on Monday it had signed a licence with the Institut Mervalien de "
            "Neurologie. The institute has granted Pardo an exclusive licence to its electrode "
            "patents.",
            ("Institut Mervalien de Neurologie", "Pardo Devices"),
        ),
    ],
)
def test_a_description_stands_for_the_company_introduced_with_it(
    text: str, wanted: tuple[str, str]
) -> None:
    assert roles(text) == [wanted]


def test_a_country_s_people_are_no_company_of_their_own() -> None:
    text = (
        "Kolby Enzymes ApS of Aarhus, Denmark, has signed an agreement with Rinaldi Foods SpA. "
        "The Danes will license their enzyme patents to Rinaldi."
    )
    assert roles(text) == [("Kolby Enzymes ApS", "Rinaldi Foods SpA")]


def test_a_country_s_people_stand_for_its_company() -> None:
    text = (
        "Fjellby Cells ASA of Bergen, Norway, and Kuroda Denki said they would build cells "
        "together. Kuroda will license its anode patents to the Norwegians."
    )
    assert roles(text) == [("Kuroda Denki", "Fjellby Cells ASA")]


def test_a_description_two_companies_fit_stands_for_neither() -> None:
    text = (
        "Korean cell maker Hwado Energy Co and Korean cell maker Miryang Cells Co reported "
        "results on Monday. Separately, Tallgren Batteri AB will license its electrolyte "
        "know-how to the Korean cell maker."
    )
    assert all(licensee is None for _licensor, licensee in roles(text))


def test_the_founder_beside_an_investor_licenses_to_the_newco() -> None:
    text = (
        "Kestova Biotech Co., Ltd. joined with Boston investment firm Marlow Peak to launch "
        "Ondra Bio, a new company that will take global rights to KV-22, an antibody for "
        "gastric cancer."
    )
    assert roles(text) == [("Kestova Biotech Co., Ltd", "Ondra Bio")]


def test_an_investor_launching_a_newco_alone_licenses_nothing() -> None:
    text = "Marlow Peak Capital will launch Ondra Bio, a new company that will develop KV-22."
    assert roles(text) == []


def test_the_subsidiary_that_signs_and_grants_is_the_party() -> None:
    text = (
        'This announcement is made by Qinglan Medical Holdings Limited (the "Company") on a '
        "voluntary basis.\n\n"
        "The Board is pleased to announce that on 3 March 2025, Qinglan Biologics (Wuxi) Co., "
        'Ltd. ("Qinglan Wuxi"), an indirect wholly-owned subsidiary of the Company, entered into '
        'a licence agreement (the "Agreement") with Orsola Pharma S.p.A. ("Orsola" or the '
        '"Licensee").\n\n'
        "Pursuant to the Agreement, Qinglan Wuxi has granted to the Licensee an exclusive "
        "licence to develop and commercialise QL-77 in Europe."
    )
    assert roles(text) == [("Qinglan Biologics (Wuxi) Co., Ltd", "Orsola Pharma S.p.A")]


def test_a_subsidiary_with_a_name_of_its_own_stays_a_party_of_its_sentence() -> None:
    sentence = (
        'On 3 March 2025, Qinglan Biologics (Wuxi) Co., Ltd. ("Qinglan Wuxi"), a wholly-owned '
        "subsidiary of Qinglan Medical Holdings Limited, entered into a licence agreement with "
        "Orsola Pharma S.p.A."
    )
    names = DocumentNames(None, sentence)
    found = [m.org.name for m in _companies(sentence, names.find(sentence))]
    assert found[0] == "Qinglan Biologics (Wuxi) Co., Ltd"


def test_an_affiliate_named_only_beside_its_parent_gives_way_to_it() -> None:
    sentence = (
        "Orsola Pharma S.p.A. sold shares to Qinglan Capital (HK) Limited, an affiliate of "
        "Qinglan Medical Holdings Limited, on Monday."
    )
    names = DocumentNames(None, sentence)
    found = [m.org.name for m in _companies(sentence, names.find(sentence))]
    assert "Qinglan Capital (HK) Limited" not in found


def test_a_defined_common_word_names_the_company_only_as_written() -> None:
    text = (
        'Qinglan Medical Holdings Limited (the "Company") signed with Orsola Pharma S.p.A., a '
        "company incorporated in Italy."
    )
    names = DocumentNames(None, text)
    assert [m.org.name for m in names.find(text)] == [
        "Qinglan Medical Holdings Limited",
        "Orsola Pharma S.p.A",
    ]


def test_the_biotech_is_the_one_company_whose_name_says_so() -> None:
    text = (
        "Kelvar Bio has worked on KP-12 with Aurelio Pharma AG since 2021. Instead, the biotech "
        "said on Tuesday that it had lined up a replacement: Seoul-based Daejin Pharm is taking "
        "worldwide rights to KP-12."
    )
    assert roles(text) == [("Kelvar Bio", "Daejin Pharm")]


def test_rights_a_reported_taker_takes_from_a_third_company_are_the_third_s() -> None:
    text = (
        "According to Kelvar Pharma, Brindle Therapeutics will take global rights to KP-12 "
        "from Olvan Bio."
    )
    assert roles(text) == [("Olvan Bio", "Brindle Therapeutics")]


def test_the_biotech_stands_for_neither_of_two_biotechs() -> None:
    text = (
        "Kelvar Bio and Mossgrove Therapeutics reported results on Monday. The biotech said "
        "Daejin Pharm would take worldwide rights to KP-12."
    )
    assert roles(text) == []


def test_a_place_glued_before_a_name_in_apposition_is_no_part_of_it() -> None:
    sentence = (
        "Lyon-based Marvin Optics, a maker of lidar lenses for delivery robots, has signed a "
        "licence for Ostrick Labs' calibration software."
    )
    names = DocumentNames(None, sentence)
    assert [m.org.name for m in names.find(sentence)] == ["Marvin Optics", "Ostrick Labs"]


def test_the_owner_named_in_the_subject_of_a_passive_licence_is_its_licensor() -> None:
    text = (
        "A laser module small enough to fit in a phone, developed over six years in the labs of "
        "Lyon's Pelletier Optique, has been licensed by Marwood Devices for use in Canada."
    )
    assert roles(text) == [("Pelletier Optique", "Marwood Devices")]


def test_a_passive_taker_that_licenses_on_to_another_is_its_giver() -> None:
    text = (
        "The sensor platform of Pelletier Optique, has been licensed by Marwood Devices to "
        "Olvan Bio."
    )
    assert roles(text) == [("Marwood Devices", "Olvan Bio")]


def test_the_sector_a_company_belongs_to_is_not_the_company() -> None:
    names = DocumentNames(None, "")
    names.find("Kelvar Bio reported results on Monday.")
    sentence = "Olvan Pharma said the biotech sector would welcome the licence."
    assert [m.org.name for m in names.find(sentence)] == ["Olvan Pharma"]

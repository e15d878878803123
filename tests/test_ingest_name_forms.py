"""Name forms from many countries: the fullest name a sentence gives a company, with its legal
tail, the small words and capitals inside it, company words of other languages, institutions,
and a defined term after a name in two scripts. Every example is invented here."""

from __future__ import annotations

from briefs.ingest.evaluate import values_of_label
from briefs.ingest.orgs import DocumentNames


def names_in(sentence: str) -> list[str]:
    return [m.org.name for m in DocumentNames(None, sentence).find(sentence)]


def folded(name: str) -> str | None:
    return values_of_label({"kind": "licence", "licensor": name})["licensor"]  # type: ignore[return-value]


def test_a_connector_inside_a_name_keeps_it_whole() -> None:
    assert names_in("Torvane Bio signed with Viveros del Ocaso S.A. on Monday.") == [
        "Torvane Bio",
        "Viveros del Ocaso S.A",
    ]
    assert names_in("The rights went to Huis van Brakel Seeds last week.") == [
        "Huis van Brakel Seeds"
    ]


def test_a_company_named_bare_keeps_its_connector() -> None:
    assert names_in("The rights were licensed to Casa van Dorne by Kelso Bio.") == [
        "Casa van Dorne",
        "Kelso Bio",
    ]


def test_a_capital_that_starts_no_name_may_stand_inside_one() -> None:
    sentence = "In the first, Shenzhen Qirun New Energy, a cell maker, took the licence."
    assert names_in(sentence) == ["Shenzhen Qirun New Energy"]
    assert names_in("New Energy shares rose.") == []
    assert names_in("Sales of 2030 New Energy models will rise.") == []


def test_company_words_of_other_languages_end_a_name() -> None:
    assert names_in("French start-up Pelloux Énergie has signed the licence.") == [
        "Pelloux Énergie"
    ]
    assert names_in("The licence went to Marbella Salud and Okuda Kogyo.") == [
        "Marbella Salud",
        "Okuda Kogyo",
    ]


def test_short_company_words_of_korea_and_japan_end_a_name() -> None:
    assert names_in("The patents of Hwajin Pharm and Nakano Kagaku were sold.") == [
        "Hwajin Pharm",
        "Nakano Kagaku",
    ]


def test_a_name_opened_by_a_company_word_is_whole() -> None:
    sentence = "Ostrava Ceramics will buy the patents of Verrières Douces Arlan SAS, it said."
    assert names_in(sentence) == ["Ostrava Ceramics", "Verrières Douces Arlan SAS"]
    assert names_in("The patents of Farmacéutica Altamira SA were sold.") == [
        "Farmacéutica Altamira SA"
    ]


def test_an_institution_keeps_its_full_foundation_name() -> None:
    sentence = (
        "The patch was licensed from the Gyeol University Industry-Academic Cooperation Foundation."
    )
    assert names_in(sentence) == ["Gyeol University Industry-Academic Cooperation Foundation"]


def test_legal_tails_of_many_countries_fold_away() -> None:
    for written in (
        "Kaveri Cells Pvt. Ltd.",
        "Kaveri Cells Private Limited",
        "Kaveri Cells Ltda.",
        "Kaveri Cells Sdn. Bhd.",
        "Kaveri Cells Tbk",
        "Kaveri Cells GmbH & Co. KG",
        "Kaveri Cells S.A. de C.V.",
        "Kaveri Cells A.Ş.",
    ):
        assert folded(written) == "kaveri cells", written


def test_dotted_legal_tails_of_turkey_and_mexico_stay_on_the_name() -> None:
    assert names_in("Kelso Bio signed with Yesilkoy Kimya A.Ş. last week.") == [
        "Kelso Bio",
        "Yesilkoy Kimya A.Ş",
    ]
    assert names_in("Kelso Bio signed with Loma Salud S.A. de C.V. and PT Rinjani Farma Tbk.") == [
        "Kelso Bio",
        "Loma Salud S.A. de C.V",
        "Rinjani Farma Tbk",
    ]


def test_a_defined_term_after_a_name_in_two_scripts_with_a_city_in_brackets() -> None:
    sentence = (
        'On that day, Meiran Biologics (Ningbo) Co., Ltd. (美然生物(宁波)有限公司) ("Meiran Ningbo" '
        'or the "Licensee"), a subsidiary of the Company, entered into the agreement.'
    )
    names = DocumentNames(None, sentence)
    (mention,) = names.find(sentence)
    later = names.find("The Licensee will pay the fee.")
    assert [m.org for m in later] == [mention.org]


def test_a_nationality_before_a_name_describes_the_company() -> None:
    assert names_in("Estonian Vellaro Diagnostics took a licence from Ormund Labs.") == [
        "Vellaro Diagnostics",
        "Ormund Labs",
    ]
    # a nationality with only a company word after it is the name itself
    assert names_in("The rights went to Nordic Bioscience in May.") == ["Nordic Bioscience"]


def test_free_zone_legal_tails_fold_away_whole() -> None:
    for written in ("Marrak Sensors FZ-LLC", "Marrak Sensors FZE", "Marrak Sensors FZCO"):
        assert folded(written) == "marrak sensors", written
    assert names_in("Marrak Sensors FZ-LLC signed with Tollund Optics AS.") == [
        "Marrak Sensors FZ-LLC",
        "Tollund Optics AS",
    ]


def test_dotted_legal_tails_of_central_and_eastern_europe_stay_on_the_name() -> None:
    for written in (
        "Wislana Optika Sp. z o.o.",
        "Wislana Optika S.R.L.",
        "Wislana Optika d.o.o.",
        "Wislana Optika s.r.o.",
        "Wislana Optika Kft.",
    ):
        found = names_in(f"Kelso Bio has signed a licence for {written}'s sensor.")
        assert found[0] == "Kelso Bio", written
        assert found[1].startswith("Wislana Optika "), (written, found)

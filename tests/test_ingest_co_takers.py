"""One licensor, several takers told together: each taker listed with the licensee is a deal of
its own, with the same licensor and kind, and terms only where the sentence gives each its own.
Every example is written here."""

from __future__ import annotations

from datetime import date

import pytest

from briefs.ingest.extract import extract
from briefs.ingest.takers import co_takers

PUBLISHED = date(2025, 6, 2)


def deals(text: str) -> list[tuple[str | None, str | None, str]]:
    return [
        (p.licensor.name if p.licensor else None, p.licensee.name if p.licensee else None, p.kind)
        for p in extract(text, published=PUBLISHED)
        if p.licensor
    ]


def test_a_licence_to_three_listed_takers_is_three_deals() -> None:
    text = (
        "Norvik Labs Inc. has licensed its coating technology to Alder Corp., Brisk Inc. "
        "and Cole Ltd., it said on Monday."
    )
    assert deals(text) == [
        ("Norvik Labs Inc", "Alder Corp", "licence"),
        ("Norvik Labs Inc", "Brisk Inc", "licence"),
        ("Norvik Labs Inc", "Cole Ltd", "licence"),
    ]


def test_the_terms_stay_with_the_taker_the_sentence_gives_them_to() -> None:
    text = (
        "Norvik Labs Inc. has licensed its coating technology to Alder Corp. and Brisk Inc. "
        "for an upfront payment of $4 million."
    )
    found = extract(text, published=PUBLISHED)
    takers = {p.licensee.name: p for p in found if p.licensee}
    assert set(takers) == {"Alder Corp", "Brisk Inc"}
    assert not takers["Brisk Inc"].figures


def test_a_list_holding_the_licensor_is_not_a_list_of_takers() -> None:
    marked = "An agreement between ⟨0⟩ and ⟨1⟩ gives ⟨1⟩ rights."
    assert co_takers(marked, licensee=1, licensor=0) == []


def test_a_list_after_each_is_the_takers_though_no_to_comes_before() -> None:
    marked = "⟨0⟩ said ⟨1⟩ of Chile, ⟨2⟩ and ⟨3⟩ have each taken licences to its sensor."
    assert co_takers(marked, licensee=1, licensor=0) == [2, 3]


def test_companies_joined_by_and_without_a_taker_cue_are_left_alone() -> None:
    marked = "⟨0⟩ licensed its sensor to ⟨1⟩ after ⟨2⟩ and ⟨3⟩ passed."
    assert co_takers(marked, licensee=1, licensor=0) == []


def test_one_more_taker_after_an_opening_phrase_takes_from_the_same_licensor() -> None:
    text = (
        "Talvik Semitech Co. has licensed its bonding patents to Norden Microsystems. "
        "In a separate agreement signed days later, Kyoto-based Orimo Devices Co., Ltd. "
        "obtained a licence under the same family of patents."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Talvik Semitech Co", "Norden Microsystems"),
        ("Talvik Semitech Co", "Orimo Devices Co., Ltd"),
    ]


def test_a_taker_alone_after_an_opening_phrase_and_its_place_takes_from_the_subject() -> None:
    text = (
        "Hollin Biologics Co. has signed two out-licensing deals this week. "
        "In the larger of the two, Boston-based Farrow Oncology will take exclusive rights "
        "outside Greater China to HB-1902, a bispecific antibody."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Hollin Biologics Co", "Farrow Oncology")
    ]


def test_listed_takers_are_one_side_for_the_cues_of_direction() -> None:
    text = (
        "Harlow Seeds Ltd, Brisk Inc. and Cole Ltd. have each taken licences to "
        "Pemberton Genomics' drought trait."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Pemberton Genomics", "Harlow Seeds Ltd"),
        ("Pemberton Genomics", "Brisk Inc"),
        ("Pemberton Genomics", "Cole Ltd"),
    ]


def test_a_possessive_after_and_names_an_owner_not_a_taker() -> None:
    marked = "⟨0⟩ licensed its sensor to ⟨1⟩ and ⟨2⟩'s unit."
    assert co_takers(marked, licensee=1, licensor=0) == []


def test_licensees_listed_after_the_licence_are_each_a_deal_of_its_licensor() -> None:
    text = (
        "Lindqvist Optronics AB has licensed its lens-moulding patents to three camera makers, "
        "the company said on Monday.\n"
        "The licensees are Japan's Harune Imaging Corp., the Singapore-based module maker "
        "Tanjong Vision & Sensing Pte. Ltd., and Volkmar Kamera GmbH, a Jena start-up."
    )
    assert deals(text) == [
        ("Lindqvist Optronics AB", "Harune Imaging Corp", "licence"),
        ("Lindqvist Optronics AB", "Tanjong Vision & Sensing Pte. Ltd", "licence"),
        ("Lindqvist Optronics AB", "Volkmar Kamera GmbH", "licence"),
    ]


def test_licensees_named_without_a_licence_before_them_are_no_deal() -> None:
    text = "Harune Imaging Corp. makes camera modules. The licensees are not named."
    assert deals(text) == []


def test_takers_listed_with_their_places_between_semicolons_are_each_a_deal() -> None:
    text = (
        "Ostrava Membranes has licensed its filter process to three producers: Pellam "
        "Chemicals Ltd. of Leeds, England; Sunwoo Materials Co., Ltd. of Ulsan, South Korea; "
        "and Ferrando S.r.l. of Genoa, Italy."
    )
    assert [licensee for _, licensee, _ in deals(text)] == [
        "Pellam Chemicals Ltd",
        "Sunwoo Materials Co., Ltd",
        "Ferrando S.r.l",
    ]


def test_one_company_signing_licence_agreements_with_several_grants_to_each() -> None:
    text = (
        "Ostrava Membranes said it has signed licence agreements with two producers: "
        "Pellam Chemicals Ltd. of Leeds, England; and Ferrando S.r.l. of Genoa, Italy."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Ostrava Membranes", "Pellam Chemicals Ltd"),
        ("Ostrava Membranes", "Ferrando S.r.l"),
    ]


def test_licence_agreements_with_a_university_leave_the_direction_open() -> None:
    text = "Ostrava Membranes has signed licence agreements with Pellam University and Corin Ltd."
    assert deals(text) == []


def test_takers_counted_then_named_one_by_one_each_take_from_the_licensor() -> None:
    text = (
        "Velmar Catalysts AG, the Basel firm behind a low-pressure ammonia route, has licensed "
        "the technology to three new partners.\n"
        "Orenda Fertilisers Ltd., a Kenyan producer, will use the process at its Mombasa plant. "
        "Separately, Chilean miner Pampa Quimica S.A. has obtained the rights to run the "
        "process in Chile."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Velmar Catalysts AG", "Orenda Fertilisers Ltd"),
        ("Velmar Catalysts AG", "Pampa Quimica S.A"),
    ]


def test_a_company_using_a_process_is_no_taker_without_takers_counted_before() -> None:
    text = (
        "Velmar Catalysts AG has opened a plant near Basel.\n"
        "Orenda Fertilisers Ltd., a Kenyan producer, will use the process at its Mombasa plant."
    )
    assert deals(text) == []


def test_takers_after_a_count_and_a_colon_with_places_in_brackets_are_each_a_deal() -> None:
    text = (
        "Ostrava Membranes has licensed its filter process to three producers: Pellam "
        "Chemicals Ltd. (England), Sunwoo Materials Co. (South Korea) and Ferrando S.r.l. (Italy)."
    )
    assert [licensee for _, licensee, _ in deals(text)] == [
        "Pellam Chemicals Ltd",
        "Sunwoo Materials Co",
        "Ferrando S.r.l",
    ]


def test_a_counted_taker_may_say_it_will_use_the_process_or_pay_to_use_it() -> None:
    text = (
        "Velmar Catalysts AG said it had signed licences with two Asian manufacturers. "
        "Japan's Orenda Chemical Co. said it would deploy the process at a plant in Chiba. "
        "Hanul Fertiliser Co., a Korean producer, will pay $3 million to use the technology."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Velmar Catalysts AG", "Orenda Chemical Co"),
        ("Velmar Catalysts AG", "Hanul Fertiliser Co"),
    ]


def test_takers_each_described_between_semicolons_are_each_a_deal() -> None:
    text = (
        "Ostrava Membranes has licensed its filter process to three producers: Pellam "
        "Chemicals Ltd., a British resin maker; Sunwoo Materials Co., the Korean film group; "
        "and Ferrando S.r.l., based in Genoa."
    )
    assert [licensee for _, licensee, _ in deals(text)] == [
        "Pellam Chemicals Ltd",
        "Sunwoo Materials Co",
        "Ferrando S.r.l",
    ]


def test_counted_takers_may_follow_an_opening_phrase() -> None:
    text = (
        "Velmar Catalysts AG has licensed its ammonia process to two new partners. "
        "The first, Orenda Fertilisers Ltd., will use the technology at its Mombasa plant. "
        "In Chile, Pampa Quimica S.A. will apply the process at a new site."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Velmar Catalysts AG", "Orenda Fertilisers Ltd"),
        ("Velmar Catalysts AG", "Pampa Quimica S.A"),
    ]


def test_takers_counted_then_each_take_rights_or_are_named_by_a_passive_licence() -> None:
    text = (
        "Zurich-based Halvorn AG has licensed its salt-tolerance trait to three seed companies.\n"
        "The trait is made by a single edit. It adds no foreign DNA.\n"
        "Argentine grain breeder Pampero Semillas S.A. has taken exclusive rights to use the "
        "trait in wheat. In Kenya, the trait has been licensed by Mavuno Seeds Ltd., which will "
        "breed it into maize. The third licensee, Ohio-based Buckeye Genetics Inc., gets "
        "non-exclusive rights for sorghum."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Halvorn AG", "Pampero Semillas S.A"),
        ("Halvorn AG", "Mavuno Seeds Ltd"),
        ("Halvorn AG", "Buckeye Genetics Inc"),
    ]


def test_licence_agreements_counted_then_one_licensee_a_paragraph_each() -> None:
    text = (
        "Corvane Bio Ltd, a company designing enzymes, today announced three licence agreements "
        "granting partners access to its FoldWise platform.\n\n"
        "Tessaly Pharma.\nTessaly Pharma Inc., a Boston-based company, has obtained an exclusive "
        "licence to use FoldWise for two targets.\n\n"
        "Mori Seiyaku.\nMori Seiyaku Co., Ltd., a Japanese drug maker, has licensed the platform "
        "for a single target.\n\n"
        "Lindau Biologics.\nLindau Biologics GmbH of Kiel, Germany, will use FoldWise under a "
        "non-exclusive research licence."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Corvane Bio Ltd", "Tessaly Pharma Inc"),
        ("Corvane Bio Ltd", "Mori Seiyaku Co., Ltd"),
        ("Corvane Bio Ltd", "Lindau Biologics GmbH"),
    ]


def test_licensing_deals_counted_in_digits_then_named_after_an_opening_phrase() -> None:
    text = (
        "Ostmark Robotics GmbH said it had signed 2 licensing deals for its gripper design. "
        "Under the first deal, Nagase Kikai K.K. receives a licence to make the gripper in "
        "Japan. Under the second, Pune-based Vidya Motion Pvt. Ltd. will use the design for "
        "its arms."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Ostmark Robotics GmbH", "Nagase Kikai K.K"),
        ("Ostmark Robotics GmbH", "Vidya Motion Pvt. Ltd"),
    ]


@pytest.mark.parametrize(
    "counted",
    [
        "Halvorn AG has signed licence agreements with two seed companies for its trait.",
        "Halvorn AG has concluded two licensing deals for its salt-tolerance trait.",
        "Halvorn AG has licensed the salt-tolerance trait to several breeders.",
    ],
)
def test_takers_counted_in_any_wording_then_each_placed_or_described(counted: str) -> None:
    text = (
        counted + " Pampero Semillas S.A., an Argentine breeder, has obtained exclusive rights "
        "to the trait in wheat. Separately, Mavuno Seeds Ltd. of Nairobi will use the trait in "
        "maize."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Halvorn AG", "Pampero Semillas S.A"),
        ("Halvorn AG", "Mavuno Seeds Ltd"),
    ]


def test_counted_takers_may_be_named_last_after_the_licence_they_take() -> None:
    text = (
        "Halvorn AG has licensed its salt-tolerance trait to three seed companies. The trait "
        "adds no foreign DNA. The first licence goes to Pampero Semillas S.A., an Argentine "
        "breeder. Rights for maize went to Nairobi-based Mavuno Seeds Ltd. The third licensee "
        "is Buckeye Genetics Inc."
    )
    assert [(licensor, licensee) for licensor, licensee, _ in deals(text)] == [
        ("Halvorn AG", "Pampero Semillas S.A"),
        ("Halvorn AG", "Mavuno Seeds Ltd"),
        ("Halvorn AG", "Buckeye Genetics Inc"),
    ]


def test_a_licence_going_to_a_company_without_takers_counted_is_no_deal() -> None:
    text = (
        "Halvorn AG opened a lab in Basel. The first licence goes to Pampero Semillas S.A., an "
        "Argentine breeder."
    )
    assert deals(text) == []

"""Deals no frame was written for, read from general cues of direction (briefs/ingest/deal_cues.py):
each side needs its own cue, and a sentence whose cues disagree or decide one side only gives
nothing. Every example is written here, with invented companies."""

from __future__ import annotations

from datetime import date

from briefs.ingest.amounts import UNDISCLOSED
from briefs.ingest.deal_cues import cued_roles
from briefs.ingest.extract import extract
from briefs.ingest.sentences import cancelled

PUBLISHED = date(2025, 9, 3)


def roles(text: str) -> list[tuple[str | None, str | None]]:
    return [
        (p.licensor.name if p.licensor else None, p.licensee.name if p.licensee else None)
        for p in extract(text, published=PUBLISHED)
        if p.licensor or p.parties
    ]


def test_a_taker_signing_a_licence_for_what_another_company_owns() -> None:
    text = (
        "Brackwater Robotics Inc has signed a licence for the navigation software of Tollan "
        "Vision Oy, the two companies said on Tuesday."
    )
    assert roles(text) == [("Tollan Vision Oy", "Brackwater Robotics Inc")]


def test_a_buyer_of_another_company_s_product_line() -> None:
    text = (
        "Quarrow Medical Ltd, the Leeds maker of surgical staplers, has agreed to buy the "
        "stapler product line of Hessel Devices GmbH for an undisclosed sum."
    )
    assert roles(text) == [("Hessel Devices GmbH", "Quarrow Medical Ltd")]


def test_the_owner_of_the_asset_gives_and_the_subject_of_a_taking_verb_takes() -> None:
    marked = "⟨0⟩ has taken the Nordic rights to ⟨1⟩'s coated stent, the companies said."
    assert cued_roles(marked, ["Aldgate", "Pemberly"]) == (1, 0)
    marked = "⟨0⟩ has obtained exclusive rights to a yeast strain developed by ⟨1⟩."
    assert cued_roles(marked, ["Aldgate", "Pemberly"]) == (1, 0)
    marked = "⟨0⟩'s licensing of its coating process to ⟨1⟩ covers two plants."
    assert cued_roles(marked, ["Aldgate", "Pemberly"]) == (0, 1)


def test_one_cue_alone_or_cues_that_disagree_give_nothing() -> None:
    # A headline that may mean either direction, and one naming two deals.
    assert cued_roles("⟨0⟩ licenses ⟨1⟩ battery software", ["Aldgate", "Pemberly"]) is None
    marked = "⟨0⟩ out-licenses its antibody east, ⟨1⟩ takes ⟨2⟩'s patents"
    assert cued_roles(marked, ["Aldgate", "Pemberly", "Corrin"]) is None
    # The owner of something named beside a deal word, with no verb saying who takes.
    marked = "The platform would first serve ⟨0⟩'s programs, with ⟨1⟩ keeping its rights."
    assert cued_roles(marked, ["Aldgate", "Pemberly"]) is None
    # Rights handed back are no new deal.
    marked = "⟨0⟩ is returning the rights it took from ⟨1⟩ two years ago."
    assert cued_roles(marked, ["Aldgate", "Pemberly"]) is None


def test_a_place_before_the_subject_s_name_is_no_party() -> None:
    marked = "⟨0⟩'s ⟨1⟩ has taken the rights to ⟨2⟩'s imaging dye."
    assert cued_roles(marked, ["Lisbon", "Aldgate", "Pemberly"]) == (2, 1)


def test_a_doubt_in_a_clause_describing_a_company_does_not_cancel_the_deal() -> None:
    assert not cancelled(
        "Aldgate Ltd took a licence from Pemberly plc, the start-up whose sensors have never "
        "been sold in Europe, the companies said."
    )
    assert cancelled("Aldgate Ltd has never taken a licence from Pemberly plc.")


def test_grants_out_licensing_and_a_relative_taker() -> None:
    names = ["Aldgate", "Pemberly"]
    marked = "Under the deal, ⟨0⟩, a century-old dye maker, grants ⟨1⟩ rights to its pigment."
    assert cued_roles(marked, names) == (0, 1)
    marked = "Early today ⟨0⟩ announced the out-licensing of its Asian rights to ⟨1⟩."
    assert cued_roles(marked, names) == (0, 1)
    marked = "⟨0⟩'s firmware was also chosen by ⟨1⟩, a crane maker, which took rights to it."
    assert cued_roles(marked, names) == (0, 1)


def test_refusals_to_talk_money_in_other_words_are_undisclosed_terms() -> None:
    for said in (
        "Neither side would talk numbers on the call.",
        "None of the partners was willing to discuss pricing.",
        "The buyer said the deal had an upfront fee but did not give figures.",
        "Tarrow said it was not disclosing financial terms.",
        "Both firms declined to detail the economics.",
    ):
        assert UNDISCLOSED.search(said), said
    for said in ("The company did not give a date for the launch.", "Neither would talk."):
        assert not UNDISCLOSED.search(said), said


def test_an_earlier_partner_ending_its_licence_leaves_the_new_deal_standing() -> None:
    text = (
        "Dunmore Optics Ltd has licensed its lens coating to Varessa Vision SA, the companies "
        "said on Monday.\n\n"
        "In March, Holcott Instruments Inc terminated its licence agreement and returned the "
        "coating rights to Dunmore Optics Ltd."
    )
    assert roles(text) == [("Dunmore Optics Ltd", "Varessa Vision SA")]
    denial = text.replace(
        "In March, Holcott Instruments Inc terminated its licence agreement and returned the "
        "coating rights to Dunmore Optics Ltd.",
        "Dunmore Optics Ltd later denied reports of the deal.",
    )
    assert roles(denial) == []


def test_a_second_agreement_with_a_named_taker_is_one_more_deal_of_the_grantor() -> None:
    text = (
        "Brenlow Circuits Ltd has licensed its substrate process to Ostrava Chips Inc, the "
        "companies said.\n\n"
        "The second agreement, with Lisbon-based Tejo Microsystems SA, was struck separately. "
        "The foundry will pay a fee of $12 million for the licence."
    )
    assert roles(text) == [
        ("Brenlow Circuits Ltd", "Ostrava Chips Inc"),
        ("Brenlow Circuits Ltd", "Tejo Microsystems SA"),
    ]


def test_agreeing_to_buy_patents_is_an_asset_purchase() -> None:
    text = (
        "Quarrow Medical Ltd has agreed to buy the stapler patents and pilot line of Hessel "
        "Devices GmbH, the companies said."
    )
    assert [p.kind for p in extract(text, published=PUBLISHED)] == ["asset_purchase"]


def test_a_money_word_and_a_word_for_keeping_it_back_in_either_order() -> None:
    for said in (
        "Costs of the Brambleton licence are not being disclosed.",
        "Quorvane kept the purchase price private.",
        "The fee was kept confidential by both sides.",
        "The consideration remains under wraps.",
        "Halvick withheld the licence fee.",
        "The sum went unreported in the filing.",
        "The pair are keeping the deal terms to themselves.",
    ):
        assert UNDISCLOSED.search(said), said
    for said in (
        "Quorvane did not disclose the name of the buyer.",
        "Halvick did not reveal when the plant opens.",
        "Keeping the price low, Quorvane sold more pumps.",
        "In terms of reach, the product was not announced widely.",
    ):
        assert not UNDISCLOSED.search(said), said

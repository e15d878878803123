"""Deals whose direction the story gives only after the deal sentence, or through what each
side brings. Every example is written here, with invented companies."""

from __future__ import annotations

from test_ingest_cued_roles import PUBLISHED, roles

from briefs.ingest.deal_rules import read_deal
from briefs.ingest.extract import extract
from briefs.ingest.orgs import Mention, Org


def test_a_place_before_based_is_no_party_of_the_deal() -> None:
    text = (
        "Tarvik Diagnostics Ltd, a Lakeside Science Park-based imaging company, today announced "
        "that it has entered into a licence agreement with Omsvik Instruments AS.\n\n"
        "The licence grants Tarvik Diagnostics exclusive rights to sell the scanner in Canada."
    )
    assert roles(text) == [("Omsvik Instruments AS", "Tarvik Diagnostics Ltd")]


def test_the_owner_of_a_named_product_after_the_deal_grants_it() -> None:
    text = (
        "Brannock Health Inc. said on Monday it has signed an exclusive licence agreement with "
        "Velmora Systems GmbH for Pulsewise, Velmora's sleep-scoring software, in Mexico."
    )
    assert roles(text) == [("Velmora Systems GmbH", "Brannock Health Inc")]


def test_two_companies_saying_they_would_co_develop_and_one_giving_access() -> None:
    text = (
        "Ferrolith Labs Inc. and Osaka-based Kirinoha Devices Co. said they would co-develop a "
        "vision model for warehouse robots. Under the agreement, Ferrolith will give Kirinoha "
        "access to its base model, and Kirinoha will contribute sensor data."
    )
    assert roles(text) == [("Ferrolith Labs Inc", "Kirinoha Devices Co")]


def test_the_founder_contributing_a_licence_licenses_to_the_newco() -> None:
    text = (
        "Orvelle Therapeutics AG and Pinecrest Pharma Inc. today announced the formation of "
        "Lantern Bio, a new company dedicated to gene therapies for hearing loss.\n\n"
        "Pinecrest will contribute an exclusive licence to its capsid patents, while Orvelle "
        "will provide the research team and cash."
    )
    got = [(p.kind, p.licensor.name, p.licensee.name) for p in extract(text, published=PUBLISHED)]
    assert got == [("newco", "Pinecrest Pharma Inc", "Lantern Bio")]


def test_a_founder_contributing_only_cash_licenses_nothing() -> None:
    text = (
        "Orvelle Therapeutics AG and Pinecrest Pharma Inc. today announced the formation of "
        "Lantern Bio, a new company dedicated to gene therapies for hearing loss.\n\n"
        "Pinecrest will contribute $40 million in cash and a research team."
    )
    assert [p for p in extract(text, published=PUBLISHED) if p.licensor] == []


def _mentions(sentence: str, names: list[str]) -> list[Mention]:
    """Each name at its first place in the sentence, as the name finder would mark it."""
    spots = sorted((sentence.index(name), name) for name in names)
    return [Mention(start, start + len(name), Org(name)) for start, name in spots]


def _sentence_roles(
    sentence: str, names: list[str], subject: str | None = None
) -> tuple[str | None, str | None] | None:
    """(licensor, licensee) of the deal read from one sentence with these names marked."""
    last_subject = Org(subject) if subject else None
    draft = read_deal(sentence, _mentions(sentence, names), PUBLISHED, 2025, last_subject)
    if draft is None:
        return None
    deal = draft.proposal
    return (
        deal.licensor.name if deal.licensor else None,
        deal.licensee.name if deal.licensee else None,
    )


def test_an_acronym_glued_to_a_describing_word_is_no_party() -> None:
    sentence = (
        "Harrowgate Agri Ltd, the Kansas crop protection company, has acquired the "
        "HPPD-inhibitor weedkiller programme of Mossbank Crop Science, including its patents."
    )
    assert _sentence_roles(sentence, ["Harrowgate Agri Ltd", "HPPD", "Mossbank Crop Science"]) == (
        "Mossbank Crop Science",
        "Harrowgate Agri Ltd",
    )


def test_a_taker_alone_with_a_target_read_as_a_name_takes_from_the_subject() -> None:
    sentence = (
        "In the first, Corwen Oncology will take exclusive rights in Europe to DV-12, an "
        "antibody targeting IL-23 and TSLP."
    )
    assert _sentence_roles(sentence, ["Corwen Oncology", "TSLP"], "Dornvale Biologics") == (
        "Dornvale Biologics",
        "Corwen Oncology",
    )


def test_a_taker_with_a_second_named_owner_is_not_given_the_subject_as_grantor() -> None:
    sentence = "Corwen Oncology will take exclusive rights in Europe to an antibody from Halbrook."
    got = _sentence_roles(sentence, ["Corwen Oncology", "Halbrook"], "Dornvale Biologics")
    assert got is None or got[0] != "Dornvale Biologics"


def test_a_second_taker_after_the_first_takes_from_the_same_licensor() -> None:
    text = (
        "Marrowind Pharma Co. has licensed its insulin biosimilar to Brazil's Farmacia Sulvento "
        "S.A. and to Oman's Qurum Medical Industries LLC.\n\n"
        "Sulvento will pay $8 million upfront, Marrowind said.\n\n"
        "Farmacia Sulvento will register the product in Brazil. Qurum takes exclusive rights "
        "for the Gulf states."
    )
    got = {(p.licensor.name, p.licensee.name) for p in extract(text, published=PUBLISHED)}
    assert ("Farmacia Sulvento S.A", "Qurum Medical Industries LLC") not in got
    assert ("Marrowind Pharma Co", "Qurum Medical Industries LLC") in got


def test_denying_a_takeover_report_keeps_the_licence_told_before() -> None:
    licence = (
        "Corrigan Devices Ltd has taken a licence for the Q9 imaging core, Vesterholm Optics "
        "said on Tuesday.\n\n"
    )
    rumour = (
        "A trade paper reported last week that a US group was in talks to buy Vesterholm. "
        "Vesterholm denied the report."
    )
    assert roles(licence + rumour) == [("Vesterholm Optics", "Corrigan Devices Ltd")]
    licence_rumour = (
        "A trade paper reported that Vesterholm Optics had licensed the Q9 core to Corrigan "
        "Devices Ltd. Vesterholm denied the report."
    )
    assert roles(licence_rumour) == []


def test_a_passive_licence_by_its_taker_gets_the_owner_named_after_it() -> None:
    text = (
        "The Q9 imaging core has been licensed by Lyon-based Corrigan Devices SA, the camera "
        "maker said on Tuesday, for use in dashboard cameras.\n\n"
        "The core comes from Vesterholm Optics AB, a Malmo design house."
    )
    assert roles(text) == [("Vesterholm Optics AB", "Corrigan Devices SA")]


def test_a_licensor_licensing_to_a_named_taker_is_no_passive_taker() -> None:
    text = (
        "The Q9 imaging core has been licensed by Vesterholm Optics AB to Corrigan Devices SA. "
        "The core was designed by Vesterholm Optics AB in Malmo."
    )
    assert ("Corrigan Devices SA", "Vesterholm Optics AB") not in roles(text)


def test_a_second_arrangement_between_the_same_companies_is_a_deal_of_its_own() -> None:
    text = (
        "Under the licence, announced on Monday, Tessaly Coatings KK grants Brevik Solar AS "
        "exclusive rights to its barrier ink in Europe. Brevik will pay $5 million up front.\n\n"
        "The second arrangement gives Brevik the right, until 2027, to license "
        "Tessaly's encapsulant film."
    )
    deals = extract(text, published=PUBLISHED)
    assert [(p.licensor.name, p.licensee.name) for p in deals] == [
        ("Tessaly Coatings KK", "Brevik Solar AS"),
        ("Tessaly Coatings KK", "Brevik Solar AS"),
    ]


def test_a_name_ending_in_an_abbreviation_dot_still_heads_its_sentence() -> None:
    sentence = (
        "Campos Verdes Ltda., the Goias seed company, has signed a licence for Harlan "
        "Genetics' heat-tolerance trait, the companies said."
    )
    assert _sentence_roles(sentence, ["Campos Verdes Ltda", "Harlan Genetics"]) == (
        "Harlan Genetics",
        "Campos Verdes Ltda",
    )


def test_a_founder_licensing_to_the_venture_licenses_to_the_company_named_later() -> None:
    text = (
        "Halden Metals Corp. and Oslo battery start-up Fjordcell AS will set up a new company "
        "to make cathode powder.\n\n"
        "The new company, to be called Northwind Cathodes AS, will be owned equally. Fjordcell "
        "will license its coating patents exclusively to the venture, while Halden will provide "
        "a plant."
    )
    got = [(p.kind, p.licensor.name, p.licensee.name) for p in extract(text, published=PUBLISHED)]
    assert got == [("newco", "Fjordcell AS", "Northwind Cathodes AS")]


def test_a_founder_granting_the_joint_venture_a_licence_licenses_to_it() -> None:
    text = (
        "Halden Metals Corp. and Fjordcell AS said they would form a joint venture, named "
        "Northwind Cathodes AS, to make cathode powder. Fjordcell will grant the joint venture "
        "an exclusive licence to its coating process."
    )
    got = [(p.kind, p.licensor.name, p.licensee.name) for p in extract(text, published=PUBLISHED)]
    assert got == [("newco", "Fjordcell AS", "Northwind Cathodes AS")]


def test_a_founder_giving_the_venture_cash_licenses_nothing() -> None:
    text = (
        "Halden Metals Corp. and Fjordcell AS said they would form a joint venture, named "
        "Northwind Cathodes AS. Fjordcell will provide cash to the venture."
    )
    assert [p for p in extract(text, published=PUBLISHED) if p.licensor] == []


def test_a_passive_licence_whose_subject_names_the_owner_is_read_in_one_sentence() -> None:
    text = (
        "The vision model that Quillon Robotics spent three years training has been licensed "
        "by Harbo Logistics A/S, the Danish warehouse group said on Monday."
    )
    assert roles(text) == [("Quillon Robotics", "Harbo Logistics A/S")]


def test_a_thing_licensed_by_its_taker_is_not_its_own_owner() -> None:
    text = "Quillon Vision has been licensed by Harbo Logistics A/S, the Danish group said."
    assert roles(text) == []


def test_an_in_licensing_agreement_with_a_company_takes_from_it() -> None:
    text = (
        "Ostrel AG, the Swiss drugmaker, said on Thursday it had struck three separate deals "
        "with Asian biotech companies, including an in-licensing agreement with China's Hanlu "
        "Biologics Co."
    )
    assert roles(text) == [("Hanlu Biologics Co", "Ostrel AG")]

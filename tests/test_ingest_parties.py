"""Parties and roles worded in ways the earlier rules missed: dotted legal suffixes, company
words beyond the pharmaceutical ones, places glued before a bare name, appositions between a
name and its verb or object, rights taken in a sentence that names only the taker, and noun forms
of licensing. Every example is written here."""

from __future__ import annotations

from datetime import date

import pytest

from briefs.ingest.extract import extract
from briefs.ingest.orgs import DocumentNames
from briefs.ingest.sentences import sentences

PUBLISHED = date(2025, 6, 2)


def roles(text: str) -> list[tuple[str | None, str | None]]:
    return [
        (p.licensor.name if p.licensor else None, p.licensee.name if p.licensee else None)
        for p in extract(text, published=PUBLISHED)
        if p.licensor or p.parties
    ]


def kinds(text: str) -> list[str]:
    return [p.kind for p in extract(text, published=PUBLISHED) if p.licensor or p.parties]


def names_in(sentence: str, text: str = "") -> list[str]:
    return [m.org.name for m in DocumentNames(None, text or sentence).find(sentence)]


# 1. Names: dotted legal suffixes, company words of every sector, places glued before a name.


def test_a_name_ending_in_a_dotted_legal_suffix_is_a_company() -> None:
    found = names_in("Tarvik signed a licence for Utrecht-based Menhir Optica B.V.'s lens design.")
    assert "Menhir Optica B.V" in found
    text = "Tarvik has signed a licence for Utrecht-based Menhir Optica B.V.'s lens design."
    assert roles(text) == [("Menhir Optica B.V", "Tarvik")]


def test_company_words_beyond_drugs_end_a_name() -> None:
    for name in ("Brennholt Polymers", "Kestrun Telecom", "Odalys Seeds", "Marrow Steel"):
        assert name in names_in(f"Engineers at {name} praised the design last week.")


def test_a_capitalised_compound_ending_in_a_company_word_ends_a_name() -> None:
    assert "Vandra AgroSciences" in names_in("Growers near Vandra AgroSciences praised it.")


def test_a_place_glued_before_a_bare_name_after_a_preposition() -> None:
    text = "Oskin has licensed a coating process from Ghent-based Lavrenne for use in Asia."
    assert roles(text) == [("Lavrenne", "Oskin")]


def test_a_bare_name_with_a_possessive_apposition_before_its_verb() -> None:
    text = "Tamsin Rail, Norway's oldest rolling-stock maker, will take the rights to Corvel's brake design."
    assert roles(text) == [("Corvel", "Tamsin Rail")]


def test_an_abbreviated_private_limited_does_not_end_the_sentence() -> None:
    text = 'Kiran Valves Pvt. Ltd. ("Kiran") signed a licence. It was dated June.'
    assert len(sentences(text)) == 2


# 2. Frames: appositions, adjective lists, long gaps, owners named in an apposition.


def test_an_apposition_after_the_grantee() -> None:
    text = (
        "Ferrowind granted Sollen Robotics, a Lyon group that builds welding cells, "
        "an option to license its seam-tracking software."
    )
    assert roles(text) == [("Ferrowind", "Sollen Robotics")]
    assert kinds(text) == ["option"]


def test_granted_rights_naming_a_third_company_before_the_end() -> None:
    text = "Ambrel Energy grants Kovac Batteries exclusive rights to sell cells with Ambrel Energy anodes in Poland."
    assert roles(text) == [("Ambrel Energy", "Kovac Batteries")]


def test_granted_rights_with_a_long_territory_before_the_grantee() -> None:
    text = (
        "Pelorin Therapeutics said it had granted rights to PX-7 in five Gulf states, "
        "including Oman, Qatar and Bahrain, to Riyadh-based Nakheel Pharma."
    )
    assert roles(text) == [("Pelorin Therapeutics", "Nakheel Pharma")]


def test_a_list_of_adjectives_before_the_licence() -> None:
    text = "Quorra Medical has taken a worldwide, non-exclusive licence under Damsel Devices' valve patents."
    assert roles(text) == [("Damsel Devices", "Quorra Medical")]


def test_rights_to_an_asset_whose_owner_follows_in_an_apposition() -> None:
    text = "Vessant Pharma will take rights in Japan to VT-9, Orlo Biotech's inhaled steroid."
    assert roles(text) == [("Orlo Biotech", "Vessant Pharma")]


def test_a_licence_for_patents_held_by_the_owner() -> None:
    text = "Brightfold Semiconductor has signed a licence for the trench patents held by Osaka-based Inoue Devices."
    assert roles(text) == [("Inoue Devices", "Brightfold Semiconductor")]


def test_an_apposition_naming_a_place_between_subject_and_verb() -> None:
    text = (
        "Halvard Seeds, the Oslo company that sells oats across Norway's Hedmark Farms region, "
        "has obtained the rights to a frost trait developed by Pellam Genomics."
    )
    assert roles(text) == [("Pellam Genomics", "Halvard Seeds")]


def test_also_said_it_had_granted() -> None:
    text = "Ostrava Materials also said it has granted a non-exclusive licence to Pilsen Batteries for a pilot line."
    assert roles(text) == [("Ostrava Materials", "Pilsen Batteries")]


def test_licensed_by_the_taker_with_the_owner_named_in_the_subject() -> None:
    text = "QM-4, an antiviral from Kobe's Sakuragi Pharmaceutical, has been licensed by Seoul's Hanul Bio for Korea."
    assert roles(text) == [("Sakuragi Pharmaceutical", "Hanul Bio")]


def test_the_announced_out_licensing_of_an_asset() -> None:
    text = "Brisk Therapeutics today announced the out-licensing of ex-Asia rights to BT-2, its lead antibody, to Munich-based Orrel Pharma."
    assert roles(text) == [("Brisk Therapeutics", "Orrel Pharma")]
    assert kinds(text) == ["out_licence"]


# 3. Rights taken in a sentence naming only the taker: the grantor is the company the article
# was just speaking of.


def test_the_taker_alone_under_the_new_agreement() -> None:
    text = (
        "Marlowe Biotech announced a new deal for its lead asset on Monday.\n\n"
        "Under the new agreement, Tinsley Pharma gains exclusive rights to develop MB-3 in Europe."
    )
    assert roles(text) == [("Marlowe Biotech", "Tinsley Pharma")]


def test_a_taker_alone_is_not_paired_with_itself_or_with_nobody() -> None:
    assert roles("Tinsley Pharma gains exclusive rights to develop MB-3 in Europe.") == []


def test_a_past_licence_is_dated_by_its_own_clause_not_a_later_one() -> None:
    text = (
        "Kessling Chemie licensed the process to Surat-based Narmada Chemicals in 2021, "
        "and the Indian company has run a pilot unit since last year."
    )
    assert roles(text) == []


def test_a_taker_alone_in_a_heading_or_paid_an_option_fee_is_not_a_deal() -> None:
    heading = "Marlowe Biotech licenses a sensor to Pell Labs.\n\nTinsley Pharma takes an option on MB-3\n"
    assert roles(heading) == [("Marlowe Biotech", "Pell Labs")]
    paid = (
        "Marlowe Biotech announced a new deal for its lead asset on Monday.\n\n"
        "Under the terms, Tinsley Pharma will receive an upfront option payment of $5 million."
    )
    assert roles(paid) == []


def test_a_dotted_country_before_based_is_not_a_company() -> None:
    assert names_in("Hallam licensed the drug to U.S.-based Corvex Bio.") == [
        "Hallam",
        "Corvex Bio",
    ]


def test_granted_to_a_grantee_with_a_place_glued_before_it() -> None:
    text = "Zhenan Biopharma said it had granted Austin-based Pavo Bio exclusive rights outside Asia to ZB-3."
    assert roles(text) == [("Zhenan Biopharma", "Pavo Bio")]


def test_agreed_to_buy_rights_from_a_described_seller() -> None:
    text = (
        "Daelim Bio has agreed to buy all global rights to DL-4, a kidney drug, "
        "from Austrian drugmaker Wendel Pharma GmbH in an asset purchase."
    )
    assert roles(text) == [("Wendel Pharma GmbH", "Daelim Bio")]
    assert kinds(text) == ["asset_purchase"]


def test_developed_by_then_licensed_by_with_descriptors_before_both() -> None:
    text = (
        "A stent coating developed by Finnish startup Aalto Coatings has been licensed by "
        "German device group Rhein Medical, the companies said."
    )
    assert roles(text) == [("Aalto Coatings", "Rhein Medical")]


def test_bought_a_long_described_portfolio_of_a_seller() -> None:
    text = (
        "Varuna Labs has bought the vision patent portfolio and most of the camera software "
        "of Swedish firm Kallby Optics."
    )
    assert roles(text) == [("Kallby Optics", "Varuna Labs")]


def test_an_agreement_under_which_one_agreed_to_grant_to_the_other() -> None:
    text = (
        "Huayang Biotech entered into a licence agreement with Sorrel Therapeutics, pursuant to "
        "which Sorrel Therapeutics agreed to grant to Huayang Biotech an exclusive licence."
    )
    assert roles(text) == [("Sorrel Therapeutics", "Huayang Biotech")]


def test_a_newco_label_is_not_part_of_its_name() -> None:
    text = (
        "Kirin Lake Pharma put three programmes into a new company on Monday.\n\n"
        "Under a licence agreement signed alongside the financing, NewCo Tamar Bio receives "
        "exclusive worldwide rights to the programmes."
    )
    assert roles(text) == [("Kirin Lake Pharma", "Tamar Bio")]


def test_a_licence_to_make_and_sell_is_not_a_sale() -> None:
    text = "Ambala Materials has granted German coatings maker Rott Werkstoffe GmbH an exclusive licence to manufacture and sell its primer."
    assert kinds(text) == ["licence"]


def test_an_institute_for_a_field_is_one_name() -> None:
    found = names_in("Scientists at the Harlow Institute for Applied Sciences praised it.")
    assert found == ["Harlow Institute for Applied Sciences"]


def test_an_indonesian_legal_prefix_is_not_part_of_the_name() -> None:
    assert names_in("Engineers at PT Samudra Digital praised the design.") == ["Samudra Digital"]


def test_rights_handed_back_in_a_wind_down_are_not_a_new_licence() -> None:
    text = (
        "Kestrel Pharma terminated its licence agreement with Omari Bio on Monday.\n\n"
        "As part of the wind-down, Kestrel Pharma will transfer the licensed know-how to Omari Bio."
    )
    assert roles(text) == []


def test_a_city_in_brackets_before_the_legal_suffix_is_part_of_the_name() -> None:
    found = names_in("Engineers at Qinghe Biotech (Wuxi) Co., Ltd. praised the design.")
    assert found == ["Qinghe Biotech (Wuxi) Co., Ltd"]


def test_an_agreement_with_no_direction_takes_it_from_the_owner_named_next() -> None:
    text = (
        "Hallstrom Batteries and Ivel Coatings have signed an agreement covering dry cathode "
        "coating technology, the companies said.\n\n"
        "The agreement centres on Ivel Coatings' patented spraying process."
    )
    assert roles(text) == [("Ivel Coatings", "Hallstrom Batteries")]


def test_the_taker_first_and_the_grantor_reporting_at_the_end() -> None:
    text = "Denver-based Altis Bio will receive rights to sell OX-4 in Canada, Oxmoor Pharma said in a filing."
    assert roles(text) == [("Oxmoor Pharma", "Altis Bio")]


def test_the_taker_and_the_keeper_of_the_other_territories() -> None:
    text = "Skarv Cells gets exclusive rights for the Nordics and Poland; Madurai Anodes keeps India for itself."
    assert roles(text) == [("Madurai Anodes", "Skarv Cells")]


def test_a_company_named_with_ai_and_an_ordinary_hyphenated_word_opening_a_heading() -> None:
    assert "Vellum AI" in names_in("Engineers at Vellum AI praised the design.")
    text = (
        "solid-state cells are still far off.\n\nSolid-state gets a licensee as Brama Labs signs."
    )
    assert "Solid-state" not in [
        m.org.name for m in DocumentNames(None, text).find(text.split("\n\n")[1])
    ]


def test_shares_said_to_be_listed_are_no_listing_news() -> None:
    text = "Brekkan Bio takes back its rights.\n\nBrekkan Bio's shares are listed on the Oslo Stock Exchange."
    assert extract(text, published=PUBLISHED) == []


def test_agreed_to_acquire_a_portfolio_from_a_seller_is_a_purchase() -> None:
    text = "Dutch group Veldhoven Crop Science has agreed to acquire a portfolio of three fungicides from Surat-based Mehta AgroSciences."
    assert roles(text) == [("Mehta AgroSciences", "Veldhoven Crop Science")]
    assert kinds(text) == ["asset_purchase"]


def test_granted_an_exclusive_right_to_a_grantee_described_as_one_of_many() -> None:
    text = (
        "Lanfeng Medical today announced that it has granted Kaveri Stents Pvt. Ltd., one of "
        "India's larger catheter makers, an exclusive right to make Lanfeng Medical's balloon."
    )
    assert roles(text) == [("Lanfeng Medical", "Kaveri Stents Pvt. Ltd")]


def test_programmes_carved_out_into_a_new_company() -> None:
    text = (
        "Osaka-based Tenma Pharmaceutical is carving two kidney programmes out of its pipeline "
        "into a newly formed company, Lattice Renal Therapeutics, backed by a Boston fund."
    )
    assert roles(text) == [("Tenma Pharmaceutical", "Lattice Renal Therapeutics")]
    assert kinds(text) == ["newco"]


def test_a_ticker_after_a_name_names_the_company_even_in_a_headline() -> None:
    text = (
        "Corlane Therapeutics (NASDAQ: CRLN)\n\n"
        "Today CRLN said it has taken exclusive rights to KB-4 from Hangzhou's Qiuyu Biosciences."
    )
    assert roles(text) == [("Qiuyu Biosciences", "Corlane Therapeutics")]


def test_the_short_form_of_a_name_ending_in_a_compound() -> None:
    text = (
        "Tamsin Seeds signed a licence for Godavari AgriGenomics' trait.\n\n"
        "Godavari itself has taken rights to an enzyme developed by Prairie Genomics of Ames."
    )
    assert ("Prairie Genomics", "Godavari AgriGenomics") in roles(text)


def test_the_kind_named_before_the_agreement_word() -> None:
    text = (
        "Hanil Pharma and Baiyun Medical entered into a co-development agreement with Baiyun "
        "Medical taking rights to commercialise HP-3 in China."
    )
    found = extract(text, published=PUBLISHED)
    assert [p.kind for p in found] == ["co_development"]


@pytest.mark.parametrize(
    ("sentence", "licensor", "licensee"),
    [
        (
            "The rights to TR-9 were acquired by Sakura Yakuhin from Trellis Therapeutics.",
            "Trellis Therapeutics",
            "Sakura Yakuhin",
        ),
        (
            "Trellis Therapeutics has entered into an agreement to out-license TR-9 to Sakura Yakuhin.",
            "Trellis Therapeutics",
            "Sakura Yakuhin",
        ),
        (
            "Sakura Yakuhin has exercised its option to license TR-9 from Trellis Therapeutics.",
            "Trellis Therapeutics",
            "Sakura Yakuhin",
        ),
        (
            "Trellis Therapeutics and Sakura Yakuhin will jointly develop TR-9, with Sakura Yakuhin "
            "receiving rights in Japan.",
            "Trellis Therapeutics",
            "Sakura Yakuhin",
        ),
        (
            "Calder Cells will pay Halvorsen AS a one-time technology fee of EUR 30 million to use "
            "its anode process.",
            "Halvorsen AS",
            "Calder Cells",
        ),
        (
            "Ortho Medical has struck a deal with Zenova Robotics for rights to its stapler patents.",
            "Zenova Robotics",
            "Ortho Medical",
        ),
        (
            "Zenova Robotics has licensed Ortho Medical to make its stapler.",
            "Zenova Robotics",
            "Ortho Medical",
        ),
        (
            "Zenova Robotics is licensing its stapler patents to Ortho Medical.",
            "Zenova Robotics",
            "Ortho Medical",
        ),
        (
            "The licence, granted by Zenova Robotics to Ortho Medical, covers Europe.",
            "Zenova Robotics",
            "Ortho Medical",
        ),
        (
            "Verity Pharma is to in-license KL-4 from Shanghai Kelun Biotech.",
            "Shanghai Kelun Biotech",
            "Verity Pharma",
        ),
        (
            "Verity Pharma took an option on KL-4 from Kelun Biotech.",
            "Kelun Biotech",
            "Verity Pharma",
        ),
        (
            "Kelun Biotech has given Verity Pharma the right to sell KL-4 in Europe.",
            "Kelun Biotech",
            "Verity Pharma",
        ),
        (
            "Kelun Biotech is granting Verity Pharma an exclusive licence to KL-4.",
            "Kelun Biotech",
            "Verity Pharma",
        ),
        (
            "Verity Pharma said it would acquire the rights to KL-4 from Kelun Biotech.",
            "Kelun Biotech",
            "Verity Pharma",
        ),
    ],
)
def test_predicate_frames_of_many_verbs_and_voices(
    sentence: str, licensor: str, licensee: str
) -> None:
    assert roles(sentence) == [(licensor, licensee)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Ortho Medical and Zenova Robotics signed a supply agreement covering motor technology for its robots.",
        "Ortho Medical and Zenova Robotics signed a research collaboration agreement on surgical technology.",
        "Sakura Yakuhin agreed to acquire Trellis Therapeutics for $2 billion in cash.",
        "Trellis Therapeutics said it would not license TR-9 to Sakura Yakuhin.",
        "Sakura Yakuhin could license TR-9 from Trellis Therapeutics if the trial succeeds.",
        "Zenova Robotics is carving out costs of $20 million into next year, the company said.",
    ],
)
def test_agreements_of_other_kinds_and_doubted_deals_propose_no_licence(sentence: str) -> None:
    assert roles(sentence) == []


def test_a_description_by_nationality_or_place_with_another_noun() -> None:
    korean = (
        "Korean drugmaker Hanul Pharm has signed a licensing agreement with Veritas Bio. "
        "Under the deal, the Korean firm will take rights to VB-2 in Asia."
    )
    assert roles(korean) == [("Veritas Bio", "Hanul Pharm")]
    boston = (
        "Boston-based Veritas Bio has struck a licensing deal with Hanul Pharm. "
        "The Boston biotech will receive $20 million upfront."
    )
    assert roles(boston) == [("Veritas Bio", "Hanul Pharm")]


def test_a_bare_name_with_a_relative_clause_before_its_verb() -> None:
    text = (
        "Oslo-based Fjordgen, which makes salmon vaccines, has taken the rights to a DNA "
        "vaccine platform developed by Tromso University."
    )
    assert roles(text) == [("Tromso University", "Fjordgen")]


def test_it_after_a_leading_adverb_is_the_subject_before() -> None:
    text = (
        "Tanaka Seiyaku licensed TS-1 to Ardent Bio. Separately, it licensed TS-2 to Morrow Pharma."
    )
    assert sorted(roles(text)) == [
        ("Tanaka Seiyaku", "Ardent Bio"),
        ("Tanaka Seiyaku", "Morrow Pharma"),
    ]


def test_a_bare_name_that_said_it_had_taken_rights() -> None:
    text = "Novarro said on Tuesday it had acquired global rights to Tessin's kinase inhibitor."
    assert roles(text) == [("Tessin", "Novarro")]
    person = "Kowalski said the company had acquired global rights to Tessin's kinase inhibitor."
    assert ("Tessin", "Kowalski") not in roles(person)


def test_parties_defined_as_licensor_and_licensee() -> None:
    text = (
        'Hanmo Biopharma (the "Licensor") and Corvid Bio (the "Licensee") signed the agreement '
        "on Monday. The Licensor will receive $40 million upfront."
    )
    assert roles(text) == [("Hanmo Biopharma", "Corvid Bio")]


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Ardent Bio will pay Tanaka Seiyaku $5 million for an option on TS-1.", "option"),
        (
            "Ardent Bio acquired the TS-1 programme from Tanaka Seiyaku in an asset purchase.",
            "asset_purchase",
        ),
        ("Tanaka Seiyaku said it had out-licensed TS-1 to Ardent Bio.", "out_licence"),
        ("Ardent Bio has taken a patent licence from Tanaka Seiyaku.", "patent_licence"),
    ],
)
def test_the_kind_of_deal(sentence: str, kind: str) -> None:
    assert kinds(sentence) == [kind]


def test_patents_with_know_how_are_a_licence_not_a_patent_licence() -> None:
    text = (
        "Corlane Inc. entered into a licence agreement with Qiuyu Biosciences, pursuant to which "
        "Qiuyu Biosciences granted Corlane Inc. a licence under certain patent rights and know-how "
        "to develop QY-2."
    )
    assert kinds(text) == ["licence"]


@pytest.mark.parametrize(
    "text",
    [
        "Quorn Labs has signed a licence with Hexa Cells, which will use the electrolyte process in Poland.",
        "Hexa Cells and Quorn Labs have agreed licensing terms. Quorn Labs will be paid a royalty on every cell.",
        "Hexa Cells is the latest licensee of Quorn Labs' electrolyte process.",
        "Quorn Labs said Hexa Cells had become a licensee of its electrolyte process.",
    ],
)
def test_the_licensee_named_by_what_it_will_do_or_become(text: str) -> None:
    assert roles(text) == [("Quorn Labs", "Hexa Cells")]


@pytest.mark.parametrize(
    "text",
    [
        "Tessin Pharma, through its subsidiary Tessin Japan, has licensed TP-4 to Oruga Bio.",
        "TP-4 was licensed from Tessin Pharma by Oruga Bio in March.",
        "Under the licence from Tessin Pharma, Oruga Bio will develop TP-4 in Europe.",
        "Tessin Pharma has chosen Oruga Bio as its European licensee for TP-4.",
        "Tessin Pharma has partnered with Oruga Bio, granting it European rights to TP-4.",
        "Tessin Pharma has teamed up with Oruga Bio, which gains European rights to TP-4.",
    ],
)
def test_subsidiaries_passives_from_by_and_partnerships(text: str) -> None:
    assert roles(text) == [("Tessin Pharma", "Oruga Bio")]


def test_a_partnership_without_rights_is_no_licence() -> None:
    assert roles("Tessin Pharma has partnered with Oruga Bio on early research in Spain.") == []


def test_a_past_deal_in_a_relative_clause_and_the_new_one_after_now() -> None:
    text = (
        "Tessin Pharma, which licensed its earlier drug to Kuma Bio in 2019, has now licensed "
        "TP-4 to Oruga Bio."
    )
    assert roles(text) == [("Tessin Pharma", "Oruga Bio")]


def test_a_name_followed_by_its_initials_is_one_name() -> None:
    sentence = (
        "Norvik Labs signed an option agreement with the Instituto de Biología Marina del Sur "
        '("IBMS"), a research institute in Cádiz, covering a sensor technology.'
    )
    assert "Instituto de Biología Marina del Sur" in names_in(sentence)


def test_initials_read_first_in_a_headline_name_the_body_s_full_name() -> None:
    text = (
        "Norvik Labs takes option from Spain's IBMS\n\n"
        "Norvik Labs signed an option agreement with the Instituto de Biología Marina del Sur "
        '("IBMS"), a research institute in Cádiz, covering a sensor technology.\n\n'
        "Under the agreement, IBMS has granted Norvik Labs an exclusive option to license it."
    )
    assert roles(text) == [("Instituto de Biología Marina del Sur", "Norvik Labs")]


@pytest.mark.parametrize(
    "text",
    [
        "Corlane Therapeutics will make an upfront payment of $20 million to Daewoo Bio for the rights to DB-7.",
        "Daewoo Bio is eligible to receive up to $400 million from Corlane Therapeutics for DB-7 rights.",
    ],
)
def test_the_payer_and_the_paid_name_the_roles(text: str) -> None:
    assert roles(text) == [("Daewoo Bio", "Corlane Therapeutics")]


def test_two_deals_in_one_sentence_each_with_its_subject() -> None:
    text = (
        "Ardent Bio has gained worldwide rights to TS-1 from Tanaka Seiyaku, and Morrow Pharma "
        "has obtained European rights to TS-2 from Tanaka Seiyaku."
    )
    assert sorted(roles(text)) == [
        ("Tanaka Seiyaku", "Ardent Bio"),
        ("Tanaka Seiyaku", "Morrow Pharma"),
    ]
    assert len(sentences(text)) == 2


def test_the_reporting_company_grants_what_another_took() -> None:
    text = (
        "Hanbyeol Therapeutics said on Tuesday that Corvane, a Lisbon-based biotech backed by "
        "venture funds, has taken exclusive rights outside Asia to HB-220."
    )
    assert roles(text) == [("Hanbyeol Therapeutics", "Corvane")]


def test_a_person_introduced_by_role_is_not_a_company_named_bare() -> None:
    text = (
        "Vinter Labs chief executive Ana Sobral said demand was strong.\n\n"
        "Sobral also confirmed that Amagiri Corporation has obtained rights to use the model."
    )
    assert ("Sobral", "Amagiri Corporation") not in roles(text)


def test_a_place_with_a_legal_form_is_no_company() -> None:
    sentence = "Its shares are listed on The Stock Exchange of Hong Kong Limited, the Board said."
    assert names_in(sentence) == []


@pytest.mark.parametrize(
    ("text", "licensor", "licensee"),
    [
        (
            "Zailin (再林生物) granted Daichi Sanwa rights to ZL-9 outside China.",
            "Zailin",
            "Daichi Sanwa",
        ),
        (
            "Merrow, the Cambridge, Massachusetts-based drugmaker, in-licensed ZL-9 from Zailin.",
            "Zailin",
            "Merrow",
        ),
        (
            "Under a licence signed on Monday, Ranjit Cells will manufacture cells using "
            "Vantis Energy's chemistry.",
            "Vantis Energy",
            "Ranjit Cells",
        ),
    ],
)
def test_bare_names_before_brackets_and_long_appositions_and_making_under_licence(
    text: str, licensor: str, licensee: str
) -> None:
    assert roles(text) == [(licensor, licensee)]


@pytest.mark.parametrize(
    "text",
    [
        "Selbridge Microsystems has been added to Kurofune Devices' licensees.",
        "Selbridge Microsystems has joined Kurofune Devices' GaN licensing programme.",
        "Kurofune Devices has signed up Selbridge Microsystems as a licensee.",
    ],
)
def test_joining_a_licensor_s_licensees(text: str) -> None:
    assert roles(text) == [("Kurofune Devices", "Selbridge Microsystems")]


def test_making_with_another_s_technology_without_a_licence_under_which() -> None:
    text = (
        "Ranjit Cells, which holds a licence from Kavach Energy, will sell cells using "
        "Vantis Energy's separators."
    )
    assert roles(text) == []
    licensed = "Under a licence signed in May, Ranjit Cells will sell cells using Vantis Energy's chemistry."
    assert kinds(licensed) == ["licence"]


# The fullest name the article gives a company is the one proposed.


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

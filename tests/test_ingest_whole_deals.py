"""Whole deals worded in ways the earlier rules missed: analyst notes (tickers, "this morning
announced"), filings that name the registrant by a defined term, co-developments whose grant is a
second verb of the subject, asset purchases, NewCos and newsletter items. Every example is
written here."""

from __future__ import annotations

from datetime import date

from briefs.ingest.extract import extract
from briefs.ingest.orgs import DocumentNames

PUBLISHED = date(2025, 6, 2)


def deals(text: str) -> list[tuple[str | None, str | None, str]]:
    return [
        (p.licensor.name if p.licensor else None, p.licensee.name if p.licensee else None, p.kind)
        for p in extract(text, published=PUBLISHED)
        if p.licensor or p.parties
    ]


def names_in(sentence: str, text: str = "") -> list[str]:
    return [m.org.name for m in DocumentNames(None, text or sentence).find(sentence)]


# 1. Analyst notes: a ticker after the name with the rating, a time word before "said".


def test_an_analyst_s_ticker_with_its_rating_stands_for_the_company() -> None:
    text = (
        "Quorra Health (QRRH, Buy, PT $41)\n\n"
        "QRRH pays Tallin Therapeutics' owner nothing yet. QRRH shares rose 4%."
    )
    names = DocumentNames(None, text)
    names.find("Quorra Health (QRRH, Buy, PT $41)")
    assert [m.org.name for m in names.find("QRRH shares rose 4%.")] == ["Quorra Health"]


def test_a_company_that_this_morning_announced_it_took_rights() -> None:
    text = (
        "Ostrava Genetics this morning announced it has taken European rights to KL-77, "
        "Pelmor Bio's inhaled antiviral, a deal we like."
    )
    assert deals(text) == [("Pelmor Bio", "Ostrava Genetics", "licence")]
    text = "Marlowe Rx last night said it had acquired global rights to Tindall Pharma's eye drop."
    assert deals(text) == [("Tindall Pharma", "Marlowe Rx", "licence")]


def test_neuroscience_ends_a_company_s_name() -> None:
    assert "Corvane Neurosciences" in names_in(
        "Engineers at Corvane Neurosciences praised the design last week."
    )


# 2. Co-developments: the partners named around an apposition, the grant a second verb.


def test_a_co_development_whose_grant_is_the_subject_s_second_verb() -> None:
    text = (
        "Brackwater Bio, a protein design start-up, and Ilsung Pharma today announced a "
        "co-development agreement for BW-310, Brackwater Bio's antibody for asthma.\n\n"
        "Brackwater Bio supplies the antibody and its patents, and grants Ilsung Pharma exclusive "
        "rights to sell BW-310 in Korea."
    )
    assert deals(text) == [("Brackwater Bio", "Ilsung Pharma", "co_development")]


def test_a_co_development_agreement_to_build_something_says_no_direction_by_itself() -> None:
    text = (
        "Tessaro Robotics, a maker of warehouse arms, and Holm Systems today announced a "
        "co-development agreement to build a gripper for parcels."
    )
    assert deals(text) == [(None, None, "co_development")]


# 3. Asset purchases: a candidate and its intellectual property bought, a filing's sale formula.


def test_a_candidate_and_its_intellectual_property_bought_from_a_maker() -> None:
    text = (
        "Sarawak Vaxgen Bhd said on Monday it had bought a malaria vaccine candidate and the "
        "related intellectual property from Dutch vaccine maker Hollin Biologics."
    )
    assert deals(text) == [("Hollin Biologics", "Sarawak Vaxgen Bhd", "asset_purchase")]


def test_a_filing_s_formula_one_agreed_to_acquire_and_the_other_to_sell() -> None:
    text = (
        'On 3 May 2025, Quanlin Devices Holdings Limited (the "Company") entered into an '
        'agreement with Wuxi Hetang Optics Co., Ltd. (无锡荷塘光学) ("Hetang" or the "Seller"), '
        "pursuant to which the Company has conditionally agreed to acquire, and the Seller has "
        "conditionally agreed to sell, the patents and moulds of the Seller's endoscope line."
    )
    assert deals(text) == [
        ("Wuxi Hetang Optics Co., Ltd", "Quanlin Devices Holdings Limited", "asset_purchase")
    ]


def test_a_maker_that_will_build_with_another_s_technology_takes_a_licence() -> None:
    text = (
        "Fjellvik Energy, the Bergen start-up that builds grid storage, said it would produce "
        "sodium cells using process technology from Jiangling Power, a supplier to bus makers."
    )
    assert deals(text) == [("Jiangling Power", "Fjellvik Energy", "licence")]


# 4. NewCos: a company launched to develop what its founder brings.


def test_a_company_launched_to_develop_the_founder_s_drugs_is_a_newco_licensee() -> None:
    text = (
        "Suzhou Linhe Biotech said on Friday it had joined U.S. investors to launch Corvid Bio, a "
        "newly formed company that will develop two of Linhe's antibodies outside China."
    )
    assert deals(text) == [("Suzhou Linhe Biotech", "Corvid Bio", "newco")]


def test_the_new_company_named_in_apposition_receives_the_founder_s_licence() -> None:
    text = (
        "Porvali Pharma Ltd. said on Monday it had teamed up with an investor to form a new "
        "company that will develop two of its malaria drugs.\n\n"
        "The new company, called Ilmari Therapeutics, will be based in Oslo and receive an "
        "exclusive worldwide licence to the two compounds."
    )
    assert [d[:2] for d in deals(text)] == [("Porvali Pharma Ltd", "Ilmari Therapeutics")]


def test_a_company_announcing_after_the_close_that_it_took_rights() -> None:
    text = (
        "Tessaly Oncology announced after the close on Thursday that it has taken European "
        "rights to MV-12, an antibody from Marrow Peak Bio, the Vancouver-based developer."
    )
    assert [d[:2] for d in deals(text)] == [("Marrow Peak Bio", "Tessaly Oncology")]


def test_a_relative_clause_between_dashes_keeps_the_grantor_the_subject() -> None:
    text = (
        "Harrow Polymers Ltd \u2014 which owns the resin patents \u2014 grants Quillon Coatings "
        "rights to use them in Canada."
    )
    assert [d[:2] for d in deals(text)] == [("Harrow Polymers Ltd", "Quillon Coatings")]


def test_a_product_code_and_a_place_between_in_licensed_and_the_owner() -> None:
    text = "Corbel Oncology has in-licensed TK-41, Chengdu Ruiyang Biotech's antibody for gastric cancer."
    assert deals(text) == [("Chengdu Ruiyang Biotech", "Corbel Oncology", "licence")]


def test_a_heading_in_capitals_spells_out_a_short_name() -> None:
    text = (
        "1) MERIVALE THERAPEUTICS (MRV, BUY) x ODEN LABS\n\n"
        "What: Oden Labs has in-licensed OD-7, Merivale's eye drop, for Europe."
    )
    assert deals(text) == [("Merivale Therapeutics", "Oden Labs", "licence")]


# 5. Newsletter items: a licensor reporting what its licensee will take, an agreement "between".


def test_a_licensor_says_its_licensee_will_take_rights() -> None:
    text = (
        "Danish start-up Skovgaard Materials said on Tuesday that Korean film maker Hanbit "
        "Films will take exclusive rights to coat panels with Skovgaard's resin in Korea."
    )
    assert deals(text) == [("Skovgaard Materials", "Hanbit Films", "licence")]


def test_a_co_development_agreement_between_two_described_companies() -> None:
    text = (
        "The second deal is a co-development agreement between Spanish coatings firm Brisol "
        "Composites and Thai specialty chemicals company Chanwit Chemicals Ltd.\n\n"
        "Brisol brings the patents and will grant Chanwit Chemicals exclusive rights to sell the "
        "coatings in Thailand."
    )
    assert deals(text) == [("Brisol Composites", "Chanwit Chemicals Ltd", "co_development")]


def test_a_product_developed_by_a_spinout_licensed_by_a_distributor() -> None:
    text = (
        "A malaria test developed by Peruvian diagnostics spinout Andina Dx has been licensed by "
        "Bogota-based Lumen Diagnósticos for Colombia and Ecuador."
    )
    assert deals(text) == [("Andina Dx", "Lumen Diagnósticos", "licence")]


def test_a_long_option_grant_reads_to_its_clause_end() -> None:
    text = (
        "Oslo-based Fennvik Medical has granted France's Brocard Medical an exclusive option to "
        "license its machine-learning software for planning the placement of stents in narrowed "
        "coronary arteries of elderly and frail patients in regional hospitals, the companies said on Monday."
    )
    assert deals(text) == [("Fennvik Medical", "Brocard Medical", "option")]


def test_a_product_built_by_one_company_licensed_by_another() -> None:
    text = (
        "A route-planning engine built by Riga-based Vektors AI has been licensed by Dutch "
        "logistics supplier Maasdam Systems for its warehouse robots."
    )
    assert deals(text) == [("Vektors AI", "Maasdam Systems", "licence")]


def test_partners_that_agreed_on_a_day_to_jointly_develop_one_s_drug() -> None:
    text = (
        "Osaka-based Hinode Pharma and Lyon's Rhodanie Biotech agreed on Monday (June 2) to "
        "jointly develop RB-12, Rhodanie Biotech's oral antifibrotic."
    )
    assert deals(text) == [("Rhodanie Biotech", "Hinode Pharma", "co_development")]


# 6. Articles of several deals: a payer with no payee, rights in-licensed to a drug "developed by".


def test_a_payer_for_the_rights_to_another_s_product_takes_them() -> None:
    text = (
        "In the first deal, Lima-based Andes Salud will pay 3 billion won ($2.1 million) upfront "
        "for the rights to develop and sell KB-30, Kyungbo Pharm's cough syrup, in Peru."
    )
    assert deals(text) == [("Kyungbo Pharm", "Andes Salud", "licence")]


def test_rights_in_licensed_to_a_drug_developed_by_another() -> None:
    text = (
        "Kyungbo Pharm in-licensed Korean rights to TZ-9, a weekly injectable developed by "
        "Xiamen-based Tianze Biotech."
    )
    assert deals(text) == [("Tianze Biotech", "Kyungbo Pharm", "licence")]


def test_a_payment_that_would_be_made_under_an_agreement_in_talks_is_no_deal() -> None:
    text = (
        "A newspaper reported that the two were finalising an agreement under which Andes Salud "
        "would pay $90 million for the right to use Kyungbo Pharm's coating process."
    )
    assert deals(text) == []


def test_rights_to_develop_and_sell_a_drug_of_a_company_with_a_glued_place() -> None:
    text = (
        "Harrow Bay Therapeutics has secured the rights to develop and sell Pune-based Konkan "
        "Biosciences' oral lupus drug in Europe."
    )
    assert deals(text) == [("Konkan Biosciences", "Harrow Bay Therapeutics", "licence")]


# 7. Kinds: the product's ownership taken over, a new company formed, an asset purchase agreement.


def test_rights_bought_with_the_product_s_trademarks_are_an_asset_purchase() -> None:
    text = (
        "Kestova Pharma said on Monday it would acquire the global rights to Lumidra, a dry eye "
        "drop, from Danish drugmaker Ostergaard Pharma A/S.\n\n"
        "Kestova will take over the drop's trademarks and marketing authorisations."
    )
    assert deals(text) == [("Ostergaard Pharma A/S", "Kestova Pharma", "asset_purchase")]


def test_a_licence_to_a_new_company_two_partners_formed_is_a_newco() -> None:
    text = (
        "Tamsel Seeds and Varanasi Agro have formed a new company to sell biological seed "
        "coatings in India.\n\n"
        "The venture, called Sporefield Biologicals, will be based in Delhi. Sporefield "
        "Biologicals receives the rights to Tamsel Seeds' strain library for India."
    )
    assert [k for *_, k in deals(text)] == ["newco"]


def test_rights_acquired_under_an_asset_purchase_agreement() -> None:
    text = (
        "Corlane Biosciences has acquired global rights to CB-9 from Hanwol Pharm (KRX: 204310), "
        "a Seoul drugmaker, under an asset purchase agreement.\n\n"
        "Separately, Corlane Biosciences licensed its eye drop to Ruvan Pharma for Brazil."
    )
    assert deals(text) == [
        ("Hanwol Pharm", "Corlane Biosciences", "asset_purchase"),
        ("Corlane Biosciences", "Ruvan Pharma", "licence"),
    ]


# 8. Wordings of taking and selling a product not met before.


def test_ways_of_taking_rights_or_a_product_from_another() -> None:
    for text in (
        "Tovik Therapeutics has struck a deal to in-license QR-8 from Pallas Biotech.",
        "Tovik Therapeutics is buying the rights to QR-8 from Pallas Biotech for $50 million.",
        "Tovik Therapeutics snapped up the rights to QR-8 from Pallas Biotech.",
        "Tovik Therapeutics has won the rights to QR-8 from Pallas Biotech.",
        "Tovik Therapeutics has bought QR-8, a nasal spray, from Pallas Biotech.",
        "Tovik Therapeutics gains exclusive rights to QR-8 in Japan under an agreement with "
        "Pallas Biotech.",
        "Tovik Therapeutics will develop and sell QR-8 in Japan under a licence from Pallas Biotech.",
        "QR-8 will be developed by Tovik Therapeutics under a licence from Pallas Biotech.",
        "Tovik Therapeutics will acquire Pallas Biotech's nasal spray programme for $30 million.",
    ):
        assert [d[:2] for d in deals(text)] == [("Pallas Biotech", "Tovik Therapeutics")], text


def test_ways_of_selling_a_product_or_naming_an_out_licensing_deal() -> None:
    for text in (
        "Pallas Biotech has sold its nasal spray QR-8 to Tovik Therapeutics for $80 million.",
        "Pallas Biotech has divested QR-8 to Tovik Therapeutics.",
        "Pallas Biotech has struck an out-licensing deal with Tovik Therapeutics for QR-8.",
    ):
        assert [d[:2] for d in deals(text)] == [("Pallas Biotech", "Tovik Therapeutics")], text


def test_a_product_handed_back_is_no_payment_received() -> None:
    assert deals("Pallas Biotech gets QR-8 back from Tovik Therapeutics") == []


def test_a_licensor_with_an_apposition_says_on_a_bare_weekday_that_another_licensed_its_platform() -> (
    None
):
    text = (
        "Velden Bio, a Ghent start-up, said Thursday that Marrow Pharma had licensed its peptide "
        "platform for use in dermatology."
    )
    assert deals(text) == [("Velden Bio", "Marrow Pharma", "licence")]


def test_a_licensor_chooses_a_partner_to_develop_and_commercialise() -> None:
    text = (
        "Kanto Seiyaku has chosen Rellis Therapeutics to develop and commercialise KS-4 in Europe."
    )
    assert deals(text) == [("Kanto Seiyaku", "Rellis Therapeutics", "licence")]
    text = "Kanto Seiyaku has tapped Rellis Therapeutics to commercialise KS-4 in Europe."
    assert deals(text) == [("Kanto Seiyaku", "Rellis Therapeutics", "licence")]


def test_a_place_and_a_describing_noun_before_a_bare_name() -> None:
    text = (
        "Pusa Agritech has acquired the rights to a salt-tolerant wheat trait from Leuven "
        "spin-out Cellora, the companies said."
    )
    assert deals(text) == [("Cellora", "Pusa Agritech", "licence")]


# 9. One more licensee of the grantor of the deal just read, named alone.


def test_one_more_licensee_of_the_same_patents_named_alone() -> None:
    text = (
        "Tarrant Semiconductor has granted Osaki Devices a licence to its gallium nitride "
        "patents.\n\n"
        "Separately, Velmont Power of Lyon has licensed the same patent family for chargers."
    )
    assert deals(text) == [
        ("Tarrant Semiconductor", "Osaki Devices", "patent_licence"),
        ("Tarrant Semiconductor", "Velmont Power", "patent_licence"),
    ]


def test_a_licensee_added_to_the_grantor_s_licensees_in_a_reported_clause() -> None:
    text = (
        "Tarrant Semiconductor has granted Osaki Devices a licence to its gallium nitride "
        "patents.\n\n"
        "A spokesperson confirmed that Velmont Power, a Lyon charger maker, had also been added "
        "to its licensees."
    )
    assert [d[:2] for d in deals(text)] == [
        ("Tarrant Semiconductor", "Osaki Devices"),
        ("Tarrant Semiconductor", "Velmont Power"),
    ]


def test_a_contractor_chosen_to_develop_a_plant_is_no_licensee() -> None:
    text = "Kanto Seiyaku has chosen Rellis Engineering to develop its new plant in Osaka."
    assert deals(text) == []


def test_headline_verbs_and_other_ways_of_taking_a_product() -> None:
    for text in (
        "Tovik Therapeutics lands rights to QR-8 from Pallas Biotech.",
        "Tovik Therapeutics nabbed the rights to QR-8 from Pallas Biotech.",
        "Tovik Therapeutics has exercised its option to acquire QR-8 from Pallas Biotech.",
        "Tovik Therapeutics agreed to license Pallas Biotech's QR-8 for Japan.",
        "The agreement gives Tovik Therapeutics exclusive rights to develop Pallas Biotech's QR-8.",
        "Tovik Therapeutics will commercialise Pallas Biotech's QR-8 in Japan under a licensing "
        "deal announced on Monday.",
    ):
        assert [d[:2] for d in deals(text)] == [("Pallas Biotech", "Tovik Therapeutics")], text


def test_partners_co_develop_a_device_named_before_its_owner() -> None:
    text = (
        "Corra Medical and Sunpath Devices agreed to co-develop a heart pump, Corra Medical's "
        "SP-2 platform."
    )
    assert deals(text) == [("Corra Medical", "Sunpath Devices", "co_development")]


# 10. Noun forms: an in-licensing, acquisition or sale "of X from / to B".


def test_noun_forms_of_taking_and_selling_a_product() -> None:
    taken = [
        ("Tovik Therapeutics' in-licensing of QR-8 from Pallas Biotech fills a gap.", "licence"),
        (
            "Tovik Therapeutics has completed the acquisition of QR-8 from Pallas Biotech.",
            "asset_purchase",
        ),
        ("Pallas Biotech's sale of QR-8 to Tovik Therapeutics closed on Monday.", "asset_purchase"),
        (
            "Pallas Biotech announced the sale of its QR-8 programme to Tovik Therapeutics.",
            "asset_purchase",
        ),
    ]
    for text, kind in taken:
        assert deals(text) == [("Pallas Biotech", "Tovik Therapeutics", kind)], text


def test_the_acquisition_of_a_stake_from_another_is_no_deal() -> None:
    assert deals("Tovik Therapeutics' acquisition of a 20% stake from Pallas Biotech closed.") == []


# 11. Filings that give each party its role, and payments that are handed over.


def test_a_filing_that_names_each_party_s_role_after_its_name() -> None:
    text = (
        "On 2 May 2025, Tovik Therapeutics, as purchaser, and Pallas Biotech, as vendor, entered "
        "into an asset purchase agreement for QR-8."
    )
    assert deals(text) == [("Pallas Biotech", "Tovik Therapeutics", "asset_purchase")]
    text = "Tovik Therapeutics, as licensee, entered into a licence agreement with Pallas Biotech."
    assert [d[:2] for d in deals(text)] == [("Pallas Biotech", "Tovik Therapeutics")]


def test_money_handed_over_for_rights_comes_from_the_licensee() -> None:
    for text in (
        "Tovik Therapeutics will hand Pallas Biotech $30 million upfront for the rights to QR-8.",
        "Tovik Therapeutics is paying Pallas Biotech $30 million upfront for QR-8.",
        "Tovik Therapeutics has signed a deal worth up to $300 million for rights to Pallas "
        "Biotech's QR-8.",
    ):
        assert [d[:2] for d in deals(text)] == [("Pallas Biotech", "Tovik Therapeutics")], text


def test_it_after_a_day_stands_for_the_company_the_sentence_before_began_with() -> None:
    text = (
        "Pallas Biotech licensed QR-8 to Tovik Therapeutics in 2019. On Monday it licensed QR-9 "
        "to Omori Pharma."
    )
    assert deals(text) == [("Pallas Biotech", "Omori Pharma", "licence")]


def test_a_licence_for_products_sold_worldwide_is_no_asset_purchase() -> None:
    text = (
        "Ostrava Diagnostics has signed a licence for Harwell Institute's patents for use in "
        "home tests sold worldwide."
    )
    assert deals(text) == [("Harwell Institute", "Ostrava Diagnostics", "patent_licence")]


def test_a_product_spun_out_into_a_company_named_before_its_description() -> None:
    text = "Pallas Biotech has spun QR-8 out into Tovik Therapeutics, a new company backed by investors."
    assert deals(text) == [("Pallas Biotech", "Tovik Therapeutics", "newco")]


def test_a_co_developer_that_owns_the_drug_is_the_licensor() -> None:
    text = "Tovik Therapeutics will co-develop QR-8 with Pallas Biotech, which owns the drug."
    assert deals(text) == [("Pallas Biotech", "Tovik Therapeutics", "co_development")]


def test_an_analyst_s_words_for_a_licensee_paying_or_adding_to_its_pipeline() -> None:
    for text in (
        "We think Tovik Therapeutics overpaid for ex-US rights to Pallas Biotech's QR-8.",
        "Tovik Therapeutics added Pallas Biotech's QR-8 to its pipeline through an in-licensing "
        "deal.",
    ):
        assert [d[:2] for d in deals(text)] == [("Pallas Biotech", "Tovik Therapeutics")], text


def test_a_product_added_to_a_pipeline_without_a_deal_word_is_none() -> None:
    assert deals("Tovik Therapeutics added Pallas Biotech's QR-8 to its pipeline review.") == []


def test_a_partner_named_alone_that_will_sell_the_product_and_pay_for_it() -> None:
    text = (
        "Pallas Biotech has found a partner for QR-8 in Japan. Tovik Therapeutics will develop "
        "and sell the inhaled drug there, paying $10 million upfront."
    )
    assert deals(text) == [("Pallas Biotech", "Tovik Therapeutics", "licence")]


def test_rights_taken_back_from_a_licensee_are_no_new_licence() -> None:
    for text in (
        "Pallas Biotech took back the rights to QR-8 from Tovik Therapeutics.",
        "Pallas Biotech will take back QR-8 from Tovik Therapeutics.",
        "Pallas Biotech gets back the rights to QR-8 under a termination agreement with Tovik "
        "Therapeutics.",
    ):
        assert deals(text) == [], text


def test_a_description_beside_the_owner_s_name_is_one_party() -> None:
    text = "Norrland Therapeutics said it had in-licensed the Chinese drugmaker Meiyang Biotech's ZX-3."
    assert deals(text) == [("Meiyang Biotech", "Norrland Therapeutics", "licence")]


def test_a_licensor_says_its_licensee_will_develop_under_the_licence() -> None:
    text = (
        "Meiyang Biotech said Norrland Therapeutics will develop ZX-3 in Europe under the licence."
    )
    assert deals(text) == [("Meiyang Biotech", "Norrland Therapeutics", "licence")]


def test_a_new_company_two_founders_formed_names_neither_as_its_licensor() -> None:
    text = (
        "Meiyang Biotech and Norrland Therapeutics have formed Zephyr Bio, a new company that "
        "will develop ZX-3."
    )
    assert [d[0] for d in deals(text)] != ["Norrland Therapeutics"]


def test_a_company_that_buys_another_s_programme_makes_an_asset_purchase() -> None:
    text = "Brisk Medical buys Tollund Bio's TL-4 programme for $10 million."
    assert deals(text) == [("Tollund Bio", "Brisk Medical", "asset_purchase")]


def test_a_reporting_verb_with_a_calendar_date_still_leads_to_the_subject_s_verb() -> None:
    text = (
        "Harlow Medical Devices said on June 13 it has licensed a catheter-navigation "
        "algorithm from Pemberton Robotics, the Haifa-based startup."
    )
    assert deals(text) == [("Pemberton Robotics", "Harlow Medical Devices", "licence")]


def test_a_taker_that_has_also_taken_a_licence_takes_it_from_the_reporter() -> None:
    text = (
        "Corin Chips Co., Ltd. has also taken a licence for the QX-4 core, "
        "Talvik Semiconductor said on Thursday."
    )
    assert deals(text) == [("Talvik Semiconductor", "Corin Chips Co., Ltd", "licence")]

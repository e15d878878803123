"""Extraction of deals worded in ways no single rule was written for: companies named bare,
defined terms and descriptions, frames of many predicates, terms across paragraphs, milestones
by kind, dates, outlets, and what a proposal carries to review. Every example is written here."""

from __future__ import annotations

from datetime import date

from briefs.actions.review import approve
from briefs.changes import Actor
from briefs.ingest.amounts import find_amounts
from briefs.ingest.extract import extract
from briefs.ingest.orgs import DocumentNames
from briefs.ingest.read import read_bytes
from briefs.ingest.review import get_proposal, ingest_document

PUBLISHED = date(2025, 3, 10)
ACTOR = Actor("reviewer", id="7")


def deals(text: str, published: date | None = PUBLISHED):
    return [p for p in extract(text, published=published) if p.licensor or p.parties]


def roles(text: str, published: date | None = PUBLISHED) -> list[tuple[str | None, str | None]]:
    return [
        (p.licensor.name if p.licensor else None, p.licensee.name if p.licensee else None)
        for p in deals(text, published)
    ]


# 1. Companies named bare, with no company word.


def test_bare_names_before_a_deal_verb_and_after_by() -> None:
    assert roles("Ormond will pay Quaystone $15 million for the rights to its sensor patents.") == [
        ("Quaystone", "Ormond")
    ]
    assert roles("The antibody was licensed to Veyra by Castamere last week.") == [
        ("Castamere", "Veyra")
    ]
    assert roles("Lindqvist has in-licensed a bispecific from Torvane.") == [
        ("Torvane", "Lindqvist")
    ]


def test_bare_name_after_a_leading_clause() -> None:
    text = "When Haldor took worldwide rights to the enzyme from Pelmark, few noticed."
    assert roles(text) == [("Pelmark", "Haldor")]


def test_sentence_initial_words_months_places_and_people_are_not_companies() -> None:
    names = DocumentNames(None, "royalties will be paid monthly.")
    found = names.find(
        "Royalties will be paid to Quaystone, and Dr Halvey will oversee trials in Brazil from March."
    )
    assert [m.org.name for m in found] == ["Quaystone"]


# 2. A place or descriptor glued before a name.


def test_place_and_descriptor_before_a_name_are_dropped() -> None:
    assert roles("Lyon-based Ferrand granted Osgood Labs exclusive rights to its coating.") == [
        ("Ferrand", "Osgood Labs")
    ]
    text = "Dortmund-listed Kessel has licensed its sorting software to Norway's Brekke."
    assert roles(text) == [("Kessel", "Brekke")]


# 3. Defined terms and descriptions.


def test_defined_terms_stand_for_the_company_they_define() -> None:
    text = (
        'This notice is issued by Tarrow Holdings Limited (the "Company"). The Company entered '
        'into a licence agreement with Pellam Bio B.V. ("Pellam" or the "Licensee"), pursuant to '
        "which the Company has granted to the Licensee an exclusive licence to TX-4."
    )
    assert roles(text) == [("Tarrow Holdings Limited", "Pellam Bio B.V")]


def test_a_description_stands_for_the_company_it_described() -> None:
    text = (
        "Corvane, a Swiss drugmaker, expanded its pipeline on Monday. "
        "The Swiss drugmaker has secured an option to license Ilsby's antibody IL-9."
    )
    [deal] = deals(text)
    assert (deal.licensor.name, deal.licensee.name, deal.kind) == ("Ilsby", "Corvane", "option")


# 4. A licence signed "with" the other party, direction in a later clause or sentence.


def test_direction_from_a_later_sentence() -> None:
    text = (
        "Halbrook has signed a licence agreement with Quenby. "
        "Under the agreement Quenby receives a non-exclusive licence to Halbrook's patents."
    )
    assert roles(text) == [("Halbrook", "Quenby")]


# 5. A long apposition between name and verb.


def test_long_apposition_between_name_and_verb() -> None:
    text = (
        "Marlowe Instruments, the Leeds-based maker of laboratory balances for the food and "
        "drug industries, has licensed its weighing firmware to Tessera Labs."
    )
    assert roles(text) == [("Marlowe Instruments", "Tessera Labs")]


# 6. Rights taken without licence words.


def test_rights_taken_paid_for_or_to_what_another_developed() -> None:
    text = "Ormond will take ex-Japan rights to the pill from Kestrin for $30 million upfront."
    [deal] = deals(text)
    assert (deal.licensor.name, deal.licensee.name) == ("Kestrin", "Ormond")
    assert deal.figure("upfront").value == 30e6
    text = (
        "Selby Cells agreed to pay a one-time technology fee of EUR 12 million for the right to "
        "use a coating process developed by Ardent Materials."
    )
    [deal] = deals(text)
    assert (deal.licensor.name, deal.licensee.name) == ("Ardent Materials", "Selby Cells")
    assert (deal.figure("upfront").value, deal.figure("upfront").unit) == (12e6, "EUR")


# 7. Passives with the licensee after "by".


def test_passive_with_the_licensee_after_by() -> None:
    assert roles("Quenby's compiler IP has been licensed by Halbrook.") == [("Quenby", "Halbrook")]
    assert roles("HB-3 was in-licensed by Tallis from Kestrin in a deal signed today.") == [
        ("Kestrin", "Tallis")
    ]


# 8. Licensee-first and noun forms.


def test_licensee_first_and_noun_forms() -> None:
    assert roles("Ormond has signed a licence for Quaystone's battery management core.") == [
        ("Quaystone", "Ormond")
    ]
    assert roles("Quaystone has added Ormond to its licensees for the core.") == [
        ("Quaystone", "Ormond")
    ]
    assert roles("Quaystone's licensing of its candidate to Ormond surprised investors.") == [
        ("Quaystone", "Ormond")
    ]


def test_co_development_takes_its_direction_from_who_gets_rights() -> None:
    text = (
        "Pellam Bio and Tarrow Pharma will jointly develop an inhaled antiviral. "
        "Pellam contributes its compound; Tarrow will run the trials and hold commercial rights "
        "in Asia."
    )
    [deal] = deals(text)
    assert (deal.kind, deal.licensor.name, deal.licensee.name) == (
        "co_development",
        "Pellam Bio",
        "Tarrow Pharma",
    )


# 9. Amounts.


def test_milestones_by_kind_are_added_up_and_kept_by_kind() -> None:
    text = (
        "Ormond licensed the antibody OR-5 from Kestrin Bio. Ormond will pay $20 million upfront, "
        "up to $150 million in regulatory milestones and $400 million in commercial milestones."
    )
    [deal] = deals(text)
    assert deal.figure("milestones").value == 550e6
    assert deal.figure("milestones_regulatory").value == 150e6
    assert deal.figure("milestones_commercial").value == 400e6


def test_terms_in_a_later_paragraph_join_the_deal_whose_parties_they_name() -> None:
    filler = "The field has drawn several entrants this year. " * 8
    text = (
        "Ormond licensed the antibody OR-5 from Kestrin Bio.\n\n"
        f"{filler}\n\n"
        "Ormond will pay Kestrin $25 million upfront and up to a further $90 million if sales "
        "targets are met."
    )
    [deal] = deals(text)
    assert deal.figure("upfront").value == 25e6
    assert deal.figure("milestones").value == 90e6


def test_aggregate_milestones_and_list_items() -> None:
    text = (
        "Tarrow Pharma out-licensed TP-1 to Pellam Bio. Pellam shall pay Tarrow:\n"
        "(i) an upfront payment of US$10 million;\n"
        "(ii) development milestone payments of up to US$30 million in aggregate; and\n"
        "(iii) sales milestone payments of up to US$60 million in aggregate."
    )
    [deal] = deals(text)
    assert deal.figure("upfront").value == 10e6
    assert deal.figure("milestones").value == 90e6


def test_a_long_comma_grouped_number_is_read_once_and_a_malformed_one_not_at_all() -> None:
    assert find_amounts("the ledger showed 2024,500 yuan in fees") == []
    assert find_amounts("a fee of 3,500,000 yuan")[0].value == 3.5e6


def test_undisclosed_terms_two_paragraphs_later() -> None:
    text = (
        "Ormond licensed the antibody OR-5 from Kestrin Bio.\n\n"
        "The antibody is in early trials. Analysts expect more such deals. Kestrin has grown "
        "quickly. Its founders met at university. The office moved last year.\n\n"
        "Financial terms were not disclosed."
    )
    [deal] = deals(text)
    assert deal.figure("total").disclosed is False


# 10. Dates.


def test_a_year_the_sentence_gives_yields_to_the_article_date() -> None:
    [deal] = deals("Ormond licensed OR-5 from Kestrin Bio, with trials due later this year.")
    assert deal.period == PUBLISHED.isoformat()


def test_a_later_year_in_the_deal_sentence_is_a_plan_not_the_deal_date() -> None:
    [deal] = deals("Ormond licensed OR-5 from Kestrin Bio and plans a plant that opens in 2027.")
    assert deal.period == PUBLISHED.isoformat()


def test_deals_dated_years_back_are_background() -> None:
    text = "In 2019 Ormond licensed OR-5 from Kestrin Bio. Ormond now sells it in Europe."
    assert deals(text) == []


def test_a_past_year_on_the_deals_clause_outweighs_a_newer_date_in_its_description() -> None:
    text = (
        "Marlow Bio licensed its antibody MB-7 to Osric Pharma for the US, Marlow said on "
        "Monday. The company licensed its earlier kinase inhibitor to Brazilian drugmaker "
        "Tavora Labs in 2020, a deal that led to a launch in Brazil last year."
    )
    assert roles(text) == [("Marlow Bio", "Osric Pharma")]


def test_a_year_in_a_takers_description_does_not_date_the_deal() -> None:
    text = (
        "Marlow Bio has licensed its antibody MB-7 to Osric Pharma, which raised $50 million "
        "in March 2023."
    )
    (deal,) = deals(text)
    assert deal.period == PUBLISHED.isoformat()


def test_a_year_in_a_description_of_the_deal_still_dates_it() -> None:
    text = "Marlow Bio licensed its antibody MB-7 to Osric Pharma, a deal signed in March 2023."
    assert deals(text) == []


def test_a_licence_told_as_made_before_is_background_without_a_year() -> None:
    text = (
        "Marlow Bio licensed its antibody MB-7 to Osric Pharma for the US, Marlow said on "
        "Monday. It is Marlow's second such deal: it had earlier licensed an antibody to "
        "Tavora Labs, which began selling it in Brazil last year."
    )
    assert roles(text) == [("Marlow Bio", "Osric Pharma")]


def test_a_partys_past_licence_in_a_relative_clause_leaves_the_news() -> None:
    text = (
        "Marlow Bio, which previously licensed a kinase inhibitor to Tavora Labs, has licensed "
        "its antibody MB-7 to Osric Pharma."
    )
    assert roles(text) == [("Marlow Bio", "Osric Pharma")]


def test_terminated_licences_propose_nothing() -> None:
    text = (
        "Tarrow Pharma granted Pellam Bio an exclusive licence to TP-1 in 2024. "
        "Pellam has given notice to terminate the licence agreement, and all rights revert to "
        "Tarrow in June."
    )
    assert deals(text, published=date(2025, 5, 1)) == []


# Outlet, royalty, stage, evidence, review.


def test_an_html_outlet_is_the_site_never_the_byline() -> None:
    page = (
        "<html><head><title>Ormond takes OR-5 | Cell Ledger</title>"
        '<meta name="author" content="Ana Ruiz"></head><body><article>'
        "<p>Ormond licensed the antibody OR-5 from Kestrin Bio on Monday, the companies said, "
        "adding a late-stage asset to its growing pipeline of immunology drugs.</p>"
        "</article></body></html>"
    )
    document = read_bytes(page.encode(), "ormond.html")
    assert document.outlet == "Cell Ledger"


def test_royalty_stage_and_evidence_reach_the_approved_fact(db) -> None:
    article = (
        "Ormond takes OR-5\n"
        "Cell Ledger Published: 2025-03-10 08:00:00\n\n"
        "Ormond Therapeutics licensed the Phase 2 antibody OR-5 from Kestrin Bio.\n"
        "Ormond will pay $20 million upfront and tiered royalties up to the low teens.\n"
    )
    [proposal_id] = ingest_document(db, read_bytes(article.encode(), "o.txt"), ACTOR).proposals
    proposal = get_proposal(db, proposal_id).proposal
    assert proposal.stage == "phase_2"
    assert proposal.royalty.startswith("tiered royalties")
    assert proposal.evidence_of["upfront"].startswith("Ormond will pay $20 million")
    fact_id = approve(db, proposal_id, ACTOR).fact_id
    stored = db.execute("SELECT stage, royalty FROM facts WHERE id = ?", [fact_id]).fetchone()
    assert stored[0] == "phase_2" and stored[1].startswith("tiered royalties")

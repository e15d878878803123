"""Deal terms in the parts and places articles give them: milestone wholes and parts, near-term
payments, money due on events or at closing, sizes of other deals, terms beside an exchange or
regulator, under a headline, in a table's rows, for one deal of several by its asset; days told
without a year. Every example is written here."""

from __future__ import annotations

from datetime import date

from test_ingest_terms import deals, roles_and_kinds

from briefs.ingest.amounts import UNDISCLOSED
from briefs.ingest.read import read_bytes

WEDNESDAY = date(2025, 6, 4)


def figures(proposal) -> dict[str, float | None]:
    return {f.role: f.value for f in proposal.figures}


def test_an_exchange_named_beside_the_parties_does_not_take_their_terms() -> None:
    text = (
        "Ostrava Biologics has licensed its antibody OB-12 to Pellam Therapeutics. Pellam will "
        "pay $30 million upfront and up to $210 million in milestones, Ostrava said in a filing "
        "to the Shenzhen Stock Exchange's growth board."
    )
    (deal,) = deals(text)
    assert figures(deal)["upfront"] == 30e6
    assert figures(deal)["milestones"] == 210e6


def test_an_aggregate_on_sales_thresholds_is_a_milestone() -> None:
    sentence = (
        "Halvard may also receive up to $90 million in the aggregate upon specified clinical "
        "milestones and up to $175 million in the aggregate upon reaching annual net sales "
        "thresholds."
    )
    assert roles_and_kinds(sentence) == [
        (90e6, "milestones", ("development",)),
        (175e6, "milestones", ("commercial",)),
    ]


def test_near_term_payments_due_on_an_event_are_development_milestones() -> None:
    sentence = (
        "Tarnow pays $12 million upfront, $8 million in near-term payments due on IND clearance, "
        "and up to $300 million in regulatory and sales milestones."
    )
    assert roles_and_kinds(sentence) == [
        (12e6, "upfront", ()),
        (8e6, "milestones", ("development",)),
        (300e6, "milestones", ("commercial", "regulatory")),
    ]
    text = "Corlinde Bio licensed its lead antibody to Tarnow Pharma. " + sentence
    (deal,) = deals(text)
    assert figures(deal)["milestones"] == 308e6


def test_near_term_cash_with_no_event_is_still_no_figure() -> None:
    sentence = "With the share purchase, Tarnow takes in $40 million of near-term cash."
    assert [role for _, role, _ in roles_and_kinds(sentence)] == [None]


def test_the_size_other_deals_passed_is_no_term_of_this_one() -> None:
    sentence = "By our count, nine transactions above $400 million were signed in the quarter."
    assert [role for _, role, _ in roles_and_kinds(sentence)] == [None]
    sentence = "Upfronts across the 40 deals this year add up to $2.1 billion."
    assert [role for _, role, _ in roles_and_kinds(sentence)] == [None]


def test_a_headline_total_in_a_sentence_of_its_own_joins_the_deal() -> None:
    text = (
        "Corlinde Bio licensed its lead antibody to Tarnow Pharma. Tarnow pays $12 million "
        "upfront and up to $300 million in milestones. Executives put the total at up to $312 "
        "million, royalties aside."
    )
    (deal,) = deals(text)
    assert figures(deal)["total"] == 312e6


def test_a_weekday_told_late_or_right_after_said_dates_the_deal() -> None:
    text = "Corlinde Bio said late Monday that it had licensed its lead antibody to Tarnow Pharma."
    assert [d.period for d in deals(text, WEDNESDAY)] == ["2025-06-02"]
    text = "Corlinde Bio said Tuesday it had licensed its lead antibody to Tarnow Pharma."
    assert [d.period for d in deals(text, WEDNESDAY)] == ["2025-06-03"]


def test_terms_naming_a_party_by_its_short_name_stay_with_the_deal() -> None:
    text = (
        "Harwell hands Asian rights to kinase inhibitor to Danish drugmaker Osterby\n\n"
        "Harwell Biologics said on Monday it had granted Osterby Pharma exclusive rights in Asia "
        "to HB-301, its kinase inhibitor. Under the agreement, the Danish drugmaker will pay $20 "
        "million upfront and up to $150 million in development and regulatory milestones."
    )
    (deal,) = deals(text)
    assert (figures(deal)["upfront"], figures(deal)["milestones"]) == (20e6, 150e6)


def test_cash_at_the_closing_is_the_upfront() -> None:
    sentence = "Brisk will pay Tollund $9.0 million in cash at the closing of the purchase."
    assert [role for _, role, _ in roles_and_kinds(sentence)] == ["upfront"]


def test_a_milestone_whole_stays_the_whole_when_its_parts_follow() -> None:
    text = (
        "Brisk Medical acquired the TL-4 programme from Tollund Bio. Tollund may receive up to "
        "$60 million in contingent payments on clinical, regulatory and sales milestones, "
        "consisting of up to $15 "
        "million in clinical milestones, up to $20 million in regulatory milestones and up to "
        "$25 million in sales milestones."
    )
    (deal,) = deals(text)
    assert figures(deal)["milestones"] == 60e6
    assert figures(deal)["milestones_commercial"] == 25e6


def test_a_total_after_sales_milestones_is_still_the_deals_total() -> None:
    sentence = (
        "Brisk pays $10 million upfront and up to $90 million in regulatory and sales "
        "milestones, for total potential consideration of up to $100 million."
    )
    assert [role for _, role, _ in roles_and_kinds(sentence)] == [
        "upfront",
        "milestones",
        "total",
    ]


def test_money_paid_as_an_event_passes_is_a_milestone() -> None:
    sentence = (
        "Brisk will pay €5 million on signing and up to €30 million more as the seed clears "
        "registration in each market."
    )
    assert [role for _, role, _ in roles_and_kinds(sentence)] == ["upfront", "milestones"]


def test_terms_the_parties_agreed_to_keep_confidential_are_undisclosed() -> None:
    text = (
        "Harwell Biologics has licensed HB-301 to Osterby Pharma. The parties agreed to keep the "
        "financial terms of the licence confidential."
    )
    (deal,) = deals(text)
    assert [(f.role, f.disclosed) for f in deal.figures] == [("total", False)]


def test_a_day_and_month_without_a_year_told_after_the_deal_dates_it() -> None:
    text = (
        "Harwell Biologics has licensed HB-301 to Osterby Pharma. The deal was announced Monday "
        "2 June. Section 5 may be amended by the parties."
    )
    assert [d.period for d in deals(text, date(2025, 6, 6))] == ["2025-06-02"]


def test_near_term_payments_count_with_the_milestones() -> None:
    sentence = (
        "Brisk will pay $20 million upfront, plus $6 million in near-term payments, and up to "
        "$120 million in sales milestones."
    )
    assert roles_and_kinds(sentence) == [
        (20e6, "upfront", ()),
        (6e6, "milestones", ("development",)),
        (120e6, "milestones", ("commercial",)),
    ]


def test_more_wordings_of_parts() -> None:
    cases = {
        "Osterby pays ₩30bn upfront and up to ₩250bn in milestones.": ["upfront", "milestones"],
        "Brisk pays upfront cash of $40m and development-stage payments of up to $160m.": [
            "upfront",
            "milestones",
        ],
        "Brisk pays EUR 9 million on completion and up to EUR 21 million in deferred "
        "consideration contingent on sales.": ["upfront", "milestones"],
        "Brisk also owes $2 million in deferred payments on each anniversary.": [None],
    }
    for sentence, wanted in cases.items():
        assert [role for _, role, _ in roles_and_kinds(sentence)] == wanted, sentence


def test_a_value_told_before_the_deal_is_read_joins_it() -> None:
    text = (
        "Harwell Biologics said it had licensed its kinase inhibitor to two partners, among them "
        "Osterby Pharma in a pact worth up to $220 million. Osterby Pharma will obtain rights to "
        "HB-301 in Europe from Harwell Biologics."
    )
    osterby = [d for d in deals(text) if d.licensee and d.licensee.name == "Osterby Pharma"]
    assert [figures(d).get("total") for d in osterby] == [220e6]


def test_terms_in_an_html_table_read_like_a_list_of_terms() -> None:
    page = (
        "<html><head><title>Harwell licenses HB-301</title>"
        "<meta name='date' content='2025-06-04'></head><body><article>"
        "<h1>Harwell licenses HB-301</h1><p>Harwell Biologics has licensed HB-301, its kinase "
        "inhibitor, to Osterby Pharma for Europe, the companies said on Wednesday.</p>"
        "<p>The main terms:</p><table><tr><th>Term</th><th>Amount</th></tr>"
        "<tr><td>Upfront payment</td><td>$20 million</td></tr>"
        "<tr><td>Clinical and regulatory milestones</td><td>up to $150 million</td></tr>"
        "<tr><td>Sales milestones</td><td>up to $200 million</td></tr></table>"
        "<p>Harwell keeps the rest of the world.</p></article></body></html>"
    )
    doc = read_bytes(page.encode(), "terms.html")
    (deal,) = deals(doc.text, doc.published_date)
    assert (figures(deal)["upfront"], figures(deal)["milestones"]) == (20e6, 350e6)


def test_terms_naming_an_asset_go_to_that_assets_deal_of_several() -> None:
    text = (
        "Harwell Biologics has licensed HB-301, its kinase inhibitor, to Osterby Pharma for "
        "Europe. In a separate deal, Harwell Biologics granted Tamsin Bio rights to HB-440, an "
        "antibody, in Japan.\n\nFor HB-301, the upfront payment is $20 million, with up to $150 "
        "million in milestones. The HB-440 deal carries $5 million upfront."
    )
    by_licensee = {d.licensee.name: figures(d) for d in deals(text)}
    assert by_licensee["Osterby Pharma"] == {"upfront": 20e6, "milestones": 150e6}
    assert by_licensee["Tamsin Bio"] == {"upfront": 5e6}


def test_terms_under_the_next_items_heading_stay_off_the_deal_before() -> None:
    text = (
        "1. HARWELL OUT-LICENSES HB-301\n\n"
        "Harwell Biologics has licensed HB-301, its kinase inhibitor, to Osterby Pharma for "
        "Europe.\n\n"
        "Brisk Medical buys Tollund Bio's TL-4 programme\n\n"
        "The buyer pays $10 million upfront and up to $40 million in milestones."
    )
    (deal,) = [d for d in deals(text) if d.licensee and d.licensee.name == "Osterby Pharma"]
    assert figures(deal) == {}


def test_more_ways_of_not_giving_the_terms() -> None:
    said = [
        "The financial details remain confidential.",
        "Terms of the licence, including the upfront, were not shared.",
        "No financial figures were released.",
        "The deal value was not given.",
        "Harwell declined to say how much it will receive.",
        "Financial terms of the transaction were withheld.",
    ]
    for sentence in said:
        (deal,) = deals("Harwell Biologics has licensed HB-301 to Osterby Pharma. " + sentence)
        assert [(f.role, f.disclosed) for f in deal.figures] == [("total", False)], sentence
    assert not UNDISCLOSED.search("In terms of revenue, the unit was not given a target.")


def test_money_that_depends_on_progress_is_a_milestone() -> None:
    cases = [
        "Brisk pays $8 million upfront and could pay another $90 million depending on progress.",
        "Tollund stands to collect up to $120 million more should the device win approval.",
        "Beyond a $4 million signing payment, Tollund may get $60 million as the programme "
        "advances.",
        "Brisk pays $3 million now and up to $47 million over time.",
        "Tollund gets $9 million up front; another $70 million hinges on clinical progress.",
    ]
    for sentence in cases:
        assert [role for _, role, _ in roles_and_kinds(sentence)][-1] == "milestones", sentence


def test_money_paid_when_the_deal_starts_is_the_upfront() -> None:
    cases = [
        "Brisk will hand over $6 million in cash when the deal closes.",
        "Tollund will receive a $4 million payment within 30 days of signing.",
        "The licence provides for a non-refundable payment of $2 million on the effective date.",
        "Brisk paid Tollund a lump sum of $11 million.",
        "Brisk pays $7 million in advance.",
    ]
    for sentence in cases:
        assert [role for _, role, _ in roles_and_kinds(sentence)] == ["upfront"], sentence


def test_a_strategic_investment_in_the_partner_is_equity() -> None:
    sentence = "Brisk is also making a $6 million strategic investment in Tollund."
    assert [role for _, role, _ in roles_and_kinds(sentence)] == ["equity"]


def test_a_regulator_named_in_the_terms_is_no_other_party() -> None:
    text = (
        "Ostrava Biologics has licensed its antibody OB-12 to Pellam Therapeutics. Pellam will "
        "pay $30 million upfront and up to $90 million on approval by India's Central Devices "
        "Standard Control Organisation."
    )
    (deal,) = deals(text)
    assert figures(deal)["upfront"] == 30e6


def test_a_headlines_value_joins_the_deal_the_body_tells() -> None:
    text = (
        "Harwell Biologics to get up to $300 million for Japanese rights to HB-301\n\n"
        "Harwell Biologics said on Monday it had granted Osterby Pharma exclusive rights in "
        "Japan to HB-301, its kinase inhibitor."
    )
    (deal,) = deals(text)
    assert figures(deal)["total"] == 300e6


def test_equity_raised_in_a_funding_round_is_no_deal_term() -> None:
    sentence = "Tollund raised EUR 40 million in equity last year."
    assert [role for _, role, _ in roles_and_kinds(sentence)] == [None]


def test_a_past_deal_told_in_passing_does_not_take_the_next_terms() -> None:
    text = (
        "Harwell Biologics has licensed HB-301, its kinase inhibitor, to Osterby Pharma. Harwell "
        "Biologics licensed an earlier antibody to Tamsin Bio in 2019. The upfront payment is "
        "$20 million, with up to $150 million in milestones."
    )
    (deal,) = deals(text)
    assert figures(deal) == {"upfront": 20e6, "milestones": 150e6}


def test_a_milestone_whole_with_a_part_named_after_it_stays_the_whole() -> None:
    text = (
        "Harwell Biologics has licensed HB-301 to Osterby Pharma. Harwell is eligible for up to "
        "$400 million in milestones, including $90 million in development milestones."
    )
    (deal,) = deals(text)
    assert figures(deal)["milestones"] == 400e6
    assert "total" not in figures(deal)


def test_a_scale_joined_by_a_hyphen_is_still_the_amount() -> None:
    assert roles_and_kinds("Brisk pays a $12-million upfront payment.") == [(12e6, "upfront", ())]


def test_the_bank_a_figure_is_quoted_from_is_no_other_party() -> None:
    text = (
        "Harwell Biologics has licensed HB-301 to Osterby Pharma. Osterby will pay about $20 "
        "million upfront, according to analysts at Kestrel Capital Group."
    )
    (deal,) = deals(text)
    assert figures(deal)["upfront"] == 20e6

"""Deal terms worded in ways the first rules were not written for: milestone lists whose items
name their kind but not the word "milestone", sums stated as "bringing the total to", kinds
before a longer link, wire scale spellings and currency codes, and terms that come a while
after the deal. Every example is written here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from briefs.ingest.amounts import find_amounts, milestone_kinds, role_of
from briefs.ingest.evaluate import AMOUNT_FIELDS, Tally, evaluate_splits
from briefs.ingest.extract import extract
from briefs.ingest.read import read_bytes

PUBLISHED = date(2025, 6, 2)


def deals(text: str, published: date | None = PUBLISHED):
    return [p for p in extract(text, published=published) if p.licensor or p.parties]


def roles_and_kinds(sentence: str) -> list[tuple[float, str | None, tuple[str, ...]]]:
    amounts = find_amounts(sentence)
    return [
        (
            a.value,
            role_of(sentence, amounts, i),
            tuple(sorted(milestone_kinds(sentence, amounts, i))),
        )
        for i, a in enumerate(amounts)
    ]


def roles_in(sentence: str) -> list[str | None]:
    return [role for _, role, _ in roles_and_kinds(sentence)]


def test_items_of_a_milestone_list_keep_the_role_and_name_their_kind() -> None:
    sentence = (
        "Pellam may earn up to $50 million in clinical milestones, $75 million on approvals in "
        "Europe and $260 million linked to annual net sales, lifting the potential value of the "
        "pact to $420 million."
    )
    assert roles_and_kinds(sentence) == [
        (50e6, "milestones", ("development",)),
        (75e6, "milestones", ("regulatory",)),
        (260e6, "milestones", ("commercial",)),
        (420e6, "total", ()),
    ]


def test_numbered_items_with_their_role_word_far_after_the_amount() -> None:
    sentence = (
        "Ostrava will pay (1) up to $12.5 million upon the achievement of defined clinical "
        "development milestones and (2) up to $310.0 million upon the achievement of defined "
        "commercial sales milestones."
    )
    assert [(v, r) for v, r, _ in roles_and_kinds(sentence)] == [
        (12.5e6, "milestones"),
        (310e6, "milestones"),
    ]


def test_a_sum_of_upfront_and_milestones_is_the_total_even_naming_milestones() -> None:
    sentence = (
        "Brava is eligible for sales-based milestone payments of up to US$90 million, bringing "
        "the aggregate of the upfront and milestone payments to up to US$110 million."
    )
    assert [(v, r) for v, r, _ in roles_and_kinds(sentence)] == [
        (90e6, "milestones"),
        (110e6, "total"),
    ]


def test_kinds_read_from_the_phrase_linked_to_the_amount() -> None:
    sentence = (
        "Quorvel may receive clinical and regulatory milestone payments of up to US$45 million "
        "and sales milestone payments in an aggregate amount of up to US$80 million."
    )
    assert [k for _, _, k in roles_and_kinds(sentence)] == [
        ("development", "regulatory"),
        ("commercial",),
    ]


def test_listed_milestones_with_one_unstated_kind_each_are_added_up() -> None:
    text = (
        "Tamsin Bio out-licensed TB-9 to Orrick Pharma. Orrick shall pay Tamsin:\n"
        "(a) an upfront payment of US$5 million;\n"
        "(b) clinical and regulatory milestone payments in an aggregate amount of up to "
        "US$20 million; and\n"
        "(c) sales-based milestone payments in an aggregate amount of up to US$30 million."
    )
    [deal] = deals(text)
    assert deal.figure("milestones").value == 50e6


def test_wire_scale_spellings_and_currency_codes_before_the_number() -> None:
    found = find_amounts("a pact worth up to $1.45 bln, JPY 2.5bn at signing and KRW 80 billion")
    assert [(a.value, a.currency) for a in found] == [
        (1.45e9, "USD"),
        (2.5e9, "JPY"),
        (80e9, "KRW"),
    ]


def test_upfront_and_milestones_named_together_are_their_sum() -> None:
    for sentence in (
        "The combined value of the upfront fee and milestone payments is up to $275 million.",
        "Halvard may collect $275 million in upfront and milestone payments.",
    ):
        assert roles_in(sentence) == ["total"]
    split = "Halvard gets $25 million upfront and milestone payments of up to $250 million."
    assert roles_in(split) == ["upfront", "milestones"]


def test_other_wordings_of_undisclosed_terms() -> None:
    for closing in (
        "Neither company would say what Brisk is paying for the rights.",
        "The partners did not give any financial details.",
        "None of the three companies disclosed the value of the agreements.",
        "Financial terms were kept confidential.",
    ):
        text = f"Brisk Labs licensed a coating process from Ellery Materials. {closing}"
        [deal] = deals(text)
        assert [f.disclosed for f in deal.figures] == [False], closing
    text = (
        "Brisk Labs licensed a coating process from Ellery Materials. Brisk did not say when "
        "production would start."
    )
    [deal] = deals(text)
    assert deal.figures == ()


def test_undisclosed_terms_of_several_deals_reach_each_of_them() -> None:
    text = (
        "Brisk Labs licensed a coating process from Ellery Materials. Separately, Ellery granted "
        "Tarnby Glass a licence to the same process. Terms of the agreements were not disclosed."
    )
    found = deals(text)
    assert len(found) == 2
    assert all([f.disclosed for f in d.figures] == [False] for d in found)


def test_a_company_described_as_listed_is_not_a_listing() -> None:
    text = (
        "About Fennick\nFennick Bio is a Lisbon-based biotechnology company listed on the "
        "Euronext Lisbon Stock Exchange."
    )
    assert [p for p in extract(text, published=PUBLISHED) if p.kind == "listing"] == []
    news = "Fennick Bio was listed on the Euronext Lisbon Stock Exchange on Tuesday."
    assert [p.kind for p in extract(news, published=PUBLISHED)] == ["listing"]


def test_a_sentence_about_both_parties_keeps_their_deal_in_focus() -> None:
    text = (
        "Corbel Bio licenses antibody to Marrick\n"
        "By a staff reporter\n"
        "LISBON, June 2 - Corbel Bio and Marrick Pharma said on Monday they had teamed up.\n"
        "Corbel shares rose 8% in early trade.\n"
        "The antibody, CB-4, is in a Phase 2 study.\n"
        "Corbel said results were due later this year.\n"
        "The trial has enrolled 120 patients so far.\n"
        "The Lisbon drugmaker will pay $40 million upfront."
    )
    [deal] = deals(text)
    assert deal.figure("upfront").value == 40e6


def test_rights_handed_back_after_a_termination_are_not_a_new_deal() -> None:
    text = (
        "Osgood Pharma has received notice from Valen Bio to terminate the licence agreement "
        "for VB-3. Valen will transfer to Osgood the clinical data and know-how it generated, and "
        "all rights licensed to Valen will go back to Osgood."
    )
    assert deals(text) == []
    other = text + " Separately, Osgood licensed its OP-7 antibody to Rennet Therapeutics."
    assert [(d.licensor.name, d.licensee.name) for d in deals(other)] == [
        ("Osgood Pharma", "Rennet Therapeutics")
    ]


def test_a_newsletter_item_takes_the_day_its_heading_gives() -> None:
    text = (
        "The Week in Licensing: May 26-30\n\n"
        "Brisk Labs licensed a coating process from Ellery Materials.\n\n"
        "Garnet licenses sensor patents to Holloway (May 28)\n\n"
        "Garnet Devices granted Holloway Instruments a licence to its pressure-sensor patents. "
        "Terms were not disclosed.\n\n"
        "Ruskin takes rights to Teague's coating\n\n"
        "Ruskin Materials has taken rights to Teague Chemicals' anti-fog coating."
    )
    found = {d.licensor.name: d.period for d in deals(text)}
    assert found == {
        "Ellery Materials": "2025-06-02",
        "Garnet Devices": "2025-05-28",
        "Teague Chemicals": "2025-06-02",
    }


def test_the_day_told_with_the_deal_in_the_next_sentence() -> None:
    text = (
        "Ruskin Materials has signed up for Teague Chemicals' anti-fog coating. Ruskin said on "
        "Wednesday it would pay Teague $4 million at signing."
    )
    [deal] = deals(text)
    assert deal.period == "2025-05-28"
    assert deal.evidence_of["date"].startswith("Ruskin said on Wednesday")
    possessive = "Thursday's deal: Garnet Devices licensed its patents to Holloway Instruments."
    assert [d.period for d in deals(possessive)] == ["2025-05-29"]


def test_contingent_wordings_and_a_milestone_total_stay_milestones() -> None:
    assert roles_in("and up to 9 billion yen in additional payments") == ["milestones"]
    assert roles_in("plus $40 million tied to enrolment goals") == ["milestones"]
    sentence = "Kelso may receive regulatory milestone payments of up to JPY 1.8 billion in total."
    assert roles_in(sentence) == ["milestones"]


def test_money_that_is_not_a_deal_term_in_an_analyst_note() -> None:
    for sentence in (
        "That outlay is easily covered by $450M of year-end cash.",
        "Funding is secure: the cash position was $310 million at June 30.",
    ):
        assert "total" not in roles_in(sentence), sentence


def test_an_amount_told_again_is_not_another_milestone() -> None:
    text = (
        "Arden Bio licensed AB-2 to Welt Pharma for $10 million upfront and up to $300 million "
        "in development and commercial milestones. Most of the $300 million is tied to sales."
    )
    [deal] = deals(text)
    assert deal.figure("milestones").value == 300e6


def test_more_wordings_of_upfront_and_milestone_payments() -> None:
    cases = {
        "Halvard receives an initial $12 million and up to $80 million more": ["upfront", "total"],
        "with $6 million payable on execution of the agreement": ["upfront"],
        "plus $30 million on first commercial sale": ["milestones"],
        "and another $15 million if enrolment targets are met": ["milestones"],
        "with up to $45 million in event-based payments": ["milestones"],
        "and up to $40 million in earn-outs": ["milestones"],
        "and up to $90 million in sales-related payments": ["milestones"],
        "Varro will also buy $8 million of Halvard common stock": ["equity"],
    }
    for sentence, wanted in cases.items():
        assert roles_in(sentence) == wanted, sentence


def test_minimum_royalties_are_not_a_deal_total() -> None:
    sentence = "Halvard is guaranteed $2 million a year in minimum royalties."
    assert roles_in(sentence) == [None]


def test_still_more_wordings_of_undisclosed_terms() -> None:
    for closing in (
        "Financial details weren't released.",
        "The deal's value was kept under wraps.",
        "Brisk declined to comment on the financial terms.",
        "Brisk did not say what it is paying Ellery.",
    ):
        text = f"Brisk Labs licensed a coating process from Ellery Materials. {closing}"
        [deal] = deals(text)
        assert [f.disclosed for f in deal.figures] == [False], closing
    rate = (
        "Brisk Labs licensed a coating process from Ellery Materials. Ellery will receive "
        "royalties, Brisk said, without giving the rate."
    )
    [deal] = deals(rate)
    assert deal.figures == ()


def test_last_weekday_is_read_against_the_article_date() -> None:
    text = "Brisk Labs licensed a coating process from Ellery Materials last Thursday."
    assert [d.period for d in deals(text)] == ["2025-05-29"]


def test_market_sizes_and_forecasts_are_not_statistics() -> None:
    for sentence in (
        "Analysts at Corbin Research estimate that the global market for gene-editing licensing "
        "could reach $9 billion by 2031.",
        "The market for patent licensing in China was worth $3 billion last year, industry data "
        "showed.",
    ):
        assert extract(sentence, published=PUBLISHED) == [], sentence
    count = "Chinese developers signed 33 licensing deals in May, industry data showed."
    assert [p.kind for p in extract(count, published=PUBLISHED)] == ["market_stat"]


def test_other_facts_beside_a_deal_only_when_news() -> None:
    text = (
        "Brisk Labs licensed a coating process from Ellery Materials. Shares of Ellery, listed on "
        "the Oslo Stock Exchange, rose 4%. Ellery's primer EM-2 received approval from the FDA in "
        "2021. We count 12 patent licences signed in China this year, a record for the sector."
    )
    assert [p.kind for p in extract(text, published=PUBLISHED)] == ["licence"]


def test_payments_now_and_later_goals_and_stock() -> None:
    cases = {
        "Varro is paying $10 million now and as much as $240 million later": [
            "upfront",
            "milestones",
        ],
        "and up to $270 million on reaching clinical and sales goals": ["milestones"],
        "milestone payments could total $300 million": ["milestones"],
        "$12 million in cash and $4 million in Varro stock": ["total", "equity"],
        "plus $15 million in near-term payments": ["milestones"],
    }
    for sentence, wanted in cases.items():
        assert roles_in(sentence) == wanted, sentence


def test_a_sentence_naming_only_a_fee_is_one_of_terms() -> None:
    text = (
        "Brisk Labs licensed a coating process from Ellery Materials. The signing fee is "
        "$8 million."
    )
    [deal] = deals(text)
    assert deal.figure("upfront").value == 8e6


def test_terms_go_to_the_deal_whose_parties_they_name_even_after_another() -> None:
    filler = "The field has drawn several entrants this year. Analysts expect more activity. "
    text = (
        "Arden Bio licensed AB-2 to Welt Pharma. Separately, Moss Therapeutics took rights to "
        f"Quill Labs' enzyme QL-1.\n\n{filler}\n\nWelt will pay Arden $20 million upfront."
    )
    found = {d.licensor.name: d for d in deals(text)}
    assert found["Arden Bio"].figure("upfront").value == 20e6
    assert found["Quill Labs"].figures == ()


def test_terms_about_the_agreement_far_after_the_articles_one_deal() -> None:
    filler = "The field has drawn several entrants this year. Analysts expect more activity. " * 4
    text = (
        f"Arden Bio licensed AB-2 to Welt Pharma.\n\n{filler}\n\n"
        "The agreement carries $30 million upfront and up to $200 million in milestones."
    )
    [deal] = deals(text)
    assert (deal.figure("upfront").value, deal.figure("milestones").value) == (30e6, 200e6)


def test_money_for_a_plant_beside_a_licence_is_not_a_term() -> None:
    sentence = (
        "Alongside the licence, Welt will build a cathode plant in Ulsan, with an investment of "
        "about 900 billion won."
    )
    assert roles_in(sentence) == [None]


def test_terms_of_found_deals_on_every_labelled_split() -> None:
    """Terms are read well wherever the deal itself was found: measured apart from how often a
    deal is found."""
    total = evaluate_splits(Path(__file__).parent / "ingest_eval")["combined"]
    amounts = Tally()
    for name in AMOUNT_FIELDS:
        amounts = amounts.plus(total.found[name])
    for name, tally in (
        ("amounts", amounts),
        *((n, total.found[n]) for n in ("undisclosed", "date")),
    ):
        assert tally.precision >= 0.95, (name, tally)
        assert tally.recall >= 0.95, (name, tally)


def test_a_whole_then_the_part_it_includes_and_payments_on_a_calendar() -> None:
    whole = "Quorvel could earn as much as $900 million if all goals are met, including $60 million upfront."
    assert roles_in(whole) == ["total", "upfront"]
    calendar = "Varro pays $4 million at signing, $2 million on the first anniversary."
    assert roles_in(calendar) == ["upfront", None]


def test_a_date_written_with_slashes_dates_the_article() -> None:
    doc = read_bytes(b"Date: 2025/04/10\n\nArden Bio licensed AB-2 to Welt Pharma.", "a.txt")
    assert [d.period for d in deals(doc.text, published=doc.published_date)] == ["2025-04-10"]


def test_an_investment_in_the_partner_is_equity_and_an_exercise_price_no_term() -> None:
    cases = {
        "Varro will also invest $12 million in Halvard at a premium.": ["equity"],
        "Varro will make a $12 million equity investment in Halvard.": ["equity"],
        "Varro will invest 900 million yuan in Hubei to build a plant.": [None],
        "Varro pays a $2 million option fee and $30 million if it exercises the option.": [
            "upfront",
            None,
        ],
    }
    for sentence, wanted in cases.items():
        assert roles_in(sentence) == wanted, sentence


def test_a_year_that_dates_something_else_leaves_the_deal_news() -> None:
    for text in (
        "Arden Bio licensed AB-2, discovered in 2017, to Welt Pharma.",
        "Arden Bio licensed AB-2 to Welt Pharma, extending a partnership that began in 2020.",
    ):
        assert [d.period for d in deals(text)] == ["2025-06-02"], text
    assert deals("Arden Bio licensed AB-2 to Welt Pharma in 2020, a deal since expanded.") == []


def test_a_span_holding_the_article_day_or_after_it_dates_the_deal_by_the_article() -> None:
    text = "Arden Bio licensed AB-2 to Welt Pharma in a deal set to close in the third quarter of 2025."
    assert [d.period for d in deals(text)] == ["2025-06-02"]
    earlier = "In March, Arden Bio licensed AB-2 to Welt Pharma."
    assert [d.period for d in deals(earlier)] == ["2025-03"]


def test_the_yen_sign_in_an_article_about_japanese_companies() -> None:
    text = (
        "Tokyo-based Sakuragi Pharma licensed its antibody SK-7 to Welt Pharma. Welt will pay "
        "Sakuragi ¥2 billion upfront and up to ¥30 billion in milestones, the Japanese drugmaker "
        "said."
    )
    [deal] = deals(text)
    assert [(f.role, f.unit) for f in deal.figures] == [
        ("upfront", "JPY"),
        ("milestones", "JPY"),
    ]
    chinese = text.replace("Tokyo", "Shanghai").replace("Japanese", "Chinese")
    assert {f.unit for f in deals(chinese)[0].figures} == {"CNY"}


def test_terms_told_just_before_the_sentence_that_tells_the_deal() -> None:
    text = (
        "Welt Pharma pays JPY 2bn upfront. Arden Bio is also eligible for JPY 40bn in milestones. "
        "Arden Bio's licensing of AB-2 to Welt Pharma is, in KRW terms, worth roughly KRW 18bn "
        "upfront at today's rate."
    )
    [deal] = deals(text)
    assert [(f.role, f.value, f.unit) for f in deal.figures] == [
        ("upfront", 2e9, "JPY"),
        ("milestones", 40e9, "JPY"),
    ]


def test_a_financing_round_beside_a_newco_is_no_deal_term() -> None:
    sentence = (
        "Verdin debuts with a $60 million Series A financing; Arden gets $10 million upfront."
    )
    assert roles_in(sentence) == [None, "upfront"]


def test_an_approval_or_sales_figure_past_the_lead_is_background() -> None:
    text = (
        "Bryce Pharma agreed to buy Calder Bio for $1.2 billion in cash. The deal is expected to "
        "close in the third quarter. Bryce said the purchase would add to earnings. Calder's drug "
        "CB-1 was approved by the FDA last year, and sales of CB-1 reached $180 million in 2024."
    )
    assert extract(text, published=PUBLISHED) == []
    news = (
        "Published: 2025-06-02\n\nCalder Bio said on Friday its drug CB-1 was approved by the FDA."
    )
    assert [p.kind for p in extract(news, published=PUBLISHED)] == ["approval"]


def test_the_headline_value_of_the_deal_is_its_total() -> None:
    text = "Arden Bio licensed AB-2 to Welt Pharma. The headline value is $640 million."
    [deal] = deals(text)
    assert deal.figure("total").value == 640e6


def test_unnamed_terms_beside_named_ones_told_before_the_deal() -> None:
    text = (
        "Welt Pharma pays $20 million upfront. The deal value is up to $400 million.\n\n"
        "Arden Bio's licensing of AB-2 to Welt Pharma was announced on Monday."
    )
    [deal] = deals(text)
    assert (deal.figure("upfront").value, deal.figure("total").value) == (20e6, 400e6)


def test_shares_sold_to_the_partners_affiliate_are_equity_in_the_deal() -> None:
    filler = "The study will enrol 300 patients. Results are due next year. " * 4
    text = (
        "Arden Bio licensed AB-2 to Welt Pharma.\n\n"
        f"{filler}\n\n"
        "Welt Pharma also entered into a share purchase agreement with Arden Capital Limited, an "
        "affiliate of Arden Bio, under which Welt agreed to sell 400,000 shares at $9.50 per share "
        "for gross proceeds of $3.8 million."
    )
    [deal] = deals(text)
    assert deal.figure("equity").value == 3.8e6


def test_terms_naming_the_parties_twenty_sentences_on() -> None:
    filler = "The study will enrol 300 patients. Results are due next year. " * 10
    text = f"Arden Bio licensed AB-2 to Welt Pharma.\n\n{filler}\n\nWelt will pay Arden $20 million upfront."
    [deal] = deals(text)
    assert deal.figure("upfront").value == 20e6


def test_links_to_other_stories_are_not_this_articles_deals() -> None:
    text = (
        "Arden Bio licensed AB-2 to Welt Pharma.\n\n"
        "Related: Varga Pharma licenses HB-9 to Osler Bio for $40 million\n\n"
        "Related stories\n"
        "- Moss Therapeutics takes rights to Quill Labs' enzyme\n"
        "- Tarnby Glass licenses coating from Ellery Materials\n\n"
        "Welt will pay $5 million upfront."
    )
    found = deals(text)
    assert [(d.licensor.name, d.licensee.name) for d in found] == [("Arden Bio", "Welt Pharma")]
    assert found[0].figure("upfront").value == 5e6


def test_a_press_releases_boilerplate_tells_no_deal() -> None:
    text = (
        "Arden Bio Licenses AB-2 to Welt Pharma\n\n"
        "BOSTON, June 2, 2025 -- Arden Bio today announced that it has licensed AB-2 to Welt "
        "Pharma.\n\n"
        "About Arden Bio\n"
        "Arden Bio has licensed AB-1 to Varga Pharma for Japan.\n\n"
        "Forward-Looking Statements\n"
        "This release states that Welt may pay milestones of up to $300 million."
    )
    found = deals(text)
    assert [(d.licensor.name, d.licensee.name, d.figures) for d in found] == [
        ("Arden Bio", "Welt Pharma", ())
    ]
    about_the_deal = "About The Deal\nArden Bio licensed AB-2 to Welt Pharma."
    assert len(deals(about_the_deal)) == 1


def test_an_outside_estimate_is_no_term_and_the_terms_stay_undisclosed() -> None:
    text = (
        "Arden Bio licensed AB-2 to Welt Pharma. Terms were not disclosed, but analysts "
        "estimated the deal at $100 million."
    )
    [deal] = deals(text)
    assert [(f.role, f.value, f.disclosed) for f in deal.figures] == [("total", None, False)]
    assert roles_in("Welt pays $25MM upfront.") == ["upfront"]
    assert find_amounts("Welt pays $25MM upfront.")[0].value == 25e6


def test_swiss_francs_and_rupees_and_a_currency_code_is_no_company() -> None:
    found = find_amounts("CHF 15 million upfront, 210 million Swiss francs and Rs 500 crore")
    assert [(a.value, a.currency) for a in found] == [
        (15e6, "CHF"),
        (210e6, "CHF"),
        (5e9, "INR"),
    ]
    text = "Arden Bio licensed AB-2 to Welt AG. Welt will pay CHF 12 million upfront."
    [deal] = deals(text)
    assert (deal.figure("upfront").value, deal.figure("upfront").unit) == (12e6, "CHF")

"""Extraction rules: roles, money, dates, other kinds, refusals; never an unexpected error."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.errors import BadInput
from briefs.ingest.extract import extract
from briefs.ingest.orgs import KnownNames
from briefs.ingest.read import read_bytes
from briefs.ingest.sentences import sentences

PUBLISHED = date(2024, 6, 14)  # a Friday


def one(text: str, **kwargs):
    found = extract(text, published=PUBLISHED, **kwargs)
    assert len(found) == 1, found
    return found[0]


def roles(p) -> tuple[str | None, str | None]:
    return (p.licensor.name if p.licensor else None, p.licensee.name if p.licensee else None)


def test_licensed_from() -> None:
    p = one("Novexa Therapeutics licensed the antibody HX-2 from Helio Biotech.")
    assert roles(p) == ("Helio Biotech", "Novexa Therapeutics")
    assert p.kind == "licence" and p.asset == "antibody HX-2"
    assert p.why == "rule licensed-from" and 0 < p.confidence <= 1


def test_granted_exclusive_licence() -> None:
    p = one("Brava Materials AG granted Kestrel Semiconductor an exclusive license to its process.")
    assert roles(p) == ("Brava Materials AG", "Kestrel Semiconductor")


def test_out_licensed_and_in_licensed() -> None:
    p = one("Lanting Pharmaceutical out-licensed LT-9 to Orvia Therapeutics.")
    assert (p.kind, *roles(p)) == ("out_licence", "Lanting Pharmaceutical", "Orvia Therapeutics")
    p = one("Meridian Medical in-licensed an imaging platform from Quell Technologies.")
    assert roles(p) == ("Quell Technologies", "Meridian Medical")


def test_agreement_to_use_the_others_technology() -> None:
    p = one("Ashby Energy signed a licensing agreement with Tarn Battery to use Tarn's cells.")
    assert roles(p) == ("Tarn Battery", "Ashby Energy")


def test_agreement_without_direction_keeps_both_parties_unassigned() -> None:
    p = one("Ashby Energy signed a licensing agreement with Tarn Battery.")
    assert roles(p) == (None, None)
    assert {x.name for x in p.parties} == {"Ashby Energy", "Tarn Battery"}
    assert p.confidence < 0.5


def test_acquire_technology_from_patent_licence() -> None:
    p = one(
        "Kestrel Semiconductor signed a patent licensing agreement with Yunmo Microelectronics "
        "to acquire wafer bonding technology from the latter."
    )
    assert (p.kind, *roles(p)) == (
        "patent_licence",
        "Yunmo Microelectronics",
        "Kestrel Semiconductor",
    )


def test_passive_licensed_to_by() -> None:
    p = one("The vector platform was licensed to Solace Biosciences by Vireo Genomics.")
    assert roles(p) == ("Vireo Genomics", "Solace Biosciences")


def test_money_roles_and_following_sentence() -> None:
    p = one(
        "Novexa Therapeutics licensed HX-2 from Helio Biotech. Novexa will pay $40 million "
        "upfront and up to $1.2bn in milestones, and will buy $30 million of Helio shares."
    )
    assert p.figure("upfront").value == 40e6
    assert p.figure("milestones").value == 1.2e9 and p.figure("milestones").approx == "up to"
    assert p.figure("equity").value == 30e6


def test_stated_conversion_wins_over_the_rate_table() -> None:
    p = one(
        "Lanting Pharmaceutical out-licensed LT-9 to Orvia Therapeutics in a deal worth "
        "up to 3.6 billion yuan (500 million US dollars)."
    )
    total = p.figure("total")
    assert (total.value, total.unit, total.value_usd, total.usd_basis) == (
        3.6e9,
        "CNY",
        500e6,
        "stated",
    )


def test_rate_table_when_no_conversion_is_stated() -> None:
    p = one(
        "Greyhaven Semiconductor licensed its design to Corbel Automotive for 45 million euros."
    )
    total = p.figure("total")
    assert total.unit == "EUR" and total.usd_basis.startswith("rate table EUR")


def test_undisclosed_terms_are_recorded_not_guessed() -> None:
    p = one(
        "Meridian Medical in-licensed a platform from Quell Technologies. Terms were not disclosed."
    )
    assert p.figure("total").disclosed is False and p.figure("total").value is None


def test_plant_investment_is_not_a_deal_value() -> None:
    p = one(
        "Morrow Batteries licensed a cathode recipe from Tessel Materials. "
        "Tessel Materials said it would spend $900 million on a new plant."
    )
    assert p.figures == ()


def test_dates() -> None:
    p = one("Pallas Chemicals licensed a process from Hinterland Systems on Tuesday.")
    assert p.period == "2024-06-11"
    p = one(
        "In the first half of 2025, Pallas Chemicals licensed a process from Hinterland Systems."
    )
    assert p.period == "2025-H1"
    p = one("On March 14, 2024, Tidewater Bio licensed FT-5 from Ferrowood Pharma.")
    assert p.period == "2024-03-14"


def test_known_names_give_company_ids_and_short_forms() -> None:
    known = KnownNames.from_pairs({"Helio Biotech": 7, "Novexa Therapeutics": 9})
    p = one("Novexa licensed HX-2 from Helio.", known=known)
    assert (p.licensor.company_id, p.licensee.company_id) == (7, 9)


def test_abbreviation_in_brackets_names_the_same_company() -> None:
    found = extract(
        "Yangtze Memory Technologies (YMTC) is a chipmaker. "
        "Samsung Electronics licensed bonding patents from YMTC.",
        published=PUBLISHED,
    )
    assert [roles(p) for p in found] == [("Yangtze Memory Technologies", "Samsung Electronics")]


def test_other_kinds() -> None:
    approval = one("Renwick Pharmaceutical's tablet RW-3 was approved by the U.S. FDA in May 2024.")
    assert (approval.kind, approval.subject.name, approval.territory, approval.period) == (
        "approval",
        "Renwick Pharmaceutical",
        "U.S.",
        "2024-05",
    )
    sales = one("Jinhai Pharmaceutical Group said sales of JH-11 reached 2.1 billion yuan in 2023.")
    assert (sales.kind, sales.period, sales.figure("sales").value) == ("sales", "2023", 2.1e9)
    stat = one("Chinese developers signed 41 out-licensing deals in the first half of 2025.")
    assert (stat.kind, stat.period, stat.figure("count").value) == ("market_stat", "2025-H1", 41)


def test_pending_approval_is_not_an_approval() -> None:
    assert extract("Renwick Pharmaceutical is applying for approval from the FDA.") == []


def test_negations_and_rumours_propose_nothing() -> None:
    for text in (
        "Corvane Battery has no plans to license its technology to Elmsworth Motors.",
        "Quintal Electronics declined to discuss a licensing deal with Arden Semiconductor.",
        "Foxmere Biologics denied reports that it licensed its platform to Gallant Pharma.",
        "Sorrel Therapeutics is in talks to license an antibody from Yanhe Biotech.",
        "Balder Biosciences is considering licensing its platform to Ketterby Pharma.",
        "Carrow Robotics did not license any technology from Dunmore Systems.",
    ):
        assert extract(text, published=PUBLISHED) == [], text


def test_a_later_denial_withdraws_the_earlier_report() -> None:
    text = (
        "Gallant Pharma licensed a CAR-T platform from Foxmere Biologics, a trade paper wrote. "
        "Foxmere Biologics denied the reports."
    )
    assert extract(text, published=PUBLISHED) == []


def test_sentences_keep_abbreviations_together() -> None:
    text = "Helio Biotech Co., Ltd. licensed it to the U.S. Food and Drug Administration. It ended."
    assert [s for _, s in sentences(text)] == [
        "Helio Biotech Co., Ltd. licensed it to the U.S. Food and Drug Administration.",
        "It ended.",
    ]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_any_text_extracts_without_error(text: str) -> None:
    for proposal in extract(text, published=PUBLISHED):
        assert proposal.evidence and 0 <= proposal.confidence <= 1


_WORDS = st.sampled_from(
    [
        "Helio",
        "Biotech",
        "Novexa",
        "Therapeutics",
        "licensed",
        "from",
        "to",
        "granted",
        "an",
        "exclusive",
        "licence",
        "$50",
        "million",
        "upfront",
        "milestones",
        "up",
        "to",
        "3.5",
        "billion",
        "yuan",
        "(",
        ")",
        ",",
        ".",
        "on",
        "Tuesday",
        "in",
        "2024",
        "Co.,",
        "Ltd.",
        "the",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=60))
def test_deal_like_word_salad_extracts_without_error(words: list[str]) -> None:
    extract(" ".join(words), published=PUBLISHED)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.html", "a.htm"]))
def test_any_bytes_read_or_refused_cleanly(data: bytes, name: str) -> None:
    try:
        doc = read_bytes(data, name)
    except BadInput:
        return
    extract(doc.text, published=doc.published_date)


def test_a_comparison_does_not_date_a_statistic() -> None:
    found = extract(
        "Chinese developers signed 41 out-licensing deals in the first half of 2025. "
        "The total licensing value reached $38 billion, 16 percent higher than in 2024.",
        published=PUBLISHED,
    )
    assert [(p.kind, p.period) for p in found] == [("market_stat", "2025-H1")] * 2
    assert found[1].figure("value").value == 38e9 and found[1].figure("growth").value == 16


def test_the_one_paid_is_the_licensor() -> None:
    p = one(
        "Ambleside Bio is to get $12 million upfront from Rothay Pharma, which takes the "
        "rights to the cough drug AB-1."
    )
    assert roles(p) == ("Ambleside Bio", "Rothay Pharma")
    assert p.figure("upfront").value == 12e6


def test_rights_to_the_owners_asset() -> None:
    p = one("Grasmere Motors said it secured the rights to Brathay Energy's cell design.")
    assert roles(p) == ("Brathay Energy", "Grasmere Motors")
    p = one("The licence gives Grasmere Motors access to Brathay Energy's cell design.")
    assert roles(p) == ("Brathay Energy", "Grasmere Motors")


def test_granted_rights_to_and_paying_for_rights() -> None:
    p = one("Brathay Energy has granted rights to its cell design to Grasmere Motors.")
    assert roles(p) == ("Brathay Energy", "Grasmere Motors")
    p = one("Grasmere Motors will pay Brathay Energy $5 million for the right to use its design.")
    assert roles(p) == ("Brathay Energy", "Grasmere Motors")
    assert p.figure("total").value == 5e6


def test_agreement_of_any_name_with_a_clause_naming_the_taker() -> None:
    p = one(
        "Coniston Bio struck a deal with Hawkshead Pharma under which Hawkshead will market "
        "Coniston's eye drug in Japan."
    )
    assert roles(p) == ("Coniston Bio", "Hawkshead Pharma")
    assert (
        extract(
            "Coniston Bio signed a supply agreement with Hawkshead Pharma for glass vials.",
            published=PUBLISHED,
        )
        == []
    )


def test_relative_clause_and_bracketed_name_between_subject_and_verb() -> None:
    p = one(
        "Coniston Bio (科尼生物), which raised $50 million in March, licensed its antibody to "
        "Hawkshead Pharma."
    )
    assert roles(p) == ("Coniston Bio", "Hawkshead Pharma")
    assert p.figures == () and p.period == PUBLISHED.isoformat()


def test_a_restatement_fills_in_the_deal_it_follows() -> None:
    p = one(
        "Coniston Bio and Hawkshead Pharma signed a licence on Monday. "
        "The licence gives Hawkshead Pharma access to Coniston Bio's enzyme. "
        "Hawkshead will make a signing payment of €4 million."
    )
    assert roles(p) == ("Coniston Bio", "Hawkshead Pharma")
    assert p.period == "2024-06-10" and p.figure("upfront").unit == "EUR"


def test_a_part_of_the_deal_beats_worth_and_a_condition_keeps_the_terms() -> None:
    p = one(
        "Hawkshead Pharma licensed a vaccine from Coniston Bio. Hawkshead will also buy shares "
        "of Coniston worth $8 million. Further contingent payments of $90 million are due if "
        "trials succeed."
    )
    assert p.figure("equity").value == 8e6 and p.figure("milestones").value == 90e6


def test_a_leading_it_is_the_subject_before() -> None:
    found = extract(
        "Hawkshead Pharma licensed a vaccine from Coniston Bio. "
        "It also sold the rights to its old inhaler to Troutbeck Health.",
        published=PUBLISHED,
    )
    assert [roles(p) for p in found] == [
        ("Coniston Bio", "Hawkshead Pharma"),
        ("Hawkshead Pharma", "Troutbeck Health"),
    ]


def test_more_negations_propose_nothing() -> None:
    for text in (
        "Coniston Bio declined to comment on reports that it licensed its enzyme to Hawkshead Pharma.",
        "Coniston Bio is said to be in talks to license its enzyme to Hawkshead Pharma.",
        "Coniston Bio may license its enzyme to Hawkshead Pharma.",
        "Coniston Bio would not license its enzyme to Hawkshead Pharma.",
    ):
        assert extract(text, published=PUBLISHED) == [], text


def test_listings_multiples_and_counts_in_words() -> None:
    found = extract(
        "Coniston Bio was listed on the Hong Kong Stock Exchange in 2019 and on the "
        "Shanghai Stock Exchange STAR Market in 2022.",
        published=PUBLISHED,
    )
    assert [(p.kind, p.subject.name, p.territory, p.period) for p in found] == [
        ("listing", "Coniston Bio", "Hong Kong", "2019"),
        ("listing", "Coniston Bio", "Mainland China", "2022"),
    ]
    assert extract("Coniston Bio plans to list on the Nasdaq next year.", published=PUBLISHED) == []
    stat = one(
        "Chinese firms paid $9 billion for licensed patents in 2020, six times more than in 2005."
    )
    assert stat.figure("growth").value == 6 and stat.figure("growth").unit == "multiple"
    stat = one("Seven Chinese drug companies signed out-licensing deals in 2023.")
    assert stat.figure("count").value == 7


def test_grammar_forms_added_with_the_second_blind_split() -> None:
    cases = {
        "Orla Robotics said on Friday it had granted Bexley Systems rights to its arm design.": (
            "Orla Robotics",
            "Bexley Systems",
        ),
        "Tamar Energy has licensed the cell recipe of Ludlow Batteries for its vans.": (
            "Ludlow Batteries",
            "Tamar Energy",
        ),
        "Hartwell Bio and Nairn Pharma will co-develop and co-commercialise Nairn's antibody.": (
            "Nairn Pharma",
            "Hartwell Bio",
        ),
        "Caddo Pharma has been granted exclusive rights to sell Pruitt Therapeutics' gel.": (
            "Pruitt Therapeutics",
            "Caddo Pharma",
        ),
        "Welby Bio has pocketed $9 million from Ansel Pharma for rights to its peptide.": (
            "Welby Bio",
            "Ansel Pharma",
        ),
        "Keld Software signed a licence agreement giving Marr Devices access to its compiler.": (
            "Keld Software",
            "Marr Devices",
        ),
        "Rhee Motors has agreed to license its gearbox to Spanish carmaker Osuna Automotive.": (
            "Rhee Motors",
            "Osuna Automotive",
        ),
    }
    for text, expected in cases.items():
        assert roles(one(text)) == expected, text


def test_direction_from_the_terms_that_follow() -> None:
    text = (
        "Shanghai Yetai Biopharma signed a licence agreement with Corran Oncology. "
        "Yetai will make an upfront payment of $8 million to Corran."
    )
    p = one(text)
    assert roles(p) == ("Corran Oncology", "Shanghai Yetai Biopharma")
    assert p.figure("upfront").value == 8_000_000


def test_option_and_exercise_fees() -> None:
    p = one(
        "Dunlin Bio paid Esk Pharma $4 million for an option to license Esk's antibody. "
        "If it exercises the option, Dunlin would pay a $20 million exercise fee."
    )
    assert p.figure("upfront").value == 4_000_000
    assert p.figure("total") is None


def test_another_countrys_dollar_is_not_read_as_us_dollars() -> None:
    from briefs.ingest.amounts import find_amounts

    found = find_amounts(
        "revenue of NT$12.4 billion, a $5 million fee, HK$2 million, R$18 million and Z$7 million"
    )
    assert [(a.value, a.currency) for a in found] == [
        (12.4e9, "TWD"), (5e6, "USD"), (2e6, "HKD"), (18e6, "BRL"),
    ]  # fmt: skip


def test_amounts_know_the_money_modules_currencies_and_scales() -> None:
    from briefs.ingest.amounts import find_amounts

    found = find_amounts(
        "It pays Rs 500 crore, S$40m, A$1.2 bln and USD 3 mm; within 48 hours 5 million doses "
        "shipped, and a 5 pounds sterling fee."
    )
    assert [(a.value, a.currency) for a in found] == [
        (5e9, "INR"), (40e6, "SGD"), (1.2e9, "AUD"), (3e6, "USD"), (5.0, "GBP"),
    ]  # fmt: skip

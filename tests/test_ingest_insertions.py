"""A deal sentence read again with what is inserted into it set aside: a time, a description
after a name, an aside, a list of things before the seller. Every example is written here, with
invented companies."""

from __future__ import annotations

from test_ingest_cued_roles import PUBLISHED, roles

from briefs.ingest.extract import extract
from briefs.ingest.insertions import set_aside
from briefs.ingest.orgs import Mention, Org


def _named(sentence: str, *names: str) -> list[Mention]:
    """The companies named in the sentence, each where it first stands."""
    return [Mention(sentence.index(n), sentence.index(n) + len(n), Org(n)) for n in names]


def test_a_time_between_the_verb_and_that() -> None:
    text = (
        "Brovik Therapeutics announced this morning that it has out-licensed its kinase "
        "inhibitor to Caldera Pharma."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_a_description_between_commas_after_the_licensor() -> None:
    text = (
        "Brovik Therapeutics, founded in 2019 by three chemists, has also added Caldera Pharma "
        "to its licensees."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_a_description_between_dashes_after_the_licensor() -> None:
    text = (
        "Brovik Therapeutics — a maker of industrial enzymes — has granted Caldera Pharma an "
        "exclusive licence to its enzyme."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_a_time_between_commas_after_the_verb() -> None:
    text = (
        "Brovik Therapeutics has granted, on Tuesday, Caldera Pharma an exclusive licence to its "
        "enzyme."
    )
    (deal,) = extract(text, published=PUBLISHED)
    assert (deal.licensor.name, deal.licensee.name) == ("Brovik Therapeutics", "Caldera Pharma")
    assert deal.period == "2025-09-02"  # the Tuesday before the article, though set aside


def test_a_list_of_things_before_the_seller_is_read_as_its_first() -> None:
    sentence = "Brovik bought the rights, files and stock for four products from Caldera."
    mentions = _named(sentence, "Brovik", "Caldera")
    pruned = set_aside(sentence, mentions)
    assert pruned is not None
    assert pruned.sentence == "Brovik bought the rights from Caldera."


def test_the_evidence_is_the_sentence_as_written() -> None:
    text = (
        "Brovik Therapeutics announced this morning that it has out-licensed its kinase "
        "inhibitor to Caldera Pharma."
    )
    (deal,) = extract(text, published=PUBLISHED)
    assert deal.evidence == text
    assert all(said == text for said in deal.evidence_of.values())


def test_a_relative_clause_of_history_gives_no_deal_of_its_own() -> None:
    text = (
        "Brovik Therapeutics, which licensed a sensor to Ostrava Labs in 2019, said its board "
        "had met."
    )
    assert roles(text) == []


def test_a_description_naming_another_company_is_kept() -> None:
    sentence = "Brovik, a licensee of Caldera, grew fast."
    mentions = _named(sentence, "Brovik", "Caldera")
    assert set_aside(sentence, mentions) is None


def test_the_names_kept_are_moved_to_their_place_in_the_shorter_sentence() -> None:
    sentence = "Brovik, based in Lyon, licensed its patents to Caldera."
    mentions = _named(sentence, "Brovik", "Caldera")
    pruned = set_aside(sentence, mentions)
    assert pruned is not None
    assert pruned.sentence == "Brovik licensed its patents to Caldera."
    assert [pruned.sentence[m.start : m.end] for m in pruned.mentions] == ["Brovik", "Caldera"]


def test_a_description_ending_the_sentence_does_not_cancel_the_deal() -> None:
    text = (
        "Brovik Pharma bought the U.S. rights from Caldera Generics, a firm that is winding down "
        "its plant."
    )
    assert roles(text) == [("Caldera Generics", "Brovik Pharma")]


def test_a_doubt_in_the_main_clause_still_cancels_it() -> None:
    text = "Brovik Pharma is in talks to license its rights to Caldera Generics, which makes vials."
    assert roles(text) == []


def test_a_description_holding_a_list_is_set_aside_whole() -> None:
    sentence = (
        "Brovik, the firm behind a way of recovering copper, zinc and tin, has licensed it to "
        "Caldera."
    )
    mentions = _named(sentence, "Brovik", "Caldera")
    pruned = set_aside(sentence, mentions)
    assert pruned is not None
    assert pruned.sentence == "Brovik has licensed it to Caldera."


def test_no_list_is_cut_where_a_second_verb_goes_on() -> None:
    sentence = "Brovik ended its licence for the sensor and returned the rights to Caldera."
    mentions = _named(sentence, "Brovik", "Caldera")
    assert set_aside(sentence, mentions) is None


def test_an_aside_saying_where_the_news_comes_from() -> None:
    text = (
        "Caldera Pharma has, according to a filing, acquired rights to Brovik Therapeutics' "
        "antibody."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_an_aside_naming_the_terms_between_the_auxiliary_and_the_verb() -> None:
    text = (
        "Caldera Pharma will, under the agreement, take exclusive rights to Brovik Therapeutics' "
        "antibody in Japan."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_a_description_led_by_a_country_or_by_one_of() -> None:
    for description in ("Norway's second-largest drugmaker", "one of the oldest enzyme makers"):
        sentence = f"Brovik, {description}, has licensed its patents to Caldera."
        mentions = _named(sentence, "Brovik", "Caldera")
        pruned = set_aside(sentence, mentions)
        assert pruned is not None
        assert pruned.sentence == "Brovik has licensed its patents to Caldera.", description


def test_a_weekday_without_on_between_the_verb_and_that() -> None:
    sentence = "Brovik announced Tuesday that it has out-licensed its patents to Caldera."
    mentions = _named(sentence, "Brovik", "Caldera")
    pruned = set_aside(sentence, mentions)
    assert pruned is not None
    assert pruned.sentence == "Brovik announced that it has out-licensed its patents to Caldera."


def test_an_aside_between_the_auxiliary_and_its_verb() -> None:
    for aside in (", after two years of talks,", " — after two years of talks —"):
        text = f"Brovik Therapeutics has{aside} granted Caldera Pharma exclusive rights to BR-12."
        assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")], aside


def test_a_passive_taker_read_with_a_time_set_aside() -> None:
    text = (
        "BR-12 has been licensed this week by Caldera Pharma. The antibody comes from Brovik "
        "Therapeutics."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_a_description_closed_before_and_a_second_name() -> None:
    text = (
        "Brovik Therapeutics, founded in 2015, and Caldera Pharma have signed a licence agreement "
        "under which Caldera takes rights to BR-12."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_a_relative_clause_after_the_taker_before_what_it_takes() -> None:
    text = (
        "Brovik Therapeutics has granted Caldera Pharma, which is backed by three pension funds, "
        "an exclusive licence to BR-12."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_an_aside_after_the_verb_before_what_it_takes() -> None:
    text = (
        "Brovik Therapeutics has signed, through its Swiss unit, an exclusive licence agreement "
        "with Caldera Pharma for BR-12."
    )
    (deal,) = extract(text, published=PUBLISHED)
    assert {p.name for p in deal.parties} == {"Brovik Therapeutics", "Caldera Pharma"}


def test_a_weekday_with_its_date_between_commas_is_set_aside_and_dates_the_deal() -> None:
    text = (
        "Brovik Therapeutics announced on Monday, 1 September, that it has granted Caldera Pharma "
        "exclusive rights to BR-12."
    )
    (deal,) = extract(text, published=PUBLISHED)
    assert (deal.licensor.name, deal.licensee.name) == ("Brovik Therapeutics", "Caldera Pharma")
    assert deal.period == "2025-09-01"


def test_an_ending_told_of_a_company_in_passing_does_not_retract_the_news() -> None:
    text = (
        "Brovik Therapeutics, which terminated its licence agreement with Ostrava Labs last year, "
        "has granted Caldera Pharma exclusive rights to BR-12."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_an_ending_told_as_the_news_still_retracts() -> None:
    text = (
        "Brovik Therapeutics has terminated its licence agreement with Caldera Pharma, which had "
        "held rights to BR-12 since 2019."
    )
    assert roles(text) == []


def test_a_doubt_in_a_bracketed_relative_clause_does_not_cancel_the_deal() -> None:
    text = (
        "Brovik Therapeutics (which declined to comment on its plans) has granted Caldera Pharma "
        "exclusive rights to BR-12."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_an_investor_named_in_a_description_is_no_party() -> None:
    for description in ("backed by Ostrava Capital", "in which Ostrava Capital holds a stake"):
        text = f"Caldera Pharma, {description}, has in-licensed BR-12 from Brovik Therapeutics."
        assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")], description


def test_a_person_leading_the_licensor_is_set_aside() -> None:
    text = (
        "Brovik Therapeutics, led by former Novartis executive Anna Berg, has licensed BR-12 to "
        "Caldera Pharma."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")]


def test_the_owner_of_a_product_read_as_a_company_is_kept() -> None:
    text = "Under the deal, Caldera Pharma will acquire the rights to Brovik Bio's RSV antibody."
    assert roles(text) == [("Brovik Bio", "Caldera Pharma")]


def test_a_description_telling_the_deal_is_kept() -> None:
    sentence = (
        "Brovik launched Caldera, a new company that will take the rights, in Japan, to BR-12."
    )
    mentions = _named(sentence, "Brovik", "Caldera")
    pruned = set_aside(sentence, mentions)
    assert pruned is None or "will take the rights" in pruned.sentence


def test_a_description_dated_as_history_is_set_aside() -> None:
    sentence = (
        "Brovik, which licensed a sensor to a Dutch firm in 2019, has licensed BR-12 to Caldera."
    )
    mentions = _named(sentence, "Brovik", "Caldera")
    pruned = set_aside(sentence, mentions)
    assert pruned is not None
    assert pruned.sentence == "Brovik has licensed BR-12 to Caldera."


def test_a_time_before_a_comma_is_set_aside_only_before_that() -> None:
    sentence = "The purchase by Brovik, announced Thursday, covers rights to BR-12 from Caldera."
    mentions = _named(sentence, "Brovik", "Caldera")
    assert set_aside(sentence, mentions) is None


def test_the_number_of_an_item_is_no_aside() -> None:
    sentence = "Under the licence, Caldera pays Brovik (i) an upfront fee and (ii) royalties."
    mentions = _named(sentence, "Caldera", "Brovik")
    assert set_aside(sentence, mentions) is None


def test_a_founder_contributing_a_licence_read_with_its_description_set_aside() -> None:
    text = (
        "Ostrava Ventures and Brovik Therapeutics have launched Caldera Bio, a new company "
        "developing eye drugs. Brovik, which discovered the antibody at its Oslo lab, will "
        "contribute an exclusive licence to BR-12."
    )
    assert roles(text) == [("Brovik Therapeutics", "Caldera Bio")]


def test_a_subsidiary_that_signs_is_the_party_not_its_owner() -> None:
    for owned in ("a wholly-owned subsidiary of", "a unit of"):
        text = f"Caldera Pharma, {owned} Ostrava Group, has in-licensed BR-12 from Brovik Therapeutics."
        assert roles(text) == [("Brovik Therapeutics", "Caldera Pharma")], owned

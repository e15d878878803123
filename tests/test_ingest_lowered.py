"""Case-insensitive patterns searched in lower-cased text find what re.IGNORECASE finds."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import briefs.ingest.extract  # noqa: F401  (builds every cued pattern)
from briefs.ingest import amounts, dates
from briefs.ingest.amounts import UNDISCLOSED
from briefs.ingest.lowered import CUED, NoCase, holds_any, lowered
from briefs.ingest.sentences import NEGATION

# Words the patterns look for, in any case, among letters re folds in its own way.
PIECES = ["Did Not", "DISCLOSE", "if", "IF", "never", "In Talks", "  ", ", ", "x"]
ODD = ["İ", "ı", "ſ", "K", "é", "É", "ß", "’", "Σ"]
TEXT = st.lists(st.sampled_from(PIECES + ODD + list("abcINKS .")), max_size=30).map("".join)

DISCLOSED = re.compile(r"\b(?:did not|declined to)\s+disclose\b", re.I)
PATTERNS = [NEGATION, DISCLOSED, re.compile(r"\bk\w+|\bs\w+|i\b", re.I)]


@given(TEXT)
def test_matches_are_those_of_the_case_insensitive_pattern(text: str) -> None:
    for pattern in PATTERNS:
        nocase = NoCase(pattern)
        found = [m.span() for m in nocase.finditer(text, lowered(text))]
        assert found == [m.span() for m in pattern.finditer(text)]
        first = nocase.search(text, lowered(text))
        expected = pattern.search(text)
        assert (first and first.span()) == (expected and expected.span())
        plain, lower = nocase.sub(" ", text, lowered(text))
        assert plain == pattern.sub(" ", text)
        after = NoCase(NEGATION).finditer(plain, lower)  # the pair serves the next search
        assert [m.span() for m in after] == [m.span() for m in NEGATION.finditer(plain)]


def test_letters_re_folds_its_own_way_are_searched_with_the_flag() -> None:
    # "ſ" is an "s" to re.IGNORECASE, and stays "ſ" in lower().
    assert lowered("Signed a licenſe") is None
    assert NoCase(re.compile("license", re.I)).search("licenſe", lowered("licenſe"))
    assert lowered("Kelvin’s İstanbul deal") is None
    assert lowered("Zürich’s DEAL") == "zürich’s deal"


def test_a_pattern_with_capitals_or_without_the_flag_is_refused() -> None:
    with pytest.raises(ValueError):
        NoCase(re.compile("Deal", re.I))
    with pytest.raises(ValueError):
        NoCase(re.compile("deal"))
    with pytest.raises(ValueError):
        NoCase(re.compile("σύμβαση", re.I))  # re matches "ς" to "σ"; lower() leaves it be


def test_cues_turn_away_only_text_without_them() -> None:
    deal = NoCase(re.compile(r"\blicen[cs]e\b", re.I), cues=("licen",))
    assert deal.search("A LICENCE deal", lowered("A LICENCE deal"))
    assert deal.search("A licenſe deal", lowered("A licenſe deal"))  # re's "s"
    assert deal.search("A pact", lowered("A pact")) is None
    assert deal.sub("-", "A LICENCE deal", lowered("A LICENCE deal")) == ("A - deal", "a - deal")
    assert deal.sub("-", "A pact", lowered("A pact")) == ("A pact", "a pact")


DATE_PIECES = ["March ", "MAR. ", "3 ", "2024 ", "Q2 ", "first half of ", "on ", "Tuesday "]
DATE_PIECES += ["LAST YEAR ", "in ", "Monday's ", "yesterday ", "third Quarter of ", "Dec "]
DATE_TEXT = st.lists(st.sampled_from(DATE_PIECES + ODD + [", "]), max_size=8)


@given(DATE_TEXT.map("".join))
def test_dates_are_read_as_by_each_rule_in_the_text_as_written(text: str) -> None:
    published = date(2025, 3, 14)
    expected = next(
        (
            period
            for name, pattern in dates._RULES
            for match in pattern.finditer(text)
            if (period := dates._to_period(name, match, published))
        ),
        None,
    )
    assert dates.find_period(text, published) == expected


def test_every_wording_of_a_cued_pattern_holds_one_of_its_cues() -> None:
    """A wording added to a pattern without a cue for it would be turned away unread: every
    text the pattern matches must hold a cue. Patterns are checked as the extractor builds them."""
    assert len(CUED) >= 3
    for cued in CUED:
        _check_cues(cued)


def test_a_wording_without_a_cue_is_caught() -> None:
    pattern = re.compile(r"\blicen[cs]e\b|\bpartnership\b", re.I)
    with pytest.raises(AssertionError):
        _check_cues(NoCase(pattern, cues=("licen",)))


def _check_cues(cued: NoCase) -> None:
    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(cued.anycase, fullmatch=True))
    def holds_a_cue(text: str) -> None:
        assert any(cue in text.lower() for cue in cued.cues), (cued.anycase.pattern, text)

    holds_a_cue()


TERMS_PIECES = [
    "Terms ",
    "TERMS ",
    "were not ",
    "WERE NOT ",
    "disclosed",
    "DISCLOSED",
    "undisclosed ",
]
TERMS_TEXT = st.lists(st.sampled_from(TERMS_PIECES + ODD + [", ", ". "]), max_size=12)


@given(TERMS_TEXT.map("".join))
def test_a_cued_wording_is_found_as_the_case_insensitive_pattern_finds_it(text: str) -> None:
    # The cues are looked for in text.lower(), the pattern where lowering keeps every place:
    # "İ" lowers to two characters, so text holding it is searched as written.
    cued = UNDISCLOSED._pattern
    expected = cued.anycase.search(text)
    if not any(cue in text.lower() for cue in UNDISCLOSED._cues):
        expected = None
    found = UNDISCLOSED.search(text)
    assert (found and found.span()) == (expected and expected.span())


@given(st.text(alphabet="abcdeİıſK ", max_size=20), st.lists(st.text("abcİı", min_size=1)))
def test_holds_any_is_any_word_in_the_text(text: str, words: list[str]) -> None:
    assert holds_any(text, tuple(words)) == any(word in text for word in words)


ROLE_PIECES = ["upfront ", "milestone ", "equity ", "in total ", "royalty ", "exercise fee "]
ROLE_PIECES += ["Upfront ", "SHARES ", "aggregate ", "later ", "on signing ", "x ", "of "]
ROLE_TEXT = st.lists(st.sampled_from(ROLE_PIECES + ODD), max_size=8).map("".join)


@given(ROLE_TEXT, ROLE_TEXT)
def test_the_nearest_role_word_is_the_one_each_role_tried_in_turn_finds(
    before: str, after: str
) -> None:
    # All the roles' words searched at once after the amount choose as trying each role in
    # table order does: the nearest word, and of two as near the role listed first.
    before = before.rstrip()  # a word ending right at the amount is as near as one starting there
    best = None
    for role, pattern in amounts.ROLE_WORDS:
        first = pattern.search(after)
        if first and (best is None or first.start() * 0.8 < best[0]):
            best = (first.start() * 0.8, role)
        hits = list(pattern.finditer(before))
        if hits and (best is None or len(before) - hits[-1].end() < best[0]):
            best = (len(before) - hits[-1].end(), role)
    assert amounts._nearest_role_word(before, after) == (best[1] if best else None)

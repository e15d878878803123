"""The words a document writes in lower case, asked one by one, are those its text holds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from briefs.ingest.bare_names import LowerWords

PIECES = ["sodium", "-", "ion", "Sodium", " ", ".", "_", "x", "1", "é", "royalties", "ab"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
ASKED = st.sampled_from(["sodium", "sodium-ion", "ion", "royalties", "ab", "x", "Sodium", "ab-"])


@given(TEXT, ASKED)
def test_a_word_is_known_exactly_when_the_text_writes_it_whole_in_lower_case(
    text: str, word: str
) -> None:
    written = re.findall(r"(?<![\w-])[a-z][a-z]+(?:-[a-z]+)*(?![\w-])", text)
    assert (word in LowerWords(text)) == (word in written)


def test_a_word_inside_a_longer_one_is_not_written_alone() -> None:
    common = LowerWords("Sodium-ion cells; the royalties_x rose. Royalties paid.")
    assert "royalties" not in common  # joined to "_x"
    assert "ion" not in common and "sodium" not in common
    assert "cells" in common and "paid" in common

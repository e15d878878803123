"""Names made of characters that draw nothing are refused; format characters are dropped."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefs.changes import Actor, add_alias, add_company
from briefs.errors import BadInput
from briefs.text import clean_name

ACTOR = Actor("test:names")
INVISIBLE = [
    "\u3164",
    "\u115f",
    "\u1160",
    "\uffa0",
    "\u2800",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u061c",
    "\U000e0041\U000e0042",
    "\u3164 \u3164",
    "\u2060\u3164\ufeff",
]

format_chars = st.characters(categories=["Cf"]) | st.integers(0xE0000, 0xE007F).map(chr)
blank_letters = st.sampled_from("\u115f\u1160\u3164\uffa0\u2800 ")


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_company_or_alias_with_nothing_visible_is_refused(db, name):
    with pytest.raises(BadInput) as caught:
        add_company(db, name, ACTOR)
    assert caught.value.code in ("invisible_name", "empty")
    company = add_company(db, "Visible Bio", ACTOR)
    with pytest.raises(BadInput) as caught:
        add_alias(db, company, name, ACTOR)
    assert caught.value.code in ("invisible_name", "empty")
    assert db.execute("SELECT count(*) FROM companies").fetchone()[0] == 1


def test_format_characters_are_dropped_from_a_stored_name(db):
    company = add_company(db, "Jun\u2060shi\ufeff Bio\u00ad", ACTOR)
    assert db["companies"].get(company)["name"] == "Junshi Bio"


@given(st.lists(format_chars | blank_letters, min_size=1, max_size=20).map("".join))
def test_no_mix_of_invisible_characters_passes_as_a_name(typed):
    with pytest.raises(BadInput):
        clean_name(typed, field="name")


@given(st.text(min_size=1, max_size=50))
def test_a_cleaned_name_has_no_format_character_and_something_to_see(typed):
    try:
        name = clean_name(typed, field="name")
    except BadInput:
        return
    assert not any(unicodedata.category(ch) == "Cf" for ch in name)
    assert any(unicodedata.category(ch)[0] in "LNPS" and ch.strip() for ch in name)

"""How a description ties to the company it stands for, apart from the words it shares with
what the article called that company: a country's words ("the Korean group" for "South Korea's
B", "the Swiss drugmaker" for "Basel-based B", "the Swedes"), and the kind a name itself says
("the institute" for "the Institut Rhodanien de Cardiologie"). Tables: ``data/ingest/names.toml``.
"""

from __future__ import annotations

import re
import tomllib

from .bare_names import NAMES_FILE


def _load() -> tuple[dict[str, str], dict[str, str], list[str], tuple[str, ...]]:
    """Country words and city words (case-folded) -> the country's key; a country's people; the
    nouns that describe a company."""
    with open(NAMES_FILE, "rb") as fh:
        data = tomllib.load(fh)
    country = {w: "@" + key for key, words in data["country_words"].items() for w in words}
    city = {w: "@" + key for key, words in data["city_countries"].items() for w in words}
    return country, city, data["country_people"], tuple(data["describing_nouns"])


COUNTRY_KEY, CITY_KEY, _PEOPLE_WORDS, DESCRIBING_NOUNS = _load()
# "the Swedes", "the Koreans": a country's people standing for its company in the story.
PEOPLE = tuple(w.capitalize() for w in _PEOPLE_WORDS)
_PEOPLE = re.compile(r"\b[Tt]he\s+(?P<noun>" + "|".join(PEOPLE) + r")\b")
# Words in a name that say what kind of body it is: "Institut ..." is "the institute".
_NAME_KINDS = {
    "institute": "institute",
    "institut": "institute",
    "instituto": "institute",
    "istituto": "institute",
    "institutet": "institute",
    "university": "university",
    "universität": "university",
    "universite": "university",
    "université": "university",
    "universidad": "university",
    "universidade": "university",
    "università": "university",
    "hospital": "hospital",
    "foundation": "foundation",
    "biotech": "biotech",
    "bio": "biotech",
    "biosciences": "biotech",
    "bioscience": "biotech",
    "biotherapeutics": "biotech",
    "therapeutics": "biotech",
}
# The kind nouns a description may end in besides the describing nouns of orgs.py.
KIND_NOUNS = ("institute", "university", "hospital", "foundation")


def stored(words: set[str]) -> frozenset[str]:
    """What a company was called, with the country each place word belongs to."""
    keys = {COUNTRY_KEY.get(w) or CITY_KEY.get(w) for w in words}
    keys.discard(None)
    return frozenset(words | keys)  # type: ignore[operator]


# "the South Korean firm": a compass word before a country says nothing the country does not.
_COMPASS = frozenset(["south", "north", "east", "west"])


def asked(words: set[str]) -> set[str]:
    """A description's words, a country's adjective or people read as the country itself, so
    that it matches a company introduced with any of that country's words."""
    keyed = {COUNTRY_KEY.get(w, w) for w in words}
    if any(w.startswith("@") for w in keyed):
        keyed -= _COMPASS
    return keyed


def by_country(words: set[str]) -> set[str]:
    """A description's cities read as their countries: "the Tokyo-based company" may stand for
    a company introduced only as "Japan's B", when none was introduced by the city."""
    return {CITY_KEY.get(w, w) for w in words}


def name_kinds(name: str) -> frozenset[str]:
    """The kinds of body a name says it is: "Karlstad University" is a university."""
    return frozenset(_NAME_KINDS[w] for w in name.casefold().split() if w in _NAME_KINDS)


def people(sentence: str) -> list[re.Match[str]]:
    """ "the Swedes" and the like in ``sentence``."""
    return list(_PEOPLE.finditer(sentence))

"""Companies named bare ("Bayer will pay ...", "... licensed to Incyte by Zai Lab"): a capitalised
name in an argument position of a deal predicate, found with no known name and no company word.

A run of capitalised words counts as a company only where a deal sentence puts a party: before a
deal verb or auxiliary, after a preposition or verb that introduces the other party, before a
possessive, or before a defined term. Places, months, titles, regulators, exchanges, drug codes
and common words capitalised at the start of a sentence are refused (``data/ingest/names.toml``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .lowered import holds_any

NAMES_FILE = Path(__file__).resolve().parents[2] / "data" / "ingest" / "names.toml"

_WORD = r"[A-Z][\w&]*(?:[-.][\w&]+)*"
_WORD_RE = re.compile(_WORD)
_CODE = re.compile(r"\d")  # a word with a digit is a drug or product code ("HM-331", "QB-88")
_DEFINITION = re.compile(r"\s*\((?:the\s+)?[\"“]")
# "Tamsin Rail, Norway's oldest rolling-stock maker, will ...", "Fjordgen, which ..., has",
# "Merrow, the Cambridge, Massachusetts-based drugmaker, in-licensed": an apposition, then the
# word after any of its commas may be the verb.
_APPOSITION_START = re.compile(r",\s+(?:a|an|one|the|which|who|[A-Z][\w-]*['’]s)\s")
_COMMA_THEN_WORD = re.compile(r",\s+([\w-]+)")
_BRACKET = re.compile(r"\s*\([^()]{1,40}\)\s+")
# "Novartis said on Tuesday it had ...": a company reports its own deal as "it"; a person who
# says something is "he" or "she", so "said" alone makes no party.
_SAID_IT = re.compile(
    r"\s+(?:(?:today|yesterday|last\s+night|this\s+morning|late\s+\w+|earlier\s+today)\s+)?"
    r"(?:said|says|confirmed|confirms|announced|announces)\s+"
    r"(?:(?:on\s+\w+|today|yesterday|in a statement)\s+)?"
    r"(?:that\s+)?its?\b"
)
# A place glued before a name ("from Ghent-based Lavrenne"): the cue is the word before it.
_GLUED_PLACE = ("-based", "-listed", "-headquartered")
_OWNER_OR_ORIGIN_BEFORE = re.compile(r"(?:['’]s|(?:developed|discovered|invented|created)\s+at)\Z")
_NOT_OWNED = re.compile(r"['’]s?\s+(?:own|disease|syndrome|republic|law)\b", re.I)
_POSSESSIVE = re.compile(r"['’]s?\s")
# "from Leuven spin-out Cellora": a place before the describing noun, the name after it.
_DESCRIPTOR_THEN_NAME = re.compile(
    r"\s+(?:[a-z][\w-]*\s+){0,2}?(?:start-?up|spin-?out|spin-off|maker|drugmaker|chipmaker|"
    r"carmaker|automaker|developer|firm|company|group|supplier|manufacturer|producer|biotech)"
    r"\s+[A-Z]"
)
# "from Kobe's Sakuragi Pharmaceutical": a possessive before a company's full name is its place.
_BEFORE_A_COMPANY = re.compile(r"['’]s\s+(?:[A-Z][\w&-]*\s+){0,3}(?P<last>[A-Z][\w&-]*)")


@dataclass(frozen=True)
class NameWords:
    """The word lists of ``data/ingest/names.toml``, loaded once."""

    subject_verbs: frozenset[str]
    object_cues: frozenset[str]
    not_companies: frozenset[str]
    titles: frozenset[str]
    places: frozenset[str]
    not_party_terms: frozenset[str]
    nationalities: frozenset[str]  # "Finnish": also among not_companies
    company_words: frozenset[str]  # as written: "Battery" ends a name, "battery" does not
    connectors: frozenset[str]  # as written: "del" of "Semillas del Plata"

    @classmethod
    def load(cls, path: Path = NAMES_FILE) -> NameWords:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
        data["not_companies"] = (
            data["not_companies"] + data["nationalities"] + data["country_people"]
        )
        return cls(
            *(
                frozenset(w.casefold() for w in data[key])
                for key in (
                    "subject_verbs",
                    "object_cues",
                    "not_companies",
                    "titles",
                    "places",
                    "not_party_terms",
                    "nationalities",
                )
            ),
            frozenset(data["company_words"]),
            frozenset(data["connectors"]),
        )


WORDS = NameWords.load()
# A company word, then "of": the bare word after it is the company's place.
_COMPANY_OF = re.compile(r"\b(?:" + "|".join(map(re.escape, WORDS.company_words)) + r")\.?\s+of\Z")
# A run of capitalised words, a connector or "&" allowed between two: "Semillas del Plata".
CONNECTOR = r"(?:" + "|".join(sorted(WORDS.connectors)) + r")"
_RUN = re.compile(
    r"(?<![\w.@/-])" + _WORD + r"(?:\s+(?:&\s+|" + CONNECTOR + r"\s+)?" + _WORD + r")*"
)


class LowerWords:
    """Words the document writes in lower case: such a word capitalised at a sentence's start
    ("Royalties will be paid") is an ordinary word, not a company. A document is asked about a
    few words at most, so each is looked for where it stands rather than every word read."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __contains__(self, word: object) -> bool:
        # "sodium-ion" too: "Sodium-ion gets a licensee" opens with an ordinary word
        if not isinstance(word, str) or not _LOWER_WORD_SHAPE.fullmatch(word):
            return False
        text, at = self._text, self._text.find(word)
        while at != -1:  # a whole word: no letter, digit or hyphen joined on either side
            end = at + len(word)
            if not (at and _WORDISH.match(text, at - 1)) and not _WORDISH.match(text, end):
                return True
            at = text.find(word, at + 1)
        return False


_LOWER_WORD_SHAPE = re.compile(r"[a-z][a-z]+(?:-[a-z]+)*")
_WORDISH = re.compile(r"[\w-]")


# Words a sentence that can state a deal has one of: the bare-name reading runs only on these.
DEAL_STEMS = (
    "licen",
    "right",
    "option",
    "agreement",
    "deal",
    "front",
    "milestone",
    "royalt",
    "pay",
    "paid",
    "acqui",
    "collaborat",
    "partner",
    "patent",
    "technolog",
    "know-how",
    "commerciali",
    "co-develop",
    "jointly",
)


def bare_names(sentence: str, common: LowerWords) -> list[tuple[int, int]]:
    """(start, end) of each capitalised run that stands where a deal puts a party; the caller
    leaves out headlines in Title Case, where capitals say nothing (:func:`title_case`)."""
    lowered = sentence.lower()
    if not holds_any(lowered, DEAL_STEMS):  # plain scans: cheaper than a pattern
        return []
    found = []
    for run in _RUN.finditer(sentence):
        if not _is_party_position(sentence, run.start(), run.end(), None):
            continue  # its edges, trimmed or not, are where no party stands
        span = _trim(sentence, run.start(), run.end())
        if span is None:
            continue
        start, end = span
        if span == run.span():  # untrimmed: only the ordinary-word test is left to ask
            if not _ordinary_opening(sentence, start, end, common):
                found.append(span)
        elif _is_party_position(sentence, start, end, common):
            found.append(span)
    return found


def _trim(sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """The run without the place, descriptor or ordinary words at its edges; None when nothing
    that could be a name is left."""
    words = list(_WORD_RE.finditer(sentence, start, end))
    if words and words[0][0].casefold().rstrip(".") in WORDS.titles:
        return None  # "Dr Halvey": a person
    glued = [i for i, w in enumerate(words) if w[0].casefold().endswith(_GLUED_PLACE)]
    if glued:  # "São Paulo-based Cordeiro": a place of any length glued before the name
        words = words[glued[-1] + 1 :]
    while words and _not_name(words[0][0]):
        words.pop(0)
    while words and _not_name(words[-1][0]):
        words.pop()
    if not words or any(_CODE.search(w[0]) for w in words):
        return None
    if all(w[0].casefold() in WORDS.places for w in words):
        return None
    first, last = words[0], words[-1]
    text = sentence[first.start() : last.end()].rstrip(".")
    if len(text) < 2 or (text.isupper() and len(text) > 5):
        return None
    return first.start(), first.start() + len(text)


def _not_name(word: str) -> bool:
    folded = word.casefold().rstrip(".")
    return (
        folded in WORDS.not_companies
        or folded in WORDS.places
        or folded.endswith(_GLUED_PLACE)
        or len(folded) < 2
    )


def _is_party_position(sentence: str, start: int, end: int, common: LowerWords | None) -> bool:
    before = sentence[max(0, start - 60) : start].rstrip()  # near words only: runs are many
    after = sentence[end : end + 160]
    words_before = before.rsplit(None, 2)[-2:] if before else []
    if len(words_before) == 2 and words_before[1].casefold().endswith(_GLUED_PLACE):
        words_before = words_before[:1]
    previous = words_before[-1].casefold() if words_before else ""
    if previous.rstrip(".") in WORDS.titles:
        return False  # "Dr Kessler": a person
    following = after.split(None, 1)[0].casefold().strip(",;:") if after.strip() else ""
    name = sentence[start:end]
    if common is not None and _ordinary_opening(sentence, start, end, common):
        return False  # an ordinary word at the start of a sentence
    if _DEFINITION.match(after):
        return True
    if after[1:2].islower() and _DESCRIPTOR_THEN_NAME.match(after):
        return False
    owned = _BEFORE_A_COMPANY.match(after)
    if owned and owned["last"] in WORDS.company_words:
        return False
    if _POSSESSIVE.match(after) and not _NOT_OWNED.match(after):
        return True
    if _OWNER_OR_ORIGIN_BEFORE.search(before):
        return True  # "Brazil's Campo Alto", "developed at Harrowgate University"
    if " " not in name and _COMPANY_OF.search(before):
        return False  # "Feldberg Werkstoffe of Mannheim will": where the company is
    if after.startswith(" ") and following in WORDS.subject_verbs:
        return True
    if _SAID_IT.match(after):
        return True
    bracket = _BRACKET.match(after)  # "Zailin (再林生物) granted"
    if bracket and _first_word(after[bracket.end() :]) in WORDS.subject_verbs:
        return True
    if _APPOSITION_START.match(after) and any(
        m[1].casefold() in WORDS.subject_verbs for m in _COMMA_THEN_WORD.finditer(after, 2)
    ):
        return True  # "Samudra Digital, one of Indonesia's largest ..., will deploy"
    return previous in WORDS.object_cues


def _ordinary_opening(sentence: str, start: int, end: int, common: LowerWords) -> bool:
    """An ordinary word that opens a sentence ("Shares rose"), not a name."""
    name = sentence[start:end]
    if " " in name or name.casefold() not in common:
        return False
    return _opens_sentence(sentence[max(0, start - 60) : start].rstrip(), start)


def _first_word(text: str) -> str:
    words = text.split(None, 1)
    return words[0].casefold().strip(",;:") if words else ""


def _opens_sentence(before: str, start: int) -> bool:
    if not before:
        return start <= 60
    return before.endswith((".", ":", '"', "“", "-", "—", "–", ")"))


_LOWER_WORD = re.compile(r"(?<![\w'-])[a-z][\w'-]{3,}")


def title_case(sentence: str) -> bool:
    """A headline in Title Case or CAPITALS ("Asterra Pharma Secures Option to ..."): every word
    longer than a short function word is capitalised, so shape says nothing about names."""
    if _LOWER_WORD.search(sentence):
        return False
    long_words = re.findall(r"(?<![\w'-])[A-Za-z][\w'-]{3,}", sentence)
    return len(long_words) >= 3

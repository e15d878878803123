"""Find the organisations a sentence names: known companies by alias, new ones by the shape of a name.

Known names come from the aliases table (:class:`KnownNames`). New names are recognised by a
company word at their end ("Far East Battery", "Helio Biotech Co., Ltd."), by a describing noun
in front ("battery maker Walkreck") or by an apposition ("Novexa, a Swiss drugmaker"). Within one
document a name's short forms ("Samsung" after "Samsung Electronics", "YMTC" after
"Yangtze Memory Technologies (YMTC)") point to the same organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..text import normalize_name
from .bare_names import CONNECTOR, WORDS, LowerWords, bare_names, title_case
from .descriptions import (
    DESCRIBING_NOUNS,
    KIND_NOUNS,
    PEOPLE,
    asked,
    by_country,
    name_kinds,
    people,
    stored,
)
from .lowered import holds_any

if TYPE_CHECKING:
    from sqlite_utils import Database

# Words that end an organisation's name, as written (case matters: "Battery" yes, "battery" no):
# the `company_words` of data/ingest/names.toml.
COMPANY_WORDS = WORDS.company_words
# A capitalised compound ending in one of them ("AgroSciences", "NeuroTherapeutics") ends one too.
_COMPOUND_TAIL = re.compile(
    r"[a-z](?:" + "|".join(sorted((w for w in COMPANY_WORDS if len(w) > 4), key=len)) + r")$"
)
_SUFFIX_ONLY = re.compile(
    r"[A-Z]\.[A-Z]\.|A\.Ş\.|S\.p\.A|a\.s\.|S\.r\.l|Pvt|Pte|Co\.,?\s+Ltd|A/S|Sdn|o\.o\.|s\.r\.o\.|Kft\."
)
# Legal suffixes written with dots ("B.V.", "S.p.A.", "a.s."), which the word splitter breaks up.
_DOTTED_SUFFIX = re.compile(
    r"(?P<name>(?<![\w-])[A-Z][\w&]*(?:-[A-Z0-9][\w&]*)*"
    r"(?:\s+(?:" + CONNECTOR + r"\s+|&\s+)?[A-Z][\w&]*(?:-[A-Z0-9][\w&]*)*){0,3})"
    r"(?:\s+\([A-Z][a-z]+\))?"  # a city in brackets: "Hanmo Biosciences (Suzhou) Co., Ltd."
    r",?\s+(?P<suffix>B\.V\.|N\.V\.|S\.A\.\s+de\s+C\.V\.|S\.A\.S?\.?|A\.Ş\.|A\.G\.|S\.p\.A\.|a\.s\.|K\.K\.|S\.L\.|"
    r"S\.r\.l\.|P(?:vt|te)\.?\s+Ltd\.?|Co\.,?\s+Ltd\.?|A/S|Sdn\.?\s+Bhd\.?|"
    # central and eastern Europe: "Sp. z o.o.", "S.R.L.", "d.o.o.", "s.r.o.", "Kft."
    r"Sp\.\s+z\s+o\.o\.|S\.R\.L\.|d\.o\.o\.|s\.r\.o\.|Kft\.)(?!\w)"
)

# Folded trailing words dropped when comparing a new name with the known ones.
LEGAL_TAIL = frozenset(
    [
        "inc",
        "co",
        "corp",
        "corporation",
        "ltd",
        "limited",
        "group",
        "plc",
        "ag",
        "sa",
        "se",
        "gmbh",
        "llc",
        "nv",
        "bv",
        "kk",
        "holdings",
        "company",
        "ab",
        "asa",
        "oy",
        "oyj",
        "spa",
        "kgaa",
        "sas",
        # legal tails of other countries: India's "Pvt. Ltd." and "Private Limited", Latin
        # America's "Ltda.", Malaysia's "Sdn. Bhd.", Indonesia's "Tbk", Germany's "& Co. KG"
        "pvt",
        "private",
        "ltda",
        "sdn",
        "bhd",
        "berhad",
        "tbk",
        # the free zones of the Gulf: "FZ-LLC", "FZE", "FZCO"
        "fz",
        "fze",
        "fzco",
        "fzc",
        "kg",
        "srl",
        "sarl",
        "aps",
        "pjsc",
        "jsc",
        "as",
        "ş",  # Turkey's "A.Ş."
        "c",  # Mexico's "S.A. de C.V."
        "de",
    ]
)
# Capitalised words that start sentences or name places, never the first word of a company here.
STOP_CAPS = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "With",
        "From",
        "By",
        "And",
        "But",
        "As",
        "After",
        "Before",
        "Under",
        "Its",
        "Their",
        "This",
        "That",
        "These",
        "Those",
        "Both",
        "Meanwhile",
        "Separately",
        "Also",
        "Last",
        "Next",
        "Earlier",
        "Later",
        "According",
        "While",
        "When",
        "If",
        "Data",
        "Shares",
        "Chinese",
        "China",
        "American",
        "British",
        "European",
        "Korean",
        "Japanese",
        "German",
        "Swiss",
        "French",
        "Indian",
        "Western",
        "Asian",
        "Global",
        "National",
        "State",
        "US",
        "UK",
        "EU",
        "Under",
        "Since",
        "During",
        "Through",
        "Today",
        "Yesterday",
        "It",
        "He",
        "She",
        "They",
        "We",
        "Our",
        "His",
        "Her",
        "Such",
        "Each",
        "Every",
        "All",
        "Some",
        "Many",
        "Most",
        "Other",
        "Another",
        "Several",
        "Under",
        "Why",
        "How",
        "What",
        "Who",
        "Where",
        "Two",
        "Three",
        "Four",
        "Five",
        "Six",
        "Seven",
        "Eight",
        "Nine",
        "Ten",
        "New",
        "First",
        "Second",
        "Third",
        "Under",
        "Analysts",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Chief",
        "Executive",
        "President",
        "Director",
        "Officer",
        "CEO",
        "CFO",
        "Dr",
        "Mr",
        "Ms",
        "Mrs",
        "Professor",
        "About",
        "Launch",
        "Launches",
        "NewCo",
        "Newco",
        "PT",
    ]
)
PLACE_WORDS = frozenset(
    [
        "china",
        "chinese",
        "shanghai",
        "beijing",
        "shenzhen",
        "hangzhou",
        "suzhou",
        "guangzhou",
        "jiangsu",
        "zhejiang",
        "wuhan",
        "nanjing",
        "chengdu",
        "tianjin",
        "hong",
        "kong",
        "taiwan",
        "korea",
        "korean",
        "south",
        "north",
        "japan",
        "japanese",
        "germany",
        "german",
        "swiss",
        "europe",
        "european",
        "france",
        "french",
        "india",
        "indian",
        "singapore",
        "american",
        "british",
        "uk",
        "us",
        "usa",
        "america",
    ]
)
DESCRIPTORS = DESCRIBING_NOUNS
# The words a describing noun may carry in front of it: nationalities, places and lowercase
# trades joined by "and", "or", "&", "/" or commas ("Korean memory and packaging group B",
# "Mumbai-based generic and specialty drugmaker B"). A word that starts a clause (a preposition,
# a verb's auxiliary, a pronoun) ends them, so that a description never reaches back past the
# deal's own words; an article may open them.
_NOT_MODIFIER = (
    r"(?!(?:with|from|to|by|of|for|in|on|at|into|under|through|via|as|than|that|which|who|"
    r"and|or|the|a|an|its|their|his|her|our|has|have|had|is|was|are|were|will|would|said|"
    r"says|after|before|while|when|signed|agreed|licensed|granted)\b)"
)
_MODIFIER_JOIN = r"(?:,?\s+(?:and|or|&)\s+|\s*/\s*|,\s+|\s+)"
_MODIFIERS = r"(?:" + _NOT_MODIFIER + r"[\w.-]++" + _MODIFIER_JOIN + r"){0,6}?"
DESCRIBED_LEAD = (
    r"(?:(?:the|an?)\s+)?"
    + _MODIFIERS
    + r"(?:"
    + "|".join((*DESCRIPTORS, "spinout", "spin-out", "spin-off"))
    + r")\s+"
)
_TOKEN = re.compile(r"[^\W_]+")
_DESCRIBED = re.compile(
    r"\b(?:" + "|".join(DESCRIPTORS) + r")\s+(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2})"
)

_APPOSITION_CUE = re.compile(r",\s+an?\s")  # what every apposition holds, found much faster
_ABBREVIATION = re.compile(r"\s*\((?P<abbr>[A-Z][A-Za-z0-9&-]{1,9})\)")
# A ticker after a name: "Nerivo Therapeutics (NASDAQ: NRVO)", "(TSX: NVB)", a terminal's "(NRBO
# US)", an analyst's "(NRBO, Outperform, PT $40)"; the ticker then names the company, and it marks
# a name even in a headline's capitals.
_TICKER = re.compile(
    r"\s*\((?:[A-Za-z]{2,10}(?:\s+[A-Za-z]{2,10})?:\s*(?P<abbr>[A-Z][A-Z0-9.]{1,7})"
    r"|(?P<code>[A-Z][A-Z0-9]{1,6})(?:\s+[A-Z]{2}(?:\s+Equity)?|,\s[^()]{1,60}))\)"
)
# A defined term after a name: 'Lumera Therapeutics B.V. ("Lumera")', '(the "Company")'.
# A bracket without quotes may come first: 'Ningbo Heyu Co., Ltd. (宁波禾裕) ("Heyu")', even one
# holding a bracket of its own, as a Chinese name with its city does: '(宁波禾裕(宁波)有限公司)'.
_DEFINITION = re.compile(
    r"\.?(?:\s*\((?:[^()\"“]|\([^()\"“]{1,20}\)){1,40}\))?\s*\((?P<inside>[^()]{0,160}?[\"“][^()]{0,160}?)\)"
)
_QUOTED = re.compile(r"[\"“](?P<term>[A-Z][^\"”]{1,40})[\"”]")
_APPOSITION = re.compile(
    r"(?P<name>\b[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2}),\s+(?:a|an)\s+"
    + _MODIFIERS
    + r"(?:"
    + "|".join(DESCRIPTORS)
    + r")\b"
)
_DESCRIBED_BEFORE = re.compile(
    r"(?<![\w.-])(" + _MODIFIERS + r")(" + "|".join(DESCRIPTORS) + r")\s+$"
)
_DESCRIBED_AFTER = re.compile(
    r",\s+(?:a|an|the)\s+(" + _MODIFIERS + r")(" + "|".join(DESCRIPTORS) + r")\b"
)
# "the Swiss drugmaker", "the Leiden-based company", "the institute": a description standing
# for a company.
_DESCRIPTION = re.compile(
    r"\b[Tt]he\s+(?P<words>(?:[\w-]+\s+){0,2}?)(?P<noun>"
    + "|".join((*DESCRIPTORS, *KIND_NOUNS))
    + r")\b"
    # "the biotech sector", "the biotech industry": what a company belongs to, not the company
    r"(?!\s+(?:sector|industry|industries|market|markets|space|world|index|stocks|shares|"
    r"investors|analysts|boom|bubble)\b)"
)
_PLACE_CUES = ("'s ", "’s ", " of ")  # "South Korea's B", "B of Turin, Italy"
# "B of Turin, Italy": the place after a name.
_PLACE_AFTER = re.compile(r",?\s+of\s+([A-Z][\w-]+)(?:,\s+([A-Z][\w-]+))?")
_TRAILING_DOT = ("Inc", "Co", "Corp", "Ltd")
# A role before a person's name: "chief executive Rui Magalhães", "analyst Sunita Rao". The role
# word is found first (cheaply); the name is then read right after it.
_ROLE_WORD = re.compile(  # without their first letters, so that both cases match as literals
    r"(?:xecutive|fficer|CEO|CFO|CSO|ounder|hair(?:man|woman|person)?|resident|nalyst|irector|"
    r"pokes(?:person|man|woman)|rofessor)\b"
)
_NAME_AFTER_ROLE = re.compile(
    r"\s+(?:[A-Z][\w'’-]+\s+){1,2}?(?P<surname>[A-Z][\w'’-]+)\b(?!\s+[A-Z])"
)
# "Boston's Veritas Bio", "Oslo-based Fjordgen": the place a company is described by.
_PLACE_BEFORE = re.compile(
    r"(?:\b([A-Z][\w-]*)['’]s|\b([A-Z][\w]*)-(?:based|listed|headquartered))\s+$"
)
_PLACE_SUFFIX = re.compile(r"-(?:based|listed|headquartered)$")
# One or two more capitalised words that end in a company word: "Almvik" + " Therapeutics".
_COMPANY_WORD_AFTER = (
    r"(?:[ ](?:[A-Z][\w&]*[ ]){0,2}?(?:"
    + "|".join(re.escape(w) for w in sorted(COMPANY_WORDS, key=len, reverse=True))
    + r"))(?![\w-])"
)
# Compiled once: matched at each place a name occurs, rather than a pattern per name.
_COMPANY_WORD_AFTER_RE = re.compile(_COMPANY_WORD_AFTER)
_WORD_OR_HYPHEN = re.compile(r"[\w-]")


_DESCRIPTOR_SET = frozenset(DESCRIPTORS)


def _ends_described(head: str) -> bool:
    """Whether the words before a name end in a describing noun: a plain test before the
    search that reads back from it."""
    words = head.rsplit(None, 1)
    return bool(words) and words[-1] in _DESCRIPTOR_SET


def _description_words(text: str) -> set[str]:
    """Folded words of a description, a place without its "-based": "Basel-based" is "basel"."""
    words = {_PLACE_SUFFIX.sub("", w) for w in re.findall(r"[\w-]+", text.casefold())}
    return words - _JOINING_WORDS


# "memory and packaging": the words joined describe, "and" does not; nor does the "" left of
# "U.S.-based" once its "-based" is gone.
_JOINING_WORDS = frozenset(["and", "or", ""])


@dataclass(frozen=True)
class Org:
    """An organisation as one document names it, with its company id when the KB knows it."""

    name: str
    company_id: int | None = None


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    org: Org


@dataclass
class KnownNames:
    """Folded names and aliases of stored companies, indexed by first word for fast scanning."""

    names: dict[str, int] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)  # folded -> as stored, for case

    @classmethod
    def from_db(cls, db: Database) -> KnownNames:
        """Every alias (a company's own name is one) of every company in the store."""
        known = cls()
        for alias, company_id in db.execute("SELECT alias, company_id FROM aliases ORDER BY id"):
            known.add(alias, company_id)
        return known

    @classmethod
    def from_pairs(cls, pairs: dict[str, int]) -> KnownNames:
        known = cls()
        for alias, company_id in pairs.items():
            known.add(alias, company_id)
        return known

    _index: _Index | None = field(default=None, repr=False, compare=False)

    def add(self, alias: str, company_id: int) -> None:
        norm = normalize_name(alias)
        if norm and norm not in self.names:
            self.names[norm] = company_id
            self.spellings[norm] = alias
            self._index = None

    def index(self) -> _Index:
        """The first-word index, built once and reused for every document."""
        if self._index is None:
            self._index = _known_index(self)
        return self._index

    def lookup(self, name: str) -> int | None:
        """The company id for a name, also trying it without legal tails ("Co., Ltd.")."""
        tokens = _words(name)
        while tokens:
            company_id = self.names.get(" ".join(tokens))
            if company_id is not None:
                return company_id
            if tokens[-1] not in LEGAL_TAIL:
                return None
            tokens = tokens[:-1]
        return None


class _Index:
    """First-word index of name token sequences, shared by known and document-local names."""

    def __init__(self) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], str | None, Org]]] = {}
        self.fuller_of: dict[Org, Org] = {}  # a short name read first -> the name spelled out
        self.version = 0  # moves whenever a spelling is added or points elsewhere

    def add(self, spelling: str, org: Org, as_written: bool = False) -> None:
        tokens = _words(spelling)
        if not tokens:
            return
        exact = spelling if as_written or _case_sensitive(spelling) else None
        entries = self.by_first.setdefault(tokens[0], [])
        for i, entry in enumerate(entries):
            if entry[0] == tokens:
                if _fuller(org.name, entry[2].name):
                    entries[i] = (tokens, exact, org)  # the fuller name's short form now
                    self.version += 1
                    if entry[2].name == spelling:
                        self.fuller_of[entry[2]] = org
                return
        entries.append((tokens, exact, org))
        entries.sort(key=lambda entry: -len(entry[0]))
        self.version += 1

    def repoint(self, spelling: str, org: Org) -> None:
        """``spelling`` names ``org`` from now on."""
        tokens = _words(spelling)
        entries = self.by_first.get(tokens[0], []) if tokens else []
        for i, entry in enumerate(entries):
            if entry[0] == tokens:
                entries[i] = (tokens, entry[1], org)
                self.version += 1

    def match(
        self, words: list[re.Match[str]], folded: list[str], i: int, sentence: str
    ) -> tuple[int, Org] | None:
        """Longest name starting at word ``i``: (number of words, org)."""
        for tokens, exact, org in self.by_first.get(folded[i], ()):
            n = len(tokens)
            if i + n > len(words) or tuple(folded[i : i + n]) != tokens:
                continue
            if exact is not None and sentence[words[i].start() : words[i + n - 1].end()] != exact:
                continue
            return n, org
        return None


def _fuller(name: str, earlier: str) -> bool:
    """True when ``name`` spells out ``earlier`` with more words ("Shanghai Jinqiao Biopharma"
    after a headline's "Jinqiao Biopharma"): the two are one company, and a short form such as
    "Jinqiao" should point to the fuller name the article goes on to use."""
    longer, shorter = _words(name), _words(earlier)
    if len(shorter) >= len(longer) or not shorter or shorter[0] not in longer:
        return False
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def _spelled_mention(mention: Mention, org: Org) -> Mention:
    return mention if org is mention.org else Mention(mention.start, mention.end, org)


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    """A name's folded words, kept: a name is looked up, indexed and compared many times."""
    return tuple(normalize_name(name).split())


class _SentenceWords:
    """A sentence's words, read once for every name finder: their texts and case-folded texts,
    and their places (match objects, which cost more) only for a finder that needs them."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence
        self.texts: list[str] = _TOKEN.findall(sentence)
        # Folding goes letter by letter and never makes a space, so one call on the joined
        # words splits back into each word folded.
        self.folded = " ".join(self.texts).casefold().split(" ") if self.texts else []
        self._matches: list[re.Match[str]] | None = None

    def matches(self) -> list[re.Match[str]]:
        """The words as match objects, read on first use: most sentences never need them."""
        if self._matches is None:
            self._matches = list(_TOKEN.finditer(self.sentence))
        return self._matches


def _case_sensitive(spelling: str) -> bool:
    """Short and all-capital aliases match only as written: 'FEB' the company, not 'Feb' the month."""
    if spelling.isascii():  # the same test: in ASCII only letters have a case
        return len(spelling) <= 4 or spelling.isupper()
    letters = [c for c in spelling if c.isalpha()]
    return len(spelling) <= 4 or (bool(letters) and all(c.isupper() for c in letters))


class DocumentNames:
    """The organisations named so far in one document, growing as sentences are read."""

    def __init__(self, known: KnownNames | None, text: str = "") -> None:
        self.known = known or KnownNames()
        self.local = _Index()
        self._known_index = self.known.index()
        self._common = LowerWords(text)
        self._text = text
        self._described: list[tuple[Org, frozenset[str]]] = []  # what each name was called
        self._kinds: list[tuple[Org, frozenset[str]]] = []  # what each name says it is
        self._countries = False  # whether a company was introduced with its country
        # Each folded word of the names the document gave companies -> those companies, in
        # order: a name is only a fuller form of one holding its first word (:func:`_fuller`).
        self._orgs_with_word: dict[str, list[Org]] = {}
        self._spelled: dict[Org, Org] = {}  # spelled_out's answers, asked once the text is read
        self._people: set[str] = set()  # surnames of the people the document introduced

    def find(self, sentence: str) -> list[Mention]:
        """Mentions in ``sentence``, longest first on overlap, in reading order."""
        words = _SentenceWords(sentence)
        candidates = self._named(words)
        if not title_case(sentence):  # a headline's capitals say nothing about where names end
            candidates.extend(_shaped(words))
            candidates.extend(_dotted(sentence))
            self._learn_people(sentence)
            candidates.extend(
                (s, e, 0, None)
                for s, e in bare_names(sentence, self._common)
                if sentence[s:e].split()[-1] not in self._people
            )
            if "(" in sentence:
                candidates.extend(_initialled(sentence))
            if holds_any(sentence, _INSTITUTION_CUES):
                candidates.extend(_institution_led(sentence))
        elif "(" in sentence:  # ... unless a ticker follows the name
            shaped = _shaped(words)
            candidates.extend(c for c in shaped if _TICKER.match(sentence, c[1]))
        described = holds_any(sentence, DESCRIPTORS) or "-based " in sentence
        patterns = (_DESCRIBED,) if described else ()
        if described and _APPOSITION_CUE.search(sentence):
            patterns = (_DESCRIBED, _APPOSITION)
        for pattern in patterns:
            for match in pattern.finditer(sentence):
                name = _trim_name(match["name"])
                if name and name.split()[0].casefold() not in WORDS.not_companies:
                    start = match.start("name") + match["name"].index(name)
                    candidates.append((start, start + len(name), 0, None))
        learnt = self.local.version
        mentions = self._settle(candidates, sentence)
        if self.local.version != learnt:
            # Names first seen here teach short forms that the same sentence may already use.
            again = [(m.start, m.end, 4, m.org) for m in mentions]
            again += self._named(words)
            mentions = self._settle(again, sentence)
        if self.local.fuller_of:
            mentions = [_spelled_mention(m, self.fullest(m.org)) for m in mentions]
        if mentions and (described or holds_any(sentence, _PLACE_CUES)):
            self._remember_descriptions(sentence, mentions, described)
        if not (self._described or self._kinds):
            return mentions
        if described or self._refers(sentence):
            return self._with_descriptions(sentence, mentions)
        return mentions

    def _refers(self, sentence: str) -> bool:
        """Whether the sentence may hold "the institute" or "the Swedes", asked only where a
        company was named so or introduced with its country."""
        return bool(
            (self._kinds and holds_any(sentence, KIND_NOUNS))
            or (self._countries and holds_any(sentence, PEOPLE))
        )

    def _learn_people(self, sentence: str) -> None:
        """Surnames of people introduced by their role ("chief executive Rui Magalhães"), so
        that "Magalhães also confirmed" later is a person, not a company named bare."""
        for role in _ROLE_WORD.finditer(sentence):
            person = _NAME_AFTER_ROLE.match(sentence, role.end())
            if person:
                self._people.add(person["surname"])

    def _remember_descriptions(
        self, sentence: str, mentions: list[Mention], described: bool
    ) -> None:
        """What the article calls each company ("Swiss drugmaker Novexa", "Novexa, a Basel-based
        biotech", "South Korea's Daewan", "Velora of Turin, Italy"), so a later "the Swiss
        drugmaker" or "the Korean group" can stand for it."""
        for mention in mentions:
            head = sentence[max(0, mention.start - 80) : mention.start]
            tail = sentence[mention.end : mention.end + 80]
            words: set[str] = set()
            if described:
                before = _DESCRIBED_BEFORE.search(head) if _ends_described(head) else None
                for found in (before, _DESCRIBED_AFTER.match(tail)):
                    if found:
                        words |= _description_words(found[1]) | {found[2]}
            place = _PLACE_BEFORE.search(head) if "s " in head[-4:] or described else None
            if place:
                words.add((place[1] or place[2]).casefold())
            after = _PLACE_AFTER.match(tail) if " of " in tail[:5] else None
            if after:
                words |= {w.casefold() for w in after.groups() if w}
            if words:
                called = stored(words)
                self._countries = self._countries or any(w[0] == "@" for w in called)
                self._described.append((mention.org, called))

    def _with_descriptions(self, sentence: str, mentions: list[Mention]) -> list[Mention]:
        """Add "the Swiss drugmaker" as a mention of the one company described that way."""
        added: list[Mention] = []
        if not self._described and not self._kinds:
            return mentions
        # a description stands for another company than those named beside it
        named = {self.fullest(m.org) for m in mentions} if self._kinds else set()
        for match in _DESCRIPTION.finditer(sentence):
            if any(m.start < match.end() and match.start() < m.end for m in mentions):
                continue
            if any(sentence[m.end : match.start()].strip() == "," for m in mentions):
                continue  # "Veltrix, the Dutch company that ...": an apposition, not a mention
            kinds = asked(_description_words(match["words"]))
            org = self._described_as(kinds | {match["noun"]}, named)
            if org is None and kinds:  # "Korean drugmaker X" is "the Korean firm" too
                org = self._described_as(kinds, named)
            countries = by_country(kinds) if org is None else kinds
            if countries != kinds:
                org = self._described_as(countries | {match["noun"]}, named)
                org = org or self._described_as(countries, named)
            if org is not None:
                added.append(Mention(match.start(), match.end(), org))
        for match in people(sentence) if self._countries else ():  # "the Swedes"
            org = self._described_as(asked({match["noun"].casefold()}), named)
            if org is not None:
                added.append(Mention(match.start(), match.end(), org))
        return sorted([*mentions, *added], key=lambda m: m.start) if added else mentions

    def _described_as(self, wanted: set[str], named: set[Org]) -> Org | None:
        """The one company called all of ``wanted``, failing any the one whose name says so
        (not one ``named`` beside the description); none when two companies fit."""
        for called, beside in ((self._described, set()), (self._kinds, named)):
            fits = {self.fullest(o) for o, words in called if wanted <= words} - beside
            if fits:
                return fits.pop() if len(fits) == 1 else None
        return None

    def _named(self, sentence_words: _SentenceWords) -> list[tuple[int, int, int, Org | None]]:
        """Known and already-seen names: (start, end, priority, org)."""
        found: list[tuple[int, int, int, Org | None]] = []
        local, known = self.local.by_first, self._known_index.by_first
        folded, sentence = sentence_words.folded, sentence_words.sentence
        if local.keys().isdisjoint(folded) and known.keys().isdisjoint(folded):
            return found  # most sentences: no word starts a name, so none need be tried
        words = sentence_words.matches()
        for i, word in enumerate(folded):
            if word not in local and word not in known:
                continue
            for priority, index in ((3, self.local), (2, self._known_index)):
                hit = index.match(words, folded, i, sentence)
                if hit:
                    n, org = hit
                    found.append((words[i].start(), words[i + n - 1].end(), priority, org))
        return found

    def _settle(
        self, candidates: list[tuple[int, int, int, Org | None]], sentence: str
    ) -> list[Mention]:
        """The mentions the candidates make, the longest (then the surest) first where they
        overlap, each with what follows it (initials, a ticker, a defined term) learnt."""
        chosen: list[Mention] = []
        if not candidates:
            return chosen  # most sentences name no company
        bracket = "(" in sentence  # what may follow a name (its initials, ticker, defined term)
        for start, end, _priority, org in sorted(
            candidates, key=lambda c: (-(c[1] - c[0]), -c[2], c[0])
        ):
            if any(start < m.end and m.start < end for m in chosen):
                continue
            text = sentence[start:end]
            resolved = org or self._seen(text) or self._register(text)
            if not bracket:
                chosen.append(Mention(start, end, resolved))
                continue
            abbreviation = _ABBREVIATION.match(sentence, end) or _TICKER.match(sentence, end)
            abbr = "abbr" if abbreviation and abbreviation["abbr"] else "code"
            if abbreviation and not any(m.start == abbreviation.start(abbr) for m in chosen):
                self.local.add(abbreviation[abbr], resolved)
                end = abbreviation.end()
            else:
                end = self._define(sentence, end, resolved)
            chosen.append(Mention(start, end, resolved))
        return sorted(chosen, key=lambda m: m.start)

    def fullest(self, org: Org) -> Org:
        """The fullest name the document gives this company: a headline's "Helio" is the
        "Helio Biotech" of the body."""
        seen = {org}
        while org in self.local.fuller_of and self.local.fuller_of[org] not in seen:
            org = self.local.fuller_of[org]
            seen.add(org)
        return org

    def spelled_out(self, org: Org) -> Org:
        """Like :meth:`fullest`, also finding a longer name that holds this one's words when
        no short form linked them ("Ronghe" and "Zhuhai Ronghe Pharmaceutical")."""
        org = self.fullest(org)
        if org not in self._spelled:
            found = org
            for candidate in self._holding_first_word(org.name):  # a fuller name holds them all
                if _fuller(candidate.name, found.name):
                    found = candidate
            self._spelled[org] = self._with_company_word(found)
        return self._spelled[org]

    def _with_company_word(self, org: Org) -> Org:
        """A name given without its company word ("Almvik") spelled out with it where the text
        does so anywhere, a disclaimer the sentences were not read for included."""
        if org.name.split()[-1] in COMPANY_WORDS or not org.name[:1].isupper():
            return org
        full = _name_with_company_word(self._text, org.name)
        if full is None:
            return self._with_capital_company_word(org)
        return Org(full, org.company_id or self.known.lookup(full))

    def _with_capital_company_word(self, org: Org) -> Org:
        """A heading in capitals spells the name out: "Yaolan" is "YAOLAN THERAPEUTICS"."""
        upper = org.name.upper()
        if upper == org.name or upper not in self._text:
            return org
        found = re.search(r"(?<![\w-])" + re.escape(upper) + r" ([A-Z]+)\b", self._text)
        word = found[1].title() if found else ""
        if word not in COMPANY_WORDS:
            return org
        full = f"{org.name} {word}"
        return Org(full, org.company_id or self.known.lookup(full))

    def _define(self, sentence: str, end: int, org: Org) -> int:
        """Learn the defined terms that follow a name ('("Lumera")', '(the "Company")', '(as
        licensee, the "Licensee")'); the mention then reaches over them. Returns its new end."""
        definition = _DEFINITION.match(sentence, end)
        if definition is None:
            return end
        terms = [m["term"] for m in _QUOTED.finditer(definition["inside"])]
        terms = [t for t in terms if t.split()[-1].casefold() not in WORDS.not_party_terms]
        for term in terms:
            earlier = self._seen(term)
            if earlier is not None and earlier != org and _words(earlier.name) == _words(term):
                # A headline's "IIBL" is the institute the body defines as "IIBL".
                self.local.fuller_of[earlier] = org
                self.local.repoint(term, org)
            # '(the "Company")' names the company, "a company incorporated in" does not
            self.local.add(term, org, as_written=term.lower() in self._common)
        return definition.end() if terms else end

    def _seen(self, text: str) -> Org | None:
        """The company already known by exactly this name in the document, if any."""
        tokens = _words(text)
        entries = self.local.by_first.get(tokens[0], ()) if tokens else ()
        same = next((org for entry_tokens, _e, org in entries if entry_tokens == tokens), None)
        # A shorter form of a name read before ("Mitsuru" after "Mitsuru Agri").
        fuller = reversed(self._holding_first_word(text))
        return same or next((o for o in fuller if _fuller(o.name, text)), None)

    def _holding_first_word(self, name: str) -> list[Org]:
        """The companies read so far whose names hold the first word of ``name``, in order."""
        words = _words(name)
        return self._orgs_with_word.get(words[0], []) if words else []

    def _register(self, text: str) -> Org:
        """A new name: link it to a known company if it is one, and learn its short forms."""
        company_id = self.known.lookup(text)
        org = Org(text.rstrip(",. "), company_id)
        words = set(_words(org.name))
        for word in words:  # a shorter name read earlier holds one of these words
            for earlier in self._orgs_with_word.get(word, ()):
                if earlier not in self.local.fuller_of and _fuller(org.name, earlier.name):
                    self.local.fuller_of[earlier] = org  # "Jinlong" of the headline, spelled out
        for word in words:
            self._orgs_with_word.setdefault(word, []).append(org)
        kinds = name_kinds(org.name)
        if kinds:  # "the institute" for the "Institut Rhodanien de Cardiologie"
            self._kinds.append((org, kinds))
        self.local.add(text, org)
        for short in short_forms(text):
            self.local.add(short, org)
        words = text.split()
        if len(words) > 2 and words[0].casefold() in PLACE_WORDS:
            self.local.add(" ".join(words[1:]), org)  # "Jinqiao Biopharma" for the full name
        return org


def _known_index(known: KnownNames) -> _Index:
    index = _Index()
    for norm, company_id in known.names.items():
        spelling = known.spellings[norm]
        org = Org(spelling, company_id)
        index.add(spelling, org)
        for short in short_forms(spelling):
            if known.lookup(short) in (None, company_id):
                index.add(short, org)
    return index


_NAME_WORD = re.compile(r"[\w&-]+")


def short_forms(name: str) -> list[str]:
    """'Shanghai Junshi Biosciences Co., Ltd.' -> ['Shanghai Junshi', 'Junshi']."""
    words = _NAME_WORD.findall(name)
    core = list(words)
    while core and (
        core[-1] in COMPANY_WORDS
        or core[-1].casefold() in LEGAL_TAIL
        or len(core[-1]) == 1  # a piece of a dotted suffix ("B.V.")
        or _compound(core[-1])  # "AgriGenomics"
    ):
        core.pop()
    forms = []
    if core and len(core) < len(words):
        forms.append(" ".join(core))
    if len(core) > 1 and core[0].casefold() in PLACE_WORDS:
        forms.append(" ".join(core[1:]))
    return [
        f for f in forms if len(f) >= 3 and f.casefold() not in PLACE_WORDS and f not in STOP_CAPS
    ]


def _shaped(sentence_words: _SentenceWords) -> list[tuple[int, int, int, None]]:
    """Names ending in a company word, preceded by capitalised words of the name."""
    found: list[tuple[int, int, int, None]] = []
    sentence = sentence_words.sentence
    camel = _CAMEL.search(sentence) is not None  # most sentences hold no compound at all
    if not camel and COMPANY_WORDS.isdisjoint(sentence_words.texts):
        return found  # no word a name could end with
    texts = sentence_words.texts
    ends = [  # the words a name may end with (never the first word)
        i
        for i, word in enumerate(texts)
        if i and (word in COMPANY_WORDS or (camel and _compound(word)))
    ]
    words = sentence_words.matches() if ends else []
    after_last = 0  # a name found ends before this word
    for i in ends:
        if i < after_last:
            continue
        j = i
        while j > 0:
            if _joins(sentence, words[j - 1], words[j]) and _name_word(texts[j - 1]):
                j -= 1
            elif j > 1 and texts[j - 1] in ("for", "of") and texts[j - 2] in _INSTITUTIONS:
                j -= 2  # "Calloway Institute for Molecular Sciences"
            elif j > 1 and _inner_word(sentence, words, texts, j - 1):
                j -= 2  # "Semillas del Plata", "Tianrui New Energy"
            else:
                break
        if j == i or COMPANY_WORDS.issuperset(texts[j:i]):
            continue
        if texts[j].casefold() in WORDS.nationalities and not COMPANY_WORDS.issuperset(
            texts[j + 1 : i]
        ):
            j += 1  # "Finnish Kasvu Biotech": the nationality describes the company
        k = i
        while k + 1 < len(words) and texts[k + 1] in COMPANY_WORDS:
            gap = sentence[words[k].end() : words[k + 1].start()]
            if gap not in (" ", ", ", "., ", ". ", " & "):
                break
            k += 1
        end = words[k].end()
        if texts[k] in _TRAILING_DOT and sentence[end : end + 1] == ".":
            end += 1
        if not _place_with_legal_tail(words[j : k + 1]):
            found.append((words[j].start(), end, 1, None))
        after_last = k + 1
    return found


# Capitalised words that start no name but may stand inside one: "Tianrui New Energy".
_INSIDE_ONLY = frozenset(["New", "Global", "National", "First", "State", "International"])


def _inner_word(sentence: str, words: list[re.Match[str]], texts: list[str], i: int) -> bool:
    """True when word ``i`` (a connector, or a capital that starts no name) sits inside a name:
    joined by single spaces to a name's word on each side."""
    if texts[i] not in WORDS.connectors and texts[i] not in _INSIDE_ONLY:
        return False
    return (
        sentence[words[i - 1].end() : words[i].start()] == " "
        and sentence[words[i].end() : words[i + 1].start()] == " "
        and texts[i - 1][0].isupper()  # not a year: "by 2030 New Energy vehicles"
        and _name_word(texts[i - 1])
    )


def _place_with_legal_tail(words: list[re.Match[str]]) -> bool:
    """A place and a legal form, no company's own name: "Hong Kong Limited" of "The Stock
    Exchange of Hong Kong Limited"."""
    names = [w[0] for w in words if w[0].casefold() not in LEGAL_TAIL]
    return len(names) < len(words) and all(n.casefold() in WORDS.places for n in names)


# A small letter then a capital ("AgroSciences"), found from the capital, rarer than small letters.
_CAMEL = re.compile(r"[A-Z](?<=[a-z][A-Z])")


def _compound(word: str) -> bool:
    """A compound such as "AgroSciences": only a word with a capital inside can be one."""
    return not word[1:].islower() and bool(_COMPOUND_TAIL.search(word))


def _dotted(sentence: str) -> list[tuple[int, int, int, None]]:
    """Names ending in a legal suffix written with dots ("Menhir Optica B.V.")."""
    if not _may_have_suffix(sentence) or not _SUFFIX_ONLY.search(sentence):
        return []  # most sentences: the costlier pattern need not run
    found = []
    for match in _DOTTED_SUFFIX.finditer(sentence):
        words = list(re.finditer(r"\S+", match["name"]))
        while words and (words[0][0] in STOP_CAPS or words[0][0].endswith("'s")):
            words.pop(0)
        if words:
            found.append((match.start("name") + words[0].start(), match.end(), 1, None))
    return found


def _may_have_suffix(sentence: str) -> bool:
    """False when no suffix of _SUFFIX_ONLY can be in the sentence: each holds a dot with a
    character after it, or "Pvt", "A/S" or "Sdn"; plain string tests, cheaper than the pattern."""
    return (
        sentence.find(".", 0, -1) != -1
        or "Pvt" in sentence
        or "Pte" in sentence
        or "A/S" in sentence
        or "Sdn" in sentence
    )


def _initialled(sentence: str) -> list[tuple[int, int, int, None]]:
    """A capitalised run followed by its initials in brackets is one name, whatever its words:
    'Fundación Instituto de Investigación Biomédica del Levante ("IIBL")'."""
    found = []
    for match in _INITIALLED.finditer(sentence):
        words = re.findall(r"[A-Z][\w'-]*", match["name"])
        while words and words[0] in STOP_CAPS:
            words.pop(0)
        initials, abbr = "".join(w[0] for w in words), match["abbr"].replace("&", "")
        if len(words) < 2 or 2 * len(abbr) < len(words) or not _in_order(abbr, initials):
            continue
        start = match.start("name") + match["name"].index(words[0])
        found.append((start, match.end("name"), 1, None))
    return found


def _in_order(letters: str, within: str) -> bool:
    """True when ``letters`` appear in ``within`` in the same order (a subsequence)."""
    rest = iter(within)
    return all(letter in rest for letter in letters)


_INITIALLED = re.compile(
    r"(?P<name>[A-Z][\w'-]*(?:\s+(?:(?:de|del|la|las|los|di|da|do|der|van|von|für|of|for|and|&)\s+)?"
    r"[A-Z][\w'-]*){1,8})\s*\(\s*[\"“]?(?P<abbr>[A-Z][A-Z&]{1,9})[\"”]?\s*\)"
)


def _joins(sentence: str, left: re.Match[str], right: re.Match[str]) -> bool:
    return sentence[left.end() : right.start()] in (" ", " & ", "-")


# "Calloway Institute for Molecular Sciences", "University of Leiden": a name goes on after these.
_INSTITUTIONS = frozenset(["Institute", "University", "Foundation", "Centre", "Center", "Academy"])


# Names that an institution word of another language begins: "Institut Rhodanien de
# Cardiologie", "Universidad Técnica de Varela", "Fondazione Ricci per la Ricerca".
_INSTITUTION_CUES = ("Institut", "Istituto", "Universi", "Fondazione", "Funda", "Hôpital")
_NAME_JOIN = r"(?:(?:de|del|des|du|di|da|do|der|für|per|la|le|los|las|y|e)\s+|d['’])"
_INSTITUTION_LED = re.compile(
    r"\b(?:Institutet|Institut|Instituto|Istituto|Universität|Université|Universidad|Universidade|"
    r"Università|Universitair|Fondazione|Fundación|Fundação|Hôpital)\s+"
    + _NAME_JOIN
    + r"*[A-Z][\w'’-]*(?:\s+"
    + _NAME_JOIN
    + r"*[A-Z][\w'’-]*){0,5}"
)


def _institution_led(sentence: str) -> list[tuple[int, int, int, None]]:
    """Names an institution word begins, which no company word ends."""
    return [(m.start(), m.end(), 0, None) for m in _INSTITUTION_LED.finditer(sentence)]


def _name_word(word: str) -> bool:
    return (word[0].isupper() or word[0].isdigit()) and word not in STOP_CAPS


def _trim_name(name: str) -> str:
    """Drop trailing capitalised words that are not part of a name ('Walkreck On' -> 'Walkreck')."""
    words = name.split()
    if words and _PLACE_SUFFIX.search(words[0]):
        words.pop(0)  # "Pune-based Kaveri Systems, a maker of ...": the place is no part of it
    while words and words[-1] in STOP_CAPS:
        words.pop()
    if words and words[0] in STOP_CAPS:
        return ""
    return " ".join(words)


def _name_with_company_word(text: str, name: str) -> str | None:
    """The first place the text writes ``name`` as a whole word followed by a company word,
    spelled out ("Almvik Biotech"); found by plain search for the name, so no pattern is
    compiled per name."""
    start = text.find(name)
    while start != -1:
        if start == 0 or not _WORD_OR_HYPHEN.match(text, start - 1):
            after = _COMPANY_WORD_AFTER_RE.match(text, start + len(name))
            if after is not None:
                return text[start : after.end()].rstrip(".")
        start = text.find(name, start + 1)
    return None

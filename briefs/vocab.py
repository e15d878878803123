"""The controlled vocabularies: kinds of fact, sectors, stages, places and milestone kinds.

They live in ``data/vocab/*.toml`` and are loaded once, here, into :data:`VOCAB`; every list of
kinds, sectors, stages or countries anywhere else is read from it. Free text (typed by a person
or proposed by extraction) maps onto an entry by its key, label or an alias, ignoring case,
spaces and punctuation, then by a close spelling (rapidfuzz); otherwise it is refused with the
closest entries, so the same word always lands on the same entry.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BadInput
from .text import MAX_FIELD, MAX_NAME, clean

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "vocab"

# A typed word this similar (0-100, rapidfuzz ratio of the folded forms) to one entry's name is
# taken as that entry; below it, the word is refused and the closest names are offered. Words
# shorter than FUZZY_MIN_LENGTH must match exactly: "foo" is not a misspelt "food".
CLOSE_MATCH = 85
FUZZY_MIN_LENGTH = 5
SUGGESTIONS = 3
ARROW = "→"

_FOLD = re.compile(r"[\W_]+", re.UNICODE)
_LINE_BREAKS = re.compile(r"[\r\n\t]+")
_EXCLUDING = re.compile(
    r"\s*(?:\bexcluding\b|\bexcept(?:\s+for)?\b|\bother\s+than\b|\boutside(?:\s+of)?\b|"
    r"\bbut\s+not\b|\bex\b\.?)[\s\-:]*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:,|;|/|\+|&|\band\b)\s*", re.IGNORECASE)
_LEADING = re.compile(r"^(?:the|in)\s+", re.IGNORECASE)
_COUNTED = re.compile(
    r"^\d+\s+(?:countries|markets|jurisdictions)(?:\s+and\s+regions)?$", re.IGNORECASE
)
_FLOW_ARROW = re.compile(r"\s*(?:→|->|=>|>|\bto\b)\s*", re.IGNORECASE)


def fold(text: str) -> str:
    """The form words are matched in: "Phase II", "phase-ii" and "PHASE II" fold alike."""
    return _FOLD.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None  # sectors: the broader sector
    deal: bool = False  # kinds: a deal between two parties
    region: str | None = None  # countries: the region a company's country belongs to
    regions: tuple[str, ...] = ()  # groups: the regions a flow side stands for


class Vocabulary:
    """One vocabulary: its entries in display order and an index of every name they go by."""

    def __init__(self, name: str, entries: Iterable[Entry]) -> None:
        self.name = name
        self.entries = {entry.key: entry for entry in entries}
        self._index: dict[str, str] = {}
        for entry in self.entries.values():  # the first entry to claim a name keeps it
            for word in (entry.key, entry.label, *entry.aliases):
                self._index.setdefault(fold(word), entry.key)

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def __iter__(self):
        return iter(self.entries.values())

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.entries)

    def label(self, key: str | None) -> str | None:
        """The label of a stored key; text stored before the vocabulary is shown as it is."""
        entry = self.entries.get(key) if key else None
        return entry.label if entry else key

    def find(self, typed: str) -> Entry | None:
        """The entry ``typed`` names exactly or by an alias, else by a close spelling."""
        folded = fold(typed)
        if not folded:
            return None
        key = self._index.get(folded)
        if key is None and len(folded) >= FUZZY_MIN_LENGTH:
            from rapidfuzz import fuzz, process  # here: exact words, the usual case, need none

            best = process.extractOne(folded, list(self._index), scorer=fuzz.ratio)
            key = self._index[best[0]] if best and best[1] >= CLOSE_MATCH else None
        return self.entries.get(key) if key else None

    def closest(self, typed: str, limit: int = SUGGESTIONS) -> list[str]:
        """Labels of the entries whose names come nearest ``typed``, nearest first."""
        from rapidfuzz import fuzz, process

        scored = process.extract(fold(typed), list(self._index), scorer=fuzz.WRatio, limit=None)
        labels: list[str] = []
        for name, _, _ in scored:
            label = self.entries[self._index[name]].label
            if label not in labels:
                labels.append(label)
            if len(labels) == limit:
                break
        return labels

    def resolve(self, typed: str, field: str) -> Entry:
        """The entry ``typed`` names, or a polite refusal listing the closest entries."""
        entry = self.find(typed)
        if entry is None:
            raise BadInput(
                f"{typed[:60]!r} is not a known {self.name}",
                code="not_in_vocab",
                field=field,
                value=typed,
                vocabulary=self.name,
                closest=self.closest(typed),
            )
        return entry

    def within(self, key: str) -> tuple[str, ...]:
        """The key and every entry beneath it: a parent sector's filter includes its children."""
        found = [key]
        for entry in self.entries.values():
            if entry.parent in found and entry.key not in found:
                found.append(entry.key)
        return tuple(found)


@dataclass(frozen=True)
class Territory:
    """Where rights apply: the places included and the places carved out (keys of ``places``)."""

    included: tuple[str, ...]
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    """A direction of deals: licensor regions -> licensee regions, with its label for display."""

    source: tuple[str, ...]
    target: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class Vocab:
    kinds: Vocabulary
    sectors: Vocabulary
    stages: Vocabulary
    milestones: Vocabulary
    countries: Vocabulary
    regions: Vocabulary
    places: Vocabulary  # what a territory can name: specials, countries, regions
    flow_sides: Vocabulary  # what a side of a flow can name: regions and groups of them

    @property
    def deal_kinds(self) -> tuple[str, ...]:
        return tuple(entry.key for entry in self.kinds if entry.deal)

    @property
    def milestone_roles(self) -> tuple[str, ...]:
        return tuple(f"milestones_{key}" for key in self.milestones.keys)


def _entries(table: dict[str, Any]) -> list[Entry]:
    return [
        Entry(
            key=key,
            label=spec["label"],
            aliases=tuple(spec.get("aliases", ())),
            parent=spec.get("parent"),
            deal=bool(spec.get("deal", False)),
            region=spec.get("region"),
            regions=tuple(spec.get("regions", ())),
        )
        for key, spec in table.items()
    ]


def load(directory: Path = DATA_DIR) -> Vocab:
    """Read every vocabulary file; called once at import for :data:`VOCAB`."""

    def read(name: str) -> dict[str, Any]:
        return tomllib.loads((directory / f"{name}.toml").read_text(encoding="utf-8"))

    places = read("places")
    regions = _entries(places["region"])
    countries = _entries(places["country"])
    return Vocab(
        kinds=Vocabulary("kind of fact", _entries(read("kinds")["kind"])),
        sectors=Vocabulary("sector", _entries(read("sectors")["sector"])),
        stages=Vocabulary("stage", _entries(read("stages")["stage"])),
        milestones=Vocabulary("kind of milestone", _entries(read("milestones")["milestone"])),
        countries=Vocabulary("country", countries),
        regions=Vocabulary("region", regions),
        places=Vocabulary("place", [*_entries(places["special"]), *countries, *regions]),
        flow_sides=Vocabulary("region", [*regions, *_entries(places["group"])]),
    )


VOCAB = load()


# --- Territories. ---------------------------------------------------------------------------


def parse_territory(typed: str, field: str = "territory") -> Territory:
    """ "worldwide excluding Greater China", "ex-China", "US and Europe" as places in and out."""
    whole = VOCAB.places.find(typed) if fold(typed) else None
    if whole is not None:
        return Territory((whole.key,))
    if _COUNTED.match(typed.strip()):
        return Territory(("several",))
    parts = _EXCLUDING.split(typed, maxsplit=1)
    included = _places(parts[0], field)
    excluded = _places(parts[1], field) if len(parts) > 1 else ()
    if not included and not excluded:
        VOCAB.places.resolve(typed, field)  # refuses, naming the closest places
    return Territory(included or ("worldwide",), excluded)


def _places(text: str, field: str) -> tuple[str, ...]:
    keys: list[str] = []
    for piece in _SEPARATORS.split(text):
        piece = _LEADING.sub("", piece.strip(" .-"))
        if fold(piece):
            key = VOCAB.places.resolve(piece, field).key
            if key not in keys:
                keys.append(key)
    return tuple(keys)


def territory_columns(territory: str | None) -> dict[str, str | None]:
    """The stored normal form of a territory: included and excluded place keys, comma-joined."""
    if not territory:
        return {"territory_in": None, "territory_out": None}
    parsed = parse_territory(territory)
    return {
        "territory_in": ",".join(parsed.included),
        "territory_out": ",".join(parsed.excluded) or None,
    }


# --- Facts and companies: the one check every write passes through. ------------------------


def _typed(value: str | None, field: str, limit: int = MAX_FIELD) -> str | None:
    if value is None:
        return None
    return clean(_LINE_BREAKS.sub(" ", value), field=field, max_len=limit, required=False) or None


def check_fact(fact: Any) -> tuple[Any, dict[str, str | None]]:
    """Map a submitted fact's kind, sector and stage onto their entries, or refuse.

    Returns the fact with vocabulary keys in place of the words typed, and the territory's
    normal form as extra columns; the territory's text is kept as given. A kind that names
    nothing is left for the caller's own refusal, which lists every kind.
    """
    kind = VOCAB.kinds.find(fact.kind or "")
    sector, stage = _typed(fact.sector, "sector"), _typed(fact.stage, "stage")
    changed = {
        "kind": kind.key if kind else fact.kind,
        "sector": VOCAB.sectors.resolve(sector, "sector").key if sector else None,
        "stage": VOCAB.stages.resolve(stage, "stage").key if stage else None,
    }
    columns = territory_columns(_typed(fact.territory, "territory"))
    return dataclasses.replace(fact, **changed), columns


def check_company(country: str | None, sector: str | None) -> dict[str, str | None]:
    """A company's country as its vocabulary label and its sector as a key, or a refusal."""
    country, sector = _typed(country, "country", MAX_NAME), _typed(sector, "sector", MAX_NAME)
    return {
        "country": VOCAB.countries.resolve(country, "country").label if country else None,
        "sector": VOCAB.sectors.resolve(sector, "sector").key if sector else None,
    }


def restored_columns(row: dict[str, Any]) -> dict[str, Any]:
    """A fact snapshot from before the vocabularies, brought to today's form where it maps.

    Undo writes snapshots back; one taken before the vocabularies existed holds free text.
    Words that map are stored as keys; others are left as they were (nothing is refused or
    lost when history is restored).
    """
    out: dict[str, Any] = {}
    for name, vocabulary in (("sector", VOCAB.sectors), ("stage", VOCAB.stages)):
        entry = vocabulary.find(row[name]) if row.get(name) else None
        if entry is not None:
            out[name] = entry.key
    try:
        out.update(territory_columns(row.get("territory")))
    except BadInput:
        out.update(territory_in=None, territory_out=None)
    return out


# --- Flows: which way a deal goes, from the licensor's region to the licensee's. -----------


def region_of(country: str | None) -> str | None:
    """The region key of a country as stored (its label) or typed; None when unknown."""
    entry = VOCAB.countries.find(country) if country else None
    return entry.region if entry else None


def flow_of(licensor_country: str | None, licensee_country: str | None) -> str | None:
    """ "Greater China → US" for a deal between companies of those countries; None if unknown."""
    source, target = region_of(licensor_country), region_of(licensee_country)
    if source is None or target is None:
        return None
    return f"{VOCAB.regions.label(source)} {ARROW} {VOCAB.regions.label(target)}"


def parse_flow(typed: str, field: str = "flow") -> Flow:
    """ "China → US", "china-us", "China -> West": the regions on each side of a flow."""
    text = clean(typed, field=field, max_len=MAX_NAME)
    sides = _FLOW_ARROW.split(text, maxsplit=1)
    if len(sides) != 2:
        sides = _split_on_hyphen(text)
    if len(sides) != 2:
        raise BadInput(f"{text[:60]!r} is not a flow", code="bad_flow", value=text)
    source, target = (VOCAB.flow_sides.resolve(side, field) for side in sides)
    return Flow(
        source=source.regions or (source.key,),
        target=target.regions or (target.key,),
        label=f"{source.label} {ARROW} {target.label}",
    )


def parse_sector(typed: str, field: str = "sector") -> Entry:
    """The sector typed (label, alias or close spelling), else a refusal naming the closest."""
    return VOCAB.sectors.resolve(clean(typed, field=field, max_len=MAX_NAME), field)


def _split_on_hyphen(text: str) -> list[str]:
    """ "china-us" or "asia-ex-china-us": the first hyphen whose two sides both name regions."""
    for match in re.finditer("-", text):
        left, right = text[: match.start()], text[match.end() :]
        if VOCAB.flow_sides.find(left) and VOCAB.flow_sides.find(right):
            return [left, right]
    return [text]


def complete(choices: Iterable[str], typed: str, limit: int) -> list[str]:
    """The choices containing what has been typed so far (all of them before anything is)."""
    folded = fold(typed)
    return [choice for choice in choices if folded in fold(choice)][:limit]


def sector_choices() -> list[str]:
    """Every sector label, parents before their children: for pickers."""
    return [entry.label for entry in VOCAB.sectors]


def flow_choices() -> list[str]:
    """Every flow between two different sides, "Greater China → US" first: for pickers."""
    sides = [entry.label for entry in VOCAB.flow_sides]
    return [f"{a} {ARROW} {b}" for a in sides for b in sides if a != b]


def region_sql(country_column: str) -> str:
    """SQL giving the region key of a stored country label (NULL when it has none)."""
    cases = " ".join(
        f"WHEN '{_sql_text(entry.label)}' THEN '{entry.region}'"
        for entry in VOCAB.countries
        if entry.region
    )
    return f"(CASE {country_column} {cases} END)"


def flow_sql(flow: Flow, licensor_country: str, licensee_country: str) -> tuple[str, list[str]]:
    """A SQL condition (and its parameters) true for deals going the way ``flow`` says.

    The columns are the stored countries of the licensor and licensee (joined companies).
    """
    values = [*flow.source, *flow.target]
    return _flow_condition(flow, licensor_country, licensee_country, ["?"] * len(values)), values


def flow_sql_named(
    flow: Flow, licensor_country: str, licensee_country: str, prefix: str = "flow"
) -> tuple[str, dict[str, str]]:
    """:func:`flow_sql` with named parameters (``:flow0``...), for queries that bind by name."""
    values = {f"{prefix}{i}": key for i, key in enumerate([*flow.source, *flow.target])}
    marks = [f":{name}" for name in values]
    return _flow_condition(flow, licensor_country, licensee_country, marks), values


def _flow_condition(
    flow: Flow, licensor_country: str, licensee_country: str, marks: list[str]
) -> str:
    """The condition with ``marks`` standing for the flow's source regions, then its targets."""
    source, target = marks[: len(flow.source)], marks[len(flow.source) :]
    return (
        f"{region_sql(licensor_country)} IN ({','.join(source)}) "
        f"AND {region_sql(licensee_country)} IN ({','.join(target)})"
    )


# --- Milestones. ------------------------------------------------------------------------------


def milestones_usd(figures: Iterable[Any]) -> float | None:
    """A deal's milestones in USD: the stated milestones figure, else the sum of its kinds."""
    stated = [f.value_usd for f in figures if f.role == "milestones" and f.value_usd]
    if stated:
        return stated[0]
    parts = [f.value_usd for f in figures if f.role in VOCAB.milestone_roles and f.value_usd]
    return sum(parts) if parts else None


def parts_usd_sql(fact_id: str) -> str:
    """SQL for a deal's upfront plus milestones in USD (a stated milestones figure wins over
    the sum of its kinds); NULL when none of them has a value.

    One pass over the fact's figures sums the three at once: a query aggregating every deal
    looks each fact up once rather than once per term.
    """
    kinds = ",".join(f"'{role}'" for role in VOCAB.milestone_roles)
    return (
        "(SELECT CASE WHEN u IS NULL AND coalesce(s, k) IS NULL THEN NULL "
        "ELSE coalesce(u, 0) + coalesce(s, k, 0) END FROM ("
        "SELECT sum(g.value_usd) FILTER (WHERE g.role = 'upfront') AS u, "
        "sum(g.value_usd) FILTER (WHERE g.role = 'milestones') AS s, "
        f"sum(g.value_usd) FILTER (WHERE g.role IN ({kinds})) AS k "
        f"FROM figures g WHERE g.fact_id = {fact_id} AND g.value_usd > 0))"
    )


def _sql_text(value: str) -> str:
    return value.replace("'", "''")

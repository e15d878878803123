"""The vocabulary of the knowledge base: what kinds of fact, figure and alias exist.

Kept apart from the store so that validation, rendering and extraction share one list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .vocab import VOCAB, milestones_usd, parts_usd_sql

# Kinds of fact and which of them are deals: read from data/vocab/kinds.toml, in its order.
# Deals come first in a brief and count as deals in stats.
FACT_KINDS = {entry.key: entry.label for entry in VOCAB.kinds}
DEAL_KINDS = VOCAB.deal_kinds

# Roles of a figure attached to a fact. Deal terms first (milestones may also be given by kind,
# data/vocab/milestones.toml); then the figures of other facts.
MILESTONE_ROLES = VOCAB.milestone_roles
DEAL_TERM_ROLES = ("upfront", "milestones", *MILESTONE_ROLES, "total", "equity", "royalty")
FIGURE_ROLES = (*DEAL_TERM_ROLES, "sales", "value", "count", "share", "growth")

# Units: an ISO 4217 currency code for money, or one of these for other figures.
NON_MONEY_UNITS = ("count", "percent", "multiple")

STATUSES = ("reported", "announced", "signed", "completed", "approved", "terminated")

ALIAS_KINDS = ("name", "short", "legal", "ticker", "chinese", "former", "reported", "abbreviation")

ORIGINS = ("curated", "admin", "ingest")

# A deal's size in USD in SQL, for queries that must aggregate: ``Fact.value_usd`` over the fact
# aliased ``f``: its first stated total when non-zero, else the upfront plus milestones (stated,
# or summed from their kinds); NULL when that is nothing. Keep the two together.
DEAL_VALUE_SQL = f"""
    nullif(coalesce(
        (SELECT nullif(g.value_usd, 0) FROM figures g WHERE g.fact_id = f.id AND g.role = 'total'
            ORDER BY g.id LIMIT 1),
        {parts_usd_sql("f.id")}
    ), 0)
"""


def is_money(unit: str) -> bool:
    return unit not in NON_MONEY_UNITS


# --- Read models: what queries return and templates render. ---------------------------------
#
# Slotted: no per-object ``__dict__``, so a brief of hundreds of facts allocates half the
# objects (and gives the garbage collector half as many to track).


@dataclass(frozen=True, slots=True)
class Company:
    id: int
    slug: str
    name: str
    country: str | None = None
    sector: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Alias:
    alias: str
    kind: str
    source_id: int | None = None
    source_label: str | None = None  # "Global Times" when a source uses this spelling
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    key: str
    kind: str
    title: str
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    note: str | None = None

    @property
    def label(self) -> str:
        """'Outlet, "Title", date' as a citation line."""
        parts = [self.outlet] if self.outlet else []
        parts.append(f"“{self.title}”")
        if self.published:
            parts.append(self.published)
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Citation:
    """A further source reporting a fact, with what it says (the first is ``Fact.source``)."""

    source: Source
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    role: str
    disclosed: bool
    value: float | None
    unit: str
    value_usd: float | None = None
    usd_basis: str | None = None
    approx: str | None = None
    note: str | None = None
    precision: int | None = None  # significant digits as the source stated the value

    @property
    def converted(self) -> bool:
        """Whether the dollar value was computed at a yearly average rate (shown with ≈)."""
        return (self.usd_basis or "").startswith("rate table")


@dataclass(frozen=True, slots=True)
class PartyRef:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Fact:
    id: int
    kind: str
    summary: str
    source: Source
    key: str | None = None
    subject: PartyRef | None = None
    counterparty: PartyRef | None = None
    licensor: PartyRef | None = None
    licensee: PartyRef | None = None
    licensor_undisclosed: bool = False
    licensee_undisclosed: bool = False
    asset: str | None = None
    sector: str | None = None
    territory: str | None = None
    stage: str | None = None
    royalty: str | None = None
    period: str | None = None
    period_start: str | None = None
    period_end: str | None = None
    status: str = "reported"
    evidence: str | None = None
    note: str | None = None
    origin: str = "admin"
    revision: int = 1
    created_at: str = ""
    updated_at: str = ""
    deleted_at: str | None = None
    figures: tuple[Figure, ...] = field(default_factory=tuple)
    more_sources: tuple[Citation, ...] = field(default_factory=tuple)

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source reporting this fact, the first one first."""
        return (self.source, *(c.source for c in self.more_sources))

    @property
    def is_deal(self) -> bool:
        return self.kind in DEAL_KINDS

    @property
    def kind_label(self) -> str:
        return FACT_KINDS.get(self.kind, self.kind)

    def figure(self, role: str) -> Figure | None:
        return next((f for f in self.figures if f.role == role), None)

    @property
    def value_usd(self) -> float | None:
        """A deal's size in USD: its stated total, else upfront plus milestones (``DEAL_VALUE_SQL``)."""
        total = self.figure("total")
        if total and total.value_usd:
            return total.value_usd
        return self.parts_usd

    @property
    def value_is_parts(self) -> bool:
        """Whether ``value_usd`` is upfront plus milestones rather than a stated total."""
        total = self.figure("total")
        return not (total and total.value_usd) and self.parts_usd is not None

    @property
    def milestones_usd(self) -> float | None:
        """The stated milestones in USD, else the sum of the milestones given by kind."""
        return milestones_usd(self.figures)

    @property
    def parts_usd(self) -> float | None:
        """Sum of the disclosed upfront and milestones in USD, kept apart from a stated total."""
        upfront = next((f.value_usd for f in self.figures if f.role == "upfront"), None)
        parts = [value for value in (upfront, self.milestones_usd) if value]
        return sum(parts) if parts else None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: int | None
    actor_id: str | None = None
    guild_id: str | None = None
    before: dict | None = None
    after: dict | None = None
    reason: str | None = None
    undoes: int | None = None
    undone_by: int | None = None
    changes: tuple = ()  # diffs.FieldChange for each field an edit (or its undo) changed

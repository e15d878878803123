"""Fact commands as every front end runs them: add, edit, remove, undo and history.

A :class:`FactForm` holds what a person typed, as text, whether it came from click options, a
slash command and its form, a console line or a review correction. Turning that text into a
:class:`~briefs.changes.FactIn` (companies resolved, amounts parsed, parties placed) happens
here once; :mod:`briefs.changes` then checks the whole and writes it with its audit row.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import changes, names, queries, repeats
from ..changes import Actor, FactIn, FigureIn
from ..errors import BadInput, NotFound
from ..model import DEAL_TERM_ROLES, FIGURE_ROLES, AuditEntry, Fact, Figure
from ..money import parse_amount
from ..store import writing
from ..text import MAX_NAME, clean, slugify

if TYPE_CHECKING:
    from sqlite_utils import Database

UNDISCLOSED = "undisclosed"
# Deal terms typed as amounts: every deal-term role but the royalty, which is text. Milestones
# by kind (data/vocab/milestones.toml) are fields of FactForm too.
TERM_ROLES = tuple(role for role in DEAL_TERM_ROLES if role != "royalty")
PARTY_ROLES = ("subject", "counterparty", "licensor", "licensee")
HIDEABLE = ("licensor", "licensee")  # parties a source may leave unnamed ("undisclosed")
TEXT_FIELDS = ("asset", "sector", "territory", "stage", "royalty", "period", "evidence", "note")
SOURCE_FIELDS = ("source_title", "source_outlet", "source_date", "source_url")
AMOUNT_LIMIT = 60
_ID = re.compile(r"^#?(\d{1,12})$")

# What a person typed that names a company, turned into its id (review may create companies).
Resolver = Callable[[str], int]


@dataclass(frozen=True)
class FactForm:
    """A fact as typed: every field is text, ``None`` when not given.

    On an edit, ``""`` clears a field (a party, a text field or a deal term).
    """

    kind: str | None = None
    summary: str | None = None
    subject: str | None = None
    counterparty: str | None = None
    licensor: str | None = None
    licensee: str | None = None
    asset: str | None = None
    sector: str | None = None
    territory: str | None = None
    stage: str | None = None
    royalty: str | None = None
    period: str | None = None
    status: str | None = None
    evidence: str | None = None
    note: str | None = None
    upfront: str | None = None
    milestones: str | None = None
    milestones_development: str | None = None
    milestones_regulatory: str | None = None
    milestones_commercial: str | None = None
    total: str | None = None
    equity: str | None = None
    source: str | None = None
    source_title: str | None = None
    source_outlet: str | None = None
    source_date: str | None = None
    source_url: str | None = None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> FactForm:
        """A form from any mapping of options; names that are not fields are ignored, numbers
        (a Discord source option) become text."""
        return cls(
            **{
                name: None if values.get(name) is None else str(values[name])
                for name in FORM_FIELDS
            }
        )

    def given(self) -> dict[str, str]:
        """The fields that were typed, by name."""
        return {name: value for name in FORM_FIELDS if (value := getattr(self, name)) is not None}

    def over(self, base: FactForm) -> FactForm:
        """``base`` with every field given here put over it."""
        return dataclasses.replace(base, **self.given())


FORM_FIELDS = tuple(f.name for f in dataclasses.fields(FactForm))


# --- Parsing what was typed ------------------------------------------------------------------


def parse_term(role: str, typed: str) -> FigureIn:
    """A deal term: an amount ("$50m", "3.5bn yuan"), or "undisclosed" for a term kept secret."""
    text = clean(typed, field=role, max_len=AMOUNT_LIMIT)
    if text.casefold() == UNDISCLOSED:
        return FigureIn(role=role, disclosed=False)
    money = parse_amount(text)
    return FigureIn(role=role, value=money.amount, unit=money.currency, precision=money.digits)


def terms_of(form: FactForm) -> dict[str, FigureIn | None]:
    """The deal terms the form gives, by role; ``None`` for a term cleared with ""."""
    return {
        role: parse_term(role, typed) if typed.strip() else None
        for role in TERM_ROLES
        if (typed := getattr(form, role)) is not None
    }


def as_input(figure: Figure | FigureIn) -> FigureIn:
    """A stored figure as input again, keeping its dollar value and hedge."""
    return FigureIn(**{f.name: getattr(figure, f.name) for f in dataclasses.fields(FigureIn)})


def merge_figures(
    current: Iterable[Figure | FigureIn], terms: Mapping[str, FigureIn | None]
) -> list[FigureIn]:
    """The figures after an edit: a role given replaces (or, with None, drops) that role's
    figure; every other figure is kept as it was."""
    kept = [as_input(f) for f in current if f.role not in terms]
    merged = [*kept, *(f for f in terms.values() if f is not None)]
    return sorted(merged, key=lambda f: FIGURE_ROLES.index(f.role))


def company_id(db: Database, typed: str) -> int:
    """The company a person named; raises NotFound with suggestions when unsure."""
    return names.resolve_company(db, typed).company.id


def is_undisclosed(typed: str | None) -> bool:
    """ "undisclosed" typed for a licensor or licensee: a party the source does not name."""
    return typed is not None and typed.strip().casefold() == UNDISCLOSED


def party_ids(form: FactForm, resolve: Resolver) -> dict[str, int | None]:
    """Ids of the parties the form names, by role; ``None`` for a party cleared with "" (or,
    for a licensor or licensee, said to be undisclosed)."""
    return {
        role: resolve(typed)
        if typed.strip() and not (role in HIDEABLE and is_undisclosed(typed))
        else None
        for role in PARTY_ROLES
        if (typed := getattr(form, role)) is not None
    }


def undisclosed_parties(form: FactForm) -> dict[str, bool]:
    """The flags of a licensor or licensee the form says the source did not name."""
    return {f"{role}_undisclosed": True for role in HIDEABLE if is_undisclosed(getattr(form, role))}


def placed_parties(ids: Mapping[str, int | None]) -> dict[str, int | None]:
    """The four party columns of a new fact.

    The licensor is the subject and the licensee the counterparty unless those are named
    themselves: a licensor or licensee given alone also becomes the subject or counterparty.
    """
    licensor, licensee = ids.get("licensor"), ids.get("licensee")
    subject = ids.get("subject") or licensor or licensee
    counterparty = ids.get("counterparty")
    if counterparty is None:
        counterparty = next((i for i in (licensee, licensor) if i not in (None, subject)), None)
    return {
        "subject_id": subject,
        "counterparty_id": counterparty,
        "licensor_id": licensor,
        "licensee_id": licensee,
    }


def find_source(db: Database, typed: str) -> int:
    """A source by its number or its key."""
    text = clean(typed, field="source", max_len=MAX_NAME)
    match = _ID.match(text)
    row = db.execute(
        "SELECT id FROM sources WHERE id = ? OR key = ?",
        [int(match.group(1)) if match else None, text],
    ).fetchone()
    if row is None:
        raise NotFound(f"no source {text!r}", code="unknown_source", source_id=text)
    return row[0]


def source_for(db: Database, form: FactForm, actor: Actor) -> int:
    """The source the form names, or one created from its title, outlet, date and address."""
    if form.source is not None:
        return find_source(db, form.source)
    if form.source_title is None:
        raise BadInput("a fact needs a source", code="empty", field="source")
    title = clean(form.source_title, field="source title", max_len=MAX_NAME)
    published = form.source_date
    key = "-".join(p for p in ("admin", slugify(title)[:60], published and slugify(published)) if p)
    return changes.add_source(
        db,
        key=key,
        title=title,
        actor=actor,
        outlet=form.source_outlet,
        published=published,
        url=form.source_url,
    )


def fact_in(
    form: FactForm,
    source_id: int,
    resolve: Resolver,
    *,
    origin: str = "admin",
    figures: Sequence[FigureIn] = (),
) -> FactIn:
    """The fact a form describes, ready for :func:`changes.add_fact` (which checks the rest).

    ``figures`` are kept unless the form gives the same role (a proposal's hedged amounts).
    """
    merged = merge_figures(figures, terms_of(form))  # amounts first: resolving may create
    return FactIn(
        kind=form.kind or "",
        summary=form.summary or "",
        source_id=source_id,
        **placed_parties(party_ids(form, resolve)),
        **undisclosed_parties(form),
        **{name: getattr(form, name) for name in TEXT_FIELDS},
        status=form.status or "reported",
        origin=origin,
        figures=merged,
    )


def edits_of(db: Database, fact_id: int, form: FactForm) -> dict[str, Any]:
    """The fields an edit changes: only those the form gives (an edit moves no other party)."""
    edits: dict[str, Any] = {
        name: getattr(form, name)
        for name in ("kind", "summary", "status", *TEXT_FIELDS)
        if getattr(form, name) is not None
    }
    edits.update(
        {f"{role}_id": i for role, i in party_ids(form, lambda t: company_id(db, t)).items()}
    )
    edits.update(undisclosed_parties(form))
    if form.source is not None:
        edits["source_id"] = find_source(db, form.source)
    terms = terms_of(form)
    if terms:
        edits["figures"] = merge_figures(queries.get_fact(db, fact_id).figures, terms)
    return edits


# --- The commands ----------------------------------------------------------------------------


def check(db: Database, form: FactForm) -> None:
    """Refuse bad options early (before Discord opens the form for the long text): kind,
    status, companies, amounts and source are checked; the rest when the fact is stored."""
    if form.kind:
        changes.check_kind(form.kind)
    if form.status:
        changes.check_status(form.status)
    party_ids(form, lambda typed: company_id(db, typed))
    terms_of(form)
    if form.source is not None:
        find_source(db, form.source)


def check_new(db: Database, form: FactForm, *, separate: bool = False) -> None:
    """:func:`check`, and for a new fact a repeat of a stored deal refused as :func:`add` would
    (unless ``separate``), so nobody writes the summary of a deal that is already recorded."""
    check(db, form)
    if not separate:
        fact = fact_in(form, source_id=0, resolve=lambda t: company_id(db, t))
        repeats.refuse_repeat(db, claim_of(fact))


def add(db: Database, form: FactForm, actor: Actor, *, separate: bool = False) -> int:
    """Store a new fact (and the new source it names, in the same transaction); its id.

    A deal that repeats a stored one is refused (its source belongs on that deal: see
    :func:`cite`) unless ``separate`` says it is another deal.
    """
    with writing(db):
        source_id = source_for(db, form, actor)
        fact = fact_in(form, source_id, lambda t: company_id(db, t))
        if not separate:
            repeats.refuse_repeat(db, claim_of(fact))
        return changes.add_fact(db, fact, actor)


def claim_of(fact: FactIn) -> repeats.Claim:
    """What a new fact says happened, for the test of repeating a stored fact."""
    return repeats.Claim(
        kind=fact.kind,
        licensor_id=fact.licensor_id,
        licensee_id=fact.licensee_id,
        subject_id=fact.subject_id,
        asset=fact.asset,
        period=fact.period,
        territory=fact.territory,
    )


def cite(
    db: Database,
    fact_id: int,
    form: FactForm,
    actor: Actor,
    *,
    evidence: str | None = None,
    reason: str | None = None,
) -> int:
    """Record another source reporting a stored fact (the form's source, created if new); the
    audit id. The fact stays one fact, so counts and sums do not change."""
    with writing(db):
        source_id = source_for(db, form, actor)
        return changes.add_fact_source(
            db, fact_id, source_id, actor, evidence=evidence, reason=reason
        )


def edit(
    db: Database, fact_id: int, form: FactForm, actor: Actor, reason: str | None = None
) -> int:
    """Change the fields the form gives; amounts given replace that role's figure. The audit id."""
    edits = edits_of(db, fact_id, form)
    if not edits:
        raise BadInput("nothing to change", code="no_change", id=fact_id)
    return changes.edit_fact(db, fact_id, actor, reason=reason, **edits)


def remove(db: Database, fact_id: int, actor: Actor, reason: str | None = None) -> int:
    """Hide a fact from every answer (undo brings it back); the audit id."""
    return changes.remove_fact(db, fact_id, actor, reason=reason)


def undo(db: Database, actor: Actor, change: int | None = None) -> AuditEntry:
    """Undo a change by its number, or else the actor's latest change still in effect."""
    return changes.undo(db, actor, change)


def history(
    db: Database,
    *,
    fact_id: int | None = None,
    company: str | None = None,
    limit: int = 20,
) -> list[AuditEntry]:
    """Recent changes, newest first, of one fact or one company (named as people write it)."""
    company_ref = company_id(db, company) if company is not None else None
    return changes.history(db, fact_id=fact_id, company_id=company_ref, limit=limit)


# --- What a change prints --------------------------------------------------------------------


def made_since(db: Database, actor: Actor, since: int) -> list[AuditEntry]:
    """The changes ``actor`` made after audit id ``since``, oldest first: what a command did."""
    made = [e for e in changes.history(db, actor=actor, limit=changes.HISTORY_MAX) if e.id > since]
    return list(reversed(made))


def shown_fact(db: Database, entry: AuditEntry) -> Fact | None:
    """The fact a change touched, when it is a fact that is still shown."""
    if entry.entity != "fact" or entry.entity_id is None:
        return None
    found = queries.fetch_facts(db, [entry.entity_id])
    return found[0] if found else None

"""Review decisions as every front end makes them: approve a proposal (with corrections and
new companies) or reject it.

A correction is a :class:`~briefs.actions.facts.FactForm`, the same one ``fact add`` takes, laid
over what the proposal says; parties, amounts and the subject/counterparty rule are those of
:mod:`briefs.actions.facts`. A company the document names for the first time can be created as
part of approving, even when its name is close to a known one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import changes, render
from ..changes import Actor, FigureIn
from ..errors import BadInput, NotFound
from ..ingest import review as queue
from ..ingest.orgs import KnownNames
from ..ingest.proposal import Party, Proposal, ProposedFigure
from ..model import DEAL_KINDS
from ..names import resolve_company
from ..store import writing
from ..text import MAX_NAME, clean, normalize_name
from .facts import FORM_FIELDS, FactForm, fact_in

if TYPE_CHECKING:
    from sqlite_utils import Database

# Fields a correction may set: every fact field except the source (the proposal's document).
CORRECTABLE = tuple(f for f in FORM_FIELDS if not f.startswith("source"))
NEW_COMPANY = "new_company"
_SEPARATORS = re.compile(r"[;\n]")
_PAIR = re.compile(r"^\s*(?P<name>[A-Za-z_ ]+?)\s*[=:]\s*(?P<value>.*?)\s*$", re.DOTALL)


@dataclass(frozen=True)
class NewCompany:
    """A company to create while approving: its name, and its country when known."""

    name: str
    country: str | None = None


def proposal_form(queued: queue.QueuedProposal) -> FactForm:
    """What the proposal says, as the form a reviewer corrects."""
    proposal = queued.proposal

    def name(party: Party | None) -> str | None:
        return party.name if party is not None else None

    return FactForm(
        kind=proposal.kind,
        licensor=name(proposal.licensor),
        licensee=name(proposal.licensee),
        subject=name(proposal.subject),
        asset=proposal.asset,
        territory=proposal.territory,
        stage=proposal.stage,
        royalty=proposal.royalty,
        period=proposal.period,
        evidence=proposal.evidence,
    )


@dataclass(frozen=True)
class Approval:
    """What approving a proposal did: made a new fact, or added a source to a stored one."""

    proposal_id: int
    fact_id: int
    as_source: bool
    already_cited: bool = False  # the fact already cites the proposal's document


def approve(
    db: Database,
    proposal_id: int,
    actor: Actor,
    corrections: FactForm | None = None,
    new_companies: Sequence[NewCompany] = (),
    *,
    as_new: bool = False,
) -> Approval:
    """Approve a proposal: a repeat of a stored fact becomes another source of that fact; news
    (or a repeat with ``as_new``, the reviewer's explicit choice) becomes a new fact.

    A deal reported twice stays one deal, so the default for a flagged proposal is to cite it.
    Corrections describe a fact to store, so they are refused for a proposal added as a source.
    All of it happens in one transaction: a refusal leaves nothing behind.
    """
    queued = queue.undecided(db, proposal_id)
    if queued.duplicate_of is not None and not as_new:
        return _add_as_source(db, queued, actor, corrections, new_companies)
    return Approval(
        proposal_id, _approve_as_fact(db, queued, actor, corrections, new_companies), False
    )


def _add_as_source(
    db: Database,
    queued: queue.QueuedProposal,
    actor: Actor,
    corrections: FactForm | None,
    new_companies: Sequence[NewCompany],
) -> Approval:
    fact_id = queued.duplicate_of
    assert fact_id is not None
    if (corrections is not None and corrections.given()) or new_companies:
        raise BadInput(
            "corrections apply to a new fact, not to another source of a stored one",
            code="edits_for_source",
            id=queued.id,
            fact_id=fact_id,
        )
    with writing(db):
        # Two sentences of one document may both restate the fact: the second adds nothing.
        cited = changes.cites(db, fact_id, queued.source_id)
        if not cited:
            changes.add_fact_source(
                db, fact_id, queued.source_id, actor, evidence=queued.proposal.evidence
            )
        queue.decide(db, queued.id, "approved", actor, fact_id=fact_id)
    return Approval(queued.id, fact_id, as_source=True, already_cited=cited)


def _approve_as_fact(
    db: Database,
    queued: queue.QueuedProposal,
    actor: Actor,
    corrections: FactForm | None,
    new_companies: Sequence[NewCompany],
) -> int:
    """Make the proposal a fact with the reviewer's corrections, creating the companies named."""
    form = (corrections or FactForm()).over(proposal_form(queued))
    if form.summary is None:
        form = dataclasses.replace(form, summary=summary_of(form))
    with writing(db):
        created = {
            normalize_name(c.name): changes.add_company(db, c.name, actor, country=c.country)
            for c in new_companies
        }
        resolve = Resolver(db, queued.proposal, created, actor)
        fact = fact_in(
            form, queued.source_id, resolve, origin="ingest", figures=figures_of(queued.proposal)
        )
        if fact.kind in DEAL_KINDS and None in (fact.licensor_id, fact.licensee_id):
            raise BadInput(
                "say who licenses to whom before approving (--licensor and --licensee)",
                code="roles_missing",
            )
        fact_id = changes.add_fact(db, fact, actor)
        queue.decide(db, queued.id, "approved", actor, fact_id=fact_id)
    return fact_id


def reject(db: Database, proposal_id: int, actor: Actor, reason: str | None = None) -> None:
    """Reject a proposal, keeping it (and why) on record."""
    queue.reject(db, proposal_id, actor, reason)


class Resolver:
    """Names in an approval to company ids: a company just created, the one the extractor
    matched, an exact name, a confident match; a name nothing resembles becomes a new company."""

    def __init__(
        self, db: Database, proposal: Proposal, created: Mapping[str, int], actor: Actor
    ) -> None:
        self.db, self.created, self.actor = db, created, actor
        parties = (proposal.licensor, proposal.licensee, proposal.subject, *proposal.parties)
        self.matched = {p.name: p.company_id for p in parties if p and p.company_id is not None}
        self.known: KnownNames | None = None

    def __call__(self, typed: str) -> int:
        name = clean(typed, field="company", max_len=MAX_NAME)
        if normalize_name(name) in self.created:
            return self.created[normalize_name(name)]
        matched = self.matched.get(name)
        if matched is not None and self._exists(matched):
            return matched
        self.known = self.known or KnownNames.from_db(self.db)
        exact = self.known.lookup(name)
        if exact is not None:
            return exact
        try:
            return resolve_company(self.db, name).company.id
        except NotFound as err:
            if err.suggestions:
                raise
        return changes.add_company(self.db, name, self.actor)

    def _exists(self, company_id: int) -> bool:
        found = self.db.execute("SELECT 1 FROM companies WHERE id = ?", [company_id]).fetchone()
        return found is not None


def figures_of(proposal: Proposal) -> list[FigureIn]:
    """The proposal's amounts as input, with the source's own dollar value and hedge."""
    return [_figure_in(f) for f in proposal.figures]


def _figure_in(figure: ProposedFigure) -> FigureIn:
    return FigureIn(
        role=figure.role,
        value=figure.value,
        unit=figure.unit,
        disclosed=figure.disclosed,
        value_usd=figure.value_usd,
        usd_basis=figure.usd_basis,
        approx=figure.approx,
    )


def summary_of(form: FactForm) -> str:
    """One line naming what was proposed, worded by templates/proposal_summary.j2."""
    template = render.environment("text").get_template("proposal_summary.j2")
    return " ".join(template.render(p=form).split())


# --- Corrections typed as text (the Discord form, the interactive prompt) --------------------


def parse_corrections(text: str) -> tuple[FactForm, list[NewCompany]]:
    """ "licensor=Acme; upfront=$50m; new company=Acme (CN)" -> a form and companies to create.

    Pairs are separated by ";" or line breaks; a name is any field ``fact add`` takes
    (spaces and underscores alike), or "new company" with an optional "(country)".
    """
    values: dict[str, str] = {}
    created: list[NewCompany] = []
    for piece in _SEPARATORS.split(text):
        if not piece.strip():
            continue
        pair = _PAIR.match(piece)
        if pair is None:
            raise BadInput(
                f"{piece.strip()!r} is not name=value", code="bad_terms", value=piece.strip()
            )
        name = pair["name"].strip().casefold().replace(" ", "_")
        if name == NEW_COMPANY:
            created.append(new_company(pair["value"]))
        elif name in CORRECTABLE:
            values[name] = pair["value"]
        else:
            raise BadInput(f"{name} cannot be edited here", code="bad_edit", value=name)
    return FactForm.of(values), created


def new_company(typed: str) -> NewCompany:
    """ "Acme Bio (China)" -> NewCompany("Acme Bio", "China")."""
    match = re.fullmatch(r"\s*(?P<name>.+?)\s*(?:\((?P<country>[^()]*)\))?\s*", typed)
    name = match["name"] if match else typed
    return NewCompany(name, (match["country"] or "").strip() or None if match else None)

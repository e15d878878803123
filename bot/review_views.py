"""The ``/review`` message: one proposal at a time with Approve, Edit, Reject and Skip.

Only the admin who opened it can press its buttons, and each press checks again that they are
still an admin. A decision made with a button turns the message into its outcome plus the next
proposal; one made in a form (Edit, Reject) is confirmed in a note of its own while the message
moves on. A refusal (roles missing, a company that is only nearly known) is shown politely and
the proposal stays where it was, still waiting.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from briefs.actions.facts import FactForm
from briefs.actions.review import Approval, NewCompany, approve, reject
from briefs.changes import Actor
from briefs.ingest.review import QueuedProposal, count_pending, next_pending
from briefs.render import Page, render_template
from briefs.text import MAX_FIELD, MAX_NAME

from .actors import actor_of
from .embeds import to_embeds
from .format import group_messages
from .permissions import require_admin
from .review_form import edits_from, form_fields
from .views import NONE, VIEW_TIMEOUT, CheckedModal, OwnedView, in_time, respond
from .words import word

if TYPE_CHECKING:
    from sqlite_utils import Database

PERIOD_LIMIT = 20
AMOUNTS_LIMIT = 300
FIELD_LIMITS = {"period": PERIOD_LIMIT, "amounts": AMOUNTS_LIMIT}

# --- What the message shows (built in a database thread) ---------------------------------------


# The message's pages, and the proposal it shows (None at the end of the queue).
Screen = tuple[list[Page], QueuedProposal | None]


def review_screen(db: Database, after_id: int, outcome: Sequence[Page] = ()) -> Screen:
    """``outcome`` followed by the next waiting proposal after ``after_id``, or by the end of
    the queue (which counts the proposals skipped on the way)."""
    queued = next_pending(db, after_id)
    if queued is None:
        return [*outcome, *render_template("bot/review_end.j2", waiting=count_pending(db))], None
    return [*outcome, *render_template("proposal.j2", queued=queued, buttons=True)], queued


def outcome_pages(proposal_id: int, approval: Approval | None) -> list[Page]:
    """The decision's line: approved as a fact, added as a source, or (no approval) rejected."""
    if approval is None:
        return render_template("review_done.j2", proposal_id=proposal_id)
    return render_template(
        "review_done.j2",
        proposal_id=proposal_id,
        fact_id=approval.fact_id,
        as_source=approval.as_source,
        already_cited=approval.already_cited,
    )


def embeds_of(pages: Sequence[Page]) -> list[discord.Embed]:
    """One message's worth: a proposal and its outcome line always fit in the first."""
    return to_embeds(group_messages(pages)[0])


# --- The buttons -----------------------------------------------------------------------------


class ReviewView(OwnedView):
    """Walks the queue forward from the proposal shown; skipped ones wait for the next round.

    A proposal repeating a stored fact is approved as another source of it; "Separate deal"
    (and its corrections form) is the explicit choice of a new fact.
    """

    def __init__(self, bot: commands.Bot, owner_id: int, queued: QueuedProposal) -> None:
        super().__init__(owner_id)
        self.bot = bot
        self.queued: QueuedProposal | None = queued
        self.reject_button.label = word("review.reject")
        self.skip_button.label = word("review.skip")
        self._label_for(queued)

    def _label_for(self, queued: QueuedProposal | None) -> None:
        """Name the choices for the proposal shown: a repeat offers a separate deal as well."""
        repeated = queued.duplicate_of if queued is not None else None
        if repeated is None:
            self.approve_button.label = word("review.approve")
            self.edit_button.label = word("review.edit")
            if self.separate_button in self.children:
                self.remove_item(self.separate_button)
            return
        self.approve_button.label = word("review.add_source", fact_id=repeated)
        self.edit_button.label = word("review.edit_separate")
        self.separate_button.label = word("review.separate")
        if self.separate_button not in self.children:
            self.add_item(self.separate_button)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if not await super().interaction_check(interaction):
            return False
        await require_admin(interaction)
        return True

    def _shown(self) -> QueuedProposal:
        assert self.queued is not None, "a finished review has no buttons"
        return self.queued

    @discord.ui.button(style=discord.ButtonStyle.success)
    async def approve_button(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._move_on(interaction, self._approve(self._shown().id, actor_of(interaction)))

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def separate_button(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        work = self._approve(self._shown().id, actor_of(interaction), as_new=True)
        await self._move_on(interaction, work)

    @discord.ui.button(style=discord.ButtonStyle.primary)
    async def edit_button(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.send_modal(ProposalEditModal(self._shown(), self._edited))

    @discord.ui.button(style=discord.ButtonStyle.danger)
    async def reject_button(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.send_modal(RejectModal(self._shown().id, self._rejected))

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def skip_button(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._move_on(interaction, self.bot.db_call(review_screen, self._shown().id))

    async def _approve(self, proposal_id: int, actor: Actor, *, as_new: bool = False) -> Screen:
        approval = await self.bot.db_call(partial(approve, as_new=as_new), proposal_id, actor)
        outcome = outcome_pages(proposal_id, approval)
        return await self.bot.db_call(review_screen, proposal_id, outcome)

    async def _move_on(self, interaction: discord.Interaction, work: Awaitable[Screen]) -> None:
        """Answer a button press by showing the outcome and the next proposal in place."""
        pages, self.queued = await in_time(interaction, work, in_place=True)
        self._label_for(self.queued)
        if self.queued is None:
            self.stop()
        view = self if self.queued else None
        await respond(interaction, embeds_of(pages), view=view, in_place=True)

    async def _edited(
        self,
        interaction: discord.Interaction,
        proposal_id: int,
        corrections: tuple[FactForm, list[NewCompany]],
    ) -> None:
        await require_admin(interaction)
        form, created = corrections
        # The form records what the admin corrected: always a fact of its own.
        approved = self.bot.db_call(
            partial(approve, as_new=True), proposal_id, actor_of(interaction), form, created
        )
        approval = await in_time(interaction, approved, ephemeral=True)
        await self._decided_in_form(interaction, proposal_id, approval)

    async def _rejected(
        self, interaction: discord.Interaction, proposal_id: int, reason: str
    ) -> None:
        await require_admin(interaction)
        rejected = self.bot.db_call(reject, proposal_id, actor_of(interaction), reason or None)
        await in_time(interaction, rejected, ephemeral=True)
        await self._decided_in_form(interaction, proposal_id, None)

    async def _decided_in_form(
        self, interaction: discord.Interaction, proposal_id: int, approval: Approval | None
    ) -> None:
        """Confirm a form's decision to the admin, then move the review message on (unless
        it already shows another proposal, or its buttons have timed out)."""
        await respond(interaction, embeds_of(outcome_pages(proposal_id, approval)), ephemeral=True)
        showing = self.queued.id if self.queued is not None else None
        if self.origin is None or self.is_finished() or showing != proposal_id:
            return
        pages, self.queued = await self.bot.db_call(review_screen, proposal_id)
        self._label_for(self.queued)
        if self.queued is None:
            self.stop()
        with contextlib.suppress(discord.HTTPException):
            await self.origin.edit_original_response(
                embeds=embeds_of(pages),
                view=self if self.queued else None,
                allowed_mentions=NONE,
            )


# --- The forms -------------------------------------------------------------------------------


class ProposalEditModal(CheckedModal):
    """The proposal's editable fields, prefilled; submitting approves it with the changes."""

    def __init__(
        self,
        queued: QueuedProposal,
        on_submit: Callable[
            [discord.Interaction, int, tuple[FactForm, list[NewCompany]]], Awaitable[None]
        ],
    ) -> None:
        super().__init__(title=word("modal.review_edit"), timeout=VIEW_TIMEOUT)
        self.proposal_id = queued.id
        self._submit = on_submit
        self.prefilled = form_fields(queued.proposal)
        self.inputs: dict[str, discord.ui.TextInput] = {}
        for name, value in self.prefilled.items():
            limit = FIELD_LIMITS.get(name, MAX_NAME)
            text_input = discord.ui.TextInput(
                label=word(f"review.{name}"),
                default=value[:limit] or None,
                required=False,
                max_length=limit,
                style=discord.TextStyle.paragraph if name == "amounts" else discord.TextStyle.short,
                placeholder=word("review.amounts_hint") if name == "amounts" else None,
            )
            self.inputs[name] = text_input
            self.add_item(text_input)

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        typed = {name: text_input.value for name, text_input in self.inputs.items()}
        await self._submit(interaction, self.proposal_id, edits_from(self.prefilled, typed))


class RejectModal(CheckedModal):
    """An optional reason, kept with the rejected proposal."""

    def __init__(
        self,
        proposal_id: int,
        on_submit: Callable[[discord.Interaction, int, str], Awaitable[None]],
    ) -> None:
        super().__init__(title=word("modal.review_reject"), timeout=VIEW_TIMEOUT)
        self.proposal_id = proposal_id
        self._submit = on_submit
        self.reason = discord.ui.TextInput(
            label=word("review.reason"),
            style=discord.TextStyle.paragraph,
            required=False,
            max_length=MAX_FIELD,
        )
        self.add_item(self.reason)

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        await self._submit(interaction, self.proposal_id, self.reason.value)

"""Buttons and forms: a pager, "did you mean" choices, and the fact form for admins.

Every view answers only the member who asked (others get a polite note only they see) and,
when it times out, greys its buttons out by editing the message it is on.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import discord

from briefs.render import Page, render_template
from briefs.text import MAX_FIELD, MAX_LONG_FIELD, clean

from .embeds import to_embeds
from .errors import tell_error
from .words import word

T = TypeVar("T")

NONE = discord.AllowedMentions.none()
VIEW_TIMEOUT = 300.0
BUTTON_LABEL_LIMIT = 80
SUMMARY_LIMIT = MAX_FIELD
MODAL_TEXT_LIMIT = 4000  # Discord's ceiling for a text input


async def report_error(interaction: discord.Interaction, error: Exception) -> None:
    """Answer a failure in a button or form the way failed commands are answered."""
    await tell_error(interaction, error)


class CheckedModal(discord.ui.Modal):
    """A form whose every text is checked on the server against the limits it declares.

    Discord's client keeps to a text input's length and ``required``, but a submission can
    carry anything; each value goes through the domain's ``clean`` (as options do) before
    ``on_submit`` sees it. A failure is answered the way failed commands are.
    """

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        for item in self.children:
            if isinstance(item, discord.ui.TextInput):
                clean(
                    item.value,
                    field=(item.to_component_dict().get("label") or "that").lower(),
                    max_len=item.max_length or MODAL_TEXT_LIMIT,
                    required=item.required,
                    multiline=item.style == discord.TextStyle.paragraph,
                )
        return True

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        await report_error(interaction, error)


class OwnedView(discord.ui.View):
    """A view only its owner may press; it greys out in place when it times out."""

    def __init__(self, owner_id: int) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.owner_id = owner_id
        self.origin: discord.Interaction | None = None

    def attach(self, interaction: discord.Interaction) -> None:
        """Remember the interaction whose message holds this view, to edit it on timeout."""
        self.origin = interaction

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        pages = render_template("bot/not_yours.j2")
        await interaction.response.send_message(
            embeds=to_embeds(pages), ephemeral=True, allowed_mentions=NONE
        )
        return False

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True
        if self.origin is None:
            return
        # A deleted message or an expired token leaves nothing to grey out.
        with contextlib.suppress(discord.HTTPException):
            await self.origin.edit_original_response(view=self)

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await report_error(interaction, error)


class PagerView(OwnedView):
    """Previous / Next over messages of embeds; the middle button shows the position."""

    def __init__(self, owner_id: int, messages: Sequence[Sequence[discord.Embed]]) -> None:
        super().__init__(owner_id)
        self.messages = [list(m) for m in messages]
        self.index = 0
        self.previous.label = word("previous")
        self.next.label = word("next")
        self._refresh()

    @property
    def current(self) -> list[discord.Embed]:
        return self.messages[self.index]

    def _refresh(self) -> None:
        self.previous.disabled = self.index == 0
        self.next.disabled = self.index >= len(self.messages) - 1
        self.position.label = word("page_position", page=self.index + 1, pages=len(self.messages))

    async def _show(self, interaction: discord.Interaction, index: int) -> None:
        self.index = max(0, min(index, len(self.messages) - 1))
        self._refresh()
        await interaction.response.edit_message(embeds=self.current, view=self)
        self.attach(interaction)  # its token outlives the first one's 15 minutes

    @discord.ui.button(style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.index - 1)

    @discord.ui.button(style=discord.ButtonStyle.secondary, disabled=True)
    async def position(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await interaction.response.defer()

    @discord.ui.button(style=discord.ButtonStyle.primary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.index + 1)


# What a "did you mean" button does when pressed: answer the click with the chosen brief.
Opener = Callable[[discord.Interaction, int], Awaitable[None]]


class DidYouMeanView(OwnedView):
    """One button per candidate company; pressing one opens that company's brief in place."""

    def __init__(self, owner_id: int, candidates: Sequence[tuple[int, str]], opener: Opener):
        super().__init__(owner_id)
        self.opener = opener
        for company_id, name in candidates[:5]:
            self.add_item(_CandidateButton(company_id, name))


class _CandidateButton(discord.ui.Button["DidYouMeanView"]):
    def __init__(self, company_id: int, name: str) -> None:
        label = name if len(name) <= BUTTON_LABEL_LIMIT else name[: BUTTON_LABEL_LIMIT - 1] + "…"
        super().__init__(label=label, style=discord.ButtonStyle.primary)
        self.company_id = company_id

    async def callback(self, interaction: discord.Interaction) -> None:
        view = self.view
        assert view is not None
        view.stop()
        await view.opener(interaction, self.company_id)


@dataclass(frozen=True)
class FactText:
    """The long fields of a fact, as typed into the form."""

    summary: str
    evidence: str
    note: str


# What the form does with what was typed: store it and answer the submission.
FactSubmit = Callable[[discord.Interaction, FactText], Awaitable[None]]


class FactModal(CheckedModal):
    """The form for a fact's long fields; short fields come as command options."""

    def __init__(self, title: str, on_submit: FactSubmit, current: FactText | None = None):
        super().__init__(title=title[:45], timeout=900)
        self._submit = on_submit
        current = current or FactText("", "", "")
        self.summary = discord.ui.TextInput(
            label=word("modal.summary"),
            style=discord.TextStyle.paragraph,
            default=current.summary or None,
            max_length=SUMMARY_LIMIT,
        )
        self.evidence = discord.ui.TextInput(
            label=word("modal.evidence"),
            style=discord.TextStyle.paragraph,
            default=current.evidence or None,
            required=False,
            max_length=min(MAX_LONG_FIELD, MODAL_TEXT_LIMIT),
        )
        self.note = discord.ui.TextInput(
            label=word("modal.note"),
            style=discord.TextStyle.paragraph,
            default=current.note or None,
            required=False,
            max_length=MAX_FIELD,
        )
        for item in (self.summary, self.evidence, self.note):
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        text = FactText(self.summary.value, self.evidence.value, self.note.value)
        await self._submit(interaction, text)


# --- Sending answers --------------------------------------------------------------------------
#
# Discord waits 3 s for an interaction's first answer. Most answers come well within that, but a
# big brief on a busy database or a chart may not: ``in_time`` then acknowledges the interaction
# (a "thinking" placeholder, or a silent update for a button) and ``respond`` sends the answer as
# an edit of it. Fast answers are sent directly, which saves a round trip.

DEFER_AFTER = 1.5  # seconds: leaves room for the network within Discord's 3 s


async def in_time(
    interaction: discord.Interaction,
    work: Awaitable[T],
    *,
    ephemeral: bool = False,
    in_place: bool = False,
) -> T:
    """``work``'s result; defers the interaction first if the work outlasts ``DEFER_AFTER``.

    ``ephemeral`` must match how the answer will be sent (a deferral fixes it), and
    ``in_place`` says the answer replaces the message a button is on.
    """
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
    if not done and not interaction.response.is_done():
        try:
            await interaction.response.defer(ephemeral=ephemeral, thinking=not in_place)
        except BaseException:
            # Too late to answer at all: the work still finishes, and nobody waits for it.
            task.add_done_callback(_forget)
            raise
    return await task


def _forget(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()


async def respond(
    interaction: discord.Interaction,
    embeds: list[discord.Embed],
    *,
    view: discord.ui.View | None = None,
    file: discord.File | None = None,
    ephemeral: bool = False,
    in_place: bool = False,
) -> None:
    """Answer: as the response, or as an edit of the placeholder once ``in_time`` deferred.

    ``in_place`` edits the message a button is on instead of sending a new one. An
    ``OwnedView`` is attached to this interaction, whose token is the freshest for its message.
    """
    if interaction.response.is_done():
        files = {"attachments": [file]} if file is not None else {}
        await interaction.edit_original_response(
            embeds=embeds, view=view, allowed_mentions=NONE, **files
        )
    elif in_place:
        files = {"attachments": [file]} if file is not None else {}
        await interaction.response.edit_message(
            embeds=embeds, view=view, allowed_mentions=NONE, **files
        )
    else:
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        if file is not None:
            extra["file"] = file
        await interaction.response.send_message(
            embeds=embeds, ephemeral=ephemeral, allowed_mentions=NONE, **extra
        )
    if isinstance(view, OwnedView):
        view.attach(interaction)


def pager_for(
    interaction: discord.Interaction, screens: Sequence[Sequence[Page]]
) -> PagerView | None:
    """A pager for the asker when there is more than one screen."""
    if len(screens) < 2:
        return None
    return PagerView(interaction.user.id, [to_embeds(s) for s in screens])


async def send_screens(
    interaction: discord.Interaction,
    screens: Sequence[Sequence[Page]],
    *,
    ephemeral: bool = False,
    file: discord.File | None = None,
) -> None:
    """Answer with the first screen; a pager (for the asker only) when there are more."""
    view = pager_for(interaction, screens)
    await respond(interaction, to_embeds(screens[0]), view=view, file=file, ephemeral=ephemeral)


async def replace_with_screens(
    interaction: discord.Interaction, screens: Sequence[Sequence[Page]]
) -> None:
    """Answer a button press by turning its message into these screens (paged if needed)."""
    view = pager_for(interaction, screens)
    await respond(interaction, to_embeds(screens[0]), view=view, in_place=True)

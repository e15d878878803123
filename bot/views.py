"""Buttons and forms: a pager, "did you mean" choices, and the fact form for admins.

Every view answers only the member who asked (others get a polite note only they see) and,
when it times out, greys its buttons out by editing the message it is on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import discord

from briefs.render import Page, render_template
from briefs.text import MAX_FIELD, MAX_LONG_FIELD

from .embeds import to_embeds
from .errors import error_pages, send_ephemeral
from .words import word

NONE = discord.AllowedMentions.none()
VIEW_TIMEOUT = 300.0
BUTTON_LABEL_LIMIT = 80
SUMMARY_LIMIT = MAX_FIELD
MODAL_TEXT_LIMIT = 4000  # Discord's ceiling for a text input


async def report_error(interaction: discord.Interaction, error: Exception) -> None:
    """Answer a failure in a button or form the way failed commands are answered."""
    await send_ephemeral(interaction, error_pages(interaction, error))


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


class FactModal(discord.ui.Modal):
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

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        await report_error(interaction, error)


# --- Sending answers --------------------------------------------------------------------------


async def send_screens(
    interaction: discord.Interaction,
    screens: Sequence[Sequence[Page]],
    *,
    ephemeral: bool = False,
    file: discord.File | None = None,
) -> None:
    """Answer with the first screen; a pager (for the asker only) when there are more."""
    extra: dict[str, Any] = {"file": file} if file is not None else {}
    if len(screens) > 1:
        view = PagerView(interaction.user.id, [to_embeds(s) for s in screens])
        extra["view"] = view
    await interaction.response.send_message(
        embeds=to_embeds(screens[0]), ephemeral=ephemeral, allowed_mentions=NONE, **extra
    )
    if "view" in extra:
        extra["view"].attach(interaction)


async def replace_with_screens(
    interaction: discord.Interaction, screens: Sequence[Sequence[Page]]
) -> None:
    """Answer a button press by turning its message into these screens (paged if needed)."""
    view = (
        PagerView(interaction.user.id, [to_embeds(s) for s in screens])
        if len(screens) > 1
        else None
    )
    await interaction.response.edit_message(embeds=to_embeds(screens[0]), view=view)
    if view is not None:
        view.attach(interaction)

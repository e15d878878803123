"""Admin commands: /fact add|source|edit|remove|undo|history and /company add|alias.

Discord shows these only to members with Manage Server (``default_permissions``), and every
call is checked again here (:func:`require_admin`), since a server may widen who sees them and a
client may send anything. Answers go only to the admin who asked; every change is audited under
the member and the server.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import discord
from discord import app_commands
from discord.ext import commands

from briefs.actions.facts import PARTY_ROLES, TERM_ROLES, FactForm
from briefs.model import ALIAS_KINDS, FACT_KINDS, STATUSES
from briefs.text import MAX_FIELD, MAX_LONG_FIELD, MAX_NAME

from .. import answers
from ..actors import actor_of
from ..autocomplete import company_choices
from ..options import ChangeId, FactId, SourceId
from ..permissions import require_admin
from ..views import FactModal, FactText, in_time, send_screens
from ..words import word

PERIOD_LIMIT = 20
AMOUNT_LIMIT = 60
ADMIN_PERMISSIONS = discord.Permissions(manage_guild=True)

# Offered as choices but typed as text: a value Discord did not offer reaches briefs' own check.
KIND_CHOICES = [app_commands.Choice(name=label, value=kind) for kind, label in FACT_KINDS.items()]
STATUS_CHOICES = [app_commands.Choice(name=status, value=status) for status in STATUSES]
ALIAS_KIND_CHOICES = [app_commands.Choice(name=kind, value=kind) for kind in ALIAS_KINDS]

Name = app_commands.Range[str, 1, MAX_NAME]
Amount = app_commands.Range[str, 1, AMOUNT_LIMIT]
Period = app_commands.Range[str, 1, PERIOD_LIMIT]
Reason = app_commands.Range[str, 1, MAX_FIELD]

FACT_OPTION_WORDS = {
    name: word(f"opt.{name}")
    for name in (
        "kind", "source", "subject", "counterparty", "licensor", "licensee", "asset", "sector",
        "territory", "stage", "royalty", "period", "status", *TERM_ROLES,
    )
}  # fmt: skip
COMPANY_OPTIONS = {role: company_choices for role in PARTY_ROLES}
LONG_TEXT = ("summary", "evidence", "note")


def with_text(form: FactForm, text: FactText) -> FactForm:
    """The command's options with the long text typed into the form."""
    return replace(form, **{name: getattr(text, name) for name in LONG_TEXT})


class Facts(commands.Cog):
    fact = app_commands.Group(
        name="fact",
        description=word("grp.fact"),
        guild_only=True,
        default_permissions=ADMIN_PERMISSIONS,
    )
    company = app_commands.Group(
        name="company",
        description=word("grp.company"),
        guild_only=True,
        default_permissions=ADMIN_PERMISSIONS,
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    async def _reply(self, interaction: discord.Interaction, fn, *args) -> None:
        """Run an admin answer in the worker thread and show it to the admin alone."""
        screens = await in_time(interaction, self.bot.db_call(fn, *args), ephemeral=True)
        await send_screens(interaction, screens, ephemeral=True)

    @fact.command(name="add", description=word("cmd.fact.add"))
    @app_commands.describe(separate=word("opt.separate"), **FACT_OPTION_WORDS)
    @app_commands.choices(kind=KIND_CHOICES, status=STATUS_CHOICES)
    @app_commands.autocomplete(**COMPANY_OPTIONS)
    async def fact_add(
        self,
        interaction: discord.Interaction,
        kind: str,
        source: SourceId,
        subject: Name | None = None,
        counterparty: Name | None = None,
        licensor: Name | None = None,
        licensee: Name | None = None,
        asset: Name | None = None,
        sector: Name | None = None,
        territory: Name | None = None,
        stage: Name | None = None,
        royalty: Name | None = None,
        period: Period | None = None,
        status: str | None = None,
        upfront: Amount | None = None,
        milestones: Amount | None = None,
        milestones_development: Amount | None = None,
        milestones_regulatory: Amount | None = None,
        milestones_commercial: Amount | None = None,
        total: Amount | None = None,
        equity: Amount | None = None,
        separate: bool = False,
    ) -> None:
        await require_admin(interaction)
        form = FactForm.of(locals())
        await self.bot.db_call(answers.check_new_fact, form, separate)
        add = partial(answers.add_fact, separate=separate)

        async def submit(modal_interaction: discord.Interaction, text: FactText) -> None:
            await require_admin(modal_interaction)
            actor = actor_of(modal_interaction)
            await self._reply(modal_interaction, add, actor, with_text(form, text))

        await interaction.response.send_modal(FactModal(word("modal.add"), submit))

    @fact.command(name="source", description=word("cmd.fact.source"))
    @app_commands.describe(
        fact=word("opt.fact_id"),
        source=word("opt.cite_source"),
        evidence=word("opt.cite_evidence"),
        reason=word("opt.reason"),
    )
    async def fact_source(
        self,
        interaction: discord.Interaction,
        fact: FactId,
        source: SourceId,
        evidence: app_commands.Range[str, 1, MAX_LONG_FIELD] | None = None,
        reason: Reason | None = None,
    ) -> None:
        await require_admin(interaction)
        actor = actor_of(interaction)
        await self._reply(interaction, answers.cite_fact, actor, fact, source, evidence, reason)

    @fact.command(name="edit", description=word("cmd.fact.edit"))
    @app_commands.describe(id=word("opt.fact_id"), reason=word("opt.reason"), **FACT_OPTION_WORDS)
    @app_commands.choices(kind=KIND_CHOICES, status=STATUS_CHOICES)
    @app_commands.autocomplete(**COMPANY_OPTIONS)
    async def fact_edit(
        self,
        interaction: discord.Interaction,
        id: FactId,
        kind: str | None = None,
        source: SourceId | None = None,
        subject: Name | None = None,
        counterparty: Name | None = None,
        licensor: Name | None = None,
        licensee: Name | None = None,
        asset: Name | None = None,
        sector: Name | None = None,
        territory: Name | None = None,
        stage: Name | None = None,
        royalty: Name | None = None,
        period: Period | None = None,
        status: str | None = None,
        upfront: Amount | None = None,
        milestones: Amount | None = None,
        milestones_development: Amount | None = None,
        milestones_regulatory: Amount | None = None,
        milestones_commercial: Amount | None = None,
        total: Amount | None = None,
        equity: Amount | None = None,
        reason: Reason | None = None,
    ) -> None:
        await require_admin(interaction)
        form = FactForm.of(locals())
        await self.bot.db_call(answers.check_fact, form)
        current = FactText(*await self.bot.db_call(answers.current_text, id))

        async def submit(modal_interaction: discord.Interaction, text: FactText) -> None:
            await require_admin(modal_interaction)
            actor = actor_of(modal_interaction)
            await self._reply(
                modal_interaction, answers.edit_fact, actor, id, with_text(form, text), reason
            )

        await interaction.response.send_modal(FactModal(word("modal.edit"), submit, current))

    @fact.command(name="remove", description=word("cmd.fact.remove"))
    @app_commands.describe(id=word("opt.fact_id"), reason=word("opt.reason"))
    async def fact_remove(
        self,
        interaction: discord.Interaction,
        id: FactId,
        reason: Reason | None = None,
    ) -> None:
        await require_admin(interaction)
        await self._reply(interaction, answers.remove_fact, actor_of(interaction), id, reason)

    @fact.command(name="undo", description=word("cmd.fact.undo"))
    @app_commands.describe(change=word("opt.audit_id"))
    async def fact_undo(
        self, interaction: discord.Interaction, change: ChangeId | None = None
    ) -> None:
        await require_admin(interaction)
        await self._reply(interaction, answers.undo, actor_of(interaction), change)

    @fact.command(name="history", description=word("cmd.fact.history"))
    @app_commands.describe(fact=word("opt.fact_id"), company=word("opt.company"))
    @app_commands.autocomplete(company=company_choices)
    async def fact_history(
        self,
        interaction: discord.Interaction,
        fact: FactId | None = None,
        company: Name | None = None,
    ) -> None:
        await require_admin(interaction)
        await self._reply(interaction, answers.history, fact, company)

    @company.command(name="add", description=word("cmd.company.add"))
    @app_commands.describe(
        name=word("opt.name"),
        country=word("opt.country"),
        sector=word("opt.sector"),
        description=word("opt.description"),
    )
    async def company_add(
        self,
        interaction: discord.Interaction,
        name: Name,
        country: Name | None = None,
        sector: Name | None = None,
        description: app_commands.Range[str, 1, MAX_FIELD] | None = None,
    ) -> None:
        await require_admin(interaction)
        actor = actor_of(interaction)
        await self._reply(
            interaction, answers.add_company, actor, name, country, sector, description
        )

    @company.command(name="alias", description=word("cmd.company.alias"))
    @app_commands.describe(
        company=word("opt.company"), alias=word("opt.alias"), kind=word("opt.alias_kind")
    )
    @app_commands.choices(kind=ALIAS_KIND_CHOICES)
    @app_commands.autocomplete(company=company_choices)
    async def company_alias(
        self,
        interaction: discord.Interaction,
        company: Name,
        alias: Name,
        kind: str | None = None,
    ) -> None:
        await require_admin(interaction)
        await self._reply(
            interaction, answers.add_alias, actor_of(interaction), company, alias, kind
        )


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(Facts(bot))

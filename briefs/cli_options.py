"""Click options that describe a fact, shared by ``fact add``, ``fact edit`` and ``review approve``.

Kinds and statuses are offered from the model's own lists, so help and checks cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from . import changes
from .actions.facts import TERM_ROLES
from .model import ALIAS_KINDS, FACT_KINDS, STATUSES
from .vocab import VOCAB


class Vocabulary(click.Choice):
    """One of the model's words; anything else is bad input (one line, exit 1), not a usage error."""

    def __init__(self, choices: Sequence[str], check: Callable[[str], None]) -> None:
        super().__init__(list(choices))
        self.check = check

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        self.check(str(value))
        return value


KINDS = Vocabulary(FACT_KINDS, changes.check_kind)
STATUS = Vocabulary(STATUSES, changes.check_status)
ALIAS_KIND = Vocabulary(ALIAS_KINDS, changes.check_alias_kind)


def fact_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options ``fact add``, ``fact edit`` and ``review approve`` share: a fact's fields."""
    options = [
        click.option("--kind", type=KINDS, help="What kind of fact."),
        click.option("--summary", help="What happened, in one sentence of your own."),
        click.option("--subject", help="The company the fact is about."),
        click.option("--counterparty", help="The other party."),
        click.option("--licensor", help="Who grants the licence."),
        click.option("--licensee", help="Who receives it."),
        click.option("--asset"),
        click.option("--sector", help=", ".join(e.label for e in VOCAB.sectors) + "."),
        click.option("--territory", help='e.g. "Worldwide excluding Greater China", "US".'),
        click.option("--stage", help=", ".join(e.label for e in VOCAB.stages) + "."),
        click.option("--royalty", help="Royalty terms as stated."),
        click.option("--period", help="2025, 2025-H1, 2025-Q3, 2025-07 or 2025-07-14."),
        click.option("--status", type=STATUS),
        click.option("--evidence", help="Where in the source this is said."),
        click.option("--note"),
        *[
            click.option(
                f"--{role.replace('_', '-')}", help='e.g. "$50m", "3.5bn yuan" or "undisclosed".'
            )
            for role in TERM_ROLES
        ],
    ]
    for option in reversed(options):
        command = option(command)
    return command


def source_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Where a fact comes from: a stored source, or a new one described by its title."""
    options = [
        click.option("--source", help="Source number or key."),
        click.option("--source-title", help="Create the source: its title."),
        click.option("--source-outlet", help="…its outlet."),
        click.option("--source-date", help="…its publication date (2025-07-14)."),
        click.option("--source-url", help="…its address."),
    ]
    for option in reversed(options):
        command = option(command)
    return command

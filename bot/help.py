"""The command list shown by ``/help`` on Discord and ``/help`` in the console.

Descriptions are the same words the slash commands are registered with (``bot/words.j2``).
"""

from __future__ import annotations

from .words import word

# (what to type, word key of its description), in the order people need them.
COMMANDS = (
    ("/deal COMPANY", "cmd.deal"),
    ("/search [words] [company] [kind] [sector] [since] [until] [flow]", "cmd.search"),
    ("/stats [period] [sector] [by] [flow]", "cmd.stats"),
    ("/top [by] [period] [sector] [kind]", "cmd.top"),
    ("/benchmark [sector] [stage] [flow] [period]", "cmd.benchmark"),
    ("/similar FACT", "cmd.similar"),
    ("/source ID", "cmd.source"),
    ("/sources", "cmd.sources"),
    ("/fact add|source|edit|remove|undo|history", "grp.fact"),
    ("/company add|alias", "grp.company"),
    ("/ingest [file]", "cmd.ingest"),
    ("/review", "cmd.review"),
    ("/digest channel|schedule|on|off|mention|preview|now|status|history", "grp.digest"),
    ("/export [format] [company] [kind] [sector] [since] [until] [flow]", "cmd.export"),
    ("/feed add|list|status|pause|resume|remove", "grp.feed"),
    ("/admin role", "cmd.admin.role"),
    ("/watch add|list|resume|remove", "grp.watch"),
    ("/help", "cmd.help"),
)


def command_list() -> list[tuple[str, str]]:
    return [(typed, word(key)) for typed, key in COMMANDS]

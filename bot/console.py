"""A text console on the knowledge base: type the Discord commands, read the answers as text.

``/deal junshi``, ``/search licence``, ``/stats period:2025``, ``/fact history fact:3``,
``/fact source fact:3 source:2``, ``/fact add ... separate:true``.
The first words after a command fill its first option; ``name:value`` fills any option the
Discord command has, and a value runs until the next ``name:``. A word that starts with
``name:`` always names an option, so an unknown name is refused rather than glued onto the
previous value; put a value in double quotes to keep such a word in it (``\"`` is a double
quote). Single quotes are ordinary letters, since names have them (Dr. Reddy's). A true/false
option takes what Discord's client does: true or false, and yes or no.
Parsing (:func:`parse_line`) is kept apart from answering (:func:`answer`) so each can be tested.

Commands that only make sense on Discord (/ingest, /review, /digest, /admin) are answered
with where their work is done on this machine.

The console runs as the shell user, so the admin commands work here with ``Actor.shell()``.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from briefs import render
from briefs.actions.facts import FORM_FIELDS, FactForm
from briefs.changes import Actor
from briefs.errors import BadInput, DealbriefError, NotFound
from briefs.feeds.store import SHELL
from briefs.store import is_initialised, open_db, utcnow
from briefs.text import MAX_LONG_FIELD, clean, parse_id
from briefs.watch.content import render_answer
from briefs.watch.watches import (
    Requester,
    WatchForm,
    add_watch,
    list_watches,
    parse_snowflake,
    remove_watch,
    resume_watch,
)

from . import analytics_answers, answers, feed_answers
from .errors import UNEXPECTED_TEMPLATE, new_error_id
from .help import command_list

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger("dealbrief.console")

FLAVOUR = "text"
COMMAND_STYLE = (
    answers.COMMAND_STYLE
)  # the console takes the slash commands, so its hints name them
QUIT = ("quit", "exit", "/quit", "/exit")
MAX_LINE = MAX_LONG_FIELD + 1000
_KEY = re.compile(r"^([a-z_]+):(.*)$", re.DOTALL)

# The options of /fact add and /fact edit, as the cog registers them: every field but the
# ways to create a source, which Discord takes as a source number.
# The summary comes first, so the words right after /fact add are the summary.
_FACT_FIELDS = ("summary", *(n for n in FORM_FIELDS if n != "summary" and "source_" not in n))
SEARCH_FILTERS = ("company", "kind", "sector", "since", "until", "flow")


@dataclass(frozen=True)
class Spec:
    """A console command's options in order (the first takes the leading words), which are
    numbers and which are true or false."""

    options: tuple[str, ...] = ()
    numbers: frozenset[str] = frozenset()
    flags: frozenset[str] = frozenset()


COMMANDS: dict[str, Spec] = {
    "deal": Spec(("company",)),
    "search": Spec(("query", *SEARCH_FILTERS)),
    "stats": Spec(("period", "sector", "by", "flow")),
    "top": Spec(("by", "period", "sector", "kind")),
    "benchmark": Spec(("sector", "stage", "flow", "period")),
    "similar": Spec(("fact",), frozenset({"fact"})),
    "source": Spec(("id",), frozenset({"id"})),
    "sources": Spec(),
    "help": Spec(),
    "fact add": Spec((*_FACT_FIELDS, "separate"), frozenset({"source"}), frozenset({"separate"})),
    "fact source": Spec(("fact", "source", "evidence", "reason"), frozenset({"fact", "source"})),
    "fact edit": Spec(("id", *_FACT_FIELDS, "reason"), frozenset({"id", "source"})),
    "fact remove": Spec(("id", "reason"), frozenset({"id"})),
    "fact undo": Spec(("change",), frozenset({"change"})),
    "fact history": Spec(("fact", "company"), frozenset({"fact"})),
    "company add": Spec(("name", "country", "sector", "description")),
    "company alias": Spec(("company", "alias", "kind")),
    "feed add": Spec(
        ("url", "review_channel", "interval", "backfill"),
        frozenset({"review_channel", "interval"}),
    ),
    "feed list": Spec(),
    "feed status": Spec(("feed",), frozenset({"feed"})),
    "feed pause": Spec(("feed",), frozenset({"feed"})),
    "feed resume": Spec(("feed",), frozenset({"feed"})),
    "feed remove": Spec(("feed",), frozenset({"feed"})),
    "watch add": Spec(("company", "sector", "keyword", "min_upfront", "channel")),
    "watch list": Spec(),
    "watch resume": Spec(("id",), frozenset({"id"})),
    "watch remove": Spec(("id",), frozenset({"id"})),
}
GROUPS = {name.split()[0] for name in COMMANDS if " " in name}


def console_watcher() -> Requester:
    """The console's user, an admin of this machine's knowledge base, for /watch."""
    return Requester(label=Actor.shell().name, is_admin=True)


# Slash commands the console does not take -> the command line that does their work (None:
# a Discord server's own setting).
DISCORD_ONLY: dict[str, str | None] = {
    "ingest": "dealbrief ingest FILE",
    "review": "dealbrief review",
    "digest": "dealbrief digest --since 7d",
    "admin": None,
    "export": "dealbrief export --format csv",
}
ELSEWHERE_TEMPLATE = "bot/console_elsewhere.j2"


@dataclass(frozen=True)
class Line:
    """A parsed console line: the command (``fact add``) and its options as typed."""

    command: str
    options: dict[str, Any] = field(default_factory=dict)


def parse_line(text: str) -> Line:
    """Parse one line; raise BadInput (with a code the error template knows) on anything wrong."""
    text = clean(text, field="command", max_len=MAX_LINE)
    words = split_words(text)
    name = words.pop(0).text.lstrip("/").casefold()
    if name in GROUPS and words and f"{name} {words[0].text.casefold()}" in COMMANDS:
        name = f"{name} {words.pop(0).text.casefold()}"
    spec = COMMANDS.get(name)
    if spec is None:
        raise BadInput(f"unknown command {name}", code="unknown_command", value=name[:40])
    return Line(name, _options(spec, words))


@dataclass(frozen=True)
class Word:
    """A word of the line; ``option`` is the name it starts with (``name:``) outside quotes."""

    text: str
    option: str | None = None


def split_words(text: str) -> list[Word]:
    """Words split at spaces; double quotes group words, an apostrophe is just a letter."""
    words: list[Word] = []
    chars: list[str] = []
    quoted_from: int | None = None  # where the first quoted character of this word sits
    in_quotes = started = False
    index = 0
    while index < len(text):
        char = text[index]
        if in_quotes and char == "\\" and text[index + 1 : index + 2] == '"':
            chars.append('"')
            index += 1
        elif char == '"':
            in_quotes, started = not in_quotes, True
            quoted_from = len(chars) if quoted_from is None else quoted_from
        elif char.isspace() and not in_quotes:
            if started or chars:
                words.append(_word("".join(chars), quoted_from))
            chars, quoted_from, started = [], None, False
        else:
            chars.append(char)
        index += 1
    if in_quotes:
        raise BadInput("unbalanced quotes", code="unbalanced_quotes")
    if started or chars:
        words.append(_word("".join(chars), quoted_from))
    return words


def _word(text: str, quoted_from: int | None) -> Word:
    """A word names an option when ``name:`` stands before any quoted character."""
    match = _KEY.match(text)
    if match and (quoted_from is None or quoted_from > len(match[1])):
        return Word(text, match[1])
    return Word(text)


def _options(spec: Spec, words: list[Word]) -> dict[str, Any]:
    """Fill options: leading words go to the first option; a value runs to the next ``name:``.

    An option the command does not have is refused by name, so nothing typed is lost.
    """
    values: dict[str, list[str]] = {}
    current = spec.options[0] if spec.options else None
    for word in words:
        if word.option is not None:
            if word.option not in spec.options:
                raise BadInput(
                    f"unknown option {word.option}", code="unknown_option", value=word.option[:40]
                )
            current = word.option
            rest = word.text[len(word.option) + 1 :]
            values[current] = [rest] if rest else []
            continue
        if current is None:
            raise BadInput(
                f"unexpected {word.text!r}", code="unexpected_words", value=word.text[:40]
            )
        values.setdefault(current, []).append(word.text)
    options: dict[str, Any] = {}
    for name, parts in values.items():
        value = " ".join(parts)
        if name in spec.numbers:
            options[name] = parse_id(value, name)
        elif name in spec.flags:
            options[name] = _flag(name, value)
        else:
            options[name] = value
    return options


_FLAG_WORDS = {"true": True, "yes": True, "false": False, "no": False}


def _flag(name: str, value: str) -> bool:
    """A true/false option as Discord's client takes it: true or false, yes or no."""
    flag = _FLAG_WORDS.get(value.strip().casefold())
    if flag is None:
        raise BadInput(f"{name} is true or false", code="bad_flag", field=name, value=value[:40])
    return flag


# --- Answering --------------------------------------------------------------------------------


Handler = Callable[["Database", dict[str, Any]], answers.Screens]

_HANDLERS: dict[str, Handler] = {
    "deal": lambda db, o: answers.deal(db, o.get("company", ""), FLAVOUR),
    "search": lambda db, o: answers.search(
        db, o.get("query", ""), FLAVOUR, **{k: o.get(k) for k in SEARCH_FILTERS}
    ),
    "stats": lambda db, o: answers.stats_pages(
        answers.stats(db, o.get("period"), o.get("sector"), o.get("by") or "year", o.get("flow")),
        FLAVOUR,
    ),
    "top": lambda db, o: analytics_answers.top(
        db, o.get("by"), o.get("period"), o.get("sector"), o.get("kind"), FLAVOUR
    ),
    "benchmark": lambda db, o: analytics_answers.terms_pages(
        analytics_answers.terms(
            db, o.get("sector"), o.get("stage"), o.get("flow"), o.get("period")
        ),
        FLAVOUR,
    ),
    "similar": lambda db, o: analytics_answers.comparables(db, _required(o, "fact"), FLAVOUR),
    "source": lambda db, o: answers.source(db, _required(o, "id"), FLAVOUR),
    "sources": lambda db, o: answers.sources(db, FLAVOUR),
    "help": lambda db, o: answers.help_screens(command_list(), FLAVOUR),
    "fact add": lambda db, o: answers.add_fact(
        db, Actor.shell(), FactForm.of({"summary": "", **o}), FLAVOUR, o.get("separate", False)
    ),
    "fact source": lambda db, o: answers.cite_fact(
        db,
        Actor.shell(),
        _required(o, "fact"),
        _required(o, "source"),
        o.get("evidence"),
        o.get("reason"),
        FLAVOUR,
    ),
    "fact edit": lambda db, o: answers.edit_fact(
        db, Actor.shell(), _required(o, "id"), FactForm.of(o), o.get("reason"), FLAVOUR
    ),
    "fact remove": lambda db, o: answers.remove_fact(
        db, Actor.shell(), _required(o, "id"), o.get("reason"), FLAVOUR
    ),
    "fact undo": lambda db, o: answers.undo(db, Actor.shell(), o.get("change"), FLAVOUR),
    "fact history": lambda db, o: answers.history(db, o.get("fact"), o.get("company"), FLAVOUR),
    "company add": lambda db, o: answers.add_company(
        db,
        Actor.shell(),
        o.get("name", ""),
        o.get("country"),
        o.get("sector"),
        o.get("description"),
        FLAVOUR,
    ),
    "watch add": lambda db, o: _watch_add(db, o),
    "watch list": lambda db, o: [
        render_answer("list", FLAVOUR, watches=list_watches(db, console_watcher()))
    ],
    "watch resume": lambda db, o: [
        render_answer(
            "resumed", FLAVOUR, watch=resume_watch(db, console_watcher(), _required(o, "id"))
        )
    ],
    "watch remove": lambda db, o: [
        render_answer(
            "removed", FLAVOUR, watch=remove_watch(db, console_watcher(), _required(o, "id"))
        )
    ],
    "company alias": lambda db, o: answers.add_alias(
        db,
        Actor.shell(),
        o.get("company", ""),
        o.get("alias", ""),
        o.get("kind"),
        FLAVOUR,
    ),
    # The console's feeds are the command line's (no Discord server).
    "feed add": lambda db, o: [
        feed_answers.add(
            db,
            SHELL,
            Actor.shell(),
            _required(o, "url"),
            o.get("interval"),
            o.get("backfill"),
            o.get("review_channel"),
            None,
            utcnow(),
            FLAVOUR,
        )
    ],
    "feed list": lambda db, o: [feed_answers.listing(db, SHELL, FLAVOUR)],
    "feed status": lambda db, o: [feed_answers.status(db, SHELL, o.get("feed"), FLAVOUR)],
    "feed pause": lambda db, o: [
        feed_answers.pause(db, SHELL, _required(o, "feed"), True, utcnow(), FLAVOUR)
    ],
    "feed resume": lambda db, o: [
        feed_answers.pause(db, SHELL, _required(o, "feed"), False, utcnow(), FLAVOUR)
    ],
    "feed remove": lambda db, o: [feed_answers.remove(db, SHELL, _required(o, "feed"), FLAVOUR)],
}


def _watch_add(db: Database, options: dict[str, Any]) -> answers.Screens:
    """The console is this machine's admin: its watches go to a channel named by id."""
    channel = options.get("channel")
    form = WatchForm(
        *(options.get(name) for name in ("company", "sector", "keyword", "min_upfront"))
    )
    channel_id = parse_snowflake(channel, "channel") if channel else None
    watch = add_watch(db, console_watcher(), form, channel_id=channel_id)
    return [render_answer("added", FLAVOUR, watch=watch)]


def _required(options: dict[str, Any], name: str) -> Any:
    if options.get(name) in (None, ""):
        raise BadInput(f"{name} is required", code="empty", field=name)
    return options[name]


def answer(db: Database, text: str) -> str:
    """The console's answer to one line, as text; errors become the same polite messages."""
    first = text.split(maxsplit=1)[0].lstrip("/").casefold() if text.strip() else ""
    if first in DISCORD_ONLY:
        pages = render.render_template(
            ELSEWHERE_TEMPLATE, FLAVOUR, command=first, instead=DISCORD_ONLY[first]
        )
        return render.to_text(pages)
    try:
        line = parse_line(text)
        screens = _HANDLERS[line.command](db, line.options)
    except NotFound as err:
        if err.code == "unknown_company":
            query = err.params.get("value") or err.params.get("query") or ""
            pages = render.render_did_you_mean(
                query, err.suggestions, flavour=FLAVOUR, commands=COMMAND_STYLE
            )
        else:
            pages = render.render_error(err, flavour=FLAVOUR, commands=COMMAND_STYLE)
        return render.to_text(pages)
    except DealbriefError as err:
        return render.to_text(render.render_error(err, flavour=FLAVOUR, commands=COMMAND_STYLE))
    return render.to_text([page for screen in screens for page in screen])


def prepare(db: Database) -> None:
    """A fresh database gets the curated facts first, so ``/deal junshi`` answers at once."""
    if not is_initialised(db):
        from briefs.curated import load_curated

        load_curated(db)


def run_console(
    db_path: str | os.PathLike[str], input: IO[str] = sys.stdin, output: IO[str] = sys.stdout
) -> int:
    """Read lines until ``quit`` or end of input, answering each; returns an exit status."""
    db = open_db(db_path)
    try:
        prepare(db)
        prompt = prompt_stream(input, output)
        while True:
            if prompt is not None:
                prompt.write("> ")
                prompt.flush()
            text = input.readline()
            if not text or text.strip().casefold() in QUIT:
                return 0
            if text.strip():
                output.write(answer_or_apologise(db, text.rstrip("\n")))
                output.write("\n")
                output.flush()
    finally:
        db.close()


def prompt_stream(input: IO[str], output: IO[str]) -> IO[str] | None:
    """Where the "> " prompt goes: nowhere unless a person types (stdin is a terminal); to
    the terminal on stderr when the answers go to a file, so the file holds answers only."""
    if not input.isatty():
        return None
    return output if output.isatty() else sys.stderr


def answer_or_apologise(db: Database, text: str) -> str:
    """``answer``; a bug is logged with an error id and the console carries on."""
    try:
        return answer(db, text)
    except Exception:
        error_id = new_error_id()
        log.exception("error id %s: the console line %r failed", error_id, text[:80])
        return render.to_text(
            render.render_template(UNEXPECTED_TEMPLATE, FLAVOUR, error_id=error_id)
        )

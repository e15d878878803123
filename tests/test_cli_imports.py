"""The command line stays quick to start: a command imports only what it needs.

Each test runs the real program in a fresh interpreter and looks at the modules it loaded;
how long it took is for ``bench/bench_cli_startup.py``, never for a test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from briefs.changes import Actor
from briefs.cli import COMMANDS, cli
from briefs.curated import load_curated
from briefs.lazy_group import LazyGroup

# What a lookup never needs: the bot's client and its HTTP, charts (and numpy), the HTML reader,
# the terminal drawing library, the scheduler, the write side's sqlite-utils, fuzzy matching
# (an exact name needs none), and the write side of the domain.
HEAVY = {
    *("discord", "aiohttp", "matplotlib", "numpy", "trafilatura", "rich", "apscheduler", "bot"),
    *("sqlite_utils", "rapidfuzz"),
    *("briefs.changes", "briefs.actions", "briefs.curated"),
}

RUN_AND_LIST_MODULES = """
import json, sys
from dealbrief.__main__ import main
try:
    main()
except SystemExit as done:
    status = done.code
print(json.dumps({"status": status, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def run_listing_modules(*args: str) -> tuple[int, str, set[str]]:
    """Run ``dealbrief ARGS`` in a fresh interpreter: its status, output and loaded modules."""
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report["status"], done.stdout, set(report["modules"])


@pytest.fixture
def curated_db(db, db_path: Path) -> Path:
    load_curated(db, actor=Actor.curated())
    return db_path


def test_a_lookup_imports_neither_the_bot_nor_charts_nor_the_html_reader(curated_db):
    status, output, modules = run_listing_modules("--db", str(curated_db), "deal", "junshi")
    assert status in (0, None)
    assert "Junshi" in output
    assert {name for name in modules if name in HEAVY or name.split(".")[0] in HEAVY} == set()


def test_a_lookup_imports_no_module_of_another_command(curated_db):
    """A command registered by importing its module (instead of a line in COMMANDS) would
    load that module for every command; this names it."""
    _status, _output, modules = run_listing_modules("--db", str(curated_db), "deal", "junshi")
    others = {target.partition(":")[0] for target in COMMANDS.values()}
    assert others & modules == set()


def test_running_a_lazy_command_imports_it():
    status, output, modules = run_listing_modules("bot", "--help")
    assert status == 0
    assert "--shard-count" in output
    assert "discord" in modules


def test_help_lists_every_command_with_its_summary():
    status, output, _modules = run_listing_modules("--help")
    assert status == 0
    listed = {line.split()[0] for line in output.split("Commands:")[1].splitlines() if line}
    assert listed == set(cli.list_commands(click.Context(cli)))
    assert set(COMMANDS) <= listed


def test_python_dash_m_runs_the_same_program(curated_db):
    done = subprocess.run(
        [sys.executable, "-m", "dealbrief", "--db", str(curated_db), "deal", "junshi"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.startswith("Junshi")


def test_a_lazy_command_registered_with_a_bad_target_is_refused():
    group = LazyGroup(name="g")
    with pytest.raises(ValueError, match="module:attribute"):
        group.add_lazy_command("x", "briefs.cli")
    group.add_lazy_command("x", "briefs.cli:COMMANDS")
    with pytest.raises(TypeError, match="not a click command"):
        group.get_command(click.Context(group), "x")


def test_every_registered_command_imports_and_is_a_command():
    ctx = click.Context(cli)
    for name in COMMANDS:
        assert isinstance(cli.get_command(ctx, name), click.Command), name

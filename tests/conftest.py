"""Shared fixtures: a real SQLite database in a temporary directory, fresh per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlite_utils import Database

from briefs.store import open_db

# Property tests judge behaviour, not speed: on a busy machine (CI shares two cores) a slow
# example must not fail them, so no per-example deadline and no too-slow health check.
settings.register_profile("dealbrief", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("dealbrief")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "dealbrief.db"


@pytest.fixture
def db(db_path: Path) -> Database:
    """An empty, migrated database."""
    database = open_db(db_path)
    yield database
    database.close()


# The real bot against a loopback Discord: standin, start_bot, running_bot, gate (tests/bot_fixtures.py).
from bot_fixtures import gate, running_bot, standin, start_bot  # noqa: E402, F401

# A loopback OpenAI-compatible endpoint for model extraction: openai_standin (tests/openai_standin.py).
from openai_standin import openai_standin  # noqa: E402, F401

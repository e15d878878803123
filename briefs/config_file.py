"""``dealbrief.toml``: one file, a table per part of the project (``[bot]``, ``[ingest]``), each
read by its own settings loader through :func:`read_table`."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import BadInput

CONFIG_FILE = Path("dealbrief.toml")


def read_table(path: Path, table: str, known: Iterable[str]) -> dict[str, Any]:
    """The ``[table]`` of the file at ``path``; a key the table does not have is refused by name,
    so a misspelt setting is not silently ignored."""
    try:
        with path.open("rb") as handle:
            values = tomllib.load(handle).get(table, {})
    except tomllib.TOMLDecodeError as err:
        raise BadInput(str(err), code="bad_config_file", value=str(path), detail=str(err)) from None
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise BadInput(
            f"unknown settings {unknown} in {path}",
            code="unknown_setting",
            value=unknown[0],
            table=table,
        )
    return values

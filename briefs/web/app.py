"""The Datasette application over the knowledge base: read-only, never immutable.

Imported only by ``dealbrief web``, so the other commands never load Datasette. The file is
opened with ``mode=ro``: the bot and the command line keep writing, and each request reads
what they have committed. ``immutable`` would let SQLite skip locking and read stale pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import uvicorn
import yaml
from datasette.app import Datasette
from datasette.database import Database
from datasette.plugins import pm

from . import plugin

PROJECT = Path(__file__).resolve().parent.parent.parent
METADATA_FILE = PROJECT / "data" / "web" / "metadata.yml"
# Templates that replace Datasette's own where its pages would offer a link to a hidden table.
TEMPLATE_DIR = PROJECT / "templates" / "web" / "datasette"
DATABASE_NAME = "dealbrief"

SETTINGS = {
    "allow_download": False,
    "allow_csv_stream": True,
    "default_page_size": 50,
    # The canned queries and facets read every deal; a large knowledge base needs more than
    # Datasette's defaults. Suggested facets would try every column on every page.
    "sql_time_limit_ms": 5000,
    "facet_time_limit_ms": 2000,
    "suggest_facets": False,
}


def load_metadata(user: str | None = None, password_hash: str | None = None) -> dict[str, Any]:
    """The metadata of ``data/web/metadata.yml``; with a password, every page needs a login."""
    metadata = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    if password_hash:
        metadata["allow"] = {"id": user}
        metadata["plugins"] = {plugin.PASSWORDS_PLUGIN: {f"{user}_password_hash": password_hash}}
    return metadata


def create_app(
    path: Path, *, user: str | None = None, password_hash: str | None = None
) -> Datasette:
    """Datasette serving ``path`` read-only as ``/dealbrief``, with the project's plugin."""
    if not pm.is_registered(plugin):
        pm.register(plugin, name="dealbrief")
    datasette = Datasette(
        metadata=load_metadata(user, password_hash),
        settings=SETTINGS,
        template_dir=str(TEMPLATE_DIR),
    )
    datasette.add_database(
        Database(datasette, path=str(path.absolute()), is_mutable=True), name=DATABASE_NAME
    )
    return datasette


def serve(datasette: Datasette, host: str, port: int) -> None:
    """Serve until interrupted."""
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")

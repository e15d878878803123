"""The project's Datasette plugin: which tables may be opened, and links between them.

Tables are shown by invitation: only those configured in ``data/web/metadata.yml`` can be
opened, so a table added later (holding Discord ids, say) stays hidden until someone decides
to show it. Arbitrary SQL and downloading the file are refused, since either would read
every table.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from ..money import format_usd

REFUSED_ACTIONS = ("execute-sql", "view-database-download")
# A column naming a company, and the column holding that company's id, in deals and queries.
COMPANY_COLUMNS = {"licensor": "licensor_id", "licensee": "licensee_id"}
PASSWORDS_PLUGIN = "datasette-auth-passwords"
SOURCES_VIEW = "web_sources"
DEALS_VIEW = "web_deals"


@hookimpl
def permission_allowed(datasette: Any, actor: Any, action: str, resource: Any) -> bool | None:
    if action in REFUSED_ACTIONS:
        return False
    if action == "view-table":
        database, table = resource
        shown = (datasette.metadata("tables", database=database) or {}).keys()
        return None if table in shown else False
    return None


@hookimpl
def extra_template_vars(database: str | None, datasette: Any) -> dict[str, Any]:
    """The tables a page may link to (``templates/web/datasette/row.html`` keeps to them)."""
    shown = datasette.metadata("tables", database=database) if database else None
    return {"shown_tables": sorted(shown or {})}


@hookimpl
def forbidden(datasette: Any, request: Any, message: str) -> Response | None:
    """With a password set, a visitor who has not logged in is sent to the login page."""
    if request.actor is None and datasette.plugin_config(PASSWORDS_PLUGIN):
        return Response.redirect(datasette.urls.path("/-/login"))
    return None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette):
    """Links from a deal to its fact, parties and source; dollar amounts as ``$1.75B``."""
    urls = datasette.urls
    keys = row.keys()
    if column == "source_id" and value is not None:
        # To the sources view (the sources table itself is hidden), by its title where known.
        source_id, label = (
            (value["value"], value["label"]) if isinstance(value, dict) else (value, value)
        )
        return _link(urls.table(database, SOURCES_VIEW) + f"?id={source_id}", label)
    if column == "source" and "source_id" in keys and row["source_id"] is not None:
        return _link(urls.table(database, SOURCES_VIEW) + f"?id={row['source_id']}", value)
    if column in COMPANY_COLUMNS and COMPANY_COLUMNS[column] in keys and value is not None:
        company = row[COMPANY_COLUMNS[column]]
        return _link(urls.row(database, "companies", str(company)), value)
    if table == DEALS_VIEW and column == "id":
        return _link(urls.row(database, "facts", str(value)), value)
    if column.endswith("_usd") and isinstance(value, int | float):
        return format_usd(value)
    return None


def _link(href: str, text: Any) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, escape(str(text)))

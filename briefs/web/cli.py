"""``dealbrief web``: the knowledge base in a browser, read-only, through Datasette.

Registered on the ``dealbrief`` group by ``briefs.cli``. Datasette is imported only when the
command runs, so the other commands start without it.
"""

from __future__ import annotations

import re
import socket

import click

from ..errors import BadInput
from ..render import render_template, to_text

SERVING_TEMPLATE = "web/serving.j2"
# What ``datasette hash-password`` prints: algorithm, iterations, salt and hash.
PASSWORD_HASH = re.compile(r"^pbkdf2_sha256\$\d+\$[^$]+\$[A-Za-z0-9+/=]+$")


def check_password_hash(password_hash: str) -> str:
    """A hash the login can check; a password typed in place of its hash is refused."""
    password_hash = password_hash.strip()
    if not PASSWORD_HASH.match(password_hash):
        raise BadInput("not a password hash", code="bad_password_hash", field="--password-hash")
    return password_hash


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another program holds in one line, before Datasette starts."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            raise BadInput(
                str(err), code="port_unavailable", value=f"{host}:{port}", reason=err.strerror
            ) from None


@click.command("web")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--password-hash",
    envvar="DEALBRIEF_WEB_PASSWORD_HASH",
    default=None,
    help="Require a login: a hash from `datasette hash-password` (or $DEALBRIEF_WEB_PASSWORD_HASH).",
)
@click.option("--user", default="team", show_default=True, help="The login name with a password.")
@click.pass_context
def web_command(
    ctx: click.Context, port: int, host: str, password_hash: str | None, user: str
) -> None:
    """Browse the deals in a web browser (read-only)."""
    from ..cli import ready_db  # here: briefs.cli registers this command as it loads

    password_hash = check_password_hash(password_hash) if password_hash else None
    check_port_free(host, port)
    ready_db(ctx).close()  # refuses an empty database; upgrades one that can be written
    from .app import DATABASE_NAME, create_app, serve

    path = ctx.find_root().obj["db_path"]
    datasette = create_app(path, user=user, password_hash=password_hash)
    url = f"http://{host}:{port}/{DATABASE_NAME}/web_deals"
    shown_user = user if password_hash else None
    click.echo(
        to_text(
            render_template(SERVING_TEMPLATE, "text", db=path, url=url, user=shown_user)
        ).strip()
    )
    serve(datasette, host, port)

"""Errors the domain raises for people to read.

Each error carries a stable ``code`` and ``params`` so that every interface (CLI, Discord, console)
renders the same words from ``templates/errors.j2``; ``str(err)`` is a plain fallback for logs.
"""

from __future__ import annotations

from typing import Any


class DealbriefError(Exception):
    """Base of every error a user may see; never carries a traceback to the user."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.params = params


class BadInput(DealbriefError):
    """What the user typed cannot be used: empty, too long, malformed date or amount."""

    code = "bad_input"


class NotFound(DealbriefError):
    """Nothing matches; ``suggestions`` holds "did you mean" candidates, best first."""

    code = "not_found"

    def __init__(
        self,
        message: str,
        *,
        suggestions: list[Any] | None = None,
        code: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message, code=code, **params)
        self.suggestions = suggestions or []


class Conflict(DealbriefError):
    """The change would clash with what is stored (duplicate alias, nothing to undo...)."""

    code = "conflict"


class Forbidden(DealbriefError):
    """The caller lacks the right to do this."""

    code = "forbidden"

"""The bot's log as one JSON object per line (``--log-format json``), for log collectors.

Each line has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``; ``error_id``
when the line reports an unexpected error (the id the user was told), and ``exception`` with
the traceback when there is one. The text format of discord.py stays the default.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        error_id = getattr(record, "error_id", None)
        if error_id is not None:
            entry["error_id"] = error_id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_formatter(log_format: str) -> logging.Formatter | None:
    """The formatter for a ``log_format`` setting; None keeps discord.py's text format."""
    return JsonFormatter() if log_format == "json" else None


LOG_FORMATS_HELP = "text (the default) or json: one JSON object per line."

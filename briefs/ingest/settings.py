"""Which extractor ingest uses and, for the model, where it is: one loader for the CLI and the bot.

Flags win over the environment, which wins over the ``[ingest]`` table of ``dealbrief.toml``,
as for the bot's own settings. The API key is read from the environment only, never a file.
Rules are the default: no document leaves the machine unless an endpoint is configured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..config_file import CONFIG_FILE, read_table
from ..errors import BadInput

EXTRACTORS = ("rules", "model")
# A local model reading a long article takes a while; a dead endpoint should not take longer.
DEFAULT_TIMEOUT = 60.0
MAX_TIMEOUT = 3600.0
KEY_VARIABLES = ("DEALBRIEF_MODEL_API_KEY", "OPENAI_API_KEY")  # first one set wins
ENVIRONMENT = {
    "DEALBRIEF_EXTRACTOR": "extractor",
    "DEALBRIEF_MODEL_BASE_URL": "base_url",
    "DEALBRIEF_MODEL": "model",
    "DEALBRIEF_MODEL_TIMEOUT": "timeout",
}


@dataclass(frozen=True)
class ExtractorSettings:
    """How documents are read for proposals; picklable, so a worker process can receive it."""

    extractor: str = "rules"
    base_url: str | None = None
    model: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    api_key: str | None = field(default=None, repr=False)

    @property
    def uses_model(self) -> bool:
        return self.extractor == "model"


FILE_KEYS = frozenset(f.name for f in fields(ExtractorSettings)) - {"api_key"}


def load_extractor_settings(
    overrides: Mapping[str, Any] | None = None,
    *,
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> ExtractorSettings:
    """Merge file < environment < ``overrides`` (flags; None means "not given") and check that
    a model extractor knows where to go; raise BadInput with one clear line otherwise."""
    environ = os.environ if environ is None else environ
    path = Path(config_file) if config_file else CONFIG_FILE
    merged = read_table(path, "ingest", FILE_KEYS) if path.exists() else {}
    merged.update({name: environ[var] for var, name in ENVIRONMENT.items() if environ.get(var)})
    merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
    key = next((environ[var] for var in KEY_VARIABLES if environ.get(var)), None)
    settings = ExtractorSettings(
        extractor=_extractor(merged.get("extractor", "rules")),
        base_url=_text(merged.get("base_url")),
        model=_text(merged.get("model")),
        timeout=_timeout(merged.get("timeout", DEFAULT_TIMEOUT)),
        api_key=key,
    )
    if settings.uses_model:
        for needed in ("base_url", "model"):
            if getattr(settings, needed) is None:
                raise BadInput(
                    f"the model extractor needs a {needed}",
                    code="model_not_configured",
                    field=needed,
                )
    return settings


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _extractor(value: Any) -> str:
    name = str(value).strip().lower()
    if name not in EXTRACTORS:
        raise BadInput(
            f"unknown extractor {value}", code="bad_setting", field="extractor", value=str(value)
        )
    return name


def _timeout(value: Any) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = 0.0
    if not 0 < seconds <= MAX_TIMEOUT:
        raise BadInput(
            f"bad timeout {value}", code="bad_setting", field="timeout", value=str(value)
        )
    return seconds

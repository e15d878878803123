"""Ask an OpenAI-compatible endpoint which deals a document states, as JSON of a fixed shape.

Only the shape is checked here; whether the answer is true is :mod:`.grounding`'s business. Any
way the call can fail (timeout, 429, 5xx, an unreachable endpoint, invalid JSON, an answer of
the wrong shape) raises :class:`ModelUnavailable` with a reason code, and ingest falls back to
the rules. Retries are kept low so a dead endpoint costs one timeout, not minutes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..render import environment
from ..vocab import VOCAB
from .settings import ExtractorSettings

if TYPE_CHECKING:
    import openai

RETRIES = 1
# Local servers (Ollama, llama.cpp, vLLM) ask for no key, but the client refuses to start without
# one; this placeholder is sent to them instead.
NO_KEY = "not-needed"
STATUSES = ("signed", "rumoured", "denied", "terminated", "acquisition")
TEXT_FIELDS = ("licensor", "licensee", "asset", "territory", "stage", "royalty")
AMOUNT_FIELDS = ("upfront", "milestones", "total", "equity")
FIELDS = TEXT_FIELDS + AMOUNT_FIELDS
REASONS = (
    "timeout",
    "rate_limited",
    "server_error",
    "unreachable",
    "refused",
    "invalid_json",
    "bad_schema",
)


class ModelUnavailable(Exception):
    """The model gave no usable answer; ``reason`` is one of REASONS."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class ModelDeal:
    """One deal as the model reads it: every value unchecked, with the quote it gives for each."""

    kind: str
    status: str
    values: dict[str, str | None]
    evidence: dict[str, str | None]

    def value(self, name: str) -> str | None:
        return self.values.get(name)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def answer_schema() -> dict[str, Any]:
    """The JSON schema every answer must follow (strict: every key present, no others)."""
    text = {"type": "string"}
    evidence = {
        "type": "object",
        "properties": {name: _nullable(text) for name in FIELDS},
        "required": list(FIELDS),
        "additionalProperties": False,
    }
    deal = {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": list(VOCAB.deal_kinds)},
            **{name: _nullable(text) for name in FIELDS},
            "status": {"type": "string", "enum": list(STATUSES)},
            "evidence": evidence,
        },
        "required": ["kind", *FIELDS, "status", "evidence"],
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "properties": {"deals": {"type": "array", "items": deal}},
        "required": ["deals"],
        "additionalProperties": False,
    }


def system_prompt() -> str:
    return (
        environment("text")
        .get_template("model_prompt.j2")
        .render(kinds=VOCAB.deal_kinds, stages=[e.label for e in VOCAB.stages])
        .strip()
    )


def ask_model(text: str, settings: ExtractorSettings) -> list[ModelDeal]:
    """The deals the model reads in ``text``; raise ModelUnavailable if it gives no usable answer."""
    import openai  # here, not at the top: it takes longer to import than the CLI takes to answer

    client = openai.OpenAI(
        base_url=settings.base_url,
        api_key=settings.api_key or NO_KEY,
        timeout=settings.timeout,
        max_retries=RETRIES,
    )
    try:
        content = _complete(client, settings.model or "", text)
    except openai.APITimeoutError as err:
        raise ModelUnavailable("timeout", str(err)) from None
    except openai.RateLimitError as err:
        raise ModelUnavailable("rate_limited", str(err)) from None
    except openai.InternalServerError as err:
        raise ModelUnavailable("server_error", str(err)) from None
    except openai.APIConnectionError as err:
        raise ModelUnavailable("unreachable", str(err)) from None
    except openai.APIStatusError as err:
        raise ModelUnavailable("refused", f"HTTP {err.status_code}") from None
    finally:
        client.close()
    try:
        answer = json.loads(content or "")
    except json.JSONDecodeError as err:
        raise ModelUnavailable("invalid_json", str(err)) from None
    return parse_answer(answer)


def _complete(client: openai.OpenAI, model: str, text: str) -> str | None:
    """One chat completion asking for the schema; a server that refuses structured output
    (400) is asked once more for plain JSON, which the same checks then read."""
    import openai

    messages = [
        {"role": "system", "content": system_prompt()},
        {"role": "user", "content": f"<document>\n{text}\n</document>"},
    ]
    schema_format = {
        "type": "json_schema",
        "json_schema": {"name": "deals", "strict": True, "schema": answer_schema()},
    }
    try:
        response = client.chat.completions.create(
            model=model, messages=messages, response_format=schema_format, temperature=0
        )
    except openai.BadRequestError:
        response = client.chat.completions.create(
            model=model, messages=messages, response_format={"type": "json_object"}, temperature=0
        )
    if not response.choices:
        raise ModelUnavailable("bad_schema", "no choices")
    return response.choices[0].message.content


def parse_answer(answer: Any) -> list[ModelDeal]:
    """The deals of an answer that follows :func:`answer_schema`; raise ModelUnavailable
    ("bad_schema") for anything else, since a model that broke the shape may have broken more."""
    if not isinstance(answer, dict) or not isinstance(answer.get("deals"), list):
        raise ModelUnavailable("bad_schema", "no list of deals")
    return [_deal(item) for item in answer["deals"]]


def _deal(item: Any) -> ModelDeal:
    if not isinstance(item, dict):
        raise ModelUnavailable("bad_schema", "a deal is not an object")
    kind, status, evidence = item.get("kind"), item.get("status"), item.get("evidence") or {}
    if kind not in VOCAB.deal_kinds or status not in STATUSES or not isinstance(evidence, dict):
        raise ModelUnavailable("bad_schema", f"kind {kind!r}, status {status!r}")
    values = {name: item.get(name) for name in FIELDS}
    quotes = {name: evidence.get(name) for name in FIELDS}
    for value in (*values.values(), *quotes.values()):
        if value is not None and not isinstance(value, str):
            raise ModelUnavailable("bad_schema", f"{value!r} is not text")
    return ModelDeal(kind, status, values, quotes)

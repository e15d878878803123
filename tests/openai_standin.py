"""A loopback server that speaks OpenAI's chat-completions API, for the real ``openai`` client.

It listens on 127.0.0.1 in a thread, records every request, and answers as the test tells it:
a list of deals (as a model would), raw text as the message content, an HTTP error, a 400 to a
structured-output request (as servers without JSON-schema support do), or a reply held back past
the client's timeout. ``answer`` may also be a function of the request, for answers that depend
on the document sent (a model that obeys an injected instruction).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

FIELDS = (
    "licensor",
    "licensee",
    "asset",
    "territory",
    "stage",
    "royalty",
    "upfront",
    "milestones",
    "total",
    "equity",
)
HOLD_SECONDS = 30  # how long a "slow" reply is held back; shutdown releases it at once


def deal(kind: str = "licence", status: str = "signed", **values: Any) -> dict[str, Any]:
    """A deal as the schema asks for it: every field present, ``evidence`` for those given
    (``evidence={"licensor": "..."}``), the others null."""
    evidence = values.pop("evidence", {})
    item: dict[str, Any] = {"kind": kind, "status": status}
    item.update({name: values.get(name) for name in FIELDS})
    item["evidence"] = {name: evidence.get(name) for name in FIELDS}
    return item


@dataclass
class Reply:
    status: int = 200
    content: str | None = None  # the assistant message; None with a non-200 status
    slow: bool = False


Answer = Reply | Callable[[dict[str, Any]], Reply]


def deals_reply(deals: list[dict[str, Any]]) -> Reply:
    return Reply(content=json.dumps({"deals": deals}))


def document_of(request: dict[str, Any]) -> str:
    """The document a request carries (the user message)."""
    return next(m["content"] for m in request["messages"] if m["role"] == "user")


class OpenAIStandIn:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.keys: list[str] = []  # the bearer token of each request
        self.answer: Answer = deals_reply([])
        self.refuse_schema = False  # answer 400 to response_format json_schema
        self.released = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()

    def reply_to(self, request: dict[str, Any]) -> Reply:
        self.requests.append(request)
        wanted = (request.get("response_format") or {}).get("type")
        if self.refuse_schema and wanted == "json_schema":
            return Reply(400, json.dumps({"error": {"message": "response_format not supported"}}))
        return self.answer(request) if callable(self.answer) else self.answer

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep the test output quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                standin.keys.append(self.headers.get("authorization", "").removeprefix("Bearer "))
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._send(404, {"error": {"message": "not found"}})
                    return
                reply = standin.reply_to(request)
                if reply.slow:
                    standin.released.wait(HOLD_SECONDS)
                    return
                if reply.status != 200:
                    self._send(reply.status, {"error": {"message": reply.content or "error"}})
                    return
                self._send(200, completion(request, reply.content))

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("retry-after-ms", "10")
                self.end_headers()
                self.wfile.write(data)

        return Handler


def completion(request: dict[str, Any], content: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", ""),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


@contextmanager
def running_standin() -> Iterator[OpenAIStandIn]:
    standin = OpenAIStandIn()
    standin.start()
    try:
        yield standin
    finally:
        standin.stop()


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def openai_standin() -> Iterator[OpenAIStandIn]:
    """A running loopback chat-completions server (``base_url``, ``answer``, ``requests``)."""
    with running_standin() as standin:
        yield standin

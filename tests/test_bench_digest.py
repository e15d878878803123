"""The digest benchmark's stand-in sender keeps the shape of the scheduler's Sender."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

from bot.schedule import Sender

BENCH = Path(__file__).resolve().parent.parent / "bench" / "bench_digest.py"


def bench_module():
    spec = importlib.util.spec_from_file_location("bench_digest", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_sender_takes_what_the_scheduler_passes():
    expected = inspect.signature(Sender.send)
    actual = inspect.signature(bench_module().NoSender.send)
    assert [(p.name, p.kind, p.default) for p in actual.parameters.values()] == [
        (p.name, p.kind, p.default) for p in expected.parameters.values()
    ]

"""Every error code the code raises has its own sentence in templates/errors.j2.

The codes are found by walking the source of briefs/ and bot/, so a new ``code="..."`` without
a message fails here instead of reaching people as the generic "that did not work".
"""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jinja2 import nodes

from bot.config import load_config, read_file
from briefs.digest.cli import parse_since
from briefs.digest.settings import parse_time, parse_timezone
from briefs.errors import BadInput, Conflict, DealbriefError, Forbidden, NotFound
from briefs.render import environment, render_error, to_text

ROOT = Path(__file__).resolve().parent.parent
ERROR_CLASSES = {
    cls.__name__: cls for cls in (DealbriefError, BadInput, NotFound, Conflict, Forbidden)
}
CLASS_CODES = {cls.code for cls in ERROR_CLASSES.values()}


def _constructions() -> list[tuple[str, int, ast.Call]]:
    """Every ``BadInput(...)``-style call in briefs/ and bot/, with where it is."""
    found = []
    for path in sorted([*ROOT.glob("briefs/**/*.py"), *ROOT.glob("bot/**/*.py")]):
        if path.name == "errors.py" and path.parent.name == "briefs":
            continue  # the classes themselves pass ``code`` through
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if name in ERROR_CLASSES:
                    found.append((f"{path.relative_to(ROOT)}:{node.lineno}", name, node))
    return found


def _code_of(call: ast.Call) -> str | None:
    for keyword in call.keywords:
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value
    return None


def raised_codes() -> dict[str, str]:
    """code -> one place that raises it."""
    codes: dict[str, str] = {}
    for where, _, call in _constructions():
        code = _code_of(call)
        if code is not None:
            codes.setdefault(code, where)
    return codes


def template_codes() -> set[str]:
    """The codes errors.j2 names in its ``error_code == ...`` / ``in (...)`` tests."""
    env = environment("text")
    source = env.loader.get_source(env, "errors.j2")[0]
    named: set[str] = set()
    for compare in env.parse(source).find_all(nodes.Compare):
        if not (isinstance(compare.expr, nodes.Name) and compare.expr.name == "error_code"):
            continue
        for operand in compare.ops:
            value = operand.expr
            items = value.items if isinstance(value, nodes.Tuple) else [value]
            named |= {item.value for item in items if isinstance(item, nodes.Const)}
    return named


def _text(err: DealbriefError) -> str:
    return to_text(render_error(err, flavour="text")).strip()


def test_the_walk_finds_the_codes_it_should():
    codes = raised_codes()
    # A few from each corner, so a broken walk cannot pass by finding nothing.
    for code in ("bad_kind", "changed_since", "bad_timezone", "bad_setting", "bad_curated"):
        assert code in codes


def test_every_error_is_raised_with_a_literal_code():
    missing = [where for where, _, call in _constructions() if _code_of(call) is None]
    assert missing == [], 'raise errors with code="..." so errors.j2 can name them'


@pytest.mark.parametrize("code", sorted(raised_codes()))
def test_every_raised_code_has_its_own_message(code):
    assert code in template_codes(), f"{code} (raised at {raised_codes()[code]}) has no message"
    message = "internal wording 7f3a"
    generic = _text(DealbriefError(message, code="no_such_code"))
    shown = _text(ERROR_CLASSES["DealbriefError"](message, code=code))
    assert shown and shown != generic
    assert message not in shown or code == "database"


def test_bad_timezone_offers_the_close_zones():
    with pytest.raises(BadInput) as caught:
        parse_timezone("Europe/Londn")
    text = _text(caught.value)
    assert "Europe/Londn" in text and "Europe/London" in text


def test_bad_timezone_without_suggestions_points_to_the_format():
    with pytest.raises(BadInput) as caught:
        parse_timezone("qqqqqqqq")
    text = _text(caught.value)
    assert "qqqqqqqq" in text and "Region/City" in text


def _refusal(call, *args, **kwargs) -> str:
    with pytest.raises(DealbriefError) as caught:
        call(*args, **kwargs)
    return _text(caught.value)


def test_config_refusals_name_the_setting(tmp_path):
    assert "“loud” is not a log level" in _refusal(load_config, {"log_level": "loud"}, environ={})
    assert "guild_ids" in _refusal(load_config, {"guild_ids": "one,two"}, environ={})
    stray = tmp_path / "dealbrief.toml"
    stray.write_text("[bot]\ncolour = 1\n", encoding="utf-8")
    assert "no setting called colour" in _refusal(read_file, stray)
    stray.write_text("[bot\n", encoding="utf-8")
    assert "is not valid TOML: " in _refusal(read_file, stray)


def test_digest_refusals_say_what_to_type():
    assert "“soon” is not a time span" in _refusal(parse_since, "soon", datetime.now(UTC))
    assert "24-hour clock" in _refusal(parse_time, "25:99")

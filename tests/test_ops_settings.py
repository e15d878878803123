"""The log format and health port settings: from a flag, the environment or the [bot] table,
and a wrong value refused in one sentence."""

from __future__ import annotations

import pytest

from bot.config import load_config
from briefs.errors import BadInput
from briefs.render import render_error, to_text


def test_defaults_are_text_logs_and_no_health_server():
    config = load_config(environ={})
    assert config.log_format == "text"
    assert config.health_port is None


def test_the_environment_sets_them_and_a_flag_wins(tmp_path):
    environ = {"DEALBRIEF_LOG_FORMAT": "JSON", "DEALBRIEF_HEALTH_PORT": "8081"}
    config = load_config(environ=environ, config_file=_toml(tmp_path, "log_format = 'text'"))
    assert (config.log_format, config.health_port) == ("json", 8081)
    config = load_config({"health_port": 0}, environ=environ)
    assert config.health_port == 0


def test_the_bot_table_sets_them(tmp_path):
    config = load_config(
        environ={}, config_file=_toml(tmp_path, "log_format = 'json'\nhealth_port = 9100")
    )
    assert (config.log_format, config.health_port) == ("json", 9100)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DEALBRIEF_LOG_FORMAT", "xml", "“xml” is not a log format: use text or json."),
        (
            "DEALBRIEF_HEALTH_PORT",
            "70000",
            "The health port must be a number from 0 to 65535, not “70000”.",
        ),
        (
            "DEALBRIEF_HEALTH_PORT",
            "http",
            "The health port must be a number from 0 to 65535, not “http”.",
        ),
    ],
)
def test_a_wrong_value_is_one_sentence(variable, value, message):
    with pytest.raises(BadInput) as refused:
        load_config(environ={variable: value})
    assert to_text(render_error(refused.value, flavour="text")).strip() == message


def _toml(tmp_path, body: str):
    path = tmp_path / "dealbrief.toml"
    path.write_text(f"[bot]\n{body}\n")
    return path

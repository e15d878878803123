"""`dealbrief ingest --extractor model` against the loopback chat-completions server, and the
[ingest] settings every front end reads (flags > environment > dealbrief.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openai_standin import Reply, deal, deals_reply

from bot.config import load_config
from briefs.cli import cli
from briefs.errors import BadInput
from briefs.ingest.settings import DEFAULT_TIMEOUT, load_extractor_settings
from briefs.store import open_db

ARTICLE = (
    "Biotech Ledger Published: 2025-02-11\n\n"
    "Corvane Bio licensed the antibody KT-7 from Lumen Therapeutics on Tuesday. "
    "Corvane will pay $25 million upfront.\n\n"
    "Elsewhere, Perrin Labs now holds the worldwide rights to the ZX-4 enzyme of Osric "
    "Chemicals, for which it paid $40 million.\n"
)
CORVANE = "Corvane Bio licensed the antibody KT-7 from Lumen Therapeutics"
PERRIN = "Perrin Labs now holds the worldwide rights to the ZX-4 enzyme of Osric Chemicals"
ANSWER = [
    deal(
        licensor="Lumen Therapeutics",
        licensee="Corvane Bio",
        asset="KT-7",
        upfront="$25 million",
        evidence={
            "licensor": CORVANE,
            "licensee": CORVANE,
            "asset": "the antibody KT-7",
            "upfront": "Corvane will pay $25 million upfront",
        },
    ),
    deal(
        licensor="Osric Chemicals",
        licensee="Perrin Labs",
        total="$400 million",
        evidence={
            "licensor": PERRIN,
            "licensee": PERRIN,
            "total": "for which it paid $40 million",
        },
    ),
    deal(
        licensor="Acme Holdings",
        licensee="Perrin Labs",
        evidence={"licensor": "Acme Holdings", "licensee": PERRIN},
    ),
]


@pytest.fixture(autouse=True)
def no_settings_around(monkeypatch, tmp_path):
    """No model settings leak in from the machine running the tests."""
    for variable in (
        "DEALBRIEF_EXTRACTOR",
        "DEALBRIEF_MODEL_BASE_URL",
        "DEALBRIEF_MODEL",
        "DEALBRIEF_MODEL_TIMEOUT",
        "DEALBRIEF_MODEL_API_KEY",
        "OPENAI_API_KEY",
    ):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)


def article(tmp_path: Path) -> Path:
    path = tmp_path / "deals.txt"
    path.write_text(ARTICLE)
    return path


def run(db_path: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["--db", str(db_path), *args], env=env)


def model_flags(openai_standin) -> list[str]:
    return ["--extractor", "model", "--base-url", openai_standin.base_url, "--model", "m"]


def test_ingest_with_the_model_stores_grounded_proposals_and_says_what_was_dropped(
    db_path, tmp_path, openai_standin
):
    openai_standin.answer = deals_reply(ANSWER)
    result = run(db_path, "ingest", str(article(tmp_path)), *model_flags(openai_standin))
    assert result.exit_code == 0, result.output
    assert "deals.txt: 2 proposals" in result.output
    assert "Acme Holdings → Perrin Labs was dropped" in result.stdout
    assert "“Acme Holdings” is not in the document" in result.stdout
    db = open_db(db_path)
    origins = [r[0] for r in db.execute("SELECT json_extract(payload, '$.origin') FROM proposals")]
    assert origins == ["rules+model", "model"]

    shown = run(db_path, "review", "show", "1").output
    assert "proposed by the rules and the model" in shown
    assert "Asset: the rules say “antibody KT-7”, the model says “KT-7”" in shown
    model_only = run(db_path, "review", "show", "2").output
    assert "Osric Chemicals → Perrin Labs" in model_only and "proposed by the model" in model_only
    assert "its total “$400 million” is not what its quote" in model_only
    assert "total:" not in model_only  # the amount that failed is not proposed

    approved = run(db_path, "review", "approve", "2")
    assert approved.exit_code == 0 and "approved as fact" in approved.output


def test_json_lines_name_each_proposals_origin(db_path, tmp_path, openai_standin):
    openai_standin.answer = deals_reply(ANSWER)
    flags = model_flags(openai_standin)
    result = run(db_path, "ingest", "--json", "--dry-run", str(article(tmp_path)), *flags)
    assert result.exit_code == 0, result.output
    assert '"origin": "model"' in result.stdout and '"origin": "rules+model"' in result.stdout


@pytest.mark.parametrize(
    ("reply", "words"),
    [(Reply(429, "slow down"), "(429)"), (Reply(content="{not json"), "not valid JSON")],
)
def test_a_failing_model_is_one_line_on_stderr_and_the_rules_stand(
    db_path, tmp_path, openai_standin, reply, words
):
    openai_standin.answer = reply
    result = run(db_path, "ingest", str(article(tmp_path)), *model_flags(openai_standin))
    assert result.exit_code == 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("The model was not used for deals.txt") and words in line
    assert "model" not in result.stdout
    rows = open_db(db_path).execute("SELECT json_extract(payload, '$.origin') FROM proposals")
    assert {r[0] for r in rows} == {"rules"}


def test_the_model_without_an_endpoint_is_a_one_line_error_and_sends_nothing(
    db_path, tmp_path, openai_standin
):
    result = run(db_path, "ingest", str(article(tmp_path)), "--extractor", "model")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "needs a base url" in result.stderr and "--base-url" in result.stderr
    assert not db_path.exists() or open_db(db_path).execute(
        "SELECT count(*) FROM sources"
    ).fetchone() == (0,)
    assert openai_standin.requests == []


def test_an_endpoint_alone_sends_nothing(db_path, tmp_path, openai_standin):
    """Only extractor = "model" lets a document leave the machine."""
    env = {"DEALBRIEF_MODEL_BASE_URL": openai_standin.base_url, "DEALBRIEF_MODEL": "m"}
    result = run(db_path, "ingest", str(article(tmp_path)), env=env)
    assert result.exit_code == 0 and "deals.txt:" in result.output
    assert openai_standin.requests == []


def test_the_file_sets_it_up_and_the_key_comes_from_the_environment(
    db_path, tmp_path, openai_standin
):
    (tmp_path / "dealbrief.toml").write_text(
        f'[ingest]\nextractor = "model"\nbase_url = "{openai_standin.base_url}"\nmodel = "m"\n'
    )
    result = run(db_path, "ingest", str(article(tmp_path)), env={"OPENAI_API_KEY": "sk-second"})
    assert result.exit_code == 0, result.output
    (tmp_path / "more.txt").write_text("Another article about no deal at all.\n")
    result = run(
        db_path,
        "ingest",
        str(tmp_path / "more.txt"),
        env={"OPENAI_API_KEY": "sk-second", "DEALBRIEF_MODEL_API_KEY": "sk-first"},
    )
    assert openai_standin.keys == ["sk-second", "sk-first"]
    # A flag wins over the file: back to the rules, nothing sent.
    (tmp_path / "other.txt").write_text("Another note about nothing.\n")
    run(db_path, "ingest", str(tmp_path / "other.txt"), "--extractor", "rules")
    assert len(openai_standin.requests) == 2


def test_flags_win_over_the_environment_which_wins_over_the_file(tmp_path):
    config = tmp_path / "dealbrief.toml"
    config.write_text(
        '[bot]\nlog_level = "INFO"\n[ingest]\nextractor = "model"\n'
        'base_url = "http://file/v1"\nmodel = "file-model"\ntimeout = 5\n'
    )
    environ = {"DEALBRIEF_MODEL": "env-model", "DEALBRIEF_MODEL_API_KEY": "k"}
    settings = load_extractor_settings(
        {"timeout": 9.0, "model": None}, config_file=config, environ=environ
    )
    assert (settings.base_url, settings.model, settings.timeout) == (
        "http://file/v1",
        "env-model",
        9.0,
    )
    assert settings.api_key == "k" and "k" not in repr(settings)
    assert load_config(config_file=config, environ=environ).ingest == settings.__class__(
        "model", "http://file/v1", "env-model", 5.0, "k"
    )
    default = load_extractor_settings(config_file=tmp_path / "absent.toml", environ={})
    assert (default.extractor, default.timeout) == ("rules", DEFAULT_TIMEOUT)


@pytest.mark.parametrize(
    ("table", "code", "words"),
    [
        ('extractor = "magic"', "bad_setting", "not an extractor"),
        ('extractor = "model"\nmodel = "m"', "model_not_configured", "needs a base url"),
        ('extractor = "model"\nbase_url = "http://x/v1"', "model_not_configured", "needs a model"),
        ("timeout = -1", "bad_setting", "number of seconds"),
        ('api_key = "sk-in-a-file"', "unknown_setting", "[ingest] table"),
    ],
)
def test_bad_settings_are_refused_in_one_line(tmp_path, table, code, words):
    config = tmp_path / "dealbrief.toml"
    config.write_text(f"[ingest]\n{table}\n")
    with pytest.raises(BadInput) as caught:
        load_extractor_settings(config_file=config, environ={})
    assert caught.value.code == code
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "ingest", str(config)])
    assert result.exit_code == 1 and words in result.stderr
    assert result.stderr.strip().count("\n") == 0

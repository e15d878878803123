"""deploy/: the systemd unit is valid for systemd and starts the real program with flags it
takes; the Litestream config watches the database the unit uses; the licence is there."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from bot.entry import bot_command

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "dealbrief.service"
INSTALLED_BIN = "/opt/dealbrief/bin/"
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "RestrictSUIDSGID": "yes",
    "CapabilityBoundingSet": "",
}


def service_settings() -> dict[str, list[str]]:
    """The [Service] section's settings, each key with all its values in order."""
    settings: dict[str, list[str]] = {}
    section = None
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def test_systemd_accepts_the_unit_without_a_warning(tmp_path):
    """The installed paths pointed at this virtualenv, so systemd finds the programs."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed; test_the_unit_runs_the_bot checks the rest")
    unit = tmp_path / "dealbrief.service"
    here = str(Path(sys.executable).parent) + "/"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALLED_BIN, here))
    done = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert (done.stdout + done.stderr).strip() == ""


def test_the_unit_runs_the_bot_with_flags_it_takes():
    settings = service_settings()
    (exec_start,) = settings["ExecStart"]
    program, command, *flags = exec_start.split()
    assert program == INSTALLED_BIN + "dealbrief"
    assert command == "bot"
    context = bot_command.make_context("bot", list(flags))  # refuses an unknown flag
    assert context.params["log_format"] == "json"
    port = context.params["health_port"]
    assert port is not None
    (wait,) = settings["ExecStartPost"]
    assert f"-m dealbrief.healthcheck http://127.0.0.1:{port}/healthz" in wait
    assert settings["Environment"] == ["DEALBRIEF_DB=/var/lib/dealbrief/dealbrief.db"]


def test_the_unit_is_hardened_and_writes_only_its_data_folder():
    settings = service_settings()
    for key, value in HARDENING.items():
        assert settings.get(key) == [value], key
    assert settings["User"] == ["dealbrief"]
    assert settings["StateDirectory"] == ["dealbrief"]
    assert settings["ReadWritePaths"] == ["/var/lib/dealbrief"]


def test_litestream_watches_the_database_of_the_unit():
    config = (ROOT / "deploy" / "litestream.yml").read_text(encoding="utf-8")
    (path,) = re.findall(r"^\s*-\s*path:\s*(\S+)", config, re.MULTILINE)
    assert f"DEALBRIEF_DB={path}" in service_settings()["Environment"]


def test_the_licence_is_mit_as_the_package_says():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "Copyright (c) 2026 the dealbrief authors" in licence
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_an_unknown_flag_in_the_unit_would_be_caught():
    with pytest.raises(click.NoSuchOption):
        bot_command.make_context("bot", ["--health-prot", "8081"])

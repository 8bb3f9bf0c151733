"""The instance configuration this package ships is one Partage accepts: it validates
against the installed plugin (code, currency, languages), its database migrates, and
its demo lives a month of economic acts with the people and companies of
``samples.py``."""

import os
import shutil
from pathlib import Path

import pytest
from partage.testing import partage_main

from {{ cookiecutter.module }}.law import DATA

CODE = "{{ cookiecutter.country_code }}"


def partage(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the ``partage`` command; return what it printed, failing on a refusal."""
    with pytest.raises(SystemExit) as done:
        partage_main(arguments)
    out, err = capsys.readouterr()
    assert done.value.code in (0, None), err
    return out


@pytest.fixture
def options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Options of a ``partage`` command on the shipped instance, in a fresh database: a
    configs folder holding only the instance file, over Partage's own settings."""
    configs = tmp_path / "configs"
    (configs / "instances").mkdir(parents=True)
    shutil.copy(DATA / "instance.toml", configs / "instances" / f"{CODE}.toml")
    for name in [name for name in os.environ if name.startswith("PARTAGE_")]:
        monkeypatch.delenv(name)
    database = f"sqlite:///{tmp_path / 'instance.db'}"
    return ["--instance", CODE, "--config-dir", str(configs), "--database-url", database]


def test_the_shipped_instance_is_valid_and_migrates(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    checked = partage([*options, "config", "check"], capsys)
    assert f"configuration of instance {CODE} is valid" in checked
    upgraded = partage([*options, "db", "upgrade"], capsys)
    assert "database upgraded from empty to" in upgraded


def test_the_demo_lives_a_month_with_sample_members(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    shown = partage([*options, "demo", "--members", "5"], capsys)
    assert f"Instance {CODE}:" in shown
    assert "Schema: migrated from empty" in shown
    assert "Activity: " in shown and " simulated (seed " in shown

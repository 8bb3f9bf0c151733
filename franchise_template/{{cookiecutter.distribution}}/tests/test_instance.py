"""The instance configuration this package ships is one Partage accepts: it validates
against the installed plugin (code, currency, languages), and its database migrates."""

import os
import shutil
from pathlib import Path

import pytest
from partage.core.cli import main
from partage.core.config import default_config_dir

from {{ cookiecutter.module }}.law import DATA

CODE = "{{ cookiecutter.country_code }}"


def partage(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the ``partage`` command; return what it printed, failing on a refusal."""
    with pytest.raises(SystemExit) as done:
        main(arguments)
    out, err = capsys.readouterr()
    assert done.value.code in (0, None), err
    return out


def test_the_shipped_instance_is_valid_and_migrates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    configs = tmp_path / "configs"
    (configs / "instances").mkdir(parents=True)
    for layer in ("settings.toml", "network.toml"):
        shutil.copy(default_config_dir() / layer, configs / layer)
    shutil.copy(DATA / "instance.toml", configs / "instances" / f"{CODE}.toml")
    for name in [name for name in os.environ if name.startswith("PARTAGE_")]:
        monkeypatch.delenv(name)
    database = f"sqlite:///{tmp_path / 'instance.db'}"
    options = ["--instance", CODE, "--config-dir", str(configs), "--database-url", database]
    checked = partage([*options, "config", "check"], capsys)
    assert f"configuration of instance {CODE} is valid" in checked
    upgraded = partage([*options, "db", "upgrade"], capsys)
    assert "database upgraded from empty to" in upgraded

"""Packaging: the README's run command works in a fresh virtual environment, and a
wheel carries core, plugins, configs and migrations under the ``partage`` namespace."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def readme_commands() -> list[str]:
    """The shell blocks of the README's "Set up" section, in order."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def copy_checkout(target: Path) -> Path:
    """The project's files (tracked and new, as git sees them) copied to ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def test_readme_gives_the_two_setup_commands() -> None:
    run, test = readme_commands()[:2]
    assert run.startswith("pip install -e .") and "partage demo" in run
    assert test.startswith("pip install -e '.[test]'") and "pytest -n auto" in test
    assert "pip install -e '.[test]' && pytest -n auto" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.slow
def test_readme_run_command_works_in_a_fresh_virtualenv(tmp_path: Path) -> None:
    project = copy_checkout(tmp_path / "partage")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARTAGE_", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    command = readme_commands()[0]
    result = subprocess.run(
        ["bash", "-c", command], cwd=project, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Schema: migrated from empty to revision" in result.stdout
    assert (project / "partage.db").is_file()


@pytest.mark.slow
def test_wheel_maps_folders_to_the_partage_namespace(tmp_path: Path) -> None:
    project = copy_checkout(tmp_path / "partage")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(project),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("partage-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "partage/core/contract/hookspecs.py",
        "partage/core/contract/document_templates/labels.toml",
        "partage/core/platform/db/migrations/env.py",
        "partage/core/platform/db/migrations/script.py.mako",
        "partage/plugins/belgium/__init__.py",
        "partage/configs/settings.toml",
        "partage/configs/network.toml",
        "partage/configs/instances/be.toml",
    ):
        assert expected in names, expected
    assert any(n.startswith("partage/core/platform/db/migrations/versions/0001") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[partage.countries]" in text and "be = partage.plugins.belgium" in text
    assert "partage = partage.core.cli.main:main" in text

"""The architecture holds: the core's floors (import-linter contracts in pyproject.toml),
and plugins — shipped, or rendered from the franchise template — that import nothing of
Partage but the plugin contract and ``partage.testing``.

Each rule is also shown to fail: a deliberate violation is caught and named.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from partage.core.cli.main import main
from partage.core.platform.plugin_imports import RULE, check_package, check_source

ROOT = Path(__file__).resolve().parents[2]
FLOORS = "Floors of the core"
WEB_CONTEXTS = "The web's contexts"
PLUGINS = {
    "partage.plugins.belgium": ROOT / "plugins" / "belgium",
    "partage.plugins.france": ROOT / "plugins" / "france",
    "partage.plugins.sectors.couriers": ROOT / "plugins" / "sectors" / "couriers",
    "partage.plugins.sectors.artists_be": ROOT / "plugins" / "sectors" / "artists_be",
    "partage.plugins.sectors.construction": ROOT / "plugins" / "sectors" / "construction",
}


def lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts, on the tree importable from ``cwd``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    if cwd != ROOT:
        shutil.copy(ROOT / "pyproject.toml", cwd / "pyproject.toml")
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def test_the_floors_and_the_plugin_contract_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_face_imported_by_the_ledger_breaks_the_floors_naming_the_import(
    tmp_path: Path,
) -> None:
    core = tmp_path / "partage" / "core"
    shutil.copytree(ROOT / "core", core, ignore=shutil.ignore_patterns("__pycache__"))
    books = core / "ledger" / "books.py"
    books.write_text(books.read_text() + "\nfrom partage.core.web import app  # noqa\n")
    result = lint_imports(tmp_path, pythonpath=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{FLOORS}" in result.stdout and "BROKEN" in result.stdout
    assert "partage.core.ledger.books -> partage.core.web" in result.stdout


def test_a_web_context_importing_one_above_it_breaks_the_web_contract_naming_the_import(
    tmp_path: Path,
) -> None:
    core = tmp_path / "partage" / "core"
    shutil.copytree(ROOT / "core", core, ignore=shutil.ignore_patterns("__pycache__"))
    views = core / "web" / "sales" / "views.py"
    views.write_text(views.read_text() + "\nfrom partage.core.web.entities import views  # noqa\n")
    result = lint_imports(tmp_path, pythonpath=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"{WEB_CONTEXTS}" in result.stdout and "BROKEN" in result.stdout
    assert "partage.core.web.sales.views -> partage.core.web.entities" in result.stdout


@pytest.mark.parametrize("package", sorted(PLUGINS))
def test_shipped_plugins_import_only_the_contract(package: str) -> None:
    problems = check_package(PLUGINS[package], package)
    assert not problems, "\n".join(map(str, problems))


def test_a_rendered_template_imports_only_the_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("PARTAGE_")]:
        monkeypatch.delenv(name)
    command = ["new-country", "--no-input", "-o", str(tmp_path), "--configs", str(tmp_path)]
    with pytest.raises(SystemExit) as done:
        main([*command, "--code", "pt", "--name", "Portugal", "--locale", "pt_PT"])
    assert done.value.code in (0, None)
    package = tmp_path / "partage-country-pt"
    module = "partage_country_pt"
    assert (package / module / "__init__.py").is_file()
    problems = check_package(package, module)
    assert not problems, "\n".join(map(str, problems))


def test_an_import_beyond_the_contract_is_named_with_where_it_moved(tmp_path: Path) -> None:
    source = tmp_path / "plugin.py"
    source.write_text(
        "from partage.core.contract import hookimpl\n"
        "from partage.testing import ConformanceSuite\n"
        "from partage.core.ledger.books import set_up_books\n"
        "from partage.core.hookspecs import HOOK_API_VERSION\n"
        "from partage.core import money\n"
        "import partage.core.contract.money\n"
        "from partage.plugins.sectors import in_force\n"
        "from partage_country_xx.law import PARAMETERS\n"
        "from json import dumps\n"
    )
    problems = check_source([source], "partage_country_xx")
    assert [(p.line, p.module) for p in problems] == [
        (3, "partage.core.ledger.books"),
        (4, "partage.core.hookspecs"),
        (5, "partage.core.money"),
        (6, "partage.core.contract.money"),
        (7, "partage.plugins.sectors"),
    ]
    ledger, hookspecs, money, submodule, sectors = map(str, problems)
    assert ledger.endswith(RULE) and "plugin.py:3" in ledger
    assert "moved: use partage.core.contract (hookimpl" in hookspecs
    assert "moved: use partage.core.contract" in money
    assert submodule.endswith(RULE)
    assert "parameters.since(name, on)" in sectors


def test_a_sector_plugin_importing_another_sector_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "rules.py"
    source.write_text("from partage.plugins.sectors.couriers import PARAMETERS\n")
    (problem,) = check_source([source], "partage.plugins.sectors.construction")
    assert problem.module == "partage.plugins.sectors.couriers"

"""The command line starts at once: ``partage --help``, ``partage config check``,
``partage plugins list`` and every command's ``--help`` load none of the libraries they
do not use (the web, PDFs, XML, the database, the simulation).

Each command runs in a fresh interpreter, since this one has imported everything
already, and the test reads which modules it loaded: someone adding a heavy import at
the top of a command module, of the contract or of a plugin makes it fail, naming the
module. No time is measured here; ``benchmarks/startup.py`` measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.main
from typer.testing import CliRunner

from partage.core.cli.commands import COMMANDS
from partage.core.cli.main import app

#: Runs ``partage <argv>`` and writes its exit status and loaded modules as JSON.
RUN = """
import json, sys
from partage.core.cli.main import main
try:
    main(sys.argv[2:])
    status = 0
except SystemExit as exit_:
    status = exit_.code
# The plugins' parameter folders whose files were read (a folder is read at its first
# question: see partage.core.contract.parameters.Parameters).
from partage.core.contract.parameters import Parameters
read = sorted(
    str(value.root)
    for name, module in list(sys.modules.items())
    if name.startswith("partage.plugins")
    for value in vars(module).values()
    if isinstance(value, Parameters) and "_all" in vars(value)
)
with open(sys.argv[1], "w") as out:
    json.dump({"status": status, "modules": sorted(sys.modules), "read": read}, out)
"""

#: Asks ``--help`` of every command and group of the tree, then writes each answer (exit
#: status and text) and the loaded modules as JSON.
WALK = """
import json, sys
import typer
from typer.testing import CliRunner
from partage.core.cli.main import app

def paths(command, path):
    yield path
    if hasattr(command, "list_commands"):
        context = typer.Context(command)
        for name in command.list_commands(context):
            yield from paths(command.get_command(context, name), [*path, name])

runner = CliRunner()
answers = {}
for path in paths(typer.main.get_command(app), []):
    done = runner.invoke(app, [*path, "--help"], prog_name="partage")
    answers[" ".join(path)] = [done.exit_code, done.output]
with open(sys.argv[1], "w") as out:
    json.dump({"answers": answers, "modules": sorted(sys.modules)}, out)
"""

#: What serves the web, writes PDFs and XML, talks to the database, reads the network
#: reports' schemas, scaffolds a country or simulates a month: no start needs them.
HEAVY = (
    "alembic",
    "argon2",
    "cookiecutter",
    "facturx",
    "faker",
    "flask",
    "fpdf",
    "holidays",
    "jinja2",
    "jsonschema",
    "litestar",
    "lxml",
    "openfisca_core",
    "pikepdf",
    "PIL",
    "psycopg",
    "pypdf",
    "saxonche",
    "sepaxml",
    "sqlalchemy",
    "uvicorn",
    "werkzeug",
    "xmlschema",
    "partage.core.access.models",
    "partage.core.acts",
    "partage.core.banking",
    "partage.core.demo.run",
    "partage.core.documents",
    "partage.core.franchise",
    "partage.core.ledger",
    "partage.core.members",
    "partage.core.platform.db.engine",
    "partage.core.platform.db.migrate",
    "partage.core.platform.db.models",
    "partage.core.web",
)
#: What checking numbers and amounts needs: IBANs, VAT numbers, currencies.
IDENTIFIERS = ("babel", "schwifty", "stdnum")
#: What reading the configuration and the plugins needs: no help text does.
CONFIGURATION = (
    *IDENTIFIERS,
    "dynaconf",
    "pluggy",
    "partage.core.platform.config",
    "partage.core.platform.registry",
    "partage.plugins",
)
#: The commands and groups of the root, as ``partage --help`` lists them.
ROOT = {
    "acts",
    "audit",
    "bank",
    "books",
    "clients",
    "config",
    "db",
    "declarations",
    "demo",
    "documents",
    "einvoice",
    "follow-up",
    "franchise",
    "lists",
    "login",
    "mail",
    "members",
    "network",
    "new-country",
    "office",
    "payroll",
    "person",
    "plugins",
    "rates",
    "reminders",
    "risk",
    "sales",
    "sectors",
    "serve",
    "setup",
    "upgrade",
    "version",
    "workshop",
}


def loaded(modules: Iterable[str], forbidden: Iterable[str]) -> list[str]:
    """The ``forbidden`` modules (packages with their submodules) among ``modules``."""
    prefixes = tuple(forbidden)
    return sorted(
        m for m in modules if m in prefixes or m.startswith(tuple(f"{p}." for p in prefixes))
    )


def run(script: str, args: list[str], folder: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run ``script`` in a fresh interpreter in ``folder``; what it wrote as JSON."""
    report = folder / "report.json"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PARTAGE_")}
    environment |= {"COLUMNS": "200", **env}
    done = subprocess.run(
        [sys.executable, "-c", script, str(report), *args],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, Any] = json.loads(report.read_text())
    return answer


def test_help_of_every_command_loads_neither_services_nor_configuration(
    tmp_path: Path,
) -> None:
    report = run(WALK, [], tmp_path, {})
    answers = report["answers"]
    listed = {path for path in answers if path and " " not in path}
    assert listed == ROOT
    assert len(answers) > len(ROOT)  # the groups' own commands were asked too
    for path, (status, text) in answers.items():
        assert status == 0, f"partage {path} --help: {text}"
        assert f"Usage: partage {path}".rstrip() in text, text
    assert loaded(report["modules"], (*HEAVY, *CONFIGURATION)) == []


def test_partage_help_lists_every_command_and_loads_no_configuration(tmp_path: Path) -> None:
    report = run(RUN, ["--help"], tmp_path, {})
    assert report["status"] == 0
    assert loaded(report["modules"], (*HEAVY, *CONFIGURATION)) == []


def test_plugins_list_loads_the_plugins_and_nothing_they_do_not_use_yet(tmp_path: Path) -> None:
    report = run(RUN, ["plugins", "list"], tmp_path, {})
    assert report["status"] == 0
    assert "partage.plugins.belgium" in report["modules"]
    assert "partage.plugins.france" in report["modules"]
    assert loaded(report["modules"], (*HEAVY, *IDENTIFIERS, "dynaconf")) == []
    assert report["read"] == []  # no law is read to say which plugins are installed


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["config", "check"], {}),
        (["--instance", "fr", "config", "check"], {}),
        # A server no one answers at: checking the configuration does not connect.
        (["config", "check"], {"PARTAGE_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/x"}),
    ],
)
def test_config_check_loads_no_database_library(
    tmp_path: Path, args: list[str], env: dict[str, str]
) -> None:
    report = run(RUN, args, tmp_path, env)
    assert report["status"] == 0
    assert "partage.core.platform.config" in report["modules"]
    assert loaded(report["modules"], HEAVY) == []
    assert report["read"] == []  # checking the configuration computes with no law
    assert not list(tmp_path.glob("*.db"))


def test_the_check_of_read_parameters_sees_a_command_that_computes_with_the_law(
    tmp_path: Path,
) -> None:
    report = run(
        RUN, ["payroll", "simulate", "--date", "2026-03-15", "--gross", "3000"], tmp_path, {}
    )
    assert report["status"] == 0
    assert report["read"] != []


#: The modules of the command groups, each of which the root imports only when one of its
#: commands is run or its help asked.
COMMAND_MODULES = sorted({entry.module for entry in COMMANDS.values()} - {"partage.core.cli.main"})


@pytest.mark.parametrize(
    ("args", "needed"),
    [
        (["--help"], set()),
        (["config", "check"], {"partage.core.cli.config"}),
        (["plugins", "list"], {"partage.core.cli.plugins"}),
        (["books", "--help"], {"partage.core.cli.books"}),
    ],
)
def test_a_command_imports_its_own_module_and_no_other_command_module(
    tmp_path: Path, args: list[str], needed: set[str]
) -> None:
    report = run(RUN, args, tmp_path, {})
    assert report["status"] == 0
    assert set(loaded(report["modules"], COMMAND_MODULES)) == needed


def test_each_command_is_listed_with_the_summary_its_own_help_begins_with() -> None:
    root = typer.main.get_command(app)
    context = typer.Context(root)
    assert list(COMMANDS) == root.list_commands(context)  # type: ignore[attr-defined]
    for name, entry in COMMANDS.items():
        command = root.get_command(context, name)  # type: ignore[attr-defined]
        assert command.get_short_help_str(1000) == entry.summary, name


def test_the_root_suggests_a_command_it_has_not_built_yet() -> None:
    done = CliRunner().invoke(app, ["confg", "check"], prog_name="partage")
    assert done.exit_code == 2
    assert "No such command 'confg'. Did you mean 'config'?" in done.output


def test_the_check_finds_a_forbidden_module_and_its_submodules() -> None:
    modules = ["lxml", "lxml.etree", "lxmlish", "partage.core.web.app", "partage.core.webs"]
    assert loaded(modules, ("lxml", "partage.core.web")) == [
        "lxml",
        "lxml.etree",
        "partage.core.web.app",
    ]

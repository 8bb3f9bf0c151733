"""The ``partage`` command line.

Every failure a person can cause (bad settings, an unknown plugin, a bad database URL)
ends with a one-line ``partage: error: ...`` message and a non-zero exit status, never a
traceback: status 2 for configuration and usage errors (the errors that declare
:attr:`~partage.core.contract.errors.PartageError.usage`), 1 for refused operations.

The command modules are light, so that ``partage --help``, ``partage config check`` and
``partage plugins list`` start at once: each imports typer and the standard library at
the top, and the services it calls (the database, the web, documents, XML) inside the
command that calls them. ``tests/cli/test_start.py`` guards it; ``benchmarks/startup.py``
measures it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from partage.core import __version__
from partage.core.cli.audit import audit_app
from partage.core.cli.books import books_app
from partage.core.cli.config import config_app
from partage.core.cli.country import new_country
from partage.core.cli.db import db_app
from partage.core.cli.declarations import declarations_app
from partage.core.cli.demo import demo, setup
from partage.core.cli.documents import bank_app, documents_app
from partage.core.cli.network import franchise_app, network_app, upgrade_app
from partage.core.cli.office import office_app
from partage.core.cli.options import Options
from partage.core.cli.payroll import payroll_app
from partage.core.cli.person import person_app
from partage.core.cli.plugins import plugins_app
from partage.core.cli.risk import risk_app
from partage.core.cli.serve import login_app, serve
from partage.core.contract.errors import PartageError

app = typer.Typer(
    name="partage",
    help="Run a shared-enterprise cooperative and its social franchise.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(config_app, name="config")
app.add_typer(plugins_app, name="plugins")
app.add_typer(db_app, name="db")
app.add_typer(books_app, name="books")
app.add_typer(payroll_app, name="payroll")
app.add_typer(login_app, name="login")
app.command("serve")(serve)
app.add_typer(franchise_app, name="franchise")
app.add_typer(network_app, name="network")
app.add_typer(upgrade_app, name="upgrade")
app.add_typer(declarations_app, name="declarations")
app.add_typer(office_app, name="office")
app.add_typer(documents_app, name="documents")
app.add_typer(bank_app, name="bank")
app.add_typer(risk_app, name="risk")
app.add_typer(audit_app, name="audit")
app.add_typer(person_app, name="person")
app.command("new-country")(new_country)
app.command("setup")(setup)
app.command("demo")(demo)


@app.callback()
def main_options(
    ctx: typer.Context,
    instance: Annotated[
        str | None,
        typer.Option("--instance", "-i", help="National instance (default: PARTAGE_INSTANCE)."),
    ] = None,
    config_dir: Annotated[
        Path | None,
        typer.Option(
            "--config-dir",
            help="The deployment's configs folder, read over the shipped one "
            "(default: PARTAGE_CONFIG_DIR, else ./configs when present).",
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Database URL (default: PARTAGE_DATABASE_URL)."),
    ] = None,
) -> None:
    ctx.obj = Options(instance, config_dir, database_url)


@app.command()
def version() -> None:
    """Print the core version, hook API version and schema head."""
    from partage.core.contract.hookspecs import HOOK_API_VERSION
    from partage.core.platform.db import migrate

    typer.echo(f"partage {__version__}, hook API {HOOK_API_VERSION}, schema {migrate.head()}")


def exit_status(error: PartageError) -> int:
    """The exit status of a refusal: 2 for a usage or configuration error, 1 else."""
    return 2 if error.usage else 1


def database_unreachable(error: Exception) -> str | None:
    """Why the database could not be reached, when ``error`` says it could not; else
    ``None``.

    SQLAlchemy is loaded only by the commands that use the database: when it is not
    loaded, the error cannot be one of its own.
    """
    if "sqlalchemy.exc" not in sys.modules:
        return None
    from sqlalchemy.exc import OperationalError

    if not isinstance(error, OperationalError):
        return None
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, turning expected failures into one line."""
    try:
        app(args=argv, prog_name="partage")
    except PartageError as exc:
        typer.echo(f"partage: error: {exc}", err=True)
        sys.exit(exit_status(exc))
    except Exception as exc:
        reason = database_unreachable(exc)
        if reason is None:
            raise
        typer.echo(f"partage: error: database unreachable: {reason}", err=True)
        sys.exit(2)

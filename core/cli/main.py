"""The ``partage`` command line.

Every failure a person can cause (bad settings, an unknown plugin, a bad database URL)
ends with a one-line ``partage: error: ...`` message and a non-zero exit status, never a
traceback: status 2 for configuration and usage errors (:data:`USAGE_ERRORS`), 1 for
refused operations.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.exc import OperationalError

from partage.core import __version__
from partage.core.acts.cooperative import NotFound
from partage.core.banking.statements import StatementRefused
from partage.core.cli.books import UsageError, books_app
from partage.core.cli.country import new_country
from partage.core.cli.declarations import declarations_app
from partage.core.cli.documents import bank_app, documents_app
from partage.core.cli.network import franchise_app, network_app, upgrade_app
from partage.core.cli.office import office_app
from partage.core.cli.options import ActorOption, Options, options_of
from partage.core.cli.output import Format, render, to_json
from partage.core.cli.payroll import payroll_app
from partage.core.cli.serve import login_app, serve, serve_demo
from partage.core.contract.errors import ConfigError, DatabaseError, PartageError, PluginError
from partage.core.demo.run import DEFAULT_MEMBERS, run_demo
from partage.core.documents.importing import ImportRefused
from partage.core.franchise.fee import PeriodError
from partage.core.franchise.report import RateError, ReportError
from partage.core.franchise.scaffold import AnswerError
from partage.core.members.instance import InstanceMismatch, bootstrap
from partage.core.platform.db import migrate
from partage.core.platform.issuer import IssuerRefused
from partage.core.platform.network import UnknownFranchisee
from partage.core.platform.registry import PluginRegistry
from partage.core.platform.runtime import load_config
from partage.core.platform.upgrade import UpgradeError

app = typer.Typer(
    name="partage",
    help="Run a shared-enterprise cooperative and its social franchise.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
config_app = typer.Typer(help="Show and check the layered configuration.", no_args_is_help=True)
plugins_app = typer.Typer(help="Country and sector plugins.", no_args_is_help=True)
db_app = typer.Typer(help="The instance's database and its migrations.", no_args_is_help=True)
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
app.command("new-country")(new_country)

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


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
            "--config-dir", help="Configs folder (default: PARTAGE_CONFIG_DIR or shipped)."
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

    typer.echo(f"partage {__version__}, hook API {HOOK_API_VERSION}, schema {migrate.head()}")


@app.command()
def setup(ctx: typer.Context, actor: ActorOption = "setup") -> None:
    """Set up the instance: migrate, load its offices and books, open the fiscal year.

    What a national partner runs on its production database (the demo runs it too,
    before its simulated month). Running it again changes nothing and says so; what it
    changes is audited as --actor.
    """
    with options_of(ctx).runtime() as runtime:
        done = bootstrap(
            runtime.engine,
            runtime.config.instance,
            runtime.plugins,
            actor=actor,
            fiscal_year_start_month=runtime.config.fiscal_year_start_month,
        )
    for line in done.lines():
        typer.echo(line)


@app.command()
def demo(
    ctx: typer.Context,
    members: Annotated[
        int, typer.Option("--members", help="Members of the first simulated month.")
    ] = DEFAULT_MEMBERS,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulated activity.")] = 0,
    month: Annotated[
        str | None,
        typer.Option(
            "--month",
            help="Month to simulate, YYYY-MM (default: the last complete month, then the next).",
        ),
    ] = None,
    serve: Annotated[
        bool | None,
        typer.Option(
            "--serve/--no-serve",
            help="Then serve the web application with demo logins "
            "(default: when the output is a terminal).",
        ),
    ] = None,
    port: Annotated[int, typer.Option(help="Port to serve on.", min=1, max=65535)] = 8000,
) -> None:
    """Set up the demo instance, live one more month of its activity, print its figures,
    then serve the web application on 127.0.0.1 and print the demo logins."""
    try:
        first = datetime.strptime(month, "%Y-%m").date() if month else None
    except ValueError:
        raise UsageError("--month", f"{month!r} is not a month (YYYY-MM)") from None
    with options_of(ctx).runtime() as runtime:
        for line in run_demo(runtime, members=members, seed=seed, month=first):
            typer.echo(line)
        if serve if serve is not None else sys.stdout.isatty():
            serve_demo(runtime, port=port)


# --- config -----------------------------------------------------------------------
@config_app.command("show")
def config_show(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """Print every resolved setting with the layer it came from."""
    options = options_of(ctx)
    config = load_config(options.instance, options.config_dir)
    rows = [list(row) for row in config.resolved.items()]
    if options.database_url:
        rows = [
            [k, options.database_url, "--database-url"] if k == "database_url" else [k, v, s]
            for k, v, s in rows
        ]
    typer.echo(render(["key", "value", "source"], rows, fmt))


@config_app.command("check")
def config_check(ctx: typer.Context) -> None:
    """Validate the configuration of the chosen instance."""
    with options_of(ctx).runtime() as runtime:
        config = runtime.config
    typer.echo(
        f"configuration of instance {config.instance.code} is valid "
        f"({len(config.instance.offices)} offices; layers: "
        + ", ".join(str(p) for p in config.resolved.layers)
        + ")"
    )


# --- plugins ----------------------------------------------------------------------
@plugins_app.command("list")
def plugins_list(fmt: FormatOption = Format.TABLE) -> None:
    """List installed plugins: name, kind, version, hook API version, distribution."""
    rows = [
        [p.name, str(p.kind), p.version, p.api_version, p.distribution]
        for p in PluginRegistry().plugins()
    ]
    typer.echo(render(["name", "kind", "version", "api", "distribution"], rows, fmt))


# --- db ---------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Apply the shipped migrations to the instance's database."""
    with options_of(ctx).runtime() as runtime:
        pending = migrate.pending_revisions(runtime.engine)
        before, after = migrate.upgrade(runtime.engine, revision)
    if before == after:
        typer.echo(f"database already at revision {after}")
    else:
        for line in pending:
            typer.echo(f"applied {line}")
        typer.echo(f"database upgraded from {before or 'empty'} to {after}")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Print the database's revision and the newest one shipped."""
    with options_of(ctx).runtime() as runtime:
        at = migrate.current(runtime.engine)
    typer.echo(to_json({"current": at, "head": migrate.head()}))


#: Refusals that ask the person to change what they typed, gave or configured (a setting,
#: a plugin, an option, a file, a name that does not exist) rather than refusing an
#: operation: they exit with status 2.
USAGE_ERRORS: tuple[type[PartageError], ...] = (
    ConfigError,
    PluginError,
    DatabaseError,
    IssuerRefused,
    InstanceMismatch,
    UsageError,
    UpgradeError,
    UnknownFranchisee,
    PeriodError,
    ReportError,
    RateError,
    AnswerError,
    NotFound,
    StatementRefused,
    ImportRefused,
)


def exit_status(error: PartageError) -> int:
    """The exit status of a refusal: 2 for a usage or configuration error, 1 else."""
    return 2 if isinstance(error, USAGE_ERRORS) else 1


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the app, turning expected failures into one line."""
    try:
        app(args=argv, prog_name="partage")
    except PartageError as exc:
        typer.echo(f"partage: error: {exc}", err=True)
        sys.exit(exit_status(exc))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        typer.echo(f"partage: error: database unreachable: {reason}", err=True)
        sys.exit(2)

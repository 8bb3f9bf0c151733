"""The root's commands: where each lives and its line of help, so that the command line
builds only the command it runs.

Typer builds a click command from a function by reading its signature and converting
every option, and a group by importing the module of each of its commands: building the
whole tree cost ``partage config check`` more time than its checks. :class:`LazyGroup`,
the root's click group, knows each command by the light :class:`LazyCommand` entries of
:data:`COMMANDS` and imports a command's module, and has typer build it, only when the
command is run or its own help is asked. ``partage --help`` lists every command from
these entries without importing any. ``tests/cli/test_start.py`` checks that each
entry's line is the one its command declares, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches
from typing import TYPE_CHECKING

import typer
import typer.core
import typer.main

try:  # typer 0.28 carries its own copy of click; earlier releases use click itself
    from typer._click.exceptions import UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import UsageError  # type: ignore[assignment]

if TYPE_CHECKING:
    from typer import _click as click


@dataclass(frozen=True)
class LazyCommand:
    """A command of the root, not imported yet.

    Attributes:
        name: what a person types after ``partage``.
        module: the module defining it.
        attribute: in that module, the ``typer.Typer`` of a group or the function of a
            single command.
        summary: the first sentence of its help, as ``partage --help`` lists it.
    """

    name: str
    module: str
    attribute: str
    summary: str

    def load(self, rich_markup_mode: typer.core.MarkupMode) -> click.Command:
        """The click command typer builds from the module's group or function (a
        :class:`typer.core.TyperGroup` for a group), as ``app.add_typer`` and
        ``app.command`` would have built it."""
        target = getattr(importlib.import_module(self.module), self.attribute)
        holder = typer.Typer(rich_markup_mode=rich_markup_mode, add_completion=False)
        if isinstance(target, typer.Typer):
            holder.add_typer(target, name=self.name)
        else:
            holder.command(self.name)(target)
        return typer.main.get_group(holder).commands[self.name]


def _entry(name: str, module: str, attribute: str, summary: str) -> LazyCommand:
    return LazyCommand(name, f"partage.core.cli.{module}", attribute, summary)


#: Every command and group of the root, in the order ``partage --help`` lists them.
COMMANDS: dict[str, LazyCommand] = {
    entry.name: entry
    for entry in (
        _entry(
            "serve",
            "serve",
            "serve",
            "Serve the web application and its JSON API (/api/v1, OpenAPI at /api/v1/schema).",
        ),
        _entry(
            "new-country",
            "country",
            "new_country",
            "Generate a country plugin package and its instance configuration.",
        ),
        _entry(
            "setup",
            "demo",
            "setup",
            "Set up the instance: migrate, load its offices and books, open the fiscal year.",
        ),
        _entry(
            "demo",
            "demo",
            "demo",
            "Set up the demo instance, live one more month of its activity, print its "
            "figures, then serve the web application on 127.0.0.1 and print the demo logins.",
        ),
        _entry(
            "version",
            "main",
            "version",
            "Print the core version, hook API version and schema head.",
        ),
        _entry("config", "config", "config_app", "Show and check the layered configuration."),
        _entry("plugins", "plugins", "plugins_app", "Country and sector plugins."),
        _entry("db", "db", "db_app", "The instance's database and its migrations."),
        _entry("books", "books", "books_app", "The books: reports, exports and periods."),
        _entry(
            "payroll",
            "payroll",
            "payroll_app",
            "Payroll: simulate payslips, list a month's working days.",
        ),
        _entry("login", "serve", "login_app", "Logins of the web application."),
        _entry(
            "franchise",
            "network",
            "franchise_app",
            "The franchise contract and the franchise fee.",
        ),
        _entry(
            "network",
            "network",
            "network_app",
            "Network reports: export one instance's, consolidate many, follow them over time.",
        ),
        _entry(
            "upgrade",
            "network",
            "upgrade_app",
            "Before upgrading the core: plugins and migrations.",
        ),
        _entry(
            "declarations",
            "declarations",
            "declarations_app",
            "Declarations: the VAT return, the social summary, employment declarations.",
        ),
        _entry(
            "office",
            "office",
            "office_app",
            "Local offices: advisers and the sectors each enables.",
        ),
        _entry(
            "sectors",
            "sectors",
            "sectors_app",
            "Entities' sectors, their attestations and platform clients.",
        ),
        _entry(
            "follow-up",
            "follow_up",
            "follow_up_app",
            "Members' follow-up records: notes, appointments and documents.",
        ),
        _entry(
            "clients",
            "clients",
            "clients_app",
            "Clients: list and search the directory, add a client, look a number up.",
        ),
        _entry(
            "lists",
            "lists",
            "lists_app",
            "An entity's quotes, invoices, purchases, expenses, contracts and payslips.",
        ),
        _entry(
            "workshop",
            "workshop",
            "workshop_app",
            "Workshops and training sessions: plan, register members, mark attendance.",
        ),
        _entry(
            "documents",
            "documents",
            "documents_app",
            "Documents: invoice PDFs, e-invoices, supplier e-invoices.",
        ),
        _entry("bank", "documents", "bank_app", "The bank: statements in, payment files out."),
        _entry(
            "rates", "rates", "rates_app", "Exchange rates: load the ECB's euro reference rates."
        ),
        _entry(
            "acts",
            "acts",
            "acts_app",
            "An entity's other acts: paper purchases, expenses, internal invoices, copyright, "
            "subsidies, gifts and sponsorship.",
        ),
        _entry(
            "sales",
            "sales",
            "sales_app",
            "Sales: quotes, invoices, deposits and balances, credit notes, payments declared.",
        ),
        _entry(
            "members",
            "members",
            "members_app",
            "Members: applications to join, the ethics committee's decisions, the register.",
        ),
        _entry(
            "risk",
            "risk",
            "risk_app",
            "The salary guarantee fund: its capacity, exposure and losses.",
        ),
        _entry(
            "reminders",
            "reminders",
            "reminders_app",
            "Late payers: overdue invoices, reminders, proposed defaults.",
        ),
        _entry("audit", "audit", "audit_app", "The audit log: who did what, when, from where."),
        _entry("mail", "mail", "mail_app", "The email outbox and its delivery."),
        _entry(
            "einvoice",
            "einvoice",
            "einvoice_app",
            "Sending invoices as the law requires (Peppol, approved platform, email); "
            "supplier documents received.",
        ),
        _entry(
            "person",
            "person",
            "person_app",
            "A person's data: export it or erase it (GDPR articles 15 and 17).",
        ),
    )
}


class LazyGroup(typer.core.TyperGroup):
    """The root group: lists :data:`COMMANDS` and builds one when it is asked for.

    The click API is kept whole (``list_commands`` names every command, ``get_command``
    returns it built), so what walks the tree (the documentation's command reference,
    the tests) sees every command; only its ``commands`` mapping holds just those built
    so far.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        built = self.commands.get(cmd_name)
        if built is None and cmd_name in COMMANDS:
            built = COMMANDS[cmd_name].load(self.rich_markup_mode)
            self.commands[cmd_name] = built
        return built

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, each with its summary, importing none of them: a
        command not built yet answers through a stand-in holding its summary, which
        click shortens to the width exactly as it would the command's own help."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or typer.core.TyperCommand(
                name, help=COMMANDS[name].summary
            )
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, c.get_short_help_str(limit)) for name, c in rows])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command ``args`` name; a misspelt name is refused suggesting the close
        ones among every command, built or not."""
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in error.message:
                suggestions = ", ".join(repr(m) for m in matches)
                error.message = f"{error.message.rstrip('.')}. Did you mean {suggestions}?"
            raise

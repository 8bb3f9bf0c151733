"""``partage documents ...`` and ``partage bank ...``: the files the cooperative issues
and exchanges, and the suppliers' bank accounts they pay into, from the command line.

Invoices' PDFs and e-invoices are produced once and kept (:mod:`partage.core.documents.
service`): asking again writes the stored bytes. Supplier e-invoices are booked as
purchases, bank statements (CAMT.053, or the country's format such as CODA) matched to
open invoices, and due payments gathered into a SEPA pain.001 file. The cooperative's
facts come from the instance's ``[instance.issuer]`` table. Each command is one
transaction; the output file is written only once it has committed, so a refused input
leaves neither the database nor the file system changed, and ends with a one-line message
(status 2 for a bad input: an unknown invoice, a malformed file).

``partage bank payees ...`` is staff's work: each command names the staff login it acts
as (``--login``), which must exist, be enabled and be an adviser, office manager or
administrator; the audit log records it, and the four-eyes rule refuses a confirmation
by the login that brought the account in. ``partage bank pending validate|refuse`` is
staff's work the same way, for the acts a login declared alone (cash received, a
supplier credit note without its invoice, expense-claim VAT no rate explains): an
adviser or office manager decides on the entities of their office only, and never on
an act they entered themselves.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from partage.core.cli.books import UsageError, parse_day
from partage.core.cli.options import LoginOption, cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render
from partage.core.platform import clock
from partage.core.platform.limits import bounded

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from partage.core.acts.cooperative import Cooperative
    from partage.core.documents import service
    from partage.core.platform.issuer import Issuer
    from partage.core.platform.runtime import Runtime

documents_app = typer.Typer(
    help="Documents: invoice PDFs, e-invoices, supplier e-invoices.", no_args_is_help=True
)
bank_app = typer.Typer(help="The bank: statements in, payment files out.", no_args_is_help=True)
payees_app = typer.Typer(
    help="Suppliers' bank accounts: the staff's queue, confirm, reject, enter.",
    no_args_is_help=True,
)
bank_app.add_typer(payees_app, name="payees")
pending_app = typer.Typer(
    help="Acts waiting for staff: cash declared, stand-alone supplier credit notes, "
    "expense-claim VAT no rate explains. List, validate, refuse.",
    no_args_is_help=True,
)
bank_app.add_typer(pending_app, name="pending")

OutputOption = Annotated[Path, typer.Option("--output", "-o", help="File to write.")]
LanguageOption = Annotated[
    str | None, typer.Option("--language", help="Language of the document (default: client's).")
]
#: ``--kind`` words to what a payment order pays (an
#: :class:`~partage.core.banking.models.OrderKind`).
KINDS = {"salaries": "salary", "expenses": "expense", "suppliers": "supplier"}


@contextmanager
def act(ctx: typer.Context) -> Iterator[tuple[Runtime, Session, Cooperative]]:
    """The runtime, one transaction and the cooperative; a refusal leaves after the
    transaction rolled back."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.platform.db.engine import transaction

    with (
        options_of(ctx).runtime() as runtime,
        transaction(runtime.sessions) as session,
    ):
        yield runtime, session, Cooperative.from_runtime(runtime)


def _read(path: Path, limit: int, setting: str) -> bytes:
    """The file's bytes, its size checked against ``limit`` (``[limits] setting``)
    before it is read: a larger file is refused naming it, the limit and the setting."""
    try:
        bounded(str(path), path.stat().st_size, limit, setting)
        return path.read_bytes()
    except OSError as error:
        raise UsageError(str(path), f"cannot be read: {error.strerror}") from None


def instance_issuer(runtime: Runtime) -> Issuer:
    """The instance's issuer facts (checked when the runtime was built), or a
    configuration error naming ``instance.issuer``."""
    from partage.core.platform.issuer import required_issuer

    return required_issuer(runtime.config)


def write_output(path: Path, content: bytes) -> None:
    """Write a produced file, a usage error naming ``--output`` if it cannot be."""
    try:
        path.write_bytes(content)
    except OSError as error:
        raise UsageError("--output", f"{path} cannot be written: {error.strerror}") from None


def _issue(
    ctx: typer.Context,
    number: str,
    output: Path,
    produce: Callable[..., service.StoredFile],
    actor: str,
    language: str | None,
) -> None:
    with act(ctx) as (runtime, session, coop):
        stored = produce(
            session, coop, number, instance_issuer(runtime), actor=actor, language=language
        )
        wanted = Path(stored.filename).suffix.lower()
        if output.suffix.lower() != wanted:
            raise UsageError(
                "--output",
                f"{output.name}: the {stored.format} file of invoice {number} is a {wanted} file",
            )
    write_output(output, stored.content)
    state = "issued now" if stored.created else "as issued before"
    typer.echo(
        f"invoice {number}: {stored.format} ({state}, {len(stored.content)} bytes, "
        f"sha256 {stored.sha256}) written to {output}"
    )


@documents_app.command("pdf")
def pdf(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Invoice or credit note number.")],
    output: OutputOption,
    language: LanguageOption = None,
) -> None:
    """Write an invoice's PDF (produced and kept on first request)."""
    actor = cli_actor()
    from partage.core.documents import service

    _issue(ctx, number, output, service.invoice_pdf, actor, language)


@documents_app.command("quote-pdf")
def quote_pdf(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="Quote reference (its latest version).")],
    output: OutputOption,
    language: LanguageOption = None,
) -> None:
    """Write a quote's PDF, with its validity date and the client's agreement block."""
    from partage.core.documents import service

    with act(ctx) as (runtime, session, coop):
        stored = service.quote_pdf(
            session, coop, reference, instance_issuer(runtime), language=language
        )
    write_output(output, stored.content)
    typer.echo(f"quote {reference}: pdf ({len(stored.content)} bytes) written to {output}")


@documents_app.command("einvoice")
def einvoice(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="Invoice or credit note number.")],
    output: OutputOption,
    language: LanguageOption = None,
) -> None:
    """Write an invoice's e-invoice in the country's format (Peppol UBL .xml, Factur-X
    .pdf...), produced and kept on first request."""
    actor = cli_actor()
    from partage.core.documents import service

    _issue(ctx, number, output, service.invoice_einvoice, actor, language)


@documents_app.command("import-purchase")
def import_purchase(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Supplier e-invoice: UBL, CII or Factur-X.")],
    entity: Annotated[str, typer.Option("--entity", "-e", help="Entity that bought.")],
    category: Annotated[
        str | None,
        typer.Option(
            help="purchases or expenses (default: purchases; a credit note: its invoice's)."
        ),
    ] = None,
) -> None:
    """Book a supplier e-invoice or credit note for an entity (one purchase per VAT rate)."""
    actor = cli_actor()
    from partage.core.documents import importing

    with act(ctx) as (runtime, session, coop):
        content = _read(file, coop.limits.einvoice_bytes, "einvoice_bytes")
        issuer = instance_issuer(runtime) if runtime.config.instance.issuer is not None else None
        done = importing.import_purchase(
            session,
            coop,
            content,
            entity=entity,
            actor=actor,
            issuer=issuer,
            category=category,
        )
    document = done.document
    what = "credit note" if document.is_credit_note else "invoice"
    for warning in done.warnings:
        typer.echo(f"{file.name}: warning: {warning}")
    if done.replayed:
        typer.echo(f"{file.name}: {what} {document.number} was imported before; nothing booked")
        return
    typer.echo(
        f"{file.name}: {done.format} {what} {document.number} of {document.seller.name} "
        f"({document.total} {document.currency}) booked for {entity} as "
        f"{len(done.purchases)} {what}(s) from supplier {done.supplier}"
    )


@bank_app.command("import")
def bank_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Statement file: CAMT.053 or national format.")],
) -> None:
    """Import a bank statement: payments matched to open invoices, the rest queued."""
    actor = cli_actor()
    from partage.core.banking import statements

    with act(ctx) as (_runtime, session, coop):
        content = _read(file, coop.limits.statement_bytes, "statement_bytes")
        done = statements.import_statement(session, coop, content, filename=file.name, actor=actor)
    keys = ", ".join(done.statements)
    if done.replayed:
        typer.echo(f"{file.name}: statement {keys} imported before; nothing changed")
        return
    typer.echo(
        f"{file.name}: statement {keys}: {done.new} transactions, {done.matched} matched "
        f"({done.refunds} supplier refunds), {done.paid_out} paid out, {done.queued} queued"
    )


@bank_app.command("queue")
def bank_queue(ctx: typer.Context, fmt: FormatOption = Format.TABLE) -> None:
    """The reconciliation queue: money in no rule could match, oldest first, with why."""
    from partage.core.banking import reconciliation
    from partage.core.contract.money import from_minor

    with options_of(ctx).runtime() as runtime:
        currency = runtime.config.instance.currency
        with runtime.sessions() as session:
            rows = [
                [
                    row.id,
                    row.booked_on,
                    from_minor(row.amount, currency) * (1 if row.credit else -1),
                    row.counterparty_name or "",
                    row.counterparty_iban or "",
                    row.structured_reference or row.remittance or "",
                    row.note or "",
                ]
                for row in reconciliation.queue(session)
            ]
    headers = ["id", "booked", "amount", "counterparty", "iban", "communication", "why"]
    typer.echo(render(headers, rows, fmt) if rows or fmt is not Format.TABLE else "queue empty")


@bank_app.command("settle")
def bank_settle(
    ctx: typer.Context,
    transaction_id: Annotated[int, typer.Argument(help="Queued transaction (bank queue).")],
    entity: Annotated[str | None, typer.Option(help="Entity the payment is for.")] = None,
    client: Annotated[str | None, typer.Option(help="Client who paid.")] = None,
    invoices: Annotated[
        list[str] | None,
        typer.Option("--invoice", help="NUMBER=AMOUNT it settles (repeat; default: oldest)."),
    ] = None,
    credit_note: Annotated[
        int | None, typer.Option(help="Supplier credit note it refunds (purchase id).")
    ] = None,
    charge: Annotated[
        bool, typer.Option("--charge", help="Money out: a bank charge of --entity.")
    ] = False,
) -> None:
    """Say what a queued transaction is: a client's payment, a supplier's refund, or a
    bank charge of an entity."""
    actor = cli_actor()
    from partage.core.banking import reconciliation
    from partage.core.contract.money import from_minor

    allocations = [_allocation(text) for text in invoices or ()]
    with act(ctx) as (_runtime, session, coop):
        row = reconciliation.settle_queued(
            session,
            coop,
            transaction_id,
            actor=actor,
            entity=entity,
            client=client,
            allocations=allocations or None,
            credit_note=credit_note,
            charge=charge,
        )
        amount = from_minor(row.amount, coop.currency)
    what = f"refund of credit note {credit_note}" if credit_note else f"payment of {client}"
    if charge:
        what = f"bank charge of {entity}"
    typer.echo(f"bank transaction {transaction_id}: {amount} {coop.currency} posted as {what}")


def _allocation(text: str) -> tuple[str, str]:
    number, _, amount = text.partition("=")
    if not number.strip() or not amount.strip():
        raise UsageError("--invoice", f"{text!r} is not NUMBER=AMOUNT")
    return number.strip(), amount.strip()


@bank_app.command("pay")
def bank_pay(
    ctx: typer.Context,
    output: OutputOption,
    on: Annotated[str, typer.Option("--date", help="Execution date, YYYY-MM-DD.")],
    kinds: Annotated[
        list[str] | None,
        typer.Option("--kind", help="salaries, expenses or suppliers (repeat; default: all)."),
    ] = None,
) -> None:
    """Gather what is due into a SEPA pain.001 file, within each entity's means."""
    actor = cli_actor()
    from partage.core.banking import sepa
    from partage.core.banking.affordability import PRIORITY
    from partage.core.banking.models import OrderKind
    from partage.core.contract.money import from_minor

    day = parse_day("--date", on)
    unknown = [k for k in kinds or () if k not in KINDS]
    if unknown:
        raise UsageError("--kind", f"{unknown[0]!r} is not one of {', '.join(KINDS)}")
    chosen = [OrderKind(KINDS[k]) for k in kinds] if kinds else list(PRIORITY)
    with act(ctx) as (runtime, session, coop):
        done = sepa.build_batch(
            session, coop, instance_issuer(runtime), execution_on=day, actor=actor, kinds=chosen
        )
    for held in done.held:
        typer.echo(f"held: {held.item.kind} {held.item.subject_id}: {held.reason}")
    if done.batch is None:
        typer.echo("nothing can be paid: no file written")
        return
    write_output(output, done.batch.content)
    typer.echo(
        f"batch {done.batch.reference}: {done.batch.count} transfers, "
        f"{from_minor(done.batch.total, coop.currency)} {coop.currency} written to {output}"
    )


class AccountState(enum.StrEnum):
    """``--status`` of ``bank payees list``: the values of
    :class:`~partage.core.banking.models.PayeeStatus`, named here so that the help needs
    no database model."""

    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    REPLACED = "replaced"


@payees_app.command("list")
def payees_list(
    ctx: typer.Context,
    status: Annotated[
        AccountState | None,
        typer.Option(help="Only accounts in this state (pending: the queue)."),
    ] = None,
    supplier: Annotated[str | None, typer.Option(help="Only this supplier's accounts.")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Suppliers' bank accounts, those waiting for a decision first, with who brought
    each in and who decided."""
    from partage.core.banking import payees
    from partage.core.banking.models import PayeeStatus
    from partage.core.members.service import party_by_code

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        party_ids = [party_by_code(session, supplier).id] if supplier else None
        rows = [
            [
                account.id,
                party.code,
                party.name,
                account.iban,
                account.bic or "",
                account.status,
                account.source,
                account.document or "",
                account.proposed_by,
                account.decided_by or "",
                account.reason or "",
            ]
            for account, party in payees.accounts(
                session,
                statuses=[PayeeStatus(status.value)] if status else None,
                party_ids=party_ids,
            )
        ]
    headers = [
        "id",
        "supplier",
        "name",
        "iban",
        "bic",
        "status",
        "source",
        "document",
        "brought_in_by",
        "decided_by",
        "reason",
    ]
    typer.echo(render(headers, rows, fmt) if rows or fmt is not Format.TABLE else "no account")


@payees_app.command("set")
def payees_set(
    ctx: typer.Context,
    supplier: Annotated[str, typer.Argument(help="Supplier code (C000004).")],
    iban: Annotated[str, typer.Argument(help="The account's IBAN.")],
    login: LoginOption,
    bic: Annotated[str | None, typer.Option(help="The account's BIC.")] = None,
) -> None:
    """Enter a supplier's account as staff: verified at once, the previous one kept as
    replaced."""
    from partage.core.access.roles import staff_principal
    from partage.core.banking import payees

    with act(ctx) as (_runtime, session, _coop):
        me = staff_principal(session, login)
        row = payees.enter_account(session, supplier, iban, bic, actor=me.actor)
        shown = row.id, row.iban
    typer.echo(f"supplier {supplier}: account {shown[0]} ({shown[1]}) verified by {me.actor}")


@payees_app.command("confirm")
def payees_confirm(
    ctx: typer.Context,
    account: Annotated[int, typer.Argument(help="The pending account's id (payees list).")],
    login: LoginOption,
) -> None:
    """Confirm a pending account (not by the login that brought it in): the supplier is
    paid into it from now on."""
    from partage.core.access.roles import staff_principal
    from partage.core.banking import payees

    with act(ctx) as (_runtime, session, _coop):
        me = staff_principal(session, login)
        shown = payees.confirm_account(session, account, actor=me.actor).iban
    typer.echo(f"account {account} ({shown}) confirmed by {me.actor}")


@payees_app.command("reject")
def payees_reject(
    ctx: typer.Context,
    account: Annotated[int, typer.Argument(help="The pending account's id (payees list).")],
    login: LoginOption,
    reason: Annotated[str, typer.Option(help="Why it is rejected.")],
) -> None:
    """Reject a pending account: nothing is paid into it; the invoices that named it are
    paid into the supplier's verified account."""
    from partage.core.access.roles import staff_principal
    from partage.core.banking import payees

    with act(ctx) as (_runtime, session, _coop):
        me = staff_principal(session, login)
        shown = payees.reject_account(session, account, actor=me.actor, reason=reason).iban
    typer.echo(f"account {account} ({shown}) rejected by {me.actor}")


class PendingState(enum.StrEnum):
    """``--status`` of ``bank pending list``: the values of
    :class:`~partage.core.acts.models.PendingStatus`, named here so that the help needs
    no database model."""

    PENDING = "pending"
    VALIDATED = "validated"
    REFUSED = "refused"


@pending_app.command("list")
def pending_list(
    ctx: typer.Context,
    status: Annotated[
        PendingState | None, typer.Option(help="Only acts in this state (pending: the queue).")
    ] = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity's acts.")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Acts that count only once staff validate them, those waiting first, with why
    each waits, who entered it and who decided."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.acts.models import PendingStatus
    from partage.core.banking import pending
    from partage.core.members.service import entity_by_code

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        ids = [entity_by_code(session, entity, open_only=False).id] if entity else None
        rows = [
            [
                row.id,
                row.entity,
                row.kind,
                row.on.isoformat(),
                row.what,
                str(row.amount),
                row.status,
                row.entered_by,
                row.decided_by or "",
                row.reason or row.rule,
            ]
            for row in pending.listing(
                session,
                Cooperative.from_runtime(runtime),
                entity_ids=ids,
                statuses=[PendingStatus(status.value)] if status else None,
            )
        ]
    headers = [
        "id",
        "entity",
        "kind",
        "on",
        "what",
        "amount",
        "status",
        "entered_by",
        "decided_by",
        "why",
    ]
    typer.echo(render(headers, rows, fmt) if rows or fmt is not Format.TABLE else "no act")


def _decidable(session: Session, login: str, pending_id: int) -> str:
    """The actor of a staff login that may decide on the act: of its entity's office,
    or an administrator."""
    from partage.core.access.roles import reachable_entity, staff_principal
    from partage.core.banking import pending

    me = staff_principal(session, login)
    reachable_entity(session, me, pending.entity_of(session, pending_id).code)
    return me.actor


@pending_app.command("validate")
def pending_validate(
    ctx: typer.Context,
    pending_id: Annotated[int, typer.Argument(help="The act's id (pending list).")],
    login: LoginOption,
    on: Annotated[
        str | None, typer.Option(help="Day of the funds check (YYYY-MM-DD; default today).")
    ] = None,
) -> None:
    """Validate an act (not by the login that entered it): it is posted on its own date
    and counts from now on."""

    from partage.core.banking import pending

    day = parse_day("--on", on) if on else clock.today()
    with act(ctx) as (_runtime, session, coop):
        actor = _decidable(session, login, pending_id)
        pending.validate(session, coop, pending_id, actor=actor, on=day)
    typer.echo(f"act {pending_id} validated by {actor}: it counts from now on")


@pending_app.command("refuse")
def pending_refuse(
    ctx: typer.Context,
    pending_id: Annotated[int, typer.Argument(help="The act's id (pending list).")],
    login: LoginOption,
    reason: Annotated[str, typer.Option(help="Why it is refused.")],
) -> None:
    """Refuse an act: it is never posted and never counts."""
    from partage.core.banking import pending

    with act(ctx) as (_runtime, session, _coop):
        actor = _decidable(session, login, pending_id)
        pending.refuse(session, pending_id, actor=actor, reason=reason)
    typer.echo(f"act {pending_id} refused by {actor}")

"""``partage sales ...``: quotes, invoices, deposits and balances, credit notes and
payments declared, from the command line, through the same services as the API and the
pages, one transaction each.

A line is written ``DESCRIPTION;QUANTITY;UNIT PRICE`` followed, optionally, by
``;UNIT;RATE CODE;DISCOUNT;SUPPLY`` (``Design;10;65;hour;standard;10%``); a discount
ending in ``%`` is a percentage, else an amount. A refused act writes nothing and ends
with a one-line message naming the field and the rule (status 2).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from partage.core.cli.books import UsageError, parse_day
from partage.core.cli.documents import act
from partage.core.cli.options import LoginOption, cli_actor

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from partage.core.sales.invoices import Discount, LineInput

sales_app = typer.Typer(
    help="Sales: quotes, invoices, deposits and balances, credit notes, payments declared.",
    no_args_is_help=True,
)

EntityOption = Annotated[str, typer.Option("--entity", help="The entity's code.")]
ClientOption = Annotated[str, typer.Option("--client", help="The client's code.")]
LinesOption = Annotated[
    list[str],
    typer.Option(
        "--line",
        help="DESCRIPTION;QUANTITY;UNIT PRICE[;UNIT;RATE CODE;DISCOUNT;SUPPLY] (repeat).",
    ),
]
DiscountOption = Annotated[
    str | None, typer.Option("--discount", help="The document's discount: 5% or an amount.")
]
NotesOption = Annotated[str, typer.Option("--notes", help="Free text printed on the document.")]
DateOption = Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")]


def discount(text: str | None) -> Discount:
    """``5%`` is a percentage, ``25.00`` an amount, nothing none."""
    from partage.core.sales.invoices import Discount

    raw = (text or "").strip().replace(" ", "")
    if not raw:
        return Discount()
    return Discount(percent=raw[:-1]) if raw.endswith("%") else Discount(amount=raw)


def line(text: str) -> LineInput:
    """One ``--line``, or a :class:`UsageError` naming it."""
    from partage.core.sales.invoices import LineInput

    parts = [p.strip() for p in text.split(";")]
    if len(parts) < 3 or len(parts) > 7:
        raise UsageError("--line", f"{text!r} is not DESCRIPTION;QUANTITY;UNIT PRICE[;...]")
    parts += [""] * (7 - len(parts))
    description, quantity, price, unit, rate, off, supply = parts
    given = discount(off)
    return LineInput(
        description, quantity, price, rate_code=rate or None, supply=supply or "services",
        unit=unit or "unit", discount_percent=given.percent, discount_amount=given.amount,
    )  # fmt: skip


def _money(minor: int, currency: str) -> str:
    from partage.core.contract.money import from_minor

    return f"{from_minor(minor, currency)} {currency}"


def _day(text: str | None) -> date:
    from partage.core.platform import clock

    return parse_day("--date", text) if text else clock.today()


@sales_app.command("quote")
def quote(
    ctx: typer.Context,
    entity: EntityOption,
    client: ClientOption,
    lines: LinesOption,
    off: DiscountOption = None,
    notes: NotesOption = "",
    on: DateOption = None,
    valid_days: Annotated[int, typer.Option(help="Days the quote is valid.")] = 30,
) -> None:
    """Send a quote of several lines in an entity's name."""
    actor = cli_actor()
    from partage.core.sales import invoices

    given = [line(text) for text in lines]
    with act(ctx) as (_, session, coop):
        made = invoices.send_quote(
            session, coop, entity=entity, client=client, lines=given, on=_day(on),
            valid_days=valid_days, actor=actor, discount=discount(off) or None, notes=notes,
        )  # fmt: skip
        typer.echo(
            f"quote {made.reference}: {_money(made.net, coop.currency)} excl. VAT, "
            f"{_money(made.vat, coop.currency)} VAT"
        )


@sales_app.command("decide")
def decide(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The quote's reference.")],
    accept: Annotated[bool, typer.Option("--accept/--refuse", help="The client's answer.")],
    on: DateOption = None,
) -> None:
    """Record the client's answer to a quote."""
    actor = cli_actor()
    from partage.core.sales import invoices

    with act(ctx) as (_, session, coop):
        done = invoices.decide_quote(
            session, coop, reference, accept=accept, on=_day(on), actor=actor
        )
        typer.echo(f"quote {reference}: {done.status}")


@sales_app.command("invoice")
def invoice(
    ctx: typer.Context,
    entity: EntityOption,
    client: ClientOption,
    lines: LinesOption,
    off: DiscountOption = None,
    notes: NotesOption = "",
    on: DateOption = None,
    supplied: Annotated[
        str | None,
        typer.Option(
            "--supplied",
            help="YYYY-MM-DD: the day of delivery or service, when not the invoice date "
            "(printed on the invoice as the law requires).",
        ),
    ] = None,
) -> None:
    """Issue an invoice of several lines in an entity's name."""
    actor = cli_actor()
    from partage.core.sales import invoices

    given = [line(text) for text in lines]
    with act(ctx) as (_, session, coop):
        made = invoices.issue_invoice(
            session, coop, entity=entity, client=client, lines=given, on=_day(on),
            actor=actor, discount=discount(off) or None, notes=notes,
            supplied_on=parse_day("--supplied", supplied) if supplied else None,
        )  # fmt: skip
        typer.echo(
            f"invoice {made.number}: {_money(made.net, coop.currency)} excl. VAT, "
            f"{_money(made.vat, coop.currency)} VAT"
        )


@sales_app.command("deposit")
def deposit(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The accepted quote's reference.")],
    amount: Annotated[str, typer.Option("--amount", help="30% of the quote, or an amount.")],
    on: DateOption = None,
) -> None:
    """Invoice a deposit on an accepted quote."""
    actor = cli_actor()
    from partage.core.sales import invoices

    given = discount(amount)
    with act(ctx) as (_, session, coop):
        made = invoices.issue_deposit(
            session, coop, quote=reference, on=_day(on), actor=actor,
            percent=given.percent, amount=given.amount,
        )  # fmt: skip
        typer.echo(f"deposit invoice {made.number}: {_money(made.net, coop.currency)} excl. VAT")


@sales_app.command("balance")
def balance(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The accepted quote's reference.")],
    on: DateOption = None,
) -> None:
    """Invoice the balance of an accepted quote, less the deposits invoiced on it."""
    actor = cli_actor()
    from partage.core.sales import invoices

    with act(ctx) as (_, session, coop):
        made = invoices.issue_balance(session, coop, quote=reference, on=_day(on), actor=actor)
        typer.echo(f"balance invoice {made.number}: {_money(made.net, coop.currency)} excl. VAT")


@sales_app.command("credit-note")
def credit_note(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The invoice to credit.")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
    lines: Annotated[
        list[str] | None, typer.Option("--line", help="Lines to credit (default: all).")
    ] = None,
    on: DateOption = None,
) -> None:
    """Credit an invoice in full, or by the lines given."""
    actor = cli_actor()
    from partage.core.sales import credit_notes

    given = [line(text) for text in lines] if lines else None
    with act(ctx) as (_, session, coop):
        made = credit_notes.issue_credit_note(
            session, coop, invoice=number, on=_day(on), actor=actor, reason=reason, lines=given,
        )  # fmt: skip
        typer.echo(f"credit note {made.number}: {_money(made.net, coop.currency)} excl. VAT")


@sales_app.command("payment")
def payment(
    ctx: typer.Context,
    entity: EntityOption,
    client: ClientOption,
    amount: Annotated[str, typer.Option("--amount", help="The amount received.")],
    method: Annotated[str, typer.Option("--method", help="cash or cheque.")],
    key: Annotated[str, typer.Option("--key", help="An identifier of this declaration.")],
    on: DateOption = None,
    reference: Annotated[str, typer.Option("--reference", help="Cheque number.")] = "",
) -> None:
    """Declare cash or a cheque received: it waits for the office's staff. Transfers
    come with the bank statement (``partage bank import``)."""
    actor = cli_actor()
    from partage.core.sales import payments

    if method not in payments.DECLARED:
        raise UsageError("--method", f"{method!r}: declare cash or cheque")
    with act(ctx) as (_, session, coop):
        received = payments.receive_payment(
            session, coop, key=key, entity=entity, client=client, amount=amount,
            on=_day(on), actor=actor, method=method, reference=reference,
        )  # fmt: skip
        typer.echo(f"payment {received.payment.id}: {received.status}")


def _staff(session: Session, login: str, draft_id: int) -> str:
    """The actor of a staff login that reaches the draft's entity."""
    from partage.core.access.roles import reachable_entity, staff_principal
    from partage.core.members.models import Entity
    from partage.core.sales import drafts

    me = staff_principal(session, login)
    draft = drafts.draft_of(session, draft_id)
    reachable_entity(session, me, session.get_one(Entity, draft.entity_id).code)
    return me.actor


@sales_app.command("drafts")
def drafts_awaiting(ctx: typer.Context, login: LoginOption) -> None:
    """The drafts awaiting the validation of the login's office."""
    from sqlalchemy import select

    from partage.core.access.roles import entity_scope, staff_principal
    from partage.core.members.models import Entity
    from partage.core.sales import drafts

    with act(ctx) as (_, session, _coop):
        me = staff_principal(session, login)
        reached = list(session.scalars(select(Entity.id).where(entity_scope(me))))
        for draft in drafts.awaiting(session, reached):
            entity = session.get_one(Entity, draft.entity_id)
            typer.echo(f"draft {draft.id}: {draft.kind} of {entity.code} by {draft.submitted_by}")


@sales_app.command("validate-draft")
def validate_draft(
    ctx: typer.Context,
    draft_id: Annotated[int, typer.Argument(help="The draft's id.")],
    login: LoginOption,
    on: DateOption = None,
) -> None:
    """Validate a submitted draft: it is issued now, numbered."""
    from partage.core.sales import drafts

    with act(ctx) as (_, session, coop):
        actor = _staff(session, login, draft_id)
        done = drafts.validate_draft(session, coop, draft_id, on=_day(on), actor=actor)
        typer.echo(f"draft {draft_id}: {done.kind} {done.issued} issued")


@sales_app.command("return-draft")
def return_draft(
    ctx: typer.Context,
    draft_id: Annotated[int, typer.Argument(help="The draft's id.")],
    login: LoginOption,
    reason: Annotated[str, typer.Option("--reason", help="Why it goes back.")],
) -> None:
    """Return a submitted draft to its holder, saying why."""
    from partage.core.sales import drafts

    with act(ctx) as (_, session, _coop):
        actor = _staff(session, login, draft_id)
        drafts.return_draft(session, draft_id, reason=reason, actor=actor)
        typer.echo(f"draft {draft_id}: returned")

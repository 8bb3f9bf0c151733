"""``partage acts ...``: an entity's other economic acts from the command line — a paper
supplier invoice with its file, expenses with a receipt each, invoices between
entities and their acceptance, copyright cessions, subsidies, gifts and sponsorship.

Each runs in one transaction through the same services as the web and the API, so
the same rules refuse the same input: what spends is checked against the entity's
funds, a subsidy or a gift waits for staff (``partage bank pending``). Dates are today
unless ``--on`` says otherwise. The actor is ``PARTAGE_ACTOR`` or the system user.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from partage.core.cli.documents import _read, act
from partage.core.cli.options import cli_actor
from partage.core.cli.output import Format, FormatOption, render

acts_app = typer.Typer(
    help="An entity's other acts: paper purchases, expenses, internal invoices, copyright, "
    "subsidies, gifts and sponsorship.",
    no_args_is_help=True,
)

EntityOption = Annotated[str, typer.Option("--entity", "-e", help="The entity's code (E000001).")]
OnOption = Annotated[
    str | None, typer.Option("--on", help="The act's date, YYYY-MM-DD (default: today).")
]


def _on(given: str | None) -> date:
    from partage.core.platform import clock

    if given is None:
        return clock.today()
    try:
        return date.fromisoformat(given)
    except ValueError:
        raise typer.BadParameter(f"{given!r} is not a date", param_hint="--on") from None


@acts_app.command("paper-purchase")
def paper_purchase(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The supplier's invoice: a PDF or an image.")],
    entity: EntityOption,
    supplier: Annotated[str, typer.Option("--supplier", help="The supplier's code.")],
    number: Annotated[str, typer.Option("--number", help="The supplier's invoice number.")],
    net: Annotated[str, typer.Option("--net", help="Amount excluding VAT.")],
    category: Annotated[str, typer.Option(help="purchases or expenses.")] = "purchases",
    rate: Annotated[str | None, typer.Option("--rate", help="The VAT rate code.")] = None,
    description: Annotated[str, typer.Option(help="What was bought.")] = "",
    on: OnOption = None,
) -> None:
    """Book a supplier invoice that came on paper, with its file, within the funds."""
    from partage.core.spending import purchases

    actor = cli_actor()
    with act(ctx) as (_, session, coop):
        content = _read(file, coop.limits.receipt_bytes, "receipt_bytes")
        row = purchases.record_paper_purchase(
            session,
            coop,
            entity=entity,
            supplier=supplier,
            supplier_reference=number,
            net=net,
            on=_on(on),
            actor=actor,
            receipt_name=file.name,
            receipt=content,
            category=category,
            rate_code=rate,
            description=description,
        )
        shown = (row.id, row.supplier_reference)
    typer.echo(f"purchase {shown[0]}: invoice {shown[1]} of {supplier} booked for {entity}")


@acts_app.command("expenses")
def claim_expenses(
    ctx: typer.Context,
    entity: EntityOption,
    member: Annotated[int, typer.Option("--member", help="The holder who paid.")],
    lines: Annotated[
        list[str],
        typer.Argument(help="One per receipt: CATEGORY:NET:FILE (travel:20.00:train.pdf)."),
    ],
    on: OnOption = None,
) -> None:
    """Claim several expenses at once, each with its receipt; all or none."""
    from partage.core.spending import expenses

    actor = cli_actor()
    with act(ctx) as (_, session, coop):
        parsed = []
        for n, line in enumerate(lines, start=1):
            parts = line.split(":", 2)
            if len(parts) != 3:
                raise typer.BadParameter(f"line {n}: {line!r} is not CATEGORY:NET:FILE")
            category, net, name = parts
            path = Path(name)
            parsed.append(
                expenses.ExpenseLine(
                    category=category,
                    net=net,
                    receipt_name=path.name,
                    receipt=_read(path, coop.limits.receipt_bytes, "receipt_bytes"),
                )
            )
        claims = expenses.claim_expenses(
            session, coop, entity=entity, member=member, lines=parsed, on=_on(on), actor=actor
        )
        ids = [c.id for c in claims]
    typer.echo(f"{len(ids)} expense(s) claimed for {entity}: {', '.join(map(str, ids))}")


@acts_app.command("internal-invoice")
def internal_invoice(
    ctx: typer.Context,
    entity: Annotated[str, typer.Option("--entity", "-e", help="The seller entity.")],
    buyer: Annotated[str, typer.Option("--buyer", help="The buyer entity.")],
    amount: Annotated[str, typer.Option("--amount", help="The amount (no VAT).")],
    description: Annotated[str, typer.Option("--description", help="The work invoiced.")],
    on: OnOption = None,
) -> None:
    """Invoice another entity of the cooperative; nothing moves until it accepts."""
    from partage.core.spending import internal_invoices

    actor = cli_actor()
    with act(ctx) as (_, session, coop):
        row = internal_invoices.propose_internal_invoice(
            session,
            coop,
            seller=entity,
            buyer=buyer,
            amount=amount,
            description=description,
            on=_on(on),
            actor=actor,
        )
        number = row.number
    typer.echo(f"internal invoice {number} from {entity} to {buyer}: waits for its holder")


@acts_app.command("internal-decide")
def internal_decide(
    ctx: typer.Context,
    number: Annotated[str, typer.Argument(help="The internal invoice's number.")],
    member: Annotated[int, typer.Option("--member", help="The buyer's holder deciding.")],
    accept: Annotated[bool, typer.Option("--accept/--refuse", help="Accept or refuse.")],
    reason: Annotated[str, typer.Option(help="Why (a refusal).")] = "",
    on: OnOption = None,
) -> None:
    """The buyer's holder accepts (within its funds) or refuses an internal invoice."""
    from partage.core.spending import internal_invoices

    actor = cli_actor()
    with act(ctx) as (_, session, coop):
        row = internal_invoices.decide_internal_invoice(
            session,
            coop,
            number,
            accept=accept,
            by_member=member,
            on=_on(on),
            actor=actor,
            reason=reason,
        )
        status = row.status
    typer.echo(f"internal invoice {number}: {status}")


@acts_app.command("internal-list")
def internal_list(
    ctx: typer.Context, entity: EntityOption, fmt: FormatOption = Format.TABLE
) -> None:
    """The internal invoices an entity sent or received, those waiting first."""
    from partage.core.members.service import entity_by_code
    from partage.core.web.spending.views import internal_invoices

    with act(ctx) as (_, session, coop):
        rows = internal_invoices(session, coop, entity_by_code(session, entity))
    headers = ["number", "on", "seller", "buyer", "amount", "status", "description"]
    typer.echo(
        render(
            headers,
            [[r.number, r.on, r.seller, r.buyer, r.amount, r.status, r.description] for r in rows],
            fmt,
        )
    )


@acts_app.command("copyright")
def cede(
    ctx: typer.Context,
    entity: EntityOption,
    member: Annotated[int, typer.Option("--member", help="The holder, author of the work.")],
    work: Annotated[str, typer.Option("--work", help="The work whose rights are ceded.")],
    amount: Annotated[str, typer.Option("--amount", help="The amount paid for the rights.")],
    on: OnOption = None,
) -> None:
    """Cede a holder's copyright on a work to the entity, where the country allows it."""
    from partage.core.contract.money import from_minor
    from partage.core.spending import copyright

    actor = cli_actor()
    with act(ctx) as (_, session, coop):
        row = copyright.cede_copyright(
            session,
            coop,
            entity=entity,
            member=member,
            work=work,
            amount=amount,
            on=_on(on),
            actor=actor,
        )
        withheld = from_minor(row.withholding, coop.currency)
    typer.echo(f"copyright cession of {work!r} recorded for {entity}; withheld {withheld}")


@acts_app.command("income")
def income(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="subsidy or patronage (a gift).")],
    entity: EntityOption,
    funder: Annotated[str, typer.Option("--funder", help="Who paid (a party's code).")],
    amount: Annotated[str, typer.Option("--amount", help="The amount received.")],
    reference: Annotated[str, typer.Option(help="The grant's or donor's reference.")] = "",
    on: OnOption = None,
) -> None:
    """Declare a subsidy or a gift received; it counts once staff validate it."""
    from partage.core.spending import other_income

    actor = cli_actor()
    with act(ctx) as (_, session, coop):
        row = other_income.record_other_income(
            session,
            coop,
            kind=kind,
            entity=entity,
            funder=funder,
            amount=amount,
            on=_on(on),
            actor=actor,
            reference_=reference,
        )
        shown = row.id
    typer.echo(f"{kind} {shown} for {entity}: waits for staff to validate it")


@acts_app.command("sponsorship")
def sponsorship(
    ctx: typer.Context,
    entity: EntityOption,
    sponsor: Annotated[str, typer.Option("--sponsor", help="The sponsor (a client's code).")],
    amount: Annotated[str, typer.Option("--amount", help="Amount excluding VAT.")],
    description: Annotated[str, typer.Option("--description", help="What the sponsor gets.")],
    on: OnOption = None,
) -> None:
    """Invoice a sponsorship to the sponsor, with its VAT."""
    from partage.core.spending import other_income

    actor = cli_actor()
    with act(ctx) as (_, session, coop):
        _, number = other_income.invoice_sponsorship(
            session,
            coop,
            entity=entity,
            sponsor=sponsor,
            amount=amount,
            description=description,
            on=_on(on),
            actor=actor,
        )
    typer.echo(f"sponsorship invoiced to {sponsor}: invoice {number}")

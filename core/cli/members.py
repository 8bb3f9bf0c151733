"""``partage members ...``: applications to join, the ethics committee's decisions, the
register of members.

For advisers entering an application for a person (``apply``: no email verification,
the adviser saw the person), the ethics committee and the administrators. An
application is admitted at once or goes to the committee as its sector and office
require (:mod:`partage.core.members.review`); admitting subscribes the class's shares.
The member's login and its invitation are made on the web (an application verified or
decided there) or with ``partage login``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render

if TYPE_CHECKING:
    from partage.core.platform.runtime import Runtime

members_app = typer.Typer(
    help="Members: applications to join, the ethics committee's decisions, the register.",
    no_args_is_help=True,
)

CodeArgument = Annotated[str, typer.Argument(help="The application's code (A000012).")]


def _runtime(ctx: typer.Context) -> Runtime:
    return options_of(ctx).runtime()


@members_app.command("apply")
def apply(
    ctx: typer.Context,
    first_name: Annotated[str, typer.Option("--first-name", help="As on the identity card.")],
    last_name: Annotated[str, typer.Option("--last-name", help="As on the identity card.")],
    national_id: Annotated[str, typer.Option("--national-id", help="The national number.")],
    iban: Annotated[str, typer.Option("--iban", help="Bank account for pay and refunds.")],
    address: Annotated[str, typer.Option("--address", help="Postal address.")],
    email: Annotated[str, typer.Option("--email", help="Email address.")],
    language: Annotated[str, typer.Option("--language", help="Language code (fr, nl...).")],
    office: Annotated[str, typer.Option("--office", help="The office's code.")],
    trade: Annotated[str, typer.Option("--trade", help="The trade, in the person's words.")],
    activity: Annotated[str, typer.Option("--activity", help="The intended activity.")],
    clients: Annotated[str, typer.Option("--clients", help="The intended clients.")],
    sector: Annotated[
        str | None, typer.Option("--sector", help="The sector plugin of the trade.")
    ] = None,
    answers: Annotated[
        str, typer.Option("--answers", help='The sector\'s answers as JSON {"code": "answer"}.')
    ] = "{}",
    share_class: Annotated[str, typer.Option("--class", help="The share class.")] = "A",
) -> None:
    """Enter an application for a person: admitted at once or sent to the committee."""
    actor = cli_actor()
    from partage.core.acts.cooperative import Cooperative, InvalidAct
    from partage.core.members import review
    from partage.core.members.membership import PersonDetails
    from partage.core.platform.db.engine import transaction

    try:
        given = json.loads(answers)
    except json.JSONDecodeError as bad:
        raise InvalidAct("answers", f"must be a JSON object: {bad.msg}") from None
    if not isinstance(given, dict):
        raise InvalidAct("answers", 'must be a JSON object {"code": "answer"}')
    person = PersonDetails(first_name, last_name, national_id, iban, address, email, language)
    with _runtime(ctx) as runtime:
        coop = Cooperative.from_runtime(runtime)
        minimum = {c.code: c.minimum for c in coop.instance.share_classes}.get(share_class, 1)
        with transaction(runtime.sessions) as session:
            made = review.submit_application(
                session,
                coop,
                person,
                office=office,
                trade=trade,
                activity=activity,
                clients=clients,
                on=coop.today(),
                actor=actor,
                sector=sector,
                answers={str(k): str(v) for k, v in given.items()},
                share_class=share_class,
                shares=minimum,
            )
            code, status = made.code, made.status
    typer.echo(f"application {code}: {status}")


@members_app.command("applications")
def applications(
    ctx: typer.Context,
    status: Annotated[
        str | None, typer.Option("--status", help="Only the applications in this state.")
    ] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Applications, the newest first, as the ethics committee reads them."""
    from partage.core.web.entities.applications import applications as listed

    with _runtime(ctx) as runtime, runtime.sessions() as session:
        found = listed(session, status)
    rows: list[list[Any]] = [
        [
            a.code,
            a.applicant,
            a.office,
            a.sector or "",
            a.trade,
            a.status,
            a.submitted_on.isoformat(),
            "; ".join(f"{d.stage} {d.decision}: {d.reasons}" for d in a.decisions),
        ]
        for a in found
    ]
    headers = ["code", "applicant", "office", "sector", "trade", "status", "submitted", "decisions"]
    typer.echo(render(headers, rows, fmt))


@members_app.command("decide")
def decide(
    ctx: typer.Context,
    code: CodeArgument,
    decision: Annotated[str, typer.Option("--decision", help="admit or refuse.")],
    reasons: Annotated[str, typer.Option("--reasons", help="Why, as the committee says.")],
) -> None:
    """Record the ethics committee's decision on an application, with its reasons."""
    actor = cli_actor()
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members import review
    from partage.core.platform.db.engine import transaction

    with _runtime(ctx) as runtime:
        coop = Cooperative.from_runtime(runtime)
        with transaction(runtime.sessions) as session:
            found = review.decide(
                session,
                coop,
                code,
                decision=decision,
                reasons=reasons,
                on=coop.today(),
                actor=actor,
            )
            status = found.status
    typer.echo(f"application {code}: {status}")


@members_app.command("appeal")
def appeal(
    ctx: typer.Context,
    code: CodeArgument,
    grounds: Annotated[str, typer.Option("--grounds", help="Why the committee should change.")],
) -> None:
    """Record a refused applicant's appeal (once) for the committee to decide again."""
    actor = cli_actor()
    from partage.core.members import review
    from partage.core.platform import clock
    from partage.core.platform.db.engine import transaction

    with _runtime(ctx) as runtime, transaction(runtime.sessions) as session:
        found = review.appeal(session, code, grounds=grounds, on=clock.today(), actor=actor)
        status = found.status
    typer.echo(f"application {code}: {status}")


@members_app.command("register")
def register(ctx: typer.Context) -> None:
    """Print the register of members and their shares as CSV."""
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members.membership import register_csv

    with _runtime(ctx) as runtime, runtime.sessions() as session:
        typer.echo(register_csv(session, Cooperative.from_runtime(runtime)), nl=False)


@members_app.command("movements")
def movements(
    ctx: typer.Context,
    pdf: Annotated[
        str | None, typer.Option("--pdf", help="Write the register as a PDF to this file.")
    ] = None,
) -> None:
    """Print the register's share movements as CSV, each with its date (or write the PDF)."""
    from pathlib import Path

    from partage.core.acts.cooperative import Cooperative
    from partage.core.documents import member_register

    with _runtime(ctx) as runtime, runtime.sessions() as session:
        coop = Cooperative.from_runtime(runtime)
        if pdf is None:
            typer.echo(member_register.movements_csv(session, coop), nl=False)
            return
        Path(pdf).write_bytes(member_register.register_pdf(session, coop, coop.today()))
    typer.echo(f"register of members written to {pdf}")


@members_app.command("certificate")
def certificate(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The member's number.")],
    output: Annotated[str, typer.Option("--output", help="The PDF file to write.")],
) -> None:
    """Write a member's membership certificate as a PDF."""
    from pathlib import Path

    from partage.core.acts.cooperative import Cooperative
    from partage.core.documents import member_register

    with _runtime(ctx) as runtime, runtime.sessions() as session:
        coop = Cooperative.from_runtime(runtime)
        content = member_register.certificate_pdf(session, coop, number, coop.today())
    Path(output).write_bytes(content)
    typer.echo(f"certificate of member {number} written to {output}")


@members_app.command("redeem")
def redeem(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The member's number.")],
    quantity: Annotated[int, typer.Argument(help="How many shares to repay at nominal.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (audit log).")],
    approved_by: Annotated[
        str | None,
        typer.Option("--approved-by", help="The board's decision approving it, as recorded."),
    ] = None,
) -> None:
    """Repay a member's shares at nominal value under the statutes' rules."""
    actor = cli_actor()
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members import membership
    from partage.core.platform.db.engine import transaction

    with _runtime(ctx) as runtime:
        coop = Cooperative.from_runtime(runtime)
        with transaction(runtime.sessions) as session:
            membership.redeem_shares(
                session,
                coop,
                number,
                quantity,
                on=coop.today(),
                actor=actor,
                reason=reason,
                approved_by=approved_by,
            )
    typer.echo(f"{quantity} share(s) of member {number} repaid at nominal value")

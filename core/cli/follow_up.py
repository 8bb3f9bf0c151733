"""``partage follow-up ...``: a member's follow-up record — notes, appointments and
documents office staff keep — and each office's default on showing them to the member.

For the instance's administrators, who write on an office's behalf (``--office``); an
office's staff write from the web or the API, where their login names their office.
Each item is shown to the member or not: ``--visible``/``--hidden``, else the office's
setting.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from partage.core.cli.options import cli_actor, options_of
from partage.core.cli.output import Format, FormatOption, render

if TYPE_CHECKING:
    from partage.core.members.models import FollowUpItem, FollowUpKind

follow_up_app = typer.Typer(
    help="Members' follow-up records: notes, appointments and documents.",
    no_args_is_help=True,
)

MemberArgument = Annotated[int, typer.Argument(help="The member's number.")]
SubjectOption = Annotated[str, typer.Option("--subject", help="One line: what it is about.")]
OfficeOption = Annotated[
    str | None, typer.Option("--office", help="The office whose staff write it.")
]
TextOption = Annotated[str, typer.Option("--text", help="The note's text or the agenda.")]
VisibleOption = Annotated[
    bool | None,
    typer.Option(
        "--visible/--hidden", help="Shown to the member or not (default: the office's setting)."
    ),
]


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a day and time (YYYY-MM-DDTHH:MM)") from None


def _add(
    ctx: typer.Context,
    member: int,
    kind: FollowUpKind,
    **fields: object,
) -> FollowUpItem:
    from partage.core.members import follow_up
    from partage.core.members.membership import member_by_number
    from partage.core.platform.db.engine import transaction

    actor = cli_actor()
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        item = follow_up.add_item(
            session,
            member=member_by_number(session, member),
            kind=kind,
            actor=actor,
            **fields,  # type: ignore[arg-type]
        )
        session.expunge(item)
    return item


def _shown(item: FollowUpItem, member: int) -> None:
    where = "shown to" if item.visible_to_member else "hidden from"
    typer.echo(f"{item.kind} {item.id} added to the record of member {member}, {where} them")


@follow_up_app.command("note")
def note(
    ctx: typer.Context,
    member: MemberArgument,
    subject: SubjectOption,
    text: TextOption = "",
    office: OfficeOption = None,
    visible: VisibleOption = None,
) -> None:
    """Add a note to a member's record."""
    from partage.core.members.models import FollowUpKind

    item = _add(
        ctx, member, FollowUpKind.NOTE, subject=subject, body=text, office=office, visible=visible
    )
    _shown(item, member)


@follow_up_app.command("appointment")
def appointment(
    ctx: typer.Context,
    member: MemberArgument,
    subject: SubjectOption,
    at: Annotated[str, typer.Option("--at", help="Day and time, YYYY-MM-DDTHH:MM.")],
    place: Annotated[str, typer.Option("--place", help="Where.")] = "",
    text: TextOption = "",
    office: OfficeOption = None,
    visible: VisibleOption = None,
) -> None:
    """Add an appointment with a member to their record."""
    from partage.core.members.models import FollowUpKind

    item = _add(
        ctx,
        member,
        FollowUpKind.APPOINTMENT,
        subject=subject,
        body=text,
        starts_at=_moment(at),
        place=place,
        office=office,
        visible=visible,
    )
    _shown(item, member)


@follow_up_app.command("document")
def document(
    ctx: typer.Context,
    member: MemberArgument,
    file: Annotated[Path, typer.Argument(help="The document's file.", exists=True)],
    subject: SubjectOption,
    text: TextOption = "",
    office: OfficeOption = None,
    visible: VisibleOption = None,
) -> None:
    """Keep a document in a member's record (at most [limits] receipt_bytes)."""
    from partage.core.cli.documents import act
    from partage.core.members import follow_up
    from partage.core.members.follow_up import Document
    from partage.core.members.membership import member_by_number
    from partage.core.members.models import FollowUpKind
    from partage.core.platform.limits import bounded

    actor = cli_actor()
    with act(ctx) as (_runtime, session, coop):
        bounded("file", file.stat().st_size, coop.limits.receipt_bytes, "receipt_bytes")
        kept = Document(file.name, "application/octet-stream", file.read_bytes())
        item = follow_up.add_item(
            session,
            member=member_by_number(session, member),
            kind=FollowUpKind.DOCUMENT,
            subject=subject,
            body=text,
            document=kept,
            office=office,
            visible=visible,
            actor=actor,
        )
        session.expunge(item)
    _shown(item, member)


@follow_up_app.command("list")
def list_items(
    ctx: typer.Context,
    member: MemberArgument,
    shown_only: Annotated[
        bool, typer.Option("--shown-only", help="Only what the member sees.")
    ] = False,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """A member's record, the newest first."""
    from partage.core.members import follow_up
    from partage.core.members.membership import member_by_number

    with options_of(ctx).runtime() as runtime, runtime.sessions() as session:
        rows = [
            [
                i.id,
                i.written_at.date().isoformat(),
                i.kind,
                i.subject,
                i.starts_at.isoformat(" ", "minutes") if i.starts_at else "",
                i.place,
                i.filename or "",
                "yes" if i.visible_to_member else "no",
                i.written_by,
            ]
            for i in follow_up.items(
                session, member_by_number(session, member), visible_only=shown_only
            )
        ]
    headers = ["id", "written", "kind", "subject", "at", "place", "file", "shown", "by"]
    typer.echo(render(headers, rows, fmt))


@follow_up_app.command("default")
def default(
    ctx: typer.Context,
    office: Annotated[str, typer.Argument(help="The office's code.")],
    visible: Annotated[
        bool, typer.Option("--visible/--hidden", help="Shown to the member by default or not.")
    ],
) -> None:
    """Whether an office's follow-up items are shown to the member by default."""
    from partage.core.members import follow_up
    from partage.core.platform.db.engine import transaction

    actor = cli_actor()
    with options_of(ctx).runtime() as runtime, transaction(runtime.sessions) as session:
        follow_up.set_default_visibility(session, office, visible, actor=actor)
    shown = "shown to" if visible else "hidden from"
    typer.echo(f"office {office}: new follow-up items are {shown} the member by default")

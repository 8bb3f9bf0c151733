"""The register of members as the law asks a cooperative to keep it, and a member's
certificate, as CSV and PDF.

The Belgian Code of Companies and Associations has a cooperative keep a register of its
shares (the French *registre des associés* is its equivalent): each holder with their
address, their shares by class, the payments made on them, and each movement —
subscription, redemption — with its date. It is derived from the share movements
(:class:`~partage.core.members.models.ShareMovement`), which are never changed, so the
register cannot drift from the books; shares subscribed and not paid yet are listed
apart, as waiting for their payment. Both PDFs are dated the day they are drawn, so the
same data give the same bytes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.contract.money import from_minor
from partage.core.documents.pdf import FONT, FONTS
from partage.core.members.membership import member_by_number, shares_held
from partage.core.members.models import Member, Person, ShareMovement, SharePaymentDue


@dataclass(frozen=True)
class Movement:
    """One line of the register: a movement of a member's shares."""

    on: date
    member: int
    name: str
    address: str
    share_class: str
    kind: str
    quantity: int
    amount: str
    held_after: int


def movements(session: Session, coop: Cooperative) -> list[Movement]:
    """Every movement of shares, in date order, with the holder's shares after it."""
    rows = session.execute(
        select(ShareMovement, Member.number, Person)
        .join(Member, Member.id == ShareMovement.member_id)
        .join(Person, Person.id == Member.person_id)
        .order_by(ShareMovement.on, ShareMovement.id)
    ).all()
    held: dict[int, int] = {}
    out = []
    for move, number, person in rows:
        held[number] = held.get(number, 0) + move.quantity
        out.append(
            Movement(
                on=move.on,
                member=number,
                name=f"{person.last_name} {person.first_name}",
                address=person.address,
                share_class=move.share_class,
                kind="subscription" if move.quantity > 0 else "redemption",
                quantity=abs(move.quantity),
                amount=f"{from_minor(abs(move.quantity) * move.nominal, coop.currency)}",
                held_after=held[number],
            )
        )
    return out


def movements_csv(session: Session, coop: Cooperative) -> str:
    """The register's movements as CSV, one row per movement."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "date",
            "member",
            "name",
            "address",
            "class",
            "movement",
            "shares",
            f"amount_{coop.currency}",
            "shares_held_after",
        ]
    )
    for m in movements(session, coop):
        writer.writerow(
            [
                m.on.isoformat(),
                m.member,
                m.name,
                m.address,
                m.share_class,
                m.kind,
                m.quantity,
                m.amount,
                m.held_after,
            ]
        )
    return out.getvalue()


def _pdf(title: str, on: date) -> tuple[FPDF, float]:
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creation_date(datetime.combine(on, time(), UTC))
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    return pdf, pdf.w - pdf.l_margin - pdf.r_margin


def _text(pdf: FPDF, width: float, text: str, *, bold: bool = False, size: int = 9) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(width, 6 if bold else 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def register_pdf(session: Session, coop: Cooperative, on: date) -> bytes:
    """The register of members as a PDF: the totals by class, then each movement."""
    instance = coop.instance
    title = f"Register of members — {instance.name}"
    pdf, width = _pdf(title, on)
    _text(pdf, width, title, bold=True, size=14)
    _text(pdf, width, f"Drawn on {on.isoformat()}; nominal value of a share "
          f"{instance.share_nominal_value} {coop.currency}.")  # fmt: skip
    moves = movements(session, coop)
    totals: dict[str, int] = {}
    for m in moves:
        totals[m.share_class] = totals.get(m.share_class, 0) + (
            m.quantity if m.kind == "subscription" else -m.quantity
        )
    _text(pdf, width, "Shares issued", bold=True, size=11)
    for share_class, count in sorted(totals.items()):
        _text(pdf, width, f"Class {share_class}: {count} share(s)")
    _text(pdf, width, f"Total: {sum(totals.values())} share(s)")
    _text(pdf, width, "Movements", bold=True, size=11)
    for m in moves:
        _text(
            pdf,
            width,
            f"{m.on.isoformat()}  member {m.member}  {m.name}, {m.address}  —  {m.kind} of "
            f"{m.quantity} share(s) of class {m.share_class}, {m.amount} {coop.currency}; "
            f"holds {m.held_after} after it",
        )
    waiting = session.execute(
        select(SharePaymentDue, Member.number)
        .join(Member, Member.id == SharePaymentDue.member_id)
        .where(SharePaymentDue.paid_on.is_(None))
        .order_by(SharePaymentDue.id)
    ).all()
    if waiting:
        _text(pdf, width, "Subscribed, waiting for their payment", bold=True, size=11)
        for due, number in waiting:
            _text(
                pdf,
                width,
                f"{due.due_since.isoformat()}  member {number}  {due.quantity} share(s), "
                f"{from_minor(due.amount, coop.currency)} {coop.currency}",
            )
    return bytes(pdf.output())


def certificate_pdf(session: Session, coop: Cooperative, member_number: int, on: date) -> bytes:
    """A member's certificate: who they are, since when, and the shares they hold."""
    member = member_by_number(session, member_number)
    person = session.get(Person, member.person_id)
    assert person is not None
    instance = coop.instance
    held = shares_held(session, member.id)
    title = f"Membership certificate — member {member.number}"
    pdf, width = _pdf(title, on)
    _text(pdf, width, instance.name, bold=True, size=14)
    _text(pdf, width, title, bold=True, size=12)
    _text(
        pdf,
        width,
        f"{instance.name} certifies that {person.first_name} {person.last_name}, "
        f"{person.address}, is entered in its register of members under number "
        f"{member.number} since {member.admitted_on.isoformat()}, and holds {held} share(s) "
        f"of class {member.share_class} of a nominal value of "
        f"{instance.share_nominal_value} {coop.currency} each, paid up: "
        f"{instance.share_nominal_value * held} {coop.currency}."
        + (f" The member left on {member.left_on.isoformat()}." if member.left_on else ""),
    )
    _text(pdf, width, "Shares are repaid at their nominal value and bring no dividend.")
    _text(pdf, width, f"Drawn from the register on {on.isoformat()}.")
    return bytes(pdf.output())

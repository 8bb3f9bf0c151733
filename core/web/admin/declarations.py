"""The declarations as an administrator reads them: the VAT return and the social
summary of :mod:`partage.core.declarations.returns`, their downloads, the VAT of each
month for the chart, and the employment declarations' files already made (Dimona,
DPAE, DmfA, DSN: stored once, never changed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.contract.errors import N_
from partage.core.contract.periods import Period
from partage.core.contract.tax import ReturnBox
from partage.core.declarations.returns import SocialSummary, VatReturn, vat_groups
from partage.core.payroll.models import DeclarationRecord
from partage.core.web.admin.books import exact

BOX_HEADERS = ("box", "label", "amount")
CONTRIBUTION_HEADERS = ("code", "label", "payer", "workers", "base", "employee", "employer")


@dataclass(frozen=True)
class MonthVat:
    """The VAT of one month's posted lines.

    Attributes:
        month: ``YYYY-MM``.
        on_sales: VAT on sales (credit notes deducted).
        on_purchases: VAT on purchases (credit notes deducted).
    """

    month: str
    on_sales: Decimal
    on_purchases: Decimal


def vat_by_month(session: Session, coop: Cooperative, months: tuple[Period, ...]) -> list[MonthVat]:
    """The VAT on sales and on purchases of each month, from the same grouped lines the
    return is filled from."""
    found = []
    for month in months:
        groups, _, _ = vat_groups(session, month, coop.currency)
        sales = sum((g.vat for g in groups if g.direction == "sale"), Decimal(0))
        purchases = sum((g.vat for g in groups if g.direction == "purchase"), Decimal(0))
        found.append(MonthVat(month.label, sales, purchases))
    return found


def box_rows(declared: VatReturn | SocialSummary) -> list[list[object]]:
    """The return's boxes as rows under :data:`BOX_HEADERS`."""
    return [[b.box, b.label, b.amount] for b in declared.boxes]


def contribution_rows(summary: SocialSummary) -> list[list[object]]:
    """The social summary's contribution totals under :data:`CONTRIBUTION_HEADERS`."""
    return [
        [c.code, c.label, c.payer, c.workers, c.base, c.employee, c.employer]
        for c in summary.totals.contributions
    ]


#: A plugin's name for a numbered line (``... tranche 2``): its template ends in ``{number}``.
NUMBERED = re.compile(r"^(.*\S)\s+(\d+)$")


def said(label: str, gettext: Callable[[str], str]) -> str:
    """A plugin's word (marked ``N_`` in its own language) in the reader's language; a
    numbered one (``Retraite complémentaire AGIRC-ARRCO tranche 2``) through its template."""
    shown = gettext(label)
    if shown != label:
        return shown
    numbered = NUMBERED.match(label)
    if numbered:
        template = f"{numbered.group(1)} {{number}}"
        translated = gettext(template)
        if translated != template:
            return translated.format(number=numbered.group(2))
    return shown


def shown_boxes(summary: SocialSummary, gettext: Callable[[str], str]) -> list[ReturnBox]:
    """The national boxes with their names in the reader's language: a box of one
    contribution (``onss_employee:employee``) says the contribution's name and who pays
    it; the others their own name."""
    named = {c.code: c for c in summary.totals.contributions}
    payers = {"employee": gettext("Employee"), "employer": gettext("Employer")}
    both = f"{payers['employee']}, {payers['employer']}"
    found = []
    for box in summary.boxes:
        code, _, payer = box.box.partition(":")
        contribution = named.get(code)
        if contribution is None:
            found.append(ReturnBox(box.box, said(box.label, gettext), box.amount))
            continue
        who = payers.get(payer or contribution.payer, both)
        label = f"{said(contribution.label, gettext)} ({who})"
        found.append(ReturnBox(box.box, label, box.amount))
    return found


def vat_document(declared: VatReturn) -> dict[str, Any]:
    """The whole VAT return as JSON-ready data: boxes, then what they come from."""
    return {
        "period": declared.period.label,
        "currency": declared.currency,
        "boxes": [exact(dict(zip(BOX_HEADERS, row, strict=True))) for row in box_rows(declared)],
        "movements": [exact(m) for m in declared.movements],
        "groups": [exact(g) for g in declared.groups],
        "uncoded": {
            "vat_collected": str(declared.uncoded_collected),
            "vat_deductible": str(declared.uncoded_deductible),
        },
        "awaiting_payment": [exact(g) for g in declared.awaiting],
    }


def social_document(summary: SocialSummary) -> dict[str, Any]:
    """The whole social summary as JSON-ready data: totals, contributions, boxes."""
    totals = summary.totals
    return {
        "period": summary.period.label,
        "currency": summary.currency,
        "totals": exact(
            {
                "payslips": totals.payslips,
                "workers": totals.workers,
                "gross": totals.gross,
                "employee_contributions": totals.employee_contributions,
                "employer_contributions": totals.employer_contributions,
                "withholding": totals.withholding,
                "net": totals.net,
                "employer_cost": totals.employer_cost,
                "insurance": summary.insurance,
            }
        ),
        "contributions": [
            exact(dict(zip(CONTRIBUTION_HEADERS, row, strict=True)))
            for row in contribution_rows(summary)
        ],
        "boxes": [exact(dict(zip(BOX_HEADERS, row, strict=True))) for row in box_rows(summary)],
    }


@dataclass(frozen=True)
class Filed:
    """An employment declaration's stored file, without its content.

    Attributes:
        id: its row, to download it.
        kind: hire or period declaration.
        subject: the contract, or the declared days (``start/end``).
        format: the national format.
        filename: its name.
        size: its size in bytes.
        sha256: its digest.
        created_at: when it was made (UTC).
        created_by: who made it.
    """

    id: int
    kind: str
    subject: str
    format: str
    filename: str
    size: int
    sha256: str
    created_at: str
    created_by: str


#: Declaration files listed per page (a month of hires makes one each).
FILED_PER_PAGE = 25


def filed_count(session: Session) -> int:
    """How many declaration files are stored."""
    return int(session.scalar(select(func.count(DeclarationRecord.id))) or 0)


def filed(session: Session, limit: int = 200, offset: int = 0) -> list[Filed]:
    """The newest stored declaration files, newest first, ``offset`` files skipped."""
    rows = session.execute(
        select(
            DeclarationRecord.id,
            DeclarationRecord.kind,
            DeclarationRecord.subject,
            DeclarationRecord.format,
            DeclarationRecord.filename,
            func.length(DeclarationRecord.content).label("size"),
            DeclarationRecord.sha256,
            DeclarationRecord.created_at,
            DeclarationRecord.created_by,
        )
        .order_by(DeclarationRecord.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [
        Filed(
            r.id,
            r.kind,
            r.subject,
            r.format,
            r.filename,
            int(r.size or 0),
            r.sha256,
            r.created_at.strftime("%Y-%m-%d %H:%M UTC"),
            r.created_by,
        )
        for r in rows
    ]


def filed_content(session: Session, number: int) -> tuple[bytes, str]:
    """A stored declaration's bytes and file name; not found names ``declaration``."""
    row = session.execute(
        select(DeclarationRecord.content, DeclarationRecord.filename).where(
            DeclarationRecord.id == number
        )
    ).first()
    if row is None:
        raise NotFound("declaration", N_("no declaration {number}"), number=number)
    return bytes(row.content), row.filename

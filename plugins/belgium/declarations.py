"""Belgian employment declarations: Dimona IN at hire, DmfA totals each quarter.

Dimona (AR du 5 novembre 2002 instituant une déclaration immédiate de l'emploi, art.
4): the employer declares a worker's entry *at the latest when work starts*. The DmfA
(déclaration multifonctionnelle, loi du 29 juin 1981, art. 21; AR du 28 novembre
1969, art. 33) declares each quarter's pay and contributions per worker.

The official schemas (the Dimona web service's, the DmfA XML schema) are not available
offline, so both are produced as documented JSON equivalents, shaped after the
declarations' own blocks: employer (enterprise number, ONSS registration), worker
(INSS, names), and for Dimona the entry's dates and worker type, for the DmfA each
worker's remuneration and contributions by code, with the quarter's totals. Amounts
are strings with two decimals; dates ISO 8601.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from partage.core.contract import (
    DeclarationFile,
    DeclaredPay,
    Employer,
    HireDeclaration,
    PeriodDeclaration,
    Worker,
)
from partage.core.errors import PartageError
from partage.core.hookspecs import hookimpl

FORMAT = "json"
#: Dimona worker types by payroll category (students declare their own type; every
#: other employee is "OTH").
WORKER_TYPES = {"student": "STU"}


class DeclarationError(PartageError):
    """A Belgian declaration breaks its rule (too late, not a quarter)."""


def _employer(employer: Employer) -> dict[str, str]:
    return {
        "name": employer.name,
        "enterpriseNumber": "".join(ch for ch in employer.company_id if ch.isdigit()),
        "nssoRegistrationNumber": employer.social_security_id,
    }


def _worker(worker: Worker) -> dict[str, str]:
    return {
        "inss": worker.national_id,
        "lastName": worker.last_name,
        "firstName": worker.first_name,
    }


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _dump(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


@hookimpl
def partage_hire_declaration(declaration: HireDeclaration) -> DeclarationFile:
    if declaration.declared_on > declaration.start:
        raise DeclarationError(
            f"Dimona IN on {declaration.declared_on} is after work started on "
            f"{declaration.start}: it must be made at the latest when work starts "
            "(AR du 5 novembre 2002, art. 4)"
        )
    data = {
        "declaration": "DIMONA-IN",
        "format": "Partage JSON equivalent of a Dimona IN declaration",
        "declaredOn": declaration.declared_on.isoformat(),
        "employer": _employer(declaration.employer),
        "worker": _worker(declaration.worker),
        "dimonaIn": {
            "startingDate": declaration.start.isoformat(),
            "endingDate": declaration.end.isoformat() if declaration.end else None,
            "workerType": WORKER_TYPES.get(declaration.worker_category, "OTH"),
            "partTimeFraction": str(declaration.part_time),
            "contractReference": declaration.contract,
        },
    }
    return DeclarationFile("dimona", FORMAT, f"dimona-in-{declaration.contract}.json", _dump(data))


def _is_quarter(start: date, end: date) -> bool:
    if start.day != 1 or start.month not in (1, 4, 7, 10):
        return False
    last_month = start.month + 2
    following = date(start.year + (last_month == 12), last_month % 12 + 1, 1)
    return (following - end).days == 1


def _pay(pay: DeclaredPay) -> dict[str, Any]:
    return {
        "worker": _worker(pay.worker),
        "contractReference": pay.contract,
        "workerCategory": pay.worker_category,
        "remuneration": _money(pay.gross),
        "workerContributions": _money(pay.employee_contributions),
        "employerContributions": _money(pay.employer_contributions),
        "withholdingTax": _money(pay.withholding),
        "contributions": [
            {"code": code, "base": _money(base), "amount": _money(amount)}
            for code, base, amount in pay.lines
        ],
    }


@hookimpl
def partage_period_declaration(declaration: PeriodDeclaration) -> DeclarationFile:
    start, end = declaration.start, declaration.end
    if not _is_quarter(start, end):
        raise DeclarationError(
            f"the DmfA declares a calendar quarter; {start} to {end} is not one "
            "(AR du 28 novembre 1969, art. 33)"
        )
    quarter = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    pay = declaration.pay
    data = {
        "declaration": "DMFA",
        "format": "Partage JSON equivalent of the DmfA totals of a quarter",
        "quarter": quarter,
        "employer": _employer(declaration.employer),
        "workers": [_pay(p) for p in pay],
        "totals": {
            "workers": len({p.worker.national_id for p in pay}),
            "remuneration": _money(sum((p.gross for p in pay), Decimal(0))),
            "workerContributions": _money(sum((p.employee_contributions for p in pay), Decimal(0))),
            "employerContributions": _money(
                sum((p.employer_contributions for p in pay), Decimal(0))
            ),
            "withholdingTax": _money(sum((p.withholding for p in pay), Decimal(0))),
        },
    }
    return DeclarationFile("dmfa", FORMAT, f"dmfa-{quarter}.json", _dump(data))

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

from typing import Any

from partage.core.contract import (
    N_,
    DeclarationFile,
    DeclaredPay,
    Employer,
    HireDeclaration,
    PartageError,
    PeriodDeclaration,
    Worker,
    hookimpl,
    json_declaration,
    two_decimals,
)

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


#: The DmfA's amounts per worker and in total, by the :class:`DeclaredPay` figure.
AMOUNTS = {
    "remuneration": "gross",
    "workerContributions": "employee_contributions",
    "employerContributions": "employer_contributions",
    "withholdingTax": "withholding",
}


@hookimpl
def partage_hire_declaration(declaration: HireDeclaration) -> DeclarationFile:
    if declaration.declared_on > declaration.start:
        raise DeclarationError(
            None,
            N_(
                "Dimona IN on {declaration_declared_on} is after work started "
                "on {declaration_start}: it must be made at the latest when "
                "work starts (AR du 5 novembre 2002, art. 4)"
            ),
            declaration_declared_on=declaration.declared_on,
            declaration_start=declaration.start,
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
    return json_declaration("dimona", f"dimona-in-{declaration.contract}.json", data)


def _pay(pay: DeclaredPay) -> dict[str, Any]:
    return {
        "worker": _worker(pay.worker),
        "contractReference": pay.contract,
        "workerCategory": pay.worker_category,
        **{key: two_decimals(getattr(pay, figure)) for key, figure in AMOUNTS.items()},
        "contributions": [
            {"code": code, "base": two_decimals(base), "amount": two_decimals(amount)}
            for code, base, amount in pay.lines
        ],
    }


@hookimpl
def partage_period_declaration(declaration: PeriodDeclaration) -> DeclarationFile:
    period = declaration.period
    if period.kind != "quarter":
        raise DeclarationError(
            None,
            N_(
                "the DmfA declares a calendar quarter; {period_start} to "
                "{period_end} is not one (AR du 28 novembre 1969, art. 33)"
            ),
            period_start=period.start,
            period_end=period.end,
        )
    quarter = period.label
    data = {
        "declaration": "DMFA",
        "format": "Partage JSON equivalent of the DmfA totals of a quarter",
        "quarter": quarter,
        "employer": _employer(declaration.employer),
        "workers": [_pay(p) for p in declaration.pay],
        "totals": {
            "workers": declaration.workers,
            **{k: two_decimals(declaration.total(f)) for k, f in AMOUNTS.items()},
        },
    }
    return json_declaration("dmfa", f"dmfa-{quarter}.json", data)

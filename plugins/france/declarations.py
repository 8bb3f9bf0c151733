"""French employment declarations: the DPAE at hire, the DSN totals each month.

DPAE (déclaration préalable à l'embauche, Code du travail art. L1221-10 and R1221-1):
made before the hire, at the latest at the moment work starts. DSN (déclaration sociale
nominative, Code de la sécurité sociale art. L133-5-3): each month's pay and
contributions per employee.

The official formats — the DPAE's XML and the DSN's norm NEODeS, a flat file of
``S21.G00...`` rubrics — are not available offline with their schemas, so both are
produced as documented JSON equivalents carrying the same facts: the employer (SIREN,
SIRET of the establishment), the employee (NIR, names), and for the DPAE the date of
hire and the contract's nature (CDI, or CDD with its end), for the DSN each employee's
gross pay, contributions by code and net, with the month's totals. Amounts are strings
with two decimals; dates ISO 8601.
"""

from __future__ import annotations

import calendar
import json
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


class DeclarationError(PartageError):
    """A French declaration breaks its rule (too late, not a month)."""


def _employer(employer: Employer) -> dict[str, str]:
    return {
        "raisonSociale": employer.name,
        "siren": employer.company_id,
        "siretEtablissement": employer.social_security_id,
    }


def _salarie(worker: Worker) -> dict[str, str]:
    return {"nir": worker.national_id, "nom": worker.last_name, "prenoms": worker.first_name}


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _dump(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


@hookimpl
def partage_hire_declaration(declaration: HireDeclaration) -> DeclarationFile:
    if declaration.declared_on > declaration.start:
        raise DeclarationError(
            f"DPAE on {declaration.declared_on} is after the hire on {declaration.start}: it "
            "must precede it (Code du travail art. L1221-10 and R1221-5)"
        )
    data = {
        "declaration": "DPAE",
        "format": "Partage JSON equivalent of a déclaration préalable à l'embauche",
        "dateDeclaration": declaration.declared_on.isoformat(),
        "employeur": _employer(declaration.employer),
        "salarie": _salarie(declaration.worker),
        "embauche": {
            "dateEmbauche": declaration.start.isoformat(),
            "natureContrat": "CDD" if declaration.end else "CDI",
            "dateFinCDD": declaration.end.isoformat() if declaration.end else None,
            "quotiteTravail": str(declaration.part_time),
            "referenceContrat": declaration.contract,
        },
    }
    return DeclarationFile("dpae", FORMAT, f"dpae-{declaration.contract}.json", _dump(data))


def _versement(pay: DeclaredPay) -> dict[str, Any]:
    return {
        "salarie": _salarie(pay.worker),
        "referenceContrat": pay.contract,
        "categorie": pay.worker_category,
        "remunerationBrute": _money(pay.gross),
        "cotisationsSalariales": _money(pay.employee_contributions),
        "cotisationsPatronales": _money(pay.employer_contributions),
        "prelevementALaSource": _money(pay.withholding),
        "netVerse": _money(pay.net),
        "cotisations": [
            {"code": code, "assiette": _money(base), "montant": _money(amount)}
            for code, base, amount in pay.lines
        ],
    }


@hookimpl
def partage_period_declaration(declaration: PeriodDeclaration) -> DeclarationFile:
    start, end = declaration.start, declaration.end
    last = calendar.monthrange(start.year, start.month)[1]
    if start.day != 1 or end != start.replace(day=last):
        raise DeclarationError(
            f"the DSN declares a calendar month; {start} to {end} is not one "
            "(Code de la sécurité sociale art. L133-5-3)"
        )
    month = f"{start:%Y-%m}"
    pay = declaration.pay
    data = {
        "declaration": "DSN",
        "format": "Partage JSON equivalent of the totals of a monthly DSN",
        "moisPrincipalDeclare": month,
        "employeur": _employer(declaration.employer),
        "versements": [_versement(p) for p in pay],
        "totaux": {
            "salaries": len({p.worker.national_id for p in pay}),
            "remunerationBrute": _money(sum((p.gross for p in pay), Decimal(0))),
            "cotisationsSalariales": _money(
                sum((p.employee_contributions for p in pay), Decimal(0))
            ),
            "cotisationsPatronales": _money(
                sum((p.employer_contributions for p in pay), Decimal(0))
            ),
            "prelevementALaSource": _money(sum((p.withholding for p in pay), Decimal(0))),
            "netVerse": _money(sum((p.net for p in pay), Decimal(0))),
        },
    }
    return DeclarationFile("dsn", FORMAT, f"dsn-{month}.json", _dump(data))

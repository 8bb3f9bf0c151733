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


#: The DSN's amounts per payment and in total, by the :class:`DeclaredPay` figure.
AMOUNTS = {
    "remunerationBrute": "gross",
    "cotisationsSalariales": "employee_contributions",
    "cotisationsPatronales": "employer_contributions",
    "prelevementALaSource": "withholding",
    "netVerse": "net",
}


@hookimpl
def partage_hire_declaration(declaration: HireDeclaration) -> DeclarationFile:
    if declaration.declared_on > declaration.start:
        raise DeclarationError(
            None,
            N_(
                "DPAE on {declaration_declared_on} is after the hire on "
                "{declaration_start}: it must precede it (Code du travail "
                "art. L1221-10 and R1221-5)"
            ),
            declaration_declared_on=declaration.declared_on,
            declaration_start=declaration.start,
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
    return json_declaration("dpae", f"dpae-{declaration.contract}.json", data)


def _versement(pay: DeclaredPay) -> dict[str, Any]:
    return {
        "salarie": _salarie(pay.worker),
        "referenceContrat": pay.contract,
        "categorie": pay.worker_category,
        **{key: two_decimals(getattr(pay, figure)) for key, figure in AMOUNTS.items()},
        "cotisations": [
            {"code": code, "assiette": two_decimals(base), "montant": two_decimals(amount)}
            for code, base, amount in pay.lines
        ],
    }


@hookimpl
def partage_period_declaration(declaration: PeriodDeclaration) -> DeclarationFile:
    period = declaration.period
    if period.kind != "month":
        raise DeclarationError(
            None,
            N_(
                "the DSN declares a calendar month; {period_start} to "
                "{period_end} is not one (Code de la sécurité sociale art. "
                "L133-5-3)"
            ),
            period_start=period.start,
            period_end=period.end,
        )
    month = period.label
    data = {
        "declaration": "DSN",
        "format": "Partage JSON equivalent of the totals of a monthly DSN",
        "moisPrincipalDeclare": month,
        "employeur": _employer(declaration.employer),
        "versements": [_versement(p) for p in declaration.pay],
        "totaux": {
            "salaries": declaration.workers,
            **{k: two_decimals(declaration.total(f)) for k, f in AMOUNTS.items()},
        },
    }
    return json_declaration("dsn", f"dsn-{month}.json", data)

"""The Belgian law as dated data, read once, at the first question asked of it.

Every rate, ceiling, bracket and amount set by law lives in a TOML file under
``data/parameters`` with the date it applies from and its legal source (see
:mod:`partage.core.contract.parameters`). Reading them once keeps payroll runs free of file
I/O: a peak month of 35,000 payslips only looks values up in memory. Reading them at the
first question rather than at import keeps the commands that list or check the plugins
(``partage plugins list``, ``partage config check``) from parsing law they never use.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from partage.core.contract import (
    EInvoicingRules,
    Parameters,
    RetentionPeriod,
    RetentionPeriods,
    hookimpl,
)

DATA = Path(__file__).parent / "data"
PARAMETERS = Parameters(DATA / "parameters")
CURRENCY = "EUR"


@hookimpl
def partage_payment_term_cap(on: date) -> int | None:
    """The longest payment term between businesses on ``on`` (loi du 2 août 2002, art.
    4), ``None`` before the parameter's first value."""
    if PARAMETERS.since("commerce.payment_term_cap", on) is None:
        return None
    return int(PARAMETERS.value("commerce.payment_term_cap", on))


def _period(name: str, on: date) -> RetentionPeriod:
    found = PARAMETERS[name].at(on)
    return RetentionPeriod(int(str(found.value)), found.reference)


@hookimpl
def partage_retention_periods(on: date) -> RetentionPeriods | None:
    """How long records are kept on ``on``: accounting records for the longer of the
    Code de droit économique (art. III.88) and the tax codes, payroll records under the
    arrêté royal du 8 août 1980 (art. 25); ``None`` before the parameters' first
    values."""
    names = ("records.accounting_retention", "records.payroll_retention")
    if any(PARAMETERS.since(name, on) is None for name in names):
        return None
    return RetentionPeriods(_period(names[0], on), _period(names[1], on))


@hookimpl
def partage_einvoicing_rules(on: date, company_size: str) -> EInvoicingRules | None:
    """Belgium's e-invoicing obligations on ``on``: Peppol between VAT taxpayers,
    mandatory for every size from 1 January 2026 (loi du 6 février 2024, art. 53, §
    2, of the VAT Code; AR du 8 juillet 2025); no e-reporting yet. ``None`` before the
    parameters' first values."""
    names = ("einvoicing.b2b_structured", "einvoicing.b2b_receiving")
    found = [PARAMETERS.since(name, on) for name in names]
    if found[0] is None or found[1] is None:
        return None
    return EInvoicingRules(
        network="peppol",
        issuing_mandatory=found[0].value == "mandatory",
        receiving_mandatory=found[1].value == "mandatory",
        e_reporting=False,
        source=str(found[0].reference),
    )

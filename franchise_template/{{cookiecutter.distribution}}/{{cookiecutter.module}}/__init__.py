"""{{ cookiecutter.country_name }}: a Partage country plugin.

Registered under ``partage.countries`` as ``{{ cookiecutter.country_code }}``. It talks to the core
only through the hook contract (:mod:`partage.core.contract.hookspecs`) and its public helpers. Each
concern lives in its own module; this one only says which function answers which hook:

- :mod:`.identity`: identity, brand, public holidays, amount formatting;
- :mod:`.identifiers`: VAT, company and personal numbers, IBANs;
- :mod:`.vat`: rates in force, the treatment of a line, the periodic return;
- :mod:`.payroll`: the parametric payslip, its inverse, the social declaration;
- :mod:`.samples`: people and companies for a simulated month (``partage demo``);
- ``data/``: the chart of accounts, the logo, the instance configuration, the examples
  the conformance suite checks, and the dated law parameters.

Generated from Partage's franchise template: a first parametric model (one rate of
employee and of employer contributions, a ceiling, a withholding) to be refined into the
country's law, one dated parameter file at a time.
"""

from __future__ import annotations

from functools import partial

from partage.core.contract import CountryHooks, read_chart

from {{ cookiecutter.module }} import identifiers, identity, payroll, vat
from {{ cookiecutter.module }}.law import DATA
from {{ cookiecutter.module }}.samples import partage_sample_data  # noqa: F401

#: The hook API this package was written against.
PARTAGE_HOOK_API = "2.0"
IDENTITY = identity.IDENTITY

#: Each country hook ``partage_<field>``, answered by the function of this package
#: that computes it (see :class:`~partage.core.contract.country_hooks.CountryHooks`).
HOOKS = CountryHooks(
    country_identity=identity.IDENTITY,
    country_brand=identity.BRAND,
    public_holidays=identity.public_holidays if identity.HOLIDAYS_KNOWN else None,
    format_amount=identity.format_amount,
    validate_identifier=identifiers.validate,
    vat_rates=vat.rates,
    vat_treatment=vat.treatment,
    vat_return=vat.vat_return,
    chart_of_accounts=partial(
        read_chart, "Partage generic chart", DATA / "chart.csv", DATA / "chart_roles.toml"
    ),
    payslip=payroll.payslip,
    gross_for_employer_cost=payroll.gross_for_cost,
    social_declaration=payroll.social_declaration,
    insurance_policies=payroll.insurance_policies,
)
# pluggy registers this module (the entry point names it): give it the implementations.
globals().update(HOOKS.implementations())

#: Hooks this country declines on purpose, with the reason (checked by the conformance
#: suite). Remove an entry when the plugin starts answering the hook.
PARTAGE_DECLINED_HOOKS = {
    "partage_copyright_taxation": (
        "no specific tax regime for copyright cessions is modelled yet: a cession is "
        "ordinary income"
    ),
    "partage_einvoice": (
        "no national e-invoice format is modelled yet: invoices are issued as PDF"
    ),
    "partage_hire_declaration": (
        "the declaration of a hire to the State is not modelled yet: it is made by hand"
    ),
    "partage_period_declaration": (
        "the periodic social declaration's file is not modelled yet: the totals come "
        "from partage_social_declaration"
    ),
}
if not identity.HOLIDAYS_KNOWN:
    PARTAGE_DECLINED_HOOKS["partage_public_holidays"] = (
        "the holidays library does not know this country's calendar"
    )

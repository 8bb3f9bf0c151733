"""France: the reference country plugin for the French national instance.

Registered under ``partage.countries`` as ``fr``. It talks to the core only through
the hook contract (:mod:`partage.core.contract.hookspecs`) and its value types; each hook is
answered by a small module of this package (identity, identifiers, vat, payroll,
insurance, samples for a simulated month), and every number set by law is a dated
parameter under ``data/parameters``.

No copyright hook: France has no withholding regime for copyright cessions in the
core's sense. Authors' copyright income is declared by the author as BNC (or as
traitements et salaires, CGI art. 93-1 quater) and income tax is paid through the
author's own instalments, not withheld by the payer; the social contributions of
artistes-auteurs are a précompte the payer (diffuseur) declares to the URSSAF Limousin
(CSS art. L382-4 s.), which the contract's ``CopyrightTaxation`` (flat-rate costs and a
withholding rate) does not describe. A cession is therefore ordinary income here.
"""

from __future__ import annotations

from functools import partial

from partage.core.contract import CountryHooks, read_chart
from partage.plugins.france import identifiers, identity, insurance, payroll, vat
from partage.plugins.france.declarations import (  # noqa: F401  (hooks of declarations)
    partage_hire_declaration,
    partage_period_declaration,
)
from partage.plugins.france.einvoice import (  # noqa: F401  (hooks of documents)
    partage_document_templates,
    partage_einvoice,
    partage_einvoice_vat_category,
)
from partage.plugins.france.late_payment import partage_late_payment_charges  # noqa: F401
from partage.plugins.france.law import (  # noqa: F401  (hooks of the law as data)
    DATA,
    partage_einvoicing_rules,
    partage_payment_term_cap,
    partage_retention_periods,
)
from partage.plugins.france.listings import partage_sales_listing  # noqa: F401
from partage.plugins.france.samples import partage_sample_data  # noqa: F401
from partage.plugins.france.vat import partage_vat_due_at_payment  # noqa: F401

PARTAGE_HOOK_API = "2.6"
#: Optional hooks this plugin declines, with why.
PARTAGE_DECLINED_HOOKS = {
    "partage_vat_return_file": (
        "the CA3 is filed through the professional space or an EDI-TVA partner, in a "
        "format this plugin does not write; the return's lines come from partage_vat_return"
    ),
}
IDENTITY = identity.IDENTITY

#: Each country hook ``partage_<field>``, answered by the function of this package
#: that computes it (see :class:`~partage.core.contract.country_hooks.CountryHooks`).
HOOKS = CountryHooks(
    country_identity=identity.IDENTITY,
    country_brand=identity.BRAND,
    public_holidays=identity.public_holidays,
    format_amount=identity.format_amount,
    validate_identifier=identifiers.validate,
    vat_rates=vat.rates,
    vat_treatment=vat.treatment,
    vat_return=vat.ca3,
    chart_of_accounts=partial(read_chart, "PCG", DATA / "chart.csv", DATA / "chart_roles.toml"),
    payslip=payroll.payslip,
    gross_for_employer_cost=payroll.gross_for_cost,
    social_declaration=payroll.social_declaration,
    insurance_policies=insurance.policies,
)
# pluggy registers this module (the entry point names it): give it the implementations.
globals().update(HOOKS.implementations())

"""Belgium: the reference country plugin for the Belgian national instance.

Registered under ``partage.countries`` as ``be``. It talks to the core only through
the hook contract (:mod:`partage.core.contract.hookspecs`) and its value types. Each concern
lives in its own module; this one only says which function answers which hook, so that
a franchisee reading it sees the whole plugin on one page:

- :mod:`.identity`: identity, brand, public holidays, amount formatting;
- :mod:`.identifiers`: VAT/enterprise/national numbers and IBANs;
- :mod:`.vat`: rates, the treatment of a line, the periodic return;
- :mod:`.payroll`: payslips, the inverse, the social declaration;
- :mod:`.insurance` and :mod:`.copyright`;
- :mod:`.listings`: the customer and EU sales listings and the VAT return in Intervat XML;
- :mod:`.samples`: people and companies for a simulated month;
- ``data/``: the chart of accounts (PCMN), the logo and the dated law parameters.
"""

from __future__ import annotations

from functools import partial

from partage.core.contract import CountryHooks, hookimpl, read_chart
from partage.plugins.belgium import copyright, identifiers, identity, insurance, payroll, vat
from partage.plugins.belgium.coda import partage_parse_bank_statement  # noqa: F401
from partage.plugins.belgium.declarations import (  # noqa: F401  (hooks of declarations)
    partage_hire_declaration,
    partage_period_declaration,
)
from partage.plugins.belgium.einvoice import (  # noqa: F401  (hooks of documents)
    partage_document_templates,
    partage_einvoice,
    partage_einvoice_vat_category,
    partage_payment_reference,
)
from partage.plugins.belgium.late_payment import partage_late_payment_charges  # noqa: F401
from partage.plugins.belgium.law import (  # noqa: F401  (hooks of the law as data)
    DATA,
    partage_einvoicing_rules,
    partage_payment_term_cap,
    partage_retention_periods,
)
from partage.plugins.belgium.listings import (  # noqa: F401  (hooks of VAT filings)
    partage_sales_listing,
    partage_vat_return_file,
)
from partage.plugins.belgium.samples import partage_sample_data  # noqa: F401
from partage.plugins.belgium.vat import partage_vat_due_at_payment  # noqa: F401

# --- hooks outside the country table ------------------------------------------------
partage_contract_end_cost = hookimpl(payroll.contract_end_cost)

PARTAGE_HOOK_API = "2.6"
IDENTITY = identity.IDENTITY

#: Each country hook ``partage_<field>``, answered by the function of this package
#: that computes it (see :class:`~partage.core.contract.country_hooks.CountryHooks`).
HOOKS = CountryHooks(
    country_identity=identity.IDENTITY,
    country_brand=identity.BRAND,
    public_holidays=identity.public_holidays,
    format_amount=identity.format_amount,
    validate_identifier=identifiers.validate_identifier,
    vat_rates=vat.rates,
    vat_treatment=vat.treatment,
    vat_return=vat.vat_return,
    chart_of_accounts=partial(read_chart, "PCMN", DATA / "chart.csv", DATA / "chart_roles.toml"),
    payslip=payroll.payslip,
    gross_for_employer_cost=payroll.gross_for_cost,
    social_declaration=payroll.social_declaration,
    copyright_taxation=copyright.taxation,
    insurance_policies=insurance.policies,
)
# pluggy registers this module (the entry point names it): give it the implementations.
globals().update(HOOKS.implementations())

"""The insurance policies the Belgian cooperative mutualises for its workers.

Work-accident cover is mandatory for every employer (loi du 10 avril 1971); its premium
is a rate on gross salaries. Civil liability is a flat premium per worker paid in the
month. Both premiums are contractual (the insurer's tariff), not set by law: the
parameter files say so in their reference and hold the reference instance's tariff.
"""

from __future__ import annotations

from datetime import date

from partage.core.contract import InsurancePolicy
from partage.plugins.belgium.law import PARAMETERS


def policies(on: date) -> list[InsurancePolicy]:
    """The policies in force on ``on`` with their premium rule."""
    return [
        InsurancePolicy(
            code="work_accident",
            name="Assurance accidents du travail (loi du 10 avril 1971)",
            premium_basis="payroll_rate",
            rate=PARAMETERS.value("insurance.work_accident_rate", on),
        ),
        InsurancePolicy(
            code="civil_liability",
            name="Responsabilité civile exploitation et professionnelle",
            premium_basis="flat",
            flat_amount=PARAMETERS.value("insurance.civil_liability_flat", on),
        ),
    ]

"""The insurance policies the French cooperative mutualises for its workers.

Work accidents are covered by the social-security AT/MP branch (a payslip line at the
cooperative's notified rate), so the policies here are the contractual ones: group
professional liability, the compulsory collective health cover (employer share) and
the non-cadres' collective prévoyance. Their premiums are contractual, not law; they are
dated parameters all the same so that a past month is recomputed with its premiums.
"""

from __future__ import annotations

from datetime import date

from partage.core.contract import InsurancePolicy
from partage.plugins.france.law import LAW


def policies(on: date) -> tuple[InsurancePolicy, ...]:
    """The policies in force on ``on`` with their premium rule."""
    return (
        InsurancePolicy(
            "civil_liability",
            "Responsabilité civile professionnelle (contrat de groupe)",
            "flat",
            flat_amount=LAW.value("assurances.rc_pro", on),
        ),
        InsurancePolicy(
            "health",
            "Complémentaire santé collective obligatoire (part employeur)",
            "flat",
            flat_amount=LAW.value("assurances.mutuelle", on),
        ),
        InsurancePolicy(
            "prevoyance_non_cadres",
            "Prévoyance collective des non-cadres (incapacité, invalidité, décès)",
            "payroll_rate",
            rate=LAW.value("assurances.prevoyance_non_cadres", on),
        ),
    )

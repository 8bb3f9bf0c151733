"""The social-franchise contract: ``[network]`` in ``configs/network.toml``.

The contract is the second configuration layer, shared by every instance: who the
franchisor and the franchisees are and what each commits to, the brand every
franchisee keeps and what of it a franchisee may adapt, the franchise fee (its basis,
rate or flat amount, period, and dated changes), the reporting cadence and the tools
the franchisor provides.

Its terms are the network's, not an instance's: :mod:`.network_validation` checks them,
and what of the brand an instance adapts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from partage.core.contract.errors import PartageError

#: The published JSON schemas of the network report, one file per version; they ship with
#: the report (:mod:`partage.core.franchise.report`), and the contract may name only one
#: of them.
SCHEMAS = Path(__file__).resolve().parents[1] / "franchise" / "schemas"
#: What a franchise fee may be computed on.
FEE_BASES = ("fee_income", "invoiced_volume", "flat")
#: The bases whose fee is a rate (the other, ``flat``, is an amount per period).
RATE_BASES = ("fee_income", "invoiced_volume")
#: Every brand element a contract may name in ``franchisee_may_change`` or
#: ``franchisee_must_keep``.
BRAND_ELEMENTS = (
    "name",
    "primary_colour",
    "secondary_colour",
    "logo",
    "values",
    "local_name_suffix",
    "languages",
    "legal_mentions",
)


class UnknownFranchisee(PartageError):
    """An instance or report names a franchisee the contract does not list."""

    usage = True


def report_schema_versions() -> tuple[str, ...]:
    """Versions of the network report this core reads and writes (its shipped schemas)."""
    return tuple(
        sorted(p.stem.removeprefix("network_report-") for p in SCHEMAS.glob("network_report-*"))
    )


@dataclass(frozen=True)
class NetworkParty:
    """The franchisor or a franchisee of the network contract.

    Attributes:
        code: instance code for a franchisee, ``"franchisor"`` for the franchisor.
        legal_name: registered name.
        country: ISO alpha-2 code, upper case.
        role: the commitments the contract gives it, in words.
        vat_number: its VAT number (compact, with the country prefix), or ``None``
            when the contract gives none. The franchise fee is a supply of services
            between businesses: the franchisee's country plugin needs the franchisor's
            number to tell a reverse-charged fee from a domestic one.
        contact: who at a franchisee answers the franchisor, if the contract says.
        since: a franchisee's first day in the network, if the contract says.
    """

    code: str
    legal_name: str
    country: str
    role: str
    vat_number: str | None = None
    contact: str | None = None
    since: date | None = None


@dataclass(frozen=True)
class FeeTerms:
    """The franchise fee rule in force from a day.

    Attributes:
        basis: ``fee_income`` (a rate on the franchisee's management-fee income),
            ``invoiced_volume`` (a rate on its sales excluding VAT) or ``flat``.
        rate: the fraction, for a rate basis.
        amount: the amount per period, for a flat basis.
        currency: the currency of ``amount`` (flat basis only).
        period: ``month``, ``quarter``, ``half-year`` or ``year``: what one fee covers.
        start: first day the terms apply; ``None`` for the contract's first terms.
    """

    basis: str
    rate: Decimal | None
    amount: Decimal | None
    currency: str | None
    period: str
    start: date | None = None


@dataclass(frozen=True)
class FranchiseFee(FeeTerms):
    """The fee a franchisee owes: the first terms, then dated changes.

    Attributes:
        changes: later terms, by increasing ``start``; each starts on the first day of
            a period of its own kind, so one period is never split between two terms.
    """

    changes: tuple[FeeTerms, ...] = ()

    def terms_on(self, day: date) -> FeeTerms:
        """The terms in force on ``day``."""
        terms: FeeTerms = self
        for change in self.changes:
            if change.start is not None and day >= change.start:
                terms = change
        return terms


@dataclass(frozen=True)
class NetworkConfig:
    """The social-franchise contract, as it applies to the instance being run.

    Attributes:
        name: the network's name.
        contract_version: version of the contract text.
        franchisor: the central cooperative.
        franchisees: the national partners.
        brand_name: the brand everyone keeps.
        brand_colours: primary and secondary colours.
        brand_values: the values the brand stands for.
        brand_may_change: brand elements a franchisee may adapt.
        brand_must_keep: brand elements a franchisee must keep.
        brand_adaptations: this instance's adaptations (``[instance.brand]``), as
            ``(element, value)`` pairs, each among ``brand_may_change``.
        franchise_fee: the fee rule.
        reporting_cadence: how often instances report to the franchisor.
        reporting_schema_version: version of the network report.
        tools: tools the franchisor provides.
    """

    name: str
    contract_version: str
    franchisor: NetworkParty
    franchisees: tuple[NetworkParty, ...]
    brand_name: str
    brand_colours: tuple[str, str]
    brand_values: tuple[str, ...]
    brand_may_change: tuple[str, ...]
    brand_must_keep: tuple[str, ...]
    brand_adaptations: tuple[tuple[str, Any], ...]
    franchise_fee: FranchiseFee
    reporting_cadence: str
    reporting_schema_version: str
    tools: tuple[str, ...]

    def franchisee(self, code: str) -> NetworkParty:
        """The franchisee running instance ``code``, or :class:`UnknownFranchisee`."""
        for party in self.franchisees:
            if party.code == code:
                return party
        known = ", ".join(p.code for p in self.franchisees) or "none"
        raise UnknownFranchisee(
            None, f"instance {code!r} is not a franchisee of {self.name} (franchisees: {known})"
        )

    def brand(self) -> dict[str, Any]:
        """The brand as this instance shows it: the network's, with its adaptations."""
        shown: dict[str, Any] = {
            "name": self.brand_name,
            "primary_colour": self.brand_colours[0],
            "secondary_colour": self.brand_colours[1],
            "values": list(self.brand_values),
        }
        shown.update(dict(self.brand_adaptations))
        return shown

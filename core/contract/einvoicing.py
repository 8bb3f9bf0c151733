"""What a country's law requires of the way invoices travel, on a date.

Structured e-invoices between businesses are becoming mandatory country by country,
each through its own network: Belgium through Peppol (since 1 January 2026), France
through approved platforms (from 1 September 2026, by company size). A country plugin
answers :class:`EInvoicingRules` from its dated parameters, with their legal sources;
the core's transmission service (:mod:`partage.core.documents.transmission`) decides
from them how each invoice leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The networks structured invoices travel on: the Peppol network through an access
#: point, or a French approved platform (plateforme agréée).
NETWORKS = ("peppol", "platform")
#: The sizes of company the French reform phases its obligations by (décret n°
#: 2008-1354, art. 3): large, mid-size (ETI), small and medium (PME), micro.
COMPANY_SIZES = ("large", "mid", "sme", "micro")


@dataclass(frozen=True)
class EInvoicingRules:
    """The e-invoicing obligations in force on a date, for a seller of one size.

    Attributes:
        network: the network structured invoices to domestic businesses travel on,
            one of :data:`NETWORKS`.
        issuing_mandatory: whether invoices to domestic businesses must be issued as
            structured e-invoices on that network (a PDF by email no longer counts).
        receiving_mandatory: whether the seller must be able to receive its
            suppliers' structured e-invoices.
        e_reporting: whether sales to consumers and cross-border sales must be
            reported to the tax administration (France: CGI art. 290).
        source: the law that sets these obligations, as the parameter files cite it.
    """

    network: str
    issuing_mandatory: bool
    receiving_mandatory: bool
    e_reporting: bool
    source: str

    def __post_init__(self) -> None:
        if self.network not in NETWORKS:
            raise ValueError(f"network {self.network!r} must be one of {', '.join(NETWORKS)}")

"""The ``[einvoicing]`` settings, typed: where structured invoices leave and arrive.

An instance names the provider it contracted with for each network — a Peppol access
point (Belgium) or an approved platform (France, plateforme agréée) — with its base
URL and the environment variable holding its API token (never the token itself in a
file). Both are empty by default: nothing is transmitted until an administrator
configures a provider, and an invoice the law wants on a network then says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

#: The API shapes an adapter speaks (:mod:`partage.core.documents.transmission.adapters`):
#: a Peppol access point's REST API, and the AFNOR XP Z12-013 flow service that French
#: approved platforms expose.
PEPPOL_APIS = ("access-point",)
PLATFORM_APIS = ("afnor-flow",)


@dataclass(frozen=True)
class Provider:
    """One provider of a network.

    Attributes:
        name: the provider's name as administrators know it (empty: not configured).
        api: the API shape its adapter speaks.
        base_url: its API's address (``https://ap.example/api``).
        token: its API token, read from the environment variable the settings name.
        sender_id: the cooperative's own address on the network (Peppol participant
            id ``0208:0123456789``, or its SIREN on a platform).
    """

    name: str = ""
    api: str = ""
    base_url: str = ""
    token: str = ""
    sender_id: str = ""

    @property
    def configured(self) -> bool:
        """Whether a provider is named with its address."""
        return bool(self.name and self.base_url)


@dataclass(frozen=True)
class EInvoicingSettings:
    """How structured invoices are transmitted (``[einvoicing]``).

    Attributes:
        company_size: the cooperative's size for the French phasing (``large``,
            ``mid``, ``sme``, ``micro``).
        peppol: the Peppol access point.
        platform: the French approved platform.
        max_attempts: attempts on transient errors before a delivery is given up.
        first_retry_seconds: the wait after a first transient failure; each further
            one doubles it, up to six hours.
        timeout_seconds: how long one request may wait on the provider.
    """

    company_size: str = "large"
    peppol: Provider = field(default_factory=lambda: Provider(api="access-point"))
    platform: Provider = field(default_factory=lambda: Provider(api="afnor-flow"))
    max_attempts: int = 8
    first_retry_seconds: int = 60
    timeout_seconds: int = 30

    def provider(self, network: str) -> Provider:
        """The provider of ``network`` (``peppol`` or ``platform``)."""
        return self.peppol if network == "peppol" else self.platform

    def retry_after(self, attempts: int) -> timedelta:
        """The wait before the next attempt, after ``attempts`` failed ones."""
        seconds = self.first_retry_seconds * 2 ** min(max(attempts - 1, 0), 20)
        return min(timedelta(seconds=seconds), timedelta(hours=6))

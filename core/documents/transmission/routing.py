"""How each issued invoice leaves, by the law of the seller's country on its date.

The rule, from the country plugin's :class:`~partage.core.contract.EInvoicingRules`
(hook ``partage_einvoicing_rules``):

- a client that is a business of the instance's own country (it has a VAT number of
  that country) receives a structured e-invoice on the country's network: Peppol in
  Belgium (addressed ``0208:<enterprise number>``), an approved platform in France
  (addressed by its SIREN). Without a configured provider the invoice is
  ``not_transmitted`` when the law makes it mandatory on that date (the page says so),
  and goes by email while it is still voluntary;
- every other client (a consumer, a business abroad) receives the PDF by email;
- where the law asks for e-reporting (France, CGI art. 290), a sale to a consumer or
  abroad is also reported to the platform, one record per invoice: the invoice itself,
  flagged ``B2C`` or ``B2BInt`` (the flow service's processing rule), from which the
  platform builds the aggregated transaction data it sends the administration for each
  period. Per invoice, because the cooperative issues an invoice for every sale, so
  the exact facts exist per transaction, and the platform — whose job the periodic
  aggregation is under the reform — needs no second copy of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from partage.core.acts.cooperative import Cooperative
from partage.core.contract.einvoicing import EInvoicingRules
from partage.core.members.models import Party
from partage.core.platform.einvoicing_settings import EInvoicingSettings
from partage.core.sales.models import Invoice

#: The ISO 6523 scheme of the Belgian enterprise number on Peppol (EAS code list).
ENTERPRISE_SCHEME = "0208"


@dataclass(frozen=True)
class Route:
    """One way an invoice must leave.

    Attributes:
        kind: ``invoice`` or ``e-reporting``.
        channel: ``peppol``, ``platform`` or ``email``.
        recipient: the buyer's network address or email address (empty: none known).
        processing_rule: on a platform, ``B2B``, ``B2C`` or ``B2BInt``.
        blocked: why it cannot leave (no provider where the law requires one, no
            email address); empty when it can.
    """

    kind: str
    channel: str
    recipient: str
    processing_rule: str = "B2B"
    blocked: str = ""


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def network_address(network: str, client: Party) -> str:
    """The client's address on ``network``: ``0208:<enterprise number>`` on Peppol
    (the ten digits of a Belgian VAT number), the SIREN on a French platform (the
    nine digits after a French VAT number's key)."""
    digits = _digits(client.vat_number or "")
    if network == "peppol":
        return f"{ENTERPRISE_SCHEME}:{digits}"
    return digits[-9:]


def rules_on(
    coop: Cooperative, invoice: Invoice, settings: EInvoicingSettings
) -> EInvoicingRules | None:
    """The country's e-invoicing obligations on the invoice's date."""
    found = coop.plugins.hook.partage_einvoicing_rules(
        on=invoice.issued_on, company_size=settings.company_size
    )
    return found if isinstance(found, EInvoicingRules) else None


def routes(
    coop: Cooperative, invoice: Invoice, client: Party, settings: EInvoicingSettings
) -> list[Route]:
    """The ways ``invoice`` must leave (see the module's rule)."""
    country = coop.plugins.hook.partage_country_identity().code.upper()
    rules = rules_on(coop, invoice, settings)
    vat = (client.vat_number or "").upper()
    domestic_business = bool(vat) and vat[:2] == country and client.country.upper() == country
    email = Route(
        "invoice", "email", client.email or "", blocked="" if client.email else "no_email"
    )
    found: list[Route] = []
    if rules is not None and domestic_business:
        network = rules.network
        provider = settings.provider(network)
        route = Route("invoice", network, network_address(network, client))
        if provider.configured:
            found.append(route)
        elif rules.issuing_mandatory:
            found.append(Route("invoice", network, route.recipient, blocked="no_provider"))
        else:
            found.append(email)
    else:
        found.append(email)
    if rules is not None and rules.e_reporting and not domestic_business:
        rule = "B2BInt" if vat else "B2C"
        blocked = "" if settings.platform.configured else "no_provider"
        found.append(Route("e-reporting", "platform", "", processing_rule=rule, blocked=blocked))
    return found

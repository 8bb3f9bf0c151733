"""The franchisor's workspace: the reports received from the franchisees, filed and
drawn per instance and over time (page and API share these calls)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from babel.numbers import format_currency, format_decimal, format_percent
from markupsafe import Markup

from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.acts.cooperative import NotFound
from partage.core.franchise.received import Figures, Overview, Receipt, overview, receive
from partage.core.platform.db.base import utcnow
from partage.core.platform.db.engine import transaction
from partage.core.web.i18n import N_
from partage.core.web.reports import network_charts as draw
from partage.core.web.site import Site

#: Who follows the network: the franchisor, and the administrators of its instance.
READERS = (Role.FRANCHISOR, Role.ADMINISTRATOR)


def network_overview(site: Site, principal: Principal, grouping: str) -> Overview:
    """The reports received, per instance and over time (franchisor, administrators)."""
    require(principal, *READERS, what="read the network report")
    with site.sessions() as session:
        return overview(session, grouping)


def receive_report(
    site: Site, principal: Principal, report: Mapping[str, Any], file: str
) -> Receipt:
    """File a franchisee's report (franchisor, administrators): checked against its
    schema, refused from an instance the contract does not list."""
    require(principal, *READERS, what="receive a network report")
    if site.network is None:
        raise NotFound("network", N_("this instance is served without a franchise contract"))
    with transaction(site.sessions) as session:
        return receive(
            session, site.network, report, file=file, actor=principal.actor, now=utcnow()
        )


@dataclass(frozen=True)
class Chart:
    """A titled chart of the page."""

    title: str
    svg: Markup


#: The amounts drawn, by figure: their titles (translated on the page).
AMOUNTS: tuple[tuple[str, str], ...] = (
    ("invoiced_volume", N_("Invoiced, excluding VAT")),
    ("fee_income", N_("Management fee income")),
    ("franchise_fee", N_("Franchise fee")),
)


def charts(
    view: Overview, *, gettext: Callable[[str], str], language: str, primary: str, secondary: str
) -> tuple[list[Chart], list[Chart]]:
    """The charts per instance (latest reports) and over time, in the page's language;
    amounts drawn per currency, never added across currencies."""
    codes = sorted({f.code for f in view.series} | {f.code for f in view.latest})
    palette = draw.colours(codes, primary, secondary)
    count: Callable[[Decimal], str] = lambda v: format_decimal(v, locale=language)  # noqa: E731
    share: Callable[[Decimal], str] = lambda v: format_percent(  # noqa: E731
        v, "#,##0.0%", locale=language
    )

    def money(currency: str) -> Callable[[Decimal], str]:
        return lambda v: format_currency(v, currency, locale=language)

    def titled(text: str, currency: str | None = None) -> str:
        return gettext(text) + (f" ({currency})" if currency else "")

    currencies = sorted({f.currency for f in (*view.latest, *view.series)})
    latest = list(view.latest)
    now: list[Chart] = [
        Chart(
            titled(N_("Members")),
            draw.per_instance(
                [(f.code, Decimal(f.members)) for f in latest],
                title=titled(N_("Members")),
                palette=palette,
                show=count,
            ),
        ),
        Chart(
            titled(N_("Entities")),
            draw.per_instance(
                [(f.code, Decimal(f.entities)) for f in latest],
                title=titled(N_("Entities")),
                palette=palette,
                show=count,
            ),
        ),
        Chart(
            titled(N_("Guarantee fund coverage of its exposure")),
            draw.per_instance(
                [(f.code, f.fund_coverage) for f in latest if f.fund_coverage is not None],
                title=titled(N_("Guarantee fund coverage of its exposure")),
                palette=palette,
                show=share,
            ),
        ),
    ]
    over: list[Chart] = [
        Chart(
            titled(N_("Members")),
            draw.over_time(
                [(f.label, f.code, Decimal(f.members)) for f in view.series],
                title=titled(N_("Members")),
                palette=palette,
                show=count,
            ),
        )
    ]
    for currency in currencies:
        for name, text in AMOUNTS:
            figure: Callable[[Figures], Decimal] = attrgetter(name)
            now.append(
                Chart(
                    titled(text, currency),
                    draw.per_instance(
                        [(f.code, figure(f)) for f in latest if f.currency == currency],
                        title=titled(text, currency),
                        palette=palette,
                        show=money(currency),
                    ),
                )
            )
            over.append(
                Chart(
                    titled(text, currency),
                    draw.over_time(
                        [
                            (f.label, f.code, figure(f))
                            for f in view.series
                            if f.currency == currency
                        ],
                        title=titled(text, currency),
                        palette=palette,
                        show=money(currency),
                    ),
                )
            )
    return now, over

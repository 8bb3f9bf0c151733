"""What the web application serves: one instance's database, its cooperative context,
the franchise contract and the brand; "today" is the cooperative's clock.

Everything a request handler needs hangs off one :class:`Site`, built once by
:func:`partage.core.web.app.create_app`; tests build it from their own worlds, the
command line from a :class:`~partage.core.platform.runtime.Runtime`.
"""

from __future__ import annotations

import inspect
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from partage.core.acts.cooperative import Cooperative, InvalidAct
from partage.core.contract.errors import N_
from partage.core.documents.transmission.jobs import TransmissionJobs
from partage.core.platform.einvoicing_settings import EInvoicingSettings
from partage.core.platform.limits import Limits
from partage.core.platform.mail.jobs import MailQueue, storage_for
from partage.core.platform.mail.settings import EmailSettings
from partage.core.platform.network import NetworkConfig
from partage.core.platform.registries import Registries

if TYPE_CHECKING:
    from partage.core.platform.runtime import Runtime

#: Colours used when neither the country plugin nor the network contract gives one.
DEFAULT_COLOURS = ("#1f4e79", "#f2a900")


@dataclass(frozen=True)
class Look:
    """The brand the interface wears.

    Attributes:
        name: trading name shown in the header.
        primary_colour, secondary_colour: ``#rrggbb``.
        logo: the logo file, ``None`` when the country plugin ships none.
    """

    name: str
    primary_colour: str
    secondary_colour: str
    logo: Path | None


@dataclass
class Site:
    """One instance served over HTTP.

    Attributes:
        sessions: the database session factory.
        coop: the instance's cooperative context (configuration, plugins, ledger).
        network: the franchise contract (``None`` when serving without one: the network
            report then carries no franchise fee).
        fiscal_year_start_month: first month of the fiscal year (reports' default range).
        hasher: the argon2 password hasher.
        session_lifetime: how long a login stays open.
        csrf_secret: secret of the forms' CSRF tokens.
        secure_cookies: send cookies over HTTPS only (production behind TLS).
        worker_category: the country plugin's worker category the quick-job flow and
            simulations start from (a member may change it).
        worker_categories: the categories the country's payroll pays, offered as a
            choice (from its sample data; empty: any text the payroll accepts).
        administrators_need_second_factor: an administrator without a second factor
            is sent to enrolment and can do nothing else until enrolled (on by
            default; the loopback demo turns it off).
        email: how messages leave the outbox (``[email]``), and how long a password
            reset link stays valid.
        einvoicing: where structured invoices leave and arrive (``[einvoicing]``).
        registries: the public company registers that prefill a new business client
            (``[registries]``; none enabled by default).
    """

    sessions: sessionmaker[Session]
    coop: Cooperative
    network: NetworkConfig | None = None
    fiscal_year_start_month: int = 1
    hasher: PasswordHasher = field(default_factory=PasswordHasher)
    session_lifetime: timedelta = timedelta(hours=12)
    csrf_secret: str = field(default_factory=lambda: secrets.token_hex(32))
    secure_cookies: bool = False
    worker_category: str = "employee"
    worker_categories: tuple[str, ...] = ()
    administrators_need_second_factor: bool = True
    email: EmailSettings = field(default_factory=EmailSettings)
    einvoicing: EInvoicingSettings = field(default_factory=EInvoicingSettings)
    registries: Registries = field(default_factory=Registries)

    def chosen_category(self, value: object) -> str:
        """The worker category a form asked for, one the country's payroll pays (the
        default when none is asked); an unknown one is refused naming the field."""
        category = str(value or self.worker_category)
        if self.worker_categories and category not in self.worker_categories:
            raise InvalidAct(
                "worker_category",
                N_("{category} is not one of {item_a}"),
                category=repr(category),
                item_a=", ".join(self.worker_categories),
            )
        return category

    @classmethod
    def from_runtime(cls, runtime: Runtime, **options: object) -> Site:
        """The site of a runtime's instance; the quick job's worker category defaults to
        the first one the country plugin's payroll pays (its sample data says which)."""
        samples = runtime.plugins.hook.partage_sample_data()
        if samples is not None and samples.worker_categories:
            options.setdefault("worker_categories", samples.worker_categories)
            options.setdefault("worker_category", samples.worker_categories[0])
        options.setdefault("email", runtime.config.email)
        options.setdefault("einvoicing", runtime.config.einvoicing)
        options.setdefault("registries", runtime.config.registries)
        return cls(
            runtime.sessions,
            Cooperative.from_runtime(runtime),
            runtime.config.network,
            runtime.config.fiscal_year_start_month,
            **options,  # type: ignore[arg-type]
        )

    def mail_queue(self) -> MailQueue:
        """The outbox's job queue on this site's database, woken by each commit that
        wrote a message (its worker is started by the caller, if any)."""
        engine = self.sessions.kw["bind"]
        queue = MailQueue(
            storage_for(engine.url.render_as_string(hide_password=False)),
            self.sessions,
            self.email,
        )
        queue.watch()
        TransmissionJobs(queue.huey, self.sessions, self.einvoicing).watch()
        return queue

    @property
    def limits(self) -> Limits:
        """The most each upload may weigh (``[limits]``, through the cooperative)."""
        return self.coop.limits

    @property
    def max_body_size(self) -> int:
        """The largest request body accepted, in bytes: the largest upload the web
        takes, as base64, with room for the other fields."""
        return self.limits.request_body_bytes()

    @property
    def currency(self) -> str:
        return self.coop.currency

    def today(self) -> date:
        """Today, as the cooperative's clock says (:mod:`partage.core.platform.clock`):
        the pages and the acts they make read one clock."""
        return self.coop.today()

    @property
    def languages(self) -> tuple[str, ...]:
        return self.coop.instance.languages

    def look(self) -> Look:
        """The country plugin's brand, else the network's colours, else defaults."""
        brand = self.coop.plugins.hook.partage_country_brand()
        if brand is not None:
            return Look(
                brand.name, brand.primary_colour, brand.secondary_colour, self._logo(brand.logo)
            )
        if self.network is not None:
            shown = self.network.brand()
            return Look(
                str(shown["name"]),
                str(shown["primary_colour"]),
                str(shown["secondary_colour"]),
                None,
            )
        return Look(self.coop.instance.name, *DEFAULT_COLOURS, None)

    def _logo(self, relative: str) -> Path | None:
        """The logo file, found next to the module of the plugin that gave the brand."""
        for plugin in self.coop.plugins.get_plugins():
            if not hasattr(plugin, "partage_country_brand"):
                continue
            module = plugin if inspect.ismodule(plugin) else inspect.getmodule(type(plugin))
            source = getattr(module, "__file__", None)
            if source:
                path = Path(source).parent / relative
                if path.is_file():
                    return path
        return None

"""Bringing a national instance's configuration into its database.

The configuration says which offices exist and which sectors each enables; the
database keeps them as records that the instance's administrators can edit later
(:mod:`partage.core.members.offices`).
Loading is idempotent: a second load changes only what the configuration changed, and
every change is audited.

:func:`bootstrap` is the one way an instance is set up, whoever asks (``partage
setup`` on a production database, the demo, the conformance month, the tests): migrate
the schema, load the instance, set up the books from the country's chart, open the
fiscal years. Each step is safe to repeat and audits what it changes as the actor who
ran it, so a second run changes nothing and its report says so.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import pluggy
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from partage.core.contract.errors import N_, PartageError
from partage.core.contract.identity import CountryIdentity
from partage.core.contract.vat import percent_label
from partage.core.ledger.books import BooksSetup, set_up_books
from partage.core.ledger.periods import ensure_year
from partage.core.ledger.posting import fiscal_year_of
from partage.core.members.models import Office
from partage.core.members.offices import enable_configured
from partage.core.platform import audit, clock
from partage.core.platform.config import InstanceConfig
from partage.core.platform.db import migrate
from partage.core.platform.db.engine import session_factory, transaction
from partage.core.platform.db.models import InstanceRecord
from partage.core.platform.registry import sector_countries


class InstanceMismatch(PartageError):
    """The database already serves another instance."""

    usage = True


@dataclass
class LoadReport:
    """What loading an instance did.

    Attributes:
        instance_created: the instance row was created now.
        offices_created: codes of offices created.
        offices_updated: codes of offices whose name or address changed.
        sectors_enabled: ``office:sector`` pairs enabled now.
    """

    instance_created: bool = False
    offices_created: list[str] = field(default_factory=list)
    offices_updated: list[str] = field(default_factory=list)
    sectors_enabled: list[str] = field(default_factory=list)


def load_instance(
    session: Session,
    config: InstanceConfig,
    *,
    actor: str,
    today: date | None = None,
    countries: Mapping[str, str] | None = None,
) -> LoadReport:
    """Create or update the instance row and its offices from the configuration.

    A configured sector is enabled from ``today`` in an office that never had it; once
    an office has a history for a sector, its administrators decide (see
    :func:`partage.core.members.offices.enable_configured`). With ``countries`` (the
    country each installed sector declares), a configured sector of another country
    than the instance's is refused.
    """
    report = LoadReport()
    today = today or clock.today()
    record = session.scalars(select(InstanceRecord)).one_or_none()
    if record is None:
        record = InstanceRecord(
            code=config.code,
            name=config.name,
            legal_name=config.legal_name,
            country_plugin=config.country_plugin,
            currency=config.currency,
        )
        session.add(record)
        report.instance_created = True
        audit.record(
            session,
            actor=actor,
            action="instance.create",
            subject=f"instance:{config.code}",
            reason="loaded from configuration",
            data={"currency": config.currency, "country_plugin": config.country_plugin},
        )
    elif record.code != config.code:
        raise InstanceMismatch(
            None,
            N_("database serves instance {record_code}; configuration asks for {config_code}"),
            record_code=repr(record.code),
            config_code=repr(config.code),
        )
    elif record.currency != config.currency:
        raise InstanceMismatch(
            "instance.currency",
            N_(
                "database books are in {record_currency}, configuration says "
                "{config_currency}; a currency never changes under posted "
                "books"
            ),
            record_currency=record.currency,
            config_currency=config.currency,
        )
    offices = {office.code: office for office in session.scalars(select(Office))}
    for wanted in config.offices:
        office = offices.get(wanted.code)
        if office is None:
            office = Office(code=wanted.code, name=wanted.name, address=wanted.address)
            session.add(office)
            report.offices_created.append(wanted.code)
            audit.record(
                session,
                actor=actor,
                action="office.create",
                subject=f"office:{wanted.code}",
                reason="loaded from configuration",
                data={"name": wanted.name, "address": wanted.address},
            )
        elif (office.name, office.address) != (wanted.name, wanted.address):
            office.name, office.address = wanted.name, wanted.address
            report.offices_updated.append(wanted.code)
            audit.record(
                session,
                actor=actor,
                action="office.update",
                subject=f"office:{wanted.code}",
                reason="loaded from configuration",
                data={"name": wanted.name, "address": wanted.address},
            )
        enabled = enable_configured(
            session,
            office,
            wanted.sectors,
            actor=actor,
            today=today,
            countries=countries,
            country=config.country_plugin,
        )
        report.sectors_enabled += [f"{wanted.code}:{sector}" for sector in enabled]
    session.flush()
    return report


@dataclass(frozen=True)
class BootstrapReport:
    """What :func:`bootstrap` found and did.

    Attributes:
        instance: the instance's configuration.
        country: the country plugin's identity.
        database: the database's URL, password hidden.
        revisions: the schema's revision before (``None`` on an empty database) and after.
        loaded: what loading the instance and its offices changed.
        chart: the name of the country's chart of accounts.
        books: what setting up the books did.
        fiscal_years: each fiscal year asked for, with whether it was opened now.
    """

    instance: InstanceConfig
    country: CountryIdentity
    database: str
    revisions: tuple[str | None, str | None]
    loaded: LoadReport
    chart: str
    books: BooksSetup
    fiscal_years: tuple[tuple[int, bool], ...]

    def lines(self) -> Iterator[str]:
        """What was done, one line per step (nothing done is said too)."""
        instance = self.instance
        yield (
            f"Instance {instance.code}: {instance.name} ({instance.legal_name}), "
            f"books in {instance.currency}"
        )
        yield f"Database: {self.database}"
        before, after = self.revisions
        if before == after:
            yield f"Schema: already at revision {after}"
        else:
            yield f"Schema: migrated from {before or 'empty'} to revision {after}"
        created = self.loaded.instance_created
        yield "Instance record: " + ("created" if created else "already present")
        for office in instance.offices:
            state = (
                "created"
                if office.code in self.loaded.offices_created
                else "updated"
                if office.code in self.loaded.offices_updated
                else "unchanged"
            )
            sectors = ", ".join(office.sectors) or "no sector plugin enabled"
            yield f"Office {office.code} ({office.name}): {state}; {sectors}"
        books = self.books
        years = ", ".join(
            f"fiscal year {year} {'opened' if opened else 'open'}"
            for year, opened in self.fiscal_years
        )
        yield (
            f"Books: chart {self.chart} ({books.accounts} accounts, "
            f"{len(books.chart.added)} added), "
            f"journals {'created' if books.journals_created else 'present'}, cooperative book "
            f"{'opened' if books.cooperative_opened else 'present'}, {years}"
        )
        yield (
            f"Country plugin {self.country.code} ({self.country.name}), "
            f"languages {', '.join(instance.languages)}; "
            f"management fee {percent_label(instance.management_fee_rate, '.')}, "
            f"guarantee fund {percent_label(instance.guarantee_fund_share, '.')} of fee "
            f"income, share nominal value {instance.share_nominal_value} {instance.currency}"
        )


def bootstrap(
    engine: Engine,
    instance: InstanceConfig,
    plugins: pluggy.PluginManager,
    *,
    actor: str,
    fiscal_years: Sequence[int] = (),
    fiscal_year_start_month: int = 1,
    today: date | None = None,
) -> BootstrapReport:
    """Set up an instance in its database, or check that it is set up: migrate the
    schema to the newest revision, load the instance and its offices, load the
    country's chart, the journals and the cooperative's book, and open each of
    ``fiscal_years`` not opened yet (default: the fiscal year of ``today``).

    Everything after the migration is one transaction, audited as ``actor``.
    Refuses (:class:`InstanceMismatch`) a database that serves another instance.
    """
    today = today or clock.today()
    years = tuple(fiscal_years) or (fiscal_year_of(today, fiscal_year_start_month),)
    revisions = migrate.upgrade(engine)
    chart = plugins.hook.partage_chart_of_accounts()
    with transaction(session_factory(engine)) as session:
        loaded = load_instance(
            session, instance, actor=actor, today=today, countries=sector_countries(plugins)
        )
        books = set_up_books(
            session, chart, name=instance.legal_name, currency=instance.currency, actor=actor
        )
        opened = tuple(
            (
                year,
                ensure_year(session, year, actor=actor, start_month=fiscal_year_start_month),
            )
            for year in years
        )
    return BootstrapReport(
        instance=instance,
        country=plugins.hook.partage_country_identity(),
        database=engine.url.render_as_string(hide_password=True),
        revisions=revisions,
        loaded=loaded,
        chart=chart.name,
        books=books,
        fiscal_years=opened,
    )

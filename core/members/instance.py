"""Loading a national instance's configuration into its database.

The configuration says which offices exist and which sectors each enables; the
database keeps them as records that the instance's administrators can edit later
(:mod:`partage.core.members.offices`).
Loading is idempotent: a second load changes only what the configuration changed, and
every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.contract.errors import PartageError
from partage.core.members.models import Office
from partage.core.members.offices import enable_configured
from partage.core.platform import audit
from partage.core.platform.config import InstanceConfig
from partage.core.platform.db.models import InstanceRecord


class InstanceMismatch(PartageError):
    """The database already serves another instance."""


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
    session: Session, config: InstanceConfig, *, actor: str, today: date | None = None
) -> LoadReport:
    """Create or update the instance row and its offices from the configuration.

    A configured sector is enabled from ``today`` in an office that never had it; once
    an office has a history for a sector, its administrators decide (see
    :func:`partage.core.members.offices.enable_configured`).
    """
    report = LoadReport()
    today = today or date.today()
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
            f"database serves instance {record.code!r}; configuration asks for {config.code!r}",
        )
    elif record.currency != config.currency:
        raise InstanceMismatch(
            "instance.currency",
            f"database books are in {record.currency}, "
            f"configuration says {config.currency}; a currency never changes under posted books",
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
        enabled = enable_configured(session, office, wanted.sectors, actor=actor, today=today)
        report.sectors_enabled += [f"{wanted.code}:{sector}" for sector in enabled]
    session.flush()
    return report

"""``partage demo``: the main job on the embedded default.

Creates and migrates the database, loads the demo national instance (its offices and
their sectors) and says what it did. It is safe to run again: the second run finds the
schema current and the instance loaded, and says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from partage.core.db import migrate
from partage.core.db.engine import transaction
from partage.core.instance import load_instance
from partage.core.ledger.books import set_up_books
from partage.core.ledger.models import Period, PeriodKind
from partage.core.ledger.periods import open_year
from partage.core.ledger.posting import fiscal_year_of
from partage.core.runtime import Runtime


def percent(fraction: Decimal) -> str:
    """A fraction as a percentage without trailing zeros (``0.065`` -> ``6.5 %``)."""
    return f"{(fraction * 100).normalize():f} %"


def run_demo(runtime: Runtime) -> Iterator[str]:
    """Run the demo, yielding one line per thing done."""
    config = runtime.config
    instance = config.instance
    yield (
        f"Instance {instance.code}: {instance.name} ({instance.legal_name}), "
        f"books in {instance.currency}"
    )
    yield f"Database: {runtime.engine.url.render_as_string(hide_password=True)}"
    before, after = migrate.upgrade(runtime.engine)
    if before == after:
        yield f"Schema: already at revision {after}"
    else:
        yield f"Schema: migrated from {before or 'empty'} to revision {after}"
    with transaction(runtime.sessions) as session:
        report = load_instance(session, instance, actor="demo")
    yield "Instance record: " + ("created" if report.instance_created else "already present")
    for office in instance.offices:
        state = (
            "created"
            if office.code in report.offices_created
            else "updated"
            if office.code in report.offices_updated
            else "unchanged"
        )
        sectors = ", ".join(office.sectors) or "no sector plugin enabled"
        yield f"Office {office.code} ({office.name}): {state}; {sectors}"
    with transaction(runtime.sessions) as session:
        chart = runtime.plugins.hook.partage_chart_of_accounts()
        books = set_up_books(
            session, chart, name=instance.legal_name, currency=instance.currency, actor="demo"
        )
        year = fiscal_year_of(date.today(), config.fiscal_year_start_month)
        year_opened = (
            session.scalar(
                select(Period.id).where(
                    Period.kind == PeriodKind.YEAR.value, Period.fiscal_year == year
                )
            )
            is None
        )
        if year_opened:
            open_year(session, year, actor="demo", start_month=config.fiscal_year_start_month)
    yield (
        f"Books: chart {chart.name} ({books.accounts} accounts, {len(books.chart.added)} added), "
        f"journals {'created' if books.journals_created else 'present'}, cooperative book "
        f"{'opened' if books.cooperative_opened else 'present'}, fiscal year {year} "
        f"{'opened' if year_opened else 'open'}"
    )
    country = runtime.plugins.hook.partage_country_identity()
    yield (
        f"Country plugin {country.code} ({country.name}), "
        f"languages {', '.join(instance.languages)}; "
        f"management fee {percent(instance.management_fee_rate)}, "
        f"guarantee fund {percent(instance.guarantee_fund_share)} of fee income, "
        f"share nominal value {instance.share_nominal_value} {instance.currency}"
    )

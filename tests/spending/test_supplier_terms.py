"""A supplier invoice's due date lies within the longest payment term, as a sales
invoice's does (issue 16): entered by hand beyond it, it is refused naming the latest
date allowed; received in a supplier's document beyond it, the document is booked due
on that latest date, with a warning (a received document is a fact; a term beyond the
law's cap does not bind the buyer: BE loi du 2 août 2002 art. 4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, func, select

from partage.core.acts.cooperative import InvalidAct
from partage.core.documents import importing
from partage.core.spending import purchases
from partage.core.spending.models import Purchase
from tests.documents_support import (
    DAY,
    CountryWorld,
    build_country_world,
    fund,
    issuer,
    supplier_document,
    supplier_ubl,
)


@pytest.fixture
def world(engine: Engine) -> CountryWorld:
    """A Belgian entity with 5,000.00 in the bank, its instance allowing 90 days: the
    law's 60 days win."""
    world = build_country_world(engine, "be")
    lenient = replace(world.coop.instance.dates, max_payment_term_days=90)
    world.coop = replace(world.coop, instance=replace(world.coop.instance, dates=lenient))
    fund(world)
    return world


def received(world: CountryWorld, number: str, due_on: date) -> importing.ImportedPurchase:
    document = replace(supplier_document(number=number), issued_on=DAY, due_on=due_on)
    with world.act() as s:
        return importing.import_purchase(
            s,
            world.coop,
            supplier_ubl(document),
            entity=world.entity,
            actor="t",
            issuer=issuer("be"),
        )


def due_dates(world: CountryWorld) -> list[date]:
    with world.act() as s:
        return list(s.scalars(select(Purchase.due_on).order_by(Purchase.id)))


def buy(world: CountryWorld, supplier: str, reference: str, due_on: date | None) -> Purchase:
    with world.act() as s:
        return purchases.record_purchase(
            s,
            world.coop,
            entity=world.entity,
            supplier=supplier,
            supplier_reference=reference,
            net="100",
            on=DAY,
            due_on=due_on,
            actor="t",
        )


def test_a_supplier_invoice_entered_beyond_the_term_is_refused(world: CountryWorld) -> None:
    supplier = received(world, "INV-1", DAY + timedelta(days=30)).supplier
    with pytest.raises(InvalidAct) as refused:
        buy(world, supplier, "INV-2", DAY + timedelta(days=61))
    assert refused.value.field == "due_on"
    assert str(refused.value) == (
        "due_on: 2026-09-05 is beyond the longest payment term, 60 days: due by "
        "2026-09-04 at the latest for the supplier invoice dated 2026-07-06"
    )
    with pytest.raises(InvalidAct, match="is before the supplier invoice date 2026-07-06"):
        buy(world, supplier, "INV-2", DAY - timedelta(days=1))
    with world.act() as s:
        assert s.scalar(select(func.count()).select_from(Purchase)) == 1
    assert buy(world, supplier, "INV-2", DAY + timedelta(days=60)).due_on == date(2026, 9, 4)
    assert buy(world, supplier, "INV-3", None).due_on == DAY + timedelta(days=30)


def test_a_received_document_due_beyond_the_term_is_booked_due_at_the_term(
    world: CountryWorld,
) -> None:
    done = received(world, "INV-9", date(2099, 12, 31))
    assert due_dates(world) == [date(2026, 9, 4)]
    (warning,) = [w for w in done.warnings if w.rule == "TERM"]
    assert warning.message == (
        "due on 2099-12-31, beyond the longest payment term of 60 days: booked as due on 2026-09-04"
    )

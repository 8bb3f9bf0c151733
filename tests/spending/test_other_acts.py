"""The services behind the entity's other acts: expense categories offered only where a
sector is in force, a claim with several receipts all or none, receipts that must be a
PDF or an image, copyright refused where the country has no regime, subsidies and gifts
that count only once staff validate them, sponsorship invoiced with its VAT."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from partage.core.acts import pending
from partage.core.acts.cooperative import ActError, Cooperative, InvalidAct
from partage.core.acts.models import PendingAct, PendingKind
from partage.core.banking import pending as decisions
from partage.core.ledger.models import JournalEntry
from partage.core.ledger.reports import available_funds
from partage.core.members.service import entity_by_code
from partage.core.sales.models import Invoice
from partage.core.spending import copyright, expenses, internal_invoices, other_income
from partage.core.spending.models import ActReceipt, ExpenseClaim, OtherIncome
from tests.documents_support import DAY as FR_DAY
from tests.documents_support import CountryWorld
from tests.engine_support import World, build_world, with_sectors
from tests.sector_support import DAY, client, enable, fund, member_with_entity

PDF = b"%PDF-1.4\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


@pytest.fixture
def world(engine: Engine) -> World:
    """E000001 rides for platforms (couriers in force), E000002 does not; both funded."""
    world = with_sectors(build_world(engine), "couriers")
    enable(world, "couriers")
    member_with_entity(world, 1, ["couriers"])
    member_with_entity(world, 2, [])
    party = client(world, "Deliveries Ltd", "ZZ0000000001")
    for entity in ("E000001", "E000002"):
        fund(world, entity, party)
    return world


def test_a_sectors_category_is_offered_only_where_the_sector_is_in_force(world: World) -> None:
    with world.act() as s:
        courier = expenses.categories_in_force(s, world.coop, entity_by_code(s, "E000001"), DAY)
        designer = expenses.categories_in_force(s, world.coop, entity_by_code(s, "E000002"), DAY)
    assert ("bike_repair", "Bike repair and upkeep") in courier
    assert "bike_repair" not in dict(designer)
    assert dict(designer).keys() == set(expenses.CORE_EXPENSE_CATEGORIES)


def line(
    category: str = "travel", net: str = "12.00", receipt: bytes = PDF
) -> expenses.ExpenseLine:
    return expenses.ExpenseLine(category=category, net=net, receipt_name="r.pdf", receipt=receipt)


def claim(world: World, entity: str, member: int, *lines: expenses.ExpenseLine) -> list[int]:
    with world.act() as s:
        done = expenses.claim_expenses(
            s, world.coop, entity=entity, member=member, lines=lines, on=DAY, actor="t"
        )
        return [c.id for c in done]


def test_a_claim_with_several_receipts_keeps_each_and_is_all_or_none(world: World) -> None:
    ids = claim(world, "E000001", 1, line(), line("bike_repair", "38.50", JPEG))
    with world.act() as s:
        kept = s.scalars(select(ActReceipt).where(ActReceipt.subject == "expense_claim")).all()
        assert sorted((r.subject_id, r.media_type) for r in kept) == [
            (ids[0], "application/pdf"),
            (ids[1], "image/jpeg"),
        ]
    for bad, field in (
        ((line(), line("bike_repair")), "lines[2].category"),  # E000002: not a courier
        ((line(), line(receipt=b"plain text")), "lines[2].receipt"),
        ((line(net="-1"),), "lines[1].net"),
    ):
        with pytest.raises(InvalidAct) as refused:
            claim(world, "E000002", 2, *bad)
        assert refused.value.field == field
    with pytest.raises(InvalidAct) as empty:
        claim(world, "E000002", 2)
    assert empty.value.field == "lines"
    with world.act() as s:
        assert s.scalar(select(func.count()).select_from(ExpenseClaim)) == 2
        assert s.scalar(select(func.count()).select_from(ActReceipt)) == 2


def test_a_subsidy_and_a_gift_count_only_once_staff_validate_them(world: World) -> None:
    with world.act() as s:
        before = available_funds(s, book="E000002", on=DAY)
        gift = other_income.record_other_income(
            s,
            world.coop,
            kind="patronage",
            entity="E000002",
            funder="C000001",
            amount="250.00",
            on=DAY,
            actor="member:2",
            reference_="Letter of 3 July",
        )
        row = pending.of_subject(s, PendingKind.OTHER_INCOME, gift.id)
        assert row is not None and row.status == "pending"
        assert available_funds(s, book="E000002", on=DAY) == before
        entries = s.scalar(select(func.count()).select_from(JournalEntry))
        with pytest.raises(pending.FourEyes):
            decisions.validate(s, world.coop, row.id, actor="member:2", on=DAY)
    with world.act() as s:
        decisions.validate(s, world.coop, row.id, actor="adviser", on=DAY)
        assert s.scalar(select(func.count()).select_from(JournalEntry)) == entries + 1
        assert available_funds(s, book="E000002", on=DAY) == before + Decimal("250.00")
        listed = decisions.listing(s, world.coop, ids=[row.id])
        assert listed[0].what == "Gift from C000001 Deliveries Ltd (Letter of 3 July)"
    with world.act() as s, pytest.raises(InvalidAct) as refused:
        other_income.record_other_income(
            s,
            world.coop,
            kind="sponsorship",
            entity="E000002",
            funder="C000001",
            amount="1",
            on=DAY,
            actor="t",
        )
    assert refused.value.field == "kind"


def test_a_refused_subsidy_never_counts(world: World) -> None:
    with world.act() as s:
        income = other_income.record_other_income(
            s,
            world.coop,
            kind="subsidy",
            entity="E000002",
            funder="C000001",
            amount="90",
            on=DAY,
            actor="m",
        )
        row = pending.of_subject(s, PendingKind.OTHER_INCOME, income.id)
        assert row is not None
        decisions.refuse(s, row.id, actor="adviser", reason="no money on the statement")
        assert s.get(PendingAct, row.id).status == "refused"  # type: ignore[union-attr]


def test_a_sponsorship_is_an_invoice_with_vat(world: World) -> None:
    with world.act() as s:
        income, number = other_income.invoice_sponsorship(
            s,
            world.coop,
            entity="E000002",
            sponsor="C000001",
            amount="1000",
            description="Name on the race jerseys",
            on=DAY,
            actor="t",
        )
        invoice = s.scalars(select(Invoice).where(Invoice.number == number)).one()
        assert (invoice.net, invoice.vat > 0, income.reference) == (100000, True, number)
        assert s.scalar(select(func.count()).select_from(OtherIncome)) == 1
        with pytest.raises(InvalidAct) as blank:
            other_income.invoice_sponsorship(
                s,
                world.coop,
                entity="E000002",
                sponsor="C000001",
                amount="1",
                description=" ",
                on=DAY,
                actor="t",
            )
        assert blank.value.field == "description"


def test_copyright_is_refused_where_the_country_has_no_regime(fr: CountryWorld) -> None:
    with fr.act() as s, pytest.raises(ActError) as refused:
        copyright.cede_copyright(
            s,
            fr.coop,
            entity=fr.entity,
            member=1,
            work="Photographs",
            amount="100",
            on=FR_DAY,
            actor="t",
        )
    assert refused.value.field == "copyright"
    assert "no copyright income regime" in str(refused.value)


def internal(world: World, coop: Cooperative, amount: str) -> tuple[Decimal, Decimal, Decimal]:
    """Propose and accept an internal invoice from E000001 to E000002; the funds moved
    (the buyer's, the seller's) and the cooperative's fee income."""
    with world.act() as s:
        before = (
            available_funds(s, book="E000002", on=DAY),
            available_funds(s, book="E000001", on=DAY),
        )
        row = internal_invoices.propose_internal_invoice(
            s,
            coop,
            seller="E000001",
            buyer="E000002",
            amount=amount,
            description="Wheel truing",
            on=DAY,
            actor="m1",
        )
        internal_invoices.decide_internal_invoice(
            s, coop, row.number, accept=True, by_member=2, on=DAY, actor="m2"
        )
        after = (
            available_funds(s, book="E000002", on=DAY),
            available_funds(s, book="E000001", on=DAY),
        )
        fees = s.scalar(
            select(func.count())
            .select_from(JournalEntry)
            .where(JournalEntry.description.like("Fee on internal%"))
        )
    return before[0] - after[0], after[1] - before[1], Decimal(fees or 0)


def test_an_internal_invoice_takes_a_fee_only_where_the_instance_sets_one(world: World) -> None:
    assert internal(world, world.coop, "100.00") == (Decimal("100.00"), Decimal("100.00"), 0)
    charged = replace(
        world.coop, instance=replace(world.coop.instance, internal_fee_rate=Decimal("0.02"))
    )
    assert internal(world, charged, "100.00") == (Decimal("100.00"), Decimal("98.00"), 2)

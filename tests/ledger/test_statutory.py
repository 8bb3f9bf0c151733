"""Two views of the same books: each entity's books are its management view; the legal
person's statutory statements eliminate the flows between books. Then the year closes
in order, its result waits on the result account, and the general assembly's
appropriation makes the guarantee fund's movements a reserve.

A month of Testland (VAT 21 %, fee 6.5 %, 20 % of the fee to the fund), July 2026:

* members 1 and 2 pay one share each (30.00);
* the general assembly allocates 100.00 to the fund (management pair);
* E000001 invoices Acme 1000.00 (+210.00 VAT; fee 65.00, fund 13.00);
* E000002 invoices Acme 500.00 (+105.00; fee 32.50, fund 6.50), paid 605.00;
* E000001 invoices Beta 100.00 (+21.00; fee 6.50, fund 1.30); Beta defaults and the
  fund absorbs 100.00 (the VAT, 21.00, recovered);
* E000001 invoices E000002 300.00 for subcontracted work (internal, accepted).

Outside income is 1600.00 (1000 + 500 + 100); the only outside expense is the bad debt
of 100.00, so the legal person's result is 1500.00.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select

from partage.core.acts import appropriation
from partage.core.acts.cooperative import ClosedRecord, InvalidAct
from partage.core.acts.models import Appropriation
from partage.core.ledger import reports
from partage.core.ledger.periods import close_month, close_year
from partage.core.ledger.statutory import statutory_statements, statutory_trial_balance
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.risk import fund
from partage.core.risk.solvency import fund_balance
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.spending import internal_invoices
from tests.engine_support import World, build_world
from tests.franchise.test_franchise_fee import person

D = Decimal
JULY = (date(2026, 7, 1), date(2026, 7, 31))


def _invoice(world: World, entity: str, client: str, amount: str, day: int) -> str:
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=entity,
            client=client,
            lines=[LineInput("Work", "1", amount)],
            on=date(2026, 7, day),
            actor="t",
        ).number


@pytest.fixture
def month(engine: Engine) -> World:
    world = build_world(engine, today=date(2027, 6, 30))
    day = date(2026, 7, 1)
    with world.act() as s:
        for n in (1, 2):
            membership.admit_member(
                s, world.coop, person(n), share_class="A", shares=1, on=day, actor="t"
            )
            members.open_entity(
                s,
                world.coop,
                holders=[n],
                name=f"Entity {n}",
                kind="freelance",
                office="cap",
                on=day,
                actor="t",
            )
        for n, name in ((1, "Acme"), (2, "Beta")):
            members.register_party(
                s,
                world.coop,
                address="1 Main Street\n1000 Town",
                name=name,
                kind="client",
                country="ZZ",
                vat_number=f"ZZ000000000{n}",
                actor="t",
            )
        fund.allocate(s, world.coop, "100", on=day, actor="t", reason="GA of 30 June 2026")
    _invoice(world, "E000001", "C000001", "1000", 6)
    _invoice(world, "E000002", "C000001", "500", 7)
    with world.act() as s:
        payments.receive_payment(
            s,
            world.coop,
            key="acme-1",
            entity="E000002",
            client="C000001",
            amount="605",
            on=date(2026, 7, 8),
            actor="t",
        )
    _invoice(world, "E000001", "C000002", "100", 10)
    with world.act() as s:
        fund.declare_default(
            s, world.coop, "C000002", on=date(2026, 7, 20), actor="t", reason="bankrupt"
        )
    with world.act() as s:
        internal = internal_invoices.propose_internal_invoice(
            s,
            world.coop,
            seller="E000001",
            buyer="E000002",
            amount="300",
            description="Subcontracted",
            on=date(2026, 7, 21),
            actor="t",
        )
        internal_invoices.decide_internal_invoice(
            s,
            world.coop,
            internal.number,
            accept=True,
            by_member=2,
            on=date(2026, 7, 21),
            actor="t",
        )
    return world


def _flat(statement: reports.Statement) -> dict[str, Decimal]:
    found: dict[str, Decimal] = {}

    def walk(section: reports.Section) -> None:
        found[section.code] = section.amount
        for child in section.children:
            walk(child)

    for sections in statement.sides.values():
        for section in sections:
            walk(section)
    return found


def test_the_statutory_statements_eliminate_the_flows_between_books(month: World) -> None:
    with month.sessions() as s:
        management = reports.profit_and_loss(s, book=None, start=JULY[0], end=JULY[1])
        found = statutory_statements(s, start=JULY[0], end=JULY[1])
    # Summing the books counts the fee twice and the internal invoice as a sale.
    assert management.totals["Income"] == D("2004.00")  # 1900 sales + 104 fee
    assert management.result == D("1500.00")
    pnl = found.profit_and_loss
    assert _flat(pnl) == {
        "7000": D("1600.00"),
        "7010": D("1600.00"),
        "6000": D("100.00"),
        "6080": D("100.00"),
    }
    assert (pnl.totals["Income"], pnl.totals["Expenses"], pnl.result) == (
        D("1600.00"),
        D("100.00"),
        D("1500.00"),
    )
    sheet = found.balance_sheet
    flat = _flat(sheet)
    assert flat["2010"] == D("1210.00")  # Acme's receivable on E000001
    assert flat["3010"] == D("665.00")  # 605 from Acme, 60 of shares
    assert flat["2120"] == D("315.00")  # VAT 210 + 105 (Beta's 21 recovered)
    assert flat["1010"] == D("60.00")
    for internal_account in ("2160", "2180", "1100", "1110", "7020", "6030", "6010"):
        assert internal_account not in flat and internal_account not in _flat(pnl)
    assert sheet.result == D("1500.00")
    assert sheet.totals["Assets"] == sheet.totals["Liabilities and equity"] == D("1875.00")
    rows = {r.account: r for r in found.trial_balance.rows}
    assert rows["7010"].credit == D("1600.00") and "7020" not in rows
    assert found.trial_balance.total_debit == found.trial_balance.total_credit
    assert found.unmatched == D("0.00")
    eliminated = {e.account: (e.debit, e.credit) for e in found.eliminated}
    assert eliminated["7020"] == (D("0.00"), D("104.00"))  # fee income
    assert eliminated["6030"] == (D("104.00"), D("0.00"))  # fee expense
    assert eliminated["7010"] == (D("0.00"), D("300.00"))  # internal sale
    assert eliminated["6010"] == (D("300.00"), D("0.00"))  # internal purchase
    # The fund's movements: 100 + 13 + 6.50 + 1.30 allocated, 100 absorbed.
    assert eliminated["1100"] == (D("100.00"), D("120.80"))


def _close_2026(world: World) -> None:
    with world.act() as s:
        for m in range(1, 13):
            close_month(s, 2026, m, actor="t")
        close_year(s, world.coop.ledger, 2026, actor="t")


def test_the_result_waits_for_the_assembly_which_makes_the_fund_a_reserve(month: World) -> None:
    with month.sessions() as s:
        fund_before = fund_balance(s, month.coop)
    assert fund_before == D("20.80")
    with pytest.raises(ClosedRecord, match="close the fiscal year"), month.act() as s:
        appropriation.appropriate(
            s, month.coop, fiscal_year=2026, decided_on=date(2027, 6, 15), decision="GA", actor="t"
        )
    _close_2026(month)
    with month.sessions() as s:
        january = statutory_trial_balance(s, start=date(2027, 1, 1), end=date(2027, 1, 31))
    opening = {r.account: r.opening for r in january.rows}
    assert opening["1030"] == D("-1500.00")  # the result, on the result account
    assert not {"7010", "6080", "7020", "6030"} & set(opening)
    with pytest.raises(InvalidAct, match="after the year's end"), month.act() as s:
        appropriation.appropriate(
            s, month.coop, fiscal_year=2026, decided_on=date(2026, 12, 31), decision="GA", actor="t"
        )
    with pytest.raises(InvalidAct, match="decision"), month.act() as s:
        appropriation.appropriate(
            s, month.coop, fiscal_year=2026, decided_on=date(2027, 6, 15), decision=" ", actor="t"
        )
    with month.act() as s:
        done = appropriation.appropriate(
            s,
            month.coop,
            fiscal_year=2026,
            decided_on=date(2027, 6, 15),
            decision="GA 2027-06-15, resolution 3",
            actor="t",
            other_reserves="1000",
        )
    assert (done.result, done.legal_reserve, done.guarantee_fund) == (
        D("1500.00"),
        D("0.00"),
        D("20.80"),
    )
    assert (done.other_reserves, done.carried_forward) == (D("1000"), D("479.20"))
    with month.sessions() as s:
        # The coverage rules see the same fund: its movements became the reserve.
        assert fund_balance(s, month.coop) == D("20.80")
        june = statutory_trial_balance(s, start=date(2027, 6, 1), end=date(2027, 6, 30))
        record = s.scalars(select(Appropriation)).one()
    closing = {r.account: r.closing for r in june.rows}
    assert closing["1050"] == D("-20.80")  # the fund's reserve, statutory now
    assert closing["1020"] == D("-1000.00")
    assert closing["1030"] == D("-479.20")  # carried forward
    assert "1100" not in closing and "1110" not in closing
    assert (record.decision, record.decided_on, record.guarantee_fund) == (
        "GA 2027-06-15, resolution 3",
        date(2027, 6, 15),
        2080,
    )
    with pytest.raises(ClosedRecord, match="appropriated already"), month.act() as s:
        appropriation.appropriate(
            s, month.coop, fiscal_year=2026, decided_on=date(2027, 6, 16), decision="GA", actor="t"
        )

"""A month of economic acts under one country plugin, on a fresh database.

Why a scripted month: each hook can honour its own contract and the books still fail to
balance once the acts combine them (a chart role on the wrong side, a payslip whose
lines do not add up, a VAT rate the invoice and the return disagree on). The month runs
the core's own services, each act in its own transaction, exactly as an instance does:
admit a member, open an entity, register a client and a supplier, invoice, get paid,
buy and pay, hire the member and pay the month's payslip.

Amounts scale with the country's typical monthly gross, so the month means the same in
euros, yen or dinars.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

import pluggy
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from partage.core.acts.cooperative import Cooperative
from partage.core.contract.identity import CountryIdentity, IdentifierKind
from partage.core.contract.money import from_minor, round_money
from partage.core.contract.periods import Period
from partage.core.ledger.books import COOPERATIVE_BOOK
from partage.core.ledger.posting import Ledger
from partage.core.ledger.reports import available_funds
from partage.core.ledger.trial_balances import TrialBalance, trial_balance
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.instance import bootstrap
from partage.core.payroll import service as payroll
from partage.core.platform.config import GuaranteeRules, InstanceConfig, OfficeConfig, ShareClass
from partage.core.platform.db.engine import session_factory, transaction
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.spending import purchases, settlement
from partage.testing.examples import CountryExamples

OFFICE = "hq"
ACTOR = "conformance"


class MonthFailure(AssertionError):
    """An act of the scripted month was refused or crashed; names the act and the day."""


def conformance_instance(
    identity: CountryIdentity, price_level: Decimal = Decimal(1)
) -> InstanceConfig:
    """A national instance of the country, as a franchisee would configure it.

    The management fee and guarantee share are the instance's choice, not the
    country's; the suite uses the reference network's figures, and the guarantee's
    ceiling per entity scaled to the currency by the country's ``price_level`` (its
    sample data), as a generated instance file sets it.
    """
    defaults = GuaranteeRules()
    ceiling = round_money(defaults.ceiling_per_entity * price_level, identity.currency)
    return InstanceConfig(
        code=identity.code,
        name=f"Partage {identity.name} (conformance)",
        legal_name=f"Partage {identity.name}",
        country_plugin=identity.code,
        currency=identity.currency,
        languages=tuple(identity.languages),
        management_fee_rate=Decimal("0.065"),
        guarantee_fund_share=Decimal("0.20"),
        share_nominal_value=Decimal(30),
        share_classes=(ShareClass("A", "Workers", 1), ShareClass("B", "Partners", 1)),
        offices=(OfficeConfig(OFFICE, "Head office", "Conformance street 1", ()),),
        guarantee=replace(defaults, ceiling_per_entity=ceiling),
    )


@dataclass(frozen=True)
class MonthBooks:
    """The books after the month.

    Attributes:
        instance: the trial balance of the whole instance over the month.
        books: the trial balance of each book (the cooperative's, the entity's).
        entity_funds: the entity's available funds at the end of the month.
        acts: the acts done, in order, with their day.
    """

    instance: TrialBalance
    books: tuple[TrialBalance, ...]
    entity_funds: Decimal
    acts: tuple[str, ...]


@contextmanager
def _act(done: list[str], what: str, day: date) -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        raise MonthFailure(
            f"the scripted month stopped at '{what}' on {day}: {type(exc).__name__}: {exc} "
            f"(acts done before: {', '.join(done) or 'none'})"
        ) from exc
    done.append(f"{day} {what}")


def run_month(engine: Engine, hooks: pluggy.PluginManager, examples: CountryExamples) -> MonthBooks:
    """Run the month on an empty database and return its books."""
    identity = hooks.hook.partage_country_identity()
    samples = hooks.hook.partage_sample_data()
    instance = conformance_instance(
        identity, samples.price_level if samples is not None else Decimal(1)
    )
    coop = Cooperative(instance, hooks, Ledger(), instance.guarantee)
    month = _Script(session_factory(engine), coop, examples, Period.month_of(examples.month))
    first, last = month.period.start, month.period.end
    with _act(month.done, "set up the database, the instance and its books", first):
        bootstrap(engine, instance, hooks, actor=ACTOR, fiscal_years=[first.year])
    number, entity, client, supplier = _people(month, identity.code.upper())
    _trade(month, entity, client, supplier)
    _payroll(month, entity, number)
    with transaction(month.sessions) as session:
        return MonthBooks(
            instance=trial_balance(session, book=None, start=first, end=last),
            books=tuple(
                trial_balance(session, book=book, start=first, end=last)
                for book in (COOPERATIVE_BOOK, entity)
            ),
            entity_funds=available_funds(session, book=entity, on=last),
            acts=tuple(month.done),
        )


@dataclass
class _Script:
    """What every act of the month shares: its sessions, the cooperative, its days, its
    amounts, and the acts done so far (a failure lists them)."""

    sessions: sessionmaker[Session]
    coop: Cooperative
    examples: CountryExamples
    period: Period
    done: list[str] = field(default_factory=list)

    def day(self, number: int) -> date:
        """The month's day ``number``, or its last day when the month is shorter."""
        return self.period.start.replace(day=min(number, self.period.end.day))

    def amount(self, factor: Decimal) -> Decimal:
        """``factor`` times the country's typical monthly gross."""
        return round_money(self.examples.typical_monthly_gross * factor, self.coop.currency)

    @contextmanager
    def act(self, what: str, on: date) -> Iterator[Session]:
        """One act in its own transaction; a failure names it, its day and the acts before."""
        with _act(self.done, what, on), transaction(self.sessions) as session:
            yield session


def _people(month: _Script, home: str) -> tuple[int, str, str, str]:
    """Admit a member, open their entity, register a client and a supplier at home.

    Returns the member's number and the entity's, the client's and the supplier's codes.
    """
    coop, examples, day = month.coop, month.examples, month.day
    applicant = membership.PersonDetails(
        first_name="Ada",
        last_name="Lovelace",
        national_id=examples.valid[IdentifierKind.PERSON][0],
        iban=examples.valid[IdentifierKind.IBAN][0],
        address="Conformance street 2",
        email="ada@example.org",
        language=coop.instance.languages[0],
    )
    with month.act("admit a member", day(1)) as session:
        member = membership.admit_member(
            session, coop, applicant, share_class="A", shares=1, on=day(1), actor=ACTOR
        )
        number = member.number
    with month.act("open an entity", day(1)) as session:
        entity = members.open_entity(
            session,
            coop,
            holders=[number],
            name="Design studio",
            kind="freelance",
            office=OFFICE,
            on=day(1),
            actor=ACTOR,
        ).code
    with month.act("register a client and a supplier", day(2)) as s:
        client = members.register_party(
            s,
            coop,
            address="1 Main Street\n1000 Town",
            name="A local client",
            kind="client",
            country=home,
            actor=ACTOR,
        ).code
        supplier = members.register_party(
            s,
            coop,
            address="1 Main Street\n1000 Town",
            name="A local supplier",
            kind="supplier",
            country=home,
            actor=ACTOR,
        ).code
    return number, entity, client, supplier


def _trade(month: _Script, entity: str, client: str, supplier: str) -> None:
    """Invoice the client and get paid; record a purchase and pay it."""
    coop, day, amount = month.coop, month.day, month.amount
    with month.act("invoice the client", day(3)) as session:
        invoice = invoices.issue_invoice(
            session,
            coop,
            entity=entity,
            client=client,
            lines=[LineInput("Design work of the month", "1", amount(Decimal(4)))],
            on=day(3),
            actor=ACTOR,
        )
        due = from_minor(invoice.total, coop.currency)
    with month.act("receive the client's payment", day(10)) as session:
        payments.receive_payment(
            session,
            coop,
            key="conformance-payment-1",
            entity=entity,
            client=client,
            amount=due,
            on=day(10),
            actor=ACTOR,
        )
    with month.act("record and pay a purchase", day(12)) as session:
        purchase = purchases.record_purchase(
            session,
            coop,
            entity=entity,
            supplier=supplier,
            supplier_reference="S-1",
            net=amount(Decimal("0.1")),
            on=day(12),
            actor=ACTOR,
        )
        settlement.pay_purchase(session, coop, purchase.id, on=day(13), actor=ACTOR)


def _payroll(month: _Script, entity: str, number: int) -> None:
    """Hire the member from the 15th and pay the month's payslip on its last day."""
    coop, examples, day = month.coop, month.examples, month.day
    with month.act("hire the member", day(15)) as session:
        contract = payroll.hire(
            session,
            coop,
            entity=entity,
            member=number,
            worker_category=examples.worker_category,
            start=day(15),
            monthly_gross=month.amount(Decimal(1)),
            tax_situation=examples.tax_situation,
            actor=ACTOR,
        ).code
    last = month.period.end
    with month.act("pay the month's payslip", last) as session:
        payroll.pay(session, coop, contract, month=day(15), paid_on=last, actor=ACTOR)

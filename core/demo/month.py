"""A month of activity of a national instance, run through the same acts as real work.

``partage demo`` and the month benchmark both use it. Given a volume (how many members
join, how many invoices, payments, payslips...) and a seed, :func:`simulate_month`
admits members with valid national numbers and IBANs, opens their entities across the
instance's offices and kinds, registers clients and suppliers with valid VAT numbers
(the country plugin computes its own, hook ``partage_sample_data``),
then lives the month day by day: quotes (accepted, refused, revised, expired),
invoices at the country's VAT rates (EU business clients are reverse-charged), credit
notes, partial and full payments and an over-payment kept as credit, cash receipts,
purchases and their payment, expense claims and their reimbursement, hiring, a client
default written off against the salary guarantee fund, and the month's payroll run.

Every act is one transaction through the service layer, so every rule applies: a
purchase, an expense claim, a hiring or a payslip the entity cannot afford is refused
by the no-bankruptcy rule and counted as such. Members choose their pay the way the
budget simulation shows them: hours from what their entity can afford, most within it,
a few beyond it (those payslips are refused).

Prices, pay rates, salaries and spending are invented in euros and scaled by the
country's price level (:attr:`~partage.core.contract.SampleData.price_level`, how many
units of its currency buy what one euro buys), each rounded to the currency's minor
unit: a month in krónur or yen looks like one, and a month in euros is the same month
at any price level of 1.

The same seed and month give the same activity; a later month goes on from what the
database holds (open invoices of earlier months are paid late, contracts are paid
again). The :class:`Meter` counts and times each act kind, for the benchmark.
"""

from __future__ import annotations

import calendar
import random
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from faker import Faker
from faker.config import AVAILABLE_LOCALES
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from partage.core.acts.cooperative import ActError, Cooperative
from partage.core.banking import sepa
from partage.core.banking.models import OrderKind
from partage.core.contract.identity import SIMULATED_MINIMUM_MONTHLY_GROSS, SampleData
from partage.core.contract.money import from_minor, minor_exponent, minor_quantum, round_money
from partage.core.contract.payroll import EmploymentContract
from partage.core.contract.samples import FOREIGN_CLIENTS, UnknownSampleCountry, foreign_vat_number
from partage.core.ledger.models import Period, PeriodKind
from partage.core.ledger.periods import open_year
from partage.core.ledger.posting import fiscal_year_of
from partage.core.members import service as members
from partage.core.members.models import (
    Entity,
    EntityHolder,
    EntityKind,
    Member,
    Party,
    PartyKind,
    Person,
)
from partage.core.payroll import service as payroll
from partage.core.payroll.models import Contract
from partage.core.platform import audit
from partage.core.platform.db.engine import transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.platform.issuer import Issuer
from partage.core.risk import fund
from partage.core.risk.solvency import headrooms
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Allocation, Invoice, Payment
from partage.core.sales.receivables import outstanding_query
from partage.core.spending import expenses, settlement
from partage.core.spending import purchases as purchases_acts

MONTH_MARK = "simulation.month"

#: Share of entities of each kind (the personas of the founding documents).
KIND_SHARES = {
    EntityKind.QUICK_JOB: 25,
    EntityKind.PROJECT: 20,
    EntityKind.FREELANCE: 25,
    EntityKind.MAKER: 10,
    EntityKind.BUSINESS: 10,
    EntityKind.LONG_TERM_EMPLOYMENT: 10,
}
#: How much each kind invoices, relative to the others.
KIND_ACTIVITY = {
    EntityKind.QUICK_JOB: 0.6,
    EntityKind.PROJECT: 1.0,
    EntityKind.FREELANCE: 1.2,
    EntityKind.MAKER: 1.0,
    EntityKind.BUSINESS: 1.6,
    EntityKind.LONG_TERM_EMPLOYMENT: 1.0,
}
#: What each kind sells: (activity names, unit, quantity range, unit price range in euros,
#: supply).
KIND_WORK: dict[str, tuple[tuple[str, ...], str, tuple[int, int], tuple[int, int], str]] = {
    EntityKind.QUICK_JOB: (
        ("Event staff", "Moving help", "Catering shift", "Photo shoot", "Translation"),
        "day",
        (1, 3),
        (120, 300),
        "services",
    ),
    EntityKind.PROJECT: (
        ("Festival", "Documentary", "Exhibition", "Theatre tour", "Research study"),
        "stage",
        (1, 2),
        (400, 2500),
        "services",
    ),
    EntityKind.FREELANCE: (
        ("Graphic design", "Web development", "Consulting", "Copywriting", "Training"),
        "hour",
        (4, 24),
        (40, 85),
        "services",
    ),
    EntityKind.MAKER: (
        ("Ceramics", "Furniture", "Jewellery", "Bike repair", "Letterpress"),
        "piece",
        (1, 8),
        (20, 250),
        "goods",
    ),
    EntityKind.BUSINESS: (
        ("Studio", "Workshop", "Agency", "Bakery", "Atelier"),
        "delivery",
        (1, 3),
        (300, 1800),
        "services",
    ),
    EntityKind.LONG_TERM_EMPLOYMENT: (
        ("Coaching", "Bookkeeping", "Teaching", "Care work", "IT support"),
        "month",
        (1, 1),
        (1500, 3500),
        "services",
    ),
}
#: Kinds whose holder is hired on a monthly contract; the others are paid by the hour.
MONTHLY_KINDS = frozenset({EntityKind.BUSINESS, EntityKind.LONG_TERM_EMPLOYMENT})
STREET = {"fr": "Rue {name} {n}", "nl": "{name}straat {n}", "de": "{name}straße {n}"}
#: Hourly rates of contracts paid by the hour, in euros.
HOURLY_RATES = tuple(Decimal(r) for r in (14, 16, 18, 20, 22, 25, 28, 32, 36, 40))
#: What a monthly gross costs its entity, roughly (employer contributions and premiums):
#: a monthly contract is hired for a share of the entity's headroom divided by it.
EMPLOYER_COST_FACTOR = Decimal("1.45")
#: Monthly grosses are round figures: multiples of this many euros, to the nearest power
#: of ten once scaled (10 euros, 1 000 krónur or yen).
SALARY_STEP = Decimal(10)
#: Smallest purchase booked, in euros.
MINIMUM_PURCHASE = Decimal(10)


@dataclass(frozen=True)
class Volume:
    """How much happens in a simulated month.

    Attributes:
        members: persons admitted as members this month.
        entities: entities opened this month (by new members, a few by older ones).
        clients: clients registered this month.
        suppliers: suppliers registered this month.
        quotes: quotes sent.
        invoices: invoices issued (those carrying out an accepted quote included).
        payments: payments received (late payments of earlier invoices included).
        credit_notes: credit notes issued.
        purchases: supplier invoices booked.
        expense_claims: expense claims made.
        payslips: payslips asked for in the month's payroll run, at most.
        defaults: clients declared in default.
    """

    members: int
    entities: int
    clients: int
    suppliers: int
    quotes: int
    invoices: int
    payments: int
    credit_notes: int
    purchases: int
    expense_claims: int
    payslips: int
    defaults: int

    @classmethod
    def for_entities(cls, entities: int) -> Volume:
        """A month of an instance with that many entities, in the reference network's
        proportions: about 1.2 entities per member, as many clients as entities, one
        supplier for five entities, and per entity 3 invoices, 2 payments and one
        payslip a month."""
        entities = max(entities, 1)
        return cls(
            members=max(1, round(entities / 1.2)),
            entities=entities,
            clients=entities,
            suppliers=max(1, entities // 5),
            quotes=max(1, entities // 2),
            invoices=3 * entities,
            payments=2 * entities,
            credit_notes=max(1, entities // 100),
            purchases=max(1, entities // 2),
            expense_claims=max(1, entities // 2),
            payslips=entities,
            defaults=1 + entities // 5000,
        )

    @classmethod
    def for_members(cls, members: int) -> Volume:
        """The first month of an instance of ``members`` members."""
        return cls.for_entities(round(max(members, 1) * 1.2))

    def growth(self) -> Volume:
        """A later month: the same activity, with a thirtieth as many newcomers."""
        return replace(
            self,
            members=max(1, self.members // 30),
            entities=max(1, self.entities // 30),
            clients=max(1, self.clients // 30),
            suppliers=max(1, self.suppliers // 30),
        )


@dataclass
class Meter:
    """Acts done, refused and skipped, and the time they took, by act kind.

    Attributes:
        done: acts that went through.
        refused: refusals, by ``(act kind, error class)``.
        skipped: acts not attempted because an act they follow was refused.
        seconds: time spent in each kind's transactions, commits included.
        examples: the first refusal message of each ``(kind, error class)``.
    """

    done: Counter[str] = field(default_factory=Counter)
    refused: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    examples: dict[tuple[str, str], str] = field(default_factory=dict)

    def refuse(self, kind: str, error: ActError) -> None:
        key = (kind, type(error).__name__)
        self.refused[key] += 1
        self.examples.setdefault(key, str(error))

    def run(
        self,
        sessions: sessionmaker[Session],
        kind: str,
        act: Callable[[Session], Any],
        count: Callable[[Any], int] = lambda _: 1,
    ) -> Any:
        """Run ``act`` in one transaction; count it done, or refused (returning None)."""
        started = time.perf_counter()
        try:
            with transaction(sessions) as session:
                result = act(session)
        except ActError as error:
            self.refuse(kind, error)
            result = None
        else:
            self.done[kind] += count(result)
        self.seconds[kind] += time.perf_counter() - started
        return result

    def rates(self) -> dict[str, float]:
        """Acts per second of each kind (refused ones count: they were checked)."""
        attempts = Counter(self.done)
        for (kind, _), n in self.refused.items():
            attempts[kind] += n
        return {k: attempts[k] / s for k, s in self.seconds.items() if s > 0}

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


@dataclass(frozen=True)
class MonthReport:
    """What a simulated month did.

    Attributes:
        month: its first day.
        seed: the seed it was generated from.
        meter: acts done, refused and timed.
        payroll: the month's payroll run (``None`` when nobody was due pay).
        write_offs: invoices written off against the guarantee fund.
        credit_left: what over-payments left on clients' accounts as credit.
        salary_batch: the month's net pay sent as a SEPA file (``None`` without issuer
            facts, or when the run was refused).
    """

    month: date
    seed: int
    meter: Meter
    payroll: payroll.PayrollRun | None
    write_offs: tuple[fund.WriteOff, ...]
    credit_left: Decimal
    salary_batch: sepa.Batch | None = None


@dataclass
class _Entity:
    code: str
    id: int
    kind: str
    holder: int
    opened_on: date
    clients: list[str] = field(default_factory=list)
    contract: str | None = None
    monthly: bool = False


@dataclass(order=True)
class _Event:
    day: date
    order: int
    seq: int
    kind: str = field(compare=False)
    act: Callable[[Session], Any] = field(compare=False)
    key: str | None = field(default=None, compare=False)
    needs: tuple[str, ...] = field(default=(), compare=False)
    count: Callable[[Any], int] = field(default=lambda _: 1, compare=False)


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month of ``month``."""
    return month.replace(day=1), month.replace(day=calendar.monthrange(month.year, month.month)[1])


def last_simulated_month(session: Session) -> date | None:
    """The latest month a simulation generated in this database, if any."""
    subject = session.scalar(
        select(func.max(AuditRecord.subject)).where(AuditRecord.action == MONTH_MARK)
    )
    return date.fromisoformat(subject.split(":", 1)[1] + "-01") if subject else None


def _money(
    rng: random.Random, low: int, high: int, currency: str, scale: Decimal = Decimal(1)
) -> Decimal:
    """An amount between ``low`` and ``high`` euros scaled by ``scale`` (the country's
    price level), to the currency's minor unit (to the cent in euros, whole in yen or
    krónur); one draw from ``rng`` whatever the scale, so a seed gives the same month."""
    exponent = minor_exponent(currency)

    def minor(euros: int) -> int:
        scaled = (Decimal(euros) * scale).scaleb(exponent)
        return max(1, int(scaled.to_integral_value(ROUND_HALF_UP)))

    units = rng.randint(minor(low), minor(high))
    return from_minor(units, currency)


def salary_step(scale: Decimal, currency: str) -> Decimal:
    """The step monthly grosses are rounded down to: :data:`SALARY_STEP` euros scaled by
    the price level, to the nearest power of ten (10 in euros, 1000 in krónur at 150 a
    euro), never below the currency's minor unit."""
    power = (SALARY_STEP * scale).log10().to_integral_value(ROUND_HALF_UP)
    return max(Decimal(10) ** int(power), minor_quantum(currency))


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())


class _Month:
    """The state of one simulated month while it is generated."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        coop: Cooperative,
        month: date,
        volume: Volume,
        seed: int,
        actor: str,
    ) -> None:
        self.sessions, self.coop, self.volume, self.actor = sessions, coop, volume, actor
        self.first, self.last = month_bounds(month)
        self.rng = random.Random(f"{seed}:{self.first:%Y-%m}")
        self.country = coop.instance.country_plugin.upper()
        self.samples: SampleData = self._samples(coop)
        self.currency = coop.currency
        self.quantum = minor_quantum(coop.currency)
        self.scale = self.samples.price_level
        self.meter = Meter()
        self.results: dict[str, Any] = {}
        self.fakers = {
            lang: self._faker(self._locale(lang), seed) for lang in coop.instance.languages
        }
        self.foreign = [c for c in FOREIGN_CLIENTS if c != self.country][:2]
        self.foreign_fakers = {c: self._faker(FOREIGN_CLIENTS[c][1], seed) for c in self.foreign}
        self.seq = 0
        self.events: list[_Event] = []
        self.today = self.first
        self.costs: dict[tuple[str, Decimal], Decimal] = {}
        self.write_offs: list[fund.WriteOff] = []

    @staticmethod
    def _samples(coop: Cooperative) -> SampleData:
        """The country's sample data: only its plugin knows how to compute numbers that
        its own checks accept."""
        samples = coop.plugins.hook.partage_sample_data()
        if samples is None:
            raise UnknownSampleCountry(
                None,
                f"country plugin {coop.instance.country_plugin} supplies no sample data "
                "(hook partage_sample_data)",
            )
        return samples

    def round(self, amount: Decimal) -> Decimal:
        """``amount`` rounded to the instance currency's minor unit."""
        return round_money(amount, self.currency)

    def money(self, low: int, high: int) -> Decimal:
        """An amount between ``low`` and ``high`` euros, in the instance currency at the
        country's price level."""
        return _money(self.rng, low, high, self.currency, self.scale)

    def scaled(self, euros: Decimal) -> Decimal:
        """An amount of euros in the instance currency at the country's price level,
        rounded to its minor unit."""
        return self.round(euros * self.scale)

    def _locale(self, language: str) -> str:
        """The Faker locale of a language in the instance's country, or the language's
        own (German names for German speakers in Belgium)."""
        wanted = f"{language}_{self.country}"
        if wanted in AVAILABLE_LOCALES:
            return wanted
        return {"fr": "fr_FR", "nl": "nl_NL", "de": "de_DE"}.get(language, "en_US")

    def _faker(self, locale: str, seed: int) -> Faker:
        faker = Faker(locale)
        faker.seed_instance(f"{seed}:{self.first:%Y-%m}:{locale}")
        return faker

    def day(self, low: int, high: int | None = None) -> date:
        """A day of the month between ``low`` and ``high`` (default: the last)."""
        last = self.last.day
        return self.first.replace(day=min(last, self.rng.randint(low, min(high or last, last))))

    def at(
        self,
        day: date,
        order: int,
        kind: str,
        act: Callable[[Session], Any],
        *,
        key: str | None = None,
        needs: tuple[str, ...] = (),
        count: Callable[[Any], int] = lambda _: 1,
    ) -> None:
        """Schedule an act; ``needs`` are keys of acts whose results it uses."""
        self.seq += 1
        self.events.append(_Event(day, order, self.seq, kind, act, key, needs, count))

    # --- the month's opening: periods, newcomers, parties ---------------------------------
    def open_periods(self) -> None:
        start_month = self.coop.ledger.fiscal_year_start_month
        with transaction(self.sessions) as session:
            for day in (self.first, self.last):
                year = fiscal_year_of(day, start_month)
                opened = session.scalar(
                    select(Period.id).where(
                        Period.kind == PeriodKind.YEAR.value, Period.fiscal_year == year
                    )
                )
                if opened is None:
                    open_year(session, year, actor=self.actor, start_month=start_month)

    def _used(self, column: Any) -> set[str]:
        with self.sessions() as session:
            return {v for v in session.scalars(select(column)) if v}

    def _unique(self, used: set[str], make: Callable[[], str]) -> str:
        while (value := make()) in used:
            pass
        used.add(value)
        return value

    def admit_members(self) -> list[int]:
        """Admit the month's newcomers; return their membership numbers."""
        taken = self._used(Person.national_id)
        languages = self.coop.instance.languages
        weights = [8, 6, *[1] * len(languages)][: len(languages)]  # first, second, others
        admitted = []
        for n in range(self.volume.members):
            language = self.rng.choices(languages, weights)[0]
            faker = self.fakers[language]
            first, last = faker.first_name(), faker.last_name()
            office = self.rng.choice(self.coop.instance.offices)
            city = office.address.rsplit(",", 1)[-1].strip()
            street = STREET.get(language, STREET["fr"]).format(
                name=last.split()[-1], n=self.rng.randint(1, 240)
            )
            details = members.PersonDetails(
                first_name=first,
                last_name=last,
                national_id=self._unique(taken, lambda: self.samples.person_number(self.rng)),
                iban=self.samples.iban(self.rng),
                address=f"{street}, {city}",
                email=f"{_ascii(first)}.{_ascii(last)}.{n}@example.org",
                language=language,
            )
            share_class = "A" if self.rng.random() < 0.9 else "B"

            def admit(s: Session, d: members.PersonDetails = details, c: str = share_class) -> int:
                return members.admit_member(
                    s,
                    self.coop,
                    d,
                    share_class=c,
                    shares=self.rng.choice((1, 1, 1, 2, 4)),
                    on=self.day(1, 3),
                    actor=self.actor,
                ).number

            member = self.meter.run(self.sessions, "member.admit", admit)
            if member is not None:
                admitted.append(member)
        return admitted

    def open_entities(self, newcomers: list[int]) -> None:
        """Open the month's entities: one per newcomer first, then more for others."""
        with self.sessions() as session:
            everyone = list(session.scalars(select(Member.number).where(Member.left_on.is_(None))))
        offices = [o.code for o in self.coop.instance.offices]
        office_weights = [len(offices) - i + 1 for i in range(len(offices))]
        kinds, shares = zip(*KIND_SHARES.items(), strict=True)
        for n in range(self.volume.entities):
            holder = newcomers[n] if n < len(newcomers) else self.rng.choice(everyone)
            holders = [holder]
            if self.rng.random() < 0.05 and len(everyone) > 1:
                holders.append(self.rng.choice([m for m in everyone if m != holder]))
            kind = self.rng.choices(kinds, shares)[0]
            name = f"{self.rng.choice(KIND_WORK[kind][0])} {self.rng.randint(1, 999):03d}"
            office = self.rng.choices(offices, office_weights)[0]

            def open_one(
                s: Session,
                h: list[int] = holders,
                k: str = kind,
                nm: str = name,
                o: str = office,
            ) -> str:
                return members.open_entity(
                    s,
                    self.coop,
                    holders=h,
                    name=nm,
                    kind=k,
                    office=o,
                    on=self.day(1, 3),
                    actor=self.actor,
                ).code

            self.meter.run(self.sessions, "entity.open", open_one)

    def register_parties(self) -> None:
        """Register the month's clients (domestic, private, EU businesses) and suppliers."""
        taken = self._used(Party.vat_number)
        home = self.fakers[self.coop.instance.languages[0]]
        for n in range(self.volume.clients + self.volume.suppliers):
            supplier = n >= self.volume.clients
            draw = self.rng.random()
            country, faker, vat = self.country, home, True
            if not supplier and draw < 0.15:
                vat = False
            elif not supplier and draw < 0.27 and self.foreign:
                country = self.rng.choice(self.foreign)
                faker = self.foreign_fakers[country]
            name = faker.name() if not vat else faker.company()
            number = self._unique(taken, partial(self.vat_number, country)) if vat else None
            kind = PartyKind.SUPPLIER if supplier else PartyKind.CLIENT

            def register(
                s: Session,
                nm: str = name,
                k: str = kind,
                c: str = country,
                v: str | None = number,
                i: int = n,
            ) -> str:
                return members.register_party(
                    s,
                    self.coop,
                    name=nm,
                    kind=k,
                    country=c,
                    vat_number=v,
                    email=f"billing.{i}@example.org",
                    actor=self.actor,
                ).code

            self.meter.run(self.sessions, "party.register", register)

    def vat_number(self, country: str) -> str:
        """A VAT number of a company of ``country``: the instance's or a foreign one."""
        if country == self.country:
            return self.samples.vat_number(self.rng)
        return foreign_vat_number(country, self.rng)

    # --- what the month works with ---------------------------------------------------------
    def load_world(self) -> tuple[list[_Entity], list[str], list[str]]:
        with self.sessions() as session:
            holders = dict(
                session.execute(
                    select(EntityHolder.entity_id, func.min(Member.number))
                    .join(Member, Member.id == EntityHolder.member_id)
                    .group_by(EntityHolder.entity_id)
                ).all()
            )
            contracts = {
                entity_id: (code, gross is not None)
                for entity_id, code, gross in session.execute(
                    select(Contract.entity_id, Contract.code, Contract.monthly_gross).order_by(
                        Contract.id
                    )
                )
            }
            entities = [
                _Entity(code, id_, kind, holders[id_], opened, contract=None)
                for id_, code, kind, opened in session.execute(
                    select(Entity.id, Entity.code, Entity.kind, Entity.opened_on)
                    .where(Entity.closed_on.is_(None))
                    .order_by(Entity.id)
                )
            ]
            for entity in entities:
                if entity.id in contracts:
                    entity.contract, entity.monthly = contracts[entity.id]
            clients = list(
                session.scalars(
                    select(Party.code)
                    .where(
                        Party.kind.in_((PartyKind.CLIENT.value, PartyKind.BOTH.value)),
                        Party.defaulted_on.is_(None),
                    )
                    .order_by(Party.id)
                )
            )
            suppliers = list(
                session.scalars(
                    select(Party.code)
                    .where(Party.kind.in_((PartyKind.SUPPLIER.value, PartyKind.BOTH.value)))
                    .order_by(Party.id)
                )
            )
        for entity in entities:
            entity.clients = self.rng.sample(clients, min(len(clients), 3))
        return entities, clients, suppliers

    def vat_codes(self) -> list[str | None]:
        """Rate codes to invoice at: the standard rate mostly, the others sometimes."""
        rates = self.coop.plugins.hook.partage_vat_rates(on=self.first) or ()
        others = [r.code for r in rates[1:] if r.rate > 0]
        return [None] * 8 + others

    # --- planning the month -----------------------------------------------------------------
    def _lines(self, entity: _Entity, codes: list[str | None]) -> list[LineInput]:
        names, unit, quantities, prices, supply = KIND_WORK[entity.kind]
        rate_code = self.rng.choice(codes)
        return [
            LineInput(
                f"{self.rng.choice(names)} ({unit})",
                Decimal(self.rng.randint(*quantities)),
                self.money(*prices),
                rate_code=rate_code,
                supply=supply,
            )
            for _ in range(self.rng.choice((1, 1, 1, 2, 3)))
        ]

    def plan(self, entities: list[_Entity], clients: list[str], suppliers: list[str]) -> None:
        """Schedule the month's acts, each on its day."""
        if not entities or not clients:
            return
        codes = self.vat_codes()
        weights = [KIND_ACTIVITY[EntityKind(e.kind)] for e in entities]
        quoted = min(self.volume.quotes, self.volume.invoices)
        sales = self.plan_quotes(self.rng.choices(entities, weights, k=quoted), codes)
        for n, entity in enumerate(
            self.rng.choices(entities, weights, k=self.volume.invoices - len(sales))
        ):
            on = self.day(4, self.last.day - 1)
            lines = self._lines(entity, codes)
            sales.append(_Sale(f"invoice:{n}", entity, self.rng.choice(entity.clients), lines, on))
        for sale in sales:
            self.at(sale.on, 2, "invoice.issue", self.issue(sale), key=sale.key, needs=sale.needs)
        self.plan_credit_notes(sales)
        self.plan_payments(sales)
        if suppliers:
            self.plan_purchases(sales, suppliers)
        self.plan_expenses(sales)
        self.plan_hiring(entities)
        for _ in range(self.volume.defaults):
            on = self.day(24, 26)
            invoiced_later = {sale.client for sale in sales if sale.on >= on}
            self.at(on, 8, "client.default", partial(self.default, invoiced_later=invoiced_later))
        self.at(self.last, 9, "payslip", self.pay_month(entities), count=lambda r: len(r.paid))
        issuer = self.coop.instance.issuer
        if issuer is not None:  # a cooperative not yet registered has no account to pay from
            self.at(
                self.last,
                10,
                "salary.transfer",
                lambda s: self.transfer_salaries(s, issuer),
                count=lambda batch: len(batch.orders),
            )

    def plan_quotes(self, chosen: list[_Entity], codes: list[str | None]) -> list[_Sale]:
        """Quotes, accepted (and invoiced), refused, expired (answered too late),
        revised, or still waiting; returns the sales the accepted ones lead to."""
        sales = []
        for n, entity in enumerate(chosen):
            key, sent = f"quote:{n}", self.day(4, 16)
            client, lines = self.rng.choice(entity.clients), self._lines(entity, codes)
            draw = self.rng.random()
            valid = 7 if 0.55 <= draw < 0.7 else 30
            self.at(sent, 0, "quote.send", self.send(key, entity, client, lines, sent, valid))
            if draw < 0.1:
                lines = [
                    replace(x, unit_price=self.round(Decimal(x.unit_price) * Decimal("0.9")))
                    for x in lines
                ]
                self.at(sent, 1, "quote.send", self.send(key, entity, client, lines, sent, valid))
            if draw >= 0.85:  # the client has not answered yet
                continue
            answered = sent + timedelta(days=self.rng.randint(10, 14) if valid == 7 else 3)
            if answered > self.last:
                continue
            accept = draw < 0.55 or valid == 7
            self.at(answered, 1, "quote.decide", self.decide(key, accept, answered))
            if draw < 0.55:
                sales.append(_Sale(f"invoice:q{n}", entity, client, lines, answered, key))
        return sales

    def send(
        self, key: str, entity: _Entity, client: str, lines: list[LineInput], on: date, days: int
    ) -> Callable[[Session], str]:
        def act(session: Session) -> str:
            quote = invoices.send_quote(
                session,
                self.coop,
                entity=entity.code,
                client=client,
                lines=lines,
                on=on,
                valid_days=days,
                revises=self.results.get(key),
                actor=self.actor,
            )
            self.results[key] = quote.reference
            return quote.reference

        return act

    def decide(self, key: str, accept: bool, on: date) -> Callable[[Session], str | None]:
        def act(session: Session) -> str | None:
            if key not in self.results:
                return None
            quote = invoices.decide_quote(
                session, self.coop, self.results[key], accept=accept, on=on, actor=self.actor
            )
            self.results[f"{key}:status"] = quote.status
            return quote.status

        return act

    def issue(self, sale: _Sale) -> Callable[[Session], str]:
        def act(session: Session) -> str:
            return invoices.issue_invoice(
                session,
                self.coop,
                entity=sale.entity.code,
                client=sale.client,
                lines=sale.lines,
                on=sale.on,
                quote=self.results[sale.quote] if sale.quote else None,
                actor=self.actor,
            ).number

        return act

    def plan_credit_notes(self, sales: list[_Sale]) -> None:
        """Partial credit notes: a third of an invoice's first line, the next day."""
        for sale in self.rng.sample(sales, min(len(sales), self.volume.credit_notes)):
            first = sale.lines[0]
            part = Decimal(first.quantity) * Decimal(first.unit_price) / 3
            line = replace(
                first,
                description=f"Credit: {first.description}",
                quantity=Decimal(1),
                unit_price=max(self.quantum, self.round(part)),
            )
            on = min(self.last, sale.on + timedelta(days=1))

            def act(session: Session, s: _Sale = sale, x: LineInput = line, d: date = on) -> str:
                return invoices.issue_credit_note(
                    session,
                    self.coop,
                    invoice=self.results[s.key],
                    on=d,
                    reason="Commercial gesture: part of the work was redone",
                    lines=[x],
                    actor=self.actor,
                ).number

            self.at(on, 3, "credit_note.issue", act, needs=(sale.key,))

    def plan_payments(self, sales: list[_Sale]) -> None:
        """Payments: late ones of earlier months' invoices first, then this month's —
        mostly in full, some in two parts, some only in part, one over-paid (its excess
        stays on the client's account as credit), cash in hand for some quick jobs."""
        budget = self.volume.payments
        late = self.open_invoices()
        self.rng.shuffle(late)
        for number, entity, client in late[: budget * 3 // 10]:
            self.at(
                self.day(2, self.last.day - 1),
                4,
                "payment.receive",
                self.receive(number, entity, client, "bank", None, "late"),
                count=_one_unless_none,
            )
            budget -= 1
        order = list(sales)
        self.rng.shuffle(order)
        over = max(1, budget // 100)
        for sale in order:
            if budget <= 0:
                break
            draw = self.rng.random()
            outcome = (
                "over" if over > 0 else "split" if draw < 0.12 else "part" if draw < 0.2 else "full"
            )
            first = sale.on + timedelta(days=self.rng.randint(2, 20))
            days = [first, first + timedelta(days=self.rng.randint(3, 10))]
            fraction = Decimal(self.rng.randint(30, 70)) / 100
            method = (
                "cash"
                if sale.entity.kind == EntityKind.QUICK_JOB and self.rng.random() < 0.3
                else "bank"
            )
            for part, day in enumerate(days[: 2 if outcome == "split" else 1]):
                if day > self.last:
                    break
                share = fraction if part == 0 and outcome in ("split", "part") else None
                act = self.receive(sale.key, sale.entity.code, sale.client, method, share, outcome)
                self.at(day, 4, "payment.receive", act, needs=(sale.key,), count=_one_unless_none)
                over -= outcome == "over"
                budget -= 1

    def receive(
        self,
        invoice: str,
        entity: str,
        client: str,
        method: str,
        share: Decimal | None,
        outcome: str,
    ) -> Callable[[Session], payments.Received | None]:
        """A payment of what is still owed on an invoice (or ``share`` of it) at the
        time it arrives; an over-payment adds a little to it."""
        extra = self.money(5, 60) if outcome == "over" else Decimal(0)

        def act(session: Session) -> payments.Received | None:
            number = self.results.get(invoice, invoice)
            owed = payments.outstanding(
                session, invoices.invoice_by_number(session, number), self.coop.currency
            )
            if owed <= 0:
                return None
            amount = max(self.quantum, self.round(owed * share)) if share else owed
            self.seq += 1
            received = payments.receive_payment(
                session,
                self.coop,
                key=f"{self.first:%Y-%m}/{number}/{self.seq}",
                entity=entity,
                client=client,
                amount=amount + extra,
                on=self.today,
                method=method,
                allocations=[(number, amount)],
                actor=self.actor,
            )
            return received

        return act

    def plan_purchases(self, sales: list[_Sale], suppliers: list[str]) -> None:
        """Supplier invoices after a sale, for part of it; most are paid within days."""
        for n, sale in enumerate(self.rng.choices(sales, k=self.volume.purchases)):
            on = sale.on + timedelta(days=self.rng.randint(1, 10))
            if on > self.last:
                continue
            share = Decimal(self.rng.randint(5, 35)) / 100
            net = max(self.scaled(MINIMUM_PURCHASE), self.sale_net(sale) * share)
            key = f"purchase:{n}"

            def book(
                session: Session, s: _Sale = sale, d: date = on, v: Decimal = net, i: int = n
            ) -> int:
                return purchases_acts.record_purchase(
                    session,
                    self.coop,
                    entity=s.entity.code,
                    supplier=self.rng.choice(suppliers),
                    supplier_reference=f"S{self.first:%y%m}-{i:06d}",
                    net=self.round(v),
                    on=d,
                    category=self.rng.choice(("purchases", "purchases", "expenses")),
                    actor=self.actor,
                ).id

            self.at(on, 5, "purchase.record", book, key=key)
            paid = on + timedelta(days=self.rng.randint(3, 15))
            if paid <= self.last and self.rng.random() < 0.7:
                self.at(
                    paid,
                    6,
                    "purchase.pay",
                    self.settle(settlement.pay_purchase, key, paid),
                    needs=(key,),
                )

    def plan_expenses(self, sales: list[_Sale]) -> None:
        """Expense claims of holders, with their receipt; most reimbursed in the month."""
        categories = expenses.CORE_EXPENSE_CATEGORIES
        rates = self.coop.plugins.hook.partage_vat_rates(on=self.first) or ()
        standard = rates[0].rate if rates else Decimal(0)
        for n, sale in enumerate(self.rng.choices(sales, k=self.volume.expense_claims)):
            on = sale.on + timedelta(days=self.rng.randint(0, 10))
            if on > self.last:
                continue
            net = self.round(min(self.money(8, 250), max(self.quantum, self.sale_net(sale) / 5)))
            key = f"expense:{n}"

            def claim(
                session: Session, s: _Sale = sale, d: date = on, v: Decimal = net, i: int = n
            ) -> int:
                category = self.rng.choice(categories)
                return expenses.claim_expense(
                    session,
                    self.coop,
                    entity=s.entity.code,
                    member=s.entity.holder,
                    category=category,
                    net=v,
                    vat=self.round(v * standard),
                    on=d,
                    receipt_name=f"receipt-{self.first:%Y%m}-{i}.pdf",
                    receipt=f"%PDF-1.4 receipt {i} {category} {v}".encode(),
                    actor=self.actor,
                ).id

            self.at(on, 5, "expense.claim", claim, key=key)
            back = on + timedelta(days=self.rng.randint(2, 12))
            if back <= self.last and self.rng.random() < 0.8:
                self.at(
                    back,
                    6,
                    "expense.reimburse",
                    self.settle(expenses.reimburse_expense, key, back),
                    needs=(key,),
                )

    def sale_net(self, sale: _Sale) -> Decimal:
        """What a sale's lines add up to, excluding VAT."""
        total = sum((Decimal(x.quantity) * Decimal(x.unit_price) for x in sale.lines), Decimal(0))
        return self.round(total)

    def settle(self, act: Callable[..., object], key: str, on: date) -> Callable[[Session], object]:
        return lambda session: act(session, self.coop, self.results[key], on=on, actor=self.actor)

    def plan_hiring(self, entities: list[_Entity]) -> None:
        """Each entity's holder gets a contract once: by the hour early in the month
        (it commits nothing until hours are paid), or monthly late in the month, for a
        gross its funds can pay."""
        for entity in entities[: self.volume.payslips]:
            if entity.contract is not None:
                continue
            category = self.samples.category_for(entity.kind)
            monthly = entity.kind in MONTHLY_KINDS
            on = self.day(18, 22) if monthly else self.day(4, 10)
            rate = self.scaled(self.rng.choice(HOURLY_RATES))
            share = Decimal(self.rng.randint(40, 80)) / 100
            self.at(
                on,
                7 if monthly else 0,
                "contract.hire",
                self.hire(entity, category, on, None if monthly else rate, share),
                count=_one_unless_none,
            )

    def hire(
        self, entity: _Entity, category: str, on: date, rate: Decimal | None, share: Decimal
    ) -> Callable[[Session], str | None]:
        def act(session: Session) -> str | None:
            gross = None
            if rate is None:
                room = headrooms(session, self.coop, [entity.id], on)[entity.id]
                step = salary_step(self.scale, self.currency)
                steps = (room * share / (EMPLOYER_COST_FACTOR * step)).to_integral_value(
                    ROUND_FLOOR
                )
                gross = self.round(steps * step)
                if gross < self.scaled(SIMULATED_MINIMUM_MONTHLY_GROSS):
                    return None  # not enough activity yet for a monthly salary
            contract = payroll.hire(
                session,
                self.coop,
                entity=entity.code,
                member=entity.holder,
                worker_category=category,
                start=on,
                monthly_gross=gross,
                hourly_rate=rate,
                actor=self.actor,
            )
            entity.contract, entity.monthly = contract.code, rate is None
            return contract.code

        return act

    def pay_month(self, entities: list[_Entity]) -> Callable[[Session], payroll.PayrollRun]:
        """The month's payroll run: monthly contracts at their gross; hourly ones for
        the hours each holder chose from what the entity can afford — most within it,
        some beyond (the run refuses those)."""

        def act(session: Session) -> payroll.PayrollRun:
            hired = [e for e in entities if e.contract is not None][: self.volume.payslips]
            rooms = headrooms(session, self.coop, [e.id for e in hired], self.last)
            rates = {
                code: rate
                for code, rate in session.execute(
                    select(Contract.code, Contract.hourly_rate).where(
                        Contract.hourly_rate.is_not(None)
                    )
                )
                if rate is not None  # the query's own filter, said again for the type
            }
            items = []
            for entity in hired:
                if entity.monthly:
                    items.append(payroll.PayrollItem(str(entity.contract)))
                    continue
                assert entity.contract is not None  # hired: only entities with a contract
                rate = from_minor(int(rates[entity.contract]), self.currency)
                reach = (
                    Decimal(self.rng.randint(35, 95))
                    if self.rng.random() < 0.88
                    else Decimal(self.rng.randint(102, 125))
                ) / 100
                hours = rooms[entity.id] * reach / self.hour_cost(entity, rate)
                hours = min(Decimal(169), hours).to_integral_value(rounding=ROUND_FLOOR)
                if hours >= 1:
                    items.append(payroll.PayrollItem(str(entity.contract), hours))
            run = payroll.run_payroll(
                session, self.coop, items, month=self.first, paid_on=self.last, actor=self.actor
            )
            for refused in run.refused:
                self.meter.refuse("payslip", refused.error)
            self.results["payroll"] = run
            return run

        return act

    def transfer_salaries(self, session: Session, issuer: Issuer) -> sepa.Batch:
        """The month's net pay sent as one SEPA file on its last day, each entity within
        its means (what does not fit is held, as the cooperative's treasurer would)."""
        batch = sepa.build_batch(
            session,
            self.coop,
            issuer,
            execution_on=self.last,
            actor=self.actor,
            kinds=[OrderKind.SALARY],
        )
        self.results["salary_batch"] = batch
        return batch

    def hour_cost(self, entity: _Entity, rate: Decimal) -> Decimal:
        """What one hour at ``rate`` costs the entity (employer cost and premiums),
        from a 100-hour payslip of its category."""
        category = self.samples.category_for(entity.kind)
        if (category, rate) not in self.costs:
            terms = EmploymentContract(category, self.first, hourly_rate=rate, hours=Decimal(100))
            slip = payroll.compute_payslip(self.coop, terms, payroll.month_of(self.first))
            premiums = payroll.insurance_premiums(self.coop, slip.gross, self.last)
            self.costs[category, rate] = (slip.employer_cost + premiums) / 100
        return self.costs[category, rate]

    def default(self, session: Session, invoiced_later: set[str]) -> list[fund.WriteOff]:
        """A client with open invoices goes bankrupt: they are written off against the
        salary guarantee fund. One the month's plan still invoices is spared, if any
        other can be chosen; the bankrupt is drawn among the quarter owing least, as
        small clients are the ones that fail most."""
        rows = outstanding_query().subquery()
        owing = session.execute(
            select(Party.code, func.sum(rows.c.outstanding))
            .join(Invoice, Invoice.party_id == Party.id)
            .join(rows, rows.c.id == Invoice.id)
            .where(Party.defaulted_on.is_(None))
            .group_by(Party.code)
            .order_by(func.sum(rows.c.outstanding), Party.code)
        ).all()
        candidates = [code for code, _ in owing]
        if not candidates:
            return []
        spared = [c for c in candidates if c not in invoiced_later] or candidates
        spared = spared[: max(1, len(spared) // 4)]
        offs = fund.declare_default(
            session,
            self.coop,
            self.rng.choice(spared),
            on=self.today,
            actor=self.actor,
            reason="Client declared bankrupt; its open invoices are written off",
        )
        self.write_offs.extend(offs)
        return offs

    def open_invoices(self) -> list[tuple[str, str, str]]:
        """Open invoices of earlier months whose clients are not in default."""
        rows = outstanding_query().subquery()
        with self.sessions() as session:
            return [
                (number, entity, client)
                for number, entity, client in session.execute(
                    select(Invoice.number, Entity.code, Party.code)
                    .join(rows, rows.c.id == Invoice.id)
                    .join(Entity, Entity.id == Invoice.entity_id)
                    .join(Party, Party.id == Invoice.party_id)
                    .where(
                        Invoice.issued_on < self.first,
                        Party.defaulted_on.is_(None),
                        Entity.closed_on.is_(None),
                    )
                    .order_by(Invoice.id)
                )
            ]

    # --- running it ---------------------------------------------------------------------------
    def execute(self) -> None:
        """Run the scheduled acts in date order, each in its own transaction."""
        for event in sorted(self.events):
            self.today = event.day
            if any(need not in self.results for need in event.needs):
                self.meter.skipped[event.kind] += 1
                continue
            result = self.meter.run(self.sessions, event.kind, event.act, event.count)
            if event.key is not None and result is not None:
                self.results[event.key] = result

    def mark(self, volume: Volume, seed: int) -> None:
        """Record in the audit log that this month was simulated, and from what."""
        with transaction(self.sessions) as session:
            audit.record(
                session,
                actor=self.actor,
                action=MONTH_MARK,
                subject=f"month:{self.first:%Y-%m}",
                reason="simulated month of activity",
                data={"seed": seed, "volume": volume.__dict__},
            )


@dataclass(frozen=True)
class _Sale:
    key: str
    entity: _Entity
    client: str
    lines: list[LineInput]
    on: date
    quote: str | None = None

    @property
    def needs(self) -> tuple[str, ...]:
        """An invoice carrying out a quote waits for the quote's acceptance."""
        return (f"{self.quote}:status",) if self.quote else ()


def _one_unless_none(result: object) -> int:
    return 0 if result is None else 1


def simulate_month(
    sessions: sessionmaker[Session],
    coop: Cooperative,
    month: date,
    volume: Volume,
    *,
    seed: int = 0,
    actor: str = "simulation",
) -> MonthReport:
    """Live one month of the instance: newcomers, parties, then every act day by day.

    The database must be migrated and its instance and books loaded; the month's fiscal
    year is opened if it is not yet. Refusals by the engine's rules are counted in the
    report's meter, not raised.
    """
    state = _Month(sessions, coop, month, volume, seed, actor)
    state.open_periods()
    state.today = state.first
    newcomers = state.admit_members()
    state.open_entities(newcomers)
    state.register_parties()
    entities, clients, suppliers = state.load_world()
    state.plan(entities, clients, suppliers)
    state.execute()
    state.mark(volume, seed)
    run = state.results.get("payroll")
    with sessions() as session:
        credit = client_credit(session, coop)
    return MonthReport(
        state.first,
        seed,
        state.meter,
        run,
        tuple(state.write_offs),
        credit,
        state.results.get("salary_batch"),
    )


def client_credit(session: Session, coop: Cooperative) -> Decimal:
    """What payments received left on clients' accounts as credit, instance-wide."""
    received = session.scalar(select(func.coalesce(func.sum(Payment.amount), 0)))
    allocated = session.scalar(select(func.coalesce(func.sum(Allocation.amount), 0)))
    return from_minor(int(received or 0) - int(allocated or 0), coop.currency)

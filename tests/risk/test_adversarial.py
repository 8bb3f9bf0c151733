"""Adversarial simulation (issue 16, point 8): honest and malicious members, advisers
and the bank play random sequences of acts through the service layer, and after every
step the invariants of "money that exists" hold (:mod:`tests.risk.simulation_support`):

* no entity below zero (its available funds plus the coverage the rules offer it);
* the entities' available funds never exceed the money they hold (bank, validated cash,
  VAT the State owes back, the cooperative's debt to them) plus the coverage granted;
* a commitment never takes the fund's exposure past its capacity;
* every book and every entry balances;
* an act left pending moves no figure.

A refusal (any :class:`~partage.core.contract.errors.PartageError`) is an expected
outcome; any other exception fails the sequence. The default suite plays
``PARTAGE_SIMULATION_EXAMPLES`` sequences (300 unless set), each from the same opening
world (:class:`~tests.risk.simulation_support.Stage`); ``nox -s simulation`` plays ten
thousand, split into ``PARTAGE_SIMULATION_SHARDS`` runs on as many workers.
"""

from __future__ import annotations

import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    get_state_machine_test,
    invariant,
    precondition,
    rule,
)
from sqlalchemy import Engine, func, select

from partage.core.acts.models import PendingStatus
from partage.core.banking import pending as decisions
from partage.core.banking import statements, writers
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.contract.errors import PartageError
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.payroll import service as payroll
from partage.core.platform.db.engine import make_engine
from partage.core.platform.db.models import AuditRecord
from partage.core.risk import fund
from partage.core.sales import credit_notes, invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Invoice
from partage.core.spending import expenses, purchases, supplier_credits
from tests.acts.test_engine import DAY
from tests.builders import person
from tests.engine_support import World, build_world
from tests.risk.simulation_support import (
    EXAMPLES,
    SHARDS,
    SHRINK,
    Figures,
    Stage,
    figures,
    unbalanced,
    violations,
)

D = Decimal
ENTITIES = ("E000001", "E000002")
MEMBERS = {"E000001": 1, "E000002": 2}
LOGINS = {1: "user:m1", 2: "user:m2"}
ADVISER = "user:adviser"
IBAN = "ZZ00000000000099"

#: What each act did over the run, ``(act, outcome)`` → count, where the outcome is
#: ``done`` or the refusal's class: shown by ``pytest -s``, so that a run that only
#: meets refusals is seen.
OUTCOMES: Counter[tuple[str, str]] = Counter()
#: One refusal's message for each ``(act, refusal)``, shown with :data:`OUTCOMES`.
SAMPLES: dict[tuple[str, str], str] = {}

#: Amounts a member may type: ordinary ones, and hostile ones (huge, negative, zero,
#: more decimals than the currency has, not a number at all).
ordinary = st.decimals(min_value=1, max_value=5_000, places=2).map(str)
amounts = st.one_of(
    ordinary,
    ordinary,
    st.sampled_from(
        [
            "999999999999.00",
            "1e12",
            "-100",
            "-0.01",
            "0",
            "0.00",
            "0.001",
            "12.345",
            "1E-9",
            "NaN",
            "Infinity",
            "abc",
            "",
            " 10 ",
        ]
    ),
)
#: The largest net an invoice may carry at the standard rate of 21 %: its total, VAT
#: included, is 999,999,999,999.99, the most one act may carry (a net of
#: 999,999,999,999.00 is refused, naming the total no payment could settle).
TOP = "826446280991.73"
#: An invoice's amounts: mostly ordinary, so that later acts have invoices to work on,
#: and the hostile ones, huge included (beyond the guarantee's ceiling per entity the
#: fund advances what the VAT and fee lack: see
#: :func:`test_invoices_beyond_the_ceiling_are_covered_by_a_fund_advance`).
invoice_amounts = st.one_of(
    ordinary,
    ordinary,
    ordinary,
    st.sampled_from(
        ["-100", "0", "0.001", "12.345", "NaN", "abc", "90000.00", "999999999999.00", TOP]
    ),
)
entities = st.sampled_from(ENTITIES)
#: The most acts a sequence plays.
STEPS = 15

keys = st.sampled_from(["k1", "k2", "k3"])  # few, so that retries of one key happen


def open_world(world: World) -> None:
    """Two members, each with an entity in office ``cap``; client and supplier C000001
    (Acme), client C000002 (Shaky); 200.00 allocated to the fund."""
    with world.act() as s:
        for n, code in ((1, "E000001"), (2, "E000002")):
            membership.admit_member(
                s, world.coop, person(n), share_class="A", shares=1, on=DAY, actor="t"
            )
            members.open_entity(
                s,
                world.coop,
                holders=[n],
                name=code,
                kind="freelance",
                office="cap",
                on=DAY,
                actor="t",
            )
        members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Acme",
            kind="both",
            country="ZZ",
            vat_number="ZZ0000000001",
            actor="t",
        )
        members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Shaky",
            kind="client",
            country="ZZ",
            actor="t",
        )
        fund.allocate(s, world.coop, "200", on=DAY, actor="t", reason="assembly")


def opened_on(engine: Engine) -> Callable[[], tuple[World, Figures]]:
    """A start that builds the opening world on ``engine``, a blank database, for the
    one machine a test plays by hand."""

    def start() -> tuple[World, Figures]:
        world = build_world(engine)
        open_world(world)
        with world.act() as s:
            return world, figures(s, world.coop, DAY)

    return start


class Simulation(RuleBasedStateMachine):
    """A Testland world opened by :func:`open_world` (C000002 is the client that may
    default); every rule is one act (or a refusal)."""

    #: The world a sequence starts from, and its figures.
    start: Callable[[], tuple[World, Figures]]

    def __init__(self) -> None:
        super().__init__()
        self.world, self.before = self.start()
        self.invoices: list[str] = []
        #: Invoices with nothing left to credit (written off, their client defaulted, or
        #: credited in full): a credit note on them is refused, so most aim at others.
        self.closed: set[str] = set()
        self.clients: dict[str, str] = {}
        #: Payments the bank credited: (end-to-end id, amount), that it may return.
        self.paid: list[tuple[str, Decimal]] = []
        self.contracts: list[str] = []
        self.serial = 0
        self.steps = 0

    # --- plumbing -------------------------------------------------------------------
    def read(self) -> Figures:
        with self.world.act() as s:
            return figures(s, self.world.coop, DAY)

    def next(self) -> int:
        self.serial += 1
        return self.serial

    def play(self, act: Callable[..., object], *, commitment: bool = False) -> object:
        """Run one act in its own transaction; a refusal is an outcome, anything else
        raised fails; then check every invariant against the figures before it."""
        self.steps += 1
        before = self.before
        done: object = None
        caller = sys._getframe(1)
        if caller.f_code.co_name == "statement":
            caller = caller.f_back or caller
        name = caller.f_code.co_name
        try:
            with self.world.act() as s:
                done = act(s)
            OUTCOMES[name, "done"] += 1
        except PartageError as refused:
            OUTCOMES[name, type(refused).__name__] += 1
            SAMPLES.setdefault((name, type(refused).__name__), str(refused)[:90])
            done = None
        with self.world.act() as s:
            after = figures(s, self.world.coop, DAY)
            broken = unbalanced(s)
        entered_pending = after.pending > before.pending
        broken += violations(before, after, commitment=commitment, entered_pending=entered_pending)
        assert not broken, broken
        self.before = after
        return done

    # --- members ----------------------------------------------------------------------
    @rule(
        entity=entities,
        amount=invoice_amounts,
        rogue=st.booleans(),
        client=st.sampled_from(["C000001", "C000002"]),
    )
    def invoice(self, entity: str, amount: str, rogue: bool, client: str) -> None:
        actor = LOGINS[MEMBERS[entity] if not rogue else 3 - MEMBERS[entity]]
        issued = self.play(
            lambda s: invoices.issue_invoice(
                s,
                self.world.coop,
                entity=entity,
                client=client,
                lines=[LineInput("Work", "1", amount)],
                on=DAY,
                actor=actor,
            )
        )
        if issued is not None:
            self.invoices.append(issued.number)  # type: ignore[attr-defined]
            self.clients[issued.number] = client  # type: ignore[attr-defined]

    @precondition(lambda self: self.invoices)
    @rule(
        data=st.data(),
        part=st.sampled_from([None, None, "1", "0.01", "25.00", "-5", "999999"]),
        live=st.sampled_from([True, True, True, False]),
    )
    def credit_note(self, data: st.DataObject, part: str | None, live: bool) -> None:
        """A credit note, mostly on an invoice still owed (a full one, or part of it),
        sometimes on any invoice, written off included, or for more than it holds."""
        owed = [n for n in self.invoices if n not in self.closed]
        number = data.draw(st.sampled_from(owed if live and owed else self.invoices))
        lines = None if part is None else [LineInput("Correction", "1", part)]
        done = self.play(
            lambda s: credit_notes.issue_credit_note(
                s,
                self.world.coop,
                invoice=number,
                on=DAY,
                actor="user:m1",
                reason="wrong invoice",
                lines=lines,
            )
        )
        if done is not None and part is None:
            self.closed.add(number)  # credited in full: nothing left to credit

    @rule(entity=entities, amount=amounts, key=keys)
    def declare_cash(self, entity: str, amount: str, key: str) -> None:
        self.play(
            lambda s: payments.receive_payment(
                s,
                self.world.coop,
                key=f"{entity}-{key}",
                entity=entity,
                client="C000001",
                amount=amount,
                on=DAY,
                actor=LOGINS[MEMBERS[entity]],
                method="cash",
            )
        )

    @rule(entity=entities, amount=amounts)
    def purchase(self, entity: str, amount: str) -> None:
        reference = f"S{self.next()}"
        self.play(
            lambda s: purchases.record_purchase(
                s,
                self.world.coop,
                entity=entity,
                supplier="C000001",
                supplier_reference=reference,
                net=amount,
                on=DAY,
                actor=LOGINS[MEMBERS[entity]],
            ),
            commitment=True,
        )

    @rule(entity=entities, amount=amounts)
    def standalone_supplier_credit_note(self, entity: str, amount: str) -> None:
        reference = f"CN{self.next()}"
        self.play(
            lambda s: supplier_credits.record_supplier_credit_note(
                s,
                self.world.coop,
                entity=entity,
                supplier="C000001",
                supplier_reference=reference,
                net=amount,
                on=DAY,
                actor=LOGINS[MEMBERS[entity]],
            )
        )

    @rule(entity=entities, net=amounts, vat=st.sampled_from(["rate", "0", "7.77", "90000"]))
    def expense_claim(self, entity: str, net: str, vat: str) -> None:
        if vat == "rate":  # the standard rate: explained, posted at once
            try:
                vat = str((D(net) * D("0.21")).quantize(D("0.01")))
            except ArithmeticError:
                vat = "0"
        self.play(
            lambda s: expenses.claim_expense(
                s,
                self.world.coop,
                entity=entity,
                member=MEMBERS[entity],
                category="supplies",
                net=net,
                vat=vat,
                on=DAY,
                receipt_name="r.pdf",
                receipt=b"%PDF",
                actor=LOGINS[MEMBERS[entity]],
            ),
            commitment=True,
        )

    @rule(entity=entities, rate=amounts, months=st.sampled_from([None, 1, 3, 12]))
    def hire(self, entity: str, rate: str, months: int | None) -> None:
        end = None if months is None else date(2026 + (6 + months) // 12, (6 + months) % 12 + 1, 1)
        hired = self.play(
            lambda s: payroll.hire(
                s,
                self.world.coop,
                entity=entity,
                member=MEMBERS[entity],
                worker_category="employee",
                start=DAY,
                end=end,
                hourly_rate=rate,
                actor=LOGINS[MEMBERS[entity]],
                consent=payroll.Consent.SELF,
            ),
            commitment=True,
        )
        if hired is not None:
            self.contracts.append(hired.code)  # type: ignore[attr-defined]

    @rule(entity=entities)
    def hire_another_member(self, entity: str) -> None:
        """A member names the other member in a contract, claiming the worker's own
        consent: the service takes the caller's word (the API and pages check that a
        member's login hires only itself), and the money invariants hold either way."""
        self.play(
            lambda s: payroll.hire(
                s,
                self.world.coop,
                entity=entity,
                member=3 - MEMBERS[entity],
                worker_category="employee",
                start=DAY,
                hourly_rate="15",
                actor=LOGINS[MEMBERS[entity]],
                consent=payroll.Consent.SELF,
            ),
            commitment=True,
        )

    @precondition(lambda self: self.contracts)
    @rule(data=st.data(), hours=st.sampled_from(["1", "40", "160", "0", "-3", "100000"]))
    def payslip(self, data: st.DataObject, hours: str) -> None:
        contract = data.draw(st.sampled_from(self.contracts))
        self.play(
            lambda s: payroll.pay(
                s,
                self.world.coop,
                contract,
                month=date(2026, 7, 1),
                paid_on=DAY,
                hours=hours,
                actor=ADVISER,
            ),
            # wages for work done are owed whatever the fund can bear (BE loi du 12 avril
            # 1965; FR C. trav. L3242-1): never refused, a shortfall is the fund's advance
            commitment=False,
        )

    # --- advisers ---------------------------------------------------------------------
    def waiting(self) -> list[decisions.PendingView]:
        with self.world.act() as s:
            return decisions.listing(s, self.world.coop, statuses=[PendingStatus.PENDING])

    @rule(data=st.data(), who=st.sampled_from(["adviser", "self", "other member"]))
    def validate(self, data: st.DataObject, who: str) -> None:
        waiting = self.waiting()
        if not waiting:
            return
        shown = data.draw(st.sampled_from(waiting))
        actor = {"adviser": ADVISER, "self": shown.entered_by, "other member": "user:m9"}[who]
        self.play(lambda s: decisions.validate(s, self.world.coop, shown.id, actor=actor, on=DAY))

    @rule(data=st.data())
    def refuse(self, data: st.DataObject) -> None:
        waiting = self.waiting()
        if not waiting:
            return
        shown = data.draw(st.sampled_from(waiting))
        self.play(lambda s: decisions.refuse(s, shown.id, actor=ADVISER, reason="no proof"))

    @rule(amount=st.sampled_from(["50", "500", "0", "-10"]))
    def allocate_to_fund(self, amount: str) -> None:
        self.play(
            lambda s: fund.allocate(s, self.world.coop, amount, on=DAY, actor="t", reason="GA")
        )

    @precondition(lambda self: any(n not in self.closed for n in self.invoices))
    @rule(data=st.data())
    def full_credit_note(self, data: st.DataObject) -> None:
        """The whole of an invoice still owed credited: a correction that cannot be
        refused, whatever the entity spent meanwhile."""
        self.credit_note(data, None, live=True)

    @precondition(lambda self: self.invoices)
    @rule(data=st.data())
    def write_off(self, data: st.DataObject) -> None:
        number = data.draw(st.sampled_from(self.invoices))
        done = self.play(
            lambda s: fund.write_off(s, self.world.coop, number, on=DAY, actor=ADVISER, reason="x")
        )
        if done is not None:
            self.closed.add(number)

    # --- the bank ---------------------------------------------------------------------
    def statement(self, *transactions: BankTransaction) -> None:
        sid = f"ST{self.next()}"
        content = writers.camt053(BankStatement("camt.053", sid, IBAN, "EUR", transactions, D(0)))
        self.play(
            lambda s: statements.import_statement(
                s, self.world.coop, content, filename=f"{sid}.xml", actor="bank"
            )
        )

    @precondition(lambda self: self.invoices)
    @rule(data=st.data(), share=st.sampled_from(["1", "0.5", "2", "0.01"]))
    def client_pays(self, data: st.DataObject, share: str) -> None:
        number = data.draw(st.sampled_from(self.invoices))
        with self.world.act() as s:
            owed = payments.outstanding(
                s, invoices.invoice_by_number(s, number), self.world.coop.currency
            )
        amount = (max(owed, D(1)) * D(share)).quantize(D("0.01"))
        end_to_end = f"E2E-{self.next()}"
        self.statement(
            BankTransaction(
                f"T{self.next()}",
                amount,
                True,
                DAY,
                DAY,
                counterparty_name="Acme",
                remittance=f"Invoice {number}",
                end_to_end_id=end_to_end,
            )
        )
        self.paid.append((end_to_end, amount))

    @precondition(lambda self: self.paid)
    @rule(data=st.data(), charge=st.sampled_from([None, "7.50", "90000.00"]))
    def bank_returns_a_payment(self, data: st.DataObject, charge: str | None) -> None:
        """The bank takes a client's payment back (an R-transaction), with its charge or
        not: accepted whatever the entity holds, any shortfall the fund's advance."""
        end_to_end, amount = data.draw(st.sampled_from(self.paid))
        returned = BankTransaction(
            f"T{self.next()}",
            amount,
            False,
            DAY,
            DAY,
            end_to_end_id=end_to_end,
            code="PMNT/RCDT/RRTN",
            return_reason="FOCR",
        )
        fees = (
            []
            if charge is None
            else [
                BankTransaction(
                    f"T{self.next()}",
                    D(charge),
                    False,
                    DAY,
                    DAY,
                    end_to_end_id=end_to_end,
                    code="PMNT/RCDT/CHRG",
                )
            ]
        )
        self.statement(returned, *fees)

    @rule(amount=st.sampled_from(["15.00", "1000.00"]), credit=st.booleans())
    def stray_bank_line(self, amount: str, credit: bool) -> None:
        """Money in from no one known, or out with no payment order: queued."""
        self.statement(
            BankTransaction(
                f"T{self.next()}",
                D(amount),
                credit,
                DAY,
                DAY,
                counterparty_name="Someone",
                remittance="gift",
            )
        )

    @precondition(lambda self: len(self.invoices) >= 2)
    @rule()
    def client_defaults(self) -> None:
        done = self.play(
            lambda s: fund.declare_default(
                s, self.world.coop, "C000002", on=DAY, actor=ADVISER, reason="bankrupt"
            )
        )
        if done is not None:
            self.closed.update(n for n, c in self.clients.items() if c == "C000002")

    @invariant()
    def figures_are_read(self) -> None:
        assert self.before.pending >= 0


def simulate(stage: Stage, examples: int, steps: int, shard: int = 0) -> None:
    """Play ``examples`` sequences of at most ``steps`` acts, each from the stage's
    opening world, drawn from the seed ``shard`` (so that shards play different ones)."""
    machine: type[Simulation] = type(
        "Sim", (Simulation,), {"start": staticmethod(lambda: (stage.world(), stage.opened))}
    )
    test = get_state_machine_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            database=None,
            # shrinking replays sequences until a shortest failing one is found: readable,
            # and bounded by hypothesis; the long nox run reports a failure as played
            phases=[Phase.explicit, Phase.reuse, Phase.generate]
            + ([Phase.shrink] if SHRINK else []),
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    seed(shard)(test)()


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_sequence_of_acts_breaks_the_invariants(
    shard: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """``PARTAGE_SIMULATION_EXAMPLES`` sequences of up to :data:`STEPS` acts each, split
    over ``PARTAGE_SIMULATION_SHARDS`` runs (this one plays its share)."""
    examples = EXAMPLES // SHARDS + (shard < EXAMPLES % SHARDS)
    stage = Stage(tmp_path_factory.mktemp("simulation"), open_world, DAY)
    OUTCOMES.clear()
    SAMPLES.clear()
    started = time.perf_counter()
    try:
        simulate(stage, examples, STEPS, shard)
    finally:
        stage.close()
    elapsed = time.perf_counter() - started
    steps = sum(OUTCOMES.values())
    print(
        f"\nshard {shard + 1}/{SHARDS}: {examples} sequences, {steps} acts in {elapsed:.1f} s: "
        f"{examples / elapsed:.1f} sequences/s, {steps / elapsed:.1f} acts/s"
    )
    for (act, outcome), count in sorted(OUTCOMES.items()):
        print(f"  {act:34} {outcome:22} {count:6}  {SAMPLES.get((act, outcome), '')}")
    assert OUTCOMES  # the machine played acts


def test_each_sequence_starts_from_the_opening_world(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The stage gives every sequence the opening world back: what one sequence wrote
    (an invoice, its journal entry) is gone from the next, and the figures are the
    opening ones."""
    stage = Stage(tmp_path_factory.mktemp("stage"), open_world, DAY)
    try:
        machine = type(
            "Played", (Simulation,), {"start": staticmethod(lambda: (stage.world(), stage.opened))}
        )
        first = machine()
        first.invoice("E000001", "1000.00", rogue=False, client="C000001")
        assert first.invoices and first.before != stage.opened
        second = machine()
        with second.world.act() as s:
            assert s.scalar(select(func.count()).select_from(Invoice)) == 0
            assert figures(s, second.world.coop, DAY) == stage.opened
    finally:
        stage.close()


def test_invoices_beyond_the_ceiling_are_covered_by_a_fund_advance(engine: Engine) -> None:
    """Found by the simulation: two invoices of 90,000.00 leave E000001 owing 49,500.00
    of VAT and fee against 25,000.00 of coverage (the ceiling per entity). An invoice
    cannot wait on funds, so the fund advances the shortfall by a recorded act and the
    entity stays at zero (the machine's checks run after each act)."""
    machine = type("One", (Simulation,), {"start": staticmethod(opened_on(engine))})()
    machine.invoice("E000001", "90000.00", rogue=False, client="C000001")
    machine.invoice("E000001", "90000.00", rogue=False, client="C000001")
    with machine.world.act() as s:
        advances = s.scalars(
            select(AuditRecord.data).where(
                AuditRecord.action == "guarantee_fund.advance",
                AuditRecord.subject == "entity:E000001",
            )
        ).all()
    assert advances and sum(Decimal(a["amount"]) for a in advances) > 0


class Pick:
    """Stands for hypothesis's ``data`` in a replayed sequence: draws ``value``."""

    def __init__(self, value: object) -> None:
        self.value = value

    def draw(self, strategy: object) -> object:
        return self.value


def test_an_invoice_at_the_act_maximum_goes_through_every_act(engine: Engine) -> None:
    """Invoices whose total, VAT included, is the most one act may carry are paid,
    credited, written off and defaulted: each act is done or refused by name, no
    integer overflows, and the invariants hold after each (the machine checks them).
    A net of 999,999,999,999.00 is refused: no payment of its total could be received."""
    machine = type("Max", (Simulation,), {"start": staticmethod(opened_on(engine))})()
    OUTCOMES.clear()
    SAMPLES.clear()
    machine.invoice("E000001", "999999999999.00", rogue=False, client="C000001")
    assert SAMPLES["invoice", "InvalidAct"].startswith(
        "lines: the total, VAT included, 1209999999998.79 is more than one act may carry"
    )
    machine.invoice("E000001", TOP, rogue=False, client="C000001")
    machine.invoice("E000001", TOP, rogue=False, client="C000002")
    machine.invoice("E000002", TOP, rogue=False, client="C000001")
    first, second, third = machine.invoices
    machine.client_pays(Pick(first), "1")  # type: ignore[arg-type]
    machine.client_pays(Pick(third), "2")  # type: ignore[arg-type]
    machine.credit_note(Pick(third), None, live=True)  # type: ignore[arg-type]
    machine.credit_note(Pick(second), "999999", live=True)  # type: ignore[arg-type]
    machine.write_off(Pick(second))  # type: ignore[arg-type]
    machine.client_defaults()
    machine.hire("E000001", "15", 12)
    assert OUTCOMES["invoice", "done"] == 3
    assert OUTCOMES["client_pays", "done"] == 1  # twice the total is refused by name
    assert OUTCOMES["credit_note", "done"] == 2
    assert OUTCOMES["write_off", "done"] == OUTCOMES["client_defaults", "done"] == 1


@pytest.mark.postgresql
def test_sixteen_committers_at_once_keep_the_invariants(postgresql_url: str) -> None:
    """16 threads, each a login of one of the two entities, play random acts at once
    on PostgreSQL (commitments racing on shared entities and on the fund, cash declared
    and validated); refusals are outcomes, any other exception fails; then every
    invariant holds. No invoice is issued while they race: an invoice is not a
    commitment and may raise the exposure past the capacity (see the module)."""
    engine = make_engine(postgresql_url, pool_size=20)
    machine = type("Shared", (Simulation,), {"start": staticmethod(opened_on(engine))})()
    world = machine.world
    with world.act() as s:
        for entity in ENTITIES:
            invoices.issue_invoice(
                s,
                world.coop,
                entity=entity,
                client="C000001",
                lines=[LineInput("Work", "1", "3000")],
                on=DAY,
                actor="t",
            )
    before = machine.read()
    barrier = threading.Barrier(16)
    failures: list[BaseException] = []
    done: Counter[str] = Counter()

    def commit(n: int) -> None:
        entity = ENTITIES[n % 2]
        member = MEMBERS[entity]
        rng = random.Random(n)
        barrier.wait()
        for step in range(12):
            act = rng.choice(["purchase", "expense", "cash", "hire", "validate"])
            amount = str(rng.choice([1, 50, 400, 1500]))
            try:
                with world.act() as s:
                    if act == "purchase":
                        purchases.record_purchase(
                            s,
                            world.coop,
                            entity=entity,
                            supplier="C000001",
                            supplier_reference=f"S{n}-{step}",
                            net=amount,
                            on=DAY,
                            actor=LOGINS[member],
                        )
                    elif act == "expense":
                        expenses.claim_expense(
                            s,
                            world.coop,
                            entity=entity,
                            member=member,
                            category="supplies",
                            net=amount,
                            vat=rng.choice(["0", "7.77"]),
                            on=DAY,
                            receipt_name="r.pdf",
                            receipt=b"%PDF",
                            actor=LOGINS[member],
                        )
                    elif act == "cash":
                        payments.receive_payment(
                            s,
                            world.coop,
                            key=f"{entity}-k{rng.randint(1, 3)}",
                            entity=entity,
                            client="C000001",
                            amount=amount,
                            on=DAY,
                            actor=LOGINS[member],
                            method="cash",
                        )
                    elif act == "hire":
                        payroll.hire(
                            s,
                            world.coop,
                            entity=entity,
                            member=member,
                            worker_category="employee",
                            start=DAY,
                            hourly_rate="15",
                            actor=LOGINS[member],
                            consent=payroll.Consent.SELF,
                        )
                    else:
                        waiting = decisions.listing(
                            s, world.coop, statuses=[PendingStatus.PENDING], limit=1
                        )
                        if waiting:
                            decisions.validate(s, world.coop, waiting[0].id, actor=ADVISER, on=DAY)
                done[act] += 1
            except PartageError:
                done[f"{act} refused"] += 1
            except BaseException as error:
                failures.append(error)

    threads = [threading.Thread(target=commit, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    assert sum(done.values()) == 16 * 12
    after = machine.read()
    with world.act() as s:
        broken = unbalanced(s)
    broken += violations(before, after, commitment=True, entered_pending=False)
    assert not broken, (broken, dict(done))
    engine.dispose()

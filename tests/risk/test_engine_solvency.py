"""The no-bankruptcy rule under concurrency and over random interleavings of acts."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from partage.core.acts.cooperative import ActError, Cooperative, GuaranteeRules, InsufficientFunds
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.instance import bootstrap
from partage.core.payroll import service as payroll
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.platform.registry import PluginKind, PluginRegistry
from partage.core.platform.runtime import build_runtime
from partage.core.risk import fund
from partage.core.risk.solvency import coverage, headroom
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.spending import expenses, purchases
from partage.plugins import belgium
from tests import documents_support
from tests.acts.test_engine import DAY
from tests.builders import person
from tests.engine_support import World, build_world

D = Decimal


def prepare(world: World, cash: str) -> None:
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(1), share_class="A", shares=1, on=DAY, actor="t"
        )
        members.open_entity(
            s, world.coop, holders=[1], name="E", kind="project", office="cap", on=DAY, actor="t"
        )
        members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Acme",
            kind="both",
            country="ZZ",
            actor="t",
        )
        payments.receive_payment(
            s,
            world.coop,
            key="seed",
            entity="E000001",
            client="C000001",
            amount=cash,
            on=DAY,
            actor="t",
        )


@pytest.mark.postgresql
def test_concurrent_commitments_cannot_race_past_the_funds(postgresql_url: str) -> None:
    """8 writers each buy for 100.00 from 500.00 of funds: exactly 5 pass."""
    engine = make_engine(postgresql_url, pool_size=10)
    world = build_world(engine)
    prepare(world, "500")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def buy(n: int) -> None:
        barrier.wait()
        try:
            with world.act() as s:
                purchases.record_purchase(
                    s,
                    world.coop,
                    entity="E000001",
                    supplier="C000001",
                    supplier_reference=f"S{n}",
                    net="100",
                    on=DAY,
                    actor=f"w{n}",
                )
            outcomes.append("ok")
        except InsufficientFunds:
            outcomes.append("refused")

    threads = [threading.Thread(target=buy, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ok"] * 5 + ["refused"] * 3
    with world.act() as s:
        entity = members.entity_by_code(s, "E000001")
        assert headroom(s, world.coop, entity, DAY) == 0
    engine.dispose()


acts = st.lists(
    st.tuples(
        st.sampled_from(["invoice", "payment", "purchase", "payslip", "expense", "default"]),
        st.integers(min_value=1, max_value=2_000),
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=acts)
def test_no_interleaving_of_acts_takes_an_entity_below_zero(
    tmp_path_factory: pytest.TempPathFactory, script: list[tuple[str, int]]
) -> None:
    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('solvency') / 'p.db'}")
    world = build_world(engine)
    prepare(world, "100")
    with world.act() as s:
        contract = payroll.hire(
            s,
            world.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=DAY,
            hourly_rate="15",
            actor="t",
        ).code
    for step, (act, amount) in enumerate(script):
        try:
            with world.act() as s:
                if act == "invoice":
                    invoices.issue_invoice(
                        s,
                        world.coop,
                        entity="E000001",
                        client="C000001",
                        lines=[LineInput("w", "1", str(amount))],
                        on=DAY,
                        actor="t",
                    )
                elif act == "payment":
                    payments.receive_payment(
                        s,
                        world.coop,
                        key=f"k{step}",
                        entity="E000001",
                        client="C000001",
                        amount=str(amount),
                        on=DAY,
                        actor="t",
                    )
                elif act == "purchase":
                    purchases.record_purchase(
                        s,
                        world.coop,
                        entity="E000001",
                        supplier="C000001",
                        supplier_reference=f"S{step}",
                        net=str(amount),
                        on=DAY,
                        actor="t",
                    )
                elif act == "payslip":
                    payroll.pay(
                        s,
                        world.coop,
                        contract,
                        month=date(2026, 1 + step % 12, 1),
                        paid_on=DAY,
                        hours=str(amount % 160 + 1),
                        actor="t",
                    )
                elif act == "expense":
                    expenses.claim_expense(
                        s,
                        world.coop,
                        entity="E000001",
                        member=1,
                        category="travel",
                        net=str(amount),
                        on=DAY,
                        receipt_name="r",
                        receipt=b"r",
                        actor="t",
                    )
                else:
                    fund.declare_default(s, world.coop, "C000001", on=DAY, actor="t", reason="gone")
        except ActError:
            pass
        with world.act() as s:
            entity = members.entity_by_code(s, "E000001")
            assert headroom(s, world.coop, entity, DAY) >= 0, (step, act, amount)
    engine.dispose()


def test_the_instance_configuration_sets_the_guarantee_ceiling(
    configs: Path, sqlite_url: str
) -> None:
    """A runtime's cooperative covers what its instance file allows, not a literal."""
    instance_file = configs / "instances" / "be.toml"
    instance_file.write_text(
        instance_file.read_text().replace(
            'share_of_fee_income = "0.20"',
            'share_of_fee_income = "0.20"\nceiling_per_entity = "100.00"',
            1,
        )
    )
    registry = PluginRegistry(autoload=False)
    registry.add(belgium, name="be", kind=PluginKind.COUNTRY)
    with build_runtime("be", configs, sqlite_url, registry) as runtime:
        bootstrap(runtime.engine, runtime.config.instance, runtime.plugins, actor="t")
        coop = Cooperative.from_runtime(runtime)
        assert coop.guarantee == GuaranteeRules(D("0.80"), 60, D("100.00"))
        day = date.today()
        with transaction(runtime.sessions) as s:
            # a fund whose capacity is not what this test is about
            fund.allocate(s, coop, "1000", on=day, actor="t", reason="general assembly")
            membership.admit_member(
                s,
                coop,
                person(1, "be"),
                share_class="A",
                shares=1,
                on=day,
                actor="t",
            )
            entity = members.open_entity(
                s,
                coop,
                holders=[1],
                name="Atelier",
                kind="freelance",
                office="bru",
                on=day,
                actor="t",
            )
            client = members.register_party(
                s,
                coop,
                address="1 Main Street\n1000 Town",
                name="Client SA",
                kind="client",
                country="BE",
                vat_number=documents_support.be_vat(4567890),
                actor="t",
            )
            invoices.issue_invoice(
                s,
                coop,
                entity=entity.code,
                client=client.code,
                lines=[LineInput("Mission", "1", "1000")],
                on=day,
                actor="t",
            )
        shipped = replace(coop, guarantee=GuaranteeRules())
        with runtime.sessions() as s:
            # 1,210.00 receivable: 968.00 covered under the shipped rules, 100.00 under this
            # instance's, and the entity may commit 868.00 less
            assert coverage(s, shipped, entity.id, day) == D("968.00")
            assert coverage(s, coop, entity.id, day) == D("100.00")
            assert headroom(s, shipped, entity, day) - headroom(s, coop, entity, day) == D("868.00")

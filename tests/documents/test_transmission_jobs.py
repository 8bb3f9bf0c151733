"""The transmission's jobs on huey: a delivery queued by an act is handed to the access
point as the act commits, a rolled-back act queues nothing, and the sweep finds what a
lost wake-up left behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from huey import MemoryHuey

from partage.core.documents.transmission import service
from partage.core.documents.transmission.jobs import TransmissionJobs
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from tests.documents_support import DAY, CountryWorld, issuer
from tests.einvoice_support import StandIn, settings_for


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn()
    server.start()
    yield server
    server.stop()


def issue(world: CountryWorld) -> str:
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client("domestic"),
            lines=[LineInput("Mission", "1", "100")],
            on=DAY,
            actor="t",
        ).number


def test_a_committed_send_wakes_the_job_and_a_rolled_back_one_queues_nothing(
    be: CountryWorld, standin: StandIn
) -> None:
    settings = settings_for(standin)
    jobs = TransmissionJobs(MemoryHuey("t", immediate=True), be.sessions, settings)
    jobs.watch()
    number = issue(be)
    with be.act() as s:
        service.send_invoice(s, be.coop, settings, number, issuer("be"), actor="t")
    assert len(standin.recorded.outbound) == 1  # sent as the act committed
    with be.sessions() as s:
        (view,) = service.invoice_deliveries(s, number)
    assert view.status == "sent"

    other = issue(be)
    with pytest.raises(RuntimeError), be.act() as s:
        service.send_invoice(s, be.coop, settings, other, issuer("be"), actor="t")
        raise RuntimeError("the act fails after sending")
    with be.sessions() as s:
        assert service.invoice_deliveries(s, other) == []
    assert jobs.run_once().sent == 0 and len(standin.recorded.outbound) == 1


def test_the_sweep_sends_what_no_wake_up_announced(be: CountryWorld, standin: StandIn) -> None:
    settings = settings_for(standin)
    number = issue(be)
    with be.act() as s:  # no job watches these sessions: nothing is woken
        service.send_invoice(s, be.coop, settings, number, issuer("be"), actor="t")
    assert standin.recorded.outbound == {}
    jobs = TransmissionJobs(MemoryHuey("t2", immediate=True), be.sessions, settings)
    assert jobs.run_once().sent == 1
    standin.recorded.statuses["doc-1"] = {"status": "PD"}
    assert jobs.follow_once() == (1, 0)

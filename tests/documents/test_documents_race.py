"""Two first requests of one document at the same moment: both callers get the same
stored bytes, one row is kept and one issue is audited (PostgreSQL, where two
transactions really overlap; SQLite serialises writers before they look)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select, text

from partage.core.documents import service
from partage.core.documents.models import InvoiceFile
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from tests.documents_support import DAY, build_country_world, issuer

pytestmark = pytest.mark.postgresql


def test_a_pdf_asked_twice_at_once_is_stored_once_and_both_get_its_bytes(
    postgresql_url: str,
) -> None:
    world = build_country_world(make_engine(postgresql_url), "be")
    with world.act() as s:
        number = invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client("domestic"),
            lines=[LineInput("Mission", "1", "100")],
            on=DAY,
            actor="t",
        ).number
    first_in = threading.Event()

    def second() -> service.StoredFile:
        first_in.wait()
        with world.act() as s:
            return service.invoice_pdf(s, world.coop, number, issuer("be"), actor="second")

    with ThreadPoolExecutor(1) as pool, transaction(world.sessions) as s:
        first = service.invoice_pdf(s, world.coop, number, issuer("be"), actor="first")
        later = pool.submit(second)
        first_in.set()
        # Commit only once the second request waits on the row the first inserted.
        for _ in range(600):
            with world.engine.connect() as watch:
                waiting = watch.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                )
            if waiting:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the second request never waited on the first one's row")
    got = later.result(timeout=30)
    assert first.created and not got.created
    assert got.content == first.content and got.sha256 == first.sha256
    with world.act() as s:
        assert s.scalar(select(func.count()).select_from(InvoiceFile)) == 1
        issues = s.scalars(
            select(AuditRecord.actor).where(AuditRecord.action == "document.issue")
        ).all()
    assert issues == ["first"]

"""Credit notes that would give money back a second time are refused."""

from __future__ import annotations

import pytest

from partage.core.acts.cooperative import ClosedRecord
from partage.core.risk import fund
from partage.core.sales import credit_notes
from tests.acts.test_engine import DAY, issue, set_up, snapshot
from tests.engine_support import World, build_world


@pytest.fixture
def setup(engine) -> World:  # type: ignore[no-untyped-def]
    return set_up(build_world(engine))


def test_a_written_off_invoice_cannot_be_credited(setup: World) -> None:
    """The fund absorbed it and its VAT was recovered: a credit note would recover the
    VAT again and hand the entity funds from nothing."""
    issue(setup, "1000")
    with setup.act() as s:
        fund.declare_default(s, setup.coop, "C000001", on=DAY, actor="t", reason="bankrupt")
    before = snapshot(setup)
    with pytest.raises(ClosedRecord) as refused, setup.act() as s:
        credit_notes.issue_credit_note(
            s, setup.coop, invoice="F2026-000001", on=DAY, actor="t", reason="goodwill"
        )
    assert refused.value.field == "invoice"
    assert "written off on 2026" in refused.value.rule
    assert snapshot(setup) == before

"""Drafts of quotes and invoices: saved and edited without a number; where the office
validates documents, submitted to its staff, who issue them (numbered then, gapless) or
return them with a reason; elsewhere issued when submitted; four eyes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from partage.core.acts.cooperative import ClosedRecord, InvalidAct
from partage.core.acts.pending import FourEyes
from partage.core.sales import drafts
from partage.core.sales.invoices import Discount, LineInput
from partage.core.sales.models import DraftStatus, Invoice
from tests.documents_support import DAY, CountryWorld

LINES = [LineInput("Design", "2", "80", unit="day", discount_percent="5")]


def office(world: CountryWorld) -> str:
    return world.coop.instance.offices[0].code


def save(world: CountryWorld, kind: str = "invoice", **kw: object) -> int:
    with world.act() as s:
        options = {"client": world.client("domestic"), "lines": LINES} | kw
        return drafts.save_draft(
            s,
            world.coop,
            entity=world.entity,
            kind=kind,
            actor="member",
            **options,  # type: ignore[arg-type]
        ).id


def invoices_count(world: CountryWorld) -> int:
    with world.act() as s:
        return s.scalar(select(func.count()).select_from(Invoice)) or 0


def test_without_validation_submitting_issues_the_invoice(be: CountryWorld) -> None:
    draft = save(be, discount=Discount(percent="10"), notes="Thanks")
    with be.act() as s:
        done = drafts.submit_draft(s, be.coop, draft, on=DAY, actor="member")
        assert done.status == DraftStatus.ISSUED and done.issued == "F2026-000001"
        invoice = s.scalars(select(Invoice).where(Invoice.number == done.issued)).one()
        assert invoice.net == 13680 and invoice.notes == "Thanks"  # 160 - 5 % = 152, - 10 %


def test_the_office_validates_or_returns_a_draft_before_it_goes_out(be: CountryWorld) -> None:
    with be.act() as s:
        drafts.set_validation(s, office(be), True, actor="admin")
    draft = save(be, kind="quote", lines=[LineInput("Design", "1", "", unit="day")])
    with be.act() as s, pytest.raises(InvalidAct):  # incomplete: refused before the office
        drafts.submit_draft(s, be.coop, draft, on=DAY, actor="member")
    save(be, kind="quote", draft_id=draft)
    with be.act() as s:
        assert drafts.submit_draft(s, be.coop, draft, on=DAY, actor="member").status == "submitted"
        assert [d.id for d in drafts.awaiting(s)] == [draft]
    with pytest.raises(ClosedRecord):  # not editable while it waits
        save(be, kind="quote", draft_id=draft)
    with be.act() as s:
        returned = drafts.return_draft(s, draft, reason="Add the delivery date", actor="adviser")
        assert returned.status == "returned" and returned.reason == "Add the delivery date"
    save(be, kind="quote", draft_id=draft, notes="Delivered on 1 August")
    with be.act() as s:
        drafts.submit_draft(s, be.coop, draft, on=DAY, actor="member")
    with be.act() as s, pytest.raises(FourEyes):
        drafts.validate_draft(s, be.coop, draft, on=DAY, actor="member")
    with be.act() as s:
        done = drafts.validate_draft(s, be.coop, draft, on=date(2026, 7, 7), actor="adviser")
        assert done.status == "issued" and done.issued == "Q2026-000001"
        assert drafts.awaiting(s) == []


def test_numbers_stay_gapless_whatever_happens_to_drafts(be: CountryWorld) -> None:
    with be.act() as s:
        drafts.set_validation(s, office(be), True, actor="admin")
    first, second = save(be), save(be)
    with be.act() as s:
        drafts.submit_draft(s, be.coop, first, on=DAY, actor="member")
        drafts.submit_draft(s, be.coop, second, on=DAY, actor="member")
    with be.act() as s:
        drafts.return_draft(s, first, reason="wrong client", actor="adviser")
        assert drafts.validate_draft(s, be.coop, second, on=DAY, actor="adviser").issued == (
            "F2026-000001"
        )
    assert invoices_count(be) == 1

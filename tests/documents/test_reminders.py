"""Late payers: the charges each country's law allows, the reminders sent once per step
on the instance's schedule, their emails with the PDF attached, and the adviser's
proposed default that the guarantee fund writes off once another staff login validates
it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from partage.core.acts.cooperative import ActError
from partage.core.acts.pending import FourEyes
from partage.core.banking import pending
from partage.core.contract import LateClaim, daily_interest
from partage.core.documents import reminders
from partage.core.documents.models import Reminder
from partage.core.members.models import Party
from partage.core.platform.mail import outbox
from partage.core.platform.mail.models import OutboxMessage
from partage.core.platform.mail.sending import SmtpSender
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput, invoice_by_number
from partage.plugins.belgium.late_payment import consumer_damages
from partage.plugins.belgium.late_payment import partage_late_payment_charges as belgium
from partage.plugins.france.late_payment import partage_late_payment_charges as france
from tests.documents_support import DAY, CountryWorld
from tests.mail_support import SmtpServer

D = Decimal
ISSUED = date(2026, 5, 1)
DUE = date(2026, 5, 31)


# --- what the law allows ------------------------------------------------------------------
def test_belgian_business_interest_runs_per_day_at_each_half_years_rate() -> None:
    # 1,000.00 due 2025-06-01: 29 days of June at 11.5 %, 31 days of July at 10.5 %
    # 1000 × 0.115 × 29 / 365 = 9.13698…; 1000 × 0.105 × 31 / 365 = 8.91780…
    found = belgium(LateClaim(D("1000.00"), "EUR", date(2025, 6, 1), date(2025, 7, 31), True))
    assert found is not None
    assert [(s.start, s.days, s.rate) for s in found.slices] == [
        (date(2025, 6, 2), 29, D("0.115")),
        (date(2025, 7, 1), 31, D("0.105")),
    ]
    assert found.interest == D("18.05")  # 18.05479… rounded once, half up
    assert found.compensation == D("40")
    assert found.charges_from == date(2025, 6, 2)
    assert any("art. 6" in r for r in found.references)


def test_french_business_penalties_are_ecb_plus_ten_points_and_forty_euros() -> None:
    found = france(LateClaim(D("1000.00"), "EUR", date(2026, 1, 31), date(2026, 3, 1), True))
    assert found is not None
    # 29 days at 12.15 % (ECB 2.15 % + 10; three times the legal 2.62 % is only 7.86 %)
    assert [(s.days, s.rate) for s in found.slices] == [(29, D("0.1215"))]
    assert found.interest == D("9.65")  # 1000 × 0.1215 × 29 / 365 = 9.6534…
    assert found.compensation == D("40")
    assert any("D441-5" in r for r in found.references)


def test_french_consumers_owe_legal_interest_from_the_first_reminder_and_no_forty_euros() -> None:
    none_yet = france(LateClaim(D("500"), "EUR", date(2026, 1, 31), date(2026, 2, 20), False))
    assert none_yet is not None and none_yet.total == 0 and none_yet.charges_from is None
    found = france(
        LateClaim(D("500"), "EUR", date(2026, 1, 31), date(2026, 3, 2), False, date(2026, 2, 7))
    )
    assert found is not None
    assert [(s.days, s.rate) for s in found.slices] == [(23, D("0.0262"))]
    assert found.interest == D("0.83")  # 500 × 0.0262 × 23 / 365 = 0.8254…
    assert found.compensation == 0


@pytest.mark.parametrize(
    ("owed", "damages"),
    [
        ("10.00", "20.00"),
        ("150.00", "20.00"),
        ("150.01", "30.00"),  # 30 + 10 % of 0.01 = 30.001
        ("300.00", "45.00"),  # 30 + 10 % of 150
        ("500.00", "65.00"),  # 30 + 10 % of 350
        ("500.01", "65.00"),  # 65 + 5 % of 0.01 = 65.0005
        ("1000.00", "90.00"),  # 65 + 5 % of 500
        ("39200.00", "2000.00"),  # 65 + 5 % of 38,700: exactly the cap
        ("39200.20", "2000.00"),
        ("100000.00", "2000.00"),
    ],
)
def test_belgian_consumer_damages_follow_the_brackets_of_book_xix(owed: str, damages: str) -> None:
    assert consumer_damages(D(owed), date(2026, 3, 1))[0] == D(damages)


def test_a_belgian_consumer_owes_nothing_until_fourteen_days_after_the_free_first_reminder() -> (
    None
):
    first = date(2026, 2, 1)
    claim = LateClaim(D("200.00"), "EUR", date(2026, 1, 15), first, False)
    free = belgium(claim)
    assert free is not None and free.total == 0 and free.charges_from is None
    # e-mailed on 1 February: the period runs 2 to 15 February; nothing on the 15th
    during = belgium(
        LateClaim(D("200.00"), "EUR", date(2026, 1, 15), date(2026, 2, 15), False, first)
    )
    assert during is not None and during.total == 0 and during.charges_from is None
    after = belgium(
        LateClaim(D("200.00"), "EUR", date(2026, 1, 15), date(2026, 3, 1), False, first)
    )
    assert after is not None
    assert after.charges_from == date(2026, 2, 16)
    assert [(s.start, s.days, s.rate) for s in after.slices] == [
        (date(2026, 2, 16), 14, D("0.045"))
    ]
    assert after.interest == D("0.35")  # 200 × 0.045 × 14 / 365 = 0.3452…
    assert after.compensation == D("35.00")  # 30 + 10 % of 50


def test_interest_is_rounded_once_half_up_on_the_sum_of_its_slices() -> None:
    # 730 × 0.01 × 1 / 365 = 0.02 per day exactly; 36.5 × 0.1 / 365 = 0.01 per day:
    # 0.005 a day for half a cent's worth, rounded only at the end
    total, slices = daily_interest(
        D("18.25"), "EUR", date(2026, 1, 1), date(2026, 1, 1), lambda d: D("0.1")
    )
    assert slices[0].amount == D("0.005")
    assert total == D("0.01")  # half up, not half even
    total, slices = daily_interest(
        D("18.25"), "EUR", date(2026, 1, 1), date(2026, 1, 3), lambda d: D("0.1")
    )
    assert total == D("0.02")  # 0.015 → 0.02, not 3 × round(0.005)
    nothing, none = daily_interest(
        D("100"), "EUR", date(2026, 1, 2), date(2026, 1, 1), lambda d: D("0.1")
    )
    assert nothing == 0 and none == ()


# --- reminders on the schedule ----------------------------------------------------------
def overdue_invoice(world: CountryWorld, role: str = "domestic", net: str = "1000") -> str:
    with world.act() as s:
        party = s.scalars(select(Party).where(Party.code == world.client(role))).one()
        party.email = f"{role}@client.example"
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client(role),
            lines=[LineInput("Work", "1", net)],
            on=ISSUED,
            due_on=DUE,
            actor="t",
        ).number


def test_the_schedule_sends_each_step_once_on_its_day(be: CountryWorld) -> None:
    number = overdue_invoice(be)
    with be.act() as s:
        assert reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=6)).sent == []
    with be.act() as s:
        done = reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=7))
    assert done.sent == [(number, "friendly")]
    with be.act() as s:  # the same day again, and the next: nothing left to send
        assert reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=7)).sent == []
        assert reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=20)).sent == []
    with be.act() as s:
        assert reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=60)).sent == [
            (number, "second")
        ]
    with be.act() as s:  # a missed fortnight catches up one step a day
        assert reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=60)).sent == []
        assert reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=61)).sent == [
            (number, "formal_notice")
        ]
        assert reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=90)).sent == []
    with be.act() as s:
        invoice = invoice_by_number(s, number)
        steps = [r.step for r in reminders.history(s, invoice.id)]
        messages = s.scalar(select(func.count()).select_from(OutboxMessage))
    assert steps == ["friendly", "second", "formal_notice"]
    assert messages == 3


def test_a_business_reminder_claims_interest_and_forty_euros_and_posts_nothing(
    be: CountryWorld,
) -> None:
    number = overdue_invoice(be)  # 1,000.00 + 21 % VAT = 1,210.00 owed
    on = DUE + timedelta(days=36)  # 2026-07-06
    with be.act() as s:
        done = reminders.send_reminder(s, be.coop, number, on=on, actor="user:ada")
        entries = s.execute(select(func.count()).select_from(Reminder)).scalar_one()
    assert (done.step, done.days_late, done.owed, done.charged) == ("friendly", 36, 121000, True)
    # 1210 × 0.105 × 36 / 365 = 12.5309…
    assert (done.interest, done.compensation) == (1253, 4000)
    assert done.content.startswith(b"%PDF") and done.language == "fr"
    assert entries == 1
    with be.act() as s:
        second = reminders.send_reminder(s, be.coop, number, on=on, actor="user:ada", charge=False)
    assert (second.step, second.interest, second.compensation) == ("second", 0, 0)


def test_a_belgian_consumers_first_reminder_is_free(be: CountryWorld) -> None:
    number = overdue_invoice(be, "private", "100")
    with be.act() as s:
        first = reminders.send_reminder(s, be.coop, number, on=DUE + timedelta(days=7), actor="t")
        second = reminders.send_reminder(s, be.coop, number, on=DUE + timedelta(days=22), actor="t")
    assert (first.interest, first.compensation) == (0, 0)
    # 121.00 owed: the period ran from the day after the first reminder for 14 days
    # the period ran 8 to 21 June; on the 22nd: 20.00 of damages (121.00 is under 150)
    # and one day of legal interest, 121 × 0.045 / 365 = 0.0149… → 0.01
    assert (second.compensation, second.interest) == (2000, 1)


def test_refusals_name_what_to_change(be: CountryWorld) -> None:
    number = overdue_invoice(be, "eu")
    with be.act() as s:
        s.scalars(select(Party).where(Party.code == be.client("eu"))).one().email = ""
    with pytest.raises(ActError) as no_email, be.act() as s:
        reminders.send_reminder(s, be.coop, number, on=DUE + timedelta(days=7), actor="t")
    assert no_email.value.field == "email"
    with pytest.raises(ActError) as early, be.act() as s:
        reminders.send_reminder(s, be.coop, number, on=DUE, actor="t")
    assert early.value.field == "invoice"
    with be.act() as s:
        assert reminders.run_schedule(s, be.coop, on=DUE + timedelta(days=8)).no_email == [number]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def test_the_reminder_reaches_the_client_with_its_pdf_attached(
    be: CountryWorld, smtp: SmtpServer
) -> None:
    number = overdue_invoice(be)
    with be.act() as s:
        done = reminders.send_reminder(s, be.coop, number, on=DUE + timedelta(days=7), actor="t")
    settings = smtp.settings()
    assert outbox.deliver_due(be.sessions, settings, SmtpSender(settings)).sent == 1
    [received] = smtp.inbox.messages
    assert received["To"] == "domestic@client.example"
    assert number in received["Subject"] and received["Content-Language"] == "fr"
    assert "Rappel de paiement" in received["Subject"]
    body = received.get_body(preferencelist=("plain",))
    assert body is not None and "1210.00 EUR" in body.get_content()
    [attached] = list(received.iter_attachments())
    assert attached.get_content_type() == "application/pdf"
    assert attached.get_filename() == done.filename
    assert attached.get_content() == done.content


# --- a proposed default -------------------------------------------------------------------
def test_a_proposed_default_is_written_off_once_another_staff_login_validates_it(
    be: CountryWorld,
) -> None:
    number = overdue_invoice(be)
    with be.act() as s:
        row = reminders.propose_default(
            s, be.coop, number, on=DAY, actor="user:adviser", reason="client closed its doors"
        )
        ident = row.id
    with pytest.raises(ActError) as again, be.act() as s:
        reminders.propose_default(s, be.coop, number, on=DAY, actor="user:adviser", reason="x")
    assert again.value.field == "invoice"
    with pytest.raises(FourEyes), be.act() as s:
        pending.validate(s, be.coop, ident, actor="user:adviser", on=DAY)
    with be.act() as s:
        [view] = pending.listing(s, be.coop, ids=[ident])
        assert view.kind == "invoice_default" and number in view.what
        assert view.amount == D("1210.00")
        pending.validate(s, be.coop, ident, actor="user:manager", on=DAY)
    with be.act() as s:
        assert invoice_by_number(s, number).written_off_on == DAY
        assert reminders.overdue(s, be.coop, on=DAY) == []

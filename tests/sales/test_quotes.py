"""A quote is carried out once: its invoices never exceed what was agreed.

A deposit and partial invoices may follow one accepted quote, up to its net total; a
credit note on one of them gives that part back. Only the entity that made the quote,
invoicing the client it was made to, may cite it.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from partage.core.acts.cooperative import InvalidAct
from partage.core.members import service as members
from partage.core.sales import credit_notes, invoices
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Invoice, Quote
from tests.acts.test_engine import DAY, set_up, snapshot
from tests.engine_support import World, build_world


@pytest.fixture
def setup(engine) -> World:  # type: ignore[no-untyped-def]
    world = set_up(build_world(engine))
    with world.act() as s:
        members.open_entity(
            s, world.coop, holders=[1], name="Other", kind="freelance", office="cap",
            on=DAY, actor="t",
        )  # fmt: skip
    return world


def accepted_quote(world: World, amount: str = "1000") -> Quote:
    with world.act() as s:
        quote = invoices.send_quote(
            s, world.coop, entity="E000001", client="C000001",
            lines=[LineInput("Website", "1", amount)], on=DAY, actor="t",
        )  # fmt: skip
        invoices.decide_quote(s, world.coop, quote.reference, accept=True, on=DAY, actor="t")
        s.flush()
        s.expunge(quote)
    return quote


def invoice_on(world: World, quote: Quote, amount: str, **kw: str) -> Invoice:
    options = {"entity": "E000001", "client": "C000001"} | kw
    with world.act() as s:
        invoice = invoices.issue_invoice(
            s, world.coop, lines=[LineInput("Website", "1", amount)], on=DAY,
            quote=quote.reference, actor="t", **options,
        )  # fmt: skip
        s.expunge(invoice)
    return invoice


def test_a_deposit_and_the_balance_invoice_the_quote_in_full(setup: World) -> None:
    quote = accepted_quote(setup)
    deposit = invoice_on(setup, quote, "300")
    rest = invoice_on(setup, quote, "700")
    assert (deposit.quote_id, rest.quote_id, deposit.net + rest.net) == (quote.id, quote.id, 100000)


def test_the_same_quote_invoiced_twice_is_refused_and_nothing_is_written(setup: World) -> None:
    quote = accepted_quote(setup)
    invoice_on(setup, quote, "1000")
    before = snapshot(setup)
    with pytest.raises(InvalidAct) as refused:
        invoice_on(setup, quote, "1000")
    assert refused.value.field == "quote"
    assert "1000.00 already invoiced of 1000.00" in refused.value.rule
    assert "1000.00 more" in refused.value.rule
    assert snapshot(setup) == before


def test_partial_invoices_may_not_go_past_the_quote(setup: World) -> None:
    quote = accepted_quote(setup)
    invoice_on(setup, quote, "600")
    with pytest.raises(InvalidAct, match=re.escape("600.00 already invoiced of 1000.00")):
        invoice_on(setup, quote, "400.01")
    invoice_on(setup, quote, "400")


def test_a_credit_note_gives_back_what_it_credits(setup: World) -> None:
    quote = accepted_quote(setup)
    first = invoice_on(setup, quote, "1000")
    with setup.act() as s:
        credit_notes.issue_credit_note(
            s, setup.coop, invoice=first.number, on=DAY, actor="t", reason="wrong client address",
        )  # fmt: skip
    again = invoice_on(setup, quote, "1000")
    assert again.quote_id == quote.id


def test_another_entity_may_not_cite_the_quote(setup: World) -> None:
    quote = accepted_quote(setup)
    with pytest.raises(InvalidAct, match="made by entity E000001"):
        invoice_on(setup, quote, "100", entity="E000002")


def test_another_client_may_not_be_invoiced_on_the_quote(setup: World) -> None:
    quote = accepted_quote(setup)
    with pytest.raises(InvalidAct, match="made to C000001"):
        invoice_on(setup, quote, "100", client="C000002")


def test_invoices_on_a_quote_read_back_from_the_database(setup: World) -> None:
    quote = accepted_quote(setup)
    invoice_on(setup, quote, "250")
    with setup.act() as s:
        nets = s.scalars(select(Invoice.net).where(Invoice.quote_id == quote.id)).all()
    assert nets == [25000]

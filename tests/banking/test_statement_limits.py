"""A bank statement file is bounded: over ``[limits] statement_bytes`` it is refused
before any parser reads it; what it carries must fit the columns and the act maximum,
refused naming the transaction and the field, never a database error."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, func, select

from partage.core.banking import statements, writers
from partage.core.banking.models import StatementRecord
from partage.core.banking.statements import StatementRefused
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.contract.errors import TooLarge
from partage.core.platform.limits import Limits
from tests.documents_support import BE_IBAN, CountryWorld, build_country_world

ON = date(2026, 7, 20)


def camt(*transactions: BankTransaction) -> bytes:
    return writers.camt053(
        BankStatement("camt.053", "2026-07-20", BE_IBAN, "EUR", transactions, Decimal(0))
    )


def coda(*transactions: BankTransaction) -> bytes:
    return writers.coda(
        BankStatement("coda", "", BE_IBAN, "EUR", transactions, Decimal(0)), sequence=7
    )


@pytest.fixture
def be(engine: Engine) -> CountryWorld:
    """The Belgian world on each backend (PostgreSQL is where a text over its column or
    a NUL character would have failed in the database)."""
    return build_country_world(engine, "be")


def tx(key: str, amount: str = "10.00", **facts: str) -> BankTransaction:
    return BankTransaction(key, Decimal(amount), True, ON, ON, **facts)  # type: ignore[arg-type]


def limited(world: CountryWorld, size: int) -> CountryWorld:
    """``world`` whose statements may weigh ``size`` bytes at most."""
    world.coop = dataclasses.replace(world.coop, limits=Limits(statement_bytes=size))
    return world


def records(world: CountryWorld) -> int:
    with world.act() as s:
        return s.scalar(select(func.count()).select_from(StatementRecord)) or 0


@pytest.mark.parametrize("write", [camt, coda], ids=["camt", "coda"])
def test_a_statement_at_its_limit_is_read_and_one_byte_over_is_refused_unread(
    be: CountryWorld,
    write,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    content = write(tx("T1"), tx("T2"))
    limited(be, len(content))
    with be.act() as s:
        done = statements.import_statement(s, be.coop, content, filename="s", actor="t")
    assert done.new == 2
    limited(be, len(content) - 1)

    def parsed(**_: object) -> list[BankStatement]:
        raise AssertionError("an oversized statement reached a parser")

    monkeypatch.setattr(be.coop.plugins.hook, "partage_parse_bank_statement", parsed)
    with pytest.raises(TooLarge) as refused, be.act() as s:
        statements.import_statement(s, be.coop, content + b"x", filename="big.xml", actor="t")
    assert refused.value.field == "big.xml"
    assert f"{len(content) - 1:,} accepted ([limits] statement_bytes)" in refused.value.rule
    assert records(be) == 1


@pytest.mark.parametrize(
    ("facts", "field", "rule"),
    [
        ({"counterparty_iban": "BE" + "1" * 40}, "counterparty_iban", "at most 34"),
        ({"end_to_end_id": "E" * 36}, "end_to_end_id", "at most 35"),
        ({"structured_reference": "RF" + "1" * 40}, "structured_reference", "at most 35"),
    ],
)
def test_a_camt_text_longer_than_its_column_is_refused_naming_it(
    be: CountryWorld, facts: dict[str, str], field: str, rule: str
) -> None:
    content = camt(tx("T1", **facts))
    with pytest.raises(StatementRefused, match=f"{field}: .*{rule}"), be.act() as s:
        statements.import_statement(s, be.coop, content, filename="s.xml", actor="t")
    assert records(be) == 0


def test_a_control_character_in_a_coda_communication_is_refused(be: CountryWorld) -> None:
    content = coda(tx("C1", remittance="paid \x01 in full"))
    assert b"\x01" in content
    with (
        pytest.raises(StatementRefused, match="remittance: must not contain control"),
        be.act() as s,
    ):
        statements.import_statement(s, be.coop, content, filename="s.cod", actor="t")
    assert records(be) == 0


def test_an_amount_over_the_act_maximum_is_refused_naming_the_transaction(
    be: CountryWorld,
) -> None:
    content = camt(tx("T1", "1000000000000.01"))
    rule = r"T1 amount: 1000000000000\.01 is more than one act may carry"
    with pytest.raises(StatementRefused, match=rule), be.act() as s:
        statements.import_statement(s, be.coop, content, filename="s.xml", actor="t")
    assert records(be) == 0

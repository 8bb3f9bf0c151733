"""Refusals carry their field and rule as attributes; the message is built from them, and
each face answers from the attributes (the CLI its exit status, the API its problem)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from partage.core.acts.cooperative import ClosedRecord, InsufficientFunds, InvalidAct, NotFound
from partage.core.cli.books import UsageError
from partage.core.cli.main import exit_status
from partage.core.contract.einvoice.rules import Finding
from partage.core.contract.errors import ConfigError, PartageError, PluginError
from partage.core.contract.money import MoneyError, to_minor
from partage.core.documents.importing import ImportRefused
from partage.core.franchise.fee_invoicing import AlreadyInvoiced
from partage.core.ledger.errors import ClosedPeriod
from partage.core.ledger.posting import within


def test_the_message_is_field_then_rule() -> None:
    error = InvalidAct("amount", "must be positive")
    assert (error.field, error.rule, error.value) == ("amount", "must be positive", None)
    assert str(error) == "amount: must be positive"


def test_a_value_shown_sits_between_field_and_rule() -> None:
    error = NotFound("entity", "no such entity", value=repr("E000009"))
    assert (error.field, error.rule) == ("entity", "no such entity")
    assert str(error) == "entity 'E000009': no such entity"


def test_without_a_field_the_message_is_the_rule() -> None:
    error = PartageError(None, "give at least one report file")
    assert error.field is None and str(error) == "give at least one report file"


def test_a_refusal_of_the_money_rules_names_its_field() -> None:
    with pytest.raises(MoneyError) as refused:
        to_minor(Decimal("1.005"), "EUR", field="lines[1].unit_price")
    assert refused.value.field == "lines[1].unit_price"
    assert refused.value.rule == "1.005 has more than 2 decimals for EUR; round it explicitly first"


def test_errors_with_more_to_say_keep_their_own_message() -> None:
    config = ConfigError("be.toml", "instance.fee_rate", "x", "must be a fraction")
    assert (config.field, config.rule) == ("instance.fee_rate", "must be a fraction")
    assert str(config) == "be.toml: instance.fee_rate = 'x': must be a fraction"
    funds = InsufficientFunds("entity", "refused", value="E000001", missing=Decimal("2.00"))
    assert (funds.field, funds.missing, str(funds)) == (
        "entity",
        Decimal("2.00"),
        "entity E000001: refused",
    )
    again = AlreadyInvoiced(
        "franchise fee for 2026-Q1: already invoiced", "FF2026-Q1", date(2026, 3, 31)
    )
    assert again.field is None and again.rule == str(again)
    found = [Finding("BR-CO-15", "the total is wrong", "XML line 3")]
    imported = ImportRefused(found)
    assert imported.field is None and imported.rule == str(found[0])
    assert str(imported).startswith("supplier e-invoice refused:\n  BR-CO-15")


def test_a_post_of_several_entries_names_the_entry_and_line() -> None:
    assert within(None, "debit") == "debit"
    assert within("entry 2: line 1 (3020)", "debit") == "entry 2: line 1 (3020): debit"
    assert within("entry 2", None) == "entry 2"


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ConfigError("be.toml", "database_url", None, "is required"), 2),
        (PluginError("plugin", "does not declare PARTAGE_HOOK_API", value="'xx'"), 2),
        (UsageError("--month", "'13' is not a month (YYYY-MM)"), 2),
        (NotFound("invoice", "no such invoice", value="'NOPE-1'"), 2),
        (InvalidAct("amount", "must be positive"), 1),
        (ClosedRecord("entity", "closed on 2026-01-31", value="E000001"), 1),
        (ClosedPeriod("date", "the month is closed", value="2026-01"), 1),
    ],
)
def test_the_cli_maps_error_classes_to_exit_statuses(error: PartageError, status: int) -> None:
    assert exit_status(error) == status

"""``partage einvoice``: sending an invoice from the command line to the access point
standing in on a local HTTP server, its status, and supplier documents fetched and
booked; without a provider the command says so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.cli.test_cli_documents import cli, sale
from tests.documents_support import CountryWorld, fund, supplier_invoice
from tests.einvoice_support import StandIn


@pytest.fixture
def standin(monkeypatch: pytest.MonkeyPatch) -> Iterator[StandIn]:
    server = StandIn()
    server.start()
    for key, value in {
        "PROVIDER": "Test AP",
        "BASE_URL": f"{server.url}/ap",
        "SENDER_ID": "0208:0999999999",
    }.items():
        monkeypatch.setenv(f"PARTAGE_EINVOICING__PEPPOL__{key}", value)
    monkeypatch.setenv("PARTAGE_PEPPOL_TOKEN", "secret-token")
    yield server
    server.stop()


def test_send_then_status_of_a_belgian_business_invoice(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, standin: StandIn
) -> None:
    number = sale(be, "300.00")
    code, out, err = run(cli(be, "einvoice", "send", number), capsys)
    assert code == 0, err
    assert "1 sent, 0 to retry, 0 rejected" in out
    assert f"{number}: invoice by peppol: queued" in out
    (ident,) = standin.recorded.outbound
    standin.recorded.statuses[ident] = {"status": "RE", "reason": "unknown order reference"}
    code, out, err = run(cli(be, "einvoice", "deliver"), capsys)
    assert code == 0 and "1 status(es) changed" in out, err
    code, out, err = run(cli(be, "einvoice", "status", number), capsys)
    assert code == 0, err
    assert "rejected" in out and "unknown order reference" in out
    code, out, _ = run(cli(be, "einvoice", "list", "--troubled"), capsys)
    assert number in out


def test_supplier_documents_are_fetched_and_booked(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, standin: StandIn
) -> None:
    fund(be)
    standin.recorded.inbound.append(("in-5", "INV-77.xml", "application/xml", supplier_invoice()))
    code, out, err = run(cli(be, "einvoice", "fetch"), capsys)
    assert code == 0 and "1 new supplier document(s) to review" in out, err
    code, out, _ = run(cli(be, "einvoice", "received"), capsys)
    assert "INV-77.xml" in out and "to_review" in out
    code, out, err = run(cli(be, "einvoice", "book", "1", "--entity", be.entity), capsys)
    assert code == 0, err
    assert f"booked for {be.entity} as 1 purchase(s)" in out


def test_without_a_provider_the_invoice_is_not_transmitted(
    capsys: pytest.CaptureFixture[str], be: CountryWorld
) -> None:
    number = sale(be, "300.00")
    code, out, err = run(cli(be, "einvoice", "send", number), capsys)
    assert code == 0, err
    assert "not_transmitted (no provider is configured" in out
    code, out, _ = run(cli(be, "einvoice", "fetch"), capsys)
    assert "no provider is configured" in out

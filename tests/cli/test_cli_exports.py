"""The exports an accountant files, from the command line: the French FEC
(``partage books fec``) and EU sales statement, the Belgian listings and VAT return
(``partage declarations listing|eu-sales|vat-xml``), on databases of the shipped
instances."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from partage.core.declarations import fec
from partage.core.sales.invoices import LineInput
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.cli.test_declarations_cli import belgian_url  # noqa: F401  (fixture)
from tests.declarations.test_declarations import build_country_world, invoice, populate

pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture
def french_url(engine: Engine, database_url: str) -> str:
    """The French instance with two invoices of July 2026, each paid."""
    world = build_country_world(engine, "fr")
    populate(world, "fr")
    invoice(world, "C000001", [LineInput("Conseil", "1", "1000")])
    invoice(world, "C000002", [LineInput("Beratung", "1", "400")])
    return database_url


def test_books_fec_writes_the_file_named_after_the_siren(
    french_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = ["--instance", "fr", "--database-url", french_url]
    folder = tmp_path / "out"
    folder.mkdir()
    code, out, err = run([*database, "books", "fec", "--year", "2026", "-o", str(folder)], capsys)
    assert code == 0, err
    written = list(folder.iterdir())
    assert len(written) == 1
    assert written[0].name.endswith("FEC20261231.txt") and len(written[0].name) == 24
    assert f"written to {written[0]}" in out
    records = fec.parse_fec(written[0].read_bytes())
    accounts = {r["CompteNum"][:3] for r in records}
    assert {"411", "706", "512"} <= accounts  # clients, services, bank
    assert {r["CompAuxLib"] for r in records if r["CompAuxNum"]} == {"Client Paris", "Kunde Berlin"}
    lettered = [r for r in records if r["EcritureLet"]]
    assert len(lettered) == 4 and len({r["EcritureLet"] for r in lettered}) == 2
    code, _, err = run(
        [*database, "books", "fec", "--year", "2026", "--separator", "comma", "-o", str(folder)],
        capsys,
    )
    assert code != 0 and "tab or pipe" in err


def test_the_belgian_listings_and_return_are_written(
    belgian_url: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    database = ["--instance", "be", "--database-url", belgian_url, "declarations"]
    for args, root in (
        (["listing", "--year", "2026"], "ClientListingConsignment"),
        (["eu-sales", "--period", "2026-Q3"], "IntraConsignment"),
        (["vat-xml", "--period", "2026-07"], "VATConsignment"),
    ):
        output = tmp_path / f"{args[0]}.xml"
        code, out, err = run([*database, *args, "-o", str(output)], capsys)
        assert code == 0, err
        assert f"written to {output}" in out
        assert f"http://www.minfin.fgov.be/{root}".encode() in output.read_bytes()
        assert f"{root}".encode() in output.read_bytes()
    code, _, err = run([*database, "eu-sales", "--period", "2026-13", "-o", str(output)], capsys)
    assert code == 2 and "--period" in err


def test_the_french_eu_sales_statement_and_the_listing_france_has_not(
    french_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = ["--instance", "fr", "--database-url", french_url, "declarations"]
    output = tmp_path / "etat.csv"
    code, _, err = run([*database, "eu-sales", "--period", "2026-07", "-o", str(output)], capsys)
    assert code == 0, err
    assert (
        output.read_text().splitlines()[1] == "1;2026-07;DE;DE136695976;Kunde Berlin;services;400"
    )
    code, _, err = run([*database, "listing", "--year", "2026", "-o", str(output)], capsys)
    assert code == 1 and "has no listing" in err

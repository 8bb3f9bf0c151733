"""``partage sectors ...`` and ``partage office enable-sector`` on the instances made by
``partage setup``: an entity of a Belgian office works as a courier from a day, its
attestation goes on file with its scan, a client is marked as a platform; a French
office may not enable the Belgian artists' sector, and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from partage.core.acts.cooperative import Cooperative
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.platform.db.engine import transaction
from partage.core.platform.runtime import build_runtime
from tests.builders import person
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)


def _entity(url: str) -> str:
    with build_runtime("be", database_url=url) as runtime:
        coop = Cooperative.from_runtime(runtime)
        with transaction(runtime.sessions) as session:
            membership.admit_member(
                session, coop, person(1, "be"), share_class="A", shares=1, on=coop.today(),
                actor="t",
            )  # fmt: skip
            entity = members.open_entity(
                session, coop, holders=[1], name="Rides", kind="freelance", office="bru",
                on=coop.today(), actor="t",
            )  # fmt: skip
            members.register_party(
                session, coop, name="Deliveries", kind="client", country="BE", actor="t"
            )
            return entity.code


def test_an_entity_works_as_a_courier_with_its_attestation_on_file(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run(["--database-url", sqlite_url, "setup"], capsys)[0] == 0
    code = _entity(sqlite_url)
    base = ["--database-url", sqlite_url]
    assert run([*base, "office", "enable-sector", "bru", "couriers"], capsys)[0] == 0
    done, out, err = run([*base, "sectors", "set", code, "couriers", "construction"], capsys)
    assert done == 0, err
    assert out.startswith(f"entity {code} works in construction, couriers for acts dated from")
    scan = tmp_path / "policy.pdf"
    scan.write_bytes(b"%PDF-1.4 policy")
    done, out, err = run(
        [
            *base, "sectors", "attest", "ten_year_liability", "--entity", code,
            "--issuer", "Insurer", "--number", "RC-1", "--valid-from", "2026-01-01",
            "--valid-until", "2027-12-31", "--file", str(scan),
        ],
        capsys,
    )  # fmt: skip
    assert done == 0, err
    assert "(ten_year_liability) on file for entity" in out
    done, out, _ = run([*base, "sectors", "list", code, "--format", "csv"], capsys)
    assert done == 0
    assert "sector,couriers" in out and "in force" in out and "bike_repair" in out
    assert "ten_year_liability RC-1 (Insurer)" in out
    done, out, err = run([*base, "sectors", "platform", "C000001"], capsys)
    assert done == 0, err
    assert out.strip() == "client C000001 is a digital work platform"
    refused = run([*base, "sectors", "set", code, "bakers"], capsys)
    assert refused[0] != 0 and "not an installed sector plugin" in refused[2]


def test_a_french_office_may_not_enable_the_belgian_artists_sector(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--instance", "fr", "--database-url", sqlite_url]
    assert run([*base, "setup"], capsys)[0] == 0
    _, out, _ = run([*base, "office", "list", "--format", "csv"], capsys)
    office = out.splitlines()[1].split(",")[0]
    refused = run([*base, "office", "enable-sector", office, "artists_be"], capsys)
    assert refused[0] != 0
    assert (
        "sector: 'artists_be' is a sector of country BE; an office of this instance (FR) may "
        "enable only sectors of FR or of every country"
    ) in refused[2]
    assert run([*base, "office", "enable-sector", office, "couriers"], capsys)[0] == 0

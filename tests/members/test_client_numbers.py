"""Business numbers as the client directory checks them (python-stdnum: format and
check digits per country), the list of countries, and the public-register adapters
spoken to over a real loopback socket: their answers, a register down, too slow, or
answering something that is not JSON."""

from __future__ import annotations

import time

import pytest

from partage.core.acts.cooperative import InvalidAct
from partage.core.members import clients
from partage.core.members.registries import (
    Kbo,
    RegistryDown,
    Sirene,
    Vies,
    ask_registries,
    split_address,
)
from partage.core.platform.registries import RegistrySettings
from tests.registry_standin import base, registries_for, registry_standin


@pytest.mark.parametrize(
    ("country", "given", "expected"),
    [
        ("BE", "0403.170.701", "BE0403170701"),
        ("BE", "be 0403 170 701", "BE0403170701"),
        ("FR", "FR 40 303 265 045", "FR40303265045"),
        ("DE", "136695976", "DE136695976"),
        ("NL", "NL004495445B01", "NL004495445B01"),
        ("GR", "094259216", "EL094259216"),
    ],
)
def test_a_valid_vat_number_is_kept_compact_with_its_prefix(
    country: str, given: str, expected: str
) -> None:
    assert clients.checked_vat_number(country, given) == expected


@pytest.mark.parametrize(
    ("country", "given", "words"),
    [
        ("BE", "BE0403170702", "check digits"),
        ("FR", "FR4030326504", "wrong number of digits"),
        ("DE", "DE13669597", "wrong number of digits"),
        ("BE", "BE04031707AB", "format"),
    ],
)
def test_a_bad_vat_number_is_refused_naming_the_field_and_the_check(
    country: str, given: str, words: str
) -> None:
    with pytest.raises(InvalidAct) as refused:
        clients.checked_vat_number(country, given)
    assert refused.value.field == "vat_number"
    assert words in str(refused.value)


def test_company_numbers_of_belgium_and_france_are_checked() -> None:
    assert clients.checked_company_number("BE", "0403.170.701") == "0403170701"
    assert clients.checked_company_number("FR", "732 829 320") == "732829320"
    assert clients.checked_company_number("FR", "732 829 320 00074") == "73282932000074"
    for country, bad in (("BE", "0403170702"), ("FR", "732829321"), ("FR", "73282932000075")):
        with pytest.raises(InvalidAct) as refused:
            clients.checked_company_number(country, bad)
        assert refused.value.field == "company_number"


def test_one_box_tells_a_vat_number_from_a_company_number() -> None:
    assert clients.checked_number("FR", "732829320") == clients.ClientNumber(None, "732829320")
    assert clients.checked_number("FR", "FR40303265045") == clients.ClientNumber(
        "FR40303265045", "303265045"
    )
    assert clients.checked_number("BE", "0403170701") == clients.ClientNumber(
        "BE0403170701", "0403170701"
    )


@pytest.mark.parametrize("code", ["XX", "ZZ", "", "BEL", "uk"])
def test_an_unknown_country_is_refused_naming_the_field(code: str) -> None:
    with pytest.raises(InvalidAct) as refused:
        clients.checked_country(code, home="BE")
    assert refused.value.field == "country"


def test_countries_are_named_in_the_pages_language_the_instances_first() -> None:
    french = dict(clients.country_names("fr", "BE"))
    assert french["DE"] == "Allemagne" and french["BE"] == "Belgique"
    assert dict(clients.country_names("nl", "BE"))["DE"] == "Duitsland"
    assert dict(clients.country_names("de", "BE"))["FR"] == "Frankreich"
    assert clients.country_names("en", "FR")[0] == ("FR", "France")
    assert {c for c, _ in clients.country_names("en", "BE")} >= set(clients.EU_COUNTRIES)


def test_a_one_text_address_is_split_into_street_postcode_and_town() -> None:
    assert split_address("RUE DE LA STATION 12\n1000 BRUXELLES") == (
        "RUE DE LA STATION 12",
        "1000",
        "BRUXELLES",
    )
    assert split_address("KERKSTRAAT 1\nB-9000 GENT") == ("KERKSTRAAT 1", "9000", "GENT")
    assert split_address("") == ("", "", "")


def test_each_adapter_reads_its_registers_answer() -> None:
    with registry_standin() as server:
        url = base(server)
        vies = Vies(RegistrySettings("vies", True, f"{url}/vies", 2)).lookup("BE", "BE0403170701")
        kbo = Kbo(RegistrySettings("kbo", True, f"{url}/kbo", 2, "secret")).lookup(
            "BE", "0403170701"
        )
        sirene = Sirene(RegistrySettings("sirene", True, f"{url}/sirene", 2)).lookup(
            "FR", "FR40732829320"
        )
        unknown = Vies(RegistrySettings("vies", True, f"{url}/vies", 2)).lookup("DE", "DE136695976")
        asked = list(server.asked)
    assert vies is not None and (vies.name, vies.street, vies.postcode, vies.town) == (
        "NV ATELIER DU LIN",
        "RUE DE LA STATION 12",
        "1000",
        "BRUXELLES",
    )
    assert vies.vat_number == "BE0403170701" and vies.source == "vies"
    assert kbo is not None and (kbo.name, kbo.street, kbo.postcode, kbo.town) == (
        "Atelier du Lin",
        "Rue de la Station 12",
        "1000",
        "Bruxelles",
    )
    assert sirene is not None and sirene.name == "SCOP LES TISSERANDS"
    assert (sirene.street, sirene.postcode, sirene.town) == ("4 RUE DES CANUTS", "69004", "LYON")
    assert sirene.company_number == "732829320"
    assert unknown is None  # VIES says the number is not valid: nothing to prefill
    assert (
        "POST",
        "/vies/check-vat-number",
        {"countryCode": "BE", "vatNumber": "0403170701"},
    ) in asked
    assert ("GET", "/kbo/enterprise/0403170701", "Bearer secret") in asked


@pytest.mark.parametrize("mode", ["broken", "garbage"])
def test_a_register_that_fails_is_said_down_and_the_next_one_is_asked(mode: str) -> None:
    with registry_standin() as server:
        server.mode = mode
        settings = RegistrySettings("vies", True, f"{base(server)}/vies", 2)
        with pytest.raises(RegistryDown) as down:
            Vies(settings).lookup("BE", "BE0403170701")
        assert down.value.field == "number" and "VIES" in str(down.value)
        assert "by hand" in str(down.value)
        found, names = ask_registries(registries_for(server, "vies", "kbo"), "BE", "BE0403170701")
    assert found is None and names == ["VIES", "KBO/BCE"]


def test_a_slow_register_is_given_up_after_its_timeout() -> None:
    with registry_standin() as server:
        server.mode = "slow"
        started = time.monotonic()
        found, names = ask_registries(
            registries_for(server, "sirene", timeout=0.5), "FR", "732829320"
        )
        waited = time.monotonic() - started
    assert found is None and names == ["SIRENE"]
    assert waited < 2.0


def test_a_register_nobody_listens_on_is_down_not_an_error_page() -> None:
    with registry_standin() as server:
        url = base(server)
    settings = RegistrySettings("kbo", True, f"{url}/kbo", 1)  # the server has stopped
    with pytest.raises(RegistryDown):
        Kbo(settings).lookup("BE", "0403170701")


def test_only_enabled_registers_that_cover_the_country_are_asked() -> None:
    with registry_standin() as server:
        found, down = ask_registries(registries_for(server, "sirene", "kbo"), "BE", "BE0403170701")
        paths = [path for _, path, _ in server.asked]
    assert found is not None and found.source == "kbo" and down == []
    assert paths == ["/kbo/enterprise/0403170701"]  # SIRENE covers France only

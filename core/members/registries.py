"""Public company registers that prefill a new business client's details from its VAT or
company number: the EU's VAT check (VIES), the Belgian enterprise register (KBO/BCE) and
the French register of businesses (SIRENE), each behind one small interface.

An instance turns on those it wants in ``[registries]``
(:mod:`partage.core.platform.registries`), with the base URL of the service it chose.
A register is asked with a short timeout: one that does not answer, or answers
something unreadable, raises :class:`RegistryDown`, whose message tells the member to
fill in the details by hand — the client form never depends on a register being up.
What a register says is a suggestion shown in the form, never recorded as such.

The adapters speak plain HTTP and JSON through the standard library, so tests serve
them recorded-shape answers from a local socket server.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

from partage.core.acts.cooperative import ActError
from partage.core.contract.errors import N_
from partage.core.platform.registries import Registries, RegistrySettings


@dataclass(frozen=True)
class RegisteredCompany:
    """A business as a public register describes it.

    Attributes:
        name: the registered name.
        street, postcode, town: its registered office's address (empty when the
            register gives none).
        country: ISO 3166 alpha-2 code, upper case.
        vat_number: the VAT number the register confirms, when it deals in them.
        company_number: the domestic company number, when it deals in them.
        source: the register's name (``"vies"``, ``"kbo"``, ``"sirene"``).
    """

    name: str
    street: str
    postcode: str
    town: str
    country: str
    vat_number: str | None = None
    company_number: str | None = None
    source: str = ""


class RegistryDown(ActError):
    """A register did not answer in time, or answered something unreadable."""


class Registry(Protocol):
    """One public register, as the client form asks it."""

    name: str

    def covers(self, country: str, number: str) -> bool:
        """Whether it can describe a business of ``country`` with this (checked,
        compact) number: a VAT number ``BE0403170701`` or a company number."""

    def lookup(self, country: str, number: str) -> RegisteredCompany | None:
        """The business the number names, ``None`` when the register knows none;
        :class:`RegistryDown` when it cannot tell."""


def _fetch(settings: RegistrySettings, path: str, body: dict[str, Any] | None = None) -> Any:
    """The JSON a register answers to ``path`` (a POST of ``body`` when given); ``None``
    on 404; :class:`RegistryDown` on a timeout, a refused connection, another error
    status or an answer that is not JSON."""
    headers = {"Accept": "application/json", "User-Agent": "partage"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if settings.token:
        headers["Authorization"] = f"Bearer {settings.token}"
    request = urllib.request.Request(settings.base_url + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout_seconds) as answer:
            return json.loads(answer.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise _down(settings) from exc
    except (OSError, ValueError) as exc:  # timeouts, refused connections, bad JSON
        raise _down(settings) from exc


def _down(settings: RegistrySettings) -> RegistryDown:
    return RegistryDown(
        "number",
        N_("the {registry} register did not answer: fill in the client's details by hand"),
        registry=REGISTRY_NAMES.get(settings.name, settings.name),
    )


#: How a register is named to a member.
REGISTRY_NAMES = {"vies": "VIES", "kbo": "KBO/BCE", "sirene": "SIRENE"}

_POSTCODE_TOWN = re.compile(r"^\s*(?:[A-Z]{1,2}-)?(\d{4,5})\s+(.+?)\s*$")


def split_address(text: str) -> tuple[str, str, str]:
    """A one-text address (VIES gives ``"RUE X 1\\n1000 BRUXELLES"``) as street,
    postcode and town: the line that starts with a postcode gives the last two."""
    lines = [line.strip() for line in re.split(r"[\n\r]+", text or "") if line.strip()]
    for i, line in enumerate(lines):
        match = _POSTCODE_TOWN.match(line)
        if match:
            street = ", ".join(lines[:i] + lines[i + 1 :])
            return street, match.group(1), match.group(2)
    return ", ".join(lines), "", ""


def _text(value: object) -> str:
    return " ".join(str(value or "").split()).strip(" -")


class Vies:
    """The EU's VAT Information Exchange System, its REST API: ``POST
    {base}/check-vat-number`` with ``{"countryCode", "vatNumber"}``, answered with
    ``{"valid", "name", "address"}`` (``"---"`` where a member state withholds them)."""

    name = "vies"

    def __init__(self, settings: RegistrySettings) -> None:
        self.settings = settings

    def covers(self, country: str, number: str) -> bool:
        return len(number) > 2 and number[:2].isalpha()

    def lookup(self, country: str, number: str) -> RegisteredCompany | None:
        prefix, rest = number[:2].upper(), number[2:]
        found = _fetch(
            self.settings, "/check-vat-number", {"countryCode": prefix, "vatNumber": rest}
        )
        if not isinstance(found, dict):
            return None
        if not found.get("valid"):
            return None
        name = _text(found.get("name"))
        address = "" if _text(found.get("address")) == "---" else str(found.get("address") or "")
        street, postcode, town = split_address(address)
        return RegisteredCompany(
            name="" if name == "---" else name,
            street=_text(street),
            postcode=postcode,
            town=_text(town),
            country="GR" if prefix == "EL" else prefix,
            vat_number=prefix + rest,
            source=self.name,
        )


class Kbo:
    """The Belgian Crossroads Bank for Enterprises (KBO/BCE) through a JSON service
    over its open data: ``GET {base}/enterprise/{0123456789}`` answered with
    ``{"enterpriseNumber", "denomination", "address": {"street", "houseNumber",
    "postalCode", "municipality"}}``."""

    name = "kbo"

    def __init__(self, settings: RegistrySettings) -> None:
        self.settings = settings

    def covers(self, country: str, number: str) -> bool:
        return country == "BE"

    def lookup(self, country: str, number: str) -> RegisteredCompany | None:
        digits = re.sub(r"\D", "", number)[-10:]
        found = _fetch(self.settings, f"/enterprise/{quote(digits)}")
        if not isinstance(found, dict) or not found.get("denomination"):
            return None
        address = found.get("address") if isinstance(found.get("address"), dict) else {}
        assert isinstance(address, dict)
        street = _text(f"{address.get('street', '')} {address.get('houseNumber', '')}")
        return RegisteredCompany(
            name=_text(found["denomination"]),
            street=street,
            postcode=_text(address.get("postalCode")),
            town=_text(address.get("municipality")),
            country="BE",
            vat_number=f"BE{digits}",
            company_number=digits,
            source=self.name,
        )


class Sirene:
    """The French register of businesses (SIRENE) through the State's open search
    service: ``GET {base}/search?q={siren}`` answered with ``{"results": [{"siren",
    "nom_complet", "siege": {"numero_voie", "type_voie", "libelle_voie",
    "code_postal", "libelle_commune"}}]}``."""

    name = "sirene"

    def __init__(self, settings: RegistrySettings) -> None:
        self.settings = settings

    def covers(self, country: str, number: str) -> bool:
        return country == "FR"

    def lookup(self, country: str, number: str) -> RegisteredCompany | None:
        digits = re.sub(r"\D", "", number)
        siren = digits[2:11] if number.upper().startswith("FR") else digits[:9]
        found = _fetch(self.settings, f"/search?q={quote(siren)}&page=1&per_page=1")
        results = found.get("results") if isinstance(found, dict) else None
        match = next(
            (r for r in results or [] if isinstance(r, dict) and r.get("siren") == siren), None
        )
        if match is None:
            return None
        seat = match.get("siege") if isinstance(match.get("siege"), dict) else {}
        assert isinstance(seat, dict)
        street = _text(
            " ".join(str(seat.get(k) or "") for k in ("numero_voie", "type_voie", "libelle_voie"))
        )
        return RegisteredCompany(
            name=_text(match.get("nom_complet") or match.get("nom_raison_sociale")),
            street=street,
            postcode=_text(seat.get("code_postal")),
            town=_text(seat.get("libelle_commune")),
            country="FR",
            company_number=siren,
            source=self.name,
        )


#: Each register's adapter, by the name ``[registries]`` gives it.
ADAPTERS: dict[str, Callable[[RegistrySettings], Registry]] = {
    "vies": Vies,
    "kbo": Kbo,
    "sirene": Sirene,
}


def ask_registries(
    registries: Registries, country: str, number: str
) -> tuple[RegisteredCompany | None, list[str]]:
    """The first enabled register's description of the business, and the names of the
    registers that were down on the way (an empty list when all that were asked
    answered). A register that knows nothing lets the next one try."""
    down: list[str] = []
    for settings in registries.enabled():
        adapter = ADAPTERS[settings.name](settings)
        if not adapter.covers(country, number):
            continue
        try:
            found = adapter.lookup(country, number)
        except RegistryDown:
            down.append(REGISTRY_NAMES[settings.name])
            continue
        if found is not None:
            return found, down
    return None, down

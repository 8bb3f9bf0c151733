"""Worlds on the real Belgian and French plugins for the document and exchange tests,
valid identifiers computed with python-stdnum, and the official e-invoice validators.

The official EN 16931 and Peppol artefacts live beside the project, in
``../shared/einvoicing`` (see its README); tests that need them skip with the reason
when the folder or saxonche is missing.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine
from stdnum import luhn
from stdnum.be import nn
from stdnum.fr import nir

from partage.core.acts import Cooperative
from partage.core.db import migrate
from partage.core.db.engine import session_factory, transaction
from partage.core.documents.issuer import Issuer
from partage.core.documents.model import Address
from partage.core.instance import load_instance
from partage.core.ledger.books import set_up_books
from partage.core.ledger.periods import open_year
from partage.core.ledger.posting import Ledger
from partage.core.members import service as members
from partage.core.registry import PluginKind, PluginRegistry
from partage.core.runtime import load_config
from partage.plugins import belgium, france
from tests.engine_support import World

PROJECT_ROOT = Path(__file__).resolve().parents[1]
EINVOICING = PROJECT_ROOT.parent / "shared" / "einvoicing"
DAY = date(2026, 7, 6)
BE_IBAN = "BE68539007547034"
FR_IBAN = "FR7630006000011234567890189"
PLUGINS: dict[str, ModuleType] = {"be": belgium, "fr": france}


# --- identifiers -----------------------------------------------------------------------
def be_vat(n: int) -> str:
    """A valid Belgian VAT number: ``BE`` + 0 + 7 digits + modulo-97 check."""
    body = f"0{n:07d}"
    return f"BE{body}{97 - int(body) % 97:02d}"


def be_enterprise(vat: str) -> str:
    digits = vat[2:]
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def fr_siren(n: int) -> str:
    body = f"{n:08d}"
    return body + luhn.calc_check_digit(body)


def fr_vat(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def be_national_number(n: int) -> str:
    body = f"850730{n:03d}"
    return f"{body}{97 - int(body) % 97:02d}"


def fr_national_number(n: int) -> str:
    body = f"1850775{n:06d}"
    return body + nir.calc_check_digits(body)


def national_number(country: str, n: int) -> str:
    number = be_national_number(n) if country == "be" else fr_national_number(n)
    (nn if country == "be" else nir).validate(number)
    return number


# --- issuers --------------------------------------------------------------------------
BE_COOP_VAT = be_vat(4030192)
FR_SIREN = fr_siren(73282932)


def issuer(country: str) -> Issuer:
    """The issuer of the test instance of ``country``."""
    if country == "be":
        return Issuer(
            legal_name="Partage Belgique SC",
            address=Address("Rue Coenraets 72", "Saint-Gilles", "1060", "BE"),
            vat_number=BE_COOP_VAT,
            company_id=be_enterprise(BE_COOP_VAT),
            iban=BE_IBAN,
            bic="GEBABEBB",
            register="RPM Bruxelles (tribunal de l'entreprise francophone)",
            email="factures@partage.example",
            social_security_id="051234567",
        )
    return Issuer(
        legal_name="Partage France SCIC SA",
        address=Address("12 rue de la Fontaine au Roi", "Paris", "75011", "FR"),
        vat_number=fr_vat(FR_SIREN),
        company_id=FR_SIREN,
        iban=FR_IBAN,
        bic="BNPAFRPP",
        register="RCS Paris",
        email="factures@partage.example",
        social_security_id=FR_SIREN + "00017",
        facts=(
            ("siren", FR_SIREN),
            ("siret", FR_SIREN + "00017"),
            ("rcs_city", "Paris"),
            ("capital_minimum", "18 500 €"),
        ),
    )


# --- worlds ---------------------------------------------------------------------------
@dataclass
class CountryWorld(World):
    """A migrated instance of a real country with a member, an entity and clients.

    Attributes:
        country: ``"be"`` or ``"fr"``.
        entity: the entity's code.
        clients: client codes by role (``domestic``, ``eu``, ``private``, ``supplier``).
    """

    country: str = "be"
    entity: str = ""
    clients: dict[str, str] | None = None

    def client(self, role: str) -> str:
        assert self.clients is not None
        return self.clients[role]


def build_country_world(engine: Engine, country: str) -> CountryWorld:
    """Migrate, load the shipped instance of ``country`` and its books, open 2026, and
    record a holder, an entity and clients (domestic business, EU business, private
    person) plus a supplier."""
    registry = PluginRegistry(autoload=False)
    registry.add(PLUGINS[country], name=country, kind=PluginKind.COUNTRY)
    config = load_config(country, registry=registry, environ={})
    plugins = registry.manager(country)
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    instance = config.instance
    with transaction(sessions) as session:
        load_instance(session, instance, actor="tester")
        set_up_books(
            session,
            plugins.hook.partage_chart_of_accounts(),
            name=instance.legal_name,
            currency=instance.currency,
            actor="tester",
        )
        open_year(session, 2026, actor="tester")
    coop = Cooperative(instance, plugins, Ledger())
    world = CountryWorld(engine, sessions, coop, country=country)
    office = instance.offices[0].code
    domestic_vat = be_vat(4567890) if country == "be" else fr_vat(fr_siren(55204944))
    with world.act() as s:
        members.admit_member(
            s, coop, person(country, 1), share_class="A", shares=1, on=DAY, actor="t"
        )
        entity = members.open_entity(
            s,
            coop,
            holders=[1],
            name="Atelier Ada",
            kind="freelance",
            office=office,
            on=DAY,
            actor="t",
        )
        parties = {
            "domestic": members.register_party(
                s,
                coop,
                name="Client SA" if country == "be" else "Client SAS",
                kind="both",
                country=country.upper(),
                vat_number=domestic_vat,
                address="Avenue Louise 1, 1050 Ixelles"
                if country == "be"
                else "1 rue de Rivoli, 75001 Paris",
                actor="t",
            ),
            "eu": members.register_party(
                s,
                coop,
                name="Kunde GmbH",
                kind="client",
                country="DE",
                vat_number="DE136695976",
                address="Unter den Linden 1, 10117 Berlin",
                actor="t",
            ),
            "private": members.register_party(
                s,
                coop,
                name="Jeanne Martin",
                kind="client",
                country=country.upper(),
                address="Rue Haute 5, 1000 Bruxelles"
                if country == "be"
                else "5 rue Haute, 69001 Lyon",
                actor="t",
            ),
        }
        world.entity = entity.code
        world.clients = {role: party.code for role, party in parties.items()}
    return world


def person(country: str, n: int) -> members.PersonDetails:
    return members.PersonDetails(
        first_name=f"Ada{n}",
        last_name="Lovelace",
        national_id=national_number(country, n),
        iban=BE_IBAN if country == "be" else FR_IBAN,
        address="Rue Haute 5, 1000 Bruxelles",
        email=f"ada{n}@example.org",
        language="fr",
    )


# --- the official validators ------------------------------------------------------------
def official_validator() -> Callable[[str, Path], list[dict[str, Any]]]:
    """``validate(syntax, path)`` of the shared e-invoicing artefacts, or a skip with the
    reason when they (or saxonche) are missing."""
    script = EINVOICING / "validate.py"
    if not script.is_file():
        pytest.skip(f"official e-invoicing artefacts not found at {EINVOICING}")
    if importlib.util.find_spec("saxonche") is None:
        pytest.skip("saxonche is not installed: pip install -e '.[test]'")
    spec = importlib.util.spec_from_file_location("einvoicing_validate", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("einvoicing_validate", module)
    spec.loader.exec_module(module)
    return module.validate  # type: ignore[no-any-return]


def fatal(findings: list[dict[str, Any]]) -> list[str]:
    """The fatal findings, one line each (rule, location, text)."""
    return [f"{f['id']} at {f['location']}: {f['text']}" for f in findings if f["flag"] == "fatal"]


D = Decimal

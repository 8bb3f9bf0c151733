"""Worlds on the real Belgian and French plugins for the document and exchange tests,
valid identifiers computed with python-stdnum, suppliers and the e-invoices they send,
and the official e-invoice validators.

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
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sqlalchemy import Engine
from stdnum import luhn

from partage.core.acts.cooperative import Cooperative
from partage.core.banking import payees
from partage.core.contract.documents import (
    Address,
    DocumentLine,
    DocumentParty,
    InvoiceDocument,
    PaymentInstructions,
    VatBreakdown,
)
from partage.core.contract.einvoice import ubl
from partage.core.contract.money import from_minor
from partage.core.ledger.posting import Ledger
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.members.instance import bootstrap
from partage.core.platform.clock import FixedClock
from partage.core.platform.db.engine import session_factory
from partage.core.platform.issuer import Issuer
from partage.core.platform.registry import PluginKind, PluginRegistry
from partage.core.platform.runtime import load_config
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.spending import purchases
from partage.plugins import belgium, france
from tests.builders import person
from tests.engine_support import World
from tests.schema_template import built_once

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
    config = load_config(country, registry=registry)
    plugins = registry.manager(country)
    instance = config.instance
    sessions = session_factory(engine)
    coop = Cooperative(instance, plugins, Ledger(), instance.guarantee, FixedClock(DAY))
    world = CountryWorld(engine, sessions, coop, country=country)
    built = built_once(engine, ("country world", country))
    if built.copied:
        world.entity, world.clients = built.extra[0], dict(built.extra[1])
        return world
    bootstrap(engine, instance, plugins, actor="tester", fiscal_years=[2026])
    office = instance.offices[0].code
    domestic_vat = be_vat(4567890) if country == "be" else fr_vat(fr_siren(55204944))
    with world.act() as s:
        membership.admit_member(
            s, coop, person(1, country), share_class="A", shares=1, on=DAY, actor="t"
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
    built.keep((world.entity, dict(world.clients)))
    return world


# --- money in, suppliers out ------------------------------------------------------------
SUPPLIER_IBAN = "BE71096123456769"
SUPPLIER_BIC = "GKCCBEBB"
#: The Belgian structured communication the Belgian supplier asks payments to carry.
SUPPLIER_REFERENCE = "+++090/9337/55493+++"


def validate_pending(world: Any, actor: str = "user:adviser") -> list[int]:
    """Every act waiting for staff validated by ``actor`` (an adviser of the office, not
    the login that entered them); their ids."""
    from partage.core.acts.models import PendingStatus
    from partage.core.banking import pending

    with world.act() as s:
        ids = [row.id for row in pending.listing(s, world.coop, statuses=[PendingStatus.PENDING])]
        for pending_id in ids:
            pending.validate(s, world.coop, pending_id, actor=actor, on=DAY)
    return ids


def fund(world: CountryWorld, amount: str = "5000", client: str = "domestic") -> None:
    """Give the entity money in the bank: an invoice to ``client`` paid in full."""
    with world.act() as s:
        invoice = invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client(client),
            lines=[LineInput("Mission", "1", amount)],
            on=DAY,
            actor="t",
        )
        payments.receive_payment(
            s,
            world.coop,
            key=f"fund-{invoice.number}",
            entity=world.entity,
            client=world.client(client),
            amount=from_minor(invoice.net + invoice.vat, "EUR"),
            on=DAY,
            actor="t",
        )


def supplier_purchases(world: CountryWorld, *nets: str, **options: Any) -> list[int]:
    """A Belgian supplier with a bank account and purchases ``P-1``, ``P-2``... of
    ``nets`` from it (``options`` go to each purchase: ``payment_reference``...)."""
    with world.act() as s:
        party = members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Imprimerie Dupont",
            kind="supplier",
            country="BE",
            vat_number=be_vat(7654321),
            actor="t",
        )
        payees.enter_account(s, party.code, SUPPLIER_IBAN, SUPPLIER_BIC, actor="t")
        return [
            purchases.record_purchase(
                s,
                world.coop,
                entity=world.entity,
                supplier=party.code,
                supplier_reference=f"P-{n}",
                net=net,
                on=DAY,
                actor="t",
                **options,
            ).id
            for n, net in enumerate(nets, start=1)
        ]


@dataclass(frozen=True)
class Seller:
    """A supplier of the cooperative as its e-invoices name it."""

    name: str
    address: Address
    vat_number: str
    company_id: str
    rate: Decimal
    iban: str | None = None
    bic: str | None = None


SELLERS = {
    "be": Seller(
        "Imprimerie Dupont SRL",
        Address("Rue du Papier 3", "Namur", "5000", "BE"),
        be_vat(8765432),
        be_vat(8765432)[2:],
        Decimal("0.21"),
        SUPPLIER_IBAN,
        SUPPLIER_BIC,
    ),
    "fr": Seller(
        "Papeterie Martin SARL",
        Address("3 rue du Papier", "Lille", "59000", "FR"),
        fr_vat(fr_siren(41234567)),
        fr_siren(41234567),
        Decimal("0.20"),
    ),
}


def supplier_document(
    country: str = "be",
    number: str = "INV-77",
    *,
    lines: tuple[tuple[str, ...], ...] = (("Affiches A2", "3", "200"),),
    credit_note: bool = False,
    preceding: str | None = None,
    payment_reference: str | None = SUPPLIER_REFERENCE,
    buyer_reference: str = "PO-1",
) -> InvoiceDocument:
    """An invoice (or credit note) from the supplier of ``country`` to the cooperative, as
    its software writes it. ``lines`` are (description, quantity, price), with a fourth
    item for a rate other than the standard one (``"0.06"``); the document carries
    payment instructions (with ``payment_reference``) when it is an invoice and the
    supplier has an account."""
    me, seller = issuer(country), SELLERS[country]
    rows = tuple(
        DocumentLine(
            str(n),
            description,
            Decimal(quantity),
            Decimal(price),
            (Decimal(quantity) * Decimal(price)).quantize(Decimal("0.01")),
            "",
            "S",
            Decimal(rate[0]) if rate else seller.rate,
        )
        for n, (description, quantity, price, *rate) in enumerate(lines, start=1)
    )
    bases: dict[Decimal, Decimal] = {}
    for row in rows:
        bases[row.vat_rate] = bases.get(row.vat_rate, Decimal(0)) + row.net
    breakdown = tuple(
        VatBreakdown("S", rate, base, (base * rate).quantize(Decimal("0.01")))
        for rate, base in bases.items()
    )
    net = sum(bases.values(), Decimal(0))
    vat = sum((part.vat for part in breakdown), Decimal(0))
    payment = (
        PaymentInstructions("58", seller.iban, payment_reference, seller.bic)
        if seller.iban is not None and payment_reference is not None and not credit_note
        else None
    )
    return InvoiceDocument(
        kind="credit_note" if credit_note else "invoice",
        number=number,
        issued_on=DAY,
        due_on=None if credit_note else DAY.replace(day=31),
        currency="EUR",
        language="fr",
        seller=DocumentParty(
            seller.name,
            seller.address,
            vat_number=seller.vat_number,
            company_id=seller.company_id,
        ),
        buyer=DocumentParty(
            me.legal_name, me.address, vat_number=me.vat_number, company_id=me.company_id
        ),
        lines=rows,
        vat_breakdown=breakdown,
        net=net,
        vat=vat,
        total=net + vat,
        payable=net + vat,
        buyer_reference=buyer_reference,
        payment=payment,
        preceding_invoice=preceding,
        preceding_issued_on=DAY if preceding else None,
    )


def supplier_ubl(document: InvoiceDocument) -> bytes:
    """A supplier's document as the Peppol UBL it sends (both ends addressed by their
    Belgian enterprise numbers)."""
    return ubl.write(
        document,
        seller_endpoint=ubl.Endpoint("0208", (document.seller.vat_number or "")[2:]),
        buyer_endpoint=ubl.Endpoint("0208", issuer("be").vat_number[2:]),
    )


def supplier_invoice(number: str = "INV-77", *, price: str = "200", quantity: str = "3") -> bytes:
    """A Peppol invoice from a Belgian supplier to the cooperative, as its software sends it."""
    return supplier_ubl(supplier_document(number=number, lines=(("Affiches A2", quantity, price),)))


# --- the official validators ------------------------------------------------------------
@cache
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

"""A Belgian instance served over HTTP for the web tests of documents: the shipped
instance (with its ``[instance.issuer]``), two members with an entity each in the same
office, their logins and the office's adviser's, and a few sales."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from litestar.testing import TestClient
from sqlalchemy import Engine, select

from partage.core.access.logins import create_user
from partage.core.documents.models import InvoiceFile
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Invoice
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.builders import person
from tests.documents_support import DAY, CountryWorld, build_country_world
from tests.engine_support import WEB_PASSWORD


@dataclass
class Served:
    """A Belgian instance served over HTTP.

    Attributes:
        site, client: the site and its test client.
        entity: Ada's entity (member 1); ``other``: Bob's (member 2), same office.
        business, private: Ada's invoices to a Belgian company and to a private person.
        bobs: an invoice of Bob's entity.
    """

    site: Site
    client: TestClient[Any]
    entity: str
    other: str
    business: str
    private: str
    bobs: str

    def bearer(self, username: str) -> dict[str, str]:
        answer = self.client.post(
            "/api/v1/auth/login", json={"username": username, "password": WEB_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['token']}"}

    def url(self, number: str, kind: str, entity: str | None = None) -> str:
        return f"/api/v1/entities/{entity or self.entity}/invoices/{number}/{kind}"

    def stored(self) -> list[tuple[str, str]]:
        """``(invoice number, format)`` of every stored file."""
        with self.site.sessions() as session:
            rows = session.execute(
                select(Invoice.number, InvoiceFile.format)
                .join(Invoice, Invoice.id == InvoiceFile.invoice_id)
                .order_by(InvoiceFile.id)
            )
            return [(number, kind) for number, kind in rows]


def sale(world: CountryWorld, entity: str, client: str, net: str) -> str:
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=entity,
            client=world.client(client),
            lines=[LineInput("Mission", "1", net)],
            on=DAY,
            actor="t",
        ).number


def belgian_site(engine: Engine) -> tuple[Site, CountryWorld, dict[str, str]]:
    """The shipped Belgian instance (with its ``[instance.issuer]``): Ada (member 1)
    holds the world's entity, Bob (member 2) another in the same office; logins for
    both and for the office's adviser; three invoices."""
    world = build_country_world(engine, "be")
    hasher = PasswordHasher.from_parameters(CHEAPEST)
    office = world.coop.instance.offices[0].code
    with world.act() as s:
        membership.admit_member(
            s, world.coop, person(2, "be"), share_class="A", shares=1, on=DAY, actor="t"
        )
        bobs = members.open_entity(
            s,
            world.coop,
            holders=[2],
            name="Atelier Bob",
            kind="freelance",
            office=office,
            on=DAY,
            actor="t",
        ).code
        for username, role, member, in_office in (
            ("ada", "member", 1, None),
            ("bob", "member", 2, None),
            ("adviser", "adviser", None, office),
        ):
            create_user(
                s,
                hasher,
                username=username,
                password=WEB_PASSWORD,
                role=role,
                member=member,
                office=in_office,
                actor="t",
            )
    numbers = {
        "other": bobs,
        "business": sale(world, world.entity, "domestic", "1000.00"),
        "private": sale(world, world.entity, "private", "90.00"),
        "bobs": sale(world, bobs, "domestic", "50.00"),
    }
    site = Site(world.sessions, world.coop, hasher=hasher)
    return site, world, numbers


def serve(
    engine: Engine, prepare: Callable[[CountryWorld], object] | None = None
) -> Iterator[Served]:
    """The Belgian site on ``engine``, after ``prepare`` (given the world) if any."""
    site, world, numbers = belgian_site(engine)
    if prepare is not None:
        prepare(world)
    with TestClient(create_app(site)) as client:
        yield Served(site, client, world.entity, **numbers)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served_over_http(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread (real concurrent
    connections, as browsers and API clients make them); its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

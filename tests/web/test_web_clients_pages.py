"""The client directory's pages: a private client created from an entity's page, found
by its town, changed from its page; a refused form said in French, naming the field,
with what was typed kept; staff read the cooperative's directory; a member never opens
another member's private client."""

from __future__ import annotations

import html
from typing import Any

from litestar.testing import TestClient

from partage.core.web.site import Site
from tests.web.test_web_ui import log_in, submit, ui  # noqa: F401  (fixture)

PERSON = {
    "kind": "person",
    "name": "Marie Privée",
    "country": "BE",
    "street": "Rue Haute 1",
    "postcode": "1000",
    "town": "Bruxelles",
    "email": "marie@example.org",
}


def test_a_private_client_is_created_found_and_changed(
    ui: tuple[Site, TestClient[Any]],  # noqa: F811
) -> None:
    _, client = ui
    log_in(client, "ada")
    form = client.get("/entities/E000001/clients/new?kind=person")
    assert form.status_code == 200 and 'name="street"' in form.text
    made = submit(client, form.text, "/entities/E000001/clients/new", PERSON)
    assert made.status_code == 200 and "Marie Privée" in made.text, made.text
    found = client.get("/entities/E000001/clients", params={"q": "bruxelles"})
    assert "Marie Privée" in found.text and "marie@example.org" in found.text
    code = found.text.split('data-client="')[1].split('"')[0]
    page = client.get(f"/clients/{code}")
    assert page.status_code == 200 and "Belgium" in page.text
    changed = submit(
        client, page.text, f"/clients/{code}",
        PERSON | {"name": "Marie Nouvelle", "town": "Liège", "reason": "moved"},
    )  # fmt: skip
    assert changed.status_code == 200 and "Marie Nouvelle" in changed.text
    log_in(client, "bob")
    assert client.get(f"/clients/{code}").status_code == 404
    assert "Marie Nouvelle" not in client.get("/clients", params={"q": "Marie"}).text
    log_in(client, "admin")
    listed = client.get("/clients", params={"q": "Liège"})
    assert listed.status_code == 200 and "Marie Nouvelle" in listed.text


def test_a_refused_client_is_said_in_french_naming_the_field(
    ui: tuple[Site, TestClient[Any]],  # noqa: F811
) -> None:
    _, client = ui
    log_in(client, "ada")
    client.get("/language/fr")
    form = client.get("/entities/E000001/clients/new?kind=person")
    answer = submit(client, form.text, "/entities/E000001/clients/new", PERSON | {"country": "XX"})
    assert answer.status_code == 422
    text = html.unescape(answer.text)
    assert 'data-field="country"' in answer.text
    assert "Pays" in text and "n'est pas un pays de la liste" in text
    assert 'value="Marie Privée"' in text  # what was typed is kept
    looked = client.get(
        "/entities/E000001/clients/new", params={"country": "BE", "number": "BE0403170702"}
    )
    assert looked.status_code == 422 and "chiffres de contrôle" in html.unescape(looked.text)

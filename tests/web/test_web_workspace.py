"""The staff's workspace through the API: what needs them first, and the entity list
searched, filtered, sorted and paged in the database, within each login's reach."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.access.models import Role
from partage.core.access.roles import Principal, entity_scope
from partage.core.members import service as members
from partage.core.members.models import Office
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.web.entities import listing
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, web_site
from tests.web.test_web_access import BACKEND_PARAMS, Served, serve_world


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    with serve_world(request.param, tmp_path_factory.mktemp("workspace")) as world:
        yield world


def listed(served: Served, who: str, query: str = "") -> tuple[list[dict[str, object]], int]:
    answer = served.client.get(f"/api/v1/entities{query}", headers=served.headers[who])
    assert answer.status_code == 200, answer.text
    return answer.json(), int(answer.headers["X-Total-Count"])


def codes(rows: list[dict[str, object]]) -> list[object]:
    return [row["code"] for row in rows]


def test_the_adviser_searches_their_office_by_code_name_and_member(served: Served) -> None:
    rows, total = listed(served, "adviser")
    assert {row["office"] for row in rows} == {"cap"} and total == len(rows)
    assert codes(listed(served, "adviser", "?q=baker")[0]) == ["E000002"]
    found = listed(served, "adviser", "?q=ada")[0]  # the holder's first name
    assert codes(found) == ["E000001"]
    holders: list[dict[str, Any]] = found[0]["holders"]  # type: ignore[assignment]
    (holder,) = holders
    assert holder["number"] == 1 and holder["name"].startswith("Ada ")
    assert listed(served, "adviser", "?q=boats") == ([], 0)  # Cyd's, in office sea
    assert listed(served, "adviser", "?q=%25") == ([], 0)  # a % is no wildcard
    assert codes(listed(served, "adviser", "?q=ada%20test")[0]) == ["E000001"]  # full name


def test_pages_split_the_list_and_the_total_counts_every_page(served: Served) -> None:
    everything, total = listed(served, "admin", "?per_page=200")
    assert total == len(everything) >= 3
    first, first_total = listed(served, "admin", "?per_page=2&page=1")
    second, _ = listed(served, "admin", "?per_page=2&page=2")
    assert first_total == total and len(first) == 2
    assert codes(first) + codes(second) == codes(everything)[: len(first) + len(second)]
    assert listed(served, "admin", "?per_page=2&page=99999") == ([], total)
    refused = served.client.get("/api/v1/entities?per_page=9999", headers=served.headers["admin"])
    assert refused.status_code == 400 and "per_page" in refused.text


def test_short_of_funds_and_lowest_funds_first(served: Served) -> None:
    rows, _ = listed(served, "admin", "?sort=funds&per_page=200")
    funds = [Decimal(str(row["available_funds"])) for row in rows]
    assert funds == sorted(funds)
    short, total = listed(served, "admin", "?status=short")
    assert total == sum(1 for f in funds if f < 0) and total >= 1
    assert all(Decimal(str(row["available_funds"])) < 0 for row in short)
    # E000002 owes the VAT of an invoice its client has not paid
    assert "E000002" in codes(short)
    assert "E000002" not in codes(listed(served, "manager", "?status=short")[0])


def test_a_member_lists_only_their_own_entities_whatever_they_search(served: Served) -> None:
    assert set(codes(listed(served, "ada", "?q=E0000")[0])) == {"E000001"}
    assert listed(served, "ada", "?q=bob") == ([], 0)


def test_the_ethics_committee_searches_names_but_no_figure(served: Served) -> None:
    rows, _ = listed(served, "ethics", "?q=boats")
    assert codes(rows) == ["E000003"] and rows[0]["available_funds"] is None
    assert rows[0]["holders"] is None
    assert listed(served, "ethics", "?q=ada") == ([], 0)  # no search by person either
    for query in ("?status=short", "?status=blocked", "?sort=funds", "?sort=overdue"):
        answer = served.client.get(f"/api/v1/entities{query}", headers=served.headers["ethics"])
        assert answer.status_code == 403, query


def test_what_needs_the_office_is_counted_in_its_reach(served: Served) -> None:
    cap = served.client.get("/api/v1/entities/needs", headers=served.headers["adviser"]).json()
    sea = served.client.get("/api/v1/entities/needs", headers=served.headers["manager"]).json()
    every = served.client.get("/api/v1/entities/needs", headers=served.headers["admin"]).json()
    assert cap["short_of_funds"] >= 1 and sea["short_of_funds"] == 0
    assert every["short_of_funds"] == cap["short_of_funds"] + sea["short_of_funds"]
    assert every["overdue_invoices"] >= cap["overdue_invoices"] + sea["overdue_invoices"]


def test_hundreds_of_entities_cost_one_page(tmp_path: Path) -> None:
    """360 entities of one office: the list pages them by 50 in the database, the
    search still finds one, and the last page holds the rest."""
    engine = make_engine(f"sqlite:///{tmp_path / 'many.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with transaction(site.sessions) as session:
        for n in range(357):
            members.open_entity(
                session,
                site.coop,
                holders=[2],
                name=f"Stall {n:03d}",
                kind="maker" if n % 3 else "project",
                office="cap",
                on=WEB_DAY,
                actor="t",
            )
    with site.sessions() as session:
        office_id = session.scalar(select(Office.id).where(Office.code == "cap"))
        me = Principal(1, "adviser", Role.ADVISER, "A", None, None, office_id, "cap", None)
        scope = entity_scope(me)
        first = listing.search(session, site.coop, me, scope, listing.Query(), WEB_DAY)
        last = listing.search(session, site.coop, me, scope, listing.Query(page=8), WEB_DAY)
        makers = listing.search(
            session, site.coop, me, scope, listing.Query(kind="project", per_page=200), WEB_DAY
        )
        one = listing.search(
            session, site.coop, me, scope, listing.Query(text="Stall 123"), WEB_DAY
        )
    assert first.total == 359 and len(first.rows) == 50 and first.pages == 8
    assert len(last.rows) == 359 - 7 * 50
    assert makers.total == 119 and {r.kind for r in makers.rows} == {"project"}
    assert [r.name for r in one.rows] == ["Stall 123"]
    engine.dispose()

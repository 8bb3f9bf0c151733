"""Members' follow-up records and the offices' workshops through the API: staff of the
member's office write, the member reads only what is shown to them, the office's
setting gives the default, and every act is in the audit log."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.platform.db.models import AuditRecord
from tests.web.test_web_access import BACKEND_PARAMS, Served, serve_world

RECORD = "/api/v1/members/{}/follow-up"


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    with serve_world(request.param, tmp_path_factory.mktemp("follow-up")) as world:
        yield world


def call(served: Served, who: str, method: str, path: str, body: Any = None) -> Any:
    return served.client.request(method, path, headers=served.headers[who], json=body)


def test_the_member_reads_only_what_is_shown_to_them(served: Served) -> None:
    hidden = call(
        served, "adviser", "POST", RECORD.format(1), {"kind": "note", "subject": "Worried"}
    )
    assert hidden.status_code == 201 and hidden.json()["visible_to_member"] is False
    shown = call(
        served,
        "adviser",
        "POST",
        RECORD.format(1),
        {
            "kind": "appointment",
            "subject": "Quarterly review",
            "starts_at": "2026-06-02T14:00:00",
            "place": "Office cap, room 2",
            "visible": True,
        },
    )
    assert shown.status_code == 201, shown.text
    mine = {i["subject"] for i in call(served, "ada", "GET", RECORD.format(1)).json()}
    staff = {i["subject"] for i in call(served, "adviser", "GET", RECORD.format(1)).json()}
    assert "Quarterly review" in mine and "Worried" not in mine
    assert {"Quarterly review", "Worried"} <= staff
    assert call(served, "bob", "GET", RECORD.format(1)).status_code == 404
    assert (
        call(served, "ada", "POST", RECORD.format(1), {"kind": "note", "subject": "x"}).status_code
        == 403
    )


def test_the_office_setting_gives_the_default(served: Served) -> None:
    path = "/api/v1/offices/sea/follow-up-visibility"
    assert call(served, "admin", "PUT", path, {"visible": True}).json() == {"visible": True}
    note = call(
        served, "manager", "POST", RECORD.format(3), {"kind": "note", "subject": "Boat fair"}
    )
    assert note.status_code == 201 and note.json()["visible_to_member"] is True
    assert note.json()["office"] == "sea"
    assert "Boat fair" in {
        i["subject"] for i in call(served, "cyd", "GET", RECORD.format(3)).json()
    }
    # an adviser of another office does not reach Cyd
    assert call(served, "adviser", "GET", RECORD.format(3)).status_code == 404
    with served.site.sessions() as session:
        actions = set(
            session.scalars(select(AuditRecord.action).where(AuditRecord.subject == "member:3"))
        )
    assert "follow_up.note" in actions


def test_documents_are_downloaded_by_whom_they_are_shown_to(served: Served) -> None:
    content = b"%PDF-1.4 business plan"
    posted = call(
        served,
        "adviser",
        "POST",
        RECORD.format(2),
        {
            "kind": "document",
            "subject": "Business plan",
            "file_name": "plan.pdf",
            "file_base64": base64.b64encode(content).decode(),
            "visible": False,
        },
    )
    assert posted.status_code == 201, posted.text
    file = f"{RECORD.format(2)}/{posted.json()['id']}/file"
    answer = call(served, "adviser", "GET", file)
    assert answer.status_code == 200 and answer.content == content
    assert answer.headers["content-disposition"].startswith("attachment")
    assert call(served, "bob", "GET", file).status_code == 404  # hidden from Bob


def test_bad_items_are_refused_naming_the_field(served: Served) -> None:
    late = call(
        served, "adviser", "POST", RECORD.format(1), {"kind": "appointment", "subject": "x"}
    )
    assert late.status_code == 422 and "starts_at" in late.text
    empty = call(served, "adviser", "POST", RECORD.format(1), {"kind": "note", "subject": " "})
    assert empty.status_code == 422 and "subject" in empty.text


def test_times_are_the_offices_local_time_within_the_century(served: Served) -> None:
    """An appointment or a workshop is the office's wall-clock time: a time zone or a
    year out of 2000–2099 is refused, and the API writes it back as YYYY-MM-DDTHH:MM."""
    for starts_at, rule in (
        ("2336-03-01T04:58:00", "outside the years 2000 to 2099"),
        ("2026-06-02T14:00:00+02:00", "without a time zone"),
    ):
        refused = call(
            served, "adviser", "POST", "/api/v1/workshops", {"title": "x", "starts_at": starts_at}
        )
        assert refused.status_code == 422 and rule in refused.text, refused.text
        appointment = {"kind": "appointment", "subject": "x", "starts_at": starts_at}
        refused = call(served, "adviser", "POST", RECORD.format(1), appointment)
        assert refused.status_code == 422 and rule in refused.text, refused.text
    made = call(
        served,
        "adviser",
        "POST",
        "/api/v1/workshops",
        {"title": "Pricing", "starts_at": "2026-09-14T18:30:45"},
    )
    assert made.status_code == 201 and made.json()["starts_at"] == "2026-09-14T18:30"


def test_a_workshop_seats_its_capacity_and_marks_who_came(served: Served) -> None:
    made = call(
        served,
        "adviser",
        "POST",
        "/api/v1/workshops",
        {"title": "Pricing your work", "starts_at": "2026-01-15T10:00:00", "capacity": 2},
    )
    assert made.status_code == 201, made.text
    code = made.json()["code"]
    seats = f"/api/v1/workshops/{code}/seats"
    assert call(served, "adviser", "POST", seats, {"member": 1}).status_code == 201
    twice = call(served, "adviser", "POST", seats, {"member": 1})
    assert twice.status_code == 422 and "already registered" in twice.text
    assert call(served, "adviser", "POST", seats, {"member": 3}).status_code == 404  # office sea
    assert call(served, "adviser", "POST", seats, {"member": 2}).status_code == 201
    full = call(served, "admin", "POST", seats, {"member": 3})
    assert full.status_code == 422 and "full" in full.text
    marked = call(
        served, "adviser", "POST", f"/api/v1/workshops/{code}/attendance", {"present": [1]}
    )
    assert marked.status_code == 201, marked.text
    assert {s["number"]: s["attended"] for s in marked.json()["seats"]} == {1: True, 2: False}
    # Ada sees the session (not who came); Cyd and the other office do not
    assert call(served, "ada", "GET", f"/api/v1/workshops/{code}").json()["seats"] is None
    assert code in {w["code"] for w in call(served, "ada", "GET", "/api/v1/workshops").json()}
    assert call(served, "cyd", "GET", f"/api/v1/workshops/{code}").status_code == 404
    assert call(served, "manager", "GET", f"/api/v1/workshops/{code}").status_code == 404


def test_attendance_waits_for_the_session(served: Served) -> None:
    made = call(
        served,
        "adviser",
        "POST",
        "/api/v1/workshops",
        {"title": "Later", "starts_at": "2099-01-15T10:00:00"},
    ).json()
    late = call(
        served, "adviser", "POST", f"/api/v1/workshops/{made['code']}/attendance", {"present": []}
    )
    assert late.status_code == 422 and "mark it then" in late.text

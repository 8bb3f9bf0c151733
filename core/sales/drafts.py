"""Drafts of quotes and invoices, and the office's validation before they go out.

A draft takes no number and posts nothing: numbers are given when a quote is sent or an
invoice issued, so that numbering stays gapless whatever happens to drafts. Its holder
saves and edits it freely, then submits it. Where the entity's office validates
documents (:attr:`~partage.core.members.models.Office.validates_documents`, as enDI's
validation workflow does), a submitted draft waits for the office's staff, who issue it
(the quote is sent or the invoice issued, in their name, on that day) or return it with
a reason, after which the holder edits it again; the login that submitted it may not
validate it (four eyes). Elsewhere submitting issues it at once.

Each step is audited: ``draft.save``, ``draft.submit``, ``draft.validate``,
``draft.return``. The services trust the caller to have checked that the actor reaches
the entity (its holders) or is staff of its office (the faces ask
:mod:`partage.core.access.roles`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ClosedRecord, Cooperative, InvalidAct, NotFound
from partage.core.acts.pending import FourEyes
from partage.core.contract.errors import N_
from partage.core.members.models import Entity, Office, Party
from partage.core.members.offices import office_by_code
from partage.core.members.service import entity_by_code, party_by_code
from partage.core.platform import audit
from partage.core.sales import invoices
from partage.core.sales.invoices import Discount, LineInput
from partage.core.sales.models import DocumentDraft, DraftStatus

KINDS = ("quote", "invoice")
EDITABLE = (DraftStatus.DRAFT, DraftStatus.RETURNED)


def _content(
    lines: Sequence[LineInput], discount: Discount | None, notes: str, supplied_on: date | None
) -> str:
    given = discount or Discount()
    return json.dumps(
        {
            "lines": [{k: v if v is None else str(v) for k, v in asdict(x).items()}
                      for x in lines],
            "discount": {"percent": given.percent and str(given.percent),
                         "amount": given.amount and str(given.amount)},
            "notes": notes,
            "supplied_on": supplied_on and supplied_on.isoformat(),
        }
    )  # fmt: skip


def content_of(draft: DocumentDraft) -> tuple[list[LineInput], Discount, str]:
    """A draft's lines, document discount and notes."""
    data: dict[str, Any] = json.loads(draft.content)
    discount = data.get("discount") or {}
    return (
        [LineInput(**line) for line in data.get("lines", [])],
        Discount(discount.get("percent"), discount.get("amount")),
        str(data.get("notes") or ""),
    )


def supply_of(draft: DocumentDraft) -> date | None:
    """The day of supply an invoice draft gives, when it differs from its issue date."""
    given = json.loads(draft.content).get("supplied_on")
    return date.fromisoformat(given) if given else None


def draft_of(session: Session, draft_id: int, *, lock: bool = False) -> DocumentDraft:
    """A draft by its id; refuses an unknown one."""
    query = select(DocumentDraft).where(DocumentDraft.id == draft_id)
    found = session.scalars(query.with_for_update() if lock else query).one_or_none()
    if found is None:
        raise NotFound("draft", N_("no such draft"), value=str(draft_id))
    return found


def save_draft(
    session: Session,
    coop: Cooperative,
    *,
    entity: str,
    kind: str,
    client: str | None,
    lines: Sequence[LineInput],
    actor: str,
    discount: Discount | None = None,
    notes: str = "",
    draft_id: int | None = None,
    supplied_on: date | None = None,
) -> DocumentDraft:
    """Save a new draft, or a draft its holder edits again (``draft_id``). Incomplete
    lines are kept as typed: they are checked when the draft is issued."""
    if kind not in KINDS:
        raise InvalidAct("kind", N_("{kind} must be quote or invoice"), kind=repr(kind))
    holder = entity_by_code(session, entity)
    party: Party | None = party_by_code(session, client) if client else None
    if draft_id is None:
        draft = DocumentDraft(
            entity_id=holder.id, kind=kind, status=DraftStatus.DRAFT.value, created_by=actor,
            content="{}",
        )  # fmt: skip
        session.add(draft)
    else:
        draft = draft_of(session, draft_id, lock=True)
        if draft.entity_id != holder.id:
            raise NotFound("draft", N_("no such draft"), value=str(draft_id))
        if draft.status not in EDITABLE:
            raise ClosedRecord(
                "draft", N_("the draft is {status}: it can no longer be edited"),
                status=draft.status,
            )  # fmt: skip
        draft.kind = kind
    draft.party_id = party.id if party else None
    draft.content = _content(lines, discount, notes, supplied_on if kind == "invoice" else None)
    session.flush()
    audit.record(
        session, actor=actor, action="draft.save", subject=f"draft:{draft.id}",
        data={"kind": kind, "lines": len(lines)},
    )  # fmt: skip
    return draft


def office_of(session: Session, draft: DocumentDraft) -> Office:
    """The office of the draft's entity."""
    entity = session.get_one(Entity, draft.entity_id)
    return session.get_one(Office, entity.office_id)


def submit_draft(
    session: Session, coop: Cooperative, draft_id: int, *, on: date, actor: str
) -> DocumentDraft:
    """Submit a draft: to the office's staff where its office validates documents, else
    issued at once (its status then says which)."""
    draft = draft_of(session, draft_id, lock=True)
    if draft.status not in EDITABLE:
        raise ClosedRecord(
            "draft", N_("the draft is {status}: it can no longer be edited"), status=draft.status
        )
    if draft.party_id is None:
        raise InvalidAct("client", N_("choose the client before submitting"))
    draft.submitted_by = actor
    if office_of(session, draft).validates_documents:
        _check(session, coop, draft, on)
        draft.status = DraftStatus.SUBMITTED.value
        draft.reason = None
        audit.record(session, actor=actor, action="draft.submit", subject=f"draft:{draft.id}")
        return draft
    return _issue(session, coop, draft, on=on, actor=actor)


def _check(session: Session, coop: Cooperative, draft: DocumentDraft, on: date) -> None:
    """Refuse, before it goes to the office, a draft whose lines would not price."""
    lines, discount, _ = content_of(draft)
    party = session.get_one(Party, draft.party_id)
    priced = invoices.price_lines(coop, lines, party, on)
    invoices.document_allowances(invoices.line_bases(priced), discount or None, coop.currency)


def _issue(
    session: Session, coop: Cooperative, draft: DocumentDraft, *, on: date, actor: str
) -> DocumentDraft:
    lines, discount, notes = content_of(draft)
    entity = session.get_one(Entity, draft.entity_id)
    party = session.get_one(Party, draft.party_id)
    common: dict[str, Any] = {
        "entity": entity.code, "client": party.code, "lines": lines, "on": on, "actor": actor,
        "discount": discount or None, "notes": notes,
    }  # fmt: skip
    if draft.kind == "quote":
        draft.issued = invoices.send_quote(session, coop, **common).reference
    else:
        draft.issued = invoices.issue_invoice(
            session, coop, **common, supplied_on=supply_of(draft)
        ).number
    draft.status = DraftStatus.ISSUED.value
    audit.record(
        session, actor=actor, action="draft.issue", subject=f"draft:{draft.id}",
        data={"issued": draft.issued},
    )  # fmt: skip
    return draft


def validate_draft(
    session: Session, coop: Cooperative, draft_id: int, *, on: date, actor: str
) -> DocumentDraft:
    """Staff of the office validate a submitted draft: it is issued now, numbered. The
    login that submitted it may not."""
    draft = _submitted(session, draft_id)
    if draft.submitted_by == actor:
        raise FourEyes("draft", N_("you submitted this draft: another staff member validates it"))
    draft.decided_by = actor
    audit.record(session, actor=actor, action="draft.validate", subject=f"draft:{draft.id}")
    return _issue(session, coop, draft, on=on, actor=actor)


def return_draft(session: Session, draft_id: int, *, reason: str, actor: str) -> DocumentDraft:
    """Staff of the office return a submitted draft to its holder, saying why."""
    if not reason.strip():
        raise InvalidAct("reason", N_("say why the draft goes back"))
    draft = _submitted(session, draft_id)
    draft.status = DraftStatus.RETURNED.value
    draft.reason = reason.strip()
    draft.decided_by = actor
    audit.record(
        session, actor=actor, action="draft.return", subject=f"draft:{draft.id}", reason=reason
    )
    return draft


def _submitted(session: Session, draft_id: int) -> DocumentDraft:
    draft = draft_of(session, draft_id, lock=True)
    if draft.status != DraftStatus.SUBMITTED:
        raise ClosedRecord(
            "draft", N_("the draft is {status}, not awaiting validation"), status=draft.status
        )
    return draft


def awaiting(session: Session, entity_ids: Sequence[int] | None = None) -> list[DocumentDraft]:
    """Submitted drafts awaiting validation, oldest first, of the entities given (all
    when ``None``)."""
    query = select(DocumentDraft).where(DocumentDraft.status == DraftStatus.SUBMITTED)
    if entity_ids is not None:
        query = query.where(DocumentDraft.entity_id.in_(entity_ids))
    return list(session.scalars(query.order_by(DocumentDraft.id)))


def drafts_of(session: Session, entity_id: int) -> list[DocumentDraft]:
    """An entity's drafts not yet issued, newest first."""
    return list(
        session.scalars(
            select(DocumentDraft)
            .where(DocumentDraft.entity_id == entity_id, DocumentDraft.status != DraftStatus.ISSUED)
            .order_by(DocumentDraft.id.desc())
        )
    )


def set_validation(session: Session, office: str, required: bool, *, actor: str) -> Office:
    """Whether the office's staff validate its entities' quotes and invoices."""
    row = office_by_code(session, office)
    row.validates_documents = required
    audit.record(
        session, actor=actor, action="office.validates_documents", subject=f"office:{office}",
        data={"required": required},
    )  # fmt: skip
    return row

"""Read models of suppliers' bank accounts: the staff's queue and an entity's suppliers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.banking import payees, pending
from partage.core.banking.models import PayeeAccount, PayeeSource, PayeeStatus
from partage.core.members.models import Entity, Party
from partage.core.sales.models import InvoiceKind
from partage.core.spending.models import Purchase
from partage.core.web.banking import schemas as s


def _held(session: Session, rows: list[tuple[PayeeAccount, Party]]) -> Counter[tuple[int, str]]:
    """Open invoices whose document named each pending account, by supplier and IBAN."""
    parties = {account.party_id for account, _ in rows if account.status == PayeeStatus.PENDING}
    if not parties:
        return Counter()
    named = session.execute(
        select(Purchase.party_id, Purchase.payee_iban).where(
            Purchase.party_id.in_(parties),
            Purchase.kind == InvoiceKind.INVOICE.value,
            Purchase.paid_on.is_(None),
            Purchase.payee_iban.is_not(None),
        )
    )
    return Counter((party_id, str(iban)) for party_id, iban in named)


def payee_list(
    session: Session,
    *,
    staff: bool,
    statuses: Collection[PayeeStatus] | None = None,
    party_ids: Collection[int] | None = None,
    limit: int | None = None,
) -> list[s.PayeeOut]:
    """Suppliers' accounts, the pending first; who proposed and decided, and the
    document, only for ``staff``."""
    rows = payees.accounts(session, statuses=statuses, party_ids=party_ids, limit=limit)
    verified = {
        account.party_id: account.iban
        for account, _ in payees.accounts(
            session,
            statuses=[PayeeStatus.VERIFIED],
            party_ids={account.party_id for account, _ in rows},
        )
    }
    held = _held(session, rows)
    return [
        s.PayeeOut(
            id=account.id,
            supplier=party.code,
            supplier_name=party.name,
            iban=account.iban,
            bic=account.bic,
            status=PayeeStatus(account.status).value,
            source=PayeeSource(account.source).value,
            proposed_at=account.proposed_at,
            verified_iban=verified.get(account.party_id)
            if account.status == PayeeStatus.PENDING
            else None,
            held=held[account.party_id, account.iban]
            if account.status == PayeeStatus.PENDING
            else 0,
            proposed_by=account.proposed_by if staff else None,
            document=account.document if staff else None,
            decided_by=account.decided_by if staff else None,
            decided_at=account.decided_at,
            reason=account.reason,
        )
        for account, party in rows
    ]


def entity_suppliers(session: Session, entity: Entity) -> list[int]:
    """The suppliers whose documents were booked for the entity."""
    return list(
        session.scalars(select(Purchase.party_id).where(Purchase.entity_id == entity.id).distinct())
    )


def payee_out(session: Session, account_id: int) -> s.PayeeOut:
    """One account as staff see it."""
    party_id = session.scalar(select(PayeeAccount.party_id).where(PayeeAccount.id == account_id))
    found = [
        row
        for row in payee_list(session, staff=True, party_ids=[party_id] if party_id else [])
        if row.id == account_id
    ]
    return found[0]


def pending_out(row: pending.PendingView) -> s.PendingOut:
    """A pending act as the API shows it."""
    return s.PendingOut(
        id=row.id,
        kind=row.kind,  # type: ignore[arg-type]
        entity=row.entity,
        subject_id=row.subject_id,
        on=row.on,
        what=str(row.what),
        amount=str(row.amount),
        status=row.status,  # type: ignore[arg-type]
        rule=row.rule,
        entered_by=row.entered_by,
        entered_at=row.entered_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        reason=row.reason,
    )

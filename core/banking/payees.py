"""The bank accounts suppliers are paid into, and who vouched for each.

A payment file sends the cooperative's money to the IBAN on file, so that IBAN must be
one a person of the cooperative vouched for, not one a document asked for: an e-invoice
is a file anyone can write, and the first one uploaded for a new supplier would
otherwise decide where every later invoice of that supplier is paid. So:

* a **staff** login (adviser, office manager, administrator) may enter a supplier's
  account: it is verified at once and replaces the one before, which stays in the
  history as ``replaced``;
* an account a supplier's **e-invoice** names (EN 16931 BT-84) that is not the verified
  one waits as ``pending``, one row per supplier and IBAN, visible to the members whose
  entities booked the document and to staff; staff **confirm** it — then it is the
  verified account and the one before is ``replaced`` — or **reject** it. Whoever
  entered the account or uploaded a document naming it may not confirm it: the
  four-eyes rule, checked on the login, so that no one vouches for what they brought in
  themselves.

Payment files (:mod:`.due`) pay a supplier's invoices only into its verified account,
and hold, with the reason, an invoice whose supplier has none yet and an invoice whose
document named an account that waits for a decision: it pays nothing until staff have
confirmed that account (it is then paid into it) or rejected it (it is then paid into the
verified one). :func:`payment_holds` is that rule, for payment files and pages alike.

Each step is in the audit log with its actor: ``payee_account.enter``, ``.propose``,
``.conflict`` (a document naming another IBAN than the verified one), ``.confirm``,
``.reject`` and ``.replace``. The services trust the caller to have checked that the
actor is a staff login (the faces ask :mod:`partage.core.access.roles`); the four-eyes
rule they check themselves.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import ClosedRecord, InvalidAct, NotFound
from partage.core.acts.pending import FourEyes
from partage.core.banking.models import PayeeAccount, PayeeSource, PayeeStatus
from partage.core.contract.errors import N_, Word
from partage.core.members.models import Party
from partage.core.members.service import party_by_code
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow
from partage.core.platform.db.engine import chunks
from partage.core.spending.models import Purchase


@dataclass(frozen=True)
class PayeeHold:
    """Why a supplier invoice is not paid, and the accounts concerned.

    Attributes:
        purchase_id: the invoice held.
        status: ``"no_verified_account"`` (the supplier has none yet) or
            ``"account_pending"`` (its document named an account waiting for staff).
        named: the IBAN the invoice's document named, if any.
        verified: the supplier's verified IBAN, if it has one.
        reason: the rule in words, with the supplier and the IBANs.
    """

    purchase_id: int
    status: Literal["no_verified_account", "account_pending"]
    named: str | None
    verified: str | None
    reason: str


def check_account(iban: str, bic: str | None, *, who: str) -> tuple[str, str | None]:
    """The IBAN and BIC in compact form, or a refusal naming the payee and the check."""
    try:
        account = IBAN(iban, validate_bban=True)
    except SchwiftyException as error:
        raise InvalidAct(
            who, N_("IBAN {iban} is not valid: {error}"), iban=repr(iban), error=error
        ) from None
    if not bic:
        return account.compact, None
    try:
        code = BIC(bic)
    except SchwiftyException as error:
        raise InvalidAct(
            who, N_("BIC {bic} is not valid: {error}"), bic=repr(bic), error=error
        ) from None
    if code.country_code != account.country_code:
        raise InvalidAct(
            who,
            N_("BIC {bic} is of {code_country_code}, the IBAN of {account_country_code}"),
            bic=bic,
            code_country_code=code.country_code,
            account_country_code=account.country_code,
        )
    return account.compact, str(code)


def _subject(party: Party) -> str:
    return f"party:{party.code}"


def _lock(session: Session, party: Party) -> None:
    """Serialise the changes of one supplier's accounts (PostgreSQL row lock; SQLite
    writers are serialised by the database itself)."""
    session.execute(select(Party.id).where(Party.id == party.id).with_for_update())


def verified_account(session: Session, party_id: int) -> PayeeAccount | None:
    """The account a supplier is paid into, or ``None`` while it has none."""
    return session.scalars(
        select(PayeeAccount).where(
            PayeeAccount.party_id == party_id,
            PayeeAccount.status == PayeeStatus.VERIFIED.value,
        )
    ).one_or_none()


def _pending(session: Session, party_id: int, iban: str) -> PayeeAccount | None:
    return session.scalars(
        select(PayeeAccount).where(
            PayeeAccount.party_id == party_id,
            PayeeAccount.iban == iban,
            PayeeAccount.status == PayeeStatus.PENDING.value,
        )
    ).one_or_none()


def _pending_or_new(
    session: Session,
    party_id: int,
    iban: str,
    bic: str | None,
    *,
    source: PayeeSource,
    actor: str,
    document: str | None = None,
) -> tuple[PayeeAccount, bool]:
    """The supplier's pending account of that IBAN, else a new one proposed by
    ``actor``; and whether it was created."""
    row = _pending(session, party_id, iban)
    if row is not None:
        return row, False
    row = PayeeAccount(
        party_id=party_id,
        iban=iban,
        bic=bic,
        status=PayeeStatus.PENDING.value,
        source=source.value,
        proposed_by=actor,
        proposers=[actor],
        document=document[:200] if document is not None else None,
    )
    session.add(row)
    session.flush()
    return row, True


def _replace(session: Session, party: Party, by: PayeeAccount, *, actor: str) -> None:
    """Move the supplier's verified account (if another than ``by``) to the history."""
    current = verified_account(session, party.id)
    if current is None or current.id == by.id:
        return
    current.status = PayeeStatus.REPLACED.value
    current.reason = f"replaced by {by.iban} (account {by.id})"
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="payee_account.replace",
        subject=_subject(party),
        data={"account": current.id, "iban": current.iban, "by": by.id, "by_iban": by.iban},
    )


def enter_account(
    session: Session, party_code: str, iban: str, bic: str | None, *, actor: str
) -> PayeeAccount:
    """Record the account a staff login typed in for a supplier: checked, verified at
    once, and the supplier's previous account kept as ``replaced``. A pending account of
    the same IBAN is the one verified (its documents then pay into it)."""
    party = party_by_code(session, party_code)
    iban, bic = check_account(iban, bic, who=f"supplier {party_code}")
    _lock(session, party)
    current = verified_account(session, party.id)
    if current is not None and current.iban == iban and current.bic == bic:
        return current
    row, _ = _pending_or_new(session, party.id, iban, bic, source=PayeeSource.STAFF, actor=actor)
    if current is not None:
        _replace(session, party, row, actor=actor)
    row.bic = bic or row.bic
    row.status = PayeeStatus.VERIFIED.value
    row.decided_by, row.decided_at = actor, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="payee_account.enter",
        subject=_subject(party),
        data={"account": row.id, "iban": iban, "bic": row.bic},
    )
    return row


def propose_account(
    session: Session,
    party: Party,
    iban: str,
    bic: str | None,
    *,
    actor: str,
    document: str,
) -> PayeeAccount | None:
    """What a supplier's document says about where it is paid: nothing to do when it
    names the verified account (``None``); otherwise the account waits as pending (the
    row is returned), joined by ``actor`` when another document named it before. A
    document naming another IBAN than the verified one is recorded as a conflict."""
    iban, bic = check_account(iban, bic, who=f"supplier {party.code}")
    _lock(session, party)
    current = verified_account(session, party.id)
    if current is not None and current.iban == iban:
        return None
    row, created = _pending_or_new(
        session, party.id, iban, bic, source=PayeeSource.DOCUMENT, actor=actor, document=document
    )
    if not created and actor not in row.proposers:
        row.proposers = [*row.proposers, actor]
        session.flush()
    audit.record(
        session,
        actor=actor,
        action="payee_account.conflict" if current is not None else "payee_account.propose",
        subject=_subject(party),
        reason=document,
        data={
            "account": row.id,
            "iban": iban,
            "bic": bic,
            "verified": current.iban if current is not None else None,
        },
    )
    return row


def _decidable(session: Session, account_id: int) -> tuple[PayeeAccount, Party]:
    row = session.get(PayeeAccount, account_id, with_for_update=True)
    if row is None:
        raise NotFound("account", N_("no such supplier bank account"), value=account_id)
    party = session.get(Party, row.party_id)
    assert party is not None  # a foreign key
    if row.status != PayeeStatus.PENDING.value:
        raise ClosedRecord(
            "account",
            N_(
                "the account {row_iban} of supplier {party_code} is "
                "{row_status}, not waiting for a decision"
            ),
            value=account_id,
            row_iban=row.iban,
            party_code=party.code,
            row_status=Word(row.status),
        )
    return row, party


def confirm_account(session: Session, account_id: int, *, actor: str) -> PayeeAccount:
    """Verify a pending account: the supplier is paid into it from now on (the account
    before it kept as ``replaced``). Refused to anyone who entered it or uploaded a
    document naming it (:class:`FourEyes`)."""
    row, party = _decidable(session, account_id)
    if actor in row.proposers:
        raise FourEyes(
            "account",
            N_(
                "four-eyes rule: {actor} brought in the account {row_iban} of "
                "supplier {party_code}; another staff login must confirm it"
            ),
            value=account_id,
            actor=actor,
            row_iban=row.iban,
            party_code=party.code,
        )
    _lock(session, party)
    _replace(session, party, row, actor=actor)
    row.status = PayeeStatus.VERIFIED.value
    row.decided_by, row.decided_at = actor, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="payee_account.confirm",
        subject=_subject(party),
        data={"account": row.id, "iban": row.iban, "bic": row.bic, "proposers": row.proposers},
    )
    return row


def reject_account(session: Session, account_id: int, *, actor: str, reason: str) -> PayeeAccount:
    """Refuse a pending account: nothing is ever paid into it; the invoices whose
    documents named it are paid into the supplier's verified account."""
    reason = reason.strip()
    if not reason:
        raise InvalidAct("reason", N_("say why the account is rejected"))
    row, party = _decidable(session, account_id)
    row.status = PayeeStatus.REJECTED.value
    row.decided_by, row.decided_at, row.reason = actor, utcnow(), reason[:2000]
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="payee_account.reject",
        subject=_subject(party),
        reason=reason,
        data={"account": row.id, "iban": row.iban, "proposers": row.proposers},
    )
    return row


def accounts(
    session: Session,
    *,
    statuses: Collection[PayeeStatus] | None = None,
    party_ids: Collection[int] | None = None,
    limit: int | None = None,
) -> list[tuple[PayeeAccount, Party]]:
    """Supplier accounts with their supplier, the pending first then by supplier and
    date (``statuses``, ``party_ids``: only those; ``limit``: at most that many)."""
    query = (
        select(PayeeAccount, Party)
        .join(Party, Party.id == PayeeAccount.party_id)
        .order_by(
            case((PayeeAccount.status == PayeeStatus.PENDING.value, 0), else_=1),
            Party.code,
            PayeeAccount.id,
        )
        .limit(limit)
    )
    if statuses is not None:
        query = query.where(PayeeAccount.status.in_([s.value for s in statuses]))
    if party_ids is not None:
        query = query.where(PayeeAccount.party_id.in_(party_ids))
    return [(account, party) for account, party in session.execute(query)]


def payment_holds(session: Session, purchases: Sequence[Purchase]) -> dict[int, PayeeHold]:
    """The supplier invoices of ``purchases`` that no payment may pay yet, by id, with
    why (see the module): the supplier has no verified account, or the invoice's
    document named an account waiting for a staff decision."""
    parties = sorted({p.party_id for p in purchases})
    verified: dict[int, str] = {}
    pending: set[tuple[int, str]] = set()
    codes: dict[int, str] = {}
    for part in chunks(parties):
        for party_id, code, iban, status in session.execute(
            select(Party.id, Party.code, PayeeAccount.iban, PayeeAccount.status)
            .outerjoin(
                PayeeAccount,
                (PayeeAccount.party_id == Party.id)
                & PayeeAccount.status.in_([PayeeStatus.VERIFIED.value, PayeeStatus.PENDING.value]),
            )
            .where(Party.id.in_(part))
        ):
            codes[party_id] = code
            if status == PayeeStatus.VERIFIED.value:
                verified[party_id] = iban
            elif status == PayeeStatus.PENDING.value:
                pending.add((party_id, iban))
    holds: dict[int, PayeeHold] = {}
    for purchase in purchases:
        code, named = codes[purchase.party_id], purchase.payee_iban
        current = verified.get(purchase.party_id)
        what = f"purchase {purchase.supplier_reference} of supplier {code}"
        if current is None:
            waiting = f"; IBAN {named} waits for staff confirmation" if named else ""
            holds[purchase.id] = PayeeHold(
                purchase.id,
                "no_verified_account",
                named,
                None,
                f"{what}: the supplier has no verified bank account{waiting}",
            )
        elif named is not None and named != current and (purchase.party_id, named) in pending:
            holds[purchase.id] = PayeeHold(
                purchase.id,
                "account_pending",
                named,
                current,
                f"{what}: its document asks payment to IBAN {named}, not the verified "
                f"account {current}; nothing is paid until staff confirm or reject it",
            )
    return holds

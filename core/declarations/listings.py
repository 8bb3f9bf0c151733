"""The listings of clients and the VAT return as filed: files for the administration.

The core knows each client's sales as the books hold them; the country knows which
clients its law lists, above which threshold, in which format. So the core sums, per
client and VAT code, what the posted sales lines hold over the period (the taxable
base on the sales account, the VAT on the VAT-collected account, credit notes
deducted, internal invoices left out since they are no sale of the legal person), and
hands the sums to the country's ``partage_sales_listing`` hook, which writes:

* Belgium: the annual listing of VAT-registered customers (Code TVA art. 53quinquies,
  AR n°23) and the listing of intra-EU supplies (art. 53sexies), in Intervat XML;
* France: the état récapitulatif des clients intracommunautaires (CGI art. 289 B).

The periodic VAT return is filed from the boxes the country's ``partage_vat_return``
filled (:mod:`.returns`), through ``partage_vat_return_file`` (Belgium: Intervat
``VATConsignment``).

Every file made is recorded in the audit trail (who, which listing, which period, the
file's digest): handing a declaration to the administration is an act.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative, InvalidAct
from partage.core.contract import (
    Declarant,
    DeclarationFile,
    ListedSale,
    SalesListing,
    VatReturnFiling,
)
from partage.core.contract.accounting import PostingRole
from partage.core.contract.errors import N_
from partage.core.contract.money import from_minor
from partage.core.contract.periods import Period
from partage.core.declarations.returns import vat_return
from partage.core.ledger.models import EntryKind
from partage.core.ledger.queries import ACCOUNT, ENTRY, LINE
from partage.core.ledger.statutory import INTERNAL_ACTS
from partage.core.members.models import Party
from partage.core.platform import audit
from partage.core.platform.issuer import Issuer

#: The listings a country may write, by the name the CLI and the web give them.
KINDS = {"customers": "listing", "eu_sales": "eu-sales"}


def declarant(issuer: Issuer) -> Declarant:
    """The cooperative as it files: its issuer facts."""
    return Declarant(
        issuer.legal_name, issuer.vat_number, issuer.company_id, issuer.address, issuer.email
    )


def listed_sales(session: Session, period: Period, currency: str) -> tuple[ListedSale, ...]:
    """Every client's sales of the period per VAT code, from the posted sales lines."""
    roles = (PostingRole.SALES.value, PostingRole.VAT_COLLECTED.value)
    query = (
        select(
            LINE.c.partner,
            LINE.c.vat_code,
            ACCOUNT.c.role,
            func.sum(LINE.c.credit - LINE.c.debit),
        )
        .select_from(LINE)
        .join(ACCOUNT, ACCOUNT.c.id == LINE.c.account_id)
        .join(ENTRY, ENTRY.c.id == LINE.c.entry_id)
        .where(
            and_(
                LINE.c.date >= period.start,
                LINE.c.date <= period.end,
                LINE.c.kind == EntryKind.NORMAL.value,
                ACCOUNT.c.role.in_(roles),
                LINE.c.vat_code.is_not(None),
                LINE.c.partner.is_not(None),
                or_(ENTRY.c.act_type.is_(None), not_(ENTRY.c.act_type.in_(INTERNAL_ACTS))),
            )
        )
        .group_by(LINE.c.partner, LINE.c.vat_code, ACCOUNT.c.role)
    )
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for partner, code, role, total in session.execute(query):
        sums[(partner, code)][0 if role == PostingRole.SALES.value else 1] += int(total or 0)
    if not sums:
        return ()
    parties = {
        p.code: p
        for p in session.scalars(select(Party).where(Party.code.in_(sorted({k[0] for k in sums}))))
    }
    return tuple(
        ListedSale(
            partner,
            parties[partner].name,
            parties[partner].country,
            parties[partner].vat_number,
            code,
            from_minor(base, currency),
            from_minor(vat, currency),
        )
        for (partner, code), (base, vat) in sorted(sums.items())
        if partner in parties
    )


def _country(coop: Cooperative) -> str:
    return str(coop.plugins.hook.partage_country_identity().code)


def _record(
    session: Session, made: DeclarationFile, *, actor: str, subject: str
) -> DeclarationFile:
    audit.record(
        session,
        actor=actor,
        action="declaration.export",
        subject=subject,
        reason=made.filename,
        data={
            "kind": made.kind,
            "format": made.format,
            "size": len(made.content),
            "sha256": hashlib.sha256(made.content).hexdigest(),
        },
    )
    return made


def sales_listing(
    session: Session,
    coop: Cooperative,
    issuer: Issuer,
    kind: str,
    period: Period,
    *,
    actor: str,
) -> DeclarationFile:
    """The country's listing of clients of a period, as its administration takes it."""
    if kind not in KINDS:
        raise InvalidAct("kind", N_("no listing {given}"), given=kind)
    listing = SalesListing(
        kind, declarant(issuer), period, coop.currency, listed_sales(session, period, coop.currency)
    )
    made = coop.plugins.hook.partage_sales_listing(listing=listing)
    if made is None:
        raise InvalidAct(
            "kind",
            N_("the country {country} has no listing {given}"),
            given=KINDS[kind],
            country=_country(coop),
        )
    return _record(session, made, actor=actor, subject=f"{kind}:{period.label}")


def vat_return_file(
    session: Session, coop: Cooperative, issuer: Issuer, period: Period, *, actor: str
) -> DeclarationFile:
    """The VAT return of a month or quarter in the administration's electronic format."""
    declared = vat_return(session, coop, period)
    filing = VatReturnFiling(declarant(issuer), period, coop.currency, tuple(declared.boxes))
    made = coop.plugins.hook.partage_vat_return_file(filing=filing)
    if made is None:
        raise InvalidAct(
            "period",
            N_("the country {country} files its VAT return in no electronic format here"),
            country=_country(coop),
        )
    return _record(session, made, actor=actor, subject=f"vat_return:{period.label}")

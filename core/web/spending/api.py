"""API of spending: an entity's expense claims, and the supplier invoices and credit
notes booked for it, a supplier's e-invoice imported among them.

Each act runs in one transaction through the spending services, so a refusal leaves
nothing written; the access rules are checked inside that same transaction.
"""

from __future__ import annotations

import base64
import binascii

from litestar import Controller, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access.roles import acting_member, reachable_entity
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_
from partage.core.documents import importing
from partage.core.platform.db.engine import transaction
from partage.core.platform.limits import bounded, bounded_base64
from partage.core.spending import expenses
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, SiteDep, day
from partage.core.web.problems import PROBLEM_JSON, problem_spec
from partage.core.web.spending import schemas as s
from partage.core.web.spending import views

#: The refusals of the supplier document import, for the OpenAPI document.
IMPORT_ERRORS = {
    404: problem_spec("no such entity among those the login reaches"),
    409: problem_spec("the entity cannot afford the purchase, or its period is closed"),
    413: problem_spec("the document is larger than [limits] einvoice_bytes"),
    422: ResponseSpec(
        data_container=s.ImportProblemOut,
        media_type=PROBLEM_JSON,
        description=(
            "the document is refused (every finding, with its official rule and XML line), "
            "or content_base64 is not base64"
        ),
        generate_examples=False,
    ),
}


def decoded(text: str, field: str, limit: int, setting: str) -> bytes:
    """A base64 field's bytes, or a refusal naming the field: 413 when it would decode
    to more than ``limit`` bytes (judged before decoding), 422 when it is not base64."""
    bounded_base64(field, text, limit, setting)
    try:
        content = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidAct(field, N_("is not valid base64")) from None
    bounded(field, len(content), limit, setting)
    return content


class SpendingController(Controller):
    """Expense claims and supplier invoices of an entity."""

    path = "/entities/{code:str}"
    tags = ("spending and pay",)
    dependencies = AUTHENTICATED

    @get("/expense-claims", operation_id="list_expense_claims", sync_to_thread=True)
    def list_claims(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.ExpenseOut]:
        with site.sessions() as session:
            return views.expense_claims(
                session, site.coop, reachable_entity(session, principal, code)
            )

    @post(
        "/expense-claims",
        operation_id="claim_expense",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        responses={413: problem_spec("the receipt is larger than [limits] receipt_bytes")},
    )
    def claim(
        self, code: CodePath, data: JSONBody[s.ExpenseIn], site: SiteDep, principal: Me
    ) -> s.ExpenseOut:
        """Claim a professional expense paid by a holder (receipt as base64); the funds
        check counts net + VAT. VAT that no rate of the country explains for the category
        leaves the claim ``pending`` for an adviser (``GET /entities/{code}/pending``)."""
        receipt = decoded(
            data.receipt_base64, "receipt_base64", site.limits.receipt_bytes, "receipt_bytes"
        )
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = acting_member(principal, data.member, N_("claim expenses"))
            claim = expenses.claim_expense(
                session,
                site.coop,
                entity=entity.code,
                member=member,
                category=data.category,
                net=data.net,
                vat=data.vat,
                rate_code=data.rate_code,
                on=on,
                receipt_name=data.receipt_name,
                receipt=receipt,
                description=data.description,
                actor=principal.actor,
            )
            waiting = views.expense_waiting(session, claim.id)
            return views.expense_out(claim, entity.code, member, site.currency, waiting)

    @get("/purchases", operation_id="list_purchases", sync_to_thread=True)
    def list_purchases(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.PurchaseOut]:
        """Supplier invoices and credit notes booked for the entity, the newest first."""
        with site.sessions() as session:
            return views.purchases(session, site.coop, reachable_entity(session, principal, code))

    @post(
        "/purchases/import",
        operation_id="import_purchase",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        responses=IMPORT_ERRORS,
    )
    def import_purchase(
        self, code: CodePath, data: JSONBody[s.PurchaseImportIn], site: SiteDep, principal: Me
    ) -> s.PurchaseImportOut:
        """Book a supplier's e-invoice or credit note (Peppol UBL, Factur-X PDF or CII XML,
        as base64): one purchase per VAT rate, the supplier registered from the document
        if new. It must be addressed to the cooperative and pass the official EN 16931
        rules; a refusal lists every finding and books nothing. The same document again
        books nothing and says ``replayed``."""
        content = decoded(
            data.content_base64, "content_base64", site.limits.einvoice_bytes, "einvoice_bytes"
        )
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            done = importing.import_purchase(
                session,
                site.coop,
                content,
                entity=entity.code,
                actor=principal.actor,
                issuer=site.coop.instance.issuer,
                category=data.category,
            )
            return views.imported_out(done, site.coop, entity.code, data.filename)

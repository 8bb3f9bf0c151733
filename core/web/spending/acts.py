"""API of an entity's other economic acts: a paper supplier invoice with its file,
expenses with several receipts, invoices between entities of the cooperative, copyright
cessions, subsidies, gifts and sponsorship.

Each act runs in one transaction through the spending services, so a refusal leaves
nothing written; the access rules are checked inside that same transaction. What a
member declares that would raise the entity's funds (a subsidy, a gift) waits for staff
of the office (``GET /entities/{code}/pending``); what spends is checked against the
entity's funds and committed at once.
"""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.datastructures import ResponseHeader
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED

from partage.core.access.parties import reachable_party
from partage.core.access.roles import Forbidden, acting_member, reachable_entity
from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import N_
from partage.core.platform.db.engine import transaction
from partage.core.spending import copyright, expenses, internal_invoices, other_income, purchases
from partage.core.spending.receipts import receipt_of
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, SiteDep, day
from partage.core.web.problems import problem_spec
from partage.core.web.schemas import LARGEST_ID
from partage.core.web.spending import schemas as s
from partage.core.web.spending import views
from partage.core.web.spending.api import decoded

IdPath = Annotated[int, PathParameter(ge=1, le=LARGEST_ID, description="the purchase's id")]
NumberPath = Annotated[
    str, PathParameter(max_length=32, description="the internal invoice's number")
]
#: The headers of a kept file's answer, for the OpenAPI document.
RECEIPT_HEADERS = [
    ResponseHeader(
        name="Content-Disposition",
        description='attachment; filename="<the uploaded file name>"',
        documentation_only=True,
    ),
    ResponseHeader(
        name="X-Receipt-Type",
        description="what the file is: application/pdf, image/png, image/jpeg or image/webp",
        documentation_only=True,
    ),
]
#: The refusal of a file over its limit, for the OpenAPI document.
TOO_LARGE = {413: problem_spec("a file is larger than [limits] receipt_bytes")}


def disposition(filename: str) -> str:
    """An ``attachment`` disposition whose quoted name cannot break the header."""
    safe = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename
    )
    return f'attachment; filename="{safe}"'


class ActsController(Controller):
    """An entity's paper purchases, expense claims with several receipts, internal
    invoices, copyright cessions and other income."""

    path = "/entities/{code:str}"
    tags = ("spending and pay",)
    dependencies = AUTHENTICATED

    @post(
        "/purchases/paper",
        operation_id="record_paper_purchase",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        responses=TOO_LARGE,
    )
    def paper_purchase(
        self, code: CodePath, data: JSONBody[s.PaperPurchaseIn], site: SiteDep, principal: Me
    ) -> s.PurchaseOut:
        """Book a supplier invoice that came on paper or as a plain PDF, with its file (a
        PDF or an image, as base64), kept with the purchase for staff and the
        accountant. Its amount excluding VAT is checked against the entity's funds and
        committed at once; it is paid only into the supplier's account staff verified."""
        receipt = decoded(
            data.receipt_base64, "receipt_base64", site.limits.receipt_bytes, "receipt_bytes"
        )
        on = day(site, data.on, "on")
        due = day(site, data.due_on, "due_on") if data.due_on else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            reachable_party(session, principal, data.supplier)
            row = purchases.record_paper_purchase(
                session,
                site.coop,
                entity=entity.code,
                supplier=data.supplier,
                supplier_reference=data.supplier_reference,
                net=data.net,
                on=on,
                due_on=due,
                actor=principal.actor,
                receipt_name=data.receipt_name,
                receipt=receipt,
                category=data.category,
                rate_code=data.rate_code,
                description=data.description,
                payment_reference=data.payment_reference,
            )
            return views.purchases(session, site.coop, entity, ids=[row.id])[0]

    @get(
        "/purchases/{purchase_id:int}/receipt",
        operation_id="purchase_receipt",
        sync_to_thread=True,
        media_type="application/octet-stream",
        response_description=(
            "the file kept with the purchase, as an attachment; X-Receipt-Type: what it is "
            "(application/pdf, image/png, image/jpeg or image/webp)"
        ),
        response_headers=RECEIPT_HEADERS,
        responses={404: problem_spec("no such purchase, or no file kept with it")},
    )
    def purchase_receipt(
        self, code: CodePath, purchase_id: IdPath, site: SiteDep, principal: Me
    ) -> Response[bytes]:
        """The file a paper purchase was booked with (a PDF or an image)."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            if not views.purchases(session, site.coop, entity, ids=[purchase_id]):
                raise NotFound("purchase", N_("no such purchase"), value=purchase_id)
            kept = receipt_of(session, "purchase", purchase_id)
            return Response(
                kept.content,
                media_type="application/octet-stream",
                headers={
                    "Content-Disposition": disposition(kept.name),
                    "X-Receipt-Type": kept.media_type,
                },
            )

    @get("/expense-categories", operation_id="expense_categories", sync_to_thread=True)
    def categories(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.CategoryOut]:
        """The expense categories in force for the entity today: the core's and those of
        its sectors in force (an expense in another category is refused)."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            found = expenses.categories_in_force(session, site.coop, entity, site.today())
        return [s.CategoryOut(code=c, label=label) for c, label in found]

    @post(
        "/expense-claims/receipts",
        operation_id="claim_expenses",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        responses=TOO_LARGE,
    )
    def claim_several(
        self, code: CodePath, data: JSONBody[s.ExpenseClaimsIn], site: SiteDep, principal: Me
    ) -> list[s.ExpenseOut]:
        """Claim several expenses at once, each line with its own receipt (a PDF or an
        image, as base64, kept with it); all or none, a refusal naming the line. Each
        is checked against the entity's funds after the lines before it."""
        lines = [
            expenses.ExpenseLine(
                category=line.category,
                net=line.net,
                vat=line.vat,
                receipt_name=line.receipt_name,
                receipt=decoded(
                    line.receipt_base64,
                    f"lines[{n}].receipt_base64",
                    site.limits.receipt_bytes,
                    "receipt_bytes",
                ),
                description=line.description,
            )
            for n, line in enumerate(data.lines, start=1)
        ]
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = acting_member(principal, data.member, N_("claim expenses"))
            claims = expenses.claim_expenses(
                session,
                site.coop,
                entity=entity.code,
                member=member,
                lines=lines,
                on=on,
                actor=principal.actor,
            )
            return [
                views.expense_out(
                    c, entity.code, member, site.currency, views.expense_waiting(session, c.id)
                )
                for c in claims
            ]

    @get("/internal-invoices", operation_id="list_internal_invoices", sync_to_thread=True)
    def list_internal(
        self, code: CodePath, site: SiteDep, principal: Me
    ) -> list[s.InternalInvoiceOut]:
        """The internal invoices the entity sent or received, those waiting first."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            return views.internal_invoices(session, site.coop, entity)

    @post(
        "/internal-invoices",
        operation_id="propose_internal_invoice",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def propose(
        self, code: CodePath, data: JSONBody[s.InternalInvoiceIn], site: SiteDep, principal: Me
    ) -> s.InternalInvoiceOut:
        """Invoice work to another entity of the cooperative (no VAT: one legal person).
        Nothing moves until the buyer's holder accepts it."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            row = internal_invoices.propose_internal_invoice(
                session,
                site.coop,
                seller=entity.code,
                buyer=data.buyer,
                amount=data.amount,
                description=data.description,
                on=on,
                actor=principal.actor,
            )
            return views.internal_of(session, site.coop, row)

    @post(
        "/internal-invoices/{number:str}/decision",
        operation_id="decide_internal_invoice",
        sync_to_thread=True,
        status_code=200,
        responses={409: problem_spec("already decided, or the buyer's funds cannot bear it")},
    )
    def decide(
        self,
        code: CodePath,
        number: NumberPath,
        data: JSONBody[s.InternalDecisionIn],
        site: SiteDep,
        principal: Me,
    ) -> s.InternalInvoiceOut:
        """The buyer's holder accepts (the amount is checked against the buyer's funds,
        then moves to the seller's) or refuses an internal invoice; ``code`` is the
        buyer's entity. Only a holder of the buyer decides."""
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            row = views.internal_invoice_of(session, entity, number)
            if row.buyer_id != entity.id or principal.member_number is None:
                raise Forbidden("internal invoice", N_("only a holder of the buyer entity decides"))
            internal_invoices.decide_internal_invoice(
                session,
                site.coop,
                number,
                accept=data.accept,
                by_member=principal.member_number,
                on=site.today(),
                actor=principal.actor,
                reason=data.reason,
            )
            return views.internal_of(session, site.coop, row)

    @post(
        "/copyright-cessions",
        operation_id="cede_copyright",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def cede(
        self, code: CodePath, data: JSONBody[s.CopyrightIn], site: SiteDep, principal: Me
    ) -> s.CopyrightOut:
        """A holder cedes their copyright on a work to the entity, which pays them
        copyright income taxed as the country's regime says; refused where the country
        has none, or a sector in force refuses it, naming the rule. Checked against the
        entity's funds."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            member = acting_member(principal, data.member, N_("cede copyright"))
            row = copyright.cede_copyright(
                session,
                site.coop,
                entity=entity.code,
                member=member,
                work=data.work,
                amount=data.amount,
                on=on,
                actor=principal.actor,
            )
            return views.copyright_out(row, entity.code, member, site.currency)

    @post(
        "/other-income",
        operation_id="declare_other_income",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def declare_income(
        self, code: CodePath, data: JSONBody[s.OtherIncomeIn], site: SiteDep, principal: Me
    ) -> s.OtherIncomeOut:
        """Declare a subsidy or a gift (patronage: no VAT, nothing in return) received:
        it counts once staff of the office validate that the money came."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            reachable_party(session, principal, data.funder)
            row = other_income.record_other_income(
                session,
                site.coop,
                kind=data.kind,
                entity=entity.code,
                funder=data.funder,
                amount=data.amount,
                on=on,
                actor=principal.actor,
                reference_=data.reference,
            )
            return views.income_out(session, row, entity.code, site.currency)

    @post(
        "/sponsorships",
        operation_id="invoice_sponsorship",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def sponsorship(
        self, code: CodePath, data: JSONBody[s.SponsorshipIn], site: SiteDep, principal: Me
    ) -> s.OtherIncomeOut:
        """Invoice a sponsorship to the sponsor: a sale, with its VAT and the management
        fee; its money counts as any invoice's."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            reachable_party(session, principal, data.sponsor)
            row, _ = other_income.invoice_sponsorship(
                session,
                site.coop,
                entity=entity.code,
                sponsor=data.sponsor,
                amount=data.amount,
                description=data.description,
                rate_code=data.rate_code,
                on=on,
                actor=principal.actor,
            )
            return views.income_out(session, row, entity.code, site.currency)

"""API of sales: an entity's quotes, invoices and credit notes, their PDF and e-invoice
files, and the payments its clients make.

Each act runs in one transaction through the sales services, so a refusal leaves
nothing written; the access rules are checked inside that same transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post, put
from litestar.datastructures import ResponseHeader
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import JSONBody, Parameter, PathParameter
from litestar.status_codes import HTTP_201_CREATED
from sqlalchemy import select

from partage.core.access.enums import Role
from partage.core.access.parties import reachable_party
from partage.core.access.roles import Forbidden, entity_scope, reachable_entity, require
from partage.core.contract.errors import N_
from partage.core.members.models import Entity
from partage.core.platform.db.engine import transaction
from partage.core.sales import credit_notes, drafts, invoices, payments
from partage.core.sales.invoices import Discount, LineInput
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, NumberPath, SiteDep, day
from partage.core.web.problems import problem_spec
from partage.core.web.sales import schemas as s
from partage.core.web.sales import views
from partage.core.web.sales.invoice_files import PRODUCERS, download, issued_file, quote_file
from partage.core.web.schemas import money

LanguageQuery = Annotated[
    str | None,
    Parameter(
        max_length=8,
        description="language of the document when it is produced now (default: the "
        "instance's first language); a file already issued keeps its language",
    ),
]
#: The refusals of the file endpoints, for the OpenAPI document.
FILE_ERRORS = {
    304: ResponseSpec(None, description="the client holds this file already (If-None-Match)"),
    404: problem_spec("no such entity or invoice among those the login reaches"),
    409: problem_spec("the instance has no [instance.issuer] table: it issues no documents"),
    422: problem_spec("the country's format refuses the invoice; the rule is named"),
}
#: The headers of a file answer, for the OpenAPI document.
FILE_HEADERS = [
    ResponseHeader(
        name="ETag",
        description="the file's SHA-256, quoted: the same for every request",
        documentation_only=True,
    ),
    ResponseHeader(
        name="Content-Disposition",
        description='attachment; filename="<the stored file name>"',
        documentation_only=True,
    ),
]


def lines_of(data: list[s.LineIn]) -> list[LineInput]:
    return [
        LineInput(
            x.description,
            x.quantity,
            x.unit_price,
            x.rate_code,
            x.supply,
            unit=x.unit,
            discount_percent=x.discount_percent,
            discount_amount=x.discount_amount,
        )
        for x in data
    ]


def discount_of(percent: str | None, amount: str | None) -> Discount | None:
    """The document discount of a body, if it gives one."""
    discount = Discount(percent, amount)
    return discount if discount else None


ReferencePath = Annotated[str, PathParameter(max_length=32)]
STAFF = (Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR)


class DocumentsController(Controller):
    """Quotes, invoices and payments of an entity."""

    path = "/entities/{code:str}"
    tags = ("sales",)
    dependencies = AUTHENTICATED

    @get("/quotes", operation_id="list_quotes", sync_to_thread=True)
    def list_quotes(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.QuoteOut]:
        """Every version of the entity's quotes, the latest first."""
        with site.sessions() as session:
            return views.quotes(session, site.coop, reachable_entity(session, principal, code))

    @post("/quotes", operation_id="send_quote", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def send_quote(
        self, code: CodePath, data: JSONBody[s.QuoteIn], site: SiteDep, principal: Me
    ) -> s.QuoteOut:
        """Send a quote (or a new version of one, with ``revises``)."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            if data.revises is not None:
                views.own_quote(session, entity, data.revises)
            reachable_party(session, principal, data.client)
            quote = invoices.send_quote(
                session,
                site.coop,
                entity=entity.code,
                client=data.client,
                lines=lines_of(data.lines),
                on=on,
                valid_days=data.valid_days,
                revises=data.revises,
                actor=principal.actor,
                discount=discount_of(data.discount_percent, data.discount_amount),
                notes=data.notes,
            )
            return views.quote_out(quote, entity.code, data.client, site.currency)

    @post(
        "/quotes/{reference:str}/decision",
        operation_id="decide_quote",
        sync_to_thread=True,
        status_code=200,
    )
    def decide_quote(
        self,
        code: CodePath,
        reference: Annotated[str, PathParameter(max_length=32)],
        data: JSONBody[s.DecisionIn],
        site: SiteDep,
        principal: Me,
    ) -> s.QuoteOut:
        """Record the client's answer to the latest version of a quote."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            views.own_quote(session, entity, reference)
            quote = invoices.decide_quote(
                session, site.coop, reference, accept=data.accept, on=on, actor=principal.actor
            )
            party = views.party_code(session, quote.party_id)
            return views.quote_out(quote, entity.code, party, site.currency)

    @get("/quotes/{reference:str}/progress", operation_id="quote_progress", sync_to_thread=True)
    def quote_progress(
        self, code: CodePath, reference: ReferencePath, site: SiteDep, principal: Me
    ) -> s.ProgressOut:
        """What has been invoiced of a quote: deposits, all invoices, what is left."""
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            views.own_quote(session, entity, reference)
            return views.progress_out(
                reference, invoices.quote_progress(session, site.coop, reference)
            )

    @post(
        "/quotes/{reference:str}/deposit",
        operation_id="invoice_deposit",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def invoice_deposit(
        self,
        code: CodePath,
        reference: ReferencePath,
        data: JSONBody[s.DepositIn],
        site: SiteDep,
        principal: Me,
    ) -> s.InvoiceOut:
        """Invoice a deposit on an accepted quote (a percentage or an amount excluding
        VAT), shared among its VAT rates."""
        on = day(site, data.on, "on")
        due = day(site, data.due_on, "due_on") if data.due_on else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            views.own_quote(session, entity, reference)
            invoice = invoices.issue_deposit(
                session, site.coop, quote=reference, on=on, actor=principal.actor,
                percent=data.percent, amount=data.amount, due_on=due,
            )  # fmt: skip
            party = views.party_code(session, invoice.party_id)
            return views.invoice_out(invoice, entity.code, party, invoice.total, site.currency)

    @post(
        "/quotes/{reference:str}/balance",
        operation_id="invoice_balance",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def invoice_balance(
        self,
        code: CodePath,
        reference: ReferencePath,
        data: JSONBody[s.BalanceIn],
        site: SiteDep,
        principal: Me,
    ) -> s.InvoiceOut:
        """Invoice the balance of an accepted quote: its lines less the deposits."""
        on = day(site, data.on, "on")
        due = day(site, data.due_on, "due_on") if data.due_on else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            views.own_quote(session, entity, reference)
            invoice = invoices.issue_balance(
                session, site.coop, quote=reference, on=on, actor=principal.actor, due_on=due
            )
            party = views.party_code(session, invoice.party_id)
            return views.invoice_out(invoice, entity.code, party, invoice.total, site.currency)

    @post(
        "/invoices/{number:str}/credit-note",
        operation_id="issue_credit_note",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def issue_credit_note(
        self,
        code: CodePath,
        number: NumberPath,
        data: JSONBody[s.CreditNoteIn],
        site: SiteDep,
        principal: Me,
    ) -> s.InvoiceOut:
        """Credit an invoice of the entity, in full or by the lines given."""
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            views.own_invoice(session, entity, number)
            note = credit_notes.issue_credit_note(
                session, site.coop, invoice=number, on=on, actor=principal.actor,
                reason=data.reason, lines=None if data.lines is None else lines_of(data.lines),
            )  # fmt: skip
            party = views.party_code(session, note.party_id)
            return views.invoice_out(note, entity.code, party, 0, site.currency)

    @post("/drafts", operation_id="save_draft", sync_to_thread=True, status_code=HTTP_201_CREATED)
    def save_draft(
        self, code: CodePath, data: JSONBody[s.DraftIn], site: SiteDep, principal: Me
    ) -> s.DraftOut:
        """Save a draft quote or invoice: no number, nothing posted."""
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            if data.client:
                reachable_party(session, principal, data.client)
            draft = drafts.save_draft(
                session, site.coop, entity=entity.code, kind=data.kind, client=data.client,
                lines=lines_of(data.lines), actor=principal.actor, notes=data.notes,
                discount=discount_of(data.discount_percent, data.discount_amount),
            )  # fmt: skip
            return views.draft_out(draft, entity.code)

    @post(
        "/drafts/{draft_id:int}",
        operation_id="edit_draft",
        sync_to_thread=True,
        status_code=200,
    )
    def edit_draft(
        self, code: CodePath, draft_id: s.DraftPath, data: JSONBody[s.DraftIn], site: SiteDep,
        principal: Me,
    ) -> s.DraftOut:  # fmt: skip
        """Save a draft again (a draft, or one the office returned)."""
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            views.own_draft(session, entity, draft_id)
            if data.client:
                reachable_party(session, principal, data.client)
            draft = drafts.save_draft(
                session, site.coop, entity=entity.code, kind=data.kind, client=data.client,
                lines=lines_of(data.lines), actor=principal.actor, notes=data.notes,
                discount=discount_of(data.discount_percent, data.discount_amount),
                draft_id=draft_id,
            )  # fmt: skip
            return views.draft_out(draft, entity.code)

    @post(
        "/drafts/{draft_id:int}/submit",
        operation_id="submit_draft",
        sync_to_thread=True,
        status_code=200,
    )
    def submit_draft(
        self, code: CodePath, draft_id: s.DraftPath, site: SiteDep, principal: Me
    ) -> s.DraftOut:
        """Submit a draft: to the office's staff where the office validates documents
        (``status: submitted``), else issued at once (``status: issued``)."""
        on = site.today()
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            views.own_draft(session, entity, draft_id)
            draft = drafts.submit_draft(session, site.coop, draft_id, on=on, actor=principal.actor)
            return views.draft_out(draft, entity.code)

    @get("/invoices", operation_id="list_invoices", sync_to_thread=True)
    def list_invoices(self, code: CodePath, site: SiteDep, principal: Me) -> list[s.InvoiceOut]:
        """Invoices and credit notes of the entity, with what is still owed."""
        with site.sessions() as session:
            return views.invoices(session, site.coop, reachable_entity(session, principal, code))

    @post(
        "/invoices",
        operation_id="issue_invoice",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def issue_invoice(
        self, code: CodePath, data: JSONBody[s.InvoiceIn], site: SiteDep, principal: Me
    ) -> s.InvoiceOut:
        """Issue an invoice in the entity's name (the management fee is taken on it)."""
        on = day(site, data.on, "on")
        due = day(site, data.due_on, "due_on") if data.due_on else None
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            if data.quote is not None:
                views.own_quote(session, entity, data.quote)
            reachable_party(session, principal, data.client)
            invoice = invoices.issue_invoice(
                session,
                site.coop,
                entity=entity.code,
                client=data.client,
                lines=lines_of(data.lines),
                on=on,
                due_on=due,
                quote=data.quote,
                tender_reference=data.tender_reference,
                actor=principal.actor,
                discount=discount_of(data.discount_percent, data.discount_amount),
                notes=data.notes,
                supplied_on=data.supplied_on,
            )
            return views.invoice_out(
                invoice, entity.code, data.client, invoice.total, site.currency
            )

    @get(
        "/invoices/{number:str}/pdf",
        operation_id="invoice_pdf",
        sync_to_thread=True,
        media_type="application/pdf",
        response_description="the PDF, as an attachment; ETag: its SHA-256",
        responses=FILE_ERRORS,
        response_headers=FILE_HEADERS,
    )
    def invoice_pdf(
        self,
        request: Request[Any, Any, Any],
        code: CodePath,
        number: NumberPath,
        site: SiteDep,
        principal: Me,
        language: LanguageQuery = None,
    ) -> Response[bytes]:
        """The PDF of an invoice or credit note: produced and kept on the first request
        (an audited act), the same bytes ever after; ``If-None-Match`` with its ETag
        answers 304."""
        stored = issued_file(site, principal, code, number, PRODUCERS["pdf"], language=language)
        return download(request, stored)

    @get(
        "/quotes/{reference:str}/pdf",
        operation_id="quote_pdf",
        sync_to_thread=True,
        media_type="application/pdf",
        response_description="the PDF of the quote's latest version, as an attachment",
        responses=FILE_ERRORS,
        response_headers=FILE_HEADERS,
    )
    def quote_pdf(
        self,
        request: Request[Any, Any, Any],
        code: CodePath,
        reference: ReferencePath,
        site: SiteDep,
        principal: Me,
        language: LanguageQuery = None,
    ) -> Response[bytes]:
        """The PDF of a quote (its latest version), with the validity date and the
        client's "good for agreement" block; rendered on each request (nothing is
        stored: a quote is an offer), ``ETag`` its SHA-256."""
        return download(request, quote_file(site, principal, code, reference, language=language))

    @get(
        "/invoices/{number:str}/einvoice",
        operation_id="invoice_einvoice",
        sync_to_thread=True,
        media_type="application/xml",
        response_description=(
            "the e-invoice in the country's format, as an attachment (Peppol BIS UBL: "
            "application/xml; Factur-X: application/pdf); ETag: its SHA-256"
        ),
        responses=FILE_ERRORS,
        response_headers=FILE_HEADERS,
    )
    def invoice_einvoice(
        self,
        request: Request[Any, Any, Any],
        code: CodePath,
        number: NumberPath,
        site: SiteDep,
        principal: Me,
        language: LanguageQuery = None,
    ) -> Response[bytes]:
        """The e-invoice of an invoice or credit note in the country's format, produced
        and kept on the first request (its PDF too); 422 naming the rule when the format
        refuses the invoice (a private client without an electronic address)."""
        stored = issued_file(
            site, principal, code, number, PRODUCERS["einvoice"], language=language
        )
        return download(request, stored)

    @post(
        "/payments",
        operation_id="receive_payment",
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
    )
    def receive_payment(
        self, code: CodePath, data: JSONBody[s.PaymentIn], site: SiteDep, principal: Me
    ) -> s.PaymentOut:
        """Declare cash or a cheque received from a client (members) or record a bank
        payment (office staff); idempotent by ``key``. Cash and cheques are declared, not
        seen by a bank: they answer ``status: pending`` and count once staff of the
        entity's office, another login, validate them (``POST /pending/{id}/validate``)."""
        if data.method == "bank" and not principal.is_staff:
            raise Forbidden(
                "method",
                N_("bank payments are recorded by office staff; declare cash or a cheque"),
            )
        on = day(site, data.on, "on")
        with transaction(site.sessions) as session:
            entity = reachable_entity(session, principal, code)
            reachable_party(session, principal, data.client)
            received = payments.receive_payment(
                session,
                site.coop,
                key=data.key,
                entity=entity.code,
                client=data.client,
                amount=data.amount,
                on=on,
                actor=principal.actor,
                method=data.method,
                reference=data.reference,
            )
            p = received.payment
            return s.PaymentOut(
                id=p.id,
                amount=money(p.amount, site.currency),
                method=p.method,
                received_on=p.received_on,
                settled=[[number, str(amount)] for number, amount in received.settled],
                credit_left=str(received.credit_left),
                replayed=received.replayed,
                status=received.status,  # type: ignore[arg-type]
                pending_id=received.pending.id if received.pending is not None else None,
            )


class DraftsController(Controller):
    """Drafts awaiting the validation of the office's staff."""

    path = "/drafts"
    tags = ("sales",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="drafts_awaiting", sync_to_thread=True)
    def awaiting(self, site: SiteDep, principal: Me) -> list[s.DraftOut]:
        """The submitted drafts of the entities the staff login reaches, oldest first."""
        require(principal, *STAFF, what="validate drafts")
        with site.sessions() as session:
            reached = list(session.scalars(select(Entity.id).where(entity_scope(principal))))
            return [
                views.draft_out(d, session.get_one(Entity, d.entity_id).code)
                for d in drafts.awaiting(session, reached)
            ]

    @post("/{draft_id:int}/validate", operation_id="validate_draft", sync_to_thread=True,
          status_code=200)  # fmt: skip
    def validate(self, draft_id: s.DraftPath, site: SiteDep, principal: Me) -> s.DraftOut:
        """Validate a submitted draft: it is issued now and numbered (four eyes)."""
        require(principal, *STAFF, what="validate drafts")
        with transaction(site.sessions) as session:
            code = views.draft_entity(session, draft_id)
            reachable_entity(session, principal, code)
            draft = drafts.validate_draft(
                session, site.coop, draft_id, on=site.today(), actor=principal.actor
            )
            return views.draft_out(draft, code)

    @post("/{draft_id:int}/return", operation_id="return_draft", sync_to_thread=True,
          status_code=200)  # fmt: skip
    def send_back(
        self, draft_id: s.DraftPath, data: JSONBody[s.ReturnIn], site: SiteDep, principal: Me
    ) -> s.DraftOut:
        """Return a submitted draft to its holder with the reason."""
        require(principal, *STAFF, what="return drafts")
        with transaction(site.sessions) as session:
            code = views.draft_entity(session, draft_id)
            reachable_entity(session, principal, code)
            draft = drafts.return_draft(
                session, draft_id, reason=data.reason, actor=principal.actor
            )
            return views.draft_out(draft, code)


class OfficeDocumentsController(Controller):
    """Whether an office validates its entities' quotes and invoices."""

    path = "/offices/{code:str}/document-validation"
    tags = ("sales",)
    dependencies = AUTHENTICATED

    @put("/", operation_id="set_document_validation", sync_to_thread=True)
    def set_validation(
        self,
        code: Annotated[str, PathParameter(max_length=32, description="the office's code")],
        data: JSONBody[s.ValidationIn],
        site: SiteDep,
        principal: Me,
    ) -> s.ValidationIn:
        """Whether the office's staff validate its entities' quotes and invoices before
        they go out (administrators)."""
        require(principal, Role.ADMINISTRATOR, what="change an office's settings")
        with transaction(site.sessions) as session:
            row = drafts.set_validation(session, code, data.required, actor=principal.actor)
            return s.ValidationIn(required=row.validates_documents)

"""Pages of sales: an invoice's PDF and e-invoice, and a quote's PDF, downloaded from the
interface."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from partage.core.access.roles import Principal
from partage.core.web.pages import Page, PathStr, guarded
from partage.core.web.sales.invoice_files import PRODUCERS, download, issued_file, quote_file


def _invoice_file(
    request: Request[Any, Any, Any], code: str, number: str, kind: str
) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        return download(request, issued_file(page.site, me, code, number, PRODUCERS[kind]))

    return guarded(request, build)


@get("/entities/{code:str}/invoices/{number:str}/pdf", sync_to_thread=True)
def invoice_pdf_file(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr
) -> Response[Any]:
    """Download an invoice's PDF, produced and kept on the first request."""
    return _invoice_file(request, code, number, "pdf")


@get("/entities/{code:str}/invoices/{number:str}/einvoice", sync_to_thread=True)
def invoice_einvoice_file(
    request: Request[Any, Any, Any], code: PathStr, number: PathStr
) -> Response[Any]:
    """Download an invoice's e-invoice in the country's format; a format that refuses
    the invoice answers the error page naming its rule."""
    return _invoice_file(request, code, number, "einvoice")


@get("/entities/{code:str}/quotes/{reference:str}/pdf", sync_to_thread=True)
def quote_pdf_file(
    request: Request[Any, Any, Any], code: PathStr, reference: PathStr
) -> Response[Any]:
    """Download a quote's PDF (its latest version), to send to the client."""

    def build(page: Page, me: Principal) -> Response[Any]:
        return download(request, quote_file(page.site, me, code, reference))

    return guarded(request, build)


PAGES = (invoice_pdf_file, invoice_einvoice_file, quote_pdf_file)

"""The register of members (administrators) and a member's certificate (the member),
as files to download from the pages and the API
(:mod:`partage.core.documents.member_register`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import N_
from partage.core.documents import member_register
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep
from partage.core.web.pages import Page, guarded
from partage.core.web.site import Site

#: The files' media types (Litestar adds ``charset=utf-8`` to a text type itself).
MEDIA = {"pdf": "application/pdf", "csv": "text/csv"}


def register_file(site: Site, me: Principal, fmt: str) -> Response[bytes]:
    """The register as PDF or CSV (each movement with its date); administrators only."""
    require(me, Role.ADMINISTRATOR, what=N_("read the register of members"))
    if fmt not in MEDIA:
        raise NotFound("format", N_("the register is a pdf or a csv"), value=fmt)
    with site.sessions() as session:
        if fmt == "pdf":
            content = member_register.register_pdf(session, site.coop, site.today())
        else:
            content = member_register.movements_csv(session, site.coop).encode()
    name = f"register-of-members-{site.today().isoformat()}.{fmt}"
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def certificate_file(site: Site, me: Principal) -> Response[bytes]:
    """The logged-in member's certificate."""
    if me.member_number is None:
        raise NotFound("member", N_("this login has no member account"))
    with site.sessions() as session:
        content = member_register.certificate_pdf(
            session, site.coop, me.member_number, site.today()
        )
    name = f"membership-certificate-{me.member_number}.pdf"
    return Response(
        content,
        media_type=MEDIA["pdf"],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


class MemberRegisterController(Controller):
    """The register of members and the membership certificate."""

    path = "/members"
    tags = ("membership",)
    dependencies = AUTHENTICATED

    @get(
        "/register.pdf",
        operation_id="register_of_members_pdf",
        media_type=MEDIA["pdf"],
        sync_to_thread=True,
    )
    def register_pdf(self, site: SiteDep, principal: Me) -> Response[bytes]:
        """The register of members as a PDF; administrators only."""
        return register_file(site, principal, "pdf")

    @get(
        "/register.csv",
        operation_id="register_of_members_csv",
        media_type=MEDIA["csv"],
        sync_to_thread=True,
    )
    def register_csv(self, site: SiteDep, principal: Me) -> Response[bytes]:
        """The register's share movements as CSV, each with its date, the holder and
        their shares after it; administrators only."""
        return register_file(site, principal, "csv")

    @get(
        "/me/certificate.pdf",
        operation_id="my_membership_certificate",
        media_type=MEDIA["pdf"],
        sync_to_thread=True,
    )
    def certificate(self, site: SiteDep, principal: Me) -> Response[bytes]:
        """My membership certificate: since when, the shares I hold."""
        return certificate_file(site, principal)


@get("/members/register.pdf", sync_to_thread=True)
def register_pdf_page(request: Request[Any, Any, Any]) -> Response[Any]:
    return guarded(request, lambda page, me: register_file(page.site, me, "pdf"))


@get("/members/register.csv", sync_to_thread=True)
def register_csv_page(request: Request[Any, Any, Any]) -> Response[Any]:
    return guarded(request, lambda page, me: register_file(page.site, me, "csv"))


@get("/member/certificate.pdf", sync_to_thread=True)
def certificate_page(request: Request[Any, Any, Any]) -> Response[Any]:
    def build(page: Page, me: Principal) -> Response[Any]:
        return certificate_file(page.site, me)

    return guarded(request, build)


PAGES = (register_pdf_page, register_csv_page, certificate_page)

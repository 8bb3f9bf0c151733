"""What every page of the server-rendered interface shares: the rendering context, the
login of the session cookie, the refusal page, and the two pages of no context (the
interface's language, the brand's logo and its colours).

Pages are Jinja templates in the instance's brand and the reader's language. Every
form carries a CSRF token; the session is an HttpOnly cookie. A refused act re-renders
its form with the engine's message (the field and the rule), and nothing is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote as urlquote

from litestar import Request, Response, get
from litestar.datastructures import Cookie, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, PathParameter
from litestar.response import File, Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from partage.core.access.roles import Principal
from partage.core.acts.cooperative import NotFound
from partage.core.banking.pending import WHY_IT_WAITS
from partage.core.contract.errors import N_, PartageError
from partage.core.ledger import wording
from partage.core.platform.limits import bounded
from partage.core.spending.expenses import expense_category_labels
from partage.core.web import i18n
from partage.core.web.deps import must_enrol, principal_for, site_of, token_of
from partage.core.web.problems import kind_of

Form = dict[str, Any]
PathStr = Annotated[str, PathParameter(max_length=64)]
UrlForm = Annotated[Form, Body(media_type=RequestEncodingType.URL_ENCODED)]
MultipartForm = Annotated[Form, Body(media_type=RequestEncodingType.MULTI_PART)]
LANG_COOKIE = "partage_lang"
#: Where a login enrols its second factor, and the pages an administrator who must
#: enrol one may still open.
SECOND_FACTOR_PAGE = "/account/second-factor"
ENROLMENT_PAGES = ("/account",)
#: Where a login whose password an administrator set changes it.
PASSWORD_PAGE = "/account?must_change=1"


def uploaded(form: Form, field: str, limit: int, setting: str) -> tuple[bytes, str]:
    """The bytes and name of the file a form's ``field`` carries (empty when none), its
    size checked against ``limit`` before it is read: :class:`TooLarge` naming the field,
    the limit and its ``[limits]`` setting when over."""
    upload = form.get(field)
    if not isinstance(upload, UploadFile):
        return b"", ""
    spooled = upload.file
    size = spooled.seek(0, os.SEEK_END)
    bounded(field, size, limit, setting)
    spooled.seek(0)
    return spooled.read(), upload.filename or ""


class Page:
    """The context of one rendered page: site, login, language."""

    def __init__(self, request: Request[Any, Any, Any], principal: Principal | None) -> None:
        self.request = request
        self.site = site_of(request.app.state)
        self.principal = principal
        self.language = i18n.choose(
            request.query_params.get("lang"),
            request.cookies.get(LANG_COOKIE) or (principal.language if principal else None),
            request.headers.get("accept-language", ""),
            self.site.languages,
        )
        self.words = i18n.words(
            self.language,
            self.site.currency,
            self.site.coop.instance.country_plugin,
            self.site.coop.plugins.hook.partage_format_amount,
        )

    def moment(self, local: str) -> str:
        """An office's local time as the API writes it (``YYYY-MM-DDTHH:MM``), written
        the reader's way: their date, then the hour."""
        when = datetime.strptime(local, "%Y-%m-%dT%H:%M")
        return f"{self.words.day(when.date())} {when:%H:%M}"

    def category(self, code: str) -> str:
        """An expense category's name in the page's language, never its code: a sector's
        category by the label its plugin marks for the catalogs."""
        return self.words.gettext(expense_category_labels(self.site.coop).get(code, code))

    def say(self, exc: PartageError) -> str:
        """A refusal in the page's language."""
        return i18n.say(exc, self.words)

    def entry_text(self, description: str) -> str:
        """A journal entry's stored description in the page's language."""
        return wording.said(description, self.words.gettext)

    def render(self, name: str, status: int = 200, **context: object) -> Template:
        look = self.site.look()
        return Template(
            name,
            status_code=status,
            context={
                "site": self.site,
                "look": look,
                "me": self.principal,
                "lang": self.language,
                "languages": [
                    (code, i18n.NAMES[code])
                    for code in i18n.LANGUAGES
                    if code in self.site.languages or code == "en"
                ],
                "_": self.words.gettext,
                "amount": self.words.amount,
                "day": self.words.day,
                "entry_text": self.entry_text,
                "moment": self.moment,
                "category": self.category,
                "said": lambda value: i18n.said(value, self.words),
                "why_it_waits": WHY_IT_WAITS,
                "today": self.site.today(),
                "path": self.request.url.path,
                "issues_documents": self.site.coop.instance.issuer is not None,
                **context,
            },
        )


def viewer(request: Request[Any, Any, Any]) -> Principal | None:
    """The login of the session cookie, or ``None``."""
    return principal_for(site_of(request.app.state), token_of(request, cookie=True))


def to_login(request: Request[Any, Any, Any]) -> Redirect:
    return Redirect(f"/login?next={urlquote(request.url.path)}", status_code=HTTP_303_SEE_OTHER)


def guarded(
    request: Request[Any, Any, Any], build: Callable[[Page, Principal], Response[Any]]
) -> Response[Any]:
    """Run ``build`` for a logged-in viewer; send others to the login page, a login
    whose password an administrator set to change it, and an administrator who must
    enrol a second factor to its enrolment."""
    principal = viewer(request)
    if principal is None:
        return to_login(request)
    own = request.url.path.startswith(ENROLMENT_PAGES)
    if principal.must_change_password and not own:
        return see(PASSWORD_PAGE)
    if must_enrol(site_of(request.app.state), principal) and not own:
        return see(SECOND_FACTOR_PAGE)
    return build(Page(request, principal), principal)


def refusal(page: Page, exc: PartageError) -> Template:
    """An error page for a refusal, with the status the API would give."""
    kind = kind_of(exc)
    return page.render(
        "error.html",
        status=kind.status,
        title=kind.title,
        field=exc.field,
        rule=exc.rule,
        detail=page.say(exc),
    )


def ui_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Refusals on UI pages answer an HTML error page, not problem JSON."""
    assert isinstance(exc, PartageError)
    return refusal(Page(request, viewer(request)), exc)


def see(url: str) -> Redirect:
    return Redirect(url, status_code=HTTP_303_SEE_OTHER)


@get("/language/{language:str}", sync_to_thread=False)
def language(request: Request[Any, Any, Any], language: PathStr) -> Response[Any]:
    """Remember the chosen interface language in a cookie and go back."""
    back = request.query_params.get("next", "/")
    response = see(back if back.startswith("/") and not back.startswith("//") else "/")
    if language in i18n.LANGUAGES:
        response.cookies.append(Cookie(key=LANG_COOKIE, value=language, samesite="lax", path="/"))
    return response


@get("/brand/logo", sync_to_thread=True)
def logo(request: Request[Any, Any, Any]) -> Response[Any]:
    path = site_of(request.app.state).look().logo
    if path is None:
        raise NotFound("logo", N_("the country plugin ships no logo"))
    return File(path, media_type="image/svg+xml" if path.suffix == ".svg" else None)


#: A colour as the brand rules allow it (``#RGB`` or ``#RRGGBB``); anything else a plugin
#: might return is left out of the stylesheet rather than written into it.
COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{3}){1,2}$")


@get("/brand/colours.css", sync_to_thread=True)
def colours(request: Request[Any, Any, Any]) -> Response[str]:
    """The brand's colours as CSS variables: a stylesheet of the site's own, since the
    Content-Security-Policy allows no inline style."""
    look = site_of(request.app.state).look()
    declared = [
        f"--{name}: {value};"
        for name, value in (("brand", look.primary_colour), ("accent", look.secondary_colour))
        if COLOUR.match(value)
    ]
    return Response(f":root {{ {' '.join(declared)} }}\n", media_type="text/css")


#: The pages of no context.
PAGES = (language, logo, colours)

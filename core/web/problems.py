"""Every error as a problem-details body (RFC 9457), naming the field and the rule.

The engine's refusals are typed (:mod:`partage.core.acts.cooperative`) and each carries
the field it concerns and the rule it breaks (``lines[1].unit_price``, ``10.001 has more
than 2 decimals...``); this module maps each type to an HTTP status and answers with
those two. Litestar's own errors (malformed JSON, a wrong type, a body too large, an
unknown route) get the same shape, so a client handles one format. The refusals the
web itself makes (no login, no issuer to produce a document) are declared here too, and
so is the body's shape for the OpenAPI document of the endpoints that describe theirs.

A refusal's ``detail`` and ``title`` are English unless the request's
``Accept-Language`` names one of the instance's languages: then they are in that
language (:func:`partage.core.web.i18n.say`) and ``Content-Language`` says which. The
``type``, ``field`` and ``rule`` stay English, for a program to read: ``type`` is the
stable code of the kind of refusal, ``rule`` the English sentence.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
)
from msgspec import Struct

from partage.core.access.idempotency import KeyReused, StillRunning
from partage.core.access.roles import Forbidden
from partage.core.access.throttle import Throttled
from partage.core.acts.cooperative import (
    ActError,
    ClosedRecord,
    FundCapacityReached,
    InsufficientFunds,
    InvalidAct,
    NotFound,
    RefusedBySector,
)
from partage.core.banking.payees import FourEyes
from partage.core.contract.errors import PartageError, TooLarge
from partage.core.contract.money import MoneyError
from partage.core.documents.importing import ImportRefused
from partage.core.documents.service import EInvoiceRefused
from partage.core.ledger.errors import ClosedPeriod, LedgerError, UnknownBook
from partage.core.platform.db.text_rules import TextRefused
from partage.core.web import i18n
from partage.core.web.i18n import N_

PROBLEM_JSON = "application/problem+json"
LOG = logging.getLogger("partage.web")
FLOAT_RULE = 'amounts are decimal strings such as "12.50", never JSON numbers'


class Unauthenticated(PartageError):
    """No valid session: log in first (answered 401)."""


class IssuerMissing(PartageError):
    """The instance has no ``[instance.issuer]`` table: it cannot issue documents yet
    (answered 409: the instance's configuration, not the request, must change)."""


class ProblemOut(Struct, kw_only=True):
    """A problem-details body (RFC 9457) as :mod:`.problems` writes it, for the OpenAPI
    document of the file endpoints."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    field: str | None
    rule: str


def problem_spec(description: str) -> ResponseSpec:
    """A refusal an endpoint documents: a problem-details body, for the OpenAPI document."""
    return ResponseSpec(
        data_container=ProblemOut,
        media_type=PROBLEM_JSON,
        description=description,
        generate_examples=False,
    )


@dataclass(frozen=True)
class Kind:
    """How one error type is answered: status, problem type slug and title; ``field``
    names the request field a refusal of this type is always about (the uploaded
    document, whose findings say where inside it), instead of the error's own field.
    """

    status: int
    slug: str
    title: str
    field: str | None = None


#: Most specific first: the first matching class decides.
KINDS: tuple[tuple[type[Exception], Kind], ...] = (
    (Unauthenticated, Kind(HTTP_401_UNAUTHORIZED, "unauthenticated", N_("Log in first"))),
    (Throttled, Kind(HTTP_429_TOO_MANY_REQUESTS, "throttled", N_("Too many failed attempts"))),
    (Forbidden, Kind(HTTP_403_FORBIDDEN, "forbidden", N_("Not allowed for your role"))),
    (
        FourEyes,
        Kind(HTTP_403_FORBIDDEN, "four-eyes", N_("Another person must confirm it")),
    ),
    (NotFound, Kind(HTTP_404_NOT_FOUND, "not-found", N_("Not found"))),
    (
        KeyReused,
        Kind(
            HTTP_422_UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            N_("The key was sent with another request"),
        ),
    ),
    (
        StillRunning,
        Kind(HTTP_409_CONFLICT, "idempotency-key-in-use", N_("The first request still runs")),
    ),
    (UnknownBook, Kind(HTTP_404_NOT_FOUND, "not-found", N_("Not found"))),
    (
        FundCapacityReached,
        Kind(
            HTTP_409_CONFLICT,
            "guarantee-fund-capacity",
            N_("The salary guarantee fund is at capacity"),
        ),
    ),
    (
        InsufficientFunds,
        Kind(HTTP_409_CONFLICT, "insufficient-funds", N_("Not enough funds (no-bankruptcy rule)")),
    ),
    (ClosedRecord, Kind(HTTP_409_CONFLICT, "closed-record", N_("The record is closed"))),
    (ClosedPeriod, Kind(HTTP_409_CONFLICT, "closed-period", N_("The accounting period is closed"))),
    (RefusedBySector, Kind(HTTP_422_UNPROCESSABLE_ENTITY, "refused-by-sector", N_("Sector rule"))),
    (
        EInvoiceRefused,
        Kind(
            HTTP_422_UNPROCESSABLE_ENTITY,
            "einvoice-refused",
            N_("The e-invoice format refuses this invoice"),
        ),
    ),
    (
        ImportRefused,
        Kind(
            HTTP_422_UNPROCESSABLE_ENTITY,
            "einvoice-import-refused",
            N_("The supplier e-invoice is refused"),
            field="content_base64",
        ),
    ),
    (
        IssuerMissing,
        Kind(HTTP_409_CONFLICT, "issuer-missing", N_("The instance cannot issue documents yet")),
    ),
    (TooLarge, Kind(HTTP_413_REQUEST_ENTITY_TOO_LARGE, "too-large", N_("The file is too large"))),
    (InvalidAct, Kind(HTTP_422_UNPROCESSABLE_ENTITY, "invalid-act", N_("Invalid input"))),
    (TextRefused, Kind(HTTP_422_UNPROCESSABLE_ENTITY, "invalid-text", N_("Invalid text"))),
    (MoneyError, Kind(HTTP_422_UNPROCESSABLE_ENTITY, "invalid-amount", N_("Invalid amount"))),
    (ActError, Kind(HTTP_409_CONFLICT, "refused-act", N_("The act was refused"))),
    (LedgerError, Kind(HTTP_409_CONFLICT, "refused-by-ledger", N_("The books refused it"))),
    (PartageError, Kind(HTTP_400_BAD_REQUEST, "refused", N_("Refused"))),
)


def kind_of(exc: PartageError) -> Kind:
    """How a refusal is answered: the first matching class of :data:`KINDS` decides."""
    return next(k for cls, k in KINDS if isinstance(exc, cls))


def problem(
    request: Request[Any, Any, Any],
    *,
    status: int,
    slug: str,
    title: str,
    detail: str,
    field: str | None,
    rule: str,
    **extra: object,
) -> Response[dict[str, Any]]:
    """A problem-details response."""
    body: dict[str, Any] = {
        "type": f"urn:partage:problem:{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "field": field,
        "rule": rule,
        **extra,
    }
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def asked_language(request: Request[Any, Any, Any]) -> str:
    """The language a client asks its refusals in: the first of its ``Accept-Language``
    the instance lists (English where it names none)."""
    site = request.app.state["site"]
    offered = site.languages
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code == "en" or (code in offered and code in i18n.LANGUAGES):
            return code
    return "en"


def partage_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Answer a refusal of the engine (or of the access rules), in the language the
    client asks for (English by default)."""
    assert isinstance(exc, PartageError)
    kind = kind_of(exc)
    language = asked_language(request)
    site = request.app.state["site"]
    shown = i18n.words(
        language,
        site.currency,
        site.coop.instance.country_plugin,
        site.coop.plugins.hook.partage_format_amount,
    )
    extra: dict[str, object] = {}
    if isinstance(exc, InsufficientFunds):
        extra["missing"] = str(exc.missing)
    if isinstance(exc, Throttled):
        extra["retry_after"] = exc.retry_after
    if isinstance(exc, FundCapacityReached):
        # the fund's figures the refusal is about: balance, leverage, capacity, exposure
        extra["guarantee_fund"] = exc.figures()
    if isinstance(exc, ImportRefused):
        # Every finding, each with its rule and place, as a list a client can show.
        extra["findings"] = [
            {"rule": f.rule, "message": f.message, "where": f.where} for f in exc.findings
        ]
    answer = problem(
        request,
        status=kind.status,
        slug=kind.slug,
        title=shown.gettext(kind.title),
        detail=i18n.say(exc, shown),
        field=kind.field or exc.field,
        rule=exc.rule,
        **extra,
    )
    answer.headers["Content-Language"] = language
    if isinstance(exc, Throttled):
        answer.headers["Retry-After"] = str(exc.retry_after)
    return answer


def _rule(message: str) -> str:
    return FLOAT_RULE if "got `float`" in message else message


def http_error(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """Answer Litestar's own errors (validation, malformed JSON, size, routing)."""
    assert isinstance(exc, HTTPException)
    status = exc.status_code
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra:
        errors = [
            {"field": str(e.get("key", "")), "rule": _rule(str(e.get("message", "")))}
            for e in exc.extra
            if isinstance(e, dict)
        ]
        first = errors[0]
        return problem(
            request,
            status=status,
            slug="invalid-request",
            title="The request does not match its schema",
            detail="; ".join(f"{e['field']}: {e['rule']}" for e in errors),
            field=first["field"],
            rule=first["rule"],
            errors=errors,
        )
    detail = str(exc.detail)
    slug = {401: "unauthenticated", 403: "forbidden", 404: "not-found", 413: "body-too-large"}
    largest = request.app.request_max_body_size
    rules = {
        400: f"the body must be well-formed JSON of the documented shape ({detail})",
        404: "no such resource",
        405: "method not allowed on this resource",
        413: f"the request body is larger than the {largest or 0:,} bytes the server accepts "
        "(the largest upload of [limits], as base64, and 64 KiB)",
    }
    return problem(
        request,
        status=status,
        slug=slug.get(status, "bad-request"),
        title=detail,
        detail=detail,
        field="body" if status in (400, 413) else None,
        rule=rules.get(status, detail),
    )


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """A bug: logged with its traceback, answered without internals."""
    LOG.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        request,
        status=HTTP_500_INTERNAL_SERVER_ERROR,
        slug="internal-error",
        title="Internal error",
        detail="the server failed; the error was logged",
        field=None,
        rule="internal error",
    )


HANDLERS = {PartageError: partage_error, HTTPException: http_error, Exception: unexpected}

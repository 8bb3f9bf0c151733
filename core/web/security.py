"""The headers every answer carries, so that a browser keeps the pages to themselves.

- **Content-Security-Policy**: scripts, styles, images and forms from this site only,
  no plug-ins, and ``frame-ancestors 'none'`` (with ``X-Frame-Options: DENY`` for older
  browsers), so no other site can frame a page and trick a click on "accept and
  invoice". The pages need no inline script or style: the policy allows none.
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``: a download
  is not run as a page, and an address with an entity's code or an invoice number does
  not leak to another site.
- ``Cache-Control: no-store`` on every page and API answer (they carry figures and
  personal data), not on the static files.
- Over HTTPS — served directly, or behind a proxy whose ``X-Forwarded-Proto`` uvicorn
  trusts (``partage serve --forwarded-allow-ips``) — ``Strict-Transport-Security`` and
  the ``Secure`` attribute on every cookie.
"""

from __future__ import annotations

from litestar.types import Message, Scope

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
#: Sent on every answer.
ALWAYS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
NO_STORE = (b"cache-control", b"no-store")
#: Two years, subdomains included: the deployment serves nothing over plain HTTP.
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
STATIC_PREFIX = "/static/"


def _secure(cookie: bytes) -> bytes:
    attributes = [part.strip().lower() for part in cookie.split(b";")]
    return cookie if b"secure" in attributes else cookie + b"; Secure"


async def security_headers(message: Message, scope: Scope) -> None:
    """Add the headers of :mod:`partage.core.web.security` to an answer about to leave
    (a ``before_send`` hook: it sees every answer, unknown addresses included)."""
    if message["type"] != "http.response.start":
        return
    https = scope.get("scheme") == "https"
    own = {name for name, _ in ALWAYS} | {NO_STORE[0], HSTS[0]}
    headers = [
        (name, _secure(value) if https and name == b"set-cookie" else value)
        for name, value in message.get("headers", [])
        if name.lower() not in own
    ]
    headers.extend(ALWAYS)
    if not scope["path"].startswith(STATIC_PREFIX):
        headers.append(NO_STORE)
    if https:
        headers.append(HSTS)
    message["headers"] = headers

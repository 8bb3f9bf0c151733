"""The second factor: a time-based one-time password (TOTP, RFC 6238) from an
authenticator app, with pyotp.

Staff logins (advisers, office managers, administrators, the franchisor) may enrol
one; administrators must (the web sends one without it to enrolment). Enrolment
proves possession: the login's password is asked again and the first code from the
app must match the new secret before it is kept. A code is accepted within one
30-second step either side of the server's clock, and never twice: the step of the
last accepted code is kept (:attr:`~partage.core.access.models.WebUser.totp_last_step`).
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
import segno

from partage.core.access.models import Role
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_

#: The roles that may enrol a second factor.
STAFF_ROLES = (Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR, Role.FRANCHISOR)
#: How many 30-second steps either side of now a code may be from.
DRIFT = 1
STEP = timedelta(seconds=30)


@dataclass(frozen=True)
class Enrolment:
    """A new secret offered for enrolment, not yet kept.

    Attributes:
        secret: base32 secret (to type into the app, or to send back with the code).
        uri: the ``otpauth://`` address the app reads.
        qr_svg: that address as a QR code, an SVG ``data:`` address for an ``<img>``.
    """

    secret: str
    uri: str
    qr_svg: str


def may_enrol(role: str) -> bool:
    """Whether logins of this role may enrol a second factor."""
    return role in set(STAFF_ROLES)


def new_enrolment(username: str, issuer: str) -> Enrolment:
    """A fresh random secret for ``username``, with its address and QR code."""
    return again(pyotp.random_base32(), username, issuer)


def again(secret: str, username: str, issuer: str) -> Enrolment:
    """The enrolment of a secret already offered (the form is shown again after a
    wrong code, with the same secret the app already holds)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)
    return Enrolment(secret, uri, segno.make(uri, error="m").svg_data_uri(scale=4))


def valid_secret(secret: str) -> str:
    """A base32 secret as sent back with the first code (refused when malformed)."""
    cleaned = secret.strip().replace(" ", "").upper()
    if not 16 <= len(cleaned) <= 64 or any(
        c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in cleaned
    ):
        raise InvalidAct("secret", N_("must be the base32 secret offered for enrolment"))
    return cleaned


def accepted_step(
    secret: str, code: str, last_step: int | None, now: datetime | None = None
) -> int | None:
    """The 30-second step ``code`` belongs to when it is valid for ``secret`` now and
    newer than ``last_step``; ``None`` otherwise (wrong, stale or replayed)."""
    given = code.strip().replace(" ", "")
    if len(given) != 6 or not given.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    moment = now or datetime.now(UTC)
    for offset in range(-DRIFT, DRIFT + 1):
        at = moment + offset * STEP
        step = totp.timecode(at)
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(at), given):
            return step
    return None

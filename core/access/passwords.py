"""What makes a password acceptable, after NIST SP 800-63B-4 (*Digital Identity
Guidelines: Authentication and Authenticator Management*, August 2025), section 3.1.1.2
"Password Verifiers":

- at least :data:`ALONE` (15) characters for a password that is the only factor, and
  :data:`WITH_SECOND_FACTOR` (8) when the login has enrolled a second factor (TOTP);
- up to :data:`LONGEST` characters accepted, spaces and any Unicode character included;
- refused when it appears in a list of commonly used or breached passwords — the
  :data:`LIST` shipped with the package (checked offline: no network at run time) — or
  when it contains the login's name;
- no composition rules (no "one digit, one symbol"), and no forced periodic change: a
  password is changed when its owner wants or when it is known to be compromised.

The verifier's other duties live elsewhere: throttling guesses
(:mod:`partage.core.access.throttle`), salted memory-hard hashing
(:mod:`partage.core.access.logins`, argon2id).
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.resources import files

from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import N_

ALONE = 15
WITH_SECOND_FACTOR = 8
LONGEST = 200
#: The common-password list shipped beside this module (see ``COMMON-PASSWORDS.md``).
LIST = "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower case (read once, on first use)."""
    data = files("partage.core.access").joinpath(LIST).read_bytes()
    return frozenset(line.strip() for line in gzip.decompress(data).decode().splitlines())


def check_password(password: str, username: str, *, second_factor: bool) -> None:
    """Refuse (:class:`InvalidAct` on ``password``) a password the policy does not
    accept for login ``username``; ``second_factor``: whether the login has one."""
    shortest = WITH_SECOND_FACTOR if second_factor else ALONE
    if len(password) < shortest:
        alone = "" if second_factor else " (8 once a second factor is enrolled)"
        raise InvalidAct(
            "password",
            N_("must be at least {shortest} characters long{alone}"),
            shortest=shortest,
            alone=alone,
        )
    if len(password) > LONGEST:
        raise InvalidAct(
            "password", N_("must be at most {longest} characters long"), longest=LONGEST
        )
    lowered = password.lower()
    name = username.strip().lower()
    if name and name in lowered:
        raise InvalidAct("password", N_("must not contain the login's name"))
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        raise InvalidAct("password", N_("is one of the most common passwords: choose another"))

"""What a person or a party gives, checked before it is recorded: an identifier by the
country plugin, a required text, an e-mail address.
"""

from __future__ import annotations

from datetime import datetime

from partage.core.acts.cooperative import Cooperative, InvalidAct
from partage.core.contract.errors import N_
from partage.core.contract.identity import IdentifierKind

EMAIL_SHAPE = "must look like name@domain"


def validated(coop: Cooperative, kind: IdentifierKind, value: str, field: str) -> str:
    """The identifier normalised by the country plugin, or a refusal naming the check."""
    check = coop.plugins.hook.partage_validate_identifier(kind=kind, value=value)
    if check is None:
        raise InvalidAct(
            field,
            N_("the country plugin does not validate {kind_value} numbers"),
            kind_value=kind.value,
        )
    if not check.valid:
        raise InvalidAct(
            field,
            N_("{given} is not a valid {kind_value}: {check_failed_check}"),
            given=repr(value),
            kind_value=kind.value,
            check_failed_check=check.failed_check,
        )
    return str(check.normalized)


def required(value: str, field: str) -> str:
    """The text stripped; refuses an empty one, naming the field."""
    if not value or not value.strip():
        raise InvalidAct(field, N_("is required"))
    return value.strip()


def email_address(value: str) -> str:
    """The address as given; refuses one that does not look like name@domain."""
    value = required(value, "email")
    local, _, domain = value.partition("@")
    if not local or "." not in domain or " " in value:
        raise InvalidAct(
            "email", N_("{given} {email_shape}"), given=repr(value), email_shape=EMAIL_SHAPE
        )
    return value


#: The years an appointment or a workshop may fall in.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def local_time(value: datetime, field: str) -> datetime:
    """An office's wall-clock time (an appointment, a workshop), to the minute: with no
    time zone (it is the office's own) and within :data:`FIRST_YEAR`–:data:`LAST_YEAR`."""
    if value.tzinfo is not None:
        raise InvalidAct(field, N_("give the office's local time, without a time zone"))
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidAct(
            field,
            N_("{year} is outside the years {first} to {last}"),
            year=value.year,
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    return value.replace(second=0, microsecond=0)

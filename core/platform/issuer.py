"""The cooperative as the issuer of documents: the facts the law makes every invoice
print about the seller, and the account clients pay into.

They are the instance's facts, not the country's: the country plugin says *which*
mentions an invoice needs (its brand's ``invoice_legal_mentions``, with ``{fact}``
placeholders), the issuer says what they read for this cooperative. An instance's
configuration gives them as an ``[instance.issuer]`` table, checked when the
configuration is validated (its rules in :mod:`.settings_rules`, then the BIC in
:func:`read_issuer`) and, once the country plugin is loaded, through its identifier
hook (:func:`checked_issuer`, called when a runtime is built). The table is optional,
so that a new country runs before its cooperative is registered; issuing a document or
a payment file without it is refused with ``instance.issuer: needed to issue
documents``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NoReturn

import pluggy
from schwifty import BIC
from schwifty.exceptions import SchwiftyException

from partage.core.contract.documents import Address
from partage.core.contract.errors import ConfigError, PartageError
from partage.core.contract.identity import IdentifierKind

if TYPE_CHECKING:
    from partage.core.platform.config import PartageConfig

REQUIRED = ("legal_name", "vat_number", "company_id", "iban", "street", "postcode", "city")
OPTIONAL = ("bic", "register", "email", "social_security_id")
KEY = "instance.issuer"
#: The identifiers the country plugin checks, with the kind it checks them as.
IDENTIFIERS = (
    ("vat_number", IdentifierKind.VAT),
    ("company_id", IdentifierKind.COMPANY),
    ("iban", IdentifierKind.IBAN),
)


class IssuerRefused(PartageError):
    """The issuer facts are missing or invalid (a configuration problem)."""

    usage = True


@dataclass(frozen=True)
class Issuer:
    """Who issues the instance's documents.

    Attributes:
        legal_name: the cooperative's registered name.
        address: its registered seat.
        vat_number: its VAT number, with the country prefix.
        company_id: its registration number (Belgian enterprise number, French SIREN).
        iban: the account clients pay into; bic: its bank's BIC.
        register: the register and court it is recorded at (``"RPM Bruxelles"``,
            ``"RCS Paris"``).
        email: where clients write about invoices.
        social_security_id: its employer number at social security (Belgian ONSS
            number, French SIRET of the establishment).
        facts: further ``(name, value)`` pairs the country's mentions name
            (``siret``, ``capital_minimum``...).
    """

    legal_name: str
    address: Address
    vat_number: str
    company_id: str
    iban: str
    bic: str | None = None
    register: str = ""
    email: str = ""
    social_security_id: str = ""
    facts: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def mention_facts(self) -> dict[str, str]:
        """Every fact a legal mention may name, by its placeholder."""
        return {
            "legal_name": self.legal_name,
            "address": self.address.one_line(),
            "vat_number": self.vat_number,
            "company_id": self.company_id,
            "register": self.register,
            "iban": self.iban,
            "bic": self.bic or "",
            "email": self.email,
            **dict(self.facts),
        }

    @classmethod
    def from_config(cls, config: PartageConfig, plugins: pluggy.PluginManager) -> Issuer:
        """The instance's issuer, its identifiers checked by the country plugin.

        Raises :class:`~partage.core.contract.errors.ConfigError` naming the file, the key, the
        value and the rule when the table is missing or an identifier is refused.
        """
        checked_issuer(config, plugins)
        return required_issuer(config)


def required_issuer(config: PartageConfig) -> Issuer:
    """The instance's issuer, or the :class:`~partage.core.contract.errors.ConfigError` saying
    the table is needed. A runtime's configuration had its identifiers checked when the
    runtime was built (:func:`checked_issuer`), so commands ask this alone."""
    found = config.instance.issuer
    if found is None:
        raise ConfigError(
            config.resolved.source_of("instance"),
            KEY,
            None,
            f"needed to issue documents: add an [instance.issuer] table ({', '.join(REQUIRED)})",
        )
    return found


def checked_issuer(config: PartageConfig, plugins: pluggy.PluginManager) -> Issuer | None:
    """The instance's issuer if it has one, its identifiers checked by the country
    plugin's identifier hook (which the configuration reader cannot call: it runs
    before the plugins are loaded). Building a runtime calls it, so that ``partage
    config check`` and every command refuse a bad VAT number or IBAN at once, naming
    the file, the key and the rule."""
    found = config.instance.issuer
    if found is None:
        return None
    for name, kind in IDENTIFIERS:
        value = getattr(found, name)
        check = plugins.hook.partage_validate_identifier(kind=kind, value=value)
        if check is not None and not check.valid:
            raise ConfigError(
                config.resolved.source_of(f"{KEY}.{name}"),
                f"{KEY}.{name}",
                value,
                f"not a valid {kind} identifier for {config.instance.country_plugin}: "
                f"{check.failed_check}",
            )
    return found


def read_issuer(table: object, country: str, fail: Callable[[str, Any, str], NoReturn]) -> Issuer:
    """The ``[instance.issuer]`` table as an :class:`Issuer`, its BIC checked, each broken
    rule reported through ``fail(key, value, rule)`` (the configuration's, which names
    the file). The settings' rules (:mod:`.settings_rules`) have checked each key: the
    required ones given, every one a text."""
    if not isinstance(table, Mapping):
        fail(KEY, table, "must be a table of the cooperative's facts")
    if table.get("bic"):
        try:
            code = BIC(table["bic"])
        except SchwiftyException as error:
            fail(f"{KEY}.bic", table["bic"], f"not a valid BIC: {error}")
        iban_country = "".join(table["iban"].split())[:2].upper()
        if code.country_code != iban_country:
            fail(f"{KEY}.bic", table["bic"], f"BIC of {code.country_code}, IBAN of {iban_country}")
    return issuer_from(table, country)


def issuer_from(table: Mapping[str, Any], country: str) -> Issuer:
    """An issuer from a configuration table (``[instance.issuer]``): the required keys
    are those of :data:`REQUIRED`; any other string key becomes a fact."""
    missing = [key for key in REQUIRED if not str(table.get(key, "")).strip()]
    if missing:
        raise IssuerRefused("issuer", f"{', '.join(missing)} must be given")
    known = {*REQUIRED, *OPTIONAL}
    return Issuer(
        legal_name=str(table["legal_name"]),
        address=Address(
            str(table["street"]), str(table["city"]), str(table["postcode"]), country.upper()
        ),
        vat_number=str(table["vat_number"]),
        company_id=str(table["company_id"]),
        iban="".join(str(table["iban"]).split()).upper(),
        bic=str(table["bic"]) if table.get("bic") else None,
        register=str(table.get("register", "")),
        email=str(table.get("email", "")),
        social_security_id=str(table.get("social_security_id", "")),
        facts=tuple(sorted((k, str(v)) for k, v in table.items() if k not in known)),
    )

"""Scaffolding a national partner's country plugin from the franchise template.

The template (``franchise_template/``, a cookiecutter template) renders a standalone
plugin package: its own ``pyproject.toml`` registering the ``partage.countries`` entry
point, dated law parameters, a chart of accounts, a logo, and tests that run the
conformance suite. :func:`check_answers` is the stable entry point the template's own
pre-generation hook calls, so that plain ``cookiecutter`` runs obey the same rules as
``partage new-country``; :func:`scaffold` checks, renders and installs the instance's
configuration. Every answer is checked before any file is written, and a refusal
names the field and the rule.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pycountry
from babel import Locale, UnknownLocaleError
from jinja2 import Environment
from jinja2.ext import Extension

from partage.core.contract.errors import PartageError
from partage.core.contract.identity import SIMULATED_MINIMUM_MONTHLY_GROSS
from partage.core.contract.money import (
    MoneyError,
    as_decimal,
    minor_exponent,
    round_money,
    to_minor,
)
from partage.core.franchise.countries import country_of, names_of
from partage.core.platform.config import default_config_dir, writable_config_dir
from partage.core.platform.registry import PluginKind

TEMPLATE = Path(__file__).resolve().parents[2] / "franchise_template"


NUMBER = re.compile(r"^\d+(\.\d+)?$")


COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


DISTRIBUTION = re.compile(r"^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$")


MODULE = re.compile(r"^[a-z_][a-z0-9_]*$")


UNSAFE = re.compile(r"[\"\\\n\r\t]")


#: Longest name: names go into Python string literals of a 100-column package.
MAX_NAME = 60


MAX_SOURCE = 300


MAX_REDUCED_RATES = 3


NAMES = (
    "country_name",
    "legal_form",
    "franchisee_legal_name",
    "brand_name",
    "office_name",
    "office_address",
    "version",
)


SOURCES = ("vat_source", "payroll_source", "withholding_source")


class AnswerError(PartageError):
    """An answer to the template's questions breaks a rule; nothing was written.

    Attributes:
        problems: each refused answer, ``field = value: rule``.
    """

    usage = True

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(None, "new country refused, nothing written: " + "; ".join(problems))


class _Checker:
    """Collects every refused answer, each naming its field and the rule it breaks."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self.answers = answers
        self.problems: list[str] = []

    def value(self, key: str) -> str:
        return str(self.answers.get(key, "")).strip()

    def refuse(self, key: str, rule: str) -> None:
        self.problems.append(f"{key} = {self.value(key)!r}: {rule}")

    def text(self, key: str, longest: int) -> None:
        value = self.value(key)
        if not value:
            self.refuse(key, "is required")
        elif UNSAFE.search(value):
            self.refuse(key, "must not contain double quotes, backslashes, tabs or line breaks")
        elif len(value) > longest:
            self.refuse(key, f"must be at most {longest} characters")

    def decimal(self, key: str, text: str | None = None) -> Decimal | None:
        raw = self.value(key) if text is None else text
        if not NUMBER.match(raw):
            self.refuse(key, "must be a decimal number written with a point, such as 0.065")
            return None
        return Decimal(raw)

    def fraction(self, key: str, text: str | None = None, *, allow_one: bool = False) -> None:
        value = self.decimal(key, text)
        if value is not None and not (value <= 1 if allow_one else value < 1):
            bound = "1 included" if allow_one else "1 excluded"
            self.refuse(key, f"must be a fraction from 0 to {bound} (write 0.065 for 6.5 %)")

    def amount(
        self, key: str, currency: str | None, *, positive: bool, text: str | None = None
    ) -> Decimal | None:
        value = self.decimal(key, text)
        if value is None:
            return None
        if positive and value <= 0:
            self.refuse(key, "must be a positive amount")
        if currency is not None:
            try:
                to_minor(value, currency, field=key)
            except MoneyError as exc:
                self.refuse(key, exc.rule)
        return value


def _installed_countries() -> dict[str, str]:
    """Country plugins installed, by code, with the distribution that ships each."""
    found = {}
    for ep in entry_points(group=PluginKind.COUNTRY.group):
        found[ep.name] = ep.dist.name if ep.dist else "(unknown distribution)"
    return found


def check_answers(answers: Mapping[str, Any], *, configs: Path | None = None) -> None:
    """Refuse, naming field and rule, every answer Partage cannot serve.

    :param answers: the template's variables (``country_code``, ``currency``...).
    :param configs: the configs folder whose ``instances/`` must not already hold the
        code; ``None`` skips that check (plain cookiecutter runs).
    :raises AnswerError: listing every refused answer.
    """
    check = _Checker(answers)
    if _check_code(check, configs):
        _check_country_name(check)
    for key in NAMES:
        check.text(key, MAX_NAME)
    for key in SOURCES:
        check.text(key, MAX_SOURCE)
    currency = check.value("currency")
    known_currency: str | None = None
    if pycountry.currencies.get(alpha_3=currency) is None or currency != currency.upper():
        check.refuse("currency", "must be an ISO 4217 currency code in upper case, such as EUR")
    else:
        try:
            minor_exponent(currency)
            known_currency = currency
        except MoneyError:
            check.refuse("currency", "not a currency CLDR knows the minor unit of")
    try:
        Locale.parse(check.value("default_locale"))
    except (UnknownLocaleError, ValueError, TypeError):
        check.refuse("default_locale", "must be a locale CLDR knows, such as fr_LU")
    languages = [x.strip() for x in check.value("languages").split(",") if x.strip()]
    if not languages:
        check.refuse("languages", "must list at least one language")
    for language in languages:
        if not re.fullmatch(r"[a-z]{2}", language) or not pycountry.languages.get(alpha_2=language):
            check.refuse("languages", f"{language!r} is not an ISO 639-1 language code")
    for key in ("primary_colour", "secondary_colour"):
        if not COLOUR.match(check.value(key)):
            check.refuse(key, "must be a colour #rrggbb")
    for key in ("management_fee_rate", "vat_standard_rate", "employee_rate", "employer_rate"):
        check.fraction(key)
    check.fraction("guarantee_fund_share", allow_one=True)
    _check_reduced_rates(check)
    check.amount("share_nominal_value", known_currency, positive=True)
    typical = check.amount("typical_monthly_gross", known_currency, positive=True)
    _check_price_level(check, typical, known_currency)
    check.amount("contribution_ceiling", known_currency, positive=False)
    _check_withholding(check, known_currency)
    try:
        start = date.fromisoformat(check.value("in_force_from"))
        if start.day != 1:
            check.refuse(
                "in_force_from",
                "must be the first day of a month (a payslip applies the law of its first day)",
            )
    except ValueError:
        check.refuse("in_force_from", "must be a date YYYY-MM-DD")
    if not SLUG.match(check.value("office_code")):
        check.refuse("office_code", "must be a short code of lower-case letters, digits, - or _")
    if not DISTRIBUTION.match(check.value("distribution")):
        check.refuse("distribution", "must be a distribution name such as partage-country-lu")
    if not MODULE.match(check.value("module")):
        check.refuse("module", "must be a Python package name such as partage_country_lu")
    if check.problems:
        raise AnswerError(check.problems)


def check_code(code: str, configs: Path | None) -> None:
    """Refuse the country code at once, before any other question is asked.

    :raises AnswerError: the code names no country, or a country plugin installed here
        or an instance file in ``configs`` already uses it.
    """
    check = _Checker({"country_code": code})
    _check_code(check, configs)
    if check.problems:
        raise AnswerError(check.problems)


def _check_code(check: _Checker, configs: Path | None) -> bool:
    """Refuse a code that names no country or is taken; whether it names a country."""
    code = check.value("country_code")
    if not re.fullmatch(r"[a-z]{2}", code) or country_of(code) is None:
        check.refuse("country_code", "must be an ISO 3166-1 alpha-2 country code in lower case")
        return False
    installed = _installed_countries()
    if code in installed:
        check.refuse(
            "country_code",
            f"already taken by the installed country plugin of {installed[code]}",
        )
    if configs is not None and (configs / "instances" / f"{code}.toml").exists():
        check.refuse(
            "country_code",
            f"already taken by the instance configuration {configs / 'instances'}/{code}.toml",
        )
    return True


def _check_country_name(check: _Checker) -> None:
    """The name printed on every document must be the code's country, in English or in
    one of its national languages."""
    code = check.value("country_code")
    accepted = names_of(code)
    if check.value("country_name").casefold() not in accepted:
        examples = ", ".join(sorted(accepted)[:4])
        check.refuse(
            "country_name",
            f"must name the country of code {code!r} in English or a national language "
            f"(such as {examples}, in any case)",
        )


def _check_reduced_rates(check: _Checker) -> None:
    reduced = [x.strip() for x in check.value("vat_reduced_rates").split(",") if x.strip()]
    if len(reduced) > MAX_REDUCED_RATES:
        check.refuse("vat_reduced_rates", f"at most {MAX_REDUCED_RATES} reduced rates")
    standard = check.value("vat_standard_rate")
    for rate in reduced:
        check.fraction("vat_reduced_rates", rate)
        if NUMBER.match(rate) and NUMBER.match(standard) and Decimal(rate) >= Decimal(standard):
            check.refuse("vat_reduced_rates", f"{rate} must be below the standard rate {standard}")


def _check_price_level(check: _Checker, typical: Decimal | None, currency: str | None) -> None:
    """The demo invents its amounts in euros scaled by ``price_level``; a usual full-time
    gross below the demo's smallest monthly salary at that scale means the price level
    is far too high for the currency (or the gross is not monthly)."""
    level = check.decimal("price_level")
    if level is None:
        return
    if level <= 0:
        check.refuse("price_level", "must be a positive number (1 for the euro)")
        return
    smallest = SIMULATED_MINIMUM_MONTHLY_GROSS * level
    if typical is not None and typical > 0 and typical < smallest:
        unit = f" {currency}" if currency else ""
        check.refuse(
            "price_level",
            f"makes the demo's smallest monthly salary {SIMULATED_MINIMUM_MONTHLY_GROSS} x "
            f"{level} = {smallest.normalize():f}{unit}, above typical_monthly_gross "
            f"{typical}{unit}; a price level is how many units of the currency buy what one "
            "euro buys",
        )
    if currency is not None and as_decimal(guarantee_ceiling(level, currency)) <= 0:
        check.refuse(
            "price_level",
            f"makes the guarantee fund's ceiling per entity round to 0 {currency}",
        )


def guarantee_ceiling(price_level: object, currency: str) -> str:
    """The guarantee fund's ceiling per entity for a new instance: the core default
    (``configs/settings.toml``, sized for the euro) times the price level, rounded to
    the currency's minor unit, so that an instance in krónur or yen is not capped at
    a few hundred euros' worth."""
    with (default_config_dir() / "settings.toml").open("rb") as handle:
        default = tomllib.load(handle)["instance"]["guarantee_fund"]["ceiling_per_entity"]
    level = as_decimal(str(price_level).strip(), field="price_level")
    scaled = round_money(as_decimal(default, field="ceiling_per_entity") * level, currency)
    return f"{scaled:f}"


class TemplateFilters(Extension):
    """The Jinja filters the country template renders with; its ``cookiecutter.json``
    names this extension in ``_extensions``, so plain cookiecutter runs have them too."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["guarantee_ceiling"] = guarantee_ceiling


def _check_withholding(check: _Checker, currency: str | None) -> None:
    spec = check.value("withholding").replace(" ", "")
    if ":" not in spec:
        check.fraction("withholding", spec)
        return
    thresholds = []
    for bracket in spec.split(","):
        threshold, _, rate = bracket.partition(":")
        if not rate:
            check.refuse("withholding", f"bracket {bracket!r} must be threshold:rate")
            continue
        found = check.amount("withholding", currency, positive=False, text=threshold)
        check.fraction("withholding", rate)
        if found is not None:
            thresholds.append(found)
    if thresholds and thresholds[0] != 0:
        check.refuse("withholding", "the first bracket's threshold must be 0")
    if thresholds != sorted(set(thresholds)):
        check.refuse("withholding", "thresholds must be strictly increasing")


# --- the command ---------------------------------------------------------------------
def template_variables() -> dict[str, Any]:
    with (TEMPLATE / "cookiecutter.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _install_config(package: Path, module: str, code: str, configs: Path) -> list[str]:
    """Write the instance file into the deployment's ``configs`` folder: Partage reads it
    there over its shipped settings and contract, which need no copy."""
    (configs / "instances").mkdir(parents=True, exist_ok=True)
    target = configs / "instances" / f"{code}.toml"
    shutil.copy(package / module / "data" / "instance.toml", target)
    return [f"Instance configuration: {target}"]


@dataclass(frozen=True)
class Scaffolded:
    """What :func:`scaffold` made.

    Attributes:
        package: the plugin package's folder.
        code: the country code of the instance.
        report: one line per thing written, for the person who ran it.
    """

    package: Path
    code: str
    report: tuple[str, ...]


def scaffold(answers: Mapping[str, Any], output_dir: Path, configs: Path) -> Scaffolded:
    """Check ``answers`` (every template variable), render the country plugin package
    into ``output_dir`` and install its instance configuration into ``configs``, a
    deployment's configs folder (:func:`~partage.core.platform.config.writable_config_dir`).

    Refuses with :class:`AnswerError` (every broken rule at once) before writing any
    file, and with :class:`~partage.core.contract.errors.PartageError` when the
    template itself fails.
    """
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.generate import generate_files

    configs = writable_config_dir(configs)
    check_answers(answers, configs=configs)
    package = output_dir.resolve() / answers["distribution"]
    if package.exists():
        raise AnswerError([f"output_dir: {package} already exists"])
    try:
        generate_files(
            repo_dir=TEMPLATE,
            context={
                "cookiecutter": {
                    **answers,
                    "_template": str(TEMPLATE),
                    "_extensions": template_variables().get("_extensions", []),
                }
            },
            output_dir=output_dir,
        )
    except CookiecutterException as exc:
        raise PartageError(None, f"the template failed, nothing kept: {exc}") from None
    code, module = answers["country_code"], answers["module"]
    made = f"Country plugin package: {package} ({answers['distribution']}, module {module})"
    return Scaffolded(package, code, (made, *_install_config(package, module, code, configs)))

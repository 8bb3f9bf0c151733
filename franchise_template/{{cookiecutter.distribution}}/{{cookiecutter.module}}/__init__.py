"""{{ cookiecutter.country_name }}: the Partage country plugin of {{ cookiecutter.franchisee_legal_name }}.

Registered under ``partage.countries`` as ``{{ cookiecutter.country_code }}``. It talks to the
core only through the hook contract (:mod:`partage.core.hookspecs`) and its value types.
"""

from __future__ import annotations

from partage.core.contract import CountryIdentity
from partage.core.hookspecs import hookimpl

PARTAGE_HOOK_API = "1.0"

IDENTITY = CountryIdentity(
    code="{{ cookiecutter.country_code }}",
    name="{{ cookiecutter.country_name }}",
    currency="{{ cookiecutter.currency }}",
    default_locale="{{ cookiecutter.default_locale }}",
    languages=({% for language in cookiecutter.languages.split(",") %}"{{ language.strip() }}", {% endfor %}),
    legal_form="{{ cookiecutter.legal_form }}",
)


@hookimpl
def partage_country_identity() -> CountryIdentity:
    return IDENTITY

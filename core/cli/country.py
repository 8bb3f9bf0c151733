"""``partage new-country``: scaffold a national partner's country plugin and instance.

The command renders the cookiecutter template ``franchise_template/`` into a standalone
plugin package (its own ``pyproject.toml`` registering the ``partage.countries`` entry
point, dated law parameters, a chart of accounts, a logo, tests that run the
conformance suite) and writes the instance's configuration into the deployment's own
configs folder, where Partage reads it over its shipped defaults:
``<configs>/instances/<code>.toml``, ``<configs>`` being ``--config-dir``, else
``PARTAGE_CONFIG_DIR``, else ``./configs`` (created). It never writes into the configs
folder shipped inside Partage. The package keeps the original in
``<module>/data/instance.toml``.

Every answer is checked before any file is written; a refusal names the field and the
rule. The template's pre-generation hook applies the same checks
(:func:`check_answers`) to plain ``cookiecutter`` runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from partage.core.platform import clock

#: Template variables the command takes as options, by option name.
OPTIONS = {
    "code": "country_code",
    "name": "country_name",
    "currency": "currency",
    "locale": "default_locale",
    "languages": "languages",
    "legal_form": "legal_form",
    "legal_name": "franchisee_legal_name",
    "brand_name": "brand_name",
    "primary_colour": "primary_colour",
    "secondary_colour": "secondary_colour",
    "management_fee": "management_fee_rate",
    "guarantee_fund_share": "guarantee_fund_share",
    "share_value": "share_nominal_value",
    "in_force_from": "in_force_from",
    "vat_standard": "vat_standard_rate",
    "vat_reduced": "vat_reduced_rates",
    "vat_source": "vat_source",
    "employee_rate": "employee_rate",
    "employer_rate": "employer_rate",
    "ceiling": "contribution_ceiling",
    "payroll_source": "payroll_source",
    "withholding": "withholding",
    "withholding_source": "withholding_source",
    "typical_gross": "typical_monthly_gross",
    "price_level": "price_level",
}


def _answers(given: Mapping[str, str], no_input: bool, configs: Path) -> dict[str, Any]:
    """Every template variable: given, else asked (with its default), else default.

    The code comes first and is checked at once (a taken code is refused before any
    other question); the name, currency, locale and languages then default to what
    that code's country has, the rest to the template's rendered defaults.
    """
    from cookiecutter.environment import StrictEnvironment
    from cookiecutter.prompt import render_variable

    from partage.core.franchise.countries import defaults_for
    from partage.core.franchise.scaffold import check_code, template_variables

    variables = template_variables()
    prompts = variables.get("__prompts__", {})
    environment = StrictEnvironment(context={"cookiecutter": variables})
    answers: dict[str, Any] = {}
    implied: dict[str, str] = {}
    for key, raw in variables.items():
        if key.startswith("_"):
            continue
        if key in given:
            answers[key] = given[key]
        else:
            default = render_variable(environment, implied.get(key, raw), answers)
            if no_input:
                answers[key] = default
            else:  # no default (a legal form Partage does not know): asked until typed
                answers[key] = typer.prompt(prompts.get(key, key), default or None)
        if key == "country_code":
            code = str(answers[key]).strip()
            check_code(code, configs)
            implied = defaults_for(code, clock.today())
    return answers


def _given(options: Mapping[str, str | None], pairs: list[str]) -> dict[str, str]:
    from partage.core.franchise.scaffold import AnswerError, template_variables

    variables = template_variables()
    given = {OPTIONS[name]: value for name, value in options.items() if value is not None}
    for pair in pairs:
        key, sign, value = pair.partition("=")
        if not sign or key not in variables or key.startswith("_"):
            known = ", ".join(k for k in variables if not k.startswith("_"))
            raise AnswerError([f"{pair!r}: must be KEY=VALUE with KEY one of {known}"])
        given[key] = value
    return given


def new_country(
    ctx: typer.Context,
    pairs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[KEY=VALUE]...", help="Answers by template variable (cookiecutter.json)."
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Ask nothing: take the options, else defaults.")
    ] = False,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Where the package folder is created.")
    ] = Path("."),
    config_dir: Annotated[
        Path | None,
        typer.Option(
            "--config-dir",
            "--configs",
            help="The deployment's configs folder receiving instances/<code>.toml "
            "(default: the global --config-dir, PARTAGE_CONFIG_DIR, else ./configs).",
        ),
    ] = None,
    code: Annotated[str | None, typer.Option(help="ISO 3166-1 alpha-2 code, lower case.")] = None,
    name: Annotated[str | None, typer.Option(help="Country name in English.")] = None,
    currency: Annotated[str | None, typer.Option(help="ISO 4217 code of the books.")] = None,
    locale: Annotated[str | None, typer.Option(help="Default CLDR locale.")] = None,
    languages: Annotated[str | None, typer.Option(help="ISO 639-1 codes, comma list.")] = None,
    legal_form: Annotated[str | None, typer.Option(help="The cooperative's legal form.")] = None,
    legal_name: Annotated[str | None, typer.Option(help="The franchisee's legal name.")] = None,
    brand_name: Annotated[str | None, typer.Option(help="Brand name on documents.")] = None,
    primary_colour: Annotated[str | None, typer.Option(help="Brand colour #rrggbb.")] = None,
    secondary_colour: Annotated[str | None, typer.Option(help="Second colour #rrggbb.")] = None,
    management_fee: Annotated[str | None, typer.Option(help="Fee rate, e.g. 0.065.")] = None,
    guarantee_fund_share: Annotated[
        str | None, typer.Option(help="Share of fee income for the guarantee fund.")
    ] = None,
    share_value: Annotated[str | None, typer.Option(help="Nominal value of a share.")] = None,
    in_force_from: Annotated[
        str | None, typer.Option(help="First day of the law given, YYYY-MM-01.")
    ] = None,
    vat_standard: Annotated[str | None, typer.Option(help="Standard VAT rate.")] = None,
    vat_reduced: Annotated[str | None, typer.Option(help="Reduced VAT rates, comma list.")] = None,
    vat_source: Annotated[str | None, typer.Option(help="Legal source of the VAT rates.")] = None,
    employee_rate: Annotated[str | None, typer.Option(help="Employee contribution rate.")] = None,
    employer_rate: Annotated[str | None, typer.Option(help="Employer contribution rate.")] = None,
    ceiling: Annotated[
        str | None, typer.Option(help="Monthly contribution ceiling (0: none).")
    ] = None,
    payroll_source: Annotated[
        str | None, typer.Option(help="Legal source of the contributions.")
    ] = None,
    withholding: Annotated[
        str | None, typer.Option(help="Flat rate (0.10) or brackets (0:0,1500:0.10).")
    ] = None,
    withholding_source: Annotated[
        str | None, typer.Option(help="Legal source of the withholding.")
    ] = None,
    typical_gross: Annotated[
        str | None, typer.Option(help="A usual monthly gross (conformance scale).")
    ] = None,
    price_level: Annotated[
        str | None,
        typer.Option(help="Units of the currency buying what 1 euro buys (demo's scale)."),
    ] = None,
) -> None:
    """Generate a country plugin package and its instance configuration."""
    from partage.core.franchise.scaffold import scaffold
    from partage.core.platform.config import writable_config_dir

    # The answers given as options, by option name (None where not given).
    options = {key: value for key, value in locals().items() if key in OPTIONS}
    explicit = config_dir or getattr(ctx.obj, "config_dir", None)
    configs = writable_config_dir(explicit)
    answers = _answers(_given(options, pairs or []), no_input, configs)
    done = scaffold(answers, output_dir, configs)
    for line in done.report:
        typer.echo(line)
    # PARTAGE_CONFIG_DIR, or ./configs from this folder, is found without being named
    config_hint = "" if explicit is None else f"PARTAGE_CONFIG_DIR={configs} "
    typer.echo(
        f"Next: pip install -e '{done.package}[test]' && {config_hint}partage --instance "
        f"{done.code} demo; cd {done.package} && pytest (its tests and the conformance suite)"
    )

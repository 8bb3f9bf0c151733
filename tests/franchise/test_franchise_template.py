"""The franchise kit: ``partage new-country`` renders the cookiecutter template into a
country plugin package and its instance configuration; the package is ruff clean and
passes the conformance suite out of the box, also in currencies with 0 or 3 decimals;
refused answers write nothing."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import tomllib
from contextlib import closing
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter
from typer.testing import CliRunner

from partage.core.cli.main import app, main
from partage.core.contract.accounting import PostingRole
from partage.core.contract.charts import read_chart
from partage.core.contract.parameters import Parameters
from partage.core.franchise.scaffold import AnswerError
from partage.testing import ConformanceSuite

pytest_plugins = ("pytester",)

#: Imported once here: pytester's in-process runs below drop the modules a run imported
#: first, and importing the conformance suite's models a second time would declare
#: their tables twice.
assert ConformanceSuite

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "franchise_template"


def options(**answers: str) -> list[str]:
    """Command-line options from keyword answers (``vat_reduced="0.08"``)."""
    return [
        part for key, value in answers.items() for part in (f"--{key.replace('_', '-')}", value)
    ]


JAPAN = options(
    code="jp",
    name="Japan",
    currency="JPY",
    locale="ja_JP",
    languages="ja",
    legal_form="Rōdōsha kyōdō kumiai",
    vat_standard="0.10",
    vat_reduced="0.08",
    employee_rate="0.1515",
    employer_rate="0.1626",
    ceiling="1390000",
    withholding="0:0,88000:0.05,300000:0.10",
    typical_gross="300000",
    share_value="1000",
    price_level="150",
)
KUWAIT = options(
    code="kw",
    name="Kuwait",
    currency="KWD",
    locale="ar_KW",
    languages="ar,en",
    legal_form="Cooperative society",
    vat_standard="0",
    vat_reduced="",
    employee_rate="0.105",
    employer_rate="0.115",
    ceiling="2750.500",
    withholding="0",
    typical_gross="1250.750",
    share_value="10.000",
    price_level="0.33",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("PARTAGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def new_country(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *arguments: str
) -> tuple[int, str, str]:
    """Run ``partage new-country --no-input`` into ``tmp_path/out`` and ``tmp_path/configs``."""
    command = ["new-country", "--no-input", "-o", str(tmp_path / "out")]
    try:
        main([*command, "--configs", str(tmp_path / "configs"), *arguments])
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def written(tmp_path: Path) -> list[Path]:
    return sorted(p for p in tmp_path.rglob("*") if p.is_file())


# --- what is generated ---------------------------------------------------------------------
def test_new_country_writes_a_plugin_package_and_its_instance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = new_country(tmp_path, capsys, *JAPAN)
    assert code == 0, err
    package = tmp_path / "out" / "partage-country-jp"
    module = package / "partage_country_jp"
    project = tomllib.loads((package / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["partage.countries"] == {"jp": "partage_country_jp"}
    assert {p.name for p in (package / "tests").iterdir()} >= {
        "test_registered.py",
        "test_conformance.py",
        "test_instance.py",
        "test_law.py",
    }
    assert (
        "from partage.testing import ConformanceSuite"
        in (package / "tests" / "test_conformance.py").read_text()
    )
    assert (module / "data" / "logo.svg").read_text().startswith("<svg")
    assert "partage-country-jp" in (package / "README.md").read_text()
    # the law as dated, sourced data; one file per reduced rate given
    law = Parameters(module / "data" / "parameters")
    assert law.names() == [
        "payroll.contribution_ceiling",
        "payroll.employee_rate",
        "payroll.employer_rate",
        "tax.withholding",
        "vat.reduced",
        "vat.standard",
    ]
    assert str(law["vat.standard"].values[0].value) == "0.10"
    assert [str(b.rate) for b in law["tax.withholding"].values[0].brackets] == [
        "0",
        "0.05",
        "0.10",
    ]
    assert all(v.reference and v.start.day == 1 for n in law.names() for v in law[n].values)
    chart = read_chart(
        "generic", module / "data" / "chart.csv", module / "data" / "chart_roles.toml"
    )
    assert {role for role, _ in chart.roles} == set(PostingRole)
    # the instance configuration, where the kit reads it, and the package's copy
    instance = tmp_path / "configs" / "instances" / "jp.toml"
    assert instance.read_text() == (module / "data" / "instance.toml").read_text()
    settings = tomllib.loads(instance.read_text())["instance"]
    assert (settings["currency"], settings["country_plugin"], settings["languages"]) == (
        "JPY",
        "jp",
        ["ja"],
    )
    # the guarantee ceiling at the country's price level: 25,000.00 x 150, whole yen
    assert settings["guarantee_fund"]["ceiling_per_entity"] == "3750000"
    # the deployment's folder holds the instance file alone, layered over Partage's own
    assert [p.name for p in (tmp_path / "configs").rglob("*.toml")] == ["jp.toml"]
    assert f"Instance configuration: {instance}" in out
    assert f"PARTAGE_CONFIG_DIR={tmp_path / 'configs'} partage --instance jp demo" in out


def test_without_reduced_rates_only_the_standard_rate_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = new_country(tmp_path, capsys, *KUWAIT)
    assert code == 0, err
    vat = tmp_path / "out" / "partage-country-kw" / "partage_country_kw" / "data" / "parameters"
    assert sorted(p.name for p in (vat / "vat").iterdir()) == ["standard.toml"]
    withholding = Parameters(vat)["tax.withholding"].values[0]
    assert (withholding.value, withholding.brackets) == (0, ())
    instance = tomllib.loads((tmp_path / "configs" / "instances" / "kw.toml").read_text())
    # 25,000.00 x 0.33, in fils: three decimals
    assert instance["instance"]["guarantee_fund"]["ceiling_per_entity"] == "8250.000"


def test_the_command_asks_each_question_with_its_default(tmp_path: Path) -> None:
    # code, name, currency (default), locale, languages; Malta's cooperative form is not
    # in Partage's table: asked again until typed; then every default
    lines = ["mt", "Malta", "", "mt_MT", "mt,en", "", "Soċjetà Koperattiva"] + [""] * 40
    result = CliRunner().invoke(
        app,
        ["new-country", "-o", str(tmp_path / "out"), "--configs", str(tmp_path / "configs")],
        input="\n".join(lines) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Country code (ISO 3166-1 alpha-2, lower case) [lu]:" in result.output
    assert "The cooperative's legal form:" in result.output
    assert "The franchisee's registered name [Partage Malta]:" in result.output
    assert (
        "Units of the currency that buy what one euro buys, roughly (scales the demo's "
        "invented prices) [1]:" in result.output
    )
    instance = tomllib.loads((tmp_path / "configs" / "instances" / "mt.toml").read_text())
    assert instance["instance"]["legal_name"] == "Partage Malta"
    assert (instance["instance"]["currency"], instance["instance"]["languages"]) == (
        "EUR",
        ["mt", "en"],
    )


def identity_of(tmp_path: Path, code: str) -> str:
    """The generated package's identity module."""
    package = tmp_path / "out" / f"partage-country-{code}" / f"partage_country_{code}"
    return (package / "identity.py").read_text()


@pytest.mark.parametrize(
    ("code", "form"),
    [
        ("es", "Sociedad Cooperativa"),
        ("it", "Società cooperativa"),
        ("de", "eingetragene Genossenschaft (eG)"),
        ("nl", "Coöperatie U.A."),
    ],
)
def test_the_legal_form_offered_is_the_code_typeds(tmp_path: Path, code: str, form: str) -> None:
    result = CliRunner().invoke(
        app,
        ["new-country", "-o", str(tmp_path / "out"), "--configs", str(tmp_path / "configs")],
        input=f"{code}\n" + "\n" * 40,
    )
    assert result.exit_code == 0, result.output
    assert f"The cooperative's legal form [{form}]:" in result.output
    assert f'LEGAL_FORM = "{form}"' in identity_of(tmp_path, code)


MALTA = ["new-country", "--no-input", "-o", "out", "--code", "mt"]


def test_a_country_without_a_known_legal_form_needs_one_typed(tmp_path: Path) -> None:
    """Malta with every default taken: the empty legal form is refused, nothing written."""
    result = CliRunner().invoke(
        app,
        [*MALTA, "--configs", str(tmp_path / "configs")],
    )
    assert isinstance(result.exception, AnswerError)
    assert "legal_form = '': is required" in str(result.exception)
    assert not (tmp_path / "out").exists()


def test_defaults_follow_the_code_typed_for_a_country_no_one_wrote(tmp_path: Path) -> None:
    """Portugal: every answer taken as offered after the code."""
    result = CliRunner().invoke(
        app,
        ["new-country", "-o", str(tmp_path / "out"), "--configs", str(tmp_path / "configs")],
        input="pt\n" + "\n" * 40,
    )
    assert result.exit_code == 0, result.output
    assert "Country name (English) [Portugal]:" in result.output
    assert "Currency of the books (ISO 4217) [EUR]:" in result.output
    assert "Default locale (CLDR, e.g. fr_LU) [pt_PT]:" in result.output
    assert "The cooperative's legal form [Cooperativa (CRL)]:" in result.output
    assert "The franchisee's registered name [Partage Portugal CRL]:" in result.output
    assert "SC (société coopérative)" not in result.output
    assert "Luxembourg" not in result.output
    instance = tomllib.loads((tmp_path / "configs" / "instances" / "pt.toml").read_text())
    assert instance["instance"]["name"] == "Partage Portugal"
    assert instance["instance"]["legal_name"] == "Partage Portugal CRL"
    assert instance["instance"]["languages"] == ["pt"]
    assert 'LEGAL_FORM = "Cooperativa (CRL)"' in identity_of(tmp_path, "pt")
    identity = tmp_path / "out" / "partage-country-pt" / "partage_country_pt" / "identity.py"
    assert 'default_locale="pt_PT"' in identity.read_text()
    assert f"pip install -e '{tmp_path / 'out' / 'partage-country-pt'}[test]'" in result.output


def test_a_taken_code_is_refused_before_the_next_question(tmp_path: Path) -> None:
    (tmp_path / "configs" / "instances").mkdir(parents=True)
    (tmp_path / "configs" / "instances" / "pt.toml").write_text("")
    result = CliRunner().invoke(
        app,
        ["new-country", "-o", str(tmp_path / "out"), "--configs", str(tmp_path / "configs")],
        input="pt\n" + "\n" * 40,
    )
    assert isinstance(result.exception, AnswerError)
    assert "country_code = 'pt': already taken by the instance configuration" in str(
        result.exception
    )
    assert "Country name" not in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["Portugal", "portugal", "PORTUGAL"])
def test_the_countrys_name_in_english_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, _, err = new_country(tmp_path, capsys, "--code", "pt", "--name", name)
    assert code == 0, err


def test_a_name_in_a_national_language_is_accepted_and_the_rest_follows_the_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = new_country(
        tmp_path, capsys, "--code", "ch", "--name", "Svizzera", "--legal-form", "Genossenschaft"
    )
    assert code == 0, err
    instance = tomllib.loads((tmp_path / "configs" / "instances" / "ch.toml").read_text())
    assert instance["instance"]["name"] == "Partage Svizzera"
    assert instance["instance"]["currency"] == "CHF"
    assert instance["instance"]["languages"] == ["de", "fr", "it"]
    identity = tmp_path / "out" / "partage-country-ch" / "partage_country_ch" / "identity.py"
    assert 'default_locale="de_CH"' in identity.read_text()


def test_a_name_that_is_not_the_codes_country_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = new_country(tmp_path, capsys, "--code", "pt", "--name", "Luxembourg")
    assert code == 2
    assert "country_name = 'Luxembourg': must name the country of code 'pt'" in err
    assert "portugal" in err
    assert written(tmp_path) == []


# --- the generated package holds up ------------------------------------------------------
def test_the_generated_package_is_ruff_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bolivia = ["--code", "bo", "--name", "Bolivia, Plurinational State of"]
    code, _, err = new_country(tmp_path, capsys, *JAPAN, *bolivia)
    assert code == 0, err
    package = tmp_path / "out" / "partage-country-bo"
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command], cwd=package, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("country", [JAPAN, KUWAIT], ids=["JPY, 0 decimals", "KWD, 3 decimals"])
def test_the_generated_plugin_passes_the_conformance_suite(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    pytester: pytest.Pytester,
    country: list[str],
) -> None:
    code, _, err = new_country(tmp_path, capsys, *country)
    assert code == 0, err
    iso, level = country[1], country[country.index("--price-level") + 1]
    package = tmp_path / "out" / f"partage-country-{iso}"
    pytester.syspathinsert(package)
    pytester.makepyfile(
        test_generated=f"""
        from decimal import Decimal

        import partage_country_{iso} as plugin
        from partage.testing import ConformanceSuite

        class TestGenerated(ConformanceSuite):
            country = "{iso}"
            plugin = plugin

        def test_the_demo_prices_at_the_answered_level():
            assert plugin.partage_sample_data().price_level == Decimal("{level}")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "test_generated.py")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) >= 30 and not outcomes.get("failed"), result.stdout.str()
    assert not outcomes.get("errors"), result.stdout.str()


# --- refusals write nothing ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--code", "xx"], "country_code = 'xx': must be an ISO 3166-1 alpha-2 country code"),
        (["--code", "LU"], "country_code = 'LU': must be an ISO 3166-1 alpha-2 country code"),
        (["--code", "be"], "country_code = 'be': already taken by the installed country plugin"),
        (["--currency", "EUX"], "currency = 'EUX': must be an ISO 4217 currency code"),
        (["--locale", "zz_QQ"], "default_locale = 'zz_QQ': must be a locale CLDR knows"),
        (["--languages", "fr,xx"], "languages = 'fr,xx': 'xx' is not an ISO 639-1 language"),
        (["--management-fee", "1.2"], "management_fee_rate = '1.2': must be a fraction from 0"),
        (["--vat-standard", "21"], "vat_standard_rate = '21': must be a fraction from 0"),
        (["--employee-rate", ".13"], "employee_rate = '.13': must be a decimal number"),
        (["--vat-reduced", "0.20"], "0.20 must be below the standard rate 0.17"),
        (["--withholding", "100:0.1"], "the first bracket's threshold must be 0"),
        (["--withholding", "0:0,900:0.2,500:0.3"], "thresholds must be strictly increasing"),
        (["--ceiling", "-5"], "contribution_ceiling = '-5': must be a decimal number"),
        (
            ["--currency", "JPY", "--typical-gross", "3000.50"],
            "typical_monthly_gross = '3000.50': 3000.50 has more than 0 decimals for JPY",
        ),
        (["--price-level", "0"], "price_level = '0': must be a positive number"),
        (
            ["--price-level", "0.0000001"],
            "price_level = '0.0000001': makes the guarantee fund's ceiling per entity round "
            "to 0 EUR",
        ),
        (["--price-level", "-150"], "price_level = '-150': must be a decimal number"),
        (
            ["--price-level", "150"],
            "price_level = '150': makes the demo's smallest monthly salary 600 x 150 = 90000 "
            "EUR, above typical_monthly_gross 3000 EUR",
        ),
        (["--primary-colour", "red"], "primary_colour = 'red': must be a colour #rrggbb"),
        (["--in-force-from", "2026-02-15"], "in_force_from = '2026-02-15': must be the first day"),
        (["--name", 'Lux"embourg'], "must not contain double quotes"),
        (["nope=1"], "'nope=1': must be KEY=VALUE with KEY one of country_code"),
    ],
)
def test_invalid_answers_are_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    code, _, err = new_country(tmp_path, capsys, *arguments)
    assert code == 2
    assert err.startswith("partage: error: new country refused, nothing written: ")
    assert message in err
    assert written(tmp_path) == []


def test_a_code_an_instance_configuration_uses_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "configs" / "instances" / "lu.toml"
    existing.parent.mkdir(parents=True)
    existing.write_text("# an instance already configured\n")
    code, _, err = new_country(tmp_path, capsys, "--code", "lu")
    assert code == 2
    assert f"country_code = 'lu': already taken by the instance configuration {existing}" in err
    assert written(tmp_path) == [existing]


def test_an_existing_package_folder_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "out" / "partage-country-lu").mkdir(parents=True)
    code, _, err = new_country(tmp_path, capsys)
    assert code == 2
    assert "partage-country-lu already exists" in err
    assert not (tmp_path / "configs").exists()


# --- plain cookiecutter ------------------------------------------------------------------------
def test_plain_cookiecutter_renders_with_the_defaults_and_its_hook_refuses_bad_answers(
    tmp_path: Path,
) -> None:
    out = Path(
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            output_dir=str(tmp_path / "ok"),
            extra_context={"country_code": "pt", "country_name": "Portugal", "languages": "pt"},
        )
    )
    assert out.name == "partage-country-pt"
    assert (out / "partage_country_pt" / "data" / "parameters" / "vat" / "reduced_3.toml").is_file()
    instance = tomllib.loads((out / "partage_country_pt" / "data" / "instance.toml").read_text())
    assert instance["instance"]["guarantee_fund"]["ceiling_per_entity"] == "25000.00"
    with pytest.raises(FailedHookException):
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            output_dir=str(tmp_path / "refused"),
            extra_context={"country_code": "pt", "employer_rate": "1.5"},
        )
    assert not (tmp_path / "refused").exists() or not any((tmp_path / "refused").iterdir())


# --- installed for real ------------------------------------------------------------------------
@pytest.mark.slow
def test_installed_package_is_listed_runs_its_tests_and_the_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pip-install the generated package (no dependencies) into a fresh virtual
    environment that sees this one's packages, then run its own pytest, ``partage
    plugins list`` and ``partage --instance is demo``."""
    iceland = ["--code", "is", "--name", "Iceland", "--currency", "ISK", "--locale", "is_IS"]
    iceland += ["--legal-form", "Samvinnufélag"]
    iceland += ["--languages", "is", "--typical-gross", "650000", "--share-value", "5000"]
    iceland += ["--price-level", "150"]
    code, _, err = new_country(tmp_path, capsys, *iceland)
    assert code == 0, err
    instance = tomllib.loads((tmp_path / "configs" / "instances" / "is.toml").read_text())
    # the guarantee is not capped at 25,000 krónur (about 170 euros)
    assert instance["instance"]["guarantee_fund"]["ceiling_per_entity"] == "3750000"
    package = tmp_path / "out" / "partage-country-is"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (Path(site) / "partage_parent.pth").write_text(f"import site; site.addsitedir({ours!r})\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARTAGE_", "VIRTUAL_ENV"))}
    env["PARTAGE_CONFIG_DIR"] = str(tmp_path / "configs")

    def run(*command: str | Path, cwd: Path = tmp_path) -> str:
        result = subprocess.run(
            [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        return result.stdout

    run(python, "-m", "pip", "install", "--no-deps", "-q", "-e", package)
    tests = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=package)
    assert " passed" in tests and "failed" not in tests
    partage = "from partage.core.cli.main import main; main()"
    listed = run(python, "-c", partage, "plugins", "list")
    assert any(line.split()[:2] == ["is", "country"] for line in listed.splitlines())
    assert "partage-country-is" in listed
    database = f"sqlite:///{tmp_path / 'demo.db'}"
    demo = run(
        python,
        "-c",
        partage,
        "--instance",
        "is",
        "--database-url",
        database,
        "demo",
        "--members",
        "5",
    )
    assert "Instance is: Partage Iceland" in demo and "books in ISK" in demo
    assert "Country plugin is (Iceland)" in demo
    # The month is invented in euros at 150 krónur to the euro: invoices of hundreds of
    # thousands of krónur (about 2 000 euros on average; the smallest line, a day's quick
    # job, is 18 000), written without decimals; at par they averaged about 2 500 krónur.
    invoiced = re.search(r"invoiced excl\. VAT ([\d,]+) ISK on (\d+) invoices", demo)
    assert invoiced is not None, demo
    average = int(invoiced[1].replace(",", "")) / int(invoiced[2])
    assert 30_000 <= average <= 3_000_000, invoiced[0]
    # pay at the same scale: 14 to 40 euros an hour, monthly grosses of at least 600
    # euros rounded down to thousands of krónur
    with closing(sqlite3.connect(tmp_path / "demo.db")) as db:
        contracts = db.execute("SELECT hourly_rate, monthly_gross FROM contract").fetchall()
    hourly = {rate for rate, _ in contracts if rate is not None}
    assert hourly and hourly <= {150 * r for r in (14, 16, 18, 20, 22, 25, 28, 32, 36, 40)}
    assert all(gross >= 90_000 and gross % 1000 == 0 for _, gross in contracts if gross)

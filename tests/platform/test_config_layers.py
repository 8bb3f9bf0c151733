"""Where the configuration's files live: a deployment's own configs folder layered over
the shipped one, the environment's variables over both, and the variables that are not
settings kept out of them."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from partage.core.cli.main import main
from partage.core.contract.errors import ConfigError
from partage.core.platform.config import (
    default_config_dir,
    deployment_config_dir,
    resolve,
    writable_config_dir,
)
from partage.core.platform.registry import PluginKind, PluginRegistry
from partage.core.platform.runtime import load_config
from tests.conftest import CountryPlugin

SHIPPED = default_config_dir()


@pytest.fixture(autouse=True)
def no_partage_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No PARTAGE_* variable from outside, and a working folder without ./configs."""
    for name in [n for n in os.environ if n.startswith("PARTAGE_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def deployment(tmp_path: Path) -> Path:
    """An empty deployment configs folder."""
    folder = tmp_path / "deployment"
    (folder / "instances").mkdir(parents=True)
    return folder


def instance_file(folder: Path, code: str, **changes: str) -> Path:
    """``folder/instances/<code>.toml``: the shipped Belgian one, recoded and edited."""
    text = (SHIPPED / "instances" / "be.toml").read_text()
    text = text.replace('code = "be"', f'code = "{code}"', 1)
    for old, new in changes.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / "instances" / f"{code}.toml"
    path.write_text(text)
    return path


def shipped_digest() -> str:
    """One digest of every file in the shipped configs folder, names and contents."""
    digest = hashlib.sha256()
    for path in sorted(
        p for p in SHIPPED.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ):
        digest.update(str(path.relative_to(SHIPPED)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def show(capsys: pytest.CaptureFixture[str], *options: str) -> dict[str, dict[str, str]]:
    """``partage config show --format json``, keyed by setting."""
    with pytest.raises(SystemExit) as done:
        main([*options, "config", "show", "--format", "json"])
    out, err = capsys.readouterr()
    assert done.value.code in (0, None), err
    return {row["key"]: row for row in json.loads(out)}


# --- layering -------------------------------------------------------------------------
def test_a_deployment_settings_file_overrides_one_key_and_the_shipped_give_the_rest(
    deployment: Path,
) -> None:
    (deployment / "settings.toml").write_text("[ledger]\nfiscal_year_start_month = 7\n")
    resolved = resolve("be", deployment)
    assert resolved.values["ledger"]["fiscal_year_start_month"] == 7
    assert resolved.source_of("ledger.fiscal_year_start_month") == str(deployment / "settings.toml")
    assert resolved.values["database_url"] == "sqlite:///partage.db"
    assert resolved.source_of("database_url") == str(SHIPPED / "settings.toml")
    assert resolved.values["instance"]["guarantee_fund"]["max_days_overdue"] == 60
    assert resolved.source_of("instance.code") == str(SHIPPED / "instances" / "be.toml")
    assert resolved.layers == (
        SHIPPED / "settings.toml",
        deployment / "settings.toml",
        SHIPPED / "network.toml",
        SHIPPED / "instances" / "be.toml",
    )


def test_the_franchisors_contract_overrides_the_shipped_one_lists_replaced(
    deployment: Path, registry: PluginRegistry
) -> None:
    """A list in a later layer replaces the earlier one: the franchisor's contract names
    its own franchisees, it does not add them to the shipped contract's."""
    (deployment / "network.toml").write_text(
        '[network]\nname = "Réseau Partage"\n\n'
        '[network.brand]\nfranchisee_may_change = ["local_name_suffix"]\n\n'
        '[[network.franchisees]]\ncode = "be"\nlegal_name = "Partage Belgique SC"\n'
        'country = "BE"\nrole = "Runs the Belgian instance."\n'
    )
    network = load_config("be", deployment, registry).network
    assert network.name == "Réseau Partage"
    assert [p.code for p in network.franchisees] == ["be"]
    assert network.franchisees[0].vat_number is None
    assert network.brand_may_change == ("local_name_suffix",)
    assert network.brand_must_keep == ("name", "primary_colour", "logo", "values")
    assert network.franchise_fee.period == "quarter"  # from the shipped contract
    resolved = resolve("be", deployment)
    assert resolved.source_of("network.franchisees[0].code") == str(deployment / "network.toml")
    assert resolved.source_of("network.reporting.cadence") == str(SHIPPED / "network.toml")


def test_an_instance_only_the_deployment_holds_is_served_beside_the_shipped_ones(
    deployment: Path, registry: PluginRegistry
) -> None:
    registry.add(CountryPlugin("lu"), name="lu", kind=PluginKind.COUNTRY)
    path = instance_file(deployment, "lu", **{'country_plugin = "be"': 'country_plugin = "lu"'})
    config = load_config("lu", deployment, registry)
    assert config.instance.code == "lu"
    assert config.resolved.source_of("instance.name") == str(path)
    assert config.resolved.source_of("instance.guarantee_fund.coverage_rate") == str(
        SHIPPED / "settings.toml"
    )
    assert load_config("fr", deployment, registry).instance.code == "fr"
    with pytest.raises(ConfigError, match="known instances: be, fr, lu"):
        resolve("zz", deployment)


def test_the_deployments_instance_file_wins_over_the_shipped_one(deployment: Path) -> None:
    path = instance_file(
        deployment, "be", **{'management_fee_rate = "0.065"': 'management_fee_rate = "0.07"'}
    )
    resolved = resolve("be", deployment)
    assert resolved.values["instance"]["management_fee_rate"] == "0.07"
    assert resolved.layers[-1] == path


def test_a_configs_folder_in_the_working_folder_is_the_deployments(
    tmp_path: Path, registry: PluginRegistry
) -> None:
    local = tmp_path / "configs"
    (local / "instances").mkdir(parents=True)
    (local / "settings.toml").write_text('database_url = "sqlite:///here.db"\n')
    assert deployment_config_dir() == local
    config = load_config("be", registry=registry)
    assert config.database_url == "sqlite:///here.db"
    assert config.resolved.source_of("database_url") == str(local / "settings.toml")


def test_a_configs_folder_named_but_missing_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigError) as refused:
        resolve("be", tmp_path / "nowhere")
    assert (refused.value.source, refused.value.key) == ("--config-dir", "config_dir")
    monkeypatch.setenv("PARTAGE_CONFIG_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(ConfigError, match="no such configs folder") as refused:
        resolve("be")
    assert refused.value.source == "env PARTAGE_CONFIG_DIR"


def test_the_shipped_folder_named_as_the_deployments_adds_no_layer() -> None:
    assert deployment_config_dir(SHIPPED) is None
    assert len(resolve("be", SHIPPED).layers) == 3


def test_an_environment_variable_replaces_a_list(
    registry: PluginRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTAGE_INSTANCE__LANGUAGES", '["nl"]')
    config = load_config("be", registry=registry)
    assert config.instance.languages == ("nl",)
    assert config.resolved.source_of("instance.languages") == "env PARTAGE_INSTANCE__LANGUAGES"


def test_a_broken_deployment_file_is_named(deployment: Path) -> None:
    (deployment / "network.toml").write_text("[network\n")
    with pytest.raises(ConfigError, match="not valid TOML") as refused:
        resolve("be", deployment)
    assert refused.value.source == str(deployment / "network.toml")


def test_a_jinja_template_in_a_file_is_refused_naming_the_file_and_key(deployment: Path) -> None:
    path = instance_file(deployment, "be", **{'name = "': 'name = "@jinja {{ 1 + 1 }}'})
    with pytest.raises(ConfigError, match="Jinja templates are not read") as refused:
        resolve("be", deployment)
    assert (refused.value.source, refused.value.key) == (str(path), "instance.name")


def test_a_jinja_template_in_a_variable_is_refused_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PARTAGE_INSTANCE__NAME", "@jinja {{ 'x' }}")
    with pytest.raises(ConfigError, match="write the value itself") as refused:
        resolve("be")
    assert refused.value.source == "env PARTAGE_INSTANCE__NAME"


def test_reading_settings_leaves_flask_and_jinja_importable() -> None:
    """dynaconf is imported without them (settings_engine), yet nothing else loses them."""
    script = (
        "import sys\n"
        "import partage.core.platform.settings_engine\n"
        "assert 'flask' not in sys.modules and 'jinja2' not in sys.modules, sys.modules\n"
        "import importlib.util, jinja2\n"
        "if importlib.util.find_spec('flask'):\n"
        "    import flask\n"
        "print(jinja2.Environment().from_string('{{ 2 * 3 }}').render())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "6"), done.stderr


# --- partage config show names each value's layer ------------------------------------
def test_config_show_names_the_file_the_instance_file_and_the_variable(
    deployment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = instance_file(
        deployment,
        "be",
        **{'share_of_fee_income = "0.20"': 'share_of_fee_income = "0.20"\nmax_days_overdue = 30'},
    )
    monkeypatch.setenv("PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE", "0.07")
    rows = show(capsys, "--config-dir", str(deployment), "--instance", "be")
    assert rows["database_url"]["source"] == str(SHIPPED / "settings.toml")
    assert rows["instance.guarantee_fund.coverage_rate"]["source"] == str(SHIPPED / "settings.toml")
    overridden = rows["instance.guarantee_fund.max_days_overdue"]
    assert (overridden["value"], overridden["source"]) == (30, str(path))
    fee = rows["instance.management_fee_rate"]
    assert (fee["value"], fee["source"]) == ("0.07", "env PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE")


# --- variables that are not settings ---------------------------------------------------
NOT_SETTINGS = {
    "PARTAGE_INSTANCE": "fr",
    "PARTAGE_CONFIG_DIR": "",  # set to a real folder by the test
    "PARTAGE_DISABLE_PLUGIN_AUTOLOAD": "1",
    "PARTAGE_TEST_BACKENDS": "sqlite",
    "PARTAGE_TEST_POSTGRES_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
    "PARTAGE_TEST_ARTIFACTS": "/tmp/artifacts",
    "PARTAGE_BENCH_POSTGRES_URL": "postgresql://postgres@127.0.0.1:5432/postgres",
    "PARTAGE_FUZZ_EXAMPLES": "40",
    "PARTAGE_CI_VENV": ".venv-ci",
    "PARTAGE_ACTOR": "jane",
    "PARTAGE_TEST_MIGRATIONS": "real",
}


@pytest.mark.parametrize("variable", sorted(NOT_SETTINGS))
def test_a_program_variable_is_never_a_setting(
    variable: str, deployment: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Set or not, the variable changes no setting and no setting's layer; the
    selectors keep their meaning (tested below), here the instance is named."""
    baseline = resolve("be")
    monkeypatch.setenv(variable, NOT_SETTINGS[variable] or str(deployment))
    resolved = resolve("be")
    assert resolved.items() == baseline.items()
    # not a value of its own (PARTAGE_INSTANCE=fr would replace the [instance] table)
    assert variable.removeprefix("PARTAGE_").lower() not in [k for k, _, _ in resolved.items()]


def test_partage_instance_chooses_the_instance_and_is_no_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PARTAGE_INSTANCE", "fr")
    rows = show(capsys)
    assert rows["instance.code"]["value"] == "fr"
    assert "instance" not in rows  # the [instance] table is not clobbered by the selector
    assert rows["instance.management_fee_rate"]["value"] == "0.085"
    assert all(not row["source"].startswith("env") for row in rows.values())


def test_partage_config_dir_names_the_deployment_and_is_no_setting(
    deployment: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (deployment / "settings.toml").write_text('database_url = "sqlite:///deployed.db"\n')
    monkeypatch.setenv("PARTAGE_CONFIG_DIR", str(deployment))
    rows = show(capsys)
    assert rows["database_url"]["source"] == str(deployment / "settings.toml")
    assert not [key for key in rows if key.startswith("config_dir")]


def test_partage_database_url_overrides_the_database_url_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PARTAGE_DATABASE_URL", "sqlite:///elsewhere.db")
    row = show(capsys)["database_url"]
    assert (row["value"], row["source"]) == ("sqlite:///elsewhere.db", "env PARTAGE_DATABASE_URL")


def test_partage_disable_plugin_autoload_still_keeps_entry_points_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert PluginRegistry().names(PluginKind.COUNTRY)
    monkeypatch.setenv("PARTAGE_DISABLE_PLUGIN_AUTOLOAD", "1")
    assert PluginRegistry().names(PluginKind.COUNTRY) == []
    assert "disable_plugin_autoload" not in resolve("be").values


def test_partage_test_backends_still_chooses_the_test_backends(
    monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config
) -> None:
    from partage.testing.plugin import backends

    monkeypatch.setenv("PARTAGE_TEST_BACKENDS", "postgresql")
    if pytestconfig.getoption("partage_backends"):
        pytest.skip("--partage-backends given: it wins over the variable")
    assert backends(pytestconfig) == ["postgresql"]
    assert "test_backends" not in resolve("be").values


# --- no command writes into the shipped folder ---------------------------------------
def test_new_country_writes_into_the_working_folders_configs_never_the_shipped_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = shipped_digest()
    with pytest.raises(SystemExit) as done:
        main(["new-country", "--no-input", "-o", str(tmp_path / "out"), "--code", "lu"])
    assert done.value.code in (0, None), capsys.readouterr().err
    assert (tmp_path / "configs" / "instances" / "lu.toml").is_file()
    assert sorted(p.name for p in (tmp_path / "configs").rglob("*")) == ["instances", "lu.toml"]
    assert "partage --instance lu demo" in capsys.readouterr().out
    assert shipped_digest() == before


def test_new_country_refuses_the_shipped_folder_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = shipped_digest()
    with pytest.raises(SystemExit) as done:
        main(["new-country", "--no-input", "-o", str(tmp_path / "out"), "--configs", str(SHIPPED)])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "config_dir" in err and "shipped inside Partage" in err
    assert not (tmp_path / "out").exists()
    assert shipped_digest() == before
    with pytest.raises(ConfigError):
        writable_config_dir(SHIPPED / "instances")

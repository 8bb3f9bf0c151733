"""The plugin's first test: it is registered under its country code and says who it is."""

from partage.testing import PluginKind, PluginRegistry


def test_plugin_is_registered_under_its_country_code() -> None:
    registry = PluginRegistry(autoload=False)
    registry.load_entry_points()
    info = registry.get(PluginKind.COUNTRY, "{{ cookiecutter.country_code }}")
    assert info.distribution == "{{ cookiecutter.distribution }}"
    identity = registry.manager("{{ cookiecutter.country_code }}").hook.partage_country_identity()
    assert identity.code == "{{ cookiecutter.country_code }}"
    assert identity.currency == "{{ cookiecutter.currency }}"

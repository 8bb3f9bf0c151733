"""Partage's conformance suite, run on this plugin: every hook's contract, the law as
dated and sourced data, and a month of economic acts whose books balance."""

from partage.testing import ConformanceSuite


class TestConformance(ConformanceSuite):
    country = "{{ cookiecutter.country_code }}"

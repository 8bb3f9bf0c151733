"""Sector plugins: a trade's rules, enabled per local office (entry point group
``partage.sectors``).

A sector plugin is a package like a country plugin: its hook implementations in
``__init__``, its dated parameters (each with its source) under ``data/parameters``.
It imports nothing but :mod:`partage.core.contract` (a rule that starts on a day of its
own reads its parameters with :meth:`~partage.core.contract.Parameters.since`), and
shares nothing with the other sectors. It sees an act only through
:class:`~partage.core.contract.ActContext` and answers for
the acts of entities working in its trade whose office has enabled it on the act's
date (:mod:`partage.core.sectors.rules`).
"""

"""Reference plugins shipped with Partage: country plugins and sector plugins.

Each is found through an entry point (``partage.countries`` or ``partage.sectors``)
and talks to the core only through :mod:`partage.core.contract.hookspecs` and the value types
of :mod:`partage.core.contract`.
"""

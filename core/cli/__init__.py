"""The ``partage`` command line: one module per command group, each a thin face over
the services (parse options, call, render); :mod:`partage.core.cli.main` is the root,
which knows the groups by the table of :mod:`partage.core.cli.commands` and imports a
group's module only when one of its commands runs.
"""

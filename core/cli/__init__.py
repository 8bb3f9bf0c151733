"""The ``partage`` command line: one module per command group, each a thin face over
the services (parse options, call, render); :mod:`partage.core.cli.main.main` assembles
them.
"""

"""The ``partage`` command line."""

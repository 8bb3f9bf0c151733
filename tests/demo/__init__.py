"""The demo month and ``partage demo``."""

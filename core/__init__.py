"""Partage core: the shared-enterprise model, its books and its plugin contract.

The core never imports ``partage.plugins``; it reaches country and sector rules only
through the plugin manager built by :mod:`partage.core.platform.registry`.
"""

__version__ = "0.1.0"

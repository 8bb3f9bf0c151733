"""dynaconf, imported without its web-framework integrations.

dynaconf's package imports its Flask extension on load, and that extension imports Flask
(with Werkzeug and Jinja) whenever Flask is installed beside it; its parser imports Jinja
for the ``@jinja`` templates of settings values. Partage uses neither: its settings are
plain TOML values, read as written (a franchise contract's figures must mean what the
file says, not what a template renders), and its web stack is Litestar. Those two imports
were more than half of dynaconf's import and a third of ``partage config check``'s start.

So dynaconf is imported here, once, with ``flask`` and ``jinja2`` marked unimportable for
the duration (a ``None`` entry in :data:`sys.modules` makes an ``import`` raise
:class:`ImportError`, as the import system documents). dynaconf then sets itself up as it
does where neither is installed. A library already imported is left alone, and the marks
are removed at once, so Flask and Jinja stay importable by everything else (the web's
templates use Jinja). A value written with ``@jinja`` is refused by dynaconf saying that
Jinja is needed for it, which is Partage's rule too.

Every module of Partage takes dynaconf's names from here, never from ``dynaconf``.
"""

from __future__ import annotations

import sys

#: Libraries dynaconf would import on load for features Partage does not use.
UNUSED_INTEGRATIONS = ("flask", "jinja2")


def _import_without_integrations() -> None:
    """Import dynaconf with the unused integrations' libraries out of reach."""
    if "dynaconf" in sys.modules:
        return
    blocked = [name for name in UNUSED_INTEGRATIONS if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import dynaconf  # noqa: F401
    finally:
        for name in blocked:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


_import_without_integrations()

from dynaconf import Dynaconf, ValidationError, Validator  # noqa: E402
from dynaconf.loaders import toml_loader  # noqa: E402
from dynaconf.loaders.env_loader import load_from_env  # noqa: E402

__all__ = ["Dynaconf", "ValidationError", "Validator", "load_from_env", "toml_loader"]

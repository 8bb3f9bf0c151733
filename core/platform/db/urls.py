"""The database URLs Partage accepts, checked without loading SQLAlchemy.

``partage config check`` refuses a database URL the run could not use, yet opens no
database and needs no SQLAlchemy, whose import alone costs a command-line start more
than everything else it does. The engine (:func:`.engine.parse_url`) applies this same
check before SQLAlchemy reads the URL, so both refuse the same URLs in the same words.

The shape is SQLAlchemy's (``sqlalchemy.engine.url.make_url``):
``<backend>[+<driver>]://[user[:password]@][host][:port][/database][?query]``, the port
a number. Two back ends are served: SQLite (its plain driver) and PostgreSQL through
psycopg 3.
"""

from __future__ import annotations

import importlib.util
import re

from partage.core.contract.errors import DatabaseError

SUPPORTED = ("sqlite", "postgresql")
#: The driver name SQLAlchemy serves each back end with, and the module it needs.
DRIVERS = {"sqlite": ("sqlite", "sqlite3"), "postgresql": ("postgresql+psycopg", "psycopg")}
#: SQLAlchemy's URL pattern (``sqlalchemy.engine.url._parse_url``), matched from the
#: start: the name, then the optional credentials, host and port.
_URL = re.compile(
    r"""
    (?P<name>[\w+]+)://
    (?:[^:/]*(?::(?P<password>[^@]*))?@)?
    (?:(?:\[[^/?]+\]|[^/:?]+)?(?::(?P<port>[^/?]*))?)?
    """,
    re.X,
)


def driver_name(text: str) -> str:
    """The driver name SQLAlchemy will serve the URL ``text`` with (``sqlite`` or
    ``postgresql+psycopg``), or a :class:`DatabaseError` naming the rule it breaks."""
    found = _URL.match(text)
    port = found.group("port") if found else None
    if found is None or (port and not port.isdigit()):
        raise DatabaseError(
            "database URL",
            "not a URL such as sqlite:///partage.db or postgresql://user@host/db",
            value=repr(text),
        )
    name = found.group("name")
    backend = name.partition("+")[0]
    if backend not in SUPPORTED:
        raise DatabaseError(
            "database URL",
            f"back end {backend!r} is not supported (use one of: {', '.join(SUPPORTED)})",
            value=repr(text),
        )
    if backend == "postgresql" and name not in ("postgresql", "postgresql+psycopg"):
        raise DatabaseError(
            "database URL",
            f"driver {name!r} is not supported; use postgresql:// (psycopg 3)",
            value=repr(text),
        )
    if backend == "sqlite" and name != "sqlite":
        raise DatabaseError("database URL", "use the plain sqlite:/// driver", value=repr(text))
    return DRIVERS[backend][0]


def require_driver(text: str) -> None:
    """Refuse the URL ``text`` (already checked by :func:`driver_name`) when its driver's
    module is not installed, naming the extra that installs it."""
    backend = driver_name(text).partition("+")[0]
    module = DRIVERS[backend][1]
    if importlib.util.find_spec(module) is None:
        raise DatabaseError(
            "database URL",
            f"driver not installed (No module named {module!r}); "
            "install the extra: pip install 'partage[postgres]'",
            value=repr(hide_password(text)),
        )


def hide_password(text: str) -> str:
    """The URL ``text`` with its password, if any, written ``***`` (as SQLAlchemy
    renders a URL), for messages."""
    found = _URL.match(text)
    if found is None or found.group("password") is None:
        return text
    start, end = found.span("password")
    return f"{text[:start]}***{text[end:]}"

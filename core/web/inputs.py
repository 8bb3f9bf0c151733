"""Control characters are refused wherever a request carries text, naming where.

A NUL character in a login name, a query parameter, a payment key or a path would
reach the database, where PostgreSQL refuses it with an error of its own (a server
error to the client) and SQLite keeps it. Before any handler runs, this hook reads the
address's path and query parameters and every text of a JSON body or a form — not the
bytes of an uploaded file — and refuses the first control character with a 422 naming
its field (``lines[3].description``, ``vat_number``). Rows are checked again at flush
(:mod:`partage.core.platform.db.text_rules`), which also holds each text to its
column's length.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Request
from litestar.datastructures import UploadFile

from partage.core.platform.db.text_rules import check_text

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _texts(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every text inside a decoded JSON value, with its place."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            yield name, str(key)
            yield from _texts(item, name)
    elif isinstance(value, list):  # counted from 1, as the engine names a document's lines
        for index, item in enumerate(value, start=1):
            yield from _texts(item, f"{where}[{index}]")


async def refuse_control_characters(request: Request[Any, Any, Any]) -> None:
    """The ``before_request`` hook of the application (see the module's docstring)."""
    for name, value in request.path_params.items():
        if isinstance(value, str):
            check_text(name, value)
    for name, value in request.query_params.multi_items():
        check_text(name, value)
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    media = request.content_type[0]
    if media == "application/json" or media.endswith("+json"):
        try:
            decoded = msgspec.json.decode(await request.body())
        except msgspec.DecodeError:
            return  # the handler refuses malformed JSON with its own problem
        for where, text in _texts(decoded, ""):
            check_text(where or "body", text)
    elif media in FORMS:
        form = await request.form()
        for name, value in form.multi_items():
            if not isinstance(value, UploadFile):
                check_text(name, str(value))

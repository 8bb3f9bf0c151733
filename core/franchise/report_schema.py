"""Reading and checking a network report against the schema of its version.

A report is refused when its version is not one this core reads, when it breaks its
version's schema (the error names the file and the JSON pointer of the first bad
field), when an amount has more decimals than its currency, or when its period ends
before it starts. Money in it is a decimal string, never a JSON number.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from partage.core.contract.errors import N_, PartageError
from partage.core.contract.money import MoneyError, minor_exponent, to_minor
from partage.core.platform.limits import bounded
from partage.core.platform.network import SCHEMAS, report_schema_versions


class ReportError(PartageError):
    """A network report file is unreadable, of another version or breaks its schema.

    Attributes:
        file: the report's file name.
        pointer: JSON pointer of the bad field (``""`` for the whole document).
        rule: what is wrong, in words.
        params: the values the rule's template names (see :class:`PartageError`).
    """

    usage = True

    def __init__(self, file: str, pointer: str, rule: str, **params: object) -> None:
        self.file, self.pointer = file, pointer
        super().__init__(pointer or "/", rule, **params)

    def message(self) -> str:
        return f"{self.file}: {self.field}: {self.rule}"


@cache
def schema(version: str) -> dict[str, Any]:
    """The shipped JSON schema of a report version."""
    return json.loads((SCHEMAS / f"network_report-{version}.json").read_text(encoding="utf-8"))


def _pointer(path: Sequence[object]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _explain(error: ValidationError) -> tuple[str, str, dict[str, object]]:
    """The JSON pointer of the field an error is about, the rule it breaks and the
    values the rule names (the validator's own English words for the rarer rules)."""
    at = _pointer(list(error.absolute_path))
    value = error.instance
    if error.validator == "required" and isinstance(value, Mapping):
        missing = [name for name in error.validator_value if name not in value]
        return f"{at}/{missing[0]}", N_("is required"), {}
    if error.validator == "additionalProperties" and isinstance(value, Mapping):
        known = set(error.schema.get("properties", {}))
        extra = sorted(name for name in value if name not in known)
        return f"{at}/{extra[0]}", N_("is not a field of this report version"), {}
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if error.validator == "type" and error.validator_value == "string" and number:
        return (
            at,
            N_('{value} must be a decimal string such as "1234.50", not a number'),
            {"value": repr(value)},
        )
    if error.validator == "const":
        return (
            at,
            N_("{value} must be {expected}"),
            {
                "value": repr(value),
                "expected": repr(error.validator_value),
            },
        )
    return at, "{error}", {"error": error.message}


def _money_fields(report: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(pointer, value)`` of every amount of a schema-valid report."""
    found = [("/franchise_fee", report["franchise_fee"])]
    for section in ("invoicing", "payroll", "guarantee_fund"):
        found += [
            (f"/{section}/{name}", value)
            for name, value in report[section].items()
            if isinstance(value, str)
        ]
    found += [
        (f"/offices/{i}/invoiced_volume", office["invoiced_volume"])
        for i, office in enumerate(report["offices"])
    ]
    return found


def check_report(report: object, file: str) -> None:
    """Refuse a report of another version, or one that breaks its version's schema."""
    if not isinstance(report, Mapping):
        raise ReportError(file, "", N_("a network report must be a JSON object"))
    if "schema_version" not in report:
        raise ReportError(file, "/schema_version", N_("is required"))
    version = report["schema_version"]
    shipped = report_schema_versions()
    if version not in shipped:
        raise ReportError(
            file,
            "/schema_version",
            N_("{version} is not a report version this core reads ({shipped})"),
            version=repr(version),
            shipped=tuple(shipped),
        )
    validator = Draft202012Validator(
        schema(version), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(report), key=lambda e: [str(p) for p in e.path])
    if errors:
        at, rule, params = _explain(errors[0])
        raise ReportError(file, at, rule, **params)
    currency = report["instance"]["currency"]
    try:
        minor_exponent(currency)
    except MoneyError as exc:
        raise ReportError(file, "/instance/currency", "{error}", error=exc) from None
    for pointer, value in _money_fields(report):
        try:
            to_minor(Decimal(value), currency, field=pointer)
        except MoneyError as exc:
            raise ReportError(file, pointer, exc.template, **exc.params) from None
    if report["period"]["from"] > report["period"]["to"]:
        raise ReportError(file, "/period/to", N_("is before /period/from"))


def read_report(path: Path, limit: int) -> dict[str, Any]:
    """Load and check one report file, refused unread when it weighs more than
    ``limit`` bytes (``[limits] report_bytes``)."""
    try:
        bounded(str(path), path.stat().st_size, limit, "report_bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(
            str(path), "", N_("cannot be read: {reason}"), reason=exc.strerror or str(exc)
        ) from None
    return parse_report(data, str(path), limit)


def parse_report(data: bytes, file: str, limit: int) -> dict[str, Any]:
    """Check one report received as bytes (an upload named ``file``), refused unread
    over ``limit`` bytes."""
    bounded(file, len(data), limit, "report_bytes")
    try:
        report = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ReportError(file, "", N_("not UTF-8 text")) from None
    except json.JSONDecodeError as exc:
        raise ReportError(
            file,
            "",
            N_("not valid JSON: line {line} column {column}: {reason}"),
            line=exc.lineno,
            column=exc.colno,
            reason=exc.msg,
        ) from None
    check_report(report, file)
    return report

"""Benchmark of the official EN 16931 and Peppol rules shipped in the package.

What a process pays, in the order it pays it (nothing here asserts a threshold):

1. **Saxon start**: the Saxon-HE processor, created on the first check.
2. **First compile** of each stylesheet (EN 16931 UBL, Peppol UBL, EN 16931 CII), once
   per process.
3. **First check** of each syntax, right after compiling: Saxon finishes some of its
   work lazily, on the first document.
4. **Check after warm-up**: the time per document of :func:`official_rules.check` on a
   typical supplier invoice (a Belgian supplier's Peppol UBL, a French supplier's CII,
   ``--lines`` lines each) and on a long one (``--long-lines`` lines), median and mean
   over ``--runs`` checks after ``--warm-up`` checks.

Usage::

    python benchmarks/official_rules.py                   # 5 and 200 lines, 200 runs
    python benchmarks/official_rules.py --runs 20         # smoke run
    python benchmarks/official_rules.py --output results.json
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test worlds live in tests/

from partage.core.contract.einvoice import cii  # noqa: E402
from partage.core.documents import official_rules  # noqa: E402
from tests.documents_support import supplier_document, supplier_ubl  # noqa: E402

#: The documents measured: name, syntax, Peppol rules too.
SYNTAXES = {"ubl": True, "cii": False}


def lines(count: int) -> tuple[tuple[str, ...], ...]:
    return tuple((f"Article {n}", str(1 + n % 7), f"{12 + n % 40}.50") for n in range(count))


def invoice(syntax: str, count: int) -> bytes:
    """A supplier invoice of ``count`` lines in ``syntax``, as supplier software writes it."""
    if syntax == "ubl":
        return supplier_ubl(supplier_document("be", lines=lines(count)))
    return cii.write(supplier_document("fr", lines=lines(count)))


def seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def label(syntax: str, count: int) -> str:
    return f"{syntax}{'+peppol' if SYNTAXES[syntax] else ''} {count} lines"


def measure(syntax: str, content: bytes, runs: int, warm_up: int) -> dict[str, float]:
    """Time per check of ``content`` after ``warm_up`` checks, over ``runs`` checks."""
    peppol = SYNTAXES[syntax]
    for _ in range(warm_up):
        official_rules.check(syntax, content, peppol=peppol)
    times = [
        seconds(lambda: official_rules.check(syntax, content, peppol=peppol)) for _ in range(runs)
    ]
    return {
        "bytes": len(content),
        "median_ms": statistics.median(times) * 1000,
        "mean_ms": statistics.fmean(times) * 1000,
        "per_second": len(times) / sum(times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5)
    parser.add_argument("--long-lines", type=int, default=200)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warm-up", type=int, default=20)
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()

    documents = {
        (syntax, count): invoice(syntax, count)
        for syntax in SYNTAXES
        for count in (args.lines, args.long_lines)
    }
    saxon_start = seconds(official_rules.processor)
    compiles: dict[str, float] = {}
    for syntax, peppol in SYNTAXES.items():
        for path in official_rules.stylesheets(syntax, peppol=peppol):
            compiles[path.name] = seconds(lambda path=path: official_rules.executable(path))
    first: dict[str, float] = {}
    for (syntax, count), content in documents.items():
        start = time.perf_counter()
        found = official_rules.check(syntax, content, peppol=SYNTAXES[syntax])
        took = time.perf_counter() - start
        if count == args.lines:
            first[label(syntax, count)] = took
        fatal = [str(f) for f in found if f.severity == "fatal"]
        if fatal:
            sys.exit(f"{label(syntax, count)}: the measured invoice breaks official rules: {fatal}")
    checks = {
        label(syntax, count): measure(syntax, content, args.runs, args.warm_up)
        for (syntax, count), content in documents.items()
    }

    print(f"Python {platform.python_version()} on {platform.machine()}")
    print(f"Saxon start{'':<31}{saxon_start * 1000:8.0f} ms")
    for name, took in compiles.items():
        print(f"first compile {name:<28}{took * 1000:8.0f} ms")
    for name, took in first.items():
        print(f"first check {name:<30}{took * 1000:8.0f} ms")
    for name, figures in checks.items():
        print(
            f"check after warm-up {name:<22}median {figures['median_ms']:6.2f} ms, "
            f"mean {figures['mean_ms']:6.2f} ms, {figures['per_second']:5.0f}/s "
            f"({figures['bytes']} bytes)"
        )
    if args.output:
        args.output.write_text(
            json.dumps(
                {
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "saxon_start_s": saxon_start,
                    "first_compile_s": compiles,
                    "first_check_s": first,
                    "check_after_warm_up": checks,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()

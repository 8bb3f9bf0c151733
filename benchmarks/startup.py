"""Start time of the command line: CPU seconds before each command answers.

A person types ``partage --help`` or ``partage config check`` and waits for the
interpreter to import what the command needs; on a small shared machine that wait is
CPU time. This script runs each command in a fresh child process, as a person would,
and reports the child's user + system CPU seconds (``resource.getrusage`` of the
children), the best of ``--repeat`` runs so that a busy neighbour does not count. The
commands are ``partage --help``, ``partage config check``, ``partage plugins list`` and
``partage <command> --help`` for every command and group of the root.

With ``--top N`` it then runs each of the first three once more under ``python -X
importtime`` and prints the N imports that took the longest, cumulative (a module with
everything it imported), so a regression names the module that brought the weight
back. The interpreter's own start (``python -c pass``) is printed first, for scale:
on a busy machine every figure grows with it. Nothing here asserts a threshold: it
reports (``tests/cli/test_start.py`` guards which libraries each command may import).

Usage (from the repository root, with Partage installed)::

    python benchmarks/startup.py                      # every command, best of 5
    python benchmarks/startup.py --repeat 10 --top 15
    python benchmarks/startup.py --only "config check" --only=--help
    python benchmarks/startup.py --output results.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

#: The commands whose start a person waits for most, measured first.
MAIN_COMMANDS: tuple[tuple[str, ...], ...] = (("--help",), ("config", "check"), ("plugins", "list"))
#: One line of ``-X importtime``: self and cumulative microseconds, indented module name.
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)$")


@dataclass(frozen=True)
class Measure:
    """The start of one command.

    Attributes:
        command: the arguments after ``partage``.
        best: the least CPU seconds (user + system) of the runs.
        median: the median CPU seconds of the runs.
        runs: how many runs were measured.
    """

    command: str
    best: float
    median: float
    runs: int


def entry_point() -> list[str]:
    """The installed ``partage`` console script beside this interpreter, else the same
    entry point run through ``-c`` (an uninstalled checkout)."""
    script = Path(sys.executable).with_name("partage")
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "from partage.core.cli.main import main; main()"]


def root_commands() -> list[tuple[str, ...]]:
    """``(name, "--help")`` for every command and group the root lists."""
    import typer

    from partage.core.cli.main import app

    root = typer.main.get_command(app)
    context = typer.Context(root)
    names = root.list_commands(context)  # type: ignore[attr-defined]
    return [(name, "--help") for name in names]


def child_environment() -> dict[str, str]:
    """This environment, but writing bytecode: an installed package has its modules
    compiled once (pip compiles a wheel's at install), so a start that compiled every
    module from source each time (``PYTHONDONTWRITEBYTECODE`` set, as in some
    containers) would measure the compiler, not the start a person waits for."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cpu_of(argv: Sequence[str], cwd: Path) -> float:
    """CPU seconds (user + system) the child ``argv`` used; it must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=child_environment())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(command: Sequence[str], repeat: int, cwd: Path) -> Measure:
    """The best and median CPU seconds of ``repeat`` starts of ``partage command``."""
    cpu_of([*entry_point(), *command], cwd)  # compiles what was never compiled
    times = sorted(cpu_of([*entry_point(), *command], cwd) for _ in range(repeat))
    return Measure(" ".join(command), times[0], times[len(times) // 2], repeat)


def top_imports(command: Sequence[str], count: int, cwd: Path) -> list[tuple[int, int, str]]:
    """The ``count`` imports of ``partage command`` with the longest cumulative time:
    (cumulative µs, depth, module), from one run under ``-X importtime``."""
    python, *rest = entry_point()
    done = subprocess.run(
        [python, "-X", "importtime", *rest, *command],
        cwd=cwd,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=child_environment(),
    )
    found = []
    for line in done.stderr.splitlines():
        parsed = IMPORT_LINE.match(line)
        if parsed:
            depth = len(parsed.group(3)) // 2
            found.append((int(parsed.group(2)), depth, parsed.group(4)))
    return sorted(found, reverse=True)[:count]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (best kept)")
    parser.add_argument("--top", type=int, default=10, help="imports shown per main command")
    parser.add_argument(
        "--only",
        action="append",
        help='measure this command only (repeat): "config check", --only=--help',
    )
    parser.add_argument("--output", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)

    commands = [*MAIN_COMMANDS, *root_commands()]
    if args.only:
        commands = [c for c in commands if " ".join(c) in args.only]
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print(f"{'partage ...':<32} {'best s':>8} {'median s':>9}  (CPU user+sys, {args.repeat} runs)")
    results: list[Measure] = []
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)
        # The interpreter alone, for scale: on a busy machine every figure grows with it.
        bare = sorted(cpu_of([sys.executable, "-c", "pass"], cwd) for _ in range(args.repeat))
        print(f"{'(python -c pass)':<32} {bare[0]:>8.3f} {bare[len(bare) // 2]:>9.3f}")
        for command in commands:
            result = measure(command, args.repeat, cwd)
            results.append(result)
            print(f"{result.command:<32} {result.best:>8.3f} {result.median:>9.3f}")
        if args.top:
            for command in (c for c in commands if c in MAIN_COMMANDS):
                print(f"\nlongest imports of `partage {' '.join(command)}` (cumulative):")
                for micros, depth, module in top_imports(command, args.top, cwd):
                    print(f"  {micros / 1e6:7.3f} s  {'  ' * depth}{module}")
    if args.output:
        args.output.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

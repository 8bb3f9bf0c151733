"""Benchmark of a peak payroll month: payslips computed by each country plugin.

The reference network pays up to 35,000 workers in a month. For each country (``be``,
``fr``) this script builds that many contracts with varied profiles — every worker
category of the country, full and part time, hourly contracts, household situations
and children for withholding, monthly salaries spread from the minimum wage to about
five times the median — and computes every payslip through the plugin manager, as a
payroll run does (``partage_payslip``), then the month's social-declaration totals
(``partage_social_declaration``). It reports payslips per second; ``--profile`` adds
the cProfile top 20 (cumulative time) of the payslip loop. Nothing here asserts a
threshold: it reports.

Usage::

    python benchmarks/payroll.py                          # 35,000 per country
    python benchmarks/payroll.py --workers 2000           # smoke run
    python benchmarks/payroll.py --country fr --profile   # where time goes
    python benchmarks/payroll.py --output results.json
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import platform
import pstats
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

from partage.core.contract.payroll import EmploymentContract, Payslip
from partage.core.contract.periods import Period
from partage.core.platform.registry import PluginRegistry

PERIOD = Period(date(2026, 7, 1), date(2026, 7, 31))
PEAK_WORKERS = 35_000
SEED = 20260701


@dataclass(frozen=True)
class Profile:
    """How one country's workforce is drawn.

    Attributes:
        categories: worker categories with their weights.
        situations: household codes for withholding, with their weights.
        hourly_categories: categories paid by the hour.
        hourly_rates: (lowest, highest) gross per hour.
        monthly: (lowest, median) full-time monthly gross.
    """

    categories: tuple[tuple[str, int], ...]
    situations: tuple[tuple[str, int], ...]
    hourly_categories: frozenset[str]
    hourly_rates: tuple[int, int]
    monthly: tuple[int, int]


PROFILES = {
    "be": Profile(
        categories=(("employee", 55), ("artist", 20), ("worker", 15), ("student", 10)),
        situations=(("single", 60), ("married_two_incomes", 30), ("married_one_income", 10)),
        hourly_categories=frozenset({"student"}),
        hourly_rates=(12, 25),
        monthly=(2070, 3600),
    ),
    "fr": Profile(
        categories=(("non_cadre", 80), ("cadre", 20)),
        situations=(("single", 100),),
        hourly_categories=frozenset(),
        hourly_rates=(12, 30),
        monthly=(1830, 2700),
    ),
}
PART_TIMES = (("1", 60), ("0.8", 15), ("0.5", 20), ("0.25", 5))


def _pick(rng: random.Random, weighted: Sequence[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def workforce(country: str, count: int, seed: int = SEED) -> list[EmploymentContract]:
    """``count`` contracts drawn for ``country``; the same seed gives the same list."""
    profile = PROFILES[country]
    rng = random.Random(seed)
    low, median = profile.monthly
    contracts = []
    for _ in range(count):
        category = _pick(rng, profile.categories)
        situation = _pick(rng, profile.situations)
        children = rng.choices([0, 1, 2, 3, 4], weights=[50, 20, 20, 7, 3])[0]
        hourly = category in profile.hourly_categories or rng.random() < 0.1
        if hourly:
            rate = Decimal(
                rng.randint(profile.hourly_rates[0] * 100, profile.hourly_rates[1] * 100)
            )
            contracts.append(
                EmploymentContract(
                    category,
                    PERIOD.start,
                    hourly_rate=rate / 100,
                    hours=Decimal(rng.randint(4, 160)),
                    tax_situation=situation,
                    dependent_children=children,
                )
            )
            continue
        # log-normal around the median, never under the minimum wage, long upper tail
        gross = max(Decimal(low), Decimal(int(rng.lognormvariate(0, 0.45) * median)))
        contracts.append(
            EmploymentContract(
                category,
                PERIOD.start,
                monthly_gross=gross,
                part_time=Decimal(_pick(rng, PART_TIMES)),
                tax_situation=situation,
                dependent_children=children,
            )
        )
    return contracts


@dataclass(frozen=True)
class Result:
    """One country's run.

    Attributes:
        country: the plugin's code.
        workers: payslips computed.
        seconds: time of the payslip loop.
        payslips_per_second: ``workers / seconds``.
        declaration_seconds: time of the social-declaration hook on every payslip.
        gross, employer_cost, withholding: the month's totals (a checksum of the run).
    """

    country: str
    workers: int
    seconds: float
    payslips_per_second: float
    declaration_seconds: float
    gross: str
    employer_cost: str
    withholding: str


def run(country: str, workers: int, profile: bool) -> tuple[Result, str]:
    """Compute the month's payslips of ``workers`` contracts; the profile text if asked."""
    hook = PluginRegistry().manager(country).hook
    contracts = workforce(country, workers)
    compute: Callable[[EmploymentContract], Payslip] = lambda c: hook.partage_payslip(  # noqa: E731
        contract=c, period=PERIOD
    )
    compute(contracts[0])  # load the month's law once, as the first payslip of a run does
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    slips = [compute(c) for c in contracts]
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    hook.partage_social_declaration(period=PERIOD, payslips=slips)
    declaration = time.perf_counter() - started
    text = ""
    if profiler:
        buffer = io.StringIO()
        pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(20)
        text = buffer.getvalue()
    zero = Decimal(0)
    return (
        Result(
            country,
            workers,
            round(seconds, 3),
            round(workers / seconds, 1),
            round(declaration, 3),
            str(sum((s.gross for s in slips), zero)),
            str(sum((s.employer_cost for s in slips), zero)),
            str(sum((s.withholding for s in slips), zero)),
        ),
        text,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", choices=["be", "fr", "all"], default="all")
    parser.add_argument("--workers", type=int, default=PEAK_WORKERS)
    parser.add_argument("--profile", action="store_true", help="print the cProfile top 20")
    parser.add_argument("--output", help="write the results as JSON to this file")
    args = parser.parse_args(argv)
    countries = ["be", "fr"] if args.country == "all" else [args.country]
    results = []
    for country in countries:
        result, profile_text = run(country, args.workers, args.profile)
        results.append(result)
        print(
            f"{country}: {result.workers} payslips in {result.seconds} s = "
            f"{result.payslips_per_second} payslips/s; social declaration "
            f"{result.declaration_seconds} s; gross {result.gross}, employer cost "
            f"{result.employer_cost}, withholding {result.withholding}"
        )
        if profile_text:
            print(profile_text)
    if args.output:
        document = {
            "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
            "period": {"start": PERIOD.start.isoformat(), "end": PERIOD.end.isoformat()},
            "results": [asdict(r) for r in results],
        }
        with open(args.output, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How long the law makes the cooperative keep its records, as a country states it.

A person's right to erasure (GDPR art. 17) yields to a legal obligation to keep a
record (art. 17(3)(b)): posted entries and issued invoices for as long as accounting and
tax law require, payslips for as long as social law requires. Each country plugin
answers these periods from its dated parameters, with their legal sources, and the core
says in each personal-data export which records it keeps and until when.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetentionPeriod:
    """One retention period.

    Attributes:
        years: whole years the record is kept after the end of the fiscal year it
            belongs to (counted to the 31 December of the last year).
        source: the law that sets it, as the parameter file cites it.
    """

    years: int
    source: str

    def __post_init__(self) -> None:
        if self.years < 1:
            raise ValueError(f"a retention period is at least one year, not {self.years}")


@dataclass(frozen=True)
class RetentionPeriods:
    """The periods a country's law sets for the records the core keeps.

    Attributes:
        accounting: books, posted entries and their supporting documents (issued
            invoices and credit notes, supplier invoices): the longer of accounting and
            tax law.
        payroll: payslips and the social documents of employment.
    """

    accounting: RetentionPeriod
    payroll: RetentionPeriod

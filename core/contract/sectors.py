"""Economic acts as a sector plugin's rules see them, and what a sector may add: expense
categories, attestations, review questions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class ActKind(enum.StrEnum):
    """The economic acts of an entity that sector rules judge. Added in 1.1."""

    QUOTE = "quote"
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    PURCHASE = "purchase"
    EXPENSE = "expense"
    INTERNAL_INVOICE = "internal_invoice"
    COPYRIGHT_CESSION = "copyright_cession"
    CONTRACT = "contract"
    PAYSLIP = "payslip"


@dataclass(frozen=True)
class Counterpart:
    """The client or supplier an act is addressed to, as a sector rule sees it.

    Attributes:
        code: the party's reference (``"C000007"``).
        name: its registered name.
        country: ISO 3166 alpha-2 code, upper case.
        platform: the party is a registered digital work platform (it orders work
            through an application: meal delivery, rides...).

    Added in 1.1.
    """

    code: str
    name: str
    country: str
    platform: bool = False


@dataclass(frozen=True)
class Attestation:
    """An attestation the cooperative holds on file for an entity or a member.

    Attributes:
        kind: what it attests, a code a sector plugin declares
            (``"ten_year_liability"``, ``"artist_work_certificate"``).
        holder: whose it is: ``"entity:E000042"`` or ``"member:17"``.
        issuer: who issued it (the insurer, the commission).
        number: the policy or certificate number.
        valid_from: first day it covers.
        valid_until: last day it covers.

    Added in 1.1.
    """

    kind: str
    holder: str
    issuer: str
    number: str
    valid_from: date
    valid_until: date

    def covers(self, on: date) -> bool:
        """Whether the attestation is valid on ``on`` (both ends included)."""
        return self.valid_from <= on <= self.valid_until


@dataclass(frozen=True)
class AttestationKind:
    """A kind of attestation a sector's rules look at.

    Attributes:
        code: stable code (``"ten_year_liability"``).
        label: shown to advisers who record one.
        holder: ``"entity"`` or ``"member"``: who holds such an attestation.

    Added in 1.1.
    """

    code: str
    label: str
    holder: str


@dataclass(frozen=True)
class ActContext:
    """An economic act about to be recorded, as a sector rule sees it.

    Attributes:
        kind: the act, an :class:`ActKind` value.
        entity: the entity's reference.
        office: the local office's code.
        on: the act's date.
        amount: its amount excluding VAT, when it has one.
        details: further facts as ``(name, value)`` pairs (hours of a shift, expense
            category, worker category...).
        counterpart: the client or supplier, when the act has one (added in 1.1).
        member: the member the act concerns (the worker hired or paid, the author of a
            cession, the claimant of an expense), when one (added in 1.1).
        attestations: the attestations on file for the entity and for ``member`` that
            started on or before ``on``, expired ones included (added in 1.1).
    """

    kind: str
    entity: str
    office: str
    on: date
    amount: Decimal | None = None
    details: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    counterpart: Counterpart | None = None
    member: int | None = None
    attestations: tuple[Attestation, ...] = field(default_factory=tuple)

    def detail(self, name: str) -> str | None:
        """The value of one of ``details``, ``None`` when absent."""
        return dict(self.details).get(name)


@dataclass(frozen=True)
class Refusal:
    """A sector rule's refusal of an act.

    The rule is an English template marked ``N_`` with its figures apart, like the
    core's refusals, so that a page says it in the reader's language (the catalogs
    translate the template, the page writes dates and amounts its way) while the
    command line and the logs keep the English sentence. Build one with :meth:`of`.

    Attributes:
        sector: the sector plugin's name.
        rule: the rule, in words: an English template naming its figures in braces
            (``"no valid insurance attestation on {on}"``), or a plain sentence.
        params: the figures, dates, names and codes the template names, as
            ``(name, value)`` pairs (added in 1.2).
    """

    sector: str
    rule: str
    params: tuple[tuple[str, object], ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, sector: str, rule: str, **params: object) -> Refusal:
        """A refusal whose template ``rule`` names ``params`` (``{on}``, ``{client}``)."""
        return cls(sector, rule, tuple(sorted(params.items())))

    @property
    def message(self) -> str:
        """The rule in English, its figures put in."""
        return self.rule.format(**dict(self.params)) if self.params else self.rule


@dataclass(frozen=True)
class ExpenseCategory:
    """An expense category a sector adds.

    Attributes:
        code: stable code (``"bike_repair"``).
        label: shown to members.
        reimbursable: whether it is reimbursed to the worker as a professional expense.
    """

    code: str
    label: str
    reimbursable: bool


@dataclass(frozen=True)
class ReviewQuestion:
    """A question the membership review asks applicants of a sector.

    Attributes:
        code: stable code.
        text: the question.
    """

    code: str
    text: str

"""Journal entries' descriptions said in the reader's language.

An entry's description is stored as it was posted, in English, and never changed:
the books are kept, exported (FEC, general ledger CSV) and audited in one language,
and an entry is never updated after it is posted (:mod:`partage.core.ledger.posting`).
Storing one translation per language would mean choosing the languages at posting time
and changing stored entries when an instance adds one; storing a template and its
figures would need every export to rebuild the text. So the stored sentence stays, and
a page reads it back instead: each description the core posts follows one of the
templates below, a page matches the stored text against them, and says the template
in the reader's language with the same figures (a party's or a member's name, an
invoice number, a reason typed by staff stay as they were written).

A description no template matches (an invoice line or a purchase as the member wrote
it) is shown as stored: it is the member's own words. ``tests/ledger/test_wording.py``
checks that every description the core writes with an f-string has its template here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from partage.core.contract.errors import N_

#: The descriptions the core posts, as English templates naming their parts. ``{cause}``
#: is itself one of :data:`CAUSES`; ``{reason}``, ``{party}``, ``{work}`` and the like
#: are shown as written.
DESCRIPTIONS = (
    N_("Invoice {number} to {party}"),
    N_("Credit note {number} to {party}"),
    N_("Management fee on {number} ({entity})"),
    N_("Payment from {party}"),
    N_("Cash received from {party}"),
    N_("Cheque received from {party}"),
    N_("Guarantee fund advance to {entity} after {cause}"),
    N_("{entity} repays the guarantee fund's advance"),
    N_("{cause} on {number}, taken over by the guarantee fund"),
    N_("Allocation to the salary guarantee fund: {reason}"),
    N_("Write-off of {number} ({party}): guarantee fund"),
    N_("Guarantee fund absorbs {number} of {entity}"),
    N_("Write-off of {number} ({party}): VAT to the guarantee fund"),
    N_("Guarantee fund absorbs {number}, which it took over"),
    N_("Guarantee fund takes over {number} ({party})"),
    N_("Guarantee fund takes over {number} of {entity}"),
    N_("Payslip {month} of member {member}"),
    N_("Franchise fee {period} owed to {franchisor} ({basis})"),
    N_("Reversal of entry {entry}: {reason}"),
    N_("Closing of fiscal year {year}: result of the year"),
    N_("Balances carried forward from fiscal year {year}"),
    N_("Copyright cession: {work}"),
    N_("Expense claim {category} of member {member}"),
    N_("Reimbursement of expense claim {claim}"),
    N_("Payment of {reference}"),
    N_("Subsidy from {party}"),
    N_("Gift from {party}"),
    N_("Fee on internal invoice {number}"),
    N_("Fee on internal invoice {number} ({entity_code})"),
    N_("Sponsorship from {party}"),
    N_("Refund of credit note {reference} by {party}"),
    N_("{quantity} share(s) of class {share_class}, member {member}"),
    N_("redemption of {quantity} share(s) at nominal, member {member}"),
    N_("Appropriation of the result of fiscal year {year}"),
    N_("Payment from {party} returned by the bank"),
    N_("Payment from {party} returned by the bank ({return_reason})"),
    N_("Bank charge ({code})"),
    N_("Net pay to {payee}"),
)

#: What caused the guarantee fund's advance or hand-over (the ``{cause}`` of
#: :data:`DESCRIPTIONS`), as :mod:`partage.core.sales.fund_cover`'s callers name it.
CAUSES = (
    N_("invoice {number}"),
    N_("payment {payment}"),
    N_("credit note {number}"),
    N_("settled"),
    N_("takeovers of {on}"),
    N_("payslips {month}"),
    N_("returned payment {payment}"),
    N_("bank charge {key}"),
)

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    """The regular expression a text written from ``template`` matches."""
    parts = PLACEHOLDER.split(template)
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
    )
    return re.compile(rf"^{regex}$", re.S)


@cache
def _patterns(templates: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The templates with their expressions, the most literal first: ``Payment from
    {party} returned by the bank`` is tried before ``Payment from {party}``."""
    ordered = sorted(templates, key=lambda t: -len(PLACEHOLDER.sub("", t)))
    return tuple((t, _pattern(t)) for t in ordered)


def parse(
    text: str, templates: tuple[str, ...] = DESCRIPTIONS
) -> tuple[str, dict[str, str]] | None:
    """The template a stored description was written from and its parts, or ``None``."""
    for template, pattern in _patterns(templates):
        found = pattern.match(text)
        if found is not None:
            return template, found.groupdict()
    return None


def said(text: str, gettext: Callable[[str], str]) -> str:
    """A stored description in the language ``gettext`` translates into; the text as
    stored when no template matches it (words a member wrote)."""
    found = parse(text)
    if found is None:
        return text
    template, parts = found
    if "cause" in parts:
        cause = parse(parts["cause"], CAUSES)
        if cause is not None:
            parts["cause"] = gettext(cause[0]).format(**cause[1])
    try:
        return gettext(template).format(**parts)
    except (KeyError, IndexError, ValueError):
        return text

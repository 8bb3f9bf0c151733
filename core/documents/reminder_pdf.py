"""A reminder to a late payer as a one-page PDF, in the client's language.

The words are few and fixed (a title per step, a sentence, the headings of a table), so
they live here in the four languages the instances speak, beside the layout; amounts and
dates are written as the language and country write them (Babel, CLDR).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_currency, format_percent
from fpdf import FPDF

from partage.core.contract.late_payment import LateCharges

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"

#: The words of a reminder, by language.
WORDS: dict[str, dict[str, str]] = {
    "en": {
        "friendly": "Payment reminder",
        "second": "Second payment reminder",
        "formal_notice": "Formal notice to pay",
        "intro": "Unless we are mistaken, invoice {number} of {issued}, due on {due}, "
        "is still unpaid: {days} days late. The amount still owed is {owed}.",
        "ask": "Please pay it without delay. If you have paid it in the meantime, "
        "please disregard this letter.",
        "formal": "This letter puts you on notice to pay the amounts below.",
        "invoice": "Invoice",
        "issued": "Issued on",
        "due": "Due on",
        "owed": "Still owed",
        "interest": "Late-payment interest",
        "days": "days",
        "compensation": "Compensation for recovery costs",
        "damages": "Damages (capped by law)",
        "total": "Total to pay",
        "not_charged": "We do not claim late-payment interest or compensation on this reminder.",
        "free": "This reminder is free of charge. Charges may be claimed only if the "
        "amount is still unpaid at the end of the payment period the law grants.",
        "sources": "Legal basis",
        "pay_to": "Please pay to",
        "reference": "reference",
        "on_behalf": "On behalf of",
        "attached": "The reminder is attached as a PDF document.",
    },
    "fr": {
        "friendly": "Rappel de paiement",
        "second": "Second rappel de paiement",
        "formal_notice": "Mise en demeure de payer",
        "intro": "Sauf erreur de notre part, la facture {number} du {issued}, échue le "
        "{due}, reste impayée : {days} jours de retard. Le montant encore dû est de {owed}.",
        "ask": "Nous vous prions de la régler sans tarder. Si vous l'avez payée entre-temps, "
        "veuillez ne pas tenir compte de ce courrier.",
        "formal": "Par la présente, nous vous mettons en demeure de payer les montants ci-dessous.",
        "invoice": "Facture",
        "issued": "Émise le",
        "due": "Échue le",
        "owed": "Reste dû",
        "interest": "Intérêts de retard",
        "days": "jours",
        "compensation": "Indemnité forfaitaire pour frais de recouvrement",
        "damages": "Dommages et intérêts (plafonnés par la loi)",
        "total": "Total à payer",
        "not_charged": "Nous ne réclamons ni intérêts de retard ni indemnité sur ce rappel.",
        "free": "Ce rappel est gratuit. Des frais ne pourront être réclamés que si le "
        "montant reste impayé au terme du délai de paiement que la loi accorde.",
        "sources": "Base légale",
        "pay_to": "Paiement sur le compte",
        "reference": "référence",
        "on_behalf": "Pour le compte de",
        "attached": "Le rappel est joint en document PDF.",
    },
    "nl": {
        "friendly": "Betalingsherinnering",
        "second": "Tweede betalingsherinnering",
        "formal_notice": "Ingebrekestelling",
        "intro": "Behoudens vergissing is factuur {number} van {issued}, vervallen op {due}, "
        "nog niet betaald: {days} dagen te laat. Het nog verschuldigde bedrag is {owed}.",
        "ask": "Gelieve ze onverwijld te betalen. Hebt u intussen betaald, dan mag u deze "
        "brief als niet verzonden beschouwen.",
        "formal": "Met deze brief stellen wij u in gebreke de onderstaande bedragen te betalen.",
        "invoice": "Factuur",
        "issued": "Uitgereikt op",
        "due": "Vervallen op",
        "owed": "Nog verschuldigd",
        "interest": "Nalatigheidsinteresten",
        "days": "dagen",
        "compensation": "Forfaitaire vergoeding voor invorderingskosten",
        "damages": "Schadevergoeding (wettelijk begrensd)",
        "total": "Totaal te betalen",
        "not_charged": "Wij rekenen op deze herinnering geen nalatigheidsinteresten of "
        "vergoeding aan.",
        "free": "Deze herinnering is kosteloos. Kosten kunnen pas worden gevraagd als het "
        "bedrag na de wettelijke betalingstermijn nog niet betaald is.",
        "sources": "Wettelijke grondslag",
        "pay_to": "Te betalen op rekening",
        "reference": "mededeling",
        "on_behalf": "Namens",
        "attached": "De herinnering is als PDF-document bijgevoegd.",
    },
    "de": {
        "friendly": "Zahlungserinnerung",
        "second": "Zweite Zahlungserinnerung",
        "formal_notice": "Mahnung mit Inverzugsetzung",
        "intro": "Sofern uns kein Fehler unterlaufen ist, ist die Rechnung {number} vom "
        "{issued}, fällig am {due}, noch unbezahlt: {days} Tage Verzug. Der noch "
        "geschuldete Betrag beträgt {owed}.",
        "ask": "Bitte begleichen Sie ihn umgehend. Sollten Sie inzwischen bezahlt haben, "
        "betrachten Sie dieses Schreiben bitte als gegenstandslos.",
        "formal": "Mit diesem Schreiben setzen wir Sie in Verzug, die unten stehenden "
        "Beträge zu zahlen.",
        "invoice": "Rechnung",
        "issued": "Ausgestellt am",
        "due": "Fällig am",
        "owed": "Noch geschuldet",
        "interest": "Verzugszinsen",
        "days": "Tage",
        "compensation": "Pauschale Entschädigung für Beitreibungskosten",
        "damages": "Schadenersatz (gesetzlich begrenzt)",
        "total": "Zu zahlender Gesamtbetrag",
        "not_charged": "Wir berechnen mit dieser Erinnerung weder Verzugszinsen noch eine "
        "Entschädigung.",
        "free": "Diese Erinnerung ist kostenlos. Kosten dürfen erst verlangt werden, wenn "
        "der Betrag nach Ablauf der gesetzlichen Zahlungsfrist noch unbezahlt ist.",
        "sources": "Rechtsgrundlage",
        "pay_to": "Zahlung auf das Konto",
        "reference": "Verwendungszweck",
        "on_behalf": "Im Namen von",
        "attached": "Die Erinnerung liegt als PDF-Dokument bei.",
    },
}


@dataclass(frozen=True)
class ReminderDocument:
    """What a reminder's PDF shows.

    Attributes:
        step: ``friendly``, ``second`` or ``formal_notice``.
        language, country: how to write it (``fr``, ``BE``).
        currency: the amounts' currency.
        sent_on: its date.
        issuer: the cooperative's name and address lines.
        entity: the entity's name, for whom the cooperative writes.
        client: the client's name and address lines.
        number, issued_on, due_on: the invoice.
        days_late: days after the due date.
        owed: what is still owed on the invoice.
        charged: whether the member claims the charges.
        charges: what the law allows (``None``: the country prices nothing).
        business: whether the client is a business (compensation) or a consumer
            (damages).
        iban, payment_reference: where and how to pay.
    """

    step: str
    language: str
    country: str
    currency: str
    sent_on: date
    issuer: tuple[str, ...]
    entity: str
    client: tuple[str, ...]
    number: str
    issued_on: date
    due_on: date
    days_late: int
    owed: Decimal
    charged: bool
    charges: LateCharges | None
    business: bool
    iban: str = ""
    payment_reference: str = ""

    @property
    def claimed(self) -> Decimal:
        """What the reminder asks beyond the invoice."""
        if not self.charged or self.charges is None:
            return Decimal(0)
        return self.charges.total

    @property
    def total(self) -> Decimal:
        """What the client is asked to pay."""
        return self.owed + self.claimed


def plain_amount(value: Decimal, currency: str) -> str:
    """An amount as an email's plain text writes it (``1234.50 EUR``)."""
    return f"{value} {currency}"


def words(language: str) -> dict[str, str]:
    """The words of a reminder in ``language`` (English for a language not known)."""
    return WORDS.get(language, WORDS["en"])


def render_reminder(document: ReminderDocument) -> bytes:
    """The reminder as PDF bytes (one page, DejaVu fonts embedded)."""
    w = words(document.language)
    locale = f"{document.language}_{document.country}"

    def money(value: Decimal) -> str:
        return format_currency(value, document.currency, locale=locale)

    def day(value: date) -> str:
        return format_date(value, format="long", locale=locale)

    pdf = FPDF()
    pdf.set_creation_date(datetime.combine(document.sent_on, time(), tzinfo=UTC))
    pdf.set_title(f"{w[document.step]} {document.number}")
    pdf.set_author(document.issuer[0] if document.issuer else document.entity)
    pdf.set_lang(document.language)
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(FONT, size=9)
    for line in document.issuer:
        pdf.cell(width / 2, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width / 2, 4.5, f"{w['on_behalf']} {document.entity}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for line in document.client:
        pdf.set_x(pdf.l_margin + width / 2)
        pdf.cell(width / 2, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_x(pdf.l_margin + width / 2)
    pdf.cell(width / 2, 4.5, day(document.sent_on), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(
        width,
        8,
        f"{w[document.step]} — {w['invoice']} {document.number}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(FONT, size=10)
    intro = w["intro"].format(
        number=document.number,
        issued=day(document.issued_on),
        due=day(document.due_on),
        days=document.days_late,
        owed=money(document.owed),
    )
    pdf.multi_cell(width, 5, intro, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.multi_cell(
        width,
        5,
        w["formal"] if document.step == "formal_notice" else w["ask"],
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    rows: list[tuple[str, str]] = [(f"{w['invoice']} {document.number}", money(document.owed))]
    charges = document.charges
    if document.charged and charges is not None:
        for piece in charges.slices:
            label = (
                f"{w['interest']} {day(piece.start)} – {day(piece.end)}, {piece.days} "
                f"{w['days']}, {format_percent(piece.rate, '#,##0.00 %', locale=locale)}"
            )
            rows.append((label, ""))
        if charges.interest:
            rows.append((w["interest"], money(charges.interest)))
        if charges.compensation:
            label = w["compensation"] if document.business else w["damages"]
            rows.append((label, money(charges.compensation)))
    pdf.set_font(FONT, size=9)
    for label, value in rows:
        pdf.cell(width * 0.75, 6, label, border="B")
        pdf.cell(width * 0.25, 6, value, border="B", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 10)
    pdf.cell(width * 0.75, 7, w["total"])
    pdf.cell(width * 0.25, 7, money(document.total), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, size=9)
    if not document.charged:
        pdf.multi_cell(width, 4.5, w["not_charged"], new_x="LMARGIN", new_y="NEXT")
    elif charges is not None and charges.charges_from is None:
        pdf.multi_cell(width, 4.5, w["free"], new_x="LMARGIN", new_y="NEXT")
    if document.iban:
        pdf.ln(2)
        pay = f"{w['pay_to']} {document.iban}"
        if document.payment_reference:
            pay += f", {w['reference']} {document.payment_reference}"
        pdf.multi_cell(width, 4.5, pay, new_x="LMARGIN", new_y="NEXT")
    if charges is not None and charges.references:
        pdf.ln(3)
        pdf.set_font(FONT, "B", 8)
        pdf.cell(width, 4, w["sources"], new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, size=7)
        for source in charges.references:
            pdf.multi_cell(width, 3.5, f"• {source}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())

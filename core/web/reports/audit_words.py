"""What the audit page says for each recorded action and kind of subject.

The audit log stores codes (``ledger.open_book``, ``fiscal_year:2026``), which the
exports keep for programs; the page names each in the reader's language. An action
recorded by new code gets its words here, marked ``N_`` and translated like any other
string of the interface; an action with none is shown as its code, which
``tests/web/test_translated_pages.py`` refuses on a translated page.
"""

from __future__ import annotations

from partage.core.contract.errors import N_

#: Each action's words, by code.
ACTIONS = {
    "application.admitted": N_("Application admitted"),
    "application.admit": N_("Application decided: admit"),
    "application.appeal": N_("Application appealed"),
    "application.refuse": N_("Application decided: refuse"),
    "application.submit": N_("Application submitted"),
    "application.to_committee": N_("Application sent to the ethics committee"),
    "attestation.register": N_("Attestation registered"),
    "audit.export": N_("Audit log exported"),
    "bank.charge": N_("Bank charge booked"),
    "bank_statement.import": N_("Bank statement imported"),
    "bank_transaction.settle": N_("Bank transaction settled"),
    "contract.hire": N_("Worker hired"),
    "contract_offer.accept": N_("Contract offer accepted"),
    "contract_offer.offer": N_("Contract offered"),
    "contract_offer.refuse": N_("Contract offer refused"),
    "contract_offer.withdraw": N_("Contract offer withdrawn"),
    "copyright.cede": N_("Copyright ceded"),
    "credit_note.issue": N_("Credit note issued"),
    "declaration.produce": N_("Declaration produced"),
    "document.issue": N_("Document issued"),
    "entity.close": N_("Entity closed"),
    "entity.open": N_("Entity opened"),
    "entity.sectors": N_("Entity's sectors changed"),
    "expense.claim": N_("Expenses claimed"),
    "expense.reimburse": N_("Expenses reimbursed"),
    "franchise.invoice": N_("Franchise fee invoiced"),
    "guarantee_fund.advance": N_("Guarantee fund advance"),
    "guarantee_fund.allocate": N_("Allocation to the guarantee fund"),
    "guarantee_fund.repaid": N_("Guarantee fund advance repaid"),
    "guarantee_fund.takeovers": N_("Guarantee fund takeovers run"),
    "income.sponsorship": N_("Sponsorship received"),
    "income.subsidy": N_("Subsidy received"),
    "instance.create": N_("Instance created"),
    "internal_invoice.accept": N_("Internal invoice accepted"),
    "internal_invoice.propose": N_("Internal invoice proposed"),
    "internal_invoice.refuse": N_("Internal invoice refused"),
    "invoice.issue": N_("Invoice issued"),
    "invoice.take_over": N_("Invoice taken over by the guarantee fund"),
    "invoice.write_off": N_("Invoice written off"),
    "ledger.close_account": N_("Account closed"),
    "ledger.close_month": N_("Month closed"),
    "ledger.close_year": N_("Fiscal year closed"),
    "ledger.load_chart": N_("Chart of accounts loaded"),
    "ledger.appropriate": N_("Result appropriated by the general assembly"),
    "ledger.open_book": N_("Books opened"),
    "ledger.open_year": N_("Fiscal year opened"),
    "ledger.reverse": N_("Entry reversed"),
    "login.change_password": N_("Password changed"),
    "login.create": N_("Login created"),
    "login.disable": N_("Login disabled"),
    "login.enable": N_("Login enabled"),
    "login.enrol_second_factor": N_("Second factor enrolled"),
    "login.failure": N_("Failed login"),
    "login.lift_delay": N_("Login delay lifted"),
    "login.reset_password": N_("Password reset"),
    "login.reset_password_by_email": N_("Password reset by email"),
    "login.reset_requested": N_("Password reset requested"),
    "login.revoke": N_("Sessions revoked"),
    "login.success": N_("Successful login"),
    "login.throttled": N_("Login slowed down"),
    "member.admit": N_("Member admitted"),
    "network.receive": N_("Network report received"),
    "office.add_adviser": N_("Adviser added to an office"),
    "office.create": N_("Office created"),
    "office.disable_sector": N_("Sector disabled in an office"),
    "office.enable_sector": N_("Sector enabled in an office"),
    "office.follow_up_visible": N_("Follow-up shown to members by default set"),
    "office.remove_adviser": N_("Adviser removed from an office"),
    "office.update": N_("Office changed"),
    "party.default": N_("Client or supplier's default set"),
    "party.platform": N_("Platform client registered"),
    "party.register": N_("Client or supplier registered"),
    "payee_account.confirm": N_("Bank account confirmed"),
    "payee_account.conflict": N_("Conflicting bank account proposed"),
    "payee_account.enter": N_("Bank account entered"),
    "payee_account.propose": N_("Bank account proposed"),
    "payee_account.reject": N_("Bank account rejected"),
    "payee_account.replace": N_("Bank account replaced"),
    "payment.apply_credit": N_("Credit applied to a payment"),
    "payment.receive": N_("Payment received"),
    "payment.returned": N_("Payment returned"),
    "payment_batch.create": N_("Payment batch created"),
    "pending.enter": N_("Act entered for validation"),
    "pending.refuse": N_("Pending act refused"),
    "pending.validate": N_("Pending act validated"),
    "privacy.erase": N_("Personal data erased"),
    "privacy.export": N_("Personal data exported"),
    "purchase.cancel": N_("Purchase cancelled"),
    "purchase.credit_note": N_("Supplier credit note recorded"),
    "purchase.pay": N_("Purchase paid"),
    "purchase.record": N_("Purchase recorded"),
    "purchase.refund": N_("Purchase refunded"),
    "quote.accept": N_("Quote accepted"),
    "quote.expire": N_("Quote expired"),
    "quote.refuse": N_("Quote refused"),
    "quote.send": N_("Quote sent"),
    "shares.redeem": N_("Shares redeemed"),
    "shares.subscribe": N_("Shares subscribed"),
    "simulation.month": N_("Simulated month"),
    "workshop.attendance": N_("Workshop attendance marked"),
    "workshop.plan": N_("Workshop planned"),
    "workshop.register": N_("Member registered for a workshop"),
}

#: Each kind of subject's words, by the code before the colon (``login:ada``), or the
#: whole subject where it has none (``audit_log``).
SUBJECTS = {
    "account": N_("account"),
    "address": N_("address"),
    "application": N_("application"),
    "audit_log": N_("audit log"),
    "bank_statement": N_("bank statement"),
    "bank_transaction": N_("bank transaction"),
    "book": N_("books"),
    "chart": N_("chart of accounts"),
    "contract": N_("contract"),
    "contract_offer": N_("contract offer"),
    "copyright": N_("copyright cession"),
    "declaration": N_("declaration"),
    "entity": N_("entity"),
    "entry": N_("entry"),
    "expense": N_("expense claim"),
    "fiscal_year": N_("fiscal year"),
    "franchise_fee": N_("franchise fee"),
    "guarantee_fund": N_("guarantee fund"),
    "instance": N_("instance"),
    "internal_invoice": N_("internal invoice"),
    "invoice": N_("invoice"),
    "login": N_("login"),
    "member": N_("member"),
    "month": N_("month"),
    "office": N_("office"),
    "other_income": N_("other income"),
    "party": N_("client or supplier"),
    "payment": N_("payment"),
    "payment_batch": N_("payment batch"),
    "purchase": N_("purchase"),
    "quote": N_("quote"),
}


def action_words(code: str) -> str:
    """The English words of an action (the catalogs translate them), or its code."""
    return ACTIONS.get(code, code)


def subject_words(subject: str) -> tuple[str, str]:
    """The English words of a subject's kind and its own code (``("login", "ada")``);
    a subject of no known kind is its whole text."""
    kind, _, code = subject.partition(":")
    return (SUBJECTS[kind], code) if kind in SUBJECTS else ("", subject)

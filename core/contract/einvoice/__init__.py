"""E-invoices as the EN 16931 standard writes them: UBL 2.1 (Peppol BIS Billing 3.0) and
UN/CEFACT CII (Factur-X), both ways, and the business rules a document's own data can
break before any file is written. Country plugins build their e-invoice from these.
"""

from partage.core.contract.einvoice import cii, rules, ubl

__all__ = ["cii", "rules", "ubl"]

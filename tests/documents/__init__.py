"""Documents: PDF/A, e-invoices (UBL, Factur-X), the official rules."""

"""Banking: SEPA payment files, bank statements and their matching."""

"""Money in and out through the bank: SEPA credit-transfer batches (pain.001), bank
statements (CAMT.053 and national formats through the country plugin), their matching
to open invoices and the reconciliation queue of what could not be matched."""

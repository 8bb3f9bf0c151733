"""The ledger: posting, periods, reports, concurrency and its properties."""

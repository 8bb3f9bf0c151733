"""The books: one double-entry ledger per entity and one for the cooperative.

The ledger depends on nothing else of the domain; every economic act posts through
:mod:`partage.core.ledger.posting`. Posted entries are never changed: corrections are
reversing entries. Amounts are integer minor units in the database and ``Decimal`` in
Python.
"""

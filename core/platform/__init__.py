"""The platform every context stands on: layered configuration (with the network contract
and the issuer's facts it carries), the plugin registry, a run's runtime, the upgrade
check, the audit log and the database (engine, sessions, migrations). It knows no
business rule: the ledger and the domain contexts build on it, never the reverse.
"""

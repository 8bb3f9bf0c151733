"""Persistence: SQLAlchemy 2 models, the engine and session factory, migrations.

One database per national instance. Money columns hold integer minor units.
"""

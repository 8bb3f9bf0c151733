"""Alembic migrations of the Partage schema, shipped inside the package."""

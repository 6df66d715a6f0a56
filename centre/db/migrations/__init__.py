"""Alembic migrations of the centre database, one module per revision under `versions/`."""

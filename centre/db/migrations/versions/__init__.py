"""Migration revisions (Alembic loads them by file; the package marker lets them install)."""

"""The centre's database: tables (`schema`), the engine (`engine`), Alembic migrations (`migrate`),
and one module per concept of data access (`devices`, `records`, `heartbeats`)."""

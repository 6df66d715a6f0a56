"""Fixtures for the centre: each test that takes `database_url` runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from centre.db.engine import open_engine
from centre.db.migrate import upgrade
from tests.centre.centre_kit import (
    REQUIRE_ENGINES,
    CentreProcess,
    PostgresCluster,
    postgres_bindir,
    write_config,
)
from tests.centre.desk_kit import ServedCentre


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    bindir = postgres_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries not installed (Debian: postgresql)"
        if REQUIRE_ENGINES:
            pytest.fail(message)
        pytest.skip(message)
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'centre.db'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.new_database()


@pytest.fixture
def centre_engine(database_url: str) -> Iterator[Engine]:
    engine = open_engine(database_url)
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def centre_config(tmp_path: Path, database_url: str, centre_engine: Engine) -> Path:
    return write_config(tmp_path, database_url)


@pytest.fixture
def centre(centre_config: Path) -> Iterator[CentreProcess]:
    process = CentreProcess(centre_config)
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def served(centre_config: Path) -> Iterator[ServedCentre]:
    """The centre's app on uvicorn in a thread of the test process (its in-process state, such as the
    clock, can be reached), on a loopback port, with the default config."""
    process = ServedCentre(centre_config)
    process.start()
    try:
        yield process
    finally:
        process.stop()

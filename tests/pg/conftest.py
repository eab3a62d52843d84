"""The PostgreSQL-only tests: every test here runs against ``$NOTICEDESK_TEST_PG_URL`` (a fresh schema
each) and FAILS without it (see tests/storage/conftest.py; ``-m "not postgresql"`` deselects them)."""
from __future__ import annotations

import pytest

from tests.storage.conftest import pg_admin, pg_url, sample  # noqa: F401  (fixtures)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/pg/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture
def server(pg_url) -> str:  # noqa: F811  (the imported fixture)
    """A migrated, empty server ledger's URL."""
    from desktop.storage import migrations

    migrations.migrate(pg_url)
    return pg_url


@pytest.fixture
def ledger(server, data_dir):
    from desktop.storage.ledger import Ledger

    led = Ledger(data_dir, db_url=server)
    yield led
    led.close()

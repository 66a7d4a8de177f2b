"""Migration 0013 down and up again, on both databases: viewers are never made something else."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from store.db import Database
from store.migrate import alembic_config, upgrade_database

INSERT_VIEWER = text(
    "INSERT INTO staff (email, name, role, created_at, updated_at) "
    "VALUES ('cllr@example.com', 'Cllr Jones', 'viewer', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)


async def downgrade(database: Database, revision: str) -> None:
    config = alembic_config()

    def run(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with database.engine.begin() as connection:
        await connection.run_sync(run)


async def test_a_roster_with_viewers_is_not_downgraded(database: Database) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(INSERT_VIEWER)

    with pytest.raises(RuntimeError, match="give every viewer another role"):
        await downgrade(database, "0012")

    async with database.engine.connect() as connection:
        version = await connection.execute(text("SELECT version_num FROM alembic_version"))
        assert version.scalar_one() != "0012"


async def test_down_to_0012_refuses_viewers_and_up_again_accepts_them(
    database: Database,
) -> None:
    await downgrade(database, "0012")

    with pytest.raises(IntegrityError):
        async with database.engine.begin() as connection:
            await connection.execute(INSERT_VIEWER)

    await upgrade_database(database)
    async with database.engine.begin() as connection:
        await connection.execute(INSERT_VIEWER)

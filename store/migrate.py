"""This module contains upgrade_database, which applies the Alembic migrations in process."""

from __future__ import annotations

import logging
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from store.db import Database
from store.errors import MigrationError

logger = logging.getLogger(__name__)

# An arbitrary constant naming the advisory lock that serialises migrations across replicas.
MIGRATION_LOCK = 4_712_003


def alembic_config() -> Config:
    """The Alembic configuration, pointing at the migrations shipped inside this package."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("store") / "migrations"))
    return config


async def upgrade_database(database: Database) -> None:
    """Brings the schema up to the newest revision; safe to run on every start.

    Raises:
        MigrationError: a migration failed; nothing from it is kept.
    """
    config = alembic_config()

    revisions: list[str | None] = []

    def upgrade(connection: Connection) -> None:
        if connection.dialect.name == "postgresql":
            # Replicas starting together take turns; the lock ends with the transaction.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        revisions.append(MigrationContext.configure(connection).get_current_revision())
        command.upgrade(config, "head")
        revisions.append(MigrationContext.configure(connection).get_current_revision())

    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(upgrade)
    except (SQLAlchemyError, OSError) as exc:
        raise MigrationError(f"could not migrate the database: {exc}") from exc
    before, after = revisions
    if before == after:
        logger.info("Database schema is up to date (revision %s)", after)
    else:
        logger.info("Database schema upgraded from revision %s to %s", before or "none", after)

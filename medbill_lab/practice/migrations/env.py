"""Alembic environment for the practice database.

``practice_db.init_db`` passes an open connection in ``config.attributes``;
the ``alembic`` command line works too when ``sqlalchemy.url`` is set.
Importing this module outside Alembic (as pytest's doctest collection does)
does nothing.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, engine_from_config, pool

from medbill_lab.practice.db import Base

target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Write the SQL instead of running it (``alembic upgrade --sql``)."""
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate through the caller's connection, or one made from the config's URL."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        _configure(conn)


def _main() -> None:
    try:
        offline = context.is_offline_mode()
    except NameError:  # imported outside Alembic
        return
    if offline:
        run_offline()
    else:
        run_online()


_main()

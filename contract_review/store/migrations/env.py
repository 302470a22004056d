"""Alembic environment: the connection is handed in by ``contract_review.store`` (never an
ini file), so migrations run the same way from the CLI, the app and the tests."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from contract_review.store.schema import Base, outside_metadata

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` run by hand with sqlalchemy.url set
        from sqlalchemy import create_engine

        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("set sqlalchemy.url (alembic -x or an ini file) to run the migrations by hand")
        with create_engine(url).connect() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # ALTER TABLE on SQLite
        compare_type=True,
        # the search index (FTS5 table, expression index) is the migrations' own, not the metadata's
        include_name=lambda name, type_, parents: not outside_metadata(name, type_, parents),
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()

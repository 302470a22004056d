"""Where the store lives and how to reach it.

* ``CONTRACT_REVIEW_DATA_DIR`` (default ``data/store``): the SQLite database and the stored files
  (``CONTRACT_REVIEW_DATA``, a name earlier documentation used, is still read, with a warning);
* ``CONTRACT_REVIEW_DB_URL``: a SQLAlchemy URL (``postgresql+psycopg://user:pw@host/db``) for a
  shared deployment; files stay in the data directory (a shared volume).

SQLite runs in WAL mode with a busy timeout, so the app reads while a batch is being written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK = 0x6372_6576  # PostgreSQL advisory lock key: one process migrates at a time


DATA_DIR_ENV = "CONTRACT_REVIEW_DATA_DIR"
_DEPRECATED_DATA_DIR_ENV = "CONTRACT_REVIEW_DATA"


def data_dir_setting() -> str:
    """``CONTRACT_REVIEW_DATA_DIR`` from the environment ("" when unset); the deprecated
    ``CONTRACT_REVIEW_DATA`` is taken when only it is set (with a warning)."""
    value = os.environ.get(DATA_DIR_ENV)
    if value:
        return value
    old = os.environ.get(_DEPRECATED_DATA_DIR_ENV)
    if old:
        import warnings

        warnings.warn(f"{_DEPRECATED_DATA_DIR_ENV} is deprecated: set {DATA_DIR_ENV} instead",
                      DeprecationWarning, stacklevel=2)
        return old
    return ""


def data_dir(path: str | Path | None = None) -> Path:
    """The data directory: ``path``, else ``CONTRACT_REVIEW_DATA_DIR``, else ``data/store``."""
    return Path(path or data_dir_setting() or "data/store")


def database_url(url: str | None = None, directory: str | Path | None = None) -> str:
    """``url``, else ``CONTRACT_REVIEW_DB_URL``, else the SQLite file in the data directory."""
    url = url or os.environ.get("CONTRACT_REVIEW_DB_URL")
    if url:
        return url
    d = data_dir(directory)
    d.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(d / 'contract-review.db').resolve()}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite connections get WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to the newest migration, or to ``revision`` (creates it on an empty
    database)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # the app and a batch runner may start together
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)

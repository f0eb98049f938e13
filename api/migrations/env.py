"""Alembic environment. The app passes its open connection in ``config.attributes``;
the ``alembic`` command line (alembic.ini at the repository root) builds one from
``DATABASE_URL`` / the default SQLite file."""

from __future__ import annotations

from alembic import context

from api.storage import make_engine, metadata

config = context.config


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    from api.settings import Settings

    engine = make_engine(config.get_main_option("sqlalchemy.url") or Settings().db_url())
    with engine.connect() as conn:
        run(conn)
    engine.dispose()

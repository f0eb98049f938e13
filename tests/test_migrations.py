"""The schema comes from Alembic migrations, and they match the tables the code queries."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect

from api.storage import head_revision, init_db, make_engine, metadata, schema_revision


def test_migrations_build_exactly_the_schema_the_code_uses(db_url):
    engine = make_engine(db_url)
    init_db(engine)
    assert schema_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    init_db(engine)  # a second start changes nothing
    assert schema_revision(engine) == head_revision()
    engine.dispose()


def test_database_made_before_migrations_is_stamped_and_upgraded(db_url):
    engine = make_engine(db_url)
    old = MetaData()
    Table("api_keys", old, Column("id", Integer, primary_key=True), Column("key_hash", String(64)))
    old.create_all(engine)
    init_db(engine)
    names = set(inspect(engine).get_table_names())
    assert {"leads", "lead_log", "alembic_version"} <= names
    assert schema_revision(engine) == head_revision()
    engine.dispose()

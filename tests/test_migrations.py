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


def test_a_lead_that_carried_the_investors_name_as_code_name_gets_a_neutral_one(db_url):
    """Before 0005 a lead saved without a code name took the investor's name, which municipalities
    then saw; the upgrade gives such leads "L-<id>" and logs the change."""
    import json

    from alembic import command
    from sqlalchemy import text

    from api.storage import _alembic

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(_alembic(conn), "0004")
    with engine.begin() as conn:
        for code, name in (("Fortum Oyj", "Fortum Oyj"), ("Projekti Kuusi", "Saha Oy")):
            conn.execute(text("INSERT INTO leads (code_name, referral_source, profile_json, stage, visited_json, "
                              "dropped_json, shared_with_json, notes) VALUES (:c, 'x', :p, 'new', '[]', '[]', "
                              "'[\"205\"]', '')"), {"c": code, "p": json.dumps({"name": name, "sector": "35.11"})})
    init_db(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, code_name FROM leads")).all())
        logged = conn.execute(text("SELECT COUNT(*) FROM lead_log WHERE actor = 'migration 0005'")).scalar()
    (first, second) = sorted(rows)
    assert rows[first] == f"L-{first}" and rows[second] == "Projekti Kuusi" and logged == 1
    engine.dispose()

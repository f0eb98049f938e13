"""Property-based run of schemathesis against the OpenAPI spec (bounded examples): no
response is a 5xx and none breaks its documented schema. The coordinator's key is sent
so that the write and lead endpoints are exercised past their access check."""

import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api import Settings, create_app
from api.storage import create_key, init_db, make_engine

EXAMPLES_PER_OPERATION = 25

# Loaded eagerly: schemathesis' lazy fixture loader does not run under pytest 9.
_DIR = Path(tempfile.mkdtemp(prefix="kainuu-schemathesis-"))
_URL = f"sqlite:///{_DIR / 'fuzz.sqlite'}"
_engine = make_engine(_URL)
init_db(_engine)
KEY = create_key(_engine, "coordinator", None, "schemathesis")
_engine.dispose()
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(database_url=_URL, max_batch=5)))


@pytest.fixture(scope="module", autouse=True)
def _remove_database():
    yield
    shutil.rmtree(_DIR, ignore_errors=True)


# One pytest test per operation, named for it ("GET /api/v1/health"): schemathesis' own
# parametrize gives every operation the same node id, and pytest-xdist, which schedules by node
# id, would then run only one of them.
OPERATIONS = [r.ok() for r in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_no_server_error_and_no_response_outside_its_schema(operation):
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(headers={"X-API-Key": KEY},
                               checks=[not_a_server_error, response_schema_conformance, content_type_conformance])

    check()


def test_every_operation_of_the_service_is_fuzzed():
    paths = create_app(Settings(database_url=_URL)).openapi()["paths"]
    assert {f"{m.upper()} {p}" for p, ops in paths.items() for m in ops} == {op.label for op in OPERATIONS}

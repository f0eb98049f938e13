"""Property-based run of schemathesis against the OpenAPI spec (bounded examples): no
response is a 5xx and none breaks its documented schema. The coordinator's key is sent
so that the write and lead endpoints are exercised past their access check.

One module-level test per operation, each built by schemathesis' own pytest integration
(the schema's explicit examples, the coverage phase, positive *and* negative fuzzing): under
pytest 9 one ``@schema.parametrize()`` function gives all its operations the same node id, and
pytest-xdist's loadfile/loadscope schedulers, which key their queue by node id, then ran one."""

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from api import Settings, create_app
from api.storage import create_key, init_db, make_engine

EXAMPLES_PER_OPERATION = 12  # fuzzed per operation and mode, beside the schema's examples and coverage cases

# Loaded eagerly: schemathesis' lazy fixture loader does not run under pytest 9. Every xdist
# worker imports this module, also those that run none of its tests: remove the folder at exit.
_DIR = Path(tempfile.mkdtemp(prefix="kainuu-schemathesis-"))
atexit.register(shutil.rmtree, _DIR, True)
_URL = f"sqlite:///{_DIR / 'fuzz.sqlite'}"
_engine = make_engine(_URL)
init_db(_engine)
KEY = create_key(_engine, "coordinator", None, "schemathesis")
_engine.dispose()
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(Settings(database_url=_URL, max_batch=5)))
OPERATIONS = [r.ok().label for r in schema.get_all_operations()]


def _fuzz(label: str):
    @schema.include(name=label).parametrize()
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def test(case):
        case.call_and_validate(headers={"X-API-Key": KEY},
                               checks=[not_a_server_error, response_schema_conformance, content_type_conformance])

    return test


def _test_name(label: str) -> str:
    return "test_fuzz_" + "".join(c if c.isalnum() else "_" for c in label.lower()).strip("_")


for _label in OPERATIONS:
    globals()[_test_name(_label)] = _fuzz(_label)


def test_every_operation_of_the_service_is_its_own_fuzz_test():
    paths = create_app(Settings(database_url=_URL)).openapi()["paths"]
    assert {f"{m.upper()} {p}" for p, ops in paths.items() for m in ops} == set(OPERATIONS)
    names = [_test_name(label) for label in OPERATIONS]
    assert len(set(names)) == len(OPERATIONS)  # distinct functions, so distinct node ids
    assert all(callable(globals()[n]) for n in names)

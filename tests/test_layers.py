"""The engine is a library: importing it (and its CLI) loads no web framework or database layer,
and the service's test harness is not shipped in the service package."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SERVICE = ("fastapi", "starlette", "sqlalchemy", "uvicorn", "httpx", "api")


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout.split()
    return {m.split(".")[0] for m in out}


def test_import_matcher_loads_no_fastapi_nor_database_layer():
    assert not loaded_after("import matcher") & set(SERVICE)


def test_the_cli_module_loads_the_service_only_when_a_service_command_runs():
    assert not loaded_after("import matcher.cli") & set(SERVICE)


def test_the_server_harness_is_a_test_helper_not_part_of_the_service():
    root = Path(__file__).resolve().parents[1]
    assert not (root / "api" / "process.py").exists()
    assert not [p for p in (root / "api").rglob("*.py") if "httpx" in p.read_text(encoding="utf-8")]


def test_the_engine_never_imports_the_service_which_registers_its_commands_itself():
    import re

    root = Path(__file__).resolve().parents[1]
    uses = [str(p) for p in (root / "matcher").rglob("*.py")
            if re.search(r"^\s*(from api\b|import api\b)", p.read_text(encoding="utf-8"), re.MULTILINE)]
    assert uses == []
    from matcher.cli import build_parser, service

    svc = service()
    assert svc is not None and svc.__name__ == "api.cli"  # found through the entry point, not an import
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"serve", "keys", "rank"} <= set(commands)


# Which of the engine's sub-packages each may import (ARCHITECTURE.md): the core none of the others.
ALLOWED = {"core": set(), "learn": {"core"}, "municipal": {"core", "brief"}, "brief": {"core"},
           "portfolio": {"core"}}


def test_the_engines_sub_packages_depend_one_way_on_the_core():
    import re

    root = Path(__file__).resolve().parents[1] / "matcher"
    seen = {}
    for pkg, allowed in ALLOWED.items():
        text = "\n".join(p.read_text(encoding="utf-8") for p in (root / pkg).rglob("*.py"))
        used = set(re.findall(r"from \.\.(\w+)", text)) | set(re.findall(r"\bmatcher\.(\w+)\.", text))
        used = (used & set(ALLOWED)) - {pkg}
        seen[pkg] = used
        assert used <= allowed, (pkg, used - allowed)
    assert seen["learn"] == {"core"}  # the check reads real imports
    assert not list(root.glob("*.py")) or {p.stem for p in root.glob("*.py")} == {"__init__", "cli",
                                                                                    "cli_coordinator"}

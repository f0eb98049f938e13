"""The package declares exactly what it imports (issue 13): nothing used only because another
package happens to bring it, nothing declared that no code needs."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions

from .conftest import ROOT

# Needed at run time though no module imports them by name: the framework loads them.
RUNTIME_ONLY = {"jinja2": "starlette's Jinja2Templates renders the web pages",
                "python-multipart": "FastAPI parses the web forms with it"}


def _normal(name: str) -> str:
    return name.lower().replace("_", "-")


def imported_distributions() -> set[str]:
    modules = set()
    for package in ("matcher", "api"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    third = {m for m in modules if m not in sys.stdlib_module_names and m not in ("matcher", "api", "__future__")}
    owners = packages_distributions()
    return {_normal(d) for m in third for d in owners.get(m, [m])}


def test_declared_dependencies_are_exactly_the_imported_ones():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # (tomllib is 3.11+; the project runs on 3.10)
    block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M).group(1)  # type: ignore[union-attr]
    deps = re.findall(r'"([^"]+)"', block)
    declared = {_normal(re.split(r"[<>=\[ ;!~]", d)[0]) for d in deps}
    imported = imported_distributions()
    assert imported - declared == set(), "imported but not declared"
    assert declared - imported == set(RUNTIME_ONLY), "declared but imported by no module"

"""The package installs as a wheel and ranks from any folder with its bundled data and models.

The wheel is built from this checkout (hatchling, no build isolation, so no download) and
installed without dependencies into a fresh venv; the dependencies come from the test
environment's site-packages on PYTHONPATH, where the editable install's .pth hook is not
processed, so ``matcher`` and ``api`` can only be the wheel's own copies."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from matcher import Catalog

from .conftest import ROOT

pytest.importorskip("hatchling")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("wheel")
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(ROOT)], check=True, capture_output=True)
    wheel = next(dist.glob("kainuu_match-*.whl"))
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True,
                   capture_output=True)
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return {"python": py, "cli": env_dir / "bin" / "kainuu-match", "cwd": elsewhere}


def run(installed: dict[str, Path], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAINUU_")}
    env["XDG_STATE_HOME"] = str(installed["cwd"] / "state")  # an installed wheel keeps its state there
    env["PYTHONPATH"] = sysconfig.get_paths()["purelib"]
    return subprocess.run([*args], cwd=installed["cwd"], env=env, capture_output=True, text=True, timeout=300)


def test_the_installed_wheel_ranks_from_another_folder_with_its_bundled_data_and_model(installed):
    where = run(installed, str(installed["python"]), "-c",
                "import sys, matcher, matcher.core.paths as p; print(matcher.__file__); print(p.ROOT); "
                "print('fastapi' in sys.modules)")
    assert where.returncode == 0, where.stderr
    module, root, fastapi = where.stdout.split("\n")[:3]
    assert module.startswith(str(installed["python"].parents[1]))  # the fresh venv's copy, no other
    assert root.endswith("matcher/_bundled") and fastapi == "False"
    profile = ROOT / "examples" / "pulp_bioproducts.json"
    out = run(installed, str(installed["cli"]), "rank", str(profile), "--scope", "finland", "--top", "3")
    assert out.returncode == 0, out.stderr
    head = out.stdout.splitlines()[0]
    assert f"data={Catalog.load().snapshot}" in head  # the same data as this checkout's
    from matcher.learn.model_store import load_best_ranker

    assert f"model={load_best_ranker().version} " in head  # the adopted model travelled with the wheel, its card matched
    assert "expert-prior" not in head
    kainuu = run(installed, str(installed["cli"]), "rank", str(profile), "--top", "1")
    assert kainuu.returncode == 0 and "  1 S30 " in kainuu.stdout


def test_the_installed_wheel_carries_the_service_and_its_web_assets(installed):
    keys = run(installed, str(installed["cli"]), "keys", "--help")
    assert keys.returncode == 0 and "create" in keys.stdout  # registered through the entry point group
    assets = run(installed, str(installed["python"]), "-c",
                 "from pathlib import Path; import api.web as w, api.storage as s; "
                 "print((w.STATIC / 'app.css').is_file(), (s.MIGRATIONS / 'versions').is_dir())")
    assert assets.stdout.split() == ["True", "True"], assets.stderr

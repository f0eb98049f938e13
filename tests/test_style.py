"""The code passes the linter (pyflakes, pycodestyle, import order) as configured here."""

import subprocess
import sys

from .conftest import ROOT


def test_ruff_finds_nothing():
    r = subprocess.run([sys.executable, "-m", "ruff", "check", "matcher", "api", "tests", "benchmarks", "data/build",
                        "--select", "E,F,W,I", "--ignore", "E501"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout[-3000:]

"""Where the bundled data lives: inside the repository, next to the package."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("KAINUU_DATA_DIR", ROOT / "data"))
MODELS_DIR = Path(os.environ.get("KAINUU_MODELS_DIR", ROOT / "models"))
ARCHETYPES_DIR = ROOT / "examples"  # the bundled sector archetypes: the default what-if portfolio

"""Where the bundled data lives. In a clone (and an editable install) it is the repository's own
``data/``, ``models/`` and ``examples/``; an installed wheel carries copies of them inside the
package (``matcher/_bundled/``, mapped there at build time by pyproject.toml), so the engine ranks
from any folder. The environment variables point elsewhere on purpose (tests, a municipality's
own data)."""

from __future__ import annotations

import os
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
_BUNDLED = Path(__file__).resolve().parents[1] / "_bundled"
IN_REPO = (_REPO / "data" / "sites.csv").is_file()
ROOT = _REPO if IN_REPO else _BUNDLED
DATA_DIR = Path(os.environ.get("KAINUU_DATA_DIR", ROOT / "data"))
MODELS_DIR = Path(os.environ.get("KAINUU_MODELS_DIR", ROOT / "models"))
ARCHETYPES_DIR = ROOT / "examples"  # the bundled sector archetypes: the default what-if portfolio
# Writable state (the default SQLite database, the web app's secret): the clone's var/; installed, the
# user's state folder (XDG), the same whatever folder a command runs from (never site-packages).
_STATE = Path(os.environ.get("XDG_STATE_HOME", Path.home() / ".local" / "state")) / "kainuu-match"
VAR_DIR = Path(os.environ.get("KAINUU_VAR_DIR", (_REPO / "var") if IN_REPO else _STATE))

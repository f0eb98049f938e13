"""``make web``: prepare the embedded database, print a one-time sign-in link for a
coordinator, and serve the web app and API on this machine.

A first coordinator key is created when the database has none and printed once (keep it:
it signs in again after the link is used). The link itself only names the key's id and is
good for one sign-in within a day."""

from __future__ import annotations

import argparse
import socket
import sys

from sqlalchemy import select

from ..settings import Settings
from ..site_store import read_csv_rows
from ..storage import api_keys, create_key, init_db, make_engine, seed_sites, startup_lock
from .session import create_link_token, state_dir


def prepare(settings: Settings) -> tuple[int, str | None]:
    """The coordinator key id to sign in as, and the new key when one had to be made."""
    engine = make_engine(settings.db_url())
    try:
        with startup_lock(engine):
            init_db(engine)
            seed_sites(engine, read_csv_rows(settings.data_dir / "sites.csv"))
        with engine.connect() as conn:
            row = conn.execute(select(api_keys.c.id).where(api_keys.c.role == "coordinator")
                               .order_by(api_keys.c.id)).first()
        if row is not None:
            return int(row.id), None
        key = create_key(engine, "coordinator", None, "Coordinator")  # the label users see as the lead owner
        return int(key.split("_", 2)[1]), key
    finally:
        engine.dispose()


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m api.web.launch", description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--no-serve", action="store_true", help="only prepare and print the link")
    a = ap.parse_args(argv)
    settings = Settings()
    if not a.no_serve and not _port_free(a.host, a.port):
        print(f"port {a.port} is in use: try `make web PORT={a.port + 1}`", file=sys.stderr)
        return 2
    key_id, new_key = prepare(settings)
    token = create_link_token(state_dir(settings.db_url()), key_id)
    base = f"http://{'127.0.0.1' if a.host in ('0.0.0.0', '::') else a.host}:{a.port}"
    if new_key:
        print(f"A first coordinator key was created (shown this once; keep it to sign in again):\n  {new_key}\n")
    print(f"Open this one-time sign-in link (valid for a day):\n  {base}/signin?link={token}\n")
    print(f"Web app: {base}/   API docs: {base}/docs   Stop with Ctrl+C.", flush=True)
    if a.no_serve:
        print(f"Start the server with: make web PORT={a.port}")
        return 0
    import uvicorn

    uvicorn.run("api.app:create_app", factory=True, host=a.host, port=a.port, log_level="warning")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""No acknowledged write is lost: concurrent writers against two server processes, then the
whole server killed (SIGKILL) in the middle of the writes. The database must pass its
integrity check, hold every write that got a 2xx, and keep rows and their logs in step."""

import json
import sqlite3
import threading
import time

import httpx

from api.storage import create_key, init_db, make_engine
from tests.server_process import ServerProcess

WRITERS = 6


def _writer(url: str, key: str, n: int, stop: threading.Event, acked: list, errors: list) -> None:
    h = {"X-API-Key": key}
    i = 0
    with httpx.Client(base_url=url, headers=h, timeout=30) as c:
        while not stop.is_set():
            i += 1
            try:
                if i % 4 == 0:  # a site write also swaps the catalog in that worker
                    sid = f"W{n}X{i}"
                    r = c.post("/api/v1/sites", json={
                        "site_id": sid, "name": f"Plot {sid}", "municipality_code": "205", "kind": "plot",
                        "availability": "available", "availability_source": "https://example.org/p",
                        "lat": 64.22, "lon": 27.73, "location_precision": "village",
                        "location_source": "https://example.org/p", "source_urls": "https://example.org/p"})
                    if r.status_code == 201:
                        acked.append(("site", sid))
                else:
                    name = f"Lead {n}-{i}"
                    r = c.post("/api/v1/leads", json={"code_name": name, "profile": {"name": name, "sector": "63.11"}})
                    if r.status_code == 201:
                        acked.append(("lead", r.json()["id"], name))
                if r.status_code >= 500:
                    errors.append(r.text)
            except httpx.TransportError:
                return  # the server is gone: what was acknowledged is what counts


def test_acknowledged_writes_survive_concurrent_writers_and_a_killed_server(tmp_path):
    db = tmp_path / "durable.sqlite"
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    init_db(engine)
    key = create_key(engine, "coordinator", None, "durability test")
    engine.dispose()
    acked: list = []
    errors: list = []
    stop = threading.Event()
    server = ServerProcess(url, workers=2).start()
    threads = [threading.Thread(target=_writer, args=(server.url, key, n, stop, acked, errors)) for n in range(WRITERS)]
    try:
        for t in threads:
            t.start()
        deadline = time.monotonic() + 30
        while len(acked) < 120 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # mid-write: the writers are still sending
        print(f"acknowledged before the kill: {len(acked)}")
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
        server.kill()
    assert not errors, errors[:3]
    assert len(acked) >= 120, f"only {len(acked)} writes acknowledged before the deadline"

    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        leads = dict(con.execute("SELECT id, code_name FROM leads").fetchall())
        sites = {r[0] for r in con.execute("SELECT site_id FROM sites")}
        for a in acked:
            if a[0] == "lead":
                assert leads.get(a[1]) == a[2], a
            else:
                assert a[1] in sites, a
        # every row has its log entry and no log entry is without its row: one transaction each
        logged_leads = {r[0] for r in con.execute("SELECT lead_id FROM lead_log WHERE before_json IS NULL")}
        assert logged_leads == set(leads)
        created = {r[0] for r in con.execute("SELECT site_id FROM audit_log WHERE action = 'create'")}
        assert created == {s for s in sites if s.startswith("W")}
        stored = [json.loads(r[0]) for r in con.execute("SELECT row_json FROM sites")]
        assert all(r["site_id"] for r in stored)
    finally:
        con.close()

    # and the service starts again on that database with everything in it
    with ServerProcess(url) as again:
        r = httpx.get(f"{again.url}/api/v1/leads", params={"limit": 500}, headers={"X-API-Key": key}, timeout=10)
        assert r.status_code == 200 and r.json()["count"] == min(len(leads), 500)
        acked_sites = [a[1] for a in acked if a[0] == "site"]
        if acked_sites:
            assert httpx.get(f"{again.url}/api/v1/sites/{acked_sites[-1]}", timeout=10).status_code == 200

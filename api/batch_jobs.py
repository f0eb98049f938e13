"""Referral batches as background jobs: the upload is checked at once, then the rows are matched
one by one in a worker thread while the partner's page shows the progress.

Progress and results (one JSON line per row) live in the database (table ``batch_jobs``), not in the process: with
several server workers, whichever answers the partner's next request reads the same job. Each
finished row is written in its own transaction before the next starts, so a reload, another
worker or a crash loses at most the row in hand. Who may see a job is decided here, once: the
key that sent it, or a coordinator.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, update

from .storage import batch_jobs

RUNNING, DONE, FAILED = "running", "done", "failed"
# A running job whose last row was written longer ago than this has lost its worker (a restart or a
# kill ends the thread without a word): it is reported as failed, with the rows it finished.
STALE = dt.timedelta(minutes=10)
# A job's page is a progress report: its rows became leads as they were matched. A job finished (or
# silent) longer ago than this is deleted when the next batch starts, so the table does not grow forever.
KEEP = dt.timedelta(days=30)
# At most this many batches are matched at once per server process; the others wait their turn.
SLOTS = threading.BoundedSemaphore(2)
log = logging.getLogger("kainuu.api")


@dataclass(frozen=True)
class Job:
    id: str
    owner_key_id: int
    total: int
    done: int
    status: str
    results: list[dict[str, Any]]

    @property
    def finished(self) -> bool:
        return self.status != RUNNING

    def visible_to(self, role: str, key_id: int | None) -> bool:
        return role == "coordinator" or key_id == self.owner_key_id


def get(engine: Engine, job_id: str) -> Job | None:
    with engine.connect() as conn:
        r = conn.execute(select(batch_jobs).where(batch_jobs.c.id == job_id)).first()
    if r is None:
        return None
    results = [json.loads(line) for line in r.results_json.splitlines() if line]
    status = r.status
    if status == RUNNING and r.updated_at is not None:
        updated = r.updated_at if r.updated_at.tzinfo else r.updated_at.replace(tzinfo=dt.timezone.utc)
        if dt.datetime.now(dt.timezone.utc) - updated > STALE:
            status = FAILED
    return Job(r.id, r.owner_key_id, r.total, r.done, status, results)


Work = Callable[[Any], dict[str, Any]]
OnError = Callable[[Any, Exception], dict[str, Any]]


def start(engine: Engine, owner_key_id: int, items: list[Any], work: Work, on_error: OnError) -> str:
    """Record the job, then run ``work`` on each item in a daemon thread, appending its result;
    an item whose work raises gets ``on_error``'s result instead, and the batch goes on."""
    job_id = secrets.token_urlsafe(16)[:32]
    try:  # housekeeping in its own transaction: a failed clean-up never costs the partner the upload
        with engine.begin() as conn:
            purge_old(conn, dt.datetime.now(dt.timezone.utc))
    except Exception:  # noqa: BLE001
        log.exception("referral jobs: old jobs could not be deleted (tried again at the next batch)")
    with engine.begin() as conn:
        conn.execute(insert(batch_jobs).values(id=job_id, owner_key_id=owner_key_id, total=len(items), done=0,
                                               status=RUNNING if items else DONE, results_json=""))
    if items:
        threading.Thread(target=_run, args=(engine, job_id, items, work, on_error), daemon=True,
                         name=f"batch-{job_id[:8]}").start()
    return job_id


def purge_old(conn: Any, now: dt.datetime) -> int:
    """Delete jobs last written more than ``KEEP`` before ``now``: finished ones, and "running" ones
    whose worker is long gone (a live job is written at every row, so it is never that old)."""
    return conn.execute(delete(batch_jobs).where(batch_jobs.c.updated_at < now - KEEP)).rowcount or 0


def _run(engine: Engine, job_id: str, items: list[Any], work: Work, on_error: OnError) -> None:
    """Each row's result is appended as one JSON line with the progress, in one transaction: the
    write per row stays the size of a row, however long the batch. A row that cannot be matched is
    recorded with its error and the batch goes on."""
    _wait_for_a_slot(engine, job_id)
    try:
        for n, item in enumerate(items, start=1):
            try:
                result = work(item)
            except Exception as exc:  # noqa: BLE001  one item's failure is that item's, not the batch's
                log.exception("referral batch %s: item %d failed", job_id[:8], n)
                result = on_error(item, exc)
            line = json.dumps(result, ensure_ascii=False) + "\n"
            status = DONE if n == len(items) else RUNNING
            with engine.begin() as conn:
                conn.execute(update(batch_jobs).where(batch_jobs.c.id == job_id).values(
                    done=n, status=status, results_json=batch_jobs.c.results_json + line,
                    updated_at=func.now()))
    except Exception:  # noqa: BLE001  the database failed: the page says the batch stopped
        log.exception("referral batch %s stopped", job_id[:8])
        try:
            with engine.begin() as conn:
                conn.execute(update(batch_jobs).where(batch_jobs.c.id == job_id).values(
                    status=FAILED, updated_at=func.now()))
        except Exception:  # noqa: BLE001  then the staleness rule in get() reports it
            log.exception("referral batch %s: could not record the stop", job_id[:8])
    finally:
        SLOTS.release()


def _wait_for_a_slot(engine: Engine, job_id: str) -> None:
    """Queue for one of the process's slots, writing the job's time while it waits: a job waiting
    its turn is alive, and get() must not report it failed as one whose worker has gone."""
    while not SLOTS.acquire(timeout=STALE.total_seconds() / 4):
        try:
            with engine.begin() as conn:
                conn.execute(update(batch_jobs).where(batch_jobs.c.id == job_id).values(updated_at=func.now()))
        except Exception:  # noqa: BLE001  the wait goes on; the staleness rule reports a real stop
            log.exception("referral batch %s: could not record that it waits", job_id[:8])

"""The coordinator's pipeline of leads. Who may see a lead is decided here, in one place:
the coordinator sees all, a referral partner the leads its key sent, a municipality only
those shared with it (and then under the code name, never the investor's own name)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from .auth import Principal
from .storage import lead_log, leads

STAGES = ("new", "pitched", "visited", "shortlisted", "won", "lost")
LIST_COLUMNS = ("visited", "dropped", "shared_with")


def _row_dict(r: Any) -> dict[str, Any]:
    return {"id": r.id, "code_name": r.code_name, "referral_source": r.referral_source,
            "owner_key_id": r.owner_key_id, "profile": json.loads(r.profile_json), "stage": r.stage,
            "chosen_site": r.chosen_site, "visited": json.loads(r.visited_json),
            "dropped": json.loads(r.dropped_json), "shared_with": json.loads(r.shared_with_json),
            "notes": r.notes, "created_at": r.created_at, "updated_at": r.updated_at}


def _columns(lead: dict[str, Any]) -> dict[str, Any]:
    out = {k: lead[k] for k in ("code_name", "referral_source", "owner_key_id", "stage", "chosen_site", "notes")}
    out["profile_json"] = json.dumps(lead["profile"], ensure_ascii=False)
    for k in LIST_COLUMNS:
        out[f"{k}_json"] = json.dumps(lead[k], ensure_ascii=False)
    return out


def _logged(lead: dict[str, Any] | None) -> str | None:
    if lead is None:
        return None
    return json.dumps({k: v for k, v in lead.items() if k not in ("created_at", "updated_at")},
                      ensure_ascii=False, default=str)


def _log(conn: Connection, actor: str, lead_id: int, before: dict | None, after: dict) -> None:
    conn.execute(insert(lead_log).values(actor=actor, lead_id=lead_id, before_json=_logged(before),
                                         after_json=_logged(after)))


def visible_to(p: Principal, lead: dict[str, Any]) -> bool:
    if p.role == "coordinator":
        return True
    if p.role == "referral_partner":
        return lead["owner_key_id"] == p.key_id
    return p.municipality_code in lead["shared_with"]


def as_seen_by(p: Principal, lead: dict[str, Any]) -> dict[str, Any]:
    """The lead as this principal may see it: a municipality gets the code name in place
    of the investor's name and none of the coordinator's notes."""
    out = {k: v for k, v in lead.items() if k != "owner_key_id"}
    if p.role == "municipality":
        out["profile"] = {**lead["profile"], "name": lead["code_name"]}
        out["notes"] = ""
    return out


def default_code_name(lead_id: int) -> str:
    """The code name a lead saved without one gets: its number, never the investor's name."""
    return f"L-{lead_id}"


def create(engine: Engine, actor: str, lead: dict[str, Any]) -> dict[str, Any]:
    """Store a new lead. Without a code name it gets one from its number ("L-6"): municipalities see
    leads only by code name, so the investor's name must never stand in for it."""
    with engine.begin() as conn:
        lead_id = conn.execute(insert(leads).values(**_columns(lead))).inserted_primary_key[0]
        if not str(lead.get("code_name") or "").strip():
            conn.execute(update(leads).where(leads.c.id == lead_id).values(code_name=default_code_name(lead_id)))
        stored = get_in(conn, lead_id)
        assert stored is not None
        _log(conn, actor, lead_id, None, stored)
    return stored


def get_in(conn: Connection, lead_id: int) -> dict[str, Any] | None:
    r = conn.execute(select(leads).where(leads.c.id == lead_id)).first()
    return _row_dict(r) if r else None


def get(engine: Engine, lead_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        return get_in(conn, lead_id)


def change(engine: Engine, actor: str, lead_id: int, changes: dict[str, Any],
           allowed: Any) -> dict[str, Any] | None:
    """Apply ``changes`` in one transaction with the log row. ``allowed(before)`` raises
    when the change may not be made; the row is read inside the transaction so a
    concurrent writer cannot slip between the check and the write."""
    with engine.begin() as conn:
        before = get_in(conn, lead_id)
        if before is None:
            return None
        allowed(before)
        after = {**before, **changes}
        conn.execute(update(leads).where(leads.c.id == lead_id).values(
            **_columns(after), updated_at=dt.datetime.now(dt.timezone.utc)))
        stored = get_in(conn, lead_id)
        assert stored is not None
        _log(conn, actor, lead_id, before, stored)
    return stored


def listing(engine: Engine, p: Principal, stage: str | None, limit: int, offset: int) -> list[dict[str, Any]]:
    q = select(leads).order_by(leads.c.id)
    if stage:
        q = q.where(leads.c.stage == stage)
    if p.role == "referral_partner":
        q = q.where(leads.c.owner_key_id == p.key_id)
    elif p.role == "municipality":
        q = q.where(leads.c.shared_with_json.contains(f'"{p.municipality_code}"'))
    # The filters above are the rule of visible_to in SQL (codes are quoted 3-digit strings in
    # the JSON list, so the text match is exact); the page is cut in the database too.
    with engine.connect() as conn:
        rows = [_row_dict(r) for r in conn.execute(q.limit(limit).offset(offset))]
    return [r for r in rows if visible_to(p, r)]  # never more than the rule allows, whatever SQL did


def outcomes(engine: Engine) -> list[dict[str, Any]]:
    """Leads with a recorded choice: training cases for the ranking model."""
    with engine.connect() as conn:
        rows = conn.execute(select(leads).where(leads.c.chosen_site.is_not(None)).order_by(leads.c.id))
        return [_row_dict(r) for r in rows]


def in_stages(engine: Engine, stages: tuple[str, ...]) -> list[dict[str, Any]]:
    """Every lead in ``stages`` (the pipeline's own use: labour taken, allocation); never shown
    to a caller as such, only as totals."""
    with engine.connect() as conn:
        rows = conn.execute(select(leads).where(leads.c.stage.in_(stages)).order_by(leads.c.id))
        return [_row_dict(r) for r in rows]

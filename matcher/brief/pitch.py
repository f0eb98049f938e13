"""The pitch brief: for one investor profile, the shortlist with the facts that matter, why
each site fits (from its explanation), what is still unverified, sources and dates, the
municipality's contact role, a visit plan and the data snapshot. Texts come from the one
message catalogue; rendering to Markdown, HTML and PDF lives in ``brief_render``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.catalog import Catalog, exact_point, haversine_matrix, located_point, name_in
from ..core.criteria import CRITERION_NAMES, DATA_COLUMNS, KAINUU
from ..core.engine import score
from ..core.explain import fact
from ..core.feasibility import MEETS, UNVERIFIED
from ..core.messages import t
from ..core.profile import InvestorProfile
from ..core.rankers import Ranker

REGION_HOST = {"en": "Regional Council of Kainuu (investment coordinator)",
               "fi": "Kainuun liitto (investointikoordinaattori)"}


@dataclass
class SiteBrief:
    rank: int
    candidate_id: str
    name: str
    municipality: str
    municipality_code: str
    score: float
    feasibility: str  # meets | unverified | fails
    contributions: dict[str, float]
    facts: list[tuple[str, str, bool]]  # (label, text, known)
    why: list[str]
    weakness: str | None
    unverified: list[str]
    sources: list[str]
    last_updated: str
    contact: str | None
    contact_source: str | None


@dataclass
class VisitStop:
    candidate_id: str
    name: str
    municipality: str
    km_from_previous: float
    host: str
    approximate: bool
    # both this stop and the one before have their own points (precision "site"): only then is a 0 km
    # leg "the same place"; sites placed at their village share its point
    exact_leg: bool = False


@dataclass
class Brief:
    lang: str
    profile: InvestorProfile
    sites: list[SiteBrief]
    visits: list[VisitStop]
    candidates_total: int
    meets_total: int
    unverified_total: int
    snapshot: str
    model_version: str
    as_of: str
    extra: dict[str, Any] = field(default_factory=dict)

    def text(self, key: str, **kw: object) -> str:
        return t(key, self.lang, **kw)  # type: ignore[arg-type]


def _resolve(src: str, sources: dict[str, str]) -> str:
    return sources.get(src.strip(), src.strip())


def build_brief(p: InvestorProfile, catalog: Catalog, *, lang: str = "en", top: int = 3,
                ranker: Ranker | None = None) -> Brief:
    if lang not in ("en", "fi"):
        raise ValueError("lang: use en or fi")
    s = score(p, catalog, scope=KAINUU, ranker=ranker)
    c = s.candidates
    sites = catalog.sites.set_index("site_id")
    kainuu = catalog.kainuu.set_index("municipality_code")
    src_urls = dict(zip(catalog.sources["source_id"], catalog.sources["url"]))
    ks_name = catalog.key_sector_names.get(s.key_sector or "", {}).get(lang)
    out = []
    for r, i in enumerate(s.order[:top], start=1):
        i = int(i)
        e = s.explain(i, catalog)
        cid = str(c.ids[i])
        row = sites.loc[cid]
        used = [j for j in range(len(CRITERION_NAMES)) if s.features.applicable[j] and s.weights[j] != 0]
        facts = []
        for j in used:
            label = t(f"label.{CRITERION_NAMES[j]}", lang)  # type: ignore[arg-type]
            known = bool(s.features.known[i, j])
            text = (fact(CRITERION_NAMES[j], p, c, i, lang, ks_name, s.features.inputs)  # type: ignore[arg-type]
                    if known else t("pitch.unknown", lang))  # type: ignore[arg-type]
            facts.append((label, text, known))
        cited = [u.strip() for u in str(row.get("source_urls") or "").split(" ; ") if u.strip()]
        for j in used:
            for col in DATA_COLUMNS.get(CRITERION_NAMES[j], ()):
                src = row.get(f"{col}_source")
                if isinstance(src, str) and src.strip():
                    cited.append(_resolve(src, src_urls))
        code = str(c.municipality_codes[i])
        contact = kainuu["contact_role"].get(code) if "contact_role" in kainuu else None
        if isinstance(contact, str) and "contact_role_fi" in kainuu:  # the name rule: Finnish where known
            contact = name_in(contact, kainuu["contact_role_fi"].get(code), lang)
        contact_src = kainuu["contact_role_source"].get(code) if "contact_role_source" in kainuu else None
        out.append(SiteBrief(
            r, cid, c.name_in(i, lang), str(c.municipality_names[i]), code, float(s.scores[i]),
            s.feasibility.state(i),
            {x.criterion: x.contribution for x in e.contributions}, facts, e.reasons[lang], e.weakness[lang],
            [m[lang] for m in e.missing] + [b.fi if lang == "fi" else b.en for b in e.blockers],
            list(dict.fromkeys(cited)), str(row.get("last_updated") or ""),
            contact if isinstance(contact, str) else None,
            _resolve(contact_src, src_urls) if isinstance(contact_src, str) else None))
    return Brief(lang, p, out, visit_plan(catalog, out, lang), len(c), int((s.feasibility.level == MEETS).sum()),
                 int((s.feasibility.level == UNVERIFIED).sum()),
                 s.snapshot, s.model_version, s.features.as_of)


def visit_plan(catalog: Catalog, shortlist: list[SiteBrief], lang: str) -> list[VisitStop]:
    """Nearest-neighbour order from Kajaani airport; a site without coordinates, or whose point is
    only its municipality's centre, is placed at that centre (and marked approximate)."""
    sites = catalog.sites.set_index("site_id")
    mun = catalog.municipalities.set_index("municipality_code")
    airport = catalog.sites[catalog.sites["name"].str.contains("Airport", case=False, na=False)]
    start = ((float(airport["lat"].iloc[0]), float(airport["lon"].iloc[0])) if len(airport)
             else (float(mun.loc["205", "lat"]), float(mun.loc["205", "lon"])))
    pts, approx, own = [start], [], [True]  # the airport's point is its own
    for b in shortlist:
        lat, lon = sites.loc[b.candidate_id, "lat"], sites.loc[b.candidate_id, "lon"]
        missing = bool(np.isnan(lat) or np.isnan(lon))
        if missing:
            lat, lon = mun.loc[b.municipality_code, "lat"], mun.loc[b.municipality_code, "lon"]
        pts.append((float(lat), float(lon)))
        row = sites.loc[[b.candidate_id]]
        approx.append(missing or not bool(located_point(row)[0]))
        own.append(not missing and bool(exact_point(row)[0]))
    d = haversine_matrix(np.array([x for x, _ in pts]), np.array([y for _, y in pts]))
    left, here, stops = list(range(1, len(pts))), 0, []
    while left:
        nxt = min(left, key=lambda k: (d[here, k], k))
        b = shortlist[nxt - 1]
        host = b.contact or REGION_HOST[lang]
        stops.append(VisitStop(b.candidate_id, b.name, b.municipality, float(d[here, nxt]), host, approx[nxt - 1],
                               own[here] and own[nxt]))
        left.remove(nxt)
        here = nxt
    return stops

"""Even-handedness: across the sector archetypes (and the leads), how often each Kainuu
municipality reaches the top 3, and which missing values hold each back (matcher/municipal/completeness.py)
— so the coordinator can show the eight municipalities that the engine ranks by rules, not favour.

Each profile is ranked over every Kainuu offering; a municipality "reaches the top 3" for a profile
when one of its offerings is among the first three. What holds it back: its offerings' missing
values, by the ranks a perfect value could win (completeness's upper bound), summed per criterion.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ..core.catalog import Catalog
from ..core.criteria import DATA_COLUMNS, KAINUU
from ..core.engine import score
from ..core.messages import LANGS, t
from ..core.profile import InvestorProfile
from ..core.rankers import Ranker
from .completeness import completeness, worth_doing

TOP = 3
HELD_BACK = 3  # criteria named per municipality


def evenhandedness(catalog: Catalog, profiles: list[InvestorProfile], ranker: Ranker | None = None,
                   ) -> dict[str, Any]:
    if not profiles:
        raise ValueError("profiles: none to rank")
    k = catalog.kainuu
    codes = [str(x) for x in k["municipality_code"]]
    names = {str(r.municipality_code): str(r.name_fi) for r in k.itertuples()}
    c = catalog.candidates(KAINUU)
    offerings = {code: int((c.municipality_codes == code).sum()) for code in codes}
    top3: dict[str, int] = defaultdict(int)
    top1: dict[str, int] = defaultdict(int)
    best_ranks: dict[str, list[int]] = defaultdict(list)
    for p in profiles:
        s = score(p, catalog, scope=KAINUU, ranker=ranker)
        seen: set[str] = set()
        for r, i in enumerate(s.order, start=1):
            code = str(s.candidates.municipality_codes[i])
            if code in seen:
                continue
            seen.add(code)
            best_ranks[code].append(r)
            if r <= TOP:
                top3[code] += 1
            if r == 1:
                top1[code] += 1
    todo = completeness(catalog, profiles, ranker)
    held: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for x in worth_doing(todo["items"]):  # a gap worth no rank holds nothing back
        held[x["municipality_code"]][x["criterion"]].append(int(x["worth_ranks"]))
    rows = []
    for code in codes:
        crits = sorted(held[code].items(), key=lambda kv: (-sum(kv[1]), kv[0]))[:HELD_BACK]
        back = [{"criterion": cr, "columns": list(DATA_COLUMNS.get(cr, ())), "gaps": len(w), "worth_ranks": sum(w),
                 **{lang: t(f"label.{cr}", lang) for lang in LANGS}} for cr, w in crits]
        ranks = sorted(best_ranks[code])
        median = None if not ranks else float(ranks[len(ranks) // 2] if len(ranks) % 2 else
                                               (ranks[len(ranks) // 2 - 1] + ranks[len(ranks) // 2]) / 2)
        row = {"municipality_code": code, "municipality": names[code], "offerings": offerings[code],
               "top3": top3[code], "top1": top1[code], "profiles": len(profiles), "median_best_rank": median,
               "held_back_by": back}
        for lang in LANGS:
            labels = ", ".join(b[lang] for b in back) or t("even.nothing", lang)
            row[lang] = t("even.row", lang, name=names[code], top3=top3[code], n=len(profiles),
                          offerings=offerings[code], held=labels)
        rows.append(row)
    rows.sort(key=lambda r: (-r["top3"], -r["top1"], r["municipality_code"]))
    return {"profiles": len(profiles), "top": TOP, "data_snapshot": catalog.snapshot, "municipalities": rows,
            "method": {lang: t("even.method", lang, top=TOP) for lang in LANGS}}


def to_pdf(report: dict[str, Any], lang: str) -> bytes:
    """The report as an A4 PDF in ``lang`` (the brief's PDF setup: matcher.brief.brief_render)."""
    from ..brief.brief_render import pdf_document

    pdf, para = pdf_document()
    para(t("even.title", lang), size=16, style="B", gap=3)  # type: ignore[arg-type]
    para(report["method"][lang], gap=3)
    for r in report["municipalities"]:
        para(f"{r['municipality']} ({r['municipality_code']})", size=12, style="B", gap=1)
        para(r[lang], gap=2.5)
    para(t("even.snapshot", lang, snapshot=report["data_snapshot"], n=report["profiles"]), size=8)  # type: ignore[arg-type]
    return bytes(pdf.output())


__all__ = ["evenhandedness", "to_pdf"]

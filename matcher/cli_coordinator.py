"""The coordinator's commands beyond one investor at a time: who could an offering fit
(``investors``), the joint allocation of the active leads (``allocate``), the even-handedness report
(``evenhandedness``), sites like this one (``similar``). Registered on the ``kainuu-match`` parser by ``add_commands``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from .core.messages import t


def _cli() -> Any:
    from . import cli

    return cli


def cmd_investors(a: argparse.Namespace) -> int:
    from .portfolio.investors import (
        archetype_investors,
        decision_investors,
        investors_for,
        offering_ids,
    )

    cli = _cli()
    cat = cli._catalog(a)
    if a.offering_id not in offering_ids(cat):
        raise cli.UsageError(f"OFFERING_ID: {a.offering_id[:40]!r} is not an offered Kainuu site "
                             f"(offered: {', '.join(offering_ids(cat))})")
    pool = archetype_investors(a.profiles) + decision_investors(cat)
    out = investors_for(a.offering_id, cat, pool, top=a.top, ranker=cli._load_ranker())
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = a.lang
    o = out["offering"]
    print(t("investors.head", lang, id=o["id"], name=o["name"], municipality=o["municipality"],
            n=out["investors_total"], snapshot=out["data_snapshot"]))
    for r in out["results"]:
        state = t(f"state.{r['feasibility']}", lang)
        score = t("cli.score_value", lang, score=r["score"])  # 0,785 in Finnish
        print(f"{str(r['rank']) + ('=' if r['tied'] > 1 else ''):>3} {t('investors.source.' + r['source'], lang):<22} {score:>6} {state:<14} "
              f"{r['sector']:<6} {r['name'][:56]}")
        print(f"{'':>8}{t('investors.site_rank', lang, rank=r['site_rank'], total=r['sites_total'])}")
        for reason in r["reasons"][lang]:
            print(f"{'':>8}+ {reason}")
        for b in r["blockers"]:
            print(f"{'':>8}x {b[lang]}")
        for d in (r["chose"] or {}).get("decisions", []):
            print(f"{'':>8}{t('investors.chose', lang, project=d['project'][:70], where=', '.join(d['municipalities']), year=d['year'] or '?')}")
    return 0


def add_commands(sub: Any, *, top: Any, archetypes: str) -> None:
    iv = sub.add_parser("investors", help="who could an offering fit: archetypes and real investors ranked for one site")
    iv.add_argument("offering_id", metavar="OFFERING_ID")
    iv.add_argument("--top", type=top, default=10)
    iv.add_argument("--profiles", default=archetypes, help="folder of archetype profiles (default: examples/)")
    iv.add_argument("--format", choices=("table", "json"), default="table")
    iv.add_argument("--lang", choices=("en", "fi"), default="en")
    iv.set_defaults(func=cmd_investors)
    add_allocate(sub, archetypes)
    add_evenhandedness(sub, archetypes)
    add_similar(sub)




def _stored_leads(a: argparse.Namespace, stages: tuple[str, ...]) -> list[dict[str, Any]] | None:
    """The leads of the service's database in ``stages`` (None without --database/DATABASE_URL)."""
    cli = _cli()
    url = cli._database_url(a)
    if not url:
        return None
    return cli.service("--database").stored_leads(url, stages)


def cmd_allocate(a: argparse.Namespace) -> int:
    from .core.profile import InvestorProfile
    from .portfolio.allocation import ACTIVE_STAGES, Lead, allocate
    from .portfolio.investors import archetype_investors

    cli = _cli()
    cat = cli._catalog(a)
    stored = None if a.profiles else _stored_leads(a, ACTIVE_STAGES)
    pipeline = []
    if stored is not None:
        from .core.workforce import pipeline_projects

        leads = [Lead(f"lead {x['id']}", InvestorProfile.model_validate(x["profile"])) for x in stored]
        pipeline = pipeline_projects(_stored_leads(a, ("won",)) or [], cat, cli._load_ranker())
        where = "database"
    else:
        leads = [Lead(x.investor_id, x.profile) for x in archetype_investors(a.profiles or cli.ARCHETYPES_DIR)]
        where = str(a.profiles or cli.ARCHETYPES_DIR)
        if not leads:  # a folder given to allocate: an empty one is a mistake, not a quiet day
            raise cli.UsageError(f"--profiles: no profiles (*.json) in {where[:200]}")
    if not leads:
        print(t("alloc.none", a.lang))
        return 0
    out = allocate(leads, cat, ranker=cli._load_ranker(), pipeline=pipeline)
    out["leads_from"] = where
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = a.lang
    print(t("alloc.total", lang, placed=out["placed"], n=len(out["leads"]), total=out["total_score"],
            best=out["total_individual_best"]) + f"  ({where}; data {out['data_snapshot']})")
    for r in out["leads"]:
        got = r["assigned"]
        site = f"{got['site_id']} {t('state.' + got['feasibility'], lang)}" if got else "-"
        print(f"  {r['lead_id'][:24]:<24} {site:<22} {r['gives_up'][lang]}")
    return 0


def add_allocate(sub: Any, archetypes: str) -> None:
    al = sub.add_parser("allocate", help="jointly assign the active leads to sites without exceeding any capacity")
    al.add_argument("--profiles", default=None,
                    help="a folder of profiles to allocate as leads (default: the active leads of --database / "
                         f"DATABASE_URL, else the archetypes in {archetypes})")
    al.add_argument("--format", choices=("table", "json"), default="table")
    al.add_argument("--lang", choices=("en", "fi"), default="en")
    al.set_defaults(func=cmd_allocate)


def rank_seeing_pipeline(a: argparse.Namespace, p: Any) -> Any:
    """``rank --pipeline``: the ranking once won and shortlisted leads have taken their workers."""
    from .core.workforce import PIPELINE_STAGES, pipeline_projects, rank_with_pipeline

    cli = _cli()
    if a.scope != "kainuu":
        raise cli.UsageError("--pipeline: the pipeline's sites are in Kainuu; use --scope kainuu")
    stored = _stored_leads(a, PIPELINE_STAGES)
    if stored is None:
        raise cli.UsageError("--pipeline: needs --database or DATABASE_URL (the leads live in the service's database)")
    cat = cli._catalog(a)
    ranker = cli._load_ranker()
    return rank_with_pipeline(p, cat, pipeline_projects(stored, cat, ranker), top=a.top, ranker=ranker)


def cmd_evenhandedness(a: argparse.Namespace) -> int:
    from .core.profile import InvestorProfile
    from .municipal.evenhandedness import evenhandedness, to_pdf
    from .municipal.whatif import portfolio

    cli = _cli()
    dest = cli.output_file("--pdf", a.pdf, ("pdf",)) if a.pdf else None
    cat = cli._catalog(a)
    profiles = portfolio(a.profiles)
    stored = _stored_leads(a, ("new", "pitched", "visited", "shortlisted", "won", "lost"))
    profiles += [InvestorProfile.model_validate(x["profile"]) for x in stored or []]
    out = evenhandedness(cat, profiles, cli._load_ranker())
    if dest:
        dest.write_bytes(to_pdf(out, a.lang))
        print(f"wrote {dest} ({out['profiles']} profiles; data {out['data_snapshot']})")
        return 0
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(out["method"][a.lang])
    for r in out["municipalities"]:
        print(f"  {r[a.lang]}")
    return 0


def add_evenhandedness(sub: Any, archetypes: str) -> None:
    ev = sub.add_parser("evenhandedness", help="how often each municipality reaches the top 3, and what holds it back")
    ev.add_argument("--profiles", default=archetypes, help="a profile JSON or a folder of them (default: archetypes); "
                                                           "with --database the recorded leads are added")
    ev.add_argument("--format", choices=("table", "json"), default="table")
    ev.add_argument("--lang", choices=("en", "fi"), default="en")
    ev.add_argument("--pdf", help="write the report as FILE.pdf in --lang")
    ev.set_defaults(func=cmd_evenhandedness)


def cmd_similar(a: argparse.Namespace) -> int:
    from .portfolio.similar import MAX_SIMILAR, similar

    cli = _cli()
    cat = cli._catalog(a)
    if not 1 <= a.top <= MAX_SIMILAR:
        raise cli.UsageError(f"--top: must be between 1 and {MAX_SIMILAR}")
    try:
        out = similar(a.site_id, cat, top=a.top)
    except KeyError:
        raise cli.UsageError(f"SITE_ID: {a.site_id[:40]!r} is not an offered Kainuu site (see `kainuu-match sites`)") from None
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang, s = a.lang, out["site"]
    print(f"{s['id']} {s['name']} ({s['municipality']}) — {out['method'][lang]}")
    print(t("similar.kainuu", lang))
    for x in out["kainuu"]:
        print(f"  {t('similar.distance_value', lang, distance=x['distance']):>5}  {x['id']:<5} "
              f"{x['municipality']:<12} {x['name'][:60]}")
    print(t("similar.finland", lang, name=s["municipality"]))
    for x in out["finland"]:
        print(f"  {t('similar.distance_value', lang, distance=x['distance']):>5}  {x['code']}  {x['name']}")
    return 0


def add_similar(sub: Any) -> None:
    si = sub.add_parser("similar", help="sites like this one in Kainuu, and municipalities like its own in Finland")
    si.add_argument("site_id", metavar="SITE_ID")
    si.add_argument("--top", type=int, default=5)
    si.add_argument("--format", choices=("table", "json"), default="table")
    si.add_argument("--lang", choices=("en", "fi"), default="en")
    si.set_defaults(func=cmd_similar)

"""The ``kainuu-match`` command line. Bad input: one line naming the field, exit code 2."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .core import clock
from .core.catalog import Catalog, name_in
from .core.criteria import SCOPES
from .core.engine import MAX_TOP, Ranking, explain, rank
from .core.explain import Explanation
from .core.messages import LANGS, t, term
from .core.paths import ARCHETYPES_DIR, DATA_DIR, MODELS_DIR
from .core.profile import ProfileError, load_profile, profile_title

EXIT_BAD_INPUT = 2
# Output cut short because the reader closed the pipe: 128 + SIGPIPE, the status a shell reports for
# `cat`, `git log` or any program SIGPIPE ends (Python ignores SIGPIPE, so we say it ourselves), so
# `set -o pipefail` scripts treat this command like every other Unix filter.
EXIT_BROKEN_PIPE = 128 + 13


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep the one-line contract
        raise UsageError(message)


def _top(value: str) -> int:
    """A rank count (argparse names the flag: --top, --target-rank, --limit). One wording for
    every bad value (0, -1, 'x', 501), so the reader learns the range whatever they typed."""
    n = int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0
    if not 1 <= n <= MAX_TOP:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_TOP}, not {value[:40]!r}")
    return n


def _penalty(value: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not (x > 0 and x < 1e6):
        raise argparse.ArgumentTypeError(f"must be above 0 and below 1000000, not {value}")
    return x


def _as_of(value: str):  # type: ignore[no-untyped-def]
    try:
        return clock.parse(value, "--as-of")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).split(": ", 1)[1]) from None


def _kainuu_code(cat: Catalog, code: str, flag: str = "--municipality") -> str:
    codes = sorted(str(c) for c in cat.kainuu["municipality_code"])
    if code not in codes:
        raise UsageError(f"{flag}: {code[:40]!r} is not a Kainuu municipality code ({', '.join(codes)})")
    return code


EXIT_UNAVAILABLE = 3


class Unavailable(Exception):
    """A service the command needs (the database) cannot be reached: one line, exit 3."""


SERVICE_GROUP = "kainuu_match.service"


def service(flag: str | None = None):  # type: ignore[no-untyped-def]
    """The installed service package's CLI hooks (entry point group ``kainuu_match.service``: its
    commands, the stored catalog, lead outcomes), or None. The engine never imports the service;
    the service registers itself. With ``flag``, a missing service is a usage error naming it."""
    from importlib.metadata import entry_points

    for ep in entry_points(group=SERVICE_GROUP):
        return ep.load()
    if flag:
        raise UsageError(f"{flag}: needs the service package (api), which is not installed")
    return None


def _database_url(a: argparse.Namespace) -> str:
    return getattr(a, "database", None) or os.environ.get("DATABASE_URL", "")


def _catalog(a: argparse.Namespace) -> Catalog:
    """The bundled data, with the sites as the service's database has them when the command
    is given --database or DATABASE_URL: the same data id the server reports."""
    base = Catalog.load(a.data)
    url = _database_url(a)
    if not url:
        return base
    return service("--database").stored_catalog(base, Path(a.data), url)


def _load_ranker():
    from .learn.model_store import load_best_ranker

    return load_best_ranker()


def why_lines(e: Explanation, lang: str) -> list[str]:
    """Blockers (x), reasons (+), the weakness (-) and the facts not counted (·), as the table and
    `explain` print them."""
    return ([f"x {getattr(b, lang)}" for b in e.blockers] + [f"+ {r}" for r in e.reasons[lang]]
            + ([f"- {e.weakness[lang]}"] if e.weakness[lang] else []) + [f"· {x}" for x in e.unweighted.get(lang, [])])


def table(r: Ranking, lang: str = "en", catalog: Catalog | None = None) -> str:
    """The ranking as text; with the ``catalog`` the sites are named in ``lang`` (``Catalog.name_of``)."""
    fails = r.candidates_total - r.feasible_total
    lines = [f"scope={r.scope}  model={r.model_version}  data={r.data_snapshot}  as_of={r.as_of}  "
             f"{t('state.meets', lang)} {r.meets_total}, {t('state.unverified', lang)} {r.unverified_total}, "
             f"{t('state.fails', lang)} {fails} / {r.candidates_total}",
             *[f"! {c[lang]}" for c in r.caveats],
             t("cli.head", lang, rank="#", id="id", score=t("cli.score", lang),  # type: ignore[arg-type]
               state=t("label.feasibility", lang), municipality=t("cli.municipality", lang))]  # type: ignore[arg-type]
    for m in r.results:
        state = t(f"state.{m.feasibility}", lang) + ("*" if m.availability == "reserved" else "")
        score = t("cli.score_value", lang, score=m.score)  # type: ignore[arg-type]  # 0,721 in Finnish
        name = catalog.name_of(m.candidate_id, lang, m.name, scope=r.scope) if catalog else m.name
        lines.append(f"{m.rank:>3} {m.candidate_id:<6} {score:>6} {state:<14} {m.municipality:<13} "
                     f"{shortened(name, 60)}")
        e = m.explanation
        lines += [f"{'':>11}{x}" for x in why_lines(e, lang)]
        unknown = sorted({x["criterion"] for x in e.missing if x.get("status") != "not_assessed"})
        not_assessed = sorted({x["criterion"] for x in e.missing if x.get("status") == "not_assessed"})
        if unknown:
            labels = ", ".join(t(f"label.{c}", lang) for c in unknown)  # type: ignore[arg-type]
            lines.append(f"{'':>11}{t('cli.unknown', lang, criteria=labels)}")  # type: ignore[arg-type]
        if not_assessed:
            labels = ", ".join(t(f"label.{c}", lang) for c in not_assessed)  # type: ignore[arg-type]
            lines.append(f"{'':>11}{t('cli.not_assessed', lang, criteria=labels)}")  # type: ignore[arg-type]
    if any(m.availability == "reserved" for m in r.results):  # the state's '*' says so
        lines.append(t("cli.reserved_legend", lang))  # type: ignore[arg-type]
    return "\n".join(lines)


def cmd_rank(a: argparse.Namespace) -> int:
    p = load_profile(a.profile)
    cat = _catalog(a)
    if a.pipeline:
        from .cli_coordinator import rank_seeing_pipeline

        r = rank_seeing_pipeline(a, p)
    else:
        r = rank(p, cat, scope=a.scope, top=a.top, ranker=_load_ranker())
    print(json.dumps(r.as_dict(), ensure_ascii=False, indent=2) if a.format == "json" else table(r, a.lang, cat))
    return 0


def cmd_explain(a: argparse.Namespace) -> int:
    p = load_profile(a.profile)
    cat = _catalog(a)
    ids = set(cat.candidates("kainuu").ids) | set(cat.candidates("finland").ids)
    if a.candidate_id not in ids:
        kind = cat.sites.loc[cat.sites["site_id"] == a.candidate_id, "kind"]
        if len(kind):
            raise ProfileError("CANDIDATE_ID", f"{a.candidate_id} is a site of kind {kind.iloc[0]}: evidence for the "
                                               "sites around it, not ranked itself")
        raise ProfileError("CANDIDATE_ID", f"unknown candidate {a.candidate_id!r} (see `kainuu-match sites`)")
    m, r = explain(p, cat, a.candidate_id, ranker=_load_ranker())
    out = {**m.as_dict(), "model_version": r.model_version, "data_snapshot": r.data_snapshot,
           "scope": r.scope, "as_of": r.as_of}
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        lang = a.lang
        width = 19 if lang == "en" else 34  # Finnish labels are longer
        name = cat.name_of(m.candidate_id, lang, m.name, scope=r.scope)
        print(t("cli.explain_head", lang, id=m.candidate_id, name=name, municipality=m.municipality,  # type: ignore[arg-type]
                rank=m.rank, total=r.candidates_total, score=m.score, state=t(f"state.{m.feasibility}", lang)))  # type: ignore[arg-type]
        for c in m.explanation.contributions:
            flag = "" if c.known else "  " + t("cli.unknown_part", lang)  # type: ignore[arg-type]
            part = t("cli.part", lang, part=abs(c.contribution))  # type: ignore[arg-type]
            sign = "+" if c.contribution >= 0 else "-"
            label = c.criterion if lang == "en" else t(f"label.{c.criterion}", lang)  # type: ignore[arg-type]
            print(f"  {label:<{width}} {t('cli.wx', lang, w=c.weight, x=c.value)} -> {sign}{part}{flag}")  # type: ignore[arg-type]
        total = sum(c.contribution for c in m.explanation.contributions)
        print(f"  {t('cli.sum', lang):<{width}} {'+' if total >= 0 else '-'}{t('cli.part', lang, part=abs(total))}")  # type: ignore[arg-type]
        if r.model_version.startswith("gbt"):
            print("  " + t("cli.gbt_note", lang))  # type: ignore[arg-type]
        for x in why_lines(m.explanation, a.lang):
            print(f"  {x}")
        for x in m.explanation.missing:
            print(f"  ? {x[a.lang]}")
    return 0


def cmd_sites(a: argparse.Namespace) -> int:
    cat = _catalog(a)
    s = cat.sites
    if a.format == "json":
        rows = json.loads(s.to_json(orient="records", force_ascii=False))
        print(json.dumps({"sites": rows, "data_snapshot": cat.snapshot}, ensure_ascii=False, indent=2))
        return 0
    for r in s.itertuples():
        kind = term("kind", r.kind, a.lang)  # type: ignore[arg-type]
        avail = term("availability", r.availability, a.lang).split(" (")[0]  # type: ignore[arg-type]
        print(f"{r.site_id:<6} {kind:<24} {avail:<14} {cat.municipality_name(r.municipality_code):<12} "
              f"{shortened(name_in(r.name, r.name_fi, a.lang), 70)}")
    return 0


def shortened(text: str, width: int) -> str:
    """A name cut to ``width`` with an ellipsis, so a cut is seen as one (no half-open brackets)."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def cmd_validate(a: argparse.Namespace) -> int:
    from .core.validate import validate_folder

    if not Path(a.path).is_dir():  # not twelve 'file is missing' lines for one mistyped path
        reason = "not a folder" if Path(a.path).exists() else "no such folder"
        raise UsageError(f"validate-data: {reason}: {a.path[:200]}")
    problems = validate_folder(a.path)
    for pr in problems:
        print(pr)
    if problems:
        print(f"{len(problems)} problem(s) in {a.path}", file=sys.stderr)
        return 1
    print(f"ok: {a.path} passes the schema")
    return 0


def _lead_outcomes(use: bool) -> list:
    """Recorded lead outcomes from the service's database, when there is one (and the service)."""
    svc = service() if use else None
    return svc.lead_outcomes() if svc else []


def cmd_train(a: argparse.Namespace) -> int:
    from .learn.training import table, train

    folder, card = train(Catalog.load(a.data), a.data, a.models, leads=_lead_outcomes(a.leads),
                         version=a.version, with_tree=not a.no_tree, l2=a.l2)
    print(f"wrote {folder} ({card['training_data']['cases']} cases: {card['training_data']['decisions']} "
          f"decisions, {card['training_data']['lead_outcomes']} lead outcomes; {card['seconds']} s)")
    print(table(card["metrics_held_out"]))
    print(f"conditional logit adopted by the engine: {'yes' if card['adopted'] else 'no'}")
    if card.get("tree_model"):
        print(f"tree model ({card['tree_model']}) adopted: {'yes' if card['verdict'].get('adopt') == 'tree' else 'no'}")
    print("held out, final investment decisions and land purchases only:")
    print(table(card["metrics_held_out_fid_and_land_purchases"]))
    print("held out, new sites only (no expansion at the investor's own site):")
    print(table(card["metrics_held_out_new_sites"]))
    print(f"rule: {card['adoption_rule']}")
    return 0


def cmd_plausibility(a: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .learn.plausibility import evaluate_archetypes, site_cases, table

    cat = Catalog.load(a.data)
    profiles = {f.stem: load_profile(f) for f in sorted(Path(ARCHETYPES_DIR).glob("*.json"))}
    results = evaluate_archetypes(cat, a.data, profiles, ranker=_load_ranker())
    cases = site_cases(cat, a.data, ranker=_load_ranker())
    if a.format == "json":
        print(json.dumps({"archetypes": [{**asdict(r), "hit1": r.hit1, "hit3": r.hit3} for r in results],
                          "site_cases": [asdict(k) for k in cases], "data_snapshot": cat.snapshot},
                         ensure_ascii=False, indent=2))
    else:
        print(table(results, cases))
    return 0


def _decision_types(data: Path, value: str | None) -> tuple[str, ...] | None:
    """``--types`` checked against the decisions the data holds, before the evaluation: an unknown
    type, or one no decision has, would otherwise leave no case and fail deep inside it."""
    if value is None:
        return None
    if not value.strip():
        raise UsageError("--types: empty; give decision types separated by commas, or leave --types out")
    from .core.schema import DECISION_TYPES, read_table

    held = sorted({str(x) for x in read_table(Path(data), "decisions.csv")["decision_type"].dropna()})
    types = tuple(x.strip() for x in value.split(","))
    for x in types:
        if x not in held:
            why = "no decision in decisions.csv is" if x in DECISION_TYPES else "not a decision type:"
            raise UsageError(f"--types: {why} {x[:40]!r} (the types there: {', '.join(held)})")
    return types


def cmd_evaluate(a: argparse.Namespace) -> int:
    if a.plausibility:
        return cmd_plausibility(a)
    from .learn.training import case_table, evaluate, table

    types = _decision_types(a.data, a.types)
    ev, _ = evaluate(Catalog.load(a.data), a.data, _lead_outcomes(a.leads), with_tree=not a.no_tree, types=types)
    from .learn.evaluation import verdict

    in_use = _load_ranker()
    shown = "tree" if in_use.additive else "learned"  # the top 3 of the kind of model that ranks now
    new_sites = ev.methods_on_new_sites()
    if a.format == "json":
        print(json.dumps({**ev.as_dict(), "methods_new_sites": new_sites, "verdict": verdict(ev.methods),
                          "ranker_in_use": in_use.version}, indent=2))
    elif a.format == "markdown":
        from .learn.training import markdown

        print(markdown(ev, shown))
    else:
        print(f"leave-one-project-group-out over {len(ev.case_ids)} real choices "
              f"({int(ev.params['folds'])} groups); lower rank / higher others = better")
        print(table(ev.methods))
        print("new sites only (no expansion at the investor's own site):")
        print(table(new_sites))
        print()
        print(case_table(ev, shown))
        print(f"on these cases alone the rule would adopt: {verdict(ev.methods)['adopt'] or 'nothing'} "
              "(`train` applies the whole rule: all decisions, FIDs and land purchases, new sites)")
        print(f"ranker in use: {in_use.version}")
    return 0


def cmd_whatif(a: argparse.Namespace) -> int:
    from .municipal.whatif import evaluate, load_scenario, portfolio

    if not Path(a.scenario).is_file():
        raise UsageError(f"--scenario: {a.scenario[:200]!r} is not a file")
    try:
        scenario = load_scenario(a.scenario)
    except OSError as exc:
        raise UsageError(f"--scenario: {exc.strerror or exc}") from None
    out = evaluate(scenario, _catalog(a), portfolio(a.profiles), _load_ranker())
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = a.lang

    def tr(key: str, **kw: object) -> str:
        return t(key, lang, **kw)  # type: ignore[arg-type]

    def yes(v: object) -> str:
        return "-" if v in (None, "-") else tr("cli.yes" if v else "cli.no")

    print(tr("cli.whatif_head", scenario=out["scenario"], model=out["model_version"], data=out["data_snapshot_after"]))
    print(f"{tr('cli.col.profile'):<44}{tr('cli.col.site'):<6}{tr('cli.col.rank'):>10}{tr('cli.col.score'):>16}"
          f"{tr('cli.col.feasible'):>16}{tr('cli.col.share'):>20}")
    for prof in out["profiles"]:
        for c in prof["candidates"]:
            b, f = c["before"] or {}, c["after"]
            sb = tr("cli.score_value", score=b["score"]) if "score" in b else "-"
            print(f"{shortened(profile_title(prof['profile'], lang), 43):<44}{c['candidate_id']:<6}{b.get('rank', '-'):>4} -> {f['rank']:<3}"
                  f"{sb:>7} -> {tr('cli.score_value', score=f['score']):<6}"
                  f"{yes(b.get('feasible', '-')):>7} -> {yes(f['feasible']):<6}"
                  f"{tr('cli.share', share=b.get('choice_share', 0)):>9} -> {tr('cli.share', share=f['choice_share']):<8}")
    return 0


def cmd_advise(a: argparse.Namespace) -> int:
    from .municipal.advice import advise

    out = advise(load_profile(a.profile), _catalog(a), a.candidate_id, a.target_rank,
                 ranker=_load_ranker())
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = a.lang
    print(t("cli.advise_head", lang, id=a.candidate_id, rank=out["rank_now"], profile=out["profile"],  # type: ignore[arg-type]
            k=a.target_rank))
    for o in out["options"]:
        parts = [t("cli.advise_change", lang, column=c["column"], needed=c["needed"],  # type: ignore[arg-type]
                   unit=term("unit", c["unit"], lang),  # type: ignore[arg-type]
                   now=t("cli.unknown_value", lang) if c["now"] is None  # type: ignore[arg-type]
                   else t("cli.number", lang, x=c["now"]))  # type: ignore[arg-type]
                 for c in o["changes"]]
        print("  " + t("cli.advise_option", lang, changes=t("cli.and", lang).join(parts), rank=o["rank_after"]))  # type: ignore[arg-type]
    if out.get("note"):
        print(f"  {out['note']}")
    return 0


def cmd_sensitivity(a: argparse.Namespace) -> int:
    from .municipal.sensitivity import CARD_SPREAD, PARTS_SPREAD, PRIOR_LOG_SIGMA, sensitivity

    if not 10 <= a.draws <= 100_000:
        raise UsageError(f"--draws: {a.draws} is not between 10 and 100000")
    out = sensitivity(load_profile(a.profile), _catalog(a), scope=a.scope, ranker=_load_ranker(),
                      draws=a.draws, top=a.top)
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = a.lang
    how = {CARD_SPREAD: t("cli.sens_card", lang), PARTS_SPREAD: t("cli.sens_parts", lang, sigma=PRIOR_LOG_SIGMA)}.get(
        out["weight_uncertainty"], t("cli.sens_prior", lang, sigma=PRIOR_LOG_SIGMA))  # type: ignore[call-overload]
    print(t("cli.sens_head", lang, profile=out["profile"], draws=a.draws, how=how,  # type: ignore[arg-type]
            model=out["model_version"]))
    for r in out["results"]:
        print(f"  #{r['rank']} {r['candidate_id']:<6} {r['name'][:50]:<51} "
              + t("cli.sens_row", lang, rank=r["rank"], same=r["same_rank_share"], first=r["first_share"],  # type: ignore[arg-type]
                  top=a.top, top_share=r[f"top{a.top}_share"], lo=r["rank_p5"], hi=r["rank_p95"]))
    return 0


def cmd_completeness(a: argparse.Namespace) -> int:
    from .municipal.completeness import completeness, worth_doing
    from .municipal.whatif import portfolio

    cat = _catalog(a)
    if a.municipality is not None:
        _kainuu_code(cat, a.municipality)
    out = completeness(cat, portfolio(a.profiles), _load_ranker())
    if a.municipality:
        out["items"] = [x for x in out["items"] if x["municipality_code"] == a.municipality]
    if a.format == "json":
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    lang = a.lang
    print(t("cli.todo_head", lang, profiles=out["profiles"], snapshot=out["data_snapshot"]))  # type: ignore[arg-type]
    worth = worth_doing(out["items"])
    for x in worth[: a.limit]:
        print(f"  {x['candidate_id']:<6} {x['municipality']:<12} {x[lang]}")
    if len(worth) < len(out["items"]):
        print(t("cli.todo_left_out", lang, n=len(out["items"]) - len(worth)))  # type: ignore[arg-type]
    return 0


def output_file(flag: str, path: str, suffixes: tuple[str, ...]) -> Path:
    """The file a command writes, checked before any work: its ending, and a folder that exists
    (a mistyped path is refused, never made into a chain of new folders)."""
    out = Path(path)
    if out.suffix.lower().lstrip(".") not in suffixes:
        ends = [f".{x}" for x in suffixes]
        either = " or ".join([", ".join(ends[:-1]), ends[-1]] if len(ends) > 1 else ends)
        raise UsageError(f"{flag}: {out.name[:200]!r} must end in {either}")
    if not out.parent.is_dir():
        raise UsageError(f"{flag}: no such folder: {str(out.parent)[:200]}")
    return out


def cmd_pitch(a: argparse.Namespace) -> int:
    from .brief.brief_render import FORMATS, render
    from .brief.pitch import build_brief

    out = output_file("--out", a.out, FORMATS)
    if not 1 <= a.top <= 10:
        raise UsageError(f"--top: {a.top} is not between 1 and 10")
    brief = build_brief(load_profile(a.profile), _catalog(a), lang=a.lang, top=a.top, ranker=_load_ranker())
    out.write_bytes(render(brief, out.suffix.lower().lstrip(".")))
    print(f"wrote {out} ({', '.join(s.candidate_id for s in brief.sites)}; data {brief.snapshot})")
    return 0


def _output_flags(p: argparse.ArgumentParser, lang: bool = True) -> None:
    p.add_argument("--format", choices=("table", "json"), default="table")
    if lang:
        p.add_argument("--lang", choices=LANGS, default="en")


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="kainuu-match", description="Match investor profiles to Kainuu sites.")
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="data folder (default: bundled data)")
    ap.add_argument("--as-of", type=_as_of, default=None, metavar="YYYY-MM-DD",
                    help="rank as of this date (default: KAINUU_AS_OF, else today)")
    ap.add_argument("--database", default=None,
                    help="the service's database URL (default: DATABASE_URL): sites as the service has them")
    sub = ap.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    r = sub.add_parser("rank", help="rank sites (or municipalities) for a profile")
    r.add_argument("profile")
    r.add_argument("--scope", choices=SCOPES, default="kainuu")
    r.add_argument("--top", type=_top, default=10)
    r.add_argument("--pipeline", action="store_true",
                   help="see what the won and shortlisted leads of --database / DATABASE_URL leave of each labour pool")
    _output_flags(r)
    r.set_defaults(func=cmd_rank)

    e = sub.add_parser("explain", help="explain one candidate's score for a profile")
    e.add_argument("profile")
    e.add_argument("candidate_id")
    _output_flags(e)
    e.set_defaults(func=cmd_explain)

    s = sub.add_parser("sites", help="list the bundled sites and offerings")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.add_argument("--lang", choices=LANGS, default="en")
    s.set_defaults(func=cmd_sites)

    v = sub.add_parser("validate-data", help="check a data folder against the schema")
    v.add_argument("path", nargs="?", default=str(DATA_DIR))
    v.set_defaults(func=cmd_validate)

    tr = sub.add_parser("train", help="learn ranking weights from real decisions (and lead outcomes)")
    tr.add_argument("--models", type=Path, default=MODELS_DIR, help="models folder (default: models/)")
    tr.add_argument("--version", help="version folder name (default: date + data hash)")
    tr.add_argument("--no-leads", dest="leads", action="store_false", help="leave recorded lead outcomes out")
    tr.add_argument("--no-tree", action="store_true", help="skip the tree competitor")
    tr.add_argument("--l2", type=_penalty, help="fix the L2 penalty instead of choosing it by nested "
                    "cross-validation (faster; recorded in the model card)")
    tr.set_defaults(func=cmd_train)

    ev = sub.add_parser("evaluate", help="held-out evaluation of the learned model beside the baselines")
    ev.add_argument("--format", choices=("table", "json", "markdown"), default="table",
                    help="markdown: the method table and every case, as the README shows them")
    ev.add_argument("--no-leads", dest="leads", action="store_false")
    ev.add_argument("--no-tree", action="store_true")
    ev.add_argument("--plausibility", action="store_true",
                    help="the Kainuu archetypes' top 3 against data/plausibility.csv, and the site-level cases")
    ev.add_argument("--types", help="only decisions of these types, comma-separated (e.g. "
                    "final_investment_decision,land_purchase)")
    ev.set_defaults(func=cmd_evaluate)

    wi = sub.add_parser("whatif", help="evaluate a scenario of site changes against a portfolio of profiles")
    wi.add_argument("--scenario", required=True)
    wi.add_argument("--profiles", default=str(ARCHETYPES_DIR),
                    help="a profile JSON or a folder of them (default: the bundled archetypes)")
    wi.add_argument("--format", choices=("table", "json"), default="table")
    wi.add_argument("--lang", choices=LANGS, default="en")
    wi.set_defaults(func=cmd_whatif)

    ad = sub.add_parser("advise", help="smallest actionable change that lifts a site into the top K")
    ad.add_argument("candidate_id")
    ad.add_argument("profile")
    ad.add_argument("--target-rank", type=_top, required=True)
    ad.add_argument("--format", choices=("table", "json"), default="table")
    ad.add_argument("--lang", choices=LANGS, default="en")
    ad.set_defaults(func=cmd_advise)

    se = sub.add_parser("sensitivity", help="how stable a ranking is when weights vary (Monte Carlo)")
    se.add_argument("profile")
    se.add_argument("--scope", choices=SCOPES, default="kainuu")
    se.add_argument("--draws", type=int, default=1000)
    se.add_argument("--top", type=_top, default=5)
    se.add_argument("--format", choices=("table", "json"), default="table")
    se.add_argument("--lang", choices=LANGS, default="en")
    se.set_defaults(func=cmd_sensitivity)

    co = sub.add_parser("completeness", help="which missing values cost each site most (the data to-do list)")
    co.add_argument("--profiles", default=str(ARCHETYPES_DIR))
    co.add_argument("--municipality", help="3-digit code: only this municipality's sites")
    co.add_argument("--limit", type=_top, default=20)
    _output_flags(co)
    co.set_defaults(func=cmd_completeness)

    pi = sub.add_parser("pitch", help="a pitch brief for the investor: shortlist, facts, sources, visit plan")
    pi.add_argument("profile")
    pi.add_argument("--lang", choices=("en", "fi"), default="en")
    pi.add_argument("--top", type=int, default=3)
    pi.add_argument("--out", required=True, help="FILE.md, FILE.html or FILE.pdf")
    pi.set_defaults(func=cmd_pitch)

    svc = service()
    if svc:  # the service's own commands (serve, keys), registered by the installed service package
        svc.add_commands(sub, parser_class=_Parser)
    from .cli_coordinator import add_commands

    add_commands(sub, top=_top, archetypes=str(ARCHETYPES_DIR))
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.as_of:  # one setting for every ranking below (and a server started from here)
            os.environ[clock.ENV] = args.as_of.isoformat()
        if args.data is not None and not (Path(args.data) / "municipalities.csv").is_file():
            raise UsageError(f"--data: {str(args.data)[:200]!r} is not a data folder (no municipalities.csv)")
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return code
    except BrokenPipeError:  # the reader (`| head -1`) stopped reading: quietly, no traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python flushes stdout again on exit: let that go nowhere
        return EXIT_BROKEN_PIPE
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Unavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except ProfileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ValueError, KeyError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # run as `python -m matcher.cli`: use the one imported module, whose error
    from matcher.cli import main as _main  # classes the service's commands raise

    sys.exit(_main())

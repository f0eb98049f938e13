"""Build data/decisions.csv from the decision source files in data/sources/.

Only real location decisions in Finland become training cases, and every source row's
treatment is written out below with its reason (kept, merged into another row, or left out).

Sources (all in data/sources/, none read from outside the repository):
- investment_decisions_finland.csv (compiled for the project, ids K.., F..) and
  investment_decisions_additions.csv (found later, same columns, ids A..): free-text
  ``event_type``, so each kept row's decision type is given in ``KEEP``.
- fi_investment_decisions_more.csv (67 rows, one URL and quote each, collected 2026-11-28,
  copied as received): referred to by line number ``L2``..``L68`` (line 1 is the header).
  Its NACE codes are a collector's "best guess" and are not used.
- decisions_2026-11.csv (ids N..): the rows this project checked and added in 2026-11, each
  with its URLs, its decision type and why it was kept (``basis``); ``more_lines`` names the
  lines of fi_investment_decisions_more.csv it uses. decisions_2026-11.source.md says more.
- decisions_2026-11_wood.csv (ids W..): sawmills, engineered wood and pulp/board mills found in a
  later round, same columns; acquisitions of running mills and replacements without a stated
  amount were left out (decisions_2026-11_wood.source.md says which and why).
- decisions_2026-11_greenfield.csv (ids G..): new sites in other sectors (battery materials, food,
  hydrogen and e-methane, aluminium, explosives, data centres), same columns; what was left out and
  why in decisions_2026-11_greenfield.source.md.

Decision types (``decision_type``), strongest stage the sources document at that place:
  final_investment_decision  the investor decided to build (or built: a dated start of operation
                             is kept with that year when the decision's own year is not sourced)
  land_purchase              land or property bought (or leased) there, no FID in the sources
  permit_application         a permit for the project there applied for or decided, no FID
  announcement               the investor publicly named the place for a specific project
                             (plan, letter of intent, plot reservation), nothing more
``expansion`` is true when the investment is at a site where the investor already operates.

NACE rule (this project's, written out in ``data/sources/decisions_2026-11.source.md``): the
class of the activity the plant will carry out, as the sources describe it: data centres 63.11;
battery chemicals and cathode materials (pCAM, CAM, nickel/cobalt sulphates, sodium chlorate)
20.13; battery cells and packs 27.20; battery recycling 38.32; hydrogen, also with methane or
ammonia as co-products, 20.11; liquid fuels by refining, hydrotreating or pyrolysis (renewable
diesel, bio-oil, SAF, plastics-to-feedstock at a refinery) 19.20, ethanol 20.14; polyethylene
20.16; man-made textile fibres 20.60; pulp 17.11; paper and board 17.12; sawmills 16.10;
LVL/panels 16.21; metal ores 07.29; copper 24.44; nickel 24.45; meat 10.11, poultry 10.12;
dairy 10.51; other food 10.89; wind and solar generation 35.11; engines 28.11; telecom
equipment 26.30; shared service centres 82.11.

Numbers are copied as stated; for a stated range the lower end is kept; approximate values
keep their number; '>x' and foreign-currency estimates are left empty; jobs are jobs created,
never a headcount. Nothing is filled in: unknown is empty.

Run: python data/build/build_decisions.py
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "data" / "sources"
SOURCE = SRC / "investment_decisions_finland.csv"
ADDITIONS = SRC / "investment_decisions_additions.csv"  # ids A.., each with its URLs
MORE = SRC / "fi_investment_decisions_more.csv"  # as received; lines L2..L68
CHECKED = SRC / "decisions_2026-11.csv"  # ids N.., checked and added 2026-11
CHECKED_WOOD = SRC / "decisions_2026-11_wood.csv"  # ids W.., wood products and pulp, same columns
CHECKED_GREENFIELD = SRC / "decisions_2026-11_greenfield.csv"  # ids G.., new sites in other sectors
# each project in Finnish for Finnish readers (a rendering of `project`, no facts of its own)
PROJECT_FI = SRC / "decisions_project_fi.csv"
OUT = ROOT / "data" / "decisions.csv"

FID, LAND, PERMIT, ANN = "final_investment_decision", "land_purchase", "permit_application", "announcement"
DECISION_TYPES = (FID, LAND, PERMIT, ANN)

# K/F/A row id -> (decision_type, expansion, NACE code), for kept rows
KEEP: dict[str, tuple[str, bool, str]] = {
    "K01": (FID, False, "63.11"), "K02": (FID, True, "63.11"), "K03": (FID, True, "63.11"),
    "K06": (LAND, False, "63.11"), "K07": (FID, True, "20.13"),
    "K09": (PERMIT, False, "17.11"),  # site reserved 2016, environmental permit 2020, no FID
    "K10": (LAND, False, "07.29"),  # properties bought from SSAB, mine plan; no FID
    "K11": (FID, False, "20.14"), "K12": (FID, False, "35.11"),
    "K13": (FID, False, "07.29"),  # dated by its opening (2019)
    "K15": (FID, True, "16.10"), "K20": (FID, False, "82.11"),
    "F01": (FID, False, "63.11"), "F02": (FID, True, "63.11"), "F03": (FID, True, "63.11"),
    "F04": (FID, True, "63.11"), "F05a": (ANN, False, "63.11"), "F06": (FID, False, "63.11"),
    "F07": (PERMIT, True, "63.11"),  # building permit for the second building
    "F08": (FID, False, "63.11"), "F13": (FID, False, "20.13"),
    "F15": (FID, False, "07.29"), "F16": (FID, False, "20.13"), "F22": (FID, True, "17.11"),
    "F23": (FID, True, "17.11"), "F25": (FID, True, "17.12"), "F26": (FID, True, "19.20"),
    "F29": (FID, True, "07.29"),  # dated by L64: the investment programme began in spring 2018
    "F31": (FID, True, "07.29"),
    "F32": (ANN, True, "20.14"),  # plan announced at the company's own power plant site
    "F34": (FID, False, "35.11"),  # dated by its completion (2023)
    "F36": (FID, False, "07.29"),  # dated by its opening (2012)
    "A01": (FID, False, "20.11"), "A02": (LAND, False, "63.11"), "A03": (FID, True, "16.10"),
    "A05": (LAND, False, "63.11"), "A06": (FID, True, "10.89"),
}
# one decision, several sites: the other rows' municipalities join the first row's
SAME_DECISION = {"F05b": "F05a", "F05c": "F05a", "A04": "K06"}
LEFT_OUT = {
    "K05": "acquisition of a running business", "K08": "acquisition of a running business",
    "K16": "acquisition of a running business", "F10": "acquisition of a running business",
    "F20": "acquisition of a running business", "K18": "transmission line through 12 municipalities",
    "K19": "closure", "K21": "municipal energy company founded 1986", "K22": "the municipality's own investment",
    "F09": "municipality not disclosed",
    "F17": "grant awarded, no decision stated", "F18": "letter of intent with a partner not named (investor unknown)",
    "F19": "kept as N03 (the same Johnson Matthey decision, with more sources)",
    "F27": "grant awarded, decision pending", "F30": "EIA only: no permit application or FID in the sources",
    "F33": "plan of three companies without a site-specific step",
}
# Corrections to kept K/F/A rows, each with its reason (issue 10 and the 2026-11 check)
FIXES: dict[str, dict[str, str]] = {
    "F31": {"municipality": "Keminmaa", "capex_meur": "250", "project_group": "outokumpu_kemi_mine",
            "urls": "https://otke-cd.outokumpu.com/de-de/about-outokumpu/organization/ferrochrome",
            "why": "the Kemi mine lies in Keminmaa (241); Outokumpu: EUR 250 M 2017-2020 (a 2023 page: 280)"},
    "F36": {"investor": "First Quantum Minerals (owner 2008-2016; Boliden since 2016)", "jobs": "",
            "project_group": "kevitsa", "urls": "https://thebarentsobserver.com/ru/node/567",
            "why": "First Quantum owned Kevitsa in 2012 (Boliden bought it in 2016); 591 is a 2021 headcount"},
    "A05": {"project": "Land acquired in Vaala for data centre development (area undisclosed; about 900 ha is the plan area)",
            "why": "the purchased area is not disclosed; 900 ha is the area of the plan"},
    "A02": {"why": "an announcement with a land purchase (21 ha), not an FID: typed land_purchase"},
    "K12": {"event_year": "2019", "why": "build decision 2019 (construction Oct 2019); 2018 bought development rights"},
    "F04": {"jobs": "", "why": "400 is Google's Hamina headcount, not jobs created"},
    "F07": {"jobs": "", "why": "16 is Yandex's Mäntsälä staff in 2019, not jobs created"},
    "K20": {"jobs": "", "why": "about 200 is the 2013 headcount, not jobs created"},
    "K13": {"capex_meur": "", "why": "EUR 70 M is what the mine cost over 40 years, not the initial capex"},
    "K09": {"event_year": "2020", "project_group": "kaicell",
            "why": "environmental permit granted Jul 2020 (KaiCell releases); no FID"},
    "F25": {"event_year": "2019", "urls": "https://www.compelo.com/packaging/news/stora-enso-paper-packaging/",
            "why": "Stora Enso decided the Oulu conversion in May 2019 (Compelo 2019-05-28)"},
    "K15": {"event_year": "2022", "urls": "https://www.kuhmo.eu:7081/kuhmo-oy-hankkii-uuden-paasahalinjan-veisto-oy_lta/",
            "why": "the main saw-line order of 31 May 2022 is the largest step of the sawmill programme"},
    "F29": {"event_year": "2018", "project_group": "agnico_kittila",
            "urls": "https://kaivosvastuu.fi/kaivostoiminta/2022-agnico-eagle-finland-oy/",
            "why": "the Kittilä investment programme began in spring 2018 (L64)"},
    "F32": {"project_group": "nordfuel_haapavesi",
            "urls": "https://nordfuel.fi/en/nordfuel-oys-haapavesi-biorefinery-has-a-positive-investment-subsidy-decision-from-the-ministry-of-employment-and-the-economy/",
            "why": "a plan announced for a named site; L49 later gives about EUR 300 M (conflict with 150 in 2018)"},
    "F13": {"project_group": "basf_harjavalta", "why": "the group 'battery' lumped unrelated projects"},
    "F16": {"project_group": "easpring_kotka", "why": "the group 'battery' lumped unrelated projects"},
    "F34": {"project_group": "nuolivaara_wind", "why": "the group 'wind' was generic"},
    "F26": {"urls": "https://www.euwid-paper.com/news/markets/upm-to-build-biofuel-refinery-in-finland/", "why": "L37"},
    "K11": {"urls": "http://www.st1biofuels.com/company/news/environmental-permit-to-st1s-first-cellunolix-plant-in-kajaani-finland",
            "why": "L50"},
    "F05a": {"urls": "https://demokraatti.fi/vihtiin-tulossa-massiivinen-microsoftin-investointi/",
             "why": "L24: Microsoft bought 46 ha in Vihti in June 2022 (EUR 12.3 M land price); Espoo and Kirkkonummi announced only"},
    "F06": {"urls": "https://ewdn.com/?p=15047", "why": "L27 (8 ha; another source says eight acres)"},
}
# place names in the sources that are not municipality names of the 2020 division
PLACE_FIXES = {'Kemi (source: "Kemi mine")': "Kemi"}
# former municipalities -> the municipality they merged into
FORMER = {"Joutseno": "Lappeenranta", "Kuusankoski": "Kouvola", "Nurmo": "Seinäjoki", "Kiikoinen": "Sastamala"}

# lines of fi_investment_decisions_more.csv not used by an N row: merged into a K/F/A row, or left out
MORE_MERGED = {
    "L2": "F16 (same Easpring decision; same URL)", "L6": "F13 (same BASF decision; a mirror copy, URL not added)",
    "L24": "F05a (Vihti land purchase; URL added)", "L25": "F05a (same announcement)",
    "L26": "F05a (Kirkkonummi zoning in force 2023; same Microsoft page)", "L27": "F06 (URL added)",
    "L28": "F07 (same permit)", "L37": "F26 (URL added)", "L49": "F32 (URL added; EUR 300 M conflicts with 150)",
    "L50": "K11 (the permit for the plant already kept as an FID; URL added)",
    "L59": "F31 (capex 250, municipality Keminmaa, URL added)", "L64": "F29 (year 2018, URL added)",
}
MORE_LEFT_OUT = {
    "L15": "a Finnish site lost: Neste chose Rotterdam over Porvoo (2021)",
    "L33": "preliminary land agreement with no deal made (Espoo), reported only by an unidentified site",
    "L34": "Silent Partner Group: the municipalities were never contacted, no land, no permit applications; "
           "Yle and Kaleva (2018-2019) question the company and its funding",
    "L35": "Silent Partner Group (see L34)", "L36": "Silent Partner Group (see L34)",
    "L46": "pre-study between Kemi and Äänekoski: no place chosen",
    "L56": "port logistics (weighing, warehouse) for the Harjavalta smelter at the port it already uses, not a plant location",
    "L57": "a Kevitsa life-extension decision put on hold (no decision)",
    "L58": "Tornio ferrochrome expansion: board decision 2008, before 2010; the 2012 permit is for that project",
    "L60": "Outokumpu assessing options for a slag furnace (EIA started): no choice made",
    "L62": "a Finnish site lost: SSAB chose Luleå first (2024)",
    "L63": "SSAB Raahe: no decision stated; the source is a library mirror of a headline",
}


def first_number(text: str) -> str:
    """The stated number, or the lower end of a stated range ('350-400' -> '350'); '' if none."""
    m = re.search(r"\d+(?:\.\d+)?", (text or "").replace(",", ""))
    return m.group(0) if m and not text.strip().startswith(">") else ""


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def main() -> None:
    codes = {r["name_fi"]: r["municipality_code"] for r in read(ROOT / "data" / "municipalities.csv")}

    def code_of(name: str) -> str:
        name = PLACE_FIXES.get(name.strip(), name.strip())
        return codes[FORMER.get(name, name)]

    rows = {r["id"]: r for p in (SOURCE, ADDITIONS) for r in read(p)}
    unhandled = set(rows) - set(KEEP) - set(SAME_DECISION) - set(LEFT_OUT)
    assert not unhandled, f"decide how to treat source rows {sorted(unhandled)}"
    assert set(FIXES) <= set(KEEP), sorted(set(FIXES) - set(KEEP))
    checked = read(CHECKED) + read(CHECKED_WOOD) + read(CHECKED_GREENFIELD)
    more = {f"L{i}": r for i, r in enumerate(read(MORE), start=2)}
    used = {x.strip() for n in checked for x in n["more_lines"].split(";") if x.strip()}
    assert not used & (set(MORE_MERGED) | set(MORE_LEFT_OUT)), sorted(used & (set(MORE_MERGED) | set(MORE_LEFT_OUT)))
    handled = used | set(MORE_MERGED) | set(MORE_LEFT_OUT)
    assert handled == set(more), f"lines of {MORE.name}: unhandled {sorted(set(more) - handled)}, " \
                                 f"unknown {sorted(handled - set(more))}"

    out = []
    for rid, (kind, expansion, nace) in KEEP.items():
        r, fix = rows[rid], FIXES.get(rid, {})
        sisters = [o for o, m in SAME_DECISION.items() if m == rid]
        places = [fix.get("municipality", r["municipality"])] + [rows[o]["municipality"] for o in sisters]
        munis = ";".join(code_of(x) for p in places for x in PLACE_FIXES.get(p, p).split(";"))
        urls = [u.strip() for o in [rid, *sisters] for u in rows[o]["source_urls"].split(" ; ")]
        urls += [u.strip() for u in fix.get("urls", "").split(" ; ")]
        year = fix.get("event_year", r["event_year"])
        row = {
            "decision_id": rid, "project_group": fix.get("project_group", r["project_group"]),
            "investor": fix.get("investor", r["investor"]), "project": fix.get("project", r["project"]),
            "nace": nace, "municipality_codes": munis,
            "event_year": year if re.fullmatch(r"\d{4}", year or "") else "",
            "decision_type": kind, "expansion": "true" if expansion else "false",
            "power_mw": first_number(r["power_mw"]),
            "jobs": fix["jobs"] if "jobs" in fix else first_number(r["jobs_direct"]),
            "capex_meur": fix["capex_meur"] if "capex_meur" in fix else first_number(r["capex_meur"]),
            "alternatives": "", "source_row": rid, "source_urls": " ; ".join(dict.fromkeys(u for u in urls if u)),
        }
        out.append(row)
    for n in checked:
        assert n["decision_type"] in DECISION_TYPES, (n["id"], n["decision_type"])
        out.append({
            "decision_id": n["id"], "project_group": n["project_group"], "investor": n["investor"],
            "project": n["project"], "nace": n["nace"],
            "municipality_codes": ";".join(code_of(x) for x in n["municipality"].split(";")),
            "event_year": n["event_year"], "decision_type": n["decision_type"], "expansion": n["expansion"],
            "power_mw": n["power_mw"], "jobs": n["jobs_created"], "capex_meur": n["capex_meur"],
            "alternatives": ";".join(code_of(x) for x in n["alternatives"].split(";") if x.strip()),
            "source_row": n["id"], "source_urls": n["source_urls"],
        })
    rendered = read(PROJECT_FI)
    project_fi = {r["decision_id"]: r["project_fi"] for r in rendered}
    assert len(project_fi) == len(rendered), "decisions_project_fi.csv: a decision given twice"
    assert set(project_fi) == {r["decision_id"] for r in out}, "decisions_project_fi.csv: one row per decision"
    for r in out:
        r["project_fi"] = project_fi[r["decision_id"]]
    fields = [k for k in out[0] if k != "project_fi"]
    fields.insert(fields.index("project") + 1, "project_fi")  # beside the text it renders
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(out)
    by_type = {t: sum(r["decision_type"] == t for r in out) for t in DECISION_TYPES}
    groups = len({r["project_group"] for r in out})
    print(f"{OUT.relative_to(ROOT)}: {len(out)} decisions in {groups} project groups {by_type}; "
          f"left out: {len(LEFT_OUT)} K/F/A rows, {len(MORE_LEFT_OUT)} lines of {MORE.name}")


if __name__ == "__main__":
    main()

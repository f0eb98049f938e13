"""National location facts per municipality: port, transmission grid, large plants of the same
industry, closed mills, earlier decisions of the same sector, higher education.

Everything is measured from municipal centres (data/municipalities.csv, MML label points) as
straight-line distances: the bundled tables name a municipality, not coordinates, for ports,
substations, plants and campuses.

Time order. What a location decision of year Y may know is ``Known(year=Y, group=g)``:
- earlier decisions count only if their year is known and before Y, and never those of the
  case's own project family ``g`` (expansions would otherwise find themselves);
- a reference plant counts only if its ``since_year`` is before Y (where that year is only a later
  bound, ``since_bound``, also wherever the rule for no year would count it), or, with no ``since_year``
  (the sources give none), only if no recorded new-site decision (or one not known to be an
  expansion) of the same NACE division in that municipality happened in Y or later or in an unknown
  year (the plant may be that decision's outcome; an expansion cannot have built the plant it
  expands); a mill that closed in Y or later counts as running in Y (the closed mills of the list
  are old mills whose closure was the news, none the outcome of a recorded decision);
- a closed mill is a brownfield only after its closure year, and only of heavy industry
  (``BROWNFIELD_DIVISIONS``);
- a 400 kV substation counts only if a source shows it in service before Y (``since_year``: built then,
  or already running then; empty: always); a ``planned`` one (not yet in service) never counts, live
  ranking included;
- renewable capacity counts only if its ``since_year`` is before Y: a plant from its first year in
  operation, a municipal total (capacity counted at the end of ``since_year``) from the next year
  on; of a municipality's totals of one technology only the newest visible one, and no plant of
  that technology there that was already running when it was counted (the total includes it).
A case whose year is unknown gets these features as unknown. Live ranking (``known=None``)
sees everything recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import nace

# Port access: a large port at the centre scores 1, falling to 0 at this distance; smaller
# ports count with their class factor (a design choice: a large port has the liner services
# and berths heavy industry needs; an inland Saimaa port serves only some bulk cargo).
PORT_KM_REF = 200.0
PORT_CLASS_FACTOR = {"large": 1.0, "medium": 0.8, "small": 0.6, "inland": 0.4}
GRID_KM_REF = 100.0  # 400 kV access 0 at 100 km from the nearest listed substation
NEAR_KM_REF = 100.0  # plants, decisions, brownfields, campuses: 1 in the municipality, 0 at 100 km
# A closed plant leaves a reusable industrial site (water, rail, a grid connection) only where it was heavy
# industry: mines and quarries, wood, pulp and paper, refining, chemicals, minerals, metals, power. A closed
# bakery or ice-cream plant is no such site ("Oulu bakery, closed 2019" was a data centre's reason once
# its closure year was sourced, 2026-11-30).
BROWNFIELD_DIVISIONS = ("07", "08", "16", "17", "19", "20", "23", "24", "35")
RELATED_FACTOR = 0.5  # a related division (value chain), or another group of the same division, counts half
UAS_FACTOR = 0.6  # a university of applied sciences only, no university
RENEWABLE_KM = 100.0  # renewable capacity counts within this distance of the municipal centre
# Value chains seen in the sources themselves: sawmills feed pulp mills chips (Metsä Fibre's Rauma
# sawmill next to its pulp mill); battery chemicals sit next to nickel refining and mines (BASF
# "adjacent to the nickel refinery" in Harjavalta; Terrafame's mine and chemicals plant).
RELATED_DIVISIONS: dict[str, tuple[str, ...]] = {
    "16": ("17",), "17": ("16",), "20": ("24", "07"), "24": ("20", "07"), "07": ("24", "20"),
}


@dataclass(frozen=True)
class Known:
    """What a decision made in ``year`` may know (None: the year is not known)."""

    year: int | None
    group: str | None = None


def decay(km: np.ndarray, ref: float = NEAR_KM_REF) -> np.ndarray:
    return np.clip(1.0 - km / ref, 0.0, 1.0)


def related(div: str | None, other: str, group: str | None = None, other_group: str | None = None) -> float:
    """How much a plant or decision of division ``other`` (group ``other_group``) says about an investor of
    division ``div`` (group ``group``): 1 for the same group, or the same division where a group is not
    known; RELATED_FACTOR for another group of the same division (a dairy beside a bakery, a paint factory
    beside a chlorate plant) or a related division of the value chain; else 0."""
    if div is None:
        return 0.0
    if other == div:
        return RELATED_FACTOR if group and isinstance(other_group, str) and other_group and other_group != group else 1.0
    return RELATED_FACTOR if other in RELATED_DIVISIONS.get(div, ()) else 0.0


@dataclass(frozen=True)
class NationalFacts:
    """Arrays over all municipalities (file order of municipalities.csv)."""

    codes: np.ndarray
    dist: np.ndarray  # (M, M) km between municipal centres
    port_access: np.ndarray
    port_of: np.ndarray  # index into ports of the port that gives the access
    education: np.ndarray
    campus_of: np.ndarray
    ports: pd.DataFrame
    substations: pd.DataFrame
    plants: pd.DataFrame
    campuses: pd.DataFrame
    decisions: pd.DataFrame  # one row per (decision, chosen municipality)
    renewables: pd.DataFrame  # hydro plants and municipal wind totals, with the year they count from

    @classmethod
    def build(cls, municipalities: pd.DataFrame, dist: np.ndarray, ports: pd.DataFrame, substations: pd.DataFrame,
              plants: pd.DataFrame, campuses: pd.DataFrame, decisions: pd.DataFrame,
              renewables: pd.DataFrame) -> NationalFacts:
        codes = municipalities["municipality_code"].to_numpy()
        index = {c: i for i, c in enumerate(codes)}

        def where(df: pd.DataFrame) -> np.ndarray:
            return np.array([index.get(c, -1) for c in df["municipality_code"]], dtype=int)

        ports = ports[where(ports) >= 0].reset_index(drop=True)
        pi = where(ports)
        factor = ports["size_class"].map(PORT_CLASS_FACTOR).to_numpy(dtype=float)
        access = factor[None, :] * decay(dist[:, pi], PORT_KM_REF)
        # the port named in reasons: the best access, or with none within reach the nearest port (an
        # argmax over zeros named the table's first row, HaminaKotka, for Lapland)
        port_of = np.where(access.max(1) > 0, access.argmax(1), dist[:, pi].argmin(1))

        subs = substations[(where(substations) >= 0) & (substations["voltage_kv"] >= 400)].reset_index(drop=True)
        subs = subs.assign(mun=where(subs))

        campuses = campuses[where(campuses) >= 0].reset_index(drop=True)
        cd = dist[:, where(campuses)]
        w = np.where(campuses["kind"].to_numpy() == "university", 1.0, UAS_FACTOR)
        edu = w[None, :] * decay(cd)
        campus_of = edu.argmax(1)

        rows = []
        for r in decisions.to_dict("records"):
            for code in str(r["municipality_codes"]).split(";"):
                if code in index:
                    rows.append({"decision_id": r["decision_id"], "group": r["project_group"],
                                 "investor": r["investor"], "project": r["project"],
                                 "project_fi": r.get("project_fi"),
                                 "division": str(r["nace"])[:2], "nace_group": nace.group_of(str(r["nace"])),
                                 "year": r["event_year"], "mun": index[code],
                                 "decision_type": r["decision_type"], "expansion": r.get("expansion") == 1.0})
        dec = pd.DataFrame(rows, columns=["decision_id", "group", "investor", "project", "project_fi", "division", "nace_group", "year", "mun",
                                          "decision_type", "expansion"])
        plants = plants[where(plants) >= 0].reset_index(drop=True).assign(mun=lambda d: where(d))
        renewables = renewables[where(renewables) >= 0].reset_index(drop=True).assign(mun=lambda d: where(d))
        return cls(codes, dist, access.max(1), port_of, edu.max(1), campus_of,
                   ports, subs, plants, campuses, dec, renewables)

    def _index(self, code: str) -> int:
        return int(np.flatnonzero(self.codes == code)[0])

    # ---- time-dependent, per sector ----
    def transmission(self, known: Known | None) -> tuple[np.ndarray, np.ndarray]:
        """Km to the nearest 400 kV substation in service (see the module's time rule), and which one
        (-1 and inf km: none in service)."""
        n = len(self.codes)
        if known is not None and known.year is None:
            return np.full(n, np.nan), np.full(n, -1)
        s = self.substations
        since = s["since_year"].to_numpy(dtype=float)
        ok = (s["status"] == "operating").to_numpy()
        if known is not None:
            ok = ok & (np.isnan(since) | (since < known.year))
        if not ok.any():
            return np.full(n, np.inf), np.full(n, -1)
        d = np.where(ok[None, :], self.dist[:, s["mun"].to_numpy()], np.inf)
        return d.min(1), d.argmin(1)

    def _visible_plants(self, known: Known | None) -> np.ndarray:
        p = self.plants
        operating = (p["status"] == "operating").to_numpy()
        if known is None:
            return operating
        y = known.year
        closed = p["closed_year"].to_numpy(dtype=float)
        since = p["since_year"].to_numpy(dtype=float)
        closed_later = ~np.isnan(closed) & (closed >= y)  # an old mill whose closure came after Y ran in Y
        d = self.decisions
        # a decision in Y, later or of unknown year may have built the plant, unless it expanded the
        # investor's own plant there: that plant ran before it (Taivalkoski's sawmill before Pölkky's 2019 expansion).
        # Matched by division, not group: a plant is hidden a little more often than needed (a later dairy
        # decision hides a town's bakery without a year), never less.
        founding = ~(d["year"] < y) & ~d["expansion"].astype(bool)
        later = set(zip(d["mun"][founding], d["division"][founding]))
        maybe_outcome = np.array([(m, div) in later for m, div in zip(p["mun"], p["nace_division"])], dtype=bool)
        # an "operating by" year is a later bound, not a first year: the plant may be older, so the bound
        # shows it from that year on and never hides it where having no year would not (Hetzner's Tuusula
        # campus, running by 2021, is seen by a 2019 decision as a campus without a year is)
        bound = p["since_bound"].to_numpy(dtype=float) == 1.0
        return closed_later | (operating & np.where(np.isnan(since), ~maybe_outcome,
                                                    (since < y) | (bound & ~maybe_outcome)))

    def industry_nearby(self, sector: str, known: Known | None) -> tuple[np.ndarray, np.ndarray]:
        """Best (relatedness x nearness) over visible operating plants, and which plant gives it."""
        div = nace.division_of(sector)
        n = len(self.codes)
        if known is not None and known.year is None:
            return np.full(n, np.nan), np.full(n, -1)
        group = nace.group_of(sector)
        rel = np.array([related(div, d, group, g) for d, g in zip(self.plants["nace_division"], self.plants["nace_group"])])
        rel = rel * self._visible_plants(known)
        if not rel.any():
            return np.zeros(n), np.full(n, -1)
        v = rel[None, :] * decay(self.dist[:, self.plants["mun"].to_numpy()])
        best = v.argmax(1)
        return v.max(1), np.where(v.max(1) > 0, best, -1)

    def decision_ids_of(self, div: str) -> set[str]:
        """The recorded decisions of a NACE division (each once, whatever its number of places)."""
        d = self.decisions
        return set(d.loc[d["division"] == div, "decision_id"].astype(str))

    def covers(self, sector: str) -> bool:
        """Whether the plant list holds any plant of the sector's division or value chain at all: where
        it holds none (wind and other power), "none nearby" would be a fact about the list, not about
        the place."""
        div = nace.division_of(sector)
        return bool(any(related(div, d) for d in self.plants["nace_division"]))

    def brownfield(self, known: Known | None) -> tuple[np.ndarray, np.ndarray]:
        """Nearness of a large heavy-industry plant closed before the decision (whatever the investor's
        industry: the site, water, rail and grid connection of a closed mill are what a new heavy user or
        data centre reuses; a closed bakery leaves none of them)."""
        n = len(self.codes)
        if known is not None and known.year is None:
            return np.full(n, np.nan), np.full(n, -1)
        closed = self.plants["closed_year"].to_numpy(dtype=float)
        reused = self.plants["reused_year"].to_numpy(dtype=float)
        ok = ((self.plants["status"] == "closed").to_numpy() & ~np.isnan(closed)
              & self.plants["nace_division"].isin(BROWNFIELD_DIVISIONS).to_numpy())
        if known is not None:
            # a site taken over whole (Summa by Google, 2009) is free for the decision that takes it, not later
            ok &= (closed < known.year) & (np.isnan(reused) | (reused >= known.year))
        else:
            ok &= np.isnan(reused)
        if not ok.any():
            return np.zeros(n), np.full(n, -1)
        v = ok[None, :] * decay(self.dist[:, self.plants["mun"].to_numpy()])
        return v.max(1), np.where(v.max(1) > 0, v.argmax(1), -1)

    def precedent(self, sector: str, known: Known | None) -> tuple[np.ndarray, np.ndarray]:
        """Nearness of an earlier recorded decision of the same (or a related) division, never one of
        the case's own project family, never one from its year or later."""
        div = nace.division_of(sector)
        n = len(self.codes)
        d = self.decisions
        if known is not None and known.year is None:
            return np.full(n, np.nan), np.full(n, -1)
        ok = np.ones(len(d), dtype=bool)
        if known is not None:
            ok &= (d["year"] < known.year).to_numpy()
            if known.group is not None:
                ok &= (d["group"] != known.group).to_numpy()
        group = nace.group_of(sector)
        rel = np.array([related(div, x, group, g) for x, g in zip(d["division"], d["nace_group"])]) * ok
        if not rel.any():
            return np.zeros(n), np.full(n, -1)
        v = rel[None, :] * decay(self.dist[:, d["mun"].to_numpy()])
        return v.max(1), np.where(v.max(1) > 0, v.argmax(1), -1)

    def _visible_renewables(self, known: Known | None) -> np.ndarray:
        """Rows a decision of ``known.year`` may count: since_year before it; of the municipal totals of
        one municipality and technology only the newest such one (totals are snapshots, not additions),
        and a plant there only if it started after that total was counted."""
        r = self.renewables
        since = r["since_year"].to_numpy(dtype=float)
        ok = np.ones(len(r), dtype=bool) if known is None else since < known.year
        total = (r["kind"] == "municipal_total").to_numpy()
        key = r["mun"].astype(str) + "/" + r["technology"]
        newest = pd.Series(np.where(ok & total, since, -np.inf)).groupby(key.to_numpy()).transform("max").to_numpy()
        # a plant already running when the newest visible total was counted is inside that total
        return ok & np.where(total, since == newest, since > newest)

    def renewable_mw(self, known: Known | None) -> np.ndarray:
        """Renewable capacity (MW) whose municipality's centre lies within RENEWABLE_KM of each
        municipality's centre, as a decision of ``known.year`` could know it (NaN: year unknown)."""
        n = len(self.codes)
        if known is not None and known.year is None:
            return np.full(n, np.nan)
        r = self.renewables
        mw = r["mw"].to_numpy(dtype=float) * self._visible_renewables(known)
        near = self.dist[:, r["mun"].to_numpy()] <= RENEWABLE_KM
        return near.astype(float) @ mw

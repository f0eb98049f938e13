"""The catalog: municipalities and sites loaded once and normalised into arrays.

Everything the hot path needs is a float array with NaN for unknown, gathered per
scope into a ``Candidates`` block. Nothing here depends on a profile.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import nace
from .criteria import FINLAND, KAINUU
from .national import NationalFacts
from .paths import DATA_DIR
from .schema import (
    DATA_FILES,
    KAINUU_BOOL,
    KAINUU_NUMERIC,
    SITE_BOOL,
    SITE_NUMERIC,
    read_table,
)
from .skills import COMMUTE_RADIUS_KM

# Tables the national facts are built from (decisions.csv: earlier decisions of a sector).
NATIONAL_FILES = ("fi_seaports.csv", "fi_grid_substations.csv", "fi_reference_plants.csv",
                  "fi_higher_education.csv", "decisions.csv", "fi_renewable_generation.csv")

SECTIONS = list("abcdefghijklmnopqrstu")
# Offered to investors (reserved ones with that said); the rest of the catalog (taken plots,
# operating plants, infrastructure) is evidence about the places around it, never a candidate.
OFFERED = ("available", "reserved")
EVIDENCE = ("taken", "reference")
NOT_CANDIDATE_KINDS = ("plant", "infrastructure")


def haversine_matrix(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return haversine_points(lat, lon, lat, lon)


def haversine_points(lat: np.ndarray, lon: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle km from each point (rows) to each point of the second set (columns)."""
    p1, p2 = np.radians(np.asarray(lat, float))[:, None], np.radians(np.asarray(lat2, float))[None, :]
    dl = np.radians(np.asarray(lon, float))[:, None] - np.radians(np.asarray(lon2, float))[None, :]
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def kainuu_codes(data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    """The eight Kainuu municipalities' codes, from the one table that lists them
    (kainuu_municipalities.csv): the API's enumerations derive from it, not from a copy."""
    with open(data_dir / "kainuu_municipalities.csv", newline="", encoding="utf-8") as fh:
        return tuple(sorted(r["municipality_code"] for r in csv.DictReader(fh)))


def snapshot_of(data_dir: Path) -> str:
    """Hash of the bundled data files, so a ranking can be reproduced."""
    h = hashlib.sha256()
    for name in DATA_FILES:
        h.update(name.encode())
        h.update((data_dir / name).read_bytes())
    return h.hexdigest()[:16]


# Two points closer than this are "the same point": with village-level coordinates, a distance that
# no one measured (explanations and the visit plan say so, unless both points are the rows' own)
SAME_POINT_KM = 0.5


def exact_point(rows: pd.DataFrame) -> np.ndarray:
    """Whether each row's coordinates are its own (precision "site"), not its village's or area's."""
    return (rows["location_precision"] == "site").to_numpy(dtype=bool)


def located_point(rows: pd.DataFrame) -> np.ndarray:
    """Whether distances may be measured from each row's point: not where the point is only the
    municipality's centre ("municipality": Hossa, Ukkohalla, a wind area lie tens of km away), so
    neither "railway station within 10 km" nor "the same point" is claimed from a borrowed centre."""
    return (rows["location_precision"] != "municipality").to_numpy(dtype=bool)


def name_in(name: object, name_fi: object, lang: str) -> str:
    """The one rule for the name a reader sees: in Finnish the row's ``name_fi`` where it has one
    (a Finnish source's name, or a faithful rendering of the English one), else, and in English,
    the canonical ``name``. Sites, campuses, plants and every page, brief and table use it."""
    if lang == "fi" and isinstance(name_fi, str) and name_fi.strip():
        return name_fi.strip()
    return str(name)


def _names_fi(rows: pd.DataFrame) -> np.ndarray:
    """The rows' Finnish names (None where none is known), for ``name_in``."""
    col = rows["name_fi"] if "name_fi" in rows else pd.Series([None] * len(rows), index=rows.index)
    return col.to_numpy(dtype=object)


def _sectors(col: pd.Series) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(x.split(";")) if isinstance(x, str) and x else () for x in col)


def nearest_reference(c: "Candidates", wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index of the nearest reference among ``wanted``, its distance in km) per candidate;
    -1 and inf where there is none."""
    if not wanted.any():
        return np.full(len(c), -1), np.full(len(c), np.inf)
    km = np.where(wanted[None, :] & ~np.isnan(c.ref_km), c.ref_km, np.inf)  # NaN: a distance not known
    j = km.argmin(axis=1)
    d = km[np.arange(len(c)), j]
    return np.where(np.isfinite(d), j, -1), d


def references_with(c: "Candidates", pred) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.array([bool(pred(codes)) for codes in c.refs.sectors], dtype=bool)



DERIVED_ACCESS = ["calc_port_km", "calc_airport_km", "calc_station_ref", "calc_station_km"]
PORT_CITY = "564"  # Oulu: the seaport of the region (Oritkari, Vihreäsaari); distance from its centre
STATION_KM = 10.0  # a railway station this near counts as rail access without a siding of one's own


def station_near(site: dict[str, np.ndarray]) -> np.ndarray:
    """1 where a railway station lies within STATION_KM of the site's own point, 0 where none does,
    NaN where the point is only the municipality's centre (``calc_station_ref`` names the station)."""
    return np.where(site["point_located"] == 1, (site["calc_station_ref"] >= 0).astype(float), np.nan)
# NACE tags of infrastructure rows that access reads (sites.csv `sectors` of kind infrastructure)
AIRPORT_NACE = ("51.10", "52.23")
RAIL_NACE = ("49.10", "49.20")


ZONING_READY = {"zoned": 1.0, "in_progress": 0.0, "not_zoned": 0.0}  # zoning_status -> ready for industry


@dataclass(frozen=True)
class References:
    """Catalog rows that are not offered: operating plants, taken plots, infrastructure."""

    ids: np.ndarray
    names: np.ndarray
    kinds: np.ndarray
    sectors: tuple[tuple[str, ...], ...]
    lat: np.ndarray
    lon: np.ndarray
    exact: np.ndarray  # the row's point is its own (location_precision "site"), not its village's
    located: np.ndarray  # distances from the row's point mean something (``located_point``)
    names_fi: np.ndarray | None = None  # Finnish names, None where unknown (``name_in``)

    def __len__(self) -> int:
        return len(self.ids)

    def name_in(self, j: int, lang: str) -> str:
        """Reference j's name as a reader of ``lang`` sees it."""
        return name_in(self.names[j], None if self.names_fi is None else self.names_fi[j], lang)

    @classmethod
    def empty(cls) -> "References":
        e = np.array([], dtype=object)
        return cls(e, e, e, (), np.array([]), np.array([]), np.array([], dtype=bool), np.array([], dtype=bool))


@dataclass(frozen=True)
class Candidates:
    """One scope's candidates as aligned arrays (row i is candidate i)."""

    scope: str
    ids: np.ndarray
    names: np.ndarray
    municipality_codes: np.ndarray
    municipality_names: np.ndarray
    kinds: np.ndarray
    in_kainuu: np.ndarray
    site: dict[str, np.ndarray]  # site-level values, NaN where unknown or not a site
    mun: dict[str, np.ndarray]  # municipal values gathered per candidate
    section_lq: np.ndarray  # (n, 21) location quotient of workplaces by section
    area_section_workforce: np.ndarray  # (n, 21) commuting-area workforce by section
    area_edu_rel: dict[str, np.ndarray]  # vocational / tertiary share vs national
    site_sectors: tuple[tuple[str, ...], ...]
    emphasis: tuple[tuple[str, ...] | None, ...]
    availability: np.ndarray  # available / reserved for sites, "municipality" in scope finland
    lat: np.ndarray  # the candidate's own point: a site's coordinates, a municipality's centre
    lon: np.ndarray
    refs: References  # evidence rows, with ref_km their distance from each candidate
    ref_km: np.ndarray  # (n, len(refs))
    national: NationalFacts | None = None  # national facts (finland scope)
    mun_index: np.ndarray | None = None  # row of each candidate's municipality in the national arrays
    # Finnish names of sites, None where unknown (a municipality's name is Finnish already): ``name_in``
    names_fi: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def name_in(self, i: int, lang: str) -> str:
        """Candidate i's name as a reader of ``lang`` sees it (``name`` stays the canonical one)."""
        return name_in(self.names[i], None if self.names_fi is None else self.names_fi[i], lang)

    def take(self, idx: np.ndarray) -> Candidates:
        """The rows ``idx`` (repeats allowed) as Candidates of their own: what-if sweeps
        recompute only the rows a scenario changes."""
        idx = np.asarray(idx, dtype=int)
        return replace(
            self, ids=self.ids[idx], names=self.names[idx], municipality_codes=self.municipality_codes[idx],
            municipality_names=self.municipality_names[idx], kinds=self.kinds[idx], in_kainuu=self.in_kainuu[idx],
            site={k: v[idx].copy() for k, v in self.site.items()}, mun={k: v[idx] for k, v in self.mun.items()},
            section_lq=self.section_lq[idx], area_section_workforce=self.area_section_workforce[idx],
            area_edu_rel={k: v[idx] for k, v in self.area_edu_rel.items()},
            site_sectors=tuple(self.site_sectors[i] for i in idx), emphasis=tuple(self.emphasis[i] for i in idx),
            availability=self.availability[idx], lat=self.lat[idx], lon=self.lon[idx], ref_km=self.ref_km[idx],
            mun_index=None if self.mun_index is None else self.mun_index[idx],
            names_fi=None if self.names_fi is None else self.names_fi[idx])

    def index_of(self, candidate_id: str) -> int:
        hits = np.flatnonzero(self.ids == candidate_id)
        if not len(hits):
            raise KeyError(candidate_id)
        return int(hits[0])


@dataclass(frozen=True)
class Catalog:
    municipalities: pd.DataFrame
    kainuu: pd.DataFrame
    sites: pd.DataFrame
    key_sectors: pd.DataFrame
    sources: pd.DataFrame
    snapshot: str
    overrides: tuple[str, ...] = field(default=())
    national_tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @classmethod
    def load(cls, data_dir: str | Path = DATA_DIR) -> "Catalog":
        d = Path(data_dir)
        return cls(
            municipalities=read_table(d, "municipalities.csv"),
            kainuu=read_table(d, "kainuu_municipalities.csv"),
            sites=read_table(d, "sites.csv"),
            key_sectors=read_table(d, "key_sectors.csv"),
            sources=read_table(d, "sources.csv"),
            snapshot=snapshot_of(d),
            national_tables={n: read_table(d, n) for n in NATIONAL_FILES},
        )

    def with_tables(self, *, sites: pd.DataFrame | None = None, kainuu: pd.DataFrame | None = None,
                    municipalities: pd.DataFrame | None = None, tag: str = "override") -> "Catalog":
        """A changed copy (what-ifs, edits); the snapshot id says it is not the bundled data."""
        return replace(
            self,
            sites=self.sites if sites is None else sites,
            kainuu=self.kainuu if kainuu is None else kainuu,
            municipalities=self.municipalities if municipalities is None else municipalities,
            snapshot=f"{self.snapshot.split('+')[0]}+{tag}",
            overrides=self.overrides + (tag,),
        )

    # ---- municipal arrays (all municipalities, in file order) ----
    @cached_property
    def _base(self) -> dict[str, np.ndarray]:
        """Per-municipality counts the commuting areas are summed from."""
        m = self.municipalities
        f = lambda c: np.nan_to_num(m[c].to_numpy(dtype=float))  # noqa: E731
        return {
            "lat": m["lat"].to_numpy(dtype=float), "lon": m["lon"].to_numpy(dtype=float),
            "jobs": np.stack([f(f"jobs_{s}") for s in SECTIONS], axis=1), "total": f("workplaces_total"),
            "labour": f("employed") + f("unemployed"), "a18": f("aged_18plus"), "voc": f("vocational"),
            "ter": f("tertiary_lower") + f("tertiary_higher"),
        }

    def commuting_area(self, lat: np.ndarray, lon: np.ndarray) -> dict[str, np.ndarray]:
        """The workforce around points: every municipality whose centre lies within the commuting
        radius of the point counts. Sites use their own coordinates, municipalities their centres."""
        b = self._base
        dist = haversine_points(lat, lon, b["lat"], b["lon"])
        commute = (dist <= COMMUTE_RADIUS_KM).astype(float)
        area_jobs = commute @ b["jobs"]
        area_total = commute @ b["total"]
        with np.errstate(invalid="ignore", divide="ignore"):
            workforce = (commute @ b["labour"])[:, None] * area_jobs / area_total[:, None]
            a18 = commute @ b["a18"]
            nat_voc = b["voc"].sum() / b["a18"].sum()
            nat_ter = b["ter"].sum() / b["a18"].sum()
            return {"area_section_workforce": workforce, "voc_rel": (commute @ b["voc"]) / a18 / nat_voc,
                    "ter_rel": (commute @ b["ter"]) / a18 / nat_ter}

    @cached_property
    def _mun(self) -> dict[str, np.ndarray]:
        m = self.municipalities
        f = lambda c: m[c].to_numpy(dtype=float)  # noqa: E731
        jobs = np.stack([f(f"jobs_{s}") for s in SECTIONS], axis=1)
        total = f("workplaces_total")
        with np.errstate(invalid="ignore", divide="ignore"):
            share = jobs / total[:, None]
            national = jobs.sum(0) / total.sum()
            lq = share / national
        area = self.commuting_area(f("lat"), f("lon"))
        k = self.kainuu.set_index("municipality_code")
        codes = m["municipality_code"].to_numpy()
        extra = {}
        for c in KAINUU_NUMERIC + KAINUU_BOOL:
            col = k[c].astype(float) if c in k else pd.Series(dtype=float)
            extra[c] = np.array([col.get(code, np.nan) for code in codes], dtype=float)
        return {
            "lq": lq,
            **area,
            "lat": f("lat"),
            "lon": f("lon"),
            "median_income_eur": f("median_income_eur"),
            "dist_helsinki_km": f("dist_helsinki_km"),
            "dist_oulu_km": f("dist_oulu_km"),
            "population": f("population"),
            "dist_kajaani_airport_km": f("dist_kajaani_airport_km"),
            **extra,
        }

    @cached_property
    def _dist(self) -> np.ndarray:
        m = self.municipalities
        return haversine_matrix(m["lat"].to_numpy(dtype=float), m["lon"].to_numpy(dtype=float))

    @cached_property
    def national(self) -> NationalFacts:
        t = self.national_tables
        return NationalFacts.build(self.municipalities, self._dist, t["fi_seaports.csv"],
                                   t["fi_grid_substations.csv"], t["fi_reference_plants.csv"],
                                   t["fi_higher_education.csv"], t["decisions.csv"],
                                   t["fi_renewable_generation.csv"])

    @cached_property
    def _mun_index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.municipalities["municipality_code"])}

    def municipality_name(self, code: str) -> str:
        return str(self.municipalities["name_fi"].iloc[self._mun_index[code]])

    @cached_property
    def _site_names(self) -> dict[str, tuple[object, object]]:
        return {str(i): (n, f) for i, n, f in zip(self.sites["site_id"], self.sites["name"], _names_fi(self.sites))}

    def name_of(self, candidate_id: str, lang: str, default: str = "", *, scope: str = KAINUU) -> str:
        """A site's name as a reader of ``lang`` sees it (``name_in``), by id, for the records that
        carry only the canonical ``name`` (a ranking's JSON, a ``Match``); a national candidate (a
        municipality, whose name is Finnish in both languages) or an unknown id gives ``default``."""
        got = self._site_names.get(str(candidate_id)) if scope == KAINUU else None
        return name_in(got[0], got[1], lang) if got else default

    def _emphasis(self, codes: np.ndarray) -> tuple[tuple[str, ...] | None, ...]:
        k = self.kainuu.set_index("municipality_code")
        out = []
        for code in codes:
            v = k["sector_emphasis"].get(code) if "sector_emphasis" in k else None
            out.append(tuple(str(v).split(";")) if isinstance(v, str) and v else None)
        return tuple(out)

    def _gather(self, scope: str, idx: np.ndarray, site: dict[str, np.ndarray], ids, names, kinds,
                site_sectors, *, availability: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                refs: References, names_fi: np.ndarray | None = None) -> Candidates:
        mu = self._mun
        codes = self.municipalities["municipality_code"].to_numpy()[idx]
        area = self.commuting_area(lat, lon) if scope == KAINUU else {k: mu[k][idx] for k in
                                                                       ("area_section_workforce", "voc_rel", "ter_rel")}
        return Candidates(
            scope=scope,
            ids=np.asarray(ids, dtype=object),
            names=np.asarray(names, dtype=object),
            municipality_codes=np.asarray(codes, dtype=object),
            municipality_names=self.municipalities["name_fi"].to_numpy()[idx],
            kinds=np.asarray(kinds, dtype=object),
            in_kainuu=self.municipalities["in_kainuu"].to_numpy(dtype=bool)[idx],
            site=site,
            mun={k: v[idx] for k, v in mu.items() if v.ndim == 1},
            section_lq=mu["lq"][idx],
            area_section_workforce=area["area_section_workforce"],
            area_edu_rel={"vocational": area["voc_rel"], "tertiary": area["ter_rel"], "any": np.ones(len(idx))},
            site_sectors=tuple(site_sectors),
            emphasis=self._emphasis(codes),
            availability=np.asarray(availability, dtype=object),
            lat=np.asarray(lat, dtype=float),
            lon=np.asarray(lon, dtype=float),
            refs=refs,
            ref_km=self._ref_km(lat, lon, refs),
            names_fi=names_fi,
        )

    @staticmethod
    def _ref_km(lat: np.ndarray, lon: np.ndarray, refs: References) -> np.ndarray:
        """Distances from each candidate to each reference; NaN where the reference's point is only its
        municipality's centre (``located_point``; a candidate's own such point is masked where its
        distances are read: ``_with_access``, ``features.cluster_feature``)."""
        km = haversine_points(lat, lon, refs.lat, refs.lon)
        km[:, ~np.asarray(refs.located, dtype=bool)] = np.nan
        return km

    def _with_access(self, c: Candidates) -> Candidates:
        """Distances from each site's own point to the port city, the nearest airport of the
        catalog (else the municipal table's Kajaani airport) and a railway station."""
        i = self._mun_index[PORT_CITY]
        m = self.municipalities
        port = haversine_points(c.lat, c.lon, m["lat"].to_numpy(float)[[i]], m["lon"].to_numpy(float)[[i]])[:, 0]
        ai, ad = nearest_reference(c, references_with(c, lambda codes: any(x in AIRPORT_NACE for x in codes)))
        rj, rd = nearest_reference(c, references_with(c, lambda codes: any(x in RAIL_NACE for x in codes)))
        located = c.site["point_located"] == 1
        c.site["calc_port_km"] = np.where(located, port, np.nan)
        c.site["calc_airport_km"] = np.where(~located, np.nan, np.where(ai >= 0, ad, c.mun["dist_kajaani_airport_km"]))
        c.site["calc_station_ref"] = np.where(located & (rd <= STATION_KM), rj, -1).astype(float)
        c.site["calc_station_km"] = np.where(located & (rd <= STATION_KM), rd, np.nan)
        return c

    def candidates(self, scope: str = KAINUU) -> Candidates:
        if scope == KAINUU:
            return self._kainuu_candidates
        if scope == FINLAND:
            return self._finland_candidates
        raise ValueError(f"unknown scope {scope!r}; use 'kainuu' or 'finland'")

    @cached_property
    def offered(self) -> pd.DataFrame:
        """The sites that are candidates: offered, and of a kind one can locate in."""
        s = self.sites
        keep = s["availability"].isin(OFFERED) & ~s["kind"].isin(NOT_CANDIDATE_KINDS)
        return s[keep].reset_index(drop=True)

    @cached_property
    def references(self) -> References:
        s = self.sites
        r = s[~(s["availability"].isin(OFFERED) & ~s["kind"].isin(NOT_CANDIDATE_KINDS))].reset_index(drop=True)
        return References(r["site_id"].to_numpy(dtype=object), r["name"].to_numpy(dtype=object),
                          r["kind"].to_numpy(dtype=object), _sectors(r["sectors"]),
                          r["lat"].to_numpy(dtype=float), r["lon"].to_numpy(dtype=float),
                          exact_point(r), located_point(r), _names_fi(r))

    @cached_property
    def _kainuu_candidates(self) -> Candidates:
        s = self.offered
        idx = np.array([self._mun_index[c] for c in s["municipality_code"]], dtype=int)
        # a column the file does not have yet reads as unknown (validate-data reports it as missing)
        site = {c: s[c].to_numpy(dtype=float) if c in s else np.full(len(s), np.nan) for c in SITE_NUMERIC + SITE_BOOL}
        site["zoning_ready"] = s["zoning_status"].map(
            ZONING_READY).to_numpy(dtype=float)
        site["point_exact"] = exact_point(s).astype(float)
        site["point_located"] = located_point(s).astype(float)
        return self._with_access(self._gather(
            KAINUU, idx, site, s["site_id"], s["name"], s["kind"], _sectors(s["sectors"]),
            availability=s["availability"].to_numpy(dtype=object), lat=s["lat"].to_numpy(dtype=float),
            lon=s["lon"].to_numpy(dtype=float), refs=self.references, names_fi=_names_fi(s)))

    @cached_property
    def _finland_candidates(self) -> Candidates:
        m = self.municipalities
        keep = np.flatnonzero(m["valid_2026"].to_numpy(dtype=bool))
        n = len(keep)
        site = {c: np.full(n, np.nan) for c in SITE_NUMERIC + SITE_BOOL + ["zoning_ready"] + DERIVED_ACCESS}
        c = self._gather(FINLAND, keep, site, m["municipality_code"].to_numpy()[keep],
                         m["name_fi"].to_numpy()[keep], np.full(n, "municipality"), [()] * n,
                         availability=np.full(n, "municipality", dtype=object),
                         lat=m["lat"].to_numpy(dtype=float)[keep], lon=m["lon"].to_numpy(dtype=float)[keep],
                         refs=References.empty())
        return replace(c, national=self.national, mun_index=keep)

    @cached_property
    def key_sector_prefixes(self) -> list[tuple[str, str]]:
        """(key sector id, NACE prefix) pairs of the strategy's key sectors."""
        return [(r.key_sector, p) for r in self.key_sectors.itertuples()
                for p in str(r.nace_prefixes).split(";")]

    @cached_property
    def key_sector_names(self) -> dict[str, dict[str, str]]:
        """Key sector id -> {"en": name, "fi": name}; built once, read on every explanation."""
        return {r.key_sector: {"en": str(r.name_en), "fi": str(r.name_fi)} for r in self.key_sectors.itertuples()}

    def key_sector_of(self, code: str) -> str | None:
        for ks, p in self.key_sector_prefixes:
            if nace.matches(code, p):
                return ks
        return None

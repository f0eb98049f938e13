"""The public catalog: the feed for the Invest in Kainuu portal and municipal web pages."""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from matcher import Catalog
from matcher.core.catalog import OFFERED
from matcher.core.messages import CATALOGUE, Lang, t
from matcher.core.schema import ID_PATTERN, records

from ..deps import CatalogDep
from ..errors import ApiError
from ..schemas import TableOut

router = APIRouter(tags=["catalog"])
Code = Annotated[str, Path(pattern=r"^\d{3}$", description="3-digit municipality code")]
SiteId = Annotated[str, Path(pattern=ID_PATTERN, description="site id")]


def _sources(catalog: Catalog) -> dict[str, dict[str, Any]]:
    return {r["source_id"]: r for r in records(catalog.sources, "sources.csv")}


@router.get("/municipalities", operation_id="list_municipalities", response_model=TableOut)
def municipalities(catalog: CatalogDep, kainuu_only: bool = False) -> dict[str, Any]:
    m = catalog.municipalities
    if kainuu_only:
        m = m[m["in_kainuu"] == 1]
    extra = {r["municipality_code"]: r for r in records(catalog.kainuu, "kainuu_municipalities.csv")}
    items = [{**r, "kainuu": extra.get(r["municipality_code"])} for r in records(m, "municipalities.csv")]
    return {"data_snapshot": catalog.snapshot, "count": len(items), "items": items}


@router.get("/sites", operation_id="list_sites", response_model=TableOut)
def sites(catalog: CatalogDep) -> dict[str, Any]:
    items = records(catalog.sites, "sites.csv")
    return {"data_snapshot": catalog.snapshot, "count": len(items), "items": items}


@router.get("/sites/{site_id}", operation_id="get_site")
def site(site_id: SiteId, catalog: CatalogDep) -> dict[str, Any]:
    s = catalog.sites[catalog.sites["site_id"] == site_id]
    if s.empty:
        raise ApiError(404, "site_id", "api.no_site", id=site_id)
    rec = records(s, "sites.csv")[0]
    return {"data_snapshot": catalog.snapshot, "site": rec, "sources": _sources(catalog)}


def _esc(value: Any) -> str:
    """Cell text for HTML: an unknown value (None or NaN) is empty, never "nan"."""
    return "" if value is None or (isinstance(value, float) and value != value) else html.escape(str(value))


HTML_FRAGMENT = {200: {"description": "an HTML fragment", "content": {"text/html": {"schema": {"type": "string"}}}}}


@router.get("/municipalities/{code}/embed", operation_id="municipality_embed", responses=HTML_FRAGMENT)
def embed(code: Code, catalog: CatalogDep, lang: Annotated[Lang, Query(description="en or fi")] = "en",
          ) -> HTMLResponse:
    """An HTML fragment listing the municipality's offerings (available, or reserved and said so), for
    its own web pages, in English or Finnish. Taken plots and operating plants are not offerings."""
    m = catalog.municipalities
    row = m[m["municipality_code"] == code]
    if row.empty:
        raise ApiError(404, "code", "api.no_municipality", code=code)
    name = html.escape(str(row["name_fi"].iloc[0]))
    sites = catalog.sites
    s = sites[(sites["municipality_code"] == code) & sites["availability"].isin(OFFERED)]

    def item(r: Any) -> str:
        kind = t(f"kind.{r.kind}", lang) if f"kind.{r.kind}" in CATALOGUE else _esc(r.kind)
        state = f" <em>{html.escape(t('embed.reserved', lang))}</em>" if r.availability == "reserved" else ""
        links = " ".join(f"<a href={html.escape(u)!r}>[{i}]</a>"
                         for i, u in enumerate(_esc(r.source_urls).split(" ; "), 1) if u)
        updated = t("embed.updated", lang, date=str(r.last_updated)) if _esc(r.last_updated) else ""
        return (f'<li><strong>{_esc(r.name)}</strong> <span class="kind">{html.escape(kind)}</span>{state}'
                f"<br><small>{_esc(r.status) or html.escape(t('embed.no_status', lang))}; {html.escape(updated)}; "
                f"{html.escape(t('embed.sources', lang))}: {links}</small></li>")

    items = "".join(item(r) for r in s.itertuples())
    return HTMLResponse(
        f'<section class="kainuu-sites" lang="{lang}" data-municipality="{code}" data-snapshot="{catalog.snapshot}">'
        f"<h3>{html.escape(t('embed.title', lang, name=name))}</h3>"
        f"<ul>{items or '<li>' + html.escape(t('embed.none', lang)) + '</li>'}</ul></section>")
